/* Unified kernel images (boot/uki.h): the bytes as a whole file, as the
 * first part of a larger one (listing reads only the headers), as
 * os-release text and as a command line cleaned by each systemd-stub
 * release's rule, with what the image's stub does with it (its /.extra
 * archives among it); and a file that parses as one booted with
 * --format auto, with files beside it named by its first bytes, through
 * the boot sequence to a validated plan (test/fuzz/simulated_machine.c),
 * with itself for an add-on and an SMBIOS table; and as an add-on and as
 * an SMBIOS table. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/smbios.h"
#include "boot/systemd_stub.h"
#include "boot/uki.h"
#include "simulated_machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A line cleaned by each release's rule: truncated to the room given,
 * with what the rule takes out taken out */
static void check_cmdline(const uint8_t *p, size_t n, size_t cap)
{
	char *out = malloc(cap ? cap : 1);

	for (int rule = CMDLINE_AS_GIVEN; rule <= CMDLINE_TRIM; rule++) {
		size_t len = stub_cmdline_clean(rule, p, n, out, cap);

		if (!cap)
			continue;
		size_t got = strlen(out);
		if (got >= cap || (len < cap && got != len) ||
		    (len >= cap && got != cap - 1) || len > n)
			abort();
		for (size_t i = 0; i < got && rule != CMDLINE_AS_GIVEN; i++)
			if ((unsigned char)out[i] < ' ' ||
			    (rule == CMDLINE_TRIM && out[i] == 0x7f))
				abort();
		if (got && len < cap &&
		    (((rule == CMDLINE_CHOP_END || rule == CMDLINE_TRIM) &&
		      out[got - 1] == ' ') ||
		     (rule == CMDLINE_TRIM && out[0] == ' ')))
			abort();
	}
	free(out);
}

/* The archives r makes for u: in its order, each of a section u has or
 * of a directory, measured into a PCR the stub uses; and whether it takes
 * a file named `name`: only one it could name */
static void check_extras(const struct stub_release *r, const struct uki *u,
			 const char *name)
{
	struct stub_extra e[EXTRA_N];
	size_t n = stub_extras(r, u, e), len = strlen(name);

	for (size_t i = 0; i < n; i++) {
		if ((i && e[i].id <= e[i - 1].id) ||
		    (e[i].section != STUB_END && !u->sec[e[i].section].present) ||
		    (e[i].pcr && e[i].pcr != 4 && e[i].pcr != 8 &&
		     e[i].pcr != 12 && e[i].pcr != 13))
			abort();
		if (stub_extra_takes(&e[i], name) &&
		    (e[i].section != STUB_END || name[0] == '.' || len > 255 ||
		     len < strlen(e[i].suffix)))
			abort();
	}
}

/* The input as an add-on of the image's stub: a verdict, and lines no
 * longer than what they were made of; and as an SMBIOS table: a value
 * found is a string whole within it */
static void check_addon(const struct stub_release *r, const uint8_t *data,
			size_t size)
{
	struct uki a;
	struct diag d;
	char line[65], buf[2 * 65 + 2];
	const char *lines[2];
	size_t n;

	if (!pe_sections_parse(data, size, size, &a, &d))
		(void)stub_addon_check(r, data, &a, (const char *)data,
				       size < 16 ? size : 16);
	memcpy(line, data, size < 64 ? size : 64);
	line[size < 64 ? size : 64] = '\0';
	n = stub_addon_lines(r, line, line, buf, lines);
	for (size_t i = 0; i < n; i++)
		if (!*lines[i] || strlen(lines[i]) > 2 * strlen(line) + 1)
			abort();
}

static void check_smbios(const uint8_t *data, size_t size)
{
	const char *v = smbios_oem_string(data, size, "io.systemd.stub.kernel-cmdline-extra");

	if (v && (v < (const char *)data || v + strlen(v) >= (const char *)data + size))
		abort();
}

/* What the image's stub does with it: its row, the sections measured
 * (each present and known, none twice), the initrds, and a command line
 * given (the image's first bytes as one) */
static void check_stub(const uint8_t *data, size_t size, const struct uki *u)
{
	struct stub_version v;
	enum stub_fit fit;
	bool named = stub_version(data + u->sec[UKI_SDMAGIC].offset,
				  u->sec[UKI_SDMAGIC].present ?
				  u->sec[UKI_SDMAGIC].size : 0, data, size, &v);
	const struct stub_release *r = stub_release(named ? &v : NULL, &fit);
	enum uki_section_id ids[UKI_NSECTIONS], initrds[2];
	size_t n = stub_pcr11(r, u, ids);
	uint32_t seen = 0;
	struct diag d;
	char line[65], out[65];
	unsigned profile;

	for (size_t i = 0; i < n; i++) {
		if (!u->sec[ids[i]].present || !stub_knows(r, ids[i]) ||
		    (seen & (1u << ids[i])) || ids[i] == UKI_PCRSIG)
			abort();
		seen |= 1u << ids[i];
	}
	n = stub_initrds(r, u, initrds);
	for (size_t i = 0; i < n; i++)
		if (!u->sec[initrds[i]].present || !stub_knows(r, initrds[i]))
			abort();
	if (stub_check(r, u, &v, &d) && !d.msg[0])
		abort();
	/* the sections as the release finds them: the image whole parsed
	 * already, so for a release before profiles the same */
	{
		struct uki w;
		int rc = stub_sections(r, data, size, size, 0, &w, &d);

		if (rc ? !d.msg[0] : !w.sec[UKI_LINUX].present)
			abort();
		if (!r->profile_prefix && (rc || memcmp(&w, u, sizeof(w))))
			abort();
	}
	(void)stub_per_machine(r, u);
	memcpy(line, data, size < 64 ? size : 64);
	line[size < 64 ? size : 64] = '\0';
	check_extras(r, u, line);
	check_addon(r, data, size);
	if (stub_given_cmdline(r, line, out, &profile) && strlen(out) > strlen(line))
		abort();
}

static void check_osrel(const char *text, size_t n)
{
	static const char *const keys[] = { "PRETTY_NAME", "ID", "IMAGE_ID",
					    "VERSION_ID", "" };
	static const size_t caps[] = { 0, 1, 7, 64 };
	char out[64];

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++)
			if (uki_osrel_value(text, n, keys[k], out, caps[c]) &&
			    strlen(out) >= caps[c])
				abort();
}

/* Each profile of a multi-profile image, and one past them, as systemd
 * 257 splits it: sections within the file, .linux in each one taken, the
 * same count of profiles whichever is asked for, and the strict parse
 * never taking an image with two profiles. */
static void check_profiles(const uint8_t *data, size_t size, int strict_rc)
{
	struct uki u;
	struct diag d;
	unsigned profiles = 0;

	for (unsigned p = 0; p <= profiles + 1 && p < 8; p++) {
		int rc = uki_parse_profile(data, size, size, p, &u, &d);

		if (rc) {
			if (!d.msg[0] || strlen(d.msg) >= DIAG_MSG_MAX)
				abort();
			continue;
		}
		if (p && profiles && u.profiles != profiles)
			abort();
		profiles = u.profiles;
		if (!u.sec[UKI_LINUX].present || (p >= profiles && p) ||
		    (!strict_rc && profiles > 1))
			abort();
		for (int id = 0; id < UKI_NSECTIONS; id++) {
			const struct uki_section *s = &u.sec[id];

			if (s->present && ((uint64_t)s->offset + s->size > size || !s->size))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uki u;
	struct session session;
	struct diag d;
	bool detected = uki_detect(data, size);
	int rc = uki_parse_head(data, size, size, &u, &d);

	if (rc && (!d.msg[0] || strlen(d.msg) >= DIAG_MSG_MAX))
		abort();
	check_profiles(data, size, rc);
	if (!rc) {
		if (!detected || !u.sec[UKI_LINUX].present)
			abort();
		for (int id = 0; id < UKI_NSECTIONS; id++) {
			const struct uki_section *s = &u.sec[id];

			if (s->present && ((uint64_t)s->offset + s->size > size || !s->size))
				abort();
		}
		check_stub(data, size, &u);
		if (u.sec[UKI_OSREL].present)
			check_osrel((const char *)data + u.sec[UKI_OSREL].offset,
				    u.sec[UKI_OSREL].size);
		if (u.sec[UKI_CMDLINE].present)
			check_cmdline(data + u.sec[UKI_CMDLINE].offset,
				      u.sec[UKI_CMDLINE].size, 256);
		/* beside it, files named by its first bytes (a name
		 * cut at its first NUL), holding its first bytes */
		char names[2][17] = { { 0 } };

		for (size_t i = 0; i < 2; i++) {
			memcpy(names[i], data + (size > 32 ? 16 * i : 0),
			       size < 16 ? size : 16);
			simulated_extra_d[i] = (struct simulated_file){
				names[i], data, size < 64 ? size : 64 };
		}
		/* and itself as an add-on; the SMBIOS table too */
		simulated_extra_d[2] = (struct simulated_file){ "x.addon.efi", data, size };
		simulated_nextra_d = 3;
		simulated_smbios = data;
		simulated_smbios_size = size;
		for (int bs = 1; bs >= 0; bs--) {
			simulated_boot_services = bs;
			machine_boot(&session, NULL, data, size, "", &d);
		}
		simulated_nextra_d = 0;
		simulated_smbios = NULL;
	}

	/* the headers from a copy of just the first half: ASan sees a read
	 * past it; what parses as a whole parses from the headers */
	size_t half = size / 2;
	uint8_t *head = malloc(half ? half : 1);
	memcpy(head, data, half);
	uki_detect(head, half);
	if (!uki_parse_head(head, half, size, &u, &d) && rc)
		abort();
	free(head);

	check_osrel((const char *)data, size);
	check_cmdline(data, size, size % 64);
	check_smbios(data, size);
	return 0;
}
