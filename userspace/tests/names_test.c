// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of libteach's names (counters, neighbour states, route
 * types and protocols) and hardware address parsing.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "libteach.h"

/* The order of enum teach_mib, as /proc/net/teach/snmp prints it. */
static const char * const expected_mib[] = {
	"InReceives", "InHdrErrors", "InTruncatedPkts", "InCsumErrors",
	"InAddrErrors", "InUnknownProtos", "InDiscards", "InDelivers",
	"InNoDev", "OutRequests", "OutNoRoutes", "OutDiscards",
	"OutTransmits", "ForwDatagrams", "FragOKs", "FragFails",
	"FragCreates", "ReasmReqds", "ReasmOKs", "ReasmFails", "ReasmTimeout",
	"ReasmOverlaps", "NeighInRequests", "NeighInReplies", "NeighInErrors",
	"NeighOutRequests", "NeighOutReplies", "NeighResFailed",
	"NeighQueueDrops", "CtrlInMsgs", "CtrlInErrors", "CtrlInEchos",
	"CtrlInEchoReps", "CtrlInDestUnreachs", "CtrlInTimeExcds",
	"CtrlOutMsgs", "CtrlOutEchoReps", "CtrlOutDestUnreachs",
	"CtrlOutTimeExcds", "CtrlRateLimited", "RawInDelivers",
	"RawRcvbufErrors", "InNoRoutes", "ForwDiscards", "HookDrops",
	"ReasmDuplicates", "ReasmEvictions", "PmtuUpdates",
	"DgramInDatagrams", "DgramNoPorts", "DgramInErrors",
	"DgramOutDatagrams", "DgramRcvbufErrors", "DgramSndbufErrors",
	"DgramInCsumErrors",
	"StreamActiveOpens", "StreamPassiveOpens", "StreamAttemptFails",
	"StreamEstabResets", "StreamInSegs", "StreamOutSegs",
	"StreamRetransSegs", "StreamInErrs", "StreamOutRsts",
	"StreamInCsumErrors", "StreamNoPorts", "StreamListenOverflows",
	"StreamListenDrops", "StreamBacklogDrops", "StreamRcvQDrops",
	"StreamOfoQueue", "StreamOfoDrops", "StreamDupData",
	"StreamDelayedAcks", "StreamQuickAcks", "StreamFastRetrans",
	"StreamPartialAcks", "StreamTimeouts", "StreamZeroWndProbes",
	"StreamAbortOnData", "StreamAbortOnClose", "StreamAbortOnLinger",
	"StreamAbortOnTimeout", "StreamChallengeAcks", "StreamTimeWaited",
	"StreamTwOverflows", "StreamBadOptions", "StreamPAWSDrops",
	"StreamSACKRecv", "StreamSACKDiscard", "StreamSACKRecovery",
	"StreamSACKRetrans", "StreamSACKSkipped", "StreamSACKReneging",
	"StreamKeepAliveProbes", "StreamKeepAliveTimeouts", "StreamTwRecycled",
	"StreamGSOSent", "GSOSegmented", "StreamRcvbufGrown", "StreamSndbufGrown",
	"StreamChallengeSkipped", "StreamRSTBadSeq", "StreamRSTOutOfWindow",
	"StreamSYNChallenge", "StreamAckBad",
};

TEST(mib_names_in_enum_order)
{
	int i;

	ASSERT_EQ(__TEACH_MIB_MAX,
		  (int)ARRAY_SIZE(expected_mib));
	for (i = 0; i < __TEACH_MIB_MAX; i++) {
		ASSERT_NE(NULL, teach_mib_name(i));
		EXPECT_STREQ(expected_mib[i], teach_mib_name(i));
		EXPECT_EQ(i, teach_mib_parse(expected_mib[i]));
	}
	EXPECT_STREQ("InReceives", teach_mib_name(TEACH_MIB_IN_RECEIVES));
	EXPECT_STREQ("StreamAckBad", teach_mib_name(TEACH_MIB_MAX));
	EXPECT_EQ(NULL, teach_mib_name(-1));
	EXPECT_EQ(NULL, teach_mib_name(__TEACH_MIB_MAX));
}

TEST(mib_names_are_unique)
{
	int i, j;

	for (i = 0; i < __TEACH_MIB_MAX; i++)
		for (j = i + 1; j < __TEACH_MIB_MAX; j++)
			EXPECT_NE(0, strcmp(teach_mib_name(i), teach_mib_name(j)));
}

TEST(mib_parse)
{
	EXPECT_EQ(TEACH_MIB_CTRL_IN_ECHOS, teach_mib_parse("ctrlinechos"));
	errno = 0;
	EXPECT_EQ(-1, teach_mib_parse("InReceive"));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, teach_mib_parse(""));
	EXPECT_EQ(-1, teach_mib_parse(NULL));
}

TEST(neigh_states)
{
	static const char * const names[] = {
		"none", "incomplete", "reachable", "stale", "failed",
		"permanent",
	};
	int i;

	for (i = 0; i < __TEACH_NUD_MAX; i++) {
		EXPECT_STREQ(names[i], teach_neigh_state_name(i));
		EXPECT_EQ(i, teach_neigh_state_parse(names[i]));
	}
	EXPECT_EQ(TEACH_NUD_PERMANENT, teach_neigh_state_parse("PERMANENT"));
	EXPECT_EQ(NULL, teach_neigh_state_name(__TEACH_NUD_MAX));
	EXPECT_EQ(-1, teach_neigh_state_parse("noarp"));
}

TEST(route_types_and_protos)
{
	EXPECT_STREQ("unicast", teach_route_type_name(TEACH_RTN_UNICAST));
	EXPECT_STREQ("prohibit", teach_route_type_name(TEACH_RTN_PROHIBIT));
	EXPECT_EQ(NULL, teach_route_type_name(__TEACH_RTN_MAX));
	EXPECT_EQ(TEACH_RTN_BLACKHOLE, teach_route_type_parse("blackhole"));
	EXPECT_EQ(TEACH_RTN_UNREACHABLE, teach_route_type_parse("unreachable"));
	EXPECT_EQ(-1, teach_route_type_parse("throw"));

	EXPECT_STREQ("kernel", teach_route_proto_name(TEACH_RTPROT_KERNEL));
	EXPECT_STREQ("rip", teach_route_proto_name(TEACH_RTPROT_RIP));
	EXPECT_EQ(NULL, teach_route_proto_name(42));
	EXPECT_EQ(TEACH_RTPROT_STATIC, teach_route_proto_parse("static"));
	EXPECT_EQ(42, teach_route_proto_parse("42"));
	EXPECT_EQ(0, teach_route_proto_parse("0"));
	EXPECT_EQ(255, teach_route_proto_parse("255"));
	EXPECT_EQ(-1, teach_route_proto_parse("256"));
	EXPECT_EQ(-1, teach_route_proto_parse("042"));
	EXPECT_EQ(-1, teach_route_proto_parse("4x"));
	EXPECT_EQ(-1, teach_route_proto_parse("99999999999"));
}

TEST(sock_states_and_types)
{
	EXPECT_STREQ("ESTAB", teach_sock_state_name(TEACH_SS_ESTABLISHED));
	EXPECT_STREQ("UNCONN", teach_sock_state_name(TEACH_SS_CLOSE));
	EXPECT_STREQ("LISTEN", teach_sock_state_name(TEACH_SS_LISTEN));
	EXPECT_STREQ("CLOSING", teach_sock_state_name(TEACH_SS_CLOSING));
	EXPECT_EQ(NULL, teach_sock_state_name(0));
	EXPECT_EQ(NULL, teach_sock_state_name(__TEACH_SS_MAX));
	EXPECT_EQ(NULL, teach_sock_state_name(-1));
	EXPECT_EQ(TEACH_SS_TIME_WAIT, teach_sock_state_parse("time-wait"));
	EXPECT_EQ(TEACH_SS_ESTABLISHED, teach_sock_state_parse("estab"));
	errno = 0;
	EXPECT_EQ(-1, teach_sock_state_parse("connected"));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, teach_sock_state_parse(NULL));

	EXPECT_STREQ("dgram", teach_sock_type_name(SOCK_DGRAM));
	EXPECT_STREQ("raw", teach_sock_type_name(SOCK_RAW));
	EXPECT_STREQ("stream", teach_sock_type_name(SOCK_STREAM));
	EXPECT_EQ(NULL, teach_sock_type_name(0));
	EXPECT_EQ(NULL, teach_sock_type_name(SOCK_SEQPACKET));
	EXPECT_EQ(SOCK_DGRAM, teach_sock_type_parse("DGRAM"));
	EXPECT_EQ(SOCK_RAW, teach_sock_type_parse("raw"));
	EXPECT_EQ(-1, teach_sock_type_parse("udp"));
	EXPECT_EQ(-1, teach_sock_type_parse(""));
}

TEST(lladdr_parse)
{
	static const uint8_t want[6] = { 0xaa, 0xbb, 0x0c, 0x00, 0x01, 0xff };
	static const char * const bad[] = {
		"", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "aa:bb:cc:dd:ee:",
		"aabb.ccdd.eeff", "aa-bb-cc-dd-ee-ff", "aaa:bb:cc:dd:ee:ff",
		"aa:bb:cc:dd:ee:fg", ":aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff ",
		"aa::cc:dd:ee:ff",
	};
	uint8_t ll[6], untouched[6];
	unsigned int i;

	ASSERT_EQ(0, teach_lladdr_pton("aa:bb:0c:00:01:ff", ll));
	EXPECT_EQ(0, memcmp(want, ll, 6));
	ASSERT_EQ(0, teach_lladdr_pton("AA:BB:c:0:1:FF", ll));
	EXPECT_EQ(0, memcmp(want, ll, 6));
	memset(untouched, 0x5a, sizeof(untouched));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(ll, untouched, 6);
		errno = 0;
		EXPECT_EQ(-1, teach_lladdr_pton(bad[i], ll))
			TH_LOG("accepted '%s'", bad[i]);
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(0, memcmp(untouched, ll, 6));
	}
	EXPECT_EQ(-1, teach_lladdr_pton(NULL, ll));
}

TEST(lladdr_format)
{
	static const uint8_t ll[6] = { 0x02, 0x00, 0x5e, 0x10, 0xab, 0xcd };
	char buf[TEACH_LLADDRSTRLEN];
	uint8_t back[6];

	EXPECT_STREQ("02:00:5e:10:ab:cd", teach_lladdr_ntop(ll, buf, sizeof(buf)));
	EXPECT_EQ(17U, strlen(buf));
	ASSERT_EQ(0, teach_lladdr_pton(buf, back));
	EXPECT_EQ(0, memcmp(ll, back, 6));
}

TEST_HARNESS_MAIN
