/* The TSC frequency, measured against the firmware's Stall(). */
#ifndef EFI_TIMING_H
#define EFI_TIMING_H

#include <stdint.h>

uint64_t tsc_calibrate(void);

#endif
