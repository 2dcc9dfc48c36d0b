// SPDX-License-Identifier: GPL-2.0
/*
 * Random-operation fuzzer for every mailslot entry point.
 *
 * FUZZ_THREADS threads (default 4) share one table of fds and, for
 * FUZZ_SECONDS (default 3) or FUZZ_OPS operations (default 1000000),
 * whichever ends first, pick random operations: create slots with random
 * (often invalid) limits, open the control device and slots with random
 * flags, dup and close fds other threads are using, write, read, every
 * ioctl with random or garbage arguments, poll, epoll, WAIT over random fd
 * sets, PROC_OPEN of children that exit at random, SET_TIMEOUT, fcntl, fork
 * children that use the inherited fds and exit, and signal threads while
 * they block.  Each run prints its seed (FUZZ_SEED repeats it).
 *
 * It fails when a call returns something impossible (more bytes than asked
 * for, a kernel-internal errno such as ERESTARTSYS), when the run does not
 * end by itself (a call that cannot be interrupted), or when a slot
 * outlives the fds of its server.  The debug-kernel lane
 * (scripts/debug/check-debug) runs it longer and fails on any KASAN, lockdep,
 * UBSAN or kmemleak report it provokes.
 *
 *   fuzz_test                 the kselftest
 *   fuzz_test --hold NAME...  create slots (mode 0666) and sleep: targets
 *                             for trinity
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

#define NFDS		64
#define NNAMES		6
#define MAX_THREADS	16

static const char *const names[NNAMES] = {
	"fuzz-a", "fuzz-b", "fuzz/dir/c", "fuzz/dir/d", "fuzz-e", "fuzz/f",
};

static atomic_int fds[NFDS];
/* what fds[i] was when stored (racy by design: a hint for picking) */
enum fdkind { K_ANY, K_CTL, K_SLOT_R, K_SLOT_W, K_PROC, K_OTHER };
static atomic_int kinds[NFDS];
static atomic_int stop;
static atomic_int go;	/* every thread exists: OP_SIGNAL may pick any */
static atomic_long nops;
static atomic_long bad;
static atomic_int children;
static char bad_msg[256];
static char *unmapped;
static unsigned long seed;
static pthread_t threads[MAX_THREADS];
static pid_t tids[MAX_THREADS];
static int nthreads;

enum op {
	OP_CREATE, OP_OPEN_SLOT, OP_OPEN_CTL, OP_CLOSE, OP_DUP, OP_WRITE,
	OP_READ, OP_RECV, OP_BATCH, OP_INFO, OP_TIMEOUT, OP_FIONREAD,
	OP_GARBAGE_IOCTL, OP_POLL, OP_EPOLL, OP_WAIT, OP_PROC_OPEN,
	OP_PROC_READ, OP_FORK, OP_FCNTL, OP_SIGNAL, OP_COUNT,
};

static const char *const op_names[OP_COUNT] = {
	"create", "open-slot", "open-ctl", "close", "dup", "write", "read",
	"recv", "recv-batch", "info", "timeout", "fionread", "garbage-ioctl",
	"poll", "epoll", "wait", "proc-open", "proc-read", "fork", "fcntl",
	"signal",
};
static atomic_long op_count[OP_COUNT];
static atomic_long op_ok[OP_COUNT];	/* of which returned >= 0 */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

/* A random "interesting" 32- or 64-bit value. */
static uint64_t interesting(struct rng *r)
{
	static const uint64_t v[] = {
		0, 1, 2, 7, 8, 64, 255, 256, 4095, 4096, 4097, 65535, 65536,
		65537, 1 << 20, 64 << 20, (64 << 20) + 1, 0x7fffffff,
		0x80000000, 0xffffffff, 0x100000000ULL, ~0ULL, ~0ULL - 1,
		0x8000000000000000ULL,
	};

	if (below(r, 4) == 0)
		return rnd(r);
	return v[below(r, sizeof(v) / sizeof(v[0]))];
}

/*
 * A random pointer: mostly @good, sometimes NULL, unmapped or kernel, or
 * up to @slack bytes past @good (misaligned; the buffer has that slack).
 */
static void *some_ptr(struct rng *r, void *good, size_t slack)
{
	switch (below(r, 12)) {
	case 0: return NULL;
	case 1: return unmapped;
	case 2: return (void *)0xffffffff81000000UL;
	case 3: return (char *)good + below(r, slack + 1);
	default: return good;
	}
}

static int pick_fd(struct rng *r)
{
	int fd = atomic_load(&fds[below(r, NFDS)]);

	if (fd < 0 && below(r, 4) == 0)
		fd = below(r, 3) ? 3 + (int)below(r, 1021) : -1;	/* never 0-2 */
	return fd;
}

/* Mostly an fd of @kind when the table has one, else any. */
static int pick_kind(struct rng *r, enum fdkind kind)
{
	int i;

	if (kind == K_ANY || below(r, 8) == 0)
		return pick_fd(r);
	for (i = 0; i < 16; i++) {
		unsigned int k = below(r, NFDS);
		int fd = atomic_load(&fds[k]);

		if (fd >= 0 && atomic_load(&kinds[k]) == (int)kind)
			return fd;
	}
	return pick_fd(r);
}

static void put_fd_kind(struct rng *r, int fd, enum fdkind kind)
{
	unsigned int k = below(r, NFDS);
	int old;

	if (fd < 0)
		return;
	old = atomic_exchange(&fds[k], fd);
	atomic_store(&kinds[k], kind);
	if (old >= 0)
		close(old);
}

static void put_fd(struct rng *r, int fd)
{
	put_fd_kind(r, fd, K_OTHER);
}

static void check_ret(long ret, int err, size_t asked, const char *what)
{
	if (ret < 0 && err >= 512) {
		/* ERESTARTSYS and friends must never reach user space */
		if (atomic_fetch_add(&bad, 1) == 0)
			snprintf(bad_msg, sizeof(bad_msg), "%s: kernel-internal errno %d", what, err);
	}
	if (ret > 0 && asked && (size_t)ret > asked) {
		if (atomic_fetch_add(&bad, 1) == 0)
			snprintf(bad_msg, sizeof(bad_msg), "%s: returned %ld > %zu asked", what, ret, asked);
	}
}

static void fill_create(struct rng *r, struct mailslot_create *c)
{
	memset(c, 0, sizeof(*c));
	c->name = MST_U64(names[below(r, NNAMES)]);
	/* bounded timeouts: a thread must not sleep past the end for long */
	c->read_timeout_ns = below(r, 3) ? below(r, 20000000) : 0;
	c->mode = below(r, 8) ? 0666 : (uint32_t)interesting(r);
	c->max_msg_size = below(r, 4) ? below(r, 70000) : (uint32_t)interesting(r);
	c->max_msgs = below(r, 4) ? below(r, 64) : (uint32_t)interesting(r);
	c->max_bytes = below(r, 4) ? below(r, 200000) : (uint32_t)interesting(r);
	c->overflow = below(r, 10) ? below(r, 3) : (uint32_t)interesting(r);
	c->flags = below(r, 10) ? below(r, 2) : (uint32_t)interesting(r);
	if (below(r, 20) == 0)
		c->reserved[below(r, 2)] = interesting(r);
	if (below(r, 20) == 0)
		c->name = MST_U64(some_ptr(r, (void *)names[0], 0));
}

static void do_op(struct rng *r, int ctl, char *buf, size_t bufsize, int in_child)
{
	enum op op = below(r, OP_COUNT);
	long ret = 0;
	int fd;
	size_t n;

	if (in_child && (op == OP_FORK || op == OP_SIGNAL))
		op = OP_INFO;
	switch (op) {
	case OP_WRITE:
		fd = pick_kind(r, K_SLOT_W);
		break;
	case OP_READ: case OP_RECV: case OP_BATCH: case OP_TIMEOUT: case OP_FIONREAD:
		fd = pick_kind(r, K_SLOT_R);
		break;
	case OP_INFO:
		fd = pick_kind(r, below(r, 2) ? K_SLOT_R : K_SLOT_W);
		break;
	case OP_PROC_READ:
		fd = pick_kind(r, K_PROC);
		break;
	default:
		fd = pick_fd(r);
	}
	atomic_fetch_add(&op_count[op], 1);
	errno = 0;
	switch (op) {
	case OP_CREATE: {
		struct mailslot_create c;

		fill_create(r, &c);
		ret = ioctl(below(r, 8) ? ctl : fd, MAILSLOT_IOC_CREATE, &c);
		if (ret >= 0)
			put_fd_kind(r, ret, K_SLOT_R);
		break;
	}
	case OP_OPEN_SLOT: {
		static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR };
		char path[128];

		mst_slot_path(path, sizeof(path), names[below(r, NNAMES)]);
		/* writers never block on a full queue: the run must end */
		int mode = modes[below(r, 3)];

		ret = open(path, mode | O_NONBLOCK | (below(r, 2) ? O_CLOEXEC : 0));
		if (ret >= 0 && below(r, 4) == 0)
			fcntl(ret, F_SETFL, 0);
		if (ret >= 0)
			put_fd_kind(r, ret, mode == O_WRONLY ? K_SLOT_W : K_SLOT_R);
		break;
	}
	case OP_OPEN_CTL:
		ret = mst_control();
		if (ret >= 0)
			put_fd_kind(r, ret, K_CTL);
		break;
	case OP_CLOSE:
		/* close what others may be using right now */
		if (below(r, 2)) {
			int old = atomic_exchange(&fds[below(r, NFDS)], -1);

			if (old >= 0)
				close(old);
		} else if (fd > 2 && below(r, 8) == 0) {
			/* close without taking it out of the table: EBADF later */
			close(fd);
		}
		break;
	case OP_DUP:
		if (fd >= 0) {
			ret = dup(fd);
			if (ret >= 0)
				put_fd_kind(r, ret, K_ANY);
		}
		break;
	case OP_WRITE:
		n = below(r, 4) ? below(r, 1024) : below(r, bufsize);
		if (below(r, 30) == 0)
			n = interesting(r);
		ret = write(fd, some_ptr(r, buf, 64), n);
		check_ret(ret, errno, n, "write");
		break;
	case OP_READ:
		n = below(r, 2) ? bufsize : below(r, bufsize);
		ret = read(fd, some_ptr(r, buf, 64), n);
		check_ret(ret, errno, n, "read");
		break;
	case OP_RECV: {
		struct mailslot_recv rv = { 0 };

		rv.buf = MST_U64(some_ptr(r, buf, 64));
		rv.size = below(r, 2) ? bufsize : below(r, bufsize);
		rv.flags = below(r, 20) ? 0 : (uint32_t)interesting(r);
		ret = ioctl(fd, MAILSLOT_IOC_RECV, below(r, 20) ? (void *)&rv : some_ptr(r, &rv, 0));
		check_ret(ret, errno, rv.size, "RECV");
		break;
	}
	case OP_BATCH: {
		struct mailslot_recv_batch b = { 0 };

		b.buf = MST_U64(some_ptr(r, buf, 64));
		b.size = below(r, 8) ? below(r, bufsize) : interesting(r);
		if (b.buf >= MST_U64(buf) && b.buf <= MST_U64(buf) + 64 && b.size > bufsize)
			b.size = bufsize;
		b.max_msgs = below(r, 8) ? below(r, 70) : (uint32_t)interesting(r);
		b.flags = below(r, 20) ? 0 : (uint32_t)interesting(r);
		ret = ioctl(fd, MAILSLOT_IOC_RECV_BATCH, &b);
		check_ret(ret, errno, 0, "RECV_BATCH");
		if (ret >= 0 && b.bytes > b.size)
			check_ret(b.bytes, 0, b.size, "RECV_BATCH bytes");
		break;
	}
	case OP_INFO: {
		struct mailslot_info info;

		ret = ioctl(fd, MAILSLOT_IOC_GET_INFO, some_ptr(r, &info, 0));
		check_ret(ret, errno, 0, "GET_INFO");
		break;
	}
	case OP_TIMEOUT: {
		__u64 t = below(r, 4) ? below(r, 20000000) : 0;

		ret = ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, some_ptr(r, &t, 0));
		check_ret(ret, errno, 0, "SET_TIMEOUT");
		break;
	}
	case OP_FIONREAD: {
		int v;

		ret = ioctl(fd, FIONREAD, some_ptr(r, &v, 0));
		check_ret(ret, errno, 0, "FIONREAD");
		break;
	}
	case OP_GARBAGE_IOCTL: {
		unsigned long cmd;
		uint64_t *junk = (uint64_t *)buf;	/* room for any _IOC_SIZE */
		unsigned int i;

		for (i = 0; i < 16; i++)
			junk[i] = interesting(r);
		if (below(r, 2))
			cmd = _IOC(below(r, 4), MAILSLOT_IOC_MAGIC, below(r, 0x40), below(r, 256));
		else
			cmd = rnd(r);
		/* never timeouts of forever or fds of others' WAITs: bounded */
		if (_IOC_NR(cmd) == 0x02 || _IOC_NR(cmd) == 0x11)
			cmd = _IO(MAILSLOT_IOC_MAGIC, 0x3f);
		ret = ioctl(fd, cmd, some_ptr(r, junk, 64));
		check_ret(ret, errno, 0, "ioctl");
		break;
	}
	case OP_POLL: {
		struct pollfd p[4];
		unsigned int i;

		for (i = 0; i < 4; i++) {
			p[i].fd = pick_fd(r);
			p[i].events = POLLIN | POLLOUT | POLLPRI;
		}
		ret = poll(p, 1 + below(r, 4), below(r, 3));
		check_ret(ret, errno, 0, "poll");
		break;
	}
	case OP_EPOLL: {
		struct epoll_event ev[4] = { { .events = EPOLLIN | EPOLLOUT | (below(r, 2) ? EPOLLET : 0) } };
		int ep = epoll_create1(EPOLL_CLOEXEC);
		unsigned int i;

		if (ep < 0)
			break;
		for (i = 0; i < 3; i++)
			epoll_ctl(ep, EPOLL_CTL_ADD, pick_fd(r), &ev[0]);
		ret = epoll_wait(ep, ev, 4, below(r, 3));
		check_ret(ret, errno, 0, "epoll_wait");
		if (below(r, 2))
			put_fd(r, ep);	/* keeps watching fds others close */
		else
			close(ep);
		break;
	}
	case OP_WAIT: {
		int wfds[MAILSLOT_WAIT_MAX + 1];
		struct mailslot_wait w = { 0 };
		unsigned int i;

		w.count = below(r, 10) ? 1 + below(r, 8) : (uint32_t)interesting(r);
		for (i = 0; i < MAILSLOT_WAIT_MAX + 1; i++)
			wfds[i] = pick_kind(r, below(r, 2) ? K_SLOT_R : K_PROC);
		w.fds = MST_U64(below(r, 20) ? (void *)wfds : some_ptr(r, wfds, 0));
		w.flags = below(r, 10) ? below(r, 2) : (uint32_t)interesting(r) & ~MAILSLOT_WAIT_ABSOLUTE;
		w.timeout_ns = below(r, 3) ? below(r, 10000000) : 0;
		if (below(r, 20) == 0)
			w.reserved = 1;
		ret = ioctl(below(r, 10) ? ctl : fd, MAILSLOT_IOC_WAIT, &w);
		check_ret(ret, errno, 0, "WAIT");
		break;
	}
	case OP_PROC_OPEN: {
		struct mailslot_proc_open p = { 0 };

		switch (below(r, 4)) {
		case 0: p.pid = getpid(); break;
		case 1: p.pid = getppid(); break;
		case 2: p.pid = syscall(SYS_gettid); break;
		default: p.pid = below(r, 2) ? getpid() + below(r, 64) : (uint32_t)interesting(r);
		}
		p.flags = below(r, 10) ? MAILSLOT_PROC_NONBLOCK : (uint32_t)interesting(r);
		ret = ioctl(ctl, MAILSLOT_IOC_PROC_OPEN, &p);
		if (ret >= 0)
			put_fd_kind(r, ret, K_PROC);
		break;
	}
	case OP_PROC_READ: {
		struct mailslot_proc_exit ex;

		/* only non-blocking fds are read: the object of a live process
		 * would block forever otherwise */
		if (fd >= 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK)) {
			n = below(r, 2) ? sizeof(ex) : below(r, sizeof(ex) + 1);
			ret = read(fd, some_ptr(r, &ex, 0), n);
			check_ret(ret, errno, n, "proc read");
		}
		break;
	}
	case OP_FORK: {
		pid_t pid;

		if (atomic_fetch_add(&children, 1) >= 8) {
			atomic_fetch_sub(&children, 1);
			break;
		}
		pid = fork();
		if (pid == 0) {
			struct rng cr = { rnd(r) | 1 };
			int i, k = below(&cr, 20);

			/* it holds copies of every fd, servers included: a
			 * blocked write of its own must not outlive the run */
			alarm(2);
			for (i = 0; i < k; i++)
				do_op(&cr, ctl, buf, bufsize, 1);
			_exit(below(&cr, 256));
		}
		if (pid < 0)
			atomic_fetch_sub(&children, 1);
		break;
	}
	case OP_FCNTL:
		if (fd >= 0)
			fcntl(fd, F_SETFL, below(r, 2) ? O_NONBLOCK : 0);
		break;
	case OP_SIGNAL:
		pthread_kill(threads[below(r, nthreads)], SIGUSR1);
		break;
	case OP_COUNT:
		break;
	}
	if (ret >= 0)
		atomic_fetch_add(&op_ok[op], 1);
	atomic_fetch_add(&nops, 1);
}

static void reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		atomic_fetch_sub(&children, 1);
}

struct targ {
	int idx;
	long max_ops;
};

static void *fuzz_thread(void *arg)
{
	struct targ *t = arg;
	struct rng r = { (seed + 0x9e3779b97f4a7c15ULL * (t->idx + 1)) | 1 };
	size_t bufsize = 70000;
	char *buf = malloc(bufsize + 64);	/* slack for some_ptr() */
	int ctl = mst_control();

	tids[t->idx] = syscall(SYS_gettid);
	memset(buf, 'f', bufsize + 64);
	while (!atomic_load(&go))
		usleep(1000);
	while (!atomic_load(&stop) && atomic_load(&nops) < t->max_ops) {
		do_op(&r, ctl, buf, bufsize, 0);
		if (t->idx == 0 && below(&r, 16) == 0)
			reap();
	}
	close(ctl);
	free(buf);
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 0) : def;
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* The harness kills a test after this long; FUZZ_SECONDS must stay below. */
TEST_F_TIMEOUT(fuzz, random_operations, 3600)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	long seconds = env_long("FUZZ_SECONDS", 3);
	long max_ops = env_long("FUZZ_OPS", 1000000);
	struct targ targs[MAX_THREADS];
	int joined[MAX_THREADS] = { 0 };
	struct timespec t0, t1;
	int i, n, left;
	unsigned int k;

	MST_NEED_MODULE();
	seed = env_long("FUZZ_SEED", 0);
	if (!seed)
		seed = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
	nthreads = env_long("FUZZ_THREADS", 4);
	if (nthreads < 1 || nthreads > MAX_THREADS)
		nthreads = 4;
	printf("# fuzz: seed %lu (FUZZ_SEED), %d threads, %ld s or %ld operations\n",
	       seed, nthreads, seconds, max_ops);
	fflush(stdout);

	/* PROT_NONE, kept: an unmapped hole would be reused by thread stacks */
	unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, unmapped);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < NFDS; i++)
		atomic_store(&fds[i], -1);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < nthreads; i++) {
		targs[i].idx = i;
		targs[i].max_ops = max_ops;
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, fuzz_thread, &targs[i]));
	}
	atomic_store(&go, 1);
	do {
		usleep(100000);
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while (t1.tv_sec - t0.tv_sec < seconds && atomic_load(&nops) < max_ops);
	atomic_store(&stop, 1);
	/* wake anything blocked: every wait must be interruptible */
	for (left = 0; left < 100; left++) {
		for (i = 0, n = 0; i < nthreads; i++) {
			if (joined[i])
				continue;
			pthread_kill(threads[i], SIGUSR1);
			usleep(1000);
			if (pthread_tryjoin_np(threads[i], NULL) == 0)
				joined[i] = 1;
			else
				n++;
		}
		if (!n)
			break;
		usleep(100000);
	}
	if (n) {
		/* a call that no signal ends: show where, and fail */
		for (i = 0; i < nthreads; i++) {
			static const char *const files[] = { "syscall", "wchan", "stack" };
			unsigned int f;

			if (joined[i])
				continue;
			for (f = 0; f < 3; f++) {
				char path[96], text[2048];
				ssize_t len;
				int pfd;

				snprintf(path, sizeof(path), "/proc/self/task/%d/%s", tids[i], files[f]);
				pfd = open(path, O_RDONLY);
				len = pfd < 0 ? -1 : read(pfd, text, sizeof(text) - 1);
				if (pfd >= 0)
					close(pfd);
				text[len > 0 ? len : 0] = 0;
				printf("# fuzz: stuck thread %d %s: %s\n", tids[i], files[f], text);
			}
		}
		fflush(stdout);
		ASSERT_EQ(0, n) TH_LOG("%d threads still blocked 10 s after the end (seed %lu)", n, seed);
	}
	for (i = 0; i < NFDS; i++) {
		int fd = atomic_exchange(&fds[i], -1);

		if (fd >= 0)
			close(fd);
	}
	while (waitpid(-1, NULL, 0) > 0)	/* children end by alarm(2) */
		;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# fuzz: %ld operations (succeeded/tried) in %.1f s:", atomic_load(&nops),
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (k = 0; k < OP_COUNT; k++)
		printf(" %s=%ld/%ld", op_names[k], atomic_load(&op_ok[k]),
		       atomic_load(&op_count[k]));
	printf("\n");
	EXPECT_EQ(0, atomic_load(&bad)) TH_LOG("%s", bad_msg);

	/* every fd is closed: no slot may remain (devtmpfs removes nodes
	 * asynchronously, so give it a moment) */
	for (k = 0; k < NNAMES; k++) {
		char path[128];
		int tries;

		mst_slot_path(path, sizeof(path), names[k]);
		for (tries = 0; tries < 50 && access(path, F_OK) == 0; tries++)
			usleep(100000);
		EXPECT_NE(0, access(path, F_OK)) TH_LOG("%s outlived its server", path);
	}
}

/* fuzz_test --hold NAME...: slots for trinity to find under /dev/mailslot */
static int hold(int argc, char **argv)
{
	int ctl = mst_control();
	int i, fd;

	if (ctl < 0) {
		perror(MAILSLOT_CONTROL_PATH);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		struct mailslot_create c = {
			.mode = 0666, .overflow = MAILSLOT_OVERFLOW_DROP,
			.read_timeout_ns = 1000000,
		};

		fd = mst_slot_create_at(ctl, &c, argv[i]);
		if (fd < 0) {
			fprintf(stderr, "create %s: %s\n", argv[i], strerror(-fd));
			return 1;
		}
	}
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--hold"))
		return hold(argc, argv);
	return test_harness_run(argc, argv);
}
