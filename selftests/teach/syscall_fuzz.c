// SPDX-License-Identifier: GPL-2.0
/*
 * syscall_fuzz: a seeded, structure-aware fuzzer of what a local user can
 * ask of AF_TEACH.  Several threads share a table of sockets of every
 * type and mix socket, bind, connect, listen, accept, send, receive,
 * socket options, ioctls, poll, shutdown and close on them, with
 * arguments drawn from values that sit on the edges (lengths, flags,
 * option values, addresses); they also send hand-built packets through
 * raw sockets (TEACH_HDRINCL) to the host's own addresses and as
 * Ethernet frames (AF_PACKET, neighbour messages and fragments too) into
 * a veth, generic
 * netlink messages with random attributes to the "teach" family, and
 * random values to the net.teach sysctls.  All of it happens in a
 * private network namespace, which is destroyed with everything live in
 * it; then a fresh namespace must still carry a stream and a datagram.
 *
 * Any errno is a fine answer; what fails is a kernel splat (the VM
 * runner fails on it), a thread that a signal cannot get out of a system
 * call, or a stack that no longer works afterwards.
 *
 *   syscall_fuzz [-s SEED] [-t SECONDS] [-j THREADS] [-v]
 *
 * The seed is printed; "-s SEED -j 1" replays one thread's sequence of
 * calls (timing still differs, so a race may need several runs).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <libmnl/libmnl.h>

#include "teach_test.h"

#define NSLOTS		48
#define MAX_THREADS	16
#define MAX_SYSCTLS	128

enum op {
	OP_SOCKET, OP_CLOSE, OP_BIND, OP_CONNECT, OP_LISTEN, OP_ACCEPT,
	OP_SEND, OP_RECV, OP_SETSOCKOPT, OP_GETSOCKOPT, OP_IOCTL, OP_POLL,
	OP_SHUTDOWN, OP_NAME, OP_FCNTL, OP_PAIR, OP_RAWPKT, OP_FRAME,
	OP_NETLINK, OP_SYSCTL, NOPS
};

static const char *const op_names[NOPS] = {
	"socket", "close", "bind", "connect", "listen", "accept", "send",
	"recv", "setsockopt", "getsockopt", "ioctl", "poll", "shutdown",
	"getname", "fcntl", "pair", "rawpkt", "frame", "netlink", "sysctl",
};

/* how often each is drawn, out of the sum */
static const unsigned int op_weight[NOPS] = {
	[OP_SOCKET] = 8, [OP_CLOSE] = 5, [OP_BIND] = 6, [OP_CONNECT] = 6,
	[OP_LISTEN] = 3, [OP_ACCEPT] = 4, [OP_SEND] = 12, [OP_RECV] = 10,
	[OP_SETSOCKOPT] = 10, [OP_GETSOCKOPT] = 6, [OP_IOCTL] = 3,
	[OP_POLL] = 3, [OP_SHUTDOWN] = 3, [OP_NAME] = 2, [OP_FCNTL] = 2,
	[OP_PAIR] = 3, [OP_RAWPKT] = 8, [OP_FRAME] = 8, [OP_NETLINK] = 5,
	[OP_SYSCTL] = 2,
};

static _Atomic int slots[NSLOTS];
static atomic_bool stop;
static atomic_ulong op_count[NOPS];
static int family;
static int verbose;
static char *sysctls[MAX_SYSCTLS];
static int nsysctls;

struct worker {
	pthread_t tid;
	uint64_t rng;
	atomic_ulong progress;		/* calls made: the watchdog reads it */
	_Atomic int last_op;
	struct mnl_socket *nl;
	unsigned int nl_id;		/* the "teach" family's id */
	uint32_t nl_seq;
};

static struct worker workers[MAX_THREADS];

/* xorshift64*: small, fast, and the same sequence for the same seed */
static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545F4914F6CDD1DULL;
}

static unsigned int below(struct worker *w, unsigned int n)
{
	return n ? (unsigned int)(rnd(w) % n) : 0;
}

static int chance(struct worker *w, unsigned int percent)
{
	return below(w, 100) < percent;
}

#define PICK(w, arr) ((arr)[below(w, sizeof(arr) / sizeof((arr)[0]))])

/* the values where checks tend to be off by one */
static int64_t interesting(struct worker *w)
{
	static const int64_t v[] = {
		0, 1, -1, 2, 3, 4, 7, 8, 14, 15, 16, 20, 60, 63, 64, 127, 128,
		255, 256, 536, 576, 1023, 1024, 1500, 4095, 4096, 65507, 65535,
		65536, 1 << 20, INT_MAX, INT_MIN, (int64_t)INT_MAX + 1, -2,
		UINT_MAX,
	};

	if (chance(w, 15))
		return (int32_t)rnd(w);
	return PICK(w, v);
}

static uint32_t some_addr(struct worker *w)
{
	static const uint32_t a[] = {
		0, 0x0a000001, 0x0a000002, 0x0a0000ff, 0x0a000000, 0x7f000001,
		0x7f0000ff, 0xffffffff, 0x0a010001, 0xe0000001, 0x0a00000a,
	};

	return chance(w, 5) ? (uint32_t)rnd(w) : PICK(w, a);
}

static uint16_t some_port(struct worker *w)
{
	static const uint16_t p[] = { 0, 7000, 7001, 7002, 7003, 1, 520, 1023,
				      1024, 65535 };

	return chance(w, 10) ? (uint16_t)rnd(w) : PICK(w, p);
}

/* A sockaddr for bind/connect/sendto: usually well formed */
static socklen_t some_sockaddr(struct worker *w, struct sockaddr_storage *ss)
{
	struct sockaddr_teach *st = (struct sockaddr_teach *)ss;
	static const socklen_t lens[] = { 0, 1, 2, 4, 8, 15,
					  sizeof(struct sockaddr_teach) - 1,
					  sizeof(struct sockaddr_teach) + 8,
					  sizeof(struct sockaddr_storage) };

	memset(ss, 0, sizeof(*ss));
	st->st_family = chance(w, 95) ? family : PICK(w, ((int[]){ AF_UNSPEC, AF_INET, 255 }));
	st->st_port = htons(some_port(w));
	st->st_addr.s_addr = htonl(some_addr(w));
	if (chance(w, 3))
		st->st_zero[below(w, 8)] = (uint8_t)rnd(w);
	if (chance(w, 8))
		return PICK(w, lens);
	return sizeof(*st);
}

/* ---- the socket table ---- */

static int slot_get(struct worker *w)
{
	return atomic_load(&slots[below(w, NSLOTS)]);
}

static void slot_put(struct worker *w, int fd)
{
	int i, empty;

	if (fd < 0)
		return;
	for (i = 0; i < 4; i++) {
		empty = -1;
		if (atomic_compare_exchange_strong(&slots[below(w, NSLOTS)],
						   &empty, fd))
			return;
	}
	close(fd);
}

static void set_timeouts(int fd)
{
	struct timeval tv = { .tv_usec = 20000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int new_socket(struct worker *w)
{
	static const int types[] = { SOCK_STREAM, SOCK_STREAM, SOCK_DGRAM,
				     SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, 0,
				     77 };
	static const int protos[] = { 0, 0, 0, 1, 6, 17, 255, -1, 2 };
	int type = PICK(w, types), fd;

	if (chance(w, 70))
		type |= SOCK_NONBLOCK;
	if (chance(w, 20))
		type |= SOCK_CLOEXEC;
	fd = socket(chance(w, 97) ? family : PICK(w, ((int[]){ 0, AF_MAX - 1 })),
		    type, PICK(w, protos));
	if (fd >= 0 && !(type & SOCK_NONBLOCK))
		set_timeouts(fd);
	return fd;
}

/* ---- the calls ---- */

static void do_setsockopt(struct worker *w, int fd)
{
	static const int levels[] = { SOL_SOCKET, SOL_TEACH, SOL_TEACH,
				      SOL_TEACH, 0, 6, 17, 255 };
	static const int so_opts[] = {
		SO_REUSEADDR, SO_KEEPALIVE, SO_LINGER, SO_RCVBUF, SO_SNDBUF,
		SO_RCVBUFFORCE, SO_SNDBUFFORCE, SO_BROADCAST, SO_RCVLOWAT,
		SO_SNDLOWAT, SO_RCVTIMEO, SO_SNDTIMEO, SO_BINDTODEVICE,
		SO_PRIORITY, SO_NO_CHECK, SO_MARK, SO_PASSCRED, SO_TIMESTAMP,
		SO_ZEROCOPY, SO_REUSEPORT, SO_ATTACH_FILTER, SO_INCOMING_CPU,
	};
	static const char *const devs[] = { "lo", "dummy0", "nosuch", "" };
	unsigned char buf[64];
	int level = PICK(w, levels), name;
	socklen_t len = PICK(w, ((socklen_t[]){ 0, 1, 2, 3, 4, 4, 4, 4, 8, 16,
						 64 }));
	int64_t v = interesting(w);

	name = level == SOL_SOCKET ? PICK(w, so_opts) : (int)below(w, 40);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &v, sizeof(v));
	if (level == SOL_SOCKET && name == SO_BINDTODEVICE) {
		const char *d = PICK(w, devs);

		setsockopt(fd, level, name, d, (socklen_t)strlen(d));
		return;
	}
	if (level == SOL_SOCKET && name == SO_LINGER) {
		struct linger l = { .l_onoff = (int)below(w, 2),
				    .l_linger = (int)below(w, 3) };

		memcpy(buf, &l, sizeof(l));
		len = chance(w, 90) ? sizeof(l) : len;
	}
	if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO)) {
		struct timeval tv = { .tv_usec = (long)below(w, 50000) };

		memcpy(buf, &tv, sizeof(tv));
		len = chance(w, 90) ? sizeof(tv) : len;
	}
	if (chance(w, 10))
		for (unsigned int i = 0; i < sizeof(buf); i++)
			buf[i] = (unsigned char)rnd(w);
	/* a NULL value with a length, now and then */
	setsockopt(fd, level, name, chance(w, 3) ? NULL : buf, len);
}

static void do_getsockopt(struct worker *w, int fd)
{
	unsigned char buf[512];
	int level = PICK(w, ((int[]){ SOL_SOCKET, SOL_TEACH, SOL_TEACH, 1234 }));
	socklen_t len = PICK(w, ((socklen_t[]){ 0, 1, 3, 4, 8, 100, 200,
						 sizeof(buf) }));
	int name = level == SOL_SOCKET ?
		   PICK(w, ((int[]){ SO_ERROR, SO_TYPE, SO_PROTOCOL, SO_DOMAIN,
				     SO_RCVBUF, SO_SNDBUF, SO_LINGER,
				     SO_ACCEPTCONN, SO_PEERCRED, SO_BINDTODEVICE })) :
		   (int)below(w, 40);

	getsockopt(fd, level, name, chance(w, 2) ? NULL : buf,
		   chance(w, 2) ? NULL : &len);
}

static void do_send(struct worker *w, int fd)
{
	static const size_t lens[] = { 0, 1, 7, 8, 100, 536, 1400, 1452,
				       1473, 1500, 4000, 8192, 65000, 65507,
				       65508, 70000, 300000 };
	static __thread char buf[300000];
	struct sockaddr_storage ss;
	union {
		struct cmsghdr c;
		char b[CMSG_SPACE(sizeof(int)) * 2 +
		       CMSG_SPACE(sizeof(struct teach_pktinfo))];
	} ctl;
	struct msghdr m = { 0 };
	struct iovec iov[3];
	struct cmsghdr *c;
	size_t len = PICK(w, lens), i;
	int flags = MSG_DONTWAIT | MSG_NOSIGNAL, val;

	if (chance(w, 20))
		flags |= PICK(w, ((int[]){ MSG_MORE, MSG_OOB, MSG_EOR,
					   MSG_CONFIRM, MSG_PROXY, MSG_FASTOPEN,
					   MSG_ZEROCOPY }));
	if (chance(w, 10))
		flags &= ~MSG_DONTWAIT;	/* blocking, bounded by the timeouts */
	switch (below(w, 4)) {
	case 0:
		send(fd, buf, len, flags);
		return;
	case 1:
		sendto(fd, buf, len, flags, (struct sockaddr *)&ss,
		       some_sockaddr(w, &ss));
		return;
	}
	/* sendmsg: pieces and control messages */
	for (i = 0; i < 3; i++) {
		iov[i].iov_base = buf;
		iov[i].iov_len = len / 3;
	}
	m.msg_iov = iov;
	m.msg_iovlen = 1 + below(w, 3);
	if (chance(w, 50)) {
		m.msg_name = &ss;
		m.msg_namelen = some_sockaddr(w, &ss);
	}
	if (chance(w, 40)) {
		memset(&ctl, 0, sizeof(ctl));
		m.msg_control = ctl.b;
		m.msg_controllen = CMSG_SPACE(sizeof(int));
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = PICK(w, ((int[]){ SOL_TEACH, SOL_SOCKET, 0 }));
		c->cmsg_type = (int)below(w, 16);
		c->cmsg_len = chance(w, 90) ? CMSG_LEN(sizeof(int)) :
			      (size_t)below(w, 64);
		val = (int)interesting(w);
		memcpy(CMSG_DATA(c), &val, sizeof(val));
		if (chance(w, 30)) {
			struct teach_pktinfo pi = { 0 };

			m.msg_controllen = sizeof(ctl.b);
			c = CMSG_NXTHDR(&m, c);
			if (c) {
				c->cmsg_level = SOL_TEACH;
				c->cmsg_type = TEACH_PKTINFO;
				c->cmsg_len = CMSG_LEN(sizeof(pi));
				pi.ifindex = (int)below(w, 4);
				pi.dst.s_addr = htonl(some_addr(w));
				memcpy(CMSG_DATA(c), &pi, sizeof(pi));
			} else {
				m.msg_controllen = CMSG_SPACE(sizeof(int));
			}
		}
	}
	sendmsg(fd, &m, flags);
}

static void do_recv(struct worker *w, int fd)
{
	static __thread char buf[70000];
	struct sockaddr_storage ss;
	char ctl[256];
	struct iovec iov = { .iov_base = buf };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int flags = MSG_DONTWAIT;

	iov.iov_len = PICK(w, ((size_t[]){ 0, 1, 8, 100, 1500, sizeof(buf) }));
	if (chance(w, 30))
		flags |= PICK(w, ((int[]){ MSG_PEEK, MSG_TRUNC, MSG_ERRQUEUE,
					   MSG_WAITALL, MSG_OOB, MSG_PEEK | MSG_TRUNC }));
	if (chance(w, 10))
		flags &= ~MSG_DONTWAIT;
	if (chance(w, 50)) {
		m.msg_name = &ss;
		m.msg_namelen = PICK(w, ((socklen_t[]){ 0, 4, sizeof(ss) }));
	}
	if (chance(w, 50)) {
		m.msg_control = ctl;
		m.msg_controllen = PICK(w, ((size_t[]){ 0, 8, 16, sizeof(ctl) }));
	}
	recvmsg(fd, &m, flags);
}

static void do_ioctl(struct worker *w, int fd)
{
	static const unsigned long reqs[] = { SIOCINQ, SIOCOUTQ, FIONBIO,
					      SIOCGSTAMP_OLD, SIOCGIFINDEX,
					      SIOCGIFNAME, 0x89ff, 0 };
	char buf[64] = "lo";
	int v = (int)below(w, 2);

	ioctl(fd, PICK(w, reqs), chance(w, 50) ? (void *)&v : (void *)buf);
}

/* A listener, a connection to it and the accepted end, left in the table */
static void do_pair(struct worker *w)
{
	struct sockaddr_teach a = { .st_family = family };
	int l, c, s;

	a.st_addr.s_addr = htonl(chance(w, 50) ? 0x0a000001 : 0x7f000001);
	a.st_port = htons(7000 + below(w, 4));
	l = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (l < 0)
		return;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4)) {
		close(l);
		return;
	}
	c = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (c >= 0) {
		connect(c, (struct sockaddr *)&a, sizeof(a));
		poll(&(struct pollfd){ .fd = l, .events = POLLIN }, 1, 50);
		s = accept4(l, NULL, NULL, SOCK_NONBLOCK);
		slot_put(w, s);
		slot_put(w, c);
	}
	slot_put(w, l);
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t sum16(const void *p, size_t len, uint32_t sum)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

/*
 * A hand-built packet to one of the host's addresses through a raw
 * socket that supplies the header: usually valid enough to reach the
 * transports (a segment for a port with a listener, with random
 * sequence numbers, flags and options), with one thing or another wrong.
 */
static size_t build_packet(struct worker *w, uint8_t *pkt, size_t size,
			   uint32_t daddr)
{
	static const uint8_t protos[] = { TEACHPROTO_CTRL, TEACHPROTO_STREAM,
					  TEACHPROTO_STREAM, TEACHPROTO_DGRAM,
					  200 };
	struct teachhdr *th = (struct teachhdr *)pkt;
	size_t hl = TEACH_HLEN, plen = below(w, 200), i, tl;
	uint8_t *p;
	uint32_t sum;

	for (i = 0; i < size; i++)
		pkt[i] = (uint8_t)rnd(w);
	if (chance(w, 10))
		hl = 4 * (5 + below(w, 11));	/* network options */
	th->ver_ihl = chance(w, 95) ? (uint8_t)(TEACH_VERSION << 4 | hl / 4) :
		      (uint8_t)rnd(w);
	th->tos = (uint8_t)rnd(w);
	th->frag_off = htons(PICK(w, ((uint16_t[]){ 0, 0, 0, TEACH_DF,
						     TEACH_MF, TEACH_MF | 1,
						     5, (uint16_t)rnd(w) })));
	th->ttl = chance(w, 90) ? 64 : (uint8_t)below(w, 2);
	th->protocol = PICK(w, protos);
	th->daddr = htonl(daddr);
	th->saddr = chance(w, 80) ? th->daddr : htonl(some_addr(w));
	p = pkt + hl;
	if (th->protocol == TEACHPROTO_STREAM) {
		struct teach_streamhdr *sh = (struct teach_streamhdr *)p;
		size_t doff = 5 + (chance(w, 40) ? below(w, 11) : 0);

		sh->source = htons(some_port(w));
		sh->dest = htons(7000 + below(w, 4));
		sh->doff = (uint8_t)(chance(w, 95) ? doff << 4 : rnd(w));
		sh->flags = chance(w, 70) ?
			    PICK(w, ((uint8_t[]){ TEACH_STREAM_F_SYN,
						  TEACH_STREAM_F_ACK,
						  TEACH_STREAM_F_RST,
						  TEACH_STREAM_F_RST | TEACH_STREAM_F_ACK,
						  TEACH_STREAM_F_FIN | TEACH_STREAM_F_ACK,
						  TEACH_STREAM_F_SYN | TEACH_STREAM_F_ACK,
						  TEACH_STREAM_F_PSH | TEACH_STREAM_F_ACK })) :
			    (uint8_t)rnd(w);
		if (doff > 5 && chance(w, 70)) {
			/* options that parse, mostly */
			uint8_t *o = p + 20;

			o[0] = PICK(w, ((uint8_t[]){ 2, 3, 4, 5, 8, 1, 0, 99 }));
			o[1] = PICK(w, ((uint8_t[]){ 4, 3, 2, 10, 18, 34, 0, 1, 255 }));
		}
		if (plen < doff * 4)
			plen = doff * 4 + below(w, 100);
	} else if (th->protocol == TEACHPROTO_DGRAM) {
		struct teach_dgramhdr *dh = (struct teach_dgramhdr *)p;

		if (plen < 8)
			plen = 8;
		dh->dest = htons(7000 + below(w, 4));
		dh->len = htons(chance(w, 80) ? (uint16_t)plen : (uint16_t)rnd(w));
		if (chance(w, 30))
			dh->check = 0;
	} else if (th->protocol == TEACHPROTO_CTRL) {
		struct teach_ctrlhdr *ch = (struct teach_ctrlhdr *)p;

		if (plen < 8)
			plen = 8;
		ch->type = PICK(w, ((uint8_t[]){ 0, 3, 8, 11, 12, 5, 255 }));
		ch->code = (uint8_t)below(w, 16);
		if (plen >= 8 + TEACH_HLEN + 8 && chance(w, 70)) {
			/* an error quoting one of "our" packets */
			struct teachhdr *q = (struct teachhdr *)(p + 8);

			q->ver_ihl = TEACH_VERSION << 4 | 5;
			q->protocol = PICK(w, protos);
			q->saddr = th->daddr;
			q->daddr = htonl(some_addr(w));
		}
	}
	tl = hl + plen;
	th->tot_len = htons(chance(w, 90) ? (uint16_t)tl : (uint16_t)rnd(w));
	th->check = 0;
	if (chance(w, 90))
		th->check = htons(fold(sum16(th, hl, 0)));
	/* the transport checksum over the pseudo-header, usually right */
	if (th->protocol != TEACHPROTO_CTRL && chance(w, 85)) {
		uint8_t *ck = p + (th->protocol == TEACHPROTO_STREAM ? 16 : 6);

		if (th->protocol == TEACHPROTO_STREAM || ck[0] || ck[1]) {
			ck[0] = ck[1] = 0;
			sum = sum16(&th->saddr, 8, 0) + th->protocol + (uint32_t)plen;
			sum = sum16(p, plen, sum);
			sum = fold(sum);
			if (th->protocol == TEACHPROTO_DGRAM && !sum)
				sum = 0xffff;
			ck[0] = (uint8_t)(sum >> 8);
			ck[1] = (uint8_t)sum;
		}
	} else if (th->protocol == TEACHPROTO_CTRL && chance(w, 85)) {
		p[2] = p[3] = 0;
		sum = fold(sum16(p, plen, 0));
		p[2] = (uint8_t)(sum >> 8);
		p[3] = (uint8_t)sum;
	}
	return chance(w, 95) ? tl : below(w, (unsigned int)size);
}

/* Through a raw socket that supplies the header, to a local address */
static void do_rawpkt(struct worker *w, int raw)
{
	struct sockaddr_teach dst = { .st_family = family };
	uint8_t pkt[1600];
	uint32_t daddr = chance(w, 50) ? 0x0a000001 : 0x7f000001;
	size_t len;

	if (raw < 0)
		return;
	len = build_packet(w, pkt, sizeof(pkt), daddr);
	dst.st_addr.s_addr = htonl(daddr);
	sendto(raw, pkt, len, MSG_DONTWAIT, (struct sockaddr *)&dst,
	       sizeof(dst));
}

/*
 * An Ethernet frame into fz1 (10.0.2.1) from its veth peer fz0, by
 * AF_PACKET: the device receive path, with fragments for reassembly
 * and neighbour messages too.
 */
static int frame_ifindex;
static uint8_t frame_dst[6];

static void do_frame(struct worker *w, int pkt_fd)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_TEACH),
				  .sll_halen = 6 };
	uint8_t f[1514];
	struct teach_neighhdr *nh = (struct teach_neighhdr *)(f + 14);
	size_t len, i;

	if (pkt_fd < 0 || !frame_ifindex)
		return;
	to.sll_ifindex = frame_ifindex;
	memcpy(f, chance(w, 80) ? frame_dst : (const uint8_t *)"\xff\xff\xff\xff\xff\xff", 6);
	memcpy(f + 6, "\x02\x00\x00\x00\xfa\x00", 6);
	f[12] = ETH_P_TEACH >> 8;
	f[13] = ETH_P_TEACH & 0xff;
	if (chance(w, 25)) {
		for (i = 14; i < 14 + TEACH_NEIGH_HLEN + 8; i++)
			f[i] = (uint8_t)rnd(w);
		nh->version = chance(w, 90) ? TEACH_NEIGH_VERSION << 4 : (uint8_t)rnd(w);
		nh->op = (uint8_t)below(w, 4);
		nh->hlen = chance(w, 90) ? 6 : (uint8_t)rnd(w);
		nh->plen = chance(w, 90) ? 4 : (uint8_t)rnd(w);
		nh->sender_addr = htonl(chance(w, 50) ? 0x0a000202 : some_addr(w));
		nh->target_addr = htonl(chance(w, 70) ? 0x0a000201 : some_addr(w));
		len = 14 + (chance(w, 90) ? TEACH_NEIGH_HLEN : below(w, 40));
	} else {
		len = 14 + build_packet(w, f + 14, sizeof(f) - 14, 0x0a000201);
		/* from the peer's address, so that replies and errors go back */
		if (chance(w, 80))
			memcpy(f + 14 + 12, "\x0a\x00\x02\x02", 4);
	}
	memcpy(to.sll_addr, f, 6);
	sendto(pkt_fd, f, len, MSG_DONTWAIT, (struct sockaddr *)&to,
	       sizeof(to));
}

/* ---- generic netlink ---- */

static unsigned int nl_family(struct mnl_socket *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct nlattr *a;
	unsigned int id = 0;
	ssize_t n;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TEACH_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return 0;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n <= 0)
		return 0;
	nlh = (struct nlmsghdr *)buf;
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return 0;
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			id = mnl_attr_get_u16(a);
	return id;
}

static void do_netlink(struct worker *w)
{
	static const uint16_t flags[] = { NLM_F_REQUEST, NLM_F_REQUEST | NLM_F_ACK,
					  NLM_F_REQUEST | NLM_F_DUMP,
					  NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL,
					  NLM_F_REQUEST | NLM_F_REPLACE, 0 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	unsigned int i, n;
	uint8_t val[64];

	if (!w->nl)
		return;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = chance(w, 95) ? w->nl_id : (uint16_t)below(w, 40);
	nlh->nlmsg_flags = PICK(w, flags);
	nlh->nlmsg_seq = ++w->nl_seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = (uint8_t)below(w, TEACH_CMD_MAX + 3);
	g->version = chance(w, 95) ? TEACH_GENL_VERSION : (uint8_t)rnd(w);
	n = below(w, 7);
	for (i = 0; i < n; i++) {
		uint16_t type = (uint16_t)below(w, TEACH_A_MAX + 3);
		size_t len = PICK(w, ((size_t[]){ 0, 1, 2, 4, 4, 4, 6, 8, 16, 33, 64 }));
		int64_t v = interesting(w);
		uint32_t a = htonl(some_addr(w));
		size_t k;

		for (k = 0; k < sizeof(val); k++)
			val[k] = (uint8_t)rnd(w);
		switch (below(w, 4)) {
		case 0:
			memcpy(val, &v, sizeof(v));
			break;
		case 1:
			memcpy(val, &a, sizeof(a));
			break;
		case 2:
			memcpy(val, "dummy0", 7);
			break;
		}
		if (chance(w, 5))
			type |= NLA_F_NESTED;
		mnl_attr_put(nlh, type, len, val);
	}
	if (chance(w, 3))
		nlh->nlmsg_len -= below(w, 8);	/* cut short */
	if (mnl_socket_sendto(w->nl, nlh, nlh->nlmsg_len) < 0)
		return;
	/* read what came back, without waiting long for it */
	for (i = 0; i < 64; i++) {
		struct pollfd p = { .fd = mnl_socket_get_fd(w->nl),
				    .events = POLLIN };

		if (poll(&p, 1, i ? 0 : 20) <= 0 ||
		    recv(p.fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0)
			break;
	}
}

/* ---- sysctls ---- */

static void find_sysctls(const char *dir)
{
	char path[512];
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp)) && nsysctls < MAX_SYSCTLS) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (d->d_type == DT_DIR)
			find_sysctls(path);
		else
			sysctls[nsysctls++] = strdup(path);
	}
	closedir(dp);
}

static void do_sysctl(struct worker *w)
{
	static const char *const words[] = { "", "-", "x", "1 2", "0x10",
					     "99999999999999999999", "reno",
					     "-2147483649", "1\n2\n", " 7" };
	char val[64], rd[256];
	const char *path;
	int fd;

	if (!nsysctls)
		return;
	path = sysctls[below(w, (unsigned int)nsysctls)];
	fd = open(path, O_RDWR);
	if (fd < 0)
		return;
	/*
	 * Timers and retries get small values only: the namespace's
	 * orphans outlive the fuzzer by as long as they say, and hold the
	 * module for the tests that follow.
	 */
	if (strstr(path, "msl") || strstr(path, "timeout") ||
	    strstr(path, "retries") || strstr(path, "rto") ||
	    strstr(path, "keepalive") || strstr(path, "retrans") ||
	    strstr(path, "probes"))
		snprintf(val, sizeof(val), "%s",
			 PICK(w, ((const char *[]){ "0", "-1", "1", "2", "3", "50",
						   "100", "200", "x", "",
						   "99999999999" })));
	else if (chance(w, 30))
		snprintf(val, sizeof(val), "%s", PICK(w, words));
	else
		snprintf(val, sizeof(val), "%lld", (long long)interesting(w));
	if (write(fd, val, strlen(val)) < 0 || lseek(fd, 0, SEEK_SET) < 0 ||
	    read(fd, rd, sizeof(rd)) < 0) {
		/* a refusal is an answer */
	}
	close(fd);
}

/* ---- the workers ---- */

static enum op pick_op(struct worker *w)
{
	unsigned int total = 0, r, i;

	for (i = 0; i < NOPS; i++)
		total += op_weight[i];
	r = below(w, total);
	for (i = 0; i < NOPS; i++) {
		if (r < op_weight[i])
			return (enum op)i;
		r -= op_weight[i];
	}
	return OP_SOCKET;
}

static void one_call(struct worker *w, int raw, int pkt_fd)
{
	enum op op = pick_op(w);
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = slot_get(w), i;

	atomic_store(&w->last_op, op);
	atomic_fetch_add(&op_count[op], 1);
	switch (op) {
	case OP_SOCKET:
		slot_put(w, new_socket(w));
		break;
	case OP_CLOSE:
		fd = atomic_exchange(&slots[below(w, NSLOTS)], -1);
		if (fd >= 0)
			close(fd);
		break;
	case OP_BIND:
		bind(fd, (struct sockaddr *)&ss, some_sockaddr(w, &ss));
		break;
	case OP_CONNECT:
		connect(fd, (struct sockaddr *)&ss, some_sockaddr(w, &ss));
		break;
	case OP_LISTEN:
		listen(fd, (int)PICK(w, ((int[]){ -1, 0, 1, 2, 16, 4096, INT_MAX })));
		break;
	case OP_ACCEPT:
		len = PICK(w, ((socklen_t[]){ 0, 4, sizeof(ss) }));
		i = accept4(fd, chance(w, 50) ? (struct sockaddr *)&ss : NULL,
			    chance(w, 50) ? &len : NULL,
			    SOCK_NONBLOCK | (chance(w, 10) ? 0x4000000 : 0));
		slot_put(w, i);
		break;
	case OP_SEND:
		do_send(w, fd);
		break;
	case OP_RECV:
		do_recv(w, fd);
		break;
	case OP_SETSOCKOPT:
		do_setsockopt(w, fd);
		break;
	case OP_GETSOCKOPT:
		do_getsockopt(w, fd);
		break;
	case OP_IOCTL:
		do_ioctl(w, fd);
		break;
	case OP_POLL:
		poll(&(struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT |
				       POLLPRI | POLLRDHUP }, 1, (int)below(w, 3));
		break;
	case OP_SHUTDOWN:
		shutdown(fd, (int)below(w, 5) - 1);
		break;
	case OP_NAME:
		len = PICK(w, ((socklen_t[]){ 0, 2, sizeof(ss) }));
		if (chance(w, 50))
			getsockname(fd, (struct sockaddr *)&ss, &len);
		else
			getpeername(fd, (struct sockaddr *)&ss, &len);
		break;
	case OP_FCNTL:
		i = fcntl(fd, F_GETFL);
		if (i >= 0)
			fcntl(fd, F_SETFL, i ^ O_NONBLOCK);
		set_timeouts(fd);
		break;
	case OP_PAIR:
		do_pair(w);
		break;
	case OP_RAWPKT:
		do_rawpkt(w, raw);
		break;
	case OP_FRAME:
		do_frame(w, pkt_fd);
		break;
	case OP_NETLINK:
		do_netlink(w);
		break;
	case OP_SYSCTL:
		do_sysctl(w);
		break;
	default:
		break;
	}
	atomic_fetch_add(&w->progress, 1);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	int raw = socket(family, SOCK_RAW, TEACHPROTO_STREAM);
	int pkt_fd = socket(AF_PACKET, SOCK_DGRAM, 0);

	if (raw >= 0)
		setsockopt(raw, SOL_TEACH, TEACH_HDRINCL, &(int){ 1 }, sizeof(int));
	w->nl = mnl_socket_open(NETLINK_GENERIC);
	if (w->nl && mnl_socket_bind(w->nl, 0, MNL_SOCKET_AUTOPID) == 0)
		w->nl_id = nl_family(w->nl);
	if (pkt_fd >= 0) {
		close(pkt_fd);
		/* the link header is ours to write */
		pkt_fd = socket(AF_PACKET, SOCK_RAW, 0);
	}
	while (!atomic_load(&stop))
		one_call(w, raw, pkt_fd);
	if (raw >= 0)
		close(raw);
	if (pkt_fd >= 0)
		close(pkt_fd);
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;	/* only to interrupt a blocking call */
}

/* ---- set-up and the check afterwards ---- */

/* bash, not the system shell: a busybox sh would run its own "ip" */
static int sh(const char *cmd)
{
	char line[1024];
	int rc;

	snprintf(line, sizeof(line), "exec bash -c '%s'", cmd);
	rc = system(line);

	if (rc)
		fprintf(stderr, "# '%s' failed (%d)\n", cmd, rc);
	return rc;
}

static int fresh_namespace(void)
{
	if (unshare(CLONE_NEWNET)) {
		perror("unshare");
		return -1;
	}
	return sh("ip link set lo up && ip link add dummy0 type dummy && "
		  "ip link set dummy0 up && teach addr add 10.0.0.1/24 dev dummy0 && "
		  "ip link add fz0 type veth peer name fz1 && ip link set fz0 up && "
		  "ip link set fz1 up && teach addr add 10.0.2.1/24 dev fz1 && "
		  "sysctl -qw net.teach.stream_msl_ms=100");
}

/* Where do_frame() sends: fz0's index, fz1's hardware address */
static void find_frame_target(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_PACKET, SOCK_DGRAM, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "fz1");
	if (fd >= 0 && !ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		memcpy(frame_dst, ifr.ifr_hwaddr.sa_data, 6);
		frame_ifindex = (int)if_nametoindex("fz0");
	}
	if (fd >= 0)
		close(fd);
}

/* A stream and a datagram across loopback: the stack still works */
static int still_works(void)
{
	struct sockaddr_teach a = { .st_family = family, .st_port = htons(7100) };
	char buf[6] = "";
	int l, c, s, u, v, ok = 0;

	a.st_addr.s_addr = htonl(0x0a000001);
	l = socket(family, SOCK_STREAM, 0);
	c = socket(family, SOCK_STREAM, 0);
	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(l, 1) || connect(c, (struct sockaddr *)&a, sizeof(a)))
		goto out;
	s = accept(l, NULL, NULL);
	if (s < 0)
		goto out;
	ok = write(c, "hello", 5) == 5 && recv(s, buf, 5, MSG_WAITALL) == 5 &&
	     !memcmp(buf, "hello", 5);
	close(s);
	u = socket(family, SOCK_DGRAM, 0);
	v = socket(family, SOCK_DGRAM, 0);
	a.st_port = htons(7101);
	if (u < 0 || v < 0 || bind(v, (struct sockaddr *)&a, sizeof(a)) ||
	    sendto(u, "world", 5, 0, (struct sockaddr *)&a, sizeof(a)) != 5 ||
	    recv(v, buf, 5, 0) != 5 || memcmp(buf, "world", 5))
		ok = 0;
	close(u);
	close(v);
out:
	if (l >= 0)
		close(l);
	if (c >= 0)
		close(c);
	return ok;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned int nthreads = 4, seconds = 20, i, stuck = 0;
	uint64_t seed = 0;
	struct timespec t0, now;
	unsigned long last[MAX_THREADS] = { 0 };
	int opt, joined[MAX_THREADS] = { 0 }, all;

	while ((opt = getopt(argc, argv, "s:t:j:v")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			seconds = (unsigned int)atoi(optarg);
			break;
		case 'j':
			nthreads = (unsigned int)atoi(optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-t SECONDS] [-j THREADS] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	if (!nthreads || nthreads > MAX_THREADS) {
		fprintf(stderr, "-j takes 1..%d\n", MAX_THREADS);
		return 2;
	}
	if (!seed)
		seed = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	printf("TAP version 13\n1..2\n");
	printf("# seed %llu, %u threads, %u s (replay: %s -s %llu -j 1)\n",
	       (unsigned long long)seed, nthreads, seconds, argv[0],
	       (unsigned long long)seed);
	fflush(stdout);
	if (teach_test_load() || (family = teach_family()) <= 0) {
		printf("not ok 1 teach.ko loads\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: calls return EINTR */
	if (fresh_namespace()) {
		printf("not ok 1 a namespace to fuzz in\n");
		return 1;
	}
	find_sysctls("/proc/sys/net/teach");
	find_frame_target();
	for (i = 0; i < NSLOTS; i++)
		atomic_init(&slots[i], -1);
	for (i = 0; i < nthreads; i++) {
		workers[i].rng = seed + i * 0x9E3779B97F4A7C15ULL;
		if (!workers[i].rng)
			workers[i].rng = 1;
		pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]);
	}

	/* the watchdog: a thread that makes no progress gets a signal */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		usleep(200000);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= (time_t)seconds)
			break;
		for (i = 0; i < nthreads; i++) {
			unsigned long p = atomic_load(&workers[i].progress);

			if (p == last[i])
				pthread_kill(workers[i].tid, SIGUSR1);
			last[i] = p;
		}
	}
	atomic_store(&stop, 1);
	/* every thread must come back within 10 s of signals */
	for (int tries = 0; tries < 100; tries++) {
		all = 1;
		for (i = 0; i < nthreads; i++) {
			if (joined[i])
				continue;
			if (pthread_tryjoin_np(workers[i].tid, NULL) == 0) {
				joined[i] = 1;
				continue;
			}
			all = 0;
			pthread_kill(workers[i].tid, SIGUSR1);
		}
		if (all)
			break;
		usleep(100000);
	}
	for (i = 0; i < nthreads; i++)
		if (!joined[i]) {
			printf("# thread %u is stuck in %s\n", i,
			       op_names[atomic_load(&workers[i].last_op)]);
			stuck++;
		}
	for (i = 0; i < NOPS; i++)
		printf("%s%s %lu", i ? ", " : "# calls: ", op_names[i],
		       atomic_load(&op_count[i]));
	printf("\n");
	if (stuck) {
		printf("not ok 1 every thread returns from its system calls\n");
		fflush(stdout);
		_exit(1);
	}
	printf("ok 1 every thread returns from its system calls\n");
	for (i = 0; i < nthreads; i++)
		if (workers[i].nl)
			mnl_socket_close(workers[i].nl);
	for (i = 0; i < NSLOTS; i++)
		if (atomic_load(&slots[i]) >= 0)
			close(atomic_load(&slots[i]));
	/* what reached the stack, as the namespace's counters say */
	sh("awk \"/^(InReceives|InHdrErrors|InDelivers|NeighInRequests|ReasmReqds|StreamInSegs|StreamInErrs|DgramInErrors) / { printf \\\"%s %s \\\", \\$1, \\$2 } END { print \\\"\\\" }\" /proc/net/teach/snmp | sed \"s/^/# fuzzed namespace: /\"");
	/* the fuzzed namespace goes with all that was left in it */
	if (fresh_namespace() || !still_works()) {
		printf("not ok 2 a fresh namespace still carries a stream and a datagram\n");
		return 1;
	}
	printf("ok 2 a fresh namespace still carries a stream and a datagram\n");
	return 0;
}
