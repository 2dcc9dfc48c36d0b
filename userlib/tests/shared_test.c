// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * shared_test: the shared library as applications get it, linked through
 * its soname: every public symbol resolves with the LIBMAILSLOT_0.1
 * version and nothing private is exported.  (lib_test covers behaviour.)
 */
#include <dlfcn.h>
#include <errno.h>
#include <string.h>

#include "libmailslot.h"
#include "kselftest_harness.h"

static const char *const api[] = {
	"mailslot_create", "mailslot_open", "mailslot_send", "mailslot_sendv",
	"mailslot_recv", "mailslot_recv_batch", "mailslot_get_info",
	"mailslot_set_timeout", "mailslot_proc_open", "mailslot_wait_one",
	"mailslot_wait_many", "mailslot_proc_status", "mailslot_version",
};

TEST(soname_and_versioned_symbols)
{
	void *h = dlopen("libmailslot.so.0", RTLD_NOW | RTLD_LOCAL);
	unsigned int i;

	ASSERT_NE(NULL, h) TH_LOG("dlopen: %s", dlerror());
	for (i = 0; i < sizeof(api) / sizeof(api[0]); i++) {
		EXPECT_NE(NULL, dlvsym(h, api[i], "LIBMAILSLOT_0.1"))
			TH_LOG("%s@LIBMAILSLOT_0.1 missing", api[i]);
	}
	/* Added in 0.2: its own node, not 0.1's. */
	EXPECT_NE(NULL, dlvsym(h, "mailslot_proc_open_pidfd", "LIBMAILSLOT_0.2"));
	EXPECT_EQ(NULL, dlvsym(h, "mailslot_proc_open_pidfd", "LIBMAILSLOT_0.1"));
	/* Internal helpers stay hidden. */
	EXPECT_EQ(NULL, dlsym(h, "ms_control_ioctl"));
	EXPECT_EQ(NULL, dlsym(h, "ms_wait_readable"));
	EXPECT_EQ(NULL, dlsym(h, "ms_proc_open_pidfd"));
	dlclose(h);
}

TEST(calls_through_the_shared_library)
{
	EXPECT_STREQ("0.2.0", mailslot_version());
	EXPECT_EQ(-EINVAL, mailslot_create(NULL, NULL));
	EXPECT_EQ(-EINVAL, mailslot_wait_many(&(int){ 0 }, 0, 0, 0));
}

TEST_HARNESS_MAIN
