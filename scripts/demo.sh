#!/bin/sh
# The `make demo` scenario, run inside the VM by scripts/vm/vm-run (busybox sh):
# a server, three listeners, one broadcast that reaches all four, a message
# too large for the slot, and `mailslot wait` on a background process.
set -eu

say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# wait_until CMD...: poll up to 5 s
wait_until() {
	i=0
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -ge 100 ]; then
			echo "demo: gave up waiting for: $*" >&2
			exit 1
		fi
		sleep 0.05
	done
}
readers_are() { [ "$(awk -v n="$1" '$1 == n { print $5 }' /proc/mailslot)" = "$2" ]; }

dir=$(mktemp -d)
cd "$dir"
SLOT=demo/news

say "A small Linux VM ($(uname -r)) with the mailslot module loaded:"
run ls -l /dev/mailslot/

say "1. A server creates the mailslot '$SLOT' (messages up to 64 bytes)."
echo "Mode 0644: anyone may listen, only its owner (root) may send."
printf '$ mailslot serve %s --max-msg 64 --mode 0644 > server.out &\n' "$SLOT"
mailslot serve "$SLOT" --max-msg 64 --mode 0644 >server.out &
server=$!
wait_until test -e /dev/mailslot/$SLOT
echo "The slot appears at once as a device node:"
run ls -l /dev/mailslot/demo/

say "2. Three listeners subscribe; each gets its own copy of every message."
echo "Listener 1 prints text, listener 2 JSON with the sender's details,"
echo "listener 3 runs as the unprivileged user 'user' (uid 1000)."
printf '$ mailslot listen %s > listener1.out &\n' "$SLOT"
mailslot listen "$SLOT" >listener1.out &
l1=$!
printf '$ mailslot listen %s --json > listener2.out &\n' "$SLOT"
mailslot listen "$SLOT" --json >listener2.out &
l2=$!
chmod 0777 "$dir"
printf "\$ su user -c 'mailslot listen %s > listener3.out' &\n" "$SLOT"
su user -c "$(command -v mailslot) listen $SLOT > $dir/listener3.out" &
l3=$!
wait_until readers_are "$SLOT" 4
echo "The slot now has 4 readers (the server and 3 listeners):"
run mailslot ls

say "3. One broadcast: a single send reaches all four readers."
printf '$ mailslot send %s "hello, everyone"\n' "$SLOT"
mailslot send "$SLOT" "hello, everyone"
for f in server.out listener1.out listener2.out listener3.out; do
	wait_until test -s $f
done
printf '%-14s %s\n' "server:" "$(cat server.out)"
printf '%-14s %s\n' "listener 1:" "$(cat listener1.out)"
printf '%-14s %s\n' "listener 2:" "$(cat listener2.out)"
printf '%-14s %s\n' "listener 3:" "$(cat listener3.out)"
echo "Listener 2 shows the sender's pid, uid and gid: the kernel sets them,"
echo "the sender cannot fake them.  The payload was stored only once."

say "4. A message larger than the slot allows is rejected, not truncated."
big=$(printf '%080d' 0)
printf '$ mailslot send %s <80 bytes>\n' "$SLOT"
if mailslot send "$SLOT" "$big"; then
	echo "demo: unexpected: the 80-byte message was accepted" >&2
	exit 1
else
	echo "(exit status $?; nobody received it)"
fi
echo "And the unprivileged user may listen but not send:"
printf "\$ su user -c 'mailslot send %s hi'\n" "$SLOT"
su user -c "$(command -v mailslot) send $SLOT hi" || echo "(exit status $?)"
echo "The slot's figures: one message sent, none queued:"
run mailslot info "$SLOT"

say "5. The server stops (SIGTERM): the slot disappears and the listeners end."
run kill -TERM $server
wait $server
wait $l1 $l2 $l3 || true
if [ -e /dev/mailslot/$SLOT ]; then
	echo "demo: unexpected: /dev/mailslot/$SLOT is still there" >&2
	exit 1
fi
echo "/dev/mailslot/$SLOT is gone."

say "6. Process objects: wait for a background process to exit."
echo "A background job works for a second, then exits with code 42."
echo "'mailslot wait' is not its parent, yet it learns the exit code:"
printf "\$ sh -c 'sleep 1; exit 42' &\n"
sh -c 'sleep 1; exit 42' &
job=$!
run mailslot wait $job --timeout 5000
echo "(exit status 0: the wait was satisfied)"
echo
echo "With a timeout shorter than the job, the wait gives up with exit status 2:"
sleep 10 &
slow=$!
printf '$ mailslot wait %s --timeout 300     # a sleep 10 job\n' "$slow"
rc=0
mailslot wait $slow --timeout 300 || rc=$?
echo "(exit status $rc: timed out)"
kill $slow
wait $slow 2>/dev/null || true

cd /
rm -rf "$dir"
say "Done."
