// SPDX-License-Identifier: GPL-2.0
/*
 * msbench contenders: channels over mailslot, mqueue, pipe and seqpacket;
 * the raw mailslot uapi; pidfd; the turns the contenders take.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/mailslot.h>

#include "peers.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#endif

#define BATCH_BUF (2u * 1024 * 1024)
#define QUEUE_MAX_BYTES (1024u * 1024)
#define POLL_MAX 64

static const struct {
	const char *name;
	int linux_peer;
} peers[P_NTYPES] = {
	[P_MAILSLOT] = { "mailslot", 0 },
	[P_MAILSLOT_BATCH] = { "mailslot-batch", 0 },
	[P_MQUEUE] = { "mqueue", 1 },
	[P_PIPE] = { "pipe", 1 },
	[P_SEQPACKET] = { "seqpacket", 1 },
	[P_MAILSLOT_URING] = { "mailslot-uring", 0 },
};

const char *peer_name(enum peer_type t)
{
	return peers[t].name;
}

int peer_is_linux(enum peer_type t)
{
	return peers[t].linux_peer;
}

int peer_wanted(const struct bench *b, enum peer_type t)
{
	if (!peers[t].linux_peer && !b->have_ms)
		return 0;
	return want(b, peers[t].name);
}

/* ------------------------------------------------------------------ */
/* the raw mailslot uapi, pidfd, poll */

void uniq_name(struct bench *b, char *buf, size_t sz, const char *what)
{
	snprintf(buf, sz, "msbench-%s-%d-%u", what, (int)getpid(),
		 b->name_seq++);
}

int ms_create(const struct bench *b, const char *name, uint32_t max_msg,
	      uint32_t max_msgs, uint32_t max_bytes, uint32_t overflow,
	      uint64_t timeout)
{
	struct mailslot_create c;

	memset(&c, 0, sizeof(c));
	c.name = (uintptr_t)name;
	c.read_timeout_ns = timeout;
	c.mode = 0600;
	c.max_msg_size = max_msg;
	c.max_msgs = max_msgs;
	c.max_bytes = max_bytes;
	c.overflow = overflow;
	return ioctl(b->ctl, MAILSLOT_IOC_CREATE, &c);
}

int ms_open(const char *name, int flags)
{
	char path[320];

	snprintf(path, sizeof(path), MAILSLOT_DEV_DIR "/%s", name);
	return open(path, flags | O_CLOEXEC);
}

int proc_open(const struct bench *b, pid_t pid)
{
	struct mailslot_proc_open o = { .pid = pid };

	return ioctl(b->ctl, MAILSLOT_IOC_PROC_OPEN, &o);
}

/* MAILSLOT_IOC_WAIT for any of count objects; index: which one woke it. */
int ms_wait(const struct bench *b, int *fds, unsigned int count,
	    uint64_t timeout_ns, unsigned int *index)
{
	struct mailslot_wait w = {
		.timeout_ns = timeout_ns,
		.fds = (uintptr_t)fds,
		.count = count,
	};
	int r = ioctl(b->ctl, MAILSLOT_IOC_WAIT, &w);

	if (index)
		*index = w.index;
	return r;
}

int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

/* poll() for POLLIN on n (<= POLL_MAX) fds; first: the first one ready. */
int poll_in(const int *fds, int n, int timeout_ms, int *first)
{
	struct pollfd p[POLL_MAX];
	int i, r;

	for (i = 0; i < n; i++) {
		p[i].fd = fds[i];
		p[i].events = POLLIN;
		p[i].revents = 0;
	}
	r = poll(p, n, timeout_ms);
	if (first) {
		*first = -1;
		for (i = 0; i < n && r > 0; i++)
			if (p[i].revents) {
				*first = i;
				break;
			}
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* io_uring, raw: one read or write submitted and waited for per call */

static void uring_setup(struct uring *u)
{
	struct io_uring_params p;
	size_t sqsz, cqsz;
	char *sq, *cq;

	memset(&p, 0, sizeof(p));
	u->fd = syscall(__NR_io_uring_setup, 4, &p);
	if (u->fd < 0)
		die("io_uring_setup");
	sqsz = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cqsz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		if (cqsz > sqsz)
			sqsz = cqsz;
		cqsz = sqsz;
	}
	sq = mmap(NULL, sqsz, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		die("io_uring mmap sq");
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cqsz, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			die("io_uring mmap cq");
	}
	u->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       u->fd, IORING_OFF_SQES);
	if (u->sqes == MAP_FAILED)
		die("io_uring mmap sqes");
	u->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	u->sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	u->sq_array = (unsigned int *)(sq + p.sq_off.array);
	u->cq_head = (unsigned int *)(cq + p.cq_off.head);
	u->cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	u->cq_mask = (unsigned int *)(cq + p.cq_off.ring_mask);
	u->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	u->pid = getpid();
}

/* One IORING_OP_READ or IORING_OP_WRITE on fd; returns its result. */
static long uring_rw(struct uring *u, int op, int fd, void *buf, size_t n)
{
	struct io_uring_sqe *sqe;
	unsigned int tail, idx, head;
	long res;
	int k;

	if (u->pid != getpid())
		uring_setup(u);
	tail = *u->sq_tail;
	idx = tail & *u->sq_mask;
	sqe = &u->sqes[idx];
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)buf;
	sqe->len = n;
	sqe->off = (uint64_t)-1;	/* a stream: no offset */
	u->sq_array[idx] = idx;
	__atomic_store_n(u->sq_tail, tail + 1, __ATOMIC_RELEASE);
	do
		k = syscall(__NR_io_uring_enter, u->fd, 1, 1,
			    IORING_ENTER_GETEVENTS, NULL, 0);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		die("io_uring_enter");
	head = *u->cq_head;
	while (head == __atomic_load_n(u->cq_tail, __ATOMIC_ACQUIRE))
		syscall(__NR_io_uring_enter, u->fd, 0, 1,
			IORING_ENTER_GETEVENTS, NULL, 0);
	res = u->cqes[head & *u->cq_mask].res;
	__atomic_store_n(u->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

/* ------------------------------------------------------------------ */
/* channels: one-way message paths, created before fork */

/* A slot of qmsgs messages and qbytes (>= msz) of payload. */
static int mailslot_open(struct bench *b, struct chan *c, size_t msz,
			 unsigned int qmsgs, size_t qbytes)
{
	size_t mmax = msz < 64 ? 64 : msz;
	char name[96];

	if (qbytes < mmax)
		qbytes = mmax;
	uniq_name(b, name, sizeof(name), "ch");
	c->rfd = ms_create(b, name, mmax, qmsgs, qbytes,
			   MAILSLOT_OVERFLOW_BLOCK, MAILSLOT_TIMEOUT_INFINITE);
	if (c->rfd < 0)
		return -1;
	c->wfd = ms_open(name, O_WRONLY);
	if (c->wfd < 0)
		return -1;
	if (c->t == P_MAILSLOT_BATCH) {
		c->bsize = BATCH_BUF;
		c->bbuf = malloc(c->bsize);
	}
	return 0;
}

static int mqueue_open(struct bench *b, struct chan *c, size_t msz,
		       unsigned int depth)
{
	struct mq_attr a = { 0 };
	unsigned int d = depth;
	char name[96];

	if ((size_t)d * msz > QUEUE_MAX_BYTES)
		d = QUEUE_MAX_BYTES / msz;
	if (d < 1)
		d = 1;
	a.mq_maxmsg = d;
	a.mq_msgsize = msz;
	snprintf(name, sizeof(name), "/msbench-%d-%u", (int)getpid(),
		 b->name_seq++);
	/* EMFILE: RLIMIT_MSGQUEUE could not be raised (not root) */
	while ((c->rfd = mq_open(name, O_RDONLY | O_CREAT | O_EXCL, 0600,
				 &a)) < 0 &&
	       errno == EMFILE && a.mq_maxmsg > 1) {
		if (!b->mq_shrunk++)
			note("# RLIMIT_MSGQUEUE too small: mqueue depth reduced\n");
		a.mq_maxmsg /= 2;
	}
	if (c->rfd < 0)
		return -1;
	c->wfd = mq_open(name, O_WRONLY);
	mq_unlink(name);
	return c->wfd < 0 ? -1 : 0;
}

/*
 * Every contender gets the same queue: @depth messages, at most 1 MiB
 * (at least one message): mailslot: max_msgs/max_bytes; mqueue:
 * mq_maxmsg; pipe: F_SETPIPE_SZ; seqpacket: net.unix.max_dgram_qlen, set
 * to 256 at start, and SO_SNDBUF.
 */
int chan_open(struct bench *b, struct chan *c, enum peer_type t, size_t msz,
	      unsigned int depth)
{
	size_t qbytes = (size_t)depth * msz;
	unsigned int qmsgs = depth;
	int sv[2], sz;

	if (qbytes > QUEUE_MAX_BYTES) {
		qmsgs = QUEUE_MAX_BYTES / msz;
		if (!qmsgs)
			qmsgs = 1;
		qbytes = (size_t)qmsgs * msz;
	}

	memset(c, 0, sizeof(*c));
	c->t = t;
	c->msz = msz;
	c->rfd = -1;
	c->wfd = -1;
	switch (t) {
	case P_MAILSLOT:
	case P_MAILSLOT_BATCH:
	case P_MAILSLOT_URING:
		return mailslot_open(b, c, msz, qmsgs, qbytes);
	case P_MQUEUE:
		return mqueue_open(b, c, msz, depth);
	case P_PIPE:
		if (pipe2(sv, O_CLOEXEC))
			return -1;
		c->rfd = sv[0];
		c->wfd = sv[1];
		fcntl(c->wfd, F_SETPIPE_SZ, qbytes < 4096 ? 4096 : (int)qbytes);
		return 0;
	case P_SEQPACKET:
		/* skb overhead counts against the buffer: ~1 KiB a message */
		sz = (int)(qmsgs * (msz + 1024));
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
			return -1;
		c->wfd = sv[0];
		c->rfd = sv[1];
		if (setsockopt(c->wfd, SOL_SOCKET, SO_SNDBUFFORCE, &sz,
			       sizeof(sz)))
			setsockopt(c->wfd, SOL_SOCKET, SO_SNDBUF, &sz,
				   sizeof(sz));
		if (setsockopt(c->rfd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
			       sizeof(sz)))
			setsockopt(c->rfd, SOL_SOCKET, SO_RCVBUF, &sz,
				   sizeof(sz));
		return 0;
	default:
		return -1;
	}
}

void chan_close(struct chan *c)
{
	if (c->rfd >= 0)
		close(c->rfd);
	if (c->wfd >= 0)
		close(c->wfd);
	free(c->bbuf);
	if (c->ring.pid == getpid()) {
		close(c->ring.fd);
		c->ring.pid = 0;
	}
	c->rfd = -1;
	c->wfd = -1;
	c->bbuf = NULL;
}

/*
 * Send one message: 0, or the errno of a send that failed (EMSGSIZE: the
 * contender cannot carry a message that big); errno is set too.
 */
int chan_try_send(struct chan *c, const void *buf, size_t n)
{
	ssize_t r;

	switch (c->t) {
	case P_MQUEUE:
		while (mq_send(c->wfd, buf, n, 0))
			if (errno != EINTR)
				return errno;
		return 0;
	case P_PIPE:
		write_full(c->wfd, buf, n);
		return 0;
	case P_MAILSLOT_URING:
		do
			r = uring_rw(&c->ring, IORING_OP_WRITE, c->wfd,
				     (void *)buf, n);
		while (r == -EINTR);
		if (r < 0)
			return errno = -r;
		break;
	default:
		do
			r = write(c->wfd, buf, n);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			return errno;
	}
	if (r != (ssize_t)n)
		return errno = EIO;
	return 0;
}

void chan_send(struct chan *c, const void *buf, size_t n)
{
	if (chan_try_send(c, buf, n))
		die("send %s (%zu bytes)", peer_name(c->t), n);
}

/* The next record of the batch, fetching a batch when none is left. */
static size_t batch_recv(struct chan *c)
{
	struct mailslot_msg_info *mi;

	if (!c->bleft) {
		struct mailslot_recv_batch rb = {
			.buf = (uintptr_t)c->bbuf,
			.size = c->bsize,
			.max_msgs = MAILSLOT_MAX_MSGS_LIMIT,
		};
		int k;

		do
			k = ioctl(c->rfd, MAILSLOT_IOC_RECV_BATCH, &rb);
		while (k < 0 && errno == EINTR);
		if (k <= 0)
			die("RECV_BATCH");
		c->bleft = k;
		c->ncalls++;
		c->nmsgs += k;
		c->boff = 0;
	}
	/* a real consumer would use the payload in place */
	mi = (void *)(c->bbuf + c->boff);
	c->boff += MAILSLOT_RECORD_SIZE(mi->size);
	c->bleft--;
	return mi->size;
}

/* Receive one message into buf (size >= c->msz); returns its size. */
size_t chan_recv(struct chan *c, void *buf)
{
	ssize_t r;

	switch (c->t) {
	case P_MQUEUE:
		do
			r = mq_receive(c->rfd, buf, c->msz, NULL);
		while (r < 0 && errno == EINTR);
		break;
	case P_PIPE:
		read_full(c->rfd, buf, c->msz);
		return c->msz;
	case P_MAILSLOT_BATCH:
		return batch_recv(c);
	case P_MAILSLOT_URING:
		do
			r = uring_rw(&c->ring, IORING_OP_READ, c->rfd, buf,
				     c->msz);
		while (r == -EINTR);
		if (r < 0) {
			errno = -r;
			r = -1;
		}
		break;
	default:
		do
			r = read(c->rfd, buf, c->msz);
		while (r < 0 && errno == EINTR);
	}
	if (r < 0)
		die("recv %s", peer_name(c->t));
	return r;
}

/* Drain: receive count messages (the batch contender takes them in bulk). */
void chan_recv_n(struct chan *c, void *buf, long count)
{
	while (count-- > 0)
		chan_recv(c, buf);
}

/* ------------------------------------------------------------------ */
/* turns */

static char token_wait(int fd)
{
	char x;

	read_full(fd, &x, 1);
	return x;
}

void turn_start(struct turn *t, void (*block)(struct turn *t, void *arg),
		void *arg)
{
	if (pipe(t->go))
		die("pipe");
	t->pid = fork_or_die();
	if (!t->pid) {
		while (token_wait(t->go[0]) == 'g')
			block(t, arg);
		_exit(0);
	}
}

void turn_go(struct turn *t)
{
	write_full(t->go[1], "g", 1);
}

void turn_stop(struct turn *t)
{
	write_full(t->go[1], "q", 1);
	reap(t->pid);
	close(t->go[0]);
	close(t->go[1]);
}
