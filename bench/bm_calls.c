// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of the calls alone, 64 B and 4 KiB: one process sends a
 * message and receives it back from the same channel, so that nothing
 * ever waits, wakes or switches.  Beside the ping-pong (bm_pingpong.c),
 * whose round trip is two of these pairs plus two wake-ups and two
 * context switches, it tells where a contender's time goes.
 *
 * "64B+yield" does the same with a sched_yield() before each pair and a
 * second process on the CPU that does nothing but yield back: two context
 * switches per pair and still no wait, no wake-up.  Beside "64B", it
 * tells what a contender's calls cost right after a switch.
 *
 * "64B-split" times the two sides apart: SPLIT_N sends into an empty
 * channel, then the SPLIT_N receives that empty it again, per message.
 * A writer and a reader on two CPUs (the contention section) each pay
 * one side, and the dearer side sets the pace.  mailslot-batch receives
 * through MAILSLOT_IOC_RECV_BATCH (its "recv" row only: it sends as
 * mailslot does).
 *
 * The contenders take turns in CALLS_BLOCKS blocks, the starting one
 * rotating from block to block; the figure is the median block's time
 * per send+receive pair.
 */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "peers.h"

#define CALLS_BLOCKS 20

static const enum peer_type calls_peers[] = {
	P_MAILSLOT, P_MQUEUE, P_PIPE, P_SEQPACKET,
};

#define CALLS_N ((int)ARRAY_SIZE(calls_peers))

static void calls_size(struct bench *b, size_t msz, int yield)
{
	int per = iters(b, yield ? 4000 : 20000) / CALLS_BLOCKS;
	struct chan c[CALLS_N];
	uint64_t *t[CALLS_N];
	int on[CALLS_N];
	int i, j, blk;
	char param[16];
	char *buf;

	if (per < 1)
		per = 1;
	buf = malloc(msz);
	if (!buf)
		die("calls: malloc");
	memset(buf, 'c', msz);
	for (j = 0; j < CALLS_N; j++) {
		on[j] = peer_wanted(b, calls_peers[j]);
		t[j] = calloc(CALLS_BLOCKS, sizeof(uint64_t));
		if (!t[j])
			die("calls: malloc");
		if (on[j] && chan_open(b, &c[j], calls_peers[j], msz, 256))
			die("calls: open %s", peer_name(calls_peers[j]));
	}
	for (blk = 0; blk < CALLS_BLOCKS; blk++) {
		for (i = 0; i < CALLS_N; i++) {
			int k = (i + blk) % CALLS_N;
			uint64_t t0;
			int n;

			if (!on[k])
				continue;
			t0 = now_ns();
			for (n = 0; n < per; n++) {
				if (yield)
					sched_yield();
				chan_send(&c[k], buf, msz);
				if (chan_recv(&c[k], buf) != msz)
					die("calls: %s: short message",
					    peer_name(calls_peers[k]));
			}
			t[k][blk] = now_ns() - t0;
		}
	}
	snprintf(param, sizeof(param), yield ? "%zuB+yield" : "%zuB", msz);
	for (j = 0; j < CALLS_N; j++) {
		if (on[j]) {
			qsort(t[j], CALLS_BLOCKS, sizeof(uint64_t), cmp_u64);
			record(b, "calls", param, peer_name(calls_peers[j]),
			       peer_is_linux(calls_peers[j]), "send+recv", "us",
			       0, t[j][CALLS_BLOCKS / 2] / 1e3 / per);
			chan_close(&c[j]);
		}
		free(t[j]);
	}
	free(buf);
}

/* below every contender's depth: 256 slots, 64 KiB pipe, unix sndbuf */
#define SPLIT_N 128

static const enum peer_type split_peers[] = {
	P_MAILSLOT, P_MAILSLOT_BATCH, P_MQUEUE, P_PIPE, P_SEQPACKET,
};

#define SPLIT_PEERS ((int)ARRAY_SIZE(split_peers))

static void calls_split(struct bench *b)
{
	int blocks = iters(b, 20000) / SPLIT_N / 2 + 1;
	struct chan c[SPLIT_PEERS];
	uint64_t *ts[SPLIT_PEERS], *tr[SPLIT_PEERS];
	int on[SPLIT_PEERS];
	int i, j, blk, n;
	char buf[64];

	memset(buf, 's', sizeof(buf));
	for (j = 0; j < SPLIT_PEERS; j++) {
		on[j] = peer_wanted(b, split_peers[j]);
		ts[j] = calloc(blocks, sizeof(uint64_t));
		tr[j] = calloc(blocks, sizeof(uint64_t));
		if (!ts[j] || !tr[j])
			die("calls: malloc");
		if (on[j] && chan_open(b, &c[j], split_peers[j], 64, 256))
			die("calls: open %s", peer_name(split_peers[j]));
	}
	for (blk = 0; blk < blocks; blk++) {
		for (i = 0; i < SPLIT_PEERS; i++) {
			int k = (i + blk) % SPLIT_PEERS;
			uint64_t t0, t1;

			if (!on[k])
				continue;
			t0 = now_ns();
			for (n = 0; n < SPLIT_N; n++)
				chan_send(&c[k], buf, sizeof(buf));
			t1 = now_ns();
			for (n = 0; n < SPLIT_N; n++)
				if (chan_recv(&c[k], buf) != sizeof(buf))
					die("calls: %s: short message",
					    peer_name(split_peers[k]));
			tr[k][blk] = now_ns() - t1;
			ts[k][blk] = t1 - t0;
		}
	}
	for (j = 0; j < SPLIT_PEERS; j++) {
		if (on[j]) {
			qsort(ts[j], blocks, sizeof(uint64_t), cmp_u64);
			qsort(tr[j], blocks, sizeof(uint64_t), cmp_u64);
			if (split_peers[j] != P_MAILSLOT_BATCH)
				record(b, "calls", "64B-split",
				       peer_name(split_peers[j]),
				       peer_is_linux(split_peers[j]), "send",
				       "us", 0,
				       ts[j][blocks / 2] / 1e3 / SPLIT_N);
			record(b, "calls", "64B-split", peer_name(split_peers[j]),
			       peer_is_linux(split_peers[j]), "recv", "us", 0,
			       tr[j][blocks / 2] / 1e3 / SPLIT_N);
			chan_close(&c[j]);
		}
		free(ts[j]);
		free(tr[j]);
	}
}

void bm_calls(struct bench *b)
{
	pid_t y;

	calls_size(b, 64, 0);
	calls_split(b);
	calls_size(b, 4096, 0);
	/* the yielder shares vCPU 0 with us (msbench is pinned there) */
	y = fork_or_die();
	if (!y)
		for (;;)
			sched_yield();
	calls_size(b, 64, 1);
	kill(y, SIGKILL);
	reap(y);
}
