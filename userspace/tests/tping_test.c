// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of tping's packet and arithmetic helpers (tools/tping.h).
 */
#include <string.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "../tools/tping.h"

#define ID	0x1234

/* A network header in front of a control message, as the raw socket gives it. */
static size_t wrap(uint8_t *pkt, const void *ctrl, size_t len, uint8_t ttl,
		   uint8_t ihl)
{
	struct teachhdr *iph = (struct teachhdr *)pkt;
	size_t hlen = (size_t)ihl * 4;

	memset(pkt, 0, hlen);
	iph->ver_ihl = (uint8_t)(TEACH_VERSION << 4 | ihl);
	iph->tot_len = htons((uint16_t)(hlen + len));
	iph->ttl = ttl;
	iph->protocol = TEACHPROTO_CTRL;
	iph->saddr = htonl(0x0a000002);
	iph->daddr = htonl(0x0a000001);
	memcpy(pkt + hlen, ctrl, len);
	return hlen + len;
}

/* Turn an echo request into the reply a host would send. */
static void to_reply(uint8_t *msg, size_t len)
{
	struct teach_ctrlhdr *h = (struct teach_ctrlhdr *)msg;

	h->type = TEACH_CTRL_ECHO_REPLY;
	h->check = 0;
	h->check = teach_csum(msg, len);
}

/* An error message quoting the request's header and first 8 bytes. */
static size_t make_error(uint8_t *out, uint8_t type, uint8_t code,
			 uint32_t info, const uint8_t *req, size_t req_len)
{
	uint8_t ctrl[8 + TEACH_HLEN + 8];
	struct teach_ctrlhdr *h = (struct teach_ctrlhdr *)ctrl;
	uint8_t quoted[TEACH_HLEN + 64];

	memset(ctrl, 0, sizeof(ctrl));
	h->type = type;
	h->code = code;
	h->un.unused = htonl(info);
	wrap(quoted, req, req_len, 63, 5);
	memcpy(ctrl + 8, quoted, TEACH_HLEN + 8);
	h->check = teach_csum(ctrl, sizeof(ctrl));
	return wrap(out, ctrl, sizeof(ctrl), 64, 5);
}

TEST(echo_request_layout)
{
	struct timespec ts = { .tv_sec = 12, .tv_nsec = 345 };
	uint8_t msg[8 + 56];
	struct teach_ctrlhdr *h = (struct teach_ctrlhdr *)msg;
	size_t len;

	len = tping_build_echo(msg, 56, ID, 7, &ts);
	ASSERT_EQ(64U, len);
	EXPECT_EQ(TEACH_CTRL_ECHO_REQUEST, h->type);
	EXPECT_EQ(0, h->code);
	EXPECT_EQ(ID, ntohs(h->un.echo.id));
	EXPECT_EQ(7, ntohs(h->un.echo.seq));
	EXPECT_EQ(0, teach_csum(msg, len));
	EXPECT_EQ(0, memcmp(msg + 8, &ts, sizeof(ts)));
	EXPECT_EQ(16, msg[8 + 16]);
	EXPECT_EQ(55, msg[8 + 55]);
	EXPECT_EQ(-1, tping_check_data(msg + 8, 56));
}

TEST(echo_request_without_room_for_time)
{
	struct timespec ts = { 0 };
	uint8_t msg[8 + 5];

	ASSERT_EQ(13U, tping_build_echo(msg, 5, ID, 1, &ts));
	EXPECT_EQ(0, msg[8]);
	EXPECT_EQ(4, msg[12]);
	EXPECT_EQ(0, teach_csum(msg, sizeof(msg)));
	ASSERT_EQ(8U, tping_build_echo(msg, 0, ID, 1, &ts));
	EXPECT_EQ(0, teach_csum(msg, 8));
}

TEST(reply_matches_id)
{
	struct timespec ts = { .tv_sec = 1 };
	uint8_t msg[8 + 56], pkt[128];
	struct tping_pkt p;
	size_t len;

	tping_build_echo(msg, 56, ID, 3, &ts);
	to_reply(msg, sizeof(msg));
	len = wrap(pkt, msg, sizeof(msg), 61, 5);
	tping_parse(pkt, len, ID, &p);
	ASSERT_EQ(TPING_REPLY, p.kind);
	EXPECT_EQ(3, p.seq);
	EXPECT_EQ(61, p.ttl);
	EXPECT_EQ(64U, p.ctrl_len);
	EXPECT_EQ(56U, p.data_len);
	EXPECT_TRUE(p.csum_ok);
	EXPECT_EQ(htonl(0x0a000002), p.saddr);
	EXPECT_EQ(0, memcmp(p.data, &ts, sizeof(ts)));

	/* Someone else's ping. */
	tping_parse(pkt, len, ID + 1, &p);
	EXPECT_EQ(TPING_OTHER, p.kind);
}

TEST(reply_after_header_options)
{
	struct timespec ts = { 0 };
	uint8_t msg[8 + 56], pkt[160];
	struct tping_pkt p;
	size_t len;

	tping_build_echo(msg, 56, ID, 9, &ts);
	to_reply(msg, sizeof(msg));
	len = wrap(pkt, msg, sizeof(msg), 64, 8);
	tping_parse(pkt, len, ID, &p);
	ASSERT_EQ(TPING_REPLY, p.kind);
	EXPECT_EQ(9, p.seq);
	EXPECT_EQ(64U, p.ctrl_len);
}

TEST(reply_with_bad_checksum_or_data)
{
	struct timespec ts = { 0 };
	uint8_t msg[8 + 56], pkt[128];
	struct tping_pkt p;
	size_t len;

	tping_build_echo(msg, 56, ID, 1, &ts);
	to_reply(msg, sizeof(msg));
	len = wrap(pkt, msg, sizeof(msg), 64, 5);
	pkt[20 + 8 + 30] ^= 1;
	tping_parse(pkt, len, ID, &p);
	ASSERT_EQ(TPING_REPLY, p.kind);
	EXPECT_FALSE(p.csum_ok);
	EXPECT_EQ(30, tping_check_data(p.data, p.data_len));
}

TEST(requests_and_junk_are_ignored)
{
	struct timespec ts = { 0 };
	uint8_t msg[8 + 56], pkt[128];
	struct tping_pkt p;
	size_t len;

	/* Our own request, seen on the way in when pinging ourselves. */
	tping_build_echo(msg, 56, ID, 1, &ts);
	len = wrap(pkt, msg, sizeof(msg), 64, 5);
	tping_parse(pkt, len, ID, &p);
	EXPECT_EQ(TPING_OTHER, p.kind);

	to_reply(msg, sizeof(msg));
	len = wrap(pkt, msg, sizeof(msg), 64, 5);
	/* Too short for a control header. */
	tping_parse(pkt, 20 + 7, ID, &p);
	EXPECT_EQ(TPING_OTHER, p.kind);
	/* Not a network header. */
	pkt[0] = 0x45;
	tping_parse(pkt, len, ID, &p);
	EXPECT_EQ(TPING_OTHER, p.kind);
	/* Header length beyond the packet. */
	pkt[0] = TEACH_VERSION << 4 | 15;
	tping_parse(pkt, 40, ID, &p);
	EXPECT_EQ(TPING_OTHER, p.kind);
	/* Header length below the minimum. */
	pkt[0] = TEACH_VERSION << 4 | 4;
	tping_parse(pkt, len, ID, &p);
	EXPECT_EQ(TPING_OTHER, p.kind);
}

TEST(errors_match_the_quoted_request)
{
	struct timespec ts = { 0 };
	uint8_t req[8 + 56], pkt[128];
	struct tping_pkt p;
	char text[64];
	size_t len;

	tping_build_echo(req, 56, ID, 5, &ts);
	len = make_error(pkt, TEACH_CTRL_UNREACH, TEACH_UNREACH_HOST, 0,
			 req, sizeof(req));
	tping_parse(pkt, len, ID, &p);
	ASSERT_EQ(TPING_ERROR, p.kind);
	EXPECT_EQ(5, p.seq);
	EXPECT_TRUE(p.csum_ok);
	tping_error_text(&p, text, sizeof(text));
	EXPECT_STREQ("Destination Host Unreachable", text);

	tping_parse(pkt, len, ID + 1, &p);
	EXPECT_EQ(TPING_OTHER, p.kind);

	len = make_error(pkt, TEACH_CTRL_TIME_EXCEEDED, TEACH_TIMX_TTL, 0,
			 req, sizeof(req));
	tping_parse(pkt, len, ID, &p);
	ASSERT_EQ(TPING_ERROR, p.kind);
	tping_error_text(&p, text, sizeof(text));
	EXPECT_STREQ("Time to live exceeded", text);

	len = make_error(pkt, TEACH_CTRL_UNREACH, TEACH_UNREACH_FRAG, 1400,
			 req, sizeof(req));
	tping_parse(pkt, len, ID, &p);
	ASSERT_EQ(TPING_ERROR, p.kind);
	tping_error_text(&p, text, sizeof(text));
	EXPECT_STREQ("Frag needed and DF set (mtu = 1400)", text);

	len = make_error(pkt, TEACH_CTRL_PARAM_PROBLEM, 0, 9U << 24,
			 req, sizeof(req));
	tping_parse(pkt, len, ID, &p);
	ASSERT_EQ(TPING_ERROR, p.kind);
	tping_error_text(&p, text, sizeof(text));
	EXPECT_STREQ("Parameter problem: pointer = 9", text);

	/* An error about an error (or an echo reply) is not ours. */
	to_reply(req, sizeof(req));
	len = make_error(pkt, TEACH_CTRL_UNREACH, TEACH_UNREACH_HOST, 0,
			 req, sizeof(req));
	tping_parse(pkt, len, ID, &p);
	EXPECT_EQ(TPING_OTHER, p.kind);
	/* A quote cut short. */
	tping_build_echo(req, 56, ID, 5, &ts);
	len = make_error(pkt, TEACH_CTRL_UNREACH, TEACH_UNREACH_HOST, 0,
			 req, sizeof(req));
	tping_parse(pkt, len - 1, ID, &p);
	EXPECT_EQ(TPING_OTHER, p.kind);
}

TEST(error_texts)
{
	static const struct {
		uint8_t type, code;
		const char *text;
	} cases[] = {
		{ TEACH_CTRL_UNREACH, TEACH_UNREACH_NET, "Destination Net Unreachable" },
		{ TEACH_CTRL_UNREACH, TEACH_UNREACH_PROTO, "Destination Protocol Unreachable" },
		{ TEACH_CTRL_UNREACH, TEACH_UNREACH_PORT, "Destination Port Unreachable" },
		{ TEACH_CTRL_UNREACH, TEACH_UNREACH_ADMIN, "Communication administratively prohibited" },
		{ TEACH_CTRL_UNREACH, 7, "Dest Unreachable, Bad Code: 7" },
		{ TEACH_CTRL_TIME_EXCEEDED, TEACH_TIMX_REASM, "Frag reassembly time exceeded" },
		{ TEACH_CTRL_TIME_EXCEEDED, 5, "Time exceeded, Bad Code: 5" },
	};
	struct tping_pkt p = { 0 };
	char text[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		p.type = cases[i].type;
		p.code = cases[i].code;
		tping_error_text(&p, text, sizeof(text));
		EXPECT_STREQ(cases[i].text, text);
	}
}

TEST(mtu_discovery_hints)
{
	EXPECT_EQ(TEACH_PMTUDISC_DO, tping_pmtudisc_parse("do"));
	EXPECT_EQ(TEACH_PMTUDISC_WANT, tping_pmtudisc_parse("want"));
	EXPECT_EQ(TEACH_PMTUDISC_DONT, tping_pmtudisc_parse("dont"));
	/* ping(8)'s probe has no teach equivalent; no abbreviations, no case. */
	EXPECT_EQ(-1, tping_pmtudisc_parse("probe"));
	EXPECT_EQ(-1, tping_pmtudisc_parse("d"));
	EXPECT_EQ(-1, tping_pmtudisc_parse("DO"));
	EXPECT_EQ(-1, tping_pmtudisc_parse(""));
	EXPECT_EQ(-1, tping_pmtudisc_parse("don't"));
}

TEST(rtt_statistics)
{
	struct tping_rtt r = { 0 };

	EXPECT_EQ(0, tping_rtt_avg(&r));
	EXPECT_EQ(0, tping_rtt_mdev(&r));
	tping_rtt_add(&r, 100);
	tping_rtt_add(&r, 300);
	EXPECT_EQ(100, r.min);
	EXPECT_EQ(300, r.max);
	EXPECT_EQ(200, tping_rtt_avg(&r));
	EXPECT_EQ(100, tping_rtt_mdev(&r));
	tping_rtt_add(&r, 200);
	EXPECT_EQ(200, tping_rtt_avg(&r));
	/* sqrt((100^2 + 300^2 + 200^2) / 3 - 200^2) = sqrt(6666) */
	EXPECT_EQ(81, tping_rtt_mdev(&r));
}

TEST(integer_sqrt)
{
	long long i;

	EXPECT_EQ(0, tping_llsqrt(0));
	EXPECT_EQ(0, tping_llsqrt(-4));
	for (i = 1; i < 5000; i++) {
		long long s = tping_llsqrt(i);

		ASSERT_TRUE(s * s <= i && (s + 1) * (s + 1) > i)
			TH_LOG("sqrt(%lld) = %lld", i, s);
	}
	EXPECT_EQ(1000000, tping_llsqrt(1000000000000LL));
}

TEST(round_trip_format)
{
	static const struct {
		long long us;
		const char *text;
	} cases[] = {
		{ 0, "0.000" }, { 42, "0.042" }, { 999, "0.999" },
		{ 1000, "1.00" }, { 1234, "1.23" }, { 9994, "9.99" },
		{ 9995, "10.0" }, { 12345, "12.3" }, { 99949, "99.9" },
		{ 99950, "100" }, { 123456, "123" }, { 2000000, "2000" },
	};
	char buf[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		tping_format_ms(buf, sizeof(buf), cases[i].us);
		EXPECT_STREQ(cases[i].text, buf) TH_LOG("%lld us", cases[i].us);
	}
}

TEST_HARNESS_MAIN
