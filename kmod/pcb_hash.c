// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the pure logic of the PCB tables (hashtables.c has the tables).
 *
 * Buckets are chosen with SipHash under a key drawn at random for each
 * namespace, so that nobody outside can aim many sockets or packets at
 * one bucket.  Ephemeral ports follow RFC 6056's algorithm 3 ("simple
 * hash-based port selection"): the search for a peer starts at an offset
 * that a keyed hash of (local address, peer address, peer port) gives,
 * moved on by a counter of the namespace, and visits each port of the
 * range once.  No kernel state is touched here, so KUnit tests it as it
 * is (kmod/tests/teach_kunit.c).
 */
#include <linux/errno.h>
#include <linux/siphash.h>

#include "teach.h"

/* Keeps the three hashes apart although they share the key. */
#define TEACH_PCB_HASH_PORT	0x706f7274	/* "port" */
#define TEACH_PCB_HASH_OFFSET	0x6f666673	/* "offs" */

u32 teach_pcb_port_hash(const siphash_key_t *key, u16 lport)
{
	return (u32)siphash_2u32(TEACH_PCB_HASH_PORT, lport, key);
}

u32 teach_pcb_tuple_hash(const siphash_key_t *key, __be32 laddr, u16 lport,
			 __be32 raddr, u16 rport)
{
	return (u32)siphash_3u32((__force u32)laddr, (__force u32)raddr,
				 (u32)lport << 16 | rport, key);
}

u32 teach_pcb_port_offset(const siphash_key_t *key, __be32 laddr,
			  __be32 raddr, u16 rport)
{
	return (u32)siphash_4u32(TEACH_PCB_HASH_OFFSET, (__force u32)laddr,
				 (__force u32)raddr, rport, key);
}

int teach_port_search(u16 low, u16 high, u32 offset, u32 next,
		      bool (*try)(u16 port, void *arg), void *arg,
		      u32 *tries)
{
	u32 n = (u32)high - low + 1, start, i;

	*tries = 0;
	if (high < low)
		return -EADDRNOTAVAIL;
	/* reduced first, so that a wrapping sum cannot skip a port */
	start = (offset + next) % n;
	for (i = 0; i < n; i++) {
		u16 port = low + (u16)((start + i) % n);

		(*tries)++;
		if (try(port, arg))
			return port;
	}
	return -EADDRNOTAVAIL;
}
