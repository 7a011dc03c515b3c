/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ttraceroute's pure parts: what an answer to a probe means for the trace
 * and how traceroute(8) writes it.  Free of I/O so that
 * tests/ttraceroute_test.c can check them; packets are parsed with
 * tping.h's helpers, since a probe is an echo request.
 */
#ifndef _TEACH_TOOLS_TTRACEROUTE_H
#define _TEACH_TOOLS_TTRACEROUTE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tping.h"

#define TTR_MAX_QUERIES		10	/* per hop, as traceroute(8) */
#define TTR_NOTE_LEN		16

enum ttr_verdict {
	TTR_IGNORE,		/* not an answer that tells us anything */
	TTR_HOP,		/* time exceeded: a router on the way */
	TTR_REACHED,		/* the destination answered */
	TTR_FINAL,		/* unreachable: the trace cannot go further */
};

/* One probe of a hop, as it is printed. */
struct ttr_probe {
	int answered;		/* 0: timed out, printed as '*' */
	uint32_t addr;		/* who answered, network order */
	long long us;		/* round trip */
	char note[TTR_NOTE_LEN]; /* "!H", "!F-576", ... or "" */
};

/*
 * What an answer matched to a probe (tping_parse() said TPING_REPLY or
 * TPING_ERROR) means, with traceroute's annotation in note.  The codes are
 * traceroute's for ICMP: a port unreachable is the destination answering.
 */
static inline int ttr_classify(const struct tping_pkt *pkt, char *note,
			       size_t len)
{
	if (len)
		note[0] = '\0';
	if (pkt->kind == TPING_REPLY)
		return TTR_REACHED;
	if (pkt->kind != TPING_ERROR)
		return TTR_IGNORE;
	if (pkt->type == TEACH_CTRL_TIME_EXCEEDED)
		return TTR_HOP;
	if (pkt->type != TEACH_CTRL_UNREACH)
		return TTR_IGNORE;
	switch (pkt->code) {
	case TEACH_UNREACH_NET:
		snprintf(note, len, "!N");
		break;
	case TEACH_UNREACH_HOST:
		snprintf(note, len, "!H");
		break;
	case TEACH_UNREACH_PROTO:
		snprintf(note, len, "!P");
		break;
	case TEACH_UNREACH_PORT:
		return TTR_REACHED;
	case TEACH_UNREACH_FRAG:
		if (pkt->info & 0xffff)
			snprintf(note, len, "!F-%u", pkt->info & 0xffff);
		else
			snprintf(note, len, "!F");
		break;
	case TEACH_UNREACH_ADMIN:
		snprintf(note, len, "!X");
		break;
	default:
		snprintf(note, len, "!<%u>", pkt->code);
		break;
	}
	return TTR_FINAL;
}

/*
 * The text of probe i of a hop, as traceroute -n prints it after the hop
 * number: " *" for a timeout; otherwise the address (only when it differs
 * from the last probe of this hop that was answered, or none was), the
 * round trip with three decimals, and the note.  Returns what snprintf
 * does.
 */
static inline int ttr_format_probe(char *buf, size_t len,
				   const struct ttr_probe *hop, unsigned int i)
{
	const struct ttr_probe *p = &hop[i];
	char addr[TEACH_ADDRSTRLEN] = "";
	struct teach_addr a = { .s_addr = p->addr };
	int show_addr = 1;
	unsigned int j;

	if (!p->answered)
		return snprintf(buf, len, " *");
	for (j = i; j-- > 0;) {
		if (hop[j].answered) {
			show_addr = hop[j].addr != p->addr;
			break;
		}
	}
	if (show_addr)
		teach_ntop(a, addr, sizeof(addr));
	return snprintf(buf, len, "%s%s  %lld.%03lld ms%s%s",
			show_addr ? " " : "", addr, p->us / 1000, p->us % 1000,
			p->note[0] ? " " : "", p->note);
}

#endif /* _TEACH_TOOLS_TTRACEROUTE_H */
