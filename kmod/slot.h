/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by slot.c (names, nodes, handles, lifetime, listing)
 * and msg.c (queues, read, write, poll, ioctls).  See docs/design-slots.md.
 *
 * Locks, outermost first:
 *   mailslot_names_lock (mutex, slot.c)  the name table, the list of live
 *                                        slots, minors and device nodes.
 *   mailslot_reader.read_mutex           one read at a time per handle.
 *   mailslot_slot.lock (spinlock)        everything about the slot's queue.
 * No lock is held across copy_*_user, allocation or sleep, except the
 * mutexes; messages are freed after the spinlock is dropped.
 */
#ifndef _MAILSLOT_SLOT_H
#define _MAILSLOT_SLOT_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "internal.h"

struct mailslot_user;
struct user_namespace;

/**
 * struct mailslot_msg - one message, shared by every reader that has it
 * @node:	link in mailslot_slot.msgs; protected by the slot lock.
 * @ref:	the slot's list holds one reference while @node is linked, a
 *		reader copying the message out holds another.
 * @pending:	readers that still have the message queued; protected by
 *		the slot lock.  Messages with @pending == 0 form a prefix of
 *		the list and are unlinked at once.
 * @user:	the opener of the writing handle (its euid), charged
 *		struct_size(msg, data, size) bytes until the message leaves
 *		the server's queue (or is freed unqueued).
 * @pid:	thread group of the task that wrote it; NULL for a message
 *		delivered by the relay (MAILSLOT_MSG_RELAYED), whose struct
 *		mailslot_msg_origin follows the payload (@data + @size).
 * @seq:	per-slot sequence number; set under the slot lock, then
 *		constant like every field below.
 * @time_ns:	CLOCK_MONOTONIC when queued.
 * @gid:	egid of the writing handle's opener (the euid is @user's).
 * @size:	payload bytes.
 * @data:	the payload when it fits a page with the header; for one
 *		of up to a page, the address of its buffer; for a larger
 *		one, the pointers to the chunks or pages that hold it
 *		(msg.c, mailslot_msg_split(), mailslot_msg_paged()).
 *
 * 64 bytes before @data, so that a 64-byte message fits kmalloc-128 as
 * an mqueue message does.
 */
struct mailslot_msg {
	struct list_head node;
	refcount_t ref;
	u32 pending;
	struct mailslot_user *user;
	struct pid *pid;
	u64 seq;
	u64 time_ns;
	kgid_t gid;
	u32 size;
	u8 data[];
};

/**
 * struct mailslot_reader - the queue of one reading handle
 * @node:	link in mailslot_slot.readers; protected by the slot lock.
 * @next:	next unread message, NULL when caught up; the reader's queue
 *		is @next and every message after it.  Slot lock; written
 *		with WRITE_ONCE(), since a waiting reader looks at it
 *		without the lock (READ_ONCE(), msg.c).
 * @msgs:	messages queued for this reader.  Slot lock.
 * @bytes:	payload bytes queued for this reader.  Slot lock.
 * @drops:	messages this reader lost to MAILSLOT_OVERFLOW_DROP.  Slot lock.
 * @gen:	bumped whenever the queue becomes empty (a wait stops seeing
 *		it signaled).  Slot lock.
 * @wait:	woken (EPOLLIN) when a message arrives and (EPOLLHUP) when the
 *		server closes.
 * @read_mutex:	serializes reads on the handle; never held while waiting
 *		for a message.
 * @unlock_wait: woken when @read_mutex is released, for readers that wait
 *		for it with a finite timeout.
 * @timeout_ns:	read timeout of the handle; READ_ONCE/WRITE_ONCE.
 * @server:	this is the server's queue; constant.
 */
struct mailslot_reader {
	struct list_head node;
	struct mailslot_msg *next;
	u64 msgs;
	u64 bytes;
	u64 drops;
	u64 gen;
	wait_queue_head_t wait;
	struct mutex read_mutex;	/* serializes reads */
	wait_queue_head_t unlock_wait;
	u64 timeout_ns;
	bool server;
};

struct mailslot_node;

/**
 * struct mailslot_slot - a slot
 * @ref:	the server handle and every other handle hold a reference.
 * @lock:	protects the fields marked "slot lock" here and in
 *		struct mailslot_reader and struct mailslot_msg.
 * @msgs:	messages queued for at least one reader, oldest first.
 *		Slot lock.
 * @readers:	reading handles, the server's first.  Slot lock.
 * @dead:	the server has closed.  Slot lock; set once (WRITE_ONCE),
 *		and write() takes an early look without the lock.
 * @seq:	sequence number of the last message.  Slot lock.
 * @nmsgs:	messages on @msgs.  Slot lock.
 * @nbytes:	payload bytes on @msgs.  Slot lock.
 * @sent:	messages sent since creation.  Slot lock.
 * @received:	messages taken by readers since creation.  Slot lock.
 * @drops:	messages dropped, summed over readers.  Slot lock.
 * @nreaders:	reading handles.  Slot lock.
 * @nwriters:	writing handles.  Slot lock.
 * @wwait:	writers waiting for room (EPOLLOUT) or the end (EPOLLHUP).
 * @wake_work:	wakes @wwait one tick after a read that made room but left
 *		the queue above half full (msg.c, mailslot_read_wake()).
 * @hnode:	link in the name table; mailslot_names_lock.
 * @list:	link in the list of live slots; mailslot_names_lock.
 * @node:	the device node, NULL once removed; mailslot_names_lock.
 * @minor:	minor number, -1 when none; mailslot_names_lock.
 * @user:	the creator, charged one slot while the slot is live.
 * @user_ns:	the creator's user namespace, a reference; constant.  The
 *		slot is listed only to readers in it or an ancestor of it.
 * @uid:	owner of the node (creator's fsuid); constant.
 * @gid:	group of the node (creator's fsgid); constant.
 * @mode:	permission bits of the node; constant.
 * @max_msg_size: largest message; constant.
 * @max_msgs:	per-reader queue depth in messages; constant.
 * @max_bytes:	per-reader queue depth in bytes; constant.
 * @overflow:	enum mailslot_overflow; constant.
 * @listener_drop: MAILSLOT_CREATE_LISTENER_DROP: @overflow applies to the
 *		server's queue only, full listeners drop; constant.
 * @remote:	MAILSLOT_CREATE_REMOTE: the relay may deliver to it; constant.
 * @timeout_ns:	default read timeout of new handles; constant.
 * @name:	the name; constant.
 */
struct mailslot_slot {
	struct kref ref;
	spinlock_t lock;		/* see above */
	struct list_head msgs;
	struct list_head readers;
	bool dead;
	u64 seq;
	u64 nmsgs;
	u64 nbytes;
	u64 sent;
	u64 received;
	u64 drops;
	u32 nreaders;
	u32 nwriters;
	wait_queue_head_t wwait;
	struct delayed_work wake_work;
	struct hlist_node hnode;
	struct list_head list;
	struct mailslot_node *node;
	int minor;
	struct mailslot_user *user;
	struct user_namespace *user_ns;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	u32 max_msg_size;
	u32 max_msgs;
	u32 max_bytes;
	u32 overflow;
	bool listener_drop;
	bool remote;
	u64 timeout_ns;
	char name[MAILSLOT_NAME_MAX + 1];
};

/**
 * struct mailslot_handle - private data of every slot file
 * @slot:	the slot; the handle holds a reference.
 * @server:	this is the server handle.
 * @reads:	this handle has a queue (@reader is valid).
 * @writes:	this handle may send.
 * @user:	the opener (file->f_cred), for handles opened on the node:
 *		its messages are charged to it, and a listener's queue depth
 *		(@reserved) too; NULL for the server handle.  Constant.
 * @gid:	the opener's egid, reported with its messages; constant.
 * @reserved:	bytes charged to @user for the queue of a listener.
 * @reader:	the queue, when @reads.
 */
struct mailslot_handle {
	struct mailslot_slot *slot;
	bool server;
	bool reads;
	bool writes;
	struct mailslot_user *user;
	kgid_t gid;
	size_t reserved;
	struct mailslot_reader reader;
};

/* slot.c */
extern const struct file_operations mailslot_slot_fops;
void mailslot_slot_put(struct mailslot_slot *slot);

/* msg.c */
void mailslot_reader_init(struct mailslot_reader *r, u64 timeout_ns);
size_t mailslot_listener_reserve(const struct mailslot_slot *slot);
void mailslot_reader_attach(struct mailslot_slot *slot,
			    struct mailslot_reader *r);
void mailslot_reader_detach(struct mailslot_slot *slot,
			    struct mailslot_reader *r);
void mailslot_slot_wake_all(struct mailslot_slot *slot);
void mailslot_slot_wake_init(struct mailslot_slot *slot);
void mailslot_slot_wake_stop(struct mailslot_slot *slot);
ssize_t mailslot_read_iter(struct kiocb *iocb, struct iov_iter *to);
ssize_t mailslot_write_iter(struct kiocb *iocb, struct iov_iter *from);
ssize_t mailslot_read(struct file *file, char __user *buf, size_t count,
		      loff_t *ppos);
ssize_t mailslot_write(struct file *file, const char __user *buf,
		       size_t count, loff_t *ppos);
__poll_t mailslot_poll(struct file *file, struct poll_table_struct *pt);
long mailslot_slot_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg);

/*
 * Relayed messages (relay.c): the live slot named @name, referenced (put
 * it with mailslot_slot_put()), or NULL.
 */
struct mailslot_slot *mailslot_slot_find(const char *name);
/*
 * Queue @size bytes from @buf in @slot as a message marked relayed, from
 * @origin, charged to @user (the relay handle's opener, with @gid) and
 * checked against the budget exemption of @file's opener.  Never waits.
 */
ssize_t mailslot_relay_deliver(struct mailslot_slot *slot,
			       struct mailslot_user *user, kgid_t gid,
			       const struct file *file,
			       const void __user *buf, size_t size,
			       const struct mailslot_msg_origin *origin);

#endif /* _MAILSLOT_SLOT_H */
