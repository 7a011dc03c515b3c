// SPDX-License-Identifier: GPL-2.0
/*
 * teach: datagram sockets (SOCK_DGRAM, protocol 17), like UDP.
 *
 * A datagram is an 8-byte header (source port, destination port, length,
 * checksum over a pseudo-header) and up to 65,507 bytes of payload; there
 * is no connection, no retransmission and no ordering
 * (Documentation/datagram.rst).  Sockets live in the namespace's PCB
 * tables (hashtables.c); the receive path finds one under RCU and queues
 * the datagram with sock_queue_rcv_skb(), which charges it to the
 * socket's receive buffer; the send path allocates from the socket's send
 * buffer.  A datagram for a port nobody has is answered with "port
 * unreachable", and that answer, coming back, makes a connected socket's
 * next call fail with ECONNREFUSED.
 *
 * Checksums: a sender computes one unless SO_NO_CHECK is set (then 0 goes
 * out, meaning "none", as UDP over IPv4 allows); a computed 0 is sent as
 * 0xffff.  A receiver checks every non-zero checksum.
 */
#include <asm/ioctls.h>
#include <linux/errqueue.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/sockios.h>
#include <net/sock.h>

#include "teach.h"

struct teach_dgram_sock {
	struct sock sk;			/* first: sk_alloc() gives us this */
	struct teach_pcb pcb;
	struct teach_sockopts opts;
	struct teach_rt_cache rtc;	/* the last route sent on */
};

static struct teach_dgram_sock *teach_dgram_sk(const struct sock *sk)
{
	return container_of(sk, struct teach_dgram_sock, sk);
}

static struct teach_pcb_table *teach_dgram_table(const struct sock *sk)
{
	return &teach_pernet(sock_net(sk))->dgram_pcbs;
}

/* Changing SO_BINDTODEVICE changes the routes the socket may use. */
static void teach_dgram_rehash(struct sock *sk)
{
	teach_rt_cache_reset(&teach_dgram_sk(sk)->rtc);
}

struct proto teach_dgram_proto = {
	.name = "TEACH_DGRAM",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct teach_dgram_sock),
	.rehash = teach_dgram_rehash,
};

/* ---- receive ---- */

static void teach_dgram_queue(struct sock *sk, struct sk_buff *skb,
			      struct teach_net *tn)
{
	if (sock_queue_rcv_skb(sk, skb) < 0) {
		TEACH_INC_STATS(tn, TEACH_MIB_DGRAM_RCVBUF_ERRORS);
		TEACH_INC_STATS(tn, TEACH_MIB_DGRAM_IN_ERRORS);
		kfree_skb(skb);
		return;
	}
	TEACH_INC_STATS(tn, TEACH_MIB_DGRAM_IN_DATAGRAMS);
}

/*
 * A broadcast goes to every socket of the port that takes it.  The walk
 * holds the bucket's lock, as UDP's multicast delivery does: under RCU
 * alone a socket that moves could make it miss some, and starting again
 * would give others a second copy.
 */
static void teach_dgram_bcast(struct sk_buff *skb, struct teach_net *tn,
			      __be32 saddr, u16 sport, __be32 daddr, u16 dport)
{
	struct teach_pcb_bucket *b = teach_pcb_bind_bucket(&tn->dgram_pcbs,
							   dport);
	int ifindex = skb->dev->ifindex;
	struct hlist_nulls_node *node;
	struct sock *last = NULL;
	struct teach_pcb *pcb;

	spin_lock_bh(&b->lock);
	hlist_nulls_for_each_entry(pcb, node, &b->head, bind_node) {
		struct sk_buff *clone;

		if (READ_ONCE(pcb->lport) != dport ||
		    !teach_pcb_match(pcb, saddr, sport, daddr, ifindex))
			continue;
		if (last) {
			clone = skb_clone(skb, GFP_ATOMIC);
			if (clone)
				teach_dgram_queue(last, clone, tn);
			else
				TEACH_INC_STATS(tn, TEACH_MIB_DGRAM_RCVBUF_ERRORS);
		}
		last = pcb->sk;
	}
	if (last)
		teach_dgram_queue(last, skb, tn);
	else
		consume_skb(skb);	/* nobody listens: no error for a broadcast */
	spin_unlock_bh(&b->lock);
}

int teach_dgram_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	struct teach_net *tn = teach_pernet(net);
	const struct teachhdr *th = (const struct teachhdr *)skb_network_header(skb);
	const struct teach_dgramhdr *dh;
	struct teach_pcb *pcb;
	struct teach_dev *tdev;
	unsigned int ulen;
	u16 sport, dport;

	if (!pskb_may_pull(skb, TEACH_DGRAM_HLEN))
		goto bad;
	dh = (const struct teach_dgramhdr *)skb->data;
	ulen = ntohs(dh->len);
	if (ulen < TEACH_DGRAM_HLEN || ulen > skb->len)
		goto bad;
	if (ulen < skb->len && pskb_trim_rcsum(skb, ulen))
		goto bad;
	/* the pull or the trim may have moved the headers */
	th = (const struct teachhdr *)skb_network_header(skb);
	dh = (const struct teach_dgramhdr *)skb->data;
	/* CHECKSUM_PARTIAL: from this host or a veth peer, never on a wire */
	if (dh->check && !skb_csum_unnecessary(skb) &&
	    teach_dgram_csum(th->saddr, th->daddr, ulen,
			     skb_checksum(skb, 0, ulen, 0))) {
		TEACH_INC_STATS(tn, TEACH_MIB_DGRAM_IN_CSUM_ERRORS);
		goto bad;
	}
	sport = ntohs(dh->source);
	dport = ntohs(dh->dest);

	tdev = teach_dev_get(net, skb->dev->ifindex);
	if (th->daddr == htonl(TEACH_ADDR_BROADCAST) ||
	    (tdev && teach_addr_is_bcast(tdev, th->daddr))) {
		__skb_pull(skb, TEACH_DGRAM_HLEN);
		teach_dgram_bcast(skb, tn, th->saddr, sport, th->daddr, dport);
		return NET_RX_SUCCESS;
	}

	pcb = teach_pcb_lookup(&tn->dgram_pcbs, th->saddr, sport, th->daddr,
			       dport, skb->dev->ifindex);
	if (!pcb) {
		TEACH_INC_STATS(tn, TEACH_MIB_DGRAM_NO_PORTS);
		teach_ctrl_send(skb, TEACH_CTRL_UNREACH, TEACH_UNREACH_PORT, 0);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	__skb_pull(skb, TEACH_DGRAM_HLEN);
	teach_dgram_queue(pcb->sk, skb, tn);
	return NET_RX_SUCCESS;

bad:
	TEACH_INC_STATS(tn, TEACH_MIB_DGRAM_IN_ERRORS);
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* Queue the error for MSG_ERRQUEUE, as ip_icmp_error() does. */
static void teach_dgram_queue_err(struct sock *sk, struct sk_buff *skb,
				  int err, u8 type, u8 code, u32 info,
				  unsigned int quoted, u16 port)
{
	struct sock_exterr_skb *serr;
	struct sk_buff *copy;

	copy = skb_clone(skb, GFP_ATOMIC);
	if (!copy)
		return;
	serr = SKB_EXT_ERR(copy);
	memset(serr, 0, sizeof(*serr));
	serr->ee.ee_errno = err;
	serr->ee.ee_origin = SO_EE_ORIGIN_TEACH;
	serr->ee.ee_type = type;
	serr->ee.ee_code = code;
	serr->ee.ee_info = info;
	/* where the quoted header keeps its destination */
	serr->addr_offset = skb->data + sizeof(struct teach_ctrlhdr) +
			    offsetof(struct teachhdr, daddr) -
			    skb_network_header(skb);
	serr->port = htons(port);
	/* the queued bytes are the quoted datagram header */
	__skb_pull(copy, quoted);
	skb_reset_transport_header(copy);
	if (sock_queue_err_skb(sk, copy))
		kfree_skb(copy);
}

void teach_dgram_err(struct sk_buff *skb, u8 type, u8 code, u32 info)
{
	struct teach_net *tn = teach_pernet(dev_net(skb->dev));
	const unsigned int chlen = sizeof(struct teach_ctrlhdr);
	const struct teach_dgramhdr *dh;
	const struct teachhdr *q;
	struct teach_dgram_sock *ds;
	struct teach_pcb *pcb;
	unsigned int qhlen;
	bool hard;
	int err;

	q = (const struct teachhdr *)(skb->data + chlen);
	qhlen = (q->ver_ihl & 0xf) * 4;
	if (qhlen < TEACH_HLEN ||
	    !pskb_may_pull(skb, chlen + qhlen + TEACH_DGRAM_HLEN))
		return;
	q = (const struct teachhdr *)(skb->data + chlen);
	dh = (const struct teach_dgramhdr *)(skb->data + chlen + qhlen);

	rcu_read_lock();
	/* The datagram was ours: we were its source, the peer its destination. */
	pcb = teach_pcb_lookup(&tn->dgram_pcbs, q->daddr, ntohs(dh->dest),
			       q->saddr, ntohs(dh->source), skb->dev->ifindex);
	if (!pcb)
		goto out;
	ds = teach_dgram_sk(pcb->sk);
	err = teach_ctrl_errno(type, code);
	/*
	 * As UDP: a port or protocol unreachable or an administrative
	 * prohibition is fatal to a connected socket; the rest (no route, a
	 * TTL that ran out, a smaller path MTU) only with TEACH_RECVERR.
	 */
	hard = type == TEACH_CTRL_UNREACH &&
	       (code == TEACH_UNREACH_PORT || code == TEACH_UNREACH_PROTO ||
		code == TEACH_UNREACH_ADMIN);
	if (READ_ONCE(ds->opts.recverr))
		teach_dgram_queue_err(pcb->sk, skb, -err, type, code, info,
				      chlen + qhlen, ntohs(dh->dest));
	else if (!hard || READ_ONCE(pcb->sk->sk_state) != TCP_ESTABLISHED)
		goto out;
	WRITE_ONCE(pcb->sk->sk_err, -err);
	sk_error_report(pcb->sk);
out:
	rcu_read_unlock();
}

void teach_dgram_dev_gone(struct net *net, int ifindex)
{
	teach_pcb_dev_gone(&teach_pernet(net)->dgram_pcbs, ifindex);
}

/* ---- the socket calls ---- */

static int teach_dgram_check_addr(const struct sockaddr *uaddr, int len,
				  const struct sockaddr_teach **out)
{
	const struct sockaddr_teach *st = (const struct sockaddr_teach *)uaddr;

	if (len < (int)sizeof(*st))
		return -EINVAL;
	if (st->st_family != teach_family)
		return -EAFNOSUPPORT;
	*out = st;
	return 0;
}

/* What a bind() address may be: any, ours, or a broadcast. */
static int teach_dgram_addr_kind(struct net *net, __be32 addr, bool *bcast)
{
	const struct teach_route *rt;
	int err = 0;

	*bcast = addr == htonl(TEACH_ADDR_BROADCAST);
	if (!addr || *bcast)
		return 0;
	rcu_read_lock();
	rt = teach_route_lookup(net, addr);
	if (rt && rt->type == TEACH_RTN_BROADCAST && rt->dst == addr)
		*bcast = true;
	else if (!teach_addr_is_local(net, addr))
		err = -EADDRNOTAVAIL;
	rcu_read_unlock();
	return err;
}

static int teach_dgram_bind(struct socket *sock, struct sockaddr *uaddr,
			    int len)
{
	struct sock *sk = sock->sk;
	struct teach_dgram_sock *ds = teach_dgram_sk(sk);
	const struct sockaddr_teach *st;
	bool bcast;
	u16 port;
	int err;

	err = teach_dgram_check_addr(uaddr, len, &st);
	if (err)
		return err;
	err = teach_dgram_addr_kind(sock_net(sk), st->st_addr.s_addr, &bcast);
	if (err)
		return err;
	port = ntohs(st->st_port);

	lock_sock(sk);
	err = -EINVAL;
	if (ds->pcb.lport)
		goto out;
	err = teach_pcb_bind(teach_dgram_table(sk), &ds->pcb,
			     st->st_addr.s_addr, bcast, port, 0, 0);
	if (err)
		goto out;
	ds->pcb.addr_locked = !!st->st_addr.s_addr;
	ds->pcb.port_locked = !!port;
	teach_rt_cache_reset(&ds->rtc);
out:
	release_sock(sk);
	return err;
}

/* Socket locked: an ephemeral port, for a peer if there is one yet. */
static int teach_dgram_autobind(struct teach_dgram_sock *ds, __be32 raddr,
				u16 rport)
{
	if (ds->pcb.lport)
		return 0;
	ds->pcb.addr_locked = false;
	ds->pcb.port_locked = false;
	return teach_pcb_bind(teach_dgram_table(&ds->sk), &ds->pcb, 0, false,
			      0, raddr, rport);
}

/* Socket locked: as UDP's disconnect, giving back what connect() chose. */
static void teach_dgram_dissolve(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct teach_dgram_sock *ds = teach_dgram_sk(sk);
	struct teach_pcb_table *t = teach_dgram_table(sk);

	teach_pcb_disconnect(t, &ds->pcb);
	if (!ds->pcb.port_locked)
		teach_pcb_unbind(t, &ds->pcb);
	teach_rt_cache_reset(&ds->rtc);
	WRITE_ONCE(sk->sk_state, TCP_CLOSE);
	sock->state = SS_UNCONNECTED;
}

/* The source a sent packet asks for: the bound address, unless a broadcast */
static __be32 teach_dgram_saddr(const struct teach_dgram_sock *ds)
{
	return ds->pcb.laddr_bcast ? 0 : READ_ONCE(ds->pcb.laddr);
}

static int teach_dgram_connect(struct socket *sock, struct sockaddr *uaddr,
			       int len, int flags)
{
	struct sock *sk = sock->sk;
	struct teach_dgram_sock *ds = teach_dgram_sk(sk);
	const struct sockaddr_teach *st;
	struct teach_rt_result res;
	struct teach_flow fl = {};
	__be32 laddr;
	u16 rport;
	int err;

	if (len >= (int)sizeof(uaddr->sa_family) &&
	    uaddr->sa_family == AF_UNSPEC) {
		lock_sock(sk);
		teach_dgram_dissolve(sock);
		release_sock(sk);
		return 0;
	}
	err = teach_dgram_check_addr(uaddr, len, &st);
	if (err)
		return err;
	rport = ntohs(st->st_port);
	if (!rport || !st->st_addr.s_addr)
		return -EINVAL;

	lock_sock(sk);
	/* The route says whether the peer is reachable and from where. */
	fl.daddr = st->st_addr.s_addr;
	/* a source connect() chose before is chosen again */
	fl.saddr = ds->pcb.addr_locked ? teach_dgram_saddr(ds) : 0;
	fl.oif = READ_ONCE(sk->sk_bound_dev_if);
	fl.bcast_ok = sock_flag(sk, SOCK_BROADCAST);
	teach_rt_cache_reset(&ds->rtc);
	rcu_read_lock();
	err = teach_route_output_cached(sock_net(sk), &ds->rtc, &fl, &res);
	rcu_read_unlock();
	if (err)
		goto out;
	if (sk->sk_state == TCP_ESTABLISHED)
		teach_pcb_disconnect(teach_dgram_table(sk), &ds->pcb);
	err = teach_dgram_autobind(ds, fl.daddr, rport);
	if (err)
		goto out;
	laddr = ds->pcb.addr_locked ? ds->pcb.laddr : fl.saddr;
	teach_pcb_connect(teach_dgram_table(sk), &ds->pcb, laddr, fl.daddr,
			  rport);
	WRITE_ONCE(sk->sk_state, TCP_ESTABLISHED);
	sock->state = SS_CONNECTED;
out:
	release_sock(sk);
	return err;
}

static int teach_dgram_getname(struct socket *sock, struct sockaddr *uaddr,
			       int peer)
{
	struct teach_dgram_sock *ds = teach_dgram_sk(sock->sk);
	struct sockaddr_teach *st = (struct sockaddr_teach *)uaddr;

	memset(st, 0, sizeof(*st));
	st->st_family = teach_family;
	lock_sock(&ds->sk);
	if (peer) {
		if (ds->sk.sk_state != TCP_ESTABLISHED) {
			release_sock(&ds->sk);
			return -ENOTCONN;
		}
		st->st_addr.s_addr = ds->pcb.raddr;
		st->st_port = htons(ds->pcb.rport);
	} else {
		st->st_addr.s_addr = ds->pcb.laddr;
		st->st_port = htons(ds->pcb.lport);
	}
	release_sock(&ds->sk);
	return sizeof(*st);
}

/*
 * teach_flow.finish: the source is known now, so the checksum can be.
 * On veth and loopback it is left to CHECKSUM_PARTIAL (gso.c), as UDP
 * leaves it; skb_checksum_help() finishes it wherever it must be done,
 * and writes 0 as 0xffff, as this does.
 */
static void teach_dgram_finish(struct sk_buff *skb, const struct teach_flow *fl)
{
	struct teach_dgramhdr *dh = (struct teach_dgramhdr *)skb->data;

	if (skb->sk->sk_no_check_tx)
		return;		/* 0: "no checksum", as SO_NO_CHECK asks */
	if (fl->offload) {
		skb_partial_csum_set(skb, 0,
				     offsetof(struct teach_dgramhdr, check));
		dh->check = ~teach_dgram_csum(fl->saddr, fl->daddr, skb->len, 0);
		return;
	}
	dh->check = teach_dgram_csum(fl->saddr, fl->daddr, skb->len,
				     skb_checksum(skb, 0, skb->len, 0));
	if (!dh->check)
		dh->check = CSUM_MANGLED_0;
}

/* Room for the payload: linear when small, page fragments when large. */
static struct sk_buff *teach_dgram_alloc(struct sock *sk, size_t len,
					 int noblock, int *err)
{
	const size_t head = LL_MAX_HEADER + TEACH_MAX_HLEN + TEACH_DGRAM_HLEN;
	size_t linear = len;
	struct sk_buff *skb;

	if (head + len > PAGE_SIZE)
		linear = 0;
	skb = sock_alloc_send_pskb(sk, head + linear, len - linear, noblock,
				   err, PAGE_ALLOC_COSTLY_ORDER);
	if (!skb)
		return NULL;
	skb_reserve(skb, head);
	skb_put(skb, linear);
	skb->data_len = len - linear;
	skb->len += len - linear;
	return skb;
}

static int teach_dgram_sendmsg(struct socket *sock, struct msghdr *msg,
			       size_t len)
{
	struct sock *sk = sock->sk;
	struct teach_dgram_sock *ds = teach_dgram_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	struct teach_dgramhdr *dh;
	struct teach_flow fl = {};
	struct sk_buff *skb;
	u16 dport;
	int ttl, err;

	if (msg->msg_flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_CMSG_COMPAT))
		return -EOPNOTSUPP;
	if (msg->msg_controllen)
		return -EINVAL;
	if (len > TEACH_DGRAM_MAX)
		return -EMSGSIZE;
	if (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN)
		return -EPIPE;
	if (msg->msg_name) {
		const struct sockaddr_teach *st;

		err = teach_dgram_check_addr(msg->msg_name, msg->msg_namelen,
					     &st);
		if (err)
			return err;
		fl.daddr = st->st_addr.s_addr;
		dport = ntohs(st->st_port);
		/* as connect(): there is no "any" to send to */
		if (!dport || !fl.daddr)
			return -EINVAL;
	} else {
		if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED)
			return -EDESTADDRREQ;
		fl.daddr = READ_ONCE(ds->pcb.raddr);
		dport = READ_ONCE(ds->pcb.rport);
	}
	if (!READ_ONCE(ds->pcb.lport)) {
		lock_sock(sk);
		err = teach_dgram_autobind(ds, fl.daddr, dport);
		release_sock(sk);
		if (err)
			return err;
	}

	skb = teach_dgram_alloc(sk, len, msg->msg_flags & MSG_DONTWAIT, &err);
	if (!skb) {
		if (err == -EAGAIN || err == -ENOBUFS)
			TEACH_INC_STATS(tn, TEACH_MIB_DGRAM_SNDBUF_ERRORS);
		return err;
	}
	err = skb_copy_datagram_from_iter(skb, 0, &msg->msg_iter, len);
	if (err)
		goto free;
	dh = skb_push(skb, TEACH_DGRAM_HLEN);
	skb_reset_transport_header(skb);
	dh->source = htons(READ_ONCE(ds->pcb.lport));
	dh->dest = htons(dport);
	dh->len = htons(skb->len);
	dh->check = 0;
	skb->ip_summed = CHECKSUM_NONE;
	skb->priority = READ_ONCE(sk->sk_priority);
	skb->mark = READ_ONCE(sk->sk_mark);

	ttl = READ_ONCE(ds->opts.ttl);
	fl.saddr = teach_dgram_saddr(ds);
	fl.oif = READ_ONCE(sk->sk_bound_dev_if);
	fl.tos = READ_ONCE(ds->opts.tos);
	fl.ttl = ttl < 0 ? 0 : ttl;
	fl.protocol = TEACHPROTO_DGRAM;
	fl.pmtudisc = READ_ONCE(ds->opts.pmtudisc);
	fl.bcast_ok = sock_flag(sk, SOCK_BROADCAST);
	fl.finish = teach_dgram_finish;
	err = teach_output_cached(sock_net(sk), skb, &fl, &ds->rtc);
	/* As UDP: a full device queue is a lost datagram, not an error. */
	if (err == -ENOBUFS && !READ_ONCE(ds->opts.recverr)) {
		TEACH_INC_STATS(tn, TEACH_MIB_DGRAM_SNDBUF_ERRORS);
		return len;
	}
	if (err)
		return err;
	TEACH_INC_STATS(tn, TEACH_MIB_DGRAM_OUT_DATAGRAMS);
	return len;

free:
	kfree_skb(skb);
	return err;
}

static int teach_dgram_recvmsg(struct socket *sock, struct msghdr *msg,
			       size_t len, int flags)
{
	struct sock *sk = sock->sk;
	struct teach_dgram_sock *ds = teach_dgram_sk(sk);
	struct sk_buff *skb;
	size_t copied;
	int err;

	if (flags & ~(MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC | MSG_WAITALL |
		      MSG_CMSG_CLOEXEC | MSG_ERRQUEUE | MSG_CMSG_COMPAT))
		return -EOPNOTSUPP;
	if (flags & MSG_ERRQUEUE)
		return teach_sock_recv_error(sk, msg, len);
	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;
	copied = skb->len;
	if (copied > len) {
		copied = len;
		msg->msg_flags |= MSG_TRUNC;
	}
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (err)
		goto out;
	if (msg->msg_name) {
		DECLARE_SOCKADDR(struct sockaddr_teach *, st, msg->msg_name);
		const struct teachhdr *th = (const struct teachhdr *)skb_network_header(skb);
		const struct teach_dgramhdr *dh;

		dh = (const struct teach_dgramhdr *)skb_transport_header(skb);

		memset(st, 0, sizeof(*st));
		st->st_family = teach_family;
		st->st_addr.s_addr = th->saddr;
		st->st_port = dh->source;
		msg->msg_namelen = sizeof(*st);
	}
	sock_recv_timestamp(msg, sk, skb);
	teach_sockopt_cmsgs(msg, &ds->opts, skb);
	err = (flags & MSG_TRUNC) ? skb->len : copied;
out:
	skb_free_datagram(sk, skb);
	return err;
}

static int teach_dgram_setsockopt(struct socket *sock, int level, int optname,
				  sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	int val;

	if (level != SOL_TEACH)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	if (optname == TEACH_REUSEPORT) {
		/* Bind rules read it under the socket lock, as SO_REUSEPORT. */
		lock_sock(sk);
		sk->sk_reuseport = !!val;
		release_sock(sk);
		return 0;
	}
	return teach_sockopt_set(sk, &teach_dgram_sk(sk)->opts, optname, val);
}

static int teach_dgram_getsockopt(struct socket *sock, int level, int optname,
				  char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct teach_dgram_sock *ds = teach_dgram_sk(sk);
	int val, len, err;

	if (level != SOL_TEACH)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	switch (optname) {
	case TEACH_REUSEPORT:
		val = sk->sk_reuseport;
		break;
	case TEACH_MTU:
		if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED)
			return -ENOTCONN;
		val = teach_sock_path_mtu(sk, &ds->rtc, READ_ONCE(ds->pcb.raddr),
					  teach_dgram_saddr(ds));
		if (val < 0)
			return val;
		break;
	default:
		err = teach_sockopt_get(sk, &ds->opts, optname, &val);
		if (err)
			return err;
		break;
	}
	return teach_sockopt_put_int(optval, optlen, len, val);
}

static int teach_dgram_ioctl(struct socket *sock, unsigned int cmd,
			     unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	int amount;

	switch (cmd) {
	case SIOCOUTQ:
		amount = sk_wmem_alloc_get(sk);
		break;
	case SIOCINQ:
		/* As UDP: the payload of the next datagram, 0 if none. */
		spin_lock_bh(&sk->sk_receive_queue.lock);
		skb = skb_peek(&sk->sk_receive_queue);
		amount = skb ? skb->len : 0;
		spin_unlock_bh(&sk->sk_receive_queue.lock);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(amount, (int __user *)arg);
}

static int teach_dgram_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	/* SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2 -> RCV_SHUTDOWN 1, SEND_ 2, both 3 */
	how++;
	if (how <= 0 || how > SHUTDOWN_MASK)
		return -EINVAL;
	lock_sock(sk);
	/* As inet_shutdown(): not connected is ENOTCONN, but still takes effect */
	if (sk->sk_state != TCP_ESTABLISHED)
		err = -ENOTCONN;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

static int teach_dgram_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	lock_sock(sk);
	teach_pcb_unbind(teach_dgram_table(sk), &teach_dgram_sk(sk)->pcb);
	sk->sk_shutdown = SHUTDOWN_MASK;
	release_sock(sk);
	sock_orphan(sk);
	sock->sk = NULL;
	/* Readers on the receive path may still hold it: freed after RCU. */
	sock_put(sk);
	return 0;
}

/* .family is informational only; the live number is teach_family. */
static const struct proto_ops teach_dgram_ops = {
	.family = AF_TEACH_DEFAULT,
	.owner = THIS_MODULE,
	.release = teach_dgram_release,
	.bind = teach_dgram_bind,
	.connect = teach_dgram_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = teach_dgram_getname,
	.poll = datagram_poll,
	.ioctl = teach_dgram_ioctl,
	.listen = sock_no_listen,
	.shutdown = teach_dgram_shutdown,
	.setsockopt = teach_dgram_setsockopt,
	.getsockopt = teach_dgram_getsockopt,
	.sendmsg = teach_dgram_sendmsg,
	.recvmsg = teach_dgram_recvmsg,
	.mmap = sock_no_mmap,
};

int teach_dgram_create(struct net *net, struct socket *sock, int protocol,
		       int kern)
{
	struct teach_dgram_sock *ds;
	struct sock *sk;

	if (protocol && protocol != TEACHPROTO_DGRAM)
		return -EPROTONOSUPPORT;
	sk = sk_alloc(net, teach_family, GFP_KERNEL, &teach_dgram_proto, kern);
	if (!sk)
		return -ENOMEM;
	sock->ops = &teach_dgram_ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	sk->sk_protocol = TEACHPROTO_DGRAM;
	sk->sk_state = TCP_CLOSE;
	sk->sk_destruct = teach_sock_destruct;
	sock_set_flag(sk, SOCK_RCU_FREE);
	ds = teach_dgram_sk(sk);
	ds->pcb.sk = sk;
	teach_sockopts_init(&ds->opts);
	teach_rt_cache_init(&ds->rtc);
	return 0;
}

/* ---- walks: netlink dumps and /proc/net/teach/dgram ---- */

static void teach_dgram_info(struct teach_pcb *pcb, struct teach_sock_info *si)
{
	struct sock *sk = pcb->sk;

	memset(si, 0, sizeof(*si));
	si->type = SOCK_DGRAM;
	si->protocol = TEACHPROTO_DGRAM;
	si->state = READ_ONCE(sk->sk_state);
	si->laddr = READ_ONCE(pcb->laddr);
	si->lport = READ_ONCE(pcb->lport);
	si->raddr = READ_ONCE(pcb->raddr);
	si->rport = READ_ONCE(pcb->rport);
	si->rqueue = sk_rmem_alloc_get(sk);
	si->wqueue = sk_wmem_alloc_get(sk);
	si->uid = from_kuid_munged(sock_net(sk)->user_ns, sock_i_uid(sk));
	si->inode = sock_i_ino(sk);
	si->drops = atomic_read(&sk->sk_drops);
	si->ifindex = READ_ONCE(sk->sk_bound_dev_if);
}

struct teach_dgram_walk {
	int (*fn)(const struct teach_sock_info *si, void *arg);
	void *arg;
};

static int teach_dgram_walk_one(struct teach_pcb *pcb, void *arg)
{
	struct teach_dgram_walk *w = arg;
	struct teach_sock_info si;

	teach_dgram_info(pcb, &si);
	return w->fn(&si, w->arg);
}

int teach_dgram_walk(struct net *net,
		     int (*fn)(const struct teach_sock_info *si, void *arg),
		     void *arg, unsigned long pos[2])
{
	struct teach_dgram_walk w = { .fn = fn, .arg = arg };

	return teach_pcb_walk(&teach_pernet(net)->dgram_pcbs,
			      teach_dgram_walk_one, &w, pos);
}

/*
 * /proc/net/teach/dgram, in the columns of /proc/net/udp: addresses as
 * the hex of their 32 bits as stored, ports in host order, "sl" the
 * bucket.  The walk runs under RCU from start to stop, as the receive
 * path does; sockets are freed after a grace period (SOCK_RCU_FREE).
 */
static void *teach_dgram_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	return teach_pcb_seq_start(seq, pos,
				   &teach_pernet(seq_file_net(seq))->dgram_pcbs);
}

static int teach_dgram_seq_show(struct seq_file *seq, void *v)
{
	struct teach_sock_info si;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n");
		return 0;
	}
	teach_dgram_info(v, &si);
	seq_printf(seq, "%5u: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %llu %d %pK %u\n",
		   ((struct teach_pcb_iter *)seq->private)->bucket,
		   (__force u32)si.laddr, si.lport,
		   (__force u32)si.raddr, si.rport, si.state, si.wqueue,
		   si.rqueue, 0, 0UL, 0, si.uid, 0, si.inode,
		   refcount_read(&((struct teach_pcb *)v)->sk->sk_refcnt),
		   ((struct teach_pcb *)v)->sk, si.drops);
	return 0;
}

static const struct seq_operations teach_dgram_seq_ops = {
	.start = teach_dgram_seq_start,
	.next = teach_pcb_seq_next,
	.stop = teach_pcb_seq_stop,
	.show = teach_dgram_seq_show,
};

struct proc_dir_entry *teach_dgram_proc_create(struct proc_dir_entry *dir)
{
	return proc_create_net("dgram", 0444, dir, &teach_dgram_seq_ops,
			       sizeof(struct teach_pcb_iter));
}

int teach_dgram_init(void)
{
	return proto_register(&teach_dgram_proto, 1);
}

void teach_dgram_exit(void)
{
	proto_unregister(&teach_dgram_proto);
}
