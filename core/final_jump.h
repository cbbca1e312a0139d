/* After the point of no return, on a real machine: park the APs, let the
 * format finish its boot information against the final memory map, and
 * jump to the trampoline. Shared by the front ends' machine_leave(). */
#ifndef CORE_FINAL_JUMP_H
#define CORE_FINAL_JUMP_H

#include "core/session.h"

/* The firmware is gone (or was never there) and interrupts are off from
 * here: nothing may fail or return. */
_Noreturn void final_jump(struct session *s);

/* A kernel that exits boot services itself (Multiboot2 §3.5): its
 * segments are copied now and it is entered with the firmware running. */
_Noreturn void final_jump_with_firmware(struct session *s);

#endif
