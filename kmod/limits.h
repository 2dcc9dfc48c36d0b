/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-user bounds of the slot files (slot.c, msg.c, limits.c): slots per
 * user, payload bytes queued per sender and the largest message.  The
 * bounds are module parameters; see limits.c.
 */
#ifndef _MAILSLOT_LIMITS_H
#define _MAILSLOT_LIMITS_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct mailslot_user;

/* Reference to the accounting record of @uid, created on first use. */
struct mailslot_user *mailslot_user_get(kuid_t uid);
void mailslot_user_put(struct mailslot_user *user);
kuid_t mailslot_user_uid(const struct mailslot_user *user);

/* Count one more live slot; -ENOSPC above max_slots_per_user. */
int mailslot_user_charge_slot(struct mailslot_user *user);
void mailslot_user_uncharge_slot(struct mailslot_user *user);

/* Charge @bytes of queued messages; -ENOSPC above max_queued_bytes_per_user. */
int mailslot_user_charge_bytes(struct mailslot_user *user, size_t bytes);
void mailslot_user_uncharge_bytes(struct mailslot_user *user, size_t bytes);

/* Current value of the max_msg_size module parameter. */
u32 mailslot_max_msg_size(void);

/* Number of accounting records still alive (leak check at unload). */
unsigned int mailslot_users_alive(void);

#endif /* _MAILSLOT_LIMITS_H */
