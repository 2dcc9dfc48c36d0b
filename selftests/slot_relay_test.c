// SPDX-License-Identifier: GPL-2.0
/*
 * The relay handle (MAILSLOT_IOC_RELAY_OPEN, MAILSLOT_IOC_RELAY_SEND):
 * only a privileged caller with a privileged opener's control fd gets one;
 * it delivers only to slots created with MAILSLOT_CREATE_REMOTE; the
 * receiver reads MAILSLOT_MSG_RELAYED and the origin back, through every
 * receive path; no local writer can set either; the handle keeps working
 * after its holder drops its privileges; delivery never waits.
 */
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mailslot_test.h"

/* The origin of a relayed message, copied out of info->reserved. */
static struct mailslot_msg_origin origin_buf;

static const struct mailslot_msg_origin *
origin_of(const struct mailslot_msg_info *info)
{
	memcpy(&origin_buf, info->reserved, sizeof(origin_buf));
	return &origin_buf;
}

static const struct mailslot_msg_origin test_origin = {
	.addr = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3 },
	.nb_name = { 'S', 'E', 'N', 'D', 'E', 'R', ' ', ' ', ' ', ' ', ' ',
		     ' ', ' ', ' ', ' ', 0x00 },
};

static int relay_open(int ctl)
{
	struct mailslot_relay_open ro;

	memset(&ro, 0, sizeof(ro));
	return ioctl(ctl, MAILSLOT_IOC_RELAY_OPEN, &ro);
}

static int relay_open_new(void)
{
	int ctl = mst_control(), fd, err;

	if (ctl < 0)
		return -1;
	fd = relay_open(ctl);
	err = errno;
	close(ctl);
	errno = err;
	return fd;
}

static int relay_send(int relay, const char *name, const void *buf,
		      size_t size)
{
	struct mailslot_relay_send rs;

	memset(&rs, 0, sizeof(rs));
	rs.name = (uintptr_t)name;
	rs.buf = (uintptr_t)buf;
	rs.size = size;
	rs.origin = test_origin;
	return ioctl(relay, MAILSLOT_IOC_RELAY_SEND, &rs);
}

TEST(relay_open_reserved_einval)
{
	struct mailslot_relay_open ro;
	int ctl = mst_control();

	ASSERT_LE(0, ctl);
	memset(&ro, 0, sizeof(ro));
	ro.flags = 1;
	EXPECT_EQ(-1, ioctl(ctl, MAILSLOT_IOC_RELAY_OPEN, &ro));
	EXPECT_EQ(EINVAL, errno);
	memset(&ro, 0, sizeof(ro));
	ro.reserved[2] = 1;
	EXPECT_EQ(-1, ioctl(ctl, MAILSLOT_IOC_RELAY_OPEN, &ro));
	EXPECT_EQ(EINVAL, errno);
	close(ctl);
}

static int open_unprivileged(void *arg)
{
	int fd = relay_open_new();

	return fd < 0 && errno == EPERM ? 0 : 1;
}

TEST(relay_open_unprivileged_eperm)
{
	EXPECT_EQ(0, mst_as_user(open_unprivileged, NULL));
}

/*
 * The root of a user namespace of its own (every capability there, none
 * in the initial namespace) gets no relay handle: not through a control fd
 * opened inside it, nor through one its privileged parent opened before.
 * 0 as the child's status means both were refused with EPERM; 2 means the
 * namespace could not be made.
 */
TEST(relay_open_userns_root_eperm)
{
	int ctl = mst_control(), status;
	pid_t pid;

	ASSERT_LE(0, ctl);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int inner, fd;

		if (mst_drop_privs() || unshare(CLONE_NEWUSER))
			_exit(2);
		fd = relay_open(ctl);
		if (fd >= 0 || errno != EPERM)
			_exit(3);
		inner = mst_control();
		if (inner < 0)
			_exit(4);
		fd = relay_open(inner);
		_exit(fd < 0 && errno == EPERM ? 0 : 5);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(ctl);
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 2)
		SKIP(return, "no unprivileged user namespace");
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * A control fd opened without privilege gives no relay handle even to a
 * privileged caller: a setuid program cannot be lent a control fd to turn
 * into a relay.
 */
TEST(relay_open_unprivileged_opener_eperm)
{
	int ctl, fd;

	ASSERT_EQ(0, setegid(MST_GID));
	ASSERT_EQ(0, seteuid(MST_UID));
	ctl = mst_control();
	ASSERT_EQ(0, seteuid(0));
	ASSERT_EQ(0, setegid(0));
	ASSERT_LE(0, ctl);
	fd = relay_open(ctl);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EPERM, errno);
	close(ctl);

	/* the same caller with its own control fd gets one, O_CLOEXEC */
	fd = relay_open_new();
	ASSERT_LE(0, fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

/*
 * A relayed message larger than a page takes the paged layout of the
 * write path; its payload and its origin come back whole, by RECV, by a
 * plain read and in a batch record.
 */
TEST(relayed_large_message_whole)
{
	const char *name = mst_name("relaybig");
	const size_t size = 3 * 4096 + 123;
	struct mailslot_recv_batch rb;
	struct mailslot_msg_info *bi;
	struct mailslot_recv rv;
	unsigned char *in, *out;
	size_t i;
	int s, relay;

	in = malloc(size);
	out = malloc(size + 4096);
	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	for (i = 0; i < size; i++)
		in[i] = (unsigned char)(i * 7 + i / 4096);
	s = mst_slot_create_shared(name, MAILSLOT_CREATE_REMOTE, 0, 0);
	ASSERT_LE(0, s);
	relay = relay_open_new();
	ASSERT_LE(0, relay);
	ASSERT_EQ((int)size, relay_send(relay, name, in, size));
	ASSERT_EQ((int)size, relay_send(relay, name, in, size));
	ASSERT_EQ((int)size, relay_send(relay, name, in, size));

	memset(&rv, 0, sizeof(rv));
	memset(out, 0, size);
	rv.buf = (uintptr_t)out;
	rv.size = size;
	ASSERT_EQ((int)size, ioctl(s, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(0, memcmp(out, in, size));
	EXPECT_EQ(MAILSLOT_MSG_RELAYED, rv.info.flags);
	EXPECT_EQ(size, rv.info.size);
	EXPECT_EQ(0, memcmp(origin_of(&rv.info), &test_origin,
			    sizeof(test_origin)));

	memset(out, 0, size);
	ASSERT_EQ((ssize_t)size, read(s, out, size));
	EXPECT_EQ(0, memcmp(out, in, size));

	memset(&rb, 0, sizeof(rb));
	memset(out, 0, size + 4096);
	rb.buf = (uintptr_t)out;
	rb.size = size + 4096;
	rb.max_msgs = 1;
	ASSERT_EQ(1, ioctl(s, MAILSLOT_IOC_RECV_BATCH, &rb));
	bi = (struct mailslot_msg_info *)out;
	EXPECT_EQ(size, bi->size);
	EXPECT_EQ(MAILSLOT_MSG_RELAYED, bi->flags);
	EXPECT_EQ(0, memcmp(origin_of(bi), &test_origin, sizeof(test_origin)));
	EXPECT_EQ(0, memcmp(out + sizeof(*bi), in, size));
	close(relay);
	close(s);
	free(in);
	free(out);
}

TEST(relayed_origin_read_back)
{
	const char *name = mst_name("relay");
	struct mailslot_recv rv;
	struct mailslot_info info;
	char buf[64];
	int s, relay;

	s = mst_slot_create_shared(name, MAILSLOT_CREATE_REMOTE, 0, 0);
	ASSERT_LE(0, s);
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, ioctl(s, MAILSLOT_IOC_GET_INFO, &info));
	EXPECT_EQ(MAILSLOT_INFO_REMOTE,
		  info.flags & MAILSLOT_INFO_REMOTE);
	relay = relay_open_new();
	ASSERT_LE(0, relay);
	EXPECT_EQ(5, relay_send(relay, name, "hello", 5));

	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)buf;
	rv.size = sizeof(buf);
	ASSERT_EQ(5, ioctl(s, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(MAILSLOT_MSG_RELAYED, rv.info.flags);
	EXPECT_EQ(0, memcmp(origin_of(&rv.info), &test_origin,
			    sizeof(test_origin)));
	EXPECT_EQ(0, rv.info.pid);
	EXPECT_EQ(0, rv.info.uid);
	EXPECT_EQ(0, rv.info.gid);
	EXPECT_EQ(5, rv.info.size);
	EXPECT_EQ(1, rv.info.seq);
	EXPECT_EQ(sizeof(struct mailslot_msg_info), rv.info.info_size);

	/* a local write next to it: no mark, no origin */
	{
		char path[256];
		int w;

		mst_slot_path(path, sizeof(path), name);
		w = open(path, O_WRONLY);
		ASSERT_LE(0, w);
		ASSERT_EQ(3, write(w, "loc", 3));
		close(w);
	}
	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)buf;
	rv.size = sizeof(buf);
	ASSERT_EQ(3, ioctl(s, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(0, rv.info.flags);
	EXPECT_EQ(getpid(), (pid_t)rv.info.pid);
	EXPECT_EQ(0, rv.info.reserved[0] | rv.info.reserved[1] |
		     rv.info.reserved[2] | rv.info.reserved[3]);

	/* read(2) gets the payload alone; the batch record the origin */
	EXPECT_EQ(4, relay_send(relay, name, "read", 4));
	EXPECT_EQ(4, read(s, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "read", 4));
	EXPECT_EQ(5, relay_send(relay, name, "batch", 5));
	{
		struct mailslot_recv_batch b;
		char rec[256];
		struct mailslot_msg_info *mi = (void *)rec;

		memset(&b, 0, sizeof(b));
		b.buf = (uintptr_t)rec;
		b.size = sizeof(rec);
		b.max_msgs = 8;
		ASSERT_EQ(1, ioctl(s, MAILSLOT_IOC_RECV_BATCH, &b));
		EXPECT_EQ(MAILSLOT_RECORD_SIZE(5), b.bytes);
		EXPECT_EQ(MAILSLOT_MSG_RELAYED, mi->flags);
		EXPECT_EQ(5, mi->size);
		EXPECT_EQ(0, memcmp(origin_of(mi), &test_origin,
				    sizeof(test_origin)));
		EXPECT_EQ(0, memcmp(rec + sizeof(*mi), "batch", 5));
	}
	close(relay);
	close(s);
}

TEST(relay_unexported_slot_eacces)
{
	const char *name = mst_name("plain");
	int s, relay;

	/* an ordinary slot, writable by everybody: still not exported */
	s = mst_slot_create_shared(name, 0, 0, 0);
	ASSERT_LE(0, s);
	relay = relay_open_new();
	ASSERT_LE(0, relay);
	EXPECT_EQ(-1, relay_send(relay, name, "x", 1));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(0, mst_slot_queued(s));
	EXPECT_EQ(-1, relay_send(relay, mst_name("none"), "x", 1));
	EXPECT_EQ(ENOENT, errno);
	close(s);
	/* a closed slot is gone */
	EXPECT_EQ(-1, relay_send(relay, name, "x", 1));
	EXPECT_EQ(ENOENT, errno);
	close(relay);
}

TEST(relay_send_bad_arguments)
{
	const char *name = mst_name("args");
	struct mailslot_relay_send rs;
	char longname[MAILSLOT_NAME_MAX + 2];
	int s, relay;

	s = mst_slot_create_shared(name, MAILSLOT_CREATE_REMOTE, 0, 0);
	ASSERT_LE(0, s);
	relay = relay_open_new();
	ASSERT_LE(0, relay);

	memset(&rs, 0, sizeof(rs));
	rs.name = (uintptr_t)name;
	rs.buf = (uintptr_t)"x";
	rs.size = 1;
	rs.flags = 1;
	EXPECT_EQ(-1, ioctl(relay, MAILSLOT_IOC_RELAY_SEND, &rs));
	EXPECT_EQ(EINVAL, errno);
	rs.flags = 0;
	rs.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(relay, MAILSLOT_IOC_RELAY_SEND, &rs));
	EXPECT_EQ(EINVAL, errno);
	rs.reserved[1] = 0;
	rs.name = (uintptr_t)"";
	EXPECT_EQ(-1, ioctl(relay, MAILSLOT_IOC_RELAY_SEND, &rs));
	EXPECT_EQ(EINVAL, errno);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	rs.name = (uintptr_t)longname;
	EXPECT_EQ(-1, ioctl(relay, MAILSLOT_IOC_RELAY_SEND, &rs));
	EXPECT_EQ(ENAMETOOLONG, errno);
	rs.name = 8;
	EXPECT_EQ(-1, ioctl(relay, MAILSLOT_IOC_RELAY_SEND, &rs));
	EXPECT_EQ(EFAULT, errno);
	rs.name = (uintptr_t)name;
	rs.buf = 8;
	EXPECT_EQ(-1, ioctl(relay, MAILSLOT_IOC_RELAY_SEND, &rs));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, mst_slot_queued(s));
	rs.buf = (uintptr_t)"x";
	rs.size = MAILSLOT_DEFAULT_MAX_MSG_SIZE + 1;
	EXPECT_EQ(-1, ioctl(relay, MAILSLOT_IOC_RELAY_SEND, &rs));
	EXPECT_EQ(EMSGSIZE, errno);

	/* the relay handle does nothing else */
	EXPECT_EQ(-1, write(relay, "x", 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(relay, MAILSLOT_IOC_GET_INFO, &rs));
	EXPECT_EQ(ENOTTY, errno);
	close(relay);
	close(s);
}

/* No local writer can mark a message: the ioctl is not there. */
TEST(relay_forging_refused)
{
	const char *name = mst_name("forge");
	struct mailslot_relay_send rs;
	struct mailslot_recv rv;
	char path[256], buf[16];
	int s, w, ctl;

	s = mst_slot_create_shared(name, MAILSLOT_CREATE_REMOTE, 0, 0);
	ASSERT_LE(0, s);
	mst_slot_path(path, sizeof(path), name);
	w = open(path, O_WRONLY);
	ASSERT_LE(0, w);
	memset(&rs, 0, sizeof(rs));
	rs.name = (uintptr_t)name;
	rs.buf = (uintptr_t)"forged";
	rs.size = 6;
	rs.origin = test_origin;
	EXPECT_EQ(-1, ioctl(w, MAILSLOT_IOC_RELAY_SEND, &rs));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(s, MAILSLOT_IOC_RELAY_SEND, &rs));
	EXPECT_EQ(ENOTTY, errno);
	ctl = mst_control();
	ASSERT_LE(0, ctl);
	EXPECT_EQ(-1, ioctl(ctl, MAILSLOT_IOC_RELAY_SEND, &rs));
	EXPECT_EQ(ENOTTY, errno);
	close(ctl);
	EXPECT_EQ(0, mst_slot_queued(s));

	/* whatever a local writer writes arrives unmarked */
	ASSERT_EQ((ssize_t)sizeof(rs), write(w, &rs, sizeof(rs)));
	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)buf;
	rv.size = sizeof(buf);
	EXPECT_EQ(-1, ioctl(s, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(0, rv.info.flags);
	close(w);
	close(s);
}

struct drop_arg {
	const char *name;
	int relay;
};

static int send_after_drop(void *arg)
{
	struct drop_arg *a = arg;
	int relay = relay_open_new();

	/* unprivileged now: no new handle, but the inherited one works */
	if (relay >= 0 || errno != EPERM)
		return 1;
	return relay_send(a->relay, a->name, "kept", 4) == 4 ? 0 : 2;
}

TEST(relay_handle_survives_privilege_drop)
{
	const char *name = mst_name("drop");
	struct mailslot_recv rv;
	struct drop_arg a;
	char buf[16];
	int s, relay;

	s = mst_slot_create_shared(name, MAILSLOT_CREATE_REMOTE, 0, 0);
	ASSERT_LE(0, s);
	relay = relay_open_new();
	ASSERT_LE(0, relay);
	a.name = name;
	a.relay = relay;
	EXPECT_EQ(0, mst_as_user(send_after_drop, &a));
	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)buf;
	rv.size = sizeof(buf);
	ASSERT_EQ(4, ioctl(s, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(MAILSLOT_MSG_RELAYED, rv.info.flags);
	/* the opener's identity, not the dropped sender's */
	EXPECT_EQ(0, rv.info.uid);
	close(relay);
	close(s);
}

/* A full queue fails at once (the relay never waits), or drops. */
TEST(relay_full_queue_never_waits)
{
	const char *name = mst_name("full"), *dname = mst_name("drop");
	struct mailslot_recv rv;
	char buf[16];
	int s, d, relay;

	s = mst_slot_create_shared(name, MAILSLOT_CREATE_REMOTE,
				   MAILSLOT_OVERFLOW_BLOCK, 2);
	ASSERT_LE(0, s);
	relay = relay_open_new();
	ASSERT_LE(0, relay);
	EXPECT_EQ(1, relay_send(relay, name, "1", 1));
	EXPECT_EQ(1, relay_send(relay, name, "2", 1));
	EXPECT_EQ(-1, relay_send(relay, name, "3", 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(2, mst_slot_queued(s));

	d = mst_slot_create_shared(dname, MAILSLOT_CREATE_REMOTE,
				   MAILSLOT_OVERFLOW_DROP, 2);
	ASSERT_LE(0, d);
	EXPECT_EQ(1, relay_send(relay, dname, "1", 1));
	EXPECT_EQ(1, relay_send(relay, dname, "2", 1));
	EXPECT_EQ(1, relay_send(relay, dname, "3", 1));
	EXPECT_EQ(2, mst_slot_queued(d));
	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)buf;
	rv.size = sizeof(buf);
	ASSERT_EQ(1, ioctl(d, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ('2', buf[0]);
	close(relay);
	close(d);
	close(s);
}

TEST_HARNESS_MAIN
