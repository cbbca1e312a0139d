/* Included first by the position-independent probe build: every symbol is
 * the image's own, so reached relative to RIP, never through a GOT that a
 * static link would fill with absolute addresses. */
#pragma GCC visibility push(hidden)
