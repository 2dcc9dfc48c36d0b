/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-user bounds of the slot files (slot.c, msg.c, limits.c): live slots
 * in all and per user, bytes queued or reserved per user and the largest
 * message.  A user is a kuid in a user namespace; a charge to it is a
 * charge to every owner up the namespace chain.  The bounds are module
 * parameters; see limits.c.
 */
#ifndef _MAILSLOT_LIMITS_H
#define _MAILSLOT_LIMITS_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct cred;
struct file;
struct mailslot_user;

/* Reference to the record of @cred's euid in its user namespace. */
struct mailslot_user *mailslot_user_get(const struct cred *cred);
/* Another reference to a record the caller holds one of. */
void mailslot_user_hold(struct mailslot_user *user);
void mailslot_user_put(struct mailslot_user *user);
kuid_t mailslot_user_uid(const struct mailslot_user *user);

/*
 * Count one more live slot made by the caller; -ENOSPC above max_slots or
 * max_slots_per_user.
 */
int mailslot_user_charge_slot(struct mailslot_user *user);
void mailslot_user_uncharge_slot(struct mailslot_user *user);

/*
 * Charge @bytes; -ENOSPC above max_queued_bytes_per_user unless the opener
 * of @file is exempt.
 */
int mailslot_user_charge_bytes(struct mailslot_user *user, size_t bytes,
			       const struct file *file);
void mailslot_user_uncharge_bytes(struct mailslot_user *user, size_t bytes);

/* Current value of the max_msg_size module parameter. */
u32 mailslot_max_msg_size(void);

/* Number of accounting records still alive (leak check at unload). */
unsigned int mailslot_users_alive(void);

#endif /* _MAILSLOT_LIMITS_H */
