/* A minimal unit-test harness. Each TEST registers itself; the runner
 * prints every failed check and ends with "N passed, N failed". */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

void harness_register(const char *name, void (*fn)(void));
bool harness_check(bool ok, const char *expr, const char *file, int line);
bool harness_check_u64(uint64_t got, uint64_t want, const char *expr,
		       const char *file, int line);
bool harness_check_str(const char *got, const char *want, const char *expr,
		       const char *file, int line);
/* Substring check, for error messages. */
bool harness_check_contains(const char *got, const char *needle,
			    const char *expr, const char *file, int line);

#define TEST(name)                                                  \
	static void name(void);                                     \
	__attribute__((constructor)) static void reg_##name(void)   \
	{                                                           \
		harness_register(#name, name);                      \
	}                                                           \
	static void name(void)

#define CHECK(cond) harness_check((cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(got, want) \
	harness_check_u64((uint64_t)(got), (uint64_t)(want), #got " == " #want, \
			  __FILE__, __LINE__)
#define CHECK_STR(got, want) \
	harness_check_str((got), (want), #got, __FILE__, __LINE__)
#define CHECK_CONTAINS(got, needle) \
	harness_check_contains((got), (needle), #got, __FILE__, __LINE__)

#endif
