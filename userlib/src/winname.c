// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/* Windows mailslot names to local slot names: see winname.h. */
#include <errno.h>
#include <string.h>

#include <linux/mailslot.h>

#include "winname.h"

#define WIRE_PREFIX	"\\MAILSLOT\\"
#define WIRE_MAX	255

static int is_sep(char c)
{
	return c == '\\' || c == '/';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* @s starts with "mailslot" in any case, followed by a separator. */
static int mailslot_word(const char *s)
{
	static const char word[] = "mailslot";
	size_t i;

	for (i = 0; i < sizeof(word) - 1; i++)
		if (lower(s[i]) != word[i])
			return 0;
	return is_sep(s[i]);
}

int ms_local_name_valid(const char *name)
{
	size_t len = strlen(name), i, start = 0;

	if (len == 0 || len > MAILSLOT_NAME_MAX)
		return 0;
	for (i = 0; i <= len; i++) {
		char c = name[i];

		if (i < len && c != '/') {
			if (c < '!' || c > '~')
				return 0;
			continue;
		}
		if (i == start)
			return 0;
		if (name[start] == '.' &&
		    (i - start == 1 || (i - start == 2 && name[start + 1] == '.')))
			return 0;
		start = i + 1;
	}
	return strcmp(name, "control") && strncmp(name, "control/", 8);
}

int ms_winname_is_windows(const char *in)
{
	return in && (in[0] == '\\' || (in[0] == '/' && in[1] == '/'));
}

/* The part after "mailslot\": components lower-cased, joined with '/'. */
static int map_rest(const char *rest, char *local, size_t local_size)
{
	size_t n = 0;

	for (; *rest; rest++) {
		char c = is_sep(*rest) ? '/' : lower(*rest);

		if (n + 1 >= local_size || n >= MAILSLOT_NAME_MAX)
			return -ENAMETOOLONG;
		local[n++] = c;
	}
	if (!local_size)
		return -ENAMETOOLONG;
	local[n] = '\0';
	return ms_local_name_valid(local) ? 0 : -EINVAL;
}

int ms_winname_parse(const char *in, char *host, size_t host_size,
		     char *local, size_t local_size)
{
	const char *p, *h;
	size_t hlen;
	int kind, r;

	if (!ms_winname_is_windows(in))
		return -EINVAL;
	if (!is_sep(in[1])) {
		/* \MAILSLOT\NAME */
		if (!mailslot_word(in + 1))
			return -EINVAL;
		if (strlen(in) > WIRE_MAX)
			return -ENAMETOOLONG;
		r = map_rest(in + 10, local, local_size);
		return r ? r : MS_WINNAME_WIRE;
	}
	/* \\HOST\mailslot\NAME */
	h = in + 2;
	for (p = h; *p && !is_sep(*p); p++)
		;
	hlen = (size_t)(p - h);
	if (!hlen || !*p || !mailslot_word(p + 1))
		return -EINVAL;
	if (hlen == 1 && h[0] == '.') {
		kind = MS_WINNAME_LOCAL;
	} else if (hlen == 1 && h[0] == '*') {
		kind = MS_WINNAME_BROADCAST;
	} else {
		size_t i;

		kind = MS_WINNAME_HOST;
		if (hlen > MS_WINNAME_HOST_MAX)
			return -ENAMETOOLONG;
		for (i = 0; i < hlen; i++)
			if (h[i] < '!' || h[i] > '~' || h[i] == '*')
				return -EINVAL;
		if (!host || hlen >= host_size)
			return -ENAMETOOLONG;
		memcpy(host, h, hlen);
		host[hlen] = '\0';
	}
	r = map_rest(p + 1 + 9, local, local_size);
	return r ? r : kind;
}

int ms_winname_to_wire(const char *local, char *out, size_t out_size)
{
	size_t len = strlen(local), i, pre = sizeof(WIRE_PREFIX) - 1;

	if (!ms_local_name_valid(local))
		return -EINVAL;
	if (pre + len > WIRE_MAX || pre + len + 1 > out_size)
		return -ENAMETOOLONG;
	memcpy(out, WIRE_PREFIX, pre);
	for (i = 0; i < len; i++)
		out[pre + i] = local[i] == '/' ? '\\' : local[i];
	out[pre + len] = '\0';
	return 0;
}
