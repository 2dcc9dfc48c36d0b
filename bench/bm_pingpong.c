// SPDX-License-Identifier: GPL-2.0
/*
 * Ping-pong latency, 64 B and 4 KiB: mailslot (read and write, and the
 * same through io_uring), mqueue, pipe, seqpacket.
 *
 * One echo process per contender stays alive; the contenders take turns
 * in PP_BLOCKS blocks of round trips, the starting contender rotating from
 * block to block, so that a stretch of host noise (the vCPU thread
 * descheduled under TCG) hits every contender alike.
 *
 * Beside the times, the timing process's context switches per round trip
 * (getrusage()): "slept" when it waited for the reply, "preempted" when
 * the woken echo took the CPU from it as it returned from the send, so
 * that the reply was already there when it asked.  On one CPU a round
 * trip costs two switches either way, but a preemption spares the timing
 * process a wait and a wake-up; how often the scheduler preempts (CFS:
 * when the wakee lags the waker by more than the wake-up granularity)
 * decides much of the round trip.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"
#include "peers.h"

#define PP_BLOCKS 20
#define PP_WARMUP 10

static const enum peer_type pp_peers[] = {
	P_MAILSLOT, P_MAILSLOT_URING, P_MQUEUE, P_PIPE, P_SEQPACKET,
};

#define PP_N ((int)ARRAY_SIZE(pp_peers))

struct echo {
	char *buf;
	size_t msz;
	int per;
};

/* The echo process: one block of round trips. */
static void echo_block(struct turn *t, void *arg)
{
	struct echo *e = arg;
	int i;

	for (i = 0; i < e->per + PP_WARMUP; i++) {
		chan_recv(&t->a, e->buf);
		chan_send(&t->b, e->buf, e->msz);
	}
}

static void pingpong_size(struct bench *b, size_t msz)
{
	struct turn tn[PP_N];
	struct echo e = { .msz = msz, .per = iters(b, 2000) / PP_BLOCKS };
	int n, i, blk, j;
	uint64_t *s[PP_N];
	long nv[PP_N] = { 0 }, niv[PP_N] = { 0 };
	struct rusage ru0, ru1;
	char param[16];

	if (e.per < 1)
		e.per = 1;
	n = e.per * PP_BLOCKS;
	e.buf = malloc(msz);
	memset(e.buf, 'p', msz);
	for (j = 0; j < PP_N; j++) {
		struct turn *t = &tn[j];
		enum peer_type pt = pp_peers[j];

		t->on = peer_wanted(b, pt);
		s[j] = malloc(n * sizeof(uint64_t));
		if (!t->on)
			continue;
		if (chan_open(b, &t->a, pt, msz, 256) ||
		    chan_open(b, &t->b, pt, msz, 256))
			die("pingpong: open %s", peer_name(pt));
		turn_start(t, echo_block, &e);
	}
	for (blk = 0; blk < PP_BLOCKS; blk++) {
		for (j = 0; j < PP_N; j++) {
			struct turn *t = &tn[(j + blk) % PP_N];
			uint64_t *out = s[(j + blk) % PP_N] + blk * e.per;

			if (!t->on)
				continue;
			turn_go(t);
			getrusage(RUSAGE_SELF, &ru0);
			for (i = 0; i < e.per + PP_WARMUP; i++) {
				uint64_t t0 = now_ns();

				chan_send(&t->a, e.buf, msz);
				chan_recv(&t->b, e.buf);
				if (i >= PP_WARMUP)
					out[i - PP_WARMUP] = now_ns() - t0;
			}
			getrusage(RUSAGE_SELF, &ru1);
			nv[(j + blk) % PP_N] += ru1.ru_nvcsw - ru0.ru_nvcsw;
			niv[(j + blk) % PP_N] += ru1.ru_nivcsw - ru0.ru_nivcsw;
		}
	}
	snprintf(param, sizeof(param), "%zuB", msz);
	for (j = 0; j < PP_N; j++) {
		struct turn *t = &tn[j];
		enum peer_type pt = pp_peers[j];

		if (t->on) {
			turn_stop(t);
			chan_close(&t->a);
			chan_close(&t->b);
			qsort(s[j], n, sizeof(uint64_t), cmp_u64);
			record(b, "pingpong", param, peer_name(pt),
			       peer_is_linux(pt), "rtt p50", "us", 0,
			       pct(s[j], n, 0.50) / 1e3);
			record(b, "pingpong", param, peer_name(pt),
			       peer_is_linux(pt), "rtt p99", "us", 0,
			       pct(s[j], n, 0.99) / 1e3);
			/* n + PP_BLOCKS * PP_WARMUP round trips in all */
			record(b, "pingpong", param, peer_name(pt),
			       peer_is_linux(pt), "slept/rtt", "sw", 0,
			       (double)nv[j] / (n + PP_BLOCKS * PP_WARMUP));
			record(b, "pingpong", param, peer_name(pt),
			       peer_is_linux(pt), "preempted/rtt", "sw", 1,
			       (double)niv[j] / (n + PP_BLOCKS * PP_WARMUP));
		}
		free(s[j]);
	}
	free(e.buf);
}

void bm_pingpong(struct bench *b)
{
	static const size_t sizes[] = { 64, 4096 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (!b->opt.size || b->opt.size == (long)sizes[i])
			pingpong_size(b, sizes[i]);
}
