/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the slot_*_test.c selftests. */
#ifndef _SLOT_UTIL_H
#define _SLOT_UTIL_H

#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/mailslot.h>

#define SLOT_TEST_UID	1000
#define SLOT_TEST_GID	1000

static inline int slot_control(void)
{
	return open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
}

/* Unique name "t-<pid>-<tag>-<n>" so tests never collide. */
static inline const char *slot_name(const char *tag)
{
	static char buf[8][128];
	static unsigned int n;
	char *b = buf[n % 8];

	snprintf(b, sizeof(buf[0]), "t-%d-%s-%u", getpid(), tag, n);
	n++;
	return b;
}

static inline void slot_path(char *path, size_t len, const char *name)
{
	snprintf(path, len, "%s/%s", MAILSLOT_DEV_DIR, name);
}

/* MAILSLOT_IOC_CREATE with @c (name filled in); returns the fd or -errno. */
static inline int slot_create_args(struct mailslot_create *c, const char *name)
{
	int ctl = slot_control(), fd, err;

	if (ctl < 0)
		return -errno;
	c->name = (uintptr_t)name;
	fd = ioctl(ctl, MAILSLOT_IOC_CREATE, c);
	err = errno;
	close(ctl);
	return fd < 0 ? -err : fd;
}

static inline int slot_create(const char *name)
{
	struct mailslot_create c;

	memset(&c, 0, sizeof(c));
	return slot_create_args(&c, name);
}

static inline int slot_create_lim(const char *name, unsigned int max_msg,
				  unsigned int max_msgs, unsigned int max_bytes,
				  unsigned int overflow, uint64_t timeout)
{
	struct mailslot_create c;

	memset(&c, 0, sizeof(c));
	c.max_msg_size = max_msg;
	c.max_msgs = max_msgs;
	c.max_bytes = max_bytes;
	c.overflow = overflow;
	c.read_timeout_ns = timeout;
	return slot_create_args(&c, name);
}

static inline int slot_open(const char *name, int flags)
{
	char path[300];

	slot_path(path, sizeof(path), name);
	return open(path, flags | O_CLOEXEC);
}

static inline int slot_info(int fd, struct mailslot_info *info)
{
	memset(info, 0xff, sizeof(*info));
	return ioctl(fd, MAILSLOT_IOC_GET_INFO, info);
}

static inline int slot_set_timeout(int fd, uint64_t ns)
{
	return ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &ns);
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static inline int read_file_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static inline int write_file_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

#define SLOT_PARAM_DIR "/sys/module/mailslot/parameters/"

static inline long long slot_param_get(const char *name)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), SLOT_PARAM_DIR "%s", name);
	if (read_file_str(path, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 0);
}

static inline int slot_param_set(const char *name, long long v)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), SLOT_PARAM_DIR "%s", name);
	snprintf(buf, sizeof(buf), "%lld", v);
	return write_file_str(path, buf);
}

/* Become uid/gid 1000 (in a forked child); returns 0 or -1. */
static inline int slot_drop_privs(void)
{
	if (setgroups(0, NULL) && errno != EPERM)
		return -1;
	if (setresgid(SLOT_TEST_GID, SLOT_TEST_GID, SLOT_TEST_GID))
		return -1;
	return setresuid(SLOT_TEST_UID, SLOT_TEST_UID, SLOT_TEST_UID);
}

/* Run @fn in a child with uid 1000; returns its exit status (or -1). */
static inline int slot_as_user(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (!pid) {
		if (slot_drop_privs())
			_exit(99);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#endif /* _SLOT_UTIL_H */
