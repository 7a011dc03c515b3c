// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libteach: the internet checksum (RFC 1071).
 */
#include <arpa/inet.h>

#include "libteach.h"

uint16_t teach_csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t sum = 0;

	/* Big-endian words, so the result is the same on every host. */
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	/* The end-around carry is what makes the sum one's complement. */
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}
