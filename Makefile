# efikexec: see README.md.
#
#   make            build/efikexec.efi
#   make run        boot a Debian kernel through efikexec in QEMU
#   make test       host unit tests, then the QEMU boot tests (what CI runs)
#   make unit       host unit tests only
#   make bench      benchmarks (build/bench/)

BUILD    := build
CC       := gcc
NASM     := nasm
LD       := ld
OBJCOPY  := objcopy

EFI_INC  := /usr/include/efi
EFI_LIB  := /usr/lib

# Pure logic: no firmware headers; built for the UEFI image and for the
# host unit tests alike.
PURE_SRCS := lib/fmt.c lib/diag.c lib/utf.c \
	$(wildcard mm/*.c boot/*.c relocate/*.c efi/options.c) \
	$(wildcard cpu/facts.c cpu/policy.c cpu/park_area.c cpu/madt.c)
# Code that needs the firmware or privileged instructions.
TARGET_SRCS := lib/mem.c lib/serial.c \
	$(filter-out $(PURE_SRCS),$(wildcard cpu/*.c efi/*.c))
ASM_SRCS := $(wildcard relocate/*.asm cpu/*.asm)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers
COMMON_CFLAGS := -std=gnu11 $(WARN) -fno-strict-aliasing -I. -I$(BUILD)/gen

EFI_CFLAGS := $(COMMON_CFLAGS) -O2 -ffreestanding -fno-builtin \
	-fno-tree-loop-distribute-patterns -fno-stack-protector -fpic \
	-fshort-wchar -mno-red-zone -maccumulate-outgoing-args -fvisibility=hidden \
	-DGNU_EFI_USE_MS_ABI -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -MMD -MP

HOST_CFLAGS := $(COMMON_CFLAGS) -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -MMD -MP

EFI_OBJS := $(patsubst %.c,$(BUILD)/efi-obj/%.o,$(PURE_SRCS) $(TARGET_SRCS)) \
	$(patsubst %.asm,$(BUILD)/efi-obj/%.o,$(ASM_SRCS))

UNIT_SRCS := $(wildcard test/unit/*.c)
UNIT_OBJS := $(patsubst %.c,$(BUILD)/host-obj/%.o,$(PURE_SRCS) $(UNIT_SRCS)) \
	$(patsubst %.asm,$(BUILD)/efi-obj/%.o,$(ASM_SRCS))

.PHONY: all unit test qemu-test run bench clean
all: $(BUILD)/efikexec.efi

$(BUILD)/gen/layout.inc: tools/gen_layout_inc.c relocate/reloc_params.h \
		relocate/plan.h cpu/park_layout.h
	@mkdir -p $(dir $@)
	$(CC) $(COMMON_CFLAGS) -o $(BUILD)/gen/gen_layout_inc $<
	$(BUILD)/gen/gen_layout_inc > $@

$(BUILD)/efi-obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(EFI_CFLAGS) -c -o $@ $<

$(BUILD)/efi-obj/%.o: %.asm $(BUILD)/gen/layout.inc
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -I$(BUILD)/gen/ -o $@ $<

$(BUILD)/efikexec.so: $(EFI_OBJS) linker.ld
	$(LD) -nostdlib -znocombreloc -shared -Bsymbolic -T linker.ld \
		-o $@ $(EFI_LIB)/crt0-efi-x86_64.o $(EFI_OBJS) $(EFI_LIB)/libgnuefi.a

$(BUILD)/efikexec.efi: $(BUILD)/efikexec.so
	$(OBJCOPY) -j .text -j .data -j .dynamic -j .dynsym -j .rela -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes)"

$(BUILD)/host-obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(CC) $(HOST_CFLAGS) -c -o $@ $<

$(BUILD)/unit-tests: $(UNIT_OBJS)
	$(CC) $(HOST_CFLAGS) -o $@ $^

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

qemu-test: $(BUILD)/efikexec.efi
	test/qemu/run-all.sh

test: unit qemu-test

# `make run` works on a fresh machine: install what is missing first.
run:
	test/tools/deps.sh
	$(MAKE) $(BUILD)/efikexec.efi
	test/run.sh

# Benchmarks, not tests: numbers for people, never pass/fail.
bench: $(BUILD)/efikexec.efi
	bench/run.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
