// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: many threads and processes on one slot or many objects, with
 * the kernel log checked afterwards (lockdep, KASAN and friends in debug
 * kernels).
 *
 * Bounded by STRESS_SECONDS (default 2; the debug-kernel lane runs
 * minutes), each test repeating until the time is up:
 *
 *   ordering         W writers x R listeners with open/close churn beside
 *                    them: every listener gets every message exactly once,
 *                    in order (per-writer counters and the slot's seq).
 *   sigkill_blocked  SIGKILL children blocked in read and in write (full
 *                    queue, OVERFLOW_BLOCK): they die, the slot still works.
 *   server_close     the server closes while writers send: every writer
 *                    ends with EPIPE, none hangs.
 *   bulk_exit        64 watched processes exit at once: WAIT_ALL returns
 *                    and every object reports its own status.
 *   rmmod_under_load delete_module() while fds are open must fail (EBUSY
 *                    or EAGAIN) and change nothing.
 *   memcg_flood(_over_cgroup) an unprivileged user in a memory cgroup with
 *                    memory.max floods slots: the module's per-user limits
 *                    answer with clean errors (ENOSPC, EAGAIN; ENOMEM from
 *                    the cgroup), memory.current stays under memory.max,
 *                    no OOM kill, and the charge goes away after close.
 *
 * Sized to the kernel's speed instead (about 30 s at most each; see
 * calibrate()):
 *
 *   many_writers_many_readers  writer threads and processes pass thousands
 *                    of messages through small queues; every reader checks
 *                    contents, per-writer order and counts.
 *   drop_accounting, close_under_load, open_close_churn  the server closes
 *                    while writers are blocked and readers are reading;
 *                    drops and counters add up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

static long stress_seconds(void)
{
	const char *v = getenv("STRESS_SECONDS");
	long s = v && *v ? strtol(v, NULL, 0) : 2;

	return s > 0 ? s : 2;
}

static double now_s(void)
{
	return mst_now_ns() / 1e9;
}

/* Mode 0666, messages up to 256 bytes; the server fd or -errno. */
static int create_slot(const char *name, __u32 overflow, __u32 max_msgs,
		       __u64 timeout)
{
	struct mailslot_create c = {
		.mode = 0666, .max_msg_size = 256, .max_msgs = max_msgs,
		.overflow = overflow, .read_timeout_ns = timeout,
	};

	return mst_slot_create_args(&c, name);
}

/* Each test sets its own timeout: the harness's 30 s is too short. */
FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

#define STRESS_TEST(name) TEST_F_TIMEOUT(stress, name, 3600)

/* ------------------------------------------------------------------ */

#define WRITERS 4
#define READERS 3

struct record {
	__u32 writer;
	__u32 count;
	char pad[24];
};

static char ord_name[64];
static atomic_int ord_stop;
static atomic_long ord_bad;
static atomic_long ord_sent[WRITERS];
static atomic_long ord_churn;

static void *ord_writer(void *arg)
{
	__u32 id = (uintptr_t)arg;
	struct record rec = { .writer = id };
	int fd = mst_slot_open(ord_name, O_WRONLY);

	if (fd < 0) {
		atomic_fetch_add(&ord_bad, 1);
		return NULL;
	}
	while (!atomic_load(&ord_stop)) {
		rec.count++;
		if (write(fd, &rec, sizeof(rec)) != sizeof(rec)) {
			atomic_fetch_add(&ord_bad, 1);
			break;
		}
		atomic_fetch_add(&ord_sent[id], 1);
	}
	close(fd);
	return NULL;
}

struct ord_reader {
	int fd;
	long got;
	long bad;
	char why[160];
};

static void *ord_read(void *arg)
{
	struct ord_reader *r = arg;
	__u32 last[WRITERS] = { 0 };
	__u64 last_seq = 0;
	struct record rec;
	struct mailslot_recv rv;

	for (;;) {
		long n;

		memset(&rv, 0, sizeof(rv));
		rv.buf = MST_U64(&rec);
		rv.size = sizeof(rec);
		n = ioctl(r->fd, MAILSLOT_IOC_RECV, &rv);
		if (n < 0) {
			if (errno == ETIMEDOUT && atomic_load(&ord_stop) == 2)
				break;	/* writers done and the queue drained */
			if (errno == ETIMEDOUT || errno == EINTR)
				continue;
			snprintf(r->why, sizeof(r->why), "RECV: %s", strerror(errno));
			r->bad++;
			break;
		}
		if (n != sizeof(rec) || rec.writer >= WRITERS ||
		    rec.count != last[rec.writer] + 1 ||
		    (last_seq && rv.info.seq != last_seq + 1)) {
			if (!r->bad++)
				snprintf(r->why, sizeof(r->why),
					 "writer %u count %u after %u, seq %llu after %llu",
					 rec.writer, rec.count,
					 rec.writer < WRITERS ? last[rec.writer] : 0,
					 (unsigned long long)rv.info.seq,
					 (unsigned long long)last_seq);
		}
		if (rec.writer < WRITERS)
			last[rec.writer] = rec.count;
		last_seq = rv.info.seq;
		r->got++;
	}
	return NULL;
}

static void *ord_churner(void *arg)
{
	(void)arg;
	while (!atomic_load(&ord_stop)) {
		int a = mst_slot_open(ord_name, O_RDONLY | O_NONBLOCK);
		int b = mst_slot_open(ord_name, O_WRONLY | O_NONBLOCK);
		char buf[256];

		if (a >= 0 && read(a, buf, sizeof(buf)) < 0 && errno != EAGAIN)
			atomic_fetch_add(&ord_bad, 1);
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
		atomic_fetch_add(&ord_churn, 1);
	}
	return NULL;
}

STRESS_TEST(ordering)
{
	pthread_t w[WRITERS], r[READERS + 1], churn[2];
	struct ord_reader rd[READERS + 1];
	long total = 0, secs = stress_seconds();
	double t0;
	int srv, i;

	MST_NEED_MODULE();
	snprintf(ord_name, sizeof(ord_name), "%s", mst_name("stress"));
	/* BLOCK: writers wait for room, nothing is dropped */
	srv = create_slot(ord_name, MAILSLOT_OVERFLOW_BLOCK, 64, 100000000ULL);
	ASSERT_LE(0, srv);
	/* READERS listeners, and the server, a reader like them */
	for (i = 0; i <= READERS; i++) {
		memset(&rd[i], 0, sizeof(rd[i]));
		rd[i].fd = i < READERS ? mst_slot_open(ord_name, O_RDONLY) : srv;
		ASSERT_LE(0, rd[i].fd);
		ASSERT_EQ(0, pthread_create(&r[i], NULL, ord_read, &rd[i]));
	}
	for (i = 0; i < WRITERS; i++)
		ASSERT_EQ(0, pthread_create(&w[i], NULL, ord_writer, (void *)(uintptr_t)i));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&churn[i], NULL, ord_churner, NULL));
	t0 = now_s();
	while (now_s() - t0 < secs)
		usleep(100000);
	atomic_store(&ord_stop, 1);
	for (i = 0; i < WRITERS; i++)
		pthread_join(w[i], NULL);
	for (i = 0; i < 2; i++)
		pthread_join(churn[i], NULL);
	atomic_store(&ord_stop, 2);
	for (i = 0; i <= READERS; i++)
		pthread_join(r[i], NULL);
	for (i = 0; i < READERS; i++)
		close(rd[i].fd);
	for (i = 0; i < WRITERS; i++)
		total += atomic_load(&ord_sent[i]);
	printf("# ordering: %ld messages from %d writers, %d readers, %ld open/close churns in %.1f s\n",
	       total, WRITERS, READERS, atomic_load(&ord_churn), now_s() - t0);
	EXPECT_EQ(0, atomic_load(&ord_bad));
	for (i = 0; i <= READERS; i++) {
		EXPECT_EQ(0, rd[i].bad) TH_LOG("reader %d: %s", i, rd[i].why);
		EXPECT_EQ(total, rd[i].got) TH_LOG("reader %d got %ld of %ld", i, rd[i].got, total);
	}
	EXPECT_LT(0, total);
	close(srv);
}

/* ------------------------------------------------------------------ */

static pid_t spawn_blocked(const char *name, int srv, int do_write)
{
	pid_t pid = fork();

	if (pid == 0) {
		char buf[256] = "x";
		int fd;

		close(srv);	/* the parent's server only */
		fd = mst_slot_open(name, do_write ? O_WRONLY : O_RDONLY);

		if (fd < 0)
			_exit(2);
		for (;;) {
			if (do_write)
				(void)!write(fd, buf, 16);
			else
				(void)!read(fd, buf, sizeof(buf));
		}
	}
	return pid;
}

STRESS_TEST(sigkill_blocked)
{
	char name[64], buf[64];
	long secs = stress_seconds(), rounds = 0;
	double t0 = now_s();

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("stress-kill"));
	do {
		pid_t kids[6];
		int srv, w, i, status;

		/* infinite timeouts, queue of 2, BLOCK: readers and writers sleep */
		srv = create_slot(name, MAILSLOT_OVERFLOW_BLOCK, 2, MAILSLOT_TIMEOUT_INFINITE);
		ASSERT_LE(0, srv);
		for (i = 0; i < 6; i++)
			kids[i] = spawn_blocked(name, srv, i & 1);
		usleep(20000 + (rounds % 5) * 10000);
		for (i = 0; i < 6; i++)
			ASSERT_EQ(0, kill(kids[i], SIGKILL));
		for (i = 0; i < 6; i++) {
			ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
			EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
				TH_LOG("child %d: status %#x", i, status);
		}
		/* the slot still works: drain, send, receive */
		fcntl(srv, F_SETFL, O_NONBLOCK);
		while (read(srv, buf, sizeof(buf)) > 0)
			;
		w = mst_slot_open(name, O_WRONLY | O_NONBLOCK);
		ASSERT_LE(0, w);
		ASSERT_EQ(5, write(w, "alive", 5));
		ASSERT_EQ(5, read(srv, buf, sizeof(buf)));
		close(w);
		close(srv);
		rounds++;
	} while (now_s() - t0 < secs);
	printf("# sigkill_blocked: %ld rounds of 3 readers + 3 writers killed while blocked\n", rounds);
}

/* ------------------------------------------------------------------ */

STRESS_TEST(server_close)
{
	char name[64];
	long secs = stress_seconds(), rounds = 0;
	double t0 = now_s();

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("stress-close"));
	do {
		pid_t kids[4];
		int srv, i, status;

		srv = create_slot(name, rounds & 1 ? MAILSLOT_OVERFLOW_BLOCK : MAILSLOT_OVERFLOW_DROP,
				  4, 0);
		ASSERT_LE(0, srv);
		for (i = 0; i < 4; i++) {
			kids[i] = fork();
			if (kids[i] == 0) {
				int fd;

				close(srv);	/* or the slot outlives the parent's close */
				fd = mst_slot_open(name, O_WRONLY);
				if (fd < 0)
					_exit(3);
				alarm(60);	/* a hang fails, not blocks, the test */
				for (;;)
					if (write(fd, "payload", 7) < 0)
						_exit(errno == EPIPE ? 0 : 4);
			}
		}
		usleep(10000 + (rounds % 4) * 10000);
		close(srv);
		for (i = 0; i < 4; i++) {
			ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
			/* 3: opened after the close (ENOENT); 0: got EPIPE */
			EXPECT_TRUE(WIFEXITED(status) &&
				    (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3))
				TH_LOG("writer %d: status %#x", i, status);
		}
		rounds++;
	} while (now_s() - t0 < secs);
	printf("# server_close: %ld rounds of 4 writers losing their server\n", rounds);
}

/* ------------------------------------------------------------------ */

STRESS_TEST(bulk_exit)
{
	long secs = stress_seconds(), rounds = 0;
	double t0 = now_s();
	int ctl;

	MST_NEED_MODULE();
	ctl = open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, ctl);
	do {
		int objs[MAILSLOT_WAIT_MAX], go[2], i;
		pid_t kids[MAILSLOT_WAIT_MAX];
		struct mailslot_wait w = { 0 };

		ASSERT_EQ(0, pipe(go));
		for (i = 0; i < MAILSLOT_WAIT_MAX; i++) {
			struct mailslot_proc_open p = { 0 };

			kids[i] = fork();
			ASSERT_LE(0, kids[i]);
			if (kids[i] == 0) {
				char c;

				close(go[1]);
				(void)!read(go[0], &c, 1);	/* all exit together */
				_exit(i);
			}
			p.pid = kids[i];
			objs[i] = ioctl(ctl, MAILSLOT_IOC_PROC_OPEN, &p);
			ASSERT_LE(0, objs[i]);
		}
		close(go[0]);
		close(go[1]);		/* EOF: every child exits now */
		w.fds = MST_U64(objs);
		w.count = MAILSLOT_WAIT_MAX;
		w.flags = MAILSLOT_WAIT_ALL;
		w.timeout_ns = 60ULL * 1000000000ULL;
		ASSERT_EQ(0, ioctl(ctl, MAILSLOT_IOC_WAIT, &w)) TH_LOG("WAIT_ALL: %s", strerror(errno));
		for (i = 0; i < MAILSLOT_WAIT_MAX; i++) {
			struct mailslot_proc_exit ex;

			ASSERT_EQ(sizeof(ex), read(objs[i], &ex, sizeof(ex)));
			EXPECT_TRUE(WIFEXITED(ex.status) && WEXITSTATUS(ex.status) == i);
			EXPECT_EQ((__u32)kids[i], ex.pid);
			close(objs[i]);
		}
		for (i = 0; i < MAILSLOT_WAIT_MAX; i++)
			waitpid(kids[i], NULL, 0);
		rounds++;
	} while (now_s() - t0 < secs);
	close(ctl);
	printf("# bulk_exit: %ld rounds of %d processes exiting at once\n", rounds, MAILSLOT_WAIT_MAX);
}

/* ------------------------------------------------------------------ */

STRESS_TEST(rmmod_under_load)
{
	char name[64];
	int srv, w, i;

	MST_NEED_MODULE();
	if (geteuid() != 0)
		SKIP(return, "delete_module needs root");
	snprintf(name, sizeof(name), "%s", mst_name("stress-rmmod"));
	srv = create_slot(name, MAILSLOT_OVERFLOW_DROP, 16, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	for (i = 0; i < 200; i++) {
		long ret;

		ASSERT_EQ(3, write(w, "abc", 3));
		/* O_NONBLOCK: fail at once rather than wait for the users */
		ret = syscall(SYS_delete_module, "mailslot", O_NONBLOCK);
		ASSERT_EQ(-1, ret) TH_LOG("the module was unloaded with fds open");
		ASSERT_TRUE(errno == EBUSY || errno == EAGAIN || errno == EWOULDBLOCK)
			TH_LOG("delete_module: %s", strerror(errno));
	}
	EXPECT_EQ(0, access(MAILSLOT_CONTROL_PATH, F_OK));
	close(w);
	close(srv);
}

/* ------------------------------------------------------------------ */

#define CG MST_CGROUP_ROOT
#define PARAM_BYTES MST_PARAM_DIR "max_queued_bytes_per_user"

/* What the flooding child found, in memory the parent mapped beforehand. */
struct flood_res {
	long slots, msgs, enospc, eagain, enomem, other;
	int other_errno;
	int stage;	/* where the child gave up before the flood, or 0 */
	int done;	/* set (release) once the child has stopped for good */
};

/*
 * Write to every page of 256 KiB of stack below the caller, so that the
 * child owns them (fork shares them copy-on-write) before its cgroup is full.
 */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char buf[256 << 10];
	size_t i;

	for (i = 0; i < sizeof(buf); i += 512)
		buf[i] = 1;
}

/*
 * The flooding child, in the cgroup as uid 1000.  It allocates nothing once
 * the flood has begun: every fd (the slots and one writer per slot) is open
 * before it, its stack, the message buffer and @res are written before it
 * (no copy-on-write or page-table fault later), and every library call it
 * makes from then on (write, close, pause) has been made once before (no
 * lazy binding).  At the cgroup's limit the only allocations are then the
 * module's own, which must fail cleanly; the child reports by writing @res
 * and waiting in pause(), which allocates nothing either.  (Not by stopping
 * itself: kill() allocates a sigqueue, GFP_ATOMIC and charged to the
 * sender's cgroup, and an atomic charge may go over memory.max: at the
 * limit that put memory.current one page over max.)
 */
static void __attribute__((noreturn)) memcg_flood_child(const char *cg,
						       struct flood_res *res)
{
	static char big[65536];
	static int slots[4096], writers[4096];
	char procs[192], pid[32], n[96];
	int nfds = 0, ctl, i;

	memset(res, 0, sizeof(*res));
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	res->stage = 1;
	if (mst_write_file(procs, pid) || setgid(1000) || setuid(1000))
		_exit(10);
	prefault_stack();
	errno = 0;
	memset(big, 'f', sizeof(big));
	memset(slots, 0xff, sizeof(slots));
	memset(writers, 0xff, sizeof(writers));
	kill(getpid(), 0);
	res->stage = 2;
	ctl = open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		_exit(11);
	/* slots until the per-user limit says no */
	for (i = 0; i < 100000 && nfds < 4000; i++) {
		struct mailslot_create c = {
			.mode = 0600, .max_msg_size = 65536, .max_msgs = 65536,
			.max_bytes = 64 << 20, .overflow = MAILSLOT_OVERFLOW_FAIL,
		};
		int fd;

		snprintf(n, sizeof(n), "ksft-flood-%d-%d", getpid(), i);
		c.name = MST_U64(n);
		fd = ioctl(ctl, MAILSLOT_IOC_CREATE, &c);
		if (fd < 0) {
			if (errno == ENOSPC) {
				res->enospc++;
			} else if (errno == ENOMEM) {
				res->enomem++;
			} else {
				res->other++;
				res->other_errno = errno;
			}
			break;
		}
		slots[nfds++] = fd;
		res->slots++;
	}
	/* a writer for each, before the flood: an open allocates */
	res->stage = 3;
	for (i = 0; i < nfds; i++) {
		snprintf(n, sizeof(n), MAILSLOT_DEV_DIR "/ksft-flood-%d-%d", getpid(), i);
		writers[i] = open(n, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
		if (writers[i] < 0) {
			res->other++;
			res->other_errno = errno;
			kill(getpid(), SIGSTOP);
			_exit(13);
		}
	}
	res->stage = 0;
	/* then messages into them until the byte limit (or memcg) says no */
	for (i = 0; nfds && i < 200000; i++) {
		if (write(writers[i % nfds], big, sizeof(big)) < 0) {
			if (errno == ENOSPC) {
				res->enospc++;
			} else if (errno == EAGAIN) {
				res->eagain++;
			} else if (errno == ENOMEM) {
				res->enomem++;
			} else {
				res->other++;
				res->other_errno = errno;
			}
			if (res->enospc + res->eagain + res->enomem > 50)
				break;
			continue;
		}
		res->msgs++;
	}
	/* hold everything until the parent has looked at the cgroup */
	__atomic_store_n(&res->done, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
}

/*
 * @limit is the module's per-user byte limit during the flood: below
 * memory.max the module refuses first (ENOSPC); above it the cgroup does,
 * and the write must still fail cleanly (ENOMEM), never OOM-kill.
 */
static void memcg_flood(struct __test_metadata *_metadata, const char *limit,
			int want_errno)
{
	char cg[128], file[192];
	const long max = 64L << 20;
	long old_limit;
	char oldbuf[32];
	long peak = 0, current, after;
	struct flood_res *res;
	int status;
	pid_t kid;

	MST_NEED_MODULE();
	if (geteuid() != 0)
		SKIP(return, "needs root to set up the cgroup and drop to uid 1000");
	if (access(CG "/cgroup.subtree_control", F_OK))
		SKIP(return, "no cgroup2 at " CG);
	mst_write_file(CG "/cgroup.subtree_control", "+memory");
	snprintf(cg, sizeof(cg), CG "/ksft-mailslot-%d", getpid());
	if (mkdir(cg, 0755))
		SKIP(return, "mkdir %s: %s", cg, strerror(errno));
	snprintf(file, sizeof(file), "%s/memory.max", cg);
	if (mst_write_file(file, "67108864")) {
		rmdir(cg);
		SKIP(return, "no memory controller (memory.max)");
	}
	/* shared with the child, faulted in here: charged to this cgroup */
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, res);
	memset(res, 0, sizeof(*res));
	/*
	 * The module's per-user byte limit below memory.max, so that the
	 * module refuses (ENOSPC) before the cgroup's OOM killer acts.  A 64
	 * KiB message takes a 128 KiB kmalloc: 16 MiB of queue is ~32 MiB.
	 */
	old_limit = mst_read_long(PARAM_BYTES, NULL);
	ASSERT_LT(0, old_limit);
	ASSERT_EQ(0, mst_write_file(PARAM_BYTES, limit));
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0)
		memcg_flood_child(cg, res);
	/* until the child is done (or has stopped or died before the flood) */
	status = 0;
	while (!__atomic_load_n(&res->done, __ATOMIC_ACQUIRE) &&
	       waitpid(kid, &status, WNOHANG | WUNTRACED) == 0)
		usleep(10000);
	snprintf(oldbuf, sizeof(oldbuf), "%ld", old_limit);
	mst_write_file(PARAM_BYTES, oldbuf);
	ASSERT_TRUE(__atomic_load_n(&res->done, __ATOMIC_ACQUIRE)) {
		snprintf(file, sizeof(file), "%s/memory.events", cg);
		TH_LOG("the flooding child ended (status 0x%x, stage %d, oom_kill %ld)",
		       status, res->stage, mst_read_long(file, "oom_kill"));
		rmdir(cg);
	}
	snprintf(file, sizeof(file), "%s/memory.current", cg);
	current = mst_read_long(file, NULL);
	snprintf(file, sizeof(file), "%s/memory.peak", cg);
	peak = mst_read_long(file, NULL);
	kill(kid, SIGKILL);
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	printf("# memcg_flood: %ld slots, %ld messages of 64 KiB; refused: ENOSPC %ld, EAGAIN %ld, ENOMEM %ld, other %ld (%s); memory.current %ld KiB (peak %ld KiB) of max %ld KiB\n",
	       res->slots, res->msgs, res->enospc, res->eagain, res->enomem, res->other,
	       res->other ? strerror(res->other_errno) : "-", current >> 10, peak >> 10, max >> 10);
	EXPECT_EQ(0, res->stage) TH_LOG("the child stopped before the flood (stage %d)", res->stage);
	EXPECT_EQ(0, res->other) TH_LOG("unexpected errno %s", strerror(res->other_errno));
	EXPECT_LT(0, res->slots);
	EXPECT_LT(0, res->enospc + res->eagain + res->enomem) TH_LOG("nothing was ever refused");
	EXPECT_LT(0, want_errno == ENOSPC ? res->enospc : res->enomem)
		TH_LOG("not refused with %s", strerror(want_errno));
	EXPECT_LE(current, max);
	snprintf(file, sizeof(file), "%s/memory.events", cg);
	EXPECT_EQ(0, mst_read_long(file, "oom_kill")) TH_LOG("the flood was OOM-killed, not refused");
	munmap(res, sizeof(*res));

	/* after close, the charge goes away (slab pages shared with other
	 * cgroups' objects are reparented, not freed: allow 2 MiB) */
	snprintf(file, sizeof(file), "%s/memory.current", cg);
	for (int i = 0; i < 50; i++) {
		after = mst_read_long(file, NULL);
		if (after < (2L << 20))
			break;
		usleep(100000);
	}
	printf("# memcg_flood: memory.current after close: %ld KiB\n", after >> 10);
	EXPECT_LT(after, 2L << 20);
	rmdir(cg);
}

STRESS_TEST(memcg_flood)
{
	/* 16 MiB of queue is ~32 MiB of 128 KiB kmallocs: under 64 MiB */
	memcg_flood(_metadata, "16777216", ENOSPC);
}

STRESS_TEST(memcg_flood_over_cgroup)
{
	memcg_flood(_metadata, "268435456", ENOMEM);
}

/* ------------------------------------------------------------------ */
/* High volume, sized to the kernel's speed */

#define NWT	3	/* writer threads */
#define NWP	2	/* writer processes */
#define NW	(NWT + NWP)
#define PER_W_MAX 1000	/* messages per writer on a fast kernel */
#define PER_W_MIN 200	/* ... on a slow one (KASAN, lockdep, TCG) */

static unsigned int per_w = PER_W_MAX;
#define MAXSZ	600

struct hdr {
	uint32_t writer;
	uint32_t n;
	uint32_t len;
	uint32_t sum;
};

static uint32_t fill(char *buf, uint32_t writer, uint32_t n)
{
	struct hdr *h = (void *)buf;
	uint32_t len = sizeof(*h) + (writer * 131 + n * 17) % (MAXSZ - sizeof(*h));
	uint32_t i, sum = 0;

	h->writer = writer;
	h->n = n;
	h->len = len;
	for (i = sizeof(*h); i < len; i++) {
		buf[i] = (char)(writer + n * 7 + i);
		sum += (unsigned char)buf[i];
	}
	h->sum = sum;
	return len;
}

/* 0 if @buf is a good message and the next one from its writer. */
static int check(const char *buf, int len, uint32_t *next)
{
	const struct hdr *h = (const void *)buf;
	uint32_t i, sum = 0;

	if (len < (int)sizeof(*h) || h->len != (uint32_t)len || h->writer >= NW)
		return 1;
	for (i = sizeof(*h); i < (uint32_t)len; i++) {
		if (buf[i] != (char)(h->writer + h->n * 7 + i))
			return 2;
		sum += (unsigned char)buf[i];
	}
	if (sum != h->sum)
		return 3;
	if (h->n != next[h->writer])
		return 4;
	next[h->writer]++;
	return 0;
}

struct rdr {
	int fd;
	int batch;
	int err;
	long got;
};

static void *reader(void *arg)
{
	struct rdr *r = arg;
	static __thread char buf[65536];
	uint32_t next[NW] = { 0 };

	while (r->got < (long)NW * per_w) {
		if (r->batch) {
			struct mailslot_recv_batch b = {
				.buf = (uintptr_t)buf, .size = sizeof(buf),
				.max_msgs = 37,
			};
			uint64_t off = 0;
			int n, k;

			n = ioctl(r->fd, MAILSLOT_IOC_RECV_BATCH, &b);
			if (n <= 0) {
				r->err = 100 + errno;
				return NULL;
			}
			for (k = 0; k < n; k++) {
				struct mailslot_msg_info *mi = (void *)(buf + off);

				r->err = check(buf + off + sizeof(*mi), mi->size, next);
				if (r->err)
					return NULL;
				off += MAILSLOT_RECORD_SIZE(mi->size);
				r->got++;
			}
			if (off != b.bytes) {
				r->err = 5;
				return NULL;
			}
		} else {
			int n = read(r->fd, buf, sizeof(buf));

			if (n <= 0) {
				r->err = 200 + errno;
				return NULL;
			}
			r->err = check(buf, n, next);
			if (r->err)
				return NULL;
			r->got++;
		}
	}
	return NULL;
}

struct wrt {
	int fd;
	uint32_t id;
	int err;
};

static void *writer(void *arg)
{
	struct wrt *w = arg;
	char buf[MAXSZ];
	uint32_t n;

	for (n = 0; n < per_w; n++) {
		int len = fill(buf, w->id, n);

		if (write(w->fd, buf, len) != len) {
			w->err = errno;
			return NULL;
		}
	}
	return NULL;
}

/*
 * Pick the number of messages per writer so that the test takes about 30 s
 * at most: time 50 messages through a slot with four readers.
 */
static void calibrate(void)
{
	const char *name = mst_name("calib");
	int srv, w, l[3], i, k;
	char buf[MAXSZ];
	uint64_t t0, per_msg, n;

	srv = mst_slot_create_lim(name, MAXSZ, 0, 0, MAILSLOT_OVERFLOW_BLOCK, 0);
	w = mst_slot_open(name, O_WRONLY);
	for (k = 0; k < 3; k++)
		l[k] = mst_slot_open(name, O_RDONLY);
	t0 = mst_now_ns();
	for (i = 0; i < 50; i++) {
		if (write(w, buf, fill(buf, 0, i)) < 0)
			break;
		for (k = 0; k < 3; k++)
			(void)!read(l[k], buf, sizeof(buf));
		(void)!read(srv, buf, sizeof(buf));
	}
	/* threads and blocking cost about four times the straight loop */
	per_msg = (mst_now_ns() - t0) / 50 * 4;
	n = 30000000000ull / (per_msg ? per_msg : 1) / NW;
	per_w = n > PER_W_MAX ? PER_W_MAX : n < PER_W_MIN ? PER_W_MIN : n;
	for (k = 0; k < 3; k++)
		close(l[k]);
	close(w);
	close(srv);
}

TEST_F_TIMEOUT(stress, many_writers_many_readers, 100)
{
	const char *name = mst_name("stress");
	struct rdr rd[4] = { 0 };
	struct wrt wr[NWT] = { 0 };
	pthread_t rt[4], wt[NWT];
	pid_t wp[NWP], rp;
	struct mailslot_info info;
	int srv, i, status;

	calibrate();
	TH_LOG("%u writers x %u messages", NW, per_w);
	srv = mst_slot_create_lim(name, MAXSZ, 16, 4096, MAILSLOT_OVERFLOW_BLOCK,
			      MAILSLOT_TIMEOUT_INFINITE);
	ASSERT_LE(0, srv);
	/* readers: the server, two listener threads (one batched), one process */
	rd[0].fd = srv;
	for (i = 1; i < 3; i++) {
		rd[i].fd = mst_slot_open(name, O_RDONLY);
		ASSERT_LE(0, rd[i].fd);
	}
	rd[2].batch = 1;
	rd[3].fd = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, rd[3].fd);
	rp = fork();
	ASSERT_LE(0, rp);
	if (!rp) {
		reader(&rd[3]);
		_exit(rd[3].err ? rd[3].err : rd[3].got == NW * per_w ? 0 : 250);
	}
	close(rd[3].fd);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&rt[i], NULL, reader, &rd[i]));

	for (i = 0; i < NWP; i++) {
		wp[i] = fork();
		ASSERT_LE(0, wp[i]);
		if (!wp[i]) {
			struct wrt w = { mst_slot_open(name, O_WRONLY), NWT + i, 0 };

			if (w.fd < 0)
				_exit(1);
			writer(&w);
			_exit(w.err ? 2 : 0);
		}
	}
	for (i = 0; i < NWT; i++) {
		wr[i].fd = mst_slot_open(name, O_WRONLY);
		ASSERT_LE(0, wr[i].fd);
		wr[i].id = i;
		ASSERT_EQ(0, pthread_create(&wt[i], NULL, writer, &wr[i]));
	}

	for (i = 0; i < NWT; i++) {
		pthread_join(wt[i], NULL);
		EXPECT_EQ(0, wr[i].err);
		close(wr[i].fd);
	}
	for (i = 0; i < NWP; i++) {
		ASSERT_EQ(wp[i], waitpid(wp[i], &status, 0));
		EXPECT_EQ(0, status);
	}
	for (i = 0; i < 3; i++) {
		pthread_join(rt[i], NULL);
		EXPECT_EQ(0, rd[i].err) TH_LOG("reader %d", i);
		EXPECT_EQ(NW * per_w, rd[i].got);
	}
	ASSERT_EQ(rp, waitpid(rp, &status, 0));
	EXPECT_EQ(0, status);
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(NW * per_w, info.sent);
	EXPECT_EQ(0, info.msgs);
	EXPECT_EQ(0, info.drops);
	close(rd[1].fd);
	close(rd[2].fd);
	close(srv);
}

/* Drop-oldest under load: for every reader, received + dropped == sent. */
struct drd {
	int fd;
	long got;
	int err;
	int *stop;	/* __atomic */
};

static void *drop_reader(void *arg)
{
	struct drd *r = arg;
	char buf[MAXSZ];
	uint64_t last = 0;

	for (;;) {
		struct mailslot_recv rv = { .buf = (uintptr_t)buf, .size = sizeof(buf) };
		int stopped = __atomic_load_n(r->stop, __ATOMIC_SEQ_CST);
		int n = ioctl(r->fd, MAILSLOT_IOC_RECV, &rv);

		if (n < 0) {
			if (errno == EAGAIN && !stopped)
				continue;
			if (errno == EAGAIN)
				return NULL;
			r->err = errno;
			return NULL;
		}
		if (rv.info.seq <= last) {
			r->err = 1000;
			return NULL;
		}
		last = rv.info.seq;
		r->got++;
	}
}

TEST_F_TIMEOUT(stress, drop_accounting, 100)
{
	const char *name = mst_name("stress");
	struct drd rd[3] = { 0 };
	struct wrt wr[NWT] = { 0 };
	pthread_t rt[3], wt[NWT];
	int stop = 0;
	int srv, i;

	calibrate();
	srv = mst_slot_create_lim(name, MAXSZ, 8, 0, MAILSLOT_OVERFLOW_DROP, 0);
	ASSERT_LE(0, srv);
	rd[0].fd = srv;
	for (i = 1; i < 3; i++) {
		rd[i].fd = mst_slot_open(name, O_RDONLY);
		ASSERT_LE(0, rd[i].fd);
	}
	for (i = 0; i < 3; i++) {
		rd[i].stop = &stop;
		ASSERT_EQ(0, pthread_create(&rt[i], NULL, drop_reader, &rd[i]));
	}
	for (i = 0; i < NWT; i++) {
		wr[i].fd = mst_slot_open(name, O_WRONLY);
		ASSERT_LE(0, wr[i].fd);
		wr[i].id = i;
		ASSERT_EQ(0, pthread_create(&wt[i], NULL, writer, &wr[i]));
	}
	for (i = 0; i < NWT; i++) {
		pthread_join(wt[i], NULL);
		EXPECT_EQ(0, wr[i].err);
		close(wr[i].fd);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < 3; i++) {
		struct mailslot_info info;

		pthread_join(rt[i], NULL);
		EXPECT_EQ(0, rd[i].err);
		ASSERT_EQ(0, mst_slot_info(rd[i].fd, &info));
		EXPECT_EQ(0, info.msgs);
		EXPECT_EQ(NWT * per_w, info.sent);
		EXPECT_EQ(NWT * per_w, rd[i].got + info.drops)
			TH_LOG("reader %d got %ld drops %llu", i, rd[i].got,
			       (unsigned long long)info.drops);
	}
	close(rd[1].fd);
	close(rd[2].fd);
	close(srv);
}

struct closer_rd {
	int fd;
	int err;
	long got;
};

static void *read_until_eof(void *arg)
{
	struct closer_rd *r = arg;
	char buf[MAXSZ];

	for (;;) {
		int n = read(r->fd, buf, sizeof(buf));

		if (n == 0)
			return NULL;
		if (n < 0) {
			r->err = errno;
			return NULL;
		}
		r->got++;
	}
}

struct closer_wr {
	int fd;
	int err;
	long sent;
};

static void *write_until_epipe(void *arg)
{
	struct closer_wr *w = arg;
	char buf[64] = "m";

	for (;;) {
		if (write(w->fd, buf, sizeof(buf)) != sizeof(buf)) {
			w->err = errno;
			return NULL;
		}
		w->sent++;
	}
}

/* Close the server while writers are blocked and readers are reading. */
TEST_F_TIMEOUT(stress, close_under_load, 100)
{
	int round;

	for (round = 0; round < 20; round++) {
		const char *name = mst_name("close");
		struct closer_rd rd[3] = { 0 };
		struct closer_wr wr[4] = { 0 };
		pthread_t rt[3], wt[4];
		long sent = 0;
		int srv, i;

		srv = mst_slot_create_lim(name, 64, 2, 0, MAILSLOT_OVERFLOW_BLOCK,
				      MAILSLOT_TIMEOUT_INFINITE);
		ASSERT_LE(0, srv);
		for (i = 0; i < 3; i++) {
			rd[i].fd = mst_slot_open(name, O_RDONLY);
			ASSERT_LE(0, rd[i].fd);
			ASSERT_EQ(0, pthread_create(&rt[i], NULL, read_until_eof,
						    &rd[i]));
		}
		for (i = 0; i < 4; i++) {
			wr[i].fd = mst_slot_open(name, O_WRONLY);
			ASSERT_LE(0, wr[i].fd);
			ASSERT_EQ(0, pthread_create(&wt[i], NULL,
						    write_until_epipe, &wr[i]));
		}
		/* the server never reads: writers block on its full queue */
		usleep(1000 * (round % 5) * 10);
		close(srv);
		for (i = 0; i < 4; i++) {
			pthread_join(wt[i], NULL);
			EXPECT_EQ(EPIPE, wr[i].err);
			sent += wr[i].sent;
			close(wr[i].fd);
		}
		for (i = 0; i < 3; i++) {
			pthread_join(rt[i], NULL);
			EXPECT_EQ(0, rd[i].err);
			/* every listener got every message sent */
			EXPECT_EQ(sent, rd[i].got);
			close(rd[i].fd);
		}
		/* the server queue holds 2 before writers block */
		EXPECT_GE(2, sent);
	}
}

/* Readers and writers opening and closing while messages flow. */
static void *churn(void *arg)
{
	const char *name = arg;
	char buf[MAXSZ];
	int i;

	for (i = 0; i < 300; i++) {
		int fd = mst_slot_open(name, (i & 1) ? O_RDWR : O_RDONLY);

		if (fd < 0)
			return (void *)1;
		if ((i & 1) && write(fd, "churn", 5) != 5)
			return (void *)2;
		if (i % 3 == 0)
			(void)!read(fd, buf, sizeof(buf));
		close(fd);
	}
	return NULL;
}

TEST_F_TIMEOUT(stress, open_close_churn, 100)
{
	const char *name = mst_name("churn");
	pthread_t t[4];
	void *ret;
	char buf[MAXSZ];
	int srv, i;

	srv = mst_slot_create_lim(name, MAXSZ, 1000, 0, MAILSLOT_OVERFLOW_DROP, 0);
	ASSERT_LE(0, srv);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, churn, (void *)name));
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		EXPECT_EQ(NULL, ret);
	}
	i = 0;
	while (read(srv, buf, sizeof(buf)) == 5)
		i++;
	EXPECT_EQ(600, i);
	close(srv);
}

TEST_HARNESS_MAIN
