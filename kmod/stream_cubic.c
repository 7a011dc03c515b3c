// SPDX-License-Identifier: GPL-2.0
/*
 * teach: CUBIC congestion control (RFC 9438), after net/ipv4/tcp_cubic.c.
 *
 * After a loss the window follows a cubic curve of the time t since the
 * congestion avoidance stage (the "epoch") began, in seconds:
 *
 *	W_cubic(t) = C * (t - K)^3 + W_max,   K = cbrt((W_max - cwnd_epoch) / C)
 *
 * with C = 0.4 segments/s^3: concave up to W_max, the window before the
 * loss, flat around it, then convex as it probes for more.  Because it
 * depends on time, not on ACKs, flows with different RTTs converge to the
 * same window.  Where Reno would be faster (short RTTs, small windows),
 * W_est, an estimate of Reno's window, wins (the "Reno-friendly region").
 * A loss multiplies the window by beta = 0.7.
 *
 * There is no floating point in the kernel, so everything is integers:
 * windows in bytes (the curve's C is per segment, so the MSS scales it),
 * times in milliseconds.  In ms, K = cbrt((W_max - cwnd) / mss * 2.5e9)
 * (1 s^3 = 1e9 ms^3, 1 / C = 2.5) and C * d^3 = d^3 / 2.5e9 segments.
 * Simplified against Linux: no HyStart (slow start is Reno's), no epoch
 * shift after an idle period, no 5% per RTT floor before the first loss,
 * and the window is updated on every ACK rather than once per jiffy.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "stream.h"

#define CUBIC_BETA_NUM		7	/* beta_cubic = 7 / 10 */
#define CUBIC_BETA_DEN		10
/* ms^3 per segment of W_max - cwnd: 1e9 / C, C = 0.4 */
#define CUBIC_MS3_PER_SEG	2500000000ULL
/*
 * Beyond this |t - K| (33 minutes) d^3 no longer fits 64 bits comfortably;
 * the curve is then far above any window anyway.
 */
#define CUBIC_D_MAX_MS		2000000U

/*
 * Floor of the cube root of x, exact, bit by bit (Hacker's Delight's
 * icbrt64): three bits of x give one bit of the root.  Only called once
 * per loss, so the 22 rounds do not matter; the b == bs >> s test stops
 * the shift overflowing.
 */
u32 teach_cubic_root(u64 x)
{
	u64 y = 0, b, bs;
	int s;

	for (s = 63; s >= 0; s -= 3) {
		y <<= 1;
		b = 3 * y * (y + 1) + 1;	/* (y + 1)^3 - y^3 */
		bs = b << s;
		if (x >= bs && b == (bs >> s)) {
			x -= bs;
			y++;
		}
	}
	return (u32)y;
}

/* K in ms for a window wdiff bytes below W_max: cbrt(wdiff / mss / C) s */
u32 teach_cubic_k_ms(u32 wdiff, u32 mss)
{
	/* at most 2^32 * 2.5e9 < 2^64: no overflow */
	return teach_cubic_root(div_u64((u64)wdiff * CUBIC_MS3_PER_SEG, mss));
}

/* W_cubic(t) in bytes, t ms after the epoch began */
u32 teach_cubic_w(const struct teach_cubic_state *s, u32 mss, u32 t_ms)
{
	u32 d = t_ms >= s->k_ms ? t_ms - s->k_ms : s->k_ms - t_ms;
	u64 delta;

	if (d > CUBIC_D_MAX_MS) {
		delta = TEACH_CONG_WND_MAX;
	} else {
		/* C * d^3 in thousandths of a segment, then in bytes */
		delta = div_u64((u64)d * d * d, CUBIC_MS3_PER_SEG / 1000);
		delta = div_u64(delta * mss, 1000);
	}
	if (t_ms < s->k_ms)	/* concave: below the plateau */
		return delta < s->origin ? s->origin - (u32)delta : 0;
	return min_t(u64, (u64)s->origin + delta, TEACH_CONG_WND_MAX);
}

static void teach_cubic_init(struct teach_cong_state *c)
{
	c->cwnd = teach_cong_initial_window(c->mss);
	c->ssthresh = TEACH_CONG_INFINITE;
	c->cwnd_acc = 0;
	memset(&c->priv.cubic, 0, sizeof(c->priv.cubic));
}

/*
 * RFC 9438 4.6 and 4.7: a loss.  ssthresh = FlightSize * beta (RFC 9438
 * allows cwnd, but this stack grows cwnd when the application leaves it
 * unused, so FlightSize, as Reno here, is what was really in use; it is
 * also cwnd_prior, for the same reason).  Fast convergence: a loss below
 * the last W_max means another flow took bandwidth, so aim lower,
 * W_max = cwnd_prior * (1 + beta) / 2, and leave it room.
 */
static u32 teach_cubic_ssthresh(struct teach_cong_state *c, u32 flight)
{
	struct teach_cubic_state *s = &c->priv.cubic;
	u32 prior = max(flight, c->mss);

	s->epoch_valid = false;
	s->prior = prior;
	if (prior < s->w_max)
		s->w_max = (u32)div_u64((u64)prior * (CUBIC_BETA_DEN + CUBIC_BETA_NUM),
					2 * CUBIC_BETA_DEN);
	else
		s->w_max = prior;
	return max((u32)div_u64((u64)prior * CUBIC_BETA_NUM, CUBIC_BETA_DEN),
		   2 * c->mss);
}

/* A new epoch: the first ACK of congestion avoidance after a reduction */
static void teach_cubic_epoch(struct teach_cong_state *c, u32 now_ms)
{
	struct teach_cubic_state *s = &c->priv.cubic;

	s->epoch_valid = true;
	s->epoch_start = now_ms;
	s->w_est = c->cwnd;		/* RFC 9438 4.3: W_est = cwnd_epoch */
	s->est_acc = 0;
	c->cwnd_acc = 0;
	if (s->w_max > c->cwnd) {
		s->k_ms = teach_cubic_k_ms(s->w_max - c->cwnd, c->mss);
		s->origin = s->w_max;
	} else {
		/* above the old maximum (or none, after a timeout): K = 0 */
		s->k_ms = 0;
		s->origin = c->cwnd;
	}
}

/*
 * RFC 9438 4.3: W_est grows by alpha_cubic SMSS per window of ACKs, with
 * alpha_cubic = 3 * (1 - beta) / (1 + beta) = 9 / 17, so that on average
 * it matches Reno's halving and one segment per RTT; once it passes
 * cwnd_prior, alpha_cubic = 1, Reno's own rate.
 */
static void teach_cubic_reno_friendly(struct teach_cong_state *c, u32 acked)
{
	struct teach_cubic_state *s = &c->priv.cubic;
	u64 per;	/* bytes acked per SMSS of W_est */

	per = s->w_est >= s->prior ? c->cwnd : div_u64((u64)c->cwnd * 17, 9);
	s->est_acc += acked;
	while (s->est_acc >= per && s->w_est < TEACH_CONG_WND_MAX) {
		s->est_acc -= per;
		s->w_est = min(s->w_est + c->mss, TEACH_CONG_WND_MAX);
	}
	if (s->w_est >= TEACH_CONG_WND_MAX)
		s->est_acc = 0;
}

static void teach_cubic_cong_avoid(struct teach_cong_state *c, u32 acked,
				   u32 now_ms, u32 srtt_us)
{
	struct teach_cubic_state *s = &c->priv.cubic;
	u32 t, target, need;
	u64 cap;

	/* no ACK covers more than a window: the counters below cannot wrap */
	acked = min(acked, TEACH_CONG_WND_MAX);
	/* below ssthresh: Reno's slow start (RFC 9438 4.10) */
	if (c->cwnd < c->ssthresh) {
		teach_cong_slow_start(c, acked);
		return;
	}
	if (!s->epoch_valid)
		teach_cubic_epoch(c, now_ms);
	t = now_ms - s->epoch_start;

	teach_cubic_reno_friendly(c, acked);
	if (teach_cubic_w(s, c->mss, t) < s->w_est) {
		/* RFC 9438 4.3: the Reno-friendly region: cwnd = W_est */
		c->cwnd = max(c->cwnd, s->w_est);
		return;
	}

	/*
	 * RFC 9438 4.4, 4.5: aim at where the curve will be one RTT from
	 * now, within [cwnd, 1.5 cwnd]; cwnd grows by (target - cwnd) / cwnd
	 * SMSS per SMSS acked, that is one SMSS per need bytes acked.  At
	 * target = 1.5 cwnd, need = 2 SMSS, Linux's limit too.
	 */
	target = teach_cubic_w(s, c->mss, t + srtt_us / USEC_PER_MSEC);
	cap = min_t(u64, (u64)c->cwnd + c->cwnd / 2, TEACH_CONG_WND_MAX);
	target = min_t(u64, target, cap);
	if (target <= c->cwnd)
		return;		/* at or above the curve: wait for it */
	/* a target a few bytes ahead would need more than a window: cap */
	need = min_t(u64, div_u64((u64)c->cwnd * c->mss, target - c->cwnd),
		     TEACH_CONG_WND_MAX);
	need = max(need, 1U);
	c->cwnd_acc += acked;
	while (c->cwnd_acc >= need && c->cwnd < target) {
		c->cwnd_acc -= need;
		c->cwnd = min(c->cwnd + c->mss, TEACH_CONG_WND_MAX);
	}
	if (c->cwnd_acc >= need)
		c->cwnd_acc = 0;	/* reached target: no credit for later */
}

/*
 * RFC 9438 4.8: after a timeout, the next congestion avoidance starts a
 * curve with K = 0 from the window it begins with, as Linux's
 * bictcp_reset() on TCP_CA_Loss forgets W_max (cwnd_prior stays, for
 * alpha_cubic).
 */
static void teach_cubic_timeout(struct teach_cong_state *c)
{
	struct teach_cubic_state *s = &c->priv.cubic;

	s->w_max = 0;
	s->origin = 0;
	s->k_ms = 0;
	s->w_est = 0;
	s->est_acc = 0;
	s->epoch_valid = false;
}

const struct teach_cong_ops teach_cubic = {
	.name = "cubic",
	.init = teach_cubic_init,
	.ssthresh = teach_cubic_ssthresh,
	.cong_avoid = teach_cubic_cong_avoid,
	.timeout = teach_cubic_timeout,
};
