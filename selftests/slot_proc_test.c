// SPDX-License-Identifier: GPL-2.0
/*
 * Observability: /proc/mailslot lists every live slot:
 *   name uid gid mode readers writers msgs bytes drops sent received
 */
#define _GNU_SOURCE
#include "slot_util.h"
#include "kselftest_harness.h"

#define PROC_PATH "/proc/mailslot"

struct row {
	char name[300];
	unsigned int uid, gid, mode, readers, writers;
	unsigned long long msgs, bytes, drops, sent, received;
};

/* Find @name in /proc/mailslot; 1 found, 0 not, -1 error. */
static int find_row(const char *name, struct row *r, char *header, size_t hlen)
{
	FILE *f = fopen(PROC_PATH, "r");
	char line[1024];
	int found = 0;

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	if (header)
		snprintf(header, hlen, "%s", line);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%299s %u %u %o %u %u %llu %llu %llu %llu %llu",
			   r->name, &r->uid, &r->gid, &r->mode, &r->readers,
			   &r->writers, &r->msgs, &r->bytes, &r->drops,
			   &r->sent, &r->received) != 11) {
			fclose(f);
			return -1;
		}
		if (!strcmp(r->name, name))
			found = 1;
		if (found)
			break;
	}
	fclose(f);
	return found;
}

TEST(listing)
{
	const char *name = slot_name("proc/x");
	struct mailslot_create c;
	char header[1024], buf[16];
	struct stat st;
	struct row r;
	int srv, w, l;

	ASSERT_EQ(0, stat(PROC_PATH, &st));
	EXPECT_EQ(0444, st.st_mode & 0777);

	memset(&c, 0, sizeof(c));
	c.mode = 0640;
	c.max_msgs = 2;
	c.overflow = MAILSLOT_OVERFLOW_DROP;
	srv = slot_create_args(&c, name);
	ASSERT_LE(0, srv);
	ASSERT_EQ(1, find_row(name, &r, header, sizeof(header)));
	EXPECT_STREQ("name uid gid mode readers writers msgs bytes drops sent received\n",
		     header);
	EXPECT_EQ(geteuid(), r.uid);
	EXPECT_EQ(getegid(), r.gid);
	EXPECT_EQ(0640, r.mode);
	EXPECT_EQ(1, r.readers);
	EXPECT_EQ(0, r.writers);
	EXPECT_EQ(0, r.msgs);

	w = slot_open(name, O_WRONLY);
	ASSERT_LE(0, w);
	l = slot_open(name, O_RDONLY);
	ASSERT_LE(0, l);
	ASSERT_EQ(3, write(w, "abc", 3));
	ASSERT_EQ(2, write(w, "de", 2));
	ASSERT_EQ(1, find_row(name, &r, NULL, 0));
	EXPECT_EQ(2, r.readers);
	EXPECT_EQ(1, r.writers);
	/* messages and bytes stored once, however many readers */
	EXPECT_EQ(2, r.msgs);
	EXPECT_EQ(5, r.bytes);
	EXPECT_EQ(2, r.sent);
	EXPECT_EQ(0, r.received);
	ASSERT_EQ(3, read(srv, buf, sizeof(buf)));
	ASSERT_EQ(1, find_row(name, &r, NULL, 0));
	EXPECT_EQ(2, r.msgs);	/* l still has "abc" */
	EXPECT_EQ(1, r.received);
	ASSERT_EQ(3, read(l, buf, sizeof(buf)));
	ASSERT_EQ(1, find_row(name, &r, NULL, 0));
	EXPECT_EQ(1, r.msgs);
	EXPECT_EQ(2, r.bytes);
	EXPECT_EQ(2, r.received);
	/* two more: both queues had one, now each drops one */
	ASSERT_EQ(1, write(w, "f", 1));
	ASSERT_EQ(1, write(w, "g", 1));
	ASSERT_EQ(1, find_row(name, &r, NULL, 0));
	EXPECT_EQ(2, r.drops);
	EXPECT_EQ(4, r.sent);

	close(srv);
	EXPECT_EQ(0, find_row(name, &r, NULL, 0));
	close(w);
	close(l);
}

static int read_as_user(void *arg)
{
	const char *name = arg;
	struct row r;

	return find_row(name, &r, NULL, 0) == 1 ? 0 : 1;
}

TEST(world_readable)
{
	const char *name = slot_name("proc");
	int srv;

	srv = slot_create(name);
	ASSERT_LE(0, srv);
	EXPECT_EQ(0, slot_as_user(read_as_user, (void *)name));
	close(srv);
}

TEST(many_slots)
{
	int fd[40], i, n = 0;
	FILE *f;
	char line[512];

	for (i = 0; i < 40; i++) {
		fd[i] = slot_create(slot_name("many"));
		ASSERT_LE(0, fd[i]);
	}
	f = fopen(PROC_PATH, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "-many-"))
			n++;
	fclose(f);
	EXPECT_EQ(40, n);
	for (i = 0; i < 40; i++)
		close(fd[i]);
}

TEST_HARNESS_MAIN
