// SPDX-License-Identifier: GPL-2.0
/*
 * teach: control messages (protocol 1), like ICMP.
 *
 * Echo requests get replies; errors (destination unreachable, time
 * exceeded) are sent about packets that could not be delivered, at most
 * ctrl_rate a second with bursts of ctrl_burst, and never about another
 * error, a broadcast or a fragment other than the first.  Errors received
 * are counted and handed to the sockets they concern.
 */
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "teach.h"

/* An error quotes the offending header and this much of what followed. */
#define TEACH_CTRL_QUOTE	8
#define TEACH_CTRL_HLEN		sizeof(struct teach_ctrlhdr)

__sum16 teach_ctrl_csum(const void *data, int len)
{
	return csum_fold(csum_partial(data, len, 0));
}

/* Token bucket shared by the namespace; true if one more error may go. */
static bool teach_ctrl_allow(struct teach_net *tn)
{
	int rate = READ_ONCE(tn->sysctl.ctrl_rate);
	int burst = READ_ONCE(tn->sysctl.ctrl_burst);
	unsigned long now = jiffies;
	bool ok = false;
	u32 add;

	if (!rate)
		return true;
	spin_lock(&tn->ctrl_lock);
	add = min_t(u64, div_u64((u64)(now - tn->ctrl_stamp) * rate, HZ), burst);
	if (add)
		tn->ctrl_stamp = now;
	/* Clamped every time, so that lowering ctrl_burst takes effect at once. */
	tn->ctrl_tokens = min_t(u32, tn->ctrl_tokens + add, burst);
	if (tn->ctrl_tokens) {
		tn->ctrl_tokens--;
		ok = true;
	}
	spin_unlock(&tn->ctrl_lock);
	return ok;
}

static int teach_ctrl_xmit(struct net *net, __be32 daddr, __be32 saddr,
			   const struct teach_ctrlhdr *ch, const void *body,
			   int body_len, int oif)
{
	struct teach_flow fl = {
		.daddr = daddr,
		.saddr = saddr,
		.oif = oif,
		.protocol = TEACHPROTO_CTRL,
	};
	struct teach_ctrlhdr *out;
	struct sk_buff *skb;

	skb = alloc_skb(LL_MAX_HEADER + TEACH_MAX_HLEN + TEACH_CTRL_HLEN +
			body_len, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_MAX_HEADER + TEACH_MAX_HLEN);
	out = skb_put_data(skb, ch, TEACH_CTRL_HLEN);
	skb_put_data(skb, body, body_len);
	out->check = 0;
	out->check = teach_ctrl_csum(out, skb->len);
	return teach_output(net, skb, &fl);
}

void teach_ctrl_send(struct sk_buff *skb_in, u8 type, u8 code, u32 info)
{
	struct net *net = dev_net(skb_in->dev);
	struct teach_net *tn = teach_pernet(net);
	const struct teachhdr *th;
	struct teach_ctrlhdr ch = { .type = type, .code = code };
	struct teach_dev *tdev;
	int hlen, quote;
	__be32 saddr;
	u8 buf[TEACH_MAX_HLEN + TEACH_CTRL_QUOTE];

	if (skb_network_header(skb_in) < skb_in->head ||
	    skb_network_header(skb_in) + TEACH_HLEN > skb_tail_pointer(skb_in))
		return;
	th = (const struct teachhdr *)skb_network_header(skb_in);
	hlen = (th->ver_ihl & 0xf) * 4;
	/* Never about broadcasts, odd sources or non-first fragments. */
	if (th->daddr == htonl(TEACH_ADDR_BROADCAST) || !th->saddr ||
	    th->saddr == htonl(TEACH_ADDR_BROADCAST) ||
	    (th->frag_off & htons(TEACH_OFFSET)) ||
	    skb_in->pkt_type == PACKET_BROADCAST)
		return;
	rcu_read_lock();
	tdev = teach_dev_get(net, skb_in->dev->ifindex);
	if (tdev && teach_addr_is_bcast(tdev, th->daddr))
		goto out;
	/* Never about another error. */
	if (th->protocol == TEACHPROTO_CTRL) {
		const struct teach_ctrlhdr *inner;
		u8 tbuf;

		inner = skb_header_pointer(skb_in,
					   skb_network_offset(skb_in) + hlen,
					   1, &tbuf);
		if (!inner || (inner->type != TEACH_CTRL_ECHO_REQUEST &&
			       inner->type != TEACH_CTRL_ECHO_REPLY))
			goto out;
	}
	if (!teach_ctrl_allow(tn)) {
		TEACH_INC_STATS(tn, TEACH_MIB_CTRL_RATELIMITED);
		goto out;
	}

	quote = min_t(int, hlen + TEACH_CTRL_QUOTE,
		      skb_tail_pointer(skb_in) - skb_network_header(skb_in));
	if (skb_copy_bits(skb_in, skb_network_offset(skb_in), buf, quote))
		goto out;
	if (type == TEACH_CTRL_UNREACH && code == TEACH_UNREACH_FRAG)
		ch.un.frag.mtu = htons(info);
	/* Answer from the address the packet was sent to, if it is ours. */
	saddr = teach_addr_is_local(net, th->daddr) ? th->daddr : 0;
	if (!teach_ctrl_xmit(net, th->saddr, saddr, &ch, buf, quote, 0)) {
		TEACH_INC_STATS(tn, TEACH_MIB_CTRL_OUT_MSGS);
		TEACH_INC_STATS(tn, type == TEACH_CTRL_UNREACH ?
				TEACH_MIB_CTRL_OUT_UNREACHS :
				TEACH_MIB_CTRL_OUT_TIME_EXCDS);
	}
out:
	rcu_read_unlock();
}

static void teach_ctrl_echo(struct sk_buff *skb, struct teach_net *tn)
{
	const struct teachhdr *th = (const struct teachhdr *)skb_network_header(skb);
	struct teach_ctrlhdr ch;
	struct teach_dev *tdev;
	bool bcast;
	void *body;
	int len;

	TEACH_INC_STATS(tn, TEACH_MIB_CTRL_IN_ECHOS);
	if (READ_ONCE(tn->sysctl.ctrl_echo_ignore_all))
		return;
	tdev = teach_dev_get(dev_net(skb->dev), skb->dev->ifindex);
	bcast = !tdev || teach_addr_is_bcast(tdev, th->daddr);
	if (bcast && READ_ONCE(tn->sysctl.ctrl_echo_ignore_bcast))
		return;
	if (skb_linearize(skb))
		return;
	th = (const struct teachhdr *)skb_network_header(skb);
	memcpy(&ch, skb->data, TEACH_CTRL_HLEN);
	ch.type = TEACH_CTRL_ECHO_REPLY;
	body = skb->data + TEACH_CTRL_HLEN;
	len = skb->len - TEACH_CTRL_HLEN;
	if (!teach_ctrl_xmit(dev_net(skb->dev), th->saddr,
			     bcast ? 0 : th->daddr, &ch, body, len,
			     bcast ? skb->dev->ifindex : 0)) {
		TEACH_INC_STATS(tn, TEACH_MIB_CTRL_OUT_MSGS);
		TEACH_INC_STATS(tn, TEACH_MIB_CTRL_OUT_ECHO_REPS);
	}
}

int teach_ctrl_rcv(struct sk_buff *skb)
{
	struct teach_net *tn = teach_pernet(dev_net(skb->dev));
	const struct teach_ctrlhdr *ch;

	TEACH_INC_STATS(tn, TEACH_MIB_CTRL_IN_MSGS);
	if (!pskb_may_pull(skb, TEACH_CTRL_HLEN) ||
	    csum_fold(skb_checksum(skb, 0, skb->len, 0)))
		goto bad;
	ch = (const struct teach_ctrlhdr *)skb->data;

	switch (ch->type) {
	case TEACH_CTRL_ECHO_REQUEST:
		teach_ctrl_echo(skb, tn);
		break;
	case TEACH_CTRL_ECHO_REPLY:
		TEACH_INC_STATS(tn, TEACH_MIB_CTRL_IN_ECHO_REPS);
		break;
	case TEACH_CTRL_UNREACH:
	case TEACH_CTRL_TIME_EXCEEDED:
		TEACH_INC_STATS(tn, ch->type == TEACH_CTRL_UNREACH ?
				TEACH_MIB_CTRL_IN_UNREACHS :
				TEACH_MIB_CTRL_IN_TIME_EXCDS);
		/* The quoted header must be there to say whom it concerns. */
		if (!pskb_may_pull(skb, TEACH_CTRL_HLEN + TEACH_HLEN))
			goto bad;
		ch = (const struct teach_ctrlhdr *)skb->data;
		/* A router on the way says how big packets to there may be. */
		if (ch->type == TEACH_CTRL_UNREACH &&
		    ch->code == TEACH_UNREACH_FRAG) {
			const struct teachhdr *q = (const void *)(ch + 1);

			/*
			 * Only about packets this host sent; a stream's
			 * report is believed only once its sequence number
			 * checks out (teach_stream_err(), RFC 5927).
			 */
			if (teach_addr_is_local(dev_net(skb->dev), q->saddr) &&
			    q->protocol != TEACHPROTO_STREAM)
				teach_pmtu_update(dev_net(skb->dev), q->daddr,
						  ntohs(ch->un.frag.mtu));
		}
		teach_raw_err(skb, ch->type, ch->code, ntohs(ch->un.frag.mtu));
		ch = (const struct teach_ctrlhdr *)skb->data;
		if (((const struct teachhdr *)(ch + 1))->protocol ==
		    TEACHPROTO_DGRAM)
			teach_dgram_err(skb, ch->type, ch->code,
					ntohs(ch->un.frag.mtu));
		else if (((const struct teachhdr *)(ch + 1))->protocol ==
			 TEACHPROTO_STREAM)
			teach_stream_err(skb, ch->type, ch->code,
					 ntohs(ch->un.frag.mtu));
		break;
	default:
		break;
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;

bad:
	TEACH_INC_STATS(tn, TEACH_MIB_CTRL_IN_ERRORS);
	kfree_skb(skb);
	return NET_RX_DROP;
}
