// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the out-of-order queue of a stream socket.
 *
 * Segments that arrive after a hole wait in an rbtree by first sequence
 * number, as tcp_data_queue_ofo() keeps them.  A segment wholly inside
 * one already held is dropped; one that covers others replaces them;
 * partial overlaps are kept as they are and trimmed when they are taken
 * out in order.  Nothing here knows about sockets: the caller charges
 * the memory and KUnit tests the logic (kmod/tests/stream_kunit.c).
 */
#include <linux/rbtree.h>
#include <linux/skbuff.h>

#include "stream.h"

int teach_ofo_insert(struct rb_root *root, struct sk_buff *skb,
		     unsigned int *freed)
{
	u32 seq = TEACH_STREAM_CB(skb)->seq;
	u32 end = TEACH_STREAM_CB(skb)->end_seq;
	struct rb_node **p = &root->rb_node, *parent = NULL;
	struct sk_buff *s, *next, *prev;

	*freed = 0;
	while (*p) {
		parent = *p;
		s = rb_to_skb(parent);
		if (teach_seq_before(seq, TEACH_STREAM_CB(s)->seq)) {
			p = &parent->rb_left;
		} else if (teach_seq_after(seq, TEACH_STREAM_CB(s)->seq)) {
			p = &parent->rb_right;
		} else {
			/* the same start: the longer one stays */
			if (!teach_seq_after(end, TEACH_STREAM_CB(s)->end_seq))
				return TEACH_OFO_DUP;
			rb_replace_node(parent, &skb->rbnode, root);
			kfree_skb(s);
			(*freed)++;
			goto merge_right;
		}
	}
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, root);
	prev = skb_rb_prev(skb);
	if (prev && !teach_seq_after(end, TEACH_STREAM_CB(prev)->end_seq)) {
		rb_erase(&skb->rbnode, root);
		return TEACH_OFO_DUP;
	}
merge_right:
	/* the ones after it that it covers go */
	while ((next = skb_rb_next(skb)) &&
	       !teach_seq_after(TEACH_STREAM_CB(next)->end_seq, end)) {
		rb_erase(&next->rbnode, root);
		kfree_skb(next);
		(*freed)++;
	}
	return TEACH_OFO_QUEUED;
}

struct sk_buff *teach_ofo_pop(struct rb_root *root, u32 rcv_nxt)
{
	struct teach_stream_cb *cb;
	struct sk_buff *skb;
	u32 trim;

	while ((skb = skb_rb_first(root))) {
		cb = TEACH_STREAM_CB(skb);
		if (teach_seq_after(cb->seq, rcv_nxt))
			return NULL;
		rb_erase(&skb->rbnode, root);
		if (!teach_seq_after(cb->end_seq, rcv_nxt)) {
			kfree_skb(skb);		/* nothing new in it */
			continue;
		}
		trim = rcv_nxt - cb->seq;
		/* a FIN is the last sequence number: trim < end - seq keeps it */
		if (trim > skb->len || !pskb_pull(skb, trim)) {
			kfree_skb(skb);
			continue;
		}
		cb->seq = rcv_nxt;
		return skb;
	}
	return NULL;
}

/* skb_rbtree_purge() is not exported to modules */
void teach_ofo_purge(struct rb_root *root)
{
	struct sk_buff *skb;

	while ((skb = skb_rb_first(root))) {
		rb_erase(&skb->rbnode, root);
		kfree_skb(skb);
	}
}
