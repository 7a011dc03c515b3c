// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the fragments of one packet, kept in order of their offset.
 *
 * Reassembly (reasm.c) keeps one of these per packet being put back
 * together.  This file only decides where a new fragment goes and whether
 * the packet is whole, and joins it; it knows nothing of namespaces,
 * memory limits or timers, so that KUnit can test it on its own.
 *
 * The rules, those of Linux's IPv4 since the FragmentSmack fixes:
 *  - fragments sit in a red-black tree by offset, so a flood of tiny ones
 *    costs O(log n) each, not O(n);
 *  - a fragment lying wholly inside one already held is a duplicate
 *    (a retransmission or a network that duplicates): it is dropped and
 *    the packet goes on;
 *  - any other overlap means the fragments disagree about the data: the
 *    whole packet is given up, since there is no safe way to choose
 *    (RFC 5722 makes the same choice for IPv6);
 *  - a last fragment (MF clear) fixes the length; anything beyond it, or
 *    a second last fragment that disagrees, gives the packet up too.
 */
#include <linux/rbtree.h>
#include <linux/skbuff.h>
#include <net/ip.h>

#include "teach.h"

void teach_fragq_init(struct teach_fragq *q)
{
	memset(q, 0, sizeof(*q));
	q->root = RB_ROOT;
}

int teach_fragq_insert(struct teach_fragq *q, struct sk_buff *skb,
		       unsigned int offset, unsigned int len, unsigned int hlen,
		       bool last)
{
	struct rb_node **p = &q->root.rb_node, *parent = NULL;
	struct sk_buff *prev = NULL, *next = NULL, *s;
	unsigned int end = offset + len;

	if (last) {
		if (end < q->max_end ||
		    ((q->flags & TEACH_FRAGQ_LAST_IN) && end != q->len))
			return TEACH_FRAGQ_BAD;
	} else if ((q->flags & TEACH_FRAGQ_LAST_IN) && end > q->len) {
		return TEACH_FRAGQ_BAD;
	}

	/* prev: the fragment starting at or before this one; next: after */
	while (*p) {
		parent = *p;
		s = rb_to_skb(parent);
		if (offset < TEACH_FRAG_CB(s)->offset) {
			next = s;
			p = &parent->rb_left;
		} else {
			prev = s;
			p = &parent->rb_right;
		}
	}
	if (prev) {
		unsigned int prev_end = TEACH_FRAG_CB(prev)->offset +
					TEACH_FRAG_CB(prev)->len;

		if (prev_end > offset)
			return end <= prev_end ? TEACH_FRAGQ_DUP :
						 TEACH_FRAGQ_OVERLAP;
	}
	if (next && TEACH_FRAG_CB(next)->offset < end)
		return TEACH_FRAGQ_OVERLAP;

	TEACH_FRAG_CB(skb)->offset = offset;
	TEACH_FRAG_CB(skb)->len = len;
	TEACH_FRAG_CB(skb)->hlen = hlen;
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, &q->root);

	if (!offset)
		q->flags |= TEACH_FRAGQ_FIRST_IN;
	if (last) {
		q->flags |= TEACH_FRAGQ_LAST_IN;
		q->len = end;
	}
	q->max_end = max(q->max_end, end);
	q->meat += len;
	q->truesize += skb->truesize;
	q->nfrags++;
	return TEACH_FRAGQ_QUEUED;
}

bool teach_fragq_complete(const struct teach_fragq *q)
{
	/* No overlaps are ever held, so all the bytes means no gaps. */
	return (q->flags & TEACH_FRAGQ_FIRST_IN) &&
	       (q->flags & TEACH_FRAGQ_LAST_IN) && q->meat == q->len;
}

struct sk_buff *teach_fragq_first(const struct teach_fragq *q)
{
	struct rb_node *n = rb_first(&q->root);

	return n ? rb_to_skb(n) : NULL;
}

struct sk_buff *teach_fragq_pop_first(struct teach_fragq *q)
{
	struct sk_buff *skb = teach_fragq_first(q);

	if (!skb)
		return NULL;
	rb_erase(&skb->rbnode, &q->root);
	skb_mark_not_on_list(skb);
	q->meat -= TEACH_FRAG_CB(skb)->len;
	q->truesize -= skb->truesize;
	q->nfrags--;
	if (!TEACH_FRAG_CB(skb)->offset)
		q->flags &= ~TEACH_FRAGQ_FIRST_IN;
	return skb;
}

struct sk_buff *teach_fragq_join(struct teach_fragq *q)
{
	struct sk_buff *head = teach_fragq_first(q), *fp, **tail;
	struct rb_node *n, *next;
	struct teachhdr *th;
	unsigned int hlen;

	if (!head || !teach_fragq_complete(q))
		return NULL;
	/* The head's frag_list is about to change: it must be ours alone. */
	if (skb_unclone(head, GFP_ATOMIC))
		return NULL;

	/* The others follow the head as its frag_list, headers pulled off. */
	tail = &skb_shinfo(head)->frag_list;
	for (n = rb_next(&head->rbnode); n; n = next) {
		next = rb_next(n);
		fp = rb_to_skb(n);
		rb_erase(n, &q->root);
		__skb_pull(fp, TEACH_FRAG_CB(fp)->hlen);
		fp->next = NULL;
		fp->dev = NULL;		/* the tree used its place */
		*tail = fp;
		tail = &fp->next;
		head->len += fp->len;
		head->data_len += fp->len;
		head->truesize += fp->truesize;
	}
	rb_erase(&head->rbnode, &q->root);
	skb_mark_not_on_list(head);

	hlen = TEACH_FRAG_CB(head)->hlen;
	th = (struct teachhdr *)head->data;
	th->tot_len = htons(hlen + q->len);
	th->frag_off &= htons(TEACH_DF);
	th->check = 0;
	th->check = ip_fast_csum(th, hlen / 4);
	skb_reset_network_header(head);
	/* Any checksum the device gave covered one fragment only. */
	head->ip_summed = CHECKSUM_NONE;

	teach_fragq_init(q);
	return head;
}

void teach_fragq_purge(struct teach_fragq *q)
{
	struct rb_node *n = rb_first(&q->root);
	struct sk_buff *skb;

	while (n) {
		skb = rb_to_skb(n);
		n = rb_next(n);
		rb_erase(&skb->rbnode, &q->root);
		kfree_skb(skb);
	}
	teach_fragq_init(q);
}

unsigned int teach_frag_size(unsigned int mtu, unsigned int hlen)
{
	/* Offsets count 8-byte units: every fragment but the last is a multiple of 8. */
	return mtu > hlen ? (mtu - hlen) & ~7U : 0;
}
