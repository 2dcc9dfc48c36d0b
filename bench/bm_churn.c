// SPDX-License-Identifier: GPL-2.0
/*
 * Slot churn: create + destroy of a slot against mq_open + mq_unlink.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"
#include "peers.h"

void bm_churn(struct bench *b)
{
	int n = iters(b, 300), i;
	char name[96];
	uint64_t t0;

	if (b->have_ms && want(b, "mailslot")) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			int fd;

			uniq_name(b, name, sizeof(name), "churn");
			fd = ms_create(b, name, 0, 0, 0, 0, 0);
			if (fd < 0)
				die("churn: create");
			close(fd);
		}
		record(b, "churn", "create+destroy", "mailslot", 0, "ops/s",
		       "op/s", 1, n / ((now_ns() - t0) / 1e9));
	}
	if (!want(b, "mqueue"))
		return;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		struct mq_attr at = { .mq_maxmsg = 10, .mq_msgsize = 64 };
		int fd;

		snprintf(name, sizeof(name), "/msbench-churn-%d",
			 (int)getpid());
		fd = mq_open(name, O_RDONLY | O_CREAT | O_EXCL, 0600, &at);
		if (fd < 0)
			die("churn: mq_open");
		mq_close(fd);
		mq_unlink(name);
	}
	record(b, "churn", "create+destroy", "mqueue", 1, "ops/s", "op/s", 1,
	       n / ((now_ns() - t0) / 1e9));
}
