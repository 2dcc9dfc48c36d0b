// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel memory per queued 64-byte message, for one reader and with
 * fan-out to 16: mailslot against mqueue (one queue per reader).
 *
 * The figure is the growth of the Slab line of /proc/meminfo while
 * MEM_TOTAL deliveries are queued, per delivery.  (MemFree is no use here:
 * freed pages of the previous test wait on the per-cpu page lists, which
 * MemFree does not count, and get reused, so it often does not move at
 * all.)  In the first repetition, the caches of /proc/slabinfo that grew
 * are printed as evidence of where the messages went.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/mailslot.h>

#include "bench.h"
#include "peers.h"

#define MEM_TOTAL 100000	/* deliveries held in the kernel */
#define SLAB_MAX 256

struct meminfo {
	long slab, free, vmalloc;	/* kB */
};

static void read_meminfo(struct meminfo *m)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	memset(m, 0, sizeof(*m));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		long v;

		if (sscanf(line, "Slab: %ld", &v) == 1)
			m->slab = v;
		else if (sscanf(line, "MemFree: %ld", &v) == 1)
			m->free = v;
		else if (sscanf(line, "VmallocUsed: %ld", &v) == 1)
			m->vmalloc = v;
	}
	fclose(f);
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

static void slab_growth(const char *who, const struct slabsnap *a,
			const struct slabsnap *b)
{
	int i, j, shown = 0;

	for (i = 0; i < b->n; i++) {
		long before = 0, d;

		for (j = 0; j < a->n; j++)
			if (!strcmp(a->name[j], b->name[i]))
				before = a->objs[j];
		d = b->objs[i] - before;
		if (d < MEM_TOTAL / 20)
			continue;
		note("%s %s: slab %s +%ld objects of %ld B (%.1f B/delivery)\n",
		     shown ? "#  " : "# slabinfo", who, b->name[i], d,
		     b->size[i], (double)d * b->size[i] / MEM_TOTAL);
		shown = 1;
	}
}

/* A slot for per 64-byte messages that fails rather than blocks. */
static int mem_slot(struct bench *b, char *name, size_t sz, const char *what,
		    int per)
{
	int fd;

	uniq_name(b, name, sz, what);
	fd = ms_create(b, name, 64, per, per * 64, MAILSLOT_OVERFLOW_FAIL, 0);
	if (fd < 0)
		die("memory: create slot");
	return fd;
}

/*
 * The queues: readers == 1, two slots or two mqueues of MEM_TOTAL / 2;
 * readers == 16, one slot with 16 listeners or 16 mqueues.  rfd[i] and
 * wfd[i] are the reading and writing ends (the same fd for an mqueue;
 * -1 where there is none).
 */
static void mem_open(struct bench *b, int ms, int readers, int nq, int per,
		     int *rfd, int *wfd)
{
	char name[96];
	int i;

	if (ms && readers == 1) {
		for (i = 0; i < nq; i++) {
			rfd[i] = mem_slot(b, name, sizeof(name), "mem", per);
			wfd[i] = ms_open(name, O_WRONLY);
			if (wfd[i] < 0)
				die("memory: create slot");
		}
	} else if (ms) {
		rfd[0] = mem_slot(b, name, sizeof(name), "memfan", per);
		for (i = 1; i < readers; i++) {
			rfd[i] = ms_open(name, O_RDONLY);
			if (rfd[i] < 0)
				die("memory: open listener");
		}
		wfd[0] = ms_open(name, O_WRONLY);
		if (wfd[0] < 0)
			die("memory: open writer");
		for (i = 1; i < nq; i++)
			wfd[i] = -1;
	} else {
		for (i = 0; i < nq; i++) {
			struct mq_attr at = { .mq_maxmsg = per,
					      .mq_msgsize = 64 };

			snprintf(name, sizeof(name), "/msbench-mem-%d-%d",
				 (int)getpid(), i);
			rfd[i] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600,
					 &at);
			if (rfd[i] < 0)
				die("memory: mq_open (msg_max %d)", per);
			wfd[i] = rfd[i];
			mq_unlink(name);
		}
	}
}

static void memory_one(struct bench *b, int ms, int readers,
		       struct slabsnap *sa, struct slabsnap *sb)
{
	int nq = readers == 1 ? 2 : readers;	/* queues */
	int per = MEM_TOTAL / nq;
	int *rfd = calloc(nq, sizeof(int)), *wfd = calloc(nq, sizeof(int));
	struct meminfo ma, mb;
	char buf[64], param[16], who[64];
	const char *nm;
	int i, k;

	memset(buf, 'm', sizeof(buf));
	mem_open(b, ms, readers, nq, per, rfd, wfd);
	usleep(20000);
	read_slabinfo(sa);
	read_meminfo(&ma);
	for (k = 0; k < per; k++) {
		for (i = 0; i < nq; i++) {
			if (wfd[i] < 0)
				continue;
			if (ms) {
				if (write(wfd[i], buf, 64) != 64)
					die("memory: write");
			} else if (mq_send(wfd[i], buf, 64, 0)) {
				die("memory: mq_send");
			}
		}
	}
	usleep(20000);
	read_meminfo(&mb);
	read_slabinfo(sb);
	if (b->opt.verbose)
		note("#   meminfo kB: slab %ld -> %ld, free %ld -> %ld, vmalloc %ld -> %ld\n",
		     ma.slab, mb.slab, ma.free,
		     mb.free, ma.vmalloc, mb.vmalloc);
	nm = ms ? "mailslot" : readers == 1 ? "mqueue" : "16 x mqueue";
	snprintf(param, sizeof(param), readers == 1 ? "1 reader" : "16 readers");
	snprintf(who, sizeof(who), "%s, %s", nm, param);
	if (!b->rep)
		slab_growth(who, sa, sb);
	record(b, "memory 64B", param, nm, !ms, "slab B/delivery", "B", 0,
	       (mb.slab - ma.slab) * 1024.0 / MEM_TOTAL);
	for (i = 0; i < nq; i++) {
		if (rfd[i] >= 0)
			close(rfd[i]);
		if (wfd[i] >= 0 && wfd[i] != rfd[i])
			close(wfd[i]);
	}
	free(rfd);
	free(wfd);
	usleep(20000);
}

void bm_memory(struct bench *b)
{
	struct slabsnap *sa = malloc(sizeof(*sa)), *sb = malloc(sizeof(*sb));

	if (!sa || !sb)
		die("malloc");
	if (b->have_ms && want(b, "mailslot"))
		memory_one(b, 1, 1, sa, sb);
	if (want(b, "mqueue"))
		memory_one(b, 0, 1, sa, sb);
	if (b->have_ms && want(b, "mailslot"))
		memory_one(b, 1, 16, sa, sb);
	if (want(b, "16 x mqueue"))
		memory_one(b, 0, 16, sa, sb);
	free(sa);
	free(sb);
}
