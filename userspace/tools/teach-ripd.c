// SPDX-License-Identifier: GPL-2.0
/*
 * teach-ripd: a RIP-like distance-vector routing daemon for AF_TEACH.
 *
 *   teach-ripd [OPTIONS] IFNAME...
 *
 * RIPv2 (RFC 2453) over AF_TEACH datagram sockets: one socket per
 * interface, bound to it (SO_BINDTODEVICE) and to port 520; the whole table
 * is broadcast on every interface every update interval and the changes
 * soon after they happen (triggered updates); what the neighbours say goes
 * through RIP's rules (tools/rip_table.h) and the routes that come out are
 * installed in the kernel over netlink with "proto rip".  The wire format
 * and the rules are in Documentation/ripd.rst; `teach-ripd -h` is the
 * manual.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "libteach.h"
#include "rip_table.h"

#define MAX_IFS		16
#define MAX_ADDRS	8

struct rip_addr {
	uint32_t addr;			/* host order */
	uint8_t plen;
};

struct rip_if {
	char name[IF_NAMESIZE];
	int ifindex;
	int fd;
	int passive;			/* advertise its prefixes, send nothing */
	int up;				/* IFF_UP and IFF_RUNNING */
	struct rip_addr addrs[MAX_ADDRS];
	size_t naddrs;
};

static struct {
	double interval, timeout, gc;	/* seconds */
	int port;
	int limited;			/* send to 255.255.255.255 */
	int sh;				/* enum rip_split_horizon */
	int verbose;
	const char *dump_file;
} o = {
	.interval = 30, .timeout = 180, .gc = 120, .port = RIP_PORT,
	.sh = RIP_SH_POISON,
};

static struct rip_if ifs[MAX_IFS];
static size_t nifs;
static struct rip_table table;
static uint64_t counters[__RIP_COUNTER_MAX];
static struct teach_nl *nl;
static int ctl_fd = -1;			/* for interface ioctls */
static volatile sig_atomic_t got_term, got_usr1;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: teach-ripd [OPTIONS] IFNAME...\n"
		"\n"
		"A RIP-like distance-vector routing daemon for AF_TEACH (RIPv2, RFC 2453).\n"
		"It runs RIP on every IFNAME: it broadcasts its table there every update\n"
		"interval (and the changes soon after they happen), learns routes from the\n"
		"neighbours on the connected prefixes of those interfaces, and installs\n"
		"the best ones in the kernel with \"proto rip\" (see `teach route show\n"
		"proto rip`).  It never touches routes of another protocol, removes the\n"
		"stale \"proto rip\" routes of an earlier run when it starts, and its own\n"
		"when it stops (SIGTERM, SIGINT).  It stays in the foreground.\n"
		"\n"
		"Options:\n"
		"  -u SECS    update interval (default 30); each update is jittered by\n"
		"             up to 1/6 of it, triggered updates wait 1/30 to 1/6 of it\n"
		"  -t SECS    route timeout: a route not heard of for this long goes to\n"
		"             metric 16 (default 180)\n"
		"  -g SECS    garbage collection: a route at metric 16 is forgotten after\n"
		"             this long (default 120)\n"
		"  -p PORT    the UDP-like port to use (default 520; below 1024 needs\n"
		"             CAP_NET_BIND_SERVICE)\n"
		"  -P IFNAME  a passive interface: its prefixes are advertised on the\n"
		"             others, nothing is sent on it (repeatable)\n"
		"  -b MODE    where updates go: \"directed\" (default: the directed\n"
		"             broadcast of each prefix of the interface) or \"limited\"\n"
		"             (255.255.255.255)\n"
		"  -H MODE    split horizon: \"poison\" (default: poisoned reverse, a route\n"
		"             goes back where it came from with metric 16), \"simple\" (it\n"
		"             is left out) or \"none\"\n"
		"  -d FILE    keep the table and the counters in FILE (rewritten after\n"
		"             every change and update)\n"
		"  -v         log route changes and the kernel's answers on stderr\n"
		"  -h         this help\n"
		"\n"
		"Signals: SIGUSR1 prints the table and the counters on stdout; SIGTERM\n"
		"and SIGINT poison every route on every interface, remove the daemon's\n"
		"kernel routes and exit.\n"
		"\n"
		"The table, as SIGUSR1 and -d print it:\n"
		"  10.0.1.0/24 dev eth2 metric 1 connected\n"
		"  10.0.3.0/24 via 10.0.12.2 dev eth0 metric 2 expires 4.1s kernel\n"
		"  10.0.4.0/24 via 10.0.12.2 dev eth0 metric 16 gc 2.0s\n"
		"followed by \"counter NAME VALUE\" lines (InBadVersion, ...).\n"
		"\n"
		"Exit status: 0 after SIGTERM or SIGINT, 1 on an error at start, 2 usage.\n");
}

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("teach-ripd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void __attribute__((noreturn)) bad_usage(const char *what)
{
	fprintf(stderr, "teach-ripd: %s\n", what);
	usage(stderr);
	exit(2);
}

static void __attribute__((format(printf, 1, 2))) logmsg(const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "[%ld.%03ld] teach-ripd: ", (long)ts.tv_sec,
		ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t ms(double secs)
{
	return (uint64_t)llround(secs * 1000);
}

/* uniform in [lo, hi] */
static uint64_t rand_between(uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (uint64_t)random() % (hi - lo + 1);
}

static char *fmt_addr(uint32_t a, char *buf)
{
	struct teach_addr ta = { .s_addr = htonl(a) };

	return teach_ntop(ta, buf, TEACH_ADDRSTRLEN);
}

static const char *ifname_of(int ifindex)
{
	size_t i;

	for (i = 0; i < nifs; i++)
		if (ifs[i].ifindex == ifindex)
			return ifs[i].name;
	return "?";
}

static double parse_secs(const char *what, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !(v > 0) || v > 86400) {
		fprintf(stderr, "teach-ripd: %s: \"%s\" is not a time in seconds\n",
			what, s);
		exit(2);
	}
	return v;
}

/* ---- interfaces ---- */

static void add_if(const char *name, int passive)
{
	size_t i;

	if (nifs == MAX_IFS)
		bad_usage("too many interfaces");
	if (!*name || strlen(name) >= IF_NAMESIZE)
		bad_usage("bad interface name");
	for (i = 0; i < nifs; i++)
		if (!strcmp(ifs[i].name, name))
			bad_usage("an interface is named twice");
	snprintf(ifs[nifs].name, IF_NAMESIZE, "%s", name);
	ifs[nifs].passive = passive;
	ifs[nifs].fd = -1;
	nifs++;
}

static int open_if_socket(struct rip_if *ifp)
{
	struct sockaddr_teach sa;
	struct teach_addr any = { 0 };
	int fd, one = 1;

	fd = teach_socket(SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifp->name,
		       strlen(ifp->name) + 1) ||
	    bind(fd, (struct sockaddr *)&sa,
		 teach_sockaddr(&sa, any, (uint16_t)o.port))) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* One address of the namespace: keep it if it is on one of our interfaces. */
static int addr_cb(const struct teach_addr_entry *e, void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < nifs; i++) {
		struct rip_if *ifp = &ifs[i];

		if (e->ifindex != ifp->ifindex || ifp->naddrs == MAX_ADDRS)
			continue;
		ifp->addrs[ifp->naddrs].addr = ntohl(e->addr.s_addr);
		ifp->addrs[ifp->naddrs].plen = (uint8_t)e->prefixlen;
		ifp->naddrs++;
	}
	return 0;
}

/* An interface's index and whether it is up and running, 0 if it is gone. */
static int if_state(const char *name, int *up)
{
	struct ifreq ifr;
	int idx;

	*up = 0;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strnlen(name, sizeof(ifr.ifr_name) - 1));
	if (ioctl(ctl_fd, SIOCGIFINDEX, &ifr) || ifr.ifr_ifindex <= 0)
		return 0;
	idx = ifr.ifr_ifindex;
	if (!ioctl(ctl_fd, SIOCGIFFLAGS, &ifr))
		*up = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
	return idx;
}

/* Whether a is one of our addresses, on any interface of the namespace. */
static int own_addr(uint32_t a)
{
	size_t i, j;

	for (i = 0; i < nifs; i++)
		for (j = 0; j < ifs[i].naddrs; j++)
			if (ifs[i].addrs[j].addr == a)
				return 1;
	return 0;
}

/* Whether a is on one of the prefixes of ifp (and is not the network or broadcast). */
static int on_link(const struct rip_if *ifp, uint32_t a)
{
	size_t j;

	for (j = 0; j < ifp->naddrs; j++) {
		uint32_t m = rip_mask(ifp->addrs[j].plen);

		if ((a & m) != (ifp->addrs[j].addr & m))
			continue;
		if (ifp->addrs[j].plen < 31 &&
		    ((a & ~m) == 0 || (a & ~m) == ~m))
			continue;
		return 1;
	}
	return 0;
}

/*
 * Look at every interface again: its index, whether it is up and running,
 * its addresses.  A link that went down poisons what was learned over it;
 * the connected prefixes follow the addresses of the interfaces that are up.
 */
static void scan_interfaces(uint64_t now)
{
	int up[MAX_IFS];
	size_t i, j;

	rip_table_connected_begin(&table);
	for (i = 0; i < nifs; i++) {
		struct rip_if *ifp = &ifs[i];
		int idx = if_state(ifp->name, &up[i]);

		if (idx != ifp->ifindex) {
			/* gone, or made again: the socket's binding is stale */
			if (ifp->fd >= 0)
				close(ifp->fd);
			ifp->fd = -1;
			if (ifp->ifindex)
				rip_table_ifdown(&table, ifp->ifindex, now);
			ifp->ifindex = idx;
			ifp->up = 0;
			if (idx) {
				ifp->fd = open_if_socket(ifp);
				if (ifp->fd < 0)
					logmsg("%s: socket: %s", ifp->name,
					       strerror(errno));
			}
		}
		ifp->naddrs = 0;
	}
	/* one dump for all of them */
	if (teach_addr_dump(nl, 0, addr_cb, NULL))
		logmsg("address dump: %s", strerror(errno));
	for (i = 0; i < nifs; i++) {
		struct rip_if *ifp = &ifs[i];

		if (!ifp->ifindex)
			up[i] = 0;
		if (ifp->up != up[i]) {
			if (o.verbose)
				logmsg("%s is %s", ifp->name, up[i] ? "up" : "down");
			if (!up[i])
				rip_table_ifdown(&table, ifp->ifindex, now);
			ifp->up = up[i];
		}
		if (!up[i])
			continue;
		for (j = 0; j < ifp->naddrs; j++) {
			uint8_t plen = ifp->addrs[j].plen;
			uint32_t net = ifp->addrs[j].addr & rip_mask(plen);

			if (rip_dst_ok(net, plen) &&
			    rip_table_connected(&table, net, plen, ifp->ifindex) < 0)
				logmsg("out of memory");
		}
	}
	rip_table_connected_end(&table, now);
}

/* ---- the kernel's table ---- */

static void kernel_entry(struct teach_route_entry *e, const struct rip_route *r,
			 uint32_t metric, uint32_t gateway, int ifindex)
{
	memset(e, 0, sizeof(*e));
	e->dst.s_addr = htonl(r->dst);
	e->prefixlen = r->plen;
	e->type = TEACH_RTN_UNICAST;
	e->proto = TEACH_RTPROT_RIP;
	e->has_metric = 1;
	e->metric = metric;
	if (gateway) {
		e->has_gateway = 1;
		e->gateway.s_addr = htonl(gateway);
	}
	e->ifindex = ifindex;
}

static void kernel_log(const char *what, const struct rip_route *r,
		       uint32_t metric, uint32_t gateway, int ifindex, int err)
{
	char a[TEACH_ADDRSTRLEN], g[TEACH_ADDRSTRLEN];
	const char *ext = err ? teach_nl_error(nl) : NULL;

	if (err)
		counters[RIP_KERNEL_ERRORS]++;
	if (!o.verbose && !err)
		return;

	logmsg("kernel: %s %s/%u via %s dev %s metric %u%s%s%s%s%s", what,
	       fmt_addr(r->dst, a), r->plen, fmt_addr(gateway, g),
	       ifname_of(ifindex), metric, err ? ": " : "",
	       err ? strerror(err) : "", ext ? " (" : "", ext ? ext : "",
	       ext ? ")" : "");
}

static void kernel_del(struct rip_route *r)
{
	struct teach_route_entry e;
	int err = 0;

	kernel_entry(&e, r, r->kernel_metric, r->kernel_gateway,
		     r->kernel_ifindex);
	if (teach_route_del(nl, &e) && errno != ESRCH)
		err = errno;
	kernel_log("del", r, r->kernel_metric, r->kernel_gateway,
		   r->kernel_ifindex, err);
	/* Whatever happened, it is not ours any more. */
	r->kernel_metric = 0;
	r->kernel_gateway = 0;
	r->kernel_ifindex = 0;
}

/*
 * Make the kernel's table say what ours says: a learned route below
 * infinity is installed with the RIP metric as its metric, anything else
 * of ours is removed.  The kernel keys routes by prefix and metric, so a
 * new metric is added first and the old one deleted after, and a new next
 * hop at the same metric replaces our own route in place.  A prefix and
 * metric that another protocol already holds is left alone.
 */
static void kernel_sync(void)
{
	size_t i;

	for (i = 0; i < table.n; i++) {
		struct rip_route *r = &table.r[i];
		struct teach_route_entry e;
		int want = !r->connected && r->metric < RIP_INFINITY;

		if (!want) {
			if (r->kernel_metric)
				kernel_del(r);
			continue;
		}
		if (r->kernel_metric == r->metric &&
		    r->kernel_gateway == r->gateway &&
		    r->kernel_ifindex == r->ifindex)
			continue;
		/* refused: try again after the next regular update */
		if (r->kernel_refused == r->metric)
			continue;
		kernel_entry(&e, r, r->metric, r->gateway, r->ifindex);
		if (r->kernel_metric == r->metric) {
			if (teach_route_replace(nl, &e)) {
				kernel_log("replace", r, r->metric, r->gateway,
					   r->ifindex, errno);
				r->kernel_refused = r->metric;
				continue;
			}
			kernel_log("replace", r, r->metric, r->gateway,
				   r->ifindex, 0);
		} else {
			if (teach_route_add(nl, &e)) {
				/* EEXIST: another protocol's route holds the
				 * prefix at this metric; leave it alone. */
				kernel_log("add", r, r->metric, r->gateway,
					   r->ifindex, errno);
				r->kernel_refused = r->metric;
				if (r->kernel_metric)
					kernel_del(r);
				continue;
			}
			r->kernel_refused = 0;
			kernel_log("add", r, r->metric, r->gateway, r->ifindex, 0);
			if (r->kernel_metric)
				kernel_del(r);
		}
		r->kernel_metric = r->metric;
		r->kernel_gateway = r->gateway;
		r->kernel_ifindex = r->ifindex;
	}
}

static int sweep_cb(const struct teach_route_entry *e, void *arg)
{
	struct teach_route_entry *stale = arg;
	size_t i;

	if (e->proto != TEACH_RTPROT_RIP)
		return 0;
	for (i = 0; i < 64 && stale[i].proto; i++)
		;
	if (i < 64)
		stale[i] = *e;
	return 0;
}

/* The "proto rip" routes an earlier run left behind (it was killed, say). */
static void kernel_sweep(void)
{
	struct teach_route_entry stale[65];
	char a[TEACH_ADDRSTRLEN];
	size_t i;

	memset(stale, 0, sizeof(stale));
	if (teach_route_dump(nl, 0, sweep_cb, stale))
		die("route dump: %s", strerror(errno));
	for (i = 0; i < 64 && stale[i].proto; i++) {
		stale[i].has_metric = 1;
		if (teach_route_del(nl, &stale[i]) && errno != ESRCH)
			logmsg("stale route %s/%u: %s",
			       teach_ntop(stale[i].dst, a, sizeof(a)),
			       stale[i].prefixlen, strerror(errno));
		else
			logmsg("removed the stale route %s/%u",
			       teach_ntop(stale[i].dst, a, sizeof(a)),
			       stale[i].prefixlen);
	}
}

/* ---- the table, for people ---- */

static void dump_table(FILE *f, uint64_t now)
{
	char a[TEACH_ADDRSTRLEN], g[TEACH_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < table.n; i++) {
		const struct rip_route *r = &table.r[i];

		fprintf(f, "%s/%u", fmt_addr(r->dst, a), r->plen);
		if (!r->connected)
			fprintf(f, " via %s", fmt_addr(r->gateway, g));
		fprintf(f, " dev %s metric %u", ifname_of(r->ifindex), r->metric);
		if (r->connected)
			fputs(" connected", f);
		if (r->tag)
			fprintf(f, " tag %u", r->tag);
		if (r->expires)
			fprintf(f, " expires %.1fs",
				r->expires > now ? (double)(r->expires - now) / 1000 : 0);
		if (r->gc)
			fprintf(f, " gc %.1fs",
				r->gc > now ? (double)(r->gc - now) / 1000 : 0);
		if (r->kernel_metric)
			fputs(" kernel", f);
		fputc('\n', f);
	}
	for (i = 0; i < __RIP_COUNTER_MAX; i++)
		fprintf(f, "counter %s %llu\n", rip_counter_names[i],
			(unsigned long long)counters[i]);
	fflush(f);
}

static void write_dump(uint64_t now)
{
	char tmp[4096];
	FILE *f;

	if (!o.dump_file)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", o.dump_file);
	f = fopen(tmp, "w");
	if (!f) {
		logmsg("%s: %s", tmp, strerror(errno));
		return;
	}
	dump_table(f, now);
	if (fclose(f) || rename(tmp, o.dump_file))
		logmsg("%s: %s", o.dump_file, strerror(errno));
}

/* Say once what changed (-v). */
static void log_changes(void)
{
	char a[TEACH_ADDRSTRLEN], g[TEACH_ADDRSTRLEN];
	size_t i;

	if (!o.verbose)
		return;
	for (i = 0; i < table.n; i++) {
		const struct rip_route *r = &table.r[i];

		if (r->changed && !r->logged && !r->connected)
			logmsg("route %s/%u via %s dev %s metric %u",
			       fmt_addr(r->dst, a), r->plen,
			       fmt_addr(r->gateway, g), ifname_of(r->ifindex),
			       r->metric);
	}
	for (i = 0; i < table.n; i++)
		table.r[i].logged = 1;
}

/* ---- sending ---- */

static void send_entries(struct rip_if *ifp, uint32_t dst, uint16_t port,
			 int command, const struct rip_entry *e, size_t n)
{
	struct teach_addr ta = { .s_addr = htonl(dst) };
	uint8_t buf[RIP_MAX_MSG];
	struct sockaddr_teach sa;
	socklen_t salen = teach_sockaddr(&sa, ta, port);
	char a[TEACH_ADDRSTRLEN];
	size_t off = 0;

	if (ifp->fd < 0)
		return;
	do {
		size_t k = n - off > RIP_MAX_ENTRIES ? RIP_MAX_ENTRIES : n - off;
		size_t len = rip_build(buf, command, e + off, k);

		if (sendto(ifp->fd, buf, len, 0, (struct sockaddr *)&sa, salen) < 0 &&
		    o.verbose)
			logmsg("%s: sendto %s: %s", ifp->name, fmt_addr(dst, a),
			       strerror(errno));
		off += k;
	} while (off < n);
}

/* An update (or a request, when e is NULL) on every prefix of ifp. */
static void send_on_if(struct rip_if *ifp, int command,
		       const struct rip_entry *e, size_t n)
{
	size_t j;

	if (!ifp->up || ifp->passive || ifp->fd < 0 || !n)
		return;
	if (o.limited) {
		send_entries(ifp, TEACH_ADDR_BROADCAST, (uint16_t)o.port,
			     command, e, n);
		return;
	}
	for (j = 0; j < ifp->naddrs; j++) {
		uint32_t m = rip_mask(ifp->addrs[j].plen);
		uint32_t bcast = ifp->addrs[j].addr | ~m;

		if (ifp->addrs[j].plen >= 31)
			bcast = TEACH_ADDR_BROADCAST;
		send_entries(ifp, bcast, (uint16_t)o.port, command, e, n);
	}
}

/* A regular update (everything) or a triggered one (what changed). */
static void send_updates(int triggered, int poison_all)
{
	struct rip_entry *e;
	size_t i, j, n;

	if (!table.n)
		return;
	e = calloc(table.n, sizeof(*e));
	if (!e) {
		logmsg("out of memory");
		return;
	}
	for (i = 0; i < nifs; i++) {
		struct rip_if *ifp = &ifs[i];

		if (!ifp->up || ifp->passive)
			continue;
		n = rip_table_output(&table, ifp->ifindex, o.sh, triggered, e);
		if (poison_all)
			for (j = 0; j < n; j++)
				e[j].metric = RIP_INFINITY;
		if (!n)
			continue;
		send_on_if(ifp, RIP_CMD_RESPONSE, e, n);
		counters[triggered ? RIP_OUT_TRIGGERED : RIP_OUT_UPDATES]++;
	}
	free(e);
}

static void send_requests(void)
{
	struct rip_entry whole = { .afi = 0, .metric = RIP_INFINITY };
	size_t i;

	for (i = 0; i < nifs; i++)
		send_on_if(&ifs[i], RIP_CMD_REQUEST, &whole, 1);
}

/* ---- receiving ---- */

static void answer_request(struct rip_if *ifp, const struct sockaddr_teach *from,
			   struct rip_entry *req, size_t n)
{
	uint16_t port = ntohs(from->st_port);
	uint32_t src = ntohl(from->st_addr.s_addr);
	struct rip_entry *e;
	size_t i;

	counters[RIP_IN_REQUESTS]++;
	if (n == 1 && req[0].afi == 0 && req[0].metric == RIP_INFINITY) {
		/* The whole table; a query from elsewhere than a router's
		 * port gets it as it is, without split horizon. */
		if (!table.n)
			return;
		e = calloc(table.n, sizeof(*e));
		if (!e)
			return;
		n = rip_table_output(&table, ifp->ifindex,
				     port == o.port ? o.sh : RIP_SH_NONE, 0, e);
		if (n)
			send_entries(ifp, src, port, RIP_CMD_RESPONSE, e, n);
		free(e);
	} else {
		for (i = 0; i < n; i++) {
			struct rip_route *r = rip_table_find(&table, req[i].dst,
							     req[i].plen);

			req[i].metric = r ? r->metric : RIP_INFINITY;
			req[i].nexthop = 0;
		}
		send_entries(ifp, src, port, RIP_CMD_RESPONSE, req, n);
	}
	counters[RIP_OUT_RESPONSES]++;
}

static int handle_message(struct rip_if *ifp, const uint8_t *buf, size_t len,
			  const struct sockaddr_teach *from, uint64_t now)
{
	struct rip_entry e[RIP_MAX_ENTRIES];
	uint32_t src = ntohl(from->st_addr.s_addr);
	int cmd, changed = 0;
	size_t i, n;

	cmd = rip_parse(buf, len, e, &n, counters);
	if (cmd < 0)
		return 0;
	if (own_addr(src)) {
		counters[RIP_IN_OWN]++;
		return 0;
	}
	if (cmd == RIP_CMD_REQUEST) {
		if (ntohs(from->st_port) == o.port && !on_link(ifp, src)) {
			counters[RIP_IN_NOT_NEIGHBOUR]++;
			return 0;
		}
		if (n)
			answer_request(ifp, from, e, n);
		return 0;
	}
	if (ntohs(from->st_port) != o.port) {
		counters[RIP_IN_BAD_PORT]++;
		return 0;
	}
	if (!ifp->up || !on_link(ifp, src)) {
		counters[RIP_IN_NOT_NEIGHBOUR]++;
		return 0;
	}
	counters[RIP_IN_RESPONSES]++;
	for (i = 0; i < n; i++) {
		uint32_t gw = src;
		int ret;

		/* RFC 2453 4.4: a next hop on our segment is used as such. */
		if (e[i].nexthop && on_link(ifp, e[i].nexthop) &&
		    !own_addr(e[i].nexthop))
			gw = e[i].nexthop;
		ret = rip_table_update(&table, &e[i], src, gw, ifp->ifindex, now);
		if (ret < 0)
			logmsg("out of memory");
		else if (ret > 0) {
			counters[RIP_ROUTE_CHANGES]++;
			changed = 1;
		}
	}
	return changed;
}

static int receive(struct rip_if *ifp, uint64_t now)
{
	uint8_t buf[RIP_MAX_MSG + 1];
	struct sockaddr_teach from;
	int changed = 0;

	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t len = recvfrom(ifp->fd, buf, sizeof(buf), MSG_DONTWAIT,
				       (struct sockaddr *)&from, &fl);

		if (len < 0) {
			if (errno != EAGAIN && errno != EINTR && o.verbose)
				logmsg("%s: recvfrom: %s", ifp->name,
				       strerror(errno));
			break;
		}
		/* A datagram longer than any message is cut: still too long. */
		changed |= handle_message(ifp, buf, (size_t)len, &from, now);
	}
	return changed;
}

/* ---- main ---- */

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static void shutdown_daemon(void)
{
	size_t i;

	/* Tell the neighbours first, so that they need not wait for timeouts. */
	send_updates(0, 1);
	for (i = 0; i < table.n; i++)
		if (table.r[i].kernel_metric)
			kernel_del(&table.r[i]);
	logmsg("stopped, routes removed");
}

int main(int argc, char **argv)
{
	struct pollfd pfd[MAX_IFS];
	uint64_t now, next_update, next_tick, next_trig = 0, tick, ival;
	struct sigaction sa;
	sigset_t block, empty;
	size_t i;
	int c;

	while ((c = getopt(argc, argv, "u:t:g:p:P:b:H:d:vh")) != -1) {
		switch (c) {
		case 'u':
			o.interval = parse_secs("-u", optarg);
			break;
		case 't':
			o.timeout = parse_secs("-t", optarg);
			break;
		case 'g':
			o.gc = parse_secs("-g", optarg);
			break;
		case 'p': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || end == optarg || v < 1 || v > 65535)
				bad_usage("a port is a number 1..65535");
			o.port = (int)v;
			break;
		}
		case 'P':
			add_if(optarg, 1);
			break;
		case 'b':
			if (!strcmp(optarg, "directed"))
				o.limited = 0;
			else if (!strcmp(optarg, "limited"))
				o.limited = 1;
			else
				bad_usage("-b takes \"directed\" or \"limited\"");
			break;
		case 'H':
			if (!strcmp(optarg, "poison"))
				o.sh = RIP_SH_POISON;
			else if (!strcmp(optarg, "simple"))
				o.sh = RIP_SH_SIMPLE;
			else if (!strcmp(optarg, "none"))
				o.sh = RIP_SH_NONE;
			else
				bad_usage("-H takes \"poison\", \"simple\" or \"none\"");
			break;
		case 'd':
			o.dump_file = optarg;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	while (optind < argc)
		add_if(argv[optind++], 0);
	if (!nifs)
		bad_usage("name at least one interface");
	if (o.timeout <= o.interval)
		bad_usage("the timeout (-t) must be longer than the update interval (-u)");

	nl = teach_nl_open();
	if (!nl)
		die("netlink: %s%s", strerror(errno),
		    errno == ENOENT ? " (is the teach module loaded?)" : "");
	srandom((unsigned int)(getpid() ^ now_ms()));
	rip_table_init(&table, ms(o.timeout), ms(o.gc));
	ival = ms(o.interval);
	tick = ival / 4 < 1000 ? ival / 4 : 1000;
	if (tick < 50)
		tick = 50;

	ctl_fd = teach_socket(SOCK_DGRAM, 0);
	if (ctl_fd < 0)
		die("socket: %s", strerror(errno));
	for (i = 0; i < nifs; i++) {
		int up;

		ifs[i].ifindex = if_state(ifs[i].name, &up);
		if (!ifs[i].ifindex)
			die("%s: no such interface", ifs[i].name);
		ifs[i].fd = open_if_socket(&ifs[i]);
		if (ifs[i].fd < 0)
			die("%s: socket on port %d: %s", ifs[i].name, o.port,
			    strerror(errno));
	}

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &empty);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);

	kernel_sweep();
	now = now_ms();
	scan_interfaces(now);
	send_requests();
	next_tick = now + tick;
	next_update = now;	/* announce ourselves at once */
	logmsg("running on %zu interfaces, port %d, update %gs, timeout %gs, gc %gs",
	       nifs, o.port, o.interval, o.timeout, o.gc);

	for (;;) {
		struct timespec ts;
		uint64_t next, t;
		int changed = 0, ret;
		size_t np = 0;

		now = now_ms();
		if (now >= next_tick) {
			scan_interfaces(now);
			next_tick = now + tick;
		}
		ret = rip_table_age(&table, now);
		if (ret > 0) {
			counters[RIP_ROUTE_CHANGES] += (uint64_t)ret;
			changed = 1;
		}
		if (table.triggered)
			log_changes();
		kernel_sync();
		if (now >= next_update) {
			send_updates(0, 0);
			rip_table_sent(&table);
			for (i = 0; i < table.n; i++)
				table.r[i].kernel_refused = 0;
			next_update = now + rand_between(ival - ival / 6, ival + ival / 6);
			changed = 1;
		} else if (table.triggered && now >= next_trig) {
			send_updates(1, 0);
			rip_table_sent(&table);
			next_trig = now + rand_between(ival / 30, ival / 6);
			changed = 1;
		}
		if (changed)
			write_dump(now);

		next = next_tick < next_update ? next_tick : next_update;
		if (table.triggered && next_trig < next)
			next = next_trig;
		t = rip_table_next_timer(&table);
		if (t < next)
			next = t;
		t = next > now ? next - now : 0;
		ts.tv_sec = (time_t)(t / 1000);
		ts.tv_nsec = (long)(t % 1000) * 1000000;

		for (i = 0; i < nifs; i++) {
			if (ifs[i].fd < 0)
				continue;
			pfd[np].fd = ifs[i].fd;
			pfd[np].events = POLLIN;
			pfd[np].revents = 0;
			np++;
		}
		ret = ppoll(pfd, np, &ts, &empty);
		if (ret < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (got_term) {
			shutdown_daemon();
			break;
		}
		if (got_usr1) {
			got_usr1 = 0;
			dump_table(stdout, now_ms());
		}
		if (ret <= 0)
			continue;
		now = now_ms();
		changed = 0;
		for (i = 0; i < nifs; i++)
			if (ifs[i].fd >= 0)
				changed |= receive(&ifs[i], now);
		if (changed)
			write_dump(now);
	}
	for (i = 0; i < nifs; i++)
		if (ifs[i].fd >= 0)
			close(ifs[i].fd);
	close(ctl_fd);
	teach_nl_close(nl);
	rip_table_free(&table);
	return 0;
}
