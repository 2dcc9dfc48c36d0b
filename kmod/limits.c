// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot: per-user limits.
 *
 * A user is a kuid in a user namespace, as for the kernel's ucounts: every
 * charge to a user is also a charge to the owner of its namespace in the
 * parent namespace, and so on up to the initial namespace, and every level
 * has the same bound.  So the subordinate uids of one user, mapped into a
 * namespace that user owns, share that user's bounds instead of
 * multiplying them.  (The ucounts helpers are not exported to modules;
 * this is the same rule kept here.)
 *
 * Charged: every live slot to its creator; every message to the opener of
 * the writing handle while it waits in the server's queue; every listener
 * handle to its opener, for its whole queue depth, while it is open (see
 * msg.c and mailslot(7)).  The bounds are module parameters that root may
 * change at run time in /sys/module/mailslot/parameters; a caller (for a
 * handle: its opener) with CAP_SYS_RESOURCE in the initial user namespace
 * is exempt from the per-user bounds, as with POSIX message queues, never
 * from max_slots.  Slots, handles and messages are also charged to the
 * memory cgroup of the task that makes them (__GFP_ACCOUNT).
 */
#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/moduleparam.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/user_namespace.h>

#include "internal.h"
#include "limits.h"

static unsigned int max_slots = 4096;
static unsigned int max_slots_per_user = 128;
static unsigned long max_queued_bytes_per_user = 64UL << 20;
static unsigned int max_msg_size = 4U << 20;

static int mailslot_set_max_msg_size(const char *val,
				     const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n < 1 || n > MAILSLOT_MAX_BYTES_LIMIT)
		return -EINVAL;
	WRITE_ONCE(max_msg_size, n);
	return 0;
}

static const struct kernel_param_ops mailslot_max_msg_size_ops = {
	.set	= mailslot_set_max_msg_size,
	.get	= param_get_uint,
};

module_param(max_slots, uint, 0644);
MODULE_PARM_DESC(max_slots,
		 "Most live slots of all users together (default 4096; more: ENOSPC)");
module_param(max_slots_per_user, uint, 0644);
MODULE_PARM_DESC(max_slots_per_user,
		 "Most live slots one user and its user namespaces may create (default 128; more: ENOSPC)");
module_param(max_queued_bytes_per_user, ulong, 0644);
MODULE_PARM_DESC(max_queued_bytes_per_user,
		 "Most bytes one user and its user namespaces may have queued as a sender or reserved as a listener, payload plus 64 bytes a message (default 64 MiB; more: ENOSPC)");
module_param_cb(max_msg_size, &mailslot_max_msg_size_ops, &max_msg_size, 0644);
MODULE_PARM_DESC(max_msg_size,
		 "Largest max_msg_size a slot may ask for, 1..64 MiB (default 4 MiB; more: EINVAL)");

/**
 * struct mailslot_user - what one user has in use
 * @node:	link in mailslot_users; protected by mailslot_users_lock.
 * @ns:		the user namespace of @uid; a reference is held; constant.
 * @uid:	the user; constant.
 * @parent:	the owner of @ns in its parent namespace, NULL in the
 *		initial namespace; a reference is held; constant.
 * @ref:	slots, handles, messages and children hold a reference.
 * @slots:	live slots charged to the user and its namespaces.
 * @bytes:	bytes charged to the user and its namespaces.
 */
struct mailslot_user {
	struct hlist_node node;
	struct user_namespace *ns;
	kuid_t uid;
	struct mailslot_user *parent;
	refcount_t ref;
	atomic_t slots;
	atomic_long_t bytes;
};

static DEFINE_SPINLOCK(mailslot_users_lock);
/* Protected by mailslot_users_lock. */
static DEFINE_HASHTABLE(mailslot_users, 6);
static unsigned int mailslot_nr_users;
/* Live slots of all users, for max_slots. */
static atomic_t mailslot_nr_live_slots = ATOMIC_INIT(0);

static u32 mailslot_user_hash(struct user_namespace *ns, kuid_t uid)
{
	return hash_ptr(ns, 32) ^ __kuid_val(uid);
}

static struct mailslot_user *mailslot_user_find(struct user_namespace *ns,
						kuid_t uid)
{
	struct mailslot_user *user;

	lockdep_assert_held(&mailslot_users_lock);
	hash_for_each_possible(mailslot_users, user, node,
			       mailslot_user_hash(ns, uid))
		if (user->ns == ns && uid_eq(user->uid, uid) &&
		    refcount_inc_not_zero(&user->ref))
			return user;
	return NULL;
}

/* Recursion depth is bounded by the user namespace depth (32). */
static struct mailslot_user *mailslot_user_get_ns(struct user_namespace *ns,
						  kuid_t uid)
{
	struct mailslot_user *user, *parent = NULL, *new;

	spin_lock(&mailslot_users_lock);
	user = mailslot_user_find(ns, uid);
	spin_unlock(&mailslot_users_lock);
	if (user)
		return user;

	if (ns != &init_user_ns) {
		parent = mailslot_user_get_ns(ns->parent, ns->owner);
		if (!parent)
			return NULL;
	}
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new) {
		mailslot_user_put(parent);
		return NULL;
	}
	new->ns = ns;
	new->uid = uid;
	new->parent = parent;
	refcount_set(&new->ref, 1);

	spin_lock(&mailslot_users_lock);
	user = mailslot_user_find(ns, uid);
	if (!user) {
		get_user_ns(ns);
		hash_add(mailslot_users, &new->node,
			 mailslot_user_hash(ns, uid));
		mailslot_nr_users++;
		user = new;
		new = NULL;
	}
	spin_unlock(&mailslot_users_lock);
	if (new) {
		mailslot_user_put(parent);
		kfree(new);
	}
	return user;
}

struct mailslot_user *mailslot_user_get(const struct cred *cred)
{
	return mailslot_user_get_ns(cred->user_ns, cred->euid);
}

void mailslot_user_hold(struct mailslot_user *user)
{
	refcount_inc(&user->ref);
}

kuid_t mailslot_user_uid(const struct mailslot_user *user)
{
	return user->uid;
}

void mailslot_user_put(struct mailslot_user *user)
{
	struct mailslot_user *parent;
	bool last;

	while (user) {
		if (refcount_dec_not_one(&user->ref))
			return;
		spin_lock(&mailslot_users_lock);
		last = refcount_dec_and_test(&user->ref);
		if (last) {
			hash_del(&user->node);
			mailslot_nr_users--;
		}
		spin_unlock(&mailslot_users_lock);
		if (!last)
			return;
		WARN_ON_ONCE(atomic_read(&user->slots) ||
			     atomic_long_read(&user->bytes));
		parent = user->parent;
		put_user_ns(user->ns);
		kfree(user);
		user = parent;
	}
}

/*
 * A bound does not apply to @file's opener, or to the caller when @file
 * is NULL.  Asked only once a bound is exceeded, so that the audit log
 * records real uses of the privilege.
 */
static bool mailslot_exempt(const struct file *file)
{
	if (file)
		return file_ns_capable(file, &init_user_ns, CAP_SYS_RESOURCE);
	return capable(CAP_SYS_RESOURCE);
}

int mailslot_user_charge_slot(struct mailslot_user *user)
{
	unsigned int limit = READ_ONCE(max_slots_per_user);
	struct mailslot_user *u;
	bool over = false;

	if (atomic_inc_return(&mailslot_nr_live_slots) > READ_ONCE(max_slots)) {
		atomic_dec(&mailslot_nr_live_slots);
		return -ENOSPC;
	}
	for (u = user; u; u = u->parent)
		if (atomic_inc_return(&u->slots) > limit)
			over = true;
	if (!over || mailslot_exempt(NULL))
		return 0;
	mailslot_user_uncharge_slot(user);
	return -ENOSPC;
}

void mailslot_user_uncharge_slot(struct mailslot_user *user)
{
	struct mailslot_user *u;

	for (u = user; u; u = u->parent)
		atomic_dec(&u->slots);
	atomic_dec(&mailslot_nr_live_slots);
}

int mailslot_user_charge_bytes(struct mailslot_user *user, size_t bytes,
			       const struct file *file)
{
	unsigned long limit = READ_ONCE(max_queued_bytes_per_user);
	struct mailslot_user *u;
	bool over = false;

	for (u = user; u; u = u->parent)
		if (atomic_long_add_return(bytes, &u->bytes) > limit)
			over = true;
	if (!over || mailslot_exempt(file))
		return 0;
	mailslot_user_uncharge_bytes(user, bytes);
	return -ENOSPC;
}

void mailslot_user_uncharge_bytes(struct mailslot_user *user, size_t bytes)
{
	struct mailslot_user *u;

	for (u = user; u; u = u->parent)
		atomic_long_sub(bytes, &u->bytes);
}

u32 mailslot_max_msg_size(void)
{
	return READ_ONCE(max_msg_size);
}

unsigned int mailslot_users_alive(void)
{
	unsigned int n;

	spin_lock(&mailslot_users_lock);
	n = mailslot_nr_users;
	spin_unlock(&mailslot_users_lock);
	return n;
}
