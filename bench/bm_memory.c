// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel memory per queued message: 64 B (one reader, and fan-out to 16),
 * 4 KiB and 64 KiB, mailslot against mqueue (one queue per reader).
 *
 * The messages are sent by a child process in a cgroup v2 child cgroup of
 * its own; both contenders charge a queued message to the sender's memory
 * cgroup (mailslot: GFP_KERNEL_ACCOUNT; mqueue: msg_msg is accounted).
 * The figure "memcg B/delivery" is the growth of that cgroup's
 * memory.current from before the first send until the sender has exited
 * (its own pages gone, its messages still queued), per delivery.  It
 * counts everything a message takes: the slab object as the allocator
 * rounded it, the order-0 pages of a mailslot payload over a page, a
 * kmalloc-large block.  Before each reading a "flusher" process in a
 * second cgroup makes an accounted allocation on every CPU, which drains
 * the per-CPU charge caches (the page stock of up to 64 pages and the
 * object stock) that would otherwise hide up to 256 KiB either way; what
 * is left is less than a page, the part of a page the cgroup's objects
 * have been charged for and not used.
 *
 * At 64 B the growth of the Slab line of /proc/meminfo is recorded too
 * ("slab B/delivery", the measure of rounds one and two).  It misses the
 * pages behind payloads over a page and kmalloc-large, so it is not taken
 * for the larger sizes.  (MemFree is no use at all: freed pages of the
 * previous test wait on the per-cpu page lists, which MemFree does not
 * count, and get reused.)  In the first repetition the caches of
 * /proc/slabinfo that grew and the memory.stat lines that moved are
 * printed as evidence of where the messages went.
 *
 * Without a cgroup2 memory controller (not root, or none in the kernel)
 * only the Slab figures are taken.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>

#include <linux/mailslot.h>

#include "bench.h"
#include "peers.h"

#define SLAB_MAX 256
#define CG_ROOT "/sys/fs/cgroup"
#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif

/* One measurement: what is queued, in how many queues, for how many readers. */
struct memcase {
	const char *test;	/* "memory 64B" */
	size_t msz;
	int readers;		/* 1: nq queues of one reader; else one slot */
	int nq;			/* queues (mailslot with readers > 1: one) */
	int per;		/* messages sent to each queue */
	int slab;		/* also record the Slab figure */
};

static const struct memcase cases[] = {
	/* 100 000 deliveries; a slot holds at most 65 536 messages */
	{ "memory 64B", 64, 1, 2, 50000, 1 },
	{ "memory 64B", 64, 16, 16, 6250, 1 },
	/* 33 MB of payload: inside the module's 64 MiB a user */
	{ "memory 4KiB", 4096, 1, 1, 8000, 0 },
	{ "memory 64KiB", 65536, 1, 1, 500, 0 },
};

/* The memory cgroups: where the flusher runs; cases number the others. */
struct memcg {
	int ok;
	unsigned int seq;
	char flush[96];
};

static long meminfo_slab(void)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");
	long v = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* /proc/slabinfo: which caches the queued messages went to (evidence). */
struct slabsnap {
	int n;
	char name[SLAB_MAX][64];
	long objs[SLAB_MAX], size[SLAB_MAX];
};

static void read_slabinfo(struct slabsnap *s)
{
	char line[512];
	FILE *f = fopen("/proc/slabinfo", "r");

	s->n = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && s->n < SLAB_MAX) {
		long act, num, sz;
		char nm[64];

		if (sscanf(line, "%63s %ld %ld %ld", nm, &act, &num, &sz) != 4)
			continue;
		snprintf(s->name[s->n], sizeof(s->name[0]), "%s", nm);
		s->objs[s->n] = num;
		s->size[s->n] = sz;
		s->n++;
	}
	fclose(f);
}

static void slab_growth(const char *who, long total,
			const struct slabsnap *a, const struct slabsnap *b)
{
	int i, j, shown = 0;

	for (i = 0; i < b->n; i++) {
		long before = 0, d;

		for (j = 0; j < a->n; j++)
			if (!strcmp(a->name[j], b->name[i]))
				before = a->objs[j];
		d = b->objs[i] - before;
		if (d < total / 20)
			continue;
		note("%s %s: slab %s +%ld objects of %ld B (%.1f B/delivery)\n",
		     shown ? "#  " : "# slabinfo", who, b->name[i], d,
		     b->size[i], (double)d * b->size[i] / total);
		shown = 1;
	}
	if (!shown)
		note("# slabinfo %s: no cache grew by %ld objects\n", who,
		     total / 20);
}

/* ------------------------------------------------------------------ */
/* cgroup v2 */

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -1;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		r = -1;
	close(fd);
	return r;
}

static int cg_join(const char *cg, pid_t pid)
{
	char path[128], val[24];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(val, sizeof(val), "%d", (int)pid);
	return write_str(path, val);
}

static long cg_current(const char *cg)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.current", cg);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* The memory.stat lines that a queued message can move (evidence). */
static const char *const stat_keys[] = {
	"kernel", "slab", "percpu", "vmalloc", "sock",
};

#define NSTAT ARRAY_SIZE(stat_keys)

static void cg_stat(const char *cg, long *v)
{
	char path[128], line[256], key[64];
	unsigned int i;
	long x;
	FILE *f;

	memset(v, 0, NSTAT * sizeof(*v));
	snprintf(path, sizeof(path), "%s/memory.stat", cg);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", key, &x) == 2)
			for (i = 0; i < NSTAT; i++)
				if (!strcmp(key, stat_keys[i]))
					v[i] = x;
	fclose(f);
}

/*
 * Mount cgroup2 on /sys/fs/cgroup if nothing is mounted there (the busybox
 * guest; as selftests/slot_memcg_test does), enable the memory controller
 * for the children of the root and make the flusher's cgroup.
 */
static void memcg_setup(struct bench *b, struct memcg *mc)
{
	char buf[256] = "";
	struct statfs sf;
	FILE *f;

	mc->ok = 0;
	if (!b->is_root) {
		note("# memory: not root: no memcg figures\n");
		return;
	}
	if (!statfs(CG_ROOT, &sf) && sf.f_type == SYSFS_MAGIC &&
	    mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
		note("# memory: mount cgroup2 on %s: %s\n", CG_ROOT,
		     strerror(errno));
	f = fopen(CG_ROOT "/cgroup.controllers", "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	if (!strstr(buf, "memory")) {
		note("# memory: no cgroup2 memory controller in %s: no memcg figures\n",
		     CG_ROOT);
		return;
	}
	write_str(CG_ROOT "/cgroup.subtree_control", "+memory");
	snprintf(mc->flush, sizeof(mc->flush), CG_ROOT "/msbench-%d-flush",
		 (int)getpid());
	if (mkdir(mc->flush, 0755) && errno != EEXIST) {
		note("# memory: mkdir %s: %s: no memcg figures\n", mc->flush,
		     strerror(errno));
		return;
	}
	mc->ok = 1;
}

static void memcg_teardown(struct memcg *mc)
{
	if (mc->ok)
		rmdir(mc->flush);
}

/*
 * On every CPU, a process of the flusher's cgroup makes accounted
 * allocations (a pipe and its first page, twice): each CPU's charge caches
 * then belong to that cgroup, and what they held for the measured one is
 * given back to it.
 */
static void memcg_flush(struct bench *b, const struct memcg *mc)
{
	int cpu;

	for (cpu = 0; cpu < b->ncpu; cpu++) {
		pid_t pid = fork_or_die();

		if (!pid) {
			int p[2], k;

			pin_to(b, cpu);
			if (cg_join(mc->flush, getpid()))
				_exit(1);
			for (k = 0; k < 2; k++) {
				if (pipe(p) || write(p[1], "f", 1) != 1)
					_exit(1);
				close(p[0]);
				close(p[1]);
			}
			_exit(0);
		}
		reap(pid);
	}
}

/* ------------------------------------------------------------------ */
/* the queues */

/* A slot for per msz-byte messages that fails rather than blocks. */
static int mem_slot(struct bench *b, char *name, size_t sz, const char *what,
		    size_t msz, int per)
{
	int fd;

	uniq_name(b, name, sz, what);
	fd = ms_create(b, name, msz, per, per * msz, MAILSLOT_OVERFLOW_FAIL,
		       0);
	if (fd < 0)
		die("memory: create slot");
	return fd;
}

/*
 * The queues of a case: rfd[i] and wfd[i] are the reading and writing
 * ends (the same fd for an mqueue; -1 where there is none).  mailslot
 * with readers > 1: one slot with that many listeners, one writer.
 * Returns 0, or -1 at a limit of the host (named in a "@skip," line).
 */
static int mem_open(struct bench *b, int ms, const struct memcase *c,
		    int *rfd, int *wfd, const char *param, const char *nm)
{
	char name[96];
	int i;

	if (ms && c->readers == 1) {
		for (i = 0; i < c->nq; i++) {
			rfd[i] = mem_slot(b, name, sizeof(name), "mem",
					  c->msz, c->per);
			wfd[i] = ms_open(name, O_WRONLY);
			if (wfd[i] < 0)
				die("memory: open writer");
		}
	} else if (ms) {
		rfd[0] = mem_slot(b, name, sizeof(name), "memfan", c->msz,
				  c->per);
		for (i = 1; i < c->readers; i++) {
			rfd[i] = ms_open(name, O_RDONLY);
			if (rfd[i] < 0)
				die("memory: open listener");
		}
		wfd[0] = ms_open(name, O_WRONLY);
		if (wfd[0] < 0)
			die("memory: open writer");
		for (i = 1; i < c->nq; i++)
			wfd[i] = -1;
	} else {
		for (i = 0; i < c->nq; i++) {
			struct mq_attr at = { .mq_maxmsg = c->per,
					      .mq_msgsize = c->msz };

			snprintf(name, sizeof(name), "/msbench-mem-%d-%d",
				 (int)getpid(), i);
			rfd[i] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600,
					 &at);
			if (rfd[i] < 0 && errno == EMFILE) {
				/*
				 * RLIMIT_MSGQUEUE that could not be raised
				 * (no CAP_SYS_RESOURCE): left out, named
				 */
				skip_point(b, c->test, param, nm,
					   "mq_open %d of %zu B: %s", c->per,
					   c->msz, strerror(errno));
				while (i-- > 0)
					close(rfd[i]);
				return -1;
			}
			if (rfd[i] < 0)
				die("memory: mq_open (%d of %zu B)", c->per,
				    c->msz);
			wfd[i] = rfd[i];
			mq_unlink(name);
		}
	}
	return 0;
}

/* The sender: waits for the go, sends every message, exits. */
static __noreturn void mem_send(int ms, const struct memcase *c,
				const int *wfd, int go)
{
	char *buf = malloc(c->msz), x;
	int i, k;

	if (!buf || read(go, &x, 1) != 1)
		_exit(10);
	memset(buf, 'm', c->msz);
	for (k = 0; k < c->per; k++) {
		for (i = 0; i < c->nq; i++) {
			if (wfd[i] < 0)
				continue;
			if (ms) {
				if (write(wfd[i], buf, c->msz) !=
				    (ssize_t)c->msz)
					_exit(11);
			} else if (mq_send(wfd[i], buf, c->msz, 0)) {
				_exit(12);
			}
		}
	}
	_exit(0);
}

/* What one reading takes: the cgroup's and the system's counters. */
struct memsnap {
	long cur, slab_kb;
	long stat[NSTAT];
	struct slabsnap *si;
};

static void mem_snap(struct bench *b, const struct memcg *mc, const char *cg,
		     struct memsnap *s)
{
	usleep(20000);	/* RCU-deferred frees of what ran before */
	if (mc->ok) {
		memcg_flush(b, mc);
		s->cur = cg_current(cg);
		if (!b->rep)
			cg_stat(cg, s->stat);
	}
	s->slab_kb = meminfo_slab();
	if (!b->rep)
		read_slabinfo(s->si);
}

static void memory_one(struct bench *b, struct memcg *mc,
		       const struct memcase *c, int ms,
		       struct slabsnap *sa, struct slabsnap *sb)
{
	/* mailslot with readers > 1 opens them all in rfd: nq >= readers */
	int *rfd = calloc(c->nq, sizeof(int)), *wfd = calloc(c->nq, sizeof(int));
	long total = (long)c->per * (c->readers == 1 ? c->nq : c->readers);
	struct memsnap ma = { .si = sa }, mb = { .si = sb };
	char param[16], who[96], cg[96] = "";
	const char *nm;
	int go[2], st, i;
	unsigned int k;
	pid_t pid;

	nm = ms ? "mailslot" : c->readers == 1 ? "mqueue" : "16 x mqueue";
	snprintf(param, sizeof(param), c->readers == 1 ? "1 reader" :
		 "%d readers", c->readers);
	snprintf(who, sizeof(who), "%s, %s %s", nm, c->test + 7, param);
	if (mem_open(b, ms, c, rfd, wfd, param, nm)) {
		free(rfd);
		free(wfd);
		return;
	}
	if (mc->ok) {
		snprintf(cg, sizeof(cg), CG_ROOT "/msbench-%d-%u",
			 (int)getpid(), mc->seq++);
		if (mkdir(cg, 0755))
			die("memory: mkdir %s", cg);
	}
	if (pipe(go))
		die("pipe");
	pid = fork_or_die();
	if (!pid)
		mem_send(ms, c, wfd, go[0]);
	if (mc->ok && cg_join(cg, pid))
		die("memory: move the sender into %s", cg);
	mem_snap(b, mc, cg, &ma);
	write_full(go[1], "g", 1);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("memory: %s: the sender failed (status %#x)", who, st);
	mem_snap(b, mc, cg, &mb);
	close(go[0]);
	close(go[1]);

	if (!b->rep)
		slab_growth(who, total, sa, sb);
	if (c->slab)
		record(b, c->test, param, nm, !ms, "slab B/delivery", "B", 0,
		       (mb.slab_kb - ma.slab_kb) * 1024.0 / total);
	if (mc->ok && ma.cur >= 0 && mb.cur >= 0) {
		record(b, c->test, param, nm, !ms, "memcg B/delivery", "B", 0,
		       (double)(mb.cur - ma.cur) / total);
		if (!b->rep) {
			note("# memcg %s: memory.current %ld -> %ld B (%.2f B/delivery); memory.stat per delivery:",
			     who, ma.cur, mb.cur,
			     (double)(mb.cur - ma.cur) / total);
			for (k = 0; k < NSTAT; k++)
				note(" %s %+.2f", stat_keys[k],
				     (double)(mb.stat[k] - ma.stat[k]) / total);
			note("\n");
		}
	}
	for (i = 0; i < c->nq; i++) {
		if (rfd[i] >= 0)
			close(rfd[i]);
		if (wfd[i] >= 0 && wfd[i] != rfd[i])
			close(wfd[i]);
	}
	if (cg[0]) {
		usleep(20000);
		if (rmdir(cg))
			note("# memory: rmdir %s: %s\n", cg, strerror(errno));
	}
	free(rfd);
	free(wfd);
}

void bm_memory(struct bench *b)
{
	struct slabsnap *sa = malloc(sizeof(*sa)), *sb = malloc(sizeof(*sb));
	struct memcg mc;
	unsigned int i;

	if (!sa || !sb)
		die("malloc");
	memcg_setup(b, &mc);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct memcase *c = &cases[i];

		if (b->opt.size && b->opt.size != (long)c->msz)
			continue;
		if (b->have_ms && want(b, "mailslot"))
			memory_one(b, &mc, c, 1, sa, sb);
		if (want(b, c->readers == 1 ? "mqueue" : "16 x mqueue"))
			memory_one(b, &mc, c, 0, sa, sb);
	}
	memcg_teardown(&mc);
	free(sa);
	free(sb);
}
