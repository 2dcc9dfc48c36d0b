// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * mailslotd's sending side: local clients (libmailslot's mailslot_open()
 * of \\HOST\mailslot\NAME or \\*\mailslot\NAME) ask, on the relay's
 * abstract socket, for a writer; the relay creates an outgoing slot of its
 * own for that destination (largest message 424 bytes to "*", as Windows
 * has it, else what one datagram holds), passes the client a writer handle
 * to it (SCM_RIGHTS) and sends every message queued there as one datagram
 * from its port.  write(2) on that handle is thus a remote mailslot write;
 * the slot goes once its last writer has closed and its queue is empty.
 *
 * Requests, one line per connection:
 *   "stats"                      the counters, as mailslotd --stats prints
 *   "open H ADDR NAME"           H: 'u' (unicast to the IPv4 ADDR) or 'b'
 *                                (broadcast on every IPv4 interface that
 *                                has a broadcast address; ADDR is "-");
 *                                NAME the local form of the slot name
 * Answer to "open": "0\n" with the writer fd, or "-ERRNO\n".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <linux/mailslot.h>

#include "nbdgm.h"
#include "outgoing.h"
#include "winname.h"

#define MAX_CLIENTS	16
#define MAX_OUT		64
#define CLIENT_TIMEOUT_MS 2000

struct client {
	int fd;
	size_t used;
	long long since_ms;
	char line[600];
};

struct out {
	int server;		/* server fd of the outgoing slot, -1: free */
	int broadcast;
	uint32_t addr;		/* unicast destination, network order */
	char wire[NBDGM_TRANS_NAME_MAX + 1];
	char dst[NBDGM_NAME_LEN];
};

static struct client clients[MAX_CLIENTS];
static struct out outs[MAX_OUT];
static unsigned int out_serial;
static int udp_fd = -1;
static unsigned int udp_port;
static uint8_t src_name[NBDGM_NAME_LEN];
static uint16_t dgm_id;
unsigned long long out_sent, out_failed;

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void outgoing_init(int fd, unsigned int port)
{
	struct utsname u;
	char host[16];
	size_t i;

	udp_fd = fd;
	udp_port = port;
	for (i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	for (i = 0; i < MAX_OUT; i++)
		outs[i].server = -1;
	memset(host, 0, sizeof(host));
	if (!uname(&u))
		memcpy(host, u.nodename, strnlen(u.nodename, sizeof(host) - 1));
	host[strcspn(host, ".")] = '\0';
	if (nbdgm_name_make(src_name, host[0] ? host : "LINUX", 0x00))
		nbdgm_name_make(src_name, "LINUX", 0x00);
	dgm_id = (uint16_t)getpid();
}

int outgoing_pollfds(struct pollfd *pf, int max)
{
	int n = 0;
	size_t i;

	for (i = 0; i < MAX_CLIENTS && n < max; i++)
		if (clients[i].fd >= 0)
			pf[n++] = (struct pollfd){ .fd = clients[i].fd, .events = POLLIN };
	for (i = 0; i < MAX_OUT && n < max; i++)
		if (outs[i].server >= 0)
			pf[n++] = (struct pollfd){ .fd = outs[i].server, .events = POLLIN };
	return n;
}

void outgoing_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	size_t i;

	if (fd < 0)
		return;
	for (i = 0; i < MAX_CLIENTS; i++) {
		if (clients[i].fd < 0) {
			clients[i].fd = fd;
			clients[i].used = 0;
			clients[i].since_ms = now_ms();
			return;
		}
	}
	close(fd);		/* too many at once: the client sees EOF */
}

static void reply(int fd, const char *text, int pass)
{
	struct iovec iov = { (void *)text, strlen(text) };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (pass >= 0) {
		struct cmsghdr *cm;

		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass, sizeof(int));
	}
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
		relay_log(LOG_DEBUG, "answer to a local client: %s", strerror(errno));
}

/* A writer handle to a new outgoing slot for this destination, or -errno. */
static int open_out(int broadcast, uint32_t addr, const char *local)
{
	char name[64], path[96];
	struct mailslot_create c;
	size_t i, wire_len, max;
	int ctl, server, w;
	struct out *o = NULL;

	for (i = 0; i < MAX_OUT; i++)
		if (outs[i].server < 0) {
			o = &outs[i];
			break;
		}
	if (!o)
		return -EMFILE;
	if (ms_winname_to_wire(local, o->wire, sizeof(o->wire)))
		return -EINVAL;
	wire_len = strlen(o->wire);
	max = broadcast ? NBDGM_BROADCAST_DATA_MAX :
	      NBDGM_PACKET_MAX - nbdgm_packet_size(wire_len, 0);
	if (max > MAILSLOT_DEFAULT_MAX_MSG_SIZE)
		max = MAILSLOT_DEFAULT_MAX_MSG_SIZE;
	snprintf(name, sizeof(name), "mailslotd-out/%d-%u", (int)getpid(),
		 ++out_serial);
	memset(&c, 0, sizeof(c));
	c.name = (uintptr_t)name;
	c.mode = 0600;
	c.max_msg_size = (uint32_t)max;
	c.flags = MAILSLOT_CREATE_NONBLOCK;
	ctl = open(MAILSLOT_CONTROL_PATH, O_RDONLY | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	server = ioctl(ctl, MAILSLOT_IOC_CREATE, &c);
	if (server < 0) {
		int e = -errno;

		close(ctl);
		return e;
	}
	close(ctl);
	snprintf(path, sizeof(path), MAILSLOT_DEV_DIR "/%s", name);
	w = open(path, O_WRONLY | O_CLOEXEC);
	if (w < 0) {
		int e = -errno;

		close(server);
		return e;
	}
	o->server = server;
	o->broadcast = broadcast;
	o->addr = addr;
	if (broadcast) {
		nbdgm_name_make((uint8_t *)o->dst, "WORKGROUP", 0x00);
	} else {
		nbdgm_name_make((uint8_t *)o->dst, "*SMBSERVER", 0x20);
	}
	return w;
}

static void handle_request(struct client *cl)
{
	char kind, addr[64], local[MAILSLOT_NAME_MAX + 1], text[16];
	struct in_addr a = { 0 };
	int w;

	cl->line[cl->used] = '\0';
	cl->line[strcspn(cl->line, "\n")] = '\0';
	if (!strcmp(cl->line, "stats")) {
		char buf[4096];
		int n = relay_format_stats(buf, sizeof(buf));

		if (n > 0 && write(cl->fd, buf, (size_t)n) != n)
			relay_log(LOG_DEBUG, "stats: short write");
		return;
	}
	if (sscanf(cl->line, "open %c %63s %255s", &kind, addr, local) != 3 ||
	    (kind != 'u' && kind != 'b') ||
	    (kind == 'u' && inet_pton(AF_INET, addr, &a) != 1) ||
	    !ms_local_name_valid(local)) {
		reply(cl->fd, "-22\n", -1);
		return;
	}
	w = open_out(kind == 'b', a.s_addr, local);
	if (w < 0) {
		snprintf(text, sizeof(text), "%d\n", w);
		reply(cl->fd, text, -1);
		return;
	}
	reply(cl->fd, "0\n", w);
	close(w);
	relay_log(LOG_DEBUG, "outgoing slot for %s %s", kind == 'b' ? "*" : addr,
		  local);
}

static void client_input(struct client *cl)
{
	ssize_t n = recv(cl->fd, cl->line + cl->used,
			 sizeof(cl->line) - 1 - cl->used, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0)
		cl->used += (size_t)n;
	if (n <= 0 || memchr(cl->line, '\n', cl->used) ||
	    cl->used == sizeof(cl->line) - 1) {
		/* an old --stats client sends nothing and waits for EOF */
		if (n == 0 && !cl->used)
			strcpy(cl->line, "stats");
		if (n == 0 && !cl->used)
			cl->used = 5;
		handle_request(cl);
		close(cl->fd);
		cl->fd = -1;
	}
}

static void send_to(const uint8_t *pkt, size_t len, uint32_t addr)
{
	struct sockaddr_in to = { .sin_family = AF_INET };

	to.sin_addr.s_addr = addr;
	to.sin_port = htons((uint16_t)udp_port);
	if (sendto(udp_fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) ==
	    (ssize_t)len) {
		out_sent++;
	} else {
		out_failed++;
		relay_log(LOG_DEBUG, "send: %s", strerror(errno));
	}
}

/* The local address a datagram to @addr leaves from (SOURCE_IP). */
static uint32_t source_for(uint32_t addr)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint32_t r = 0;

	to.sin_addr.s_addr = addr;
	if (fd >= 0 && !connect(fd, (struct sockaddr *)&to, sizeof(to)) &&
	    !getsockname(fd, (struct sockaddr *)&me, &len))
		r = me.sin_addr.s_addr;
	if (fd >= 0)
		close(fd);
	return r;
}

static void out_input(struct out *o)
{
	static uint8_t data[MAILSLOT_DEFAULT_MAX_MSG_SIZE];
	static uint8_t pkt[NBDGM_PACKET_MAX];
	struct mailslot_recv rv;
	struct nbdgm_write w;
	struct ifaddrs *ifa, *i;
	size_t len;
	int n;

	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)data;
	rv.size = sizeof(data);
	n = ioctl(o->server, MAILSLOT_IOC_RECV, &rv);
	if (n < 0)
		return;
	memset(&w, 0, sizeof(w));
	w.type = o->broadcast ? NBDGM_DIRECT_GROUP : NBDGM_DIRECT_UNIQUE;
	w.flags = 1 << NBDGM_SNT_SHIFT;	/* P node: no NBNS broadcasts from us */
	w.id = dgm_id++;
	w.src_port = (uint16_t)udp_port;
	memcpy(w.src_name, src_name, sizeof(w.src_name));
	memcpy(w.dst_name, o->dst, sizeof(w.dst_name));
	strcpy(w.trans_name, o->wire);
	w.priority = 0;
	w.data = data;
	w.size = (size_t)n;
	if (!o->broadcast) {
		w.src_ip = source_for(o->addr);
		if (nbdgm_build(&w, pkt, sizeof(pkt), &len) == NBDGM_OK)
			send_to(pkt, len, o->addr);
		else
			out_failed++;
		return;
	}
	if (getifaddrs(&ifa)) {
		out_failed++;
		return;
	}
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    !(i->ifa_flags & IFF_BROADCAST) || !(i->ifa_flags & IFF_UP) ||
		    !i->ifa_broadaddr)
			continue;
		w.src_ip = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
		if (nbdgm_build(&w, pkt, sizeof(pkt), &len) == NBDGM_OK)
			send_to(pkt, len,
				((struct sockaddr_in *)i->ifa_broadaddr)->sin_addr.s_addr);
	}
	freeifaddrs(ifa);
}

void outgoing_events(const struct pollfd *pf, int n)
{
	long long now = now_ms();
	int k;
	size_t i;

	for (k = 0; k < n; k++) {
		if (!pf[k].revents)
			continue;
		for (i = 0; i < MAX_CLIENTS; i++)
			if (clients[i].fd == pf[k].fd)
				client_input(&clients[i]);
		for (i = 0; i < MAX_OUT; i++)
			if (outs[i].server == pf[k].fd)
				out_input(&outs[i]);
	}
	for (i = 0; i < MAX_CLIENTS; i++) {
		if (clients[i].fd >= 0 &&
		    now - clients[i].since_ms > CLIENT_TIMEOUT_MS) {
			close(clients[i].fd);
			clients[i].fd = -1;
		}
	}
	/* an outgoing slot nobody writes to any more, drained, goes */
	for (i = 0; i < MAX_OUT; i++) {
		struct mailslot_info info;

		if (outs[i].server < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (ioctl(outs[i].server, MAILSLOT_IOC_GET_INFO, &info) ||
		    (!info.writers && !info.msgs)) {
			close(outs[i].server);
			outs[i].server = -1;
		}
	}
}
