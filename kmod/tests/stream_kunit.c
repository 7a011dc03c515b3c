// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the stream transport's pure logic: sequence numbers
 * that wrap, RFC 9293's acceptability test, the RFC 6528 ISN, the RFC
 * 6298 retransmission timeout, Reno and NewReno's windows, the
 * out-of-order queue, and the options of RFC 7323 and RFC 2018: parsing
 * and building them, window scale arithmetic, the receiver's SACK blocks
 * and the sender's scoreboard.  The code under test is compiled in, as
 * teach_kunit.c does.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>

#include "../stream_cong.c"
#include "../stream_cubic.c"
#include "../stream_ofo.c"
#include "../stream_opts.c"

static void teach_seq_wrap_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, teach_seq_before(1, 2));
	KUNIT_EXPECT_FALSE(test, teach_seq_before(2, 2));
	KUNIT_EXPECT_TRUE(test, teach_seq_before(0xfffffff0U, 0x10));
	KUNIT_EXPECT_TRUE(test, teach_seq_after(0x10, 0xfffffff0U));
	KUNIT_EXPECT_TRUE(test, teach_seq_leq(5, 5));
	KUNIT_EXPECT_TRUE(test, teach_seq_geq(0, 0xffffffffU));
	KUNIT_EXPECT_TRUE(test, teach_seq_in(0, 0xfffffffeU, 2));
	KUNIT_EXPECT_FALSE(test, teach_seq_in(2, 0xfffffffeU, 2));
	KUNIT_EXPECT_TRUE(test, teach_seq_in(0xfffffffeU, 0xfffffffeU, 2));
}

static void teach_seq_acceptable_test(struct kunit *test)
{
	/* the four cases of RFC 9293 3.10.7.4 */
	KUNIT_EXPECT_TRUE(test, teach_seq_acceptable(100, 0, 100, 0));
	KUNIT_EXPECT_FALSE(test, teach_seq_acceptable(101, 0, 100, 0));
	KUNIT_EXPECT_TRUE(test, teach_seq_acceptable(150, 0, 100, 100));
	KUNIT_EXPECT_FALSE(test, teach_seq_acceptable(200, 0, 100, 100));
	KUNIT_EXPECT_FALSE(test, teach_seq_acceptable(100, 10, 100, 0));
	KUNIT_EXPECT_TRUE(test, teach_seq_acceptable(90, 20, 100, 100));
	KUNIT_EXPECT_FALSE(test, teach_seq_acceptable(80, 20, 100, 100));
	KUNIT_EXPECT_TRUE(test, teach_seq_acceptable(199, 20, 100, 100));
	/* across the wrap */
	KUNIT_EXPECT_TRUE(test, teach_seq_acceptable(0xfffffff0U, 0x20,
						     0xfffffff8U, 0x100));
}

static void teach_isn_test(struct kunit *test)
{
	siphash_key_t k1 = { { 1, 2 } }, k2 = { { 3, 4 } };
	u32 a = teach_stream_isn(&k1, htonl(1), htons(2), htonl(3), htons(4), 0);

	/* keyed: another key, another number; the clock moves it on */
	KUNIT_EXPECT_NE(test, a, teach_stream_isn(&k2, htonl(1), htons(2),
						  htonl(3), htons(4), 0));
	KUNIT_EXPECT_NE(test, a, teach_stream_isn(&k1, htonl(1), htons(2),
						  htonl(3), htons(5), 0));
	KUNIT_EXPECT_EQ(test, a + 1000,
			teach_stream_isn(&k1, htonl(1), htons(2), htonl(3),
					 htons(4), 64000));
}

static void teach_rtt_test(struct kunit *test)
{
	struct teach_rtt r;

	teach_rtt_init(&r, 1000000);
	KUNIT_EXPECT_EQ(test, r.rto_us, 1000000U);
	/* first sample: SRTT = R, RTTVAR = R/2, RTO = R + 4 R/2 */
	teach_rtt_sample(&r, 100000, 4000, 200000, 120000000);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 100000U);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 50000U);
	KUNIT_EXPECT_EQ(test, r.rto_us, 300000U);
	/* the same again: RTTVAR shrinks by a quarter */
	teach_rtt_sample(&r, 100000, 4000, 200000, 120000000);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 100000U);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 37500U);
	KUNIT_EXPECT_EQ(test, r.rto_us, 250000U);
	/* a longer one: |SRTT - R| = 700000 */
	teach_rtt_sample(&r, 800000, 4000, 200000, 120000000);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 37500U - 9375U + 175000U);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 100000U - 12500U + 100000U);
	/* the minimum holds */
	teach_rtt_init(&r, 1000000);
	teach_rtt_sample(&r, 10, 4000, 200000, 120000000);
	KUNIT_EXPECT_EQ(test, r.rto_us, 200000U);
	/* backoff doubles, up to the maximum */
	KUNIT_EXPECT_EQ(test, teach_rto_backoff(200000, 3, 120000000), 1600000U);
	KUNIT_EXPECT_EQ(test, teach_rto_backoff(200000, 20, 120000000),
			120000000U);
	KUNIT_EXPECT_EQ(test, teach_rto_backoff(200000, 40, 120000000),
			120000000U);
}

static void teach_reno_test(struct kunit *test)
{
	struct teach_cong_state c;

	teach_cong_init(&c, &teach_reno, 1000);
	KUNIT_EXPECT_EQ(test, c.cwnd, 4000U);	/* RFC 5681 IW for SMSS <= 1095 */
	KUNIT_EXPECT_EQ(test, c.ssthresh, TEACH_CONG_INFINITE);
	/* slow start: min(acked, SMSS) per ACK */
	teach_cong_ack(&c, 1000, 1000, 3000, 0, 0);
	KUNIT_EXPECT_EQ(test, c.cwnd, 5000U);
	teach_cong_ack(&c, 4000, 3000, 2000, 0, 0);
	KUNIT_EXPECT_EQ(test, c.cwnd, 6000U);
	/* congestion avoidance: one SMSS per cwnd acknowledged */
	c.ssthresh = 6000;
	teach_cong_ack(&c, 7000, 3000, 3000, 0, 0);
	KUNIT_EXPECT_EQ(test, c.cwnd, 6000U);
	teach_cong_ack(&c, 10000, 3000, 3000, 0, 0);
	KUNIT_EXPECT_EQ(test, c.cwnd, 7000U);
	/* a timeout: ssthresh = max(flight / 2, 2 SMSS), cwnd = 1 SMSS */
	teach_cong_timeout(&c, 10000, 20000);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 5000U);
	KUNIT_EXPECT_EQ(test, c.cwnd, 1000U);
	teach_cong_timeout(&c, 1000, 20000);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 2000U);
}

static void teach_newreno_test(struct kunit *test)
{
	struct teach_cong_state c;

	teach_cong_init(&c, &teach_reno, 1000);
	c.cwnd = 10000;
	/* una 1000, 10 segments out up to 11000 */
	KUNIT_EXPECT_EQ(test, teach_cong_dupack(&c, 10000, 1000, 11000),
			TEACH_CONG_NONE);
	KUNIT_EXPECT_EQ(test, teach_cong_dupack(&c, 10000, 1000, 11000),
			TEACH_CONG_NONE);
	KUNIT_EXPECT_EQ(test, teach_cong_dupack(&c, 10000, 1000, 11000),
			TEACH_CONG_RETRANSMIT);
	KUNIT_EXPECT_TRUE(test, c.in_recovery);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 5000U);
	KUNIT_EXPECT_EQ(test, c.cwnd, 8000U);
	KUNIT_EXPECT_EQ(test, c.recover, 10999U);
	/* each further duplicate inflates */
	KUNIT_EXPECT_EQ(test, teach_cong_dupack(&c, 10000, 1000, 11000),
			TEACH_CONG_SEND);
	KUNIT_EXPECT_EQ(test, c.cwnd, 9000U);
	/* a partial ACK: retransmit, deflate by acked, add one SMSS */
	KUNIT_EXPECT_EQ(test, teach_cong_ack(&c, 4000, 3000, 7000, 0, 0),
			TEACH_CONG_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, c.cwnd, 7000U);
	KUNIT_EXPECT_TRUE(test, c.in_recovery);
	/* the full ACK ends it: min(ssthresh, flight + SMSS) */
	KUNIT_EXPECT_EQ(test, teach_cong_ack(&c, 11000, 7000, 0, 0, 0),
			TEACH_CONG_NONE);
	KUNIT_EXPECT_FALSE(test, c.in_recovery);
	KUNIT_EXPECT_EQ(test, c.cwnd, 2000U);
	/* three duplicates of data sent before recover: no new recovery */
	teach_cong_timeout(&c, 4000, 20000);
	teach_cong_dupack(&c, 4000, 15000, 20000);
	teach_cong_dupack(&c, 4000, 15000, 20000);
	KUNIT_EXPECT_EQ(test, teach_cong_dupack(&c, 4000, 15000, 20000),
			TEACH_CONG_NONE);
	KUNIT_EXPECT_FALSE(test, c.in_recovery);
}

static struct sk_buff *ofo_skb(struct kunit *test, u32 seq, u32 len, bool fin)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put(skb, len);
	memset(skb->data, (u8)seq, len);
	memset(skb->cb, 0, sizeof(skb->cb));
	TEACH_STREAM_CB(skb)->seq = seq;
	TEACH_STREAM_CB(skb)->end_seq = seq + len + fin;
	if (fin)
		TEACH_STREAM_CB(skb)->flags = TEACH_STREAM_F_FIN;
	return skb;
}

static int ofo_count(struct rb_root *root)
{
	struct rb_node *n;
	int i = 0;

	for (n = rb_first(root); n; n = rb_next(n))
		i++;
	return i;
}

static void teach_ofo_test(struct kunit *test)
{
	struct rb_root root = RB_ROOT;
	struct sk_buff *skb, *dup;
	unsigned int freed;

	KUNIT_EXPECT_EQ(test, teach_ofo_insert(&root, ofo_skb(test, 300, 100, false),
					       &freed), TEACH_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, teach_ofo_insert(&root, ofo_skb(test, 500, 100, false),
					       &freed), TEACH_OFO_QUEUED);
	/* inside one held: a duplicate */
	dup = ofo_skb(test, 320, 50, false);
	KUNIT_EXPECT_EQ(test, teach_ofo_insert(&root, dup, &freed), TEACH_OFO_DUP);
	kfree_skb(dup);
	dup = ofo_skb(test, 300, 100, false);
	KUNIT_EXPECT_EQ(test, teach_ofo_insert(&root, dup, &freed), TEACH_OFO_DUP);
	kfree_skb(dup);
	/* covering both: replaces them */
	KUNIT_EXPECT_EQ(test, teach_ofo_insert(&root, ofo_skb(test, 250, 400, false),
					       &freed), TEACH_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, freed, 2U);
	KUNIT_EXPECT_EQ(test, ofo_count(&root), 1);
	/* overlapping at the end, with a FIN */
	KUNIT_EXPECT_EQ(test, teach_ofo_insert(&root, ofo_skb(test, 600, 100, true),
					       &freed), TEACH_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, ofo_count(&root), 2);

	/* nothing before 250 arrived: nothing comes out */
	KUNIT_EXPECT_NULL(test, teach_ofo_pop(&root, 200));
	skb = teach_ofo_pop(&root, 260);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, TEACH_STREAM_CB(skb)->seq, 260U);
	KUNIT_EXPECT_EQ(test, skb->len, 390U);
	KUNIT_EXPECT_EQ(test, TEACH_STREAM_CB(skb)->end_seq, 650U);
	kfree_skb(skb);
	/* the next one, trimmed of what the first had */
	skb = teach_ofo_pop(&root, 650);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, skb->len, 50U);
	KUNIT_EXPECT_TRUE(test, TEACH_STREAM_CB(skb)->flags & TEACH_STREAM_F_FIN);
	kfree_skb(skb);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&root));

	/* wholly old segments are dropped on the way */
	teach_ofo_insert(&root, ofo_skb(test, 100, 10, false), &freed);
	teach_ofo_insert(&root, ofo_skb(test, 200, 10, false), &freed);
	skb = teach_ofo_pop(&root, 200);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, TEACH_STREAM_CB(skb)->seq, 200U);
	kfree_skb(skb);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&root));
}

/* build, then parse: the same options come back */
static void teach_opts_roundtrip_test(struct kunit *test)
{
	struct teach_stream_opts in = {}, out;
	u8 buf[TEACH_STREAM_MAX_OPTLEN];
	unsigned int n, i;

	/* a SYN offering everything: Linux's 20 bytes */
	in.mss = 1460;
	in.has_wscale = true;
	in.wscale = 7;
	in.sack_perm = true;
	in.has_ts = true;
	in.tsval = 0xdeadbeef;
	in.tsecr = 0;
	n = teach_stream_build_opts(buf, &in);
	KUNIT_EXPECT_EQ(test, n, 20U);
	KUNIT_EXPECT_EQ(test, n, teach_stream_opts_len(&in));
	KUNIT_EXPECT_EQ(test, buf[0], 2);
	KUNIT_EXPECT_EQ(test, buf[4], 4);	/* SACK-permitted before TS */
	KUNIT_EXPECT_EQ(test, buf[6], 8);
	KUNIT_EXPECT_EQ(test, buf[16], 1);	/* NOP, window scale */
	KUNIT_EXPECT_EQ(test, buf[17], 3);
	KUNIT_EXPECT_EQ(test, buf[19], 7);
	teach_stream_parse_opts(buf, n, true, &out);
	KUNIT_EXPECT_EQ(test, out.bad, 0);
	KUNIT_EXPECT_EQ(test, out.mss, 1460);
	KUNIT_EXPECT_TRUE(test, out.has_wscale);
	KUNIT_EXPECT_EQ(test, out.wscale, 7);
	KUNIT_EXPECT_TRUE(test, out.sack_perm);
	KUNIT_EXPECT_TRUE(test, out.has_ts);
	KUNIT_EXPECT_EQ(test, out.tsval, 0xdeadbeefU);
	KUNIT_EXPECT_EQ(test, out.tsecr, 0U);

	/* an ACK with timestamps has room for three blocks of four */
	memset(&in, 0, sizeof(in));
	in.has_ts = true;
	in.tsval = 1;
	in.tsecr = 2;
	in.nsacks = 4;
	for (i = 0; i < 4; i++) {
		in.sacks[i].start = 0xfffffff0U + 1000 * i;
		in.sacks[i].end = 0xfffffff0U + 1000 * i + 500;
	}
	n = teach_stream_build_opts(buf, &in);
	KUNIT_EXPECT_EQ(test, n, 40U);
	KUNIT_EXPECT_EQ(test, n, teach_stream_opts_len(&in));
	teach_stream_parse_opts(buf, n, false, &out);
	KUNIT_EXPECT_EQ(test, out.bad, 0);
	KUNIT_EXPECT_EQ(test, out.nsacks, 3);
	KUNIT_EXPECT_EQ(test, out.tsecr, 2U);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, out.sacks[i].start, in.sacks[i].start);
		KUNIT_EXPECT_EQ(test, out.sacks[i].end, in.sacks[i].end);
	}
	/* without timestamps, four */
	in.has_ts = false;
	n = teach_stream_build_opts(buf, &in);
	KUNIT_EXPECT_EQ(test, n, 36U);
	teach_stream_parse_opts(buf, n, false, &out);
	KUNIT_EXPECT_EQ(test, out.nsacks, 4);
	KUNIT_EXPECT_FALSE(test, out.has_ts);
	KUNIT_EXPECT_EQ(test, out.sacks[3].end, in.sacks[3].end);

	/* SACK-permitted alone: NOP NOP 4 2 */
	memset(&in, 0, sizeof(in));
	in.sack_perm = true;
	n = teach_stream_build_opts(buf, &in);
	KUNIT_EXPECT_EQ(test, n, 4U);
	KUNIT_EXPECT_EQ(test, buf[2], 4);
	teach_stream_parse_opts(buf, n, true, &out);
	KUNIT_EXPECT_TRUE(test, out.sack_perm);
	KUNIT_EXPECT_FALSE(test, out.has_ts);
	KUNIT_EXPECT_EQ(test, teach_stream_build_opts(buf, &(struct teach_stream_opts){}), 0U);
}

/* the header is the peer's to write: nothing in it may hurt */
static void teach_opts_bad_test(struct kunit *test)
{
	static const u8 mss_len3[] = { 2, 3, 5, 1 };
	static const u8 ts_len8[] = { 8, 8, 0, 0, 0, 1, 0, 0, 1, 1, 2, 4, 1, 0 };
	static const u8 sack_len12[] = { 5, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0 };
	static const u8 zero_len[] = { 1, 30, 0, 2, 4, 1, 0 };
	static const u8 past_end[] = { 8, 10, 0, 0, 0 };
	static const u8 lone_kind[] = { 1, 1, 1, 8 };
	static const u8 ws_big[] = { 3, 3, 200, 0 };
	static const u8 unknown[] = { 30, 3, 9, 4, 2, 2, 4, 5, 0xb4 };
	static const u8 eol[] = { 0, 2, 4, 5, 0xb4 };
	static const u8 syn_only[] = { 3, 3, 7, 4, 2, 2, 4, 5, 0xb4 };
	static const u8 sack_on_syn[] = { 5, 10, 0, 0, 0, 1, 0, 0, 0, 9 };
	struct teach_stream_opts o;

	teach_stream_parse_opts(mss_len3, sizeof(mss_len3), true, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_EQ(test, o.bad, 1);
	/* a timestamp of the wrong length is skipped; what follows is read */
	teach_stream_parse_opts(ts_len8, sizeof(ts_len8), true, &o);
	KUNIT_EXPECT_FALSE(test, o.has_ts);
	KUNIT_EXPECT_EQ(test, o.bad, 1);
	KUNIT_EXPECT_EQ(test, o.mss, 0x100);
	teach_stream_parse_opts(sack_len12, sizeof(sack_len12), false, &o);
	KUNIT_EXPECT_EQ(test, o.nsacks, 0);
	KUNIT_EXPECT_EQ(test, o.bad, 1);
	/* a length below 2 or past the end stops the walk */
	teach_stream_parse_opts(zero_len, sizeof(zero_len), true, &o);
	KUNIT_EXPECT_EQ(test, o.bad, 1);
	KUNIT_EXPECT_FALSE(test, o.sack_perm);
	teach_stream_parse_opts(past_end, sizeof(past_end), false, &o);
	KUNIT_EXPECT_EQ(test, o.bad, 1);
	KUNIT_EXPECT_FALSE(test, o.has_ts);
	teach_stream_parse_opts(lone_kind, sizeof(lone_kind), false, &o);
	KUNIT_EXPECT_EQ(test, o.bad, 1);
	/* RFC 7323 2.3: a shift above 14 is 14 */
	teach_stream_parse_opts(ws_big, sizeof(ws_big), true, &o);
	KUNIT_EXPECT_TRUE(test, o.has_wscale);
	KUNIT_EXPECT_EQ(test, o.wscale, 14);
	KUNIT_EXPECT_EQ(test, o.bad, 0);
	/* unknown kinds are skipped by their length */
	teach_stream_parse_opts(unknown, sizeof(unknown), true, &o);
	KUNIT_EXPECT_EQ(test, o.bad, 0);
	KUNIT_EXPECT_TRUE(test, o.sack_perm);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	/* EOL ends the list */
	teach_stream_parse_opts(eol, sizeof(eol), true, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_EQ(test, o.bad, 0);
	/* SYN-only options elsewhere are ignored and counted */
	teach_stream_parse_opts(syn_only, sizeof(syn_only), false, &o);
	KUNIT_EXPECT_FALSE(test, o.has_wscale);
	KUNIT_EXPECT_FALSE(test, o.sack_perm);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_EQ(test, o.bad, 3);
	teach_stream_parse_opts(sack_on_syn, sizeof(sack_on_syn), true, &o);
	KUNIT_EXPECT_EQ(test, o.nsacks, 0);
	KUNIT_EXPECT_EQ(test, o.bad, 1);
	teach_stream_parse_opts(NULL, 0, true, &o);
	KUNIT_EXPECT_EQ(test, o.bad, 0);
}

static void teach_wscale_test(struct kunit *test)
{
	u16 field;
	u32 win;

	KUNIT_EXPECT_EQ(test, teach_wscale_for(0), 0);
	KUNIT_EXPECT_EQ(test, teach_wscale_for(65535), 0);
	KUNIT_EXPECT_EQ(test, teach_wscale_for(65536), 1);
	KUNIT_EXPECT_EQ(test, teach_wscale_for(212992), 2);
	KUNIT_EXPECT_EQ(test, teach_wscale_for(4 << 20), 7);
	KUNIT_EXPECT_EQ(test, teach_wscale_for(1U << 30), 14);
	KUNIT_EXPECT_EQ(test, teach_wscale_for(0xffffffffU), 14);

	/* unscaled: at most 65535 */
	win = teach_wscale_window(100000, 0, 0, &field);
	KUNIT_EXPECT_EQ(test, win, 65535U);
	KUNIT_EXPECT_EQ(test, field, 65535);
	/* scaled: rounded down to the unit, field = window >> shift */
	win = teach_wscale_window(1000000, 0, 7, &field);
	KUNIT_EXPECT_EQ(test, win, 1000000U & ~127U);
	KUNIT_EXPECT_EQ(test, field, 1000000 >> 7);
	KUNIT_EXPECT_EQ(test, (u32)field << 7, win);
	/* a promise still open is kept, rounded up: no shrinking */
	win = teach_wscale_window(1000, 5000, 7, &field);
	KUNIT_EXPECT_EQ(test, win, 5120U);
	KUNIT_EXPECT_EQ(test, field, 40);
	win = teach_wscale_window(0, 0, 7, &field);
	KUNIT_EXPECT_EQ(test, win, 0U);
	KUNIT_EXPECT_EQ(test, field, 0);
	/* the largest: 65535 << 14, just under 1 GiB */
	win = teach_wscale_window(0xffffffffU, 0, 14, &field);
	KUNIT_EXPECT_EQ(test, win, 65535U << 14);
	KUNIT_EXPECT_EQ(test, field, 65535);
}

static void teach_sack_rcv_test(struct kunit *test)
{
	struct teach_sack_block b[TEACH_SACK_MAX_BLOCKS];
	u8 n = 0;

	teach_sack_rcv_add(b, &n, 4, 200, 300);
	teach_sack_rcv_add(b, &n, 4, 400, 500);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, b[0].start, 400U);	/* the latest first */
	KUNIT_EXPECT_EQ(test, b[1].start, 200U);
	/* touching the first held: merged, and first */
	teach_sack_rcv_add(b, &n, 4, 300, 350);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, b[0].start, 200U);
	KUNIT_EXPECT_EQ(test, b[0].end, 350U);
	KUNIT_EXPECT_EQ(test, b[1].start, 400U);
	/* filling the gap: one block */
	teach_sack_rcv_add(b, &n, 4, 340, 420);
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, b[0].start, 200U);
	KUNIT_EXPECT_EQ(test, b[0].end, 500U);
	/* more than max: the oldest goes */
	teach_sack_rcv_add(b, &n, 4, 600, 700);
	teach_sack_rcv_add(b, &n, 4, 800, 900);
	teach_sack_rcv_add(b, &n, 4, 1000, 1100);
	teach_sack_rcv_add(b, &n, 4, 1200, 1300);
	KUNIT_ASSERT_EQ(test, n, 4);
	KUNIT_EXPECT_EQ(test, b[0].start, 1200U);
	KUNIT_EXPECT_EQ(test, b[3].start, 600U);
	/* rcv_nxt passes some: they go, one is trimmed */
	teach_sack_rcv_advance(b, &n, 850);
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, b[2].start, 850U);
	KUNIT_EXPECT_EQ(test, b[0].start, 1200U);
	teach_sack_rcv_advance(b, &n, 1300);
	KUNIT_EXPECT_EQ(test, n, 0);

	/* across the wrap */
	teach_sack_rcv_add(b, &n, 3, 0xffffff00U, 0xffffffffU);
	teach_sack_rcv_add(b, &n, 3, 0xffffffffU, 0x100);
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, b[0].start, 0xffffff00U);
	KUNIT_EXPECT_EQ(test, b[0].end, 0x100U);
	teach_sack_rcv_advance(b, &n, 0x10);
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, b[0].start, 0x10U);
}

static void teach_sb_test(struct kunit *test)
{
	struct teach_sack_sb sb = {};
	unsigned int i;

	teach_sb_add(&sb, 3000, 4000);
	teach_sb_add(&sb, 1000, 2000);
	teach_sb_add(&sb, 5000, 6000);
	KUNIT_ASSERT_EQ(test, sb.n, 3);
	KUNIT_EXPECT_EQ(test, sb.r[0].start, 1000U);	/* sorted */
	KUNIT_EXPECT_EQ(test, sb.r[2].start, 5000U);
	KUNIT_EXPECT_EQ(test, teach_sb_high(&sb), 6000U);
	/* an empty or reversed block changes nothing */
	teach_sb_add(&sb, 7000, 7000);
	teach_sb_add(&sb, 8000, 7500);
	KUNIT_EXPECT_EQ(test, sb.n, 3);
	/* the same again, and one inside: no change */
	teach_sb_add(&sb, 3000, 4000);
	teach_sb_add(&sb, 3200, 3300);
	KUNIT_EXPECT_EQ(test, sb.n, 3);
	/* one spanning two: merged with both */
	teach_sb_add(&sb, 1500, 3500);
	KUNIT_ASSERT_EQ(test, sb.n, 2);
	KUNIT_EXPECT_EQ(test, sb.r[0].start, 1000U);
	KUNIT_EXPECT_EQ(test, sb.r[0].end, 4000U);
	/* touching: merged */
	teach_sb_add(&sb, 4000, 5000);
	KUNIT_ASSERT_EQ(test, sb.n, 1);
	KUNIT_EXPECT_EQ(test, sb.r[0].end, 6000U);
	KUNIT_EXPECT_TRUE(test, teach_sb_covers(&sb, 1000, 6000));
	KUNIT_EXPECT_TRUE(test, teach_sb_covers(&sb, 2000, 2100));
	KUNIT_EXPECT_FALSE(test, teach_sb_covers(&sb, 900, 1100));
	KUNIT_EXPECT_FALSE(test, teach_sb_covers(&sb, 5900, 6100));
	KUNIT_EXPECT_EQ(test, teach_sb_sacked_above(&sb, 0), 5000U);
	KUNIT_EXPECT_EQ(test, teach_sb_sacked_above(&sb, 5500), 500U);
	/* snd_una moves into it */
	teach_sb_advance(&sb, 2000);
	KUNIT_ASSERT_EQ(test, sb.n, 1);
	KUNIT_EXPECT_EQ(test, sb.r[0].start, 2000U);
	teach_sb_advance(&sb, 6000);
	KUNIT_EXPECT_EQ(test, sb.n, 0);

	/* IsLost: three ranges above, or more than 2 SMSS */
	teach_sb_add(&sb, 200, 300);
	teach_sb_add(&sb, 400, 500);
	KUNIT_EXPECT_FALSE(test, teach_sb_is_lost(&sb, 100, 100));
	teach_sb_add(&sb, 600, 700);
	KUNIT_EXPECT_TRUE(test, teach_sb_is_lost(&sb, 100, 100));
	KUNIT_EXPECT_FALSE(test, teach_sb_is_lost(&sb, 300, 100));
	KUNIT_EXPECT_TRUE(test, teach_sb_is_lost(&sb, 100, 1000));
	teach_sb_add(&sb, 700, 3000);
	KUNIT_EXPECT_TRUE(test, teach_sb_is_lost(&sb, 500, 1000));
	teach_sb_advance(&sb, 3000);
	KUNIT_EXPECT_EQ(test, sb.n, 0);

	/* full: the highest range goes, a new highest is not kept */
	for (i = 0; i < TEACH_SACK_SB_MAX; i++)
		teach_sb_add(&sb, 1000 + 100 * i, 1050 + 100 * i);
	KUNIT_ASSERT_EQ(test, sb.n, TEACH_SACK_SB_MAX);
	teach_sb_add(&sb, 100000, 100050);
	KUNIT_EXPECT_EQ(test, sb.n, TEACH_SACK_SB_MAX);
	KUNIT_EXPECT_EQ(test, teach_sb_high(&sb), 1050U + 100 * (TEACH_SACK_SB_MAX - 1));
	teach_sb_add(&sb, 10, 20);
	KUNIT_EXPECT_EQ(test, sb.n, TEACH_SACK_SB_MAX);
	KUNIT_EXPECT_EQ(test, sb.r[0].start, 10U);
	KUNIT_EXPECT_EQ(test, teach_sb_high(&sb), 1050U + 100 * (TEACH_SACK_SB_MAX - 2));
	/* one covering them all */
	teach_sb_add(&sb, 0, 200000);
	KUNIT_ASSERT_EQ(test, sb.n, 1);
	KUNIT_EXPECT_EQ(test, sb.r[0].end, 200000U);
	teach_sb_advance(&sb, 200000);

	/* across the wrap: sorted modulo 2^32 */
	teach_sb_add(&sb, 0x100, 0x200);
	teach_sb_add(&sb, 0xffffff00U, 0xffffff80U);
	KUNIT_ASSERT_EQ(test, sb.n, 2);
	KUNIT_EXPECT_EQ(test, sb.r[0].start, 0xffffff00U);
	KUNIT_EXPECT_EQ(test, teach_sb_high(&sb), 0x200U);
	teach_sb_add(&sb, 0xffffff80U, 0x100);
	KUNIT_ASSERT_EQ(test, sb.n, 1);
	KUNIT_EXPECT_TRUE(test, teach_sb_covers(&sb, 0xfffffff0U, 0x10));
	KUNIT_EXPECT_EQ(test, teach_sb_sacked_above(&sb, 0xfffffe00U), 0x300U);
	teach_sb_advance(&sb, 0x80);
	KUNIT_ASSERT_EQ(test, sb.n, 1);
	KUNIT_EXPECT_EQ(test, sb.r[0].start, 0x80U);
}

static struct kunit_case teach_stream_cases[] = {
	KUNIT_CASE(teach_seq_wrap_test),
	KUNIT_CASE(teach_seq_acceptable_test),
	KUNIT_CASE(teach_isn_test),
	KUNIT_CASE(teach_rtt_test),
	KUNIT_CASE(teach_reno_test),
	KUNIT_CASE(teach_newreno_test),
	KUNIT_CASE(teach_ofo_test),
	KUNIT_CASE(teach_opts_roundtrip_test),
	KUNIT_CASE(teach_opts_bad_test),
	KUNIT_CASE(teach_wscale_test),
	KUNIT_CASE(teach_sack_rcv_test),
	KUNIT_CASE(teach_sb_test),
	{}
};

static struct kunit_suite teach_stream_suite = {
	.name = "teach_stream",
	.test_cases = teach_stream_cases,
};

kunit_test_suite(teach_stream_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of teach's stream transport arithmetic");
