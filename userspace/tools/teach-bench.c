// SPDX-License-Identifier: GPL-2.0
/*
 * teach-bench: the same workloads over AF_INET (TCP, UDP) and AF_TEACH,
 * netperf-style, so that the two stacks can be compared in one VM.
 *
 *   teach-bench server -f FAM [-p PORT]
 *   teach-bench client -f FAM -m MODE -H HOST [-p PORT] [-l SECS] [-n FLOWS]
 *                      [-s SIZE] [-L LABEL] [-B BASE]
 *   teach-bench hold   -f FAM -m bound|established -n COUNT (-a ADDR,... | -H HOST) [-p PORT]
 *   teach-bench mem    -f FAM -m dgram|stream -n COUNT -H LOCALADDR [-p PORT]
 *   teach-bench report [-j JSONFILE] [FILE]
 *
 * Everything but the address family is the same code for both: the family
 * only decides socket()'s first argument and how a sockaddr is filled in.
 *
 * The server serves every mode at once on fixed ports from PORT (5001):
 * PORT stream sink (reads to EOF, answers with the byte count), PORT+1
 * echo (rr), PORT+2 echo once and close (crr), PORT+3..PORT+6 hold (accept,
 * keep idle), and a datagram sink on PORT.  A client run prints one RESULT
 * line (tools/bench.h) with the rate and the busy CPU time of the whole VM
 * per operation, from /proc/stat.  hold keeps COUNT sockets around (bound
 * datagram sockets, or established connections to the server) until it is
 * killed; mem measures the slab memory each idle connected socket costs.
 * report turns the RESULT lines of many runs into the table and JSON.
 *
 * Over AF_TEACH, SOCK_STREAM needs the stream transport: until it exists
 * socket() fails with ESOCKTNOSUPPORT or EPROTONOSUPPORT and the stream
 * modes report "value=na reason=no stream transport" instead of failing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "libteach.h"
#include "bench.h"

#define DEFAULT_PORT	5001
#define HOLD_PORTS	4		/* PORT+3 .. PORT+6 */
#define BULK		65536		/* one write of a stream flow */
#define MAX_FLOWS	16
#define MAX_DGRAM	65507
#define BOUND_BASE	10000		/* first port of hold -m bound */
#define BOUND_LAST	65000
#define NA_STREAM	"no stream transport"

static struct {
	int family;			/* BENCH_INET, BENCH_TEACH */
	const char *mode, *host, *addrs, *label, *base;
	int port, flows, size, count;
	int nocsum;			/* -C: SO_NO_CHECK on datagrams */
	double secs;
} o = { .family = -1, .port = DEFAULT_PORT, .flows = 1, .size = 64,
	.secs = 3 };

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("teach-bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: teach-bench server -f inet|teach [-p PORT]\n"
		"       teach-bench client -f inet|teach -m MODE -H HOST [-p PORT] [-l SECS]\n"
		"                          [-n FLOWS] [-s SIZE] [-C] [-L LABEL] [-B BASE]\n"
		"         MODE: stream (bulk, -n flows), rr (1-byte transactions),\n"
		"               crr (connect, transaction, close), dgram (-s bytes a datagram)\n"
		"       teach-bench hold -f inet|teach -m bound -n COUNT -a ADDR[,ADDR...]\n"
		"       teach-bench hold -f inet|teach -m established -n COUNT -H HOST [-p PORT]\n"
		"       teach-bench mem -f inet|teach -m dgram|stream -n COUNT -H LOCALADDR [-p PORT]\n"
		"       teach-bench report [-j JSONFILE] [FILE]\n"
		"  -l SECS   length of a client run (default 3)\n"
		"  -L LABEL  the test's name in the RESULT line (default: the mode)\n"
		"  -B BASE   the test a scale run is compared with\n"
		"  -C        dgram: send without a checksum (SO_NO_CHECK), to see its cost\n");
}

/* ---- what differs between the families: socket() and sockaddrs ---- */

struct addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

static int fam_socket(int type)
{
	if (o.family == BENCH_TEACH)
		return teach_socket(type | SOCK_CLOEXEC, 0);
	return socket(AF_INET, type | SOCK_CLOEXEC, 0);
}

/* text NULL: the any address */
static void fam_addr(struct addr *a, const char *text, int port)
{
	memset(a, 0, sizeof(*a));
	if (o.family == BENCH_TEACH) {
		struct teach_addr ta = { .s_addr = htonl(TEACH_ADDR_ANY) };

		if (text && teach_pton(text, &ta))
			die("bad address \"%s\"", text);
		a->len = teach_sockaddr((struct sockaddr_teach *)&a->ss, ta,
					(uint16_t)port);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&a->ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		if (text && inet_pton(AF_INET, text, &sin->sin_addr) != 1)
			die("bad address \"%s\"", text);
		a->len = sizeof(*sin);
	}
}

/* socket() said the family has no such socket type: the stream transport */
static int no_transport(int err)
{
	return err == ESOCKTNOSUPPORT || err == EPROTONOSUPPORT;
}

/* ---- small helpers ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Room for n descriptors; without privilege, up to the hard limit, and
 * with want_all a limit below n is fatal.
 */
static void more_files(rlim_t n, int want_all)
{
	struct rlimit rl = { n, n };

	if (!setrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		if (!setrlimit(RLIMIT_NOFILE, &rl) && (rl.rlim_cur >= n || !want_all))
			return;
	}
	die("cannot raise RLIMIT_NOFILE to %lu: %s", (unsigned long)n,
	    strerror(errno));
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, (char *)buf + done, len - done);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static int connect_to(int type, const char *host, int port)
{
	struct addr a;
	int fd = fam_socket(type);

	if (fd < 0)
		return -1;
	fam_addr(&a, host, port);
	if (connect(fd, (struct sockaddr *)&a.ss, a.len)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * The whole VM's CPU time, from /proc/stat, so that a run can say how much
 * CPU each operation took and how much of it was softirq (receive
 * processing): the time split that shows where a ratio comes from.
 */
struct cpu {
	unsigned long long busy, sirq;
};

static struct cpu cpu_now(void)
{
	unsigned long long v[8] = { 0 };
	struct cpu c = { 0, 0 };
	FILE *f = fopen("/proc/stat", "re");

	if (!f)
		return c;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		/* user nice system idle iowait irq softirq steal */
		c.busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
		c.sirq = v[6];
	}
	fclose(f);
	return c;
}

static const char *fam_name(void)
{
	return bench_fam_names[o.family];
}

static void result(const char *unit, double value, double ops, double secs,
		   struct cpu c0, const char *extra)
{
	struct cpu c1 = cpu_now();
	double busy = (double)(c1.busy - c0.busy);
	double hz = (double)sysconf(_SC_CLK_TCK);

	printf("RESULT test=%s family=%s unit=%s value=%.2f ops=%.0f secs=%.2f",
	       o.label, fam_name(), unit, value, ops, secs);
	if (o.base)
		printf(" base=%s", o.base);
	if (ops > 0 && busy > 0)
		printf(" cpu_us=%.2f sirq=%.3f", busy / hz * 1e6 / ops,
		       (double)(c1.sirq - c0.sirq) / busy);
	printf("%s%s\n", extra ? " " : "", extra ? extra : "");
	fflush(stdout);
}

static void result_na(const char *unit, const char *reason)
{
	printf("RESULT test=%s family=%s unit=%s value=na", o.label, fam_name(),
	       unit);
	if (o.base)
		printf(" base=%s", o.base);
	printf(" reason=%s\n", reason);
	fflush(stdout);
}

/* ---- server ---- */

enum conn_kind { K_SINK, K_ECHO, K_CRR, K_HOLD, K_LISTEN, K_DGRAM };

struct conn {
	int fd;
	int kind;		/* enum conn_kind */
	int accepts;		/* K_LISTEN: the kind of what it accepts */
	uint64_t bytes;		/* K_SINK: received so far */
};

/* A datagram run: BEGIN resets the count, DATA counts, END asks for it. */
enum { D_DATA = 1, D_BEGIN, D_ACK, D_END, D_COUNT };

struct dgram_hdr {
	uint32_t magic;
	uint32_t run;
	uint32_t type;
	uint32_t pad;
	uint64_t count;		/* D_COUNT */
};

#define DGRAM_MAGIC	0x7465616bU	/* "teak" */
#define DGRAM_MIN	((int)sizeof(struct dgram_hdr))

static void watch(int ep, struct conn *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev))
		die("epoll_ctl: %s", strerror(errno));
}

static struct conn *new_conn(int fd, int kind)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		die("out of memory");
	c->fd = fd;
	c->kind = kind;
	return c;
}

static void drop(struct conn *c)
{
	close(c->fd);		/* also takes it out of the epoll set */
	free(c);
}

/* Returns 0 when the family has no stream transport. */
static int listen_on(int ep, int port, int kind)
{
	struct addr a;
	struct conn *c;
	int fd = fam_socket(SOCK_STREAM | SOCK_NONBLOCK), one = 1;

	if (fd < 0) {
		if (no_transport(errno))
			return 0;
		die("socket(SOCK_STREAM): %s", strerror(errno));
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	fam_addr(&a, NULL, port);
	if (bind(fd, (struct sockaddr *)&a.ss, a.len) || listen(fd, 65535))
		die("bind/listen on port %d: %s", port, strerror(errno));
	c = new_conn(fd, K_LISTEN);
	c->accepts = kind;
	watch(ep, c, EPOLLIN);
	return 1;
}

static void on_accept(int ep, struct conn *l)
{
	struct conn *c;
	int fd;

	/* level-triggered: take what is queued now, come back for the rest */
	for (;;) {
		fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		c = new_conn(fd, l->accepts);
		/* held connections are only watched for their end */
		watch(ep, c, c->kind == K_HOLD ? EPOLLRDHUP : EPOLLIN);
	}
}

static void on_stream(struct conn *c, char *buf)
{
	ssize_t n = read(c->fd, buf, BULK);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* the sink tells the sender how much arrived, then both close */
		if (c->kind == K_SINK && n == 0)
			if (write(c->fd, &c->bytes, sizeof(c->bytes)) < 0)
				(void)0;	/* the client gives up; so do we */
		drop(c);
		return;
	}
	switch (c->kind) {
	case K_SINK:
		c->bytes += (uint64_t)n;
		break;
	case K_ECHO:
	case K_CRR:
		/* one byte or a few: the socket buffer always has room */
		if (write(c->fd, buf, (size_t)n) != n || c->kind == K_CRR)
			drop(c);
		break;
	case K_HOLD:
		break;
	}
}

static void on_dgram(struct conn *c, char *buf, uint32_t *run, uint64_t *count)
{
	struct dgram_hdr *h = (struct dgram_hdr *)buf;
	struct sockaddr_storage from;
	socklen_t flen;
	ssize_t n;

	for (;;) {
		flen = sizeof(from);
		n = recvfrom(c->fd, buf, MAX_DGRAM, MSG_DONTWAIT,
			     (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		if (n < DGRAM_MIN || h->magic != DGRAM_MAGIC)
			continue;
		if (h->type == D_DATA) {
			if (h->run == *run)
				(*count)++;
			continue;
		}
		if (h->type == D_BEGIN) {
			if (h->run != *run)
				*count = 0;
			*run = h->run;
			h->type = D_ACK;
		} else if (h->type == D_END && h->run == *run) {
			h->type = D_COUNT;
			h->count = *count;
		} else {
			continue;
		}
		sendto(c->fd, h, sizeof(*h), 0, (struct sockaddr *)&from, flen);
	}
}

static int cmd_server(void)
{
	static char buf[BULK];	/* >= MAX_DGRAM */
	struct epoll_event evs[64];
	struct conn *d, *c;
	uint64_t count = 0;
	uint32_t run = 0;
	struct addr a;
	int ep, fd, i, n, streams;

	/* held connections: one descriptor each */
	more_files(1 << 18, 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1: %s", strerror(errno));
	streams = listen_on(ep, o.port, K_SINK);
	if (streams) {
		listen_on(ep, o.port + 1, K_ECHO);
		listen_on(ep, o.port + 2, K_CRR);
		for (i = 0; i < HOLD_PORTS; i++)
			listen_on(ep, o.port + 3 + i, K_HOLD);
	}
	fd = fam_socket(SOCK_DGRAM | SOCK_NONBLOCK);
	if (fd < 0)
		die("socket(SOCK_DGRAM): %s", strerror(errno));
	fam_addr(&a, NULL, o.port);
	if (bind(fd, (struct sockaddr *)&a.ss, a.len))
		die("bind datagram port %d: %s", o.port, strerror(errno));
	d = new_conn(fd, K_DGRAM);
	watch(ep, d, EPOLLIN);
	printf("ready %s port %d%s\n", fam_name(), o.port,
	       streams ? "" : " (datagrams only: " NA_STREAM ")");
	fflush(stdout);

	for (;;) {
		n = epoll_wait(ep, evs, 64, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("epoll_wait: %s", strerror(errno));
		for (i = 0; i < n; i++) {
			c = evs[i].data.ptr;
			if (c->kind == K_LISTEN)
				on_accept(ep, c);
			else if (c->kind == K_DGRAM)
				on_dgram(c, buf, &run, &count);
			else
				on_stream(c, buf);
		}
	}
}

/* ---- client modes ---- */

struct flow {
	pthread_t t;
	double start, deadline, end;
	uint64_t bytes;		/* what the server says it received */
	int err;
};

static void *stream_flow(void *arg)
{
	static char buf[BULK];
	struct flow *f = arg;
	int fd = connect_to(SOCK_STREAM, o.host, o.port);
	unsigned int i = 0;

	if (fd < 0) {
		f->err = errno;
		return NULL;
	}
	/* write until the deadline, then the count says what got across */
	while ((++i % 16) || now() < f->deadline)
		if (write(fd, buf, sizeof(buf)) < 0) {
			f->err = errno;
			close(fd);
			return NULL;
		}
	shutdown(fd, SHUT_WR);
	if (read_full(fd, &f->bytes, sizeof(f->bytes)))
		f->err = EPIPE;
	f->end = now();
	close(fd);
	return NULL;
}

static void run_stream(void)
{
	struct flow f[MAX_FLOWS];
	double start, end = 0;
	uint64_t bytes = 0;
	struct cpu c0;
	int i, probe;

	probe = fam_socket(SOCK_STREAM);
	if (probe < 0 && no_transport(errno)) {
		result_na("Mbit/s", NA_STREAM);
		return;
	}
	if (probe >= 0)
		close(probe);
	c0 = cpu_now();
	start = now();
	for (i = 0; i < o.flows; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].deadline = start + o.secs;
		if (pthread_create(&f[i].t, NULL, stream_flow, &f[i]))
			die("pthread_create failed");
	}
	for (i = 0; i < o.flows; i++) {
		pthread_join(f[i].t, NULL);
		if (f[i].err)
			die("stream flow %d: %s", i, strerror(f[i].err));
		bytes += f[i].bytes;
		if (f[i].end > end)
			end = f[i].end;
	}
	/* CPU per 64 KiB written: one "operation" of a bulk flow */
	result("Mbit/s", bytes * 8 / (end - start) / 1e6, bytes / (double)BULK,
	       end - start, c0, NULL);
}

static void run_rr(void)
{
	double start, deadline, end;
	unsigned long n = 0;
	struct cpu c0;
	char b = 'r';
	int fd = connect_to(SOCK_STREAM, o.host, o.port + 1);

	if (fd < 0 && no_transport(errno)) {
		result_na("trans/s", NA_STREAM);
		return;
	}
	if (fd < 0)
		die("connect to %s port %d: %s", o.host, o.port + 1,
		    strerror(errno));
	c0 = cpu_now();
	start = now();
	deadline = start + o.secs;
	do {
		if (write(fd, &b, 1) != 1 || read_full(fd, &b, 1))
			die("rr transaction %lu failed: %s", n, strerror(errno));
		n++;
	} while ((n % 16) || now() < deadline);
	end = now();
	close(fd);
	result("trans/s", n / (end - start), (double)n, end - start, c0, NULL);
}

static void run_crr(void)
{
	double start, deadline, end;
	unsigned long n = 0;
	struct cpu c0;
	char b = 'c';
	int fd = fam_socket(SOCK_STREAM);

	if (fd < 0 && no_transport(errno)) {
		result_na("conn/s", NA_STREAM);
		return;
	}
	if (fd >= 0)
		close(fd);
	c0 = cpu_now();
	start = now();
	deadline = start + o.secs;
	do {
		fd = connect_to(SOCK_STREAM, o.host, o.port + 2);
		if (fd < 0)
			die("crr connect %lu: %s", n, strerror(errno));
		if (write(fd, &b, 1) != 1 || read_full(fd, &b, 1))
			die("crr transaction %lu failed: %s", n, strerror(errno));
		close(fd);
		n++;
	} while (now() < deadline);
	end = now();
	result("conn/s", n / (end - start), (double)n, end - start, c0, NULL);
}

/* Send a control datagram until the server answers it; 0 or -1. */
static int dgram_ask(int fd, struct dgram_hdr *q, uint32_t want,
		     struct dgram_hdr *ans)
{
	struct timeval tv = { 0, 200000 };
	char buf[MAX_DGRAM];
	int tries;
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (tries = 0; tries < 25; tries++) {
		if (send(fd, q, sizeof(*q), 0) < 0 && errno != ENOBUFS)
			return -1;
		/* stale answers of an earlier try are read and skipped */
		while ((n = recv(fd, buf, sizeof(buf), 0)) >= 0) {
			memcpy(ans, buf, sizeof(*ans));
			if (n >= DGRAM_MIN && ans->magic == DGRAM_MAGIC &&
			    ans->run == q->run && ans->type == want)
				return 0;
		}
	}
	return -1;
}

static void run_dgram(void)
{
	static char buf[MAX_DGRAM];
	struct dgram_hdr *h = (struct dgram_hdr *)buf, q, ans;
	double start, deadline, end;
	unsigned long sent = 0, tries = 0;
	char extra[64];
	struct cpu c0;
	int fd;

	if (o.size < DGRAM_MIN || o.size > MAX_DGRAM)
		die("datagram size must be %d..%d", DGRAM_MIN, MAX_DGRAM);
	fd = connect_to(SOCK_DGRAM, o.host, o.port);
	if (fd < 0)
		die("connect to %s port %d: %s", o.host, o.port, strerror(errno));
	if (o.nocsum && setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &o.nocsum,
				   sizeof(o.nocsum)))
		die("SO_NO_CHECK: %s", strerror(errno));
	memset(&q, 0, sizeof(q));
	q.magic = DGRAM_MAGIC;
	q.run = (uint32_t)getpid() ^ (uint32_t)(now() * 1e6);
	q.type = D_BEGIN;
	if (dgram_ask(fd, &q, D_ACK, &ans))
		die("no answer from the datagram server at %s port %d", o.host,
		    o.port);
	memset(buf, 0, (size_t)o.size);
	h->magic = DGRAM_MAGIC;
	h->run = q.run;
	h->type = D_DATA;
	c0 = cpu_now();
	start = now();
	deadline = start + o.secs;
	do {
		tries++;
		/* a full device queue (ENOBUFS) is a datagram lost on the way */
		if (send(fd, buf, (size_t)o.size, 0) == o.size)
			sent++;
		else if (errno != ENOBUFS && errno != EAGAIN)
			die("send: %s", strerror(errno));
	} while ((tries % 32) || now() < deadline);
	end = now();
	q.type = D_END;
	if (dgram_ask(fd, &q, D_COUNT, &ans))
		die("the datagram server did not report its count");
	close(fd);
	snprintf(extra, sizeof(extra), "sent=%lu tries=%lu received=%llu", sent,
		 tries, (unsigned long long)ans.count);
	/* loss gets a line of its own so that the table shows it as a row */
	result("dgram/s", ans.count / (end - start), (double)ans.count,
	       end - start, c0, extra);
	printf("RESULT test=%s-loss family=%s unit=%% value=%.2f\n", o.label,
	       fam_name(), tries ? 100.0 * (1 - (double)ans.count / tries) : 0);
	fflush(stdout);
}

static int cmd_client(void)
{
	if (!o.host || !o.mode)
		die("client needs -m MODE and -H HOST");
	if (!o.label)
		o.label = o.mode;
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(o.mode, "stream")) {
		if (o.flows < 1 || o.flows > MAX_FLOWS)
			die("-n: 1..%d flows", MAX_FLOWS);
		run_stream();
	} else if (!strcmp(o.mode, "rr")) {
		run_rr();
	} else if (!strcmp(o.mode, "crr")) {
		run_crr();
	} else if (!strcmp(o.mode, "dgram")) {
		run_dgram();
	} else {
		die("unknown mode \"%s\"", o.mode);
	}
	return 0;
}

/* ---- hold: many idle sockets, for the scale runs ---- */

static void __attribute__((noreturn)) wait_forever(void)
{
	for (;;)
		pause();
}

/*
 * COUNT datagram sockets bound to distinct (address, port) pairs, spread
 * over the addresses given, so that every bucket of the bind table fills.
 */
static void hold_bound(void)
{
	char list[256], *addrs[8], *save = NULL, *p;
	int naddr = 0, i, fd, per;
	struct addr a;

	snprintf(list, sizeof(list), "%s", o.addrs);
	for (p = strtok_r(list, ",", &save); p && naddr < 8;
	     p = strtok_r(NULL, ",", &save))
		addrs[naddr++] = p;
	per = BOUND_LAST - BOUND_BASE;
	if (!naddr || o.count > naddr * per)
		die("hold -m bound: %d sockets need %d addresses",
		    o.count, (o.count + per - 1) / per);
	for (i = 0; i < o.count; i++) {
		fd = fam_socket(SOCK_DGRAM);
		if (fd < 0)
			die("socket %d: %s", i, strerror(errno));
		fam_addr(&a, addrs[i % naddr], BOUND_BASE + i / naddr);
		if (bind(fd, (struct sockaddr *)&a.ss, a.len))
			die("bind %d (%s port %d): %s", i, addrs[i % naddr],
			    BOUND_BASE + i / naddr, strerror(errno));
	}
}

/*
 * COUNT established connections to the server's hold ports, a batch of
 * nonblocking connects in flight at a time: one by one, each would wait a
 * round trip, and 100,000 of those take minutes under TCG.
 */
#define HOLD_BATCH	256

static int hold_established(void)
{
	struct pollfd pfd[HOLD_BATCH];
	int i, j, k, fd, n, err, left;
	socklen_t elen = sizeof(err);
	struct addr a;

	for (i = 0; i < o.count; i += n) {
		n = o.count - i < HOLD_BATCH ? o.count - i : HOLD_BATCH;
		for (j = 0; j < n; j++) {
			fd = fam_socket(SOCK_STREAM | SOCK_NONBLOCK);
			if (fd < 0 && i == 0 && no_transport(errno))
				return 0;
			if (fd < 0)
				die("socket %d: %s", i + j, strerror(errno));
			fam_addr(&a, o.host, o.port + 3 + (i + j) % HOLD_PORTS);
			if (connect(fd, (struct sockaddr *)&a.ss, a.len) &&
			    errno != EINPROGRESS)
				die("connection %d: %s", i + j, strerror(errno));
			pfd[j].fd = fd;
			pfd[j].events = POLLOUT;
		}
		for (left = n; left > 0;) {
			if (poll(pfd, (nfds_t)n, 10000) <= 0)
				die("connections %d..%d: no answer", i, i + n - 1);
			for (k = 0; k < n; k++) {
				if (pfd[k].fd < 0 || !pfd[k].revents)
					continue;
				if (getsockopt(pfd[k].fd, SOL_SOCKET, SO_ERROR,
					       &err, &elen) || err)
					die("connection %d: %s", i + k,
					    strerror(err));
				/* done: poll skips negative descriptors */
				pfd[k].fd = -1;
				left--;
			}
		}
	}
	return 1;
}

static int cmd_hold(void)
{
	double start = now();

	if (!o.mode || o.count < 1)
		die("hold needs -m bound|established and -n COUNT");
	more_files((rlim_t)o.count + 1000, 1);
	if (!strcmp(o.mode, "bound")) {
		if (!o.addrs)
			die("hold -m bound needs -a ADDR[,ADDR...]");
		hold_bound();
	} else if (!strcmp(o.mode, "established")) {
		if (!o.host)
			die("hold -m established needs -H HOST");
		if (!hold_established()) {
			printf("ready 0 %s: n/a (%s)\n", fam_name(), NA_STREAM);
			fflush(stdout);
			wait_forever();
		}
	} else {
		die("unknown hold mode \"%s\"", o.mode);
	}
	printf("ready %d %s sockets %s in %.1f s\n", o.count, fam_name(),
	       o.mode, now() - start);
	fflush(stdout);
	wait_forever();
}

/* ---- mem: slab memory per idle connected socket ---- */

/* Slab: in /proc/meminfo, in bytes */
static long long slab_bytes(void)
{
	char line[128];
	long long kb = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		die("/proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %lld kB", &kb) == 1)
			break;
	fclose(f);
	if (kb < 0)
		die("no Slab: line in /proc/meminfo");
	return kb * 1024;
}

/*
 * Everything the kernel allocates for an idle connected socket comes from
 * slab caches (the protocol's sock, the socket inode, the file, the dentry,
 * the route or PCB entries), so the growth of Slab: over COUNT sockets,
 * divided by COUNT, is the cost of one.  Both ends of a stream connection
 * are here (over a local address), so that is divided by 2 COUNT.  Freed
 * objects linger in RCU and per-CPU caches; the creation side is what we
 * measure, after the sockets settle.
 */
static int cmd_mem(void)
{
	int *fds, i, lfd = -1, per_conn, one = 1;
	long long before, after;
	struct addr a;
	char extra[32];

	if (!o.mode || !o.host || o.count < 1)
		die("mem needs -m dgram|stream, -n COUNT and -H LOCALADDR");
	if (!o.label)
		o.label = o.mode;
	more_files((rlim_t)o.count * 2 + 1000, 1);
	fds = calloc((size_t)o.count * 2, sizeof(*fds));
	if (!fds)
		die("out of memory");
	per_conn = !strcmp(o.mode, "stream") ? 2 : 1;
	lfd = fam_socket(per_conn == 2 ? SOCK_STREAM : SOCK_DGRAM);
	if (lfd < 0 && per_conn == 2 && no_transport(errno)) {
		result_na("bytes", NA_STREAM);
		return 0;
	}
	if (lfd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	fam_addr(&a, o.host, o.port);
	if (bind(lfd, (struct sockaddr *)&a.ss, a.len))
		die("bind %s port %d: %s", o.host, o.port, strerror(errno));
	if (per_conn == 2 && listen(lfd, 65535))
		die("listen: %s", strerror(errno));
	usleep(500000);
	before = slab_bytes();
	for (i = 0; i < o.count; i++) {
		fds[2 * i] = connect_to(per_conn == 2 ? SOCK_STREAM : SOCK_DGRAM,
					o.host, o.port);
		if (fds[2 * i] < 0)
			die("socket %d: %s", i, strerror(errno));
		if (per_conn == 2) {
			fds[2 * i + 1] = accept(lfd, NULL, NULL);
			if (fds[2 * i + 1] < 0)
				die("accept %d: %s", i, strerror(errno));
		}
	}
	usleep(500000);
	after = slab_bytes();
	snprintf(extra, sizeof(extra), "sockets=%d", o.count * per_conn);
	printf("RESULT test=%s family=%s unit=bytes value=%.0f %s\n", o.label,
	       fam_name(), (double)(after - before) / (o.count * per_conn),
	       extra);
	fflush(stdout);
	for (i = 0; i < o.count * 2; i++)
		if (fds[i] > 0)
			close(fds[i]);
	close(lfd);
	free(fds);
	return 0;
}

/* ---- report ---- */

static int cmd_report(const char *in, const char *json)
{
	static struct bench_table t;
	char line[512];
	FILE *f = in ? fopen(in, "re") : stdin, *j;

	if (!f)
		die("%s: %s", in, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		/* the VM's serial console may end lines with \r */
		line[strcspn(line, "\r")] = '\0';
		bench_feed(&t, line);
	}
	if (f != stdin)
		fclose(f);
	bench_print(stdout, &t);
	if (json) {
		j = fopen(json, "we");
		if (!j)
			die("%s: %s", json, strerror(errno));
		bench_json(j, &t);
		if (fclose(j))
			die("%s: %s", json, strerror(errno));
	}
	return t.bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *cmd, *json = NULL;
	int opt;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	argv++;
	argc--;
	while ((opt = getopt(argc, argv, "f:m:H:a:p:l:n:s:CL:B:j:h")) != -1) {
		switch (opt) {
		case 'f':
			o.family = bench_fam_parse(optarg);
			if (o.family < 0)
				die("-f: inet or teach, not \"%s\"", optarg);
			break;
		case 'm': o.mode = optarg; break;
		case 'H': o.host = optarg; break;
		case 'a': o.addrs = optarg; break;
		case 'p': o.port = atoi(optarg); break;
		case 'l': o.secs = atof(optarg); break;
		case 'n': o.flows = o.count = atoi(optarg); break;
		case 's': o.size = atoi(optarg); break;
		case 'C': o.nocsum = 1; break;
		case 'L': o.label = optarg; break;
		case 'B': o.base = optarg; break;
		case 'j': json = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!strcmp(cmd, "report"))
		return cmd_report(optind < argc ? argv[optind] : NULL, json);
	if (o.family < 0)
		die("-f inet|teach is required");
	if (o.port < 1 || o.port + 3 + HOLD_PORTS > 65535 || o.secs <= 0)
		die("bad -p or -l");
	if (!strcmp(cmd, "server"))
		return cmd_server();
	if (!strcmp(cmd, "client"))
		return cmd_client();
	if (!strcmp(cmd, "hold"))
		return cmd_hold();
	if (!strcmp(cmd, "mem"))
		return cmd_mem();
	usage(stderr);
	return 2;
}
