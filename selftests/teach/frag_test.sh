#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fragmentation, path-MTU discovery and reassembly.
#
# On the routed chain h1 - r1 - r2 - h2 with a 576-byte middle link: a
# router fragments what does not fit, or answers "fragmentation needed"
# when don't-fragment is set; the sender learns the path MTU, fragments
# at the source from then on, and forgets it when it ages out; fragments
# that a netem link reorders and duplicates still reassemble.
#
# On a plain veth pair, with hand-made fragments (./inject): duplicates,
# overlaps, bad lengths, a reassembly that times out, and a flood of
# fragments that never complete, which must stay within
# net.teach.reasm_high_thresh while real packets still get through.
. "$(dirname "$0")/lib.sh"

tap_begin 19
[ -d /sys/module/teach ] || modprobe teach || exit 1

A="ip netns exec tfr-a" B="ip netns exec tfr-b"
cleanup() {
	ip netns del tfr-a 2>/dev/null
	ip netns del tfr-b 2>/dev/null
	chain_down tfr
}
trap cleanup EXIT
cleanup

# stat NS NAME: a counter of namespace NS ("$H1" etc.)
stat() { $1 awk -v n="$2" '$1 == n { print $2 }' /proc/net/teach/snmp; }
# grew NAME BEFORE AFTER [MIN]: AFTER - BEFORE >= MIN (default 1)
grew() {
	local d=$(($3 - $2))
	[ "$d" -ge "${4:-1}" ] || { echo "# $1 grew by $d, want >= ${4:-1}"; return 1; }
}
same() { [ "$2" = "$3" ] || { echo "# $1 moved: $2 -> $3"; return 1; }; }
received() { # received N OUTPUT: tping's summary says N received
	echo "$2" | grep -q " $1 received" || { echo "$2" | sed 's/^/# /'; return 1; }
}

chain_up tfr 576 || { echo "# chain_up failed"; exit 1; }
# Neighbours resolved first, so that nothing below waits on resolution.
$H1 tping -q -c 1 -W 3 10.0.3.2 >/dev/null

# --- a router fragments --------------------------------------------------
r1ok=$(stat "$R1" FragOKs) r1cr=$(stat "$R1" FragCreates)
r2ok=$(stat "$R2" FragOKs) h2re=$(stat "$H2" ReasmOKs) h1re=$(stat "$H1" ReasmOKs)
out=$($H1 tping -c 3 -i 0.2 -W 3 -s 1400 -M dont 10.0.3.2)
check "1,428-byte requests without DF cross the 576-byte link" received 3 "$out"
t_r1_cuts() {
	grew FragOKs "$r1ok" "$(stat "$R1" FragOKs)" 3 &&
	grew FragCreates "$r1cr" "$(stat "$R1" FragCreates)" 9
}
check "r1 cut each request into three" t_r1_cuts
t_reasm() {
	grew "h2 ReasmOKs" "$h2re" "$(stat "$H2" ReasmOKs)" 3 &&
	grew "r2 FragOKs" "$r2ok" "$(stat "$R2" FragOKs)" 3 &&
	grew "h1 ReasmOKs" "$h1re" "$(stat "$H1" ReasmOKs)" 3
}
check "h2 reassembled the requests, r2 fragmented the replies, h1 reassembled them" t_reasm

# --- path-MTU discovery --------------------------------------------------
r1ff=$(stat "$R1" FragFails) r1un=$(stat "$R1" CtrlOutDestUnreachs)
h1pu=$(stat "$H1" PmtuUpdates)
out=$($H1 tping -c 1 -W 3 -s 1400 -M do 10.0.3.2 2>&1)
t_frag_needed() {
	echo "$out" | grep -q 'From 10.0.1.2.*Frag needed.*mtu = 576' ||
		{ echo "$out" | sed 's/^/# /'; return 1; }
	grew FragFails "$r1ff" "$(stat "$R1" FragFails)" &&
	grew CtrlOutDestUnreachs "$r1un" "$(stat "$R1" CtrlOutDestUnreachs)"
}
check "with DF, r1 answers fragmentation needed with its next-hop MTU" t_frag_needed
t_learned() {
	local rt
	rt=$($H1 teach route get 10.0.3.2)
	echo "# $rt"
	echo "$rt" | grep -q 'mtu 576' && echo "$rt" | grep -q 'cache expires' &&
	$H1 awk '$1 == "10.0.3.2" && $2 == 576 { f = 1 } END { exit !f }' \
		/proc/net/teach/pmtu &&
	grew PmtuUpdates "$h1pu" "$(stat "$H1" PmtuUpdates)"
}
check "h1 learned the path MTU: route get and /proc/net/teach/pmtu show 576" t_learned
check "now DF and too big for the path fail at the source with EMSGSIZE" \
	fails_with "message too long" $H1 tping -c 1 -W 2 -s 1400 -M do 10.0.3.2
h1ok=$(stat "$H1" FragOKs) r1ok=$(stat "$R1" FragOKs)
out=$($H1 tping -c 2 -i 0.2 -W 3 -s 1400 10.0.3.2)
t_source_frag() {
	received 2 "$out" && grew "h1 FragOKs" "$h1ok" "$(stat "$H1" FragOKs)" 2 &&
	same "r1 FragOKs" "$r1ok" "$(stat "$R1" FragOKs)"
}
check "by default h1 now fragments at the source and r1 need not" t_source_frag
$H2 sysctl -qw net.teach.pmtu_expires_s=2
h2pu=$(stat "$H2" PmtuUpdates)
$H2 tping -q -c 1 -W 3 -s 1400 -M do 10.0.1.1 >/dev/null 2>&1
# Learning is seen in the counter: on a slow kernel two seconds may pass
# before a route get could look.
t_ages_out() {
	grew "h2 PmtuUpdates" "$h2pu" "$(stat "$H2" PmtuUpdates)" || return 1
	sleep 3
	! $H2 teach route get 10.0.1.1 | grep -q 'mtu 576' &&
	[ "$($H2 awk 'NR > 1' /proc/net/teach/pmtu | wc -l)" = 0 ]
}
check "h2 learned 576 too, and forgets it after pmtu_expires_s" t_ages_out

out=$($H1 tping -c 1 -W 10 -s 60000 -M dont 10.0.3.2)
check "a 60,028-byte request, fragmented by h1 and again by r1, comes back" \
	received 1 "$out"

# --- reordering and duplication ------------------------------------------
$R1 tc qdisc add dev eth1 root netem delay 10ms reorder 30% 50% duplicate 10%
$R2 tc qdisc add dev eth0 root netem delay 10ms reorder 30% 50% duplicate 10%
h2dup=$(stat "$H2" ReasmDuplicates) h2ovl=$(stat "$H2" ReasmOverlaps)
NNETEM=20
teach_debug_kernel && NNETEM=10
out=$($H1 tping -c $NNETEM -i 0.05 -W 5 -s 4000 -M dont 10.0.3.2)
check "fragments reordered and duplicated by netem reassemble: $NNETEM of $NNETEM" \
	received $NNETEM "$out"
t_dups() {
	grew ReasmDuplicates "$h2dup" "$(stat "$H2" ReasmDuplicates)" &&
	same ReasmOverlaps "$h2ovl" "$(stat "$H2" ReasmOverlaps)"
}
check "the duplicates were dropped as such, none taken for overlaps" t_dups
chain_down tfr

# --- hand-made fragments on a veth pair ----------------------------------
ip netns add tfr-a && ip netns add tfr-b
ip link add va netns tfr-a type veth peer name vb netns tfr-b
$A ip link set va up; $B ip link set vb up
$A teach addr add 10.9.0.1/24 dev va
$B teach addr add 10.9.0.2/24 dev vb
$A teach neigh add 10.9.0.2 lladdr "$($B cat /sys/class/net/vb/address)" dev va
$B teach neigh add 10.9.0.1 lladdr "$($A cat /sys/class/net/va/address)" dev vb
BMAC=$($B cat /sys/class/net/vb/address)
inj() { $A ./inject va "$BMAC" net src=10.9.0.1 dst=10.9.0.2 "$@"; }

# Fragmentation needed quoting a packet from SRC to DST: frag_needed SRC DST
# (inject's control header carries 1 where the MTU goes).
frag_needed() {
	local q
	q=150005dc0000400040010000$(printf '%02x' ${1//./ })$(printf '%02x' ${2//./ })
	inj proto=1 ctrl=3 code=4 payload="${q}0800000000000000"
}
frag_needed 10.9.0.2 10.9.0.99
frag_needed 10.9.0.77 10.9.0.98
t_believed() {
	# believed, at the 68-byte minimum, not the 1 it said
	$B awk '$1 == "10.9.0.99" && $2 == 68 { f = 1 } END { exit !f }' \
		/proc/net/teach/pmtu || { $B cat /proc/net/teach/pmtu | sed 's/^/# /'; return 1; }
	! $B grep -q '^10.9.0.98 ' /proc/net/teach/pmtu
}
check "a report about our own packet is believed (at min_pmtu), a stranger's is not" t_believed

dup=$(stat "$B" ReasmDuplicates) ok=$(stat "$B" ReasmOKs)
inj proto=99 id=7000 frag=0x2000 data=16 count=2 && inj proto=99 id=7000 frag=2 data=8
t_dup_completes() {
	grew ReasmDuplicates "$dup" "$(stat "$B" ReasmDuplicates)" &&
	grew ReasmOKs "$ok" "$(stat "$B" ReasmOKs)"
}
check "a duplicate fragment is dropped and the packet still completes" t_dup_completes

ovl=$(stat "$B" ReasmOverlaps) fails=$(stat "$B" ReasmFails)
inj proto=99 id=7001 frag=0x2000 data=16 && inj proto=99 id=7001 frag=0x2001 data=16
t_overlap() {
	grew ReasmOverlaps "$ovl" "$(stat "$B" ReasmOverlaps)" &&
	grew ReasmFails "$fails" "$(stat "$B" ReasmFails)"
}
check "overlapping fragments give the packet up" t_overlap

hdr=$(stat "$B" InHdrErrors)
inj proto=99 id=7002 frag=0x2000 data=12
t_badlen() { grew InHdrErrors "$hdr" "$(stat "$B" InHdrErrors)"; }
check "a fragment that is not the last and not a multiple of 8 is a header error" t_badlen

$B sysctl -qw net.teach.reasm_timeout_ms=300
tmo=$(stat "$B" ReasmTimeout) tx=$(stat "$B" CtrlOutTimeExcds) rx=$(stat "$A" CtrlInTimeExcds)
inj proto=99 id=7003 frag=0x2000 data=64
sleep 1
t_timeout() {
	grew ReasmTimeout "$tmo" "$(stat "$B" ReasmTimeout)" &&
	grew CtrlOutTimeExcds "$tx" "$(stat "$B" CtrlOutTimeExcds)" &&
	grew CtrlInTimeExcds "$rx" "$(stat "$A" CtrlInTimeExcds)"
}
check "an incomplete packet times out and its sender hears time exceeded" t_timeout
$B sysctl -qw net.teach.reasm_timeout_ms=30000

# Non-first fragments (offset 8), so that no time exceeded answers them.
$B sysctl -qw net.teach.reasm_high_thresh=262144 net.teach.reasm_low_thresh=196608
ev=$(stat "$B" ReasmEvictions)
# about 2.3 KiB each: four to ten times the threshold
NFLOOD=3000
teach_debug_kernel && NFLOOD=400
inj proto=99 id=1 idstep=1 frag=0x2001 data=1000 count=$NFLOOD
t_bounded() {
	local mem inuse
	mem=$($B awk '$1 == "memory" { print $2 }' /proc/net/teach/frag)
	inuse=$($B awk '$1 == "inuse" { print $2 }' /proc/net/teach/frag)
	echo "# after $NFLOOD incomplete packets: $inuse queues, $mem bytes"
	[ "$mem" -le 262144 ] && [ "$inuse" -gt 0 ] && [ "$inuse" -lt $NFLOOD ] &&
	grew ReasmEvictions "$ev" "$(stat "$B" ReasmEvictions)" 100
}
check "a flood of fragments that never complete stays under reasm_high_thresh" t_bounded
out=$($A tping -c 3 -i 0.2 -W 3 -s 3000 -M dont 10.9.0.2)
check "real fragmented packets still get through the flood" received 3 "$out"

# Queues and their timers are still waiting in tfr-b: it must go cleanly.
cleanup
t_unload() { teach_unload && modprobe teach; }
check "namespaces with reassembly queues go away; the module unloads" t_unload

tap_end
