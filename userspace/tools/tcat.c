// SPDX-License-Identifier: GPL-2.0
/*
 * tcat: a netcat for AF_TEACH stream and datagram sockets.
 *
 *   tcat [-t] [OPTIONS] HOST PORT    connect a stream to HOST:PORT: stdin
 *                                    to it, what comes back to stdout
 *   tcat [-t] -l [OPTIONS] [-p] PORT accept one stream connection on PORT
 *                                    (each in turn with -k)
 *   tcat -u [OPTIONS] HOST PORT      send stdin to HOST:PORT, print replies
 *   tcat -u -l [OPTIONS] [-p] PORT   receive on PORT, print what arrives,
 *                                    send stdin to whoever sent last
 *
 * Streams: at the end of stdin tcat shuts its sending half down
 * (shutdown(SHUT_WR), a FIN) and goes on printing until the peer closes
 * too; -e echoes what arrives instead of printing it.
 *
 * Each read from stdin becomes one datagram, at most the path MTU's worth
 * (TEACH_MTU less the 28 bytes of headers) unless -m says otherwise, so
 * that a file goes across without fragmentation.  Datagrams received go
 * to stdout as they are.  With -b (broadcast) the socket is not connected,
 * so replies from anyone are printed.
 *
 * Exit status: 0 done, 1 a socket call failed (the peer refused, say),
 * 2 usage.
 */
#include <errno.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "libteach.h"

#define HEADERS		(TEACH_HLEN + TEACH_DGRAM_HLEN)

static struct {
	int udp, listen, verbose, bcast, keep, echo;
	int port;			/* -p, or the listen PORT */
	int wait_ms;			/* -w: -1 none */
	int size;			/* -m: 0 from the path MTU */
	const char *source;		/* -s */
	const char *ifname;		/* -I */
} o = { .port = -1, .wait_ms = -1 };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tcat [-t|-u] [-v] [-b] [-s ADDR] [-p PORT] [-I IFNAME] [-m SIZE] [-w SECS] HOST PORT\n"
		"       tcat [-t|-u] -l [-v] [-k] [-e] [-s ADDR] [-I IFNAME] [-w SECS] [-p] PORT\n"
		"  -t        a stream (SOCK_STREAM, TCP-like), the default\n"
		"  -u        datagrams (SOCK_DGRAM)\n"
		"  -l        listen on PORT (on ADDR with -s) instead of sending first\n"
		"  -p PORT   local port (the listening port with -l)\n"
		"  -s ADDR   local address to bind\n"
		"  -I IFNAME bind to a device (needed for 255.255.255.255)\n"
		"  -b        allow sending to a broadcast address (SO_BROADCAST)\n"
		"  -k        with -l: keep taking datagrams from any sender; stdin\n"
		"            goes to the last one (default: the first sender only);\n"
		"            streams: accept one connection after another\n"
		"  -e        with -l: echo every datagram (or byte) back to its sender\n"
		"  -m SIZE   largest datagram to send (default: path MTU - 28)\n"
		"  -w SECS   after end of input, wait for more until SECS pass without\n"
		"            any; listening for datagrams: give up after SECS without one\n"
		"  -v        say what happens on stderr\n");
}

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("tcat: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void __attribute__((noreturn)) bad_usage(const char *what)
{
	fprintf(stderr, "tcat: %s\n", what);
	usage(stderr);
	exit(2);
}

static int parse_port(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > 65535)
		bad_usage("a port is a number 0..65535");
	return (int)v;
}

static char *endpoint(const struct sockaddr_teach *sa, char *buf, size_t len)
{
	char a[TEACH_ADDRSTRLEN];

	snprintf(buf, len, "%s:%u", teach_ntop(sa->st_addr, a, sizeof(a)),
		 ntohs(sa->st_port));
	return buf;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void write_all(const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(1, buf, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("stdout: %s", strerror(errno));
		}
		buf += w;
		n -= (size_t)w;
	}
}

static int open_socket(void)
{
	struct sockaddr_teach sa;
	struct teach_addr any = { 0 };
	int fd, one = 1;

	fd = teach_socket(o.udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	if (o.bcast && setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)))
		die("SO_BROADCAST: %s", strerror(errno));
	if (o.ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o.ifname,
				   strlen(o.ifname) + 1))
		die("SO_BINDTODEVICE %s: %s", o.ifname, strerror(errno));
	if (!o.udp && o.listen &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("SO_REUSEADDR: %s", strerror(errno));
	if (o.source || o.port > 0) {
		if (o.source && teach_pton(o.source, &any))
			bad_usage("-s takes an address A.B.C.D");
		teach_sockaddr(&sa, any, o.port > 0 ? o.port : 0);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
			die("bind %s:%d: %s", o.source ? o.source : "0.0.0.0",
			    o.port > 0 ? o.port : 0, strerror(errno));
	}
	return fd;
}

/* The largest datagram: -m, or what the path MTU carries unfragmented. */
static int datagram_size(int fd)
{
	socklen_t len = sizeof(int);
	int mtu;

	if (o.size)
		return o.size;
	if (getsockopt(fd, SOL_TEACH, TEACH_MTU, &mtu, &len) || mtu <= HEADERS)
		return 1472;
	return mtu - HEADERS > TEACH_DGRAM_MAX ? TEACH_DGRAM_MAX : mtu - HEADERS;
}

/*
 * One loop for both modes: stdin to the peer (when there is one),
 * datagrams to stdout.  Returns when input is done and -w has passed, or
 * when listening times out.
 */
static int run(int fd, int connected, struct sockaddr_teach *peer,
	       int have_peer)
{
	static char buf[TEACH_DGRAM_MAX + 1];
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = 0, .events = POLLIN },
	};
	int in_open = 1, size = datagram_size(fd), timeout;
	long long deadline = -1, last = now_ms();
	char ep[32];

	for (;;) {
		if (!in_open && !o.listen && deadline < 0)
			deadline = now_ms() + (o.wait_ms < 0 ? 0 : o.wait_ms);
		timeout = -1;
		if (deadline >= 0) {
			timeout = (int)(deadline - now_ms());
			if (timeout <= 0)
				return 0;
		}
		if (o.listen && o.wait_ms >= 0) {
			int idle = (int)(last + o.wait_ms - now_ms());

			if (idle <= 0) {
				if (o.verbose)
					fprintf(stderr, "tcat: nothing for %d ms, done\n",
						o.wait_ms);
				return 0;
			}
			if (timeout < 0 || idle < timeout)
				timeout = idle;
		}
		/* stdin waits until there is someone to send it to */
		p[1].fd = in_open && (connected || have_peer) ? 0 : -1;
		if (poll(p, 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (p[0].revents & (POLLIN | POLLERR)) {
			struct sockaddr_teach from;
			socklen_t flen = sizeof(from);
			ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
					     (struct sockaddr *)&from, &flen);

			if (n < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				die("%s: %s", have_peer ? endpoint(peer, ep, sizeof(ep)) :
				    "receive", strerror(errno));
			}
			last = now_ms();
			if (o.verbose)
				fprintf(stderr, "tcat: %zd bytes from %s\n", n,
					endpoint(&from, ep, sizeof(ep)));
			if (o.listen && !have_peer) {
				*peer = from;
				have_peer = 1;
				/* the first sender is the only one from now on */
				if (!o.keep && !o.echo &&
				    connect(fd, (struct sockaddr *)peer, sizeof(*peer)))
					die("connect %s: %s",
					    endpoint(peer, ep, sizeof(ep)), strerror(errno));
				connected = !o.keep && !o.echo;
			} else if (o.listen && (o.keep || o.echo)) {
				*peer = from;
			}
			if (o.echo && sendto(fd, buf, (size_t)n, 0,
					     (struct sockaddr *)&from, flen) < 0 &&
			    o.verbose)
				fprintf(stderr, "tcat: echo to %s: %s\n",
					endpoint(&from, ep, sizeof(ep)), strerror(errno));
			if (!o.echo)
				write_all(buf, (size_t)n);
		}
		if (p[1].fd >= 0 && (p[1].revents & (POLLIN | POLLHUP))) {
			ssize_t n = read(0, buf, (size_t)size);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				die("stdin: %s", strerror(errno));
			if (n == 0) {
				in_open = 0;
				if (o.verbose)
					fprintf(stderr, "tcat: end of input\n");
				continue;
			}
			if ((connected ? send(fd, buf, (size_t)n, 0) :
			     sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)peer,
				    sizeof(*peer))) < 0)
				die("send to %s: %s", endpoint(peer, ep, sizeof(ep)),
				    strerror(errno));
		}
	}
}

/*
 * A stream: stdin to the peer until end of input (then a FIN), the
 * peer's bytes to stdout (or back, with -e) until it closes.
 *
 * Sends never block: a blocking send while the peer is blocked sending
 * to us is the classic echo deadlock (both receive windows full, nobody
 * reading).  What is read waits in out[] until the socket takes it, and
 * meanwhile the peer's bytes keep being read (unless they are to be
 * echoed, and the last ones have not gone back yet).
 */
static int run_stream(int fd)
{
	static char buf[65536], out[65536];
	struct pollfd p[2] = {
		{ .fd = fd },
		{ .fd = -1, .events = POLLIN },
	};
	int in_open = !o.echo, rx_open = 1, timeout;
	size_t out_len = 0, out_off = 0;
	long long deadline = -1;

	for (;;) {
		if (!rx_open && !in_open && !out_len)
			return 0;
		timeout = -1;
		if (deadline >= 0) {
			timeout = (int)(deadline - now_ms());
			if (timeout <= 0)
				return 0;
		}
		p[0].events = (rx_open && !(o.echo && out_len) ? POLLIN : 0) |
			      (out_len ? POLLOUT : 0);
		p[0].fd = p[0].events ? fd : -1;
		p[1].fd = in_open && !out_len ? 0 : -1;
		if (poll(p, 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (out_len && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = send(fd, out + out_off, out_len - out_off,
					 MSG_NOSIGNAL | MSG_DONTWAIT);

			if (w < 0 && errno != EAGAIN && errno != EINTR)
				die("send: %s", strerror(errno));
			if (w > 0)
				out_off += (size_t)w;
			if (out_off == out_len)
				out_len = out_off = 0;
		}
		if ((p[0].events & POLLIN) &&
		    (p[0].revents & (POLLIN | POLLERR | POLLHUP))) {
			char *dst = o.echo ? out : buf;
			ssize_t n = recv(fd, dst, sizeof(buf), MSG_DONTWAIT);

			if (n < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				die("receive: %s", strerror(errno));
			}
			if (n == 0) {
				/* the peer is done sending; we may not be */
				if (o.verbose)
					fprintf(stderr, "tcat: the peer closed\n");
				if (o.echo)
					shutdown(fd, SHUT_WR);
				rx_open = 0;
				continue;
			}
			if (o.echo)
				out_len = (size_t)n;
			else
				write_all(buf, (size_t)n);
			/* -w counts silence, not the length of a transfer */
			if (deadline >= 0)
				deadline = now_ms() + o.wait_ms;
		}
		if (p[1].fd >= 0 && (p[1].revents & (POLLIN | POLLHUP))) {
			ssize_t n = read(0, out, sizeof(out));

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				die("stdin: %s", strerror(errno));
			if (n == 0) {
				in_open = 0;
				if (o.verbose)
					fprintf(stderr, "tcat: end of input\n");
				if (shutdown(fd, SHUT_WR))
					die("shutdown: %s", strerror(errno));
				if (o.wait_ms >= 0)
					deadline = now_ms() + o.wait_ms;
				continue;
			}
			out_len = (size_t)n;
		}
	}
}

/* -v: what the connection did, from TEACH_INFO */
static void stream_report(int fd)
{
	struct teach_stream_info ti;
	socklen_t len = sizeof(ti);

	int i, queued;

	if (!o.verbose)
		return;
	/* what we wrote may still be queued: report once it is acknowledged */
	for (i = 0; i < 100 && !ioctl(fd, SIOCOUTQ, &queued) && queued > 0; i++)
		usleep(100000);
	if (getsockopt(fd, SOL_TEACH, TEACH_INFO, &ti, &len))
		return;
	fprintf(stderr,
		"tcat: mss %u rtt %u us rto %u us cwnd %u ssthresh %u; sent %llu bytes in %llu segments (%u retransmitted), received %llu bytes in %llu segments\n",
		ti.tsi_snd_mss, ti.tsi_rtt_us, ti.tsi_rto_us, ti.tsi_snd_cwnd,
		ti.tsi_snd_ssthresh, (unsigned long long)ti.tsi_bytes_sent,
		(unsigned long long)ti.tsi_segs_out, ti.tsi_total_retrans,
		(unsigned long long)ti.tsi_bytes_received,
		(unsigned long long)ti.tsi_segs_in);
	/* the options agreed, in ss -i's words (older modules leave them out) */
	if (len < offsetof(struct teach_stream_info, tsi_paws_drops) +
		  sizeof(ti.tsi_paws_drops))
		return;
	fprintf(stderr, "tcat: options%s%s", ti.tsi_timestamps ? " ts" : "",
		ti.tsi_sack ? " sack" : "");
	if (ti.tsi_snd_wscale || ti.tsi_rcv_wscale)
		fprintf(stderr, " wscale:%u,%u", ti.tsi_snd_wscale,
			ti.tsi_rcv_wscale);
	fprintf(stderr, "; sack retransmits %llu, paws drops %llu\n",
		(unsigned long long)ti.tsi_sack_retrans,
		(unsigned long long)ti.tsi_paws_drops);
	/* the congestion control algorithm, as ss -i names it */
	if (len < offsetof(struct teach_stream_info, tsi_cong) +
		  sizeof(ti.tsi_cong))
		return;
	fprintf(stderr, "tcat: congestion control %.*s\n",
		(int)sizeof(ti.tsi_cong), ti.tsi_cong);
}

static int stream_listen(void)
{
	struct sockaddr_teach from;
	socklen_t flen;
	struct pollfd p;
	char ep[32];
	int fd = open_socket(), c, ret;

	if (listen(fd, 16))
		die("listen: %s", strerror(errno));
	if (o.verbose)
		fprintf(stderr, "tcat: listening on %s:%d\n",
			o.source ? o.source : "0.0.0.0", o.port);
	do {
		p = (struct pollfd){ .fd = fd, .events = POLLIN };
		if (poll(&p, 1, o.wait_ms) == 0) {
			if (o.verbose)
				fprintf(stderr, "tcat: nobody for %d ms, done\n",
					o.wait_ms);
			return 0;
		}
		flen = sizeof(from);
		c = accept(fd, (struct sockaddr *)&from, &flen);
		if (c < 0)
			die("accept: %s", strerror(errno));
		if (o.verbose)
			fprintf(stderr, "tcat: connection from %s\n",
				endpoint(&from, ep, sizeof(ep)));
		ret = run_stream(c);
		stream_report(c);
		close(c);
	} while (o.keep);
	return ret;
}

int main(int argc, char **argv)
{
	struct sockaddr_teach peer;
	struct teach_addr host;
	char *end;
	int c, fd;

	while ((c = getopt(argc, argv, "ulvbkep:s:I:m:w:th")) != -1) {
		switch (c) {
		case 'u':
			o.udp = 1;
			break;
		case 't':
			o.udp = 0;
			break;
		case 'l':
			o.listen = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'b':
			o.bcast = 1;
			break;
		case 'k':
			o.keep = 1;
			break;
		case 'e':
			o.echo = 1;
			break;
		case 'p':
			o.port = parse_port(optarg);
			break;
		case 's':
			o.source = optarg;
			break;
		case 'I':
			if (strlen(optarg) >= IF_NAMESIZE)
				bad_usage("-I: device name too long");
			o.ifname = optarg;
			break;
		case 'm':
			o.size = (int)strtol(optarg, &end, 10);
			if (*end || o.size < 1 || o.size > TEACH_DGRAM_MAX)
				bad_usage("-m takes a size 1..65507");
			break;
		case 'w':
			o.wait_ms = (int)(strtod(optarg, &end) * 1000);
			if (*end || end == optarg || o.wait_ms < 0)
				bad_usage("-w takes a number of seconds");
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!o.udp && o.bcast)
		bad_usage("-b goes with -u: a stream has one peer");
	if (!o.udp && o.listen) {
		if (optind < argc)
			o.port = parse_port(argv[optind++]);
		if (o.port <= 0 || optind != argc)
			bad_usage("-l needs one PORT (1..65535)");
		return stream_listen();
	}
	if (o.listen) {
		if (optind < argc)
			o.port = parse_port(argv[optind++]);
		if (o.port <= 0 || optind != argc)
			bad_usage("-l needs one PORT (1..65535)");
		fd = open_socket();
		if (o.verbose)
			fprintf(stderr, "tcat: listening on %s:%d\n",
				o.source ? o.source : "0.0.0.0", o.port);
		return run(fd, 0, &peer, 0);
	}
	if (o.keep || (o.echo && o.udp))
		bad_usage("-k and -e go with -l");
	if (argc - optind != 2)
		bad_usage("HOST and PORT are needed");
	if (teach_pton(argv[optind], &host))
		bad_usage("HOST is an address A.B.C.D");
	c = parse_port(argv[optind + 1]);
	if (!c)
		bad_usage("PORT 0 cannot be sent to");
	fd = open_socket();
	teach_sockaddr(&peer, host, c);
	/* to a broadcast, replies come from everyone: no peer filter then */
	if (o.bcast)
		return run(fd, 0, &peer, 1);
	if (connect(fd, (struct sockaddr *)&peer, sizeof(peer)))
		die("connect %s:%d: %s", argv[optind], c, strerror(errno));
	if (o.verbose) {
		struct sockaddr_teach me;
		socklen_t len = sizeof(me);
		char a[32], b[32];

		getsockname(fd, (struct sockaddr *)&me, &len);
		fprintf(stderr, "tcat: %s -> %s\n", endpoint(&me, a, sizeof(a)),
			endpoint(&peer, b, sizeof(b)));
	}
	if (o.udp)
		return run(fd, 1, &peer, 1);
	c = run_stream(fd);
	stream_report(fd);
	return c;
}
