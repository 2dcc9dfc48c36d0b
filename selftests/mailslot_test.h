/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The helpers of the mailslot tests: every selftests/NAME_test.c and the C
 * tests of userlib/tests include this one header.  One prefix, mst_ (MST_
 * for macros), and one signature per helper.
 *
 * Sections: the control device; slots; process objects; waits; the system
 * (time, users, files, module parameters, cgroups, slab counting, procfs).
 * The helpers return -errno (or -1 where noted) on failure, never exit, and
 * assert nothing: the tests do.  MST_NEED_MODULE() needs
 * kselftest_harness.h, which may be included after this header.
 */
#ifndef _MAILSLOT_TEST_H
#define _MAILSLOT_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
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
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/mailslot.h>

#define MST_U64(p)	((__u64)(uintptr_t)(p))
#define MST_MS		1000000ULL
#define MST_SEC		1000000000ULL

/* ------------------------------------------------ the control device */

static inline int mst_have_module(void)
{
	return access(MAILSLOT_CONTROL_PATH, F_OK) == 0;
}

/* Skips the test (kselftest_harness.h) when the module is not loaded. */
#define MST_NEED_MODULE() do {						\
	if (!mst_have_module())						\
		SKIP(return, "%s missing: mailslot.ko not loaded",	\
		     MAILSLOT_CONTROL_PATH);				\
} while (0)

static inline int mst_control(void)
{
	return open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
}

/* ------------------------------------------------------------- slots */

/*
 * A name no other test (nor another program of the suite) uses:
 * "t-<pid>-<tag>-<n>".  The string stays valid for the next 15 calls.
 */
static inline const char *mst_name(const char *tag)
{
	static char buf[16][128];
	static unsigned int n;
	char *b = buf[n % 16];

	snprintf(b, sizeof(buf[0]), "t-%d-%s-%u", getpid(), tag, n);
	n++;
	return b;
}

/* The device node of slot @name: MAILSLOT_DEV_DIR/@name. */
static inline void mst_slot_path(char *path, size_t len, const char *name)
{
	snprintf(path, len, "%s/%s", MAILSLOT_DEV_DIR, name);
}

/* MAILSLOT_IOC_CREATE on @ctl with @c (name filled in); the fd or -errno. */
static inline int mst_slot_create_at(int ctl, struct mailslot_create *c,
				     const char *name)
{
	int fd;

	c->name = MST_U64(name);
	fd = ioctl(ctl, MAILSLOT_IOC_CREATE, c);
	return fd < 0 ? -errno : fd;
}

/* MAILSLOT_IOC_CREATE with @c (name filled in); the fd or -errno. */
static inline int mst_slot_create_args(struct mailslot_create *c,
				       const char *name)
{
	int ctl = mst_control(), fd;

	if (ctl < 0)
		return -errno;
	fd = mst_slot_create_at(ctl, c, name);
	close(ctl);
	return fd;
}

/* A slot with the module's defaults; the server fd or -errno. */
static inline int mst_slot_create(const char *name)
{
	struct mailslot_create c;

	memset(&c, 0, sizeof(c));
	return mst_slot_create_args(&c, name);
}

/* A slot with the server's MAILSLOT_CREATE_* @flags; the fd or -errno. */
static inline int mst_slot_create_flags(const char *name, unsigned int flags)
{
	struct mailslot_create c;

	memset(&c, 0, sizeof(c));
	c.flags = flags;
	return mst_slot_create_args(&c, name);
}

/*
 * A slot anyone may open (mode 0666) with the server's MAILSLOT_CREATE_*
 * @flags, @overflow and @max_msgs (0: the default); the fd or -errno.
 */
static inline int mst_slot_create_shared(const char *name, unsigned int flags,
					 unsigned int overflow,
					 unsigned int max_msgs)
{
	struct mailslot_create c;

	memset(&c, 0, sizeof(c));
	c.flags = flags;
	c.overflow = overflow;
	c.max_msgs = max_msgs;
	c.mode = 0666;
	return mst_slot_create_args(&c, name);
}

/* A slot with these limits (0: the default); the server fd or -errno. */
static inline int mst_slot_create_lim(const char *name, unsigned int max_msg,
				      unsigned int max_msgs,
				      unsigned int max_bytes,
				      unsigned int overflow, uint64_t timeout)
{
	struct mailslot_create c;

	memset(&c, 0, sizeof(c));
	c.max_msg_size = max_msg;
	c.max_msgs = max_msgs;
	c.max_bytes = max_bytes;
	c.overflow = overflow;
	c.read_timeout_ns = timeout;
	return mst_slot_create_args(&c, name);
}

/* open(2) of slot @name (O_CLOEXEC added); the fd, or -1 with errno. */
static inline int mst_slot_open(const char *name, int flags)
{
	char path[512];

	mst_slot_path(path, sizeof(path), name);
	return open(path, flags | O_CLOEXEC);
}

/* MAILSLOT_IOC_GET_INFO into @info (poisoned first); 0, or -1 with errno. */
static inline int mst_slot_info(int fd, struct mailslot_info *info)
{
	memset(info, 0xff, sizeof(*info));
	return ioctl(fd, MAILSLOT_IOC_GET_INFO, info);
}

/* Messages queued for @fd, or ~0 when MAILSLOT_IOC_GET_INFO fails. */
static inline __u64 mst_slot_queued(int fd)
{
	struct mailslot_info info;

	if (mst_slot_info(fd, &info))
		return ~0ULL;
	return info.msgs;
}

static inline int mst_slot_set_timeout(int fd, uint64_t ns)
{
	return ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &ns);
}

/* -------------------------------------------------- process objects */

#define MST_EXSZ	((ssize_t)sizeof(struct mailslot_proc_exit))

/* MAILSLOT_IOC_PROC_OPEN on @ctl; the fd or -errno. */
static inline int mst_proc_open_at(int ctl, pid_t pid, unsigned int flags)
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
static inline int mst_proc_open(pid_t pid, unsigned int flags)
{
	int ctl = mst_control(), fd;

	if (ctl < 0)
		return -errno;
	fd = mst_proc_open_at(ctl, pid, flags);
	close(ctl);
	return fd;
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* pidfd_open(2) (no libc wrapper needed); the pidfd, or -1 with errno. */
static inline int mst_pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

/* read(2) of a process object; sizeof(*ex) or -errno. */
static inline ssize_t mst_proc_read(int fd, struct mailslot_proc_exit *ex)
{
	ssize_t n;

	memset(ex, 0xa5, sizeof(*ex));
	n = read(fd, ex, sizeof(*ex));
	return n < 0 ? -errno : n;
}

/* 1 when @fd polls readable right now, 0 when not, -errno on error. */
static inline int mst_signaled(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, 0);

	if (r < 0)
		return -errno;
	if (p.revents & ~(POLLIN | POLLRDNORM))
		return -EIO;
	return r == 1;
}

static inline void mst_sleep_ms(unsigned int ms);

/*
 * A child that blocks until its end of @pipefd is closed (or a byte
 * arrives), then exits with @code.  Returns its pid; the caller keeps
 * pipefd[1] and lets it go with mst_release().
 */
static inline pid_t mst_spawn(int code, int pipefd[2])
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
 * Let an mst_spawn() child go: a byte, since later children may have
 * inherited the write end.
 */
static inline void mst_release(int pipefd[2])
{
	if (pipefd[1] >= 0) {
		if (write(pipefd[1], "x", 1) != 1)
			perror("mst_release");
		close(pipefd[1]);
	}
	pipefd[1] = -1;
}

/* State letter of /proc/PID/stat ('Z' for a zombie), or 0. */
static inline char mst_state(pid_t pid)
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

/* Wait (up to 10 s) until /proc shows @pid a zombie; 0 on success. */
static inline int mst_wait_zombie(pid_t pid)
{
	int i;

	for (i = 0; i < 10000; i++) {
		if (mst_state(pid) == 'Z')
			return 0;
		mst_sleep_ms(1);
	}
	return -1;
}

/*
 * Wait (up to 10 s) until the child @pid can be reaped (waitid WNOWAIT:
 * its exit is complete, which is later than /proc's 'Z'); 0 on success.
 */
static inline int mst_wait_exited(pid_t pid)
{
	siginfo_t si;
	int i;

	for (i = 0; i < 10000; i++) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT))
			return -1;
		if (si.si_pid == pid)
			return 0;
		mst_sleep_ms(1);
	}
	return -1;
}

/*
 * Wait (up to 20 s) until thread @tid of this process sits in system call
 * @nr (from /proc/self/task/TID/syscall), then a little longer so that it
 * is asleep; 0 on success.
 */
static inline int mst_wait_in_syscall(pid_t tid, long nr)
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
			    mst_state(tid) == 'S') {
				mst_sleep_ms(20);
				return 0;
			}
		}
		mst_sleep_ms(1);
	}
	return -1;
}

/* ------------------------------------------------------------- waits */

/* MAILSLOT_IOC_WAIT; 0 (wait-all) or the index, or -errno. */
static inline int mst_wait(const int *fds, unsigned int count,
			   unsigned int flags, uint64_t timeout_ns)
{
	struct mailslot_wait w;
	int ctl = mst_control(), r, err;

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

/* ------------------------------------------------------------ the system */

/* time */

static inline uint64_t mst_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * MST_SEC + ts.tv_nsec;
}

static inline void mst_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Loop bound for stress loops: @want iterations, but stop once @deadline
 * (mst_now_ns()) has passed and @least are done (debug kernels under TCG
 * are slow).
 */
static inline int mst_more(int i, int want, int least, uint64_t deadline)
{
	if (i >= want)
		return 0;
	return i < least || mst_now_ns() < deadline;
}

/*
 * A debug kernel (kmemleak, and with it KASAN in our debug lane): slow, and
 * its freed objects linger in quarantine, so slab counts say nothing.
 */
static inline int mst_debug_kernel(void)
{
	return access("/sys/kernel/debug/kmemleak", F_OK) == 0;
}

/* users: the unprivileged user of the tests */

#define MST_UID		1000
#define MST_GID		1000

/* Become uid/gid 1000, no supplementary groups (in a child); 0 or -1. */
static inline int mst_drop_privs(void)
{
	if (setgroups(0, NULL) && errno != EPERM)
		return -1;
	if (setresgid(MST_GID, MST_GID, MST_GID))
		return -1;
	return setresuid(MST_UID, MST_UID, MST_UID);
}

/* gid 1000 and these uids, keeping the groups (in a child); 0 or -1. */
static inline int mst_drop_uids(uid_t ruid, uid_t euid, uid_t suid)
{
	if (setresgid(MST_GID, MST_GID, MST_GID))
		return -1;
	return setresuid(ruid, euid, suid);
}

/* Run @fn in a child with uid 1000; returns its exit status (or -1). */
static inline int mst_as_user(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (!pid) {
		if (mst_drop_privs())
			_exit(99);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* At least @want open files (many objects per test); 0 or -1. */
static inline int mst_raise_nofile(unsigned int want)
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

/* files (sysfs, procfs, cgroupfs) */

/* The contents of @path as a string in @buf; 0, or -1. */
static inline int mst_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
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

/* @s written to @path in one write(2); 0, or -1. */
static inline int mst_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/*
 * The number in @path (@key NULL), or on its line "@key N"; -1 when the
 * file or the key is missing.
 */
static inline long mst_read_long(const char *path, const char *key)
{
	char buf[4096], *p;

	if (mst_read_file(path, buf, sizeof(buf)) || !buf[0])
		return -1;
	if (!key)
		return strtol(buf, NULL, 10);
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, strlen(key)) && p[strlen(key)] == ' ')
			return strtol(p + strlen(key) + 1, NULL, 10);
	return -1;
}

/* module parameters and state */

#define MST_PARAM_DIR	"/sys/module/mailslot/parameters/"

/* Module parameter @name, or -1 when unreadable. */
static inline long long mst_param_get(const char *name)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), MST_PARAM_DIR "%s", name);
	if (mst_read_file(path, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 0);
}

static inline int mst_param_set(const char *name, long long v)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), MST_PARAM_DIR "%s", name);
	snprintf(buf, sizeof(buf), "%lld", v);
	return mst_write_file(path, buf);
}

/* Every module parameter, for tests that change some of them. */
#define MST_NPARAMS	5

struct mst_params {
	long long v[MST_NPARAMS];
};

static inline const char *mst_param_name(int i)
{
	static const char *const names[MST_NPARAMS] = {
		"max_slots", "max_slots_per_user", "max_queued_bytes_per_user",
		"max_msg_size", "max_readers_per_slot",
	};

	return names[i];
}

/* Read them all into @p; 0 when every one was read (and is above 0). */
static inline int mst_params_save(struct mst_params *p)
{
	int i, bad = 0;

	for (i = 0; i < MST_NPARAMS; i++) {
		p->v[i] = mst_param_get(mst_param_name(i));
		bad |= p->v[i] <= 0;
	}
	return bad ? -1 : 0;
}

/* Set back every one that mst_params_save() read. */
static inline void mst_params_restore(const struct mst_params *p)
{
	int i;

	for (i = 0; i < MST_NPARAMS; i++)
		if (p->v[i] > 0)
			mst_param_set(mst_param_name(i), p->v[i]);
}

/* Open files of the module: /sys/module/mailslot/refcnt, or -1. */
static inline long mst_module_refs(void)
{
	return mst_read_long("/sys/module/mailslot/refcnt", NULL);
}

/* cgroups */

#define MST_CGROUP_ROOT	"/sys/fs/cgroup"

/* slab counting */

/* Active objects of slab caches whose name starts with @prefix, or -1. */
static inline long mst_slab_active(const char *prefix)
{
	char line[512], name[128];
	long active, total = -1;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %ld", name, &active) != 2)
			continue;
		if (strncmp(name, prefix, strlen(prefix)))
			continue;
		if (!strcmp(prefix, "pid") && strcmp(name, "pid"))
			continue;
		total = (total < 0 ? 0 : total) + active;
	}
	fclose(f);
	return total;
}

/* procfs: /proc/mailslot lists every live slot */

#define MST_PROCFS	"/proc/mailslot"

/* One line of /proc/mailslot. */
struct mst_procfs_row {
	char name[300];
	unsigned int uid, gid, mode, readers, writers;
	unsigned long long msgs, bytes, drops, sent, received;
};

/*
 * Find slot @name in /proc/mailslot (its header line into @header when
 * not NULL): 1 found (@r filled in), 0 not listed, -1 on error (also a
 * line that does not parse).
 */
static inline int mst_procfs_find(const char *name, struct mst_procfs_row *r,
				  char *header, size_t hlen)
{
	FILE *f = fopen(MST_PROCFS, "r");
	char line[1024];
	int found = 0;

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	if (header)
		snprintf(header, hlen, "%s", line);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%299s %u %u %o %u %u %llu %llu %llu %llu %llu",
			   r->name, &r->uid, &r->gid, &r->mode, &r->readers,
			   &r->writers, &r->msgs, &r->bytes, &r->drops,
			   &r->sent, &r->received) != 11) {
			fclose(f);
			return -1;
		}
		if (!strcmp(r->name, name)) {
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

#endif /* _MAILSLOT_TEST_H */
