// SPDX-License-Identifier: GPL-2.0
/*
 * teach: configure and watch AF_TEACH addresses, neighbours, routes,
 * counters and sockets over the generic netlink family "teach", in the
 * style of ip(8) (and of ss(8) for sockets).
 *
 * Exit status: 0 success, 1 usage error, 2 the kernel (or the system)
 * refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <net/if.h>

#include "libteach.h"
#include "json.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define EXIT_USAGE	1
#define EXIT_KERNEL	2

static int json;
static int pretty;
static int show_stats;
static int show_info;
static struct teach_nl *nl;
static struct json jw;

/* The usage of the object being run, for usage errors. */
static void (*usage_fn)(FILE *f);

/*
 * With -batch, a failing command returns to the batch loop instead of
 * ending the program: the error paths below leave through bail().
 */
static jmp_buf *batch_jmp;

static void bail(int status) __attribute__((noreturn));

static void bail(int status)
{
	if (batch_jmp)
		longjmp(*batch_jmp, status);
	exit(status);
}

static void usage_main(FILE *f)
{
	fprintf(f,
		"Usage: teach [OPTIONS] OBJECT { COMMAND | help }\n"
		"       teach help\n"
		"       teach [OPTIONS] -b[atch] FILE\n"
		"OBJECT := { address | neighbour | route | stats | sock | monitor | trace }\n"
		"OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -i[nfo] |\n"
		"             -n[etns] NAME | -f[orce] | -h[elp] }\n");
}

static void usage_addr(FILE *f)
{
	fprintf(f,
		"Usage: teach address add PREFIX dev IFNAME\n"
		"       teach address del ADDR[/LEN] dev IFNAME\n"
		"       teach address show [dev IFNAME]\n"
		"       teach address flush dev IFNAME\n"
		"PREFIX := A.B.C.D[/LEN]   (no /LEN: /32)\n");
}

static void usage_neigh(FILE *f)
{
	fprintf(f,
		"Usage: teach neighbour { add | replace } ADDR lladdr LLADDR dev IFNAME\n"
		"                         [nud STATE]\n"
		"       teach neighbour del ADDR dev IFNAME\n"
		"       teach neighbour show [ADDR] [dev IFNAME] [nud STATE]\n"
		"       teach neighbour flush [dev IFNAME]\n"
		"LLADDR := XX:XX:XX:XX:XX:XX\n"
		"STATE := { permanent | reachable | stale | incomplete | failed }\n");
}

static void usage_route(FILE *f)
{
	fprintf(f,
		"Usage: teach route { add | del | replace } ROUTE\n"
		"       teach route show [dev IFNAME] [proto PROTO]\n"
		"       teach route get ADDR\n"
		"ROUTE := [TYPE] PREFIX [via ADDR] [dev IFNAME] [metric N]\n"
		"         [src ADDR] [proto PROTO] [type TYPE]\n"
		"PREFIX := { A.B.C.D[/LEN] | default }\n"
		"TYPE := { unicast | blackhole | unreachable | prohibit |\n"
		"          local | broadcast }\n"
		"PROTO := { kernel | static | rip | NUMBER }\n");
}

static void usage_stats(FILE *f)
{
	fprintf(f,
		"Usage: teach stats [show] [COUNTER...]\n"
		"COUNTER := a counter name (InReceives, OutRequests, ...)\n");
}

static void usage_sock(FILE *f)
{
	fprintf(f,
		"Usage: teach sock [show] [-i] [type TYPE] [state STATE] [port PORT]\n"
		"TYPE := { stream | dgram | raw }\n"
		"STATE := { unconn | estab | listen | syn-sent | time-wait | ... } (any state teach sock shows)\n"
		"-s adds the owner, inode, drops and bound device of each socket\n"
		"-i (or teach -i sock) adds each stream socket's TEACH_INFO, as ss -i:\n"
		"   options, timers in microseconds, windows in bytes, counters\n");
}

static void usage_monitor(FILE *f)
{
	fprintf(f, "Usage: teach monitor [ { address | neighbour | route | all } ...]\n");
}

static void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("teach: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	(usage_fn ? usage_fn : usage_main)(stderr);
	bail(EXIT_USAGE);
}

static void fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* A command-line value that is well formed but names nothing: no usage. */
static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("teach: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	bail(EXIT_USAGE);
}

/* The kernel refused: "teach: <strerror>: <extack>". */
static void nl_fail(void) __attribute__((noreturn));

static void nl_fail(void)
{
	int err = errno;
	const char *msg = teach_nl_error(nl);

	if (msg)
		fprintf(stderr, "teach: %s: %s\n", strerror(err), msg);
	else
		fprintf(stderr, "teach: %s\n", strerror(err));
	bail(EXIT_KERNEL);
}

static void nl_get(void)
{
	if (nl)
		return;
	nl = teach_nl_open();
	if (nl)
		return;
	if (errno == ENOENT)
		fprintf(stderr,
			"teach: the teach module is not loaded (generic netlink family '%s' not found)\n",
			TEACH_GENL_NAME);
	else
		fprintf(stderr, "teach: cannot talk to generic netlink: %s\n",
			strerror(errno));
	bail(EXIT_KERNEL);
}

/* ip's rule: a non-empty prefix of the keyword matches it. */
static int matches(const char *arg, const char *word)
{
	size_t len = strlen(arg);

	return len && len <= strlen(word) && !strncmp(arg, word, len);
}

static void need_arg(int argc, char **argv)
{
	if (argc < 2)
		usage_error("\"%s\" needs an argument", argv[0]);
}

static int dev_index(const char *name)
{
	/* A batch names the same device line after line, as ip's cache knows. */
	static char last_name[IF_NAMESIZE];
	static unsigned int last_idx;
	unsigned int idx;

	if (strlen(name) >= IF_NAMESIZE)
		fail("\"%s\" is too long for a device name", name);
	if (batch_jmp && last_idx && !strcmp(name, last_name))
		return (int)last_idx;
	idx = if_nametoindex(name);
	if (!idx)
		fail("cannot find device \"%s\"", name);
	snprintf(last_name, sizeof(last_name), "%s", name);
	last_idx = idx;
	return (int)idx;
}

static const char *dev_name(int ifindex, const char *ifname, char *buf)
{
	if (ifname && *ifname)
		return ifname;
	if (if_indextoname((unsigned int)ifindex, buf))
		return buf;
	snprintf(buf, IF_NAMESIZE, "if%d", ifindex);
	return buf;
}

static struct teach_addr parse_addr(const char *what, const char *text)
{
	struct teach_addr a;

	if (teach_pton(text, &a))
		usage_error("\"%s\" is not a valid %s (A.B.C.D)", text, what);
	return a;
}

static uint32_t parse_u32(const char *what, const char *text)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*text < '0' || *text > '9')
		goto bad;
	v = strtoull(text, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		goto bad;
	return (uint32_t)v;
bad:
	usage_error("\"%s\" is not a valid %s", text, what);
}

static char *ntop(struct teach_addr a, char *buf)
{
	return teach_ntop(a, buf, TEACH_ADDRSTRLEN);
}

static void upper(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = (char)(src[i] >= 'a' && src[i] <= 'z' ?
				src[i] - 'a' + 'A' : src[i]);
	dst[i] = '\0';
}

enum {
	C_ADD, C_REPLACE, C_DEL, C_SHOW, C_FLUSH, C_GET, C_HELP,
};

#define CMD(c)	(1U << (c))

/* In ip's order, so that the same letters pick the same command. */
static const struct {
	const char *word;
	int cmd;
} commands[] = {
	{ "add", C_ADD }, { "replace", C_REPLACE }, { "delete", C_DEL },
	{ "show", C_SHOW }, { "list", C_SHOW }, { "ls", C_SHOW },
	{ "lst", C_SHOW }, { "flush", C_FLUSH }, { "get", C_GET },
	{ "help", C_HELP },
};

/* The command argv[0] names, among those in allowed; "show" by default. */
static int get_command(int *argc, char ***argv, const char *object,
		       unsigned int allowed)
{
	const char *word;
	size_t i;

	if (*argc < 1)
		return C_SHOW;
	word = (*argv)[0];
	(*argc)--;
	(*argv)++;
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if ((allowed & CMD(commands[i].cmd)) &&
		    matches(word, commands[i].word))
			return commands[i].cmd;
	usage_error("unknown command \"%s\" for %s", word, object);
}

/* -j show: the array opens with the first entry, so a failure prints nothing. */
static int list_open;

static void list_entry(void)
{
	if (json && !list_open) {
		json_start_array(&jw, NULL);
		list_open = 1;
	}
}

static void list_end(void)
{
	list_entry();
	if (json)
		json_end_array(&jw);
}

/* ---- addresses ---- */

static void print_addr(const struct teach_addr_entry *e, int deleted)
{
	char a[TEACH_ADDRSTRLEN], b[TEACH_ADDRSTRLEN], name[IF_NAMESIZE];
	const char *dev = dev_name(e->ifindex, e->ifname, name);
	int brd = e->has_broadcast && e->broadcast.s_addr;

	if (json) {
		json_start_object(&jw, NULL);
		if (deleted >= 0) {
			json_string(&jw, "object", "address");
			json_string(&jw, "event", deleted ? "del" : "new");
		}
		json_int(&jw, "ifindex", e->ifindex);
		json_string(&jw, "ifname", dev);
		json_string(&jw, "local", ntop(e->addr, a));
		json_uint(&jw, "prefixlen", e->prefixlen);
		if (brd)
			json_string(&jw, "broadcast", ntop(e->broadcast, b));
		json_end_object(&jw);
		return;
	}
	printf("%s%d: %-8s inet %s/%u", deleted > 0 ? "Deleted " : "",
	       e->ifindex, dev, ntop(e->addr, a), e->prefixlen);
	if (brd)
		printf(" brd %s", ntop(e->broadcast, b));
	putchar('\n');
}

static int addr_show_cb(const struct teach_addr_entry *e, void *arg)
{
	(void)arg;
	list_entry();
	print_addr(e, -1);
	return 0;
}

static int addr_flush_cb(const struct teach_addr_entry *e, void *arg)
{
	(void)arg;
	/* Gone since the dump: that is what we wanted anyway. */
	if (teach_addr_del(nl, e->ifindex, e->addr, -1) && errno != EADDRNOTAVAIL)
		return -1;
	return 0;
}

static int do_addr(int argc, char **argv)
{
	struct teach_addr addr = { 0 };
	int ifindex = 0, have_addr = 0, have_plen = 0, cmd;
	unsigned int plen = 32;

	usage_fn = usage_addr;
	cmd = get_command(&argc, &argv, "address",
			  CMD(C_ADD) | CMD(C_DEL) | CMD(C_SHOW) | CMD(C_FLUSH) |
			  CMD(C_HELP));
	if (cmd == C_HELP) {
		usage_addr(stdout);
		return 0;
	}
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "dev")) {
			need_arg(argc, argv);
			argc--, argv++;
			ifindex = dev_index(*argv);
		} else if (!have_addr && (cmd == C_ADD || cmd == C_DEL)) {
			const char *p = *argv;

			if (!strcmp(p, "local")) {
				need_arg(argc, argv);
				argc--, argv++;
				p = *argv;
			}
			if (teach_prefix_pton(p, &addr, &plen))
				usage_error("\"%s\" is not a valid prefix (A.B.C.D[/LEN])",
					    p);
			have_plen = strchr(p, '/') != NULL;
			have_addr = 1;
		} else if (!ifindex && cmd == C_SHOW) {
			/* ip addr show eth0 */
			ifindex = dev_index(*argv);
		} else {
			usage_error("unexpected \"%s\"", *argv);
		}
	}

	switch (cmd) {
	case C_ADD:
		if (!have_addr || !ifindex)
			usage_error("address add needs PREFIX and dev IFNAME");
		nl_get();
		if (teach_addr_add(nl, ifindex, addr, plen))
			nl_fail();
		break;
	case C_DEL:
		if (!have_addr || !ifindex)
			usage_error("address del needs ADDR and dev IFNAME");
		nl_get();
		if (teach_addr_del(nl, ifindex, addr, have_plen ? (int)plen : -1))
			nl_fail();
		break;
	case C_SHOW:
		nl_get();
		if (teach_addr_dump(nl, ifindex, addr_show_cb, NULL))
			nl_fail();
		list_end();
		break;
	case C_FLUSH:
		if (!ifindex)
			usage_error("address flush needs dev IFNAME");
		nl_get();
		if (teach_addr_dump(nl, ifindex, addr_flush_cb, NULL))
			nl_fail();
		break;
	}
	return 0;
}

/* ---- neighbours ---- */

static void print_neigh(const struct teach_neigh_entry *e, int deleted)
{
	char a[TEACH_ADDRSTRLEN], ll[TEACH_LLADDRSTRLEN], name[IF_NAMESIZE];
	const char *dev = dev_name(e->ifindex, e->ifname, name);
	const char *state = teach_neigh_state_name(e->state);
	char st[16];

	if (state)
		upper(st, state, sizeof(st));
	else
		snprintf(st, sizeof(st), "STATE%d", e->state);

	if (json) {
		json_start_object(&jw, NULL);
		if (deleted >= 0) {
			json_string(&jw, "object", "neighbour");
			json_string(&jw, "event", deleted ? "del" : "new");
		}
		json_string(&jw, "dst", ntop(e->addr, a));
		json_string(&jw, "dev", dev);
		json_int(&jw, "ifindex", e->ifindex);
		if (e->has_lladdr)
			json_string(&jw, "lladdr",
				    teach_lladdr_ntop(e->lladdr, ll, sizeof(ll)));
		if (show_stats) {
			json_uint(&jw, "probes", e->probes);
			json_uint(&jw, "age_ms", e->age_ms);
			json_uint(&jw, "queue", e->qlen);
		}
		json_string(&jw, "state", st);
		json_end_object(&jw);
		return;
	}
	printf("%s%s dev %s", deleted > 0 ? "Deleted " : "", ntop(e->addr, a),
	       dev);
	if (e->has_lladdr)
		printf(" lladdr %s", teach_lladdr_ntop(e->lladdr, ll, sizeof(ll)));
	if (show_stats)
		printf(" probes %u age %ums queue %u", e->probes, e->age_ms,
		       e->qlen);
	printf(" %s\n", st);
}

struct neigh_filter {
	int state;			/* -1: any */
	int have_prefix;
	struct teach_addr prefix;
	unsigned int plen;
};

static int neigh_show_cb(const struct teach_neigh_entry *e, void *arg)
{
	const struct neigh_filter *f = arg;
	uint32_t mask = teach_prefix_mask(f->plen);

	if (f->state >= 0 && e->state != f->state)
		return 0;
	if (f->have_prefix &&
	    ((e->addr.s_addr ^ f->prefix.s_addr) & mask))
		return 0;
	list_entry();
	print_neigh(e, -1);
	return 0;
}

static int do_neigh(int argc, char **argv)
{
	struct neigh_filter filter = { .state = -1 };
	uint8_t lladdr[TEACH_LLADDR_LEN];
	struct teach_addr addr = { 0 };
	int ifindex = 0, have_addr = 0, have_ll = 0, state = TEACH_NUD_NONE;
	int cmd;

	usage_fn = usage_neigh;
	cmd = get_command(&argc, &argv, "neighbour",
			  CMD(C_ADD) | CMD(C_REPLACE) | CMD(C_DEL) |
			  CMD(C_SHOW) | CMD(C_FLUSH) | CMD(C_HELP));
	if (cmd == C_HELP) {
		usage_neigh(stdout);
		return 0;
	}
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "dev")) {
			need_arg(argc, argv);
			argc--, argv++;
			ifindex = dev_index(*argv);
		} else if (!strcmp(*argv, "lladdr") &&
			   (cmd == C_ADD || cmd == C_REPLACE)) {
			need_arg(argc, argv);
			argc--, argv++;
			if (teach_lladdr_pton(*argv, lladdr))
				usage_error("\"%s\" is not a valid lladdr (XX:XX:XX:XX:XX:XX)",
					    *argv);
			have_ll = 1;
		} else if (!strcmp(*argv, "nud") &&
			   (cmd == C_ADD || cmd == C_REPLACE || cmd == C_SHOW)) {
			need_arg(argc, argv);
			argc--, argv++;
			if (cmd == C_SHOW && !strcmp(*argv, "all")) {
				filter.state = -1;
				continue;
			}
			state = teach_neigh_state_parse(*argv);
			if (state < 0)
				usage_error("\"%s\" is not a neighbour state", *argv);
			filter.state = state;
		} else if (!have_addr && cmd != C_FLUSH) {
			const char *p = *argv;

			if (!strcmp(p, "to")) {
				need_arg(argc, argv);
				argc--, argv++;
				p = *argv;
			}
			if (cmd == C_SHOW) {
				if (teach_prefix_pton(p, &filter.prefix,
						      &filter.plen))
					usage_error("\"%s\" is not a valid prefix",
						    p);
				filter.have_prefix = 1;
			} else {
				addr = parse_addr("neighbour address", p);
			}
			have_addr = 1;
		} else {
			usage_error("unexpected \"%s\"", *argv);
		}
	}

	switch (cmd) {
	case C_ADD:
	case C_REPLACE:
		if (!have_addr || !have_ll || !ifindex)
			usage_error("neighbour %s needs ADDR, lladdr LLADDR and dev IFNAME",
				    cmd == C_ADD ? "add" : "replace");
		nl_get();
		if (teach_neigh_add(nl, ifindex, addr, lladdr, state,
				    cmd == C_REPLACE))
			nl_fail();
		break;
	case C_DEL:
		if (!have_addr || !ifindex)
			usage_error("neighbour del needs ADDR and dev IFNAME");
		nl_get();
		if (teach_neigh_del(nl, ifindex, addr))
			nl_fail();
		break;
	case C_SHOW:
		nl_get();
		if (teach_neigh_dump(nl, ifindex, neigh_show_cb, &filter))
			nl_fail();
		list_end();
		break;
	case C_FLUSH:
		nl_get();
		if (teach_neigh_flush(nl, ifindex))
			nl_fail();
		break;
	}
	return 0;
}

/* ---- routes ---- */

static void format_prefix(char *buf, size_t len, struct teach_addr dst,
			  unsigned int plen)
{
	char a[TEACH_ADDRSTRLEN];

	if (!plen && !dst.s_addr)
		snprintf(buf, len, "default");
	else if (plen == 32)
		snprintf(buf, len, "%s", ntop(dst, a));
	else
		snprintf(buf, len, "%s/%u", ntop(dst, a), plen);
}

static void print_route(const struct teach_route_entry *r, int deleted)
{
	char dst[TEACH_PREFIXSTRLEN + 8], a[TEACH_ADDRSTRLEN];
	char name[IF_NAMESIZE], num[16];
	const char *type = teach_route_type_name(r->type);
	const char *proto = teach_route_proto_name(r->proto);
	const char *dev = NULL;

	format_prefix(dst, sizeof(dst), r->dst, r->prefixlen);
	if (r->ifindex || r->ifname[0])
		dev = dev_name(r->ifindex, r->ifname, name);
	if (!type) {
		snprintf(num, sizeof(num), "%d", r->type);
		type = num;
	}

	if (json) {
		json_start_object(&jw, NULL);
		if (deleted >= 0) {
			json_string(&jw, "object", "route");
			json_string(&jw, "event", deleted ? "del" : "new");
		}
		json_string(&jw, "type", type);
		json_string(&jw, "dst", dst);
		if (r->has_gateway)
			json_string(&jw, "gateway", ntop(r->gateway, a));
		if (dev)
			json_string(&jw, "dev", dev);
		if (proto)
			json_string(&jw, "protocol", proto);
		else
			json_int(&jw, "protocol", r->proto);
		if (r->has_prefsrc)
			json_string(&jw, "prefsrc", ntop(r->prefsrc, a));
		if (r->has_metric)
			json_uint(&jw, "metric", r->metric);
		if (r->mtu)
			json_uint(&jw, "mtu", r->mtu);
		if (r->expires)
			json_uint(&jw, "expires", r->expires);
		json_end_object(&jw);
		return;
	}
	if (deleted > 0)
		fputs("Deleted ", stdout);
	if (r->type != TEACH_RTN_UNICAST)
		printf("%s ", type);
	fputs(dst, stdout);
	if (r->has_gateway)
		printf(" via %s", ntop(r->gateway, a));
	if (dev)
		printf(" dev %s", dev);
	if (proto)
		printf(" proto %s", proto);
	else
		printf(" proto %d", r->proto);
	if (r->has_prefsrc)
		printf(" src %s", ntop(r->prefsrc, a));
	if (r->has_metric && r->metric)
		printf(" metric %u", r->metric);
	if (r->expires)
		printf(" cache expires %usec", r->expires);
	if (r->mtu)
		printf(" mtu %u", r->mtu);
	putchar('\n');
}

struct route_filter {
	int ifindex;			/* 0: any */
	int proto;			/* -1: any */
};

static int route_show_cb(const struct teach_route_entry *r, void *arg)
{
	const struct route_filter *f = arg;

	if (f->ifindex && r->ifindex != f->ifindex)
		return 0;
	if (f->proto >= 0 && r->proto != f->proto)
		return 0;
	list_entry();
	print_route(r, -1);
	return 0;
}

/* Parse ROUTE; returns whether a prefix was given. */
static int parse_route(int argc, char **argv, struct teach_route_entry *r)
{
	int have_dst = 0;

	for (; argc > 0; argc--, argv++) {
		const char *p = *argv;

		if (!strcmp(p, "via") || !strcmp(p, "gw")) {
			need_arg(argc, argv);
			argc--, argv++;
			r->gateway = parse_addr("gateway", *argv);
			r->has_gateway = 1;
		} else if (!strcmp(p, "dev") || !strcmp(p, "oif")) {
			need_arg(argc, argv);
			argc--, argv++;
			r->ifindex = dev_index(*argv);
		} else if (!strcmp(p, "metric") || !strcmp(p, "priority") ||
			   !strcmp(p, "preference")) {
			need_arg(argc, argv);
			argc--, argv++;
			r->metric = parse_u32("metric", *argv);
			r->has_metric = 1;
		} else if (!strcmp(p, "src")) {
			need_arg(argc, argv);
			argc--, argv++;
			r->prefsrc = parse_addr("source address", *argv);
			r->has_prefsrc = 1;
		} else if (!strcmp(p, "type")) {
			need_arg(argc, argv);
			argc--, argv++;
			r->type = teach_route_type_parse(*argv);
			if (r->type <= 0)
				usage_error("\"%s\" is not a route type", *argv);
		} else if (!strcmp(p, "proto") || !strcmp(p, "protocol")) {
			need_arg(argc, argv);
			argc--, argv++;
			r->proto = teach_route_proto_parse(*argv);
			if (r->proto < 0)
				usage_error("\"%s\" is not a route protocol", *argv);
		} else if (!have_dst && teach_route_type_parse(p) > 0) {
			/* ip route add blackhole 10.9.0.0/16 */
			r->type = teach_route_type_parse(p);
		} else if (!have_dst) {
			if (!strcmp(p, "to")) {
				need_arg(argc, argv);
				argc--, argv++;
				p = *argv;
			}
			if (!strcmp(p, "default")) {
				r->dst.s_addr = 0;
				r->prefixlen = 0;
			} else if (teach_prefix_pton(p, &r->dst, &r->prefixlen)) {
				usage_error("\"%s\" is not a valid prefix (A.B.C.D[/LEN] or default)",
					    p);
			}
			have_dst = 1;
		} else {
			usage_error("unexpected \"%s\"", p);
		}
	}
	return have_dst;
}

static int do_route(int argc, char **argv)
{
	struct route_filter filter = { .ifindex = 0, .proto = -1 };
	struct teach_route_entry r;
	struct teach_addr dst;
	int cmd, ret;

	usage_fn = usage_route;
	cmd = get_command(&argc, &argv, "route",
			  CMD(C_ADD) | CMD(C_REPLACE) | CMD(C_DEL) |
			  CMD(C_SHOW) | CMD(C_GET) | CMD(C_HELP));
	memset(&r, 0, sizeof(r));
	switch (cmd) {
	case C_HELP:
		usage_route(stdout);
		break;
	case C_ADD:
	case C_REPLACE:
	case C_DEL:
		if (!parse_route(argc, argv, &r))
			usage_error("route %s needs a PREFIX",
				    cmd == C_ADD ? "add" :
				    cmd == C_DEL ? "del" : "replace");
		/* The kernel needs a type to add; del without one matches any. */
		if (cmd != C_DEL && !r.type)
			r.type = TEACH_RTN_UNICAST;
		nl_get();
		if (cmd == C_ADD)
			ret = teach_route_add(nl, &r);
		else if (cmd == C_REPLACE)
			ret = teach_route_replace(nl, &r);
		else
			ret = teach_route_del(nl, &r);
		if (ret)
			nl_fail();
		break;
	case C_SHOW:
		for (; argc > 0; argc--, argv++) {
			if (!strcmp(*argv, "dev")) {
				need_arg(argc, argv);
				argc--, argv++;
				filter.ifindex = dev_index(*argv);
			} else if (!strcmp(*argv, "proto") ||
				   !strcmp(*argv, "protocol")) {
				need_arg(argc, argv);
				argc--, argv++;
				filter.proto = teach_route_proto_parse(*argv);
				if (filter.proto < 0)
					usage_error("\"%s\" is not a route protocol",
						    *argv);
			} else {
				usage_error("unexpected \"%s\"", *argv);
			}
		}
		nl_get();
		if (teach_route_dump(nl, filter.ifindex, route_show_cb, &filter))
			nl_fail();
		list_end();
		break;
	case C_GET:
		if (argc > 0 && !strcmp(*argv, "to")) {
			argc--;
			argv++;
		}
		if (argc != 1)
			usage_error("route get needs exactly one ADDR");
		dst = parse_addr("destination", *argv);
		nl_get();
		if (teach_route_get(nl, dst, &r))
			nl_fail();
		print_route(&r, -1);
		break;
	}
	return 0;
}

/* ---- statistics ---- */

static int do_stats(int argc, char **argv)
{
	uint64_t stats[__TEACH_MIB_MAX];
	int want[__TEACH_MIB_MAX];
	int i, c, all = 1;

	usage_fn = usage_stats;
	if (argc && matches(argv[0], "help")) {
		usage_stats(stdout);
		return 0;
	}
	if (argc && (matches(argv[0], "show") || matches(argv[0], "list"))) {
		argc--;
		argv++;
	}
	memset(want, 0, sizeof(want));
	for (; argc > 0; argc--, argv++) {
		c = teach_mib_parse(*argv);
		if (c < 0)
			usage_error("\"%s\" is not a counter", *argv);
		want[c] = 1;
		all = 0;
	}
	nl_get();
	if (teach_stats_get(nl, stats, __TEACH_MIB_MAX))
		nl_fail();
	if (json)
		json_start_object(&jw, NULL);
	for (i = 0; i < __TEACH_MIB_MAX; i++) {
		if (!all && !want[i])
			continue;
		if (json)
			json_uint(&jw, teach_mib_name(i), stats[i]);
		else
			printf("%s %" PRIu64 "\n", teach_mib_name(i), stats[i]);
	}
	if (json)
		json_end_object(&jw);
	return 0;
}

/* ---- sockets ---- */

struct sock_filter {
	int type;			/* 0: any */
	int state;			/* -1: any */
	int port;			/* -1: any; local or peer */
	int info;			/* -i: TEACH_INFO of stream sockets */
};

/* teach sock -i, as ss -i; "info" as ip's words */
static int is_info_arg(const char *arg)
{
	return !strcmp(arg, "-i") || !strcmp(arg, "-info") ||
	       !strcmp(arg, "--info") || matches(arg, "info");
}

/* "addr:port" as ss writes it: port 0 is "*" */
static const char *endpoint(char *buf, size_t len, struct teach_addr a,
			    unsigned int port)
{
	char t[TEACH_ADDRSTRLEN];

	if (port)
		snprintf(buf, len, "%s:%u", ntop(a, t), port);
	else
		snprintf(buf, len, "%s:*", ntop(a, t));
	return buf;
}

/* TEACH_INFO's numbers, by the names teach sock -i gives them */
#define TSI(name, field) { name, offsetof(struct teach_stream_info, field), \
			   sizeof(((struct teach_stream_info *)0)->field) }
static const struct {
	const char *name;
	size_t off, size;
} tsi_fields[] = {
	TSI("rto_us", tsi_rto_us), TSI("rtt_us", tsi_rtt_us),
	TSI("rttvar_us", tsi_rttvar_us), TSI("backoff", tsi_backoff),
	TSI("mss", tsi_snd_mss), TSI("rcvmss", tsi_rcv_mss),
	TSI("cwnd", tsi_snd_cwnd), TSI("ssthresh", tsi_snd_ssthresh),
	TSI("snd_wnd", tsi_snd_wnd), TSI("rcv_wnd", tsi_rcv_wnd),
	TSI("unacked", tsi_unacked), TSI("sacked", tsi_sacked),
	TSI("retrans", tsi_total_retrans),
	TSI("bytes_sent", tsi_bytes_sent),
	TSI("bytes_retrans", tsi_bytes_retrans),
	TSI("bytes_acked", tsi_bytes_acked),
	TSI("bytes_received", tsi_bytes_received),
	TSI("segs_out", tsi_segs_out), TSI("segs_in", tsi_segs_in),
	TSI("data_segs_out", tsi_data_segs_out),
	TSI("data_segs_in", tsi_data_segs_in),
	TSI("dupacks_in", tsi_dup_acks_in),
	TSI("fast_retrans", tsi_fast_retrans),
	TSI("sack_retrans", tsi_sack_retrans),
	TSI("timeouts", tsi_timeouts), TSI("delayed_acks", tsi_delayed_acks),
	TSI("zero_wnd_probes", tsi_zero_wnd_probes),
	TSI("paws_drops", tsi_paws_drops),
};

/* Whether the kernel sent field (an older module sends fewer) */
#define HAS_TSI(e, field) ((e)->info_len >= \
	offsetof(struct teach_stream_info, field) + sizeof((e)->info.field))

static uint64_t tsi_value(const struct teach_stream_info *i, size_t off,
			  size_t size)
{
	const unsigned char *p = (const unsigned char *)i + off;
	uint32_t v32;
	uint64_t v64;

	switch (size) {
	case 1:
		return *p;
	case 4:
		memcpy(&v32, p, sizeof(v32));
		return v32;
	default:
		memcpy(&v64, p, sizeof(v64));
		return v64;
	}
}

static void print_stream_info(const struct teach_sock_entry *e)
{
	static const char *const ca[] = { "open", "recovery", "loss" };
	const struct teach_stream_info *i = &e->info;
	char cong[sizeof(i->tsi_cong) + 1] = "";
	const char *ca_state = "?";
	uint64_t v;
	size_t k;

	if (i->tsi_ca_state < ARRAY_SIZE(ca))
		ca_state = ca[i->tsi_ca_state];
	if (HAS_TSI(e, tsi_cong))
		snprintf(cong, sizeof(cong), "%.*s", (int)sizeof(i->tsi_cong),
			 i->tsi_cong);
	if (json) {
		json_start_object(&jw, "info");
		json_string(&jw, "ca_state", ca_state);
		if (cong[0])
			json_string(&jw, "cong", cong);
		json_bool(&jw, "nodelay", i->tsi_nodelay);
		if (HAS_TSI(e, tsi_sack)) {
			json_bool(&jw, "ts", i->tsi_timestamps);
			json_bool(&jw, "sack", i->tsi_sack);
			json_uint(&jw, "snd_wscale", i->tsi_snd_wscale);
			json_uint(&jw, "rcv_wscale", i->tsi_rcv_wscale);
		}
	} else {
		printf("\t");
		if (HAS_TSI(e, tsi_sack)) {
			if (i->tsi_timestamps)
				printf(" ts");
			if (i->tsi_sack)
				printf(" sack");
			if (i->tsi_snd_wscale || i->tsi_rcv_wscale)
				printf(" wscale:%u,%u", i->tsi_snd_wscale,
				       i->tsi_rcv_wscale);
		}
		if (i->tsi_nodelay)
			printf(" nodelay");
		/* the algorithm, as ss -i names it */
		if (cong[0])
			printf(" %s", cong);
		printf(" ca:%s", ca_state);
	}
	for (k = 0; k < ARRAY_SIZE(tsi_fields); k++) {
		if (e->info_len < tsi_fields[k].off + tsi_fields[k].size)
			continue;
		v = tsi_value(i, tsi_fields[k].off, tsi_fields[k].size);
		/* as ss: no slow start threshold yet is no number */
		if (tsi_fields[k].off == offsetof(struct teach_stream_info,
						  tsi_snd_ssthresh) &&
		    v == 0xffffffffU)
			continue;
		if (json)
			json_uint(&jw, tsi_fields[k].name, v);
		else
			printf(" %s:%" PRIu64, tsi_fields[k].name, v);
	}
	if (json)
		json_end_object(&jw);
	else
		putchar('\n');
}

static void print_sock(const struct teach_sock_entry *e)
{
	const char *type = teach_sock_type_name(e->type);
	const char *state = teach_sock_state_name(e->state);
	char local[32], peer[32], name[IF_NAMESIZE], t[TEACH_ADDRSTRLEN];

	if (!type)
		type = "?";
	if (!state)
		state = "?";
	if (json) {
		json_start_object(&jw, NULL);
		json_string(&jw, "netid", type);
		json_string(&jw, "state", state);
		json_uint(&jw, "recv_q", e->rqueue);
		json_uint(&jw, "send_q", e->wqueue);
		json_string(&jw, "local", ntop(e->local, t));
		json_uint(&jw, "lport", e->local_port);
		json_string(&jw, "peer", ntop(e->peer, t));
		json_uint(&jw, "pport", e->peer_port);
		json_uint(&jw, "protocol", (unsigned int)e->protocol);
		if (show_stats) {
			json_uint(&jw, "uid", e->uid);
			json_uint(&jw, "inode", e->inode);
			json_uint(&jw, "drops", e->drops);
		}
		if (e->ifindex)
			json_string(&jw, "dev", dev_name(e->ifindex, NULL, name));
		if (e->info_len)
			print_stream_info(e);
		json_end_object(&jw);
		return;
	}
	printf("%-6s %-7s %-7u %-7u %-21s %-21s", type, state, e->rqueue,
	       e->wqueue, endpoint(local, sizeof(local), e->local, e->local_port),
	       endpoint(peer, sizeof(peer), e->peer, e->peer_port));
	if (show_stats)
		printf(" uid:%u ino:%" PRIu64 " drops:%u", e->uid, e->inode,
		       e->drops);
	if (e->ifindex)
		printf(" dev:%s", dev_name(e->ifindex, NULL, name));
	putchar('\n');
	if (e->info_len)
		print_stream_info(e);
}

static int sock_show_cb(const struct teach_sock_entry *e, void *arg)
{
	const struct sock_filter *f = arg;

	if (f->state >= 0 && e->state != f->state)
		return 0;
	if (f->port >= 0 && e->local_port != f->port && e->peer_port != f->port)
		return 0;
	list_entry();
	print_sock(e);
	return 0;
}

static int do_sock(int argc, char **argv)
{
	struct sock_filter f = { .state = -1, .port = -1, .info = show_info };
	int cmd;

	usage_fn = usage_sock;
	/* as ss: filters may come without "show" */
	if (argc && (matches(argv[0], "type") || matches(argv[0], "state") ||
		     matches(argv[0], "port") || is_info_arg(argv[0])))
		cmd = C_SHOW;
	else
		cmd = get_command(&argc, &argv, "sock", CMD(C_SHOW) | CMD(C_HELP));
	if (cmd == C_HELP) {
		usage_sock(stdout);
		return 0;
	}
	for (; argc > 0; argc--, argv++) {
		if (is_info_arg(*argv)) {
			f.info = 1;
		} else if (matches(*argv, "type")) {
			need_arg(argc, argv);
			argc--, argv++;
			f.type = teach_sock_type_parse(*argv);
			if (f.type <= 0)
				usage_error("\"%s\" is not a socket type", *argv);
		} else if (matches(*argv, "state")) {
			need_arg(argc, argv);
			argc--, argv++;
			if (!strcasecmp(*argv, "unconn") || !strcasecmp(*argv, "unconnected"))
				f.state = TEACH_SS_CLOSE;
			else if (!strcasecmp(*argv, "estab") ||
				 !strcasecmp(*argv, "established") ||
				 !strcasecmp(*argv, "connected"))
				f.state = TEACH_SS_ESTABLISHED;
			else if ((f.state = teach_sock_state_parse(*argv)) < 0)
				usage_error("\"%s\" is not a socket state", *argv);
		} else if (matches(*argv, "port")) {
			need_arg(argc, argv);
			argc--, argv++;
			f.port = (int)parse_u32("port", *argv);
			if (f.port > 65535)
				usage_error("\"%s\" is not a port", *argv);
		} else {
			usage_error("unknown argument \"%s\"", *argv);
		}
	}
	nl_get();
	if (!json)
		printf("%-6s %-7s %-7s %-7s %-21s %-21s\n", "Netid", "State",
		       "Recv-Q", "Send-Q", "Local Address:Port",
		       "Peer Address:Port");
	if ((f.info ? teach_sock_dump_info : teach_sock_dump)(nl, f.type,
							       sock_show_cb, &f))
		nl_fail();
	list_end();
	return 0;
}

/* ---- monitor ---- */

enum {
	MON_ADDR = 1,
	MON_NEIGH = 2,
	MON_ROUTE = 4,
	MON_ALL = 7,
};

struct monitor {
	unsigned int mask;
	int banner;
};

static int monitor_cb(const struct teach_event *ev, void *arg)
{
	const struct monitor *m = arg;
	int deleted = ev->cmd == TEACH_CMD_ADDR_DEL ||
		      ev->cmd == TEACH_CMD_NEIGH_DEL ||
		      ev->cmd == TEACH_CMD_ROUTE_DEL;
	unsigned int kind;
	const char *banner;

	switch (ev->cmd) {
	case TEACH_CMD_ADDR_NEW:
	case TEACH_CMD_ADDR_DEL:
		kind = MON_ADDR;
		banner = "[ADDR] ";
		break;
	case TEACH_CMD_NEIGH_NEW:
	case TEACH_CMD_NEIGH_DEL:
		kind = MON_NEIGH;
		banner = "[NEIGH] ";
		break;
	default:
		kind = MON_ROUTE;
		banner = "[ROUTE] ";
		break;
	}
	if (!(m->mask & kind))
		return 0;
	if (json)
		json_init(&jw, stdout, pretty);
	else if (m->banner)
		fputs(banner, stdout);
	if (kind == MON_ADDR)
		print_addr(&ev->addr, deleted);
	else if (kind == MON_NEIGH)
		print_neigh(&ev->neigh, deleted);
	else
		print_route(&ev->route, deleted);
	/* Someone is reading this through a pipe, event by event. */
	fflush(stdout);
	return 0;
}

static int do_monitor(int argc, char **argv)
{
	struct monitor m = { 0 };
	int ret, kinds = 0;

	usage_fn = usage_monitor;
	for (; argc > 0; argc--, argv++) {
		if (matches(*argv, "help")) {
			usage_monitor(stdout);
			return 0;
		} else if (matches(*argv, "address")) {
			m.mask |= MON_ADDR;
		} else if (matches(*argv, "neighbour") ||
			   matches(*argv, "neighbor")) {
			m.mask |= MON_NEIGH;
		} else if (matches(*argv, "route")) {
			m.mask |= MON_ROUTE;
		} else if (!strcmp(*argv, "all")) {
			m.mask |= MON_ALL;
		} else {
			usage_error("unknown object \"%s\" to monitor", *argv);
		}
	}
	if (!m.mask)
		m.mask = MON_ALL;
	kinds = !!(m.mask & MON_ADDR) + !!(m.mask & MON_NEIGH) +
		!!(m.mask & MON_ROUTE);
	m.banner = kinds > 1;

	nl_get();
	if (teach_monitor_start(nl))
		nl_fail();
	for (;;) {
		ret = teach_monitor_read(nl, monitor_cb, &m);
		if (ret == 0 || (ret < 0 && errno == EINTR))
			continue;
		if (ret < 0 && errno == ENOBUFS) {
			/* Say so and go on, as ip monitor does. */
			fprintf(stderr, "teach: %s\n", teach_nl_error(nl));
			continue;
		}
		nl_fail();
	}
}

/* ---- main ---- */

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage_main(stdout);
	return 0;
}

/*
 * teach trace ...: the stream tracepoints of a connection and their
 * plots, by teach-trace (beside this program, or on the PATH).
 */
static int do_trace(int argc, char **argv)
{
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	char self[4096], *slash;
	ssize_t n;
	int i;

	if (batch_jmp) {
		free(args);
		usage_error("trace runs teach-trace: not in a batch");
	}
	if (!args)
		fail("out of memory");
	args[0] = "teach-trace";
	for (i = 0; i < argc; i++)
		args[i + 1] = argv[i];
	n = readlink("/proc/self/exe", self, sizeof(self) - sizeof("teach-trace"));
	if (n > 0) {
		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			strcpy(slash + 1, "teach-trace");
			execv(self, args);
		}
	}
	execvp("teach-trace", args);
	fprintf(stderr, "teach: teach-trace: %s\n", strerror(errno));
	exit(EXIT_KERNEL);
}

static const struct {
	const char *name;
	const char *alias;
	int (*fn)(int argc, char **argv);
} objects[] = {
	/* In ip's order, so that one letter picks the same object. */
	{ "address",	NULL,		do_addr },
	{ "neighbour",	"neighbor",	do_neigh },
	{ "route",	NULL,		do_route },
	{ "stats",	"statistics",	do_stats },
	{ "sock",	"socket",	do_sock },
	{ "monitor",	NULL,		do_monitor },
	{ "trace",	NULL,		do_trace },
	{ "help",	NULL,		do_help },
};

static void set_netns(const char *name)
{
	char path[4096];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("cannot open network namespace \"%s\": %s", name,
		     strerror(errno));
	if (setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "teach: cannot enter network namespace \"%s\": %s\n",
			name, strerror(errno));
		exit(EXIT_KERNEL);
	}
	close(fd);
}

/* Run one command line (argv[0] is the object); exits or bails on error. */
static void run_object(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(objects); i++) {
		if (matches(argv[0], objects[i].name) ||
		    (objects[i].alias && matches(argv[0], objects[i].alias))) {
			objects[i].fn(argc - 1, argv + 1);
			return;
		}
	}
	usage_error("object \"%s\" is unknown, try \"teach help\"", argv[0]);
}

/* Split a batch line into words at blanks; '#' starts a comment. */
static int split_line(char *line, char ***words, size_t *cap)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			break;
		if ((size_t)n + 1 >= *cap) {
			size_t ncap = *cap ? *cap * 2 : 16;
			char **w = realloc(*words, ncap * sizeof(*w));

			if (!w)
				fail("%s", strerror(errno));
			*words = w;
			*cap = ncap;
		}
		(*words)[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' &&
		       *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (*words)
		(*words)[n] = NULL;
	return n;
}

/* One line of a batch: 0, or the status the command failed with. */
static int run_line(int n, char **words)
{
	static jmp_buf env;
	int ret;

	usage_fn = NULL;
	list_open = 0;
	json_init(&jw, stdout, pretty);
	batch_jmp = &env;
	ret = setjmp(env);
	if (!ret) {
		run_object(n, words);
		if (fflush(stdout)) {
			fprintf(stderr, "teach: write error: %s\n",
				strerror(errno));
			ret = EXIT_KERNEL;
		}
	}
	batch_jmp = NULL;
	fflush(stdout);
	return ret;
}

/*
 * -batch FILE ("-" is stdin): one command a line, without "teach", over
 * one netlink socket, as ip -batch.  The first failure ends it with that
 * command's status, after "Command failed FILE:LINE"; with -force every
 * line is tried and the status is that of the last failure.
 */
static int run_batch(const char *file, int force)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL, **words = NULL;
	size_t linecap = 0, cap = 0;
	unsigned long lineno = 0;
	int n, ret, status = 0;

	if (!f)
		fail("cannot open batch file \"%s\": %s", file, strerror(errno));
	while (getline(&line, &linecap, f) >= 0) {
		lineno++;
		n = split_line(line, &words, &cap);
		if (!n)
			continue;
		ret = run_line(n, words);
		if (ret) {
			fprintf(stderr, "Command failed %s:%lu\n", file, lineno);
			status = ret;
			if (!force)
				break;
		}
	}
	if (ferror(f))
		fail("reading batch file \"%s\": %s", file, strerror(errno));
	if (f != stdin)
		fclose(f);
	free(line);
	free(words);
	return status;
}

int main(int argc, char **argv)
{
	const char *opt, *batch = NULL;
	int force = 0, status;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		opt = argv[0];
		/* -json and --json alike */
		if (opt[1] == '-')
			opt++;
		if (matches(opt, "-json")) {
			json = 1;
		} else if (matches(opt, "-pretty")) {
			pretty = 1;
		} else if (matches(opt, "-statistics") || matches(opt, "-stats")) {
			show_stats++;
		} else if (matches(opt, "-info")) {
			show_info = 1;
		} else if (matches(opt, "-netns")) {
			need_arg(argc, argv);
			argc--, argv++;
			set_netns(argv[0]);
		} else if (matches(opt, "-batch")) {
			need_arg(argc, argv);
			argc--, argv++;
			batch = argv[0];
		} else if (matches(opt, "-force")) {
			force = 1;
		} else if (matches(opt, "-help")) {
			usage_main(stdout);
			return 0;
		} else {
			usage_error("unknown option \"%s\"", argv[0]);
		}
	}
	json_init(&jw, stdout, pretty);
	if (batch) {
		if (argc > 0)
			usage_error("-batch takes its commands from the file, not \"%s\"",
				    argv[0]);
		status = run_batch(batch, force);
	} else {
		if (argc < 1)
			usage_error("no object given");
		run_object(argc, argv);
		status = 0;
	}
	teach_nl_close(nl);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "teach: write error: %s\n", strerror(errno));
		return EXIT_KERNEL;
	}
	return status;
}
