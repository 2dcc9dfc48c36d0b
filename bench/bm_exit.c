// SPDX-License-Identifier: GPL-2.0
/*
 * Process exit: from a child's _exit to its waiter's wakeup, for a process
 * object (poll and MAILSLOT_IOC_WAIT), a pidfd (poll) and waitpid; and
 * wait-any over 64 objects: process objects with IOC_WAIT against poll()
 * over 64 pidfds, both the cost of a scan with timeout 0 and the wakeup
 * when one of the 64 exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include <linux/mailslot.h>

#include "bench.h"
#include "peers.h"

#define NW 64

struct child {
	pid_t pid;
	int go;		/* write end: one byte makes the child exit */
	int obj;	/* process object or pidfd */
};

/* A child that stamps b->exit_stamp[slot] and exits once told to. */
static void spawn(struct bench *b, struct child *c, int slot)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		die("pipe");
	c->pid = fork_or_die();
	if (!c->pid) {
		char x;

		close(p[1]);
		if (read(p[0], &x, 1) != 1)
			_exit(1);
		b->exit_stamp[slot] = now_ns();
		_exit(7);
	}
	close(p[0]);
	c->go = p[1];
}

enum xkind { X_PROC_POLL, X_PROC_WAIT, X_PIDFD, X_WAITPID, X_N };

static const struct {
	const char *name;
	int linux_peer;
	int procobj;
} xkinds[X_N] = {
	[X_PROC_POLL] = { "procobj+poll", 0, 1 },
	[X_PROC_WAIT] = { "procobj+IOC_WAIT", 0, 1 },
	[X_PIDFD] = { "pidfd+poll", 1, 0 },
	[X_WAITPID] = { "waitpid", 1, 0 },
};

/* One sample: a child's _exit to the waiter's wakeup, in ns. */
static uint64_t exit_sample(struct bench *b, enum xkind k)
{
	struct child c;
	uint64_t tw;

	spawn(b, &c, 0);
	c.obj = -1;
	if (xkinds[k].procobj)
		c.obj = proc_open(b, c.pid);
	else if (k == X_PIDFD)
		c.obj = pidfd_open(c.pid);
	if (k != X_WAITPID && c.obj < 0)
		die("open %s", xkinds[k].name);
	write_full(c.go, "x", 1);
	if (k == X_WAITPID) {
		reap(c.pid);
		tw = now_ns();
	} else if (k == X_PROC_WAIT) {
		if (ms_wait(b, &c.obj, 1, MAILSLOT_TIMEOUT_INFINITE, NULL))
			die("IOC_WAIT");
		tw = now_ns();
		reap(c.pid);
	} else {
		while (poll_in(&c.obj, 1, -1, NULL) != 1)
			;
		tw = now_ns();
		reap(c.pid);
	}
	close(c.go);
	if (c.obj >= 0)
		close(c.obj);
	return tw - b->exit_stamp[0];
}

/*
 * The contenders take turns sample by sample, so that a stretch of host
 * noise hits all of them alike.
 */
static void exit_all(struct bench *b, int n)
{
	uint64_t *s[X_N];
	int i, k, on[X_N];

	for (k = 0; k < X_N; k++) {
		on[k] = (b->have_proc || !xkinds[k].procobj) &&
			want(b, xkinds[k].name);
		s[k] = malloc(n * sizeof(uint64_t));
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < X_N; k++)
			if (on[k])
				s[k][i] = exit_sample(b, k);
	for (k = 0; k < X_N; k++) {
		if (on[k]) {
			qsort(s[k], n, sizeof(uint64_t), cmp_u64);
			record(b, "exit-wake", "1 proc", xkinds[k].name,
			       xkinds[k].linux_peer, "p50", "us", 0,
			       pct(s[k], n, 0.5) / 1e3);
			record(b, "exit-wake", "1 proc", xkinds[k].name,
			       xkinds[k].linux_peer, "p99", "us", 0,
			       pct(s[k], n, 0.99) / 1e3);
		}
		free(s[k]);
	}
}

/* A waitable object for c: a process object (proc) or a pidfd. */
static void open_obj(struct bench *b, struct child *c, int proc)
{
	c->obj = proc ? proc_open(b, c->pid) : pidfd_open(c->pid);
	if (c->obj < 0)
		die("waitany: open");
}

/* Wait for any of the NW objects; returns the index that woke. */
static int wait_any(struct bench *b, int proc, int *fds, int timeout0)
{
	unsigned int idx;
	int got;

	if (proc) {
		if (ms_wait(b, fds, NW, timeout0 ? 0 : MAILSLOT_TIMEOUT_INFINITE,
			    &idx)) {
			if (timeout0 && errno == ETIMEDOUT)
				return -1;
			die("IOC_WAIT %s", timeout0 ? "scan" : "any");
		}
		if (timeout0)
			die("IOC_WAIT scan");
		return idx;
	}
	if (timeout0) {
		if (poll_in(fds, NW, 0, NULL))
			die("poll scan");
		return -1;
	}
	while (poll_in(fds, NW, -1, &got) < 1)
		;
	return got;
}

/* wait-any over 64 objects: process objects (IOC_WAIT) vs poll(pidfds) */
static void waitany_one(struct bench *b, int proc, int n)
{
	struct child c[NW];
	int fds[NW];
	uint64_t *s = malloc(n * sizeof(*s)), t0;
	int i, j, calls = iters(b, 2000);
	const char *nm = proc ? "procobj IOC_WAIT" : "pidfd poll";

	for (i = 0; i < NW; i++) {
		spawn(b, &c[i], i);
		open_obj(b, &c[i], proc);
		fds[i] = c[i].obj;
	}

	/* cost of one wait-any call over 64 unsignaled objects, timeout 0 */
	t0 = now_ns();
	for (j = 0; j < calls; j++)
		wait_any(b, proc, fds, 1);
	record(b, "wait-any 64", "scan t/o=0", nm, !proc, "us/call", "us", 0,
	       (now_ns() - t0) / 1e3 / calls);

	for (j = 0; j < n; j++) {
		int k = (j * 37 + 11) % NW, got;
		uint64_t tw;

		write_full(c[k].go, "x", 1);
		got = wait_any(b, proc, fds, 0);
		tw = now_ns();
		if (got != k)
			die("wait-any: woke for %d, expected %d", got, k);
		s[j] = tw - b->exit_stamp[k];
		reap(c[k].pid);
		close(c[k].go);
		close(c[k].obj);
		spawn(b, &c[k], k);
		open_obj(b, &c[k], proc);
		if (c[k].obj != fds[k]) {	/* keep the array index */
			dup2(c[k].obj, fds[k]);
			close(c[k].obj);
			c[k].obj = fds[k];
		}
	}
	for (i = 0; i < NW; i++) {
		write_full(c[i].go, "x", 1);
		reap(c[i].pid);
		close(c[i].go);
		close(c[i].obj);
	}
	qsort(s, n, sizeof(*s), cmp_u64);
	record(b, "wait-any 64", "1 of 64 exits", nm, !proc, "wake p50", "us",
	       0, pct(s, n, 0.5) / 1e3);
	free(s);
}

void bm_exit(struct bench *b)
{
	int n = iters(b, 200);

	if (!b->exit_stamp)
		b->exit_stamp = shm_alloc(NW * sizeof(uint64_t));
	exit_all(b, n);
	if (b->have_proc && want(b, "procobj IOC_WAIT"))
		waitany_one(b, 1, iters(b, 40));
	if (want(b, "pidfd poll"))
		waitany_one(b, 0, iters(b, 40));
}
