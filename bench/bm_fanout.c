// SPDX-License-Identifier: GPL-2.0
/*
 * Fan-out: one writer, N = 1 to 256 readers of 1 KiB messages.  One slot
 * with N listeners against N mqueues and N seqpacket socketpairs, each
 * written once per message.  Figures: the writer's time per message
 * (SCHED_FIFO: the readers run only once it is done), the time until the
 * last reader has every message, and the deliveries (messages times
 * readers) per second of that time: the throughput against readers.
 * Every queue holds the M messages of a run (max_msgs and max_bytes of
 * the slot, mq_maxmsg, SO_SNDBUF), so the writer never waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <linux/mailslot.h>

#include "bench.h"
#include "peers.h"

#define FAN_MSG 1024

/* kind 0: one slot, N listeners; 1: N mqueues; 2: N socketpairs */
static const struct {
	const char *name;
	enum peer_type t;
} fan_kinds[] = {
	{ "mailslot", P_MAILSLOT },
	{ "N x mqueue", P_MQUEUE },
	{ "N x seqpacket", P_SEQPACKET },
};

#define FAN_KINDS ((int)ARRAY_SIZE(fan_kinds))

/* One slot with n listeners: rfd[0..n-1]; returns the writer's fd. */
static int fan_slot(struct bench *b, int *rfd, int n, int m)
{
	char name[96];
	int i, wfd;

	uniq_name(b, name, sizeof(name), "fan");
	/*
	 * max_bytes M KiB, not the default 1 MiB: every listener reserves
	 * its queue of the user's max_queued_bytes_per_user (64 MiB), and
	 * 255 listeners of 1 MiB would not fit
	 */
	rfd[0] = ms_create(b, name, FAN_MSG, m, m * FAN_MSG,
			   MAILSLOT_OVERFLOW_BLOCK, MAILSLOT_TIMEOUT_INFINITE);
	if (rfd[0] < 0)
		die("fanout: create");
	for (i = 1; i < n; i++) {
		rfd[i] = ms_open(name, O_RDONLY);
		if (rfd[i] < 0)
			die("fanout: open listener %d", i);
	}
	wfd = ms_open(name, O_WRONLY);
	if (wfd < 0)
		die("fanout: open writer");
	return wfd;
}

static void fanout_one(struct bench *b, int kind, int n, int m)
{
	struct chan *ch = calloc(n, sizeof(*ch));
	int *rfd = calloc(n, sizeof(int));
	pid_t *pids = calloc(n, sizeof(pid_t));
	uint64_t *done = shm_alloc(n * sizeof(uint64_t));
	const char *nm = fan_kinds[kind].name;
	char buf[FAN_MSG], param[16];
	int rdy[2], i, k, wfd = -1, nch = 0;
	uint64_t t0, t1, last = 0;

	memset(buf, 'f', sizeof(buf));
	snprintf(param, sizeof(param), "N=%d", n);
	if (kind == 0) {
		wfd = fan_slot(b, rfd, n, m);
	} else {
		for (nch = 0; nch < n; nch++) {
			if (chan_open(b, &ch[nch], fan_kinds[kind].t, FAN_MSG,
				      m))
				break;
			rfd[nch] = ch[nch].rfd;
		}
	}
	if (nch < n && kind != 0) {
		/*
		 * a limit of the host (RLIMIT_MSGQUEUE that could not be
		 * raised, the open files): this point is left out, named
		 */
		skip_point(b, "fanout", param, nm, "open %d: %s", nch,
			   strerror(errno));
		chan_close(&ch[nch]);
		goto out;
	}
	if (pipe(rdy))
		die("pipe");
	for (i = 0; i < n; i++) {
		pids[i] = fork_or_die();
		if (!pids[i]) {
			struct chan rc = { .t = fan_kinds[kind].t,
					   .rfd = rfd[i], .msz = FAN_MSG };

			write_full(rdy[1], "r", 1);
			for (k = 0; k < m; k++)
				chan_recv(&rc, buf);
			done[i] = now_ns();
			_exit(0);
		}
	}
	for (i = 0; i < n; i++)
		read_full(rdy[0], buf, 1);
	usleep(2000);	/* let every reader block in its receive */
	set_fifo(1);	/* readers run only after the writer is done */
	t0 = now_ns();
	for (k = 0; k < m; k++) {
		if (kind == 0) {
			if (write(wfd, buf, FAN_MSG) != FAN_MSG)
				die("fanout: write");
		} else {
			for (i = 0; i < n; i++)
				chan_send(&ch[i], buf, FAN_MSG);
		}
	}
	t1 = now_ns();
	set_fifo(0);
	for (i = 0; i < n; i++) {
		reap(pids[i]);
		if (done[i] > last)
			last = done[i];
	}
	record(b, "fanout", param, nm, kind != 0, "writer us/msg", "us", 0,
	       (t1 - t0) / 1e3 / m);
	record(b, "fanout", param, nm, kind != 0, "all-readers ms", "ms", 0,
	       (last - t0) / 1e6);
	record(b, "fanout", param, nm, kind != 0, "deliveries/s", "msg/s", 1,
	       (double)n * m / ((last - t0) / 1e9));
	if (kind == 0) {
		for (i = 0; i < n; i++)
			close(rfd[i]);
		close(wfd);
	}
	close(rdy[0]);
	close(rdy[1]);
out:
	for (i = 0; i < nch; i++)
		chan_close(&ch[i]);
	munmap(done, n * sizeof(uint64_t));
	free(ch);
	free(rfd);
	free(pids);
}

void bm_fanout(struct bench *b)
{
	static const int ns[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256 };
	int i, k, m = iters(b, 128);

	if (m > 256)
		m = 256;
	for (i = 0; i < (int)ARRAY_SIZE(ns); i++)
		for (k = 0; k < FAN_KINDS; k++)
			if ((k || b->have_ms) && want(b, fan_kinds[k].name))
				fanout_one(b, k, ns[i], m);
}
