// SPDX-License-Identifier: GPL-2.0
/*
 * msbench: mailslot against the Linux peers, every contender in one boot.
 *
 * Sections (each selectable with -t):
 *   p  ping-pong latency, 64 B and 4 KiB: mailslot, mqueue, pipe, seqpacket
 *   t  one-way throughput, 64 B / 1 KiB / 64 KiB, plus mailslot batched
 *   f  fan-out: one writer, N readers vs N mqueues / N seqpacket sockets
 *   c  contention: 1..8 writers into one slot vs one mqueue
 *   x  process exit: process object vs pidfd+poll vs waitpid; wait-any 64
 *   m  kernel memory per queued 64-byte message, and with fan-out to 16
 *   s  slot churn: create+destroy vs mq_open+mq_unlink
 *
 * Every figure is measured -r times (default 5) with the contenders
 * interleaved inside each repetition; the table shows the median of the
 * repetitions, their min and max, and the ratio to the best Linux peer.
 * Everything runs pinned to CPU 0 (both ends of every exchange share one
 * vCPU) except the contention section, which spreads writers over all CPUs.
 *
 * Output: a human table, "@csv," lines (one per figure), "@target," lines
 * (the targets, MET or MISSED) and "@norm," lines (same-boot
 * normalisers: getppid cost and 4 KiB memcpy time).
 *
 * Uses the raw uapi (uapi/linux/mailslot.h), no library; links statically
 * so that it runs in a busybox guest.  Without /dev/mailslot/control the
 * mailslot contenders are skipped, so the peers can be run anywhere.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/mailslot.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#endif

/* ------------------------------------------------------------------ */
/* basics */

static int opt_reps = 5;
static double opt_scale = 1.0;
static const char *opt_sections = "ptfcxms";
static int opt_verbose;
static const char *opt_only;	/* -c: only contenders named exactly so */
static long opt_size;		/* -z: only this message size (p, t) */
static int opt_best;		/* -B: throughput from the best window */
static int ncpu = 1;
static int have_ms;		/* slots can be created */
static int have_proc;		/* process objects can be opened */
static FILE *csv;		/* -o FILE */
static int ms_ctl = -1;
static int is_root;
static unsigned name_seq;
static int mq_shrunk;
static int cur_rep;

static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	fprintf(stderr, "msbench: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
	exit(2);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int want(const char *contender)
{
	return !opt_only || !strcmp(opt_only, contender);
}

static int iters(int base)
{
	int n = (int)(base * opt_scale);

	return n < 3 ? 3 : n;
}

static void pin_to(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu % ncpu, &s);
	if (sched_setaffinity(0, sizeof(s), &s))
		die("sched_setaffinity");
}

static void unpin(void)
{
	cpu_set_t s;
	int i;

	CPU_ZERO(&s);
	for (i = 0; i < ncpu; i++)
		CPU_SET(i, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

static int set_fifo(int on)
{
	struct sched_param sp = { .sched_priority = on ? 1 : 0 };

	return sched_setscheduler(0, on ? SCHED_FIFO : SCHED_OTHER, &sp);
}

static void *shm_alloc(size_t sz)
{
	void *p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 0, sz);
	return p;
}

static void reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

static void write_full(int fd, const void *b, size_t n)
{
	const char *p = b;

	while (n) {
		ssize_t r = write(fd, p, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += r;
		n -= r;
	}
}

static void read_full(int fd, void *b, size_t n)
{
	char *p = b;

	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		if (r == 0)
			die("read: unexpected EOF");
		p += r;
		n -= r;
	}
}

static int proc_open(pid_t pid);

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static uint64_t pct(uint64_t *v, int n, double p)
{
	int i = (int)(p * (n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

/* ------------------------------------------------------------------ */
/* results */

#define MAX_REPS 64

struct rec {
	char sec[8], test[24], param[16], cont[20], metric[24], unit[12];
	int hib;		/* higher is better */
	int peer;		/* a Linux peer (candidate for "best peer") */
	int n;
	double v[MAX_REPS];
	double med, ratio;
};

static struct rec *recs;
static int nrecs, caprecs;

static void rec(const char *sec, const char *test, const char *param,
		const char *cont, int peer, const char *metric,
		const char *unit, int hib, double v)
{
	struct rec *r;
	int i;

	for (i = 0; i < nrecs; i++) {
		r = &recs[i];
		if (!strcmp(r->sec, sec) && !strcmp(r->test, test) &&
		    !strcmp(r->param, param) && !strcmp(r->cont, cont) &&
		    !strcmp(r->metric, metric))
			goto found;
	}
	if (nrecs == caprecs) {
		caprecs = caprecs ? caprecs * 2 : 256;
		recs = realloc(recs, caprecs * sizeof(*recs));
		if (!recs)
			die("realloc");
	}
	r = &recs[nrecs++];
	memset(r, 0, sizeof(*r));
	snprintf(r->sec, sizeof(r->sec), "%s", sec);
	snprintf(r->test, sizeof(r->test), "%s", test);
	snprintf(r->param, sizeof(r->param), "%s", param);
	snprintf(r->cont, sizeof(r->cont), "%s", cont);
	snprintf(r->metric, sizeof(r->metric), "%s", metric);
	snprintf(r->unit, sizeof(r->unit), "%s", unit);
	r->hib = hib;
	r->peer = peer;
found:
	if (r->n < MAX_REPS)
		r->v[r->n++] = v;
	if (opt_verbose)
		note("  [%s %s %s %s %s] %.4g %s\n", sec, test, param, cont,
		     metric, v, unit);
}

static double median_of(const double *v, int n)
{
	double t[MAX_REPS];

	if (!n)
		return 0;
	memcpy(t, v, n * sizeof(*t));
	qsort(t, n, sizeof(*t), cmp_dbl);
	return n & 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static double minmax(const struct rec *r, int max)
{
	double m = r->v[0];
	int i;

	for (i = 1; i < r->n; i++)
		if (max ? r->v[i] > m : r->v[i] < m)
			m = r->v[i];
	return m;
}

static int same_group(const struct rec *a, const struct rec *b)
{
	return !strcmp(a->sec, b->sec) && !strcmp(a->test, b->test) &&
	       !strcmp(a->param, b->param) && !strcmp(a->metric, b->metric);
}

static struct rec *find(const char *sec, const char *test, const char *param,
			const char *cont, const char *metric)
{
	int i;

	for (i = 0; i < nrecs; i++) {
		struct rec *r = &recs[i];

		if (!strcmp(r->sec, sec) && !strcmp(r->test, test) &&
		    !strcmp(r->param, param) && !strcmp(r->cont, cont) &&
		    !strcmp(r->metric, metric))
			return r;
	}
	return NULL;
}

static void finish_recs(void)
{
	int i, j;

	for (i = 0; i < nrecs; i++)
		recs[i].med = median_of(recs[i].v, recs[i].n);
	for (i = 0; i < nrecs; i++) {
		double best = 0;
		int have = 0;

		for (j = 0; j < nrecs; j++) {
			if (!recs[j].peer || !same_group(&recs[i], &recs[j]) ||
			    recs[j].med <= 0)
				continue;
			if (!have || (recs[i].hib ? recs[j].med > best
					    : recs[j].med < best))
				best = recs[j].med;
			have = 1;
		}
		recs[i].ratio = have ? recs[i].med / best : 0;
	}
}

/* ------------------------------------------------------------------ */
/* mailslot raw uapi */

static int ms_create(const char *name, uint32_t max_msg, uint32_t max_msgs,
		     uint32_t max_bytes, uint32_t overflow, uint64_t timeout)
{
	struct mailslot_create c;

	memset(&c, 0, sizeof(c));
	c.name = (uintptr_t)name;
	c.read_timeout_ns = timeout;
	c.mode = 0600;
	c.max_msg_size = max_msg;
	c.max_msgs = max_msgs;
	c.max_bytes = max_bytes;
	c.overflow = overflow;
	return ioctl(ms_ctl, MAILSLOT_IOC_CREATE, &c);
}

static int ms_open(const char *name, int flags)
{
	char path[320];

	snprintf(path, sizeof(path), MAILSLOT_DEV_DIR "/%s", name);
	return open(path, flags | O_CLOEXEC);
}

static void uniq_name(char *buf, size_t sz, const char *what)
{
	snprintf(buf, sz, "msbench-%s-%d-%u", what, (int)getpid(), name_seq++);
}

/* ------------------------------------------------------------------ */
/* channels: one-way message paths, created before fork */

enum ctype { C_MS, C_MSB, C_MQ, C_PIPE, C_SEQ, C_NTYPES };

static const char *const cname[C_NTYPES] = {
	"mailslot", "mailslot-batch", "mqueue", "pipe", "seqpacket",
};
static const int cpeer[C_NTYPES] = { 0, 0, 1, 1, 1 };

struct chan {
	enum ctype t;
	int rfd, wfd;
	size_t msz;
	/* batched receive state (C_MSB) */
	char *bbuf;
	size_t bsize, boff, bbytes;
	unsigned bleft;
	long ncalls, nmsgs;	/* RECV_BATCH calls and messages they took */
};

#define BATCH_BUF (2u << 20)

/*
 * Every contender gets the same queue: @depth messages, at most 1 MiB
 * (mailslot: max_msgs/max_bytes; mqueue: mq_maxmsg; pipe: F_SETPIPE_SZ;
 * seqpacket: net.unix.max_dgram_qlen, set to 256 at start, and SO_SNDBUF).
 */
static int chan_open(struct chan *c, enum ctype t, size_t msz, unsigned depth)
{
	size_t qbytes = (size_t)depth * msz;
	unsigned qmsgs = depth;
	char name[96];
	int sv[2];

	if (qbytes > (1u << 20)) {
		qmsgs = (1u << 20) / msz;
		if (!qmsgs)
			qmsgs = 1;
		qbytes = (size_t)qmsgs * msz;
	}

	memset(c, 0, sizeof(*c));
	c->t = t;
	c->msz = msz;
	c->rfd = c->wfd = -1;
	switch (t) {
	case C_MS:
	case C_MSB: {
		size_t bytes = (size_t)depth * msz;

		if (bytes < (1u << 20))
			bytes = 1u << 20;
		uniq_name(name, sizeof(name), "ch");
		c->rfd = ms_create(name, msz < 64 ? 64 : msz, depth, bytes,
				   MAILSLOT_OVERFLOW_BLOCK,
				   MAILSLOT_TIMEOUT_INFINITE);
		if (c->rfd < 0)
			return -1;
		c->wfd = ms_open(name, O_WRONLY);
		if (c->wfd < 0)
			return -1;
		if (t == C_MSB) {
			c->bsize = BATCH_BUF;
			c->bbuf = malloc(c->bsize);
		}
		return 0;
	}
	case C_MQ: {
		struct mq_attr a = { 0 };
		unsigned d = depth;

		if ((size_t)d * msz > (1u << 20))
			d = (1u << 20) / msz;
		if (d < 1)
			d = 1;
		a.mq_maxmsg = d;
		a.mq_msgsize = msz;
		snprintf(name, sizeof(name), "/msbench-%d-%u", (int)getpid(),
			 name_seq++);
		/* EMFILE: RLIMIT_MSGQUEUE could not be raised (not root) */
		while ((c->rfd = mq_open(name, O_RDONLY | O_CREAT | O_EXCL,
					 0600, &a)) < 0 &&
		       errno == EMFILE && a.mq_maxmsg > 1) {
			if (!mq_shrunk++)
				note("# RLIMIT_MSGQUEUE too small: mqueue "
				     "depth reduced\n");
			a.mq_maxmsg /= 2;
		}
		if (c->rfd < 0)
			return -1;
		c->wfd = mq_open(name, O_WRONLY);
		mq_unlink(name);
		return c->wfd < 0 ? -1 : 0;
	}
	case C_PIPE:
		if (pipe2(sv, O_CLOEXEC))
			return -1;
		c->rfd = sv[0];
		c->wfd = sv[1];
		fcntl(c->wfd, F_SETPIPE_SZ, qbytes < 4096 ? 4096 : (int)qbytes);
		return 0;
	case C_SEQ: {
		/* skb overhead counts against the buffer: ~1 KiB a message */
		int b = (int)(qmsgs * (msz + 1024));

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
			return -1;
		c->wfd = sv[0];
		c->rfd = sv[1];
		if (setsockopt(c->wfd, SOL_SOCKET, SO_SNDBUFFORCE, &b, sizeof(b)))
			setsockopt(c->wfd, SOL_SOCKET, SO_SNDBUF, &b, sizeof(b));
		if (setsockopt(c->rfd, SOL_SOCKET, SO_RCVBUFFORCE, &b, sizeof(b)))
			setsockopt(c->rfd, SOL_SOCKET, SO_RCVBUF, &b, sizeof(b));
		return 0;
	}
	default:
		return -1;
	}
}

static void chan_close(struct chan *c)
{
	if (c->rfd >= 0)
		close(c->rfd);
	if (c->wfd >= 0)
		close(c->wfd);
	free(c->bbuf);
	c->rfd = c->wfd = -1;
	c->bbuf = NULL;
}

static void chan_send(struct chan *c, const void *buf, size_t n)
{
	ssize_t r;

	switch (c->t) {
	case C_MQ:
		while (mq_send(c->wfd, buf, n, 0))
			if (errno != EINTR)
				die("mq_send");
		return;
	case C_PIPE:
		write_full(c->wfd, buf, n);
		return;
	default:
		do
			r = write(c->wfd, buf, n);
		while (r < 0 && errno == EINTR);
		if (r != (ssize_t)n)
			die("send %s (%zd of %zu)", cname[c->t], r, n);
	}
}

/* Receive one message into buf (size >= c->msz); returns its size. */
static size_t chan_recv(struct chan *c, void *buf)
{
	ssize_t r;

	switch (c->t) {
	case C_MQ:
		do
			r = mq_receive(c->rfd, buf, c->msz, NULL);
		while (r < 0 && errno == EINTR);
		break;
	case C_PIPE:
		read_full(c->rfd, buf, c->msz);
		return c->msz;
	case C_MSB:
		if (!c->bleft) {
			struct mailslot_recv_batch b = {
				.buf = (uintptr_t)c->bbuf,
				.size = c->bsize,
				.max_msgs = MAILSLOT_MAX_MSGS_LIMIT,
			};
			int k;

			do
				k = ioctl(c->rfd, MAILSLOT_IOC_RECV_BATCH, &b);
			while (k < 0 && errno == EINTR);
			if (k <= 0)
				die("RECV_BATCH");
			c->bleft = k;
			c->ncalls++;
			c->nmsgs += k;
			c->boff = 0;
			c->bbytes = b.bytes;
		}
		{
			struct mailslot_msg_info *mi =
				(void *)(c->bbuf + c->boff);

			/* a real consumer would use the payload in place */
			r = mi->size;
			c->boff += MAILSLOT_RECORD_SIZE(mi->size);
			c->bleft--;
		}
		return r;
	default:
		do
			r = read(c->rfd, buf, c->msz);
		while (r < 0 && errno == EINTR);
	}
	if (r < 0)
		die("recv %s", cname[c->t]);
	return r;
}

/* Drain: receive count messages (batch contender takes them in bulk). */
static void chan_recv_n(struct chan *c, void *buf, long count)
{
	while (count-- > 0)
		chan_recv(c, buf);
}

static int ctype_ok(enum ctype t)
{
	return (t != C_MS && t != C_MSB) || have_ms;
}

/* ------------------------------------------------------------------ */
/* normalisers */

static void bench_norm(void)
{
	static char src[4096], dst[4096];
	int i, n = iters(200000);
	uint64_t t0, t1;

	memset(src, 1, sizeof(src));
	for (i = 0; i < 1000; i++)
		syscall(SYS_getppid);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	t1 = now_ns();
	rec("norm", "getppid", "-", "syscall", 0, "ns/call", "ns", 0,
	    (double)(t1 - t0) / n);

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		memcpy(dst, src, sizeof(dst));
		__asm__ __volatile__("" : : "r"(dst) : "memory");
	}
	t1 = now_ns();
	rec("norm", "memcpy", "4KiB", "memcpy", 0, "ns/copy", "ns", 0,
	    (double)(t1 - t0) / n);
}

/* ------------------------------------------------------------------ */
/* 1. ping-pong */

/*
 * Sections 1 and 2 keep one process per contender alive and let the
 * contenders take turns in blocks (ping-pong: PP_BLOCKS blocks of round
 * trips; throughput: TPUT_WINDOWS windows of messages), the starting
 * contender rotating from block to block, so that a stretch of host noise
 * (the vCPU thread descheduled under TCG) hits every contender alike.  A
 * one-byte token on a pipe starts each block; the contender's peer sleeps
 * in read() on it in between.
 */
#define PP_BLOCKS 20
#define TPUT_WINDOWS 20

struct turn {
	int on;
	struct chan a, b;	/* a: to the peer; b (ping-pong): back */
	int go[2];		/* tokens: 'g' run a block, 'q' quit */
	pid_t pid;
};

static char token_wait(int fd)
{
	char x;

	read_full(fd, &x, 1);
	return x;
}

static void pingpong_size(size_t msz)
{
	static const enum ctype ts[] = { C_MS, C_MQ, C_PIPE, C_SEQ };
	struct turn tn[4];
	int per = iters(2000) / PP_BLOCKS, n, i, blk, j;
	uint64_t *s[4];
	char *buf = malloc(msz), param[16];

	if (per < 1)
		per = 1;
	n = per * PP_BLOCKS;
	memset(buf, 'p', msz);
	for (j = 0; j < 4; j++) {
		struct turn *t = &tn[j];

		t->on = ctype_ok(ts[j]) && want(cname[ts[j]]);
		s[j] = malloc(n * sizeof(uint64_t));
		if (!t->on)
			continue;
		if (chan_open(&t->a, ts[j], msz, 256) ||
		    chan_open(&t->b, ts[j], msz, 256) || pipe(t->go))
			die("pingpong: open %s", cname[ts[j]]);
		t->pid = fork();
		if (t->pid < 0)
			die("fork");
		if (!t->pid) {
			while (token_wait(t->go[0]) == 'g')
				for (i = 0; i < per + 10; i++) {
					chan_recv(&t->a, buf);
					chan_send(&t->b, buf, msz);
				}
			_exit(0);
		}
	}
	for (blk = 0; blk < PP_BLOCKS; blk++) {
		for (j = 0; j < 4; j++) {
			struct turn *t = &tn[(j + blk) % 4];
			uint64_t *out = s[(j + blk) % 4] + blk * per;

			if (!t->on)
				continue;
			write_full(t->go[1], "g", 1);
			for (i = 0; i < per + 10; i++) {	/* 10 warm-up */
				uint64_t t0 = now_ns();

				chan_send(&t->a, buf, msz);
				chan_recv(&t->b, buf);
				if (i >= 10)
					out[i - 10] = now_ns() - t0;
			}
		}
	}
	snprintf(param, sizeof(param), "%zuB", msz);
	for (j = 0; j < 4; j++) {
		struct turn *t = &tn[j];

		if (t->on) {
			write_full(t->go[1], "q", 1);
			reap(t->pid);
			close(t->go[0]);
			close(t->go[1]);
			chan_close(&t->a);
			chan_close(&t->b);
			qsort(s[j], n, sizeof(uint64_t), cmp_u64);
			rec("1", "pingpong", param, cname[ts[j]], cpeer[ts[j]],
			    "rtt p50", "us", 0, pct(s[j], n, 0.50) / 1e3);
			rec("1", "pingpong", param, cname[ts[j]], cpeer[ts[j]],
			    "rtt p99", "us", 0, pct(s[j], n, 0.99) / 1e3);
		}
		free(s[j]);
	}
	free(buf);
}

static void bench_pingpong(void)
{
	static const size_t sizes[] = { 64, 4096 };
	unsigned i;

	for (i = 0; i < 2; i++)
		if (!opt_size || opt_size == (long)sizes[i])
			pingpong_size(sizes[i]);
}

/* ------------------------------------------------------------------ */
/* 2. one-way throughput */

/*
 * Each window: the writer sends per messages, the reader times receiving
 * them.  The figure is the median window of the contender (-B: the best).
 */
static void tput_size(size_t msz, long count)
{
	struct turn tn[C_NTYPES];
	long per = count / TPUT_WINDOWS;
	double *rate[C_NTYPES];
	char *buf = malloc(msz), param[16];
	int w, j;

	if (per < 1)
		per = 1;
	memset(buf, 't', msz);
	snprintf(param, sizeof(param), msz >= 1024 ? "%zuKiB" : "%zuB",
		 msz >= 1024 ? msz / 1024 : msz);
	for (j = 0; j < C_NTYPES; j++) {
		struct turn *t = &tn[j];

		rate[j] = malloc(TPUT_WINDOWS * sizeof(double));
		t->on = ctype_ok(j) && want(cname[j]);
		if (!t->on)
			continue;
		if (chan_open(&t->a, j, msz, 256) || pipe(t->go))
			die("tput: open %s", cname[j]);
		t->pid = fork();
		if (t->pid < 0)
			die("fork");
		if (!t->pid) {
			long k;

			while (token_wait(t->go[0]) == 'g')
				for (k = 0; k < per; k++)
					chan_send(&t->a, buf, msz);
			_exit(0);
		}
	}
	for (w = 0; w < TPUT_WINDOWS; w++) {
		for (j = 0; j < C_NTYPES; j++) {
			int k = (j + w) % C_NTYPES;
			struct turn *t = &tn[k];
			uint64_t t0;

			if (!t->on)
				continue;
			t0 = now_ns();
			write_full(t->go[1], "g", 1);
			chan_recv_n(&t->a, buf, per);
			rate[k][w] = per / ((now_ns() - t0) / 1e9);
		}
	}
	for (j = 0; j < C_NTYPES; j++) {
		struct turn *t = &tn[j];
		double r;

		if (t->on) {
			write_full(t->go[1], "q", 1);
			reap(t->pid);
			close(t->go[0]);
			close(t->go[1]);
			qsort(rate[j], TPUT_WINDOWS, sizeof(double), cmp_dbl);
			r = opt_best ? rate[j][TPUT_WINDOWS - 1] :
				(rate[j][TPUT_WINDOWS / 2 - 1] +
				 rate[j][TPUT_WINDOWS / 2]) / 2;
			if (j == C_MSB && t->a.ncalls)
				rec("2", "throughput", param, cname[j], 0,
				    "msgs/batch call", "msg", 1,
				    (double)t->a.nmsgs / t->a.ncalls);
			rec("2", "throughput", param, cname[j], cpeer[j],
			    "msgs/s", "msg/s", 1, r);
			rec("2", "throughput", param, cname[j], cpeer[j],
			    "MB/s", "MB/s", 1, r * msz / 1e6);
			chan_close(&t->a);
		}
		free(rate[j]);
	}
	free(buf);
}

static void bench_tput(void)
{
	static const size_t sizes[] = { 64, 1024, 65536 };
	static const long counts[] = { 20000, 10000, 1000 };
	unsigned i;

	for (i = 0; i < 3; i++)
		if (!opt_size || opt_size == (long)sizes[i])
			tput_size(sizes[i], iters(counts[i]));
}

/* ------------------------------------------------------------------ */
/* 3. fan-out */

#define FAN_MSG 1024

static const char *const fan_name[3] = {
	"mailslot", "N x mqueue", "N x seqpacket"
};

/* kind 0: one slot, N listeners; 1: N mqueues; 2: N socketpairs */
static void fanout_one(int kind, int n, int m)
{
	struct chan *ch = calloc(n, sizeof(*ch));
	int *rfd = calloc(n, sizeof(int));
	pid_t *pids = calloc(n, sizeof(pid_t));
	uint64_t *done = shm_alloc(n * sizeof(uint64_t));
	char buf[FAN_MSG], param[16], name[96];
	int rdy[2], i, k, wfd = -1, nch = 0;
	uint64_t t0, t1, last = 0;

	memset(buf, 'f', sizeof(buf));
	if (kind == 0) {
		uniq_name(name, sizeof(name), "fan");
		rfd[0] = ms_create(name, FAN_MSG, m,
				   0, MAILSLOT_OVERFLOW_BLOCK,
				   MAILSLOT_TIMEOUT_INFINITE);
		if (rfd[0] < 0)
			die("fanout: create");
		for (i = 1; i < n; i++)
			if ((rfd[i] = ms_open(name, O_RDONLY)) < 0)
				die("fanout: open listener %d", i);
		wfd = ms_open(name, O_WRONLY);
		if (wfd < 0)
			die("fanout: open writer");
	} else {
		nch = n;
		for (i = 0; i < n; i++) {
			if (chan_open(&ch[i], kind == 1 ? C_MQ : C_SEQ, FAN_MSG, m))
				die("fanout: open %d", i);
			rfd[i] = ch[i].rfd;
		}
	}
	if (pipe(rdy))
		die("pipe");
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			struct chan rc = { .t = kind == 0 ? C_MS :
					   kind == 1 ? C_MQ : C_SEQ,
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
	snprintf(param, sizeof(param), "N=%d", n);
	rec("3", "fanout", param, fan_name[kind], kind != 0,
	    "writer us/msg", "us", 0, (t1 - t0) / 1e3 / m);
	rec("3", "fanout", param, fan_name[kind], kind != 0,
	    "all-readers ms", "ms", 0, (last - t0) / 1e6);
	if (kind == 0) {
		for (i = 0; i < n; i++)
			close(rfd[i]);
		close(wfd);
	}
	for (i = 0; i < nch; i++)
		chan_close(&ch[i]);
	close(rdy[0]);
	close(rdy[1]);
	munmap(done, n * sizeof(uint64_t));
	free(ch);
	free(rfd);
	free(pids);
}

static void bench_fanout(void)
{
	static const int ns[] = { 1, 4, 16, 64 };
	int i, k, m = iters(128);

	if (m > 256)
		m = 256;
	for (i = 0; i < 4; i++)
		for (k = 0; k < 3; k++)
			if ((k || have_ms) && want(fan_name[k]))
				fanout_one(k, ns[i], m);
}

/* ------------------------------------------------------------------ */
/* 4. contention */

static void contend_one(enum ctype t, int w, long total)
{
	struct chan c;
	pid_t pids[8];
	char buf[64], param[16];
	int go[2], i;
	uint64_t t0, t1;

	memset(buf, 'c', sizeof(buf));
	if (chan_open(&c, t, 64, 256))
		die("contend: open");
	if (pipe(go))
		die("pipe");
	for (i = 0; i < w; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			long k, mine = total / w + (i < total % w);
			char x;

			pin_to(i + 1);
			read_full(go[0], &x, 1);
			for (k = 0; k < mine; k++)
				chan_send(&c, buf, 64);
			_exit(0);
		}
	}
	pin_to(0);
	usleep(1000);
	t0 = now_ns();
	for (i = 0; i < w; i++)
		write_full(go[1], "g", 1);
	chan_recv_n(&c, buf, total);
	t1 = now_ns();
	for (i = 0; i < w; i++)
		reap(pids[i]);
	close(go[0]);
	close(go[1]);
	snprintf(param, sizeof(param), "W=%d", w);
	if (t == C_MSB && c.ncalls)
		rec("4", "contention", param, cname[t], 0, "msgs/batch call",
		    "msg", 1, (double)c.nmsgs / c.ncalls);
	chan_close(&c);
	rec("4", "contention", param, cname[t], cpeer[t], "msgs/s", "msg/s",
	    1, total / ((t1 - t0) / 1e9));
}

static void bench_contend(void)
{
	static const int ws[] = { 1, 2, 4, 8 };
	static const enum ctype ts[] = { C_MS, C_MSB, C_MQ };
	int i, j;

	unpin();
	for (i = 0; i < 4; i++)
		for (j = 0; j < 3; j++)
			if (ctype_ok(ts[j]) && want(cname[ts[j]]))
				contend_one(ts[j], ws[i], iters(5000));
	pin_to(0);
}

/* ------------------------------------------------------------------ */
/* 5. process exit */

struct child {
	pid_t pid;
	int go;		/* write end: one byte makes the child exit */
	int obj;	/* process object or pidfd */
};

static uint64_t *exit_stamp;	/* shared: child's time just before _exit */

static int spawn(struct child *c, int slot)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		die("fork");
	if (!c->pid) {
		char x;

		close(p[1]);
		if (read(p[0], &x, 1) != 1)
			_exit(1);
		exit_stamp[slot] = now_ns();
		_exit(7);
	}
	close(p[0]);
	c->go = p[1];
	return 0;
}

static int proc_open(pid_t pid)
{
	struct mailslot_proc_open o = { .pid = pid };

	return ioctl(ms_ctl, MAILSLOT_IOC_PROC_OPEN, &o);
}

static int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

enum xkind { X_PROC_POLL, X_PROC_WAIT, X_PIDFD, X_WAITPID, X_N };

static const char *const xname[X_N] = {
	"procobj+poll", "procobj+IOC_WAIT", "pidfd+poll", "waitpid",
};

/* One sample: a child's _exit to the waiter's wakeup, in ns. */
static uint64_t exit_sample(enum xkind k)
{
	{
		struct child c;
		uint64_t tw;
		int st;

		spawn(&c, 0);
		c.obj = -1;
		if (k == X_PROC_POLL || k == X_PROC_WAIT)
			c.obj = proc_open(c.pid);
		else if (k == X_PIDFD)
			c.obj = pidfd_open(c.pid);
		if (k != X_WAITPID && c.obj < 0)
			die("open %s", xname[k]);
		write_full(c.go, "x", 1);
		if (k == X_WAITPID) {
			while (waitpid(c.pid, &st, 0) < 0 && errno == EINTR)
				;
			tw = now_ns();
		} else if (k == X_PROC_WAIT) {
			struct mailslot_wait w = {
				.timeout_ns = MAILSLOT_TIMEOUT_INFINITE,
				.fds = (uintptr_t)&c.obj, .count = 1,
			};

			if (ioctl(ms_ctl, MAILSLOT_IOC_WAIT, &w))
				die("IOC_WAIT");
			tw = now_ns();
			reap(c.pid);
		} else {
			struct pollfd p = { .fd = c.obj, .events = POLLIN };

			while (poll(&p, 1, -1) != 1)
				;
			tw = now_ns();
			reap(c.pid);
		}
		close(c.go);
		if (c.obj >= 0)
			close(c.obj);
		return tw - exit_stamp[0];
	}
}

/*
 * The contenders take turns sample by sample, so that a stretch of host
 * noise hits all of them alike.
 */
static void exit_all(int n)
{
	uint64_t *s[X_N];
	int i, k, on[X_N];

	for (k = 0; k < X_N; k++) {
		on[k] = (have_proc || k == X_PIDFD || k == X_WAITPID) &&
			want(xname[k]);
		s[k] = malloc(n * sizeof(uint64_t));
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < X_N; k++)
			if (on[k])
				s[k][i] = exit_sample(k);
	for (k = 0; k < X_N; k++) {
		if (on[k]) {
			qsort(s[k], n, sizeof(uint64_t), cmp_u64);
			rec("5", "exit-wake", "1 proc", xname[k],
			    k == X_PIDFD || k == X_WAITPID, "p50", "us", 0,
			    pct(s[k], n, 0.5) / 1e3);
			rec("5", "exit-wake", "1 proc", xname[k],
			    k == X_PIDFD || k == X_WAITPID, "p99", "us", 0,
			    pct(s[k], n, 0.99) / 1e3);
		}
		free(s[k]);
	}
}

#define NW 64

/* wait-any over 64 objects: process objects (IOC_WAIT) vs poll(pidfds) */
static void waitany_one(int proc, int n)
{
	struct child c[NW];
	int fds[NW];
	uint64_t *s = malloc(n * sizeof(*s)), t0;
	int i, j, calls = iters(2000);
	const char *nm = proc ? "procobj IOC_WAIT" : "pidfd poll";

	for (i = 0; i < NW; i++) {
		spawn(&c[i], i);
		c[i].obj = proc ? proc_open(c[i].pid) : pidfd_open(c[i].pid);
		if (c[i].obj < 0)
			die("waitany: open");
		fds[i] = c[i].obj;
	}

	/* cost of one wait-any call over 64 unsignaled objects, timeout 0 */
	t0 = now_ns();
	for (j = 0; j < calls; j++) {
		if (proc) {
			struct mailslot_wait w = {
				.timeout_ns = 0, .fds = (uintptr_t)fds,
				.count = NW,
			};

			if (!ioctl(ms_ctl, MAILSLOT_IOC_WAIT, &w) ||
			    errno != ETIMEDOUT)
				die("IOC_WAIT scan");
		} else {
			struct pollfd p[NW];

			for (i = 0; i < NW; i++) {
				p[i].fd = fds[i];
				p[i].events = POLLIN;
			}
			if (poll(p, NW, 0))
				die("poll scan");
		}
	}
	rec("5", "wait-any 64", "scan t/o=0", nm, !proc, "us/call", "us", 0,
	    (now_ns() - t0) / 1e3 / calls);

	for (j = 0; j < n; j++) {
		int k = (j * 37 + 11) % NW, got = -1;
		uint64_t tw;

		write_full(c[k].go, "x", 1);
		if (proc) {
			struct mailslot_wait w = {
				.timeout_ns = MAILSLOT_TIMEOUT_INFINITE,
				.fds = (uintptr_t)fds, .count = NW,
			};

			if (ioctl(ms_ctl, MAILSLOT_IOC_WAIT, &w))
				die("IOC_WAIT any");
			tw = now_ns();
			got = w.index;
		} else {
			struct pollfd p[NW];

			for (i = 0; i < NW; i++) {
				p[i].fd = fds[i];
				p[i].events = POLLIN;
			}
			while (poll(p, NW, -1) < 1)
				;
			tw = now_ns();
			for (i = 0; i < NW; i++)
				if (p[i].revents) {
					got = i;
					break;
				}
		}
		if (got != k)
			die("wait-any: woke for %d, expected %d", got, k);
		s[j] = tw - exit_stamp[k];
		reap(c[k].pid);
		close(c[k].go);
		close(c[k].obj);
		spawn(&c[k], k);
		c[k].obj = proc ? proc_open(c[k].pid) : pidfd_open(c[k].pid);
		if (c[k].obj < 0)
			die("waitany: reopen");
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
	rec("5", "wait-any 64", "1 of 64 exits", nm, !proc, "wake p50", "us",
	    0, pct(s, n, 0.5) / 1e3);
	free(s);
}

static void bench_exit(void)
{
	int n = iters(200);

	if (!exit_stamp)
		exit_stamp = shm_alloc(NW * sizeof(uint64_t));
	exit_all(n);
	if (have_proc && want("procobj IOC_WAIT"))
		waitany_one(1, iters(40));
	if (want("pidfd poll"))
		waitany_one(0, iters(40));
}

/* ------------------------------------------------------------------ */
/* 6. kernel memory */

struct meminfo {
	long slab, free, vmalloc;	/* kB */
};

static void read_meminfo(struct meminfo *m)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	memset(m, 0, sizeof(*m));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Slab: %ld", &m->slab);
		sscanf(line, "MemFree: %ld", &m->free);
		sscanf(line, "VmallocUsed: %ld", &m->vmalloc);
	}
	fclose(f);
}

#define MEM_TOTAL 100000	/* deliveries held in the kernel */

/* /proc/slabinfo: which caches the queued messages went to (evidence). */
struct slabsnap {
	int n;
	char name[256][64];
	long objs[256], size[256];
};

static void read_slabinfo(struct slabsnap *s)
{
	char line[512];
	FILE *f = fopen("/proc/slabinfo", "r");

	s->n = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && s->n < 256) {
		long act, num, sz;
		char nm[64];

		if (sscanf(line, "%63s %ld %ld %ld", nm, &act, &num, &sz) != 4)
			continue;
		snprintf(s->name[s->n], sizeof(s->name[0]), "%s", nm);
		s->objs[s->n] = num;
		s->size[s->n] = sz;
		s->n++;
	}
	fclose(f);
}

static void slab_growth(const char *who, const struct slabsnap *a,
			const struct slabsnap *b)
{
	int i, j, shown = 0;

	for (i = 0; i < b->n; i++) {
		long before = 0, d;

		for (j = 0; j < a->n; j++)
			if (!strcmp(a->name[j], b->name[i]))
				before = a->objs[j];
		d = b->objs[i] - before;
		if (d < MEM_TOTAL / 20)
			continue;
		note("%s %s: slab %s +%ld objects of %ld B (%.1f B/delivery)\n",
		     shown ? "#  " : "# slabinfo", who, b->name[i], d,
		     b->size[i], (double)d * b->size[i] / MEM_TOTAL);
		shown = 1;
	}
}

/*
 * readers: 1 (plain queue) or 16 (fan-out).  The figure is the growth of
 * the Slab line of /proc/meminfo while MEM_TOTAL deliveries are queued,
 * per delivery.  (MemFree is no use here: freed pages of the previous test
 * wait on the per-cpu page lists, which MemFree does not count, and get
 * reused, so it often does not move at all.)
 */
static void memory_one(int ms, int readers)
{
	int nq = readers == 1 ? 2 : readers;	/* queues */
	int per = MEM_TOTAL / (readers == 1 ? 2 : readers);
	int sends = readers == 1 ? MEM_TOTAL : per;
	int *rfd = calloc(nq, sizeof(int)), *wfd = calloc(nq, sizeof(int));
	struct meminfo a, b;
	static struct slabsnap sa, sb;
	char buf[64], name[96], param[16];
	int i, k;
	const char *nm;

	memset(buf, 'm', sizeof(buf));
	if (ms && readers == 1) {
		for (i = 0; i < nq; i++) {
			uniq_name(name, sizeof(name), "mem");
			rfd[i] = ms_create(name, 64, per, per * 64,
					   MAILSLOT_OVERFLOW_FAIL, 0);
			wfd[i] = ms_open(name, O_WRONLY);
			if (rfd[i] < 0 || wfd[i] < 0)
				die("memory: create slot");
		}
	} else if (ms) {
		uniq_name(name, sizeof(name), "memfan");
		rfd[0] = ms_create(name, 64, per, per * 64,
				   MAILSLOT_OVERFLOW_FAIL, 0);
		if (rfd[0] < 0)
			die("memory: create slot");
		for (i = 1; i < readers; i++)
			if ((rfd[i] = ms_open(name, O_RDONLY)) < 0)
				die("memory: open listener");
		wfd[0] = ms_open(name, O_WRONLY);
		if (wfd[0] < 0)
			die("memory: open writer");
		for (i = 1; i < nq; i++)
			wfd[i] = -1;
	} else {
		for (i = 0; i < nq; i++) {
			struct mq_attr at = { .mq_maxmsg = per,
					      .mq_msgsize = 64 };

			snprintf(name, sizeof(name), "/msbench-mem-%d-%d",
				 (int)getpid(), i);
			rfd[i] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600,
					 &at);
			if (rfd[i] < 0)
				die("memory: mq_open (msg_max %d)", per);
			wfd[i] = rfd[i];
			mq_unlink(name);
		}
	}
	usleep(20000);
	read_slabinfo(&sa);
	read_meminfo(&a);
	for (k = 0; k < per; k++) {
		if (ms && readers > 1) {
			if (write(wfd[0], buf, 64) != 64)
				die("memory: write");
			continue;
		}
		for (i = 0; i < nq; i++) {
			if (ms) {
				if (write(wfd[i], buf, 64) != 64)
					die("memory: write");
			} else if (mq_send(wfd[i], buf, 64, 0)) {
				die("memory: mq_send");
			}
		}
	}
	usleep(20000);
	read_meminfo(&b);
	read_slabinfo(&sb);
	(void)sends;
	if (opt_verbose)
		note("#   meminfo kB: slab %ld -> %ld, free %ld -> %ld, "
		     "vmalloc %ld -> %ld\n", a.slab, b.slab, a.free, b.free,
		     a.vmalloc, b.vmalloc);
	nm = ms ? "mailslot" : readers == 1 ? "mqueue" : "16 x mqueue";
	snprintf(param, sizeof(param), readers == 1 ? "1 reader" : "16 readers");
	{
		char who[64];

		snprintf(who, sizeof(who), "%s, %s", nm, param);
		if (!cur_rep)
			slab_growth(who, &sa, &sb);
	}
	rec("6", "memory 64B", param, nm, !ms, "slab B/delivery", "B", 0,
	    (b.slab - a.slab) * 1024.0 / MEM_TOTAL);
	for (i = 0; i < nq; i++) {
		if (rfd[i] >= 0)
			close(rfd[i]);
		if (wfd[i] >= 0 && wfd[i] != rfd[i])
			close(wfd[i]);
	}
	free(rfd);
	free(wfd);
	usleep(20000);
}

static void bench_memory(void)
{
	if (have_ms && want("mailslot"))
		memory_one(1, 1);
	if (want("mqueue"))
		memory_one(0, 1);
	if (have_ms && want("mailslot"))
		memory_one(1, 16);
	if (want("16 x mqueue"))
		memory_one(0, 16);
}

/* ------------------------------------------------------------------ */
/* 7. churn */

static void bench_churn(void)
{
	int n = iters(300), i;
	char name[96];
	uint64_t t0;

	if (have_ms && want("mailslot")) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			int fd;

			uniq_name(name, sizeof(name), "churn");
			fd = ms_create(name, 0, 0, 0, 0, 0);
			if (fd < 0)
				die("churn: create");
			close(fd);
		}
		rec("7", "churn", "create+destroy", "mailslot", 0, "ops/s",
		    "op/s", 1, n / ((now_ns() - t0) / 1e9));
	}
	if (!want("mqueue"))
		return;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		struct mq_attr at = { .mq_maxmsg = 10, .mq_msgsize = 64 };
		int fd;

		snprintf(name, sizeof(name), "/msbench-churn-%d",
			 (int)getpid());
		fd = mq_open(name, O_RDONLY | O_CREAT | O_EXCL, 0600, &at);
		if (fd < 0)
			die("churn: mq_open");
		mq_close(fd);
		mq_unlink(name);
	}
	rec("7", "churn", "create+destroy", "mqueue", 1, "ops/s", "op/s", 1,
	    n / ((now_ns() - t0) / 1e9));
}

/* ------------------------------------------------------------------ */
/* setup and report */

static void write_proc(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) < 0)
		note("# could not set %s to %s: %s\n", path, val,
		     strerror(errno));
	close(fd);
}

static void setup_limits(void)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	/* mqueue defaults (10 messages of 8 KiB) cannot hold the tests */
	write_proc("/proc/sys/fs/mqueue/msg_max", "65536");
	write_proc("/proc/sys/fs/mqueue/msgsize_max", "65536");
	write_proc("/proc/sys/fs/mqueue/queues_max", "1024");
	write_proc("/proc/sys/kernel/sched_rt_runtime_us", "-1");
	/* SOCK_SEQPACKET queues hold max_dgram_qlen (10) messages */
	write_proc("/proc/sys/net/unix/max_dgram_qlen", "256");
	if (setrlimit(RLIMIT_MSGQUEUE, &rl)) {
		rl.rlim_cur = rl.rlim_max = 1ul << 30;
		setrlimit(RLIMIT_MSGQUEUE, &rl);
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

static void report(void)
{
	const char *last = "";
	int i;

	finish_recs();
	note("\n=== msbench results: median of %d repetitions, contenders "
	     "interleaved; ratio = median / best Linux peer (hib: higher is "
	     "better) ===\n", opt_reps);
	note("%-3s %-12s %-15s %-17s %-18s %12s %12s %12s %7s %s\n", "sec",
	     "test", "param", "contender", "metric", "median", "min", "max",
	     "ratio", "");
	for (i = 0; i < nrecs; i++) {
		struct rec *r = &recs[i];
		char rt[16];

		if (strcmp(last, r->sec))
			note("\n");
		last = r->sec;
		if (r->ratio > 0)
			snprintf(rt, sizeof(rt), "%.2f", r->ratio);
		else
			snprintf(rt, sizeof(rt), "-");
		note("%-3s %-12s %-15s %-17s %-18s %12.4g %12.4g %12.4g %7s %s%s\n",
		     r->sec, r->test, r->param, r->cont, r->metric, r->med,
		     minmax(r, 0), minmax(r, 1), rt, r->unit,
		     r->hib ? " (hib)" : "");
	}
	note("\n");
	if (csv)
		fprintf(csv, "section,test,param,contender,metric,unit,better,"
			"median,min,max,ratio_to_best_peer,reps\n");
	for (i = 0; i < nrecs; i++) {
		struct rec *r = &recs[i];

		note("@csv,%s,%s,%s,%s,%s,%s,%s,%.6g,%.6g,%.6g,%.4f,%d\n",
		     r->sec, r->test, r->param, r->cont, r->metric, r->unit,
		     r->hib ? "higher" : "lower", r->med, minmax(r, 0),
		     minmax(r, 1), r->ratio, r->n);
		if (csv)
			fprintf(csv, "%s,%s,%s,%s,%s,%s,%s,%.6g,%.6g,%.6g,"
				"%.4f,%d\n", r->sec, r->test, r->param,
				r->cont, r->metric, r->unit,
				r->hib ? "higher" : "lower", r->med,
				minmax(r, 0), minmax(r, 1), r->ratio, r->n);
	}
}

static void target(const char *what, struct rec *a, struct rec *b,
		   double scale, int le, double limit)
{
	double v;

	if (!a || !b || b->med <= 0) {
		note("@target,%s,,%s %.2f,NOT MEASURED\n", what,
		     le ? "<=" : ">=", limit);
		return;
	}
	v = a->med / (b->med * scale);
	note("@target,%s,%.3f,%s %.2f,%s\n", what, v, le ? "<=" : ">=", limit,
	     (le ? v <= limit : v >= limit) ? "MET" : "MISSED");
}

static void targets(void)
{
	note("\n=== targets (ratios from the medians above) ===\n");
	target("64B throughput mailslot/mqueue",
	       find("2", "throughput", "64B", "mailslot", "msgs/s"),
	       find("2", "throughput", "64B", "mqueue", "msgs/s"), 1, 0, 1.0);
	target("64B throughput mailslot-batch/mqueue",
	       find("2", "throughput", "64B", "mailslot-batch", "msgs/s"),
	       find("2", "throughput", "64B", "mqueue", "msgs/s"), 1, 0, 2.0);
	target("fan-out N=16 writer cost mailslot/16 mqueue sends",
	       find("3", "fanout", "N=16", "mailslot", "writer us/msg"),
	       find("3", "fanout", "N=16", "N x mqueue", "writer us/msg"), 1,
	       1, 0.25);
	target("exit wake p50 procobj+poll/pidfd+poll",
	       find("5", "exit-wake", "1 proc", "procobj+poll", "p50"),
	       find("5", "exit-wake", "1 proc", "pidfd+poll", "p50"), 1, 1,
	       1.10);
	target("memory per 64B msg mailslot/mqueue",
	       find("6", "memory 64B", "1 reader", "mailslot",
		    "slab B/delivery"),
	       find("6", "memory 64B", "1 reader", "mqueue",
		    "slab B/delivery"), 1, 1, 1.0);
	target("memory fan-out 16 mailslot/16 mqueues",
	       find("6", "memory 64B", "16 readers", "mailslot",
		    "slab B/delivery"),
	       find("6", "memory 64B", "16 readers", "16 x mqueue",
		    "slab B/delivery"), 1, 1, 0.25);
	target("exit wake p50 procobj+IOC_WAIT/pidfd+poll",
	       find("5", "exit-wake", "1 proc", "procobj+IOC_WAIT", "p50"),
	       find("5", "exit-wake", "1 proc", "pidfd+poll", "p50"), 1, 1,
	       1.10);
}

/* Which mailslot features work: the module may be partial or absent. */
static void probe(void)
{
	char name[96];
	int fd;

	ms_ctl = open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
	if (ms_ctl < 0) {
		note("# %s: %s\n", MAILSLOT_CONTROL_PATH, strerror(errno));
		return;
	}
	uniq_name(name, sizeof(name), "probe");
	fd = ms_create(name, 0, 0, 0, 0, 0);
	if (fd >= 0) {
		int w = ms_open(name, O_WRONLY);

		have_ms = w >= 0;
		if (w < 0)
			note("# open %s/%s: %s\n", MAILSLOT_DEV_DIR, name,
			     strerror(errno));
		else
			close(w);
		close(fd);
	} else {
		note("# MAILSLOT_IOC_CREATE: %s\n", strerror(errno));
	}
	fd = proc_open(getpid());
	if (fd >= 0) {
		have_proc = 1;
		close(fd);
	} else {
		note("# MAILSLOT_IOC_PROC_OPEN: %s\n", strerror(errno));
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: msbench [-c contender] [-o csv] [-r reps] [-s scale] [-t sections] [-v]\n"
		"  -c C   run only the contender named C (for profiling)\n"
		"  -z N   ping-pong and throughput: only N-byte messages\n"
		"  -B     throughput from the best window, not the median one\n"
		"         (A/B comparisons on a loaded host)\n"
		"  -o F   also write the results as CSV to F\n"
		"  -r N   repetitions (default 5, max %d)\n"
		"  -s X   multiply iteration counts by X (default 1.0)\n"
		"  -t S   sections, any of ptfcxms (default all)\n"
		"  -v     print every sample as it is taken\n", MAX_REPS);
	exit(2);
}

int main(int argc, char **argv)
{
	struct timespec res;
	uint64_t start = now_ns();
	int c, rep;

	while ((c = getopt(argc, argv, "Bc:o:r:s:t:vz:")) != -1) {
		switch (c) {
		case 'B':
			opt_best = 1;
			break;
		case 'z':
			opt_size = atol(optarg);
			break;
		case 'c':
			opt_only = optarg;
			break;
		case 'o':
			csv = fopen(optarg, "w");
			if (!csv)
				die("%s", optarg);
			break;
		case 'r':
			opt_reps = atoi(optarg);
			break;
		case 's':
			opt_scale = atof(optarg);
			break;
		case 't':
			opt_sections = optarg;
			break;
		case 'v':
			opt_verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (opt_reps < 1 || opt_reps > MAX_REPS || opt_scale <= 0)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	is_root = geteuid() == 0;
	setup_limits();
	probe();
	clock_getres(CLOCK_MONOTONIC, &res);
	note("# msbench: %d CPUs, root=%d, slots=%s, process objects=%s, "
	     "reps=%d, scale=%g, sections=%s, clock res %ld ns\n", ncpu,
	     is_root, have_ms ? "yes" : "NO (peers only)",
	     have_proc ? "yes" : "NO", opt_reps, opt_scale,
	     opt_sections, res.tv_nsec);
	if (!is_root)
		note("# not root: the fan-out writer cannot be SCHED_FIFO\n");
	pin_to(0);

	for (rep = 0; rep < opt_reps; rep++) {
		const char *s;

		cur_rep = rep;
		note("# repetition %d/%d at %.1f s\n", rep + 1, opt_reps,
		     (now_ns() - start) / 1e9);
		if (!opt_only)
			bench_norm();
		for (s = opt_sections; *s; s++) {
			uint64_t t0 = now_ns();

			switch (*s) {
			case 'p': bench_pingpong(); break;
			case 't': bench_tput(); break;
			case 'f': bench_fanout(); break;
			case 'c': bench_contend(); break;
			case 'x': bench_exit(); break;
			case 'm': bench_memory(); break;
			case 's': bench_churn(); break;
			default: usage();
			}
			note("#   section %c: %.2f s\n", *s,
			     (now_ns() - t0) / 1e9);
		}
	}
	if (!opt_only)
		bench_norm();
	report();
	targets();
	note("# msbench done in %.1f s\n", (now_ns() - start) / 1e9);
	if (csv)
		fclose(csv);
	return 0;
}
