// SPDX-License-Identifier: GPL-2.0
/*
 * Opening a slot checks the opener against the slot that is really
 * opened (its own owner, group and mode), not only against the inode of
 * the node: a second node made with mknod, or a node changed by chmod,
 * cannot widen access.  Minors are not reused at once, so a node left
 * over from a closed slot does not lead to the next slot created.  A slot
 * has at most max_readers_per_slot readers.
 */
#define _GNU_SOURCE
#include <sys/sysmacros.h>

#include "mailslot_test.h"
#include "kselftest_harness.h"

#define NEED_ROOT() do {						\
		if (access(MAILSLOT_CONTROL_PATH, F_OK))		\
			SKIP(return, "%s missing", MAILSLOT_CONTROL_PATH); \
		if (geteuid() != 0)					\
			SKIP(return, "needs root");			\
	} while (0)

static int slot_create_mode(const char *name, unsigned int mode)
{
	struct mailslot_create c;

	memset(&c, 0, sizeof(c));
	c.mode = mode;
	return mst_slot_create_args(&c, name);
}

static int slot_minor(const char *name, dev_t *rdev)
{
	char path[300];
	struct stat st;

	mst_slot_path(path, sizeof(path), name);
	if (stat(path, &st) || !S_ISCHR(st.st_mode))
		return -1;
	*rdev = st.st_rdev;
	return 0;
}

/* open(path, flags): 0 when it succeeds, else the errno. */
static int open_errno(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

struct opens {
	const char *path;
	int want_rd, want_wr, want_rw;
};

/* As uid 1000: each open gives the errno expected (0 = success). */
static int check_opens(void *arg)
{
	const struct opens *o = arg;

	if (open_errno(o->path, O_RDONLY) != o->want_rd)
		return 1;
	if (open_errno(o->path, O_WRONLY) != o->want_wr)
		return 2;
	if (open_errno(o->path, O_RDWR) != o->want_rw)
		return 3;
	return 0;
}

FIXTURE(node) {
	char dir[64];
	char path[96];
	int srv;
};

FIXTURE_SETUP(node)
{
	self->srv = -1;
	self->path[0] = 0;
	strcpy(self->dir, "/tmp/slot_perm.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));
	snprintf(self->path, sizeof(self->path), "%s/node", self->dir);
}

FIXTURE_TEARDOWN(node)
{
	unlink(self->path);
	rmdir(self->dir);
	if (self->srv >= 0)
		close(self->srv);
}

/* A 0666 node made with mknod for a root-owned 0600 slot: refused. */
TEST_F(node, mknod_node_checked_against_slot)
{
	const char *name = mst_name("perm-mknod");
	struct opens o = { .path = self->path };
	dev_t rdev;

	NEED_ROOT();
	self->srv = slot_create_mode(name, 0600);
	ASSERT_LE(0, self->srv);
	ASSERT_EQ(0, slot_minor(name, &rdev));
	ASSERT_EQ(0, mknod(self->path, S_IFCHR | 0666, rdev));
	ASSERT_EQ(0, chmod(self->path, 0666));

	/* the owner (root) still opens it through either node */
	EXPECT_EQ(0, open_errno(self->path, O_RDWR));
	o.want_rd = EACCES;
	o.want_wr = EACCES;
	o.want_rw = EACCES;
	EXPECT_EQ(0, mst_as_user(check_opens, &o));
}

/* The slot's own mode still grants what it grants: 0622 lets others send. */
TEST_F(node, mknod_node_grants_only_slot_mode)
{
	const char *name = mst_name("perm-0622");
	struct opens o = { .path = self->path };
	dev_t rdev;

	NEED_ROOT();
	self->srv = slot_create_mode(name, 0622);
	ASSERT_LE(0, self->srv);
	ASSERT_EQ(0, slot_minor(name, &rdev));
	ASSERT_EQ(0, mknod(self->path, S_IFCHR | 0666, rdev));
	ASSERT_EQ(0, chmod(self->path, 0666));
	o.want_rd = EACCES;
	o.want_wr = 0;
	o.want_rw = EACCES;
	EXPECT_EQ(0, mst_as_user(check_opens, &o));
}

/* Group bits apply to the slot's group; a group member may listen. */
TEST_F(node, mknod_node_group)
{
	const char *name = mst_name("perm-grp");
	struct opens o = { .path = self->path };
	dev_t rdev;

	NEED_ROOT();
	ASSERT_EQ(0, setegid(MST_GID));
	self->srv = slot_create_mode(name, 0640);
	ASSERT_EQ(0, setegid(0));
	ASSERT_LE(0, self->srv);
	ASSERT_EQ(0, slot_minor(name, &rdev));
	ASSERT_EQ(0, mknod(self->path, S_IFCHR | 0666, rdev));
	ASSERT_EQ(0, chmod(self->path, 0666));
	o.want_rd = 0;
	o.want_wr = EACCES;
	o.want_rw = EACCES;
	EXPECT_EQ(0, mst_as_user(check_opens, &o));
}

/* chmod of the slot's own node cannot widen access either. */
TEST(chmod_does_not_widen)
{
	const char *name = mst_name("perm-chmod");
	struct opens o;
	char path[300];
	int srv;

	NEED_ROOT();
	srv = slot_create_mode(name, 0600);
	ASSERT_LE(0, srv);
	mst_slot_path(path, sizeof(path), name);
	ASSERT_EQ(0, chmod(path, 0666));
	o.path = path;
	o.want_rd = EACCES;
	o.want_wr = EACCES;
	o.want_rw = EACCES;
	EXPECT_EQ(0, mst_as_user(check_opens, &o));
	/* narrowing still works: the VFS checks the inode first */
	ASSERT_EQ(0, chmod(path, 0600));
	close(srv);
}

/* A closed slot's minor is not the next slot's. */
TEST(minors_not_reused_at_once)
{
	const char *a = mst_name("perm-minor");
	const char *b = mst_name("perm-minor");
	const char *c = mst_name("perm-minor");
	dev_t ra, rb, rc;
	int sa, sb, sc;

	if (access(MAILSLOT_CONTROL_PATH, F_OK))
		SKIP(return, "%s missing", MAILSLOT_CONTROL_PATH);
	sa = mst_slot_create(a);
	ASSERT_LE(0, sa);
	ASSERT_EQ(0, slot_minor(a, &ra));
	close(sa);
	sb = mst_slot_create(b);
	ASSERT_LE(0, sb);
	ASSERT_EQ(0, slot_minor(b, &rb));
	EXPECT_EQ(major(ra), major(rb));
	EXPECT_NE(minor(ra), minor(rb));
	close(sb);
	sc = mst_slot_create(c);
	ASSERT_LE(0, sc);
	ASSERT_EQ(0, slot_minor(c, &rc));
	EXPECT_NE(minor(ra), minor(rc));
	EXPECT_NE(minor(rb), minor(rc));
	close(sc);
}

/* A node whose slot is gone leads nowhere, even after a new slot is made. */
TEST_F(node, stale_node_is_enxio)
{
	const char *a = mst_name("perm-stale");
	const char *b = mst_name("perm-stale");
	dev_t ra, rb;
	int sb;

	NEED_ROOT();
	self->srv = slot_create_mode(a, 0666);
	ASSERT_LE(0, self->srv);
	ASSERT_EQ(0, slot_minor(a, &ra));
	ASSERT_EQ(0, mknod(self->path, S_IFCHR | 0666, ra));
	ASSERT_EQ(0, chmod(self->path, 0666));
	close(self->srv);
	self->srv = -1;
	sb = slot_create_mode(b, 0666);
	ASSERT_LE(0, sb);
	ASSERT_EQ(0, slot_minor(b, &rb));
	ASSERT_NE(minor(ra), minor(rb));
	EXPECT_EQ(ENXIO, open_errno(self->path, O_WRONLY));
	close(sb);
}

/* The tests change max_readers_per_slot: set back afterwards. */
FIXTURE(readers_cap) {
	struct mst_params saved;
};

FIXTURE_SETUP(readers_cap)
{
	mst_params_save(&self->saved);
}

FIXTURE_TEARDOWN(readers_cap)
{
	mst_params_restore(&self->saved);
}

TEST_F(readers_cap, listeners_over_cap_get_ebusy)
{
	const char *name = mst_name("perm-cap");
	struct mailslot_info info;
	int srv, l1, l2, l3, w, rw;
	char buf[8];

	NEED_ROOT();
	ASSERT_EQ(1024, mst_param_get("max_readers_per_slot"));
	ASSERT_EQ(0, mst_param_set("max_readers_per_slot", 3));
	srv = mst_slot_create(name);
	ASSERT_LE(0, srv);
	l1 = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l1);
	l2 = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l2);
	/* server + 2 listeners = 3: no more readers, writers still fine */
	EXPECT_EQ(-1, mst_slot_open(name, O_RDONLY));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, mst_slot_open(name, O_RDWR));
	EXPECT_EQ(EBUSY, errno);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(3, info.readers);
	EXPECT_EQ(1, info.writers);

	/* every reader still gets the message */
	ASSERT_EQ(2, write(w, "hi", 2));
	EXPECT_EQ(2, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(2, read(l1, buf, sizeof(buf)));
	EXPECT_EQ(2, read(l2, buf, sizeof(buf)));

	/* a place freed is a place to take */
	close(l2);
	l3 = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, l3);
	EXPECT_EQ(-1, mst_slot_open(name, O_RDONLY));
	EXPECT_EQ(EBUSY, errno);

	/* raising the parameter applies to the next open at once */
	ASSERT_EQ(0, mst_param_set("max_readers_per_slot", 4));
	rw = mst_slot_open(name, O_RDWR);
	ASSERT_LE(0, rw);
	ASSERT_EQ(0, mst_slot_info(srv, &info));
	EXPECT_EQ(4, info.readers);
	EXPECT_EQ(2, info.writers);

	close(rw);
	close(l3);
	close(w);
	close(l1);
	close(srv);
}

/*
 * The write path asks "is any reader full" without walking the readers:
 * whichever reader is the fullest (not the server, not the first one
 * opened), a blocking write must wait for it and a fail write must fail.
 */
TEST(fullest_reader_decides)
{
	const char *name = mst_name("perm-full");
	int srv, l[3], w, i, k;
	char buf[8];

	if (access(MAILSLOT_CONTROL_PATH, F_OK))
		SKIP(return, "%s missing", MAILSLOT_CONTROL_PATH);
	srv = mst_slot_create_lim(name, 8, 4, 32, MAILSLOT_OVERFLOW_FAIL, 0);
	ASSERT_LE(0, srv);
	for (i = 0; i < 3; i++) {
		l[i] = mst_slot_open(name, O_RDONLY);
		ASSERT_LE(0, l[i]);
	}
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	for (k = 0; k < 4; k++)
		ASSERT_EQ(1, write(w, "m", 1));
	EXPECT_EQ(-1, write(w, "m", 1));
	EXPECT_EQ(EAGAIN, errno);

	/* all but l[1] drain: l[1] alone is full and still refuses */
	for (k = 0; k < 4; k++) {
		ASSERT_EQ(1, read(srv, buf, sizeof(buf)));
		ASSERT_EQ(1, read(l[0], buf, sizeof(buf)));
		ASSERT_EQ(1, read(l[2], buf, sizeof(buf)));
	}
	EXPECT_EQ(-1, write(w, "m", 1));
	EXPECT_EQ(EAGAIN, errno);
	/* l[1] takes one: one place for everybody */
	ASSERT_EQ(1, read(l[1], buf, sizeof(buf)));
	EXPECT_EQ(1, write(w, "m", 1));
	EXPECT_EQ(-1, write(w, "m", 1));
	EXPECT_EQ(EAGAIN, errno);
	/* l[1] goes away: the others have 1 of 4 queued */
	close(l[1]);
	for (k = 0; k < 3; k++)
		EXPECT_EQ(1, write(w, "m", 1));
	EXPECT_EQ(-1, write(w, "m", 1));
	EXPECT_EQ(EAGAIN, errno);

	close(w);
	close(l[0]);
	close(l[2]);
	close(srv);
}

/* The byte bound: the fullest reader, opened last, holds the slot back. */
TEST(fullest_reader_decides_bytes)
{
	const char *name = mst_name("perm-fullb");
	char buf[16] = "123456789";
	int srv, a, b, w, k;

	if (access(MAILSLOT_CONTROL_PATH, F_OK))
		SKIP(return, "%s missing", MAILSLOT_CONTROL_PATH);
	srv = mst_slot_create_lim(name, 8, 16, 32, MAILSLOT_OVERFLOW_FAIL, 0);
	ASSERT_LE(0, srv);
	a = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, a);
	b = mst_slot_open(name, O_RDONLY);
	ASSERT_LE(0, b);
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	for (k = 0; k < 3; k++)
		ASSERT_EQ(8, write(w, buf, 8));
	for (k = 0; k < 3; k++) {
		ASSERT_EQ(8, read(srv, buf, sizeof(buf)));
		ASSERT_EQ(8, read(a, buf, sizeof(buf)));
	}
	/* b holds 24 of 32 bytes: 8 more fit, then not even 1 */
	EXPECT_EQ(8, write(w, buf, 8));
	EXPECT_EQ(-1, write(w, buf, 1));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(8, read(b, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(w, buf, 8 + 1));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(8, write(w, buf, 8));
	EXPECT_EQ(-1, write(w, buf, 1));
	EXPECT_EQ(EAGAIN, errno);
	close(w);
	close(b);
	close(a);
	close(srv);
}

TEST_HARNESS_MAIN
