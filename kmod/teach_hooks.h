/* SPDX-License-Identifier: GPL-2.0 */
/*
 * teach: packet hooks, the API for other modules (Documentation/hooks.rst).
 *
 * Like netfilter's hooks for IPv4, five points on the packet path call
 * the functions registered there, lowest priority first:
 *
 *   arrival -> PRE_ROUTING -> route -> LOCAL_IN -> socket
 *                                  \-> FORWARD ----\
 *   socket -> route -> LOCAL_OUT -------------------> POST_ROUTING -> device
 *
 * A hook sees the packet with its network header at skb->data and returns
 * a verdict: TEACH_ACCEPT (go on), TEACH_DROP (teach frees the packet and
 * counts it in HookDrops) or TEACH_STOLEN (the hook now owns the packet).
 * Hooks run under rcu_read_lock() in softirq or process context, and must
 * not sleep.  Registration is per network namespace, as
 * nf_register_net_hook() is.
 */
#ifndef _TEACH_HOOKS_H
#define _TEACH_HOOKS_H

#include <linux/types.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

enum teach_hook_point {
	TEACH_HOOK_PRE_ROUTING,		/* every packet that arrived, checked */
	TEACH_HOOK_LOCAL_IN,		/* for this host, after reassembly */
	TEACH_HOOK_FORWARD,		/* routed through this host */
	TEACH_HOOK_LOCAL_OUT,		/* sent by this host, header built */
	TEACH_HOOK_POST_ROUTING,	/* leaving, before fragmentation */
	TEACH_HOOK_MAX
};

enum teach_verdict {
	TEACH_DROP,
	TEACH_ACCEPT,
	TEACH_STOLEN,
};

struct teach_hook_state {
	struct net *net;
	enum teach_hook_point point;
	struct net_device *in;		/* arrival device, or NULL */
	struct net_device *out;		/* departure device, or NULL */
};

/*
 * Returns an enum teach_verdict; anything else counts as TEACH_DROP.  skb
 * is the hook's to inspect (the whole network header is in its linear
 * part) but on ACCEPT it must still start at the network header.
 */
typedef unsigned int teach_hookfn(void *priv, struct sk_buff *skb,
				  const struct teach_hook_state *state);

struct teach_hook_ops {
	teach_hookfn *hook;
	void *priv;			/* passed to hook as it is */
	enum teach_hook_point point;
	int priority;			/* lower runs first; ties in order of registration */
};

/*
 * Process context, may sleep.  The same ops may be registered in several
 * namespaces, once in each: -EEXIST the second time, -EINVAL for a bad
 * point or no hook.  Unregistering waits for an RCU grace period, so when
 * it returns no CPU runs the hook any more and its priv (or its module)
 * may be freed; unregistering ops that are not registered does nothing.
 */
int teach_hook_register(struct net *net, const struct teach_hook_ops *ops);
void teach_hook_unregister(struct net *net, const struct teach_hook_ops *ops);

#endif /* _TEACH_HOOKS_H */
