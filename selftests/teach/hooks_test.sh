#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packet hooks, through the sample module teach_filter (samples/): at each
# of the five points it drops what it is told to, counts what it saw and
# dropped, and the namespace counts HookDrops; what it does not match goes
# on; unloading restores traffic; bad parameters are refused; loading and
# unloading under a flood of pings is safe.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")"

tap_begin 26
[ -d /sys/module/teach ] || modprobe teach || exit 1
# The sample is part of the project: missing, it is a failure, not a skip.
modinfo teach_filter >/dev/null || exit 1

A="ip netns exec tho-a" B="ip netns exec tho-b" C="ip netns exec tho-c"
STOP=/tmp/tho-flood.$$
FLOOD=
filter_unload() { if [ -d /sys/module/teach_filter ]; then rmmod teach_filter; fi; }
# A failed test may leave the module loaded, and modprobe of a loaded
# module does nothing: every test loads its own.
filter_load() { filter_unload && modprobe teach_filter "$@"; }
cleanup() {
	touch "$STOP"
	[ -n "$FLOOD" ] && kill "$FLOOD" 2>/dev/null && wait "$FLOOD" 2>/dev/null
	rm -f "$STOP"
	filter_unload
	for n in tho-a tho-b tho-c; do ip netns del $n 2>/dev/null; done
	chain_down tho
}
trap cleanup EXIT
cleanup
ip netns add tho-a && ip netns add tho-b
ip link add va netns tho-a type veth peer name vb netns tho-b
$A ip link set va up; $B ip link set vb up; $A ip link set lo up; $B ip link set lo up
$A teach addr add 10.0.0.1/24 dev va && $B teach addr add 10.0.0.2/24 dev vb
BMAC=$($B cat /sys/class/net/vb/address)

param() { cat "/sys/module/teach_filter/parameters/$1"; }
# stat_of "NS-PREFIX" COUNTER: one counter of a namespace
stat_of() { $1 teach stats "$2" | awk '{ print $2 }'; }
# wait_for CMD...: poll CMD for up to 10 s, whatever the machine's speed
wait_for() {
	local i
	for i in $(seq 1 50); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}
ge() { [ "$1" -ge "$2" ] || { echo "# $3: $1 < $2"; return 1; }; }
same() { [ "$1" = "$2" ] || { echo "# $3 moved: $1 -> $2"; return 1; }; }
# dgram_to PORT [SRCPORT]: a datagram-protocol packet from a to b with
# that destination port (bytes 2-3 after the network header); nobody
# listens there, so getting through shows as b's DgramNoPorts
dgram_to() {
	$A ./inject va "$BMAC" net proto=17 src=10.0.0.1 dst=10.0.0.2 \
		payload="$(printf '%04x%04x00080000' "${2:-1234}" "$1")"
}

check "without the filter, a pings b" $A tping -q -c 2 -i 0.2 -W 2 10.0.0.2

bad_point() {
	fails_with "Invalid argument" modprobe teach_filter point=sideways &&
		fails_with "Invalid argument" modprobe teach_filter point= &&
		[ ! -d /sys/module/teach_filter ]
}
check "an unknown point is refused with EINVAL" bad_point
bad_range() {
	fails_with "Invalid argument" modprobe teach_filter proto=256 &&
		fails_with "Invalid argument" modprobe teach_filter proto=-1 &&
		fails_with "Invalid argument" modprobe teach_filter port=65536 &&
		[ ! -d /sys/module/teach_filter ]
}
check "proto and port out of range are refused with EINVAL" bad_range
check "the counters cannot be set at load" \
	fails_with "Invalid argument" modprobe teach_filter seen=5

# ---- LOCAL_IN (the default point)
in_load() { filter_load proto=1 && [ "$(param point)" = input ]; }
check "loaded with proto=1 at input (the default)" in_load
check "teach cannot be unloaded under its hook user" fails_with "in use" rmmod teach

in_drop() {
	local hd0 hd1
	hd0=$(stat_of "$B" HookDrops)
	if $A tping -c 3 -i 0.2 -W 1 10.0.0.2 >/dev/null; then
		echo "# b answered"
		return 1
	fi
	hd1=$($B awk '$1 == "HookDrops" { print $2 }' /proc/net/teach/snmp)
	ge "$(param dropped)" 3 dropped && ge "$(param seen)" "$(param dropped)" seen &&
		ge "$hd1" $((hd0 + 3)) "b's HookDrops"
}
check "input: pings to b get no reply; dropped, seen and b's HookDrops count them" in_drop

in_other() {
	local hd0 up0
	hd0=$(stat_of "$B" HookDrops)
	up0=$(stat_of "$B" DgramNoPorts)
	dgram_to 7 || return 1
	wait_for bash -c "[ \$($B teach stats DgramNoPorts | awk '{print \$2}') = $((up0 + 1)) ]" ||
		{ echo "# the datagram did not reach b's protocol demux"; return 1; }
	same "$hd0" "$(stat_of "$B" HookDrops)" "b's HookDrops"
}
check "input: a packet of another protocol still reaches b's protocols" in_other

new_ns() {
	ip netns add tho-c && $C ip link set lo up || return 1
	if $C tping -c 1 -W 1 127.0.0.1 >/dev/null; then
		echo "# the new namespace has no hook"
		return 1
	fi
	ge "$(stat_of "$C" HookDrops)" 1 "c's HookDrops" && ip netns del tho-c
}
check "a namespace made after loading is filtered too, and can go away" new_ns

check "unloading restores pings" bash -c \
	"rmmod teach_filter && [ ! -d /sys/module/teach_filter ] && $A tping -q -c 2 -W 2 10.0.0.2"

# ---- ports
check "loaded with proto=17 port=8080" filter_load proto=17 port=8080
port_drop() {
	local hd0 up0
	hd0=$(stat_of "$B" HookDrops)
	up0=$(stat_of "$B" DgramNoPorts)
	dgram_to 8080 || return 1
	wait_for bash -c "[ \$($B teach stats HookDrops | awk '{print \$2}') = $((hd0 + 1)) ]" ||
		{ echo "# b did not drop it"; return 1; }
	same "$up0" "$(stat_of "$B" DgramNoPorts)" "b's DgramNoPorts"
}
check "ports: destination port 8080 is dropped" port_drop
port_pass() {
	local hd0 up0
	hd0=$(stat_of "$B" HookDrops)
	up0=$(stat_of "$B" DgramNoPorts)
	# Source port 8080 does not count: only bytes 2-3 are the destination.
	dgram_to 8081 8080 || return 1
	wait_for bash -c "[ \$($B teach stats DgramNoPorts | awk '{print \$2}') = $((up0 + 1)) ]" ||
		{ echo "# the datagram to 8081 did not get through"; return 1; }
	$A tping -q -c 2 -i 0.2 -W 2 10.0.0.2 &&
		same "$hd0" "$(stat_of "$B" HookDrops)" "b's HookDrops"
}
check "ports: another destination port and control messages pass" port_pass
check "unloaded" rmmod teach_filter

# ---- LOCAL_OUT and POST_ROUTING: the host's own packets never leave
out_drop() { # out_drop POINT
	local rx0 hd0 out
	filter_load point="$1" proto=1 || return 1
	rx0=$(stat_of "$B" InReceives)
	hd0=$(stat_of "$A" HookDrops)
	if out=$($A tping -c 2 -i 0.2 -W 1 10.0.0.2 2>&1); then
		echo "# tping succeeded"
		return 1
	fi
	echo "$out" | grep -q "Operation not permitted" ||
		{ echo "$out" | sed 's/^/# /'; return 1; }
	rmmod teach_filter || return 1
	same "$rx0" "$(stat_of "$B" InReceives)" "b's InReceives" &&
		ge "$(stat_of "$A" HookDrops)" $((hd0 + 1)) "a's HookDrops"
}
check "output: a's pings fail with EPERM and b receives nothing" out_drop output
check "postrouting: a's pings fail with EPERM and b receives nothing" out_drop postrouting
out_other() {
	filter_load point=output proto=17 || return 1
	$A tping -q -c 2 -i 0.2 -W 2 10.0.0.2 || return 1
	# a's requests and b's replies went through the hook and were kept.
	ge "$(param seen)" 4 seen && same 0 "$(param dropped)" dropped &&
		rmmod teach_filter
}
check "output: proto=17 lets pings through and counts what it saw" out_other

# ---- FORWARD and PRE_ROUTING on the routed chain h1 - r1 - r2 - h2
chain_up tho || { echo "# chain_up failed"; exit 1; }
check "without the filter, h1 pings h2 through r1 and r2" $H1 tping -q -c 2 -i 0.2 -W 3 10.0.3.2

fwd_drop() {
	local rx0 hd0
	filter_load point=forward proto=1 || return 1
	rx0=$(stat_of "$H2" InReceives)
	hd0=$(stat_of "$R1" HookDrops)
	if $H1 tping -c 2 -i 0.2 -W 1 10.0.3.2 >/dev/null; then
		echo "# h2 answered"
		return 1
	fi
	same "$rx0" "$(stat_of "$H2" InReceives)" "h2's InReceives" &&
		ge "$(stat_of "$R1" HookDrops)" $((hd0 + 2)) "r1's HookDrops"
}
check "forward: r1 no longer forwards h1's pings to h2" fwd_drop
check "forward: r1 still answers pings to its own addresses" bash -c \
	"$H1 tping -q -c 2 -i 0.2 -W 2 10.0.1.2 && $H1 tping -q -c 1 -W 2 10.0.2.1"
check "unloading restores forwarding" bash -c \
	"rmmod teach_filter && $H1 tping -q -c 2 -i 0.2 -W 2 10.0.3.2"

pre_drop() {
	local dl0 hd0 rx0
	filter_load point=prerouting proto=1 || return 1
	dl0=$(stat_of "$R1" InDelivers)
	rx0=$(stat_of "$R1" InReceives)
	hd0=$(stat_of "$R1" HookDrops)
	if $H1 tping -c 2 -i 0.2 -W 1 10.0.1.2 >/dev/null; then
		echo "# r1 answered"
		return 1
	fi
	# They arrived, and went no further than the first hook.
	ge "$(stat_of "$R1" InReceives)" $((rx0 + 2)) "r1's InReceives" &&
		same "$dl0" "$(stat_of "$R1" InDelivers)" "r1's InDelivers" &&
		ge "$(stat_of "$R1" HookDrops)" $((hd0 + 2)) "r1's HookDrops"
}
check "prerouting: r1 drops h1's pings to itself as they arrive" pre_drop
pre_other() {
	local up0 r1mac
	r1mac=$($R1 cat /sys/class/net/eth0/address)
	up0=$(stat_of "$R1" DgramNoPorts)
	$H1 ./inject eth0 "$r1mac" net proto=17 src=10.0.1.1 dst=10.0.1.2 \
		payload=04d2000700080000 || return 1
	wait_for bash -c "[ \$($R1 teach stats DgramNoPorts | awk '{print \$2}') = $((up0 + 1)) ]"
}
check "prerouting: a packet of another protocol still reaches r1's protocols" pre_other
check "unloading restores pings to r1 and through it" bash -c \
	"rmmod teach_filter && $H1 tping -q -c 1 -W 2 10.0.1.2 && $H1 tping -q -c 1 -W 2 10.0.3.2"

# ---- loading and unloading while packets cross every point
churn() {
	local p end ok=1 cycles=0
	rm -f "$STOP"
	end=$((SECONDS + 300))
	# A sender that EPERM stops (output hooks) is started again.
	(
		while [ ! -e "$STOP" ] && [ $SECONDS -lt $end ]; do
			$H1 tping -q -i 0.01 -c 200 -W 1 10.0.3.2 >/dev/null 2>&1
		done
	) &
	FLOOD=$!
	for p in prerouting input forward output postrouting input; do
		filter_load point=$p proto=1 || { ok=0; break; }
		# Unload only once the hook has dropped some of the flood.
		wait_for bash -c '[ "$(cat /sys/module/teach_filter/parameters/dropped)" -gt 0 ]' ||
			{ echo "# $p: nothing dropped"; ok=0; }
		rmmod teach_filter || { ok=0; break; }
		cycles=$((cycles + 1))
	done
	touch "$STOP"
	wait "$FLOOD"
	FLOOD=
	echo "# $cycles load/unload cycles"
	[ $ok = 1 ] && $H1 tping -q -c 2 -i 0.2 -W 2 10.0.3.2
}
check "load and unload at every point under a flood of pings" churn
check "the kernel log has no splat" bash -c \
	"! dmesg | grep -E 'BUG:|WARNING:|Call Trace:|KASAN:|UBSAN:|refcount_t:'"

tap_end
