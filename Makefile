# SPDX-License-Identifier: GPL-2.0
#
# teach: build the module, the userspace library and tools, the selftests;
# run the checks, the demo and the test VM.  `make help` lists the targets.

BUILD	:= $(CURDIR)/build
KVER	?= $(shell bash -c '. scripts/lib.sh && stock_kver' 2>/dev/null)
KDIR	?= /lib/modules/$(KVER)/build
KTOOLS	:= $(BUILD)/kernel-tools
DEPS	:= $(BUILD)/.deps-ok

SAMPLES	 := $(wildcard samples/*/*.c samples/*/*.h)
KSOURCES := Kbuild $(wildcard kmod/*.c kmod/*.h kmod/*/*.c kmod/*/*.h) uapi/linux/teach.h \
	    $(SAMPLES) $(wildcard samples/*/Kbuild)
KLINT	 := $(wildcard kmod/*.c kmod/*.h kmod/*/*.c kmod/*/*.h) uapi/linux/teach.h $(SAMPLES)

export CMD KERNEL

.PHONY: all module module-debug userspace selftests check demo vm lint \
	deps clean help bench fuzz

all: module userspace selftests

help:
	@echo "make            build teach.ko and samples/ (stock kernel), libteach, tools, selftests"
	@echo "make check      lint, host unit tests, kselftests in the stock and debug VMs"
	@echo "make demo       boot the VM and walk through what teach does"
	@echo "make vm         interactive shell in the VM; make vm CMD='...' runs one command"
	@echo "                KERNEL=debug selects the debug kernel (KASAN, lockdep, kmemleak)"
	@echo "make bench      teach against TCP/UDP in the VM: one table, JSON in build/bench/"
	@echo "make fuzz       the syscall and packet fuzzers for FUZZ_SECONDS (600) each in the stock,"
	@echo "                then the debug VM"
	@echo "                (FUZZ_SEED=N replays a seed, FUZZ_THREADS=N sets the threads)"
	@echo "make lint       checkpatch --strict and sparse on the kernel sources and samples/"
	@echo "make module-debug  build teach.ko and samples/ against the debug kernel"

# Dependencies are installed once per build tree (scripts/install-deps is idempotent).
$(DEPS): scripts/install-deps
	@scripts/install-deps
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS)

$(KTOOLS)/.done: scripts/kernel-tools | $(DEPS)
	@scripts/kernel-tools $(KTOOLS)
	@touch $@

module: $(BUILD)/stock/teach.ko

$(BUILD)/stock/teach.ko: $(KSOURCES) scripts/build-module | $(DEPS)
	@scripts/build-module $(KDIR) $(BUILD)/stock

module-debug: $(BUILD)/debug/teach.ko

$(BUILD)/debug/teach.ko: $(KSOURCES) scripts/build-module scripts/debug.config | $(DEPS)
	@scripts/build-module "$$(scripts/debug-kernel)/obj" $(BUILD)/debug

userspace: | $(DEPS)
	@$(MAKE) --no-print-directory -C userspace OUT=$(BUILD)/userspace

selftests: userspace $(KTOOLS)/.done
	@scripts/build-selftests $(KTOOLS) $(BUILD)

lint: $(KTOOLS)/.done | $(DEPS)
	@scripts/lint $(KDIR) $(KTOOLS) $(KLINT)

check: | $(DEPS)
	@scripts/check

demo: all
	@scripts/demo

vm: all
	@if [ "$(KERNEL)" = debug ]; then $(MAKE) --no-print-directory module-debug; fi
	@scripts/vm $(if $(CMD),"$$CMD")

bench: all
	@if [ "$(KERNEL)" = debug ]; then $(MAKE) --no-print-directory module-debug; fi
	@scripts/bench

FUZZ_SECONDS ?= 600
FUZZ_THREADS ?= 4
FUZZ_ARGS = -t $(FUZZ_SECONDS) -j $(FUZZ_THREADS) $(if $(FUZZ_SEED),-s $(FUZZ_SEED))
PFUZZ_ARGS = -t $(FUZZ_SECONDS) $(if $(FUZZ_SEED),-s $(FUZZ_SEED))

# The long run of the fuzzer that make check runs briefly (testing.rst).
fuzz: all module-debug
	@for k in stock debug; do \
		echo "== syscall_fuzz $(FUZZ_ARGS) on the $$k kernel"; \
		KERNEL=$$k VM_NAME=fuzz scripts/vm -t $$(($(FUZZ_SECONDS) + 600)) \
			"/opt/teach/ksft/teach/syscall_fuzz $(FUZZ_ARGS)" || exit 1; \
		echo "== packet_fuzz $(PFUZZ_ARGS) on the $$k kernel"; \
		KERNEL=$$k VM_NAME=fuzz scripts/vm -t $$(($(FUZZ_SECONDS) + 600)) \
			"/opt/teach/ksft/teach/packet_fuzz $(PFUZZ_ARGS)" || exit 1; \
	done

clean:
	rm -rf $(BUILD)
