/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msbench records: one per figure, one value per repetition; the
 * statistics over the repetitions, the text table and the CSV.
 */
#ifndef MSBENCH_REPORT_H
#define MSBENCH_REPORT_H

#include <stdio.h>

#define MAX_REPS 64

/* What names a figure; contenders of one group share all but cont. */
struct rec_key {
	const char *sec, *test, *param, *cont, *metric;
};

struct rec {
	char sec[16], test[24], param[16], cont[20], metric[24], unit[12];
	int hib;		/* higher is better */
	int peer;		/* a Linux peer (candidate for "best peer") */
	int n;
	double v[MAX_REPS];
	double med, ratio;	/* set by records_finish() */
};

struct records {
	struct rec *r;
	int n, cap;
};

void records_add(struct records *rs, const struct rec_key *k,
		 const char *unit, int hib, int peer, double v);
const struct rec *records_find(const struct records *rs,
			       const struct rec_key *k);
void records_finish(struct records *rs);
void records_print(const struct records *rs, int reps);
void records_csv(const struct records *rs, FILE *csv);
void records_free(struct records *rs);

#endif /* MSBENCH_REPORT_H */
