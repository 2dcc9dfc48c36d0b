// SPDX-License-Identifier: GPL-2.0
/*
 * Receive with metadata and batched receive:
 * MAILSLOT_IOC_RECV and MAILSLOT_IOC_RECV_BATCH.
 */
#define _GNU_SOURCE
#include <sched.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

static int recv_msg(int fd, void *buf, unsigned int size,
		    struct mailslot_msg_info *info)
{
	struct mailslot_recv rv;
	int ret;

	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)buf;
	rv.size = size;
	ret = ioctl(fd, MAILSLOT_IOC_RECV, &rv);
	*info = rv.info;
	return ret;
}

static int send_as_user(void *arg)
{
	const char *name = arg;
	char buf[32];
	int fd;

	fd = mst_slot_open(name, O_WRONLY);
	if (fd < 0)
		return 1;
	snprintf(buf, sizeof(buf), "%d", getpid());
	if (write(fd, buf, strlen(buf)) < 0)
		return 2;
	close(fd);
	return 0;
}

TEST(metadata)
{
	const char *name = mst_name("recv");
	struct mailslot_msg_info info;
	struct mailslot_create c;
	uint64_t t0, t1;
	char buf[64];
	int srv, w, n;

	memset(&c, 0, sizeof(c));
	c.mode = 0622;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	t0 = mst_now_ns();
	ASSERT_EQ(3, write(w, "one", 3));
	t1 = mst_now_ns();
	ASSERT_EQ(3, recv_msg(srv, buf, sizeof(buf), &info));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	EXPECT_EQ(1, info.seq);
	EXPECT_EQ(getpid(), info.pid);
	EXPECT_EQ(geteuid(), info.uid);
	EXPECT_EQ(getegid(), info.gid);
	EXPECT_EQ(3, info.size);
	EXPECT_LE(t0, info.time_ns);
	EXPECT_GE(t1, info.time_ns);

	/* another process as another user: its own pid, uid and gid */
	EXPECT_EQ(0, mst_as_user(send_as_user, (void *)name));
	n = recv_msg(srv, buf, sizeof(buf) - 1, &info);
	ASSERT_LT(0, n);
	buf[n] = 0;
	EXPECT_EQ(2, info.seq);
	EXPECT_EQ(atoi(buf), info.pid);
	EXPECT_NE(getpid(), info.pid);
	EXPECT_EQ(MST_UID, info.uid);
	EXPECT_EQ(MST_GID, info.gid);

	close(w);
	close(srv);
}

TEST(recv_errors)
{
	const char *name = mst_name("recv");
	struct mailslot_msg_info info;
	struct mailslot_recv rv;
	char buf[64];
	int srv, w, l;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	EXPECT_EQ(-1, recv_msg(srv, buf, sizeof(buf), &info));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(10, write(w, "0123456789", 10));
	/* too small: EMSGSIZE, info.size says what is needed, still queued */
	EXPECT_EQ(-1, recv_msg(srv, buf, 9, &info));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(10, info.size);
	EXPECT_EQ(1, info.seq);
	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)buf;
	rv.size = sizeof(buf);
	rv.flags = 1;
	EXPECT_EQ(-1, ioctl(srv, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(EINVAL, errno);
	rv.flags = 0;
	rv.buf = 16;
	EXPECT_EQ(-1, ioctl(srv, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(srv, MAILSLOT_IOC_RECV, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(w, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(10, recv_msg(srv, buf, sizeof(buf), &info));
	EXPECT_EQ(1, info.seq);

	/* end of file: 0 and seq 0; a 0-byte message: 0 and seq != 0 */
	ASSERT_EQ(0, write(w, buf, 0));
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	close(srv);
	EXPECT_EQ(0, recv_msg(l, buf, sizeof(buf), &info));
	EXPECT_EQ(0, info.seq);
	close(l);
	close(w);
}

TEST(zero_byte_vs_eof)
{
	const char *name = mst_name("recv");
	struct mailslot_msg_info info;
	char buf[8];
	int srv, w, l;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, write(w, buf, 0));
	close(srv);
	EXPECT_EQ(0, recv_msg(l, buf, sizeof(buf), &info));
	EXPECT_EQ(1, info.seq);
	EXPECT_EQ(0, recv_msg(l, buf, sizeof(buf), &info));
	EXPECT_EQ(0, info.seq);
	close(l);
	close(w);
}

static int batch(int fd, void *buf, uint64_t size, unsigned int max,
		 uint64_t *bytes)
{
	struct mailslot_recv_batch b;
	int ret;

	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)buf;
	b.size = size;
	b.max_msgs = max;
	b.bytes = 12345;
	ret = ioctl(fd, MAILSLOT_IOC_RECV_BATCH, &b);
	*bytes = b.bytes;
	return ret;
}

TEST(batch_records)
{
	const char *name = mst_name("batch");
	static char buf[65536];
	struct mailslot_recv_batch b;
	uint64_t bytes, off;
	int srv, w, i, n, l;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	for (i = 0; i < 20; i++) {
		char m[32];

		memset(m, 'a' + i, sizeof(m));
		ASSERT_EQ(i, write(w, m, i));	/* sizes 0..19 */
	}
	memset(buf, 0x55, sizeof(buf));
	n = batch(srv, buf, sizeof(buf), 8, &bytes);
	ASSERT_EQ(8, n);
	for (i = 0, off = 0; i < 8; i++) {
		struct mailslot_msg_info *mi = (void *)(buf + off);
		int k;

		EXPECT_EQ(i + 1, mi->seq);
		EXPECT_EQ(i, mi->size);
		EXPECT_EQ(getpid(), mi->pid);
		for (k = 0; k < i; k++)
			EXPECT_EQ('a' + i, buf[off + sizeof(*mi) + k]);
		/* padding is zeroed */
		for (k = sizeof(*mi) + i; k < MAILSLOT_RECORD_SIZE(i); k++)
			EXPECT_EQ(0, buf[off + k]);
		off += MAILSLOT_RECORD_SIZE(i);
	}
	EXPECT_EQ(off, bytes);

	/* the buffer limits the batch: records 8 and 9 fit, 10 does not */
	n = batch(srv, buf, MAILSLOT_RECORD_SIZE(8) + MAILSLOT_RECORD_SIZE(9) +
		  MAILSLOT_RECORD_SIZE(10) - 1, 100, &bytes);
	ASSERT_EQ(2, n);
	EXPECT_EQ(MAILSLOT_RECORD_SIZE(8) + MAILSLOT_RECORD_SIZE(9), bytes);

	/* first record too big: EMSGSIZE, bytes tells the size, nothing taken */
	EXPECT_EQ(-1, batch(srv, buf, MAILSLOT_RECORD_SIZE(10) - 1, 5, &bytes));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(MAILSLOT_RECORD_SIZE(10), bytes);

	/* the rest, without waiting for more */
	n = batch(srv, buf, sizeof(buf), 100, &bytes);
	EXPECT_EQ(10, n);
	EXPECT_EQ(10, ((struct mailslot_msg_info *)buf)->size);
	EXPECT_EQ(-1, batch(srv, buf, sizeof(buf), 100, &bytes));
	EXPECT_EQ(EAGAIN, errno);

	/* bad arguments */
	EXPECT_EQ(-1, batch(srv, buf, sizeof(buf), 0, &bytes));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, batch(srv, buf, sizeof(buf), MAILSLOT_MAX_MSGS_LIMIT + 1,
			    &bytes));
	EXPECT_EQ(EINVAL, errno);
	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)buf;
	b.size = sizeof(buf);
	b.max_msgs = 1;
	b.flags = 1;
	EXPECT_EQ(-1, ioctl(srv, MAILSLOT_IOC_RECV_BATCH, &b));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(1, write(w, "z", 1));
	b.flags = 0;
	b.buf = 16;
	EXPECT_EQ(-1, ioctl(srv, MAILSLOT_IOC_RECV_BATCH, &b));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(1, batch(srv, buf, sizeof(buf), 10, &bytes));
	EXPECT_EQ(-1, ioctl(w, MAILSLOT_IOC_RECV_BATCH, &b));
	EXPECT_EQ(EBADF, errno);

	/* end of file */
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	close(srv);
	EXPECT_EQ(0, batch(l, buf, sizeof(buf), 10, &bytes));
	EXPECT_EQ(0, bytes);
	close(l);
	close(w);
}

TEST(batch_waits_for_first)
{
	const char *name = mst_name("batch");
	static char buf[4096];
	uint64_t bytes, t0;
	int srv, w;

	srv = mst_slot_create_lim(name, 0, 0, 0, 0, 100000000ull);
	ASSERT_LE(0, srv);
	t0 = mst_now_ns();
	EXPECT_EQ(-1, batch(srv, buf, sizeof(buf), 10, &bytes));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_LE(100000000ull, mst_now_ns() - t0);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	if (fork() == 0) {
		usleep(100000);
		_exit(write(w, "x", 1) != 1);
	}
	ASSERT_EQ(0, mst_slot_set_timeout(srv, MAILSLOT_TIMEOUT_INFINITE));
	EXPECT_EQ(1, batch(srv, buf, sizeof(buf), 10, &bytes));
	wait(NULL);
	close(w);
	close(srv);
}

/* The pid is translated into the receiver's pid namespace. */
TEST(pid_namespace)
{
	const char *name = mst_name("recv");
	struct mailslot_msg_info info;
	char buf[16];
	int srv, status;
	pid_t pid;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	if (unshare(CLONE_NEWPID))
		SKIP(return, "unshare(CLONE_NEWPID): %s", strerror(errno));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* pid 1 of the new namespace sends, then receives its own */
		int w = mst_slot_open(name, O_WRONLY);
		int l = mst_slot_open(name, O_RDONLY);

		if (getpid() != 1 || w < 0 || l < 0 || write(w, "ns", 2) != 2)
			_exit(1);
		if (recv_msg(l, buf, sizeof(buf), &info) != 2 || info.pid != 1)
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(2, recv_msg(srv, buf, sizeof(buf), &info));
	EXPECT_EQ(pid, info.pid);
	close(srv);
}

static int send_as_user_plain(void *arg)
{
	int fd = mst_slot_open(arg, O_WRONLY);

	if (fd < 0 || write(fd, "u", 1) != 1)
		return 1;
	close(fd);
	return 0;
}

/* uid and gid are translated into the receiver's user namespace. */
TEST(user_namespace)
{
	const char *name = mst_name("recv");
	struct mailslot_create c;
	int srv, w, l, to_child[2], to_parent[2], status;
	char path[64], go;
	pid_t pid;

	memset(&c, 0, sizeof(c));
	c.mode = 0666;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct mailslot_msg_info info;
		char buf[8];

		if (unshare(CLONE_NEWUSER))
			_exit(100);
		if (write(to_parent[1], "u", 1) != 1 ||
		    read(to_child[0], &go, 1) != 1)
			_exit(101);
		/* from root, which is not mapped here */
		if (recv_msg(l, buf, sizeof(buf), &info) != 1 ||
		    info.uid != 65534 || info.gid != 65534)
			_exit(1);
		/* from uid 1000, which is root here */
		if (recv_msg(l, buf, sizeof(buf), &info) != 1 ||
		    info.uid != 0 || info.gid != 0)
			_exit(2);
		_exit(0);
	}
	if (read(to_parent[0], &go, 1) != 1) {
		waitpid(pid, &status, 0);
		SKIP(return, "unshare(CLONE_NEWUSER) failed");
	}
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	ASSERT_EQ(0, mst_write_file(path, "0 1000 1"));
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	ASSERT_EQ(0, mst_write_file(path, "0 1000 1"));
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, write(w, "r", 1));
	ASSERT_EQ(0, mst_as_user(send_as_user_plain, (void *)name));
	ASSERT_EQ(1, write(to_child[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(w);
	close(l);
	close(srv);
}

TEST_HARNESS_MAIN
