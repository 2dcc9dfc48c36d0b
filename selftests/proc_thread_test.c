// SPDX-License-Identifier: GPL-2.0
/*
 * Process objects and threads: only the end of the whole
 * thread group signals; a thread's exit, the leader's early exit and an
 * execve() from a non-leader thread do not.
 */
#include <pthread.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

/*
 * A child process that runs a script of steps, one per byte received on
 * its command pipe, and reports each step done on its report pipe.
 */
struct kid {
	pid_t pid;
	int cmd[2];	/* parent writes cmd[1] */
	int rep[2];	/* parent reads rep[0] */
};

static int kid_cmd;	/* in the child: its end of the command pipe */
static int kid_rep;	/* in the child: its end of the report pipe */

static char kid_next(void)
{
	char c = 0;

	if (read(kid_cmd, &c, 1) != 1)
		_exit(120);
	return c;
}

static void kid_done(char c)
{
	if (write(kid_rep, &c, 1) != 1)
		_exit(121);
}

static int kid_start(struct kid *k, void (*fn)(void))
{
	if (pipe(k->cmd) || pipe(k->rep))
		return -1;
	k->pid = fork();
	if (k->pid < 0)
		return -1;
	if (k->pid == 0) {
		close(k->cmd[1]);
		close(k->rep[0]);
		kid_cmd = k->cmd[0];
		kid_rep = k->rep[1];
		fn();
		_exit(122);
	}
	close(k->cmd[0]);
	close(k->rep[1]);
	return 0;
}

/* Send step @c and wait until the child reports it done. */
static int kid_step(struct kid *k, char c)
{
	char r;

	if (write(k->cmd[1], &c, 1) != 1)
		return -1;
	if (read(k->rep[0], &r, 1) != 1)
		return -1;
	return r == c ? 0 : -1;
}

static void kid_close(struct kid *k)
{
	close(k->cmd[1]);
	close(k->rep[0]);
}

/* ---- a non-leader thread exits; then the process exits ---- */

static void *short_thread(void *arg)
{
	(void)arg;
	return NULL;
}

static void kid_thread_exit(void)
{
	pthread_t th;

	kid_next();
	if (pthread_create(&th, NULL, short_thread, NULL) ||
	    pthread_join(th, NULL))
		_exit(123);
	kid_done('t');
	kid_next();
	_exit(9);
}

TEST(thread_exit_does_not_signal)
{
	struct mailslot_proc_exit ex;
	struct kid k;
	int obj, wstatus;

	MST_NEED_MODULE();
	ASSERT_EQ(0, kid_start(&k, kid_thread_exit));
	obj = mst_proc_open(k.pid, 0);
	ASSERT_LE(0, obj);
	ASSERT_EQ(0, kid_step(&k, 't'));
	mst_sleep_ms(50);
	EXPECT_EQ(0, mst_signaled(obj));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(&obj, 1, 0, 20 * MST_MS));
	ASSERT_EQ(1, write(k.cmd[1], "x", 1));
	EXPECT_EQ(0, mst_wait(&obj, 1, 0, 10 * MST_SEC));
	ASSERT_EQ(k.pid, waitpid(k.pid, &wstatus, 0));
	ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
	EXPECT_EQ(wstatus, ex.status);
	EXPECT_EQ(9, WEXITSTATUS(ex.status));
	kid_close(&k);
	close(obj);
}

/* ---- the leader exits first; the last thread ends the group ---- */

static int last_thread_exit_group;

static void *last_thread(void *arg)
{
	(void)arg;
	/* the leader is gone: step 'l' was reported by it */
	kid_next();
	kid_done('w');
	kid_next();
	if (last_thread_exit_group)
		exit(11);		/* exit_group: the group's code */
	syscall(SYS_exit, 0);		/* the leader's code counts */
	return NULL;
}

static void kid_leader_first(void)
{
	pthread_t th;

	kid_next();
	if (pthread_create(&th, NULL, last_thread, NULL))
		_exit(123);
	kid_done('l');
	syscall(SYS_exit, 4);		/* the leader alone */
}

static void leader_first(struct __test_metadata *_metadata, int group,
			 int traced)
{
	struct mailslot_proc_exit ex;
	struct kid k;
	int obj, late, wstatus;

	last_thread_exit_group = group;
	ASSERT_EQ(0, kid_start(&k, kid_leader_first));
	obj = mst_proc_open(k.pid, 0);
	ASSERT_LE(0, obj);
	/*
	 * A traced leader notifies its tracer (and, on 6.1, the pidfd wait
	 * queue) when it exits, even with threads left: still no signal.
	 */
	if (traced)
		ASSERT_EQ(0, ptrace(PTRACE_SEIZE, k.pid, 0, 0));
	ASSERT_EQ(0, kid_step(&k, 'l'));
	/* wait for the leader to be a zombie, with its thread running */
	ASSERT_EQ(0, mst_wait_zombie(k.pid));
	ASSERT_EQ(0, kid_step(&k, 'w'));
	EXPECT_EQ(0, mst_signaled(obj));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(&obj, 1, 0, 50 * MST_MS));
	/* a second object opened now: the zombie leader is not an exit */
	late = mst_proc_open(k.pid, MAILSLOT_PROC_NONBLOCK);
	ASSERT_LE(0, late);
	EXPECT_EQ(0, mst_signaled(late));
	EXPECT_EQ(-EAGAIN, mst_proc_read(late, &ex));
	close(late);
	ASSERT_EQ(1, write(k.cmd[1], "x", 1));
	EXPECT_EQ(0, mst_wait(&obj, 1, 0, 10 * MST_SEC));
	ASSERT_EQ(k.pid, waitpid(k.pid, &wstatus, 0));
	ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
	EXPECT_EQ(wstatus, ex.status);
	EXPECT_TRUE(WIFEXITED(ex.status));
	/*
	 * exit_group(11) is the group's code; without it, since 5.17 the
	 * last thread to exit sets the group's code (here 0, not the
	 * leader's 4): whatever wait(2) reports, compared above.
	 */
	if (group) {
		EXPECT_EQ(11, WEXITSTATUS(ex.status));
	}
	TH_LOG("status %#x", ex.status);
	kid_close(&k);
	close(obj);
}

TEST(leader_exits_first_then_thread)
{
	MST_NEED_MODULE();
	leader_first(_metadata, 0, 0);
}

TEST(leader_exits_first_then_exit_group)
{
	MST_NEED_MODULE();
	leader_first(_metadata, 1, 0);
}

TEST(traced_leader_exits_first)
{
	MST_NEED_MODULE();
	leader_first(_metadata, 0, 1);
	leader_first(_metadata, 1, 1);
}

/* ---- execve() from a non-leader thread ---- */

#define EXEC_ENV "PROC_THREAD_TEST_EXECED"

/* The program after execve(): report, wait for a byte, exit 13. */
static void __attribute__((constructor)) execed_main(void)
{
	const char *fds = getenv(EXEC_ENV);
	int cmd, rep;
	char c;

	if (!fds || sscanf(fds, "%d,%d", &cmd, &rep) != 2)
		return;
	if (write(rep, "e", 1) != 1)
		_exit(124);
	if (read(cmd, &c, 1) != 1)
		_exit(125);
	_exit(13);
}

static void *exec_thread(void *arg)
{
	char env[64], *argv[] = { "proc_thread_test-execed", NULL };
	char *envp[] = { env, NULL };

	(void)arg;
	snprintf(env, sizeof(env), EXEC_ENV "=%d,%d", kid_cmd, kid_rep);
	execve("/proc/self/exe", argv, envp);
	_exit(126);
}

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void kid_exec(void)
{
	pthread_t th, idle;

	kid_next();
	if (pthread_create(&idle, NULL, idle_thread, NULL) ||
	    pthread_create(&th, NULL, exec_thread, NULL))
		_exit(123);
	for (;;)
		pause();
}

TEST(exec_from_thread_does_not_signal)
{
	struct mailslot_proc_exit ex;
	struct kid k;
	int obj, again, wstatus;
	char c;

	MST_NEED_MODULE();
	ASSERT_EQ(0, kid_start(&k, kid_exec));
	obj = mst_proc_open(k.pid, 0);
	ASSERT_LE(0, obj);
	ASSERT_EQ(1, write(k.cmd[1], "g", 1));
	/* the execed program reports 'e' */
	ASSERT_EQ(1, read(k.rep[0], &c, 1));
	ASSERT_EQ('e', c);
	mst_sleep_ms(50);
	EXPECT_EQ(0, mst_signaled(obj));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(&obj, 1, 0, 50 * MST_MS));
	/* the process kept its pid: an object opened now is not signaled */
	again = mst_proc_open(k.pid, 0);
	ASSERT_LE(0, again);
	EXPECT_EQ(0, mst_signaled(again));
	close(again);
	ASSERT_EQ(1, write(k.cmd[1], "x", 1));
	EXPECT_EQ(0, mst_wait(&obj, 1, 0, 10 * MST_SEC));
	ASSERT_EQ(k.pid, waitpid(k.pid, &wstatus, 0));
	ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
	EXPECT_EQ(wstatus, ex.status);
	EXPECT_EQ(13, WEXITSTATUS(ex.status));
	EXPECT_EQ((__u32)k.pid, ex.pid);
	/* comm is the basename of the exec'd file (exe link): not checked */
	kid_close(&k);
	close(obj);
}

/* Single-threaded execve() from the leader does not signal either. */
static void kid_exec_leader(void)
{
	char env[64], *argv[] = { "proc_thread_test-execed", NULL };
	char *envp[] = { env, NULL };

	kid_next();
	snprintf(env, sizeof(env), EXEC_ENV "=%d,%d", kid_cmd, kid_rep);
	execve("/proc/self/exe", argv, envp);
	_exit(126);
}

TEST(exec_from_leader_does_not_signal)
{
	struct mailslot_proc_exit ex;
	struct kid k;
	int obj, wstatus;
	char c;

	MST_NEED_MODULE();
	ASSERT_EQ(0, kid_start(&k, kid_exec_leader));
	obj = mst_proc_open(k.pid, 0);
	ASSERT_LE(0, obj);
	ASSERT_EQ(1, write(k.cmd[1], "g", 1));
	ASSERT_EQ(1, read(k.rep[0], &c, 1));
	ASSERT_EQ('e', c);
	EXPECT_EQ(-ETIMEDOUT, mst_wait(&obj, 1, 0, 50 * MST_MS));
	ASSERT_EQ(1, write(k.cmd[1], "x", 1));
	EXPECT_EQ(0, mst_wait(&obj, 1, 0, 10 * MST_SEC));
	ASSERT_EQ(k.pid, waitpid(k.pid, &wstatus, 0));
	ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
	EXPECT_EQ(wstatus, ex.status);
	EXPECT_EQ(13, WEXITSTATUS(ex.status));
	kid_close(&k);
	close(obj);
}

/* A thread kills the group with a signal while the leader is a zombie. */
static void *killer_thread(void *arg)
{
	(void)arg;
	kid_next();
	kid_done('k');
	kid_next();
	raise(SIGKILL);
	return NULL;
}

static void kid_leader_then_kill(void)
{
	pthread_t th;

	kid_next();
	if (pthread_create(&th, NULL, killer_thread, NULL))
		_exit(123);
	kid_done('l');
	syscall(SYS_exit, 0);
}

TEST(leader_zombie_then_killed)
{
	struct mailslot_proc_exit ex;
	struct kid k;
	int obj, wstatus;

	MST_NEED_MODULE();
	ASSERT_EQ(0, kid_start(&k, kid_leader_then_kill));
	obj = mst_proc_open(k.pid, 0);
	ASSERT_LE(0, obj);
	ASSERT_EQ(0, kid_step(&k, 'l'));
	ASSERT_EQ(0, mst_wait_zombie(k.pid));
	ASSERT_EQ(0, kid_step(&k, 'k'));
	EXPECT_EQ(0, mst_signaled(obj));
	ASSERT_EQ(1, write(k.cmd[1], "x", 1));
	EXPECT_EQ(0, mst_wait(&obj, 1, 0, 10 * MST_SEC));
	ASSERT_EQ(k.pid, waitpid(k.pid, &wstatus, 0));
	ASSERT_EQ(MST_EXSZ, mst_proc_read(obj, &ex));
	EXPECT_EQ(wstatus, ex.status);
	EXPECT_TRUE(WIFSIGNALED(ex.status));
	EXPECT_EQ(SIGKILL, WTERMSIG(ex.status));
	kid_close(&k);
	close(obj);
}

TEST_HARNESS_MAIN
