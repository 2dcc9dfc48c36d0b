// SPDX-License-Identifier: GPL-2.0
/*
 * Contention: 1, 2, 4, 8 and 16 writers into one slot (read plainly and
 * batched) against one mqueue: the throughput against writers.  Writer i
 * runs on CPU i+1 (mod the CPU count), the reader on CPU 0: the one
 * section not pinned to CPU 0 alone.  Beside the rate, the reader's
 * voluntary context switches per message (getrusage()): how often it
 * found its queue empty and slept, which tells which side sets the pace
 * (docs/bench.md, Round four, "Contention").
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "bench.h"
#include "peers.h"

#define MAX_WRITERS 16

static void contend_one(struct bench *b, enum peer_type t, int w, long total)
{
	struct chan c;
	pid_t pids[MAX_WRITERS];
	char buf[64], param[16];
	int go[2], i;
	uint64_t t0, t1;
	struct rusage ru0, ru1;

	memset(buf, 'c', sizeof(buf));
	if (chan_open(b, &c, t, 64, 256))
		die("contend: open");
	if (pipe(go))
		die("pipe");
	for (i = 0; i < w; i++) {
		pids[i] = fork_or_die();
		if (!pids[i]) {
			long k, mine = total / w + (i < total % w);
			char x;

			pin_to(b, i + 1);
			read_full(go[0], &x, 1);
			for (k = 0; k < mine; k++)
				chan_send(&c, buf, 64);
			_exit(0);
		}
	}
	pin_to(b, 0);
	usleep(1000);
	getrusage(RUSAGE_SELF, &ru0);
	t0 = now_ns();
	for (i = 0; i < w; i++)
		write_full(go[1], "g", 1);
	chan_recv_n(&c, buf, total);
	t1 = now_ns();
	getrusage(RUSAGE_SELF, &ru1);
	for (i = 0; i < w; i++)
		reap(pids[i]);
	close(go[0]);
	close(go[1]);
	snprintf(param, sizeof(param), "W=%d", w);
	if (t == P_MAILSLOT_BATCH && c.ncalls)
		record(b, "contention", param, peer_name(t), 0,
		       "msgs/batch call", "msg", 1,
		       (double)c.nmsgs / c.ncalls);
	chan_close(&c);
	record(b, "contention", param, peer_name(t), peer_is_linux(t),
	       "msgs/s", "msg/s", 1, total / ((t1 - t0) / 1e9));
	record(b, "contention", param, peer_name(t), peer_is_linux(t),
	       "reader slept/msg", "sw", 0,
	       (double)(ru1.ru_nvcsw - ru0.ru_nvcsw) / total);
}

void bm_contention(struct bench *b)
{
	static const int ws[] = { 1, 2, 4, 8, MAX_WRITERS };
	static const enum peer_type ts[] = {
		P_MAILSLOT, P_MAILSLOT_BATCH, P_MQUEUE,
	};
	unsigned int i, j;

	unpin(b);
	for (i = 0; i < ARRAY_SIZE(ws); i++)
		for (j = 0; j < ARRAY_SIZE(ts); j++)
			if (peer_wanted(b, ts[j]))
				contend_one(b, ts[j], ws[i], iters(b, 5000));
	pin_to(b, 0);
}
