// SPDX-License-Identifier: GPL-2.0
/*
 * Process objects at scale: a thousand objects on one
 * process and a hundred waiters on one object all wake at its exit.
 * proc_leak_test.c has the open/close cycles.
 */
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

#define NOBJ		1000
#define NWAITERS	100

/* No state: only for TEST_F_TIMEOUT (debug kernels are slow). */
FIXTURE(scale) {
	int unused;
};

FIXTURE_SETUP(scale)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(scale)
{
}

TEST_F_TIMEOUT(scale, thousand_objects_one_process, 600)
{
	static struct pollfd pfd[NOBJ];
	struct mailslot_proc_exit ex;
	int p[2], i, n, wstatus;
	uint64_t t0;
	pid_t pid;

	MST_NEED_MODULE();
	ASSERT_EQ(0, mst_raise_nofile(NOBJ + 64));
	pid = mst_spawn(21, p);
	ASSERT_LE(0, pid);
	for (i = 0; i < NOBJ; i++) {
		pfd[i].fd = mst_proc_open(pid, i & 1 ? MAILSLOT_PROC_NONBLOCK : 0);
		ASSERT_LE(0, pfd[i].fd) TH_LOG("object %d: %s", i,
					       strerror(-pfd[i].fd));
		pfd[i].events = POLLIN;
	}
	EXPECT_EQ(0, poll(pfd, NOBJ, 0));
	mst_release(p);
	t0 = mst_now_ns();
	/* every one of them becomes readable */
	for (;;) {
		n = poll(pfd, NOBJ, 10000);
		ASSERT_LT(0, n);
		if (n == NOBJ)
			break;
		ASSERT_GT(t0 + 30 * MST_SEC, mst_now_ns()) TH_LOG("%d of %d", n, NOBJ);
		mst_sleep_ms(10);
	}
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	for (i = 0; i < NOBJ; i++) {
		ASSERT_EQ(MST_EXSZ, mst_proc_read(pfd[i].fd, &ex));
		ASSERT_EQ(wstatus, ex.status);
		close(pfd[i].fd);
	}
}

struct waiter_ctx {
	int obj;		/* the object everyone waits for */
	int other;		/* an already signaled object, for wait-all */
	int started;
	int finished;
	int failed;
	pthread_mutex_t lock;
};

struct waiter {
	struct waiter_ctx *ctx;
	int kind;
};

static void waiter_mark(struct waiter_ctx *c, int *field, int bad)
{
	pthread_mutex_lock(&c->lock);
	(*field)++;
	if (bad)
		c->failed++;
	pthread_mutex_unlock(&c->lock);
}

static void *waiter_fn(void *arg)
{
	struct waiter *w = arg;
	struct waiter_ctx *c = w->ctx;
	struct mailslot_proc_exit ex;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int fds[2] = { c->other, c->obj };
	int bad = 0, ep;

	waiter_mark(c, &c->started, 0);
	switch (w->kind % 4) {
	case 0:		/* wait-any on the object alone */
		bad = mst_wait(&c->obj, 1, 0, MAILSLOT_TIMEOUT_INFINITE) != 0;
		break;
	case 1:		/* wait-all with a signaled one */
		bad = mst_wait(fds, 2, MAILSLOT_WAIT_ALL,
			      MAILSLOT_TIMEOUT_INFINITE) != 0;
		break;
	case 2:		/* blocking read */
		bad = mst_proc_read(c->obj, &ex) != MST_EXSZ;
		break;
	case 3:		/* epoll */
		ep = epoll_create1(EPOLL_CLOEXEC);
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, c->obj, &ev) ||
		    epoll_wait(ep, &out, 1, -1) != 1)
			bad = 1;
		if (ep >= 0)
			close(ep);
		break;
	}
	waiter_mark(c, &c->finished, bad);
	return NULL;
}

TEST_F_TIMEOUT(scale, hundred_waiters_one_object, 600)
{
	static struct waiter w[NWAITERS];
	static pthread_t th[NWAITERS];
	struct waiter_ctx c = { .lock = PTHREAD_MUTEX_INITIALIZER };
	int p[2], i, done, other_pid;
	uint64_t t0;
	pid_t pid;

	MST_NEED_MODULE();
	other_pid = fork();
	ASSERT_LE(0, other_pid);
	if (other_pid == 0)
		_exit(0);
	ASSERT_EQ(0, mst_wait_zombie(other_pid));
	c.other = mst_proc_open(other_pid, 0);
	ASSERT_LE(0, c.other);
	pid = mst_spawn(0, p);
	ASSERT_LE(0, pid);
	c.obj = mst_proc_open(pid, 0);
	ASSERT_LE(0, c.obj);
	for (i = 0; i < NWAITERS; i++) {
		w[i].ctx = &c;
		w[i].kind = i;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, waiter_fn, &w[i]));
	}
	/* all started, then give them time to block */
	for (;;) {
		pthread_mutex_lock(&c.lock);
		done = c.started;
		pthread_mutex_unlock(&c.lock);
		if (done == NWAITERS)
			break;
		mst_sleep_ms(10);
	}
	mst_sleep_ms(500);
	pthread_mutex_lock(&c.lock);
	EXPECT_EQ(0, c.finished);
	pthread_mutex_unlock(&c.lock);
	mst_release(p);
	t0 = mst_now_ns();
	for (;;) {
		pthread_mutex_lock(&c.lock);
		done = c.finished;
		pthread_mutex_unlock(&c.lock);
		if (done == NWAITERS)
			break;
		if (t0 + 30 * MST_SEC < mst_now_ns())
			ASSERT_EQ(NWAITERS, done);
		mst_sleep_ms(10);
	}
	for (i = 0; i < NWAITERS; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(0, c.failed);
	waitpid(pid, NULL, 0);
	waitpid(other_pid, NULL, 0);
	close(c.obj);
	close(c.other);
}

TEST_HARNESS_MAIN
