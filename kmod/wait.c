// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot: MAILSLOT_IOC_WAIT (WaitForSingleObject/WaitForMultipleObjects).
 *
 * The waiter holds a reference to every file for the whole call, so another
 * thread closing one of the fds meanwhile only drops the fd; the object
 * lives on until the wait is over.  An entry on each object's wait queue
 * counts wakeups and wakes the waiting task, which re-evaluates the objects
 * in TASK_RUNNING: a wakeup that arrives during an evaluation makes it
 * evaluate again instead of sleeping.
 *
 * Besides its own objects (process objects and slot readers) a wait takes
 * any other file that can be polled, pidfds in particular: it is signaled
 * while vfs_poll() reports it readable (EPOLLIN, or EPOLLHUP/EPOLLERR,
 * which poll(2) always reports), and our entries go on every queue its
 * ->poll() names, as vhost and epoll do.  Nothing else of such a file is
 * looked at: the module never needs to know what it is.
 *
 * Wait-all takes a double-collect snapshot: every object's (signaled, gen)
 * is read twice; when all are signaled and no gen changed in between, all
 * of them were signaled at one moment between the two passes.  A reader's
 * gen counts only its changes from signaled to not signaled (the queue
 * became empty), so messages arriving at a signaled reader never disturb a
 * snapshot.  Process objects never become non-signaled, their gen is
 * always 0.  So is a foreign file's: the module cannot see it become
 * unreadable, so for a foreign file the snapshot is exact only when its
 * readiness lasts (a pidfd stays readable once its process has exited).
 *
 * While it sleeps, only the objects that can decide the outcome may wake
 * the waiter: in a wait-all, the one found not signaled (the blocker); in
 * a wait-any, every object.  A busy reader that is already signaled thus
 * costs a wait-all nothing until the blocker changes.
 *
 * A signal ends the wait with EINTR, never restarted (as poll(2), select(2)
 * and epoll_wait(2)): a restart could not know how much of a relative
 * timeout is left.
 */
#include <linux/atomic.h>
#include <linux/file.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "internal.h"
#include "trace.h"

/* Most wait queues one foreign file may name in its ->poll(). */
#define WAIT_FOREIGN_QUEUES	2

/* What makes a foreign file signaled: a read would not block. */
#define WAIT_READABLE	(EPOLLIN | EPOLLRDNORM | EPOLLHUP | EPOLLERR)

/* mailslot_waiter.blocker of a wait-any: every object may wake it. */
#define WAIT_ANY_WAKES	U32_MAX

struct mailslot_waiter;

enum wait_kind { WAIT_READER, WAIT_PROC, WAIT_FOREIGN };

/**
 * struct mailslot_wait_obj - one object of a wait
 * @file:	a reference, held from fget() to the end of the call.
 * @kind:	what @file is.
 * @nqueues:	entries in use: 1 for our own objects, the number of queues
 *		a foreign file named (at most WAIT_FOREIGN_QUEUES).
 * @wqh:	the queues our entries are on.  Our own objects' queue is
 *		stable while @file is held; a foreign queue is stable too,
 *		unless its owner frees it with POLLFREE: then the wake
 *		callback takes our entry off and sets the pointer to NULL
 *		(smp_store_release, as epoll does).
 * @entry:	our entries on @wqh; @entry.private is the waiter, which finds
 *		the object by the entry's place in its @objs.
 * @gen:	first-pass generation of a wait-all snapshot; waiter only.
 */
struct mailslot_wait_obj {
	struct file *file;
	enum wait_kind kind;
	u32 nqueues;
	wait_queue_head_t *wqh[WAIT_FOREIGN_QUEUES];
	struct wait_queue_entry entry[WAIT_FOREIGN_QUEUES];
	u64 gen;
};

/**
 * struct mailslot_waiter - one MAILSLOT_IOC_WAIT call
 * @task:	the waiting task.
 * @wakeups:	bumped by every wake callback that may wake the task;
 *		lockless, see wait_wake().
 * @blocker:	index of the one object whose wakeups count (a wait-all's
 *		first object found not signaled), or WAIT_ANY_WAKES.  Written
 *		by the waiter, read by wake callbacks: WRITE_ONCE/READ_ONCE,
 *		ordered by full barriers, see wait_loop().
 * @count:	number of objects.
 * @objs:	the objects, in the caller's order.
 */
struct mailslot_waiter {
	struct task_struct *task;
	atomic_t wakeups;
	u32 blocker;
	u32 count;
	struct mailslot_wait_obj objs[];
};

enum wait_result { WAIT_UNSATISFIED, WAIT_SATISFIED, WAIT_AGAIN };

/*
 * Runs under the object's wait-queue lock, possibly with IRQs off, from
 * whatever context the object's owner wakes it: it must not sleep.
 */
static int wait_wake(struct wait_queue_entry *entry, unsigned int mode,
		     int sync, void *key)
{
	struct mailslot_waiter *w = entry->private;
	u32 i = ((char *)entry - (char *)w->objs) / sizeof(w->objs[0]);
	struct mailslot_wait_obj *o = &w->objs[i];
	__poll_t events = key_to_poll(key);
	u32 blocker;

	if (o->kind == WAIT_FOREIGN) {
		if (events & POLLFREE) {
			u32 k = entry - o->entry;

			/*
			 * The queue is going away (after an RCU grace
			 * period): leave it now; wait_teardown() sees NULL.
			 */
			list_del_init(&entry->entry);
			/* Pairs with smp_load_acquire() in wait_teardown(). */
			smp_store_release(&o->wqh[k], NULL);
		} else if (key && !(events & WAIT_READABLE)) {
			return 0;	/* e.g. room to write: not ours */
		}
	}
	/*
	 * Order the object's state change before the look at @blocker and
	 * the count; pairs with the smp_mb() in wait_set_blocker() and with
	 * atomic_read_acquire() in the wait loop.  wake_up_process() orders
	 * the count before its look at the task state, which pairs with
	 * set_current_state().
	 */
	smp_mb();
	blocker = READ_ONCE(w->blocker);
	if (blocker != WAIT_ANY_WAKES && blocker != i)
		return 0;
	atomic_inc(&w->wakeups);
	wake_up_process(w->task);
	return 0;
}

static bool wait_obj_signaled(struct mailslot_wait_obj *o, u64 *gen)
{
	switch (o->kind) {
	case WAIT_PROC:
		*gen = 0;
		return mailslot_proc_signaled(o->file);
	case WAIT_READER:
		return mailslot_reader_signaled(o->file, gen);
	default:
		*gen = 0;
		return vfs_poll(o->file, NULL) & WAIT_READABLE;
	}
}

/*
 * Evaluate all objects.  When not satisfied, *@blocker is the object to
 * wait for: the first one found not signaled in a wait-all.
 */
static enum wait_result wait_evaluate(struct mailslot_waiter *w, bool all,
				      u32 *index, u32 *blocker)
{
	u64 gen;
	u32 i;

	*blocker = WAIT_ANY_WAKES;
	if (!all) {
		for (i = 0; i < w->count; i++) {
			if (wait_obj_signaled(&w->objs[i], &gen)) {
				*index = i;
				return WAIT_SATISFIED;
			}
		}
		return WAIT_UNSATISFIED;
	}
	for (i = 0; i < w->count; i++) {
		if (!wait_obj_signaled(&w->objs[i], &w->objs[i].gen)) {
			*blocker = i;
			return WAIT_UNSATISFIED;
		}
	}
	for (i = 0; i < w->count; i++) {
		if (!wait_obj_signaled(&w->objs[i], &gen)) {
			*blocker = i;
			return WAIT_UNSATISFIED;
		}
		/*
		 * Became non-signaled and signaled again between the
		 * passes, maybe without a wakeup: look again at once.
		 */
		if (gen != w->objs[i].gen)
			return WAIT_AGAIN;
	}
	*index = 0;
	return WAIT_SATISFIED;
}

/*
 * Take the files; -EBADF or -EINVAL on a bad fd.  Our own files other
 * than process objects and reading slot handles (writers, the control
 * device) and files that cannot be polled are refused.
 */
static int wait_get_files(struct mailslot_waiter *w, const s32 *fds)
{
	u32 i, j;

	for (i = 0; i < w->count; i++) {
		struct mailslot_wait_obj *o = &w->objs[i];

		o->file = fget(fds[i]);
		if (!o->file)
			return -EBADF;
		for (j = 0; j < i; j++)
			if (w->objs[j].file == o->file)
				return -EINVAL;
		o->wqh[0] = mailslot_proc_waitqueue(o->file);
		if (o->wqh[0]) {
			o->kind = WAIT_PROC;
			continue;
		}
		o->wqh[0] = mailslot_reader_waitqueue(o->file);
		if (o->wqh[0]) {
			o->kind = WAIT_READER;
			continue;
		}
		if (o->file->f_op->owner == THIS_MODULE ||
		    !file_can_poll(o->file))
			return -EINVAL;
		o->kind = WAIT_FOREIGN;
	}
	return 0;
}

/* vfs_poll() of a foreign file, registering our entries on its queues. */
struct wait_ptable {
	poll_table pt;
	struct mailslot_waiter *waiter;
	struct mailslot_wait_obj *obj;
	int err;
};

static void wait_ptable_queue(struct file *file, wait_queue_head_t *wqh,
			      poll_table *pt)
{
	struct wait_ptable *t = container_of(pt, struct wait_ptable, pt);
	struct mailslot_wait_obj *o = t->obj;
	struct wait_queue_entry *entry;

	if (o->nqueues == WAIT_FOREIGN_QUEUES) {
		t->err = -EINVAL;
		return;
	}
	entry = &o->entry[o->nqueues];
	init_waitqueue_func_entry(entry, wait_wake);
	entry->private = t->waiter;
	o->wqh[o->nqueues++] = wqh;
	add_wait_queue(wqh, entry);
}

/*
 * Queue our entries on every object's wait queue.  -EINVAL: a foreign
 * file names more queues than we have entries for.
 */
static int wait_queue_entries(struct mailslot_waiter *w)
{
	struct wait_ptable t;
	u32 i;

	init_poll_funcptr(&t.pt, wait_ptable_queue);
	/* Ask only for readability: a socket then skips its write queue. */
	t.pt._key = WAIT_READABLE;
	t.waiter = w;
	t.err = 0;
	for (i = 0; i < w->count; i++) {
		struct mailslot_wait_obj *o = &w->objs[i];

		if (o->kind == WAIT_FOREIGN) {
			t.obj = o;
			vfs_poll(o->file, &t.pt);
			if (t.err)
				return t.err;
			continue;
		}
		init_waitqueue_func_entry(&o->entry[0], wait_wake);
		o->entry[0].private = w;
		add_wait_queue(o->wqh[0], &o->entry[0]);
		o->nqueues = 1;
	}
	return 0;
}

/*
 * One look before queueing anything, as poll(2) does: an object already
 * signaled, or a deadline already passed (timeout 0), needs no entries on
 * the wait queues.  -EAGAIN: go and wait.
 */
static int wait_try(struct mailslot_waiter *w, bool all, ktime_t *deadline,
		    u32 *index)
{
	u32 blocker;

	if (wait_evaluate(w, all, index, &blocker) == WAIT_SATISFIED)
		return 0;
	if (deadline && ktime_compare(ktime_get(), *deadline) >= 0)
		return -ETIMEDOUT;
	return -EAGAIN;
}

static void wait_teardown(struct mailslot_waiter *w)
{
	wait_queue_head_t *wqh;
	u32 i, k;

	for (i = 0; i < w->count; i++) {
		struct mailslot_wait_obj *o = &w->objs[i];

		for (k = 0; k < o->nqueues; k++) {
			/*
			 * A foreign queue freed with POLLFREE is gone from
			 * o->wqh; its memory lives for an RCU grace period
			 * after the wakeup, so the lock we take is valid.
			 */
			rcu_read_lock();
			/* Pairs with smp_store_release() in wait_wake(). */
			wqh = smp_load_acquire(&o->wqh[k]);
			if (wqh)
				remove_wait_queue(wqh, &o->entry[k]);
			rcu_read_unlock();
		}
		if (o->file)
			fput(o->file);
	}
}

/*
 * Sleep until evaluation succeeds, @deadline (absolute CLOCK_MONOTONIC,
 * NULL = never) passes or a signal arrives.
 */
static int wait_loop(struct mailslot_waiter *w, bool all, ktime_t *deadline,
		     u32 *index)
{
	enum wait_result res;
	u32 blocker;
	int seen;

	for (;;) {
		seen = atomic_read_acquire(&w->wakeups);
		res = wait_evaluate(w, all, index, &blocker);
		if (res == WAIT_SATISFIED)
			return 0;
		if (signal_pending(current))
			return -EINTR;
		if (deadline && ktime_compare(ktime_get(), *deadline) >= 0)
			return -ETIMEDOUT;
		if (res == WAIT_AGAIN) {
			cond_resched();
			continue;
		}
		if (blocker != w->blocker) {
			/*
			 * A new blocker: its wake callback may have ignored a
			 * change it made before this store, so look again.
			 * Full barrier between the store and that look; pairs
			 * with the one in wait_wake(): either the look sees
			 * the change or the callback sees the new blocker.
			 */
			WRITE_ONCE(w->blocker, blocker);
			/* Store blocker, then look; see above. */
			smp_mb();
			continue;
		}
		set_current_state(TASK_INTERRUPTIBLE);
		if (atomic_read(&w->wakeups) == seen)
			schedule_hrtimeout_range(deadline,
						 current->timer_slack_ns,
						 HRTIMER_MODE_ABS);
		__set_current_state(TASK_RUNNING);
	}
}

int mailslot_wait(struct mailslot_wait __user *uarg)
{
	struct mailslot_waiter *w;
	struct mailslot_wait arg;
	ktime_t deadline, *dl = NULL;
	s32 fds[MAILSLOT_WAIT_MAX];
	u32 index = 0;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~(MAILSLOT_WAIT_ALL | MAILSLOT_WAIT_ABSOLUTE) ||
	    arg.reserved || !arg.count || arg.count > MAILSLOT_WAIT_MAX)
		return -EINVAL;
	if (copy_from_user(fds, u64_to_user_ptr(arg.fds),
			   arg.count * sizeof(fds[0])))
		return -EFAULT;

	/* The deadline is fixed at entry; beyond KTIME_MAX is forever. */
	if (arg.timeout_ns != MAILSLOT_TIMEOUT_INFINITE) {
		if (arg.flags & MAILSLOT_WAIT_ABSOLUTE) {
			if (arg.timeout_ns <= KTIME_MAX) {
				deadline = (ktime_t)arg.timeout_ns;
				dl = &deadline;
			}
		} else {
			deadline = ktime_get();
			if (arg.timeout_ns <= (u64)(KTIME_MAX - deadline)) {
				deadline += arg.timeout_ns;
				dl = &deadline;
			}
		}
	}

	w = kzalloc(struct_size(w, objs, arg.count), GFP_KERNEL_ACCOUNT);
	if (!w)
		return -ENOMEM;
	w->task = current;
	w->count = arg.count;
	w->blocker = WAIT_ANY_WAKES;
	atomic_set(&w->wakeups, 0);

	trace_mailslot_wait_begin(arg.count, arg.flags, arg.timeout_ns);
	ret = wait_get_files(w, fds);
	if (!ret)
		ret = wait_try(w, arg.flags & MAILSLOT_WAIT_ALL, dl, &index);
	if (ret == -EAGAIN) {
		ret = wait_queue_entries(w);
		if (!ret)
			ret = wait_loop(w, arg.flags & MAILSLOT_WAIT_ALL, dl,
					&index);
	}
	wait_teardown(w);
	kfree(w);
	trace_mailslot_wait_end(ret, index);

	if (!ret && put_user(index, &uarg->index))
		ret = -EFAULT;
	return ret;
}
