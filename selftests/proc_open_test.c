// SPDX-License-Identifier: GPL-2.0
/*
 * Process objects: opening them (errors, permission with dropped
 * privileges, zombies, identity across pid reuse).
 */
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

TEST(bad_arguments)
{
	struct mailslot_proc_open po;
	int ctl;

	MST_NEED_MODULE();
	ctl = mst_control();
	ASSERT_LE(0, ctl);
	EXPECT_EQ(-1, ioctl(ctl, MAILSLOT_IOC_PROC_OPEN, NULL));
	EXPECT_EQ(EFAULT, errno);
	memset(&po, 0, sizeof(po));
	po.pid = getpid();
	po.flags = 2;
	EXPECT_EQ(-1, ioctl(ctl, MAILSLOT_IOC_PROC_OPEN, &po));
	EXPECT_EQ(EINVAL, errno);
	po.flags = 0;
	po.reserved = 1ULL << 63;
	EXPECT_EQ(-1, ioctl(ctl, MAILSLOT_IOC_PROC_OPEN, &po));
	EXPECT_EQ(EINVAL, errno);
	close(ctl);

	EXPECT_EQ(-ESRCH, mst_proc_open(0, 0));
	EXPECT_EQ(-ESRCH, mst_proc_open(-1, 0));
	EXPECT_EQ(-ESRCH, mst_proc_open(0x7fffffff, 0));
}

static void *tid_thread(void *arg)
{
	*(volatile pid_t *)arg = syscall(SYS_gettid);
	pause();
	return NULL;
}

TEST(thread_id_is_einval)
{
	volatile pid_t tid = 0;
	pthread_t th;
	int obj;

	MST_NEED_MODULE();
	ASSERT_EQ(0, pthread_create(&th, NULL, tid_thread, (void *)&tid));
	while (!tid)
		mst_sleep_ms(1);
	EXPECT_EQ(-EINVAL, mst_proc_open(tid, 0));
	/* the leader's id is fine: ourselves (never signaled while we run) */
	obj = mst_proc_open(getpid(), 0);
	ASSERT_LE(0, obj);
	EXPECT_EQ(0, mst_signaled(obj));
	close(obj);
	pthread_cancel(th);
	pthread_join(th, NULL);
}

TEST(reaped_is_esrch)
{
	pid_t pid = fork();

	MST_NEED_MODULE();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_EQ(-ESRCH, mst_proc_open(pid, 0));
}

/* A zombie (exited, not yet reaped) gives an object signaled from birth. */
TEST(zombie_signaled_from_birth)
{
	struct mailslot_proc_exit ex;
	int obj, wstatus;
	pid_t pid;

	MST_NEED_MODULE();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(23);
	ASSERT_EQ(0, mst_wait_zombie(pid));
	obj = mst_proc_open(pid, MAILSLOT_PROC_NONBLOCK);
	ASSERT_LE(0, obj);
	EXPECT_EQ(1, mst_signaled(obj));
	EXPECT_EQ(0, mst_wait(&obj, 1, 0, 0));
	ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
	EXPECT_EQ((__u32)pid, ex.pid);
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	EXPECT_EQ(wstatus, ex.status);
	EXPECT_EQ(23, WEXITSTATUS(ex.status));
	close(obj);
}

/*
 * Identity: after the reap, the object still reports the old process; a
 * new process given the same number (forced through ns_last_pid when we
 * may write it) is a different object.
 */
TEST(pid_reuse_keeps_identity)
{
	struct mailslot_proc_exit ex;
	int p[2], q[2], old, young, fd, wstatus;
	pid_t pid, again;
	char buf[32];

	MST_NEED_MODULE();
	pid = mst_spawn(31, p);
	ASSERT_LE(0, pid);
	old = mst_proc_open(pid, 0);
	ASSERT_LE(0, old);
	mst_release(p);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_EQ(-ESRCH, mst_proc_open(pid, 0));

	fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	if (fd < 0)
		SKIP(goto out, "ns_last_pid: %s", strerror(errno));
	snprintf(buf, sizeof(buf), "%d", pid - 1);
	if (write(fd, buf, strlen(buf)) < 0) {
		close(fd);
		SKIP(goto out, "ns_last_pid write: %s", strerror(errno));
	}
	close(fd);
	again = mst_spawn(32, q);
	ASSERT_LE(0, again);
	if (again != pid) {
		mst_release(q);
		waitpid(again, NULL, 0);
		SKIP(goto out, "pid %d not reused (got %d)", pid, again);
	}
	TH_LOG("pid %d reused", pid);
	young = mst_proc_open(again, 0);
	ASSERT_LE(0, young);
	/* the old object is still signaled with the old status */
	EXPECT_EQ(1, mst_signaled(old));
	EXPECT_EQ(0, mst_signaled(young));
	ASSERT_EQ(MST_EXSZ, mst_proc_read(old, &ex));
	EXPECT_EQ(31, WEXITSTATUS(ex.status));
	mst_release(q);
	ASSERT_EQ(again, waitpid(again, &wstatus, 0));
	ASSERT_EQ(MST_EXSZ, mst_proc_read(young, &ex));
	EXPECT_EQ(32, WEXITSTATUS(ex.status));
	EXPECT_EQ((__u32)again, ex.pid);
	ASSERT_EQ(MST_EXSZ, mst_proc_read(old, &ex));
	EXPECT_EQ(31, WEXITSTATUS(ex.status));
	close(young);
out:
	close(old);
}

/*
 * pid namespaces: numbers are looked up in the caller's namespace, and
 * read(2) reports the pid as the reader sees it (0 when it cannot).
 */
TEST(pid_namespaces)
{
	int p[2], outside, wstatus;
	pid_t outsider, child;

	MST_NEED_MODULE();
	if (geteuid() != 0)
		SKIP(return, "needs root for CLONE_NEWPID");
	outsider = mst_spawn(44, p);
	ASSERT_LE(0, outsider);
	outside = mst_proc_open(outsider, 0);
	ASSERT_LE(0, outside);
	mst_release(p);
	ASSERT_EQ(outsider, waitpid(outsider, NULL, 0));

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		struct mailslot_proc_exit ex;
		int obj, inner;
		pid_t init, kid;

		if (unshare(CLONE_NEWPID))
			_exit(10);
		init = fork();
		if (init < 0)
			_exit(11);
		if (init > 0) {
			if (waitpid(init, &wstatus, 0) != init ||
			    !WIFEXITED(wstatus))
				_exit(12);
			_exit(WEXITSTATUS(wstatus));
		}
		/* pid 1 of the new namespace */
		if (getpid() != 1)
			_exit(13);
		/* the outsider's object: signaled, pid not visible here */
		if (mst_proc_read(outside, &ex) != MST_EXSZ || ex.pid != 0 ||
		    WEXITSTATUS(ex.status) != 44)
			_exit(14);
		/* the outsider's number means nothing (or another) here */
		kid = fork();
		if (kid < 0)
			_exit(15);
		if (kid == 0)
			_exit(45);
		obj = mst_proc_open(kid, 0);
		if (obj < 0)
			_exit(16);
		if (mst_wait(&obj, 1, 0, 10 * MST_SEC) != 0)
			_exit(17);
		if (mst_proc_read(obj, &ex) != MST_EXSZ || ex.pid != (__u32)kid ||
		    kid != 2 || WEXITSTATUS(ex.status) != 45)
			_exit(18);
		inner = mst_proc_open(1, 0);	/* ourselves, by our inner number */
		if (inner < 0 || mst_signaled(inner) != 0)
			_exit(19);
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &wstatus, 0));
	EXPECT_TRUE(WIFEXITED(wstatus));
	EXPECT_EQ(0, WEXITSTATUS(wstatus));
	close(outside);
}

/* Run @fn in a child that dropped to @r/@e/@s; returns its exit code. */
static int as_user(uid_t r, uid_t e, uid_t s, int (*fn)(void *), void *arg)
{
	int wstatus;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* dumpable, as a process the user started would be */
		if (mst_drop_uids(r, e, s) || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
			_exit(100);
		_exit(fn(arg));
	}
	if (waitpid(pid, &wstatus, 0) != pid || !WIFEXITED(wstatus))
		return -1;
	return WEXITSTATUS(wstatus);
}

/* 0 when opening *(pid_t *)arg gives errno *(arg + 1) (0 = success). */
static int try_open(void *arg)
{
	const int *a = arg;
	int r = mst_proc_open(a[0], 0);

	if (r >= 0)
		return a[1] == 0 ? 0 : 1;
	return -r == a[1] ? 0 : 2;
}

/* As uid 1000: its own child opens; an own grandchild too. */
static int own_processes(void *arg)
{
	int p[2], obj, ok;
	pid_t pid;

	(void)arg;
	obj = mst_proc_open(getpid(), 0);
	if (obj < 0)
		return 3;
	close(obj);
	pid = mst_spawn(4, p);
	if (pid < 0)
		return 4;
	obj = mst_proc_open(pid, 0);
	mst_release(p);
	waitpid(pid, NULL, 0);
	if (obj < 0)
		return 5;
	ok = mst_wait(&obj, 1, 0, 10 * MST_SEC) == 0;
	close(obj);
	return ok ? 0 : 6;
}

/* As uid 1000 with only capability @cap (-1: none): open pid *arg? */
static int open_with_cap(int cap, pid_t target)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	int wstatus, r;
	pid_t pid = fork();

	if (pid < 0)
		return -1000;
	if (pid == 0) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
		    mst_drop_uids(MST_UID, MST_UID, MST_UID))
			_exit(100);
		memset(data, 0, sizeof(data));
		if (cap >= 0) {
			data[cap / 32].effective = 1U << (cap % 32);
			data[cap / 32].permitted = 1U << (cap % 32);
		}
		if (syscall(SYS_capset, &hdr, data))
			_exit(101);
		r = mst_proc_open(target, 0);
		_exit(r >= 0 ? 0 : -r);
	}
	if (waitpid(pid, &wstatus, 0) != pid || !WIFEXITED(wstatus))
		return -1000;
	return -WEXITSTATUS(wstatus);
}

TEST(capabilities)
{
	MST_NEED_MODULE();
	if (geteuid() != 0)
		SKIP(return, "needs root to set up capabilities");
	/* uid 1000 against root (pid 1 and us): only with a capability */
	EXPECT_EQ(-EPERM, open_with_cap(-1, getpid()));
	EXPECT_EQ(-EPERM, open_with_cap(CAP_SETUID, getpid()));
	EXPECT_EQ(-EPERM, open_with_cap(CAP_SYS_ADMIN, 1));
	/* being allowed to signal is not enough: the rule is ptrace's */
	EXPECT_EQ(-EPERM, open_with_cap(CAP_KILL, getpid()));
	EXPECT_EQ(-EPERM, open_with_cap(CAP_KILL, 1));
	EXPECT_EQ(0, open_with_cap(CAP_SYS_PTRACE, getpid()));
	EXPECT_EQ(0, open_with_cap(CAP_SYS_PTRACE, 1));
}

/*
 * A child that sleeps as @r/@e/@s, dumpable or not, returned once it has
 * dropped.  Changing credentials makes a process non-dumpable, as after
 * running a setuid program; prctl(PR_SET_DUMPABLE, 1) undoes that.
 */
static pid_t spawn_as(uid_t r, uid_t e, uid_t s, int dumpable)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (mst_drop_uids(r, e, s) ||
		    prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0))
			_exit(100);
		if (write(p[1], "d", 1) != 1)
			_exit(101);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid > 0 && read(p[0], &c, 1) != 1) {
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(p[0]);
	return pid;
}

static void end(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST(permission)
{
	pid_t target;
	int a[2];

	MST_NEED_MODULE();
	if (geteuid() != 0)
		SKIP(return, "needs root to drop privileges");

	/* uid 1000 against root-owned processes: EPERM */
	a[0] = getpid();
	a[1] = EPERM;
	EXPECT_EQ(0, as_user(MST_UID, MST_UID, MST_UID, try_open, a));
	a[0] = 1;
	EXPECT_EQ(0, as_user(MST_UID, MST_UID, MST_UID, try_open, a));
	/* its own processes: allowed */
	EXPECT_EQ(0, as_user(MST_UID, MST_UID, MST_UID, own_processes, NULL));

	/* a dumpable uid-1001 process */
	target = spawn_as(MST_UID + 1, MST_UID + 1, MST_UID + 1, 1);
	ASSERT_LT(0, target);
	a[0] = target;
	a[1] = 0;	/* caller's real uid is all of the target's */
	EXPECT_EQ(0, as_user(MST_UID + 1, MST_UID + 2, MST_UID + 2, try_open, a));
	a[1] = EPERM;	/* the caller's effective uid does not count */
	EXPECT_EQ(0, as_user(MST_UID + 2, MST_UID + 1, MST_UID + 1, try_open, a));
	a[1] = EPERM;	/* nothing in common */
	EXPECT_EQ(0, as_user(MST_UID + 2, MST_UID + 2, MST_UID + 2, try_open, a));
	a[1] = 0;	/* root (CAP_SYS_PTRACE) may open anything */
	EXPECT_EQ(0, try_open(a));
	end(target);

	/* uid 1001 whose saved uid is 1000: neither 1000 nor 1001 may */
	target = spawn_as(MST_UID + 1, MST_UID + 1, MST_UID, 1);
	ASSERT_LT(0, target);
	a[0] = target;
	a[1] = EPERM;
	EXPECT_EQ(0, as_user(MST_UID, MST_UID, MST_UID, try_open, a));
	EXPECT_EQ(0, as_user(MST_UID + 1, MST_UID + 1, MST_UID + 1, try_open, a));
	a[1] = 0;
	EXPECT_EQ(0, try_open(a));
	end(target);

	/* a dumpable uid-1000 process: open to root and to uid 1000 */
	target = spawn_as(MST_UID, MST_UID, MST_UID, 1);
	ASSERT_LT(0, target);
	a[0] = target;
	a[1] = 0;
	EXPECT_EQ(0, try_open(a));
	EXPECT_EQ(0, as_user(MST_UID, MST_UID, MST_UID, try_open, a));
	a[1] = EPERM;
	EXPECT_EQ(0, as_user(MST_UID + 5, MST_UID + 5, MST_UID + 5, try_open, a));
	end(target);
}

/*
 * A process that is not dumpable (it dropped privileges, or runs a setuid
 * program) is closed to its user, as its /proc files and ptrace are: uid
 * 1000 may signal it, but may not read its exit status and name.
 */
TEST(nondumpable_target)
{
	pid_t target;
	int a[2];

	MST_NEED_MODULE();
	if (geteuid() != 0)
		SKIP(return, "needs root to drop privileges");

	/* all uids 1000, PR_SET_DUMPABLE 0 */
	target = spawn_as(MST_UID, MST_UID, MST_UID, 0);
	ASSERT_LT(0, target);
	a[0] = target;
	a[1] = EPERM;
	EXPECT_EQ(0, as_user(MST_UID, MST_UID, MST_UID, try_open, a));
	a[1] = 0;	/* CAP_SYS_PTRACE over it */
	EXPECT_EQ(0, try_open(a));
	EXPECT_EQ(0, open_with_cap(CAP_SYS_PTRACE, target));
	EXPECT_EQ(-EPERM, open_with_cap(CAP_KILL, target));
	end(target);

	/* as a setuid-root program run by uid 1000: real 1000, effective 0 */
	target = spawn_as(MST_UID, 0, 0, 0);
	ASSERT_LT(0, target);
	a[0] = target;
	a[1] = EPERM;
	EXPECT_EQ(0, as_user(MST_UID, MST_UID, MST_UID, try_open, a));
	a[1] = 0;
	EXPECT_EQ(0, try_open(a));
	end(target);

	/* the same with dumpable set again: its user may open it */
	target = spawn_as(MST_UID, MST_UID, MST_UID, 1);
	ASSERT_LT(0, target);
	a[0] = target;
	a[1] = 0;
	EXPECT_EQ(0, as_user(MST_UID, MST_UID, MST_UID, try_open, a));
	end(target);
}

TEST_HARNESS_MAIN
