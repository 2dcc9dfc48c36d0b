// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Unit tests of the wire format (relay/nbdgm.c): a golden packet written
 * out byte by byte from RFC 1002 and [MS-MAIL], round trips of every
 * datagram type, and one refused packet per reason code.
 */
#include <arpa/inet.h>
#include <string.h>

#include "../nbdgm.h"
#include "check.h"

static uint8_t pkt[NBDGM_PACKET_MAX + 16];

static void golden(void)
{
	/*
	 * BROADCAST from "WS1"<00> to "WORKGROUP"<00>, 10.0.0.1:138, id
	 * 0x1234, B node, "\MAILSLOT\A" carrying "hi", priority 1.
	 */
	static const uint8_t want_hdr[] = {
		0x12, 0x02, 0x12, 0x34, 10, 0, 0, 1, 0x00, 0x8a,
		0x00, 68 + 69 + 12 + 2, 0x00, 0x00,
	};
	static const char src_enc[] = "FHFDDBCACACACACACACACACACACACAAA";
	static const char dst_enc[] = "FHEPFCELEHFCEPFFFACACACACACACAAA";
	struct nbdgm_write w = { 0 }, r;
	const uint8_t *s;
	size_t len = 0;

	w.type = NBDGM_BROADCAST;
	w.id = 0x1234;
	w.src_ip = htonl(0x0a000001);
	w.src_port = 138;
	CHECK_EQ(nbdgm_name_make(w.src_name, "ws1", 0x00), 0);
	CHECK_EQ(nbdgm_name_make(w.dst_name, "WORKGROUP", 0x00), 0);
	strcpy(w.trans_name, "\\MAILSLOT\\A");
	w.priority = 1;
	w.data = (const uint8_t *)"hi";
	w.size = 2;
	CHECK_EQ(nbdgm_build(&w, pkt, sizeof(pkt), &len), NBDGM_OK);
	CHECK_EQ(len, 14 + 68 + 69 + 12 + 2);
	CHECK_EQ(len, nbdgm_packet_size(11, 2));
	CHECK(!memcmp(pkt, want_hdr, sizeof(want_hdr)));
	CHECK_EQ(pkt[14], 32);
	CHECK(!memcmp(pkt + 15, src_enc, 32));
	CHECK_EQ(pkt[47], 0);
	CHECK_EQ(pkt[48], 32);
	CHECK(!memcmp(pkt + 49, dst_enc, 32));
	CHECK_EQ(pkt[81], 0);
	s = pkt + 82;
	CHECK(!memcmp(s, "\xffSMB\x25\0\0\0\0\0\0\0", 12));
	CHECK_EQ(s[32], 17);		/* word count */
	CHECK_EQ(s[33 + 2], 2);		/* TotalDataCount */
	CHECK_EQ(s[33 + 22], 2);	/* DataCount */
	CHECK_EQ(s[33 + 24], 70 + 11);	/* DataOffset, as Samba and Windows */
	CHECK_EQ(s[33 + 26], 3);	/* SetupCount */
	CHECK_EQ(s[33 + 28], 1);	/* opcode: write */
	CHECK_EQ(s[33 + 30], 1);	/* priority */
	CHECK_EQ(s[33 + 32], 2);	/* class 2 */
	CHECK_EQ(s[67], 12 + 2);	/* byte count */
	CHECK(!memcmp(s + 69, "\\MAILSLOT\\A\0hi", 14));

	CHECK_EQ(nbdgm_parse(pkt, len, &r), NBDGM_OK);
	CHECK_EQ(r.type, NBDGM_BROADCAST);
	CHECK_EQ(r.id, 0x1234);
	CHECK_EQ(r.src_ip, htonl(0x0a000001));
	CHECK_EQ(r.src_port, 138);
	CHECK(!memcmp(r.src_name, "WS1            \0", 16));
	CHECK(!strcmp(r.trans_name, "\\MAILSLOT\\A"));
	CHECK_EQ(r.size, 2);
	CHECK(r.data == pkt + len - 2);
	CHECK_EQ(r.priority, 1);
	CHECK_EQ(r.class, 2);
}

static size_t make(uint8_t type, const char *name, size_t size)
{
	static uint8_t data[NBDGM_PACKET_MAX];
	struct nbdgm_write w = { 0 };
	size_t len = 0, i;

	for (i = 0; i < size; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	w.type = type;
	w.flags = 2 << NBDGM_SNT_SHIFT;
	w.id = 7;
	w.src_port = 138;
	nbdgm_name_make(w.src_name, "HOST", 0x00);
	nbdgm_name_make(w.dst_name, "DEST", 0x03);
	strcpy(w.trans_name, name);
	w.data = data;
	w.size = size;
	if (nbdgm_build(&w, pkt, sizeof(pkt), &len) != NBDGM_OK)
		return 0;
	return len;
}

static void round_trips(void)
{
	static const uint8_t types[] = {
		NBDGM_DIRECT_UNIQUE, NBDGM_DIRECT_GROUP, NBDGM_BROADCAST,
	};
	static const size_t sizes[] = { 0, 1, 424, 1000, 65000 };
	size_t t, i, len, k;
	struct nbdgm_write r;

	for (t = 0; t < sizeof(types); t++) {
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			len = make(types[t], "\\MAILSLOT\\App\\News", sizes[i]);
			CHECK(len > 0);
			CHECK_EQ(nbdgm_parse(pkt, len, &r), NBDGM_OK);
			CHECK_EQ(r.type, types[t]);
			CHECK_EQ(r.flags, (2 << NBDGM_SNT_SHIFT) | NBDGM_FLAG_FIRST);
			CHECK_EQ(r.size, sizes[i]);
			CHECK(!strcmp(r.trans_name, "\\MAILSLOT\\App\\News"));
			CHECK_EQ(r.dst_name[15], 0x03);
			for (k = 0; k < r.size; k++)
				if (r.data[k] != (uint8_t)(k * 7 + 3))
					break;
			CHECK_EQ(k, r.size);
		}
	}
	/* The largest packet builds; one more byte does not. */
	len = nbdgm_packet_size(11, 0);
	CHECK(make(NBDGM_DIRECT_UNIQUE, "\\MAILSLOT\\A",
		   NBDGM_PACKET_MAX - len) == NBDGM_PACKET_MAX);
	CHECK_EQ(make(NBDGM_DIRECT_UNIQUE, "\\MAILSLOT\\A",
		      NBDGM_PACKET_MAX - len + 1), 0);
}

static void build_refusals(void)
{
	struct nbdgm_write w = { 0 };
	char longname[300];
	size_t len;

	w.type = NBDGM_DIRECT_UNIQUE;
	strcpy(w.trans_name, "\\MAILSLOT\\A");
	CHECK_EQ(nbdgm_build(&w, pkt, nbdgm_packet_size(11, 0) - 1, &len),
		 NBDGM_E_BUILD);
	CHECK_EQ(nbdgm_build(&w, pkt, nbdgm_packet_size(11, 0), &len), NBDGM_OK);
	w.type = 0x13;
	CHECK_EQ(nbdgm_build(&w, pkt, sizeof(pkt), &len), NBDGM_E_BUILD);
	w.type = NBDGM_BROADCAST;
	strcpy(w.trans_name, "\\PIPE\\A");
	CHECK_EQ(nbdgm_build(&w, pkt, sizeof(pkt), &len), NBDGM_E_BUILD);
	strcpy(w.trans_name, "\\MAILSLOT\\");
	CHECK_EQ(nbdgm_build(&w, pkt, sizeof(pkt), &len), NBDGM_E_BUILD);
	memset(longname, 'x', sizeof(longname));
	memcpy(longname, "\\MAILSLOT\\", 10);
	memcpy(w.trans_name, longname, NBDGM_TRANS_NAME_MAX);
	w.trans_name[NBDGM_TRANS_NAME_MAX] = '\0';
	CHECK_EQ(nbdgm_build(&w, pkt, sizeof(pkt), &len), NBDGM_OK);
	strcpy(w.trans_name, "\\mailslot\\a");
	CHECK_EQ(nbdgm_build(&w, pkt, sizeof(pkt), &len), NBDGM_OK);
	CHECK(!memcmp(pkt + 82 + 69, "\\MAILSLOT\\a", 12));
	strcpy(w.trans_name, "\\mailslot\\a\tb");
	CHECK_EQ(nbdgm_build(&w, pkt, sizeof(pkt), &len), NBDGM_E_BUILD);

	CHECK_EQ(nbdgm_name_make(w.src_name, "", 0), -1);
	CHECK_EQ(nbdgm_name_make(w.src_name, "SIXTEENCHARSXXXX", 0), -1);
	CHECK_EQ(nbdgm_name_make(w.src_name, "FIFTEENCHARSXXX", 0x20), 0);
}

/* Build the reference packet and return its length. */
static size_t ref(void)
{
	return make(NBDGM_DIRECT_GROUP, "\\MAILSLOT\\A", 4);
}

#define SMB	82	/* the SMB header in a packet without a scope */
#define WORDS	(SMB + 33)

static enum nbdgm_error parse_len(size_t len)
{
	struct nbdgm_write r;

	return nbdgm_parse(pkt, len, &r);
}

static void put16le(size_t off, unsigned int v)
{
	pkt[off] = v & 0xff;
	pkt[off + 1] = (v >> 8) & 0xff;
}

static void refusals(void)
{
	size_t len = ref(), i;
	struct nbdgm_write r;
	int all_refused = 1;

	CHECK_EQ(len, 14 + 68 + 69 + 12 + 4);
	CHECK_EQ(parse_len(len), NBDGM_OK);
	/* every proper prefix is refused */
	for (i = 0; i < len; i++)
		if (parse_len(i) == NBDGM_OK)
			all_refused = 0;
	CHECK(all_refused);
	CHECK_EQ(parse_len(0), NBDGM_E_TRUNCATED);
	CHECK_EQ(parse_len(13), NBDGM_E_TRUNCATED);
	CHECK_EQ(parse_len(len - 1), NBDGM_E_TRUNCATED);
	CHECK_EQ(nbdgm_parse(pkt, NBDGM_PACKET_MAX + 1, &r), NBDGM_E_OVERSIZE);

	/* a trailing byte that DGM_LENGTH does not count */
	len = ref();
	pkt[len] = 0;
	CHECK_EQ(parse_len(len + 1), NBDGM_E_LENGTH);
	/* DGM_LENGTH and the byte count both counting it: data left over */
	pkt[11]++;
	put16le(SMB + 67, 12 + 4 + 1);
	CHECK_EQ(parse_len(len + 1), NBDGM_OK);

	static const uint8_t bad_types[] = { 0x00, 0x13, 0x14, 0x15, 0x16, 0xff };

	for (i = 0; i < sizeof(bad_types); i++) {
		len = ref();
		pkt[0] = bad_types[i];
		CHECK_EQ(parse_len(len), NBDGM_E_TYPE);
	}
	len = ref();
	pkt[1] &= ~NBDGM_FLAG_FIRST;
	CHECK_EQ(parse_len(len), NBDGM_E_FRAGMENT);
	len = ref();
	pkt[1] |= NBDGM_FLAG_MORE;
	CHECK_EQ(parse_len(len), NBDGM_E_FRAGMENT);
	len = ref();
	pkt[13] = 1;
	CHECK_EQ(parse_len(len), NBDGM_E_FRAGMENT);
	len = ref();
	pkt[1] |= 0x10;
	CHECK_EQ(parse_len(len), NBDGM_E_FRAGMENT);
	len = ref();
	pkt[11]--;
	CHECK_EQ(parse_len(len), NBDGM_E_LENGTH);
	len = ref();
	pkt[11]++;
	CHECK_EQ(parse_len(len), NBDGM_E_TRUNCATED);

	len = ref();
	pkt[14] = 0xc0;		/* a compression pointer */
	CHECK_EQ(parse_len(len), NBDGM_E_NAME);
	len = ref();
	pkt[20] = 'Q';
	CHECK_EQ(parse_len(len), NBDGM_E_NAME);
	len = ref();
	pkt[48 + 32] = 'a';
	CHECK_EQ(parse_len(len), NBDGM_E_NAME);
	len = ref();
	pkt[81] = 64;		/* a scope label longer than 63 */
	CHECK_EQ(parse_len(len), NBDGM_E_NAME);

	len = ref();
	pkt[SMB] = 0xfe;	/* SMB2 magic */
	CHECK_EQ(parse_len(len), NBDGM_E_NOT_SMB);
	len = ref();
	pkt[SMB + 4] = 0x32;	/* TRANSACTION2 */
	CHECK_EQ(parse_len(len), NBDGM_E_COMMAND);
	len = ref();
	pkt[SMB + 9] = 0x80;	/* a reply */
	CHECK_EQ(parse_len(len), NBDGM_E_SMB_FLAGS);
	len = ref();
	pkt[SMB + 11] = 0x80;	/* Unicode */
	CHECK_EQ(parse_len(len), NBDGM_E_SMB_FLAGS);
	len = ref();
	pkt[SMB + 5] = 1;	/* an error status */
	CHECK_EQ(parse_len(len), NBDGM_E_SMB_FLAGS);
	len = ref();
	pkt[SMB + 32] = 16;
	CHECK_EQ(parse_len(len), NBDGM_E_WORDS);
	len = ref();
	pkt[WORDS + 26] = 2;	/* setup count */
	CHECK_EQ(parse_len(len), NBDGM_E_WORDS);
	len = ref();
	put16le(WORDS + 0, 1);	/* TotalParameterCount */
	CHECK_EQ(parse_len(len), NBDGM_E_PARAMS);
	len = ref();
	put16le(WORDS + 18, 1);	/* ParameterCount */
	CHECK_EQ(parse_len(len), NBDGM_E_PARAMS);
	len = ref();
	put16le(WORDS + 2, 5);	/* TotalDataCount > DataCount: partial */
	CHECK_EQ(parse_len(len), NBDGM_E_COUNTS);
	len = ref();
	put16le(SMB + 67, 12 + 4 + 1);
	CHECK_EQ(parse_len(len), NBDGM_E_TRUNCATED);
	len = ref();
	put16le(SMB + 67, 12 + 4 - 1);
	CHECK_EQ(parse_len(len), NBDGM_E_LENGTH);
	len = ref();
	put16le(WORDS + 24, 70 + 11 - 1);	/* data overlaps the name */
	CHECK_EQ(parse_len(len), NBDGM_E_OFFSET);
	len = ref();
	put16le(WORDS + 24, 70 + 11 + 1);	/* data runs past the end */
	CHECK_EQ(parse_len(len), NBDGM_E_OFFSET);
	len = ref();
	put16le(WORDS + 2, 5);
	put16le(WORDS + 22, 5);
	CHECK_EQ(parse_len(len), NBDGM_E_OFFSET);
	len = ref();
	put16le(WORDS + 24, 0xffff);
	CHECK_EQ(parse_len(len), NBDGM_E_OFFSET);
	len = ref();
	memcpy(pkt + SMB + 69, "\\MAILSPOT\\", 10);
	CHECK_EQ(parse_len(len), NBDGM_E_TRANS_NAME);
	len = ref();
	memset(pkt + SMB + 69, 'x', 12 + 4);	/* no NUL in the byte area */
	CHECK_EQ(parse_len(len), NBDGM_E_TRANS_NAME);
	len = ref();
	pkt[SMB + 69 + 10] = '\0';		/* "\MAILSLOT\" alone */
	CHECK_EQ(parse_len(len), NBDGM_E_TRANS_NAME);
	len = ref();
	pkt[SMB + 69 + 10] = '\n';
	CHECK_EQ(parse_len(len), NBDGM_E_TRANS_NAME);
	len = ref();
	put16le(WORDS + 28, 2);	/* opcode 2 */
	CHECK_EQ(parse_len(len), NBDGM_E_OPCODE);
	len = ref();
	put16le(WORDS + 32, 1);	/* class 1: first class, never a datagram */
	CHECK_EQ(parse_len(len), NBDGM_E_CLASS);

	/* Lower case prefix and a scope are accepted. */
	len = ref();
	memcpy(pkt + SMB + 69, "\\mailslot\\", 10);
	CHECK_EQ(nbdgm_parse(pkt, len, &r), NBDGM_OK);
	CHECK(!strcmp(r.trans_name, "\\mailslot\\A"));

	for (i = 0; i < NBDGM_E_COUNT; i++)
		CHECK(strcmp(nbdgm_strerror((enum nbdgm_error)i), "unknown"));
	CHECK(!strcmp(nbdgm_strerror(NBDGM_E_COUNT), "unknown"));
}

static void scope(void)
{
	/* A packet with the scope "CORP.EXAMPLE" on both names. */
	static uint8_t buf[512];
	struct nbdgm_write r;
	size_t len = ref(), o = 0;
	static const uint8_t sc[] = {
		4, 'C', 'O', 'R', 'P', 7, 'E', 'X', 'A', 'M', 'P', 'L', 'E',
	};
	size_t extra = sizeof(sc);

	memcpy(buf, pkt, 14 + 33);
	o = 14 + 33;
	memcpy(buf + o, sc, extra);
	o += extra;
	memcpy(buf + o, pkt + 14 + 33, 1 + 33);
	o += 34;
	memcpy(buf + o, sc, extra);
	o += extra;
	memcpy(buf + o, pkt + 14 + 67, len - (14 + 67));
	o += len - (14 + 67);
	buf[10] = (uint8_t)((o - 14) >> 8);
	buf[11] = (uint8_t)(o - 14);
	CHECK_EQ(nbdgm_parse(buf, o, &r), NBDGM_OK);
	CHECK_EQ(r.size, 4);
	CHECK(!memcmp(r.src_name, "HOST", 4));
	CHECK(!memcmp(r.dst_name, "DEST           \3", 16));
}

static void name_text(void)
{
	uint8_t n[16];
	char t[16];

	nbdgm_name_make(n, "pc-7", 0x1d);
	CHECK_EQ(nbdgm_name_text(n, t), 0x1d);
	CHECK(!strcmp(t, "PC-7"));
	nbdgm_name_make(n, "ABCDEFGHIJKLMNO", 0);
	CHECK_EQ(nbdgm_name_text(n, t), 0);
	CHECK(!strcmp(t, "ABCDEFGHIJKLMNO"));
}

int main(void)
{
	golden();
	round_trips();
	build_refusals();
	refusals();
	scope();
	name_text();
	return check_report("nbdgm_test");
}
