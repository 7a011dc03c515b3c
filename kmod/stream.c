// SPDX-License-Identifier: GPL-2.0
/*
 * teach: stream sockets (SOCK_STREAM, protocol 6), like TCP.
 *
 * This file has the socket calls and the life of a connection: creation,
 * the listener's queues, TIME_WAIT, the end.  The segments themselves are
 * in stream_input.c and stream_output.c, the timers in stream_timer.c,
 * congestion control in stream_cong.c (Documentation/stream.rst).
 *
 * Lifetime.  sk_alloc()'s reference belongs to whoever owns the
 * connection: the process through its file, or, once the process closed
 * it, the connection itself (an orphan, SOCK_DEAD), or, for a child not
 * yet accepted, the listener's queue.  teach_stream_done() ends a
 * connection; when nobody owns it any more teach_stream_destroy() drops
 * that reference.  Lookups on the receive path take a reference of their
 * own with refcount_inc_not_zero() under RCU; sockets are freed after a
 * grace period (SOCK_RCU_FREE).
 *
 * A listener's children: a SYN makes a whole socket in SYN_RECV, hashed
 * in the connected table, waiting in the listener's SYN queue; its
 * handshake's ACK moves it to the accept queue.  Both queues are under
 * the listener's qlock; a queued child holds a reference to the listener.
 */
#include <asm/ioctls.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sockios.h>
#include <net/sock.h>

#include "stream.h"
#include "stream_trace.h"

/* Payload of one queued skb: one linear 8 KiB buffer, header room included. */
#define TEACH_STREAM_SKB_ROOM	(LL_MAX_HEADER + TEACH_MAX_HLEN + \
				 TEACH_STREAM_MAX_HLEN)
#define TEACH_STREAM_SKB_MAX	(SKB_WITH_OVERHEAD(8192) - TEACH_STREAM_SKB_ROOM)

/* ephemeral ports tried by connect() when a four-tuple is taken */
#define TEACH_STREAM_CONNECT_TRIES	8

static void teach_stream_rehash(struct sock *sk)
{
	teach_rt_cache_reset(&teach_stream_sk(sk)->rtc);
}

struct proto teach_stream_proto = {
	.name = "TEACH_STREAM",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct teach_stream_sock),
	.backlog_rcv = teach_stream_backlog_rcv,
	.rehash = teach_stream_rehash,
	.keepalive = teach_stream_set_keepalive,
};

void teach_stream_set_state(struct sock *sk, int state)
{
	/* a socket that stops listening takes no more connection requests */
	if (sk->sk_state == TCP_LISTEN && state != TCP_LISTEN)
		teach_pcb_unlisten(teach_stream_table(sk),
				   &teach_stream_sk(sk)->pcb);
	if (sk->sk_state != state)
		trace_teach_stream_state(sk, sk->sk_state, state);
	/* poll() and the walks read it without the lock */
	WRITE_ONCE(sk->sk_state, state);
	/* synchronised: the keepalive clock starts (with SO_KEEPALIVE) */
	if (state == TCP_ESTABLISHED) {
		teach_stream_sk(sk)->rcv_tstamp = jiffies;
		teach_stream_sk(sk)->ka_probes_out = 0;
		teach_stream_ka_reset(sk);
	}
}

/*
 * sk_write_space: wake writers once a third of the send buffer is free
 * again (sk_stream_write_space(), which modules cannot call).
 */
void teach_stream_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !__sk_stream_is_writeable(sk, 1))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/* The segment size for the route to the peer (RFC 9293 3.7.1). */
u16 teach_stream_mss_for(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	int mtu = teach_sock_path_mtu(sk, &ts->rtc, ts->pcb.raddr,
				      ts->pcb.laddr);

	if (mtu < 0)
		mtu = 576;
	mtu -= TEACH_HLEN + TEACH_STREAM_HLEN;
	return clamp_t(int, mtu, 64, 65535 - TEACH_HLEN - TEACH_STREAM_HLEN);
}

static void teach_stream_set_mss(struct teach_stream_sock *ts)
{
	ts->mss = min_t(u32, min(ts->rcv_mss, ts->mss_peer),
			TEACH_STREAM_SKB_MAX);
	/* RFC 6691: the MSS counts no options; timestamps are on every segment */
	if (ts->tstamp_ok)
		ts->mss -= TEACH_STREAM_TS_SPACE;
}

void teach_stream_offer_opts(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	const struct teach_sysctl *sc = &teach_pernet(sock_net(sk))->sysctl;

	ts->wscale_ok = READ_ONCE(sc->stream_window_scaling);
	/* RFC 7323 2.3: from the largest window the buffer could offer */
	ts->rcv_wscale = ts->wscale_ok ?
			 teach_wscale_for(teach_stream_wscale_space(sk)) : 0;
	ts->snd_wscale = 0;
	ts->tstamp_ok = READ_ONCE(sc->stream_timestamps);
	ts->sack_ok = READ_ONCE(sc->stream_sack);
	/* RFC 7323 7.1: a random offset per connection hides the clock */
	ts->ts_offset = get_random_u32();
	ts->ts_recent = 0;
	ts->ts_recent_valid = false;
	ts->num_rsacks = 0;
	ts->sb.n = 0;
	ts->opts_agreed = false;
}

void teach_stream_agree_opts(struct sock *sk, const struct teach_stream_cb *cb)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	/* RFC 7323 2.2: both SYNs carry it, or neither end scales */
	if (ts->wscale_ok && (cb->opts & TEACH_CB_OPT_WSCALE)) {
		ts->snd_wscale = cb->wscale;
	} else {
		ts->wscale_ok = false;
		ts->snd_wscale = 0;
		ts->rcv_wscale = 0;
	}
	ts->tstamp_ok = ts->tstamp_ok && (cb->opts & TEACH_CB_OPT_TS);
	if (ts->tstamp_ok) {
		ts->ts_recent = cb->tsval;
		ts->ts_recent_valid = true;
	}
	ts->sack_ok = ts->sack_ok && (cb->opts & TEACH_CB_OPT_SACK_PERM);
	ts->opts_agreed = true;
}

static void teach_stream_unlink_child(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct sock *lsk = ts->parent;
	struct teach_stream_sock *lts;

	if (!lsk)
		return;
	lts = teach_stream_sk(lsk);
	spin_lock_bh(&lts->qlock);
	if (ts->parent) {
		list_del_init(&ts->q_node);
		if (ts->in_acc)
			WRITE_ONCE(lts->acc_qlen, lts->acc_qlen - 1);
		else
			lts->syn_qlen--;
		WRITE_ONCE(lsk->sk_ack_backlog, lts->acc_qlen);
		ts->parent = NULL;
	} else {
		lsk = NULL;
	}
	spin_unlock_bh(&lts->qlock);
	if (lsk) {
		/* nobody will accept it: it is nobody's */
		sock_set_flag(sk, SOCK_DEAD);
		sock_put(lsk);
	}
}

/* Socket locked, nobody owns it any more: let it go. */
static void teach_stream_destroy(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	if (ts->destroyed)
		return;
	ts->destroyed = true;
	teach_stream_timers_stop(sk);
	teach_stream_free_write_queue(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	teach_ofo_purge(&ts->ofo);
	teach_pcb_unbind(teach_stream_table(sk), &ts->pcb);
	sock_put(sk);
}

void teach_stream_done(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_pcb_table *t = teach_stream_table(sk);

	if (sk->sk_state != TCP_CLOSE) {
		if (ts->in_tw_count) {
			atomic_dec(&teach_pernet(sock_net(sk))->stream_tw_count);
			ts->in_tw_count = false;
		}
		teach_stream_set_state(sk, TCP_CLOSE);
		teach_stream_timers_stop(sk);
		teach_stream_free_write_queue(sk);
		teach_ofo_purge(&ts->ofo);
		/* a port the user bound stays bound, as TCP's SOCK_BINDPORT_LOCK */
		if (ts->pcb.port_locked)
			teach_pcb_disconnect(t, &ts->pcb);
		else
			teach_pcb_unbind(t, &ts->pcb);
		WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	}
	teach_stream_unlink_child(sk);
	if (sock_flag(sk, SOCK_DEAD))
		teach_stream_destroy(sk);
	else
		sk->sk_state_change(sk);
}

void teach_stream_time_wait(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	int msl = READ_ONCE(tn->sysctl.stream_msl_ms);

	if (sk->sk_state != TCP_TIME_WAIT) {
		if (atomic_inc_return(&tn->stream_tw_count) >
		    READ_ONCE(tn->sysctl.stream_max_tw)) {
			atomic_dec(&tn->stream_tw_count);
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_TW_OVERFLOWS);
			teach_stream_done(sk);
			return;
		}
		ts->in_tw_count = true;
		teach_stream_set_state(sk, TCP_TIME_WAIT);
		sk_stop_timer(sk, &ts->rtx_timer);
		sk_stop_timer(sk, &ts->delack_timer);
		sk_stop_timer(sk, &ts->ka_timer);
		teach_stream_free_write_queue(sk);
		WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_state_change(sk);
	}
	/* 2 MSL from the last FIN seen (RFC 9293 3.6) */
	teach_stream_arm_sk_timer(sk, msecs_to_jiffies(2 * msl));
}

static void teach_stream_init_sock(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	const struct teach_sysctl *sc = &teach_pernet(sock_net(sk))->sysctl;

	sk->sk_type = SOCK_STREAM;
	sk->sk_protocol = TEACHPROTO_STREAM;
	sk->sk_state = TCP_CLOSE;
	sk->sk_destruct = teach_sock_destruct;
	sk->sk_write_space = teach_stream_write_space;
	sk->sk_backlog_rcv = teach_stream_backlog_rcv;	/* as inet_create() */
	sock_set_flag(sk, SOCK_RCU_FREE);
	ts->pcb.sk = sk;
	teach_sockopts_init(&ts->opts);
	teach_rt_cache_init(&ts->rtc);
	ts->ofo = RB_ROOT;
	spin_lock_init(&ts->qlock);
	INIT_LIST_HEAD(&ts->syn_q);
	INIT_LIST_HEAD(&ts->acc_q);
	INIT_LIST_HEAD(&ts->q_node);
	teach_stream_timers_init(sk);
	teach_rtt_init(&ts->rtt, READ_ONCE(sc->stream_rto_initial_ms) *
		       USEC_PER_MSEC);
	ts->mss_peer = 536;
	ts->rcv_mss = 536;
	ts->mss = 536;
	teach_cong_init(&ts->cong, READ_ONCE(sc->stream_cong), ts->mss);
}

static const struct proto_ops teach_stream_ops;

int teach_stream_create(struct net *net, struct socket *sock, int protocol,
			int kern)
{
	struct sock *sk;

	if (protocol && protocol != TEACHPROTO_STREAM)
		return -EPROTONOSUPPORT;
	sk = sk_alloc(net, teach_family, GFP_KERNEL, &teach_stream_proto, kern);
	if (!sk)
		return -ENOMEM;
	sock->ops = &teach_stream_ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	teach_stream_init_sock(sk);
	return 0;
}

/* The first sequence number of a connection (RFC 6528). */
static u32 teach_stream_new_isn(struct teach_stream_sock *ts)
{
	return teach_stream_isn(&teach_pernet(sock_net(&ts->sk))->stream_isn_key,
				ts->pcb.laddr, htons(ts->pcb.lport),
				ts->pcb.raddr, htons(ts->pcb.rport),
				ktime_get_real_ns());
}

static void teach_stream_init_seq(struct teach_stream_sock *ts)
{
	ts->iss = teach_stream_new_isn(ts);
	ts->snd_una = ts->iss;
	ts->snd_nxt = ts->iss;
	ts->snd_max = ts->iss;
	ts->write_seq = ts->iss;
}

/*
 * Listener locked (BH, or its backlog): a SYN makes a child in SYN_RECV
 * that answers with SYN-ACK.  NULL when there was no memory.
 */
struct sock *teach_stream_child(struct sock *lsk, struct sk_buff *skb)
{
	const struct teachhdr *th = (const struct teachhdr *)skb_network_header(skb);
	const struct teach_streamhdr *h =
		(const struct teach_streamhdr *)skb_transport_header(skb);
	struct teach_stream_sock *lts = teach_stream_sk(lsk);
	struct teach_stream_cb *cb = TEACH_STREAM_CB(skb);
	struct teach_net *tn = teach_pernet(sock_net(lsk));
	struct teach_pcb_table *t = teach_stream_table(lsk);
	struct teach_stream_sock *ts;
	struct sock *sk;

	sk = sk_alloc(sock_net(lsk), teach_family, GFP_ATOMIC,
		      &teach_stream_proto, 0);
	if (!sk)
		return NULL;
	sock_init_data(NULL, sk);
	teach_stream_init_sock(sk);
	ts = teach_stream_sk(sk);
	/* what the listener was told, the child inherits */
	ts->opts = lts->opts;
	ts->nodelay = lts->nodelay;
	ts->cork = lts->cork;
	sk->sk_rcvbuf = READ_ONCE(lsk->sk_rcvbuf);
	sk->sk_sndbuf = READ_ONCE(lsk->sk_sndbuf);
	sk->sk_userlocks = lsk->sk_userlocks;
	sk->sk_bound_dev_if = READ_ONCE(lsk->sk_bound_dev_if);
	sk->sk_reuse = lsk->sk_reuse;
	sk->sk_reuseport = lsk->sk_reuseport;
	sk->sk_mark = READ_ONCE(lsk->sk_mark);
	sk->sk_priority = READ_ONCE(lsk->sk_priority);
	sk->sk_lingertime = lsk->sk_lingertime;
	if (sock_flag(lsk, SOCK_LINGER))
		sock_set_flag(sk, SOCK_LINGER);
	if (sock_flag(lsk, SOCK_KEEPOPEN))
		sock_set_flag(sk, SOCK_KEEPOPEN);
	ts->ka_time = lts->ka_time;
	ts->ka_intvl = lts->ka_intvl;
	ts->ka_probes = lts->ka_probes;
	sk->sk_allocation = GFP_ATOMIC;
	ts->pcb.uid = lts->pcb.uid;
	ts->pcb.laddr = th->daddr;
	ts->pcb.lport = lts->pcb.lport;
	ts->pcb.raddr = th->saddr;
	ts->pcb.rport = ntohs(h->source);

	ts->irs = cb->seq;
	ts->rcv_nxt = cb->seq + 1;
	ts->rcv_wup = ts->rcv_nxt;
	ts->copied_seq = ts->rcv_nxt;
	ts->mss_peer = cb->mss ? cb->mss : 536;
	ts->rcv_mss = teach_stream_mss_for(sk);
	teach_stream_offer_opts(sk);
	teach_stream_agree_opts(sk, cb);
	teach_stream_set_mss(ts);
	ts->snd_wnd = cb->window;
	ts->max_window = cb->window;
	ts->snd_wl1 = cb->seq;
	/* the listener's algorithm (TEACH_CONGESTION), as Linux's children */
	teach_cong_init(&ts->cong, lts->cong.ops, ts->mss);
	teach_stream_init_seq(ts);
	if (teach_stream_queue_ctl(sk, TEACH_STREAM_F_SYN)) {
		sk_free(sk);
		return NULL;
	}
	sk->sk_state = TCP_SYN_RECV;

	sock_hold(lsk);
	ts->parent = lsk;
	spin_lock_bh(&lts->qlock);
	list_add_tail(&ts->q_node, &lts->syn_q);
	lts->syn_qlen++;
	spin_unlock_bh(&lts->qlock);
	TEACH_INC_STATS(tn, TEACH_MIB_STREAM_PASSIVE_OPENS);

	local_bh_disable();
	bh_lock_sock_nested(sk);
	teach_pcb_inherit(t, &ts->pcb, ts->pcb.laddr, ts->pcb.lport);
	teach_pcb_connect(t, &ts->pcb, ts->pcb.laddr, ts->pcb.raddr,
			  ts->pcb.rport);
	teach_stream_xmit_skb(sk, skb_peek(&sk->sk_write_queue), false);
	ts->snd_nxt = ts->iss + 1;
	ts->snd_max = ts->snd_nxt;
	teach_stream_arm_rtx(sk);
	bh_unlock_sock(sk);
	local_bh_enable();
	sk->sk_allocation = GFP_KERNEL;
	return sk;
}

bool teach_stream_child_ready(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct sock *lsk = ts->parent;
	struct teach_stream_sock *lts;
	bool ok = true;

	if (!lsk)
		return true;	/* the listener is closing: it takes it down */
	lts = teach_stream_sk(lsk);
	spin_lock_bh(&lts->qlock);
	if (ts->parent) {
		if (lts->acc_qlen > READ_ONCE(lsk->sk_max_ack_backlog)) {
			ok = false;
		} else {
			list_move_tail(&ts->q_node, &lts->acc_q);
			ts->in_acc = true;
			lts->syn_qlen--;
			WRITE_ONCE(lts->acc_qlen, lts->acc_qlen + 1);
			WRITE_ONCE(lsk->sk_ack_backlog, lts->acc_qlen);
		}
	}
	spin_unlock_bh(&lts->qlock);
	if (ok)
		lsk->sk_data_ready(lsk);
	return ok;
}

/* Listener locked by its process: every child it holds is reset. */
static void teach_stream_listen_stop(struct sock *lsk)
{
	struct teach_stream_sock *lts = teach_stream_sk(lsk);
	struct teach_stream_sock *ts;
	struct sock *sk;

	for (;;) {
		spin_lock_bh(&lts->qlock);
		ts = list_first_entry_or_null(&lts->syn_q,
					      struct teach_stream_sock, q_node);
		if (ts) {
			lts->syn_qlen--;
		} else {
			ts = list_first_entry_or_null(&lts->acc_q,
						      struct teach_stream_sock,
						      q_node);
			if (ts)
				WRITE_ONCE(lts->acc_qlen, lts->acc_qlen - 1);
		}
		if (ts) {
			list_del_init(&ts->q_node);
			ts->parent = NULL;
		}
		WRITE_ONCE(lsk->sk_ack_backlog, lts->acc_qlen);
		spin_unlock_bh(&lts->qlock);
		if (!ts)
			break;
		sk = &ts->sk;
		sock_hold(sk);
		local_bh_disable();
		bh_lock_sock(sk);
		sock_set_flag(sk, SOCK_DEAD);
		if (sk->sk_state != TCP_CLOSE) {
			TEACH_INC_STATS(teach_pernet(sock_net(sk)),
					TEACH_MIB_STREAM_ABORT_ON_CLOSE);
			teach_stream_send_rst(sk);
		}
		teach_stream_done(sk);
		bh_unlock_sock(sk);
		local_bh_enable();
		sock_put(sk);
		sock_put(lsk);		/* the child's reference */
	}
	teach_stream_set_state(lsk, TCP_CLOSE);
	teach_pcb_unbind(teach_stream_table(lsk), &lts->pcb);
}

/* ---- the socket calls ---- */

static int teach_stream_check_addr(const struct sockaddr *uaddr, int len,
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

static int teach_stream_bind(struct socket *sock, struct sockaddr *uaddr,
			     int len)
{
	struct sock *sk = sock->sk;
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	const struct sockaddr_teach *st;
	__be32 addr;
	u16 port;
	int err;

	err = teach_stream_check_addr(uaddr, len, &st);
	if (err)
		return err;
	addr = st->st_addr.s_addr;
	port = ntohs(st->st_port);
	if (addr) {
		rcu_read_lock();
		if (!teach_addr_is_local(sock_net(sk), addr))
			err = -EADDRNOTAVAIL;
		rcu_read_unlock();
		if (err)
			return err;
	}
	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || ts->pcb.lport)
		goto out;
	err = teach_pcb_bind(teach_stream_table(sk), &ts->pcb, addr, false,
			     port, 0, 0);
	if (err)
		goto out;
	ts->pcb.addr_locked = !!addr;
	ts->pcb.port_locked = !!port;
	teach_rt_cache_reset(&ts->rtc);
out:
	release_sock(sk);
	return err;
}

static int teach_stream_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	int somax = READ_ONCE(sock_net(sk)->core.sysctl_somaxconn);
	int err = -EINVAL;

	backlog = clamp(backlog, 0, somax);
	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED)
		goto out;
	if (sk->sk_state == TCP_LISTEN) {
		WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
		err = 0;
		goto out;
	}
	if (sk->sk_state != TCP_CLOSE)
		goto out;
	if (!ts->pcb.lport) {
		err = teach_pcb_bind(teach_stream_table(sk), &ts->pcb, 0, false,
				     0, 0, 0);
		if (err)
			goto out;
		ts->pcb.addr_locked = false;
		ts->pcb.port_locked = true;	/* a listener keeps its port */
	}
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	WRITE_ONCE(sk->sk_ack_backlog, 0);
	sk->sk_shutdown = 0;
	teach_stream_set_state(sk, TCP_LISTEN);
	teach_pcb_listen(teach_stream_table(sk), &ts->pcb);
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* Socket locked, CLOSE: choose the route and the port, send the SYN. */
static int teach_stream_do_connect(struct sock *sk,
				   const struct sockaddr_teach *st)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	struct teach_pcb_table *t = teach_stream_table(sk);
	struct teach_rt_result res;
	struct teach_flow fl = {};
	u16 rport = ntohs(st->st_port);
	int err, tries;
	bool autobind;
	__be32 laddr;

	fl.daddr = st->st_addr.s_addr;
	fl.saddr = ts->pcb.addr_locked ? ts->pcb.laddr : 0;
	fl.oif = READ_ONCE(sk->sk_bound_dev_if);
	teach_rt_cache_reset(&ts->rtc);
	rcu_read_lock();
	err = teach_route_output_cached(sock_net(sk), &ts->rtc, &fl, &res);
	if (!err && res.type != TEACH_RTN_UNICAST && res.type != TEACH_RTN_LOCAL)
		err = -ENETUNREACH;
	rcu_read_unlock();
	if (err)
		return err;
	laddr = ts->pcb.addr_locked ? ts->pcb.laddr : fl.saddr;
	/*
	 * The four-tuple must be free: a socket bound with SO_REUSEADDR to
	 * the port of one in TIME_WAIT cannot take its connection's place
	 * (EADDRNOTAVAIL, as Linux without timestamps); an ephemeral port
	 * that clashes is given back and another one tried.
	 */
	for (tries = 0;; tries++) {
		autobind = !ts->pcb.lport;
		if (autobind) {
			err = teach_pcb_bind(t, &ts->pcb, 0, false, 0, fl.daddr,
					     rport);
			if (err)
				return err;
			ts->pcb.addr_locked = false;
			ts->pcb.port_locked = false;
		}
		err = teach_pcb_connect_unique(t, &ts->pcb, laddr, fl.daddr,
					       rport);
		if (!err)
			break;
		if (!autobind || tries >= TEACH_STREAM_CONNECT_TRIES)
			return err;
		teach_pcb_unbind(t, &ts->pcb);
	}

	teach_stream_init_seq(ts);
	ts->rcv_mss = teach_stream_mss_for(sk);
	ts->mss_peer = ts->rcv_mss;	/* until its SYN says */
	ts->tstamp_ok = false;		/* the MSS counts them once agreed */
	teach_stream_set_mss(ts);
	teach_stream_offer_opts(sk);
	ts->backoff = 0;
	ts->fin_rcvd = false;
	ts->fin_queued = false;
	ts->destroyed = false;
	teach_stream_free_write_queue(sk);
	err = teach_stream_queue_ctl(sk, TEACH_STREAM_F_SYN);
	if (err) {
		if (ts->pcb.port_locked)
			teach_pcb_disconnect(t, &ts->pcb);
		else
			teach_pcb_unbind(t, &ts->pcb);
		return err;
	}
	sk->sk_shutdown = 0;
	sk->sk_err = 0;
	sock_reset_flag(sk, SOCK_DONE);
	teach_stream_set_state(sk, TCP_SYN_SENT);
	TEACH_INC_STATS(tn, TEACH_MIB_STREAM_ACTIVE_OPENS);
	teach_stream_xmit_skb(sk, skb_peek(&sk->sk_write_queue), false);
	ts->snd_nxt = ts->iss + 1;
	ts->snd_max = ts->snd_nxt;
	teach_stream_arm_rtx(sk);
	return 0;
}

static int teach_stream_wait_connect(struct sock *sk, long *timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (!*timeo) {
			err = -EINPROGRESS;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(*timeo);
			break;
		}
		sk_wait_event(sk, timeo,
			      !((1 << sk->sk_state) &
				(TCPF_SYN_SENT | TCPF_SYN_RECV)), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

static int teach_stream_connect(struct socket *sock, struct sockaddr *uaddr,
				int len, int flags)
{
	struct sock *sk = sock->sk;
	const struct sockaddr_teach *st;
	long timeo;
	int err;

	err = teach_stream_check_addr(uaddr, len, &st);
	if (err)
		return err;
	if (!st->st_port || !st->st_addr.s_addr)
		return -EINVAL;

	lock_sock(sk);
	switch (sock->state) {
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != TCP_CLOSE)
			goto out;
		err = teach_stream_do_connect(sk, st);
		if (err)
			goto out;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	default:
		err = -EINVAL;
		goto out;
	}
	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (!timeo)
			goto out;
		err = teach_stream_wait_connect(sk, &timeo);
		if (err)
			goto out;
	}
	if (sk->sk_state == TCP_CLOSE) {
		err = sock_error(sk) ? : -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		goto out;
	}
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
}

static int teach_stream_accept(struct socket *sock, struct socket *newsock,
			       int flags, bool kern)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *lsk = sock->sk;
	struct teach_stream_sock *lts = teach_stream_sk(lsk);
	struct teach_stream_sock *ts = NULL;
	struct sock *sk;
	long timeo;
	int err;

	lock_sock(lsk);
	timeo = sock_rcvtimeo(lsk, flags & O_NONBLOCK);
	add_wait_queue(sk_sleep(lsk), &wait);
	for (;;) {
		err = -EINVAL;
		if (lsk->sk_state != TCP_LISTEN)
			break;
		spin_lock_bh(&lts->qlock);
		ts = list_first_entry_or_null(&lts->acc_q,
					      struct teach_stream_sock, q_node);
		if (ts) {
			list_del_init(&ts->q_node);
			WRITE_ONCE(lts->acc_qlen, lts->acc_qlen - 1);
			WRITE_ONCE(lsk->sk_ack_backlog, lts->acc_qlen);
			ts->parent = NULL;
		}
		spin_unlock_bh(&lts->qlock);
		if (ts) {
			err = 0;
			break;
		}
		err = -EAGAIN;
		if (!timeo)
			break;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			break;
		sk_wait_event(lsk, &timeo, READ_ONCE(lts->acc_qlen) ||
			      lsk->sk_state != TCP_LISTEN, &wait);
	}
	remove_wait_queue(sk_sleep(lsk), &wait);
	release_sock(lsk);
	if (err)
		return err;
	sock_put(lsk);		/* the child held it while queued */

	sk = &ts->sk;
	lock_sock(sk);
	sock_graft(sk, newsock);
	newsock->state = SS_CONNECTED;
	release_sock(sk);
	return 0;
}

static int teach_stream_getname(struct socket *sock, struct sockaddr *uaddr,
				int peer)
{
	struct sock *sk = sock->sk;
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct sockaddr_teach *st = (struct sockaddr_teach *)uaddr;
	int err = sizeof(*st);

	memset(st, 0, sizeof(*st));
	st->st_family = teach_family;
	lock_sock(sk);
	if (peer) {
		if (!ts->pcb.rport ||
		    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT |
					    TCPF_LISTEN)))
			err = -ENOTCONN;
		st->st_addr.s_addr = ts->pcb.raddr;
		st->st_port = htons(ts->pcb.rport);
	} else {
		st->st_addr.s_addr = ts->pcb.laddr;
		st->st_port = htons(ts->pcb.lport);
	}
	release_sock(sk);
	return err;
}

/* bytes the reader may take now */
static u32 teach_stream_inq(const struct teach_stream_sock *ts)
{
	u32 n = READ_ONCE(ts->rcv_nxt) - READ_ONCE(ts->copied_seq);

	if (READ_ONCE(ts->fin_rcvd) && n)
		n--;
	return n;
}

static __poll_t teach_stream_poll(struct file *file, struct socket *sock,
				  poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	int state, shutdown;
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);
	state = READ_ONCE(sk->sk_state);
	if (state == TCP_LISTEN)
		return READ_ONCE(ts->acc_qlen) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (!((1 << state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))) {
		int target = sock_rcvlowat(sk, 0, INT_MAX);

		if (teach_stream_inq(ts) >= (u32)target)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* a write_space between the test and the bit */
				smp_mb__after_atomic();
				if (sk_stream_is_writeable(sk))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	if (READ_ONCE(sk->sk_err) ||
	    !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

static int teach_stream_ioctl(struct socket *sock, unsigned int cmd,
			      unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct sk_buff *skb;
	int amount = 0;

	switch (cmd) {
	case SIOCINQ:
		lock_sock(sk);
		if (sk->sk_state == TCP_LISTEN) {
			release_sock(sk);
			return -EINVAL;
		}
		amount = teach_stream_inq(ts);
		release_sock(sk);
		break;
	case SIOCOUTQ:
		/* payload not yet acknowledged, as TCP's write_seq - snd_una */
		lock_sock(sk);
		if (sk->sk_state == TCP_LISTEN) {
			release_sock(sk);
			return -EINVAL;
		}
		skb_queue_walk(&sk->sk_write_queue, skb)
			amount += skb->len;
		release_sock(sk);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(amount, (int __user *)arg);
}

/* Socket locked: our FIN after the data (RFC 9293 3.10.4 CLOSE). */
static void teach_stream_send_fin(struct sock *sk)
{
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_SYN_RECV:
		teach_stream_set_state(sk, TCP_FIN_WAIT1);
		break;
	case TCP_CLOSE_WAIT:
		teach_stream_set_state(sk, TCP_LAST_ACK);
		break;
	default:
		return;
	}
	/* no memory for the FIN: the retransmission timer is what is left */
	if (teach_stream_queue_ctl(sk, TEACH_STREAM_F_FIN))
		return;
	teach_stream_push(sk, true);
}

static int teach_stream_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	how++;
	if (how <= 0 || how > SHUTDOWN_MASK)
		return -EINVAL;
	lock_sock(sk);
	switch (sk->sk_state) {
	case TCP_CLOSE:
	case TCP_SYN_SENT:
		err = -ENOTCONN;
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		break;
	case TCP_LISTEN:
		if (how & RCV_SHUTDOWN)
			teach_stream_listen_stop(sk);
		else
			err = -ENOTCONN;
		break;
	default:
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		if (how & SEND_SHUTDOWN)
			teach_stream_send_fin(sk);
		break;
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/* FIN_WAIT1, CLOSING, LAST_ACK: our FIN (or data before it) unacknowledged */
static bool teach_stream_closing(const struct sock *sk)
{
	return (1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_CLOSING |
				      TCPF_LAST_ACK);
}

/*
 * SO_LINGER with a time (sk_stream_wait_close()): close() waits until the
 * data and the FIN are acknowledged, the connection ends otherwise, the
 * time runs out or a signal comes.  Socket locked; sk_wait_event() lets
 * it go while it sleeps.
 */
static void teach_stream_linger(struct sock *sk, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	while (timeo && teach_stream_closing(sk) && !signal_pending(current))
		sk_wait_event(sk, &timeo, !teach_stream_closing(sk), &wait);
	remove_wait_queue(sk_sleep(sk), &wait);
}

/*
 * Socket locked: close() (RFC 9293 3.10.4 CLOSE and ABORT).  linger: how
 * long it may wait for the FIN's ACK (SO_LINGER), 0 for not at all.
 */
static void teach_stream_close(struct sock *sk, long linger)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	bool unread = teach_stream_inq(ts) != 0;
	int state;

	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (sk->sk_state == TCP_LISTEN)
		teach_stream_listen_stop(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	teach_ofo_purge(&ts->ofo);

	state = sk->sk_state;
	if (state == TCP_CLOSE) {
		/* nothing to tell anyone */
	} else if (unread || (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime)) {
		/* RFC 9293 3.10.4 ABORT, and RFC 2525 2.17 for unread data */
		TEACH_INC_STATS(tn, unread ? TEACH_MIB_STREAM_ABORT_ON_CLOSE :
				TEACH_MIB_STREAM_ABORT_ON_LINGER);
		if (state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT)
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_ESTAB_RESETS);
		if (state != TCP_SYN_SENT && state != TCP_TIME_WAIT)
			teach_stream_send_rst(sk);
		teach_stream_done(sk);
	} else if (state == TCP_SYN_SENT) {
		teach_stream_done(sk);
	} else {
		teach_stream_send_fin(sk);
		if (linger)
			teach_stream_linger(sk, linger);
	}

	sock_orphan(sk);
	if (sk->sk_state == TCP_FIN_WAIT2)
		teach_stream_arm_fin_timeout(sk);
	if (sk->sk_state == TCP_CLOSE)
		teach_stream_destroy(sk);
}

static int teach_stream_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	long linger = 0;

	if (!sk)
		return 0;
	/*
	 * As inet_release(): a lingering close waits, but not for a process
	 * that is exiting; and, as BSD, not on a non-blocking socket.
	 */
	if (sock_flag(sk, SOCK_LINGER) && !(current->flags & PF_EXITING) &&
	    !(sock->file && (sock->file->f_flags & O_NONBLOCK)))
		linger = sk->sk_lingertime;
	sock_hold(sk);
	lock_sock(sk);
	teach_stream_close(sk, linger);
	release_sock(sk);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

/* Queue what the user writes; segments leave as the windows allow. */
static int teach_stream_sendmsg(struct socket *sock, struct msghdr *msg,
				size_t len)
{
	struct sock *sk = sock->sk;
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	int flags = msg->msg_flags;
	struct teach_stream_cb *cb;
	struct sk_buff *skb;
	size_t copied = 0;
	long timeo;
	int err = 0;

	if (flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_MORE | MSG_EOR |
		      MSG_CMSG_COMPAT | MSG_WAITALL | MSG_SENDPAGE_NOTLAST))
		return -EOPNOTSUPP;
	/* sendfile() and splice(): sock_no_sendpage() says more is coming */
	if (flags & MSG_SENDPAGE_NOTLAST)
		flags |= MSG_MORE;
	/* as TCP, a destination given to send() is ignored */
	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto out_err;
	}
	ts->mss = min_t(u32, ts->mss, teach_stream_mss_for(sk));
	if (!ts->mss)
		ts->mss = 64;

	while (msg_data_left(msg)) {
		size_t copy;

		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto out_err;
		if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
			goto out_err;

		skb = skb_peek_tail(&sk->sk_write_queue);
		if (skb) {
			cb = TEACH_STREAM_CB(skb);
			if (!teach_seq_before(cb->seq, ts->snd_nxt) &&
			    !(cb->flags & (TEACH_STREAM_F_SYN | TEACH_STREAM_F_FIN)) &&
			    skb->len < ts->mss && skb_tailroom(skb) > 0)
				goto copy;
		}
		if (!sk_stream_memory_free(sk)) {
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			teach_stream_push(sk, true);
			err = sk_stream_wait_memory(sk, &timeo);
			if (err)
				goto out_err;
			continue;
		}
		skb = alloc_skb(TEACH_STREAM_SKB_ROOM + ts->mss, sk->sk_allocation);
		if (!skb) {
			err = -ENOBUFS;
			goto out_err;
		}
		skb_reserve(skb, TEACH_STREAM_SKB_ROOM);
		cb = TEACH_STREAM_CB(skb);
		memset(cb, 0, sizeof(*cb));
		cb->seq = ts->write_seq;
		cb->end_seq = ts->write_seq;
		sk_wmem_queued_add(sk, skb->truesize);
		__skb_queue_tail(&sk->sk_write_queue, skb);
copy:
		copy = min_t(size_t, msg_data_left(msg),
			     min_t(size_t, ts->mss - skb->len,
				   skb_tailroom(skb)));
		if (!copy_from_iter_full(skb_put(skb, copy), copy,
					 &msg->msg_iter)) {
			skb_trim(skb, skb->len - copy);
			err = -EFAULT;
			if (!skb->len) {
				__skb_unlink(skb, &sk->sk_write_queue);
				sk_wmem_queued_add(sk, -skb->truesize);
				kfree_skb(skb);
			}
			goto out_err;
		}
		cb->end_seq += copy;
		ts->write_seq += copy;
		copied += copy;
		/*
		 * Full segments go at once; with GSO, once a super-packet's
		 * worth waits, so that they leave together.
		 */
		if (skb->len >= ts->mss &&
		    (!ts->gso_ok ||
		     ts->write_seq - ts->snd_nxt >= TEACH_GSO_MAX_PAYLOAD))
			teach_stream_push(sk, false);
	}
	if (!(flags & MSG_MORE))
		teach_stream_push(sk, false);
	release_sock(sk);
	return copied;

out_err:
	teach_stream_push(sk, false);
	if (copied) {
		release_sock(sk);
		return copied;
	}
	if (err == -EPIPE && sk->sk_err)
		err = sock_error(sk) ? : -EPIPE;
	err = sk_stream_error(sk, flags, err);
	release_sock(sk);
	return err;
}

static int teach_stream_recvmsg(struct socket *sock, struct msghdr *msg,
				size_t len, int flags)
{
	struct sock *sk = sock->sk;
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	u32 peek_seq, *seq;
	int copied = 0, target, err = 0;
	struct sk_buff *skb, *last;
	long timeo;

	if (flags & ~(MSG_PEEK | MSG_DONTWAIT | MSG_WAITALL | MSG_NOSIGNAL |
		      MSG_CMSG_CLOEXEC | MSG_ERRQUEUE | MSG_CMSG_COMPAT))
		return -EOPNOTSUPP;
	if (flags & MSG_ERRQUEUE)
		return teach_sock_recv_error(sk, msg, len);

	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		err = -ENOTCONN;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	peek_seq = ts->copied_seq;
	seq = (flags & MSG_PEEK) ? &peek_seq : &ts->copied_seq;

	while ((size_t)copied < len) {
		u32 offset;
		size_t chunk;
		bool found = false;

		last = NULL;
		skb_queue_walk(&sk->sk_receive_queue, skb) {
			last = skb;
			offset = *seq - TEACH_STREAM_CB(skb)->seq;
			if (offset < skb->len) {
				found = true;
				break;
			}
		}
		if (found) {
			chunk = min_t(size_t, skb->len - offset, len - copied);
			if (skb_copy_datagram_msg(skb, offset, msg, chunk)) {
				if (!copied)
					copied = -EFAULT;
				break;
			}
			*seq += chunk;
			copied += chunk;
			if (!(flags & MSG_PEEK))
				teach_stream_rcvbuf_adjust(sk, chunk);
			if (!(flags & MSG_PEEK) && offset + chunk == skb->len) {
				__skb_unlink(skb, &sk->sk_receive_queue);
				consume_skb(skb);
				teach_stream_rcv_space(sk);
			}
			continue;
		}
		if (copied >= target && !READ_ONCE(sk->sk_backlog.tail))
			break;
		if (copied) {
			if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == TCP_CLOSE) {
				copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}
		teach_stream_rcv_space(sk);
		if (copied >= target) {
			/* the backlog may hold more: take it in */
			release_sock(sk);
			lock_sock(sk);
		} else {
			sk_wait_data(sk, &timeo, last);
		}
	}
	if (copied > 0)
		teach_stream_rcv_space(sk);
	err = copied;
out:
	release_sock(sk);
	return err;
}

/*
 * TEACH_CONGESTION, as TCP_CONGESTION: a name (NUL-terminated or not),
 * ENOENT when no algorithm has it.  A connection already running keeps its
 * windows and restarts the new algorithm's own state, as
 * tcp_reinit_congestion_control() does; one not yet connected starts it
 * at the handshake, and a listener's children inherit it.
 */
static int teach_stream_set_congestion(struct sock *sk, sockptr_t optval,
				       unsigned int optlen)
{
	const struct teach_cong_ops *ops;
	char name[TEACH_CONG_NAME_MAX];
	long n;

	if (optlen < 1)
		return -EINVAL;
	n = strncpy_from_sockptr(name, optval,
				 min_t(long, TEACH_CONG_NAME_MAX - 1, optlen));
	if (n < 0)
		return -EFAULT;
	name[n] = '\0';
	ops = teach_cong_find(name);
	if (!ops)
		return -ENOENT;
	lock_sock(sk);
	teach_cong_set_ops(&teach_stream_sk(sk)->cong, ops);
	release_sock(sk);
	return 0;
}

static int teach_stream_setsockopt(struct socket *sock, int level, int optname,
				   sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	int val, err = 0;

	if (level != SOL_TEACH)
		return -ENOPROTOOPT;
	if (optname == TEACH_CONGESTION)
		return teach_stream_set_congestion(sk, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	switch (optname) {
	case TEACH_REUSEPORT:
		sk->sk_reuseport = !!val;
		break;
	case TEACH_NODELAY:
		ts->nodelay = !!val;
		if (val)
			teach_stream_push(sk, true);
		break;
	case TEACH_CORK:
		ts->cork = !!val;
		if (!val)
			teach_stream_push(sk, true);
		break;
	case TEACH_KEEPIDLE:
		if (val < 1 || val > TEACH_KEEPALIVE_S_MAX) {
			err = -EINVAL;
			break;
		}
		WRITE_ONCE(ts->ka_time, val);
		/* as TCP_KEEPIDLE: counted from the last segment received */
		if (sock_flag(sk, SOCK_KEEPOPEN))
			teach_stream_ka_reset(sk);
		break;
	case TEACH_KEEPINTVL:
		if (val < 1 || val > TEACH_KEEPALIVE_S_MAX)
			err = -EINVAL;
		else
			WRITE_ONCE(ts->ka_intvl, val);
		break;
	case TEACH_KEEPCNT:
		if (val < 1 || val > TEACH_KEEPALIVE_PROBES_MAX)
			err = -EINVAL;
		else
			WRITE_ONCE(ts->ka_probes, val);
		break;
	case TEACH_INFO:
	case TEACH_MAXSEG:
	case TEACH_MTU:
		err = -ENOPROTOOPT;
		break;
	default:
		release_sock(sk);
		return teach_sockopt_set(sk, &ts->opts, optname, val);
	}
	release_sock(sk);
	return err;
}

static void teach_stream_get_info(struct sock *sk, struct teach_stream_info *i)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	memset(i, 0, sizeof(*i));
	i->tsi_state = sk->sk_state;
	i->tsi_ca_state = ts->cong.in_recovery ? 1 : ts->cong.after_timeout ? 2 : 0;
	i->tsi_backoff = ts->backoff;
	i->tsi_nodelay = ts->nodelay;
	i->tsi_rto_us = teach_stream_rto(ts);
	i->tsi_rtt_us = ts->rtt.srtt_us;
	i->tsi_rttvar_us = ts->rtt.rttvar_us;
	i->tsi_snd_mss = ts->mss;
	i->tsi_rcv_mss = ts->rcv_mss;
	i->tsi_snd_cwnd = ts->cong.cwnd;
	i->tsi_snd_ssthresh = ts->cong.ssthresh;
	i->tsi_snd_wnd = ts->snd_wnd;
	i->tsi_rcv_wnd = ts->rcv_wnd;
	i->tsi_unacked = ts->snd_max - ts->snd_una;
	i->tsi_total_retrans = ts->total_retrans;
	i->tsi_bytes_sent = ts->bytes_sent;
	i->tsi_bytes_retrans = ts->bytes_retrans;
	i->tsi_bytes_acked = ts->bytes_acked;
	i->tsi_bytes_received = ts->bytes_received;
	i->tsi_segs_out = ts->segs_out;
	i->tsi_segs_in = ts->segs_in;
	i->tsi_data_segs_out = ts->data_segs_out;
	i->tsi_data_segs_in = ts->data_segs_in;
	i->tsi_dup_acks_in = ts->dup_acks_in;
	i->tsi_fast_retrans = ts->fast_retrans;
	i->tsi_timeouts = ts->timeouts;
	i->tsi_delayed_acks = ts->delayed_acks;
	i->tsi_zero_wnd_probes = ts->zwnd_probes;
	if (ts->opts_agreed) {
		i->tsi_snd_wscale = ts->snd_wscale;
		i->tsi_rcv_wscale = ts->rcv_wscale;
		i->tsi_timestamps = ts->tstamp_ok;
		i->tsi_sack = ts->sack_ok;
	}
	i->tsi_sacked = teach_sb_sacked_above(&ts->sb, ts->snd_una);
	i->tsi_sack_retrans = ts->sack_retrans;
	i->tsi_paws_drops = ts->paws_drops;
	strscpy(i->tsi_cong, ts->cong.ops->name, sizeof(i->tsi_cong));
}

static int teach_stream_getsockopt(struct socket *sock, int level, int optname,
				   char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_stream_info info;
	int val, len, err;

	if (level != SOL_TEACH)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	switch (optname) {
	case TEACH_CONGESTION: {
		/* as TCP_CONGESTION: the name, NUL-padded, cut to len */
		char name[TEACH_CONG_NAME_MAX] = {};

		strscpy(name, READ_ONCE(ts->cong.ops)->name, sizeof(name));
		len = min_t(int, len, sizeof(name));
		if (put_user(len, optlen) || copy_to_user(optval, name, len))
			return -EFAULT;
		return 0;
	}
	case TEACH_INFO:
		lock_sock(sk);
		teach_stream_get_info(sk, &info);
		release_sock(sk);
		len = min_t(int, len, sizeof(info));
		if (put_user(len, optlen) || copy_to_user(optval, &info, len))
			return -EFAULT;
		return 0;
	case TEACH_REUSEPORT:
		val = sk->sk_reuseport;
		break;
	case TEACH_NODELAY:
		val = READ_ONCE(ts->nodelay);
		break;
	case TEACH_CORK:
		val = READ_ONCE(ts->cork);
		break;
	case TEACH_MAXSEG:
		val = READ_ONCE(ts->mss);
		break;
	case TEACH_KEEPIDLE:
		val = teach_stream_ka_time(ts) / HZ;
		break;
	case TEACH_KEEPINTVL:
		val = teach_stream_ka_intvl(ts) / HZ;
		break;
	case TEACH_KEEPCNT:
		val = teach_stream_ka_probes(ts);
		break;
	case TEACH_MTU:
		if ((1 << READ_ONCE(sk->sk_state)) &
		    (TCPF_CLOSE | TCPF_LISTEN))
			return -ENOTCONN;
		val = teach_sock_path_mtu(sk, &ts->rtc, READ_ONCE(ts->pcb.raddr),
					  READ_ONCE(ts->pcb.laddr));
		if (val < 0)
			return val;
		break;
	default:
		err = teach_sockopt_get(sk, &ts->opts, optname, &val);
		if (err)
			return err;
		break;
	}
	return teach_sockopt_put_int(optval, optlen, len, val);
}

/* .family is informational only; the live number is teach_family. */
static const struct proto_ops teach_stream_ops = {
	.family = AF_TEACH_DEFAULT,
	.owner = THIS_MODULE,
	.release = teach_stream_release,
	.bind = teach_stream_bind,
	.connect = teach_stream_connect,
	.socketpair = sock_no_socketpair,
	.accept = teach_stream_accept,
	.getname = teach_stream_getname,
	.poll = teach_stream_poll,
	.ioctl = teach_stream_ioctl,
	.listen = teach_stream_listen,
	.shutdown = teach_stream_shutdown,
	.setsockopt = teach_stream_setsockopt,
	.getsockopt = teach_stream_getsockopt,
	.sendmsg = teach_stream_sendmsg,
	.recvmsg = teach_stream_recvmsg,
	.mmap = sock_no_mmap,
};

/* ---- control errors about our segments ---- */

void teach_stream_err(struct sk_buff *skb, u8 type, u8 code, u32 info)
{
	struct teach_net *tn = teach_pernet(dev_net(skb->dev));
	const unsigned int chlen = sizeof(struct teach_ctrlhdr);
	const struct teach_streamhdr *h;
	const struct teachhdr *q;
	struct teach_pcb *pcb;
	unsigned int qhlen;
	struct sock *sk;
	int err;

	q = (const struct teachhdr *)(skb->data + chlen);
	qhlen = (q->ver_ihl & 0xf) * 4;
	/* the ports and the sequence number are in the first 8 bytes */
	if (qhlen < TEACH_HLEN || !pskb_may_pull(skb, chlen + qhlen + 8))
		return;
	q = (const struct teachhdr *)(skb->data + chlen);
	h = (const struct teach_streamhdr *)(skb->data + chlen + qhlen);

	rcu_read_lock();
	pcb = teach_pcb_lookup_connected(&tn->stream_pcbs, q->daddr,
					 ntohs(h->dest), q->saddr,
					 ntohs(h->source), skb->dev->ifindex);
	if (!pcb || !pcb->connected || pcb->raddr != q->daddr)
		goto out;
	sk = pcb->sk;
	if (!refcount_inc_not_zero(&sk->sk_refcnt))
		goto out;
	err = teach_ctrl_errno(type, code);
	bh_lock_sock(sk);
	/*
	 * RFC 5927 4.1, as tcp_v4_err(): the quoted segment must be one in
	 * flight; anything else is an off-path guess at the 4-tuple, which
	 * must not shrink the segment size or end a connection attempt.
	 */
	if (!teach_seq_in(ntohl(h->seq), teach_stream_sk(sk)->snd_una,
			  teach_stream_sk(sk)->snd_nxt + 1)) {
		bh_unlock_sock(sk);
		sock_put(sk);
		goto out;
	}
	if (type == TEACH_CTRL_UNREACH && code == TEACH_UNREACH_FRAG) {
		teach_pmtu_update(dev_net(skb->dev), q->daddr, info);
		/* the path MTU is learned (pmtu.c); use it for what is new */
		u32 opt = teach_stream_sk(sk)->tstamp_ok ?
			  TEACH_STREAM_TS_SPACE : 0;

		if (!sock_owned_by_user(sk) && info >= 68 + opt &&
		    info - TEACH_HLEN - TEACH_STREAM_HLEN - opt <
		    teach_stream_sk(sk)->mss)
			teach_stream_sk(sk)->mss = info - TEACH_HLEN -
						   TEACH_STREAM_HLEN - opt;
	} else if (sk->sk_state == TCP_SYN_SENT && !sock_owned_by_user(sk) &&
		   type == TEACH_CTRL_UNREACH &&
		   (code == TEACH_UNREACH_PORT || code == TEACH_UNREACH_PROTO ||
		    code == TEACH_UNREACH_ADMIN || code == TEACH_UNREACH_HOST ||
		    code == TEACH_UNREACH_NET)) {
		/* hard errors end a connection attempt, as tcp_v4_err() */
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_ATTEMPT_FAILS);
		WRITE_ONCE(sk->sk_err, -err);
		sk_error_report(sk);
		teach_stream_done(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, -err);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
out:
	rcu_read_unlock();
}

void teach_stream_dev_gone(struct net *net, int ifindex)
{
	teach_pcb_dev_gone(&teach_pernet(net)->stream_pcbs, ifindex);
}

/* ---- walks: netlink dumps and /proc/net/teach/stream ---- */

static void teach_stream_info_of(struct teach_pcb *pcb,
				 struct teach_sock_info *si)
{
	struct sock *sk = pcb->sk;
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	memset(si, 0, sizeof(*si));
	si->type = SOCK_STREAM;
	si->protocol = TEACHPROTO_STREAM;
	si->state = READ_ONCE(sk->sk_state);
	si->laddr = READ_ONCE(pcb->laddr);
	si->lport = READ_ONCE(pcb->lport);
	si->raddr = READ_ONCE(pcb->raddr);
	si->rport = READ_ONCE(pcb->rport);
	if (si->state == TCP_LISTEN) {
		/* as /proc/net/tcp: the accept queue and its bound */
		si->rqueue = READ_ONCE(ts->acc_qlen);
		si->wqueue = READ_ONCE(sk->sk_max_ack_backlog);
	} else {
		si->rqueue = teach_stream_inq(ts);
		si->wqueue = READ_ONCE(ts->write_seq) - READ_ONCE(ts->snd_una);
	}
	si->uid = from_kuid_munged(sock_net(sk)->user_ns, sock_i_uid(sk));
	si->inode = sock_i_ino(sk);
	si->drops = atomic_read(&sk->sk_drops);
	si->ifindex = READ_ONCE(sk->sk_bound_dev_if);
	si->sk = sk;
}

/*
 * For a dump, which cannot sleep for lock_sock(): the spinlock keeps the
 * receive path out, as it does for lock_sock_fast().  If a process owns
 * the socket, the fields are read as /proc/net/tcp reads them, while
 * they may move: each is a value it had, the set may not be one instant.
 */
void teach_stream_info_snapshot(struct sock *sk, struct teach_stream_info *i)
{
	spin_lock_bh(&sk->sk_lock.slock);
	teach_stream_get_info(sk, i);
	spin_unlock_bh(&sk->sk_lock.slock);
}

struct teach_stream_walk_arg {
	int (*fn)(const struct teach_sock_info *si, void *arg);
	void *arg;
};

static int teach_stream_walk_one(struct teach_pcb *pcb, void *arg)
{
	struct teach_stream_walk_arg *w = arg;
	struct teach_sock_info si;

	teach_stream_info_of(pcb, &si);
	return w->fn(&si, w->arg);
}

int teach_stream_walk(struct net *net,
		      int (*fn)(const struct teach_sock_info *si, void *arg),
		      void *arg, unsigned long pos[2])
{
	struct teach_stream_walk_arg w = { .fn = fn, .arg = arg };

	return teach_pcb_walk(&teach_pernet(net)->stream_pcbs,
			      teach_stream_walk_one, &w, pos);
}

static void *teach_stream_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	return teach_pcb_seq_start(seq, pos,
				   &teach_pernet(seq_file_net(seq))->stream_pcbs);
}

/*
 * The columns of /proc/net/tcp; "tr" 1 = retransmission timer, 4 = persist,
 * 3 = TIME_WAIT, 2 = FIN_WAIT2 or keepalive
 */
static int teach_stream_seq_show(struct seq_file *seq, void *v)
{
	struct teach_pcb *pcb = v;
	struct teach_stream_sock *ts;
	struct teach_sock_info si;
	unsigned long when = 0;
	int tr = 0;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer\n");
		return 0;
	}
	teach_stream_info_of(pcb, &si);
	ts = teach_stream_sk(pcb->sk);
	if (timer_pending(&ts->rtx_timer)) {
		tr = READ_ONCE(ts->rtx_mode) == TEACH_RTX_PERSIST ? 4 : 1;
		when = READ_ONCE(ts->rtx_timer.expires) - jiffies;
	} else if (timer_pending(&pcb->sk->sk_timer)) {
		tr = si.state == TCP_TIME_WAIT ? 3 : 2;
		when = READ_ONCE(pcb->sk->sk_timer.expires) - jiffies;
	} else if (timer_pending(&ts->ka_timer)) {
		tr = 2;		/* as /proc/net/tcp: keepalive */
		when = READ_ONCE(ts->ka_timer.expires) - jiffies;
	}
	seq_printf(seq, "%4u: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %llu %d %pK\n",
		   ((struct teach_pcb_iter *)seq->private)->bucket,
		   (__force u32)si.laddr, si.lport,
		   (__force u32)si.raddr, si.rport, si.state, si.wqueue,
		   si.rqueue, tr, (long)when > 0 ? when : 0,
		   READ_ONCE(ts->backoff), si.uid, 0, si.inode,
		   refcount_read(&pcb->sk->sk_refcnt), pcb->sk);
	return 0;
}

static const struct seq_operations teach_stream_seq_ops = {
	.start = teach_stream_seq_start,
	.next = teach_pcb_seq_next,
	.stop = teach_pcb_seq_stop,
	.show = teach_stream_seq_show,
};

struct proc_dir_entry *teach_stream_proc_create(struct proc_dir_entry *dir)
{
	return proc_create_net("stream", 0444, dir, &teach_stream_seq_ops,
			       sizeof(struct teach_pcb_iter));
}

int teach_stream_init(void)
{
	BUILD_BUG_ON(sizeof(struct teach_stream_cb) >
		     sizeof_field(struct sk_buff, cb));
	return proto_register(&teach_stream_proto, 1);
}

void teach_stream_exit(void)
{
	proto_unregister(&teach_stream_proto);
}
