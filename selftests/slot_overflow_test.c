// SPDX-License-Identifier: GPL-2.0
/*
 * Full queues: block, fail and drop-oldest, by message
 * count and by bytes; under block and fail a message reaches every reader
 * or none.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

static int rd(int fd, char *buf)
{
	int n = read(fd, buf, 63);

	if (n >= 0)
		buf[n] = 0;
	return n;
}

TEST(fail_all_or_none)
{
	const char *name = mst_name("ovf");
	struct mailslot_info info;
	int srv, w, l;
	char buf[64];

	srv = mst_slot_create_lim(name, 0, 2, 0, MAILSLOT_OVERFLOW_FAIL, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ASSERT_EQ(1, write(w, "1", 1));
	ASSERT_EQ(1, write(w, "2", 1));
	EXPECT_EQ(1, rd(l, buf));		/* l has room, srv is full */
	EXPECT_EQ(-1, write(w, "3", 1));
	EXPECT_EQ(EAGAIN, errno);
	/* nobody got "3" */
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(1, info.msgs);
	EXPECT_EQ(2, info.sent);
	EXPECT_EQ(1, rd(l, buf));
	EXPECT_STREQ("2", buf);
	EXPECT_EQ(-1, rd(l, buf));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, rd(srv, buf));
	EXPECT_EQ(1, write(w, "4", 1));
	EXPECT_EQ(1, rd(srv, buf));
	EXPECT_STREQ("2", buf);
	EXPECT_EQ(1, rd(srv, buf));
	EXPECT_STREQ("4", buf);
	close(l);
	close(w);
	close(srv);
}

TEST(fail_by_bytes)
{
	const char *name = mst_name("ovf");
	char big[100] = { 0 }, buf[128];
	int srv, w;

	srv = mst_slot_create_lim(name, 100, 0, 250, MAILSLOT_OVERFLOW_FAIL, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(100, write(w, big, 100));
	ASSERT_EQ(100, write(w, big, 100));
	EXPECT_EQ(-1, write(w, big, 51));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(50, write(w, big, 50));
	EXPECT_EQ(0, write(w, big, 0));
	EXPECT_EQ(-1, write(w, big, 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(100, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(100, write(w, big, 100));
	close(w);
	close(srv);
}

struct wr {
	int fd;
	int ret;
	int err;
	int done;	/* __atomic */
};

static void *writer(void *arg)
{
	struct wr *a = arg;

	a->ret = write(a->fd, "blocked", 7);
	a->err = errno;
	__atomic_store_n(&a->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

TEST(block_until_every_reader_has_room)
{
	const char *name = mst_name("ovf");
	struct wr a = { 0 };
	int srv, w, l, wn;
	pthread_t t;
	char buf[64];

	srv = mst_slot_create_lim(name, 0, 1, 0, MAILSLOT_OVERFLOW_BLOCK, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	wn = mst_slot_open(name, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, wn);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ASSERT_EQ(1, write(w, "1", 1));
	/* O_NONBLOCK: EAGAIN */
	EXPECT_EQ(-1, write(wn, "x", 1));
	EXPECT_EQ(EAGAIN, errno);

	a.fd = w;
	ASSERT_EQ(0, pthread_create(&t, NULL, writer, &a));
	usleep(100000);
	EXPECT_FALSE(__atomic_load_n(&a.done, __ATOMIC_SEQ_CST));
	EXPECT_EQ(1, rd(srv, buf));
	usleep(100000);
	EXPECT_FALSE(__atomic_load_n(&a.done, __ATOMIC_SEQ_CST));		/* l is still full */
	EXPECT_EQ(1, rd(l, buf));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(7, a.ret);
	EXPECT_EQ(7, rd(srv, buf));
	EXPECT_STREQ("blocked", buf);
	EXPECT_EQ(7, rd(l, buf));
	close(l);
	close(wn);
	close(w);
	close(srv);
}

/* A closing reader frees its room: the blocked writer goes on. */
TEST(block_reader_closes)
{
	const char *name = mst_name("ovf");
	struct wr a = { 0 };
	int srv, w, l;
	pthread_t t;
	char buf[64];

	srv = mst_slot_create_lim(name, 0, 1, 0, MAILSLOT_OVERFLOW_BLOCK, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ASSERT_EQ(1, write(w, "1", 1));
	EXPECT_EQ(1, rd(srv, buf));
	a.fd = w;
	ASSERT_EQ(0, pthread_create(&t, NULL, writer, &a));
	usleep(100000);
	EXPECT_FALSE(__atomic_load_n(&a.done, __ATOMIC_SEQ_CST));
	close(l);
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(7, a.ret);
	close(w);
	close(srv);
}

static void on_alarm(int sig)
{
}

TEST(block_interrupted)
{
	const char *name = mst_name("ovf");
	struct sigaction sa;
	int srv, w;
	char buf[8];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	srv = mst_slot_create_lim(name, 0, 1, 0, MAILSLOT_OVERFLOW_BLOCK, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, write(w, "1", 1));
	ualarm(100000, 0);
	EXPECT_EQ(-1, write(w, "2", 1));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(1, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(-1, read(srv, buf, sizeof(buf)));	/* "2" never queued */
	EXPECT_EQ(EAGAIN, errno);
	close(w);
	close(srv);
	signal(SIGALRM, SIG_DFL);
}

TEST(drop_oldest)
{
	const char *name = mst_name("ovf");
	struct mailslot_recv rv;
	struct mailslot_info info;
	int srv, w, l, i;
	char buf[64];

	srv = mst_slot_create_lim(name, 0, 3, 0, MAILSLOT_OVERFLOW_DROP, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, w);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	/* the server keeps up, l does not */
	for (i = 0; i < 10; i++) {
		snprintf(buf, sizeof(buf), "%d", i);
		ASSERT_EQ(1, write(w, buf, 1));
		ASSERT_EQ(1, rd(srv, buf));
	}
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(0, info.drops);
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(7, info.drops);
	EXPECT_EQ(3, info.msgs);
	/* l has the newest three, with a gap in the sequence numbers */
	for (i = 7; i < 10; i++) {
		memset(&rv, 0, sizeof(rv));
		rv.buf = (uintptr_t)buf;
		rv.size = sizeof(buf);
		ASSERT_EQ(1, ioctl(l, MAILSLOT_IOC_RECV, &rv));
		EXPECT_EQ(i + 1, rv.info.seq);
		EXPECT_EQ('0' + i, buf[0]);
	}
	close(l);
	close(w);
	close(srv);
}

TEST(drop_by_bytes)
{
	const char *name = mst_name("ovf");
	struct mailslot_info info;
	char big[100] = { 0 }, buf[128];
	int srv, w;

	srv = mst_slot_create_lim(name, 100, 0, 250, MAILSLOT_OVERFLOW_DROP, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	big[0] = 'a';
	ASSERT_EQ(100, write(w, big, 100));
	big[0] = 'b';
	ASSERT_EQ(100, write(w, big, 100));
	big[0] = 'c';
	ASSERT_EQ(100, write(w, big, 100));	/* drops "a" */
	big[0] = 'd';
	ASSERT_EQ(100, write(w, big, 100));	/* drops "b" */
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(2, info.drops);
	EXPECT_EQ(2, info.msgs);
	EXPECT_EQ(200, info.bytes);
	EXPECT_EQ(100, read(srv, buf, sizeof(buf)));
	EXPECT_EQ('c', buf[0]);
	close(w);
	close(srv);
}

TEST_HARNESS_MAIN
