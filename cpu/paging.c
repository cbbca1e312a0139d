#include "paging.h"

#include "cpu/x86.h"

bool cpu_has_1g_pages(void)
{
	if (cpuid(0x80000000, 0).eax < 0x80000001)
		return false;
	return cpuid(0x80000001, 0).edx & (1u << 26);
}

bool cpu_paging_5level(void)
{
	return read_cr4() & CR4_LA57;
}
