// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of teach_csum(), the internet checksum.
 */
#include <string.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "libteach.h"

/* The straightforward definition, to compare against. */
static uint16_t ref_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		sum += i & 1 ? p[i] : (uint32_t)p[i] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return htons((uint16_t)~sum);
}

TEST(rfc1071_example)
{
	/* RFC 1071 section 3: the sum is 0xddf2, the checksum its complement. */
	static const uint8_t data[] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7,
	};
	uint16_t c = teach_csum(data, sizeof(data));
	const uint8_t *b = (const uint8_t *)&c;

	EXPECT_EQ(htons(0x220d), c);
	/* Network byte order, ready to store. */
	EXPECT_EQ(0x22, b[0]);
	EXPECT_EQ(0x0d, b[1]);
}

TEST(empty_and_zeros)
{
	static const uint8_t zeros[7];

	EXPECT_EQ(0xffff, teach_csum(zeros, 0));
	EXPECT_EQ(0xffff, teach_csum(zeros, sizeof(zeros)));
}

TEST(odd_length_pads_with_zero)
{
	static const uint8_t odd[] = { 0x01, 0x02, 0x03 };
	static const uint8_t even[] = { 0x01, 0x02, 0x03, 0x00 };

	/* 0x0102 + 0x0300 = 0x0402 */
	EXPECT_EQ(htons(0xfbfd), teach_csum(odd, sizeof(odd)));
	EXPECT_EQ(teach_csum(even, sizeof(even)), teach_csum(odd, sizeof(odd)));
	EXPECT_EQ(htons(0xfeff), teach_csum(odd, 1));
}

TEST(end_around_carry)
{
	static const uint8_t data[] = { 0xff, 0xff, 0x00, 0x01 };

	/* 0xffff + 0x0001 = 0x10000 -> 0x0001 -> checksum 0xfffe */
	EXPECT_EQ(htons(0xfffe), teach_csum(data, sizeof(data)));
}

TEST(ipv4_header_vector)
{
	/* A well-known IPv4 header; its check field 0xb861 makes the sum 0. */
	uint8_t hdr[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};
	uint16_t c = teach_csum(hdr, sizeof(hdr));

	EXPECT_EQ(htons(0xb861), c);
	memcpy(hdr + 10, &c, 2);
	EXPECT_EQ(0, teach_csum(hdr, sizeof(hdr)));
}

TEST(control_message_verifies_to_zero)
{
	uint8_t msg[8 + 57];
	struct teach_ctrlhdr *h = (struct teach_ctrlhdr *)msg;
	size_t i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 37 + 11);
	h->check = 0;
	h->check = teach_csum(msg, sizeof(msg));
	EXPECT_EQ(0, teach_csum(msg, sizeof(msg)));
	msg[20] ^= 0x40;
	EXPECT_NE(0, teach_csum(msg, sizeof(msg)));
}

TEST(matches_reference_on_many_lengths)
{
	static uint8_t buf[70000];
	size_t i, len;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 2654435761U >> 13);
	for (len = 0; len < 300; len++)
		ASSERT_EQ(ref_csum(buf, len), teach_csum(buf, len))
			TH_LOG("length %zu", len);
	/* Longer than 64 KiB: the sum must not overflow. */
	EXPECT_EQ(ref_csum(buf, sizeof(buf)), teach_csum(buf, sizeof(buf)));
	memset(buf, 0xff, sizeof(buf));
	EXPECT_EQ(ref_csum(buf, sizeof(buf)), teach_csum(buf, sizeof(buf)));
	/* Unaligned start. */
	EXPECT_EQ(ref_csum(buf + 1, 999), teach_csum(buf + 1, 999));
}

TEST_HARNESS_MAIN
