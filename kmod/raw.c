// SPDX-License-Identifier: GPL-2.0
/*
 * teach: raw sockets (SOCK_RAW, one protocol number, CAP_NET_RAW).
 *
 * A raw socket receives a copy of every packet of its protocol addressed
 * to this host, network header included, and sends payloads behind a
 * header the kernel builds (or, with TEACH_HDRINCL, its own header).  Ping
 * and traceroute live in userspace on top of it.
 */
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/sock.h>

#include "teach.h"

struct teach_raw_sock {
	struct sock sk;			/* first: sk_alloc() gives us this */
	struct hlist_node node;		/* in teach_net.raw_socks */
	__be32 rcv_saddr;		/* bound address, 0 = any */
	__be32 daddr;			/* connected peer, 0 = none */
	struct teach_sockopts opts;	/* SOL_TEACH options (sockopt.c) */
	bool hdrincl;
	struct teach_rt_cache rtc;	/* route to the connected peer */
};

static struct teach_raw_sock *teach_raw_sk(const struct sock *sk)
{
	return container_of(sk, struct teach_raw_sock, sk);
}

struct proto teach_raw_proto = {
	.name = "TEACH_RAW",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct teach_raw_sock),
};

static bool teach_raw_match(const struct teach_raw_sock *rs,
			    const struct teachhdr *th, int ifindex)
{
	const struct sock *sk = &rs->sk;

	return sk->sk_protocol == th->protocol &&
	       (!rs->rcv_saddr || rs->rcv_saddr == th->daddr) &&
	       (!rs->daddr || rs->daddr == th->saddr) &&
	       (!sk->sk_bound_dev_if || sk->sk_bound_dev_if == ifindex);
}

bool teach_raw_deliver(struct sk_buff *skb)
{
	struct teach_net *tn = teach_pernet(dev_net(skb->dev));
	const struct teachhdr *th = (const struct teachhdr *)skb_network_header(skb);
	struct teach_raw_sock *rs;
	bool delivered = false;

	if (hlist_empty(&tn->raw_socks))
		return false;
	hlist_for_each_entry_rcu(rs, &tn->raw_socks, node) {
		struct sk_buff *clone;

		if (!teach_raw_match(rs, th, skb->dev->ifindex))
			continue;
		delivered = true;
		clone = skb_clone(skb, GFP_ATOMIC);
		/* the header as a wire carries it: no checksum left undone */
		if (clone && teach_csum_finish(clone)) {
			kfree_skb(clone);
			clone = NULL;
		}
		if (!clone) {
			TEACH_INC_STATS(tn, TEACH_MIB_RAW_RCVBUF_ERRORS);
			continue;
		}
		if (sock_queue_rcv_skb(&rs->sk, clone) < 0) {
			TEACH_INC_STATS(tn, TEACH_MIB_RAW_RCVBUF_ERRORS);
			atomic_inc(&rs->sk.sk_drops);
			kfree_skb(clone);
			continue;
		}
		TEACH_INC_STATS(tn, TEACH_MIB_RAW_IN_DELIVERS);
	}
	return delivered;
}

void teach_raw_err(struct sk_buff *skb, u8 type, u8 code, u32 info)
{
	struct teach_net *tn = teach_pernet(dev_net(skb->dev));
	const struct teachhdr *quoted;
	struct teach_raw_sock *rs;

	quoted = (const struct teachhdr *)(skb->data +
					   sizeof(struct teach_ctrlhdr));
	rcu_read_lock();
	hlist_for_each_entry_rcu(rs, &tn->raw_socks, node) {
		struct sock *sk = &rs->sk;

		/* Like IPv4 raw sockets: only with RECVERR, only our flow. */
		if (!READ_ONCE(rs->opts.recverr) ||
		    sk->sk_protocol != quoted->protocol ||
		    (rs->daddr && rs->daddr != quoted->daddr))
			continue;
		WRITE_ONCE(sk->sk_err, -teach_ctrl_errno(type, code));
		sk_error_report(sk);
	}
	rcu_read_unlock();
}

void teach_raw_dev_gone(struct net *net, int ifindex)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_raw_sock *rs;

	spin_lock_bh(&tn->raw_lock);
	hlist_for_each_entry(rs, &tn->raw_socks, node) {
		if (rs->sk.sk_bound_dev_if != ifindex)
			continue;
		WRITE_ONCE(rs->sk.sk_err, ENODEV);
		sk_error_report(&rs->sk);
	}
	spin_unlock_bh(&tn->raw_lock);
}

int teach_raw_walk(struct net *net,
		   int (*fn)(const struct teach_sock_info *si, void *arg),
		   void *arg, unsigned long *pos)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_sock_info si;
	struct teach_raw_sock *rs;
	unsigned long i = 0;
	int ret = 0;

	rcu_read_lock();
	hlist_for_each_entry_rcu(rs, &tn->raw_socks, node) {
		struct sock *sk = &rs->sk;

		if (i++ < *pos)
			continue;
		memset(&si, 0, sizeof(si));
		si.type = SOCK_RAW;
		si.protocol = sk->sk_protocol;
		si.laddr = READ_ONCE(rs->rcv_saddr);
		si.raddr = READ_ONCE(rs->daddr);
		si.state = si.raddr ? TEACH_SS_ESTABLISHED : TEACH_SS_CLOSE;
		si.lport = sk->sk_protocol;	/* as /proc/net/raw shows it */
		si.rqueue = sk_rmem_alloc_get(sk);
		si.wqueue = sk_wmem_alloc_get(sk);
		si.uid = from_kuid_munged(net->user_ns, sock_i_uid(sk));
		si.inode = sock_i_ino(sk);
		si.drops = atomic_read(&sk->sk_drops);
		si.ifindex = READ_ONCE(sk->sk_bound_dev_if);
		ret = fn(&si, arg);
		if (ret) {
			*pos = i - 1;
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}

static int teach_raw_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct teach_net *tn;

	if (!sk)
		return 0;
	tn = teach_pernet(sock_net(sk));
	spin_lock_bh(&tn->raw_lock);
	hlist_del_init_rcu(&teach_raw_sk(sk)->node);
	spin_unlock_bh(&tn->raw_lock);
	sock_orphan(sk);
	sock->sk = NULL;
	/* Readers on the receive path may still hold it: free after RCU. */
	sock_set_flag(sk, SOCK_RCU_FREE);
	sock_put(sk);
	return 0;
}

static int teach_raw_check_addr(struct socket *sock, struct sockaddr *uaddr,
				int len, const struct sockaddr_teach **out)
{
	const struct sockaddr_teach *st = (const struct sockaddr_teach *)uaddr;

	if (len < (int)sizeof(*st))
		return -EINVAL;
	if (st->st_family != teach_family)
		return -EAFNOSUPPORT;
	*out = st;
	return 0;
}

static int teach_raw_bind(struct socket *sock, struct sockaddr *uaddr,
			  int len)
{
	struct teach_raw_sock *rs = teach_raw_sk(sock->sk);
	const struct sockaddr_teach *st;
	__be32 addr;
	int err;

	err = teach_raw_check_addr(sock, uaddr, len, &st);
	if (err)
		return err;
	addr = st->st_addr.s_addr;
	rcu_read_lock();
	if (addr && addr != htonl(TEACH_ADDR_BROADCAST) &&
	    !teach_addr_is_local(sock_net(sock->sk), addr))
		err = -EADDRNOTAVAIL;
	rcu_read_unlock();
	if (!err)
		WRITE_ONCE(rs->rcv_saddr, addr);
	return err;
}

static int teach_raw_connect(struct socket *sock, struct sockaddr *uaddr,
			     int len, int flags)
{
	struct teach_raw_sock *rs = teach_raw_sk(sock->sk);
	const struct sockaddr_teach *st;
	int err;

	if (len >= (int)sizeof(uaddr->sa_family) &&
	    uaddr->sa_family == AF_UNSPEC) {
		WRITE_ONCE(rs->daddr, 0);
		teach_rt_cache_reset(&rs->rtc);
		sock->state = SS_UNCONNECTED;
		return 0;
	}
	err = teach_raw_check_addr(sock, uaddr, len, &st);
	if (err)
		return err;
	WRITE_ONCE(rs->daddr, st->st_addr.s_addr);
	teach_rt_cache_reset(&rs->rtc);
	sock->state = SS_CONNECTED;
	return 0;
}

static int teach_raw_getname(struct socket *sock, struct sockaddr *uaddr,
			     int peer)
{
	struct teach_raw_sock *rs = teach_raw_sk(sock->sk);
	struct sockaddr_teach *st = (struct sockaddr_teach *)uaddr;

	memset(st, 0, sizeof(*st));
	st->st_family = teach_family;
	if (peer) {
		if (!rs->daddr)
			return -ENOTCONN;
		st->st_addr.s_addr = rs->daddr;
	} else {
		st->st_addr.s_addr = rs->rcv_saddr;
	}
	return sizeof(*st);
}

static int teach_raw_sendmsg(struct socket *sock, struct msghdr *msg,
			     size_t len)
{
	struct sock *sk = sock->sk;
	struct teach_raw_sock *rs = teach_raw_sk(sk);
	struct net *net = sock_net(sk);
	struct teach_rt_cache *rtc = NULL;
	struct teach_flow fl = {};
	struct sk_buff *skb;
	int err;

	if (msg->msg_flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_DONTROUTE))
		return -EOPNOTSUPP;
	if (len > TEACH_MAXPACKET - TEACH_HLEN)
		return -EMSGSIZE;
	if (msg->msg_name) {
		const struct sockaddr_teach *st;

		err = teach_raw_check_addr(sock, msg->msg_name,
					   msg->msg_namelen, &st);
		if (err)
			return err;
		fl.daddr = st->st_addr.s_addr;
	} else {
		fl.daddr = READ_ONCE(rs->daddr);
		if (!fl.daddr)
			return -EDESTADDRREQ;
		rtc = &rs->rtc;
	}
	if (READ_ONCE(rs->hdrincl) && len < TEACH_HLEN)
		return -EINVAL;

	skb = sock_alloc_send_skb(sk, LL_MAX_HEADER + TEACH_MAX_HLEN + len,
				  msg->msg_flags & MSG_DONTWAIT, &err);
	if (!skb)
		return err;
	skb_reserve(skb, LL_MAX_HEADER + TEACH_MAX_HLEN);
	err = memcpy_from_msg(skb_put(skb, len), msg, len);
	if (err)
		goto free;
	skb->priority = READ_ONCE(sk->sk_priority);
	skb->mark = READ_ONCE(sk->sk_mark);

	fl.oif = READ_ONCE(sk->sk_bound_dev_if);
	fl.bcast_ok = sock_flag(sk, SOCK_BROADCAST);
	if (READ_ONCE(rs->hdrincl)) {
		struct teachhdr *th = (struct teachhdr *)skb->data;
		struct teach_rt_result res;

		/* The header is the application's; length and sum are ours. */
		if ((th->ver_ihl & 0xf) * 4 < TEACH_HLEN ||
		    (th->ver_ihl & 0xf) * 4 > len) {
			err = -EINVAL;
			goto free;
		}
		skb_reset_network_header(skb);
		th->tot_len = htons(len);
		th->check = 0;
		th->check = ip_fast_csum(th, th->ver_ihl & 0xf);
		fl.daddr = th->daddr;
		fl.saddr = th->saddr;
		rcu_read_lock();
		err = teach_route_output(net, &fl, &res);
		/* As IPv4's raw_send_hdrinc(): the application fragments. */
		if (!err && len > res.mtu)
			err = -EMSGSIZE;
		if (err) {
			rcu_read_unlock();
			goto free;
		}
		err = teach_output_routed(net, skb, &res);
		rcu_read_unlock();
	} else {
		int ttl = READ_ONCE(rs->opts.ttl);

		fl.saddr = READ_ONCE(rs->rcv_saddr);
		if (fl.saddr == htonl(TEACH_ADDR_BROADCAST))
			fl.saddr = 0;
		fl.protocol = sk->sk_protocol;
		fl.tos = READ_ONCE(rs->opts.tos);
		fl.ttl = ttl < 0 ? 0 : ttl;
		fl.pmtudisc = READ_ONCE(rs->opts.pmtudisc);
		err = teach_output_cached(net, skb, &fl, rtc);
	}
	return err < 0 ? err : len;

free:
	kfree_skb(skb);
	return err;
}

static int teach_raw_recvmsg(struct socket *sock, struct msghdr *msg,
			     size_t len, int flags)
{
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	size_t copied;
	int err;

	if (flags & ~(MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC | MSG_WAITALL |
		      MSG_CMSG_CLOEXEC))
		return -EOPNOTSUPP;
	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;
	copied = skb->len;
	if (copied > len) {
		copied = len;
		msg->msg_flags |= MSG_TRUNC;
	}
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (!err && msg->msg_name) {
		DECLARE_SOCKADDR(struct sockaddr_teach *, st, msg->msg_name);
		const struct teachhdr *th = (const struct teachhdr *)skb->data;

		memset(st, 0, sizeof(*st));
		st->st_family = teach_family;
		st->st_addr.s_addr = th->saddr;
		msg->msg_namelen = sizeof(*st);
	}
	sock_recv_timestamp(msg, sk, skb);
	if (!err)
		teach_sockopt_cmsgs(msg, &teach_raw_sk(sk)->opts, skb);
	if (!err && (flags & MSG_TRUNC))
		copied = skb->len;
	skb_free_datagram(sk, skb);
	return err ? err : copied;
}

static int teach_raw_setsockopt(struct socket *sock, int level, int optname,
				sockptr_t optval, unsigned int optlen)
{
	struct teach_raw_sock *rs = teach_raw_sk(sock->sk);
	int val;

	if (level != SOL_TEACH)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	if (optname == TEACH_HDRINCL) {
		WRITE_ONCE(rs->hdrincl, !!val);
		return 0;
	}
	return teach_sockopt_set(sock->sk, &rs->opts, optname, val);
}

/* TEACH_MTU: what a packet to the connected peer may carry, header included */
static int teach_raw_path_mtu(struct teach_raw_sock *rs)
{
	__be32 saddr = READ_ONCE(rs->rcv_saddr);

	if (saddr == htonl(TEACH_ADDR_BROADCAST))
		saddr = 0;
	return teach_sock_path_mtu(&rs->sk, &rs->rtc, READ_ONCE(rs->daddr),
				   saddr);
}

static int teach_raw_getsockopt(struct socket *sock, int level, int optname,
				char __user *optval, int __user *optlen)
{
	struct teach_raw_sock *rs = teach_raw_sk(sock->sk);
	int val, len, err;

	if (level != SOL_TEACH)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	switch (optname) {
	case TEACH_HDRINCL:
		val = READ_ONCE(rs->hdrincl);
		break;
	case TEACH_MTU:
		val = teach_raw_path_mtu(rs);
		if (val < 0)
			return val;
		break;
	default:
		err = teach_sockopt_get(sock->sk, &rs->opts, optname, &val);
		if (err)
			return err;
		break;
	}
	return teach_sockopt_put_int(optval, optlen, len, val);
}

/* .family is informational only; the live number is teach_family. */
static const struct proto_ops teach_raw_ops = {
	.family = AF_TEACH_DEFAULT,
	.owner = THIS_MODULE,
	.release = teach_raw_release,
	.bind = teach_raw_bind,
	.connect = teach_raw_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = teach_raw_getname,
	.poll = datagram_poll,
	.ioctl = sock_no_ioctl,
	.listen = sock_no_listen,
	.shutdown = sock_no_shutdown,
	.setsockopt = teach_raw_setsockopt,
	.getsockopt = teach_raw_getsockopt,
	.sendmsg = teach_raw_sendmsg,
	.recvmsg = teach_raw_recvmsg,
	.mmap = sock_no_mmap,
};

int teach_raw_create(struct net *net, struct socket *sock, int protocol,
		     int kern)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_raw_sock *rs;
	struct sock *sk;

	if (protocol <= 0 || protocol >= TEACHPROTO_MAX)
		return -EPROTONOSUPPORT;
	if (!kern && !ns_capable(net->user_ns, CAP_NET_RAW))
		return -EPERM;

	sk = sk_alloc(net, teach_family, GFP_KERNEL, &teach_raw_proto, kern);
	if (!sk)
		return -ENOMEM;
	sock->ops = &teach_raw_ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	sk->sk_protocol = protocol;
	/* What is still queued when the socket goes is freed with it. */
	sk->sk_destruct = teach_sock_destruct;
	rs = teach_raw_sk(sk);
	teach_sockopts_init(&rs->opts);
	teach_rt_cache_init(&rs->rtc);

	spin_lock_bh(&tn->raw_lock);
	hlist_add_head_rcu(&rs->node, &tn->raw_socks);
	spin_unlock_bh(&tn->raw_lock);
	return 0;
}

int teach_raw_init(void)
{
	return proto_register(&teach_raw_proto, 1);
}

void teach_raw_exit(void)
{
	proto_unregister(&teach_raw_proto);
}
