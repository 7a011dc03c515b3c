#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifecycle torture: cycles of insmod, configure (an address, a route),
# traffic (a ping, a stream) and rmmod, with rmmod refused while a socket
# is open and working right after it closes; namespaces created, used and
# destroyed in batches with live connections, routes and neighbours inside,
# and nothing left behind (the module's references and its slabs come
# back, rmmod works); then transfers across the routed chain while the
# MTU changes under them, while a route flaps, with tiny socket buffers,
# and while a device they use is unregistered, each bounded in time.
. "$(dirname "$0")/lib.sh"

tap_begin 10
teach_unload
TMP=$(mktemp -d)
cleanup() {
	local n
	for n in $(ip netns list 2>/dev/null | awk '/^tt-/ { print $1 }'); do
		ip netns del "$n"
	done
	chain_down tt
	rm -rf "$TMP"
}
trap cleanup EXIT

# The issue asks for 200 cycles and 200 namespaces.  Under TCG a cycle
# costs 2.5 to 5 s and a namespace 2.5 to 4 s on the stock kernel (it
# forks a dozen programs; measured on a loaded host), so 200 of each is
# 20 to 30 minutes: make check runs a few, the debug kernel fewer, and
# the test says how many; TEACH_CYCLES=200 TEACH_NAMESPACES=200 runs all.
if teach_debug_kernel; then
	CYCLES=${TEACH_CYCLES:-3} NNS=${TEACH_NAMESPACES:-5} KB=128
else
	CYCLES=${TEACH_CYCLES:-5} NNS=${TEACH_NAMESPACES:-10} KB=512
fi
echo "# $CYCLES load cycles, $NNS namespaces, ${KB} KiB transfers"
head -c 4096 /dev/urandom >"$TMP/small"
head -c $((KB * 1024)) /dev/urandom >"$TMP/in"
# 2 KiB buffers move about 10 KiB/s under TCG: a smaller file for those
head -c 65536 /dev/urandom >"$TMP/in64"

# listening NS PORT: until NS has a listener on PORT (hex in /proc)
listening() {
	local i hex
	hex=$(printf '%04X' "$2")
	for i in $(seq 1 200); do
		$1 awk -v p=":$hex" 'NR > 1 && $4 == "0A" && index($2, p) { f = 1 }
			END { exit !f }' /proc/net/teach/stream && return 0
		sleep 0.02
	done
	return 1
}

# rmmod, retried for up to 10 s: a closed socket may wait out an RCU
# grace period before it lets go of the module.  Sets $waited (0.1 s).
unload_soon() {
	waited=0
	while ! rmmod teach 2>/dev/null; do
		waited=$((waited + 1))
		[ $waited -ge 100 ] && return 1
		sleep 0.1
	done
}

# ---- 1, 2: load, configure, use, unload ----
ip netns add tt-c && ip -n tt-c link set lo up &&
	ip -n tt-c link add d0 type dummy && ip -n tt-c link set d0 up || exit 1
C="ip netns exec tt-c"
# One "ip netns exec" a cycle (each costs a mount namespace and a sysfs):
# the namespace outlived the module, its state is made afresh; an address,
# a route, a ping, a stream that must carry 4 KiB unchanged; then a
# datagram socket left open in a process of its own.
cat >"$TMP/cycle.sh" <<EOF
set -e
sysctl -qw net.teach.stream_max_tw=0
teach addr add 10.0.0.1/24 dev d0
teach route add 10.9.0.0/16 via 10.0.0.2 dev d0
tping -q -c 1 -W 2 10.0.0.1 >/dev/null
tcat -l 7000 >$TMP/c.out &
srv=\$!
for i in \$(seq 1 200); do
	awk 'NR > 1 && \$4 == "0A" { f = 1 } END { exit !f }' /proc/net/teach/stream && break
	sleep 0.02
done
tcat 10.0.0.1 7000 <$TMP/small
wait \$srv
cmp -s $TMP/small $TMP/c.out
tcat -u -l -w 30 7001 >/dev/null </dev/null &
echo \$! >$TMP/hold
for i in \$(seq 1 100); do
	awk 'NR > 1 { f = 1 } END { exit !f }' /proc/net/teach/dgram && exit 0
	sleep 0.02
done
exit 1
EOF
busy_ok=0 maxwait=0 t0=$(date +%s)
cycle() {
	local out
	insmod "$TEACH_KO" || { echo "# insmod failed"; return 1; }
	$C bash "$TMP/cycle.sh" || { echo "# configuring or traffic failed"; return 1; }
	out=$(rmmod teach 2>&1) && { echo "# rmmod worked with a socket open"; return 1; }
	case $out in
	*"in use"*) busy_ok=$((busy_ok + 1)) ;;
	*) echo "# rmmod said '$out'"; return 1 ;;
	esac
	kill "$(cat "$TMP/hold")"
	while kill -0 "$(cat "$TMP/hold")" 2>/dev/null; do sleep 0.01; done
	unload_soon || { echo "# rmmod refused 10 s after the last socket closed"; return 1; }
	[ $waited -gt $maxwait ] && maxwait=$waited
	return 0
}
cycles() {
	local i
	for i in $(seq 1 "$CYCLES"); do
		cycle || { echo "# cycle $i failed"; return 1; }
	done
	echo "# $CYCLES cycles in $(($(date +%s) - t0)) s; rmmod refused (EBUSY) $busy_ok times, the longest wait after close $((maxwait * 100)) ms"
}
check "$CYCLES cycles of insmod, configure, traffic, rmmod" cycles
check "rmmod was refused in each cycle while a socket was open" [ "$busy_ok" = "$CYCLES" ]
ip netns del tt-c

# ---- 3, 4: namespaces with live connections, in batches ----
insmod "$TEACH_KO" || exit 1
ref0=$(cat /sys/module/teach/refcnt)
# a namespace with an address, a route, a neighbour and a stream over
# loopback carrying data both ways, both ends left running; one exec
cat >"$TMP/ns.sh" <<EOF
set -e
ip link set lo up
ip link add d0 type dummy
ip link set d0 up
teach addr add 10.1.0.1/24 dev d0
teach route add 10.2.0.0/16 via 10.1.0.2 dev d0
teach neigh add 10.1.0.2 lladdr 02:00:00:00:00:02 dev d0 nud permanent
# the end that closes first waits 2 MSL in TIME_WAIT, holding the module
sysctl -qw net.teach.stream_msl_ms=100
# 64 KiB each way, then idle: forty busy senders would starve TCG
(head -c 65536 /dev/zero; sleep 1000) | tcat -l 7000 >/dev/null 2>&1 &
for i in \$(seq 1 200); do
	awk 'NR > 1 && \$4 == "0A" { f = 1 } END { exit !f }' /proc/net/teach/stream && break
	sleep 0.02
done
(head -c 65536 /dev/zero; sleep 1000) | tcat 10.1.0.1 7000 >/dev/null 2>&1 &
EOF
ns_one() { # NAME
	ip netns add "$1" && ip netns exec "$1" bash "$TMP/ns.sh"
}
namespaces() {
	local i n t0 batch=5 done=0
	t0=$(date +%s)
	while [ $done -lt "$NNS" ]; do
		for i in $(seq 1 $batch); do
			[ $((done + i)) -gt "$NNS" ] && break
			ns_one "tt-n$((done + i))" || { echo "# namespace $((done + i)) failed"; return 1; }
		done
		sleep 0.3
		# every connection is there, established, moving data
		for i in $(seq 1 $batch); do
			n=tt-n$((done + i))
			[ -e "/var/run/netns/$n" ] || break
			ip netns exec "$n" awk 'NR > 1 && $4 == "01" { e++ } END { exit e != 2 }' \
				/proc/net/teach/stream ||
				{ echo "# $n: no live connection"; ip netns exec "$n" cat /proc/net/teach/stream; return 1; }
		done
		# everything in them killed, and the namespaces deleted at once
		for i in $(seq 1 $batch); do
			[ $((done + i)) -gt "$NNS" ] && break
			n=tt-n$((done + i))
			kill -9 $(ip netns pids "$n") 2>/dev/null
			ip netns del "$n"
		done
		wait 2>/dev/null
		done=$((done + batch))
	done
	echo "# $NNS namespaces in $(($(date +%s) - t0)) s"
}
check "$NNS namespaces created, used and destroyed with live connections inside" namespaces
# Every socket holds a reference to the module; rmmod destroys the socket
# caches, and kmem_cache_destroy() warns (a splat: the run fails) about
# any object still in one.
back() {
	local i
	# the namespaces' cleanup runs in a workqueue; give it 30 s
	for i in $(seq 1 150); do
		[ "$(cat /sys/module/teach/refcnt)" = "$ref0" ] && break
		sleep 0.2
	done
	echo "# refcnt $(cat /sys/module/teach/refcnt) (was $ref0) after $((i / 5)) s"
	[ "$(cat /sys/module/teach/refcnt)" = "$ref0" ] && unload_soon
}
check "the module's references come back and rmmod (its slabs destroyed) works" back

# ---- 5-10: transfers that the network changes under ----
teach_loaded || insmod "$TEACH_KO" || exit 1
chain_up tt || { echo "# chain_up failed"; exit 1; }
for ns in "$H1" "$H2"; do
	$ns sysctl -qw net.teach.stream_msl_ms=200 net.teach.stream_rto_min_ms=50 \
		net.teach.stream_rto_max_ms=1000
done
$H1 tping -q -c 1 -W 3 10.0.3.2 >/dev/null
want=$(sha256sum <"$TMP/in" | cut -d' ' -f1)

# transfer PORT LIMIT [CLIENT-OPTS]: h1 sends the file to h2 within LIMIT
# seconds while "disturb" (if set) runs; the sha256 must be the same
transfer() {
	local port=$1 limit=$2 srv dist=0 got t0 rc
	rm -f "$TMP/out"
	$H2 timeout "$limit" tcat -l -w 30 "$port" >"$TMP/out" &
	srv=$!
	listening "$H2" "$port" || { echo "# no listener"; kill $srv; return 1; }
	[ -n "$DISTURB" ] && { $DISTURB & dist=$!; }
	t0=$(date +%s)
	$H1 timeout "$limit" tcat -w 30 10.0.3.2 "$port" <"$TMP/in"
	rc=$?
	wait $srv
	[ $dist != 0 ] && { kill $dist; wait $dist 2>/dev/null; }
	got=$(sha256sum <"$TMP/out" | cut -d' ' -f1)
	echo "# port $port: $(($(date +%s) - t0)) s, exit $rc, $(stat -c %s "$TMP/out") bytes"
	[ $rc = 0 ] && [ "$got" = "$want" ]
}

mtu_flap() {
	while :; do
		for m in 576 1500 1000 1500; do
			$R1 ip link set eth1 mtu $m; $R2 ip link set eth0 mtu $m
			$H1 ip link set eth0 mtu $m
			sleep 0.3
		done
	done
}
DISTURB=mtu_flap check "a transfer while the MTUs change under it" transfer 7101 120
$R1 ip link set eth1 mtu 1500; $R2 ip link set eth0 mtu 1500; $H1 ip link set eth0 mtu 1500

route_flap() {
	# flap an established connection's route: a SYN that meets the gap
	# gets net unreachable and the connect fails, as TCP's does
	until $H1 awk 'NR > 1 && $4 == "01" { f = 1 } END { exit !f }' \
		/proc/net/teach/stream; do
		sleep 0.05
	done
	while :; do
		$R1 teach route del 10.0.3.0/24 via 10.0.2.2 dev eth1
		sleep 0.2
		$R1 teach route add 10.0.3.0/24 via 10.0.2.2 dev eth1
		sleep 0.3
	done
}
DISTURB=route_flap check "a transfer while r1's route to h2 flaps" transfer 7102 120
$R1 teach route replace 10.0.3.0/24 via 10.0.2.2 dev eth1 2>/dev/null ||
	$R1 teach route add 10.0.3.0/24 via 10.0.2.2 dev eth1 2>/dev/null

# socat's generic sockets with tiny buffers: SOL_SOCKET SO_SNDBUF/SO_RCVBUF
small_bufs() {
	local port=7103 srv got t0
	rm -f "$TMP/out"
	$H2 timeout 120 socat -u SOCKET-LISTEN:12:6:x1bbfx00000000x0000000000000000,rcvbuf=2048 \
		CREATE:"$TMP/out" &
	srv=$!
	listening "$H2" $port || { echo "# no listener"; kill $srv; return 1; }
	t0=$(date +%s)
	$H1 timeout 120 socat -u -b 512 OPEN:"$TMP/in64" \
		SOCKET-CONNECT:12:6:x1bbfx0a000302x0000000000000000,sndbuf=2048 || return 1
	wait $srv
	got=$(sha256sum <"$TMP/out" | cut -d' ' -f1)
	echo "# 2 KiB buffers at both ends: $(($(date +%s) - t0)) s, $(stat -c %s "$TMP/out") bytes"
	[ "$got" = "$(sha256sum <"$TMP/in64" | cut -d' ' -f1)" ]
}
check "64 KiB through 2 KiB socket buffers at both ends" small_bufs

# h1's own device goes in the middle: the sender gives up in bounded time
# and the device is freed (no "waiting for eth0 to become free")
dev_gone() {
	local srv cli t0 i
	$H1 sysctl -qw net.teach.stream_retries=3
	$H2 tcat -l -w 5 7104 >/dev/null &
	srv=$!
	listening "$H2" 7104 || return 1
	$H1 tcat -w 5 10.0.3.2 7104 </dev/zero &
	cli=$!
	sleep 1
	t0=$(date +%s)
	$H1 ip link del eth0 || return 1
	for i in $(seq 1 300); do
		kill -0 $cli 2>/dev/null || break
		sleep 0.1
	done
	kill -0 $cli 2>/dev/null && { echo "# the sender still runs 30 s after its device went"; kill $cli; return 1; }
	wait $cli
	i=$?
	echo "# the sender ended $(($(date +%s) - t0)) s after its device went (exit $i)"
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	return 0
}
check "a device unregistered under a transfer: the sender ends, the device goes" dev_gone
ends_clean() {
	chain_down tt
	teach_unload
}
check "after it all the module unloads" ends_clean
check "no device is left waiting to be freed" bash -c "! dmesg | grep -q 'waiting for .* to become free'"
tap_end
