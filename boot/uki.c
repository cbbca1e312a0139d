/* Unified kernel images (UAPI.5 "Unified Kernel Images"): the PE headers
 * as far as finding the sections needs them (Microsoft "PE Format"), and
 * the values of .osrel for the menu. What the image's systemd-stub does
 * with the sections, release by release: boot/systemd_stub.c. */
#include "boot/uki.h"

#include "lib/bytes.h"
#include "lib/fmt.h"
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
 * ".linux" is not ".linuxX" (systemd 257 compares them so and takes the
 * first of repeated sections; up to 256 it compared only the name's
 * length and took the last: struct uki's prefixed, and we refuse a
 * repeat within a profile). Rows of 9 bytes, not pointers to literals, so that all 8 can
 * be read. */
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
	[UKI_PROFILE] = ".profile",
	[UKI_DTBAUTO] = ".dtbauto",
	[UKI_HWIDS] = ".hwids",
	[UKI_EFIFW] = ".efifw",
	[UKI_SDMAGIC] = ".sdmagic",
};

const char *uki_section_name(enum uki_section_id id)
{
	return names[id];
}

static int known(const uint8_t *name)
{
	for (int id = 0; id < UKI_NSECTIONS; id++)
		if (!memcmp(name, names[id], 8))
			return id;
	return -1;
}

/* The sections whose names the 8-byte name begins with without being
 * theirs (struct uki's prefixed). */
static uint32_t prefix_of(const uint8_t *name)
{
	uint32_t bits = 0;

	for (int id = 0; id < UKI_NSECTIONS; id++) {
		size_t n = strlen(names[id]);

		if (!memcmp(name, names[id], n) && memcmp(name, names[id], 8))
			bits |= 1u << id;
	}
	return bits;
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

/* The section table of a PE32+ x86-64 image within head: its offset and
 * number of entries. */
static int section_table(const uint8_t *head, size_t head_size, size_t *tab,
			 unsigned *nsec, struct diag *d)
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
	*nsec = get16(head + pe + COFF_NSECTIONS);
	*tab = pe + OPT_HDR + get16(head + pe + COFF_OPTSIZE);
	if (*nsec > MAX_SECTIONS)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "UKI: NumberOfSections %u at offset 0x%zx is more than %u",
				 *nsec, pe + COFF_NSECTIONS, MAX_SECTIONS);
	if (*tab + *nsec * SEC_SIZE > head_size)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "UKI: section table at offset 0x%zx + %u x 40 bytes runs past the 0x%zx bytes read",
				 *tab, *nsec, head_size);
	return 0;
}

/* The known sections among entries [from, to) of the section table at
 * head + tab, into u (cleared first), checked as pe_sections_parse()
 * says; *found gets bit (1 << id) for each, empty ones too. */
static int parse_sections(const uint8_t *head, size_t tab, unsigned from,
			  unsigned to, size_t file_size, struct uki *u,
			  unsigned *found, struct diag *d)
{
	unsigned seen = 0;

	*u = (struct uki){ 0 };
	*found = 0;
	for (unsigned i = from; i < to; i++) {
		const uint8_t *h = head + tab + i * SEC_SIZE;
		int id = known(h);

		u->prefixed |= prefix_of(h);
		if (id < 0)
			continue;
		uint32_t vsize = get32(h + SEC_VSIZE), raw = get32(h + SEC_RAWSIZE),
			 ptr = get32(h + SEC_RAWPTR);
		/* one for each machine: the stub picks one, efikexec none */
		if ((seen & (1u << id)) && (id == UKI_DTBAUTO || id == UKI_EFIFW))
			continue;
		/* UAPI.5: each of the others appears at most once; a second
		 * could be the one measured or the one booted */
		if (seen & (1u << id))
			return diag_fail(d, ERR_BAD_IMAGE,
					 "UKI section %u ('%s') repeats an earlier one",
					 i, names[id]);
		seen |= 1u << id;
		*found = seen;
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
	return 0;
}

int pe_sections_parse(const uint8_t *head, size_t head_size, size_t file_size,
		      struct uki *u, struct diag *d)
{
	size_t tab = 0;
	unsigned nsec = 0, found;
	int rc = section_table(head, head_size, &tab, &nsec, d);

	return rc ? rc : parse_sections(head, tab, 0, nsec, file_size, u, &found, d);
}

/* The entry of the section table at head + tab (nsec entries) where
 * profile n starts: its .profile; nsec when there is none. */
static unsigned profile_start(const uint8_t *head, size_t tab, unsigned nsec,
			      unsigned n)
{
	unsigned seen = 0;

	for (unsigned i = 0; i < nsec; i++)
		if (known(head + tab + i * SEC_SIZE) == UKI_PROFILE && seen++ == n)
			return i;
	return nsec;
}

int uki_parse_profile(const uint8_t *head, size_t head_size, size_t file_size,
		      unsigned profile, struct uki *u, struct diag *d)
{
	size_t tab = 0;
	unsigned nsec = 0, start, end, n = 0, found;
	struct uki own;
	int rc = section_table(head, head_size, &tab, &nsec, d);

	if (rc)
		return rc;
	while (profile_start(head, tab, nsec, n) < nsec)
		n++;
	/* the base: the sections before the first .profile */
	if ((rc = parse_sections(head, tab, 0, profile_start(head, tab, nsec, 0),
				 file_size, u, &found, d)))
		return rc;
	u->profiles = n;
	/* (257: the first profile is implied when there is none) */
	if (profile >= n && !(profile == 0 && n == 0))
		return diag_fail(d, ERR_BAD_IMAGE,
				 "UKI has no profile %u: it has %u (.profile sections)",
				 profile, n);
	start = profile_start(head, tab, nsec, profile);
	end = profile_start(head, tab, nsec, profile + 1);
	if ((rc = parse_sections(head, tab, start, end, file_size, &own, &found, d)))
		return rc;
	/* each of the profile's own sections in place of the base's. An
	 * empty one where the base has one: whether it clears the base's
	 * differs between systemd's sources; refused rather than guessed */
	for (int id = 0; id < UKI_NSECTIONS; id++) {
		if (own.sec[id].present)
			u->sec[id] = own.sec[id];
		else if ((found & (1u << id)) && u->sec[id].present)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "UKI profile %u has an empty '%s' section where its base has one: systemd-stub releases differ on which applies",
					 profile, names[id]);
	}
	u->prefixed |= own.prefixed;
	if (!u->sec[UKI_LINUX].present)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "UKI has no .linux section, or an empty one, in its base or its profile %u",
				 profile);
	return 0;
}

int uki_parse_head(const uint8_t *head, size_t head_size, size_t file_size,
		   struct uki *u, struct diag *d)
{
	int rc = pe_sections_parse(head, head_size, file_size, u, d);

	if (rc)
		return rc;
	if (!u->sec[UKI_LINUX].present)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "UKI has no .linux section, or an empty one (%u sections)",
				 get16(head + pe_header(head, head_size) + COFF_NSECTIONS));
	return 0;
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

void uki_profile_entry(const char *name, const char *text, size_t len,
		       unsigned profile, char *title, size_t cap, char *suffix,
		       size_t suffix_cap)
{
	char id[64], label[128];
	bool has_id = text && uki_osrel_value(text, len, "ID", id, sizeof(id));
	bool has_title = text && uki_osrel_value(text, len, "TITLE", label, sizeof(label));

	if (has_title)
		fmt_snprintf(title, cap, "%s (%s)", name, label);
	else if (profile && has_id)
		fmt_snprintf(title, cap, "%s (%s)", name, id);
	else if (profile)
		fmt_snprintf(title, cap, "%s (Profile #%u)", name, profile + 1);
	else
		fmt_snprintf(title, cap, "%s", name);
	/* (boot.c gives the first profile's entry the image's id alone) */
	if (!profile)
		fmt_snprintf(suffix, suffix_cap, "%s", "");
	else if (has_id)
		fmt_snprintf(suffix, suffix_cap, "@%s", id);
	else
		fmt_snprintf(suffix, suffix_cap, "@%u", profile);
}
