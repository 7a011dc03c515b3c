// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of teach's pure logic: longest-prefix match in the routing
 * table, the checksums (the datagram's with its pseudo-header too), the
 * order and verdicts of packet hooks, and the PCB tables' hashes and
 * ephemeral port search.
 * Built as teach_kunit.ko when the target kernel has CONFIG_KUNIT (the
 * debug kernel); `make check` loads it there.  The
 * code under test is compiled in, as net/mctp/test does, so that the tests
 * need no exported symbols.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/random.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "../fib.c"
#include "../hook_list.c"
#include "../pcb_hash.c"

static struct teach_route *fib_add(struct kunit *test, struct teach_fib *fib,
				   u32 dst, u8 plen, u32 metric)
{
	struct teach_route *rt = kunit_kzalloc(test, sizeof(*rt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rt);
	rt->dst = htonl(dst) & teach_plen_mask(plen);
	rt->plen = plen;
	rt->metric = metric;
	rt->type = TEACH_RTN_BLACKHOLE;
	KUNIT_ASSERT_EQ(test, teach_fib_insert(fib, rt), 0);
	return rt;
}

static struct teach_route *fib_get(struct teach_fib *fib, u32 addr)
{
	struct teach_route *rt;

	rcu_read_lock();
	rt = teach_fib_lookup(fib, htonl(addr));
	rcu_read_unlock();
	return rt;
}

/* kunit_kzalloc'd routes are freed by KUnit. */
static void fib_forget(struct teach_route *rt)
{
}

static void teach_plen_mask_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, teach_plen_mask(0), 0U);
	KUNIT_EXPECT_EQ(test, teach_plen_mask(1), htonl(0x80000000));
	KUNIT_EXPECT_EQ(test, teach_plen_mask(24), htonl(0xffffff00));
	KUNIT_EXPECT_EQ(test, teach_plen_mask(31), htonl(0xfffffffe));
	KUNIT_EXPECT_EQ(test, teach_plen_mask(32), 0xffffffffU);
}

static void teach_fib_longest_wins_test(struct kunit *test)
{
	struct teach_route *def, *r8, *r24, *host;
	struct teach_fib fib;

	KUNIT_ASSERT_EQ(test, teach_fib_init(&fib), 0);
	KUNIT_EXPECT_NULL(test, fib_get(&fib, 0x0a000001));
	def = fib_add(test, &fib, 0, 0, 0);
	r8 = fib_add(test, &fib, 0x0a000000, 8, 0);
	r24 = fib_add(test, &fib, 0x0a010200, 24, 0);
	host = fib_add(test, &fib, 0x0a010203, 32, 0);

	KUNIT_EXPECT_PTR_EQ(test, fib_get(&fib, 0x0a010203), host);
	KUNIT_EXPECT_PTR_EQ(test, fib_get(&fib, 0x0a010204), r24);
	KUNIT_EXPECT_PTR_EQ(test, fib_get(&fib, 0x0a0102ff), r24);
	KUNIT_EXPECT_PTR_EQ(test, fib_get(&fib, 0x0a010300), r8);
	KUNIT_EXPECT_PTR_EQ(test, fib_get(&fib, 0x0bffffff), def);

	/* Removing a prefix uncovers the next shorter one. */
	teach_fib_remove(&fib, host);
	KUNIT_EXPECT_PTR_EQ(test, fib_get(&fib, 0x0a010203), r24);
	teach_fib_remove(&fib, r24);
	KUNIT_EXPECT_PTR_EQ(test, fib_get(&fib, 0x0a010203), r8);
	teach_fib_remove(&fib, r8);
	teach_fib_remove(&fib, def);
	KUNIT_EXPECT_NULL(test, fib_get(&fib, 0x0a010203));
	KUNIT_EXPECT_EQ(test, fib.count, 0U);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(fib.plens, 33));
	teach_fib_destroy(&fib, fib_forget);
}

static void teach_fib_metric_order_test(struct kunit *test)
{
	struct teach_route *m10, *m5, *m20;
	struct teach_fib fib;

	KUNIT_ASSERT_EQ(test, teach_fib_init(&fib), 0);
	m10 = fib_add(test, &fib, 0xc0a80000, 16, 10);
	m5 = fib_add(test, &fib, 0xc0a80000, 16, 5);
	m20 = fib_add(test, &fib, 0xc0a80000, 16, 20);
	KUNIT_EXPECT_PTR_EQ(test, fib_get(&fib, 0xc0a80101), m5);
	teach_fib_remove(&fib, m5);
	KUNIT_EXPECT_PTR_EQ(test, fib_get(&fib, 0xc0a80101), m10);
	teach_fib_remove(&fib, m10);
	KUNIT_EXPECT_PTR_EQ(test, fib_get(&fib, 0xc0a80101), m20);
	/* The prefix length stays in use while one route remains. */
	KUNIT_EXPECT_TRUE(test, test_bit(16, fib.plens));
	teach_fib_remove(&fib, m20);
	KUNIT_EXPECT_FALSE(test, test_bit(16, fib.plens));
	teach_fib_destroy(&fib, fib_forget);
}

/* Random tables against a brute-force longest-prefix match. */
static void teach_fib_random_test(struct kunit *test)
{
	enum { NROUTES = 1500, NPROBES = 4000 };
	struct teach_route **routes;
	struct teach_fib fib;
	int i, j;

	routes = kunit_kcalloc(test, NROUTES, sizeof(*routes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, routes);
	KUNIT_ASSERT_EQ(test, teach_fib_init(&fib), 0);
	for (i = 0; i < NROUTES; i++) {
		/* Few distinct high bits, so that prefixes nest and collide. */
		u32 dst = get_random_u32() & 0xff0fffff;
		u8 plen = get_random_u32_below(33);

		routes[i] = fib_add(test, &fib, dst, plen, i);
	}
	for (i = 0; i < NPROBES; i++) {
		u32 addr = i & 1 ? get_random_u32() & 0xff0fffff :
			   ntohl(routes[get_random_u32_below(NROUTES)]->dst) |
			   (get_random_u32() & 0xff);
		struct teach_route *want = NULL, *got;

		for (j = 0; j < NROUTES; j++) {
			struct teach_route *rt = routes[j];

			if ((htonl(addr) & teach_plen_mask(rt->plen)) != rt->dst)
				continue;
			if (!want || rt->plen > want->plen ||
			    (rt->plen == want->plen && rt->metric < want->metric))
				want = rt;
		}
		got = fib_get(&fib, addr);
		KUNIT_EXPECT_PTR_EQ_MSG(test, got, want, "address %pI4", &addr);
	}
	KUNIT_EXPECT_EQ(test, fib.count, (unsigned int)NROUTES);
	for (i = 0; i < NROUTES; i++)
		teach_fib_remove(&fib, routes[i]);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(fib.plens, 33));
	teach_fib_destroy(&fib, fib_forget);
}

/* ns per lookup of the n addresses; the result keeps the loop honest */
static u64 fib_time_lookups(struct teach_fib *fib, const __be32 *addrs,
			    unsigned int n, unsigned long *found)
{
	unsigned int i;
	u64 start;

	*found = 0;
	rcu_read_lock();
	start = ktime_get_ns();
	for (i = 0; i < n; i++)
		*found += !!teach_fib_lookup(fib, addrs[i]);
	start = ktime_get_ns() - start;
	rcu_read_unlock();
	return div_u64(start, n);
}

/*
 * The table stays fast at 100,000 routes: the lookup probes one hash bucket
 * per prefix length present, whatever the number of routes.  Measured, not
 * asserted (a timed assertion fails on a busy machine); the ratio is
 * printed in the KUnit log.  Asserted: each route is found.
 */
static void teach_fib_scale_test(struct kunit *test)
{
	enum { NBIG = 100000, NLOOKUPS = 20000 };
	static const u8 plens[] = { 0, 8, 16, 24, 32 };
	struct teach_route *routes;
	unsigned long found_small, found_big;
	__be32 *addrs = NULL;
	struct teach_fib fib;
	u64 small, big;
	int i, err, missed = 0;

	/* An assertion would end the test without freeing: fail, then free. */
	routes = kvcalloc(NBIG + ARRAY_SIZE(plens), sizeof(*routes), GFP_KERNEL);
	if (routes)
		addrs = kvcalloc(NLOOKUPS, sizeof(*addrs), GFP_KERNEL);
	if (!addrs) {
		KUNIT_FAIL(test, "out of memory");
		goto out_free;
	}
	for (i = 0; i < NLOOKUPS; i++)
		addrs[i] = htonl(0x0b000000 | (get_random_u32() & 0x01ffffff));
	err = teach_fib_init(&fib);
	if (err) {
		KUNIT_FAIL(test, "teach_fib_init: %d", err);
		goto out_free;
	}
	/* the small table: one route of each prefix length the big one has */
	for (i = 0; i < ARRAY_SIZE(plens); i++) {
		routes[i].plen = plens[i];
		routes[i].dst = htonl(0x0b010203) & teach_plen_mask(plens[i]);
		routes[i].type = TEACH_RTN_BLACKHOLE;
		err = teach_fib_insert(&fib, &routes[i]);
		if (err) {
			KUNIT_FAIL(test, "insert /%u: %d", plens[i], err);
			goto out_destroy;
		}
	}
	small = fib_time_lookups(&fib, addrs, NLOOKUPS, &found_small);

	/* 100,000 more: /24s and /32s from 11.0.0.0 up, all distinct */
	for (i = 0; i < NBIG; i++) {
		struct teach_route *rt = &routes[ARRAY_SIZE(plens) + i];

		rt->plen = i & 1 ? 32 : 24;
		rt->dst = htonl(0x0b000000 + (i << 8) + (i & 1 ? 7 : 0));
		rt->type = TEACH_RTN_BLACKHOLE;
		err = teach_fib_insert(&fib, rt);
		if (err) {
			KUNIT_FAIL(test, "insert route %d: %d", i, err);
			goto out_destroy;
		}
	}
	/* let the hash table finish growing, as it has long done in use */
	msleep(2000);
	big = fib_time_lookups(&fib, addrs, NLOOKUPS, &found_big);
	kunit_info(test, "lookup: %llu ns with %zu routes, %llu ns with %zu (ratio %llu.%02llu)\n",
		   small, ARRAY_SIZE(plens), big, NBIG + ARRAY_SIZE(plens),
		   div_u64(big, small ?: 1), div_u64(big * 100, small ?: 1) % 100);
	/* the default route matches everything in both tables */
	KUNIT_EXPECT_EQ(test, found_small, (unsigned long)NLOOKUPS);
	KUNIT_EXPECT_EQ(test, found_big, (unsigned long)NLOOKUPS);

	for (i = 0; i < NBIG; i += 97) {
		struct teach_route *rt = &routes[ARRAY_SIZE(plens) + i];

		missed += fib_get(&fib, ntohl(rt->dst) | (rt->plen == 32 ? 0 : 0x42)) != rt;
	}
	KUNIT_EXPECT_EQ(test, missed, 0);
	KUNIT_EXPECT_EQ(test, fib.count, (unsigned int)(NBIG + ARRAY_SIZE(plens)));
	/* removal is teach_fib_random_test's; here the table goes whole */
out_destroy:
	teach_fib_destroy(&fib, fib_forget);
out_free:
	kvfree(routes);
	kvfree(addrs);
}

/* What teach_ctrl_csum() computes (ctrl.c is not compiled in here). */
static __sum16 teach_test_csum(const void *data, int len)
{
	return csum_fold(csum_partial(data, len, 0));
}

/* RFC 1071's example, and a message that carries its own sum checks to 0. */
static void teach_ctrl_checksum_test(struct kunit *test)
{
	static const u8 rfc1071[] = { 0x00, 0x01, 0xf2, 0x03,
				      0xf4, 0xf5, 0xf6, 0xf7 };
	u8 msg[9] = { TEACH_CTRL_ECHO_REQUEST, 0, 0, 0, 0x12, 0x34, 0, 1, 0xab };
	__sum16 sum;

	sum = teach_test_csum(rfc1071, sizeof(rfc1071));
	KUNIT_EXPECT_EQ(test, (__force u16)sum, (__force u16)htons(0x220d));
	/* Odd length: the last byte is padded with a zero byte. */
	sum = teach_test_csum(msg, sizeof(msg));
	memcpy(&msg[2], &sum, sizeof(sum));
	KUNIT_EXPECT_EQ(test, (__force u16)teach_test_csum(msg, sizeof(msg)), 0);
}

/* The header checksum catches every single-bit error in the header. */
static void teach_header_checksum_test(struct kunit *test)
{
	struct teachhdr th = {
		.ver_ihl = TEACH_VERSION << 4 | TEACH_MIN_IHL,
		.tot_len = htons(84),
		.id = htons(0x1c46),
		.frag_off = htons(TEACH_DF),
		.ttl = 64,
		.protocol = TEACHPROTO_CTRL,
		.saddr = htonl(0x0a000001),
		.daddr = htonl(0x0a000002),
	};
	u8 *bytes = (u8 *)&th;
	int bit;

	th.check = ip_fast_csum(&th, TEACH_MIN_IHL);
	KUNIT_EXPECT_EQ(test, (__force u16)ip_fast_csum(&th, TEACH_MIN_IHL), 0);
	for (bit = 0; bit < TEACH_HLEN * 8; bit++) {
		bytes[bit / 8] ^= 1 << (bit % 8);
		KUNIT_EXPECT_NE_MSG(test,
				    (__force u16)ip_fast_csum(&th, TEACH_MIN_IHL),
				    0, "bit %d", bit);
		bytes[bit / 8] ^= 1 << (bit % 8);
	}
}

/* ---- hook lists: priority order, duplicates, removal, verdicts ---- */

/* What each test hook does: append its name to the log, return verdict. */
struct hook_probe {
	char name;
	unsigned int verdict;
	char *log;
};

static unsigned int probe_hook(void *priv, struct sk_buff *skb,
			       const struct teach_hook_state *state)
{
	struct hook_probe *p = priv;
	size_t n = strlen(p->log);

	p->log[n] = p->name;
	p->log[n + 1] = '\0';
	return p->verdict;
}

struct hook_fixture {
	char log[32];
	struct hook_probe probes[8];
	struct teach_hook_ops ops[8];
	struct teach_hook_entries *e;
};

/* ops i is hook named 'a' + i at priority prio[i], accepting */
static void hook_fixture_init(struct hook_fixture *f, const int *prio, int n)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n; i++) {
		f->probes[i].name = 'a' + i;
		f->probes[i].verdict = TEACH_ACCEPT;
		f->probes[i].log = f->log;
		f->ops[i].hook = probe_hook;
		f->ops[i].priv = &f->probes[i];
		f->ops[i].point = TEACH_HOOK_FORWARD;
		f->ops[i].priority = prio[i];
	}
}

static void hook_add(struct kunit *test, struct hook_fixture *f, int i)
{
	struct teach_hook_entries *new;

	new = teach_hook_entries_add(f->e, &f->ops[i]);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(new), "add %c: %ld", 'a' + i,
			       PTR_ERR(new));
	kvfree(f->e);
	f->e = new;
}

static void hook_del(struct kunit *test, struct hook_fixture *f, int i)
{
	struct teach_hook_entries *new;

	new = teach_hook_entries_del(f->e, &f->ops[i]);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(new), "del %c: %ld", 'a' + i,
			       PTR_ERR(new));
	KUNIT_ASSERT_PTR_NE(test, new, f->e);
	kvfree(f->e);
	f->e = new;
}

/* The hooks' names in the order they run, all accepting. */
static const char *hook_order(struct kunit *test, struct hook_fixture *f)
{
	f->log[0] = '\0';
	if (f->e)
		KUNIT_EXPECT_EQ(test, teach_hook_entries_run(f->e, NULL, NULL),
				(unsigned int)TEACH_ACCEPT);
	return f->log;
}

static void teach_hook_priority_test(struct kunit *test)
{
	static const int prio[] = { 10, -5, 10, 0, -5, INT_MIN, INT_MAX };
	struct hook_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	hook_fixture_init(f, prio, ARRAY_SIZE(prio));
	for (i = 0; i < ARRAY_SIZE(prio); i++)
		hook_add(test, f, i);
	/* lowest first, and equal ones in the order they came */
	KUNIT_EXPECT_STREQ(test, hook_order(test, f), "fbedacg");
	KUNIT_EXPECT_EQ(test, f->e->num, 7U);

	hook_del(test, f, 4);		/* e: from the middle of a tie */
	KUNIT_EXPECT_STREQ(test, hook_order(test, f), "fbdacg");
	hook_add(test, f, 4);		/* back, now after b */
	KUNIT_EXPECT_STREQ(test, hook_order(test, f), "fbedacg");
	for (i = 0; i < ARRAY_SIZE(prio); i++)
		hook_del(test, f, i);
	KUNIT_EXPECT_NULL(test, f->e);
}

static void teach_hook_errors_test(struct kunit *test)
{
	static const int prio[] = { 0, 0 };
	struct hook_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct teach_hook_ops bad;

	KUNIT_ASSERT_NOT_NULL(test, f);
	hook_fixture_init(f, prio, ARRAY_SIZE(prio));
	KUNIT_EXPECT_EQ(test, PTR_ERR(teach_hook_entries_del(NULL, &f->ops[0])),
			-ENOENT);
	hook_add(test, f, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(teach_hook_entries_add(f->e, &f->ops[0])),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, PTR_ERR(teach_hook_entries_del(f->e, &f->ops[1])),
			-ENOENT);
	/* the same function and priv in other ops is another hook */
	f->ops[1].priv = f->ops[0].priv;
	hook_add(test, f, 1);
	KUNIT_EXPECT_EQ(test, f->e->num, 2U);

	bad = f->ops[0];
	bad.hook = NULL;
	KUNIT_EXPECT_EQ(test, PTR_ERR(teach_hook_entries_add(f->e, &bad)),
			-EINVAL);
	bad = f->ops[0];
	bad.point = TEACH_HOOK_MAX;
	KUNIT_EXPECT_EQ(test, PTR_ERR(teach_hook_entries_add(f->e, &bad)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(teach_hook_entries_add(f->e, NULL)),
			-EINVAL);
	hook_del(test, f, 0);
	hook_del(test, f, 1);
	KUNIT_EXPECT_NULL(test, f->e);
}

static void teach_hook_limit_test(struct kunit *test)
{
	struct teach_hook_ops *ops, extra;
	struct teach_hook_entries *e = NULL, *new;
	int i;

	ops = kunit_kcalloc(test, TEACH_HOOK_MAX_ENTRIES, sizeof(*ops),
			    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	for (i = 0; i < TEACH_HOOK_MAX_ENTRIES; i++) {
		ops[i].hook = probe_hook;
		ops[i].priority = i % 7;
		new = teach_hook_entries_add(e, &ops[i]);
		KUNIT_ASSERT_FALSE(test, IS_ERR(new));
		kvfree(e);
		e = new;
	}
	extra = ops[0];
	KUNIT_EXPECT_EQ(test, PTR_ERR(teach_hook_entries_add(e, &extra)),
			-E2BIG);
	/* still in priority order */
	for (i = 1; i < e->num; i++)
		KUNIT_EXPECT_LE(test, teach_hook_entries_ops(e)[i - 1]->priority,
				teach_hook_entries_ops(e)[i]->priority);
	kvfree(e);
}

static void teach_hook_verdict_test(struct kunit *test)
{
	static const int prio[] = { 1, 2, 3 };
	static const struct {
		unsigned int verdict, result;
		const char *ran;
	} cases[] = {
		{ TEACH_ACCEPT, TEACH_ACCEPT, "abc" },
		{ TEACH_DROP, TEACH_DROP, "ab" },
		{ TEACH_STOLEN, TEACH_STOLEN, "ab" },
		{ 42, TEACH_DROP, "ab" },	/* no such verdict: a drop */
		{ -1U, TEACH_DROP, "ab" },
	};
	struct hook_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	hook_fixture_init(f, prio, ARRAY_SIZE(prio));
	for (i = 0; i < ARRAY_SIZE(prio); i++)
		hook_add(test, f, i);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		f->probes[1].verdict = cases[i].verdict;
		f->log[0] = '\0';
		KUNIT_EXPECT_EQ_MSG(test, teach_hook_entries_run(f->e, NULL, NULL),
				    cases[i].result, "verdict %u", cases[i].verdict);
		KUNIT_EXPECT_STREQ_MSG(test, f->log, cases[i].ran,
				       "verdict %u", cases[i].verdict);
	}
	kvfree(f->e);
}

/* ---- datagram checksum ---- */

struct dgram_vec {
	struct teach_dgramhdr h;
	u8 payload[5];
} __packed;

/* The datagram's checksum over d as it stands */
static u16 dgram_sum(const void *d, unsigned int len, __be32 s, __be32 t)
{
	return (__force u16)teach_dgram_csum(s, t, len, csum_partial(d, len, 0));
}

/* 10.0.0.1:1234 -> 10.0.3.2:7000 "hello": computed independently (Python) */
static void teach_dgram_csum_vector_test(struct kunit *test)
{
	struct dgram_vec d = {
		.h = { htons(1234), htons(7000), htons(13), 0 },
		.payload = "hello",
	};
	__be32 s = htonl(0x0a000001), t = htonl(0x0a000302);
	__wsum sum;

	KUNIT_EXPECT_EQ(test, dgram_sum(&d, sizeof(d), s, t),
			(__force u16)htons(0x84d5));
	/* with the sum in place the whole verifies to 0 */
	d.h.check = (__force __sum16)dgram_sum(&d, sizeof(d), s, t);
	KUNIT_EXPECT_EQ(test, dgram_sum(&d, sizeof(d), s, t), 0);
	/* every part of the pseudo-header counts */
	KUNIT_EXPECT_NE(test, dgram_sum(&d, sizeof(d), s, htonl(0x0a000303)), 0);
	sum = csum_partial(&d, sizeof(d), 0);
	KUNIT_EXPECT_NE(test, (__force u16)teach_dgram_csum(s, t, sizeof(d) - 1,
							    sum), 0);
	KUNIT_EXPECT_NE(test, (__force u16)csum_tcpudp_magic(s, t, sizeof(d),
							     TEACHPROTO_STREAM,
							     sum), 0);
	/* a flipped payload bit is seen */
	d.payload[2] ^= 0x10;
	KUNIT_EXPECT_NE(test, dgram_sum(&d, sizeof(d), s, t), 0);
}

/* A computed 0 goes out as 0xffff (0 means "none"), and 0xffff verifies. */
static void teach_dgram_csum_zero_test(struct kunit *test)
{
	struct {
		struct teach_dgramhdr h;
		__be16 fill;
	} __packed d = { .h = { htons(9), htons(9), htons(10), 0 } };
	__be32 s = htonl(0x0a090001), t = htonl(0x0a090002);
	__wsum sum;

	/* the payload word that makes the sum 0: a checksum stored there */
	sum = csum_add(csum_partial(&d, sizeof(d), 0),
		       csum_tcpudp_nofold(s, t, sizeof(d), TEACHPROTO_DGRAM, 0));
	d.fill = (__force __be16)csum_fold(sum);
	KUNIT_ASSERT_EQ(test, dgram_sum(&d, sizeof(d), s, t), 0);
	d.h.check = CSUM_MANGLED_0;
	KUNIT_EXPECT_EQ(test, dgram_sum(&d, sizeof(d), s, t), 0);
}

/* ---- PCB tables: ephemeral port search and hashes ---- */

struct port_probe {
	unsigned long seen[BITS_TO_LONGS(65536)];
	int free_port;			/* the only port try() accepts, -1 none */
	unsigned int calls;
};

static bool port_try(u16 port, void *arg)
{
	struct port_probe *p = arg;

	p->calls++;
	__set_bit(port, p->seen);
	return port == p->free_port;
}

static void teach_port_search_test(struct kunit *test)
{
	static const struct {
		u16 low, high;
		u32 offset, next;
	} ranges[] = {
		{ 40000, 40003, 0, 0 },
		{ 40000, 40003, 0xffffffff, 7 },	/* the sum wraps */
		{ 32768, 60999, 12345, 0xfffffff0 },
		{ 1, 65535, 0x80000000, 3 },
		{ 5000, 5000, 99, 99 },			/* one port */
	};
	struct port_probe *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	u32 tries, n;
	int i, ret;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		n = ranges[i].high - ranges[i].low + 1;
		/* nothing free: each port of the range is tried exactly once */
		memset(p, 0, sizeof(*p));
		p->free_port = -1;
		ret = teach_port_search(ranges[i].low, ranges[i].high,
					ranges[i].offset, ranges[i].next,
					port_try, p, &tries);
		KUNIT_EXPECT_EQ(test, ret, -EADDRNOTAVAIL);
		KUNIT_EXPECT_EQ(test, tries, n);
		KUNIT_EXPECT_EQ(test, p->calls, n);
		KUNIT_EXPECT_EQ(test, bitmap_weight(p->seen, 65536), n);
		KUNIT_EXPECT_EQ(test, find_first_bit(p->seen, 65536),
				(unsigned long)ranges[i].low);
		KUNIT_EXPECT_EQ(test, find_last_bit(p->seen, 65536),
				(unsigned long)ranges[i].high);
		/* the start is low + (offset + next) % n */
		memset(p, 0, sizeof(*p));
		p->free_port = ranges[i].low +
			(u16)((ranges[i].offset + ranges[i].next) % n);
		ret = teach_port_search(ranges[i].low, ranges[i].high,
					ranges[i].offset, ranges[i].next,
					port_try, p, &tries);
		KUNIT_EXPECT_EQ(test, ret, p->free_port);
		KUNIT_EXPECT_EQ(test, tries, 1U);
		/* the last one free is found last */
		memset(p, 0, sizeof(*p));
		p->free_port = ranges[i].low +
			(u16)((ranges[i].offset + ranges[i].next + n - 1) % n);
		ret = teach_port_search(ranges[i].low, ranges[i].high,
					ranges[i].offset, ranges[i].next,
					port_try, p, &tries);
		KUNIT_EXPECT_EQ(test, ret, p->free_port);
		KUNIT_EXPECT_EQ(test, tries, n);
	}
	/* an empty range (high < low) */
	KUNIT_EXPECT_EQ(test, teach_port_search(10, 9, 0, 0, port_try, p, &tries),
			-EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, tries, 0U);
}

/* Keyed hashes spread ports and 4-tuples evenly, and the key matters. */
static void teach_pcb_hash_test(struct kunit *test)
{
	const unsigned int buckets = 1024, mask = buckets - 1;
	unsigned int *load = kunit_kcalloc(test, buckets, sizeof(*load),
					   GFP_KERNEL);
	siphash_key_t k1, k2;
	unsigned int i, max = 0, same = 0;

	KUNIT_ASSERT_NOT_NULL(test, load);
	get_random_bytes(&k1, sizeof(k1));
	get_random_bytes(&k2, sizeof(k2));
	/* every port: 64 a bucket on average; far from 2x that at worst */
	for (i = 0; i < 65536; i++)
		load[teach_pcb_port_hash(&k1, i) & mask]++;
	for (i = 0; i < buckets; i++)
		max = max(max, load[i]);
	KUNIT_EXPECT_LT(test, max, 128U);
	/* 100,000 4-tuples from one server port: about 98 a bucket */
	memset(load, 0, buckets * sizeof(*load));
	max = 0;
	for (i = 0; i < 100000; i++)
		load[teach_pcb_tuple_hash(&k1, htonl(0x0a000001), 5000,
					  htonl(0x0a000000 + i % 250 + 2),
					  1024 + i / 250) & mask]++;
	for (i = 0; i < buckets; i++)
		max = max(max, load[i]);
	KUNIT_EXPECT_LT(test, max, 196U);
	/* another namespace's key puts ports elsewhere */
	for (i = 0; i < 4096; i++)
		same += (teach_pcb_port_hash(&k1, i) & mask) ==
			(teach_pcb_port_hash(&k2, i) & mask);
	KUNIT_EXPECT_LT(test, same, 64U);
	/* RFC 6056's offset depends on the peer */
	KUNIT_EXPECT_NE(test, teach_pcb_port_offset(&k1, 0, htonl(1), 53),
			teach_pcb_port_offset(&k1, 0, htonl(2), 53));
	KUNIT_EXPECT_NE(test, teach_pcb_port_offset(&k1, 0, htonl(1), 53),
			teach_pcb_port_offset(&k1, 0, htonl(1), 54));
}

static struct kunit_case teach_pcb_cases[] = {
	KUNIT_CASE(teach_port_search_test),
	KUNIT_CASE(teach_pcb_hash_test),
	{}
};

static struct kunit_suite teach_pcb_suite = {
	.name = "teach-pcb",
	.test_cases = teach_pcb_cases,
};

static struct kunit_case teach_fib_cases[] = {
	KUNIT_CASE(teach_plen_mask_test),
	KUNIT_CASE(teach_fib_longest_wins_test),
	KUNIT_CASE(teach_fib_metric_order_test),
	KUNIT_CASE(teach_fib_random_test),
	KUNIT_CASE(teach_fib_scale_test),
	{}
};

static struct kunit_suite teach_fib_suite = {
	.name = "teach-fib",
	.test_cases = teach_fib_cases,
};

static struct kunit_case teach_csum_cases[] = {
	KUNIT_CASE(teach_ctrl_checksum_test),
	KUNIT_CASE(teach_header_checksum_test),
	KUNIT_CASE(teach_dgram_csum_vector_test),
	KUNIT_CASE(teach_dgram_csum_zero_test),
	{}
};

static struct kunit_suite teach_csum_suite = {
	.name = "teach-checksum",
	.test_cases = teach_csum_cases,
};

static struct kunit_case teach_hook_cases[] = {
	KUNIT_CASE(teach_hook_priority_test),
	KUNIT_CASE(teach_hook_errors_test),
	KUNIT_CASE(teach_hook_limit_test),
	KUNIT_CASE(teach_hook_verdict_test),
	{}
};

static struct kunit_suite teach_hook_suite = {
	.name = "teach-hooks",
	.test_cases = teach_hook_cases,
};

kunit_test_suites(&teach_fib_suite, &teach_csum_suite, &teach_hook_suite,
		  &teach_pcb_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of teach's routing table, checksums, hook lists and PCB hashes");
