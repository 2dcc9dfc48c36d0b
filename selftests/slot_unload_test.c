// SPDX-License-Identifier: GPL-2.0
/*
 * Unload safety: every fd pins the module.  While one
 * is open delete_module(2) fails with EWOULDBLOCK (== EAGAIN; rmmod says
 * "in use"); /sys/module/mailslot/refcnt counts the fds.  The test runner
 * unloads the module after all tests, which must then succeed with a
 * clean log (the module WARNs at unload if anything leaked).
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

static long refcnt(void)
{
	char buf[32];

	if (mst_read_file("/sys/module/mailslot/" "refcnt", buf, sizeof(buf)))
		return -1;
	return atol(buf);
}

static int try_unload(void)
{
	return syscall(SYS_delete_module, "mailslot", O_NONBLOCK);
}

TEST(fds_pin_module)
{
	const char *name = mst_name("unload");
	long base, one;
	int srv, l, w, ctl;

	base = refcnt();
	ASSERT_LE(0, base);
	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	EXPECT_EQ(base + 1, refcnt());
	l = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	/* a node fd holds the cdev's and the file's module reference */
	one = refcnt();
	EXPECT_LT(base + 2, one);
	ASSERT_EQ(1, write(w, "x", 1));
	EXPECT_EQ(-1, try_unload());
	EXPECT_EQ(EWOULDBLOCK, errno);

	/* a dead slot's handles still pin it */
	close(srv);
	EXPECT_EQ(one - 1, refcnt());
	EXPECT_EQ(-1, try_unload());
	EXPECT_EQ(EWOULDBLOCK, errno);
	close(w);
	EXPECT_EQ(-1, try_unload());
	EXPECT_EQ(EWOULDBLOCK, errno);
	close(l);
	EXPECT_EQ(base, refcnt());

	/* the control device pins it too */
	ctl = mst_control();
	ASSERT_LE(0, ctl);
	EXPECT_EQ(base + 1, refcnt());
	close(ctl);
	EXPECT_EQ(base, refcnt());
}

/* An fd passed to another process keeps the slot and the module. */
TEST(inherited_fd)
{
	const char *name = mst_name("unload");
	int srv, status;
	long base = refcnt();
	pid_t pid;

	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char buf[8];
		int w;

		usleep(200000);
		w = mst_slot_open(name, O_WRONLY);
		if (w < 0 || write(w, "hi", 2) != 2)
			_exit(1);
		_exit(read(srv, buf, sizeof(buf)) == 2 ? 0 : 2);
	}
	close(srv);	/* the child still holds the server fd */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(base, refcnt());
}

TEST_HARNESS_MAIN
