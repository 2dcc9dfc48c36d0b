// SPDX-License-Identifier: GPL-2.0
/*
 * Messages: one write is one message of 0..max bytes,
 * one read returns one whole message, EMSGSIZE keeps a message queued,
 * FIONREAD, writev/readv, ordering, every payload layout of the module
 * (inline, chunks, pages) byte for byte.
 */
#define _GNU_SOURCE
#include <sys/uio.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

FIXTURE(slot) {
	const char *name;
	int srv;
	int w;
};

FIXTURE_SETUP(slot)
{
	self->name = mst_name("msg");
	self->srv = mst_slot_create_lim(self->name, 1000, 0, 0, 0, 0);
	ASSERT_LE(0, self->srv);
	self->w = mst_slot_open(self->name, O_WRONLY);
	ASSERT_LE(0, self->w);
}

FIXTURE_TEARDOWN(slot)
{
	close(self->w);
	close(self->srv);
}

TEST_F(slot, one_write_one_read)
{
	char buf[2000];
	int n;

	ASSERT_EQ(5, write(self->w, "hello", 5));
	ASSERT_EQ(5, write(self->w, "world", 5));
	ASSERT_EQ(1, write(self->w, "!", 1));
	EXPECT_EQ(5, read(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(5, read(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "world", 5));
	ASSERT_EQ(0, ioctl(self->srv, FIONREAD, &n));
	EXPECT_EQ(1, n);
	EXPECT_EQ(1, read(self->srv, buf, sizeof(buf)));
	/* empty with timeout 0 */
	EXPECT_EQ(-1, read(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, ioctl(self->srv, FIONREAD, &n));
	EXPECT_EQ(0, n);
}

TEST_F(slot, sizes)
{
	static char big[1001], buf[2000];
	struct mailslot_info info;

	memset(big, 'b', sizeof(big));
	/* zero-byte message */
	ASSERT_EQ(0, write(self->w, big, 0));
	ASSERT_EQ(0, mst_slot_info(self->srv, &info));
	EXPECT_EQ(1, info.msgs);
	EXPECT_EQ(0, info.next_size);
	EXPECT_EQ(0, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, mst_slot_info(self->srv, &info));
	EXPECT_EQ(0, info.msgs);

	/* exactly the largest */
	ASSERT_EQ(1000, write(self->w, big, 1000));
	EXPECT_EQ(1000, read(self->srv, buf, sizeof(buf)));
	/* one more: EMSGSIZE and nothing queued */
	EXPECT_EQ(-1, write(self->w, big, 1001));
	EXPECT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(0, mst_slot_info(self->srv, &info));
	EXPECT_EQ(0, info.msgs);
	/* sent counts the zero-byte message too */
	EXPECT_EQ(2, info.sent);
}

TEST_F(slot, small_buffer_keeps_message)
{
	char buf[100];
	int n;

	ASSERT_EQ(10, write(self->w, "0123456789", 10));
	EXPECT_EQ(-1, read(self->srv, buf, 9));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-1, read(self->srv, buf, 0));
	EXPECT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(0, ioctl(self->srv, FIONREAD, &n));
	EXPECT_EQ(10, n);
	EXPECT_EQ(10, read(self->srv, buf, 10));
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
}

TEST_F(slot, writev_readv)
{
	struct iovec iov[3];
	char a[4], b[4], c[20];

	iov[0].iov_base = "abc";
	iov[0].iov_len = 3;
	iov[1].iov_base = "defg";
	iov[1].iov_len = 4;
	iov[2].iov_base = "hi";
	iov[2].iov_len = 2;
	ASSERT_EQ(9, writev(self->w, iov, 3));
	/* one message, scattered over the read buffers */
	iov[0].iov_base = a;
	iov[0].iov_len = 4;
	iov[1].iov_base = b;
	iov[1].iov_len = 4;
	iov[2].iov_base = c;
	iov[2].iov_len = sizeof(c);
	ASSERT_EQ(9, readv(self->srv, iov, 3));
	EXPECT_EQ(0, memcmp(a, "abcd", 4));
	EXPECT_EQ(0, memcmp(b, "efgh", 4));
	EXPECT_EQ('i', c[0]);
	EXPECT_EQ(-1, read(self->srv, c, sizeof(c)));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(slot, faults)
{
	void *volatile bad = (void *)16;
	char buf[16];

	EXPECT_EQ(-1, write(self->w, bad, 5));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(3, write(self->w, "abc", 3));
	/* a failed copy consumes nothing */
	EXPECT_EQ(-1, read(self->srv, bad, 5));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(3, read(self->srv, buf, sizeof(buf)));
}

TEST_F(slot, permissions_of_handles)
{
	char buf[8];

	/* a writer cannot read, the server cannot write */
	EXPECT_EQ(-1, read(self->w, buf, sizeof(buf)));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, write(self->srv, buf, 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, pread(self->srv, buf, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
}

/* All readers see one order; each writer's messages stay in order. */
TEST_F(slot, order_two_writers)
{
	int r2, w2, i, last[2] = { -1, -1 };
	char buf[32], buf2[32];
	pid_t pid;

	r2 = mst_slot_open(self->name, O_RDONLY);
	ASSERT_LE(0, r2);
	w2 = mst_slot_open(self->name, O_WRONLY);
	ASSERT_LE(0, w2);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < 100; i++) {
			snprintf(buf, sizeof(buf), "1 %d", i);
			if (write(w2, buf, strlen(buf)) < 0)
				_exit(1);
		}
		_exit(0);
	}
	for (i = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "0 %d", i);
		ASSERT_LT(0, write(self->w, buf, strlen(buf)));
	}
	ASSERT_EQ(pid, waitpid(pid, &i, 0));
	ASSERT_EQ(0, i);
	for (i = 0; i < 200; i++) {
		int n1, n2, who, k;

		n1 = read(self->srv, buf, sizeof(buf) - 1);
		n2 = read(r2, buf2, sizeof(buf2) - 1);
		ASSERT_LT(0, n1);
		ASSERT_EQ(n1, n2);
		buf[n1] = 0;
		buf2[n2] = 0;
		ASSERT_STREQ(buf, buf2);
		ASSERT_EQ(2, sscanf(buf, "%d %d", &who, &k));
		ASSERT_EQ(last[who] + 1, k);
		last[who] = k;
	}
	close(r2);
	close(w2);
}

/* The shell way: echo hello > /dev/mailslot/NAME (O_CREAT|O_TRUNC). */
TEST_F(slot, shell_echo)
{
	char cmd[400], path[300], buf[16];
	int fd;

	mst_slot_path(path, sizeof(path), self->name);
	snprintf(cmd, sizeof(cmd), "echo hello > %s", path);
	ASSERT_EQ(0, system(cmd));
	EXPECT_EQ(6, read(self->srv, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello\n", 6));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	ASSERT_LE(0, fd);
	EXPECT_EQ(2, write(fd, "hi", 2));
	close(fd);
	EXPECT_EQ(2, read(self->srv, buf, sizeof(buf)));
}

/*
 * The module keeps a payload inline when it fits a page with the header
 * (4 032 bytes), else in chunks of up to 32 KiB that are the largest
 * powers of two fitting what is left (kmod/msg.c).  Every size at and
 * around those edges comes back byte for byte and in order, written and
 * read through iovecs that straddle the chunk boundaries.
 */
TEST(payload_layouts)
{
	static const size_t sizes[] = {
		4031, 4032, 4033, 4095, 4096, 4097, 8191, 8192, 8193,
		12411, 16384, 28672, 32767, 32768, 32769, 40000, 61440,
		65535, 65536, 65537, 98304, 131072 + 7, 1 << 20,
	};
	const size_t n = sizeof(sizes) / sizeof(sizes[0]);
	const size_t max = 1 << 20;
	const char *name = mst_name("layout");
	unsigned char *in, *out;
	struct iovec iov[3];
	size_t i, j, cut;
	int srv, w;

	in = malloc(max);
	out = malloc(max + 1);
	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	/* ~8 MiB queued at most: every message before the first read */
	srv = mst_slot_create_lim(name, max, 64, 8 << 20, 0, 0);
	ASSERT_LE(0, srv);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	for (i = 0; i < n; i++) {
		for (j = 0; j < sizes[i]; j++)
			in[j] = (unsigned char)(j * 31 + j / 4096 + i);
		/* three pieces, the cut inside the first chunk boundary */
		cut = sizes[i] / 3;
		iov[0].iov_base = in;
		iov[0].iov_len = cut;
		iov[1].iov_base = in + cut;
		iov[1].iov_len = 1;
		iov[2].iov_base = in + cut + 1;
		iov[2].iov_len = sizes[i] - cut - 1;
		ASSERT_EQ((ssize_t)sizes[i], writev(w, iov, 3)) TH_LOG("size %zu", sizes[i]);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < sizes[i]; j++)
			in[j] = (unsigned char)(j * 31 + j / 4096 + i);
		memset(out, 0xee, max + 1);
		cut = 32768 + 5 < sizes[i] ? 32768 + 5 : sizes[i] / 2;
		iov[0].iov_base = out;
		iov[0].iov_len = cut;
		iov[1].iov_base = out + cut;
		iov[1].iov_len = max + 1 - cut;
		ASSERT_EQ((ssize_t)sizes[i], readv(srv, iov, 2)) TH_LOG("size %zu", sizes[i]);
		EXPECT_EQ(0, memcmp(in, out, sizes[i])) TH_LOG("size %zu", sizes[i]);
		EXPECT_EQ(0xee, out[sizes[i]]);
	}
	EXPECT_EQ(-1, read(srv, out, max));
	EXPECT_EQ(EAGAIN, errno);
	close(w);
	close(srv);
	free(in);
	free(out);
}

TEST_HARNESS_MAIN
