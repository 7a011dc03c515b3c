/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libteach: userspace helpers for the AF_TEACH protocol family.
 */
#ifndef _LIBTEACH_H
#define _LIBTEACH_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/teach.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text form of an address ("255.255.255.255") and of a prefix ("/32"). */
#define TEACH_ADDRSTRLEN	16
#define TEACH_PREFIXSTRLEN	19

/*
 * The live family number: the loaded module's "family" parameter, or
 * AF_TEACH_DEFAULT when the module is not loaded (socket() then loads it).
 */
int teach_family(void);

/* socket(teach_family(), type, protocol) */
int teach_socket(int type, int protocol);

/*
 * Strict dotted-quad parsing: exactly four decimal parts 0..255, no leading
 * '+', no spaces, no shorthand ("1.2.3" and "010.1.1.1" are rejected).
 * Return 0, or -1 with errno = EINVAL.
 */
int teach_pton(const char *text, struct teach_addr *addr);

/* "a.b.c.d/len" with len 0..32; a missing "/len" means /32. */
int teach_prefix_pton(const char *text, struct teach_addr *addr,
		      unsigned int *prefixlen);

/* Text form into buf (at least TEACH_ADDRSTRLEN bytes); returns buf. */
char *teach_ntop(struct teach_addr addr, char *buf, size_t len);

/* Network mask for a prefix length (0..32), in network byte order. */
uint32_t teach_prefix_mask(unsigned int prefixlen);

/* Fill a sockaddr_teach; returns its size for bind/connect/sendto. */
socklen_t teach_sockaddr(struct sockaddr_teach *sa, struct teach_addr addr,
			 uint16_t port);

/* "a.b.c.d:port" (port may be omitted: 0) into a sockaddr_teach. */
int teach_sockaddr_pton(const char *text, struct sockaddr_teach *sa);

/*
 * The internet checksum (RFC 1071) of data: the one's complement of the one's
 * complement sum of its 16-bit big-endian words, an odd last byte padded with
 * zero.  Returned in network byte order, ready to store in a header's check
 * field; over data that includes a correct check field it returns 0.
 */
uint16_t teach_csum(const void *data, size_t len);

/* Hardware addresses: "aa:bb:cc:dd:ee:ff", one or two hex digits a part. */
#define TEACH_LLADDR_LEN	6
#define TEACH_LLADDRSTRLEN	18

int teach_lladdr_pton(const char *text, uint8_t lladdr[TEACH_LLADDR_LEN]);
/* Lowercase, two digits a part, into buf (TEACH_LLADDRSTRLEN); returns buf. */
char *teach_lladdr_ntop(const uint8_t lladdr[TEACH_LLADDR_LEN], char *buf,
			size_t len);

/*
 * Names of the values of the uapi enums.  The *_name() functions return NULL
 * for a value they do not know; the *_parse() ones take a name (any case)
 * and return the value, or -1 with errno = EINVAL.
 */
const char *teach_mib_name(int counter);	/* "InReceives", ... */
int teach_mib_parse(const char *name);
const char *teach_neigh_state_name(int state);	/* "reachable", ... */
int teach_neigh_state_parse(const char *name);
const char *teach_route_type_name(int type);	/* "unicast", ... */
int teach_route_type_parse(const char *name);
const char *teach_route_proto_name(int proto);	/* "kernel", ... */
int teach_route_proto_parse(const char *name);	/* also a number 0..255 */
/* Socket states as ss names them: "ESTAB", "UNCONN" (closed), "LISTEN", ... */
const char *teach_sock_state_name(int state);
int teach_sock_state_parse(const char *name);
/* Socket types: "stream", "dgram", "raw" (SOCK_STREAM, SOCK_DGRAM, SOCK_RAW) */
const char *teach_sock_type_name(int type);
int teach_sock_type_parse(const char *name);

/*
 * The generic netlink family "teach" (Documentation/netlink.rst).
 *
 * Every call that can fail returns -1 with errno set: the kernel's error for
 * a rejected request, and then teach_nl_error() returns the kernel's extack
 * message, if it sent one.  A handle is not thread-safe; a handle used for
 * teach_monitor*() should not be used for requests as well.
 */
struct teach_nl;

/*
 * Open a generic netlink socket and resolve the family.  NULL with errno
 * ENOENT when the family "teach" is not registered (the module is not
 * loaded), or another errno from socket(2) and friends.
 */
struct teach_nl *teach_nl_open(void);
void teach_nl_close(struct teach_nl *nl);
/* The extack message of the last failure, or NULL when there was none. */
const char *teach_nl_error(const struct teach_nl *nl);
/* The socket, for poll(2) in a monitor loop. */
int teach_nl_fd(const struct teach_nl *nl);
/* The family id and the id of the "monitor" multicast group. */
uint16_t teach_nl_family_id(const struct teach_nl *nl);
uint32_t teach_nl_monitor_group(const struct teach_nl *nl);

/* IFNAMSIZ, without pulling <net/if.h> or <linux/if.h> into every user */
#define TEACH_IFNAMSIZ	16

/* One address: a TEACH_CMD_ADDR_GET dump entry or an ADDR_NEW/DEL event. */
struct teach_addr_entry {
	int ifindex;
	char ifname[TEACH_IFNAMSIZ];	/* "" when the kernel did not say */
	struct teach_addr addr;
	unsigned int prefixlen;
	int has_broadcast;
	struct teach_addr broadcast;
};

/* One neighbour: a TEACH_CMD_NEIGH_GET dump entry or a NEIGH_NEW/DEL event. */
struct teach_neigh_entry {
	int ifindex;
	char ifname[TEACH_IFNAMSIZ];
	struct teach_addr addr;
	int has_lladdr;			/* absent while incomplete or failed */
	uint8_t lladdr[TEACH_LLADDR_LEN];
	int state;			/* enum teach_neigh_state */
	uint32_t probes;
	uint32_t age_ms;
	uint32_t qlen;
};

/*
 * One route: a TEACH_CMD_ROUTE_GET answer, dump entry or event, and the
 * request of teach_route_add/replace/del.  In a request, zero fields are not
 * sent (type 0 and proto 0 leave the choice to the kernel; ifindex 0 means no
 * device), metric is sent when has_metric is set, and ifname and mtu are
 * not sent at all.
 */
struct teach_route_entry {
	struct teach_addr dst;
	unsigned int prefixlen;
	int type;			/* enum teach_route_type */
	int proto;			/* enum teach_route_proto */
	int has_metric;
	uint32_t metric;
	int has_gateway;
	struct teach_addr gateway;
	int has_prefsrc;
	struct teach_addr prefsrc;
	int ifindex;			/* 0: none */
	char ifname[TEACH_IFNAMSIZ];
	uint32_t mtu;			/* 0: none; read only */
	uint32_t expires;		/* s until a learned path MTU ages out; read only */
};

/*
 * Dump callbacks return 0 to go on; anything else stops the walk and is
 * what the dump function returns.  Dumps deliver entries only once the
 * kernel has sent a consistent table: a dump interrupted by a change
 * (NLM_F_DUMP_INTR) is retried a few times, then fails with EAGAIN.
 */
typedef int (*teach_addr_cb)(const struct teach_addr_entry *e, void *arg);
typedef int (*teach_neigh_cb)(const struct teach_neigh_entry *e, void *arg);
typedef int (*teach_route_cb)(const struct teach_route_entry *e, void *arg);

int teach_addr_add(struct teach_nl *nl, int ifindex, struct teach_addr addr,
		   unsigned int prefixlen);
/* prefixlen -1: any; otherwise it must match the address's. */
int teach_addr_del(struct teach_nl *nl, int ifindex, struct teach_addr addr,
		   int prefixlen);
/* ifindex 0: every device. */
int teach_addr_dump(struct teach_nl *nl, int ifindex, teach_addr_cb cb,
		    void *arg);

/* state TEACH_NUD_NONE: the kernel's default (permanent). */
int teach_neigh_add(struct teach_nl *nl, int ifindex, struct teach_addr addr,
		    const uint8_t lladdr[TEACH_LLADDR_LEN], int state,
		    int replace);
int teach_neigh_del(struct teach_nl *nl, int ifindex, struct teach_addr addr);
/* Every entry that is not permanent; ifindex 0: on every device. */
int teach_neigh_flush(struct teach_nl *nl, int ifindex);
int teach_neigh_dump(struct teach_nl *nl, int ifindex, teach_neigh_cb cb,
		     void *arg);

/*
 * Counters into stats[0..n-1], indexed by enum teach_mib (n is normally
 * __TEACH_MIB_MAX); counters the kernel does not report are 0.
 */
int teach_stats_get(struct teach_nl *nl, uint64_t *stats, size_t n);

int teach_route_add(struct teach_nl *nl, const struct teach_route_entry *r);
int teach_route_replace(struct teach_nl *nl,
			const struct teach_route_entry *r);
/* Fields that are set select which route of the prefix goes. */
int teach_route_del(struct teach_nl *nl, const struct teach_route_entry *r);
/* ifindex 0: every route; otherwise those through that device. */
int teach_route_dump(struct teach_nl *nl, int ifindex, teach_route_cb cb,
		     void *arg);
/* The route the kernel would use to reach dst. */
int teach_route_get(struct teach_nl *nl, struct teach_addr dst,
		    struct teach_route_entry *out);

/* One socket: a TEACH_CMD_SOCK_GET dump entry. */
struct teach_sock_entry {
	int family;			/* the live AF_TEACH number */
	int type;			/* SOCK_DGRAM, SOCK_RAW */
	int protocol;
	int state;			/* enum teach_sock_state */
	struct teach_addr local;	/* 0.0.0.0: any */
	uint16_t local_port;		/* raw sockets: the protocol */
	struct teach_addr peer;		/* 0.0.0.0: not connected */
	uint16_t peer_port;
	uint32_t rqueue;		/* bytes queued to read */
	uint32_t wqueue;		/* bytes sent, not yet freed */
	uint32_t uid;
	uint64_t inode;
	uint32_t drops;
	int ifindex;			/* bound device, 0: none */
	/*
	 * teach_sock_dump_info() and a stream socket: TEACH_INFO as the
	 * kernel sent it; info_len bytes of it are valid (an older module
	 * sends fewer fields; the rest are zero).  0: no info.
	 */
	size_t info_len;
	struct teach_stream_info info;
};

typedef int (*teach_sock_cb)(const struct teach_sock_entry *e, void *arg);

/* The namespace's sockets; type 0: every type, else SOCK_DGRAM, ... */
int teach_sock_dump(struct teach_nl *nl, int type, teach_sock_cb cb,
		    void *arg);
/* The same with each stream socket's TEACH_INFO, as ss -i */
int teach_sock_dump_info(struct teach_nl *nl, int type, teach_sock_cb cb,
			 void *arg);

/* A change announced to the "monitor" group. */
struct teach_event {
	int cmd;			/* TEACH_CMD_{ADDR,NEIGH,ROUTE}_{NEW,DEL} */
	union {
		struct teach_addr_entry addr;
		struct teach_neigh_entry neigh;
		struct teach_route_entry route;
	};
};

/* Like the dump callbacks: 0 goes on, anything else stops and is returned. */
typedef int (*teach_event_cb)(const struct teach_event *ev, void *arg);

/* Join the "monitor" group. */
int teach_monitor_start(struct teach_nl *nl);
/*
 * Read what is queued (blocking when nothing is) and call cb for each event.
 * Returns 0, cb's non-zero value, or -1; errno ENOBUFS means the socket
 * overran and events were lost, and the handle can still be read.
 */
int teach_monitor_read(struct teach_nl *nl, teach_event_cb cb, void *arg);
/* teach_monitor_start(), then teach_monitor_read() until it returns non-zero. */
int teach_monitor(struct teach_nl *nl, teach_event_cb cb, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* _LIBTEACH_H */
