// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the path-MTU cache (RFC 1191).
 *
 * A router that cannot forward a don't-fragment packet because the next
 * link is too small answers "fragmentation needed" with that link's MTU.
 * ctrl.c hands the MTU here; the output path then sizes packets to that
 * destination by it instead of by the device MTU, until the entry ages out
 * (net.teach.pmtu_expires_s) and a bigger path is tried again.  A path MTU
 * is only ever lowered by a report: a path can only grow back by expiry,
 * so a forged report can make packets smaller but never too big.
 *
 * One entry per destination, in a small hash table per namespace.  Readers
 * (every packet sent) look up under RCU; writers take a spinlock.  Each
 * bucket holds at most TEACH_PMTU_BUCKET_MAX entries and a new one takes
 * the place of the entry closest to expiry, so the cache stays bounded
 * whatever a flood of reports says.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "teach.h"

#define TEACH_PMTU_HASH_BITS	8
#define TEACH_PMTU_BUCKET_MAX	16	/* so at most 4096 entries */

struct teach_pmtu_entry {
	struct hlist_node node;		/* in its bucket, RCU */
	__be32 daddr;
	u32 mtu;
	unsigned long expires;		/* jiffies */
	struct rcu_head rcu;
};

struct teach_pmtu_table {
	spinlock_t lock;		/* writers */
	u32 seed;
	unsigned int count;
	unsigned int bucket_len[1 << TEACH_PMTU_HASH_BITS];
	struct hlist_head buckets[1 << TEACH_PMTU_HASH_BITS];
};

static unsigned int teach_pmtu_hash(const struct teach_pmtu_table *t,
				    __be32 daddr)
{
	return jhash_1word((__force u32)daddr, t->seed) &
	       ((1 << TEACH_PMTU_HASH_BITS) - 1);
}

int teach_pmtu_init_net(struct teach_net *tn)
{
	struct teach_pmtu_table *t;
	int i;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	spin_lock_init(&t->lock);
	t->seed = get_random_u32();
	for (i = 0; i < ARRAY_SIZE(t->buckets); i++)
		INIT_HLIST_HEAD(&t->buckets[i]);
	tn->pmtu = t;
	return 0;
}

/* under t->lock */
static void teach_pmtu_unlink(struct teach_pmtu_table *t, unsigned int b,
			      struct teach_pmtu_entry *e)
{
	hlist_del_rcu(&e->node);
	t->bucket_len[b]--;
	t->count--;
	kfree_rcu(e, rcu);
}

static void teach_pmtu_flush_table(struct teach_pmtu_table *t)
{
	struct teach_pmtu_entry *e;
	struct hlist_node *tmp;
	unsigned int b;

	spin_lock_bh(&t->lock);
	for (b = 0; b < ARRAY_SIZE(t->buckets); b++)
		hlist_for_each_entry_safe(e, tmp, &t->buckets[b], node)
			teach_pmtu_unlink(t, b, e);
	spin_unlock_bh(&t->lock);
}

void teach_pmtu_exit_net(struct teach_net *tn)
{
	if (!tn->pmtu)
		return;
	teach_pmtu_flush_table(tn->pmtu);
	/* kfree_rcu() callbacks need the entries, not the table */
	kfree(tn->pmtu);
	tn->pmtu = NULL;
}

unsigned int teach_pmtu_lookup(struct net *net, __be32 daddr,
			       unsigned int *expires_s)
{
	struct teach_pmtu_table *t = teach_pernet(net)->pmtu;
	struct teach_pmtu_entry *e;
	unsigned long now = jiffies;

	*expires_s = 0;
	/* Most namespaces never learn a path MTU: one read then. */
	if (!READ_ONCE(t->count))
		return 0;
	hlist_for_each_entry_rcu(e, &t->buckets[teach_pmtu_hash(t, daddr)],
				 node) {
		if (e->daddr != daddr)
			continue;
		if (time_after_eq(now, READ_ONCE(e->expires)))
			return 0;
		*expires_s = DIV_ROUND_UP(READ_ONCE(e->expires) - now, HZ);
		return READ_ONCE(e->mtu);
	}
	return 0;
}

unsigned int teach_pmtu_get(struct net *net, __be32 daddr)
{
	unsigned int expires;

	return teach_pmtu_lookup(net, daddr, &expires);
}

void teach_pmtu_update(struct net *net, __be32 daddr, unsigned int mtu)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_pmtu_table *t = tn->pmtu;
	struct teach_pmtu_entry *e, *victim = NULL;
	unsigned long now = jiffies, expires;
	struct hlist_node *tmp;
	unsigned int b;

	/*
	 * Below the smallest MTU every link must carry, the report is wrong
	 * or hostile: believe the minimum instead, as IPv4 does.
	 */
	mtu = max_t(unsigned int, mtu, READ_ONCE(tn->sysctl.min_pmtu));
	expires = now + READ_ONCE(tn->sysctl.pmtu_expires_s) * HZ;
	b = teach_pmtu_hash(t, daddr);

	spin_lock_bh(&t->lock);
	hlist_for_each_entry_safe(e, tmp, &t->buckets[b], node) {
		if (e->daddr == daddr) {
			if (time_before(now, e->expires) && mtu >= e->mtu)
				goto out;	/* only ever lower a live one */
			WRITE_ONCE(e->mtu, mtu);
			WRITE_ONCE(e->expires, expires);
			goto learned;
		}
		if (time_after_eq(now, e->expires)) {
			teach_pmtu_unlink(t, b, e);
			continue;
		}
		if (!victim || time_before(e->expires, victim->expires))
			victim = e;
	}
	if (t->bucket_len[b] >= TEACH_PMTU_BUCKET_MAX)
		teach_pmtu_unlink(t, b, victim);
	e = kmalloc(sizeof(*e), GFP_ATOMIC);
	if (!e)
		goto out;
	e->daddr = daddr;
	e->mtu = mtu;
	e->expires = expires;
	hlist_add_head_rcu(&e->node, &t->buckets[b]);
	t->bucket_len[b]++;
	WRITE_ONCE(t->count, t->count + 1);
learned:
	TEACH_INC_STATS(tn, TEACH_MIB_PMTU_UPDATES);
out:
	spin_unlock_bh(&t->lock);
}

int teach_pmtu_walk(struct net *net,
		    int (*fn)(__be32 daddr, unsigned int mtu,
			      unsigned int expires, void *arg),
		    void *arg, unsigned long *pos)
{
	struct teach_pmtu_table *t = teach_pernet(net)->pmtu;
	struct teach_pmtu_entry *e;
	unsigned long now = jiffies, b, i, expires;
	int err;

	/* *pos is bucket << 8 | index in the bucket */
	for (b = *pos >> 8; b < ARRAY_SIZE(t->buckets); b++) {
		i = 0;
		hlist_for_each_entry_rcu(e, &t->buckets[b], node) {
			if (i++ < (*pos & 0xff))
				continue;
			expires = READ_ONCE(e->expires);
			if (time_after_eq(now, expires))
				continue;
			err = fn(e->daddr, READ_ONCE(e->mtu),
				 DIV_ROUND_UP(expires - now, HZ), arg);
			if (err) {
				*pos = b << 8 | (i - 1);
				return err;
			}
		}
		*pos = (b + 1) << 8;
	}
	return 0;
}
