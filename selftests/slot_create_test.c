// SPDX-License-Identifier: GPL-2.0
/*
 * Slot creation: the create ioctl, the server fd, the
 * node /dev/mailslot/NAME with owner and mode, name rules, defaults and
 * limits.
 */
#define _GNU_SOURCE
#include "mailslot_test.h"
#include "kselftest_harness.h"

TEST(create_basic)
{
	const char *name = mst_name("basic");
	struct mailslot_info info;
	char path[300];
	struct stat st;
	int fd, fl;

	fd = mst_slot_create(name);
	ASSERT_LE(0, fd) TH_LOG("create: %s", strerror(-fd));
	/* O_CLOEXEC, read-only, blocking by default */
	fl = fcntl(fd, F_GETFD);
	EXPECT_TRUE(fl & FD_CLOEXEC);
	fl = fcntl(fd, F_GETFL);
	EXPECT_EQ(O_RDONLY, fl & O_ACCMODE);
	EXPECT_FALSE(fl & O_NONBLOCK);
	EXPECT_EQ(-1, write(fd, "x", 1));
	EXPECT_EQ(EBADF, errno);

	/* the node exists at once, owned by us, mode 0600 by default */
	mst_slot_path(path, sizeof(path), name);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(geteuid(), st.st_uid);
	EXPECT_EQ(getegid(), st.st_gid);

	/* defaults; the server is the first reader */
	ASSERT_EQ(0, mst_slot_info(fd, &info));
	EXPECT_EQ(MAILSLOT_DEFAULT_MAX_MSG_SIZE, info.max_msg_size);
	EXPECT_EQ(MAILSLOT_DEFAULT_MAX_MSGS, info.max_msgs);
	EXPECT_EQ(MAILSLOT_DEFAULT_MAX_BYTES, info.max_bytes);
	EXPECT_EQ(0, info.read_timeout_ns);
	EXPECT_EQ(MAILSLOT_OVERFLOW_BLOCK, info.overflow);
	EXPECT_EQ(1, info.readers);
	EXPECT_EQ(0, info.writers);
	EXPECT_EQ(MAILSLOT_INFO_READER | MAILSLOT_INFO_SERVER, info.flags);
	EXPECT_EQ(MAILSLOT_NO_MESSAGE, info.next_size);

	close(fd);
	EXPECT_EQ(-1, stat(path, &st));
	EXPECT_EQ(ENOENT, errno);
}

TEST(create_mode_limits_flags)
{
	const char *name = mst_name("mode");
	struct mailslot_create c;
	struct mailslot_info info;
	char path[300];
	struct stat st;
	int fd;

	memset(&c, 0, sizeof(c));
	c.mode = 0642;
	c.max_msg_size = 100;
	c.max_msgs = 7;
	c.max_bytes = 1000;
	c.overflow = MAILSLOT_OVERFLOW_DROP;
	c.read_timeout_ns = 12345;
	c.flags = MAILSLOT_CREATE_NONBLOCK;
	fd = mst_slot_create_args(&c, name);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	mst_slot_path(path, sizeof(path), name);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0642, st.st_mode & 07777);
	ASSERT_EQ(0, mst_slot_info(fd, &info));
	EXPECT_EQ(100, info.max_msg_size);
	EXPECT_EQ(7, info.max_msgs);
	EXPECT_EQ(1000, info.max_bytes);
	EXPECT_EQ(MAILSLOT_OVERFLOW_DROP, info.overflow);
	EXPECT_EQ(12345, info.read_timeout_ns);
	close(fd);

	/* max_bytes 0 is never less than max_msg_size */
	memset(&c, 0, sizeof(c));
	c.max_msg_size = 2 << 20;
	fd = mst_slot_create_args(&c, mst_name("mode"));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mst_slot_info(fd, &info));
	EXPECT_EQ(2 << 20, info.max_bytes);
	close(fd);

	/* the largest allowed values */
	memset(&c, 0, sizeof(c));
	c.max_msgs = MAILSLOT_MAX_MSGS_LIMIT;
	c.max_bytes = MAILSLOT_MAX_BYTES_LIMIT;
	c.max_msg_size = mst_param_get("max_msg_size");
	fd = mst_slot_create_args(&c, mst_name("mode"));
	ASSERT_LE(0, fd);
	close(fd);
}

TEST(create_bad_args)
{
	struct mailslot_create c;
	int ctl;

	memset(&c, 0, sizeof(c));
	c.mode = 01777;
	EXPECT_EQ(-EINVAL, mst_slot_create_args(&c, mst_name("bad")));
	memset(&c, 0, sizeof(c));
	c.max_msgs = MAILSLOT_MAX_MSGS_LIMIT + 1;
	EXPECT_EQ(-EINVAL, mst_slot_create_args(&c, mst_name("bad")));
	memset(&c, 0, sizeof(c));
	c.max_bytes = MAILSLOT_MAX_BYTES_LIMIT + 1;
	EXPECT_EQ(-EINVAL, mst_slot_create_args(&c, mst_name("bad")));
	memset(&c, 0, sizeof(c));
	c.max_msg_size = 1000;
	c.max_bytes = 999;
	EXPECT_EQ(-EINVAL, mst_slot_create_args(&c, mst_name("bad")));
	memset(&c, 0, sizeof(c));
	c.max_msg_size = mst_param_get("max_msg_size") + 1;
	EXPECT_EQ(-EINVAL, mst_slot_create_args(&c, mst_name("bad")));
	memset(&c, 0, sizeof(c));
	c.overflow = 3;
	EXPECT_EQ(-EINVAL, mst_slot_create_args(&c, mst_name("bad")));
	memset(&c, 0, sizeof(c));
	c.flags = 8;	/* the first undefined flag */
	EXPECT_EQ(-EINVAL, mst_slot_create_args(&c, mst_name("bad")));
	memset(&c, 0, sizeof(c));
	c.reserved[1] = 1;
	EXPECT_EQ(-EINVAL, mst_slot_create_args(&c, mst_name("bad")));

	/* bad pointers */
	ctl = mst_control();
	ASSERT_LE(0, ctl);
	EXPECT_EQ(-1, ioctl(ctl, MAILSLOT_IOC_CREATE, NULL));
	EXPECT_EQ(EFAULT, errno);
	memset(&c, 0, sizeof(c));
	c.name = 16;
	EXPECT_EQ(-1, ioctl(ctl, MAILSLOT_IOC_CREATE, &c));
	EXPECT_EQ(EFAULT, errno);
	close(ctl);
}

TEST(names)
{
	static const char * const bad[] = {
		"", "/", "/a", "a/", "a//b", ".", "..", "a/.", "./a", "a/../b",
		"a b", "tab\there", "nl\n", "\x7f", "caf\xc3\xa9", "control",
		"control/x",
	};
	char longname[300], path[300];
	struct stat st;
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, mst_slot_create(bad[i])) TH_LOG("bad name #%u", i);

	/* 255 bytes are fine, 256 are not */
	snprintf(longname, sizeof(longname), "t-%d-", getpid());
	memset(longname + strlen(longname), 'x', 255 - strlen(longname));
	longname[255] = 0;
	fd = mst_slot_create(longname);
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(-fd));
	close(fd);
	longname[255] = 'y';
	longname[256] = 0;
	EXPECT_EQ(-EINVAL, mst_slot_create(longname));

	/* odd but printable names; dots inside components are fine */
	snprintf(longname, sizeof(longname), "t-%d-!#$%%&'()*+,-.:;<=>?@[]^_`{|}~\\\"", getpid());
	fd = mst_slot_create(longname);
	ASSERT_LE(0, fd);
	mst_slot_path(path, sizeof(path), longname);
	EXPECT_EQ(0, stat(path, &st));
	close(fd);
	snprintf(longname, sizeof(longname), "t-%d-.../..a/b..", getpid());
	fd = mst_slot_create(longname);
	ASSERT_LE(0, fd);
	close(fd);
	/* "controller" and "x/control" are not reserved */
	fd = mst_slot_create("controller");
	ASSERT_LE(0, fd);
	close(fd);
}

TEST(name_taken)
{
	char a[64], ab[128], abc[128], path[300];
	struct stat st;
	int fa, fab, fabc, f;

	snprintf(a, sizeof(a), "t-%d-dir", getpid());
	snprintf(ab, sizeof(ab), "%s/b", a);
	snprintf(abc, sizeof(abc), "%s/b/c", a);

	fab = mst_slot_create(ab);
	ASSERT_LE(0, fab);
	EXPECT_EQ(-EEXIST, mst_slot_create(ab));
	/* "a" would be the directory of "a/b", "a/b/c" would be below a node */
	EXPECT_EQ(-EEXIST, mst_slot_create(a));
	EXPECT_EQ(-EEXIST, mst_slot_create(abc));

	mst_slot_path(path, sizeof(path), ab);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	mst_slot_path(path, sizeof(path), a);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));

	/* the writer of a sibling works */
	snprintf(abc, sizeof(abc), "%s/c", a);
	fabc = mst_slot_create(abc);
	ASSERT_LE(0, fabc);
	f = mst_slot_open(abc, O_WRONLY);
	ASSERT_LE(0, f);
	EXPECT_EQ(3, write(f, "abc", 3));
	close(f);

	close(fab);
	close(fabc);
	/* the directory goes with its last node, and "a" is free again */
	EXPECT_EQ(-1, stat(path, &st));
	fa = mst_slot_create(a);
	ASSERT_LE(0, fa);
	close(fa);
}

static int create_as_user(void *arg)
{
	const char *name = arg;
	char path[300];
	struct stat st;
	int fd;

	fd = mst_slot_create(name);
	if (fd < 0)
		return 1;
	mst_slot_path(path, sizeof(path), name);
	if (stat(path, &st))
		return 2;
	if (st.st_uid != MST_UID || st.st_gid != MST_GID)
		return 3;
	close(fd);
	return 0;
}

TEST(owner_is_creator)
{
	char name[128];

	snprintf(name, sizeof(name), "%s", mst_name("owner"));
	EXPECT_EQ(0, mst_as_user(create_as_user, name));
}

TEST(bad_ioctl)
{
	int ctl = mst_control(), fd;

	ASSERT_LE(0, ctl);
	EXPECT_EQ(-1, ioctl(ctl, _IO(MAILSLOT_IOC_MAGIC, 0x3f)));
	EXPECT_EQ(ENOTTY, errno);
	close(ctl);
	fd = mst_slot_create(mst_name("ioctl"));
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, MAILSLOT_IOC_CREATE, NULL));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	close(fd);
}

TEST_HARNESS_MAIN
