// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * lib_test: every public function of libmailslot, its results and its
 * error paths.  Tests that need the module skip when
 * /dev/mailslot/control is missing; the argument checks run anywhere.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libmailslot.h"
#include "mailslot_test.h"
#include "kselftest_harness.h"

/* ------------------------------------------------ no module needed */

TEST(version)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", LIBMAILSLOT_VERSION_MAJOR,
		 LIBMAILSLOT_VERSION_MINOR, LIBMAILSLOT_VERSION_PATCH);
	ASSERT_NE(NULL, mailslot_version());
	EXPECT_STREQ(want, mailslot_version());
}

TEST(argument_checks)
{
	struct mailslot_attr attr = MAILSLOT_ATTR_INIT;
	struct mailslot_info info;
	char longname[MAILSLOT_NAME_MAX + 2];
	int fds[MAILSLOT_WAIT_MAX + 1] = { 0 };
	char buf[8];
	int p[2];

	EXPECT_EQ(-EINVAL, mailslot_create(NULL, NULL));
	EXPECT_EQ(-EINVAL, mailslot_create("", NULL));
	EXPECT_EQ(-EINVAL, mailslot_create("/dev/mailslot/", NULL));
	attr.reserved[3] = 1;
	EXPECT_EQ(-EINVAL, mailslot_create("x", &attr));
	attr.reserved[3] = 0;
	attr.read_timeout_ms = -7;
	EXPECT_EQ(-EINVAL, mailslot_create("x", &attr));
	attr.read_timeout_ms = 0;
	attr.overflow = -1;
	EXPECT_EQ(-EINVAL, mailslot_create("x", &attr));

	EXPECT_EQ(-EINVAL, mailslot_open(NULL, O_RDONLY));
	EXPECT_EQ(-EINVAL, mailslot_open("x", O_RDONLY | O_CREAT));
	EXPECT_EQ(-EINVAL, mailslot_open("x", O_ACCMODE));
	EXPECT_EQ(-EINVAL, mailslot_open("control", O_RDONLY));
	EXPECT_EQ(-EINVAL, mailslot_open("/dev/mailslot/control", O_WRONLY));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	EXPECT_EQ(-ENAMETOOLONG, mailslot_open(longname, O_RDONLY));
	EXPECT_EQ(-ENAMETOOLONG, mailslot_create(longname, NULL));
	/* Windows names: remote ones are the relay's, bad ones refused */
	/* (no relay listens on mailslotd.138 while the tests run) */
	unsetenv("MAILSLOTD_PORT");
	EXPECT_EQ(-ECONNREFUSED, mailslot_open("\\\\*\\mailslot\\x", O_WRONLY));
	EXPECT_EQ(-ECONNREFUSED, mailslot_open("\\\\127.0.0.1\\mailslot\\x", O_WRONLY));
	EXPECT_EQ(-EINVAL, mailslot_open("\\\\*\\mailslot\\x", O_RDONLY));
	EXPECT_EQ(-EINVAL, mailslot_open("\\\\*\\mailslot\\x", O_WRONLY | O_APPEND));
	EXPECT_EQ(-EOPNOTSUPP, mailslot_create("\\\\*\\mailslot\\x", NULL));
	EXPECT_EQ(-EINVAL, mailslot_open("\\\\.\\pipe\\x", O_WRONLY));
	EXPECT_EQ(-EINVAL, mailslot_open("\\\\.\\mailslot\\a\\\\b", O_WRONLY));
	EXPECT_EQ(-EINVAL, mailslot_create("\\\\.\\mailslot\\control", NULL));

	EXPECT_EQ(-EFAULT, mailslot_send(0, NULL, 5));
	EXPECT_EQ(-EBADF, mailslot_send(-1, "x", 1));
	EXPECT_EQ(-EINVAL, mailslot_sendv(-1, NULL, -1));
	EXPECT_EQ(-EFAULT, mailslot_sendv(-1, NULL, 2));
	EXPECT_EQ(-EFAULT, mailslot_recv(0, NULL, 5, NULL, 0));
	EXPECT_EQ(-EINVAL, mailslot_recv(0, buf, sizeof(buf), NULL, -3));
	EXPECT_EQ(-EBADF, mailslot_recv(-1, buf, sizeof(buf), NULL, 0));
	EXPECT_EQ(-EBADF, mailslot_recv(-1, buf, sizeof(buf), NULL,
					MAILSLOT_HANDLE_TIMEOUT));
	EXPECT_EQ(-EINVAL, mailslot_recv_batch(0, buf, sizeof(buf), 0, NULL, 0));
	EXPECT_EQ(-EINVAL, mailslot_recv_batch(0, buf, sizeof(buf),
					       MAILSLOT_MAX_MSGS_LIMIT + 1, NULL, 0));
	EXPECT_EQ(-EFAULT, mailslot_recv_batch(0, NULL, 8, 1, NULL, 0));
	EXPECT_EQ(-EFAULT, mailslot_get_info(0, NULL));
	EXPECT_EQ(-EBADF, mailslot_get_info(-1, &info));
	EXPECT_EQ(-EINVAL, mailslot_set_timeout(0, -3));
	EXPECT_EQ(-EBADF, mailslot_set_timeout(-1, 10));

	/* Not a mailslot handle: the module's ioctls are unknown there. */
	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-ENOTTY, mailslot_get_info(p[0], &info));
	EXPECT_EQ(-ENOTTY, mailslot_set_timeout(p[0], 10));
	EXPECT_EQ(-EBADF, mailslot_recv(p[1], buf, sizeof(buf), NULL, 0));
	close(p[0]);
	close(p[1]);

	EXPECT_EQ(-EINVAL, mailslot_proc_open(0, 0));
	EXPECT_EQ(-EINVAL, mailslot_proc_open(-5, 0));
	EXPECT_EQ(-EINVAL, mailslot_proc_open(getpid(), 0x80));
	EXPECT_EQ(-EFAULT, mailslot_wait_many(NULL, 1, 0, 0));
	EXPECT_EQ(-EINVAL, mailslot_wait_many(fds, 0, 0, 0));
	EXPECT_EQ(-EINVAL, mailslot_wait_many(fds, MAILSLOT_WAIT_MAX + 1, 0, 0));
	EXPECT_EQ(-EINVAL, mailslot_wait_many(fds, 1, MAILSLOT_WAIT_ABSOLUTE, 0));
	EXPECT_EQ(-EINVAL, mailslot_wait_many(fds, 1, 0, -2));
	EXPECT_EQ(-EINVAL, mailslot_wait_one(0, -9));
	EXPECT_EQ(-EBADF, mailslot_proc_status(-1, NULL));
}

TEST(record_helpers)
{
	__u64 buf[32];
	struct mailslot_msg_info *rec;
	size_t bytes;
	int n = 0;

	memset(buf, 0, sizeof(buf));
	rec = (struct mailslot_msg_info *)buf;
	rec->size = 3;
	memcpy(mailslot_record_payload(rec), "abc", 3);
	rec = (struct mailslot_msg_info *)((char *)buf + MAILSLOT_RECORD_SIZE(3));
	rec->size = 0;
	bytes = MAILSLOT_RECORD_SIZE(3) + MAILSLOT_RECORD_SIZE(0);
	mailslot_for_each_record(rec, buf, bytes) {
		EXPECT_EQ(n == 0 ? 3u : 0u, rec->size);
		n++;
	}
	EXPECT_EQ(2, n);
	/* A record whose payload would run past the end is not returned. */
	EXPECT_EQ(NULL, mailslot_record_next(buf, MAILSLOT_RECORD_SIZE(3) - 8, NULL));
	EXPECT_EQ(NULL, mailslot_record_next(buf, 0, NULL));
}

TEST(no_module)
{
	if (mst_have_module())
		SKIP(return, "module loaded: covered by the other tests");
	EXPECT_EQ(-ENOENT, mailslot_create("x", NULL));
	EXPECT_EQ(-ENOENT, mailslot_open("x", O_WRONLY));
	EXPECT_EQ(-ENOENT, mailslot_proc_open(getpid(), 0));
	EXPECT_EQ(-ENOENT, mailslot_wait_one(0, 0));
}

/* ------------------------------------------------- slots */

TEST(create_and_open)
{
	struct mailslot_attr attr = MAILSLOT_ATTR_INIT;
	char name[64], path[128];
	struct stat st;
	int s, w, r, s2;

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("create"));
	snprintf(path, sizeof(path), MAILSLOT_DEV_DIR "/%s", name);
	EXPECT_EQ(-ENOENT, mailslot_open(name, O_WRONLY));

	attr.mode = 0640;
	s = mailslot_create(name, &attr);
	ASSERT_LE(0, s);
	EXPECT_EQ(FD_CLOEXEC, fcntl(s, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(s, F_GETFL) & O_NONBLOCK);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0640, st.st_mode & 0777);
	EXPECT_EQ(geteuid(), st.st_uid);

	EXPECT_EQ(-EEXIST, mailslot_create(name, NULL));
	EXPECT_EQ(-EEXIST, mailslot_create(path, NULL));

	w = mailslot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	EXPECT_EQ(FD_CLOEXEC, fcntl(w, F_GETFD) & FD_CLOEXEC);
	r = mailslot_open(path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r);
	EXPECT_EQ(O_NONBLOCK, fcntl(r, F_GETFL) & O_NONBLOCK);
	close(w);
	close(r);

	/* Closing the server removes the slot. */
	close(s);
	EXPECT_NE(0, access(path, F_OK));
	EXPECT_EQ(-ENOENT, mailslot_open(name, O_WRONLY));

	/* The name may be reused at once. */
	s2 = mailslot_create(name, NULL);
	ASSERT_LE(0, s2);
	close(s2);
}

TEST(windows_local_names)
{
	char name[64], win[96], path[128];
	int s, w;

	MST_NEED_MODULE();
	/* \\.\mailslot\A\B is the local slot a/b: lower case, '/' */
	snprintf(name, sizeof(name), "%s", mst_name("Win"));
	snprintf(win, sizeof(win), "\\\\.\\MailSlot\\%s\\Sub", name);
	for (char *c = name; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	snprintf(path, sizeof(path), MAILSLOT_DEV_DIR "/%s/sub", name);
	s = mailslot_create(win, NULL);
	ASSERT_LE(0, s);
	EXPECT_EQ(0, access(path, F_OK));
	w = mailslot_open(path, O_WRONLY);
	ASSERT_LE(0, w);
	close(w);
	/* and by the other spellings of the same name */
	snprintf(win, sizeof(win), "//./mailslot/%s/SUB", name);
	w = mailslot_open(win, O_WRONLY);
	ASSERT_LE(0, w);
	close(w);
	close(s);
}

TEST(create_options)
{
	struct mailslot_attr attr = MAILSLOT_ATTR_INIT;
	struct mailslot_info info;
	char name[64];
	int s;

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("opts"));
	attr.max_msg_size = 100;
	attr.max_msgs = 3;
	attr.max_bytes = 1000;
	attr.read_timeout_ms = 25;
	attr.overflow = MAILSLOT_OVERFLOW_DROP;
	attr.flags = MAILSLOT_CREATE_NONBLOCK;
	s = mailslot_create(name, &attr);
	ASSERT_LE(0, s);
	EXPECT_EQ(O_NONBLOCK, fcntl(s, F_GETFL) & O_NONBLOCK);
	ASSERT_EQ(0, mailslot_get_info(s, &info));
	EXPECT_EQ(100u, info.max_msg_size);
	EXPECT_EQ(3u, info.max_msgs);
	EXPECT_EQ(1000u, info.max_bytes);
	EXPECT_EQ(25000000ull, info.read_timeout_ns);
	EXPECT_EQ((unsigned int)MAILSLOT_OVERFLOW_DROP, info.overflow);
	EXPECT_EQ(MAILSLOT_INFO_SERVER | MAILSLOT_INFO_READER,
		  info.flags & (MAILSLOT_INFO_SERVER | MAILSLOT_INFO_READER));
	close(s);

	/* Defaults: NULL attr waits forever. */
	s = mailslot_create(name, NULL);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, mailslot_get_info(s, &info));
	EXPECT_EQ(MAILSLOT_DEFAULT_MAX_MSG_SIZE, info.max_msg_size);
	EXPECT_EQ(MAILSLOT_DEFAULT_MAX_MSGS, info.max_msgs);
	EXPECT_EQ(MAILSLOT_TIMEOUT_INFINITE, info.read_timeout_ns);
	EXPECT_EQ((unsigned int)MAILSLOT_OVERFLOW_BLOCK, info.overflow);
	close(s);

	/* The module's own checks. */
	attr = (struct mailslot_attr)MAILSLOT_ATTR_INIT;
	attr.mode = 01777;
	EXPECT_EQ(-EINVAL, mailslot_create(name, &attr));
	attr.mode = 0;
	attr.overflow = 3;
	EXPECT_EQ(-EINVAL, mailslot_create(name, &attr));
	attr.overflow = 0;
	attr.flags = 0x100;
	EXPECT_EQ(-EINVAL, mailslot_create(name, &attr));
	attr.flags = 0;
	attr.max_msgs = MAILSLOT_MAX_MSGS_LIMIT + 1;
	EXPECT_EQ(-EINVAL, mailslot_create(name, &attr));
	EXPECT_EQ(-EINVAL, mailslot_create("a//b", NULL));
	EXPECT_EQ(-EINVAL, mailslot_create("a/../b", NULL));
	EXPECT_EQ(-EINVAL, mailslot_create("control", NULL));
}

TEST(send_recv_fanout_metadata)
{
	struct mailslot_msg_info i1, i2;
	char name[64], buf[64];
	uint64_t before, after;
	int s, w, r;

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("fanout"));
	s = mailslot_create(name, NULL);
	ASSERT_LE(0, s);
	r = mailslot_open(name, O_RDONLY);
	ASSERT_LE(0, r);
	w = mailslot_open(name, O_WRONLY);
	ASSERT_LE(0, w);

	before = mst_now_ns();
	EXPECT_EQ(5, mailslot_send(w, "hello", 5));
	EXPECT_EQ(3, mailslot_send(w, "two", 3));
	after = mst_now_ns();

	/* Every reader gets its own copy, with metadata. */
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(5, mailslot_recv(s, buf, sizeof(buf), &i1, 1000));
	EXPECT_STREQ("hello", buf);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(5, mailslot_recv(r, buf, sizeof(buf), &i2, MAILSLOT_HANDLE_TIMEOUT));
	EXPECT_STREQ("hello", buf);
	EXPECT_EQ(1u, i1.seq);
	EXPECT_EQ(i1.seq, i2.seq);
	EXPECT_EQ(i1.time_ns, i2.time_ns);
	EXPECT_LE(before, (long long)i1.time_ns);
	EXPECT_GE(after, (long long)i1.time_ns);
	EXPECT_EQ((__u32)getpid(), i1.pid);
	EXPECT_EQ((__u32)geteuid(), i1.uid);
	EXPECT_EQ((__u32)getegid(), i1.gid);
	EXPECT_EQ(5u, i1.size);

	/* Second message, info optional. */
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(3, mailslot_recv(s, buf, sizeof(buf), NULL, 0));
	EXPECT_STREQ("two", buf);
	EXPECT_EQ(3, mailslot_recv(r, buf, sizeof(buf), &i2, MAILSLOT_FOREVER));
	EXPECT_EQ(2u, i2.seq);

	/* Empty messages are messages. */
	EXPECT_EQ(0, mailslot_send(w, "", 0));
	EXPECT_EQ(0, mailslot_recv(s, buf, sizeof(buf), &i1, 1000));
	EXPECT_EQ(0u, i1.size);
	EXPECT_EQ(3u, i1.seq);

	/* A writer cannot receive, a listener cannot send. */
	EXPECT_EQ(-EBADF, mailslot_recv(w, buf, sizeof(buf), NULL, 0));
	EXPECT_EQ(-EBADF, mailslot_send(r, "x", 1));
	close(w);
	close(r);
	close(s);
}

TEST(recv_too_small_and_too_large)
{
	struct mailslot_attr attr = MAILSLOT_ATTR_INIT;
	struct mailslot_msg_info info;
	char name[64], big[200], buf[128];
	int s, w;

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("sizes"));
	attr.max_msg_size = 128;
	s = mailslot_create(name, &attr);
	ASSERT_LE(0, s);
	w = mailslot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	memset(big, 'b', sizeof(big));

	/* Larger than the slot's limit: refused, nobody gets it. */
	EXPECT_EQ(-EMSGSIZE, mailslot_send(w, big, 129));
	EXPECT_EQ(128, mailslot_send(w, big, 128));

	/* Too small a buffer: EMSGSIZE, the size, and it stays queued. */
	memset(&info, 0, sizeof(info));
	EXPECT_EQ(-EMSGSIZE, mailslot_recv(s, buf, 10, &info, 0));
	EXPECT_EQ(128u, info.size);
	EXPECT_EQ(128, mailslot_recv(s, buf, sizeof(buf), &info, 0));
	EXPECT_EQ(0, memcmp(buf, big, 128));
	close(w);
	close(s);
}

TEST(sendv_is_one_message)
{
	struct iovec iov[3] = {
		{ .iov_base = "one ", .iov_len = 4 },
		{ .iov_base = "", .iov_len = 0 },
		{ .iov_base = "message", .iov_len = 7 },
	};
	char name[64], buf[64], *large;
	struct iovec liov[2];
	int s, w;

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("sendv"));
	s = mailslot_create(name, NULL);
	ASSERT_LE(0, s);
	w = mailslot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	EXPECT_EQ(11, mailslot_sendv(w, iov, 3));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(11, mailslot_recv(s, buf, sizeof(buf), NULL, 0));
	EXPECT_STREQ("one message", buf);
	EXPECT_EQ(-EAGAIN, mailslot_recv(s, buf, sizeof(buf), NULL, 0));

	/* Larger than the library's stack buffer. */
	large = malloc(10000);
	ASSERT_NE(NULL, large);
	memset(large, 'z', 10000);
	liov[0] = (struct iovec){ .iov_base = large, .iov_len = 6000 };
	liov[1] = (struct iovec){ .iov_base = large + 6000, .iov_len = 4000 };
	EXPECT_EQ(10000, mailslot_sendv(w, liov, 2));
	EXPECT_EQ(10000, mailslot_recv(s, large, 10000, NULL, 0));
	EXPECT_EQ(1, mailslot_sendv(w, iov + 2, 0) == 0);
	EXPECT_EQ(0, mailslot_recv(s, buf, sizeof(buf), NULL, 0));
	free(large);
	close(w);
	close(s);
}

TEST(recv_timeouts)
{
	struct mailslot_attr attr = MAILSLOT_ATTR_INIT;
	struct mailslot_info info;
	char name[64], buf[16];
	uint64_t t0;
	int s;

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("timeouts"));
	attr.read_timeout_ms = 0;
	s = mailslot_create(name, &attr);
	ASSERT_LE(0, s);

	EXPECT_EQ(-EAGAIN, mailslot_recv(s, buf, sizeof(buf), NULL, 0));
	EXPECT_EQ(-EAGAIN, mailslot_recv(s, buf, sizeof(buf), NULL,
					 MAILSLOT_HANDLE_TIMEOUT));
	t0 = mst_now_ns();
	EXPECT_EQ(-ETIMEDOUT, mailslot_recv(s, buf, sizeof(buf), NULL, 50));
	EXPECT_LE(50000000ULL, mst_now_ns() - t0);

	/* SetMailslotInfo: the handle's own timeout. */
	ASSERT_EQ(0, mailslot_set_timeout(s, 40));
	ASSERT_EQ(0, mailslot_get_info(s, &info));
	EXPECT_EQ(40000000ull, info.read_timeout_ns);
	t0 = mst_now_ns();
	EXPECT_EQ(-ETIMEDOUT, mailslot_recv(s, buf, sizeof(buf), NULL,
					    MAILSLOT_HANDLE_TIMEOUT));
	EXPECT_LE(40000000ULL, mst_now_ns() - t0);
	ASSERT_EQ(0, mailslot_set_timeout(s, MAILSLOT_FOREVER));
	ASSERT_EQ(0, mailslot_get_info(s, &info));
	EXPECT_EQ(MAILSLOT_TIMEOUT_INFINITE, info.read_timeout_ns);
	ASSERT_EQ(0, mailslot_set_timeout(s, 0));

	EXPECT_EQ(-EAGAIN, mailslot_recv_batch(s, buf, sizeof(buf), 1, NULL, 0));
	EXPECT_EQ(-ETIMEDOUT, mailslot_recv_batch(s, buf, sizeof(buf), 1, NULL, 20));
	close(s);
}

TEST(recv_batch)
{
	char name[64], buf[4096];
	struct mailslot_msg_info *rec;
	size_t bytes;
	int s, w, n, i;

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("batch"));
	s = mailslot_create(name, NULL);
	ASSERT_LE(0, s);
	w = mailslot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, mailslot_send(w, "a", 1));
	ASSERT_EQ(2, mailslot_send(w, "bb", 2));
	ASSERT_EQ(9, mailslot_send(w, "ccccccccc", 9));
	ASSERT_EQ(3, mailslot_send(w, "ddd", 3));

	/* Not even the first record fits: EMSGSIZE, nothing taken. */
	EXPECT_EQ(-EMSGSIZE, mailslot_recv_batch(s, buf, sizeof(*rec), 4, &bytes, 0));
	EXPECT_EQ(MAILSLOT_RECORD_SIZE(1), bytes);	/* what it needs */

	n = mailslot_recv_batch(s, buf, sizeof(buf), 3, &bytes, 0);
	ASSERT_EQ(3, n);
	EXPECT_EQ(MAILSLOT_RECORD_SIZE(1) + MAILSLOT_RECORD_SIZE(2) +
		  MAILSLOT_RECORD_SIZE(9), bytes);
	i = 0;
	mailslot_for_each_record(rec, buf, bytes) {
		static const char *const want[] = { "a", "bb", "ccccccccc" };

		EXPECT_EQ(strlen(want[i]), rec->size);
		EXPECT_EQ(0, memcmp(want[i], mailslot_record_payload(rec), rec->size));
		EXPECT_EQ((__u64)i + 1, rec->seq);
		EXPECT_EQ((__u32)getpid(), rec->pid);
		i++;
	}
	EXPECT_EQ(3, i);
	n = mailslot_recv_batch(s, buf, sizeof(buf), 10, NULL, 1000);
	EXPECT_EQ(1, n);
	EXPECT_EQ(-EBADF, mailslot_recv_batch(w, buf, sizeof(buf), 1, NULL, 0));
	close(w);
	close(s);
}

TEST(get_info)
{
	struct mailslot_info info;
	char name[64], buf[8];
	int s, r, w;

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("info"));
	s = mailslot_create(name, NULL);
	ASSERT_LE(0, s);
	r = mailslot_open(name, O_RDONLY);
	ASSERT_LE(0, r);
	w = mailslot_open(name, O_WRONLY);
	ASSERT_LE(0, w);

	ASSERT_EQ(0, mailslot_get_info(s, &info));
	EXPECT_EQ(MAILSLOT_NO_MESSAGE, info.next_size);
	EXPECT_EQ(0u, info.msgs);
	EXPECT_EQ(2u, info.readers);
	EXPECT_EQ(1u, info.writers);
	EXPECT_EQ(0u, info.sent);

	ASSERT_EQ(4, mailslot_send(w, "abcd", 4));
	ASSERT_EQ(2, mailslot_send(w, "ef", 2));
	ASSERT_EQ(0, mailslot_get_info(r, &info));
	EXPECT_EQ(4u, info.next_size);
	EXPECT_EQ(2u, info.msgs);
	EXPECT_EQ(6u, info.bytes);
	EXPECT_EQ(2u, info.sent);
	EXPECT_EQ(MAILSLOT_INFO_READER, info.flags &
		  (MAILSLOT_INFO_READER | MAILSLOT_INFO_WRITER | MAILSLOT_INFO_SERVER));

	ASSERT_EQ(4, mailslot_recv(r, buf, sizeof(buf), NULL, 0));
	ASSERT_EQ(0, mailslot_get_info(r, &info));
	EXPECT_EQ(2u, info.next_size);
	EXPECT_EQ(1u, info.msgs);

	/* A writer sees the slot, not a queue. */
	ASSERT_EQ(0, mailslot_get_info(w, &info));
	EXPECT_EQ(MAILSLOT_INFO_WRITER, info.flags & (MAILSLOT_INFO_READER |
						      MAILSLOT_INFO_WRITER));
	EXPECT_EQ(0u, info.msgs);
	EXPECT_EQ(2u, info.sent);

	/* The server closes: the others see it. */
	close(s);
	ASSERT_EQ(0, mailslot_get_info(r, &info));
	EXPECT_EQ(MAILSLOT_INFO_CLOSED, info.flags & MAILSLOT_INFO_CLOSED);
	EXPECT_EQ(-EPIPE, mailslot_send(w, "late", 4));
	/* The listener drains its queue, then reads end of file: -EPIPE. */
	EXPECT_EQ(2, mailslot_recv(r, buf, sizeof(buf), NULL, 0));
	EXPECT_EQ(-EPIPE, mailslot_recv(r, buf, sizeof(buf), NULL, 0));
	EXPECT_EQ(-EPIPE, mailslot_recv(r, buf, sizeof(buf), NULL, MAILSLOT_FOREVER));
	EXPECT_EQ(-EPIPE, mailslot_recv_batch(r, buf, sizeof(buf), 4, NULL,
					      MAILSLOT_HANDLE_TIMEOUT));
	/* Waiting on a closed, drained reader does not hang either. */
	close(r);
	close(w);
}

TEST(overflow_fail_and_drop)
{
	struct mailslot_attr attr = MAILSLOT_ATTR_INIT;
	struct mailslot_info info;
	char name[64], buf[8];
	int s, w;

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("ovf"));
	attr.max_msgs = 1;
	attr.overflow = MAILSLOT_OVERFLOW_FAIL;
	s = mailslot_create(name, &attr);
	ASSERT_LE(0, s);
	w = mailslot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	EXPECT_EQ(1, mailslot_send(w, "1", 1));
	EXPECT_EQ(-EAGAIN, mailslot_send(w, "2", 1));
	close(w);
	close(s);

	attr.overflow = MAILSLOT_OVERFLOW_DROP;
	s = mailslot_create(name, &attr);
	ASSERT_LE(0, s);
	w = mailslot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	EXPECT_EQ(1, mailslot_send(w, "1", 1));
	EXPECT_EQ(1, mailslot_send(w, "2", 1));
	EXPECT_EQ(1, mailslot_send(w, "3", 1));
	ASSERT_EQ(0, mailslot_get_info(s, &info));
	EXPECT_EQ(2u, info.drops);
	EXPECT_EQ(1u, info.msgs);
	EXPECT_EQ(1, mailslot_recv(s, buf, sizeof(buf), NULL, 0));
	EXPECT_EQ('3', buf[0]);
	close(w);
	close(s);
}

TEST(permissions_and_credentials)
{
	struct mailslot_attr attr = MAILSLOT_ATTR_INIT;
	struct mailslot_msg_info mi;
	char name[64], buf[16];
	int s, st;
	pid_t pid;

	MST_NEED_MODULE();
	if (geteuid() != 0)
		SKIP(return, "needs root to become uid 1000");
	snprintf(name, sizeof(name), "%s", mst_name("perm"));
	attr.mode = 0622;	/* others may send, not listen */
	s = mailslot_create(name, &attr);
	ASSERT_LE(0, s);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int w;

		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(10);
		if (mailslot_open(name, O_RDONLY) != -EACCES)
			_exit(11);
		/* Not allowed to signal init: not allowed to open it. */
		if (mailslot_proc_open(1, 0) != -EPERM)
			_exit(14);
		w = mailslot_open(name, O_WRONLY);
		if (w < 0)
			_exit(12);
		_exit(mailslot_send(w, "from 1000", 9) == 9 ? 0 : 13);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_EQ(0, WEXITSTATUS(st));
	/* The kernel, not the sender, says who sent it. */
	ASSERT_EQ(9, mailslot_recv(s, buf, sizeof(buf), &mi, 1000));
	EXPECT_EQ(1000u, mi.uid);
	EXPECT_EQ(1000u, mi.gid);
	EXPECT_EQ((__u32)pid, mi.pid);
	close(s);
}

/* Threads: each with its own listener on one shared slot, all at once. */
#define THREADS 4
#define PER_THREAD 200

struct thread_arg {
	const char *name;
	int ready_fd;
	int got;
};

static void *listener_thread(void *p)
{
	struct thread_arg *a = p;
	char buf[32];
	int fd = mailslot_open(a->name, O_RDONLY), i;

	if (fd < 0)
		return NULL;
	if (write(a->ready_fd, "r", 1) != 1)
		return NULL;
	for (i = 0; i < THREADS * PER_THREAD; i++) {
		if (mailslot_recv(fd, buf, sizeof(buf), NULL, 5000) < 0)
			break;
		a->got++;
	}
	close(fd);
	return NULL;
}

static void *sender_thread(void *p)
{
	struct thread_arg *a = p;
	int fd = mailslot_open(a->name, O_WRONLY), i;

	for (i = 0; fd >= 0 && i < PER_THREAD; i++)
		if (mailslot_send(fd, "x", 1) == 1)
			a->got++;
	close(fd);
	return NULL;
}

TEST(threads)
{
	struct mailslot_attr attr = MAILSLOT_ATTR_INIT;
	struct thread_arg la[THREADS], sa[THREADS];
	pthread_t lt[THREADS], st[THREADS];
	char name[64], c;
	int s, i, p[2];

	MST_NEED_MODULE();
	snprintf(name, sizeof(name), "%s", mst_name("threads"));
	attr.max_msgs = THREADS * PER_THREAD;
	s = mailslot_create(name, &attr);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, pipe(p));
	for (i = 0; i < THREADS; i++) {
		la[i] = (struct thread_arg){ .name = name, .ready_fd = p[1] };
		ASSERT_EQ(0, pthread_create(&lt[i], NULL, listener_thread, &la[i]));
	}
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(1, read(p[0], &c, 1));
	for (i = 0; i < THREADS; i++) {
		sa[i] = (struct thread_arg){ .name = name };
		ASSERT_EQ(0, pthread_create(&st[i], NULL, sender_thread, &sa[i]));
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(st[i], NULL);
		EXPECT_EQ(PER_THREAD, sa[i].got);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(lt[i], NULL);
		EXPECT_EQ(THREADS * PER_THREAD, la[i].got);
	}
	close(p[0]);
	close(p[1]);
	close(s);
}

/* ------------------------------------------------- process objects */

TEST(proc_open_wait_status)
{
	struct mailslot_proc_exit ex;
	int release[2], fd, st;
	pid_t pid;

	MST_NEED_MODULE();
	pid = mst_spawn(7, release);
	ASSERT_LT(0, pid);
	fd = mailslot_proc_open(pid, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);

	/* Running: not signaled, no status yet (STILL_ACTIVE). */
	EXPECT_EQ(-ETIMEDOUT, mailslot_wait_one(fd, 0));
	EXPECT_EQ(-ETIMEDOUT, mailslot_wait_one(fd, 30));
	EXPECT_EQ(-EAGAIN, mailslot_proc_status(fd, &ex));

	mst_release(release);
	EXPECT_EQ(0, mailslot_wait_one(fd, MAILSLOT_FOREVER));
	/* Signaled for good. */
	EXPECT_EQ(0, mailslot_wait_one(fd, 0));
	memset(&ex, 0, sizeof(ex));
	st = mailslot_proc_status(fd, &ex);
	ASSERT_LE(0, st);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(7, WEXITSTATUS(st));
	EXPECT_EQ(st, ex.status);
	EXPECT_EQ((__u32)pid, ex.pid);
	EXPECT_NE(0u, ex.exit_time_ns);
	/* Again: the status does not go away. */
	EXPECT_EQ(st, mailslot_proc_status(fd, NULL));
	waitpid(pid, NULL, 0);
	EXPECT_EQ(st, mailslot_proc_status(fd, NULL));
	close(fd);

	/* Killed by a signal. */
	pid = mst_spawn(0, release);
	ASSERT_LT(0, pid);
	fd = mailslot_proc_open(pid, MAILSLOT_PROC_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	kill(pid, SIGKILL);
	EXPECT_EQ(0, mailslot_wait_one(fd, 5000));
	st = mailslot_proc_status(fd, NULL);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(SIGKILL, WTERMSIG(st));
	close(release[1]);
	waitpid(pid, NULL, 0);
	close(fd);
}

TEST(proc_open_errors)
{
	char name[64];
	int s;

	MST_NEED_MODULE();
	EXPECT_EQ(-ESRCH, mailslot_proc_open(0x3ffffff0, 0));
	/* A slot handle is not a process object. */
	snprintf(name, sizeof(name), "%s", mst_name("notproc"));
	s = mailslot_create(name, NULL);
	ASSERT_LE(0, s);
	EXPECT_EQ(-EINVAL, mailslot_proc_status(s, NULL));
	close(s);
}

TEST(wait_many_any_all_and_messages)
{
	int rel[2][2], fds[3], p[2], s, w, fd;
	char name[64];
	pid_t pids[2];

	MST_NEED_MODULE();
	pids[0] = mst_spawn(1, rel[0]);
	pids[1] = mst_spawn(2, rel[1]);
	ASSERT_LT(0, pids[0]);
	ASSERT_LT(0, pids[1]);
	fds[0] = mailslot_proc_open(pids[0], 0);
	fds[1] = mailslot_proc_open(pids[1], 0);
	ASSERT_LE(0, fds[0]);
	ASSERT_LE(0, fds[1]);
	snprintf(name, sizeof(name), "%s", mst_name("waitmsg"));
	s = mailslot_create(name, NULL);
	ASSERT_LE(0, s);
	fds[2] = s;

	EXPECT_EQ(-ETIMEDOUT, mailslot_wait_many(fds, 3, 0, 20));
	EXPECT_EQ(-ETIMEDOUT, mailslot_wait_many(fds, 3, MAILSLOT_WAIT_ALL, 0));

	/* A message signals the reader. */
	w = mailslot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(2, mailslot_send(w, "hi", 2));
	EXPECT_EQ(2, mailslot_wait_many(fds, 3, 0, 1000));
	/* Waiting consumed nothing. */
	EXPECT_EQ(0, mailslot_wait_one(s, 0));

	/* The second worker exits: index 1 (lowest signaled). */
	mst_release(rel[1]);
	EXPECT_EQ(1, mailslot_wait_many(fds, 2, 0, 5000));
	EXPECT_EQ(1, mailslot_wait_many(fds, 3, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, mailslot_wait_many(fds, 3, MAILSLOT_WAIT_ALL, 10));
	mst_release(rel[0]);
	EXPECT_EQ(0, mailslot_wait_many(fds, 3, MAILSLOT_WAIT_ALL, 5000));
	EXPECT_EQ(0, mailslot_wait_many(fds, 3, 0, 0));

	/* Other pollable fds are waited on: an empty pipe is not signaled. */
	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-ETIMEDOUT, mailslot_wait_one(p[0], 0));
	ASSERT_EQ(1, write(p[1], "p", 1));
	EXPECT_EQ(0, mailslot_wait_one(p[0], 0));
	close(p[0]);
	close(p[1]);

	/* Errors: a file that cannot be polled, a duplicate, a closed fd. */
	p[0] = memfd_create("lib-test", MFD_CLOEXEC);
	ASSERT_LE(0, p[0]);
	fd = fds[2];
	fds[2] = p[0];
	EXPECT_EQ(-EINVAL, mailslot_wait_many(fds, 3, 0, 0));
	fds[2] = fds[0];
	EXPECT_EQ(-EINVAL, mailslot_wait_many(fds, 3, 0, 0));
	fds[2] = 1000;
	EXPECT_EQ(-EBADF, mailslot_wait_many(fds, 3, 0, 0));
	EXPECT_EQ(-EINVAL, mailslot_wait_one(p[0], 0));
	close(p[0]);
	close(fd);
	close(w);
	close(fds[0]);
	close(fds[1]);
	waitpid(pids[0], NULL, 0);
	waitpid(pids[1], NULL, 0);
}

TEST_HARNESS_MAIN
