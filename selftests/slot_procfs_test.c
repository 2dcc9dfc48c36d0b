// SPDX-License-Identifier: GPL-2.0
/*
 * Observability: /proc/mailslot lists every live slot:
 *   name uid gid mode readers writers msgs bytes drops sent received
 */
#define _GNU_SOURCE
#include "mailslot_test.h"
#include "kselftest_harness.h"

#define PROC_PATH MST_PROCFS

TEST(listing)
{
	const char *name = mst_name("proc/x");
	struct mailslot_create c;
	char header[1024], buf[16];
	struct stat st;
	struct mst_procfs_row r;
	int srv, w, l;

	ASSERT_EQ(0, stat(PROC_PATH, &st));
	EXPECT_EQ(0444, st.st_mode & 0777);

	memset(&c, 0, sizeof(c));
	c.mode = 0640;
	c.max_msgs = 2;
	c.overflow = MAILSLOT_OVERFLOW_DROP;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	ASSERT_EQ(1, mst_procfs_find(name, &r, header, sizeof(header)));
	EXPECT_STREQ("name uid gid mode readers writers msgs bytes drops sent received\n",
		     header);
	EXPECT_EQ(geteuid(), r.uid);
	EXPECT_EQ(getegid(), r.gid);
	EXPECT_EQ(0640, r.mode);
	EXPECT_EQ(1, r.readers);
	EXPECT_EQ(0, r.writers);
	EXPECT_EQ(0, r.msgs);

	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ASSERT_EQ(3, write(w, "abc", 3));
	ASSERT_EQ(2, write(w, "de", 2));
	ASSERT_EQ(1, mst_procfs_find(name, &r, NULL, 0));
	EXPECT_EQ(2, r.readers);
	EXPECT_EQ(1, r.writers);
	/* messages and bytes stored once, however many readers */
	EXPECT_EQ(2, r.msgs);
	EXPECT_EQ(5, r.bytes);
	EXPECT_EQ(2, r.sent);
	EXPECT_EQ(0, r.received);
	ASSERT_EQ(3, read(srv, buf, sizeof(buf)));
	ASSERT_EQ(1, mst_procfs_find(name, &r, NULL, 0));
	EXPECT_EQ(2, r.msgs);	/* l still has "abc" */
	EXPECT_EQ(1, r.received);
	ASSERT_EQ(3, read(l, buf, sizeof(buf)));
	ASSERT_EQ(1, mst_procfs_find(name, &r, NULL, 0));
	EXPECT_EQ(1, r.msgs);
	EXPECT_EQ(2, r.bytes);
	EXPECT_EQ(2, r.received);
	/* two more: both queues had one, now each drops one */
	ASSERT_EQ(1, write(w, "f", 1));
	ASSERT_EQ(1, write(w, "g", 1));
	ASSERT_EQ(1, mst_procfs_find(name, &r, NULL, 0));
	EXPECT_EQ(2, r.drops);
	EXPECT_EQ(4, r.sent);

	close(srv);
	EXPECT_EQ(0, mst_procfs_find(name, &r, NULL, 0));
	close(w);
	close(l);
}

static int read_as_user(void *arg)
{
	const char *name = arg;
	struct mst_procfs_row r;

	return mst_procfs_find(name, &r, NULL, 0) == 1 ? 0 : 1;
}

TEST(world_readable)
{
	const char *name = mst_name("proc");
	int srv;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	EXPECT_EQ(0, mst_as_user(read_as_user, (void *)name));
	close(srv);
}

TEST(many_slots)
{
	int fd[40], i, n = 0;
	FILE *f;
	char line[512];

	for (i = 0; i < 40; i++) {
		fd[i] = mst_slot_create(mst_name("many"));
		ASSERT_LE(0, fd[i]);
	}
	f = fopen(PROC_PATH, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "-many-"))
			n++;
	fclose(f);
	EXPECT_EQ(40, n);
	for (i = 0; i < 40; i++)
		close(fd[i]);
}

TEST_HARNESS_MAIN
