// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of reassembly's pure logic (frag_queue.c): fragments put
 * back together in any order, duplicates dropped, overlaps and length
 * disagreements refused, the header of the whole packet rewritten, and
 * the fragment size for an MTU.  Real skbs, no namespace: the code under
 * test is compiled in, as net/mctp/test does.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <net/ip.h>

#include "../frag_queue.c"

#define HLEN		TEACH_HLEN
#define PKT_MAX		4096

/* The payload byte at offset off of the packet under test. */
static u8 pattern(unsigned int off)
{
	return (u8)(off * 7 + (off >> 8) + 1);
}

/* A fragment of payload [off, off + len) of a packet with id 42. */
static struct sk_buff *frag(struct kunit *test, unsigned int off,
			    unsigned int len, bool more)
{
	struct sk_buff *skb = alloc_skb(HLEN + len, GFP_KERNEL);
	struct teachhdr *th;
	unsigned int i;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	th = skb_put_zero(skb, HLEN);
	th->ver_ihl = TEACH_VERSION << 4 | TEACH_MIN_IHL;
	th->tot_len = htons(HLEN + len);
	th->id = htons(42);
	th->frag_off = htons((off >> 3) | (more ? TEACH_MF : 0) | TEACH_DF);
	th->ttl = 64;
	th->protocol = 17;
	th->check = ip_fast_csum(th, TEACH_MIN_IHL);
	p = skb_put(skb, len);
	for (i = 0; i < len; i++)
		p[i] = pattern(off + i);
	skb_reset_network_header(skb);
	return skb;
}

static int insert(struct kunit *test, struct teach_fragq *q, unsigned int off,
		  unsigned int len, bool more)
{
	struct sk_buff *skb = frag(test, off, len, more);
	int verdict = teach_fragq_insert(q, skb, off, len, HLEN, !more);

	if (verdict != TEACH_FRAGQ_QUEUED)
		kfree_skb(skb);
	return verdict;
}

/* The whole packet is total payload bytes of the pattern behind a header. */
static void expect_whole(struct kunit *test, struct sk_buff *skb,
			 unsigned int total)
{
	const struct teachhdr *th;
	u8 *buf;
	unsigned int i, bad = 0;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, skb->len, HLEN + total);
	th = (const struct teachhdr *)skb->data;
	KUNIT_EXPECT_EQ(test, ntohs(th->tot_len), HLEN + total);
	/* offset and MF gone, DF kept; the header sums to zero again */
	KUNIT_EXPECT_EQ(test, ntohs(th->frag_off), TEACH_DF);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(th, TEACH_MIN_IHL), 0);
	buf = kunit_kmalloc(test, total, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, HLEN, buf, total), 0);
	for (i = 0; i < total; i++)
		bad += buf[i] != pattern(i);
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "%u payload bytes wrong", bad);
	kfree_skb(skb);
}

static void teach_fragq_in_order_test(struct kunit *test)
{
	struct teach_fragq q;

	teach_fragq_init(&q);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 0, 1480, true), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_FALSE(test, teach_fragq_complete(&q));
	KUNIT_EXPECT_NULL(test, teach_fragq_join(&q));
	KUNIT_EXPECT_EQ(test, insert(test, &q, 1480, 1480, true), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_FALSE(test, teach_fragq_complete(&q));
	KUNIT_EXPECT_EQ(test, insert(test, &q, 2960, 41, false), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_TRUE(test, teach_fragq_complete(&q));
	KUNIT_EXPECT_EQ(test, q.nfrags, 3U);
	expect_whole(test, teach_fragq_join(&q), 3001);
	/* join leaves the queue empty */
	KUNIT_EXPECT_NULL(test, teach_fragq_first(&q));
	KUNIT_EXPECT_EQ(test, q.truesize, 0U);
}

/* Any order, with duplicates sprinkled in: the same packet comes out. */
static void teach_fragq_any_order_test(struct kunit *test)
{
	unsigned int order[64], n, i, j, size, total, round;
	struct teach_fragq q;

	for (round = 0; round < 50; round++) {
		size = 8 * (1 + get_random_u32_below(32));
		total = 1 + get_random_u32_below(PKT_MAX);
		n = DIV_ROUND_UP(total, size);
		if (n > ARRAY_SIZE(order)) {
			size = round_up(DIV_ROUND_UP(total, ARRAY_SIZE(order)), 8);
			n = DIV_ROUND_UP(total, size);
		}
		for (i = 0; i < n; i++)
			order[i] = i;
		for (i = n - 1; i > 0; i--) {
			j = get_random_u32_below(i + 1);
			swap(order[i], order[j]);
		}
		teach_fragq_init(&q);
		for (i = 0; i < n; i++) {
			unsigned int off = order[i] * size;
			unsigned int len = min(size, total - off);
			bool more = off + len < total;

			KUNIT_ASSERT_FALSE(test, teach_fragq_complete(&q));
			KUNIT_ASSERT_EQ(test, insert(test, &q, off, len, more),
					TEACH_FRAGQ_QUEUED);
			/* a copy of one already held changes nothing */
			if (get_random_u32_below(3) == 0) {
				j = order[get_random_u32_below(i + 1)];
				off = j * size;
				len = min(size, total - off);
				KUNIT_EXPECT_EQ(test, insert(test, &q, off, len,
							     off + len < total),
						TEACH_FRAGQ_DUP);
			}
		}
		KUNIT_ASSERT_TRUE(test, teach_fragq_complete(&q));
		expect_whole(test, teach_fragq_join(&q), total);
	}
}

static void teach_fragq_overlap_test(struct kunit *test)
{
	struct teach_fragq q;

	teach_fragq_init(&q);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 16, 16, true), TEACH_FRAGQ_QUEUED);
	/* starts before, ends inside */
	KUNIT_EXPECT_EQ(test, insert(test, &q, 8, 16, true), TEACH_FRAGQ_OVERLAP);
	/* starts inside, ends after */
	KUNIT_EXPECT_EQ(test, insert(test, &q, 24, 16, true), TEACH_FRAGQ_OVERLAP);
	/* covers it whole */
	KUNIT_EXPECT_EQ(test, insert(test, &q, 8, 32, true), TEACH_FRAGQ_OVERLAP);
	/* lies inside it: a duplicate, not an overlap */
	KUNIT_EXPECT_EQ(test, insert(test, &q, 16, 8, true), TEACH_FRAGQ_DUP);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 24, 8, true), TEACH_FRAGQ_DUP);
	/* touching on either side is fine */
	KUNIT_EXPECT_EQ(test, insert(test, &q, 8, 8, true), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 32, 8, true), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_EQ(test, q.nfrags, 3U);
	KUNIT_EXPECT_EQ(test, q.meat, 32U);
	teach_fragq_purge(&q);
	KUNIT_EXPECT_NULL(test, teach_fragq_first(&q));
}

static void teach_fragq_end_test(struct kunit *test)
{
	struct teach_fragq q;

	teach_fragq_init(&q);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 16, 8, false), TEACH_FRAGQ_QUEUED);
	/* a second last fragment must end where the first did */
	KUNIT_EXPECT_EQ(test, insert(test, &q, 16, 16, false), TEACH_FRAGQ_BAD);
	/* nothing may lie beyond the end */
	KUNIT_EXPECT_EQ(test, insert(test, &q, 24, 8, true), TEACH_FRAGQ_BAD);
	/* the same last fragment again is a duplicate */
	KUNIT_EXPECT_EQ(test, insert(test, &q, 16, 8, false), TEACH_FRAGQ_DUP);
	teach_fragq_purge(&q);

	/* a last fragment that ends before data already held */
	teach_fragq_init(&q);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 32, 8, true), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 0, 16, false), TEACH_FRAGQ_BAD);
	teach_fragq_purge(&q);
}

static void teach_fragq_gap_test(struct kunit *test)
{
	struct teach_fragq q;
	struct sk_buff *skb;

	teach_fragq_init(&q);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 0, 8, true), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 16, 8, false), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_FALSE(test, teach_fragq_complete(&q));
	KUNIT_EXPECT_NULL(test, teach_fragq_join(&q));
	/* a failed join leaves the fragments held */
	KUNIT_EXPECT_EQ(test, q.nfrags, 2U);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 8, 8, true), TEACH_FRAGQ_QUEUED);
	expect_whole(test, teach_fragq_join(&q), 24);

	/* the first fragment can be taken out, to quote in an error */
	teach_fragq_init(&q);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 16, 8, false), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 0, 8, true), TEACH_FRAGQ_QUEUED);
	skb = teach_fragq_pop_first(&q);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, TEACH_FRAG_CB(skb)->offset, 0U);
	KUNIT_EXPECT_FALSE(test, q.flags & TEACH_FRAGQ_FIRST_IN);
	KUNIT_EXPECT_EQ(test, q.nfrags, 1U);
	KUNIT_EXPECT_EQ(test, q.meat, 8U);
	kfree_skb(skb);
	/* and the tree is still sound */
	KUNIT_EXPECT_EQ(test, insert(test, &q, 8, 8, true), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_EQ(test, TEACH_FRAG_CB(teach_fragq_first(&q))->offset, 8U);
	teach_fragq_purge(&q);

	/* without the first fragment it is never whole */
	teach_fragq_init(&q);
	KUNIT_EXPECT_EQ(test, insert(test, &q, 8, 8, false), TEACH_FRAGQ_QUEUED);
	KUNIT_EXPECT_FALSE(test, teach_fragq_complete(&q));
	teach_fragq_purge(&q);
}

static void teach_frag_size_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, teach_frag_size(1500, 20), 1480U);
	KUNIT_EXPECT_EQ(test, teach_frag_size(576, 20), 552U);
	KUNIT_EXPECT_EQ(test, teach_frag_size(577, 20), 552U);
	KUNIT_EXPECT_EQ(test, teach_frag_size(68, 60), 8U);
	KUNIT_EXPECT_EQ(test, teach_frag_size(68, 20), 48U);
	KUNIT_EXPECT_EQ(test, teach_frag_size(27, 20), 0U);
	KUNIT_EXPECT_EQ(test, teach_frag_size(20, 20), 0U);
	KUNIT_EXPECT_EQ(test, teach_frag_size(10, 20), 0U);
}

static struct kunit_case teach_frag_cases[] = {
	KUNIT_CASE(teach_fragq_in_order_test),
	KUNIT_CASE(teach_fragq_any_order_test),
	KUNIT_CASE(teach_fragq_overlap_test),
	KUNIT_CASE(teach_fragq_end_test),
	KUNIT_CASE(teach_fragq_gap_test),
	KUNIT_CASE(teach_frag_size_test),
	{}
};

static struct kunit_suite teach_frag_suite = {
	.name = "teach-frag",
	.test_cases = teach_frag_cases,
};

kunit_test_suites(&teach_frag_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of teach's fragment queues");
