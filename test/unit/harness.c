#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TESTS 512

static struct {
	const char *name;
	void (*fn)(void);
} tests[MAX_TESTS];
static int ntests;
static int current_failed;

void harness_register(const char *name, void (*fn)(void))
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

bool harness_check(bool ok, const char *expr, const char *file, int line)
{
	if (!ok) {
		printf("  %s:%d: CHECK(%s) failed\n", file, line, expr);
		current_failed = 1;
	}
	return ok;
}

bool harness_check_u64(uint64_t got, uint64_t want, const char *expr,
		       const char *file, int line)
{
	if (got != want) {
		printf("  %s:%d: %s: got 0x%llx, want 0x%llx\n", file, line, expr,
		       (unsigned long long)got, (unsigned long long)want);
		current_failed = 1;
	}
	return got == want;
}

bool harness_check_str(const char *got, const char *want, const char *expr,
		       const char *file, int line)
{
	bool ok = got && want && !strcmp(got, want);

	if (!ok) {
		printf("  %s:%d: %s: got \"%s\", want \"%s\"\n", file, line, expr,
		       got ? got : "(null)", want);
		current_failed = 1;
	}
	return ok;
}

bool harness_check_contains(const char *got, const char *needle,
			    const char *expr, const char *file, int line)
{
	bool ok = got && strstr(got, needle);

	if (!ok) {
		printf("  %s:%d: %s: \"%s\" does not contain \"%s\"\n", file,
		       line, expr, got ? got : "(null)", needle);
		current_failed = 1;
	}
	return ok;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	const char *only = argc > 1 ? argv[1] : NULL;

	for (int i = 0; i < ntests; i++) {
		if (only && !strstr(tests[i].name, only))
			continue;
		current_failed = 0;
		tests[i].fn();
		if (current_failed) {
			printf("FAIL %s\n", tests[i].name);
			failed++;
		} else {
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
