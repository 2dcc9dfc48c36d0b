// SPDX-License-Identifier: GPL-2.0
/*
 * MAILSLOT_IOC_WAIT: wait-any index, wait-all, timeouts
 * (relative and absolute, really waited), signals, an fd closed during the
 * wait, slot readers mixed with process objects, and error paths.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

/* Generous: TCG guests are slow. */
#define SLACK_NS	(5 * MST_SEC)

struct kids {
	int n;
	pid_t pid[8];
	int pipe[8][2];
	int obj[8];
};

static int kids_start(struct kids *k, int n)
{
	int i;

	k->n = n;
	for (i = 0; i < n; i++) {
		k->pid[i] = mst_spawn(10 + i, k->pipe[i]);
		if (k->pid[i] < 0)
			return -1;
		k->obj[i] = mst_proc_open(k->pid[i], 0);
		if (k->obj[i] < 0)
			return -1;
	}
	return 0;
}

/* Let kid @i exit and wait until it is a zombie (not reaped). */
/*
 * End kid @i and wait until its object is signaled.  /proc shows the
 * zombie state a moment before the exit path wakes the pid's waiters
 * (exit_state is set, then do_notify_parent() wakes them), and that wake
 * is what signals the object: "zombie" alone is not "signaled yet" (seen
 * on the KCSAN kernel, whose delays widen the window).
 */
static int kids_end(struct kids *k, int i)
{
	struct pollfd p = { .fd = k->obj[i], .events = POLLIN };

	mst_release(k->pipe[i]);
	if (mst_wait_zombie(k->pid[i]))
		return -1;
	return poll(&p, 1, 30000) == 1 ? 0 : -1;
}

static void kids_stop(struct kids *k)
{
	int i;

	for (i = 0; i < k->n; i++) {
		mst_release(k->pipe[i]);
		waitpid(k->pid[i], NULL, 0);
		close(k->obj[i]);
	}
}

TEST(wait_any_lowest_index)
{
	struct kids k;
	int rev[4];

	MST_NEED_MODULE();
	ASSERT_EQ(0, kids_start(&k, 4));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(k.obj, 4, 0, 0));
	ASSERT_EQ(0, kids_end(&k, 2));
	EXPECT_EQ(2, mst_wait(k.obj, 4, 0, 0));
	EXPECT_EQ(2, mst_wait(k.obj, 4, 0, MAILSLOT_TIMEOUT_INFINITE));
	ASSERT_EQ(0, kids_end(&k, 3));
	EXPECT_EQ(2, mst_wait(k.obj, 4, 0, 0));
	ASSERT_EQ(0, kids_end(&k, 1));
	EXPECT_EQ(1, mst_wait(k.obj, 4, 0, 0));
	/* order is the caller's: the last fd first */
	rev[0] = k.obj[0];
	rev[1] = k.obj[3];
	rev[2] = k.obj[2];
	rev[3] = k.obj[1];
	EXPECT_EQ(1, mst_wait(rev, 4, 0, 0));
	/* wait-all still not satisfied: kid 0 runs */
	EXPECT_EQ(-ETIMEDOUT, mst_wait(k.obj, 4, MAILSLOT_WAIT_ALL, 20 * MST_MS));
	kids_stop(&k);
}

struct ender {
	struct kids *k;
	int order[8];
	unsigned int gap_ms;
	uint64_t last_ns;
};

static void *end_in_order(void *arg)
{
	struct ender *e = arg;
	int i;

	for (i = 0; i < e->k->n; i++) {
		mst_sleep_ms(e->gap_ms);
		if (i == e->k->n - 1)
			e->last_ns = mst_now_ns();
		mst_release(e->k->pipe[e->order[i]]);
	}
	return NULL;
}

TEST(wait_all_waits_for_last)
{
	struct ender e = { .order = { 2, 0, 3, 1 }, .gap_ms = 100 };
	struct kids k;
	pthread_t th;
	uint64_t t1;
	int i;

	MST_NEED_MODULE();
	ASSERT_EQ(0, kids_start(&k, 4));
	e.k = &k;
	ASSERT_EQ(0, pthread_create(&th, NULL, end_in_order, &e));
	EXPECT_EQ(0, mst_wait(k.obj, 4, MAILSLOT_WAIT_ALL, 30 * MST_SEC));
	t1 = mst_now_ns();
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_LE(e.last_ns, t1);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(1, mst_signaled(k.obj[i]));
	kids_stop(&k);
}

TEST(relative_timeout_really_waits)
{
	uint64_t t0, el;
	struct kids k;

	MST_NEED_MODULE();
	ASSERT_EQ(0, kids_start(&k, 2));
	t0 = mst_now_ns();
	EXPECT_EQ(-ETIMEDOUT, mst_wait(k.obj, 2, 0, 300 * MST_MS));
	el = mst_now_ns() - t0;
	EXPECT_LE(300 * MST_MS, el);
	EXPECT_GE(300 * MST_MS + SLACK_NS, el);
	t0 = mst_now_ns();
	EXPECT_EQ(-ETIMEDOUT, mst_wait(k.obj, 2, MAILSLOT_WAIT_ALL, 200 * MST_MS));
	el = mst_now_ns() - t0;
	EXPECT_LE(200 * MST_MS, el);
	EXPECT_GE(200 * MST_MS + SLACK_NS, el);
	kids_stop(&k);
}

TEST(absolute_timeout)
{
	uint64_t deadline, t1;
	struct kids k;

	MST_NEED_MODULE();
	ASSERT_EQ(0, kids_start(&k, 1));
	deadline = mst_now_ns() + 250 * MST_MS;
	EXPECT_EQ(-ETIMEDOUT, mst_wait(k.obj, 1, MAILSLOT_WAIT_ABSOLUTE,
				      deadline));
	t1 = mst_now_ns();
	EXPECT_LE(deadline, t1);
	EXPECT_GE(deadline + SLACK_NS, t1);
	/* in the past: at once */
	EXPECT_EQ(-ETIMEDOUT, mst_wait(k.obj, 1, MAILSLOT_WAIT_ABSOLUTE, 0));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(k.obj, 1, MAILSLOT_WAIT_ABSOLUTE |
				      MAILSLOT_WAIT_ALL, 1));
	/* signaled objects win over an expired deadline */
	ASSERT_EQ(0, kids_end(&k, 0));
	EXPECT_EQ(0, mst_wait(k.obj, 1, MAILSLOT_WAIT_ABSOLUTE, 1));
	/* huge timeouts are forever, not an overflow */
	EXPECT_EQ(0, mst_wait(k.obj, 1, 0, MAILSLOT_TIMEOUT_INFINITE - 1));
	EXPECT_EQ(0, mst_wait(k.obj, 1, MAILSLOT_WAIT_ABSOLUTE,
			     MAILSLOT_TIMEOUT_INFINITE - 1));
	kids_stop(&k);
}

static void on_usr1(int sig)
{
	(void)sig;
}

struct poker {
	pthread_t target;
	pid_t tid;
	unsigned int ms;
};

/* Signal the waiter once it sleeps in the ioctl, and not before @ms. */
static void *poke(void *arg)
{
	struct poker *p = arg;

	mst_sleep_ms(p->ms);
	if (mst_wait_in_syscall(p->tid, SYS_ioctl))
		fprintf(stderr, "poke: waiter not seen in ioctl\n");
	pthread_kill(p->target, SIGUSR1);
	return NULL;
}

static void signal_case(struct __test_metadata *_metadata, int restart,
			uint64_t timeout, unsigned int flags)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct poker p = { .target = pthread_self(), .ms = 200,
			   .tid = (pid_t)syscall(SYS_gettid) };
	uint64_t t0, el;
	struct kids k;
	pthread_t th;

	sa.sa_flags = restart ? SA_RESTART : 0;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, kids_start(&k, 2));
	ASSERT_EQ(0, pthread_create(&th, NULL, poke, &p));
	t0 = mst_now_ns();
	EXPECT_EQ(-EINTR, mst_wait(k.obj, 2, flags, timeout));
	el = mst_now_ns() - t0;
	EXPECT_LE(150 * MST_MS, el);
	EXPECT_GE(SLACK_NS, el);
	ASSERT_EQ(0, pthread_join(th, NULL));
	kids_stop(&k);
	signal(SIGUSR1, SIG_DFL);
}

TEST(signal_interrupts)
{
	MST_NEED_MODULE();
	signal_case(_metadata, 0, MAILSLOT_TIMEOUT_INFINITE, 0);
	signal_case(_metadata, 1, MAILSLOT_TIMEOUT_INFINITE, MAILSLOT_WAIT_ALL);
	signal_case(_metadata, 1, 20 * MST_SEC, 0);
	signal_case(_metadata, 0, mst_now_ns() + 20 * MST_SEC, MAILSLOT_WAIT_ABSOLUTE);
}

/* A fatal signal ends a waiter cleanly. */
TEST(killed_while_waiting)
{
	struct kids k;
	pid_t w;
	int wstatus;

	MST_NEED_MODULE();
	ASSERT_EQ(0, kids_start(&k, 2));
	w = fork();
	ASSERT_LE(0, w);
	if (w == 0) {
		mst_wait(k.obj, 2, MAILSLOT_WAIT_ALL, MAILSLOT_TIMEOUT_INFINITE);
		_exit(1);
	}
	mst_sleep_ms(200);
	ASSERT_EQ(0, kill(w, SIGKILL));
	ASSERT_EQ(w, waitpid(w, &wstatus, 0));
	EXPECT_TRUE(WIFSIGNALED(wstatus));
	kids_stop(&k);
}

struct closer {
	int fd;
	int pipe1;
	pid_t tid;
	unsigned int ms;
};

static void *close_then_end(void *arg)
{
	struct closer *c = arg;
	int p[2] = { -1, c->pipe1 };

	/* close only once the waiter sleeps in MAILSLOT_IOC_WAIT */
	if (mst_wait_in_syscall(c->tid, SYS_ioctl))
		fprintf(stderr, "closer: waiter not seen in ioctl\n");
	close(c->fd);
	mst_sleep_ms(c->ms);
	mst_release(p);
	return NULL;
}

/*
 * Another thread closes an fd we wait on: the wait keeps the object and
 * still sees the exit; nothing leaks (module references come back).
 */
TEST(fd_closed_during_wait)
{
	struct closer c = { .ms = 150, .tid = (pid_t)syscall(SYS_gettid) };
	struct kids k;
	long refs0;
	pthread_t th;
	int fds[2];

	MST_NEED_MODULE();
	ASSERT_EQ(0, kids_start(&k, 2));
	refs0 = mst_module_refs();
	fds[0] = k.obj[0];
	fds[1] = dup(k.obj[1]);
	ASSERT_LE(0, fds[1]);
	close(k.obj[1]);
	k.obj[1] = -1;
	c.fd = fds[1];
	c.pipe1 = k.pipe[1][1];
	k.pipe[1][1] = -1;
	ASSERT_EQ(0, pthread_create(&th, NULL, close_then_end, &c));
	EXPECT_EQ(1, mst_wait(fds, 2, 0, 30 * MST_SEC));
	ASSERT_EQ(0, pthread_join(th, NULL));
	/* the closed fd is gone now */
	EXPECT_EQ(-1, fcntl(fds[1], F_GETFD));
	if (refs0 >= 0)
		EXPECT_EQ(refs0 - 1, mst_module_refs());
	kids_stop(&k);
}

/* ---- slot readers mixed with process objects ---- */

static __u64 queued(int fd)
{
	struct mailslot_info info;

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, MAILSLOT_IOC_GET_INFO, &info))
		return ~0ULL;
	return info.msgs;
}

struct sender {
	int fd;
	unsigned int ms;
};

static void *send_later(void *arg)
{
	struct sender *s = arg;

	mst_sleep_ms(s->ms);
	if (write(s->fd, "ping", 4) != 4)
		perror("send_later");
	return NULL;
}

TEST(mixed_with_slot_readers)
{
	struct sender s = { .ms = 150 };
	const char *name = mst_name("wait-basic-mixed");
	char buf[64];
	int srv, wr, rd, fds[3];
	struct kids k;
	pthread_t th;

	MST_NEED_MODULE();
	srv = mst_slot_create(name);
	ASSERT_LE(0, srv) TH_LOG("CREATE: %s", strerror(-srv));
	wr = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, wr);
	rd = mst_slot_open(name, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, rd);
	ASSERT_EQ(0, kids_start(&k, 1));

	fds[0] = k.obj[0];
	fds[1] = srv;
	fds[2] = rd;
	EXPECT_EQ(-ETIMEDOUT, mst_wait(fds, 3, 0, 0));
	/* a message wakes wait-any with the lowest reader's index */
	s.fd = wr;
	ASSERT_EQ(0, pthread_create(&th, NULL, send_later, &s));
	EXPECT_EQ(1, mst_wait(fds, 3, 0, 30 * MST_SEC));
	ASSERT_EQ(0, pthread_join(th, NULL));
	/* waiting consumed nothing */
	EXPECT_EQ(1ULL, queued(srv));
	EXPECT_EQ(1ULL, queued(rd));
	EXPECT_EQ(1, mst_wait(fds, 3, 0, 0));
	EXPECT_EQ(1, mst_wait(fds, 3, 0, 0));
	/* wait-all: the process still runs */
	EXPECT_EQ(-ETIMEDOUT, mst_wait(fds, 3, MAILSLOT_WAIT_ALL, 50 * MST_MS));
	ASSERT_EQ(0, kids_end(&k, 0));
	EXPECT_EQ(0, mst_wait(fds, 3, MAILSLOT_WAIT_ALL, 0));
	EXPECT_EQ(0, mst_wait(fds, 3, 0, 0));
	/* a reader that empties is no longer signaled */
	EXPECT_EQ(4, read(rd, buf, sizeof(buf)));
	EXPECT_EQ(0, mst_wait(fds + 1, 2, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(fds + 1, 2, MAILSLOT_WAIT_ALL, 0));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(fds + 2, 1, 0, 20 * MST_MS));
	/* and wait-all over both wakes on the next message */
	s.ms = 100;
	ASSERT_EQ(0, pthread_create(&th, NULL, send_later, &s));
	EXPECT_EQ(0, mst_wait(fds, 3, MAILSLOT_WAIT_ALL, 30 * MST_SEC));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(2ULL, queued(srv));
	EXPECT_EQ(1ULL, queued(rd));
	/* a write-only handle is not a wait object */
	fds[1] = wr;
	EXPECT_EQ(-EINVAL, mst_wait(fds, 2, 0, 0));
	kids_stop(&k);
	close(rd);
	close(wr);
	close(srv);
}

static void *close_later(void *arg)
{
	struct sender *s = arg;

	mst_sleep_ms(s->ms);
	close(s->fd);
	return NULL;
}

/* A listener whose server closes is signaled: its read returns EOF at once. */
TEST(server_close_wakes_listener)
{
	struct sender c = { .ms = 150 };
	const char *name = mst_name("wait-basic-close");
	char buf[16];
	int srv, rd;
	pthread_t th;

	MST_NEED_MODULE();
	srv = mst_slot_create(name);
	ASSERT_LE(0, srv) TH_LOG("CREATE: %s", strerror(-srv));
	rd = mst_slot_open(name, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, rd);
	EXPECT_EQ(-ETIMEDOUT, mst_wait(&rd, 1, 0, 20 * MST_MS));
	c.fd = srv;
	ASSERT_EQ(0, pthread_create(&th, NULL, close_later, &c));
	/* blocked with nothing queued; the close must wake it */
	EXPECT_EQ(0, mst_wait(&rd, 1, 0, 30 * MST_SEC));
	ASSERT_EQ(0, pthread_join(th, NULL));
	/* still signaled, and the read it promised is end of file */
	EXPECT_EQ(0, mst_wait(&rd, 1, MAILSLOT_WAIT_ALL, 0));
	EXPECT_EQ(0, read(rd, buf, sizeof(buf)));
	EXPECT_EQ(0, mst_wait(&rd, 1, 0, 0));
	close(rd);
}

TEST(errors)
{
	struct mailslot_wait w;
	int ctl, fds[MAILSLOT_WAIT_MAX + 1], i, pfd[2];
	struct kids k;

	MST_NEED_MODULE();
	ASSERT_EQ(0, kids_start(&k, 1));
	ctl = mst_control();
	ASSERT_LE(0, ctl);
	for (i = 0; i <= MAILSLOT_WAIT_MAX; i++)
		fds[i] = k.obj[0];
	EXPECT_EQ(-EINVAL, mst_wait(fds, 0, 0, 0));
	EXPECT_EQ(-EINVAL, mst_wait(fds, MAILSLOT_WAIT_MAX + 1, 0, 0));
	EXPECT_EQ(-EINVAL, mst_wait(fds, 2, 0, 0));	/* duplicate */
	fds[1] = dup(k.obj[0]);				/* same file */
	ASSERT_LE(0, fds[1]);
	EXPECT_EQ(-EINVAL, mst_wait(fds, 2, 0, 0));
	close(fds[1]);
	fds[1] = 1000;					/* not open */
	EXPECT_EQ(-1, fcntl(fds[1], F_GETFD));
	EXPECT_EQ(-EBADF, mst_wait(fds, 2, 0, 0));
	fds[1] = -1;
	EXPECT_EQ(-EBADF, mst_wait(fds, 2, 0, 0));
	ASSERT_EQ(0, pipe(pfd));
	fds[1] = pfd[0];		/* pollable: waited on, empty */
	EXPECT_EQ(-ETIMEDOUT, mst_wait(fds, 2, 0, 0));
	fds[1] = memfd_create("wait-basic", MFD_CLOEXEC);	/* no poll */
	ASSERT_LE(0, fds[1]);
	EXPECT_EQ(-EINVAL, mst_wait(fds, 2, 0, 0));
	close(fds[1]);
	fds[1] = ctl;
	EXPECT_EQ(-EINVAL, mst_wait(fds, 2, 0, 0));
	EXPECT_EQ(-EFAULT, mst_wait(NULL, 1, 0, 0));
	EXPECT_EQ(-EINVAL, mst_wait(fds, 1, 4, 0));
	memset(&w, 0, sizeof(w));
	w.fds = (uintptr_t)fds;
	w.count = 1;
	w.reserved = 1;
	EXPECT_EQ(-1, ioctl(ctl, MAILSLOT_IOC_WAIT, &w));
	EXPECT_EQ(EINVAL, errno);
	/* index untouched on failure, 0 for wait-all */
	w.reserved = 0;
	w.index = 77;
	EXPECT_EQ(-1, ioctl(ctl, MAILSLOT_IOC_WAIT, &w));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(77U, w.index);
	ASSERT_EQ(0, kids_end(&k, 0));
	w.flags = MAILSLOT_WAIT_ALL;
	EXPECT_EQ(0, ioctl(ctl, MAILSLOT_IOC_WAIT, &w));
	EXPECT_EQ(0U, w.index);
	/* 64 objects are fine */
	for (i = 0; i < MAILSLOT_WAIT_MAX; i++) {
		fds[i] = dup(k.obj[0]);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(-EINVAL, mst_wait(fds, MAILSLOT_WAIT_MAX, 0, 0));
	for (i = 0; i < MAILSLOT_WAIT_MAX; i++) {
		close(fds[i]);
		fds[i] = mst_proc_open(k.pid[0], 0);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(0, mst_wait(fds, MAILSLOT_WAIT_MAX, MAILSLOT_WAIT_ALL, 0));
	for (i = 0; i < MAILSLOT_WAIT_MAX; i++)
		close(fds[i]);
	close(pfd[0]);
	close(pfd[1]);
	close(ctl);
	kids_stop(&k);
}

TEST_HARNESS_MAIN
