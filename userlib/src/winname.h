/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Windows mailslot names and local slot names: the one mapping, used by
 * libmailslot, the mailslot tool and the relay mailslotd (which builds
 * this file in).  The rule, as mailslot(7) "Windows names" states it:
 *
 *   \\.\mailslot\APP\NEWS      the local slot app/news
 *   \\HOST\mailslot\APP\NEWS   slot app/news on HOST (an address or a name)
 *   \\*\mailslot\APP\NEWS      slot app/news on every machine of the subnet
 *   \MAILSLOT\APP\NEWS         the transaction name on the wire: app/news
 *
 * The "mailslot" part is matched without regard to case; '/' counts as
 * '\' (Win32 treats them alike).  The rest is split at the separators and
 * each component lower-cased (A-Z only) and joined with '/'.  The result
 * must be a valid local name (mailslot(7) "Slots and handles": printable
 * ASCII without space, no empty, "." or ".." component, at most 255
 * bytes, not "control").  Local names are case-sensitive and Windows names
 * are not, so a slot is reachable under a Windows name only when its local
 * name has no capital letters.
 */
#ifndef LIBMAILSLOT_WINNAME_H
#define LIBMAILSLOT_WINNAME_H

#include <stddef.h>

enum ms_winname_kind {
	MS_WINNAME_LOCAL = 0,		/* \\.\mailslot\NAME */
	MS_WINNAME_HOST = 1,		/* \\HOST\mailslot\NAME */
	MS_WINNAME_BROADCAST = 2,	/* \\*\mailslot\NAME */
	MS_WINNAME_WIRE = 3,		/* \MAILSLOT\NAME */
};

/* Longest HOST part accepted (a DNS name). */
#define MS_WINNAME_HOST_MAX	253

/*
 * Parse the Windows name @in.  On success returns its kind and stores the
 * local name in @local (@local_size bytes, at least MAILSLOT_NAME_MAX + 1
 * to hold any) and, for MS_WINNAME_HOST, the host in @host (@host_size
 * bytes, at least MS_WINNAME_HOST_MAX + 1; may be NULL for other kinds).
 * -EINVAL when @in is not a Windows mailslot name or maps to no valid
 * local name, -ENAMETOOLONG when a part is too long for its buffer or the
 * limits above.
 */
int ms_winname_parse(const char *in, char *host, size_t host_size,
		     char *local, size_t local_size);

/* True when @in has the shape of a Windows name (starts with '\' or "//"). */
int ms_winname_is_windows(const char *in);

/*
 * The transaction name "\MAILSLOT\..." of the local name @local ('/'
 * becomes '\'), into @out of @out_size bytes.  0, -EINVAL for an invalid
 * local name, -ENAMETOOLONG when it does not fit (the wire allows 255
 * bytes).
 */
int ms_winname_to_wire(const char *local, char *out, size_t out_size);

/* Whether @name is a valid local slot name (the module's rule). */
int ms_local_name_valid(const char *name);

#endif /* LIBMAILSLOT_WINNAME_H */
