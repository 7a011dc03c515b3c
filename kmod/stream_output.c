// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the send side of a stream socket.
 *
 * What the user writes waits in sk_write_queue, one skb per segment, each
 * with its sequence numbers in TEACH_STREAM_CB(); SYN and FIN take one
 * sequence number each and have skbs of their own, so that one
 * retransmission path serves them all.  An skb stays queued until the
 * peer acknowledges it; each transmission sends a clone (or a copy, while
 * an earlier clone is still in flight) with the header pushed on.
 *
 * teach_stream_push() sends what the windows allow: the peer's receive
 * window (flow control) and the congestion window (stream_cong.c), with
 * Nagle's rule (RFC 896, RFC 1122 4.2.3.4) holding back a small last
 * segment while data is unacknowledged, unless TEACH_NODELAY.
 */
#include <linux/skbuff.h>

#include "stream.h"
#include "stream_trace.h"

#define TEACH_STREAM_HEADROOM	(LL_MAX_HEADER + TEACH_MAX_HLEN + \
				 TEACH_STREAM_MAX_HLEN)

/*
 * teach_flow.finish: the source address is known, the checksum can be.
 * Offloaded (gso.c), the check field holds only the pseudo-header's sum,
 * as TCP leaves it for a device; a super-packet's segments get theirs
 * when they are cut, if they ever are.
 */
static void teach_stream_finish(struct sk_buff *skb,
				const struct teach_flow *fl)
{
	struct teach_streamhdr *h = (struct teach_streamhdr *)skb->data;

	if (fl->offload || skb_is_gso(skb)) {
		skb_partial_csum_set(skb, 0,
				     offsetof(struct teach_streamhdr, check));
		h->check = ~teach_stream_csum(fl->saddr, fl->daddr, skb->len,
					      0);
		return;
	}
	h->check = 0;
	h->check = teach_stream_csum(fl->saddr, fl->daddr, skb->len,
				     skb_checksum(skb, 0, skb->len, 0));
}

/*
 * The window to advertise: half the free receive buffer (the rest covers
 * skb overhead, as tcp_adv_win_scale = 1), at most 65535 << rcv_wscale
 * (65535 without window scaling); nothing below one MSS (receiver-side
 * silly window avoidance, RFC 1122 4.2.3.3).
 */
static u32 teach_stream_free_window(const struct sock *sk)
{
	const struct teach_stream_sock *ts = teach_stream_sk(sk);
	int space = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
	u32 floor = min_t(u32, ts->rcv_mss, READ_ONCE(sk->sk_rcvbuf) / 4);

	if (space < 0)
		space = 0;
	space /= 2;
	if ((u32)space > (65535U << ts->rcv_wscale))
		space = 65535U << ts->rcv_wscale;
	if ((u32)space < floor)
		space = 0;
	return space;
}

/*
 * The window field of a segment now; never less than what was promised
 * before, so the right edge does not move back (RFC 9293 3.8.6.2.2).  A
 * SYN's window is never scaled (RFC 7323 2.2); the others are shifted
 * right by rcv_wscale, which teach_wscale_window() rounds.
 */
u16 teach_stream_select_window(struct sock *sk, bool syn)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	u32 space = teach_stream_free_window(sk);
	s32 cur = (s32)(ts->rcv_wup + ts->rcv_wnd - ts->rcv_nxt);
	u32 old = ts->rcv_wnd;
	u16 field;

	ts->rcv_wnd = teach_wscale_window(space, cur > 0 ? cur : 0,
					  syn ? 0 : ts->rcv_wscale, &field);
	ts->rcv_wup = ts->rcv_nxt;
	if (ts->rcv_wnd != old)
		trace_teach_stream_window(sk, ts->snd_wnd, ts->rcv_wnd);
	return field;
}

/*
 * After the reader made room: is the window now worth announcing?  It
 * must have grown by an MSS at least (RFC 1122 4.2.3.3), and, as Linux's
 * __tcp_cleanup_rbuf() decides, the window the peer still has must be
 * down to half of the largest the buffer offers and the new one twice
 * it: an update per MSS read would cost the sender an ACK each, and
 * break its super-packets (gso.c) into pieces.  A closed window opens
 * at once.
 */
void teach_stream_rcv_space(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	u32 old_right = ts->rcv_wup + ts->rcv_wnd;
	u32 free = teach_stream_free_window(sk);
	u32 new_right = ts->rcv_nxt + free;
	u32 step = min_t(u32, ts->rcv_mss, READ_ONCE(sk->sk_rcvbuf) / 2);
	u32 clamp = min_t(u32, READ_ONCE(sk->sk_rcvbuf) / 2,
			  65535U << ts->rcv_wscale);
	u32 cur;

	if (!((1 << sk->sk_state) &
	      (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)))
		return;
	if (!teach_seq_after(new_right, old_right))
		return;
	cur = old_right - ts->rcv_nxt;
	if (!cur || (new_right - old_right >= step && 2 * cur <= clamp &&
		     free >= 2 * cur))
		teach_stream_send_ack(sk);
}

static void teach_stream_flow(struct sock *sk, struct teach_flow *fl)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	int ttl = READ_ONCE(ts->opts.ttl);

	memset(fl, 0, sizeof(*fl));
	fl->daddr = ts->pcb.raddr;
	fl->saddr = ts->pcb.laddr;
	fl->oif = READ_ONCE(sk->sk_bound_dev_if);
	fl->tos = READ_ONCE(ts->opts.tos);
	fl->ttl = ttl < 0 ? 0 : ttl;
	fl->protocol = TEACHPROTO_STREAM;
	fl->pmtudisc = READ_ONCE(ts->opts.pmtudisc);
	fl->finish = teach_stream_finish;
}

/*
 * The options of a segment: a SYN offers (or, a SYN-ACK, accepts) MSS,
 * window scale, SACK-permitted and timestamps; once agreed, every
 * segment has timestamps, and an ACK the SACK blocks of the out-of-order
 * queue, as many as fit beside the payload in one MSS.
 */
static unsigned int teach_stream_out_opts(struct sock *sk, u8 flags,
					  unsigned int len,
					  struct teach_stream_opts *o)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	int room;

	memset(o, 0, sizeof(*o));
	if (flags & TEACH_STREAM_F_SYN) {
		o->mss = ts->rcv_mss;
		o->has_wscale = ts->wscale_ok;
		o->wscale = ts->rcv_wscale;
		o->sack_perm = ts->sack_ok;
	}
	if (ts->tstamp_ok) {
		o->has_ts = true;
		o->tsval = teach_stream_tsval(ts);
		o->tsecr = ts->ts_recent_valid ? ts->ts_recent : 0;
	}
	if (!(flags & (TEACH_STREAM_F_SYN | TEACH_STREAM_F_RST)) &&
	    (flags & TEACH_STREAM_F_ACK) && ts->sack_ok && ts->num_rsacks) {
		o->nsacks = ts->num_rsacks;
		memcpy(o->sacks, ts->rsacks, sizeof(o->sacks));
		if (len) {
			room = (int)ts->mss - (int)len - 4;
			o->nsacks = room < TEACH_SACK_BLOCK_LEN ? 0 :
				    min_t(int, o->nsacks,
					  room / TEACH_SACK_BLOCK_LEN);
		}
	}
	return teach_stream_opts_len(o);
}

/* Header on, out it goes; consumes skb (payload at skb->data). */
static int teach_stream_transmit(struct sock *sk, struct sk_buff *skb,
				 u32 seq, u8 flags)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	unsigned int len = skb->len, optlen, segs = 1;
	struct teach_stream_opts o;
	struct teach_streamhdr *h;
	struct teach_flow fl;
	int err;

	if (skb_is_gso(skb))
		segs = skb_shinfo(skb)->gso_segs;
	/* the options go on every segment: room is counted in one */
	optlen = teach_stream_out_opts(sk, flags, len / segs, &o);
	h = skb_push(skb, TEACH_STREAM_HLEN + optlen);
	skb_reset_transport_header(skb);
	h->source = htons(ts->pcb.lport);
	h->dest = htons(ts->pcb.rport);
	h->seq = htonl(seq);
	h->ack_seq = (flags & TEACH_STREAM_F_ACK) ? htonl(ts->rcv_nxt) : 0;
	h->doff = ((TEACH_STREAM_HLEN + optlen) / 4) << 4;
	h->flags = flags;
	h->window = htons(teach_stream_select_window(sk, flags &
						     TEACH_STREAM_F_SYN));
	h->check = 0;
	h->urg_ptr = 0;
	if (optlen)
		teach_stream_build_opts((u8 *)(h + 1), &o);
	trace_teach_stream_send(sk, seq, len, flags, ntohl(h->ack_seq));
	if (!skb_is_gso(skb))
		skb->ip_summed = CHECKSUM_NONE;
	skb->priority = READ_ONCE(sk->sk_priority);
	skb->mark = READ_ONCE(sk->sk_mark);
	skb_set_owner_w(skb, sk);

	if (flags & TEACH_STREAM_F_ACK) {
		ts->ack_pending = 0;
		ts->rcv_since_ack = 0;
		sk_stop_timer(sk, &ts->delack_timer);
	}
	if (flags & TEACH_STREAM_F_RST)
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_OUT_RSTS);
	ts->segs_out += segs;
	if (len) {
		ts->data_segs_out += segs;
		ts->bytes_sent += len;
	}
	teach_stream_flow(sk, &fl);
	err = teach_output_cached(sock_net(sk), skb, &fl, &ts->rtc);
	ts->gso_ok = fl.offload;
	return err;
}

static int teach_stream_send_ctl(struct sock *sk, u32 seq, u8 flags)
{
	struct sk_buff *skb = alloc_skb(TEACH_STREAM_HEADROOM, GFP_ATOMIC);

	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, TEACH_STREAM_HEADROOM);
	TEACH_INC_STATS(teach_pernet(sock_net(sk)), TEACH_MIB_STREAM_OUT_SEGS);
	return teach_stream_transmit(sk, skb, seq, flags);
}

int teach_stream_send_ack(struct sock *sk)
{
	return teach_stream_send_ctl(sk, teach_stream_sk(sk)->snd_nxt,
				     TEACH_STREAM_F_ACK);
}

/* An abort: RST at snd_nxt (with an ACK, as Linux sends it). */
void teach_stream_send_rst(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	u8 flags = TEACH_STREAM_F_RST;

	if (sk->sk_state != TCP_SYN_SENT)
		flags |= TEACH_STREAM_F_ACK;
	teach_stream_send_ctl(sk, ts->snd_nxt, flags);
}

/*
 * A zero-window probe, as Linux's tcp_xmit_probe_skb(): an ACK one below
 * snd_una is outside the peer's window, so it must answer with an ACK
 * that carries its window now; no sequence number is spent.
 */
void teach_stream_send_probe(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	ts->zwnd_probes++;
	TEACH_INC_STATS(teach_pernet(sock_net(sk)),
			TEACH_MIB_STREAM_ZERO_WND_PROBES);
	teach_stream_send_ctl(sk, ts->snd_una - 1, TEACH_STREAM_F_ACK);
}

/*
 * A keepalive probe (RFC 9293 3.8.4, RFC 1122 4.2.3.6, as Linux sends
 * it): an ACK with SEG.SEQ = SND.UNA - 1 and no data, which the peer
 * must answer with an ACK, as it answers a zero-window probe.
 */
int teach_stream_send_keepalive(struct sock *sk)
{
	TEACH_INC_STATS(teach_pernet(sock_net(sk)),
			TEACH_MIB_STREAM_KEEPALIVE_PROBES);
	return teach_stream_send_ctl(sk, teach_stream_sk(sk)->snd_una - 1,
				     TEACH_STREAM_F_ACK);
}

void teach_stream_reset_reply(struct net *net, struct sk_buff *in)
{
	const struct teachhdr *th = (const struct teachhdr *)skb_network_header(in);
	const struct teach_streamhdr *ih =
		(const struct teach_streamhdr *)skb_transport_header(in);
	const struct teach_stream_cb *cb = TEACH_STREAM_CB(in);
	struct teach_net *tn = teach_pernet(net);
	struct teach_streamhdr *h;
	struct teach_flow fl = {};
	struct sk_buff *skb;

	if (cb->flags & TEACH_STREAM_F_RST)
		return;		/* never a reset for a reset */
	skb = alloc_skb(TEACH_STREAM_HEADROOM, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, TEACH_STREAM_HEADROOM);
	h = skb_push(skb, TEACH_STREAM_HLEN);
	skb_reset_transport_header(skb);
	memset(h, 0, sizeof(*h));
	h->source = ih->dest;
	h->dest = ih->source;
	/* RFC 9293 3.10.7.1: <SEQ=SEG.ACK><CTL=RST>, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN> */
	if (cb->flags & TEACH_STREAM_F_ACK) {
		h->seq = htonl(cb->ack_seq);
		h->flags = TEACH_STREAM_F_RST;
	} else {
		h->ack_seq = htonl(cb->end_seq);
		h->flags = TEACH_STREAM_F_RST | TEACH_STREAM_F_ACK;
	}
	h->doff = (TEACH_STREAM_HLEN / 4) << 4;
	skb->ip_summed = CHECKSUM_NONE;
	fl.daddr = th->saddr;
	fl.saddr = th->daddr;
	fl.protocol = TEACHPROTO_STREAM;
	fl.finish = teach_stream_finish;
	TEACH_INC_STATS(tn, TEACH_MIB_STREAM_OUT_RSTS);
	TEACH_INC_STATS(tn, TEACH_MIB_STREAM_OUT_SEGS);
	teach_output(net, skb, &fl);
}

/* The bookkeeping of one queued segment going out. */
static void teach_stream_note_xmit(struct sock *sk, struct sk_buff *skb)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	struct teach_stream_cb *cb = TEACH_STREAM_CB(skb);

	cb->when_us = teach_stream_now_us();
	if (cb->sent) {
		trace_teach_stream_retransmit(sk, cb->seq, skb->len, cb->sent);
		ts->total_retrans++;
		ts->bytes_retrans += skb->len;
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_RETRANS_SEGS);
	} else {
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_OUT_SEGS);
	}
	if (cb->sent < 255)
		cb->sent++;
}

static u8 teach_stream_xmit_flags(struct sock *sk, struct sk_buff *skb)
{
	u8 flags = TEACH_STREAM_CB(skb)->flags;

	if (sk->sk_state != TCP_SYN_SENT)
		flags |= TEACH_STREAM_F_ACK;
	if (skb->len && skb_queue_is_last(&sk->sk_write_queue, skb))
		flags |= TEACH_STREAM_F_PSH;
	return flags;
}

/* One queued segment out: first transmission or retransmission. */
int teach_stream_xmit_skb(struct sock *sk, struct sk_buff *skb, bool retrans)
{
	struct sk_buff *nskb;

	/* a clone shares the headroom we push into: copy while one is out */
	if (skb_cloned(skb))
		nskb = pskb_copy(skb, GFP_ATOMIC);
	else
		nskb = skb_clone(skb, GFP_ATOMIC);
	if (!nskb)
		return -ENOBUFS;
	teach_stream_note_xmit(sk, skb);
	teach_stream_transmit(sk, nskb, TEACH_STREAM_CB(skb)->seq,
			      teach_stream_xmit_flags(sk, skb));
	/* a lost transmission is the retransmission timer's business */
	return 0;
}

/*
 * GSO (gso.c): how many full-sized, never-sent segments from skb on fit
 * the window (at most one super-packet's worth); 0 or 1: send alone.
 */
static unsigned int teach_stream_gso_run(struct sock *sk, struct sk_buff *skb,
					 u32 right, bool *wnd_limited)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	unsigned int n = 0, max;
	struct teach_stream_cb *cb;

	*wnd_limited = false;
	if (!ts->gso_ok || !READ_ONCE(teach_pernet(sock_net(sk))->sysctl.offload))
		return 0;
	max = min_t(unsigned int, TEACH_GSO_MAX_SEGS,
		    TEACH_GSO_MAX_PAYLOAD / ts->mss);
	for (; n < max && skb != (struct sk_buff *)&sk->sk_write_queue;
	     skb = skb->next, n++) {
		cb = TEACH_STREAM_CB(skb);
		if (cb->sent || skb->len != ts->mss ||
		    (cb->flags & (TEACH_STREAM_F_SYN | TEACH_STREAM_F_FIN)))
			break;
		if (teach_seq_after(cb->end_seq, right)) {
			*wnd_limited = true;
			break;
		}
	}
	return n;
}

/*
 * As Linux's tcp_tso_should_defer(): when the window lets out only a
 * small part of what waits, and data in flight will bring an ACK that
 * opens it further, wait for that ACK rather than send a small
 * super-packet now.  Each ACK would otherwise let out as little again,
 * and the pattern of small packets would last as long as the transfer.
 * Never in a recovery, and only with two segments or more in flight:
 * then the receiver answers at once (stream_input.c), never after its
 * delayed-ACK timer.
 */
static bool teach_stream_gso_defer(struct sock *sk, unsigned int run,
				   bool wnd_limited, u32 wnd, u32 flight)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	return wnd_limited && flight >= 2 * ts->mss && !ts->cong.in_recovery &&
	       run * ts->mss < wnd / TEACH_GSO_DEFER_DIVISOR;
}

/*
 * n queued segments from first on, as one super-packet: a header-only
 * head with clones of the segments as its frag_list (no copy), cut again
 * only where a device needs it (gso.c).  Returns the last segment sent.
 */
static struct sk_buff *teach_stream_xmit_gso(struct sock *sk,
					     struct sk_buff *first,
					     unsigned int n)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct sk_buff *head, *skb = first, *c, **tail;
	unsigned int i;

	head = alloc_skb(TEACH_STREAM_HEADROOM, GFP_ATOMIC);
	if (!head)
		return NULL;
	skb_reserve(head, TEACH_STREAM_HEADROOM);
	tail = &skb_shinfo(head)->frag_list;
	for (i = 0; i < n; i++, skb = skb->next) {
		c = skb_clone(skb, GFP_ATOMIC);
		if (!c) {
			kfree_skb(head);
			return NULL;
		}
		*tail = c;
		tail = &c->next;
		head->len += c->len;
		head->data_len += c->len;
		head->truesize += c->truesize;
	}
	skb = first;
	for (i = 0; i < n; i++, skb = skb->next)
		teach_stream_note_xmit(sk, skb);
	skb = skb->prev;
	skb_shinfo(head)->gso_size = ts->mss;
	skb_shinfo(head)->gso_segs = n;
	skb_shinfo(head)->gso_type = SKB_GSO_FRAGLIST;
	TEACH_INC_STATS(teach_pernet(sock_net(sk)), TEACH_MIB_STREAM_GSO_SENT);
	teach_stream_transmit(sk, head, TEACH_STREAM_CB(first)->seq,
			      teach_stream_xmit_flags(sk, skb));
	return skb;
}

int teach_stream_retransmit_head(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	int err;

	if (!skb || !teach_seq_before(TEACH_STREAM_CB(skb)->seq, ts->snd_max))
		return 0;
	err = teach_stream_xmit_skb(sk, skb, true);
	TEACH_STREAM_CB(skb)->rtx |= TEACH_CB_RTX_RECOVERY;
	if (!err && teach_seq_after(TEACH_STREAM_CB(skb)->end_seq, ts->snd_nxt))
		ts->snd_nxt = TEACH_STREAM_CB(skb)->end_seq;
	return err;
}

/*
 * RFC 6675's loss recovery, simplified (Documentation/stream.rst): the
 * congestion window stays NewReno's (stream_cong.c), SACK says what to
 * send again.  SetPipe() counts what is still in the network: every
 * segment not SACKed and not lost, and every one retransmitted in this
 * recovery.  NextSeg()'s rule 1 then sends the lost holes below the
 * highest SACKed byte, once each, while pipe stays below ssthresh (the
 * cwnd of RFC 6675's recovery).  New data is teach_stream_push()'s.
 */
void teach_stream_sack_recover(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct teach_net *tn = teach_pernet(sock_net(sk));
	struct teach_stream_cb *cb;
	struct sk_buff *skb;
	u32 pipe = 0, high, span;

	if (!ts->sack_ok || !ts->cong.in_recovery || !ts->sb.n)
		return;
	high = teach_sb_high(&ts->sb);
	skb_queue_walk(&sk->sk_write_queue, skb) {
		cb = TEACH_STREAM_CB(skb);
		if (!cb->sent || !teach_seq_before(cb->seq, ts->snd_max))
			break;
		if (teach_sb_covers(&ts->sb, cb->seq, cb->end_seq))
			continue;
		span = cb->end_seq - cb->seq;
		if (!teach_sb_is_lost(&ts->sb, cb->seq, ts->mss))
			pipe += span;
		if (cb->rtx & TEACH_CB_RTX_RECOVERY)
			pipe += span;
	}
	skb_queue_walk(&sk->sk_write_queue, skb) {
		cb = TEACH_STREAM_CB(skb);
		if (!cb->sent || !teach_seq_before(cb->seq, high))
			break;
		if ((cb->rtx & TEACH_CB_RTX_RECOVERY) ||
		    teach_sb_covers(&ts->sb, cb->seq, cb->end_seq))
			continue;
		/* fewer bytes are SACKed above each later one: none is lost */
		if (!teach_sb_is_lost(&ts->sb, cb->seq, ts->mss))
			break;
		span = cb->end_seq - cb->seq;
		if (pipe + span > ts->cong.ssthresh)
			break;
		if (teach_stream_xmit_skb(sk, skb, true))
			break;
		cb->rtx |= TEACH_CB_RTX_RECOVERY;
		pipe += span;
		ts->sack_retrans++;
		TEACH_INC_STATS(tn, TEACH_MIB_STREAM_SACK_RETRANS);
	}
}

/* A new recovery: nothing was retransmitted in it yet. */
void teach_stream_sack_new_recovery(struct sock *sk)
{
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb)
		TEACH_STREAM_CB(skb)->rtx &= ~TEACH_CB_RTX_RECOVERY;
}

/*
 * A receiver never SACKs what it could acknowledge: a SACKed range that
 * starts at snd_una (after the cumulative ACK moved it) was thrown away
 * by the peer (RFC 2018 section 8).  The scoreboard is forgotten, so
 * that the data is sent again.
 */
void teach_stream_sack_check_reneging(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);

	if (ts->sb.n && ts->sb.r[0].start == ts->snd_una) {
		TEACH_INC_STATS(teach_pernet(sock_net(sk)),
				TEACH_MIB_STREAM_SACK_RENEGING);
		ts->sb.n = 0;
	}
}

/* A SYN or FIN: one sequence number, a segment of its own. */
int teach_stream_queue_ctl(struct sock *sk, u8 flags)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct sk_buff *skb;

	skb = alloc_skb(TEACH_STREAM_HEADROOM, sk->sk_allocation);
	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, TEACH_STREAM_HEADROOM);
	memset(skb->cb, 0, sizeof(skb->cb));
	TEACH_STREAM_CB(skb)->seq = ts->write_seq;
	TEACH_STREAM_CB(skb)->end_seq = ts->write_seq + 1;
	TEACH_STREAM_CB(skb)->flags = flags;
	ts->write_seq++;
	if (flags & TEACH_STREAM_F_FIN)
		ts->fin_queued = true;
	sk_wmem_queued_add(sk, skb->truesize);
	__skb_queue_tail(&sk->sk_write_queue, skb);
	return 0;
}

void teach_stream_free_write_queue(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue))) {
		sk_wmem_queued_add(sk, -skb->truesize);
		kfree_skb(skb);
	}
}

/*
 * The first len bytes of a queued segment become a segment of their own,
 * queued before it (the window has room for no more).
 */
static int teach_stream_split(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct sk_buff *nskb;

	if (len >= skb->len)
		return -EINVAL;
	nskb = alloc_skb(TEACH_STREAM_HEADROOM + len, GFP_ATOMIC);
	if (!nskb)
		return -ENOBUFS;
	skb_reserve(nskb, TEACH_STREAM_HEADROOM);
	if (skb_copy_bits(skb, 0, skb_put(nskb, len), len)) {
		kfree_skb(nskb);
		return -EFAULT;
	}
	memcpy(nskb->cb, skb->cb, sizeof(skb->cb));
	TEACH_STREAM_CB(nskb)->end_seq = TEACH_STREAM_CB(skb)->seq + len;
	TEACH_STREAM_CB(skb)->seq += len;
	__skb_pull(skb, len);
	sk_wmem_queued_add(sk, nskb->truesize);
	__skb_queue_before(&sk->sk_write_queue, skb, nskb);
	return 0;
}

void teach_stream_push(struct sock *sk, bool force)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	struct sk_buff *skb, *last;
	struct teach_stream_cb *cb;
	bool wnd_limited;
	unsigned int run;
	u32 wnd, flight;

	if (!((1 << sk->sk_state) &
	      (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 |
	       TCPF_LAST_ACK | TCPF_CLOSING)))
		return;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		cb = TEACH_STREAM_CB(skb);
		if (teach_seq_before(cb->seq, ts->snd_nxt))
			continue;	/* sent already */
		/* going back after a timeout: what the peer SACKed stays */
		if (cb->sent && ts->sack_ok &&
		    teach_seq_before(cb->seq, ts->snd_max) &&
		    teach_sb_covers(&ts->sb, cb->seq, cb->end_seq)) {
			ts->snd_nxt = cb->end_seq;
			TEACH_INC_STATS(teach_pernet(sock_net(sk)),
					TEACH_MIB_STREAM_SACK_SKIPPED);
			continue;
		}
		flight = teach_stream_flight(ts);
		wnd = min(ts->snd_wnd, ts->cong.cwnd);
		/* a FIN alone may go into a closed window */
		if (skb->len &&
		    teach_seq_after(cb->end_seq, ts->snd_una + wnd)) {
			s32 usable = (s32)(ts->snd_una + wnd - cb->seq);

			/*
			 * Part of it fits: send that part when nothing is in
			 * flight (no ACK would come to open the window
			 * further) or when it is a full segment anyway.
			 */
			if (usable <= 0 || (flight && usable < ts->mss) ||
			    teach_stream_split(sk, skb, usable)) {
				if (!flight && ts->snd_wnd < skb->len)
					teach_stream_arm_persist(sk);
				break;
			}
			skb = skb->prev;	/* the part that fits */
			cb = TEACH_STREAM_CB(skb);
		}
		if (!force && skb->len < ts->mss &&
		    !(cb->flags & TEACH_STREAM_F_FIN) &&
		    skb_queue_is_last(&sk->sk_write_queue, skb) &&
		    (ts->cork || (!ts->nodelay && flight)))
			break;
		run = teach_stream_gso_run(sk, skb, ts->snd_una + wnd,
					   &wnd_limited);
		if (teach_stream_gso_defer(sk, run, wnd_limited, wnd, flight))
			break;
		last = run > 1 ? teach_stream_xmit_gso(sk, skb, run) : NULL;
		if (last) {
			skb = last;
			cb = TEACH_STREAM_CB(skb);
		} else {
			teach_stream_xmit_skb(sk, skb, false);
		}
		ts->snd_nxt = cb->end_seq;
		if (teach_seq_after(ts->snd_nxt, ts->snd_max))
			ts->snd_max = ts->snd_nxt;
		if (!timer_pending(&ts->rtx_timer) ||
		    ts->rtx_mode != TEACH_RTX_RETRANS)
			teach_stream_arm_rtx(sk);
	}
}
