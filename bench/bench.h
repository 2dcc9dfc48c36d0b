/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msbench: the context of a run and the helpers every section uses.
 *
 * There is no mutable global state: main() fills one struct bench and
 * passes it to every section, every contender and the report.
 */
#ifndef MSBENCH_BENCH_H
#define MSBENCH_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "report.h"

/* The command line. */
struct bench_opts {
	int reps;		/* -r: repetitions */
	double scale;		/* -s: multiplies the iteration counts */
	const char *sections;	/* -t: section names, comma-separated */
	const char *only;	/* -c: only the contender named exactly so */
	long size;		/* -z: only this message size (ping-pong, throughput, sizes) */
	int best;		/* -B: throughput from the best window */
	int verbose;		/* -v: print every sample as it is taken */
	const char *csv;	/* -o: also write the CSV there */
};

/*
 * One run: made by main(), passed to everything.  Only the process that
 * runs main() changes it; forked peers read their copy.
 */
struct bench {
	struct bench_opts opt;
	int ncpu;
	int is_root;
	int ctl;		/* /dev/mailslot/control, or -1 */
	int have_ms;		/* slots can be created */
	int have_proc;		/* process objects can be opened */
	unsigned int name_seq;	/* makes slot and queue names unique */
	int mq_shrunk;		/* mqueue depth had to be reduced (said once) */
	int rep;		/* the current repetition, from 0 */
	const char *section;	/* the running section's name: the records' key */
	struct records recs;
	uint64_t *exit_stamp;	/* shared with children: time just before _exit */
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A section of the benchmark: the name is the one used everywhere. */
struct section {
	const char *name;
	const char *desc;
	void (*run)(struct bench *b);
};

void bm_norm(struct bench *b);
void bm_pingpong(struct bench *b);
void bm_calls(struct bench *b);
void bm_throughput(struct bench *b);
void bm_sizes(struct bench *b);
void bm_fanout(struct bench *b);
void bm_contention(struct bench *b);
void bm_exit(struct bench *b);
void bm_memory(struct bench *b);
void bm_churn(struct bench *b);
void bm_relay(struct bench *b);

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))

__printf(1, 2) __noreturn void die(const char *fmt, ...);
__printf(1, 2) void note(const char *fmt, ...);
/* A point left out: "@skip,section,test,param,contender,why" (scripts/bench). */
__printf(5, 6) void skip_point(const struct bench *b, const char *test,
			       const char *param, const char *contender,
			       const char *fmt, ...);

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int want(const struct bench *b, const char *contender);
int iters(const struct bench *b, int base);
void pin_to(const struct bench *b, int cpu);
void unpin(const struct bench *b);
int set_fifo(int on);
void *shm_alloc(size_t sz);
pid_t fork_or_die(void);
void reap(pid_t pid);
void write_full(int fd, const void *buf, size_t n);
void read_full(int fd, void *buf, size_t n);
int cmp_u64(const void *a, const void *b);
int cmp_dbl(const void *a, const void *b);
uint64_t pct(const uint64_t *v, int n, double p);

/*
 * One-way throughput of every contender for msz-byte messages, count of
 * them in windows turns (bm_throughput.c; the throughput and sizes
 * sections); size_param() names a size as the records do ("4KiB").
 */
void tput_measure(struct bench *b, const char *test, size_t msz, long count,
		  int windows);
void size_param(char *buf, size_t sz, size_t msz);

/* One sample of a figure of the running section. */
void record(struct bench *b, const char *test, const char *param,
	    const char *cont, int peer, const char *metric, const char *unit,
	    int hib, double v);

#endif /* MSBENCH_BENCH_H */
