// SPDX-License-Identifier: GPL-2.0
/*
 * Slots and namespaces: a process in a new user and pid namespace (a
 * container given /dev/mailslot/control) sees in /proc/mailslot only the
 * slots created in its user namespace or below it, may create slots (owned
 * by its mapped ids), cannot take a name the host has taken (names are
 * global: EEXIST), and cannot open a host slot its ids do not permit even
 * as root of its namespace.  The host sees every slot, with the
 * container's ids as the host knows them.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

#define NS_BASE		100000	/* host uid/gid of the container's 0 */

/* 1 when /proc/mailslot lists @name, 0 when not, -1 on error; *uid set. */
static int listed(const char *name, unsigned int *uid)
{
	struct mst_procfs_row r;
	int found = mst_procfs_find(name, &r, NULL, 0);

	if (found == 1)
		*uid = r.uid;
	return found;
}

static int write_map(pid_t pid, const char *file, const char *map)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return mst_write_file(path, map);
}

struct ns_args {
	const char *host;	/* a slot the host created */
	const char *mine;	/* the slot the container creates */
	int ready[2];		/* container -> host: created (or failed) */
	int done[2];		/* host -> container: checked, close it */
};

/*
 * In the container, as its root (host uid NS_BASE), in the new pid
 * namespace as its pid 1.  Returns 0 or the number of the failed check.
 */
static int in_container(struct ns_args *a)
{
	unsigned int uid = ~0u;
	char c = 0, path[300];
	int srv, fd;

	if (getpid() != 1)
		return 20;
	if (listed(a->host, &uid) != 0)
		return 21;	/* the host's slot is not listed */
	/* names are global: the host's name is taken */
	srv = mst_slot_create(a->host);
	if (srv != -EEXIST)
		return 22;
	/* the host's 0600 root slot: no access, not even for our root */
	mst_slot_path(path, sizeof(path), a->host);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0 || errno != EACCES)
		return 23;
	srv = mst_slot_create(a->mine);
	if (srv < 0)
		return 24;
	if (listed(a->mine, &uid) != 1 || uid != 0)
		return 25;	/* ours, owned by our root */
	if (write(a->ready[1], "r", 1) != 1)
		return 28;
	if (read(a->done[0], &c, 1) != 1)
		return 29;
	close(srv);
	return 0;
}

TEST(container_sees_own_slots_only)
{
	char map[64], c = 0, path[300];
	const char *host = mst_name("ns-host");
	const char *mine = mst_name("ns-mine");
	struct ns_args a = { .host = host, .mine = mine };
	unsigned int uid = ~0u;
	int srv, up[2], down[2], wstatus, fd;
	pid_t outer, inner;
	struct stat st;

	if (access(MAILSLOT_CONTROL_PATH, F_OK))
		SKIP(return, "%s missing", MAILSLOT_CONTROL_PATH);
	if (geteuid() != 0)
		SKIP(return, "needs root to map ids");
	srv = mst_slot_create(host);
	ASSERT_LE(0, srv);
	ASSERT_EQ(1, listed(host, &uid));
	ASSERT_EQ(0, uid);
	ASSERT_EQ(0, pipe(a.ready));
	ASSERT_EQ(0, pipe(a.done));
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));

	outer = fork();
	ASSERT_LE(0, outer);
	if (outer == 0) {
		/* unshare, wait for the maps, become root in there, fork */
		if (unshare(CLONE_NEWUSER | CLONE_NEWPID))
			_exit(errno == EINVAL || errno == EPERM ? 77 : 10);
		if (write(up[1], "u", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(11);
		if (setresgid(0, 0, 0) || setresuid(0, 0, 0))
			_exit(12);
		inner = fork();
		if (inner < 0)
			_exit(13);
		if (inner == 0)
			_exit(in_container(&a));
		if (waitpid(inner, &wstatus, 0) != inner ||
		    !WIFEXITED(wstatus))
			_exit(14);
		_exit(WEXITSTATUS(wstatus));
	}
	close(up[1]);
	close(a.ready[1]);
	/* EOF: the child could not unshare */
	if (read(up[0], &c, 1) == 1) {
		snprintf(map, sizeof(map), "0 %d 1000\n", NS_BASE);
		EXPECT_EQ(0, write_map(outer, "uid_map", map));
		EXPECT_EQ(0, write_map(outer, "gid_map", map));
	}
	EXPECT_EQ(1, write(down[1], "m", 1));

	/* the container's slot, seen from the host */
	if (read(a.ready[0], &c, 1) == 1) {
		EXPECT_EQ(1, listed(mine, &uid));
		EXPECT_EQ(NS_BASE, uid);
		EXPECT_EQ(1, listed(host, &uid));
		mst_slot_path(path, sizeof(path), mine);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(NS_BASE, st.st_uid);
		EXPECT_EQ(NS_BASE, st.st_gid);
		/* the host's root may listen and send, the name is global */
		fd = mst_slot_open(mine, O_WRONLY);
		EXPECT_LE(0, fd);
		if (fd >= 0)
			close(fd);
		/* a second slot of the same name from the host: EEXIST too */
		EXPECT_EQ(-EEXIST, mst_slot_create(mine));
		EXPECT_EQ(1, write(a.done[1], "d", 1));
	}
	close(a.done[1]);
	ASSERT_EQ(outer, waitpid(outer, &wstatus, 0));
	ASSERT_TRUE(WIFEXITED(wstatus));
	if (WEXITSTATUS(wstatus) == 77)
		SKIP(goto out, "no user namespaces in this kernel");
	EXPECT_EQ(0, WEXITSTATUS(wstatus));
	/* gone with its server */
	EXPECT_EQ(0, listed(mine, &uid));
out:
	close(srv);
}

TEST_HARNESS_MAIN
