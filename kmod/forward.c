// SPDX-License-Identifier: GPL-2.0
/*
 * teach: forwarding, what makes a host a router.
 *
 * A packet that arrived for somebody else is sent on along its route, as
 * ip_forward() does, if net.teach.forwarding and the arrival device's
 * conf.<dev>.forwarding allow it.  Its TTL goes down by one and a packet
 * whose TTL runs out is answered with time exceeded; a route that says
 * unreachable or prohibit is answered with that; broadcasts are never
 * forwarded; a packet too big for the next link is fragmented, or, with
 * don't-fragment set, answered with fragmentation needed and the MTU.
 * Every packet forwarded or refused is counted.
 */
#include <linux/pkt_sched.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "teach.h"
#include "teach_hooks.h"

static bool teach_forwarding_on(struct net *net, struct net_device *dev)
{
	struct teach_dev *tdev = teach_dev_get(net, dev->ifindex);

	return READ_ONCE(teach_pernet(net)->sysctl.forwarding) && tdev &&
	       READ_ONCE(tdev->forwarding);
}

static int teach_forward_finish(struct net *net, struct sk_buff *skb)
{
	TEACH_INC_STATS(teach_pernet(net), TEACH_MIB_FORW_DATAGRAMS);
	return teach_hook(TEACH_HOOK_POST_ROUTING, net, skb, NULL, skb->dev,
			  teach_output_finish);
}

/* Refuse, telling the sender why when there is something to tell. */
static int teach_forward_refuse(struct sk_buff *skb, int field, int type,
				int code, u32 info)
{
	TEACH_INC_STATS(teach_pernet(dev_net(skb->dev)), field);
	if (type >= 0)
		teach_ctrl_send(skb, type, code, info);
	kfree_skb(skb);
	return NET_RX_DROP;
}

int teach_forward(struct sk_buff *skb, const struct teach_route *rt)
{
	struct net_device *in = skb->dev;
	struct net *net = dev_net(in);
	struct teachhdr *th;
	struct net_device *out;
	unsigned int mtu;

	/* A host drops what is not addressed to it, as IPv4 counts it. */
	if (!teach_forwarding_on(net, in))
		return teach_forward_refuse(skb, TEACH_MIB_IN_ADDR_ERRORS,
					    -1, 0, 0);
	/* A link-layer broadcast or multicast is for this segment only. */
	if (skb->pkt_type != PACKET_HOST)
		return teach_forward_refuse(skb, TEACH_MIB_FORW_DISCARDS,
					    -1, 0, 0);
	if (!rt)
		return teach_forward_refuse(skb, TEACH_MIB_IN_NO_ROUTES,
					    TEACH_CTRL_UNREACH,
					    TEACH_UNREACH_NET, 0);
	switch (rt->type) {
	case TEACH_RTN_UNICAST:
		break;
	case TEACH_RTN_UNREACHABLE:
		return teach_forward_refuse(skb, TEACH_MIB_IN_NO_ROUTES,
					    TEACH_CTRL_UNREACH,
					    TEACH_UNREACH_HOST, 0);
	case TEACH_RTN_PROHIBIT:
		return teach_forward_refuse(skb, TEACH_MIB_FORW_DISCARDS,
					    TEACH_CTRL_UNREACH,
					    TEACH_UNREACH_ADMIN, 0);
	default:
		/* blackhole, or a directed broadcast of another segment */
		return teach_forward_refuse(skb, TEACH_MIB_FORW_DISCARDS,
					    -1, 0, 0);
	}

	th = (struct teachhdr *)skb->data;
	if (th->ttl <= 1)
		return teach_forward_refuse(skb, TEACH_MIB_IN_HDR_ERRORS,
					    TEACH_CTRL_TIME_EXCEEDED,
					    TEACH_TIMX_TTL, 0);

	out = rt->dev;
	if (!netif_running(out))
		return teach_forward_refuse(skb, TEACH_MIB_IN_NO_ROUTES,
					    TEACH_CTRL_UNREACH,
					    TEACH_UNREACH_NET, 0);
	mtu = READ_ONCE(out->mtu);
	if ((skb_is_gso(skb) ? teach_gso_seglen(skb) : skb->len) > mtu &&
	    (th->frag_off & htons(TEACH_DF))) {
		TEACH_INC_STATS(teach_pernet(net), TEACH_MIB_FRAG_FAILS);
		return teach_forward_refuse(skb, TEACH_MIB_FORW_DISCARDS,
					    TEACH_CTRL_UNREACH,
					    TEACH_UNREACH_FRAG, mtu);
	}

	/* The header is about to change: make it ours to write. */
	if (skb_cow(skb, LL_RESERVED_SPACE(out)))
		return teach_forward_refuse(skb, TEACH_MIB_IN_DISCARDS,
					    -1, 0, 0);
	th = (struct teachhdr *)skb->data;
	/* TTL - 1 with the incremental checksum update of RFC 1624 */
	csum_replace2(&th->check, htons(th->ttl << 8), htons((th->ttl - 1) << 8));
	th->ttl--;

	skb->priority = teach_tos2prio(th->tos);
	skb_forward_csum(skb);
	/* a checksum left to offload is finished before a real wire */
	if (skb->ip_summed == CHECKSUM_PARTIAL && !skb_is_gso(skb) &&
	    !teach_offload_ok(net, out) && skb_checksum_help(skb))
		return teach_forward_refuse(skb, TEACH_MIB_IN_DISCARDS,
					    -1, 0, 0);
	skb->dev = out;
	TEACH_CB(skb)->nexthop = rt->gateway ?: th->daddr;
	TEACH_CB(skb)->rtype = rt->type;
	TEACH_CB(skb)->mtu = mtu;
	TEACH_CB(skb)->local = 0;
	return teach_hook(TEACH_HOOK_FORWARD, net, skb, in, out,
			  teach_forward_finish);
}

/*
 * net.teach.conf.<dev>.forwarding, one table per device as IPv4 has
 * net.ipv4.conf.<dev>; registered under RTNL by devices.c.
 */
static struct ctl_table teach_dev_sysctl_template[] = {
	{
		.procname	= "forwarding",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{ }
};

int teach_dev_sysctl_register(struct teach_dev *tdev)
{
	char path[sizeof("net/teach/conf/") + IFNAMSIZ];
	struct ctl_table *table;

	table = kmemdup(teach_dev_sysctl_template,
			sizeof(teach_dev_sysctl_template), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table[0].data = &tdev->forwarding;
	snprintf(path, sizeof(path), "net/teach/conf/%s", tdev->dev->name);
	tdev->sysctl = register_net_sysctl(dev_net(tdev->dev), path, table);
	if (!tdev->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

void teach_dev_sysctl_unregister(struct teach_dev *tdev)
{
	struct ctl_table *table;

	if (!tdev->sysctl)
		return;
	table = tdev->sysctl->ctl_table_arg;
	unregister_net_sysctl_table(tdev->sysctl);
	tdev->sysctl = NULL;
	kfree(table);
}
