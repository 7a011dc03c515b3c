// SPDX-License-Identifier: GPL-2.0
/*
 * teach: offloads, what Linux's TCP gets from veth and loopback for free.
 *
 * Checksum offload: on a device that hands the skb to the next stack as
 * it is (veth, loopback), a stream segment leaves with CHECKSUM_PARTIAL
 * and only the pseudo-header sum in its check field; the receiver takes
 * such an skb as verified, because it never crossed a wire.  Anything
 * that must see the real checksum (a real NIC, a forwarded packet headed
 * for one, netem corrupting it) has skb_checksum_help() finish it.
 *
 * Generic segmentation offload: the stream transport sends runs of
 * full-sized segments as one super-packet, one header in front of a
 * frag_list of the queued segments (stream_output.c), gso_size = MSS.
 * It is marked SKB_GSO_FRAGLIST, a software-only GSO type: veth,
 * loopback and bridges carry it whole, and the core calls
 * teach_gso_segment() (registered for our Ethertype) to cut it into
 * wire-sized segments, each with its own header and checksum, before any
 * other driver sees it.  net.teach.offload = 0 turns both off, so that
 * tcpdump shows every segment with its checksum.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "stream.h"

bool teach_offload_ok(struct net *net, const struct net_device *dev)
{
	if (!READ_ONCE(teach_pernet(net)->sysctl.offload))
		return false;
	if (dev->flags & IFF_LOOPBACK)
		return true;
	return dev->rtnl_link_ops && !strcmp(dev->rtnl_link_ops->kind, "veth");
}

/* One of ours, as teach_stream_xmit_gso() builds it? */
bool teach_gso_valid(const struct sk_buff *skb)
{
	const struct skb_shared_info *si = skb_shinfo(skb);

	return si->gso_type == SKB_GSO_FRAGLIST && si->gso_size &&
	       skb->ip_summed == CHECKSUM_PARTIAL;
}

/*
 * A super-packet arriving (input.c, data at the network header of hlen
 * bytes): a stream segment with its headers linear, of our GSO type.  An
 * AF_PACKET sender can make the core hand us other GSO types.
 */
bool teach_gso_rx_ok(struct sk_buff *skb, unsigned int hlen)
{
	const struct teach_streamhdr *h;
	unsigned int doff;

	if (!teach_gso_valid(skb) ||
	    ((const struct teachhdr *)skb->data)->protocol != TEACHPROTO_STREAM ||
	    !pskb_may_pull(skb, hlen + TEACH_STREAM_HLEN))
		return false;
	h = (const struct teach_streamhdr *)(skb->data + hlen);
	doff = (h->doff >> 4) * 4;
	return doff >= TEACH_STREAM_HLEN && pskb_may_pull(skb, hlen + doff) &&
	       skb->len > hlen + doff;
}

/*
 * The length of each segment's packet, network header included; the
 * network and stream headers are linear (input.c pulled them).
 */
unsigned int teach_gso_seglen(const struct sk_buff *skb)
{
	const struct teachhdr *th = (const struct teachhdr *)skb_network_header(skb);
	unsigned int hlen = (th->ver_ihl & 0xf) * 4;
	const struct teach_streamhdr *h = (const void *)((const u8 *)th + hlen);

	return hlen + (h->doff >> 4) * 4 + skb_shinfo(skb)->gso_size;
}

/*
 * Cut a super-packet into segments, data at the network header of skb.
 * Each copy gets the headers, its share of the payload, its sequence
 * number, length, id and both checksums; PSH and FIN stay on the last.
 */
struct sk_buff *teach_gso_cut(struct sk_buff *skb, unsigned int maclen)
{
	const struct teachhdr *oth = (const struct teachhdr *)skb->data;
	struct sk_buff *segs = NULL, **tail = &segs, *nskb;
	unsigned int hlen, doff, hdrs, mss, off, len;
	const struct teach_streamhdr *oh;
	u32 seq;
	u16 id;

	if (!teach_gso_valid(skb) || !pskb_may_pull(skb, TEACH_HLEN))
		return ERR_PTR(-EINVAL);
	oth = (const struct teachhdr *)skb->data;
	hlen = (oth->ver_ihl & 0xf) * 4;
	if (oth->protocol != TEACHPROTO_STREAM ||
	    !pskb_may_pull(skb, hlen + TEACH_STREAM_HLEN))
		return ERR_PTR(-EINVAL);
	oth = (const struct teachhdr *)skb->data;
	oh = (const struct teach_streamhdr *)(skb->data + hlen);
	doff = (oh->doff >> 4) * 4;
	hdrs = hlen + doff;
	if (doff < TEACH_STREAM_HLEN || !pskb_may_pull(skb, hdrs) ||
	    skb->len <= hdrs)
		return ERR_PTR(-EINVAL);
	oth = (const struct teachhdr *)skb->data;
	oh = (const struct teach_streamhdr *)(skb->data + hlen);
	mss = skb_shinfo(skb)->gso_size;
	seq = ntohl(oh->seq);
	id = ntohs(oth->id);

	for (off = hdrs; off < skb->len; off += len) {
		struct teach_streamhdr *h;
		struct teachhdr *th;

		len = min(mss, skb->len - off);
		nskb = alloc_skb(LL_MAX_HEADER + hdrs + len, GFP_ATOMIC);
		if (!nskb)
			goto fail;
		skb_reserve(nskb, LL_MAX_HEADER - maclen);
		/* the link-layer header too, as skb_segment() copies it */
		skb_put_data(nskb, skb->data - maclen, maclen + hdrs);
		if (skb_copy_bits(skb, off, skb_put(nskb, len), len)) {
			kfree_skb(nskb);
			goto fail;
		}
		skb_reset_mac_header(nskb);
		skb_set_network_header(nskb, maclen);
		skb_set_transport_header(nskb, maclen + hlen);
		__skb_pull(nskb, maclen);
		nskb->mac_len = maclen;
		nskb->protocol = skb->protocol;
		nskb->dev = skb->dev;
		nskb->priority = skb->priority;
		nskb->mark = skb->mark;
		nskb->tstamp = skb->tstamp;

		th = (struct teachhdr *)nskb->data;
		th->tot_len = htons(hdrs + len);
		th->id = htons(id++);
		th->check = 0;
		th->check = ip_fast_csum(th, hlen / 4);
		h = (struct teach_streamhdr *)(nskb->data + hlen);
		h->seq = htonl(seq);
		if (off + len < skb->len)
			h->flags &= ~(TEACH_STREAM_F_PSH | TEACH_STREAM_F_FIN);
		h->check = 0;
		h->check = teach_stream_csum(th->saddr, th->daddr, doff + len,
					     skb_checksum(nskb, hlen, doff + len,
							  0));
		nskb->ip_summed = CHECKSUM_NONE;
		seq += len;
		__skb_push(nskb, maclen);
		*tail = nskb;
		tail = &nskb->next;
	}
	return segs;

fail:
	kfree_skb_list(segs);
	return ERR_PTR(-ENOMEM);
}

/*
 * Finish a checksum left to offload in skb itself, a super-packet's too
 * (skb_checksum_help() refuses those): for a raw socket, which must see
 * the packet as a wire would carry it.
 */
int teach_csum_finish(struct sk_buff *skb)
{
	int start = skb_checksum_start_offset(skb);
	int off = start + skb->csum_offset;
	__wsum csum;

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	if (start < 0 || off + sizeof(__sum16) > skb_headlen(skb))
		return -EINVAL;
	if (skb_ensure_writable(skb, off + sizeof(__sum16)))
		return -ENOMEM;
	csum = skb_checksum(skb, start, skb->len - start, 0);
	*(__sum16 *)(skb->data + off) = csum_fold(csum) ?: CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/* The core's GSO callback: data at the network header, the MAC header before. */
static struct sk_buff *teach_gso_segment(struct sk_buff *skb,
					 netdev_features_t features)
{
	unsigned int maclen = skb->data - skb_mac_header(skb);
	struct sk_buff *segs;

	segs = teach_gso_cut(skb, maclen);
	if (!IS_ERR(segs))
		TEACH_ADD_STATS(teach_pernet(dev_net(skb->dev)),
				TEACH_MIB_GSO_SEGMENTED, 1);
	return segs;
}

static struct packet_offload teach_offload __read_mostly = {
	.type = cpu_to_be16(ETH_P_TEACH),
	.callbacks = {
		.gso_segment = teach_gso_segment,
	},
};

void teach_gso_init(void)
{
	dev_add_offload(&teach_offload);
}

void teach_gso_exit(void)
{
	dev_remove_offload(&teach_offload);
}
