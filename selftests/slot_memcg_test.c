// SPDX-License-Identifier: GPL-2.0
/*
 * Memory accounting: queued messages are charged to
 * the memory cgroup of the sender (__GFP_ACCOUNT) until the last reader
 * has taken them.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

#define CG_ROOT	MST_CGROUP_ROOT
#define MSG	(1 << 20)
#define NMSG	16

static long long cg_current(const char *cg)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/memory.current", cg);
	return mst_read_long(path, NULL);
}

TEST(charged_to_sender_memcg)
{
	const char *name = mst_name("memcg");
	char cg[128], path[256], buf[32];
	long long before, queued, after;
	int srv, pfd[2], status;
	static char msg[MSG];
	pid_t pid;

	if (access(CG_ROOT "/cgroup.controllers", F_OK)) {
		mkdir(CG_ROOT, 0755);
		mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL);
	}
	if (mst_read_file(CG_ROOT "/cgroup.controllers", buf, sizeof(buf)) ||
	    !strstr(buf, "memory"))
		SKIP(return, "no cgroup2 memory controller");
	mst_write_file(CG_ROOT "/cgroup.subtree_control", "+memory");
	snprintf(cg, sizeof(cg), CG_ROOT "/mailslot-test-%d", getpid());
	ASSERT_EQ(0, mkdir(cg, 0755));

	srv = mst_slot_create_lim(name, MSG, NMSG, NMSG * MSG,
			      MAILSLOT_OVERFLOW_FAIL, 0);
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char go;
		int w, i;

		/* join the cgroup, then send NMSG messages of 1 MiB */
		if (read(pfd[0], &go, 1) != 1)
			_exit(1);
		w = mst_slot_open(name, O_WRONLY);
		if (w < 0)
			_exit(2);
		for (i = 0; i < NMSG; i++)
			if (write(w, msg, MSG) != MSG)
				_exit(3);
		_exit(0);
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(buf, sizeof(buf), "%d", pid);
	ASSERT_EQ(0, mst_write_file(path, buf));
	before = cg_current(cg);
	ASSERT_LE(0, before);
	ASSERT_EQ(1, write(pfd[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	/* the sender is gone; its messages stay charged to its cgroup */
	queued = cg_current(cg);
	EXPECT_LE(before + NMSG * MSG, queued)
		TH_LOG("before %lld queued %lld", before, queued);
	while (read(srv, msg, MSG) == MSG)
		;
	after = cg_current(cg);
	EXPECT_GE(queued - (NMSG - 1) * MSG, after)
		TH_LOG("queued %lld after %lld", queued, after);
	close(srv);
	close(pfd[0]);
	close(pfd[1]);
	rmdir(cg);
}

TEST_HARNESS_MAIN
