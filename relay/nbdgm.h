/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The wire format of a remote mailslot write: a NetBIOS datagram (RFC 1002
 * section 4.4.1: DIRECT_UNIQUE, DIRECT_GROUP or BROADCAST) whose user data
 * is an SMB_COM_TRANSACTION request ([MS-MAIL] 2.2.1, [MS-CIFS] 2.2.4.33)
 * on the transaction name "\MAILSLOT\...", setup words opcode 1 (write),
 * priority, class 2 (unreliable, second class).
 *
 * Only whole datagrams are handled: the first and only fragment (FIRST set,
 * MORE clear, PACKET_OFFSET 0) with the whole transaction in it.  Every
 * length, count and offset is checked against the packet and against the
 * others; anything else is refused with a reason (enum nbdgm_error).
 *
 * Pure functions on byte buffers: no allocation, no I/O, no global state.
 */
#ifndef MAILSLOT_NBDGM_H
#define MAILSLOT_NBDGM_H

#include <stddef.h>
#include <stdint.h>

/* RFC 1002 4.4.1 MSG_TYPE values this code builds and accepts. */
#define NBDGM_DIRECT_UNIQUE	0x10
#define NBDGM_DIRECT_GROUP	0x11
#define NBDGM_BROADCAST		0x12

/* FLAGS: 0 0 0 0 SNT SNT F M */
#define NBDGM_FLAG_MORE		0x01
#define NBDGM_FLAG_FIRST	0x02
#define NBDGM_SNT_SHIFT		2	/* source node type: 0 B, 1 P, 2 M, 3 NBDD */

/* The NetBIOS datagram port. */
#define NBDGM_PORT		138

/* A NetBIOS name: 15 bytes (space padded) and the suffix byte. */
#define NBDGM_NAME_LEN		16

/* Longest transaction name, "\MAILSLOT\" included, without the NUL. */
#define NBDGM_TRANS_NAME_MAX	255

/*
 * Largest datagram handled: the largest UDP payload over IPv4.  The SMB
 * counts are 16 bits, which bounds the payload further (NBDGM_DATA_MAX).
 */
#define NBDGM_PACKET_MAX	65507

/*
 * Largest payload of a broadcast (\\*\mailslot\NAME) write, as Windows
 * limits it.  A unicast write may carry up to NBDGM_DATA_MAX less the
 * name, limited by NBDGM_PACKET_MAX.
 */
#define NBDGM_BROADCAST_DATA_MAX	424

/* Mailslot setup words ([MS-MAIL] 2.2.1). */
#define NBDGM_MAILSLOT_WRITE	1	/* opcode */
#define NBDGM_CLASS_UNRELIABLE	2	/* second-class, datagram */

/* Fixed sizes on the wire. */
#define NBDGM_HDR_LEN		14	/* up to and with PACKET_OFFSET */
#define NBDGM_SMB_HDR_LEN	32
#define NBDGM_TRANS_WORDS	17	/* 14 parameter words + 3 setup words */
/* From the SMB header to the transaction name. */
#define NBDGM_TRANS_NAME_OFF	(NBDGM_SMB_HDR_LEN + 1 + 2 * NBDGM_TRANS_WORDS + 2)

enum nbdgm_error {
	NBDGM_OK = 0,
	NBDGM_E_TRUNCATED,	/* shorter than its headers say */
	NBDGM_E_OVERSIZE,	/* longer than NBDGM_PACKET_MAX */
	NBDGM_E_TYPE,		/* not a unique/group/broadcast datagram */
	NBDGM_E_FRAGMENT,	/* not the first and only fragment */
	NBDGM_E_LENGTH,		/* DGM_LENGTH disagrees with the packet */
	NBDGM_E_NAME,		/* a NetBIOS name badly encoded */
	NBDGM_E_NOT_SMB,	/* user data is not an SMB */
	NBDGM_E_COMMAND,	/* SMB command is not TRANSACTION */
	NBDGM_E_SMB_FLAGS,	/* a reply, Unicode or an error status */
	NBDGM_E_WORDS,		/* word count is not 17 or setup count not 3 */
	NBDGM_E_PARAMS,		/* carries parameter bytes */
	NBDGM_E_COUNTS,		/* data counts disagree (a partial transaction) */
	NBDGM_E_OFFSET,		/* data outside the SMB or before the name */
	NBDGM_E_TRANS_NAME,	/* transaction name not \MAILSLOT\..., unterminated */
	NBDGM_E_OPCODE,		/* not a mailslot write */
	NBDGM_E_CLASS,		/* not class 2 */
	NBDGM_E_BUILD,		/* nbdgm_build(): bad argument or no room */
	NBDGM_E_COUNT		/* number of codes */
};

/**
 * struct nbdgm_write - one mailslot write, decoded or to be built
 * @type:	NBDGM_DIRECT_UNIQUE, NBDGM_DIRECT_GROUP or NBDGM_BROADCAST.
 * @flags:	the datagram's FLAGS byte (the source node type; FIRST is
 *		set and MORE clear in every accepted or built packet).
 * @id:		DGM_ID.
 * @src_ip:	SOURCE_IP as on the wire (network byte order).
 * @src_port:	SOURCE_PORT.
 * @src_name:	the source NetBIOS name, decoded: 15 bytes and the suffix.
 * @dst_name:	the destination NetBIOS name, likewise.
 * @trans_name:	the transaction name, "\MAILSLOT\..." as sent,
 *		NUL-terminated.
 * @priority:	the priority setup word.
 * @class:	the class setup word (NBDGM_CLASS_UNRELIABLE).
 * @data:	the payload: into the parsed packet, or the caller's bytes.
 * @size:	payload bytes.
 *
 * NetBIOS scope identifiers are accepted and skipped when parsing and not
 * built (the empty scope).
 */
struct nbdgm_write {
	uint8_t type;
	uint8_t flags;
	uint16_t id;
	uint32_t src_ip;
	uint16_t src_port;
	uint8_t src_name[NBDGM_NAME_LEN];
	uint8_t dst_name[NBDGM_NAME_LEN];
	char trans_name[NBDGM_TRANS_NAME_MAX + 1];
	uint16_t priority;
	uint16_t class;
	const uint8_t *data;
	size_t size;
};

/*
 * Decode @len bytes at @pkt into *@w (w->data points into @pkt).  Returns
 * NBDGM_OK or the first reason the packet is refused; *@w is then
 * unspecified.
 */
enum nbdgm_error nbdgm_parse(const void *pkt, size_t len,
			     struct nbdgm_write *w);

/*
 * Encode *@w into @buf of @cap bytes; *@len gets the packet's length.
 * FLAGS is w->flags with FIRST set and MORE clear; the transaction name's
 * prefix is sent as "\MAILSLOT\" whatever its case in w->trans_name.
 * NBDGM_E_BUILD when a field is out of range (type, transaction name,
 * size) or @cap too small.
 */
enum nbdgm_error nbdgm_build(const struct nbdgm_write *w, void *buf,
			     size_t cap, size_t *len);

/* Size of the packet nbdgm_build() makes for this name and payload size. */
size_t nbdgm_packet_size(size_t trans_name_len, size_t size);

/*
 * A NetBIOS name from @name (at most 15 bytes, upper-cased, padded with
 * spaces) and @suffix.  Returns 0, or -1 when @name is too long or empty.
 */
int nbdgm_name_make(uint8_t out[NBDGM_NAME_LEN], const char *name,
		    uint8_t suffix);

/*
 * The name's first 15 bytes without the padding, NUL-terminated, into
 * @out (at least 16 bytes); returns the suffix.
 */
uint8_t nbdgm_name_text(const uint8_t name[NBDGM_NAME_LEN], char *out);

/*
 * A stable one-word name of @e, as counters and logs show it ("ok",
 * "truncated", "oversize", ...); "unknown" outside the enum.
 */
const char *nbdgm_strerror(enum nbdgm_error e);

#endif /* MAILSLOT_NBDGM_H */
