#include "bls/loader_conf.h"

#include <stdint.h>

#include "bls/lines.h"
#include "lib/ascii.h"
#include "lib/fmt.h"
#include "lib/glob.h"
#include "lib/mem.h"

int bls_parse_timeout(const char *v, struct bls_timeout *t)
{
	uint64_t n = 0;

	if (!strcmp(v, "menu-force")) {
		*t = (struct bls_timeout){ BLS_MENU_FORCE, 0 };
		return 0;
	}
	if (!strcmp(v, "menu-hidden")) {
		*t = (struct bls_timeout){ BLS_MENU_HIDDEN, 0 };
		return 0;
	}
	if (!strcmp(v, "menu-disabled")) {
		*t = (struct bls_timeout){ BLS_MENU_DISABLED, 0 };
		return 0;
	}
	if (!*v)
		return -1;
	for (; *v; v++) {
		if (!ascii_digit(*v))
			return -1;
		if (n < UINT32_MAX)
			n = n * 10 + (uint64_t)(*v - '0');
	}
	/* systemd-boot's reading: from 2^32 - 1 seconds on (what `bootctl
	 * set-timeout menu-force` writes), the menu waits without a countdown */
	if (n >= UINT32_MAX)
		*t = (struct bls_timeout){ BLS_MENU_FORCE, 0 };
	else
		*t = (struct bls_timeout){ BLS_TIMEOUT_SECONDS, (unsigned)n };
	return 0;
}

/* the longest countdown the menu's keys make: above it lie the values
 * systemd-boot keeps for itself, 2^32 - 1 being menu-force */
#define TIMEOUT_STEP_MAX (UINT32_MAX - 2)

void bls_timeout_step(struct bls_timeout *t, bool longer)
{
	bool hidden = t->kind == BLS_MENU_HIDDEN ||
		      (t->kind == BLS_TIMEOUT_SECONDS && !t->seconds);

	if (hidden || t->kind == BLS_MENU_DISABLED)
		*t = longer ? (struct bls_timeout){ BLS_TIMEOUT_SECONDS, 1 } :
			      (struct bls_timeout){ BLS_MENU_FORCE, 0 };
	else if (t->kind == BLS_MENU_FORCE)
		*t = longer ? (struct bls_timeout){ BLS_MENU_HIDDEN, 0 } : *t;
	else if (longer && t->seconds < TIMEOUT_STEP_MAX)
		t->seconds++;
	else if (!longer && --t->seconds == 0)
		*t = (struct bls_timeout){ BLS_MENU_HIDDEN, 0 };
}

void bls_timeout_text(const struct bls_timeout *t, char *buf, size_t size)
{
	if (t->kind == BLS_MENU_FORCE)
		fmt_snprintf(buf, size, "menu-force");
	else if (t->kind == BLS_MENU_DISABLED)
		fmt_snprintf(buf, size, "menu-disabled");
	else if (t->kind == BLS_MENU_HIDDEN || !t->seconds)
		fmt_snprintf(buf, size, "menu-hidden");
	else
		fmt_snprintf(buf, size, "%u", t->seconds);
}

static void warn(bls_warn_fn fn, void *ctx, const struct bls_lines *it,
		 const char *what, const char *value, const char *why)
{
	char msg[DIAG_MSG_MAX];

	fmt_snprintf(msg, sizeof(msg), "%s:%u: %s '%s' %s, ignored", it->file,
		     it->line, what, value, why);
	fn(ctx, msg);
}

void bls_loader_conf_defaults(struct loader_conf *c)
{
	*c = (struct loader_conf){ .editor = true, .auto_entries = true,
				   .auto_firmware = true };
}

/* systemd's parse_boolean(): 0 or 1, -1 for anything else. */
static int parse_boolean(const char *v)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(v, yes[i]))
			return 1;
		if (!strcmp(v, no[i]))
			return 0;
	}
	return -1;
}

/* The keys that take a boolean. */
static bool *boolean_key(struct loader_conf *c, const char *key)
{
	if (!strcmp(key, "editor"))
		return &c->editor;
	if (!strcmp(key, "auto-entries"))
		return &c->auto_entries;
	if (!strcmp(key, "auto-firmware"))
		return &c->auto_firmware;
	if (!strcmp(key, "auto-poweroff"))
		return &c->auto_poweroff;
	if (!strcmp(key, "auto-reboot"))
		return &c->auto_reboot;
	return NULL;
}

void bls_parse_loader_conf(char *text, size_t len, const char *file,
			   struct loader_conf *c, bls_warn_fn warn_fn, void *ctx)
{
	struct bls_lines it;
	struct diag d;
	char *key, *value;
	bool *flag;
	int rc, b;

	bls_loader_conf_defaults(c);
	bls_lines_init(&it, text, len, file);
	while ((rc = bls_lines_next(&it, &key, &value, &d)) > 0) {
		if (!strcmp(key, "timeout")) {
			if (bls_parse_timeout(value, &c->timeout))
				warn(warn_fn, ctx, &it, "timeout", value,
				     "is not seconds, menu-force, menu-hidden or menu-disabled");
			else
				c->has_timeout = true;
		} else if (!strcmp(key, "default")) {
			/* "@saved", in any case as systemd-boot takes it:
			 * LoaderEntryLastBooted (bls/choose.h) */
			if (value[0] == '@' && !glob_match("@saved", value))
				warn(warn_fn, ctx, &it, "default", value,
				     "is not supported by efikexec (of the special entries, only @saved)");
			else if (*value)
				c->default_pattern = value;
		} else if ((flag = boolean_key(c, key))) {
			if ((b = parse_boolean(value)) < 0)
				warn(warn_fn, ctx, &it, key, value, "is not a boolean");
			else
				*flag = b;
		} else {
			warn(warn_fn, ctx, &it, "key", key,
			     "is not supported by efikexec");
		}
	}
	if (rc < 0) {
		char msg[DIAG_MSG_MAX];

		fmt_snprintf(msg, sizeof(msg), "%s; the rest of the file is ignored",
			     d.msg);
		warn_fn(ctx, msg);
	}
}
