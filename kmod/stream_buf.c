// SPDX-License-Identifier: GPL-2.0
/*
 * teach: buffer auto-tuning of the stream transport, as Linux's
 * tcp_rcv_space_adjust() and tcp_sndbuf_expand() do it.
 *
 * A socket starts with net.core's default buffers (about 208 KiB), and
 * the window it offers is half its free receive buffer: about 100 KiB,
 * whatever the path could carry.  Unless the user fixed a size with
 * SO_RCVBUF or SO_SNDBUF, both buffers then grow with what the
 * connection shows it needs:
 *
 *   receive	once per round trip, if the reader took more than in the
 *		round trip before, the buffer becomes room for twice that
 *		(in truesize: twice again), so that the window can double
 *		each round trip while the reader keeps up (dynamic
 *		right-sizing, as Linux's);
 *   send	as the usable window (the smaller of cwnd and the peer's
 *		largest window) grows, the buffer becomes room for two of
 *		it: one in flight, one being written.
 *
 * net.teach.stream_rmem_max and stream_wmem_max bound them; the window
 * scale a SYN offers is chosen for stream_rmem_max, so that the window
 * can grow that far.  Buffers never shrink.
 */
#include <net/sock.h>

#include "stream.h"

/* What one queued MSS costs in truesize (one skb per segment, stream.c). */
static u32 teach_stream_seg_truesize(u32 mss)
{
	return SKB_TRUESIZE(LL_MAX_HEADER + TEACH_MAX_HLEN +
			    TEACH_STREAM_MAX_HLEN + mss);
}

/* The receive buffer the window scale must be able to express. */
u32 teach_stream_wscale_space(const struct sock *sk)
{
	u32 space = READ_ONCE(sk->sk_rcvbuf);
	u32 max = READ_ONCE(teach_pernet(sock_net(sk))->sysctl.stream_rmem_max);

	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		space = max_t(u32, space, max);
	return space;
}

/* recvmsg() took copied bytes to the user; under the socket lock. */
void teach_stream_rcvbuf_adjust(struct sock *sk, u32 copied)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	u32 now = teach_stream_now_us(), rtt, want, max;

	ts->rcvq_copied += copied;
	rtt = max_t(u32, ts->rtt.srtt_us, TEACH_RCVQ_MIN_RTT_US);
	if (now - ts->rcvq_time_us < rtt)
		return;
	if (ts->rcvq_copied > ts->rcvq_space &&
	    !(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
		max = READ_ONCE(teach_pernet(sock_net(sk))->sysctl.stream_rmem_max);
		/* a window of twice what was read, a buffer of twice that */
		want = min_t(u64, 4ULL * ts->rcvq_copied, max);
		if (want > READ_ONCE(sk->sk_rcvbuf)) {
			WRITE_ONCE(sk->sk_rcvbuf, want);
			TEACH_INC_STATS(teach_pernet(sock_net(sk)),
					TEACH_MIB_STREAM_RCVBUF_GROWN);
		}
	}
	ts->rcvq_space = max(ts->rcvq_space, ts->rcvq_copied);
	ts->rcvq_copied = 0;
	ts->rcvq_time_us = now;
}

/* After an ACK moved the windows; under the socket lock. */
void teach_stream_sndbuf_expand(struct sock *sk)
{
	struct teach_stream_sock *ts = teach_stream_sk(sk);
	u32 wnd, want, max;

	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		return;
	wnd = min(ts->cong.cwnd, ts->max_window);
	max = READ_ONCE(teach_pernet(sock_net(sk))->sysctl.stream_wmem_max);
	want = min_t(u64, 2ULL * (wnd / ts->mss + 1) *
		     teach_stream_seg_truesize(ts->mss), max);
	if (want > READ_ONCE(sk->sk_sndbuf)) {
		WRITE_ONCE(sk->sk_sndbuf, want);
		TEACH_INC_STATS(teach_pernet(sock_net(sk)),
				TEACH_MIB_STREAM_SNDBUF_GROWN);
	}
}
