// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the hook list of one point, without namespaces or locking
 * (hooks.c publishes the arrays; KUnit tests this file on its own).
 *
 * As netfilter's struct nf_hook_entries: an array of (hook, priv) in
 * priority order for the packet path, followed by the ops each entry came
 * from, for the writers.  An array is never changed once published, but
 * for one case: a removal without memory for a smaller array.
 */
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "teach.h"
#include "teach_hooks.h"

static const struct teach_hook_ops **
teach_hook_entries_ops(const struct teach_hook_entries *e)
{
	return (const struct teach_hook_ops **)&e->hooks[e->num];
}

static struct teach_hook_entries *teach_hook_entries_alloc(unsigned int num)
{
	struct teach_hook_entries *e;
	size_t size;

	size = struct_size(e, hooks, num) +
	       array_size(num, sizeof(struct teach_hook_ops *));
	e = kvzalloc(size, GFP_KERNEL);
	if (e)
		e->num = num;
	return e;
}

/* What a removed entry becomes when no smaller array could be allocated. */
static unsigned int teach_hook_accept_all(void *priv, struct sk_buff *skb,
					  const struct teach_hook_state *state)
{
	return TEACH_ACCEPT;
}

static void teach_hook_entry_set(struct teach_hook_entries *e, unsigned int i,
				 const struct teach_hook_ops *ops)
{
	e->hooks[i].hook = ops->hook;
	e->hooks[i].priv = ops->priv;
	teach_hook_entries_ops(e)[i] = ops;
}

struct teach_hook_entries *
teach_hook_entries_add(const struct teach_hook_entries *old,
		       const struct teach_hook_ops *ops)
{
	const struct teach_hook_ops **old_ops = NULL;
	struct teach_hook_entries *new;
	unsigned int i, j, n = 0, live = 0;
	bool placed = false;

	if (!ops || !ops->hook || (unsigned int)ops->point >= TEACH_HOOK_MAX)
		return ERR_PTR(-EINVAL);
	if (old) {
		n = old->num;
		old_ops = teach_hook_entries_ops(old);
	}
	/* Entries left by a removal without memory (ops NULL) are not copied. */
	for (i = 0; i < n; i++) {
		if (old_ops[i] == ops)
			return ERR_PTR(-EEXIST);
		if (old_ops[i])
			live++;
	}
	if (live >= TEACH_HOOK_MAX_ENTRIES)
		return ERR_PTR(-E2BIG);
	new = teach_hook_entries_alloc(live + 1);
	if (!new)
		return ERR_PTR(-ENOMEM);
	/* After every entry of the same priority: registration order. */
	for (i = 0, j = 0; i < n; i++) {
		if (!old_ops[i])
			continue;
		if (!placed && ops->priority < old_ops[i]->priority) {
			teach_hook_entry_set(new, j++, ops);
			placed = true;
		}
		new->hooks[j] = old->hooks[i];
		teach_hook_entries_ops(new)[j++] = old_ops[i];
	}
	if (!placed)
		teach_hook_entry_set(new, j, ops);
	return new;
}

struct teach_hook_entries *
teach_hook_entries_del(struct teach_hook_entries *old,
		       const struct teach_hook_ops *ops)
{
	const struct teach_hook_ops **old_ops;
	struct teach_hook_entries *new;
	unsigned int i, j, live = 0, at = 0;
	bool found = false;

	if (!old)
		return ERR_PTR(-ENOENT);
	old_ops = teach_hook_entries_ops(old);
	for (i = 0; i < old->num; i++) {
		if (old_ops[i] == ops) {
			found = true;
			at = i;
		} else if (old_ops[i]) {
			live++;
		}
	}
	if (!found)
		return ERR_PTR(-ENOENT);
	if (!live)
		return NULL;

	new = teach_hook_entries_alloc(live);
	if (!new) {
		/*
		 * Removal cannot fail, as netfilter's cannot: keep the array,
		 * with this entry turned into an accept-all that ignores priv.
		 * Readers load hook before priv, and priv stays as it was.
		 */
		WRITE_ONCE(old->hooks[at].hook, teach_hook_accept_all);
		old_ops[at] = NULL;
		return old;
	}
	for (i = 0, j = 0; i < old->num; i++) {
		if (i == at || !old_ops[i])
			continue;
		new->hooks[j] = old->hooks[i];
		teach_hook_entries_ops(new)[j++] = old_ops[i];
	}
	return new;
}

unsigned int teach_hook_entries_run(const struct teach_hook_entries *e,
				    struct sk_buff *skb,
				    const struct teach_hook_state *state)
{
	unsigned int i, verdict;

	for (i = 0; i < e->num; i++) {
		teach_hookfn *hook = READ_ONCE(e->hooks[i].hook);

		verdict = hook(e->hooks[i].priv, skb, state);
		if (verdict == TEACH_ACCEPT)
			continue;
		/* A verdict that does not exist is a drop. */
		return verdict == TEACH_STOLEN ? TEACH_STOLEN : TEACH_DROP;
	}
	return TEACH_ACCEPT;
}
