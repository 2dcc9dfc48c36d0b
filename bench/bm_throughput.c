// SPDX-License-Identifier: GPL-2.0
/*
 * One-way throughput, 64 B / 1 KiB / 64 KiB: every channel, including
 * mailslot with batched receive.
 *
 * One writer process per contender stays alive; the contenders take turns
 * in windows, the starting contender rotating from window to window.  In
 * each window the writer sends per messages and the reader times
 * receiving them.  The figure is the contender's median window (-B: its
 * best).  tput_measure() is shared with the size curve (bm_sizes.c).
 */
#include <errno.h>
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

/* "64B", "4KiB", "1MiB": the param of a message size. */
void size_param(char *buf, size_t sz, size_t msz)
{
	if (msz >= 1024 * 1024 && !(msz % (1024 * 1024)))
		snprintf(buf, sz, "%zuMiB", msz / (1024 * 1024));
	else if (msz >= 1024 && !(msz % 1024))
		snprintf(buf, sz, "%zuKiB", msz / 1024);
	else
		snprintf(buf, sz, "%zuB", msz);
}

/*
 * Open contender t's channel for msz-byte messages and pass one message
 * through it.  A contender that cannot carry the size is skipped: an
 * "@skip," line says which point is missing and why, and nothing is
 * recorded for it.
 */
static int tput_open(struct bench *b, struct chan *c, enum peer_type t,
		     const char *test, const char *param, char *buf,
		     size_t msz)
{
	int err;

	if (chan_open(b, c, t, msz, 256)) {
		err = errno;
		skip_point(b, test, param, peer_name(t), "open: %s",
			   strerror(err));
		chan_close(c);
		return -1;
	}
	err = chan_try_send(c, buf, msz);
	if (err) {
		skip_point(b, test, param, peer_name(t), "send: %s",
			   strerror(err));
		chan_close(c);
		return -1;
	}
	if (chan_recv(c, buf) != msz)
		die("%s: %s %s: short message", test, peer_name(t), param);
	c->ncalls = 0;
	c->nmsgs = 0;
	return 0;
}

void tput_measure(struct bench *b, const char *test, size_t msz, long count,
		  int windows)
{
	struct turn tn[P_NTYPES];
	struct writer wr = { .msz = msz, .per = count / windows };
	double *rate[P_NTYPES];
	char *buf = malloc(msz), param[16];
	int w, j;

	if (!buf)
		die("malloc");
	if (wr.per < 1)
		wr.per = 1;
	memset(buf, 't', msz);
	wr.buf = buf;
	size_param(param, sizeof(param), msz);
	for (j = 0; j < P_NTYPES; j++) {
		struct turn *t = &tn[j];

		rate[j] = malloc(windows * sizeof(double));
		t->on = peer_wanted(b, j) &&
			!tput_open(b, &t->a, j, test, param, buf, msz);
		if (t->on)
			turn_start(t, writer_block, &wr);
	}
	for (w = 0; w < windows; w++) {
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
			qsort(rate[j], windows, sizeof(double), cmp_dbl);
			r = b->opt.best ? rate[j][windows - 1] :
				windows & 1 ? rate[j][windows / 2] :
				(rate[j][windows / 2 - 1] +
				 rate[j][windows / 2]) / 2;
			if (j == P_MAILSLOT_BATCH && t->a.ncalls)
				record(b, test, param, peer_name(j), 0,
				       "msgs/batch call", "msg", 1,
				       (double)t->a.nmsgs / t->a.ncalls);
			record(b, test, param, peer_name(j),
			       peer_is_linux(j), "msgs/s", "msg/s", 1, r);
			record(b, test, param, peer_name(j),
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
			tput_measure(b, "throughput", sizes[i],
				     iters(b, counts[i]), TPUT_WINDOWS);
}
