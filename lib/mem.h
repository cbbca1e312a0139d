/* Freestanding memory and string primitives.
 *
 * The UEFI build links lib/mem.c; host builds get the same functions from
 * the C library. The compiler may emit calls to memcpy/memset on its own, so
 * the target must provide them under these exact names. */
#ifndef LIB_MEM_H
#define LIB_MEM_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* -ffreestanding (the UEFI image, efikexec.mb) implies -fno-builtin: a
 * memcpy() of 4 bytes (get32(), a field out of a header) was a call.
 * Through the builtin the compiler writes copies of a small known size
 * as moves and calls memcpy() above for the rest. Not memset(): clearing
 * .bss between two linker symbols (efi/main.c) must stay a call, which
 * the compiler cannot move past the stores to the variables in it. */
#if !__STDC_HOSTED__ && !defined(LIB_MEM_IMPL)
#define memcpy(d, s, n) __builtin_memcpy(d, s, n)
#endif

#endif
