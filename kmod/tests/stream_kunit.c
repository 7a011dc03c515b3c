// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the stream transport's pure logic: sequence numbers
 * that wrap, RFC 9293's acceptability test, the RFC 6528 ISN, the RFC
 * 6298 retransmission timeout, Reno and NewReno's windows, and the
 * out-of-order queue.  The code under test is compiled in, as
 * teach_kunit.c does.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>

#include "../stream_cong.c"
#include "../stream_ofo.c"

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
	teach_cong_ack(&c, 1000, 1000, 3000);
	KUNIT_EXPECT_EQ(test, c.cwnd, 5000U);
	teach_cong_ack(&c, 4000, 3000, 2000);
	KUNIT_EXPECT_EQ(test, c.cwnd, 6000U);
	/* congestion avoidance: one SMSS per cwnd acknowledged */
	c.ssthresh = 6000;
	teach_cong_ack(&c, 7000, 3000, 3000);
	KUNIT_EXPECT_EQ(test, c.cwnd, 6000U);
	teach_cong_ack(&c, 10000, 3000, 3000);
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
	KUNIT_EXPECT_EQ(test, teach_cong_ack(&c, 4000, 3000, 7000),
			TEACH_CONG_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, c.cwnd, 7000U);
	KUNIT_EXPECT_TRUE(test, c.in_recovery);
	/* the full ACK ends it: min(ssthresh, flight + SMSS) */
	KUNIT_EXPECT_EQ(test, teach_cong_ack(&c, 11000, 7000, 0),
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

static struct kunit_case teach_stream_cases[] = {
	KUNIT_CASE(teach_seq_wrap_test),
	KUNIT_CASE(teach_seq_acceptable_test),
	KUNIT_CASE(teach_isn_test),
	KUNIT_CASE(teach_rtt_test),
	KUNIT_CASE(teach_reno_test),
	KUNIT_CASE(teach_newreno_test),
	KUNIT_CASE(teach_ofo_test),
	{}
};

static struct kunit_suite teach_stream_suite = {
	.name = "teach_stream",
	.test_cases = teach_stream_cases,
};

kunit_test_suite(teach_stream_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of teach's stream transport arithmetic");
