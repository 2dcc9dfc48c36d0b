// SPDX-License-Identifier: GPL-2.0
/*
 * Process objects: the exit becomes readable, to the parent and to a
 * sibling, with the wait(2) status of an exit code, a signal or a core
 * dump; reads, poll and epoll on it; and the object outlives the process.
 */
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

/* Object status must equal what waitpid() reports for the same child. */
static void check_exit(struct __test_metadata *_metadata, int obj, pid_t pid,
		       int wstatus, uint64_t after, uint64_t before)
{
	struct mailslot_proc_exit ex;

	ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
	EXPECT_EQ((__u32)pid, ex.pid);
	EXPECT_EQ(wstatus, ex.status);
	EXPECT_LE(after, ex.exit_time_ns);
	EXPECT_GE(before, ex.exit_time_ns);
	EXPECT_EQ(0ULL, ex.reserved[0]);
	EXPECT_EQ(0ULL, ex.reserved[1]);
	EXPECT_NE(NULL, memchr(ex.comm, '\0', sizeof(ex.comm)));
}

struct releaser {
	int *pipefd;
	unsigned int ms;
};

static void *release_later(void *arg)
{
	struct releaser *r = arg;

	mst_sleep_ms(r->ms);
	mst_release(r->pipefd);
	return NULL;
}

TEST(parent_waits_for_child)
{
	struct mailslot_proc_exit ex;
	struct releaser rel = { .ms = 300 };
	int p[2], go[2], obj, wstatus;
	uint64_t t0, t1;
	pthread_t th;
	pid_t pid;
	char c;

	MST_NEED_MODULE();
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(go[1]);
		prctl(PR_SET_NAME, "ms-exit-42");
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(42);
	}
	close(go[0]);
	p[0] = -1;
	p[1] = go[1];
	rel.pipefd = p;
	obj = mst_proc_open(pid, 0);
	ASSERT_LE(0, obj) TH_LOG("PROC_OPEN: %s", strerror(-obj));
	EXPECT_EQ(0, mst_signaled(obj));
	t0 = mst_now_ns();
	ASSERT_EQ(0, pthread_create(&th, NULL, release_later, &rel));
	/* read(2) blocks until the exit */
	ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
	t1 = mst_now_ns();
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_LE(300 * MST_MS, t1 - t0) TH_LOG("read returned after %llu ns",
					       (unsigned long long)(t1 - t0));
	EXPECT_TRUE(WIFEXITED(ex.status));
	EXPECT_EQ(42, WEXITSTATUS(ex.status));
	EXPECT_STREQ("ms-exit-42", ex.comm);
	EXPECT_EQ((__u32)pid, ex.pid);
	EXPECT_LE(t0, ex.exit_time_ns);
	EXPECT_GE(t1, ex.exit_time_ns);
	EXPECT_EQ(1, mst_signaled(obj));
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	EXPECT_EQ(wstatus, ex.status);
	/* and after the reap: the same answer, again and again */
	check_exit(_metadata, obj, pid, wstatus, ex.exit_time_ns,
		   ex.exit_time_ns);
	check_exit(_metadata, obj, pid, wstatus, ex.exit_time_ns,
		   ex.exit_time_ns);
	close(obj);
}

TEST(wait_ioctl_single)
{
	int p[2], obj, wstatus;
	uint64_t t0;
	pid_t pid;

	MST_NEED_MODULE();
	pid = mst_spawn(3, p);
	ASSERT_LE(0, pid);
	obj = mst_proc_open(pid, 0);
	ASSERT_LE(0, obj);
	EXPECT_EQ(-ETIMEDOUT, mst_wait(&obj, 1, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(&obj, 1, 0, 50 * MST_MS));
	t0 = mst_now_ns();
	mst_release(p);
	EXPECT_EQ(0, mst_wait(&obj, 1, 0, MAILSLOT_TIMEOUT_INFINITE));
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	check_exit(_metadata, obj, pid, wstatus, t0, mst_now_ns());
	EXPECT_EQ(3, WEXITSTATUS(wstatus));
	close(obj);
}

/*
 * A sibling, not the parent, waits and reads the exit code, also after the
 * parent has reaped the process.
 */
TEST(sibling_reads_exit_code)
{
	int target_p[2], go[2], ready[2], reaped, wstatus;
	pid_t target, sib;
	char c;

	MST_NEED_MODULE();
	target = mst_spawn(77, target_p);
	ASSERT_LE(0, target);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	sib = fork();
	ASSERT_LE(0, sib);
	if (sib == 0) {
		struct mailslot_proc_exit ex;
		int obj, r;

		close(go[1]);
		close(ready[0]);
		obj = mst_proc_open(target, 0);
		if (obj < 0)
			_exit(10);
		if (mst_signaled(obj) != 0)
			_exit(11);
		if (write(ready[1], "r", 1) != 1)
			_exit(12);
		r = mst_wait(&obj, 1, 0, MAILSLOT_TIMEOUT_INFINITE);
		if (r != 0)
			_exit(13);
		/* the parent reaps the target before telling us to read */
		if (read(go[0], &c, 1) != 1)
			_exit(14);
		if (mst_proc_read(obj, &ex) != sizeof(ex))
			_exit(15);
		if (ex.pid != (__u32)target || !WIFEXITED(ex.status))
			_exit(16);
		_exit(WEXITSTATUS(ex.status) == 77 ? 0 : 17);
	}
	close(go[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	mst_release(target_p);
	ASSERT_EQ(target, waitpid(target, &wstatus, 0));
	EXPECT_EQ(77, WEXITSTATUS(wstatus));
	/* the number is gone now: a new open fails */
	reaped = mst_proc_open(target, 0);
	EXPECT_EQ(-ESRCH, reaped);
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(sib, waitpid(sib, &wstatus, 0));
	EXPECT_TRUE(WIFEXITED(wstatus));
	EXPECT_EQ(0, WEXITSTATUS(wstatus));
	close(go[1]);
	close(ready[0]);
}

static void run_signal_case(struct __test_metadata *_metadata, int sig,
			    int core)
{
	int obj, wstatus, r, ready[2];
	char c, path[64];
	uint64_t t0;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		if (core) {
			struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

			if (chdir("/tmp") || setrlimit(RLIMIT_CORE, &rl))
				_exit(99);
			prctl(PR_SET_DUMPABLE, 1);
		}
		if (write(ready[1], "r", 1) != 1)
			_exit(98);
		for (;;)
			pause();
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	obj = mst_proc_open(pid, 0);
	ASSERT_LE(0, obj);
	EXPECT_EQ(0, mst_signaled(obj));
	t0 = mst_now_ns();
	ASSERT_EQ(0, kill(pid, sig));
	r = mst_wait(&obj, 1, 0, 10 * MST_SEC);
	EXPECT_EQ(0, r);
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	check_exit(_metadata, obj, pid, wstatus, t0, mst_now_ns());
	EXPECT_TRUE(WIFSIGNALED(wstatus));
	EXPECT_EQ(sig, WTERMSIG(wstatus));
	if (core == 2) {
		/* the core_pattern was set: a core was dumped */
		EXPECT_TRUE(WCOREDUMP(wstatus));
	} else if (core && !WCOREDUMP(wstatus)) {
		TH_LOG("no core dumped (core_pattern?): flag not checked");
	}
	if (core) {
		snprintf(path, sizeof(path), "/tmp/core.%d", pid);
		unlink(path);
	}
	close(obj);
}

TEST(killed_by_signal)
{
	MST_NEED_MODULE();
	run_signal_case(_metadata, SIGKILL, 0);
	run_signal_case(_metadata, SIGTERM, 0);
}

TEST(core_dump_flag)
{
	char pattern[256] = "";
	int fd;

	int core = 1;

	MST_NEED_MODULE();
	/* Core files into /tmp; restore the pattern afterwards. */
	fd = open("/proc/sys/kernel/core_pattern", O_RDWR);
	if (fd >= 0) {
		ssize_t n = read(fd, pattern, sizeof(pattern) - 1);

		pattern[n > 0 ? n : 0] = '\0';
		if (pwrite(fd, "/tmp/core.%p", 12, 0) == 12)
			core = 2;
		else
			TH_LOG("core_pattern not writable");
	}
	run_signal_case(_metadata, SIGQUIT, core);
	if (fd >= 0) {
		if (pattern[0] && pwrite(fd, pattern, strlen(pattern), 0) < 0)
			TH_LOG("core_pattern not restored");
		close(fd);
	}
}

/* /proc/self/fdinfo/OBJ shows pid, signaled and status. */
static void check_fdinfo(struct __test_metadata *_metadata, int obj,
			 pid_t pid, int wstatus)
{
	char path[64], buf[1024], want[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", obj);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	snprintf(want, sizeof(want), "mailslot-pid:\t%d\n", pid);
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, "mailslot-signaled:\t1\n"));
	snprintf(want, sizeof(want), "mailslot-status:\t%#x\n", wstatus);
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("%s", buf);
}

TEST(nonblock_cloexec_poll_epoll)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct mailslot_proc_exit ex;
	int p[2], obj, blk, ep, wstatus;
	struct pollfd pfd;
	pid_t pid;

	MST_NEED_MODULE();
	pid = mst_spawn(5, p);
	ASSERT_LE(0, pid);
	obj = mst_proc_open(pid, MAILSLOT_PROC_NONBLOCK);
	ASSERT_LE(0, obj);
	blk = mst_proc_open(pid, 0);
	ASSERT_LE(0, blk);
	EXPECT_EQ(FD_CLOEXEC, fcntl(obj, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(FD_CLOEXEC, fcntl(blk, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_NONBLOCK, fcntl(obj, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(blk, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(O_RDONLY, fcntl(obj, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(-EAGAIN, mst_proc_read(obj, &ex));
	EXPECT_EQ(-1, write(obj, &ex, sizeof(ex)));
	EXPECT_EQ(-1, lseek(obj, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);

	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ev.data.fd = obj;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, obj, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	pfd.fd = blk;
	pfd.events = POLLIN;
	EXPECT_EQ(0, poll(&pfd, 1, 50));

	mst_release(p);
	ASSERT_EQ(1, epoll_wait(ep, &out, 1, 10000));
	EXPECT_EQ(obj, out.data.fd);
	EXPECT_EQ((uint32_t)EPOLLIN, out.events & (EPOLLIN | EPOLLERR | EPOLLHUP));
	ASSERT_EQ(1, poll(&pfd, 1, 10000));
	EXPECT_EQ(POLLIN, pfd.revents);
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	check_exit(_metadata, obj, pid, wstatus, 0, mst_now_ns());
	check_exit(_metadata, blk, pid, wstatus, 0, mst_now_ns());
	/* still level-triggered readable */
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 0));
	/* and fdinfo tells the story */
	check_fdinfo(_metadata, obj, pid, wstatus);
	close(ep);
	close(obj);
	close(blk);
}

TEST(short_and_long_buffers)
{
	struct mailslot_proc_exit ex;
	char big[4096];
	int p[2], obj;
	pid_t pid;

	MST_NEED_MODULE();
	pid = mst_spawn(0, p);
	ASSERT_LE(0, pid);
	obj = mst_proc_open(pid, 0);
	ASSERT_LE(0, obj);
	/* too small fails at once, even before the exit */
	EXPECT_EQ(-1, read(obj, &ex, sizeof(ex) - 1));
	EXPECT_EQ(EINVAL, errno);
	mst_release(p);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_EQ(MST_EXSZ, read(obj, big, sizeof(big)));
	EXPECT_EQ(-1, read(obj, &ex, 0));
	EXPECT_EQ(EINVAL, errno);
	close(obj);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A blocking read is interrupted by a handler (EINTR without SA_RESTART). */
TEST(read_interrupted)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct mailslot_proc_exit ex;
	int p[2], obj;
	pid_t pid, poker;

	MST_NEED_MODULE();
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	pid = mst_spawn(0, p);
	ASSERT_LE(0, pid);
	obj = mst_proc_open(pid, 0);
	ASSERT_LE(0, obj);
	poker = fork();
	ASSERT_LE(0, poker);
	if (poker == 0) {
		char path[64], buf[64];
		int i, fd;
		ssize_t n;

		/* once the parent sleeps in read(2) */
		snprintf(path, sizeof(path), "/proc/%d/syscall", getppid());
		for (i = 0; i < 20000; i++) {
			fd = open(path, O_RDONLY);
			n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
			if (fd >= 0)
				close(fd);
			if (n > 0 && strtol(buf, NULL, 10) == SYS_read &&
			    mst_state(getppid()) == 'S')
				break;
			mst_sleep_ms(1);
		}
		mst_sleep_ms(20);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	EXPECT_EQ(-EINTR, mst_proc_read(obj, &ex));
	ASSERT_EQ(poker, waitpid(poker, NULL, 0));
	mst_release(p);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
	signal(SIGUSR1, SIG_DFL);
	close(obj);
}

/*
 * The object outlives its process by far: hundreds of processes come and
 * go, and it still tells the same story.
 */
TEST(outlives_process)
{
	uint64_t deadline = mst_now_ns() + 15 * MST_SEC;
	struct mailslot_proc_exit first, ex;
	int p[2], obj, i;
	pid_t pid, other;

	MST_NEED_MODULE();
	pid = mst_spawn(66, p);
	ASSERT_LE(0, pid);
	obj = mst_proc_open(pid, 0);
	ASSERT_LE(0, obj);
	mst_release(p);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &first));
	for (i = 0; mst_more(i, 500, 20, deadline); i++) {
		other = fork();
		ASSERT_LE(0, other);
		if (other == 0)
			_exit(i & 0x7f);
		ASSERT_EQ(other, waitpid(other, NULL, 0));
	}
	mst_sleep_ms(500);
	ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
	EXPECT_EQ(0, memcmp(&first, &ex, sizeof(ex)));
	EXPECT_EQ(66, WEXITSTATUS(ex.status));
	EXPECT_EQ((__u32)pid, ex.pid);
	close(obj);
}

TEST_HARNESS_MAIN
