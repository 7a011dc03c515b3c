/* SPDX-License-Identifier: GPL-2.0 */
/*
 * teach-ripd's distance-vector logic: the wire format of its messages and
 * the routing table with RIP's rules (RFC 2453 sections 3.4 to 3.10),
 * adapted to AF_TEACH.  Header-only and free of I/O and of clocks (every
 * function that needs the time is given "now" in milliseconds) so that
 * tests/rip_table_test.c can drive it; the daemon is tools/teach-ripd.c,
 * the wire format is documented byte by byte in Documentation/ripd.rst.
 *
 * Addresses are kept in host byte order inside the table, and converted at
 * the edges (the wire, netlink).
 */
#ifndef _TEACH_TOOLS_RIP_TABLE_H
#define _TEACH_TOOLS_RIP_TABLE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

/* ---- wire format ---- */

#define RIP_PORT		520
#define RIP_VERSION		2
#define RIP_CMD_REQUEST		1
#define RIP_CMD_RESPONSE	2
#define RIP_AFI_TEACH		12	/* AF_TEACH_DEFAULT: a teach address */
#define RIP_INFINITY		16
#define RIP_HDR_LEN		4
#define RIP_ENTRY_LEN		20
#define RIP_MAX_ENTRIES		25
#define RIP_MAX_MSG		(RIP_HDR_LEN + RIP_MAX_ENTRIES * RIP_ENTRY_LEN)

struct rip_hdr {
	uint8_t command;		/* RIP_CMD_* */
	uint8_t version;		/* RIP_VERSION */
	uint16_t zero;			/* must be zero */
} __attribute__((packed));

struct rip_wire_entry {
	uint16_t afi;			/* RIP_AFI_TEACH; 0 in a whole-table request */
	uint16_t tag;			/* route tag, carried along */
	uint32_t addr;			/* network order */
	uint32_t mask;			/* network order, contiguous */
	uint32_t nexthop;		/* network order, 0: the sender */
	uint32_t metric;		/* network order, 1..16 */
} __attribute__((packed));

_Static_assert(sizeof(struct rip_hdr) == RIP_HDR_LEN, "rip_hdr");
_Static_assert(sizeof(struct rip_wire_entry) == RIP_ENTRY_LEN, "rip entry");

/* What a received message amounts to, in host order. */
struct rip_entry {
	uint16_t afi, tag;
	uint32_t dst, nexthop, metric;
	uint8_t plen;
};

/* Counters of what was received (the daemon prints them by these names). */
enum rip_counter {
	RIP_IN_MESSAGES,	/* every datagram read */
	RIP_IN_RESPONSES,	/* valid responses processed */
	RIP_IN_REQUESTS,	/* valid requests answered */
	RIP_IN_BAD_LENGTH,	/* short, too long, not header + n * 20 */
	RIP_IN_BAD_VERSION,	/* version is not 2 */
	RIP_IN_BAD_COMMAND,	/* neither request nor response */
	RIP_IN_BAD_ZERO,	/* the must-be-zero field is not */
	RIP_IN_BAD_ENTRIES,	/* bad family, prefix or address (entry dropped) */
	RIP_IN_BAD_METRIC,	/* metric 0 or above 16 (entry dropped) */
	RIP_IN_BAD_PORT,	/* a response not from the RIP port */
	RIP_IN_NOT_NEIGHBOUR,	/* the sender is not on a connected prefix */
	RIP_IN_OWN,		/* our own broadcast, heard back */
	RIP_OUT_UPDATES,	/* regular updates sent (one per interface) */
	RIP_OUT_TRIGGERED,	/* triggered updates sent */
	RIP_OUT_RESPONSES,	/* answers to requests */
	RIP_ROUTE_CHANGES,	/* routes added, changed or timed out */
	RIP_KERNEL_ERRORS,	/* netlink requests that failed */
	__RIP_COUNTER_MAX
};

static const char *const rip_counter_names[__RIP_COUNTER_MAX] = {
	[RIP_IN_MESSAGES]	= "InMessages",
	[RIP_IN_RESPONSES]	= "InResponses",
	[RIP_IN_REQUESTS]	= "InRequests",
	[RIP_IN_BAD_LENGTH]	= "InBadLength",
	[RIP_IN_BAD_VERSION]	= "InBadVersion",
	[RIP_IN_BAD_COMMAND]	= "InBadCommand",
	[RIP_IN_BAD_ZERO]	= "InBadZero",
	[RIP_IN_BAD_ENTRIES]	= "InBadEntries",
	[RIP_IN_BAD_METRIC]	= "InBadMetric",
	[RIP_IN_BAD_PORT]	= "InBadPort",
	[RIP_IN_NOT_NEIGHBOUR]	= "InNotNeighbour",
	[RIP_IN_OWN]		= "InOwn",
	[RIP_OUT_UPDATES]	= "OutUpdates",
	[RIP_OUT_TRIGGERED]	= "OutTriggered",
	[RIP_OUT_RESPONSES]	= "OutResponses",
	[RIP_ROUTE_CHANGES]	= "RouteChanges",
	[RIP_KERNEL_ERRORS]	= "KernelErrors",
};

static inline uint32_t rip_mask(unsigned int plen)
{
	return plen ? ~0U << (32 - plen) : 0;
}

/* The prefix length of a contiguous mask (host order), or -1. */
static inline int rip_mask_plen(uint32_t mask)
{
	unsigned int plen = 0;

	while (plen < 32 && (mask & (1U << (31 - plen))))
		plen++;
	return mask == rip_mask(plen) ? (int)plen : -1;
}

/* A destination RIP may carry: not loopback, not the limited broadcast. */
static inline int rip_dst_ok(uint32_t dst, unsigned int plen)
{
	if (dst & ~rip_mask(plen))
		return 0;		/* host bits beyond the prefix */
	if ((dst >> 24) == 127)
		return 0;		/* loopback */
	if (dst == 0xffffffffU)
		return 0;		/* limited broadcast */
	if (!dst && plen)
		return 0;		/* 0.0.0.0 is only the default route */
	return 1;
}

/*
 * Check a received message and decode its entries into out[] (room for
 * RIP_MAX_ENTRIES).  Returns the command, with *n set to the number of good
 * entries, or -1 when the whole message is dropped; either way the counters
 * say why something was dropped.  A bad entry is dropped alone, as RFC 2453
 * section 3.9.2 says; a bad header or length drops the message.
 */
static inline int rip_parse(const void *buf, size_t len, struct rip_entry *out,
			    size_t *n, uint64_t *counters)
{
	const uint8_t *p = buf;
	struct rip_hdr h;
	size_t i, count;

	*n = 0;
	counters[RIP_IN_MESSAGES]++;
	if (len < RIP_HDR_LEN + RIP_ENTRY_LEN || len > RIP_MAX_MSG ||
	    (len - RIP_HDR_LEN) % RIP_ENTRY_LEN) {
		counters[RIP_IN_BAD_LENGTH]++;
		return -1;
	}
	memcpy(&h, p, sizeof(h));
	if (h.version != RIP_VERSION) {
		counters[RIP_IN_BAD_VERSION]++;
		return -1;
	}
	if (h.command != RIP_CMD_REQUEST && h.command != RIP_CMD_RESPONSE) {
		counters[RIP_IN_BAD_COMMAND]++;
		return -1;
	}
	if (h.zero) {
		counters[RIP_IN_BAD_ZERO]++;
		return -1;
	}
	count = (len - RIP_HDR_LEN) / RIP_ENTRY_LEN;
	for (i = 0; i < count; i++) {
		struct rip_wire_entry w;
		struct rip_entry e;
		int plen;

		memcpy(&w, p + RIP_HDR_LEN + i * RIP_ENTRY_LEN, sizeof(w));
		e.afi = ntohs(w.afi);
		e.tag = ntohs(w.tag);
		e.dst = ntohl(w.addr);
		e.nexthop = ntohl(w.nexthop);
		e.metric = ntohl(w.metric);
		plen = rip_mask_plen(ntohl(w.mask));
		e.plen = plen < 0 ? 0 : (uint8_t)plen;
		/* The whole-table request: one entry, family 0, metric 16. */
		if (h.command == RIP_CMD_REQUEST && count == 1 && e.afi == 0 &&
		    e.metric == RIP_INFINITY) {
			out[(*n)++] = e;
			continue;
		}
		if (e.metric < 1 || e.metric > RIP_INFINITY) {
			counters[RIP_IN_BAD_METRIC]++;
			continue;
		}
		if (e.afi != RIP_AFI_TEACH || plen < 0 ||
		    !rip_dst_ok(e.dst, e.plen)) {
			counters[RIP_IN_BAD_ENTRIES]++;
			continue;
		}
		out[(*n)++] = e;
	}
	return h.command;
}

/* Encode a message of n entries (n <= RIP_MAX_ENTRIES); returns its length. */
static inline size_t rip_build(void *buf, int command,
			       const struct rip_entry *e, size_t n)
{
	uint8_t *p = buf;
	struct rip_hdr h = { .command = (uint8_t)command, .version = RIP_VERSION };
	size_t i;

	memcpy(p, &h, sizeof(h));
	for (i = 0; i < n; i++) {
		struct rip_wire_entry w = {
			.afi = htons(e[i].afi),
			.tag = htons(e[i].tag),
			.addr = htonl(e[i].dst),
			.mask = htonl(rip_mask(e[i].plen)),
			.nexthop = htonl(e[i].nexthop),
			.metric = htonl(e[i].metric),
		};

		memcpy(p + RIP_HDR_LEN + i * RIP_ENTRY_LEN, &w, sizeof(w));
	}
	return RIP_HDR_LEN + n * RIP_ENTRY_LEN;
}

/* ---- the table ---- */

enum rip_split_horizon {
	RIP_SH_POISON,		/* split horizon with poisoned reverse (default) */
	RIP_SH_SIMPLE,		/* split horizon: leave the route out */
	RIP_SH_NONE,		/* advertise everything everywhere */
};

struct rip_route {
	uint32_t dst;		/* host order */
	uint8_t plen;
	uint8_t connected;	/* one of our own prefixes */
	uint8_t changed;	/* to go in the next triggered update */
	uint8_t seen;		/* connected: still there at the last scan */
	uint8_t logged;		/* the daemon said what changed */
	uint16_t tag;
	uint32_t metric;	/* 1..16 */
	uint32_t gateway;	/* next hop, host order; 0 for connected */
	uint32_t from;		/* the neighbour that told us */
	int ifindex;
	uint64_t expires;	/* ms: the timeout, while metric < 16 */
	uint64_t gc;		/* ms: garbage collection, once metric is 16 */
	/* What the daemon installed in the kernel for it (kernel_metric 0: none). */
	uint32_t kernel_metric, kernel_gateway;
	int kernel_ifindex;
	uint32_t kernel_refused;	/* the kernel refused it at this metric */
};

struct rip_table {
	struct rip_route *r;	/* sorted by (dst, plen) */
	size_t n, cap;
	uint64_t timeout_ms;	/* 180 s in RFC 2453 */
	uint64_t gc_ms;		/* 120 s */
	int triggered;		/* a change waits for a triggered update */
};

static inline void rip_table_init(struct rip_table *t, uint64_t timeout_ms,
				  uint64_t gc_ms)
{
	memset(t, 0, sizeof(*t));
	t->timeout_ms = timeout_ms;
	t->gc_ms = gc_ms;
}

static inline void rip_table_free(struct rip_table *t)
{
	free(t->r);
	t->r = NULL;
	t->n = t->cap = 0;
}

static inline int rip_cmp(uint32_t dst, uint8_t plen, const struct rip_route *r)
{
	if (dst != r->dst)
		return dst < r->dst ? -1 : 1;
	return plen == r->plen ? 0 : plen < r->plen ? -1 : 1;
}

/* The index where (dst, plen) is or would go; *found says which. */
static inline size_t rip_table_pos(const struct rip_table *t, uint32_t dst,
				   uint8_t plen, int *found)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = rip_cmp(dst, plen, &t->r[mid]);

		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = 0;
	return lo;
}

static inline struct rip_route *rip_table_find(struct rip_table *t,
					       uint32_t dst, uint8_t plen)
{
	int found;
	size_t i = rip_table_pos(t, dst, plen, &found);

	return found ? &t->r[i] : NULL;
}

/* A new, zeroed route for (dst, plen); NULL when out of memory. */
static inline struct rip_route *rip_table_insert(struct rip_table *t,
						 uint32_t dst, uint8_t plen)
{
	int found;
	size_t i = rip_table_pos(t, dst, plen, &found);

	if (found)
		return &t->r[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct rip_route *r = realloc(t->r, cap * sizeof(*r));

		if (!r)
			return NULL;
		t->r = r;
		t->cap = cap;
	}
	memmove(&t->r[i + 1], &t->r[i], (t->n - i) * sizeof(*t->r));
	t->n++;
	memset(&t->r[i], 0, sizeof(*t->r));
	t->r[i].dst = dst;
	t->r[i].plen = plen;
	return &t->r[i];
}

static inline void rip_route_changed(struct rip_table *t, struct rip_route *r)
{
	r->changed = 1;
	r->logged = 0;
	t->triggered = 1;
}

/* Start deleting a route (RFC 2453 3.8): metric 16, garbage-collection timer. */
static inline void rip_route_poison(struct rip_table *t, struct rip_route *r,
				    uint64_t now)
{
	if (r->metric == RIP_INFINITY && r->gc)
		return;
	r->metric = RIP_INFINITY;
	r->expires = 0;
	r->gc = now + t->gc_ms;
	rip_route_changed(t, r);
}

/*
 * One of our prefixes, on ifindex: it is in the table with metric 1 (the
 * cost of the network) and beats whatever was learned for it.  Returns 1
 * when this changed the table, 0 when not, -1 when out of memory.
 */
static inline int rip_table_connected(struct rip_table *t, uint32_t dst,
				      uint8_t plen, int ifindex)
{
	struct rip_route *r = rip_table_find(t, dst, plen);
	int fresh = 0;

	if (!r) {
		r = rip_table_insert(t, dst, plen);
		if (!r)
			return -1;
		fresh = 1;
	}
	r->seen = 1;
	if (!fresh && r->connected && r->ifindex == ifindex && r->metric == 1)
		return 0;
	r->connected = 1;
	r->metric = 1;
	r->gateway = r->from = 0;
	r->ifindex = ifindex;
	r->expires = r->gc = 0;
	r->tag = 0;
	rip_route_changed(t, r);
	return 1;
}

/* Before a scan of the connected prefixes: forget which were seen. */
static inline void rip_table_connected_begin(struct rip_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		t->r[i].seen = 0;
}

/* After it: a connected prefix that is gone is poisoned, then collected. */
static inline int rip_table_connected_end(struct rip_table *t, uint64_t now)
{
	int changed = 0;
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct rip_route *r = &t->r[i];

		if (r->connected && !r->seen && r->metric < RIP_INFINITY) {
			rip_route_poison(t, r, now);
			changed = 1;
		}
	}
	return changed;
}

/*
 * A response entry e from neighbour `from` on ifindex, whose next hop is
 * gateway (the sender, or the entry's next hop when that is usable), with
 * the metric already checked to be 1..16.  RFC 2453 section 3.9.2: add 1
 * (the cost of the network it came over); a new route is taken if its
 * metric is below infinity; an existing one is replaced by a better metric
 * from anyone, and updated by anything its own neighbour says, even when
 * worse (that is how bad news travels); a neighbour saying 16 starts the
 * deletion of its route.  Equal metrics from another neighbour switch only
 * when the current route is halfway to timing out.  Connected prefixes
 * are never replaced.  Returns 1 when the route changed, 0 when not, -1 when
 * out of memory.
 */
static inline int rip_table_update(struct rip_table *t,
				   const struct rip_entry *e, uint32_t from,
				   uint32_t gateway, int ifindex, uint64_t now)
{
	uint32_t metric = e->metric + 1;
	struct rip_route *r;
	int same;

	if (metric > RIP_INFINITY)
		metric = RIP_INFINITY;
	r = rip_table_find(t, e->dst, e->plen);
	if (!r) {
		if (metric >= RIP_INFINITY)
			return 0;
		r = rip_table_insert(t, e->dst, e->plen);
		if (!r)
			return -1;
		goto take;
	}
	if (r->connected)
		return 0;
	same = r->from == from && r->ifindex == ifindex;
	if (same) {
		if (metric >= RIP_INFINITY) {
			if (r->metric >= RIP_INFINITY)
				return 0;	/* already being deleted */
			rip_route_poison(t, r, now);
			return 1;
		}
		if (r->metric == metric && r->gateway == gateway &&
		    r->tag == e->tag) {
			r->expires = now + t->timeout_ms;	/* still there */
			return 0;
		}
		goto take;
	}
	if (metric < r->metric)
		goto take;
	if (metric == r->metric && metric < RIP_INFINITY &&
	    r->expires && r->expires - now < t->timeout_ms / 2)
		goto take;
	return 0;

take:
	r->connected = 0;
	r->metric = metric;
	r->gateway = gateway;
	r->from = from;
	r->ifindex = ifindex;
	r->tag = e->tag;
	r->expires = now + t->timeout_ms;
	r->gc = 0;
	rip_route_changed(t, r);
	return 1;
}

/* Every learned route through ifindex is poisoned (its link went down). */
static inline int rip_table_ifdown(struct rip_table *t, int ifindex,
				   uint64_t now)
{
	int changed = 0;
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct rip_route *r = &t->r[i];

		if (r->ifindex == ifindex && r->metric < RIP_INFINITY) {
			rip_route_poison(t, r, now);
			changed = 1;
		}
	}
	return changed;
}

/*
 * The timers: a learned route not heard of for timeout_ms is poisoned;
 * one at metric 16 for gc_ms is removed, unless the kernel still has it
 * (the daemon removes that first).  Returns the number of routes that
 * timed out or were removed.
 */
static inline int rip_table_age(struct rip_table *t, uint64_t now)
{
	int changed = 0;
	size_t i = 0;

	while (i < t->n) {
		struct rip_route *r = &t->r[i];

		if (!r->connected && r->metric < RIP_INFINITY &&
		    r->expires && now >= r->expires) {
			rip_route_poison(t, r, now);
			changed++;
		}
		if (r->metric >= RIP_INFINITY && r->gc && now >= r->gc &&
		    !r->kernel_metric) {
			memmove(r, r + 1, (t->n - i - 1) * sizeof(*r));
			t->n--;
			changed++;
			continue;
		}
		i++;
	}
	return changed;
}

/* The earliest timer of the table, or UINT64_MAX when there is none. */
static inline uint64_t rip_table_next_timer(const struct rip_table *t)
{
	uint64_t next = UINT64_MAX;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct rip_route *r = &t->r[i];

		if (r->expires && r->expires < next)
			next = r->expires;
		if (r->gc && r->gc < next)
			next = r->gc;
	}
	return next;
}

/*
 * The entries to advertise on out_ifindex, into out[] (room for t->n),
 * changed ones only when triggered is set: split horizon with poisoned
 * reverse gives a route learned over out_ifindex metric 16, simple split
 * horizon leaves it out.  Next hops are not advertised (0: "through me").
 * Returns how many.
 */
static inline size_t rip_table_output(const struct rip_table *t,
				      int out_ifindex, int sh, int triggered,
				      struct rip_entry *out)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++) {
		const struct rip_route *r = &t->r[i];
		uint32_t metric = r->metric;

		if (triggered && !r->changed)
			continue;
		if (!r->connected && r->ifindex == out_ifindex &&
		    metric < RIP_INFINITY) {
			if (sh == RIP_SH_SIMPLE)
				continue;
			if (sh == RIP_SH_POISON)
				metric = RIP_INFINITY;
		}
		out[n].afi = RIP_AFI_TEACH;
		out[n].tag = r->tag;
		out[n].dst = r->dst;
		out[n].plen = r->plen;
		out[n].nexthop = 0;
		out[n].metric = metric;
		n++;
	}
	return n;
}

/* After an update went out on every interface: nothing is pending. */
static inline void rip_table_sent(struct rip_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		t->r[i].changed = 0;
	t->triggered = 0;
}

#endif /* _TEACH_TOOLS_RIP_TABLE_H */
