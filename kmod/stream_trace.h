/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the stream transport, in the style of the kernel's
 * include/trace/events/tcp.h: what a connection decided and why, for
 * perf, bpftrace and /sys/kernel/tracing/events/teach/.  Each event
 * names the connection by its four-tuple; Documentation/stream.rst has
 * the fields.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM teach

#if !defined(_TEACH_STREAM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TEACH_STREAM_TRACE_H

#include <linux/tracepoint.h>
#include <net/tcp_states.h>
#include "stream.h"

/* so that perf and trace-cmd can read the state names, as sock.h does */
TRACE_DEFINE_ENUM(TCP_ESTABLISHED);
TRACE_DEFINE_ENUM(TCP_SYN_SENT);
TRACE_DEFINE_ENUM(TCP_SYN_RECV);
TRACE_DEFINE_ENUM(TCP_FIN_WAIT1);
TRACE_DEFINE_ENUM(TCP_FIN_WAIT2);
TRACE_DEFINE_ENUM(TCP_TIME_WAIT);
TRACE_DEFINE_ENUM(TCP_CLOSE);
TRACE_DEFINE_ENUM(TCP_CLOSE_WAIT);
TRACE_DEFINE_ENUM(TCP_LAST_ACK);
TRACE_DEFINE_ENUM(TCP_LISTEN);
TRACE_DEFINE_ENUM(TCP_CLOSING);

#define teach_show_state(s)						\
	__print_symbolic(s,						\
			 { TCP_ESTABLISHED, "ESTABLISHED" },		\
			 { TCP_SYN_SENT, "SYN_SENT" },			\
			 { TCP_SYN_RECV, "SYN_RECV" },			\
			 { TCP_FIN_WAIT1, "FIN_WAIT1" },		\
			 { TCP_FIN_WAIT2, "FIN_WAIT2" },		\
			 { TCP_TIME_WAIT, "TIME_WAIT" },		\
			 { TCP_CLOSE, "CLOSE" },			\
			 { TCP_CLOSE_WAIT, "CLOSE_WAIT" },		\
			 { TCP_LAST_ACK, "LAST_ACK" },			\
			 { TCP_LISTEN, "LISTEN" },			\
			 { TCP_CLOSING, "CLOSING" })

#ifndef _TEACH_STREAM_TRACE_TUPLE
#define _TEACH_STREAM_TRACE_TUPLE
/* The four-tuple every event starts with, as tcp.h's events keep it */
static inline void teach_trace_tuple(const struct sock *sk, u8 *saddr,
				     u8 *daddr, u16 *sport, u16 *dport)
{
	const struct teach_pcb *pcb = &teach_stream_sk(sk)->pcb;
	__be32 a;

	a = READ_ONCE(pcb->laddr);
	memcpy(saddr, &a, sizeof(a));
	a = READ_ONCE(pcb->raddr);
	memcpy(daddr, &a, sizeof(a));
	*sport = READ_ONCE(pcb->lport);
	*dport = READ_ONCE(pcb->rport);
}
#endif

/* RFC 9293's state machine: every transition, as inet_sock_set_state */
TRACE_EVENT(teach_stream_state,
	    TP_PROTO(const struct sock *sk, int oldstate, int newstate),
	    TP_ARGS(sk, oldstate, newstate),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, oldstate)
			     __field(int, newstate)),
	    TP_fast_assign(__entry->skaddr = sk;
			   teach_trace_tuple(sk, __entry->saddr,
					     __entry->daddr, &__entry->sport,
					     &__entry->dport);
			   __entry->oldstate = oldstate;
			   __entry->newstate = newstate;),
	    TP_printk("%pI4:%u -> %pI4:%u %s -> %s",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, teach_show_state(__entry->oldstate),
		      teach_show_state(__entry->newstate))
);

/* A segment sent again: by the timer, fast retransmit or SACK recovery */
TRACE_EVENT(teach_stream_retransmit,
	    TP_PROTO(const struct sock *sk, u32 seq, u32 len, u8 times),
	    TP_ARGS(sk, seq, len, times),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(__u32, seq)
			     __field(__u32, len)
			     __field(__u8, times)),
	    TP_fast_assign(__entry->skaddr = sk;
			   teach_trace_tuple(sk, __entry->saddr,
					     __entry->daddr, &__entry->sport,
					     &__entry->dport);
			   __entry->seq = seq;
			   __entry->len = len;
			   __entry->times = times;),
	    TP_printk("%pI4:%u -> %pI4:%u seq=%u len=%u sent=%u",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->seq, __entry->len,
		      __entry->times)
);

/* The congestion window or the slow start threshold moved */
TRACE_EVENT(teach_stream_cwnd,
	    TP_PROTO(const struct sock *sk, const struct teach_cong_state *c,
		     u32 flight),
	    TP_ARGS(sk, c, flight),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(__u32, cwnd)
			     __field(__u32, ssthresh)
			     __field(__u32, flight)
			     __field(__u8, ca_state)),
	    TP_fast_assign(__entry->skaddr = sk;
			   teach_trace_tuple(sk, __entry->saddr,
					     __entry->daddr, &__entry->sport,
					     &__entry->dport);
			   __entry->cwnd = c->cwnd;
			   __entry->ssthresh = c->ssthresh;
			   __entry->flight = flight;
			   __entry->ca_state = c->in_recovery ? 1 :
					       c->after_timeout ? 2 : 0;),
	    TP_printk("%pI4:%u -> %pI4:%u cwnd=%u ssthresh=%u flight=%u ca=%s",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->cwnd, __entry->ssthresh,
		      __entry->flight,
		      __print_symbolic(__entry->ca_state, { 0, "open" },
				       { 1, "recovery" }, { 2, "loss" }))
);

/* A round-trip measurement and the RFC 6298 estimator after it */
TRACE_EVENT(teach_stream_rtt,
	    TP_PROTO(const struct sock *sk, u32 sample_us,
		     const struct teach_rtt *rtt, u32 rto_us),
	    TP_ARGS(sk, sample_us, rtt, rto_us),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(__u32, sample_us)
			     __field(__u32, srtt_us)
			     __field(__u32, rttvar_us)
			     __field(__u32, rto_us)),
	    TP_fast_assign(__entry->skaddr = sk;
			   teach_trace_tuple(sk, __entry->saddr,
					     __entry->daddr, &__entry->sport,
					     &__entry->dport);
			   __entry->sample_us = sample_us;
			   __entry->srtt_us = rtt->srtt_us;
			   __entry->rttvar_us = rtt->rttvar_us;
			   __entry->rto_us = rto_us;),
	    TP_printk("%pI4:%u -> %pI4:%u sample=%uus srtt=%uus rttvar=%uus rto=%uus",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->sample_us, __entry->srtt_us,
		      __entry->rttvar_us, __entry->rto_us)
);

/* The peer's window (snd_wnd) or the one we advertise (rcv_wnd) moved */
TRACE_EVENT(teach_stream_window,
	    TP_PROTO(const struct sock *sk, u32 snd_wnd, u32 rcv_wnd),
	    TP_ARGS(sk, snd_wnd, rcv_wnd),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(__u32, snd_wnd)
			     __field(__u32, rcv_wnd)),
	    TP_fast_assign(__entry->skaddr = sk;
			   teach_trace_tuple(sk, __entry->saddr,
					     __entry->daddr, &__entry->sport,
					     &__entry->dport);
			   __entry->snd_wnd = snd_wnd;
			   __entry->rcv_wnd = rcv_wnd;),
	    TP_printk("%pI4:%u -> %pI4:%u snd_wnd=%u rcv_wnd=%u",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->snd_wnd, __entry->rcv_wnd)
);

/* Every segment sent, first transmissions and retransmissions alike */
TRACE_EVENT(teach_stream_send,
	    TP_PROTO(const struct sock *sk, u32 seq, u32 len, u8 flags,
		     u32 ack),
	    TP_ARGS(sk, seq, len, flags, ack),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(__u32, seq)
			     __field(__u32, len)
			     __field(__u32, ack)
			     __field(__u8, flags)),
	    TP_fast_assign(__entry->skaddr = sk;
			   teach_trace_tuple(sk, __entry->saddr,
					     __entry->daddr, &__entry->sport,
					     &__entry->dport);
			   __entry->seq = seq;
			   __entry->len = len;
			   __entry->ack = ack;
			   __entry->flags = flags;),
	    TP_printk("%pI4:%u -> %pI4:%u seq=%u len=%u ack=%u flags=%s",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->seq, __entry->len, __entry->ack,
		      __print_flags(__entry->flags, "|",
				    { TEACH_STREAM_F_FIN, "FIN" },
				    { TEACH_STREAM_F_SYN, "SYN" },
				    { TEACH_STREAM_F_RST, "RST" },
				    { TEACH_STREAM_F_PSH, "PSH" },
				    { TEACH_STREAM_F_ACK, "ACK" }))
);

/* An acceptable ACK arrived: what it acknowledges and the peer's window */
TRACE_EVENT(teach_stream_ack,
	    TP_PROTO(const struct sock *sk, u32 ack, u32 snd_wnd),
	    TP_ARGS(sk, ack, snd_wnd),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(__u32, ack)
			     __field(__u32, snd_wnd)),
	    TP_fast_assign(__entry->skaddr = sk;
			   teach_trace_tuple(sk, __entry->saddr,
					     __entry->daddr, &__entry->sport,
					     &__entry->dport);
			   __entry->ack = ack;
			   __entry->snd_wnd = snd_wnd;),
	    TP_printk("%pI4:%u -> %pI4:%u ack=%u snd_wnd=%u",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->ack, __entry->snd_wnd)
);

#endif /* _TEACH_STREAM_TRACE_H */

/* This header lives with the module's sources, not in include/trace */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE stream_trace
#include <trace/define_trace.h>
