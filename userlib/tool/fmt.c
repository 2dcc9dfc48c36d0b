// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/* The mailslot tool's formatting and parsing helpers. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "fmt.h"

void fmt_text(FILE *out, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	if (len && p[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		switch (c) {
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\x%02x", c);
			else
				putc(c, out);
		}
	}
}

void fmt_json_string(FILE *out, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\u%04x", c);
			else
				putc(c, out);
		}
	}
}

int utf8_valid(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		uint32_t cp;
		size_t n, k;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1; cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2; cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3; cp = c & 0x07;
		} else {
			return 0;
		}
		if (len - i - 1 < n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

void fmt_base64(FILE *out, const void *buf, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		putc(tab[v >> 18], out);
		putc(tab[(v >> 12) & 63], out);
		putc(tab[(v >> 6) & 63], out);
		putc(tab[v & 63], out);
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;

		putc(tab[v >> 18], out);
		putc(tab[(v >> 12) & 63], out);
		fputs("==", out);
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

		putc(tab[v >> 18], out);
		putc(tab[(v >> 12) & 63], out);
		putc(tab[(v >> 6) & 63], out);
		putc('=', out);
	}
}

void fmt_json_msg(FILE *out, const struct mailslot_msg_info *info,
		  const void *buf, size_t len)
{
	fprintf(out, "{\"seq\":%" PRIu64 ",\"time_ns\":%" PRIu64
		",\"pid\":%" PRIu32 ",\"uid\":%" PRIu32 ",\"gid\":%" PRIu32
		",\"size\":%zu,",
		(uint64_t)info->seq, (uint64_t)info->time_ns, (uint32_t)info->pid,
		(uint32_t)info->uid, (uint32_t)info->gid, len);
	if (utf8_valid(buf, len)) {
		fputs("\"payload\":\"", out);
		fmt_json_string(out, buf, len);
	} else {
		fputs("\"payload_base64\":\"", out);
		fmt_base64(out, buf, len);
	}
	fputs("\"}\n", out);
}

int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_mode(const char *s, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '7')
		return -EINVAL;
	v = strtoul(s, &end, 8);
	if (*end || end - s > 4)
		return -EINVAL;
	if (v > 0777)
		return -ERANGE;
	*out = (unsigned int)v;
	return 0;
}

static const char *const overflow_names[] = {
	[MAILSLOT_OVERFLOW_BLOCK] = "block",
	[MAILSLOT_OVERFLOW_FAIL] = "fail",
	[MAILSLOT_OVERFLOW_DROP] = "drop",
};

int parse_overflow(const char *s)
{
	unsigned int i;

	for (i = 0; s && i < sizeof(overflow_names) / sizeof(overflow_names[0]); i++)
		if (!strcmp(s, overflow_names[i]))
			return (int)i;
	return -EINVAL;
}

const char *overflow_name(unsigned int overflow)
{
	if (overflow < sizeof(overflow_names) / sizeof(overflow_names[0]))
		return overflow_names[overflow];
	return "unknown";
}

const char *reason(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case ENOENT: return "no such slot";
	case EEXIST: return "slot exists";
	case EACCES: return "permission denied";
	case EPERM: return "operation not permitted";
	case EMSGSIZE: return "message too long";
	case EAGAIN: return "queue full";
	case ETIMEDOUT: return "timed out";
	case ESRCH: return "no such process";
	case EINVAL: return "invalid argument";
	case ENAMETOOLONG: return "name too long";
	case ENODEV: return "no such device (is the mailslot module loaded?)";
	case ENOTTY: return "not a mailslot";
	case EPIPE: return "slot closed";
	case ENOMEM: return "out of memory";
	case EINTR: return "interrupted";
	case EBADF: return "bad handle";
	case ERANGE: return "out of range";
	case ENOSPC: return "no space left";
	case EMFILE: return "too many open files";
	case EOPNOTSUPP: return "not supported by this mailslot module";
	default: {
		static char buf[128];

		snprintf(buf, sizeof(buf), "%s", strerror(err));
		if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
			buf[0] = (char)(buf[0] - 'A' + 'a');
		return buf;
	}
	}
}

void fmt_status(char *buf, size_t size, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed %d%s", WTERMSIG(status),
			 WCOREDUMP(status) ? " core" : "");
	else
		snprintf(buf, size, "status %d", status);
}

int proc_columns(char *line, char **fields, int max)
{
	int n = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, " \t\n", &save); tok && n < max;
	     tok = strtok_r(NULL, " \t\n", &save))
		fields[n++] = tok;
	return n;
}

int proc_find(char *const *header, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(header[i], name))
			return i;
	return -1;
}
