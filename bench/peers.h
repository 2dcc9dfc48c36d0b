/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msbench contenders: mailslot through its raw uapi and the Linux peers
 * (POSIX mqueue, pipe, AF_UNIX seqpacket, pidfd) behind one interface:
 * a one-way channel opened before fork, send, receive, close.
 */
#ifndef MSBENCH_PEERS_H
#define MSBENCH_PEERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/io_uring.h>

#include "bench.h"

enum peer_type {
	P_MAILSLOT,
	P_MAILSLOT_BATCH,	/* mailslot, received with RECV_BATCH */
	P_MQUEUE,
	P_PIPE,
	P_SEQPACKET,
	P_MAILSLOT_URING,	/* mailslot, read and written through io_uring */
	P_NTYPES
};

/* The contender's name in the records and for -c. */
const char *peer_name(enum peer_type t);
/* A Linux peer: the ratios are to the best of them. */
int peer_is_linux(enum peer_type t);
/* Measurable in this run: the module offers it and -c selects it. */
int peer_wanted(const struct bench *b, enum peer_type t);

/*
 * One io_uring of one process (raw io_uring_setup/io_uring_enter, no
 * liburing): set up on first use by the process, since a ring inherited
 * across fork would be shared with the parent.
 */
struct uring {
	pid_t pid;		/* the process that set it up; 0: none */
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

struct chan {
	enum peer_type t;
	int rfd, wfd;
	size_t msz;
	/* batched receive state (P_MAILSLOT_BATCH) */
	char *bbuf;
	size_t bsize, boff;
	unsigned int bleft;
	long ncalls, nmsgs;	/* RECV_BATCH calls and messages they took */
	struct uring ring;	/* P_MAILSLOT_URING */
};

int chan_open(struct bench *b, struct chan *c, enum peer_type t, size_t msz,
	      unsigned int depth);
void chan_close(struct chan *c);
int chan_try_send(struct chan *c, const void *buf, size_t n);
void chan_send(struct chan *c, const void *buf, size_t n);
size_t chan_recv(struct chan *c, void *buf);
void chan_recv_n(struct chan *c, void *buf, long count);

/* The raw mailslot uapi. */
void uniq_name(struct bench *b, char *buf, size_t sz, const char *what);
int ms_create(const struct bench *b, const char *name, uint32_t max_msg,
	      uint32_t max_msgs, uint32_t max_bytes, uint32_t overflow,
	      uint64_t timeout);
int ms_open(const char *name, int flags);
int proc_open(const struct bench *b, pid_t pid);
int ms_wait(const struct bench *b, int *fds, unsigned int count,
	    uint64_t timeout_ns, unsigned int *index);
int pidfd_open(pid_t pid);
int poll_in(const int *fds, int n, int timeout_ms, int *first);

/*
 * Turns: one peer process per contender stays alive while the contenders
 * take turns in blocks; a one-byte token on a pipe starts each block ('g')
 * or ends the peer ('q'); the peer sleeps in read() on it in between.
 */
struct turn {
	int on;
	struct chan a, b;	/* a: to the peer; b (ping-pong): back */
	int go[2];
	pid_t pid;
};

void turn_start(struct turn *t, void (*block)(struct turn *t, void *arg),
		void *arg);
void turn_go(struct turn *t);
void turn_stop(struct turn *t);

#endif /* MSBENCH_PEERS_H */
