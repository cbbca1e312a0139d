/* What the CPU offers for the identity map. */
#ifndef CPU_PAGING_H
#define CPU_PAGING_H

#include <stdbool.h>

/* CPUID 0x80000001 EDX bit 26 (Page1GB): 1 GiB pages (Intel SDM Vol. 2A,
 * CPUID; AMD APM Vol. 3 appendix E). */
bool cpu_has_1g_pages(void);

/* CR4.LA57: paging is 5-level now, so our map needs a PML5 on top, because
 * LA57 cannot change while paging is on (Intel SDM Vol. 3A §4.1.2). */
bool cpu_paging_5level(void);

#endif
