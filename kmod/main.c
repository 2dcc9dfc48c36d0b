// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot: module init and the control device /dev/mailslot/control.
 *
 * The control device creates slots and process objects and runs waits; it
 * holds no state of its own, so any number of processes may open it.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "compat.h"
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static long mailslot_control_ioctl(struct file *file, unsigned int cmd,
				   unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case MAILSLOT_IOC_CREATE:
		return mailslot_slot_create(argp);
	case MAILSLOT_IOC_PROC_OPEN:
		return mailslot_proc_open(argp);
	case MAILSLOT_IOC_WAIT:
		return mailslot_wait(argp);
	case MAILSLOT_IOC_RELAY_OPEN:
		return mailslot_relay_open(file, argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations mailslot_control_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= mailslot_control_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= no_llseek,
};

static struct miscdevice mailslot_control = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= "mailslot!control",
	.nodename	= "mailslot/control",
	.mode		= 0666,
	.fops		= &mailslot_control_fops,
};

static int __init mailslot_init(void)
{
	int ret;

	ret = mailslot_slots_init();
	if (ret)
		return ret;
	ret = misc_register(&mailslot_control);
	if (ret)
		mailslot_slots_exit();
	return ret;
}

static void __exit mailslot_exit(void)
{
	misc_deregister(&mailslot_control);
	mailslot_slots_exit();
}

module_init(mailslot_init);
module_exit(mailslot_exit);

MODULE_DESCRIPTION("Windows-style mailslots and signaled process objects");
MODULE_AUTHOR("The mailslot authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(MAILSLOT_VERSION);
