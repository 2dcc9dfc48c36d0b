/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libmailslot: the user-space interface to the mailslot kernel module.
 *
 * Windows-style mailslots (named, one-way, message-oriented queues with
 * fan-out to every listener) and signaled process objects, in POSIX style.
 * See mailslot(7) for the model and one man page per function.
 *
 * Error convention (every function that returns int or ssize_t):
 *   a value >= 0 means success; a negative value is -errno (for example
 *   -ENOENT, -EMSGSIZE, -ETIMEDOUT).  The library never reports errors
 *   through errno; errno is unspecified after a call (system calls made
 *   inside may change it).
 *
 * Timeouts are in milliseconds, as in Windows and poll(2):
 *   MAILSLOT_FOREVER (-1) waits forever, 0 never waits, n > 0 waits at most
 *   n ms.  mailslot_recv() and mailslot_recv_batch() also accept
 *   MAILSLOT_HANDLE_TIMEOUT (-2): the handle's own read timeout (set at
 *   creation or with mailslot_set_timeout()), exactly as read(2) waits.
 *
 * Threads: the library keeps no global state.  Every function may be
 * called from any thread; handles are plain file descriptors, opened
 * O_CLOEXEC, and may be shared like any fd.
 */
#ifndef LIBMAILSLOT_H
#define LIBMAILSLOT_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <linux/mailslot.h>

#ifdef __cplusplus
extern "C" {
#endif

/* LIBMAILSLOT_VERSION ("0.2.0") and its _MAJOR, _MINOR and _PATCH numbers. */
#include <libmailslot_version.h>

/* Timeouts in milliseconds. */
#define MAILSLOT_FOREVER		(-1)	/* INFINITE / MAILSLOT_WAIT_FOREVER */
#define MAILSLOT_HANDLE_TIMEOUT		(-2)	/* mailslot_recv*(): the handle's */

/**
 * struct mailslot_attr - options of mailslot_create() (CreateMailslot)
 * @max_msg_size:	largest message in bytes (0 = 65536).
 * @max_msgs:		queue depth of each reader in messages (0 = 256).
 * @max_bytes:		queue depth of each reader in bytes (0 = 1 MiB or
 *			max_msg_size, whichever is larger).
 * @mode:		permissions of /dev/mailslot/NAME (0 = 0600).
 * @read_timeout_ms:	default read timeout of every handle of the slot:
 *			MAILSLOT_FOREVER, 0 = never wait, or milliseconds.
 * @overflow:		MAILSLOT_OVERFLOW_BLOCK, _FAIL or _DROP.
 * @flags:		MAILSLOT_CREATE_NONBLOCK: the server fd is O_NONBLOCK.
 * @reserved:		must be zero.
 *
 * Initialise with MAILSLOT_ATTR_INIT, then change what you need.  A NULL
 * attr means MAILSLOT_ATTR_INIT.
 */
struct mailslot_attr {
	unsigned int max_msg_size;
	unsigned int max_msgs;
	unsigned int max_bytes;
	unsigned int mode;
	int read_timeout_ms;
	int overflow;
	unsigned int flags;
	unsigned int reserved[9];
};

#define MAILSLOT_ATTR_INIT { .read_timeout_ms = MAILSLOT_FOREVER }

/* Slots (CreateMailslot, CreateFile, WriteFile, ReadFile). */
int mailslot_create(const char *name, const struct mailslot_attr *attr);
int mailslot_open(const char *name, int flags);
ssize_t mailslot_send(int fd, const void *buf, size_t len);
ssize_t mailslot_sendv(int fd, const struct iovec *iov, int iovcnt);
ssize_t mailslot_recv(int fd, void *buf, size_t len,
		      struct mailslot_msg_info *info, int timeout_ms);
int mailslot_recv_batch(int fd, void *buf, size_t len, unsigned int max_msgs,
			size_t *bytes, int timeout_ms);

/* GetMailslotInfo, SetMailslotInfo. */
int mailslot_get_info(int fd, struct mailslot_info *info);
int mailslot_set_timeout(int fd, int timeout_ms);

/* Process objects and waits (OpenProcess, WaitFor*Object*, GetExitCodeProcess). */
int mailslot_proc_open(pid_t pid, unsigned int flags);
/* The process of a pidfd (pidfd_open(2), clone(2)); since 0.2. */
int mailslot_proc_open_pidfd(int pidfd, unsigned int flags);
int mailslot_wait_one(int fd, int timeout_ms);
int mailslot_wait_many(const int *fds, unsigned int count, unsigned int flags,
		       int timeout_ms);
int mailslot_proc_status(int fd, struct mailslot_proc_exit *exit_info);

/* The library's version, "MAJOR.MINOR.PATCH". */
const char *mailslot_version(void);

/*
 * Walking the records of mailslot_recv_batch(): each record is a struct
 * mailslot_msg_info followed by info->size payload bytes, padded to 8.
 *
 *	struct mailslot_msg_info *rec;
 *	mailslot_for_each_record(rec, buf, bytes)
 *		use(mailslot_record_payload(rec), rec->size);
 */
static inline void *mailslot_record_payload(const struct mailslot_msg_info *rec)
{
	return (char *)rec + sizeof(*rec);
}

static inline struct mailslot_msg_info *
mailslot_record_next(const void *buf, size_t bytes,
		     const struct mailslot_msg_info *rec)
{
	size_t off;

	if (!rec)
		off = 0;
	else
		off = (size_t)((const char *)rec - (const char *)buf) +
		      (size_t)MAILSLOT_RECORD_SIZE(rec->size);
	if (off + sizeof(*rec) > bytes ||
	    ((const struct mailslot_msg_info *)((const char *)buf + off))->size >
	    bytes - off - sizeof(*rec))
		return NULL;
	return (struct mailslot_msg_info *)((char *)buf + off);
}

#define mailslot_for_each_record(rec, buf, bytes)			\
	for ((rec) = mailslot_record_next((buf), (bytes), NULL); (rec);	\
	     (rec) = mailslot_record_next((buf), (bytes), (rec)))

#ifdef __cplusplus
}
#endif

#endif /* LIBMAILSLOT_H */
