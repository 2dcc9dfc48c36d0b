/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mailslot: Windows-style mailslots and signaled process objects for Linux.
 *
 * This is the one contract between the kernel module and user space.
 *
 * Devices
 *   /dev/mailslot/control  mode 0666.  MAILSLOT_IOC_CREATE,
 *                          MAILSLOT_IOC_PROC_OPEN and MAILSLOT_IOC_WAIT.
 *   /dev/mailslot/NAME     one per slot, owned by the creator with the mode
 *                          given at creation.  open(O_WRONLY) gives a writer,
 *                          open(O_RDONLY) a listener (a reader with its own
 *                          queue), O_RDWR both.
 *
 * The behaviour, the limits and the error codes of every call are stated
 * once, in mailslot(7); this header holds the ABI.
 *
 *   /dev/mailslot/control also gives the relay handle
 *                          (MAILSLOT_IOC_RELAY_OPEN): see "Relayed
 *                          messages" below.
 *
 * Every fd the module returns is O_CLOEXEC and supports poll/select/epoll and
 * O_NONBLOCK.  All timeouts are in nanoseconds; MAILSLOT_TIMEOUT_INFINITE
 * waits forever.  Every flags and reserved field must be zero unless a flag is
 * defined for it, or the call fails with EINVAL.
 *
 * ioctl magic 0xB9, numbers 0x00-0x3f.  0xB9 is not listed in
 * Documentation/userspace-api/ioctl/ioctl-number.rst (its neighbours 0xB8
 * are mshv.h and mrvl_cn10k_dpi.h since 6.11, 0xBA liveupdate.h) and no
 * uapi header of Linux 7.3 uses it as an ioctl type.  (0.1 used 0xB8.)
 */
#ifndef _UAPI_LINUX_MAILSLOT_H
#define _UAPI_LINUX_MAILSLOT_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MAILSLOT_IOC_MAGIC		0xB9

#define MAILSLOT_DEV_DIR		"/dev/mailslot"
#define MAILSLOT_CONTROL_PATH		"/dev/mailslot/control"

/* Longest slot name in bytes, without the terminating NUL. */
#define MAILSLOT_NAME_MAX		255

/* Wait forever (read timeouts and MAILSLOT_IOC_WAIT). */
#define MAILSLOT_TIMEOUT_INFINITE	(~(__u64)0)

/* mailslot_info.next_size when no message is queued. */
#define MAILSLOT_NO_MESSAGE		(~(__u32)0)

/* Most objects in one MAILSLOT_IOC_WAIT. */
#define MAILSLOT_WAIT_MAX		64

/* Defaults used when a mailslot_create limit is zero. */
#define MAILSLOT_DEFAULT_MAX_MSG_SIZE	65536
#define MAILSLOT_DEFAULT_MAX_MSGS	256
#define MAILSLOT_DEFAULT_MAX_BYTES	(1024 * 1024)
#define MAILSLOT_DEFAULT_MODE		0600

/* Upper bounds for mailslot_create limits (larger values: EINVAL). */
#define MAILSLOT_MAX_MSGS_LIMIT		65536
#define MAILSLOT_MAX_BYTES_LIMIT	(64 * 1024 * 1024)

/*
 * mailslot_create.overflow: what a write does when a reader's queue is full
 * (with MAILSLOT_CREATE_LISTENER_DROP: when the server's queue is full).
 */
enum mailslot_overflow {
	MAILSLOT_OVERFLOW_BLOCK = 0,	/* sleep until every reader has room */
	MAILSLOT_OVERFLOW_FAIL = 1,	/* fail with EAGAIN, nobody gets it */
	MAILSLOT_OVERFLOW_DROP = 2	/* drop the full reader's oldest */
};

/* mailslot_create.flags */
#define MAILSLOT_CREATE_NONBLOCK	(1U << 0)	/* server fd O_NONBLOCK */
/*
 * Untrusted listeners lose messages instead of holding writers back: the
 * overflow mode applies to the server's queue only, and a listener whose
 * queue is full drops its oldest message (counted in its drops).
 */
#define MAILSLOT_CREATE_LISTENER_DROP	(1U << 1)
/*
 * Exported: the relay (MAILSLOT_IOC_RELAY_SEND) may deliver messages from
 * the network to the slot.  Without it nothing from the network reaches
 * the slot, whatever its mode.
 */
#define MAILSLOT_CREATE_REMOTE		(1U << 2)

/**
 * struct mailslot_create - argument of MAILSLOT_IOC_CREATE
 * @name:		user pointer to the NUL-terminated name: 1..255 bytes of
 *			printable ASCII, '/' separates components; no empty,
 *			"." or ".." component, no leading or trailing '/';
 *			"control" is reserved.
 * @read_timeout_ns:	default read timeout of every handle: 0 = never
 *			wait (EAGAIN when empty), MAILSLOT_TIMEOUT_INFINITE =
 *			wait forever, otherwise ETIMEDOUT after this long.
 * @mode:		permission bits of /dev/mailslot/NAME (0 = 0600;
 *			bits outside 0777: EINVAL).
 * @max_msg_size:	largest message in bytes (0 = 65536; at most the
 *			module parameter max_msg_size).
 * @max_msgs:		queue depth of each reader in messages
 *			(0 = 256, at most 65536).
 * @max_bytes:		queue depth of each reader in payload bytes
 *			(0 = max(1 MiB, max_msg_size), at most 64 MiB, never
 *			less than max_msg_size).
 * @overflow:		enum mailslot_overflow.
 * @flags:		MAILSLOT_CREATE_*.
 * @reserved:		must be zero.
 *
 * Returns the server fd (O_RDONLY, O_CLOEXEC): the first reader of the slot.
 * The slot and its node exist until the server fd is closed.
 */
struct mailslot_create {
	__u64 name;
	__u64 read_timeout_ns;
	__u32 mode;
	__u32 max_msg_size;
	__u32 max_msgs;
	__u32 max_bytes;
	__u32 overflow;
	__u32 flags;
	__u64 reserved[2];
};

/**
 * struct mailslot_msg_info - metadata of one received message
 * @seq:	per-slot sequence number, 1 for the first message sent.
 * @time_ns:	CLOCK_MONOTONIC time the message was queued.
 * @pid:	thread-group id of the process that wrote it, in the
 *		receiver's pid namespace (0 when not visible there).
 * @uid:	effective uid of the process that opened the writing handle
 *		(at open(2), as SO_PEERCRED), in the receiver's user namespace.
 *		Not the writing process's: a handle passed to a privileged
 *		program keeps its opener's identity.
 * @gid:	effective gid of the opener, likewise.
 * @size:	payload size in bytes.
 * @info_size:	sizeof(struct mailslot_msg_info) of the kernel that filled
 *		it (72 today).
 * @flags:	MAILSLOT_MSG_*: which later metadata in @reserved is set.
 * @reserved:	zero, except: with MAILSLOT_MSG_RELAYED it holds the
 *		message's struct mailslot_msg_origin, to be copied out
 *		(memcpy(&origin, info.reserved, sizeof(origin))).
 *		Room for metadata added later, flagged in @flags, with no new
 *		ioctl and no change of size.
 *
 * Filled in by the kernel; a sender cannot set it.  A relayed message
 * (MAILSLOT_MSG_RELAYED) has @pid 0 and the @uid and @gid of the opener
 * of the relay handle that delivered it.
 */
struct mailslot_msg_info {
	__u64 seq;
	__u64 time_ns;
	__u32 pid;
	__u32 uid;
	__u32 gid;
	__u32 size;
	__u32 info_size;
	__u32 flags;
	__u64 reserved[4];
};

/* mailslot_msg_info.flags */
/*
 * Delivered from the network by a relay through MAILSLOT_IOC_RELAY_SEND:
 * the origin is in @reserved.  No write(2) can set it.
 */
#define MAILSLOT_MSG_RELAYED	(1U << 0)

/**
 * struct mailslot_msg_origin - where a relayed message came from
 * @addr:	the datagram's source address as an IPv6 address; an IPv4
 *		address is mapped (::ffff:a.b.c.d).
 * @nb_name:	the NetBIOS source name of the datagram: 15 bytes padded
 *		with spaces, then the suffix (type) byte.
 *
 * As the relay saw them; the kernel checks neither.  The source port is
 * not kept: NetBIOS datagrams come from port 138, and an answer to a
 * mailslot write is a new write to the sender's own relay.
 */
struct mailslot_msg_origin {
	__u8 addr[16];
	__u8 nb_name[16];
};

/**
 * struct mailslot_recv - argument of MAILSLOT_IOC_RECV
 * @buf:	user pointer to the payload buffer.
 * @size:	its size; smaller than the next message: EMSGSIZE, the
 *		message stays queued and @info.size tells its size.
 * @flags:	must be zero.
 * @reserved:	must be zero.
 * @info:	out: the message's metadata.
 *
 * Returns the payload size.  Waits like read(2).
 */
struct mailslot_recv {
	__u64 buf;
	__u32 size;
	__u32 flags;
	__u64 reserved[2];
	struct mailslot_msg_info info;
};

/**
 * struct mailslot_recv_batch - argument of MAILSLOT_IOC_RECV_BATCH
 * @buf:	user pointer to the buffer that receives the records.
 * @size:	its size in bytes.
 * @max_msgs:	most messages to take (1..MAILSLOT_MAX_MSGS_LIMIT).
 * @flags:	must be zero.
 * @bytes:	out: bytes of @buf used; with EMSGSIZE, the size of the
 *		first record.
 * @reserved:	must be zero.
 *
 * Waits like read(2) for the first message, then takes, without waiting,
 * every further queued message that fits.  Each record is a struct
 * mailslot_msg_info followed by info.size payload bytes, padded to a
 * multiple of 8 (MAILSLOT_RECORD_SIZE).  Returns the number of messages;
 * EMSGSIZE when even the first record does not fit (it stays queued).
 */
struct mailslot_recv_batch {
	__u64 buf;
	__u64 size;
	__u32 max_msgs;
	__u32 flags;
	__u64 bytes;
	__u64 reserved[2];
};

#define MAILSLOT_RECORD_SIZE(payload) \
	((sizeof(struct mailslot_msg_info) + (__u64)(payload) + 7) & ~(__u64)7)

/* mailslot_info.flags */
#define MAILSLOT_INFO_READER	(1U << 0)	/* this handle reads */
#define MAILSLOT_INFO_WRITER	(1U << 1)	/* this handle writes */
#define MAILSLOT_INFO_SERVER	(1U << 2)	/* this is the server handle */
#define MAILSLOT_INFO_CLOSED	(1U << 3)	/* the server has closed */
#define MAILSLOT_INFO_REMOTE	(1U << 4)	/* MAILSLOT_CREATE_REMOTE */

/**
 * struct mailslot_info - result of MAILSLOT_IOC_GET_INFO (GetMailslotInfo)
 * @read_timeout_ns:	this handle's read timeout.
 * @msgs:		messages queued for this reader.
 * @bytes:		payload bytes queued for this reader.
 * @drops:		messages this reader lost to MAILSLOT_OVERFLOW_DROP.
 * @sent:		messages sent to the slot since it was created.
 * @max_msg_size:	largest message.
 * @next_size:		size of this reader's next message, or
 *			MAILSLOT_NO_MESSAGE.
 * @max_msgs:		per-reader queue depth in messages.
 * @max_bytes:		per-reader queue depth in bytes.
 * @readers:		readers of the slot, the server included.
 * @writers:		open writer handles.
 * @overflow:		enum mailslot_overflow.
 * @flags:		MAILSLOT_INFO_*.
 * @reserved:		zero.
 *
 * Reader fields are zero on a write-only handle.
 */
struct mailslot_info {
	__u64 read_timeout_ns;
	__u64 msgs;
	__u64 bytes;
	__u64 drops;
	__u64 sent;
	__u32 max_msg_size;
	__u32 next_size;
	__u32 max_msgs;
	__u32 max_bytes;
	__u32 readers;
	__u32 writers;
	__u32 overflow;
	__u32 flags;
	__u64 reserved[4];
};

/* mailslot_proc_open.flags */
#define MAILSLOT_PROC_NONBLOCK	(1U << 0)	/* object fd O_NONBLOCK */

/**
 * struct mailslot_proc_open - argument of MAILSLOT_IOC_PROC_OPEN (OpenProcess)
 * @pid:	process id (thread-group id) in the caller's pid namespace.
 * @flags:	MAILSLOT_PROC_*.
 * @reserved:	must be zero.
 *
 * Returns a process-object fd (O_RDONLY, O_CLOEXEC).  The caller must be
 * allowed to read the process's state (the rule of ptrace_may_access() with
 * PTRACE_MODE_READ_REALCREDS; see mailslot(7)).
 */
struct mailslot_proc_open {
	__u32 pid;
	__u32 flags;
	__u64 reserved;
};

/**
 * struct mailslot_proc_exit - what read(2) returns on a process object
 * @exit_time_ns:	CLOCK_MONOTONIC time the process was seen to exit.
 * @pid:		the process id in the reader's pid namespace (0 when
 *			not visible there).
 * @status:		exit status in wait(2) encoding (WIFEXITED,
 *			WEXITSTATUS, WIFSIGNALED, WTERMSIG, WCOREDUMP).
 * @comm:		the process's command name, NUL-terminated.
 * @reserved:		zero.
 *
 * read(2) blocks until the process has exited (O_NONBLOCK: EAGAIN); a
 * buffer smaller than this struct gets EINVAL.  Every read returns it again.
 */
struct mailslot_proc_exit {
	__u64 exit_time_ns;
	__u32 pid;
	__s32 status;
	char comm[16];
	__u64 reserved[2];
};

/* mailslot_wait.flags */
#define MAILSLOT_WAIT_ALL	(1U << 0)	/* all objects, not any */
#define MAILSLOT_WAIT_ABSOLUTE	(1U << 1)	/* timeout is CLOCK_MONOTONIC */

/**
 * struct mailslot_wait - argument of MAILSLOT_IOC_WAIT (WaitForMultipleObjects)
 * @timeout_ns:	relative timeout, or absolute CLOCK_MONOTONIC with
 *		MAILSLOT_WAIT_ABSOLUTE; MAILSLOT_TIMEOUT_INFINITE = forever.
 * @fds:	user pointer to an array of __s32 fds: process objects,
 *		reader handles of slots, and any other file that can be
 *		polled (pidfds in particular).
 * @count:	number of fds, 1..MAILSLOT_WAIT_MAX.
 * @flags:	MAILSLOT_WAIT_*.
 * @index:	out: wait-any: index of the lowest signaled object;
 *		wait-all: 0.
 * @reserved:	must be zero.
 *
 * A process object is signaled once its process has exited, a reader while
 * its queue is not empty or once the server has closed, any other file
 * while it polls readable (a pidfd: once its process has exited).  Waiting
 * consumes nothing; ETIMEDOUT on expiry.  See mailslot(7).
 */
struct mailslot_wait {
	__u64 timeout_ns;
	__u64 fds;
	__u32 count;
	__u32 flags;
	__u32 index;
	__u32 reserved;
};

/**
 * DOC: Relayed messages
 *
 * A relay (mailslotd(8)) delivers mailslot writes received from the network
 * to the local slot of that name.  It takes a relay handle with
 * MAILSLOT_IOC_RELAY_OPEN while privileged: both the caller and the opener
 * of the control fd need CAP_NET_ADMIN or CAP_SYS_ADMIN in the initial user
 * namespace (EPERM otherwise), so that no unprivileged process can lend a
 * privileged one its control fd, nor the reverse.  The relay may then drop
 * its privileges and keep the handle.  MAILSLOT_IOC_RELAY_SEND on it queues
 * one message, marked MAILSLOT_MSG_RELAYED with the origin given, in a slot
 * created with MAILSLOT_CREATE_REMOTE.  Nothing else can mark a message.
 */

/**
 * struct mailslot_relay_open - argument of MAILSLOT_IOC_RELAY_OPEN
 * @flags:	must be zero.
 * @reserved:	must be zero.
 *
 * Returns the relay handle (O_CLOEXEC); it supports only
 * MAILSLOT_IOC_RELAY_SEND.  Messages it delivers are charged to, and
 * report the uid and gid of, the opener of the relay handle.
 */
struct mailslot_relay_open {
	__u32 flags;
	__u32 reserved[3];
};

/**
 * struct mailslot_relay_send - argument of MAILSLOT_IOC_RELAY_SEND
 * @name:	user pointer to the NUL-terminated local slot name.
 * @buf:	user pointer to the payload.
 * @size:	payload bytes.
 * @flags:	must be zero.
 * @origin:	the origin the receiver reads back.
 * @reserved:	must be zero.
 *
 * Queues one message and returns @size, or fails without waiting:
 * EINVAL (flags, reserved, an empty name), ENAMETOOLONG, ENOENT (no such
 * slot, or it has closed), EACCES (the slot is not exported:
 * MAILSLOT_CREATE_REMOTE), EMSGSIZE (above the slot's largest message),
 * EAGAIN (a queue is full and the slot's overflow mode is not
 * MAILSLOT_OVERFLOW_DROP: a relay never waits for one slot), ENOSPC and
 * ENOMEM (budgets, as for write(2)), EFAULT.
 */
struct mailslot_relay_send {
	__u64 name;
	__u64 buf;
	__u32 size;
	__u32 flags;
	struct mailslot_msg_origin origin;
	__u64 reserved[2];
};

/* On /dev/mailslot/control */
#define MAILSLOT_IOC_CREATE	_IOW(MAILSLOT_IOC_MAGIC, 0x00, struct mailslot_create)
#define MAILSLOT_IOC_PROC_OPEN	_IOW(MAILSLOT_IOC_MAGIC, 0x01, struct mailslot_proc_open)
#define MAILSLOT_IOC_WAIT	_IOWR(MAILSLOT_IOC_MAGIC, 0x02, struct mailslot_wait)
#define MAILSLOT_IOC_RELAY_OPEN	_IOW(MAILSLOT_IOC_MAGIC, 0x03, struct mailslot_relay_open)

/* On a relay handle */
#define MAILSLOT_IOC_RELAY_SEND	_IOW(MAILSLOT_IOC_MAGIC, 0x20, struct mailslot_relay_send)

/*
 * On slot handles (server, listeners, writers).  FIONREAD works too on
 * readers: the size of the next message, 0 when none.
 */
#define MAILSLOT_IOC_GET_INFO	_IOR(MAILSLOT_IOC_MAGIC, 0x10, struct mailslot_info)
#define MAILSLOT_IOC_SET_TIMEOUT _IOW(MAILSLOT_IOC_MAGIC, 0x11, __u64)
#define MAILSLOT_IOC_RECV	_IOWR(MAILSLOT_IOC_MAGIC, 0x12, struct mailslot_recv)
#define MAILSLOT_IOC_RECV_BATCH	_IOWR(MAILSLOT_IOC_MAGIC, 0x13, struct mailslot_recv_batch)

#endif /* _UAPI_LINUX_MAILSLOT_H */
