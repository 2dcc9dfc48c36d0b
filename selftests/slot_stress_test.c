// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency: writer and reader threads and processes
 * pass thousands of messages through small queues; every reader checks
 * contents, per-writer order and counts.  The server closes while writers
 * are blocked and readers are reading.  The kernel log must stay clean
 * (lockdep, KASAN and friends in debug kernels).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

#define NWT	3	/* writer threads */
#define NWP	2	/* writer processes */
#define NW	(NWT + NWP)
#define PER_W_MAX 1000	/* messages per writer on a fast kernel */
#define PER_W_MIN 200	/* ... on a slow one (KASAN, lockdep, TCG) */

static unsigned int per_w = PER_W_MAX;
#define MAXSZ	600

/* Slow kernels (TCG, KASAN, lockdep) need more than the default 30 s. */
FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

struct hdr {
	uint32_t writer;
	uint32_t n;
	uint32_t len;
	uint32_t sum;
};

static uint32_t fill(char *buf, uint32_t writer, uint32_t n)
{
	struct hdr *h = (void *)buf;
	uint32_t len = sizeof(*h) + (writer * 131 + n * 17) % (MAXSZ - sizeof(*h));
	uint32_t i, sum = 0;

	h->writer = writer;
	h->n = n;
	h->len = len;
	for (i = sizeof(*h); i < len; i++) {
		buf[i] = (char)(writer + n * 7 + i);
		sum += (unsigned char)buf[i];
	}
	h->sum = sum;
	return len;
}

/* 0 if @buf is a good message and the next one from its writer. */
static int check(const char *buf, int len, uint32_t *next)
{
	const struct hdr *h = (const void *)buf;
	uint32_t i, sum = 0;

	if (len < (int)sizeof(*h) || h->len != (uint32_t)len || h->writer >= NW)
		return 1;
	for (i = sizeof(*h); i < (uint32_t)len; i++) {
		if (buf[i] != (char)(h->writer + h->n * 7 + i))
			return 2;
		sum += (unsigned char)buf[i];
	}
	if (sum != h->sum)
		return 3;
	if (h->n != next[h->writer])
		return 4;
	next[h->writer]++;
	return 0;
}

struct rdr {
	int fd;
	int batch;
	int err;
	long got;
};

static void *reader(void *arg)
{
	struct rdr *r = arg;
	static __thread char buf[65536];
	uint32_t next[NW] = { 0 };

	while (r->got < (long)NW * per_w) {
		if (r->batch) {
			struct mailslot_recv_batch b = {
				.buf = (uintptr_t)buf, .size = sizeof(buf),
				.max_msgs = 37,
			};
			uint64_t off = 0;
			int n, k;

			n = ioctl(r->fd, MAILSLOT_IOC_RECV_BATCH, &b);
			if (n <= 0) {
				r->err = 100 + errno;
				return NULL;
			}
			for (k = 0; k < n; k++) {
				struct mailslot_msg_info *mi = (void *)(buf + off);

				r->err = check(buf + off + sizeof(*mi), mi->size, next);
				if (r->err)
					return NULL;
				off += MAILSLOT_RECORD_SIZE(mi->size);
				r->got++;
			}
			if (off != b.bytes) {
				r->err = 5;
				return NULL;
			}
		} else {
			int n = read(r->fd, buf, sizeof(buf));

			if (n <= 0) {
				r->err = 200 + errno;
				return NULL;
			}
			r->err = check(buf, n, next);
			if (r->err)
				return NULL;
			r->got++;
		}
	}
	return NULL;
}

struct wrt {
	int fd;
	uint32_t id;
	int err;
};

static void *writer(void *arg)
{
	struct wrt *w = arg;
	char buf[MAXSZ];
	uint32_t n;

	for (n = 0; n < per_w; n++) {
		int len = fill(buf, w->id, n);

		if (write(w->fd, buf, len) != len) {
			w->err = errno;
			return NULL;
		}
	}
	return NULL;
}

/*
 * Pick the number of messages per writer so that the test takes about 30 s
 * at most: time 50 messages through a slot with four readers.
 */
static void calibrate(void)
{
	const char *name = mst_name("calib");
	int srv, w, l[3], i, k;
	char buf[MAXSZ];
	uint64_t t0, per_msg, n;

	srv = mst_slot_create_lim(name, MAXSZ, 0, 0, MAILSLOT_OVERFLOW_BLOCK, 0);
	w = mst_slot_open(name, O_WRONLY);
	for (k = 0; k < 3; k++)
		l[k] = mst_slot_open(name, O_RDONLY);
	t0 = mst_now_ns();
	for (i = 0; i < 50; i++) {
		if (write(w, buf, fill(buf, 0, i)) < 0)
			break;
		for (k = 0; k < 3; k++)
			(void)!read(l[k], buf, sizeof(buf));
		(void)!read(srv, buf, sizeof(buf));
	}
	/* threads and blocking cost about four times the straight loop */
	per_msg = (mst_now_ns() - t0) / 50 * 4;
	n = 30000000000ull / (per_msg ? per_msg : 1) / NW;
	per_w = n > PER_W_MAX ? PER_W_MAX : n < PER_W_MIN ? PER_W_MIN : n;
	for (k = 0; k < 3; k++)
		close(l[k]);
	close(w);
	close(srv);
}

TEST_F_TIMEOUT(stress, many_writers_many_readers, 100)
{
	const char *name = mst_name("stress");
	struct rdr rd[4] = { 0 };
	struct wrt wr[NWT] = { 0 };
	pthread_t rt[4], wt[NWT];
	pid_t wp[NWP], rp;
	struct mailslot_info info;
	int srv, i, status;

	calibrate();
	TH_LOG("%u writers x %u messages", NW, per_w);
	srv = mst_slot_create_lim(name, MAXSZ, 16, 4096, MAILSLOT_OVERFLOW_BLOCK,
			      MAILSLOT_TIMEOUT_INFINITE);
	ASSERT_LE(0, srv);
	/* readers: the server, two listener threads (one batched), one process */
	rd[0].fd = srv;
	for (i = 1; i < 3; i++) {
		rd[i].fd = mst_slot_open(name, O_RDONLY);
		ASSERT_LE(0, rd[i].fd);
	}
	rd[2].batch = 1;
	rd[3].fd = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, rd[3].fd);
	rp = fork();
	ASSERT_LE(0, rp);
	if (!rp) {
		reader(&rd[3]);
		_exit(rd[3].err ? rd[3].err : rd[3].got == NW * per_w ? 0 : 250);
	}
	close(rd[3].fd);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&rt[i], NULL, reader, &rd[i]));

	for (i = 0; i < NWP; i++) {
		wp[i] = fork();
		ASSERT_LE(0, wp[i]);
		if (!wp[i]) {
			struct wrt w = { mst_slot_open(name, O_WRONLY), NWT + i, 0 };

			if (w.fd < 0)
				_exit(1);
			writer(&w);
			_exit(w.err ? 2 : 0);
		}
	}
	for (i = 0; i < NWT; i++) {
		wr[i].fd = mst_slot_open(name, O_WRONLY);
		ASSERT_LE(0, wr[i].fd);
		wr[i].id = i;
		ASSERT_EQ(0, pthread_create(&wt[i], NULL, writer, &wr[i]));
	}

	for (i = 0; i < NWT; i++) {
		pthread_join(wt[i], NULL);
		EXPECT_EQ(0, wr[i].err);
		close(wr[i].fd);
	}
	for (i = 0; i < NWP; i++) {
		ASSERT_EQ(wp[i], waitpid(wp[i], &status, 0));
		EXPECT_EQ(0, status);
	}
	for (i = 0; i < 3; i++) {
		pthread_join(rt[i], NULL);
		EXPECT_EQ(0, rd[i].err) TH_LOG("reader %d", i);
		EXPECT_EQ(NW * per_w, rd[i].got);
	}
	ASSERT_EQ(rp, waitpid(rp, &status, 0));
	EXPECT_EQ(0, status);
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(NW * per_w, info.sent);
	EXPECT_EQ(0, info.msgs);
	EXPECT_EQ(0, info.drops);
	close(rd[1].fd);
	close(rd[2].fd);
	close(srv);
}

/* Drop-oldest under load: for every reader, received + dropped == sent. */
struct drd {
	int fd;
	long got;
	int err;
	int *stop;	/* __atomic */
};

static void *drop_reader(void *arg)
{
	struct drd *r = arg;
	char buf[MAXSZ];
	uint64_t last = 0;

	for (;;) {
		struct mailslot_recv rv = { .buf = (uintptr_t)buf, .size = sizeof(buf) };
		int stopped = __atomic_load_n(r->stop, __ATOMIC_SEQ_CST);
		int n = ioctl(r->fd, MAILSLOT_IOC_RECV, &rv);

		if (n < 0) {
			if (errno == EAGAIN && !stopped)
				continue;
			if (errno == EAGAIN)
				return NULL;
			r->err = errno;
			return NULL;
		}
		if (rv.info.seq <= last) {
			r->err = 1000;
			return NULL;
		}
		last = rv.info.seq;
		r->got++;
	}
}

TEST_F_TIMEOUT(stress, drop_accounting, 100)
{
	const char *name = mst_name("stress");
	struct drd rd[3] = { 0 };
	struct wrt wr[NWT] = { 0 };
	pthread_t rt[3], wt[NWT];
	int stop = 0;
	int srv, i;

	calibrate();
	srv = mst_slot_create_lim(name, MAXSZ, 8, 0, MAILSLOT_OVERFLOW_DROP, 0);
	ASSERT_LE(0, srv);
	rd[0].fd = srv;
	for (i = 1; i < 3; i++) {
		rd[i].fd = mst_slot_open(name, O_RDONLY);
		ASSERT_LE(0, rd[i].fd);
	}
	for (i = 0; i < 3; i++) {
		rd[i].stop = &stop;
		ASSERT_EQ(0, pthread_create(&rt[i], NULL, drop_reader, &rd[i]));
	}
	for (i = 0; i < NWT; i++) {
		wr[i].fd = mst_slot_open(name, O_WRONLY);
		ASSERT_LE(0, wr[i].fd);
		wr[i].id = i;
		ASSERT_EQ(0, pthread_create(&wt[i], NULL, writer, &wr[i]));
	}
	for (i = 0; i < NWT; i++) {
		pthread_join(wt[i], NULL);
		EXPECT_EQ(0, wr[i].err);
		close(wr[i].fd);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < 3; i++) {
		struct mailslot_info info;

		pthread_join(rt[i], NULL);
		EXPECT_EQ(0, rd[i].err);
		ASSERT_EQ(0, mst_slot_info(rd[i].fd, &info));
		EXPECT_EQ(0, info.msgs);
		EXPECT_EQ(NWT * per_w, info.sent);
		EXPECT_EQ(NWT * per_w, rd[i].got + info.drops)
			TH_LOG("reader %d got %ld drops %llu", i, rd[i].got,
			       (unsigned long long)info.drops);
	}
	close(rd[1].fd);
	close(rd[2].fd);
	close(srv);
}

struct closer_rd {
	int fd;
	int err;
	long got;
};

static void *read_until_eof(void *arg)
{
	struct closer_rd *r = arg;
	char buf[MAXSZ];

	for (;;) {
		int n = read(r->fd, buf, sizeof(buf));

		if (n == 0)
			return NULL;
		if (n < 0) {
			r->err = errno;
			return NULL;
		}
		r->got++;
	}
}

struct closer_wr {
	int fd;
	int err;
	long sent;
};

static void *write_until_epipe(void *arg)
{
	struct closer_wr *w = arg;
	char buf[64] = "m";

	for (;;) {
		if (write(w->fd, buf, sizeof(buf)) != sizeof(buf)) {
			w->err = errno;
			return NULL;
		}
		w->sent++;
	}
}

/* Close the server while writers are blocked and readers are reading. */
TEST_F_TIMEOUT(stress, close_under_load, 100)
{
	int round;

	for (round = 0; round < 20; round++) {
		const char *name = mst_name("close");
		struct closer_rd rd[3] = { 0 };
		struct closer_wr wr[4] = { 0 };
		pthread_t rt[3], wt[4];
		long sent = 0;
		int srv, i;

		srv = mst_slot_create_lim(name, 64, 2, 0, MAILSLOT_OVERFLOW_BLOCK,
				      MAILSLOT_TIMEOUT_INFINITE);
		ASSERT_LE(0, srv);
		for (i = 0; i < 3; i++) {
			rd[i].fd = mst_slot_open(name, O_RDONLY);
			ASSERT_LE(0, rd[i].fd);
			ASSERT_EQ(0, pthread_create(&rt[i], NULL, read_until_eof,
						    &rd[i]));
		}
		for (i = 0; i < 4; i++) {
			wr[i].fd = mst_slot_open(name, O_WRONLY);
			ASSERT_LE(0, wr[i].fd);
			ASSERT_EQ(0, pthread_create(&wt[i], NULL,
						    write_until_epipe, &wr[i]));
		}
		/* the server never reads: writers block on its full queue */
		usleep(1000 * (round % 5) * 10);
		close(srv);
		for (i = 0; i < 4; i++) {
			pthread_join(wt[i], NULL);
			EXPECT_EQ(EPIPE, wr[i].err);
			sent += wr[i].sent;
			close(wr[i].fd);
		}
		for (i = 0; i < 3; i++) {
			pthread_join(rt[i], NULL);
			EXPECT_EQ(0, rd[i].err);
			/* every listener got every message sent */
			EXPECT_EQ(sent, rd[i].got);
			close(rd[i].fd);
		}
		/* the server queue holds 2 before writers block */
		EXPECT_GE(2, sent);
	}
}

/* Readers and writers opening and closing while messages flow. */
static void *churn(void *arg)
{
	const char *name = arg;
	char buf[MAXSZ];
	int i;

	for (i = 0; i < 300; i++) {
		int fd = mst_slot_open(name, (i & 1) ? O_RDWR : O_RDONLY);

		if (fd < 0)
			return (void *)1;
		if ((i & 1) && write(fd, "churn", 5) != 5)
			return (void *)2;
		if (i % 3 == 0)
			(void)!read(fd, buf, sizeof(buf));
		close(fd);
	}
	return NULL;
}

TEST_F_TIMEOUT(stress, open_close_churn, 100)
{
	const char *name = mst_name("churn");
	pthread_t t[4];
	void *ret;
	char buf[MAXSZ];
	int srv, i;

	srv = mst_slot_create_lim(name, MAXSZ, 1000, 0, MAILSLOT_OVERFLOW_DROP, 0);
	ASSERT_LE(0, srv);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, churn, (void *)name));
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		EXPECT_EQ(NULL, ret);
	}
	i = 0;
	while (read(srv, buf, sizeof(buf)) == 5)
		i++;
	EXPECT_EQ(600, i);
	close(srv);
}

TEST_HARNESS_MAIN
