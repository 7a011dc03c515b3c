// SPDX-License-Identifier: GPL-2.0
/*
 * Raw sockets (SOCK_RAW, protocol 1) in a private network namespace:
 * bind and name rules, options, what a raw socket receives, TEACH_HDRINCL,
 * control errors delivered with TEACH_RECVERR, a bound device that
 * disappears, the connected socket's route cache following every change
 * of the table, and the path-MTU options.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "teach_test.h"

#define BUFSZ 2048

static struct teach_addr A(const char *s)
{
	struct teach_addr a;

	teach_pton(s, &a);
	return a;
}

static int sh(const char *cmd)
{
	return system(cmd);
}

FIXTURE(raw) {
	int fd;
};

FIXTURE_SETUP(raw)
{
	struct timeval tv = { .tv_sec = 3 };

	ASSERT_EQ(0, teach_test_load());
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, sh("ip link set lo up && ip link add dummy0 type dummy && "
			"ip link set dummy0 up && "
			"teach addr add 10.0.0.1/24 dev dummy0"));
	self->fd = teach_socket(SOCK_RAW, TEACHPROTO_CTRL);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, setsockopt(self->fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				sizeof(tv)));
}

FIXTURE_TEARDOWN(raw)
{
	close(self->fd);
}

/* An echo request with id/seq, checksummed. */
static size_t echo(uint8_t *buf, uint16_t id, size_t payload)
{
	struct teach_ctrlhdr *ch = (struct teach_ctrlhdr *)buf;

	memset(buf, 0, sizeof(*ch) + payload);
	ch->type = TEACH_CTRL_ECHO_REQUEST;
	ch->un.echo.id = htons(id);
	ch->un.echo.seq = htons(1);
	memset(buf + sizeof(*ch), 0x5a, payload);
	ch->check = teach_csum(buf, sizeof(*ch) + payload);
	return sizeof(*ch) + payload;
}

/* Receive until a control message of this type and id arrives. */
static ssize_t recv_ctrl(int fd, uint8_t *buf, uint8_t type, uint16_t id)
{
	for (;;) {
		ssize_t n = recv(fd, buf, BUFSZ, 0);
		const struct teachhdr *th = (const struct teachhdr *)buf;
		const struct teach_ctrlhdr *ch;

		if (n < 0)
			return n;
		ch = (const struct teach_ctrlhdr *)(buf + (th->ver_ihl & 0xf) * 4);
		if (ch->type == type && ch->un.echo.id == htons(id))
			return n;
	}
}

TEST_F(raw, bind_and_names)
{
	struct sockaddr_teach sa;
	socklen_t len = sizeof(sa);

	teach_sockaddr(&sa, A("10.0.0.77"), 0);
	EXPECT_EQ(-1, bind(self->fd, (struct sockaddr *)&sa, sizeof(sa)));
	EXPECT_EQ(EADDRNOTAVAIL, errno);
	EXPECT_EQ(-1, bind(self->fd, (struct sockaddr *)&sa, sizeof(sa) - 1));
	EXPECT_EQ(EINVAL, errno);
	sa.st_family = AF_INET;
	EXPECT_EQ(-1, bind(self->fd, (struct sockaddr *)&sa, sizeof(sa)));
	EXPECT_EQ(EAFNOSUPPORT, errno);

	teach_sockaddr(&sa, A("10.0.0.1"), 0);
	ASSERT_EQ(0, bind(self->fd, (struct sockaddr *)&sa, sizeof(sa)));
	memset(&sa, 0, sizeof(sa));
	ASSERT_EQ(0, getsockname(self->fd, (struct sockaddr *)&sa, &len));
	EXPECT_EQ(sizeof(sa), len);
	EXPECT_EQ(teach_family(), sa.st_family);
	EXPECT_EQ(A("10.0.0.1").s_addr, sa.st_addr.s_addr);
	EXPECT_EQ(-1, getpeername(self->fd, (struct sockaddr *)&sa, &len));
	EXPECT_EQ(ENOTCONN, errno);
}

TEST_F(raw, ttl_option)
{
	int v, def;
	socklen_t len = sizeof(v);

	ASSERT_EQ(0, getsockopt(self->fd, SOL_TEACH, TEACH_TTL, &def, &len));
	EXPECT_EQ(64, def);
	v = 0;
	EXPECT_EQ(-1, setsockopt(self->fd, SOL_TEACH, TEACH_TTL, &v, sizeof(v)));
	EXPECT_EQ(EINVAL, errno);
	v = 256;
	EXPECT_EQ(-1, setsockopt(self->fd, SOL_TEACH, TEACH_TTL, &v, sizeof(v)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setsockopt(self->fd, SOL_TEACH, TEACH_TTL, &v, 2));
	EXPECT_EQ(EINVAL, errno);
	v = 9;
	ASSERT_EQ(0, setsockopt(self->fd, SOL_TEACH, TEACH_TTL, &v, sizeof(v)));
	ASSERT_EQ(0, getsockopt(self->fd, SOL_TEACH, TEACH_TTL, &v, &len));
	EXPECT_EQ(9, v);
	EXPECT_EQ(-1, setsockopt(self->fd, SOL_TEACH, 999, &v, sizeof(v)));
	EXPECT_EQ(ENOPROTOOPT, errno);
}

TEST_F(raw, loopback_echo_seen_whole)
{
	uint8_t buf[BUFSZ], req[BUFSZ];
	const struct teachhdr *th = (const struct teachhdr *)buf;
	struct sockaddr_teach to, from;
	socklen_t flen = sizeof(from);
	int ttl = 17;
	size_t n;
	ssize_t r;

	ASSERT_EQ(0, setsockopt(self->fd, SOL_TEACH, TEACH_TTL, &ttl,
				sizeof(ttl)));
	n = echo(req, 0x4242, 100);
	teach_sockaddr(&to, A("127.0.0.1"), 0);
	ASSERT_EQ((ssize_t)n, sendto(self->fd, req, n, 0,
				     (struct sockaddr *)&to, sizeof(to)));
	r = recv_ctrl(self->fd, buf, TEACH_CTRL_ECHO_REPLY, 0x4242);
	ASSERT_EQ((ssize_t)(TEACH_HLEN + n), r);
	EXPECT_EQ(TEACH_VERSION << 4 | TEACH_MIN_IHL, th->ver_ihl);
	EXPECT_EQ(TEACH_HLEN + n, ntohs(th->tot_len));
	EXPECT_EQ(TEACHPROTO_CTRL, th->protocol);
	EXPECT_EQ(htonl(TEACH_ADDR_LOOPBACK), th->saddr);
	EXPECT_EQ(0, teach_csum(th, TEACH_HLEN));
	EXPECT_EQ(0, teach_csum(buf + TEACH_HLEN, n));
	EXPECT_EQ(0, memcmp(buf + TEACH_HLEN + 8, req + 8, n - 8));

	/* Unconnected, a destination is needed; and our own request, with
	 * our TTL, is delivered to us before its reply.
	 */
	EXPECT_EQ(-1, send(self->fd, req, n, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	ASSERT_EQ((ssize_t)n, sendto(self->fd, req, n, 0,
				     (struct sockaddr *)&to, sizeof(to)));
	r = recvfrom(self->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		     &flen);
	ASSERT_LT(0, r);
	EXPECT_EQ(17, th->ttl);
	EXPECT_EQ(htonl(TEACH_ADDR_LOOPBACK), from.st_addr.s_addr);
	EXPECT_EQ(teach_family(), from.st_family);
}

TEST_F(raw, trunc_and_bad_flags)
{
	uint8_t buf[BUFSZ], req[BUFSZ];
	struct sockaddr_teach to;
	size_t n = echo(req, 0x5151, 200);
	ssize_t r;

	teach_sockaddr(&to, A("127.0.0.1"), 0);
	EXPECT_EQ(-1, sendto(self->fd, req, n, MSG_OOB, (struct sockaddr *)&to,
			     sizeof(to)));
	EXPECT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ((ssize_t)n, sendto(self->fd, req, n, 0,
				     (struct sockaddr *)&to, sizeof(to)));
	/* MSG_TRUNC: the real length, however little was copied. */
	r = recv(self->fd, buf, 10, MSG_TRUNC);
	EXPECT_EQ((ssize_t)(TEACH_HLEN + n), r);
}

TEST_F(raw, hdrincl_header_is_ours_but_sums_are_filled)
{
	uint8_t pkt[BUFSZ], buf[BUFSZ];
	struct teachhdr *th = (struct teachhdr *)pkt;
	const struct teachhdr *got = (const struct teachhdr *)buf;
	struct sockaddr_teach to;
	int one = 1;
	size_t n;

	ASSERT_EQ(0, setsockopt(self->fd, SOL_TEACH, TEACH_HDRINCL, &one,
				sizeof(one)));
	memset(th, 0, sizeof(*th));
	th->ver_ihl = TEACH_VERSION << 4 | TEACH_MIN_IHL;
	th->ttl = 7;
	th->id = htons(0x1234);
	th->protocol = TEACHPROTO_CTRL;
	th->saddr = htonl(TEACH_ADDR_LOOPBACK);
	th->daddr = htonl(TEACH_ADDR_LOOPBACK);
	n = TEACH_HLEN + echo(pkt + TEACH_HLEN, 0x6161, 16);
	teach_sockaddr(&to, A("127.0.0.1"), 0);
	ASSERT_EQ((ssize_t)n, sendto(self->fd, pkt, n, 0,
				     (struct sockaddr *)&to, sizeof(to)));
	ASSERT_EQ((ssize_t)n, recv_ctrl(self->fd, buf, TEACH_CTRL_ECHO_REQUEST,
					0x6161));
	EXPECT_EQ(7, got->ttl);
	EXPECT_EQ(htons(0x1234), got->id);
	EXPECT_EQ(htons(n), got->tot_len);
	EXPECT_EQ(0, teach_csum(got, TEACH_HLEN));

	/* A header length beyond what was sent is refused. */
	th->ver_ihl = TEACH_VERSION << 4 | 15;
	EXPECT_EQ(-1, sendto(self->fd, pkt, TEACH_HLEN + 8, 0,
			     (struct sockaddr *)&to, sizeof(to)));
	EXPECT_EQ(EINVAL, errno);
}

/* Unresolvable peer: the host-unreachable error reaches the socket. */
static void unreachable(struct __test_metadata *_metadata, int fd, int recverr)
{
	uint8_t req[BUFSZ], buf[BUFSZ];
	struct sockaddr_teach to;
	size_t n = echo(req, 0x7171, 8);

	ASSERT_EQ(0, sh("echo 100 >/proc/sys/net/teach/neigh_retrans_ms && "
			"echo 1 >/proc/sys/net/teach/neigh_max_probes"));
	ASSERT_EQ(0, setsockopt(fd, SOL_TEACH, TEACH_RECVERR, &recverr,
				sizeof(recverr)));
	teach_sockaddr(&to, A("10.0.0.99"), 0);
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&to, sizeof(to)));
	ASSERT_EQ((ssize_t)n, send(fd, req, n, 0));
	EXPECT_EQ(-1, recv(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(recverr ? EHOSTUNREACH : EAGAIN, errno);
}

TEST_F(raw, recverr_delivers_host_unreachable)
{
	unreachable(_metadata, self->fd, 1);
}

TEST_F(raw, without_recverr_errors_stay_silent)
{
	unreachable(_metadata, self->fd, 0);
}

TEST_F(raw, bound_device_vanishes)
{
	uint8_t buf[BUFSZ];
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };

	ASSERT_EQ(0, setsockopt(self->fd, SOL_SOCKET, SO_BINDTODEVICE,
				"dummy0", 7));
	ASSERT_EQ(0, sh("ip link del dummy0"));
	ASSERT_EQ(1, poll(&pfd, 1, 3000));
	EXPECT_TRUE(pfd.revents & POLLERR);
	EXPECT_EQ(-1, recv(self->fd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(ENODEV, errno);
}

/*
 * A connected socket caches its route; every change of the table must be
 * seen by the very next send, whatever the cache holds.
 */
TEST_F(raw, cached_route_follows_table_changes)
{
	struct sockaddr_teach to;
	uint8_t req[64];
	size_t n = echo(req, 77, 8);

	teach_sockaddr(&to, A("10.2.0.5"), 0);
	ASSERT_EQ(0, connect(self->fd, (struct sockaddr *)&to, sizeof(to)));
	EXPECT_EQ(-1, send(self->fd, req, n, 0));
	EXPECT_EQ(ENETUNREACH, errno);

	ASSERT_EQ(0, sh("teach route add unreachable 10.2.0.0/24"));
	EXPECT_EQ(-1, send(self->fd, req, n, 0));
	EXPECT_EQ(EHOSTUNREACH, errno);
	ASSERT_EQ(0, sh("teach route replace prohibit 10.2.0.0/24"));
	EXPECT_EQ(-1, send(self->fd, req, n, 0));
	EXPECT_EQ(EACCES, errno);
	ASSERT_EQ(0, sh("teach route replace blackhole 10.2.0.0/24"));
	EXPECT_EQ(-1, send(self->fd, req, n, 0));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, sh("teach route replace 10.2.0.0/24 dev dummy0"));
	EXPECT_EQ((ssize_t)n, send(self->fd, req, n, 0));
	/* a more specific route wins at once */
	ASSERT_EQ(0, sh("teach route add unreachable 10.2.0.5/32"));
	EXPECT_EQ(-1, send(self->fd, req, n, 0));
	EXPECT_EQ(EHOSTUNREACH, errno);
	ASSERT_EQ(0, sh("teach route del 10.2.0.5/32"));
	EXPECT_EQ((ssize_t)n, send(self->fd, req, n, 0));
	/* the device going down, and its address going away */
	ASSERT_EQ(0, sh("ip link set dummy0 down"));
	EXPECT_EQ(-1, send(self->fd, req, n, 0));
	EXPECT_EQ(ENETDOWN, errno);
	ASSERT_EQ(0, sh("ip link set dummy0 up"));
	EXPECT_EQ((ssize_t)n, send(self->fd, req, n, 0));
	ASSERT_EQ(0, sh("teach addr del 10.0.0.1/24 dev dummy0"));
	EXPECT_EQ(-1, send(self->fd, req, n, 0));
	EXPECT_EQ(EADDRNOTAVAIL, errno);
}

TEST_F(raw, mtu_options)
{
	struct sockaddr_teach to;
	socklen_t len = sizeof(int);
	int v;

	ASSERT_EQ(0, getsockopt(self->fd, SOL_TEACH, TEACH_MTU_DISCOVER, &v,
				&len));
	EXPECT_EQ(TEACH_PMTUDISC_WANT, v);
	v = 3;
	EXPECT_EQ(-1, setsockopt(self->fd, SOL_TEACH, TEACH_MTU_DISCOVER, &v,
				 sizeof(v)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, getsockopt(self->fd, SOL_TEACH, TEACH_MTU, &v, &len));
	EXPECT_EQ(ENOTCONN, errno);

	teach_sockaddr(&to, A("10.0.0.2"), 0);
	ASSERT_EQ(0, connect(self->fd, (struct sockaddr *)&to, sizeof(to)));
	ASSERT_EQ(0, getsockopt(self->fd, SOL_TEACH, TEACH_MTU, &v, &len));
	EXPECT_EQ(1500, v);
	/* the cached route must not keep the old MTU */
	ASSERT_EQ(0, sh("ip link set dummy0 mtu 1280"));
	ASSERT_EQ(0, getsockopt(self->fd, SOL_TEACH, TEACH_MTU, &v, &len));
	EXPECT_EQ(1280, v);
}

TEST_F(raw, pmtudisc_do_refuses_what_does_not_fit)
{
	struct sockaddr_teach to;
	static uint8_t req[2000];
	size_t n = echo(req, 78, 1400);
	int v = TEACH_PMTUDISC_DO;

	ASSERT_EQ(0, sh("ip link set dummy0 mtu 1280"));
	teach_sockaddr(&to, A("10.0.0.2"), 0);
	ASSERT_EQ(0, connect(self->fd, (struct sockaddr *)&to, sizeof(to)));
	ASSERT_EQ(0, setsockopt(self->fd, SOL_TEACH, TEACH_MTU_DISCOVER, &v,
				sizeof(v)));
	EXPECT_EQ(-1, send(self->fd, req, n, 0));
	EXPECT_EQ(EMSGSIZE, errno);
	n = echo(req, 78, 1280 - 20 - 8);
	EXPECT_EQ((ssize_t)n, send(self->fd, req, n, 0));
}

TEST_HARNESS_MAIN
