// SPDX-License-Identifier: GPL-2.0
/*
 * teach: packet hooks (the API is in teach_hooks.h, the guide in
 * Documentation/hooks.rst).
 *
 * Modelled on netfilter's hooks (net/netfilter/core.c): each point of
 * each namespace has an array of (hook, priv) in priority order
 * (hook_list.c), published with RCU.  The packet path only reads it.  A
 * change builds a new array under teach_hook_mutex, publishes it and
 * frees the old one after a grace period, so readers never see a
 * half-made list.
 */
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/skbuff.h>

#include "teach.h"
#include "teach_hooks.h"

/* Writers of every namespace's lists; the packet path never takes it. */
static DEFINE_MUTEX(teach_hook_mutex);

static struct teach_hook_entries *
teach_hook_entries_get(struct teach_net *tn, unsigned int point)
{
	return rcu_dereference_protected(tn->hooks[point],
					 lockdep_is_held(&teach_hook_mutex));
}

int teach_hook_register(struct net *net, const struct teach_hook_ops *ops)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_hook_entries *old, *new;

	BUILD_BUG_ON(ARRAY_SIZE(tn->hooks) != TEACH_HOOK_MAX);
	if (!ops || (unsigned int)ops->point >= TEACH_HOOK_MAX)
		return -EINVAL;

	mutex_lock(&teach_hook_mutex);
	old = teach_hook_entries_get(tn, ops->point);
	new = teach_hook_entries_add(old, ops);
	if (IS_ERR(new)) {
		mutex_unlock(&teach_hook_mutex);
		return PTR_ERR(new);
	}
	rcu_assign_pointer(tn->hooks[ops->point], new);
	mutex_unlock(&teach_hook_mutex);
	if (old)
		kvfree_rcu(old, rcu);
	return 0;
}
EXPORT_SYMBOL_GPL(teach_hook_register);

void teach_hook_unregister(struct net *net, const struct teach_hook_ops *ops)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_hook_entries *old, *new;

	if (!ops || (unsigned int)ops->point >= TEACH_HOOK_MAX) {
		pr_warn_once("teach: unregistering invalid hook ops\n");
		return;
	}

	mutex_lock(&teach_hook_mutex);
	old = teach_hook_entries_get(tn, ops->point);
	new = teach_hook_entries_del(old, ops);
	if (IS_ERR(new)) {
		mutex_unlock(&teach_hook_mutex);
		pr_warn_once("teach: unregistering a hook that is not registered\n");
		return;
	}
	/* new is old itself when it could only disable the entry in place. */
	if (new != old)
		rcu_assign_pointer(tn->hooks[ops->point], new);
	mutex_unlock(&teach_hook_mutex);

	/* No CPU runs ops->hook once this returns: the caller may free it. */
	synchronize_net();
	if (new != old)
		kvfree(old);
}
EXPORT_SYMBOL_GPL(teach_hook_unregister);

int __teach_hook_slow(const struct teach_hook_entries *e, int point,
		      struct net *net, struct sk_buff *skb,
		      struct net_device *in, struct net_device *out,
		      int (*okfn)(struct net *net, struct sk_buff *skb))
{
	const struct teach_hook_state state = {
		.net = net,
		.point = point,
		.in = in,
		.out = out,
	};

	switch (teach_hook_entries_run(e, skb, &state)) {
	case TEACH_ACCEPT:
		return okfn(net, skb);
	case TEACH_STOLEN:
		return 0;
	default:
		TEACH_INC_STATS(teach_pernet(net), TEACH_MIB_HOOK_DROPS);
		kfree_skb(skb);
		return -EPERM;
	}
}

/*
 * The namespace is going away: its modules should have unregistered
 * (from their own pernet exit, which runs before ours), but if one did
 * not, its entries are simply freed.
 */
void teach_hooks_exit_net(struct teach_net *tn)
{
	struct teach_hook_entries *e;
	unsigned int p;

	mutex_lock(&teach_hook_mutex);
	for (p = 0; p < ARRAY_SIZE(tn->hooks); p++) {
		e = teach_hook_entries_get(tn, p);
		RCU_INIT_POINTER(tn->hooks[p], NULL);
		if (e)
			kvfree_rcu(e, rcu);
	}
	mutex_unlock(&teach_hook_mutex);
}
