// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libteach: address and prefix text <-> binary, sockaddr helpers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "libteach.h"

static int parse_quad(const char *s, const char *end, uint32_t *out)
{
	uint32_t v = 0;
	int part, digits;

	for (part = 0; part < 4; part++) {
		unsigned int n = 0;

		if (part) {
			if (s >= end || *s != '.')
				return -1;
			s++;
		}
		for (digits = 0; s < end && *s >= '0' && *s <= '9'; s++, digits++) {
			/* "01" is octal to inet_aton(): refuse the ambiguity. */
			if (digits == 1 && n == 0)
				return -1;
			n = n * 10 + (unsigned int)(*s - '0');
			if (n > 255)
				return -1;
		}
		if (!digits)
			return -1;
		v = v << 8 | n;
	}
	if (s != end)
		return -1;
	*out = v;
	return 0;
}

int teach_pton(const char *text, struct teach_addr *addr)
{
	uint32_t v;

	if (!text || !addr || parse_quad(text, text + strlen(text), &v)) {
		errno = EINVAL;
		return -1;
	}
	addr->s_addr = htonl(v);
	return 0;
}

int teach_prefix_pton(const char *text, struct teach_addr *addr,
		      unsigned int *prefixlen)
{
	const char *slash, *end;
	unsigned int len = 32;
	uint32_t v;

	if (!text || !addr || !prefixlen)
		goto inval;
	end = text + strlen(text);
	slash = strchr(text, '/');
	if (slash) {
		const char *p = slash + 1;

		if (p == end || end - p > 2)
			goto inval;
		for (len = 0; p < end; p++) {
			if (*p < '0' || *p > '9')
				goto inval;
			len = len * 10 + (unsigned int)(*p - '0');
		}
		if (len > 32 || (slash[1] == '0' && end - slash > 2))
			goto inval;
		end = slash;
	}
	if (parse_quad(text, end, &v))
		goto inval;
	addr->s_addr = htonl(v);
	*prefixlen = len;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

char *teach_ntop(struct teach_addr addr, char *buf, size_t len)
{
	uint32_t v = ntohl(addr.s_addr);

	snprintf(buf, len, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff,
		 (v >> 8) & 0xff, v & 0xff);
	return buf;
}

uint32_t teach_prefix_mask(unsigned int prefixlen)
{
	if (prefixlen == 0)
		return 0;
	if (prefixlen >= 32)
		return 0xffffffffU;
	return htonl(~((1U << (32 - prefixlen)) - 1));
}

socklen_t teach_sockaddr(struct sockaddr_teach *sa, struct teach_addr addr,
			 uint16_t port)
{
	memset(sa, 0, sizeof(*sa));
	sa->st_family = (sa_family_t)teach_family();
	sa->st_port = htons(port);
	sa->st_addr = addr;
	return sizeof(*sa);
}

int teach_sockaddr_pton(const char *text, struct sockaddr_teach *sa)
{
	char buf[TEACH_ADDRSTRLEN + 8];
	struct teach_addr addr;
	unsigned long port = 0;
	char *colon, *end;

	if (!text || !sa || strlen(text) >= sizeof(buf))
		goto inval;
	strcpy(buf, text);
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		if (!colon[1] || colon[1] < '0' || colon[1] > '9')
			goto inval;
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (errno || *end || port > 65535)
			goto inval;
	}
	if (teach_pton(buf, &addr))
		return -1;
	teach_sockaddr(sa, addr, (uint16_t)port);
	return 0;
inval:
	errno = EINVAL;
	return -1;
}
