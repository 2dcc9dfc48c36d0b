// SPDX-License-Identifier: GPL-2.0
/*
 * Fan-out: every reader (server and listeners) gets its
 * own copy of every message written after it opened; listeners need read
 * permission on the node; the payload is charged once, not per reader.
 */
#define _GNU_SOURCE
#include "mailslot_test.h"
#include "kselftest_harness.h"

#define NREADERS 8

TEST(every_reader_gets_a_copy)
{
	const char *name = mst_name("fan");
	int srv, w, l[NREADERS], late, i, k;
	struct mailslot_info info;
	char buf[64];

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(5, write(w, "early", 5));	/* only the server sees it */
	for (i = 0; i < NREADERS; i++) {
		l[i] = mst_slot_open(name, O_RDONLY);
		ASSERT_LE(0, l[i]);
	}
	for (k = 0; k < 10; k++) {
		snprintf(buf, sizeof(buf), "msg %d", k);
		ASSERT_EQ(strlen(buf), write(w, buf, strlen(buf)));
	}
	late = mst_slot_open(name, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, late);
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(NREADERS + 2, info.readers);
	EXPECT_EQ(11, info.msgs);
	EXPECT_EQ(11, info.sent);

	EXPECT_EQ(5, read(srv, buf, sizeof(buf)));
	for (i = -1; i < NREADERS; i++) {
		int fd = i < 0 ? srv : l[i];

		for (k = 0; k < 10; k++) {
			char want[64];
			int n;

			snprintf(want, sizeof(want), "msg %d", k);
			n = read(fd, buf, sizeof(buf));
			ASSERT_EQ(strlen(want), n);
			ASSERT_EQ(0, memcmp(want, buf, n));
		}
		EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
		EXPECT_EQ(EAGAIN, errno);
	}
	/* a late listener only sees later messages */
	EXPECT_EQ(-1, read(late, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(4, write(w, "late", 4));
	EXPECT_EQ(4, read(late, buf, sizeof(buf)));
	EXPECT_EQ(4, read(l[3], buf, sizeof(buf)));

	for (i = 0; i < NREADERS; i++)
		close(l[i]);
	close(late);
	close(w);
	close(srv);
}

/* A reader that closes with messages queued does not hold up others. */
TEST(close_with_queue)
{
	const char *name = mst_name("fan");
	struct mailslot_info info;
	int srv, w, l;
	char buf[8];

	srv = mst_slot_create_lim(name, 0, 2, 0, MAILSLOT_OVERFLOW_FAIL, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ASSERT_EQ(1, write(w, "a", 1));
	ASSERT_EQ(1, write(w, "b", 1));
	EXPECT_EQ(1, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(w, "c", 1));	/* l is full */
	EXPECT_EQ(EAGAIN, errno);
	close(l);
	EXPECT_EQ(1, write(w, "c", 1));
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(2, info.msgs);
	EXPECT_EQ(1, info.readers);
	close(w);
	close(srv);
}

static int open_as_user(void *arg)
{
	const char *name = arg;
	int fd;

	/* mode 0622: others may write but not listen */
	fd = mst_slot_open(name, O_RDONLY);
	if (fd >= 0 || errno != EACCES)
		return 1;
	fd = mst_slot_open(name, O_RDWR);
	if (fd >= 0 || errno != EACCES)
		return 2;
	fd = mst_slot_open(name, O_WRONLY);
	if (fd < 0)
		return 3;
	if (write(fd, "from user", 9) != 9)
		return 4;
	close(fd);
	return 0;
}

TEST(listen_needs_read_permission)
{
	const char *name = mst_name("fan");
	struct mailslot_create c;
	char buf[16];
	int srv;

	memset(&c, 0, sizeof(c));
	c.mode = 0622;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	EXPECT_EQ(0, mst_as_user(open_as_user, (void *)name));
	EXPECT_EQ(9, read(srv, buf, sizeof(buf)));
	close(srv);
}

struct charge_arg {
	const char *name;
	int size;
};

static int write_big_as_user(void *arg)
{
	struct charge_arg *a = arg;
	char *buf = calloc(1, a->size);
	int fd;

	fd = mst_slot_open(a->name, O_WRONLY);
	if (fd < 0)
		return 1;
	/* one copy fits the per-user budget, NREADERS copies would not */
	if (write(fd, buf, a->size) != a->size)
		return 2;
	/* the second copy does not fit */
	if (write(fd, buf, a->size) != -1 || errno != ENOSPC)
		return 3;
	close(fd);
	return 0;
}

/* The payload is charged (and so stored) once for all readers. */
TEST(payload_charged_once)
{
	const char *name = mst_name("fan");
	struct charge_arg a = { name, 60000 };
	long long old = mst_param_get("max_queued_bytes_per_user");
	struct mailslot_create c;
	int srv, l[NREADERS], i;
	char *buf = malloc(a.size);

	ASSERT_LT(0, old);
	memset(&c, 0, sizeof(c));
	c.mode = 0666;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	for (i = 0; i < NREADERS; i++) {
		l[i] = mst_slot_open(name, O_RDONLY);
		ASSERT_LE(0, l[i]);
	}
	ASSERT_EQ(0, mst_param_set("max_queued_bytes_per_user", 100000));
	EXPECT_EQ(0, mst_as_user(write_big_as_user, &a));
	/* every reader got it; the last one to read frees the charge */
	for (i = 0; i < NREADERS; i++)
		EXPECT_EQ(a.size, read(l[i], buf, a.size));
	EXPECT_EQ(a.size, read(srv, buf, a.size));
	EXPECT_EQ(0, mst_as_user(write_big_as_user, &a));
	ASSERT_EQ(0, mst_param_set("max_queued_bytes_per_user", old));
	for (i = 0; i < NREADERS; i++)
		close(l[i]);
	close(srv);
	free(buf);
}

TEST_HARNESS_MAIN
