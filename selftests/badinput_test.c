// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input: every ioctl of the control device, of slot
 * handles and of process objects, plus read(2)/write(2), gets NULL, unmapped
 * and kernel-address pointers, sizes 0/max/max+1/SIZE_MAX, unknown commands
 * and flags, non-zero reserved fields, fds of the wrong type (an ordinary
 * file, the control device, another slot's writer), closed
 * fds and short buffers.  Each case asserts the errno the uapi header
 * (uapi/linux/mailslot.h) documents, and that a failed call changed nothing:
 * no message queued by a failed send, none lost by a failed receive.
 *
 * Where the header names no errno, the VFS decides (EBADF for a read on a
 * write-only fd, EFAULT when access_ok() rejects a range before the driver
 * runs); those cases say so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

/* Addresses no user pointer may reach: the kernel text and direct map. */
#define KPTR_TEXT	((void *)0xffffffff81000000UL)
#define KPTR_DIRECT	((void *)0xffff888000000000UL)
/* Below mmap_min_addr (64 KiB): never mapped by this test. */
#define LOW_UNMAPPED	((void *)0x1000UL)
#define U64(p)		((__u64)(uintptr_t)(p))

/*
 * read(2)/write(2) without libc's checks: the bad pointers and sizes here
 * are the point, and must reach the kernel as they are.
 */
#define read(fd, buf, n)	syscall(SYS_read, (fd), (buf), (n))
#define write(fd, buf, n)	syscall(SYS_write, (fd), (buf), (n))

/* What a loop is trying, for the failure messages of EXPECT_ERR. */
static char where[160];
#define WHERE(...) snprintf(where, sizeof(where), __VA_ARGS__)

/* Fails the test unless @call failed with exactly @err. */
#define EXPECT_ERR(err, call) do {					\
	errno = 0;							\
	long __r = (long)(call);					\
	int __e = errno;						\
	EXPECT_EQ(-1, __r) {						\
		TH_LOG("%s [%s]: succeeded (%ld), wanted %s", #call,	\
		       where, __r, strerror(err));			\
	}								\
	if (__r == -1)							\
		EXPECT_EQ((err), __e) {					\
			TH_LOG("%s [%s]: %s, wanted %s", #call, where,	\
			       strerror(__e), strerror(err));		\
		}							\
} while (0)

/*
 * A page followed by an inaccessible page: hole() is that one, edge(n)
 * the last n mapped bytes, so an object at edge(n) runs into the hole.
 */
struct guard {
	char *page;
	size_t size;
};

static void guard_init(struct __test_metadata *_metadata, struct guard *g)
{
	g->size = sysconf(_SC_PAGESIZE);
	g->page = mmap(NULL, 2 * g->size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, g->page);
	/*
	 * PROT_NONE rather than munmap(): an unmapped hole would be filled by
	 * the next mmap() of the test.
	 */
	ASSERT_EQ(0, mprotect(g->page + g->size, g->size, PROT_NONE));
	memset(g->page, 'g', g->size);
}

static void *hole(struct guard *g)
{
	return g->page + g->size;
}

static void *edge(struct guard *g, size_t n)
{
	return g->page + g->size - n;
}

static void create_args(struct mailslot_create *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	c->name = U64(name);
	c->read_timeout_ns = 0;		/* EAGAIN when empty: no test blocks */
	c->mode = 0600;
	c->max_msg_size = 4096;
	c->max_msgs = 16;
	c->max_bytes = 65536;
	c->overflow = MAILSLOT_OVERFLOW_FAIL;
}

static int create_slot(int ctl, const char *name)
{
	struct mailslot_create c;

	create_args(&c, name);
	return mst_slot_create_at(ctl, &c, name);
}

/* The module parameter max_msg_size, or 0 when unreadable. */
static unsigned long module_max_msg_size(void)
{
	unsigned long v = 0;
	FILE *f = fopen("/sys/module/mailslot/parameters/max_msg_size", "r");

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* The control device */

FIXTURE(control) {
	int ctl;
	struct guard g;
	char name[64];
};

FIXTURE_SETUP(control)
{
	self->ctl = -1;
	if (!mst_have_module())
		return;
	self->ctl = open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->ctl);
	guard_init(_metadata, &self->g);
	snprintf(self->name, sizeof(self->name), "%s", mst_name("badinput"));
}

FIXTURE_TEARDOWN(control)
{
	if (self->ctl >= 0)
		close(self->ctl);
}

TEST_F(control, unknown_commands)
{
	unsigned long cmds[] = {
		0, 1, TCGETS, FIONREAD, FIONBIO + 0x100,
		_IO(MAILSLOT_IOC_MAGIC, 0x03),
		_IO(MAILSLOT_IOC_MAGIC, 0x3f),
		_IOWR(MAILSLOT_IOC_MAGIC, 0xff, __u64),
		/* the right number with the wrong size or direction */
		_IOW(MAILSLOT_IOC_MAGIC, 0x00, __u64),
		_IOR(MAILSLOT_IOC_MAGIC, 0x00, struct mailslot_create),
		_IOW(MAILSLOT_IOC_MAGIC, 0x01, struct mailslot_wait),
		_IOR(MAILSLOT_IOC_MAGIC, 0x02, struct mailslot_wait),
		/* slot-handle commands are not control commands */
		MAILSLOT_IOC_GET_INFO, MAILSLOT_IOC_SET_TIMEOUT,
		MAILSLOT_IOC_RECV, MAILSLOT_IOC_RECV_BATCH,
	};
	unsigned int i;

	MST_NEED_MODULE();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct mailslot_info junk;

		WHERE("cmd %#lx", cmds[i]);
		EXPECT_ERR(ENOTTY, ioctl(self->ctl, cmds[i], &junk));
	}
}

TEST_F(control, create_bad_pointers)
{
	struct mailslot_create c, *at_edge;

	MST_NEED_MODULE();
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, NULL));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, hole(&self->g)));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, LOW_UNMAPPED));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, KPTR_TEXT));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, KPTR_DIRECT));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, (void *)-1L));
	/* a struct that runs into the unmapped page */
	at_edge = edge(&self->g, sizeof(c) - 8);
	create_args(&c, self->name);
	memcpy(at_edge, &c, sizeof(c) - 8);
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, at_edge));

	/* the name pointer */
	create_args(&c, NULL);
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c));
	c.name = U64(hole(&self->g));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c));
	c.name = U64(KPTR_TEXT);
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c));
	c.name = U64(KPTR_DIRECT);
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c));
	/* a short name without its NUL before the unmapped page */
	memset(edge(&self->g, 16), 'a', 16);
	c.name = U64(edge(&self->g, 16));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c));

	/* nothing was created by any of the above */
	EXPECT_ERR(ENOENT, mst_slot_open(self->name, O_WRONLY));
}

TEST_F(control, create_bad_names)
{
	static const char *const bad[] = {
		"", "/", "/lead", "trail/", "a//b", ".", "..", "a/./b",
		"a/../b", "./a", "a/..", "control", "sp ace", "tab\tname",
		"nl\nname", "del\x7f", "hi\x80gh", "\xff",
	};
	struct mailslot_create c;
	char longname[MAILSLOT_NAME_MAX + 2];
	unsigned int i;
	int fd;

	MST_NEED_MODULE();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		create_args(&c, bad[i]);
		WHERE("name \"%s\"", bad[i]);
		EXPECT_ERR(EINVAL, ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c));
	}
	/* 255 bytes is the longest name, 256 one too many */
	memset(longname, 'n', sizeof(longname));
	i = snprintf(longname, sizeof(longname), "ksft-bi-%d-", getpid());
	longname[i] = 'n';
	longname[MAILSLOT_NAME_MAX + 1] = 0;
	create_args(&c, longname);
	EXPECT_ERR(EINVAL, ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c));
	longname[MAILSLOT_NAME_MAX] = 0;
	fd = ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c);
	ASSERT_LE(0, fd) TH_LOG("255-byte name: %s", strerror(errno));
	/* a name that exists already */
	EXPECT_ERR(EEXIST, ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c));
	close(fd);
}

TEST_F(control, create_bad_fields)
{
	struct mailslot_create c;
	unsigned long param_max = module_max_msg_size();
	int fd;

	MST_NEED_MODULE();
#define BAD_FIELD(stmt) do {						\
		create_args(&c, self->name);				\
		stmt;							\
		WHERE("%s", #stmt);					\
		EXPECT_ERR(EINVAL, ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c)); \
	} while (0)
	BAD_FIELD(c.mode = 01000);
	BAD_FIELD(c.mode = 04755);
	BAD_FIELD(c.mode = 0xffffffff);
	BAD_FIELD(c.overflow = MAILSLOT_OVERFLOW_DROP + 1);
	BAD_FIELD(c.overflow = 0xffffffff);
	BAD_FIELD(c.flags = 1U << 3);	/* the first undefined flag */
	BAD_FIELD(c.flags = 1U << 31);
	BAD_FIELD(c.flags = 0xffffffff);
	BAD_FIELD(c.reserved[0] = 1);
	BAD_FIELD(c.reserved[1] = 1ULL << 63);
	BAD_FIELD(c.max_msgs = MAILSLOT_MAX_MSGS_LIMIT + 1);
	BAD_FIELD(c.max_msgs = 0xffffffff);
	BAD_FIELD(c.max_bytes = MAILSLOT_MAX_BYTES_LIMIT + 1);
	BAD_FIELD(c.max_bytes = 0xffffffff);
	BAD_FIELD(c.max_msg_size = 8192; c.max_bytes = 8191);
	BAD_FIELD(c.max_msg_size = 0xffffffff);
	if (param_max && param_max < 0xffffffffUL)
		BAD_FIELD(c.max_msg_size = param_max + 1);
#undef BAD_FIELD

	/* the largest values are accepted */
	create_args(&c, self->name);
	c.max_msgs = MAILSLOT_MAX_MSGS_LIMIT;
	c.max_bytes = MAILSLOT_MAX_BYTES_LIMIT;
	if (param_max)
		c.max_msg_size = param_max;
	c.mode = 0777;
	c.overflow = MAILSLOT_OVERFLOW_DROP;
	c.flags = MAILSLOT_CREATE_NONBLOCK;
	fd = ioctl(self->ctl, MAILSLOT_IOC_CREATE, &c);
	ASSERT_LE(0, fd) TH_LOG("largest limits: %s", strerror(errno));
	EXPECT_NE(0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_NE(0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
}

static void *tid_thread(void *arg)
{
	pid_t *tid = arg;

	*tid = syscall(SYS_gettid);
	pause();
	return NULL;
}

static int read_pid_max(void)
{
	int v = 4194304;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 4194304;
		fclose(f);
	}
	return v;
}

TEST_F(control, proc_open_bad_input)
{
	struct mailslot_proc_open p;
	volatile pid_t tid = 0;
	pthread_t th;

	MST_NEED_MODULE();
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, NULL));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, hole(&self->g)));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, KPTR_TEXT));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN,
				 edge(&self->g, sizeof(p) - 4)));

	memset(&p, 0, sizeof(p));
	p.pid = getpid();
	p.flags = 1U << 1;
	EXPECT_ERR(EINVAL, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, &p));
	p.flags = 0xffffffff;
	EXPECT_ERR(EINVAL, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, &p));
	p.flags = 0;
	p.reserved = 1;
	EXPECT_ERR(EINVAL, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, &p));
	p.reserved = 0;

	/* no such process: beyond pid_max, and negative as pid_t */
	p.pid = read_pid_max() + 1;
	EXPECT_ERR(ESRCH, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, &p));
	p.pid = 0x7fffffff;
	EXPECT_ERR(ESRCH, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, &p));
	p.pid = 0xffffffff;
	EXPECT_ERR(ESRCH, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, &p));
	p.pid = 0;
	EXPECT_ERR(ESRCH, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, &p));

	/* a thread that is not the thread-group leader */
	ASSERT_EQ(0, pthread_create(&th, NULL, tid_thread, (void *)&tid));
	while (!tid)
		usleep(1000);
	p.pid = tid;
	EXPECT_ERR(EINVAL, ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, &p));
	pthread_cancel(th);
	pthread_join(th, NULL);
}

/* ------------------------------------------------------------------ */
/* MAILSLOT_IOC_WAIT */

FIXTURE(waitfds) {
	int ctl, srv, other_srv, other_w, proc, file, pipe[2], pidfd;
	pid_t child;
	struct guard g;
	char name[64], other[64];
};

FIXTURE_SETUP(waitfds)
{
	struct mailslot_proc_open p = { 0 };
	char path[] = "/tmp/ksft-badinput-XXXXXX";

	self->ctl = self->srv = self->other_srv = self->other_w = -1;
	self->proc = self->file = self->pidfd = -1;
	self->pipe[0] = self->pipe[1] = -1;
	self->child = 0;
	if (!mst_have_module())
		return;
	guard_init(_metadata, &self->g);
	self->ctl = open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->ctl);
	snprintf(self->name, sizeof(self->name), "%s", mst_name("badinput"));
	snprintf(self->other, sizeof(self->other), "%s", mst_name("badinput"));
	self->srv = create_slot(self->ctl, self->name);
	ASSERT_LE(0, self->srv);
	self->other_srv = create_slot(self->ctl, self->other);
	ASSERT_LE(0, self->other_srv);
	self->other_w = mst_slot_open(self->other, O_WRONLY);
	ASSERT_LE(0, self->other_w);

	self->child = fork();
	ASSERT_LE(0, self->child);
	if (self->child == 0) {
		pause();
		_exit(0);
	}
	p.pid = self->child;
	self->proc = ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, &p);
	ASSERT_LE(0, self->proc);

	self->file = mkstemp(path);
	ASSERT_LE(0, self->file);
	unlink(path);
	ASSERT_EQ(0, pipe(self->pipe));
	self->pidfd = mst_pidfd_open(self->child);
}

FIXTURE_TEARDOWN(waitfds)
{
	int fds[] = { self->ctl, self->srv, self->other_srv, self->other_w,
		      self->proc, self->file, self->pipe[0], self->pipe[1],
		      self->pidfd };
	unsigned int i;

	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static int do_wait(int ctl, const int *fds, __u32 count, __u32 flags,
		   __u64 timeout)
{
	struct mailslot_wait w;

	memset(&w, 0, sizeof(w));
	w.fds = U64(fds);
	w.count = count;
	w.flags = flags;
	w.timeout_ns = timeout;
	return ioctl(ctl, MAILSLOT_IOC_WAIT, &w);
}

TEST_F(waitfds, bad_pointers_and_fields)
{
	struct mailslot_wait w;
	int fds[MAILSLOT_WAIT_MAX + 2];
	int i;

	MST_NEED_MODULE();
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_WAIT, NULL));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_WAIT, hole(&self->g)));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_WAIT, KPTR_DIRECT));
	EXPECT_ERR(EFAULT, ioctl(self->ctl, MAILSLOT_IOC_WAIT,
				 edge(&self->g, sizeof(w) - 4)));

	/* the fds array */
	EXPECT_ERR(EFAULT, do_wait(self->ctl, NULL, 1, 0, 0));
	EXPECT_ERR(EFAULT, do_wait(self->ctl, hole(&self->g), 1, 0, 0));
	EXPECT_ERR(EFAULT, do_wait(self->ctl, LOW_UNMAPPED, 1, 0, 0));
	EXPECT_ERR(EFAULT, do_wait(self->ctl, KPTR_TEXT, 1, 0, 0));
	/* the first fd readable, the second one in the unmapped page */
	*(int *)edge(&self->g, sizeof(int)) = self->srv;
	EXPECT_ERR(EFAULT, do_wait(self->ctl, edge(&self->g, sizeof(int)), 2, 0, 0));

	/* count: 0, one too many, the largest u32 */
	for (i = 0; i < MAILSLOT_WAIT_MAX + 2; i++)
		fds[i] = self->srv;
	EXPECT_ERR(EINVAL, do_wait(self->ctl, fds, 0, 0, 0));
	EXPECT_ERR(EINVAL, do_wait(self->ctl, fds, MAILSLOT_WAIT_MAX + 1, 0, 0));
	EXPECT_ERR(EINVAL, do_wait(self->ctl, fds, 0xffffffff, 0, 0));
	EXPECT_ERR(EINVAL, do_wait(self->ctl, NULL, 0xffffffff, 0, 0));

	/* unknown flags, reserved */
	fds[0] = self->srv;
	EXPECT_ERR(EINVAL, do_wait(self->ctl, fds, 1, 1U << 2, 0));
	EXPECT_ERR(EINVAL, do_wait(self->ctl, fds, 1, 0xffffffff, 0));
	memset(&w, 0, sizeof(w));
	w.fds = U64(fds);
	w.count = 1;
	w.reserved = 1;
	EXPECT_ERR(EINVAL, ioctl(self->ctl, MAILSLOT_IOC_WAIT, &w));

	/* the valid call, for contrast: nothing queued, timeout 0 */
	EXPECT_ERR(ETIMEDOUT, do_wait(self->ctl, fds, 1, 0, 0));
	/* an absolute timeout in the past expires at once */
	EXPECT_ERR(ETIMEDOUT, do_wait(self->ctl, fds, 1, MAILSLOT_WAIT_ABSOLUTE, 1));
	/* and index is written back on success only: not checked here */
}

TEST_F(waitfds, wrong_fd_types)
{
	int fds[2];
	int closed;

	MST_NEED_MODULE();
	/* one good fd first, then the bad one: the whole call fails */
#define WAIT_BAD(err, badfd) do {					\
		fds[0] = self->srv;					\
		fds[1] = (badfd);					\
		WHERE("fd %s", #badfd);					\
		EXPECT_ERR(err, do_wait(self->ctl, fds, 2, 0, 0));	\
		EXPECT_ERR(err, do_wait(self->ctl, fds + 1, 1, MAILSLOT_WAIT_ALL, 0)); \
	} while (0)
	WAIT_BAD(EINVAL, self->file);		/* cannot be polled */
	WAIT_BAD(EINVAL, self->ctl);
	WAIT_BAD(EINVAL, self->other_w);	/* another slot's writer */
	/* other pollable files are waited on (wait_pidfd_test): not signaled */
	WAIT_BAD(ETIMEDOUT, self->pipe[0]);
	WAIT_BAD(ETIMEDOUT, self->pipe[1]);
	if (self->pidfd >= 0)
		WAIT_BAD(ETIMEDOUT, self->pidfd);
	else
		TH_LOG("pidfd_open: %s; pidfd case skipped", strerror(errno));
	WAIT_BAD(EBADF, -1);
	WAIT_BAD(EBADF, INT_MIN);
	WAIT_BAD(EBADF, INT_MAX);
	closed = dup(self->file);
	ASSERT_LE(0, closed);
	close(closed);
	WAIT_BAD(EBADF, closed);
#undef WAIT_BAD

	/* duplicates */
	fds[0] = fds[1] = self->srv;
	EXPECT_ERR(EINVAL, do_wait(self->ctl, fds, 2, 0, 0));
	fds[0] = fds[1] = self->proc;
	EXPECT_ERR(EINVAL, do_wait(self->ctl, fds, 2, MAILSLOT_WAIT_ALL, 0));

	/* another slot's server (a reader) and a process object are fine */
	fds[0] = self->srv;
	fds[1] = self->other_srv;
	EXPECT_ERR(ETIMEDOUT, do_wait(self->ctl, fds, 2, 0, 0));
	fds[1] = self->proc;
	EXPECT_ERR(ETIMEDOUT, do_wait(self->ctl, fds, 2, MAILSLOT_WAIT_ALL, 0));
	/* WAIT is a control command: ENOTTY on the other handles */
	EXPECT_ERR(ENOTTY, ioctl(self->srv, MAILSLOT_IOC_WAIT, NULL));
	EXPECT_ERR(ENOTTY, ioctl(self->proc, MAILSLOT_IOC_WAIT, NULL));
}

/* ------------------------------------------------------------------ */
/* Slot handles: ioctls, read(2), write(2) */

FIXTURE(slot) {
	int ctl, srv, w, r, rw;
	struct guard g;
	char name[64];
	char *buf;
	size_t bufsize;
};

FIXTURE_SETUP(slot)
{
	self->ctl = self->srv = self->w = self->r = self->rw = -1;
	if (!mst_have_module())
		return;
	guard_init(_metadata, &self->g);
	self->ctl = open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->ctl);
	snprintf(self->name, sizeof(self->name), "%s", mst_name("badinput"));
	self->srv = create_slot(self->ctl, self->name);
	ASSERT_LE(0, self->srv);
	self->w = mst_slot_open(self->name, O_WRONLY);
	ASSERT_LE(0, self->w);
	self->r = mst_slot_open(self->name, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, self->r);
	self->rw = mst_slot_open(self->name, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, self->rw);
	self->bufsize = 8192;
	self->buf = calloc(1, self->bufsize);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(slot)
{
	int fds[] = { self->ctl, self->srv, self->w, self->r, self->rw };
	unsigned int i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(self->buf);
}

static __u64 queued(struct __test_metadata *_metadata, int fd)
{
	struct mailslot_info info;

	EXPECT_EQ(0, mst_slot_info(fd, &info));
	return info.msgs;
}

static __u64 sent(struct __test_metadata *_metadata, int fd)
{
	struct mailslot_info info;

	EXPECT_EQ(0, mst_slot_info(fd, &info));
	return info.sent;
}

TEST_F(slot, unknown_commands)
{
	unsigned long cmds[] = {
		0, TCGETS,
		MAILSLOT_IOC_CREATE, MAILSLOT_IOC_PROC_OPEN, MAILSLOT_IOC_WAIT,
		_IO(MAILSLOT_IOC_MAGIC, 0x14),
		_IO(MAILSLOT_IOC_MAGIC, 0x3f),
		_IOR(MAILSLOT_IOC_MAGIC, 0x10, __u64),
		_IOW(MAILSLOT_IOC_MAGIC, 0x10, struct mailslot_info),
		_IOW(MAILSLOT_IOC_MAGIC, 0x11, __u32),
		_IOR(MAILSLOT_IOC_MAGIC, 0x12, struct mailslot_recv),
		_IOWR(MAILSLOT_IOC_MAGIC, 0x13, struct mailslot_recv),
	};
	int fds[] = { self->srv, self->w, self->r };
	unsigned int i, j;

	MST_NEED_MODULE();
	for (j = 0; j < 3; j++)
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			WHERE("fd %d cmd %#lx", j, cmds[i]);
			EXPECT_ERR(ENOTTY, ioctl(fds[j], cmds[i], self->buf));
		}
}

TEST_F(slot, info_and_timeout_pointers)
{
	struct mailslot_info info;
	void *ro;
	int fds[] = { self->srv, self->w, self->r, self->rw };
	unsigned int j;

	MST_NEED_MODULE();
	ro = mmap(NULL, self->g.size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	for (j = 0; j < sizeof(fds) / sizeof(fds[0]); j++) {
		int fd = fds[j];
		/* reader-only ioctls on a write-only handle: EBADF, like read(2) */
		int rerr = fd == self->w ? EBADF : EFAULT;

		WHERE("handle %u", j);
		EXPECT_ERR(EFAULT, ioctl(fd, MAILSLOT_IOC_GET_INFO, NULL));
		EXPECT_ERR(EFAULT, ioctl(fd, MAILSLOT_IOC_GET_INFO, hole(&self->g)));
		EXPECT_ERR(EFAULT, ioctl(fd, MAILSLOT_IOC_GET_INFO, LOW_UNMAPPED));
		EXPECT_ERR(EFAULT, ioctl(fd, MAILSLOT_IOC_GET_INFO, KPTR_TEXT));
		EXPECT_ERR(EFAULT, ioctl(fd, MAILSLOT_IOC_GET_INFO, KPTR_DIRECT));
		EXPECT_ERR(EFAULT, ioctl(fd, MAILSLOT_IOC_GET_INFO, ro));
		EXPECT_ERR(EFAULT, ioctl(fd, MAILSLOT_IOC_GET_INFO,
					 edge(&self->g, sizeof(info) - 8)));
		EXPECT_ERR(rerr, ioctl(fd, FIONREAD, NULL));
		EXPECT_ERR(rerr, ioctl(fd, FIONREAD, KPTR_TEXT));
		EXPECT_ERR(rerr, ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, NULL));
		EXPECT_ERR(rerr, ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, hole(&self->g)));
		EXPECT_ERR(rerr, ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, KPTR_TEXT));
		EXPECT_ERR(rerr, ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT,
				       edge(&self->g, 4)));
		EXPECT_EQ(0, mst_slot_info(fd, &info));
		EXPECT_EQ(0, info.reserved[0] | info.reserved[1] |
			     info.reserved[2] | info.reserved[3]);
	}
	munmap(ro, self->g.size);
}

TEST_F(slot, write_bad_input)
{
	struct mailslot_info info;
	__u64 before;

	MST_NEED_MODULE();
	before = sent(_metadata, self->srv);
	/* pointers: nothing may be queued by a failed send */
	EXPECT_ERR(EFAULT, write(self->w, NULL, 16));
	EXPECT_ERR(EFAULT, write(self->w, hole(&self->g), 16));
	EXPECT_ERR(EFAULT, write(self->w, LOW_UNMAPPED, 16));
	EXPECT_ERR(EFAULT, write(self->w, edge(&self->g, 8), 16));
	EXPECT_ERR(EFAULT, write(self->w, KPTR_TEXT, 16));
	EXPECT_ERR(EFAULT, write(self->w, KPTR_DIRECT, 16));
	/* SIZE_MAX: access_ok() fails in the VFS before the driver runs */
	EXPECT_ERR(EFAULT, write(self->w, self->buf, SIZE_MAX));
	/* a huge but addressable size (clamped to MAX_RW_COUNT): too big */
	EXPECT_ERR(EMSGSIZE, write(self->w, self->buf, (size_t)1 << 40));
	EXPECT_ERR(EMSGSIZE, write(self->w, self->buf, 4097));
	EXPECT_EQ(before, sent(_metadata, self->srv));
	EXPECT_EQ(0, queued(_metadata, self->srv));
	/* writing on a read-only handle: the VFS says EBADF */
	EXPECT_ERR(EBADF, write(self->srv, self->buf, 16));
	EXPECT_ERR(EBADF, write(self->r, self->buf, 16));

	/* the largest message is accepted, and arrives whole */
	memset(self->buf, 'x', 4096);
	ASSERT_EQ(4096, write(self->w, self->buf, 4096));
	ASSERT_EQ(0, mst_slot_info(self->srv, &info));
	EXPECT_EQ(1, info.msgs);
	EXPECT_EQ(4096, info.next_size);
	EXPECT_EQ(before + 1, info.sent);
}

TEST_F(slot, read_bad_input)
{
	static const char msg[] = "bad-input message";
	struct mailslot_info info;

	MST_NEED_MODULE();
	ASSERT_EQ(sizeof(msg), write(self->w, msg, sizeof(msg)));
	ASSERT_EQ(1, queued(_metadata, self->r));

	/* each failure leaves the message queued */
	EXPECT_ERR(EFAULT, read(self->r, NULL, sizeof(msg)));
	EXPECT_ERR(EFAULT, read(self->r, hole(&self->g), sizeof(msg)));
	EXPECT_ERR(EFAULT, read(self->r, LOW_UNMAPPED, sizeof(msg)));
	EXPECT_ERR(EFAULT, read(self->r, edge(&self->g, 8), sizeof(msg)));
	EXPECT_ERR(EFAULT, read(self->r, KPTR_TEXT, sizeof(msg)));
	EXPECT_ERR(EFAULT, read(self->r, self->buf, SIZE_MAX));
	EXPECT_ERR(EMSGSIZE, read(self->r, self->buf, 0));
	EXPECT_ERR(EMSGSIZE, read(self->r, self->buf, sizeof(msg) - 1));
	EXPECT_ERR(EMSGSIZE, read(self->r, NULL, 0));
	ASSERT_EQ(0, mst_slot_info(self->r, &info));
	EXPECT_EQ(1, info.msgs);
	EXPECT_EQ(sizeof(msg), info.next_size);
	/* reading a write-only handle: the VFS says EBADF */
	EXPECT_ERR(EBADF, read(self->w, self->buf, self->bufsize));

	/* a huge buffer is fine: the message is copied, not the size */
	EXPECT_EQ(sizeof(msg), read(self->r, self->buf, (size_t)1 << 40));
	EXPECT_EQ(0, memcmp(self->buf, msg, sizeof(msg)));
	EXPECT_ERR(EAGAIN, read(self->r, self->buf, self->bufsize));
}

TEST_F(slot, recv_bad_input)
{
	static const char msg[] = "recv";
	struct mailslot_recv rv, *ro;
	struct mailslot_info info;

	MST_NEED_MODULE();
	ASSERT_EQ(sizeof(msg), write(self->w, msg, sizeof(msg)));

	EXPECT_ERR(EFAULT, ioctl(self->r, MAILSLOT_IOC_RECV, NULL));
	EXPECT_ERR(EFAULT, ioctl(self->r, MAILSLOT_IOC_RECV, hole(&self->g)));
	EXPECT_ERR(EFAULT, ioctl(self->r, MAILSLOT_IOC_RECV, KPTR_TEXT));
	EXPECT_ERR(EFAULT, ioctl(self->r, MAILSLOT_IOC_RECV,
				 edge(&self->g, sizeof(rv) - 8)));

#define RECV_BAD(err, stmt) do {					\
		memset(&rv, 0, sizeof(rv));				\
		rv.buf = U64(self->buf);				\
		rv.size = self->bufsize;				\
		stmt;							\
		WHERE("%s", #stmt);					\
		EXPECT_ERR(err, ioctl(self->r, MAILSLOT_IOC_RECV, &rv)); \
	} while (0)
	RECV_BAD(EINVAL, rv.flags = 1);
	RECV_BAD(EINVAL, rv.flags = 0xffffffff);
	RECV_BAD(EFAULT, rv.buf = 0);
	RECV_BAD(EFAULT, rv.buf = U64(hole(&self->g)));
	RECV_BAD(EFAULT, rv.buf = U64(edge(&self->g, 2)));
	RECV_BAD(EFAULT, rv.buf = U64(KPTR_TEXT));
	RECV_BAD(EFAULT, rv.buf = U64(KPTR_DIRECT));
	RECV_BAD(EFAULT, rv.buf = ~0ULL);
	RECV_BAD(EMSGSIZE, rv.size = 0);
	RECV_BAD(EMSGSIZE, rv.size = sizeof(msg) - 1);
	RECV_BAD(EMSGSIZE, rv.size = 0; rv.buf = 0);
#undef RECV_BAD
	/* EMSGSIZE tells the size of the message that stays queued */
	memset(&rv, 0, sizeof(rv));
	rv.buf = U64(self->buf);
	rv.size = 1;
	EXPECT_ERR(EMSGSIZE, ioctl(self->r, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(sizeof(msg), rv.info.size);

	/* the struct in read-only memory: the result cannot be written */
	ro = mmap(NULL, self->g.size, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	memset(ro, 0, sizeof(*ro));
	ro->buf = U64(self->buf);
	ro->size = self->bufsize;
	ASSERT_EQ(0, mprotect(ro, self->g.size, PROT_READ));
	EXPECT_ERR(EFAULT, ioctl(self->r, MAILSLOT_IOC_RECV, ro));
	munmap(ro, self->g.size);

	/* none of the failures took the message */
	ASSERT_EQ(0, mst_slot_info(self->r, &info));
	EXPECT_EQ(1, info.msgs);
	EXPECT_EQ(sizeof(msg), info.next_size);

	/* the largest size works and takes it */
	memset(&rv, 0, sizeof(rv));
	rv.buf = U64(self->buf);
	rv.size = 0xffffffff;
	EXPECT_EQ(sizeof(msg), ioctl(self->r, MAILSLOT_IOC_RECV, &rv));
	EXPECT_EQ(sizeof(msg), rv.info.size);
	EXPECT_EQ(0, memcmp(self->buf, msg, sizeof(msg)));
	/* empty now, read timeout 0 */
	EXPECT_ERR(EAGAIN, ioctl(self->r, MAILSLOT_IOC_RECV, &rv));
	/* a write-only handle does not receive: EBADF like read(2) */
	EXPECT_ERR(EBADF, ioctl(self->w, MAILSLOT_IOC_RECV, &rv));
}

TEST_F(slot, recv_batch_bad_input)
{
	static const char msg[] = "batch";
	struct mailslot_recv_batch b;
	struct mailslot_info info;

	MST_NEED_MODULE();
	ASSERT_EQ(sizeof(msg), write(self->w, msg, sizeof(msg)));
	ASSERT_EQ(sizeof(msg), write(self->w, msg, sizeof(msg)));

	EXPECT_ERR(EFAULT, ioctl(self->r, MAILSLOT_IOC_RECV_BATCH, NULL));
	EXPECT_ERR(EFAULT, ioctl(self->r, MAILSLOT_IOC_RECV_BATCH, hole(&self->g)));
	EXPECT_ERR(EFAULT, ioctl(self->r, MAILSLOT_IOC_RECV_BATCH, KPTR_TEXT));
	EXPECT_ERR(EFAULT, ioctl(self->r, MAILSLOT_IOC_RECV_BATCH,
				 edge(&self->g, sizeof(b) - 8)));

#define BATCH_BAD(err, stmt) do {					\
		memset(&b, 0, sizeof(b));				\
		b.buf = U64(self->buf);					\
		b.size = self->bufsize;					\
		b.max_msgs = 8;						\
		stmt;							\
		WHERE("%s", #stmt);					\
		EXPECT_ERR(err, ioctl(self->r, MAILSLOT_IOC_RECV_BATCH, &b)); \
	} while (0)
	BATCH_BAD(EINVAL, b.max_msgs = 0);
	BATCH_BAD(EINVAL, b.max_msgs = MAILSLOT_MAX_MSGS_LIMIT + 1);
	BATCH_BAD(EINVAL, b.max_msgs = 0xffffffff);
	BATCH_BAD(EINVAL, b.flags = 1);
	BATCH_BAD(EINVAL, b.flags = 0x80000000);
	BATCH_BAD(EFAULT, b.buf = 0);
	BATCH_BAD(EFAULT, b.buf = 0; b.size = ~0ULL);
	BATCH_BAD(EFAULT, b.buf = U64(hole(&self->g)));
	BATCH_BAD(EFAULT, b.buf = U64(KPTR_TEXT));
	BATCH_BAD(EFAULT, b.buf = U64(KPTR_DIRECT); b.size = 1 << 20);
	BATCH_BAD(EFAULT, b.buf = U64(edge(&self->g, 8)));
	BATCH_BAD(EMSGSIZE, b.size = 0);
	BATCH_BAD(EMSGSIZE, b.size = MAILSLOT_RECORD_SIZE(sizeof(msg)) - 1);
	BATCH_BAD(EMSGSIZE, b.size = sizeof(struct mailslot_msg_info));
#undef BATCH_BAD

	ASSERT_EQ(0, mst_slot_info(self->r, &info));
	EXPECT_EQ(2, info.msgs);

	/* SIZE_MAX with a real buffer: copies what is queued, nothing more */
	memset(&b, 0, sizeof(b));
	b.buf = U64(self->buf);
	b.size = ~0ULL;
	b.max_msgs = MAILSLOT_MAX_MSGS_LIMIT;
	EXPECT_EQ(2, ioctl(self->r, MAILSLOT_IOC_RECV_BATCH, &b));
	EXPECT_EQ(2 * MAILSLOT_RECORD_SIZE(sizeof(msg)), b.bytes);
	EXPECT_ERR(EAGAIN, ioctl(self->r, MAILSLOT_IOC_RECV_BATCH, &b));
	EXPECT_ERR(EBADF, ioctl(self->w, MAILSLOT_IOC_RECV_BATCH, &b));
}

TEST_F(slot, closed_fds)
{
	struct mailslot_info info;
	int fd;

	MST_NEED_MODULE();
	fd = dup(self->r);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_ERR(EBADF, ioctl(fd, MAILSLOT_IOC_GET_INFO, &info));
	EXPECT_ERR(EBADF, ioctl(fd, MAILSLOT_IOC_RECV, self->buf));
	EXPECT_ERR(EBADF, read(fd, self->buf, self->bufsize));
	EXPECT_ERR(EBADF, write(fd, self->buf, 1));
	EXPECT_ERR(EBADF, ioctl(-1, MAILSLOT_IOC_CREATE, self->buf));

	/* after the server closes, the name is gone and handles say so */
	ASSERT_EQ(0, close(self->srv));
	self->srv = -1;
	EXPECT_ERR(ENOENT, mst_slot_open(self->name, O_WRONLY));
	ASSERT_EQ(0, mst_slot_info(self->w, &info));
	EXPECT_NE(0, info.flags & MAILSLOT_INFO_CLOSED);
}

/* ------------------------------------------------------------------ */
/* Process objects */

FIXTURE(procobj) {
	int ctl, proc;
	struct guard g;
};

FIXTURE_SETUP(procobj)
{
	struct mailslot_proc_open p = { 0 };
	pid_t child;

	self->ctl = self->proc = -1;
	if (!mst_have_module())
		return;
	guard_init(_metadata, &self->g);
	self->ctl = open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->ctl);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(7);
	p.pid = child;
	self->proc = ioctl(self->ctl, MAILSLOT_IOC_PROC_OPEN, &p);
	ASSERT_LE(0, self->proc) TH_LOG("PROC_OPEN: %s", strerror(errno));
	ASSERT_EQ(child, waitpid(child, NULL, 0));
}

FIXTURE_TEARDOWN(procobj)
{
	if (self->proc >= 0)
		close(self->proc);
	if (self->ctl >= 0)
		close(self->ctl);
}

TEST_F(procobj, bad_input)
{
	struct mailslot_proc_exit ex;
	char small[sizeof(ex)];
	unsigned long cmds[] = {
		0, TCGETS, FIONREAD + 0x1000, MAILSLOT_IOC_CREATE,
		MAILSLOT_IOC_PROC_OPEN, MAILSLOT_IOC_GET_INFO,
		MAILSLOT_IOC_SET_TIMEOUT, MAILSLOT_IOC_RECV,
		MAILSLOT_IOC_RECV_BATCH, _IO(MAILSLOT_IOC_MAGIC, 0x20),
		_IO(MAILSLOT_IOC_MAGIC, 0x3f),
	};
	unsigned int i;

	MST_NEED_MODULE();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		WHERE("cmd %#lx", cmds[i]);
		EXPECT_ERR(ENOTTY, ioctl(self->proc, cmds[i], small));
	}
	/* short buffers: EINVAL (documented) */
	EXPECT_ERR(EINVAL, read(self->proc, small, 0));
	EXPECT_ERR(EINVAL, read(self->proc, small, 1));
	EXPECT_ERR(EINVAL, read(self->proc, small, sizeof(ex) - 1));
	/* bad pointers */
	EXPECT_ERR(EFAULT, read(self->proc, NULL, sizeof(ex)));
	EXPECT_ERR(EFAULT, read(self->proc, hole(&self->g), sizeof(ex)));
	EXPECT_ERR(EFAULT, read(self->proc, edge(&self->g, 8), sizeof(ex)));
	EXPECT_ERR(EFAULT, read(self->proc, KPTR_TEXT, sizeof(ex)));
	EXPECT_ERR(EFAULT, read(self->proc, small, SIZE_MAX));
	/* O_RDONLY object */
	EXPECT_ERR(EBADF, write(self->proc, small, sizeof(ex)));

	/* still readable, again and again, with the status */
	memset(&ex, 0, sizeof(ex));
	ASSERT_EQ(sizeof(ex), read(self->proc, &ex, sizeof(ex)));
	EXPECT_TRUE(WIFEXITED(ex.status));
	EXPECT_EQ(7, WEXITSTATUS(ex.status));
	EXPECT_EQ(0, ex.reserved[0] | ex.reserved[1]);
	/*
	 * A huge count is fine: only the struct is copied.  In .bss (low
	 * addresses in a static binary): a stack address + 1 GiB may run past
	 * the top of user space, and access_ok() would say EFAULT.
	 */
	static struct mailslot_proc_exit low;

	ASSERT_EQ(sizeof(low), read(self->proc, &low, (size_t)1 << 30));
}

TEST_HARNESS_MAIN
