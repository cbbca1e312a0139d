/* Shell-style wildcard matching, for loader.conf's "default" pattern. */
#ifndef LIB_GLOB_H
#define LIB_GLOB_H

#include <stdbool.h>

/* Whether s matches pattern: '*' any run of characters, '?' one character,
 * "[abc]", "[a-z]" and "[!a-z]" (or "[^a-z]") one character of (or not
 * of) a set, '\' makes the next character literal. ASCII letters match
 * without regard to case, as systemd-boot matches entry names. */
bool glob_match(const char *pattern, const char *s);

#endif
