// SPDX-License-Identifier: GPL-2.0
/*
 * teach: what raw and datagram sockets share.
 *
 * The network-layer options at level SOL_TEACH (TTL, class, path-MTU
 * discovery, error queueing, and the control messages that come with
 * each received packet), the errno each control message means, the error
 * queue read with MSG_ERRQUEUE, the path MTU of TEACH_MTU, and the
 * destructor that frees what is still queued when a socket goes.
 */
#include <linux/errqueue.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "teach.h"

void teach_sockopts_init(struct teach_sockopts *o)
{
	memset(o, 0, sizeof(*o));
	o->ttl = -1;
	o->pmtudisc = TEACH_PMTUDISC_WANT;
}

int teach_sockopt_set(struct sock *sk, struct teach_sockopts *o, int optname,
		      int val)
{
	switch (optname) {
	case TEACH_TTL:
		if (val != -1 && (val < 1 || val > 255))
			return -EINVAL;
		WRITE_ONCE(o->ttl, val);
		return 0;
	case TEACH_TOS:
		if (val < 0 || val > 255)
			return -EINVAL;
		WRITE_ONCE(o->tos, val);
		/* As IP_TOS does: the class picks the queueing band too. */
		WRITE_ONCE(sk->sk_priority, teach_tos2prio(val));
		return 0;
	case TEACH_MTU_DISCOVER:
		if (val < TEACH_PMTUDISC_DONT || val > TEACH_PMTUDISC_DO)
			return -EINVAL;
		WRITE_ONCE(o->pmtudisc, val);
		return 0;
	case TEACH_RECVERR:
		WRITE_ONCE(o->recverr, !!val);
		/* As IP_RECVERR: turning it off drops what is queued. */
		if (!val)
			skb_queue_purge(&sk->sk_error_queue);
		return 0;
	case TEACH_RECVTTL:
		WRITE_ONCE(o->recvttl, !!val);
		return 0;
	case TEACH_RECVTOS:
		WRITE_ONCE(o->recvtos, !!val);
		return 0;
	case TEACH_PKTINFO:
		WRITE_ONCE(o->pktinfo, !!val);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

int teach_sockopt_get(struct sock *sk, const struct teach_sockopts *o,
		      int optname, int *val)
{
	switch (optname) {
	case TEACH_TTL:
		*val = READ_ONCE(o->ttl);
		if (*val < 0)
			*val = READ_ONCE(teach_pernet(sock_net(sk))->sysctl.default_ttl);
		return 0;
	case TEACH_TOS:
		*val = READ_ONCE(o->tos);
		return 0;
	case TEACH_MTU_DISCOVER:
		*val = READ_ONCE(o->pmtudisc);
		return 0;
	case TEACH_RECVERR:
		*val = READ_ONCE(o->recverr);
		return 0;
	case TEACH_RECVTTL:
		*val = READ_ONCE(o->recvttl);
		return 0;
	case TEACH_RECVTOS:
		*val = READ_ONCE(o->recvtos);
		return 0;
	case TEACH_PKTINFO:
		*val = READ_ONCE(o->pktinfo);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

int teach_sockopt_put_int(char __user *optval, int __user *optlen, int len,
			  int val)
{
	/* as ip_getsockopt(): a short buffer gets the low bytes */
	len = min_t(int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

void teach_sockopt_cmsgs(struct msghdr *msg, const struct teach_sockopts *o,
			 const struct sk_buff *skb)
{
	const struct teachhdr *th = (const struct teachhdr *)skb_network_header(skb);

	/* The same types and sizes as IP_TTL (int) and IP_TOS (one byte). */
	if (READ_ONCE(o->recvttl)) {
		int ttl = th->ttl;

		put_cmsg(msg, SOL_TEACH, TEACH_TTL, sizeof(ttl), &ttl);
	}
	if (READ_ONCE(o->recvtos)) {
		u8 tos = th->tos;

		put_cmsg(msg, SOL_TEACH, TEACH_TOS, sizeof(tos), &tos);
	}
	if (READ_ONCE(o->pktinfo)) {
		struct teach_pktinfo pi = {
			.ifindex = skb->skb_iif,
			.dst.s_addr = th->daddr,
		};

		put_cmsg(msg, SOL_TEACH, TEACH_PKTINFO, sizeof(pi), &pi);
	}
}

int teach_sock_path_mtu(struct sock *sk, struct teach_rt_cache *c,
			__be32 daddr, __be32 saddr)
{
	struct teach_flow fl = {
		.daddr = daddr,
		.saddr = saddr,
		.oif = READ_ONCE(sk->sk_bound_dev_if),
		.bcast_ok = sock_flag(sk, SOCK_BROADCAST),
	};
	struct teach_rt_result res;
	int err;

	if (!fl.daddr)
		return -ENOTCONN;
	rcu_read_lock();
	err = teach_route_output_cached(sock_net(sk), c, &fl, &res);
	rcu_read_unlock();
	return err ? err : res.mtu;
}

int teach_ctrl_errno(u8 type, u8 code)
{
	if (type == TEACH_CTRL_TIME_EXCEEDED)
		return -EHOSTUNREACH;
	switch (code) {
	case TEACH_UNREACH_NET:
		return -ENETUNREACH;
	case TEACH_UNREACH_PROTO:
		return -ENOPROTOOPT;
	case TEACH_UNREACH_PORT:
		return -ECONNREFUSED;
	case TEACH_UNREACH_FRAG:
		return -EMSGSIZE;
	case TEACH_UNREACH_ADMIN:
		return -EACCES;
	default:
		return -EHOSTUNREACH;
	}
}

/*
 * As ip_recv_error(): the queued packet is what the error quoted of ours
 * (from its transport header on); msg_name says where it was going, and
 * the control message carries the error and, as SO_EE_OFFENDER, who sent
 * the control message.
 */
int teach_sock_recv_error(struct sock *sk, struct msghdr *msg, size_t len)
{
	struct {
		struct sock_extended_err ee;
		struct sockaddr_teach offender;
	} errhdr;
	const struct teachhdr *outer;
	struct sock_exterr_skb *serr;
	struct sk_buff *skb;
	size_t copied;
	int err;

	skb = sock_dequeue_err_skb(sk);
	if (!skb)
		return -EAGAIN;
	copied = skb->len;
	if (copied > len) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (err)
		goto out;
	sock_recv_timestamp(msg, sk, skb);

	serr = SKB_EXT_ERR(skb);
	outer = (const struct teachhdr *)skb_network_header(skb);
	if (msg->msg_name) {
		DECLARE_SOCKADDR(struct sockaddr_teach *, st, msg->msg_name);

		memset(st, 0, sizeof(*st));
		st->st_family = teach_family;
		memcpy(&st->st_addr.s_addr,
		       skb_network_header(skb) + serr->addr_offset, 4);
		st->st_port = serr->port;
		msg->msg_namelen = sizeof(*st);
	}
	memset(&errhdr, 0, sizeof(errhdr));
	errhdr.ee = serr->ee;
	errhdr.offender.st_family = teach_family;
	errhdr.offender.st_addr.s_addr = outer->saddr;
	put_cmsg(msg, SOL_TEACH, TEACH_RECVERR, sizeof(errhdr), &errhdr);
	msg->msg_flags |= MSG_ERRQUEUE;
	/* As for ICMP errors: reading the last queued one clears sk_err. */
	if (skb_queue_empty_lockless(&sk->sk_error_queue))
		WRITE_ONCE(sk->sk_err, 0);
	err = copied;
out:
	consume_skb(skb);
	return err;
}

void teach_sock_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&sk->sk_error_queue);
}
