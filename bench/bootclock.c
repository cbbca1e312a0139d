/* bootclock LOG PATTERN... -- COMMAND [ARG...]
 *
 * Runs COMMAND with its standard output on a pipe (QEMU with its serial
 * port there), copies each line to LOG and notes when the first line
 * holding each PATTERN arrived, in microseconds after COMMAND was started
 * (CLOCK_MONOTONIC, taken just before the fork). Once COMMAND's output
 * ends, prints one line per PATTERN: the microseconds, or "-" when no
 * line held it; exits 0 when every PATTERN was seen, 1 otherwise.
 * A benchmark tool (make bench), not a test. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PATTERNS 16

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void usage(void)
{
	fprintf(stderr, "usage: bootclock LOG PATTERN... -- COMMAND [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *pattern[MAX_PATTERNS];
	uint64_t seen[MAX_PATTERNS] = { 0 };
	int npatterns = 0, fds[2], status, all = 1, i = 2;
	char *line = NULL;
	size_t cap = 0;
	uint64_t start;
	FILE *log, *in;
	pid_t pid;

	if (argc < 4)
		usage();
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		if (npatterns == MAX_PATTERNS)
			usage();
		pattern[npatterns++] = argv[i];
	}
	if (i + 1 >= argc || !npatterns)
		usage();
	if (!(log = fopen(argv[1], "w")) || pipe(fds)) {
		perror("bootclock");
		return 2;
	}
	start = now_us();
	pid = fork();
	if (pid < 0) {
		perror("bootclock: fork");
		return 2;
	}
	if (!pid) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[i + 1], argv + i + 1);
		perror("bootclock: exec");
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (getline(&line, &cap, in) > 0) {
		uint64_t t = now_us() - start;

		fputs(line, log);
		for (int p = 0; p < npatterns; p++)
			if (!seen[p] && strstr(line, pattern[p]))
				seen[p] = t ? t : 1;
	}
	waitpid(pid, &status, 0);
	fclose(log);
	for (int p = 0; p < npatterns; p++) {
		if (seen[p])
			printf("%llu\n", (unsigned long long)seen[p]);
		else
			printf("-\n");
		all = all && seen[p];
	}
	free(line);
	return all ? 0 : 1;
}
