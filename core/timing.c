#include "core/timing.h"

#include "cpu/x86.h"

static uint64_t start_tsc, tsc_hz;

void timing_set(uint64_t start, uint64_t hz)
{
	start_tsc = start;
	tsc_hz = hz;
}

uint64_t timing_tsc_hz(void)
{
	return tsc_hz;
}

/* tsc * 10^6 / hz without overflowing 64 bits */
uint64_t timing_tsc_to_us(uint64_t tsc)
{
	if (!tsc_hz)
		return 0;
	return tsc / tsc_hz * 1000000 + tsc % tsc_hz * 1000000 / tsc_hz;
}

uint64_t timing_start_tsc(void)
{
	return start_tsc;
}

uint64_t timing_us_since_start(uint64_t tsc)
{
	return tsc > start_tsc ? timing_tsc_to_us(tsc - start_tsc) : 0;
}

uint64_t timing_start_us(void)
{
	return timing_tsc_to_us(start_tsc);
}

uint64_t timing_now_us(void)
{
	return timing_tsc_to_us(rdtsc());
}
