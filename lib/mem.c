/* Target-only implementations of lib/mem.h (the host uses its C library). */
#define LIB_MEM_IMPL
#include "mem.h"

#include <stdint.h>

/* REP MOVS/STOS of whole words (quadwords; doublewords in the 32-bit
 * probes that share this file), then of the bytes left: on CPUs with fast
 * strings (ERMSB, SDM Vol. 1 §7.3.9.3) as fast as any loop, and under
 * QEMU's TCG, which runs a string instruction one element at a time,
 * eight times fewer steps than bytes, and many times faster than a
 * compiled loop. The direction flag is clear on entry: the UEFI calling
 * convention and efikexec.mb's entry (CLD) leave it so. Out of line: one
 * copy that every caller shares. */
#ifdef __x86_64__
#define WORD "q"
#else
#define WORD "l"
#endif
#define WORD_SIZE sizeof(uintptr_t)

__attribute__((noinline))
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;
	size_t words = n / WORD_SIZE;

	__asm__ volatile("rep movs" WORD "\n\t"
			 "mov %[bytes], %[count]\n\t"
			 "rep movsb"
			 : "+D"(d), "+S"(src), [count] "+c"(words)
			 : [bytes] "r"(n % WORD_SIZE)
			 : "memory");
	return dst;
}

/* An overlapping copy to a higher address runs from the top down (STD):
 * the bytes left over at the top first, then the words below them. */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t bytes = n % WORD_SIZE;

	if ((uintptr_t)d - (uintptr_t)s >= n)
		return memcpy(dst, src, n);
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std\n\t"
			 "rep movsb\n\t"
			 /* from the last byte of a word to its first */
			 "sub %[back], %[d]\n\t"
			 "sub %[back], %[s]\n\t"
			 "mov %[words], %[count]\n\t"
			 "rep movs" WORD "\n\t"
			 "cld"
			 : [d] "+D"(d), [s] "+S"(s), [count] "+c"(bytes)
			 : [words] "r"(n / WORD_SIZE), [back] "i"(WORD_SIZE - 1)
			 : "memory", "cc");
	return dst;
}

__attribute__((noinline))
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t words = n / WORD_SIZE;
	uintptr_t v = (unsigned char)c * (UINTPTR_MAX / 0xff);

	__asm__ volatile("rep stos" WORD "\n\t"
			 "mov %[bytes], %[count]\n\t"
			 "rep stosb"
			 : "+D"(d), [count] "+c"(words)
			 : "a"(v), [bytes] "r"(n % WORD_SIZE)
			 : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}
