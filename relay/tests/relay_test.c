// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotd end to end, in the guest with the module loaded: the relay
 * runs as a child on a loopback port, this test sends NetBIOS datagrams
 * built by nbdgm_build() (and mutated ones) from UDP sockets and checks
 * what reaches which slot, the origin the receiver reads, the relay's
 * counters (mailslotd --stats), that it dropped its privileges, and that it
 * names nmbd when nmbd holds its port.
 *
 * Ordering: the relay handles datagrams one at a time, in order; a marker
 * write to an exported slot, once received, proves every earlier datagram
 * was handled.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "../../selftests/mailslot_test.h"
#include "../nbdgm.h"
#include "libmailslot.h"

/* The relay under test: $MAILSLOTD, else the guest's copy. */
/* The origin of a relayed message, copied out of info->reserved. */
static struct mailslot_msg_origin origin_buf;

static const struct mailslot_msg_origin *
origin_of(const struct mailslot_msg_info *info)
{
	memcpy(&origin_buf, info->reserved, sizeof(origin_buf));
	return &origin_buf;
}

static const char *relay_bin(void)
{
	const char *p = getenv("MAILSLOTD");

	return p && *p ? p : "/opt/mailslot/bin/mailslotd";
}

static unsigned int test_port;

static pid_t start_relay(unsigned int port, const char *errfile)
{
	char portbuf[16];
	pid_t pid;

	snprintf(portbuf, sizeof(portbuf), "%u", port);
	pid = fork();
	if (pid == 0) {
		int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0)
			dup2(fd, 2);
		execl(relay_bin(), "mailslotd", "--foreground", "--verbose",
		      "--port", portbuf, "--address", "127.0.0.1", "--user",
		      "nobody", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* The relay's stats line NAME, or -1. */
static long long relay_stat(unsigned int port, const char *name)
{
	char cmd[512], line[128];
	long long v = -1;
	size_t n = strlen(name);
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s --stats --port %u", relay_bin(), port);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		if (!strncmp(line, name, n) && line[n] == ' ')
			v = atoll(line + n + 1);
	pclose(p);
	return v;
}

/* Wait until the relay answers --stats (it is bound and has its handle). */
static int relay_ready(unsigned int port)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (relay_stat(port, "received") >= 0)
			return 0;
		usleep(20000);
	}
	return -1;
}

static int sender(void)
{
	struct sockaddr_in me = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_raw(int fd, unsigned int port, const void *pkt, size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET };

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons((uint16_t)port);
	return sendto(fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) ==
	       (ssize_t)len ? 0 : -1;
}

static size_t build(uint8_t *pkt, size_t cap, uint8_t type,
		    const char *trans, const void *data, size_t size)
{
	struct nbdgm_write w;
	size_t len = 0;

	memset(&w, 0, sizeof(w));
	w.type = type;
	w.id = 1;
	w.src_ip = htonl(INADDR_LOOPBACK);
	w.src_port = NBDGM_PORT;
	nbdgm_name_make(w.src_name, "SENDER", 0x00);
	nbdgm_name_make(w.dst_name, "WORKGROUP", 0x1d);
	snprintf(w.trans_name, sizeof(w.trans_name), "%s", trans);
	w.data = data;
	w.size = size;
	if (nbdgm_build(&w, pkt, cap, &len) != NBDGM_OK)
		return 0;
	return len;
}

static int send_write(int fd, unsigned int port, uint8_t type,
		      const char *trans, const void *data, size_t size)
{
	uint8_t pkt[2048];
	size_t len = build(pkt, sizeof(pkt), type, trans, data, size);

	return len ? send_raw(fd, port, pkt, len) : -1;
}

/* Receive one message on @s within 5 s; its size or -errno. */
static int recv_msg(int s, char *buf, size_t size,
		    struct mailslot_msg_info *info)
{
	struct mailslot_recv rv;
	uint64_t t = 5000000000ULL;
	int n;

	if (ioctl(s, MAILSLOT_IOC_SET_TIMEOUT, &t))
		return -errno;
	memset(&rv, 0, sizeof(rv));
	rv.buf = (uintptr_t)buf;
	rv.size = (uint32_t)size;
	n = ioctl(s, MAILSLOT_IOC_RECV, &rv);
	if (n < 0)
		return -errno;
	if (info)
		*info = rv.info;
	return n;
}

FIXTURE(relay) {
	pid_t relay;
	int marker;		/* exported slot "rt-PID/marker" */
	int tx;
	unsigned int port;
	char marker_wire[96];
	char errfile[64];
};

FIXTURE_SETUP(relay)
{
	char name[64];

	self->port = 13800 + (getpid() % 1000) + test_port++;
	snprintf(self->errfile, sizeof(self->errfile), "/tmp/mailslotd.%d.err",
		 getpid());
	snprintf(name, sizeof(name), "rt-%d/marker", getpid());
	snprintf(self->marker_wire, sizeof(self->marker_wire),
		 "\\MAILSLOT\\RT-%d\\MARKER", getpid());
	self->marker = mst_slot_create_shared(name, MAILSLOT_CREATE_REMOTE, 0, 0);
	ASSERT_LE(0, self->marker);
	self->relay = start_relay(self->port, self->errfile);
	ASSERT_LT(0, self->relay);
	ASSERT_EQ(0, relay_ready(self->port));
	self->tx = sender();
	ASSERT_LE(0, self->tx);
}

FIXTURE_TEARDOWN(relay)
{
	int status;

	if (self->relay > 0) {
		kill(self->relay, SIGTERM);
		waitpid(self->relay, &status, 0);
	}
	close(self->tx);
	close(self->marker);
}

/* Send a marker and wait for it: every earlier datagram was handled. */
static int sync_relay(struct _test_data_relay *self)
{
	char buf[16];

	if (send_write(self->tx, self->port, NBDGM_DIRECT_UNIQUE,
		       self->marker_wire, "m", 1))
		return -1;
	return recv_msg(self->marker, buf, sizeof(buf), NULL) == 1 ? 0 : -1;
}

TEST_F(relay, delivers_every_type_with_origin)
{
	static const uint8_t types[] = {
		NBDGM_DIRECT_UNIQUE, NBDGM_DIRECT_GROUP, NBDGM_BROADCAST,
	};
	static const uint8_t mapped_lo[16] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1,
	};
	struct mailslot_msg_info info;
	char name[64], wire[96], buf[64];
	size_t i;
	int s;

	snprintf(name, sizeof(name), "rt-%d/app/news", getpid());
	snprintf(wire, sizeof(wire), "\\MAILSLOT\\Rt-%d\\APP\\News", getpid());
	s = mst_slot_create_shared(name, MAILSLOT_CREATE_REMOTE, 0, 0);
	ASSERT_LE(0, s);
	for (i = 0; i < sizeof(types); i++) {
		char msg[16];

		snprintf(msg, sizeof(msg), "hello %zu", i);
		ASSERT_EQ(0, send_write(self->tx, self->port, types[i], wire,
					msg, strlen(msg)));
		ASSERT_EQ((int)strlen(msg), recv_msg(s, buf, sizeof(buf), &info));
		EXPECT_EQ(0, memcmp(buf, msg, strlen(msg)));
		EXPECT_EQ(MAILSLOT_MSG_RELAYED, info.flags);
		EXPECT_EQ(0, memcmp(origin_of(&info)->addr, mapped_lo, 16));
		EXPECT_EQ(0, memcmp(origin_of(&info)->nb_name,
				    "SENDER         \0", 16));
		EXPECT_EQ(0, info.pid);
	}
	EXPECT_EQ(3, relay_stat(self->port, "delivered"));
	EXPECT_EQ(3, relay_stat(self->port, "received"));
	close(s);
}

TEST_F(relay, unexported_slot_receives_nothing)
{
	char name[64], wire[96];
	int s;

	snprintf(name, sizeof(name), "rt-%d/plain", getpid());
	snprintf(wire, sizeof(wire), "\\MAILSLOT\\RT-%d\\PLAIN", getpid());
	s = mst_slot_create_shared(name, 0, 0, 0);	/* mode 0666, not exported */
	ASSERT_LE(0, s);
	ASSERT_EQ(0, send_write(self->tx, self->port, NBDGM_BROADCAST, wire,
				"x", 1));
	/* and one to a slot that does not exist */
	ASSERT_EQ(0, send_write(self->tx, self->port, NBDGM_BROADCAST,
				"\\MAILSLOT\\NO\\SUCH\\SLOT", "x", 1));
	/* a name with capitals locally is not reachable: names map to lower */
	ASSERT_EQ(0, sync_relay(self));
	EXPECT_EQ(0, mst_slot_queued(s));
	EXPECT_EQ(1, relay_stat(self->port, "refused.not-exported"));
	EXPECT_EQ(1, relay_stat(self->port, "refused.no-slot"));
	EXPECT_EQ(2, relay_stat(self->port, "refused"));
	EXPECT_EQ(1, relay_stat(self->port, "delivered"));
	close(s);
}

/* Mutated and random datagrams: counted, dropped, never a crash. */
TEST_F(relay, malformed_counted_and_dropped)
{
	uint8_t good[256], pkt[512];
	struct nbdgm_write w;
	long long want_malformed = 0, want_received = 0;
	size_t glen, len;
	unsigned int seed = 12345;
	int i, s, status;
	char name[64], wire[96];

	snprintf(name, sizeof(name), "rt-%d/fz", getpid());
	snprintf(wire, sizeof(wire), "\\MAILSLOT\\RT-%d\\FZ", getpid());
	s = mst_slot_create_shared(name, MAILSLOT_CREATE_REMOTE, 0, 0);
	ASSERT_LE(0, s);
	glen = build(good, sizeof(good), NBDGM_DIRECT_GROUP, wire, "abcdef", 6);
	ASSERT_LT(0, glen);
	for (i = 0; i < 3000; i++) {
		int k, flips = 1 + (int)(rand_r(&seed) % 4);

		memcpy(pkt, good, glen);
		len = glen;
		for (k = 0; k < flips; k++) {
			switch (rand_r(&seed) % 4) {
			case 0:
				pkt[rand_r(&seed) % len] ^= (uint8_t)(1 << (rand_r(&seed) % 8));
				break;
			case 1:
				pkt[rand_r(&seed) % len] = (uint8_t)rand_r(&seed);
				break;
			case 2:
				len = rand_r(&seed) % (len + 1);
				break;
			default:
				if (len < sizeof(pkt))
					pkt[len++] = (uint8_t)rand_r(&seed);
				break;
			}
			if (!len)
				break;
		}
		if (nbdgm_parse(pkt, len, &w) != NBDGM_OK)
			want_malformed++;
		want_received++;
		ASSERT_EQ(0, send_raw(self->tx, self->port, pkt, len));
		if (i % 100 == 99) {
			ASSERT_EQ(0, sync_relay(self));
			want_received++;
		}
	}
	ASSERT_EQ(0, sync_relay(self));
	want_received++;
	/* the relay is alive and counted exactly what this parser refuses */
	EXPECT_EQ(0, waitpid(self->relay, &status, WNOHANG));
	EXPECT_EQ(want_received, relay_stat(self->port, "received"));
	EXPECT_EQ(want_malformed, relay_stat(self->port, "malformed"));
	EXPECT_LT(1000, want_malformed);
	/* nothing malformed reached the slot: only intact payloads did */
	while (mst_slot_queued(s)) {
		struct mailslot_msg_info info;
		char buf[600];
		int n = recv_msg(s, buf, sizeof(buf), &info);

		ASSERT_LE(0, n);
		EXPECT_EQ(MAILSLOT_MSG_RELAYED, info.flags);
	}
	close(s);
}

TEST_F(relay, runs_unprivileged)
{
	char path[64], line[256];
	int uid_ok = 0, cap_ok = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", self->relay);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Uid:", 4))
			uid_ok = !strcmp(line, "Uid:\t65534\t65534\t65534\t65534\n");
		if (!strncmp(line, "CapEff:", 7))
			cap_ok = !strcmp(line, "CapEff:\t0000000000000000\n");
	}
	fclose(f);
	EXPECT_TRUE(uid_ok);
	EXPECT_TRUE(cap_ok);
	/* and still delivers */
	EXPECT_EQ(0, sync_relay(self));
}

/* Slots of the relay's sending side ("mailslotd-out/...") in /proc/mailslot. */
static int out_slots(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/mailslot", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "mailslotd-out/", 14))
			n++;
	fclose(f);
	return n;
}

/*
 * Sending: mailslot_open() of \\127.0.0.1\mailslot\NAME gets a writer from
 * the relay; each write(2) leaves as one datagram, which the same relay
 * receives and delivers to the exported slot NAME.
 */
TEST_F(relay, sends_through_the_relay)
{
	struct mailslot_msg_info info;
	char name[64], win[96], buf[600], port[16];
	int s, w;

	snprintf(port, sizeof(port), "%u", self->port);
	ASSERT_EQ(0, setenv("MAILSLOTD_PORT", port, 1));
	snprintf(name, sizeof(name), "rt-%d/sent", getpid());
	snprintf(win, sizeof(win), "\\\\127.0.0.1\\mailslot\\RT-%d\\Sent", getpid());
	s = mst_slot_create_shared(name, MAILSLOT_CREATE_REMOTE, 0, 0);
	ASSERT_LE(0, s);
	w = mailslot_open(win, O_WRONLY);
	ASSERT_LE(0, w);
	EXPECT_EQ(FD_CLOEXEC, fcntl(w, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(5, write(w, "first", 5));
	ASSERT_EQ(6, mailslot_send(w, "second", 6));
	ASSERT_EQ(5, recv_msg(s, buf, sizeof(buf), &info));
	EXPECT_EQ(0, memcmp(buf, "first", 5));
	EXPECT_EQ(MAILSLOT_MSG_RELAYED, info.flags);
	EXPECT_EQ(127, origin_of(&info)->addr[12]);
	ASSERT_EQ(6, recv_msg(s, buf, sizeof(buf), &info));
	EXPECT_EQ(0, memcmp(buf, "second", 6));
	close(w);

	/* to "*": at most 424 bytes, as Windows (the guest has no broadcast
	 * interface, so nothing leaves) */
	snprintf(win, sizeof(win), "\\\\*\\mailslot\\rt-%d\\sent", getpid());
	w = mailslot_open(win, O_WRONLY);
	ASSERT_LE(0, w);
	memset(buf, 'b', sizeof(buf));
	EXPECT_EQ(-1, write(w, buf, 425));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(424, write(w, buf, 424));
	close(w);
	EXPECT_EQ(0, sync_relay(self));
	EXPECT_EQ(2, relay_stat(self->port, "sent"));
	/* the relay's outgoing slots go once their writers have closed */
	{
		int i, left = 1;

		for (i = 0; i < 40 && left; i++) {
			left = out_slots();
			if (left)
				usleep(100000);
		}
		EXPECT_EQ(0, left);
	}
	unsetenv("MAILSLOTD_PORT");
	close(s);
}

TEST(names_nmbd_on_its_port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	char errfile[64], line[512];
	unsigned int port = 12800 + getpid() % 1000;
	int pipefd[2], status, found = 0;
	pid_t nmbd, relay;
	FILE *f;
	char c;

	ASSERT_EQ(0, pipe(pipefd));
	nmbd = fork();
	ASSERT_LE(0, nmbd);
	if (!nmbd) {
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		prctl(PR_SET_NAME, "nmbd");
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.sin_port = htons((uint16_t)port);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)))
			_exit(1);
		if (write(pipefd[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, read(pipefd[0], &c, 1));
	snprintf(errfile, sizeof(errfile), "/tmp/mailslotd-nmbd.%d.err", getpid());
	relay = start_relay(port, errfile);
	ASSERT_LT(0, relay);
	ASSERT_EQ(relay, waitpid(relay, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(1, WEXITSTATUS(status));
	kill(nmbd, SIGKILL);
	waitpid(nmbd, NULL, 0);
	f = fopen(errfile, "r");
	ASSERT_NE(NULL, f);
	snprintf(line, sizeof(line), "is held by nmbd (pid %d)", nmbd);
	{
		char got[1024];

		while (fgets(got, sizeof(got), f))
			if (strstr(got, line) && strstr(got, "systemctl disable --now nmbd") &&
			    strstr(got, "--port"))
				found = 1;
	}
	fclose(f);
	EXPECT_TRUE(found);
	unlink(errfile);
}

TEST_HARNESS_MAIN
