#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stream connections across the routed chain h1 - r1 - r2 - h2, with tcat
# at both ends: a file goes across whole (sha256 equal at both ends) on a
# clean path and through netem on both routers' middle link losing 1% and
# 5%, reordering and duplicating; the retransmission counters show that
# the losses were repaired, not missed.  Through loss and reordering at
# once, the SACK counters show the sender learning the holes from SACK
# blocks and filling them from its scoreboard; with net.teach.stream_sack
# off at one end, no SACK block moves.  With CUBIC at the sender the
# file goes through 5% loss as well.  An echo server at h2 sends it all
# back.  A connection to a port nobody has is refused; one that a router
# cannot route fails at once with the router's "network unreachable".
. "$(dirname "$0")/lib.sh"

tap_begin 20
[ -d /sys/module/teach ] || modprobe teach || exit 1

cleanup() { chain_down tst; rm -rf "$TMP"; }
trap cleanup EXIT
TMP=$(mktemp -d)

# The debug kernel is much slower: smaller files, the same checks.
if teach_debug_kernel; then KB=256; else KB=2048; fi
head -c $((KB * 1024)) /dev/urandom >"$TMP/in"
want=$(sha256sum <"$TMP/in" | cut -d' ' -f1)

ctr() { $1 awk -v n="$2" '$1 == n { print $2 }' /proc/net/teach/snmp; }

chain_up tst || { echo "# chain_up failed"; exit 1; }
for ns in "$H1" "$H2"; do
	$ns sysctl -qw net.teach.stream_msl_ms=200
	$ns sysctl -qw net.teach.stream_rto_min_ms=50
	# one segment a packet: 2 MiB are only a few dozen GSO super-packets
	# (stream.rst "Offloads"), too few for the losses the recovery checks
	# below need to be certain; stream_faults_test.sh has GSO under faults
	$ns sysctl -qw net.teach.offload=0
done
$H1 tping -q -c 1 -W 3 10.0.3.2 >/dev/null

# wait_listen NS: until NS has a listening stream socket
wait_listen() {
	local i
	for i in $(seq 1 100); do
		$1 awk 'NR > 1 && $4 == "0A" { f = 1 } END { exit !f }' \
			/proc/net/teach/stream && return 0
		sleep 0.05
	done
	return 1
}

# transfer PORT [FILE]: h1 sends the file to h2; its sha256 at h2 is the same
transfer() {
	local port=$1 in=${2:-$TMP/in} got rc want
	want=$(sha256sum <"$in" | cut -d' ' -f1)
	rm -f "$TMP/out"
	$H2 timeout 300 tcat -l -w 60 "$port" >"$TMP/out" &
	local srv=$!
	wait_listen "$H2" || { echo "# no listener"; kill $srv; return 1; }
	$H1 timeout 300 tcat -w 60 10.0.3.2 "$port" <"$in"
	rc=$?
	wait $srv
	got=$(sha256sum <"$TMP/out" | cut -d' ' -f1)
	[ $rc = 0 ] && [ "$got" = "$want" ] ||
		{ echo "# tcat exit $rc, $(wc -c <"$TMP/out") bytes, sha256 $got"; return 1; }
}

netem() {
	$R1 tc qdisc replace dev eth1 root netem "$@" &&
	$R2 tc qdisc replace dev eth0 root netem "$@"
}

check "${KB} KiB across the chain, clean path" transfer 7001

# tcat -v shows the options agreed, as ss -i does
tcat_opts() {
	$H2 timeout 60 tcat -l -w 10 7009 >/dev/null &
	local srv=$!
	wait_listen "$H2" || { kill $srv; return 1; }
	echo hello | $H1 timeout 60 tcat -v -w 10 10.0.3.2 7009 2>"$TMP/v.err"
	wait $srv
	grep -q "options ts sack wscale:[0-9]*,[0-9]*;" "$TMP/v.err" ||
		{ echo "# $(cat "$TMP/v.err")"; return 1; }
}
check "tcat -v shows ts, sack and wscale agreed" tcat_opts

r0=$(ctr "$H1" StreamRetransSegs)
netem delay 5ms loss 1%
check "${KB} KiB through 1% loss" transfer 7002
netem delay 5ms loss 5%
check "${KB} KiB through 5% loss" transfer 7003
r1=$(ctr "$H1" StreamRetransSegs)
check "losses were repaired by retransmissions ($r0 -> $r1)" test "$r1" -gt "$r0"

# CUBIC (RFC 9438) at the sender through 5% loss: whole, repaired, and
# tcat -v (TEACH_INFO) says which algorithm ran
transfer_cubic() {
	local got rc
	rm -f "$TMP/out"
	$H2 timeout 300 tcat -l -w 60 7010 >"$TMP/out" &
	local srv=$!
	wait_listen "$H2" || { echo "# no listener"; kill $srv; return 1; }
	$H1 timeout 300 tcat -v -w 60 10.0.3.2 7010 <"$TMP/in" 2>"$TMP/cubic.err"
	rc=$?
	wait $srv
	got=$(sha256sum <"$TMP/out" | cut -d' ' -f1)
	[ $rc = 0 ] && [ "$got" = "$want" ] ||
		{ echo "# tcat exit $rc, $(wc -c <"$TMP/out") bytes, sha256 $got"; return 1; }
}
netem delay 5ms loss 5%
$H1 sysctl -qw net.teach.stream_congestion_control=cubic
r0=$(ctr "$H1" StreamRetransSegs)
check "${KB} KiB through 5% loss with cubic at h1" transfer_cubic
r1=$(ctr "$H1" StreamRetransSegs)
check "cubic repaired the losses ($r0 -> $r1)" test "$r1" -gt "$r0"
check "tcat -v at h1 says cubic ran" grep -q "^tcat: congestion control cubic$" "$TMP/cubic.err"
$H1 sysctl -qw net.teach.stream_congestion_control=reno

o0=$(ctr "$H2" StreamOfoQueue)
netem delay 10ms reorder 25% 50%
check "${KB} KiB through reordering" transfer 7004
o1=$(ctr "$H2" StreamOfoQueue)
check "reordered segments waited in the out-of-order queue ($o0 -> $o1)" test "$o1" -gt "$o0"
netem delay 5ms duplicate 10%
check "${KB} KiB through duplication" transfer 7005

# SACK (RFC 2018, RFC 6675): h2 reports its out-of-order queue, h1 repairs
sack_ctrs() { echo "$(ctr "$H1" StreamSACKRecv) $(ctr "$H1" StreamSACKRecovery) $(ctr "$H1" StreamSACKRetrans)"; }
read -r s0 v0 t0 <<<"$(sack_ctrs)"
# at least 1 MiB: a window with more than one hole must come up
SKB=$((KB < 1024 ? 1024 : KB))
head -c $((SKB * 1024)) /dev/urandom >"$TMP/in_sack"
netem delay 10ms loss 3% reorder 10% 50%
# Two holes in one window are likely, not certain (the debug kernel's
# windows are small): up to three transfers, each of which must succeed,
# until one has needed NextSeg.
sack_transfers() {
	local try
	for try in 1 2 3; do
		transfer $((7010 + try)) "$TMP/in_sack" || return 1
		read -r s1 v1 t1 <<<"$(sack_ctrs)"
		[ "$t1" -gt "$t0" ] && return 0
		echo "# transfer $try with SACK needed no NextSeg retransmission"
	done
}
check "${SKB} KiB through 3% loss and reordering, with SACK" sack_transfers
check "h1 got SACK blocks ($s0 -> $s1)" test "$s1" -gt "$s0"
check "h1 ran SACK recoveries ($v0 -> $v1)" test "$v1" -gt "$v0"
check "h1 sent holes again from its scoreboard ($t0 -> $t1)" test "$t1" -gt "$t0"
$H2 sysctl -qw net.teach.stream_sack=0
check "${SKB} KiB through the same, h2 without SACK" transfer 7008 "$TMP/in_sack"
read -r s2 v2 t2 <<<"$(sack_ctrs)"
check "no SACK blocks without SACK-permitted ($s1 -> $s2)" test "$s2" = "$s1"
$H2 sysctl -qw net.teach.stream_sack=1

# echo: all of it comes back, through 1% loss both ways
netem delay 5ms loss 1%
echo_back() {
	rm -f "$TMP/back"
	$H2 timeout 300 tcat -l -e -w 60 7006 &
	local srv=$!
	wait_listen "$H2" || { kill $srv; return 1; }
	$H1 timeout 300 tcat -w 60 10.0.3.2 7006 <"$TMP/in" >"$TMP/back"
	wait $srv
	[ "$(sha256sum <"$TMP/back" | cut -d' ' -f1)" = "$want" ] && return 0
	echo "# $(wc -c <"$TMP/back") bytes back"
	for ns in "$H1" "$H2"; do
		echo "# $($ns awk '/^Stream(Timeouts|PAWSDrops|SACKReneging|SACKSkipped|RcvQDrops|OfoDrops|BacklogDrops|ZeroWndProbes)/ { printf "%s %s ", $1, $2 }' /proc/net/teach/snmp)"
	done
	return 1
}
check "${KB} KiB echoed back by h2 intact" echo_back
$R1 tc qdisc del dev eth1 root
$R2 tc qdisc del dev eth0 root

fails_refused() { echo "$1" | grep -q "Connection refused"; }
out=$($H1 tcat 10.0.3.2 7999 </dev/null 2>&1)
check "a port nobody has refuses" fails_refused "$out"

# r1 has no route to 10.0.9.0/24: its control message ends the SYN_SENT
unreach() {
	local t0=$(date +%s) out
	out=$($H1 timeout 20 tcat 10.0.9.9 7000 </dev/null 2>&1)
	echo "$out" | grep -q "unreachable" && [ $(($(date +%s) - t0)) -lt 5 ] ||
		{ echo "# $out"; return 1; }
}
check "no route at r1: connect fails with its unreachable" unreach

tap_end
