#include "core/load.h"

#include "cpu/x86.h"
#include "core/options.h"
#include "core/machine.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"

/* Reads the file into its buffer, noting where and when, and checks it
 * against its pin. The time recorded includes opening it (open_cycles):
 * a file from a URL is fetched whole as it is opened, and its read is a
 * copy. */
static int read_recorded(struct load_record *rec, struct open_file *f,
			 const struct pin *pin, void *data, uint64_t open_cycles,
			 struct diag *d)
{
	struct loaded_file *r = NULL;
	uint64_t size = f->size;
	int rc;

	if (rec->n < sizeof(rec->file) / sizeof(rec->file[0]))
		r = &rec->file[rec->n++];
	if (r)
		*r = (struct loaded_file){ f->what, f->path, data, f->size,
					   rdtsc() - open_cycles, 0, pin };
	rc = file_read_from(f, 0, data, d);
	if (r)
		r->tsc_end = rdtsc();
	return rc ? rc : pin_check(pin, f->what, f->path, data, size, d);
}

int load_kernel_head(const char *path, const struct pin *pin,
		     struct open_file *f, const uint8_t **image, size_t *have,
		     struct load_record *rec, struct diag *d)
{
	/* the time of the read includes the opening: a URL's fetch */
	uint64_t start = rdtsc();
	uint8_t *buf;
	int rc;

	if ((rc = file_open(f, "kernel", path, d)))
		return rc;
	*have = 0;
	/* Already in memory (efikexec.mb's modules, a file fetched as it was
	 * opened): used where it is, and moved only if it lies in its own
	 * way (load_move_out_of()). */
	if ((*image = file_in_memory(f))) {
		rec->file[rec->n++] = (struct loaded_file){
			f->what, f->path, *image, f->size, start, rdtsc(), pin };
		file_close(f);
		return pin_check(pin, "kernel", path, *image, f->size, d);
	}
	*have = f->size < KERNEL_HEAD_SIZE ? f->size : KERNEL_HEAD_SIZE;
	*image = buf = pages_alloc(*have, UINT64_MAX, PAGES_FILE);
	if (!buf) {
		file_close(f);
		return diag_fail(d, ERR_NO_MEMORY,
				 "no memory for kernel '%s' (0x%lx bytes)", path,
				 (uint64_t)*have);
	}
	rec->file[rec->n] = (struct loaded_file){ f->what, f->path, buf, f->size,
						  start, 0, pin };
	rc = file_read_at(f, 0, buf, *have, d);
	rec->file[rec->n++].tsc_end = rdtsc();
	return rc;
}

int load_kernel_rest(struct open_file *f, size_t have, uint8_t *buf,
		     const uint8_t **image, struct load_record *rec,
		     struct diag *d)
{
	struct loaded_file *r = &rec->file[0];
	int rc;

	if (!buf && !(buf = pages_alloc(f->size, UINT64_MAX, PAGES_FILE))) {
		file_close(f);
		return diag_fail(d, ERR_NO_MEMORY,
				 "no memory for kernel '%s' (0x%lx bytes)",
				 f->path, f->size);
	}
	memcpy(buf, *image, have);
	*image = r->data = buf;
	/* the record's time: both reads, not what came between them */
	r->tsc_start += rdtsc() - r->tsc_end;
	rc = file_read_from(f, have, buf, d);
	r->tsc_end = rdtsc();
	return rc ? rc : pin_check(r->pin, r->what, r->path, buf, r->size, d);
}

int load_text(const char *what, const char *path, size_t max, char **text,
	      size_t *len, struct diag *d)
{
	struct open_file f;
	int rc;

	if ((rc = file_open(&f, what, path, d)))
		return rc;
	if (f.size > max) {
		file_close(&f);
		return diag_fail(d, ERR_BAD_IMAGE,
				 "%s '%s' is 0x%lx bytes, more than such a file can be (0x%zx)",
				 what, path, f.size, max);
	}
	/* room for a NUL after the text */
	*text = pages_alloc(f.size + 1, UINT64_MAX, PAGES_DATA);
	if (!*text) {
		file_close(&f);
		return diag_fail(d, ERR_NO_MEMORY, "no memory for %s '%s'", what, path);
	}
	*len = f.size;
	return file_read_from(&f, 0, *text, d);
}

int load_move_out_of(const uint8_t **image, size_t size, uint64_t dst,
		     uint64_t dst_size, struct diag *d)
{
	uint8_t *moved;

	if (!ranges_overlap(phys_of(*image), size, dst, dst_size))
		return 0;
	moved = pages_alloc(size, UINT64_MAX, PAGES_DATA);
	if (!moved)
		return diag_fail(d, ERR_NO_MEMORY,
				 "no memory to move the kernel out of its destination (0x%zx bytes)",
				 size);
	memcpy(moved, *image, size);
	*image = moved;
	return 0;
}

int load_claim(const struct memmap *m, uint64_t base, uint64_t size,
	       struct diag *d)
{
	uint64_t end = align_up(base + size, PAGE_SIZE);
	int rc;

	base = align_down(base, PAGE_SIZE); /* AllocatePages takes pages */
	for (size_t i = 0; i < m->n; i++) {
		const struct mem_range *r = &m->r[i];
		uint64_t lo = r->base > base ? r->base : base;
		uint64_t hi = r->base + r->size < end ? r->base + r->size : end;

		if (lo < hi && mem_free_now(r) && (rc = pages_claim(lo, hi - lo, d)))
			return rc;
	}
	return 0;
}

static void *alloc_below(const struct module_policy *pol, uint64_t size)
{
	void *buf = pages_alloc(size, pol->soft_max, PAGES_FILE);

	if (!buf && pol->hard_max != pol->soft_max)
		buf = pages_alloc(size, pol->hard_max, PAGES_FILE);
	return buf;
}

static int load_concatenated(const struct module_policy *pol,
			     const struct opt_module *in, size_t n,
			     struct module *out, struct load_record *rec,
			     struct diag *d)
{
	struct open_file f[OPT_MAX_MODULES];
	uint64_t open_cycles[OPT_MAX_MODULES];
	uint64_t total = 0, off = 0;
	uint8_t *buf;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t start = rdtsc();

		f[i] = (struct open_file){ .size = in[i].size };
		if (!in[i].data && (rc = file_open(&f[i], "initrd", in[i].path, d))) {
			while (i--)
				file_close(&f[i]);
			return rc;
		}
		open_cycles[i] = rdtsc() - start;
		/* GRUB and the EFI stub pad each initrd to 4 bytes: the
		 * kernel's cpio unpacker skips the zero padding. */
		total = align_up(total, 4) + f[i].size;
	}
	buf = alloc_below(pol, total);
	if (!buf) {
		for (size_t i = 0; i < n; i++)
			file_close(&f[i]);
		return diag_fail(d, ERR_NO_MEMORY,
				 "no memory for %zu initrd(s) of 0x%lx bytes below 0x%lx",
				 n, total, pol->hard_max);
	}
	for (size_t i = 0; i < n; i++) {
		/* the padding is zeroes (PAGES_FILE are not zeroed) */
		memset(buf + off, 0, align_up(off, 4) - off);
		off = align_up(off, 4);
		if (in[i].data)
			memcpy(buf + off, in[i].data, f[i].size);
		else if (!rc)
			rc = read_recorded(rec, &f[i], &in[i].pin, buf + off,
					   open_cycles[i], d);
		else
			file_close(&f[i]);
		off += f[i].size;
	}
	*out = (struct module){
		.path = in[0].path, .args = "", .addr = phys_of(buf), .size = total
	};
	return rc;
}

static int load_one(const struct module_policy *pol, const struct opt_module *in,
		    struct module *out, struct load_record *rec, struct diag *d)
{
	struct open_file f;
	uint64_t start = rdtsc(), open_cycles;
	uint8_t *buf;
	int rc;

	if ((rc = file_open(&f, "module", in->path, d)))
		return rc;
	open_cycles = rdtsc() - start;
	buf = alloc_below(pol, f.size);
	if (!buf) {
		file_close(&f);
		return diag_fail(d, ERR_NO_MEMORY,
				 "no memory for module '%s' (0x%lx bytes below 0x%lx)",
				 in->path, f.size, pol->hard_max);
	}
	*out = (struct module){ .path = in->path, .args = in->args,
				.addr = phys_of(buf), .size = f.size };
	return read_recorded(rec, &f, &in->pin, buf, open_cycles, d);
}

int load_modules(const struct module_policy *pol, const struct opt_module *in,
		 size_t n, struct module *out, size_t *nout,
		 struct load_record *rec, struct diag *d)
{
	int rc;

	*nout = 0;
	if (!n)
		return 0;
	if (pol->concatenate) {
		if ((rc = load_concatenated(pol, in, n, out, rec, d)))
			return rc;
		*nout = 1;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if ((rc = load_one(pol, &in[i], &out[i], rec, d)))
			return rc;
		*nout = i + 1;
	}
	return 0;
}
