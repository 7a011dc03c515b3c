// SPDX-License-Identifier: GPL-2.0
/*
 * teach_filter: a sample user of teach's packet hooks
 * (Documentation/hooks.rst).
 *
 * In every network namespace, one hook at the point chosen by `point`
 * drops the packets of protocol `proto` (0: any), and, when `port` is
 * set, only those whose destination port is `port`.  `seen` and
 * `dropped` count, across namespaces, what the hook looked at and what
 * it dropped:
 *
 *   modprobe teach_filter point=forward proto=1
 *   cat /sys/module/teach_filter/parameters/{seen,dropped}
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include <linux/teach.h>
#include "teach_hooks.h"

static char *point = "input";
module_param(point, charp, 0444);
MODULE_PARM_DESC(point, "where to filter: prerouting, input (default), forward, output, postrouting");

static int proto;
module_param(proto, int, 0444);
MODULE_PARM_DESC(proto, "protocol number to drop, 0 for any (default)");

static int port;
module_param(port, int, 0444);
MODULE_PARM_DESC(port, "destination port to drop (stream and datagram only), 0 for any (default)");

static atomic_long_t filter_seen = ATOMIC_LONG_INIT(0);
static atomic_long_t filter_dropped = ATOMIC_LONG_INIT(0);

static int filter_counter_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%ld\n",
			 atomic_long_read((atomic_long_t *)kp->arg));
}

/* Mode 0444 keeps sysfs from writing them; this refuses them at load. */
static int filter_counter_set(const char *val, const struct kernel_param *kp)
{
	return -EINVAL;
}

static const struct kernel_param_ops filter_counter_ops = {
	.set = filter_counter_set,
	.get = filter_counter_get,
};

module_param_cb(seen, &filter_counter_ops, &filter_seen, 0444);
MODULE_PARM_DESC(seen, "packets the hook looked at, in all namespaces");
module_param_cb(dropped, &filter_counter_ops, &filter_dropped, 0444);
MODULE_PARM_DESC(dropped, "packets the hook dropped, in all namespaces");

static const char * const filter_points[TEACH_HOOK_MAX] = {
	[TEACH_HOOK_PRE_ROUTING]	= "prerouting",
	[TEACH_HOOK_LOCAL_IN]		= "input",
	[TEACH_HOOK_FORWARD]		= "forward",
	[TEACH_HOOK_LOCAL_OUT]		= "output",
	[TEACH_HOOK_POST_ROUTING]	= "postrouting",
};

/*
 * The destination port: bytes 2-3 of the stream and datagram headers, as
 * in TCP and UDP.  Control messages and other protocols have none, nor
 * has a fragment other than the first.
 */
static bool filter_port_matches(const struct sk_buff *skb,
				const struct teachhdr *th)
{
	__be16 ports[2], *pp;

	if (th->protocol != TEACHPROTO_STREAM &&
	    th->protocol != TEACHPROTO_DGRAM)
		return false;
	if (th->frag_off & htons(TEACH_OFFSET))
		return false;
	/* The header may not be in the linear part, nor be there at all. */
	pp = skb_header_pointer(skb, (th->ver_ihl & 0xf) * 4, sizeof(ports),
				ports);
	return pp && ntohs(pp[1]) == port;
}

/* softirq or process context, under rcu_read_lock(): no sleeping */
static unsigned int filter_hook(void *priv, struct sk_buff *skb,
				const struct teach_hook_state *state)
{
	/* teach guarantees the whole network header at skb->data */
	const struct teachhdr *th = (const struct teachhdr *)skb->data;

	atomic_long_inc(&filter_seen);
	if (proto && th->protocol != proto)
		return TEACH_ACCEPT;
	if (port && !filter_port_matches(skb, th))
		return TEACH_ACCEPT;
	atomic_long_inc(&filter_dropped);
	return TEACH_DROP;
}

/* One ops for every namespace; .point is set at load. */
static struct teach_hook_ops filter_ops = {
	.hook		= filter_hook,
	.priority	= 0,
};

static int __net_init filter_net_init(struct net *net)
{
	return teach_hook_register(net, &filter_ops);
}

static void __net_exit filter_net_exit(struct net *net)
{
	teach_hook_unregister(net, &filter_ops);
}

static struct pernet_operations filter_net_ops = {
	.init = filter_net_init,
	.exit = filter_net_exit,
};

static int __init filter_init(void)
{
	int i;

	i = point ? match_string(filter_points, ARRAY_SIZE(filter_points),
				 point) : -EINVAL;
	if (i < 0) {
		pr_err("teach_filter: point=%s: not one of prerouting, input, forward, output, postrouting\n",
		       point);
		return -EINVAL;
	}
	if (proto < 0 || proto > 255 || port < 0 || port > 65535) {
		pr_err("teach_filter: proto is 0..255 and port 0..65535\n");
		return -EINVAL;
	}
	filter_ops.point = i;
	pr_info("teach_filter: dropping protocol %d, port %d at %s (0: any)\n",
		proto, port, filter_points[i]);
	/* Registers the hook in every namespace, present and future. */
	return register_pernet_subsys(&filter_net_ops);
}

static void __exit filter_exit(void)
{
	/* Unregisters in every namespace, each waiting for a grace period. */
	unregister_pernet_subsys(&filter_net_ops);
}

module_init(filter_init);
module_exit(filter_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("teach: sample packet filter on the hook API");
