// SPDX-License-Identifier: GPL-2.0
/*
 * teach: reassembly of fragmented packets addressed to this host.
 *
 * Fragments of one packet share (source, destination, identification,
 * protocol).  Each such packet being put back together has a queue here
 * (frag_queue.c holds and orders the fragments); the packet goes up the
 * stack when its last hole is filled.  What can go wrong is bounded and
 * counted, as in IPv4's ip_fragment.c:
 *  - time: a queue lives at most net.teach.reasm_timeout_ms from its first
 *    fragment; then it is dropped (ReasmTimeout) and, if the first
 *    fragment had come, the sender hears "time exceeded, reassembly";
 *  - memory: every byte held is counted against the namespace; a fragment
 *    that would take it over net.teach.reasm_high_thresh first evicts the
 *    oldest queues until the total is under net.teach.reasm_low_thresh
 *    (ReasmEvictions), so a flood of fragments that never complete cannot
 *    hold more than the threshold;
 *  - contents: duplicates are dropped (ReasmDuplicates), overlaps and
 *    lengths that disagree give the packet up (ReasmOverlaps).
 * Every packet given up, whatever the reason, is also one ReasmFails.
 *
 * Locking: one spinlock per namespace guards the queues.  A queue holds a
 * reference for the table and one for its pending timer, so that a timer
 * that fires while the queue is being completed or evicted elsewhere finds
 * it dead and only lets go.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/timer.h>

#include "teach.h"

#define TEACH_FRAG_HASH_BITS	8

struct teach_frag_queue {
	struct hlist_node node;		/* in teach_frags.buckets */
	struct list_head lru;		/* in teach_frags.lru, oldest first */
	struct teach_frags *frags;
	__be32 saddr;
	__be32 daddr;
	__be16 id;
	u8 protocol;
	bool dead;			/* out of the table: let go, touch nothing */
	int iif;			/* where the first fragment came from */
	struct teach_fragq q;
	struct timer_list timer;
	refcount_t refcnt;
};

struct teach_frags {
	spinlock_t lock;		/* the queues, the LRU list, mem */
	struct teach_net *tn;
	u32 seed;
	unsigned int nqueues;
	unsigned long mem;		/* bytes held: skbs and queues */
	struct list_head lru;
	struct hlist_head buckets[1 << TEACH_FRAG_HASH_BITS];
};

static void teach_frag_put(struct teach_frag_queue *fq)
{
	if (refcount_dec_and_test(&fq->refcnt)) {
		teach_fragq_purge(&fq->q);
		kfree(fq);
	}
}

/*
 * Under the lock: take fq out of the table.  True if this call did, and the
 * caller now owns the table's reference (and must put it).
 */
static bool teach_frag_kill(struct teach_frags *f, struct teach_frag_queue *fq)
{
	if (fq->dead)
		return false;
	fq->dead = true;
	hlist_del(&fq->node);
	list_del(&fq->lru);
	f->nqueues--;
	WRITE_ONCE(f->mem, f->mem - fq->q.truesize - sizeof(*fq));
	/* a timer that was still pending will not run: its reference goes */
	if (del_timer(&fq->timer))
		refcount_dec(&fq->refcnt);
	return true;
}

static void teach_frag_expire(struct timer_list *t)
{
	struct teach_frag_queue *fq = from_timer(fq, t, timer);
	struct teach_frags *f = fq->frags;
	struct teach_net *tn = f->tn;
	struct net_device *dev;
	struct sk_buff *head;
	bool killed;

	spin_lock(&f->lock);
	killed = teach_frag_kill(f, fq);
	spin_unlock(&f->lock);
	if (killed) {
		TEACH_INC_STATS(tn, TEACH_MIB_REASM_TIMEOUT);
		TEACH_INC_STATS(tn, TEACH_MIB_REASM_FAILS);
		/*
		 * Only the first fragment says enough to quote (RFC 792).  It
		 * leaves the tree first: skb->dev shares its place.
		 */
		if (fq->q.flags & TEACH_FRAGQ_FIRST_IN) {
			head = teach_fragq_pop_first(&fq->q);
			rcu_read_lock();
			dev = dev_get_by_index_rcu(tn->net, fq->iif);
			if (dev) {
				head->dev = dev;
				teach_ctrl_send(head, TEACH_CTRL_TIME_EXCEEDED,
						TEACH_TIMX_REASM, 0);
			}
			rcu_read_unlock();
			kfree_skb(head);
		}
		teach_frag_put(fq);	/* the table's */
	}
	teach_frag_put(fq);		/* the timer's */
}

int teach_frags_init_net(struct teach_net *tn)
{
	struct teach_frags *f;
	int i;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	spin_lock_init(&f->lock);
	f->tn = tn;
	f->seed = get_random_u32();
	INIT_LIST_HEAD(&f->lru);
	for (i = 0; i < ARRAY_SIZE(f->buckets); i++)
		INIT_HLIST_HEAD(&f->buckets[i]);
	tn->frags = f;
	return 0;
}

void teach_frags_exit_net(struct teach_net *tn)
{
	struct teach_frags *f = tn->frags;
	struct teach_frag_queue *fq;

	if (!f)
		return;
	/* No fragment arrives any more; wait out the timers one by one. */
	for (;;) {
		spin_lock_bh(&f->lock);
		fq = list_first_entry_or_null(&f->lru, struct teach_frag_queue,
					      lru);
		if (fq) {
			refcount_inc(&fq->refcnt);
			teach_frag_kill(f, fq);
		}
		spin_unlock_bh(&f->lock);
		if (!fq)
			break;
		del_timer_sync(&fq->timer);
		teach_frag_put(fq);	/* ours */
		teach_frag_put(fq);	/* the table's */
	}
	kfree(f);
	tn->frags = NULL;
}

void teach_frags_usage(struct teach_net *tn, unsigned int *queues,
		       unsigned long *mem)
{
	*queues = READ_ONCE(tn->frags->nqueues);
	*mem = READ_ONCE(tn->frags->mem);
}

static unsigned int teach_frag_hash(const struct teach_frags *f,
				    const struct teachhdr *th)
{
	return jhash_3words((__force u32)th->saddr, (__force u32)th->daddr,
			    (__force u32)th->id << 8 | th->protocol, f->seed) &
	       ((1 << TEACH_FRAG_HASH_BITS) - 1);
}

/* Under the lock: the queue of th's packet, or NULL. */
static struct teach_frag_queue *teach_frag_find(struct teach_frags *f,
						const struct teachhdr *th)
{
	struct teach_frag_queue *fq;

	hlist_for_each_entry(fq, &f->buckets[teach_frag_hash(f, th)], node)
		if (fq->saddr == th->saddr && fq->daddr == th->daddr &&
		    fq->id == th->id && fq->protocol == th->protocol)
			return fq;
	return NULL;
}

/* Under the lock: a new queue for th's packet; its timer starts now. */
static struct teach_frag_queue *teach_frag_create(struct teach_frags *f,
						  const struct teachhdr *th,
						  int iif)
{
	struct teach_frag_queue *fq;
	unsigned int timeout;

	fq = kzalloc(sizeof(*fq), GFP_ATOMIC);
	if (!fq)
		return NULL;
	fq->frags = f;
	fq->saddr = th->saddr;
	fq->daddr = th->daddr;
	fq->id = th->id;
	fq->protocol = th->protocol;
	fq->iif = iif;
	teach_fragq_init(&fq->q);
	refcount_set(&fq->refcnt, 2);	/* the table and the timer */
	timer_setup(&fq->timer, teach_frag_expire, 0);
	timeout = READ_ONCE(f->tn->sysctl.reasm_timeout_ms);
	mod_timer(&fq->timer, jiffies + msecs_to_jiffies(timeout));
	hlist_add_head(&fq->node, &f->buckets[teach_frag_hash(f, th)]);
	list_add_tail(&fq->lru, &f->lru);
	f->nqueues++;
	WRITE_ONCE(f->mem, f->mem + sizeof(*fq));
	return fq;
}

/*
 * Under the lock: make room for size more bytes by dropping the oldest
 * queues other than keep.  False if the limit allows no room at all.
 */
static bool teach_frag_make_room(struct teach_frags *f, unsigned int size,
				 struct teach_frag_queue *keep)
{
	struct teach_net *tn = f->tn;
	unsigned long high = READ_ONCE(tn->sysctl.reasm_high_thresh);
	unsigned long low = min_t(unsigned long, high,
				  READ_ONCE(tn->sysctl.reasm_low_thresh));
	struct teach_frag_queue *fq, *tmp;

	if (f->mem + size <= high)
		return true;
	list_for_each_entry_safe(fq, tmp, &f->lru, lru) {
		if (f->mem + size <= low)
			break;
		if (fq == keep)
			continue;
		teach_frag_kill(f, fq);
		TEACH_INC_STATS(tn, TEACH_MIB_REASM_EVICTIONS);
		TEACH_INC_STATS(tn, TEACH_MIB_REASM_FAILS);
		teach_frag_put(fq);
	}
	return f->mem + size <= high;
}

struct sk_buff *teach_reasm(struct net *net, struct sk_buff *skb)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_frags *f = tn->frags;
	const struct teachhdr *th = (const struct teachhdr *)skb->data;
	unsigned int hlen = (th->ver_ihl & 0xf) * 4;
	unsigned int offset = (ntohs(th->frag_off) & TEACH_OFFSET) << 3;
	unsigned int len = skb->len - hlen;
	bool last = !(th->frag_off & htons(TEACH_MF));
	struct net_device *dev = skb->dev;
	struct teach_frag_queue *fq;
	struct sk_buff *whole = NULL;
	int verdict;

	TEACH_INC_STATS(tn, TEACH_MIB_REASM_REQDS);
	/*
	 * A fragment carries data; all but the last carry a multiple of 8
	 * bytes; together they cannot make more than the largest packet.
	 */
	if (!len || (!last && (len & 7)) || hlen + offset + len > TEACH_MAXPACKET) {
		TEACH_INC_STATS(tn, TEACH_MIB_IN_HDR_ERRORS);
		goto fail;
	}
	/* Fragments join a frag_list: they may not bring their own. */
	if (skb_has_frag_list(skb) && skb_linearize(skb))
		goto fail;
	th = (const struct teachhdr *)skb->data;

	spin_lock_bh(&f->lock);
	fq = teach_frag_find(f, th);
	if (fq) {
		if (!teach_frag_make_room(f, skb->truesize, fq))
			goto fail_unlock;
	} else {
		if (!teach_frag_make_room(f, skb->truesize + sizeof(*fq), NULL))
			goto fail_unlock;
		fq = teach_frag_create(f, th, dev->ifindex);
		if (!fq)
			goto fail_unlock;
	}
	verdict = teach_fragq_insert(&fq->q, skb, offset, len, hlen, last);
	switch (verdict) {
	case TEACH_FRAGQ_QUEUED:
		WRITE_ONCE(f->mem, f->mem + skb->truesize);
		if (!teach_fragq_complete(&fq->q)) {
			spin_unlock_bh(&f->lock);
			return NULL;
		}
		teach_frag_kill(f, fq);
		spin_unlock_bh(&f->lock);
		whole = teach_fragq_join(&fq->q);
		if (whole) {
			whole->dev = dev;
			TEACH_INC_STATS(tn, TEACH_MIB_REASM_OKS);
		} else {
			TEACH_INC_STATS(tn, TEACH_MIB_REASM_FAILS);
		}
		teach_frag_put(fq);
		return whole;
	case TEACH_FRAGQ_DUP:
		spin_unlock_bh(&f->lock);
		TEACH_INC_STATS(tn, TEACH_MIB_REASM_DUPLICATES);
		kfree_skb(skb);
		return NULL;
	default:
		if (verdict == TEACH_FRAGQ_OVERLAP)
			TEACH_INC_STATS(tn, TEACH_MIB_REASM_OVERLAPS);
		teach_frag_kill(f, fq);
		spin_unlock_bh(&f->lock);
		teach_frag_put(fq);
		goto fail;
	}

fail_unlock:
	spin_unlock_bh(&f->lock);
fail:
	TEACH_INC_STATS(tn, TEACH_MIB_REASM_FAILS);
	kfree_skb(skb);
	return NULL;
}
