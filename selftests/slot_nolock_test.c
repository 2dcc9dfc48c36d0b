// SPDX-License-Identifier: GPL-2.0
/*
 * No slot lock across user copies.  A userfaultfd page
 * stalls a read's copy_to_user or a write's copy_from_user for as long as
 * the test wants; meanwhile other writers, readers, GET_INFO, opens and even
 * closing the server must go on, which they could not if the slot lock were
 * held across the copy.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

struct uffd_page {
	int uffd;
	char *page;
	size_t size;
};

static int uffd_setup(struct uffd_page *u)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;

	u->size = sysconf(_SC_PAGESIZE);
	u->uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (u->uffd < 0)
		return -1;
	if (ioctl(u->uffd, UFFDIO_API, &api))
		return -1;
	u->page = mmap(NULL, u->size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (u->page == MAP_FAILED)
		return -1;
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (unsigned long)u->page;
	reg.range.len = u->size;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	return ioctl(u->uffd, UFFDIO_REGISTER, &reg);
}

/* Wait until a thread faults on the page; 0 when it did. */
static int uffd_wait_fault(struct uffd_page *u)
{
	struct pollfd p = { .fd = u->uffd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&p, 1, 10000) != 1)
		return -1;
	if (read(u->uffd, &msg, sizeof(msg)) != sizeof(msg))
		return -1;
	return msg.event == UFFD_EVENT_PAGEFAULT ? 0 : -1;
}

/* Fill the page with @c and let the faulting thread go on. */
static int uffd_resolve(struct uffd_page *u, char c)
{
	struct uffdio_copy copy;
	char *src = malloc(u->size);
	int ret;

	memset(src, c, u->size);
	memset(&copy, 0, sizeof(copy));
	copy.dst = (unsigned long)u->page;
	copy.src = (unsigned long)src;
	copy.len = u->size;
	ret = ioctl(u->uffd, UFFDIO_COPY, &copy);
	free(src);
	return ret;
}

static void uffd_teardown(struct uffd_page *u)
{
	munmap(u->page, u->size);
	close(u->uffd);
}

struct io {
	int fd;
	void *buf;
	size_t len;
	ssize_t ret;
	int err;
};

static void *do_read(void *arg)
{
	struct io *io = arg;

	io->ret = read(io->fd, io->buf, io->len);
	io->err = errno;
	return NULL;
}

static void *do_write(void *arg)
{
	struct io *io = arg;

	io->ret = write(io->fd, io->buf, io->len);
	io->err = errno;
	return NULL;
}

TEST(read_copy_stalled)
{
	const char *name = mst_name("nolock");
	struct mailslot_info info;
	struct uffd_page u;
	struct io io;
	pthread_t t;
	int srv, w, l, l2;
	char buf[16];

	if (uffd_setup(&u))
		SKIP(return, "userfaultfd: %s", strerror(errno));
	srv = mst_slot_create_lim(name, 0, 0, 0, 0, MAILSLOT_TIMEOUT_INFINITE);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	l = mst_slot_open(name, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, l);
	ASSERT_EQ(3, write(w, "abc", 3));

	/* the server's read stalls inside copy_to_user */
	io.fd = srv;
	io.buf = u.page;
	io.len = u.size;
	ASSERT_EQ(0, pthread_create(&t, NULL, do_read, &io));
	ASSERT_EQ(0, uffd_wait_fault(&u));

	/* everything else on the slot still works */
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(1, info.msgs);
	EXPECT_EQ(3, write(w, "def", 3));
	EXPECT_EQ(3, read(l, buf, sizeof(buf)));
	EXPECT_EQ(3, read(l, buf, sizeof(buf)));
	l2 = mst_slot_open(name, O_RDONLY);
	EXPECT_LE(0, l2);
	close(l2);

	ASSERT_EQ(0, uffd_resolve(&u, 0));
	pthread_join(t, NULL);
	EXPECT_EQ(3, io.ret);
	EXPECT_EQ(0, memcmp(u.page, "abc", 3));
	EXPECT_EQ(3, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "def", 3));
	close(l);
	close(w);
	close(srv);
	uffd_teardown(&u);
}

TEST(write_copy_stalled)
{
	const char *name = mst_name("nolock");
	struct mailslot_info info;
	struct uffd_page u;
	struct io io;
	pthread_t t;
	int srv, w, w2, l;
	char buf[8192];

	if (uffd_setup(&u))
		SKIP(return, "userfaultfd: %s", strerror(errno));
	srv = mst_slot_create_lim(name, 0, 0, 0, 0, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	w2 = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w2);

	/* a write stalls inside copy_from_user */
	io.fd = w;
	io.buf = u.page;
	io.len = u.size;
	ASSERT_EQ(0, pthread_create(&t, NULL, do_write, &io));
	ASSERT_EQ(0, uffd_wait_fault(&u));

	EXPECT_EQ(2, write(w2, "w2", 2));
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(1, info.msgs);
	EXPECT_EQ(2, read(srv, buf, sizeof(buf)));
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	/* the server may even close: the stalled write then fails */
	close(srv);

	ASSERT_EQ(0, uffd_resolve(&u, 'x'));
	pthread_join(t, NULL);
	EXPECT_EQ(-1, io.ret);
	EXPECT_EQ(EPIPE, io.err);
	EXPECT_EQ(0, read(l, buf, sizeof(buf)));
	close(l);
	close(w2);
	close(w);
	uffd_teardown(&u);
}

struct batch_io {
	int fd;
	struct mailslot_recv_batch b;
	int ret;
};

static void *do_batch(void *arg)
{
	struct batch_io *io = arg;

	io->ret = ioctl(io->fd, MAILSLOT_IOC_RECV_BATCH, &io->b);
	return NULL;
}

TEST(recv_batch_copy_stalled)
{
	const char *name = mst_name("nolock");
	struct mailslot_info info;
	struct batch_io io;
	struct uffd_page u;
	pthread_t t;
	int srv, w;

	if (uffd_setup(&u))
		SKIP(return, "userfaultfd: %s", strerror(errno));
	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, write(w, "1", 1));
	memset(&io, 0, sizeof(io));
	io.fd = srv;
	io.b.buf = (uintptr_t)u.page;
	io.b.size = u.size;
	io.b.max_msgs = 10;
	ASSERT_EQ(0, pthread_create(&t, NULL, do_batch, &io));
	ASSERT_EQ(0, uffd_wait_fault(&u));
	EXPECT_EQ(1, write(w, "2", 1));
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(2, info.msgs);
	ASSERT_EQ(0, uffd_resolve(&u, 0));
	pthread_join(t, NULL);
	/* the first record was stalled; the second may or may not follow */
	EXPECT_LE(1, io.ret);
	EXPECT_EQ(1, ((struct mailslot_msg_info *)u.page)->seq);
	close(w);
	close(srv);
	uffd_teardown(&u);
}

TEST_HARNESS_MAIN
