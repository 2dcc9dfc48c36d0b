// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * mailslotd: the mailslot relay.  Receives remote mailslot writes (NetBIOS
 * datagrams carrying SMB_COM_TRANSACTION writes to \MAILSLOT\..., see
 * nbdgm.h) on UDP port 138 and delivers each valid one to the exported
 * local slot of that name through a relay handle, marked as relayed with
 * its origin.  See mailslotd(8).
 *
 * Order of start-up: bind the port, take the relay handle, make the run
 * directory, then drop every privilege (setgroups, setresgid, setresuid,
 * no_new_privs) before the first datagram is read.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <linux/mailslot.h>

#include "nbdgm.h"
#include "outgoing.h"
#include "winname.h"

enum refusal {
	R_NO_SLOT, R_NOT_EXPORTED, R_FULL, R_TOO_LARGE, R_BAD_NAME, R_BUDGET,
	R_OTHER, R_COUNT
};

static const char *const refusal_names[R_COUNT] = {
	"no-slot", "not-exported", "full", "too-large", "bad-name", "budget",
	"other",
};

static struct {
	unsigned long long received, delivered, refused, malformed;
	unsigned long long refused_by[R_COUNT];
	unsigned long long malformed_by[NBDGM_E_COUNT];
} stats;

static int foreground, verbose;
static volatile sig_atomic_t stop;

void relay_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !verbose)
		return;
	va_start(ap, fmt);
	if (foreground) {
		fputs("mailslotd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mailslotd [--port N] [--address ADDR] [--interface IF]\n"
		"                 [--user USER] [--stats-socket NAME] [--foreground] [--verbose]\n"
		"       mailslotd --stats [--port N] [--stats-socket NAME]\n");
}

/* The abstract unix socket that answers --stats: "mailslotd.PORT". */
static void stats_addr(struct sockaddr_un *sa, socklen_t *len,
		       const char *name, unsigned int port)
{
	char buf[sizeof(sa->sun_path) - 1];
	size_t n;

	if (name)
		snprintf(buf, sizeof(buf), "%s", name);
	else
		snprintf(buf, sizeof(buf), "mailslotd.%u", port);
	n = strlen(buf);
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, buf, n);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

int relay_format_stats(char *buf, size_t size)
{
	size_t n = 0;
	int i;

#define OUT(...) do {							\
	int _r = snprintf(buf + n, size - n, __VA_ARGS__);		\
	if (_r < 0 || (size_t)_r >= size - n)				\
		return -1;						\
	n += (size_t)_r;						\
} while (0)
	OUT("received %llu\n", stats.received);
	OUT("delivered %llu\n", stats.delivered);
	OUT("refused %llu\n", stats.refused);
	OUT("malformed %llu\n", stats.malformed);
	OUT("sent %llu\n", out_sent);
	OUT("send-failed %llu\n", out_failed);
	for (i = 0; i < R_COUNT; i++)
		OUT("refused.%s %llu\n", refusal_names[i], stats.refused_by[i]);
	for (i = 1; i < NBDGM_E_COUNT; i++)
		if (i != NBDGM_E_BUILD)
			OUT("malformed.%s %llu\n",
			    nbdgm_strerror((enum nbdgm_error)i),
			    stats.malformed_by[i]);
#undef OUT
	return (int)n;
}

static int print_stats(const char *name, unsigned int port)
{
	struct sockaddr_un sa;
	socklen_t len;
	char buf[4096];
	ssize_t n;
	int fd;

	stats_addr(&sa, &len, name, port);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, len) ||
	    write(fd, "stats\n", 6) != 6) {
		fprintf(stderr, "mailslotd: no relay answers on @%s: %s\n",
			sa.sun_path + 1, strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return n < 0;
}

/* The pid and name of a process holding UDP port @port, or 0. */
static pid_t port_owner(unsigned int port, char *comm, size_t size)
{
	static const char *const tables[] = { "/proc/net/udp", "/proc/net/udp6" };
	unsigned long inodes[16];
	int ninodes = 0;
	char line[512], path[300], link[64], want[64];
	struct dirent *d, *f;
	DIR *proc, *fds;
	size_t t;

	for (t = 0; t < 2; t++) {
		FILE *fp = fopen(tables[t], "r");

		if (!fp)
			continue;
		while (fgets(line, sizeof(line), fp) && ninodes < 16) {
			char local[80];
			unsigned int p;
			unsigned long ino;

			if (sscanf(line, "%*d: %79s %*s %*x %*s %*s %*s %*d %*d %lu",
				   local, &ino) != 2)
				continue;
			if (sscanf(strrchr(local, ':') + 1, "%x", &p) == 1 &&
			    p == port && ino)
				inodes[ninodes++] = ino;
		}
		fclose(fp);
	}
	if (!ninodes)
		return 0;
	proc = opendir("/proc");
	if (!proc)
		return 0;
	while ((d = readdir(proc))) {
		pid_t pid = (pid_t)atoi(d->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		fds = opendir(path);
		if (!fds)
			continue;
		while ((f = readdir(fds))) {
			ssize_t n;
			int i;

			snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid,
				 f->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			for (i = 0; i < ninodes; i++) {
				snprintf(want, sizeof(want), "socket:[%lu]",
					 inodes[i]);
				if (!strcmp(link, want)) {
					FILE *c;

					snprintf(path, sizeof(path),
						 "/proc/%d/comm", pid);
					c = fopen(path, "r");
					comm[0] = '\0';
					if (c) {
						if (fgets(comm, (int)size, c))
							comm[strcspn(comm, "\n")] = '\0';
						fclose(c);
					}
					closedir(fds);
					closedir(proc);
					return pid;
				}
			}
		}
		closedir(fds);
	}
	closedir(proc);
	return 0;
}

static void explain_port_in_use(unsigned int port)
{
	char comm[64] = "";
	pid_t pid = port_owner(port, comm, sizeof(comm));

	if (pid && !strcmp(comm, "nmbd")) {
		relay_log(LOG_ERR,
		       "UDP port %u is held by nmbd (pid %d), Samba's NetBIOS name server, "
		       "which owns the NetBIOS datagram port. Either stop it "
		       "(systemctl disable --now nmbd) if this host needs no NetBIOS "
		       "browsing, or run mailslotd on another address or port "
		       "(--address, --port); only one program can take Windows "
		       "mailslot datagrams on port 138", port, (int)pid);
	} else if (pid) {
		relay_log(LOG_ERR, "UDP port %u is held by %s (pid %d): stop it or use --port",
		       port, comm[0] ? comm : "?", (int)pid);
	} else {
		relay_log(LOG_ERR, "UDP port %u is in use (by a process this user cannot see; "
		       "Samba's nmbd is the usual one): stop it or use --port", port);
	}
}

/*
 * USER is a name in /etc/passwd (read directly, not through NSS: the
 * program is static) or numeric "UID[:GID]".
 */
static int lookup_user(const char *user, uid_t *uid, gid_t *gid)
{
	unsigned long u, g;
	struct passwd *pw;
	char *end;
	FILE *fp;

	errno = 0;
	u = strtoul(user, &end, 10);
	if (end != user && !errno && (*end == '\0' || *end == ':')) {
		g = u;
		if (*end == ':') {
			g = strtoul(end + 1, &end, 10);
			if (*end || errno)
				return -1;
		}
		*uid = (uid_t)u;
		*gid = (gid_t)g;
		return 0;
	}
	fp = fopen("/etc/passwd", "re");
	if (!fp)
		return -1;
	while ((pw = fgetpwent(fp))) {
		if (!strcmp(pw->pw_name, user)) {
			*uid = pw->pw_uid;
			*gid = pw->pw_gid;
			fclose(fp);
			return 0;
		}
	}
	fclose(fp);
	return -1;
}

static int drop_privileges(const char *user)
{
	uid_t uid;
	gid_t gid;

	if (lookup_user(user, &uid, &gid)) {
		relay_log(LOG_ERR, "no user %s to run as (--user NAME or UID[:GID])", user);
		return -1;
	}
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid)) {
		relay_log(LOG_ERR, "cannot become %s: %s", user, strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		relay_log(LOG_ERR, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	if (uid && (setuid(0) == 0 || seteuid(0) == 0)) {
		relay_log(LOG_ERR, "privileges could be regained after the drop");
		return -1;
	}
	return 0;
}

static void refuse(enum refusal r, const char *what, const char *from)
{
	stats.refused++;
	stats.refused_by[r]++;
	relay_log(LOG_DEBUG, "refused %s from %s: %s", what, from, refusal_names[r]);
}

static void handle(int relay, const uint8_t *pkt, size_t len,
		   const struct sockaddr_storage *src)
{
	struct mailslot_relay_send rs;
	char local[MAILSLOT_NAME_MAX + 1], from[INET6_ADDRSTRLEN + 8];
	struct nbdgm_write w;
	enum nbdgm_error e;
	int kind;

	memset(&rs, 0, sizeof(rs));
	if (src->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)src;

		rs.origin.addr[10] = rs.origin.addr[11] = 0xff;
		memcpy(rs.origin.addr + 12, &s4->sin_addr, 4);
		inet_ntop(AF_INET, &s4->sin_addr, from, sizeof(from));
	} else {
		const struct sockaddr_in6 *s6 = (const void *)src;

		memcpy(rs.origin.addr, &s6->sin6_addr, 16);
		inet_ntop(AF_INET6, &s6->sin6_addr, from, sizeof(from));
	}

	stats.received++;
	e = nbdgm_parse(pkt, len, &w);
	if (e != NBDGM_OK) {
		stats.malformed++;
		stats.malformed_by[e]++;
		relay_log(LOG_DEBUG, "malformed datagram (%zu bytes) from %s: %s",
		       len, from, nbdgm_strerror(e));
		return;
	}
	kind = ms_winname_parse(w.trans_name, NULL, 0, local, sizeof(local));
	if (kind != MS_WINNAME_WIRE) {
		refuse(R_BAD_NAME, w.trans_name, from);
		return;
	}
	memcpy(rs.origin.nb_name, w.src_name, sizeof(rs.origin.nb_name));
	rs.name = (uintptr_t)local;
	rs.buf = (uintptr_t)w.data;
	rs.size = (uint32_t)w.size;
	if (ioctl(relay, MAILSLOT_IOC_RELAY_SEND, &rs) >= 0) {
		stats.delivered++;
		relay_log(LOG_DEBUG, "delivered %zu bytes from %s to %s", w.size,
		       from, local);
		return;
	}
	switch (errno) {
	case ENOENT:
		refuse(R_NO_SLOT, local, from);
		break;
	case EACCES:
		refuse(R_NOT_EXPORTED, local, from);
		break;
	case EAGAIN:
		refuse(R_FULL, local, from);
		break;
	case EMSGSIZE:
		refuse(R_TOO_LARGE, local, from);
		break;
	case ENOSPC:
	case ENOMEM:
		refuse(R_BUDGET, local, from);
		break;
	default:
		relay_log(LOG_WARNING, "delivery to %s: %s", local, strerror(errno));
		refuse(R_OTHER, local, from);
		break;
	}
}

static void on_signal(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "address", required_argument, NULL, 'a' },
		{ "interface", required_argument, NULL, 'i' },
		{ "user", required_argument, NULL, 'u' },
		{ "stats-socket", required_argument, NULL, 's' },
		{ "stats", no_argument, NULL, 'S' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *address = NULL, *ifname = NULL, *user = "nobody";
	const char *stats_name = NULL;
	struct sockaddr_storage ss;
	struct mailslot_relay_open ro;
	struct sockaddr_un sa;
	socklen_t salen, sslen;
	unsigned int port = NBDGM_PORT;
	int show_stats = 0, c, fd, sfd, ctl, relay, one = 1;
	static uint8_t pkt[NBDGM_PACKET_MAX + 1];
	struct sigaction sig;

	while ((c = getopt_long(argc, argv, "p:a:i:u:s:Sfvh", opts, NULL)) != -1) {
		char *end;
		unsigned long v;

		switch (c) {
		case 'p':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || !v || v > 65535) {
				fprintf(stderr, "mailslotd: --port: not a port: %s\n", optarg);
				return 2;
			}
			port = (unsigned int)v;
			break;
		case 'a':
			address = optarg;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 's':
			stats_name = optarg;
			break;
		case 'S':
			show_stats = 1;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (show_stats)
		return print_stats(stats_name, port);
	if (!foreground)
		openlog("mailslotd", LOG_PID, LOG_DAEMON);

	memset(&ss, 0, sizeof(ss));
	if (address && strchr(address, ':')) {
		struct sockaddr_in6 *s6 = (void *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, address, &s6->sin6_addr) != 1) {
			fprintf(stderr, "mailslotd: --address: not an address: %s\n", address);
			return 2;
		}
		sslen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (void *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		s4->sin_addr.s_addr = htonl(INADDR_ANY);
		if (address && inet_pton(AF_INET, address, &s4->sin_addr) != 1) {
			fprintf(stderr, "mailslotd: --address: not an address: %s\n", address);
			return 2;
		}
		sslen = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		relay_log(LOG_ERR, "socket: %s", strerror(errno));
		return 1;
	}
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	/* for the datagrams of local writers to \\*\mailslot\... */
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	if (ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
				 (socklen_t)strlen(ifname))) {
		relay_log(LOG_ERR, "--interface %s: %s", ifname, strerror(errno));
		return 1;
	}
	if (bind(fd, (struct sockaddr *)&ss, sslen)) {
		if (errno == EADDRINUSE)
			explain_port_in_use(port);
		else
			relay_log(LOG_ERR, "bind UDP port %u: %s%s", port, strerror(errno),
			       errno == EACCES ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : "");
		return 1;
	}

	ctl = open(MAILSLOT_CONTROL_PATH, O_RDONLY | O_CLOEXEC);
	if (ctl < 0) {
		relay_log(LOG_ERR, "%s: %s (is the mailslot module loaded?)",
		       MAILSLOT_CONTROL_PATH, strerror(errno));
		return 1;
	}
	memset(&ro, 0, sizeof(ro));
	relay = ioctl(ctl, MAILSLOT_IOC_RELAY_OPEN, &ro);
	if (relay < 0) {
		relay_log(LOG_ERR, "relay handle: %s%s", strerror(errno),
		       errno == EPERM ? " (needs CAP_NET_ADMIN: start mailslotd as root)" : "");
		return 1;
	}
	close(ctl);

	outgoing_init(fd, port);
	sfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	stats_addr(&sa, &salen, stats_name, port);
	if (sfd < 0 || bind(sfd, (struct sockaddr *)&sa, salen) || listen(sfd, 8)) {
		relay_log(LOG_ERR, "stats socket @%s: %s", sa.sun_path + 1, strerror(errno));
		return 1;
	}

	if (getuid() == 0 || geteuid() == 0) {
		if (drop_privileges(user))
			return 1;
	}
	if (!foreground && daemon(0, 0)) {
		relay_log(LOG_ERR, "daemon: %s", strerror(errno));
		return 1;
	}

	memset(&sig, 0, sizeof(sig));
	sig.sa_handler = on_signal;
	sigaction(SIGTERM, &sig, NULL);
	sigaction(SIGINT, &sig, NULL);
	relay_log(LOG_INFO, "relaying mailslot datagrams from UDP %s port %u%s%s as %s",
	       address ? address : "*", port, ifname ? " on " : "",
	       ifname ? ifname : "", user);

	while (!stop) {
		struct pollfd pf[2 + 96] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};
		int more = outgoing_pollfds(pf + 2, 96);

		/* a second at most: idle clients and unused slots expire */
		if (poll(pf, (nfds_t)(2 + more), 1000) < 0) {
			if (errno == EINTR)
				continue;
			relay_log(LOG_ERR, "poll: %s", strerror(errno));
			return 1;
		}
		outgoing_events(pf + 2, more);
		if (pf[1].revents & POLLIN)
			outgoing_accept(sfd);
		if (pf[0].revents & POLLIN) {
			struct sockaddr_storage src;
			socklen_t srclen = sizeof(src);
			ssize_t n;

			/* one byte more than any valid packet: oversize shows */
			n = recvfrom(fd, pkt, sizeof(pkt), MSG_DONTWAIT,
				     (struct sockaddr *)&src, &srclen);
			if (n < 0) {
				if (errno != EAGAIN && errno != EINTR)
					relay_log(LOG_WARNING, "recvfrom: %s", strerror(errno));
				continue;
			}
			handle(relay, pkt, (size_t)n, &src);
		}
	}
	relay_log(LOG_INFO, "stopping: received %llu, delivered %llu, refused %llu, malformed %llu",
	       stats.received, stats.delivered, stats.refused, stats.malformed);
	return 0;
}
