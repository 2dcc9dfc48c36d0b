// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * supervisor [N]: start N workers (default 3) and wait for whichever ends
 * first, like WaitForMultipleObjects over their process handles.
 *
 * The workers report progress on a private mailslot, and one wait covers
 * both the messages and the exits: index 0 is the slot, 1..N the process
 * objects.  A signaled process object stays signaled, so each is dropped
 * from the set once reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libmailslot.h>

/* Worker id works two steps; the last one started is the first done. */
static void worker(const char *slot, int id, int n)
{
	int fd = mailslot_open(slot, O_WRONLY), step;
	char msg[64];

	for (step = 1; step <= 2; step++) {
		usleep(150000 * (unsigned int)(n + 1 - id));
		snprintf(msg, sizeof(msg), "worker %d: step %d of 2", id, step);
		mailslot_send(fd, msg, strlen(msg));
	}
	_exit(10 + id);	/* a code the supervisor will read */
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3, fds[MAILSLOT_WAIT_MAX];
	int ids[MAILSLOT_WAIT_MAX], live, i;
	char slot[64], buf[256];

	if (n < 1 || n >= MAILSLOT_WAIT_MAX)
		return 2;
	snprintf(slot, sizeof(slot), "supervisor-%d", (int)getpid());
	fds[0] = mailslot_create(slot, NULL);
	if (fds[0] < 0) {
		fprintf(stderr, "supervisor: %s: %s\n", slot, strerror(-fds[0]));
		return 1;
	}
	for (i = 1; i <= n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			worker(slot, i, n);
		ids[i] = i;
		fds[i] = mailslot_proc_open(pid, 0);	/* OpenProcess */
		printf("started worker %d as pid %d\n", i, (int)pid);
	}
	for (live = n; live > 0;) {
		int k = mailslot_wait_many(fds, (unsigned int)live + 1, 0,
					   MAILSLOT_FOREVER);
		struct mailslot_proc_exit ex;
		int st;

		if (k < 0) {
			fprintf(stderr, "supervisor: wait: %s\n", strerror(-k));
			return 1;
		}
		if (k == 0) {	/* a progress report */
			ssize_t len = mailslot_recv(fds[0], buf, sizeof(buf), NULL, 0);

			if (len >= 0)
				printf("  %.*s\n", (int)len, buf);
			continue;
		}
		st = mailslot_proc_status(fds[k], &ex);	/* GetExitCodeProcess */
		printf("worker %d (pid %u, %s) exited with code %d\n", ids[k],
		       ex.pid, ex.comm, WEXITSTATUS(st));
		waitpid((pid_t)ex.pid, NULL, 0);
		close(fds[k]);
		fds[k] = fds[live];	/* keep the set dense */
		ids[k] = ids[live];
		live--;
	}
	close(fds[0]);
	printf("all %d workers done\n", n);
	return 0;
}
