// SPDX-License-Identifier: GPL-2.0
/*
 * Read timeouts: 0 polls (EAGAIN), finite values expire
 * with ETIMEDOUT, MAILSLOT_TIMEOUT_INFINITE waits; O_NONBLOCK wins; signals
 * interrupt cleanly; the timeout is per handle.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

#define MS 1000000ull

TEST(zero_polls)
{
	const char *name = mst_name("tmo");
	uint64_t t0;
	char buf[8];
	int srv;

	srv = mst_slot_create_lim(name, 0, 0, 0, 0, 0);
	ASSERT_LE(0, srv);
	t0 = mst_now_ns();
	EXPECT_EQ(-1, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_GT(1000 * MS, mst_now_ns() - t0);
	close(srv);
}

TEST(finite_expires)
{
	const char *name = mst_name("tmo");
	struct mailslot_recv rv = { 0 };
	uint64_t t0, dt;
	char buf[8];
	int srv;

	srv = mst_slot_create_lim(name, 0, 0, 0, 0, 200 * MS);
	ASSERT_LE(0, srv);
	t0 = mst_now_ns();
	EXPECT_EQ(-1, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(ETIMEDOUT, errno);
	dt = mst_now_ns() - t0;
	EXPECT_LE(200 * MS, dt);
	EXPECT_GT(5000 * MS, dt);
	/* the ioctls wait the same way */
	rv.buf = (uintptr_t)buf;
	rv.size = sizeof(buf);
	t0 = mst_now_ns();
	EXPECT_EQ(-1, ioctl(srv, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_LE(200 * MS, mst_now_ns() - t0);
	close(srv);
}

struct later {
	int fd;
	int delay_us;
};

static void *write_later(void *arg)
{
	struct later *l = arg;

	usleep(l->delay_us);
	if (write(l->fd, "late", 4) != 4)
		return (void *)1;
	return NULL;
}

TEST(finite_and_infinite_get_message)
{
	const char *name = mst_name("tmo");
	struct later l;
	pthread_t t;
	char buf[8];
	int srv, h2;

	srv = mst_slot_create_lim(name, 0, 0, 0, 0, 5000 * MS);
	ASSERT_LE(0, srv);
	l.fd = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, l.fd);
	l.delay_us = 100000;
	ASSERT_EQ(0, pthread_create(&t, NULL, write_later, &l));
	EXPECT_EQ(4, read(srv, buf, sizeof(buf)));
	pthread_join(t, NULL);

	h2 = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, h2);
	ASSERT_EQ(0, mst_slot_set_timeout(h2, MAILSLOT_TIMEOUT_INFINITE));
	ASSERT_EQ(0, pthread_create(&t, NULL, write_later, &l));
	EXPECT_EQ(4, read(h2, buf, sizeof(buf)));
	pthread_join(t, NULL);
	close(h2);
	close(l.fd);
	close(srv);
}

TEST(nonblock_wins)
{
	const char *name = mst_name("tmo");
	uint64_t t0;
	char buf[8];
	int srv, l;

	srv = mst_slot_create_lim(name, 0, 0, 0, 0, MAILSLOT_TIMEOUT_INFINITE);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, l);
	t0 = mst_now_ns();
	EXPECT_EQ(-1, read(l, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_GT(1000 * MS, mst_now_ns() - t0);
	close(l);
	close(srv);
}

static void on_alarm(int sig)
{
}

TEST(signals_interrupt)
{
	const char *name = mst_name("tmo");
	struct sigaction sa;
	char buf[8];
	int srv;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	srv = mst_slot_create_lim(name, 0, 0, 0, 0, MAILSLOT_TIMEOUT_INFINITE);
	ASSERT_LE(0, srv);
	ualarm(100000, 0);
	EXPECT_EQ(-1, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(EINTR, errno);
	ASSERT_EQ(0, mst_slot_set_timeout(srv, 5000 * MS));
	ualarm(100000, 0);
	EXPECT_EQ(-1, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(EINTR, errno);
	close(srv);
	signal(SIGALRM, SIG_DFL);
}

static int restarted;

static void on_alarm_write(int sig)
{
	restarted++;
}

/* With SA_RESTART an infinite wait is restarted and still gets the message. */
TEST(sa_restart)
{
	const char *name = mst_name("tmo");
	struct sigaction sa;
	struct later l;
	pthread_t t;
	char buf[8];
	int srv;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm_write;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	srv = mst_slot_create_lim(name, 0, 0, 0, 0, MAILSLOT_TIMEOUT_INFINITE);
	ASSERT_LE(0, srv);
	l.fd = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, l.fd);
	l.delay_us = 300000;
	ASSERT_EQ(0, pthread_create(&t, NULL, write_later, &l));
	ualarm(100000, 0);
	EXPECT_EQ(4, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(1, restarted);
	pthread_join(t, NULL);
	close(l.fd);
	close(srv);
	signal(SIGALRM, SIG_DFL);
}

TEST(per_handle)
{
	const char *name = mst_name("tmo");
	struct mailslot_info info;
	uint64_t t0, v;
	char buf[8];
	int srv, l, w;

	srv = mst_slot_create_lim(name, 0, 0, 0, 0, 100 * MS);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(100 * MS, info.read_timeout_ns);	/* the slot's default */
	ASSERT_EQ(0, mst_slot_set_timeout(l, 0));
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(0, info.read_timeout_ns);
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(100 * MS, info.read_timeout_ns);
	t0 = mst_now_ns();
	EXPECT_EQ(-1, read(l, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_LE(100 * MS, mst_now_ns() - t0);

	/* writers have no read timeout */
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	v = 1;
	EXPECT_EQ(-1, ioctl(w, MAILSLOT_IOC_SET_TIMEOUT, &v));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ioctl(l, MAILSLOT_IOC_SET_TIMEOUT, NULL));
	EXPECT_EQ(EFAULT, errno);
	close(w);
	close(l);
	close(srv);
}

TEST_HARNESS_MAIN
