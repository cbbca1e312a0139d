/* EFI_MP_SERVICES_PROTOCOL, UEFI PI 1.7 Vol. 2 §13.4 (gnu-efi lacks it). */
#ifndef EFI_MP_H
#define EFI_MP_H

#include "efi/efi.h"

#define EFI_MP_SERVICES_PROTOCOL_GUID \
	{ 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }

#define PROCESSOR_AS_BSP_BIT 0x1
#define PROCESSOR_ENABLED_BIT 0x2
#define PROCESSOR_HEALTH_STATUS_BIT 0x4

typedef struct {
	UINT32 Package;
	UINT32 Core;
	UINT32 Thread;
} EFI_CPU_PHYSICAL_LOCATION;

typedef struct {
	UINT64 ProcessorId; /* the local APIC ID */
	UINT32 StatusFlag;
	EFI_CPU_PHYSICAL_LOCATION Location;
	/* PI 1.7 appends EXTENDED_PROCESSOR_INFORMATION, written only when
	 * the caller asks for it with CPU_V2_EXTENDED_TOPOLOGY; room for it is
	 * reserved anyway. */
	UINT8 Extended[24];
} EFI_PROCESSOR_INFORMATION;

struct _EFI_MP_SERVICES_PROTOCOL;

typedef struct _EFI_MP_SERVICES_PROTOCOL {
	EFI_STATUS(EFIAPI *GetNumberOfProcessors)
	(struct _EFI_MP_SERVICES_PROTOCOL *This, UINTN *NumberOfProcessors,
	 UINTN *NumberOfEnabledProcessors);
	EFI_STATUS(EFIAPI *GetProcessorInfo)
	(struct _EFI_MP_SERVICES_PROTOCOL *This, UINTN ProcessorNumber,
	 EFI_PROCESSOR_INFORMATION *ProcessorInfoBuffer);
	void *StartupAllAPs;
	void *StartupThisAP;
	void *SwitchBSP;
	void *EnableDisableAP;
	void *WhoAmI;
} EFI_MP_SERVICES_PROTOCOL;

#endif
