// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic allocation- and copy-failure testing.
 *
 * For every entry point of the module (open of the control device and of a
 * slot, CREATE, write, read, every ioctl, PROC_OPEN, a process object's
 * read, WAIT any/all, poll and epoll registration) this fails the 1st,
 * 2nd, ... Nth fault point the call reaches, through
 * /proc/thread-self/fail-nth (Documentation/fault-injection/
 * fault-injection.rst), until the call runs untouched.  Fault points are
 * every slab allocation (failslab), every page allocation (fail_page_alloc,
 * order 0 and up) and every user copy (fail_usercopy), sleeping
 * allocations included.  After each injected failure:
 *   - the call either failed with an error it may return for a failure
 *     (ENOMEM or EFAULT; a few entry points name more), or absorbed it
 *     (kvmalloc falls back to vmalloc, for one);
 *   - the state is as before: a failed send queued nothing, a failed
 *     receive left the message queued, a failed create left no name, a
 *     failed open left the reader and writer counts alone.
 * At the end, the objects the module allocated (slab objects whose
 * allocation stack goes through mailslot.ko, from
 * /sys/kernel/debug/slab/CACHE/alloc_traces when slub_debug=U is on) are back
 * at their baseline, and the total number of injected failures is printed.
 * Objects of the kernel's own pools that merely get allocated under the
 * module's calls and outlive them by design (the radix-tree preload pool,
 * slab page metadata, vmalloc's lazily purged vmap_area) are not counted:
 * module_slab_objects_sites() says why for each.
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC,
 * CONFIG_FAULT_INJECTION_USERCOPY and CONFIG_FAULT_INJECTION_DEBUG_FS (the
 * debug kernel of scripts/debug/check-debug); skips elsewhere.  Limiting the fault
 * points to the module's text (require-start/-end) would need
 * CONFIG_FAULT_INJECTION_STACKTRACE_FILTER, which 6.1 does not offer on
 * x86_64; fail-nth confines them to the one call instead.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

#define DBG "/sys/kernel/debug"
#define MAX_NTH 5000

static const char payload[] = "fail-nth payload: the message that must not be lost";

struct ctx {
	int ctl;
	int srv;		/* server of the slot */
	int w;			/* a writer */
	int r;			/* a listener */
	int proc;		/* process object of an exited child */
	pid_t child;		/* a running child (PROC_OPEN target) */
	pid_t zombie;		/* an exited child not reaped yet */
	int failfd;		/* /proc/thread-self/fail-nth */
	char name[64];
	char tmpname[64];
	char buf[65536];
};

/* ---------------------------------------------------------------- */
/* fail-nth */

/* Fault points the way this test wants them; 0 when all is set. */
static int setup_fault_attrs(void)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc", "fail_usercopy" };
	char path[128];
	unsigned int i;
	int bad = 0;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), DBG "/%s/probability", attrs[i]);
		bad |= mst_write_file(path, "0");	/* no random failures */
		snprintf(path, sizeof(path), DBG "/%s/verbose", attrs[i]);
		bad |= mst_write_file(path, "0");	/* no stack dump per failure */
		snprintf(path, sizeof(path), DBG "/%s/times", attrs[i]);
		bad |= mst_write_file(path, "-1");
		snprintf(path, sizeof(path), DBG "/%s/ignore-gfp-wait", attrs[i]);
		if (access(path, F_OK) == 0)	/* GFP_KERNEL fails too */
			bad |= mst_write_file(path, "N");
	}
	if (access(DBG "/fail_page_alloc/min-order", F_OK) == 0)
		bad |= mst_write_file(DBG "/fail_page_alloc/min-order", "0");
	return bad;
}

static void fail_nth_arm(struct ctx *c, int n)
{
	char num[16];
	int len = snprintf(num, sizeof(num), "%d", n);

	if (pwrite(c->failfd, num, len, 0) != len)
		abort();
}

/*
 * Whether the fault armed before the call was injected, and disarm.
 * The value is formatted before the read copies it out, but that copy is
 * a fault point itself: when exactly one was left it fails (EFAULT), which
 * also means the fault was not injected during the call.
 */
static int fail_nth_injected(struct ctx *c)
{
	char num[16] = "";
	ssize_t n = pread(c->failfd, num, sizeof(num) - 1, 0);
	int injected = n > 0 && num[0] == '0';

	/* disarm; the write's own copy may consume the last count: fine */
	while (pwrite(c->failfd, "0", 1, 0) != 1 && errno == EFAULT)
		;
	return injected;
}

/* ---------------------------------------------------------------- */
/* Objects the module holds: slab objects allocated through mailslot.ko */

/*
 * The allocation sites (cache, caller and stack) of the live objects whose
 * stack goes through mailslot.ko, with their counts; kept for the report of
 * what changed.
 */
#define MAX_SITES 256
struct site {
	char key[1024];
	long count;
};

/* vmalloc's vmap_area objects under the module's calls, at the last count */
static long vmap_objects;

static long module_slab_objects_sites(struct site *sites, int *nsites)
{
	DIR *d = opendir(DBG "/slab");
	struct dirent *e;
	long total = 0;
	int found = 0, n = 0;

	if (!d)
		return -1;
	vmap_objects = 0;
	while ((e = readdir(d))) {
		char path[512], line[512], key[1024] = "";
		long count = 0;
		int mine = 0;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), DBG "/slab/%s/alloc_traces", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		found = 1;
		/* "  COUNT caller..." then indented stack lines, then a blank line */
		for (;;) {
			char *got = fgets(line, sizeof(line), f);
			long v;

			if (!got || line[0] == '\n') {
				/*
				 * Not the module's, though allocated under its
				 * calls: radix-tree nodes of the per-CPU preload
				 * pool (__radix_tree_preload, from idr_preload in
				 * kernfs under device_add); slab metadata of a
				 * new slab page (new_slab: the memcg obj_cgroups
				 * vector lives as long as the page, which other
				 * objects share); and vmalloc's address-space
				 * bookkeeping (alloc_vmap_area, under kvmalloc's
				 * vmalloc fallback): vfree() hands the vmap_area
				 * to a lazy purge that runs only once enough
				 * freed space has piled up, and a purged area
				 * may live on as a node of vmalloc's free-space
				 * tree.  What vmalloc holds for the module's
				 * message itself is still counted: its vm_struct
				 * (__get_vm_area_node) and page array
				 * (__vmalloc_area_node) are freed by vfree() at
				 * once, so a leaked vmalloc'ed message shows.
				 */
				if (mine && (strstr(key, ": alloc_vmap_area+") ||
					     strstr(key, " <alloc_vmap_area+"))) {
					vmap_objects += count;
					mine = 0;
				}
				if (strstr(key, ": __radix_tree_preload+") ||
				    strstr(key, " <new_slab+"))
					mine = 0;
				if (mine) {
					total += count;
					if (sites && n < MAX_SITES) {
						snprintf(sites[n].key, sizeof(sites[n].key), "%s", key);
						sites[n++].count = count;
					}
				}
				count = 0;
				mine = 0;
				key[0] = 0;
				if (!got)
					break;
				continue;
			}
			if (strncmp(line, "        ", 8) && sscanf(line, "%ld", &v) == 1) {
				char *caller = strchr(line + strspn(line, " 0123456789"), ' ');

				count = v;
				/* cache and caller, without the age/pid/cpus noise */
				snprintf(key, sizeof(key), "%s: %.*s", e->d_name,
					 (int)strcspn(line + strspn(line, " 0123456789"), " \n"),
					 line + strspn(line, " 0123456789"));
				(void)caller;
			} else if (strlen(key) + strlen(line) + 2 < sizeof(key)) {
				line[strcspn(line, "\n")] = 0;
				strcat(key, " <");
				strcat(key, line + strspn(line, " "));
			}
			if (strstr(line, "[mailslot]"))
				mine = 1;
		}
		fclose(f);
	}
	closedir(d);
	if (nsites)
		*nsites = n;
	return found ? total : -1;
}

static long module_slab_objects(void)
{
	return module_slab_objects_sites(NULL, NULL);
}

/* Print the sites whose count is not what it was in @base. */
static void report_site_changes(const struct site *base, int nbase)
{
	static struct site now[MAX_SITES];
	int nnow = 0, i, j;

	module_slab_objects_sites(now, &nnow);
	for (i = 0; i < nnow; i++) {
		long before = 0;

		for (j = 0; j < nbase; j++)
			if (!strcmp(base[j].key, now[i].key))
				before = base[j].count;
		if (before != now[i].count)
			printf("# failnth: %ld -> %ld objects from %s\n", before, now[i].count, now[i].key);
	}
	for (j = 0; j < nbase; j++) {
		int seen = 0;

		for (i = 0; i < nnow; i++)
			seen |= !strcmp(base[j].key, now[i].key);
		if (!seen)
			printf("# failnth: %ld -> 0 objects from %s\n", base[j].count, base[j].key);
	}
}

/*
 * KASAN's quarantine keeps freed objects out of the free lists, where they
 * would count as allocated: shrinking each cache drains them.
 */
static void shrink_caches(void)
{
	DIR *d = opendir("/sys/kernel/slab");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", e->d_name);
		mst_write_file(path, "1");
	}
	closedir(d);
}

/*
 * Frees through RCU or a workqueue may lag: wait a little until the count
 * is @want (or, for @want < 0, until two looks agree).
 */
static long settle_slab_objects(long want)
{
	long prev = -1, now = -1;
	int i;

	for (i = 0; i < 10; i++) {
		shrink_caches();
		now = module_slab_objects();
		if (now < 0 || (want >= 0 && now == want) || (want < 0 && now == prev))
			break;
		prev = now;
		usleep(500000);
	}
	return now;
}

/* ---------------------------------------------------------------- */
/* Helpers */

/* Empty the listener @fd (and the server) of everything queued. */
static void drain(struct ctx *c)
{
	while (read(c->r, c->buf, sizeof(c->buf)) >= 0)
		;
	while (read(c->srv, c->buf, sizeof(c->buf)) >= 0)
		;
}

static void make_create(struct mailslot_create *cr, const char *name)
{
	memset(cr, 0, sizeof(*cr));
	cr->name = MST_U64(name);
	cr->mode = 0600;
	cr->max_msg_size = 65536;
	cr->max_msgs = 64;
	cr->overflow = MAILSLOT_OVERFLOW_FAIL;
	cr->flags = MAILSLOT_CREATE_NONBLOCK;
}

/* ---------------------------------------------------------------- */
/* The entry points.  prep() sets up the state, call() makes the one call
 * under fault injection (returning its result, -1 with errno on failure),
 * check() verifies the state after it (@ok: the call succeeded) and undoes
 * its effect. */

struct entry {
	const char *name;
	void (*prep)(struct __test_metadata *, struct ctx *);
	long (*call)(struct ctx *);
	void (*check)(struct __test_metadata *, struct ctx *, long ret, int ok);
	int extra_errno;	/* one more errno the call may report */
};

static void prep_none(struct __test_metadata *m, struct ctx *c) { (void)m; (void)c; }

static void check_close(struct __test_metadata *_metadata, struct ctx *c, long ret, int ok)
{
	(void)c;
	if (ok)
		ASSERT_EQ(0, close(ret));
}

/* open of the control device */
static long call_open_control(struct ctx *c)
{
	(void)c;
	return mst_control();
}

/* CREATE */
static long call_create(struct ctx *c)
{
	struct mailslot_create cr;

	make_create(&cr, c->tmpname);
	return ioctl(c->ctl, MAILSLOT_IOC_CREATE, &cr);
}

static void check_create(struct __test_metadata *_metadata, struct ctx *c, long ret, int ok)
{
	int fd;

	if (ok) {
		ASSERT_EQ(0, close(ret));
		return;
	}
	/* a failed create leaves no slot behind */
	fd = mst_slot_open(c->tmpname, O_WRONLY);
	EXPECT_EQ(-1, fd) {
		TH_LOG("failed CREATE left /dev/mailslot/%s behind", c->tmpname);
		close(fd);
	}
}

/* open of a slot: a writer, a listener */
static long call_open_writer(struct ctx *c)
{
	return mst_slot_open(c->name, O_WRONLY);
}

static long call_open_reader(struct ctx *c)
{
	return mst_slot_open(c->name, O_RDONLY | O_NONBLOCK);
}

static struct mailslot_info open_before;

static void prep_open(struct __test_metadata *_metadata, struct ctx *c)
{
	ASSERT_EQ(0, mst_slot_info(c->srv, &open_before));
}

static void check_open(struct __test_metadata *_metadata, struct ctx *c, long ret, int ok)
{
	struct mailslot_info now;

	if (ok)
		ASSERT_EQ(0, close(ret));
	ASSERT_EQ(0, mst_slot_info(c->srv, &now));
	EXPECT_EQ(open_before.readers, now.readers);
	EXPECT_EQ(open_before.writers, now.writers);
}

/* write: queued exactly when it succeeded */
static long call_write(struct ctx *c)
{
	return write(c->w, payload, sizeof(payload));
}

static long call_write_big(struct ctx *c)
{
	return write(c->w, c->buf, 40000);	/* beyond kmalloc's caches */
}

static void prep_write(struct __test_metadata *_metadata, struct ctx *c)
{
	drain(c);
	ASSERT_EQ(0, mst_slot_queued(c->r));
}

static void check_write(struct __test_metadata *_metadata, struct ctx *c, long ret, int ok)
{
	EXPECT_EQ(ok ? 1 : 0, mst_slot_queued(c->r));
	EXPECT_EQ(ok ? 1 : 0, mst_slot_queued(c->srv));
	if (ok)
		EXPECT_TRUE(ret == sizeof(payload) || ret == 40000);
	drain(c);
}

/* receiving: a failed receive keeps the message queued, whole */
static void prep_queued(struct __test_metadata *_metadata, struct ctx *c)
{
	drain(c);
	ASSERT_EQ(sizeof(payload), write(c->w, payload, sizeof(payload)));
	memset(c->buf, 0, sizeof(payload) + 64);
}

static void check_received(struct __test_metadata *_metadata, struct ctx *c, long ret, int ok)
{
	struct mailslot_info info;

	ASSERT_EQ(0, mst_slot_info(c->r, &info));
	if (ok) {
		EXPECT_EQ(0, info.msgs);
		drain(c);
		return;
	}
	EXPECT_EQ(1, info.msgs) TH_LOG("a failed receive lost the message");
	EXPECT_EQ(sizeof(payload), info.next_size);
	/* and it is still intact */
	memset(c->buf, 0, sizeof(payload));
	EXPECT_EQ(sizeof(payload), read(c->r, c->buf, sizeof(c->buf)));
	EXPECT_EQ(0, memcmp(c->buf, payload, sizeof(payload)));
	(void)ret;
	drain(c);
}

static long call_read(struct ctx *c)
{
	long n = read(c->r, c->buf, sizeof(c->buf));

	if (n >= 0 && (n != sizeof(payload) || memcmp(c->buf, payload, n)))
		return -2;	/* wrong data: flagged by the loop */
	return n;
}

static long call_recv(struct ctx *c)
{
	struct mailslot_recv rv = { .buf = MST_U64(c->buf), .size = sizeof(c->buf) };
	long n = ioctl(c->r, MAILSLOT_IOC_RECV, &rv);

	if (n >= 0 && (n != sizeof(payload) || rv.info.size != sizeof(payload) ||
		       memcmp(c->buf, payload, n)))
		return -2;
	return n;
}

static long call_recv_batch(struct ctx *c)
{
	struct mailslot_recv_batch b = {
		.buf = MST_U64(c->buf), .size = sizeof(c->buf), .max_msgs = 8,
	};
	long n = ioctl(c->r, MAILSLOT_IOC_RECV_BATCH, &b);

	if (n >= 0 && (n != 1 || b.bytes != MAILSLOT_RECORD_SIZE(sizeof(payload)) ||
		       memcmp(c->buf + sizeof(struct mailslot_msg_info), payload,
			      sizeof(payload))))
		return -2;
	return n;
}

/* ioctls that change nothing */
static long call_get_info(struct ctx *c)
{
	struct mailslot_info info;

	return ioctl(c->r, MAILSLOT_IOC_GET_INFO, &info);
}

static long call_fionread(struct ctx *c)
{
	int n = -1;
	long ret = ioctl(c->r, FIONREAD, &n);

	return ret < 0 ? ret : n;
}

static long call_set_timeout(struct ctx *c)
{
	__u64 t = 0;

	return ioctl(c->r, MAILSLOT_IOC_SET_TIMEOUT, &t);
}

static void check_unchanged(struct __test_metadata *_metadata, struct ctx *c, long ret, int ok)
{
	(void)ret;
	(void)ok;
	EXPECT_EQ(1, mst_slot_queued(c->r));
	drain(c);
}

/* poll and epoll registration of a slot handle */
static long call_poll(struct ctx *c)
{
	struct pollfd p[3] = {
		{ .fd = c->r, .events = POLLIN }, { .fd = c->w, .events = POLLOUT },
		{ .fd = c->proc, .events = POLLIN },
	};

	return poll(p, 3, 0);
}

static long call_epoll(struct ctx *c)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC);
	long ret;

	if (ep < 0)
		return -1;
	ret = epoll_ctl(ep, EPOLL_CTL_ADD, c->r, &ev);
	if (!ret)
		ret = epoll_ctl(ep, EPOLL_CTL_ADD, c->proc, &ev);
	if (!ret)
		ret = epoll_wait(ep, &ev, 1, 0);
	close(ep);
	return ret;
}

/* process objects */
static long call_proc_open(struct ctx *c)
{
	struct mailslot_proc_open p = { .pid = c->child };

	return ioctl(c->ctl, MAILSLOT_IOC_PROC_OPEN, &p);
}

static long call_proc_open_dead(struct ctx *c)
{
	/* a zombie not reaped yet: still a process, already exited */
	struct mailslot_proc_open p = { .pid = c->zombie };

	return ioctl(c->ctl, MAILSLOT_IOC_PROC_OPEN, &p);
}

static long call_proc_read(struct ctx *c)
{
	struct mailslot_proc_exit ex;
	long n = read(c->proc, &ex, sizeof(ex));

	if (n >= 0 && (n != sizeof(ex) || !WIFEXITED(ex.status) || WEXITSTATUS(ex.status) != 3))
		return -2;
	return n;
}

/* WAIT: any (a queued reader among others) and all */
static long call_wait_any(struct ctx *c)
{
	int fds[3] = { c->srv, c->proc, c->r };
	struct mailslot_wait w = { .fds = MST_U64(fds), .count = 3, .timeout_ns = 0 };
	long ret = ioctl(c->ctl, MAILSLOT_IOC_WAIT, &w);

	if (ret >= 0 && w.index != 0)
		return -2;
	return ret;
}

static long call_wait_all(struct ctx *c)
{
	int fds[3] = { c->r, c->proc, c->srv };
	struct mailslot_wait w = {
		.fds = MST_U64(fds), .count = 3, .flags = MAILSLOT_WAIT_ALL,
		.timeout_ns = 1000000000ULL,
	};

	return ioctl(c->ctl, MAILSLOT_IOC_WAIT, &w);
}

static void prep_wait(struct __test_metadata *_metadata, struct ctx *c)
{
	prep_queued(_metadata, c);
}

static void check_wait(struct __test_metadata *_metadata, struct ctx *c, long ret, int ok)
{
	/* waiting consumes nothing */
	(void)ret;
	(void)ok;
	EXPECT_EQ(1, mst_slot_queued(c->r));
	EXPECT_EQ(1, mst_slot_queued(c->srv));
	drain(c);
}

static const struct entry entries[] = {
	{ "open control",	prep_none,	call_open_control,	check_close,	ENFILE },
	{ "CREATE",		prep_none,	call_create,		check_create,	0 },
	{ "open writer",	prep_open,	call_open_writer,	check_open,	ENFILE },
	{ "open listener",	prep_open,	call_open_reader,	check_open,	ENFILE },
	{ "write",		prep_write,	call_write,		check_write,	0 },
	{ "write 40000",	prep_write,	call_write_big,		check_write,	0 },
	{ "read",		prep_queued,	call_read,		check_received,	0 },
	{ "RECV",		prep_queued,	call_recv,		check_received,	0 },
	{ "RECV_BATCH",		prep_queued,	call_recv_batch,	check_received,	0 },
	{ "GET_INFO",		prep_queued,	call_get_info,		check_unchanged, 0 },
	{ "FIONREAD",		prep_queued,	call_fionread,		check_unchanged, 0 },
	{ "SET_TIMEOUT",	prep_queued,	call_set_timeout,	check_unchanged, 0 },
	{ "poll",		prep_queued,	call_poll,		check_unchanged, 0 },
	{ "epoll",		prep_queued,	call_epoll,		check_unchanged, 0 },
	{ "PROC_OPEN",		prep_none,	call_proc_open,		check_close,	ENFILE },
	{ "PROC_OPEN exited",	prep_none,	call_proc_open_dead,	check_close,	ENFILE },
	{ "process read",	prep_none,	call_proc_read,		NULL,		0 },
	{ "WAIT any",		prep_wait,	call_wait_any,		check_wait,	0 },
	{ "WAIT all",		prep_wait,	call_wait_all,		check_wait,	0 },
};

/* ---------------------------------------------------------------- */

FIXTURE(failnth) {
	struct ctx *c;
};

FIXTURE_SETUP(failnth)
{
	struct mailslot_create cr;
	struct mailslot_proc_open p = { 0 };
	struct ctx *c;
	pid_t zombie;

	self->c = NULL;
	if (access("/proc/thread-self/fail-nth", F_OK))
		SKIP(return, "no /proc/thread-self/fail-nth (kernel without CONFIG_FAULT_INJECTION)");
	MST_NEED_MODULE();
	if (access(DBG "/failslab", F_OK) || access(DBG "/fail_usercopy", F_OK) ||
	    access(DBG "/fail_page_alloc", F_OK))
		SKIP(return, "no failslab/fail_page_alloc/fail_usercopy in " DBG);
	ASSERT_EQ(0, setup_fault_attrs()) TH_LOG("cannot configure the fault attributes (root?)");

	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, c);
	memset(c, 0, sizeof(*c));
	memset(c->buf, 'b', sizeof(c->buf));
	self->c = c;
	snprintf(c->name, sizeof(c->name), "%s", mst_name("failnth"));
	snprintf(c->tmpname, sizeof(c->tmpname), "%s", mst_name("failnth-tmp"));
	c->ctl = mst_control();
	ASSERT_LE(0, c->ctl);
	make_create(&cr, c->name);
	c->srv = mst_slot_create_at(c->ctl, &cr, c->name);
	ASSERT_LE(0, c->srv);
	c->w = mst_slot_open(c->name, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, c->w);
	c->r = mst_slot_open(c->name, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, c->r);

	c->child = fork();
	ASSERT_LE(0, c->child);
	if (!c->child) {
		pause();
		_exit(0);
	}
	zombie = fork();
	ASSERT_LE(0, zombie);
	if (!zombie)
		_exit(3);
	p.pid = zombie;
	c->proc = ioctl(c->ctl, MAILSLOT_IOC_PROC_OPEN, &p);
	ASSERT_LE(0, c->proc) TH_LOG("PROC_OPEN: %s", strerror(errno));
	ASSERT_EQ(zombie, waitpid(zombie, NULL, 0));
	c->zombie = fork();
	ASSERT_LE(0, c->zombie);
	if (!c->zombie)
		_exit(4);
	{
		siginfo_t si;

		/* wait for the exit, but leave the zombie */
		ASSERT_EQ(0, waitid(P_PID, c->zombie, &si, WEXITED | WNOWAIT));
	}

	c->failfd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, c->failfd);
}

FIXTURE_TEARDOWN(failnth)
{
	struct ctx *c = self->c;

	if (!c)
		return;
	if (c->child > 0) {
		kill(c->child, SIGKILL);
		waitpid(c->child, NULL, 0);
	}
	if (c->zombie > 0)
		waitpid(c->zombie, NULL, 0);
	close(c->failfd);
	close(c->proc);
	close(c->r);
	close(c->w);
	close(c->srv);
	close(c->ctl);
}

TEST_F_TIMEOUT(failnth, every_entry_point, 3600)
{
	struct ctx *c = self->c;
	static struct site base_sites[MAX_SITES];
	long total = 0, absorbed_total = 0, base, now, base_vmap;
	int nbase = 0;
	unsigned int i;

	if (!c)
		return;
	base = settle_slab_objects(-1);
	if (base >= 0)
		module_slab_objects_sites(base_sites, &nbase);
	base_vmap = vmap_objects;
	if (base < 0)
		TH_LOG("no %s/slab/*/alloc_traces (boot with slub_debug=U): slab baseline not checked", DBG);

	for (i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		const struct entry *e = &entries[i];
		long injected = 0, absorbed = 0, ret;
		int n, done = 0;

		for (n = 1; n <= MAX_NTH && !done; n++) {
			int err, inj;

			e->prep(_metadata, c);
			fail_nth_arm(c, n);
			ret = e->call(c);
			err = errno;
			inj = fail_nth_injected(c);
			ASSERT_NE(-2, ret) TH_LOG("%s (fault %d): wrong data returned", e->name, n);
			if (!inj) {
				/* ran untouched: it must work */
				ASSERT_LE(0, ret) TH_LOG("%s without a fault: %s", e->name, strerror(err));
				done = 1;
			} else {
				injected++;
				if (ret >= 0)
					absorbed++;
				else
					ASSERT_TRUE(err == ENOMEM || err == EFAULT ||
						    (e->extra_errno && err == e->extra_errno))
						TH_LOG("%s, fault %d: %s (want ENOMEM or EFAULT)",
						       e->name, n, strerror(err));
			}
			if (e->check)
				e->check(_metadata, c, ret, ret >= 0);
		}
		ASSERT_TRUE(done) TH_LOG("%s still faulting after %d faults", e->name, MAX_NTH);
		/* FIONREAD and SET_TIMEOUT use get_user/put_user only, which
		 * are no fault points: nothing to inject there */
		printf("# failnth: %-18s %4ld injected failures (%ld absorbed)%s\n",
		       e->name, injected, absorbed, injected ? "" : " - no fault point reached");
		total += injected;
		absorbed_total += absorbed;
	}
	printf("# failnth: %ld injected failures over %zu entry points (%ld absorbed)\n",
	       total, sizeof(entries) / sizeof(entries[0]), absorbed_total);

	if (base >= 0) {
		now = settle_slab_objects(base);
		printf("# failnth: slab objects allocated through mailslot.ko: %ld before, %ld after\n",
		       base, now);
		printf("# failnth: not counted, vmalloc's lazily freed vmap_area objects under its calls: %ld before, %ld after\n",
		       base_vmap, vmap_objects);
		EXPECT_EQ(base, now);
		if (now != base)
			report_site_changes(base_sites, nbase);
	}
}

TEST_HARNESS_MAIN
