// SPDX-License-Identifier: GPL-2.0
/*
 * Stream sockets (SOCK_STREAM) in a private network namespace, over
 * loopback: the handshake and the names; echo in both directions with the
 * bytes checked; half-close; refused connections and resets (closed port,
 * SO_LINGER 0, unread data), EPIPE and SIGPIPE; non-blocking connect; the
 * listen backlog and its overflow counter; simultaneous open (netem delays
 * both SYNs); Nagle on and off counted in TEACH_INFO; a zero window with a
 * slow reader and its persist probes; MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT,
 * SO_RCVLOWAT, SIOCINQ/SIOCOUTQ, poll with POLLRDHUP; TIME_WAIT and its
 * bound; SYN retries ending in ETIMEDOUT; 1,000 connections at once;
 * /proc/net/teach/stream; the options of RFC 7323 and RFC 2018: window
 * scaling, timestamps and SACK negotiated (or not, by sysctl), windows
 * beyond 64 KiB, PAWS, bad options, SACK blocks and blind ACKs counted; the
 * congestion control algorithm by TEACH_CONGESTION and by sysctl;
 * keepalive (its options and sysctls, a silent peer given up with
 * ETIMEDOUT, an idle healthy connection kept); SO_LINGER with a time;
 * TIME_WAIT's bind and connect rules; sendfile() from a file.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "teach_test.h"

#define PORT	7000

static int debug_kernel(void)
{
	return access("/sys/kernel/debug/kmemleak", F_OK) == 0;
}

static socklen_t SA(struct sockaddr_teach *sa, const char *addr, int port)
{
	struct teach_addr a;

	teach_pton(addr, &a);
	return teach_sockaddr(sa, a, port);
}

static int setint(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

/* A stream socket with 10 s timeouts, so that a bug fails instead of hanging. */
static int ssock(void)
{
	struct timeval tv = { .tv_sec = 10 };
	int fd = teach_socket(SOCK_STREAM, 0);

	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
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

static int listener(const char *addr, int port, int backlog)
{
	int fd = ssock();

	if (fd < 0)
		return -1;
	setint(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (bind_to(fd, addr, port) || listen(fd, backlog)) {
		close(fd);
		return -1;
	}
	return fd;
}

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

static int info(int fd, struct teach_stream_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	return getsockopt(fd, SOL_TEACH, TEACH_INFO, ti, &len);
}

static uint8_t pattern(uint64_t off)
{
	return (uint8_t)(off * 2654435761u >> 13);
}

static int write_all(int fd, uint64_t off, size_t n)
{
	uint8_t buf[16384];

	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf), i;
		ssize_t w;

		for (i = 0; i < k; i++)
			buf[i] = pattern(off + i);
		w = send(fd, buf, k, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		off += w;
		n -= w;
	}
	return 0;
}

/* Read n bytes and check them against the pattern: 0, or -1 */
static int read_check(int fd, uint64_t off, size_t n)
{
	uint8_t buf[16384];

	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);
		ssize_t r = recv(fd, buf, k, 0), i;

		if (r <= 0)
			return -1;
		for (i = 0; i < r; i++)
			if (buf[i] != pattern(off + i))
				return -1;
		off += r;
		n -= r;
	}
	return 0;
}

/* In /proc/net/teach/stream: lines in state st (hex), any state if st < 0 */
static int proc_count(int st)
{
	char line[256];
	unsigned int s;
	int n = 0;
	FILE *f = fopen("/proc/net/teach/stream", "r");

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %*s %x", &s) == 1 &&
		    (st < 0 || (int)s == st))
			n++;
	fclose(f);
	return n;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void msleep(int ms)
{
	usleep(ms * 1000);
}

FIXTURE(stream) {
	int lfd;
};

FIXTURE_SETUP(stream)
{
	ASSERT_EQ(0, teach_test_load());
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, system("ip link set lo up && ip link add dummy0 type dummy && "
			    "ip link set dummy0 up && "
			    "teach addr add 10.0.0.1/24 dev dummy0"));
	ASSERT_EQ(0, write_sysctl("ctrl_rate", "0"));
	ASSERT_EQ(0, write_sysctl("stream_msl_ms", "100"));
	/* an orphan waiting for a FIN that never comes holds the module */
	ASSERT_EQ(0, write_sysctl("stream_fin_timeout_ms", "2000"));
	self->lfd = listener("10.0.0.1", PORT, 16);
	ASSERT_LE(0, self->lfd);
}

FIXTURE_TEARDOWN(stream)
{
	close(self->lfd);
}

/* connect + accept: the two ends of one connection */
static int pair(int lfd, int *c, int *s)
{
	*c = ssock();
	if (*c < 0 || connect_to(*c, "10.0.0.1", PORT))
		return -1;
	*s = accept(lfd, NULL, NULL);
	return *s < 0 ? -1 : 0;
}

TEST(socket_types)
{
	int fd;

	ASSERT_EQ(0, teach_test_load());
	fd = teach_socket(SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	close(fd);
	fd = teach_socket(SOCK_STREAM, TEACHPROTO_STREAM);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-1, teach_socket(SOCK_STREAM, TEACHPROTO_DGRAM));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
}

TEST_F(stream, handshake_names_info_proc)
{
	long long act = mib("StreamActiveOpens"), pas = mib("StreamPassiveOpens");
	struct sockaddr_teach a, b;
	struct teach_stream_info ti;
	socklen_t la = sizeof(a), lb = sizeof(b);
	int c, s;

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	EXPECT_EQ(act + 1, mib("StreamActiveOpens"));
	EXPECT_EQ(pas + 1, mib("StreamPassiveOpens"));
	ASSERT_EQ(0, getsockname(c, (struct sockaddr *)&a, &la));
	ASSERT_EQ(0, getpeername(s, (struct sockaddr *)&b, &lb));
	EXPECT_EQ(a.st_port, b.st_port);
	EXPECT_EQ(a.st_addr.s_addr, b.st_addr.s_addr);
	EXPECT_EQ(htonl(0x0a000001), a.st_addr.s_addr);
	ASSERT_EQ(0, getpeername(c, (struct sockaddr *)&a, &la));
	EXPECT_EQ(htons(PORT), a.st_port);
	ASSERT_EQ(0, info(c, &ti));
	EXPECT_EQ(TEACH_SS_ESTABLISHED, ti.tsi_state);
	EXPECT_GT(ti.tsi_snd_mss, 0u);
	EXPECT_GT(ti.tsi_snd_cwnd, 0u);
	EXPECT_GE(ti.tsi_segs_out, 2u);	/* SYN and ACK */
	/* listener, both ends: 1 LISTEN (0A), 2 ESTABLISHED */
	EXPECT_EQ(1, proc_count(0x0a));
	EXPECT_EQ(2, proc_count(0x01));
	/* and in the netlink socket dump (teach sock) */
	EXPECT_EQ(0, system("teach sock type stream state listen | grep -q ':7000'"));
	EXPECT_EQ(2, WEXITSTATUS(system("n=$(teach sock type stream state established | grep -c ':7000'); exit $n")));
	/* a second connect on a connected socket */
	EXPECT_EQ(-1, connect_to(c, "10.0.0.1", PORT));
	EXPECT_EQ(EISCONN, errno);
	/* getpeername of the listener */
	EXPECT_EQ(-1, getpeername(self->lfd, (struct sockaddr *)&a, &la));
	EXPECT_EQ(ENOTCONN, errno);
	close(c);
	close(s);
}

/* What a TEACH_CMD_SOCK_GET dump with TEACH_F_SOCK_INFO said of one port */
struct dump_find {
	uint16_t lport;
	int found;
	struct teach_sock_entry e;
};

static int dump_find_cb(const struct teach_sock_entry *e, void *arg)
{
	struct dump_find *f = arg;

	if (e->type == SOCK_STREAM && e->local_port == f->lport &&
	    e->state == TEACH_SS_ESTABLISHED) {
		f->found++;
		f->e = *e;
	}
	return 0;
}

/* teach sock -i: the netlink dump carries what TEACH_INFO says */
TEST_F(stream, sock_dump_info)
{
	struct dump_find f = { 0 };
	struct teach_stream_info ti;
	struct sockaddr_teach a;
	socklen_t la = sizeof(a);
	struct teach_nl *nl;
	int c, s, i;

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	ASSERT_EQ(0, write_all(c, 0, 5000));
	ASSERT_EQ(0, read_check(s, 0, 5000));
	/* wait for the ACK of the last byte: then the numbers stand still */
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, info(c, &ti));
		if (ti.tsi_bytes_acked == 5000 && !ti.tsi_unacked)
			break;
		usleep(20000);
	}
	ASSERT_EQ(5000u, ti.tsi_bytes_acked);
	ASSERT_EQ(0, getsockname(c, (struct sockaddr *)&a, &la));
	nl = teach_nl_open();
	ASSERT_NE(NULL, nl);
	f.lport = ntohs(a.st_port);
	ASSERT_EQ(0, teach_sock_dump_info(nl, SOCK_STREAM, dump_find_cb, &f));
	ASSERT_EQ(1, f.found);
	EXPECT_EQ(sizeof(struct teach_stream_info), f.e.info_len);
	EXPECT_EQ(TEACH_SS_ESTABLISHED, f.e.info.tsi_state);
	EXPECT_EQ(5000u, f.e.info.tsi_bytes_acked);
	EXPECT_EQ(ti.tsi_bytes_sent, f.e.info.tsi_bytes_sent);
	EXPECT_EQ(ti.tsi_snd_mss, f.e.info.tsi_snd_mss);
	EXPECT_EQ(ti.tsi_data_segs_out, f.e.info.tsi_data_segs_out);
	/* without the flag, no info */
	f.found = 0;
	ASSERT_EQ(0, teach_sock_dump(nl, SOCK_STREAM, dump_find_cb, &f));
	ASSERT_EQ(1, f.found);
	EXPECT_EQ(0u, f.e.info_len);
	/* the receiver, by its listener's port */
	f.found = 0;
	f.lport = PORT;
	ASSERT_EQ(0, teach_sock_dump_info(nl, 0, dump_find_cb, &f));
	ASSERT_EQ(1, f.found);
	EXPECT_EQ(5000u, f.e.info.tsi_bytes_received);
	teach_nl_close(nl);
	/* and the tool, in words and in JSON */
	EXPECT_EQ(0, system("teach sock -i state estab port 7000 | grep -q ' bytes_received:5000 '"));
	EXPECT_EQ(0, system("teach -j -i sock type stream | grep -q '\"bytes_acked\":5000'"));
	EXPECT_EQ(0, system("! teach sock state estab | grep -q bytes_acked"));
	close(c);
	close(s);
}

struct echo_arg {
	int fd;
	size_t n;
	int ret;
};

static void *echo_writer(void *p)
{
	struct echo_arg *a = p;

	a->ret = write_all(a->fd, 0, a->n);
	return NULL;
}

TEST_F(stream, echo_both_ways)
{
	size_t n = debug_kernel() ? 256 * 1024 : 4 * 1024 * 1024;
	struct echo_arg ca, sa;
	struct teach_stream_info ti;
	pthread_t t1, t2;
	int c, s;

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	ca = (struct echo_arg){ .fd = c, .n = n };
	sa = (struct echo_arg){ .fd = s, .n = n };
	ASSERT_EQ(0, pthread_create(&t1, NULL, echo_writer, &ca));
	ASSERT_EQ(0, pthread_create(&t2, NULL, echo_writer, &sa));
	EXPECT_EQ(0, read_check(s, 0, n));
	EXPECT_EQ(0, read_check(c, 0, n));
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	EXPECT_EQ(0, ca.ret);
	EXPECT_EQ(0, sa.ret);
	ASSERT_EQ(0, info(c, &ti));
	EXPECT_EQ(n, ti.tsi_bytes_received);
	EXPECT_EQ(n, ti.tsi_bytes_acked);
	EXPECT_GT(ti.tsi_rtt_us, 0u);
	close(c);
	close(s);
}

/* TEACH_CONGESTION's name, "" when getsockopt fails */
static const char *cong_of(int fd, char *buf)
{
	socklen_t len = TEACH_CONG_NAME_MAX;

	memset(buf, 0, TEACH_CONG_NAME_MAX + 1);
	if (getsockopt(fd, SOL_TEACH, TEACH_CONGESTION, buf, &len) ||
	    len != TEACH_CONG_NAME_MAX)
		buf[0] = '\0';
	return buf;
}

static int set_cong(int fd, const char *name)
{
	return setsockopt(fd, SOL_TEACH, TEACH_CONGESTION, name, strlen(name));
}

/* TEACH_CONGESTION, as TCP_CONGESTION: names, ENOENT, inheritance, a switch */
TEST_F(stream, congestion_option)
{
	size_t n = debug_kernel() ? 256 * 1024 : 2 * 1024 * 1024;
	char name[TEACH_CONG_NAME_MAX + 1], big[32];
	struct teach_stream_info ti, tj;
	struct echo_arg ca;
	socklen_t len;
	pthread_t t;
	int fd, c, s;

	fd = ssock();
	ASSERT_LE(0, fd);
	EXPECT_STREQ("reno", cong_of(fd, name));
	/* a short buffer gets the beginning, its length written back */
	len = 2;
	memset(name, 'x', sizeof(name));
	ASSERT_EQ(0, getsockopt(fd, SOL_TEACH, TEACH_CONGESTION, name, &len));
	EXPECT_EQ(2u, len);
	EXPECT_EQ(0, memcmp(name, "rex", 3));
	EXPECT_EQ(0, set_cong(fd, "cubic"));
	EXPECT_STREQ("cubic", cong_of(fd, name));
	ASSERT_EQ(0, info(fd, &ti));
	EXPECT_STREQ("cubic", ti.tsi_cong);
	/* with its NUL, or without */
	EXPECT_EQ(0, setsockopt(fd, SOL_TEACH, TEACH_CONGESTION, "reno", 5));
	EXPECT_STREQ("reno", cong_of(fd, name));
	/* unknown names: ENOENT, and nothing changes */
	EXPECT_EQ(0, set_cong(fd, "cubic"));
	EXPECT_EQ(-1, set_cong(fd, "vegas"));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, set_cong(fd, "CUBIC"));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, set_cong(fd, "cubicx"));
	EXPECT_EQ(ENOENT, errno);
	memset(big, 'c', sizeof(big));
	EXPECT_EQ(-1, setsockopt(fd, SOL_TEACH, TEACH_CONGESTION, big, sizeof(big)));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, setsockopt(fd, SOL_TEACH, TEACH_CONGESTION, "", 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_STREQ("cubic", cong_of(fd, name));

	/* the connecting socket keeps its choice; the listener's default child */
	ASSERT_EQ(0, connect_to(fd, "10.0.0.1", PORT));
	s = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, s);
	EXPECT_STREQ("cubic", cong_of(fd, name));
	EXPECT_STREQ("reno", cong_of(s, name));
	close(fd);
	close(s);

	/* a listener's choice is its children's */
	ASSERT_EQ(0, set_cong(self->lfd, "cubic"));
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	EXPECT_STREQ("cubic", cong_of(s, name));
	EXPECT_STREQ("reno", cong_of(c, name));
	ASSERT_EQ(0, info(s, &ti));
	EXPECT_STREQ("cubic", ti.tsi_cong);
	/* teach sock -i names both, as ss -i */
	EXPECT_EQ(0, system("teach sock -i state estab port 7000 | grep -q ' cubic ca:'"));
	EXPECT_EQ(0, system("teach sock -i state estab port 7000 | grep -q ' reno ca:'"));
	EXPECT_EQ(0, system("teach -j -i sock type stream | grep -q '\"cong\":\"cubic\"'"));

	/* cubic sends a file whole; then reno takes over the same windows */
	ca = (struct echo_arg){ .fd = s, .n = n };
	ASSERT_EQ(0, pthread_create(&t, NULL, echo_writer, &ca));
	EXPECT_EQ(0, read_check(c, 0, n));
	pthread_join(t, NULL);
	EXPECT_EQ(0, ca.ret);
	msleep(100);
	ASSERT_EQ(0, info(s, &ti));
	EXPECT_EQ(n, ti.tsi_bytes_acked);
	EXPECT_EQ(0, set_cong(s, "reno"));
	ASSERT_EQ(0, info(s, &tj));
	EXPECT_STREQ("reno", tj.tsi_cong);
	EXPECT_EQ(ti.tsi_snd_cwnd, tj.tsi_snd_cwnd);
	EXPECT_EQ(ti.tsi_snd_ssthresh, tj.tsi_snd_ssthresh);
	ca = (struct echo_arg){ .fd = s, .n = n };
	ASSERT_EQ(0, pthread_create(&t, NULL, echo_writer, &ca));
	EXPECT_EQ(0, read_check(c, 0, n));
	pthread_join(t, NULL);
	EXPECT_EQ(0, ca.ret);
	close(c);
	close(s);
}

static int read_sysctl(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/teach/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* net.teach.stream_congestion_control: the default of new sockets */
TEST_F(stream, congestion_sysctl)
{
	char buf[64], name[TEACH_CONG_NAME_MAX + 1];
	int before, fd, c, s, st;
	pid_t pid;

	ASSERT_EQ(0, read_sysctl("stream_congestion_control", buf, sizeof(buf)));
	EXPECT_STREQ("reno\n", buf);
	ASSERT_EQ(0, read_sysctl("stream_available_congestion_control", buf,
				 sizeof(buf)));
	EXPECT_STREQ("reno cubic\n", buf);
	/* read only, even for root */
	EXPECT_EQ(-1, open("/proc/sys/net/teach/stream_available_congestion_control",
			   O_WRONLY));
	EXPECT_EQ(EACCES, errno);

	/* unknown names: EINVAL, the old one stays */
	EXPECT_EQ(-1, write_sysctl("stream_congestion_control", "vegas\n"));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write_sysctl("stream_congestion_control", "\n"));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write_sysctl("stream_congestion_control",
				   "cubiccubiccubiccubic\n"));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, read_sysctl("stream_congestion_control", buf, sizeof(buf)));
	EXPECT_STREQ("reno\n", buf);

	before = ssock();
	ASSERT_LE(0, before);
	ASSERT_EQ(0, write_sysctl("stream_congestion_control", "cubic\n"));
	ASSERT_EQ(0, read_sysctl("stream_congestion_control", buf, sizeof(buf)));
	EXPECT_STREQ("cubic\n", buf);
	/* new sockets take it, old ones keep theirs */
	fd = ssock();
	ASSERT_LE(0, fd);
	EXPECT_STREQ("cubic", cong_of(fd, name));
	EXPECT_STREQ("reno", cong_of(before, name));
	/* and the listener made before the change: its children are reno */
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	EXPECT_STREQ("cubic", cong_of(c, name));
	EXPECT_STREQ("reno", cong_of(s, name));
	close(c);
	close(s);
	close(fd);
	close(before);

	/* another namespace has its own */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) ||
		    read_sysctl("stream_congestion_control", buf, sizeof(buf)))
			_exit(2);
		fd = ssock();
		_exit(strcmp(buf, "reno\n") || fd < 0 ||
		      strcmp(cong_of(fd, name), "reno"));
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	ASSERT_EQ(0, write_sysctl("stream_congestion_control", "reno"));
	ASSERT_EQ(0, read_sysctl("stream_congestion_control", buf, sizeof(buf)));
	EXPECT_STREQ("reno\n", buf);
}

TEST_F(stream, half_close)
{
	struct epoll_event ev = { 0 };
	char buf[64];
	struct pollfd pfd;
	int c, s, ep;

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	ASSERT_EQ(5, send(c, "hello", 5, 0));
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	/* the server reads the data, then end of file */
	ASSERT_EQ(5, recv(s, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	pfd = (struct pollfd){ .fd = s, .events = POLLIN | POLLRDHUP | POLLOUT };
	ASSERT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_TRUE(pfd.revents & POLLRDHUP);
	EXPECT_TRUE(pfd.revents & POLLOUT);
	EXPECT_FALSE(pfd.revents & POLLHUP);
	/* epoll says the same */
	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 1000));
	EXPECT_NE(0, (int)(ev.events & EPOLLRDHUP));
	EXPECT_NE(0, (int)(ev.events & EPOLLIN));
	close(ep);
	/* the client cannot send any more, but still reads */
	EXPECT_EQ(-1, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	ASSERT_EQ(6, send(s, "world!", 6, 0));
	ASSERT_EQ(6, recv(c, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "world!", 6));
	ASSERT_EQ(0, close(s));
	EXPECT_EQ(0, recv(c, buf, sizeof(buf), 0));
	close(c);
}

TEST_F(stream, refused_and_nonblocking_connect)
{
	long long rsts = mib("StreamOutRsts"), noports = mib("StreamNoPorts");
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	int c, s, err;

	c = ssock();
	ASSERT_LE(0, c);
	EXPECT_EQ(-1, connect_to(c, "10.0.0.1", PORT + 1));
	EXPECT_EQ(ECONNREFUSED, errno);
	EXPECT_LT(rsts, mib("StreamOutRsts"));
	EXPECT_LT(noports, mib("StreamNoPorts"));
	/* the same socket can try again, to a port that listens */
	EXPECT_EQ(0, connect_to(c, "10.0.0.1", PORT));
	s = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, s);
	close(s);
	close(c);

	/* non-blocking: EINPROGRESS, then writable with SO_ERROR 0 */
	c = ssock();
	fcntl(c, F_SETFL, O_NONBLOCK);
	EXPECT_EQ(-1, connect_to(c, "10.0.0.1", PORT));
	EXPECT_EQ(EINPROGRESS, errno);
	pfd = (struct pollfd){ .fd = c, .events = POLLOUT };
	ASSERT_EQ(1, poll(&pfd, 1, 5000));
	ASSERT_EQ(0, getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(0, err);
	EXPECT_EQ(0, connect_to(c, "10.0.0.1", PORT));
	EXPECT_EQ(-1, connect_to(c, "10.0.0.1", PORT));
	EXPECT_EQ(EISCONN, errno);
	/* accept4 with its flags */
	s = accept4(self->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	ASSERT_LE(0, s);
	EXPECT_TRUE(fcntl(s, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(s, F_GETFD) & FD_CLOEXEC);
	close(s);
	close(c);

	/* non-blocking to a closed port: SO_ERROR says ECONNREFUSED */
	c = ssock();
	fcntl(c, F_SETFL, O_NONBLOCK);
	err = connect_to(c, "10.0.0.1", PORT + 2);
	if (err)
		EXPECT_TRUE(errno == EINPROGRESS || errno == ECONNREFUSED);
	if (err && errno == EINPROGRESS) {
		pfd = (struct pollfd){ .fd = c, .events = POLLOUT };
		ASSERT_EQ(1, poll(&pfd, 1, 5000));
		EXPECT_TRUE(pfd.revents & (POLLERR | POLLHUP));
		ASSERT_EQ(0, getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
		EXPECT_EQ(ECONNREFUSED, err);
	}
	close(c);

	/* non-blocking accept with nothing queued */
	fcntl(self->lfd, F_SETFL, O_NONBLOCK);
	EXPECT_EQ(-1, accept(self->lfd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);
}

static volatile sig_atomic_t pipes;

static void on_pipe(int sig)
{
	pipes++;
}

/*
 * Connection requests go to listeners only (the listener table): a socket
 * that shares the port with SO_REUSEADDR but only bound, or one that
 * stopped listening, never takes them.
 */
TEST_F(stream, only_listeners_take_connections)
{
	int b, c, s, l2;

	b = ssock();
	ASSERT_LE(0, b);
	ASSERT_EQ(0, setint(b, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, bind_to(b, "10.0.0.1", PORT));
	/* bound after the listener, so first in the port's bind bucket */
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	close(c);
	close(s);

	/* a second listener on another port; closing it refuses again */
	l2 = listener("10.0.0.1", PORT + 2, 4);
	ASSERT_LE(0, l2);
	c = ssock();
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect_to(c, "10.0.0.1", PORT + 2));
	s = accept(l2, NULL, NULL);
	ASSERT_LE(0, s);
	close(c);
	close(s);
	close(l2);
	c = ssock();
	ASSERT_LE(0, c);
	EXPECT_EQ(-1, connect_to(c, "10.0.0.1", PORT + 2));
	EXPECT_EQ(ECONNREFUSED, errno);
	close(c);
	close(b);
}

TEST_F(stream, resets_epipe_sigpipe)
{
	long long linger = mib("StreamAbortOnLinger"),
		  unread = mib("StreamAbortOnClose");
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	char buf[16];
	int c, s, i;

	/* SO_LINGER 0: close resets, the peer sees ECONNRESET */
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	close(c);
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(linger + 1, mib("StreamAbortOnLinger"));
	/* after that, writing is EPIPE, and SIGPIPE without MSG_NOSIGNAL */
	EXPECT_EQ(-1, send(s, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	signal(SIGPIPE, on_pipe);
	pipes = 0;
	EXPECT_EQ(-1, send(s, "x", 1, 0));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(1, pipes);
	signal(SIGPIPE, SIG_DFL);
	close(s);

	/* closed with unread data: a reset too (RFC 2525 2.17) */
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	ASSERT_EQ(3, send(c, "abc", 3, 0));
	for (i = 0; i < 100; i++) {
		int n = 0;

		ioctl(s, SIOCINQ, &n);
		if (n == 3)
			break;
		msleep(10);
	}
	close(s);
	EXPECT_EQ(-1, recv(c, buf, sizeof(buf), 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(unread + 1, mib("StreamAbortOnClose"));
	close(c);
}

TEST_F(stream, backlog_overflow)
{
	long long over = mib("StreamListenOverflows");
	struct teach_stream_info ti;
	int lfd, c[6], i, s, established = 0, accepted = 0;

	ASSERT_EQ(0, write_sysctl("stream_syn_retries", "2"));
	ASSERT_EQ(0, write_sysctl("stream_rto_initial_ms", "200"));
	lfd = listener("10.0.0.1", PORT + 10, 1);
	ASSERT_LE(0, lfd);
	for (i = 0; i < 6; i++) {
		c[i] = ssock();
		fcntl(c[i], F_SETFL, O_NONBLOCK);
		connect_to(c[i], "10.0.0.1", PORT + 10);
	}
	msleep(300);
	/* backlog 1: an accept queue of two, as Linux; the rest were dropped */
	EXPECT_LT(over, mib("StreamListenOverflows"));
	for (i = 0; i < 6; i++) {
		ASSERT_EQ(0, info(c[i], &ti));
		if (ti.tsi_state == TEACH_SS_ESTABLISHED)
			established++;
	}
	EXPECT_LE(established, 2);
	EXPECT_GE(established, 1);
	/* accepting makes room; SYN retransmissions fill it again */
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	for (i = 0; i < 40 && accepted < 6; i++) {
		s = accept(lfd, NULL, NULL);
		if (s >= 0) {
			accepted++;
			close(s);
		} else {
			msleep(100);
		}
	}
	EXPECT_GT(accepted, established);
	for (i = 0; i < 6; i++)
		close(c[i]);
	close(lfd);
}

TEST_F(stream, simultaneous_open)
{
	struct teach_stream_info ti;
	struct pollfd pfd[2];
	char buf[8];
	int a, b;

	/* both SYNs in flight at once: delay everything on loopback */
	ASSERT_EQ(0, system("/sbin/tc qdisc add dev lo root netem delay 200ms"));
	a = ssock();
	b = ssock();
	ASSERT_EQ(0, bind_to(a, "10.0.0.1", PORT + 20));
	ASSERT_EQ(0, bind_to(b, "10.0.0.1", PORT + 21));
	fcntl(a, F_SETFL, O_NONBLOCK);
	fcntl(b, F_SETFL, O_NONBLOCK);
	EXPECT_EQ(-1, connect_to(a, "10.0.0.1", PORT + 21));
	EXPECT_EQ(EINPROGRESS, errno);
	EXPECT_EQ(-1, connect_to(b, "10.0.0.1", PORT + 20));
	EXPECT_EQ(EINPROGRESS, errno);
	pfd[0] = (struct pollfd){ .fd = a, .events = POLLOUT };
	pfd[1] = (struct pollfd){ .fd = b, .events = POLLOUT };
	ASSERT_EQ(1, poll(&pfd[0], 1, 5000));
	ASSERT_EQ(1, poll(&pfd[1], 1, 5000));
	EXPECT_FALSE(pfd[0].revents & POLLERR);
	EXPECT_FALSE(pfd[1].revents & POLLERR);
	ASSERT_EQ(0, info(a, &ti));
	EXPECT_EQ(TEACH_SS_ESTABLISHED, ti.tsi_state);
	ASSERT_EQ(0, info(b, &ti));
	EXPECT_EQ(TEACH_SS_ESTABLISHED, ti.tsi_state);
	fcntl(a, F_SETFL, 0);
	fcntl(b, F_SETFL, 0);
	ASSERT_EQ(2, send(a, "ab", 2, 0));
	ASSERT_EQ(2, recv(b, buf, 2, MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "ab", 2));
	/*
	 * And simultaneous close: both FINs cross, so both ends go through
	 * CLOSING (the peer's FIN before the ACK of ours) to TIME_WAIT.
	 */
	ASSERT_EQ(0, write_sysctl("stream_msl_ms", "1000"));
	ASSERT_EQ(0, shutdown(a, SHUT_WR));
	ASSERT_EQ(0, shutdown(b, SHUT_WR));
	EXPECT_EQ(0, recv(a, buf, sizeof(buf), 0));
	EXPECT_EQ(0, recv(b, buf, sizeof(buf), 0));
	ASSERT_EQ(0, info(a, &ti));
	EXPECT_EQ(TEACH_SS_CLOSING, ti.tsi_state);
	msleep(600);
	ASSERT_EQ(0, info(a, &ti));
	EXPECT_EQ(TEACH_SS_TIME_WAIT, ti.tsi_state);
	ASSERT_EQ(0, info(b, &ti));
	EXPECT_EQ(TEACH_SS_TIME_WAIT, ti.tsi_state);
	close(a);
	close(b);
	system("/sbin/tc qdisc del dev lo root");
}

/* 50 writes of 10 bytes: how many segments carry them? */
static int small_writes(struct __test_metadata *_metadata, int lfd,
			int nodelay)
{
	struct teach_stream_info ti;
	char buf[500];
	int c, s, i;

	c = ssock();
	ASSERT_EQ(0, setint(c, SOL_TEACH, TEACH_NODELAY, nodelay));
	ASSERT_EQ(0, connect_to(c, "10.0.0.1", PORT));
	s = accept(lfd, NULL, NULL);
	ASSERT_LE(0, s);
	for (i = 0; i < 50; i++) {
		ASSERT_EQ(10, send(c, "0123456789", 10, 0));
		usleep(1000);
	}
	EXPECT_EQ(500, recv(s, buf, sizeof(buf), MSG_WAITALL));
	ASSERT_EQ(0, info(c, &ti));
	close(c);
	close(s);
	return ti.tsi_data_segs_out;
}

TEST_F(stream, nagle_on_and_off)
{
	int nagle = small_writes(_metadata, self->lfd, 0);
	int nodelay = small_writes(_metadata, self->lfd, 1);

	TH_LOG("segments: Nagle %d, TEACH_NODELAY %d", nagle, nodelay);
	EXPECT_EQ(50, nodelay);
	EXPECT_LT(nagle, nodelay / 2);
}

TEST_F(stream, cork)
{
	struct teach_stream_info ti;
	char buf[100];
	int c, s;

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	ASSERT_EQ(0, setint(c, SOL_TEACH, TEACH_CORK, 1));
	ASSERT_EQ(5, send(c, "aaaaa", 5, 0));
	ASSERT_EQ(5, send(c, "bbbbb", 5, 0));
	msleep(100);
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, setint(c, SOL_TEACH, TEACH_CORK, 0));
	EXPECT_EQ(10, recv(s, buf, 10, MSG_WAITALL));
	ASSERT_EQ(0, info(c, &ti));
	EXPECT_EQ(1u, ti.tsi_data_segs_out);
	close(c);
	close(s);
}

TEST_F(stream, zero_window_slow_reader)
{
	size_t total = 0, n = 0;
	struct teach_stream_info ti;
	long long probes = mib("StreamZeroWndProbes");
	uint8_t buf[4096];
	int c, s, i, rcvbuf = 4096;
	ssize_t w;

	/* a small receive buffer, set before the connection */
	close(self->lfd);
	self->lfd = ssock();
	setint(self->lfd, SOL_SOCKET, SO_REUSEADDR, 1);
	ASSERT_EQ(0, setsockopt(self->lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				sizeof(rcvbuf)));
	ASSERT_EQ(0, bind_to(self->lfd, "10.0.0.1", PORT));
	ASSERT_EQ(0, listen(self->lfd, 4));
	ASSERT_EQ(0, write_sysctl("stream_rto_min_ms", "50"));
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	fcntl(c, F_SETFL, O_NONBLOCK);
	/* fill everything: the peer's window and our send buffer */
	for (i = 0; i < 2000; i++) {
		size_t k;

		for (k = 0; k < sizeof(buf); k++)
			buf[k] = pattern(total + k);
		w = send(c, buf, sizeof(buf), 0);
		if (w < 0) {
			ASSERT_EQ(EAGAIN, errno);
			break;
		}
		total += w;
	}
	ASSERT_GT(total, 4096u);
	msleep(1500);
	ASSERT_EQ(0, info(c, &ti));
	EXPECT_EQ(0u, ti.tsi_snd_wnd);
	EXPECT_GT(ti.tsi_zero_wnd_probes, 0u);
	EXPECT_LT(probes, mib("StreamZeroWndProbes"));
	/* the slow reader takes it all, in order */
	fcntl(c, F_SETFL, 0);
	while (n < total) {
		size_t k = total - n < 1000 ? total - n : 1000;

		ASSERT_EQ(0, read_check(s, n, k));
		n += k;
		if (n % 20000 < 1000)
			msleep(5);
	}
	ASSERT_EQ(0, write_sysctl("stream_rto_min_ms", "200"));
	close(c);
	close(s);
}

TEST_F(stream, recv_flags_ioctls_poll)
{
	struct pollfd pfd;
	char buf[64];
	int c, s, n;

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	pfd = (struct pollfd){ .fd = s, .events = POLLIN };
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, setint(c, SOL_TEACH, TEACH_NODELAY, 1));
	ASSERT_EQ(4, send(c, "abcd", 4, 0));
	EXPECT_EQ(1, poll(&pfd, 1, 2000));
	/* the peek leaves it there */
	EXPECT_EQ(4, recv(s, buf, sizeof(buf), MSG_PEEK));
	ASSERT_EQ(0, ioctl(s, SIOCINQ, &n));
	EXPECT_EQ(4, n);
	/* SO_RCVLOWAT: poll waits for 8 bytes */
	ASSERT_EQ(0, setint(s, SOL_SOCKET, SO_RCVLOWAT, 8));
	EXPECT_EQ(0, poll(&pfd, 1, 100));
	ASSERT_EQ(4, send(c, "efgh", 4, 0));
	EXPECT_EQ(1, poll(&pfd, 1, 2000));
	ASSERT_EQ(0, setint(s, SOL_SOCKET, SO_RCVLOWAT, 1));
	/* MSG_WAITALL across two sends */
	ASSERT_EQ(0, send(c, "ijkl", 0, 0));
	EXPECT_EQ(8, recv(s, buf, 8, MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "abcdefgh", 8));
	ASSERT_EQ(0, ioctl(s, SIOCINQ, &n));
	EXPECT_EQ(0, n);
	/* SIOCOUTQ drains once acknowledged */
	ASSERT_EQ(2, send(c, "mn", 2, 0));
	for (n = 1; n && !ioctl(c, SIOCOUTQ, &n);)
		msleep(10);
	EXPECT_EQ(0, n);
	EXPECT_EQ(2, recv(s, buf, 2, MSG_WAITALL));
	/* the listener is no stream of bytes */
	EXPECT_EQ(-1, ioctl(self->lfd, SIOCINQ, &n));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, recv(self->lfd, buf, 1, 0));
	EXPECT_EQ(ENOTCONN, errno);
	close(c);
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	pfd = (struct pollfd){ .fd = s, .events = POLLIN | POLLRDHUP };
	EXPECT_EQ(1, poll(&pfd, 1, 2000));
	EXPECT_TRUE(pfd.revents & POLLRDHUP);
	close(s);
}

TEST_F(stream, time_wait_and_its_bound)
{
	long long waited = mib("StreamTimeWaited"), over = mib("StreamTwOverflows");
	char buf[4];
	int c, s;

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	/* the active closer waits in TIME_WAIT (06) for 2 MSL = 200 ms */
	close(c);
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	close(s);
	msleep(50);
	EXPECT_EQ(1, proc_count(0x06));
	msleep(600);
	EXPECT_EQ(0, proc_count(0x06));
	EXPECT_EQ(waited + 1, mib("StreamTimeWaited"));
	/* no room for TIME_WAIT: closed at once, counted */
	ASSERT_EQ(0, write_sysctl("stream_max_tw", "0"));
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	close(c);
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	close(s);
	msleep(50);
	EXPECT_EQ(0, proc_count(0x06));
	EXPECT_EQ(over + 1, mib("StreamTwOverflows"));
	EXPECT_EQ(1, proc_count(-1));	/* only the listener is left */
}

TEST_F(stream, orphan_fin_wait2_times_out)
{
	char buf[4];
	int c, s;

	ASSERT_EQ(0, write_sysctl("stream_fin_timeout_ms", "300"));
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	/* the peer never closes: the orphan waits in FIN_WAIT2 (05) ... */
	close(c);
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	msleep(100);
	EXPECT_EQ(1, proc_count(0x05));
	/* ... stream_fin_timeout_ms, then resets */
	msleep(600);
	EXPECT_EQ(0, proc_count(0x05));
	EXPECT_EQ(-1, send(s, "x", 1, MSG_NOSIGNAL));
	EXPECT_TRUE(errno == ECONNRESET || errno == EPIPE);
	close(s);
}

TEST_F(stream, syn_retries_then_etimedout)
{
	long long timeouts = mib("StreamTimeouts");
	struct timespec t0, t1;
	int c;

	ASSERT_EQ(0, write_sysctl("stream_syn_retries", "2"));
	ASSERT_EQ(0, write_sysctl("stream_rto_initial_ms", "100"));
	/* 10.0.0.9 is on dummy0, which drops everything: no answer ever */
	ASSERT_EQ(0, system("teach neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev dummy0"));
	c = ssock();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(-1, connect_to(c, "10.0.0.9", PORT));
	EXPECT_EQ(ETIMEDOUT, errno);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* 100 + 200 + 400 ms */
	EXPECT_GE(t1.tv_sec * 1000 + t1.tv_nsec / 1000000 -
		  t0.tv_sec * 1000 - t0.tv_nsec / 1000000, 600);
	EXPECT_EQ(timeouts + 2, mib("StreamTimeouts"));
	close(c);
}

TEST_F(stream, data_retries_then_etimedout)
{
	long long aborts = mib("StreamAbortOnTimeout");
	char buf[4];
	int c, s;

	ASSERT_EQ(0, write_sysctl("stream_retries", "2"));
	ASSERT_EQ(0, write_sysctl("stream_rto_min_ms", "50"));
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	/* from now on nothing gets through */
	ASSERT_EQ(0, system("/sbin/tc qdisc add dev lo root netem loss 100%"));
	ASSERT_EQ(1, send(c, "x", 1, 0));
	EXPECT_EQ(-1, recv(c, buf, sizeof(buf), 0));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(aborts + 1, mib("StreamAbortOnTimeout"));
	EXPECT_EQ(-1, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	system("/sbin/tc qdisc del dev lo root");
	ASSERT_EQ(0, write_sysctl("stream_rto_min_ms", "200"));
	close(c);
	close(s);
}

/*
 * 1,000 connections open at once over loopback: each established, each
 * echoing 16 bytes of its own, all closed without a reset and gone once
 * TIME_WAIT is over.
 */
TEST_F_TIMEOUT(stream, thousand_connections, 150)
{
	long long resets = mib("StreamEstabResets"), rsts = mib("StreamOutRsts");
	long long over = mib("StreamTwOverflows");
	long long retrans = mib("StreamRetransSegs"), noports = mib("StreamNoPorts");
	struct rlimit rl = { .rlim_cur = 4096, .rlim_max = 4096 };
	int n = 1000, i, *c, *s, ok = 0, left = -1;
	struct timespec t0;
	char buf[16], want[16];

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	/*
	 * 2,000 FINs at once can overflow loopback's input queue: a FIN sent
	 * again must still find TIME_WAIT (2 s here), or it is answered by
	 * a reset.
	 */
	ASSERT_EQ(0, write_sysctl("stream_msl_ms", "1000"));
	c = calloc(n, sizeof(int));
	s = calloc(n, sizeof(int));
	ASSERT_NE(NULL, c);
	ASSERT_NE(NULL, s);
	close(self->lfd);
	self->lfd = listener("10.0.0.1", PORT, 1024);
	ASSERT_LE(0, self->lfd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		c[i] = ssock();
		ASSERT_LE(0, c[i]) TH_LOG("%d: %s", i, strerror(errno));
		ASSERT_EQ(0, connect_to(c[i], "10.0.0.1", PORT))
			TH_LOG("%d: %s", i, strerror(errno));
		s[i] = accept(self->lfd, NULL, NULL);
		ASSERT_LE(0, s[i]) TH_LOG("%d: %s", i, strerror(errno));
	}
	TH_LOG("%d connections established in %ld ms", n, ms_since(&t0));
	EXPECT_EQ(2 * n + 1, proc_count(-1));
	EXPECT_EQ(2 * n, proc_count(0x01));
	/*
	 * One connection after the other, each client speaks, its server
	 * echoes, the client checks, so that no timer of a thousand sockets
	 * fires at once: a thousand delayed ACKs in one softirq would
	 * overflow loopback's input queue (netdev_max_backlog) on the debug
	 * kernel, and the retransmissions are not what this test is about.
	 */
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "conn %010d", i);
		ASSERT_EQ(16, send(c[i], want, 16, 0));
		ASSERT_EQ(16, recv(s[i], buf, 16, MSG_WAITALL)) TH_LOG("%d", i);
		ASSERT_EQ(16, send(s[i], buf, 16, 0));
		if (recv(c[i], buf, 16, MSG_WAITALL) == 16 &&
		    !memcmp(buf, want, 16))
			ok++;
	}
	EXPECT_EQ(n, ok);
	/* and each closes in order: the client first, then its server */
	for (i = 0; i < n; i++) {
		close(c[i]);
		EXPECT_EQ(0, recv(s[i], buf, 16, 0)) TH_LOG("%d", i);
		close(s[i]);
	}
	/* after TIME_WAIT only the listener is left */
	for (i = 0; i < 150; i++) {
		left = proc_count(-1);
		if (left == 1)
			break;
		msleep(100);
	}
	EXPECT_EQ(1, left);
	EXPECT_EQ(resets, mib("StreamEstabResets"));
	EXPECT_EQ(rsts, mib("StreamOutRsts"));
	EXPECT_EQ(over, mib("StreamTwOverflows"));
	TH_LOG("all of it: %ld ms, %lld segments sent again, %lld to no socket",
	       ms_since(&t0), mib("StreamRetransSegs") - retrans,
	       mib("StreamNoPorts") - noports);
	free(c);
	free(s);
}

TEST_F(stream, bad_arguments)
{
	struct sockaddr_teach sa;
	char buf[4];
	int c = ssock(), v;
	socklen_t len = sizeof(v);

	ASSERT_LE(0, c);
	/* not connected */
	EXPECT_EQ(-1, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(-1, recv(c, buf, 1, 0));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, shutdown(c, SHUT_WR));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, shutdown(c, 7));
	EXPECT_EQ(EINVAL, errno);
	/* bad addresses */
	SA(&sa, "10.0.0.1", PORT);
	EXPECT_EQ(-1, connect(c, (struct sockaddr *)&sa, sizeof(sa) - 1));
	EXPECT_EQ(EINVAL, errno);
	SA(&sa, "0.0.0.0", PORT);
	EXPECT_EQ(-1, connect(c, (struct sockaddr *)&sa, sizeof(sa)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bind_to(c, "10.9.9.9", 0));
	EXPECT_EQ(EADDRNOTAVAIL, errno);
	EXPECT_EQ(-1, bind_to(c, "10.0.0.1", PORT));
	EXPECT_EQ(EADDRINUSE, errno);
	/* options */
	EXPECT_EQ(-1, recv(c, buf, 1, MSG_OOB));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, setsockopt(c, SOL_TEACH, TEACH_NODELAY, &v, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setsockopt(c, SOL_TEACH, TEACH_INFO, &v, sizeof(v)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	EXPECT_EQ(0, getsockopt(c, SOL_TEACH, TEACH_NODELAY, &v, &len));
	EXPECT_EQ(0, v);
	EXPECT_EQ(-1, getsockopt(c, SOL_TEACH, TEACH_MTU, &v, &len));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, accept(c, NULL, NULL));
	EXPECT_EQ(EINVAL, errno);
	close(c);
}

/* ---- options: window scaling, timestamps, SACK ---- */

/* a pair whose ends have rcvbuf bytes of receive buffer (0: the default) */
static int pair_buf(int lfd, int rcvbuf, int *c, int *s)
{
	*c = ssock();
	if (*c < 0)
		return -1;
	if (rcvbuf && setint(*c, SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf))
		return -1;
	if (connect_to(*c, "10.0.0.1", PORT))
		return -1;
	*s = accept(lfd, NULL, NULL);
	return *s < 0 ? -1 : 0;
}

/* one byte each way, so that each end has sent and seen a scaled window */
static int ping_pong(int c, int s)
{
	char b;

	if (send(s, "x", 1, 0) != 1 || recv(c, &b, 1, 0) != 1 ||
	    send(c, "y", 1, 0) != 1 || recv(s, &b, 1, 0) != 1)
		return -1;
	msleep(100);	/* the delayed ACKs */
	return 0;
}

TEST_F(stream, options_negotiated_big_window)
{
	struct teach_stream_info ci, si;
	int c, s, big = 1 << 20;

	ASSERT_EQ(0, setint(self->lfd, SOL_SOCKET, SO_RCVBUFFORCE, big));
	ASSERT_EQ(0, pair_buf(self->lfd, big, &c, &s));
	ASSERT_EQ(0, ping_pong(c, s));
	ASSERT_EQ(0, info(c, &ci));
	ASSERT_EQ(0, info(s, &si));
	EXPECT_EQ(1, ci.tsi_timestamps);
	EXPECT_EQ(1, si.tsi_timestamps);
	EXPECT_EQ(1, ci.tsi_sack);
	EXPECT_EQ(1, si.tsi_sack);
	/* SO_RCVBUFFORCE doubles: 2 MiB needs a shift of 6 to fit 16 bits */
	EXPECT_EQ(6, ci.tsi_rcv_wscale);
	EXPECT_EQ(ci.tsi_rcv_wscale, si.tsi_snd_wscale);
	EXPECT_EQ(si.tsi_rcv_wscale, ci.tsi_snd_wscale);
	/* windows past 64 KiB, both ways */
	EXPECT_GT(ci.tsi_rcv_wnd, 65535u);
	EXPECT_GT(si.tsi_rcv_wnd, 65535u);
	EXPECT_GT(ci.tsi_snd_wnd, 65535u);
	EXPECT_GT(si.tsi_snd_wnd, 65535u);
	/* each shifted window is whole units of the shift */
	EXPECT_EQ(0u, ci.tsi_rcv_wnd & ((1u << ci.tsi_rcv_wscale) - 1));
	EXPECT_GT(ci.tsi_rtt_us, 0u);
	close(c);
	close(s);
}

TEST_F(stream, options_off_by_sysctl)
{
	struct teach_stream_info ci, si;
	int c, s, big = 1 << 20;
	__u32 mss_off;

	ASSERT_EQ(0, write_sysctl("stream_window_scaling", "0"));
	ASSERT_EQ(0, write_sysctl("stream_timestamps", "0"));
	ASSERT_EQ(0, write_sysctl("stream_sack", "0"));
	ASSERT_EQ(0, setint(self->lfd, SOL_SOCKET, SO_RCVBUFFORCE, big));
	ASSERT_EQ(0, pair_buf(self->lfd, big, &c, &s));
	ASSERT_EQ(0, ping_pong(c, s));
	ASSERT_EQ(0, info(c, &ci));
	ASSERT_EQ(0, info(s, &si));
	EXPECT_EQ(0, ci.tsi_timestamps);
	EXPECT_EQ(0, si.tsi_timestamps);
	EXPECT_EQ(0, ci.tsi_sack);
	EXPECT_EQ(0, si.tsi_sack);
	EXPECT_EQ(0, ci.tsi_rcv_wscale);
	EXPECT_EQ(0, ci.tsi_snd_wscale);
	/* the same buffer, but the 16-bit field caps the window */
	EXPECT_EQ(65535u, ci.tsi_rcv_wnd);
	EXPECT_EQ(65535u, si.tsi_snd_wnd);
	mss_off = ci.tsi_snd_mss;
	close(c);
	close(s);

	/* one off at a time: the others are still agreed */
	ASSERT_EQ(0, write_sysctl("stream_window_scaling", "1"));
	ASSERT_EQ(0, write_sysctl("stream_sack", "1"));
	ASSERT_EQ(0, pair_buf(self->lfd, big, &c, &s));
	ASSERT_EQ(0, ping_pong(c, s));
	ASSERT_EQ(0, info(c, &ci));
	EXPECT_EQ(0, ci.tsi_timestamps);
	EXPECT_EQ(1, ci.tsi_sack);
	EXPECT_EQ(6, ci.tsi_rcv_wscale);
	EXPECT_GT(ci.tsi_rcv_wnd, 65535u);
	EXPECT_EQ(mss_off, ci.tsi_snd_mss);
	close(c);
	close(s);
	/* timestamps take 12 bytes of every segment (RFC 6691) */
	ASSERT_EQ(0, write_sysctl("stream_timestamps", "1"));
	ASSERT_EQ(0, pair_buf(self->lfd, big, &c, &s));
	ASSERT_EQ(0, info(c, &ci));
	EXPECT_EQ(1, ci.tsi_timestamps);
	EXPECT_EQ(mss_off - 12, ci.tsi_snd_mss);
	close(c);
	close(s);
	/* out of range */
	EXPECT_EQ(-1, write_sysctl("stream_sack", "2"));
	EXPECT_EQ(-1, write_sysctl("stream_timestamps", "-1"));
}

/* ---- the wire, through a raw socket of protocol 6 ---- */

/* A segment from 10.0.0.1:sport to 10.0.0.1:dport, checksum filled in */
static size_t segment(uint8_t *buf, int sport, int dport, uint32_t seq,
		      uint32_t ack, uint8_t flags, const uint8_t *opt,
		      size_t optlen, size_t paylen)
{
	struct teach_streamhdr *h = (struct teach_streamhdr *)buf;
	size_t hlen = sizeof(*h) + optlen, len = hlen + paylen;
	uint8_t pseudo[12 + 128];
	uint32_t a = htonl(0x0a000001);

	memset(buf, 0, len);
	h->source = htons(sport);
	h->dest = htons(dport);
	h->seq = htonl(seq);
	h->ack_seq = htonl(ack);
	h->doff = (hlen / 4) << 4;
	h->flags = flags;
	h->window = htons(8192);
	memcpy(buf + sizeof(*h), opt, optlen);
	memset(buf + hlen, 'p', paylen);
	memcpy(pseudo, &a, 4);
	memcpy(pseudo + 4, &a, 4);
	pseudo[8] = 0;
	pseudo[9] = TEACHPROTO_STREAM;
	pseudo[10] = len >> 8;
	pseudo[11] = len & 0xff;
	memcpy(pseudo + 12, buf, len);
	h->check = teach_csum(pseudo, 12 + len);
	return len;
}

/* The next segment the raw socket sees from port sport (header removed) */
static ssize_t raw_next(int raw, int sport, uint8_t *seg, size_t len)
{
	uint8_t pkt[2048];
	int i;

	for (i = 0; i < 20; i++) {
		ssize_t n = recv(raw, pkt, sizeof(pkt), 0);
		size_t hl;

		if (n < TEACH_HLEN)
			return -1;
		hl = (pkt[0] & 0xf) * 4;
		if ((size_t)n < hl + TEACH_STREAM_HLEN)
			continue;
		if (((struct teach_streamhdr *)(pkt + hl))->source != htons(sport))
			continue;
		n -= hl;
		memcpy(seg, pkt + hl, (size_t)n < len ? (size_t)n : len);
		return n;
	}
	return -1;
}

static int raw_send(int raw, const uint8_t *seg, size_t len)
{
	struct sockaddr_teach sa;
	socklen_t sl = SA(&sa, "10.0.0.1", 0);

	return sendto(raw, seg, len, 0, (struct sockaddr *)&sa, sl) ==
	       (ssize_t)len ? 0 : -1;
}

TEST_F(stream, wire_format_and_bad_segments)
{
	static const uint8_t mss_opt[4] = { 2, 4, 0x05, 0xb4 }; /* MSS 1460 */
	static const uint8_t bad_opt[4] = { 1, 2, 9, 0 };	  /* NOP, bad length */
	struct timeval tv = { .tv_sec = 2 };
	struct teach_streamhdr *h;
	uint8_t seg[2048], got[2048];
	long long errs, csum, rsts;
	ssize_t n;
	int raw;

	raw = teach_socket(SOCK_RAW, TEACHPROTO_STREAM);
	ASSERT_LE(0, raw);
	setsockopt(raw, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	/* a SYN to the listener: SYN-ACK, acknowledging it, with our MSS */
	n = segment(seg, 40000, PORT, 1000, 0, TEACH_STREAM_F_SYN, mss_opt, 4, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	n = raw_next(raw, PORT, got, sizeof(got));
	ASSERT_GE(n, 24);
	h = (struct teach_streamhdr *)got;
	EXPECT_EQ(TEACH_STREAM_F_SYN | TEACH_STREAM_F_ACK, h->flags);
	EXPECT_EQ(1001u, ntohl(h->ack_seq));
	EXPECT_EQ(htons(40000), h->dest);
	EXPECT_EQ(6, h->doff >> 4);
	EXPECT_EQ(TEACH_STREAM_OPT_MSS, got[20]);
	EXPECT_EQ(4, got[21]);
	EXPECT_GT(got[22] << 8 | got[23], 500);
	EXPECT_EQ(0, h->urg_ptr);

	/* an ACK to a port nobody has: <SEQ=SEG.ACK><RST> */
	rsts = mib("StreamOutRsts");
	n = segment(seg, 40001, PORT + 50, 5, 777, TEACH_STREAM_F_ACK, NULL, 0, 3);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	n = raw_next(raw, PORT + 50, got, sizeof(got));
	ASSERT_EQ(20, n);
	EXPECT_EQ(TEACH_STREAM_F_RST, h->flags);
	EXPECT_EQ(777u, ntohl(h->seq));
	/* and without ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><RST,ACK>, SYN counting one */
	n = segment(seg, 40001, PORT + 50, 5, 0, TEACH_STREAM_F_SYN, NULL, 0, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	n = raw_next(raw, PORT + 50, got, sizeof(got));
	ASSERT_EQ(20, n);
	EXPECT_EQ(TEACH_STREAM_F_RST | TEACH_STREAM_F_ACK, h->flags);
	EXPECT_EQ(0u, ntohl(h->seq));
	EXPECT_EQ(6u, ntohl(h->ack_seq));
	EXPECT_EQ(rsts + 2, mib("StreamOutRsts"));
	/* a reset is never answered */
	n = segment(seg, 40001, PORT + 50, 5, 0, TEACH_STREAM_F_RST, NULL, 0, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	EXPECT_EQ(-1, raw_next(raw, PORT + 50, got, sizeof(got)));

	/* bad segments: each dropped and counted, none answered */
	errs = mib("StreamInErrs");
	csum = mib("StreamInCsumErrors");
	n = segment(seg, 40002, PORT + 50, 1, 0, TEACH_STREAM_F_SYN, NULL, 0, 0);
	seg[16] ^= 1;					/* checksum */
	ASSERT_EQ(0, raw_send(raw, seg, n));
	n = segment(seg, 40002, PORT + 50, 1, 0, TEACH_STREAM_F_SYN, NULL, 0, 0);
	ASSERT_EQ(0, raw_send(raw, seg, 12));		/* short */
	n = segment(seg, 40002, PORT + 50, 1, 0,
		    TEACH_STREAM_F_SYN | TEACH_STREAM_F_FIN, NULL, 0, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));		/* SYN and FIN */
	n = segment(seg, 40002, PORT + 50, 1, 0, TEACH_STREAM_F_ACK, NULL, 0, 0);
	seg[12] = 4 << 4;				/* offset below 5 */
	ASSERT_EQ(0, raw_send(raw, seg, n));
	EXPECT_EQ(-1, raw_next(raw, PORT + 50, got, sizeof(got)));
	EXPECT_EQ(errs + 4, mib("StreamInErrs"));
	EXPECT_EQ(csum + 1, mib("StreamInCsumErrors"));
	/* a malformed option list is ignored, the SYN still answered */
	n = segment(seg, 40003, PORT, 1, 0, TEACH_STREAM_F_SYN, bad_opt, 4, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	n = raw_next(raw, PORT, got, sizeof(got));
	ASSERT_GE(n, 20);
	EXPECT_EQ(TEACH_STREAM_F_SYN | TEACH_STREAM_F_ACK, h->flags);
	close(raw);
}

/* The option of this kind in a segment's header, or NULL */
static const uint8_t *find_opt(const uint8_t *seg, uint8_t kind)
{
	size_t doff = (seg[12] >> 4) * 4, i = 20;

	while (i < doff) {
		if (seg[i] == 0)
			break;
		if (seg[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= doff || seg[i + 1] < 2)
			break;
		if (seg[i] == kind)
			return seg + i;
		i += seg[i + 1];
	}
	return NULL;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

TEST_F(stream, syn_options_answered)
{
	/* MSS, SACK-permitted, timestamps (TSval 0x01020304), window scale 3 */
	static const uint8_t syn_opt[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10,
					     1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 3 };
	struct timeval tv = { .tv_sec = 2 };
	uint8_t seg[2048], got[2048];
	const uint8_t *o;
	ssize_t n;
	int raw;

	raw = teach_socket(SOCK_RAW, TEACHPROTO_STREAM);
	ASSERT_LE(0, raw);
	setsockopt(raw, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = segment(seg, 40010, PORT, 5000, 0, TEACH_STREAM_F_SYN, syn_opt, 20, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	n = raw_next(raw, PORT, got, sizeof(got));
	ASSERT_GE(n, 40);
	EXPECT_EQ(10, got[12] >> 4);	/* all four answered: 20 bytes */
	o = find_opt(got, TEACH_STREAM_OPT_TIMESTAMP);
	ASSERT_NE(NULL, o);
	EXPECT_EQ(10, o[1]);
	EXPECT_EQ(0x01020304u, get32(o + 6));	/* TSecr echoes our TSval */
	EXPECT_NE(NULL, find_opt(got, TEACH_STREAM_OPT_SACK_PERM));
	o = find_opt(got, TEACH_STREAM_OPT_WSCALE);
	ASSERT_NE(NULL, o);
	EXPECT_EQ(3, o[1]);
	EXPECT_GE(14, o[2]);

	/* with the sysctls off, the same SYN gets the MSS alone */
	ASSERT_EQ(0, write_sysctl("stream_window_scaling", "0"));
	ASSERT_EQ(0, write_sysctl("stream_timestamps", "0"));
	ASSERT_EQ(0, write_sysctl("stream_sack", "0"));
	n = segment(seg, 40011, PORT, 5000, 0, TEACH_STREAM_F_SYN, syn_opt, 20, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	n = raw_next(raw, PORT, got, sizeof(got));
	ASSERT_GE(n, 24);
	EXPECT_EQ(6, got[12] >> 4);
	EXPECT_EQ(TEACH_STREAM_OPT_MSS, got[20]);
	close(raw);
}

/* The next segment from port sport that carries payload */
static ssize_t raw_next_data(int raw, int sport, uint8_t *seg, size_t len)
{
	int i;

	for (i = 0; i < 20; i++) {
		ssize_t n = raw_next(raw, sport, seg, len);

		if (n < 0)
			return -1;
		if ((size_t)n > (size_t)(seg[12] >> 4) * 4)
			return n;
	}
	return -1;
}

TEST_F(stream, paws_bad_options_bad_sack_blocks)
{
	struct timeval tv = { .tv_sec = 2 };
	long long paws = mib("StreamPAWSDrops"), bad = mib("StreamBadOptions");
	long long discard = mib("StreamSACKDiscard"), chal;
	struct teach_stream_info si;
	struct sockaddr_teach a;
	socklen_t la = sizeof(a);
	uint8_t seg[2048], got[2048], opt[40];
	uint32_t seq, ack, tsval, tsecr;
	const uint8_t *o;
	int c, s, raw, cport;
	ssize_t n;
	char b[8];

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	ASSERT_EQ(0, getsockname(c, (struct sockaddr *)&a, &la));
	cport = ntohs(a.st_port);
	raw = teach_socket(SOCK_RAW, TEACHPROTO_STREAM);
	ASSERT_LE(0, raw);
	setsockopt(raw, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	/* what c sends: its sequence numbers and timestamps */
	ASSERT_EQ(1, send(c, "a", 1, 0));
	n = raw_next_data(raw, cport, got, sizeof(got));
	ASSERT_GT(n, 0);
	ASSERT_EQ(1, recv(s, b, 1, 0));
	o = find_opt(got, TEACH_STREAM_OPT_TIMESTAMP);
	ASSERT_NE(NULL, o);
	seq = get32(got + 4) + 1;
	ack = get32(got + 8);
	tsval = get32(o + 2);
	tsecr = get32(o + 6);
	EXPECT_NE(0u, tsecr);

	/* the next byte, but with a timestamp from long ago: PAWS drops it */
	memcpy(opt, (uint8_t[]){ 1, 1, 8, 10 }, 4);
	put32(opt + 4, tsval - 100000);
	put32(opt + 8, tsecr);
	n = segment(seg, cport, PORT, seq, ack, TEACH_STREAM_F_ACK, opt, 12, 1);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	msleep(50);
	EXPECT_EQ(paws + 1, mib("StreamPAWSDrops"));
	EXPECT_EQ(-1, recv(s, b, 1, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, info(s, &si));
	EXPECT_EQ(1u, si.tsi_paws_drops);

	/* a SACK block for what s never sent is not believed */
	memcpy(opt + 12, (uint8_t[]){ 1, 1, 5, 10 }, 4);
	put32(opt + 4, tsval);
	put32(opt + 16, ack + 1000);
	put32(opt + 20, ack + 2000);
	n = segment(seg, cport, PORT, seq, ack, TEACH_STREAM_F_ACK, opt, 24, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	msleep(50);
	EXPECT_EQ(discard + 1, mib("StreamSACKDiscard"));

	/* a timestamp option of the wrong length: counted, ignored */
	memcpy(opt, (uint8_t[]){ 1, 1, 8, 6, 0, 0, 0, 0 }, 8);
	n = segment(seg, cport, PORT, seq, ack, TEACH_STREAM_F_ACK, opt, 8, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	msleep(50);
	EXPECT_EQ(bad + 1, mib("StreamBadOptions"));

	/*
	 * RFC 5961 5.2: the byte with an ACK a gigabyte below what s sent is
	 * a blind injection: dropped with its data, answered with a
	 * challenge ACK
	 */
	chal = mib("StreamChallengeAcks");
	memcpy(opt, (uint8_t[]){ 1, 1, 8, 10 }, 4);
	put32(opt + 4, tsval);
	put32(opt + 8, tsecr);
	n = segment(seg, cport, PORT, seq, ack - 0x40000000, TEACH_STREAM_F_ACK,
		    opt, 12, 1);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	msleep(50);
	EXPECT_EQ(chal + 1, mib("StreamChallengeAcks"));
	EXPECT_EQ(-1, recv(s, b, 1, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);

	/* the same byte with a fresh timestamp is taken: only PAWS stopped it */
	memcpy(opt, (uint8_t[]){ 1, 1, 8, 10 }, 4);
	put32(opt + 4, tsval + 1);
	put32(opt + 8, tsecr);
	n = segment(seg, cport, PORT, seq, ack, TEACH_STREAM_F_ACK, opt, 12, 1);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	EXPECT_EQ(1, recv(s, b, 1, 0));
	EXPECT_EQ('p', b[0]);
	EXPECT_EQ(paws + 1, mib("StreamPAWSDrops"));
	close(raw);
	/*
	 * The forged byte put s one ahead of c: c's FIN now looks old to s,
	 * which would wait for it in FIN_WAIT2 for stream_fin_timeout_ms
	 * and hold the module that long.  Resets end both at once.
	 */
	setsockopt(c, SOL_SOCKET, SO_LINGER, &(struct linger){ 1, 0 },
		   sizeof(struct linger));
	setsockopt(s, SOL_SOCKET, SO_LINGER, &(struct linger){ 1, 0 },
		   sizeof(struct linger));
	close(c);
	close(s);
}

/*
 * RFC 5961 3.2 and 4.2 against a live connection, as an attacker that
 * knows the 4-tuple would try: an RST in the window but not at rcv_nxt
 * and a SYN anywhere get a challenge ACK (an ACK of rcv_nxt) and change
 * nothing; an RST outside the window goes silently; only the RST at
 * exactly rcv_nxt resets.  stream_challenge_ack_limit bounds the ACKs.
 */
TEST_F(stream, rfc5961_rst_syn_challenge_acks)
{
	struct timeval tv = { .tv_sec = 1 };
	long long chal, rstbad, rstoow, synch, lim, resets;
	struct sockaddr_teach a;
	socklen_t la = sizeof(a);
	uint8_t seg[2048], got[2048];
	uint32_t seq, ack;
	int c, s, raw, cport, i;
	ssize_t n;
	char b[8];

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	ASSERT_EQ(0, getsockname(c, (struct sockaddr *)&a, &la));
	cport = ntohs(a.st_port);
	raw = teach_socket(SOCK_RAW, TEACHPROTO_STREAM);
	ASSERT_LE(0, raw);
	setsockopt(raw, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	/* c's numbers, from one byte it sends */
	ASSERT_EQ(1, send(c, "a", 1, 0));
	n = raw_next_data(raw, cport, got, sizeof(got));
	ASSERT_GT(n, 0);
	ASSERT_EQ(1, recv(s, b, 1, 0));
	seq = get32(got + 4) + 1;
	ack = get32(got + 8);
	msleep(100);		/* s's delayed ACK goes by */
	while (recv(raw, got, sizeof(got), MSG_DONTWAIT) > 0)
		;

	chal = mib("StreamChallengeAcks");
	rstbad = mib("StreamRSTBadSeq");
	rstoow = mib("StreamRSTOutOfWindow");
	synch = mib("StreamSYNChallenge");
	lim = mib("StreamChallengeSkipped");
	resets = mib("StreamEstabResets");

	/* an RST in the window, 100 past rcv_nxt: challenged */
	n = segment(seg, cport, PORT, seq + 100, 0, TEACH_STREAM_F_RST, NULL, 0, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	n = raw_next(raw, PORT, got, sizeof(got));
	ASSERT_GE(n, 20);
	EXPECT_EQ(TEACH_STREAM_F_ACK, got[13]);
	EXPECT_EQ(seq, get32(got + 8));
	EXPECT_EQ(rstbad + 1, mib("StreamRSTBadSeq"));
	EXPECT_EQ(chal + 1, mib("StreamChallengeAcks"));

	/* an RST half the sequence space away: dropped, not answered */
	n = segment(seg, cport, PORT, seq + 0x80000000u, 0, TEACH_STREAM_F_RST,
		    NULL, 0, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	EXPECT_EQ(-1, raw_next(raw, PORT, got, sizeof(got)));
	EXPECT_EQ(rstoow + 1, mib("StreamRSTOutOfWindow"));

	/* a SYN in the window and one far outside it: both challenged */
	n = segment(seg, cport, PORT, seq + 10, 0, TEACH_STREAM_F_SYN, NULL, 0, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	n = raw_next(raw, PORT, got, sizeof(got));
	ASSERT_GE(n, 20);
	EXPECT_EQ(TEACH_STREAM_F_ACK, got[13]);
	EXPECT_EQ(seq, get32(got + 8));
	n = segment(seg, cport, PORT, seq - 0x40000000u, 0, TEACH_STREAM_F_SYN,
		    NULL, 0, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	n = raw_next(raw, PORT, got, sizeof(got));
	ASSERT_GE(n, 20);
	EXPECT_EQ(seq, get32(got + 8));
	EXPECT_EQ(synch + 2, mib("StreamSYNChallenge"));
	EXPECT_EQ(chal + 3, mib("StreamChallengeAcks"));
	EXPECT_EQ(resets, mib("StreamEstabResets"));

	/* limit 0: still dropped and counted, but never answered */
	ASSERT_EQ(0, write_sysctl("stream_challenge_ack_limit", "0"));
	for (i = 0; i < 3; i++) {
		n = segment(seg, cport, PORT, seq + 200 + i, 0,
			    TEACH_STREAM_F_RST, NULL, 0, 0);
		ASSERT_EQ(0, raw_send(raw, seg, n));
	}
	EXPECT_EQ(-1, raw_next(raw, PORT, got, sizeof(got)));
	EXPECT_EQ(rstbad + 4, mib("StreamRSTBadSeq"));
	EXPECT_EQ(lim + 3, mib("StreamChallengeSkipped"));
	EXPECT_EQ(chal + 3, mib("StreamChallengeAcks"));
	/* limit 1: one a second (two if the second turns), the rest not */
	ASSERT_EQ(0, write_sysctl("stream_challenge_ack_limit", "1"));
	msleep(1100);		/* a new second, a new budget */
	for (i = 0; i < 6; i++) {
		n = segment(seg, cport, PORT, seq + 300 + i, 0,
			    TEACH_STREAM_F_RST, NULL, 0, 0);
		ASSERT_EQ(0, raw_send(raw, seg, n));
	}
	msleep(50);
	EXPECT_LE(chal + 4, mib("StreamChallengeAcks"));
	EXPECT_GE(chal + 5, mib("StreamChallengeAcks"));
	EXPECT_EQ(lim + 3 + 6, mib("StreamChallengeSkipped") +
		  mib("StreamChallengeAcks") - chal - 3);
	EXPECT_EQ(-1, write_sysctl("stream_challenge_ack_limit", "-1"));
	ASSERT_EQ(0, write_sysctl("stream_challenge_ack_limit", "1000"));

	/* the connection took none of it */
	ASSERT_EQ(1, send(c, "b", 1, 0));
	ASSERT_EQ(1, recv(s, b, 1, 0));
	EXPECT_EQ('b', b[0]);

	/* and the RST at exactly rcv_nxt resets */
	n = segment(seg, cport, PORT, seq + 1, ack, TEACH_STREAM_F_RST, NULL, 0, 0);
	ASSERT_EQ(0, raw_send(raw, seg, n));
	msleep(50);
	EXPECT_EQ(-1, recv(s, b, 1, 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(resets + 1, mib("StreamEstabResets"));
	close(raw);
	setsockopt(c, SOL_SOCKET, SO_LINGER, &(struct linger){ 1, 0 },
		   sizeof(struct linger));
	close(c);
	close(s);
}

/* ---- keepalive, SO_LINGER with a time, TIME_WAIT's rules, sendfile ---- */

static int getint(int fd, int level, int opt)
{
	socklen_t len = sizeof(int);
	int v;

	if (getsockopt(fd, level, opt, &v, &len) || len != sizeof(int))
		return -1000;
	return v;
}

TEST_F(stream, keepalive_options)
{
	int c, s, fd = ssock(), v = 5;

	ASSERT_LE(0, fd);
	/* the namespace's defaults: Linux's */
	EXPECT_EQ(0, getint(fd, SOL_SOCKET, SO_KEEPALIVE));
	EXPECT_EQ(7200, getint(fd, SOL_TEACH, TEACH_KEEPIDLE));
	EXPECT_EQ(75, getint(fd, SOL_TEACH, TEACH_KEEPINTVL));
	EXPECT_EQ(9, getint(fd, SOL_TEACH, TEACH_KEEPCNT));
	/* a socket that set nothing follows the sysctls */
	ASSERT_EQ(0, write_sysctl("stream_keepalive_time", "600"));
	ASSERT_EQ(0, write_sysctl("stream_keepalive_intvl", "30"));
	ASSERT_EQ(0, write_sysctl("stream_keepalive_probes", "4"));
	EXPECT_EQ(600, getint(fd, SOL_TEACH, TEACH_KEEPIDLE));
	EXPECT_EQ(30, getint(fd, SOL_TEACH, TEACH_KEEPINTVL));
	EXPECT_EQ(4, getint(fd, SOL_TEACH, TEACH_KEEPCNT));
	/* the ranges of Linux's TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT */
	EXPECT_EQ(0, setint(fd, SOL_TEACH, TEACH_KEEPIDLE, 1));
	EXPECT_EQ(0, setint(fd, SOL_TEACH, TEACH_KEEPIDLE, 32767));
	EXPECT_EQ(0, setint(fd, SOL_TEACH, TEACH_KEEPINTVL, 32767));
	EXPECT_EQ(0, setint(fd, SOL_TEACH, TEACH_KEEPCNT, 127));
	EXPECT_EQ(-1, setint(fd, SOL_TEACH, TEACH_KEEPIDLE, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setint(fd, SOL_TEACH, TEACH_KEEPIDLE, 32768));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setint(fd, SOL_TEACH, TEACH_KEEPIDLE, -1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setint(fd, SOL_TEACH, TEACH_KEEPINTVL, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setint(fd, SOL_TEACH, TEACH_KEEPINTVL, 32768));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setint(fd, SOL_TEACH, TEACH_KEEPCNT, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setint(fd, SOL_TEACH, TEACH_KEEPCNT, 128));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setsockopt(fd, SOL_TEACH, TEACH_KEEPCNT, &v, 2));
	EXPECT_EQ(EINVAL, errno);
	/* refused values changed nothing */
	EXPECT_EQ(32767, getint(fd, SOL_TEACH, TEACH_KEEPIDLE));
	EXPECT_EQ(32767, getint(fd, SOL_TEACH, TEACH_KEEPINTVL));
	EXPECT_EQ(127, getint(fd, SOL_TEACH, TEACH_KEEPCNT));
	/* and the sysctls' ranges */
	EXPECT_EQ(-1, write_sysctl("stream_keepalive_time", "0"));
	EXPECT_EQ(-1, write_sysctl("stream_keepalive_time", "32768"));
	EXPECT_EQ(-1, write_sysctl("stream_keepalive_intvl", "0"));
	EXPECT_EQ(-1, write_sysctl("stream_keepalive_probes", "0"));
	EXPECT_EQ(-1, write_sysctl("stream_keepalive_probes", "128"));
	close(fd);
	fd = ssock();
	EXPECT_EQ(600, getint(fd, SOL_TEACH, TEACH_KEEPIDLE));
	close(fd);

	/* a listener's keepalive settings go to the connections it accepts */
	ASSERT_EQ(0, setint(self->lfd, SOL_SOCKET, SO_KEEPALIVE, 1));
	ASSERT_EQ(0, setint(self->lfd, SOL_TEACH, TEACH_KEEPIDLE, 11));
	ASSERT_EQ(0, setint(self->lfd, SOL_TEACH, TEACH_KEEPINTVL, 12));
	ASSERT_EQ(0, setint(self->lfd, SOL_TEACH, TEACH_KEEPCNT, 13));
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	EXPECT_EQ(1, getint(s, SOL_SOCKET, SO_KEEPALIVE));
	EXPECT_EQ(11, getint(s, SOL_TEACH, TEACH_KEEPIDLE));
	EXPECT_EQ(12, getint(s, SOL_TEACH, TEACH_KEEPINTVL));
	EXPECT_EQ(13, getint(s, SOL_TEACH, TEACH_KEEPCNT));
	EXPECT_EQ(0, getint(c, SOL_SOCKET, SO_KEEPALIVE));
	/* on and off on a live connection */
	EXPECT_EQ(0, setint(c, SOL_SOCKET, SO_KEEPALIVE, 1));
	EXPECT_EQ(1, getint(c, SOL_SOCKET, SO_KEEPALIVE));
	EXPECT_EQ(0, setint(c, SOL_SOCKET, SO_KEEPALIVE, 0));
	EXPECT_EQ(0, getint(c, SOL_SOCKET, SO_KEEPALIVE));
	close(c);
	close(s);
}

static int keepalive_on(int fd, int idle, int intvl, int cnt)
{
	if (setint(fd, SOL_TEACH, TEACH_KEEPIDLE, idle) ||
	    setint(fd, SOL_TEACH, TEACH_KEEPINTVL, intvl) ||
	    setint(fd, SOL_TEACH, TEACH_KEEPCNT, cnt))
		return -1;
	return setint(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
}

/* The peer goes silent (netem drops everything): 3 probes, then ETIMEDOUT */
TEST_F(stream, keepalive_expires)
{
	long long probes = mib("StreamKeepAliveProbes");
	long long timeouts = mib("StreamKeepAliveTimeouts");
	struct teach_stream_info ti;
	struct timespec t0;
	struct pollfd pfd;
	char buf[4];
	long ms;
	int c, s;

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	/* the idle clock runs from the last segment c got: the SYN-ACK */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, keepalive_on(c, 1, 1, 3));
	ASSERT_EQ(0, system("/sbin/tc qdisc add dev lo root netem loss 100%"));
	/* 1 s idle, probes at 1, 2 and 3 s, the end at 4 s */
	pfd = (struct pollfd){ .fd = c, .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 10000));
	ms = ms_since(&t0);
	TH_LOG("keepalive gave up after %ld ms", ms);
	EXPECT_TRUE(pfd.revents & POLLERR);
	/* t0 is a little after the SYN-ACK: 3 intervals at least */
	EXPECT_GE(ms, 3000);
	EXPECT_LE(ms, 8000);
	EXPECT_EQ(ETIMEDOUT, getint(c, SOL_SOCKET, SO_ERROR));
	EXPECT_EQ(probes + 3, mib("StreamKeepAliveProbes"));
	EXPECT_EQ(timeouts + 1, mib("StreamKeepAliveTimeouts"));
	ASSERT_EQ(0, info(c, &ti));
	EXPECT_EQ(TEACH_SS_CLOSE, ti.tsi_state);
	EXPECT_EQ(-1, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	system("/sbin/tc qdisc del dev lo root");
	/* the other end, which did not ask for keepalive, never knew */
	ASSERT_EQ(0, info(s, &ti));
	EXPECT_EQ(TEACH_SS_ESTABLISHED, ti.tsi_state);
	close(c);
	close(s);

	/* the same through recv(): the error is what it returns */
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	ASSERT_EQ(0, keepalive_on(c, 1, 1, 1));
	ASSERT_EQ(0, system("/sbin/tc qdisc add dev lo root netem loss 100%"));
	EXPECT_EQ(-1, recv(c, buf, sizeof(buf), 0));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(probes + 4, mib("StreamKeepAliveProbes"));
	EXPECT_EQ(timeouts + 2, mib("StreamKeepAliveTimeouts"));
	system("/sbin/tc qdisc del dev lo root");
	close(c);
	close(s);
}

/* A healthy idle connection: every probe is answered, nothing ends */
TEST_F(stream, keepalive_keeps_idle_connection)
{
	long long probes = mib("StreamKeepAliveProbes");
	long long timeouts = mib("StreamKeepAliveTimeouts");
	struct teach_stream_info before, after;
	char buf[4];
	int c, s;

	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	ASSERT_EQ(0, keepalive_on(c, 1, 1, 2));
	ASSERT_EQ(0, info(c, &before));
	/* 4.5 s idle: more probes than KEEPCNT, each answered */
	msleep(4500);
	ASSERT_EQ(0, info(c, &after));
	TH_LOG("%lld probes", mib("StreamKeepAliveProbes") - probes);
	EXPECT_GE(mib("StreamKeepAliveProbes"), probes + 3);
	EXPECT_LE(mib("StreamKeepAliveProbes"), probes + 5);
	EXPECT_EQ(timeouts, mib("StreamKeepAliveTimeouts"));
	EXPECT_EQ(TEACH_SS_ESTABLISHED, after.tsi_state);
	/* a probe is an ACK that costs no sequence number: each got an answer */
	EXPECT_GE(after.tsi_segs_out, before.tsi_segs_out + 3);
	EXPECT_GE(after.tsi_segs_in, before.tsi_segs_in + 3);
	EXPECT_EQ(before.tsi_bytes_sent, after.tsi_bytes_sent);
	/* and the connection still carries data both ways */
	ASSERT_EQ(2, send(c, "hi", 2, 0));
	ASSERT_EQ(2, recv(s, buf, 2, MSG_WAITALL));
	ASSERT_EQ(2, send(s, "ho", 2, 0));
	ASSERT_EQ(2, recv(c, buf, 2, MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "ho", 2));
	/* turned off, it sends no more */
	ASSERT_EQ(0, setint(c, SOL_SOCKET, SO_KEEPALIVE, 0));
	probes = mib("StreamKeepAliveProbes");
	msleep(2500);
	EXPECT_EQ(probes, mib("StreamKeepAliveProbes"));
	close(c);
	close(s);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	alarms++;
}

/* c has filled s's 4 KiB window and its own send buffer: nothing is acked */
static void zero_window_pair(struct __test_metadata *_metadata, int *lfd,
			     int *c, int *s)
{
	int rcvbuf = 4096, i;
	char buf[4096];

	memset(buf, 'z', sizeof(buf));
	close(*lfd);
	*lfd = ssock();
	setint(*lfd, SOL_SOCKET, SO_REUSEADDR, 1);
	ASSERT_EQ(0, setsockopt(*lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				sizeof(rcvbuf)));
	ASSERT_EQ(0, bind_to(*lfd, "10.0.0.1", PORT));
	ASSERT_EQ(0, listen(*lfd, 4));
	ASSERT_EQ(0, pair(*lfd, c, s));
	fcntl(*c, F_SETFL, O_NONBLOCK);
	for (i = 0; i < 2000; i++)
		if (send(*c, buf, sizeof(buf), 0) < 0)
			break;
	ASSERT_EQ(EAGAIN, errno);
	fcntl(*c, F_SETFL, 0);
}

TEST_F(stream, linger_with_timeout)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 2 };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 500000 } };
	struct timespec t0;
	char buf[1000];
	long ms;
	int c, s;

	/* the peer does not read: close() waits l_linger seconds */
	zero_window_pair(_metadata, &self->lfd, &c, &s);
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(0, close(c));
	ms = ms_since(&t0);
	TH_LOG("close() with a zero window lingered %ld ms", ms);
	EXPECT_GE(ms, 1900);
	EXPECT_LE(ms, 4000);
	/* the orphan still holds the data in FIN_WAIT1 (04) */
	EXPECT_EQ(1, proc_count(0x04));
	close(s);

	/* everything acknowledged: close() returns as the FIN's ACK comes */
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	memset(buf, 'a', sizeof(buf));
	ASSERT_EQ(1000, send(c, buf, sizeof(buf), 0));
	ASSERT_EQ(1000, recv(s, buf, sizeof(buf), MSG_WAITALL));
	lg.l_linger = 5;
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(0, close(c));
	ms = ms_since(&t0);
	EXPECT_LE(ms, 1000);
	/* and it did wait for that ACK: nothing is left in FIN_WAIT1 */
	EXPECT_EQ(0, proc_count(0x04));
	EXPECT_EQ(1, proc_count(0x05));
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	close(s);

	/* non-blocking: no wait */
	zero_window_pair(_metadata, &self->lfd, &c, &s);
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	fcntl(c, F_SETFL, O_NONBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(0, close(c));
	EXPECT_LE(ms_since(&t0), 500);
	close(s);

	/* a signal ends the wait */
	zero_window_pair(_metadata, &self->lfd, &c, &s);
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarms = 0;
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	close(c);
	ms = ms_since(&t0);
	EXPECT_EQ(1, alarms);
	EXPECT_GE(ms, 400);
	EXPECT_LE(ms, 2500);
	signal(SIGALRM, SIG_DFL);
	close(s);
}

/* a connection from 10.0.0.1:cport (bound, SO_REUSEADDR if reuse) to dport */
static int bound_pair(int lfd, int cport, int reuse, int *c, int *s)
{
	*c = ssock();
	if (*c < 0 || setint(*c, SOL_SOCKET, SO_REUSEADDR, reuse) ||
	    bind_to(*c, "10.0.0.1", cport) || connect_to(*c, "10.0.0.1", PORT))
		return -1;
	*s = accept(lfd, NULL, NULL);
	return *s < 0 ? -1 : 0;
}

TEST_F(stream, time_wait_bind_and_connect_rules)
{
	long long recycled = mib("StreamTwRecycled");
	int c, s, b, l2, tw;
	char buf[4];
	struct timespec t0;

	/* TIME_WAIT lasts 10 s here: long enough to look at it */
	ASSERT_EQ(0, write_sysctl("stream_msl_ms", "5000"));

	/* the client closes first, so its port waits in TIME_WAIT */
	ASSERT_EQ(0, bound_pair(self->lfd, PORT + 30, 1, &c, &s));
	close(c);
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	close(s);
	msleep(50);
	EXPECT_EQ(1, proc_count(0x06));
	/* bind() to it: EADDRINUSE without SO_REUSEADDR ... */
	b = ssock();
	EXPECT_EQ(-1, bind_to(b, "10.0.0.1", PORT + 30));
	EXPECT_EQ(EADDRINUSE, errno);
	close(b);
	/* ... fine with it */
	b = ssock();
	ASSERT_EQ(0, setint(b, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, bind_to(b, "10.0.0.1", PORT + 30));
	/* but the same four-tuple is still TIME_WAIT's: EADDRNOTAVAIL */
	EXPECT_EQ(-1, connect_to(b, "10.0.0.1", PORT));
	EXPECT_EQ(EADDRNOTAVAIL, errno);
	/* another peer is another four-tuple */
	l2 = listener("10.0.0.1", PORT + 31, 4);
	ASSERT_LE(0, l2);
	EXPECT_EQ(0, connect_to(b, "10.0.0.1", PORT + 31));
	s = accept(l2, NULL, NULL);
	EXPECT_LE(0, s);
	close(s);
	close(b);
	close(l2);

	/*
	 * As Linux: SO_REUSEADDR must have been set on the socket in
	 * TIME_WAIT too; this one closed without it.
	 */
	ASSERT_EQ(0, bound_pair(self->lfd, PORT + 32, 0, &c, &s));
	close(c);
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	close(s);
	msleep(50);
	b = ssock();
	ASSERT_EQ(0, setint(b, SOL_SOCKET, SO_REUSEADDR, 1));
	EXPECT_EQ(-1, bind_to(b, "10.0.0.1", PORT + 32));
	EXPECT_EQ(EADDRINUSE, errno);
	close(b);

	/*
	 * Now the server closes first: its side waits in TIME_WAIT.  The
	 * client's port comes back to it once it has closed too, and a new
	 * SYN from it, above what TIME_WAIT received, starts a new
	 * connection at once: no retransmission (the initial RTO is 3 s).
	 */
	ASSERT_EQ(0, write_sysctl("stream_rto_initial_ms", "3000"));
	ASSERT_EQ(0, bound_pair(self->lfd, PORT + 33, 1, &c, &s));
	ASSERT_EQ(3, send(c, "old", 3, 0));
	ASSERT_EQ(3, recv(s, buf, 3, MSG_WAITALL));
	close(s);
	EXPECT_EQ(0, recv(c, buf, sizeof(buf), 0));
	close(c);
	msleep(50);
	tw = proc_count(0x06);
	EXPECT_LE(1, tw);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, bound_pair(self->lfd, PORT + 33, 1, &c, &s));
	EXPECT_LE(ms_since(&t0), 1500);
	EXPECT_EQ(recycled + 1, mib("StreamTwRecycled"));
	EXPECT_EQ(tw - 1, proc_count(0x06));
	ASSERT_EQ(3, send(c, "new", 3, 0));
	ASSERT_EQ(3, recv(s, buf, 3, MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "new", 3));
	close(c);
	close(s);
}

struct sendfile_arg {
	int sock, file;
	size_t n;
	ssize_t sent;
};

static void *sendfile_thread(void *p)
{
	struct sendfile_arg *a = p;
	off_t off = 0;

	a->sent = 0;
	while ((size_t)a->sent < a->n) {
		ssize_t w = sendfile(a->sock, a->file, &off, a->n - a->sent);

		if (w <= 0) {
			a->sent = -errno;
			break;
		}
		a->sent += w;
	}
	return NULL;
}

TEST_F(stream, sendfile_from_a_file)
{
	size_t n = debug_kernel() ? 1024 * 1024 : 4 * 1024 * 1024, i;
	char path[] = "/tmp/teach_sendfile_XXXXXX";
	struct sendfile_arg a;
	struct teach_stream_info ti;
	uint8_t *buf;
	pthread_t t;
	int c, s, fd;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	unlink(path);
	buf = malloc(n);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < n; i++)
		buf[i] = pattern(i);
	ASSERT_EQ((ssize_t)n, write(fd, buf, n));
	free(buf);
	ASSERT_EQ(0, pair(self->lfd, &c, &s));
	a = (struct sendfile_arg){ .sock = c, .file = fd, .n = n };
	ASSERT_EQ(0, pthread_create(&t, NULL, sendfile_thread, &a));
	EXPECT_EQ(0, read_check(s, 0, n));
	pthread_join(t, NULL);
	EXPECT_EQ((ssize_t)n, a.sent) TH_LOG("sendfile: %s", strerror(-a.sent));
	ASSERT_EQ(0, info(s, &ti));
	EXPECT_EQ(n, ti.tsi_bytes_received);
	close(fd);
	close(c);
	close(s);
}

TEST_HARNESS_MAIN
