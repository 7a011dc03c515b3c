// SPDX-License-Identifier: GPL-2.0
/*
 * teach: protocol control block (PCB) tables, shared by the transports.
 *
 * Each transport of a namespace has two tables of pcb_hash_size buckets:
 *
 *   bind	every bound socket, by local port: bind conflicts, ephemeral
 *		port search, and the lookup of unconnected sockets
 *   conn	connected sockets, by (local address, local port, peer
 *		address, peer port): an exact match wins on receive
 *
 * and streams a third, listen: listening sockets by local port, where a
 * segment that is no connection's looks (the established children of a
 * listener share its bind bucket; walking them for every SYN would make
 * a connection request cost O(connections)).
 *
 * A bucket is an RCU list with a spinlock for writers, as the kernel's
 * UDP table is; the receive path takes no lock.  Sockets are freed after
 * a grace period (SOCK_RCU_FREE), so a reader may still see one that is
 * going away, and must not take a reference from it.
 *
 * A socket can move while a reader stands on it: connect() moves it to
 * another connected bucket, and a reader that follows its next pointer
 * then walks the wrong chain to its end and misses the sockets after it
 * in its own.  The lists are therefore "nulls" lists, as TCP's
 * established table is: each chain ends in a marker holding its bucket's
 * index, and a lookup that ends on another bucket's marker starts again.
 *
 * Bind rules (Documentation/socket-api.rst): two sockets may share a
 * local port when their addresses differ (neither being "any"), when they
 * are bound to different devices, when both set SO_REUSEADDR, or when
 * both set TEACH_REUSEPORT and have the same owner.  Ports below
 * net.teach.unprivileged_port_start need CAP_NET_BIND_SERVICE in the
 * namespace's user namespace.
 */
#include <linux/capability.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "teach.h"

unsigned int teach_pcb_hash_size __read_mostly = 4096;
module_param_named(pcb_hash_size, teach_pcb_hash_size, uint, 0444);
MODULE_PARM_DESC(pcb_hash_size,
		 "buckets in each socket table of each namespace, a power of 2 in 16..65536 (default 4096)");

int teach_pcb_hash_size_check(void)
{
	if (teach_pcb_hash_size < 16 || teach_pcb_hash_size > 65536 ||
	    !is_power_of_2(teach_pcb_hash_size)) {
		pr_err("teach: pcb_hash_size %u is not a power of 2 in 16..65536\n",
		       teach_pcb_hash_size);
		return -EINVAL;
	}
	return 0;
}

static struct teach_pcb_bucket *teach_pcb_buckets_alloc(unsigned int n)
{
	struct teach_pcb_bucket *b;
	unsigned int i;

	b = kvcalloc(n, sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	for (i = 0; i < n; i++) {
		spin_lock_init(&b[i].lock);
		INIT_HLIST_NULLS_HEAD(&b[i].head, i);
	}
	return b;
}

int teach_pcb_table_init(struct teach_pcb_table *t, bool listeners)
{
	t->mask = teach_pcb_hash_size - 1;
	t->bind = teach_pcb_buckets_alloc(teach_pcb_hash_size);
	t->conn = teach_pcb_buckets_alloc(teach_pcb_hash_size);
	t->listen = listeners ? teach_pcb_buckets_alloc(teach_pcb_hash_size) :
		    NULL;
	if (!t->bind || !t->conn || (listeners && !t->listen)) {
		teach_pcb_table_destroy(t);
		return -ENOMEM;
	}
	get_random_bytes(&t->key, sizeof(t->key));
	atomic_set(&t->next_ephemeral, get_random_u32());
	atomic_set(&t->count, 0);
	return 0;
}

/* A namespace ends after its last socket (sockets hold the namespace). */
void teach_pcb_table_destroy(struct teach_pcb_table *t)
{
	kvfree(t->listen);
	kvfree(t->conn);
	kvfree(t->bind);
	t->listen = NULL;
	t->conn = NULL;
	t->bind = NULL;
}

struct teach_pcb_bucket *teach_pcb_bind_bucket(struct teach_pcb_table *t,
					       u16 port)
{
	return &t->bind[teach_pcb_port_hash(&t->key, port) & t->mask];
}

static struct teach_pcb_bucket *teach_pcb_conn_bucket(struct teach_pcb_table *t,
						      __be32 laddr, u16 lport,
						      __be32 raddr, u16 rport)
{
	return &t->conn[teach_pcb_tuple_hash(&t->key, laddr, lport, raddr,
					     rport) & t->mask];
}

/* Could sk bound to (addr, dev) and pcb2 share their port? */
static bool teach_pcb_conflict(const struct teach_pcb *pcb, __be32 addr,
			       const struct teach_pcb *pcb2)
{
	const struct sock *sk = pcb->sk, *sk2 = pcb2->sk;
	__be32 addr2 = READ_ONCE(pcb2->laddr);
	int dev = READ_ONCE(sk->sk_bound_dev_if);
	int dev2 = READ_ONCE(sk2->sk_bound_dev_if);

	if (addr && addr2 && addr != addr2)
		return false;
	if (dev && dev2 && dev != dev2)
		return false;
	if (sk->sk_reuse && sk2->sk_reuse)
		return false;
	if (sk->sk_reuseport && sk2->sk_reuseport &&
	    uid_eq(pcb->uid, pcb2->uid))
		return false;
	return true;
}

/* Bucket locked: is port free for pcb at addr? */
static bool teach_pcb_port_free(struct teach_pcb_bucket *b,
				const struct teach_pcb *pcb, __be32 addr,
				u16 port)
{
	const struct hlist_nulls_node *node;
	const struct teach_pcb *pcb2;

	hlist_nulls_for_each_entry(pcb2, node, &b->head, bind_node) {
		if (pcb2->lport == port && teach_pcb_conflict(pcb, addr, pcb2))
			return false;
	}
	return true;
}

struct teach_pcb_claim {
	struct teach_pcb_table *t;
	struct teach_pcb *pcb;
	__be32 addr;
};

/* Take port for the claim if it is free; the bucket's lock makes it atomic. */
static bool teach_pcb_try_port(u16 port, void *arg)
{
	struct teach_pcb_claim *c = arg;
	struct teach_pcb_bucket *b = teach_pcb_bind_bucket(c->t, port);
	bool ok;

	spin_lock_bh(&b->lock);
	ok = teach_pcb_port_free(b, c->pcb, c->addr, port);
	if (ok) {
		WRITE_ONCE(c->pcb->laddr, c->addr);
		WRITE_ONCE(c->pcb->lport, port);
		hlist_nulls_add_head_rcu(&c->pcb->bind_node, &b->head);
		b->count++;
	}
	spin_unlock_bh(&b->lock);
	return ok;
}

static void teach_port_range(struct teach_net *tn, int *low, int *high)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&tn->port_range_lock);
		*low = tn->sysctl.local_port_range[0];
		*high = tn->sysctl.local_port_range[1];
	} while (read_seqretry(&tn->port_range_lock, seq));
}

int teach_pcb_bind(struct teach_pcb_table *t, struct teach_pcb *pcb,
		   __be32 addr, bool bcast, u16 port, __be32 raddr, u16 rport)
{
	struct sock *sk = pcb->sk;
	struct net *net = sock_net(sk);
	struct teach_net *tn = teach_pernet(net);
	struct teach_pcb_claim claim = { .t = t, .pcb = pcb, .addr = addr };
	u32 offset, tries;
	int low, high, ret;

	if (port && port < READ_ONCE(tn->sysctl.unprivileged_port_start) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;
	pcb->uid = sock_i_uid(sk);
	pcb->laddr_bcast = bcast;
	if (port) {
		if (!teach_pcb_try_port(port, &claim))
			return -EADDRINUSE;
	} else {
		teach_port_range(tn, &low, &high);
		offset = teach_pcb_port_offset(&t->key, addr, raddr, rport);
		ret = teach_port_search(low, high, offset,
					atomic_read(&t->next_ephemeral),
					teach_pcb_try_port, &claim, &tries);
		atomic_add(tries, &t->next_ephemeral);
		if (ret < 0)
			return ret;
	}
	atomic_inc(&t->count);
	return 0;
}

void teach_pcb_inherit(struct teach_pcb_table *t, struct teach_pcb *pcb,
		       __be32 laddr, u16 lport)
{
	struct teach_pcb_bucket *b = teach_pcb_bind_bucket(t, lport);

	spin_lock_bh(&b->lock);
	WRITE_ONCE(pcb->laddr, laddr);
	WRITE_ONCE(pcb->lport, lport);
	hlist_nulls_add_head_rcu(&pcb->bind_node, &b->head);
	b->count++;
	spin_unlock_bh(&b->lock);
	atomic_inc(&t->count);
}

static void teach_pcb_conn_del(struct teach_pcb_table *t,
			       struct teach_pcb *pcb)
{
	struct teach_pcb_bucket *b;

	if (!pcb->connected)
		return;
	b = teach_pcb_conn_bucket(t, pcb->laddr, pcb->lport, pcb->raddr,
				  pcb->rport);
	spin_lock_bh(&b->lock);
	hlist_nulls_del_init_rcu(&pcb->conn_node);
	b->count--;
	spin_unlock_bh(&b->lock);
	pcb->connected = false;
}

static struct teach_pcb_bucket *teach_pcb_listen_bucket(struct teach_pcb_table *t,
							u16 port)
{
	return &t->listen[teach_pcb_port_hash(&t->key, port) & t->mask];
}

void teach_pcb_listen(struct teach_pcb_table *t, struct teach_pcb *pcb)
{
	struct teach_pcb_bucket *b = teach_pcb_listen_bucket(t, pcb->lport);

	if (pcb->listening)
		return;
	spin_lock_bh(&b->lock);
	hlist_nulls_add_head_rcu(&pcb->listen_node, &b->head);
	b->count++;
	spin_unlock_bh(&b->lock);
	pcb->listening = true;
}

void teach_pcb_unlisten(struct teach_pcb_table *t, struct teach_pcb *pcb)
{
	struct teach_pcb_bucket *b;

	if (!pcb->listening)
		return;
	b = teach_pcb_listen_bucket(t, pcb->lport);
	spin_lock_bh(&b->lock);
	hlist_nulls_del_init_rcu(&pcb->listen_node);
	b->count--;
	spin_unlock_bh(&b->lock);
	pcb->listening = false;
}

void teach_pcb_unbind(struct teach_pcb_table *t, struct teach_pcb *pcb)
{
	struct teach_pcb_bucket *b;

	if (!pcb->lport)
		return;
	teach_pcb_unlisten(t, pcb);
	teach_pcb_conn_del(t, pcb);
	b = teach_pcb_bind_bucket(t, pcb->lport);
	spin_lock_bh(&b->lock);
	hlist_nulls_del_init_rcu(&pcb->bind_node);
	b->count--;
	spin_unlock_bh(&b->lock);
	WRITE_ONCE(pcb->lport, 0);
	atomic_dec(&t->count);
}

void teach_pcb_connect(struct teach_pcb_table *t, struct teach_pcb *pcb,
		       __be32 laddr, __be32 raddr, u16 rport)
{
	struct teach_pcb_bucket *b;

	teach_pcb_conn_del(t, pcb);
	/* The bind bucket is the port's: only the fields change. */
	b = teach_pcb_bind_bucket(t, pcb->lport);
	spin_lock_bh(&b->lock);
	WRITE_ONCE(pcb->laddr, laddr);
	WRITE_ONCE(pcb->raddr, raddr);
	WRITE_ONCE(pcb->rport, rport);
	spin_unlock_bh(&b->lock);

	b = teach_pcb_conn_bucket(t, laddr, pcb->lport, raddr, rport);
	spin_lock_bh(&b->lock);
	hlist_nulls_add_head_rcu(&pcb->conn_node, &b->head);
	b->count++;
	spin_unlock_bh(&b->lock);
	pcb->connected = true;
}

/*
 * As teach_pcb_connect(), but only if no other socket of the table has
 * the same four-tuple: -EADDRNOTAVAIL then, and pcb is left unconnected.
 * The check and the insertion are one under the connected bucket's lock.
 */
int teach_pcb_connect_unique(struct teach_pcb_table *t, struct teach_pcb *pcb,
			     __be32 laddr, __be32 raddr, u16 rport)
{
	struct teach_pcb_bucket *cb, *bb;
	const struct hlist_nulls_node *node;
	const struct teach_pcb *pcb2;
	u16 lport = pcb->lport;

	teach_pcb_conn_del(t, pcb);
	cb = teach_pcb_conn_bucket(t, laddr, lport, raddr, rport);
	spin_lock_bh(&cb->lock);
	hlist_nulls_for_each_entry(pcb2, node, &cb->head, conn_node) {
		if (pcb2 != pcb && pcb2->lport == lport &&
		    pcb2->laddr == laddr && pcb2->raddr == raddr &&
		    pcb2->rport == rport) {
			spin_unlock_bh(&cb->lock);
			return -EADDRNOTAVAIL;
		}
	}
	/* the only place a bucket's lock is taken inside another's */
	bb = teach_pcb_bind_bucket(t, lport);
	spin_lock_nested(&bb->lock, SINGLE_DEPTH_NESTING);
	WRITE_ONCE(pcb->laddr, laddr);
	WRITE_ONCE(pcb->raddr, raddr);
	WRITE_ONCE(pcb->rport, rport);
	spin_unlock(&bb->lock);
	hlist_nulls_add_head_rcu(&pcb->conn_node, &cb->head);
	cb->count++;
	spin_unlock_bh(&cb->lock);
	pcb->connected = true;
	return 0;
}

void teach_pcb_disconnect(struct teach_pcb_table *t, struct teach_pcb *pcb)
{
	struct teach_pcb_bucket *b;

	teach_pcb_conn_del(t, pcb);
	if (!pcb->lport) {
		WRITE_ONCE(pcb->raddr, 0);
		WRITE_ONCE(pcb->rport, 0);
		return;
	}
	b = teach_pcb_bind_bucket(t, pcb->lport);
	spin_lock_bh(&b->lock);
	WRITE_ONCE(pcb->raddr, 0);
	WRITE_ONCE(pcb->rport, 0);
	if (!pcb->addr_locked)
		WRITE_ONCE(pcb->laddr, 0);
	spin_unlock_bh(&b->lock);
}

bool teach_pcb_match(const struct teach_pcb *pcb, __be32 saddr, u16 sport,
		     __be32 daddr, int ifindex)
{
	__be32 laddr = READ_ONCE(pcb->laddr), raddr = READ_ONCE(pcb->raddr);
	int dev = READ_ONCE(pcb->sk->sk_bound_dev_if);

	return (!laddr || laddr == daddr) &&
	       (!raddr || (raddr == saddr && READ_ONCE(pcb->rport) == sport)) &&
	       (!dev || dev == ifindex);
}

/* How well an unconnected socket fits: higher is better, 0 not at all. */
static int teach_pcb_score(const struct teach_pcb *pcb, __be32 daddr,
			   u16 dport, int ifindex)
{
	__be32 laddr = READ_ONCE(pcb->laddr);
	int dev = READ_ONCE(pcb->sk->sk_bound_dev_if);

	if (READ_ONCE(pcb->lport) != dport || READ_ONCE(pcb->raddr))
		return 0;
	if (laddr && laddr != daddr)
		return 0;
	if (dev && dev != ifindex)
		return 0;
	return 1 + (laddr ? 2 : 0) + (dev ? 1 : 0);
}

struct teach_pcb *teach_pcb_lookup_connected(struct teach_pcb_table *t,
					     __be32 saddr, u16 sport,
					     __be32 daddr, u16 dport,
					     int ifindex)
{
	unsigned int slot = teach_pcb_tuple_hash(&t->key, daddr, dport, saddr,
						 sport) & t->mask;
	struct hlist_nulls_node *node;
	struct teach_pcb *pcb;

begin:
	hlist_nulls_for_each_entry_rcu(pcb, node, &t->conn[slot].head,
				       conn_node) {
		if (READ_ONCE(pcb->lport) == dport &&
		    READ_ONCE(pcb->laddr) == daddr &&
		    READ_ONCE(pcb->raddr) == saddr &&
		    READ_ONCE(pcb->rport) == sport &&
		    teach_pcb_match(pcb, saddr, sport, daddr, ifindex))
			return pcb;
	}
	/* ended in another chain: the socket we stood on moved */
	if (get_nulls_value(node) != slot)
		goto begin;
	return NULL;
}

/*
 * A bucket of the bind or the listener table, walked under RCU: *end is
 * left at the marker that ended the chain.
 */
static struct teach_pcb *teach_pcb_entry(struct hlist_nulls_node *n,
					 bool listen,
					 struct hlist_nulls_node **end)
{
	if (is_a_nulls(n)) {
		*end = n;
		return NULL;
	}
	return listen ? hlist_nulls_entry(n, struct teach_pcb, listen_node) :
			hlist_nulls_entry(n, struct teach_pcb, bind_node);
}

static struct teach_pcb *teach_pcb_first(struct teach_pcb_bucket *b,
					 bool listen,
					 struct hlist_nulls_node **end)
{
	return teach_pcb_entry(rcu_dereference(hlist_nulls_first_rcu(&b->head)),
			       listen, end);
}

static struct teach_pcb *teach_pcb_next(struct teach_pcb *pcb, bool listen,
					struct hlist_nulls_node **end)
{
	return teach_pcb_entry(rcu_dereference(hlist_nulls_next_rcu(listen ?
				&pcb->listen_node : &pcb->bind_node)),
			       listen, end);
}

/*
 * The best of the unconnected sockets of a bucket (a specific address
 * beats any, a bound device beats none); among equal SO_REUSEPORT
 * sockets, the one the 4-tuple hashes to.
 */
static struct teach_pcb *teach_pcb_best(struct teach_pcb_table *t,
					struct teach_pcb_bucket *b, bool listen,
					__be32 saddr, u16 sport, __be32 daddr,
					u16 dport, int ifindex)
{
	unsigned long slot = b - (listen ? t->listen : t->bind);
	struct teach_pcb *pcb, *best;
	struct hlist_nulls_node *end;
	unsigned int n, pick;
	int score, best_score;

begin:
	best = NULL;
	best_score = 0;
	n = 0;
	for (pcb = teach_pcb_first(b, listen, &end); pcb;
	     pcb = teach_pcb_next(pcb, listen, &end)) {
		score = teach_pcb_score(pcb, daddr, dport, ifindex);
		if (!score || score < best_score)
			continue;
		if (score > best_score) {
			best = pcb;
			best_score = score;
			n = 0;
		}
		if (pcb->sk->sk_reuseport)
			n++;
	}
	/* ended in another chain: the socket we stood on moved */
	if (get_nulls_value(end) != slot)
		goto begin;
	if (!best || !best->sk->sk_reuseport || n < 2)
		return best;

	/* A REUSEPORT group: the 4-tuple picks one, the same one each time. */
	pick = reciprocal_scale(teach_pcb_tuple_hash(&t->key, daddr, dport,
						     saddr, sport), n);
	for (pcb = teach_pcb_first(b, listen, &end); pcb;
	     pcb = teach_pcb_next(pcb, listen, &end)) {
		if (teach_pcb_score(pcb, daddr, dport, ifindex) != best_score ||
		    !pcb->sk->sk_reuseport)
			continue;
		if (!pick--)
			return pcb;
	}
	/* the bucket changed under us; any member will do */
	return best;
}

struct teach_pcb *teach_pcb_lookup(struct teach_pcb_table *t, __be32 saddr,
				   u16 sport, __be32 daddr, u16 dport,
				   int ifindex)
{
	struct teach_pcb *pcb;

	pcb = teach_pcb_lookup_connected(t, saddr, sport, daddr, dport,
					 ifindex);
	if (pcb)
		return pcb;
	return teach_pcb_best(t, teach_pcb_bind_bucket(t, dport), false,
			      saddr, sport, daddr, dport, ifindex);
}

struct teach_pcb *teach_pcb_lookup_listener(struct teach_pcb_table *t,
					    __be32 saddr, u16 sport,
					    __be32 daddr, u16 dport,
					    int ifindex)
{
	return teach_pcb_best(t, teach_pcb_listen_bucket(t, dport), true,
			      saddr, sport, daddr, dport, ifindex);
}

int teach_pcb_walk(struct teach_pcb_table *t,
		   int (*fn)(struct teach_pcb *pcb, void *arg), void *arg,
		   unsigned long pos[2])
{
	struct hlist_nulls_node *node;
	struct teach_pcb *pcb;
	unsigned long i;
	int ret;

	/* A dump is a snapshot of a moving table: a diverted walk goes on. */
	for (; pos[0] <= t->mask; pos[0]++, pos[1] = 0) {
		i = 0;
		rcu_read_lock();
		hlist_nulls_for_each_entry_rcu(pcb, node, &t->bind[pos[0]].head,
					       bind_node) {
			if (i++ < pos[1])
				continue;
			ret = fn(pcb, arg);
			if (ret) {
				rcu_read_unlock();
				pos[1] = i - 1;
				return ret;
			}
		}
		rcu_read_unlock();
	}
	return 0;
}

void teach_pcb_dev_gone(struct teach_pcb_table *t, int ifindex)
{
	struct hlist_nulls_node *node;
	struct teach_pcb *pcb;
	unsigned int i;

	for (i = 0; i <= t->mask; i++) {
		spin_lock_bh(&t->bind[i].lock);
		hlist_nulls_for_each_entry(pcb, node, &t->bind[i].head,
					   bind_node) {
			if (READ_ONCE(pcb->sk->sk_bound_dev_if) != ifindex)
				continue;
			WRITE_ONCE(pcb->sk->sk_err, ENODEV);
			sk_error_report(pcb->sk);
		}
		spin_unlock_bh(&t->bind[i].lock);
	}
}

/* RCU: the first socket from it->bucket on */
static struct teach_pcb *teach_pcb_seq_first(struct teach_pcb_iter *it)
{
	struct hlist_nulls_node *node;

	for (; it->bucket <= it->t->mask; it->bucket++) {
		node = rcu_dereference(hlist_nulls_first_rcu(&it->t->bind[it->bucket].head));
		if (!is_a_nulls(node))
			return hlist_nulls_entry(node, struct teach_pcb,
						 bind_node);
	}
	return NULL;
}

/* RCU: the socket after pcb; a chain diverted by a move ends the bucket */
static struct teach_pcb *teach_pcb_seq_after(struct teach_pcb_iter *it,
					     struct teach_pcb *pcb)
{
	struct hlist_nulls_node *node;

	node = rcu_dereference(hlist_nulls_next_rcu(&pcb->bind_node));
	if (!is_a_nulls(node))
		return hlist_nulls_entry(node, struct teach_pcb, bind_node);
	it->bucket++;
	return teach_pcb_seq_first(it);
}

void *teach_pcb_seq_start(struct seq_file *seq, loff_t *pos,
			  struct teach_pcb_table *t)
	__acquires(RCU)
{
	struct teach_pcb_iter *it = seq->private;
	struct teach_pcb *pcb;
	loff_t n = *pos;

	rcu_read_lock();
	it->t = t;
	if (!n)
		return SEQ_START_TOKEN;
	it->bucket = 0;
	pcb = teach_pcb_seq_first(it);
	while (pcb && --n)
		pcb = teach_pcb_seq_after(it, pcb);
	return pcb;
}

void *teach_pcb_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct teach_pcb_iter *it = seq->private;

	++*pos;
	if (v == SEQ_START_TOKEN) {
		it->bucket = 0;
		return teach_pcb_seq_first(it);
	}
	return teach_pcb_seq_after(it, v);
}

void teach_pcb_seq_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}
