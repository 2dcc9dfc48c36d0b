// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * NetBIOS datagrams carrying mailslot writes: see nbdgm.h.
 *
 * Layout of every packet handled here (byte offsets; big-endian in the
 * NetBIOS part, little-endian in the SMB part):
 *
 *   0  MSG_TYPE  1  FLAGS  2  DGM_ID  4  SOURCE_IP  8  SOURCE_PORT
 *  10  DGM_LENGTH (bytes from 14 to the end)  12  PACKET_OFFSET
 *  14  SOURCE_NAME, then DESTINATION_NAME: each a length byte 32, the 16
 *      name bytes as 32 letters 'A'..'P' (a nibble each, high first), then
 *      scope labels, then a zero byte (34 bytes without a scope)
 *   S  the SMB: 32-byte header (0xFF 'S' 'M' 'B', command 0x25, status,
 *      flags, flags2, ...), word count 17, 14 parameter words, 3 setup
 *      words, byte count, then the transaction name and the data at
 *      S + DataOffset.
 */
#include <string.h>

#include "nbdgm.h"

#define SMB_COM_TRANSACTION	0x25
#define SMB_FLAGS_REPLY		0x80
#define SMB_FLAGS2_UNICODE	0x8000
#define MAILSLOT_PREFIX		"\\MAILSLOT\\"
#define MAILSLOT_PREFIX_LEN	(sizeof(MAILSLOT_PREFIX) - 1)
/* An encoded name: the length byte, 32 letters, the empty label. */
#define NB_ENCODED_LEN		34
#define NB_ENCODED_MAX		255

/* Parameter words of the transaction request, by index. */
enum {
	W_TOTAL_PARAMS = 0, W_TOTAL_DATA = 1, W_MAX_PARAMS = 2, W_MAX_DATA = 3,
	W_MAX_SETUP = 4, W_FLAGS = 5, W_TIMEOUT = 6, W_RESERVED2 = 8,
	W_PARAMS = 9, W_PARAM_OFF = 10, W_DATA = 11, W_DATA_OFF = 12,
	W_SETUP_COUNT = 13, W_OPCODE = 14, W_PRIORITY = 15, W_CLASS = 16,
};

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static int prefix_ok(const char *name)
{
	size_t i;

	for (i = 0; i < MAILSLOT_PREFIX_LEN; i++) {
		char c = name[i];

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c != MAILSLOT_PREFIX[i])
			return 0;
	}
	return 1;
}

/* A transaction name: \MAILSLOT\ and at least one more printable byte. */
static int trans_name_ok(const char *name, size_t len)
{
	size_t i;

	if (len <= MAILSLOT_PREFIX_LEN || len > NBDGM_TRANS_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] > 0x7e)
			return 0;
	return prefix_ok(name);
}

/*
 * Decode the encoded name at p[*off], not past @end, into @out; skip its
 * scope.  Returns NBDGM_OK and advances *off past the name.
 */
static enum nbdgm_error name_decode(const uint8_t *p, size_t end,
				    size_t *off, uint8_t out[NBDGM_NAME_LEN])
{
	size_t o = *off, start = *off;
	int i;

	if (end - o < 1 + 32)
		return NBDGM_E_TRUNCATED;
	if (p[o] != 32)		/* also refuses compression pointers (0xC0) */
		return NBDGM_E_NAME;
	o++;
	for (i = 0; i < NBDGM_NAME_LEN; i++) {
		uint8_t hi = p[o + 2 * i], lo = p[o + 2 * i + 1];

		if (hi < 'A' || hi > 'P' || lo < 'A' || lo > 'P')
			return NBDGM_E_NAME;
		out[i] = (uint8_t)((hi - 'A') << 4 | (lo - 'A'));
	}
	o += 32;
	for (;;) {
		uint8_t l;

		if (o >= end)
			return NBDGM_E_TRUNCATED;
		l = p[o++];
		if (!l)
			break;
		if (l > 63)
			return NBDGM_E_NAME;
		if (end - o < l)
			return NBDGM_E_TRUNCATED;
		o += l;
		if (o - start > NB_ENCODED_MAX)
			return NBDGM_E_NAME;
	}
	if (o - start > NB_ENCODED_MAX)
		return NBDGM_E_NAME;
	*off = o;
	return NBDGM_OK;
}

static void name_encode(uint8_t *p, const uint8_t name[NBDGM_NAME_LEN])
{
	int i;

	p[0] = 32;
	for (i = 0; i < NBDGM_NAME_LEN; i++) {
		p[1 + 2 * i] = (uint8_t)('A' + (name[i] >> 4));
		p[2 + 2 * i] = (uint8_t)('A' + (name[i] & 0xf));
	}
	p[33] = 0;
}

static enum nbdgm_error smb_parse(const uint8_t *s, size_t len,
				  struct nbdgm_write *w)
{
	const uint8_t *words = s + NBDGM_SMB_HDR_LEN + 1;
	size_t bytes_off = NBDGM_TRANS_NAME_OFF, name_len;
	const uint8_t *nul;
	uint16_t bcc, data_off, data_count;

	if (len < 4 || s[0] != 0xff || s[1] != 'S' || s[2] != 'M' || s[3] != 'B')
		return NBDGM_E_NOT_SMB;
	if (len < NBDGM_SMB_HDR_LEN + 1)
		return NBDGM_E_TRUNCATED;
	if (s[4] != SMB_COM_TRANSACTION)
		return NBDGM_E_COMMAND;
	if (s[5] || s[6] || s[7] || s[8] || (s[9] & SMB_FLAGS_REPLY) ||
	    (get_le16(s + 10) & SMB_FLAGS2_UNICODE))
		return NBDGM_E_SMB_FLAGS;
	if (s[NBDGM_SMB_HDR_LEN] != NBDGM_TRANS_WORDS)
		return NBDGM_E_WORDS;
	if (len < bytes_off)
		return NBDGM_E_TRUNCATED;
	if ((words[2 * W_SETUP_COUNT]) != 3)
		return NBDGM_E_WORDS;
	if (get_le16(words + 2 * W_TOTAL_PARAMS) ||
	    get_le16(words + 2 * W_PARAMS))
		return NBDGM_E_PARAMS;
	data_count = get_le16(words + 2 * W_DATA);
	if (get_le16(words + 2 * W_TOTAL_DATA) != data_count)
		return NBDGM_E_COUNTS;
	bcc = get_le16(s + bytes_off - 2);
	if (bcc > len - bytes_off)
		return NBDGM_E_TRUNCATED;
	if (bcc < len - bytes_off)
		return NBDGM_E_LENGTH;
	if (get_le16(words + 2 * W_OPCODE) != NBDGM_MAILSLOT_WRITE)
		return NBDGM_E_OPCODE;
	if (get_le16(words + 2 * W_CLASS) != NBDGM_CLASS_UNRELIABLE)
		return NBDGM_E_CLASS;

	nul = memchr(s + bytes_off, 0, bcc);
	if (!nul)
		return NBDGM_E_TRANS_NAME;
	name_len = (size_t)(nul - (s + bytes_off));
	if (!trans_name_ok((const char *)s + bytes_off, name_len))
		return NBDGM_E_TRANS_NAME;

	data_off = get_le16(words + 2 * W_DATA_OFF);
	if (data_off < bytes_off + name_len + 1 || data_off > len ||
	    data_count > len - data_off)
		return NBDGM_E_OFFSET;

	memcpy(w->trans_name, s + bytes_off, name_len);
	w->trans_name[name_len] = '\0';
	w->priority = get_le16(words + 2 * W_PRIORITY);
	w->class = NBDGM_CLASS_UNRELIABLE;
	w->data = s + data_off;
	w->size = data_count;
	return NBDGM_OK;
}

enum nbdgm_error nbdgm_parse(const void *pkt, size_t len,
			     struct nbdgm_write *w)
{
	const uint8_t *p = pkt;
	size_t off = NBDGM_HDR_LEN;
	enum nbdgm_error e;

	if (len > NBDGM_PACKET_MAX)
		return NBDGM_E_OVERSIZE;
	if (len < 1)
		return NBDGM_E_TRUNCATED;
	if (p[0] != NBDGM_DIRECT_UNIQUE && p[0] != NBDGM_DIRECT_GROUP &&
	    p[0] != NBDGM_BROADCAST)
		return NBDGM_E_TYPE;
	if (len < NBDGM_HDR_LEN)
		return NBDGM_E_TRUNCATED;
	if (!(p[1] & NBDGM_FLAG_FIRST) || (p[1] & NBDGM_FLAG_MORE) ||
	    get_be16(p + 12))
		return NBDGM_E_FRAGMENT;
	if (p[1] & 0xf0)
		return NBDGM_E_FRAGMENT;
	if (get_be16(p + 10) != len - NBDGM_HDR_LEN)
		return get_be16(p + 10) > len - NBDGM_HDR_LEN ?
		       NBDGM_E_TRUNCATED : NBDGM_E_LENGTH;

	memset(w, 0, sizeof(*w));
	w->type = p[0];
	w->flags = p[1];
	w->id = get_be16(p + 2);
	memcpy(&w->src_ip, p + 4, 4);
	w->src_port = get_be16(p + 8);
	e = name_decode(p, len, &off, w->src_name);
	if (e)
		return e;
	e = name_decode(p, len, &off, w->dst_name);
	if (e)
		return e;
	return smb_parse(p + off, len - off, w);
}

size_t nbdgm_packet_size(size_t trans_name_len, size_t size)
{
	return NBDGM_HDR_LEN + 2 * NB_ENCODED_LEN + NBDGM_TRANS_NAME_OFF +
	       trans_name_len + 1 + size;
}

enum nbdgm_error nbdgm_build(const struct nbdgm_write *w, void *buf,
			     size_t cap, size_t *len)
{
	size_t name_len = strnlen(w->trans_name, sizeof(w->trans_name));
	size_t total, smb_len, data_off;
	uint8_t *p = buf, *s, *words;

	if (w->type != NBDGM_DIRECT_UNIQUE && w->type != NBDGM_DIRECT_GROUP &&
	    w->type != NBDGM_BROADCAST)
		return NBDGM_E_BUILD;
	if (!trans_name_ok(w->trans_name, name_len))
		return NBDGM_E_BUILD;
	if (w->size && !w->data)
		return NBDGM_E_BUILD;
	if (w->size > NBDGM_PACKET_MAX)
		return NBDGM_E_BUILD;
	total = nbdgm_packet_size(name_len, w->size);
	if (total > NBDGM_PACKET_MAX || total > cap)
		return NBDGM_E_BUILD;
	data_off = NBDGM_TRANS_NAME_OFF + name_len + 1;
	smb_len = data_off + w->size;

	memset(p, 0, total);
	p[0] = w->type;
	p[1] = (uint8_t)((w->flags & ~NBDGM_FLAG_MORE & 0x0f) | NBDGM_FLAG_FIRST);
	put_be16(p + 2, w->id);
	memcpy(p + 4, &w->src_ip, 4);
	put_be16(p + 8, w->src_port);
	put_be16(p + 10, (uint16_t)(total - NBDGM_HDR_LEN));
	put_be16(p + 12, 0);
	name_encode(p + NBDGM_HDR_LEN, w->src_name);
	name_encode(p + NBDGM_HDR_LEN + NB_ENCODED_LEN, w->dst_name);

	s = p + NBDGM_HDR_LEN + 2 * NB_ENCODED_LEN;
	s[0] = 0xff;
	s[1] = 'S';
	s[2] = 'M';
	s[3] = 'B';
	s[4] = SMB_COM_TRANSACTION;
	s[NBDGM_SMB_HDR_LEN] = NBDGM_TRANS_WORDS;
	words = s + NBDGM_SMB_HDR_LEN + 1;
	put_le16(words + 2 * W_TOTAL_DATA, (uint16_t)w->size);
	put_le16(words + 2 * W_DATA, (uint16_t)w->size);
	put_le16(words + 2 * W_DATA_OFF, (uint16_t)data_off);
	words[2 * W_SETUP_COUNT] = 3;
	put_le16(words + 2 * W_OPCODE, NBDGM_MAILSLOT_WRITE);
	put_le16(words + 2 * W_PRIORITY, w->priority);
	put_le16(words + 2 * W_CLASS, NBDGM_CLASS_UNRELIABLE);
	put_le16(s + NBDGM_TRANS_NAME_OFF - 2,
		 (uint16_t)(smb_len - NBDGM_TRANS_NAME_OFF));
	memcpy(s + NBDGM_TRANS_NAME_OFF, w->trans_name, name_len + 1);
	/* the prefix in capitals, as Windows sends it and dissectors expect */
	memcpy(s + NBDGM_TRANS_NAME_OFF, MAILSLOT_PREFIX, MAILSLOT_PREFIX_LEN);
	if (w->size)
		memcpy(s + data_off, w->data, w->size);
	*len = total;
	return NBDGM_OK;
}

int nbdgm_name_make(uint8_t out[NBDGM_NAME_LEN], const char *name,
		    uint8_t suffix)
{
	size_t i, n = strlen(name);

	if (!n || n > NBDGM_NAME_LEN - 1)
		return -1;
	for (i = 0; i < NBDGM_NAME_LEN - 1; i++) {
		char c = i < n ? name[i] : ' ';

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		out[i] = (uint8_t)c;
	}
	out[NBDGM_NAME_LEN - 1] = suffix;
	return 0;
}

uint8_t nbdgm_name_text(const uint8_t name[NBDGM_NAME_LEN], char *out)
{
	int n = NBDGM_NAME_LEN - 1;

	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\0'))
		n--;
	memcpy(out, name, (size_t)n);
	out[n] = '\0';
	return name[NBDGM_NAME_LEN - 1];
}

const char *nbdgm_strerror(enum nbdgm_error e)
{
	static const char *const names[NBDGM_E_COUNT] = {
		[NBDGM_OK] = "ok",
		[NBDGM_E_TRUNCATED] = "truncated",
		[NBDGM_E_OVERSIZE] = "oversize",
		[NBDGM_E_TYPE] = "type",
		[NBDGM_E_FRAGMENT] = "fragment",
		[NBDGM_E_LENGTH] = "length",
		[NBDGM_E_NAME] = "netbios-name",
		[NBDGM_E_NOT_SMB] = "not-smb",
		[NBDGM_E_COMMAND] = "smb-command",
		[NBDGM_E_SMB_FLAGS] = "smb-flags",
		[NBDGM_E_WORDS] = "word-count",
		[NBDGM_E_PARAMS] = "parameters",
		[NBDGM_E_COUNTS] = "data-count",
		[NBDGM_E_OFFSET] = "data-offset",
		[NBDGM_E_TRANS_NAME] = "trans-name",
		[NBDGM_E_OPCODE] = "opcode",
		[NBDGM_E_CLASS] = "class",
		[NBDGM_E_BUILD] = "build",
	};

	if ((unsigned int)e >= NBDGM_E_COUNT || !names[e])
		return "unknown";
	return names[e];
}
