// SPDX-License-Identifier: GPL-2.0
/*
 * tping: ping(8) for AF_TEACH, over a raw control socket.
 *
 * The kernel builds the network header of what we send; we write the
 * control message and its checksum.  What we read starts with the network
 * header.  A raw socket sees every control message of the host, so replies
 * are matched on the echo id, and errors on the id of the request they
 * quote.  Exit status as iputils: 0 some reply came, 1 none did, 2 error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>

#include "libteach.h"
#include "probe_sock.h"
#include "tping.h"

#define MIN_USER_INTERVAL	0.2	/* seconds, as ping(8) */
#define DEFAULT_TIMEOUT		2.0	/* seconds to wait for each reply */

static struct {
	long count;			/* 0: until interrupted */
	double interval;
	double timeout;			/* -W */
	double deadline;		/* -w, 0: none */
	size_t datalen;
	int ttl;			/* 0: the kernel's */
	int tos;			/* -Q, -1: the kernel's */
	int pmtudisc;			/* -M, -1: the kernel's (want) */
	int quiet;
	int broadcast;
	const char *iface;
} opt = {
	.interval = 1.0,
	.timeout = DEFAULT_TIMEOUT,
	.datalen = 56,
	.tos = -1,
	.pmtudisc = -1,
};

static struct {
	long transmitted, received, dups, errors;
	struct tping_rtt rtt;
} st;

static volatile sig_atomic_t stop;
static uint8_t rcvd[65536 / 8];		/* seqs answered, for (DUP!) */

static void usage(void)
{
	fprintf(stderr,
		"Usage: tping [-c count] [-i interval] [-W timeout] [-w deadline]\n"
		"             [-s size] [-t ttl] [-Q tos] [-M do|want|dont] [-q] [-b]\n"
		"             [-I ifname|address] DEST\n"
		"  -c count     stop after count requests\n"
		"  -i interval  seconds between requests (default 1, may be fractional)\n"
		"  -W timeout   seconds to wait for each reply (default 2)\n"
		"  -w deadline  seconds before tping exits, whatever happened\n"
		"  -s size      bytes of data in each request (default 56)\n"
		"  -t ttl       time to live of the requests\n"
		"  -Q tos       class byte (TOS/DiffServ) of the requests, e.g. 0x10\n"
		"  -M hint      path MTU discovery: do (always don't-fragment, refuse\n"
		"               what the path cannot carry), want (don't-fragment on what\n"
		"               fits, the default), dont (let routers fragment)\n"
		"  -q           print only the summary\n"
		"  -b           allow pinging a broadcast address\n"
		"  -I iface     send from this device, or from this source address\n");
	exit(2);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("tping: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static double parse_seconds(const char *what, const char *text, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(v) || v < 0 || v > max)
		die("invalid %s: '%s'", what, text);
	return v;
}

static long parse_long(const char *what, const char *text, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max)
		die("invalid %s: '%s' (%ld..%ld)", what, text, min, max);
	return v;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long elapsed_us(const struct timespec *from,
			    const struct timespec *to)
{
	long long us = (long long)(to->tv_sec - from->tv_sec) * 1000000 +
		       (to->tv_nsec - from->tv_nsec) / 1000;

	/* A payload echoed wrong can claim any time: no negative trips. */
	return us < 0 ? 0 : us;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int open_socket(struct teach_addr dst)
{
	int fd, one = 1;

	fd = teach_socket(SOCK_RAW, TEACHPROTO_CTRL);
	if (fd < 0) {
		if (errno == EPERM || errno == EACCES)
			die("socket: %s (raw sockets need CAP_NET_RAW)",
			    strerror(errno));
		if (errno == EAFNOSUPPORT)
			die("socket: %s (is the teach module loaded?)",
			    strerror(errno));
		die("socket: %s", strerror(errno));
	}
	if (opt.ttl &&
	    setsockopt(fd, SOL_TEACH, TEACH_TTL, &opt.ttl, sizeof(opt.ttl)))
		die("can't set time to live: %s", strerror(errno));
	if (opt.tos >= 0 &&
	    setsockopt(fd, SOL_TEACH, TEACH_TOS, &opt.tos, sizeof(opt.tos)))
		die("can't set class (TOS): %s", strerror(errno));
	if (opt.pmtudisc >= 0 &&
	    setsockopt(fd, SOL_TEACH, TEACH_MTU_DISCOVER, &opt.pmtudisc,
		       sizeof(opt.pmtudisc)))
		die("can't set path MTU discovery: %s", strerror(errno));
	if (opt.broadcast &&
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)))
		die("can't set broadcasting: %s", strerror(errno));
	if (dst.s_addr == htonl(TEACH_ADDR_BROADCAST) && !opt.broadcast)
		die("Do you want to ping broadcast? Then -b. If not, check your local firewall rules");
	if (opt.iface) {
		const char *what;

		if (probe_sock_iface(fd, opt.iface, &what))
			die("%s %s: %s", what, opt.iface, strerror(errno));
	}
	return fd;
}

/* Returns 0, or -1 when the error is one to stop for. */
static int send_probe(int fd, const struct sockaddr_teach *dst, uint8_t *buf,
		      uint16_t id)
{
	uint16_t seq = (uint16_t)(st.transmitted + 1);
	struct timespec ts;
	size_t len;
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	len = tping_build_echo(buf, opt.datalen, id, seq, &ts);
	rcvd[seq / 8] &= (uint8_t)~(1U << (seq % 8));
	st.transmitted++;
	n = sendto(fd, buf, len, 0, (const struct sockaddr *)dst, sizeof(*dst));
	if (n == (ssize_t)len)
		return 0;
	if (n >= 0)
		errno = EMSGSIZE;
	if (errno == EMSGSIZE) {
		/* As ping(8) says it, with the MTU that refused it. */
		int mtu = probe_sock_path_mtu(dst->st_addr, opt.iface);

		st.errors++;
		if (mtu > 0)
			fprintf(stderr, "tping: local error: message too long, mtu=%d\n",
				mtu);
		else
			fprintf(stderr, "tping: local error: message too long (%zu bytes; path MTU unknown: %s)\n",
				len + TEACH_HLEN, strerror(errno));
		return 0;
	}
	switch (errno) {
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENOBUFS:
	case ENOMEM:
	case EAGAIN:
	case ENETDOWN:
	case EHOSTDOWN:
	case EIO:
		/* Per packet, as ping(8): count it and go on. */
		st.errors++;
		fprintf(stderr, "tping: sendto: %s\n", strerror(errno));
		return 0;
	case EACCES:
		fprintf(stderr, "tping: sendto: %s%s\n", strerror(errno),
			opt.broadcast ? "" :
			" (a broadcast without -b, or a prohibit route)");
		return -1;
	}
	fprintf(stderr, "tping: sendto: %s\n", strerror(errno));
	return -1;
}

static void handle_packet(const uint8_t *buf, size_t len,
			  const struct sockaddr_teach *from, uint16_t id)
{
	char addr[TEACH_ADDRSTRLEN], text[64], ms[32];
	struct tping_pkt pkt;
	struct timespec sent, now;
	long long us = -1;
	int dup;

	tping_parse(buf, len, id, &pkt);
	if (pkt.kind == TPING_OTHER)
		return;
	teach_ntop(from->st_addr, addr, sizeof(addr));
	if (pkt.kind == TPING_ERROR) {
		st.errors++;
		if (!opt.quiet) {
			tping_error_text(&pkt, text, sizeof(text));
			printf("From %s ctrl_seq=%u %s\n", addr, pkt.seq, text);
		}
		return;
	}

	dup = rcvd[pkt.seq / 8] & (1U << (pkt.seq % 8));
	if (dup) {
		st.dups++;
	} else {
		rcvd[pkt.seq / 8] |= (uint8_t)(1U << (pkt.seq % 8));
		st.received++;
	}
	if (pkt.data_len >= TPING_STAMP_LEN && opt.datalen >= TPING_STAMP_LEN) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		memcpy(&sent, pkt.data, sizeof(sent));
		us = elapsed_us(&sent, &now);
		if (!dup)
			tping_rtt_add(&st.rtt, us);
	}
	if (opt.quiet)
		return;
	printf("%zu bytes from %s: ctrl_seq=%u ttl=%u", pkt.ctrl_len, addr,
	       pkt.seq, pkt.ttl);
	if (us >= 0) {
		tping_format_ms(ms, sizeof(ms), us);
		printf(" time=%s ms", ms);
	}
	if (dup)
		fputs(" (DUP!)", stdout);
	if (!pkt.csum_ok)
		fputs(" (BAD CHECKSUM!)", stdout);
	else if (tping_check_data(pkt.data, pkt.data_len) >= 0)
		printf(" (wrong data byte #%ld)",
		       tping_check_data(pkt.data, pkt.data_len));
	putchar('\n');
}

static void read_packets(int fd, uint8_t *buf, size_t size, uint16_t id)
{
	struct sockaddr_teach from;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_name = &from,
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		msg.msg_namelen = sizeof(from);
		n = recvmsg(fd, &msg, MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				fprintf(stderr, "tping: recvmsg: %s\n",
					strerror(errno));
			return;
		}
		/* The header's source, should the kernel not say. */
		if (msg.msg_namelen < sizeof(from)) {
			memset(&from, 0, sizeof(from));
			if ((size_t)n >= TEACH_HLEN)
				memcpy(&from.st_addr,
				       buf + offsetof(struct teachhdr, saddr),
				       sizeof(from.st_addr));
		}
		handle_packet(buf, (size_t)n, &from, id);
	}
}

static void summary(const char *dest, double start)
{
	long long total_ms = (long long)((now_s() - start) * 1000);

	printf("\n--- %s ping statistics ---\n", dest);
	printf("%ld packets transmitted, %ld received", st.transmitted,
	       st.received);
	if (st.dups)
		printf(", +%ld duplicates", st.dups);
	if (st.errors)
		printf(", +%ld errors", st.errors);
	printf(", %g%% packet loss, time %lldms\n",
	       st.transmitted ?
	       (double)(st.transmitted - st.received) * 100.0 /
	       (double)st.transmitted : 0.0,
	       total_ms);
	if (st.rtt.n) {
		long long v[4] = {
			st.rtt.min, tping_rtt_avg(&st.rtt), st.rtt.max,
			tping_rtt_mdev(&st.rtt),
		};

		printf("rtt min/avg/max/mdev = %lld.%03lld/%lld.%03lld/%lld.%03lld/%lld.%03lld ms\n",
		       v[0] / 1000, v[0] % 1000, v[1] / 1000, v[1] % 1000,
		       v[2] / 1000, v[2] % 1000, v[3] / 1000, v[3] % 1000);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	double start, now, next_send, last_send = 0, wait;
	struct sockaddr_teach dst_sa;
	struct teach_addr dst;
	struct pollfd pfd;
	const char *dest;
	uint8_t *buf;
	size_t bufsize = TEACH_MAXPACKET + 1;
	uint16_t id;
	int fd, c, sending = 1;

	while ((c = getopt(argc, argv, "c:i:W:w:s:t:Q:M:qbI:h")) != -1) {
		switch (c) {
		case 'c':
			opt.count = parse_long("count", optarg, 1, LONG_MAX);
			break;
		case 'i':
			opt.interval = parse_seconds("interval", optarg,
						     INT32_MAX / 1000);
			break;
		case 'W':
			opt.timeout = parse_seconds("timeout", optarg,
						    INT32_MAX / 1000);
			if (opt.timeout <= 0)
				die("invalid timeout: '%s'", optarg);
			break;
		case 'w':
			opt.deadline = parse_seconds("deadline", optarg,
						     INT32_MAX / 1000);
			if (opt.deadline <= 0)
				die("invalid deadline: '%s'", optarg);
			break;
		case 's':
			opt.datalen = (size_t)parse_long("packet size", optarg,
							 0, TPING_MAX_DATA);
			break;
		case 't':
			opt.ttl = (int)parse_long("ttl", optarg, 1, 255);
			break;
		case 'Q': {
			/* As ping -Q: decimal or 0x hex */
			char *end;

			errno = 0;
			opt.tos = (int)strtol(optarg, &end, 0);
			if (errno || end == optarg || *end || opt.tos < 0 ||
			    opt.tos > 255)
				die("invalid TOS: '%s' (0..255 or 0x00..0xff)",
				    optarg);
			break;
		}
		case 'M':
			opt.pmtudisc = tping_pmtudisc_parse(optarg);
			if (opt.pmtudisc < 0)
				die("invalid -M hint: '%s' (do, want or dont)",
				    optarg);
			break;
		case 'q':
			opt.quiet = 1;
			break;
		case 'b':
			opt.broadcast = 1;
			break;
		case 'I':
			if (strlen(optarg) >= IF_NAMESIZE)
				die("invalid interface: '%s'", optarg);
			opt.iface = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	dest = argv[optind];
	if (teach_pton(dest, &dst))
		die("%s: not an address (A.B.C.D)", dest);
	if (opt.interval < MIN_USER_INTERVAL && geteuid() != 0)
		die("cannot flood; minimal interval allowed for user is %dms",
		    (int)(MIN_USER_INTERVAL * 1000));

	fd = open_socket(dst);
	teach_sockaddr(&dst_sa, dst, 0);
	buf = malloc(bufsize);
	if (!buf)
		die("%s", strerror(errno));
	id = (uint16_t)(getpid() & 0xffff);

	/* No SA_RESTART: poll() must return to notice. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	printf("PING %s %zu(%zu) bytes of data.\n", dest, opt.datalen,
	       opt.datalen + TPING_CTRL_HLEN + TEACH_HLEN);
	fflush(stdout);

	start = now_s();
	next_send = start;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!stop) {
		now = now_s();
		if (opt.deadline && now >= start + opt.deadline)
			break;
		if (sending && now >= next_send) {
			/* ping(8) gives up without a summary here too. */
			if (send_probe(fd, &dst_sa, buf, id))
				exit(2);
			last_send = now;
			next_send += opt.interval;
			/* Fell behind (a stopped process): do not burst. */
			if (next_send < now)
				next_send = now;
			if (opt.count && st.transmitted >= opt.count)
				sending = 0;
		}
		if (!sending) {
			/* Every request answered, or the last one timed out. */
			if (st.received + st.errors >= st.transmitted ||
			    now >= last_send + opt.timeout)
				break;
			wait = last_send + opt.timeout - now;
		} else {
			wait = next_send - now;
		}
		if (opt.deadline && start + opt.deadline - now < wait)
			wait = start + opt.deadline - now;
		if (wait < 0)
			wait = 0;
		c = poll(&pfd, 1, (int)(wait * 1000 + 0.999));
		if (c < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (c > 0)
			read_packets(fd, buf, bufsize, id);
		fflush(stdout);
	}
	summary(dest, start);
	close(fd);
	free(buf);
	if (!st.received ||
	    (opt.deadline && opt.count && st.received < opt.count))
		return 1;
	return 0;
}
