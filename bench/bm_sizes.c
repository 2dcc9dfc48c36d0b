// SPDX-License-Identifier: GPL-2.0
/*
 * The size curve: one-way throughput from 64 B to 1 MiB, every channel
 * (mailslot, batched, through io_uring; mqueue, pipe, seqpacket), measured
 * as the throughput section does (bm_throughput.c) with fewer messages a
 * point: about SIZES_BYTES of payload, at least SIZES_MIN_MSGS and at most
 * SIZES_MAX_MSGS messages, in SIZES_WINDOWS windows.  Queues are equal:
 * 256 messages or 1 MiB, whichever is smaller, so from 4 KiB up the bytes
 * bound them (one message of 1 MiB).  A contender that cannot carry a size
 * is left out of that point ("@skip," line), never approximated.
 */
#include "bench.h"

#define SIZES_BYTES (32l << 20)
#define SIZES_MIN_MSGS 32
#define SIZES_MAX_MSGS 4000
#define SIZES_WINDOWS 8

void bm_sizes(struct bench *b)
{
	static const size_t sizes[] = {
		64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		long n = SIZES_BYTES / (long)sizes[i];

		if (b->opt.size && b->opt.size != (long)sizes[i])
			continue;
		if (n < SIZES_MIN_MSGS)
			n = SIZES_MIN_MSGS;
		if (n > SIZES_MAX_MSGS)
			n = SIZES_MAX_MSGS;
		tput_measure(b, "size-curve", sizes[i], iters(b, n),
			     SIZES_WINDOWS);
	}
}
