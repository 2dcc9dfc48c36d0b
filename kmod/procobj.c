// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot: signaled process objects (OpenProcess, GetExitCodeProcess).
 *
 * A process object holds the struct pid of a thread-group leader, so a
 * later process that reuses the number is never mistaken for it.  It is
 * non-signaled while any thread of the group runs and becomes signaled,
 * once and for good, when the whole group has exited.
 *
 * Exit detection uses the pidfd mechanism: an entry on pid->wait_pidfd,
 * which the exit path wakes (do_notify_pidfd()) with tasklist_lock held
 * once the leader is a zombie with no threads left.  The wake callback
 * records the status right then, as wait_task_zombie() would compute it,
 * so the object keeps it after the process has been reaped without pinning
 * the task.  Races with the open are closed by looking again after the
 * entry is queued (as pidfd_poll() does); the first to see the exit
 * records it, under the object's lock.
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "compat.h"
#include "internal.h"
#include "trace.h"

/**
 * struct mailslot_proc - one process object (the private data of its file)
 * @pid:	the process; a reference, immutable after open.
 * @pid_wait:	our entry on @pid->wait_pidfd, queued from open to release;
 *		its callback runs under @pid->wait_pidfd.lock.
 * @wq:		woken once, when the object becomes signaled.  @wq.lock is
 *		the object's lock: it protects everything below.
 * @signaled:	set once under @wq.lock, never cleared; lockless readers
 *		use smp_load_acquire() and may then read the fields below,
 *		which are written before it and never change afterwards.
 * @status:	exit status in wait(2) encoding.
 * @exit_time_ns: CLOCK_MONOTONIC time the exit was seen.
 * @comm:	the leader's command name at exit.
 */
struct mailslot_proc {
	struct pid *pid;
	struct wait_queue_entry pid_wait;
	wait_queue_head_t wq;
	bool signaled;
	int status;
	u64 exit_time_ns;
	char comm[TASK_COMM_LEN];
};

static const struct file_operations mailslot_proc_fops;

/* Lockless look at @signaled; true makes the status fields visible. */
static bool procobj_is_signaled(struct mailslot_proc *obj)
{
	/* Pairs with smp_store_release() in procobj_signal(). */
	return smp_load_acquire(&obj->signaled);
}

/*
 * True once the thread group led by @leader has exited: the leader is a
 * zombie (or dead) and no other thread is left.  A leader that exited while
 * threads still run does not count (pidfd_poll() says the same).  Caller
 * holds rcu_read_lock().
 */
static bool procobj_group_dead(struct task_struct *leader)
{
	return READ_ONCE(leader->exit_state) && thread_group_empty(leader);
}

/*
 * Record the exit of @leader and wake the object's waiters, unless it is
 * already signaled.  Atomic context; caller holds rcu_read_lock() or a
 * reference to @leader, and @leader's group has exited, so exit_code,
 * signal and comm no longer change.
 */
static void procobj_signal(struct mailslot_proc *obj,
			   struct task_struct *leader)
{
	struct signal_struct *sig = leader->signal;
	unsigned long flags;
	int status;

	spin_lock_irqsave(&obj->wq.lock, flags);
	if (obj->signaled) {
		spin_unlock_irqrestore(&obj->wq.lock, flags);
		return;
	}
	/* As wait_task_zombie(): a group exit's code wins over the leader's. */
	status = (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT) ?
		 READ_ONCE(sig->group_exit_code) : READ_ONCE(leader->exit_code);
	obj->status = status;
	obj->exit_time_ns = ktime_get_ns();
	/* No task_lock(): only the dead group itself could rename it. */
	memcpy(obj->comm, leader->comm, sizeof(obj->comm));
	obj->comm[sizeof(obj->comm) - 1] = '\0';
	/* Publish the fields above; pairs with procobj_is_signaled(). */
	smp_store_release(&obj->signaled, true);
	wake_up_locked_poll(&obj->wq, EPOLLIN | EPOLLRDNORM);
	spin_unlock_irqrestore(&obj->wq.lock, flags);

	trace_mailslot_proc_signal(pid_nr(obj->pid), status);
}

/*
 * Wake callback on pid->wait_pidfd: runs under that queue's lock with
 * interrupts off, from the exit path with tasklist_lock held.  It is also
 * called for events that are not the group's end (a ptraced leader
 * exiting early, the reap on 6.9+), so it looks before it records.
 * It must not sleep and must not touch other entries of the queue.
 */
static int procobj_pid_wake(struct wait_queue_entry *wait, unsigned int mode,
			    int sync, void *key)
{
	struct mailslot_proc *obj = container_of(wait, struct mailslot_proc,
						 pid_wait);
	struct task_struct *leader;

	if (procobj_is_signaled(obj))
		return 0;
	rcu_read_lock();
	leader = pid_task(obj->pid, PIDTYPE_PID);
	if (leader && procobj_group_dead(leader))
		procobj_signal(obj, leader);
	rcu_read_unlock();
	return 0;
}

/*
 * Check for an exit that happened before our entry was queued.  @held is
 * the leader found at open, referenced by the caller.  Returns -ESRCH when
 * the process was reaped meanwhile and its status is no longer known.
 */
static int procobj_check(struct mailslot_proc *obj, struct task_struct *held)
{
	struct task_struct *leader;
	int ret = 0;

	rcu_read_lock();
	leader = pid_task(obj->pid, PIDTYPE_PID);
	if (leader && procobj_group_dead(leader)) {
		/*
		 * Pairs with the full barriers the exit path executes between
		 * setting exit_code and exit_state (mmput(), exit_files()).
		 */
		smp_rmb();
		procobj_signal(obj, leader);
	} else if (!leader && !procobj_is_signaled(obj)) {
		/*
		 * Exited and reaped since find_get_pid().  @held still has
		 * the status unless a non-leader thread's execve() made it
		 * give up the pid (then it is no longer the leader).
		 */
		smp_rmb();
		if (thread_group_leader(held))
			procobj_signal(obj, held);
		else
			ret = -ESRCH;
	}
	rcu_read_unlock();
	return ret;
}

/*
 * The caller may open @task if it may read the task's state, by the rule
 * /proc and ptrace(2) apply: ptrace_may_access(task,
 * PTRACE_MODE_READ_REALCREDS | PTRACE_MODE_NOAUDIT), which is not exported
 * to modules, so its checks are made here.  The caller's real uid and gid
 * must be all of the target's uids and gids (real, effective, saved), or it
 * has CAP_SYS_PTRACE in the target's user namespace; and a target that is
 * not dumpable (it changed credentials, ran a setuid program or called
 * prctl(PR_SET_DUMPABLE, 0)) needs CAP_SYS_PTRACE in the user namespace of
 * its mm (of its exec state on 7.3: compat.h).  The LSM hook
 * (security_ptrace_access_check(): Yama, SELinux)
 * is not exported either and is not consulted.  Capabilities are checked
 * with the _noaudit variants, as PTRACE_MODE_NOAUDIT does: a refused open
 * is an answer, not an attempted intrusion worth a log line.
 */
static bool procobj_may_open(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	bool ok;

	if (same_thread_group(task, current))
		return true;
	task_lock(task);
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(cred->uid, tcred->euid) &&
	      uid_eq(cred->uid, tcred->suid) &&
	      uid_eq(cred->uid, tcred->uid) &&
	      gid_eq(cred->gid, tcred->egid) &&
	      gid_eq(cred->gid, tcred->sgid) &&
	      gid_eq(cred->gid, tcred->gid)) ||
	     ns_capable_noaudit(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (ok) {
		/*
		 * Dumpability after the credentials, as ptrace does: pairs
		 * with the write barrier in commit_creds().
		 */
		smp_rmb();
		ok = mailslot_task_dump_readable(task);
	}
	task_unlock(task);
	return ok;
}

static void procobj_free(struct mailslot_proc *obj)
{
	/*
	 * Takes pid->wait_pidfd.lock: once it returns, no wake callback runs
	 * on our entry or ever will.
	 */
	remove_wait_queue(&obj->pid->wait_pidfd, &obj->pid_wait);
	put_pid(obj->pid);
	kfree(obj);
}

static ssize_t procobj_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct mailslot_proc *obj = file->private_data;
	struct mailslot_proc_exit ex;
	int ret;

	if (count < sizeof(ex))
		return -EINVAL;
	if (!procobj_is_signaled(obj)) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(obj->wq,
					       procobj_is_signaled(obj));
		if (ret)
			return ret;
	}
	memset(&ex, 0, sizeof(ex));
	ex.exit_time_ns = obj->exit_time_ns;
	ex.status = obj->status;
	ex.pid = pid_nr_ns(obj->pid, task_active_pid_ns(current));
	BUILD_BUG_ON(sizeof(ex.comm) != sizeof(obj->comm));
	memcpy(ex.comm, obj->comm, sizeof(ex.comm));
	if (copy_to_user(buf, &ex, sizeof(ex)))
		return -EFAULT;
	return sizeof(ex);
}

static __poll_t procobj_poll(struct file *file, struct poll_table_struct *pts)
{
	struct mailslot_proc *obj = file->private_data;

	poll_wait(file, &obj->wq, pts);
	return procobj_is_signaled(obj) ? EPOLLIN | EPOLLRDNORM : 0;
}

static int procobj_release(struct inode *inode, struct file *file)
{
	procobj_free(file->private_data);
	return 0;
}

static void procobj_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct mailslot_proc *obj = file->private_data;
	bool signaled = procobj_is_signaled(obj);

	seq_printf(m, "mailslot-pid:\t%d\n",
		   pid_nr_ns(obj->pid, task_active_pid_ns(current)));
	seq_printf(m, "mailslot-signaled:\t%d\n", signaled);
	if (signaled)
		seq_printf(m, "mailslot-status:\t%#x\nmailslot-exit-time-ns:\t%llu\n",
			   obj->status, obj->exit_time_ns);
}

static const struct file_operations mailslot_proc_fops = {
	.owner		= THIS_MODULE,
	.read		= procobj_read,
	.poll		= procobj_poll,
	.release	= procobj_release,
	.show_fdinfo	= procobj_show_fdinfo,
};

/*
 * Look up @nr in the caller's pid namespace and take a reference to its
 * thread-group leader in *@leader.
 */
static struct pid *procobj_lookup(u32 nr, struct task_struct **leader)
{
	struct task_struct *task;
	struct pid *pid;

	if (!nr || nr > INT_MAX)
		return ERR_PTR(-ESRCH);
	pid = find_get_pid(nr);
	if (!pid)
		return ERR_PTR(-ESRCH);
	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task) {
		/* A thread other than the leader, as pidfd_open() says. */
		task = get_pid_task(pid, PIDTYPE_PID);
		put_pid(pid);
		if (!task)
			return ERR_PTR(-ESRCH);
		put_task_struct(task);
		return ERR_PTR(-EINVAL);
	}
	*leader = task;
	return pid;
}

int mailslot_proc_open(const struct mailslot_proc_open __user *uarg)
{
	struct mailslot_proc_open arg;
	struct mailslot_proc *obj;
	struct task_struct *leader;
	struct file *file;
	struct pid *pid;
	int fd, ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~MAILSLOT_PROC_NONBLOCK || arg.reserved)
		return -EINVAL;

	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		return -ENOMEM;
	init_waitqueue_head(&obj->wq);
	init_waitqueue_func_entry(&obj->pid_wait, procobj_pid_wake);

	pid = procobj_lookup(arg.pid, &leader);
	if (IS_ERR(pid)) {
		kfree(obj);
		return PTR_ERR(pid);
	}
	if (!procobj_may_open(leader)) {
		ret = -EPERM;
		goto out_put;
	}

	obj->pid = pid;
	add_wait_queue(&pid->wait_pidfd, &obj->pid_wait);
	ret = procobj_check(obj, leader);
	put_task_struct(leader);
	if (ret)
		goto out_free;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto out_free;
	}
	file = anon_inode_getfile("[mailslot-process]", &mailslot_proc_fops,
				  obj, O_RDONLY |
				  (arg.flags & MAILSLOT_PROC_NONBLOCK ?
				   O_NONBLOCK : 0));
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto out_free;
	}
	stream_open(file_inode(file), file);
	fd_install(fd, file);
	return fd;

out_put:
	put_task_struct(leader);
	put_pid(pid);
	kfree(obj);
	return ret;
out_free:
	procobj_free(obj);
	return ret;
}

wait_queue_head_t *mailslot_proc_waitqueue(struct file *file)
{
	struct mailslot_proc *obj;

	if (file->f_op != &mailslot_proc_fops)
		return NULL;
	obj = file->private_data;
	return &obj->wq;
}

bool mailslot_proc_signaled(struct file *file)
{
	struct mailslot_proc *obj = file->private_data;

	return procobj_is_signaled(obj);
}
