// SPDX-License-Identifier: GPL-2.0
/*
 * The foundation every other test stands on: the module is loaded and its
 * control device /dev/mailslot/control exists as a character device that
 * anybody may open (mode 0666).  Unloading is checked by the runner
 * (scripts/vm/vm-run runs rmmod after the tests and fails when it does).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/mailslot.h>

#include "kselftest_harness.h"

/* /proc/modules lists the module with state "Live" once its init ran. */
TEST(module_loaded)
{
	char line[512];
	bool found = false;
	FILE *f;

	f = fopen("/proc/modules", "r");
	ASSERT_NE(NULL, f) TH_LOG("/proc/modules: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "mailslot ", 9) == 0) {
			found = true;
			EXPECT_NE(NULL, strstr(line, " Live "))
				TH_LOG("module not live: %s", line);
		}
	}
	fclose(f);
	ASSERT_TRUE(found) TH_LOG("mailslot is not in /proc/modules");
}

TEST(control_is_char_device)
{
	struct stat st;

	ASSERT_EQ(0, stat(MAILSLOT_CONTROL_PATH, &st))
		TH_LOG("%s: %s", MAILSLOT_CONTROL_PATH, strerror(errno));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	/* A misc device: major 10. */
	EXPECT_EQ(10, major(st.st_rdev));
}

TEST(control_mode_0666)
{
	struct stat st;

	ASSERT_EQ(0, stat(MAILSLOT_CONTROL_PATH, &st));
	EXPECT_EQ(0666, st.st_mode & 07777)
		TH_LOG("mode is %04o", st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

/* Mode 0666 must mean what it says: an unprivileged process can open it. */
TEST(control_opens_unprivileged)
{
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		fd = open(MAILSLOT_CONTROL_PATH, O_RDWR | O_CLOEXEC);
		_exit(fd >= 0 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 2 && geteuid() != 0)
		SKIP(return, "not root: cannot drop to uid 65534");
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* The device lives under /dev/mailslot/, the directory slots appear in. */
TEST(dev_dir_exists)
{
	struct stat st;

	ASSERT_EQ(0, stat(MAILSLOT_DEV_DIR, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
}

TEST_HARNESS_MAIN
