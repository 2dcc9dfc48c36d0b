/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the files of the mailslot module.  Each .c file owns
 * one object and its lock; the others only call the functions listed here.
 */
#ifndef _MAILSLOT_INTERNAL_H
#define _MAILSLOT_INTERNAL_H

#include <linux/fs.h>
#include <linux/wait.h>
#include <linux/mailslot.h>

/* slot.c: named slots, their nodes and handles (server, listeners, writers). */
int mailslot_slots_init(void);
void mailslot_slots_exit(void);
int mailslot_slot_create(const struct mailslot_create __user *uarg);

/*
 * For wait.c: the wait queue a reader handle wakes when a message arrives,
 * or NULL when @file is not a reading slot handle.  Stable while the caller
 * holds a reference to @file.
 */
wait_queue_head_t *mailslot_reader_waitqueue(struct file *file);
/*
 * True while the reader's queue is not empty, or once the slot is closed
 * (read() returns end of file without waiting).  *@gen changes whenever the
 * queue becomes empty, so that a caller can tell that a reader it saw
 * signaled twice was signaled all the time in between.
 */
bool mailslot_reader_signaled(struct file *file, u64 *gen);

/* procobj.c: process objects. */
int mailslot_proc_open(const struct mailslot_proc_open __user *uarg);
/* As above, for process-object files; NULL when @file is not one. */
wait_queue_head_t *mailslot_proc_waitqueue(struct file *file);
bool mailslot_proc_signaled(struct file *file);

/* relay.c: MAILSLOT_IOC_RELAY_OPEN on the control fd @control. */
int mailslot_relay_open(struct file *control,
			const struct mailslot_relay_open __user *uarg);

/* wait.c: MAILSLOT_IOC_WAIT. */
int mailslot_wait(struct mailslot_wait __user *uarg);

#endif /* _MAILSLOT_INTERNAL_H */
