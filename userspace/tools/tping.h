/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tping's packet and arithmetic helpers: building an echo request, making
 * sense of what a raw control socket receives, round-trip statistics.
 * Header-only and free of I/O so that tests/tping_test.c can use them.
 */
#ifndef _TEACH_TOOLS_TPING_H
#define _TEACH_TOOLS_TPING_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "libteach.h"

#define TPING_CTRL_HLEN		((size_t)sizeof(struct teach_ctrlhdr))
/* The most data one echo request can carry: 65535 - 20 - 8. */
#define TPING_MAX_DATA		(TEACH_MAXPACKET - TEACH_HLEN - TPING_CTRL_HLEN)
/* The payload starts with the send time when there is room for it. */
#define TPING_STAMP_LEN		((size_t)sizeof(struct timespec))

enum tping_kind {
	TPING_OTHER,		/* not ours, or not an answer */
	TPING_REPLY,		/* an echo reply with our id */
	TPING_ERROR,		/* an error quoting one of our requests */
};

struct tping_pkt {
	int kind;		/* enum tping_kind */
	uint8_t ttl;		/* of the packet that arrived */
	uint8_t type, code;	/* of the control message */
	uint16_t seq;		/* the request's */
	uint32_t info;		/* an error's second word (mtu, pointer) */
	uint32_t saddr;		/* network header source, network order */
	int csum_ok;
	const uint8_t *data;	/* an echo reply's payload */
	size_t data_len;
	size_t ctrl_len;	/* control header and payload */
};

/*
 * Write an echo request with datalen bytes of payload into buf (room for
 * TPING_CTRL_HLEN + datalen): the timestamp, if it fits, then the byte
 * pattern i & 0xff at offset i, as ping(8) does.  Returns its length.
 */
static inline size_t tping_build_echo(void *buf, size_t datalen, uint16_t id,
				      uint16_t seq, const struct timespec *ts)
{
	struct teach_ctrlhdr *h = buf;
	uint8_t *data = (uint8_t *)buf + TPING_CTRL_HLEN;
	size_t i = 0;

	memset(h, 0, sizeof(*h));
	h->type = TEACH_CTRL_ECHO_REQUEST;
	h->un.echo.id = htons(id);
	h->un.echo.seq = htons(seq);
	if (datalen >= TPING_STAMP_LEN) {
		memcpy(data, ts, TPING_STAMP_LEN);
		i = TPING_STAMP_LEN;
	}
	for (; i < datalen; i++)
		data[i] = (uint8_t)i;
	h->check = teach_csum(buf, TPING_CTRL_HLEN + datalen);
	return TPING_CTRL_HLEN + datalen;
}

/* Offset of the first payload byte that is not the pattern, or -1. */
static inline long tping_check_data(const uint8_t *data, size_t len)
{
	size_t i = len >= TPING_STAMP_LEN ? TPING_STAMP_LEN : 0;

	for (; i < len; i++)
		if (data[i] != (uint8_t)i)
			return (long)i;
	return -1;
}

/* Length of a network header at p, or 0 when it is not a valid one. */
static inline size_t tping_hlen(const uint8_t *p, size_t len)
{
	size_t hlen;

	if (len < TEACH_HLEN || p[0] >> 4 != TEACH_VERSION)
		return 0;
	hlen = (size_t)(p[0] & 0x0f) * 4;
	if (hlen < TEACH_HLEN || hlen > len)
		return 0;
	return hlen;
}

/*
 * Classify a packet read from the raw control socket (network header
 * included).  Echo replies match on the id; errors match on the id of the
 * request they quote (its network header and first 8 bytes).
 */
static inline void tping_parse(const void *buf, size_t len, uint16_t id,
			       struct tping_pkt *pkt)
{
	const uint8_t *p = buf;
	const struct teachhdr *iph = buf;
	const struct teach_ctrlhdr *h, *qh;
	const struct teachhdr *qiph;
	size_t hlen, qhlen;

	memset(pkt, 0, sizeof(*pkt));
	hlen = tping_hlen(p, len);
	if (!hlen || iph->protocol != TEACHPROTO_CTRL ||
	    len - hlen < TPING_CTRL_HLEN)
		return;
	h = (const struct teach_ctrlhdr *)(p + hlen);
	pkt->ttl = iph->ttl;
	pkt->saddr = iph->saddr;
	pkt->type = h->type;
	pkt->code = h->code;
	pkt->ctrl_len = len - hlen;
	pkt->csum_ok = teach_csum(h, pkt->ctrl_len) == 0;

	switch (h->type) {
	case TEACH_CTRL_ECHO_REPLY:
		if (ntohs(h->un.echo.id) != id)
			return;
		pkt->kind = TPING_REPLY;
		pkt->seq = ntohs(h->un.echo.seq);
		pkt->data = (const uint8_t *)(h + 1);
		pkt->data_len = pkt->ctrl_len - TPING_CTRL_HLEN;
		return;
	case TEACH_CTRL_UNREACH:
	case TEACH_CTRL_TIME_EXCEEDED:
	case TEACH_CTRL_PARAM_PROBLEM:
		break;
	default:
		return;
	}
	/* The quoted request: its network header, then 8 bytes of it. */
	qiph = (const struct teachhdr *)(h + 1);
	qhlen = tping_hlen((const uint8_t *)qiph,
			   pkt->ctrl_len - TPING_CTRL_HLEN);
	if (!qhlen || qiph->protocol != TEACHPROTO_CTRL ||
	    pkt->ctrl_len - TPING_CTRL_HLEN - qhlen < TPING_CTRL_HLEN)
		return;
	qh = (const struct teach_ctrlhdr *)((const uint8_t *)qiph + qhlen);
	if (qh->type != TEACH_CTRL_ECHO_REQUEST || ntohs(qh->un.echo.id) != id)
		return;
	pkt->kind = TPING_ERROR;
	pkt->seq = ntohs(qh->un.echo.seq);
	pkt->info = ntohl(h->un.unused);
}

/* What an error says, in ping(8)'s words. */
static inline void tping_error_text(const struct tping_pkt *pkt, char *buf,
				    size_t len)
{
	switch (pkt->type) {
	case TEACH_CTRL_UNREACH:
		switch (pkt->code) {
		case TEACH_UNREACH_NET:
			snprintf(buf, len, "Destination Net Unreachable");
			return;
		case TEACH_UNREACH_HOST:
			snprintf(buf, len, "Destination Host Unreachable");
			return;
		case TEACH_UNREACH_PROTO:
			snprintf(buf, len, "Destination Protocol Unreachable");
			return;
		case TEACH_UNREACH_PORT:
			snprintf(buf, len, "Destination Port Unreachable");
			return;
		case TEACH_UNREACH_FRAG:
			snprintf(buf, len, "Frag needed and DF set (mtu = %u)",
				 pkt->info & 0xffff);
			return;
		case TEACH_UNREACH_ADMIN:
			snprintf(buf, len, "Communication administratively prohibited");
			return;
		}
		snprintf(buf, len, "Dest Unreachable, Bad Code: %u", pkt->code);
		return;
	case TEACH_CTRL_TIME_EXCEEDED:
		if (pkt->code == TEACH_TIMX_TTL)
			snprintf(buf, len, "Time to live exceeded");
		else if (pkt->code == TEACH_TIMX_REASM)
			snprintf(buf, len, "Frag reassembly time exceeded");
		else
			snprintf(buf, len, "Time exceeded, Bad Code: %u",
				 pkt->code);
		return;
	case TEACH_CTRL_PARAM_PROBLEM:
		snprintf(buf, len, "Parameter problem: pointer = %u",
			 pkt->info >> 24);
		return;
	}
	snprintf(buf, len, "Bad control message type: %u", pkt->type);
}

/* -M as ping(8) spells it: the TEACH_PMTUDISC_* value, or -1. */
static inline int tping_pmtudisc_parse(const char *text)
{
	if (!strcmp(text, "do"))
		return TEACH_PMTUDISC_DO;
	if (!strcmp(text, "want"))
		return TEACH_PMTUDISC_WANT;
	if (!strcmp(text, "dont"))
		return TEACH_PMTUDISC_DONT;
	return -1;
}

/* Round trips in microseconds, summed in integers as ping(8) does. */
struct tping_rtt {
	long long n, min, max, sum, sum2;
};

static inline void tping_rtt_add(struct tping_rtt *r, long long us)
{
	if (!r->n || us < r->min)
		r->min = us;
	if (!r->n || us > r->max)
		r->max = us;
	r->n++;
	r->sum += us;
	r->sum2 += us * us;
}

/* Integer square root (Newton), so the tests need no libm. */
static inline long long tping_llsqrt(long long a)
{
	long long prev = -1, x = a;

	if (a <= 0)
		return 0;
	while (x != prev && x > 0) {
		prev = x;
		x = (x + a / x) / 2;
		if (x > prev)
			return prev;
	}
	return x;
}

static inline long long tping_rtt_avg(const struct tping_rtt *r)
{
	return r->n ? r->sum / r->n : 0;
}

/* Mean deviation as ping(8) reports it: sqrt(E[x^2] - E[x]^2). */
static inline long long tping_rtt_mdev(const struct tping_rtt *r)
{
	long long avg;

	if (!r->n)
		return 0;
	avg = r->sum / r->n;
	return tping_llsqrt(r->sum2 / r->n - avg * avg);
}

/* A round trip in ms with ping(8)'s precision: 0.042, 1.23, 12.3, 123. */
static inline void tping_format_ms(char *buf, size_t len, long long us)
{
	if (us >= 100000 - 50)
		snprintf(buf, len, "%lld", (us + 500) / 1000);
	else if (us >= 10000 - 5)
		snprintf(buf, len, "%lld.%01lld", (us + 50) / 1000,
			 ((us + 50) % 1000) / 100);
	else if (us >= 1000)
		snprintf(buf, len, "%lld.%02lld", (us + 5) / 1000,
			 ((us + 5) % 1000) / 10);
	else
		snprintf(buf, len, "%lld.%03lld", us / 1000, us % 1000);
}

#endif /* _TEACH_TOOLS_TPING_H */
