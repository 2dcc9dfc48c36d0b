// SPDX-License-Identifier: GPL-2.0
/*
 * msbench targets as a data table, checked by one function.
 */
#include "bench.h"
#include "targets.h"

enum cmp { AT_LEAST, AT_MOST };

struct target {
	const char *what;		/* the label in the output */
	const char *sec, *test, *param, *metric;
	/* ratio: cont's median / base's; base NULL: the best Linux peer */
	const char *cont, *base;
	enum cmp cmp;
	double limit;
};

static const struct target targets[] = {
	{ "64B throughput mailslot/mqueue",
	  "throughput", "throughput", "64B", "msgs/s",
	  "mailslot", "mqueue", AT_LEAST, 1.0 },
	{ "64B throughput mailslot-batch/mqueue",
	  "throughput", "throughput", "64B", "msgs/s",
	  "mailslot-batch", "mqueue", AT_LEAST, 2.0 },
	{ "fan-out N=16 writer cost mailslot/16 mqueue sends",
	  "fanout", "fanout", "N=16", "writer us/msg",
	  "mailslot", "N x mqueue", AT_MOST, 0.25 },
	{ "exit wake p50 procobj+poll/pidfd+poll",
	  "exit", "exit-wake", "1 proc", "p50",
	  "procobj+poll", "pidfd+poll", AT_MOST, 1.10 },
	{ "memory per 64B msg mailslot/mqueue",
	  "memory", "memory 64B", "1 reader", "memcg B/delivery",
	  "mailslot", "mqueue", AT_MOST, 1.0 },
	{ "memory fan-out 16 mailslot/16 mqueues",
	  "memory", "memory 64B", "16 readers", "memcg B/delivery",
	  "mailslot", "16 x mqueue", AT_MOST, 0.25 },
	{ "exit wake p50 procobj+IOC_WAIT/pidfd+poll",
	  "exit", "exit-wake", "1 proc", "p50",
	  "procobj+IOC_WAIT", "pidfd+poll", AT_MOST, 1.10 },
	{ "ping-pong 64B p50 mailslot/best peer",
	  "pingpong", "pingpong", "64B", "rtt p50",
	  "mailslot", NULL, AT_MOST, 1.0 },
	{ "ping-pong 64B p99 mailslot/best peer",
	  "pingpong", "pingpong", "64B", "rtt p99",
	  "mailslot", NULL, AT_MOST, 1.0 },
	{ "ping-pong 4KiB p50 mailslot/best peer",
	  "pingpong", "pingpong", "4096B", "rtt p50",
	  "mailslot", NULL, AT_MOST, 1.0 },
	{ "ping-pong 4KiB p99 mailslot/best peer",
	  "pingpong", "pingpong", "4096B", "rtt p99",
	  "mailslot", NULL, AT_MOST, 1.0 },
	{ "contention W=1 mailslot/mqueue",
	  "contention", "contention", "W=1", "msgs/s",
	  "mailslot", "mqueue", AT_LEAST, 1.0 },
	{ "contention W=2 mailslot/mqueue",
	  "contention", "contention", "W=2", "msgs/s",
	  "mailslot", "mqueue", AT_LEAST, 1.0 },
	{ "64KiB throughput mailslot/seqpacket",
	  "throughput", "throughput", "64KiB", "msgs/s",
	  "mailslot", "seqpacket", AT_LEAST, 1.0 },
	{ "churn create+destroy mailslot/mqueue",
	  "churn", "churn", "create+destroy", "ops/s",
	  "mailslot", "mqueue", AT_LEAST, 0.5 },
	{ "memory per 64KiB msg mailslot/mqueue",
	  "memory", "memory 64KiB", "1 reader", "memcg B/delivery",
	  "mailslot", "mqueue", AT_MOST, 1.0 },
};

static const struct rec *target_rec(const struct records *rs,
				    const struct target *t, const char *cont)
{
	const struct rec_key k = {
		.sec = t->sec, .test = t->test, .param = t->param,
		.cont = cont, .metric = t->metric,
	};

	return records_find(rs, &k);
}

void targets_check(const struct records *rs)
{
	unsigned int i;

	note("\n=== targets (ratios from the medians above) ===\n");
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		const struct target *t = &targets[i];
		const struct rec *a = target_rec(rs, t, t->cont);
		const struct rec *b = t->base ? target_rec(rs, t, t->base) : a;
		const char *op = t->cmp == AT_MOST ? "<=" : ">=";
		double v;

		/* without a base, records_finish() left the ratio in a */
		if (!a || !b || b->med <= 0 || (!t->base && a->ratio <= 0)) {
			note("@target,%s,,%s %.2f,NOT MEASURED\n", t->what, op,
			     t->limit);
			continue;
		}
		v = t->base ? a->med / b->med : a->ratio;
		note("@target,%s,%.3f,%s %.2f,%s\n", t->what, v, op, t->limit,
		     (t->cmp == AT_MOST ? v <= t->limit : v >= t->limit) ?
		     "MET" : "MISSED");
	}
}
