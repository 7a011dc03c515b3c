// SPDX-License-Identifier: GPL-2.0
/*
 * Datagram sockets (SOCK_DGRAM) in a private network namespace: an errno
 * matrix of every call with bad arguments; sending and receiving over
 * loopback with names, MSG_PEEK and MSG_TRUNC, the largest datagram;
 * receive-buffer overflow counted with nothing delivered corrupted;
 * SIOCINQ/SIOCOUTQ, poll, timeouts, shutdown; port unreachable turning
 * into ECONNREFUSED and MSG_ERRQUEUE; the bind rules (REUSEADDR,
 * TEACH_REUSEPORT, devices, privileged ports), the ephemeral range and
 * its exhaustion; 100,000 bound sockets; concurrent senders; the wire
 * format seen through a raw socket; /proc/net/teach/dgram.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/errqueue.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "teach_test.h"

#define SRV_PORT	5000
#define BIG		(TEACH_DGRAM_MAX + 1)

static struct teach_addr A(const char *s)
{
	struct teach_addr a;

	teach_pton(s, &a);
	return a;
}

static socklen_t SA(struct sockaddr_teach *sa, const char *addr, int port)
{
	return teach_sockaddr(sa, A(addr), port);
}

/* A datagram socket with a 3 s receive timeout. */
static int dsock(void)
{
	struct timeval tv = { .tv_sec = 3 };
	int fd = teach_socket(SOCK_DGRAM, 0);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static int bind_to(int fd, const char *addr, int port)
{
	struct sockaddr_teach sa;
	socklen_t len = SA(&sa, addr, port);

	return bind(fd, (struct sockaddr *)&sa, len);
}

static int connect_to(int fd, const char *addr, int port)
{
	struct sockaddr_teach sa;
	socklen_t len = SA(&sa, addr, port);

	return connect(fd, (struct sockaddr *)&sa, len);
}

static ssize_t send_to(int fd, const void *buf, size_t n, const char *addr,
		       int port)
{
	struct sockaddr_teach sa;
	socklen_t len = SA(&sa, addr, port);

	return sendto(fd, buf, n, 0, (struct sockaddr *)&sa, len);
}

static int local_port(int fd)
{
	struct sockaddr_teach sa;
	socklen_t len = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &len))
		return -1;
	return ntohs(sa.st_port);
}

static int setint(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

/* A counter of /proc/net/teach/snmp, -1 when it is not there. */
static long long mib(const char *name)
{
	char line[128], key[64];
	long long v, found = -1;
	FILE *f = fopen("/proc/net/teach/snmp", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &v) == 2 && !strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

static int sh(const char *cmd)
{
	return system(cmd);
}

static int write_sysctl(const char *name, const char *val)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), "/proc/sys/net/teach/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* Payload i of a run: its index and a pattern derived from it. */
static void fill(uint8_t *buf, size_t n, uint32_t i)
{
	size_t k;

	memcpy(buf, &i, sizeof(i));
	for (k = sizeof(i); k < n; k++)
		buf[k] = (uint8_t)(i * 31 + k * 7);
}

static int intact(const uint8_t *buf, size_t n, uint32_t *idx)
{
	size_t k;
	uint32_t i;

	if (n < sizeof(i))
		return 0;
	memcpy(&i, buf, sizeof(i));
	for (k = sizeof(i); k < n; k++)
		if (buf[k] != (uint8_t)(i * 31 + k * 7))
			return 0;
	if (idx)
		*idx = i;
	return 1;
}

FIXTURE(dgram) {
	int srv;
};

FIXTURE_SETUP(dgram)
{
	ASSERT_EQ(0, teach_test_load());
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, sh("ip link set lo up && ip link add dummy0 type dummy && "
			"ip link set dummy0 up && "
			"teach addr add 10.0.0.1/24 dev dummy0 && "
			"teach addr add 10.0.1.1/24 dev dummy0"));
	/* control errors back at once, whatever the test before did */
	ASSERT_EQ(0, write_sysctl("ctrl_rate", "0"));
	self->srv = dsock();
	ASSERT_LE(0, self->srv);
	ASSERT_EQ(0, bind_to(self->srv, "10.0.0.1", SRV_PORT));
}

FIXTURE_TEARDOWN(dgram)
{
	close(self->srv);
}

/* ---- the errno matrix ---- */

enum op {
	OP_BIND, OP_CONNECT, OP_SENDTO, OP_SEND, OP_SENDMSG_CTRL, OP_RECV,
	OP_GETPEERNAME, OP_SETSOCKOPT, OP_GETSOCKOPT, OP_LISTEN, OP_ACCEPT,
	OP_SHUTDOWN, OP_IOCTL,
};

enum addr {
	AD_GOOD,	/* 10.0.0.1:6000 */
	AD_SHORT,	/* one byte short */
	AD_HUGE,	/* longer than struct sockaddr_storage */
	AD_NEGATIVE,	/* length -1 */
	AD_NULL,	/* NULL pointer, full length */
	AD_INET,	/* AF_INET */
	AD_UNSPEC,	/* AF_UNSPEC */
	AD_PORT0,	/* port 0 */
	AD_ANY,		/* 0.0.0.0, port 0 */
	AD_ANY_PORT,	/* 0.0.0.0:6000 */
	AD_FOREIGN,	/* 10.0.0.77: on the segment, not ours */
	AD_UNROUTED,	/* 192.168.77.1: no route */
	AD_BCAST,	/* 10.0.0.255 */
};

enum state { ST_FRESH, ST_BOUND, ST_CONNECTED, ST_CLOSED };

struct errcase {
	const char *name;
	enum state st;
	enum op op;
	enum addr ad;
	int flags;	/* send/recv flags; level for sockopts; how */
	int opt;	/* option, ioctl, or length for sends */
	int val;	/* option value; -999: NULL optval */
	int optlen;
	int port;	/* of the address; 0: 6000 */
	int err;	/* expected errno, 0 for success */
};

static const struct errcase errcases[] = {
	{ "bind short sockaddr", ST_FRESH, OP_BIND, AD_SHORT, .err = EINVAL },
	{ "bind oversized sockaddr", ST_FRESH, OP_BIND, AD_HUGE, .err = EINVAL },
	{ "bind negative length", ST_FRESH, OP_BIND, AD_NEGATIVE, .err = EINVAL },
	{ "bind NULL sockaddr", ST_FRESH, OP_BIND, AD_NULL, .err = EFAULT },
	{ "bind AF_INET", ST_FRESH, OP_BIND, AD_INET, .err = EAFNOSUPPORT },
	{ "bind address not ours", ST_FRESH, OP_BIND, AD_FOREIGN, .err = EADDRNOTAVAIL },
	{ "bind twice", ST_BOUND, OP_BIND, AD_GOOD, .err = EINVAL },
	{ "bind after connect", ST_CONNECTED, OP_BIND, AD_GOOD, .err = EINVAL },
	{ "bind closed socket", ST_CLOSED, OP_BIND, AD_GOOD, .err = EBADF },
	{ "bind in use", ST_FRESH, OP_BIND, AD_GOOD, .port = SRV_PORT, .err = EADDRINUSE },
	{ "bind any, port 0", ST_FRESH, OP_BIND, AD_ANY, .err = 0 },
	{ "bind broadcast", ST_FRESH, OP_BIND, AD_BCAST, .err = 0 },
	{ "connect short sockaddr", ST_FRESH, OP_CONNECT, AD_SHORT, .err = EINVAL },
	{ "connect oversized sockaddr", ST_FRESH, OP_CONNECT, AD_HUGE, .err = EINVAL },
	{ "connect NULL sockaddr", ST_FRESH, OP_CONNECT, AD_NULL, .err = EFAULT },
	{ "connect AF_INET", ST_FRESH, OP_CONNECT, AD_INET, .err = EAFNOSUPPORT },
	{ "connect port 0", ST_FRESH, OP_CONNECT, AD_PORT0, .err = EINVAL },
	{ "connect 0.0.0.0", ST_FRESH, OP_CONNECT, AD_ANY_PORT, .err = EINVAL },
	{ "connect no route", ST_FRESH, OP_CONNECT, AD_UNROUTED, .err = ENETUNREACH },
	{ "connect broadcast without SO_BROADCAST", ST_FRESH, OP_CONNECT, AD_BCAST, .err = EACCES },
	{ "connect AF_UNSPEC unconnected", ST_FRESH, OP_CONNECT, AD_UNSPEC, .err = 0 },
	{ "connect AF_UNSPEC connected", ST_CONNECTED, OP_CONNECT, AD_UNSPEC, .err = 0 },
	{ "connect closed socket", ST_CLOSED, OP_CONNECT, AD_GOOD, .err = EBADF },
	{ "sendto short sockaddr", ST_FRESH, OP_SENDTO, AD_SHORT, .opt = 10, .err = EINVAL },
	{ "sendto oversized sockaddr", ST_FRESH, OP_SENDTO, AD_HUGE, .opt = 10, .err = EINVAL },
	/* as for UDP: sendto() ignores a NULL address whatever its length */
	{ "sendto NULL sockaddr", ST_FRESH, OP_SENDTO, AD_NULL, .opt = 10, .err = EDESTADDRREQ },
	{ "sendto AF_INET", ST_FRESH, OP_SENDTO, AD_INET, .opt = 10, .err = EAFNOSUPPORT },
	{ "sendto port 0", ST_FRESH, OP_SENDTO, AD_PORT0, .opt = 10, .err = EINVAL },
	{ "sendto 0.0.0.0", ST_FRESH, OP_SENDTO, AD_ANY_PORT, .opt = 10, .err = EINVAL },
	{ "sendto no route", ST_FRESH, OP_SENDTO, AD_UNROUTED, .opt = 10, .err = ENETUNREACH },
	{ "sendto broadcast without SO_BROADCAST", ST_FRESH, OP_SENDTO, AD_BCAST, .opt = 10, .err = EACCES },
	{ "sendto MSG_OOB", ST_FRESH, OP_SENDTO, AD_GOOD, MSG_OOB, 10, .err = EOPNOTSUPP },
	{ "sendto MSG_MORE", ST_FRESH, OP_SENDTO, AD_GOOD, MSG_MORE, 10, .err = EOPNOTSUPP },
	{ "sendto 65,508 bytes", ST_FRESH, OP_SENDTO, AD_GOOD, .opt = BIG, .err = EMSGSIZE },
	{ "sendto NULL buffer", ST_FRESH, OP_SENDTO, AD_GOOD, .opt = -10, .err = EFAULT },
	{ "send unconnected", ST_FRESH, OP_SEND, AD_GOOD, .opt = 10, .err = EDESTADDRREQ },
	{ "send closed socket", ST_CLOSED, OP_SEND, AD_GOOD, .opt = 10, .err = EBADF },
	{ "sendmsg with control data", ST_CONNECTED, OP_SENDMSG_CTRL, AD_GOOD, .err = EINVAL },
	{ "recv MSG_OOB", ST_BOUND, OP_RECV, AD_GOOD, MSG_OOB, .err = EOPNOTSUPP },
	{ "recv nothing queued, MSG_DONTWAIT", ST_BOUND, OP_RECV, AD_GOOD, MSG_DONTWAIT, .err = EAGAIN },
	{ "recv MSG_ERRQUEUE, nothing queued", ST_BOUND, OP_RECV, AD_GOOD, MSG_ERRQUEUE, .err = EAGAIN },
	{ "recv closed socket", ST_CLOSED, OP_RECV, AD_GOOD, MSG_DONTWAIT, .err = EBADF },
	{ "getpeername unconnected", ST_BOUND, OP_GETPEERNAME, AD_GOOD, .err = ENOTCONN },
	{ "setsockopt unknown SOL_TEACH option", ST_FRESH, OP_SETSOCKOPT, .flags = SOL_TEACH, .opt = 999, .val = 1, .optlen = 4, .err = ENOPROTOOPT },
	{ "setsockopt unknown level", ST_FRESH, OP_SETSOCKOPT, .flags = 4242, .opt = 1, .val = 1, .optlen = 4, .err = ENOPROTOOPT },
	{ "setsockopt TEACH_TTL short optlen", ST_FRESH, OP_SETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_TTL, .val = 1, .optlen = 2, .err = EINVAL },
	{ "setsockopt TEACH_TTL 0", ST_FRESH, OP_SETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_TTL, .val = 0, .optlen = 4, .err = EINVAL },
	{ "setsockopt TEACH_TTL 256", ST_FRESH, OP_SETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_TTL, .val = 256, .optlen = 4, .err = EINVAL },
	{ "setsockopt TEACH_TOS 256", ST_FRESH, OP_SETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_TOS, .val = 256, .optlen = 4, .err = EINVAL },
	{ "setsockopt TEACH_MTU_DISCOVER 3", ST_FRESH, OP_SETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_MTU_DISCOVER, .val = 3, .optlen = 4, .err = EINVAL },
	{ "setsockopt TEACH_MTU (read only)", ST_CONNECTED, OP_SETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_MTU, .val = 1000, .optlen = 4, .err = ENOPROTOOPT },
	{ "setsockopt NULL optval", ST_FRESH, OP_SETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_TTL, .val = -999, .optlen = 4, .err = EFAULT },
	{ "setsockopt SO_REUSEPORT (inet only on 6.1)", ST_FRESH, OP_SETSOCKOPT, .flags = SOL_SOCKET, .opt = SO_REUSEPORT, .val = 1, .optlen = 4, .err = EOPNOTSUPP },
	{ "setsockopt TEACH_REUSEPORT", ST_FRESH, OP_SETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_REUSEPORT, .val = 1, .optlen = 4, .err = 0 },
	{ "getsockopt unknown SOL_TEACH option", ST_FRESH, OP_GETSOCKOPT, .flags = SOL_TEACH, .opt = 999, .optlen = 4, .err = ENOPROTOOPT },
	{ "getsockopt negative optlen", ST_FRESH, OP_GETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_TTL, .optlen = -1, .err = EINVAL },
	{ "getsockopt TEACH_MTU unconnected", ST_BOUND, OP_GETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_MTU, .optlen = 4, .err = ENOTCONN },
	{ "getsockopt TEACH_MTU connected", ST_CONNECTED, OP_GETSOCKOPT, .flags = SOL_TEACH, .opt = TEACH_MTU, .optlen = 4, .err = 0 },
	{ "listen", ST_BOUND, OP_LISTEN, .err = EOPNOTSUPP },
	{ "accept", ST_BOUND, OP_ACCEPT, .err = EOPNOTSUPP },
	{ "shutdown how 3", ST_CONNECTED, OP_SHUTDOWN, .flags = 3, .err = EINVAL },
	{ "shutdown how -1", ST_CONNECTED, OP_SHUTDOWN, .flags = -1, .err = EINVAL },
	{ "shutdown unconnected", ST_BOUND, OP_SHUTDOWN, .flags = SHUT_RDWR, .err = ENOTCONN },
	{ "shutdown connected", ST_CONNECTED, OP_SHUTDOWN, .flags = SHUT_WR, .err = 0 },
	{ "ioctl unknown", ST_FRESH, OP_IOCTL, .opt = 0x1234, .err = ENOTTY },
	{ "ioctl SIOCINQ NULL", ST_FRESH, OP_IOCTL, .opt = SIOCINQ, .val = -999, .err = EFAULT },
};

static int errcase_run(const struct errcase *c)
{
	struct sockaddr_storage ss;
	struct sockaddr_teach *sa = (struct sockaddr_teach *)&ss;
	struct sockaddr *name = (struct sockaddr *)&ss;
	static char buf[BIG];
	socklen_t len = SA(sa, "10.0.0.1", c->port ? c->port : 6000);
	int fd, ret, v = c->val;

	memset((char *)&ss + len, 0, sizeof(ss) - len);
	fd = dsock();
	if (fd < 0)
		return -2;
	switch (c->st) {
	case ST_BOUND:
		if (bind_to(fd, "10.0.0.1", 0))
			return -2;
		break;
	case ST_CONNECTED:
		if (connect_to(fd, "10.0.0.1", SRV_PORT))
			return -2;
		break;
	case ST_CLOSED:
		close(fd);
		break;
	default:
		break;
	}
	switch (c->ad) {
	case AD_SHORT:
		len--;
		break;
	case AD_HUGE:
		len = sizeof(ss) + 1;
		break;
	case AD_NEGATIVE:
		len = (socklen_t)-1;
		break;
	case AD_NULL:
		name = NULL;
		break;
	case AD_INET:
		sa->st_family = AF_INET;
		break;
	case AD_UNSPEC:
		sa->st_family = AF_UNSPEC;
		break;
	case AD_PORT0:
		sa->st_port = 0;
		break;
	case AD_ANY:
		SA(sa, "0.0.0.0", 0);
		break;
	case AD_ANY_PORT:
		SA(sa, "0.0.0.0", 6000);
		break;
	case AD_FOREIGN:
		SA(sa, "10.0.0.77", 6000);
		break;
	case AD_UNROUTED:
		SA(sa, "192.168.77.1", 6000);
		break;
	case AD_BCAST:
		SA(sa, "10.0.0.255", 6000);
		break;
	default:
		break;
	}

	errno = 0;
	switch (c->op) {
	case OP_BIND:
		ret = bind(fd, name, len);
		break;
	case OP_CONNECT:
		ret = connect(fd, name, len);
		break;
	case OP_SENDTO:
		ret = sendto(fd, c->opt < 0 ? NULL : buf, abs(c->opt), c->flags,
			     name, len);
		break;
	case OP_SEND:
		ret = send(fd, buf, c->opt, c->flags);
		break;
	case OP_SENDMSG_CTRL: {
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
		struct iovec iov = { buf, 10 };
		struct msghdr m = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

		cm->cmsg_level = SOL_TEACH;
		cm->cmsg_type = TEACH_TTL;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		ret = sendmsg(fd, &m, 0);
		break;
	}
	case OP_RECV:
		ret = recv(fd, buf, 100, c->flags);
		break;
	case OP_GETPEERNAME:
		len = sizeof(ss);
		ret = getpeername(fd, name, &len);
		break;
	case OP_SETSOCKOPT:
		ret = setsockopt(fd, c->flags, c->opt, v == -999 ? NULL : &v,
				 c->optlen);
		break;
	case OP_GETSOCKOPT: {
		socklen_t ol = c->optlen;

		ret = getsockopt(fd, c->flags, c->opt, &v, &ol);
		break;
	}
	case OP_LISTEN:
		ret = listen(fd, 1);
		break;
	case OP_ACCEPT:
		ret = accept(fd, NULL, NULL);
		break;
	case OP_SHUTDOWN:
		ret = shutdown(fd, c->flags);
		break;
	case OP_IOCTL:
		ret = ioctl(fd, c->opt, v == -999 ? NULL : &v);
		break;
	default:
		ret = -2;
	}
	if (c->st != ST_CLOSED)
		close(fd);
	if (ret == -2)
		return -2;
	return ret < 0 ? errno : 0;
}

TEST_F(dgram, errno_matrix)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errcases); i++) {
		const struct errcase *c = &errcases[i];
		int got = errcase_run(c);

		EXPECT_EQ(c->err, got)
			TH_LOG("%s: expected %s, got %s", c->name,
			       c->err ? strerror(c->err) : "success",
			       got == -2 ? "setup failure" :
			       got ? strerror(got) : "success");
	}
}

TEST(socket_errors)
{
	ASSERT_EQ(0, teach_test_load());
	EXPECT_EQ(-1, teach_socket(SOCK_DGRAM, TEACHPROTO_STREAM));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
	EXPECT_EQ(-1, teach_socket(SOCK_DGRAM, 256));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
	EXPECT_EQ(-1, teach_socket(SOCK_SEQPACKET, 0));
	EXPECT_EQ(ESOCKTNOSUPPORT, errno);
	int fd = teach_socket(SOCK_DGRAM, TEACHPROTO_DGRAM);

	ASSERT_LE(0, fd);
	close(fd);
}

/* ---- sending and receiving ---- */

TEST_F(dgram, send_recv_names_autobind)
{
	struct sockaddr_teach from, me;
	socklen_t flen = sizeof(from), mlen = sizeof(me);
	char buf[64];
	int c = dsock(), port;

	ASSERT_LE(0, c);
	EXPECT_EQ(0, local_port(c));
	ASSERT_EQ(5, send_to(c, "hello", 5, "10.0.0.1", SRV_PORT));
	/* the first send bound the socket to an ephemeral port */
	port = local_port(c);
	EXPECT_LE(32768, port);
	EXPECT_GE(60999, port);
	ASSERT_EQ(5, recvfrom(self->srv, buf, sizeof(buf), 0,
			      (struct sockaddr *)&from, &flen));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(sizeof(from), flen);
	EXPECT_EQ(teach_family(), from.st_family);
	EXPECT_EQ(A("10.0.0.1").s_addr, from.st_addr.s_addr);
	EXPECT_EQ(port, ntohs(from.st_port));
	ASSERT_EQ(0, getsockname(self->srv, (struct sockaddr *)&me, &mlen));
	EXPECT_EQ(SRV_PORT, ntohs(me.st_port));
	EXPECT_EQ(A("10.0.0.1").s_addr, me.st_addr.s_addr);

	/* an empty datagram is a datagram */
	ASSERT_EQ(0, sendto(self->srv, "", 0, 0, (struct sockaddr *)&from, flen));
	EXPECT_EQ(0, recv(c, buf, sizeof(buf), 0));
	close(c);
}

TEST_F(dgram, peek_and_trunc)
{
	char buf[16];
	struct iovec iov = { buf, 4 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int c = dsock();

	ASSERT_LE(0, c);
	ASSERT_EQ(10, send_to(c, "0123456789", 10, "10.0.0.1", SRV_PORT));
	ASSERT_EQ(2, send_to(c, "ab", 2, "10.0.0.1", SRV_PORT));
	/* peeking leaves it there */
	EXPECT_EQ(10, recv(self->srv, buf, sizeof(buf), MSG_PEEK));
	EXPECT_EQ(4, recv(self->srv, buf, 4, MSG_PEEK));
	/* MSG_TRUNC says how long it was; the rest is gone */
	EXPECT_EQ(10, recvmsg(self->srv, &m, MSG_TRUNC));
	EXPECT_TRUE(m.msg_flags & MSG_TRUNC);
	EXPECT_EQ(0, memcmp(buf, "0123", 4));
	m.msg_flags = 0;
	EXPECT_EQ(2, recvmsg(self->srv, &m, 0));
	EXPECT_FALSE(m.msg_flags & MSG_TRUNC);
	EXPECT_EQ(0, memcmp(buf, "ab", 2));
	EXPECT_EQ(-1, recv(self->srv, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	close(c);
}

TEST_F(dgram, largest_datagram)
{
	static uint8_t out[BIG], in[BIG];
	int c = dsock(), big = 1 << 20;

	ASSERT_LE(0, c);
	ASSERT_EQ(0, setint(self->srv, SOL_SOCKET, SO_RCVBUF, big));
	ASSERT_EQ(0, setint(c, SOL_SOCKET, SO_SNDBUF, big));
	fill(out, TEACH_DGRAM_MAX, 65507);
	/* loopback's MTU (65536) takes the largest packet whole */
	ASSERT_EQ(TEACH_DGRAM_MAX, send_to(c, out, TEACH_DGRAM_MAX,
					   "10.0.0.1", SRV_PORT));
	ASSERT_EQ(TEACH_DGRAM_MAX, recv(self->srv, in, sizeof(in), 0));
	EXPECT_EQ(0, memcmp(in, out, TEACH_DGRAM_MAX));
	EXPECT_EQ(-1, send_to(c, out, TEACH_DGRAM_MAX + 1, "10.0.0.1", SRV_PORT));
	EXPECT_EQ(EMSGSIZE, errno);
	close(c);
}

/* The receive buffer overflows: drops are counted, nothing is mangled. */
TEST_F(dgram, rcvbuf_overflow)
{
	const int n = 300, size = 1000;
	long long errs0 = mib("DgramRcvbufErrors"), in0 = mib("DgramInDatagrams");
	uint8_t buf[2048];
	int c = dsock(), i, got = 0, dropped;
	uint32_t idx, last = 0;

	ASSERT_LE(0, c);
	ASSERT_EQ(0, setint(self->srv, SOL_SOCKET, SO_RCVBUF, 8192));
	for (i = 0; i < n; i++) {
		fill(buf, size, i);
		ASSERT_EQ(size, send_to(c, buf, size, "10.0.0.1", SRV_PORT));
	}
	while (recv(self->srv, buf, sizeof(buf), MSG_DONTWAIT) == size) {
		ASSERT_TRUE(intact(buf, size, &idx));
		/* in order, without repeats */
		if (got)
			EXPECT_LT(last, idx);
		last = idx;
		got++;
	}
	dropped = mib("DgramRcvbufErrors") - errs0;
	EXPECT_LT(0, got);
	EXPECT_LT(0, dropped);
	EXPECT_EQ(n, got + dropped);
	EXPECT_EQ(got, mib("DgramInDatagrams") - in0);
	close(c);
}

TEST_F(dgram, siocinq_siocoutq)
{
	int c = dsock(), v = -1, i;
	char buf[200] = { 0 };

	ASSERT_LE(0, c);
	ASSERT_EQ(0, ioctl(self->srv, SIOCINQ, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(100, send_to(c, buf, 100, "10.0.0.1", SRV_PORT));
	ASSERT_EQ(50, send_to(c, buf, 50, "10.0.0.1", SRV_PORT));
	usleep(100000);
	/* the next datagram's payload, as UDP */
	ASSERT_EQ(0, ioctl(self->srv, SIOCINQ, &v));
	EXPECT_EQ(100, v);
	ASSERT_EQ(100, recv(self->srv, buf, sizeof(buf), 0));
	ASSERT_EQ(0, ioctl(self->srv, SIOCINQ, &v));
	EXPECT_EQ(50, v);

	/* Sent but held waiting for a neighbour that never answers: SIOCOUTQ */
	ASSERT_EQ(0, write_sysctl("neigh_retrans_ms", "200"));
	ASSERT_EQ(0, write_sysctl("neigh_max_probes", "1"));
	ASSERT_EQ(0, ioctl(c, SIOCOUTQ, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(200, send_to(c, buf, 200, "10.0.0.99", SRV_PORT));
	ASSERT_EQ(0, ioctl(c, SIOCOUTQ, &v));
	EXPECT_LT(200, v);
	for (i = 0; i < 50 && v; i++) {
		usleep(100000);
		ASSERT_EQ(0, ioctl(c, SIOCOUTQ, &v));
	}
	EXPECT_EQ(0, v);
	close(c);
}

TEST_F(dgram, poll_events)
{
	struct pollfd p = { .fd = self->srv, .events = POLLIN | POLLOUT };
	int c = dsock();

	ASSERT_LE(0, c);
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	ASSERT_EQ(1, send_to(c, "x", 1, "10.0.0.1", SRV_PORT));
	ASSERT_EQ(1, poll(&p, 1, 2000));
	EXPECT_EQ(POLLIN | POLLOUT, p.revents);

	/* a port-unreachable on a connected socket is POLLERR */
	ASSERT_EQ(0, connect_to(c, "10.0.0.1", 5999));
	ASSERT_EQ(1, send(c, "x", 1, 0));
	p.fd = c;
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 2000));
	EXPECT_TRUE(p.revents & POLLERR);
	close(c);
}

TEST_F(dgram, timeouts)
{
	struct timeval tv = { .tv_usec = 300000 }, t0, t1;
	char buf[4000] = { 0 };
	struct sockaddr_teach sa;
	long long errs0;
	int c = dsock(), i;
	socklen_t len;
	long ms;

	ASSERT_LE(0, c);
	ASSERT_EQ(0, setsockopt(self->srv, SOL_SOCKET, SO_RCVTIMEO, &tv,
				sizeof(tv)));
	gettimeofday(&t0, NULL);
	EXPECT_EQ(-1, recv(self->srv, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	gettimeofday(&t1, NULL);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000;
	EXPECT_LE(250, ms);

	/*
	 * The smallest send buffer fills with datagrams that wait for a
	 * neighbour: the next send blocks until SO_SNDTIMEO, or fails at
	 * once with MSG_DONTWAIT, and is counted.
	 */
	ASSERT_EQ(0, write_sysctl("neigh_retrans_ms", "5000"));
	ASSERT_EQ(0, setint(c, SOL_SOCKET, SO_SNDBUF, 1));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	len = SA(&sa, "10.0.0.98", SRV_PORT);
	for (i = 0; i < 16; i++)
		if (sendto(c, buf, 1400, MSG_DONTWAIT, (struct sockaddr *)&sa,
			   len) < 0)
			break;
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_LT(0, i);
	errs0 = mib("DgramSndbufErrors");
	gettimeofday(&t0, NULL);
	EXPECT_EQ(-1, send_to(c, buf, 1400, "10.0.0.98", SRV_PORT));
	EXPECT_EQ(EAGAIN, errno);
	gettimeofday(&t1, NULL);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000;
	EXPECT_LE(250, ms);
	EXPECT_EQ(-1, sendto(c, buf, 1400, MSG_DONTWAIT, NULL, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	EXPECT_EQ(-1, sendto(c, buf, 1400, MSG_DONTWAIT, (struct sockaddr *)&sa,
			     len));
	EXPECT_EQ(EAGAIN, errno);
	/* the timed-out send and the non-blocking one */
	EXPECT_EQ(errs0 + 2, mib("DgramSndbufErrors"));
	close(c);
}

TEST_F(dgram, shutdown_halves)
{
	struct pollfd p = { .events = POLLIN | POLLRDHUP };
	char buf[8];
	int c = dsock();

	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect_to(c, "10.0.0.1", SRV_PORT));
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_EQ(-1, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	ASSERT_EQ(0, shutdown(c, SHUT_RD));
	/* nothing queued and no more reading: end of file, not a wait */
	EXPECT_EQ(0, recv(c, buf, sizeof(buf), 0));
	p.fd = c;
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_TRUE(p.revents & POLLRDHUP);
	EXPECT_TRUE(p.revents & POLLHUP);
	close(c);
}

/* ---- connect and errors ---- */

TEST_F(dgram, connect_filters_and_dissolves)
{
	struct sockaddr_teach sa, unspec = { .st_family = AF_UNSPEC };
	socklen_t len = sizeof(sa);
	int c = dsock(), other = dsock(), cport;
	char buf[8];

	ASSERT_LE(0, c);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, connect_to(c, "10.0.0.1", SRV_PORT));
	/* connect chose the source address and a port */
	ASSERT_EQ(0, getsockname(c, (struct sockaddr *)&sa, &len));
	EXPECT_EQ(A("10.0.0.1").s_addr, sa.st_addr.s_addr);
	cport = ntohs(sa.st_port);
	EXPECT_NE(0, cport);
	ASSERT_EQ(0, getpeername(c, (struct sockaddr *)&sa, &len));
	EXPECT_EQ(SRV_PORT, ntohs(sa.st_port));
	EXPECT_EQ(A("10.0.0.1").s_addr, sa.st_addr.s_addr);

	ASSERT_EQ(3, send(c, "one", 3, 0));
	ASSERT_EQ(3, recv(self->srv, buf, sizeof(buf), 0));
	/* only the peer gets through */
	ASSERT_EQ(3, send_to(other, "bad", 3, "10.0.0.1", cport));
	ASSERT_EQ(2, send_to(self->srv, "ok", 2, "10.0.0.1", cport));
	ASSERT_EQ(2, recv(c, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "ok", 2));
	EXPECT_EQ(-1, recv(c, buf, sizeof(buf), MSG_DONTWAIT));

	/* AF_UNSPEC dissolves: no peer, autobound port given back */
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&unspec, sizeof(unspec)));
	EXPECT_EQ(-1, getpeername(c, (struct sockaddr *)&sa, &len));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(0, local_port(c));
	EXPECT_EQ(-1, send(c, "x", 1, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);

	/* an explicitly bound port stays bound */
	ASSERT_EQ(0, bind_to(c, "0.0.0.0", 5001));
	ASSERT_EQ(0, connect_to(c, "10.0.0.1", SRV_PORT));
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&unspec, sizeof(unspec)));
	EXPECT_EQ(5001, local_port(c));
	ASSERT_EQ(0, getsockname(c, (struct sockaddr *)&sa, &len));
	EXPECT_EQ(0U, sa.st_addr.s_addr);
	ASSERT_EQ(3, send_to(other, "any", 3, "10.0.0.1", 5001));
	EXPECT_EQ(3, recv(c, buf, sizeof(buf), 0));
	close(c);
	close(other);
}

TEST_F(dgram, port_unreachable_econnrefused)
{
	long long noports0 = mib("DgramNoPorts");
	struct sockaddr_teach sa;
	char buf[8];
	int c = dsock(), u = dsock();

	ASSERT_LE(0, c);
	ASSERT_LE(0, u);
	ASSERT_EQ(0, connect_to(c, "10.0.0.1", 5999));
	ASSERT_EQ(4, send(c, "ping", 4, 0));
	EXPECT_EQ(-1, recv(c, buf, sizeof(buf), 0));
	EXPECT_EQ(ECONNREFUSED, errno);
	EXPECT_EQ(noports0 + 1, mib("DgramNoPorts"));
	/* reported once; the socket still works */
	ASSERT_EQ(4, send(c, "ping", 4, 0));
	usleep(200000);
	EXPECT_EQ(-1, send(c, "ping", 4, 0));
	EXPECT_EQ(ECONNREFUSED, errno);

	/* unconnected: no error (as UDP) */
	ASSERT_EQ(4, send_to(u, "ping", 4, "10.0.0.1", 5999));
	usleep(200000);
	EXPECT_EQ(-1, recv(u, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	(void)sa;
	close(c);
	close(u);
}

TEST_F(dgram, recverr_errqueue)
{
	struct {
		struct sock_extended_err ee;
		struct sockaddr_teach offender;
	} *e;
	char cbuf[256], buf[64];
	struct sockaddr_teach to;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct pollfd p = { .events = POLLIN };
	struct cmsghdr *cm;
	int u = dsock(), port;
	ssize_t n;

	ASSERT_LE(0, u);
	ASSERT_EQ(0, setint(u, SOL_TEACH, TEACH_RECVERR, 1));
	ASSERT_EQ(4, send_to(u, "ping", 4, "10.0.0.1", 5998));
	port = local_port(u);
	p.fd = u;
	ASSERT_EQ(1, poll(&p, 1, 2000));
	EXPECT_TRUE(p.revents & POLLERR);
	n = recvmsg(u, &m, MSG_ERRQUEUE);
	ASSERT_EQ(TEACH_DGRAM_HLEN, n);
	EXPECT_TRUE(m.msg_flags & MSG_ERRQUEUE);
	/* the queued bytes: our datagram's header as the error quoted it */
	EXPECT_EQ(port, ntohs(((struct teach_dgramhdr *)buf)->source));
	EXPECT_EQ(5998, ntohs(((struct teach_dgramhdr *)buf)->dest));
	EXPECT_EQ(5998, ntohs(to.st_port));
	EXPECT_EQ(A("10.0.0.1").s_addr, to.st_addr.s_addr);
	cm = CMSG_FIRSTHDR(&m);
	ASSERT_NE(NULL, cm);
	EXPECT_EQ(SOL_TEACH, cm->cmsg_level);
	EXPECT_EQ(TEACH_RECVERR, cm->cmsg_type);
	e = (void *)CMSG_DATA(cm);
	EXPECT_EQ(ECONNREFUSED, (int)e->ee.ee_errno);
	EXPECT_EQ(SO_EE_ORIGIN_TEACH, e->ee.ee_origin);
	EXPECT_EQ(TEACH_CTRL_UNREACH, e->ee.ee_type);
	EXPECT_EQ(TEACH_UNREACH_PORT, e->ee.ee_code);
	EXPECT_EQ(A("10.0.0.1").s_addr, e->offender.st_addr.s_addr);
	/* read: the error is gone */
	EXPECT_EQ(-1, recvmsg(u, &m, MSG_ERRQUEUE));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, recv(u, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	close(u);
}

/* A bound device that goes away: ENODEV, as raw sockets. */
TEST_F(dgram, bound_device_gone)
{
	char buf[8];
	int fd = dsock();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sh("ip link add tdg1 type dummy && ip link set tdg1 up"));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "tdg1", 5));
	ASSERT_EQ(0, bind_to(fd, "0.0.0.0", 7000));
	ASSERT_EQ(0, sh("ip link del tdg1"));
	EXPECT_EQ(-1, recv(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ENODEV, errno);
	close(fd);
}

/* ---- bind rules ---- */

TEST_F(dgram, bind_rules)
{
	int a = dsock(), b = dsock(), c = dsock(), d = dsock();

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	ASSERT_LE(0, d);
	/* any vs specific, and specific vs specific */
	ASSERT_EQ(0, bind_to(a, "10.0.0.1", 6100));
	EXPECT_EQ(-1, bind_to(b, "0.0.0.0", 6100));
	EXPECT_EQ(EADDRINUSE, errno);
	EXPECT_EQ(-1, bind_to(b, "10.0.0.1", 6100));
	EXPECT_EQ(EADDRINUSE, errno);
	EXPECT_EQ(0, bind_to(b, "10.0.1.1", 6100));
	/* SO_REUSEADDR on both shares even the same address */
	ASSERT_EQ(0, setint(c, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, setint(d, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, bind_to(c, "0.0.0.0", 6101));
	EXPECT_EQ(0, bind_to(d, "0.0.0.0", 6101));
	close(a);
	close(b);
	close(c);
	close(d);

	/* sockets on different devices share a port */
	a = dsock();
	b = dsock();
	c = dsock();
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	ASSERT_EQ(0, setsockopt(b, SOL_SOCKET, SO_BINDTODEVICE, "dummy0", 7));
	ASSERT_EQ(0, bind_to(a, "0.0.0.0", 6102));
	EXPECT_EQ(0, bind_to(b, "0.0.0.0", 6102));
	/* but not with one bound to none */
	EXPECT_EQ(-1, bind_to(c, "0.0.0.0", 6102));
	EXPECT_EQ(EADDRINUSE, errno);
	/* closing frees the port */
	close(a);
	close(b);
	EXPECT_EQ(0, bind_to(c, "0.0.0.0", 6102));
	close(c);
}

/* The most specific socket gets a unicast datagram. */
TEST_F(dgram, most_specific_wins)
{
	int any = dsock(), spec = dsock(), c = dsock();
	char buf[8];

	ASSERT_EQ(0, setint(any, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, setint(spec, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, bind_to(any, "0.0.0.0", 6200));
	ASSERT_EQ(0, bind_to(spec, "10.0.1.1", 6200));
	ASSERT_EQ(1, send_to(c, "s", 1, "10.0.1.1", 6200));
	ASSERT_EQ(1, send_to(c, "a", 1, "10.0.0.1", 6200));
	ASSERT_EQ(1, recv(spec, buf, sizeof(buf), 0));
	EXPECT_EQ('s', buf[0]);
	ASSERT_EQ(1, recv(any, buf, sizeof(buf), 0));
	EXPECT_EQ('a', buf[0]);
	EXPECT_EQ(-1, recv(spec, buf, sizeof(buf), MSG_DONTWAIT));
	close(any);
	close(spec);
	close(c);
}

TEST_F(dgram, reuseport_balances)
{
	int g[2], cl[64], counts[2] = { 0, 0 }, i, v;
	socklen_t vl = sizeof(v);
	char buf[8];
	pid_t pid;
	int status;

	for (i = 0; i < 2; i++) {
		g[i] = dsock();
		ASSERT_EQ(0, setint(g[i], SOL_TEACH, TEACH_REUSEPORT, 1));
		ASSERT_EQ(0, bind_to(g[i], "0.0.0.0", 6300));
	}
	/* getsockopt(SO_REUSEPORT) reports the same flag */
	ASSERT_EQ(0, getsockopt(g[0], SOL_SOCKET, SO_REUSEPORT, &v, &vl));
	EXPECT_EQ(1, v);
	for (i = 0; i < 64; i++) {
		cl[i] = dsock();
		ASSERT_EQ(1, send_to(cl[i], "x", 1, "10.0.0.1", 6300));
	}
	usleep(200000);
	for (i = 0; i < 2; i++)
		while (recv(g[i], buf, sizeof(buf), MSG_DONTWAIT) == 1)
			counts[i]++;
	EXPECT_EQ(64, counts[0] + counts[1]);
	EXPECT_LT(0, counts[0]);
	EXPECT_LT(0, counts[1]);
	/* one 4-tuple always lands on the same socket */
	for (i = 0; i < 8; i++)
		ASSERT_EQ(1, send_to(cl[0], "y", 1, "10.0.0.1", 6300));
	usleep(200000);
	counts[0] = counts[1] = 0;
	for (i = 0; i < 2; i++)
		while (recv(g[i], buf, sizeof(buf), MSG_DONTWAIT) == 1)
			counts[i]++;
	EXPECT_TRUE((counts[0] == 8 && counts[1] == 0) ||
		    (counts[0] == 0 && counts[1] == 8));
	for (i = 0; i < 64; i++)
		close(cl[i]);

	/* another owner may not join the group */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd;

		if (setresuid(1000, 1000, 1000))
			_exit(2);
		fd = dsock();
		if (fd < 0 || setint(fd, SOL_TEACH, TEACH_REUSEPORT, 1))
			_exit(3);
		_exit(bind_to(fd, "0.0.0.0", 6300) == -1 && errno == EADDRINUSE ?
		      0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(g[0]);
	close(g[1]);
}

TEST_F(dgram, ephemeral_range_and_exhaustion)
{
	int fd[4], extra = dsock(), i, j, p;

	ASSERT_EQ(0, write_sysctl("local_port_range", "40000 40003"));
	for (i = 0; i < 4; i++) {
		fd[i] = dsock();
		ASSERT_EQ(0, bind_to(fd[i], "0.0.0.0", 0));
		p = local_port(fd[i]);
		EXPECT_LE(40000, p);
		EXPECT_GE(40003, p);
		for (j = 0; j < i; j++)
			EXPECT_NE(local_port(fd[j]), p);
	}
	EXPECT_EQ(-1, bind_to(extra, "0.0.0.0", 0));
	EXPECT_EQ(EADDRNOTAVAIL, errno);
	EXPECT_EQ(-1, send_to(extra, "x", 1, "10.0.0.1", SRV_PORT));
	EXPECT_EQ(EADDRNOTAVAIL, errno);
	EXPECT_EQ(-1, connect_to(extra, "10.0.0.1", SRV_PORT));
	EXPECT_EQ(EADDRNOTAVAIL, errno);
	/* an explicit port outside the range is still fine */
	EXPECT_EQ(0, bind_to(extra, "0.0.0.0", 41000));
	/* a port given back is found again */
	p = local_port(fd[2]);
	close(fd[2]);
	fd[2] = dsock();
	ASSERT_EQ(0, bind_to(fd[2], "0.0.0.0", 0));
	EXPECT_EQ(p, local_port(fd[2]));
	for (i = 0; i < 4; i++)
		close(fd[i]);
	close(extra);
}

/* Drop CAP_NET_BIND_SERVICE from the effective and permitted sets. */
static int drop_bind_cap(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].effective &= ~(1u << CAP_NET_BIND_SERVICE);
	d[0].permitted &= ~(1u << CAP_NET_BIND_SERVICE);
	d[0].inheritable &= ~(1u << CAP_NET_BIND_SERVICE);
	return syscall(SYS_capset, &h, d);
}

static int privileged_child(void)
{
	int fd = dsock(), fd2 = dsock();

	if (drop_bind_cap())
		return 10;
	if (bind_to(fd, "0.0.0.0", 80) != -1 || errno != EACCES)
		return 11;
	if (bind_to(fd, "0.0.0.0", 1023) != -1 || errno != EACCES)
		return 12;
	if (bind_to(fd, "0.0.0.0", 1024))
		return 13;
	/* an ephemeral port needs no privilege */
	if (bind_to(fd2, "0.0.0.0", 0))
		return 14;
	return 0;
}

TEST_F(dgram, privileged_ports)
{
	int fd = dsock(), status;
	pid_t pid;

	ASSERT_EQ(0, bind_to(fd, "0.0.0.0", 80));
	close(fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(privileged_child());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* unprivileged_port_start 80: port 80 is anyone's */
	ASSERT_EQ(0, write_sysctl("unprivileged_port_start", "80"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		fd = dsock();
		_exit(drop_bind_cap() ? 2 :
		      bind_to(fd, "0.0.0.0", 80) ? 1 :
		      bind_to(dsock(), "0.0.0.0", 79) == -1 && errno == EACCES ?
		      0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* ---- scale and concurrency ---- */

#define MANY_MAX	100000
#define MANY_ADDRS	2
#define MANY_BASE	10000
/* 0, 997, 1994, ..., then many - 1, then past the end */
#define NEXT_SAMPLE(i)	((i) == many - 1 ? many : \
			 (i) + 997 < many ? (i) + 997 : many - 1)

/*
 * 100,000 sockets; 2,000 under kmemleak (the debug kernel, where KASAN,
 * lockdep and kmemleak make each socket cost a hundred times more under
 * TCG, and the whole program must fit the runner's per-test timeout: there the test
 * is about leaks and locking, not scale).
 */
static int many_sockets(void)
{
	return access("/sys/kernel/debug/kmemleak", F_OK) ? MANY_MAX : 2000;
}

TEST_F_TIMEOUT(dgram, hundred_thousand_sockets, 540)
{
	static const char * const addrs[MANY_ADDRS] = { "10.0.0.1", "10.0.1.1" };
	struct rlimit rl = { MANY_MAX + 1000, MANY_MAX + 1000 };
	int *fds, i, c = dsock(), found = 0, tried = 0, many = many_sockets();
	char buf[16];
	uint32_t idx;

	/* a port of its own: the ephemeral range is taken below */
	ASSERT_EQ(0, bind_to(c, "0.0.0.0", 62000));
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	if (many < MANY_MAX)
		TH_LOG("debug kernel (kmemleak): %d sockets, not %d", many,
		       MANY_MAX);
	fds = calloc(many, sizeof(*fds));
	ASSERT_NE(NULL, fds);
	for (i = 0; i < many; i++) {
		fds[i] = teach_socket(SOCK_DGRAM, 0);
		ASSERT_LE(0, fds[i]) TH_LOG("socket %d: %s", i, strerror(errno));
		ASSERT_EQ(0, bind_to(fds[i], addrs[i % MANY_ADDRS],
				     MANY_BASE + i / MANY_ADDRS))
			TH_LOG("bind %d: %s", i, strerror(errno));
	}
	/* every 997th socket, and the last: each gets what was sent to it */
	for (i = 0; i < many; i = NEXT_SAMPLE(i)) {
		ASSERT_EQ(4, send_to(c, &i, 4, addrs[i % MANY_ADDRS],
				     MANY_BASE + i / MANY_ADDRS));
		tried++;
	}
	usleep(300000);
	for (i = 0; i < many; i = NEXT_SAMPLE(i)) {
		if (recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT) == 4) {
			memcpy(&idx, buf, 4);
			EXPECT_EQ((uint32_t)i, idx);
			found++;
		}
	}
	EXPECT_EQ(tried, found);
	for (i = 0; i < many; i++)
		close(fds[i]);
	free(fds);
	close(c);
}

struct sender {
	pthread_t t;
	int id;
	int n;
	int sent;
};

#define SENDERS		8
#define PER_SENDER	500	/* 100 on the debug kernel, see many_sockets() */
#define CSIZE		200

static void *send_loop(void *arg)
{
	struct sender *s = arg;
	uint8_t buf[CSIZE];
	int fd = dsock(), i;

	for (i = 0; i < s->n; i++) {
		fill(buf, CSIZE, (uint32_t)(s->id << 16 | i));
		if (send_to(fd, buf, CSIZE, "10.0.0.1", SRV_PORT) == CSIZE)
			s->sent++;
	}
	close(fd);
	return NULL;
}

TEST_F_TIMEOUT(dgram, concurrent_senders, 300)
{
	const int per = many_sockets() < MANY_MAX ? 100 : PER_SENDER;
	static struct sender s[SENDERS];
	static uint8_t seen[SENDERS][PER_SENDER];
	long long drops0 = mib("DgramRcvbufErrors");
	uint8_t buf[CSIZE + 1];
	int i, got = 0, total = 0;
	uint32_t idx;

	ASSERT_EQ(0, setint(self->srv, SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20));
	for (i = 0; i < SENDERS; i++) {
		s[i].id = i;
		s[i].n = per;
		ASSERT_EQ(0, pthread_create(&s[i].t, NULL, send_loop, &s[i]));
	}
	for (i = 0; i < SENDERS; i++) {
		pthread_join(s[i].t, NULL);
		total += s[i].sent;
	}
	EXPECT_EQ(SENDERS * per, total);
	while (recv(self->srv, buf, sizeof(buf), MSG_DONTWAIT) == CSIZE) {
		ASSERT_TRUE(intact(buf, CSIZE, &idx));
		ASSERT_GT(SENDERS, (int)(idx >> 16));
		ASSERT_GT(per, (int)(idx & 0xffff));
		/* each datagram once */
		EXPECT_EQ(0, seen[idx >> 16][idx & 0xffff]);
		seen[idx >> 16][idx & 0xffff] = 1;
		got++;
	}
	EXPECT_EQ(total, got + (int)(mib("DgramRcvbufErrors") - drops0));
}

/* ---- the wire, options, names ---- */

/* A raw socket of protocol 17 sees the header as sent. */
TEST_F(dgram, wire_format_and_checksum)
{
	uint8_t pkt[256], pseudo[12 + 8 + 5];
	const struct teachhdr *th = (const void *)pkt;
	const struct teach_dgramhdr *dh;
	struct timeval tv = { .tv_sec = 2 };
	int raw = teach_socket(SOCK_RAW, TEACHPROTO_DGRAM), c = dsock();
	long long csum0;
	ssize_t n;

	ASSERT_LE(0, raw);
	ASSERT_EQ(0, setsockopt(raw, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, bind_to(c, "10.0.0.1", 6400));
	ASSERT_EQ(5, send_to(c, "hello", 5, "10.0.0.1", SRV_PORT));
	n = recv(raw, pkt, sizeof(pkt), 0);
	ASSERT_EQ(TEACH_HLEN + 8 + 5, n);
	EXPECT_EQ(TEACHPROTO_DGRAM, th->protocol);
	dh = (const void *)(pkt + TEACH_HLEN);
	EXPECT_EQ(6400, ntohs(dh->source));
	EXPECT_EQ(SRV_PORT, ntohs(dh->dest));
	EXPECT_EQ(13, ntohs(dh->len));
	EXPECT_EQ(0, memcmp(pkt + TEACH_HLEN + 8, "hello", 5));
	/* the pseudo-header: source, destination, zero, protocol, length */
	memcpy(pseudo, &th->saddr, 4);
	memcpy(pseudo + 4, &th->daddr, 4);
	pseudo[8] = 0;
	pseudo[9] = TEACHPROTO_DGRAM;
	memcpy(pseudo + 10, &dh->len, 2);
	memcpy(pseudo + 12, dh, 13);
	EXPECT_NE(0, dh->check);
	EXPECT_EQ(0, teach_csum(pseudo, sizeof(pseudo)));
	ASSERT_EQ(5, recv(self->srv, pkt, sizeof(pkt), 0));

	/* SO_NO_CHECK: 0 goes out, and is accepted as "no checksum" */
	csum0 = mib("DgramInCsumErrors");
	ASSERT_EQ(0, setint(c, SOL_SOCKET, SO_NO_CHECK, 1));
	ASSERT_EQ(5, send_to(c, "nosum", 5, "10.0.0.1", SRV_PORT));
	n = recv(raw, pkt, sizeof(pkt), 0);
	ASSERT_EQ(TEACH_HLEN + 8 + 5, n);
	EXPECT_EQ(0, dh->check);
	ASSERT_EQ(5, recv(self->srv, pkt, sizeof(pkt), 0));
	EXPECT_EQ(0, memcmp(pkt, "nosum", 5));
	EXPECT_EQ(csum0, mib("DgramInCsumErrors"));
	close(raw);
	close(c);
}

TEST_F(dgram, receive_options)
{
	char buf[16], cbuf[256];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	int c = dsock(), ttl = -1, tos = -1, ifindex = -1;
	struct teach_pktinfo pi = { 0 };
	struct cmsghdr *cm;
	socklen_t vl = sizeof(int);
	int v;

	ASSERT_EQ(0, setint(c, SOL_TEACH, TEACH_TTL, 33));
	ASSERT_EQ(0, setint(c, SOL_TEACH, TEACH_TOS, 0x10));
	ASSERT_EQ(0, getsockopt(c, SOL_TEACH, TEACH_TTL, &v, &vl));
	EXPECT_EQ(33, v);
	ASSERT_EQ(0, setint(self->srv, SOL_TEACH, TEACH_RECVTTL, 1));
	ASSERT_EQ(0, setint(self->srv, SOL_TEACH, TEACH_RECVTOS, 1));
	ASSERT_EQ(0, setint(self->srv, SOL_TEACH, TEACH_PKTINFO, 1));
	ASSERT_EQ(0, getsockopt(self->srv, SOL_TEACH, TEACH_PKTINFO, &v, &vl));
	EXPECT_EQ(1, v);
	ASSERT_EQ(2, send_to(c, "hi", 2, "10.0.0.1", SRV_PORT));
	ASSERT_EQ(2, recvmsg(self->srv, &m, 0));
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level != SOL_TEACH)
			continue;
		if (cm->cmsg_type == TEACH_TTL)
			memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
		if (cm->cmsg_type == TEACH_TOS)
			tos = *(uint8_t *)CMSG_DATA(cm);
		if (cm->cmsg_type == TEACH_PKTINFO) {
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			ifindex = pi.ifindex;
		}
	}
	EXPECT_EQ(33, ttl);
	EXPECT_EQ(0x10, tos);
	EXPECT_EQ((int)if_nametoindex("lo"), ifindex);
	EXPECT_EQ(A("10.0.0.1").s_addr, pi.dst.s_addr);
	close(c);
}

/* /proc/net/teach/dgram lists the socket with its inode. */
TEST_F(dgram, proc_lists_socket)
{
	char line[256], want[32];
	struct stat st;
	int found = 0;
	FILE *f;

	ASSERT_EQ(0, fstat(self->srv, &st));
	snprintf(want, sizeof(want), "%08X:%04X", A("10.0.0.1").s_addr, SRV_PORT);
	f = fopen("/proc/net/teach/dgram", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	EXPECT_EQ(0, strncmp(line, "   sl  local_address", 20));
	while (fgets(line, sizeof(line), f)) {
		unsigned long ino;
		char local[32], st_s[8];

		if (sscanf(line, "%*s %31s %*s %7s %*s %*s %*s %*s %*s %lu",
			   local, st_s, &ino) != 3)
			continue;
		if (!strcmp(local, want)) {
			found++;
			EXPECT_EQ(st.st_ino, ino);
			EXPECT_STREQ("07", st_s);
		}
	}
	fclose(f);
	EXPECT_EQ(1, found);
}

/* Sockets hold the module: rmmod cannot take it from under them. */
TEST(module_reference)
{
	int before, after, fd;
	FILE *f;

	ASSERT_EQ(0, teach_test_load());
	f = fopen("/sys/module/teach/refcnt", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%d", &before));
	fclose(f);
	fd = teach_socket(SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	f = fopen("/sys/module/teach/refcnt", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%d", &after));
	fclose(f);
	EXPECT_LT(before, after);
	close(fd);
}

TEST_HARNESS_MAIN
