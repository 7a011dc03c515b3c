// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of teach-ripd's distance-vector logic (tools/rip_table.h):
 * RIP's update rules, split horizon and poisoned reverse, the timers, and
 * the parsing and validation of messages.
 */
#include <string.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "../tools/rip_table.h"

#define NET(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define N1	NET(10, 1, 12, 2)	/* a neighbour on ifindex 2 */
#define N2	NET(10, 1, 41, 4)	/* another, on ifindex 3 */
#define DST	NET(10, 2, 3, 0)
#define TMO	5000ULL
#define GC	3000ULL

static struct rip_entry ent(uint32_t dst, uint8_t plen, uint32_t metric)
{
	struct rip_entry e = {
		.afi = RIP_AFI_TEACH, .dst = dst, .plen = plen, .metric = metric,
	};

	return e;
}

/* N tells us (on ifindex) that DST/24 is at metric m */
static int hear(struct rip_table *t, uint32_t n, int ifindex, uint32_t m,
		uint64_t now)
{
	struct rip_entry e = ent(DST, 24, m);

	return rip_table_update(t, &e, n, n, ifindex, now);
}

FIXTURE(table) {
	struct rip_table t;
};

FIXTURE_SETUP(table)
{
	rip_table_init(&self->t, TMO, GC);
}

FIXTURE_TEARDOWN(table)
{
	rip_table_free(&self->t);
}

TEST_F(table, new_route_takes_metric_plus_one)
{
	struct rip_route *r;

	ASSERT_EQ(1, hear(&self->t, N1, 2, 1, 0));
	r = rip_table_find(&self->t, DST, 24);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(2U, r->metric);
	EXPECT_EQ(N1, r->gateway);
	EXPECT_EQ(N1, r->from);
	EXPECT_EQ(2, r->ifindex);
	EXPECT_EQ(TMO, r->expires);
	EXPECT_EQ(1, r->changed);
	EXPECT_EQ(1, self->t.triggered);
	/* 15 + 1 is infinity: nothing new is learned at infinity */
	struct rip_entry e = ent(NET(10, 9, 0, 0), 16, 15);

	EXPECT_EQ(0, rip_table_update(&self->t, &e, N1, N1, 2, 0));
	e.metric = 16;
	EXPECT_EQ(0, rip_table_update(&self->t, &e, N1, N1, 2, 0));
	EXPECT_EQ(NULL, rip_table_find(&self->t, NET(10, 9, 0, 0), 16));
}

TEST_F(table, better_metric_wins)
{
	struct rip_route *r;

	hear(&self->t, N1, 2, 3, 0);
	/* worse or equal from another neighbour: ignored */
	EXPECT_EQ(0, hear(&self->t, N2, 3, 5, 10));
	EXPECT_EQ(0, hear(&self->t, N2, 3, 3, 10));
	r = rip_table_find(&self->t, DST, 24);
	EXPECT_EQ(4U, r->metric);
	EXPECT_EQ(N1, r->gateway);
	/* better: taken */
	EXPECT_EQ(1, hear(&self->t, N2, 3, 1, 20));
	r = rip_table_find(&self->t, DST, 24);
	EXPECT_EQ(2U, r->metric);
	EXPECT_EQ(N2, r->gateway);
	EXPECT_EQ(3, r->ifindex);
	EXPECT_EQ(20 + TMO, r->expires);
}

TEST_F(table, same_neighbour_replaces_even_if_worse)
{
	struct rip_route *r;

	hear(&self->t, N1, 2, 1, 0);
	rip_table_sent(&self->t);
	EXPECT_EQ(1, hear(&self->t, N1, 2, 7, 100));
	r = rip_table_find(&self->t, DST, 24);
	EXPECT_EQ(8U, r->metric);
	EXPECT_EQ(100 + TMO, r->expires);
	EXPECT_EQ(1, r->changed);
	/* the same again only refreshes the timeout, no change */
	rip_table_sent(&self->t);
	EXPECT_EQ(0, hear(&self->t, N1, 2, 7, 200));
	EXPECT_EQ(200 + TMO, r->expires);
	EXPECT_EQ(0, r->changed);
	EXPECT_EQ(0, self->t.triggered);
}

TEST_F(table, equal_metric_switches_only_when_old_is_halfway_out)
{
	struct rip_route *r;

	hear(&self->t, N1, 2, 2, 0);
	EXPECT_EQ(0, hear(&self->t, N2, 3, 2, TMO / 2 - 1));
	EXPECT_EQ(1, hear(&self->t, N2, 3, 2, TMO / 2 + 1));
	r = rip_table_find(&self->t, DST, 24);
	EXPECT_EQ(N2, r->gateway);
}

TEST_F(table, metric_16_poisons)
{
	struct rip_route *r;

	hear(&self->t, N1, 2, 1, 0);
	/* 16 from someone else means nothing */
	EXPECT_EQ(0, hear(&self->t, N2, 3, 16, 10));
	/* 16 (or 15 + 1) from the route's own neighbour starts deletion */
	rip_table_sent(&self->t);
	EXPECT_EQ(1, hear(&self->t, N1, 2, 15, 100));
	r = rip_table_find(&self->t, DST, 24);
	EXPECT_EQ((uint32_t)RIP_INFINITY, r->metric);
	EXPECT_EQ(0U, r->expires);
	EXPECT_EQ(100 + GC, r->gc);
	EXPECT_EQ(1, r->changed);
	/* more 16s do not push the garbage collection back */
	EXPECT_EQ(0, hear(&self->t, N1, 2, 16, 500));
	EXPECT_EQ(100 + GC, r->gc);
	/* while it waits, any finite route is better */
	EXPECT_EQ(1, hear(&self->t, N2, 3, 9, 600));
	EXPECT_EQ(10U, r->metric);
	EXPECT_EQ(0U, r->gc);
	EXPECT_EQ(600 + TMO, r->expires);
}

TEST_F(table, timeout_then_garbage_collection)
{
	struct rip_route *r;

	hear(&self->t, N1, 2, 1, 0);
	rip_table_sent(&self->t);
	EXPECT_EQ(TMO, rip_table_next_timer(&self->t));
	EXPECT_EQ(0, rip_table_age(&self->t, TMO - 1));
	r = rip_table_find(&self->t, DST, 24);
	EXPECT_EQ(2U, r->metric);
	/* the timeout: metric 16, a triggered update, the gc timer */
	EXPECT_EQ(1, rip_table_age(&self->t, TMO));
	r = rip_table_find(&self->t, DST, 24);
	ASSERT_NE(NULL, r);
	EXPECT_EQ((uint32_t)RIP_INFINITY, r->metric);
	EXPECT_EQ(TMO + GC, r->gc);
	EXPECT_EQ(1, r->changed);
	EXPECT_EQ(1, self->t.triggered);
	EXPECT_EQ(TMO + GC, rip_table_next_timer(&self->t));
	EXPECT_EQ(0, rip_table_age(&self->t, TMO + GC - 1));
	/* not collected while the kernel still has it */
	r->kernel_metric = 2;
	EXPECT_EQ(0, rip_table_age(&self->t, TMO + GC));
	ASSERT_NE(NULL, rip_table_find(&self->t, DST, 24));
	r->kernel_metric = 0;
	EXPECT_EQ(1, rip_table_age(&self->t, TMO + GC));
	EXPECT_EQ(NULL, rip_table_find(&self->t, DST, 24));
	EXPECT_EQ(0U, self->t.n);
	EXPECT_EQ(UINT64_MAX, rip_table_next_timer(&self->t));
}

TEST_F(table, connected_beats_learned_and_goes_away)
{
	struct rip_route *r;
	struct rip_entry e = ent(NET(10, 2, 1, 0), 24, 1);

	ASSERT_EQ(1, rip_table_connected(&self->t, NET(10, 2, 1, 0), 24, 5));
	EXPECT_EQ(0, rip_table_connected(&self->t, NET(10, 2, 1, 0), 24, 5));
	EXPECT_EQ(0, rip_table_update(&self->t, &e, N1, N1, 2, 0));
	r = rip_table_find(&self->t, NET(10, 2, 1, 0), 24);
	EXPECT_EQ(1, r->connected);
	EXPECT_EQ(1U, r->metric);
	EXPECT_EQ(0U, r->expires);
	/* connected routes never time out */
	EXPECT_EQ(0, rip_table_age(&self->t, 1000000));
	/* a scan that does not see it poisons it */
	rip_table_connected_begin(&self->t);
	EXPECT_EQ(1, rip_table_connected_end(&self->t, 100));
	EXPECT_EQ((uint32_t)RIP_INFINITY, r->metric);
	EXPECT_EQ(100 + GC, r->gc);
	EXPECT_EQ(1, rip_table_age(&self->t, 100 + GC));
	EXPECT_EQ(0U, self->t.n);
}

TEST_F(table, connected_replaces_learned)
{
	struct rip_route *r;

	hear(&self->t, N1, 2, 1, 0);
	ASSERT_EQ(1, rip_table_connected(&self->t, DST, 24, 4));
	r = rip_table_find(&self->t, DST, 24);
	EXPECT_EQ(1, r->connected);
	EXPECT_EQ(1U, r->metric);
	EXPECT_EQ(0U, r->gateway);
	EXPECT_EQ(4, r->ifindex);
}

TEST_F(table, link_down_poisons_its_routes)
{
	struct rip_entry e = ent(NET(10, 2, 4, 0), 24, 1);

	hear(&self->t, N1, 2, 1, 0);
	rip_table_update(&self->t, &e, N2, N2, 3, 0);
	EXPECT_EQ(1, rip_table_ifdown(&self->t, 2, 50));
	EXPECT_EQ((uint32_t)RIP_INFINITY, rip_table_find(&self->t, DST, 24)->metric);
	EXPECT_EQ(2U, rip_table_find(&self->t, NET(10, 2, 4, 0), 24)->metric);
	EXPECT_EQ(0, rip_table_ifdown(&self->t, 2, 60));
}

TEST_F(table, split_horizon_and_poisoned_reverse)
{
	struct rip_entry out[8];
	struct rip_entry e = ent(NET(10, 2, 4, 0), 24, 2);
	size_t n;

	rip_table_connected(&self->t, NET(10, 1, 12, 0), 24, 2);
	rip_table_connected(&self->t, NET(10, 2, 1, 0), 24, 5);
	hear(&self->t, N1, 2, 1, 0);				/* via ifindex 2 */
	rip_table_update(&self->t, &e, N2, N2, 3, 0);		/* via 3 */
	ASSERT_EQ(4U, self->t.n);

	/* poisoned reverse: what came over 2 goes back over 2 at 16 */
	n = rip_table_output(&self->t, 2, RIP_SH_POISON, 0, out);
	ASSERT_EQ(4U, n);
	/* sorted: 10.1.12/24, 10.2.1/24, 10.2.3/24, 10.2.4/24 */
	EXPECT_EQ(NET(10, 1, 12, 0), out[0].dst);
	EXPECT_EQ(1U, out[0].metric);	/* connected on 2 itself: still 1 */
	EXPECT_EQ(1U, out[1].metric);
	EXPECT_EQ(DST, out[2].dst);
	EXPECT_EQ((uint32_t)RIP_INFINITY, out[2].metric);
	EXPECT_EQ(3U, out[3].metric);
	EXPECT_EQ(RIP_AFI_TEACH, out[2].afi);
	EXPECT_EQ(0U, out[2].nexthop);
	EXPECT_EQ(24, out[2].plen);
	/* and on 3 the other one is poisoned */
	n = rip_table_output(&self->t, 3, RIP_SH_POISON, 0, out);
	ASSERT_EQ(4U, n);
	EXPECT_EQ(2U, out[2].metric);
	EXPECT_EQ((uint32_t)RIP_INFINITY, out[3].metric);
	/* simple split horizon leaves it out */
	n = rip_table_output(&self->t, 2, RIP_SH_SIMPLE, 0, out);
	ASSERT_EQ(3U, n);
	EXPECT_EQ(NET(10, 2, 4, 0), out[2].dst);
	/* none: as it is */
	n = rip_table_output(&self->t, 2, RIP_SH_NONE, 0, out);
	ASSERT_EQ(4U, n);
	EXPECT_EQ(2U, out[2].metric);
	/* an interface the routes did not come from: everything as it is */
	n = rip_table_output(&self->t, 5, RIP_SH_POISON, 0, out);
	EXPECT_EQ(2U, out[2].metric);
	EXPECT_EQ(3U, out[3].metric);
}

TEST_F(table, triggered_update_carries_only_changes)
{
	struct rip_entry out[8];
	size_t n;

	rip_table_connected(&self->t, NET(10, 2, 1, 0), 24, 5);
	hear(&self->t, N1, 2, 1, 0);
	rip_table_sent(&self->t);
	EXPECT_EQ(0, self->t.triggered);
	EXPECT_EQ(0U, rip_table_output(&self->t, 3, RIP_SH_POISON, 1, out));
	hear(&self->t, N1, 2, 4, 10);
	EXPECT_EQ(1, self->t.triggered);
	n = rip_table_output(&self->t, 3, RIP_SH_POISON, 1, out);
	ASSERT_EQ(1U, n);
	EXPECT_EQ(DST, out[0].dst);
	EXPECT_EQ(5U, out[0].metric);
	/* the regular update has everything */
	EXPECT_EQ(2U, rip_table_output(&self->t, 3, RIP_SH_POISON, 0, out));
}

TEST(table_keeps_order_and_grows)
{
	struct rip_table t;
	size_t i;

	rip_table_init(&t, TMO, GC);
	for (i = 0; i < 100; i++) {
		struct rip_entry e = ent(NET(10, 100 - (int)i, 0, 0), 16, 1);

		ASSERT_EQ(1, rip_table_update(&t, &e, N1, N1, 2, 0));
	}
	/* the same prefix with another length is another route */
	rip_table_connected(&t, NET(10, 50, 0, 0), 24, 3);
	ASSERT_EQ(101U, t.n);
	for (i = 1; i < t.n; i++)
		ASSERT_TRUE(t.r[i - 1].dst < t.r[i].dst ||
			    (t.r[i - 1].dst == t.r[i].dst &&
			     t.r[i - 1].plen < t.r[i].plen));
	EXPECT_EQ(2U, rip_table_find(&t, NET(10, 50, 0, 0), 16)->metric);
	EXPECT_EQ(1U, rip_table_find(&t, NET(10, 50, 0, 0), 24)->metric);
	rip_table_free(&t);
}

/* ---- the wire ---- */

static size_t msg(uint8_t *buf, uint8_t cmd, uint8_t ver, uint16_t zero)
{
	buf[0] = cmd;
	buf[1] = ver;
	buf[2] = (uint8_t)(zero >> 8);
	buf[3] = (uint8_t)zero;
	return RIP_HDR_LEN;
}

static size_t put(uint8_t *buf, size_t off, uint16_t afi, uint32_t addr,
		  uint32_t mask, uint32_t nh, uint32_t metric)
{
	struct rip_wire_entry w = {
		.afi = htons(afi), .tag = htons(7), .addr = htonl(addr),
		.mask = htonl(mask), .nexthop = htonl(nh), .metric = htonl(metric),
	};

	memcpy(buf + off, &w, sizeof(w));
	return off + sizeof(w);
}

TEST(wire_round_trip)
{
	struct rip_entry in[2] = { ent(DST, 24, 3), ent(0, 0, 1) }, out[RIP_MAX_ENTRIES];
	uint64_t c[__RIP_COUNTER_MAX] = { 0 };
	uint8_t buf[RIP_MAX_MSG];
	size_t len, n;

	in[0].tag = 9;
	in[0].nexthop = N1;
	len = rip_build(buf, RIP_CMD_RESPONSE, in, 2);
	ASSERT_EQ(44U, len);
	/* byte by byte, as Documentation/ripd.rst draws it */
	EXPECT_EQ(2, buf[0]);
	EXPECT_EQ(2, buf[1]);
	EXPECT_EQ(0, buf[2] | buf[3]);
	EXPECT_EQ(0, buf[4]);
	EXPECT_EQ(12, buf[5]);		/* family */
	EXPECT_EQ(9, buf[7]);		/* tag */
	EXPECT_EQ(10, buf[8]);		/* 10.2.3.0 */
	EXPECT_EQ(3, buf[10]);
	EXPECT_EQ(0xff, buf[14]);	/* 255.255.255.0 */
	EXPECT_EQ(0, buf[15]);
	EXPECT_EQ(12, buf[18]);		/* next hop 10.1.12.2 */
	EXPECT_EQ(3, buf[23]);		/* metric */
	ASSERT_EQ(RIP_CMD_RESPONSE, rip_parse(buf, len, out, &n, c));
	ASSERT_EQ(2U, n);
	EXPECT_EQ(DST, out[0].dst);
	EXPECT_EQ(24, out[0].plen);
	EXPECT_EQ(3U, out[0].metric);
	EXPECT_EQ(9, out[0].tag);
	EXPECT_EQ(N1, out[0].nexthop);
	EXPECT_EQ(0U, out[1].dst);	/* the default route */
	EXPECT_EQ(0, out[1].plen);
	EXPECT_EQ(1U, c[RIP_IN_MESSAGES]);
}

TEST(wire_bad_headers_drop_the_message)
{
	uint64_t c[__RIP_COUNTER_MAX] = { 0 };
	struct rip_entry out[RIP_MAX_ENTRIES];
	uint8_t buf[RIP_MAX_MSG + 40];
	size_t len, n, i;

	len = put(buf, msg(buf, 2, 1, 0), RIP_AFI_TEACH, DST, 0xffffff00, 0, 1);
	EXPECT_EQ(-1, rip_parse(buf, len, out, &n, c));
	EXPECT_EQ(1U, c[RIP_IN_BAD_VERSION]);
	len = put(buf, msg(buf, 3, 2, 0), RIP_AFI_TEACH, DST, 0xffffff00, 0, 1);
	EXPECT_EQ(-1, rip_parse(buf, len, out, &n, c));
	len = put(buf, msg(buf, 0, 2, 0), RIP_AFI_TEACH, DST, 0xffffff00, 0, 1);
	EXPECT_EQ(-1, rip_parse(buf, len, out, &n, c));
	EXPECT_EQ(2U, c[RIP_IN_BAD_COMMAND]);
	len = put(buf, msg(buf, 2, 2, 1), RIP_AFI_TEACH, DST, 0xffffff00, 0, 1);
	EXPECT_EQ(-1, rip_parse(buf, len, out, &n, c));
	EXPECT_EQ(1U, c[RIP_IN_BAD_ZERO]);
	/* lengths: header only, a partial entry, 26 entries */
	EXPECT_EQ(-1, rip_parse(buf, RIP_HDR_LEN, out, &n, c));
	EXPECT_EQ(-1, rip_parse(buf, len - 1, out, &n, c));
	EXPECT_EQ(-1, rip_parse(buf, len + 1, out, &n, c));
	len = msg(buf, 2, 2, 0);
	for (i = 0; i < RIP_MAX_ENTRIES + 1; i++)
		len = put(buf, len, RIP_AFI_TEACH, DST, 0xffffff00, 0, 1);
	EXPECT_EQ(-1, rip_parse(buf, len, out, &n, c));
	EXPECT_EQ(4U, c[RIP_IN_BAD_LENGTH]);
	/* 25 is fine */
	EXPECT_EQ(RIP_CMD_RESPONSE, rip_parse(buf, len - RIP_ENTRY_LEN, out, &n, c));
	EXPECT_EQ(25U, n);
	EXPECT_EQ(9U, c[RIP_IN_MESSAGES]);
}

TEST(wire_bad_entries_are_dropped_alone)
{
	uint64_t c[__RIP_COUNTER_MAX] = { 0 };
	struct rip_entry out[RIP_MAX_ENTRIES];
	uint8_t buf[RIP_MAX_MSG];
	size_t len, n;

	len = msg(buf, 2, 2, 0);
	len = put(buf, len, RIP_AFI_TEACH, DST, 0xffffff00, 0, 0);	/* metric 0 */
	len = put(buf, len, RIP_AFI_TEACH, DST, 0xffffff00, 0, 17);	/* 17 */
	len = put(buf, len, 2, DST, 0xffffff00, 0, 1);			/* family */
	len = put(buf, len, RIP_AFI_TEACH, DST, 0xff00ff00, 0, 1);	/* mask */
	len = put(buf, len, RIP_AFI_TEACH, DST | 5, 0xffffff00, 0, 1);	/* host bits */
	len = put(buf, len, RIP_AFI_TEACH, NET(127, 0, 0, 0), 0xff000000, 0, 1);
	len = put(buf, len, RIP_AFI_TEACH, 0xffffffff, 0xffffffff, 0, 1);
	len = put(buf, len, RIP_AFI_TEACH, 0, 0xff000000, 0, 1);	/* 0/8 */
	len = put(buf, len, RIP_AFI_TEACH, DST, 0xffffff00, 0, 16);	/* fine */
	ASSERT_EQ(RIP_CMD_RESPONSE, rip_parse(buf, len, out, &n, c));
	ASSERT_EQ(1U, n);
	EXPECT_EQ(16U, out[0].metric);
	EXPECT_EQ(2U, c[RIP_IN_BAD_METRIC]);
	EXPECT_EQ(6U, c[RIP_IN_BAD_ENTRIES]);
}

TEST(wire_whole_table_request)
{
	uint64_t c[__RIP_COUNTER_MAX] = { 0 };
	struct rip_entry out[RIP_MAX_ENTRIES];
	uint8_t buf[RIP_MAX_MSG];
	size_t len, n;

	len = put(buf, msg(buf, 1, 2, 0), 0, 0, 0, 0, RIP_INFINITY);
	ASSERT_EQ(RIP_CMD_REQUEST, rip_parse(buf, len, out, &n, c));
	ASSERT_EQ(1U, n);
	EXPECT_EQ(0, out[0].afi);
	/* family 0 only means that in a request of one entry */
	len = put(buf, msg(buf, 2, 2, 0), 0, 0, 0, 0, RIP_INFINITY);
	ASSERT_EQ(RIP_CMD_RESPONSE, rip_parse(buf, len, out, &n, c));
	EXPECT_EQ(0U, n);
	EXPECT_EQ(1U, c[RIP_IN_BAD_ENTRIES]);
}

TEST(masks)
{
	EXPECT_EQ(0, rip_mask_plen(0));
	EXPECT_EQ(24, rip_mask_plen(0xffffff00));
	EXPECT_EQ(32, rip_mask_plen(0xffffffff));
	EXPECT_EQ(-1, rip_mask_plen(0xff00ff00));
	EXPECT_EQ(-1, rip_mask_plen(0x00ffffff));
	EXPECT_EQ(0xfffffff0U, rip_mask(28));
	EXPECT_EQ(0U, rip_mask(0));
}

TEST_HARNESS_MAIN
