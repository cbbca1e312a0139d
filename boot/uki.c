/* Unified kernel images (UAPI.5 "Unified Kernel Images"): the PE headers
 * as far as finding the sections needs them (Microsoft "PE Format"), and
 * what systemd-stub makes of .osrel and .cmdline. */
#include "boot/uki.h"

#include "lib/bytes.h"
#include "lib/mem.h"

/* PE Format, "MS-DOS Stub": the PE signature's offset at 0x3c; "Signature",
 * "COFF File Header" (20 bytes) after it, then the optional header whose
 * first field is its magic; "Section Table": 40 bytes an entry. */
#define E_LFANEW 0x3c
#define COFF_MACHINE 4
#define COFF_NSECTIONS 6
#define COFF_OPTSIZE 20
#define OPT_HDR 24
#define PE32PLUS 0x20b
#define MACHINE_X64 0x8664
#define SEC_SIZE 40
#define SEC_VSIZE 8
#define SEC_RAWSIZE 16
#define SEC_RAWPTR 20
/* PE Format, "COFF File Header": the Windows loader takes at most 96
 * sections; systemd-stub's own PE code refuses more too. */
#define MAX_SECTIONS 96

/* Names as the 8-byte, NUL-padded field holds them: compared whole, so
 * ".linux" is not ".linuxX" (systemd 252 compared only the name's length
 * and took the last of repeated sections; we refuse a repeat instead).
 * Rows of 9 bytes, not pointers to literals, so that all 8 can be read. */
static const char names[UKI_NSECTIONS][9] = {
	[UKI_LINUX] = ".linux",
	[UKI_OSREL] = ".osrel",
	[UKI_CMDLINE] = ".cmdline",
	[UKI_INITRD] = ".initrd",
	[UKI_UCODE] = ".ucode",
	[UKI_SPLASH] = ".splash",
	[UKI_DTB] = ".dtb",
	[UKI_UNAME] = ".uname",
	[UKI_SBAT] = ".sbat",
	[UKI_PCRSIG] = ".pcrsig",
	[UKI_PCRPKEY] = ".pcrpkey",
	[UKI_SDMAGIC] = ".sdmagic",
};

const char *uki_section_name(enum uki_section_id id)
{
	return names[id];
}

unsigned uki_stub_version(const uint8_t *file, const struct uki *u)
{
	static const char tag[] = "systemd-stub ";
	const struct uki_section *s = &u->sec[UKI_SDMAGIC];
	unsigned v = 0;

	for (size_t i = 0; s->present && i + sizeof(tag) <= s->size; i++)
		if (!memcmp(file + s->offset + i, tag, sizeof(tag) - 1)) {
			for (i += sizeof(tag) - 1; i < s->size && v < 100000 &&
			     file[s->offset + i] >= '0' && file[s->offset + i] <= '9'; i++)
				v = v * 10 + (file[s->offset + i] - '0');
			break;
		}
	return v;
}

/* systemd-stub measures every section it knows but .pcrsig (UAPI.5, "UKI
 * TPM PCR Measurements"). Up to 252 (src/fundamental/tpm-pcr.h) it knew
 * .linux .osrel .cmdline .initrd .splash .dtb .pcrsig .pcrpkey; .uname,
 * .sbat and .ucode joined the list later (so did .profile, of
 * multi-profile images, which this code ignores with the other unknown
 * sections). Its own .sbat is in every image: measuring it for a 252 stub
 * would give another PCR 11 than the stub (and Debian 12's
 * systemd-measure) does. An image that names no version is measured as
 * the specification says. */
bool uki_measured(enum uki_section_id id, unsigned stub_version)
{
	if (stub_version && stub_version <= 252 &&
	    (id == UKI_UCODE || id == UKI_UNAME || id == UKI_SBAT))
		return false;
	return id != UKI_PCRSIG && id != UKI_SDMAGIC;
}

static int known(const uint8_t *name)
{
	for (int id = 0; id < UKI_NSECTIONS; id++)
		if (!memcmp(name, names[id], 8))
			return id;
	return -1;
}

size_t pe_header(const uint8_t *f, size_t n)
{
	size_t pe;

	if (n < E_LFANEW + 4 || f[0] != 'M' || f[1] != 'Z')
		return 0;
	/* never 0 past this: "PE\0\0" cannot be where "MZ" is */
	pe = get32(f + E_LFANEW);
	if (pe > n - OPT_HDR - 2 || memcmp(f + pe, "PE\0\0", 4))
		return 0;
	return pe;
}

bool uki_detect(const uint8_t *file, size_t size)
{
	size_t pe = pe_header(file, size);

	if (!pe || get16(file + pe + OPT_HDR) != PE32PLUS)
		return false;
	unsigned nsec = get16(file + pe + COFF_NSECTIONS);
	size_t tab = pe + OPT_HDR + get16(file + pe + COFF_OPTSIZE);
	for (unsigned i = 0; i < nsec && tab + (i + 1) * SEC_SIZE <= size; i++)
		if (known(file + tab + i * SEC_SIZE) == UKI_LINUX)
			return true;
	return false;
}

int uki_parse_head(const uint8_t *head, size_t head_size, size_t file_size,
		   struct uki *u, struct diag *d)
{
	size_t pe = pe_header(head, head_size);

	/* (uki_detect() said yes before: this is for other callers) */
	if (!pe || get16(head + pe + OPT_HDR) != PE32PLUS)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "UKI: no PE32+ header (\"MZ\", e_lfanew at 0x3c, \"PE\\0\\0\", magic 0x20b) in the 0x%zx bytes read",
				 head_size);
	if (get16(head + pe + COFF_MACHINE) != MACHINE_X64)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "UKI: machine 0x%x at offset 0x%zx is not x86-64 (0x8664)",
				 get16(head + pe + COFF_MACHINE), pe + COFF_MACHINE);
	unsigned nsec = get16(head + pe + COFF_NSECTIONS);
	size_t tab = pe + OPT_HDR + get16(head + pe + COFF_OPTSIZE);
	if (nsec > MAX_SECTIONS)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "UKI: NumberOfSections %u at offset 0x%zx is more than %u",
				 nsec, pe + COFF_NSECTIONS, MAX_SECTIONS);
	if (tab + nsec * SEC_SIZE > head_size)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "UKI: section table at offset 0x%zx + %u x 40 bytes runs past the 0x%zx bytes read",
				 tab, nsec, head_size);

	unsigned seen = 0;
	*u = (struct uki){ 0 };
	for (unsigned i = 0; i < nsec; i++) {
		const uint8_t *h = head + tab + i * SEC_SIZE;
		int id = known(h);
		if (id < 0)
			continue;
		uint32_t vsize = get32(h + SEC_VSIZE), raw = get32(h + SEC_RAWSIZE),
			 ptr = get32(h + SEC_RAWPTR);
		/* UAPI.5: each of these sections appears at most once; a
		 * second could be the one measured or the one booted */
		if (seen & (1u << id))
			return diag_fail(d, ERR_BAD_IMAGE,
					 "UKI section %u ('%s') repeats an earlier one",
					 i, names[id]);
		seen |= 1u << id;
		if (vsize > raw)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "UKI section %u ('%s'): VirtualSize 0x%x > SizeOfRawData 0x%x",
					 i, names[id], vsize, raw);
		if ((uint64_t)ptr + vsize > file_size)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "UKI section %u ('%s') at file offset 0x%x + 0x%x bytes runs past the 0x%zx-byte file",
					 i, names[id], ptr, vsize, file_size);
		/* systemd-stub: the VirtualSize bytes, as loaded; an empty
		 * section counts as absent */
		u->sec[id] = (struct uki_section){ ptr, vsize, vsize != 0 };
	}
	if (!u->sec[UKI_LINUX].present)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "UKI has no .linux section, or an empty one (%u sections)",
				 nsec);
	return 0;
}

int uki_parse(const uint8_t *file, size_t size, struct uki *u, struct diag *d)
{
	return uki_parse_head(file, size, size, u, d);
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* One value, unquoted as a shell would (os-release(5)): '...' literal,
 * "..." with \ escaping " \ ` $, a bare \ escaping any character; blanks
 * outside quotes dropped at either end. A value ends with its line. */
static void unquote(const char *v, size_t n, char *out, size_t cap)
{
	size_t o = 0, keep = 0;
	char q = 0;

	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		bool lit = q;

		if (c == q) {
			q = 0;
			keep = o;
			continue;
		}
		if (!q && (c == '"' || c == '\'')) {
			q = c;
			continue;
		}
		if (c == '\\' && q != '\'' && i + 1 < n &&
		    (!q || v[i + 1] == '"' || v[i + 1] == '\\' ||
		     v[i + 1] == '`' || v[i + 1] == '$')) {
			c = v[++i];
			lit = true;
		}
		if (!lit && blank(c) && !o)
			continue;
		if (o + 1 < cap)
			out[o++] = c;
		if (lit || !blank(c))
			keep = o;
	}
	out[keep] = '\0';
}

bool uki_osrel_value(const char *text, size_t len, const char *key, char *out,
		     size_t cap)
{
	size_t klen = strlen(key), n = 0;
	bool found = false;

	if (!cap)
		return false;
	while (n < len && text[n])
		n++;
	for (size_t i = 0, eol; i < n; i = eol + 1) {
		for (eol = i; eol < n && text[eol] != '\n'; eol++)
			;
		while (i < eol && blank(text[i]))
			i++;
		if (eol - i > klen && text[i] != '#' && text[i + klen] == '=' &&
		    !memcmp(text + i, key, klen)) {
			unquote(text + i + klen + 1, eol - i - klen - 1, out, cap);
			found = true;
		}
	}
	return found;
}

/* systemd-stub's mangle_stub_cmdline() as it is now: the .cmdline's bytes
 * up to the first NUL, whitespace dropped at both ends, each control
 * character (and DEL) a space. systemd 252 passed the section unchanged;
 * 253 turned control characters into spaces and dropped trailing
 * whitespace, 255 leading whitespace too. Bytes from 0x80 stay as they
 * are: the stub decodes them as UTF-8, the kernel's EFI stub encodes them
 * back. */
size_t uki_cmdline(const uint8_t *data, size_t len, char *out, size_t cap)
{
	size_t n = 0, keep = 0;

	for (size_t i = 0; i < len && data[i]; i++) {
		char c = data[i] <= ' ' || data[i] == 0x7f ? ' ' : (char)data[i];

		if (c == ' ' && !keep)
			continue;
		if (n + 1 < cap)
			out[n] = c;
		n++;
		if (c != ' ')
			keep = n;
	}
	if (cap)
		out[keep < cap ? keep : cap - 1] = '\0';
	return keep;
}
