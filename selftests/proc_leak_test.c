// SPDX-License-Identifier: GPL-2.0
/*
 * Process objects leave nothing behind: thousands of
 * open/wait/close cycles, also racing with the exit, and afterwards the
 * module's reference count, the struct pid cache and the accounted kmalloc
 * caches are back where they were (the guest boots with slub_debug, so
 * these caches are not merged with others).
 */
#include <pthread.h>
#include <sys/resource.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

#define FORK_CYCLES	1000
#define OPEN_CYCLES	4000
/* Time budget per test: the whole program must stay inside 120 s. */
#define BUDGET		(25 * MST_SEC)

FIXTURE(cycles) {
	long refs0, pid0, cg0;
	int ctl;
};

FIXTURE_SETUP(cycles)
{
	self->ctl = mst_control();
	ASSERT_LE(0, self->ctl);
	self->refs0 = mst_module_refs();
	self->pid0 = mst_slab_active("pid");
	self->cg0 = mst_slab_active("kmalloc-cg-");
	TH_LOG("before: module refs %ld, pid objects %ld, kmalloc-cg objects %ld",
	       self->refs0, self->pid0, self->cg0);
}

/* Counts come back (RCU frees struct pid late: give it a few seconds). */
FIXTURE_TEARDOWN(cycles)
{
	long refs1 = -1, pid1 = -1, cg1 = -1;
	long slack = FORK_CYCLES / 4;
	int i;

	if (self->ctl < 0)
		return;

	for (i = 0; i < 50; i++) {
		refs1 = mst_module_refs();
		pid1 = mst_slab_active("pid");
		cg1 = mst_slab_active("kmalloc-cg-");
		if (refs1 == self->refs0 && pid1 < self->pid0 + slack &&
		    cg1 < self->cg0 + slack)
			break;
		mst_sleep_ms(100);
	}
	TH_LOG("after: module refs %ld, pid objects %ld, kmalloc-cg objects %ld",
	       refs1, pid1, cg1);
	close(self->ctl);
	if (self->refs0 >= 0) {
		EXPECT_EQ(self->refs0, refs1);
	}
	if (mst_debug_kernel()) {
		TH_LOG("debug kernel: slab counts not checked (quarantine)");
		goto out;
	}
	if (self->pid0 >= 0) {
		EXPECT_GT(self->pid0 + slack, pid1);
	} else {
		TH_LOG("no pid cache in /proc/slabinfo: not checked");
	}
	if (self->cg0 >= 0) {
		EXPECT_GT(self->cg0 + slack, cg1);
	}
out:
}

/* Each cycle a new process: a leaked struct pid reference would show. */
TEST_F_TIMEOUT(cycles, fork_open_wait_close, 600)
{
	uint64_t deadline = mst_now_ns() + BUDGET;
	struct mailslot_proc_exit ex;
	int i, obj, fds[2];
	pid_t pid;

	MST_NEED_MODULE();
	for (i = 0; mst_more(i, FORK_CYCLES, 100, deadline); i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0)
			_exit(i & 0x7f);
		obj = mst_proc_open_at(self->ctl, pid,
				 i & 1 ? MAILSLOT_PROC_NONBLOCK : 0);
		ASSERT_LE(0, obj) TH_LOG("cycle %d: %s", i, strerror(-obj));
		fds[0] = obj;
		fds[1] = mst_proc_open_at(self->ctl, getpid(), 0);
		ASSERT_LE(0, fds[1]);
		ASSERT_EQ(0, mst_wait(fds, 2, 0, MAILSLOT_TIMEOUT_INFINITE));
		ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
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
TEST_F_TIMEOUT(cycles, open_close_running, 600)
{
	uint64_t deadline = mst_now_ns() + BUDGET;
	int p[2], i, obj;
	pid_t pid;

	MST_NEED_MODULE();
	pid = mst_spawn(0, p);
	ASSERT_LE(0, pid);
	for (i = 0; mst_more(i, OPEN_CYCLES, 500, deadline); i++) {
		obj = mst_proc_open_at(self->ctl, pid, 0);
		ASSERT_LE(0, obj) TH_LOG("cycle %d: %s", i, strerror(-obj));
		if (i % 64 == 0)
			ASSERT_EQ(-ETIMEDOUT, mst_wait(&obj, 1, 0, 0));
		close(obj);
	}
	mst_release(p);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
}

struct closer_ctx {
	int *fds;
	int n;
};

static void *close_all(void *arg)
{
	struct closer_ctx *c = arg;
	int i;

	for (i = 0; i < c->n; i++)
		close(c->fds[i]);
	return NULL;
}

/*
 * Objects released while their process exits: release and the wake
 * callback race on the pid's wait queue lock, many times over.
 */
TEST_F_TIMEOUT(cycles, close_while_exiting, 600)
{
	static int fds[256];
	struct closer_ctx c = { .fds = fds, .n = 256 };
	uint64_t deadline = mst_now_ns() + BUDGET;
	int round, i, p[2];
	pthread_t th;
	pid_t pid;

	MST_NEED_MODULE();
	ASSERT_EQ(0, mst_raise_nofile(1024));
	for (round = 0; mst_more(round, 10, 2, deadline); round++) {
		pid = mst_spawn(round, p);
		ASSERT_LE(0, pid);
		for (i = 0; i < c.n; i++) {
			fds[i] = mst_proc_open_at(self->ctl, pid, 0);
			ASSERT_LE(0, fds[i]);
		}
		ASSERT_EQ(0, pthread_create(&th, NULL, close_all, &c));
		mst_release(p);
		ASSERT_EQ(0, pthread_join(th, NULL));
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	}
}

TEST_HARNESS_MAIN
