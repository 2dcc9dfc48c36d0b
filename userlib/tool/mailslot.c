// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * mailslot(1): mailslots and process waits from the shell.
 *
 *   mailslot serve NAME [options]    create a slot, print what arrives
 *   mailslot listen NAME [options]   subscribe to a slot as an extra reader
 *   mailslot send NAME [MESSAGE...]  send messages
 *   mailslot info NAME               one slot's figures
 *   mailslot ls                      every slot
 *   mailslot wait PID... [options]   wait for processes (or pidfds) to exit
 *
 * Exit status: 0 success, 1 error, 2 timed out (wait).  Every error is one
 * line on stderr: "mailslot: VERB: OBJECT: reason".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libmailslot.h"
#include "fmt.h"

#define EXIT_TIMEOUT 2
#define PROC_MAILSLOT "/proc/mailslot"

static const char *verb = "";

static void fail(const char *object, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static void fail(const char *object, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "mailslot: %s%s%s: ", verb, *verb ? ": " : "", object);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FAILURE);
}

/* "NAME" or "/dev/mailslot/NAME" -> "/dev/mailslot/NAME" for messages. */
static const char *slot_path(const char *name)
{
	static char path[sizeof(MAILSLOT_DEV_DIR) + MAILSLOT_NAME_MAX + 1];

	if (!strncmp(name, MAILSLOT_DEV_DIR "/", sizeof(MAILSLOT_DEV_DIR)))
		return name;
	snprintf(path, sizeof(path), "%s/%s", MAILSLOT_DEV_DIR, name);
	return path;
}

/* Errors of opening a slot by name. */
static void fail_open(const char *object, int err)
{
	if (err == -ENOENT && access(MAILSLOT_CONTROL_PATH, F_OK))
		fail(object, "no such slot (the mailslot module is not loaded)");
	fail(object, "%s", reason(err));
}

/* Errors of the calls that go through /dev/mailslot/control. */
static void fail_control(const char *object, int err)
{
	if (err == -ENOENT && access(MAILSLOT_CONTROL_PATH, F_OK))
		fail(MAILSLOT_CONTROL_PATH, "not found (is the mailslot module loaded?)");
	fail(object, "%s", reason(err));
}

static unsigned long long opt_u64(const char *opt, const char *arg,
				  unsigned long long max)
{
	unsigned long long v;
	int r = parse_u64(arg, max, &v);

	if (r == -ERANGE)
		fail(opt, "%s: out of range (at most %llu)", arg, max);
	if (r)
		fail(opt, "%s: not a number", arg);
	return v;
}

static int opt_ms(const char *opt, const char *arg)
{
	if (!strcmp(arg, "inf") || !strcmp(arg, "forever") || !strcmp(arg, "-1"))
		return MAILSLOT_FOREVER;
	return (int)opt_u64(opt, arg, INT_MAX);
}

static void usage_error(const char *usage)
{
	fprintf(stderr, "mailslot: %s: usage: %s\n", verb, usage);
	exit(EXIT_FAILURE);
}

static void reset_getopt(void)
{
	optind = 0;	/* glibc: full re-initialisation */
	opterr = 0;
}

/* getopt's own complaints, turned into our one-line format. */
static int report_getopt(int c, char **argv)
{
	if (c == '?') {
		if (optopt) {
			char opt[3] = { '-', (char)optopt, 0 };

			fail(opt, "unknown option (see --help)");
		}
		fail(argv[optind - 1], "unknown option (see --help)");
	}
	if (c == ':')
		fail(argv[optind - 1], "option needs a value");
	return c;
}

#define GETOPT(argc, argv, s, l, help) \
	report_getopt(getopt_long(argc, argv, ":" s, l, NULL), argv)

static void handle_help(int c, const char *help)
{
	if (c == 'h') {
		fputs(help, stdout);
		exit(EXIT_SUCCESS);
	}
}

/* ---------------------------------------------------------------- serve */

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/*
 * Print messages from the reader fd until count messages (0: no limit),
 * SIGINT/SIGTERM, or the slot closing.  The signals are blocked except
 * inside ppoll() so that none is lost between a check and a wait.
 */
static int pump(int fd, const char *object, unsigned long long count, int json)
{
	struct sigaction sa = { .sa_handler = on_stop };
	struct mailslot_info si;
	sigset_t block, orig;
	unsigned long long got = 0;
	size_t cap;
	char *buf;
	int r;

	r = mailslot_get_info(fd, &si);
	if (r < 0)
		fail(object, "%s", reason(r));
	cap = si.max_msg_size ? si.max_msg_size : 1;
	buf = malloc(cap);
	if (!buf)
		fail(object, "out of memory");

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigdelset(&orig, SIGINT);
	sigdelset(&orig, SIGTERM);

	while (!count || got < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct mailslot_msg_info info;
		ssize_t n;

		if (stop_signal)
			break;
		r = ppoll(&pfd, 1, NULL, &orig);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fail(object, "poll: %s", reason(errno));
		n = mailslot_recv(fd, buf, cap, &info, 0);
		if (n == -EMSGSIZE && info.size > cap) {
			char *nb = realloc(buf, info.size);

			if (!nb)
				fail(object, "out of memory");
			buf = nb;
			cap = info.size;
			continue;
		}
		if (n == -EAGAIN || n == -EINTR) {
			/* Readable without a message: the server has gone. */
			if (pfd.revents & (POLLHUP | POLLERR))
				break;
			continue;
		}
		if (n == -EPIPE || n == -ENODEV)
			break;
		if (n < 0)
			fail(object, "receive: %s", reason((int)n));
		if (json) {
			fmt_json_msg(stdout, &info, buf, (size_t)n);
		} else {
			fmt_text(stdout, buf, (size_t)n);
			putchar('\n');
		}
		if (fflush(stdout) == EOF)
			fail("standard output", "%s", strerror(errno));
		got++;
	}
	free(buf);
	return EXIT_SUCCESS;
}

static const char serve_help[] =
"usage: mailslot serve NAME [OPTIONS]\n"
"Create the slot /dev/mailslot/NAME and print every message it receives,\n"
"one a line, until --count messages or SIGINT/SIGTERM; the slot is removed\n"
"when serve exits.\n"
"  --max-msg BYTES    largest message (default 65536)\n"
"  --depth N          queue depth of each reader in messages (default 256)\n"
"  --mode OCTAL       permissions of the node (default 0600)\n"
"  --timeout MS       default read timeout of the slot's handles, or 'inf'\n"
"                     (default inf; serve itself always waits)\n"
"  --overflow MODE    block, fail or drop when a reader's queue is full\n"
"                     (default block)\n"
"  --listener-drop    the overflow mode holds for serve's own queue only;\n"
"                     a listener whose queue is full loses its oldest\n"
"  --export           reachable from the network through mailslotd(8)\n"
"                     (MAILSLOT_CREATE_REMOTE); the name must be lower case\n"
"  --count N          exit after N messages\n"
"  --json             one JSON object a line, with the sender's metadata\n"
"  -h, --help         this help\n";

static int cmd_serve(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "max-msg", required_argument, NULL, 'm' },
		{ "depth", required_argument, NULL, 'd' },
		{ "mode", required_argument, NULL, 'M' },
		{ "timeout", required_argument, NULL, 't' },
		{ "overflow", required_argument, NULL, 'o' },
		{ "listener-drop", no_argument, NULL, 'L' },
		{ "export", no_argument, NULL, 'E' },
		{ "count", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct mailslot_attr attr = MAILSLOT_ATTR_INIT;
	unsigned long long count = 0;
	unsigned int flags = MAILSLOT_CREATE_NONBLOCK;
	int json = 0, c, fd;
	const char *name;

	while ((c = GETOPT(argc, argv, "h", lo, serve_help)) != -1) {
		handle_help(c, serve_help);
		switch (c) {
		case 'm':
			attr.max_msg_size = (unsigned int)opt_u64("--max-msg", optarg, UINT32_MAX);
			if (!attr.max_msg_size)
				fail("--max-msg", "must be at least 1");
			break;
		case 'd':
			attr.max_msgs = (unsigned int)opt_u64("--depth", optarg,
							      MAILSLOT_MAX_MSGS_LIMIT);
			if (!attr.max_msgs)
				fail("--depth", "must be at least 1");
			break;
		case 'M':
			if (parse_mode(optarg, &attr.mode))
				fail("--mode", "%s: not an octal mode", optarg);
			break;
		case 't':
			attr.read_timeout_ms = opt_ms("--timeout", optarg);
			break;
		case 'o':
			attr.overflow = parse_overflow(optarg);
			if (attr.overflow < 0)
				fail("--overflow", "%s: not block, fail or drop", optarg);
			break;
		case 'L':
			flags |= MAILSLOT_CREATE_LISTENER_DROP;
			break;
		case 'E':
			flags |= MAILSLOT_CREATE_REMOTE;
			break;
		case 'c':
			count = opt_u64("--count", optarg, ULLONG_MAX);
			break;
		case 'j':
			json = 1;
			break;
		}
	}
	if (optind != argc - 1)
		usage_error("mailslot serve NAME [OPTIONS] (see --help)");
	name = argv[optind];
	attr.flags = flags;
	fd = mailslot_create(name, &attr);
	if (fd == -EEXIST)
		fail(slot_path(name), "slot exists");
	if (fd == -EINVAL)
		fail(slot_path(name), "invalid name or option");
	if (fd < 0)
		fail_control(slot_path(name), fd);
	c = pump(fd, slot_path(name), count, json);
	close(fd);	/* removes the slot */
	return c;
}

/* --------------------------------------------------------------- listen */

static const char listen_help[] =
"usage: mailslot listen NAME [OPTIONS]\n"
"Subscribe to /dev/mailslot/NAME as one more reader: every message sent\n"
"from now on is printed, one a line, like serve.  Exits after --count\n"
"messages, on SIGINT/SIGTERM, or when the slot's server closes it.\n"
"  --count N          exit after N messages\n"
"  --json             one JSON object a line, with the sender's metadata\n"
"  -h, --help         this help\n";

static int cmd_listen(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long long count = 0;
	int json = 0, c, fd;
	const char *name;

	while ((c = GETOPT(argc, argv, "h", lo, listen_help)) != -1) {
		handle_help(c, listen_help);
		if (c == 'c')
			count = opt_u64("--count", optarg, ULLONG_MAX);
		else if (c == 'j')
			json = 1;
	}
	if (optind != argc - 1)
		usage_error("mailslot listen NAME [OPTIONS] (see --help)");
	name = argv[optind];
	fd = mailslot_open(name, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		fail_open(slot_path(name), fd);
	c = pump(fd, slot_path(name), count, json);
	close(fd);
	return c;
}

/* ----------------------------------------------------------------- send */

static const char send_help[] =
"usage: mailslot send NAME [MESSAGE...]\n"
"Send each MESSAGE to /dev/mailslot/NAME as one message.  Without\n"
"messages, each line of standard input is one message (without its\n"
"newline).\n"
"  --raw              all of standard input is one message, as is\n"
"  -h, --help         this help\n"
"Use -- before messages that start with '-'.\n";

static void send_one(int fd, const char *object, const void *buf, size_t len)
{
	ssize_t n = mailslot_send(fd, buf, len);

	if (n == -EMSGSIZE) {
		struct mailslot_info si;

		if (mailslot_get_info(fd, &si) == 0)
			fail(object, "message too long (%zu bytes, the slot takes at most %u)",
			     len, si.max_msg_size);
		fail(object, "message too long (%zu bytes)", len);
	}
	if (n == -EAGAIN)
		fail(object, "a reader's queue is full");
	if (n == -EPIPE)
		fail(object, "slot closed");
	if (n < 0)
		fail(object, "%s", reason((int)n));
}

static int cmd_send(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *name, *object;
	int raw = 0, c, fd, i;

	while ((c = GETOPT(argc, argv, "h", lo, send_help)) != -1) {
		handle_help(c, send_help);
		if (c == 'r')
			raw = 1;
	}
	if (optind >= argc)
		usage_error("mailslot send NAME [MESSAGE...] (see --help)");
	name = argv[optind++];
	object = slot_path(name);
	if (raw && optind < argc)
		fail("--raw", "reads standard input; give no MESSAGE");
	fd = mailslot_open(name, O_WRONLY);
	if (fd < 0)
		fail_open(object, fd);

	if (optind < argc) {
		for (i = optind; i < argc; i++)
			send_one(fd, object, argv[i], strlen(argv[i]));
	} else if (raw) {
		size_t len = 0, cap = 4096;
		char *buf = malloc(cap);
		size_t n;

		while (buf && (n = fread(buf + len, 1, cap - len, stdin)) > 0) {
			len += n;
			if (len == cap) {
				char *nb = cap > (1u << 30) ? NULL : realloc(buf, cap * 2);

				if (!nb)
					free(buf);
				buf = nb;
				cap *= 2;
			}
		}
		if (!buf)
			fail("standard input", "too large");
		if (ferror(stdin))
			fail("standard input", "%s", reason(errno));
		send_one(fd, object, buf, len);
		free(buf);
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		while ((n = getline(&line, &cap, stdin)) >= 0) {
			if (n && line[n - 1] == '\n')
				n--;
			send_one(fd, object, line, (size_t)n);
		}
		if (ferror(stdin))
			fail("standard input", "%s", reason(errno));
		free(line);
	}
	close(fd);
	return EXIT_SUCCESS;
}

/* ----------------------------------------------------------------- info */

static const char info_help[] =
"usage: mailslot info NAME\n"
"Print the figures of /dev/mailslot/NAME, one 'key value' pair a line:\n"
"name, path, owner, group, mode, max_msg_size, max_msgs, max_bytes,\n"
"read_timeout_ms, overflow, readers, writers, sent; plus, when\n"
"/proc/mailslot lists the slot, msgs, bytes, drops and received.\n"
"  -h, --help         this help\n";

/* Find NAME's line in /proc/mailslot; 1 and the fields when found. */
static int proc_lookup(const char *name, char *line, size_t size,
		       char **hdr, int *nhdr, char *hline, size_t hsize,
		       char **fields, int *nfields)
{
	FILE *f = fopen(PROC_MAILSLOT, "re");
	int found = 0, i;

	if (!f)
		return 0;
	if (!fgets(hline, (int)hsize, f)) {
		fclose(f);
		return 0;
	}
	*nhdr = proc_columns(hline, hdr, 32);
	i = proc_find(hdr, *nhdr, "name");
	while (i >= 0 && fgets(line, (int)size, f)) {
		*nfields = proc_columns(line, fields, 32);
		if (*nfields > i && !strcmp(fields[i], name)) {
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

static int cmd_info(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char line[1024], hline[1024], *hdr[32], *fields[32];
	int nhdr = 0, nfields = 0, c, fd, flags, i;
	struct mailslot_info si;
	const char *name, *object;
	struct stat st;

	while ((c = GETOPT(argc, argv, "h", lo, info_help)) != -1)
		handle_help(c, info_help);
	if (optind != argc - 1)
		usage_error("mailslot info NAME (see --help)");
	name = argv[optind];
	object = slot_path(name);
	if (!strncmp(name, MAILSLOT_DEV_DIR "/", sizeof(MAILSLOT_DEV_DIR)))
		name += sizeof(MAILSLOT_DEV_DIR);

	/*
	 * A reader handle starts with the slot's default read timeout, which
	 * a writer handle does not show; it holds no message and goes away
	 * at once.  Fall back to a writer when only writing is allowed.
	 */
	flags = O_RDONLY;
	fd = mailslot_open(name, O_RDONLY | O_NONBLOCK);
	if (fd == -EACCES || fd == -EPERM) {
		flags = O_WRONLY;
		fd = mailslot_open(name, O_WRONLY | O_NONBLOCK);
	}
	if (fd < 0)
		fail_open(object, fd);
	c = mailslot_get_info(fd, &si);
	if (c < 0)
		fail(object, "%s", reason(c));
	if (fstat(fd, &st))
		fail(object, "%s", reason(errno));
	close(fd);
	/* Do not count our own handle. */
	if (flags == O_WRONLY && si.writers)
		si.writers--;
	if (flags == O_RDONLY && si.readers)
		si.readers--;

	printf("name %s\n", name);
	printf("path %s\n", object);
	printf("owner %u\n", (unsigned int)st.st_uid);
	printf("group %u\n", (unsigned int)st.st_gid);
	printf("mode %04o\n", (unsigned int)(st.st_mode & 07777));
	printf("max_msg_size %u\n", si.max_msg_size);
	printf("max_msgs %u\n", si.max_msgs);
	printf("max_bytes %u\n", si.max_bytes);
	if (flags == O_WRONLY)
		printf("read_timeout_ms unknown\n");
	else if (si.read_timeout_ns == MAILSLOT_TIMEOUT_INFINITE)
		printf("read_timeout_ms inf\n");
	else
		printf("read_timeout_ms %" PRIu64 "\n",
		       (uint64_t)(si.read_timeout_ns / 1000000));
	printf("overflow %s\n", overflow_name(si.overflow));
	printf("readers %u\n", si.readers);
	printf("writers %u\n", si.writers);
	printf("sent %" PRIu64 "\n", (uint64_t)si.sent);
	if (proc_lookup(name, line, sizeof(line), hdr, &nhdr, hline, sizeof(hline),
			fields, &nfields)) {
		static const char *const extra[] = { "msgs", "bytes", "drops", "received" };

		for (i = 0; i < 4; i++) {
			int k = proc_find(hdr, nhdr, extra[i]);

			if (k >= 0 && k < nfields)
				printf("%s %s\n", extra[i], fields[k]);
		}
	}
	return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------- ls */

static const char ls_help[] =
"usage: mailslot ls\n"
"List every slot (from /proc/mailslot): a header line, then one line per\n"
"slot with NAME MODE UID GID READERS WRITERS MSGS BYTES DROPS SENT.\n"
"  -h, --help         this help\n";

static int cmd_ls(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const char *const cols[] = {
		"name", "mode", "uid", "gid", "readers", "writers", "msgs",
		"bytes", "drops", "sent",
	};
	char line[1024], hline[1024], *hdr[32], *fields[32];
	int idx[10], nhdr, n, c, i;
	FILE *f;

	while ((c = GETOPT(argc, argv, "h", lo, ls_help)) != -1)
		handle_help(c, ls_help);
	if (optind != argc)
		usage_error("mailslot ls (see --help)");
	f = fopen(PROC_MAILSLOT, "re");
	if (!f) {
		if (errno == ENOENT)
			fail(PROC_MAILSLOT, "not found (is the mailslot module loaded?)");
		fail(PROC_MAILSLOT, "%s", reason(errno));
	}
	if (!fgets(hline, sizeof(hline), f))
		fail(PROC_MAILSLOT, "empty");
	nhdr = proc_columns(hline, hdr, 32);
	for (i = 0; i < 10; i++)
		idx[i] = proc_find(hdr, nhdr, cols[i]);
	if (idx[0] < 0)
		fail(PROC_MAILSLOT, "unknown format (no name column)");
	printf("%-24s %5s %5s %5s %7s %7s %6s %8s %6s %8s\n", "NAME", "MODE",
	       "UID", "GID", "READERS", "WRITERS", "MSGS", "BYTES", "DROPS", "SENT");
	while (fgets(line, sizeof(line), f)) {
		const char *v[10];

		n = proc_columns(line, fields, 32);
		if (n <= idx[0])
			continue;
		for (i = 0; i < 10; i++)
			v[i] = idx[i] >= 0 && idx[i] < n ? fields[idx[i]] : "-";
		printf("%-24s %5s %5s %5s %7s %7s %6s %8s %6s %8s\n", v[0], v[1],
		       v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
	}
	fclose(f);
	return EXIT_SUCCESS;
}

/* ----------------------------------------------------------------- wait */

static const char wait_help[] =
"usage: mailslot wait [PID...] [--pidfd FD]... [--all] [--timeout MS]\n"
"Wait until any (default) or all of the processes have exited; they need\n"
"not be children of the caller.  Prints 'PID exited CODE' or\n"
"'PID killed SIGNAL' (plus ' core' when it dumped core) for every process\n"
"that has exited.  Exit status 0 when the wait was satisfied, 2 on timeout\n"
"(after printing those that did exit), 1 on error.\n"
"  --pidfd FD         also the process of pidfd FD, inherited from the\n"
"                     caller (pidfd_open(2)): immune to pid reuse\n"
"  --all              wait for every process, not just one\n"
"  --timeout MS       give up after MS milliseconds (default: forever)\n"
"  -h, --help         this help\n";

static int cmd_wait(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "pidfd", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int fds[MAILSLOT_WAIT_MAX];
	const char *names[MAILSLOT_WAIT_MAX];
	int pidfds[MAILSLOT_WAIT_MAX];
	int timeout = MAILSLOT_FOREVER, all = 0, n = 0, npidfds = 0, c, i, r;
	const char *pidfd_args[MAILSLOT_WAIT_MAX];
	long long deadline_ms = 0;
	struct timespec start;
	char status[64];

	while ((c = GETOPT(argc, argv, "h", lo, wait_help)) != -1) {
		handle_help(c, wait_help);
		if (c == 'a') {
			all = 1;
		} else if (c == 't') {
			timeout = opt_ms("--timeout", optarg);
		} else if (c == 'p') {
			if (npidfds == MAILSLOT_WAIT_MAX)
				fail(optarg, "more than %d processes",
				     MAILSLOT_WAIT_MAX);
			pidfds[npidfds] = (int)opt_u64("--pidfd", optarg, INT_MAX);
			pidfd_args[npidfds++] = optarg;
		}
	}
	if (optind >= argc && !npidfds)
		usage_error("mailslot wait [PID...] [--pidfd FD]... [--all] [--timeout MS] (see --help)");
	if (argc - optind + npidfds > MAILSLOT_WAIT_MAX)
		fail(optind < argc ? argv[optind] : pidfd_args[0],
		     "more than %d processes", MAILSLOT_WAIT_MAX);
	for (i = optind; i < argc; i++) {
		unsigned long long pid;

		if (parse_u64(argv[i], INT_MAX, &pid) || !pid)
			fail(argv[i], "not a process id");
		r = mailslot_proc_open((pid_t)pid, 0);
		if (r == -ESRCH)
			fail(argv[i], "no such process");
		if (r < 0)
			fail_control(argv[i], r);
		names[n] = argv[i];
		fds[n++] = r;
	}
	for (i = 0; i < npidfds; i++) {
		r = mailslot_proc_open_pidfd(pidfds[i], 0);
		if (r == -ESRCH)
			fail(pidfd_args[i], "pidfd: no such process (reaped)");
		if (r == -EBADF)
			fail(pidfd_args[i], "pidfd: not an open file descriptor");
		if (r == -EINVAL)
			fail(pidfd_args[i], "not a pidfd");
		if (r < 0)
			fail_control(pidfd_args[i], r);
		names[n] = pidfd_args[i];
		fds[n++] = r;
	}
	if (timeout != MAILSLOT_FOREVER) {
		clock_gettime(CLOCK_MONOTONIC, &start);
		deadline_ms = start.tv_sec * 1000LL + start.tv_nsec / 1000000 + timeout;
	}
	for (;;) {
		r = mailslot_wait_many(fds, (unsigned int)n, all ? MAILSLOT_WAIT_ALL : 0,
				       timeout);
		if (r != -EINTR)
			break;
		/* Interrupted (e.g. SIGCONT after a stop): wait for what is left. */
		if (timeout != MAILSLOT_FOREVER) {
			struct timespec now;
			long long left;

			clock_gettime(CLOCK_MONOTONIC, &now);
			left = deadline_ms - (now.tv_sec * 1000LL + now.tv_nsec / 1000000);
			timeout = left > 0 ? (int)left : 0;
		}
	}
	if (r < 0 && r != -ETIMEDOUT)
		fail(names[0], "wait: %s", reason(r));
	for (i = 0; i < n; i++) {
		struct mailslot_proc_exit ex;
		int st = mailslot_proc_status(fds[i], &ex);

		if (st >= 0) {
			fmt_status(status, sizeof(status), st);
			printf("%d %s\n", (int)ex.pid, status);
		} else if (st != -EAGAIN) {
			fail(names[i], "%s", reason(st));
		}
		close(fds[i]);
	}
	fflush(stdout);
	return r == -ETIMEDOUT ? EXIT_TIMEOUT : EXIT_SUCCESS;
}

/* ----------------------------------------------------------------- main */

static const char main_help[] =
"usage: mailslot VERB [ARGS]\n"
"Windows-style mailslots and process waits (see mailslot(1), mailslot(7)).\n"
"  serve NAME [OPTIONS]         create a slot and print what arrives\n"
"  listen NAME [OPTIONS]        subscribe to a slot as an extra reader\n"
"  send NAME [MESSAGE...]       send messages (or lines of standard input)\n"
"  info NAME                    one slot's figures\n"
"  ls                           every slot\n"
"  wait PID... [--pidfd FD]... [--all] [--timeout MS]\n"
"                               wait for processes to exit\n"
"  --version                    print the version\n"
"'mailslot VERB --help' describes each verb.\n"
"Exit status: 0 success, 1 error, 2 timeout (wait).\n";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} verbs[] = {
	{ "serve", cmd_serve },
	{ "listen", cmd_listen },
	{ "send", cmd_send },
	{ "info", cmd_info },
	{ "ls", cmd_ls },
	{ "wait", cmd_wait },
};

int main(int argc, char **argv)
{
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fputs(main_help, stderr);
		return EXIT_FAILURE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(main_help, stdout);
		return EXIT_SUCCESS;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mailslot %s (libmailslot %s)\n", LIBMAILSLOT_VERSION,
		       mailslot_version());
		return EXIT_SUCCESS;
	}
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (!strcmp(argv[1], verbs[i].name)) {
			verb = verbs[i].name;
			reset_getopt();
			return verbs[i].fn(argc - 1, argv + 1);
		}
	}
	fail(argv[1], "unknown verb (see mailslot --help)");
}
