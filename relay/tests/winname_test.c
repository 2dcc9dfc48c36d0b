// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/* The Windows-name mapping (userlib/src/winname.c), case by case. */
#include <errno.h>
#include <string.h>

#include <linux/mailslot.h>

#include "winname.h"
#include "check.h"

static char host[MS_WINNAME_HOST_MAX + 1], local[MAILSLOT_NAME_MAX + 1];

static int parse(const char *in)
{
	host[0] = local[0] = '\0';
	return ms_winname_parse(in, host, sizeof(host), local, sizeof(local));
}

int main(void)
{
	char buf[300], wire[300];
	int i;

	CHECK_EQ(parse("\\MAILSLOT\\APP\\NEWS"), MS_WINNAME_WIRE);
	CHECK(!strcmp(local, "app/news"));
	CHECK_EQ(parse("\\mailslot\\Browse"), MS_WINNAME_WIRE);
	CHECK(!strcmp(local, "browse"));
	CHECK_EQ(parse("\\\\.\\mailslot\\App\\News"), MS_WINNAME_LOCAL);
	CHECK(!strcmp(local, "app/news"));
	CHECK_EQ(parse("//./MailSlot/x/y-z_1"), MS_WINNAME_LOCAL);
	CHECK(!strcmp(local, "x/y-z_1"));
	CHECK_EQ(parse("\\\\*\\mailslot\\NEWS"), MS_WINNAME_BROADCAST);
	CHECK(!strcmp(local, "news"));
	CHECK_EQ(parse("\\\\Server7\\MAILSLOT\\a"), MS_WINNAME_HOST);
	CHECK(!strcmp(host, "Server7") && !strcmp(local, "a"));
	CHECK_EQ(parse("\\\\192.168.1.4\\mailslot\\a\\b"), MS_WINNAME_HOST);
	CHECK(!strcmp(host, "192.168.1.4") && !strcmp(local, "a/b"));
	CHECK_EQ(parse("\\\\host.example.org\\mailslot\\q"), MS_WINNAME_HOST);
	CHECK(!strcmp(host, "host.example.org"));

	/* not Windows names, or no valid local name */
	CHECK_EQ(parse("app/news"), -EINVAL);
	CHECK_EQ(ms_winname_is_windows("app/news"), 0);
	CHECK_EQ(ms_winname_is_windows("\\\\.\\mailslot\\a"), 1);
	CHECK_EQ(ms_winname_is_windows("//./mailslot/a"), 1);
	CHECK_EQ(ms_winname_is_windows("/dev/mailslot/a"), 0);
	CHECK_EQ(parse("\\PIPE\\x"), -EINVAL);
	CHECK_EQ(parse("\\MAILSLOT\\"), -EINVAL);
	CHECK_EQ(parse("\\MAILSLOTX\\a"), -EINVAL);
	CHECK_EQ(parse("\\MAILSLOT\\a\\\\b"), -EINVAL);
	CHECK_EQ(parse("\\MAILSLOT\\a\\"), -EINVAL);
	CHECK_EQ(parse("\\MAILSLOT\\a\\..\\b"), -EINVAL);
	CHECK_EQ(parse("\\MAILSLOT\\.\\b"), -EINVAL);
	CHECK_EQ(parse("\\MAILSLOT\\a b"), -EINVAL);
	CHECK_EQ(parse("\\MAILSLOT\\a\tb"), -EINVAL);
	CHECK_EQ(parse("\\MAILSLOT\\CONTROL"), -EINVAL);
	CHECK_EQ(parse("\\MAILSLOT\\control\\x"), -EINVAL);
	CHECK_EQ(parse("\\\\\\mailslot\\a"), -EINVAL);
	CHECK_EQ(parse("\\\\.\\pipe\\a"), -EINVAL);
	CHECK_EQ(parse("\\\\.\\mailslot"), -EINVAL);
	CHECK_EQ(parse("\\\\.\\mailslot\\"), -EINVAL);
	CHECK_EQ(parse("\\\\a*b\\mailslot\\x"), -EINVAL);
	CHECK_EQ(parse("\\\\a b\\mailslot\\x"), -EINVAL);

	/* lengths: 255 bytes of local name fit, 256 do not */
	strcpy(buf, "\\\\.\\mailslot\\");
	for (i = 0; i < 255; i++)
		buf[13 + i] = 'a';
	buf[13 + 255] = '\0';
	CHECK_EQ(parse(buf), MS_WINNAME_LOCAL);
	CHECK_EQ(strlen(local), 255);
	buf[13 + 255] = 'a';
	buf[13 + 256] = '\0';
	CHECK_EQ(parse(buf), -ENAMETOOLONG);
	/* the wire name is at most 255 bytes in all */
	strcpy(buf, "\\MAILSLOT\\");
	for (i = 0; i < 245; i++)
		buf[10 + i] = 'b';
	buf[255] = '\0';
	CHECK_EQ(parse(buf), MS_WINNAME_WIRE);
	buf[255] = 'b';
	buf[256] = '\0';
	CHECK_EQ(parse(buf), -ENAMETOOLONG);
	/* a host buffer too small */
	CHECK_EQ(ms_winname_parse("\\\\abcdef\\mailslot\\x", host, 4, local,
				  sizeof(local)), -ENAMETOOLONG);

	/* and back */
	CHECK_EQ(ms_winname_to_wire("app/news", wire, sizeof(wire)), 0);
	CHECK(!strcmp(wire, "\\MAILSLOT\\app\\news"));
	CHECK_EQ(parse(wire), MS_WINNAME_WIRE);
	CHECK(!strcmp(local, "app/news"));
	CHECK_EQ(ms_winname_to_wire("a//b", wire, sizeof(wire)), -EINVAL);
	CHECK_EQ(ms_winname_to_wire("a", wire, 11), -ENAMETOOLONG);
	CHECK_EQ(ms_winname_to_wire("a", wire, 12), 0);
	for (i = 0; i < 246; i++)
		buf[i] = 'c';
	buf[246] = '\0';
	CHECK_EQ(ms_winname_to_wire(buf, wire, sizeof(wire)), -ENAMETOOLONG);
	buf[245] = '\0';
	CHECK_EQ(ms_winname_to_wire(buf, wire, sizeof(wire)), 0);
	CHECK_EQ(strlen(wire), 255);
	return check_report("winname_test");
}
