// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libteach: the generic netlink family "teach" over libmnl.
 *
 * Every request is sent with NLM_F_ACK (dumps end with NLMSG_DONE) and read
 * until its acknowledgement, so the socket never holds a stale answer when
 * the next request goes out; messages of an earlier sequence number are
 * skipped all the same.  The socket asks for extended acks, so a rejection
 * comes with the kernel's message, kept for teach_nl_error().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "libteach.h"

/* Dumps use up to 32 KiB skbs; a bigger buffer never truncates one. */
#define RECV_BUF_SIZE	65536
/* The longest request: a route, nine small attributes. */
#define REQ_BUF_SIZE	512
/* Retries of a dump that a concurrent change interrupted. */
#define DUMP_TRIES	8
/* Monitors should not overrun while the reader prints a burst. */
#define MONITOR_RCVBUF	(1 << 20)

struct teach_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t mcgrp;
	char *buf;
	int has_error;
	char error[256];
};

/* What nl_talk() does with each answer. */
typedef int (*msg_fn)(struct teach_nl *nl, const struct nlmsghdr *nlh,
		      void *data);

struct talk {
	msg_fn fn;
	void *data;
	uint16_t type;		/* nlmsg_type of the answers */
	int intr;		/* NLM_F_DUMP_INTR seen */
	int ret;		/* first non-zero return of fn */
	int err;		/* its errno */
};

struct req {
	union {
		struct nlmsghdr nlh;
		char buf[REQ_BUF_SIZE];
	};
};

static void set_error(struct teach_nl *nl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_error(struct teach_nl *nl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nl->error, sizeof(nl->error), fmt, ap);
	va_end(ap);
	nl->has_error = 1;
}

const char *teach_nl_error(const struct teach_nl *nl)
{
	return nl && nl->has_error ? nl->error : NULL;
}

int teach_nl_fd(const struct teach_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

uint16_t teach_nl_family_id(const struct teach_nl *nl)
{
	return nl->family;
}

uint32_t teach_nl_monitor_group(const struct teach_nl *nl)
{
	return nl->mcgrp;
}

static struct nlmsghdr *req_init(struct teach_nl *nl, struct req *req,
				 uint16_t type, uint8_t cmd, uint8_t version,
				 uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(req, 0, sizeof(*req));
	nlh = mnl_nlmsg_put_header(req->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	/* 0 would match any answer in a sequence check: never use it. */
	if (++nl->seq == 0)
		nl->seq = 1;
	nlh->nlmsg_seq = nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static struct nlmsghdr *teach_req(struct teach_nl *nl, struct req *req,
				  uint8_t cmd, uint16_t flags)
{
	return req_init(nl, req, nl->family, cmd, TEACH_GENL_VERSION, flags);
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	struct teach_nl *nl = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_STRING) == 0) {
		size_t len = mnl_attr_get_payload_len(attr);

		if (len >= sizeof(nl->error))
			len = sizeof(nl->error) - 1;
		memcpy(nl->error, mnl_attr_get_payload(attr), len);
		nl->error[len] = '\0';
		/* An empty message is as good as none. */
		nl->has_error = nl->error[0] != '\0';
	}
	return MNL_CB_OK;
}

/* The extack attributes follow offset bytes of an ERROR or DONE payload. */
static void parse_extack(struct teach_nl *nl, const struct nlmsghdr *nlh,
			 size_t offset)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (MNL_ALIGN(offset) > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, (unsigned int)offset, extack_cb, nl);
}

/* Returns 1 for an acknowledgement, -1 with errno for an error. */
static int handle_error(struct teach_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t offset = sizeof(*err);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		set_error(nl, "truncated netlink error message");
		errno = EBADMSG;
		return -1;
	}
	if (err->error == 0)
		return 1;
	/* Without NLM_F_CAPPED the whole request is quoted before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    err->msg.nlmsg_len > sizeof(struct nlmsghdr))
		offset += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	parse_extack(nl, nlh, offset);
	errno = err->error < 0 ? -err->error : err->error;
	return -1;
}

/* NLMSG_DONE carries the dump's error, if it failed half way. */
static int handle_done(struct teach_nl *nl, const struct nlmsghdr *nlh)
{
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return 1;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err == 0)
		return 1;
	parse_extack(nl, nlh, sizeof(int));
	errno = err < 0 ? -err : err;
	return -1;
}

/* Returns 1 when the request is answered, 0 for more to read, -1 on error. */
static int process(struct teach_nl *nl, const void *buf, size_t len,
		   uint32_t seq, struct talk *t)
{
	const struct nlmsghdr *nlh = buf;
	int rem = (int)len;
	int ret;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != nl->portid)
			continue;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			t->intr = 1;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_ERROR:
			return handle_error(nl, nlh);
		case NLMSG_DONE:
			return handle_done(nl, nlh);
		case NLMSG_OVERRUN:
			set_error(nl, "netlink overrun");
			errno = ENOBUFS;
			return -1;
		}
		if (nlh->nlmsg_type != t->type || t->ret || !t->fn)
			continue;
		/* Keep reading after a failure, up to the acknowledgement. */
		ret = t->fn(nl, nlh, t->data);
		if (ret) {
			t->ret = ret;
			t->err = errno;
		}
	}
	return 0;
}

/* Send one request and read its answers up to the ack or NLMSG_DONE. */
static int talk(struct teach_nl *nl, struct nlmsghdr *nlh, uint16_t type,
		msg_fn fn, void *data, int *intr)
{
	struct talk t = { .fn = fn, .data = data, .type = type };
	ssize_t n;
	int ret;

	nl->has_error = 0;
	nl->error[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, RECV_BUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		ret = process(nl, nl->buf, (size_t)n, nlh->nlmsg_seq, &t);
		if (ret < 0)
			return -1;
	} while (ret == 0);
	if (intr)
		*intr = t.intr;
	if (t.ret) {
		errno = t.err;
		return t.ret;
	}
	return 0;
}

static int teach_talk(struct teach_nl *nl, struct nlmsghdr *nlh, msg_fn fn,
		      void *data)
{
	return talk(nl, nlh, nl->family, fn, data, NULL);
}

/* ---- family resolution ---- */

static int mcgrp_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type == CTRL_ATTR_MCAST_GRP_NAME &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		tb[type] = attr;
	else if (type == CTRL_ATTR_MCAST_GRP_ID &&
		 mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		tb[type] = attr;
	else if (type == CTRL_ATTR_MCAST_GROUPS &&
		 mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int family_cb(struct teach_nl *nl, const struct nlmsghdr *nlh,
		     void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };
	const struct nlattr *grp;

	(void)data;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, tb);
	if (!tb[CTRL_ATTR_FAMILY_ID]) {
		set_error(nl, "no family id in the controller's answer");
		errno = EPROTO;
		return -1;
	}
	nl->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };

		mnl_attr_parse_nested(grp, mcgrp_cb, gtb);
		if (gtb[CTRL_ATTR_MCAST_GRP_NAME] && gtb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]),
			    TEACH_GENL_MCGRP_MONITOR))
			nl->mcgrp = mnl_attr_get_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int resolve_family(struct teach_nl *nl)
{
	struct nlmsghdr *nlh;
	struct req req;

	nlh = req_init(nl, &req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TEACH_GENL_NAME);
	if (talk(nl, nlh, GENL_ID_CTRL, family_cb, NULL, NULL))
		return -1;
	if (!nl->family) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

struct teach_nl *teach_nl_open(void)
{
	struct teach_nl *nl;
	int one = 1, err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return NULL;
	nl->buf = malloc(RECV_BUF_SIZE);
	if (!nl->buf)
		goto fail;
	nl->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl->sock)
		goto fail;
	/* Old kernels lack these; the answers are then just less useful. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	nl->portid = mnl_socket_get_portid(nl->sock);
	if (resolve_family(nl))
		goto fail;
	return nl;
fail:
	err = errno;
	teach_nl_close(nl);
	errno = err;
	return NULL;
}

void teach_nl_close(struct teach_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
}

/* ---- parsing the family's messages ---- */

static const enum mnl_attr_data_type attr_types[TEACH_A_MAX + 1] = {
	[TEACH_A_IFINDEX]	= MNL_TYPE_U32,
	[TEACH_A_IFNAME]	= MNL_TYPE_STRING,
	[TEACH_A_ADDR]		= MNL_TYPE_U32,
	[TEACH_A_PREFIXLEN]	= MNL_TYPE_U8,
	[TEACH_A_BROADCAST]	= MNL_TYPE_U32,
	[TEACH_A_LLADDR]	= MNL_TYPE_BINARY,
	[TEACH_A_NEIGH_STATE]	= MNL_TYPE_U8,
	[TEACH_A_NEIGH_PROBES]	= MNL_TYPE_U32,
	[TEACH_A_NEIGH_AGE_MS]	= MNL_TYPE_U32,
	[TEACH_A_NEIGH_QLEN]	= MNL_TYPE_U32,
	[TEACH_A_STATS]		= MNL_TYPE_NESTED,
	[TEACH_A_DST]		= MNL_TYPE_U32,
	[TEACH_A_GATEWAY]	= MNL_TYPE_U32,
	[TEACH_A_ROUTE_TYPE]	= MNL_TYPE_U8,
	[TEACH_A_METRIC]	= MNL_TYPE_U32,
	[TEACH_A_PREFSRC]	= MNL_TYPE_U32,
	[TEACH_A_ROUTE_PROTO]	= MNL_TYPE_U8,
	[TEACH_A_MTU]		= MNL_TYPE_U32,
	[TEACH_A_FLAGS]		= MNL_TYPE_U32,
	[TEACH_A_PAD]		= MNL_TYPE_UNSPEC,
	[TEACH_A_EXPIRES]	= MNL_TYPE_U32,
	[TEACH_A_FORWARDING]	= MNL_TYPE_U8,
	[TEACH_A_SOCK_FAMILY]	= MNL_TYPE_U16,
	[TEACH_A_SOCK_TYPE]	= MNL_TYPE_U8,
	[TEACH_A_SOCK_PROTO]	= MNL_TYPE_U8,
	[TEACH_A_SOCK_STATE]	= MNL_TYPE_U8,
	[TEACH_A_SOCK_LADDR]	= MNL_TYPE_U32,
	[TEACH_A_SOCK_LPORT]	= MNL_TYPE_U16,
	[TEACH_A_SOCK_RADDR]	= MNL_TYPE_U32,
	[TEACH_A_SOCK_RPORT]	= MNL_TYPE_U16,
	[TEACH_A_SOCK_RQUEUE]	= MNL_TYPE_U32,
	[TEACH_A_SOCK_WQUEUE]	= MNL_TYPE_U32,
	[TEACH_A_SOCK_UID]	= MNL_TYPE_U32,
	[TEACH_A_SOCK_INODE]	= MNL_TYPE_U64,
	[TEACH_A_SOCK_DROPS]	= MNL_TYPE_U32,
};

struct attrs {
	const struct nlattr *tb[TEACH_A_MAX + 1];
	int bad;		/* type of the first malformed attribute */
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	int type = mnl_attr_get_type(attr);

	/* A newer kernel may send more: what is not known is not wrong. */
	if (type > TEACH_A_MAX)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, attr_types[type]) < 0 ||
	    (type == TEACH_A_LLADDR &&
	     mnl_attr_get_payload_len(attr) != TEACH_LLADDR_LEN)) {
		a->bad = type;
		return MNL_CB_ERROR;
	}
	a->tb[type] = attr;
	return MNL_CB_OK;
}

/* Parse nlh's attributes; the listed ones (up to a 0) are required. */
static int parse_attrs(struct teach_nl *nl, const struct nlmsghdr *nlh,
		       struct attrs *a, const int *required)
{
	memset(a, 0, sizeof(*a));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr) ||
	    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, a) < 0) {
		set_error(nl, "malformed attribute %d in a kernel message",
			  a->bad);
		errno = EPROTO;
		return -1;
	}
	for (; required && *required; required++) {
		if (!a->tb[*required]) {
			set_error(nl, "attribute %d missing in a kernel message",
				  *required);
			errno = EPROTO;
			return -1;
		}
	}
	return 0;
}

static struct teach_addr get_addr(const struct nlattr *attr)
{
	struct teach_addr addr;

	/* Network byte order on the wire and in struct teach_addr. */
	memcpy(&addr.s_addr, mnl_attr_get_payload(attr), sizeof(addr.s_addr));
	return addr;
}

static void get_ifname(char *dst, const struct nlattr *attr)
{
	size_t len = mnl_attr_get_payload_len(attr);

	if (len >= TEACH_IFNAMSIZ)
		len = TEACH_IFNAMSIZ - 1;
	memcpy(dst, mnl_attr_get_payload(attr), len);
	dst[len] = '\0';
}

static int parse_addr(struct teach_nl *nl, const struct nlmsghdr *nlh,
		      void *entry)
{
	static const int required[] = {
		TEACH_A_IFINDEX, TEACH_A_ADDR, TEACH_A_PREFIXLEN, 0
	};
	struct teach_addr_entry *e = entry;
	struct attrs a;

	if (parse_attrs(nl, nlh, &a, required))
		return -1;
	memset(e, 0, sizeof(*e));
	e->ifindex = (int)mnl_attr_get_u32(a.tb[TEACH_A_IFINDEX]);
	e->addr = get_addr(a.tb[TEACH_A_ADDR]);
	e->prefixlen = mnl_attr_get_u8(a.tb[TEACH_A_PREFIXLEN]);
	if (a.tb[TEACH_A_IFNAME])
		get_ifname(e->ifname, a.tb[TEACH_A_IFNAME]);
	if (a.tb[TEACH_A_BROADCAST]) {
		e->has_broadcast = 1;
		e->broadcast = get_addr(a.tb[TEACH_A_BROADCAST]);
	}
	return 0;
}

static int parse_neigh(struct teach_nl *nl, const struct nlmsghdr *nlh,
		       void *entry)
{
	static const int required[] = {
		TEACH_A_IFINDEX, TEACH_A_ADDR, TEACH_A_NEIGH_STATE, 0
	};
	struct teach_neigh_entry *e = entry;
	struct attrs a;

	if (parse_attrs(nl, nlh, &a, required))
		return -1;
	memset(e, 0, sizeof(*e));
	e->ifindex = (int)mnl_attr_get_u32(a.tb[TEACH_A_IFINDEX]);
	e->addr = get_addr(a.tb[TEACH_A_ADDR]);
	e->state = mnl_attr_get_u8(a.tb[TEACH_A_NEIGH_STATE]);
	if (a.tb[TEACH_A_IFNAME])
		get_ifname(e->ifname, a.tb[TEACH_A_IFNAME]);
	if (a.tb[TEACH_A_LLADDR]) {
		e->has_lladdr = 1;
		memcpy(e->lladdr, mnl_attr_get_payload(a.tb[TEACH_A_LLADDR]),
		       TEACH_LLADDR_LEN);
	}
	if (a.tb[TEACH_A_NEIGH_PROBES])
		e->probes = mnl_attr_get_u32(a.tb[TEACH_A_NEIGH_PROBES]);
	if (a.tb[TEACH_A_NEIGH_AGE_MS])
		e->age_ms = mnl_attr_get_u32(a.tb[TEACH_A_NEIGH_AGE_MS]);
	if (a.tb[TEACH_A_NEIGH_QLEN])
		e->qlen = mnl_attr_get_u32(a.tb[TEACH_A_NEIGH_QLEN]);
	return 0;
}

static int parse_route(struct teach_nl *nl, const struct nlmsghdr *nlh,
		       void *entry)
{
	static const int required[] = { TEACH_A_DST, TEACH_A_PREFIXLEN, 0 };
	struct teach_route_entry *e = entry;
	struct attrs a;

	if (parse_attrs(nl, nlh, &a, required))
		return -1;
	memset(e, 0, sizeof(*e));
	e->dst = get_addr(a.tb[TEACH_A_DST]);
	e->prefixlen = mnl_attr_get_u8(a.tb[TEACH_A_PREFIXLEN]);
	if (a.tb[TEACH_A_ROUTE_TYPE])
		e->type = mnl_attr_get_u8(a.tb[TEACH_A_ROUTE_TYPE]);
	if (a.tb[TEACH_A_ROUTE_PROTO])
		e->proto = mnl_attr_get_u8(a.tb[TEACH_A_ROUTE_PROTO]);
	if (a.tb[TEACH_A_METRIC]) {
		e->has_metric = 1;
		e->metric = mnl_attr_get_u32(a.tb[TEACH_A_METRIC]);
	}
	if (a.tb[TEACH_A_GATEWAY]) {
		e->has_gateway = 1;
		e->gateway = get_addr(a.tb[TEACH_A_GATEWAY]);
	}
	if (a.tb[TEACH_A_PREFSRC]) {
		e->has_prefsrc = 1;
		e->prefsrc = get_addr(a.tb[TEACH_A_PREFSRC]);
	}
	if (a.tb[TEACH_A_IFINDEX])
		e->ifindex = (int)mnl_attr_get_u32(a.tb[TEACH_A_IFINDEX]);
	if (a.tb[TEACH_A_IFNAME])
		get_ifname(e->ifname, a.tb[TEACH_A_IFNAME]);
	if (a.tb[TEACH_A_MTU])
		e->mtu = mnl_attr_get_u32(a.tb[TEACH_A_MTU]);
	if (a.tb[TEACH_A_EXPIRES])
		e->expires = mnl_attr_get_u32(a.tb[TEACH_A_EXPIRES]);
	return 0;
}

static int parse_sock(struct teach_nl *nl, const struct nlmsghdr *nlh,
		      void *entry)
{
	static const int required[] = {
		TEACH_A_SOCK_TYPE, TEACH_A_SOCK_STATE, TEACH_A_SOCK_LADDR,
		TEACH_A_SOCK_LPORT, 0
	};
	struct teach_sock_entry *e = entry;
	struct attrs a;

	if (parse_attrs(nl, nlh, &a, required))
		return -1;
	memset(e, 0, sizeof(*e));
	e->type = mnl_attr_get_u8(a.tb[TEACH_A_SOCK_TYPE]);
	e->state = mnl_attr_get_u8(a.tb[TEACH_A_SOCK_STATE]);
	e->local = get_addr(a.tb[TEACH_A_SOCK_LADDR]);
	e->local_port = mnl_attr_get_u16(a.tb[TEACH_A_SOCK_LPORT]);
	if (a.tb[TEACH_A_SOCK_FAMILY])
		e->family = mnl_attr_get_u16(a.tb[TEACH_A_SOCK_FAMILY]);
	if (a.tb[TEACH_A_SOCK_PROTO])
		e->protocol = mnl_attr_get_u8(a.tb[TEACH_A_SOCK_PROTO]);
	if (a.tb[TEACH_A_SOCK_RADDR])
		e->peer = get_addr(a.tb[TEACH_A_SOCK_RADDR]);
	if (a.tb[TEACH_A_SOCK_RPORT])
		e->peer_port = mnl_attr_get_u16(a.tb[TEACH_A_SOCK_RPORT]);
	if (a.tb[TEACH_A_SOCK_RQUEUE])
		e->rqueue = mnl_attr_get_u32(a.tb[TEACH_A_SOCK_RQUEUE]);
	if (a.tb[TEACH_A_SOCK_WQUEUE])
		e->wqueue = mnl_attr_get_u32(a.tb[TEACH_A_SOCK_WQUEUE]);
	if (a.tb[TEACH_A_SOCK_UID])
		e->uid = mnl_attr_get_u32(a.tb[TEACH_A_SOCK_UID]);
	if (a.tb[TEACH_A_SOCK_INODE])
		e->inode = mnl_attr_get_u64(a.tb[TEACH_A_SOCK_INODE]);
	if (a.tb[TEACH_A_SOCK_DROPS])
		e->drops = mnl_attr_get_u32(a.tb[TEACH_A_SOCK_DROPS]);
	if (a.tb[TEACH_A_IFINDEX])
		e->ifindex = (int)mnl_attr_get_u32(a.tb[TEACH_A_IFINDEX]);
	if (a.tb[TEACH_A_SOCK_STREAM_INFO]) {
		/* the struct grows at its end: take what both sides know */
		e->info_len = mnl_attr_get_payload_len(a.tb[TEACH_A_SOCK_STREAM_INFO]);
		if (e->info_len > sizeof(e->info))
			e->info_len = sizeof(e->info);
		memcpy(&e->info, mnl_attr_get_payload(a.tb[TEACH_A_SOCK_STREAM_INFO]),
		       e->info_len);
	}
	return 0;
}

/* ---- dumps ---- */

typedef int (*parse_fn)(struct teach_nl *nl, const struct nlmsghdr *nlh,
			void *entry);

/* A dump's entries, kept until the kernel says the table was consistent. */
struct vec {
	parse_fn parse;
	size_t size;		/* of one entry */
	size_t n, cap;
	char *items;
};

static int collect(struct teach_nl *nl, const struct nlmsghdr *nlh,
		   void *data)
{
	struct vec *v = data;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		char *items = realloc(v->items, cap * v->size);

		if (!items)
			return -1;
		v->items = items;
		v->cap = cap;
	}
	if (v->parse(nl, nlh, v->items + v->n * v->size))
		return -1;
	v->n++;
	return 0;
}

/* A dump filtered by device (ifindex) or, for sockets, by type. */
static int dump_filtered(struct teach_nl *nl, uint8_t cmd, int ifindex,
			 int sock_type, uint32_t flags, struct vec *v)
{
	struct nlmsghdr *nlh;
	struct req req;
	int tries, intr, ret;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		v->n = 0;
		nlh = teach_req(nl, &req, cmd, NLM_F_DUMP);
		if (ifindex)
			mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, (uint32_t)ifindex);
		if (sock_type)
			mnl_attr_put_u8(nlh, TEACH_A_SOCK_TYPE, (uint8_t)sock_type);
		if (flags)
			mnl_attr_put_u32(nlh, TEACH_A_FLAGS, flags);
		ret = talk(nl, nlh, nl->family, collect, v, &intr);
		if (ret)
			return ret;
		if (!intr)
			return 0;
	}
	set_error(nl, "dump interrupted by concurrent changes %d times in a row",
		  DUMP_TRIES);
	errno = EAGAIN;
	return -1;
}

static int dump(struct teach_nl *nl, uint8_t cmd, int ifindex, struct vec *v)
{
	return dump_filtered(nl, cmd, ifindex, 0, 0, v);
}

static int sock_dump(struct teach_nl *nl, int type, uint32_t flags,
		     teach_sock_cb cb, void *arg)
{
	struct vec v = {
		.parse = parse_sock,
		.size = sizeof(struct teach_sock_entry),
	};
	int ret;
	size_t i;

	/* a u8 on the wire: the kernel judges the rest */
	if (type < 0 || type > 255) {
		set_error(nl, "socket type %d out of range", type);
		errno = EINVAL;
		return -1;
	}
	ret = dump_filtered(nl, TEACH_CMD_SOCK_GET, 0, type, flags, &v);
	for (i = 0; !ret && i < v.n; i++)
		ret = cb((struct teach_sock_entry *)v.items + i, arg);
	free(v.items);
	return ret;
}

int teach_sock_dump(struct teach_nl *nl, int type, teach_sock_cb cb,
		    void *arg)
{
	return sock_dump(nl, type, 0, cb, arg);
}

int teach_sock_dump_info(struct teach_nl *nl, int type, teach_sock_cb cb,
			 void *arg)
{
	return sock_dump(nl, type, TEACH_F_SOCK_INFO, cb, arg);
}

int teach_addr_dump(struct teach_nl *nl, int ifindex, teach_addr_cb cb,
		    void *arg)
{
	struct vec v = {
		.parse = parse_addr,
		.size = sizeof(struct teach_addr_entry),
	};
	int ret;
	size_t i;

	ret = dump(nl, TEACH_CMD_ADDR_GET, ifindex, &v);
	for (i = 0; !ret && i < v.n; i++)
		ret = cb((struct teach_addr_entry *)v.items + i, arg);
	free(v.items);
	return ret;
}

int teach_neigh_dump(struct teach_nl *nl, int ifindex, teach_neigh_cb cb,
		     void *arg)
{
	struct vec v = {
		.parse = parse_neigh,
		.size = sizeof(struct teach_neigh_entry),
	};
	int ret;
	size_t i;

	ret = dump(nl, TEACH_CMD_NEIGH_GET, ifindex, &v);
	for (i = 0; !ret && i < v.n; i++)
		ret = cb((struct teach_neigh_entry *)v.items + i, arg);
	free(v.items);
	return ret;
}

int teach_route_dump(struct teach_nl *nl, int ifindex, teach_route_cb cb,
		     void *arg)
{
	struct vec v = {
		.parse = parse_route,
		.size = sizeof(struct teach_route_entry),
	};
	int ret;
	size_t i;

	ret = dump(nl, TEACH_CMD_ROUTE_GET, ifindex, &v);
	for (i = 0; !ret && i < v.n; i++)
		ret = cb((struct teach_route_entry *)v.items + i, arg);
	free(v.items);
	return ret;
}

/* ---- addresses and neighbours ---- */

/* A u8 attribute cannot say more than 255; the kernel judges 33..255. */
static int check_prefixlen(struct teach_nl *nl, long prefixlen)
{
	if (prefixlen < 0 || prefixlen > 255) {
		set_error(nl, "prefix length %ld does not fit the attribute",
			  prefixlen);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int teach_addr_add(struct teach_nl *nl, int ifindex, struct teach_addr addr,
		   unsigned int prefixlen)
{
	struct nlmsghdr *nlh;
	struct req req;

	nl->has_error = 0;
	if (check_prefixlen(nl, (long)prefixlen))
		return -1;
	nlh = teach_req(nl, &req, TEACH_CMD_ADDR_NEW, NLM_F_ACK);
	mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, (uint32_t)ifindex);
	mnl_attr_put(nlh, TEACH_A_ADDR, sizeof(addr.s_addr), &addr.s_addr);
	mnl_attr_put_u8(nlh, TEACH_A_PREFIXLEN, (uint8_t)prefixlen);
	return teach_talk(nl, nlh, NULL, NULL);
}

int teach_addr_del(struct teach_nl *nl, int ifindex, struct teach_addr addr,
		   int prefixlen)
{
	struct nlmsghdr *nlh;
	struct req req;

	nl->has_error = 0;
	if (prefixlen != -1 && check_prefixlen(nl, prefixlen))
		return -1;
	nlh = teach_req(nl, &req, TEACH_CMD_ADDR_DEL, NLM_F_ACK);
	mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, (uint32_t)ifindex);
	mnl_attr_put(nlh, TEACH_A_ADDR, sizeof(addr.s_addr), &addr.s_addr);
	if (prefixlen >= 0)
		mnl_attr_put_u8(nlh, TEACH_A_PREFIXLEN, (uint8_t)prefixlen);
	return teach_talk(nl, nlh, NULL, NULL);
}

int teach_neigh_add(struct teach_nl *nl, int ifindex, struct teach_addr addr,
		    const uint8_t lladdr[TEACH_LLADDR_LEN], int state,
		    int replace)
{
	struct nlmsghdr *nlh;
	struct req req;

	nl->has_error = 0;
	if (state < 0 || state > 255) {
		set_error(nl, "neighbour state %d does not fit the attribute",
			  state);
		errno = EINVAL;
		return -1;
	}
	nlh = teach_req(nl, &req, TEACH_CMD_NEIGH_NEW, NLM_F_ACK);
	mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, (uint32_t)ifindex);
	mnl_attr_put(nlh, TEACH_A_ADDR, sizeof(addr.s_addr), &addr.s_addr);
	mnl_attr_put(nlh, TEACH_A_LLADDR, TEACH_LLADDR_LEN, lladdr);
	if (state != TEACH_NUD_NONE)
		mnl_attr_put_u8(nlh, TEACH_A_NEIGH_STATE, (uint8_t)state);
	if (replace)
		mnl_attr_put_u32(nlh, TEACH_A_FLAGS, TEACH_F_REPLACE);
	return teach_talk(nl, nlh, NULL, NULL);
}

int teach_neigh_del(struct teach_nl *nl, int ifindex, struct teach_addr addr)
{
	struct nlmsghdr *nlh;
	struct req req;

	nlh = teach_req(nl, &req, TEACH_CMD_NEIGH_DEL, NLM_F_ACK);
	mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, (uint32_t)ifindex);
	mnl_attr_put(nlh, TEACH_A_ADDR, sizeof(addr.s_addr), &addr.s_addr);
	return teach_talk(nl, nlh, NULL, NULL);
}

int teach_neigh_flush(struct teach_nl *nl, int ifindex)
{
	struct nlmsghdr *nlh;
	struct req req;

	nlh = teach_req(nl, &req, TEACH_CMD_NEIGH_FLUSH, NLM_F_ACK);
	if (ifindex)
		mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, (uint32_t)ifindex);
	return teach_talk(nl, nlh, NULL, NULL);
}

/* ---- statistics ---- */

struct stats_arg {
	uint64_t *stats;
	size_t n;
	int seen;
};

static int stats_cb(struct teach_nl *nl, const struct nlmsghdr *nlh,
		    void *data)
{
	static const int required[] = { TEACH_A_STATS, 0 };
	struct stats_arg *s = data;
	const struct nlattr *attr;
	struct attrs a;

	if (parse_attrs(nl, nlh, &a, required))
		return -1;
	mnl_attr_for_each_nested(attr, a.tb[TEACH_A_STATS]) {
		unsigned int type = mnl_attr_get_type(attr);
		uint16_t len = mnl_attr_get_payload_len(attr);

		/* Empty attributes are 64-bit alignment padding. */
		if (len == 0 || type == 0 || type > s->n)
			continue;
		if (len != sizeof(uint64_t)) {
			set_error(nl, "counter %u is not a u64", type - 1);
			errno = EPROTO;
			return -1;
		}
		s->stats[type - 1] = mnl_attr_get_u64(attr);
	}
	s->seen = 1;
	return 0;
}

int teach_stats_get(struct teach_nl *nl, uint64_t *stats, size_t n)
{
	struct stats_arg s = { .stats = stats, .n = n };
	struct nlmsghdr *nlh;
	struct req req;
	int ret;

	memset(stats, 0, n * sizeof(*stats));
	nlh = teach_req(nl, &req, TEACH_CMD_STATS_GET, NLM_F_ACK);
	ret = teach_talk(nl, nlh, stats_cb, &s);
	if (ret)
		return ret;
	if (!s.seen) {
		set_error(nl, "the kernel acknowledged without statistics");
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* ---- routes ---- */

static int route_change(struct teach_nl *nl, uint8_t cmd,
			const struct teach_route_entry *r, int replace)
{
	struct nlmsghdr *nlh;
	struct req req;

	nl->has_error = 0;
	if (check_prefixlen(nl, (long)r->prefixlen))
		return -1;
	if (r->type < 0 || r->type > 255 || r->proto < 0 || r->proto > 255) {
		set_error(nl, "route type or protocol does not fit the attribute");
		errno = EINVAL;
		return -1;
	}
	nlh = teach_req(nl, &req, cmd, NLM_F_ACK);
	mnl_attr_put(nlh, TEACH_A_DST, sizeof(r->dst.s_addr), &r->dst.s_addr);
	mnl_attr_put_u8(nlh, TEACH_A_PREFIXLEN, (uint8_t)r->prefixlen);
	if (r->type)
		mnl_attr_put_u8(nlh, TEACH_A_ROUTE_TYPE, (uint8_t)r->type);
	if (r->proto)
		mnl_attr_put_u8(nlh, TEACH_A_ROUTE_PROTO, (uint8_t)r->proto);
	if (r->has_metric)
		mnl_attr_put_u32(nlh, TEACH_A_METRIC, r->metric);
	if (r->has_gateway)
		mnl_attr_put(nlh, TEACH_A_GATEWAY, sizeof(r->gateway.s_addr),
			     &r->gateway.s_addr);
	if (r->has_prefsrc)
		mnl_attr_put(nlh, TEACH_A_PREFSRC, sizeof(r->prefsrc.s_addr),
			     &r->prefsrc.s_addr);
	if (r->ifindex)
		mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, (uint32_t)r->ifindex);
	if (replace)
		mnl_attr_put_u32(nlh, TEACH_A_FLAGS, TEACH_F_REPLACE);
	return teach_talk(nl, nlh, NULL, NULL);
}

int teach_route_add(struct teach_nl *nl, const struct teach_route_entry *r)
{
	return route_change(nl, TEACH_CMD_ROUTE_NEW, r, 0);
}

int teach_route_replace(struct teach_nl *nl, const struct teach_route_entry *r)
{
	return route_change(nl, TEACH_CMD_ROUTE_NEW, r, 1);
}

int teach_route_del(struct teach_nl *nl, const struct teach_route_entry *r)
{
	return route_change(nl, TEACH_CMD_ROUTE_DEL, r, 0);
}

struct route_get_arg {
	struct teach_route_entry *out;
	int seen;
};

static int route_get_cb(struct teach_nl *nl, const struct nlmsghdr *nlh,
			void *data)
{
	struct route_get_arg *g = data;

	if (parse_route(nl, nlh, g->out))
		return -1;
	g->seen = 1;
	return 0;
}

int teach_route_get(struct teach_nl *nl, struct teach_addr dst,
		    struct teach_route_entry *out)
{
	struct route_get_arg g = { .out = out };
	struct nlmsghdr *nlh;
	struct req req;
	int ret;

	nlh = teach_req(nl, &req, TEACH_CMD_ROUTE_GET, NLM_F_ACK);
	mnl_attr_put(nlh, TEACH_A_DST, sizeof(dst.s_addr), &dst.s_addr);
	ret = teach_talk(nl, nlh, route_get_cb, &g);
	if (ret)
		return ret;
	if (!g.seen) {
		set_error(nl, "the kernel acknowledged without a route");
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* ---- monitor ---- */

int teach_monitor_start(struct teach_nl *nl)
{
	int grp = (int)nl->mcgrp, size = MONITOR_RCVBUF;

	nl->has_error = 0;
	if (!nl->mcgrp) {
		set_error(nl, "the family has no \"%s\" multicast group",
			  TEACH_GENL_MCGRP_MONITOR);
		errno = ENOENT;
		return -1;
	}
	/* Best effort: an unprivileged user gets rmem_max at most. */
	setsockopt(teach_nl_fd(nl), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				     sizeof(grp));
}

static int parse_event(struct teach_nl *nl, const struct nlmsghdr *nlh,
		       struct teach_event *ev)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	memset(ev, 0, sizeof(*ev));
	ev->cmd = genl->cmd;
	switch (genl->cmd) {
	case TEACH_CMD_ADDR_NEW:
	case TEACH_CMD_ADDR_DEL:
		return parse_addr(nl, nlh, &ev->addr);
	case TEACH_CMD_NEIGH_NEW:
	case TEACH_CMD_NEIGH_DEL:
		return parse_neigh(nl, nlh, &ev->neigh);
	case TEACH_CMD_ROUTE_NEW:
	case TEACH_CMD_ROUTE_DEL:
		return parse_route(nl, nlh, &ev->route);
	}
	return 1;
}

int teach_monitor_read(struct teach_nl *nl, teach_event_cb cb, void *arg)
{
	const struct nlmsghdr *nlh;
	struct teach_event ev;
	ssize_t n;
	int rem, ret;

	nl->has_error = 0;
	n = mnl_socket_recvfrom(nl->sock, nl->buf, RECV_BUF_SIZE);
	if (n < 0) {
		if (errno == ENOBUFS)
			set_error(nl, "events lost: the socket's receive buffer overran");
		return -1;
	}
	rem = (int)n;
	for (nlh = (const struct nlmsghdr *)nl->buf; mnl_nlmsg_ok(nlh, rem);
	     nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type != nl->family ||
		    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
			continue;
		ret = parse_event(nl, nlh, &ev);
		if (ret > 0)
			continue;	/* not an event we know */
		if (ret < 0)
			return -1;
		ret = cb(&ev, arg);
		if (ret)
			return ret;
	}
	return 0;
}

int teach_monitor(struct teach_nl *nl, teach_event_cb cb, void *arg)
{
	int ret;

	if (teach_monitor_start(nl))
		return -1;
	do {
		ret = teach_monitor_read(nl, cb, arg);
	} while (ret == 0 || (ret < 0 && errno == EINTR));
	return ret;
}
