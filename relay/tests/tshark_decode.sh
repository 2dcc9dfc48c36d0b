#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# The packets nbdgm_build() makes, as Wireshark decodes them: nbdgm_send
# sends four mailslot writes (unique, group, broadcast, lower case) over UDP to
# 127.0.0.1:138 inside a network namespace of their own (unshare -n: only
# its loopback exists, nothing leaves it and no other process sees them),
# dumpcap captures them there with the filter "udp port 138" (and
# probes to the discard port, which tell when the capture has begun), and tshark's
# nbdgm, smb and mailslot dissectors must show the right type, names,
# opcode, priority, class and data, with no malformed-packet or warning
# expert item.
#
# Needs tshark, dumpcap and unshare, and root (or CAP_SYS_ADMIN and
# CAP_NET_RAW); prints SKIP and exits 4 (kselftest's skip) without them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

# frames of the capture so far that match the display filter $2
frames() {
	tshark -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null | grep -c . || true
}

if [ "${1:-}" = --inside ]; then
	cap=$2
	ip link set lo up
	dumpcap -q -i lo -f 'udp port 138 or udp port 9' -w "$cap" 2>"$cap.log" &
	pid=$!
	# The capture has begun once a probe to the discard port is in the
	# file: send one every 0.2 s until one is (at most 20 s).
	for _ in $(seq 100); do
		echo probe >/dev/udp/127.0.0.1/9 2>/dev/null || true
		sleep 0.2
		[ "$(frames "$cap" udp.port==9)" -gt 0 ] && break
	done
	"$here/nbdgm_send" 127.0.0.1 138
	# and ends once all four are in it (at most 20 s)
	for _ in $(seq 100); do
		[ "$(frames "$cap" udp.port==138)" -ge 4 ] && break
		sleep 0.2
	done
	kill -TERM "$pid"
	wait "$pid" || true
	exit 0
fi

for t in tshark dumpcap unshare ip; do
	if ! command -v "$t" >/dev/null; then
		echo "SKIP: tshark_decode: $t not found"
		exit 4
	fi
done
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: tshark_decode: needs root for the network namespace and the capture"
	exit 4
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unshare -n "$0" --inside "$tmp/cap.pcapng"

fields=(-e nbdgm.type -e nbdgm.first -e nbdgm.next -e nbdgm.node_type
	-e nbdgm.source_name -e nbdgm.destination_name -e smb.cmd
	-e smb.trans_name -e mailslot.opcode -e mailslot.priority
	-e mailslot.class -e mailslot.name -e data.data)
tshark -r "$tmp/cap.pcapng" -Y udp.port==138 -T fields -E separator='|' "${fields[@]}" \
	2>/dev/null >"$tmp/got"

big=$(python3 -c 'print(bytes(i % 256 for i in range(424)).hex())' 2>/dev/null ||
	for i in $(seq 0 423); do printf '%02x' $((i % 256)); done)
cat >"$tmp/want" <<WANT
16|1|0|2|SENDER<00>|RECEIVER<00>|0x25|\\MAILSLOT\\TEST\\ONE|1|0|2|\\MAILSLOT\\TEST\\ONE|68656c6c6f
17|1|0|2|SENDER<00>|RECEIVER<00>|0x25|\\MAILSLOT\\APP\\NEWS|1|1|2|\\MAILSLOT\\APP\\NEWS|67726f7570206d657373616765
18|1|0|2|SENDER<00>|WORKGROUP<1d>|0x25|\\MAILSLOT\\BCAST|1|2|2|\\MAILSLOT\\BCAST|$big
16|1|0|2|SENDER<00>|RECEIVER<00>|0x25|\\MAILSLOT\\lower|1|0|2|\\MAILSLOT\\lower|78
WANT
fail=0
if ! diff -u "$tmp/want" "$tmp/got"; then
	echo "FAIL: tshark_decode: the decoded fields differ (- expected, + decoded)"
	fail=1
fi

# No malformed packet, no expert item above "chat" (notes, warnings,
# errors), no dissector exception in any frame.
tshark -r "$tmp/cap.pcapng" -Y udp.port==138 -T fields -e frame.number -e _ws.malformed \
	-e _ws.expert.severity -e _ws.expert.message 2>/dev/null >"$tmp/expert"
if awk -F'\t' '$2 != "" || $3 != "" { bad = 1 } END { exit !bad }' "$tmp/expert"; then
	echo "FAIL: tshark_decode: malformed or expert items:"
	cat "$tmp/expert"
	fail=1
fi
if tshark -r "$tmp/cap.pcapng" -Y udp.port==138 -V 2>/dev/null | grep -qiE 'malformed|exception'; then
	echo "FAIL: tshark_decode: tshark -V reports a malformed packet"
	fail=1
fi
frames=$(wc -l <"$tmp/got")
if [ "$frames" != 4 ]; then
	echo "FAIL: tshark_decode: $frames frames captured, expected 4"
	fail=1
fi
[ "$fail" = 0 ] && echo "ok: tshark_decode: 4 mailslot writes decode as sent ($(tshark -v 2>/dev/null | head -n1))"
exit "$fail"
