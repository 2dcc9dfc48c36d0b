# shellcheck shell=bash disable=SC2034 # its variables are for the scripts
# The library of mailslot's scripts: every host-side script sources it
# (". "$(dirname "$0")/lib.sh" or ../lib.sh).  Sourced, not run.
#
# The layout of scripts/:
#   lib.sh        this file: ms_log/ms_die, the cache, the version, ms_need,
#                 the lanes, the installed headers, the module's sources,
#                 the kernel-report patterns, the sanitizer options, the
#                 accelerator choice of the VM runner
#   deps check soak bench install demo.sh check-remote
#                 entry points: make deps/check/soak/bench/install; demo.sh
#                 is the make demo scenario (runs in the guest);
#                 check-remote is make check-remote (three guests on a LAN)
#   vm/           the VM runner: vm-run (host), guest-init and run-tests
#                 (the guest's busybox sh), tests/ (make check-vm-run);
#                 lan-hub (host) and lan-guest (guest) of check-remote
#   gates/        lint, check-install, check-dkms, check-kselftest-tree
#                 (make lint and the packaging gates)
#   debug/        the debug lanes: check-debug, build-kernel, guest-run (in
#                 the guest), debug.config and kcsan.config (their content
#                 keys the cached kernels)
# Scripts that run in the guest (busybox sh, no bash) cannot source this
# file; what they need of it, the host passes in files (vm-run's
# /etc/vm-env, check-debug's debug-env).

# Kernel "lanes": KVER names a Debian kernel whose image and headers come
# from Debian's archive.  The exact package names are resolved at run time
# from the lane's meta-packages, so a point release needs no edit.  The
# lane table below is the one list of lanes: scripts/deps, gates/check-dkms,
# .ci/run and the Makefile read it (through "scripts/deps lanes").
#
# Columns:
#   lane      the KVER value
#   release   Debian release whose kernel, headers and compiler the lane uses
#   suites    "host": this Debian 12 machine's own apt sources (the module is
#             built on the host); otherwise the comma-separated suites of a
#             private apt configuration in $MS_CACHE/apt/RELEASE (the host's
#             sources are never touched) and the module is built inside a
#             root of that release made by mmdebstrap ($MS_CACHE/roots/RELEASE)
#   default   the suite whose versions win (APT::Default-Release), or "-"
#   headers   headers meta-package; its Depends names the exact release
#   image     package holding the bootable image, %s = kernel release
#   path      the image's path inside that package, %s = kernel release
#   compiler  what the module is built with (the release's own gcc)
# To add a lane: add a row (the image must boot in QEMU with the serial
# console built in), then run make check KVER=<lane>; see the README.
MS_LANE_TABLE='
6.1      bookworm  host                        -                 linux-headers-amd64         linux-image-%s             boot/vmlinuz-%s                  gcc-12
6.12     bookworm  host                        -                 linux-headers-6.12-amd64    linux-image-%s             boot/vmlinuz-%s                  gcc-12
6.12-rt  bookworm  host                        -                 linux-headers-6.12-rt-amd64 linux-image-%s             boot/vmlinuz-%s                  gcc-12
5.10     bullseye  bullseye,bullseye-security  -                 linux-headers-amd64         linux-image-%s             boot/vmlinuz-%s                  gcc-10
7.3      trixie    trixie,trixie-backports     trixie-backports  linux-headers-amd64         linux-binary-unsigned-%s   usr/lib/modules/%s/vmlinuz.unsigned  gcc-14
7.3-rt   trixie    trixie,trixie-backports     trixie-backports  linux-headers-rt-amd64      linux-binary-unsigned-%s   usr/lib/modules/%s/vmlinuz.unsigned  gcc-14
'

# --- the tree, the cache, the version --------------------------------------
MS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The one definition of the cache (kernels, headers, apt lists, roots, the
# debug kernels); the Makefile exports it to make -C userlib and the rest.
MS_CACHE=${MAILSLOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mailslot}
# The version of everything: the file VERSION at the top of the tree.
MS_VERSION=$(cat "$MS_TOP/VERSION" 2>/dev/null || true)
# Version of linux-source that provides the kselftest harness headers,
# checkpatch.pl and the debug kernels' source.
MS_KSFT_VER=6.1
MS_LINUX_SOURCE=/usr/src/linux-source-$MS_KSFT_VER.tar.xz

# --- logging and dying ---------------------------------------------------
# "NAME: message" on stderr, NAME being the script's.  ms_die exits with
# $MS_DIE_STATUS (default 1): vm-run's own failures are 120, lint's 2.
ms_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
ms_die() { ms_log "error: $*"; exit "${MS_DIE_STATUS:-1}"; }
# The script's usage: its header comment (the lines after #! up to the
# first line that is not a comment), without the "# ".
ms_usage() {
	awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"
}

# --- packages ------------------------------------------------------------
# Install Debian packages $@: as root with apt-get (updating the lists
# first when the install fails on stale ones); otherwise print the exact
# command to run as root and return 1.
ms_apt_install() {
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		ms_log "missing packages; install them as root with:"
		echo "  apt-get update && apt-get install -y --no-install-recommends $*" >&2
		return 1
	fi
	ms_log "installing: $*"
	# CI builds the debug kernels in the background while the lanes run,
	# and both may install packages: wait for the other's dpkg lock
	# rather than fail on it.
	local wait=(-o DPkg::Lock::Timeout=600)
	DEBIAN_FRONTEND=noninteractive apt-get "${wait[@]}" install -y -q --no-install-recommends "$@" >&2 && return 0
	apt-get "${wait[@]}" update -q >&2 &&
		DEBIAN_FRONTEND=noninteractive apt-get "${wait[@]}" install -y -q --no-install-recommends "$@" >&2
}

# ms_want CMD [PACKAGE]: succeed when command CMD exists, installing
# PACKAGE (default CMD) first when it does not; ms_need dies instead.
ms_want() {
	command -v "$1" >/dev/null && return 0
	ms_apt_install "${2:-$1}" || true
	command -v "$1" >/dev/null
}
ms_need() {
	ms_want "$@" || ms_die "$1 not found (Debian package ${2:-$1})"
}

# --- the module's sources ------------------------------------------------
# Print the files an external build of the module needs (VERSION, Kbuild,
# kmod/, uapi/), relative to the top of the tree, without what a build in
# the tree generated (kmod/*.mod.c is modpost's).
ms_module_files() {
	(cd "$MS_TOP" && find VERSION Kbuild kmod uapi -type f \( -name '*.[ch]' -o -name Kbuild \
		-o -name Makefile -o -name VERSION \) ! -name '*.mod.c' | sort)
}

# ms_ablate_all: the measurement-only patches that make bench-insns' "all"
# variant, relative to the top: every bench/ablate/*.patch but iter.patch
# (that one puts back the module before aaab3a9 rather than removing a cost).
ms_ablate_all() {
	local p
	for p in "$MS_TOP"/bench/ablate/*.patch; do
		[ "${p##*/}" = iter.patch ] || echo "bench/ablate/${p##*/}"
	done
}

# ms_copy_module DEST [FILE...]: copy those files (and FILEs, relative to
# the top) into DEST, keeping their paths and times.
ms_copy_module() {
	local dest=$1
	shift
	mkdir -p "$dest"
	{ ms_module_files; printf '%s\n' "$@"; } | grep . |
		(cd "$MS_TOP" && cpio -pdmu --quiet "$dest")
}

# --- installed kernel headers --------------------------------------------
# ms_headers all|stock: print the installed Debian kernel header dirs
# (/usr/src/linux-headers-*-amd64 with a Makefile), oldest first; "stock"
# leaves out the -rt and -cloud flavours (the gates build against one of
# each version).
ms_headers() {
	local d
	for d in /usr/src/linux-headers-*-amd64; do
		[ -f "$d/Makefile" ] || continue
		case $1:$d in stock:*-rt-amd64 | stock:*-cloud-amd64) continue ;; esac
		echo "$d"
	done | sort -V
}

# --- kernel reports ------------------------------------------------------
# The headlines of the kernel's reports (lib/bug.c, mm/slub.c, mm/kasan/
# report.c, lib/ubsan.c, mm/kfence, kernel/kcsan, mm/kmemleak.c,
# kernel/locking/lockdep.c, lib/debugobjects.c, lib/list_debug.c,
# kernel/hung_task.c, kernel/watchdog.c, kernel/rcu), as one ERE.  The
# sanitizers' boot banners are lower case ("kasan: ...", "kmemleak: Kernel
# memory leak detector initialized") and match none of these.
MS_KLOG_REPORTS='WARNING:|BUG:|BUG [^ ]+ \(|kernel BUG|Oops|general protection fault|Kernel panic|'
MS_KLOG_REPORTS+='KASAN:|UBSAN:|KFENCE:|KCSAN:|unreferenced object 0x|kmemleak: [0-9]+ new suspected memory leaks|'
MS_KLOG_REPORTS+='possible (circular|recursive) locking|inconsistent lock state|lock held when returning|'
MS_KLOG_REPORTS+='suspicious RCU usage|bad unlock balance|held lock freed|nested lock|possible irq lock inversion|'
MS_KLOG_REPORTS+='DEBUG_LOCKS_WARN_ON|INFO: lockdep is turned off|'
MS_KLOG_REPORTS+='sleeping function called from invalid context|scheduling while atomic|'
MS_KLOG_REPORTS+='INFO: task .* blocked|soft lockup|hard LOCKUP|rcu.*(stall|self-detected)|rcu: INFO:|'
MS_KLOG_REPORTS+='refcount_t:|list_(add|del) corruption|double free|slab .* corrupted|'
MS_KLOG_REPORTS+='Poison overwritten|Redzone|Object padding|ODEBUG: .* object type:'
# A stack dump without one of those headlines (dump_stack(), an allocation
# failure's warning): a problem on the stock lanes, but the debug lane
# injects allocation failures on purpose and the kernel dumps a stack for
# some of them, so check-debug leaves this one out.
MS_KLOG_STACKS='Call Trace:'

# ms_klog_reports FILE [LINES] [ERE]: print the lines of kernel log FILE
# that hold a report (grep -n, with LINES lines after each) and succeed
# when there is one.  ERE extends the patterns (check: $MS_KLOG_STACKS).
ms_klog_reports() {
	local re=$MS_KLOG_REPORTS${3:+|$3}
	[ -s "$1" ] || return 1
	grep -En ${2:+-A"$2"} "$re" "$1"
}

# ms_taint_ok TAINTED: print what is wrong with taint value TAINTED and
# fail, or succeed silently when it has no bit other than O (4096,
# out-of-tree module) and E (8192, unsigned module), which loading
# mailslot.ko sets by design.
ms_taint_ok() {
	case $1 in
	'' | *[!0-9]*) echo "taint value unknown ('$1')"; return 1 ;;
	esac
	if [ $(($1 & ~(4096 | 8192))) -ne 0 ]; then
		echo "kernel tainted: $1 (unexpected bits $(($1 & ~(4096 | 8192))); see Documentation/admin-guide/tainted-kernels.rst)"
		return 1
	fi
}

# --- the debug kernels' sanitizers ---------------------------------------
# The options build-kernel --config and the guest's config phase show, and
# the ones the debug kernel must have =y (guest-run checks the running
# kernel: the host passes both in debug-env).
MS_SANITIZER_OPTS='KASAN KASAN_GENERIC KASAN_INLINE KASAN_OUTLINE KASAN_STACK KASAN_VMALLOC'
MS_SANITIZER_OPTS+=' PROVE_LOCKING LOCKDEP DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK UBSAN UBSAN_BOUNDS'
MS_SANITIZER_OPTS+=' UBSAN_SANITIZE_ALL FAULT_INJECTION FAILSLAB FAIL_PAGE_ALLOC'
MS_SANITIZER_OPTS+=' FAULT_INJECTION_USERCOPY FAULT_INJECTION_DEBUG_FS SLUB SLUB_DEBUG SLOB SLAB'
MS_SANITIZER_OPTS+=' KCSAN KCSAN_[A-Z_]*'
MS_SANITIZER_REQUIRED='KASAN KASAN_INLINE PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK'
MS_SANITIZER_REQUIRED+=' UBSAN FAULT_INJECTION FAILSLAB FAIL_PAGE_ALLOC FAULT_INJECTION_USERCOPY SLUB'
# ms_sanitizer_re [OPTION...]: the ERE of those .config lines (set or not).
ms_sanitizer_re() {
	local o re=''
	if [ $# -eq 0 ]; then
		# a word list whose [A-Z_]* must stay a pattern
		set -f
		# shellcheck disable=SC2086
		set -- $MS_SANITIZER_OPTS
		set +f
	fi
	for o in "$@"; do re+=${re:+|}$o; done
	echo "^(# )?CONFIG_($re)[ =]"
}

# --- the VM runner's report ----------------------------------------------
# ms_ctl_field CTL KEY: the value of line "KEY VALUE" in the guest's report
# (vm-run's RUNDIR/ctl.txt), or nothing.
ms_ctl_field() {
	[ -f "$1" ] || return 0
	awk -v k="$2" '$1 == k {print $2; exit}' "$1"
}

# Print the lane names, one a line, in the table's order (default first).
ms_lanes() {
	printf '%s\n' "$MS_LANE_TABLE" | awk 'NF {print $1}'
}

# Print column $2 (release, suites, default, headers, image, path, compiler)
# of lane $1.
ms_lane() {
	local col
	case $2 in
	release) col=2 ;; suites) col=3 ;; default) col=4 ;; headers) col=5 ;;
	image) col=6 ;; path) col=7 ;; compiler) col=8 ;;
	*) ms_die "ms_lane: no column '$2'" ;;
	esac
	printf '%s\n' "$MS_LANE_TABLE" | awk -v l="$1" -v c=$col '$1 == l {print $c; f=1} END {exit !f}' ||
		ms_die "unknown KVER '$1' (known: $(ms_lanes | tr '\n' ' '))"
}

# Print the release whose root lane $1 builds in, or nothing for a host lane.
ms_lane_root_release() {
	[ "$(ms_lane "$1" suites)" = host ] || ms_lane "$1" release
}

# Print the lane whose kernel release is $1 (e.g. 5.10.0-46-amd64 or
# 7.3.4+deb13-rt-amd64): $KVER when it is that lane's, else by the version.
ms_release_lane() {
	local l
	if [ -n "${KVER:-}" ]; then echo "$KVER"; return 0; fi
	for l in $(ms_lanes); do
		case $1 in
		"${l%-rt}".*-rt-amd64 | "${l%-rt}"-*-rt-amd64) [ "${l%-rt}" != "$l" ] || continue ;;
		"${l%-rt}".* | "${l%-rt}"-*) [ "${l%-rt}" = "$l" ] || continue ;;
		*) continue ;;
		esac
		# 6.1's releases are 6.1.0-N-amd64: do not take 6.12.N for 6.1.
		case $l:$1 in 6.1:6.1[0-9]*) continue ;; esac
		echo "$l"; return 0
	done
	return 1
}

# The Debian mirror the host uses ($1 = main or security), from its apt
# sources, so that the private configurations use the same one.
ms_mirror() {
	local want=$1 uri
	uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v w="$want" '
		/^URIs:/ {u = $2} /^Suites:/ {for (i = 2; i <= NF; i++) {
			s = $i ~ /-security$/ ? "security" : "main"
			if (s == w && u ~ /debian/) {print u; exit}}}')
	[ -n "$uri" ] || uri=$(grep -hE '^deb +(\[[^]]*\] +)?[a-z]+://' /etc/apt/sources.list \
		/etc/apt/sources.list.d/*.list 2>/dev/null | awk -v w="$want" '
		{o = $2 ~ /^\[/ ? 1 : 0; s = $(3 + o) ~ /-security$/ ? "security" : "main"
		 if (s == w && $(2 + o) ~ /debian/) {print $(2 + o); exit}}')
	if [ -z "$uri" ]; then
		[ "$want" = security ] && uri=http://deb.debian.org/debian-security ||
			uri=http://deb.debian.org/debian
	fi
	echo "${uri%/}"
}

# The private apt configuration of lane $1: sets MS_APT (options for apt-get
# and apt-cache) and writes its sources.list; the lists are fetched (apt-get
# update, into the cache) when missing or older than a day.  The keyring is
# Debian's archive keyring, which holds the bullseye and trixie keys.
ms_apt_setup() {
	local lane=$1 rel suites def dir s uri
	rel=$(ms_lane "$lane" release)
	suites=$(ms_lane "$lane" suites)
	def=$(ms_lane "$lane" default)
	dir=$MS_CACHE/apt/$rel
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	for s in ${suites//,/ }; do
		case $s in *-security) uri=$(ms_mirror security) ;; *) uri=$(ms_mirror main) ;; esac
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main"
	done >"$dir/sources.list.new"
	if cmp -s "$dir/sources.list.new" "$dir/sources.list"; then
		rm -f "$dir/sources.list.new"
	else
		mv "$dir/sources.list.new" "$dir/sources.list"
	fi
	MS_APT=(-o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=-
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache"
		-o Dir::State::status=/dev/null -o Dir::Etc::preferencesparts=-
		-o APT::Sandbox::User="$(id -un)")
	[ "$def" = - ] || MS_APT+=(-o APT::Default-Release="$def")
	if [ -z "$(find "$dir/lists/.updated" -mmin -1440 2>/dev/null)" ] ||
		[ "$dir/sources.list" -nt "$dir/lists/.updated" ]; then
		ms_log "apt-get update for $rel ($suites; private lists in ${dir#"$MS_CACHE"/})"
		apt-get "${MS_APT[@]}" update -q >&2 ||
			ms_die "apt-get update of the private $rel configuration failed"
		touch "$dir/lists/.updated"
	fi
}

# Print the meta-package that names the current headers of lane $1.
ms_meta_pkg() {
	ms_lane "$2" headers
}

# Print the kernel release (e.g. 6.1.0-56-amd64) lane $1 uses.  Host lanes:
# an installed headers meta-package wins (that is what the module was built
# against); otherwise ask apt what the meta-package would pull in.  Private
# lanes: what the meta-package pulls in, from the lane's own apt lists.
ms_kver_release() {
	local meta dep
	meta=$(ms_lane "$1" headers)
	if [ "$(ms_lane "$1" suites)" != host ]; then
		ms_apt_setup "$1"
		dep=$(apt-cache "${MS_APT[@]}" depends "$meta" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-headers-[^ ]*\).*/\1/p' | head -n1)
		[ -n "$dep" ] || ms_die "cannot resolve $meta in $(ms_lane "$1" suites)"
		echo "${dep#linux-headers-}"
		return 0
	fi
	dep=$(dpkg-query -W -f='${Status} ${Depends}\n' "$meta" 2>/dev/null |
		sed -n 's/^install ok installed //p' | grep -o 'linux-headers-[^ ,]*' | head -n1)
	if [ -z "$dep" ]; then
		dep=$(apt-cache depends "$meta" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-headers-[^ ]*\).*/\1/p' | head -n1)
	fi
	[ -n "$dep" ] || ms_die "cannot resolve $meta: run 'apt-get update' (as root) first"
	echo "${dep#linux-headers-}"
}

# Print the kernel release of kernel build directory $1.  Debian's headers
# carry the upstream version in kernel.release, so prefer the directory name.
ms_kdir_release() {
	local kdir
	kdir=$(readlink -f "$1")
	case $kdir in
	/usr/src/linux-headers-*) echo "${kdir#/usr/src/linux-headers-}" ;;
	/lib/modules/*/build | /usr/lib/modules/*/build)
		kdir=${kdir%/build}; echo "${kdir##*/}" ;;
	*) cat "$kdir/include/config/kernel.release" 2>/dev/null ||
		make -s -C "$kdir" kernelrelease ;;
	esac
}

# Print the path of a bootable vmlinuz for release $1: /boot's when it is
# readable, else the copy extracted into the cache (see scripts/deps).
ms_vmlinuz() {
	if [ -r "/boot/vmlinuz-$1" ]; then
		echo "/boot/vmlinuz-$1"
	else
		echo "$MS_CACHE/kernels/$1/vmlinuz-$1"
	fi
}

# Directory holding kselftest.h and kselftest_harness.h (may not exist yet).
ms_ksft_dir() {
	echo "$MS_CACHE/ksft-$MS_KSFT_VER"
}

# --- the accelerator -------------------------------------------------------
# /dev/kvm can exist and still be unable to run the guest: nested KVMs that
# reject MSRs (QEMU aborts at once), or a software-assisted nested KVM
# (kvm-pvm) that boots the guest and then stops it with "KVM internal error"
# after half a minute.  vm-run finds the second kind during a real boot and
# records it here, so that later boots of this host go straight to TCG.  The
# record is keyed by the host's boot and QEMU's version, so a reboot or a new
# QEMU tries KVM again.  For tests: VM_ACCEL_STATE overrides the file, and
# VM_QEMU_KVM names the program run for KVM (probe and boot) instead of QEMU,
# and VM_KVM_DEV the device that stands for /dev/kvm.
ms_accel_state() {
	echo "${VM_ACCEL_STATE:-$MS_CACHE/accel-verdict}"
}

ms_accel_key() {
	local boot qv
	boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown-boot)
	qv=$(qemu-system-x86_64 --version 2>/dev/null | head -n1)
	echo "$boot $(uname -r) ${qv:-no-qemu}"
}

# Print why KVM is known not to run the guest on this host, or nothing.
ms_accel_known_broken() {
	local f key
	f=$(ms_accel_state)
	[ -r "$f" ] || return 0
	key=$(ms_accel_key)
	awk -v k="$key" 'NR == 1 && $0 == k {getline; print; exit}' "$f"
}

# Record that KVM cannot run the guest on this host: $1 is the reason.
ms_accel_record_broken() {
	local f
	f=$(ms_accel_state)
	mkdir -p "$(dirname "$f")"
	printf '%s\n%s (%s)\n' "$(ms_accel_key)" "$1" "$(date -u '+%Y-%m-%d %H:%M UTC')" >"$f.$$" &&
		mv "$f.$$" "$f"
}

# Choose the accelerator: print "kvm" or "tcg", and log one line when TCG is
# chosen although /dev/kvm exists.  VM_ACCEL=kvm|tcg forces one.
ms_accel_choose() {
	local why err dev
	case ${VM_ACCEL:-auto} in
	kvm | tcg) echo "$VM_ACCEL"; return 0 ;;
	auto | '') ;;
	*) ms_die "VM_ACCEL=$VM_ACCEL: use kvm, tcg or auto" ;;
	esac
	dev=${VM_KVM_DEV:-/dev/kvm}
	if [ ! -e "$dev" ]; then
		echo tcg; return 0
	fi
	if [ ! -r "$dev" ] || [ ! -w "$dev" ]; then
		ms_log "using TCG: $dev is not readable and writable by $(id -un)"
		echo tcg; return 0
	fi
	why=$(ms_accel_known_broken)
	if [ -n "$why" ]; then
		ms_log "using TCG: KVM cannot run the guest on this host: $why; recorded in $(ms_accel_state)"
		echo tcg; return 0
	fi
	# A paused VM that quits at once: catches KVMs that refuse the CPU model.
	if ! err=$(echo quit | timeout 10 "${VM_QEMU_KVM:-qemu-system-x86_64}" -accel kvm -cpu host -S \
		-nodefaults -display none -monitor stdio 2>&1 >/dev/null); then
		err=$(printf '%s\n' "$err" | grep -m1 -iE 'error|fail' || true)
		ms_log "using TCG: KVM fails QEMU's start-up probe${err:+ ($err)}"
		echo tcg; return 0
	fi
	echo kvm
}

# --- chroot tarballs of a Debian release (scripts/deb) ---------------------
# Print the path of a tarball of a RELEASE root (bookworm, trixie) made by
# mmdebstrap with VARIANT (apt, buildd) and PKG..., from the release's main,
# -updates and -security suites on the host's mirror.  Cached as
# $MS_CACHE/chroots/RELEASE/NAME-<hash of variant and packages>.tar and made
# when missing or older than a week (security updates of the kernel
# headers); an older tarball of the same NAME is replaced.
ms_chroot_tarball() { # RELEASE NAME VARIANT PKG...
	local rel=$1 name=$2 variant=$3 key dir tar tmp t0
	shift 3
	command -v mmdebstrap >/dev/null || ms_die "mmdebstrap missing: apt-get install mmdebstrap"
	key=$(printf '%s\n' "$variant" "$@" | LC_ALL=C sort | sha256sum | cut -c1-12)
	dir=$MS_CACHE/chroots/$rel
	tar=$dir/$name-$key.tar
	tmp=$dir/.$name-$key.tmp.tar
	mkdir -p "$dir"
	exec 7>"$dir/$name.lock"
	flock 7
	if [ -z "$(find "$tar" -mmin -10080 2>/dev/null)" ]; then
		t0=$SECONDS
		ms_log "making the $rel $name chroot with mmdebstrap ($variant: $*)"
		mmdebstrap --variant="$variant" --format=tar --include="$(IFS=,; echo "$*")" \
			--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
			"$rel" "$tmp" \
			"deb $(ms_mirror main) $rel $rel-updates main" \
			"deb $(ms_mirror security) $rel-security main" >"$dir/$name.log" 2>&1 ||
			{ tail -n 20 "$dir/$name.log" >&2; rm -f "$tmp"; ms_die "mmdebstrap of $rel failed (log: $dir/$name.log)"; }
		find "$dir" -maxdepth 1 -name "$name-*.tar" -delete
		mv "$tmp" "$tar"
		ms_log "$rel $name chroot made in $((SECONDS - t0)) s"
	fi
	exec 7>&-
	echo "$tar"
}
