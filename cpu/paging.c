#include "cpu/paging.h"

#include "cpu/x86.h"

bool cpu_paging_5level(void)
{
	return read_cr4() & CR4_LA57;
}
