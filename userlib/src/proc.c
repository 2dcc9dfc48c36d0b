// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libmailslot: process objects and waits (OpenProcess,
 * WaitForSingleObject, WaitForMultipleObjects, GetExitCodeProcess).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

MS_EXPORT int mailslot_proc_open(pid_t pid, unsigned int flags)
{
	struct mailslot_proc_open po;

	if (pid <= 0)
		return -EINVAL;
	if (flags & ~MAILSLOT_PROC_NONBLOCK)
		return -EINVAL;
	memset(&po, 0, sizeof(po));
	po.pid = (__u32)pid;
	po.flags = flags;
	return ms_control_ioctl(MAILSLOT_IOC_PROC_OPEN, &po);
}

MS_EXPORT int mailslot_wait_many(const int *fds, unsigned int count,
				 unsigned int flags, int timeout_ms)
{
	struct mailslot_wait w;
	int r;

	if (!fds)
		return -EFAULT;
	if (!count || count > MAILSLOT_WAIT_MAX)
		return -EINVAL;
	if (flags & ~MAILSLOT_WAIT_ALL)
		return -EINVAL;
	memset(&w, 0, sizeof(w));
	r = ms_to_ns(timeout_ms, &w.timeout_ns);
	if (r)
		return r;
	w.fds = (uintptr_t)fds;
	w.count = count;
	w.flags = flags;
	r = ms_control_ioctl(MAILSLOT_IOC_WAIT, &w);
	if (r < 0)
		return r;
	return (flags & MAILSLOT_WAIT_ALL) ? 0 : (int)w.index;
}

MS_EXPORT int mailslot_wait_one(int fd, int timeout_ms)
{
	int r = mailslot_wait_many(&fd, 1, 0, timeout_ms);

	return r > 0 ? 0 : r;
}

MS_EXPORT int mailslot_proc_status(int fd, struct mailslot_proc_exit *exit_info)
{
	struct mailslot_proc_exit ex;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct mailslot_info si;
	ssize_t n;
	int r;

	/*
	 * read(2) would take a message from a slot handle: refuse those.
	 * (GET_INFO succeeds only on slot handles.)
	 */
	if (ioctl(fd, MAILSLOT_IOC_GET_INFO, &si) == 0)
		return -EINVAL;
	if (errno == EBADF)
		return -EBADF;
	/* Still running is not an error: -EAGAIN (Windows: STILL_ACTIVE). */
	r = poll(&pfd, 1, 0);
	if (r < 0)
		return -errno;
	if (pfd.revents & POLLNVAL)
		return -EBADF;
	if (!(pfd.revents & POLLIN))
		return -EAGAIN;
	n = read(fd, &ex, sizeof(ex));
	if (n < 0)
		return -errno;
	if ((size_t)n != sizeof(ex))
		return -EIO;
	if (exit_info)
		*exit_info = ex;
	return ex.status & 0x7fffffff;
}
