/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for kernel-version differences.  The module builds for
 * the kernels of the lanes in scripts/lib.sh: Debian 11's 5.10, Debian 12's
 * 6.1 and 6.12 (and 6.12-rt), Debian 13's backported 7.3 (and 7.3-rt).
 */
#ifndef _MAILSLOT_COMPAT_H
#define _MAILSLOT_COMPAT_H

#include <linux/fs.h>
#include <linux/uio.h>
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

/*
 * A user buffer as the destination of copy_to_iter().  iov_iter_ubuf()
 * (ITER_UBUF, 6.0) and ITER_DEST (6.1) are missing in 5.10, where a
 * one-segment iovec iterator does the same; that iterator points to the
 * iovec, so the caller provides one that lives as long as the iterator
 * (unused on 6.1+).
 */
static inline void mailslot_iter_ubuf_dest(struct iov_iter *i,
					   struct iovec *iov,
					   void __user *buf, size_t len)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
	iov_iter_ubuf(i, ITER_DEST, buf, len);
#else
	iov->iov_base = buf;
	iov->iov_len = len;
	iov_iter_init(i, READ, iov, 1, len);
#endif
}

#endif /* _MAILSLOT_COMPAT_H */
