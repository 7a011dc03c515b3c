#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stream transport's fault matrix: 16 MiB (1 MiB on the debug kernel)
# from h1 to h2 across the routed chain, once per fault that netem puts on
# the middle link (r1 eth1, the data's direction): loss of 1%, 5% and 20%,
# reordering, duplication, corruption, delay with jitter, and a rate limit
# with a short queue.  Each must arrive whole (sha256 equal at both ends)
# within a bounded time, and the counters must show that the fault
# happened and was repaired: retransmissions for loss, out-of-order
# segments for reordering, old duplicates for duplication, checksum drops
# for corruption.  The time each took is printed.
. "$(dirname "$0")/lib.sh"

tap_begin 9
[ -d /sys/module/teach ] || modprobe teach || exit 1

cleanup() { chain_down tsf; rm -rf "$TMP"; }
trap cleanup EXIT
TMP=$(mktemp -d)

# The debug kernel is much slower: less data, the same checks.
# The rate limit sits below what each kernel moves, or no queue builds.
if teach_debug_kernel; then MB=1 RATE=1mbit; else MB=16 RATE=20mbit; fi
# The bound on each transfer: generous, so that a slow machine is not a
# failure, but a stall (a lost retransmission nobody repairs) is.
LIMIT=${TEACH_FAULT_LIMIT:-400}
head -c $((MB << 20)) /dev/urandom >"$TMP/in"
want=$(sha256sum <"$TMP/in" | cut -d' ' -f1)

ctr() { $1 awk -v n="$2" '$1 == n { print $2 }' /proc/net/teach/snmp; }

chain_up tsf || { echo "# chain_up failed"; exit 1; }
for ns in "$H1" "$H2"; do
	$ns sysctl -qw net.teach.stream_msl_ms=200
	$ns sysctl -qw net.teach.stream_rto_min_ms=50
	# the matrix: one segment a packet, so that every fault meets
	# thousands of them; GSO super-packets have rows of their own below
	$ns sysctl -qw net.teach.offload=0
done
$H1 tping -q -c 1 -W 3 10.0.3.2 >/dev/null

wait_listen() {
	local i
	for i in $(seq 1 100); do
		$H2 awk 'NR > 1 && $4 == "0A" { f = 1 } END { exit !f }' \
			/proc/net/teach/stream && return 0
		sleep 0.05
	done
	return 1
}

# fault NAME COUNTER NETEM...: the file across through "tc qdisc ... NETEM"
# on r1's eth1; COUNTER (at h1, h2 or r1, "ns:name"; "-" for none) must grow.
port=9100
fault() {
	local name=$1 counter=$2 ns cname before after t0 t rc got
	shift 2
	port=$((port + 1))
	ns=${counter%%:*} cname=${counter#*:}
	case $ns in h1) ns=$H1 ;; h2) ns=$H2 ;; r1) ns=$R1 ;; esac
	[ "$counter" = - ] || before=$(ctr "$ns" "$cname")
	$R1 tc qdisc replace dev eth1 root "$@" || { fail "$name: tc $*"; return; }
	rm -f "$TMP/out"
	# no -w for the listener: its input is empty, so -w would be its
	# whole time; the timeout is the bound
	$H2 timeout "$LIMIT" tcat -l "$port" >"$TMP/out" </dev/null &
	local srv=$!
	wait_listen || { fail "$name: no listener"; kill $srv; return; }
	t0=$EPOCHREALTIME
	$H1 timeout "$LIMIT" tcat -w "$LIMIT" 10.0.3.2 "$port" <"$TMP/in"
	rc=$?
	wait $srv || rc=$?
	t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	$R1 tc qdisc del dev eth1 root
	got=$(sha256sum <"$TMP/out" | cut -d' ' -f1)
	[ "$counter" = - ] || after=$(ctr "$ns" "$cname")
	echo "# $name: $MB MiB in $t s (tcat exit $rc)${before:+, $cname $before -> $after}"
	if [ $rc != 0 ] || [ "$got" != "$want" ]; then
		fail "$name: $MB MiB arrive whole within $LIMIT s"
		echo "# got $(stat -c %s "$TMP/out") bytes"
		$H1 teach -i sock type stream | sed 's/^/# h1: /'
		$H2 teach -i sock type stream | sed 's/^/# h2: /'
	elif [ "$counter" != - ] && ! [ "$after" -gt "$before" ]; then
		fail "$name: $MB MiB arrive whole, and $cname moved"
	else
		pass "$name: $MB MiB arrive whole within $LIMIT s${before:+, $cname moved}"
	fi
}

fault "loss 1%" h1:StreamRetransSegs netem loss 1%
fault "loss 5%" h1:StreamRetransSegs netem loss 5%
fault "loss 20%" h1:StreamRetransSegs netem loss 20%
fault "reordering" h2:StreamOfoQueue netem delay 4ms reorder 75% 50%
fault "duplication" h2:StreamDupData netem duplicate 10%
# a flipped bit in the network header is InHdrErrors, in the segment a
# checksum error; both are losses the sender then repairs
fault "corruption" h1:StreamRetransSegs netem corrupt 2%
fault "delay and jitter" - netem delay 20ms 10ms
fault "rate limit" h1:StreamRetransSegs netem rate $RATE limit 30
# r2 checks the network header, h2 the segment's end-to-end checksum
caught=$(( $(ctr "$R2" InHdrErrors) + $(ctr "$H2" StreamInCsumErrors) ))
echo "# corrupted packets caught: r2 InHdrErrors $(ctr "$R2" InHdrErrors), h2 StreamInCsumErrors $(ctr "$H2" StreamInCsumErrors)"
check "corruption was caught by the checksums" test "$caught" -gt 0

# GSO (stream.rst "Offloads"): super-packets from h1 through the routers,
# whole over each veth; through loss, and through a token bucket whose
# burst is one segment, so that r1 must cut every one of them into
# segments (teach_gso_segment()), each with checksums h2 must find right
$H1 sysctl -qw net.teach.offload=1
$H2 sysctl -qw net.teach.offload=1
fault "GSO, loss 5%" h1:StreamGSOSent netem loss 5%
csum0=$(ctr "$H2" StreamInCsumErrors)
fault "GSO, cut by r1 for a 3000-byte burst" r1:GSOSegmented \
	tbf rate $RATE burst 3000 limit 200000
check "the segments r1 cut had right checksums" \
	test "$(ctr "$H2" StreamInCsumErrors)" = "$csum0"
tap_end
