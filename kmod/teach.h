/* SPDX-License-Identifier: GPL-2.0 */
/*
 * teach: internal declarations shared by the module's files.
 *
 * Locking: configuration (addresses, routes, neighbours set by netlink, the
 * netdevice notifier) changes under RTNL, as IPv4's does; the packet path
 * reads it under RCU.  Counters are per CPU.
 */
#ifndef _TEACH_H
#define _TEACH_H

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rbtree.h>
#include <linux/rculist_nulls.h>
#include <linux/rhashtable.h>
#include <linux/seq_file_net.h>
#include <linux/seqlock.h>
#include <linux/siphash.h>
#include <linux/xarray.h>
#include <net/checksum.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/teach.h>

#include "teach_hooks.h"

struct netlink_ext_ack;
struct sk_buff;

/* Counters of one namespace, per CPU; summed when read. */
struct teach_mib_stats {
	u64 mibs[__TEACH_MIB_MAX];
};

struct teach_cong_ops;		/* stream.h */
/* Keepalive bounds, as Linux's TCP_KEEPIDLE/INTVL (seconds) and TCP_KEEPCNT */
#define TEACH_KEEPALIVE_S_MAX		32767
#define TEACH_KEEPALIVE_PROBES_MAX	127

/* net.teach.* sysctls of one namespace (sysctl.c has ranges and defaults). */
struct teach_sysctl {
	int default_ttl;		/* 1..255 */
	int neigh_retrans_ms;		/* between resolution requests */
	int neigh_max_probes;		/* requests before FAILED */
	int neigh_reachable_ms;		/* REACHABLE -> STALE after this */
	int neigh_gc_stale_s;		/* unused STALE/FAILED entries freed after */
	int neigh_queue_len;		/* packets held per unresolved entry */
	int ctrl_rate;			/* error replies per second, 0 = no limit */
	int ctrl_burst;			/* error replies allowed in a burst */
	int ctrl_echo_ignore_all;	/* 1: do not answer echo requests */
	int ctrl_echo_ignore_bcast;	/* 1: ignore echo requests to broadcast */
	int forwarding;			/* 1: route packets not addressed to us */
	int pmtu_expires_s;		/* a learned path MTU is forgotten after */
	int min_pmtu;			/* smallest path MTU believed */
	int reasm_high_thresh;		/* bytes: over this, evict reassemblies */
	int reasm_low_thresh;		/* ... down to this */
	int reasm_timeout_ms;		/* an incomplete packet is dropped after */
	int local_port_range[2];	/* ephemeral ports, under port_range_lock */
	int unprivileged_port_start;	/* lower ports need CAP_NET_BIND_SERVICE */
	/* the stream transport (Documentation/stream.rst) */
	int stream_syn_retries;		/* SYN retransmissions before ETIMEDOUT */
	int stream_synack_retries;	/* SYN-ACK retransmissions of a listener */
	int stream_retries;		/* data retransmissions before ETIMEDOUT */
	int stream_rto_min_ms;		/* RFC 6298 lower bound of the RTO */
	int stream_rto_max_ms;		/* ... and upper bound */
	int stream_rto_initial_ms;	/* before the first RTT sample */
	int stream_delack_ms;		/* the longest an ACK waits */
	int stream_msl_ms;		/* maximum segment lifetime; TIME_WAIT is 2 MSL */
	int stream_fin_timeout_ms;	/* an orphan's FIN_WAIT2 ends after */
	int stream_max_tw;		/* sockets in TIME_WAIT at once */
	int stream_window_scaling;	/* offer RFC 7323 window scaling */
	int stream_timestamps;		/* offer RFC 7323 timestamps */
	int stream_sack;		/* offer RFC 2018 selective ACKs */
	/* stream_congestion_control: what new sockets run (stream_cong.c) */
	const struct teach_cong_ops *stream_cong;
	int stream_keepalive_time;	/* s idle before the first keepalive probe */
	int stream_keepalive_intvl;	/* s between unanswered probes */
	int stream_keepalive_probes;	/* unanswered probes before ETIMEDOUT */
	int offload;			/* checksum offload and GSO (gso.c) */
	int stream_rmem_max;		/* auto-tuning bounds (stream_buf.c) */
	int stream_wmem_max;
	int stream_challenge_ack_limit;	/* RFC 5961 challenge ACKs a second */
};

struct teach_frags;		/* reasm.c */
struct teach_rt_cache;		/* route_cache.c */
struct teach_pmtu_table;	/* pmtu.c */
struct teach_hook_entries;	/* below, hook_list.c */

/*
 * hashtables.c: the protocol control blocks (PCBs) of one transport, as
 * the seed notes draw them: local address and port, peer address and port.
 * Every bound socket is in the bind table (by local port); a connected one
 * is in the connected table (by the 4-tuple) as well, and a listening one
 * in the listener table (by local port).  Lookups run under RCU; writers
 * take the bucket's lock.
 */
struct teach_pcb_bucket {
	spinlock_t lock;		/* writers of head */
	struct hlist_nulls_head head;	/* struct teach_pcb, RCU; nulls = index */
	unsigned int count;
};

struct teach_pcb_table {
	struct teach_pcb_bucket *bind;	/* by local port */
	struct teach_pcb_bucket *conn;	/* by (local, peer) address and port */
	struct teach_pcb_bucket *listen; /* listeners by local port; streams */
	unsigned int mask;		/* buckets - 1, in each table */
	siphash_key_t key;		/* per namespace, random */
	atomic_t next_ephemeral;	/* RFC 6056 algorithm 3's counter */
	atomic_t count;			/* bound sockets */
};

/* A routing table (fib.c): RCU lookups, writers serialised by RTNL. */
struct teach_fib {
	struct rhashtable nodes;	/* struct teach_fib_node by prefix */
	DECLARE_BITMAP(plens, 33);	/* prefix lengths present */
	unsigned int plen_count[33];
	struct list_head all;		/* every route, insertion order */
	unsigned int count;
};

/* Per-network-namespace state, reached through net_generic(). */
struct teach_net {
	struct net *net;
	struct teach_mib_stats __percpu *mib;
	struct teach_sysctl sysctl;
	struct ctl_table_header *sysctl_hdr;
	struct proc_dir_entry *proc_dir;

	struct xarray devs;		/* ifindex -> struct teach_dev, RCU */
	atomic_t addr_seq;		/* bumped on every address change */

	struct teach_fib fib;		/* the routing table */
	atomic_t route_seq;
	atomic_t rt_genid;		/* bumped when cached routes go stale */
	int walk_seq;			/* where the last dump stopped */
	unsigned long walk_pos;
	struct teach_route *walk_next;

	struct rhashtable neighs;	/* struct teach_neigh by (ifindex, addr) */
	spinlock_t neigh_lock;		/* writers of neighs and neigh_list */
	struct list_head neigh_list;	/* every entry, for walks */
	atomic_t neigh_seq;
	unsigned int neigh_count;

	spinlock_t ctrl_lock;		/* token bucket of error replies */
	u32 ctrl_tokens;
	unsigned long ctrl_stamp;

	struct teach_pcb_table dgram_pcbs; /* datagram sockets */
	struct teach_pcb_table stream_pcbs; /* stream sockets */
	siphash_key_t stream_isn_key;	/* RFC 6528's secret, per namespace */
	atomic_t stream_tw_count;	/* sockets in TIME_WAIT */
	/* RFC 5961 7: this second (jiffies / HZ) and its challenge ACKs left */
	u32 stream_challenge_stamp;
	u32 stream_challenge_count;
	seqlock_t port_range_lock;	/* sysctl.local_port_range */

	spinlock_t raw_lock;		/* writers of raw_socks */
	struct hlist_head raw_socks;	/* RCU */
	atomic_t ip_id;			/* identification of sent packets */

	struct teach_frags *frags;	/* reassembly queues */
	struct teach_pmtu_table *pmtu;	/* learned path MTUs */
	/* packet hooks by point, RCU; NULL when none is registered */
	struct teach_hook_entries __rcu *hooks[5];
};

extern unsigned int teach_net_id;
extern int teach_family;

static inline struct teach_net *teach_pernet(const struct net *net)
{
	return net_generic(net, teach_net_id);
}

#define TEACH_INC_STATS(tn, field)	this_cpu_inc((tn)->mib->mibs[field])
#define TEACH_ADD_STATS(tn, field, n)	this_cpu_add((tn)->mib->mibs[field], n)

u64 teach_mib_read(const struct teach_net *tn, int field);

/* ---- devices.c: teach's state on a net_device ---- */

struct teach_ifaddr {
	struct list_head list;		/* in teach_dev.addrs, RCU */
	struct teach_dev *tdev;
	__be32 addr;
	__be32 mask;
	__be32 bcast;			/* directed broadcast of the prefix */
	u8 prefixlen;
	struct rcu_head rcu;
};

struct teach_dev {
	struct net_device *dev;		/* held while teach_dev lives */
	struct list_head addrs;		/* struct teach_ifaddr, RCU */
	int forwarding;			/* net.teach.conf.<dev>.forwarding */
	struct ctl_table_header *sysctl;
	struct rcu_head rcu;
};

/* RCU or RTNL */
struct teach_dev *teach_dev_get(struct net *net, int ifindex);

static inline struct teach_dev *teach_dev_from(const struct net_device *dev)
{
	return teach_dev_get(dev_net(dev), dev->ifindex);
}

int teach_devices_init(void);
void teach_devices_exit(void);
int teach_devices_net_init(struct net *net);
void teach_devices_net_exit(struct net *net);

/* ---- addr.c: addresses (RTNL for changes) ---- */

int teach_addr_add(struct net *net, int ifindex, __be32 addr, u8 plen,
		   struct netlink_ext_ack *extack);
int teach_addr_del(struct net *net, int ifindex, __be32 addr, int plen,
		   struct netlink_ext_ack *extack);
void teach_addr_flush_dev(struct teach_dev *tdev);
/* RCU: is addr one of ours (on any device of net)? */
bool teach_addr_is_local(struct net *net, __be32 addr);
/* RCU: a source address on dev to talk to dst, or 0 */
__be32 teach_addr_select(struct teach_dev *tdev, __be32 dst);
/* RCU: is addr one of tdev's addresses? */
bool teach_addr_on_dev(struct teach_dev *tdev, __be32 addr);
/* RCU: is addr inside the prefix of one of tdev's addresses? */
bool teach_addr_on_link(struct teach_dev *tdev, __be32 addr);
/* RCU: is addr a directed broadcast of a prefix on tdev? */
bool teach_addr_is_bcast(struct teach_dev *tdev, __be32 addr);

/* ---- route.c: the routing table, longest-prefix match ---- */

struct teach_route {
	struct list_head list;		/* in teach_fib_node.routes, by metric */
	struct list_head all;		/* in teach_fib.all */
	__be32 dst;
	u8 plen;
	u8 type;			/* enum teach_route_type */
	u8 proto;			/* enum teach_route_proto */
	u32 metric;
	__be32 gateway;			/* 0: directly connected */
	__be32 prefsrc;
	struct net_device *dev;		/* held; NULL for blackhole etc. */
	struct rcu_head rcu;
};

struct teach_route_spec {
	__be32 dst;
	u8 plen;
	u8 type;
	u8 proto;
	u32 metric;
	__be32 gateway;
	__be32 prefsrc;
	int ifindex;
};

/* fib.c: the table itself, without policy (tested by KUnit) */
__be32 teach_plen_mask(unsigned int plen);
int teach_fib_init(struct teach_fib *fib);
void teach_fib_destroy(struct teach_fib *fib,
		       void (*free_route)(struct teach_route *rt));
struct teach_route *teach_fib_lookup(struct teach_fib *fib, __be32 daddr);
struct teach_route *teach_fib_find(struct teach_fib *fib, __be32 dst, u8 plen,
				   bool (*match)(const struct teach_route *rt,
						 const void *arg),
				   const void *arg);
int teach_fib_insert(struct teach_fib *fib, struct teach_route *rt);
void teach_fib_replace(struct teach_fib *fib, struct teach_route *old,
		       struct teach_route *rt);
void teach_fib_remove(struct teach_fib *fib, struct teach_route *rt);

/* route.c: the namespace's table, with devices and notifications */
int teach_route_init_net(struct teach_net *tn);
void teach_route_exit_net(struct teach_net *tn);
int teach_route_add(struct net *net, const struct teach_route_spec *rs,
		    bool replace, struct netlink_ext_ack *extack);
int teach_route_del(struct net *net, const struct teach_route_spec *rs,
		    struct netlink_ext_ack *extack);
void teach_route_flush_dev(struct net *net, struct net_device *dev);
/* RCU: the best route to daddr, or NULL */
struct teach_route *teach_route_lookup(struct net *net, __be32 daddr);
/*
 * RTNL: call fn for each route from position *pos on; when fn returns
 * non-zero, stop and leave *pos at that route so that a dump can resume.
 */
int teach_route_walk(struct net *net,
		     int (*fn)(const struct teach_route *rt, void *arg),
		     void *arg, unsigned long *pos);

/* RCU or RTNL: bump when routes, addresses, devices or path MTUs change */
static inline void teach_rt_genid_bump(struct net *net)
{
	atomic_inc(&teach_pernet(net)->rt_genid);
}

/* ---- output.c ---- */

/* What a packet to send looks like: filled in by the sender. */
struct teach_flow {
	__be32 daddr;
	__be32 saddr;			/* 0: choose (filled in by the lookup) */
	int oif;			/* 0: any */
	u8 tos;
	u8 ttl;				/* 0: sysctl default */
	u8 protocol;
	u8 pmtudisc;			/* TEACH_PMTUDISC_*; 0 is DONT */
	bool bcast_ok;			/* SO_BROADCAST */
	/* set by the output path: the device takes offloads (gso.c) */
	bool offload;
	/*
	 * Optional: called on the payload (transport header at skb->data)
	 * once the route lookup has chosen fl->saddr, before the network
	 * header goes on; transports finish their checksums here.
	 */
	void (*finish)(struct sk_buff *skb, const struct teach_flow *fl);
};

/* Where it goes: the result of a route lookup for a flow. */
struct teach_rt_result {
	struct net_device *dev;		/* RCU: valid until rcu_read_unlock() */
	__be32 nexthop;			/* gateway, or the destination itself */
	u8 type;			/* enum teach_route_type */
	unsigned int mtu;		/* device MTU, lowered by a learned path MTU */
};

/*
 * The output path keeps its decisions in skb->cb between the hook points,
 * as IPCB does for IPv4.  Reassembly has its own cb (reasm.c) on input.
 */
struct teach_skb_cb {
	__be32 nexthop;
	unsigned int mtu;
	u8 rtype;
	u8 local;			/* sent by this host, not forwarded */
};

#define TEACH_CB(skb) ((struct teach_skb_cb *)(skb)->cb)

/* RCU: look up the route for fl; fills fl->saddr if it was 0. */
int teach_route_output(struct net *net, struct teach_flow *fl,
		       struct teach_rt_result *res);
/* Local out: route, header, hooks, fragmentation, device.  Consumes skb. */
int teach_output(struct net *net, struct sk_buff *skb, struct teach_flow *fl);
/* The same through a socket's route cache (c may be NULL) */
int teach_output_cached(struct net *net, struct sk_buff *skb,
			struct teach_flow *fl, struct teach_rt_cache *c);
/* RCU: as teach_output() for a routed flow whose header is built */
int teach_output_routed(struct net *net, struct sk_buff *skb,
			const struct teach_rt_result *res);
/* RCU: after the post-routing hook, fragment if needed and transmit */
int teach_output_finish(struct net *net, struct sk_buff *skb);
/* RCU: one packet that fits the MTU to the device or neighbour layer */
int teach_xmit(struct net *net, struct sk_buff *skb);
void teach_build_header(struct sk_buff *skb, const struct teach_flow *fl,
			bool df, struct teach_net *tn);
/* the skb priority (tc band) of a class byte, as rt_tos2priority() */
u32 teach_tos2prio(u8 tos);

/* ---- route_cache.c: a socket's last route, valid until rt_genid moves ---- */

struct teach_rt_cache {
	spinlock_t lock;		/* senders on one socket share it */
	int genid;			/* tn->rt_genid when filled, 0: empty */
	__be32 daddr;
	__be32 req_saddr;		/* what the flow asked for */
	int oif;
	bool bcast_ok;
	__be32 saddr;			/* what the lookup chose */
	int ifindex;
	__be32 nexthop;
	u8 type;
};

void teach_rt_cache_init(struct teach_rt_cache *c);
/* forget the cached route (connect, disconnect, bind to a device) */
void teach_rt_cache_reset(struct teach_rt_cache *c);
/* RCU: teach_route_output() through the cache */
int teach_route_output_cached(struct net *net, struct teach_rt_cache *c,
			      struct teach_flow *fl,
			      struct teach_rt_result *res);

/* ---- forward.c: routing packets not addressed to this host ---- */

/* RCU: skb arrived on its skb->dev, is not ours; rt is its route or NULL */
int teach_forward(struct sk_buff *skb, const struct teach_route *rt);

/* gso.c: checksum offload and GSO on veth and loopback */
bool teach_offload_ok(struct net *net, const struct net_device *dev);
bool teach_gso_valid(const struct sk_buff *skb);
bool teach_gso_rx_ok(struct sk_buff *skb, unsigned int hlen);
unsigned int teach_gso_seglen(const struct sk_buff *skb);
struct sk_buff *teach_gso_cut(struct sk_buff *skb, unsigned int maclen);
int teach_csum_finish(struct sk_buff *skb);
void teach_gso_init(void);
void teach_gso_exit(void);
int teach_dev_sysctl_register(struct teach_dev *tdev);
void teach_dev_sysctl_unregister(struct teach_dev *tdev);

/* ---- frag.c: fragmentation ---- */

/*
 * RCU: split skb (network header at skb->data, TEACH_CB filled) into
 * fragments of at most mtu bytes and pass each to output.  Consumes skb;
 * counts FragOKs, FragCreates, FragFails.
 */
int teach_fragment(struct net *net, struct sk_buff *skb, unsigned int mtu,
		   int (*output)(struct net *net, struct sk_buff *skb));

/* ---- frag_queue.c: the fragments of one packet (tested by KUnit) ---- */

/* Where a fragment's payload lies, while it waits in a queue. */
struct teach_frag_cb {
	unsigned int offset;		/* of the payload in the whole packet */
	unsigned int len;		/* payload bytes */
	unsigned int hlen;		/* header bytes in front of them */
};

#define TEACH_FRAG_CB(skb) ((struct teach_frag_cb *)(skb)->cb)

#define TEACH_FRAGQ_FIRST_IN	0x1	/* offset 0 is here */
#define TEACH_FRAGQ_LAST_IN	0x2	/* the one without MF is here */

struct teach_fragq {
	struct rb_root root;		/* skbs by TEACH_FRAG_CB()->offset */
	unsigned int len;		/* payload of the packet, once LAST_IN */
	unsigned int max_end;		/* highest payload end seen */
	unsigned int meat;		/* payload bytes held */
	unsigned int truesize;		/* memory of the skbs held */
	unsigned int nfrags;
	u8 flags;
};

/* what teach_fragq_insert() did with the fragment */
enum {
	TEACH_FRAGQ_QUEUED,		/* kept */
	TEACH_FRAGQ_DUP,		/* inside one held: not kept */
	TEACH_FRAGQ_OVERLAP,		/* overlaps another: give up the packet */
	TEACH_FRAGQ_BAD,		/* beyond or against the end: give up */
};

void teach_fragq_init(struct teach_fragq *q);
/* Keep skb (QUEUED) or say why not; skb is not freed either way. */
int teach_fragq_insert(struct teach_fragq *q, struct sk_buff *skb,
		       unsigned int offset, unsigned int len, unsigned int hlen,
		       bool last);
bool teach_fragq_complete(const struct teach_fragq *q);
/* the fragment at offset 0, or the lowest one held; NULL when empty */
struct sk_buff *teach_fragq_first(const struct teach_fragq *q);
/*
 * Take the lowest fragment out of q (to quote it in an error, say); the
 * tree no longer uses its list pointers and device then.
 */
struct sk_buff *teach_fragq_pop_first(struct teach_fragq *q);
/*
 * The whole packet, header rewritten, the other fragments on its
 * frag_list; q is left empty.  NULL, with q untouched, if it is not
 * complete or memory ran out.  The caller sets skb->dev: the tree used
 * its place.
 */
struct sk_buff *teach_fragq_join(struct teach_fragq *q);
/* free every fragment held */
void teach_fragq_purge(struct teach_fragq *q);
/* payload bytes per fragment for this MTU and header: a multiple of 8 */
unsigned int teach_frag_size(unsigned int mtu, unsigned int hlen);

/* ---- reasm.c: reassembly ---- */

int teach_frags_init_net(struct teach_net *tn);
void teach_frags_exit_net(struct teach_net *tn);
/*
 * RCU: take a fragment addressed to this host (network header at
 * skb->data, validated).  Returns the whole packet when this fragment
 * completed it, else NULL (skb kept or dropped and counted).
 */
struct sk_buff *teach_reasm(struct net *net, struct sk_buff *skb);
/* queues and bytes held, for /proc/net/teach/frag */
void teach_frags_usage(struct teach_net *tn, unsigned int *queues,
		       unsigned long *mem);

/* ---- pmtu.c: learned path MTUs ---- */

int teach_pmtu_init_net(struct teach_net *tn);
void teach_pmtu_exit_net(struct teach_net *tn);
/* RCU: the learned path MTU to daddr, 0 if none (or aged out) */
unsigned int teach_pmtu_get(struct net *net, __be32 daddr);
/* RCU: the same, and the seconds it has left in *expires_s */
unsigned int teach_pmtu_lookup(struct net *net, __be32 daddr,
			       unsigned int *expires_s);
/* RCU: a router said packets to daddr must fit mtu */
void teach_pmtu_update(struct net *net, __be32 daddr, unsigned int mtu);
/*
 * RCU: call fn for each live entry from *pos on, as teach_route_walk();
 * expires is in seconds from now.
 */
int teach_pmtu_walk(struct net *net,
		    int (*fn)(__be32 daddr, unsigned int mtu,
			      unsigned int expires, void *arg),
		    void *arg, unsigned long *pos);

/* ---- hook_list.c: the hooks of one point, in priority order ---- */

/* netfilter's limit too: nobody needs more, and it bounds the copies */
#define TEACH_HOOK_MAX_ENTRIES	1024

struct teach_hook_entry {
	teach_hookfn *hook;
	void *priv;
};

/*
 * Read by the packet path under RCU, never changed once published (but
 * see teach_hook_entries_del()).  The ops of each entry follow hooks[],
 * for the writers only.
 */
struct teach_hook_entries {
	struct rcu_head rcu;
	unsigned int num;
	struct teach_hook_entry hooks[];
};

/*
 * Writers, serialised by the caller.  Each returns the array to publish
 * instead of old, which it leaves as it is for readers (the caller frees
 * it after a grace period).  add: ERR_PTR -EINVAL, -EEXIST, -E2BIG or
 * -ENOMEM.  del: NULL when no hook is left, ERR_PTR(-ENOENT) when ops are
 * not in old, or old itself, whose entry now accepts everything, when
 * there was no memory for a smaller array.
 */
struct teach_hook_entries *
teach_hook_entries_add(const struct teach_hook_entries *old,
		       const struct teach_hook_ops *ops);
struct teach_hook_entries *
teach_hook_entries_del(struct teach_hook_entries *old,
		       const struct teach_hook_ops *ops);
/* Run e's hooks in order until one does not accept; its verdict. */
unsigned int teach_hook_entries_run(const struct teach_hook_entries *e,
				    struct sk_buff *skb,
				    const struct teach_hook_state *state);

/* ---- hooks.c: packet hooks (teach_hooks.h has the exported API) ---- */

int __teach_hook_slow(const struct teach_hook_entries *e, int point,
		      struct net *net, struct sk_buff *skb,
		      struct net_device *in, struct net_device *out,
		      int (*okfn)(struct net *net, struct sk_buff *skb));

/*
 * RCU: run the hooks of point on skb; if all accept, return okfn(net,
 * skb).  A drop frees skb, counts HookDrops and returns -EPERM; stolen
 * returns 0.  Inline so that a point without hooks costs one test.
 */
static inline int teach_hook(int point, struct net *net, struct sk_buff *skb,
			     struct net_device *in, struct net_device *out,
			     int (*okfn)(struct net *net, struct sk_buff *skb))
{
	const struct teach_hook_entries *e;

	e = rcu_dereference(teach_pernet(net)->hooks[point]);
	if (likely(!e))
		return okfn(net, skb);
	return __teach_hook_slow(e, point, net, skb, in, out, okfn);
}

void teach_hooks_exit_net(struct teach_net *tn);

/* dev_queue_xmit() with its positive NET_XMIT_* codes turned into errnos */
static inline int teach_dev_xmit(struct sk_buff *skb)
{
	int rc = dev_queue_xmit(skb);

	return rc > 0 ? net_xmit_errno(rc) : rc;
}

/* ---- neigh.c: address resolution ---- */

struct teach_neigh_info {
	int ifindex;
	__be32 addr;
	u8 lladdr[ETH_ALEN];
	u8 state;			/* enum teach_neigh_state */
	u32 probes;
	u32 age_ms;
	u32 qlen;
};

int teach_neigh_init_net(struct teach_net *tn);
void teach_neigh_exit_net(struct teach_net *tn);
/* Send skb (network header built) to nexthop on dev; consumes skb. */
int teach_neigh_output(struct net *net, struct sk_buff *skb,
		       struct net_device *dev, __be32 nexthop);
int teach_neigh_rcv(struct sk_buff *skb, struct net_device *dev);
void teach_neigh_announce(struct teach_dev *tdev, __be32 addr);
int teach_neigh_add(struct net *net, int ifindex, __be32 addr,
		    const u8 *lladdr, u8 state, bool replace,
		    struct netlink_ext_ack *extack);
int teach_neigh_del(struct net *net, int ifindex, __be32 addr,
		    struct netlink_ext_ack *extack);
/* ifindex 0: every device; permanent entries too when all is set */
void teach_neigh_flush(struct net *net, int ifindex, bool all);
/*
 * Call fn for each entry from position *pos on; stops early when fn
 * returns non-zero, leaving *pos at that entry so a dump can resume.
 */
int teach_neigh_walk(struct net *net, int ifindex,
		     int (*fn)(const struct teach_neigh_info *ni, void *arg),
		     void *arg, unsigned long *pos);

/* ---- input.c ---- */

void teach_input_init(void);
void teach_input_exit(void);
/* Hand a packet addressed to this host to its protocol (RCU). */
int teach_local_deliver(struct net *net, struct sk_buff *skb);

/* ---- ctrl.c: control messages ---- */

int teach_ctrl_rcv(struct sk_buff *skb);
/* Answer skb_in (a received packet) with an error; skb_in is not consumed. */
void teach_ctrl_send(struct sk_buff *skb_in, u8 type, u8 code, u32 info);
__sum16 teach_ctrl_csum(const void *data, int len);

/* ---- sockopt.c: what raw and datagram sockets share ---- */

/* The SOL_TEACH options of a socket (socket-api.rst). */
struct teach_sockopts {
	int ttl;			/* -1: net.teach.default_ttl */
	u8 tos;
	u8 pmtudisc;			/* TEACH_PMTUDISC_* */
	bool recverr;
	bool recvttl;
	bool recvtos;
	bool pktinfo;
};

void teach_sockopts_init(struct teach_sockopts *o);
/* TEACH_TTL, _TOS, _MTU_DISCOVER, _RECVERR, _RECVTTL, _RECVTOS, _PKTINFO */
int teach_sockopt_set(struct sock *sk, struct teach_sockopts *o, int optname,
		      int val);
int teach_sockopt_get(struct sock *sk, const struct teach_sockopts *o,
		      int optname, int *val);
/* getsockopt's copy-out of an int answer (len >= 0 already checked) */
int teach_sockopt_put_int(char __user *optval, int __user *optlen, int len,
			  int val);
/* The control messages the options ask for; network header still there. */
void teach_sockopt_cmsgs(struct msghdr *msg, const struct teach_sockopts *o,
			 const struct sk_buff *skb);
/* TEACH_MTU: the path MTU to daddr through c, or a negative errno */
int teach_sock_path_mtu(struct sock *sk, struct teach_rt_cache *c,
			__be32 daddr, __be32 saddr);
/* The errno a control message (type, code) means to a socket */
int teach_ctrl_errno(u8 type, u8 code);
/* MSG_ERRQUEUE: one queued error, with the TEACH_RECVERR control message */
int teach_sock_recv_error(struct sock *sk, struct msghdr *msg, size_t len);
/* sk_destruct of teach sockets: queued packets go with the socket */
void teach_sock_destruct(struct sock *sk);

/* ---- pcb_hash.c: the pure logic of the PCB tables (KUnit-tested) ---- */

struct teach_pcb;

/* bucket of a local port, of a 4-tuple (ports in host order) */
u32 teach_pcb_port_hash(const siphash_key_t *key, u16 lport);
u32 teach_pcb_tuple_hash(const siphash_key_t *key, __be32 laddr, u16 lport,
			 __be32 raddr, u16 rport);
/* RFC 6056 algorithm 3's F(): where the search for a peer starts */
u32 teach_pcb_port_offset(const siphash_key_t *key, __be32 laddr,
			  __be32 raddr, u16 rport);
/*
 * RFC 6056 algorithm 3: try low + (offset + next + i) % (high - low + 1)
 * for i = 0, 1, ... until try() takes a port; each port of the range is
 * tried once.  Returns the port, or -EADDRNOTAVAIL when every one was
 * refused; *tries says how many were tried (the caller's counter moves
 * on by that much).
 */
int teach_port_search(u16 low, u16 high, u32 offset, u32 next,
		      bool (*try)(u16 port, void *arg), void *arg,
		      u32 *tries);

/* The datagram checksum: 0 over a correct datagram when sum covers it all */
static inline __sum16 teach_dgram_csum(__be32 saddr, __be32 daddr, u32 len,
				       __wsum sum)
{
	return csum_tcpudp_magic(saddr, daddr, len, TEACHPROTO_DGRAM, sum);
}

/* ---- hashtables.c ---- */

struct teach_pcb {
	struct hlist_nulls_node bind_node;	/* bind table, by local port */
	struct hlist_nulls_node conn_node;	/* connected table, when connected */
	struct hlist_nulls_node listen_node;	/* listener table, when listening */
	struct sock *sk;
	__be32 laddr;			/* local address, 0 = any */
	__be32 raddr;			/* peer, 0 = not connected */
	u16 lport;			/* host order; 0 = not bound */
	u16 rport;
	kuid_t uid;			/* owner when bound, for REUSEPORT */
	bool laddr_bcast;		/* laddr is a broadcast address */
	bool addr_locked;		/* laddr came from bind(), not connect() */
	bool port_locked;		/* lport came from bind(), not autobind */
	bool connected;			/* in the connected table */
	bool listening;			/* in the listener table */
};

/* Module parameter pcb_hash_size: buckets of each table, a power of 2 */
extern unsigned int teach_pcb_hash_size;
int teach_pcb_hash_size_check(void);
int teach_pcb_table_init(struct teach_pcb_table *t, bool listeners);
void teach_pcb_table_destroy(struct teach_pcb_table *t);
/*
 * Socket locked.  Bind pcb to (addr, port): port 0 picks an ephemeral
 * port for a peer (raddr, rport) (0, 0 when unknown).  -EACCES for a
 * privileged port, -EADDRINUSE, -EADDRNOTAVAIL when no port is free.
 */
int teach_pcb_bind(struct teach_pcb_table *t, struct teach_pcb *pcb,
		   __be32 addr, bool bcast, u16 port, __be32 raddr, u16 rport);
void teach_pcb_unbind(struct teach_pcb_table *t, struct teach_pcb *pcb);
/* connect, unless another socket has the four-tuple: -EADDRNOTAVAIL */
int teach_pcb_connect_unique(struct teach_pcb_table *t, struct teach_pcb *pcb,
			     __be32 laddr, __be32 raddr, u16 rport);
/*
 * A stream listener's child takes the listener's port without the bind
 * rules (as TCP's __inet_inherit_port()); teach_pcb_connect() follows.
 */
void teach_pcb_inherit(struct teach_pcb_table *t, struct teach_pcb *pcb,
		       __be32 laddr, u16 lport);
/* Socket locked, pcb bound: enter or leave the connected table */
void teach_pcb_connect(struct teach_pcb_table *t, struct teach_pcb *pcb,
		       __be32 laddr, __be32 raddr, u16 rport);
void teach_pcb_disconnect(struct teach_pcb_table *t, struct teach_pcb *pcb);
/*
 * RCU: the socket for a packet from (saddr, sport) to (daddr, dport) that
 * arrived on ifindex: an exact connected match, else the best bound one
 * (a specific address beats any, a bound device beats none); among equal
 * SO_REUSEPORT sockets, the one the 4-tuple hashes to.
 */
struct teach_pcb *teach_pcb_lookup(struct teach_pcb_table *t, __be32 saddr,
				   u16 sport, __be32 daddr, u16 dport,
				   int ifindex);
/* RCU: only the exact connected match */
struct teach_pcb *teach_pcb_lookup_connected(struct teach_pcb_table *t,
					     __be32 saddr, u16 sport,
					     __be32 daddr, u16 dport,
					     int ifindex);
/*
 * RCU: the best listener for a connection request, chosen as
 * teach_pcb_lookup chooses among bound sockets.  Its own table keeps the
 * established connections that share the listener's port (they are all
 * in its bind bucket) out of the way: a SYN costs the same with none or
 * 100,000 of them.
 */
struct teach_pcb *teach_pcb_lookup_listener(struct teach_pcb_table *t,
					    __be32 saddr, u16 sport,
					    __be32 daddr, u16 dport,
					    int ifindex);
/* Socket locked, pcb bound: enter or leave the listener table */
void teach_pcb_listen(struct teach_pcb_table *t, struct teach_pcb *pcb);
void teach_pcb_unlisten(struct teach_pcb_table *t, struct teach_pcb *pcb);
/* The bind bucket of a port, for a walk over its sockets under its lock */
struct teach_pcb_bucket *teach_pcb_bind_bucket(struct teach_pcb_table *t,
					       u16 port);
/* Does pcb (bound) take a packet from (saddr, sport) to daddr on ifindex? */
bool teach_pcb_match(const struct teach_pcb *pcb, __be32 saddr, u16 sport,
		     __be32 daddr, int ifindex);
/*
 * Call fn for each bound socket from bucket pos[0], index pos[1] on, under
 * RCU; a non-zero return stops the walk there and is returned.
 */
int teach_pcb_walk(struct teach_pcb_table *t,
		   int (*fn)(struct teach_pcb *pcb, void *arg), void *arg,
		   unsigned long pos[2]);
/* Bound to ifindex: ENODEV on every such socket (the device went away) */
void teach_pcb_dev_gone(struct teach_pcb_table *t, int ifindex);

/*
 * The /proc files of the transports walk the bind table under RCU, a
 * struct teach_pcb per line after SEQ_START_TOKEN (the header line).
 */
struct teach_pcb_iter {
	struct seq_net_private p;	/* first: seq_file_net() needs it */
	struct teach_pcb_table *t;	/* set by the transport's start */
	unsigned int bucket;		/* of the current socket */
};

void *teach_pcb_seq_start(struct seq_file *seq, loff_t *pos,
			  struct teach_pcb_table *t) __acquires(RCU);
void *teach_pcb_seq_next(struct seq_file *seq, void *v, loff_t *pos);
void teach_pcb_seq_stop(struct seq_file *seq, void *v) __releases(RCU);

/* ---- dgram.c: datagram sockets ---- */

/* What a socket dump (netlink) and /proc show of one socket. */
struct teach_sock_info {
	u8 type;
	u8 protocol;
	u8 state;			/* enum teach_sock_state */
	__be32 laddr;
	__be32 raddr;
	u16 lport;
	u16 rport;
	u32 rqueue;
	u32 wqueue;
	u32 uid;
	u32 drops;
	u64 inode;
	int ifindex;			/* bound device, 0 = none */
	struct sock *sk;		/* valid in a walk's callback (RCU) */
};

extern struct proto teach_dgram_proto;
/* /proc/net/teach/dgram in dir */
struct proc_dir_entry *teach_dgram_proc_create(struct proc_dir_entry *dir);
int teach_dgram_init(void);
void teach_dgram_exit(void);
int teach_dgram_create(struct net *net, struct socket *sock, int protocol,
		       int kern);
/* RCU: a datagram for this host, transport header at skb->data */
int teach_dgram_rcv(struct sk_buff *skb);
/* RCU: a control error quoting one of our datagrams */
void teach_dgram_err(struct sk_buff *skb, u8 type, u8 code, u32 info);
/* RTNL: a device went away; sockets bound to it get ENODEV */
void teach_dgram_dev_gone(struct net *net, int ifindex);
/* RCU: as teach_pcb_walk(), with each socket described */
int teach_dgram_walk(struct net *net,
		     int (*fn)(const struct teach_sock_info *si, void *arg),
		     void *arg, unsigned long pos[2]);

/* ---- stream*.c: stream sockets (stream.h has the rest) ---- */

int teach_stream_init(void);
void teach_stream_exit(void);
int teach_stream_create(struct net *net, struct socket *sock, int protocol,
			int kern);
/* RCU: a segment for this host, transport header at skb->data */
int teach_stream_rcv(struct sk_buff *skb);
/* RCU: a control error quoting one of our segments */
void teach_stream_err(struct sk_buff *skb, u8 type, u8 code, u32 info);
void teach_stream_dev_gone(struct net *net, int ifindex);
/* RCU: TEACH_INFO of a socket a walk passed, without sleeping */
void teach_stream_info_snapshot(struct sock *sk, struct teach_stream_info *i);
int teach_stream_walk(struct net *net,
		      int (*fn)(const struct teach_sock_info *si, void *arg),
		      void *arg, unsigned long pos[2]);
/* /proc/net/teach/stream in dir */
struct proc_dir_entry *teach_stream_proc_create(struct proc_dir_entry *dir);

/* ---- raw.c: raw sockets ---- */

extern struct proto teach_raw_proto;
int teach_raw_init(void);
void teach_raw_exit(void);
int teach_raw_create(struct net *net, struct socket *sock, int protocol,
		     int kern);
/* RCU: give copies of skb to raw sockets of its protocol */
bool teach_raw_deliver(struct sk_buff *skb);
void teach_raw_err(struct sk_buff *skb, u8 type, u8 code, u32 info);
/* RTNL: a device went away; sockets bound to it get ENODEV */
void teach_raw_dev_gone(struct net *net, int ifindex);
/* As teach_dgram_walk(), over raw sockets; the local port is the protocol */
int teach_raw_walk(struct net *net,
		   int (*fn)(const struct teach_sock_info *si, void *arg),
		   void *arg, unsigned long *pos);

/* ---- netlink.c: the "teach" generic netlink family ---- */

int teach_netlink_init(void);
void teach_netlink_exit(void);
void teach_nl_notify_addr(struct net *net, u8 cmd,
			  const struct teach_ifaddr *ifa);
void teach_nl_notify_neigh(struct net *net, u8 cmd,
			   const struct teach_neigh_info *ni);
void teach_nl_notify_route(struct net *net, u8 cmd,
			   const struct teach_route *rt);

/* ---- sysctl.c, proc.c ---- */

void teach_sysctl_defaults(struct teach_sysctl *s);
int teach_sysctl_net_init(struct net *net);
void teach_sysctl_net_exit(struct net *net);
int teach_proc_net_init(struct net *net);
void teach_proc_net_exit(struct net *net);

/* ---- netns.c ---- */

int teach_netns_init(void);
void teach_netns_exit(void);

#endif /* _TEACH_H */
