// SPDX-License-Identifier: GPL-2.0
/*
 * Same-boot normalisers: the cost of a raw syscall (getppid) and of a
 * 4 KiB memcpy, measured in every repetition.
 */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "bench.h"

void bm_norm(struct bench *b)
{
	char src[4096], dst[4096];
	int i, n = iters(b, 200000);
	uint64_t t0, t1;

	memset(src, 1, sizeof(src));
	for (i = 0; i < 1000; i++)
		syscall(SYS_getppid);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	t1 = now_ns();
	record(b, "getppid", "-", "syscall", 0, "ns/call", "ns", 0,
	       (double)(t1 - t0) / n);

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		memcpy(dst, src, sizeof(dst));
		__asm__ __volatile__("" : : "r"(dst) : "memory");
	}
	t1 = now_ns();
	record(b, "memcpy", "4KiB", "memcpy", 0, "ns/copy", "ns", 0,
	       (double)(t1 - t0) / n);
}
