// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot: per-user limits.
 *
 * Every slot is counted against the euid of its creator and every queued
 * message against the euid of its sender, from the write until the last
 * reader has taken or dropped it.  The bounds are module parameters that
 * root may change at run time in /sys/module/mailslot/parameters; a caller
 * with CAP_SYS_RESOURCE is exempt from the two per-user bounds, as with
 * POSIX message queues.  Messages are also charged to the sender's memory
 * cgroup (__GFP_ACCOUNT, see msg.c).
 */
#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/hashtable.h>
#include <linux/moduleparam.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "mailslot.h"
#include "limits.h"

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

module_param(max_slots_per_user, uint, 0644);
MODULE_PARM_DESC(max_slots_per_user,
		 "Most live slots one user may create (default 128; more: ENOSPC)");
module_param(max_queued_bytes_per_user, ulong, 0644);
MODULE_PARM_DESC(max_queued_bytes_per_user,
		 "Most bytes of messages one user may have queued in all slots, payload plus about 100 bytes each (default 64 MiB; more: ENOSPC)");
module_param_cb(max_msg_size, &mailslot_max_msg_size_ops, &max_msg_size, 0644);
MODULE_PARM_DESC(max_msg_size,
		 "Largest max_msg_size a slot may ask for, 1..64 MiB (default 4 MiB; more: EINVAL)");

/**
 * struct mailslot_user - what one user has in use
 * @node:	link in mailslot_users; protected by mailslot_users_lock.
 * @uid:	the user; constant.
 * @ref:	slots and messages charged to the user hold a reference.
 * @slots:	live slots created by the user.
 * @bytes:	bytes of queued messages sent by the user.
 */
struct mailslot_user {
	struct hlist_node node;
	kuid_t uid;
	refcount_t ref;
	atomic_t slots;
	atomic_long_t bytes;
};

static DEFINE_SPINLOCK(mailslot_users_lock);
/* Protected by mailslot_users_lock. */
static DEFINE_HASHTABLE(mailslot_users, 6);
static unsigned int mailslot_nr_users;

static struct mailslot_user *mailslot_user_find(kuid_t uid)
{
	struct mailslot_user *user;

	lockdep_assert_held(&mailslot_users_lock);
	hash_for_each_possible(mailslot_users, user, node, __kuid_val(uid))
		if (uid_eq(user->uid, uid) && refcount_inc_not_zero(&user->ref))
			return user;
	return NULL;
}

struct mailslot_user *mailslot_user_get(kuid_t uid)
{
	struct mailslot_user *user, *new;

	spin_lock(&mailslot_users_lock);
	user = mailslot_user_find(uid);
	spin_unlock(&mailslot_users_lock);
	if (user)
		return user;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return NULL;
	new->uid = uid;
	refcount_set(&new->ref, 1);

	spin_lock(&mailslot_users_lock);
	user = mailslot_user_find(uid);
	if (!user) {
		hash_add(mailslot_users, &new->node, __kuid_val(uid));
		mailslot_nr_users++;
		user = new;
		new = NULL;
	}
	spin_unlock(&mailslot_users_lock);
	kfree(new);
	return user;
}

kuid_t mailslot_user_uid(const struct mailslot_user *user)
{
	return user->uid;
}

void mailslot_user_put(struct mailslot_user *user)
{
	bool last;

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
	kfree(user);
}

int mailslot_user_charge_slot(struct mailslot_user *user)
{
	unsigned int limit = READ_ONCE(max_slots_per_user);

	if (atomic_inc_return(&user->slots) > limit &&
	    !capable(CAP_SYS_RESOURCE)) {
		atomic_dec(&user->slots);
		return -ENOSPC;
	}
	return 0;
}

void mailslot_user_uncharge_slot(struct mailslot_user *user)
{
	atomic_dec(&user->slots);
}

int mailslot_user_charge_bytes(struct mailslot_user *user, size_t bytes)
{
	unsigned long limit = READ_ONCE(max_queued_bytes_per_user);

	if (atomic_long_add_return(bytes, &user->bytes) > limit &&
	    !capable(CAP_SYS_RESOURCE)) {
		atomic_long_sub(bytes, &user->bytes);
		return -ENOSPC;
	}
	return 0;
}

void mailslot_user_uncharge_bytes(struct mailslot_user *user, size_t bytes)
{
	atomic_long_sub(bytes, &user->bytes);
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
