// SPDX-License-Identifier: GPL-2.0
/*
 * msbench records and report: the median of the repetitions, their min and
 * max, the ratio to the best Linux peer of the same group, as a text table,
 * "@csv," lines on stdout and (-o) a CSV file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "report.h"

static int key_is(const struct rec *r, const struct rec_key *k)
{
	return !strcmp(r->sec, k->sec) && !strcmp(r->test, k->test) &&
	       !strcmp(r->param, k->param) && !strcmp(r->cont, k->cont) &&
	       !strcmp(r->metric, k->metric);
}

static struct rec *lookup(const struct records *rs, const struct rec_key *k)
{
	int i;

	for (i = 0; i < rs->n; i++)
		if (key_is(&rs->r[i], k))
			return &rs->r[i];
	return NULL;
}

const struct rec *records_find(const struct records *rs,
			       const struct rec_key *k)
{
	return lookup(rs, k);
}

void records_add(struct records *rs, const struct rec_key *k,
		 const char *unit, int hib, int peer, double v)
{
	struct rec *r = lookup(rs, k);

	if (!r) {
		if (rs->n == rs->cap) {
			rs->cap = rs->cap ? rs->cap * 2 : 256;
			rs->r = realloc(rs->r, rs->cap * sizeof(*rs->r));
			if (!rs->r)
				die("realloc");
		}
		r = &rs->r[rs->n++];
		memset(r, 0, sizeof(*r));
		snprintf(r->sec, sizeof(r->sec), "%s", k->sec);
		snprintf(r->test, sizeof(r->test), "%s", k->test);
		snprintf(r->param, sizeof(r->param), "%s", k->param);
		snprintf(r->cont, sizeof(r->cont), "%s", k->cont);
		snprintf(r->metric, sizeof(r->metric), "%s", k->metric);
		snprintf(r->unit, sizeof(r->unit), "%s", unit);
		r->hib = hib;
		r->peer = peer;
	}
	if (r->n < MAX_REPS)
		r->v[r->n++] = v;
}

void records_free(struct records *rs)
{
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
	rs->cap = 0;
}

static double median_of(const double *v, int n)
{
	double t[MAX_REPS];

	if (!n)
		return 0;
	memcpy(t, v, n * sizeof(*t));
	qsort(t, n, sizeof(*t), cmp_dbl);
	return n & 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static double minmax(const struct rec *r, int max)
{
	double m = r->v[0];
	int i;

	for (i = 1; i < r->n; i++)
		if (max ? r->v[i] > m : r->v[i] < m)
			m = r->v[i];
	return m;
}

/* The same figure of the same test: only the contender differs. */
static int same_group(const struct rec *a, const struct rec *b)
{
	return !strcmp(a->sec, b->sec) && !strcmp(a->test, b->test) &&
	       !strcmp(a->param, b->param) && !strcmp(a->metric, b->metric);
}

void records_finish(struct records *rs)
{
	struct rec *r = rs->r;
	int i, j;

	for (i = 0; i < rs->n; i++)
		r[i].med = median_of(r[i].v, r[i].n);
	for (i = 0; i < rs->n; i++) {
		double best = 0;
		int have = 0;

		for (j = 0; j < rs->n; j++) {
			if (!r[j].peer || !same_group(&r[i], &r[j]) ||
			    r[j].med <= 0)
				continue;
			if (!have || (r[i].hib ? r[j].med > best
					       : r[j].med < best))
				best = r[j].med;
			have = 1;
		}
		r[i].ratio = have ? r[i].med / best : 0;
	}
}

void records_print(const struct records *rs, int reps)
{
	const char *last = "";
	int i;

	note("\n=== msbench results: median of %d repetitions, contenders interleaved; ratio = median / best Linux peer (hib: higher is better) ===\n",
	     reps);
	note("%-10s %-12s %-15s %-17s %-18s %12s %12s %12s %7s %s\n",
	     "section", "test", "param", "contender", "metric", "median",
	     "min", "max", "ratio", "");
	for (i = 0; i < rs->n; i++) {
		const struct rec *r = &rs->r[i];
		char rt[16];

		if (strcmp(last, r->sec))
			note("\n");
		last = r->sec;
		if (r->ratio > 0)
			snprintf(rt, sizeof(rt), "%.2f", r->ratio);
		else
			snprintf(rt, sizeof(rt), "-");
		note("%-10s %-12s %-15s %-17s %-18s %12.4g %12.4g %12.4g %7s %s%s\n",
		     r->sec, r->test, r->param, r->cont, r->metric, r->med,
		     minmax(r, 0), minmax(r, 1), rt, r->unit,
		     r->hib ? " (hib)" : "");
	}
	note("\n");
}

static void csv_row(FILE *f, const char *prefix, const struct rec *r)
{
	fprintf(f, "%s%s,%s,%s,%s,%s,%s,%s,%.6g,%.6g,%.6g,%.4f,%d\n", prefix,
		r->sec, r->test, r->param, r->cont, r->metric, r->unit,
		r->hib ? "higher" : "lower", r->med, minmax(r, 0),
		minmax(r, 1), r->ratio, r->n);
}

/* "@csv," lines on stdout (the console carries them) and, if given, csv. */
void records_csv(const struct records *rs, FILE *csv)
{
	int i;

	if (csv)
		fprintf(csv, "section,test,param,contender,metric,unit,better,median,min,max,ratio_to_best_peer,reps\n");
	for (i = 0; i < rs->n; i++) {
		csv_row(stdout, "@csv,", &rs->r[i]);
		if (csv)
			csv_row(csv, "", &rs->r[i]);
	}
	fflush(stdout);
}
