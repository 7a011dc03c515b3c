#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Three hosts on one Ethernet segment (a bridge in a fourth namespace):
# resolution is asked of everyone and answered by the target only, directed
# broadcast, local delivery over lo, MTU and jumbo frames, and devices and
# namespaces that disappear with state in them.
. "$(dirname "$0")/lib.sh"

tap_begin 15
[ -d /sys/module/teach ] || modprobe teach || exit 1

S="ip netns exec tsg-sw"
H1="ip netns exec tsg-h1" H2="ip netns exec tsg-h2" H3="ip netns exec tsg-h3"
cleanup() {
	local n
	for n in tsg-sw tsg-h1 tsg-h2 tsg-h3; do ip netns del $n 2>/dev/null; done
	return 0
}
trap cleanup EXIT
cleanup
ip netns add tsg-sw
$S ip link add br0 type bridge
$S ip link set br0 up
for i in 1 2 3; do
	ip netns add tsg-h$i
	ip link add eth0 netns tsg-h$i type veth peer name p$i netns tsg-sw
	$S ip link set p$i master br0
	$S ip link set p$i up
	ip netns exec tsg-h$i ip link set lo up
	ip netns exec tsg-h$i ip link set eth0 up
	ip netns exec tsg-h$i teach addr add 10.1.0.$i/24 dev eth0
done

check "h1 reaches h2 across the bridge" $H1 tping -q -c 2 -i 0.2 -W 2 10.1.0.2
check "h1 reaches h3 across the bridge" $H1 tping -q -c 2 -i 0.2 -W 2 10.1.0.3
$H2 teach neigh flush dev eth0; $H3 teach neigh flush dev eth0; $H1 teach neigh flush dev eth0
$H1 tping -q -c 1 -W 2 10.1.0.2 >/dev/null
check "h3 heard the request for h2 but learned nothing from it" bash -c \
	"! $H3 teach neigh show | grep -q 10.1.0.1"
check "h2, the target, learned h1 from the request" bash -c \
	"$H2 teach neigh show | grep -q 10.1.0.1"

bcast() {
	local out
	$H2 sh -c 'echo 0 >/proc/sys/net/teach/ctrl_echo_ignore_bcast'
	$H3 sh -c 'echo 0 >/proc/sys/net/teach/ctrl_echo_ignore_bcast'
	out=$($H1 tping -b -c 1 -W 2 10.1.0.255)
	echo "$out" | grep -q 'from 10.1.0.2' && echo "$out" | grep -q 'from 10.1.0.3'
}
check "a directed broadcast echo is answered by both others" bcast
check "without SO_BROADCAST, sending to the broadcast is refused" \
	fails_with "ermission denied" $H1 tping -c 1 -W 1 10.1.0.255
quiet_bcast() {
	$H2 sh -c 'echo 1 >/proc/sys/net/teach/ctrl_echo_ignore_bcast'
	$H3 sh -c 'echo 1 >/proc/sys/net/teach/ctrl_echo_ignore_bcast'
	! $H1 tping -b -c 1 -W 1 10.1.0.255 >/dev/null
}
check "with ctrl_echo_ignore_bcast=1 nobody answers the broadcast" quiet_bcast

check "h1 pings its own address (delivered over lo)" $H1 tping -q -c 1 -W 2 10.1.0.1
check "h1 pings 127.0.0.1" $H1 tping -q -c 1 -W 2 127.0.0.1
check "loopback carries a service address, reachable locally" bash -c \
	"$H1 teach addr add 10.9.9.9/32 dev lo && $H1 tping -q -c 1 -W 2 10.9.9.9"

check "a packet over the MTU goes in fragments" $H1 tping -q -c 1 -W 2 -s 3000 10.1.0.2
check "with don't-fragment it is refused with EMSGSIZE" \
	fails_with "message too long" $H1 tping -c 1 -W 1 -s 3000 -M do 10.1.0.2
jumbo() {
	local h
	for h in 1 2; do
		$S ip link set p$h mtu 9000 || return 1
		ip netns exec tsg-h$h ip link set eth0 mtu 9000 || return 1
	done
	$S ip link set br0 mtu 9000
	$H1 tping -q -c 2 -i 0.2 -W 2 -s 8000 10.1.0.2
}
check "after raising the MTU to 9000, 8000-byte jumbo pings pass" jumbo

gone() {
	$H1 tping -q -c 50 -i 0.05 -W 1 10.1.0.3 >/dev/null 2>&1 &
	local pid=$!
	sleep 0.5
	$H1 ip link del eth0
	wait $pid
	! $H1 teach addr show | grep -q 10.1.0.1 &&
	! $H1 teach neigh show | grep -q 10.1.0 &&
	! $H1 teach route show | grep -q 10.1.0.0/24
}
check "deleting a device mid-ping removes its addresses, neighbours, routes" gone
ns_gone() {
	$H2 tping -q -c 1 -W 2 10.1.0.3 >/dev/null || return 1
	ip netns del tsg-h2 && ip netns del tsg-h3 && sleep 1 &&
	! ip netns list | grep -q tsg-h2
}
check "namespaces with addresses and neighbours are deleted cleanly" ns_gone
tap_end
