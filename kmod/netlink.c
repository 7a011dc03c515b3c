// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the generic netlink family "teach" (Documentation/netlink.rst,
 * Documentation/netlink/specs/teach.yaml).
 *
 * Every command has its own policy, so strict validation rejects any
 * attribute the command does not take, including the read-only ones.
 * Changes run under RTNL like the rest of teach's configuration.  Dumps
 * read addresses and neighbours under RCU and routes under RTNL (route.c's
 * list of every route); notifications may come from any context.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "teach.h"

enum teach_nl_groups {
	TEACH_NLGRP_MONITOR,
};

/* Where one message goes and how it is headed. */
struct teach_nl_ctx {
	struct net *net;
	struct netlink_callback *cb;	/* dumps: to flag NLM_F_DUMP_INTR */
	u32 portid;
	u32 seq;
	u16 flags;
	u8 cmd;
};

/* State of a dump through teach_neigh_walk() or teach_route_walk(). */
struct teach_nl_walk {
	struct sk_buff *skb;
	struct teach_nl_ctx ctx;
	int ifindex;			/* 0: every device */
};

static struct genl_family teach_nl_family;

/* A required attribute is missing: name it by type and in words. */
#define TEACH_NL_REQUIRE(info, attr, msg) ({				\
	struct genl_info *__ti = (info);				\
	bool __missing = GENL_REQ_ATTR_CHECK(__ti, (attr));		\
									\
	if (__missing)							\
		GENL_SET_ERR_MSG(__ti, msg);				\
	__missing;							\
})

/* ---- policies: one per command, so each takes only its own subset ---- */

/* ADDR_NEW, ADDR_DEL */
static const struct nla_policy teach_nl_addr_policy[] = {
	[TEACH_A_IFINDEX]	= { .type = NLA_U32 },
	[TEACH_A_ADDR]		= { .type = NLA_BE32 },
	[TEACH_A_PREFIXLEN]	= NLA_POLICY_MAX(NLA_U8, 32),
};

/* ADDR_GET, NEIGH_GET, NEIGH_FLUSH: an optional device */
static const struct nla_policy teach_nl_ifindex_policy[] = {
	[TEACH_A_IFINDEX]	= { .type = NLA_U32 },
};

/* NEIGH_NEW */
static const struct nla_policy teach_nl_neigh_new_policy[] = {
	[TEACH_A_IFINDEX]	= { .type = NLA_U32 },
	[TEACH_A_ADDR]		= { .type = NLA_BE32 },
	[TEACH_A_LLADDR]	= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[TEACH_A_NEIGH_STATE]	= NLA_POLICY_MAX(NLA_U8, __TEACH_NUD_MAX - 1),
	[TEACH_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, TEACH_F_REPLACE),
};

/* NEIGH_DEL */
static const struct nla_policy teach_nl_neigh_del_policy[] = {
	[TEACH_A_IFINDEX]	= { .type = NLA_U32 },
	[TEACH_A_ADDR]		= { .type = NLA_BE32 },
};

/* ROUTE_NEW */
static const struct nla_policy teach_nl_route_new_policy[] = {
	[TEACH_A_IFINDEX]	= { .type = NLA_U32 },
	[TEACH_A_PREFIXLEN]	= NLA_POLICY_MAX(NLA_U8, 32),
	[TEACH_A_DST]		= { .type = NLA_BE32 },
	[TEACH_A_GATEWAY]	= { .type = NLA_BE32 },
	[TEACH_A_ROUTE_TYPE]	= NLA_POLICY_RANGE(NLA_U8, 1, __TEACH_RTN_MAX - 1),
	[TEACH_A_METRIC]	= { .type = NLA_U32 },
	[TEACH_A_PREFSRC]	= { .type = NLA_BE32 },
	[TEACH_A_ROUTE_PROTO]	= { .type = NLA_U8 },	/* daemons number their own */
	[TEACH_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, TEACH_F_REPLACE),
};

/* ROUTE_DEL: the same selectors, without FLAGS */
static const struct nla_policy teach_nl_route_del_policy[] = {
	[TEACH_A_IFINDEX]	= { .type = NLA_U32 },
	[TEACH_A_PREFIXLEN]	= NLA_POLICY_MAX(NLA_U8, 32),
	[TEACH_A_DST]		= { .type = NLA_BE32 },
	[TEACH_A_GATEWAY]	= { .type = NLA_BE32 },
	[TEACH_A_ROUTE_TYPE]	= NLA_POLICY_RANGE(NLA_U8, 1, __TEACH_RTN_MAX - 1),
	[TEACH_A_METRIC]	= { .type = NLA_U32 },
	[TEACH_A_PREFSRC]	= { .type = NLA_BE32 },
	[TEACH_A_ROUTE_PROTO]	= { .type = NLA_U8 },	/* daemons number their own */
};

/* ROUTE_GET: DST for a lookup (do), IFINDEX to filter the dump */
static const struct nla_policy teach_nl_route_get_policy[] = {
	[TEACH_A_IFINDEX]	= { .type = NLA_U32 },
	[TEACH_A_DST]		= { .type = NLA_BE32 },
};

/* SOCK_GET: TYPE filters the dump, FLAGS may ask for TEACH_INFO */
static const struct nla_policy teach_nl_sock_get_policy[] = {
	[TEACH_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, TEACH_F_SOCK_INFO),
	[TEACH_A_SOCK_TYPE]	= NLA_POLICY_RANGE(NLA_U8, SOCK_STREAM, SOCK_RAW),
};

/* ---- message building, shared by replies, dumps and notifications ---- */

static void *teach_nl_put_hdr(struct sk_buff *skb,
			      const struct teach_nl_ctx *ctx)
{
	void *hdr;

	hdr = genlmsg_put(skb, ctx->portid, ctx->seq, &teach_nl_family,
			  ctx->flags, ctx->cmd);
	if (hdr && ctx->cb)
		genl_dump_check_consistent(ctx->cb, hdr);
	return hdr;
}

static void teach_nl_dump_ctx(struct teach_nl_ctx *ctx,
			      struct netlink_callback *cb, u8 cmd)
{
	ctx->net = sock_net(cb->skb->sk);
	ctx->cb = cb;
	ctx->portid = NETLINK_CB(cb->skb).portid;
	ctx->seq = cb->nlh->nlmsg_seq;
	ctx->flags = NLM_F_MULTI;
	ctx->cmd = cmd;
}

/*
 * nl_dump_check_consistent() treats 0 as "no generation", and the
 * counters start at 0, so shift them by one.
 */
static unsigned int teach_nl_gen(const atomic_t *seq)
{
	return (unsigned int)atomic_read(seq) + 1;
}

/* The IFINDEX filter of a dump; 0 (or absent) selects every device. */
static u32 teach_nl_dump_ifindex(struct netlink_callback *cb)
{
	const struct nlattr *attr;

	attr = genl_dumpit_info(cb)->attrs[TEACH_A_IFINDEX];
	return attr ? nla_get_u32(attr) : 0;
}

static int teach_nl_put_dev(struct sk_buff *skb, const struct net_device *dev)
{
	if (nla_put_u32(skb, TEACH_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, TEACH_A_IFNAME, dev->name))
		return -EMSGSIZE;
	return 0;
}

static size_t teach_nl_addr_size(void)
{
	return nla_total_size(sizeof(u32))	/* IFINDEX */
	       + nla_total_size(IFNAMSIZ)	/* IFNAME */
	       + nla_total_size(sizeof(u32))	/* ADDR */
	       + nla_total_size(sizeof(u8))	/* PREFIXLEN */
	       + nla_total_size(sizeof(u32));	/* BROADCAST */
}

/* RCU or RTNL */
static int teach_nl_fill_addr(struct sk_buff *skb,
			      const struct teach_nl_ctx *ctx,
			      const struct teach_ifaddr *ifa)
{
	void *hdr;

	hdr = teach_nl_put_hdr(skb, ctx);
	if (!hdr)
		return -EMSGSIZE;
	if (teach_nl_put_dev(skb, ifa->tdev->dev) ||
	    nla_put_in_addr(skb, TEACH_A_ADDR, ifa->addr) ||
	    nla_put_u8(skb, TEACH_A_PREFIXLEN, ifa->prefixlen) ||
	    nla_put_in_addr(skb, TEACH_A_BROADCAST, ifa->bcast)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static size_t teach_nl_neigh_size(void)
{
	return nla_total_size(sizeof(u32))	/* IFINDEX */
	       + nla_total_size(IFNAMSIZ)	/* IFNAME */
	       + nla_total_size(sizeof(u32))	/* ADDR */
	       + nla_total_size(ETH_ALEN)	/* LLADDR */
	       + nla_total_size(sizeof(u8))	/* NEIGH_STATE */
	       + nla_total_size(sizeof(u32))	/* NEIGH_PROBES */
	       + nla_total_size(sizeof(u32))	/* NEIGH_AGE_MS */
	       + nla_total_size(sizeof(u32));	/* NEIGH_QLEN */
}

/* The hardware address means nothing until resolution succeeded. */
static bool teach_nl_neigh_has_lladdr(u8 state)
{
	return state == TEACH_NUD_REACHABLE || state == TEACH_NUD_STALE ||
	       state == TEACH_NUD_PERMANENT;
}

static int teach_nl_fill_neigh(struct sk_buff *skb,
			       const struct teach_nl_ctx *ctx,
			       const struct teach_neigh_info *ni)
{
	struct net_device *dev;
	void *hdr;

	hdr = teach_nl_put_hdr(skb, ctx);
	if (!hdr)
		return -EMSGSIZE;

	/* The name is looked up here: the entry only knows the ifindex. */
	rcu_read_lock();
	dev = dev_get_by_index_rcu(ctx->net, ni->ifindex);
	if (nla_put_u32(skb, TEACH_A_IFINDEX, ni->ifindex) ||
	    (dev && nla_put_string(skb, TEACH_A_IFNAME, dev->name))) {
		rcu_read_unlock();
		goto cancel;
	}
	rcu_read_unlock();

	if (nla_put_in_addr(skb, TEACH_A_ADDR, ni->addr) ||
	    (teach_nl_neigh_has_lladdr(ni->state) &&
	     nla_put(skb, TEACH_A_LLADDR, ETH_ALEN, ni->lladdr)) ||
	    nla_put_u8(skb, TEACH_A_NEIGH_STATE, ni->state) ||
	    nla_put_u32(skb, TEACH_A_NEIGH_PROBES, ni->probes) ||
	    nla_put_u32(skb, TEACH_A_NEIGH_AGE_MS, ni->age_ms) ||
	    nla_put_u32(skb, TEACH_A_NEIGH_QLEN, ni->qlen))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static size_t teach_nl_route_size(void)
{
	return nla_total_size(sizeof(u32))	/* DST */
	       + nla_total_size(sizeof(u8))	/* PREFIXLEN */
	       + nla_total_size(sizeof(u8))	/* ROUTE_TYPE */
	       + nla_total_size(sizeof(u8))	/* ROUTE_PROTO */
	       + nla_total_size(sizeof(u32))	/* METRIC */
	       + nla_total_size(sizeof(u32))	/* GATEWAY */
	       + nla_total_size(sizeof(u32))	/* PREFSRC */
	       + nla_total_size(sizeof(u32))	/* IFINDEX */
	       + nla_total_size(IFNAMSIZ)	/* IFNAME */
	       + nla_total_size(sizeof(u32))	/* MTU (route get) */
	       + nla_total_size(sizeof(u32));	/* EXPIRES (route get) */
}

/* What a lookup adds to the route it found: what a packet would get. */
struct teach_nl_route_use {
	__be32 src;			/* the source chosen, 0: none */
	unsigned int mtu;		/* 0: no device */
	unsigned int expires;		/* of a learned path MTU, 0: none */
};

/* RCU or RTNL; use is NULL in dumps and events */
static int teach_nl_fill_route(struct sk_buff *skb,
			       const struct teach_nl_ctx *ctx,
			       const struct teach_route *rt,
			       const struct teach_nl_route_use *use)
{
	__be32 src = rt->prefsrc;
	void *hdr;

	if (use && use->src)
		src = use->src;

	hdr = teach_nl_put_hdr(skb, ctx);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_in_addr(skb, TEACH_A_DST, rt->dst) ||
	    nla_put_u8(skb, TEACH_A_PREFIXLEN, rt->plen) ||
	    nla_put_u8(skb, TEACH_A_ROUTE_TYPE, rt->type) ||
	    nla_put_u8(skb, TEACH_A_ROUTE_PROTO, rt->proto) ||
	    nla_put_u32(skb, TEACH_A_METRIC, rt->metric) ||
	    (rt->gateway &&
	     nla_put_in_addr(skb, TEACH_A_GATEWAY, rt->gateway)) ||
	    (src && nla_put_in_addr(skb, TEACH_A_PREFSRC, src)) ||
	    (rt->dev && teach_nl_put_dev(skb, rt->dev)) ||
	    (use && use->mtu && nla_put_u32(skb, TEACH_A_MTU, use->mtu)) ||
	    (use && use->expires &&
	     nla_put_u32(skb, TEACH_A_EXPIRES, use->expires))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * End one round of a dump: -EMSGSIZE with something in the skb means
 * "come back for more"; a walk that finished marks the dump done so the
 * next round sends nothing and netlink appends NLMSG_DONE.
 */
static int teach_nl_dump_end(struct sk_buff *skb, int err, long *done)
{
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	if (err)
		return err;
	*done = 1;
	return skb->len;
}

/* ---- monitor notifications ---- */

static struct sk_buff *teach_nl_event_new(struct net *net, size_t size)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&teach_nl_family, net, TEACH_NLGRP_MONITOR))
		return NULL;
	skb = genlmsg_new(size, GFP_ATOMIC);
	if (!skb)
		genl_set_err(&teach_nl_family, net, 0, TEACH_NLGRP_MONITOR,
			     -ENOBUFS);
	return skb;
}

static void teach_nl_event_send(struct net *net, struct sk_buff *skb, int err)
{
	if (err) {
		/* the *_size() functions count every attribute */
		WARN_ON_ONCE(err == -EMSGSIZE);
		kfree_skb(skb);
		genl_set_err(&teach_nl_family, net, 0, TEACH_NLGRP_MONITOR,
			     err);
		return;
	}
	genlmsg_multicast_netns(&teach_nl_family, net, skb, 0,
				TEACH_NLGRP_MONITOR, GFP_ATOMIC);
}

/* Any context; the caller keeps ifa alive (RTNL or RCU). */
void teach_nl_notify_addr(struct net *net, u8 cmd,
			  const struct teach_ifaddr *ifa)
{
	struct teach_nl_ctx ctx = { .net = net, .cmd = cmd };
	struct sk_buff *skb;

	skb = teach_nl_event_new(net, teach_nl_addr_size());
	if (skb)
		teach_nl_event_send(net, skb,
				    teach_nl_fill_addr(skb, &ctx, ifa));
}

void teach_nl_notify_neigh(struct net *net, u8 cmd,
			   const struct teach_neigh_info *ni)
{
	struct teach_nl_ctx ctx = { .net = net, .cmd = cmd };
	struct sk_buff *skb;

	skb = teach_nl_event_new(net, teach_nl_neigh_size());
	if (skb)
		teach_nl_event_send(net, skb,
				    teach_nl_fill_neigh(skb, &ctx, ni));
}

void teach_nl_notify_route(struct net *net, u8 cmd,
			   const struct teach_route *rt)
{
	struct teach_nl_ctx ctx = { .net = net, .cmd = cmd };
	struct sk_buff *skb;

	skb = teach_nl_event_new(net, teach_nl_route_size());
	if (skb)
		teach_nl_event_send(net, skb,
				    teach_nl_fill_route(skb, &ctx, rt, NULL));
}

/* ---- addresses ---- */

static int teach_nl_addr_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	int err;

	if (TEACH_NL_REQUIRE(info, TEACH_A_IFINDEX, "IFINDEX is required") ||
	    TEACH_NL_REQUIRE(info, TEACH_A_ADDR, "ADDR is required") ||
	    TEACH_NL_REQUIRE(info, TEACH_A_PREFIXLEN, "PREFIXLEN is required"))
		return -EINVAL;

	rtnl_lock();
	err = teach_addr_add(genl_info_net(info),
			     nla_get_u32(tb[TEACH_A_IFINDEX]),
			     nla_get_in_addr(tb[TEACH_A_ADDR]),
			     nla_get_u8(tb[TEACH_A_PREFIXLEN]), info->extack);
	rtnl_unlock();
	return err;
}

static int teach_nl_addr_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	int plen = -1;			/* any prefix length */
	int err;

	if (TEACH_NL_REQUIRE(info, TEACH_A_IFINDEX, "IFINDEX is required") ||
	    TEACH_NL_REQUIRE(info, TEACH_A_ADDR, "ADDR is required"))
		return -EINVAL;
	if (tb[TEACH_A_PREFIXLEN])
		plen = nla_get_u8(tb[TEACH_A_PREFIXLEN]);

	rtnl_lock();
	err = teach_addr_del(genl_info_net(info),
			     nla_get_u32(tb[TEACH_A_IFINDEX]),
			     nla_get_in_addr(tb[TEACH_A_ADDR]), plen,
			     info->extack);
	rtnl_unlock();
	return err;
}

/*
 * cb->args[0]: ifindex to resume at, [1]: addresses of that device already
 * sent, [2]: done.
 */
static int teach_nl_addr_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct teach_net *tn = teach_pernet(sock_net(skb->sk));
	unsigned long idx, start, last = ULONG_MAX;
	long skip = cb->args[1], i;
	struct teach_ifaddr *ifa;
	struct teach_dev *tdev;
	struct teach_nl_ctx ctx;
	u32 ifindex;
	int err = 0;

	cb->seq = teach_nl_gen(&tn->addr_seq);
	if (cb->args[2])
		return 0;

	teach_nl_dump_ctx(&ctx, cb, TEACH_CMD_ADDR_GET);
	start = cb->args[0];
	ifindex = teach_nl_dump_ifindex(cb);
	if (ifindex) {
		start = max_t(unsigned long, start, ifindex);
		last = ifindex;
	}

	rcu_read_lock();
	xa_for_each_range(&tn->devs, idx, tdev, start, last) {
		i = 0;
		list_for_each_entry_rcu(ifa, &tdev->addrs, list) {
			if (i < skip) {
				i++;
				continue;
			}
			err = teach_nl_fill_addr(skb, &ctx, ifa);
			if (err)
				break;
			i++;
		}
		if (err) {
			cb->args[0] = idx;
			cb->args[1] = i;
			break;
		}
		skip = 0;
	}
	rcu_read_unlock();

	return teach_nl_dump_end(skb, err, &cb->args[2]);
}

/* ---- neighbours ---- */

static int teach_nl_neigh_new(struct sk_buff *skb, struct genl_info *info)
{
	u8 state = TEACH_NUD_PERMANENT;
	struct nlattr **tb = info->attrs;
	bool replace = false;
	const u8 *lladdr;
	int err;

	if (TEACH_NL_REQUIRE(info, TEACH_A_IFINDEX, "IFINDEX is required") ||
	    TEACH_NL_REQUIRE(info, TEACH_A_ADDR, "ADDR is required") ||
	    TEACH_NL_REQUIRE(info, TEACH_A_LLADDR, "LLADDR is required"))
		return -EINVAL;

	lladdr = nla_data(tb[TEACH_A_LLADDR]);
	if (!is_valid_ether_addr(lladdr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[TEACH_A_LLADDR],
				    "LLADDR must be a unicast, non-zero hardware address");
		return -EINVAL;
	}

	/* Only states an administrator can vouch for. */
	if (tb[TEACH_A_NEIGH_STATE])
		state = nla_get_u8(tb[TEACH_A_NEIGH_STATE]);
	if (state != TEACH_NUD_PERMANENT && state != TEACH_NUD_REACHABLE &&
	    state != TEACH_NUD_STALE) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[TEACH_A_NEIGH_STATE],
				    "NEIGH_STATE must be PERMANENT, REACHABLE or STALE");
		return -EINVAL;
	}

	if (tb[TEACH_A_FLAGS])
		replace = nla_get_u32(tb[TEACH_A_FLAGS]) & TEACH_F_REPLACE;

	rtnl_lock();
	err = teach_neigh_add(genl_info_net(info),
			      nla_get_u32(tb[TEACH_A_IFINDEX]),
			      nla_get_in_addr(tb[TEACH_A_ADDR]), lladdr, state,
			      replace, info->extack);
	rtnl_unlock();
	return err;
}

static int teach_nl_neigh_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	int err;

	if (TEACH_NL_REQUIRE(info, TEACH_A_IFINDEX, "IFINDEX is required") ||
	    TEACH_NL_REQUIRE(info, TEACH_A_ADDR, "ADDR is required"))
		return -EINVAL;

	rtnl_lock();
	err = teach_neigh_del(genl_info_net(info),
			      nla_get_u32(tb[TEACH_A_IFINDEX]),
			      nla_get_in_addr(tb[TEACH_A_ADDR]), info->extack);
	rtnl_unlock();
	return err;
}

static int teach_nl_neigh_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[TEACH_A_IFINDEX];
	struct net *net = genl_info_net(info);
	int ifindex = 0;

	if (attr)
		ifindex = nla_get_u32(attr);

	rtnl_lock();
	/* Say so rather than flush nothing when the device is wrong. */
	if (ifindex && !teach_dev_get(net, ifindex)) {
		rtnl_unlock();
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "no such device, or teach does not run on it");
		return -ENODEV;
	}
	teach_neigh_flush(net, ifindex, false);
	rtnl_unlock();
	return 0;
}

static int teach_nl_neigh_dump_one(const struct teach_neigh_info *ni,
				   void *arg)
{
	struct teach_nl_walk *w = arg;

	return teach_nl_fill_neigh(w->skb, &w->ctx, ni);
}

/* cb->args[0]: teach_neigh_walk() position, [1]: done */
static int teach_nl_neigh_dump(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct teach_nl_walk w = { .skb = skb };
	unsigned long pos = cb->args[0];
	int err;

	cb->seq = teach_nl_gen(&teach_pernet(net)->neigh_seq);
	if (cb->args[1])
		return 0;

	teach_nl_dump_ctx(&w.ctx, cb, TEACH_CMD_NEIGH_GET);
	w.ifindex = teach_nl_dump_ifindex(cb);
	err = teach_neigh_walk(net, w.ifindex, teach_nl_neigh_dump_one, &w,
			       &pos);
	cb->args[0] = pos;
	return teach_nl_dump_end(skb, err, &cb->args[1]);
}

/* ---- statistics ---- */

static size_t teach_nl_stats_size(void)
{
	return nla_total_size(0)		/* STATS */
	       + __TEACH_MIB_MAX * nla_total_size_64bit(sizeof(u64));
}

static int teach_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct teach_net *tn = teach_pernet(genl_info_net(info));
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int i;

	msg = genlmsg_new(teach_nl_stats_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &teach_nl_family, 0,
				TEACH_CMD_STATS_GET);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, TEACH_A_STATS);
	if (!nest)
		goto nospace;
	/*
	 * Counters take the types 1..__TEACH_MIB_MAX inside the nest, so
	 * TEACH_A_PAD would be read as a counter there: pad with type 0,
	 * which nothing uses (as rtnetlink does with IFLA_STATS_UNSPEC).
	 */
	for (i = 0; i < __TEACH_MIB_MAX; i++)
		if (nla_put_u64_64bit(msg, i + 1, teach_mib_read(tn, i), 0))
			goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	/* teach_nl_stats_size() counts every attribute */
	WARN_ON_ONCE(1);
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- routes ---- */

/*
 * Adding fills in defaults for what is absent; deleting leaves it 0, for
 * route.c to match as "any".  Whether the route makes sense is route.c's
 * to judge.
 */
static int teach_nl_route_spec(struct genl_info *info,
			       struct teach_route_spec *rs, bool add)
{
	struct nlattr **tb = info->attrs;

	if (TEACH_NL_REQUIRE(info, TEACH_A_DST, "DST is required") ||
	    TEACH_NL_REQUIRE(info, TEACH_A_PREFIXLEN, "PREFIXLEN is required"))
		return -EINVAL;

	memset(rs, 0, sizeof(*rs));
	rs->dst = nla_get_in_addr(tb[TEACH_A_DST]);
	rs->plen = nla_get_u8(tb[TEACH_A_PREFIXLEN]);
	if (tb[TEACH_A_ROUTE_TYPE])
		rs->type = nla_get_u8(tb[TEACH_A_ROUTE_TYPE]);
	else if (add)
		rs->type = TEACH_RTN_UNICAST;
	if (tb[TEACH_A_ROUTE_PROTO])
		rs->proto = nla_get_u8(tb[TEACH_A_ROUTE_PROTO]);
	else if (add)
		rs->proto = TEACH_RTPROT_STATIC;
	if (tb[TEACH_A_METRIC])
		rs->metric = nla_get_u32(tb[TEACH_A_METRIC]);
	if (tb[TEACH_A_GATEWAY])
		rs->gateway = nla_get_in_addr(tb[TEACH_A_GATEWAY]);
	if (tb[TEACH_A_PREFSRC])
		rs->prefsrc = nla_get_in_addr(tb[TEACH_A_PREFSRC]);
	if (tb[TEACH_A_IFINDEX])
		rs->ifindex = nla_get_u32(tb[TEACH_A_IFINDEX]);
	return 0;
}

static int teach_nl_route_new(struct sk_buff *skb, struct genl_info *info)
{
	struct teach_route_spec rs;
	bool replace = false;
	int err;

	err = teach_nl_route_spec(info, &rs, true);
	if (err)
		return err;
	if (info->attrs[TEACH_A_FLAGS])
		replace = nla_get_u32(info->attrs[TEACH_A_FLAGS]) &
			  TEACH_F_REPLACE;

	rtnl_lock();
	err = teach_route_add(genl_info_net(info), &rs, replace, info->extack);
	rtnl_unlock();
	return err;
}

static int teach_nl_route_del(struct sk_buff *skb, struct genl_info *info)
{
	struct teach_route_spec rs;
	int err;

	err = teach_nl_route_spec(info, &rs, false);
	if (err)
		return err;

	rtnl_lock();
	err = teach_route_del(genl_info_net(info), &rs, info->extack);
	rtnl_unlock();
	return err;
}

/* RCU: the source, MTU and path MTU a packet to daddr along rt gets */
static void teach_nl_route_use(struct net *net, const struct teach_route *rt,
			       __be32 daddr, struct teach_nl_route_use *use)
{
	struct net_device *dev = rt->dev;
	struct teach_dev *tdev;
	unsigned int pmtu;

	memset(use, 0, sizeof(*use));
	if (rt->type == TEACH_RTN_LOCAL) {
		use->src = daddr;
		dev = net->loopback_dev;
	}
	if (!dev)
		return;
	use->mtu = READ_ONCE(dev->mtu);
	if (!rt->prefsrc && !use->src) {
		tdev = teach_dev_get(net, dev->ifindex);
		if (tdev)
			use->src = teach_addr_select(tdev, daddr);
	}
	if (rt->type != TEACH_RTN_UNICAST)
		return;
	pmtu = teach_pmtu_lookup(net, daddr, &use->expires);
	if (pmtu && pmtu < use->mtu)
		use->mtu = pmtu;
	else
		use->expires = 0;
}

/* Which route would carry a packet to DST, like `ip route get`. */
static int teach_nl_route_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr **tb = info->attrs;
	struct teach_nl_ctx ctx = {
		.net = net,
		.portid = info->snd_portid,
		.seq = info->snd_seq,
		.cmd = TEACH_CMD_ROUTE_GET,
	};
	struct teach_nl_route_use use;
	struct teach_route *rt;
	struct sk_buff *msg;
	__be32 daddr;
	int err;

	if (TEACH_NL_REQUIRE(info, TEACH_A_DST, "DST is required"))
		return -EINVAL;
	if (tb[TEACH_A_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[TEACH_A_IFINDEX],
				    "IFINDEX filters the dump; a lookup takes only DST");
		return -EINVAL;
	}

	msg = genlmsg_new(teach_nl_route_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	daddr = nla_get_in_addr(tb[TEACH_A_DST]);
	rt = teach_route_lookup(net, daddr);
	if (!rt) {
		rcu_read_unlock();
		nlmsg_free(msg);
		NL_SET_ERR_MSG_ATTR(info->extack, tb[TEACH_A_DST],
				    "no route to this destination");
		return -ENETUNREACH;
	}
	teach_nl_route_use(net, rt, daddr, &use);
	err = teach_nl_fill_route(msg, &ctx, rt, &use);
	rcu_read_unlock();
	if (err) {
		/* teach_nl_route_size() counts every attribute */
		WARN_ON_ONCE(1);
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int teach_nl_route_dump_one(const struct teach_route *rt, void *arg)
{
	struct teach_nl_walk *w = arg;

	if (w->ifindex && (!rt->dev || rt->dev->ifindex != w->ifindex))
		return 0;
	return teach_nl_fill_route(w->skb, &w->ctx, rt, NULL);
}

/* cb->args[0]: teach_route_walk() position, [1]: done */
static int teach_nl_route_dump(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	const struct nlattr *dst = genl_dumpit_info(cb)->attrs[TEACH_A_DST];
	struct net *net = sock_net(skb->sk);
	struct teach_nl_walk w = { .skb = skb };
	unsigned long pos = cb->args[0];
	int err = 0;

	if (dst) {
		NL_SET_ERR_MSG_ATTR(cb->extack, dst,
				    "DST asks for a lookup: send ROUTE_GET without NLM_F_DUMP");
		return -EINVAL;
	}

	teach_nl_dump_ctx(&w.ctx, cb, TEACH_CMD_ROUTE_GET);
	w.ifindex = teach_nl_dump_ifindex(cb);

	/* the list of every route is walked under RTNL */
	rtnl_lock();
	cb->seq = teach_nl_gen(&teach_pernet(net)->route_seq);
	if (!cb->args[1])
		err = teach_route_walk(net, teach_nl_route_dump_one, &w, &pos);
	rtnl_unlock();

	if (cb->args[1])
		return 0;
	cb->args[0] = pos;
	return teach_nl_dump_end(skb, err, &cb->args[1]);
}

/* ---- sockets ---- */

static int teach_nl_fill_sock(struct sk_buff *skb,
			      const struct teach_nl_ctx *ctx,
			      const struct teach_sock_info *si, bool info)
{
	void *hdr = teach_nl_put_hdr(skb, ctx);
	struct teach_stream_info tsi;

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u16(skb, TEACH_A_SOCK_FAMILY, teach_family) ||
	    nla_put_u8(skb, TEACH_A_SOCK_TYPE, si->type) ||
	    nla_put_u8(skb, TEACH_A_SOCK_PROTO, si->protocol) ||
	    nla_put_u8(skb, TEACH_A_SOCK_STATE, si->state) ||
	    nla_put_be32(skb, TEACH_A_SOCK_LADDR, si->laddr) ||
	    nla_put_u16(skb, TEACH_A_SOCK_LPORT, si->lport) ||
	    nla_put_be32(skb, TEACH_A_SOCK_RADDR, si->raddr) ||
	    nla_put_u16(skb, TEACH_A_SOCK_RPORT, si->rport) ||
	    nla_put_u32(skb, TEACH_A_SOCK_RQUEUE, si->rqueue) ||
	    nla_put_u32(skb, TEACH_A_SOCK_WQUEUE, si->wqueue) ||
	    nla_put_u32(skb, TEACH_A_SOCK_UID, si->uid) ||
	    nla_put_u64_64bit(skb, TEACH_A_SOCK_INODE, si->inode,
			      TEACH_A_PAD) ||
	    nla_put_u32(skb, TEACH_A_SOCK_DROPS, si->drops) ||
	    (si->ifindex && nla_put_u32(skb, TEACH_A_IFINDEX, si->ifindex)))
		goto cancel;
	if (info && si->type == SOCK_STREAM) {
		teach_stream_info_snapshot(si->sk, &tsi);
		if (nla_put(skb, TEACH_A_SOCK_STREAM_INFO, sizeof(tsi), &tsi))
			goto cancel;
	}
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

struct teach_nl_sock_walk {
	struct sk_buff *skb;
	struct teach_nl_ctx ctx;
	u8 type;			/* 0: every type */
	bool info;			/* TEACH_F_SOCK_INFO */
};

static int teach_nl_sock_dump_one(const struct teach_sock_info *si, void *arg)
{
	struct teach_nl_sock_walk *w = arg;

	if (w->type && si->type != w->type)
		return 0;
	return teach_nl_fill_sock(w->skb, &w->ctx, si, w->info);
}

/*
 * cb->args[0]: which table (0 datagram, 1 raw, 2 stream, 3 done), [1] and [2]: the
 * position in it.  Sockets come and go all the time, so the dump makes no
 * promise of consistency (as sock_diag makes none).
 */
static int teach_nl_sock_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	const struct nlattr *type = attrs[TEACH_A_SOCK_TYPE];
	struct teach_nl_sock_walk w = { .skb = skb };
	struct net *net = sock_net(skb->sk);
	int err = 0;

	teach_nl_dump_ctx(&w.ctx, cb, TEACH_CMD_SOCK_GET);
	w.type = type ? nla_get_u8(type) : 0;
	w.info = attrs[TEACH_A_FLAGS] &&
		 (nla_get_u32(attrs[TEACH_A_FLAGS]) & TEACH_F_SOCK_INFO);
	if (cb->args[0] == 0) {
		err = teach_dgram_walk(net, teach_nl_sock_dump_one, &w,
				       (unsigned long *)&cb->args[1]);
		if (err)
			goto out;
		cb->args[0] = 1;
		cb->args[1] = 0;
		cb->args[2] = 0;
	}
	if (cb->args[0] == 1) {
		err = teach_raw_walk(net, teach_nl_sock_dump_one, &w,
				     (unsigned long *)&cb->args[1]);
		if (err)
			goto out;
		cb->args[0] = 2;
		cb->args[1] = 0;
		cb->args[2] = 0;
	}
	if (cb->args[0] == 2) {
		err = teach_stream_walk(net, teach_nl_sock_dump_one, &w,
					(unsigned long *)&cb->args[1]);
		if (err)
			goto out;
		cb->args[0] = 3;
	}
	return skb->len;
out:
	return err == -EMSGSIZE && skb->len ? skb->len : err;
}

/* ---- the family ---- */

static const struct genl_ops teach_nl_ops[] = {
	{
		.cmd		= TEACH_CMD_ADDR_NEW,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= teach_nl_addr_new,
		.policy		= teach_nl_addr_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_addr_policy) - 1,
	},
	{
		.cmd		= TEACH_CMD_ADDR_DEL,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= teach_nl_addr_del,
		.policy		= teach_nl_addr_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_addr_policy) - 1,
	},
	{
		.cmd		= TEACH_CMD_ADDR_GET,
		.dumpit		= teach_nl_addr_dump,
		.policy		= teach_nl_ifindex_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_ifindex_policy) - 1,
	},
	{
		.cmd		= TEACH_CMD_NEIGH_NEW,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= teach_nl_neigh_new,
		.policy		= teach_nl_neigh_new_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_neigh_new_policy) - 1,
	},
	{
		.cmd		= TEACH_CMD_NEIGH_DEL,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= teach_nl_neigh_del,
		.policy		= teach_nl_neigh_del_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_neigh_del_policy) - 1,
	},
	{
		.cmd		= TEACH_CMD_NEIGH_GET,
		.dumpit		= teach_nl_neigh_dump,
		.policy		= teach_nl_ifindex_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_ifindex_policy) - 1,
	},
	{
		.cmd		= TEACH_CMD_NEIGH_FLUSH,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= teach_nl_neigh_flush,
		.policy		= teach_nl_ifindex_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_ifindex_policy) - 1,
	},
	{
		/* no policy: the core then rejects every attribute */
		.cmd		= TEACH_CMD_STATS_GET,
		.doit		= teach_nl_stats_get,
	},
	{
		.cmd		= TEACH_CMD_ROUTE_NEW,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= teach_nl_route_new,
		.policy		= teach_nl_route_new_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_route_new_policy) - 1,
	},
	{
		.cmd		= TEACH_CMD_ROUTE_DEL,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= teach_nl_route_del,
		.policy		= teach_nl_route_del_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_route_del_policy) - 1,
	},
	{
		.cmd		= TEACH_CMD_ROUTE_GET,
		.doit		= teach_nl_route_get,
		.dumpit		= teach_nl_route_dump,
		.policy		= teach_nl_route_get_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_route_get_policy) - 1,
	},
	{
		.cmd		= TEACH_CMD_SOCK_GET,
		.dumpit		= teach_nl_sock_dump,
		.policy		= teach_nl_sock_get_policy,
		.maxattr	= ARRAY_SIZE(teach_nl_sock_get_policy) - 1,
	},
};

static const struct genl_multicast_group teach_nl_mcgrps[] = {
	[TEACH_NLGRP_MONITOR] = { .name = TEACH_GENL_MCGRP_MONITOR },
};

static struct genl_family teach_nl_family __ro_after_init = {
	.name		= TEACH_GENL_NAME,
	.version	= TEACH_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= false,
	.module		= THIS_MODULE,
	.ops		= teach_nl_ops,
	.n_ops		= ARRAY_SIZE(teach_nl_ops),
	/*
	 * .resv_start_op stays 0: commands from it on get the checks of new
	 * families (reserved header bits, nlmsg_flags, every attribute
	 * rejected when there is no policy), and that is all of ours.
	 */
	.mcgrps		= teach_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(teach_nl_mcgrps),
};

/* Called from module init only: the family is read-only afterwards. */
int teach_netlink_init(void)
{
	return genl_register_family(&teach_nl_family);
}

void teach_netlink_exit(void)
{
	genl_unregister_family(&teach_nl_family);
}
