// SPDX-License-Identifier: GPL-2.0
/*
 * teach: a socket's cached route.
 *
 * A connected socket sends every packet to the same place, so it keeps
 * the result of its last lookup (device, next hop, source, route type)
 * instead of asking the routing table each time, as an IPv4 socket keeps
 * sk_dst_cache.  The namespace's rt_genid moves whenever a route, an
 * address, a device or a path MTU changes; a cache filled under another
 * generation is stale and is filled again.  It holds an ifindex, not a
 * device reference, so that a cache nobody uses never keeps a device
 * from going away.
 */
#include <linux/netdevice.h>

#include "teach.h"

void teach_rt_cache_init(struct teach_rt_cache *c)
{
	spin_lock_init(&c->lock);
	c->genid = 0;
}

void teach_rt_cache_reset(struct teach_rt_cache *c)
{
	spin_lock_bh(&c->lock);
	c->genid = 0;
	spin_unlock_bh(&c->lock);
}

static bool teach_rt_cache_hit(const struct teach_rt_cache *c, int genid,
			       const struct teach_flow *fl)
{
	/* genid 0 is "empty"; a real generation of 0 just misses once. */
	return c->genid && c->genid == genid && c->daddr == fl->daddr &&
	       c->req_saddr == fl->saddr && c->oif == fl->oif &&
	       c->bcast_ok == fl->bcast_ok;
}

int teach_route_output_cached(struct net *net, struct teach_rt_cache *c,
			      struct teach_flow *fl,
			      struct teach_rt_result *res)
{
	int genid = atomic_read(&teach_pernet(net)->rt_genid);
	struct net_device *dev;
	__be32 req_saddr = fl->saddr;
	unsigned int pmtu;
	int err;

	spin_lock_bh(&c->lock);
	if (teach_rt_cache_hit(c, genid, fl)) {
		dev = dev_get_by_index_rcu(net, c->ifindex);
		if (dev && netif_running(dev)) {
			fl->saddr = c->saddr;
			res->dev = dev;
			res->nexthop = c->nexthop;
			res->type = c->type;
			res->mtu = READ_ONCE(dev->mtu);
			spin_unlock_bh(&c->lock);
			if (res->type == TEACH_RTN_UNICAST) {
				pmtu = teach_pmtu_get(net, fl->daddr);
				if (pmtu && pmtu < res->mtu)
					res->mtu = pmtu;
			}
			return 0;
		}
	}
	c->genid = 0;
	err = teach_route_output(net, fl, res);
	if (!err) {
		c->genid = genid;
		c->daddr = fl->daddr;
		c->req_saddr = req_saddr;
		c->oif = fl->oif;
		c->bcast_ok = fl->bcast_ok;
		c->saddr = fl->saddr;
		c->ifindex = res->dev->ifindex;
		c->nexthop = res->nexthop;
		c->type = res->type;
	}
	spin_unlock_bh(&c->lock);
	return err;
}
