/* SPDX-License-Identifier: GPL-2.0 */
/*
 * teach: the pure arithmetic of the stream transport, free of sockets so
 * that KUnit can test it (kmod/tests/stream_kunit.c).
 *
 * Sequence numbers are 32-bit and wrap: a is before b when the signed
 * 32-bit difference a - b is negative, as RFC 9293 section 3.4 (and
 * before() in include/net/tcp.h) has it.  That is only meaningful for
 * numbers less than 2^31 apart, which the window guarantees.
 */
#ifndef _TEACH_STREAM_SEQ_H
#define _TEACH_STREAM_SEQ_H

#include <linux/types.h>
#include <linux/minmax.h>
#include <linux/siphash.h>

static inline bool teach_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

#define teach_seq_after(a, b)	teach_seq_before(b, a)

/* a <= b, a >= b */
static inline bool teach_seq_leq(u32 a, u32 b)
{
	return (s32)(a - b) <= 0;
}

#define teach_seq_geq(a, b)	teach_seq_leq(b, a)

/* lo <= x < hi, modulo 2^32 */
static inline bool teach_seq_in(u32 x, u32 lo, u32 hi)
{
	return x - lo < hi - lo;
}

/*
 * RFC 9293 3.10.7.4, first check: is a segment of seg_len sequence
 * numbers starting at seq acceptable to a receiver expecting rcv_nxt with
 * rcv_wnd of window?  The four cases of the table.
 */
static inline bool teach_seq_acceptable(u32 seq, u32 seg_len, u32 rcv_nxt,
					u32 rcv_wnd)
{
	if (!seg_len)
		return rcv_wnd ? teach_seq_in(seq, rcv_nxt, rcv_nxt + rcv_wnd) :
				 seq == rcv_nxt;
	if (!rcv_wnd)
		return false;
	return teach_seq_in(seq, rcv_nxt, rcv_nxt + rcv_wnd) ||
	       teach_seq_in(seq + seg_len - 1, rcv_nxt, rcv_nxt + rcv_wnd);
}

/*
 * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, key),
 * with M a clock ticking every 64 ns (so it wraps in about 4.6 minutes,
 * as secure_tcp_seq() does) and F a keyed hash.
 */
static inline u32 teach_stream_isn(const siphash_key_t *key, __be32 laddr,
				   __be16 lport, __be32 raddr, __be16 rport,
				   u64 now_ns)
{
	u32 h = siphash_3u32((__force u32)laddr, (__force u32)raddr,
			     (u32)(__force u16)lport << 16 | (__force u16)rport,
			     key);

	return h + (u32)(now_ns >> 6);
}

/*
 * RFC 6298 retransmission timeout, in microseconds.  The first sample R
 * sets SRTT = R, RTTVAR = R/2; later ones RTTVAR = 3/4 RTTVAR + 1/4
 * |SRTT - R|, SRTT = 7/8 SRTT + 1/8 R; RTO = SRTT + max(G, 4 RTTVAR),
 * clamped to [min, max] (rule 2.4 asks for a 1 s minimum; Linux uses
 * 200 ms, and so does the sysctl's default here).
 */
struct teach_rtt {
	u32 srtt_us;		/* 0: no sample yet */
	u32 rttvar_us;
	u32 rto_us;
};

static inline void teach_rtt_init(struct teach_rtt *r, u32 initial_rto_us)
{
	r->srtt_us = 0;
	r->rttvar_us = 0;
	r->rto_us = initial_rto_us;
}

static inline void teach_rtt_sample(struct teach_rtt *r, u32 m_us,
				    u32 granularity_us, u32 min_us, u32 max_us)
{
	u32 delta;

	if (!m_us)
		m_us = 1;
	if (!r->srtt_us) {
		r->srtt_us = m_us;
		r->rttvar_us = m_us / 2;
	} else {
		delta = r->srtt_us > m_us ? r->srtt_us - m_us : m_us - r->srtt_us;
		r->rttvar_us = r->rttvar_us - r->rttvar_us / 4 + delta / 4;
		r->srtt_us = r->srtt_us - r->srtt_us / 8 + m_us / 8;
	}
	r->rto_us = clamp_t(u64, (u64)r->srtt_us +
			    max_t(u32, granularity_us, 4 * r->rttvar_us),
			    min_us, max_us);
}

/* Rule 5.5: each expiry doubles the timeout, up to max. */
static inline u32 teach_rto_backoff(u32 rto_us, unsigned int backoff,
				    u32 max_us)
{
	u64 v = rto_us;

	if (backoff >= 32)
		return max_us;
	v <<= backoff;
	return v > max_us ? max_us : (u32)v;
}

#endif /* _TEACH_STREAM_SEQ_H */
