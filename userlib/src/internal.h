/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Private helpers of libmailslot; nothing here is exported. */
#ifndef LIBMAILSLOT_INTERNAL_H
#define LIBMAILSLOT_INTERNAL_H

#include <errno.h>
#include <stdint.h>
#include "libmailslot.h"

#define MS_EXPORT __attribute__((visibility("default")))

/* remote.c: a writer to a remote slot from the relay, or -errno. */
int ms_remote_open(int kind, const char *host, const char *local, int flags);

/* Milliseconds (MAILSLOT_FOREVER, 0, n) to the module's nanoseconds. */
static inline int ms_to_ns(int timeout_ms, __u64 *ns)
{
	if (timeout_ms == MAILSLOT_FOREVER)
		*ns = MAILSLOT_TIMEOUT_INFINITE;
	else if (timeout_ms >= 0)
		*ns = (__u64)timeout_ms * 1000000ULL;
	else
		return -EINVAL;
	return 0;
}

int ms_control_ioctl(unsigned long cmd, void *arg);
int ms_wait_readable(int fd, int timeout_ms);

/*
 * mailslot_proc_open_pidfd() with a chosen way to read the pidfd's number
 * (the tests use both where the kernel has both), and @between, when not
 * NULL, called after the number was read and before it is opened: the
 * tests reuse the number there.
 */
enum ms_pidfd_route {
	MS_PIDFD_AUTO,		/* PIDFD_GET_INFO on pidfs, else fdinfo */
	MS_PIDFD_IOCTL,		/* PIDFD_GET_INFO only (6.13+) */
	MS_PIDFD_FDINFO,	/* /proc/self/fdinfo only */
};
int ms_proc_open_pidfd(int pidfd, unsigned int flags, enum ms_pidfd_route route,
		       void (*between)(void *arg), void *arg);

#endif
