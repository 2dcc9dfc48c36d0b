// SPDX-License-Identifier: GPL-2.0
/*
 * The relay (issue 16): how many datagrams one mailslotd delivers into one
 * exported local slot, and what its hop adds to a message's latency.
 *
 * Every repetition starts the guest's mailslotd ($MAILSLOTD, else
 * /opt/mailslot/bin/mailslotd, else ../relay/mailslotd) as root on a free
 * UDP port of 127.0.0.1, where it drops to nobody as in service.  The
 * datagrams are valid mailslot writes of 64 B, built by the relay's own
 * encoder (relay/nbdgm.c, linked in).  Without the relay binary, without
 * root or without the module's relay support (MAILSLOT_CREATE_REMOTE,
 * MAILSLOT_IOC_RELAY_OPEN) the section says NOT MEASURED and why.
 *
 * relay-rate: a blaster process sends RL_COUNT datagrams (scaled by -s)
 * as fast as sendto() goes, for RL_BLAST_NS at most, to the relay, whose
 * slot this process drains; the Linux peer "udp" is the same blast to a
 * plain UDP socket this process reads.  The blaster runs on vCPU 1 (on a
 * one-vCPU guest it shares vCPU 0): on vCPU 0 with the relay and the
 * reader, it would get a third of that vCPU and the figure would be the
 * scheduler's share.  The loopback's receive side (the UDP stack, up to
 * the socket's queue) runs in the blaster's context.  msgs/s is what
 * arrived, divided by the time from the first send to the last arrival;
 * offered msgs/s the blaster's own rate.  A blast ends once the blaster
 * has stopped and the receiving socket's queue is empty (/proc/net/udp);
 * the relay's counters (its stats socket, as mailslotd --stats) are then
 * final, and so is what the slot holds.  Datagrams lost in the socket
 * (queue full: "socket drops", from /proc/net/udp) never reach the relay;
 * those it refuses (the slot's 256 messages full) it counts as refused.
 * Both are counted, never waited for: sent = received + socket drops and
 * received = delivered + refused + malformed, and what the slot held
 * equals delivered (said when not).
 *
 * relay-1way: the one-way latency of one 64 B message from just before
 * the send to just after the read returns, in a reader process of its own:
 * "mailslot" a local write() into a slot, "mailslotd" a datagram to the
 * relay, which queues it in its slot, "udp" (the peer) sendto() to a UDP
 * socket that the reader recvfrom()s.  The reader sends back its clock
 * on a pipe, which starts the next message; everything on vCPU 0.  The
 * contenders take turns in RL_BLOCKS blocks, the starting one rotating.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mailslot.h>

#include "bench.h"
#include "peers.h"
#include "../relay/nbdgm.h"

#define RL_MSG		64		/* payload of every message */
#define RL_COUNT	20000		/* datagrams per blast, before -s */
#define RL_BLAST_NS	3000000000ull	/* a blast sends for 3 s at most */
#define RL_DRAIN_NS	15000000000ull	/* and is over 15 s after its start */
#define RL_SAMPLES	2000		/* one-way samples per contender, before -s */
#define RL_BLOCKS	20
#define RL_WARMUP	10
#define RL_ACK_MS	5000		/* a one-way sample lost: give up */
#define RL_PKT_MAX	512

struct relayd {
	pid_t pid;
	unsigned int port;
	char stats[48];		/* its abstract stats socket */
	char errfile[64];	/* its stderr */
};

/* mailslotd's counters (mailslotd(8) COUNTERS). */
struct relay_counts {
	long long received, delivered, refused, malformed;
};

/* A datagram, built once: a mailslot write of RL_MSG bytes to @slot. */
struct dgram {
	uint8_t pkt[RL_PKT_MAX];
	size_t len;
};

static const char *relay_bin(void)
{
	static const char *const where[] = {
		"/opt/mailslot/bin/mailslotd", "../relay/mailslotd",
	};
	const char *env = getenv("MAILSLOTD");
	unsigned int i;

	if (env && *env)
		return access(env, X_OK) ? NULL : env;
	for (i = 0; i < ARRAY_SIZE(where); i++)
		if (!access(where[i], X_OK))
			return where[i];
	return NULL;
}

static void loopback(struct sockaddr_in *sa, unsigned int port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa->sin_port = htons((uint16_t)port);
}

/* A UDP socket bound to 127.0.0.1:@port (0: any); its port in *@bound. */
static int udp_bound(unsigned int port, unsigned int *bound)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	loopback(&sa, port);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len))
		die("udp socket");
	if (bound)
		*bound = ntohs(sa.sin_port);
	return fd;
}

/*
 * The receive queue (bytes) and the drops of the UDP socket bound to
 * @port, from /proc/net/udp; -1 when there is none.
 */
static int udp_queue(unsigned int port, unsigned long *rxq,
		     unsigned long *drops)
{
	char line[512], tail[8];
	int found = -1;
	FILE *f = fopen("/proc/net/udp", "re");

	if (!f)
		return -1;
	snprintf(tail, sizeof(tail), ":%04X", port);
	while (found && fgets(line, sizeof(line), f)) {
		char local[64];

		if (sscanf(line, " %*u: %63s %*s %*x %*x:%lx %*s %*s %*s %*s %*s %*s %*s %lu",
			   local, rxq, drops) == 3 &&
		    strlen(local) > 5 && !strcmp(local + strlen(local) - 5, tail))
			found = 0;
	}
	fclose(f);
	return found;
}

/* Ask the relay for its counters on its stats socket: 0, or -1. */
static int relay_counts(const struct relayd *r, struct relay_counts *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t nlen = strlen(r->stats), got = 0;
	char buf[4096], *line;
	ssize_t n = 0;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memcpy(sa.sun_path + 1, r->stats, nlen);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa,
			      offsetof(struct sockaddr_un, sun_path) + 1 + nlen) ||
	    write(fd, "stats\n", 6) != 6) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (got < sizeof(buf) - 1 &&
	       (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	memset(c, 0xff, sizeof(*c));
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		sscanf(line, "received %lld", &c->received);
		sscanf(line, "delivered %lld", &c->delivered);
		sscanf(line, "refused %lld", &c->refused);
		sscanf(line, "malformed %lld", &c->malformed);
	}
	return n < 0 || c->received < 0 || c->delivered < 0 ||
	       c->refused < 0 || c->malformed < 0 ? -1 : 0;
}

static void relay_show_err(const struct relayd *r)
{
	char line[256];
	FILE *f = fopen(r->errfile, "re");

	while (f && fgets(line, sizeof(line), f))
		note("#   mailslotd: %s", line);
	if (f)
		fclose(f);
}

static void relay_stop(struct relayd *r)
{
	if (r->pid > 0) {
		kill(r->pid, SIGTERM);
		reap(r->pid);
	}
	r->pid = 0;
	unlink(r->errfile);
}

/* Start mailslotd and wait until it answers: 0, or -1 (said why). */
static int relay_start(struct relayd *r, const char *bin)
{
	char port[8];
	int i, st, fd;

	fd = udp_bound(0, &r->port);	/* a free port, for the relay */
	close(fd);
	snprintf(port, sizeof(port), "%u", r->port);
	snprintf(r->stats, sizeof(r->stats), "msbench-mailslotd.%d",
		 (int)getpid());
	snprintf(r->errfile, sizeof(r->errfile), "/tmp/msbench-mailslotd.%d",
		 (int)getpid());
	r->pid = fork_or_die();
	if (!r->pid) {
		fd = open(r->errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd > 2) {
			dup2(fd, 2);
			close(fd);
		}
		execl(bin, "mailslotd", "--foreground", "--address",
		      "127.0.0.1", "--port", port, "--user", "nobody",
		      "--stats-socket", r->stats, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500; i++) {
		struct relay_counts c;

		if (!relay_counts(r, &c))
			return 0;
		if (waitpid(r->pid, &st, WNOHANG) == r->pid) {
			note("# relay: NOT MEASURED: %s exited with %d at start\n",
			     bin, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
			relay_show_err(r);
			r->pid = 0;
			unlink(r->errfile);
			return -1;
		}
		usleep(10000);
	}
	note("# relay: NOT MEASURED: %s did not answer on @%s within 5 s\n",
	     bin, r->stats);
	relay_stop(r);
	return -1;
}

/* An exported slot (MAILSLOT_CREATE_REMOTE) of RL_MSG-byte messages. */
static int remote_slot(struct bench *b, char *name, size_t size)
{
	struct mailslot_create c = {
		.mode = 0600,
		.max_msg_size = RL_PKT_MAX,
		.max_msgs = 256,
		.overflow = MAILSLOT_OVERFLOW_BLOCK,
		.read_timeout_ns = MAILSLOT_TIMEOUT_INFINITE,
		.flags = MAILSLOT_CREATE_REMOTE,
	};

	uniq_name(b, name, size, "relay");
	c.name = (uintptr_t)name;
	return ioctl(b->ctl, MAILSLOT_IOC_CREATE, &c);
}

/* The datagram of a write of RL_MSG bytes to the local slot @slot. */
static void dgram_for(struct dgram *d, const char *slot, unsigned int port)
{
	static const uint8_t payload[RL_MSG] = "msbench relay";
	struct nbdgm_write w = {
		.type = NBDGM_DIRECT_UNIQUE,
		.id = 1,
		.src_ip = htonl(INADDR_LOOPBACK),
		.src_port = (uint16_t)port,
		.data = payload,
		.size = sizeof(payload),
	};

	if (nbdgm_name_make(w.src_name, "MSBENCH", 0x00) ||
	    nbdgm_name_make(w.dst_name, "MAILSLOT-VM", 0x00))
		die("nbdgm_name_make");
	/* a local name without '/' or capitals is its own Windows name */
	snprintf(w.trans_name, sizeof(w.trans_name), "\\MAILSLOT\\%s", slot);
	if (nbdgm_build(&w, d->pkt, sizeof(d->pkt), &d->len) != NBDGM_OK)
		die("nbdgm_build");
}

/* --- relay-rate -------------------------------------------------------- */

/* What the blaster did, in shared memory. */
struct blast {
	volatile int done;
	long sent, failed;
	uint64_t t_first, t_end;
};

static __noreturn void blaster(const struct bench *b, int go, unsigned int port,
			       const struct dgram *d, long count,
			       struct blast *bl)
{
	struct sockaddr_in to;
	uint64_t stop_at;
	long i;
	char c;
	int fd = udp_bound(0, NULL);

	loopback(&to, port);
	if (b->ncpu > 1)
		pin_to(b, 1);
	read_full(go, &c, 1);
	bl->t_first = now_ns();
	stop_at = bl->t_first + RL_BLAST_NS;
	for (i = 0; i < count; i++) {
		if (!(i & 255) && now_ns() > stop_at)
			break;
		if (sendto(fd, d->pkt, d->len, 0, (struct sockaddr *)&to,
			   sizeof(to)) != (ssize_t)d->len)
			bl->failed++;
	}
	bl->t_end = now_ns();
	bl->sent = i - bl->failed;
	__sync_synchronize();
	bl->done = 1;
	_exit(0);
}

/* Read what @fd holds now (nonblocking); how many messages. */
static long drain(int fd, int is_udp, uint64_t *t_last)
{
	char buf[RL_PKT_MAX];
	long n = 0;

	while ((is_udp ? recv(fd, buf, sizeof(buf), MSG_DONTWAIT)
		       : read(fd, buf, sizeof(buf))) > 0)
		n++;
	if (n)
		*t_last = now_ns();
	return n;
}

struct rate {
	long sent, arrived;
	unsigned long drops;
	double msgs_s, offered_s;
	struct relay_counts before, after;
	int complete;
};

/*
 * One blast at @port, read from @fd (the slot, or the UDP socket when
 * @is_udp); @r the relay, NULL for the peer.  0, or -1 (said why).
 */
static int blast_once(struct bench *b, const struct relayd *r, int fd,
		      int is_udp, unsigned int port, const struct dgram *d,
		      struct rate *out)
{
	struct blast *bl = shm_alloc(sizeof(*bl));
	unsigned long rxq = 0, drops0 = 0, drops = 0;
	uint64_t start, t_last = 0;
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	int go[2], ret = -1;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	if (udp_queue(port, &rxq, &drops0) ||
	    (r && relay_counts(r, &out->before))) {
		note("# relay: no counters for port %u\n", port);
		goto out_unmap;
	}
	if (pipe2(go, O_CLOEXEC))
		die("pipe");
	pid = fork_or_die();
	if (!pid)
		blaster(b, go[0], port, d, iters(b, RL_COUNT), bl);
	start = now_ns();
	write_full(go[1], "g", 1);
	while (now_ns() - start < RL_DRAIN_NS) {
		int ready = poll(&pf, 1, 10);

		if (ready > 0) {
			out->arrived += drain(fd, is_udp, &t_last);
			continue;
		}
		/* quiet for 10 ms: over once the blaster stopped and the
		 * socket's queue is empty (the relay has read everything) */
		if (bl->done && !udp_queue(port, &rxq, &drops) && !rxq) {
			out->complete = 1;
			break;
		}
	}
	reap(pid);
	close(go[0]);
	close(go[1]);
	/* the relay answers its stats socket only between datagrams */
	if (r && relay_counts(r, &out->after)) {
		note("# relay: no counters after the blast\n");
		goto out_unmap;
	}
	out->arrived += drain(fd, is_udp, &t_last);
	udp_queue(port, &rxq, &drops);
	out->sent = bl->sent;
	out->drops = drops - drops0;
	if (!out->complete)
		note("# relay: blast to port %u not over after %.0f s: %lu bytes still queued\n",
		     port, RL_DRAIN_NS / 1e9, rxq);
	if (bl->failed)
		note("# relay: %ld sendto() failed\n", bl->failed);
	if (t_last > bl->t_first)
		out->msgs_s = out->arrived / ((t_last - bl->t_first) / 1e9);
	if (bl->t_end > bl->t_first)
		out->offered_s = out->sent / ((bl->t_end - bl->t_first) / 1e9);
	ret = 0;
out_unmap:
	munmap(bl, sizeof(*bl));
	return ret;
}

/* The rows every blast has: what arrived and what was offered, dropped. */
static void rate_record(struct bench *b, const char *cont, int peer,
			const struct rate *o)
{
	record(b, "relay-rate", "64B", cont, peer, "msgs/s", "msg/s", 1,
	       o->msgs_s);
	record(b, "relay-rate", "64B", cont, peer, "offered msgs/s", "msg/s",
	       1, o->offered_s);
	record(b, "relay-count", "64B", cont, 0, "sent", "dgram", 1, o->sent);
	record(b, "relay-count", "64B", cont, 0, "socket drops", "dgram", 0,
	       o->drops);
}

static void rate_relay(struct bench *b, const struct relayd *r)
{
	struct relay_counts *c0, *c1;
	struct dgram d;
	struct rate o;
	char name[96];
	int fd = remote_slot(b, name, sizeof(name));

	if (fd < 0)
		die("relay: exported slot");
	if (fcntl(fd, F_SETFL, O_NONBLOCK))
		die("fcntl");
	dgram_for(&d, name, r->port);
	if (blast_once(b, r, fd, 0, r->port, &d, &o)) {
		close(fd);
		return;
	}
	close(fd);
	c0 = &o.before;
	c1 = &o.after;
	if (o.arrived != c1->delivered - c0->delivered)
		note("# relay: the slot held %ld messages, the relay counted %lld delivered\n",
		     o.arrived, c1->delivered - c0->delivered);
	if (o.sent != c1->received - c0->received + (long long)o.drops)
		note("# relay: %ld sent, %lld received, %lu dropped by the socket\n",
		     o.sent, c1->received - c0->received, o.drops);
	rate_record(b, "mailslotd", 0, &o);
	record(b, "relay-count", "64B", "mailslotd", 0, "relay received",
	       "dgram", 1, c1->received - c0->received);
	record(b, "relay-count", "64B", "mailslotd", 0, "relay delivered",
	       "dgram", 1, c1->delivered - c0->delivered);
	record(b, "relay-count", "64B", "mailslotd", 0, "relay refused",
	       "dgram", 0, c1->refused - c0->refused);
	record(b, "relay-count", "64B", "mailslotd", 0, "relay malformed",
	       "dgram", 0, c1->malformed - c0->malformed);
	record(b, "relay-count", "64B", "mailslotd", 0, "arrived in slot",
	       "msg", 1, o.arrived);
}

static void rate_udp(struct bench *b)
{
	unsigned int port;
	struct dgram d;
	struct rate o;
	int fd = udp_bound(0, &port);

	dgram_for(&d, "msbench-udp", port);
	if (!blast_once(b, NULL, fd, 1, port, &d, &o)) {
		rate_record(b, "udp", 1, &o);
		record(b, "relay-count", "64B", "udp", 0, "arrived", "dgram",
		       1, o.arrived);
	}
	close(fd);
}

/* --- relay-1way -------------------------------------------------------- */

enum { L_LOCAL, L_RELAYED, L_UDP, L_N };

static const char *const lat_names[L_N] = { "mailslot", "mailslotd", "udp" };

struct lat {
	int on;
	int rfd;		/* what the reader reads: slot or UDP socket */
	int wfd;		/* what this process writes: slot writer or UDP */
	struct sockaddr_in to;	/* the datagram's destination */
	struct dgram d;
	int ack[2];		/* the reader's clock, back */
	pid_t pid;
	uint64_t *s;
};

static __noreturn void lat_reader(struct lat *l, int is_udp)
{
	char buf[RL_PKT_MAX];

	for (;;) {
		ssize_t n = is_udp ? recv(l->rfd, buf, sizeof(buf), 0)
				   : read(l->rfd, buf, sizeof(buf));
		uint64_t t1 = now_ns();

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			_exit(1);
		write_full(l->ack[1], &t1, sizeof(t1));
	}
}

/* One message from this process to the reader: the latency, or 0. */
static uint64_t lat_one(struct lat *l, int j)
{
	struct pollfd pf = { .fd = l->ack[0], .events = POLLIN };
	uint64_t t0, t1;

	t0 = now_ns();
	if (j == L_LOCAL)
		write_full(l->wfd, l->d.pkt, RL_MSG);
	else if (sendto(l->wfd, l->d.pkt, l->d.len, 0,
			(struct sockaddr *)&l->to, sizeof(l->to)) < 0)
		return 0;
	if (poll(&pf, 1, RL_ACK_MS) != 1)
		return 0;
	read_full(l->ack[0], &t1, sizeof(t1));
	return t1 - t0;
}

static int lat_open(struct bench *b, const struct relayd *r, struct lat *l,
		    int j)
{
	char name[96];
	unsigned int port;

	l->on = want(b, lat_names[j]);
	if (!l->on)
		return 0;
	if (j == L_UDP) {
		l->rfd = udp_bound(0, &port);
		l->wfd = udp_bound(0, NULL);
		loopback(&l->to, port);
		dgram_for(&l->d, "msbench-udp", port);
	} else {
		l->rfd = remote_slot(b, name, sizeof(name));
		if (l->rfd < 0)
			return -1;
		dgram_for(&l->d, name, r->port);
		loopback(&l->to, r->port);
		l->wfd = j == L_LOCAL ? ms_open(name, O_WRONLY)
				      : udp_bound(0, NULL);
		if (l->wfd < 0)
			return -1;
	}
	if (pipe2(l->ack, O_CLOEXEC))
		return -1;
	l->pid = fork_or_die();
	if (!l->pid)
		lat_reader(l, j == L_UDP);
	return 0;
}

static void lat_close(struct lat *l)
{
	if (!l->pid)
		return;
	kill(l->pid, SIGKILL);
	reap(l->pid);
	close(l->rfd);
	close(l->wfd);
	close(l->ack[0]);
	close(l->ack[1]);
}

static void latency(struct bench *b, const struct relayd *r)
{
	struct lat l[L_N];
	int per = iters(b, RL_SAMPLES) / RL_BLOCKS, n, blk, i, j, k;

	if (per < 1)
		per = 1;
	n = per * RL_BLOCKS;
	memset(l, 0, sizeof(l));
	for (j = 0; j < L_N; j++) {
		if (lat_open(b, r, &l[j], j))
			die("relay-1way: open %s", lat_names[j]);
		l[j].s = malloc(n * sizeof(uint64_t));
		if (!l[j].s)
			die("malloc");
	}
	for (blk = 0; blk < RL_BLOCKS; blk++) {
		for (i = 0; i < L_N; i++) {
			j = (i + blk) % L_N;
			for (k = 0; l[j].on && k < per + RL_WARMUP; k++) {
				uint64_t v = lat_one(&l[j], j);

				if (!v) {
					note("# relay: %s lost a message: not measured in this repetition\n",
					     lat_names[j]);
					l[j].on = 0;
				} else if (k >= RL_WARMUP) {
					l[j].s[blk * per + k - RL_WARMUP] = v;
				}
			}
		}
	}
	for (j = 0; j < L_N; j++) {
		if (l[j].on) {
			qsort(l[j].s, n, sizeof(uint64_t), cmp_u64);
			record(b, "relay-1way", "64B", lat_names[j], j == L_UDP,
			       "p50", "us", 0, pct(l[j].s, n, 0.50) / 1e3);
			record(b, "relay-1way", "64B", lat_names[j], j == L_UDP,
			       "p99", "us", 0, pct(l[j].s, n, 0.99) / 1e3);
		}
		lat_close(&l[j]);
		free(l[j].s);
	}
}

/* --- the section -------------------------------------------------------- */

/* Why the section cannot run here, or NULL. */
static const char *relay_missing(struct bench *b, const char **bin)
{
	char name[96];
	int fd;

	*bin = relay_bin();
	if (!b->have_ms)
		return "no mailslot module";
	if (!*bin)
		return "no mailslotd (MAILSLOTD=, /opt/mailslot/bin, ../relay)";
	if (!b->is_root)
		return "not root (the relay handle needs CAP_NET_ADMIN)";
	fd = remote_slot(b, name, sizeof(name));
	if (fd < 0)
		return errno == EINVAL ? "the module has no relay support (MAILSLOT_CREATE_REMOTE: EINVAL)"
				       : "cannot create an exported slot";
	close(fd);
	return NULL;
}

void bm_relay(struct bench *b)
{
	const char *why, *bin;
	struct relayd r;

	if (b->opt.only && !want(b, "mailslot") && !want(b, "mailslotd") &&
	    !want(b, "udp"))
		return;
	why = relay_missing(b, &bin);
	if (why) {
		if (!b->rep)
			note("# relay: NOT MEASURED: %s\n", why);
		return;
	}
	memset(&r, 0, sizeof(r));
	if (relay_start(&r, bin))
		return;
	/* the two blasts in turn, the first alternating */
	if (b->rep & 1 && want(b, "udp"))
		rate_udp(b);
	if (want(b, "mailslotd"))
		rate_relay(b, &r);
	if (!(b->rep & 1) && want(b, "udp"))
		rate_udp(b);
	latency(b, &r);
	relay_stop(&r);
}
