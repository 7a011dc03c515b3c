#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The network layer on two (then three) namespaces joined by veth pairs:
# addresses and their errors, neighbour resolution and expiry, ping over
# resolved neighbours, host unreachable, loss under netem, the monitor,
# counters and namespace isolation.
. "$(dirname "$0")/lib.sh"

tap_begin 17
[ -d /sys/module/teach ] || modprobe teach || exit 1

A="ip netns exec tnl-a" B="ip netns exec tnl-b" C="ip netns exec tnl-c"
cleanup() {
	for n in tnl-a tnl-b tnl-c; do ip netns del $n 2>/dev/null; done
	return 0
}
trap cleanup EXIT
cleanup
ip netns add tnl-a && ip netns add tnl-b && ip netns add tnl-c
ip link add va netns tnl-a type veth peer name vb netns tnl-b
$A ip link set va up; $B ip link set vb up
$A ip link set lo up; $B ip link set lo up; $C ip link set lo up

check "addresses are added to both ends" bash -c \
	"$A teach addr add 10.0.0.1/24 dev va && $B teach addr add 10.0.0.2/24 dev vb"
check "addr show lists the address with its broadcast" bash -c \
	"$A teach addr show dev va | grep -q '10.0.0.1/24 brd 10.0.0.255'"
check "a duplicate address is refused (EEXIST)" \
	fails_with "exists" $A teach addr add 10.0.0.1/24 dev va
check "the network address of a prefix is refused (EINVAL)" \
	fails_with "network or broadcast" $A teach addr add 10.0.0.0/24 dev va
check "a malformed address is refused" \
	fails_with "" $A teach addr add 10.0.0.256/24 dev va

check "ping resolves the neighbour and gets replies" \
	$A tping -c 3 -i 0.2 -W 2 10.0.0.2
check "the neighbour is in the cache, REACHABLE, with b's MAC" bash -c \
	"mac=\$($B cat /sys/class/net/vb/address); $A teach neigh show dev va | grep -q \"10.0.0.2 .*\$mac REACHABLE\""
check "b learned a from a's request" bash -c \
	"$B teach neigh show | grep -q '10.0.0.1'"

check "/proc/net/teach/neigh lists the entry" bash -c \
	"$A cat /proc/net/teach/neigh | grep -E -q '^10.0.0.2 .* va .*(REACHABLE|STALE)'"
announce() {
	local new=02:00:00:00:00:aa
	$B teach neigh show dev vb | grep -q 10.0.0.1 || return 1
	# A new MAC on a's side is announced; b learns it without asking.
	$A ip link set va address $new || return 1
	sleep 1
	$B teach neigh show dev vb | grep -q "10.0.0.1 .*$new"
}
check "a changed hardware address is announced and learned by the peer" announce
check "a second address in the same prefix answers resolution too" bash -c \
	"$B teach addr add 10.0.0.3/24 dev vb && $A tping -q -c 1 -W 3 10.0.0.3"
check "an unresolvable host gives Destination Host Unreachable" bash -c \
	"out=\$($A tping -c 1 -W 5 10.0.0.99 2>&1); echo \"\$out\" | grep -q 'Destination Host Unreachable'"
check "the failed resolution is counted" bash -c \
	"$A teach stats | grep -E '^NeighResFailed +[1-9]'"

# monitor_ready LOG: until the monitor writing LOG has subscribed, shown by
# its report of a neighbour entry made for the purpose (a fixed sleep races
# the debug kernel's slow start of the monitor)
monitor_ready() {
	local i
	for i in $(seq 1 40); do
		$A teach neigh replace 10.0.0.77 lladdr 02:00:00:00:00:77 dev va nud permanent
		grep -q '10.0.0.77' "$1" && break
		sleep 0.25
	done
	$A teach neigh del 10.0.0.77 dev va
	grep -q '10.0.0.77' "$1"
}

expire() {
	local log=/tmp/tnl-expire.$$ pid i ok=1
	$A sh -c 'echo 200 >/proc/sys/net/teach/neigh_reachable_ms &&
		echo 1 >/proc/sys/net/teach/neigh_gc_stale_s' || return 1
	$A teach neigh flush dev va
	# The monitor sees every transition, however slow the machine is.
	$A teach monitor neigh >"$log" 2>&1 &
	pid=$!
	monitor_ready "$log" || ok=0
	$A tping -c 1 -W 2 10.0.0.2 >/dev/null || ok=0
	for i in $(seq 1 60); do
		grep -q 'Deleted.*10.0.0.2' "$log" && break
		sleep 0.25
	done
	kill $pid; wait $pid 2>/dev/null
	sed 's/^/# /' "$log"
	grep -q '10.0.0.2.*REACHABLE' "$log" && grep -q '10.0.0.2.*STALE' "$log" &&
		grep -q 'Deleted.*10.0.0.2' "$log" || ok=0
	$A teach neigh show dev va | grep -q 10.0.0.2 && ok=0
	$A sh -c 'echo 30000 >/proc/sys/net/teach/neigh_reachable_ms &&
		echo 60 >/proc/sys/net/teach/neigh_gc_stale_s'
	[ $ok = 1 ]
}
check "entries go STALE and are freed when unused (sysctl timers)" expire

loss() {
	local out amac bmac
	# Pin both neighbours first: netem would also drop resolution
	# messages, and a failed resolution loses whole runs of pings, which
	# is a different thing from the per-packet loss measured here.
	amac=$($A cat /sys/class/net/va/address)
	bmac=$($B cat /sys/class/net/vb/address)
	$A teach neigh replace 10.0.0.2 lladdr "$bmac" dev va nud permanent &&
		$B teach neigh replace 10.0.0.1 lladdr "$amac" dev vb nud permanent ||
		return 1
	$A tc qdisc add dev va root netem loss 40% || return 1
	out=$($A tping -c 30 -i 0.05 -W 2 10.0.0.2)
	$A tc qdisc del dev va root
	$A teach neigh del 10.0.0.2 dev va; $B teach neigh del 10.0.0.1 dev vb
	echo "$out" | tail -n 3 | sed 's/^/# /'
	echo "$out" | grep -qE ' ([1-9][0-9]?)(\.[0-9]+)?% packet loss'
}
check "ping counts loss under netem loss" loss

monitor() {
	local log=/tmp/tnl-monitor.$$
	$A teach monitor address neighbour >"$log" 2>&1 &
	local pid=$! i
	monitor_ready "$log" || return 1
	$A teach addr add 10.9.0.1/16 dev va && $A teach addr del 10.9.0.1/16 dev va
	for i in $(seq 1 40); do
		grep -q 'Deleted.*10.9.0.1/16' "$log" && break
		sleep 0.25
	done
	kill $pid; wait $pid 2>/dev/null
	grep -q '10.9.0.1/16' "$log" && grep -q 'Deleted.*10.9.0.1/16' "$log"
}
check "the monitor sees an address added and deleted" monitor

check "namespaces are isolated" bash -c \
	"! $C teach addr show | grep -q 10.0.0 && ! $C tping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1"

tap_end
