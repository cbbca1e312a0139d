/* Paging state the identity map must match. */
#ifndef CPU_PAGING_H
#define CPU_PAGING_H

#include <stdbool.h>

/* CR4.LA57: paging is 5-level now, so our map needs a PML5 on top, because
 * LA57 cannot change while paging is on (Intel SDM Vol. 3A §4.1.2). */
bool cpu_paging_5level(void);

#endif
