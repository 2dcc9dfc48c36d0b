// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * chat ROOM NICK: a broadcast chat room on one mailslot.
 *
 * The first participant creates /dev/mailslot/ROOM (mode 0666, so that any
 * user may join) and hosts it; the others join as listeners.  Every line
 * typed goes to all participants, who see it with the sender's pid, taken
 * from metadata the kernel attaches and nobody can forge.  The room ends
 * when its host leaves (end of input or Ctrl-D).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <libmailslot.h>

static void say(int wfd, const char *nick, const char *text)
{
	struct iovec iov[3] = {
		{ (void *)nick, strlen(nick) }, { ": ", 2 },
		{ (void *)text, strlen(text) },
	};
	ssize_t r = mailslot_sendv(wfd, iov, 3);	/* one message */

	if (r < 0)
		fprintf(stderr, "chat: send: %s\n", strerror((int)-r));
}

int main(int argc, char **argv)
{
	struct mailslot_attr attr = MAILSLOT_ATTR_INIT;
	char line[900], buf[1024];
	int rfd, wfd, host = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: chat ROOM NICK\n");
		return 2;
	}
	attr.mode = 0666;
	attr.max_msg_size = sizeof(buf);
	attr.overflow = MAILSLOT_OVERFLOW_DROP;	/* a stalled reader loses old lines */
	rfd = mailslot_create(argv[1], &attr);
	if (rfd == -EEXIST) {
		host = 0;
		rfd = mailslot_open(argv[1], O_RDONLY);
	}
	wfd = rfd < 0 ? rfd : mailslot_open(argv[1], O_WRONLY);
	if (rfd < 0 || wfd < 0) {
		fprintf(stderr, "chat: %s: %s\n", argv[1], strerror(-(rfd < 0 ? rfd : wfd)));
		return 1;
	}
	printf("%s room %s as %s\n", host ? "hosting" : "joined", argv[1], argv[2]);
	say(wfd, argv[2], host ? "opened the room" : "joined");

	for (;;) {
		struct pollfd p[2] = { { .fd = 0, .events = POLLIN },
				       { .fd = rfd, .events = POLLIN } };
		struct mailslot_msg_info mi;
		ssize_t n;

		if (poll(p, 2, -1) < 0)
			break;
		if (p[1].revents) {
			n = mailslot_recv(rfd, buf, sizeof(buf) - 1, &mi, 0);
			if (n == -EPIPE) {
				printf("the host closed the room\n");
				break;
			}
			if (n >= 0)
				printf("[pid %u] %.*s\n", mi.pid, (int)n, buf);
			fflush(stdout);
		}
		if (p[0].revents) {
			if (!fgets(line, sizeof(line), stdin)) {
				say(wfd, argv[2], "left");
				break;
			}
			line[strcspn(line, "\n")] = 0;
			say(wfd, argv[2], line);
		}
	}
	close(wfd);
	close(rfd);	/* the host's close ends the room for everyone */
	return 0;
}
