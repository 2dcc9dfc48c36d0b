#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# tool.sh: every verb of the mailslot tool, its output formats, exit codes
# and error lines.  Runs in the guest (busybox sh, as root, module loaded,
# `mailslot` on PATH) from a scratch directory; prints TAP.
#
#   MAILSLOT=path/to/mailslot sh tool.sh     (default: mailslot on PATH)

MS=${MAILSLOT:-mailslot}
case "$MS" in */*) MS=$(cd "$(dirname "$MS")" && pwd)/$(basename "$MS") ;; esac
P=t$$			# slot name prefix
# Work in a scratch directory of our own.
scratch=$(mktemp -d)
trap 'cd /; rm -rf "$scratch"' EXIT
cd "$scratch" || exit 1
n=0
failed=0

echo "TAP version 13"

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; failed=$((failed + 1)); }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# check DESC CMD...: ok when CMD succeeds
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# same FILE TEXT: the file holds exactly TEXT (plus a final newline)
same() {
	printf '%s\n' "$2" >expected
	if cmp -s expected "$1"; then
		return 0
	fi
	echo "# expected:"; sed 's/^/#   /' expected
	echo "# got:"; sed 's/^/#   /' "$1"
	return 1
}
# wait_for COND...: poll up to 5 s
wait_for() {
	i=0
	while ! "$@"; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.05
	done
}
exists() { [ -e "/dev/mailslot/$1" ]; }
gone() { [ ! -e "/dev/mailslot/$1" ]; }
# readers NAME: the slot's reader count from /proc/mailslot
readers() { awk -v n="$1" '$1 == n { print $5 }' /proc/mailslot; }
has_readers() { [ "$(readers "$1")" = "$2" ]; }
# status CMD...: run and store the exit status in $rc
status() { "$@"; rc=$?; }

# --- help and general errors -----------------------------------------
status "$MS" --help >out 2>err
check "mailslot --help exits 0 and lists the verbs" \
	sh -c "[ $rc = 0 ] && grep -q '^  serve NAME' out && grep -q '^  wait PID' out"
for v in serve listen send info ls wait; do
	status "$MS" $v --help >out 2>err
	check "mailslot $v --help exits 0 with usage" \
		sh -c "[ $rc = 0 ] && grep -q '^usage: mailslot $v' out && [ ! -s err ]"
done
status "$MS" --version >out
check "--version prints the version" sh -c "[ $rc = 0 ] && grep -q '^mailslot [0-9]*\.[0-9]*\.[0-9]* ' out"
status "$MS" frobnicate 2>err
check "unknown verb: exit 1 and one error line" \
	sh -c "[ $rc = 1 ] && [ \$(wc -l <err) = 1 ] && grep -q '^mailslot: frobnicate: unknown verb' err"
status "$MS" serve 2>err
check "serve without NAME: usage error" sh -c "[ $rc = 1 ] && grep -q '^mailslot: serve: usage:' err"
status "$MS" serve $P-x --depth lots 2>err
check "bad number: names the option" sh -c "[ $rc = 1 ] && grep -qx 'mailslot: serve: --depth: lots: not a number' err"
status "$MS" serve $P-x --overflow sometimes 2>err
check "bad overflow mode rejected" sh -c "[ $rc = 1 ] && grep -q '^mailslot: serve: --overflow: sometimes' err"
status "$MS" serve $P-x --bogus 2>err
check "unknown option rejected" sh -c "[ $rc = 1 ] && grep -qx 'mailslot: serve: --bogus: unknown option (see --help)' err"
if [ ! -e /dev/mailslot/control ]; then
	echo "# no /dev/mailslot/control (module not loaded): the rest needs it"
	status "$MS" send $P-nosuch hello 2>err
	check "without the module: send says so" \
		sh -c "[ $rc = 1 ] && grep -qx 'mailslot: send: /dev/mailslot/$P-nosuch: no such slot (the mailslot module is not loaded)' err"
	status "$MS" serve $P-nosuch 2>err
	check "without the module: serve says so" \
		sh -c "[ $rc = 1 ] && grep -qx 'mailslot: serve: /dev/mailslot/control: not found (is the mailslot module loaded?)' err"
	echo "1..$n"
	[ $failed = 0 ]
	exit
fi
status "$MS" send $P-nosuch hello 2>err
check "send to a missing slot: 'no such slot'" \
	sh -c "[ $rc = 1 ] && grep -qx 'mailslot: send: /dev/mailslot/$P-nosuch: no such slot' err"
status "$MS" listen $P-nosuch 2>err
check "listen to a missing slot fails" sh -c "[ $rc = 1 ] && grep -q '^mailslot: listen: /dev/mailslot/$P-nosuch: no such slot' err"
status "$MS" info $P-nosuch 2>err
check "info on a missing slot fails" sh -c "[ $rc = 1 ] && grep -q '^mailslot: info: /dev/mailslot/$P-nosuch: no such slot' err"

# --- serve, send: text output -----------------------------------------
S=$P-text
"$MS" serve $S --count 5 >serve.out 2>serve.err &
spid=$!
check "serve creates /dev/mailslot/NAME" wait_for exists $S
check "the node is mode 0600 by default" sh -c "[ \"\$(stat -c %a /dev/mailslot/$S)\" = 600 ]"
status "$MS" serve $S 2>err
check "serving an existing name: 'slot exists'" \
	sh -c "[ $rc = 1 ] && grep -qx 'mailslot: serve: /dev/mailslot/$S: slot exists' err"
status "$MS" send $S hello "two words"
check "send with arguments exits 0" [ $rc = 0 ]
printf 'line one\nback\\slash\ttab\n' | "$MS" send $S
check "send from standard input exits 0" [ $? = 0 ]
printf 'raw\nmessage\n' | "$MS" send --raw $S
wait $spid
rc=$?
check "serve exits 0 after --count" [ $rc = 0 ]
check "serve printed each message on its own line, escaped" same serve.out 'hello
two words
line one
back\\slash\ttab
raw\nmessage'
check "the slot is gone after serve exits" gone $S

# --- serve --json, metadata, binary payloads ----------------------------
S=$P-json
"$MS" serve $S --json --count 3 >json.out &
spid=$!
wait_for exists $S
"$MS" send $S 'say "hi"'
printf 'caf\303\251\n' | "$MS" send --raw $S
printf '\377\000x' | "$MS" send --raw $S
wait $spid
check "serve --json exits 0" [ $? = 0 ]
check "JSON line 1: metadata and escaped payload" \
	grep -q '^{"seq":1,"time_ns":[0-9]*,"pid":[0-9]*,"uid":0,"gid":0,"size":8,"payload":"say \\"hi\\""}$' json.out
check "JSON line 2: UTF-8 kept, newline escaped" \
	grep -q '"seq":2,.*"size":6,"payload":"caf'"$(printf '\303\251')"'\\n"}$' json.out
check "JSON line 3: binary payload as base64" grep -q '"seq":3,.*"size":3,"payload_base64":"/wB4"}$' json.out

# --- limits: too large, mode, info, ls ----------------------------------
S=$P-lim
"$MS" serve $S --max-msg 8 --depth 4 --mode 0620 --timeout 250 --overflow drop >lim.out &
spid=$!
wait_for exists $S
check "--mode sets the node's permissions" sh -c "[ \"\$(stat -c %a /dev/mailslot/$S)\" = 620 ]"
status "$MS" send $S 123456789 2>err
check "a message over --max-msg is rejected with its size" \
	sh -c "[ $rc = 1 ] && grep -qx 'mailslot: send: /dev/mailslot/$S: message too long (9 bytes, the slot takes at most 8)' err"
"$MS" send $S 12345678
check "a message of exactly --max-msg goes through" [ $? = 0 ]
"$MS" info $S >info.out
check "info exits 0" [ $? = 0 ]
check "info shows the limits" sh -c "grep -qx 'max_msg_size 8' info.out && grep -qx 'max_msgs 4' info.out && grep -qx 'mode 0620' info.out"
check "info shows timeout and overflow" sh -c "grep -qx 'read_timeout_ms 250' info.out && grep -qx 'overflow drop' info.out"
check "info counts readers (not itself) and sent" sh -c "grep -qx 'readers 1' info.out && grep -qx 'writers 0' info.out && grep -qx 'sent 1' info.out"
check "info shows the name and path" sh -c "grep -qx 'name $S' info.out && grep -qx 'path /dev/mailslot/$S' info.out"
"$MS" info /dev/mailslot/$S >info2.out
check "info accepts the full path" cmp -s info.out info2.out
status "$MS" ls >ls.out
check "ls exits 0 with a header" sh -c "[ $rc = 0 ] && head -n1 ls.out | grep -q '^NAME  *MODE  *UID'"
check "ls lists the slot with its mode and figures" \
	sh -c "awk '\$1 == \"$S\" && \$2 == \"0620\" && \$5 == 1 { f = 1 } END { exit !f }' ls.out"
kill -TERM $spid
wait $spid
check "serve exits 0 on SIGTERM" [ $? = 0 ]
check "SIGTERM removed the slot" gone $S
check "serve printed the message that fit" same lim.out 12345678
"$MS" ls >ls.out
check "ls no longer lists it" sh -c "! grep -q '^$S ' ls.out"

# --- listen: fan-out and the server going away ---------------------------
S=$P-fan
"$MS" serve $S >fan.serve &
spid=$!
wait_for exists $S
"$MS" listen $S >fan.l1 &
l1=$!
"$MS" listen $S --json --count 1 >fan.l2 &
l2=$!
check "two listeners attached" wait_for has_readers $S 3
"$MS" send $S "to everyone"
wait $l2
check "listen --count exits 0" [ $? = 0 ]
check "listen --json got the message" grep -q '"payload":"to everyone"' fan.l2
wait_for sh -c "[ -s fan.l1 ]"
kill -INT $spid
wait $spid
check "serve exits 0 on SIGINT" [ $? = 0 ]
wait $l1
check "listen exits 0 when the server closes the slot" [ $? = 0 ]
check "server and listener both got the broadcast" \
	sh -c "[ \"\$(cat fan.serve)\" = 'to everyone' ] && [ \"\$(cat fan.l1)\" = 'to everyone' ]"

# --- overflow fail: send reports a full queue -----------------------------
S=$P-full
"$MS" serve $S --depth 1 --overflow fail --count 100 >/dev/null &
spid=$!
wait_for exists $S
"$MS" listen $S --count 100 >/dev/null &
lpid=$!
wait_for has_readers $S 2
kill -STOP $lpid
"$MS" send $S one two three four 2>err
rc=$?
kill -CONT $lpid
check "overflow fail: send exits 1 'a reader's queue is full'" \
	sh -c "[ $rc = 1 ] && grep -qx \"mailslot: send: /dev/mailslot/$S: a reader's queue is full\" err"
kill $spid $lpid 2>/dev/null
wait $spid $lpid 2>/dev/null

# --- serve --listener-drop: a stopped listener holds nobody back ----------
S=$P-ldrop
"$MS" serve $S --depth 2 --listener-drop >/dev/null &
spid=$!
wait_for exists $S
"$MS" listen $S >/dev/null &
lpid=$!
wait_for has_readers $S 2
kill -STOP $lpid
"$MS" send $S 1 2 3 4 5 6 7 8 2>err &
sendpid=$!
i=0
while kill -0 $sendpid 2>/dev/null && [ $i -lt 200 ]; do
	i=$((i + 1))
	sleep 0.05
done
kill $sendpid 2>/dev/null
wait $sendpid
rc=$?
kill -CONT $lpid
check "serve --listener-drop: a stopped listener does not block send" [ $rc = 0 ]
kill $spid $lpid 2>/dev/null
wait $spid $lpid 2>/dev/null

# --- permissions (uid 1000) ----------------------------------------------
S=$P-perm
"$MS" serve $S --mode 0600 >/dev/null &
spid=$!
wait_for exists $S
if command -v su >/dev/null 2>&1 && su user -c true 2>/dev/null; then
	status su user -c "$(command -v "$MS") send $S hi" 2>err
	check "an unprivileged user may not send to a 0600 slot" \
		sh -c "[ $rc = 1 ] && grep -qx 'mailslot: send: /dev/mailslot/$S: permission denied' err"
else
	skip "an unprivileged user may not send to a 0600 slot" "no su"
fi
kill $spid
wait $spid

# --- wait ------------------------------------------------------------------
sh -c 'sleep 0.3; exit 3' &
bg=$!
status "$MS" wait $bg >wait.out 2>err
check "wait: exit 0 when the process exits" [ $rc = 0 ]
check "wait prints 'PID exited CODE'" same wait.out "$bg exited 3"
wait $bg

sleep 60 &  # killed below
s1=$!
status "$MS" wait --timeout 100 $s1 >wait.out
check "wait --timeout: exit 2 on timeout, nothing printed" sh -c "[ $rc = 2 ] && [ ! -s wait.out ]"

# Processes must still exist (running or not yet reaped) when wait opens
# them: busybox sh reaps its children at once, so each starts with a delay.
sh -c 'sleep 0.3; exit 4' &
q=$!
status "$MS" wait $s1 $q >wait.out
check "wait (any) returns when one of several exits" sh -c "[ $rc = 0 ] && [ \"\$(cat wait.out)\" = '$q exited 4' ]"
sh -c 'sleep 0.2; exit 5' &
q=$!
status "$MS" wait --all --timeout 1000 $s1 $q >wait.out
check "wait --all times out while one still runs, prints the exited" \
	sh -c "[ $rc = 2 ] && [ \"\$(cat wait.out)\" = '$q exited 5' ]"
# Generous delays: on a loaded TCG guest 0.2 s was once too short for
# `mailslot wait` to open q before it exited and busybox reaped it.
sh -c 'sleep 1; exit 6' &
q=$!
(sleep 1.5; kill -KILL $s1) &
status "$MS" wait --all $s1 $q >wait.out
check "wait --all: both, a kill shown as 'killed 9'" \
	same wait.out "$s1 killed 9
$q exited 6"
wait

status "$MS" wait 999999 2>err
check "wait on a missing pid: 'no such process'" \
	sh -c "[ $rc = 1 ] && grep -qx 'mailslot: wait: 999999: no such process' err"
status "$MS" wait notapid 2>err
check "wait on a non-number fails" sh -c "[ $rc = 1 ] && grep -qx 'mailslot: wait: notapid: not a process id' err"
status "$MS" wait 2>err
check "wait without pids: usage error" sh -c "[ $rc = 1 ] && grep -q '^mailslot: wait: usage:' err"

echo "1..$n"
[ $failed = 0 ]
