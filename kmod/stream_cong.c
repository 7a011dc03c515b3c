// SPDX-License-Identifier: GPL-2.0
/*
 * teach: congestion control of the stream transport.
 *
 * Two layers, both free of sockets so that KUnit tests them:
 *
 *   struct teach_cong_ops	the algorithm: the initial window, the slow
 *				start threshold after a loss, how the window
 *				grows on an ACK.  Reno (RFC 5681) is the one
 *				here, CUBIC (RFC 9438) in stream_cubic.c;
 *				teach_cong_find() knows them by name.
 *   teach_cong_*()		loss detection and recovery, the same for every
 *				algorithm: three duplicate ACKs start fast
 *				retransmit, and NewReno (RFC 6582) recovery
 *				runs until everything sent before the loss is
 *				acknowledged; a timeout starts over from one
 *				segment.
 *
 * Windows are in bytes, as the RFCs write them.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "stream.h"

/* RFC 5681 3.1: IW = 2..4 segments by size; RFC 6928's 10 is Linux's. */
u32 teach_cong_initial_window(u32 mss)
{
	if (mss > 2190)
		return 2 * mss;
	if (mss > 1095)
		return 3 * mss;
	return 4 * mss;
}

static void teach_reno_init(struct teach_cong_state *c)
{
	c->cwnd = teach_cong_initial_window(c->mss);
	c->ssthresh = TEACH_CONG_INFINITE;
	c->cwnd_acc = 0;
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS) */
static u32 teach_reno_ssthresh(struct teach_cong_state *c, u32 flight)
{
	return max(flight / 2, 2 * c->mss);
}

/*
 * Slow start: cwnd grows by the bytes an ACK covers, up to ssthresh, and
 * so doubles each round trip, as Linux's tcp_slow_start().  RFC 3465
 * would let one ACK count for at most L = 2 SMSS, against ACK division;
 * but one ACK of a GSO super-packet (gso.c) covers dozens of segments,
 * and the cap would hold slow start back as many times.  Counting bytes
 * rather than ACKs already defeats ACK division.
 */
void teach_cong_slow_start(struct teach_cong_state *c, u32 acked)
{
	u32 room = c->ssthresh > c->cwnd ? c->ssthresh - c->cwnd : 0;

	c->cwnd = min_t(u64, (u64)c->cwnd + min(acked, room),
			TEACH_CONG_WND_MAX);
}

/*
 * Congestion avoidance: cwnd grows by SMSS once per window's worth of
 * acknowledged bytes, one segment per round trip.
 */
static void teach_reno_cong_avoid(struct teach_cong_state *c, u32 acked,
				  u32 now_ms, u32 srtt_us)
{
	if (c->cwnd < c->ssthresh) {
		teach_cong_slow_start(c, acked);
		return;
	}
	c->cwnd_acc += acked;
	if (c->cwnd_acc >= c->cwnd) {
		c->cwnd_acc -= c->cwnd;
		c->cwnd += c->mss;
	}
}

const struct teach_cong_ops teach_reno = {
	.name = "reno",
	.init = teach_reno_init,
	.ssthresh = teach_reno_ssthresh,
	.cong_avoid = teach_reno_cong_avoid,
};

/* The algorithms a socket may choose, the default first */
static const struct teach_cong_ops *const teach_cong_algs[] = {
	&teach_reno,
	&teach_cubic,
};

const struct teach_cong_ops *teach_cong_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(teach_cong_algs); i++)
		if (!strcmp(teach_cong_algs[i]->name, name))
			return teach_cong_algs[i];
	return NULL;
}

void teach_cong_available(char *buf, size_t len)
{
	unsigned int i;
	size_t n = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(teach_cong_algs) && n < len; i++)
		n += scnprintf(buf + n, len - n, "%s%s", i ? " " : "",
			       teach_cong_algs[i]->name);
}

void teach_cong_init(struct teach_cong_state *c,
		     const struct teach_cong_ops *ops, u32 mss)
{
	memset(c, 0, sizeof(*c));
	WRITE_ONCE(c->ops, ops);
	c->mss = mss;
	ops->init(c);
}

/*
 * As tcp_reinit_congestion_control(): a connection that changes its
 * algorithm keeps its windows and its recovery; only what the old
 * algorithm kept for itself is forgotten, so the new one starts as after
 * init (CUBIC: no epoch, no W_max) from the window there is.
 */
void teach_cong_set_ops(struct teach_cong_state *c,
			const struct teach_cong_ops *ops)
{
	if (c->ops == ops)
		return;
	WRITE_ONCE(c->ops, ops);	/* getsockopt reads it unlocked */
	c->cwnd_acc = 0;
	memset(&c->priv, 0, sizeof(c->priv));
}

/* Fast retransmit, then NewReno's fast recovery (RFC 6582 3.2 step 2). */
static enum teach_cong_action
teach_cong_enter_recovery(struct teach_cong_state *c, u32 flight, u32 snd_max)
{
	c->ssthresh = c->ops->ssthresh(c, flight);
	c->cwnd = c->ssthresh + TEACH_DUPACK_THRESH * c->mss;
	c->recover = snd_max - 1;
	c->recover_valid = true;
	c->in_recovery = true;
	return TEACH_CONG_RETRANSMIT;
}

/*
 * A duplicate ACK (RFC 5681's definition, checked by the caller).  The
 * third starts fast retransmit unless a recovery covering this data is
 * already running (RFC 6582 section 4.1's test against recover); later
 * ones each let another segment out ("inflation").
 */
enum teach_cong_action teach_cong_dupack(struct teach_cong_state *c,
					 u32 flight, u32 snd_una, u32 snd_max)
{
	if (c->in_recovery) {
		c->cwnd += c->mss;
		return TEACH_CONG_SEND;
	}
	if (++c->dupacks < TEACH_DUPACK_THRESH)
		return TEACH_CONG_NONE;
	if (c->recover_valid && !teach_seq_after(snd_una, c->recover))
		return TEACH_CONG_NONE;
	return teach_cong_enter_recovery(c, flight, snd_max);
}

/*
 * RFC 6675 5 (C): fewer than DupThresh duplicate ACKs, but SACK already
 * shows DupThresh segments' worth above snd_una, so the first is lost.
 * One ACK of a GSO super-packet covers dozens of segments: this is how
 * such a loss is noticed before the retransmission timer.
 */
enum teach_cong_action teach_cong_sack_loss(struct teach_cong_state *c,
					    u32 flight, u32 snd_una,
					    u32 snd_max)
{
	if (c->in_recovery ||
	    (c->recover_valid && !teach_seq_after(snd_una, c->recover)))
		return TEACH_CONG_NONE;
	return teach_cong_enter_recovery(c, flight, snd_max);
}

/*
 * An ACK that moved snd_una by acked bytes to ack.  In recovery, a full
 * ACK (past recover) ends it with cwnd = min(ssthresh, flight + SMSS); a
 * partial one means the next segment was lost too: retransmit it and
 * deflate by what was acknowledged, adding back one SMSS (RFC 6582 3.2
 * step 3).  Outside recovery the algorithm grows the window.
 */
enum teach_cong_action teach_cong_ack(struct teach_cong_state *c, u32 ack,
				      u32 acked, u32 flight, u32 now_ms,
				      u32 srtt_us)
{
	c->dupacks = 0;
	if (!c->in_recovery) {
		c->ops->cong_avoid(c, acked, now_ms, srtt_us);
		return TEACH_CONG_NONE;
	}
	if (teach_seq_after(ack, c->recover)) {
		c->cwnd = min(c->ssthresh, max(flight, c->mss) + c->mss);
		c->in_recovery = false;
		return TEACH_CONG_NONE;
	}
	c->cwnd = c->cwnd > acked ? c->cwnd - acked : 0;
	if (acked >= c->mss)
		c->cwnd += c->mss;
	c->cwnd = max(c->cwnd, c->mss);
	return TEACH_CONG_RETRANSMIT;
}

/* RFC 5681 (4) and (5): the retransmission timer went off. */
void teach_cong_timeout(struct teach_cong_state *c, u32 flight, u32 snd_max)
{
	c->ssthresh = c->ops->ssthresh(c, flight);
	c->cwnd = c->mss;		/* the loss window */
	c->cwnd_acc = 0;
	c->dupacks = 0;
	c->in_recovery = false;
	c->recover = snd_max - 1;	/* RFC 6582 section 4.1 */
	c->recover_valid = true;
	if (c->ops->timeout)
		c->ops->timeout(c);
}
