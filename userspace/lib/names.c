// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libteach: names of counters, neighbour states, route types and protocols;
 * hardware address text <-> binary.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "libteach.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The names of /proc/net/teach/snmp, in the style of the IP MIB. */
static const char * const mib_names[] = {
	[TEACH_MIB_IN_RECEIVES]		= "InReceives",
	[TEACH_MIB_IN_HDR_ERRORS]	= "InHdrErrors",
	[TEACH_MIB_IN_TRUNCATED]	= "InTruncatedPkts",
	[TEACH_MIB_IN_CSUM_ERRORS]	= "InCsumErrors",
	[TEACH_MIB_IN_ADDR_ERRORS]	= "InAddrErrors",
	[TEACH_MIB_IN_UNKNOWN_PROTOS]	= "InUnknownProtos",
	[TEACH_MIB_IN_DISCARDS]		= "InDiscards",
	[TEACH_MIB_IN_DELIVERS]		= "InDelivers",
	[TEACH_MIB_IN_NO_DEV]		= "InNoDev",
	[TEACH_MIB_OUT_REQUESTS]	= "OutRequests",
	[TEACH_MIB_OUT_NO_ROUTES]	= "OutNoRoutes",
	[TEACH_MIB_OUT_DISCARDS]	= "OutDiscards",
	[TEACH_MIB_OUT_TRANSMITS]	= "OutTransmits",
	[TEACH_MIB_FORW_DATAGRAMS]	= "ForwDatagrams",
	[TEACH_MIB_FRAG_OKS]		= "FragOKs",
	[TEACH_MIB_FRAG_FAILS]		= "FragFails",
	[TEACH_MIB_FRAG_CREATES]	= "FragCreates",
	[TEACH_MIB_REASM_REQDS]		= "ReasmReqds",
	[TEACH_MIB_REASM_OKS]		= "ReasmOKs",
	[TEACH_MIB_REASM_FAILS]		= "ReasmFails",
	[TEACH_MIB_REASM_TIMEOUT]	= "ReasmTimeout",
	[TEACH_MIB_REASM_OVERLAPS]	= "ReasmOverlaps",
	[TEACH_MIB_NEIGH_IN_REQUESTS]	= "NeighInRequests",
	[TEACH_MIB_NEIGH_IN_REPLIES]	= "NeighInReplies",
	[TEACH_MIB_NEIGH_IN_ERRORS]	= "NeighInErrors",
	[TEACH_MIB_NEIGH_OUT_REQUESTS]	= "NeighOutRequests",
	[TEACH_MIB_NEIGH_OUT_REPLIES]	= "NeighOutReplies",
	[TEACH_MIB_NEIGH_RES_FAILED]	= "NeighResFailed",
	[TEACH_MIB_NEIGH_QUEUE_DROPS]	= "NeighQueueDrops",
	[TEACH_MIB_CTRL_IN_MSGS]	= "CtrlInMsgs",
	[TEACH_MIB_CTRL_IN_ERRORS]	= "CtrlInErrors",
	[TEACH_MIB_CTRL_IN_ECHOS]	= "CtrlInEchos",
	[TEACH_MIB_CTRL_IN_ECHO_REPS]	= "CtrlInEchoReps",
	[TEACH_MIB_CTRL_IN_UNREACHS]	= "CtrlInDestUnreachs",
	[TEACH_MIB_CTRL_IN_TIME_EXCDS]	= "CtrlInTimeExcds",
	[TEACH_MIB_CTRL_OUT_MSGS]	= "CtrlOutMsgs",
	[TEACH_MIB_CTRL_OUT_ECHO_REPS]	= "CtrlOutEchoReps",
	[TEACH_MIB_CTRL_OUT_UNREACHS]	= "CtrlOutDestUnreachs",
	[TEACH_MIB_CTRL_OUT_TIME_EXCDS]	= "CtrlOutTimeExcds",
	[TEACH_MIB_CTRL_RATELIMITED]	= "CtrlRateLimited",
	[TEACH_MIB_RAW_IN_DELIVERS]	= "RawInDelivers",
	[TEACH_MIB_RAW_RCVBUF_ERRORS]	= "RawRcvbufErrors",
	[TEACH_MIB_IN_NO_ROUTES]	= "InNoRoutes",
	[TEACH_MIB_FORW_DISCARDS]	= "ForwDiscards",
	[TEACH_MIB_HOOK_DROPS]		= "HookDrops",
	[TEACH_MIB_REASM_DUPLICATES]	= "ReasmDuplicates",
	[TEACH_MIB_REASM_EVICTIONS]	= "ReasmEvictions",
	[TEACH_MIB_PMTU_UPDATES]	= "PmtuUpdates",
	[TEACH_MIB_DGRAM_IN_DATAGRAMS]	= "DgramInDatagrams",
	[TEACH_MIB_DGRAM_NO_PORTS]	= "DgramNoPorts",
	[TEACH_MIB_DGRAM_IN_ERRORS]	= "DgramInErrors",
	[TEACH_MIB_DGRAM_OUT_DATAGRAMS]	= "DgramOutDatagrams",
	[TEACH_MIB_DGRAM_RCVBUF_ERRORS]	= "DgramRcvbufErrors",
	[TEACH_MIB_DGRAM_SNDBUF_ERRORS]	= "DgramSndbufErrors",
	[TEACH_MIB_DGRAM_IN_CSUM_ERRORS] = "DgramInCsumErrors",
	[TEACH_MIB_STREAM_ACTIVE_OPENS]	= "StreamActiveOpens",
	[TEACH_MIB_STREAM_PASSIVE_OPENS] = "StreamPassiveOpens",
	[TEACH_MIB_STREAM_ATTEMPT_FAILS] = "StreamAttemptFails",
	[TEACH_MIB_STREAM_ESTAB_RESETS]	= "StreamEstabResets",
	[TEACH_MIB_STREAM_IN_SEGS]	= "StreamInSegs",
	[TEACH_MIB_STREAM_OUT_SEGS]	= "StreamOutSegs",
	[TEACH_MIB_STREAM_RETRANS_SEGS]	= "StreamRetransSegs",
	[TEACH_MIB_STREAM_IN_ERRS]	= "StreamInErrs",
	[TEACH_MIB_STREAM_OUT_RSTS]	= "StreamOutRsts",
	[TEACH_MIB_STREAM_IN_CSUM_ERRORS] = "StreamInCsumErrors",
	[TEACH_MIB_STREAM_NO_PORTS]	= "StreamNoPorts",
	[TEACH_MIB_STREAM_LISTEN_OVERFLOWS] = "StreamListenOverflows",
	[TEACH_MIB_STREAM_LISTEN_DROPS]	= "StreamListenDrops",
	[TEACH_MIB_STREAM_BACKLOG_DROPS] = "StreamBacklogDrops",
	[TEACH_MIB_STREAM_RCVQ_DROPS]	= "StreamRcvQDrops",
	[TEACH_MIB_STREAM_OFO_QUEUE]	= "StreamOfoQueue",
	[TEACH_MIB_STREAM_OFO_DROPS]	= "StreamOfoDrops",
	[TEACH_MIB_STREAM_DUP_DATA]	= "StreamDupData",
	[TEACH_MIB_STREAM_DELAYED_ACKS]	= "StreamDelayedAcks",
	[TEACH_MIB_STREAM_QUICK_ACKS]	= "StreamQuickAcks",
	[TEACH_MIB_STREAM_FAST_RETRANS]	= "StreamFastRetrans",
	[TEACH_MIB_STREAM_PARTIAL_ACKS]	= "StreamPartialAcks",
	[TEACH_MIB_STREAM_TIMEOUTS]	= "StreamTimeouts",
	[TEACH_MIB_STREAM_ZERO_WND_PROBES] = "StreamZeroWndProbes",
	[TEACH_MIB_STREAM_ABORT_ON_DATA] = "StreamAbortOnData",
	[TEACH_MIB_STREAM_ABORT_ON_CLOSE] = "StreamAbortOnClose",
	[TEACH_MIB_STREAM_ABORT_ON_LINGER] = "StreamAbortOnLinger",
	[TEACH_MIB_STREAM_ABORT_ON_TIMEOUT] = "StreamAbortOnTimeout",
	[TEACH_MIB_STREAM_CHALLENGE_ACKS] = "StreamChallengeAcks",
	[TEACH_MIB_STREAM_TIME_WAITED]	= "StreamTimeWaited",
	[TEACH_MIB_STREAM_TW_OVERFLOWS]	= "StreamTwOverflows",
	[TEACH_MIB_STREAM_BAD_OPTIONS]	= "StreamBadOptions",
	[TEACH_MIB_STREAM_PAWS_DROPS]	= "StreamPAWSDrops",
	[TEACH_MIB_STREAM_SACK_RECV]	= "StreamSACKRecv",
	[TEACH_MIB_STREAM_SACK_DISCARD]	= "StreamSACKDiscard",
	[TEACH_MIB_STREAM_SACK_RECOVERY] = "StreamSACKRecovery",
	[TEACH_MIB_STREAM_SACK_RETRANS]	= "StreamSACKRetrans",
	[TEACH_MIB_STREAM_SACK_SKIPPED]	= "StreamSACKSkipped",
	[TEACH_MIB_STREAM_SACK_RENEGING] = "StreamSACKReneging",
	[TEACH_MIB_STREAM_KEEPALIVE_PROBES] = "StreamKeepAliveProbes",
	[TEACH_MIB_STREAM_KEEPALIVE_TIMEOUTS] = "StreamKeepAliveTimeouts",
	[TEACH_MIB_STREAM_TW_RECYCLED]	= "StreamTwRecycled",
	[TEACH_MIB_STREAM_GSO_SENT]	= "StreamGSOSent",
	[TEACH_MIB_GSO_SEGMENTED]	= "GSOSegmented",
	[TEACH_MIB_STREAM_RCVBUF_GROWN]	= "StreamRcvbufGrown",
	[TEACH_MIB_STREAM_SNDBUF_GROWN]	= "StreamSndbufGrown",
	[TEACH_MIB_STREAM_CHALLENGE_SKIPPED] = "StreamChallengeSkipped",
	[TEACH_MIB_STREAM_RST_BAD_SEQ]	= "StreamRSTBadSeq",
	[TEACH_MIB_STREAM_RST_OUT_OF_WINDOW] = "StreamRSTOutOfWindow",
	[TEACH_MIB_STREAM_SYN_CHALLENGE] = "StreamSYNChallenge",
	[TEACH_MIB_STREAM_ACK_BAD]	= "StreamAckBad",
};

/* A counter added to the uapi enum needs its name here. */
_Static_assert(ARRAY_SIZE(mib_names) == __TEACH_MIB_MAX,
	       "mib_names[] does not match enum teach_mib");

static const char * const neigh_state_names[] = {
	[TEACH_NUD_NONE]	= "none",
	[TEACH_NUD_INCOMPLETE]	= "incomplete",
	[TEACH_NUD_REACHABLE]	= "reachable",
	[TEACH_NUD_STALE]	= "stale",
	[TEACH_NUD_FAILED]	= "failed",
	[TEACH_NUD_PERMANENT]	= "permanent",
};

_Static_assert(ARRAY_SIZE(neigh_state_names) == __TEACH_NUD_MAX,
	       "neigh_state_names[] does not match enum teach_neigh_state");

static const char * const route_type_names[] = {
	[TEACH_RTN_UNSPEC]	= "unspec",
	[TEACH_RTN_UNICAST]	= "unicast",
	[TEACH_RTN_LOCAL]	= "local",
	[TEACH_RTN_BROADCAST]	= "broadcast",
	[TEACH_RTN_BLACKHOLE]	= "blackhole",
	[TEACH_RTN_UNREACHABLE]	= "unreachable",
	[TEACH_RTN_PROHIBIT]	= "prohibit",
};

_Static_assert(ARRAY_SIZE(route_type_names) == __TEACH_RTN_MAX,
	       "route_type_names[] does not match enum teach_route_type");

static const char * const route_proto_names[] = {
	[TEACH_RTPROT_UNSPEC]	= "unspec",
	[TEACH_RTPROT_KERNEL]	= "kernel",
	[TEACH_RTPROT_STATIC]	= "static",
	[TEACH_RTPROT_RIP]	= "rip",
};

_Static_assert(ARRAY_SIZE(route_proto_names) == __TEACH_RTPROT_MAX,
	       "route_proto_names[] does not match enum teach_route_proto");

static const char *name_of(const char * const *names, size_t n, int value)
{
	if (value < 0 || (size_t)value >= n)
		return NULL;
	return names[value];
}

static int parse_name(const char * const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; name && i < n; i++)
		if (names[i] && !strcasecmp(name, names[i]))
			return (int)i;
	errno = EINVAL;
	return -1;
}

const char *teach_mib_name(int counter)
{
	return name_of(mib_names, ARRAY_SIZE(mib_names), counter);
}

int teach_mib_parse(const char *name)
{
	return parse_name(mib_names, ARRAY_SIZE(mib_names), name);
}

const char *teach_neigh_state_name(int state)
{
	return name_of(neigh_state_names, ARRAY_SIZE(neigh_state_names), state);
}

int teach_neigh_state_parse(const char *name)
{
	return parse_name(neigh_state_names, ARRAY_SIZE(neigh_state_names),
			  name);
}

const char *teach_route_type_name(int type)
{
	return name_of(route_type_names, ARRAY_SIZE(route_type_names), type);
}

int teach_route_type_parse(const char *name)
{
	return parse_name(route_type_names, ARRAY_SIZE(route_type_names), name);
}

const char *teach_route_proto_name(int proto)
{
	return name_of(route_proto_names, ARRAY_SIZE(route_proto_names), proto);
}

int teach_route_proto_parse(const char *name)
{
	unsigned int v = 0;
	const char *p;

	if (name && *name >= '0' && *name <= '9') {
		/* Routing daemons may use numbers the enum has no name for. */
		for (p = name; *p >= '0' && *p <= '9' && v <= 255; p++)
			v = v * 10 + (unsigned int)(*p - '0');
		if (*p || v > 255 || (name[0] == '0' && name[1])) {
			errno = EINVAL;
			return -1;
		}
		return (int)v;
	}
	return parse_name(route_proto_names, ARRAY_SIZE(route_proto_names),
			  name);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int teach_lladdr_pton(const char *text, uint8_t lladdr[TEACH_LLADDR_LEN])
{
	uint8_t out[TEACH_LLADDR_LEN];
	const char *p = text;
	int i, hi, lo;

	if (!text || !lladdr)
		goto inval;
	for (i = 0; i < TEACH_LLADDR_LEN; i++) {
		if (i && *p++ != ':')
			goto inval;
		hi = hexval(*p);
		if (hi < 0)
			goto inval;
		p++;
		lo = hexval(*p);
		if (lo >= 0) {
			out[i] = (uint8_t)(hi << 4 | lo);
			p++;
		} else {
			out[i] = (uint8_t)hi;
		}
	}
	if (*p)
		goto inval;
	memcpy(lladdr, out, sizeof(out));
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

char *teach_lladdr_ntop(const uint8_t lladdr[TEACH_LLADDR_LEN], char *buf,
			size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", lladdr[0],
		 lladdr[1], lladdr[2], lladdr[3], lladdr[4], lladdr[5]);
	return buf;
}

/* ss's names, so that scripts written for ss read teach sock too. */
static const char * const sock_state_names[] = {
	[TEACH_SS_ESTABLISHED]	= "ESTAB",
	[TEACH_SS_SYN_SENT]	= "SYN-SENT",
	[TEACH_SS_SYN_RECV]	= "SYN-RECV",
	[TEACH_SS_FIN_WAIT1]	= "FIN-WAIT-1",
	[TEACH_SS_FIN_WAIT2]	= "FIN-WAIT-2",
	[TEACH_SS_TIME_WAIT]	= "TIME-WAIT",
	[TEACH_SS_CLOSE]	= "UNCONN",
	[TEACH_SS_CLOSE_WAIT]	= "CLOSE-WAIT",
	[TEACH_SS_LAST_ACK]	= "LAST-ACK",
	[TEACH_SS_LISTEN]	= "LISTEN",
	[TEACH_SS_CLOSING]	= "CLOSING",
};

_Static_assert(ARRAY_SIZE(sock_state_names) == __TEACH_SS_MAX,
	       "sock_state_names[] does not match enum teach_sock_state");

const char *teach_sock_state_name(int state)
{
	return name_of(sock_state_names, ARRAY_SIZE(sock_state_names), state);
}

int teach_sock_state_parse(const char *name)
{
	return parse_name(sock_state_names, ARRAY_SIZE(sock_state_names), name);
}

static const char * const sock_type_names[] = {
	[SOCK_STREAM]	= "stream",
	[SOCK_DGRAM]	= "dgram",
	[SOCK_RAW]	= "raw",
};

const char *teach_sock_type_name(int type)
{
	return name_of(sock_type_names, ARRAY_SIZE(sock_type_names), type);
}

int teach_sock_type_parse(const char *name)
{
	return parse_name(sock_type_names, ARRAY_SIZE(sock_type_names), name);
}
