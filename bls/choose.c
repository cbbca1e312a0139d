#include "bls/choose.h"

#include "lib/fmt.h"
#include "lib/glob.h"
#include "lib/mem.h"
#include "lib/vercmp.h"

static int strcmp_null(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static bool has(const char *s)
{
	return s && *s;
}

/* The file name without ".conf", as the specification compares it. */
static void id_stem(const char *id, char *out, size_t cap)
{
	size_t n = strlen(id);

	if (n >= 5 && !strcmp(id + n - 5, ".conf"))
		n -= 5;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, id, n);
	out[n] = '\0';
}

/* UAPI.1 "Sorting": <0 when a comes first in the menu. An empty sort-key
 * counts as none. */
static int entry_order(const struct bls_entry *a, const struct bls_entry *b)
{
	char sa[256], sb[256];
	int r;

	if (has(a->sort_key) != has(b->sort_key))
		return has(a->sort_key) ? -1 : 1;
	if (has(a->sort_key)) {
		if ((r = strcmp(a->sort_key, b->sort_key)) ||
		    (r = strcmp_null(a->machine_id, b->machine_id)))
			return r;
		if ((r = vercmp(b->version ? b->version : "",
				a->version ? a->version : "")))
			return r;
	}
	id_stem(a->id, sa, sizeof(sa));
	id_stem(b->id, sb, sizeof(sb));
	return vercmp(sb, sa);
}

void bls_sort(struct bls_entry **v, size_t n)
{
	/* insertion sort: stable, and menus are short */
	for (size_t i = 1; i < n; i++) {
		struct bls_entry *e = v[i];
		size_t j = i;

		for (; j > 0 && entry_order(e, v[j - 1]) < 0; j--)
			v[j] = v[j - 1];
		v[j] = e;
	}
}

static bool id_matches(const char *pattern, const char *id)
{
	char stem[256];

	id_stem(id, stem, sizeof(stem));
	return glob_match(pattern, id) || glob_match(pattern, stem);
}

size_t bls_match(struct bls_entry *const *v, size_t n, const char *pattern)
{
	for (size_t i = 0; i < n; i++)
		if (id_matches(pattern, v[i]->id))
			return i;
	return n;
}

static void warn_unmatched(bls_warn_fn warn, void *ctx, const char *source,
			   const char *pattern)
{
	char msg[DIAG_MSG_MAX];

	fmt_snprintf(msg, sizeof(msg), "%s '%s' matches no entry, ignored",
		     source, pattern);
	warn(ctx, msg);
}

void bls_choose(struct bls_entry *const *v, size_t n,
		const struct loader_conf *c, const struct bls_overrides *o,
		struct bls_choice *out, bls_warn_fn warn, void *ctx)
{
	const struct {
		const char *source, *pattern;
	} defaults[] = {
		{ "LoaderEntryOneShot", o->entry_oneshot },
		{ "LoaderEntryDefault", o->entry_default },
		{ "loader.conf default", c->default_pattern },
	};
	const struct {
		const char *source, *value;
	} timeouts[] = {
		{ "LoaderConfigTimeoutOneShot", o->timeout_oneshot },
		{ "LoaderConfigTimeout", o->timeout },
	};
	size_t i;

	out->index = 0;
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		size_t k;

		if (!defaults[i].pattern || !*defaults[i].pattern)
			continue;
		k = bls_match(v, n, defaults[i].pattern);
		if (k < n) {
			out->index = k;
			break;
		}
		warn_unmatched(warn, ctx, defaults[i].source, defaults[i].pattern);
	}

	out->timeout = c->has_timeout ? c->timeout :
					(struct bls_timeout){ BLS_TIMEOUT_SECONDS, 0 };
	for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
		char msg[DIAG_MSG_MAX];

		if (!timeouts[i].value)
			continue;
		if (!bls_parse_timeout(timeouts[i].value, &out->timeout))
			break;
		fmt_snprintf(msg, sizeof(msg),
			     "%s '%s' is not a timeout, ignored",
			     timeouts[i].source, timeouts[i].value);
		warn(ctx, msg);
	}
}
