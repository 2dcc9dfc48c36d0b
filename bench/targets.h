/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msbench targets: what the design promises, as ratios of two medians of
 * the same figure (the contender's over its baseline's).
 */
#ifndef MSBENCH_TARGETS_H
#define MSBENCH_TARGETS_H

#include "report.h"

/* Print one "@target," line per target: MET, MISSED or NOT MEASURED. */
void targets_check(const struct records *rs);

#endif /* MSBENCH_TARGETS_H */
