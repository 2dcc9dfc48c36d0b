// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#include "internal.h"


MS_EXPORT const char *mailslot_version(void)
{
	return LIBMAILSLOT_VERSION;
}
