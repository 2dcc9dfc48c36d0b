// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#include "internal.h"

#ifndef LIBMAILSLOT_VERSION
#error "LIBMAILSLOT_VERSION must be defined by the build"
#endif

MS_EXPORT const char *mailslot_version(void)
{
	return LIBMAILSLOT_VERSION;
}
