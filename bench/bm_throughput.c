// SPDX-License-Identifier: GPL-2.0
/*
 * One-way throughput, 64 B / 1 KiB / 64 KiB: every channel, including
 * mailslot with batched receive.
 *
 * One writer process per contender stays alive; the contenders take turns
 * in TPUT_WINDOWS windows, the starting contender rotating from window to
 * window.  In each window the writer sends per messages and the reader
 * times receiving them.  The figure is the contender's median window
 * (-B: its best).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "peers.h"

#define TPUT_WINDOWS 20

struct writer {
	const char *buf;
	size_t msz;
	long per;
};

/* The writer process: one window of messages. */
static void writer_block(struct turn *t, void *arg)
{
	const struct writer *w = arg;
	long k;

	for (k = 0; k < w->per; k++)
		chan_send(&t->a, w->buf, w->msz);
}

static void tput_size(struct bench *b, size_t msz, long count)
{
	struct turn tn[P_NTYPES];
	struct writer wr = { .msz = msz, .per = count / TPUT_WINDOWS };
	double *rate[P_NTYPES];
	char *buf = malloc(msz), param[16];
	int w, j;

	if (wr.per < 1)
		wr.per = 1;
	memset(buf, 't', msz);
	wr.buf = buf;
	snprintf(param, sizeof(param), msz >= 1024 ? "%zuKiB" : "%zuB",
		 msz >= 1024 ? msz / 1024 : msz);
	for (j = 0; j < P_NTYPES; j++) {
		struct turn *t = &tn[j];

		rate[j] = malloc(TPUT_WINDOWS * sizeof(double));
		t->on = peer_wanted(b, j);
		if (!t->on)
			continue;
		if (chan_open(b, &t->a, j, msz, 256))
			die("tput: open %s", peer_name(j));
		turn_start(t, writer_block, &wr);
	}
	for (w = 0; w < TPUT_WINDOWS; w++) {
		for (j = 0; j < P_NTYPES; j++) {
			int k = (j + w) % P_NTYPES;
			struct turn *t = &tn[k];
			uint64_t t0;

			if (!t->on)
				continue;
			t0 = now_ns();
			turn_go(t);
			chan_recv_n(&t->a, buf, wr.per);
			rate[k][w] = wr.per / ((now_ns() - t0) / 1e9);
		}
	}
	for (j = 0; j < P_NTYPES; j++) {
		struct turn *t = &tn[j];
		double r;

		if (t->on) {
			turn_stop(t);
			qsort(rate[j], TPUT_WINDOWS, sizeof(double), cmp_dbl);
			r = b->opt.best ? rate[j][TPUT_WINDOWS - 1] :
				(rate[j][TPUT_WINDOWS / 2 - 1] +
				 rate[j][TPUT_WINDOWS / 2]) / 2;
			if (j == P_MAILSLOT_BATCH && t->a.ncalls)
				record(b, "throughput", param, peer_name(j), 0,
				       "msgs/batch call", "msg", 1,
				       (double)t->a.nmsgs / t->a.ncalls);
			record(b, "throughput", param, peer_name(j),
			       peer_is_linux(j), "msgs/s", "msg/s", 1, r);
			record(b, "throughput", param, peer_name(j),
			       peer_is_linux(j), "MB/s", "MB/s", 1,
			       r * msz / 1e6);
			chan_close(&t->a);
		}
		free(rate[j]);
	}
	free(buf);
}

void bm_throughput(struct bench *b)
{
	static const size_t sizes[] = { 64, 1024, 65536 };
	static const long counts[] = { 20000, 10000, 1000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (!b->opt.size || b->opt.size == (long)sizes[i])
			tput_size(b, sizes[i], iters(b, counts[i]));
}
