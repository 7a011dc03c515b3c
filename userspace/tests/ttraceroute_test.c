// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of ttraceroute's pure parts (tools/ttraceroute.h): what
 * an answer means for the trace, and the text of each probe.
 */
#include <string.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "../tools/ttraceroute.h"

#define ID	0x4321

static struct tping_pkt answer(int kind, uint8_t type, uint8_t code,
			       uint32_t info)
{
	struct tping_pkt p = {
		.kind = kind, .type = type, .code = code, .info = info,
	};

	return p;
}

TEST(echo_reply_is_the_destination)
{
	struct tping_pkt p = answer(TPING_REPLY, TEACH_CTRL_ECHO_REPLY, 0, 0);
	char note[TTR_NOTE_LEN] = "junk";

	EXPECT_EQ(TTR_REACHED, ttr_classify(&p, note, sizeof(note)));
	EXPECT_STREQ("", note);
}

TEST(time_exceeded_is_a_hop)
{
	struct tping_pkt p = answer(TPING_ERROR, TEACH_CTRL_TIME_EXCEEDED,
				    TEACH_TIMX_TTL, 0);
	char note[TTR_NOTE_LEN];

	EXPECT_EQ(TTR_HOP, ttr_classify(&p, note, sizeof(note)));
	EXPECT_STREQ("", note);
}

TEST(unreachable_marks_end_the_trace)
{
	static const struct {
		uint8_t code;
		uint32_t info;
		const char *note;
	} cases[] = {
		{ TEACH_UNREACH_NET, 0, "!N" },
		{ TEACH_UNREACH_HOST, 0, "!H" },
		{ TEACH_UNREACH_PROTO, 0, "!P" },
		{ TEACH_UNREACH_ADMIN, 0, "!X" },
		{ TEACH_UNREACH_FRAG, 576, "!F-576" },
		/* the MTU is the low half of the second word */
		{ TEACH_UNREACH_FRAG, 0xabcd0000U | 1400, "!F-1400" },
		{ TEACH_UNREACH_FRAG, 0, "!F" },
		{ 9, 0, "!<9>" },
	};
	char note[TTR_NOTE_LEN];
	struct tping_pkt p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		p = answer(TPING_ERROR, TEACH_CTRL_UNREACH, cases[i].code,
			   cases[i].info);
		EXPECT_EQ(TTR_FINAL, ttr_classify(&p, note, sizeof(note)))
			TH_LOG("code %u", cases[i].code);
		EXPECT_STREQ(cases[i].note, note);
	}
}

TEST(port_unreachable_is_the_destination)
{
	struct tping_pkt p = answer(TPING_ERROR, TEACH_CTRL_UNREACH,
				    TEACH_UNREACH_PORT, 0);
	char note[TTR_NOTE_LEN];

	EXPECT_EQ(TTR_REACHED, ttr_classify(&p, note, sizeof(note)));
	EXPECT_STREQ("", note);
}

TEST(other_answers_are_ignored)
{
	struct tping_pkt p = answer(TPING_OTHER, TEACH_CTRL_ECHO_REPLY, 0, 0);
	char note[TTR_NOTE_LEN];

	EXPECT_EQ(TTR_IGNORE, ttr_classify(&p, note, sizeof(note)));
	p = answer(TPING_ERROR, TEACH_CTRL_PARAM_PROBLEM, 0, 0);
	EXPECT_EQ(TTR_IGNORE, ttr_classify(&p, note, sizeof(note)));
}

/* A real packet through tping_parse(), then ttr_classify(). */
TEST(parsed_time_exceeded)
{
	struct timespec ts = { 0 };
	uint8_t req[8 + 56], pkt[20 + 8 + 20 + 8];
	struct teach_ctrlhdr *h = (struct teach_ctrlhdr *)(pkt + 20);
	struct teachhdr *iph = (struct teachhdr *)pkt, *q;
	char note[TTR_NOTE_LEN];
	struct tping_pkt p;

	tping_build_echo(req, 56, ID, 17, &ts);
	memset(pkt, 0, sizeof(pkt));
	iph->ver_ihl = TEACH_VERSION << 4 | 5;
	iph->protocol = TEACHPROTO_CTRL;
	iph->saddr = htonl(0x0a000102);
	h->type = TEACH_CTRL_TIME_EXCEEDED;
	q = (struct teachhdr *)(h + 1);
	q->ver_ihl = TEACH_VERSION << 4 | 5;
	q->protocol = TEACHPROTO_CTRL;
	memcpy(q + 1, req, 8);
	h->check = teach_csum(h, sizeof(pkt) - 20);
	tping_parse(pkt, sizeof(pkt), ID, &p);
	ASSERT_EQ(TPING_ERROR, p.kind);
	EXPECT_EQ(17, p.seq);
	EXPECT_EQ(htonl(0x0a000102), p.saddr);
	EXPECT_EQ(TTR_HOP, ttr_classify(&p, note, sizeof(note)));
}

static struct ttr_probe probe(const char *addr, long long us, const char *note)
{
	struct ttr_probe p = { .answered = 1, .us = us };
	struct teach_addr a;

	teach_pton(addr, &a);
	p.addr = a.s_addr;
	snprintf(p.note, sizeof(p.note), "%s", note);
	return p;
}

static void line(const struct ttr_probe *hop, unsigned int n, char *out,
		 size_t len)
{
	unsigned int i;
	size_t used = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		used += (size_t)ttr_format_probe(out + used, len - used, hop, i);
}

TEST(one_router_three_times)
{
	struct ttr_probe hop[3] = {
		probe("10.0.1.2", 512, ""),
		probe("10.0.1.2", 401, ""),
		probe("10.0.1.2", 12388, ""),
	};
	char out[128];

	line(hop, 3, out, sizeof(out));
	EXPECT_STREQ(" 10.0.1.2  0.512 ms  0.401 ms  12.388 ms", out);
}

TEST(timeouts_are_stars)
{
	struct ttr_probe hop[3] = { { 0 }, { 0 }, { 0 } };
	char out[128];

	line(hop, 3, out, sizeof(out));
	EXPECT_STREQ(" * * *", out);
}

TEST(address_again_after_a_timeout_only_when_it_changed)
{
	struct ttr_probe hop[3] = {
		probe("10.0.2.2", 1000, ""), { 0 }, probe("10.0.2.2", 2000, ""),
	};
	char out[128];

	line(hop, 3, out, sizeof(out));
	EXPECT_STREQ(" 10.0.2.2  1.000 ms *  2.000 ms", out);

	hop[0].answered = 0;
	line(hop, 3, out, sizeof(out));
	EXPECT_STREQ(" * * 10.0.2.2  2.000 ms", out);
}

TEST(a_second_router_in_one_hop)
{
	struct ttr_probe hop[3] = {
		probe("10.0.2.2", 700, ""),
		probe("10.0.5.2", 800, ""),
		probe("10.0.5.2", 900, ""),
	};
	char out[128];

	line(hop, 3, out, sizeof(out));
	EXPECT_STREQ(" 10.0.2.2  0.700 ms 10.0.5.2  0.800 ms  0.900 ms", out);
}

TEST(notes_follow_the_time)
{
	struct ttr_probe hop[2] = {
		probe("10.0.1.2", 330, "!H"), probe("10.0.1.2", 5000001, "!F-576"),
	};
	char out[128];

	line(hop, 2, out, sizeof(out));
	EXPECT_STREQ(" 10.0.1.2  0.330 ms !H  5000.001 ms !F-576", out);
}

TEST_HARNESS_MAIN
