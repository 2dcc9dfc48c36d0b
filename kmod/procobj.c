// SPDX-License-Identifier: GPL-2.0
/* Placeholder until process objects land. */
#include "mailslot.h"

int mailslot_proc_open(const struct mailslot_proc_open __user *uarg)
{
	return -EOPNOTSUPP;
}

wait_queue_head_t *mailslot_proc_waitqueue(struct file *file)
{
	return NULL;
}

bool mailslot_proc_signaled(struct file *file)
{
	return false;
}
