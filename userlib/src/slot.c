// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libmailslot: slots (CreateMailslot, CreateFile, WriteFile, ReadFile,
 * GetMailslotInfo, SetMailslotInfo).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"
#include "winname.h"

#define DEV_PREFIX MAILSLOT_DEV_DIR "/"

/*
 * Accept "NAME", "/dev/mailslot/NAME" and the Windows local form
 * "\\.\mailslot\NAME" (mapped by ms_winname_parse(), as everywhere);
 * NULL when unusable.  @buf holds the mapped name.  *@err tells why: -EINVAL,
 * -ENAMETOOLONG, or -EOPNOTSUPP for a remote name (\\HOST\..., \\*\...),
 * which only the relay reaches.
 */
static const char *slot_name(const char *name, char *buf, size_t size,
			     int *err)
{
	char host[MS_WINNAME_HOST_MAX + 1];
	int kind;

	*err = -EINVAL;
	if (!name)
		return NULL;
	if (ms_winname_is_windows(name)) {
		kind = ms_winname_parse(name, host, sizeof(host), buf, size);
		if (kind == MS_WINNAME_LOCAL)
			return buf;
		if (kind == MS_WINNAME_HOST || kind == MS_WINNAME_BROADCAST)
			*err = -EOPNOTSUPP;
		else if (kind < 0)
			*err = kind;
		return NULL;
	}
	if (!strncmp(name, DEV_PREFIX, sizeof(DEV_PREFIX) - 1))
		name += sizeof(DEV_PREFIX) - 1;
	if (!*name)
		return NULL;
	return name;
}

/* One ioctl on a control device opened for it: its result, or -errno. */
int ms_control_ioctl(unsigned long cmd, void *arg)
{
	int ctl = open(MAILSLOT_CONTROL_PATH, O_RDONLY | O_CLOEXEC);
	int r;

	if (ctl < 0)
		return -errno;
	r = ioctl(ctl, cmd, arg);
	r = r < 0 ? -errno : r;
	close(ctl);
	return r;
}

/*
 * poll(2) for input.  0 when readable (or when the kernel should decide:
 * error or hang-up), -EAGAIN when timeout_ms is 0 and nothing is there,
 * -ETIMEDOUT after a longer timeout, -EINTR on a signal.
 */
int ms_wait_readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int flags, r;

	if (timeout_ms < MAILSLOT_FOREVER)
		return -EINVAL;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0)
		return -errno;
	if ((flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		return -errno;
	if (r == 0)
		return timeout_ms == 0 ? -EAGAIN : -ETIMEDOUT;
	if (pfd.revents & POLLNVAL)
		return -EBADF;
	return 0;
}

MS_EXPORT int mailslot_create(const char *name, const struct mailslot_attr *attr)
{
	static const struct mailslot_attr defaults = MAILSLOT_ATTR_INIT;
	char mapped[MAILSLOT_NAME_MAX + 1];
	struct mailslot_create c;
	unsigned int i;
	int r;

	name = slot_name(name, mapped, sizeof(mapped), &r);
	if (!name)
		return r;
	if (strlen(name) > MAILSLOT_NAME_MAX)
		return -ENAMETOOLONG;
	if (!attr)
		attr = &defaults;
	for (i = 0; i < sizeof(attr->reserved) / sizeof(attr->reserved[0]); i++)
		if (attr->reserved[i])
			return -EINVAL;
	if (attr->overflow < 0)
		return -EINVAL;

	memset(&c, 0, sizeof(c));
	c.name = (uintptr_t)name;
	r = ms_to_ns(attr->read_timeout_ms, &c.read_timeout_ns);
	if (r)
		return r;
	c.mode = attr->mode;
	c.max_msg_size = attr->max_msg_size;
	c.max_msgs = attr->max_msgs;
	c.max_bytes = attr->max_bytes;
	c.overflow = (unsigned int)attr->overflow;
	c.flags = attr->flags;

	return ms_control_ioctl(MAILSLOT_IOC_CREATE, &c);
}

MS_EXPORT int mailslot_open(const char *name, int flags)
{
	char path[sizeof(DEV_PREFIX) + MAILSLOT_NAME_MAX];
	char mapped[MAILSLOT_NAME_MAX + 1];
	char host[MS_WINNAME_HOST_MAX + 1];
	int fd, r;

	if (ms_winname_is_windows(name)) {
		r = ms_winname_parse(name, host, sizeof(host), mapped,
				     sizeof(mapped));
		if (r == MS_WINNAME_HOST || r == MS_WINNAME_BROADCAST) {
			if (flags & ~(O_ACCMODE | O_NONBLOCK | O_CLOEXEC))
				return -EINVAL;
			return ms_remote_open(r, host, mapped, flags);
		}
	}
	name = slot_name(name, mapped, sizeof(mapped), &r);
	if (!name)
		return r;
	if (flags & ~(O_ACCMODE | O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	if (strlen(name) > MAILSLOT_NAME_MAX)
		return -ENAMETOOLONG;
	if (!strcmp(name, "control"))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s%s", DEV_PREFIX, name);
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

MS_EXPORT ssize_t mailslot_send(int fd, const void *buf, size_t len)
{
	ssize_t n;

	if (!buf && len)
		return -EFAULT;
	n = write(fd, buf, len);
	return n < 0 ? -errno : n;
}

MS_EXPORT ssize_t mailslot_sendv(int fd, const struct iovec *iov, int iovcnt)
{
	size_t total = 0;
	ssize_t n;
	int i;

	if (iovcnt < 0 || iovcnt > IOV_MAX)
		return -EINVAL;
	if (iovcnt && !iov)
		return -EFAULT;
	for (i = 0; i < iovcnt; i++)
		total |= iov[i].iov_len;
	/*
	 * The module takes a whole writev(2) as one message, but the VFS
	 * returns early from a writev of 0 bytes: send the empty message
	 * with write(2).
	 */
	if (!total)
		n = write(fd, "", 0);
	else
		n = writev(fd, iov, iovcnt);
	return n < 0 ? -errno : n;
}

MS_EXPORT ssize_t mailslot_recv(int fd, void *buf, size_t len,
				struct mailslot_msg_info *info, int timeout_ms)
{
	struct mailslot_recv rv;
	ssize_t r;

	if (!buf && len)
		return -EFAULT;
	if (timeout_ms != MAILSLOT_HANDLE_TIMEOUT) {
		r = ms_wait_readable(fd, timeout_ms);
		if (r)
			return r;
	}
	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)buf;
	rv.size = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	r = ioctl(fd, MAILSLOT_IOC_RECV, &rv);
	if (r < 0)
		r = -errno;
	/* End of file (sequence numbers start at 1): the server has closed. */
	else if (r == 0 && rv.info.seq == 0)
		return -EPIPE;
	/* On -EMSGSIZE the module reports the queued message's size too. */
	if (info && (r >= 0 || r == -EMSGSIZE))
		*info = rv.info;
	return r;
}

MS_EXPORT int mailslot_recv_batch(int fd, void *buf, size_t len,
				  unsigned int max_msgs, size_t *bytes,
				  int timeout_ms)
{
	struct mailslot_recv_batch rb;
	int r;

	if (bytes)
		*bytes = 0;
	if (!buf && len)
		return -EFAULT;
	if (!max_msgs || max_msgs > MAILSLOT_MAX_MSGS_LIMIT)
		return -EINVAL;
	if (timeout_ms != MAILSLOT_HANDLE_TIMEOUT) {
		r = ms_wait_readable(fd, timeout_ms);
		if (r)
			return r;
	}
	memset(&rb, 0, sizeof(rb));
	rb.buf = (uintptr_t)buf;
	rb.size = len;
	rb.max_msgs = max_msgs;
	r = ioctl(fd, MAILSLOT_IOC_RECV_BATCH, &rb);
	if (r < 0) {
		r = -errno;
		/* The module reports the size the first record needs. */
		if (r == -EMSGSIZE && bytes)
			*bytes = (size_t)rb.bytes;
		return r;
	}
	if (r == 0)
		return -EPIPE;	/* end of file: the server has closed */
	if (bytes)
		*bytes = (size_t)rb.bytes;
	return r;
}

MS_EXPORT int mailslot_get_info(int fd, struct mailslot_info *info)
{
	struct mailslot_info tmp;

	if (!info)
		return -EFAULT;
	memset(&tmp, 0, sizeof(tmp));
	if (ioctl(fd, MAILSLOT_IOC_GET_INFO, &tmp) < 0)
		return -errno;
	*info = tmp;
	return 0;
}

MS_EXPORT int mailslot_set_timeout(int fd, int timeout_ms)
{
	__u64 ns;
	int r;

	r = ms_to_ns(timeout_ms, &ns);
	if (r)
		return r;
	if (ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &ns) < 0)
		return -errno;
	return 0;
}
