// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the receive path.
 *
 * Frames of our Ethertype arrive here.  The first nibble says whether a
 * neighbour message or a network packet follows.  A network packet has
 * every header field checked, as ip_rcv() does, each failure counted by
 * reason.  After the PRE_ROUTING hook one route lookup decides: a packet
 * addressed to this host (one of its addresses, or a broadcast on the
 * arrival segment) is reassembled if it is a fragment and goes through
 * LOCAL_IN to its protocol; any other is forwarded (forward.c).
 */
#include <linux/skbuff.h>
#include <linux/if_ether.h>
#include <net/ip.h>

#include "teach.h"
#include "teach_hooks.h"

int teach_local_deliver(struct net *net, struct sk_buff *skb)
{
	struct teach_net *tn = teach_pernet(net);
	const struct teachhdr *th = (const struct teachhdr *)skb_network_header(skb);
	bool raw;

	/* Raw sockets see the whole packet, network header included. */
	raw = teach_raw_deliver(skb);
	__skb_pull(skb, (th->ver_ihl & 0xf) * 4);
	skb_reset_transport_header(skb);

	switch (th->protocol) {
	case TEACHPROTO_CTRL:
		TEACH_INC_STATS(tn, TEACH_MIB_IN_DELIVERS);
		return teach_ctrl_rcv(skb);
	case TEACHPROTO_DGRAM:
		TEACH_INC_STATS(tn, TEACH_MIB_IN_DELIVERS);
		return teach_dgram_rcv(skb);
	case TEACHPROTO_STREAM:
		TEACH_INC_STATS(tn, TEACH_MIB_IN_DELIVERS);
		return teach_stream_rcv(skb);
	default:
		if (raw) {
			TEACH_INC_STATS(tn, TEACH_MIB_IN_DELIVERS);
			consume_skb(skb);
			return NET_RX_SUCCESS;
		}
		TEACH_INC_STATS(tn, TEACH_MIB_IN_UNKNOWN_PROTOS);
		teach_ctrl_send(skb, TEACH_CTRL_UNREACH, TEACH_UNREACH_PROTO, 0);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
}

/* A packet for this host: whole again if it came in fragments. */
static int teach_local_in(struct net *net, struct sk_buff *skb)
{
	const struct teachhdr *th = (const struct teachhdr *)skb->data;

	if (th->frag_off & htons(TEACH_MF | TEACH_OFFSET)) {
		skb = teach_reasm(net, skb);
		if (!skb)
			return NET_RX_SUCCESS;
	}
	return teach_hook(TEACH_HOOK_LOCAL_IN, net, skb, skb->dev, NULL,
			  teach_local_deliver);
}

/*
 * One route lookup says whether it is ours: one of our addresses, or the
 * directed broadcast of a prefix on the arrival device.  Anything else is
 * for the forwarding code to take or refuse.
 */
static int teach_rcv_finish(struct net *net, struct sk_buff *skb)
{
	const struct teachhdr *th = (const struct teachhdr *)skb->data;
	const struct teach_route *rt;

	if (th->daddr == htonl(TEACH_ADDR_BROADCAST))
		return teach_local_in(net, skb);
	rt = teach_route_lookup(net, th->daddr);
	if (rt && (rt->type == TEACH_RTN_LOCAL ||
		   (rt->type == TEACH_RTN_BROADCAST && rt->dev == skb->dev)))
		return teach_local_in(net, skb);
	return teach_forward(skb, rt);
}

static bool teach_loopback_addr(__be32 addr)
{
	return (ntohl(addr) >> 24) == (TEACH_LOOPBACK_NET >> 24);
}

static int teach_rcv(struct sk_buff *skb, struct net_device *dev,
		     struct packet_type *pt, struct net_device *orig_dev)
{
	struct teach_net *tn = teach_pernet(dev_net(dev));
	const struct teachhdr *th;
	struct teach_dev *tdev;
	unsigned int hlen, len;
	int field;

	/* Frames for another station, seen in promiscuous mode, are not ours. */
	if (skb->pkt_type == PACKET_OTHERHOST) {
		consume_skb(skb);
		return NET_RX_DROP;
	}
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		TEACH_INC_STATS(tn, TEACH_MIB_IN_DISCARDS);
		return NET_RX_DROP;
	}
	/*
	 * veth and loopback hand over the sender's skb still charged to the
	 * sending socket; it is ours now (as ip_rcv_core() does).
	 */
	skb_orphan(skb);
	if (!pskb_may_pull(skb, 1)) {
		field = TEACH_MIB_IN_TRUNCATED;
		goto drop;
	}
	if (skb->data[0] >> 4 == TEACH_NEIGH_VERSION)
		return teach_neigh_rcv(skb, dev);

	TEACH_INC_STATS(tn, TEACH_MIB_IN_RECEIVES);
	field = TEACH_MIB_IN_NO_DEV;
	tdev = teach_dev_get(dev_net(dev), dev->ifindex);
	if (!tdev)
		goto drop;

	field = TEACH_MIB_IN_TRUNCATED;
	if (!pskb_may_pull(skb, TEACH_HLEN))
		goto drop;
	th = (const struct teachhdr *)skb->data;
	hlen = (th->ver_ihl & 0xf) * 4;
	field = TEACH_MIB_IN_HDR_ERRORS;
	if (th->ver_ihl >> 4 != TEACH_VERSION || hlen < TEACH_HLEN)
		goto drop;
	field = TEACH_MIB_IN_TRUNCATED;
	if (!pskb_may_pull(skb, hlen))
		goto drop;
	th = (const struct teachhdr *)skb->data;
	if (unlikely(ip_fast_csum(th, th->ver_ihl & 0xf))) {
		TEACH_INC_STATS(tn, TEACH_MIB_IN_CSUM_ERRORS);
		field = TEACH_MIB_IN_HDR_ERRORS;
		goto drop;
	}
	len = ntohs(th->tot_len);
	field = TEACH_MIB_IN_HDR_ERRORS;
	if (len < hlen || (th->frag_off & htons(TEACH_RF)))
		goto drop;
	field = TEACH_MIB_IN_TRUNCATED;
	if (skb->len < len)
		goto drop;
	/* Ethernet pads short frames: the header's length is the truth. */
	if (pskb_trim_rcsum(skb, len)) {
		field = TEACH_MIB_IN_DISCARDS;
		goto drop;
	}
	skb_reset_network_header(skb);
	/* only a super-packet of our own making (gso.c) is taken whole */
	field = TEACH_MIB_IN_HDR_ERRORS;
	if (skb_is_gso(skb) && !teach_gso_rx_ok(skb, hlen))
		goto drop;
	th = (const struct teachhdr *)skb->data;

	field = TEACH_MIB_IN_ADDR_ERRORS;
	if (th->saddr == htonl(TEACH_ADDR_BROADCAST) ||
	    (ntohl(th->saddr) & 0xf0000000) == 0xe0000000)
		goto drop;
	/*
	 * 127/8 lives on loopback only: from a wire it is a spoof, a
	 * "martian" as IPv4 calls it, that would otherwise reach whatever
	 * listens on the host's loopback addresses.
	 */
	if (!(dev->flags & IFF_LOOPBACK) &&
	    (teach_loopback_addr(th->saddr) || teach_loopback_addr(th->daddr)))
		goto drop;
	return teach_hook(TEACH_HOOK_PRE_ROUTING, dev_net(dev), skb, dev, NULL,
			  teach_rcv_finish);

drop:
	TEACH_INC_STATS(tn, field);
	kfree_skb(skb);
	return NET_RX_DROP;
}

static struct packet_type teach_packet_type __read_mostly = {
	.type = cpu_to_be16(ETH_P_TEACH),
	.func = teach_rcv,
};

void teach_input_init(void)
{
	dev_add_pack(&teach_packet_type);
}

void teach_input_exit(void)
{
	dev_remove_pack(&teach_packet_type);
}
