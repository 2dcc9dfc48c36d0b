// SPDX-License-Identifier: GPL-2.0
/*
 * Process objects at scale (issue 5 item 6): a thousand objects on one
 * process and a hundred waiters on one object all wake at its exit;
 * thousands of open/wait/close cycles leave nothing behind (module
 * references, struct pid and accounted kmalloc slab counts come back; the
 * guest boots with slub_debug, so the pid cache is not merged).
 */
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#include "proc_util.h"
#include "kselftest_harness.h"

#define NEED_MODULE() do {						\
		if (!pu_have_module())					\
			SKIP(return, "%s missing", MAILSLOT_CONTROL_PATH); \
	} while (0)

#define NOBJ		1000
#define NWAITERS	100

static int raise_nofile(unsigned int want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -1;
	if (rl.rlim_cur >= want)
		return 0;
	rl.rlim_cur = want;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	return setrlimit(RLIMIT_NOFILE, &rl);
}

TEST(thousand_objects_one_process)
{
	static struct pollfd pfd[NOBJ];
	struct mailslot_proc_exit ex;
	int p[2], i, n, wstatus;
	uint64_t t0;
	pid_t pid;

	NEED_MODULE();
	ASSERT_EQ(0, raise_nofile(NOBJ + 64));
	pid = pu_spawn(21, p);
	ASSERT_LE(0, pid);
	for (i = 0; i < NOBJ; i++) {
		pfd[i].fd = pu_open(pid, i & 1 ? MAILSLOT_PROC_NONBLOCK : 0);
		ASSERT_LE(0, pfd[i].fd) TH_LOG("object %d: %s", i,
					       strerror(-pfd[i].fd));
		pfd[i].events = POLLIN;
	}
	EXPECT_EQ(0, poll(pfd, NOBJ, 0));
	pu_release(p);
	t0 = pu_now();
	/* every one of them becomes readable */
	for (;;) {
		n = poll(pfd, NOBJ, 10000);
		ASSERT_LT(0, n);
		if (n == NOBJ)
			break;
		ASSERT_GT(t0 + 30 * PU_SEC, pu_now()) TH_LOG("%d of %d", n, NOBJ);
		pu_sleep_ms(10);
	}
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	for (i = 0; i < NOBJ; i++) {
		ASSERT_EQ(PU_EXSZ, pu_read(pfd[i].fd, &ex));
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
		bad = pu_wait(&c->obj, 1, 0, MAILSLOT_TIMEOUT_INFINITE) != 0;
		break;
	case 1:		/* wait-all with a signaled one */
		bad = pu_wait(fds, 2, MAILSLOT_WAIT_ALL,
			      MAILSLOT_TIMEOUT_INFINITE) != 0;
		break;
	case 2:		/* blocking read */
		bad = pu_read(c->obj, &ex) != PU_EXSZ;
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

TEST(hundred_waiters_one_object)
{
	static struct waiter w[NWAITERS];
	static pthread_t th[NWAITERS];
	struct waiter_ctx c = { .lock = PTHREAD_MUTEX_INITIALIZER };
	int p[2], i, done, other_pid;
	uint64_t t0;
	pid_t pid;

	NEED_MODULE();
	other_pid = fork();
	ASSERT_LE(0, other_pid);
	if (other_pid == 0)
		_exit(0);
	ASSERT_EQ(0, pu_wait_zombie(other_pid));
	c.other = pu_open(other_pid, 0);
	ASSERT_LE(0, c.other);
	pid = pu_spawn(0, p);
	ASSERT_LE(0, pid);
	c.obj = pu_open(pid, 0);
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
		pu_sleep_ms(10);
	}
	pu_sleep_ms(500);
	pthread_mutex_lock(&c.lock);
	EXPECT_EQ(0, c.finished);
	pthread_mutex_unlock(&c.lock);
	pu_release(p);
	t0 = pu_now();
	for (;;) {
		pthread_mutex_lock(&c.lock);
		done = c.finished;
		pthread_mutex_unlock(&c.lock);
		if (done == NWAITERS)
			break;
		if (t0 + 30 * PU_SEC < pu_now())
			ASSERT_EQ(NWAITERS, done);
		pu_sleep_ms(10);
	}
	for (i = 0; i < NWAITERS; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(0, c.failed);
	waitpid(pid, NULL, 0);
	waitpid(other_pid, NULL, 0);
	close(c.obj);
	close(c.other);
}

/* Active objects of slab caches whose name starts with @prefix, or -1. */
static long slab_active(const char *prefix)
{
	char line[512], name[128];
	long active, total = -1;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %ld", name, &active) != 2)
			continue;
		if (strncmp(name, prefix, strlen(prefix)))
			continue;
		if (!strcmp(prefix, "pid") && strcmp(name, "pid"))
			continue;
		total = (total < 0 ? 0 : total) + active;
	}
	fclose(f);
	return total;
}

#define FORK_CYCLES	1000
#define OPEN_CYCLES	4000

FIXTURE(cycles) {
	long refs0, pid0, cg0;
};

FIXTURE_SETUP(cycles)
{
	self->refs0 = pu_module_refs();
	self->pid0 = slab_active("pid");
	self->cg0 = slab_active("kmalloc-cg-");
	TH_LOG("before: module refs %ld, pid objects %ld, kmalloc-cg objects %ld",
	       self->refs0, self->pid0, self->cg0);
}

/* Counts come back (RCU frees struct pid late: give it a few seconds). */
FIXTURE_TEARDOWN(cycles)
{
	long refs1 = -1, pid1 = -1, cg1 = -1;
	long slack = FORK_CYCLES / 4;
	int i;

	for (i = 0; i < 50; i++) {
		refs1 = pu_module_refs();
		pid1 = slab_active("pid");
		cg1 = slab_active("kmalloc-cg-");
		if (refs1 == self->refs0 && pid1 < self->pid0 + slack &&
		    cg1 < self->cg0 + slack)
			break;
		pu_sleep_ms(100);
	}
	TH_LOG("after: module refs %ld, pid objects %ld, kmalloc-cg objects %ld",
	       refs1, pid1, cg1);
	if (self->refs0 >= 0) {
		EXPECT_EQ(self->refs0, refs1);
	}
	if (self->pid0 >= 0) {
		EXPECT_GT(self->pid0 + slack, pid1);
	} else {
		TH_LOG("no pid cache in /proc/slabinfo: not checked");
	}
	if (self->cg0 >= 0) {
		EXPECT_GT(self->cg0 + slack, cg1);
	}
}

/* Each cycle a new process: a leaked struct pid reference would show. */
TEST_F_TIMEOUT(cycles, fork_open_wait_close, 110)
{
	struct mailslot_proc_exit ex;
	int i, obj, fds[2];
	pid_t pid;

	NEED_MODULE();
	for (i = 0; i < FORK_CYCLES; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0)
			_exit(i & 0x7f);
		obj = pu_open(pid, i & 1 ? MAILSLOT_PROC_NONBLOCK : 0);
		ASSERT_LE(0, obj) TH_LOG("cycle %d: %s", i, strerror(-obj));
		fds[0] = obj;
		fds[1] = pu_open(getpid(), 0);
		ASSERT_LE(0, fds[1]);
		ASSERT_EQ(0, pu_wait(fds, 2, 0, MAILSLOT_TIMEOUT_INFINITE));
		ASSERT_EQ(PU_EXSZ, pu_read(obj, &ex));
		ASSERT_EQ(i & 0x7f, WEXITSTATUS(ex.status));
		close(fds[1]);
		if (i & 2) {
			ASSERT_EQ(pid, waitpid(pid, NULL, 0));
			close(obj);
		} else {
			close(obj);
			ASSERT_EQ(pid, waitpid(pid, NULL, 0));
		}
	}
}

/* Thousands of objects opened and closed on one running process. */
TEST_F_TIMEOUT(cycles, open_close_running, 110)
{
	int p[2], i, obj;
	pid_t pid;

	NEED_MODULE();
	pid = pu_spawn(0, p);
	ASSERT_LE(0, pid);
	for (i = 0; i < OPEN_CYCLES; i++) {
		obj = pu_open(pid, 0);
		ASSERT_LE(0, obj) TH_LOG("cycle %d: %s", i, strerror(-obj));
		if (i % 64 == 0)
			ASSERT_EQ(-ETIMEDOUT, pu_wait(&obj, 1, 0, 0));
		close(obj);
	}
	pu_release(p);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
}

TEST_HARNESS_MAIN
