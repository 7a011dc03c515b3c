#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The receive path against hand-made frames (./inject, AF_PACKET from a
# peer namespace): every malformed field is dropped and counted under its
# reason, Ethernet padding is trimmed, and the host still works afterwards.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")"

tap_begin 22
[ -d /sys/module/teach ] || modprobe teach || exit 1

A="ip netns exec trx-a" B="ip netns exec trx-b"
cleanup() { ip netns del trx-a 2>/dev/null; ip netns del trx-b 2>/dev/null; return 0; }
trap cleanup EXIT
cleanup
ip netns add trx-a && ip netns add trx-b
ip link add va netns trx-a type veth peer name vb netns trx-b
$A ip link set va up && $B ip link set vb up && $B ip link set lo up
$A teach addr add 10.0.0.1/24 dev va && $B teach addr add 10.0.0.2/24 dev vb
BMAC=$($B cat /sys/class/net/vb/address)

stat_of() { $B teach stats | awk -v n="$1" '$1 == n { print $2 }'; }

# expect NAME COUNTER... -- INJECT-ARGS: send the frame, then each listed
# counter of b must have grown by exactly one.
expect() {
	local name=$1 c before=() after i=0 ok=1
	shift
	local counters=()
	while [ "$1" != "--" ]; do counters+=("$1"); shift; done
	shift
	for c in "${counters[@]}"; do before+=("$(stat_of "$c")"); done
	$A ./inject va "$BMAC" "$@" || { fail "$name (inject failed)"; return; }
	sleep 0.2
	for c in "${counters[@]}"; do
		after=$(stat_of "$c")
		if [ "$after" != "$((${before[$i]} + 1))" ]; then
			echo "# $c: ${before[$i]} -> $after"
			ok=0
		fi
		i=$((i + 1))
	done
	if [ $ok = 1 ]; then pass "$name"; else fail "$name"; fi
}

GOOD="src=10.0.0.1 dst=10.0.0.2"
expect "a well-formed echo request is delivered and answered" \
	InReceives InDelivers CtrlInEchos CtrlOutEchoReps -- net $GOOD ctrl=8
expect "Ethernet padding beyond the total length is trimmed" \
	InDelivers CtrlInEchos -- net $GOOD ctrl=8 pad=30
expect "version 2 is a header error" InHdrErrors -- net $GOOD ctrl=8 ver=2
expect "a header length under 5 words is a header error" InHdrErrors -- net $GOOD ctrl=8 ihl=4
expect "a header length beyond the frame is truncation" InTruncatedPkts -- net $GOOD ihl=15 cut=40
expect "a bad header checksum is counted twice (csum, hdr)" \
	InCsumErrors InHdrErrors -- net $GOOD ctrl=8 check=0x1234
expect "a total length beyond the frame is truncation" InTruncatedPkts -- net $GOOD ctrl=8 len=200
expect "a total length under the header is a header error" InHdrErrors -- net $GOOD ctrl=8 len=12
expect "the reserved flag is a header error" InHdrErrors -- net $GOOD ctrl=8 frag=0x8000
expect "a frame shorter than the header is truncation" InTruncatedPkts -- net $GOOD ctrl=8 cut=12
expect "a broadcast source is an address error" InAddrErrors -- \
	net src=255.255.255.255 dst=10.0.0.2 ctrl=8
expect "a destination that is not ours is an address error" InAddrErrors -- \
	net src=10.0.0.1 dst=10.0.0.77 ctrl=8
expect "an unknown protocol is counted and answered with unreachable" \
	InUnknownProtos CtrlOutDestUnreachs -- net $GOOD proto=99 payload=0102030405060708
expect "a control message with a bad checksum is a control error" \
	CtrlInErrors -- net $GOOD ctrl=8 ctrlsum=bad
expect "a fragment is counted and held for reassembly (frag_test.sh has more)" \
	ReasmReqds -- net $GOOD ctrl=8 frag=0x2000
expect "a fragment that would end beyond 65,535 bytes is refused" \
	ReasmReqds ReasmFails InHdrErrors -- net $GOOD ctrl=8 frag=0x1fff
expect "a neighbour message with a bad hardware length is an error" \
	NeighInErrors -- neigh sip=10.0.0.1 tip=10.0.0.2 hlen=8
expect "a neighbour message with an unknown op is an error" \
	NeighInErrors -- neigh op=7 sip=10.0.0.1 tip=10.0.0.2
expect "a truncated neighbour message is an error" \
	NeighInErrors -- neigh sip=10.0.0.1 tip=10.0.0.2 cut=10
expect "a request from a broadcast hardware address is an error" \
	NeighInErrors -- neigh sip=10.0.0.1 tip=10.0.0.2 sha=ff:ff:ff:ff:ff:ff
ratelimit() {
	local sent limited
	$B sh -c 'echo 1 >/proc/sys/net/teach/ctrl_rate && echo 2 >/proc/sys/net/teach/ctrl_burst'
	sent=$(stat_of CtrlOutDestUnreachs)
	limited=$(stat_of CtrlRateLimited)
	# 20 frames back to back: far faster than one a second, on any kernel.
	$A ./inject va "$BMAC" net $GOOD proto=99 payload=0102030405060708 count=20
	sleep 0.5
	sent=$(($(stat_of CtrlOutDestUnreachs) - sent))
	limited=$(($(stat_of CtrlRateLimited) - limited))
	echo "# 20 errors due at once: $sent sent, $limited rate-limited"
	$B sh -c 'echo 1000 >/proc/sys/net/teach/ctrl_rate && echo 50 >/proc/sys/net/teach/ctrl_burst'
	# The burst of 2, maybe one more if a second ticks over meanwhile.
	[ "$sent" -ge 2 ] && [ "$sent" -le 3 ] && [ $((sent + limited)) = 20 ]
}
check "error replies are rate-limited by ctrl_rate and ctrl_burst" ratelimit
check "after all that, b still answers ping" $A tping -q -c 2 -i 0.2 -W 2 10.0.0.2
tap_end
