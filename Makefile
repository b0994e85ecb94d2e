# SPDX-License-Identifier: GPL-2.0
#
# nestwalk: a thin wrapper around kbuild (the objects are listed in Kbuild),
# plus the project's test, packaging and demo targets.
#
#   KERNELRELEASE  kernel to build for (default: scripts/kernelrelease.sh)
#   KDIR           its build tree
#   CACHE          unpacked kernel source, debug kernel, VM images, results
#   NESTWALK_KO    module file "make vmtest" loads (default: built here)

KERNELRELEASE ?= $(shell $(CURDIR)/scripts/kernelrelease.sh)
ifeq ($(KERNELRELEASE),)
# Only "deps", "check" and "demo" can start on a machine without headers.
KERNELRELEASE = $(error no kernel build tree: run "make deps" or set KDIR)
endif
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
CACHE ?= $(CURDIR)/build
VM_KERNEL ?= /boot/vmlinuz-$(KERNELRELEASE)
# Set before any rule names it: prerequisites are expanded as read.
NESTWALK_KO ?= $(CACHE)/mod-vm/nestwalk.ko

S := $(CURDIR)/scripts
RESULTS := $(CACHE)/results
KSRC = ksrc=$$($(S)/ksrc.sh $(CACHE)) && ksft=$$ksrc/tools/testing/selftests

all: module

# --- the module -----------------------------------------------------------

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

module-debug:
	$(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_NESTWALK_DEBUG=y modules

install: dkms-install

# The kernel "make install" builds for: KERNELRELEASE when given, else the
# running one (never another kernel's headers). Before DKMS starts, a
# kernel that is too old or has no headers stops make with one line.
INSTALL_KREL = $(if $(filter command line environment,$(origin KERNELRELEASE)),$(KERNELRELEASE),$(shell uname -r))
INSTALL_ERR = $(shell $(S)/install-check.sh $(INSTALL_KREL))

dkms-install:
	$(if $(INSTALL_ERR),$(error $(INSTALL_ERR)))
	$(S)/srccopy.sh /usr/src/nestwalk-$(VERSION)
	dkms add -m nestwalk -v $(VERSION)
	dkms install -m nestwalk -v $(VERSION) -k $(INSTALL_KREL)
	$(MAKE) -C userspace O=/usr/local/sbin
	install -D -m 0644 Documentation/nestwalk.8 \
		/usr/local/share/man/man8/nestwalk.8

uninstall:
	-dkms remove -m nestwalk -v $(VERSION) --all
	rm -rf /usr/src/nestwalk-$(VERSION) /usr/local/sbin/nestwalk \
	       /usr/local/share/man/man8/nestwalk.8

VERSION = $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(CACHE)/unit $(CACHE)/selftests $(CACHE)/helper \
	       $(CACHE)/mod-* $(CACHE)/vm-* $(CACHE)/dkms $(RESULTS)

# --- userspace ------------------------------------------------------------

deps:
	$(S)/deps.sh

helper:
	$(MAKE) -C userspace O=$(CACHE)/helper

selftests: deps
	@$(KSRC) && mkdir -p $(CACHE)/selftests && \
	$(MAKE) -C selftests KSFT_DIR=$$ksft OUTPUT=$(CACHE)/selftests && \
	cp selftests/nestwalk.sh selftests/tap.sh selftests/helper_test.sh \
	   selftests/helper_run_test.sh selftests/docs_test.sh README.md \
	   Documentation/nestwalk.8 $(CACHE)/selftests/
	@[ -s $(CACHE)/selftests/sort.lackey.zst ] || \
	$(S)/lackey-trace.sh $(CACHE)/selftests/sort.lackey.gz

# The selftests laid out as the kernel's own "make install" of its selftests
# lays them out, for ./run_kselftest.sh on a test machine (built with the
# KSFT harness, 6.1 or 7.3: scripts/ksft-src.sh), with the lackey trace
# helper_run_test.sh replays:
#   make selftests-install INSTALL_PATH=DIR [KSFT=7.3]
KSFT ?= 6.1
selftests-install: deps
	@if [ -z "$(INSTALL_PATH)" ]; then \
		echo "selftests-install: set INSTALL_PATH=DIR" >&2; exit 1; fi
	@ksft=$$($(S)/ksft-src.sh $(KSFT) $(CACHE)) && \
	$(MAKE) -C selftests KSFT_DIR=$$ksft \
		OUTPUT=$(CACHE)/selftests-$(KSFT) install \
		INSTALL_PATH=$(abspath $(INSTALL_PATH))
	@mkdir -p $(CACHE)/selftests && \
	[ -s $(CACHE)/selftests/sort.lackey.zst ] || \
	$(S)/lackey-trace.sh $(CACHE)/selftests/sort.lackey.gz
	@cp $(CACHE)/selftests/sort.lackey.gz \
	    $(CACHE)/selftests/sort.lackey.gz.count \
	    $(CACHE)/selftests/sort.lackey.xz \
	    $(CACHE)/selftests/sort.lackey.zst $(abspath $(INSTALL_PATH))/nestwalk/

# Native speed of the core (userspace, -O2), the cost of ingesting a
# trace natively (without the module), then the kernel batch path against
# the userspace core and the whole ingest in one VM: figures, not a
# pass/fail test.
bench:
	@$(S)/deps.sh
	$(MAKE) -C bench O=$(CACHE)/bench
	@$(MAKE) --no-print-directory bench-ingest
	@$(MAKE) --no-print-directory bench-vm

# tests/vm/ingest.sh on this machine: lackey's pipe and the helper's
# parser (nestwalk trace --count-only) against lackey alone.
bench-ingest: helper vmbench
	PATH="$(CACHE)/helper:$(CACHE)/bench:$$PATH" sh tests/vm/ingest.sh native

# The core's outcomes against a baseline commit (scripts/equiv.sh): the
# model as issue 18 left it (hash 24a530b5b0a52ca1).
EQUIV_BASE ?= 9a86f5a4ac7a
equiv:
	@$(S)/deps.sh
	$(S)/equiv.sh $(EQUIV_BASE) $(CACHE)/equiv

# The static benchmark both carry: the kernel batch path, and the pipe's
# floor of the ingest figure ("vmbench drain").
vmbench:
	$(MAKE) -C bench O=$(CACHE)/bench vmbench

bench-vm: helper selftests vmbench $(NESTWALK_KO)
	@mkdir -p $(CACHE)/vm-bench
	@$(S)/vm-run.sh -n bench -j bench -k $(VM_KERNEL) -m $(NESTWALK_KO) \
		-s $(CACHE)/selftests -u $(CACHE)/helper/nestwalk \
		-x $(CACHE)/bench/vmbench -o $(CACHE)/vm-bench -t 900 -M 2048 -G

# libFuzzer over the decoders, builders and walkers, FUZZ_SECONDS long.
FUZZ_SECONDS ?= 60
fuzz: deps
	$(MAKE) -C tests/fuzz O=$(CACHE)/fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) run

# make check's libFuzzer run: FUZZ_CHECK_SECONDS from the kept corpus.
FUZZ_CHECK_SECONDS ?= 120
libfuzzer: deps
	@mkdir -p $(RESULTS)
	@$(MAKE) -s --no-print-directory -C tests/fuzz O=$(CACHE)/fuzz \
		FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS) TAP=$(RESULTS)/libfuzzer.tap \
		check

# Line coverage of module/core under the unit tests and the fuzzers (after
# "make libfuzzer", whose new inputs count too).
coverage: deps
	@$(KSRC) && $(S)/coverage.sh core $$ksft $(CACHE)/cov \
		$(RESULTS)/coverage.tap $(CACHE)/fuzz/work

# Line coverage of module/ in the debug kernel: the VM suite, the injected
# allocation failures and the ioctl fuzzer (after their vmtest stages).
coverage-module:
	@$(S)/coverage.sh module $(CACHE)/gcov $(RESULTS)/coverage-module.tap

# The uAPI page as reStructuredText, rendered from the header's kernel-doc.
docs: deps
	@$(KSRC) && mkdir -p $(CACHE)/docs && \
	$$ksrc/scripts/kernel-doc -rst include/uapi/linux/nestwalk.h \
		> $(CACHE)/docs/uapi-generated.rst && \
	echo "$(CACHE)/docs/uapi-generated.rst"

# --- tests and gates (each writes $(RESULTS)/NAME.tap) ---------------------

unit: deps
	@$(KSRC) && $(S)/unit.sh $$ksft $(CACHE)/unit $(RESULTS)/unit.tap

# The selftests on this machine, without the module, built and run with the
# 6.1 and the 7.3 kselftest harness: by lib.mk's run_tests, and installed
# (make install INSTALL_PATH=) and run by run_kselftest.sh. Each test skips.
ksft-host: deps
	@$(S)/ksft-host.sh $(CACHE) $(RESULTS)/ksft-host.tap

style: deps
	@$(KSRC) && $(S)/style.sh checkpatch $$ksrc $(RESULTS)/style.tap
	@$(S)/style.sh funcs $(KDIR) $(CACHE)/mod-funcs $(RESULTS)/style.tap

sparse: deps
	@$(S)/style.sh sparse $(KDIR) $(CACHE)/mod-sparse $(RESULTS)/sparse.tap

w1: deps
	@$(S)/style.sh w1 $(KDIR) $(CACHE)/mod-w1 $(RESULTS)/w1.tap

dkms: deps
	@$(S)/dkms-check.sh $(KERNELRELEASE) $(CACHE) $(RESULTS)/dkms.tap

# Module built in a copy for the VM, unless NESTWALK_KO names one.
$(CACHE)/mod-vm/nestwalk.ko: FORCE
	@$(S)/srccopy.sh $(CACHE)/mod-vm
	$(MAKE) -C $(KDIR) M=$(CACHE)/mod-vm modules

# One VM run of stage $(1): vm-run.sh with the arguments every stage
# passes and $(2); its output kept in $(RESULTS)/$(1).out, its TAP lines in
# $(RESULTS)/$(1).tap (vm-run.sh's own, "ok N - $(1): ...": a job other
# than the suite also prints the guest's raw lines, not counted twice),
# its exit status the run's.
define vm_run
mkdir -p $(RESULTS) $(CACHE)/vm/$(1) && \
{ $(S)/vm-run.sh -n $(1) -s $(CACHE)/selftests \
	-u $(CACHE)/helper/nestwalk -o $(CACHE)/vm/$(1) $(2) \
	> $(RESULTS)/$(1).out; rc=$$?; \
	cat $(RESULTS)/$(1).out; \
	grep -E '^(not )?ok [0-9]+ - $(1): ' $(RESULTS)/$(1).out \
		> $(RESULTS)/$(1).tap; \
	exit $$rc; }
endef

# The debug kernel (built once, cached) in $$dk, and the module built
# against it with CONFIG_NESTWALK_DEBUG=y.
define debug_module
$(KSRC) && dk=$$($(S)/debug-kernel.sh $$ksrc $(CACHE)) && \
$(S)/srccopy.sh $(CACHE)/mod-debug && \
$(MAKE) -s -C $$dk M=$(CACHE)/mod-debug CONFIG_NESTWALK_DEBUG=y modules
endef
DEBUG_VM := -k $$dk/arch/x86/boot/bzImage -m $(CACHE)/mod-debug/nestwalk.ko
comma := ,

# With valgrind and gnuplot in the image: the documentation's examples too.
vmtest: deps selftests helper $(NESTWALK_KO)
	@$(call vm_run,vmtest,-k $(VM_KERNEL) -m $(NESTWALK_KO) -t 900 -M 6144 \
		-G -e nwextra=docs_test.sh)

# The hugepage commands on a host with two NUMA nodes (per-node pools).
vmtest-numa: deps selftests helper $(NESTWALK_KO)
	@$(call vm_run,vmtest-numa,-j helper -N 2 -k $(VM_KERNEL) \
		-m $(NESTWALK_KO) -t 300 -M 2048)

# Injected allocation failures (failslab, fail_page_alloc) in the debug
# kernel: every ioctl path and module init, the N-th allocation failing.
vmtest-faults: deps selftests helper
	@$(debug_module) && $(call vm_run,vmtest-faults,-j faults -a \
		$(DEBUG_VM) -t 900 -M 2048 -g $(CACHE)/gcov/vmtest-faults)

# The ioctl fuzzer in the debug kernel, for a budget and a seed.
FUZZ_VM_SECONDS ?= 180
FUZZ_SEED ?= 1
vmtest-fuzz: deps selftests helper
	@$(debug_module) && $(call vm_run,vmtest-fuzz,-j fuzz \
		-e "nwfuzz=$(FUZZ_VM_SECONDS) nwseed=$(FUZZ_SEED)" \
		$(DEBUG_VM) -t $$(( $(FUZZ_VM_SECONDS) + 600 )) -M 2048 \
		-g $(CACHE)/gcov/vmtest-fuzz)

# The whole VM suite on another distribution's packaged cloud kernel: the
# module built in a root of that distribution with its compiler (W=1,
# sparse, then DKMS: scripts/kernel-stage.sh, TAP in $(RESULTS)/STAGE-build.tap),
# the DKMS-built module loaded into the kernel booted under QEMU.
# 6.12 and 7.x (-1 -c ,-cx16): see scripts/vm-run.sh.
define vmtest_kernel
$(S)/kernel-stage.sh $(1) $(CACHE) $(RESULTS)/$(2)-build.tap && \
k=$$($(S)/kernel-root.sh $(1) $(CACHE)) && eval "$$k" && \
$(call vm_run,$(2),-k $$VMLINUZ -m $(CACHE)/mod-$(1)/nestwalk.ko \
	-t 900 -M 6144 $(3))
endef

# 5.10's suite runs as kernel testers run it: the tree "make
# selftests-install" lays out, started by the kernel's run_kselftest.sh.
vmtest-510: deps selftests helper
	@$(MAKE) --no-print-directory selftests-install \
		INSTALL_PATH=$(CACHE)/ksft-install >/dev/null && \
	$(call vmtest_kernel,5.10,vmtest-510,-j ksft -K $(CACHE)/ksft-install)

vmtest-612: deps selftests helper
	@$(call vmtest_kernel,6.12,vmtest-612,-1 -c $(comma)-cx16)

vmtest-73: deps selftests helper
	@$(call vmtest_kernel,7.3,vmtest-73,-1 -c $(comma)-cx16)

debug-kernel: deps
	@$(KSRC) && $(S)/debug-kernel.sh $$ksrc $(CACHE)

vmtest-debug: deps selftests helper
	@$(debug_module) && $(call vm_run,vmtest-debug,$(DEBUG_VM) -t 900 \
		-M 2048 -S 30 -g $(CACHE)/gcov/vmtest-debug)

# The README's test command: every stage, timed, then "N passed, N failed".
check:
	@CACHE=$(CACHE) $(S)/check.sh

# Packages first, in a make of its own: KERNELRELEASE may only exist after.
demo:
	@$(S)/deps.sh
	@$(MAKE) --no-print-directory demo-vm

# nestwalk in the test VM, for people who will not load the module here:
#   make try ARGS='run --trace t.lackey.zst --mem 64M' FILES='t.lackey.zst'
# Packages first, as for demo; a missing file stops before the VM boots.
try:
	$(foreach f,$(FILES),$(if $(wildcard $(f)),,$(error make try: $(f): no such file)))
	@$(S)/deps.sh
	@$(MAKE) -s --no-print-directory try-vm

try-vm: export NW_TRY_ARGS := $(ARGS)
try-vm: export NW_TRY_FILES := $(FILES)
try-vm: helper selftests $(NESTWALK_KO)
	@$(S)/try.sh $(CACHE) $(VM_KERNEL) $(NESTWALK_KO) $(CACHE)/selftests \
		$(CACHE)/helper/nestwalk "$$NW_TRY_ARGS" "$$NW_TRY_FILES"

demo-vm: helper selftests $(NESTWALK_KO)
	@mkdir -p $(CACHE)/vm-demo
	@$(S)/vm-run.sh -n demo -j demo -k $(VM_KERNEL) -m $(NESTWALK_KO) \
		-s $(CACHE)/selftests -u $(CACHE)/helper/nestwalk \
		-o $(CACHE)/vm-demo -t 300

FORCE:

.PHONY: equiv all module module-debug install dkms-install uninstall clean deps \
	helper selftests selftests-install bench bench-vm bench-ingest vmbench fuzz libfuzzer coverage coverage-module \
	docs unit ksft-host style sparse w1 \
	dkms vmtest \
	vmtest-numa vmtest-510 vmtest-612 vmtest-73 vmtest-faults vmtest-fuzz debug-kernel \
	vmtest-debug check demo demo-vm try try-vm FORCE
