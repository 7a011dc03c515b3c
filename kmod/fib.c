// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the forwarding information base, longest-prefix match.
 *
 * Routes live in a resizable hash table keyed by (prefix, length); one node
 * per prefix holds its routes sorted by metric, the lowest first.  A bitmap
 * says which prefix lengths are present, so a lookup probes at most 33
 * buckets, from /32 down, and stops at the first (longest) match: the cost
 * does not grow with the number of routes.  Writers are serialised by the
 * caller (RTNL); lookups run under RCU.  A list of all routes in insertion
 * order serves dumps.
 *
 * This file knows nothing of namespaces, devices or netlink, so that KUnit
 * can test it on its own (tests/teach_kunit.c).
 */
#include <linux/slab.h>

#include "teach.h"

struct teach_fib_key {
	__be32 dst;
	u32 plen;
};

struct teach_fib_node {
	struct rhash_head node;
	struct teach_fib_key key;
	struct list_head routes;	/* struct teach_route, RCU, by metric */
	struct rcu_head rcu;
};

static const struct rhashtable_params teach_fib_params = {
	.key_len = sizeof(struct teach_fib_key),
	.key_offset = offsetof(struct teach_fib_node, key),
	.head_offset = offsetof(struct teach_fib_node, node),
	.automatic_shrinking = true,
};

__be32 teach_plen_mask(unsigned int plen)
{
	return plen ? htonl(~0U << (32 - plen)) : 0;
}

int teach_fib_init(struct teach_fib *fib)
{
	memset(fib, 0, sizeof(*fib));
	INIT_LIST_HEAD(&fib->all);
	return rhashtable_init(&fib->nodes, &teach_fib_params);
}

static void teach_fib_node_free(void *ptr, void *arg)
{
	kfree(ptr);
}

void teach_fib_destroy(struct teach_fib *fib,
		       void (*free_route)(struct teach_route *rt))
{
	struct teach_route *rt, *tmp;

	list_for_each_entry_safe(rt, tmp, &fib->all, all)
		free_route(rt);
	rhashtable_free_and_destroy(&fib->nodes, teach_fib_node_free, NULL);
}

struct teach_route *teach_fib_lookup(struct teach_fib *fib, __be32 daddr)
{
	struct teach_fib_key key;
	struct teach_fib_node *fn;
	struct teach_route *rt;
	int plen;

	for (plen = 32; plen >= 0; plen--) {
		if (!test_bit(plen, fib->plens))
			continue;
		key.dst = daddr & teach_plen_mask(plen);
		key.plen = plen;
		fn = rhashtable_lookup(&fib->nodes, &key, teach_fib_params);
		if (!fn)
			continue;
		rt = list_first_or_null_rcu(&fn->routes, struct teach_route,
					    list);
		if (rt)
			return rt;
	}
	return NULL;
}

static struct teach_fib_node *teach_fib_node(struct teach_fib *fib,
					     __be32 dst, u8 plen)
{
	struct teach_fib_key key = { .dst = dst, .plen = plen };

	return rhashtable_lookup_fast(&fib->nodes, &key, teach_fib_params);
}

struct teach_route *teach_fib_find(struct teach_fib *fib, __be32 dst, u8 plen,
				   bool (*match)(const struct teach_route *rt,
						 const void *arg),
				   const void *arg)
{
	struct teach_fib_node *fn = teach_fib_node(fib, dst, plen);
	struct teach_route *rt;

	if (!fn)
		return NULL;
	list_for_each_entry(rt, &fn->routes, list)
		if (match(rt, arg))
			return rt;
	return NULL;
}

int teach_fib_insert(struct teach_fib *fib, struct teach_route *rt)
{
	struct teach_fib_node *fn = teach_fib_node(fib, rt->dst, rt->plen);
	struct teach_route *pos;
	int err;

	if (!fn) {
		fn = kzalloc(sizeof(*fn), GFP_KERNEL);
		if (!fn)
			return -ENOMEM;
		fn->key.dst = rt->dst;
		fn->key.plen = rt->plen;
		INIT_LIST_HEAD(&fn->routes);
		err = rhashtable_insert_fast(&fib->nodes, &fn->node,
					     teach_fib_params);
		if (err) {
			kfree(fn);
			return err;
		}
		if (!fib->plen_count[rt->plen]++)
			set_bit(rt->plen, fib->plens);
	}
	/* Keep the node's list sorted so that the first entry is the best. */
	list_for_each_entry(pos, &fn->routes, list)
		if (pos->metric > rt->metric)
			break;
	list_add_tail_rcu(&rt->list, &pos->list);
	list_add_tail(&rt->all, &fib->all);
	fib->count++;
	return 0;
}

void teach_fib_replace(struct teach_fib *fib, struct teach_route *old,
		       struct teach_route *rt)
{
	list_replace_rcu(&old->list, &rt->list);
	list_replace(&old->all, &rt->all);
}

void teach_fib_remove(struct teach_fib *fib, struct teach_route *rt)
{
	struct teach_fib_node *fn = teach_fib_node(fib, rt->dst, rt->plen);

	list_del_rcu(&rt->list);
	list_del(&rt->all);
	fib->count--;
	if (fn && list_empty(&fn->routes)) {
		rhashtable_remove_fast(&fib->nodes, &fn->node,
				       teach_fib_params);
		if (!--fib->plen_count[rt->plen])
			clear_bit(rt->plen, fib->plens);
		kfree_rcu(fn, rcu);
	}
}
