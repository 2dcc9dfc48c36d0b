// SPDX-License-Identifier: GPL-2.0
/*
 * MAILSLOT_IOC_WAIT over files that are not the module's: pidfds (signaled
 * once their process has exited), and any other file that can be polled
 * (signaled while it polls readable, POLLHUP and POLLERR included), mixed
 * with slot readers and process objects in wait-any and wait-all.  Files
 * that cannot be polled stay refused (badinput_test).
 */
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

#define NEED_PIDFD(fd) do {						\
		if ((fd) < 0)						\
			SKIP(return, "pidfd_open: %s", strerror(errno)); \
	} while (0)

/* Let @p go after @ms milliseconds, from a thread. */
struct later {
	int *pipefd;
	unsigned int ms;
	pthread_t th;
};

static void *later_fn(void *arg)
{
	struct later *l = arg;

	mst_sleep_ms(l->ms);
	mst_release(l->pipefd);
	return NULL;
}

static int release_later(struct later *l, int *pipefd, unsigned int ms)
{
	l->pipefd = pipefd;
	l->ms = ms;
	return pthread_create(&l->th, NULL, later_fn, l);
}

/* A pidfd wakes a waiter when its process exits; the wait reaps nothing. */
TEST(pidfd_alone)
{
	struct later l;
	int p[2], pidfd, wstatus;
	uint64_t t0, dt;
	pid_t pid;

	MST_NEED_MODULE();
	pid = mst_spawn(17, p);
	ASSERT_LE(0, pid);
	pidfd = mst_pidfd_open(pid);
	if (pidfd < 0) {
		mst_release(p);
		waitpid(pid, NULL, 0);
	}
	NEED_PIDFD(pidfd);
	EXPECT_EQ(-ETIMEDOUT, mst_wait(&pidfd, 1, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(&pidfd, 1, MAILSLOT_WAIT_ALL, 50 * MST_MS));
	ASSERT_EQ(0, release_later(&l, p, 300));
	t0 = mst_now_ns();
	EXPECT_EQ(0, mst_wait(&pidfd, 1, 0, 20 * MST_SEC));
	dt = mst_now_ns() - t0;
	EXPECT_LE(200 * MST_MS, dt);	/* it blocked */
	EXPECT_GT(15 * MST_SEC, dt);	/* and woke at the exit */
	pthread_join(l.th, NULL);
	/* still signaled, still a zombie: waiting consumed nothing */
	EXPECT_EQ(0, mst_wait(&pidfd, 1, MAILSLOT_WAIT_ALL, 0));
	EXPECT_EQ('Z', mst_state(pid));
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	EXPECT_EQ(17, WEXITSTATUS(wstatus));
	/* reaped: signaled for good */
	EXPECT_EQ(0, mst_wait(&pidfd, 1, 0, 0));
	close(pidfd);
}

/* A pidfd of a zombie is signaled at once. */
TEST(pidfd_of_zombie)
{
	int pidfd;
	pid_t pid = fork();

	MST_NEED_MODULE();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(3);
	ASSERT_EQ(0, mst_wait_zombie(pid));
	pidfd = mst_pidfd_open(pid);
	if (pidfd < 0)
		waitpid(pid, NULL, 0);
	NEED_PIDFD(pidfd);
	EXPECT_EQ(0, mst_wait(&pidfd, 1, 0, 0));
	EXPECT_EQ(0, mst_wait(&pidfd, 1, MAILSLOT_WAIT_ALL, 0));
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	close(pidfd);
}

struct mixed {
	char name[128];
	int srv, w;		/* a slot: its server (a reader), a writer */
	int pa[2], pb[2];	/* children A and B */
	pid_t a, b;
	int obj_a;		/* process object of A */
	int pidfd_b;		/* pidfd of B */
	int fds[3];		/* reader, object of A, pidfd of B */
};

static int mixed_setup(struct mixed *m)
{
	snprintf(m->name, sizeof(m->name), "%s", mst_name("wait-pidfd-m"));
	m->srv = mst_slot_create_flags(m->name, MAILSLOT_CREATE_NONBLOCK);
	if (m->srv < 0)
		return -1;
	m->w = mst_slot_open(m->name, O_WRONLY);
	m->a = mst_spawn(5, m->pa);
	m->b = mst_spawn(6, m->pb);
	if (m->w < 0 || m->a < 0 || m->b < 0)
		return -1;
	m->obj_a = mst_proc_open(m->a, 0);
	m->pidfd_b = mst_pidfd_open(m->b);
	if (m->obj_a < 0)
		return -1;
	m->fds[0] = m->srv;
	m->fds[1] = m->obj_a;
	m->fds[2] = m->pidfd_b;
	return 0;
}

static void mixed_teardown(struct mixed *m)
{
	mst_release(m->pa);
	mst_release(m->pb);
	if (m->a > 0)
		waitpid(m->a, NULL, 0);
	if (m->b > 0)
		waitpid(m->b, NULL, 0);
	close(m->obj_a);
	close(m->pidfd_b);
	close(m->w);
	close(m->srv);
}

/* Wait-any over a reader, a process object and a pidfd. */
TEST(any_mixed)
{
	struct mixed m;
	struct later l;
	uint64_t t0;
	char buf[8];

	MST_NEED_MODULE();
	memset(&m, 0, sizeof(m));
	ASSERT_EQ(0, mixed_setup(&m));
	if (m.pidfd_b < 0)
		mixed_teardown(&m);
	NEED_PIDFD(m.pidfd_b);
	EXPECT_EQ(-ETIMEDOUT, mst_wait(m.fds, 3, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(m.fds, 3, 0, 100 * MST_MS));
	/* B (the pidfd) exits while we wait: index 2 */
	ASSERT_EQ(0, release_later(&l, m.pb, 200));
	t0 = mst_now_ns();
	EXPECT_EQ(2, mst_wait(m.fds, 3, 0, 20 * MST_SEC));
	EXPECT_LE(100 * MST_MS, mst_now_ns() - t0);
	pthread_join(l.th, NULL);
	/* a message: the lowest signaled index wins */
	ASSERT_EQ(1, write(m.w, "x", 1));
	EXPECT_EQ(0, mst_wait(m.fds, 3, 0, 0));
	ASSERT_EQ(1, read(m.srv, buf, sizeof(buf)));
	EXPECT_EQ(2, mst_wait(m.fds, 3, 0, 0));
	/* A (the object) exits: index 1, below the pidfd's */
	mst_release(m.pa);
	EXPECT_EQ(1, mst_wait(&m.obj_a, 1, 0, 20 * MST_SEC) + 1);
	EXPECT_EQ(1, mst_wait(m.fds, 3, 0, 0));
	mixed_teardown(&m);
}

/* Wait-all over a reader, a process object and a pidfd. */
TEST(all_mixed)
{
	struct mixed m;
	struct later l;
	uint64_t t0;
	char buf[8];

	MST_NEED_MODULE();
	memset(&m, 0, sizeof(m));
	ASSERT_EQ(0, mixed_setup(&m));
	if (m.pidfd_b < 0)
		mixed_teardown(&m);
	NEED_PIDFD(m.pidfd_b);
	ASSERT_EQ(1, write(m.w, "x", 1));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(m.fds, 3, MAILSLOT_WAIT_ALL, 0));
	mst_release(m.pa);
	ASSERT_EQ(m.a, waitpid(m.a, NULL, 0));
	m.a = 0;
	/* reader and A signaled, B (the pidfd) still running */
	EXPECT_EQ(-ETIMEDOUT, mst_wait(m.fds, 3, MAILSLOT_WAIT_ALL, 100 * MST_MS));
	ASSERT_EQ(0, release_later(&l, m.pb, 200));
	t0 = mst_now_ns();
	EXPECT_EQ(0, mst_wait(m.fds, 3, MAILSLOT_WAIT_ALL, 20 * MST_SEC));
	EXPECT_LE(100 * MST_MS, mst_now_ns() - t0);
	pthread_join(l.th, NULL);
	/* the reader empties: no longer all */
	ASSERT_EQ(1, read(m.srv, buf, sizeof(buf)));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(m.fds, 3, MAILSLOT_WAIT_ALL, 0));
	EXPECT_EQ(1, mst_wait(m.fds, 3, 0, 0));
	mixed_teardown(&m);
}

/* Any pollable file: an eventfd and a pipe (POLLIN, then POLLHUP). */
TEST(other_pollable_files)
{
	int efd, p[2], fds[2];
	uint64_t one = 1;
	char c;

	MST_NEED_MODULE();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, pipe(p));
	fds[0] = efd;
	fds[1] = p[0];
	EXPECT_EQ(-ETIMEDOUT, mst_wait(fds, 2, 0, 50 * MST_MS));
	ASSERT_EQ(8, write(efd, &one, 8));
	EXPECT_EQ(0, mst_wait(fds, 2, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(fds, 2, MAILSLOT_WAIT_ALL, 0));
	ASSERT_EQ(1, write(p[1], "y", 1));
	EXPECT_EQ(0, mst_wait(fds, 2, MAILSLOT_WAIT_ALL, 0));
	/* consumed by a read: not signaled any more */
	ASSERT_EQ(8, read(efd, &one, 8));
	EXPECT_EQ(1, mst_wait(fds, 2, 0, 0));
	ASSERT_EQ(1, read(p[0], &c, 1));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(fds + 1, 1, 0, 0));
	/* the writer closes: a read would return end of file, signaled */
	close(p[1]);
	EXPECT_EQ(0, mst_wait(fds + 1, 1, 0, 0));
	close(p[0]);
	close(efd);
}

/* An eventfd written by another thread wakes a blocked wait-all. */
static void *write_later(void *arg)
{
	uint64_t one = 1;

	mst_sleep_ms(200);
	if (write(*(int *)arg, &one, 8) != 8)
		perror("eventfd write");
	return NULL;
}

TEST(foreign_wakes_wait_all)
{
	const char *name = mst_name("wait-pidfd-e");
	int efd, srv, w, fds[2];
	pthread_t th;
	uint64_t t0;

	MST_NEED_MODULE();
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	srv = mst_slot_create_flags(name, MAILSLOT_CREATE_NONBLOCK);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, write(w, "m", 1));
	fds[0] = srv;
	fds[1] = efd;
	ASSERT_EQ(0, pthread_create(&th, NULL, write_later, &efd));
	t0 = mst_now_ns();
	EXPECT_EQ(0, mst_wait(fds, 2, MAILSLOT_WAIT_ALL, 20 * MST_SEC));
	EXPECT_LE(100 * MST_MS, mst_now_ns() - t0);
	pthread_join(th, NULL);
	close(w);
	close(srv);
	close(efd);
}

TEST_HARNESS_MAIN
