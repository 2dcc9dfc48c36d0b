// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * tool_unit_test: the mailslot tool's formatting and parsing helpers
 * (tool/fmt.c); needs no module.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "kselftest_harness.h"

/* Run fn on a memory stream and return what it wrote (static buffer). */
static char out[4096];
static FILE *mem;

static void begin(void)
{
	memset(out, 0, sizeof(out));
	mem = fmemopen(out, sizeof(out) - 1, "w");
}

static const char *end(void)
{
	fclose(mem);
	return out;
}

#define TEXT(s, n) (begin(), fmt_text(mem, s, n), end())
#define JSTR(s, n) (begin(), fmt_json_string(mem, s, n), end())
#define B64(s, n) (begin(), fmt_base64(mem, s, n), end())

TEST(text_escapes)
{
	EXPECT_STREQ("hello", TEXT("hello", 5));
	EXPECT_STREQ("hello", TEXT("hello\n", 6));	/* one newline dropped */
	EXPECT_STREQ("a\\nb\\n", TEXT("a\nb\n\n", 5));
	EXPECT_STREQ("tab\\there\\r", TEXT("tab\there\r", 9));
	EXPECT_STREQ("back\\\\slash", TEXT("back\\slash", 10));
	EXPECT_STREQ("\\x00\\x01\\x1b\\x7f", TEXT("\0\1\x1b\x7f", 4));
	EXPECT_STREQ("caf\xc3\xa9", TEXT("caf\xc3\xa9", 5));	/* UTF-8 as is */
	EXPECT_STREQ("", TEXT("", 0));
	EXPECT_STREQ("", TEXT("\n", 1));
}

TEST(json_strings)
{
	EXPECT_STREQ("plain", JSTR("plain", 5));
	EXPECT_STREQ("q\\\"b\\\\", JSTR("q\"b\\", 4));
	EXPECT_STREQ("\\n\\t\\r\\b\\f", JSTR("\n\t\r\b\f", 5));
	EXPECT_STREQ("\\u0000\\u001f\\u007f", JSTR("\0\x1f\x7f", 3));
	EXPECT_STREQ("\xe2\x82\xac", JSTR("\xe2\x82\xac", 3));
}

TEST(utf8)
{
	EXPECT_EQ(1, utf8_valid("", 0));
	EXPECT_EQ(1, utf8_valid("abc", 3));
	EXPECT_EQ(1, utf8_valid("\xc3\xa9", 2));
	EXPECT_EQ(1, utf8_valid("\xf0\x9f\x98\x80", 4));
	EXPECT_EQ(0, utf8_valid("\xc3", 1));		/* truncated */
	EXPECT_EQ(0, utf8_valid("\xc0\xaf", 2));	/* overlong */
	EXPECT_EQ(0, utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	EXPECT_EQ(0, utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	EXPECT_EQ(0, utf8_valid("\xff", 1));
	EXPECT_EQ(0, utf8_valid("a\x80", 2));
}

TEST(base64)
{
	EXPECT_STREQ("", B64("", 0));
	EXPECT_STREQ("Zg==", B64("f", 1));
	EXPECT_STREQ("Zm8=", B64("fo", 2));
	EXPECT_STREQ("Zm9v", B64("foo", 3));
	EXPECT_STREQ("Zm9vYmFy", B64("foobar", 6));
	EXPECT_STREQ("/w==", B64("\xff", 1));
}

TEST(json_message)
{
	struct mailslot_msg_info info = {
		.seq = 3, .time_ns = 123456789, .pid = 42, .uid = 1000,
		.gid = 100, .size = 6,
	};

	begin();
	fmt_json_msg(mem, &info, "hi \"x\"", 6);
	EXPECT_STREQ("{\"seq\":3,\"time_ns\":123456789,\"pid\":42,\"uid\":1000,"
		     "\"gid\":100,\"size\":6,\"payload\":\"hi \\\"x\\\"\"}\n", end());
	info.size = 2;
	begin();
	fmt_json_msg(mem, &info, "\xff\x00", 2);
	EXPECT_STREQ("{\"seq\":3,\"time_ns\":123456789,\"pid\":42,\"uid\":1000,"
		     "\"gid\":100,\"size\":2,\"payload_base64\":\"/wA=\"}\n", end());
}

TEST(numbers_modes_overflow)
{
	unsigned long long v;
	unsigned int m;

	EXPECT_EQ(0, parse_u64("0", 10, &v));
	EXPECT_EQ(0ull, v);
	EXPECT_EQ(0, parse_u64("65536", 65536, &v));
	EXPECT_EQ(65536ull, v);
	EXPECT_EQ(-ERANGE, parse_u64("65537", 65536, &v));
	EXPECT_EQ(-ERANGE, parse_u64("99999999999999999999999", ~0ull, &v));
	EXPECT_EQ(-EINVAL, parse_u64("", 10, &v));
	EXPECT_EQ(-EINVAL, parse_u64("-1", 10, &v));
	EXPECT_EQ(-EINVAL, parse_u64("1x", 10, &v));
	EXPECT_EQ(-EINVAL, parse_u64(" 1", 10, &v));
	EXPECT_EQ(-EINVAL, parse_u64(NULL, 10, &v));

	EXPECT_EQ(0, parse_mode("0644", &m));
	EXPECT_EQ(0644u, m);
	EXPECT_EQ(0, parse_mode("600", &m));
	EXPECT_EQ(0600u, m);
	EXPECT_EQ(-EINVAL, parse_mode("0689", &m));
	EXPECT_EQ(-EINVAL, parse_mode("rw", &m));
	EXPECT_EQ(-ERANGE, parse_mode("1777", &m));

	EXPECT_EQ(MAILSLOT_OVERFLOW_BLOCK, parse_overflow("block"));
	EXPECT_EQ(MAILSLOT_OVERFLOW_FAIL, parse_overflow("fail"));
	EXPECT_EQ(MAILSLOT_OVERFLOW_DROP, parse_overflow("drop"));
	EXPECT_EQ(-EINVAL, parse_overflow("Drop"));
	EXPECT_EQ(-EINVAL, parse_overflow(NULL));
	EXPECT_STREQ("drop", overflow_name(MAILSLOT_OVERFLOW_DROP));
	EXPECT_STREQ("unknown", overflow_name(9));
}

TEST(reasons_and_status)
{
	char buf[64];

	EXPECT_STREQ("no such slot", reason(ENOENT));
	EXPECT_STREQ("no such slot", reason(-ENOENT));
	EXPECT_STREQ("message too long", reason(EMSGSIZE));
	EXPECT_STREQ("no such process", reason(ESRCH));
	EXPECT_NE(NULL, reason(12345));
	EXPECT_STREQ("bad address", reason(EFAULT));	/* strerror, lower case */

	fmt_status(buf, sizeof(buf), 3 << 8);
	EXPECT_STREQ("exited 3", buf);
	fmt_status(buf, sizeof(buf), 9);
	EXPECT_STREQ("killed 9", buf);
	fmt_status(buf, sizeof(buf), 11 | 0x80);
	EXPECT_STREQ("killed 11 core", buf);
}

TEST(proc_lines)
{
	char hdr[] = "name uid gid mode readers writers msgs bytes drops sent received\n";
	char row[] = "chat/room\t1000 1000 0620  2 1 0 0 0 17 34\n";
	char *h[32], *f[32];
	int nh, nf;

	nh = proc_columns(hdr, h, 32);
	EXPECT_EQ(11, nh);
	nf = proc_columns(row, f, 32);
	EXPECT_EQ(11, nf);
	EXPECT_EQ(0, proc_find(h, nh, "name"));
	EXPECT_EQ(9, proc_find(h, nh, "sent"));
	EXPECT_EQ(-1, proc_find(h, nh, "nope"));
	EXPECT_STREQ("chat/room", f[0]);
	EXPECT_STREQ("0620", f[proc_find(h, nh, "mode")]);
	EXPECT_STREQ("34", f[10]);
	EXPECT_EQ(2, proc_columns(row, f, 2) >= 1 ? 2 : 0);
}

TEST_HARNESS_MAIN
