/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the proc_*_test.c and wait_*_test.c selftests. */
#ifndef _PROC_UTIL_H
#define _PROC_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/mailslot.h>

#define PU_UID		1000
#define PU_GID		1000
#define PU_MS		1000000ULL
#define PU_SEC		1000000000ULL
#define PU_EXSZ		((ssize_t)sizeof(struct mailslot_proc_exit))

static inline int pu_control(void)
{
	return open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
}

static inline int pu_have_module(void)
{
	return access(MAILSLOT_CONTROL_PATH, F_OK) == 0;
}

/* MAILSLOT_IOC_PROC_OPEN on @ctl; the fd or -errno. */
static inline int pu_open_at(int ctl, pid_t pid, unsigned int flags)
{
	struct mailslot_proc_open po;
	int fd;

	memset(&po, 0, sizeof(po));
	po.pid = (__u32)pid;
	po.flags = flags;
	fd = ioctl(ctl, MAILSLOT_IOC_PROC_OPEN, &po);
	return fd < 0 ? -errno : fd;
}

/* MAILSLOT_IOC_PROC_OPEN; the fd or -errno. */
static inline int pu_open(pid_t pid, unsigned int flags)
{
	int ctl = pu_control(), fd;

	if (ctl < 0)
		return -errno;
	fd = pu_open_at(ctl, pid, flags);
	close(ctl);
	return fd;
}

/* MAILSLOT_IOC_WAIT; 0 (wait-all) or the index, or -errno. */
static inline int pu_wait(const int *fds, unsigned int count,
			  unsigned int flags, uint64_t timeout_ns)
{
	struct mailslot_wait w;
	int ctl = pu_control(), r, err;

	if (ctl < 0)
		return -errno;
	memset(&w, 0, sizeof(w));
	w.fds = (uintptr_t)fds;
	w.count = count;
	w.flags = flags;
	w.timeout_ns = timeout_ns;
	w.index = 0xdeadbeef;
	r = ioctl(ctl, MAILSLOT_IOC_WAIT, &w);
	err = errno;
	close(ctl);
	return r < 0 ? -err : (int)w.index;
}

/* read(2) of a process object; sizeof(*ex) or -errno. */
static inline ssize_t pu_read(int fd, struct mailslot_proc_exit *ex)
{
	ssize_t n;

	memset(ex, 0xa5, sizeof(*ex));
	n = read(fd, ex, sizeof(*ex));
	return n < 0 ? -errno : n;
}

/* 1 when @fd polls readable right now, 0 when not, -errno on error. */
static inline int pu_signaled(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, 0);

	if (r < 0)
		return -errno;
	if (p.revents & ~(POLLIN | POLLRDNORM))
		return -EIO;
	return r == 1;
}

static inline uint64_t pu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * PU_SEC + ts.tv_nsec;
}

static inline void pu_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * A child that blocks until its end of @pipe is closed (or a byte arrives),
 * then exits with @code.  Returns its pid; the caller keeps pipe[1].
 */
static inline pid_t pu_spawn(int code, int pipefd[2])
{
	pid_t pid;
	char c;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(pipefd[1]);
		if (read(pipefd[0], &c, 1) < 0)
			_exit(125);
		_exit(code);
	}
	close(pipefd[0]);
	return pid;
}

/*
 * Let a pu_spawn() child go: a byte, since later children may have
 * inherited the write end.
 */
static inline void pu_release(int pipefd[2])
{
	if (pipefd[1] >= 0) {
		if (write(pipefd[1], "x", 1) != 1)
			perror("pu_release");
		close(pipefd[1]);
	}
	pipefd[1] = -1;
}

/* State letter of /proc/PID/stat ('Z' for a zombie), or 0. */
static inline char pu_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Wait (up to 10 s) until @pid is a zombie; 0 on success. */
static inline int pu_wait_zombie(pid_t pid)
{
	int i;

	for (i = 0; i < 10000; i++) {
		if (pu_state(pid) == 'Z')
			return 0;
		pu_sleep_ms(1);
	}
	return -1;
}

/*
 * Wait (up to 20 s) until thread @tid of this process sits in system call
 * @nr (from /proc/self/task/TID/syscall), then a little longer so that it
 * is asleep; 0 on success.
 */
static inline int pu_wait_in_syscall(pid_t tid, long nr)
{
	char path[64], buf[128];
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	for (i = 0; i < 20000; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return -1;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			if (strtol(buf, NULL, 10) == nr &&
			    pu_state(tid) == 'S') {
				pu_sleep_ms(20);
				return 0;
			}
		}
		pu_sleep_ms(1);
	}
	return -1;
}

/* Drop to uid/gid 1000 (or @uid) for good; 0 on success. */
static inline int pu_drop(uid_t ruid, uid_t euid, uid_t suid)
{
	if (setresgid(PU_GID, PU_GID, PU_GID))
		return -1;
	return setresuid(ruid, euid, suid);
}

/*
 * A debug kernel (kmemleak, and with it KASAN in our debug lane): slow, and
 * its freed objects linger in quarantine, so slab counts say nothing.
 */
static inline int pu_debug_kernel(void)
{
	return access("/sys/kernel/debug/kmemleak", F_OK) == 0;
}

/*
 * Loop bound for stress loops: @want iterations, but stop after @budget_s
 * seconds once @least are done (debug kernels under TCG are slow).
 */
static inline int pu_more(int i, int want, int least, uint64_t deadline)
{
	if (i >= want)
		return 0;
	return i < least || pu_now() < deadline;
}

/* Open files of the module: /sys/module/mailslot/refcnt, or -1. */
static inline long pu_module_refs(void)
{
	char buf[32];
	ssize_t n;
	int fd = open("/sys/module/mailslot/refcnt", O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/*
 * A slot named "@prefix-PID-@tag" in @name with default limits and the
 * server's MAILSLOT_CREATE_* @flags; returns the server fd, or -1.
 */
static inline int pu_slot_create(char *name, size_t len, const char *prefix,
				 const char *tag, unsigned int flags)
{
	struct mailslot_create c;
	int ctl, fd;

	snprintf(name, len, "%s-%d-%s", prefix, getpid(), tag);
	memset(&c, 0, sizeof(c));
	c.name = (uintptr_t)name;
	c.flags = flags;
	ctl = pu_control();
	if (ctl < 0)
		return -1;
	fd = ioctl(ctl, MAILSLOT_IOC_CREATE, &c);
	close(ctl);
	return fd;
}

static inline int pu_slot_open(const char *name, int flags)
{
	char path[512];

	snprintf(path, sizeof(path), MAILSLOT_DEV_DIR "/%s", name);
	return open(path, flags | O_CLOEXEC);
}

/* At least @want open files (many objects per test). */
static inline int pu_raise_nofile(unsigned int want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -1;
	if (rl.rlim_cur >= want)
		return 0;
	rl.rlim_cur = want;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	return setrlimit(RLIMIT_NOFILE, &rl);
}

#endif /* _PROC_UTIL_H */
