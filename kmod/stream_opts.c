// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the stream header's options, and the arithmetic behind them.
 *
 *   teach_stream_parse_opts()	the option list of a received segment,
 *				checked option by option: the header is the
 *				peer's (or an attacker's) to write
 *   teach_stream_build_opts()	the option list of a segment to send
 *   teach_wscale_*()		RFC 7323 section 2: the shift and the
 *				window field it turns a window into
 *   teach_sack_rcv_*()		RFC 2018 section 4: the receiver's list of
 *				blocks, the most recent first
 *   teach_sb_*()		the sender's scoreboard of SACKed ranges,
 *				and RFC 6675's IsLost()
 *
 * Nothing here knows about sockets, so that KUnit tests it all
 * (kmod/tests/stream_kunit.c).  Documentation/stream.rst has the bytes.
 */
#include <asm/unaligned.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "stream.h"

/*
 * Every option is (kind, length, value) but EOL and NOP.  A length that
 * runs past the list, or is below 2, ends the walk (nothing after it can
 * be trusted); a known kind with the wrong length, or one that belongs
 * on a SYN only, is skipped.  Each of those counts one in o->bad.
 */
void teach_stream_parse_opts(const u8 *p, unsigned int len, bool syn,
			     struct teach_stream_opts *o)
{
	unsigned int i;

	memset(o, 0, sizeof(*o));
	while (len) {
		u8 kind = p[0], olen;

		if (kind == TEACH_STREAM_OPT_EOL)
			break;
		if (kind == TEACH_STREAM_OPT_NOP) {
			p++;
			len--;
			continue;
		}
		if (len < 2) {
			o->bad++;
			break;
		}
		olen = p[1];
		if (olen < 2 || olen > len) {
			o->bad++;
			break;
		}
		switch (kind) {
		case TEACH_STREAM_OPT_MSS:
			if (olen != TEACH_STREAM_OPT_MSS_LEN || !syn)
				goto bad;
			o->mss = get_unaligned_be16(p + 2);
			break;
		case TEACH_STREAM_OPT_WSCALE:
			if (olen != TEACH_STREAM_OPT_WSCALE_LEN || !syn)
				goto bad;
			o->has_wscale = true;
			/* RFC 7323 2.3: larger than 14 is taken as 14 */
			o->wscale = min_t(u8, p[2], TEACH_WSCALE_MAX);
			break;
		case TEACH_STREAM_OPT_SACK_PERM:
			if (olen != TEACH_STREAM_OPT_SACK_PERM_LEN || !syn)
				goto bad;
			o->sack_perm = true;
			break;
		case TEACH_STREAM_OPT_SACK:
			if (olen < 2 + TEACH_SACK_BLOCK_LEN ||
			    (olen - 2) % TEACH_SACK_BLOCK_LEN ||
			    (olen - 2) / TEACH_SACK_BLOCK_LEN > TEACH_SACK_MAX_BLOCKS ||
			    syn)
				goto bad;
			o->nsacks = (olen - 2) / TEACH_SACK_BLOCK_LEN;
			for (i = 0; i < o->nsacks; i++) {
				o->sacks[i].start =
					get_unaligned_be32(p + 2 + 8 * i);
				o->sacks[i].end =
					get_unaligned_be32(p + 6 + 8 * i);
			}
			break;
		case TEACH_STREAM_OPT_TIMESTAMP:
			if (olen != TEACH_STREAM_OPT_TIMESTAMP_LEN)
				goto bad;
			o->has_ts = true;
			o->tsval = get_unaligned_be32(p + 2);
			o->tsecr = get_unaligned_be32(p + 6);
			break;
		default:
			break;		/* unknown: skipped, as RFC 9293 3.1 says */
		}
		goto next;
bad:
		o->bad++;
next:
		p += olen;
		len -= olen;
	}
}

/*
 * Linux's layouts, each option on a 32-bit boundary (bytes in hex; MSS,
 * TSval, TSecr, the shift and the block edges are big-endian values):
 *   MSS                         02 04 <MSS:2>
 *   SACK-permitted + timestamps 04 02 08 0a <TSval:4> <TSecr:4>
 *   timestamps alone            01 01 08 0a <TSval:4> <TSecr:4>
 *   SACK-permitted alone        01 01 04 02
 *   window scale                01 03 03 <shift:1>
 *   SACK, n blocks              01 01 05 <2+8n:1> (<left:4> <right:4>) x n
 * Returns the bytes written, a multiple of 4, at most 40.
 */
unsigned int teach_stream_build_opts(u8 *p, const struct teach_stream_opts *o)
{
	unsigned int n = 0, i, nsacks = o->nsacks;

	if (o->mss) {
		p[n++] = TEACH_STREAM_OPT_MSS;
		p[n++] = TEACH_STREAM_OPT_MSS_LEN;
		put_unaligned_be16(o->mss, p + n);
		n += 2;
	}
	if (o->has_ts) {
		if (o->sack_perm) {
			p[n++] = TEACH_STREAM_OPT_SACK_PERM;
			p[n++] = TEACH_STREAM_OPT_SACK_PERM_LEN;
		} else {
			p[n++] = TEACH_STREAM_OPT_NOP;
			p[n++] = TEACH_STREAM_OPT_NOP;
		}
		p[n++] = TEACH_STREAM_OPT_TIMESTAMP;
		p[n++] = TEACH_STREAM_OPT_TIMESTAMP_LEN;
		put_unaligned_be32(o->tsval, p + n);
		put_unaligned_be32(o->tsecr, p + n + 4);
		n += 8;
	} else if (o->sack_perm) {
		p[n++] = TEACH_STREAM_OPT_NOP;
		p[n++] = TEACH_STREAM_OPT_NOP;
		p[n++] = TEACH_STREAM_OPT_SACK_PERM;
		p[n++] = TEACH_STREAM_OPT_SACK_PERM_LEN;
	}
	if (o->has_wscale) {
		p[n++] = TEACH_STREAM_OPT_NOP;
		p[n++] = TEACH_STREAM_OPT_WSCALE;
		p[n++] = TEACH_STREAM_OPT_WSCALE_LEN;
		p[n++] = o->wscale;
	}
	/* what is left of the 40 bytes bounds the blocks */
	nsacks = min_t(unsigned int, nsacks,
		       (TEACH_STREAM_MAX_OPTLEN - n - 4) / TEACH_SACK_BLOCK_LEN);
	if (nsacks) {
		p[n++] = TEACH_STREAM_OPT_NOP;
		p[n++] = TEACH_STREAM_OPT_NOP;
		p[n++] = TEACH_STREAM_OPT_SACK;
		p[n++] = 2 + nsacks * TEACH_SACK_BLOCK_LEN;
		for (i = 0; i < nsacks; i++) {
			put_unaligned_be32(o->sacks[i].start, p + n);
			put_unaligned_be32(o->sacks[i].end, p + n + 4);
			n += 8;
		}
	}
	return n;
}

/* The length teach_stream_build_opts() will write for o. */
unsigned int teach_stream_opts_len(const struct teach_stream_opts *o)
{
	unsigned int n = 0, nsacks;

	if (o->mss)
		n += TEACH_STREAM_OPT_MSS_LEN;
	if (o->has_ts)
		n += 2 + TEACH_STREAM_OPT_TIMESTAMP_LEN;
	else if (o->sack_perm)
		n += 4;
	if (o->has_wscale)
		n += 4;
	nsacks = min_t(unsigned int, o->nsacks,
		       (TEACH_STREAM_MAX_OPTLEN - n - 4) / TEACH_SACK_BLOCK_LEN);
	if (nsacks)
		n += 4 + nsacks * TEACH_SACK_BLOCK_LEN;
	return n;
}

/*
 * RFC 7323 2.3: the smallest shift that lets a window of space bytes
 * fit the 16-bit field, at most 14 (a 1 GiB window).
 */
u8 teach_wscale_for(u32 space)
{
	u8 shift = 0;

	while (shift < TEACH_WSCALE_MAX && (space >> shift) > 65535)
		shift++;
	return shift;
}

/*
 * The window to advertise, in bytes, and *field, what the header says
 * (the window >> shift).  space is what the buffer has room for, cur
 * what is left of the window promised before (its right edge must not
 * move back, RFC 9293 3.8.6.2.2 and RFC 7323 2.4).  The field loses the
 * low bits of the window: space is rounded down to a multiple of
 * 1 << shift, a promise still open is rounded up, as __tcp_select_window
 * does.
 */
u32 teach_wscale_window(u32 space, u32 cur, u8 shift, u16 *field)
{
	u32 unit = 1U << shift, max = 65535U << shift, win;

	win = min(space, max) & ~(unit - 1);
	if (win < cur)
		win = min(ALIGN(cur, unit), max);
	*field = win >> shift;
	return win;
}

/*
 * RFC 2018 section 4, the receiver: [seq, end) just went into the
 * out-of-order queue (or was held there already).  The block holding it
 * goes first, merged with every block it touches; the others follow in
 * the order they were reported; past max, the oldest is forgotten.
 */
void teach_sack_rcv_add(struct teach_sack_block *b, u8 *n, u8 max, u32 seq,
			u32 end)
{
	struct teach_sack_block cur = { .start = seq, .end = end };
	unsigned int i, j = 0;

	for (i = 0; i < *n; i++) {
		/* touching or overlapping: one block */
		if (!teach_seq_after(b[i].start, cur.end) &&
		    !teach_seq_before(b[i].end, cur.start)) {
			if (teach_seq_before(b[i].start, cur.start))
				cur.start = b[i].start;
			if (teach_seq_after(b[i].end, cur.end))
				cur.end = b[i].end;
			continue;
		}
		b[j++] = b[i];
	}
	/* the others move down one, the new one goes first */
	if (j >= max)
		j = max - 1;
	memmove(b + 1, b, j * sizeof(*b));
	b[0] = cur;
	*n = j + 1;
}

/* rcv_nxt moved: what it passed is acknowledged, not selectively. */
void teach_sack_rcv_advance(struct teach_sack_block *b, u8 *n, u32 rcv_nxt)
{
	unsigned int i, j = 0;

	for (i = 0; i < *n; i++) {
		if (!teach_seq_after(b[i].end, rcv_nxt))
			continue;
		if (teach_seq_before(b[i].start, rcv_nxt))
			b[i].start = rcv_nxt;
		b[j++] = b[i];
	}
	*n = j;
}

/*
 * The sender's scoreboard: disjoint ranges, sorted by sequence number
 * (modulo 2^32: all of them lie in snd_una..snd_max, less than 2^31
 * wide), none touching another.
 */
void teach_sb_add(struct teach_sack_sb *sb, u32 start, u32 end)
{
	struct teach_sack_block *r = sb->r;
	unsigned int i, j, k;

	if (!teach_seq_before(start, end))
		return;
	/* the first range that ends at or after start */
	for (i = 0; i < sb->n && teach_seq_before(r[i].end, start); i++)
		;
	/* ... and those from it on that start at or before end merge */
	for (j = i; j < sb->n && !teach_seq_after(r[j].start, end); j++) {
		if (teach_seq_before(r[j].start, start))
			start = r[j].start;
		if (teach_seq_after(r[j].end, end))
			end = r[j].end;
	}
	if (i == j) {
		/* a range of its own at i; full, the highest goes */
		if (sb->n == TEACH_SACK_SB_MAX) {
			if (i == sb->n)
				return;
			sb->n--;
		}
		memmove(r + i + 1, r + i, (sb->n - i) * sizeof(*r));
		sb->n++;
	} else if (j > i + 1) {
		k = j - i - 1;		/* ranges swallowed by the one at i */
		memmove(r + i + 1, r + j, (sb->n - j) * sizeof(*r));
		sb->n -= k;
	}
	r[i].start = start;
	r[i].end = end;
}

/* snd_una moved to una: what it passed leaves the scoreboard. */
void teach_sb_advance(struct teach_sack_sb *sb, u32 una)
{
	unsigned int i = 0;

	while (i < sb->n && !teach_seq_after(sb->r[i].end, una))
		i++;
	if (i) {
		memmove(sb->r, sb->r + i, (sb->n - i) * sizeof(sb->r[0]));
		sb->n -= i;
	}
	if (sb->n && teach_seq_before(sb->r[0].start, una))
		sb->r[0].start = una;
}

/* Is all of [start, end) SACKed? */
bool teach_sb_covers(const struct teach_sack_sb *sb, u32 start, u32 end)
{
	unsigned int i;

	for (i = 0; i < sb->n; i++)
		if (!teach_seq_after(sb->r[i].start, start))
			if (!teach_seq_before(sb->r[i].end, end))
				return true;
	return false;
}

/* Bytes SACKed after seq */
u32 teach_sb_sacked_above(const struct teach_sack_sb *sb, u32 seq)
{
	u32 bytes = 0;
	unsigned int i;

	for (i = 0; i < sb->n; i++) {
		if (!teach_seq_after(sb->r[i].end, seq))
			continue;
		if (teach_seq_before(sb->r[i].start, seq))
			bytes += sb->r[i].end - seq;
		else
			bytes += sb->r[i].end - sb->r[i].start;
	}
	return bytes;
}

/*
 * RFC 6675's IsLost(seq): DupThresh discontiguous ranges SACKed above it,
 * or more than (DupThresh - 1) * SMSS bytes.
 */
bool teach_sb_is_lost(const struct teach_sack_sb *sb, u32 seq, u32 mss)
{
	unsigned int i, ranges = 0;

	for (i = 0; i < sb->n; i++)
		if (teach_seq_after(sb->r[i].start, seq))
			ranges++;
	return ranges >= TEACH_DUPACK_THRESH ||
	       teach_sb_sacked_above(sb, seq) >
	       (TEACH_DUPACK_THRESH - 1) * mss;
}

/* RFC 6675's HighSACK + 1: the end of the highest range (valid if n) */
u32 teach_sb_high(const struct teach_sack_sb *sb)
{
	return sb->n ? sb->r[sb->n - 1].end : 0;
}
