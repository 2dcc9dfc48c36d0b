// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libmailslot: process objects and waits (OpenProcess,
 * WaitForSingleObject, WaitForMultipleObjects, GetExitCodeProcess).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
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

/*
 * From a pidfd to a process object.  No kernel up to 7.3 lets a module
 * recognise a pidfd, so the number comes from user space and is proven:
 *
 *   1. read the number N of the pidfd's process P: PIDFD_GET_INFO (6.13+,
 *      in the caller's pid namespace) or the pidfd's fdinfo "Pid:" (in
 *      the namespace of the /proc mount, checked to be the caller's);
 *   2. open a process object by N (MAILSLOT_IOC_PROC_OPEN);
 *   3. read the number again: still N proves that P was not reaped before
 *      this look, so P held N all the time since step 1 and the object of
 *      step 2 is P's.  A reaped P reads as no number (fdinfo "Pid: -1",
 *      ESRCH from PIDFD_GET_INFO): the object is closed, ESRCH.
 *
 * A zombie still holds its number, so it gives an object signaled from
 * birth with the status the kernel recorded.  The status of a reaped
 * process (PIDFD_INFO_EXIT, 6.15+) lives in user memory here and is never
 * made into an object: objects carry only what the module saw.
 */
#ifndef PID_FS_MAGIC
#define PID_FS_MAGIC 0x50494446
#endif

/* struct pidfd_info as of 6.13 (PIDFD_INFO_SIZE_VER0, 64 bytes). */
struct ms_pidfd_info {
	__u64 mask;
	__u64 cgroupid;
	__u32 pid;
	__u32 tgid;
	__u32 ppid;
	__u32 ids[8];
	__u32 spare0[1];
};

_Static_assert(sizeof(struct ms_pidfd_info) == 64, "PIDFD_INFO_SIZE_VER0");

#define MS_PIDFD_GET_INFO	_IOWR(0xFF, 11, struct ms_pidfd_info)
#define MS_PIDFD_INFO_PID	(1ULL << 0)

static int pidfd_pid_ioctl(int pidfd, pid_t *pid)
{
	struct ms_pidfd_info info;

	memset(&info, 0, sizeof(info));
	info.mask = MS_PIDFD_INFO_PID;
	if (ioctl(pidfd, MS_PIDFD_GET_INFO, &info) < 0) {
		/* Kernels before 6.13: ENOTTY, or EINVAL (6.11, 6.12). */
		if (errno == ENOTTY || errno == EINVAL)
			return -EOPNOTSUPP;
		return -errno;		/* ESRCH: reaped */
	}
	if (!(info.mask & MS_PIDFD_INFO_PID))
		return -EOPNOTSUPP;
	if (!info.pid || info.pid > INT32_MAX)
		return -ESRCH;		/* not visible in our namespace */
	*pid = (pid_t)info.pid;
	return 0;
}

/*
 * Numbers in /proc are those of its mount's pid namespace; they are ours
 * when /proc/self/status shows us with one number only (NSpid lists one
 * per level from the mount's namespace down to ours).
 */
static int proc_is_our_pidns(void)
{
	char line[256];
	int ok = -EOPNOTSUPP;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -EOPNOTSUPP;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + 6, *end;

		if (strncmp(line, "NSpid:", 6))
			continue;
		strtol(p, &end, 10);
		if (end != p && strspn(end, " \t\n") == strlen(end))
			ok = 0;
		break;
	}
	fclose(f);
	return ok;
}

static int pidfd_pid_fdinfo(int pidfd, pid_t *pid)
{
	char path[64], line[256];
	int r = -EINVAL;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT && fcntl(pidfd, F_GETFD) < 0 ? -EBADF :
		       -EOPNOTSUPP;
	while (fgets(line, sizeof(line), f)) {
		char *end;
		long v;

		if (strncmp(line, "Pid:", 4))
			continue;
		errno = 0;
		v = strtol(line + 4, &end, 10);
		if (errno || end == line + 4 || v > INT32_MAX)
			break;			/* not a pidfd's line */
		if (v <= 0) {
			r = -ESRCH;		/* -1: reaped; 0: not visible */
			break;
		}
		*pid = (pid_t)v;
		r = 0;
		break;
	}
	fclose(f);
	return r;
}

static int pidfd_pid(int pidfd, int use_ioctl, pid_t *pid)
{
	return use_ioctl ? pidfd_pid_ioctl(pidfd, pid) :
			   pidfd_pid_fdinfo(pidfd, pid);
}

int ms_proc_open_pidfd(int pidfd, unsigned int flags, enum ms_pidfd_route route,
		       void (*between)(void *arg), void *arg)
{
	struct statfs sfs;
	pid_t pid, again;
	int use_ioctl, fd, r;

	if (flags & ~MAILSLOT_PROC_NONBLOCK)
		return -EINVAL;
	if (pidfd < 0)
		return -EBADF;
	if (fstatfs(pidfd, &sfs))
		return -errno;
	/* PIDFD_GET_INFO only on pidfs (6.9+): never on other files. */
	use_ioctl = route != MS_PIDFD_FDINFO && sfs.f_type == PID_FS_MAGIC;
	if (route == MS_PIDFD_IOCTL && !use_ioctl)
		return -EOPNOTSUPP;
	r = use_ioctl ? pidfd_pid_ioctl(pidfd, &pid) : -EOPNOTSUPP;
	if (r == -EOPNOTSUPP && route != MS_PIDFD_IOCTL) {
		use_ioctl = 0;
		r = proc_is_our_pidns();
		if (!r)
			r = pidfd_pid_fdinfo(pidfd, &pid);
	}
	if (r)
		return r;
	if (between)
		between(arg);
	fd = mailslot_proc_open(pid, flags);
	/*
	 * The proof, also when the open failed: a process reaped since the
	 * first look is ESRCH, whatever the number's new owner gave.
	 */
	r = pidfd_pid(pidfd, use_ioctl, &again);
	if (!r && again != pid)
		r = -ESRCH;
	if (r) {
		if (fd >= 0)
			close(fd);
		return r == -EOPNOTSUPP ? -ESRCH : r;
	}
	return fd;
}

MS_EXPORT int mailslot_proc_open_pidfd(int pidfd, unsigned int flags)
{
	return ms_proc_open_pidfd(pidfd, flags, MS_PIDFD_AUTO, NULL, NULL);
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
