#include "cpu/madt.h"

#include "lib/bytes.h"
#include "lib/mem.h"

/* ACPI 6.5 §5.2.6: every system description table starts with this. */
#define SDT_HEADER 36

static const uint8_t *ptr(uint64_t phys)
{
	return (const uint8_t *)(uintptr_t)phys;
}

/* ACPI 6.5 §5.2.5.3 RSDP, §5.2.7 RSDT, §5.2.8 XSDT */
static const uint8_t *find_madt(const uint8_t *rsdp, struct diag *d)
{
	bool xsdt;
	const uint8_t *sdt;
	uint32_t len;
	size_t entry;

	if (memcmp(rsdp, "RSD PTR ", 8)) {
		diag_fail(d, ERR_UNSUPPORTED, "ACPI RSDP has a bad signature");
		return NULL;
	}
	xsdt = rsdp[15] >= 2 && get64(rsdp + 24);
	sdt = xsdt ? ptr(get64(rsdp + 24)) : ptr(get32(rsdp + 16));
	entry = xsdt ? 8 : 4;
	len = get32(sdt + 4);
	if (memcmp(sdt, xsdt ? "XSDT" : "RSDT", 4) || len < SDT_HEADER) {
		diag_fail(d, ERR_UNSUPPORTED, "ACPI %s is malformed",
			  xsdt ? "XSDT" : "RSDT");
		return NULL;
	}
	for (size_t off = SDT_HEADER; off + entry <= len; off += entry) {
		const uint8_t *t = ptr(xsdt ? get64(sdt + off) : get32(sdt + off));
		if (t && !memcmp(t, "APIC", 4))
			return t;
	}
	diag_fail(d, ERR_UNSUPPORTED, "ACPI has no MADT (APIC table)");
	return NULL;
}

int madt_cpus(const void *rsdp, uint32_t bsp_apic_id, struct cpu_list *out,
	      struct diag *d)
{
	const uint8_t *madt = find_madt(rsdp, d);
	uint32_t len;

	out->n = 0;
	if (!madt)
		return d->code;
	len = get32(madt + 4);
	/* §5.2.12: 44-byte header (local APIC address, flags), then
	 * interrupt controller structures of (type, length, ...) */
	for (uint32_t off = 44; off + 2 <= len;) {
		uint8_t type = madt[off], elen = madt[off + 1];
		uint32_t id, flags;

		if (elen < 2 || off + elen > len)
			return diag_fail(d, ERR_UNSUPPORTED,
					 "MADT entry at offset %u has length %u", off, elen);
		if (type == 0 && elen >= 8) { /* Processor Local APIC */
			id = madt[off + 3];
			flags = get32(madt + off + 4);
		} else if (type == 9 && elen >= 16) { /* Processor Local x2APIC */
			id = get32(madt + off + 4);
			flags = get32(madt + off + 8);
		} else {
			off += elen;
			continue;
		}
		off += elen;
		if (!(flags & 1)) /* not enabled: not running */
			continue;
		if (out->n == CPU_MAX)
			return diag_fail(d, ERR_UNSUPPORTED,
					 "more than %d CPUs in the MADT", CPU_MAX);
		out->cpu[out->n++] = (struct cpu_entry){
			.apic_id = id, .state = id == bsp_apic_id ? CPU_BSP : 0
		};
	}
	if (!out->n)
		return diag_fail(d, ERR_UNSUPPORTED, "the MADT lists no enabled CPU");
	return 0;
}
