/* Version comparison as the UAPI Version Format Specification defines it
 * (the order the Boot Loader Specification sorts entries by). */
#ifndef LIB_VERCMP_H
#define LIB_VERCMP_H

/* <0, 0 or >0 as version a is older than, the same as or newer than b. */
int vercmp(const char *a, const char *b);

#endif
