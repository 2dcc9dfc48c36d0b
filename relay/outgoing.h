/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* mailslotd's local socket and sending side (outgoing.c). */
#ifndef MAILSLOTD_OUTGOING_H
#define MAILSLOTD_OUTGOING_H

#include <poll.h>

/* Datagrams sent for local writers, and those the network refused. */
extern unsigned long long out_sent, out_failed;

/* The relay's UDP socket (bound to @port) sends the outgoing datagrams. */
void outgoing_init(int udp_fd, unsigned int port);
/* A new connection on the local socket @lfd. */
void outgoing_accept(int lfd);
/* Fill @pf with the fds to poll (clients, outgoing slots); their count. */
int outgoing_pollfds(struct pollfd *pf, int max);
/* After poll: serve what is ready, expire idle clients, end unused slots. */
void outgoing_events(const struct pollfd *pf, int n);

/* In mailslotd.c. */
void relay_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int relay_format_stats(char *buf, size_t size);

#endif
