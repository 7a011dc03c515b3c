/* SPDX-License-Identifier: GPL-2.0 */
/*
 * teach: the stream transport's internal declarations (stream*.c).
 *
 * A stream socket is a struct sock with the RFC 9293 transmission control
 * block behind it.  sk_state holds the TCP_* state numbers (they are the
 * enum teach_sock_state numbers too).  Everything in the block changes
 * with the socket locked: lock_sock() in process context, bh_lock_sock()
 * on the receive path and in timers, which put a segment on the backlog
 * (or re-arm themselves) while a process owns the socket.
 */
#ifndef _TEACH_STREAM_H
#define _TEACH_STREAM_H

#include <linux/skbuff.h>
#include <linux/timer.h>
#include <net/sock.h>

#include "teach.h"
#include "stream_seq.h"

/* ---- congestion control (stream_cong.c) ---- */

#define TEACH_CONG_INFINITE	0xffffffffU
#define TEACH_DUPACK_THRESH	3

/* no window grows beyond what RFC 7323 can advertise: 1 GiB */
#define TEACH_CONG_WND_MAX	((u32)BIT(30))

struct teach_cong_ops;

/* CUBIC's part of the state (stream_cubic.c, RFC 9438); bytes and ms */
struct teach_cubic_state {
	u32 w_max;		/* W_max: the window before the last reduction */
	u32 prior;		/* cwnd_prior: ditto, before fast convergence */
	u32 origin;		/* the curve's plateau: W_max, or cwnd with K = 0 */
	u32 k_ms;		/* K: from the epoch's start to the plateau */
	u32 epoch_start;	/* when this congestion avoidance stage began */
	u32 w_est;		/* W_est: what Reno would have by now */
	u32 est_acc;		/* bytes acked towards the next SMSS of W_est */
	bool epoch_valid;	/* false: the next ACK starts an epoch */
};

struct teach_cong_state {
	const struct teach_cong_ops *ops;
	u32 cwnd;		/* bytes */
	u32 ssthresh;		/* bytes */
	u32 mss;
	u32 cwnd_acc;		/* bytes acked towards the next SMSS of growth */
	u32 recover;		/* NewReno: the last byte sent when loss was seen */
	bool recover_valid;
	bool in_recovery;
	bool after_timeout;	/* for TEACH_INFO's ca_state */
	u8 dupacks;
	/* the algorithm's own state, zeroed when the algorithm changes */
	union {
		struct teach_cubic_state cubic;
	} priv;
};

/*
 * An algorithm: what differs between Reno, CUBIC, ...  now_ms is the
 * caller's clock (milliseconds, it may wrap) and srtt_us the smoothed RTT
 * (0 before a sample); they are arguments so that KUnit can pick them.
 */
struct teach_cong_ops {
	const char *name;	/* at most TEACH_CONG_NAME_MAX - 1 characters */
	void (*init)(struct teach_cong_state *c);
	/* a loss: the new ssthresh (the algorithm may remember the window) */
	u32 (*ssthresh)(struct teach_cong_state *c, u32 flight);
	void (*cong_avoid)(struct teach_cong_state *c, u32 acked, u32 now_ms,
			   u32 srtt_us);
	/* optional: the retransmission timer went off (after ssthresh) */
	void (*timeout)(struct teach_cong_state *c);
};

extern const struct teach_cong_ops teach_reno;
extern const struct teach_cong_ops teach_cubic;

/* the algorithms by name: NULL for an unknown one */
const struct teach_cong_ops *teach_cong_find(const char *name);
/* their names, separated by spaces, as net.ipv4.tcp_available_... */
void teach_cong_available(char *buf, size_t len);
/* RFC 5681 3.1's initial window for an MSS */
u32 teach_cong_initial_window(u32 mss);
void teach_cong_slow_start(struct teach_cong_state *c, u32 acked);
/* another algorithm on a live connection: the windows stay */
void teach_cong_set_ops(struct teach_cong_state *c,
			const struct teach_cong_ops *ops);

/* CUBIC's arithmetic (stream_cubic.c), free of state for KUnit */
u32 teach_cubic_root(u64 x);
u32 teach_cubic_k_ms(u32 wdiff, u32 mss);
u32 teach_cubic_w(const struct teach_cubic_state *s, u32 mss, u32 t_ms);

enum teach_cong_action {
	TEACH_CONG_NONE,
	TEACH_CONG_SEND,	/* the window grew: try to send */
	TEACH_CONG_RETRANSMIT,	/* retransmit the first unacknowledged segment */
};

void teach_cong_init(struct teach_cong_state *c,
		     const struct teach_cong_ops *ops, u32 mss);
enum teach_cong_action teach_cong_dupack(struct teach_cong_state *c,
					 u32 flight, u32 snd_una, u32 snd_max);
enum teach_cong_action teach_cong_sack_loss(struct teach_cong_state *c,
					    u32 flight, u32 snd_una,
					    u32 snd_max);
enum teach_cong_action teach_cong_ack(struct teach_cong_state *c, u32 ack,
				      u32 acked, u32 flight, u32 now_ms,
				      u32 srtt_us);
void teach_cong_timeout(struct teach_cong_state *c, u32 flight, u32 snd_max);

/* ---- options (stream_opts.c) ---- */

#define TEACH_STREAM_MAX_OPTLEN	(TEACH_STREAM_MAX_HLEN - TEACH_STREAM_HLEN)
#define TEACH_WSCALE_MAX	14	/* RFC 7323 2.3: windows up to 1 GiB */
#define TEACH_SACK_BLOCK_LEN	8
#define TEACH_SACK_MAX_BLOCKS	4	/* what fits in 40 bytes */
#define TEACH_SACK_SB_MAX	16	/* ranges the sender's scoreboard holds */
/* the timestamps option with its two NOPs: every segment's, once agreed */
#define TEACH_STREAM_TS_SPACE	(2 + TEACH_STREAM_OPT_TIMESTAMP_LEN)

struct teach_sack_block {
	u32 start;		/* first sequence number held */
	u32 end;		/* after the last */
};

/* What an option list says (parsed), or will say (to build). */
struct teach_stream_opts {
	u16 mss;		/* 0: none */
	u8 wscale;		/* if has_wscale */
	u8 nsacks;		/* SACK blocks in sacks[] */
	u8 bad;			/* parse: malformed options met */
	bool has_wscale;
	bool has_ts;
	bool sack_perm;
	u32 tsval, tsecr;	/* if has_ts */
	struct teach_sack_block sacks[TEACH_SACK_MAX_BLOCKS];
};

/* The sender's scoreboard: SACKed ranges, sorted, disjoint */
struct teach_sack_sb {
	u8 n;
	struct teach_sack_block r[TEACH_SACK_SB_MAX];
};

void teach_stream_parse_opts(const u8 *p, unsigned int len, bool syn,
			     struct teach_stream_opts *o);
unsigned int teach_stream_build_opts(u8 *p, const struct teach_stream_opts *o);
unsigned int teach_stream_opts_len(const struct teach_stream_opts *o);
u8 teach_wscale_for(u32 space);
u32 teach_wscale_window(u32 space, u32 cur, u8 shift, u16 *field);
void teach_sack_rcv_add(struct teach_sack_block *b, u8 *n, u8 max, u32 seq,
			u32 end);
void teach_sack_rcv_advance(struct teach_sack_block *b, u8 *n, u32 rcv_nxt);
void teach_sb_add(struct teach_sack_sb *sb, u32 start, u32 end);
void teach_sb_advance(struct teach_sack_sb *sb, u32 una);
bool teach_sb_covers(const struct teach_sack_sb *sb, u32 start, u32 end);
u32 teach_sb_sacked_above(const struct teach_sack_sb *sb, u32 seq);
bool teach_sb_is_lost(const struct teach_sack_sb *sb, u32 seq, u32 mss);
u32 teach_sb_high(const struct teach_sack_sb *sb);

/* ---- out-of-order queue (stream_ofo.c) ---- */

/* What a segment is, kept in skb->cb while it waits in a queue. */
struct teach_stream_cb {
	u32 seq;		/* first sequence number */
	u32 end_seq;		/* seq + payload + SYN + FIN */
	u32 ack_seq;
	u32 when_us;		/* sent at (write queue), for RTT samples */
	u16 window;
	u16 mss;		/* MSS option of a SYN, 0 if none */
	u8 flags;		/* TEACH_STREAM_F_* */
	u8 sent;		/* write queue: transmissions so far */
	u8 opts;		/* received: TEACH_CB_OPT_* */
	u8 wscale;		/* received: a SYN's window scale */
	u8 rtx;			/* write queue: TEACH_CB_RTX_* */
	u32 tsval, tsecr;	/* received: if TEACH_CB_OPT_TS */
};

#define TEACH_CB_OPT_WSCALE	0x01
#define TEACH_CB_OPT_TS		0x02
#define TEACH_CB_OPT_SACK_PERM	0x04
#define TEACH_CB_OPT_SACK	0x08	/* blocks: parse the header again */

#define TEACH_CB_RTX_RECOVERY	0x01	/* retransmitted in this recovery */

#define TEACH_STREAM_CB(skb) ((struct teach_stream_cb *)(skb)->cb)

enum {
	TEACH_OFO_QUEUED,
	TEACH_OFO_DUP,		/* all of it is held already: not kept */
};

/* Keep skb in root (by seq); segments it covers are freed.  *freed says how many. */
int teach_ofo_insert(struct rb_root *root, struct sk_buff *skb,
		     unsigned int *freed);
/*
 * The next segment that starts at or before rcv_nxt, taken out of root,
 * with the bytes before rcv_nxt pulled off it; segments wholly before
 * rcv_nxt are freed on the way.  NULL when the next one starts later.
 */
struct sk_buff *teach_ofo_pop(struct rb_root *root, u32 rcv_nxt);
void teach_ofo_purge(struct rb_root *root);

/* ---- the socket ---- */

enum {
	TEACH_RTX_NONE,
	TEACH_RTX_RETRANS,	/* retransmission timer (SYN, SYN-ACK, data, FIN) */
	TEACH_RTX_PERSIST,	/* zero window: probe it */
};

struct teach_stream_sock {
	struct sock sk;			/* first: sk_alloc() gives us this */
	struct teach_pcb pcb;
	struct teach_sockopts opts;
	struct teach_rt_cache rtc;

	/* send sequence space (RFC 9293 3.3.1) */
	u32 iss;
	u32 snd_una;			/* oldest unacknowledged */
	u32 snd_nxt;			/* next to send (goes back on a timeout) */
	u32 snd_max;			/* highest sent + 1 */
	u32 write_seq;			/* after the last byte queued */
	u32 snd_wnd;			/* the peer's window */
	u32 snd_wl1, snd_wl2;		/* segment seq and ack of the last update */
	u32 max_window;			/* largest window the peer offered */
	u16 mss_peer;			/* the peer's MSS option (536 without) */
	u16 mss;			/* segment size now (options taken off) */

	/* receive sequence space */
	u32 irs;
	u32 rcv_nxt;
	u32 rcv_wup;			/* rcv_nxt when the window was last sent */
	u32 rcv_wnd;			/* the window sent then */
	u32 copied_seq;			/* next byte for the reader */
	u16 rcv_mss;			/* our MSS option */
	bool fin_rcvd;			/* rcv_nxt counts the peer's FIN */
	bool fin_queued;		/* our FIN is in the write queue */

	struct rb_root ofo;		/* out-of-order segments by seq */

	/* options (RFC 7323, RFC 2018), fixed by the handshake */
	u8 snd_wscale;			/* the peer's windows are << this */
	u8 rcv_wscale;			/* ours are >> this */
	bool wscale_ok;
	bool tstamp_ok;
	bool sack_ok;
	bool opts_agreed;		/* a SYN came: the above are final */
	u32 ts_offset;			/* added to our clock: TSval */
	u32 ts_recent;			/* the peer's TSval to echo */
	bool ts_recent_valid;
	u8 num_rsacks;			/* receiver: blocks in rsacks[] */
	struct teach_sack_block rsacks[TEACH_SACK_MAX_BLOCKS];
	struct teach_sack_sb sb;	/* sender: what the peer SACKed */

	/* timers; each pending one holds a socket reference */
	struct timer_list rtx_timer;
	struct timer_list delack_timer;
	struct timer_list ka_timer;	/* keepalive, with SO_KEEPALIVE */
	/* sk->sk_timer: TIME_WAIT's 2 MSL and an orphan's FIN_WAIT2 limit */
	u8 rtx_mode;			/* TEACH_RTX_* */
	u8 backoff;			/* timeouts in a row */
	u8 probes;			/* persist probes without an answer */
	u8 ack_pending;			/* an ACK is owed */
	u32 rcv_since_ack;		/* payload bytes since the last ACK sent */
	u32 rtx_start;			/* jiffies of the first retransmission */
	unsigned long rcv_tstamp;	/* jiffies: the last segment from the peer */
	/* keepalive: 0 takes the namespace's sysctl */
	u16 ka_time;			/* TEACH_KEEPIDLE, seconds */
	u16 ka_intvl;			/* TEACH_KEEPINTVL, seconds */
	u8 ka_probes;			/* TEACH_KEEPCNT */
	u8 ka_probes_out;		/* probes sent without an answer */
	struct teach_rtt rtt;
	struct teach_cong_state cong;
	/* receive buffer auto-tuning (stream_buf.c) */
	u32 rcvq_space;			/* most the reader took in a round trip */
	u32 rcvq_copied;		/* taken in this round trip so far */
	u32 rcvq_time_us;		/* when this round trip's count began */

	bool nodelay;
	bool cork;
	bool gso_ok;			/* the last route took offloads (gso.c) */
	bool in_tw_count;		/* counted in stream_tw_count */
	bool destroyed;

	/* listening: the SYN queue and the accept queue, under qlock */
	spinlock_t qlock;
	struct list_head syn_q;
	struct list_head acc_q;
	unsigned int syn_qlen;
	unsigned int acc_qlen;
	/* a child: where it waits, NULL once accepted (under parent's qlock) */
	struct sock *parent;
	struct list_head q_node;
	bool in_acc;			/* in the accept queue, not the SYN queue */

	/* TEACH_INFO */
	u32 total_retrans;
	u64 bytes_sent, bytes_retrans, bytes_acked, bytes_received;
	u64 segs_out, segs_in, data_segs_out, data_segs_in;
	u64 dup_acks_in, fast_retrans, timeouts, delayed_acks, zwnd_probes;
	u64 sack_retrans, paws_drops;
};

static inline struct teach_stream_sock *teach_stream_sk(const struct sock *sk)
{
	return container_of(sk, struct teach_stream_sock, sk);
}

static inline struct teach_pcb_table *teach_stream_table(const struct sock *sk)
{
	return &teach_pernet(sock_net(sk))->stream_pcbs;
}

static inline u32 teach_stream_now_us(void)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/* the timestamp clock: milliseconds (RFC 7323 5.4 asks 1 ms to 1 s) */
static inline u32 teach_stream_now_ms(void)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_MSEC);
}

static inline u32 teach_stream_tsval(const struct teach_stream_sock *ts)
{
	return teach_stream_now_ms() + ts->ts_offset;
}

/* bytes in flight, RFC 5681's FlightSize */
static inline u32 teach_stream_flight(const struct teach_stream_sock *ts)
{
	return ts->snd_nxt - ts->snd_una;
}

/* The stream checksum: 0 over a correct segment when sum covers it all */
/*
 * A super-packet (gso.c): at most this many segments, and a total that
 * the network header's 16-bit length can still say.
 */
#define TEACH_GSO_MAX_SEGS	64
#define TEACH_GSO_MAX_PAYLOAD	(65535 - TEACH_MAX_HLEN - TEACH_STREAM_MAX_HLEN)
/* room past the buffers for one super-packet in the backlog, as TCP's */
#define TEACH_BACKLOG_SLACK	(64 * 1024)
/* wait for an ACK rather than send less than this share of the window */
#define TEACH_GSO_DEFER_DIVISOR	3

static inline __sum16 teach_stream_csum(__be32 saddr, __be32 daddr, u32 len,
					__wsum sum)
{
	return csum_tcpudp_magic(saddr, daddr, len, TEACHPROTO_STREAM, sum);
}

/* stream_buf.c: buffer auto-tuning */
#define TEACH_RCVQ_MIN_RTT_US	1000
u32 teach_stream_wscale_space(const struct sock *sk);
void teach_stream_rcvbuf_adjust(struct sock *sk, u32 copied);
void teach_stream_sndbuf_expand(struct sock *sk);

/* stream.c */
extern struct proto teach_stream_proto;
void teach_stream_set_state(struct sock *sk, int state);
void teach_stream_write_space(struct sock *sk);
/* to CLOSE: unhash, stop timers; an orphan is freed */
void teach_stream_done(struct sock *sk);
/* enter TIME_WAIT (or close at once when too many are waiting) */
void teach_stream_time_wait(struct sock *sk);
/* an established child: from the SYN queue to the accept queue */
bool teach_stream_child_ready(struct sock *sk);
/* a socket that gets a SYN on a listener */
struct sock *teach_stream_child(struct sock *lsk, struct sk_buff *skb);
u16 teach_stream_mss_for(struct sock *sk);
/* before a SYN: what the sysctls let this end offer */
void teach_stream_offer_opts(struct sock *sk);
/* a SYN came: what both offered is agreed; the MSS makes room for it */
void teach_stream_agree_opts(struct sock *sk, const struct teach_stream_cb *cb);

/* stream_input.c */
int teach_stream_backlog_rcv(struct sock *sk, struct sk_buff *skb);
/* after the reader made room: send a window update if it is worth one */
void teach_stream_rcv_space(struct sock *sk);

/* stream_output.c */
void teach_stream_push(struct sock *sk, bool force);
int teach_stream_send_ack(struct sock *sk);
void teach_stream_send_rst(struct sock *sk);
/* a reset answering skb, which found no socket (RCU) */
void teach_stream_reset_reply(struct net *net, struct sk_buff *skb);
int teach_stream_xmit_skb(struct sock *sk, struct sk_buff *skb, bool retrans);
int teach_stream_retransmit_head(struct sock *sk);
void teach_stream_send_probe(struct sock *sk);
int teach_stream_send_keepalive(struct sock *sk);
int teach_stream_queue_ctl(struct sock *sk, u8 flags);
u16 teach_stream_select_window(struct sock *sk, bool syn);
/* RFC 6675 NextSeg() while recovering: holes out as the pipe allows */
void teach_stream_sack_recover(struct sock *sk);
void teach_stream_sack_new_recovery(struct sock *sk);
void teach_stream_sack_check_reneging(struct sock *sk);
void teach_stream_free_write_queue(struct sock *sk);

/* stream_timer.c */
void teach_stream_timers_init(struct sock *sk);
void teach_stream_timers_stop(struct sock *sk);
void teach_stream_arm_rtx(struct sock *sk);
void teach_stream_arm_persist(struct sock *sk);
void teach_stream_arm_delack(struct sock *sk);
void teach_stream_arm_sk_timer(struct sock *sk, unsigned long delay);
void teach_stream_arm_fin_timeout(struct sock *sk);
u32 teach_stream_rto(const struct teach_stream_sock *ts);
/* keepalive: the times in jiffies, the socket's or the sysctls' */
unsigned long teach_stream_ka_time(const struct teach_stream_sock *ts);
unsigned long teach_stream_ka_intvl(const struct teach_stream_sock *ts);
int teach_stream_ka_probes(const struct teach_stream_sock *ts);
/* (re)start the keepalive timer from the last segment received, or stop it */
void teach_stream_ka_reset(struct sock *sk);
/* sk_prot->keepalive: SO_KEEPALIVE turned on or off (socket locked) */
void teach_stream_set_keepalive(struct sock *sk, int val);

#endif /* _TEACH_STREAM_H */
