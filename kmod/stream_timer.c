// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the timers of a stream socket.
 *
 *   rtx_timer	retransmission (RFC 6298: SYN, SYN-ACK, data, FIN), or the
 *		persist timer probing a zero window; one at a time
 *   delack	the delayed ACK (net.teach.stream_delack_ms)
 *   sk_timer	TIME_WAIT's 2 MSL, and how long an orphan waits in FIN_WAIT2
 *   ka_timer	keepalive (SO_KEEPALIVE): probes after TEACH_KEEPIDLE idle
 *		seconds, every TEACH_KEEPINTVL, TEACH_KEEPCNT of them
 *
 * Each pending timer holds a reference (sk_reset_timer()), so the socket
 * outlives its handlers; the module cannot go while a socket exists
 * (each holds it through its proto).  A handler takes the socket lock
 * with bh_lock_sock(); if a process owns the socket it comes back a
 * little later, as the kernel's TCP keepalive timer does.  A handler
 * that finds the socket closed does nothing.
 */
#include <linux/jiffies.h>

#include "stream.h"
#include "stream_trace.h"

#define TEACH_TIMER_RETRY	(HZ / 50)
/* a probe the device could not take is tried again this soon, as Linux */
#define TEACH_KA_RESOURCE_RETRY	(HZ / 2)

u32 teach_stream_rto(const struct teach_stream_sock *ts)
{
	const struct teach_sysctl *s = &teach_pernet(sock_net(&ts->sk))->sysctl;

	return teach_rto_backoff(ts->rtt.rto_us, ts->backoff,
				 READ_ONCE(s->stream_rto_max_ms) * USEC_PER_MSEC);
}

void teach_stream_arm_rtx(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	ts->rtx_mode = TEACH_RTX_RETRANS;
	sk_reset_timer(sk, &ts->rtx_timer,
		       jiffies + usecs_to_jiffies(teach_stream_rto(ts)));
}

void teach_stream_arm_persist(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	if (timer_pending(&ts->rtx_timer))
		return;
	ts->rtx_mode = TEACH_RTX_PERSIST;
	sk_reset_timer(sk, &ts->rtx_timer,
		       jiffies + usecs_to_jiffies(teach_stream_rto(ts)));
}

void teach_stream_arm_delack(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	int ms = READ_ONCE(teach_pernet(sock_net(sk))->sysctl.stream_delack_ms);

	if (!timer_pending(&ts->delack_timer))
		sk_reset_timer(sk, &ts->delack_timer,
			       jiffies + msecs_to_jiffies(ms));
}

void teach_stream_arm_sk_timer(struct sock *sk, unsigned long delay)
{
	sk_reset_timer(sk, &sk->sk_timer, jiffies + delay);
}

/* An orphan in FIN_WAIT2 waits this long for the peer's FIN. */
void teach_stream_arm_fin_timeout(struct sock *sk)
{
	int ms = READ_ONCE(teach_pernet(sock_net(sk))->sysctl.stream_fin_timeout_ms);

	teach_stream_arm_sk_timer(sk, msecs_to_jiffies(ms));
}

/* Too many timeouts: the connection is given up with ETIMEDOUT. */
static void teach_stream_give_up(struct sock *sk)
{
	struct teach_net *tn = teach_pernet(sock_net(sk));

	TEACH_INC_STATS(tn, TEACH_MIB_STREAM_ABORT_ON_TIMEOUT);
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_ATTEMPT_FAILS);
	WRITE_ONCE(sk->sk_err, ETIMEDOUT);
	sk_error_report(sk);
	/* a peer that went silent gets a reset, in case it comes back */
	if (sk->sk_state != TCP_SYN_SENT)
		teach_stream_send_rst(sk);
	teach_stream_done(sk);
}

static void teach_stream_retransmit_timer(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	int limit;

	if (skb_queue_empty(&sk->sk_write_queue) || ts->snd_una == ts->snd_max)
		return;
	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		limit = READ_ONCE(tn->sysctl.stream_syn_retries);
		break;
	case TCP_SYN_RECV:
		limit = READ_ONCE(tn->sysctl.stream_synack_retries);
		break;
	default:
		limit = READ_ONCE(tn->sysctl.stream_retries);
		break;
	}
	if (ts->backoff >= limit) {
		teach_stream_give_up(sk);
		return;
	}
	TEACH_INC_STATS(tn, TEACH_MIB_STREAM_TIMEOUTS);
	ts->timeouts++;
	/*
	 * RFC 5681 (4)-(5) and go-back-N: everything after snd_una counts
	 * as lost and is sent again as the window opens from one segment.
	 */
	if (sk->sk_state != TCP_SYN_SENT && sk->sk_state != TCP_SYN_RECV) {
		teach_cong_timeout(&ts->cong, teach_stream_flight(ts),
				   ts->snd_max);
		ts->cong.after_timeout = true;
		trace_teach_stream_cwnd(sk, &ts->cong, teach_stream_flight(ts));
	}
	ts->snd_nxt = ts->snd_una;
	ts->backoff++;
	/* the scoreboard stays (SACKed data is not sent again) unless reneged */
	teach_stream_sack_check_reneging(sk);
	teach_stream_retransmit_head(sk);
	teach_stream_arm_rtx(sk);
}

static void teach_stream_persist_timer(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));

	if (ts->snd_wnd || skb_queue_empty(&sk->sk_write_queue) ||
	    ts->snd_nxt == ts->write_seq)
		return;
	if (ts->probes >= READ_ONCE(tn->sysctl.stream_retries)) {
		teach_stream_give_up(sk);
		return;
	}
	ts->probes++;
	teach_stream_send_probe(sk);
	if (ts->backoff < 16)
		ts->backoff++;
	ts->rtx_mode = TEACH_RTX_PERSIST;
	sk_reset_timer(sk, &ts->rtx_timer,
		       jiffies + usecs_to_jiffies(teach_stream_rto(ts)));
}

static void teach_stream_rtx_handler(struct timer_list *t)
{
	struct teach_stream_sock *ts = from_timer(ts, t, rtx_timer);
	struct sock *sk = &ts->sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &ts->rtx_timer, jiffies + TEACH_TIMER_RETRY);
		goto out;
	}
	if (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN ||
	    sk->sk_state == TCP_TIME_WAIT)
		goto out;
	if (ts->rtx_mode == TEACH_RTX_PERSIST)
		teach_stream_persist_timer(sk);
	else if (ts->rtx_mode == TEACH_RTX_RETRANS)
		teach_stream_retransmit_timer(sk);
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void teach_stream_delack_handler(struct timer_list *t)
{
	struct teach_stream_sock *ts = from_timer(ts, t, delack_timer);
	struct sock *sk = &ts->sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &ts->delack_timer, jiffies + TEACH_TIMER_RETRY);
		goto out;
	}
	if (ts->ack_pending && sk->sk_state != TCP_CLOSE &&
	    sk->sk_state != TCP_LISTEN) {
		ts->delayed_acks++;
		TEACH_INC_STATS(teach_pernet(sock_net(sk)),
				TEACH_MIB_STREAM_DELAYED_ACKS);
		teach_stream_send_ack(sk);
	}
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

/* TIME_WAIT is over, or an orphan waited in FIN_WAIT2 long enough. */
static void teach_stream_sk_timer_handler(struct timer_list *t)
{
	struct sock *sk = from_timer(sk, t, sk_timer);

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &sk->sk_timer, jiffies + TEACH_TIMER_RETRY);
		goto out;
	}
	if (sk->sk_state == TCP_TIME_WAIT) {
		TEACH_INC_STATS(teach_pernet(sock_net(sk)),
				TEACH_MIB_STREAM_TIME_WAITED);
		teach_stream_done(sk);
	} else if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)) {
		teach_stream_send_rst(sk);
		teach_stream_done(sk);
	}
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

unsigned long teach_stream_ka_time(const struct teach_stream_sock *ts)
{
	int s = READ_ONCE(ts->ka_time);

	if (!s)
		s = READ_ONCE(teach_pernet(sock_net(&ts->sk))->sysctl.stream_keepalive_time);
	return (unsigned long)s * HZ;
}

unsigned long teach_stream_ka_intvl(const struct teach_stream_sock *ts)
{
	int s = READ_ONCE(ts->ka_intvl);

	if (!s)
		s = READ_ONCE(teach_pernet(sock_net(&ts->sk))->sysctl.stream_keepalive_intvl);
	return (unsigned long)s * HZ;
}

int teach_stream_ka_probes(const struct teach_stream_sock *ts)
{
	int n = READ_ONCE(ts->ka_probes);

	return n ? n : READ_ONCE(teach_pernet(sock_net(&ts->sk))->sysctl.stream_keepalive_probes);
}

/* States in which a connection is kept alive, as Linux: not before it is
 * synchronised, not once it is only waiting to end.
 */
static bool teach_stream_ka_state(const struct sock *sk)
{
	return (1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
				      TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2);
}

/* Socket locked: the timer runs again when KEEPIDLE has passed since the
 * last segment from the peer; without SO_KEEPALIVE it stops.
 */
void teach_stream_ka_reset(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	unsigned long when, idle;

	if (!sock_flag(sk, SOCK_KEEPOPEN) || !teach_stream_ka_state(sk)) {
		sk_stop_timer(sk, &ts->ka_timer);
		return;
	}
	when = teach_stream_ka_time(ts);
	idle = jiffies - ts->rcv_tstamp;
	sk_reset_timer(sk, &ts->ka_timer,
		       jiffies + (idle < when ? when - idle : 0));
}

void teach_stream_set_keepalive(struct sock *sk, int val)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	if (val && !sock_flag(sk, SOCK_KEEPOPEN)) {
		/* sock_setsockopt() sets the flag after us */
		sock_set_flag(sk, SOCK_KEEPOPEN);
		ts->ka_probes_out = 0;
		teach_stream_ka_reset(sk);
	} else if (!val) {
		sk_stop_timer(sk, &ts->ka_timer);
	}
}

/*
 * The keepalive timer (tcp_keepalive_timer()): after KEEPIDLE seconds
 * without a segment from the peer, a probe every KEEPINTVL; when KEEPCNT
 * probes went unanswered, the connection is reset with ETIMEDOUT.  While
 * data is unacknowledged the retransmission timer watches the peer
 * instead.
 */
static void teach_stream_ka_handler(struct timer_list *t)
{
	struct teach_stream_sock *ts = from_timer(ts, t, ka_timer);
	struct sock *sk = &ts->sk;
	struct teach_net *tn = teach_pernet(sock_net(sk));
	unsigned long when, idle, next;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &ts->ka_timer, jiffies + TEACH_TIMER_RETRY);
		goto out;
	}
	if (!sock_flag(sk, SOCK_KEEPOPEN) || !teach_stream_ka_state(sk))
		goto out;
	when = teach_stream_ka_time(ts);
	if (ts->snd_una != ts->snd_max ||
	    !skb_queue_empty(&sk->sk_write_queue)) {
		next = when;
		goto resched;
	}
	idle = jiffies - ts->rcv_tstamp;
	if (idle < when) {
		next = when - idle;
		goto resched;
	}
	if (ts->ka_probes_out >= teach_stream_ka_probes(ts)) {
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_KEEPALIVE_TIMEOUTS);
		WRITE_ONCE(sk->sk_err, ETIMEDOUT);
		sk_error_report(sk);
		teach_stream_send_rst(sk);
		teach_stream_done(sk);
		goto out;
	}
	if (teach_stream_send_keepalive(sk) > 0) {
		/* dropped before it left (a full queue): soon again */
		next = TEACH_KA_RESOURCE_RETRY;
	} else {
		ts->ka_probes_out++;
		next = teach_stream_ka_intvl(ts);
	}
resched:
	sk_reset_timer(sk, &ts->ka_timer, jiffies + next);
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

void teach_stream_timers_init(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	timer_setup(&ts->rtx_timer, teach_stream_rtx_handler, 0);
	timer_setup(&ts->delack_timer, teach_stream_delack_handler, 0);
	timer_setup(&ts->ka_timer, teach_stream_ka_handler, 0);
	timer_setup(&sk->sk_timer, teach_stream_sk_timer_handler, 0);
}

/* Socket locked.  A handler already running sees the state and returns. */
void teach_stream_timers_stop(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	sk_stop_timer(sk, &ts->rtx_timer);
	sk_stop_timer(sk, &ts->delack_timer);
	sk_stop_timer(sk, &ts->ka_timer);
	sk_stop_timer(sk, &sk->sk_timer);
	ts->rtx_mode = TEACH_RTX_NONE;
}
