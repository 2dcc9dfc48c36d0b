// SPDX-License-Identifier: GPL-2.0
/*
 * MAILSLOT_IOC_WAIT wait-all means "all signaled at the same moment": two
 * slot readers that are never non-empty together must not satisfy it,
 * however fast they change; once both hold a message, it returns.  And
 * messages that keep arriving at readers that are already
 * signaled disturb nothing: a wait-all for them and a process returns at
 * the process's exit, having slept meanwhile.
 */
#include <pthread.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

struct alternator {
	int wa, wb;		/* writers */
	int ra, rb;		/* readers (O_NONBLOCK) */
	volatile int stop;
	long rounds;
	int failed;
};

/* A gets a message and loses it, then B: never both at once. */
static void *alternate(void *arg)
{
	struct alternator *a = arg;
	char buf[16];

	/*
	 * Each reader holds its message for a while (the waiter wakes and
	 * looks meanwhile), then hands over to the other at once.
	 */
	if (write(a->wa, "a", 1) != 1)
		a->failed = 1;
	while (!a->stop && !a->failed) {
		usleep(300);
		if (read(a->ra, buf, sizeof(buf)) != 1 ||
		    write(a->wb, "b", 1) != 1)
			a->failed = 1;
		usleep(300);
		if (read(a->rb, buf, sizeof(buf)) != 1 ||
		    write(a->wa, "a", 1) != 1)
			a->failed = 1;
		a->rounds++;
	}
	if (read(a->ra, buf, sizeof(buf)) != 1)
		a->failed = 1;
	return NULL;
}

TEST(never_together_never_satisfied)
{
	struct alternator a = { 0 };
	const char *na = mst_name("wait-snap-a"), *nb = mst_name("wait-snap-b");
	const char *nx = mst_name("wait-snap-x");
	char buf[16];
	int fds[MAILSLOT_WAIT_MAX], i, srvx, wx;
	pthread_t th;

	MST_NEED_MODULE();
	a.ra = mst_slot_create_flags(na, MAILSLOT_CREATE_NONBLOCK);
	a.rb = mst_slot_create_flags(nb, MAILSLOT_CREATE_NONBLOCK);
	a.wa = mst_slot_open(na, O_WRONLY);
	a.wb = mst_slot_open(nb, O_WRONLY);
	ASSERT_LE(0, a.wa);
	ASSERT_LE(0, a.wb);
	ASSERT_LE(0, a.ra);
	ASSERT_LE(0, a.rb);
	/*
	 * A first, B last and 62 always signaled listeners in between, so
	 * that one look at all of them takes long enough for A and B to
	 * trade places meanwhile.
	 */
	srvx = mst_slot_create_flags(nx, MAILSLOT_CREATE_NONBLOCK);
	ASSERT_LE(0, srvx);
	wx = mst_slot_open(nx, O_WRONLY);
	ASSERT_LE(0, wx);
	fds[0] = a.ra;
	for (i = 1; i < MAILSLOT_WAIT_MAX - 1; i++) {
		fds[i] = mst_slot_open(nx, O_RDONLY);
		ASSERT_LE(0, fds[i]);
	}
	fds[MAILSLOT_WAIT_MAX - 1] = a.rb;
	ASSERT_EQ(1, write(wx, "x", 1));
	ASSERT_EQ(0, pthread_create(&th, NULL, alternate, &a));
	for (i = 0; i < 20; i++)
		EXPECT_EQ(-ETIMEDOUT, mst_wait(fds, MAILSLOT_WAIT_MAX,
					      MAILSLOT_WAIT_ALL, 100 * MST_MS));
	a.stop = 1;
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, a.failed);
	TH_LOG("%ld alternations", a.rounds);
	EXPECT_LT(0, a.rounds);
	/* both non-empty: satisfied at once, and nothing consumed */
	ASSERT_EQ(1, write(a.wa, "a", 1));
	ASSERT_EQ(1, write(a.wb, "b", 1));
	EXPECT_EQ(0, mst_wait(fds, MAILSLOT_WAIT_MAX, MAILSLOT_WAIT_ALL,
			     10 * MST_SEC));
	EXPECT_EQ(1, read(a.ra, buf, sizeof(buf)));
	EXPECT_EQ(1, read(a.rb, buf, sizeof(buf)));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(fds, 1, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, mst_wait(fds, MAILSLOT_WAIT_MAX,
				      MAILSLOT_WAIT_ALL, 0));
	for (i = 1; i < MAILSLOT_WAIT_MAX - 1; i++)
		close(fds[i]);
	close(wx);
	close(srvx);
	close(a.wa);
	close(a.wb);
	close(a.ra);
	close(a.rb);
}

struct flood {
	int w;
	volatile int stop;
	long sent;
	int failed;
};

static void *flood_fn(void *arg)
{
	struct flood *f = arg;

	while (!f->stop) {
		if (write(f->w, "f", 1) != 1) {
			f->failed = 1;
			break;
		}
		f->sent++;
	}
	return NULL;
}

static uint64_t thread_cpu_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * MST_SEC +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

/*
 * 63 readers of one slot that a thread floods (drop-oldest, so they stay
 * non-empty and the writer never blocks), and a process that exits after
 * two seconds: the wait-all returns soon after the exit, not at its
 * timeout, and the waiting thread slept through the flood (it used to be
 * woken, and look at all 64 objects, for every message).
 */
TEST(flooded_signaled_readers_do_not_spin)
{
	struct mailslot_create c;
	struct flood f = { 0 };
	int fds[MAILSLOT_WAIT_MAX], ctl, i, r, wstatus;
	uint64_t t0, dt, cpu0, cpu;
	long sent0, sent;
	char name[128];
	pthread_t th;
	pid_t pid;

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "wait-snap-%d-flood", getpid());
	memset(&c, 0, sizeof(c));
	c.name = (uintptr_t)name;
	c.overflow = MAILSLOT_OVERFLOW_DROP;
	c.flags = MAILSLOT_CREATE_NONBLOCK;
	ctl = mst_control();
	ASSERT_LE(0, ctl);
	fds[0] = ioctl(ctl, MAILSLOT_IOC_CREATE, &c);
	close(ctl);
	ASSERT_LE(0, fds[0]);
	for (i = 1; i < MAILSLOT_WAIT_MAX - 1; i++) {
		fds[i] = mst_slot_open(name, O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, fds[i]);
	}
	f.w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, f.w);
	ASSERT_EQ(1, write(f.w, "f", 1));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mst_sleep_ms(2000);
		_exit(9);
	}
	fds[MAILSLOT_WAIT_MAX - 1] = mst_proc_open(pid, 0);
	ASSERT_LE(0, fds[MAILSLOT_WAIT_MAX - 1]);

	ASSERT_EQ(0, pthread_create(&th, NULL, flood_fn, &f));
	while (f.sent < 100 && !f.failed)
		mst_sleep_ms(1);
	sent0 = f.sent;
	cpu0 = thread_cpu_ns();
	t0 = mst_now_ns();
	r = mst_wait(fds, MAILSLOT_WAIT_MAX, MAILSLOT_WAIT_ALL, 20 * MST_SEC);
	dt = mst_now_ns() - t0;
	cpu = thread_cpu_ns() - cpu0;
	sent = f.sent - sent0;
	f.stop = 1;
	ASSERT_EQ(0, pthread_join(th, NULL));
	TH_LOG("wait %d after %llu ms, waiter cpu %llu ms, %ld messages meanwhile",
	       r, (unsigned long long)(dt / MST_MS),
	       (unsigned long long)(cpu / MST_MS), sent);
	EXPECT_EQ(0, f.failed);
	EXPECT_EQ(0, r);
	EXPECT_GT(10 * MST_SEC, dt);	/* at the exit, not the timeout */
	EXPECT_LT(100, sent);		/* the flood went on during the wait */
	EXPECT_GT(200 * MST_MS, cpu);	/* the waiter slept */
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	EXPECT_EQ(9, WEXITSTATUS(wstatus));
	for (i = 0; i < MAILSLOT_WAIT_MAX; i++)
		close(fds[i]);
	close(f.w);
}

TEST_HARNESS_MAIN
