// SPDX-License-Identifier: GPL-2.0
/*
 * Promises that must hold against a local user who does not cooperate:
 * a message carries its writing handle's opener's identity and is charged
 * to that opener; budgets are shared by a user and the user namespaces it
 * owns; listeners can neither pin a sender's budget nor (with
 * MAILSLOT_CREATE_LISTENER_DROP) stall or fail the writer; a writer
 * blocked on a full queue wakes once a message was taken; a second reader
 * thread of one handle honours O_NONBLOCK and the read timeout while the
 * first is stuck copying out; the uapi's reserved fields are checked.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "mailslot_test.h"

/* ---- passing descriptors ---------------------------------------------- */

static int send_fd(int sock, int fd)
{
	char c = 'f';
	struct iovec iov = { &c, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char c;
	struct iovec iov = { &c, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* A uid-1000 child opens @name O_WRONLY and passes the fd to the caller. */
static int open_as_user(const char *name)
{
	int sv[2], fd, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(sv[0]);
		if (mst_drop_privs())
			_exit(1);
		fd = mst_slot_open(name, O_WRONLY);
		if (fd < 0)
			_exit(2);
		_exit(send_fd(sv[1], fd) ? 3 : 0);
	}
	close(sv[1]);
	fd = recv_fd(sv[0]);
	close(sv[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int recv_info(int fd, void *buf, unsigned int len,
		     struct mailslot_msg_info *info)
{
	struct mailslot_recv rv;
	int n;

	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)buf;
	rv.size = len;
	n = ioctl(fd, MAILSLOT_IOC_RECV, &rv);
	*info = rv.info;
	return n < 0 ? -errno : n;
}

/* The tests change module parameters: set back afterwards. */
FIXTURE(params)
{
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

/* A uid-1000 opener's fd written by root: the message says uid 1000. */
TEST(identity_is_the_openers)
{
	const char *name = mst_name("trust");
	struct mailslot_create c;
	struct mailslot_msg_info info;
	char buf[16];
	int srv, w;

	memset(&c, 0, sizeof(c));
	c.mode = 0666;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	w = open_as_user(name);
	ASSERT_LE(0, w);
	/* root writes through the user's descriptor */
	ASSERT_EQ(0, geteuid());
	ASSERT_EQ(5, write(w, "rootw", 5));
	ASSERT_EQ(5, recv_info(srv, buf, sizeof(buf), &info));
	EXPECT_EQ(0, memcmp(buf, "rootw", 5));
	EXPECT_EQ(MST_UID, info.uid);
	EXPECT_EQ(MST_GID, info.gid);
	/* the pid is the writing process's */
	EXPECT_EQ((__u32)getpid(), info.pid);
	close(w);
	close(srv);
}

/* A root opener's fd inherited by a uid-1000 writer says uid 0. */
TEST(root_opener_used_by_user)
{
	const char *name = mst_name("trust");
	struct mailslot_msg_info info;
	char buf[16];
	int srv, w, status;
	pid_t pid;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (mst_drop_privs())
			_exit(1);
		_exit(write(w, "userw", 5) == 5 ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(5, recv_info(srv, buf, sizeof(buf), &info));
	EXPECT_EQ(0, info.uid);
	EXPECT_EQ(0, info.gid);
	EXPECT_EQ((__u32)pid, info.pid);
	close(w);
	close(srv);
}

/* The charge and the CAP_SYS_RESOURCE exemption are the opener's too. */
TEST_F(params, charge_follows_opener)
{
	const char *name = mst_name("trust");
	struct mailslot_create c;
	static char buf[4096];
	int srv, w, i, n, status;
	pid_t pid;

	memset(&c, 0, sizeof(c));
	c.mode = 0666;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	w = open_as_user(name);
	ASSERT_LE(0, w);
	ASSERT_EQ(0, mst_param_set("max_queued_bytes_per_user", 10000));
	/* root writing a user's fd is not exempt: 2 of 4096 fit, not 3 */
	EXPECT_EQ(4096, write(w, buf, sizeof(buf)));
	EXPECT_EQ(4096, write(w, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(w, buf, sizeof(buf)));
	EXPECT_EQ(ENOSPC, errno);
	close(w);
	while (read(srv, buf, sizeof(buf)) > 0)
		;
	/* a user writing root's fd is: all of them fit */
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (mst_drop_privs())
			_exit(1);
		for (i = 0, n = 0; i < 5; i++)
			n += write(w, buf, sizeof(buf)) == sizeof(buf);
		_exit(n);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(5, WEXITSTATUS(status));
	close(w);
	close(srv);
}

/* ---- user namespaces --------------------------------------------------- */

#define NS_BASE	200000
#define NS_UIDS	8

/*
 * A child that becomes uid 1000, unshares its user namespace and waits
 * until the parent (root in the initial namespace) has mapped in-namespace
 * uids 0..NS_UIDS-1 to NS_BASE..  Then it runs @fn(i) as each of them, in
 * a child each, all at once; each child keeps what it made until all have
 * reported.  Returns the sum of what @fn returned, 200 when there are no
 * user namespaces, or -1.
 */
static int in_userns(int (*fn)(int uid, void *arg), void *arg)
{
	int go[2], ready[2], status;
	char path[64], map[64];
	pid_t pid;
	char c;

	if (pipe(go) || pipe(ready))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int res[2], rel[2], i, sum = 0;
		unsigned char r;

		close(go[1]);
		close(ready[0]);
		if (mst_drop_privs() || unshare(CLONE_NEWUSER))
			_exit(200);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(201);
		if (pipe(res) || pipe(rel))
			_exit(202);
		for (i = 0; i < NS_UIDS; i++) {
			pid_t p = fork();

			if (p < 0)
				_exit(203);
			if (!p) {
				close(res[0]);
				close(rel[1]);
				if (setresgid(i, i, i) || setresuid(i, i, i))
					r = 150;
				else
					r = fn(i, arg);
				if (write(res[1], &r, 1) != 1)
					_exit(1);
				/* keep what fn made until released */
				while (read(rel[0], &c, 1) > 0)
					;
				_exit(0);
			}
		}
		close(res[1]);
		close(rel[0]);
		for (i = 0; i < NS_UIDS; i++) {
			if (read(res[0], &r, 1) != 1 || r >= 100)
				sum = 204;
			if (sum != 204)
				sum += r;
		}
		close(rel[1]);
		while (wait(&status) > 0)
			;
		_exit(sum);
	}
	close(go[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		goto fail;
	snprintf(map, sizeof(map), "0 %d %d\n", NS_BASE, NS_UIDS);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	if (mst_write_file(path, map))
		goto fail;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	if (mst_write_file(path, map))
		goto fail;
	if (write(go[1], "g", 1) != 1)
		goto fail;
	close(go[1]);
	close(ready[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
fail:
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

struct ns_arg {
	const char *name;
};

/* Create slots until refused (at most 10) and keep them; how many. */
static int ns_create(int uid, void *varg)
{
	int i, n = 0, ret;

	for (i = 0; i < 10; i++) {
		char name[64];

		snprintf(name, sizeof(name), "t-%d-ns-%d-%d", getppid(), uid, i);
		ret = mst_slot_create(name);
		if (ret == -ENOSPC)
			break;
		if (ret < 0)
			return 100;
		n++;
	}
	return n;
}

/*
 * The subuids of one user, mapped into a namespace that user owns, share
 * its max_slots_per_user instead of getting it each.
 */
TEST_F(params, slots_shared_across_userns)
{
	int n;

	ASSERT_EQ(0, mst_param_set("max_slots_per_user", 3));
	n = in_userns(ns_create, NULL);
	if (n == 200)
		SKIP(return, "no user namespaces here");
	EXPECT_EQ(3, n);
	/* the budget is back once they are gone */
	n = in_userns(ns_create, NULL);
	EXPECT_EQ(3, n);
}

/* max_slots bounds everyone, CAP_SYS_RESOURCE included. */
TEST_F(params, global_slot_cap)
{
	int fds[3], live = 0, i;
	static char buf[1 << 16];
	char *p;

	/* slots live right now, other tests' included: /proc/mailslot lines */
	ASSERT_EQ(0, mst_read_file("/proc/mailslot", buf, sizeof(buf)));
	for (p = buf; (p = strchr(p, '\n')); p++)
		live++;
	live--;		/* the header */
	ASSERT_LE(0, live);
	ASSERT_EQ(0, mst_param_set("max_slots", live + 2));
	fds[0] = mst_slot_create(mst_name("cap"));
	fds[1] = mst_slot_create(mst_name("cap"));
	fds[2] = mst_slot_create(mst_name("cap"));
	EXPECT_LE(0, fds[0]);
	EXPECT_LE(0, fds[1]);
	EXPECT_EQ(-ENOSPC, fds[2]);
	for (i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	fds[0] = mst_slot_create(mst_name("cap"));
	EXPECT_LE(0, fds[0]);
	close(fds[0]);
}

/* Subuid writers share their user's byte budget. */
static int ns_write(int uid, void *varg)
{
	struct ns_arg *a = varg;
	static char buf[3000];
	int w, n = 0, i;

	w = mst_slot_open(a->name, O_WRONLY);
	if (w < 0)
		return 100;
	for (i = 0; i < 10; i++) {
		if (write(w, buf, sizeof(buf)) != sizeof(buf)) {
			if (errno != ENOSPC)
				return 101;
			break;
		}
		n++;
	}
	return n;
}

TEST_F(params, bytes_shared_across_userns)
{
	const char *name = mst_name("trust");
	struct ns_arg a = { name };
	struct mailslot_create c;
	int srv, n;

	memset(&c, 0, sizeof(c));
	c.mode = 0666;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	/* three 3000-byte messages (with headers) fit in 10000 */
	ASSERT_EQ(0, mst_param_set("max_queued_bytes_per_user", 10000));
	n = in_userns(ns_write, &a);
	if (n == 200)
		SKIP(return, "no user namespaces here");
	/* unread, they stay charged: all subuids together get 3 */
	EXPECT_EQ(3, n);
	close(srv);
}

/* ---- listeners --------------------------------------------------------- */

/* A listener that never reads neither fails nor blocks a LISTENER_DROP slot. */
TEST(listener_cannot_fail_writes)
{
	const char *name = mst_name("trust");
	struct mailslot_create c;
	struct mailslot_info info;
	char buf[16];
	int srv, l, w, i;

	memset(&c, 0, sizeof(c));
	c.max_msgs = 4;
	c.overflow = MAILSLOT_OVERFLOW_FAIL;
	c.flags = MAILSLOT_CREATE_LISTENER_DROP;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	w = mst_slot_open(name, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, w);
	for (i = 0; i < 20; i++) {
		snprintf(buf, sizeof(buf), "m%02d", i);
		ASSERT_EQ(3, write(w, buf, 3)) TH_LOG("write %d: %s", i,
						     strerror(errno));
		ASSERT_EQ(3, read(srv, buf, sizeof(buf)));
	}
	/* the listener kept the newest 4 and lost the rest */
	ASSERT_EQ(0, mst_slot_info(l, &info));
	EXPECT_EQ(4, info.msgs);
	EXPECT_EQ(16, info.drops);
	ASSERT_EQ(3, read(l, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "m16", 3));
	/* the server's own full queue still fails the write */
	for (i = 0; i < 4; i++)
		ASSERT_EQ(3, write(w, "srv", 3));
	EXPECT_EQ(-1, write(w, "srv", 3));
	EXPECT_EQ(EAGAIN, errno);
	close(w);
	close(l);
	close(srv);

	/* without the flag a listener holds writers back, as before */
	c.flags = 0;
	name = mst_name("trust");
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, l);
	ASSERT_LE(0, w);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(3, write(w, "old", 3));
		ASSERT_EQ(3, read(srv, buf, sizeof(buf)));
	}
	EXPECT_EQ(-1, write(w, "old", 3));
	EXPECT_EQ(EAGAIN, errno);
	close(w);
	close(l);
	close(srv);
}

struct bytes_arg {
	const char *name;
};

/* Write three 3000-byte messages; 0 when all fit. */
static int write3_as_user(void *arg)
{
	struct bytes_arg *a = arg;
	static char buf[3000];
	int w, i;

	w = mst_slot_open(a->name, O_WRONLY);
	if (w < 0)
		return 1;
	for (i = 0; i < 3; i++)
		if (write(w, buf, sizeof(buf)) != sizeof(buf))
			return 2 + i;
	close(w);
	return 0;
}

/* What a listener leaves unread does not count against the sender. */
TEST_F(params, listener_cannot_pin_budget)
{
	const char *name = mst_name("trust");
	struct bytes_arg a = { name };
	struct mailslot_create c;
	static char buf[4096];
	int srv, l;

	memset(&c, 0, sizeof(c));
	c.mode = 0666;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	l = mst_slot_open(name, O_RDONLY);	/* never reads */
	ASSERT_LE(0, l);
	ASSERT_EQ(0, mst_param_set("max_queued_bytes_per_user", 10000));
	ASSERT_EQ(0, mst_as_user(write3_as_user, &a));
	/* the server took them: the budget is free although l has them */
	while (read(srv, buf, sizeof(buf)) == 3000)
		;
	EXPECT_EQ(0, mst_as_user(write3_as_user, &a));
	/* the server closes without reading: free too */
	close(srv);
	name = mst_name("trust");
	a.name = name;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	EXPECT_EQ(0, mst_as_user(write3_as_user, &a));
	close(srv);
	close(l);
}

static int listen_as_user(void *arg)
{
	struct bytes_arg *a = arg;
	int l = mst_slot_open(a->name, O_RDONLY);

	if (l >= 0)
		return 0;
	return errno == ENOSPC ? 1 : 2;
}

/* A listener's opener reserves the queue depth it can pin. */
TEST_F(params, listener_reserves_its_depth)
{
	const char *name = mst_name("trust");
	struct bytes_arg a = { name };
	struct mailslot_create c;
	int srv, l;

	memset(&c, 0, sizeof(c));
	c.mode = 0666;
	c.max_msgs = 10;
	c.max_bytes = 65536;
	c.max_msg_size = 1024;
	srv = mst_slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	/* 65536 + 10 headers do not fit in 65536 */
	ASSERT_EQ(0, mst_param_set("max_queued_bytes_per_user", 65536));
	EXPECT_EQ(1, mst_as_user(listen_as_user, &a));
	ASSERT_EQ(0, mst_param_set("max_queued_bytes_per_user", 70000));
	EXPECT_EQ(0, mst_as_user(listen_as_user, &a));
	/* root is exempt */
	ASSERT_EQ(0, mst_param_set("max_queued_bytes_per_user", 1000));
	l = mst_slot_open(name, O_RDONLY);
	EXPECT_LE(0, l);
	close(l);
	close(srv);
}

/* ---- a blocked writer wakes ------------------------------------------- */

TEST(blocked_writer_wakes_after_one_read)
{
	const char *name = mst_name("trust");
	struct mailslot_info info;
	struct pollfd pfd;
	int srv, w, reply[2], i, status;
	char buf[16];
	pid_t pid;

	srv = mst_slot_create_lim(name, 0, 4, 0, MAILSLOT_OVERFLOW_BLOCK,
			      MAILSLOT_TIMEOUT_INFINITE);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(0, pipe(reply));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(reply[0]);
		for (i = 0; i < 5; i++)
			if (write(w, "req", 3) != 3)
				_exit(1);
		/* the fifth went in: answer on another channel */
		_exit(write(reply[1], "ok", 2) == 2 ? 0 : 2);
	}
	close(reply[1]);
	/* the queue fills and the fifth write sleeps */
	for (i = 0; i < 500; i++) {
		ASSERT_EQ(0, mst_slot_info(srv, &info));
		if (info.msgs == 4)
			break;
		usleep(10000);
	}
	ASSERT_EQ(4, info.msgs);
	usleep(200000);
	pfd.fd = reply[0];
	pfd.events = POLLIN;
	ASSERT_EQ(0, poll(&pfd, 1, 0));		/* still blocked */
	ASSERT_EQ(3, read(srv, buf, sizeof(buf)));
	/* take nothing more: the reply must come anyway */
	ASSERT_EQ(1, poll(&pfd, 1, 10000));
	ASSERT_EQ(2, read(reply[0], buf, sizeof(buf)));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(4, info.msgs);
	close(reply[0]);
	close(w);
	close(srv);
}

/* ---- a second reader of one handle ------------------------------------ */

struct stuck {
	int fd;
	char *buf;
	ssize_t ret;
};

static void *stuck_reader(void *arg)
{
	struct stuck *s = arg;

	s->ret = read(s->fd, s->buf, 64);
	return NULL;
}

static void on_alarm(int sig)
{
}

TEST(second_reader_honours_nonblock_and_timeout)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	struct uffdio_zeropage zp;
	struct sigaction sa;
	struct pollfd pfd;
	struct stuck s;
	pthread_t th;
	long page = sysconf(_SC_PAGESIZE);
	const char *name = mst_name("trust");
	char buf[64];
	uint64_t t0;
	int srv, w, uffd, fl;
	ssize_t n;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		SKIP(return, "no userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	s.buf = mmap(NULL, page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s.buf);
	reg.range.start = (uintptr_t)s.buf;
	reg.range.len = page;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: a stuck read ends */
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	s.fd = srv;
	ASSERT_EQ(1, write(w, "a", 1));
	ASSERT_EQ(0, pthread_create(&th, NULL, stuck_reader, &s));
	/* wait until it faults on the page, read_mutex held */
	pfd.fd = uffd;
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, 10000));
	ASSERT_EQ(1, write(w, "b", 1));

	/* a second message is queued; O_NONBLOCK: EAGAIN at once */
	fl = fcntl(srv, F_GETFL);
	ASSERT_EQ(0, fcntl(srv, F_SETFL, fl | O_NONBLOCK));
	alarm(5);
	n = read(srv, buf, sizeof(buf));
	alarm(0);
	EXPECT_EQ(-1, n);
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(srv, F_SETFL, fl));

	/* a finite read timeout: ETIMEDOUT after it */
	ASSERT_EQ(0, mst_slot_set_timeout(srv, 200000000ull));
	t0 = mst_now_ns();
	alarm(5);
	n = read(srv, buf, sizeof(buf));
	alarm(0);
	EXPECT_EQ(-1, n);
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_LE(150000000ull, mst_now_ns() - t0);
	EXPECT_GT(4000000000ull, mst_now_ns() - t0);

	/* let the first one finish; then the second reads normally */
	zp.range.start = (uintptr_t)s.buf;
	zp.range.len = page;
	zp.mode = 0;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_ZEROPAGE, &zp));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(1, s.ret);
	EXPECT_EQ(1, read(srv, buf, sizeof(buf)));
	EXPECT_EQ('b', buf[0]);
	close(uffd);
	close(w);
	close(srv);
}

/* ---- uapi -------------------------------------------------------------- */

TEST(uapi_magic_and_reserved)
{
	const char *name = mst_name("trust");
	struct mailslot_recv_batch b;
	struct mailslot_recv rv;
	struct mailslot_msg_info info;
	char buf[256];
	int srv, w, ctl, i;

	EXPECT_EQ(0xB9, _IOC_TYPE(MAILSLOT_IOC_CREATE));
	EXPECT_EQ(0xB9, _IOC_TYPE(MAILSLOT_IOC_RECV));
	EXPECT_EQ(72, sizeof(struct mailslot_msg_info));
	/* the 0.1 numbers (magic 0xB8) are not understood */
	ctl = mst_control();
	ASSERT_LE(0, ctl);
	EXPECT_EQ(-1, ioctl(ctl, _IOW(0xB8, 0x00, struct mailslot_create),
			    buf));
	EXPECT_EQ(ENOTTY, errno);
	close(ctl);

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(2, write(w, "hi", 2));
	for (i = 0; i < 2; i++) {
		memset(&rv, 0, sizeof(rv));
		rv.buf = (uintptr_t)buf;
		rv.size = sizeof(buf);
		rv.reserved[i] = 1;
		EXPECT_EQ(-1, ioctl(srv, MAILSLOT_IOC_RECV, &rv));
		EXPECT_EQ(EINVAL, errno);
		memset(&b, 0, sizeof(b));
		b.buf = (uintptr_t)buf;
		b.size = sizeof(buf);
		b.max_msgs = 1;
		b.reserved[i] = 1;
		EXPECT_EQ(-1, ioctl(srv, MAILSLOT_IOC_RECV_BATCH, &b));
		EXPECT_EQ(EINVAL, errno);
	}
	/* nothing was consumed; the metadata says its size, no flags */
	memset(&rv, 0, sizeof(rv));
	memset(&rv.info, 0xff, sizeof(rv.info));
	rv.buf = (uintptr_t)buf;
	rv.size = sizeof(buf);
	ASSERT_EQ(2, ioctl(srv, MAILSLOT_IOC_RECV, &rv));
	info = rv.info;
	EXPECT_EQ(sizeof(struct mailslot_msg_info), info.info_size);
	EXPECT_EQ(0, info.flags);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, info.reserved[i]);
	EXPECT_EQ(2, info.size);

	/* the same in every record of a batch */
	ASSERT_EQ(3, write(w, "one", 3));
	ASSERT_EQ(3, write(w, "two", 3));
	memset(buf, 0xff, sizeof(buf));
	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)buf;
	b.size = sizeof(buf);
	b.max_msgs = 2;
	ASSERT_EQ(2, ioctl(srv, MAILSLOT_IOC_RECV_BATCH, &b));
	EXPECT_EQ(2 * MAILSLOT_RECORD_SIZE(3), b.bytes);
	for (i = 0; i < 2; i++) {
		memcpy(&info, buf + i * MAILSLOT_RECORD_SIZE(3), sizeof(info));
		EXPECT_EQ(sizeof(info), info.info_size);
		EXPECT_EQ(0, info.flags);
		EXPECT_EQ(0, info.reserved[0] | info.reserved[1] |
			     info.reserved[2] | info.reserved[3]);
		EXPECT_EQ(3, info.size);
	}
	close(w);
	close(srv);
}

TEST_HARNESS_MAIN
