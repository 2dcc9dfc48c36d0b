// SPDX-License-Identifier: GPL-2.0
/*
 * GetMailslotInfo/SetMailslotInfo: MAILSLOT_IOC_GET_INFO
 * and MAILSLOT_IOC_SET_TIMEOUT.
 */
#define _GNU_SOURCE
#include "mailslot_test.h"
#include "kselftest_harness.h"

TEST(info_fields)
{
	const char *name = mst_name("info");
	struct mailslot_info info;
	int srv, l, w, w2, i;
	char buf[64];

	srv = mst_slot_create_lim(name, 32, 3, 64, MAILSLOT_OVERFLOW_DROP, 777);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	w2 = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w2);

	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(777, info.read_timeout_ns);
	EXPECT_EQ(0, info.msgs);
	EXPECT_EQ(0, info.bytes);
	EXPECT_EQ(0, info.drops);
	EXPECT_EQ(0, info.sent);
	EXPECT_EQ(32, info.max_msg_size);
	EXPECT_EQ(MAILSLOT_NO_MESSAGE, info.next_size);
	EXPECT_EQ(3, info.max_msgs);
	EXPECT_EQ(64, info.max_bytes);
	EXPECT_EQ(2, info.readers);
	EXPECT_EQ(2, info.writers);
	EXPECT_EQ(MAILSLOT_OVERFLOW_DROP, info.overflow);
	EXPECT_EQ(MAILSLOT_INFO_READER, info.flags);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, info.reserved[i]);

	ASSERT_EQ(5, write(w, "12345", 5));
	ASSERT_EQ(3, write(w2, "abc", 3));
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(2, info.msgs);
	EXPECT_EQ(8, info.bytes);
	EXPECT_EQ(5, info.next_size);
	EXPECT_EQ(2, info.sent);
	ASSERT_EQ(5, read(l, buf, sizeof(buf)));
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(1, info.msgs);
	EXPECT_EQ(3, info.bytes);
	EXPECT_EQ(3, info.next_size);
	/* the server's queue is its own */
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(2, info.msgs);
	EXPECT_EQ(MAILSLOT_INFO_READER | MAILSLOT_INFO_SERVER, info.flags);

	/* drops: 3 more into a queue of 3 */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(1, write(w, "x", 1));
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(2, info.drops);
	EXPECT_EQ(3, info.msgs);
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(1, info.drops);

	/* a write-only handle: reader fields are zero */
	ASSERT_EQ(0, mst_slot_info(w, &info));
	EXPECT_EQ(MAILSLOT_INFO_WRITER, info.flags);
	EXPECT_EQ(0, info.msgs);
	EXPECT_EQ(0, info.bytes);
	EXPECT_EQ(0, info.drops);
	EXPECT_EQ(0, info.read_timeout_ns);
	EXPECT_EQ(5, info.sent);
	EXPECT_EQ(32, info.max_msg_size);

	close(w2);
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(1, info.writers);
	close(srv);
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(MAILSLOT_INFO_READER | MAILSLOT_INFO_CLOSED, info.flags);
	EXPECT_EQ(1, info.readers);
	EXPECT_EQ(-1, ioctl(l, MAILSLOT_IOC_GET_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);
	close(w);
	close(l);
}

TEST(fionread)
{
	const char *name = mst_name("info");
	int srv, w, n;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(0, ioctl(srv, FIONREAD, &n));
	EXPECT_EQ(0, n);
	ASSERT_EQ(7, write(w, "1234567", 7));
	ASSERT_EQ(0, ioctl(srv, FIONREAD, &n));
	EXPECT_EQ(7, n);
	EXPECT_EQ(-1, ioctl(w, FIONREAD, &n));
	EXPECT_EQ(EBADF, errno);
	close(w);
	close(srv);
}

TEST_HARNESS_MAIN
