// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user bounds: the module parameters
 * max_slots_per_user, max_queued_bytes_per_user and max_msg_size.
 * Exceeding the first two gives ENOSPC to users without CAP_SYS_RESOURCE;
 * a slot may not ask for a max_msg_size above the third (EINVAL).
 */
#define _GNU_SOURCE
#include "mailslot_test.h"
#include "kselftest_harness.h"

TEST(defaults)
{
	struct stat st;

	ASSERT_EQ(0, stat(MST_PARAM_DIR "max_slots_per_user", &st));
	EXPECT_EQ(0644, st.st_mode & 0777);
	ASSERT_EQ(0, stat(MST_PARAM_DIR "max_queued_bytes_per_user", &st));
	EXPECT_EQ(0644, st.st_mode & 0777);
	ASSERT_EQ(0, stat(MST_PARAM_DIR "max_msg_size", &st));
	EXPECT_EQ(0644, st.st_mode & 0777);
	EXPECT_EQ(128, mst_param_get("max_slots_per_user"));
	EXPECT_EQ(64 << 20, mst_param_get("max_queued_bytes_per_user"));
	EXPECT_EQ(4 << 20, mst_param_get("max_msg_size"));
}

/* The tests change module parameters: set back afterwards. */
FIXTURE(params) {
	struct mst_params saved;
};

FIXTURE_SETUP(params)
{
	ASSERT_EQ(0, mst_params_save(&self->saved));
}

FIXTURE_TEARDOWN(params)
{
	mst_params_restore(&self->saved);
}

static int slots_as_user(void *arg)
{
	int fd[4], i;

	for (i = 0; i < 3; i++) {
		fd[i] = mst_slot_create(mst_name("lim"));
		if (fd[i] < 0)
			return 10 + i;
	}
	if (mst_slot_create(mst_name("lim")) != -ENOSPC)
		return 20;
	/* a slot whose server closed no longer counts */
	close(fd[0]);
	fd[3] = mst_slot_create(mst_name("lim"));
	if (fd[3] < 0)
		return 21;
	return 0;
}

TEST_F(params, slots_per_user)
{
	int fd[5], i;

	ASSERT_EQ(0, mst_param_set("max_slots_per_user", 3));
	EXPECT_EQ(0, mst_as_user(slots_as_user, NULL));
	/* root (CAP_SYS_RESOURCE) is exempt */
	for (i = 0; i < 5; i++) {
		fd[i] = mst_slot_create(mst_name("lim"));
		EXPECT_LE(0, fd[i]);
	}
	for (i = 0; i < 5; i++)
		close(fd[i]);
}

struct bytes_arg {
	const char *name;
};

static int bytes_as_user(void *arg)
{
	struct bytes_arg *a = arg;
	static char buf[4096];
	int w, n = 0;

	w = mst_slot_open(a->name, O_WRONLY);
	if (w < 0)
		return 1;
	/* 10000 bytes allowed: two 4 KiB messages plus overhead, not three */
	while (write(w, buf, sizeof(buf)) == sizeof(buf))
		n++;
	if (errno != ENOSPC)
		return 2;
	if (n != 2)
		return 3;
	/* small messages still fit until the budget is used */
	if (write(w, buf, 100) != 100)
		return 4;
	close(w);
	return 0;
}

TEST_F(params, queued_bytes_per_user)
{
	const char *name = mst_name("lim");
	struct bytes_arg a = { name };
	struct mailslot_create c;
	struct mailslot_info info;
	static char buf[4096];
	int srv, w;

	memset(&c, 0, sizeof(c));
	c.mode = 0666;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, mst_param_set("max_queued_bytes_per_user", 10000));
	EXPECT_EQ(0, mst_as_user(bytes_as_user, &a));
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(3, info.msgs);
	/* reading frees the budget */
	while (read(srv, buf, sizeof(buf)) > 0)
		;
	EXPECT_EQ(0, mst_as_user(bytes_as_user, &a));
	/* root is exempt */
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	EXPECT_EQ(4096, write(w, buf, sizeof(buf)));
	EXPECT_EQ(4096, write(w, buf, sizeof(buf)));
	EXPECT_EQ(4096, write(w, buf, sizeof(buf)));
	close(w);
	close(srv);
}

static int drops_as_user(void *arg)
{
	struct bytes_arg *a = arg;
	static char buf[4096];
	int w, i;

	w = mst_slot_open(a->name, O_WRONLY);
	if (w < 0)
		return 1;
	/* every write drops the one before, so the budget never runs out */
	for (i = 0; i < 50; i++)
		if (write(w, buf, sizeof(buf)) != sizeof(buf))
			return 2;
	close(w);
	return 0;
}

/* Messages dropped or left behind by a closing reader are uncharged. */
TEST_F(params, uncharge_on_drop_and_close)
{
	const char *name = mst_name("lim");
	struct bytes_arg a = { name };
	struct mailslot_create c;
	int srv, l;

	memset(&c, 0, sizeof(c));
	c.mode = 0666;
	c.overflow = MAILSLOT_OVERFLOW_DROP;
	c.max_msgs = 1;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, mst_param_set("max_queued_bytes_per_user", 10000));
	EXPECT_EQ(0, mst_as_user(drops_as_user, &a));
	close(srv);
	close(l);
	/* the last queued message went with its readers */
	name = mst_name("lim");
	a.name = name;
	c.overflow = MAILSLOT_OVERFLOW_FAIL;
	c.max_msgs = 0;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	EXPECT_EQ(0, mst_as_user(bytes_as_user, &a));
	close(srv);
}

TEST_F(params, max_msg_size)
{
	struct mailslot_create c;
	struct mailslot_info info;
	int fd;

	memset(&c, 0, sizeof(c));
	c.max_msg_size = 5 << 20;
	EXPECT_EQ(-EINVAL, mst_slot_create_args(&c, mst_name("lim")));
	ASSERT_EQ(0, mst_param_set("max_msg_size", 8 << 20));
	fd = mst_slot_create_args(&c, mst_name("lim"));
	EXPECT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, mst_param_set("max_msg_size", 1000));
	c.max_msg_size = 1001;
	EXPECT_EQ(-EINVAL, mst_slot_create_args(&c, mst_name("lim")));
	/* the default shrinks with the parameter */
	c.max_msg_size = 0;
	fd = mst_slot_create_args(&c, mst_name("lim"));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mst_slot_info(fd, &info));
	EXPECT_EQ(1000, info.max_msg_size);
	close(fd);
	/* the parameter itself is bounded */
	EXPECT_EQ(-1, mst_param_set("max_msg_size", 0));
	EXPECT_EQ(-1, mst_param_set("max_msg_size", (64 << 20) + 1));
	EXPECT_EQ(1000, mst_param_get("max_msg_size"));
}

TEST_HARNESS_MAIN
