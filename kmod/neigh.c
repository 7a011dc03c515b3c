// SPDX-License-Identifier: GPL-2.0
/*
 * teach: neighbour resolution, like ARP.
 *
 * To send to a next hop on an Ethernet-like segment we need its hardware
 * address.  An entry starts INCOMPLETE: a request is broadcast every
 * neigh_retrans_ms, up to neigh_max_probes times, while up to
 * neigh_queue_len packets wait.  A reply makes it REACHABLE and sends them;
 * no reply makes it FAILED, drops them and tells their senders "host
 * unreachable".  REACHABLE turns STALE after neigh_reachable_ms; a STALE
 * entry is still used, but its first use re-confirms it with unicast
 * requests.  Unused STALE and FAILED entries are freed after
 * neigh_gc_stale_s.  PERMANENT entries are set by the administrator.
 *
 * Entries are found under RCU in a hash table keyed by (ifindex, address);
 * each has its own lock and timer.  The table holds one reference and a
 * pending timer another.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "teach.h"

struct teach_neigh_key {
	int ifindex;
	__be32 addr;
};

struct teach_neigh {
	struct rhash_head node;
	struct teach_neigh_key key;
	struct list_head list;		/* in teach_net.neigh_list */
	struct net_device *dev;		/* held */
	struct teach_net *tn;
	spinlock_t lock;		/* everything below */
	u8 state;
	bool probing;			/* STALE entry being re-confirmed */
	bool dead;
	u8 lladdr[ETH_ALEN];
	u32 probes;
	unsigned long confirmed;
	unsigned long used;
	struct sk_buff_head queue;
	struct timer_list timer;
	refcount_t refcnt;
	struct rcu_head rcu;
};

static const struct rhashtable_params teach_neigh_params = {
	.key_len = sizeof(struct teach_neigh_key),
	.key_offset = offsetof(struct teach_neigh, key),
	.head_offset = offsetof(struct teach_neigh, node),
	.automatic_shrinking = true,
};

/* Upper bound of entries per namespace, against floods of requests. */
#define TEACH_NEIGH_MAX	4096

static void teach_neigh_put(struct teach_neigh *n)
{
	if (refcount_dec_and_test(&n->refcnt)) {
		dev_put(n->dev);
		kfree_rcu(n, rcu);
	}
}

static unsigned long teach_neigh_retrans(const struct teach_net *tn)
{
	return msecs_to_jiffies(READ_ONCE(tn->sysctl.neigh_retrans_ms));
}

static void teach_neigh_arm(struct teach_neigh *n, unsigned long delay)
{
	if (!mod_timer(&n->timer, jiffies + delay))
		refcount_inc(&n->refcnt);
}

static void teach_neigh_fill_info(struct teach_neigh *n,
				  struct teach_neigh_info *ni)
{
	ni->ifindex = n->key.ifindex;
	ni->addr = n->key.addr;
	memcpy(ni->lladdr, n->lladdr, ETH_ALEN);
	ni->state = n->state;
	ni->probes = n->probes;
	ni->age_ms = jiffies_to_msecs(jiffies - n->confirmed);
	ni->qlen = skb_queue_len(&n->queue);
}

static void teach_neigh_notify(struct teach_neigh *n, u8 cmd)
{
	struct teach_neigh_info ni;

	teach_neigh_fill_info(n, &ni);
	atomic_inc(&n->tn->neigh_seq);
	teach_nl_notify_neigh(dev_net(n->dev), cmd, &ni);
}

static int teach_neigh_send(struct net_device *dev, u8 op, __be32 sip,
			    __be32 tip, const u8 *dest_hw, const u8 *target_hw)
{
	struct teach_net *tn = teach_pernet(dev_net(dev));
	struct teach_neighhdr *nh;
	struct sk_buff *skb;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + TEACH_NEIGH_HLEN +
			dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	nh = skb_put_zero(skb, TEACH_NEIGH_HLEN);
	nh->version = TEACH_NEIGH_VERSION << 4;
	nh->op = op;
	nh->hlen = ETH_ALEN;
	nh->plen = 4;
	nh->sender_addr = sip;
	nh->target_addr = tip;
	memcpy(nh->sender_hw, dev->dev_addr, ETH_ALEN);
	if (target_hw)
		memcpy(nh->target_hw, target_hw, ETH_ALEN);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_TEACH);
	if (dev_hard_header(skb, dev, ETH_P_TEACH, dest_hw ?: dev->broadcast,
			    NULL, skb->len) < 0) {
		kfree_skb(skb);
		return -EINVAL;
	}
	TEACH_INC_STATS(tn, op == TEACH_NEIGH_REQUEST ?
			TEACH_MIB_NEIGH_OUT_REQUESTS :
			TEACH_MIB_NEIGH_OUT_REPLIES);
	return dev_queue_xmit(skb);
}

/* n->lock held: ask for n's hardware address, by broadcast or unicast */
static void teach_neigh_solicit(struct teach_neigh *n, bool unicast)
{
	struct teach_dev *tdev;
	__be32 sip = 0;

	rcu_read_lock();
	tdev = teach_dev_get(dev_net(n->dev), n->key.ifindex);
	if (tdev)
		sip = teach_addr_select(tdev, n->key.addr);
	rcu_read_unlock();
	n->probes++;
	if (sip)
		teach_neigh_send(n->dev, TEACH_NEIGH_REQUEST, sip, n->key.addr,
				 unicast ? n->lladdr : NULL, NULL);
}

void teach_neigh_announce(struct teach_dev *tdev, __be32 addr)
{
	teach_neigh_send(tdev->dev, TEACH_NEIGH_REQUEST, addr, addr, NULL,
			 NULL);
}

/* n->lock held: resolution failed; every waiting packet's sender hears it */
static void teach_neigh_fail_queue(struct teach_neigh *n,
				   struct sk_buff_head *failed)
{
	skb_queue_splice_tail_init(&n->queue, failed);
	TEACH_INC_STATS(n->tn, TEACH_MIB_NEIGH_RES_FAILED);
}

static void teach_neigh_report_failed(struct sk_buff_head *failed)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(failed))) {
		teach_ctrl_send(skb, TEACH_CTRL_UNREACH, TEACH_UNREACH_HOST, 0);
		kfree_skb(skb);
	}
}

/* n->lock held: the address is known; send what waited for it */
static void teach_neigh_flush_queue(struct teach_neigh *n,
				    struct sk_buff_head *ready)
{
	skb_queue_splice_tail_init(&n->queue, ready);
}

static void teach_neigh_xmit_ready(struct teach_neigh *n,
				   struct sk_buff_head *ready, const u8 *lladdr)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(ready))) {
		if (dev_hard_header(skb, n->dev, ETH_P_TEACH, lladdr, NULL,
				    skb->len) < 0) {
			kfree_skb(skb);
			TEACH_INC_STATS(n->tn, TEACH_MIB_OUT_DISCARDS);
			continue;
		}
		TEACH_INC_STATS(n->tn, TEACH_MIB_OUT_TRANSMITS);
		dev_queue_xmit(skb);
	}
}

/* Take n out of the table; the caller drops the table's reference. */
static bool teach_neigh_unlink(struct teach_neigh *n)
{
	struct teach_net *tn = n->tn;
	bool unlinked = false;

	spin_lock_bh(&tn->neigh_lock);
	spin_lock(&n->lock);
	if (!n->dead) {
		n->dead = true;
		rhashtable_remove_fast(&tn->neighs, &n->node,
				       teach_neigh_params);
		list_del_rcu(&n->list);
		tn->neigh_count--;
		unlinked = true;
	}
	spin_unlock(&n->lock);
	spin_unlock_bh(&tn->neigh_lock);
	return unlinked;
}

static void teach_neigh_timer(struct timer_list *t)
{
	struct teach_neigh *n = from_timer(n, t, timer);
	struct teach_sysctl *s = &n->tn->sysctl;
	unsigned long now = jiffies;
	struct sk_buff_head failed;
	bool remove = false;

	__skb_queue_head_init(&failed);
	spin_lock_bh(&n->lock);
	if (n->dead)
		goto out;
	switch (n->state) {
	case TEACH_NUD_INCOMPLETE:
		if (n->probes >= READ_ONCE(s->neigh_max_probes)) {
			n->state = TEACH_NUD_FAILED;
			n->confirmed = now;
			teach_neigh_fail_queue(n, &failed);
			teach_neigh_notify(n, TEACH_CMD_NEIGH_NEW);
			teach_neigh_arm(n, READ_ONCE(s->neigh_gc_stale_s) * HZ);
		} else {
			teach_neigh_solicit(n, false);
			teach_neigh_arm(n, teach_neigh_retrans(n->tn));
		}
		break;
	case TEACH_NUD_REACHABLE:
		n->state = TEACH_NUD_STALE;
		n->used = now;
		teach_neigh_notify(n, TEACH_CMD_NEIGH_NEW);
		teach_neigh_arm(n, READ_ONCE(s->neigh_gc_stale_s) * HZ);
		break;
	case TEACH_NUD_STALE:
		if (n->probing) {
			if (n->probes >= READ_ONCE(s->neigh_max_probes)) {
				n->probing = false;
				n->state = TEACH_NUD_FAILED;
				n->confirmed = now;
				TEACH_INC_STATS(n->tn, TEACH_MIB_NEIGH_RES_FAILED);
				teach_neigh_notify(n, TEACH_CMD_NEIGH_NEW);
				teach_neigh_arm(n, READ_ONCE(s->neigh_gc_stale_s) * HZ);
			} else {
				teach_neigh_solicit(n, true);
				teach_neigh_arm(n, teach_neigh_retrans(n->tn));
			}
		} else if (time_after_eq(now, n->used + READ_ONCE(s->neigh_gc_stale_s) * HZ)) {
			remove = true;
		} else {
			teach_neigh_arm(n, n->used + READ_ONCE(s->neigh_gc_stale_s) * HZ - now);
		}
		break;
	case TEACH_NUD_FAILED:
		remove = true;
		break;
	}
out:
	spin_unlock_bh(&n->lock);
	teach_neigh_report_failed(&failed);
	if (remove && teach_neigh_unlink(n)) {
		spin_lock_bh(&n->lock);
		teach_neigh_notify(n, TEACH_CMD_NEIGH_DEL);
		__skb_queue_purge(&n->queue);
		spin_unlock_bh(&n->lock);
		teach_neigh_put(n);
	}
	teach_neigh_put(n);	/* the timer's reference */
}

static struct teach_neigh *teach_neigh_lookup(struct teach_net *tn,
					      int ifindex, __be32 addr)
{
	struct teach_neigh_key key = { .ifindex = ifindex, .addr = addr };

	return rhashtable_lookup(&tn->neighs, &key, teach_neigh_params);
}

/* Find or make the entry for (dev, addr); RCU held. */
static struct teach_neigh *teach_neigh_create(struct teach_net *tn,
					      struct net_device *dev,
					      __be32 addr, gfp_t gfp)
{
	struct teach_neigh *n, *old;

	if (READ_ONCE(tn->neigh_count) >= TEACH_NEIGH_MAX)
		return NULL;
	n = kzalloc(sizeof(*n), gfp);
	if (!n)
		return NULL;
	n->key.ifindex = dev->ifindex;
	n->key.addr = addr;
	n->dev = dev;
	n->tn = tn;
	spin_lock_init(&n->lock);
	skb_queue_head_init(&n->queue);
	timer_setup(&n->timer, teach_neigh_timer, 0);
	refcount_set(&n->refcnt, 1);
	n->confirmed = jiffies;
	n->used = jiffies;
	n->state = TEACH_NUD_NONE;

	spin_lock_bh(&tn->neigh_lock);
	/*
	 * A device being unregistered has had its entries flushed (after an
	 * RCU grace period that our caller's read side is part of): a new
	 * entry now would hold the device forever.
	 */
	if (dev->reg_state != NETREG_REGISTERED) {
		spin_unlock_bh(&tn->neigh_lock);
		kfree(n);
		return NULL;
	}
	old = rhashtable_lookup_get_insert_fast(&tn->neighs, &n->node,
						teach_neigh_params);
	if (old) {
		spin_unlock_bh(&tn->neigh_lock);
		kfree(n);
		return IS_ERR(old) ? NULL : old;
	}
	dev_hold(dev);
	list_add_tail_rcu(&n->list, &tn->neigh_list);
	tn->neigh_count++;
	spin_unlock_bh(&tn->neigh_lock);
	return n;
}

int teach_neigh_output(struct net *net, struct sk_buff *skb,
		       struct net_device *dev, __be32 nexthop)
{
	struct teach_net *tn = teach_pernet(net);
	u8 lladdr[ETH_ALEN];
	struct teach_neigh *n;
	int qmax;

	rcu_read_lock();
	n = teach_neigh_lookup(tn, dev->ifindex, nexthop);
	if (!n)
		n = teach_neigh_create(tn, dev, nexthop, GFP_ATOMIC);
	if (!n) {
		rcu_read_unlock();
		TEACH_INC_STATS(tn, TEACH_MIB_OUT_DISCARDS);
		kfree_skb(skb);
		return -ENOBUFS;
	}
	spin_lock_bh(&n->lock);
	if (n->dead)
		goto drop;
	n->used = jiffies;
	switch (n->state) {
	case TEACH_NUD_STALE:
		if (!n->probing) {
			n->probing = true;
			n->probes = 0;
			teach_neigh_solicit(n, true);
			teach_neigh_arm(n, teach_neigh_retrans(tn));
		}
		fallthrough;
	case TEACH_NUD_REACHABLE:
	case TEACH_NUD_PERMANENT:
		memcpy(lladdr, n->lladdr, ETH_ALEN);
		spin_unlock_bh(&n->lock);
		rcu_read_unlock();
		if (dev_hard_header(skb, dev, ETH_P_TEACH, lladdr, NULL,
				    skb->len) < 0) {
			kfree_skb(skb);
			TEACH_INC_STATS(tn, TEACH_MIB_OUT_DISCARDS);
			return -EINVAL;
		}
		TEACH_INC_STATS(tn, TEACH_MIB_OUT_TRANSMITS);
		return teach_dev_xmit(skb);
	default:
		break;
	}

	/* Unresolved: wait in a bounded queue, oldest dropped first. */
	qmax = READ_ONCE(tn->sysctl.neigh_queue_len);
	if (!qmax)
		goto drop;
	while (skb_queue_len(&n->queue) >= qmax) {
		kfree_skb(__skb_dequeue(&n->queue));
		TEACH_INC_STATS(tn, TEACH_MIB_NEIGH_QUEUE_DROPS);
	}
	__skb_queue_tail(&n->queue, skb);
	if (n->state != TEACH_NUD_INCOMPLETE) {
		n->state = TEACH_NUD_INCOMPLETE;
		n->probes = 0;
		teach_neigh_notify(n, TEACH_CMD_NEIGH_NEW);
		teach_neigh_solicit(n, false);
		teach_neigh_arm(n, teach_neigh_retrans(tn));
	}
	spin_unlock_bh(&n->lock);
	rcu_read_unlock();
	return 0;

drop:
	spin_unlock_bh(&n->lock);
	rcu_read_unlock();
	TEACH_INC_STATS(tn, TEACH_MIB_NEIGH_QUEUE_DROPS);
	kfree_skb(skb);
	return -ENOBUFS;
}

/* n->lock held: the neighbour told us its address */
static void teach_neigh_confirm(struct teach_neigh *n, const u8 *lladdr,
				u8 state, struct sk_buff_head *ready)
{
	struct teach_sysctl *s = &n->tn->sysctl;
	bool changed = n->state != state || !ether_addr_equal(n->lladdr, lladdr);

	if (n->state == TEACH_NUD_PERMANENT)
		return;
	/* Hearing from a confirmed neighbour at the same address confirms nothing new. */
	if (state == TEACH_NUD_STALE && n->state == TEACH_NUD_REACHABLE &&
	    ether_addr_equal(n->lladdr, lladdr))
		return;
	memcpy(n->lladdr, lladdr, ETH_ALEN);
	n->state = state;
	n->probing = false;
	n->probes = 0;
	n->confirmed = jiffies;
	teach_neigh_flush_queue(n, ready);
	if (state == TEACH_NUD_REACHABLE)
		teach_neigh_arm(n, msecs_to_jiffies(READ_ONCE(s->neigh_reachable_ms)));
	else
		teach_neigh_arm(n, READ_ONCE(s->neigh_gc_stale_s) * HZ);
	if (changed)
		teach_neigh_notify(n, TEACH_CMD_NEIGH_NEW);
}

static void teach_neigh_update(struct teach_net *tn, struct net_device *dev,
			       __be32 addr, const u8 *lladdr, u8 state,
			       bool create)
{
	struct sk_buff_head ready;
	struct teach_neigh *n;
	u8 hw[ETH_ALEN];

	__skb_queue_head_init(&ready);
	n = teach_neigh_lookup(tn, dev->ifindex, addr);
	if (!n && create)
		n = teach_neigh_create(tn, dev, addr, GFP_ATOMIC);
	if (!n)
		return;
	spin_lock_bh(&n->lock);
	if (!n->dead)
		teach_neigh_confirm(n, lladdr, state, &ready);
	memcpy(hw, n->lladdr, ETH_ALEN);
	spin_unlock_bh(&n->lock);
	teach_neigh_xmit_ready(n, &ready, hw);
}

static bool teach_neigh_hw_ok(const u8 *hw)
{
	return is_valid_ether_addr(hw);
}

int teach_neigh_rcv(struct sk_buff *skb, struct net_device *dev)
{
	struct teach_net *tn = teach_pernet(dev_net(dev));
	const struct teach_neighhdr *nh;
	struct teach_dev *tdev;
	__be32 sip, tip;
	bool for_us;

	if (!pskb_may_pull(skb, TEACH_NEIGH_HLEN))
		goto bad;
	nh = (const struct teach_neighhdr *)skb->data;
	if (nh->version != TEACH_NEIGH_VERSION << 4 || nh->hlen != ETH_ALEN ||
	    nh->plen != 4 ||
	    (nh->op != TEACH_NEIGH_REQUEST && nh->op != TEACH_NEIGH_REPLY))
		goto bad;
	sip = nh->sender_addr;
	tip = nh->target_addr;
	if (!sip || sip == htonl(TEACH_ADDR_BROADCAST) ||
	    (ntohl(sip) & 0xf0000000) == 0xe0000000 ||
	    !teach_neigh_hw_ok(nh->sender_hw))
		goto bad;

	rcu_read_lock();
	tdev = teach_dev_get(dev_net(dev), dev->ifindex);
	if (!tdev || (dev->flags & IFF_LOOPBACK)) {
		rcu_read_unlock();
		TEACH_INC_STATS(tn, TEACH_MIB_IN_NO_DEV);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	for_us = teach_addr_on_dev(tdev, tip);

	if (nh->op == TEACH_NEIGH_REQUEST) {
		TEACH_INC_STATS(tn, TEACH_MIB_NEIGH_IN_REQUESTS);
		if (sip == tip) {
			/* An announcement: refresh what we knew, learn nothing new. */
			teach_neigh_update(tn, dev, sip, nh->sender_hw,
					   TEACH_NUD_STALE, false);
		} else if (for_us) {
			/* The asker will talk to us next: remember it, then answer. */
			teach_neigh_update(tn, dev, sip, nh->sender_hw,
					   TEACH_NUD_STALE, true);
			teach_neigh_send(dev, TEACH_NEIGH_REPLY, tip, sip,
					 nh->sender_hw, nh->sender_hw);
		}
	} else {
		TEACH_INC_STATS(tn, TEACH_MIB_NEIGH_IN_REPLIES);
		/* Only answers to our questions are believed. */
		teach_neigh_update(tn, dev, sip, nh->sender_hw,
				   TEACH_NUD_REACHABLE, false);
	}
	rcu_read_unlock();
	consume_skb(skb);
	return NET_RX_SUCCESS;

bad:
	TEACH_INC_STATS(tn, TEACH_MIB_NEIGH_IN_ERRORS);
	kfree_skb(skb);
	return NET_RX_DROP;
}

int teach_neigh_add(struct net *net, int ifindex, __be32 addr,
		    const u8 *lladdr, u8 state, bool replace,
		    struct netlink_ext_ack *extack)
{
	struct teach_net *tn = teach_pernet(net);
	struct sk_buff_head ready;
	struct teach_neigh *n;
	struct teach_dev *tdev;
	int err = 0;

	ASSERT_RTNL();
	tdev = teach_dev_get(net, ifindex);
	if (!tdev || (tdev->dev->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG(extack, "no such device, or it has no neighbours");
		return -ENODEV;
	}
	if (!teach_neigh_hw_ok(lladdr)) {
		NL_SET_ERR_MSG(extack, "hardware address is zero, broadcast or multicast");
		return -EINVAL;
	}
	if (!addr || addr == htonl(TEACH_ADDR_BROADCAST)) {
		NL_SET_ERR_MSG(extack, "not a host address");
		return -EINVAL;
	}
	if (state != TEACH_NUD_PERMANENT && state != TEACH_NUD_REACHABLE &&
	    state != TEACH_NUD_STALE) {
		NL_SET_ERR_MSG(extack, "state must be permanent, reachable or stale");
		return -EINVAL;
	}

	__skb_queue_head_init(&ready);
	rcu_read_lock();
	n = teach_neigh_lookup(tn, ifindex, addr);
	if (n && !replace) {
		rcu_read_unlock();
		NL_SET_ERR_MSG(extack, "entry exists (use replace)");
		return -EEXIST;
	}
	if (!n)
		n = teach_neigh_create(tn, tdev->dev, addr, GFP_ATOMIC);
	if (!n) {
		rcu_read_unlock();
		NL_SET_ERR_MSG(extack, "neighbour table is full");
		return -ENOBUFS;
	}
	spin_lock_bh(&n->lock);
	if (n->dead) {
		err = -EAGAIN;
	} else {
		memcpy(n->lladdr, lladdr, ETH_ALEN);
		n->probing = false;
		n->probes = 0;
		n->confirmed = jiffies;
		if (state == TEACH_NUD_PERMANENT) {
			n->state = state;
			teach_neigh_flush_queue(n, &ready);
			if (del_timer(&n->timer))
				refcount_dec(&n->refcnt);
			teach_neigh_notify(n, TEACH_CMD_NEIGH_NEW);
		} else {
			n->state = TEACH_NUD_NONE;
			teach_neigh_confirm(n, lladdr, state, &ready);
		}
	}
	spin_unlock_bh(&n->lock);
	teach_neigh_xmit_ready(n, &ready, lladdr);
	rcu_read_unlock();
	return err;
}

static void teach_neigh_destroy(struct teach_neigh *n)
{
	if (!teach_neigh_unlink(n))
		return;
	if (del_timer_sync(&n->timer))
		teach_neigh_put(n);
	spin_lock_bh(&n->lock);
	teach_neigh_notify(n, TEACH_CMD_NEIGH_DEL);
	__skb_queue_purge(&n->queue);
	spin_unlock_bh(&n->lock);
	teach_neigh_put(n);
}

int teach_neigh_del(struct net *net, int ifindex, __be32 addr,
		    struct netlink_ext_ack *extack)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_neigh *n;

	ASSERT_RTNL();
	rcu_read_lock();
	n = teach_neigh_lookup(tn, ifindex, addr);
	if (n)
		refcount_inc(&n->refcnt);
	rcu_read_unlock();
	if (!n) {
		NL_SET_ERR_MSG(extack, "no such neighbour entry");
		return -ENOENT;
	}
	teach_neigh_destroy(n);
	teach_neigh_put(n);
	return 0;
}

void teach_neigh_flush(struct net *net, int ifindex, bool all)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_neigh *n;

again:
	rcu_read_lock();
	list_for_each_entry_rcu(n, &tn->neigh_list, list) {
		if ((ifindex && n->key.ifindex != ifindex) ||
		    (!all && READ_ONCE(n->state) == TEACH_NUD_PERMANENT))
			continue;
		if (!refcount_inc_not_zero(&n->refcnt))
			continue;
		rcu_read_unlock();
		teach_neigh_destroy(n);
		teach_neigh_put(n);
		goto again;
	}
	rcu_read_unlock();
}

int teach_neigh_walk(struct net *net, int ifindex,
		     int (*fn)(const struct teach_neigh_info *ni, void *arg),
		     void *arg, unsigned long *pos)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_neigh_info ni;
	struct teach_neigh *n;
	unsigned long i = 0;
	int err = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(n, &tn->neigh_list, list) {
		if (ifindex && n->key.ifindex != ifindex)
			continue;
		if (i++ < *pos)
			continue;
		spin_lock_bh(&n->lock);
		teach_neigh_fill_info(n, &ni);
		spin_unlock_bh(&n->lock);
		err = fn(&ni, arg);
		if (err) {
			i--;
			break;
		}
	}
	rcu_read_unlock();
	*pos = i;
	return err;
}

int teach_neigh_init_net(struct teach_net *tn)
{
	spin_lock_init(&tn->neigh_lock);
	INIT_LIST_HEAD(&tn->neigh_list);
	return rhashtable_init(&tn->neighs, &teach_neigh_params);
}

void teach_neigh_exit_net(struct teach_net *tn)
{
	teach_neigh_flush(tn->net, 0, true);
	rhashtable_destroy(&tn->neighs);
}
