// SPDX-License-Identifier: GPL-2.0
/*
 * Stress and limits.  Each test is bounded by
 * STRESS_SECONDS (default 2; the debug-kernel lane runs minutes).
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

/* Every test is bounded by STRESS_SECONDS, not by the harness's 30 s. */
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

TEST_HARNESS_MAIN
