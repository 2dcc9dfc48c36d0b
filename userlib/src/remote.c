// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Remote mailslot names (\\HOST\mailslot\NAME, \\*\mailslot\NAME): the
 * writer comes from the local relay mailslotd(8), which sends every
 * message written to it as one datagram.  See mailslot_open(3).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"
#include "winname.h"

/* The relay's abstract socket: "mailslotd.PORT", PORT from $MAILSLOTD_PORT. */
static socklen_t relay_addr(struct sockaddr_un *sa)
{
	const char *p = getenv("MAILSLOTD_PORT");
	unsigned long port = 138;
	char name[32];
	size_t n;

	if (p && *p) {
		char *end;

		port = strtoul(p, &end, 10);
		if (*end || !port || port > 65535)
			port = 138;
	}
	n = (size_t)snprintf(name, sizeof(name), "mailslotd.%lu", port);
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int resolve(const char *host, char *out, size_t size)
{
	struct addrinfo hints, *res;
	struct in_addr a;
	int r;

	if (inet_pton(AF_INET, host, &a) == 1) {
		inet_ntop(AF_INET, &a, out, (socklen_t)size);
		return 0;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	r = getaddrinfo(host, NULL, &hints, &res);
	if (r)
		return -EHOSTUNREACH;
	inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr,
		  out, (socklen_t)size);
	freeaddrinfo(res);
	return 0;
}

int ms_remote_open(int kind, const char *host, const char *local, int flags)
{
	char addr[INET_ADDRSTRLEN] = "-", req[400], ans[16];
	struct sockaddr_un sa;
	socklen_t salen = relay_addr(&sa);
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { ans, sizeof(ans) - 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cm;
	int s, r, fd = -1, len;
	ssize_t n;

	if ((flags & O_ACCMODE) != O_WRONLY)
		return -EINVAL;	/* a remote slot can only be written */
	if (kind == MS_WINNAME_HOST) {
		r = resolve(host, addr, sizeof(addr));
		if (r)
			return r;
	}
	len = snprintf(req, sizeof(req), "open %c %s %s\n",
		       kind == MS_WINNAME_BROADCAST ? 'b' : 'u', addr, local);
	if (len < 0 || (size_t)len >= sizeof(req))
		return -ENAMETOOLONG;
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&sa, salen) ||
	    write(s, req, (size_t)len) != len) {
		r = errno == ENOENT ? -ECONNREFUSED : -errno;
		close(s);
		return r;
	}
	n = recvmsg(s, &mh, MSG_CMSG_CLOEXEC);
	close(s);
	if (n <= 0)
		return -ECONNREFUSED;
	ans[n] = '\0';
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	r = atoi(ans);
	if (r || fd < 0) {
		if (fd >= 0)
			close(fd);
		return r < 0 ? r : -EPROTO;
	}
	if ((flags & O_NONBLOCK) &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}
