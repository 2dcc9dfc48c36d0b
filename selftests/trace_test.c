// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoints: every mailslot event exists under
 * events/mailslot/ of tracefs, and the slot events fire with the slot's name
 * and the message size.  Each test uses its own trace instance, so the
 * global buffer and other tracers are left alone.  Skips when tracefs is
 * missing or the module is not loaded.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include "mailslot_test.h"
#include "kselftest_harness.h"

static const char * const trace_events[] = {
	"mailslot_slot_create", "mailslot_slot_destroy", "mailslot_send",
	"mailslot_receive", "mailslot_drop", "mailslot_proc_signal",
	"mailslot_wait_begin", "mailslot_wait_end",
};

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* The tracefs mount point, mounting it when it is not (NULL: none). */
static const char *tracefs_dir(void)
{
	if (is_dir("/sys/kernel/tracing/instances"))
		return "/sys/kernel/tracing";
	if (is_dir("/sys/kernel/tracing") &&
	    !mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) &&
	    is_dir("/sys/kernel/tracing/instances"))
		return "/sys/kernel/tracing";
	if (is_dir("/sys/kernel/debug/tracing/instances"))
		return "/sys/kernel/debug/tracing";
	return NULL;
}

FIXTURE(trace) {
	char inst[256];		/* our trace instance */
	int made;
};

FIXTURE_SETUP(trace)
{
	const char *tracefs = tracefs_dir();

	self->made = 0;
	if (!tracefs)
		SKIP(return, "tracefs not available");
	if (access("/sys/module/mailslot", F_OK))
		SKIP(return, "mailslot module not loaded");
	snprintf(self->inst, sizeof(self->inst), "%s/instances/mailslot-test-%d",
		 tracefs, getpid());
	ASSERT_EQ(0, mkdir(self->inst, 0700)) TH_LOG("mkdir %s: %s",
						     self->inst, strerror(errno));
	self->made = 1;
}

/* The 6.1 harness runs the test even when the setup skipped. */
#define SKIPPED_IN_SETUP(self) (!(self)->made)

FIXTURE_TEARDOWN(trace)
{
	if (self->made)
		rmdir(self->inst);	/* also disables its events */
}

static int event_enable(const char *inst, const char *event, int on)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/events/mailslot/%s/enable", inst,
		 event);
	return mst_write_file(path, on ? "1" : "0");
}

/* The instance's trace buffer as text (malloc'ed, NUL-terminated). */
static char *trace_read(const char *inst)
{
	size_t len = 0, cap = 65536;
	char path[512], *buf = malloc(cap);
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	snprintf(path, sizeof(path), "%s/trace", inst);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 4096) {
			char *b = realloc(buf, cap * 2);

			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/* Does a line of @text contain "@event: " followed by every one of @want? */
static int trace_has(const char *text, const char *event, const char *want1,
		     const char *want2)
{
	char tag[64];
	const char *line = text;

	snprintf(tag, sizeof(tag), "%s: ", event);
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *l = strndup(line, len);
		int ok = l && strstr(l, tag) && strstr(l, want1) &&
			 (!want2 || strstr(l, want2));

		free(l);
		if (ok)
			return 1;
		line = end ? end + 1 : NULL;
	}
	return 0;
}

TEST_F(trace, events_present)
{
	char path[512];
	unsigned int i;

	if (SKIPPED_IN_SETUP(self))
		return;

	for (i = 0; i < sizeof(trace_events) / sizeof(trace_events[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/mailslot/%s/format",
			 self->inst, trace_events[i]);
		EXPECT_EQ(0, access(path, R_OK)) TH_LOG("%s missing", path);
	}
}

TEST_F(trace, send_receive)
{
	const char *name = mst_name("trace");
	const char msg[] = "trace-hello";	/* 11 bytes */
	char want_name[300], buf[64], *text;
	int srv, w;

	if (SKIPPED_IN_SETUP(self))
		return;

	ASSERT_EQ(0, event_enable(self->inst, "mailslot_send", 1));
	ASSERT_EQ(0, event_enable(self->inst, "mailslot_receive", 1));

	srv = mst_slot_create(name);
	if (srv == -EOPNOTSUPP)
		SKIP(return, "slots not implemented by this module");
	ASSERT_LE(0, srv) TH_LOG("create: %s", strerror(-srv));
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w) TH_LOG("open: %s", strerror(errno));
	ASSERT_EQ((ssize_t)strlen(msg), write(w, msg, strlen(msg)));
	ASSERT_EQ((ssize_t)strlen(msg), read(srv, buf, sizeof(buf)));
	close(w);
	close(srv);
	ASSERT_EQ(0, event_enable(self->inst, "mailslot_send", 0));
	ASSERT_EQ(0, event_enable(self->inst, "mailslot_receive", 0));

	text = trace_read(self->inst);
	ASSERT_NE(NULL, text);
	snprintf(want_name, sizeof(want_name), "name=%s ", name);
	EXPECT_TRUE(trace_has(text, "mailslot_send", want_name, "size=11"))
		TH_LOG("no mailslot_send for %s in:\n%s", name, text);
	EXPECT_TRUE(trace_has(text, "mailslot_receive", want_name, "size=11"))
		TH_LOG("no mailslot_receive for %s in:\n%s", name, text);
	/* only enabled events are recorded */
	EXPECT_FALSE(trace_has(text, "mailslot_slot_create", want_name, NULL));
	free(text);
}

TEST_F(trace, create_destroy)
{
	const char *name = mst_name("trace");
	char want_name[300], *text;
	int srv;

	if (SKIPPED_IN_SETUP(self))
		return;

	ASSERT_EQ(0, event_enable(self->inst, "mailslot_slot_create", 1));
	ASSERT_EQ(0, event_enable(self->inst, "mailslot_slot_destroy", 1));
	srv = mst_slot_create(name);
	if (srv == -EOPNOTSUPP)
		SKIP(return, "slots not implemented by this module");
	ASSERT_LE(0, srv) TH_LOG("create: %s", strerror(-srv));
	close(srv);

	text = trace_read(self->inst);
	ASSERT_NE(NULL, text);
	snprintf(want_name, sizeof(want_name), "name=%s ", name);
	EXPECT_TRUE(trace_has(text, "mailslot_slot_create", want_name,
			      "max_msg_size=65536"))
		TH_LOG("no mailslot_slot_create for %s in:\n%s", name, text);
	EXPECT_TRUE(trace_has(text, "mailslot_slot_destroy", want_name, "sent=0"))
		TH_LOG("no mailslot_slot_destroy for %s in:\n%s", name, text);
	free(text);
}

TEST_F(trace, drop)
{
	const char *name = mst_name("trace");
	char want_name[300], *text;
	int srv, w;

	if (SKIPPED_IN_SETUP(self))
		return;

	ASSERT_EQ(0, event_enable(self->inst, "mailslot_drop", 1));
	/* one message per reader, the oldest dropped when full */
	srv = mst_slot_create_lim(name, 0, 1, 0, MAILSLOT_OVERFLOW_DROP, 0);
	ASSERT_LE(0, srv) TH_LOG("create: %s", strerror(-srv));
	w = mst_slot_open(name, O_WRONLY);
	ASSERT_LE(0, w) TH_LOG("open: %s", strerror(errno));
	ASSERT_EQ(3, write(w, "one", 3));
	ASSERT_EQ(3, write(w, "two", 3));
	close(w);
	close(srv);

	text = trace_read(self->inst);
	ASSERT_NE(NULL, text);
	snprintf(want_name, sizeof(want_name), "name=%s seq=1 size=3 drops=1",
		 name);
	EXPECT_TRUE(trace_has(text, "mailslot_drop", want_name, NULL))
		TH_LOG("no mailslot_drop \"%s\" in:\n%s", want_name, text);
	free(text);
}

TEST_F(trace, proc_signal_and_wait)
{
	struct mailslot_proc_open po;
	struct mailslot_wait mw;
	char want[64], *text;
	int ctl, obj, go[2];
	__s32 fds[1];
	pid_t pid;

	if (SKIPPED_IN_SETUP(self))
		return;

	ASSERT_EQ(0, event_enable(self->inst, "mailslot_proc_signal", 1));
	ASSERT_EQ(0, event_enable(self->inst, "mailslot_wait_begin", 1));
	ASSERT_EQ(0, event_enable(self->inst, "mailslot_wait_end", 1));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char c;

		close(go[1]);
		_exit(read(go[0], &c, 1) == 1 ? 3 : 4);
	}
	close(go[0]);

	ctl = mst_control();
	ASSERT_LE(0, ctl);
	memset(&po, 0, sizeof(po));
	po.pid = pid;
	obj = ioctl(ctl, MAILSLOT_IOC_PROC_OPEN, &po);
	if (obj < 0 && errno == EOPNOTSUPP) {
		close(go[1]);
		waitpid(pid, NULL, 0);
		close(ctl);
		SKIP(return, "process objects not implemented by this module");
	}
	ASSERT_LE(0, obj) TH_LOG("proc open: %s", strerror(errno));
	ASSERT_EQ(1, write(go[1], "x", 1));
	close(go[1]);

	fds[0] = obj;
	memset(&mw, 0, sizeof(mw));
	mw.timeout_ns = 10ULL * 1000000000ULL;
	mw.fds = (uintptr_t)fds;
	mw.count = 1;
	EXPECT_EQ(0, ioctl(ctl, MAILSLOT_IOC_WAIT, &mw)) TH_LOG("wait: %s",
							     strerror(errno));
	EXPECT_EQ(pid, waitpid(pid, NULL, 0));
	close(obj);
	close(ctl);

	text = trace_read(self->inst);
	ASSERT_NE(NULL, text);
	snprintf(want, sizeof(want), "pid=%d status=0x300", pid);
	EXPECT_TRUE(trace_has(text, "mailslot_proc_signal", want, NULL))
		TH_LOG("no mailslot_proc_signal \"%s\" in:\n%s", want, text);
	EXPECT_TRUE(trace_has(text, "mailslot_wait_begin", "count=1 ",
			      "timeout_ns=10000000000"))
		TH_LOG("no mailslot_wait_begin in:\n%s", text);
	EXPECT_TRUE(trace_has(text, "mailslot_wait_end", "ret=0 index=0", NULL))
		TH_LOG("no mailslot_wait_end in:\n%s", text);
	free(text);
}

TEST_HARNESS_MAIN
