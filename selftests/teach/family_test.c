// SPDX-License-Identifier: GPL-2.0
/*
 * The family as userspace sees it: load on demand, the family number in
 * sysfs, and the errnos of socket() for types and protocols it refuses.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "teach_test.h"

TEST(socket_loads_module_on_demand)
{
	struct stat st;
	int fd;

	/* Only meaningful with the default family: that is the alias modprobe knows. */
	if (system("rmmod teach 2>/dev/null; true"))
		TH_LOG("rmmod failed");
	if (stat("/sys/module/teach", &st) == 0)
		SKIP(return, "teach is in use and cannot be unloaded");
	fd = socket(AF_TEACH_DEFAULT, SOCK_SEQPACKET, 0);
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(0, stat("/sys/module/teach", &st));
	EXPECT_EQ(AF_TEACH_DEFAULT, teach_family());
}

TEST(sysfs_family_is_readable_and_read_only)
{
	char buf[16] = "";
	int fd;

	ASSERT_EQ(0, teach_test_load());
	fd = open(TEACH_SYSFS_FAMILY, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	EXPECT_EQ(teach_family(), atoi(buf));
	EXPECT_EQ(-1, open(TEACH_SYSFS_FAMILY, O_WRONLY));
	EXPECT_EQ(EACCES, errno);
}

TEST(unsupported_types_get_esocktnosupport)
{
	static const int types[] = { SOCK_SEQPACKET, SOCK_RDM, SOCK_PACKET,
				     SOCK_DCCP, 7, 9 };
	unsigned int i;

	ASSERT_EQ(0, teach_test_load());
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, teach_socket(types[i], 0))
			TH_LOG("type %d", types[i]);
		EXPECT_EQ(ESOCKTNOSUPPORT, errno) TH_LOG("type %d", types[i]);
	}
}

TEST(bad_protocol_numbers_get_eprotonosupport)
{
	static const int protos[] = { -1, 256, 1000, 0x7fffffff };
	unsigned int i;

	ASSERT_EQ(0, teach_test_load());
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, teach_socket(SOCK_DGRAM, protos[i]));
		EXPECT_EQ(EPROTONOSUPPORT, errno) TH_LOG("proto %d", protos[i]);
	}
}

TEST(raw_protocol_zero_is_refused)
{
	ASSERT_EQ(0, teach_test_load());
	EXPECT_EQ(-1, teach_socket(SOCK_RAW, 0));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
}

TEST(raw_needs_cap_net_raw)
{
	int status;
	pid_t pid;

	ASSERT_EQ(0, teach_test_load());
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		fd = teach_socket(SOCK_RAW, TEACHPROTO_CTRL);
		_exit(fd < 0 && errno == EPERM ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(module_stays_while_a_socket_is_open)
{
	struct stat st;
	int fd, i;

	ASSERT_EQ(0, teach_test_load());
	fd = teach_socket(SOCK_RAW, TEACHPROTO_CTRL);
	ASSERT_LE(0, fd);
	/* rmmod must refuse (EBUSY) while the socket holds the module. */
	EXPECT_NE(0, system("rmmod teach 2>/dev/null"));
	EXPECT_EQ(0, stat("/sys/module/teach", &st));
	close(fd);
	/*
	 * The socket is freed after an RCU grace period, and the namespaces
	 * of the tests before die asynchronously; then it must go (within
	 * 10 s: grace periods are slow on a busy debug kernel).
	 */
	for (i = 0; i < 500 && system("rmmod teach 2>/dev/null"); i++)
		usleep(20000);
	EXPECT_NE(0, stat("/sys/module/teach", &st));
}

TEST_HARNESS_MAIN
