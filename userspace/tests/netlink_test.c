// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of libteach's netlink client.
 *
 * The module cannot be loaded on the build host, so this file plays the
 * kernel: it defines the libmnl socket calls that lib/netlink.c makes, and
 * the executable's definitions win over libmnl.so's.  Requests are decoded
 * and answered from a small in-memory model; the answers are queued as the
 * buffers that recvfrom() would return.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "libteach.h"

#define FAMILY_ID	0x1d
#define MCGRP_ID	7
#define PORTID		4242
#define MAX_QUEUE	32
#define BUF_SIZE	8192

struct mnl_socket {
	int unused;
};

static struct fake {
	struct mnl_socket sock;
	int family_missing;
	int no_group;
	int intr_times;		/* dumps left to mark NLM_F_DUMP_INTR */
	int dumps;		/* dump requests seen */
	int fail_errno;		/* the next teach request fails */
	const char *fail_msg;
	int uncapped;		/* quote the whole request in errors */
	int done_errno;		/* dumps fail half way with this */
	int stale;		/* queue an answer to an old sequence first */
	int bad_lladdr;		/* neighbour dump with a 4-byte lladdr */
	int no_ack_reply;	/* stats/route get: ack without an answer */
	char req[BUF_SIZE];	/* the last request */
	struct {
		char *buf;
		size_t len;
	} q[MAX_QUEUE];
	int qhead, qtail;
} fk;

/* ---- the fake socket ---- */

struct mnl_socket *mnl_socket_open2(int bus, int flags)
{
	(void)bus;
	(void)flags;
	return &fk.sock;
}

int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf,
			  socklen_t len)
{
	(void)nl;
	(void)type;
	(void)buf;
	(void)len;
	return 0;
}

int mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid)
{
	(void)nl;
	(void)groups;
	(void)pid;
	return 0;
}

unsigned int mnl_socket_get_portid(const struct mnl_socket *nl)
{
	(void)nl;
	return PORTID;
}

int mnl_socket_get_fd(const struct mnl_socket *nl)
{
	(void)nl;
	return -1;
}

int mnl_socket_close(struct mnl_socket *nl)
{
	(void)nl;
	return 0;
}

static char *new_buf(void)
{
	char *buf = calloc(1, BUF_SIZE);

	if (!buf)
		abort();
	return buf;
}

static void queue(char *buf, size_t len)
{
	if (fk.qtail == MAX_QUEUE)
		abort();
	fk.q[fk.qtail].buf = buf;
	fk.q[fk.qtail].len = len;
	fk.qtail++;
}

ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf,
			    size_t siz)
{
	size_t len;

	(void)nl;
	if (fk.qhead == fk.qtail) {
		/* The real socket would block for ever. */
		errno = EAGAIN;
		return -1;
	}
	len = fk.q[fk.qhead].len;
	if (len > siz)
		abort();
	memcpy(buf, fk.q[fk.qhead].buf, len);
	free(fk.q[fk.qhead].buf);
	fk.qhead++;
	return (ssize_t)len;
}

/* ---- building answers ---- */

static struct nlmsghdr *put_msg(char *buf, size_t *off, uint16_t type,
				uint16_t flags, uint32_t seq, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + *off);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = seq ? PORTID : 0;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = TEACH_GENL_VERSION;
	return nlh;
}

static void end_msg(size_t *off, const struct nlmsghdr *nlh)
{
	*off += MNL_ALIGN(nlh->nlmsg_len);
}

static void queue_ack(const struct nlmsghdr *req, int err, const char *msg)
{
	char *buf = new_buf();
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = PORTID;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -err;
	e->msg = *req;
	if (err && fk.uncapped) {
		size_t plen = req->nlmsg_len - sizeof(*req);

		memcpy(mnl_nlmsg_put_extra_header(nlh, plen),
		       mnl_nlmsg_get_payload(req), plen);
	} else {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	}
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	queue(buf, nlh->nlmsg_len);
}

static void queue_done(const struct nlmsghdr *req, uint16_t flags)
{
	char *buf = new_buf();
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int *err;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | flags;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = PORTID;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	*err = -fk.done_errno;
	if (fk.done_errno) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "table went away");
	}
	queue(buf, nlh->nlmsg_len);
}

static void put_be32(struct nlmsghdr *nlh, uint16_t type, uint32_t host)
{
	uint32_t be = htonl(host);

	mnl_attr_put(nlh, type, sizeof(be), &be);
}

static const struct nlattr *req_attr(int type)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)fk.req;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return NULL;
}

static int req_attr_count(void)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)fk.req;
	const struct nlattr *attr;
	int n = 0;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		n++;
	return n;
}

static uint8_t req_cmd(void)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)fk.req;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	return genl->cmd;
}

/* ---- the fake kernel ---- */

static void answer_family(const struct nlmsghdr *req)
{
	char *buf = new_buf();
	struct nlmsghdr *nlh;
	struct nlattr *grps, *grp;
	size_t off = 0;

	if (fk.family_missing) {
		free(buf);
		queue_ack(req, ENOENT, NULL);
		return;
	}
	nlh = put_msg(buf, &off, GENL_ID_CTRL, 0, req->nlmsg_seq,
		      CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TEACH_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY_ID);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, TEACH_GENL_VERSION);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "other");
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 3);
	mnl_attr_nest_end(nlh, grp);
	if (!fk.no_group) {
		grp = mnl_attr_nest_start(nlh, 2);
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME,
				  TEACH_GENL_MCGRP_MONITOR);
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, MCGRP_ID);
		mnl_attr_nest_end(nlh, grp);
	}
	mnl_attr_nest_end(nlh, grps);
	end_msg(&off, nlh);
	queue(buf, off);
	queue_ack(req, 0, NULL);
}

static void put_addr_entry(struct nlmsghdr *nlh, int ifindex,
			   const char *ifname, uint32_t addr, uint8_t plen,
			   uint32_t brd)
{
	mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, (uint32_t)ifindex);
	mnl_attr_put_strz(nlh, TEACH_A_IFNAME, ifname);
	put_be32(nlh, TEACH_A_ADDR, addr);
	mnl_attr_put_u8(nlh, TEACH_A_PREFIXLEN, plen);
	put_be32(nlh, TEACH_A_BROADCAST, brd);
}

static void put_route_entry(struct nlmsghdr *nlh, uint32_t dst, uint8_t plen,
			    uint32_t gw)
{
	put_be32(nlh, TEACH_A_DST, dst);
	mnl_attr_put_u8(nlh, TEACH_A_PREFIXLEN, plen);
	mnl_attr_put_u8(nlh, TEACH_A_ROUTE_TYPE, TEACH_RTN_UNICAST);
	mnl_attr_put_u8(nlh, TEACH_A_ROUTE_PROTO, TEACH_RTPROT_STATIC);
	mnl_attr_put_u32(nlh, TEACH_A_METRIC, 10);
	if (gw)
		put_be32(nlh, TEACH_A_GATEWAY, gw);
	put_be32(nlh, TEACH_A_PREFSRC, 0x0a000001);
	mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, 2);
	mnl_attr_put_strz(nlh, TEACH_A_IFNAME, "veth0");
}

/* A dump in two buffers: entries, then NLMSG_DONE. */
static void answer_dump(const struct nlmsghdr *req, uint8_t cmd)
{
	const struct nlattr *filter = req_attr(TEACH_A_IFINDEX);
	uint16_t flags = NLM_F_MULTI;
	char *buf = new_buf();
	struct nlmsghdr *nlh;
	size_t off = 0;

	fk.dumps++;
	if (fk.intr_times > 0) {
		fk.intr_times--;
		flags |= NLM_F_DUMP_INTR;
	}
	switch (cmd) {
	case TEACH_CMD_ADDR_GET:
		if (!filter || mnl_attr_get_u32(filter) == 2) {
			nlh = put_msg(buf, &off, FAMILY_ID, flags,
				      req->nlmsg_seq, cmd);
			put_addr_entry(nlh, 2, "veth0", 0x0a000001, 24,
				       0x0a0000ff);
			end_msg(&off, nlh);
		}
		if (!filter || mnl_attr_get_u32(filter) == 3) {
			nlh = put_msg(buf, &off, FAMILY_ID, flags,
				      req->nlmsg_seq, cmd);
			put_addr_entry(nlh, 3, "veth1", 0xc0a80001, 16,
				       0xc0a8ffff);
			end_msg(&off, nlh);
		}
		break;
	case TEACH_CMD_NEIGH_GET: {
		static const uint8_t ll[6] = { 0xaa, 0xbb, 0xcc, 0, 1, 2 };

		nlh = put_msg(buf, &off, FAMILY_ID, flags, req->nlmsg_seq, cmd);
		mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, 2);
		mnl_attr_put_strz(nlh, TEACH_A_IFNAME, "veth0");
		put_be32(nlh, TEACH_A_ADDR, 0x0a000002);
		mnl_attr_put(nlh, TEACH_A_LLADDR, fk.bad_lladdr ? 4 : 6, ll);
		mnl_attr_put_u8(nlh, TEACH_A_NEIGH_STATE, TEACH_NUD_REACHABLE);
		mnl_attr_put_u32(nlh, TEACH_A_NEIGH_PROBES, 1);
		mnl_attr_put_u32(nlh, TEACH_A_NEIGH_AGE_MS, 1500);
		mnl_attr_put_u32(nlh, TEACH_A_NEIGH_QLEN, 0);
		end_msg(&off, nlh);
		nlh = put_msg(buf, &off, FAMILY_ID, flags, req->nlmsg_seq, cmd);
		mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, 2);
		put_be32(nlh, TEACH_A_ADDR, 0x0a000003);
		mnl_attr_put_u8(nlh, TEACH_A_NEIGH_STATE, TEACH_NUD_INCOMPLETE);
		mnl_attr_put_u32(nlh, TEACH_A_NEIGH_PROBES, 3);
		mnl_attr_put_u32(nlh, TEACH_A_NEIGH_QLEN, 2);
		end_msg(&off, nlh);
		break;
	}
	case TEACH_CMD_SOCK_GET: {
		const struct nlattr *type = req_attr(TEACH_A_SOCK_TYPE);

		if (!type || mnl_attr_get_u8(type) == 2) {
			/* a connected datagram socket bound to a device */
			nlh = put_msg(buf, &off, FAMILY_ID, flags,
				      req->nlmsg_seq, cmd);
			mnl_attr_put_u16(nlh, TEACH_A_SOCK_FAMILY, 12);
			mnl_attr_put_u8(nlh, TEACH_A_SOCK_TYPE, 2);
			mnl_attr_put_u8(nlh, TEACH_A_SOCK_PROTO, 17);
			mnl_attr_put_u8(nlh, TEACH_A_SOCK_STATE,
					TEACH_SS_ESTABLISHED);
			put_be32(nlh, TEACH_A_SOCK_LADDR, 0x0a000101);
			mnl_attr_put_u16(nlh, TEACH_A_SOCK_LPORT, 40312);
			put_be32(nlh, TEACH_A_SOCK_RADDR, 0x0a000302);
			mnl_attr_put_u16(nlh, TEACH_A_SOCK_RPORT, 7000);
			mnl_attr_put_u32(nlh, TEACH_A_SOCK_RQUEUE, 768);
			mnl_attr_put_u32(nlh, TEACH_A_SOCK_WQUEUE, 0);
			mnl_attr_put_u32(nlh, TEACH_A_SOCK_UID, 1000);
			mnl_attr_put_u64(nlh, TEACH_A_SOCK_INODE,
					 0x100000005ULL);
			mnl_attr_put_u32(nlh, TEACH_A_SOCK_DROPS, 3);
			mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, 2);
			end_msg(&off, nlh);
		}
		if (!type || mnl_attr_get_u8(type) == 3) {
			/* a raw socket: only what must be there */
			nlh = put_msg(buf, &off, FAMILY_ID, flags,
				      req->nlmsg_seq, cmd);
			mnl_attr_put_u8(nlh, TEACH_A_SOCK_TYPE, 3);
			mnl_attr_put_u8(nlh, TEACH_A_SOCK_STATE, TEACH_SS_CLOSE);
			put_be32(nlh, TEACH_A_SOCK_LADDR, 0);
			mnl_attr_put_u16(nlh, TEACH_A_SOCK_LPORT, 1);
			if (fk.bad_lladdr)	/* a u16 of one byte */
				mnl_attr_put_u8(nlh, TEACH_A_SOCK_RPORT, 1);
			end_msg(&off, nlh);
		}
		break;
	}
	case TEACH_CMD_ROUTE_GET:
		nlh = put_msg(buf, &off, FAMILY_ID, flags, req->nlmsg_seq, cmd);
		put_route_entry(nlh, 0, 0, 0x0a0000fe);
		end_msg(&off, nlh);
		nlh = put_msg(buf, &off, FAMILY_ID, flags, req->nlmsg_seq, cmd);
		put_route_entry(nlh, 0x0a000000, 24, 0);
		/* An attribute from a newer kernel is ignored. */
		mnl_attr_put_u32(nlh, TEACH_A_MAX + 5, 1);
		end_msg(&off, nlh);
		break;
	}
	queue(buf, off);
	queue_done(req, flags & NLM_F_DUMP_INTR);
}

static void answer_stats(const struct nlmsghdr *req)
{
	char *buf = new_buf();
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	size_t off = 0;
	int i;

	nlh = put_msg(buf, &off, FAMILY_ID, 0, req->nlmsg_seq,
		      TEACH_CMD_STATS_GET);
	nest = mnl_attr_nest_start(nlh, TEACH_A_STATS);
	/* Padding as nla_put_u64_64bit() would add it on some machines. */
	mnl_attr_put(nlh, TEACH_A_PAD, 0, NULL);
	for (i = 0; i < __TEACH_MIB_MAX; i++)
		mnl_attr_put_u64(nlh, (uint16_t)(i + 1), 1000 + (uint64_t)i);
	/* A counter this library does not know yet. */
	mnl_attr_put_u64(nlh, __TEACH_MIB_MAX + 1, 7);
	mnl_attr_nest_end(nlh, nest);
	end_msg(&off, nlh);
	queue(buf, off);
	queue_ack(req, 0, NULL);
}

static void answer_route_get(const struct nlmsghdr *req)
{
	char *buf = new_buf();
	struct nlmsghdr *nlh;
	size_t off = 0;

	nlh = put_msg(buf, &off, FAMILY_ID, 0, req->nlmsg_seq,
		      TEACH_CMD_ROUTE_GET);
	put_route_entry(nlh, 0x0a000000, 24, 0x0a0000fe);
	end_msg(&off, nlh);
	queue(buf, off);
	queue_ack(req, 0, NULL);
}

ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *req,
			  size_t len)
{
	const struct nlmsghdr *nlh = req;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	(void)nl;
	if (len > sizeof(fk.req) || len != nlh->nlmsg_len)
		abort();
	memcpy(fk.req, req, len);
	if (fk.stale) {
		struct nlmsghdr old = *nlh;

		/* A late answer to an earlier request must be skipped. */
		fk.stale = 0;
		old.nlmsg_seq--;
		queue_ack(&old, EBUSY, "stale");
	}
	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		answer_family(nlh);
		return (ssize_t)len;
	}
	if (nlh->nlmsg_type != FAMILY_ID || genl->version != TEACH_GENL_VERSION)
		abort();
	if (fk.fail_errno) {
		queue_ack(nlh, fk.fail_errno, fk.fail_msg);
		fk.fail_errno = 0;
		return (ssize_t)len;
	}
	if (nlh->nlmsg_flags & NLM_F_DUMP) {
		answer_dump(nlh, genl->cmd);
	} else if (fk.no_ack_reply) {
		queue_ack(nlh, 0, NULL);
	} else if (genl->cmd == TEACH_CMD_STATS_GET) {
		answer_stats(nlh);
	} else if (genl->cmd == TEACH_CMD_ROUTE_GET) {
		answer_route_get(nlh);
	} else {
		if (!(nlh->nlmsg_flags & NLM_F_ACK))
			abort();
		queue_ack(nlh, 0, NULL);
	}
	return (ssize_t)len;
}

/* ---- callbacks ---- */

struct seen {
	int n;
	struct teach_addr_entry addr[4];
	struct teach_neigh_entry neigh[4];
	struct teach_route_entry route[4];
	struct teach_sock_entry sock[4];
	struct teach_event ev[8];
	int stop_at;		/* return 5 at this call (1-based) */
};

static int addr_cb(const struct teach_addr_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n < 4)
		s->addr[s->n] = *e;
	if (++s->n == s->stop_at)
		return 5;
	return 0;
}

static int neigh_cb(const struct teach_neigh_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n < 4)
		s->neigh[s->n] = *e;
	s->n++;
	return 0;
}

static int route_cb(const struct teach_route_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n < 4)
		s->route[s->n] = *e;
	s->n++;
	return 0;
}

static int sock_cb(const struct teach_sock_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n < 4)
		s->sock[s->n] = *e;
	s->n++;
	return 0;
}

static int event_cb(const struct teach_event *ev, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8)
		s->ev[s->n] = *ev;
	if (++s->n == s->stop_at)
		return 5;
	return 0;
}

static struct teach_addr A(uint32_t host)
{
	struct teach_addr a = { htonl(host) };

	return a;
}

static uint32_t be32_attr(int type)
{
	uint32_t v;

	memcpy(&v, mnl_attr_get_payload(req_attr(type)), sizeof(v));
	return ntohl(v);
}

/* ---- tests ---- */

TEST(open_without_family_is_enoent)
{
	fk.family_missing = 1;
	errno = 0;
	EXPECT_EQ(NULL, teach_nl_open());
	EXPECT_EQ(ENOENT, errno);
}

TEST(open_resolves_family_and_group)
{
	struct teach_nl *nl = teach_nl_open();

	ASSERT_NE(NULL, nl);
	EXPECT_EQ(FAMILY_ID, teach_nl_family_id(nl));
	EXPECT_EQ((uint32_t)MCGRP_ID, teach_nl_monitor_group(nl));
	EXPECT_EQ(NULL, teach_nl_error(nl));
	/* The lookup asked the controller for "teach" by name. */
	EXPECT_STREQ(TEACH_GENL_NAME,
		     mnl_attr_get_str(req_attr(CTRL_ATTR_FAMILY_NAME)));
	teach_nl_close(nl);
}

TEST(addr_add_sends_its_attributes)
{
	struct teach_nl *nl = teach_nl_open();
	const struct nlmsghdr *req = (const struct nlmsghdr *)fk.req;

	ASSERT_NE(NULL, nl);
	ASSERT_EQ(0, teach_addr_add(nl, 2, A(0x0a000001), 24));
	EXPECT_EQ(TEACH_CMD_ADDR_NEW, req_cmd());
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK, req->nlmsg_flags);
	EXPECT_EQ(2U, mnl_attr_get_u32(req_attr(TEACH_A_IFINDEX)));
	EXPECT_EQ(0x0a000001U, be32_attr(TEACH_A_ADDR));
	EXPECT_EQ(24, mnl_attr_get_u8(req_attr(TEACH_A_PREFIXLEN)));
	EXPECT_EQ(3, req_attr_count());
	/* Out of the attribute's range: refused before sending. */
	EXPECT_EQ(-1, teach_addr_add(nl, 2, A(0x0a000001), 256));
	EXPECT_EQ(EINVAL, errno);
	teach_nl_close(nl);
}

TEST(addr_del_prefixlen_is_optional)
{
	struct teach_nl *nl = teach_nl_open();

	ASSERT_NE(NULL, nl);
	ASSERT_EQ(0, teach_addr_del(nl, 2, A(0x0a000001), -1));
	EXPECT_EQ(TEACH_CMD_ADDR_DEL, req_cmd());
	EXPECT_EQ(NULL, req_attr(TEACH_A_PREFIXLEN));
	ASSERT_EQ(0, teach_addr_del(nl, 2, A(0x0a000001), 24));
	EXPECT_EQ(24, mnl_attr_get_u8(req_attr(TEACH_A_PREFIXLEN)));
	teach_nl_close(nl);
}

TEST(error_keeps_extack_message)
{
	struct teach_nl *nl = teach_nl_open();

	ASSERT_NE(NULL, nl);
	fk.fail_errno = EEXIST;
	fk.fail_msg = "address already on this device";
	EXPECT_EQ(-1, teach_addr_add(nl, 2, A(0x0a000001), 24));
	EXPECT_EQ(EEXIST, errno);
	ASSERT_NE(NULL, teach_nl_error(nl));
	EXPECT_STREQ("address already on this device", teach_nl_error(nl));
	/* A success forgets it. */
	ASSERT_EQ(0, teach_addr_add(nl, 2, A(0x0a000001), 24));
	EXPECT_EQ(NULL, teach_nl_error(nl));
	/* No extack: errno alone. */
	fk.fail_errno = EPERM;
	fk.fail_msg = NULL;
	EXPECT_EQ(-1, teach_neigh_flush(nl, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(NULL, teach_nl_error(nl));
	teach_nl_close(nl);
}

TEST(error_extack_after_quoted_request)
{
	struct teach_nl *nl = teach_nl_open();

	ASSERT_NE(NULL, nl);
	fk.uncapped = 1;
	fk.fail_errno = ENODEV;
	fk.fail_msg = "no such device, or teach does not run on it";
	EXPECT_EQ(-1, teach_addr_add(nl, 9, A(0x0a000001), 24));
	EXPECT_EQ(ENODEV, errno);
	ASSERT_NE(NULL, teach_nl_error(nl));
	EXPECT_STREQ("no such device, or teach does not run on it",
		     teach_nl_error(nl));
	teach_nl_close(nl);
}

TEST(stale_answers_are_skipped)
{
	struct teach_nl *nl = teach_nl_open();

	ASSERT_NE(NULL, nl);
	fk.stale = 1;
	EXPECT_EQ(0, teach_neigh_flush(nl, 2));
	EXPECT_EQ(NULL, teach_nl_error(nl));
	EXPECT_EQ(fk.qhead, fk.qtail);
	teach_nl_close(nl);
}

TEST(addr_dump)
{
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { 0 };
	const struct nlmsghdr *req = (const struct nlmsghdr *)fk.req;
	char buf[TEACH_ADDRSTRLEN];

	ASSERT_NE(NULL, nl);
	ASSERT_EQ(0, teach_addr_dump(nl, 0, addr_cb, &s));
	EXPECT_TRUE(req->nlmsg_flags & NLM_F_DUMP);
	EXPECT_EQ(NULL, req_attr(TEACH_A_IFINDEX));
	ASSERT_EQ(2, s.n);
	EXPECT_EQ(2, s.addr[0].ifindex);
	EXPECT_STREQ("veth0", s.addr[0].ifname);
	EXPECT_STREQ("10.0.0.1", teach_ntop(s.addr[0].addr, buf, sizeof(buf)));
	EXPECT_EQ(24U, s.addr[0].prefixlen);
	EXPECT_TRUE(s.addr[0].has_broadcast);
	EXPECT_STREQ("10.0.0.255",
		     teach_ntop(s.addr[0].broadcast, buf, sizeof(buf)));
	EXPECT_STREQ("veth1", s.addr[1].ifname);

	memset(&s, 0, sizeof(s));
	ASSERT_EQ(0, teach_addr_dump(nl, 3, addr_cb, &s));
	EXPECT_EQ(3U, mnl_attr_get_u32(req_attr(TEACH_A_IFINDEX)));
	ASSERT_EQ(1, s.n);
	EXPECT_EQ(3, s.addr[0].ifindex);
	teach_nl_close(nl);
}

TEST(sock_dump)
{
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { 0 };
	char buf[TEACH_ADDRSTRLEN];

	ASSERT_NE(NULL, nl);
	ASSERT_EQ(0, teach_sock_dump(nl, 0, sock_cb, &s));
	EXPECT_EQ(TEACH_CMD_SOCK_GET, req_cmd());
	EXPECT_EQ(NULL, req_attr(TEACH_A_SOCK_TYPE));
	ASSERT_EQ(2, s.n);
	EXPECT_EQ(12, s.sock[0].family);
	EXPECT_EQ(2, s.sock[0].type);
	EXPECT_EQ(17, s.sock[0].protocol);
	EXPECT_EQ(TEACH_SS_ESTABLISHED, s.sock[0].state);
	EXPECT_STREQ("10.0.1.1", teach_ntop(s.sock[0].local, buf, sizeof(buf)));
	EXPECT_EQ(40312, s.sock[0].local_port);
	EXPECT_STREQ("10.0.3.2", teach_ntop(s.sock[0].peer, buf, sizeof(buf)));
	EXPECT_EQ(7000, s.sock[0].peer_port);
	EXPECT_EQ(768U, s.sock[0].rqueue);
	EXPECT_EQ(1000U, s.sock[0].uid);
	EXPECT_EQ(0x100000005ULL, s.sock[0].inode);
	EXPECT_EQ(3U, s.sock[0].drops);
	EXPECT_EQ(2, s.sock[0].ifindex);
	/* what a kernel leaves out reads as 0 */
	EXPECT_EQ(3, s.sock[1].type);
	EXPECT_EQ(0, s.sock[1].peer_port);
	EXPECT_EQ(0, s.sock[1].ifindex);
	EXPECT_EQ(0U, s.sock[1].peer.s_addr);

	/* the type filter goes to the kernel */
	memset(&s, 0, sizeof(s));
	ASSERT_EQ(0, teach_sock_dump(nl, SOCK_RAW, sock_cb, &s));
	ASSERT_NE(NULL, req_attr(TEACH_A_SOCK_TYPE));
	EXPECT_EQ(3, mnl_attr_get_u8(req_attr(TEACH_A_SOCK_TYPE)));
	ASSERT_EQ(1, s.n);
	EXPECT_EQ(1, s.sock[0].local_port);

	/* out of a u8's range: refused before anything is sent */
	errno = 0;
	EXPECT_EQ(-1, teach_sock_dump(nl, 256, sock_cb, &s));
	EXPECT_EQ(EINVAL, errno);
	teach_nl_close(nl);
}

TEST(sock_dump_malformed_is_eproto)
{
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { 0 };

	ASSERT_NE(NULL, nl);
	fk.bad_lladdr = 1;
	errno = 0;
	EXPECT_EQ(-1, teach_sock_dump(nl, SOCK_RAW, sock_cb, &s));
	EXPECT_EQ(EPROTO, errno);
	EXPECT_EQ(0, s.n);
	teach_nl_close(nl);
}

TEST(dump_callback_stops_the_walk)
{
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { .stop_at = 1 };

	ASSERT_NE(NULL, nl);
	EXPECT_EQ(5, teach_addr_dump(nl, 0, addr_cb, &s));
	EXPECT_EQ(1, s.n);
	/* The socket was read to the end: the next request works. */
	EXPECT_EQ(0, teach_neigh_flush(nl, 0));
	teach_nl_close(nl);
}

TEST(interrupted_dump_is_retried)
{
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { 0 };

	ASSERT_NE(NULL, nl);
	fk.intr_times = 2;
	ASSERT_EQ(0, teach_addr_dump(nl, 0, addr_cb, &s));
	EXPECT_EQ(3, fk.dumps);
	/* Entries of the interrupted attempts are not delivered. */
	EXPECT_EQ(2, s.n);
	teach_nl_close(nl);
}

TEST(interrupted_dump_gives_up)
{
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { 0 };

	ASSERT_NE(NULL, nl);
	fk.intr_times = 1000;
	EXPECT_EQ(-1, teach_route_dump(nl, 0, route_cb, &s));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_NE(NULL, teach_nl_error(nl));
	EXPECT_EQ(0, s.n);
	EXPECT_LT(1, fk.dumps);
	EXPECT_GT(20, fk.dumps);
	teach_nl_close(nl);
}

TEST(dump_error_in_done)
{
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { 0 };

	ASSERT_NE(NULL, nl);
	fk.done_errno = EIO;
	EXPECT_EQ(-1, teach_addr_dump(nl, 0, addr_cb, &s));
	EXPECT_EQ(EIO, errno);
	ASSERT_NE(NULL, teach_nl_error(nl));
	EXPECT_STREQ("table went away", teach_nl_error(nl));
	EXPECT_EQ(0, s.n);
	teach_nl_close(nl);
}

TEST(dump_start_refused)
{
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { 0 };

	ASSERT_NE(NULL, nl);
	fk.fail_errno = EINVAL;
	fk.fail_msg = "unknown attribute";
	EXPECT_EQ(-1, teach_neigh_dump(nl, 0, neigh_cb, &s));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_STREQ("unknown attribute", teach_nl_error(nl));
	teach_nl_close(nl);
}

TEST(neigh_add_attributes)
{
	static const uint8_t ll[6] = { 0x02, 0, 0, 0, 0, 0x42 };
	struct teach_nl *nl = teach_nl_open();

	ASSERT_NE(NULL, nl);
	ASSERT_EQ(0, teach_neigh_add(nl, 2, A(0x0a000002), ll,
				     TEACH_NUD_NONE, 0));
	EXPECT_EQ(TEACH_CMD_NEIGH_NEW, req_cmd());
	/* Kernel defaults: no state, no flags. */
	EXPECT_EQ(NULL, req_attr(TEACH_A_NEIGH_STATE));
	EXPECT_EQ(NULL, req_attr(TEACH_A_FLAGS));
	ASSERT_EQ(6, mnl_attr_get_payload_len(req_attr(TEACH_A_LLADDR)));
	EXPECT_EQ(0, memcmp(ll, mnl_attr_get_payload(req_attr(TEACH_A_LLADDR)),
			    6));

	ASSERT_EQ(0, teach_neigh_add(nl, 2, A(0x0a000002), ll,
				     TEACH_NUD_STALE, 1));
	EXPECT_EQ(TEACH_NUD_STALE,
		  mnl_attr_get_u8(req_attr(TEACH_A_NEIGH_STATE)));
	EXPECT_EQ((uint32_t)TEACH_F_REPLACE,
		  mnl_attr_get_u32(req_attr(TEACH_A_FLAGS)));

	ASSERT_EQ(0, teach_neigh_del(nl, 2, A(0x0a000002)));
	EXPECT_EQ(TEACH_CMD_NEIGH_DEL, req_cmd());
	EXPECT_EQ(2, req_attr_count());

	ASSERT_EQ(0, teach_neigh_flush(nl, 0));
	EXPECT_EQ(TEACH_CMD_NEIGH_FLUSH, req_cmd());
	EXPECT_EQ(0, req_attr_count());
	teach_nl_close(nl);
}

TEST(neigh_dump)
{
	static const uint8_t ll[6] = { 0xaa, 0xbb, 0xcc, 0, 1, 2 };
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { 0 };

	ASSERT_NE(NULL, nl);
	ASSERT_EQ(0, teach_neigh_dump(nl, 2, neigh_cb, &s));
	ASSERT_EQ(2, s.n);
	EXPECT_TRUE(s.neigh[0].has_lladdr);
	EXPECT_EQ(0, memcmp(ll, s.neigh[0].lladdr, 6));
	EXPECT_EQ(TEACH_NUD_REACHABLE, s.neigh[0].state);
	EXPECT_EQ(1500U, s.neigh[0].age_ms);
	EXPECT_STREQ("veth0", s.neigh[0].ifname);
	EXPECT_FALSE(s.neigh[1].has_lladdr);
	EXPECT_EQ(TEACH_NUD_INCOMPLETE, s.neigh[1].state);
	EXPECT_EQ(3U, s.neigh[1].probes);
	EXPECT_EQ(2U, s.neigh[1].qlen);
	EXPECT_STREQ("", s.neigh[1].ifname);
	teach_nl_close(nl);
}

TEST(malformed_attribute_is_eproto)
{
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { 0 };

	ASSERT_NE(NULL, nl);
	fk.bad_lladdr = 1;
	EXPECT_EQ(-1, teach_neigh_dump(nl, 0, neigh_cb, &s));
	EXPECT_EQ(EPROTO, errno);
	EXPECT_NE(NULL, teach_nl_error(nl));
	EXPECT_EQ(0, s.n);
	teach_nl_close(nl);
}

TEST(stats_get)
{
	struct teach_nl *nl = teach_nl_open();
	uint64_t stats[__TEACH_MIB_MAX + 1];
	int i;

	ASSERT_NE(NULL, nl);
	stats[__TEACH_MIB_MAX] = 99;
	ASSERT_EQ(0, teach_stats_get(nl, stats, __TEACH_MIB_MAX));
	EXPECT_EQ(TEACH_CMD_STATS_GET, req_cmd());
	EXPECT_EQ(0, req_attr_count());
	for (i = 0; i < __TEACH_MIB_MAX; i++)
		EXPECT_EQ(1000 + (uint64_t)i, stats[i]);
	/* The counter beyond n is not written. */
	EXPECT_EQ(99U, stats[__TEACH_MIB_MAX]);

	fk.no_ack_reply = 1;
	EXPECT_EQ(-1, teach_stats_get(nl, stats, __TEACH_MIB_MAX));
	EXPECT_EQ(EPROTO, errno);
	teach_nl_close(nl);
}

TEST(route_add_replace_del_attributes)
{
	struct teach_nl *nl = teach_nl_open();
	struct teach_route_entry r = { 0 };

	ASSERT_NE(NULL, nl);
	r.dst = A(0x0a090000);
	r.prefixlen = 16;
	r.type = TEACH_RTN_BLACKHOLE;
	ASSERT_EQ(0, teach_route_add(nl, &r));
	EXPECT_EQ(TEACH_CMD_ROUTE_NEW, req_cmd());
	EXPECT_EQ(0x0a090000U, be32_attr(TEACH_A_DST));
	EXPECT_EQ(16, mnl_attr_get_u8(req_attr(TEACH_A_PREFIXLEN)));
	EXPECT_EQ(TEACH_RTN_BLACKHOLE,
		  mnl_attr_get_u8(req_attr(TEACH_A_ROUTE_TYPE)));
	EXPECT_EQ(3, req_attr_count());

	r.type = TEACH_RTN_UNICAST;
	r.has_gateway = 1;
	r.gateway = A(0x0a0000fe);
	r.ifindex = 2;
	r.has_metric = 1;
	r.metric = 0;
	r.has_prefsrc = 1;
	r.prefsrc = A(0x0a000001);
	r.proto = TEACH_RTPROT_RIP;
	r.mtu = 1400;
	ASSERT_EQ(0, teach_route_replace(nl, &r));
	EXPECT_EQ(TEACH_CMD_ROUTE_NEW, req_cmd());
	EXPECT_EQ((uint32_t)TEACH_F_REPLACE,
		  mnl_attr_get_u32(req_attr(TEACH_A_FLAGS)));
	EXPECT_EQ(0x0a0000feU, be32_attr(TEACH_A_GATEWAY));
	EXPECT_EQ(0x0a000001U, be32_attr(TEACH_A_PREFSRC));
	EXPECT_EQ(0U, mnl_attr_get_u32(req_attr(TEACH_A_METRIC)));
	EXPECT_EQ(2U, mnl_attr_get_u32(req_attr(TEACH_A_IFINDEX)));
	EXPECT_EQ(TEACH_RTPROT_RIP,
		  mnl_attr_get_u8(req_attr(TEACH_A_ROUTE_PROTO)));
	/* Read only: no command takes it. */
	EXPECT_EQ(NULL, req_attr(TEACH_A_MTU));
	EXPECT_EQ(9, req_attr_count());

	memset(&r, 0, sizeof(r));
	r.dst = A(0x0a090000);
	r.prefixlen = 16;
	ASSERT_EQ(0, teach_route_del(nl, &r));
	EXPECT_EQ(TEACH_CMD_ROUTE_DEL, req_cmd());
	EXPECT_EQ(2, req_attr_count());
	teach_nl_close(nl);
}

TEST(route_get_and_dump)
{
	struct teach_nl *nl = teach_nl_open();
	struct teach_route_entry r;
	struct seen s = { 0 };
	char buf[TEACH_ADDRSTRLEN];

	ASSERT_NE(NULL, nl);
	ASSERT_EQ(0, teach_route_get(nl, A(0x0a000063), &r));
	EXPECT_EQ(TEACH_CMD_ROUTE_GET, req_cmd());
	EXPECT_FALSE(((const struct nlmsghdr *)fk.req)->nlmsg_flags & NLM_F_DUMP);
	EXPECT_EQ(0x0a000063U, be32_attr(TEACH_A_DST));
	EXPECT_STREQ("10.0.0.0", teach_ntop(r.dst, buf, sizeof(buf)));
	EXPECT_EQ(24U, r.prefixlen);
	EXPECT_EQ(TEACH_RTN_UNICAST, r.type);
	EXPECT_EQ(TEACH_RTPROT_STATIC, r.proto);
	EXPECT_TRUE(r.has_metric);
	EXPECT_EQ(10U, r.metric);
	EXPECT_TRUE(r.has_gateway);
	EXPECT_STREQ("10.0.0.254", teach_ntop(r.gateway, buf, sizeof(buf)));
	EXPECT_TRUE(r.has_prefsrc);
	EXPECT_EQ(2, r.ifindex);
	EXPECT_STREQ("veth0", r.ifname);
	EXPECT_EQ(0U, r.mtu);

	ASSERT_EQ(0, teach_route_dump(nl, 0, route_cb, &s));
	EXPECT_TRUE(((const struct nlmsghdr *)fk.req)->nlmsg_flags & NLM_F_DUMP);
	EXPECT_EQ(NULL, req_attr(TEACH_A_IFINDEX));
	EXPECT_EQ(NULL, req_attr(TEACH_A_DST));
	ASSERT_EQ(2, s.n);
	EXPECT_EQ(0U, s.route[0].prefixlen);
	EXPECT_TRUE(s.route[0].has_gateway);
	EXPECT_FALSE(s.route[1].has_gateway);

	s.n = 0;
	ASSERT_EQ(0, teach_route_dump(nl, 2, route_cb, &s));
	EXPECT_EQ(2U, mnl_attr_get_u32(req_attr(TEACH_A_IFINDEX)));

	fk.fail_errno = ENETUNREACH;
	fk.fail_msg = "no route to the destination";
	EXPECT_EQ(-1, teach_route_get(nl, A(0x0b000001), &r));
	EXPECT_EQ(ENETUNREACH, errno);
	teach_nl_close(nl);
}

static void queue_events(void)
{
	char *buf = new_buf();
	struct nlmsghdr *nlh;
	size_t off = 0;

	nlh = put_msg(buf, &off, FAMILY_ID, 0, 0, TEACH_CMD_ADDR_DEL);
	put_addr_entry(nlh, 2, "veth0", 0x0a000001, 24, 0x0a0000ff);
	end_msg(&off, nlh);
	/* Another family's message on the socket is none of ours. */
	nlh = put_msg(buf, &off, FAMILY_ID + 1, 0, 0, TEACH_CMD_ADDR_NEW);
	end_msg(&off, nlh);
	/* A command this library does not know is skipped. */
	nlh = put_msg(buf, &off, FAMILY_ID, 0, 0, 200);
	end_msg(&off, nlh);
	nlh = put_msg(buf, &off, FAMILY_ID, 0, 0, TEACH_CMD_NEIGH_NEW);
	mnl_attr_put_u32(nlh, TEACH_A_IFINDEX, 2);
	put_be32(nlh, TEACH_A_ADDR, 0x0a000002);
	mnl_attr_put_u8(nlh, TEACH_A_NEIGH_STATE, TEACH_NUD_INCOMPLETE);
	end_msg(&off, nlh);
	nlh = put_msg(buf, &off, FAMILY_ID, 0, 0, TEACH_CMD_ROUTE_NEW);
	put_route_entry(nlh, 0x0a000000, 24, 0);
	end_msg(&off, nlh);
	queue(buf, off);
}

TEST(monitor_events)
{
	struct teach_nl *nl = teach_nl_open();
	struct seen s = { 0 };

	ASSERT_NE(NULL, nl);
	ASSERT_EQ(0, teach_monitor_start(nl));
	queue_events();
	ASSERT_EQ(0, teach_monitor_read(nl, event_cb, &s));
	ASSERT_EQ(3, s.n);
	EXPECT_EQ(TEACH_CMD_ADDR_DEL, s.ev[0].cmd);
	EXPECT_EQ(24U, s.ev[0].addr.prefixlen);
	EXPECT_EQ(TEACH_CMD_NEIGH_NEW, s.ev[1].cmd);
	EXPECT_EQ(TEACH_NUD_INCOMPLETE, s.ev[1].neigh.state);
	EXPECT_FALSE(s.ev[1].neigh.has_lladdr);
	EXPECT_EQ(TEACH_CMD_ROUTE_NEW, s.ev[2].cmd);
	EXPECT_EQ(24U, s.ev[2].route.prefixlen);

	/* teach_monitor() returns what the callback stops with. */
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	queue_events();
	EXPECT_EQ(5, teach_monitor(nl, event_cb, &s));
	EXPECT_EQ(2, s.n);
	teach_nl_close(nl);
}

TEST(monitor_without_group)
{
	struct teach_nl *nl;

	fk.no_group = 1;
	nl = teach_nl_open();
	ASSERT_NE(NULL, nl);
	EXPECT_EQ(0U, teach_nl_monitor_group(nl));
	EXPECT_EQ(-1, teach_monitor_start(nl));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_NE(NULL, teach_nl_error(nl));
	teach_nl_close(nl);
}

TEST_HARNESS_MAIN
