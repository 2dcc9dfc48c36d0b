// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * hello: the smallest mailslot round trip.  Creates /dev/mailslot/hello-PID,
 * sends it a message, receives it with the metadata the kernel attached,
 * and closes the server handle, which removes the slot.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <libmailslot.h>

int main(void)
{
	struct mailslot_msg_info mi;
	char name[64], buf[256];
	int server, writer;
	ssize_t n;

	snprintf(name, sizeof(name), "hello-%d", (int)getpid());
	server = mailslot_create(name, NULL);	/* CreateMailslot */
	if (server < 0) {
		fprintf(stderr, "hello: create %s: %s\n", name, strerror(-server));
		return 1;
	}
	writer = mailslot_open(name, O_WRONLY);	/* CreateFile */
	if (writer < 0 || mailslot_send(writer, "hello, mailslot", 15) < 0)
		return 1;
	n = mailslot_recv(server, buf, sizeof(buf), &mi, 1000);	/* ReadFile */
	if (n < 0) {
		fprintf(stderr, "hello: recv: %s\n", strerror((int)-n));
		return 1;
	}
	printf("got \"%.*s\" (%zd bytes, message %llu) from pid %u uid %u\n",
	       (int)n, buf, n, (unsigned long long)mi.seq, mi.pid, mi.uid);
	close(writer);
	close(server);	/* the slot disappears */
	return 0;
}
