// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * pidfd_test: mailslot_proc_open_pidfd(), by each way of reading a pidfd's
 * number the kernel offers (PIDFD_GET_INFO on 6.13+, fdinfo everywhere):
 * the object is the pidfd's process while it runs and as a zombie, a
 * reaped process is ESRCH, and a number reused between the look and the
 * open (forced through ns_last_pid) never gives the new process's object.
 * Also `mailslot wait --pidfd`.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libmailslot.h"
#include "../src/internal.h"
#include "mailslot_test.h"
#include "kselftest_harness.h"

FIXTURE(route) {
	const char *why_not;	/* the route is not available: skip */
};

FIXTURE_VARIANT(route) {
	enum ms_pidfd_route route;
};

FIXTURE_VARIANT_ADD(route, fdinfo) {
	.route = MS_PIDFD_FDINFO,
};

FIXTURE_VARIANT_ADD(route, ioctl) {
	.route = MS_PIDFD_IOCTL,
};

FIXTURE_VARIANT_ADD(route, automatic) {
	.route = MS_PIDFD_AUTO,
};

FIXTURE_SETUP(route)
{
	int pidfd, fd;

	self->why_not = NULL;
	if (!mst_have_module())
		return;
	pidfd = mst_pidfd_open(getpid());
	if (pidfd < 0) {
		self->why_not = "pidfd_open(2) failed (Linux 5.3+)";
		return;
	}
	fd = ms_proc_open_pidfd(pidfd, 0, variant->route, NULL, NULL);
	if (fd == -EOPNOTSUPP)
		self->why_not = variant->route == MS_PIDFD_IOCTL ?
			"no PIDFD_GET_INFO on pidfs in this kernel (6.13+)" :
			"no /proc of our pid namespace";
	else
		ASSERT_LE(0, fd) TH_LOG("own pidfd: %s", strerror(-fd));
	if (fd >= 0) {
		EXPECT_EQ(0, mst_signaled(fd));
		close(fd);
	}
	close(pidfd);
}

FIXTURE_TEARDOWN(route)
{
}

#define NEED_ROUTE() do {						\
	MST_NEED_MODULE();							\
	if (self->why_not)						\
		SKIP(return, "%s", self->why_not);			\
} while (0)

TEST_F(route, running_then_exit)
{
	struct mailslot_proc_exit ex;
	int wfd[2], pidfd, obj, wstatus;
	pid_t pid;

	NEED_ROUTE();
	pid = mst_spawn(7, wfd);
	ASSERT_LT(0, pid);
	pidfd = mst_pidfd_open(pid);
	ASSERT_LE(0, pidfd);
	obj = ms_proc_open_pidfd(pidfd, MAILSLOT_PROC_NONBLOCK, variant->route,
				 NULL, NULL);
	ASSERT_LE(0, obj) TH_LOG("%s", strerror(-obj));
	EXPECT_EQ(-EAGAIN, mailslot_proc_status(obj, NULL));
	EXPECT_EQ(O_NONBLOCK, fcntl(obj, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(FD_CLOEXEC, fcntl(obj, F_GETFD));
	mst_release(wfd);
	EXPECT_EQ(0, mailslot_wait_one(obj, 20000));
	EXPECT_EQ(7 << 8, mailslot_proc_status(obj, &ex));
	EXPECT_EQ((__u32)pid, ex.pid);
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	EXPECT_EQ(wstatus, ex.status);
	close(obj);
	close(pidfd);
}

TEST_F(route, zombie_is_signaled_from_birth)
{
	struct mailslot_proc_exit ex;
	int wfd[2], pidfd, obj;
	pid_t pid;

	NEED_ROUTE();
	pid = mst_spawn(11, wfd);
	ASSERT_LT(0, pid);
	pidfd = mst_pidfd_open(pid);
	ASSERT_LE(0, pidfd);
	mst_release(wfd);
	ASSERT_EQ(0, mst_wait_exited(pid));
	obj = ms_proc_open_pidfd(pidfd, 0, variant->route, NULL, NULL);
	ASSERT_LE(0, obj) TH_LOG("%s", strerror(-obj));
	EXPECT_EQ(1, mst_signaled(obj));
	EXPECT_EQ(11 << 8, mailslot_proc_status(obj, &ex));
	EXPECT_EQ((__u32)pid, ex.pid);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	close(obj);
	close(pidfd);
}

TEST_F(route, reaped_is_esrch)
{
	int wfd[2], pidfd;
	pid_t pid;

	NEED_ROUTE();
	pid = mst_spawn(1, wfd);
	ASSERT_LT(0, pid);
	pidfd = mst_pidfd_open(pid);
	ASSERT_LE(0, pidfd);
	mst_release(wfd);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_EQ(-ESRCH, ms_proc_open_pidfd(pidfd, 0, variant->route, NULL, NULL));
	close(pidfd);
}

struct reuse {
	pid_t old;		/* the pidfd's process, still running */
	int old_wfd[2];
	pid_t young;		/* the number's next owner, or the error */
	int young_wfd[2];
	const char *skip;
};

/*
 * Between the look and the open: the old process exits and is reaped, and
 * a new one takes its number (ns_last_pid set just below it).
 */
static void reuse_between(void *arg)
{
	struct reuse *r = arg;
	char buf[32];
	int fd;

	mst_release(r->old_wfd);
	if (waitpid(r->old, NULL, 0) != r->old) {
		r->skip = "waitpid failed";
		return;
	}
	fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		r->skip = "ns_last_pid not writable (needs root)";
		return;
	}
	snprintf(buf, sizeof(buf), "%d", r->old - 1);
	if (write(fd, buf, strlen(buf)) < 0)
		r->skip = "ns_last_pid write failed";
	close(fd);
	r->young = mst_spawn(22, r->young_wfd);
}

TEST_F(route, reused_number_is_never_the_new_process)
{
	struct reuse r = { .old_wfd = { -1, -1 }, .young_wfd = { -1, -1 } };
	int pidfd, obj;

	NEED_ROUTE();
	r.old = mst_spawn(21, r.old_wfd);
	ASSERT_LT(0, r.old);
	pidfd = mst_pidfd_open(r.old);
	ASSERT_LE(0, pidfd);
	obj = ms_proc_open_pidfd(pidfd, 0, variant->route, reuse_between, &r);
	if (r.young > 0) {
		mst_release(r.young_wfd);
		waitpid(r.young, NULL, 0);
	}
	close(pidfd);
	if (r.skip || r.young != r.old) {
		if (obj >= 0)
			close(obj);
		SKIP(return, "pid %d not reused: %s (got %d)", r.old,
		     r.skip ? r.skip : "taken meanwhile", r.young);
	}
	TH_LOG("pid %d reused between the look and the open", r.old);
	EXPECT_EQ(-ESRCH, obj);
	if (obj >= 0)
		close(obj);
}

TEST(bad_arguments)
{
	int efd, p[2], closed, pidfd;

	EXPECT_EQ(-EBADF, mailslot_proc_open_pidfd(-1, 0));
	closed = dup(0);
	ASSERT_LE(0, closed);
	close(closed);
	EXPECT_EQ(-EBADF, mailslot_proc_open_pidfd(closed, 0));
	pidfd = mst_pidfd_open(getpid());
	if (pidfd >= 0) {
		EXPECT_EQ(-EINVAL, mailslot_proc_open_pidfd(pidfd, 2));
		close(pidfd);
	}
	MST_NEED_MODULE();
	/* files that are not pidfds, pidfs or not */
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	EXPECT_EQ(-EINVAL, mailslot_proc_open_pidfd(efd, 0));
	close(efd);
	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-EINVAL, mailslot_proc_open_pidfd(p[0], 0));
	close(p[0]);
	close(p[1]);
}

/* Run `mailslot wait --pidfd 5 ARGS` with @pidfd as fd 5; its stdout. */
static int run_tool(int pidfd, const char *extra, char *out, size_t len)
{
	int o[2], wstatus;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(o))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(o[1], 1);
		if (dup2(pidfd, 5) != 5)
			_exit(126);
		execlp("mailslot", "mailslot", "wait", "--pidfd", "5",
		       "--timeout", "20000", extra, (char *)NULL);
		_exit(127);
	}
	close(o[1]);
	while ((n = read(o[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	close(o[0]);
	if (waitpid(pid, &wstatus, 0) != pid || !WIFEXITED(wstatus))
		return -1;
	return WEXITSTATUS(wstatus);
}

TEST(tool_wait_pidfd)
{
	char out[256], want[64];
	int wfd[2], pidfd, rc;
	pid_t pid;

	MST_NEED_MODULE();
	if (access("/proc/self/fdinfo", F_OK))
		SKIP(return, "no /proc");
	pid = mst_spawn(4, wfd);
	ASSERT_LT(0, pid);
	pidfd = mst_pidfd_open(pid);
	if (pidfd < 0) {
		mst_release(wfd);
		waitpid(pid, NULL, 0);
		SKIP(return, "pidfd_open: %s", strerror(errno));
	}
	/* the child exits while the tool waits: the write end goes too */
	rc = fork();
	ASSERT_LE(0, rc);
	if (rc == 0) {
		mst_sleep_ms(200);
		mst_release(wfd);
		_exit(0);
	}
	close(wfd[1]);
	rc = run_tool(pidfd, NULL, out, sizeof(out));
	EXPECT_EQ(0, rc) TH_LOG("mailslot wait: %d, %s", rc, out);
	snprintf(want, sizeof(want), "%d exited 4\n", pid);
	EXPECT_STREQ(want, out);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	wait(NULL);
	/* reaped: an error, exit status 1 */
	EXPECT_EQ(1, run_tool(pidfd, NULL, out, sizeof(out)));
	EXPECT_STREQ("", out);
	close(pidfd);
}

TEST_HARNESS_MAIN
