#include "efi/timing.h"

#include "cpu/x86.h"
#include "efi/efi.h"

#define CALIBRATION_US 1000

uint64_t tsc_calibrate(void)
{
	uint64_t t0 = rdtsc();

	efi.bs->Stall(CALIBRATION_US);
	return (rdtsc() - t0) * (1000000 / CALIBRATION_US);
}
