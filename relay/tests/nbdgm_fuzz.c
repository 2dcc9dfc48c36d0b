// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Mutation fuzzing of nbdgm_parse(): valid packets of every type and size
 * class, mutated (bit flips, byte and 16-bit field overwrites at the
 * offsets that matter, truncation, extension, splices), then parsed.
 * Build it with -fsanitize=address,undefined to catch any out-of-bounds
 * read.  Each mutated packet lives in a buffer of exactly its size on the
 * heap, so that a read one byte past it is caught.
 *
 * Checked for every packet that parses: the payload lies inside the packet,
 * the transaction name is \MAILSLOT\-prefixed printable text, and building
 * the decoded write again gives a packet that parses to the same write.
 *
 *   nbdgm_fuzz [ITERATIONS [SECONDS [SEED]]]   (default 200000, 20 s, 1)
 *
 * Prints the count per reason code; exits 1 on a violated invariant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../nbdgm.h"

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

#define NSEEDS 6
static uint8_t seeds[NSEEDS][2048];
static size_t seed_len[NSEEDS];

static void make_seeds(void)
{
	static const uint8_t types[] = {
		NBDGM_DIRECT_UNIQUE, NBDGM_DIRECT_GROUP, NBDGM_BROADCAST,
	};
	static const char *const names[] = {
		"\\MAILSLOT\\A", "\\MAILSLOT\\APP\\NEWS", "\\mailslot\\browse",
	};
	static const size_t sizes[] = { 0, 5, 424, 1, 100, 1500 };
	uint8_t data[1500];
	int i;

	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = (uint8_t)i;
	for (i = 0; i < NSEEDS; i++) {
		struct nbdgm_write w = { 0 };

		w.type = types[i % 3];
		w.flags = (uint8_t)((i & 3) << NBDGM_SNT_SHIFT);
		w.id = (uint16_t)i;
		w.src_ip = 0x0100007f;
		w.src_port = 138;
		nbdgm_name_make(w.src_name, "FUZZ", 0);
		nbdgm_name_make(w.dst_name, "WORKGROUP", 0x1d);
		strcpy(w.trans_name, names[i % 3]);
		w.data = data;
		w.size = sizes[i];
		if (nbdgm_build(&w, seeds[i], sizeof(seeds[i]), &seed_len[i])) {
			fprintf(stderr, "seed %d does not build\n", i);
			exit(2);
		}
	}
}

/* Offsets where a change is most likely to reach a new check. */
static const size_t hot[] = {
	0, 1, 10, 11, 12, 13, 14, 47, 48, 81,
	82, 86, 91, 92, 93, 114, 115, 117, 133, 135, 137, 139, 141, 143,
	145, 147, 149, 151, 149, 150,
};

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
	int n = 1 + (int)(rnd() % 4), i;

	for (i = 0; i < n; i++) {
		size_t at = len ? rnd() % len : 0;

		switch (rnd() % 9) {
		case 0:
			if (len)
				buf[at] ^= (uint8_t)(1u << (rnd() % 8));
			break;
		case 1:
			if (len)
				buf[at] = (uint8_t)rnd();
			break;
		case 2: {
			size_t h = hot[rnd() % (sizeof(hot) / sizeof(hot[0]))];

			if (h < len)
				buf[h] = (uint8_t)rnd();
			break;
		}
		case 3: {
			size_t h = hot[rnd() % (sizeof(hot) / sizeof(hot[0]))];
			static const uint16_t vals[] = {
				0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0x7fff,
				0x8000, 0xfffe, 0xffff,
			};
			uint16_t v = vals[rnd() % (sizeof(vals) / sizeof(vals[0]))];

			if (h + 1 < len) {
				buf[h] = (uint8_t)v;
				buf[h + 1] = (uint8_t)(v >> 8);
			}
			break;
		}
		case 4:
			len = len ? rnd() % len : 0;
			break;
		case 5: {
			size_t add = 1 + rnd() % 64;

			if (len + add <= cap) {
				size_t k;

				for (k = 0; k < add; k++)
					buf[len + k] = (uint8_t)rnd();
				len += add;
			}
			break;
		}
		case 6:
			/* keep DGM_LENGTH consistent with the new length */
			if (len >= 14) {
				buf[10] = (uint8_t)((len - 14) >> 8);
				buf[11] = (uint8_t)(len - 14);
			}
			break;
		case 7: {
			/* splice a piece of another seed */
			int s = (int)(rnd() % NSEEDS);
			size_t from = rnd() % seed_len[s];
			size_t cnt = rnd() % (seed_len[s] - from + 1);

			if (at + cnt <= cap) {
				memcpy(buf + at, seeds[s] + from, cnt);
				if (at + cnt > len)
					len = at + cnt;
			}
			break;
		}
		default:
			/* a length field set to the length that is there */
			if (len > 82 + 69) {
				size_t bc = len - 82 - 69;

				buf[82 + 67] = (uint8_t)bc;
				buf[82 + 68] = (uint8_t)(bc >> 8);
			}
			break;
		}
	}
	return len;
}

static int check_parsed(const uint8_t *pkt, size_t len,
			const struct nbdgm_write *w)
{
	static uint8_t again[NBDGM_PACKET_MAX];
	struct nbdgm_write w2;
	size_t len2;
	size_t nl = strlen(w->trans_name);

	if (w->data < pkt || w->data + w->size > pkt + len)
		return 1;
	if (nl <= 10 || nl > NBDGM_TRANS_NAME_MAX)
		return 2;
	if (nbdgm_build(w, again, sizeof(again), &len2) != NBDGM_OK)
		return 3;
	if (nbdgm_parse(again, len2, &w2) != NBDGM_OK)
		return 4;
	if (w2.type != w->type || w2.size != w->size ||
	    strcmp(w2.trans_name + 10, w->trans_name + 10) ||
	    memcmp(w2.trans_name, "\\MAILSLOT\\", 10) ||
	    memcmp(w2.src_name, w->src_name, 16) ||
	    memcmp(w2.dst_name, w->dst_name, 16) ||
	    w2.priority != w->priority || w2.id != w->id ||
	    w2.src_ip != w->src_ip || w2.src_port != w->src_port ||
	    (w->size && memcmp(w2.data, w->data, w->size)))
		return 5;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	double secs = argc > 2 ? strtod(argv[2], NULL) : 20.0;
	unsigned long long seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 1;
	unsigned long counts[NBDGM_E_COUNT + 1] = { 0 }, done = 0, i;
	static uint8_t work[4096];
	struct timespec t0, t;
	int bad = 0;

	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	make_seeds();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < iters; i++) {
		int s = (int)(rnd() % NSEEDS);
		size_t len;
		uint8_t *exact;
		struct nbdgm_write w;
		enum nbdgm_error e;

		memcpy(work, seeds[s], seed_len[s]);
		len = mutate(work, seed_len[s], sizeof(work));
		exact = malloc(len ? len : 1);
		if (!exact)
			return 2;
		memcpy(exact, work, len);
		e = nbdgm_parse(exact, len, &w);
		counts[e < NBDGM_E_COUNT ? e : NBDGM_E_COUNT]++;
		if (e == NBDGM_OK) {
			int why = check_parsed(exact, len, &w);

			if (why) {
				fprintf(stderr, "iteration %lu: invariant %d\n",
					i, why);
				bad = 1;
			}
		}
		free(exact);
		done++;
		if (!(i & 1023)) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((double)(t.tv_sec - t0.tv_sec) +
			    (t.tv_nsec - t0.tv_nsec) / 1e9 > secs)
				break;
		}
	}
	printf("nbdgm_fuzz: %lu packets (seed %llu)\n", done, seed);
	for (i = 0; i <= NBDGM_E_COUNT; i++)
		if (counts[i])
			printf("  %-14s %lu\n",
			       nbdgm_strerror((enum nbdgm_error)i), counts[i]);
	if (counts[NBDGM_E_COUNT]) {
		fprintf(stderr, "a reason code out of range\n");
		bad = 1;
	}
	return bad;
}
