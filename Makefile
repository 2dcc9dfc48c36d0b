# SPDX-License-Identifier: GPL-2.0
#
# mailslot: Windows-style mailslots and signaled process objects for Linux.
#
#   make              module (kmod/mailslot.ko, W=1), libmailslot, the
#                     mailslot tool, the selftests and examples
#   make demo         boot a VM with the module and run scripts/demo.sh
#   make check        build everything, run every test in one VM
#   make shell        interactive shell in that VM
#   make bench        benchmarks against the Linux peers in the VM (docs/bench.md)
#   make bench-insns  instructions per message under QEMU -icount: the module, variants, peers
#   make check-bench  the benchmark's smoke run and its ablation patches (CI)
#   make check KVER=<lane>   the same on another Debian kernel: the lanes
#                     are the table in scripts/lib.sh (5.10, 6.12, 6.12-rt,
#                     7.3, 7.3-rt beside the default 6.1; see the README)
#   sudo make install / sudo make check-host    on a host that can insmod
#   make lint / check-dkms / check-install        packaging and style gates
#   make check-vm-run   the VM runner's KVM fallback and watchdog (forced failures)
#   make soak [SOAK_RUNS=5] [KVER=..]   make check N times, failing tests by name
#   make check-kselftest-tree   build selftests/ inside a kernel tree's lib.mk
#   make check-relay    the relay's host tests: wire format unit and fuzz
#                     tests (plain and ASan/UBSan), name mapping, tshark decode
#   make check-remote   three guests on a virtual LAN (unix sockets): remote
#                     mailslots end to end, the capture decoded by tshark
#
# KDIR=<kernel build dir> overrides the kernel to build against; by default
# it is the running kernel's, else Debian headers that have a bootable image
# (see scripts/deps kdir).  KVER=<lane> builds against that Debian kernel
# into build/$(KVER)/ and boots it.  KSFT_DIR=<kernel tree> takes the
# kselftest headers from that tree instead of linux-source-6.1.
# MAILSLOT_CACHE (default ~/.cache/mailslot) holds kernels and headers.
# The scripts are laid out in scripts/lib.sh's header.

# The one definition of the cache is scripts/lib.sh's; exported to the
# scripts and to make -C userlib (its kselftest headers).
export MAILSLOT_CACHE := $(shell scripts/deps cache)

KVER ?=
# The lanes: the one list is scripts/lib.sh's table.
LANES := $(shell scripts/deps lanes)
ifneq ($(KVER),)
ifeq ($(filter $(KVER),$(LANES)),)
$(error unknown KVER=$(KVER); the lanes are: $(LANES))
endif
# Lanes of another Debian release build inside a root of that release
# (its compiler and headers), made by scripts/deps root.
LANE_ROOT := $(shell scripts/deps lane-root $(KVER))
endif
# Memoised on first use, so that targets which need no kernel (clean, or
# check before it installed the headers) do not look for one.
KDIR = $(eval KDIR := $(shell scripts/deps kdir $(KVER)))$(KDIR)
KSFT_INC = $(eval KSFT_INC := $(shell KSFT_DIR='$(KSFT_DIR)' scripts/deps ksft))$(KSFT_INC)

ifeq ($(KVER),)
MODDIR := $(CURDIR)
else
# Kbuild of 5.10 to 6.12 has no separate output dir for external modules,
# so each lane builds a copy of the module sources (without the generated
# kmod/*.mod.c of a build in the tree: modpost of another kernel wrote it).
MODDIR := $(CURDIR)/build/$(KVER)
endif

# check, demo and shell build in parallel unless the caller chose -j (which
# make 4.3 shows in MAKEFLAGS only inside recipes), and under a lock: people
# sharing a checkout run them at the same time, and two kbuild runs in one
# tree clobber each other's objects.  The VMs themselves run concurrently.
JOBS = $$(case " $$MAKEFLAGS" in *" -j"*) ;; *) echo -j$$(nproc 2>/dev/null || echo 2) ;; esac)
BUILD_LOCKED = @mkdir -p build && flock build/.build.lock $(MAKE) $(JOBS) all

all: modules userlib selftests examples relay

modules:
	@test -n "$(KDIR)" || { echo "no kernel build dir: run 'make check' (installs headers) or pass KDIR=" >&2; exit 1; }
	@echo "mailslot: building the module against KDIR=$(KDIR)"
ifneq ($(KVER),)
	@scripts/deps copy-module $(MODDIR)
endif
ifneq ($(LANE_ROOT),)
	+scripts/deps kbuild $(KVER) $(MODDIR) W=1 modules
else
	$(MAKE) -C $(KDIR) M=$(MODDIR) W=1 modules
endif

lanes:
	@echo $(LANES)

userlib:
	@if [ -f userlib/Makefile ]; then \
		test -n "$(KSFT_INC)" || exit 1; \
		$(MAKE) -C userlib KSFT_DIR=$(KSFT_INC); \
	fi

selftests:
	@test -n "$(KSFT_INC)" || exit 1
	$(MAKE) -C selftests KSFT_DIR=$(KSFT_INC)

examples: userlib
	@if [ -f examples/Makefile ]; then $(MAKE) -C examples; fi

# mailslotd and its tests (the end-to-end one needs the kselftest headers).
relay: userlib
	@test -n "$(KSFT_INC)" || exit 1
	$(MAKE) -C relay KSFT_DIR=$(KSFT_INC)

.PHONY: relay

# Fetch and install what the VM lane needs (apt packages as root, the kernel
# image into the cache, the kselftest headers), then build and run.
deps:
	scripts/deps all $(KVER)

check: deps
	$(BUILD_LOCKED)
	KVER=$(KVER) scripts/check

demo: deps
	$(BUILD_LOCKED)
	KVER=$(KVER) scripts/vm/vm-run --add scripts/demo.sh -- sh ./demo.sh

shell: deps
	$(BUILD_LOCKED)
	KVER=$(KVER) scripts/vm/vm-run

# The debug-kernel lane: a cached 6.1 kernel with KASAN, lockdep, kmemleak,
# UBSAN and fault injection; the suite, fault injection, fuzzing, stress.
# See scripts/debug/check-debug and docs/reliability.md.
check-debug: deps
	$(MAKE) selftests userlib
	scripts/debug/check-debug

.PHONY: check-debug

# On a real host with the running kernel's headers: the same test programs
# directly, with the module loaded (insmod'ed and removed again if needed).
check-host: all
	scripts/check --host

# Benchmarks against the Linux peers in one VM boot: docs/bench.md, CSV, PNG.
bench: deps
	$(MAKE) modules
	KVER=$(KVER) scripts/bench $(BENCH_ARGS)

# Instructions per message under QEMU's -icount, for the module, its
# measurement-only variants (bench/ablate/) and the peers: docs/bench-insns.csv.
bench-insns: deps
	$(MAKE) modules
	KVER=$(KVER) scripts/bench-insns $(BENCH_INSNS_ARGS)

# The benchmark still runs and docs/bench-results.csv still has its rows:
# the ablation patches apply, a smoke run of every section (scripts/gates/check-bench).
check-bench: deps
	$(MAKE) modules
	scripts/gates/check-bench

.PHONY: bench bench-insns check-bench

# selftests/ dropped into tools/testing/selftests/mailslot of an extracted
# 6.1 tree and built by the kernel's own lib.mk.
check-kselftest-tree:
	scripts/gates/check-kselftest-tree

# The relay (relay/): host tests that need no VM.
# tshark (for the decode test) is installed when missing, as root.
check-relay:
	@bash -c '. scripts/lib.sh && ms_need tshark'
	$(MAKE) -C relay check-host

.PHONY: check-relay

# Three VMs on one virtual LAN (QEMU dgram netdevs on unix sockets, a hub):
# broadcast, unicast, an unexported slot, a killed relay; the captured
# traffic decoded by tshark (scripts/check-remote).
check-remote: deps
	$(BUILD_LOCKED)
	KVER=$(KVER) scripts/check-remote

.PHONY: check-remote

# Packaging (scripts/install, docs/packaging.md): DESTDIR=, PREFIX=/usr/local,
# MAILSLOT_GROUP=<group> (udev rule), AUTOLOAD=1, MOK_KEY= MOK_CERT= (signing).
install: all
	KDIR=$(KDIR) MODDIR=$(MODDIR) scripts/install install

uninstall:
	KDIR=$(KDIR) scripts/install uninstall

# Style gates: checkpatch, clang-format (report), sparse, uapi C/C++, pahole,
# shellcheck of every script.
lint:
	scripts/gates/lint

check-dkms:
	scripts/gates/check-dkms

# make check (or SOAK_TARGET) SOAK_RUNS times on a lane; names every failure.
SOAK_RUNS ?= 5
soak:
	KVER=$(KVER) SOAK_TARGET=$(or $(SOAK_TARGET),check) scripts/soak $(SOAK_RUNS)

# The VM runner's accelerator fallback and watchdog, on forced failures.
check-vm-run: all
	scripts/vm/tests/vm-run-test

check-install:
	scripts/gates/check-install

# Debian packages (debian/, docs/packaging.md): built in clean chroots of
# bookworm and trixie (DEB_RELEASE=bookworm picks one) with lintian, into
# build/deb/RELEASE/; check-deb installs, checks and purges them in fresh
# chroots, then runs the suite in a VM with the module DKMS built.
deb:
	scripts/deb build

check-deb: userlib selftests
	scripts/deb check

.PHONY: deb check-deb

clean:
	@if [ -d /lib/modules/$$(uname -r)/build ] || [ -n "$$(scripts/deps headers all)" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	@if [ -f userlib/Makefile ]; then $(MAKE) -C userlib clean; fi
	@if [ -f examples/Makefile ]; then $(MAKE) -C examples clean; fi
	@if [ -f bench/Makefile ]; then $(MAKE) -C bench clean; fi
	$(MAKE) -C selftests clean
	rm -rf build

.PHONY: all lanes modules userlib selftests examples deps check demo shell \
	check-host check-kselftest-tree install clean \
	uninstall lint check-dkms check-install check-vm-run soak
