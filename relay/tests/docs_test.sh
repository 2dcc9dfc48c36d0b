#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# The relay's documentation against the program (make check-relay):
#   - every option `mailslotd --help` shows has its entry (.TP) under
#     OPTIONS in mailslotd.8, and every entry there is an option;
#   - the broadcast limit that the README, docs/remote.md and mailslotd.8
#     state is nbdgm.h's NBDGM_BROADCAST_DATA_MAX;
#   - the README's "Across machines" tells how to turn the relay on, where
#     its counters are (mailslotd --stats) and what to do about nmbd.
# Prints "ok N - ..." / "not ok N - ..." lines and "N passed, N failed".
set -eu
cd "$(dirname "$0")/.."
top=..
pass=0 fail=0 n=0
t() { # DESCRIPTION, then the status of the last command in $ok
	n=$((n + 1))
	if [ "$ok" = 0 ]; then
		echo "ok $n - $1"
		pass=$((pass + 1))
	else
		echo "not ok $n - $1"
		fail=$((fail + 1))
	fi
}

[ -x ./mailslotd ] || { echo "docs_test: build relay/mailslotd first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The options, from the usage text; the OPTIONS entries, from the tag line
# after each .TP (".B \-\-name" or ".BI \-\-name " ARG").
./mailslotd --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/opts"
awk '/^\.SH / { sec = $2 } sec == "OPTIONS" && prev == ".TP" { print } { prev = $0 }' mailslotd.8 |
	sed -n 's/^\.BI* \(\\-\\-[a-z][a-z\\-]*\).*/\1/p' | tr -d '\134' | sort -u >"$tmp/documented"
ok=0
[ -s "$tmp/opts" ] && diff -u "$tmp/opts" "$tmp/documented" || ok=1
t "every option of mailslotd --help is described under OPTIONS in mailslotd.8, and only those"

max=$(sed -n 's/^#define NBDGM_BROADCAST_DATA_MAX[[:space:]]*\([0-9][0-9]*\).*/\1/p' nbdgm.h)
for f in $top/README.md $top/docs/remote.md mailslotd.8; do
	ok=0
	# lines joined: the words may wrap
	[ -n "$max" ] && tr '\n' ' ' <"$f" | grep -q "at most $max bytes" || ok=1
	t "$(basename "$f") states the broadcast limit, at most $max bytes"
done

# The README's section, up to the next heading, its lines joined.
sed -n '/^## Across machines/,/^## /p' $top/README.md | tr '\n' ' ' | tr -s ' ' >"$tmp/readme"
for what in 'mailslotd --stats' 'nmbd' 'systemctl enable --now mailslotd' 'MAILSLOT_CREATE_REMOTE' 'subnet'; do
	ok=0
	grep -qF -- "$what" "$tmp/readme" || ok=1
	t "README \"Across machines\" names $what"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
