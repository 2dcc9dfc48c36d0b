// SPDX-License-Identifier: GPL-2.0
/* Placeholder until waits land. */
#include "mailslot.h"

int mailslot_wait(struct mailslot_wait __user *uarg)
{
	return -EOPNOTSUPP;
}
