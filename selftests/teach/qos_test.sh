#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Classes of service: the TEACH_TOS socket option sets the header's class
# byte and the skb priority, so that a prio qdisc puts low-delay, normal
# and bulk traffic in different bands, on the sender and on a router; and
# with a slow link and a bulk backlog, priority queueing lets low-delay
# packets through where a FIFO holds them behind the backlog.
. "$(dirname "$0")/lib.sh"

tap_begin 6
[ -d /sys/module/teach ] || modprobe teach || exit 1

A="ip netns exec tq-a" B="ip netns exec tq-b"
cleanup() {
	ip netns del tq-a 2>/dev/null
	ip netns del tq-b 2>/dev/null
	chain_down tq
}
trap cleanup EXIT
cleanup
ip netns add tq-a && ip netns add tq-b
# IPv6 would send its own neighbour discovery and MLD through the bands.
for ns in tq-a tq-b; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null
done
ip link add va netns tq-a type veth peer name vb netns tq-b
$A ip link set va up; $B ip link set vb up
$A teach addr add 10.0.0.1/24 dev va
$B teach addr add 10.0.0.2/24 dev vb
# Pinned neighbours: no resolution traffic in the bands being counted.
$A teach neigh add 10.0.0.2 lladdr "$($B cat /sys/class/net/vb/address)" dev va
$B teach neigh add 10.0.0.1 lladdr "$($A cat /sys/class/net/va/address)" dev vb

# packets sent by class CLASSID of the qdisc on DEV: class_pkts NS DEV CLASSID
class_pkts() {
	ip netns exec "$1" tc -s class show dev "$2" |
		awk -v c="$3" '$1 == "class" && $3 == c { getline; print $4; exit }'
}

# bands TOS WANT: five pings with class byte TOS all go to band WANT of a's prio.
bands() {
	local tos=$1 want=$2 c after ok=1
	declare -A before
	for c in 1:1 1:2 1:3; do before[$c]=$(class_pkts tq-a va $c); done
	$A tping -q -c 5 -i 0.05 -W 2 -Q "$tos" 10.0.0.2 >/dev/null || return 1
	for c in 1:1 1:2 1:3; do
		after=$(class_pkts tq-a va $c)
		echo "# tos $tos: class $c sent $((after - ${before[$c]}))"
		if [ $c = "$want" ]; then
			[ $((after - ${before[$c]})) -ge 5 ] || ok=0
		else
			[ "$after" = "${before[$c]}" ] || ok=0
		fi
	done
	[ $ok = 1 ]
}

$A tc qdisc add dev va root handle 1: prio
check "low delay (0x10) is queued in the interactive band 1:1" bands 0x10 1:1
check "the default class (0) is queued in the best-effort band 1:2" bands 0 1:2
check "throughput (0x08) is queued in the bulk band 1:3" bands 0x08 1:3

# The class byte is on the wire: tcpdump matches on the header's second byte.
on_wire() {
	local log=/tmp/tq-dump.$$ pid i
	$B timeout 20 tcpdump -i vb -n -c 1 'ether proto 0x88b5 and ether[15] = 0x28' \
		>"$log" 2>&1 &
	pid=$!
	for i in $(seq 1 40); do grep -q listening "$log" && break; sleep 0.25; done
	$A tping -q -c 3 -i 0.2 -W 2 -Q 0x28 10.0.0.2 >/dev/null
	wait $pid
	grep -q '1 packet captured' "$log"
}
check "the class byte (0x28) is carried in the header" on_wire

# A router maps the class byte of forwarded packets the same way.
routed() {
	local before after
	chain_up tq || return 1
	$R1 tc qdisc add dev eth1 root handle 1: prio || return 1
	$H1 tping -q -c 1 -W 5 10.0.3.2 >/dev/null || return 1
	before=$(class_pkts tq-r1 eth1 1:1)
	$H1 tping -q -c 5 -i 0.05 -W 2 -Q 0x10 10.0.3.2 >/dev/null || return 1
	after=$(class_pkts tq-r1 eth1 1:1)
	echo "# r1 forwarded $((after - before)) low-delay packets through band 1:1"
	[ $((after - before)) -ge 5 ]
}
check "a router queues forwarded low-delay packets in band 1:1" routed

# A slow link (tbf, 200 kbit/s) with a bulk backlog of several seconds in
# front of it: low-delay pings (2 s timeout) get through with a prio qdisc
# under the shaper, and not with a FIFO.
backlog() {
	local child=$1 out flood
	$A tc qdisc del dev va root 2>/dev/null
	$A tc qdisc add dev va root handle 1: tbf rate 200kbit burst 4000 \
		limit 1000000 || return 1
	if [ "$child" = prio ]; then
		$A tc qdisc add dev va parent 1:1 handle 10: prio || return 1
	else
		$A tc qdisc add dev va parent 1:1 handle 10: pfifo limit 1000 || return 1
	fi
	# 150 bulk packets of 1428 bytes: about 8.5 s of sending at 200 kbit/s.
	$A tping -q -c 150 -i 0.002 -s 1400 -W 1 -Q 0x08 10.0.0.2 >/dev/null &
	flood=$!
	sleep 1
	out=$($A tping -c 3 -i 0.2 -W 2 -Q 0x10 10.0.0.2)
	echo "$out" | grep -E 'transmitted|rtt' | sed "s/^/# $child: /" >&2
	wait $flood
	$A tc qdisc del dev va root
	echo "$out" | grep -oE '[0-9]+ received' | cut -d' ' -f1
}
prio_vs_fifo() {
	local got
	got=$(backlog prio)
	[ "${got:-0}" -ge 2 ] || return 1
	got=$(backlog pfifo)
	[ "${got:-1}" = 0 ]
}
check "priority queueing lets low delay pass a bulk backlog; a FIFO does not" \
	prio_vs_fifo 2>&1

tap_end
