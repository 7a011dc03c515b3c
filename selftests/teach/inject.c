// SPDX-License-Identifier: GPL-2.0
/*
 * inject: send one hand-made teach frame out of a device, for tests of the
 * receive path.  Fields not given get sensible values; checksums are
 * computed unless overridden, so that exactly one thing can be made wrong.
 *
 *   inject IFNAME DSTMAC net [ver=1] [ihl=5] [tos=0] [len=auto] [id=0]
 *          [frag=0] [ttl=64] [proto=1] [check=auto] src=A.B.C.D dst=A.B.C.D
 *          [ctrl=TYPE] [code=0] [ctrlsum=auto|bad] [payload=HEX] [pad=N]
 *          [cut=N] [dgram=SPORT:DPORT] [dglen=auto] [dgsum=auto|bad|N]
 *   inject IFNAME DSTMAC neigh [version=160] [op=1] [hlen=6] [plen=4]
 *          sip=A.B.C.D tip=A.B.C.D [sha=MAC] [tha=MAC] [cut=N]
 *
 * pad=N appends N zero bytes after the packet (Ethernet padding); cut=N
 * sends only the first N bytes after the Ethernet header; count=N sends
 * the frame N times back to back.  data=N adds N bytes of payload (for
 * fragments); idstep=K adds K to the identification from one of the count
 * frames to the next, so that each is a packet of its own.
 * dgram=SPORT:DPORT puts a datagram header (protocol 17) in front of the
 * payload, with its pseudo-header checksum unless dgsum= says otherwise
 * (bad: off by one bit pattern, a number: that value, 0 meaning "no
 * checksum"); dglen= overrides its length field.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libteach.h"

static const char *arg(int argc, char **argv, const char *key)
{
	size_t n = strlen(key);
	int i;

	for (i = 4; i < argc; i++)
		if (!strncmp(argv[i], key, n) && argv[i][n] == '=')
			return argv[i] + n + 1;
	return NULL;
}

static long num(int argc, char **argv, const char *key, long def)
{
	const char *v = arg(argc, argv, key);

	return v ? strtol(v, NULL, 0) : def;
}

static uint32_t addr(int argc, char **argv, const char *key)
{
	const char *v = arg(argc, argv, key);
	struct teach_addr a = { 0 };

	if (v && teach_pton(v, &a)) {
		fprintf(stderr, "inject: bad %s=%s\n", key, v);
		exit(2);
	}
	return a.s_addr;
}

static void mac(const char *text, uint8_t *out)
{
	if (teach_lladdr_pton(text, out)) {
		fprintf(stderr, "inject: bad MAC %s\n", text);
		exit(2);
	}
}

static size_t hex(const char *text, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (text && text[0] && text[1] && n < max) {
		sscanf(text, "%2hhx", &out[n++]);
		text += 2;
	}
	return n;
}

int main(int argc, char **argv)
{
	uint8_t frame[9216] = { 0 }, *pkt = frame + ETH_HLEN;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	size_t len;
	struct ifreq ifr = { 0 };
	long i;
	int fd;

	if (argc < 4) {
		fprintf(stderr, "usage: inject IFNAME DSTMAC net|neigh [field=value...]\n");
		return 2;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("inject: socket");
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		perror("inject: SIOCGIFHWADDR");
		return 1;
	}
	mac(argv[2], frame);
	memcpy(frame + 6, ifr.ifr_hwaddr.sa_data, 6);
	frame[12] = ETH_P_TEACH >> 8;
	frame[13] = ETH_P_TEACH & 0xff;

	if (!strcmp(argv[3], "neigh")) {
		struct teach_neighhdr *nh = (struct teach_neighhdr *)pkt;
		const char *sha = arg(argc, argv, "sha");
		const char *tha = arg(argc, argv, "tha");

		nh->version = num(argc, argv, "version", TEACH_NEIGH_VERSION << 4);
		nh->op = num(argc, argv, "op", TEACH_NEIGH_REQUEST);
		nh->hlen = num(argc, argv, "hlen", 6);
		nh->plen = num(argc, argv, "plen", 4);
		nh->sender_addr = addr(argc, argv, "sip");
		nh->target_addr = addr(argc, argv, "tip");
		if (sha)
			mac(sha, nh->sender_hw);
		else
			memcpy(nh->sender_hw, frame + 6, 6);
		if (tha)
			mac(tha, nh->target_hw);
		len = sizeof(*nh);
	} else {
		struct teachhdr *th = (struct teachhdr *)pkt;
		int ihl = num(argc, argv, "ihl", TEACH_MIN_IHL);
		int hlen = ihl * 4 < TEACH_HLEN ? TEACH_HLEN : ihl * 4;
		uint8_t *body = pkt + hlen;
		size_t blen = 0;
		const char *v;

		if (arg(argc, argv, "ctrl")) {
			struct teach_ctrlhdr *ch = (struct teach_ctrlhdr *)body;

			ch->type = num(argc, argv, "ctrl", 8);
			ch->code = num(argc, argv, "code", 0);
			ch->un.echo.id = htons(0x7e57);
			ch->un.echo.seq = htons(1);
			blen = sizeof(*ch);
		}
		if (arg(argc, argv, "dgram"))
			blen = TEACH_DGRAM_HLEN;
		blen += hex(arg(argc, argv, "payload"), body + blen,
			    sizeof(frame) - ETH_HLEN - hlen - blen);
		for (i = num(argc, argv, "data", 0);
		     i > 0 && blen < sizeof(frame) - ETH_HLEN - hlen; i--, blen++)
			body[blen] = (uint8_t)blen;
		if (arg(argc, argv, "ctrl")) {
			struct teach_ctrlhdr *ch = (struct teach_ctrlhdr *)body;

			ch->check = teach_csum(body, blen);
			v = arg(argc, argv, "ctrlsum");
			if (v && !strcmp(v, "bad"))
				ch->check ^= htons(0x0101);
		}
		if (arg(argc, argv, "dgram")) {
			struct teach_dgramhdr *dh = (struct teach_dgramhdr *)body;
			uint8_t pseudo[12 + sizeof(frame)];
			unsigned int sport = 0, dport = 0;
			uint32_t s = addr(argc, argv, "src");
			uint32_t d = addr(argc, argv, "dst");

			sscanf(arg(argc, argv, "dgram"), "%u:%u", &sport, &dport);
			dh->source = htons(sport);
			dh->dest = htons(dport);
			dh->len = htons(blen);
			dh->check = 0;
			memcpy(pseudo, &s, 4);
			memcpy(pseudo + 4, &d, 4);
			pseudo[8] = 0;
			pseudo[9] = TEACHPROTO_DGRAM;
			memcpy(pseudo + 10, &dh->len, 2);
			memcpy(pseudo + 12, body, blen);
			dh->check = teach_csum(pseudo, 12 + blen);
			if (!dh->check)
				dh->check = 0xffff;
			v = arg(argc, argv, "dgsum");
			if (v && !strcmp(v, "bad"))
				dh->check ^= htons(0x0101);
			else if (v)
				dh->check = htons(strtol(v, NULL, 0));
			if (arg(argc, argv, "dglen"))
				dh->len = htons(num(argc, argv, "dglen", blen));
		}
		len = hlen + blen;
		th->ver_ihl = num(argc, argv, "ver", TEACH_VERSION) << 4 | (ihl & 0xf);
		th->tos = num(argc, argv, "tos", 0);
		th->tot_len = htons(num(argc, argv, "len", len));
		th->id = htons(num(argc, argv, "id", 0));
		th->frag_off = htons(num(argc, argv, "frag", 0));
		th->ttl = num(argc, argv, "ttl", 64);
		th->protocol = num(argc, argv, "proto", arg(argc, argv, "dgram") ?
				   TEACHPROTO_DGRAM : TEACHPROTO_CTRL);
		th->saddr = addr(argc, argv, "src");
		th->daddr = addr(argc, argv, "dst");
		th->check = teach_csum(th, (ihl & 0xf) * 4 ?: TEACH_HLEN);
		v = arg(argc, argv, "check");
		if (v)
			th->check = htons(strtol(v, NULL, 0));
		len += num(argc, argv, "pad", 0);
	}
	if (arg(argc, argv, "cut"))
		len = num(argc, argv, "cut", len);

	sll.sll_ifindex = if_nametoindex(argv[1]);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, frame, 6);
	for (i = num(argc, argv, "count", 1); i > 0; i--) {
		if (sendto(fd, frame, ETH_HLEN + len, 0,
			   (struct sockaddr *)&sll, sizeof(sll)) < 0) {
			perror("inject: sendto");
			return 1;
		}
		if (arg(argc, argv, "idstep") && strcmp(argv[3], "neigh")) {
			struct teachhdr *th = (struct teachhdr *)pkt;

			th->id = htons(ntohs(th->id) + num(argc, argv, "idstep", 0));
			th->check = 0;
			th->check = teach_csum(th, (th->ver_ihl & 0xf) * 4 ?: TEACH_HLEN);
		}
	}
	close(fd);
	return 0;
}
