// SPDX-License-Identifier: GPL-2.0
/*
 * poll/select/epoll: readers EPOLLIN while their queue
 * is not empty, writers EPOLLOUT while a write would not block, EPOLLHUP
 * for writers and listeners once the server has closed.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

static short revents(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

TEST(poll_reader_writer)
{
	const char *name = mst_name("poll");
	int srv, w, l;
	char buf[64];

	srv = mst_slot_create_lim(name, 10, 2, 0, MAILSLOT_OVERFLOW_BLOCK, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	l = mst_slot_open(name, O_RDWR);
	ASSERT_LE(0, l);
	EXPECT_EQ(0, revents(srv, POLLIN | POLLOUT));
	EXPECT_EQ(POLLOUT, revents(w, POLLIN | POLLOUT));
	EXPECT_EQ(POLLOUT, revents(l, POLLIN | POLLOUT));
	ASSERT_EQ(1, write(w, "a", 1));
	EXPECT_EQ(POLLIN, revents(srv, POLLIN | POLLOUT));
	EXPECT_EQ(POLLIN | POLLOUT, revents(l, POLLIN | POLLOUT));
	ASSERT_EQ(1, write(w, "b", 1));
	/* full: writers lose POLLOUT */
	EXPECT_EQ(0, revents(w, POLLIN | POLLOUT));
	EXPECT_EQ(POLLIN, revents(l, POLLIN | POLLOUT));
	ASSERT_EQ(1, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(0, revents(w, POLLOUT));	/* l is still full */
	ASSERT_EQ(1, read(l, buf, sizeof(buf)));
	EXPECT_EQ(POLLOUT, revents(w, POLLOUT));
	ASSERT_EQ(1, read(l, buf, sizeof(buf)));
	EXPECT_EQ(POLLOUT, revents(l, POLLIN | POLLOUT));
	EXPECT_EQ(POLLIN, revents(srv, POLLIN));
	ASSERT_EQ(1, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(0, revents(srv, POLLIN));

	close(srv);
	EXPECT_EQ(POLLHUP | POLLERR, revents(w, POLLOUT));
	EXPECT_EQ(POLLHUP | POLLERR, revents(l, POLLIN | POLLOUT));
	close(l);
	close(w);
}

TEST(poll_drop_always_writable)
{
	const char *name = mst_name("poll");
	int srv, w;

	srv = mst_slot_create_lim(name, 10, 1, 0, MAILSLOT_OVERFLOW_DROP, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, write(w, "a", 1));
	EXPECT_EQ(POLLOUT, revents(w, POLLOUT));
	close(w);
	close(srv);
}

/* POLLOUT means a message of any size fits in every queue. */
TEST(pollout_by_bytes)
{
	const char *name = mst_name("poll");
	char big[100] = { 0 }, buf[100];
	int srv, w;

	srv = mst_slot_create_lim(name, 100, 0, 250, MAILSLOT_OVERFLOW_BLOCK, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(100, write(w, big, 100));
	EXPECT_EQ(POLLOUT, revents(w, POLLOUT));
	ASSERT_EQ(100, write(w, big, 100));
	EXPECT_EQ(0, revents(w, POLLOUT));
	ASSERT_EQ(100, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(POLLOUT, revents(w, POLLOUT));
	close(w);
	close(srv);
}

struct delayed {
	int fd;
	int close_it;
};

static void *delayed_action(void *arg)
{
	struct delayed *d = arg;

	usleep(100000);
	if (d->close_it)
		close(d->fd);
	else if (write(d->fd, "wake", 4) != 4)
		return (void *)1;
	return NULL;
}

TEST(epoll_wakeups)
{
	const char *name = mst_name("poll");
	struct epoll_event ev, out[4];
	struct delayed d;
	int srv, w, l, ep, n, i, seen = 0;
	pthread_t t;
	char buf[8];

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ev.events = EPOLLIN;
	ev.data.fd = l;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev));
	ev.events = EPOLLIN | EPOLLET;
	ev.data.fd = srv;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev));
	EXPECT_EQ(0, epoll_wait(ep, out, 4, 0));

	/* a write from another thread wakes both readers */
	d.fd = w;
	d.close_it = 0;
	ASSERT_EQ(0, pthread_create(&t, NULL, delayed_action, &d));
	n = epoll_wait(ep, out, 4, 5000);
	ASSERT_LE(1, n);
	pthread_join(t, NULL);
	for (i = 0; i < n; i++)
		seen |= out[i].data.fd == srv ? 1 : 2;
	n = epoll_wait(ep, out, 4, 0);
	for (i = 0; i < n; i++)
		seen |= out[i].data.fd == srv ? 1 : 2;
	EXPECT_EQ(3, seen);
	/* level-triggered l stays ready, edge-triggered srv does not */
	EXPECT_EQ(1, epoll_wait(ep, out, 4, 0));
	EXPECT_EQ(l, out[0].data.fd);
	ASSERT_EQ(4, read(l, buf, sizeof(buf)));
	EXPECT_EQ(0, epoll_wait(ep, out, 4, 0));

	/* closing the server: EPOLLHUP on the listener, even unrequested */
	d.fd = srv;
	d.close_it = 1;
	ev.events = 0;
	ev.data.fd = w;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, w, &ev));
	ASSERT_EQ(0, pthread_create(&t, NULL, delayed_action, &d));
	pthread_join(t, NULL);
	ASSERT_EQ(2, epoll_wait(ep, out, 4, 5000));
	EXPECT_TRUE(out[0].events & EPOLLHUP);
	EXPECT_TRUE(out[1].events & EPOLLHUP);
	close(ep);
	close(l);
	close(w);
}

TEST(select_works)
{
	const char *name = mst_name("poll");
	struct timeval tv = { 0, 0 };
	fd_set rfds, wfds;
	int srv, w;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	FD_ZERO(&rfds);
	FD_ZERO(&wfds);
	FD_SET(srv, &rfds);
	FD_SET(w, &wfds);
	EXPECT_EQ(1, select(FD_SETSIZE, &rfds, &wfds, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(w, &wfds));
	ASSERT_EQ(1, write(w, "x", 1));
	FD_SET(srv, &rfds);
	EXPECT_EQ(2, select(FD_SETSIZE, &rfds, &wfds, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(srv, &rfds));
	close(srv);
	/* a dead slot: the writer selects writable (the write fails at once) */
	FD_ZERO(&wfds);
	FD_SET(w, &wfds);
	EXPECT_EQ(1, select(FD_SETSIZE, NULL, &wfds, NULL, &tv));
	close(w);
}

TEST_HARNESS_MAIN
