// SPDX-License-Identifier: GPL-2.0
/*
 * RWF_NOWAIT (IOCB_NOWAIT, what io_uring tries first): every slot handle
 * accepts it; a read of an empty queue and a write to a full one fail
 * with EAGAIN at once, even on a blocking handle with an infinite read
 * timeout; otherwise the call behaves as a plain read or write.  Also
 * messages larger than a page (their payload is kept in pages apart from
 * the header), whole and in order through read, readv and RECV_BATCH,
 * and a fault in the middle of one.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/uio.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

static ssize_t rd_nowait(int fd, void *buf, size_t len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	return preadv2(fd, &iov, 1, -1, RWF_NOWAIT);
}

static ssize_t wr_nowait(int fd, const void *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return pwritev2(fd, &iov, 1, -1, RWF_NOWAIT);
}

FIXTURE(nw) {
	const char *name;
	int srv;
	int w;
	int l;
};

FIXTURE_SETUP(nw)
{
	self->name = mst_name("nowait");
	/* 2 messages deep, blocking, reads wait for ever */
	self->srv = mst_slot_create_lim(self->name, 0, 2, 0,
				    MAILSLOT_OVERFLOW_BLOCK,
				    MAILSLOT_TIMEOUT_INFINITE);
	ASSERT_LE(0, self->srv);
	self->w = mst_slot_open(self->name, O_WRONLY);
	ASSERT_LE(0, self->w);
	self->l = mst_slot_open(self->name, O_RDONLY);
	ASSERT_LE(0, self->l);
}

FIXTURE_TEARDOWN(nw)
{
	close(self->l);
	close(self->w);
	close(self->srv);
}

TEST_F(nw, read_empty_eagain)
{
	char buf[16];

	/* the server handle (created) and a listener (opened on the node) */
	EXPECT_EQ(-1, rd_nowait(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, rd_nowait(self->l, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(nw, read_queued)
{
	struct mailslot_info info;
	char buf[16];

	ASSERT_EQ(5, write(self->w, "hello", 5));
	EXPECT_EQ(5, rd_nowait(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(5, rd_nowait(self->l, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	/* too small a buffer: EMSGSIZE as without the flag, still queued */
	ASSERT_EQ(3, write(self->w, "abc", 3));
	EXPECT_EQ(-1, rd_nowait(self->srv, buf, 2));
	EXPECT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(0, mst_slot_info(self->srv, &info));
	EXPECT_EQ(1, info.msgs);
	EXPECT_EQ(3, info.next_size);
	/* drained again: EAGAIN */
	EXPECT_EQ(3, rd_nowait(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(-1, rd_nowait(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(nw, write_full_eagain)
{
	struct mailslot_info info;
	char buf[16];

	EXPECT_EQ(1, wr_nowait(self->w, "1", 1));
	EXPECT_EQ(1, wr_nowait(self->w, "2", 1));
	/* both queues full: EAGAIN, on a handle that would block */
	EXPECT_EQ(-1, wr_nowait(self->w, "3", 1));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, mst_slot_info(self->srv, &info));
	EXPECT_EQ(2, info.msgs);
	EXPECT_EQ(2, info.sent);
	/* room in the server's queue but not in the listener's: still full */
	EXPECT_EQ(1, read(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(-1, wr_nowait(self->w, "3", 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, read(self->l, buf, sizeof(buf)));
	EXPECT_EQ('1', buf[0]);
	EXPECT_EQ(1, wr_nowait(self->w, "3", 1));
	EXPECT_EQ(1, read(self->srv, buf, sizeof(buf)));
	EXPECT_EQ('2', buf[0]);
	EXPECT_EQ(1, read(self->srv, buf, sizeof(buf)));
	EXPECT_EQ('3', buf[0]);
}

TEST_F(nw, write_closed_epipe)
{
	close(self->srv);
	self->srv = -1;
	EXPECT_EQ(-1, wr_nowait(self->w, "x", 1));
	EXPECT_EQ(EPIPE, errno);
}

/* Byte i of message k. */
static unsigned char pat(unsigned int k, size_t i)
{
	return (unsigned char)(k * 31 + i * 7 + (i >> 12));
}

static int check_pat(const unsigned char *p, size_t len, unsigned int k)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pat(k, i))
			return 0;
	return 1;
}

/* Sizes around the page boundaries of a paged payload. */
static const size_t big_sizes[] = {
	4095, 4096, 4097, 8191, 8192, 8193, 65536, 65536 + 1, 300000,
};

#define NBIG (sizeof(big_sizes) / sizeof(big_sizes[0]))
#define BIG_MAX 300000

FIXTURE(big) {
	const char *name;
	int srv;
	int w;
	unsigned char *buf;
};

FIXTURE_SETUP(big)
{
	self->name = mst_name("big");
	self->srv = mst_slot_create_lim(self->name, 1 << 20, 64, 4 << 20,
				    MAILSLOT_OVERFLOW_FAIL, 0);
	ASSERT_LE(0, self->srv);
	self->w = mst_slot_open(self->name, O_WRONLY);
	ASSERT_LE(0, self->w);
	self->buf = malloc(2 * BIG_MAX + 4096);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(big)
{
	free(self->buf);
	close(self->w);
	close(self->srv);
}

static void fill(unsigned char *p, size_t len, unsigned int k)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pat(k, i);
}

TEST_F(big, read_whole)
{
	unsigned int k;

	for (k = 0; k < NBIG; k++) {
		fill(self->buf, big_sizes[k], k);
		ASSERT_EQ((ssize_t)big_sizes[k],
			  write(self->w, self->buf, big_sizes[k]));
	}
	for (k = 0; k < NBIG; k++) {
		memset(self->buf, 0, BIG_MAX + 1);
		ASSERT_EQ((ssize_t)big_sizes[k],
			  read(self->srv, self->buf, BIG_MAX + 1));
		EXPECT_TRUE(check_pat(self->buf, big_sizes[k], k));
		/* nothing written past the message */
		EXPECT_EQ(0, self->buf[big_sizes[k]]);
	}
}

TEST_F(big, readv_scattered)
{
	size_t len = 65536 + 100, cut[3] = { 1000, 4096 * 3 + 7 };
	struct iovec iov[3];
	unsigned char *out = self->buf + BIG_MAX + 4096;

	cut[2] = len - cut[0] - cut[1];
	fill(self->buf, len, 5);
	/* written from three pieces, read into three others */
	iov[0].iov_base = self->buf;
	iov[0].iov_len = 5000;
	iov[1].iov_base = self->buf + 5000;
	iov[1].iov_len = 20000;
	iov[2].iov_base = self->buf + 25000;
	iov[2].iov_len = len - 25000;
	ASSERT_EQ((ssize_t)len, writev(self->w, iov, 3));
	iov[0].iov_base = out;
	iov[0].iov_len = cut[0];
	iov[1].iov_base = out + cut[0];
	iov[1].iov_len = cut[1];
	iov[2].iov_base = out + cut[0] + cut[1];
	iov[2].iov_len = cut[2];
	ASSERT_EQ((ssize_t)len, readv(self->srv, iov, 3));
	EXPECT_TRUE(check_pat(out, len, 5));
}

TEST_F(big, batch)
{
	struct mailslot_recv_batch rb;
	struct mailslot_msg_info *mi;
	size_t off = 0, bsize = 2 * BIG_MAX;
	unsigned char *b = malloc(bsize);
	unsigned int k;
	int n;

	ASSERT_NE(NULL, b);
	for (k = 0; k < 4; k++) {
		fill(self->buf, big_sizes[k + 3], k);
		ASSERT_EQ((ssize_t)big_sizes[k + 3],
			  write(self->w, self->buf, big_sizes[k + 3]));
	}
	memset(&rb, 0, sizeof(rb));
	rb.buf = (uintptr_t)b;
	rb.size = bsize;
	rb.max_msgs = 16;
	n = ioctl(self->srv, MAILSLOT_IOC_RECV_BATCH, &rb);
	ASSERT_EQ(4, n);
	for (k = 0; k < 4; k++) {
		mi = (struct mailslot_msg_info *)(b + off);
		ASSERT_EQ(big_sizes[k + 3], mi->size);
		EXPECT_TRUE(check_pat((unsigned char *)(mi + 1), mi->size, k));
		off += MAILSLOT_RECORD_SIZE(mi->size);
	}
	EXPECT_EQ(off, rb.bytes);
	free(b);
}

TEST_F(big, fault_midway)
{
	size_t len = 3 * 4096 + 10;
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *m;

	/* two pages readable, the third not: a fault in the third page */
	m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	ASSERT_EQ(0, mprotect(m + 2 * pg, pg, PROT_NONE));
	fill(m, 2 * pg, 1);
	/* a write faulting midway queues nothing */
	EXPECT_EQ(-1, write(self->w, m, len));
	EXPECT_EQ(EFAULT, errno);
	fill(self->buf, len, 2);
	ASSERT_EQ((ssize_t)len, write(self->w, self->buf, len));
	/* a read faulting midway consumes nothing */
	EXPECT_EQ(-1, read(self->srv, m, len));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ((ssize_t)len, read(self->srv, self->buf + BIG_MAX, len));
	EXPECT_TRUE(check_pat(self->buf + BIG_MAX, len, 2));
	EXPECT_EQ(-1, read(self->srv, self->buf, len));
	EXPECT_EQ(EAGAIN, errno);
	munmap(m, 3 * pg);
}

TEST_F(big, nowait_write_read)
{
	size_t len = 65536 + 1;

	fill(self->buf, len, 9);
	ASSERT_EQ((ssize_t)len, wr_nowait(self->w, self->buf, len));
	memset(self->buf, 0, len);
	ASSERT_EQ((ssize_t)len, rd_nowait(self->srv, self->buf, len));
	EXPECT_TRUE(check_pat(self->buf, len, 9));
}

TEST_HARNESS_MAIN
