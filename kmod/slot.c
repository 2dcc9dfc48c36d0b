// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot: named slots, their device nodes, handles and lifetime, and the
 * /proc/mailslot listing.  The queues themselves live in msg.c.
 *
 * A slot is created by MAILSLOT_IOC_CREATE on the control device, which
 * returns the server handle (an anonymous file, the slot's first reader).
 * The slot gets a minor in one character-device region and a device in
 * class "mailslot" whose devnode is "mailslot/NAME", owned by the creator
 * with the requested mode, so devtmpfs (or udev) creates /dev/mailslot/NAME
 * before the ioctl returns.  Opening the node gives a listener (FMODE_READ:
 * a reader with its own queue), a writer (FMODE_WRITE) or both.
 *
 * Opening a node checks the opener against the slot's own owner, group and
 * mode, not only against the inode: a node can outlive its slot (an open
 * in flight while the slot goes) or be made with mknod, and its minor may
 * by then belong to another slot.  Minors are allocated cyclically, so a
 * minor is not handed out again until all others have been.
 *
 * The slot lives while the server handle is open.  Closing it marks the
 * slot dead, frees the name and removes the node at once; other handles
 * keep the (dead) slot until they close: writers get EPIPE, listeners drain
 * their queue and then read end of file.
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cdev.h>
#include <linux/cred.h>
#include <linux/device.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/xarray.h>

#include "compat.h"
#include "limits.h"
#include "slot.h"
#include "trace.h"

#define MAILSLOT_MINORS		BIT(16)

/**
 * struct mailslot_node - the device of one slot, for devtmpfs
 * @dev:	the device; freed by its release when the last reference goes.
 * @uid:	owner of the node.
 * @gid:	group of the node.
 * @mode:	permission bits of the node.
 * @name:	slot name.
 *
 * Separate from the slot because sysfs may keep the device after the slot
 * is gone; every field is constant.
 */
struct mailslot_node {
	struct device dev;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	char name[MAILSLOT_NAME_MAX + 1];
};

static DEFINE_MUTEX(mailslot_names_lock);
/* Name table of live slots; mailslot_names_lock. */
static DEFINE_HASHTABLE(mailslot_names, 8);
/* Live slots in creation order, for /proc/mailslot; mailslot_names_lock. */
static LIST_HEAD(mailslot_slots);
/* minor -> live slot; changed under mailslot_names_lock. */
static DEFINE_XARRAY_ALLOC(mailslot_minors);
/* Where the cyclic search for a free minor starts; mailslot_names_lock. */
static u32 mailslot_next_minor;
/* Slots not yet freed (leak check at unload). */
static atomic_t mailslot_nr_slots = ATOMIC_INIT(0);

static unsigned int max_readers_per_slot = 1024;
module_param(max_readers_per_slot, uint, 0644);
MODULE_PARM_DESC(max_readers_per_slot,
		 "Most readers of one slot, the server included (default 1024; opening one more for reading: EBUSY)");

static dev_t mailslot_devt;
static struct cdev mailslot_cdev;
static struct proc_dir_entry *mailslot_proc;

static char *mailslot_devnode(MAILSLOT_DEVNODE_CONST struct device *dev,
			      umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	const struct mailslot_node *node =
		container_of(dev, struct mailslot_node, dev);

	if (mode)
		*mode = node->mode;
	if (uid)
		*uid = node->uid;
	if (gid)
		*gid = node->gid;
	return kasprintf(GFP_KERNEL, "mailslot/%s", node->name);
}

static void mailslot_node_release(struct device *dev)
{
	kfree(container_of(dev, struct mailslot_node, dev));
}

static const struct device_type mailslot_node_type = {
	.name		= "mailslot",
	.devnode	= mailslot_devnode,
};

static struct class mailslot_class = {
	.name		= "mailslot",
};

/*
 * Names: 1..MAILSLOT_NAME_MAX bytes of printable ASCII other than space
 * ('!'..'~'), components separated by single '/', no "." or ".." component,
 * no leading or trailing '/'.  "control" and anything below it is reserved
 * for the control device.
 */
static bool mailslot_name_valid(const char *name, size_t len)
{
	size_t i, start = 0;

	if (len == 0 || len > MAILSLOT_NAME_MAX)
		return false;
	for (i = 0; i <= len; i++) {
		char c = name[i];

		if (i < len && c != '/') {
			if (c < '!' || c > '~')
				return false;
			continue;
		}
		/* name[start..i) is one component */
		if (i == start)
			return false;
		if (name[start] == '.' &&
		    (i - start == 1 || (i - start == 2 && name[start + 1] == '.')))
			return false;
		start = i + 1;
	}
	if (!strcmp(name, "control") || !strncmp(name, "control/", 8))
		return false;
	return true;
}

static struct mailslot_slot *mailslot_name_lookup(const char *name,
						  size_t len)
{
	struct mailslot_slot *slot;
	u32 hash = full_name_hash(NULL, name, len);

	lockdep_assert_held(&mailslot_names_lock);
	hash_for_each_possible(mailslot_names, slot, hnode, hash)
		if (strlen(slot->name) == len && !memcmp(slot->name, name, len))
			return slot;
	return NULL;
}

/*
 * A name is taken when a live slot has it, or when one of the two would be
 * a directory of the other ("a" and "a/b"): the node of one would need to
 * be the directory of the other.
 */
static bool mailslot_name_taken(const char *name)
{
	struct mailslot_slot *slot;
	size_t i, len = strlen(name);

	lockdep_assert_held(&mailslot_names_lock);
	for (i = 1; i < len; i++)
		if (name[i] == '/' && mailslot_name_lookup(name, i))
			return true;
	if (mailslot_name_lookup(name, len))
		return true;
	list_for_each_entry(slot, &mailslot_slots, list)
		if (!strncmp(slot->name, name, len) && slot->name[len] == '/')
			return true;
	return false;
}

static void mailslot_slot_release(struct kref *ref)
{
	struct mailslot_slot *slot = container_of(ref, struct mailslot_slot,
						  ref);

	WARN_ON_ONCE(!list_empty(&slot->msgs) || !list_empty(&slot->readers));
	mailslot_slot_wake_stop(slot);
	mailslot_user_put(slot->user);
	put_user_ns(slot->user_ns);
	kfree(slot);
	atomic_dec(&mailslot_nr_slots);
}

void mailslot_slot_put(struct mailslot_slot *slot)
{
	kref_put(&slot->ref, mailslot_slot_release);
}

/*
 * Make the slot visible: name, minor, node.  On success the slot is on
 * the name table and /dev/mailslot/NAME exists.  Consumes @node.
 */
static int mailslot_slot_publish(struct mailslot_slot *slot,
				 struct mailslot_node *node)
{
	size_t len = strlen(slot->name);
	u32 minor;
	int ret;

	mutex_lock(&mailslot_names_lock);
	if (mailslot_name_taken(slot->name)) {
		ret = -EEXIST;
		goto out_free;
	}
	ret = xa_alloc_cyclic(&mailslot_minors, &minor, slot,
			      XA_LIMIT(0, MAILSLOT_MINORS - 1),
			      &mailslot_next_minor, GFP_KERNEL);
	if (ret < 0) {
		ret = ret == -EBUSY ? -ENOSPC : ret;
		goto out_free;
	}

	device_initialize(&node->dev);
	node->dev.devt = MKDEV(MAJOR(mailslot_devt), minor);
	node->dev.class = &mailslot_class;
	node->dev.type = &mailslot_node_type;
	node->dev.release = mailslot_node_release;
	ret = dev_set_name(&node->dev, "mailslot%u", minor);
	if (!ret)
		ret = device_add(&node->dev);
	if (ret) {
		xa_erase(&mailslot_minors, minor);
		put_device(&node->dev);
		goto out_unlock;
	}

	slot->minor = minor;
	slot->node = node;
	hash_add(mailslot_names, &slot->hnode,
		 full_name_hash(NULL, slot->name, len));
	list_add_tail(&slot->list, &mailslot_slots);
out_unlock:
	mutex_unlock(&mailslot_names_lock);
	return ret;

out_free:
	mutex_unlock(&mailslot_names_lock);
	kfree(node);
	return ret;
}

struct mailslot_slot *mailslot_slot_find(const char *name)
{
	struct mailslot_slot *slot;

	mutex_lock(&mailslot_names_lock);
	slot = mailslot_name_lookup(name, strlen(name));
	if (slot)
		kref_get(&slot->ref);
	mutex_unlock(&mailslot_names_lock);
	return slot;
}

/* The server handle is closing: end the slot and free its name. */
static void mailslot_slot_kill(struct mailslot_slot *slot)
{
	struct mailslot_node *node = NULL;

	spin_lock(&slot->lock);
	WRITE_ONCE(slot->dead, true);	/* read without the lock in write() */
	spin_unlock(&slot->lock);
	mailslot_slot_wake_all(slot);

	mutex_lock(&mailslot_names_lock);
	if (slot->node) {
		hash_del(&slot->hnode);
		list_del(&slot->list);
		xa_erase(&mailslot_minors, slot->minor);
		node = slot->node;
		slot->node = NULL;
		slot->minor = -1;
		device_del(&node->dev);
	}
	mutex_unlock(&mailslot_names_lock);
	if (node) {
		put_device(&node->dev);
		trace_mailslot_slot_destroy(slot->name, slot->sent);
	}
	mailslot_user_uncharge_slot(slot->user);
}

static int mailslot_slot_release_file(struct inode *inode, struct file *file)
{
	struct mailslot_handle *h = file->private_data;
	struct mailslot_slot *slot = h->slot;

	/* dead first: the server's queue going must not unblock a writer */
	if (h->server)
		mailslot_slot_kill(slot);
	if (h->reads)
		mailslot_reader_detach(slot, &h->reader);
	if (h->writes) {
		spin_lock(&slot->lock);
		slot->nwriters--;
		spin_unlock(&slot->lock);
	}
	if (h->reserved)
		mailslot_user_uncharge_bytes(h->user, h->reserved);
	mailslot_user_put(h->user);
	mailslot_slot_put(slot);
	kfree(h);
	return 0;
}

static bool mailslot_cred_in_group(const struct cred *cred, kgid_t gid)
{
	const struct group_info *gi = cred->group_info;
	int i;

	if (gid_eq(cred->fsgid, gid))
		return true;
	for (i = 0; gi && i < gi->ngroups; i++)
		if (gid_eq(gi->gid[i], gid))
			return true;
	return false;
}

/*
 * May the opener of @file read (FMODE_READ) and write (FMODE_WRITE) @slot?
 * The VFS has checked the inode that was opened; this checks the slot the
 * minor leads to, with the rule of generic_permission() (owner, group,
 * other; CAP_DAC_OVERRIDE over a slot whose owner and group are mapped in
 * the opener's user namespace), so that a node that does not belong to
 * the slot (stale, made by mknod or changed by chmod) cannot widen access.
 */
static int mailslot_slot_permission(const struct mailslot_slot *slot,
				    struct file *file)
{
	const struct cred *cred = file->f_cred;
	unsigned int mask = 0, mode = slot->mode;

	if (file->f_mode & FMODE_READ)
		mask |= 4;
	if (file->f_mode & FMODE_WRITE)
		mask |= 2;
	if (uid_eq(cred->fsuid, slot->uid))
		mode >>= 6;
	else if (mailslot_cred_in_group(cred, slot->gid))
		mode >>= 3;
	if ((mode & mask) == mask)
		return 0;
	if (kuid_has_mapping(cred->user_ns, slot->uid) &&
	    kgid_has_mapping(cred->user_ns, slot->gid) &&
	    file_ns_capable(file, cred->user_ns, CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

static int mailslot_node_open(struct inode *inode, struct file *file)
{
	struct mailslot_slot *slot;
	struct mailslot_handle *h;
	int ret;

	if (!(file->f_mode & (FMODE_READ | FMODE_WRITE)))
		return -EINVAL;
	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;

	mutex_lock(&mailslot_names_lock);
	slot = xa_load(&mailslot_minors, iminor(inode));
	if (slot)
		kref_get(&slot->ref);
	mutex_unlock(&mailslot_names_lock);
	if (!slot) {
		kfree(h);
		return -ENXIO;
	}
	ret = mailslot_slot_permission(slot, file);
	if (ret) {
		mailslot_slot_put(slot);
		kfree(h);
		return ret;
	}

	h->slot = slot;
	h->reads = !!(file->f_mode & FMODE_READ);
	h->writes = !!(file->f_mode & FMODE_WRITE);
	mailslot_reader_init(&h->reader, slot->timeout_ns);
	/* The opener, never the task that later reads or writes. */
	h->user = mailslot_user_get(file->f_cred);
	h->gid = file->f_cred->egid;
	if (!h->user) {
		ret = -ENOMEM;
		goto err_put;
	}
	if (h->reads) {
		ret = mailslot_user_charge_bytes(h->user,
						 mailslot_listener_reserve(slot),
						 file);
		if (ret)
			goto err_put;
		h->reserved = mailslot_listener_reserve(slot);
	}

	ret = 0;
	spin_lock(&slot->lock);
	if (slot->dead) {
		ret = -ENXIO;
	} else if (h->reads &&
		   slot->nreaders >= READ_ONCE(max_readers_per_slot)) {
		/* every write walks the readers with the slot lock held */
		ret = -EBUSY;
	} else {
		if (h->reads)
			mailslot_reader_attach(slot, &h->reader);
		if (h->writes)
			slot->nwriters++;
	}
	spin_unlock(&slot->lock);
	if (ret)
		goto err_put;

	file->private_data = h;
	/* reads and writes honour IOCB_NOWAIT (RWF_NOWAIT, io_uring) */
	file->f_mode |= FMODE_NOWAIT;
	return stream_open(inode, file);

err_put:
	if (h->reserved)
		mailslot_user_uncharge_bytes(h->user, h->reserved);
	mailslot_user_put(h->user);
	mailslot_slot_put(slot);
	kfree(h);
	return ret;
}

const struct file_operations mailslot_slot_fops = {
	.owner		= THIS_MODULE,
	.open		= mailslot_node_open,
	.release	= mailslot_slot_release_file,
	.read		= mailslot_read,
	.write		= mailslot_write,
	.read_iter	= mailslot_read_iter,
	.write_iter	= mailslot_write_iter,
	.poll		= mailslot_poll,
	.unlocked_ioctl	= mailslot_slot_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= no_llseek,
};

static int mailslot_create_check(struct mailslot_create *c)
{
	u32 msg_limit = mailslot_max_msg_size();

	if (c->reserved[0] || c->reserved[1] ||
	    (c->flags & ~(MAILSLOT_CREATE_NONBLOCK |
			  MAILSLOT_CREATE_LISTENER_DROP |
			  MAILSLOT_CREATE_REMOTE)) ||
	    (c->mode & ~0777) || c->overflow > MAILSLOT_OVERFLOW_DROP)
		return -EINVAL;
	if (!c->mode)
		c->mode = MAILSLOT_DEFAULT_MODE;
	if (!c->max_msg_size)
		c->max_msg_size = min_t(u32, MAILSLOT_DEFAULT_MAX_MSG_SIZE,
					msg_limit);
	if (c->max_msg_size > msg_limit)
		return -EINVAL;
	if (!c->max_msgs)
		c->max_msgs = MAILSLOT_DEFAULT_MAX_MSGS;
	if (c->max_msgs > MAILSLOT_MAX_MSGS_LIMIT)
		return -EINVAL;
	if (!c->max_bytes)
		c->max_bytes = max_t(u32, MAILSLOT_DEFAULT_MAX_BYTES,
				     c->max_msg_size);
	if (c->max_bytes > MAILSLOT_MAX_BYTES_LIMIT ||
	    c->max_bytes < c->max_msg_size)
		return -EINVAL;
	return 0;
}

int mailslot_slot_create(const struct mailslot_create __user *uarg)
{
	struct mailslot_create c;
	struct mailslot_slot *slot;
	struct mailslot_handle *h;
	struct mailslot_node *node;
	struct file *file;
	long len;
	int fd, ret;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	ret = mailslot_create_check(&c);
	if (ret)
		return ret;

	slot = kzalloc(sizeof(*slot), GFP_KERNEL_ACCOUNT);
	if (!slot)
		return -ENOMEM;
	len = strncpy_from_user(slot->name, u64_to_user_ptr(c.name),
				sizeof(slot->name));
	if (len < 0) {
		kfree(slot);
		return -EFAULT;
	}
	if (len == sizeof(slot->name) || !mailslot_name_valid(slot->name, len)) {
		kfree(slot);
		return -EINVAL;
	}

	slot->user = mailslot_user_get(current_cred());
	if (!slot->user) {
		kfree(slot);
		return -ENOMEM;
	}
	atomic_inc(&mailslot_nr_slots);
	kref_init(&slot->ref);
	spin_lock_init(&slot->lock);
	INIT_LIST_HEAD(&slot->msgs);
	INIT_LIST_HEAD(&slot->readers);
	INIT_LIST_HEAD(&slot->list);
	init_waitqueue_head(&slot->wwait);
	mailslot_slot_wake_init(slot);
	slot->minor = -1;
	slot->user_ns = get_user_ns(current_user_ns());
	slot->uid = current_fsuid();
	slot->gid = current_fsgid();
	slot->mode = c.mode;
	slot->max_msg_size = c.max_msg_size;
	slot->max_msgs = c.max_msgs;
	slot->max_bytes = c.max_bytes;
	slot->overflow = c.overflow;
	slot->listener_drop = c.flags & MAILSLOT_CREATE_LISTENER_DROP;
	slot->remote = c.flags & MAILSLOT_CREATE_REMOTE;
	slot->timeout_ns = c.read_timeout_ns;

	ret = mailslot_user_charge_slot(slot->user);
	if (ret) {
		mailslot_slot_put(slot);
		return ret;
	}

	ret = -ENOMEM;
	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	node = kzalloc(sizeof(*node), GFP_KERNEL_ACCOUNT);
	if (!h || !node)
		goto err_free;
	node->uid = slot->uid;
	node->gid = slot->gid;
	node->mode = slot->mode;
	strscpy(node->name, slot->name, sizeof(node->name));

	h->slot = slot;
	h->server = true;
	h->reads = true;
	mailslot_reader_init(&h->reader, slot->timeout_ns);
	h->reader.server = true;
	spin_lock(&slot->lock);
	mailslot_reader_attach(slot, &h->reader);
	spin_unlock(&slot->lock);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_detach;
	}
	file = anon_inode_getfile("[mailslot]", &mailslot_slot_fops, h,
				  O_RDONLY | O_CLOEXEC |
				  (c.flags & MAILSLOT_CREATE_NONBLOCK ?
				   O_NONBLOCK : 0));
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		put_unused_fd(fd);
		goto err_detach;
	}
	stream_open(file_inode(file), file);
	file->f_mode |= FMODE_NOWAIT;

	ret = mailslot_slot_publish(slot, node);
	if (ret) {
		/* The release of the file undoes the rest. */
		fput(file);
		put_unused_fd(fd);
		return ret;
	}
	trace_mailslot_slot_create(slot->name, slot->max_msg_size,
				   slot->max_msgs, slot->max_bytes,
				   slot->overflow);
	fd_install(fd, file);
	return fd;

err_detach:
	mailslot_reader_detach(slot, &h->reader);
err_free:
	kfree(node);
	kfree(h);
	mailslot_user_uncharge_slot(slot->user);
	mailslot_slot_put(slot);
	return ret;
}

/* /proc/mailslot */

static void *mailslot_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&mailslot_names_lock);
	return seq_list_start_head(&mailslot_slots, *pos);
}

static void *mailslot_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &mailslot_slots, pos);
}

static void mailslot_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&mailslot_names_lock);
}

/*
 * Is a slot created in @ns listed to a reader in @viewer?  Only when @ns
 * is @viewer or one of its descendants (in_userns(), which is not
 * exported): a container sees its own slots, not its host's.
 */
static bool mailslot_ns_visible(const struct user_namespace *viewer,
				const struct user_namespace *ns)
{
	while (ns->level > viewer->level)
		ns = ns->parent;
	return ns == viewer;
}

static int mailslot_seq_show(struct seq_file *m, void *v)
{
	struct mailslot_slot *slot;
	u64 msgs, bytes, drops, sent, received;
	u32 readers, writers;

	if (v == &mailslot_slots) {
		seq_puts(m, "name uid gid mode readers writers msgs bytes drops sent received\n");
		return 0;
	}
	slot = list_entry(v, struct mailslot_slot, list);
	if (!mailslot_ns_visible(seq_user_ns(m), slot->user_ns))
		return SEQ_SKIP;
	spin_lock(&slot->lock);
	readers = slot->nreaders;
	writers = slot->nwriters;
	msgs = slot->nmsgs;
	bytes = slot->nbytes;
	drops = slot->drops;
	sent = slot->sent;
	received = slot->received;
	spin_unlock(&slot->lock);
	seq_printf(m, "%s %u %u %04o %u %u %llu %llu %llu %llu %llu\n",
		   slot->name,
		   from_kuid_munged(seq_user_ns(m), slot->uid),
		   from_kgid_munged(seq_user_ns(m), slot->gid),
		   slot->mode, readers, writers, msgs, bytes, drops, sent,
		   received);
	return 0;
}

static const struct seq_operations mailslot_seq_ops = {
	.start	= mailslot_seq_start,
	.next	= mailslot_seq_next,
	.stop	= mailslot_seq_stop,
	.show	= mailslot_seq_show,
};

int mailslot_slots_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&mailslot_devt, 0, MAILSLOT_MINORS,
				  "mailslot");
	if (ret)
		return ret;
	cdev_init(&mailslot_cdev, &mailslot_slot_fops);
	mailslot_cdev.owner = THIS_MODULE;
	ret = cdev_add(&mailslot_cdev, mailslot_devt, MAILSLOT_MINORS);
	if (ret)
		goto err_region;
	ret = class_register(&mailslot_class);
	if (ret)
		goto err_cdev;
	mailslot_proc = proc_create_seq("mailslot", 0444, NULL,
					&mailslot_seq_ops);
	if (!mailslot_proc) {
		ret = -ENOMEM;
		goto err_class;
	}
	return 0;

err_class:
	class_unregister(&mailslot_class);
err_cdev:
	cdev_del(&mailslot_cdev);
err_region:
	unregister_chrdev_region(mailslot_devt, MAILSLOT_MINORS);
	return ret;
}

void mailslot_slots_exit(void)
{
	proc_remove(mailslot_proc);
	class_unregister(&mailslot_class);
	cdev_del(&mailslot_cdev);
	unregister_chrdev_region(mailslot_devt, MAILSLOT_MINORS);
	WARN_ON(atomic_read(&mailslot_nr_slots));
	WARN_ON(!xa_empty(&mailslot_minors));
	WARN_ON(mailslot_users_alive());
}
