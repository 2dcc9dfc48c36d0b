// SPDX-License-Identifier: GPL-2.0
/*
 * msbench: helpers shared by the sections (errors, CPUs, processes, I/O).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "bench.h"

void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	fprintf(stderr, "msbench: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
	exit(2);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fflush(stdout);
}

void skip_point(const struct bench *b, const char *test, const char *param,
		const char *contender, const char *fmt, ...)
{
	va_list ap;

	printf("@skip,%s,%s,%s,%s,", b->section, test, param, contender);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int want(const struct bench *b, const char *contender)
{
	return !b->opt.only || !strcmp(b->opt.only, contender);
}

int iters(const struct bench *b, int base)
{
	int n = (int)(base * b->opt.scale);

	return n < 3 ? 3 : n;
}

void pin_to(const struct bench *b, int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu % b->ncpu, &s);
	if (sched_setaffinity(0, sizeof(s), &s))
		die("sched_setaffinity");
}

void unpin(const struct bench *b)
{
	cpu_set_t s;
	int i;

	CPU_ZERO(&s);
	for (i = 0; i < b->ncpu; i++)
		CPU_SET(i, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

int set_fifo(int on)
{
	struct sched_param sp = { .sched_priority = on ? 1 : 0 };

	return sched_setscheduler(0, on ? SCHED_FIFO : SCHED_OTHER, &sp);
}

void *shm_alloc(size_t sz)
{
	void *p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 0, sz);
	return p;
}

pid_t fork_or_die(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	return pid;
}

void reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* All of n bytes, through EINTR and short transfers; dies on EOF. */
static void xfer_full(int fd, char *p, size_t n, int out)
{
	const char *what = out ? "write" : "read";

	while (n) {
		ssize_t r = out ? write(fd, p, n) : read(fd, p, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("%s", what);
		}
		if (r == 0)
			die("%s: unexpected EOF", what);
		p += r;
		n -= r;
	}
}

void write_full(int fd, const void *buf, size_t n)
{
	xfer_full(fd, (char *)buf, n, 1);
}

void read_full(int fd, void *buf, size_t n)
{
	xfer_full(fd, buf, n, 0);
}

int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The p-quantile of n sorted values. */
uint64_t pct(const uint64_t *v, int n, double p)
{
	int i = (int)(p * (n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

void record(struct bench *b, const char *test, const char *param,
	    const char *cont, int peer, const char *metric, const char *unit,
	    int hib, double v)
{
	const struct rec_key k = {
		.sec = b->section, .test = test, .param = param,
		.cont = cont, .metric = metric,
	};

	records_add(&b->recs, &k, unit, hib, peer, v);
	if (b->opt.verbose)
		note("  [%s %s %s %s %s] %.4g %s\n", k.sec, test, param, cont,
		     metric, v, unit);
}
