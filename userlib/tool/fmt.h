/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The mailslot tool's formatting and parsing helpers: pure functions, unit
 * tested on the host by tests/tool_unit_test.c.
 */
#ifndef MAILSLOT_TOOL_FMT_H
#define MAILSLOT_TOOL_FMT_H

#include <stddef.h>
#include <stdio.h>
#include <linux/mailslot.h>

/*
 * Text form of a message: one trailing '\n' dropped; '\\', '\n', '\t',
 * '\r' as C escapes; other bytes below 0x20 and 0x7f as \xHH; everything
 * else (UTF-8 included) as is.  Writes no newline.
 */
void fmt_text(FILE *out, const void *buf, size_t len);
/* A JSON string body (without quotes) of valid UTF-8 text. */
void fmt_json_string(FILE *out, const void *buf, size_t len);
/* One JSON object and '\n' for a received message. */
void fmt_json_msg(FILE *out, const struct mailslot_msg_info *info,
		  const void *buf, size_t len);
/* 1 when buf[0..len) is valid UTF-8 (no overlongs, surrogates, > U+10FFFF). */
int utf8_valid(const void *buf, size_t len);
/* Standard base64 with padding. */
void fmt_base64(FILE *out, const void *buf, size_t len);

/* Parse a decimal number in 0..max (no sign, no junk): 0 or -EINVAL/-ERANGE. */
int parse_u64(const char *s, unsigned long long max, unsigned long long *out);
/* Parse an octal mode 0..0777. */
int parse_mode(const char *s, unsigned int *out);
/* "block", "fail", "drop" -> MAILSLOT_OVERFLOW_*, else -EINVAL. */
int parse_overflow(const char *s);
const char *overflow_name(unsigned int overflow);

/* Short lower-case reason for an errno value, as the tool prints it. */
const char *reason(int err);

/* "exited 3", "killed 9", "killed 11 core" for a wait(2) status. */
void fmt_status(char *buf, size_t size, int status);

/*
 * /proc/mailslot: a header line of column names, then one line per slot.
 * proc_columns() splits a line into at most max fields (in place, on
 * whitespace) and returns how many; proc_find() gives the index of a
 * header column or -1.
 */
int proc_columns(char *line, char **fields, int max);
int proc_find(char *const *header, int n, const char *name);

#endif
