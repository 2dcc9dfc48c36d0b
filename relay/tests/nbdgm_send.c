// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Sends the tshark decode test's packets (tests/tshark_decode.sh), built by
 * nbdgm_build(), to ADDRESS:PORT over UDP:
 *   1. DIRECT_UNIQUE  \MAILSLOT\TEST\ONE   priority 0  "hello"
 *   2. DIRECT_GROUP   \MAILSLOT\APP\NEWS   priority 1  "group message"
 *   3. BROADCAST      \MAILSLOT\BCAST      priority 2  424 bytes 0x00..0xff...
 *   4. DIRECT_UNIQUE  \mailslot\lower      priority 0  "x" (the prefix is
 *      sent in capitals)
 * Not an empty write: Wireshark 4.0 does not hand a transaction without
 * data to its mailslot dissector, so it would show no opcode or class.
 *
 *   nbdgm_send ADDRESS PORT
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../nbdgm.h"

int main(int argc, char **argv)
{
	static const struct {
		uint8_t type;
		const char *name;
		uint16_t priority;
		const char *data;
		size_t size;
	} msgs[] = {
		{ NBDGM_DIRECT_UNIQUE, "\\MAILSLOT\\TEST\\ONE", 0, "hello", 5 },
		{ NBDGM_DIRECT_GROUP, "\\MAILSLOT\\APP\\NEWS", 1, "group message", 13 },
		{ NBDGM_BROADCAST, "\\MAILSLOT\\BCAST", 2, NULL, 424 },
		{ NBDGM_DIRECT_UNIQUE, "\\mailslot\\lower", 0, "x", 1 },
	};
	uint8_t pkt[2048], big[424];
	struct sockaddr_in to = { .sin_family = AF_INET };
	size_t i, len;
	int fd;

	if (argc != 3 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "usage: nbdgm_send ADDRESS PORT\n");
		return 2;
	}
	to.sin_port = htons((uint16_t)atoi(argv[2]));
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		struct nbdgm_write w = { 0 };

		w.type = msgs[i].type;
		w.flags = 2 << NBDGM_SNT_SHIFT;	/* M node, as Samba sends */
		w.id = (uint16_t)(0x100 + i);
		w.src_ip = to.sin_addr.s_addr;
		w.src_port = NBDGM_PORT;
		nbdgm_name_make(w.src_name, "SENDER", 0x00);
		nbdgm_name_make(w.dst_name, i == 2 ? "WORKGROUP" : "RECEIVER",
				i == 2 ? 0x1d : 0x00);
		strcpy(w.trans_name, msgs[i].name);
		w.priority = msgs[i].priority;
		w.data = msgs[i].data ? (const uint8_t *)msgs[i].data : big;
		w.size = msgs[i].size;
		if (nbdgm_build(&w, pkt, sizeof(pkt), &len) != NBDGM_OK) {
			fprintf(stderr, "packet %zu does not build\n", i);
			return 1;
		}
		if (sendto(fd, pkt, len, 0, (struct sockaddr *)&to,
			   sizeof(to)) != (ssize_t)len) {
			perror("sendto");
			return 1;
		}
	}
	close(fd);
	return 0;
}
