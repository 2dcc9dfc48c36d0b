/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for kernel-version differences.  The module builds for
 * Debian's 6.1 and 6.12 kernels.
 */
#ifndef _MAILSLOT_COMPAT_H
#define _MAILSLOT_COMPAT_H

#include <linux/fs.h>
#include <linux/version.h>

/* no_llseek (NULL since 6.0) is gone in 6.12; NULL means the same. */
#ifndef no_llseek
#define no_llseek NULL
#endif

/* struct device_type.devnode takes a const device since 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define MAILSLOT_DEVNODE_CONST const
#else
#define MAILSLOT_DEVNODE_CONST
#endif

#endif /* _MAILSLOT_COMPAT_H */
