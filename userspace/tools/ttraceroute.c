// SPDX-License-Identifier: GPL-2.0
/*
 * ttraceroute: traceroute(8) for AF_TEACH, in the manner of traceroute -I.
 *
 * Echo requests go out on a raw control socket with TTL first_ttl,
 * first_ttl + 1, ... (TEACH_TTL), nqueries of them per TTL, one at a time.
 * A router where the TTL runs out answers with time exceeded, which names
 * it; the destination answers with an echo reply, and an unreachable
 * message ends the trace with traceroute's !N, !H, !P, !X, !F marks.  The
 * raw socket sees every control message of the host: answers are matched
 * on the echo id and the sequence number of the probe they quote.
 *
 * Exit status: 0 the destination answered, 1 it did not, 2 usage error
 * or no socket.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>

#include "libteach.h"
#include "probe_sock.h"
#include "tping.h"
#include "ttraceroute.h"

#define MIN_PACKET	(TEACH_HLEN + TPING_CTRL_HLEN)

static struct {
	int first_ttl;
	int max_ttl;
	int nqueries;
	double waittime;		/* seconds per probe */
	int tos;			/* -1: the kernel's */
	int dontfrag;			/* -F */
	size_t packetlen;		/* network header included */
	const char *iface;
} opt = {
	.first_ttl = 1,
	.max_ttl = 30,
	.nqueries = 3,
	.waittime = 5.0,
	.tos = -1,
	.packetlen = 84,		/* what tping sends by default */
};

static void usage(void)
{
	fprintf(stderr,
		"Usage: ttraceroute [-nF] [-f first_ttl] [-m max_ttl] [-q nqueries]\n"
		"                   [-w waittime] [-t tos] [-s packetlen]\n"
		"                   [-I ifname|address] DEST [packetlen]\n"
		"  -f first_ttl  TTL of the first probes (default 1)\n"
		"  -m max_ttl    most hops to try (default 30, at most 255)\n"
		"  -q nqueries   probes per hop (default 3, at most %d)\n"
		"  -w waittime   seconds to wait for each answer (default 5, may be fractional)\n"
		"  -t tos        class byte (TOS/DiffServ) of the probes, e.g. 0x10\n"
		"  -s packetlen  bytes of each probe, headers included (default 84, %d..%d)\n"
		"  -F            set don't-fragment on the probes\n"
		"  -I iface      send from this device, or from this source address\n"
		"  -n            print numbers (teach has no names: accepted, no effect)\n",
		TTR_MAX_QUERIES, (int)MIN_PACKET, TEACH_MAXPACKET);
	exit(2);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("ttraceroute: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Decimal, or with base 0 also 0x hex (for the class byte, as ping -Q). */
static long parse_num(const char *what, const char *text, int base, long min,
		      long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, base);
	if (errno || end == text || *end || v < min || v > max)
		die("invalid %s: '%s' (%ld..%ld)", what, text, min, max);
	return v;
}

static long parse_long(const char *what, const char *text, long min, long max)
{
	return parse_num(what, text, 10, min, max);
}

static double parse_seconds(const char *what, const char *text)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(v) || v <= 0 ||
	    v > INT32_MAX / 1000)
		die("invalid %s: '%s' (seconds, more than 0)", what, text);
	return v;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int open_socket(void)
{
	const char *what;
	int fd, val;

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
	if (opt.tos >= 0 &&
	    setsockopt(fd, SOL_TEACH, TEACH_TOS, &opt.tos, sizeof(opt.tos)))
		die("can't set class (TOS): %s", strerror(errno));
	/* As traceroute: routers fragment the probes unless -F. */
	val = opt.dontfrag ? TEACH_PMTUDISC_DO : TEACH_PMTUDISC_DONT;
	if (setsockopt(fd, SOL_TEACH, TEACH_MTU_DISCOVER, &val, sizeof(val)))
		die("can't set path MTU discovery: %s", strerror(errno));
	if (opt.iface && probe_sock_iface(fd, opt.iface, &what))
		die("%s %s: %s", what, opt.iface, strerror(errno));
	return fd;
}

/*
 * Wait until deadline (microseconds, CLOCK_MONOTONIC) for the answer to
 * probe seq; fill p and return its verdict, or TTR_IGNORE on timeout.
 */
static int wait_answer(int fd, uint8_t *buf, size_t size, uint16_t id,
		       uint16_t seq, long long sent, long long deadline,
		       struct ttr_probe *p)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct tping_pkt pkt;
	long long now;
	ssize_t n;
	int verdict;

	for (;;) {
		now = now_us();
		if (now >= deadline)
			return TTR_IGNORE;
		n = poll(&pfd, 1, (int)((deadline - now + 999) / 1000));
		if (n < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (n <= 0)
			continue;
		for (;;) {
			n = recv(fd, buf, size, MSG_DONTWAIT);
			if (n < 0) {
				if (errno != EAGAIN && errno != EINTR)
					die("recv: %s", strerror(errno));
				break;
			}
			tping_parse(buf, (size_t)n, id, &pkt);
			/* Someone else's, or an earlier probe's late answer. */
			if (pkt.kind == TPING_OTHER || pkt.seq != seq)
				continue;
			verdict = ttr_classify(&pkt, p->note, sizeof(p->note));
			if (verdict == TTR_IGNORE)
				continue;
			p->answered = 1;
			p->addr = pkt.saddr;
			p->us = now_us() - sent;
			return verdict;
		}
	}
}

int main(int argc, char **argv)
{
	struct ttr_probe hop[TTR_MAX_QUERIES];
	struct sockaddr_teach dst_sa;
	struct teach_addr dst;
	const char *dest;
	size_t datalen, bufsize = TEACH_MAXPACKET + 1;
	int fd, c, ttl, q, reached = 0, done = 0, have_len = 0;
	uint16_t id, seq = 0;
	char text[96];
	uint8_t *buf;

	while ((c = getopt(argc, argv, "f:m:q:w:t:s:I:nFh")) != -1) {
		switch (c) {
		case 'f':
			opt.first_ttl = (int)parse_long("first ttl", optarg, 1, 255);
			break;
		case 'm':
			opt.max_ttl = (int)parse_long("max ttl", optarg, 1, 255);
			break;
		case 'q':
			opt.nqueries = (int)parse_long("number of queries", optarg,
						       1, TTR_MAX_QUERIES);
			break;
		case 'w':
			opt.waittime = parse_seconds("wait time", optarg);
			break;
		case 't':
			opt.tos = (int)parse_num("TOS", optarg, 0, 0, 255);
			break;
		case 's':
			opt.packetlen = (size_t)parse_long("packet length", optarg,
							   MIN_PACKET,
							   TEACH_MAXPACKET);
			have_len = 1;
			break;
		case 'I':
			if (!*optarg || strlen(optarg) >= IF_NAMESIZE)
				die("invalid interface: '%s'", optarg);
			opt.iface = optarg;
			break;
		case 'n':
			break;
		case 'F':
			opt.dontfrag = 1;
			break;
		default:
			usage();
		}
	}
	/* traceroute's synopsis: host [packetlen] */
	if (optind == argc - 2) {
		if (have_len)
			die("the packet length is given twice (-s and after DEST)");
		opt.packetlen = (size_t)parse_long("packet length",
						   argv[optind + 1], MIN_PACKET,
						   TEACH_MAXPACKET);
	} else if (optind != argc - 1) {
		usage();
	}
	if (opt.first_ttl > opt.max_ttl)
		die("first ttl (%d) is greater than max ttl (%d)",
		    opt.first_ttl, opt.max_ttl);
	dest = argv[optind];
	if (teach_pton(dest, &dst))
		die("%s: not an address (A.B.C.D)", dest);

	fd = open_socket();
	teach_sockaddr(&dst_sa, dst, 0);
	datalen = opt.packetlen - MIN_PACKET;
	buf = malloc(bufsize);
	if (!buf)
		die("%s", strerror(errno));
	id = (uint16_t)(getpid() & 0xffff);

	printf("ttraceroute to %s, %d hops max, %zu byte packets\n", dest,
	       opt.max_ttl, opt.packetlen);
	for (ttl = opt.first_ttl; ttl <= opt.max_ttl && !done; ttl++) {
		if (setsockopt(fd, SOL_TEACH, TEACH_TTL, &ttl, sizeof(ttl)))
			die("can't set time to live: %s", strerror(errno));
		printf("%2d ", ttl);
		memset(hop, 0, sizeof(hop));
		for (q = 0; q < opt.nqueries; q++) {
			struct timespec ts;
			long long sent;
			size_t len;
			ssize_t n;
			int v;

			seq++;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			len = tping_build_echo(buf, datalen, id, seq, &ts);
			sent = now_us();
			n = sendto(fd, buf, len, 0,
				   (const struct sockaddr *)&dst_sa,
				   sizeof(dst_sa));
			if (n < 0 && errno == EMSGSIZE) {
				/* Too big for the first link, with -F: !F. */
				int mtu = probe_sock_path_mtu(dst, opt.iface);

				hop[q].answered = 1;
				hop[q].addr = 0;
				if (mtu > 0)
					snprintf(hop[q].note, sizeof(hop[q].note),
						 "!F-%d", mtu);
				else
					snprintf(hop[q].note, sizeof(hop[q].note),
						 "!F");
				v = TTR_FINAL;
			} else if (n < 0 && (errno == ENOBUFS || errno == EAGAIN)) {
				/* A passing shortage: this probe is lost. */
				v = TTR_IGNORE;
			} else if (n < 0) {
				/* No route, a refusing route, device down: no trace. */
				putchar('\n');
				fflush(stdout);
				fprintf(stderr, "ttraceroute: sendto: %s\n",
					strerror(errno));
				return 1;
			} else {
				v = wait_answer(fd, buf, bufsize, id, seq, sent,
						sent + (long long)(opt.waittime * 1e6),
						&hop[q]);
			}
			if (hop[q].answered && !hop[q].addr) {
				/* Refused locally: no address, no time. */
				printf(" %s", hop[q].note);
			} else {
				ttr_format_probe(text, sizeof(text), hop, (unsigned int)q);
				fputs(text, stdout);
			}
			fflush(stdout);
			if (v == TTR_REACHED)
				reached = 1;
			if (v == TTR_REACHED || v == TTR_FINAL)
				done = 1;
		}
		putchar('\n');
		fflush(stdout);
	}
	close(fd);
	free(buf);
	return reached ? 0 : 1;
}
