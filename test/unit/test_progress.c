/* The progress line of a download (lib/progress.c). */
#include <string.h>

#include "harness.h"
#include "lib/progress.h"

#define MiB (1024ull * 1024)

TEST(progress_waits_a_second_then_rate_limits)
{
	struct progress p;
	uint64_t t0 = 5000000;

	progress_start(&p, t0);
	CHECK(!progress_due(&p, t0));
	CHECK(!progress_due(&p, t0 + 999999));
	CHECK(progress_due(&p, t0 + 1000000));
	/* at most twice a second from then on */
	CHECK(!progress_due(&p, t0 + 1000001));
	CHECK(!progress_due(&p, t0 + 1499999));
	CHECK(progress_due(&p, t0 + 1500000));
	CHECK(!progress_due(&p, t0 + 1700000));
	CHECK(progress_due(&p, t0 + 4000000));
	CHECK(p.shown);
	/* a download done within the second never shows it */
	progress_start(&p, t0);
	CHECK(!progress_due(&p, t0 + 300000));
	CHECK(!p.shown);
}

TEST(progress_counts_per_poll_not_per_packet)
{
	struct progress p;
	unsigned lines = 0;

	/* 10 s of packets every 100 us: 19 lines (at 1 s, then every 0.5 s) */
	progress_start(&p, 0);
	for (uint64_t t = 0; t <= 10000000; t += 100)
		lines += progress_due(&p, t);
	CHECK_EQ(lines, 19);
}

TEST(progress_format_figures)
{
	char buf[96];

	progress_format(buf, sizeof(buf), 9 * MiB + MiB / 2, 13 * MiB + 3 * MiB / 10, 2000000);
	CHECK_STR(buf, "9.5 of 13.2 MiB (71%), 4.7 MiB/s");
	progress_format(buf, sizeof(buf), 13 * MiB, 13 * MiB, 3250000);
	CHECK_STR(buf, "13.0 of 13.0 MiB (100%), 4.0 MiB/s");
	/* below 1 MiB/s, and below 1 MiB: tenths, never a plain 0 */
	progress_format(buf, sizeof(buf), 300 * 1024, 700 * 1024, 1000000);
	CHECK_STR(buf, "0.2 of 0.6 MiB (42%), 0.2 MiB/s");
	/* 99% until the last byte */
	progress_format(buf, sizeof(buf), 1000 * MiB - 1, 1000 * MiB, 1000000);
	CHECK_CONTAINS(buf, "(99%)");
	/* chunked: no total */
	progress_format(buf, sizeof(buf), 40 * MiB, 0, 4000000);
	CHECK_STR(buf, "40.0 MiB, 10.0 MiB/s");
	/* no time yet, and sizes no download reaches: no division by 0, no wrap */
	progress_format(buf, sizeof(buf), 1, 2, 0);
	CHECK_STR(buf, "0.0 of 0.0 MiB (50%), 0.0 MiB/s");
	progress_format(buf, sizeof(buf), UINT64_MAX / 2, UINT64_MAX, 1000000000);
	CHECK_CONTAINS(buf, "(50%)");
}
