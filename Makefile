# efikexec: see README.md.
#
#   make            build/efikexec.efi and build/efikexec.mb
#   make run        boot a Debian kernel through efikexec.efi in QEMU (OVMF)
#   make run-mb     the same through efikexec.mb (QEMU -kernel, SeaBIOS)
#   make test       host unit tests, then the QEMU boot tests (what CI runs)
#   make qemu-test TESTS="bls uki"   those QEMU boot tests alone
#   make check      the fast loop: unit tests, a fuzz smoke, three QEMU boots
#   make unit       host unit tests, the layer check and efikexec-install's test
#   make install    efikexec.efi, efikexec.mb and efikexec-install under
#                   DESTDIR and PREFIX (/usr/local)
#   make dist       build/efikexec-VERSION.tar.gz: the tracked sources
#   make bench      benchmarks (build/bench/)
#   make fuzz       the fuzzers, FUZZ_SECONDS (60) or FUZZ_RUNS inputs each (build/fuzz/)

BUILD    := build
CC       := gcc
NASM     := nasm
LD       := ld
OBJCOPY  := objcopy
PYTHON   := python3

EFI_INC  := /usr/include/efi

# Pure logic: no firmware headers; built for the UEFI image and for the
# host unit tests alike.
PURE_SRCS := lib/fmt.c lib/diag.c lib/utf.c lib/vercmp.c lib/glob.c lib/guid.c lib/sha256.c \
	lib/pin.c lib/url.c lib/http.c lib/progress.c \
	lib/tcg_log.c core/options.c core/timing.c \
	$(wildcard mm/*.c boot/*.c relocate/*.c bls/*.c) \
	$(wildcard cpu/facts.c cpu/policy.c cpu/park_area.c cpu/madt.c cpu/cpus.c)
# The boot sequence: pure too, over the machine interface (core/machine.h)
# that each front end defines; on the host the simulated machine of
# test/fuzz/simulated_machine.c.
CORE_SRCS := core/boot_sequence.c core/load.c core/extras.c
# Machine functions for a front end that keeps its own memory map and has
# no firmware services: efikexec.mb and the simulated machine.
OWN_MACHINE_SRCS := core/own_map.c core/plain_machine.c
# Pure logic of the Multiboot front end (mb/): built for efikexec.mb and
# the host tests, never linked into the UEFI image.
MB_PURE_SRCS := mb/info.c mb/modules.c
# Code that needs the firmware or privileged instructions.
TARGET_SRCS := lib/mem.c lib/serial.c core/final_jump.c \
	$(filter-out $(PURE_SRCS),$(wildcard cpu/*.c efi/*.c))
ASM_SRCS := $(wildcard relocate/*.asm cpu/*.asm)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers
# -fno-strict-aliasing: firmware tables, page tables and kernel headers are
# read and written through pointers of other types than the bytes' own
COMMON_CFLAGS := -std=gnu11 $(WARN) -fno-strict-aliasing -I. -I$(BUILD)/gen

# efikexec.efi's C: -Os with link-time optimisation (=auto: its
# partitions are compiled in parallel, not one by one with a warning). The
# time efikexec takes is the firmware's I/O and the trampoline's copies,
# not its C code. Every other flag is there for the code to work:
EFI_CFLAGS := $(COMMON_CFLAGS) -Os -flto=auto
# no C library: memcpy and the rest are lib/mem.c's (implies -fno-builtin)
EFI_CFLAGS += -ffreestanding
# lib/mem.c's loops stay loops, never calls to the functions they implement
EFI_CFLAGS += -fno-tree-loop-distribute-patterns
# no canary: it is read at %fs:0x28, and nothing here sets %fs up
EFI_CFLAGS += -fno-stack-protector
# the firmware loads the image at an address of its choosing
EFI_CFLAGS += -fpic
# every symbol is the image's own: reached PC-relative, not through a GOT
EFI_CFLAGS += -fvisibility=hidden
# wchar_t is UEFI's CHAR16, for L"..." variable names
EFI_CFLAGS += -fshort-wchar
# the firmware's interrupt handlers (its timer) push onto this stack
EFI_CFLAGS += -mno-red-zone
# no SSE from the compiler: --verify's C runs in the trampoline, which
# enables SSE for it with CR4.OSFXSR and nothing more (no x87 or MXCSR
# state), for lib/sha256.c's SHA-NI function, the one that enables SSE
# for itself (target attribute) and runs only where cpu_hw_sha_ni() says
EFI_CFLAGS += -mno-sse
# gnu-efi declares the firmware's services ms_abi: they are called directly
EFI_CFLAGS += -DGNU_EFI_USE_MS_ABI
EFI_CFLAGS += -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -MMD -MP

HOST_CFLAGS := $(COMMON_CFLAGS) -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -MMD -MP

EFI_OBJS := $(patsubst %.c,$(BUILD)/efi-obj/%.o,$(PURE_SRCS) $(CORE_SRCS) $(TARGET_SRCS)) \
	$(patsubst %.asm,$(BUILD)/efi-obj/%.o,$(ASM_SRCS))

UNIT_SRCS := $(wildcard test/unit/*.c)
UNIT_OBJS := $(patsubst %.c,$(BUILD)/host-obj/%.o,$(PURE_SRCS) $(CORE_SRCS) \
		$(MB_PURE_SRCS) $(OWN_MACHINE_SRCS) test/fuzz/simulated_machine.c \
		$(UNIT_SRCS)) \
	$(patsubst %.asm,$(BUILD)/efi-obj/%.o,$(ASM_SRCS))

.PHONY: all unit layers installer-test test check qemu-test run bench probes fuzz \
	install dist clean
all: $(BUILD)/efikexec.efi $(BUILD)/efikexec.mb

$(BUILD)/gen/layout.inc: tools/gen_layout_inc.c relocate/reloc_params.h \
		relocate/plan.h cpu/park_layout.h
	@mkdir -p $(dir $@)
	$(CC) $(COMMON_CFLAGS) -o $(BUILD)/gen/gen_layout_inc $<
	$(BUILD)/gen/gen_layout_inc > $@

# The images' objects depend on this file too, which holds their flags: a
# build directory from before a change of flags is rebuilt, not mixed.
$(BUILD)/efi-obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(EFI_CFLAGS) -c -o $@ $<

$(BUILD)/efi-obj/%.o: %.asm $(BUILD)/gen/layout.inc
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -I$(BUILD)/gen/ -o $@ $<

$(BUILD)/efikexec.so: $(EFI_OBJS) linker.ld
	$(CC) $(EFI_CFLAGS) -nostdlib -shared -Wl,-Bsymbolic,--build-id=none,-T,linker.ld \
		-o $@ $(EFI_OBJS)

# The image budget, 128 KiB for efikexec.efi and efikexec.mb alike: a
# ceiling the build enforces, not a target (readability wins over bytes).
IMAGE_MAX := 131072

# Messages are plain string literals, in the image as they are written,
# so that `strings` shows them and a message leads to its source: the
# build fails if the one for a file that is no kernel
# (core/boot_sequence.c, test/qemu/errors.sh) is not there as a string.
# efikexec-install tells an efikexec.efi from another loader by it.
PLAIN_MESSAGE := is not a kernel efikexec can boot

# The .sbat section's contents: efikexec's SBAT generation and URL from
# efi/sbat.txt, its version from lib/version.h (docs/secure-boot.md, "SBAT").
$(BUILD)/gen/sbat.csv: efi/sbat.txt lib/version.h tools/gen_sbat.sh
	@mkdir -p $(dir $@)
	tools/gen_sbat.sh efi/sbat.txt lib/version.h > $@ || { rm -f $@; exit 1; }

EFIKEXEC_VERSION = $(shell sed -n 's/^\#define EFIKEXEC_VERSION "\(.*\)"$$/\1/p' lib/version.h)

# The PE image, with the ELF's relocations as base relocations that the
# firmware applies (docs/architecture.md, "Relocations") and a .sbat
# section, without which shim starts no image, marked NX_COMPAT
# (docs/secure-boot.md, "NX"): the tool fails on a relocation it cannot
# express or a section both writable and executable, and the checks on a
# .reloc that does not hold every relocation, on a .sbat that is missing
# or malformed, and on an image without NX_COMPAT or with a section that
# breaks write-xor-execute or the 4 KiB alignment.
$(BUILD)/efikexec.efi: $(BUILD)/efikexec.so $(BUILD)/gen/sbat.csv tools/elf_to_pe.py \
		tools/check_base_relocs.sh tools/check_sbat.sh tools/check_nx.sh
	$(PYTHON) tools/elf_to_pe.py --sbat $(BUILD)/gen/sbat.csv $< $@
	@tools/check_base_relocs.sh $< $@ || { rm -f $@; exit 1; }
	@tools/check_sbat.sh $@ '$(EFIKEXEC_VERSION)' || { rm -f $@; exit 1; }
	@tools/check_nx.sh $@ || { rm -f $@; exit 1; }
	@size=$$(stat -c %s $@); echo "built $@ ($$size bytes)"; \
	if [ $$size -gt $(IMAGE_MAX) ]; then \
		echo "$@ is $$size bytes, over $(IMAGE_MAX)" >&2; \
		rm -f $@; exit 1; fi
	@strings $@ | grep -qF '$(PLAIN_MESSAGE)' || { \
		echo "$@: no plain string '$(PLAIN_MESSAGE)' in it" >&2; \
		rm -f $@; exit 1; }

# efikexec.mb (mb/): the Multiboot front end, freestanding x86-64 C
# without gnu-efi, linked at a fixed address (mb/mb.ld says why there),
# then converted to ELF32 so that every Multiboot loader takes it
# (mb/start.asm).
MB_SRCS := $(PURE_SRCS) $(CORE_SRCS) $(OWN_MACHINE_SRCS) $(MB_PURE_SRCS) \
	mb/mb_main.c mb/mb_machine.c \
	mb/mb_console.c mb/halt.c mb/pit.c lib/mem.c lib/serial.c core/final_jump.c \
	cpu/lapic.c cpu/park.c cpu/paging.c cpu/probe_hw.c
# The same optimisation as efikexec.efi's, and what the code needs:
MB_CFLAGS := $(COMMON_CFLAGS) -Os -flto=auto
# no C library, as for efikexec.efi
MB_CFLAGS += -ffreestanding
# lib/mem.c's loops stay loops, as for efikexec.efi
MB_CFLAGS += -fno-tree-loop-distribute-patterns
# no canary, as for efikexec.efi: nothing sets %fs up
MB_CFLAGS += -fno-stack-protector
# linked at one address (mb/mb.ld), where Debian's GCC would build a PIE
MB_CFLAGS += -fno-pie
# all of it below 2 GiB: addresses fit in 32 bits
MB_CFLAGS += -mcmodel=small
# an NMI or exception pushes onto the same stack
MB_CFLAGS += -mno-red-zone
# nobody set up the FPU or MXCSR state: mb/start.asm enables SSE (CR4.OSFXSR)
# only for lib/sha256.c's SHA-NI function, as the trampoline does for --verify
MB_CFLAGS += -mgeneral-regs-only
MB_CFLAGS += -MMD -MP
# its own assembly: the entry and the way into long mode, and before it
# the checks and their console
MB_ASM_SRCS := mb/start.asm mb/early_checks.asm mb/early_console.asm mb/early_info.asm
MB_ASM_OBJS := $(patsubst %.asm,$(BUILD)/mb-obj/%.o,$(MB_ASM_SRCS))
MB_OBJS := $(patsubst %.c,$(BUILD)/mb-obj/%.o,$(MB_SRCS)) $(MB_ASM_OBJS) \
	$(patsubst %.asm,$(BUILD)/mb-obj/%.o,$(ASM_SRCS))

$(BUILD)/mb-obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $< (efikexec.mb)"
	@$(CC) $(MB_CFLAGS) -c -o $@ $<

# no layout.inc: their shared constants are in mb/early_info.inc, which
# they include as "mb/early_info.inc", from the top of the tree
$(MB_ASM_OBJS): $(BUILD)/mb-obj/%.o: %.asm mb/early_info.inc
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -I./ -o $@ $<

$(BUILD)/mb-obj/%.o: %.asm $(BUILD)/gen/layout.inc
	@mkdir -p $(dir $@)
	@echo "  NASM    $< (efikexec.mb)"
	@$(NASM) -f elf64 -I$(BUILD)/gen/ -o $@ $<

$(BUILD)/mb-obj/efikexec.mb64: $(MB_OBJS) mb/mb.ld
	$(CC) $(MB_CFLAGS) -nostdlib -static -no-pie -Wl,--gc-sections,--build-id=none \
		-Wl,-T,mb/mb.ld,-z,max-page-size=4096,--no-warn-rwx-segments -o $@ $(MB_OBJS)

# Within IMAGE_MAX, as efikexec.efi. Loaders that use the Multiboot 1 address
# fields read load_end_addr - load_addr bytes from the header's offset in
# the file (mb/mb.ld): those must be exactly the ELF segment's bytes.
$(BUILD)/efikexec.mb: $(BUILD)/mb-obj/efikexec.mb64
	$(OBJCOPY) -O elf32-i386 --strip-all $< $@
	@size=$$(stat -c %s $@); echo "built $@ ($$size bytes)"; \
	if [ $$size -gt $(IMAGE_MAX) ]; then \
		echo "$@ is $$size bytes, over $(IMAGE_MAX)" >&2; rm -f $@; exit 1; fi; \
	set -- $$(readelf -lW $@ | awk '$$1 == "LOAD" { print $$2, $$5 }'); \
	hdr=$$(od -An -tx4 -w4 -v -j $$(($$1)) -N 24 $@ | tr -d ' ' | tr '\n' ' '); \
	set -- $$1 $$2 $$hdr; \
	if [ "$$3" != 1badb002 ] || [ "$$6" != "$$7" ] || \
	   [ $$((0x$$8 - 0x$$7)) -ne $$(($$2)) ]; then \
		echo "$@: the Multiboot 1 header's address fields do not describe the ELF segment" >&2; \
		rm -f $@; exit 1; fi

$(BUILD)/host-obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(CC) $(HOST_CFLAGS) -c -o $@ $<

$(BUILD)/unit-tests: $(UNIT_OBJS)
	$(CC) $(HOST_CFLAGS) -o $@ $^

unit: $(BUILD)/unit-tests layers installer-test
	$(BUILD)/unit-tests
	$(PYTHON) test/unit/test_elf_to_pe.py $(BUILD)/elf_to_pe-test

# No include looks up a layer (docs/architecture.md, "Layers"), and the
# check itself catches one that does.
layers:
	tools/check-layers.sh
	test/unit/test_check_layers.sh

# efikexec-install (installer/) against a fake ESP and stubs of the tools
# it calls; test/qemu/install.sh runs it on a real Debian system.
installer-test:
	test/unit/test_efikexec_install.sh

# Probe kernels (test/probe): one per boot format, checking what the loader
# promised. 32-bit for the Multiboot probes, 64-bit for ELF64, Linux and
# Multiboot 2 with EFI boot services kept.
PROBE_DIR := $(BUILD)/probe
PROBE_CFLAGS := -std=gnu11 -O2 $(WARN) -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -mgeneral-regs-only -mno-red-zone \
	-fno-asynchronous-unwind-tables -I. -Itest/probe -MMD -MP
PROBES := $(PROBE_DIR)/multiboot1.elf $(PROBE_DIR)/multiboot2.elf \
	$(PROBE_DIR)/multiboot2-efi.elf $(PROBE_DIR)/elf64.elf \
	$(PROBE_DIR)/linux.bzImage

probes: $(PROBES)

$(PROBE_DIR)/layout.inc: test/probe/gen_probe_inc.c test/probe/probe.h
	@mkdir -p $(dir $@)
	$(CC) $(COMMON_CFLAGS) -Itest/probe -o $(PROBE_DIR)/gen_probe_inc $<
	$(PROBE_DIR)/gen_probe_inc > $@

# 64pie: position-independent, for the probe a loader may place anywhere
PROBE_PIE_CFLAGS := -m64 $(PROBE_CFLAGS) -fpie -include test/probe/pie.h

$(PROBE_DIR)/32/mem.o $(PROBE_DIR)/64/mem.o: lib/mem.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< ($(if $(findstring /32/,$@),32,64)-bit)"
	@$(CC) $(if $(findstring /32/,$@),-m32 -march=i686,-m64) $(PROBE_CFLAGS) \
		-fno-builtin -fno-tree-loop-distribute-patterns -c -o $@ $<

$(PROBE_DIR)/64pie/mem.o: lib/mem.c test/probe/pie.h
	@mkdir -p $(dir $@)
	@echo "  CC      $< (64-bit, PIE)"
	@$(CC) $(PROBE_PIE_CFLAGS) -fno-builtin -fno-tree-loop-distribute-patterns \
		-c -o $@ $<

$(PROBE_DIR)/32/%.o: test/probe/%.c test/probe/probe.h
	@mkdir -p $(dir $@)
	@echo "  CC32    $<"
	@$(CC) -m32 -march=i686 $(PROBE_CFLAGS) -c -o $@ $<

$(PROBE_DIR)/64/%.o: test/probe/%.c test/probe/probe.h
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	@$(CC) -m64 $(PROBE_CFLAGS) -c -o $@ $<

$(PROBE_DIR)/64pie/%.o: test/probe/%.c test/probe/probe.h test/probe/pie.h
	@mkdir -p $(dir $@)
	@echo "  CC64PIE $<"
	@$(CC) $(PROBE_PIE_CFLAGS) -c -o $@ $<

$(PROBE_DIR)/32/ap.o $(PROBE_DIR)/64/ap.o: test/probe/ap.asm
	@mkdir -p $(dir $@)
	$(NASM) -f $(if $(findstring /32/,$@),elf32,elf64) -o $@ $<

$(PROBE_DIR)/32/entry-%.o: test/probe/entry32.asm test/probe/mb2_header.inc $(PROBE_DIR)/layout.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -D$(if $(findstring multiboot1,$@),MB1,MB2) -I$(PROBE_DIR)/ -Itest/probe/ -o $@ $<

$(PROBE_DIR)/64/entry-%.o: test/probe/entry64.asm test/probe/mb2_header.inc $(PROBE_DIR)/layout.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 $(if $(findstring linux,$@),-DLINUX) \
		$(if $(findstring multiboot2-efi,$@),-DMB2EFI) -I$(PROBE_DIR)/ -Itest/probe/ -o $@ $<

$(PROBE_DIR)/multiboot1.elf: $(PROBE_DIR)/32/entry-multiboot1.o \
		$(PROBE_DIR)/32/mb1.o $(PROBE_DIR)/32/probe.o $(PROBE_DIR)/32/ap.o \
		$(PROBE_DIR)/32/mem.o
	$(LD) -m elf_i386 --no-warn-rwx-segments -T test/probe/probe32.ld -o $@ $^

$(PROBE_DIR)/32/mb2.o $(PROBE_DIR)/32/mb2_info.o $(PROBE_DIR)/64pie/mb2efi.o \
		$(PROBE_DIR)/64pie/mb2_info.o: test/probe/mb2.h

$(PROBE_DIR)/multiboot2.elf: $(PROBE_DIR)/32/entry-multiboot2.o \
		$(PROBE_DIR)/32/mb2.o $(PROBE_DIR)/32/mb2_info.o \
		$(PROBE_DIR)/32/probe.o $(PROBE_DIR)/32/ap.o $(PROBE_DIR)/32/mem.o
	$(LD) -m elf_i386 --no-warn-rwx-segments -T test/probe/probe32.ld -o $@ $^

# Entered at its Multiboot2 EFI amd64 entry address tag: the ELF header's
# entry point is a stub that reports it was used instead. Relocatable, so
# its C is built position-independent, and the link fails if an object
# still holds an absolute address; entry64.asm keeps two link addresses on
# purpose, to compare, and ap.asm's real-mode code is copied before use.
PROBE_PIE_OBJS := $(PROBE_DIR)/64pie/mb2efi.o $(PROBE_DIR)/64pie/mb2_info.o \
	$(PROBE_DIR)/64pie/probe.o $(PROBE_DIR)/64pie/mem.o

$(PROBE_DIR)/multiboot2-efi.elf: $(PROBE_DIR)/64/entry-multiboot2-efi.o \
		$(PROBE_PIE_OBJS) $(PROBE_DIR)/64/ap.o
	@abs=$$(for o in $(PROBE_PIE_OBJS); do readelf -rW $$o; done | \
		awk '$$3 ~ /^R_X86_64_(64|32|32S)$$/ { print $$5 }'); \
	if [ -n "$$abs" ]; then echo "absolute relocations: $$abs"; exit 1; fi
	$(LD) --no-warn-rwx-segments -T test/probe/probe64.ld -e probe_elf_entry \
		-o $@ $^

$(PROBE_DIR)/elf64.elf: $(PROBE_DIR)/64/entry-elf64.o \
		$(PROBE_DIR)/64/elf64_probe.o $(PROBE_DIR)/64/probe.o $(PROBE_DIR)/64/ap.o \
		$(PROBE_DIR)/64/mem.o
	$(LD) --no-warn-rwx-segments -T test/probe/probe64.ld -o $@ $^

$(PROBE_DIR)/linux.elf: $(PROBE_DIR)/64/entry-linux.o \
		$(PROBE_DIR)/64/linux_probe.o $(PROBE_DIR)/64/probe.o $(PROBE_DIR)/64/ap.o \
		$(PROBE_DIR)/64/mem.o
	$(LD) --no-warn-rwx-segments -T test/probe/probe64.ld -o $@ $^

# boot.rst: syssize counts 16-byte units of the file (padded to them);
# init_size covers the .bss too
$(PROBE_DIR)/linux.bzImage: $(PROBE_DIR)/linux.elf test/probe/linux_setup.asm
	$(OBJCOPY) -O binary $< $(PROBE_DIR)/linux.bin
	size=$$(stat -c %s $(PROBE_DIR)/linux.bin); \
	truncate -s $$(( (size + 15) / 16 * 16 )) $(PROBE_DIR)/linux.bin
	end=$$(nm $< | awk '$$3 == "probe_image_end" { print $$1 }'); \
	size=$$(stat -c %s $(PROBE_DIR)/linux.bin); \
	$(NASM) -f bin -DPAYLOAD='"$(PROBE_DIR)/linux.bin"' \
		-DSYSSIZE=$$(( size / 16 )) \
		-DINIT_SIZE=$$(( ((0x$$end - 0x1000000) + 4095) / 4096 * 4096 )) \
		-o $@ test/probe/linux_setup.asm

# Fuzzers (test/fuzz): libFuzzer with AddressSanitizer and UBSan, over the
# pure code. `make fuzz` runs each for FUZZ_SECONDS, or for FUZZ_RUNS inputs
# when that is given (the count a fuzz campaign must reach).
FUZZ_CC := clang
FUZZ_CFLAGS := $(COMMON_CFLAGS) -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZERS := linux multiboot1 multiboot2 elf64 options bls tcg_log mb_info uki fmt url http
FUZZ_SECONDS ?= 60
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZERS))
FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzz-obj/%.o,$(PURE_SRCS) $(CORE_SRCS) \
		$(MB_PURE_SRCS) $(OWN_MACHINE_SRCS) test/fuzz/simulated_machine.c) \
	$(patsubst %.asm,$(BUILD)/efi-obj/%.o,$(ASM_SRCS))

$(BUILD)/fuzz-obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

# Reached only through the fuzzers' pattern rule, make would take these
# for intermediate files and delete them after a first build, and the
# next build would compile them all again.
.SECONDARY: $(FUZZ_OBJS)

$(BUILD)/fuzz/fuzz_%: test/fuzz/fuzz_%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itest/fuzz -o $@ $^

fuzz:
	test/tools/deps.sh fuzz
	$(MAKE) $(FUZZ_BINS) $(PROBES)
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) test/fuzz/run-fuzzers.sh $(FUZZERS)

# Host tools the QEMU tests use (test/tools/*.c)
$(BUILD)/tools/tcglog: test/tools/tcglog.c lib/tcg_log.c lib/tcg_log.h lib/sha256.c lib/sha256.h
	@mkdir -p $(dir $@)
	$(CC) $(COMMON_CFLAGS) -O1 -o $@ test/tools/tcglog.c lib/tcg_log.c lib/sha256.c

# The EFI driver test/qemu/bls.sh puts where systemd-boot's drivers go:
# efikexec.efi's compiler flags and linker script, written as a boot
# service driver
$(BUILD)/test-driver.efi: test/driver/test_driver.c linker.ld tools/elf_to_pe.py
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -flto=auto -MMD -MP,$(EFI_CFLAGS)) -nostdlib -shared \
		-Wl,-Bsymbolic,--build-id=none,-T,linker.ld -o $(BUILD)/test-driver.so $<
	$(PYTHON) tools/elf_to_pe.py --driver $(BUILD)/test-driver.so $@

# TESTS="NAME...": only those (test/qemu/NAME.sh), with all they need built
qemu-test: $(BUILD)/efikexec.efi $(BUILD)/efikexec.mb $(PROBES) $(BUILD)/tools/tcglog \
		$(BUILD)/test-driver.efi
	test/qemu/run-all.sh $(TESTS)

test: unit qemu-test

# The developers' fast loop, a few minutes on 2 cores where `make test`
# boots every QEMU test: `make unit` (the unit tests and the layer
# check), every fuzzer for CHECK_FUZZ_SECONDS from its corpus and seeds,
# and three QEMU boots, each asserting on what the booted kernel reports
# as in `make test`: Debian's kernel through efikexec.efi under OVMF
# (linux-cloud), the Multiboot 2 probe through efikexec.efi (probes) and
# Debian's kernel through efikexec.mb under SeaBIOS (mb-qemu), the last
# two cut to that boot by CHECK=1.
CHECK_FUZZ_SECONDS ?= 3
check:
	test/tools/deps.sh fuzz
	$(MAKE) unit all $(FUZZ_BINS) $(PROBES)
	FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) test/fuzz/run-fuzzers.sh $(FUZZERS)
	CHECK=1 test/qemu/run-all.sh linux-cloud probes mb-qemu

# `make run` works on a fresh machine: install what is missing first.
run:
	test/tools/deps.sh
	$(MAKE) $(BUILD)/efikexec.efi
	test/run-linux.sh

# `make run-mb`: the same kernel and initramfs through efikexec.mb, which
# QEMU's own Multiboot loader starts under SeaBIOS (test/run-linux-mb.sh).
.PHONY: run-mb
run-mb:
	test/tools/deps.sh
	$(MAKE) $(BUILD)/efikexec.mb
	test/run-linux-mb.sh

# Benchmarks, not tests: numbers for people, never pass/fail.
$(BUILD)/tools/bootclock: bench/bootclock.c
	@mkdir -p $(dir $@)
	$(CC) $(COMMON_CFLAGS) -O1 -o $@ $<

# lib/sha256.c's speed on the host, and under qemu-x86_64 (docs/bench.md)
$(BUILD)/tools/sha256-speed: bench/sha256_speed.c lib/sha256.c lib/sha256.h \
		cpu/facts.c cpu/facts.h
	@mkdir -p $(dir $@)
	$(CC) $(COMMON_CFLAGS) -Os -o $@ bench/sha256_speed.c lib/sha256.c cpu/facts.c

bench: $(BUILD)/efikexec.efi $(BUILD)/efikexec.mb $(PROBES) $(BUILD)/tools/bootclock
	test/tools/deps.sh bench
	bench/all.sh

# Where distributions put a boot loader's files, so that a package can be
# built from this: the images in $(PREFIX)/lib/efikexec, where
# efikexec-install looks for them, and efikexec-install in $(PREFIX)/sbin.
PREFIX ?= /usr/local
LIBDIR := $(PREFIX)/lib/efikexec
SBINDIR := $(PREFIX)/sbin

install: $(BUILD)/efikexec.efi $(BUILD)/efikexec.mb
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(SBINDIR)
	install -m 644 $(BUILD)/efikexec.efi $(BUILD)/efikexec.mb $(DESTDIR)$(LIBDIR)/
	sed 's|^libdir=.*|libdir=$(LIBDIR)|' installer/efikexec-install \
		> $(DESTDIR)$(SBINDIR)/efikexec-install
	chmod 755 $(DESTDIR)$(SBINDIR)/efikexec-install

# The version efikexec reports itself (lib/version.h) names the tarball.
VERSION := $(shell sed -n 's/^\#define EFIKEXEC_VERSION "\(.*\)"/\1/p' lib/version.h)

dist:
	@mkdir -p $(BUILD)
	git archive --format=tar.gz --prefix=efikexec-$(VERSION)/ \
		-o $(BUILD)/efikexec-$(VERSION).tar.gz HEAD
	@echo "built $(BUILD)/efikexec-$(VERSION).tar.gz"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
