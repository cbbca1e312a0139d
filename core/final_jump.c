/* The point of no return on a real machine (core/final_jump.h). */
#include "core/final_jump.h"

#include "core/timing.h"
#include "cpu/park.h"
#include "cpu/x86.h"
#include "lib/fmt.h"
#include "lib/serial.h"
#include "relocate/relocate.h"

/* How long the BSP waits for every AP to report from the park code. */
#define PARK_TIMEOUT_US 1000000

/* Moves the APs into the park area and returns the flags word as it now
 * stands: CACHE_FLUSHED only if every AP that was running flushed. */
static uint32_t park_all(struct session *s)
{
	struct park_timing t = {
		.tsc_hz = s->tsc_hz,
		.init_delay_us = s->policy.init_delay_us,
		.sipi_delay_us = s->policy.sipi_delay_us,
		.timeout_us = PARK_TIMEOUT_US,
	};
	uint32_t flags = s->plan.flags, aps = s->cpus.n - 1, parked = 0, flushed = 0;
	struct park_times times;
	char line[160];

	times = park_aps(s->park, &s->cpus, &t);
	for (uint32_t i = 0; i < s->cpus.n; i++) {
		const struct cpu_entry *c = &s->cpus.cpu[i];
		if (c->state & CPU_BSP)
			continue;
		parked += !!(c->state & CPU_PARKED);
		flushed += !!(c->state & CPU_FLUSHED);
		if (!(c->state & CPU_PARKED)) {
			fmt_snprintf(line, sizeof(line),
				     "efikexec: CPU with APIC ID 0x%x did not park\n",
				     c->apic_id);
			serial_puts(line);
		}
	}
	if (flushed < aps)
		flags &= ~EFIKEXEC_CACHE_FLUSHED;
	fmt_snprintf(line, sizeof(line),
		     "efikexec: parked %u/%u, %u flushed, in %lu us (IPIs sent in %lu us), flags=0x%x\n",
		     parked, aps, flushed,
		     timing_tsc_to_us(times.total), timing_tsc_to_us(times.ipis),
		     flags);
	serial_puts(line);
	return flags;
}

/* What finish() is told: the memory map as last read, the flags word and
 * the stage times. */
static struct final_state final_state(struct session *s, uint32_t flags)
{
	return (struct final_state){
		.map = &s->fw.map,
		.raw_addr = phys_of(s->fw.raw),
		.raw_size = s->fw.raw_size,
		.desc_size = (uint32_t)s->fw.desc_size,
		.desc_version = s->fw.desc_version,
		.flags = flags,
		.tsc_hz = s->tsc_hz,
		.stamps = s->stamps,
		.detail = s->detail,
	};
}

/* Past ExitBootServices: nothing here may fail or return. */
__attribute__((noinline)) _Noreturn void final_jump(struct session *s)
{
	struct final_state fs;
	struct diag d;

	__asm__ volatile("cli");
	s->stamps[STAMP_EXIT_BOOT_SERVICES] = rdtsc();
	if (plan_validate(&s->plan, &s->fw.map, &d))
		fatal("the final memory map breaks the plan: %s", d.msg);
	fs = final_state(s, s->park ? park_all(s) : s->plan.flags);
	s->stamps[STAMP_PARKED] = rdtsc();
	s->fmt->finish(&s->ctx, &fs);
	if (s->ctx.handoff)
		relocate_set_stamps(s->tramp, &s->ctx.handoff->stamp[STAMP_RELOCATED]);
	if (s->opt.verbose) {
		char line[120];

		fmt_snprintf(line, sizeof(line),
			     "efikexec: time: ExitBootServices done at %lu us, APs parked at %lu us\n",
			     timing_us_since_start(s->stamps[STAMP_EXIT_BOOT_SERVICES]),
			     timing_us_since_start(s->stamps[STAMP_PARKED]));
		serial_puts(line);
	}
	relocate_jump(s->tramp);
}

/* A kernel that exits boot services itself (Multiboot2 §3.5; GRUB on UEFI
 * enters Xen so): its segments are copied now, into memory efikexec took
 * from what was free (place.now_only), and it is entered with the
 * firmware running. No ExitBootServices, no parking, no flush: the kernel
 * owns all of that (prepare_cpus() left the flags word without
 * CACHE_FLUSHED). */
_Noreturn void final_jump_with_firmware(struct session *s)
{
	struct final_state fs = final_state(s, s->plan.flags);

	s->fmt->finish(&s->ctx, &fs);
	relocate_enter_efi64(&s->plan, s->ctx.handoff ?
			     &s->ctx.handoff->stamp[STAMP_RELOCATED] : NULL);
}

