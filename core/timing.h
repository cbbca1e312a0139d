/* Time from the TSC, whose frequency the front end measures once, as
 * efikexec starts (against the firmware's Stall() under UEFI, the PIT
 * under Multiboot). */
#ifndef CORE_TIMING_H
#define CORE_TIMING_H

#include <stdint.h>

/* The TSC at efikexec's start and its rate (0: unknown). */
void timing_set(uint64_t start_tsc, uint64_t tsc_hz);

uint64_t timing_tsc_hz(void);

/* TSC ticks as microseconds (0 while the rate is unknown). */
uint64_t timing_tsc_to_us(uint64_t tsc);

/* The TSC at efikexec's start, and the microseconds from then to tsc. */
uint64_t timing_start_tsc(void);
uint64_t timing_us_since_start(uint64_t tsc);

/* Microseconds since the CPU was reset (its TSC started at 0) at
 * efikexec's start, and now. */
uint64_t timing_start_us(void);
uint64_t timing_now_us(void);

#endif
