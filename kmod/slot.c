// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the slot core lands. */
#include "mailslot.h"

int mailslot_slots_init(void)
{
	return 0;
}

void mailslot_slots_exit(void)
{
}

int mailslot_slot_create(const struct mailslot_create __user *uarg)
{
	return -EOPNOTSUPP;
}

wait_queue_head_t *mailslot_reader_waitqueue(struct file *file)
{
	return NULL;
}

bool mailslot_reader_signaled(struct file *file, u64 *gen)
{
	return false;
}
