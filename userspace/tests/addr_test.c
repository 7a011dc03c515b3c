// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of libteach's address handling.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "libteach.h"

static const char * const bad_addrs[] = {
	"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-4", " 1.2.3.4",
	"1.2.3.4 ", "01.2.3.4", "1..3.4", "1.2.3.4.", ".1.2.3", "a.b.c.d",
	"1.2.3.4/24", "0x1.2.3.4", "1.2.3.1000", "+1.2.3.4",
};

TEST(pton_accepts_dotted_quads)
{
	struct teach_addr a;

	ASSERT_EQ(0, teach_pton("10.0.0.1", &a));
	EXPECT_EQ(htonl(0x0a000001), a.s_addr);
	ASSERT_EQ(0, teach_pton("255.255.255.255", &a));
	EXPECT_EQ(0xffffffffU, a.s_addr);
	ASSERT_EQ(0, teach_pton("0.0.0.0", &a));
	EXPECT_EQ(0U, a.s_addr);
	ASSERT_EQ(0, teach_pton("127.0.0.1", &a));
	EXPECT_EQ(htonl(TEACH_ADDR_LOOPBACK), a.s_addr);
}

TEST(pton_rejects_malformed)
{
	struct teach_addr a;
	unsigned int i;

	for (i = 0; i < sizeof(bad_addrs) / sizeof(bad_addrs[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, teach_pton(bad_addrs[i], &a))
			TH_LOG("accepted '%s'", bad_addrs[i]);
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(-1, teach_pton(NULL, &a));
}

TEST(prefix_pton)
{
	static const char * const bad[] = {
		"1.2.3.4/33", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/024",
		"1.2.3.4/2a", "1.2.3/24", "1.2.3.4/100", "/24",
	};
	struct teach_addr a;
	unsigned int len, i;

	ASSERT_EQ(0, teach_prefix_pton("10.1.0.0/16", &a, &len));
	EXPECT_EQ(16U, len);
	EXPECT_EQ(htonl(0x0a010000), a.s_addr);
	ASSERT_EQ(0, teach_prefix_pton("10.1.2.3", &a, &len));
	EXPECT_EQ(32U, len);
	ASSERT_EQ(0, teach_prefix_pton("0.0.0.0/0", &a, &len));
	EXPECT_EQ(0U, len);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-1, teach_prefix_pton(bad[i], &a, &len))
			TH_LOG("accepted '%s'", bad[i]);
}

TEST(ntop_round_trip)
{
	char buf[TEACH_ADDRSTRLEN], text[TEACH_ADDRSTRLEN];
	struct teach_addr a, b;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		a.s_addr = htonl(i * 2654435761U);
		teach_ntop(a, buf, sizeof(buf));
		ASSERT_EQ(0, teach_pton(buf, &b));
		EXPECT_EQ(a.s_addr, b.s_addr);
	}
	a.s_addr = htonl(0xc0a80001);
	EXPECT_STREQ("192.168.0.1", teach_ntop(a, text, sizeof(text)));
}

TEST(prefix_mask)
{
	EXPECT_EQ(0U, teach_prefix_mask(0));
	EXPECT_EQ(htonl(0x80000000), teach_prefix_mask(1));
	EXPECT_EQ(htonl(0xffffff00), teach_prefix_mask(24));
	EXPECT_EQ(0xffffffffU, teach_prefix_mask(32));
}

TEST(sockaddr_pton)
{
	struct sockaddr_teach sa;

	setenv("TEACH_FAMILY", "12", 1);
	ASSERT_EQ(0, teach_sockaddr_pton("10.0.0.2:7", &sa));
	EXPECT_EQ(12, sa.st_family);
	EXPECT_EQ(htons(7), sa.st_port);
	EXPECT_EQ(htonl(0x0a000002), sa.st_addr.s_addr);
	ASSERT_EQ(0, teach_sockaddr_pton("10.0.0.2", &sa));
	EXPECT_EQ(0, sa.st_port);
	EXPECT_EQ(-1, teach_sockaddr_pton("10.0.0.2:", &sa));
	EXPECT_EQ(-1, teach_sockaddr_pton("10.0.0.2:65536", &sa));
	EXPECT_EQ(-1, teach_sockaddr_pton("10.0.0.2:-1", &sa));
	EXPECT_EQ(-1, teach_sockaddr_pton("10.0.0:80", &sa));
	EXPECT_EQ(16U, sizeof(struct sockaddr_teach));
}

TEST(family_falls_back_without_module)
{
	unsetenv("TEACH_FAMILY");
	if (access(TEACH_SYSFS_FAMILY, R_OK) == 0)
		SKIP(return, "the module is loaded on this host");
	EXPECT_EQ(AF_TEACH_DEFAULT, teach_family());
	setenv("TEACH_FAMILY", "13", 1);
	EXPECT_EQ(13, teach_family());
	unsetenv("TEACH_FAMILY");
}

TEST_HARNESS_MAIN
