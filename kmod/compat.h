/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for kernel-version differences.  The module builds for
 * the kernels of the lanes in scripts/lib.sh: Debian 11's 5.10, Debian 12's
 * 6.1 and 6.12 (and 6.12-rt), Debian 13's backported 7.3 (and 7.3-rt).
 */
#ifndef _MAILSLOT_COMPAT_H
#define _MAILSLOT_COMPAT_H

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/uio.h>
#include <linux/version.h>

/* no_llseek (NULL since 6.0) is gone in 6.12; NULL means the same. */
#ifndef no_llseek
#define no_llseek NULL
#endif

/* struct device_type.devnode takes a const device since 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define MAILSLOT_DEVNODE_CONST const
#else
#define MAILSLOT_DEVNODE_CONST
#endif

/*
 * A user buffer as the destination of copy_to_iter().  iov_iter_ubuf()
 * (ITER_UBUF, 6.0) and ITER_DEST (6.1) are missing in 5.10, where a
 * one-segment iovec iterator does the same; that iterator points to the
 * iovec, so the caller provides one that lives as long as the iterator
 * (unused on 6.1+).
 */
static inline void mailslot_iter_ubuf_dest(struct iov_iter *i,
					   struct iovec *iov,
					   void __user *buf, size_t len)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
	iov_iter_ubuf(i, ITER_DEST, buf, len);
#else
	iov->iov_base = buf;
	iov->iov_len = len;
	iov_iter_init(i, READ, iov, 1, len);
#endif
}

/* The same for a user buffer as the source of copy_from_iter(). */
static inline void mailslot_iter_ubuf_src(struct iov_iter *i,
					  struct iovec *iov,
					  void __user *buf, size_t len)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
	iov_iter_ubuf(i, ITER_SOURCE, buf, len);
#else
	iov->iov_base = buf;
	iov->iov_len = len;
	iov_iter_init(i, WRITE, iov, 1, len);
#endif
}

/*
 * Whether @task's dumpability lets the caller read its state, as ptrace's
 * access check has it: the task is dumpable by its owner, or the caller
 * has CAP_SYS_PTRACE in the user namespace recorded with that state.  Up to
 * 7.2 both live in the task's mm (none for a kernel thread: no
 * restriction) and coredump.h defines SUID_DUMP_USER; 7.3 moved them into
 * task->exec_state (RCU) and the values into enum task_dumpable.  Called
 * with task_lock(@task) held.
 */
#include <linux/sched/coredump.h>
#ifdef SUID_DUMP_USER
static inline bool mailslot_task_dump_readable(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	return !mm || get_dumpable(mm) == SUID_DUMP_USER ||
	       ns_capable_noaudit(mm->user_ns, CAP_SYS_PTRACE);
}
#else
#include <linux/sched/exec_state.h>
static inline bool mailslot_task_dump_readable(struct task_struct *task)
{
	const struct task_exec_state *es;
	bool ok;

	rcu_read_lock();
	es = rcu_dereference(task->exec_state);
	ok = !es || es->dumpable == TASK_DUMPABLE_OWNER ||
	     ns_capable_noaudit(es->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	return ok;
}
#endif

#endif /* _MAILSLOT_COMPAT_H */
