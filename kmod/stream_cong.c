// SPDX-License-Identifier: GPL-2.0
/*
 * teach: congestion control of the stream transport.
 *
 * Two layers, both free of sockets so that KUnit tests them:
 *
 *   struct teach_cong_ops	the algorithm: the initial window, the slow
 *				start threshold after a loss, how the window
 *				grows on an ACK.  Reno (RFC 5681) is the one
 *				built in; another (CUBIC, say) is one more ops.
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
static void teach_reno_init(struct teach_cong_state *c)
{
	if (c->mss > 2190)
		c->cwnd = 2 * c->mss;
	else if (c->mss > 1095)
		c->cwnd = 3 * c->mss;
	else
		c->cwnd = 4 * c->mss;
	c->ssthresh = TEACH_CONG_INFINITE;
	c->cwnd_acc = 0;
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS) */
static u32 teach_reno_ssthresh(const struct teach_cong_state *c, u32 flight)
{
	return max(flight / 2, 2 * c->mss);
}

/*
 * Slow start: cwnd grows by min(acked, SMSS) per ACK (RFC 3465's L = 1),
 * doubling each round trip; congestion avoidance: by SMSS once per
 * window's worth of acknowledged bytes, one segment per round trip.
 */
static void teach_reno_cong_avoid(struct teach_cong_state *c, u32 acked)
{
	if (c->cwnd < c->ssthresh) {
		c->cwnd += min(acked, c->mss);
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

void teach_cong_init(struct teach_cong_state *c,
		     const struct teach_cong_ops *ops, u32 mss)
{
	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->mss = mss;
	ops->init(c);
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
	c->ssthresh = c->ops->ssthresh(c, flight);
	c->cwnd = c->ssthresh + TEACH_DUPACK_THRESH * c->mss;
	c->recover = snd_max - 1;
	c->recover_valid = true;
	c->in_recovery = true;
	return TEACH_CONG_RETRANSMIT;
}

/*
 * An ACK that moved snd_una by acked bytes to ack.  In recovery, a full
 * ACK (past recover) ends it with cwnd = min(ssthresh, flight + SMSS); a
 * partial one means the next segment was lost too: retransmit it and
 * deflate by what was acknowledged, adding back one SMSS (RFC 6582 3.2
 * step 3).  Outside recovery the algorithm grows the window.
 */
enum teach_cong_action teach_cong_ack(struct teach_cong_state *c, u32 ack,
				      u32 acked, u32 flight)
{
	c->dupacks = 0;
	if (!c->in_recovery) {
		c->ops->cong_avoid(c, acked);
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
}
