# shellcheck shell=bash
# Helpers shared by the host-side scripts (deps, vm-run, check).  Sourced, not run.
#
# Kernel "lanes": KVER names a Debian 12 kernel flavour whose image and headers
# come from the archive.  The exact package names are resolved at run time
# from the flavour's meta-package, so a point release of Debian needs no edit.
#   6.1      linux-image-amd64          / linux-headers-amd64 (Debian 12 default)
#   6.12     linux-image-6.12-amd64     / linux-headers-6.12-amd64 (bookworm-backports
#            era 6.12 built for Debian 12, "6.12.N+deb12-amd64")
#   6.12-rt  linux-image-6.12-rt-amd64  / linux-headers-6.12-rt-amd64 (PREEMPT_RT)

# shellcheck disable=SC2034 # used by the scripts that source this
MS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MS_CACHE=${MAILSLOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mailslot}
# Version of linux-source that provides the kselftest harness headers.
MS_KSFT_VER=6.1

ms_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
ms_die() { ms_log "error: $*"; exit 1; }

# Print the meta-package that names the current image ("image") or headers
# ("headers") of lane $2.
ms_meta_pkg() {
	local what=$1 kver=$2
	case $kver in
	6.1) echo "linux-$what-amd64" ;;
	6.12) echo "linux-$what-6.12-amd64" ;;
	6.12-rt) echo "linux-$what-6.12-rt-amd64" ;;
	*) ms_die "unknown KVER '$kver' (known: 6.1, 6.12, 6.12-rt)" ;;
	esac
}

# Print the kernel release (e.g. 6.1.0-56-amd64) lane $1 uses.  An installed
# headers meta-package wins (that is what the module was built against);
# otherwise ask apt what the meta-package would pull in.
ms_kver_release() {
	local meta dep
	meta=$(ms_meta_pkg headers "$1")
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
