// SPDX-License-Identifier: GPL-2.0
/*
 * teach: fragmentation, when a packet is bigger than the next link's MTU.
 *
 * As ip_do_fragment()'s slow path: the packet is cut into pieces that fit,
 * each a copy of the header followed by a slice of the payload.  Every
 * slice but the last is a multiple of 8 bytes, because the offset field
 * counts 8-byte units; each piece but the last has "more fragments" set,
 * and the last keeps the flag of the packet it came from, so that a
 * fragment fragmented again by a second router still ends where the
 * original did.  The header (options too) is copied whole into each piece.
 *
 * A packet with don't-fragment set is not cut: it is dropped, and if it was
 * being forwarded the sender is told "fragmentation needed" with the MTU
 * (forward.c normally catches that first; this catches an MTU that shrank
 * between the route lookup and here, or a hook that grew the packet).
 */
#include <linux/skbuff.h>
#include <net/ip.h>

#include "teach.h"

/* What a fragment inherits from the packet it was cut from. */
static void teach_frag_copy_meta(struct sk_buff *to, const struct sk_buff *from)
{
	to->dev = from->dev;
	to->protocol = from->protocol;
	to->priority = from->priority;
	to->mark = from->mark;
	skb_copy_hash(to, from);
	memcpy(to->cb, from->cb, sizeof(to->cb));
	/* charged to the sending socket, as the packet was */
	if (from->sk)
		skb_set_owner_w(to, from->sk);
}

int teach_fragment(struct net *net, struct sk_buff *skb, unsigned int mtu,
		   int (*output)(struct net *net, struct sk_buff *skb))
{
	struct teach_net *tn = teach_pernet(net);
	struct teachhdr *th = (struct teachhdr *)skb->data;
	unsigned int hlen = (th->ver_ihl & 0xf) * 4;
	u16 frag_off = ntohs(th->frag_off);
	unsigned int base = (frag_off & TEACH_OFFSET) << 3;
	unsigned int size = teach_frag_size(mtu, hlen);
	unsigned int pos = hlen, left = skb->len - hlen, len, fo;
	unsigned int room = LL_RESERVED_SPACE(skb->dev);
	struct teachhdr *fh;
	struct sk_buff *frag;
	int err;

	if (frag_off & TEACH_DF) {
		if (!TEACH_CB(skb)->local)
			teach_ctrl_send(skb, TEACH_CTRL_UNREACH,
					TEACH_UNREACH_FRAG, mtu);
		err = -EMSGSIZE;
		goto fail;
	}
	/* min_pmtu and the device minimum make this impossible; be sure. */
	err = -EINVAL;
	if (size < 8)
		goto fail;
	/* A checksum left to the device would cover the first piece only. */
	err = -ENOMEM;
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto fail;
	th = (struct teachhdr *)skb->data;

	while (left) {
		len = min(left, size);
		frag = alloc_skb(room + hlen + len, GFP_ATOMIC);
		if (!frag) {
			err = -ENOMEM;
			goto fail;
		}
		teach_frag_copy_meta(frag, skb);
		skb_reserve(frag, room);
		skb_reset_network_header(frag);
		skb_put_data(frag, th, hlen);
		if (skb_copy_bits(skb, pos, skb_put(frag, len), len)) {
			kfree_skb(frag);
			err = -EFAULT;
			goto fail;
		}
		fh = (struct teachhdr *)frag->data;
		fh->tot_len = htons(hlen + len);
		fo = (base + pos - hlen) >> 3;
		if (left > len || (frag_off & TEACH_MF))
			fo |= TEACH_MF;
		fh->frag_off = htons(fo);
		fh->check = 0;
		fh->check = ip_fast_csum(fh, hlen / 4);

		pos += len;
		left -= len;
		TEACH_INC_STATS(tn, TEACH_MIB_FRAG_CREATES);
		/* As IPv4: a piece that cannot go dooms the rest. */
		err = output(net, frag);
		if (err)
			goto fail;
	}
	TEACH_INC_STATS(tn, TEACH_MIB_FRAG_OKS);
	consume_skb(skb);
	return 0;

fail:
	TEACH_INC_STATS(tn, TEACH_MIB_FRAG_FAILS);
	kfree_skb(skb);
	return err;
}
