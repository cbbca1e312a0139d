#include "lib/progress.h"

#include "lib/fmt.h"

void progress_start(struct progress *p, uint64_t now_us)
{
	*p = (struct progress){ .start_us = now_us };
}

bool progress_due(struct progress *p, uint64_t now_us)
{
	if (now_us - p->start_us < PROGRESS_AFTER_US ||
	    (p->shown && now_us - p->shown_us < PROGRESS_EVERY_US))
		return false;
	p->shown = true;
	p->shown_us = now_us;
	return true;
}

/* Bytes in tenths of a MiB, rounded down */
static uint64_t tenths_of_mib(uint64_t bytes)
{
	return (bytes >> 10) * 10 >> 10;
}

/* Whole percent of total, 100 only once all of it came */
static uint64_t percent(uint64_t got, uint64_t total)
{
	uint64_t p;

	if (got >= total)
		return 100;
	p = got <= UINT64_MAX / 100 ? got * 100 / total : got / (total / 100);
	return p > 99 ? 99 : p;
}

size_t progress_format(char *buf, size_t cap, uint64_t got, uint64_t total,
		       uint64_t us)
{
	/* in KiB first, so that no size a machine can hold overflows */
	uint64_t rate = us ? (got >> 10) * 10000000 / us >> 10 : 0;
	uint64_t have = tenths_of_mib(got), all = tenths_of_mib(total);

	if (!total)
		return fmt_snprintf(buf, cap, "%lu.%lu MiB, %lu.%lu MiB/s",
				    have / 10, have % 10, rate / 10, rate % 10);
	return fmt_snprintf(buf, cap, "%lu.%lu of %lu.%lu MiB (%lu%%), %lu.%lu MiB/s",
			    have / 10, have % 10, all / 10, all % 10,
			    percent(got, total), rate / 10, rate % 10);
}
