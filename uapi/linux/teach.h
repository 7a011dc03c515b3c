/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR LGPL-2.1 */
/*
 * teach: a teaching protocol family for Linux.
 *
 * This is the one header shared by the kernel module and userspace: the
 * address family, the Ethertype, the socket address, the wire headers, the
 * socket options and the generic netlink family "teach".
 */
#ifndef _UAPI_LINUX_TEACH_H
#define _UAPI_LINUX_TEACH_H

#include <linux/types.h>
#include <linux/socket.h>

/*
 * A module cannot register a family >= AF_MAX, so AF_TEACH reuses the retired
 * DECnet slot by default.  The live number is in TEACH_SYSFS_FAMILY (the
 * module parameter "family"); libteach reads it and falls back to this value.
 */
#define AF_TEACH_DEFAULT	12
#define TEACH_SYSFS_FAMILY	"/sys/module/teach/parameters/family"

/* IEEE 802 Local Experimental Ethertype 1 */
#define ETH_P_TEACH		0x88B5

/* Protocol numbers carried in the network header (the same as IP's, on purpose). */
#define TEACHPROTO_CTRL		1	/* control messages, like ICMP */
#define TEACHPROTO_STREAM	6	/* reliable byte stream, like TCP */
#define TEACHPROTO_DGRAM	17	/* datagrams, like UDP */
#define TEACHPROTO_MAX		256

/* Addresses are 32 bits in network byte order, written as a.b.c.d/len. */
#define TEACH_ADDR_ANY		0x00000000U	/* 0.0.0.0 */
#define TEACH_ADDR_BROADCAST	0xffffffffU	/* 255.255.255.255 */
#define TEACH_ADDR_LOOPBACK	0x7f000001U	/* 127.0.0.1 */
#define TEACH_LOOPBACK_NET	0x7f000000U	/* 127.0.0.0/8 */
#define TEACH_LOOPBACK_PREFIX	8

struct teach_addr {
	__be32 s_addr;
};

/* Same size and layout as struct sockaddr_in. */
struct sockaddr_teach {
	__kernel_sa_family_t	st_family;	/* AF_TEACH */
	__be16			st_port;	/* transport port */
	struct teach_addr	st_addr;
	__u8			st_zero[8];	/* must be zero */
};

/*
 * Network header, 20 bytes without options (see Documentation/protocol.rst).
 * ver_ihl: version (high nibble) and header length in 32-bit words (low).
 */
#define TEACH_VERSION		1
#define TEACH_MIN_IHL		5
#define TEACH_HLEN		20
#define TEACH_MAX_HLEN		60
#define TEACH_MAXPACKET		65535
#define TEACH_DEFAULT_TTL	64

#define TEACH_DF		0x4000	/* don't fragment */
#define TEACH_MF		0x2000	/* more fragments */
#define TEACH_RF		0x8000	/* reserved, must be zero */
#define TEACH_OFFSET		0x1fff	/* fragment offset in 8-byte units */

struct teachhdr {
	__u8	ver_ihl;
	__u8	tos;		/* class: DiffServ code point << 2 | ECN */
	__be16	tot_len;	/* header + payload, bytes */
	__be16	id;		/* identifies the fragments of one packet */
	__be16	frag_off;	/* flags and fragment offset */
	__u8	ttl;		/* hops left */
	__u8	protocol;	/* TEACHPROTO_* */
	__sum16	check;		/* one's complement sum of the header */
	__be32	saddr;
	__be32	daddr;
};

/*
 * Neighbour messages (address resolution, like ARP) share the Ethertype with
 * the network layer.  The first nibble of every teach frame says which header
 * follows: TEACH_VERSION (1) for a network packet, TEACH_NEIGH_VERSION (0xA)
 * for a neighbour message.  Requests are broadcast, replies unicast; an
 * announcement is a request whose target is the sender's own address.
 */
#define TEACH_NEIGH_VERSION	0xA
#define TEACH_NEIGH_HLEN	24

enum {
	TEACH_NEIGH_REQUEST = 1,
	TEACH_NEIGH_REPLY = 2,
};

struct teach_neighhdr {
	__u8	version;	/* TEACH_NEIGH_VERSION << 4 */
	__u8	op;		/* TEACH_NEIGH_REQUEST or _REPLY */
	__u8	hlen;		/* hardware address length, 6 */
	__u8	plen;		/* protocol address length, 4 */
	__be32	sender_addr;
	__be32	target_addr;
	__u8	sender_hw[6];
	__u8	target_hw[6];
};

/* Control messages (protocol 1), like ICMP. */
struct teach_ctrlhdr {
	__u8	type;
	__u8	code;
	__sum16	check;		/* over the control header and its payload */
	union {
		struct {
			__be16	id;
			__be16	seq;
		} echo;
		struct {
			__be16	unused;
			__be16	mtu;	/* next-hop MTU for TEACH_UNREACH_FRAG */
		} frag;
		__be32	unused;
	} un;
};

enum {
	TEACH_CTRL_ECHO_REPLY = 0,
	TEACH_CTRL_UNREACH = 3,
	TEACH_CTRL_ECHO_REQUEST = 8,
	TEACH_CTRL_TIME_EXCEEDED = 11,
	TEACH_CTRL_PARAM_PROBLEM = 12,
};

/* Codes of TEACH_CTRL_UNREACH */
enum {
	TEACH_UNREACH_NET = 0,
	TEACH_UNREACH_HOST = 1,
	TEACH_UNREACH_PROTO = 2,
	TEACH_UNREACH_PORT = 3,
	TEACH_UNREACH_FRAG = 4,		/* fragmentation needed and DF set */
	TEACH_UNREACH_ADMIN = 13,	/* administratively prohibited */
};

/* Codes of TEACH_CTRL_TIME_EXCEEDED */
enum {
	TEACH_TIMX_TTL = 0,		/* TTL reached zero in transit */
	TEACH_TIMX_REASM = 1,		/* fragment reassembly timed out */
};

/*
 * Datagram header (protocol 17), 8 bytes, laid out as UDP's
 * (Documentation/datagram.rst).  check covers a pseudo-header (source,
 * destination, zero, protocol, length), the header and the payload; 0 means
 * the sender computed none, and a computed 0 is sent as 0xffff.
 */
#define TEACH_DGRAM_HLEN	8
/* The largest payload: 65535 - 20 (network header) - 8 */
#define TEACH_DGRAM_MAX		(TEACH_MAXPACKET - TEACH_HLEN - TEACH_DGRAM_HLEN)

struct teach_dgramhdr {
	__be16	source;
	__be16	dest;
	__be16	len;		/* header + payload, bytes */
	__sum16	check;
};

/*
 * Stream header (protocol 6), 20 bytes and up to 40 of options, laid out as
 * TCP's (Documentation/stream.rst).  check covers the same pseudo-header as
 * the datagram's (source, destination, zero, protocol 6, segment length),
 * the header and the payload, and is never 0 ("none") on the wire.
 */
#define TEACH_STREAM_HLEN	20
#define TEACH_STREAM_MAX_HLEN	60

struct teach_streamhdr {
	__be16	source;
	__be16	dest;
	__be32	seq;		/* first sequence number of the segment */
	__be32	ack_seq;	/* next one expected from the peer, if ACK */
	__u8	doff;		/* header length in 32-bit words << 4 */
	__u8	flags;		/* TEACH_STREAM_F_* */
	__be16	window;		/* bytes the sender will accept past ack_seq */
	__sum16	check;
	__be16	urg_ptr;	/* unused: sent as 0, ignored */
};

#define TEACH_STREAM_F_FIN	0x01	/* no more data from the sender */
#define TEACH_STREAM_F_SYN	0x02	/* synchronise sequence numbers */
#define TEACH_STREAM_F_RST	0x04	/* reset the connection */
#define TEACH_STREAM_F_PSH	0x08	/* push: deliver without waiting */
#define TEACH_STREAM_F_ACK	0x10	/* ack_seq is valid */
#define TEACH_STREAM_F_URG	0x20	/* not used: ignored */

/* Options (kind, length, value), as TCP's */
#define TEACH_STREAM_OPT_EOL	0	/* end of the option list */
#define TEACH_STREAM_OPT_NOP	1	/* padding */
#define TEACH_STREAM_OPT_MSS	2	/* length 4: largest segment accepted, SYN only */
#define TEACH_STREAM_OPT_MSS_LEN 4
#define TEACH_STREAM_OPT_WSCALE	3	/* length 3: window shift, SYN only (RFC 7323) */
#define TEACH_STREAM_OPT_WSCALE_LEN 3
#define TEACH_STREAM_OPT_SACK_PERM 4	/* length 2: SACK permitted, SYN only (RFC 2018) */
#define TEACH_STREAM_OPT_SACK_PERM_LEN 2
#define TEACH_STREAM_OPT_SACK	5	/* length 2 + 8n: n blocks (left, right edge) */
#define TEACH_STREAM_OPT_TIMESTAMP 8	/* length 10: TSval, TSecr (RFC 7323) */
#define TEACH_STREAM_OPT_TIMESTAMP_LEN 10

/* Longest name of a congestion control algorithm, NUL included (TCP_CA_NAME_MAX) */
#define TEACH_CONG_NAME_MAX	16

/* What TEACH_INFO returns (getsockopt at SOL_TEACH), like struct tcp_info */
struct teach_stream_info {
	__u8	tsi_state;		/* enum teach_sock_state */
	__u8	tsi_ca_state;		/* 0 open, 1 fast recovery, 2 loss (after a timeout) */
	__u8	tsi_backoff;		/* timeouts in a row: the RTO is doubled this often */
	__u8	tsi_nodelay;		/* TEACH_NODELAY */
	__u32	tsi_rto_us;		/* retransmission timeout now */
	__u32	tsi_rtt_us;		/* smoothed round-trip time, 0 = no sample */
	__u32	tsi_rttvar_us;
	__u32	tsi_snd_mss;		/* largest segment sent */
	__u32	tsi_rcv_mss;		/* largest segment accepted (the MSS option sent) */
	__u32	tsi_snd_cwnd;		/* congestion window, bytes */
	__u32	tsi_snd_ssthresh;	/* slow start threshold, bytes; 0xffffffff = none */
	__u32	tsi_snd_wnd;		/* the peer's receive window */
	__u32	tsi_rcv_wnd;		/* the window last advertised */
	__u32	tsi_unacked;		/* bytes sent, not acknowledged */
	__u32	tsi_total_retrans;	/* segments retransmitted */
	__u64	tsi_bytes_sent;		/* payload bytes sent, retransmissions included */
	__u64	tsi_bytes_retrans;	/* payload bytes retransmitted */
	__u64	tsi_bytes_acked;	/* payload bytes the peer acknowledged */
	__u64	tsi_bytes_received;	/* payload bytes received in order */
	__u64	tsi_segs_out;		/* segments sent, retransmissions included */
	__u64	tsi_segs_in;		/* segments received */
	__u64	tsi_data_segs_out;	/* segments sent with payload */
	__u64	tsi_data_segs_in;	/* segments received with payload */
	__u64	tsi_dup_acks_in;	/* duplicate ACKs received */
	__u64	tsi_fast_retrans;	/* fast retransmits (three duplicate ACKs) */
	__u64	tsi_timeouts;		/* retransmission timer expiries */
	__u64	tsi_delayed_acks;	/* ACKs sent by the delayed-ACK timer */
	__u64	tsi_zero_wnd_probes;	/* persist-timer probes sent */
	/* the options of RFC 7323 and RFC 2018, as negotiated on the handshake */
	__u8	tsi_snd_wscale;		/* the peer's shift: its windows are << this */
	__u8	tsi_rcv_wscale;		/* ours: the windows we send are >> this */
	__u8	tsi_timestamps;		/* 1: timestamps on every segment */
	__u8	tsi_sack;		/* 1: selective acknowledgements */
	__u32	tsi_sacked;		/* bytes in the SACK scoreboard now */
	__u64	tsi_sack_retrans;	/* segments retransmitted by SACK recovery */
	__u64	tsi_paws_drops;		/* segments dropped by PAWS */
	char	tsi_cong[TEACH_CONG_NAME_MAX];	/* TEACH_CONGESTION: "reno", "cubic" */
};

/* Socket options at level SOL_TEACH (network layer, any socket type). */
#define SOL_TEACH		300
#define TEACH_TOS		1	/* int: class byte of outgoing packets */
#define TEACH_TTL		2	/* int: TTL of outgoing unicast, -1 = sysctl */
#define TEACH_HDRINCL		3	/* int: raw socket supplies the header */
#define TEACH_RECVERR		4	/* int: queue control errors (MSG_ERRQUEUE) */
#define TEACH_RECVTTL		5	/* int: TEACH_TTL cmsg with each datagram */
#define TEACH_RECVTOS		6	/* int: TEACH_TOS cmsg with each datagram */
#define TEACH_PKTINFO		7	/* int: struct teach_pktinfo cmsg */
#define TEACH_MTU_DISCOVER	8	/* int: TEACH_PMTUDISC_*, like IP_MTU_DISCOVER */
#define TEACH_MTU		9	/* int, read only: path MTU to the connected peer */
/*
 * int: SO_REUSEPORT for AF_TEACH.  The 6.1 kernel's generic SO_REUSEPORT
 * refuses every family but AF_INET/AF_INET6 (EOPNOTSUPP); this sets the same
 * socket flag, which getsockopt(SO_REUSEPORT) then reports.
 */
#define TEACH_REUSEPORT		10
/* Stream sockets only (SOL_TEACH) */
#define TEACH_NODELAY		11	/* int: no Nagle: send small segments at once */
#define TEACH_CORK		12	/* int: hold partial segments until cleared */
#define TEACH_INFO		13	/* struct teach_stream_info, read only */
#define TEACH_MAXSEG		14	/* int, read only: the segment size now */
/* string: the congestion control algorithm ("reno", "cubic"), as TCP_CONGESTION */
#define TEACH_CONGESTION	15
#define TEACH_KEEPIDLE		18	/* int: idle seconds before keepalive probes, 1..32767 */
#define TEACH_KEEPINTVL		19	/* int: seconds between probes, 1..32767 */
#define TEACH_KEEPCNT		20	/* int: unanswered probes before ETIMEDOUT, 1..127 */

/* Values of TEACH_MTU_DISCOVER: when to set don't-fragment. */
#define TEACH_PMTUDISC_DONT	0	/* never: routers fragment */
#define TEACH_PMTUDISC_WANT	1	/* when the packet fits the path MTU (default) */
#define TEACH_PMTUDISC_DO	2	/* always; too big for the path is EMSGSIZE */

struct teach_pktinfo {
	__s32			ifindex;	/* arrival device */
	struct teach_addr	dst;		/* header destination */
};

/* Extended error origin for TEACH_RECVERR (struct sock_extended_err). */
#define SO_EE_ORIGIN_TEACH	7

/*
 * Per-namespace counters, in the style of the IP MIB.  The same enum indexes
 * the netlink statistics nest and the lines of /proc/net/teach/snmp.
 */
enum teach_mib {
	TEACH_MIB_IN_RECEIVES,		/* frames handed to the network layer */
	TEACH_MIB_IN_HDR_ERRORS,	/* bad version, length, checksum, TTL */
	TEACH_MIB_IN_TRUNCATED,		/* shorter than the header says */
	TEACH_MIB_IN_CSUM_ERRORS,	/* header checksum wrong */
	TEACH_MIB_IN_ADDR_ERRORS,	/* destination not ours, bad source */
	TEACH_MIB_IN_UNKNOWN_PROTOS,	/* no handler for the protocol */
	TEACH_MIB_IN_DISCARDS,		/* dropped for lack of resources */
	TEACH_MIB_IN_DELIVERS,		/* handed to a transport */
	TEACH_MIB_IN_NO_DEV,		/* arrived on a device teach is not on */
	TEACH_MIB_OUT_REQUESTS,		/* packets transports asked to send */
	TEACH_MIB_OUT_NO_ROUTES,	/* no route to the destination */
	TEACH_MIB_OUT_DISCARDS,		/* dropped on output */
	TEACH_MIB_OUT_TRANSMITS,	/* frames handed to the device */
	TEACH_MIB_FORW_DATAGRAMS,	/* packets forwarded */
	TEACH_MIB_FRAG_OKS,		/* packets fragmented */
	TEACH_MIB_FRAG_FAILS,		/* needed fragmenting, had DF */
	TEACH_MIB_FRAG_CREATES,		/* fragments made */
	TEACH_MIB_REASM_REQDS,		/* fragments received */
	TEACH_MIB_REASM_OKS,		/* packets reassembled */
	TEACH_MIB_REASM_FAILS,		/* reassembly failures of any kind */
	TEACH_MIB_REASM_TIMEOUT,	/* reassemblies that timed out */
	TEACH_MIB_REASM_OVERLAPS,	/* fragments overlapping with others */
	TEACH_MIB_NEIGH_IN_REQUESTS,	/* neighbour requests received */
	TEACH_MIB_NEIGH_IN_REPLIES,	/* neighbour replies received */
	TEACH_MIB_NEIGH_IN_ERRORS,	/* malformed neighbour messages */
	TEACH_MIB_NEIGH_OUT_REQUESTS,	/* requests and announcements sent */
	TEACH_MIB_NEIGH_OUT_REPLIES,	/* replies sent */
	TEACH_MIB_NEIGH_RES_FAILED,	/* resolutions that failed */
	TEACH_MIB_NEIGH_QUEUE_DROPS,	/* packets dropped waiting for resolution */
	TEACH_MIB_CTRL_IN_MSGS,		/* control messages received */
	TEACH_MIB_CTRL_IN_ERRORS,	/* control messages malformed or bad sum */
	TEACH_MIB_CTRL_IN_ECHOS,	/* echo requests received */
	TEACH_MIB_CTRL_IN_ECHO_REPS,	/* echo replies received */
	TEACH_MIB_CTRL_IN_UNREACHS,	/* destination unreachable received */
	TEACH_MIB_CTRL_IN_TIME_EXCDS,	/* time exceeded received */
	TEACH_MIB_CTRL_OUT_MSGS,	/* control messages sent */
	TEACH_MIB_CTRL_OUT_ECHO_REPS,	/* echo replies sent */
	TEACH_MIB_CTRL_OUT_UNREACHS,	/* destination unreachable sent */
	TEACH_MIB_CTRL_OUT_TIME_EXCDS,	/* time exceeded sent */
	TEACH_MIB_CTRL_RATELIMITED,	/* error replies suppressed by the limit */
	TEACH_MIB_RAW_IN_DELIVERS,	/* copies delivered to raw sockets */
	TEACH_MIB_RAW_RCVBUF_ERRORS,	/* raw socket receive queue full */
	TEACH_MIB_IN_NO_ROUTES,		/* to forward, but no route */
	TEACH_MIB_FORW_DISCARDS,	/* refused by forwarding: broadcast, route type */
	TEACH_MIB_HOOK_DROPS,		/* dropped by a packet hook */
	TEACH_MIB_REASM_DUPLICATES,	/* fragments already held, dropped */
	TEACH_MIB_REASM_EVICTIONS,	/* reassemblies dropped over reasm_high_thresh */
	TEACH_MIB_PMTU_UPDATES,		/* path MTU learned from fragmentation needed */
	TEACH_MIB_DGRAM_IN_DATAGRAMS,	/* datagrams queued to a socket (one per copy) */
	TEACH_MIB_DGRAM_NO_PORTS,	/* unicast datagrams to a port nobody has */
	TEACH_MIB_DGRAM_IN_ERRORS,	/* bad length or checksum, or receive queue full */
	TEACH_MIB_DGRAM_OUT_DATAGRAMS,	/* datagrams sent */
	TEACH_MIB_DGRAM_RCVBUF_ERRORS,	/* dropped: the receive buffer was full */
	TEACH_MIB_DGRAM_SNDBUF_ERRORS,	/* not sent: no send buffer or device queue */
	TEACH_MIB_DGRAM_IN_CSUM_ERRORS,	/* dropped: checksum wrong (also InErrors) */
	/* the stream transport, as TCP's MIB ... */
	TEACH_MIB_STREAM_ACTIVE_OPENS,	/* connect(): CLOSE -> SYN_SENT */
	TEACH_MIB_STREAM_PASSIVE_OPENS,	/* LISTEN -> SYN_RECV */
	TEACH_MIB_STREAM_ATTEMPT_FAILS,	/* SYN_SENT/SYN_RECV -> CLOSE */
	TEACH_MIB_STREAM_ESTAB_RESETS,	/* ESTABLISHED/CLOSE_WAIT -> CLOSE by a reset */
	TEACH_MIB_STREAM_IN_SEGS,	/* segments received, errors included */
	TEACH_MIB_STREAM_OUT_SEGS,	/* segments sent, retransmissions excluded */
	TEACH_MIB_STREAM_RETRANS_SEGS,	/* segments retransmitted */
	TEACH_MIB_STREAM_IN_ERRS,	/* bad length, offset, flags or checksum */
	TEACH_MIB_STREAM_OUT_RSTS,	/* resets sent */
	TEACH_MIB_STREAM_IN_CSUM_ERRORS, /* checksum wrong (also InErrs) */
	/* ... and its extended counters, as TcpExt's */
	TEACH_MIB_STREAM_NO_PORTS,	/* segments to a port nobody has: reset */
	TEACH_MIB_STREAM_LISTEN_OVERFLOWS, /* SYN or ACK dropped: accept queue full */
	TEACH_MIB_STREAM_LISTEN_DROPS,	/* SYN dropped for any reason */
	TEACH_MIB_STREAM_BACKLOG_DROPS,	/* socket owned and its backlog full */
	TEACH_MIB_STREAM_RCVQ_DROPS,	/* in order, but receive memory over 2 x rcvbuf */
	TEACH_MIB_STREAM_OFO_QUEUE,	/* segments put in the out-of-order queue */
	TEACH_MIB_STREAM_OFO_DROPS,	/* out-of-order segments without memory */
	TEACH_MIB_STREAM_DUP_DATA,	/* segments carrying only old data */
	TEACH_MIB_STREAM_DELAYED_ACKS,	/* ACKs sent by the delayed-ACK timer */
	TEACH_MIB_STREAM_QUICK_ACKS,	/* ACKs sent at once for out-of-order data */
	TEACH_MIB_STREAM_FAST_RETRANS,	/* fast retransmits */
	TEACH_MIB_STREAM_PARTIAL_ACKS,	/* NewReno partial ACKs (a retransmit each) */
	TEACH_MIB_STREAM_TIMEOUTS,	/* retransmission timer expiries */
	TEACH_MIB_STREAM_ZERO_WND_PROBES, /* persist-timer probes */
	TEACH_MIB_STREAM_ABORT_ON_DATA,	/* reset: data after close */
	TEACH_MIB_STREAM_ABORT_ON_CLOSE, /* reset: closed with unread data */
	TEACH_MIB_STREAM_ABORT_ON_LINGER, /* reset: SO_LINGER with 0 timeout */
	TEACH_MIB_STREAM_ABORT_ON_TIMEOUT, /* gave up after the retries sysctls */
	TEACH_MIB_STREAM_CHALLENGE_ACKS, /* RFC 5961 challenge ACKs sent */
	TEACH_MIB_STREAM_TIME_WAITED,	/* TIME_WAIT ended by its timer */
	TEACH_MIB_STREAM_TW_OVERFLOWS,	/* stream_max_tw reached: closed at once */
	TEACH_MIB_STREAM_BAD_OPTIONS,	/* options with a wrong length: ignored */
	TEACH_MIB_STREAM_PAWS_DROPS,	/* segments with an old timestamp (RFC 7323 5) */
	TEACH_MIB_STREAM_SACK_RECV,	/* ACKs carrying valid SACK blocks */
	TEACH_MIB_STREAM_SACK_DISCARD,	/* SACK blocks outside snd_una..snd_max */
	TEACH_MIB_STREAM_SACK_RECOVERY,	/* fast recoveries with SACK (RFC 6675) */
	TEACH_MIB_STREAM_SACK_RETRANS,	/* segments retransmitted as SACK holes */
	TEACH_MIB_STREAM_SACK_SKIPPED,	/* SACKed segments not sent again */
	TEACH_MIB_STREAM_SACK_RENEGING,	/* the peer dropped data it had SACKed */
	TEACH_MIB_STREAM_KEEPALIVE_PROBES, /* keepalive probes sent */
	TEACH_MIB_STREAM_KEEPALIVE_TIMEOUTS, /* connections ended: probes unanswered */
	TEACH_MIB_STREAM_TW_RECYCLED,	/* TIME_WAIT ended by a new connection's SYN */
	TEACH_MIB_STREAM_GSO_SENT,	/* super-packets of several segments sent */
	TEACH_MIB_GSO_SEGMENTED,	/* super-packets cut into segments in software */
	TEACH_MIB_STREAM_RCVBUF_GROWN,	/* receive buffers grown by auto-tuning */
	TEACH_MIB_STREAM_SNDBUF_GROWN,	/* send buffers grown by auto-tuning */
	/* RFC 5961: blind injection (Documentation/security.rst) */
	TEACH_MIB_STREAM_CHALLENGE_SKIPPED, /* not sent: over stream_challenge_ack_limit */
	TEACH_MIB_STREAM_RST_BAD_SEQ,	/* RST in the window, not at rcv_nxt: challenged */
	TEACH_MIB_STREAM_RST_OUT_OF_WINDOW, /* RST outside the window: dropped silently */
	TEACH_MIB_STREAM_SYN_CHALLENGE,	/* SYN on a synchronised connection: challenged */
	TEACH_MIB_STREAM_ACK_BAD,	/* ACK of the unsent or the long acknowledged: challenged */
	__TEACH_MIB_MAX
};

#define TEACH_MIB_MAX (__TEACH_MIB_MAX - 1)

/* Generic netlink family "teach" (Documentation/netlink/specs/teach.yaml). */
#define TEACH_GENL_NAME		"teach"
#define TEACH_GENL_VERSION	1
#define TEACH_GENL_MCGRP_MONITOR "monitor"

enum teach_cmd {
	TEACH_CMD_UNSPEC,
	TEACH_CMD_ADDR_NEW,	/* add an address; also the monitor event */
	TEACH_CMD_ADDR_DEL,
	TEACH_CMD_ADDR_GET,	/* dump */
	TEACH_CMD_NEIGH_NEW,
	TEACH_CMD_NEIGH_DEL,
	TEACH_CMD_NEIGH_GET,	/* dump */
	TEACH_CMD_NEIGH_FLUSH,
	TEACH_CMD_STATS_GET,
	TEACH_CMD_ROUTE_NEW,
	TEACH_CMD_ROUTE_DEL,
	TEACH_CMD_ROUTE_GET,	/* do: lookup one destination; dump: the table */
	TEACH_CMD_SOCK_GET,	/* dump: the sockets of the namespace */
	__TEACH_CMD_MAX
};

#define TEACH_CMD_MAX (__TEACH_CMD_MAX - 1)

/* One attribute space for the whole family; each command documents its subset. */
enum teach_attr {
	TEACH_A_UNSPEC,
	TEACH_A_IFINDEX,	/* u32 */
	TEACH_A_IFNAME,		/* string, read only */
	TEACH_A_ADDR,		/* be32: an address, or a neighbour's address */
	TEACH_A_PREFIXLEN,	/* u8, 0..32 */
	TEACH_A_BROADCAST,	/* be32, read only: directed broadcast */
	TEACH_A_LLADDR,		/* binary, 6 bytes: hardware address */
	TEACH_A_NEIGH_STATE,	/* u8: enum teach_neigh_state */
	TEACH_A_NEIGH_PROBES,	/* u32, read only: requests sent */
	TEACH_A_NEIGH_AGE_MS,	/* u32, read only: since last confirmed */
	TEACH_A_NEIGH_QLEN,	/* u32, read only: packets waiting */
	TEACH_A_STATS,		/* nest of u64, indexed by enum teach_mib + 1 */
	TEACH_A_DST,		/* be32: route destination */
	TEACH_A_GATEWAY,	/* be32: next hop */
	TEACH_A_ROUTE_TYPE,	/* u8: enum teach_route_type */
	TEACH_A_METRIC,		/* u32: preference, lower wins */
	TEACH_A_PREFSRC,	/* be32: preferred source */
	TEACH_A_ROUTE_PROTO,	/* u8: who installed it (enum teach_route_proto) */
	TEACH_A_MTU,		/* u32: route or path MTU */
	TEACH_A_FLAGS,		/* u32: TEACH_F_* */
	TEACH_A_PAD,
	TEACH_A_EXPIRES,	/* u32, read only: seconds until a path MTU ages out */
	TEACH_A_FORWARDING,	/* u8, read only: the device forwards */
	TEACH_A_SOCK_FAMILY,	/* u16, read only: the address family number */
	TEACH_A_SOCK_TYPE,	/* u8: SOCK_STREAM, SOCK_DGRAM, SOCK_RAW; filters a dump */
	TEACH_A_SOCK_PROTO,	/* u8, read only: protocol number */
	TEACH_A_SOCK_STATE,	/* u8, read only: enum teach_sock_state */
	TEACH_A_SOCK_LADDR,	/* be32, read only: local address, 0 = any */
	TEACH_A_SOCK_LPORT,	/* u16, read only: local port */
	TEACH_A_SOCK_RADDR,	/* be32, read only: peer address (connected) */
	TEACH_A_SOCK_RPORT,	/* u16, read only: peer port (connected) */
	TEACH_A_SOCK_RQUEUE,	/* u32, read only: bytes in the receive queue */
	TEACH_A_SOCK_WQUEUE,	/* u32, read only: bytes sent, not yet freed */
	TEACH_A_SOCK_UID,	/* u32, read only: owner */
	TEACH_A_SOCK_INODE,	/* u64, read only: socket inode number */
	TEACH_A_SOCK_DROPS,	/* u32, read only: datagrams the socket dropped */
	TEACH_A_SOCK_STREAM_INFO, /* binary, read only: struct teach_stream_info */
	__TEACH_A_MAX
};

#define TEACH_A_MAX (__TEACH_A_MAX - 1)

enum teach_neigh_state {
	TEACH_NUD_NONE,
	TEACH_NUD_INCOMPLETE,	/* request sent, no answer yet */
	TEACH_NUD_REACHABLE,	/* confirmed recently */
	TEACH_NUD_STALE,	/* usable, to be confirmed on next use */
	TEACH_NUD_FAILED,	/* no answer after all retries */
	TEACH_NUD_PERMANENT,	/* static entry, never expires */
	__TEACH_NUD_MAX
};

enum teach_route_type {
	TEACH_RTN_UNSPEC,
	TEACH_RTN_UNICAST,	/* direct or through a gateway */
	TEACH_RTN_LOCAL,	/* one of this host's addresses */
	TEACH_RTN_BROADCAST,	/* a directed broadcast address */
	TEACH_RTN_BLACKHOLE,	/* drop silently */
	TEACH_RTN_UNREACHABLE,	/* drop, host unreachable to the sender */
	TEACH_RTN_PROHIBIT,	/* drop, administratively prohibited */
	__TEACH_RTN_MAX
};

enum teach_route_proto {
	TEACH_RTPROT_UNSPEC,
	TEACH_RTPROT_KERNEL,	/* made by the kernel for an address */
	TEACH_RTPROT_STATIC,	/* added by an administrator */
	TEACH_RTPROT_RIP,	/* added by a routing daemon */
	__TEACH_RTPROT_MAX
};

/*
 * TEACH_A_SOCK_STATE: the TCP state numbers, which /proc/net/udp and ss use
 * for every socket type.  A datagram socket is CLOSE ("UNCONN") or
 * ESTABLISHED (connected); the stream transport will use the others.
 */
enum teach_sock_state {
	TEACH_SS_ESTABLISHED = 1,
	TEACH_SS_SYN_SENT,
	TEACH_SS_SYN_RECV,
	TEACH_SS_FIN_WAIT1,
	TEACH_SS_FIN_WAIT2,
	TEACH_SS_TIME_WAIT,
	TEACH_SS_CLOSE,
	TEACH_SS_CLOSE_WAIT,
	TEACH_SS_LAST_ACK,
	TEACH_SS_LISTEN,
	TEACH_SS_CLOSING,
	__TEACH_SS_MAX
};

/* TEACH_A_FLAGS: request modifiers, like NLM_F_REPLACE for one object. */
#define TEACH_F_REPLACE		0x1	/* route/neigh: replace an existing entry */
#define TEACH_F_SOCK_INFO	0x2	/* sock dump: TEACH_A_SOCK_STREAM_INFO too */

#endif /* _UAPI_LINUX_TEACH_H */
