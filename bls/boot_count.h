/* Automatic Boot Assessment: the counters in a boot entry's file name,
 * "NAME+LEFT.conf" or "NAME+LEFT-DONE.conf" (".efi" alike), as the Boot
 * Loader Specification ("Boot counting") describes them and systemd-boot
 * reads and renames them. Pure; tested on the host. */
#ifndef BLS_BOOT_COUNT_H
#define BLS_BOOT_COUNT_H

#include <stdbool.h>
#include <stddef.h>

/* The largest counter, as systemd-boot's (INT_MAX): a name with a larger
 * one carries no counter. */
#define BLS_COUNT_MAX 0x7fffffffu

/* All zero: no counter. */
struct bls_count {
	bool on;             /* the name carries a counter */
	unsigned left, done; /* tries left; tries done (0 when absent) */
};

/* Whether the entry's tries are used up: "bad", sorted after the others. */
static inline bool bls_count_bad(const struct bls_count *c)
{
	return c->on && !c->left;
}

/* The counter right before the name's suffix (from its last '.'): the
 * last '+' before it, then decimal digits, then optionally '-' and
 * digits. Anything else (no digits, a sign, junk before the suffix, a
 * number above BLS_COUNT_MAX) is no counter: c->on false, returned. */
bool bls_count_parse(const char *name, struct bls_count *c);

/* Removes the name's counter, if any, in place: "a+3-1.conf" becomes
 * "a.conf", the entry's id for bootctl (and systemd-boot from 259 on). */
void bls_count_strip(char *name);

/* The name after one more try, as systemd-boot renames the file before
 * booting it: LEFT - 1 (0 stays 0), DONE + 1 (at most BLS_COUNT_MAX),
 * both in decimal without leading zeros ("a+3.conf" -> "a+2-1.conf").
 * -1 when the name carries no counter or out is too small. */
int bls_count_next(const char *name, char *out, size_t size);

#endif
