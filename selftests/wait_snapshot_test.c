// SPDX-License-Identifier: GPL-2.0
/*
 * MAILSLOT_IOC_WAIT wait-all means "all signaled at the same moment"
 * (issue 5 item 5): two slot readers that are never non-empty together
 * must not satisfy it, however fast they change; once both hold a message,
 * it returns.
 */
#include <pthread.h>

#include "proc_util.h"
#include "kselftest_harness.h"

#define NEED_MODULE() do {						\
		if (!pu_have_module())					\
			SKIP(return, "%s missing", MAILSLOT_CONTROL_PATH); \
	} while (0)

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
	char na[128], nb[128], nx[128], buf[16];
	int fds[MAILSLOT_WAIT_MAX], i, srvx, wx;
	pthread_t th;

	NEED_MODULE();
	a.ra = pu_slot_create(na, sizeof(na), "wait-snap", "a", MAILSLOT_CREATE_NONBLOCK);
	a.rb = pu_slot_create(nb, sizeof(nb), "wait-snap", "b", MAILSLOT_CREATE_NONBLOCK);
	a.wa = pu_slot_open(na, O_WRONLY);
	a.wb = pu_slot_open(nb, O_WRONLY);
	ASSERT_LE(0, a.wa);
	ASSERT_LE(0, a.wb);
	ASSERT_LE(0, a.ra);
	ASSERT_LE(0, a.rb);
	/*
	 * A first, B last and 62 always signaled listeners in between, so
	 * that one look at all of them takes long enough for A and B to
	 * trade places meanwhile.
	 */
	srvx = pu_slot_create(nx, sizeof(nx), "wait-snap", "x", MAILSLOT_CREATE_NONBLOCK);
	ASSERT_LE(0, srvx);
	wx = pu_slot_open(nx, O_WRONLY);
	ASSERT_LE(0, wx);
	fds[0] = a.ra;
	for (i = 1; i < MAILSLOT_WAIT_MAX - 1; i++) {
		fds[i] = pu_slot_open(nx, O_RDONLY);
		ASSERT_LE(0, fds[i]);
	}
	fds[MAILSLOT_WAIT_MAX - 1] = a.rb;
	ASSERT_EQ(1, write(wx, "x", 1));
	ASSERT_EQ(0, pthread_create(&th, NULL, alternate, &a));
	for (i = 0; i < 20; i++)
		EXPECT_EQ(-ETIMEDOUT, pu_wait(fds, MAILSLOT_WAIT_MAX,
					      MAILSLOT_WAIT_ALL, 100 * PU_MS));
	a.stop = 1;
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, a.failed);
	TH_LOG("%ld alternations", a.rounds);
	EXPECT_LT(0, a.rounds);
	/* both non-empty: satisfied at once, and nothing consumed */
	ASSERT_EQ(1, write(a.wa, "a", 1));
	ASSERT_EQ(1, write(a.wb, "b", 1));
	EXPECT_EQ(0, pu_wait(fds, MAILSLOT_WAIT_MAX, MAILSLOT_WAIT_ALL,
			     10 * PU_SEC));
	EXPECT_EQ(1, read(a.ra, buf, sizeof(buf)));
	EXPECT_EQ(1, read(a.rb, buf, sizeof(buf)));
	EXPECT_EQ(-ETIMEDOUT, pu_wait(fds, 1, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, pu_wait(fds, MAILSLOT_WAIT_MAX,
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

TEST_HARNESS_MAIN
