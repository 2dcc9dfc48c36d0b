// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot: message queues of a slot, read, write, poll and ioctls.
 *
 * A write copies the payload once into one refcounted message that is
 * linked on the slot's single FIFO list.  Every reader has a cursor into
 * that list (its next unread message); its queue is the cursor and every
 * later message.  A message counts the readers that still have it queued
 * (pending); since every reader sees every message written after it
 * opened, pending never decreases along the list, so the messages nobody
 * needs any more form a prefix and are unlinked from the head.
 *
 * Reads wait without locks (they look at the reader's cursor with
 * READ_ONCE(); the writer's full barrier before it looks for sleepers
 * pairs with the one in prepare_to_wait()), take the reader's read_mutex,
 * find the next message (without the slot lock when nothing but the
 * reader takes messages off its queue, else with a reference taken under
 * it), copy it out with no spinlock held and then consume it under the
 * slot lock: one or two critical sections per message, none while
 * waiting.  A write allocates, copies and charges before it takes the
 * slot lock.
 *
 * Budgets (the one rule, also in mailslot(7)): a message is charged to the
 * opener of the writing handle while it is in the server's queue, from the
 * write until the server takes it, drops it or closes.  What listeners keep
 * after that is inside their queue depth, which every listener's opener
 * has reserved at open (mailslot_listener_reserve()).  So no reader pins a
 * sender's budget, and a sender fills other users' budgets never.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <asm/ioctls.h>

#include "compat.h"
#include "limits.h"
#include "slot.h"
#include "trace.h"

/* The message left the server's queue: the sender's budget is free. */
static void mailslot_msg_uncharge(struct mailslot_msg *msg)
{
	mailslot_user_uncharge_bytes(msg->user,
				     struct_size(msg, data, msg->size));
}

/*
 * A payload that fits a page with the header (MAILSLOT_INLINE_MAX bytes)
 * follows the header in the same kmalloc.  One of up to a page goes into a
 * kmalloc buffer of its own, whose address follows the header: a 4 KiB
 * message so takes a 4 KiB and a 96-byte object, as an mqueue message
 * takes a 4 KiB and a 64-byte one, not an 8 KiB object for 4 160 bytes;
 * both come from the slab's per-cpu lists (a page from the page allocator
 * instead costs the 4 KiB ping-pong a tenth).  A larger one goes into
 * chunks of up to 32 KiB (order 3, the largest order the page allocator
 * keeps per-cpu lists of since 5.13, and the size of a socket's page
 * fragments), whose pointers follow the header instead: a 64 KiB message
 * takes two chunks and a 96-byte header, not one 128 KiB (order-5) block
 * that the allocator has to find, split and merge again on every message,
 * nor 16 pages and 16 copies.  The chunks are the largest powers of two
 * that fit what is left (no chunk is rounded up past the last page).  When
 * a chunk of more than a page cannot be had at once (fragmented memory),
 * the payload goes into order-0 pages instead, with room for their
 * pointers.  Each chunk's size is its own compound order, so one walk
 * reads either layout; the first chunk of the first layout is never a
 * single page.  The charge (struct_size(msg, data, size)) is the same
 * whatever the layout.
 */
#define MAILSLOT_CHUNK_ORDER	3
#define MAILSLOT_INLINE_MAX	(PAGE_SIZE - offsetof(struct mailslot_msg, data))

/* In chunks or pages (mailslot_msg_pages()). */
static bool mailslot_msg_paged(const struct mailslot_msg *msg)
{
	return msg->size > PAGE_SIZE;
}

/* In a buffer of its own (mailslot_msg_buf()). */
static bool mailslot_msg_split(const struct mailslot_msg *msg)
{
	return msg->size > MAILSLOT_INLINE_MAX && msg->size <= PAGE_SIZE;
}

static void **mailslot_msg_buf(const struct mailslot_msg *msg)
{
	return (void **)msg->data;
}

static struct page **mailslot_msg_pages(const struct mailslot_msg *msg)
{
	return (struct page **)msg->data;
}

/* The order of the chunk for the @left bytes still to place. */
static unsigned int mailslot_chunk_order(size_t left)
{
	return min_t(unsigned int, MAILSLOT_CHUNK_ORDER,
		     ilog2(DIV_ROUND_UP(left, PAGE_SIZE)));
}

/* Chunks of a @size-byte payload in the first layout. */
static unsigned int mailslot_msg_nchunks(size_t size)
{
	unsigned int n = 0;

	for (; size; n++)
		size -= min_t(size_t, size,
			      PAGE_SIZE << mailslot_chunk_order(size));
	return n;
}

static size_t mailslot_page_bytes(struct page *page)
{
	return PAGE_SIZE << compound_order(page);
}

static void mailslot_msg_free_pages(struct mailslot_msg *msg,
				    unsigned int n)
{
	struct page **pages = mailslot_msg_pages(msg);

	while (n--)
		__free_pages(pages[n], compound_order(pages[n]));
}

/* The pointers in use in the header of a paged @msg. */
static unsigned int mailslot_msg_npages(struct mailslot_msg *msg)
{
	struct page **pages = mailslot_msg_pages(msg);
	size_t left = msg->size;
	unsigned int n = 0;

	while (left)
		left -= min(left, mailslot_page_bytes(pages[n++]));
	return n;
}

/*
 * Fill the pointers of a paged @msg with chunks (@chunked) or pages.
 * False, with nothing left allocated, when one cannot be had.
 */
static bool mailslot_msg_alloc_pages(struct mailslot_msg *msg, gfp_t gfp,
				     bool chunked)
{
	struct page **pages = mailslot_msg_pages(msg);
	size_t left = msg->size;
	unsigned int n = 0, order = 0;
	gfp_t g = gfp;

	for (; left; n++) {
		if (chunked) {
			order = mailslot_chunk_order(left);
			/* no compaction for a chunk: pages will do */
			g = order ? (gfp | __GFP_COMP | __GFP_NORETRY) &
				    ~__GFP_RETRY_MAYFAIL : gfp;
		}
		pages[n] = alloc_pages(g, order);
		if (!pages[n]) {
			mailslot_msg_free_pages(msg, n);
			return false;
		}
		left -= min_t(size_t, left, PAGE_SIZE << order);
	}
	return true;
}

static void mailslot_msg_put(struct mailslot_msg *msg)
{
	if (!refcount_dec_and_test(&msg->ref))
		return;
	put_pid(msg->pid);
	/* never queued (seq 0): still charged */
	if (!msg->seq)
		mailslot_msg_uncharge(msg);
	mailslot_user_put(msg->user);
	if (mailslot_msg_split(msg))
		kfree(*mailslot_msg_buf(msg));
	else if (mailslot_msg_paged(msg))
		mailslot_msg_free_pages(msg, mailslot_msg_npages(msg));
	kvfree(msg);
}

/*
 * Copy the payload in from @from; false on a fault.  Chunks and pages come
 * from GFP_KERNEL, never from highmem: page_address() is their address.
 */
static bool mailslot_msg_fill(struct mailslot_msg *msg, struct iov_iter *from)
{
	struct page **pages = mailslot_msg_pages(msg);
	size_t left = msg->size, n;

	if (mailslot_msg_split(msg))
		return copy_from_iter_full(*mailslot_msg_buf(msg), msg->size,
					   from);
	if (!mailslot_msg_paged(msg))
		return copy_from_iter_full(msg->data, msg->size, from);
	for (; left; left -= n, pages++) {
		n = min(left, mailslot_page_bytes(*pages));
		if (!copy_from_iter_full(page_address(*pages), n, from))
			return false;
	}
	return true;
}

/* Copy the payload out to @to; false when not all of it went. */
static bool mailslot_msg_copy_out(struct mailslot_msg *msg,
				  struct iov_iter *to)
{
	struct page **pages = mailslot_msg_pages(msg);
	size_t left = msg->size, n;

	if (mailslot_msg_split(msg))
		return copy_to_iter(*mailslot_msg_buf(msg), msg->size, to) ==
		       msg->size;
	if (!mailslot_msg_paged(msg))
		return copy_to_iter(msg->data, msg->size, to) == msg->size;
	for (; left; left -= n, pages++) {
		n = min(left, mailslot_page_bytes(*pages));
		if (copy_to_iter(page_address(*pages), n, to) != n)
			return false;
	}
	return true;
}

/* Free messages unlinked under the slot lock; called without it. */
static void mailslot_msg_free_list(struct list_head *freed)
{
	struct mailslot_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, freed, node) {
		list_del(&msg->node);
		mailslot_msg_put(msg);
	}
}

/*
 * Bytes after the header that hold the payload, its buffer's address or
 * the pointers to its chunks (@chunked) or pages.
 */
static size_t mailslot_msg_body(size_t size, bool chunked)
{
	if (size <= MAILSLOT_INLINE_MAX)
		return size;
	if (size <= PAGE_SIZE)
		return sizeof(void *);
	if (chunked)
		return mailslot_msg_nchunks(size) * sizeof(struct page *);
	return DIV_ROUND_UP(size, PAGE_SIZE) * sizeof(struct page *);
}

/* The @extra bytes that mailslot_msg_new() put after the body. */
static void *mailslot_msg_extra(const struct mailslot_msg *msg)
{
	bool chunked = mailslot_msg_paged(msg) &&
		       compound_order(mailslot_msg_pages(msg)[0]);

	return (void *)msg->data + mailslot_msg_body(msg->size, chunked);
}

/*
 * A message for @size payload bytes (plus @extra bytes after its body,
 * see mailslot_msg_extra()), charged to @user through @file; the caller
 * sets the pid and fills the payload.  The charge is
 * struct_size(msg, data, size) whatever the layout.
 */
static struct mailslot_msg *mailslot_msg_new(struct mailslot_user *user,
					     kgid_t gid,
					     const struct file *file,
					     size_t size, size_t extra,
					     bool nowait)
{
	struct mailslot_msg *msg;
	size_t charge = struct_size(msg, data, size);
	/*
	 * Charged to the sender's memory cgroup.  At the cgroup's limit the
	 * write fails with ENOMEM instead of invoking the cgroup's OOM killer:
	 * a full mailbox is the sender's error to handle, not a reason to
	 * kill it, nor to log an allocation-failure splat.
	 */
	gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	bool chunked = true;
	int ret;

	/* IOCB_NOWAIT: no direct reclaim; EAGAIN lets the caller retry */
	if (nowait)
		gfp &= ~__GFP_DIRECT_RECLAIM;

	ret = mailslot_user_charge_bytes(user, charge, file);
	if (ret)
		return ERR_PTR(ret);
	for (;;) {
		size_t hsize = struct_size(msg, data,
					   mailslot_msg_body(size, chunked)) +
			       extra;

		/* kvmalloc() only for a long list of pages */
		msg = hsize <= PAGE_SIZE ? kmalloc(hsize, gfp) :
					   kvmalloc(hsize, gfp);
		if (!msg)
			goto err_uncharge;
		msg->size = size;
		if (mailslot_msg_split(msg)) {
			*mailslot_msg_buf(msg) = kmalloc(size, gfp);
			if (*mailslot_msg_buf(msg))
				break;
			kvfree(msg);
			goto err_uncharge;
		}
		if (!mailslot_msg_paged(msg) ||
		    mailslot_msg_alloc_pages(msg, gfp, chunked))
			break;
		kvfree(msg);
		if (!chunked)
			goto err_uncharge;
		chunked = false;	/* fragmented: order-0 pages */
	}
	INIT_LIST_HEAD(&msg->node);
	refcount_set(&msg->ref, 1);
	msg->pending = 0;
	mailslot_user_hold(user);
	msg->user = user;
	msg->pid = NULL;
	msg->seq = 0;
	msg->time_ns = 0;
	msg->gid = gid;
	return msg;

err_uncharge:
	mailslot_user_uncharge_bytes(user, charge);
	return ERR_PTR(nowait ? -EAGAIN : -ENOMEM);
}

/*
 * A message for @size payload bytes written through @file, charged to its
 * opener: identity and budget are the opener's (as SO_PEERCRED is the
 * connecter's), never the writing task's, so that a descriptor handed to
 * a privileged program does not speak with its privileges.  Only the pid
 * is the writing task's.
 */
static struct mailslot_msg *mailslot_msg_alloc(struct file *file, size_t size,
					       bool nowait)
{
	struct mailslot_handle *h = file->private_data;
	struct mailslot_msg *msg;

	msg = mailslot_msg_new(h->user, h->gid, file, size, 0, nowait);
	if (!IS_ERR(msg))
		msg->pid = get_pid(task_tgid(current));
	return msg;
}

static struct mailslot_msg *mailslot_msg_next(struct mailslot_slot *slot,
					      struct mailslot_msg *msg)
{
	if (list_is_last(&msg->node, &slot->msgs))
		return NULL;
	return list_next_entry(msg, node);
}

/* Unlink the messages no reader needs any more onto @freed. */
static void mailslot_trim(struct mailslot_slot *slot, struct list_head *freed)
{
	struct mailslot_msg *msg, *tmp;

	lockdep_assert_held(&slot->lock);
	list_for_each_entry_safe(msg, tmp, &slot->msgs, node) {
		if (msg->pending)
			break;
		slot->nmsgs--;
		slot->nbytes -= msg->size;
		list_move_tail(&msg->node, freed);
	}
}

/* Take the reader's oldest message off its queue. */
static void mailslot_reader_pop(struct mailslot_slot *slot,
				struct mailslot_reader *r)
{
	struct mailslot_msg *msg = r->next;

	lockdep_assert_held(&slot->lock);
	/* read without the lock by waiting readers */
	WRITE_ONCE(r->next, mailslot_msg_next(slot, msg));
	r->msgs--;
	r->bytes -= msg->size;
	if (!r->next)
		r->gen++;	/* no longer signaled */
	msg->pending--;
	if (r->server)
		mailslot_msg_uncharge(msg);
}

static bool mailslot_reader_has_room(struct mailslot_slot *slot,
				     struct mailslot_reader *r, size_t size)
{
	return r->msgs < slot->max_msgs && r->bytes + size <= slot->max_bytes;
}

/*
 * Whether a full queue of @r holds the writer back (blocks it or fails the
 * write): every queue does, except listeners' with listener_drop.
 */
static bool mailslot_reader_holds(const struct mailslot_slot *slot,
				  const struct mailslot_reader *r)
{
	return r->server || !slot->listener_drop;
}

/*
 * Does every queue that holds writers back have room for @size more bytes?
 * Without listener_drop every queue holds them back, and no walk is
 * needed: every reader's queue is a suffix of slot->msgs (it sees every
 * message written after it opened and takes or drops them oldest first),
 * and the unneeded prefix is trimmed under the lock each time a message
 * leaves a queue, so the head of the list is some reader's next message
 * and the fullest queue is the whole list: slot->nmsgs messages,
 * slot->nbytes bytes.  With listener_drop the fullest queue may be a
 * listener's, which does not count: walk the readers (at most
 * max_readers_per_slot).
 */
static bool mailslot_all_have_room(struct mailslot_slot *slot, size_t size)
{
	struct mailslot_reader *r;

	lockdep_assert_held(&slot->lock);
	if (!slot->listener_drop)
		return slot->nmsgs < slot->max_msgs &&
		       slot->nbytes + size <= slot->max_bytes;
	list_for_each_entry(r, &slot->readers, node)
		if (mailslot_reader_holds(slot, r) &&
		    !mailslot_reader_has_room(slot, r, size))
			return false;
	return true;
}

/*
 * Make room for @size bytes by dropping oldest messages: in every queue
 * (MAILSLOT_OVERFLOW_DROP, @all) or in the queues that do not hold the
 * writer back (listener_drop).
 */
static void mailslot_drop_for(struct mailslot_slot *slot, size_t size,
			      bool all, struct list_head *freed)
{
	struct mailslot_reader *r;

	lockdep_assert_held(&slot->lock);
	list_for_each_entry(r, &slot->readers, node) {
		if (!all && mailslot_reader_holds(slot, r))
			continue;
		/* size <= max_bytes, so an empty queue always has room */
		while (r->next && !mailslot_reader_has_room(slot, r, size)) {
			trace_mailslot_drop(slot->name, r->next->seq,
					    r->next->size, r->drops + 1);
			mailslot_reader_pop(slot, r);
			r->drops++;
			slot->drops++;
		}
	}
	mailslot_trim(slot, freed);
}

/*
 * Under the slot lock: room for a @size-byte message by the slot's policy,
 * dropping the oldest messages of full readers into @freed where it says
 * so.  False when the writer has to wait or fail.
 */
static bool mailslot_make_room(struct mailslot_slot *slot, size_t size,
			       struct list_head *freed)
{
	if (mailslot_all_have_room(slot, size)) {
		if (slot->listener_drop)
			mailslot_drop_for(slot, size, false, freed);
		return true;
	}
	if (slot->overflow == MAILSLOT_OVERFLOW_DROP) {
		mailslot_drop_for(slot, size, true, freed);
		return true;
	}
	return false;
}

static void mailslot_enqueue(struct mailslot_slot *slot,
			     struct mailslot_msg *msg)
{
	struct mailslot_reader *r;

	lockdep_assert_held(&slot->lock);
	msg->seq = ++slot->seq;
	msg->time_ns = ktime_get_ns();
	msg->pending = slot->nreaders;
	list_add_tail(&msg->node, &slot->msgs);
	slot->nmsgs++;
	slot->nbytes += msg->size;
	slot->sent++;
	trace_mailslot_send(slot->name, msg->seq, msg->size, slot->nreaders);
	list_for_each_entry(r, &slot->readers, node) {
		/*
		 * Release: a pinned reader takes its next message without
		 * the lock (mailslot_recv_begin()), and a waiting one looks
		 * at the cursor without it (mailslot_reader_ready()).
		 */
		if (!r->next)	/* release: see above */
			smp_store_release(&r->next, msg);
		r->msgs++;
		r->bytes += msg->size;
	}
	/*
	 * A reader waits without the slot lock: it queues itself, then looks
	 * at r->next (mailslot_reader_ready()).  Full barrier between the
	 * stores above and the looks for sleepers below; pairs with the one
	 * in the sleeper's prepare_to_wait().  One for all readers.
	 */
	smp_mb();
	list_for_each_entry(r, &slot->readers, node)
		if (waitqueue_active(&r->wait))	/* after smp_mb() above */
			wake_up_poll(&r->wait, EPOLLIN | EPOLLRDNORM);
}

static void mailslot_wake_writers(struct mailslot_slot *slot)
{
	/* Full barrier: pairs with the one in the writer's prepare_to_wait. */
	if (wq_has_sleeper(&slot->wwait))
		wake_up_poll(&slot->wwait, EPOLLOUT | EPOLLWRNORM);
}

static void mailslot_wake_work(struct work_struct *work)
{
	mailslot_wake_writers(container_of(to_delayed_work(work),
					   struct mailslot_slot, wake_work));
}

void mailslot_slot_wake_init(struct mailslot_slot *slot)
{
	INIT_DELAYED_WORK(&slot->wake_work, mailslot_wake_work);
}

/* Before the slot is freed; no reader is left to queue the work again. */
void mailslot_slot_wake_stop(struct mailslot_slot *slot)
{
	cancel_delayed_work_sync(&slot->wake_work);
}

/*
 * A read call took messages; @low: the queue is now at most half full.
 * Called after a full barrier (mailslot_read_end(): the one in
 * mailslot_read_unlock()).
 *
 * Blocked writers are woken at once when the queue is at most half full,
 * not for every message taken (as sockets do with sk_sndbuf / 2): a
 * writer woken for one free place preempts the reader on its CPU, fills
 * the place and sleeps again, two context switches per message.  A
 * streaming reader gets to half long before a clock tick has passed.  But
 * a reader may also take one message and then wait for something else, a
 * reply from that very writer: so a read that made room above half wakes
 * the writers one tick later (a delayed work) if nothing did before.  No
 * writer sleeps on a queue with room for longer than that.
 */
static void mailslot_read_wake(struct mailslot_slot *slot, bool low)
{
	/* after the caller's smp_mb(), paired with prepare_to_wait() */
	if (!waitqueue_active(&slot->wwait))
		return;
	if (low)
		wake_up_poll(&slot->wwait, EPOLLOUT | EPOLLWRNORM);
	else
		schedule_delayed_work(&slot->wake_work, 1);
}

void mailslot_reader_init(struct mailslot_reader *r, u64 timeout_ns)
{
	INIT_LIST_HEAD(&r->node);
	r->next = NULL;
	init_waitqueue_head(&r->wait);
	mutex_init(&r->read_mutex);
	init_waitqueue_head(&r->unlock_wait);
	r->timeout_ns = timeout_ns;
}

/*
 * What a listener's opener reserves of its budget at open: the most its
 * queue can keep, max_bytes of payload plus the header of max_msgs
 * messages.
 */
size_t mailslot_listener_reserve(const struct mailslot_slot *slot)
{
	return (size_t)slot->max_bytes +
	       (size_t)slot->max_msgs * offsetof(struct mailslot_msg, data);
}

/* A new reader gets the messages written from now on. */
void mailslot_reader_attach(struct mailslot_slot *slot,
			    struct mailslot_reader *r)
{
	lockdep_assert_held(&slot->lock);
	list_add_tail(&r->node, &slot->readers);
	slot->nreaders++;
}

/* A closing reader gives up its queue. */
void mailslot_reader_detach(struct mailslot_slot *slot,
			    struct mailslot_reader *r)
{
	struct mailslot_msg *msg;
	LIST_HEAD(freed);

	spin_lock(&slot->lock);
	list_del_init(&r->node);
	slot->nreaders--;
	for (msg = r->next; msg; msg = mailslot_msg_next(slot, msg)) {
		msg->pending--;
		if (r->server)
			mailslot_msg_uncharge(msg);
	}
	WRITE_ONCE(r->next, NULL);
	r->msgs = 0;
	r->bytes = 0;
	r->gen++;
	mailslot_trim(slot, &freed);
	spin_unlock(&slot->lock);
	mailslot_msg_free_list(&freed);
	mailslot_wake_writers(slot);
	mutex_destroy(&r->read_mutex);
}

/* The slot is dead: wake every reader and writer. */
void mailslot_slot_wake_all(struct mailslot_slot *slot)
{
	struct mailslot_reader *r;

	spin_lock(&slot->lock);
	list_for_each_entry(r, &slot->readers, node)
		wake_up_poll(&r->wait, EPOLLHUP);
	spin_unlock(&slot->lock);
	wake_up_poll(&slot->wwait, EPOLLHUP | EPOLLERR);
}

/*
 * Has the reader a message, or is the slot dead?  A look without the lock,
 * for waiting: the answer is only a hint until it is confirmed under the
 * slot lock (mailslot_recv_begin()).  A waiter sees a message queued after
 * it went to sleep: mailslot_enqueue() stores r->next before its full
 * barrier and its look for sleepers.  Death is set under the slot lock
 * before mailslot_slot_wake_all() wakes every reader unconditionally.
 */
static bool mailslot_reader_ready(struct mailslot_slot *slot,
				  struct mailslot_reader *r)
{
	return READ_ONCE(r->next) || READ_ONCE(slot->dead);
}

/*
 * Sleep until the reader has a message or the slot is dead, for ever
 * (@timeout_ns above KTIME_MAX) or until @deadline.  Open-coded rather
 * than wait_event_interruptible(): a reader woken by a message finds it
 * at once, with the waker having taken it off the wait queue
 * (autoremove_wake_function()), so the wake-up costs no further trip
 * through the wait queue's lock.
 */
static int mailslot_read_sleep(struct mailslot_slot *slot,
			       struct mailslot_reader *r, u64 timeout_ns,
			       ktime_t deadline)
{
	bool timed = timeout_ns <= KTIME_MAX;
	DEFINE_WAIT(wait);
	int ret = 0;

	for (;;) {
		prepare_to_wait(&r->wait, &wait, TASK_INTERRUPTIBLE);
		if (mailslot_reader_ready(slot, r))
			break;
		if (signal_pending(current)) {
			/* a timed wait cannot be restarted */
			ret = timed ? -EINTR : -ERESTARTSYS;
			break;
		}
		if (!timed) {
			schedule();
		} else if (!schedule_hrtimeout_range(&deadline,
						     current->timer_slack_ns,
						     HRTIMER_MODE_ABS)) {
			if (!mailslot_reader_ready(slot, r))
				ret = -ETIMEDOUT;
			break;
		}
		if (mailslot_reader_ready(slot, r))
			break;
	}
	finish_wait(&r->wait, &wait);
	return ret;
}

/*
 * Wait until the reader has a message or the slot is dead.  @timeout_ns
 * is the handle's read timeout, @deadline the absolute end of a finite one.
 */
static int mailslot_read_wait(struct mailslot_slot *slot,
			      struct mailslot_reader *r, bool nonblock,
			      u64 timeout_ns, ktime_t deadline)
{
	if (mailslot_reader_ready(slot, r))
		return 0;
	if (nonblock || !timeout_ns)
		return -EAGAIN;
	if (timeout_ns <= KTIME_MAX && ktime_sub(deadline, ktime_get()) <= 0)
		return -ETIMEDOUT;
	return mailslot_read_sleep(slot, r, timeout_ns, deadline);
}

/*
 * Take the reader's read_mutex as the read waits: not at all with
 * O_NONBLOCK or a zero timeout (EAGAIN), until the deadline with a finite
 * one (ETIMEDOUT): another thread of the handle may hold it for as long
 * as its copy to user space takes.
 */
static int mailslot_read_lock(struct mailslot_reader *r, bool nonblock,
			      u64 timeout_ns, ktime_t deadline)
{
	ktime_t left;
	int ret;

	if (mutex_trylock(&r->read_mutex))
		return 0;
	if (nonblock || !timeout_ns)
		return -EAGAIN;
	if (timeout_ns > KTIME_MAX)
		return mutex_lock_interruptible(&r->read_mutex) ?
		       -ERESTARTSYS : 0;
	left = ktime_sub(deadline, ktime_get());
	if (left <= 0)
		return -ETIMEDOUT;
	ret = wait_event_interruptible_hrtimeout(r->unlock_wait,
						 mutex_trylock(&r->read_mutex),
						 left);
	if (ret == -ETIME)
		return -ETIMEDOUT;
	if (ret)
		return -EINTR;	/* a timed wait cannot be restarted */
	return 0;
}

static void mailslot_read_unlock(struct mailslot_reader *r)
{
	mutex_unlock(&r->read_mutex);
	/* Full barrier: pairs with the one in the waiter's prepare_to_wait. */
	if (wq_has_sleeper(&r->unlock_wait))
		wake_up(&r->unlock_wait);
}

/*
 * The end of a read call: release the handle's read_mutex and, when the
 * call took messages (@taken; @low: the queue is now at most half full),
 * wake the writers (mailslot_read_wake()).  The full barrier of
 * mailslot_read_unlock() serves both looks for sleepers: it pairs with
 * the one in the prepare_to_wait() of a thread waiting for the mutex, and
 * with that of a writer waiting for room, which then looks at the queue
 * under the slot lock that the read released before this.
 */
static void mailslot_read_end(struct mailslot_slot *slot,
			      struct mailslot_reader *r, bool taken, bool low)
{
	mailslot_read_unlock(r);
	if (taken)
		mailslot_read_wake(slot, low);
}

/*
 * Is the reader's next message its own to take off its queue?  In a slot
 * that never drops from this reader's queue (not MAILSLOT_OVERFLOW_DROP,
 * and not a listener's queue under listener_drop), only the reader itself
 * pops it, under its read_mutex, and a reader is detached only when its
 * handle is released, which no read is then using.  So while the reader
 * holds read_mutex, its next message stays queued, and alive, until the
 * reader pops it: the read needs no reference to it, and no slot lock to
 * find it.  Constant for the reader's lifetime.
 */
static bool mailslot_reader_pinned(const struct mailslot_slot *slot,
				   const struct mailslot_reader *r)
{
	return slot->overflow != MAILSLOT_OVERFLOW_DROP &&
	       mailslot_reader_holds(slot, r);
}

/* Let go of a message that mailslot_recv_begin() returned, not taken. */
static void mailslot_recv_release(struct mailslot_handle *h,
				  struct mailslot_msg *msg)
{
	if (!mailslot_reader_pinned(h->slot, &h->reader))
		mailslot_msg_put(msg);
}

/*
 * Wait for the reader's next message.  On success returns 0 with
 * read_mutex held and *@msgp the message, or NULL at end of file (the
 * slot is dead and the queue empty).  Unless the reader is pinned
 * (mailslot_reader_pinned()), a reference to the message is taken; let
 * it go with mailslot_recv_release() or mailslot_recv_done().
 */
static int mailslot_recv_begin(struct mailslot_handle *h, bool nonblock,
			       struct mailslot_msg **msgp)
{
	struct mailslot_slot *slot = h->slot;
	struct mailslot_reader *r = &h->reader;
	u64 timeout_ns = READ_ONCE(r->timeout_ns);
	ktime_t deadline = 0;
	struct mailslot_msg *msg;
	bool dead;
	int ret;

	if (timeout_ns && timeout_ns <= KTIME_MAX)
		deadline = ktime_add_safe(ktime_get(), ns_to_ktime(timeout_ns));
	/*
	 * A look without locks, then the read_mutex and a look at the queue:
	 * a reader that has to wait takes no lock until a message has come,
	 * and a pinned reader that finds a message takes the slot lock once
	 * per message (in mailslot_recv_done()), others twice.
	 */
	for (;;) {
		ret = mailslot_read_wait(slot, r, nonblock, timeout_ns,
					 deadline);
		if (ret)
			return ret;
		ret = mailslot_read_lock(r, nonblock, timeout_ns, deadline);
		if (ret)
			return ret;
		if (mailslot_reader_pinned(slot, r)) {
			/* pairs with the release in mailslot_enqueue() */
			msg = smp_load_acquire(&r->next);
			if (msg) {
				*msgp = msg;
				return 0;
			}
		}
		spin_lock(&slot->lock);
		msg = r->next;
		if (msg && !mailslot_reader_pinned(slot, r))
			refcount_inc(&msg->ref);
		dead = slot->dead;
		spin_unlock(&slot->lock);
		if (msg || dead) {
			*msgp = msg;
			return 0;
		}
		/* another thread of the handle took it: wait again */
		mailslot_read_unlock(r);
	}
}

/*
 * @msg has been delivered: take it off the reader's queue and let it go.
 * With @nextp, also return the reader's next message (NULL when none), as
 * mailslot_recv_begin() does, from the same critical section.  Returns
 * whether the queue is now at most half full; the caller wakes the
 * writers once its read call is done (mailslot_read_wake()).
 */
static bool mailslot_recv_done(struct mailslot_handle *h,
			       struct mailslot_msg *msg,
			       struct mailslot_msg **nextp)
{
	struct mailslot_slot *slot = h->slot;
	struct mailslot_reader *r = &h->reader;
	LIST_HEAD(freed);
	bool low;

	trace_mailslot_receive(slot->name, msg->seq, msg->size);
	spin_lock(&slot->lock);
	if (r->next == msg) {
		mailslot_reader_pop(slot, r);
		mailslot_trim(slot, &freed);
	} else {
		/* dropped while being copied out: delivered after all */
		r->drops--;
		slot->drops--;
	}
	slot->received++;
	low = r->msgs <= slot->max_msgs / 2 && r->bytes <= slot->max_bytes / 2;
	if (nextp) {
		*nextp = r->next;
		if (*nextp && !mailslot_reader_pinned(slot, r))
			refcount_inc(&(*nextp)->ref);
	}
	spin_unlock(&slot->lock);
	/* a pinned @msg may be on @freed: not used after this */
	mailslot_msg_free_list(&freed);
	mailslot_recv_release(h, msg);
	return low;
}

static void mailslot_msg_info_relayed(const struct mailslot_msg *msg,
				      struct mailslot_msg_info *info);

static void mailslot_msg_info(const struct mailslot_msg *msg,
			      struct mailslot_msg_info *info)
{
	struct user_namespace *ns = current_user_ns();

	/* flags and reserved are zero: nothing of the stack reaches the user */
	memset(info, 0, sizeof(*info));
	info->seq = msg->seq;
	info->time_ns = msg->time_ns;
	info->pid = pid_nr_ns(msg->pid, task_active_pid_ns(current));
	info->uid = from_kuid_munged(ns, mailslot_user_uid(msg->user));
	info->gid = from_kgid_munged(ns, msg->gid);
	info->size = msg->size;
	info->info_size = sizeof(*info);
	if (!msg->pid)
		mailslot_msg_info_relayed(msg, info);
}

/*
 * Receive one message into @to; with @info, also describe it there, and
 * with @uinfo (which needs @info) store that description there too before
 * the message is consumed.  Returns the payload size, 0 at end of file
 * (*@info all zero), -EMSGSIZE when @to is too small (the message stays
 * queued, *@info describes it).  A fault consumes nothing.  A plain read()
 * passes no @info: the pid and id translations are not free.
 */
static ssize_t mailslot_recv(struct mailslot_handle *h, bool nonblock,
			     struct iov_iter *to,
			     struct mailslot_msg_info *info,
			     struct mailslot_msg_info __user *uinfo)
{
	struct mailslot_msg *msg;
	bool taken = false, low = false;
	ssize_t ret;

	ret = mailslot_recv_begin(h, nonblock, &msg);
	if (ret)
		return ret;
	if (info)
		memset(info, 0, sizeof(*info));
	if (!msg) {
		ret = 0;
		goto out_unlock;
	}
	if (info)
		mailslot_msg_info(msg, info);
	if (msg->size > iov_iter_count(to))
		ret = -EMSGSIZE;
	else if (!mailslot_msg_copy_out(msg, to))
		ret = -EFAULT;
	else if (uinfo && copy_to_user(uinfo, info, sizeof(*info)))
		ret = -EFAULT;
	else
		ret = msg->size;
	if (ret >= 0) {
		low = mailslot_recv_done(h, msg, NULL);
		taken = true;
	} else {
		mailslot_recv_release(h, msg);
	}
out_unlock:
	mailslot_read_end(h->slot, &h->reader, taken, low);
	return ret;
}

static bool mailslot_nonblock(struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) ||
	       (iocb->ki_flags & IOCB_NOWAIT);
}

ssize_t mailslot_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct mailslot_handle *h = iocb->ki_filp->private_data;

	if (!h->reads)
		return -EBADF;
	return mailslot_recv(h, mailslot_nonblock(iocb), to, NULL, NULL);
}

/*
 * read(2) and write(2) come here rather than through ->read_iter and
 * ->write_iter: vfs_read() and vfs_write() prefer ->read and ->write, and
 * these skip the kiocb that new_sync_read() and new_sync_write() would set
 * up (its I/O priority costs a function call) for flags that a plain
 * read() or write() never has.  Every other path (readv, io_uring,
 * preadv2 with RWF_NOWAIT) still takes the _iter ones.  vfs_read() and
 * vfs_write() have checked the buffer and capped @count already; the
 * position is unused, as in the _iter ones.
 */
ssize_t mailslot_read(struct file *file, char __user *buf, size_t count,
		      loff_t *ppos)
{
	struct mailslot_handle *h = file->private_data;
	struct iov_iter to;
	struct iovec iov;

	if (!h->reads)
		return -EBADF;
	mailslot_iter_ubuf_dest(&to, &iov, buf, count);
	return mailslot_recv(h, file->f_flags & O_NONBLOCK, &to, NULL, NULL);
}

static bool mailslot_writer_may_go(struct mailslot_slot *slot, size_t size)
{
	bool go;

	spin_lock(&slot->lock);
	go = slot->dead || mailslot_all_have_room(slot, size);
	spin_unlock(&slot->lock);
	return go;
}

/*
 * Queue one message of all of @from.  @nonblock (O_NONBLOCK or
 * IOCB_NOWAIT): EAGAIN rather than a wait for room; @nowait (IOCB_NOWAIT):
 * no reclaim for the message's memory either.
 */
static ssize_t mailslot_write_msg(struct file *file, struct iov_iter *from,
				  bool nonblock, bool nowait)
{
	struct mailslot_handle *h = file->private_data;
	struct mailslot_slot *slot = h->slot;
	size_t size = iov_iter_count(from);
	struct mailslot_msg *msg;
	LIST_HEAD(freed);
	int ret;

	if (!h->writes)
		return -EBADF;
	if (size > slot->max_msg_size)
		return -EMSGSIZE;
	/*
	 * Early EPIPE without the lock: a slot that dies after this look is
	 * caught under the lock below, before the message is queued.
	 */
	if (READ_ONCE(slot->dead))
		return -EPIPE;

	msg = mailslot_msg_alloc(file, size, nowait);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	if (!mailslot_msg_fill(msg, from)) {
		mailslot_msg_put(msg);
		return -EFAULT;
	}

	spin_lock(&slot->lock);
	for (;;) {
		if (slot->dead) {
			ret = -EPIPE;
			break;
		}
		if (mailslot_make_room(slot, size, &freed))
			break;
		if (slot->overflow == MAILSLOT_OVERFLOW_FAIL || nonblock) {
			ret = -EAGAIN;
			break;
		}
		spin_unlock(&slot->lock);
		ret = wait_event_interruptible(slot->wwait,
					       mailslot_writer_may_go(slot, size));
		spin_lock(&slot->lock);
		if (ret)
			break;
	}
	if (!ret) {
		mailslot_enqueue(slot, msg);
		msg = NULL;
	}
	spin_unlock(&slot->lock);
	mailslot_msg_free_list(&freed);
	if (msg)
		mailslot_msg_put(msg);
	return ret ? ret : size;
}

ssize_t mailslot_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return mailslot_write_msg(iocb->ki_filp, from, mailslot_nonblock(iocb),
				  iocb->ki_flags & IOCB_NOWAIT);
}

/* write(2): see mailslot_read(). */
ssize_t mailslot_write(struct file *file, const char __user *buf,
		       size_t count, loff_t *ppos)
{
	struct iov_iter from;
	struct iovec iov;

	mailslot_iter_ubuf_src(&from, &iov, (void __user *)buf, count);
	return mailslot_write_msg(file, &from, file->f_flags & O_NONBLOCK, false);
}

__poll_t mailslot_poll(struct file *file, struct poll_table_struct *pt)
{
	struct mailslot_handle *h = file->private_data;
	struct mailslot_slot *slot = h->slot;
	__poll_t mask = 0;

	if (h->reads)
		poll_wait(file, &h->reader.wait, pt);
	if (h->writes)
		poll_wait(file, &slot->wwait, pt);

	spin_lock(&slot->lock);
	if (h->reads && h->reader.next)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (slot->dead) {
		mask |= EPOLLHUP;
		if (h->writes)
			mask |= EPOLLERR;
	} else if (h->writes &&
		   (slot->overflow == MAILSLOT_OVERFLOW_DROP ||
		    mailslot_all_have_room(slot, slot->max_msg_size))) {
		/* room for a message of any size in every queue */
		mask |= EPOLLOUT | EPOLLWRNORM;
	}
	spin_unlock(&slot->lock);
	return mask;
}

static long mailslot_ioctl_get_info(struct mailslot_handle *h,
				    struct mailslot_info __user *uarg)
{
	struct mailslot_slot *slot = h->slot;
	struct mailslot_reader *r = &h->reader;
	struct mailslot_info info = {};

	spin_lock(&slot->lock);
	if (h->reads) {
		info.flags |= MAILSLOT_INFO_READER;
		info.read_timeout_ns = READ_ONCE(r->timeout_ns);
		info.msgs = r->msgs;
		info.bytes = r->bytes;
		info.drops = r->drops;
		info.next_size = r->next ? r->next->size : MAILSLOT_NO_MESSAGE;
	}
	if (h->writes)
		info.flags |= MAILSLOT_INFO_WRITER;
	if (h->server)
		info.flags |= MAILSLOT_INFO_SERVER;
	if (slot->remote)
		info.flags |= MAILSLOT_INFO_REMOTE;
	if (slot->dead)
		info.flags |= MAILSLOT_INFO_CLOSED;
	info.sent = slot->sent;
	info.max_msg_size = slot->max_msg_size;
	info.max_msgs = slot->max_msgs;
	info.max_bytes = slot->max_bytes;
	info.readers = slot->nreaders;
	info.writers = slot->nwriters;
	info.overflow = slot->overflow;
	spin_unlock(&slot->lock);

	if (copy_to_user(uarg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long mailslot_ioctl_recv(struct mailslot_handle *h, bool nonblock,
				struct mailslot_recv __user *uarg)
{
	struct mailslot_recv rv;
	struct iov_iter to;
	struct iovec iov;
	void __user *buf;
	ssize_t ret;

	if (copy_from_user(&rv, uarg, sizeof(rv)))
		return -EFAULT;
	if (rv.flags || rv.reserved[0] || rv.reserved[1])
		return -EINVAL;
	buf = u64_to_user_ptr(rv.buf);
	if (!access_ok(buf, rv.size))
		return -EFAULT;
	mailslot_iter_ubuf_dest(&to, &iov, buf, rv.size);
	ret = mailslot_recv(h, nonblock, &to, &rv.info, &uarg->info);
	if (ret == -EMSGSIZE &&
	    copy_to_user(&uarg->info, &rv.info, sizeof(rv.info)))
		return -EFAULT;
	if (ret == 0 && copy_to_user(&uarg->info, &rv.info, sizeof(rv.info)))
		return -EFAULT;
	return ret;
}

static long mailslot_ioctl_recv_batch(struct mailslot_handle *h,
				      bool nonblock,
				      struct mailslot_recv_batch __user *uarg)
{
	struct mailslot_slot *slot = h->slot;
	struct mailslot_reader *r = &h->reader;
	static const u8 zeros[8];
	struct mailslot_recv_batch b;
	struct mailslot_msg_info info;
	struct mailslot_msg *msg;
	struct iov_iter to;
	struct iovec iov;
	void __user *buf;
	u64 used = 0, rec;
	bool low = false;
	long n = 0;
	int ret;

	if (copy_from_user(&b, uarg, sizeof(b)))
		return -EFAULT;
	if (b.flags || b.reserved[0] || b.reserved[1] || !b.max_msgs ||
	    b.max_msgs > MAILSLOT_MAX_MSGS_LIMIT)
		return -EINVAL;
	buf = u64_to_user_ptr(b.buf);
	b.size = min_t(u64, b.size, MAX_RW_COUNT);
	if (!access_ok(buf, b.size))
		return -EFAULT;
	mailslot_iter_ubuf_dest(&to, &iov, buf, b.size);

	ret = mailslot_recv_begin(h, nonblock, &msg);
	if (ret)
		return ret;
	while (msg) {
		size_t pad;

		rec = MAILSLOT_RECORD_SIZE(msg->size);
		pad = rec - sizeof(info) - msg->size;
		if (rec > b.size - used) {
			if (!n) {
				ret = -EMSGSIZE;
				used = rec;	/* tell the caller what it needs */
			}
			mailslot_recv_release(h, msg);
			break;
		}
		mailslot_msg_info(msg, &info);
		if (copy_to_iter(&info, sizeof(info), &to) != sizeof(info) ||
		    !mailslot_msg_copy_out(msg, &to) ||
		    copy_to_iter(zeros, pad, &to) != pad) {
			if (!n)
				ret = -EFAULT;
			mailslot_recv_release(h, msg);
			break;
		}
		used += rec;
		if (++n == b.max_msgs) {
			low = mailslot_recv_done(h, msg, NULL);
			break;
		}
		low = mailslot_recv_done(h, msg, &msg);
	}
	mailslot_read_end(slot, r, n, low);

	if (ret && ret != -EMSGSIZE)
		return ret;
	if (put_user(used, &uarg->bytes))
		return -EFAULT;
	return ret ? ret : n;
}

long mailslot_slot_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct mailslot_handle *h = file->private_data;
	bool nonblock = file->f_flags & O_NONBLOCK;
	void __user *argp = (void __user *)arg;
	struct mailslot_msg *msg;
	u64 timeout;
	int size;

	switch (cmd) {
	case MAILSLOT_IOC_GET_INFO:
		return mailslot_ioctl_get_info(h, argp);
	case MAILSLOT_IOC_SET_TIMEOUT:
		if (!h->reads)
			return -EBADF;
		if (get_user(timeout, (u64 __user *)argp))
			return -EFAULT;
		WRITE_ONCE(h->reader.timeout_ns, timeout);
		return 0;
	case MAILSLOT_IOC_RECV:
		if (!h->reads)
			return -EBADF;
		return mailslot_ioctl_recv(h, nonblock, argp);
	case MAILSLOT_IOC_RECV_BATCH:
		if (!h->reads)
			return -EBADF;
		return mailslot_ioctl_recv_batch(h, nonblock, argp);
	case FIONREAD:
		if (!h->reads)
			return -EBADF;
		spin_lock(&h->slot->lock);
		msg = h->reader.next;
		size = msg ? msg->size : 0;
		spin_unlock(&h->slot->lock);
		return put_user(size, (int __user *)argp);
	default:
		return -ENOTTY;
	}
}

/* For wait.c */

wait_queue_head_t *mailslot_reader_waitqueue(struct file *file)
{
	struct mailslot_handle *h;

	if (file->f_op != &mailslot_slot_fops)
		return NULL;
	h = file->private_data;
	return h->reads ? &h->reader.wait : NULL;
}

bool mailslot_reader_signaled(struct file *file, u64 *gen)
{
	struct mailslot_handle *h = file->private_data;
	struct mailslot_slot *slot = h->slot;
	bool signaled;

	/*
	 * A closed slot's drained reader is signaled too: read() returns end
	 * of file at once, and a wait must not sleep through that.
	 */
	spin_lock(&slot->lock);
	signaled = h->reader.next || slot->dead;
	*gen = h->reader.gen;
	spin_unlock(&slot->lock);
	return signaled;
}

/*
 * Relayed messages (MAILSLOT_IOC_RELAY_SEND, relay.c).  Kept apart from the
 * write path: a relayed message has no writing task (pid NULL) and carries
 * its origin after the payload; delivery never waits, so that one full
 * slot cannot stall the relay for every other.
 */

static void mailslot_msg_info_relayed(const struct mailslot_msg *msg,
				      struct mailslot_msg_info *info)
{
	BUILD_BUG_ON(sizeof(struct mailslot_msg_origin) >
		     sizeof(info->reserved));
	info->flags |= MAILSLOT_MSG_RELAYED;
	memcpy(info->reserved, mailslot_msg_extra(msg),
	       sizeof(struct mailslot_msg_origin));
}

ssize_t mailslot_relay_deliver(struct mailslot_slot *slot,
			       struct mailslot_user *user, kgid_t gid,
			       const struct file *file,
			       const void __user *buf, size_t size,
			       const struct mailslot_msg_origin *origin)
{
	struct mailslot_msg *msg;
	struct iov_iter from;
	struct iovec iov;
	LIST_HEAD(freed);
	int ret = 0;

	if (size > slot->max_msg_size)
		return -EMSGSIZE;
	/* the origin's 32 bytes are charged to the memory cgroup only */
	msg = mailslot_msg_new(user, gid, file, size, sizeof(*origin), false);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	memcpy(mailslot_msg_extra(msg), origin, sizeof(*origin));
	mailslot_iter_ubuf_src(&from, &iov, (void __user *)buf, size);
	if (!mailslot_msg_fill(msg, &from)) {
		mailslot_msg_put(msg);
		return -EFAULT;
	}

	spin_lock(&slot->lock);
	if (slot->dead)
		ret = -ENOENT;
	else if (!mailslot_make_room(slot, size, &freed))
		ret = -EAGAIN;
	if (!ret) {
		mailslot_enqueue(slot, msg);
		msg = NULL;
	}
	spin_unlock(&slot->lock);
	mailslot_msg_free_list(&freed);
	if (msg)
		mailslot_msg_put(msg);
	return ret ? ret : size;
}

/* A 64-byte message takes kmalloc-128, as an mqueue message does. */
static_assert(!IS_ENABLED(CONFIG_64BIT) ||
	      offsetof(struct mailslot_msg, data) == 64);
