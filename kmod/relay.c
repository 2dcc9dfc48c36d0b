// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot: the relay handle, through which a relay (mailslotd) delivers
 * messages from the network, marked MAILSLOT_MSG_RELAYED with their origin,
 * to slots created with MAILSLOT_CREATE_REMOTE.
 *
 * The handle is the privilege: MAILSLOT_IOC_RELAY_OPEN checks the caller
 * and the opener of the control fd for CAP_NET_ADMIN or CAP_SYS_ADMIN in
 * the initial user namespace, and a relay keeps the handle after dropping
 * its privileges.  Nothing else can mark a message: write(2) has no way to,
 * and MAILSLOT_IOC_RELAY_SEND exists only on this handle.
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "limits.h"
#include "slot.h"

/**
 * struct mailslot_relay - private data of a relay handle
 * @user:	the opener, charged for the messages it delivers; constant.
 * @gid:	the opener's egid, reported with them; constant.
 */
struct mailslot_relay {
	struct mailslot_user *user;
	kgid_t gid;
};

static bool mailslot_relay_capable(const struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN) ||
	       file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
}

static long mailslot_relay_send(struct file *file,
				const struct mailslot_relay_send __user *uarg)
{
	struct mailslot_relay *relay = file->private_data;
	struct mailslot_relay_send rs;
	struct mailslot_slot *slot;
	char *name;
	long len;
	ssize_t ret;

	if (copy_from_user(&rs, uarg, sizeof(rs)))
		return -EFAULT;
	if (rs.flags || rs.reserved[0] || rs.reserved[1])
		return -EINVAL;
	name = kmalloc(MAILSLOT_NAME_MAX + 1, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	len = strncpy_from_user(name, u64_to_user_ptr(rs.name),
				MAILSLOT_NAME_MAX + 1);
	if (len < 0) {
		ret = len;
		goto out;
	}
	if (len > MAILSLOT_NAME_MAX) {
		ret = -ENAMETOOLONG;
		goto out;
	}
	if (!len) {
		ret = -EINVAL;
		goto out;
	}
	slot = mailslot_slot_find(name);
	if (!slot) {
		ret = -ENOENT;
		goto out;
	}
	if (!slot->remote)
		ret = -EACCES;
	else
		ret = mailslot_relay_deliver(slot, relay->user, relay->gid,
					     file, u64_to_user_ptr(rs.buf),
					     rs.size, &rs.origin);
	mailslot_slot_put(slot);
out:
	kfree(name);
	return ret;
}

static long mailslot_relay_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg)
{
	switch (cmd) {
	case MAILSLOT_IOC_RELAY_SEND:
		return mailslot_relay_send(file, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static int mailslot_relay_release(struct inode *inode, struct file *file)
{
	struct mailslot_relay *relay = file->private_data;

	mailslot_user_put(relay->user);
	kfree(relay);
	return 0;
}

static const struct file_operations mailslot_relay_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= mailslot_relay_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= mailslot_relay_release,
	.llseek		= no_llseek,
};

int mailslot_relay_open(struct file *control,
			const struct mailslot_relay_open __user *uarg)
{
	struct mailslot_relay_open ro;
	struct mailslot_relay *relay;
	struct file *file;
	int fd;

	if (copy_from_user(&ro, uarg, sizeof(ro)))
		return -EFAULT;
	if (ro.flags || ro.reserved[0] || ro.reserved[1] || ro.reserved[2])
		return -EINVAL;
	/* the caller and whoever opened the control fd, both */
	if (!mailslot_relay_capable(control) ||
	    (!capable(CAP_NET_ADMIN) && !capable(CAP_SYS_ADMIN)))
		return -EPERM;

	relay = kzalloc(sizeof(*relay), GFP_KERNEL_ACCOUNT);
	if (!relay)
		return -ENOMEM;
	relay->user = mailslot_user_get(current_cred());
	if (!relay->user) {
		kfree(relay);
		return -ENOMEM;
	}
	relay->gid = current_egid();

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto err;
	file = anon_inode_getfile("[mailslot-relay]", &mailslot_relay_fops,
				  relay, O_RDWR | O_CLOEXEC);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto err;
	}
	fd_install(fd, file);
	return fd;

err:
	mailslot_user_put(relay->user);
	kfree(relay);
	return fd;
}
