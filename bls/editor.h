/* The menu's command-line editor (`e`), as a line of text and a cursor
 * that keys change; the console draws it (efi/menu.c). Pure; tested on
 * the host. */
#ifndef BLS_EDITOR_H
#define BLS_EDITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "bls/entry.h"

enum editor_key {
	EDIT_INSERT,     /* a printable ASCII character */
	EDIT_LEFT, EDIT_RIGHT, EDIT_HOME, EDIT_END,
	EDIT_BACKSPACE,  /* the character before the cursor */
	EDIT_DELETE,     /* the character under it */
	EDIT_KILL,       /* everything from the cursor on (Ctrl-K) */
	EDIT_ACCEPT,     /* Enter */
	EDIT_CANCEL,     /* Esc */
};

enum editor_state { EDITING, EDIT_DONE, EDIT_CANCELLED };

/* text[0, len) in a buffer of cap bytes, NUL-terminated; the cursor a
 * byte offset at the start of a UTF-8 character. */
struct editor {
	char *text;
	size_t cap, len, cursor;
};

/* Edits the NUL-terminated text in buf[0, cap), the cursor at its end. */
void editor_start(struct editor *ed, char *buf, size_t cap);

/* Applies one key (c: the character of EDIT_INSERT; a full buffer or a
 * character that is not printable ASCII is ignored). */
enum editor_state editor_key(struct editor *ed, enum editor_key key, char c);

/* Characters (not bytes) before byte offset `at`: the cursor's column. */
size_t editor_column(const struct editor *ed, size_t at);

/* Why the editor may not change the entry's command line, as systemd-boot
 * decides; NULL when it may. Not with `editor no` in loader.conf
 * (editor false), not for automatic or broken entries, and under Secure
 * Boot (on, or its state unknown) not for unified kernel images: what
 * their signature covers is what boots. */
const char *bls_edit_refused(const struct bls_entry *e, bool editor,
			     bool secure_boot);

#endif
