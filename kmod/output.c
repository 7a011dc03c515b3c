// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the output path.
 *
 * A transport hands over a payload and a flow (destination, source, TTL,
 * class, protocol).  teach_route_output() picks the device, the next hop,
 * the source address and the MTU from the routing table and the path-MTU
 * cache; teach_output() puts the network header in front and runs the
 * packet through the LOCAL_OUT and POST_ROUTING hooks, fragmentation if
 * it is bigger than the MTU, and on to neighbour resolution, or straight
 * to the device for broadcasts and loopback.  Forwarded packets join this
 * path at POST_ROUTING (forward.c).
 */
#include <linux/etherdevice.h>
#include <linux/pkt_sched.h>
#include <linux/skbuff.h>
#include <net/ip.h>

#include "teach.h"
#include "teach_hooks.h"

static __be32 teach_saddr_on(struct net *net, struct net_device *dev,
			     __be32 daddr)
{
	struct teach_dev *tdev = teach_dev_get(net, dev->ifindex);

	return tdev ? teach_addr_select(tdev, daddr) : 0;
}

int teach_route_output(struct net *net, struct teach_flow *fl,
		       struct teach_rt_result *res)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_route *rt = NULL;
	struct net_device *dev;
	unsigned int pmtu;
	u8 type;

	if (fl->daddr == htonl(TEACH_ADDR_BROADCAST)) {
		/* The limited broadcast never leaves the segment it is sent on. */
		if (!fl->oif)
			goto noroute;
		dev = dev_get_by_index_rcu(net, fl->oif);
		if (!dev || !teach_dev_get(net, fl->oif))
			return -ENODEV;
		type = TEACH_RTN_BROADCAST;
		res->nexthop = fl->daddr;
	} else {
		rt = teach_route_lookup(net, fl->daddr);
		if (!rt)
			goto noroute;
		type = rt->type;
		switch (type) {
		case TEACH_RTN_BLACKHOLE:
			return -EINVAL;
		case TEACH_RTN_UNREACHABLE:
			return -EHOSTUNREACH;
		case TEACH_RTN_PROHIBIT:
			return -EACCES;
		case TEACH_RTN_LOCAL:
			dev = net->loopback_dev;
			res->nexthop = fl->daddr;
			break;
		default:
			dev = rt->dev;
			res->nexthop = rt->gateway ?: fl->daddr;
			break;
		}
		/* A socket bound to a device only talks through that device. */
		if (fl->oif && type != TEACH_RTN_LOCAL && dev->ifindex != fl->oif)
			goto noroute;
	}
	if (type == TEACH_RTN_BROADCAST && !fl->bcast_ok)
		return -EACCES;
	if (!netif_running(dev))
		return -ENETDOWN;

	if (!fl->saddr) {
		if (rt && rt->prefsrc)
			fl->saddr = rt->prefsrc;
		else if (type == TEACH_RTN_LOCAL)
			fl->saddr = fl->daddr;
		else
			fl->saddr = teach_saddr_on(net, dev, fl->daddr);
		if (!fl->saddr)
			return -EADDRNOTAVAIL;
	}
	res->dev = dev;
	res->type = type;
	res->mtu = READ_ONCE(dev->mtu);
	if (type == TEACH_RTN_UNICAST) {
		pmtu = teach_pmtu_get(net, fl->daddr);
		if (pmtu && pmtu < res->mtu)
			res->mtu = pmtu;
	}
	return 0;

noroute:
	TEACH_INC_STATS(tn, TEACH_MIB_OUT_NO_ROUTES);
	return -ENETUNREACH;
}

void teach_build_header(struct sk_buff *skb, const struct teach_flow *fl,
			bool df, struct teach_net *tn)
{
	struct teachhdr *th;

	skb_push(skb, TEACH_HLEN);
	skb_reset_network_header(skb);
	th = (struct teachhdr *)skb_network_header(skb);
	th->ver_ihl = TEACH_VERSION << 4 | TEACH_MIN_IHL;
	th->tos = fl->tos;
	th->tot_len = htons(skb->len);
	th->id = htons((u16)atomic_inc_return(&tn->ip_id));
	th->frag_off = df ? htons(TEACH_DF) : 0;
	th->ttl = fl->ttl ?: READ_ONCE(tn->sysctl.default_ttl);
	th->protocol = fl->protocol;
	th->saddr = fl->saddr;
	th->daddr = fl->daddr;
	th->check = 0;
	th->check = ip_fast_csum(th, TEACH_MIN_IHL);
}

/* The same classes as IPv4's ip_tos2prio[]: lowdelay -> interactive band. */
static const u8 teach_tos2prio_map[16] = {
	TC_PRIO_BESTEFFORT, TC_PRIO_BESTEFFORT, TC_PRIO_BESTEFFORT,
	TC_PRIO_BESTEFFORT, TC_PRIO_BULK, TC_PRIO_BULK, TC_PRIO_BULK,
	TC_PRIO_BULK, TC_PRIO_INTERACTIVE, TC_PRIO_INTERACTIVE,
	TC_PRIO_INTERACTIVE, TC_PRIO_INTERACTIVE, TC_PRIO_INTERACTIVE_BULK,
	TC_PRIO_INTERACTIVE_BULK, TC_PRIO_INTERACTIVE_BULK,
	TC_PRIO_INTERACTIVE_BULK,
};

u32 teach_tos2prio(u8 tos)
{
	/* The four "type of service" bits of RFC 1349, as IPTOS_TOS() */
	return teach_tos2prio_map[(tos & 0x1e) >> 1];
}

int teach_xmit(struct net *net, struct sk_buff *skb)
{
	struct teach_net *tn = teach_pernet(net);
	struct net_device *dev = skb->dev;
	const u8 *dest = NULL;

	skb->protocol = htons(ETH_P_TEACH);
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dev))) {
		kfree_skb(skb);
		TEACH_INC_STATS(tn, TEACH_MIB_OUT_DISCARDS);
		return -ENOMEM;
	}
	/* The route lookup already said what kind of next hop this is. */
	if (!(dev->flags & IFF_LOOPBACK)) {
		if (TEACH_CB(skb)->rtype != TEACH_RTN_BROADCAST)
			return teach_neigh_output(net, skb, dev,
						  TEACH_CB(skb)->nexthop);
		dest = dev->broadcast;
	}
	if (dev_hard_header(skb, dev, ETH_P_TEACH, dest, NULL, skb->len) < 0) {
		kfree_skb(skb);
		TEACH_INC_STATS(tn, TEACH_MIB_OUT_DISCARDS);
		return -EINVAL;
	}
	TEACH_INC_STATS(tn, TEACH_MIB_OUT_TRANSMITS);
	return teach_dev_xmit(skb);
}

/*
 * A super-packet whose segments are too big for this link (the path MTU
 * fell, or a router forwards it to a smaller one): cut it here, and each
 * segment goes on as any other packet.
 */
static int teach_output_cut(struct net *net, struct sk_buff *skb)
{
	struct sk_buff *segs, *next;
	int err = 0;

	segs = teach_gso_cut(skb, 0);
	if (IS_ERR(segs)) {
		TEACH_INC_STATS(teach_pernet(net), TEACH_MIB_OUT_DISCARDS);
		kfree_skb(skb);
		return PTR_ERR(segs);
	}
	TEACH_INC_STATS(teach_pernet(net), TEACH_MIB_GSO_SEGMENTED);
	skb_list_walk_safe(segs, segs, next) {
		skb_mark_not_on_list(segs);
		memcpy(segs->cb, skb->cb, sizeof(skb->cb));
		segs->dev = skb->dev;
		err = teach_output_finish(net, segs) ?: err;
	}
	consume_skb(skb);
	return err;
}

int teach_output_finish(struct net *net, struct sk_buff *skb)
{
	if (skb_is_gso(skb)) {
		if (teach_gso_seglen(skb) <= TEACH_CB(skb)->mtu)
			return teach_xmit(net, skb);
		return teach_output_cut(net, skb);
	}
	if (skb->len <= TEACH_CB(skb)->mtu)
		return teach_xmit(net, skb);
	/* The sender decided about DF; fragmentation honours the header. */
	return teach_fragment(net, skb, TEACH_CB(skb)->mtu, teach_xmit);
}

static int teach_output_post(struct net *net, struct sk_buff *skb)
{
	return teach_hook(TEACH_HOOK_POST_ROUTING, net, skb, NULL, skb->dev,
			  teach_output_finish);
}

int teach_output_routed(struct net *net, struct sk_buff *skb,
			const struct teach_rt_result *res)
{
	skb->dev = res->dev;
	TEACH_CB(skb)->nexthop = res->nexthop;
	TEACH_CB(skb)->rtype = res->type;
	TEACH_CB(skb)->mtu = res->mtu;
	TEACH_CB(skb)->local = 1;
	TEACH_INC_STATS(teach_pernet(net), TEACH_MIB_OUT_REQUESTS);
	return teach_hook(TEACH_HOOK_LOCAL_OUT, net, skb, NULL, res->dev,
			  teach_output_post);
}

int teach_output_cached(struct net *net, struct sk_buff *skb,
			struct teach_flow *fl, struct teach_rt_cache *c)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_rt_result res;
	unsigned int len;
	bool df;
	int err;

	rcu_read_lock();
	if (c)
		err = teach_route_output_cached(net, c, fl, &res);
	else
		err = teach_route_output(net, fl, &res);
	if (err)
		goto drop;
	fl->offload = teach_offload_ok(net, res.dev);
	if (fl->finish)
		fl->finish(skb, fl);
	/*
	 * Don't-fragment, as IP_MTU_DISCOVER decides it: DO always sets it
	 * and refuses what is bigger than the path; WANT sets it on what
	 * fits, so that a smaller MTU further on is reported back, and lets
	 * this host fragment what does not; DONT leaves it to the routers.
	 */
	len = skb->len + TEACH_HLEN;
	/* a super-packet's segments are what the link carries */
	if (skb_is_gso(skb))
		len = skb_headlen(skb) + skb_shinfo(skb)->gso_size + TEACH_HLEN;
	switch (fl->pmtudisc) {
	case TEACH_PMTUDISC_DO:
		if (len > res.mtu) {
			TEACH_INC_STATS(tn, TEACH_MIB_FRAG_FAILS);
			err = -EMSGSIZE;
			goto drop;
		}
		df = true;
		break;
	case TEACH_PMTUDISC_WANT:
		df = len <= res.mtu;
		break;
	default:
		df = false;
		break;
	}
	/* Broadcasts and loopback never learn a path MTU. */
	if (res.type != TEACH_RTN_UNICAST)
		df = df && fl->pmtudisc == TEACH_PMTUDISC_DO;
	teach_build_header(skb, fl, df, tn);
	err = teach_output_routed(net, skb, &res);
	rcu_read_unlock();
	return err;

drop:
	rcu_read_unlock();
	TEACH_INC_STATS(tn, TEACH_MIB_OUT_REQUESTS);
	TEACH_INC_STATS(tn, TEACH_MIB_OUT_DISCARDS);
	kfree_skb(skb);
	return err;
}

int teach_output(struct net *net, struct sk_buff *skb, struct teach_flow *fl)
{
	return teach_output_cached(net, skb, fl, NULL);
}
