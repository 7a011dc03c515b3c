// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the routing table of a namespace.
 *
 * fib.c keeps the table and does the longest-prefix match; this file adds
 * what a table in a network stack needs around it: validation with extack
 * messages, device references, replace semantics, removal of a device's
 * routes, dumps, and a monitor event for every change.  Changes run under
 * RTNL, lookups under RCU.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "teach.h"

int teach_route_init_net(struct teach_net *tn)
{
	return teach_fib_init(&tn->fib);
}

static void teach_route_free(struct teach_route *rt)
{
	if (rt->dev)
		dev_put(rt->dev);
	kfree_rcu(rt, rcu);
}

void teach_route_exit_net(struct teach_net *tn)
{
	teach_fib_destroy(&tn->fib, teach_route_free);
}

struct teach_route *teach_route_lookup(struct net *net, __be32 daddr)
{
	return teach_fib_lookup(&teach_pernet(net)->fib, daddr);
}

static void teach_route_changed(struct net *net, u8 cmd,
				const struct teach_route *rt)
{
	atomic_inc(&teach_pernet(net)->route_seq);
	teach_rt_genid_bump(net);
	teach_nl_notify_route(net, cmd, rt);
}

static bool teach_route_same_metric(const struct teach_route *rt,
				    const void *arg)
{
	return rt->metric == *(const u32 *)arg;
}

/* A delete names a route by prefix and metric; type, device, gateway narrow it. */
static bool teach_route_matches(const struct teach_route *rt, const void *arg)
{
	const struct teach_route_spec *rs = arg;

	return rt->metric == rs->metric &&
	       (!rs->ifindex || (rt->dev && rt->dev->ifindex == rs->ifindex)) &&
	       (!rs->type || rt->type == rs->type) &&
	       (!rs->gateway || rt->gateway == rs->gateway);
}

static bool teach_route_src_is_local(struct net *net, __be32 addr)
{
	bool local;

	rcu_read_lock();
	local = teach_addr_is_local(net, addr);
	rcu_read_unlock();
	return local;
}

/*
 * A gateway must be a neighbour: on a network the table reaches directly,
 * through the route's device when one is named ("ip route" refuses it
 * with "Nexthop has invalid gateway").  Without the check the route would
 * be accepted and every packet on it would die later in neighbour
 * resolution, with nobody told why.  Without a device, the gateway's own
 * connected route names it, as with "ip route add PREFIX via GW".
 */
static int teach_route_gateway_dev(struct net *net, __be32 gw,
				   struct net_device **devp,
				   struct netlink_ext_ack *extack)
{
	struct net_device *dev = *devp;
	const struct teach_route *via;
	struct teach_dev *tdev;
	int err = 0;

	rcu_read_lock();
	via = teach_route_lookup(net, gw);
	if (via && via->type == TEACH_RTN_LOCAL) {
		NL_SET_ERR_MSG(extack, "the gateway is a local address");
		err = -EINVAL;
	} else if (dev) {
		tdev = teach_dev_get(net, dev->ifindex);
		if (teach_addr_is_bcast(tdev, gw)) {
			NL_SET_ERR_MSG(extack, "the gateway is a broadcast address");
			err = -EINVAL;
		} else if (!teach_addr_on_link(tdev, gw) &&
			   !(via && via->type == TEACH_RTN_UNICAST &&
			     !via->gateway && via->dev == dev)) {
			NL_SET_ERR_MSG(extack, "the gateway is not on a network of the device");
			err = -EINVAL;
		}
	} else if (via && via->type == TEACH_RTN_UNICAST && !via->gateway &&
		   via->dev) {
		*devp = via->dev;
		tdev = teach_dev_get(net, via->dev->ifindex);
		if (!tdev || teach_addr_is_bcast(tdev, gw)) {
			NL_SET_ERR_MSG(extack, "the gateway is a broadcast address");
			err = -EINVAL;
		}
	} else {
		NL_SET_ERR_MSG(extack, "the gateway is not on a directly connected network");
		err = -EINVAL;
	}
	rcu_read_unlock();
	return err;
}

int teach_route_add(struct net *net, const struct teach_route_spec *rs,
		    bool replace, struct netlink_ext_ack *extack)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_route *rt, *old;
	struct net_device *dev = NULL;
	int err;

	ASSERT_RTNL();
	if (rs->plen > 32 || !rs->type || rs->type >= __TEACH_RTN_MAX) {
		NL_SET_ERR_MSG(extack, "bad prefix length or route type");
		return -EINVAL;
	}
	if (rs->dst & ~teach_plen_mask(rs->plen)) {
		NL_SET_ERR_MSG(extack, "destination has host bits set beyond its prefix");
		return -EINVAL;
	}
	if (rs->ifindex) {
		dev = __dev_get_by_index(net, rs->ifindex);
		if (!dev || !teach_dev_get(net, rs->ifindex)) {
			NL_SET_ERR_MSG(extack, "no such device, or teach does not run on it");
			return -ENODEV;
		}
	}
	if (rs->type == TEACH_RTN_UNICAST && rs->gateway) {
		err = teach_route_gateway_dev(net, rs->gateway, &dev, extack);
		if (err)
			return err;
	}
	if (rs->type == TEACH_RTN_UNICAST && !dev) {
		NL_SET_ERR_MSG(extack, "a unicast route needs a device or a gateway");
		return -EINVAL;
	}
	/* A local route brings its own address: that is its source. */
	if (rs->prefsrc &&
	    !(rs->type == TEACH_RTN_LOCAL && rs->prefsrc == rs->dst) &&
	    !teach_route_src_is_local(net, rs->prefsrc)) {
		NL_SET_ERR_MSG(extack, "preferred source is not a local address");
		return -EINVAL;
	}
	old = teach_fib_find(&tn->fib, rs->dst, rs->plen,
			     teach_route_same_metric, &rs->metric);
	if (old && !replace) {
		NL_SET_ERR_MSG(extack, "route with this prefix and metric exists");
		return -EEXIST;
	}

	rt = kzalloc(sizeof(*rt), GFP_KERNEL);
	if (!rt)
		return -ENOMEM;
	rt->dst = rs->dst;
	rt->plen = rs->plen;
	rt->type = rs->type;
	rt->proto = rs->proto ?: TEACH_RTPROT_STATIC;
	rt->metric = rs->metric;
	rt->gateway = rs->gateway;
	rt->prefsrc = rs->prefsrc;
	rt->dev = dev;

	if (old) {
		teach_fib_replace(&tn->fib, old, rt);
		teach_route_changed(net, TEACH_CMD_ROUTE_DEL, old);
		teach_route_free(old);
	} else {
		err = teach_fib_insert(&tn->fib, rt);
		if (err) {
			kfree(rt);
			return err;
		}
	}
	if (dev)
		dev_hold(dev);
	teach_route_changed(net, TEACH_CMD_ROUTE_NEW, rt);
	return 0;
}

static void teach_route_unlink(struct net *net, struct teach_route *rt)
{
	teach_fib_remove(&teach_pernet(net)->fib, rt);
	teach_route_changed(net, TEACH_CMD_ROUTE_DEL, rt);
	teach_route_free(rt);
}

int teach_route_del(struct net *net, const struct teach_route_spec *rs,
		    struct netlink_ext_ack *extack)
{
	struct teach_route *rt;

	ASSERT_RTNL();
	if (rs->plen > 32) {
		NL_SET_ERR_MSG(extack, "prefix length must be 0..32");
		return -EINVAL;
	}
	rt = teach_fib_find(&teach_pernet(net)->fib,
			    rs->dst & teach_plen_mask(rs->plen), rs->plen,
			    teach_route_matches, rs);
	if (!rt) {
		NL_SET_ERR_MSG(extack, "no such route");
		return -ESRCH;
	}
	teach_route_unlink(net, rt);
	return 0;
}

void teach_route_flush_dev(struct net *net, struct net_device *dev)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_route *rt, *tmp;

	ASSERT_RTNL();
	list_for_each_entry_safe(rt, tmp, &tn->fib.all, all)
		if (rt->dev == dev)
			teach_route_unlink(net, rt);
}

int teach_route_walk(struct net *net,
		     int (*fn)(const struct teach_route *rt, void *arg),
		     void *arg, unsigned long *pos)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_route *rt;
	unsigned long i = 0;
	int err;

	ASSERT_RTNL();
	/*
	 * A dump asks again from where the last skb filled up; remember where
	 * that was so that 100,000 routes do not cost a quadratic walk.
	 */
	if (*pos && tn->walk_next && tn->walk_pos == *pos &&
	    tn->walk_seq == atomic_read(&tn->route_seq)) {
		rt = tn->walk_next;
		i = *pos;
	} else {
		rt = list_first_entry(&tn->fib.all, struct teach_route, all);
	}
	list_for_each_entry_from(rt, &tn->fib.all, all) {
		if (i++ < *pos)
			continue;
		err = fn(rt, arg);
		if (err) {
			*pos = i - 1;
			tn->walk_seq = atomic_read(&tn->route_seq);
			tn->walk_pos = *pos;
			tn->walk_next = rt;
			return err;
		}
	}
	*pos = i;
	tn->walk_next = NULL;
	return 0;
}
