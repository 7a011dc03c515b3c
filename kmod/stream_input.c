// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the receive side of a stream socket, RFC 9293 section 3.10.7.
 *
 * teach_stream_rcv() checks the header and the checksum, finds the socket
 * under RCU (an exact 4-tuple match, else a listener on the port) and
 * hands the segment over with the socket lock held, or puts it on the
 * socket's backlog when a process owns the socket; release_sock() then
 * runs it through teach_stream_backlog_rcv().  A segment nobody takes is
 * answered with a reset.
 *
 * teach_stream_process() is the state machine: LISTEN and SYN_SENT have
 * their own steps; every synchronised state runs the RFC's checks in
 * order: sequence number, RST, SYN, ACK, data, FIN.
 */
#include <linux/skbuff.h>

#include "stream.h"
#include "stream_trace.h"

/* A segment that wastes memory (a small payload in a big buffer) is copied. */
static struct sk_buff *teach_stream_compact(struct sk_buff *skb)
{
	struct sk_buff *nskb;

	if (skb->truesize <= 2 * skb->len + 2048)
		return skb;
	nskb = alloc_skb(skb->len, GFP_ATOMIC);
	if (!nskb)
		return skb;
	if (skb_copy_bits(skb, 0, skb_put(nskb, skb->len), skb->len)) {
		kfree_skb(nskb);
		return skb;
	}
	memcpy(nskb->cb, skb->cb, sizeof(skb->cb));
	consume_skb(skb);
	return nskb;
}

/*
 * RFC 5961 7: a challenge ACK tells the real peer where the connection
 * is, so that a reset or SYN of its own can be sent again at the right
 * number; a blind attacker gets nothing from it.  Each namespace sends
 * at most about stream_challenge_ack_limit of them a second, as
 * tcp_send_challenge_ack() does: the budget of each second is drawn at
 * random from [limit / 2, limit * 3 / 2) so that an attacker cannot count
 * what is left of it and learn which of its guesses fell in a window
 * (CVE-2016-5696).  A new limit counts from the next second, but 0 (no
 * challenge ACK at all) at once; INT_MAX is no limit.
 */
static void teach_stream_challenge_ack(struct sock *sk)
{
	struct teach_net *tn = teach_pernet(sock_net(sk));
	u32 limit = READ_ONCE(tn->sysctl.stream_challenge_ack_limit);
	u32 now, count, half;

	if (limit != INT_MAX) {
		now = jiffies / HZ;
		if (now != READ_ONCE(tn->stream_challenge_stamp)) {
			half = (limit + 1) / 2;
			WRITE_ONCE(tn->stream_challenge_stamp, now);
			WRITE_ONCE(tn->stream_challenge_count, half +
				   (u32)(((u64)get_random_u32() * limit) >> 32));
		}
		count = READ_ONCE(tn->stream_challenge_count);
		if (!count || !limit) {
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_CHALLENGE_SKIPPED);
			return;
		}
		WRITE_ONCE(tn->stream_challenge_count, count - 1);
	}
	TEACH_INC_STATS(tn, TEACH_MIB_STREAM_CHALLENGE_ACKS);
	teach_stream_send_ack(sk);
}

/* The peer reset the connection (RFC 9293 3.10.7.4, second check). */
static void teach_stream_reset(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	int err = ECONNRESET;

	switch (sk->sk_state) {
	case TCP_SYN_RECV:
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_ATTEMPT_FAILS);
		if (ts->parent) {
			/* nobody saw this one: it just goes */
			teach_stream_done(sk);
			return;
		}
		err = ECONNREFUSED;
		break;
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_ESTAB_RESETS);
		break;
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		break;
	default:
		/* CLOSING, LAST_ACK, TIME_WAIT: closed without an error */
		teach_stream_done(sk);
		return;
	}
	WRITE_ONCE(sk->sk_err, err);
	sk_error_report(sk);
	teach_stream_done(sk);
}

/* The peer's FIN, in order (RFC 9293 3.10.7.4, eighth check). */
static void teach_stream_fin(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	ts->fin_rcvd = true;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);
	teach_ofo_purge(&ts->ofo);
	ts->num_rsacks = 0;
	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		teach_stream_set_state(sk, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT1:
		/* our FIN is not acknowledged yet: simultaneous close */
		teach_stream_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		teach_stream_time_wait(sk);
		break;
	default:
		break;
	}
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		if (sk->sk_shutdown == SHUTDOWN_MASK ||
		    sk->sk_state == TCP_CLOSE)
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
		else
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
	}
}

/* Payload and FIN of an acceptable segment; consumes skb. */
static void teach_stream_data(struct sock *sk, struct sk_buff *skb)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	struct teach_stream_cb *cb = TEACH_STREAM_CB(skb);
	u32 right = ts->rcv_wup + ts->rcv_wnd;
	bool fin, had_ofo, queued = false;
	struct sk_buff *s;
	unsigned int freed;
	u32 trim;

	/* what lies before rcv_nxt was had already */
	if (teach_seq_before(cb->seq, ts->rcv_nxt)) {
		trim = ts->rcv_nxt - cb->seq;
		if (trim > skb->len || !pskb_pull(skb, trim))
			goto drop;
		cb->seq = ts->rcv_nxt;
	}
	/* what lies beyond the window was not offered: the sender retries */
	if (teach_seq_after(cb->end_seq, right)) {
		if (pskb_trim(skb, right - cb->seq))
			goto drop;
		cb->flags &= ~TEACH_STREAM_F_FIN;
		cb->end_seq = right;
	}
	if (cb->seq == cb->end_seq)
		goto drop;

	if (cb->seq != ts->rcv_nxt) {
		u32 oseq = cb->seq, oend = cb->end_seq;

		/* a hole before it: keep it aside, and say so at once */
		skb = teach_stream_compact(skb);
		if (atomic_read(&sk->sk_rmem_alloc) + skb->truesize >
		    READ_ONCE(sk->sk_rcvbuf)) {
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_OFO_DROPS);
			kfree_skb(skb);
		} else {
			skb_set_owner_r(skb, sk);
			if (teach_ofo_insert(&ts->ofo, skb, &freed) ==
			    TEACH_OFO_DUP)
				kfree_skb(skb);
			else
				TEACH_INC_STATS(tn, TEACH_MIB_STREAM_OFO_QUEUE);
			/* held now (or already): the first SACK block says so */
			if (ts->sack_ok)
				teach_sack_rcv_add(ts->rsacks, &ts->num_rsacks,
						   TEACH_SACK_MAX_BLOCKS, oseq,
						   oend);
		}
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_QUICK_ACKS);
		teach_stream_send_ack(sk);
		return;
	}

	/*
	 * In order and in the window, so it was promised room; but a peer
	 * that sends tiny segments could still make the skbs cost far more
	 * than the window says.  Past twice the buffer, it is dropped.
	 */
	if (skb->len && atomic_read(&sk->sk_rmem_alloc) >
	    2 * READ_ONCE(sk->sk_rcvbuf)) {
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_RCVQ_DROPS);
		teach_stream_send_ack(sk);
		goto drop;
	}
	fin = cb->flags & TEACH_STREAM_F_FIN;
	ts->rcv_nxt = cb->end_seq;
	ts->bytes_received += skb->len;
	ts->rcv_since_ack += skb->len;
	if (skb->len) {
		skb = teach_stream_compact(skb);
		skb_set_owner_r(skb, sk);
		__skb_queue_tail(&sk->sk_receive_queue, skb);
		queued = true;
	} else {
		consume_skb(skb);
	}
	/* the hole may be filled now */
	had_ofo = !RB_EMPTY_ROOT(&ts->ofo);
	while (!fin && (s = teach_ofo_pop(&ts->ofo, ts->rcv_nxt))) {
		cb = TEACH_STREAM_CB(s);
		fin = cb->flags & TEACH_STREAM_F_FIN;
		ts->rcv_nxt = cb->end_seq;
		ts->bytes_received += s->len;
		if (s->len) {
			__skb_queue_tail(&sk->sk_receive_queue, s);
			queued = true;
		} else {
			consume_skb(s);
		}
	}
	if (ts->num_rsacks)
		teach_sack_rcv_advance(ts->rsacks, &ts->num_rsacks, ts->rcv_nxt);
	ts->ack_pending = 1;
	if (fin) {
		/* the ACK first: the FIN may end the connection (TIME_WAIT full) */
		teach_stream_send_ack(sk);
		teach_stream_fin(sk);
	} else if (had_ofo || ts->rcv_since_ack >= 2U * ts->rcv_mss) {
		/*
		 * Delayed ACKs (RFC 1122 4.2.3.2, RFC 5681 4.2): at least
		 * every second full-sized segment, at once when a hole was
		 * filled; else when the timer runs out.
		 */
		if (had_ofo)
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_QUICK_ACKS);
		teach_stream_send_ack(sk);
	} else {
		teach_stream_arm_delack(sk);
	}
	if (queued && !sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	return;

drop:
	kfree_skb(skb);
}

/*
 * Take acknowledged segments off the write queue, with an RTT sample.
 * The write queue's microsecond clock gives one unless a segment was
 * retransmitted (Karn's rule); then the echoed timestamp still does
 * (RFC 7323 4: it tells which transmission came back), in milliseconds.
 * ts_rtt_ms is that sample, or -1.
 */
static u32 teach_stream_clean_rtx(struct sock *sk, u32 ack, s32 ts_rtt_ms)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	const struct teach_sysctl *sc = &teach_pernet(sock_net(sk))->sysctl;
	bool sample = true, any = false;
	u32 first_us = 0, acked = 0, m_us;
	struct teach_stream_cb *cb;
	struct sk_buff *skb;

	while ((skb = skb_peek(&sk->sk_write_queue))) {
		cb = TEACH_STREAM_CB(skb);
		if (!teach_seq_before(cb->seq, ack))
			break;
		if (teach_seq_after(cb->end_seq, ack)) {
			/* partly acknowledged: only the rest stays */
			u32 trim = ack - cb->seq;

			if (cb->sent > 1)
				sample = false;
			if (!pskb_pull(skb, trim))
				break;
			cb->seq = ack;
			acked += trim;
			ts->bytes_acked += trim;
			break;
		}
		if (!any)
			first_us = cb->when_us;
		any = true;
		if (cb->sent > 1)
			sample = false;
		acked += skb->len;
		ts->bytes_acked += skb->len;
		__skb_unlink(skb, &sk->sk_write_queue);
		sk_wmem_queued_add(sk, -skb->truesize);
		consume_skb(skb);
	}
	if (any && sample)
		m_us = teach_stream_now_us() - first_us;
	else if (acked && ts_rtt_ms >= 0)
		m_us = (u32)ts_rtt_ms * USEC_PER_MSEC;
	else
		return acked;
	teach_rtt_sample(&ts->rtt, m_us, jiffies_to_usecs(1),
			 READ_ONCE(sc->stream_rto_min_ms) * USEC_PER_MSEC,
			 READ_ONCE(sc->stream_rto_max_ms) * USEC_PER_MSEC);
	trace_teach_stream_rtt(sk, m_us, &ts->rtt, teach_stream_rto(ts));
	return acked;
}

/* RFC 7323 4.1: the round trip an ACK's echoed timestamp measures, or -1 */
static s32 teach_stream_ts_rtt(const struct teach_stream_sock *ts,
			       const struct teach_stream_cb *cb)
{
	s32 m;

	if (!ts->tstamp_ok || !(cb->opts & TEACH_CB_OPT_TS) || !cb->tsecr)
		return -1;
	m = (s32)(teach_stream_tsval(ts) - cb->tsecr);
	return m >= 0 ? m : -1;
}

/*
 * The SACK blocks of an ACK of ack into the scoreboard.  A block is the
 * peer's word about what it holds beyond ack: one that is empty, starts
 * before ack or ends after snd_max is not believed (RFC 2018 leaves
 * D-SACK, RFC 2883, to an extension this transport does not have).
 */
static void teach_stream_sack_rcv(struct sock *sk, struct sk_buff *skb, u32 ack)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	const struct teach_streamhdr *h =
		(const struct teach_streamhdr *)skb_transport_header(skb);
	unsigned int doff = (h->doff >> 4) * 4, i, valid = 0;
	struct teach_stream_opts o;
	u32 start, end;

	if (!ts->sack_ok || !(TEACH_STREAM_CB(skb)->opts & TEACH_CB_OPT_SACK))
		return;
	teach_stream_parse_opts((const u8 *)(h + 1), doff - TEACH_STREAM_HLEN,
				false, &o);
	for (i = 0; i < o.nsacks; i++) {
		start = o.sacks[i].start;
		end = o.sacks[i].end;
		if (!teach_seq_before(start, end) ||
		    teach_seq_before(start, ack) ||
		    teach_seq_after(end, ts->snd_max)) {
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_SACK_DISCARD);
			continue;
		}
		teach_sb_add(&ts->sb, start, end);
		valid++;
	}
	if (valid)
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_SACK_RECV);
}

/* The tracepoint of a congestion window that an ACK moved */
static void teach_stream_trace_cong(struct sock *sk, u32 cwnd, u32 ssthresh)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	if (ts->cong.cwnd != cwnd || ts->cong.ssthresh != ssthresh)
		trace_teach_stream_cwnd(sk, &ts->cong, teach_stream_flight(ts));
}

/*
 * The ACK field (fifth check): -1 when it acknowledges what was never
 * sent; otherwise the window and the congestion state follow it.
 */
static int teach_stream_ack(struct sock *sk, struct sk_buff *skb)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	struct teach_stream_cb *cb = TEACH_STREAM_CB(skb);
	u32 cwnd = ts->cong.cwnd, ssthresh = ts->cong.ssthresh;
	u32 ack = cb->ack_seq, acked, wnd;
	bool win_update = false;
	struct sk_buff *head;

	/*
	 * RFC 5961 5.2: an ACK beyond snd_max, or below snd_una - MAX.SND.WND,
	 * acknowledges what the peer cannot have seen, a blind guess at the
	 * numbers; the whole segment, data too, goes, and the caller's
	 * challenge ACK tells the real peer.
	 */
	if (teach_seq_after(ack, ts->snd_max))
		return -1;
	if (teach_seq_before(ack, ts->snd_una - ts->max_window))
		return -1;
	if (teach_seq_before(ack, ts->snd_una))
		return 0;	/* an old duplicate: ignored */

	/* RFC 7323 2.3: every window after the SYNs is scaled */
	wnd = (u32)cb->window << ts->snd_wscale;
	if (teach_seq_before(ts->snd_wl1, cb->seq) ||
	    (ts->snd_wl1 == cb->seq && teach_seq_leq(ts->snd_wl2, ack))) {
		win_update = ts->snd_wnd != wnd;
		ts->snd_wnd = wnd;
		ts->snd_wl1 = cb->seq;
		ts->snd_wl2 = ack;
		ts->max_window = max(ts->max_window, ts->snd_wnd);
		if (win_update)
			trace_teach_stream_window(sk, ts->snd_wnd, ts->rcv_wnd);
	}
	ts->probes = 0;
	trace_teach_stream_ack(sk, ack, ts->snd_wnd);
	teach_stream_sack_rcv(sk, skb, ack);

	if (ack == ts->snd_una) {
		/* RFC 5681's duplicate ACK: nothing else in it, data out */
		if (cb->end_seq == cb->seq && !win_update &&
		    ts->snd_una != ts->snd_max) {
			enum teach_cong_action act;

			ts->dup_acks_in++;
			act = teach_cong_dupack(&ts->cong, teach_stream_flight(ts),
						ts->snd_una, ts->snd_max);
			if (act == TEACH_CONG_NONE && ts->sack_ok &&
			    teach_sb_is_lost(&ts->sb, ts->snd_una, ts->mss))
				act = teach_cong_sack_loss(&ts->cong,
							   teach_stream_flight(ts),
							   ts->snd_una,
							   ts->snd_max);
			if (act == TEACH_CONG_RETRANSMIT) {
				ts->fast_retrans++;
				TEACH_INC_STATS(tn, TEACH_MIB_STREAM_FAST_RETRANS);
				if (ts->sack_ok) {
					TEACH_INC_STATS(tn, TEACH_MIB_STREAM_SACK_RECOVERY);
					teach_stream_sack_new_recovery(sk);
				}
				teach_stream_retransmit_head(sk);
			}
			teach_stream_sack_recover(sk);
		}
		teach_stream_sack_check_reneging(sk);
		if (ts->snd_wnd)
			ts->backoff = 0;
		teach_stream_trace_cong(sk, cwnd, ssthresh);
		teach_stream_push(sk, false);
		return 0;
	}

	acked = teach_stream_clean_rtx(sk, ack, teach_stream_ts_rtt(ts, cb));
	ts->snd_una = ack;
	if (teach_seq_before(ts->snd_nxt, ack))
		ts->snd_nxt = ack;
	teach_sb_advance(&ts->sb, ack);
	teach_stream_sack_check_reneging(sk);
	ts->backoff = 0;
	if (teach_cong_ack(&ts->cong, ack, acked, teach_stream_flight(ts),
			   teach_stream_now_ms(), ts->rtt.srtt_us) ==
	    TEACH_CONG_RETRANSMIT) {
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_PARTIAL_ACKS);
		/* with SACK, a hole already sent again waits for NextSeg */
		head = skb_peek(&sk->sk_write_queue);
		if (!ts->sack_ok || !head ||
		    !(TEACH_STREAM_CB(head)->rtx & TEACH_CB_RTX_RECOVERY))
			teach_stream_retransmit_head(sk);
		teach_stream_sack_recover(sk);
	}
	if (!ts->cong.in_recovery && teach_seq_after(ack, ts->cong.recover))
		ts->cong.after_timeout = false;
	/* RFC 6298 5.2, 5.3 */
	if (ts->snd_una == ts->snd_max)
		sk_stop_timer(sk, &ts->rtx_timer);
	else
		teach_stream_arm_rtx(sk);
	teach_stream_trace_cong(sk, cwnd, ssthresh);
	teach_stream_sndbuf_expand(sk);
	sk->sk_write_space(sk);
	teach_stream_push(sk, false);
	return 0;
}

/* SYN_SENT (RFC 9293 3.10.7.3): our SYN is out, what came back? */
static void teach_stream_syn_sent(struct sock *sk, struct sk_buff *skb)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	struct teach_stream_cb *cb = TEACH_STREAM_CB(skb);
	u8 flags = cb->flags;

	if ((flags & TEACH_STREAM_F_ACK) &&
	    !teach_seq_in(cb->ack_seq, ts->iss + 1, ts->snd_max + 1)) {
		teach_stream_reset_reply(sock_net(sk), skb);
		return;
	}
	if (flags & TEACH_STREAM_F_RST) {
		if (flags & TEACH_STREAM_F_ACK) {
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_ATTEMPT_FAILS);
			WRITE_ONCE(sk->sk_err, ECONNREFUSED);
			sk_error_report(sk);
			teach_stream_done(sk);
		}
		return;
	}
	if (!(flags & TEACH_STREAM_F_SYN))
		return;

	ts->irs = cb->seq;
	ts->rcv_nxt = cb->seq + 1;
	ts->rcv_wup = ts->rcv_nxt;
	ts->copied_seq = ts->rcv_nxt;
	ts->mss_peer = cb->mss ? cb->mss : 536;
	teach_stream_agree_opts(sk, cb);
	ts->mss = min(ts->mss, ts->mss_peer);
	if (ts->tstamp_ok)
		ts->mss -= TEACH_STREAM_TS_SPACE;
	ts->snd_wnd = cb->window;
	ts->max_window = cb->window;
	ts->snd_wl1 = cb->seq;
	ts->snd_wl2 = cb->ack_seq;
	teach_cong_init(&ts->cong, ts->cong.ops, ts->mss);

	if (flags & TEACH_STREAM_F_ACK) {
		teach_stream_clean_rtx(sk, cb->ack_seq,
				       teach_stream_ts_rtt(ts, cb));
		ts->snd_una = cb->ack_seq;
		ts->backoff = 0;
		sk_stop_timer(sk, &ts->rtx_timer);
		teach_stream_set_state(sk, TCP_ESTABLISHED);
		teach_stream_send_ack(sk);
		if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
			sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
		}
		return;
	}
	/* a SYN without ACK: simultaneous open (RFC 9293 figure 8) */
	teach_stream_set_state(sk, TCP_SYN_RECV);
	teach_stream_retransmit_head(sk);
	teach_stream_arm_rtx(sk);
}

/* LISTEN (RFC 9293 3.10.7.2): only a SYN makes a connection. */
static void teach_stream_listen_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	u8 flags = TEACH_STREAM_CB(skb)->flags;

	if (flags & TEACH_STREAM_F_RST)
		return;
	if (flags & TEACH_STREAM_F_ACK) {
		teach_stream_reset_reply(sock_net(sk), skb);
		return;
	}
	if (!(flags & TEACH_STREAM_F_SYN))
		return;
	/* both queues are bounded by the backlog given to listen() */
	if (READ_ONCE(ts->acc_qlen) >= READ_ONCE(sk->sk_max_ack_backlog)) {
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_LISTEN_OVERFLOWS);
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_LISTEN_DROPS);
		return;
	}
	if (READ_ONCE(ts->syn_qlen) >= max_t(u32, READ_ONCE(sk->sk_max_ack_backlog), 1)) {
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_LISTEN_DROPS);
		return;
	}
	if (!teach_stream_child(sk, skb))
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_LISTEN_DROPS);
}

static int teach_stream_process(struct sock *sk, struct sk_buff *skb)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	struct teach_stream_cb *cb = TEACH_STREAM_CB(skb);
	u8 flags = cb->flags;
	s32 wnd;

	ts->segs_in++;
	if (skb->len)
		ts->data_segs_in++;
	/* the peer is alive: the keepalive clock starts again */
	ts->rcv_tstamp = jiffies;
	ts->ka_probes_out = 0;
	switch (sk->sk_state) {
	case TCP_LISTEN:
		teach_stream_listen_rcv(sk, skb);
		goto drop;
	case TCP_CLOSE:
		teach_stream_reset_reply(sock_net(sk), skb);
		goto drop;
	case TCP_SYN_SENT:
		teach_stream_syn_sent(sk, skb);
		goto drop;
	}

	/* the peer's SYN again: our SYN-ACK (or SYN) was lost */
	if (sk->sk_state == TCP_SYN_RECV && (flags & TEACH_STREAM_F_SYN) &&
	    cb->seq == ts->irs) {
		if (!(flags & TEACH_STREAM_F_ACK) || ts->parent ||
		    cb->end_seq != cb->seq + 1) {
			teach_stream_retransmit_head(sk);
			goto drop;
		}
		/* simultaneous open: the peer's SYN-ACK is an ACK of ours */
		flags &= ~TEACH_STREAM_F_SYN;
		cb->flags = flags;
		cb->seq = ts->rcv_nxt;
		cb->end_seq = ts->rcv_nxt;
		/* a SYN's window is not scaled: never read it larger */
		cb->window >>= ts->snd_wscale;
	}

	/*
	 * PAWS (RFC 7323 5.3, R1): a timestamp older than the last one
	 * recorded is an old duplicate, from before the sequence numbers
	 * wrapped; it is answered with an ACK and dropped.  A reset is let
	 * through to the checks below, as Linux does.
	 */
	if (ts->tstamp_ok && (cb->opts & TEACH_CB_OPT_TS) &&
	    ts->ts_recent_valid && !(flags & TEACH_STREAM_F_RST) &&
	    (s32)(cb->tsval - ts->ts_recent) < 0) {
		ts->paws_drops++;
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_PAWS_DROPS);
		teach_stream_send_ack(sk);
		goto drop;
	}

	/* first: is it in the window? */
	wnd = (s32)(ts->rcv_wup + ts->rcv_wnd - ts->rcv_nxt);
	if (!teach_seq_acceptable(cb->seq, cb->end_seq - cb->seq, ts->rcv_nxt,
				  wnd > 0 ? wnd : 0)) {
		/* RFC 5961 3.2 and 4.2: an RST goes silently, a SYN is challenged */
		if (flags & TEACH_STREAM_F_RST) {
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_RST_OUT_OF_WINDOW);
		} else if (flags & TEACH_STREAM_F_SYN) {
			goto syn_challenge;
		} else {
			if (cb->end_seq != cb->seq)
				TEACH_INC_STATS(tn, TEACH_MIB_STREAM_DUP_DATA);
			if (sk->sk_state == TCP_TIME_WAIT &&
			    (flags & TEACH_STREAM_F_FIN))
				teach_stream_time_wait(sk);
			teach_stream_send_ack(sk);
		}
		goto drop;
	}
	/* second: RST, only at exactly rcv_nxt (RFC 5961 3.2) */
	if (flags & TEACH_STREAM_F_RST) {
		if (cb->seq != ts->rcv_nxt) {
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_RST_BAD_SEQ);
			teach_stream_challenge_ack(sk);
		} else {
			teach_stream_reset(sk);
		}
		goto drop;
	}
	/* fourth: a SYN, wherever it falls, gets a challenge ACK (RFC 5961 4.2) */
	if (flags & TEACH_STREAM_F_SYN) {
syn_challenge:
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_SYN_CHALLENGE);
		teach_stream_challenge_ack(sk);
		goto drop;
	}
	/*
	 * RFC 7323 4.3 and 5.3 R3: the timestamp to echo is that of the
	 * segment that starts at or before the last ACK sent (rcv_wup).
	 */
	if (ts->tstamp_ok && (cb->opts & TEACH_CB_OPT_TS) &&
	    !teach_seq_after(cb->seq, ts->rcv_wup) &&
	    (!ts->ts_recent_valid || (s32)(cb->tsval - ts->ts_recent) >= 0)) {
		ts->ts_recent = cb->tsval;
		ts->ts_recent_valid = true;
	}
	/* fifth: the ACK */
	if (!(flags & TEACH_STREAM_F_ACK))
		goto drop;
	if (sk->sk_state == TCP_SYN_RECV) {
		if (!teach_seq_in(cb->ack_seq, ts->snd_una + 1, ts->snd_max + 1)) {
			teach_stream_reset_reply(sock_net(sk), skb);
			goto drop;
		}
		teach_stream_set_state(sk, TCP_ESTABLISHED);
		ts->snd_wnd = (u32)cb->window << ts->snd_wscale;
		ts->max_window = ts->snd_wnd;
		ts->snd_wl1 = cb->seq;
		ts->snd_wl2 = cb->ack_seq;
		if (ts->parent) {
			if (!teach_stream_child_ready(sk)) {
				/* accept queue full: as if the ACK was lost */
				TEACH_INC_STATS(tn, TEACH_MIB_STREAM_LISTEN_OVERFLOWS);
				teach_stream_set_state(sk, TCP_SYN_RECV);
				goto drop;
			}
		} else if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
			sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
		}
	}
	if (teach_stream_ack(sk, skb) < 0) {
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_ACK_BAD);
		teach_stream_challenge_ack(sk);
		goto drop;
	}
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
		if (ts->fin_queued && ts->snd_una == ts->write_seq) {
			teach_stream_set_state(sk, TCP_FIN_WAIT2);
			WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | SEND_SHUTDOWN);
			if (sock_flag(sk, SOCK_DEAD))
				teach_stream_arm_fin_timeout(sk);
			else
				sk->sk_state_change(sk);
		}
		break;
	case TCP_CLOSING:
		if (ts->snd_una == ts->write_seq) {
			teach_stream_time_wait(sk);
			goto drop;
		}
		break;
	case TCP_LAST_ACK:
		if (ts->snd_una == ts->write_seq) {
			teach_stream_done(sk);
			goto drop;
		}
		break;
	case TCP_TIME_WAIT:
		goto drop;
	}

	/* seventh and eighth: the payload and the FIN */
	if (cb->seq == cb->end_seq)
		goto drop;
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		/* closed by its process: new data cannot be read (RFC 9293 3.10.4) */
		if ((sk->sk_shutdown & RCV_SHUTDOWN) && skb->len &&
		    teach_seq_after(cb->end_seq -
				    !!(flags & TEACH_STREAM_F_FIN), ts->rcv_nxt)) {
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_ABORT_ON_DATA);
			teach_stream_send_rst(sk);
			teach_stream_done(sk);
			goto drop;
		}
		fallthrough;
	case TCP_ESTABLISHED:
		teach_stream_data(sk, skb);
		return 0;
	default:
		/* CLOSE_WAIT, CLOSING, LAST_ACK: the peer's FIN came already */
		break;
	}
drop:
	kfree_skb(skb);
	return 0;
}

int teach_stream_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	return teach_stream_process(sk, skb);
}

/*
 * Socket locked, not owned.  A SYN for a connection in TIME_WAIT with a
 * sequence number beyond what the old one received (RFC 1122 4.2.2.13,
 * as Linux's tcp_timewait_state_process() without timestamps) starts a
 * new incarnation: TIME_WAIT ends, and true is returned so that the
 * segment goes to a listener.
 */
static bool teach_stream_tw_syn(struct sock *sk, struct sk_buff *skb)
{
	const struct teach_stream_cb *cb = TEACH_STREAM_CB(skb);

	if (sk->sk_state != TCP_TIME_WAIT ||
	    (cb->flags & (TEACH_STREAM_F_SYN | TEACH_STREAM_F_ACK |
			  TEACH_STREAM_F_RST | TEACH_STREAM_F_FIN)) !=
	    TEACH_STREAM_F_SYN ||
	    !teach_seq_after(cb->seq, teach_stream_sk(sk)->rcv_nxt))
		return false;
	TEACH_INC_STATS(teach_pernet(sock_net(sk)),
			TEACH_MIB_STREAM_TW_RECYCLED);
	teach_stream_done(sk);
	return true;
}

int teach_stream_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	struct teach_net *tn = teach_pernet(net);
	const struct teach_streamhdr *h;
	const struct teachhdr *th;
	struct teach_stream_cb *cb;
	struct teach_pcb *pcb;
	struct teach_dev *tdev;
	unsigned int doff;
	struct sock *sk;
	u16 sport, dport;

	/* a super-packet (gso.c) counts as the segments it carries */
	TEACH_ADD_STATS(tn, TEACH_MIB_STREAM_IN_SEGS,
			max_t(u16, 1, skb_shinfo(skb)->gso_segs));
	if (!pskb_may_pull(skb, TEACH_STREAM_HLEN))
		goto bad;
	h = (const struct teach_streamhdr *)skb->data;
	doff = (h->doff >> 4) * 4;
	if (doff < TEACH_STREAM_HLEN || doff > skb->len ||
	    !pskb_may_pull(skb, doff))
		goto bad;
	th = (const struct teachhdr *)skb_network_header(skb);
	h = (const struct teach_streamhdr *)skb->data;
	/* a connection has two ends: never a broadcast */
	tdev = teach_dev_get(net, skb->dev->ifindex);
	if (th->daddr == htonl(TEACH_ADDR_BROADCAST) ||
	    (tdev && teach_addr_is_bcast(tdev, th->daddr)))
		goto bad;
	/* CHECKSUM_PARTIAL: from this host or a veth peer, never on a wire */
	if (!skb_csum_unnecessary(skb) &&
	    teach_stream_csum(th->saddr, th->daddr, skb->len,
			      skb_checksum(skb, 0, skb->len, 0))) {
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_IN_CSUM_ERRORS);
		goto bad;
	}
	if ((h->flags & TEACH_STREAM_F_SYN) &&
	    (h->flags & (TEACH_STREAM_F_FIN | TEACH_STREAM_F_RST)))
		goto bad;

	cb = TEACH_STREAM_CB(skb);
	memset(cb, 0, sizeof(*cb));
	cb->seq = ntohl(h->seq);
	cb->ack_seq = ntohl(h->ack_seq);
	cb->window = ntohs(h->window);
	cb->flags = h->flags;
	cb->end_seq = cb->seq + skb->len - doff +
		      !!(h->flags & TEACH_STREAM_F_SYN) +
		      !!(h->flags & TEACH_STREAM_F_FIN);
	if (doff > TEACH_STREAM_HLEN) {
		struct teach_stream_opts o;

		teach_stream_parse_opts((const u8 *)(h + 1),
					doff - TEACH_STREAM_HLEN,
					h->flags & TEACH_STREAM_F_SYN, &o);
		if (o.bad)
			TEACH_INC_STATS(tn, TEACH_MIB_STREAM_BAD_OPTIONS);
		cb->mss = o.mss;
		cb->wscale = o.wscale;
		if (o.has_wscale)
			cb->opts |= TEACH_CB_OPT_WSCALE;
		if (o.sack_perm)
			cb->opts |= TEACH_CB_OPT_SACK_PERM;
		if (o.nsacks)
			cb->opts |= TEACH_CB_OPT_SACK;
		if (o.has_ts) {
			cb->opts |= TEACH_CB_OPT_TS;
			cb->tsval = o.tsval;
			cb->tsecr = o.tsecr;
		}
	}
	sport = ntohs(h->source);
	dport = ntohs(h->dest);
	skb_reset_transport_header(skb);
	__skb_pull(skb, doff);

	/* an exact 4-tuple match, else a listener: never a socket only bound */
	pcb = teach_pcb_lookup_connected(&tn->stream_pcbs, th->saddr, sport,
					 th->daddr, dport, skb->dev->ifindex);
	if (!pcb) {
listener:
		pcb = teach_pcb_lookup_listener(&tn->stream_pcbs, th->saddr,
						sport, th->daddr, dport,
						skb->dev->ifindex);
	}
	if (!pcb)
		goto no_sock;
	sk = pcb->sk;
	if (!refcount_inc_not_zero(&sk->sk_refcnt))
		goto no_sock;
	if (READ_ONCE(sk->sk_state) == TCP_CLOSE) {
		sock_put(sk);
		goto no_sock;
	}

	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk) && teach_stream_tw_syn(sk, skb)) {
		/* the old connection is over: a listener takes the new one */
		bh_unlock_sock(sk);
		sock_put(sk);
		goto listener;
	}
	if (!sock_owned_by_user(sk)) {
		teach_stream_process(sk, skb);
	} else if (sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf) +
				  READ_ONCE(sk->sk_sndbuf) +
				  TEACH_BACKLOG_SLACK)) {
		bh_unlock_sock(sk);
		sock_put(sk);
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_BACKLOG_DROPS);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	bh_unlock_sock(sk);
	sock_put(sk);
	return NET_RX_SUCCESS;

no_sock:
	TEACH_INC_STATS(tn, TEACH_MIB_STREAM_NO_PORTS);
	teach_stream_reset_reply(net, skb);
	kfree_skb(skb);
	return NET_RX_DROP;
bad:
	TEACH_INC_STATS(tn, TEACH_MIB_STREAM_IN_ERRS);
	kfree_skb(skb);
	return NET_RX_DROP;
}
