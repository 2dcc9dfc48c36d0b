// SPDX-License-Identifier: GPL-2.0
/*
 * Slot lifetime: the slot lives while the server fd is
 * open; closing it removes the node and frees the name, wakes blocked
 * readers and writers, later writes get EPIPE without a signal, listeners
 * drain and then read end of file.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <poll.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

static volatile sig_atomic_t got_sigpipe;

static void on_sigpipe(int sig)
{
	got_sigpipe = 1;
}

TEST(close_server)
{
	const char *name = mst_name("life");
	struct mailslot_info info;
	char path[300], buf[16];
	struct stat st;
	int srv, l, w, srv2;

	signal(SIGPIPE, on_sigpipe);
	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, l);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, write(w, "a", 1));
	ASSERT_EQ(1, write(w, "b", 1));

	close(srv);
	mst_slot_path(path, sizeof(path), name);
	EXPECT_EQ(-1, stat(path, &st));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, open(path, O_WRONLY));

	/* writers: EPIPE, no SIGPIPE */
	EXPECT_EQ(-1, write(w, "c", 1));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(0, got_sigpipe);

	/* listeners drain, then end of file */
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_TRUE(info.flags & MAILSLOT_INFO_CLOSED);
	EXPECT_EQ(2, info.msgs);
	EXPECT_EQ(1, read(l, buf, sizeof(buf)));
	EXPECT_EQ('a', buf[0]);
	EXPECT_EQ(1, read(l, buf, sizeof(buf)));
	EXPECT_EQ('b', buf[0]);
	EXPECT_EQ(0, read(l, buf, sizeof(buf)));
	EXPECT_EQ(0, read(l, buf, sizeof(buf)));

	/* the name is free at once; the old handles stay with the old slot */
	srv2 = mst_slot_create(name);
	ASSERT_LE(0, srv2);
	EXPECT_EQ(-1, write(w, "d", 1));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(0, read(l, buf, sizeof(buf)));
	ASSERT_EQ(0, mst_slot_info(srv2, &info));
	EXPECT_EQ(1, info.readers);
	EXPECT_EQ(0, info.writers);
	close(srv2);
	close(l);
	close(w);
	signal(SIGPIPE, SIG_DFL);
}

TEST(sigpipe_default_not_raised)
{
	const char *name = mst_name("life");
	int srv, w, status;
	pid_t pid;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	close(srv);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		signal(SIGPIPE, SIG_DFL);
		_exit(write(w, "x", 1) == -1 && errno == EPIPE ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(w);
}

struct blocked {
	int fd;
	ssize_t ret;
	int err;
};

static void *blocked_read(void *arg)
{
	struct blocked *b = arg;
	char buf[16];

	b->ret = read(b->fd, buf, sizeof(buf));
	b->err = errno;
	return NULL;
}

static void *blocked_write(void *arg)
{
	struct blocked *b = arg;

	b->ret = write(b->fd, "x", 1);
	b->err = errno;
	return NULL;
}

TEST(close_wakes_blocked)
{
	const char *name = mst_name("life");
	struct blocked rd, wr;
	pthread_t tr, tw;
	char buf[4];
	int srv, l, w;

	/* one message fills the queue; the listener waits forever */
	srv = mst_slot_create_lim(name, 0, 1, 0, MAILSLOT_OVERFLOW_BLOCK,
			      MAILSLOT_TIMEOUT_INFINITE);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, write(w, "1", 1));
	/* the listener drains its queue, then blocks */
	ASSERT_EQ(1, read(l, buf, sizeof(buf)));
	rd.fd = l;
	wr.fd = w;
	ASSERT_EQ(0, pthread_create(&tr, NULL, blocked_read, &rd));
	ASSERT_EQ(0, pthread_create(&tw, NULL, blocked_write, &wr));
	usleep(200000);
	close(srv);
	ASSERT_EQ(0, pthread_join(tr, NULL));
	ASSERT_EQ(0, pthread_join(tw, NULL));
	EXPECT_EQ(0, rd.ret);
	EXPECT_EQ(-1, wr.ret);
	EXPECT_EQ(EPIPE, wr.err);
	close(l);
	close(w);
}

TEST(hup)
{
	const char *name = mst_name("life");
	struct pollfd p[2];
	int srv, l, w;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	p[0].fd = l;
	p[0].events = POLLIN;
	p[1].fd = w;
	p[1].events = POLLOUT;
	ASSERT_EQ(1, poll(p, 2, 0));
	EXPECT_EQ(0, p[0].revents);
	EXPECT_EQ(POLLOUT, p[1].revents);
	close(srv);
	ASSERT_EQ(2, poll(p, 2, 0));
	EXPECT_EQ(POLLHUP, p[0].revents);
	EXPECT_EQ(POLLHUP | POLLERR, p[1].revents);
	close(l);
	close(w);
}

/* Closing listeners and writers first does not end the slot. */
TEST(others_close_first)
{
	const char *name = mst_name("life");
	struct mailslot_info info;
	char buf[8];
	int srv, l, w;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDWR);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(MAILSLOT_INFO_READER | MAILSLOT_INFO_WRITER, info.flags);
	EXPECT_EQ(2, info.readers);
	EXPECT_EQ(1, info.writers);
	ASSERT_EQ(2, write(l, "hi", 2));
	close(l);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(1, info.readers);
	EXPECT_EQ(1, info.writers);
	EXPECT_EQ(2, read(srv, buf, sizeof(buf)));
	close(w);
	close(srv);
}

TEST_HARNESS_MAIN
