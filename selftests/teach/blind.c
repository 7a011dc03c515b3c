// SPDX-License-Identifier: GPL-2.0
/*
 * blind: an off-path attacker against a stream connection, for
 * security_test.sh.  It knows the 4-tuple (addresses and ports) and the
 * victim's MAC, not the sequence numbers, and sends AF_PACKET frames with
 * guessed ones, as the attacks of RFC 5961 section 1 do:
 *
 *   blind IFNAME DSTMAC SRC:SPORT DST:DPORT rst|syn|data COUNT
 *         [step=N] [seed=N] [len=N]
 *
 * Frame i carries sequence number base + i * step (base random; step 0:
 * every number random), a random acknowledgement number, and for data
 * len bytes (default 100) of 'X'.  A sweep of 2^32 / window frames with
 * step = the receive window puts at least one guess into the window,
 * which is what a reset attack without RFC 5961 needs.  The seed is
 * printed, and given back reproduces the run.
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
#include <time.h>
#include <unistd.h>

#include "libteach.h"

static uint64_t rng;

/* xorshift64*: enough for guesses, and reproducible from the seed */
static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static void endpoint(const char *text, uint32_t *a, uint16_t *port)
{
	char buf[64], *colon;
	struct teach_addr ta;

	snprintf(buf, sizeof(buf), "%s", text);
	colon = strchr(buf, ':');
	if (!colon) {
		fprintf(stderr, "blind: %s is not ADDR:PORT\n", text);
		exit(2);
	}
	*colon = 0;
	if (teach_pton(buf, &ta)) {
		fprintf(stderr, "blind: bad address %s\n", buf);
		exit(2);
	}
	*a = ta.s_addr;
	*port = htons(atoi(colon + 1));
}

static long opt(int argc, char **argv, const char *key, long def)
{
	size_t n = strlen(key);
	int i;

	for (i = 7; i < argc; i++)
		if (!strncmp(argv[i], key, n) && argv[i][n] == '=')
			return strtol(argv[i] + n + 1, NULL, 0);
	return def;
}

int main(int argc, char **argv)
{
	uint8_t frame[ETH_HLEN + TEACH_HLEN + TEACH_STREAM_HLEN + 1500] = { 0 };
	struct teachhdr *th = (struct teachhdr *)(frame + ETH_HLEN);
	struct teach_streamhdr *h = (struct teach_streamhdr *)(th + 1);
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	uint8_t pseudo[12 + TEACH_STREAM_HLEN + 1500];
	struct ifreq ifr = { 0 };
	uint32_t saddr, daddr, base, seq;
	uint16_t sport, dport, slen;
	long count, step, len, i, busy = 0;
	uint8_t flags;
	int fd;

	if (argc < 7) {
		fprintf(stderr, "usage: blind IFNAME DSTMAC SRC:SPORT DST:DPORT rst|syn|data COUNT [step=N] [seed=N] [len=N]\n");
		return 2;
	}
	endpoint(argv[3], &saddr, &sport);
	endpoint(argv[4], &daddr, &dport);
	if (!strcmp(argv[5], "rst"))
		flags = TEACH_STREAM_F_RST;
	else if (!strcmp(argv[5], "syn"))
		flags = TEACH_STREAM_F_SYN;
	else if (!strcmp(argv[5], "data"))
		flags = TEACH_STREAM_F_ACK | TEACH_STREAM_F_PSH;
	else
		return fprintf(stderr, "blind: mode rst, syn or data\n"), 2;
	count = strtol(argv[6], NULL, 0);
	step = opt(argc, argv, "step", 0);
	len = flags & TEACH_STREAM_F_PSH ? opt(argc, argv, "len", 100) : 0;
	if (len < 0 || len > 1400)
		return fprintf(stderr, "blind: len 0..1400\n"), 2;
	rng = opt(argc, argv, "seed", 0);
	if (!rng)
		rng = (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid();
	printf("blind: %s x %ld, step %ld, seed %llu\n", argv[5], count, step,
	       (unsigned long long)rng);
	fflush(stdout);

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		return perror("blind: socket"), 1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		return perror("blind: SIOCGIFHWADDR"), 1;
	if (teach_lladdr_pton(argv[2], frame))
		return fprintf(stderr, "blind: bad MAC %s\n", argv[2]), 2;
	memcpy(frame + 6, ifr.ifr_hwaddr.sa_data, 6);
	frame[12] = ETH_P_TEACH >> 8;
	frame[13] = ETH_P_TEACH & 0xff;
	sll.sll_ifindex = if_nametoindex(argv[1]);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, frame, 6);

	slen = TEACH_STREAM_HLEN + len;
	th->ver_ihl = TEACH_VERSION << 4 | TEACH_MIN_IHL;
	th->tot_len = htons(TEACH_HLEN + slen);
	th->ttl = 64;
	th->protocol = TEACHPROTO_STREAM;
	th->saddr = saddr;
	th->daddr = daddr;
	h->source = sport;
	h->dest = dport;
	h->doff = (TEACH_STREAM_HLEN / 4) << 4;
	h->flags = flags;
	h->window = htons(65535);
	memset(h + 1, 'X', len);
	memcpy(pseudo, &saddr, 4);
	memcpy(pseudo + 4, &daddr, 4);
	pseudo[8] = 0;
	pseudo[9] = TEACHPROTO_STREAM;
	pseudo[10] = slen >> 8;
	pseudo[11] = slen & 0xff;

	base = rnd();
	for (i = 0; i < count; i++) {
		seq = step ? base + (uint32_t)(i * step) : rnd();
		th->id = htons(i);
		th->check = 0;
		th->check = teach_csum(th, TEACH_HLEN);
		h->seq = htonl(seq);
		h->ack_seq = htonl(flags & TEACH_STREAM_F_ACK ? rnd() : 0);
		h->check = 0;
		memcpy(pseudo + 12, h, slen);
		h->check = teach_csum(pseudo, 12 + slen);
		if (sendto(fd, frame, ETH_HLEN + TEACH_HLEN + slen, 0,
			   (struct sockaddr *)&sll, sizeof(sll)) < 0) {
			/* the device queue is full: wait a little, try again */
			if ((errno != ENOBUFS && errno != EAGAIN) || ++busy > 1000)
				return perror("blind: sendto"), 1;
			usleep(1000);
			i--;
		}
	}
	close(fd);
	return 0;
}
