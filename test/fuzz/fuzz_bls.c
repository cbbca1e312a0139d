/* Boot Loader Specification entries and loader.conf (bls/): the same bytes
 * parsed as both, then the entry sorted and chosen among copies of
 * itself. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bls/choose.h"
#include "bls/entry.h"
#include "bls/loader_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *ctx, const char *msg)
{
	(void)ctx;
	if (strlen(msg) >= DIAG_MSG_MAX)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *scratch = malloc(size + 1);
	struct bls_entry e[2];
	struct bls_entry *v[2] = { &e[0], &e[1] };
	struct loader_conf c;
	struct bls_overrides o = { 0 };
	struct bls_choice ch;
	struct options opt;
	char title[2][BLS_TITLE_MAX];
	bool same[2];

	memcpy(text, data, size);
	bls_parse_loader_conf(text, size, "loader.conf", &c, ignore, NULL);
	memcpy(text, data, size);
	if (!bls_parse_entry(text, size, scratch, "a-1.conf", "a-1.conf", &e[0],
			     ignore, NULL)) {
		bls_entry_options(&e[0], &opt);
		e[1] = e[0];
		e[1].id = "a-2.conf";
		bls_sort(v, 2);
		/* the same title, version and machine-id: every pass runs */
		bls_titles(v, 2, title, same);
		c.default_pattern = e[0].title; /* any text as a glob */
		o.timeout = e[0].version;
		bls_choose(v, 2, &c, &o, &ch, ignore, NULL);
		if (ch.index > 1)
			abort();
	}
	free(text);
	free(scratch);
	return 0;
}
