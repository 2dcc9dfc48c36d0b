// SPDX-License-Identifier: GPL-2.0
/*
 * msbench: mailslot against the Linux peers, every contender in one boot.
 *
 * Every figure is measured -r times (default 5) with the contenders
 * interleaved inside each repetition; the table shows the median of the
 * repetitions, their min and max, and the ratio to the best Linux peer.
 * Everything runs pinned to CPU 0 (both ends of every exchange share one
 * vCPU) except the contention section, which spreads writers over all CPUs.
 *
 * Output: a human table, "@csv," lines (one per figure) and "@target,"
 * lines (the design's targets, MET or MISSED); the "norm" rows are the
 * same-boot normalisers (getppid cost and 4 KiB memcpy time).
 *
 * Uses the raw uapi (uapi/linux/mailslot.h), no library; links statically
 * so that it runs in a busybox guest.  Without /dev/mailslot/control the
 * mailslot contenders are skipped, so the peers can be run anywhere.
 *
 * Layout: this file (the command line and the sections), report.c (the
 * records and their statistics, table and CSV), targets.c (the targets),
 * peers.c (the contenders), bm_*.c (one benchmark each), util.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include <linux/mailslot.h>

#include "bench.h"
#include "peers.h"
#include "targets.h"

/* The sections, in the order they run; -t picks some by name. */
static const struct section sections[] = {
	{ "pingpong", "ping-pong latency, 64 B and 4 KiB: mailslot, mqueue, pipe, seqpacket",
	  bm_pingpong },
	{ "calls", "send then receive in one process, 64 B and 4 KiB (and 64 B after a switch): no wait",
	  bm_calls },
	{ "throughput", "one-way throughput, 64 B / 1 KiB / 64 KiB, plus mailslot batched",
	  bm_throughput },
	{ "sizes", "one-way throughput against message size, 64 B to 1 MiB (a curve)",
	  bm_sizes },
	{ "fanout", "one writer, N = 1..256 readers vs N mqueues / N seqpacket sockets",
	  bm_fanout },
	{ "contention", "1..16 writers into one slot vs one mqueue",
	  bm_contention },
	{ "exit", "process exit: process object vs pidfd+poll vs waitpid; wait-any 64",
	  bm_exit },
	{ "memory", "kernel memory per queued message (memcg): 64 B, with fan-out to 16, 4 KiB, 64 KiB",
	  bm_memory },
	{ "churn", "slot create+destroy vs mq_open+mq_unlink",
	  bm_churn },
	{ "relay", "mailslotd: datagrams/s into a slot; one-way latency vs local write and UDP",
	  bm_relay },
};

#define NSECTIONS ARRAY_SIZE(sections)

/* Not selectable: runs in every repetition and once more at the end. */
static const struct section norm = {
	"norm", "same-boot normalisers: getppid and a 4 KiB memcpy", bm_norm
};

static void usage_exit(void)
{
	unsigned int i;

	fprintf(stderr,
		"usage: msbench [-B] [-c contender] [-o csv] [-r reps] [-s scale] [-t sections] [-v] [-z size]\n"
		"  -c C   run only the contender named C (for profiling)\n"
		"  -z N   pingpong and throughput: only N-byte messages\n"
		"  -B     throughput from the best window, not the median one\n"
		"         (A/B comparisons on a loaded host)\n"
		"  -o F   also write the results as CSV to F\n"
		"  -r N   repetitions (default 5, max %d)\n"
		"  -s X   multiply iteration counts by X (default 1.0)\n"
		"  -t S   sections to run, comma-separated (default all):\n",
		MAX_REPS);
	for (i = 0; i < NSECTIONS; i++)
		fprintf(stderr, "         %-11s %s\n", sections[i].name,
			sections[i].desc);
	fprintf(stderr, "  -v     print every sample as it is taken\n");
	exit(2);
}

static const struct section *section_named(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < NSECTIONS; i++)
		if (strlen(sections[i].name) == len &&
		    !strncmp(sections[i].name, name, len))
			return &sections[i];
	return NULL;
}

/*
 * The sections of -t, in the order given: fills sel (room for max) and
 * returns how many; usage_exit() on an unknown name.
 */
static int select_sections(const char *list, const struct section **sel,
			   int max)
{
	const char *p = list;
	int n = 0;

	while (*p) {
		size_t len = strcspn(p, ",");

		if (len) {
			const struct section *s = section_named(p, len);

			if (!s) {
				fprintf(stderr, "msbench: no section %.*s\n",
					(int)len, p);
				usage_exit();
			}
			if (n == max)
				usage_exit();
			sel[n++] = s;
		}
		p += len;
		if (*p)
			p++;
	}
	if (!n)
		usage_exit();
	return n;
}

static void run_section(struct bench *b, const struct section *s)
{
	b->section = s->name;
	s->run(b);
	b->section = NULL;
}

/*
 * The system settings msbench changes, with what they were, put back at
 * exit (and on SIGINT, SIGTERM, SIGHUP) by the process that changed them:
 * a run on a host must not leave RT throttling off or the mqueue limits
 * raised.  A forked child that dies through die() restores nothing.
 */
#define SAVED_MAX 8

static struct {
	char *path;
	char val[64];
} saved[SAVED_MAX];
static int nsaved;
static pid_t saver;

static void restore_proc(void)
{
	int fd;

	if (getpid() != saver)
		return;
	while (nsaved > 0) {
		nsaved--;
		fd = open(saved[nsaved].path, O_WRONLY);
		if (fd < 0)
			continue;
		if (write(fd, saved[nsaved].val,
			  strlen(saved[nsaved].val)) < 0)
			note("# could not restore %s to %s: %s\n",
			     saved[nsaved].path, saved[nsaved].val,
			     strerror(errno));
		close(fd);
	}
}

static void restore_on_signal(int sig)
{
	restore_proc();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Remember what @path holds now, to put it back at exit. */
static int save_proc(const char *path)
{
	ssize_t n;
	int fd;

	if (nsaved == SAVED_MAX)
		return -1;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, saved[nsaved].val, sizeof(saved[nsaved].val) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	saved[nsaved].val[n] = '\0';
	saved[nsaved].path = strdup(path);
	if (!saved[nsaved].path)
		return -1;
	if (!nsaved++) {
		saver = getpid();
		atexit(restore_proc);
		signal(SIGINT, restore_on_signal);
		signal(SIGTERM, restore_on_signal);
		signal(SIGHUP, restore_on_signal);
	}
	return 0;
}

static void write_proc(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;
	if (save_proc(path)) {
		note("# could not save %s: left as it is\n", path);
		close(fd);
		return;
	}
	if (write(fd, val, strlen(val)) < 0) {
		note("# could not set %s to %s: %s\n", path, val,
		     strerror(errno));
		free(saved[--nsaved].path);
	}
	close(fd);
}

/* The module parameter of that name, if it is below min: raise it. */
static void raise_param(const char *name, unsigned long min)
{
	char path[128], val[32];
	unsigned long cur;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/mailslot/parameters/%s",
		 name);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fscanf(f, "%lu", &cur) == 1 && cur < min) {
		snprintf(val, sizeof(val), "%lu", min);
		write_proc(path, val);
	}
	fclose(f);
}

static void setup_limits(void)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	/*
	 * mqueue defaults (10 messages of 8 KiB) cannot hold the tests; the
	 * size curve sends messages of up to 1 MiB (bm_sizes.c)
	 */
	write_proc("/proc/sys/fs/mqueue/msg_max", "65536");
	write_proc("/proc/sys/fs/mqueue/msgsize_max", "1048576");
	raise_param("max_msg_size", 1048576);
	write_proc("/proc/sys/fs/mqueue/queues_max", "1024");
	write_proc("/proc/sys/kernel/sched_rt_runtime_us", "-1");
	/* SOCK_SEQPACKET queues hold max_dgram_qlen (10) messages */
	write_proc("/proc/sys/net/unix/max_dgram_qlen", "256");
	if (setrlimit(RLIMIT_MSGQUEUE, &rl)) {
		rl.rlim_cur = 1ul << 30;
		rl.rlim_max = 1ul << 30;
		setrlimit(RLIMIT_MSGQUEUE, &rl);
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* Which mailslot features work: the module may be partial or absent. */
static void probe(struct bench *b)
{
	char name[96];
	int fd;

	b->ctl = open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
	if (b->ctl < 0) {
		note("# %s: %s\n", MAILSLOT_CONTROL_PATH, strerror(errno));
		return;
	}
	uniq_name(b, name, sizeof(name), "probe");
	fd = ms_create(b, name, 0, 0, 0, 0, 0);
	if (fd >= 0) {
		int w = ms_open(name, O_WRONLY);

		b->have_ms = w >= 0;
		if (w < 0)
			note("# open %s/%s: %s\n", MAILSLOT_DEV_DIR, name,
			     strerror(errno));
		else
			close(w);
		close(fd);
	} else {
		note("# MAILSLOT_IOC_CREATE: %s\n", strerror(errno));
	}
	fd = proc_open(b, getpid());
	if (fd >= 0) {
		b->have_proc = 1;
		close(fd);
	} else {
		note("# MAILSLOT_IOC_PROC_OPEN: %s\n", strerror(errno));
	}
}

static void parse_args(struct bench_opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "Bc:o:r:s:t:vz:")) != -1) {
		switch (c) {
		case 'B':
			o->best = 1;
			break;
		case 'z':
			o->size = atol(optarg);
			break;
		case 'c':
			o->only = optarg;
			break;
		case 'o':
			o->csv = optarg;
			break;
		case 'r':
			o->reps = atoi(optarg);
			break;
		case 's':
			o->scale = atof(optarg);
			break;
		case 't':
			o->sections = optarg;
			break;
		case 'v':
			o->verbose = 1;
			break;
		default:
			usage_exit();
		}
	}
	if (o->reps < 1 || o->reps > MAX_REPS || o->scale <= 0)
		usage_exit();
}

int main(int argc, char **argv)
{
	struct bench b = {
		.opt = {
			.reps = 5,
			.scale = 1.0,
			.sections = "pingpong,calls,throughput,sizes,fanout,contention,exit,memory,churn,relay",
		},
		.ctl = -1,
	};
	const struct section *sel[NSECTIONS * 4];
	struct timespec res;
	uint64_t start = now_ns();
	FILE *csv = NULL;
	int nsel, rep, i;

	parse_args(&b.opt, argc, argv);
	nsel = select_sections(b.opt.sections, sel, NSECTIONS * 4);
	if (b.opt.csv) {
		csv = fopen(b.opt.csv, "w");
		if (!csv)
			die("%s", b.opt.csv);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	b.ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (b.ncpu < 1)
		b.ncpu = 1;
	b.is_root = geteuid() == 0;
	setup_limits();
	probe(&b);
	clock_getres(CLOCK_MONOTONIC, &res);
	note("# msbench: %d CPUs, root=%d, slots=%s, process objects=%s, reps=%d, scale=%g, sections=%s, clock res %ld ns\n",
	     b.ncpu, b.is_root, b.have_ms ? "yes" : "NO (peers only)",
	     b.have_proc ? "yes" : "NO", b.opt.reps, b.opt.scale,
	     b.opt.sections, res.tv_nsec);
	if (!b.is_root)
		note("# not root: the fan-out writer cannot be SCHED_FIFO\n");
	pin_to(&b, 0);

	for (rep = 0; rep < b.opt.reps; rep++) {
		b.rep = rep;
		note("# repetition %d/%d at %.1f s\n", rep + 1, b.opt.reps,
		     (now_ns() - start) / 1e9);
		if (!b.opt.only)
			run_section(&b, &norm);
		for (i = 0; i < nsel; i++) {
			uint64_t t0 = now_ns();

			run_section(&b, sel[i]);
			note("#   section %s: %.2f s\n", sel[i]->name,
			     (now_ns() - t0) / 1e9);
		}
	}
	if (!b.opt.only)
		run_section(&b, &norm);
	records_finish(&b.recs);
	records_print(&b.recs, b.opt.reps);
	records_csv(&b.recs, csv);
	targets_check(&b.recs);
	note("# msbench done in %.1f s\n", (now_ns() - start) / 1e9);
	if (csv)
		fclose(csv);
	records_free(&b.recs);
	return 0;
}
