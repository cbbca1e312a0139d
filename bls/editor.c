#include "bls/editor.h"

#include "bls/auto_entries.h"
#include "lib/mem.h"

/* UTF-8 continuation bytes: 10xxxxxx */
static bool continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t prev_char(const struct editor *ed, size_t at)
{
	if (!at)
		return 0;
	do
		at--;
	while (at && continuation(ed->text[at]));
	return at;
}

static size_t next_char(const struct editor *ed, size_t at)
{
	if (at >= ed->len)
		return ed->len;
	do
		at++;
	while (at < ed->len && continuation(ed->text[at]));
	return at;
}

/* Removes text[from, to). */
static void cut(struct editor *ed, size_t from, size_t to)
{
	memmove(ed->text + from, ed->text + to, ed->len - to + 1);
	ed->len -= to - from;
	ed->cursor = from;
}

void editor_start(struct editor *ed, char *buf, size_t cap)
{
	ed->text = buf;
	ed->cap = cap;
	ed->len = ed->cursor = strlen(buf);
}

enum editor_state editor_key(struct editor *ed, enum editor_key key, char c)
{
	switch (key) {
	case EDIT_INSERT:
		if (c < ' ' || c > '~' || ed->len + 1 >= ed->cap)
			break;
		memmove(ed->text + ed->cursor + 1, ed->text + ed->cursor,
			ed->len - ed->cursor + 1);
		ed->text[ed->cursor++] = c;
		ed->len++;
		break;
	case EDIT_LEFT:
		ed->cursor = prev_char(ed, ed->cursor);
		break;
	case EDIT_RIGHT:
		ed->cursor = next_char(ed, ed->cursor);
		break;
	case EDIT_HOME:
		ed->cursor = 0;
		break;
	case EDIT_END:
		ed->cursor = ed->len;
		break;
	case EDIT_BACKSPACE:
		if (ed->cursor)
			cut(ed, prev_char(ed, ed->cursor), ed->cursor);
		break;
	case EDIT_DELETE:
		cut(ed, ed->cursor, next_char(ed, ed->cursor));
		break;
	case EDIT_KILL:
		cut(ed, ed->cursor, ed->len);
		break;
	case EDIT_ACCEPT:
		return EDIT_DONE;
	case EDIT_CANCEL:
		return EDIT_CANCELLED;
	}
	return EDITING;
}

size_t editor_column(const struct editor *ed, size_t at)
{
	size_t n = 0;

	for (size_t i = 0; i < at && i < ed->len; i++)
		n += !continuation(ed->text[i]);
	return n;
}

const char *bls_edit_refused(const struct bls_entry *e, bool editor,
			     bool secure_boot)
{
	if (!editor)
		return "the editor is off (loader.conf: editor no)";
	if (bls_is_auto_id(e->id) || e->broken.code)
		return "this entry has no command line to edit";
	if (secure_boot && e->uki)
		return "Secure Boot: a unified kernel image boots its own command line";
	return NULL;
}
