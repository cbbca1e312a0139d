#include "core/extras.h"

#include "boot/cpio.h"
#include "boot/format.h"
#include "core/console.h"
#include "core/machine.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "lib/url.h"

/* The files in a directory the stub takes for one set: counted on a
 * first pass (files NULL), kept on a second, in room for what the first
 * counted (a file added in between is not taken). */
struct taken {
	const struct stub_extra *e;
	struct stub_file *files;
	char *bytes;
	size_t n, used, room_n, room_bytes;
	uint64_t total;
	/* one is too large for a cpio archive (32-bit sizes): the stub
	 * makes none of the set then */
	bool too_large;
};

static void take(void *ctx, const char *name, uint64_t size)
{
	struct taken *t = ctx;
	size_t len = strlen(name) + 1;

	if (!stub_extra_takes(t->e, name))
		return;
	if (size > UINT32_MAX)
		t->too_large = true;
	if (t->files) {
		if (t->n == t->room_n || t->used + len > t->room_bytes)
			return;
		t->files[t->n] = (struct stub_file){ t->bytes + t->used, size };
		memcpy(t->bytes + t->used, name, len);
	}
	t->n++;
	t->used += len;
	t->total += size;
}

/* The directory an archive's files come from, as file_open() takes it:
 * the image's own "<path>.extra.d", or a directory on the image's
 * volume (the path's "name:" mapping, if it has one, kept). */
static char *directory_of(const char *path, const struct stub_extra *e)
{
	size_t map = url_path_mapping(path);
	size_t n = strlen(path) + (e->from ? strlen(e->from) : 0) + sizeof(".extra.d");
	char *out = pages_alloc(n, UINT64_MAX, PAGES_DATA);

	if (!out)
		return NULL;
	if (e->from)
		fmt_snprintf(out, n, "%.*s%s", (int)map, path, e->from);
	else
		fmt_snprintf(out, n, "%s.extra.d", path);
	return out;
}

/* The path dir\name, in fresh pages; NULL, said, when there is no
 * memory for it. */
static char *path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + 1 + strlen(name) + 1;
	char *path = pages_alloc(n, UINT64_MAX, PAGES_DATA);

	if (!path) {
		con_warn("no memory to read '%s\\%s'", dir, name);
		return NULL;
	}
	fmt_snprintf(path, n, "%s\\%s", dir, name);
	return path;
}

/* Reads the file at path, of `size` bytes, to buf; false when it cannot
 * be read, or is no longer that size. */
static bool read_one(const char *path, uint64_t size, uint8_t *buf)
{
	struct open_file f;
	struct diag d;

	/* (efikexec's file_open() refuses an empty file: nothing to read) */
	if (!size)
		return true;
	if (file_open(&f, "file", path, &d)) {
		con_warn("%s", d.msg);
		return false;
	}
	if (f.size != size) {
		file_close(&f);
		con_warn("'%s' changed size while it was read", path);
		return false;
	}
	if (file_read_from(&f, 0, buf, &d)) {
		con_warn("%s", d.msg);
		return false;
	}
	return true;
}

/* The files of directory dir that the stub takes for t->e, in t, in the
 * order it takes them; false when there are none. */
static bool list_taken(const char *dir, struct taken *t)
{
	struct diag d;

	/* no directory is the usual case: nothing to say */
	if (file_list_dir("directory", dir, take, t, &d) || !t->n)
		return false;
	t->files = pages_alloc(t->n * sizeof(*t->files), UINT64_MAX, PAGES_DATA);
	t->bytes = pages_alloc(t->used, UINT64_MAX, PAGES_DATA);
	if (!t->files || !t->bytes) {
		con_warn("no memory for the files of '%s': left out", dir);
		return false;
	}
	t->room_n = t->n;
	t->room_bytes = t->used;
	t->n = t->used = 0;
	t->total = 0;
	if (file_list_dir("directory", dir, take, t, &d)) {
		con_warn("%s: left out", d.msg);
		return false;
	}
	stub_extra_sort(t->files, t->n);
	return t->n;
}

/* The archive `name` of the n files, total bytes together, that e puts
 * in its directory, in that order: each read from dir, or with dir NULL
 * the one file's bytes at data. False when there is no memory for it. */
static bool make_archive(const struct stub_extra *e, const char *name,
			 const struct stub_file *files, size_t n, uint64_t total,
			 const char *dir, const uint8_t *data,
			 struct extra_archive *a)
{
	uint8_t *buf;
	size_t size, at;
	uint32_t inode = 1;

	/* the most it can take: every file with its header and padding */
	size = cpio_dirs(NULL, 0, e->dir, e->dir_mode, &inode);
	for (size_t i = 0; i < n; i++)
		size += cpio_file_header(NULL, 0, e->dir, files[i].name,
					 e->file_mode, 0, &inode) + 3;
	size += total + cpio_trailer(NULL, 0);
	if (!(buf = pages_alloc(size, UINT64_MAX, PAGES_DATA))) {
		con_warn("no memory for the archive of %s (%zu bytes): left out",
			 name, size);
		return false;
	}
	inode = 1;
	at = cpio_dirs(buf, 0, e->dir, e->dir_mode, &inode);
	for (size_t i = 0; i < n; i++) {
		const struct stub_file *one = &files[i];
		size_t header = cpio_file_header(buf, at, e->dir, one->name,
						 e->file_mode, (uint32_t)one->size,
						 &inode);
		char *path;

		if (!dir) {
			memcpy(buf + at + header, data, one->size);
		} else if (!(path = path_in(dir, one->name)) ||
			   !read_one(path, one->size, buf + at + header)) {
			/* one that cannot be read is left out, as the stub
			 * leaves it out: its header and inode taken back */
			con_warn("'%s' left out of %s", one->name, e->dir);
			inode--;
			continue;
		}
		at += header + one->size;
		at += cpio_pad(buf, at);
	}
	at += cpio_trailer(buf, at);
	*a = (struct extra_archive){ e->id, name, buf, at, e->pcr,
				     e->description };
	return true;
}

/* An archive of the files of e's directory the stub takes, in its order;
 * false when there are none (the stub makes no archive then). */
static bool from_directory(const char *path, const struct stub_extra *e,
			   struct extra_archive *a)
{
	struct taken t = { .e = e };
	char *dir = directory_of(path, e);

	if (!dir || !list_taken(dir, &t))
		return false;
	if (t.too_large) {
		con_warn("a file in '%s' is 4 GiB or larger, more than a cpio archive holds: none of %s is passed",
			 dir, e->dir);
		return false;
	}
	return make_archive(e, e->dir, t.files, t.n, t.total, dir, NULL, a);
}

/* The archive of one section of u as the file e->file */
static bool from_section(const uint8_t *file, const struct uki *u,
			 const struct stub_extra *e, struct extra_archive *a)
{
	const struct uki_section *sec = &u->sec[e->section];
	const struct stub_file one = { e->file, sec->size };

	return make_archive(e, e->file, &one, 1, sec->size, NULL,
			    file + sec->offset, a);
}

size_t extras_make(const char *path, const uint8_t *file, const struct uki *u,
		   const struct stub_release *r, struct extra_archive out[EXTRA_N])
{
	struct stub_extra e[EXTRA_N];
	size_t n = stub_extras(r, u, e), made = 0;
	/* a file fetched from a URL has no directory beside it */
	bool beside = url_scheme_of(path) == URL_NONE;

	for (size_t i = 0; i < n; i++)
		if (e[i].section != STUB_END ?
		    from_section(file, u, &e[i], &out[made]) :
		    beside && from_directory(path, &e[i], &out[made]))
			made++;
	return made;
}

/* Appends the .cmdline of add-on a (its bytes at file) to line (len
 * bytes so far), as the stub r joins them: up to its first NUL, after a
 * space when the line has something; cleaned on its own first, and the
 * space put in even when nothing is left of it, when r cleans each
 * (addon_lines_each). Returns the new length. */
static size_t join_cmdline(char *line, size_t len, const uint8_t *file,
			   const struct uki *a, const struct stub_release *r)
{
	const struct uki_section *c = &a->sec[UKI_CMDLINE];
	size_t n = 0;

	if (!c->present)
		return len;
	while (n < c->size && file[c->offset + n])
		n++;
	if (len && (n || r->addon_lines_each))
		line[len++] = ' ';
	if (r->addon_lines_each)
		return len + stub_cmdline_clean(r->cmdline, file + c->offset, n,
						line + len, n + 1);
	memcpy(line + len, file + c->offset, n);
	len += n;
	line[len] = '\0';
	return len;
}

/* The sections of an add-on besides its .cmdline that a stub may take,
 * each an addon_part */
static const enum uki_section_id part_sections[] = { UKI_DTB, UKI_UCODE,
						     UKI_INITRD };
#define NPART_SECTIONS (sizeof(part_sections) / sizeof(part_sections[0]))

/* The add-on dir\name of `size` bytes, read, verified and judged as the
 * stub judges it; if it is taken, its .cmdline appended to line (len
 * bytes so far), and its .dtb, .ucode and .initrd, those r takes, to
 * parts (*nparts so far): a .ucode at the front, as the stub loads and
 * measures the add-ons' in reverse order, the others at the end.
 * Returns the new length. */
static size_t one_addon(const char *dir, const char *name, uint64_t size,
			const uint8_t *file, const struct uki *u,
			const struct stub_release *r, bool dry_run, char *line,
			size_t len, struct addon_part *parts, size_t *nparts)
{
	const struct uki_section *uname = &u->sec[UKI_UNAME];
	char *path = path_in(dir, name);
	uint8_t *buf;
	struct uki a;
	struct diag d;

	if (!path)
		return len;
	if (!(buf = pages_alloc(size ? size : 1, UINT64_MAX, PAGES_DATA))) {
		con_warn("no memory for the add-on '%s' (%llu bytes): left out",
			 path, (unsigned long long)size);
		return len;
	}
	if (!read_one(path, size, buf))
		return len;
	/* a PE image the firmware verifies as it verifies the image; the
	 * stub loads it with LoadImage(), which refuses it just as well */
	if (pe_sections_parse(buf, size, size, &a, &d) ||
	    secure_boot_check(format_by_name("linux"), path, buf, size, dry_run, &d)) {
		con_warn("add-on '%s' left out: %s", path, d.msg);
		return len;
	}
	switch (stub_addon_check(r, buf, &a,
				 uname->present ? (const char *)file + uname->offset : NULL,
				 uname->present ? uname->size : 0)) {
	case ADDON_NOTHING:
		con_warn("add-on '%s' has none of the sections systemd-stub %u takes from one: left out, as it leaves it out",
			 path, r->since.major);
		return len;
	case ADDON_IS_UKI:
		con_warn("add-on '%s' has a .linux, it is a unified kernel image: left out, as systemd-stub leaves it out",
			 path);
		return len;
	case ADDON_UNAME:
		con_warn("add-on '%s' is for another kernel (.uname): left out, as systemd-stub leaves it out",
			 path);
		return len;
	case ADDON_TAKEN:
		break;
	}
	for (size_t i = 0; i < NPART_SECTIONS; i++) {
		enum uki_section_id id = part_sections[i];
		const struct uki_section *sec = &a.sec[id];
		struct addon_part *at = parts + *nparts;

		if (!sec->present || !stub_addon_takes(r, id))
			continue;
		if (id == UKI_DTB)
			con_warn("add-on '%s': its .dtb is measured, not installed (efikexec installs no add-on's devicetree)",
				 path);
		if (id == UKI_UCODE) {
			memmove(parts + 1, parts, *nparts * sizeof(*parts));
			at = parts;
		}
		*at = (struct addon_part){ id, name, buf + sec->offset, sec->size };
		(*nparts)++;
	}
	return join_cmdline(line, len, buf, &a, r);
}

void extras_addons(const char *path, const uint8_t *file, const struct uki *u,
		   const struct stub_release *r, bool dry_run,
		   struct stub_lines *l)
{
	struct stub_extra e[2];
	size_t n = stub_addon_dirs(r, e);
	const char *joined[2] = { "", "" };
	char *buf;

	l->naddons = l->nparts = 0;
	l->parts = NULL;
	/* a file fetched from a URL has no directory beside it */
	if (url_scheme_of(path) != URL_NONE)
		return;
	for (size_t i = 0; i < n; i++) {
		struct taken t = { .e = &e[i] };
		char *dir = directory_of(path, &e[i]), *line;
		struct addon_part *parts;
		size_t len = 0;

		if (!dir || !list_taken(dir, &t))
			continue;
		/* room for every file whole, a space before each; and for
		 * the parts of each, with the earlier directory's */
		if (t.total > SIZE_MAX / 2 ||
		    !(line = pages_alloc(t.total + t.n + 1, UINT64_MAX, PAGES_DATA)) ||
		    !(parts = pages_alloc((l->nparts + NPART_SECTIONS * t.n) *
					  sizeof(*parts), UINT64_MAX, PAGES_DATA))) {
			con_warn("no memory for the add-ons of '%s': left out", dir);
			continue;
		}
		if (l->nparts)
			memcpy(parts, l->parts, l->nparts * sizeof(*parts));
		l->parts = parts;
		line[0] = '\0';
		for (size_t k = 0; k < t.n; k++)
			len = one_addon(dir, t.files[k].name, t.files[k].size, file,
					u, r, dry_run, line, len, parts, &l->nparts);
		joined[i] = line;
	}
	if (!*joined[0] && !*joined[1])
		return;
	buf = pages_alloc(strlen(joined[0]) + strlen(joined[1]) + 2, UINT64_MAX,
			  PAGES_DATA);
	if (!buf) {
		con_warn("no memory for the add-ons' command lines: left out");
		return;
	}
	l->naddons = stub_addon_lines(r, joined[0], joined[1], buf, l->addons);
}
