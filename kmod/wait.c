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
 * Wait-all takes a double-collect snapshot: every object's (signaled, gen)
 * is read twice; when all are signaled and no gen changed in between, all
 * of them were signaled at one moment between the two passes.  Process
 * objects never become non-signaled, their gen is always 0.
 *
 * A signal ends the wait with EINTR, never restarted (as poll(2), select(2)
 * and epoll_wait(2)): a restart could not know how much of a relative
 * timeout is left.
 */
#include <linux/atomic.h>
#include <linux/file.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "mailslot.h"
#include "trace.h"

struct mailslot_waiter;

/**
 * struct mailslot_wait_obj - one object of a wait
 * @file:	a reference, held from fget() to the end of the call.
 * @wqh:	the object's wait queue; stable while @file is held.
 * @entry:	our entry on @wqh, from registration to the end of the call;
 *		@entry.private is the waiter.
 * @proc:	a process object, not a slot reader.
 * @queued:	@entry is on @wqh.
 * @gen:	first-pass generation of a wait-all snapshot; waiter only.
 */
struct mailslot_wait_obj {
	struct file *file;
	wait_queue_head_t *wqh;
	struct wait_queue_entry entry;
	bool proc;
	bool queued;
	u64 gen;
};

/**
 * struct mailslot_waiter - one MAILSLOT_IOC_WAIT call
 * @task:	the waiting task.
 * @wakeups:	bumped by every wake callback; lockless, see wait_wake().
 * @count:	number of objects.
 * @objs:	the objects, in the caller's order.
 */
struct mailslot_waiter {
	struct task_struct *task;
	atomic_t wakeups;
	u32 count;
	struct mailslot_wait_obj objs[];
};

enum wait_result { WAIT_UNSATISFIED, WAIT_SATISFIED, WAIT_AGAIN };

/* Runs under the object's wait-queue lock, possibly with IRQs off. */
static int wait_wake(struct wait_queue_entry *entry, unsigned int mode,
		     int sync, void *key)
{
	struct mailslot_waiter *w = entry->private;

	/*
	 * Order the object's state change before the count; pairs with
	 * atomic_read_acquire() in the wait loop.  wake_up_process() orders
	 * the count before its look at the task state, which pairs with
	 * set_current_state().
	 */
	smp_mb__before_atomic();
	atomic_inc(&w->wakeups);
	wake_up_process(w->task);
	return 0;
}

static bool wait_obj_signaled(struct mailslot_wait_obj *o, u64 *gen)
{
	if (o->proc) {
		*gen = 0;
		return mailslot_proc_signaled(o->file);
	}
	return mailslot_reader_signaled(o->file, gen);
}

static enum wait_result wait_evaluate(struct mailslot_waiter *w, bool all,
				      u32 *index)
{
	u64 gen;
	u32 i;

	if (!all) {
		for (i = 0; i < w->count; i++) {
			if (wait_obj_signaled(&w->objs[i], &gen)) {
				*index = i;
				return WAIT_SATISFIED;
			}
		}
		return WAIT_UNSATISFIED;
	}
	for (i = 0; i < w->count; i++)
		if (!wait_obj_signaled(&w->objs[i], &w->objs[i].gen))
			return WAIT_UNSATISFIED;
	for (i = 0; i < w->count; i++) {
		if (!wait_obj_signaled(&w->objs[i], &gen))
			return WAIT_UNSATISFIED;
		/*
		 * Changed but still signaled, maybe without a wakeup (a
		 * message taken while others remain): look again at once.
		 */
		if (gen != w->objs[i].gen)
			return WAIT_AGAIN;
	}
	*index = 0;
	return WAIT_SATISFIED;
}

/* Take the files; -EBADF or -EINVAL on a bad fd. */
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
		o->wqh = mailslot_proc_waitqueue(o->file);
		o->proc = !!o->wqh;
		if (!o->wqh)
			o->wqh = mailslot_reader_waitqueue(o->file);
		if (!o->wqh)
			return -EINVAL;
	}
	return 0;
}

/* Queue our entries on every object's wait queue. */
static void wait_queue_entries(struct mailslot_waiter *w)
{
	u32 i;

	for (i = 0; i < w->count; i++) {
		struct mailslot_wait_obj *o = &w->objs[i];

		init_waitqueue_func_entry(&o->entry, wait_wake);
		o->entry.private = w;
		add_wait_queue(o->wqh, &o->entry);
		o->queued = true;
	}
}

/*
 * One look before queueing anything, as poll(2) does: an object already
 * signaled, or a deadline already passed (timeout 0), needs no entries on
 * the wait queues.  -EAGAIN: go and wait.
 */
static int wait_try(struct mailslot_waiter *w, bool all, ktime_t *deadline,
		    u32 *index)
{
	if (wait_evaluate(w, all, index) == WAIT_SATISFIED)
		return 0;
	if (deadline && ktime_compare(ktime_get(), *deadline) >= 0)
		return -ETIMEDOUT;
	return -EAGAIN;
}

static void wait_teardown(struct mailslot_waiter *w)
{
	u32 i;

	for (i = 0; i < w->count; i++) {
		struct mailslot_wait_obj *o = &w->objs[i];

		if (o->queued)
			remove_wait_queue(o->wqh, &o->entry);
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
	int seen;

	for (;;) {
		seen = atomic_read_acquire(&w->wakeups);
		res = wait_evaluate(w, all, index);
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
	atomic_set(&w->wakeups, 0);

	trace_mailslot_wait_begin(arg.count, arg.flags, arg.timeout_ns);
	ret = wait_get_files(w, fds);
	if (!ret)
		ret = wait_try(w, arg.flags & MAILSLOT_WAIT_ALL, dl, &index);
	if (ret == -EAGAIN) {
		wait_queue_entries(w);
		ret = wait_loop(w, arg.flags & MAILSLOT_WAIT_ALL, dl, &index);
	}
	wait_teardown(w);
	kfree(w);
	trace_mailslot_wait_end(ret, index);

	if (!ret && put_user(index, &uarg->index))
		ret = -EFAULT;
	return ret;
}
