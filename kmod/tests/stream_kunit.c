// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the stream transport's pure logic: sequence numbers
 * that wrap, RFC 9293's acceptability test, the RFC 6528 ISN, the RFC
 * 6298 retransmission timeout, Reno and NewReno's windows, the
 * out-of-order queue, and the options of RFC 7323 and RFC 2018: parsing
 * and building them, window scale arithmetic, the receiver's SACK blocks
 * and the sender's scoreboard; and, in a suite of its own, CUBIC's
 * arithmetic and the registry of algorithms.  The code under test is compiled in, as
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
	/* slow start: what the ACK covers, an ACK of several segments too */
	teach_cong_ack(&c, 1000, 1000, 3000, 0, 0);
	KUNIT_EXPECT_EQ(test, c.cwnd, 5000U);
	teach_cong_ack(&c, 4000, 3000, 2000, 0, 0);
	KUNIT_EXPECT_EQ(test, c.cwnd, 8000U);
	/* ... but never past ssthresh */
	c.ssthresh = 9000;
	teach_cong_ack(&c, 7000, 4000, 4000, 0, 0);
	KUNIT_EXPECT_EQ(test, c.cwnd, 9000U);
	/* congestion avoidance: one SMSS per cwnd acknowledged */
	c.cwnd = 6000;
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

/* RFC 6675 5 (C): SACK shows the loss before three duplicate ACKs do */
static void teach_sack_loss_test(struct kunit *test)
{
	struct teach_cong_state c;

	teach_cong_init(&c, &teach_reno, 1000);
	c.cwnd = 40000;
	/* one duplicate ACK whose SACK covers a super-packet above una */
	KUNIT_EXPECT_EQ(test, teach_cong_dupack(&c, 40000, 1000, 41000),
			TEACH_CONG_NONE);
	KUNIT_EXPECT_EQ(test, teach_cong_sack_loss(&c, 40000, 1000, 41000),
			TEACH_CONG_RETRANSMIT);
	KUNIT_EXPECT_TRUE(test, c.in_recovery);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 20000U);
	KUNIT_EXPECT_EQ(test, c.cwnd, 23000U);
	KUNIT_EXPECT_EQ(test, c.recover, 40999U);
	/* in recovery already: nothing new */
	KUNIT_EXPECT_EQ(test, teach_cong_sack_loss(&c, 40000, 1000, 41000),
			TEACH_CONG_NONE);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 20000U);
	/* after it, data sent before recover starts no second one */
	teach_cong_ack(&c, 41000, 40000, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, c.in_recovery);
	KUNIT_EXPECT_EQ(test, teach_cong_sack_loss(&c, 2000, 40000, 42000),
			TEACH_CONG_NONE);
	KUNIT_EXPECT_EQ(test, teach_cong_sack_loss(&c, 2000, 41000, 43000),
			TEACH_CONG_RETRANSMIT);
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
	KUNIT_CASE(teach_sack_loss_test),
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

/* ---- CUBIC (stream_cubic.c) and the registry ---- */

#define CUBIC_MSS	1000

/*
 * A connection that just ended the recovery of its first loss at a
 * window of 100 segments: ssthresh and cwnd 70, W_max 100.
 */
static void cubic_after_loss(struct kunit *test, struct teach_cong_state *c)
{
	int i;

	teach_cong_init(c, &teach_cubic, CUBIC_MSS);
	c->cwnd = 100 * CUBIC_MSS;
	for (i = 0; i < TEACH_DUPACK_THRESH; i++)
		teach_cong_dupack(c, 100 * CUBIC_MSS, 1000, 101000);
	KUNIT_ASSERT_TRUE(test, c->in_recovery);
	teach_cong_ack(c, 101000, 100 * CUBIC_MSS, 70 * CUBIC_MSS, 0, 0);
	KUNIT_ASSERT_FALSE(test, c->in_recovery);
	KUNIT_ASSERT_EQ(test, c->cwnd, 70U * CUBIC_MSS);
	KUNIT_ASSERT_EQ(test, c->ssthresh, 70U * CUBIC_MSS);
}

/* rounds round trips of rtt_ms, each acknowledging a window, 10 SMSS an ACK */
static void cubic_rounds(struct teach_cong_state *c, u32 *now, u32 rtt_ms,
			 int rounds)
{
	u32 left, a;
	int r;

	for (r = 0; r < rounds; r++) {
		for (left = c->cwnd; left; left -= a) {
			a = min(left, 10U * c->mss);
			teach_cong_ack(c, 0, a, c->cwnd, *now, rtt_ms * 1000);
		}
		*now += rtt_ms;
	}
}

static void teach_cubic_root_test(struct kunit *test)
{
	static const struct {
		u64 x;
		u32 root;
	} v[] = {
		{ 0, 0 }, { 1, 1 }, { 7, 1 }, { 8, 2 }, { 26, 2 }, { 27, 3 },
		{ 63, 3 }, { 64, 4 }, { 1000000000000000000ULL, 1000000 },
		{ 1000000000000000000ULL - 1, 999999 },
		{ 75000000000ULL, 4217 },	/* 4217^3 < 7.5e10 < 4218^3 */
		{ U64_MAX, 2642245 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		KUNIT_EXPECT_EQ_MSG(test, teach_cubic_root(v[i].x), v[i].root,
				    "cbrt(%llu)", v[i].x);
}

static void teach_cubic_k_test(struct kunit *test)
{
	/* K = cbrt((W_max - cwnd) / C): 0.4 segment below is 1 s, 3.2 is 2 s */
	KUNIT_EXPECT_EQ(test, teach_cubic_k_ms(400, 1000), 1000U);
	KUNIT_EXPECT_EQ(test, teach_cubic_k_ms(3200, 1000), 2000U);
	KUNIT_EXPECT_EQ(test, teach_cubic_k_ms(0, 1000), 0U);
	/* the loss of RFC 9438's example: W_max 100, beta 0.7: K = 4.217 s */
	KUNIT_EXPECT_EQ(test, teach_cubic_k_ms(30 * 1448, 1448), 4217U);
	KUNIT_EXPECT_EQ(test, teach_cubic_k_ms(30 * 1000, 1000), 4217U);
	/* 10 segments: cbrt(7.5) s */
	KUNIT_EXPECT_EQ(test, teach_cubic_k_ms(3 * 1000, 1000), 1957U);
}

/* W_cubic(t): concave up to W_max at K, flat there, convex after */
static void teach_cubic_curve_test(struct kunit *test)
{
	struct teach_cubic_state s = {
		.origin = 100 * CUBIC_MSS,
		.k_ms = teach_cubic_k_ms(30 * CUBIC_MSS, CUBIC_MSS),
	};
	u32 k = s.k_ms, w[8];
	int i;

	KUNIT_EXPECT_EQ(test, teach_cubic_w(&s, CUBIC_MSS, 0), 70004U);
	KUNIT_EXPECT_EQ(test, teach_cubic_w(&s, CUBIC_MSS, k), 100000U);
	/* C * 1 s^3 = 0.4 segment either side of K */
	KUNIT_EXPECT_EQ(test, teach_cubic_w(&s, CUBIC_MSS, k + 1000), 100400U);
	KUNIT_EXPECT_EQ(test, teach_cubic_w(&s, CUBIC_MSS, k - 1000), 99600U);
	for (i = 0; i < 8; i++)
		w[i] = teach_cubic_w(&s, CUBIC_MSS, i * 1000);
	for (i = 1; i < 8; i++)		/* growing all the time */
		KUNIT_EXPECT_GE(test, w[i], w[i - 1]);
	/* concave: each second adds less, up to K (4.2 s) */
	for (i = 2; i <= 4; i++)
		KUNIT_EXPECT_LT(test, w[i] - w[i - 1], w[i - 1] - w[i - 2]);
	/* convex after it: each second adds more */
	for (i = 7; i >= 6; i--)
		KUNIT_EXPECT_GT(test, w[i] - w[i - 1], w[i - 1] - w[i - 2]);
	KUNIT_EXPECT_LE(test, w[4], 100000U);
	KUNIT_EXPECT_GT(test, w[5], 100000U);
}

/* The window after a loss, by the ACK clock of a 100 ms path */
static void teach_cubic_growth_test(struct kunit *test)
{
	struct teach_cong_state c;
	u32 now = 5000, w[6];
	int i;

	cubic_after_loss(test, &c);
	w[0] = c.cwnd;
	for (i = 1; i < 6; i++) {
		cubic_rounds(&c, &now, 100, 10);	/* one second */
		w[i] = c.cwnd;
	}
	KUNIT_EXPECT_EQ(test, c.priv.cubic.k_ms, 4217U);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.epoch_start, 5000U);
	/* quickly back towards W_max, slower and slower (concave) */
	KUNIT_EXPECT_GE(test, w[1], 85U * CUBIC_MSS);
	for (i = 2; i <= 4; i++) {
		KUNIT_EXPECT_LE(test, w[i], 100U * CUBIC_MSS);
		KUNIT_EXPECT_LE(test, w[i] - w[i - 1], w[i - 1] - w[i - 2]);
	}
	/* it leaves W_max after K */
	KUNIT_EXPECT_GT(test, w[5], 100U * CUBIC_MSS);
	/* the cubic region: above what Reno would have, never above 1.5x */
	KUNIT_EXPECT_GT(test, c.cwnd, c.priv.cubic.w_est);
	KUNIT_EXPECT_LE(test, c.cwnd, teach_cubic_w(&c.priv.cubic, CUBIC_MSS,
						    now - 5000 + 100) +
			CUBIC_MSS);
}

/* Short RTTs: the curve barely moves per round trip, Reno's W_est wins */
static void teach_cubic_friendly_test(struct kunit *test)
{
	struct teach_cong_state c;
	u32 now = 5000;

	cubic_after_loss(test, &c);
	cubic_rounds(&c, &now, 1, 200);		/* 200 round trips of 1 ms */
	KUNIT_EXPECT_EQ(test, c.cwnd, c.priv.cubic.w_est);
	/* 0.53 segment per RTT, then 1 from cwnd_prior on: far above the curve */
	KUNIT_EXPECT_GT(test, c.cwnd, 200U * CUBIC_MSS);
	KUNIT_EXPECT_LT(test, teach_cubic_w(&c.priv.cubic, CUBIC_MSS, 200),
			80U * CUBIC_MSS);

	/* the same 0.2 s on a 100 ms path is the cubic region */
	cubic_after_loss(test, &c);
	now = 5000;
	cubic_rounds(&c, &now, 100, 2);
	KUNIT_EXPECT_GT(test, c.cwnd, c.priv.cubic.w_est);
	KUNIT_EXPECT_LT(test, c.cwnd, 80U * CUBIC_MSS);
}

/* beta = 0.7 of FlightSize, W_max, and fast convergence */
static void teach_cubic_beta_test(struct kunit *test)
{
	struct teach_cong_state c;
	int i;

	cubic_after_loss(test, &c);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.w_max, 100U * CUBIC_MSS);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.prior, 100U * CUBIC_MSS);
	KUNIT_EXPECT_FALSE(test, c.priv.cubic.epoch_valid);

	/* a loss below W_max: fast convergence, W_max = 80 * (1 + 0.7) / 2 */
	c.cwnd = 80 * CUBIC_MSS;
	c.recover_valid = false;
	for (i = 0; i < TEACH_DUPACK_THRESH; i++)
		teach_cong_dupack(&c, 80 * CUBIC_MSS, 200000, 280000);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 56U * CUBIC_MSS);
	KUNIT_EXPECT_EQ(test, c.cwnd, 59U * CUBIC_MSS);	/* + 3 SMSS */
	KUNIT_EXPECT_EQ(test, c.priv.cubic.w_max, 68U * CUBIC_MSS);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.prior, 80U * CUBIC_MSS);

	/* a loss above W_max: no fast convergence, W_max is the window */
	c.in_recovery = false;
	c.recover_valid = false;
	c.dupacks = 0;
	for (i = 0; i < TEACH_DUPACK_THRESH; i++)
		teach_cong_dupack(&c, 120 * CUBIC_MSS, 300000, 420000);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 84U * CUBIC_MSS);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.w_max, 120U * CUBIC_MSS);

	/* never below 2 SMSS */
	KUNIT_EXPECT_EQ(test, teach_cubic.ssthresh(&c, CUBIC_MSS), 2U * CUBIC_MSS);

	/* the next epoch after W_max 100, cwnd 70 has K = 4.217 s */
	cubic_after_loss(test, &c);
	teach_cong_ack(&c, 0, CUBIC_MSS, 70 * CUBIC_MSS, 1234, 100000);
	KUNIT_EXPECT_TRUE(test, c.priv.cubic.epoch_valid);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.k_ms, 4217U);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.origin, 100U * CUBIC_MSS);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.w_est, 70U * CUBIC_MSS);
}

/* A timeout: one segment, slow start, then a curve with K = 0 */
static void teach_cubic_timeout_test(struct kunit *test)
{
	struct teach_cong_state c;
	u32 now = 100;

	cubic_after_loss(test, &c);
	cubic_rounds(&c, &now, 100, 5);
	KUNIT_ASSERT_TRUE(test, c.priv.cubic.epoch_valid);
	teach_cong_timeout(&c, 50 * CUBIC_MSS, 500000);
	KUNIT_EXPECT_EQ(test, c.cwnd, 1U * CUBIC_MSS);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 35U * CUBIC_MSS);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.w_max, 0U);
	KUNIT_EXPECT_FALSE(test, c.priv.cubic.epoch_valid);
	/* Reno's slow start: one SMSS per ACK of one */
	teach_cong_ack(&c, 0, CUBIC_MSS, CUBIC_MSS, now, 100000);
	KUNIT_EXPECT_EQ(test, c.cwnd, 2U * CUBIC_MSS);
	KUNIT_EXPECT_FALSE(test, c.priv.cubic.epoch_valid);
	c.cwnd = c.ssthresh;
	teach_cong_ack(&c, 0, CUBIC_MSS, c.cwnd, now, 100000);
	KUNIT_EXPECT_TRUE(test, c.priv.cubic.epoch_valid);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.k_ms, 0U);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.origin, 35U * CUBIC_MSS);
	/* convex from there: after 2 s, + 0.4 * 2^3 = 3.2 segments */
	KUNIT_EXPECT_EQ(test, teach_cubic_w(&c.priv.cubic, CUBIC_MSS, 2000),
			35U * CUBIC_MSS + 3200);
}

/* Windows of 1 GiB, an MSS of 1 and of 65535, hours and 49 days */
static void teach_cubic_overflow_test(struct kunit *test)
{
	struct teach_cubic_state s = { .origin = TEACH_CONG_WND_MAX };
	struct teach_cong_state c;
	u32 t, prev = 0, w;
	u64 t64;

	/* the largest K there can be: cbrt(2^32 * 2.5e9) ms */
	KUNIT_EXPECT_EQ(test, teach_cubic_k_ms(U32_MAX, 1), 2206141U);
	s.k_ms = teach_cubic_k_ms(TEACH_CONG_WND_MAX, 1);
	for (t64 = 0; t64 <= U32_MAX; t64 = t64 * 2 + 1) {
		t = (u32)t64;
		w = teach_cubic_w(&s, 1, t);
		KUNIT_EXPECT_GE_MSG(test, w, prev, "t %u", t);
		KUNIT_EXPECT_LE(test, w, TEACH_CONG_WND_MAX);
		prev = w;
	}
	s.origin = 1000 * 65535;
	s.k_ms = 0;
	KUNIT_EXPECT_EQ(test, teach_cubic_w(&s, 65535, U32_MAX),
			TEACH_CONG_WND_MAX);
	/* 10 hours convex, SMSS 65535: capped, not wrapped */
	KUNIT_EXPECT_EQ(test, teach_cubic_w(&s, 65535, 36000000),
			TEACH_CONG_WND_MAX);
	/* just inside the limit: 2e6 ms, 0.4 * 2000^3 segments of 1 byte */
	KUNIT_EXPECT_EQ(test, teach_cubic_w(&s, 1, 2000000),
			min_t(u64, 1000ULL * 65535 + 3200000000ULL,
			      TEACH_CONG_WND_MAX));

	/* a huge window with a huge ACK late in a long epoch stays in range */
	teach_cong_init(&c, &teach_cubic, 65535);
	c.cwnd = TEACH_CONG_WND_MAX - 65535;
	c.ssthresh = 2 * 65535;
	teach_cong_ack(&c, 0, U32_MAX, c.cwnd, 0, 0);
	teach_cong_ack(&c, 0, U32_MAX, c.cwnd, 40000000, 60000000);
	KUNIT_EXPECT_LE(test, c.cwnd, TEACH_CONG_WND_MAX);
	KUNIT_EXPECT_GE(test, c.cwnd, TEACH_CONG_WND_MAX - 65535);
	KUNIT_EXPECT_LE(test, c.priv.cubic.w_est, TEACH_CONG_WND_MAX);
	/* beta of a flight near 4 GiB: computed in 64 bits */
	KUNIT_EXPECT_EQ(test, teach_cubic.ssthresh(&c, 4000000000U),
			2800000000U);
	/* the clock wrapping inside an epoch */
	teach_cong_init(&c, &teach_cubic, 1000);
	c.cwnd = 50000;
	c.ssthresh = 50000;
	teach_cong_ack(&c, 0, 1000, c.cwnd, U32_MAX - 500, 100000);
	teach_cong_ack(&c, 0, 50000, c.cwnd, 1500, 100000);
	/* t = 2001 ms, not 4e9: the curve is 3.7 segments ahead, not 1.5x */
	KUNIT_EXPECT_GT(test, c.cwnd, 50000U);
	KUNIT_EXPECT_LE(test, c.cwnd, 54000U);
}

static void teach_cong_registry_test(struct kunit *test)
{
	struct teach_cong_state c;
	char buf[64];

	KUNIT_EXPECT_PTR_EQ(test, teach_cong_find("reno"), &teach_reno);
	KUNIT_EXPECT_PTR_EQ(test, teach_cong_find("cubic"), &teach_cubic);
	KUNIT_EXPECT_NULL(test, teach_cong_find("CUBIC"));
	KUNIT_EXPECT_NULL(test, teach_cong_find("cubi"));
	KUNIT_EXPECT_NULL(test, teach_cong_find(""));
	teach_cong_available(buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "reno cubic");
	teach_cong_available(buf, 6);
	KUNIT_EXPECT_STREQ(test, buf, "reno ");

	/* switching a live connection keeps its windows, forgets the rest */
	cubic_after_loss(test, &c);
	c.cwnd_acc = 500;
	teach_cong_set_ops(&c, &teach_reno);
	KUNIT_EXPECT_PTR_EQ(test, c.ops, &teach_reno);
	KUNIT_EXPECT_EQ(test, c.cwnd, 70U * CUBIC_MSS);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 70U * CUBIC_MSS);
	KUNIT_EXPECT_EQ(test, c.cwnd_acc, 0U);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.w_max, 0U);
	teach_cong_set_ops(&c, &teach_cubic);
	teach_cong_ack(&c, 0, CUBIC_MSS, c.cwnd, 77, 0);
	KUNIT_EXPECT_EQ(test, c.priv.cubic.k_ms, 0U);	/* no W_max any more */
	KUNIT_EXPECT_EQ(test, c.priv.cubic.origin, 70U * CUBIC_MSS);
	/* the same algorithm again changes nothing */
	teach_cong_set_ops(&c, &teach_cubic);
	KUNIT_EXPECT_TRUE(test, c.priv.cubic.epoch_valid);
}

static struct kunit_case teach_cubic_cases[] = {
	KUNIT_CASE(teach_cubic_root_test),
	KUNIT_CASE(teach_cubic_k_test),
	KUNIT_CASE(teach_cubic_curve_test),
	KUNIT_CASE(teach_cubic_growth_test),
	KUNIT_CASE(teach_cubic_friendly_test),
	KUNIT_CASE(teach_cubic_beta_test),
	KUNIT_CASE(teach_cubic_timeout_test),
	KUNIT_CASE(teach_cubic_overflow_test),
	KUNIT_CASE(teach_cong_registry_test),
	{}
};

static struct kunit_suite teach_cubic_suite = {
	.name = "teach_cubic",
	.test_cases = teach_cubic_cases,
};

kunit_test_suites(&teach_stream_suite, &teach_cubic_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of teach's stream transport arithmetic");
