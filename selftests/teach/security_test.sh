#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The security boundaries of Documentation/security.rst, each checked
# from the side of who would cross it.
#
# Privileges: nobody (uid 65534, no capabilities) and root of a user
# namespace that does not own the network namespace cannot add or delete
# addresses, routes or neighbours (the generic netlink family answers
# EPERM) nor write net.teach sysctls (EACCES); a raw socket needs
# CAP_NET_RAW and a port below 1024 CAP_NET_BIND_SERVICE.  Each refusal
# has its positive control: the one capability alone is enough, and in a
# network namespace of its own the user namespace's root may do it all.
# Reading (addresses, routes, neighbours, counters, sysctls) still works,
# and nothing the refused calls tried changed anything.
#
# Blind injection (RFC 5961): hosts a and b on a bridge hold a connection
# with a file half sent; x, a third host on the same bridge but off the
# path (the bridge has learnt where a and b are), knows the 4-tuple but
# not the sequence numbers.  It sweeps the whole sequence space with
# RSTs, one a receive window apart, at both ends (the attack that resets a
# connection without RFC 5961), sends SYNs and data with guessed numbers,
# and each kind of guess moves its counter; then the rest of the file goes
# across and arrives whole (sha256), and neither end was reset.  Every
# challenge ACK is accounted for, sent or over stream_challenge_ack_limit.
. "$(dirname "$0")/lib.sh"

tap_begin 32
[ -d /sys/module/teach ] || modprobe teach || exit 1
modprobe dummy 2>/dev/null

NS="sec-a sec-b sec-x sec-sw"
cleanup() {
	local n
	[ -n "${CLIENT:-}" ] && kill "$CLIENT" 2>/dev/null
	[ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null
	exec 3>&- 4>&- 2>/dev/null
	for n in $NS; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
TMP=$(mktemp -d)
chmod 755 "$TMP"
for n in $NS; do ip netns del "$n" 2>/dev/null; done

# a 10.0.5.1, b 10.0.5.2 and x 10.0.5.3 on one bridge
ip netns add sec-sw && ip -n sec-sw link add br0 type bridge &&
	ip -n sec-sw link set br0 up || exit 1
i=1
for n in a b x; do
	ip netns add "sec-$n" && ip -n "sec-$n" link set lo up &&
	ip link add eth0 netns "sec-$n" type veth peer name "p$n" netns sec-sw &&
	ip -n sec-sw link set "p$n" master br0 up &&
	ip -n "sec-$n" link set eth0 up &&
	ip netns exec "sec-$n" teach addr add "10.0.5.$i/24" dev eth0 || exit 1
	i=$((i + 1))
done
A="ip netns exec sec-a" B="ip netns exec sec-b" X="ip netns exec sec-x"
mac() { ip -n "$1" -br link show eth0 | awk '{ print $3 }'; }
ctr() { $1 awk -v n="$2" '$1 == n { print $2 }' /proc/net/teach/snmp; }

# ---- privileges, in b's namespace (the initial user namespace owns it) ----

HERE=$(cd "$(dirname "$0")" && pwd)
# what b's configuration is, to compare with after every refused change
config() {
	$B teach addr show; $B teach route show; $B teach neigh show
	$B sh -c 'cd /proc/sys/net/teach && grep -r . default_ttl stream_challenge_ack_limit conf'
}
config >"$TMP/config.before"
# nsenter is much cheaper than ip netns exec on the debug kernel
BN="nsenter --net=/run/netns/sec-b"
NOBODY="$BN $HERE/privrun -u 65534"
USERNS="$BN $HERE/privrun -u 65534 -U"
EPERM="Operation not permitted" EACCES="Permission denied"

for who in NOBODY USERNS; do
	run=${!who}
	check "$who: address add refused (EPERM)" \
		fails_with "$EPERM" $run exec teach addr add 10.0.5.9/24 dev eth0
	check "$who: address del refused (EPERM)" \
		fails_with "$EPERM" $run exec teach addr del 10.0.5.2/24 dev eth0
	check "$who: route add refused (EPERM)" \
		fails_with "$EPERM" $run exec teach route add 10.9.0.0/16 via 10.0.5.1 dev eth0
	check "$who: neighbour add and flush refused (EPERM)" eval \
		"fails_with '$EPERM' $run exec teach neigh add 10.0.5.77 lladdr 02:00:00:00:00:77 dev eth0 &&
		 fails_with '$EPERM' $run exec teach neigh flush dev eth0"
	check "$who: sysctl writes refused (EACCES)" eval \
		"fails_with '$EACCES' $run sysctl default_ttl 9 &&
		 fails_with '$EACCES' $run sysctl stream_challenge_ack_limit 0 &&
		 fails_with '$EACCES' $run sysctl conf/eth0/forwarding 1"
	check "$who: raw socket refused (EPERM)" fails_with "$EPERM" $run raw
	check "$who: port 80 refused (EACCES), port 5000 taken" eval \
		"fails_with '$EACCES' $run bind 80 && $run bind 5000"
	check "$who: reading works (addresses, routes, counters, sysctls)" eval \
		"$run exec teach addr show dev eth0 | grep -q 10.0.5.2/24 &&
		 $run exec teach route show | grep -q 10.0.5.0/24 &&
		 $run exec teach neigh show >/dev/null &&
		 $run exec teach stats show StreamInSegs | grep -q StreamInSegs &&
		 [ \"\$($run exec cat /proc/sys/net/teach/default_ttl)\" = 64 ]"
done

# positive controls: the capability alone is enough
check "nobody with CAP_NET_RAW opens a raw socket" $NOBODY -k net_raw raw
check "nobody with CAP_NET_BIND_SERVICE binds port 80" $NOBODY -k net_bind_service bind 80
check "nobody with CAP_NET_ADMIN adds and deletes an address" eval \
	"$NOBODY -k net_admin exec teach addr add 10.0.6.9/24 dev eth0 &&
	 $B teach addr show dev eth0 | grep -q 10.0.6.9/24 &&
	 $NOBODY -k net_admin exec teach addr del 10.0.6.9/24 dev eth0"
# ... and the user namespace's root owns a network namespace of its own
own_netns() {
	$USERNS -N exec sh -c '
		ip link set lo up && ip link add d0 type dummy && ip link set d0 up &&
		teach addr add 10.9.0.1/24 dev d0 &&
		teach route add 10.8.0.0/16 via 10.9.0.2 dev d0 &&
		teach neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev d0 &&
		echo 9 >/proc/sys/net/teach/default_ttl &&
		[ "$(cat /proc/sys/net/teach/default_ttl)" = 9 ]' &&
	$USERNS -N raw && $USERNS -N bind 80
}
check "a user namespace configures its own network namespace" own_netns
check "b's configuration is as it was" eval 'config | diff "$TMP/config.before" -'

# ---- blind injection from x ----

# The debug kernel takes over a millisecond a frame under TCG: a smaller
# file and 2,000 random guesses instead of the sweeps (stream_test's
# rfc5961_rst_syn_challenge_acks puts guesses in the window there)
if teach_debug_kernel; then KB=256 SWEEP=; else KB=1024 SWEEP=1; fi
head -c $((KB * 512)) /dev/urandom >"$TMP/in1"
head -c $((KB * 512)) /dev/urandom >"$TMP/in2"
want=$(cat "$TMP/in1" "$TMP/in2" | sha256sum | cut -d' ' -f1)
$A tping -q -c 1 -W 3 10.0.5.2 >/dev/null
$X tping -q -c 1 -W 3 10.0.5.1 >/dev/null
$X tping -q -c 1 -W 3 10.0.5.2 >/dev/null

# both ends keep their stdin open (fds 3 and 4): the connection stays
# ESTABLISHED until the file is all sent
mkfifo "$TMP/fifo" "$TMP/fifo4"
$B timeout 300 tcat -l -w 120 7100 <"$TMP/fifo4" >"$TMP/out" &
SERVER=$!
exec 4>"$TMP/fifo4"
for i in $(seq 1 100); do
	$B teach sock show state listen port 7100 2>/dev/null | grep -q 7100 && break
	sleep 0.05
done
$A timeout 300 tcat -w 60 -p 40100 10.0.5.2 7100 <"$TMP/fifo" 4>&- &
CLIENT=$!
exec 3>"$TMP/fifo"
cat "$TMP/in1" >&3
half=$(stat -c %s "$TMP/in1")
for i in $(seq 1 600); do
	[ "$(stat -c %s "$TMP/out")" = "$half" ] && break
	sleep 0.05
done
check "the first half went across" test "$(stat -c %s "$TMP/out")" = "$half"

# field NS PORT NAME: a TEACH_INFO number of the connection on PORT
field() {
	$1 teach -i sock show state estab port "$2" |
		tr ' ' '\n' | awk -F: -v n="$3" '$1 == n { print $2; exit }'
}
# the largest power of two not above the receive window
pow2() { local p=1; while [ $((p * 2)) -le "$1" ]; do p=$((p * 2)); done; echo $p; }
$B teach -i sock show state estab port 7100
wb=$(field "$B" 7100 rcv_wnd) wa=$(field "$A" 40100 rcv_wnd)
echo "# receive windows: a $wa, b $wb"
sb=$(pow2 "${wb:-0}") sa=$(pow2 "${wa:-0}")
check "both windows known ($sa, $sb)" test "$sa" -ge 4096 -a "$sb" -ge 4096
[ "$sa" -ge 4096 ] && [ "$sb" -ge 4096 ] || { sa=65536 sb=65536; }

MB=$(mac sec-b) MA=$(mac sec-a)
names="StreamEstabResets StreamRSTBadSeq StreamRSTOutOfWindow StreamSYNChallenge
	StreamAckBad StreamChallengeAcks StreamChallengeSkipped StreamDupData"
declare -A a0 b0
for n in $names; do a0[$n]=$(ctr "$A" $n); b0[$n]=$(ctr "$B" $n); done
b_seg0=$(field "$B" 7100 segs_in)

t0=$(date +%s)
# RST sweeps: 2^32 / window guesses, one of them in the window
if [ -n "$SWEEP" ]; then na=$((4294967296 / sa)) nb=$((4294967296 / sb))
else na=2000 nb=2000 sa=0 sb=0; fi
$X $HERE/blind eth0 "$MB" 10.0.5.1:40100 10.0.5.2:7100 rst $nb step=$sb
$X $HERE/blind eth0 "$MA" 10.0.5.2:7100 10.0.5.1:40100 rst $na step=$sa
# SYNs at random numbers; b's challenge ACKs limited to about 10 a second
$B sysctl -qw net.teach.stream_challenge_ack_limit=10
sleep 1.1	# a new limit counts from the next second
$X $HERE/blind eth0 "$MB" 10.0.5.1:40100 10.0.5.2:7100 syn 200
$X $HERE/blind eth0 "$MA" 10.0.5.2:7100 10.0.5.1:40100 syn 200
# data: random numbers, then a sweep (its in-window guesses carry a wrong ACK)
$X $HERE/blind eth0 "$MB" 10.0.5.1:40100 10.0.5.2:7100 data 1000
[ -n "$SWEEP" ] &&
	$X $HERE/blind eth0 "$MB" 10.0.5.1:40100 10.0.5.2:7100 data $nb step=$sb
t1=$(date +%s)
echo "# $((t1 - t0)) s of injection, $(( $(field "$B" 7100 segs_in) - b_seg0 )) segments reached b's socket"
sleep 0.5
$B sysctl -qw net.teach.stream_challenge_ack_limit=1000

declare -A da db
for n in $names; do
	da[$n]=$(( $(ctr "$A" $n) - ${a0[$n]} )) db[$n]=$(( $(ctr "$B" $n) - ${b0[$n]} ))
	echo "# $n: a +${da[$n]}, b +${db[$n]}"
done
check "no reset at either end" test "${da[StreamEstabResets]}" = 0 -a "${db[StreamEstabResets]}" = 0
check "in-window RSTs were challenged at both ends" \
	test "${da[StreamRSTBadSeq]}" -ge "${SWEEP:-0}" -a "${db[StreamRSTBadSeq]}" -ge "${SWEEP:-0}"
check "the other RSTs were dropped silently" \
	test "${da[StreamRSTOutOfWindow]}" -ge $((na - 4)) -a \
	     "${db[StreamRSTOutOfWindow]}" -ge $((nb - 4))
check "every SYN was challenged (200 at each end)" \
	test "${da[StreamSYNChallenge]}" = 200 -a "${db[StreamSYNChallenge]}" = 200
check "in-window data with a guessed ACK was challenged and dropped" \
	test "${db[StreamAckBad]}" -ge "${SWEEP:-0}"
check "out-of-window data was dropped (StreamDupData)" test "${db[StreamDupData]}" -ge 900
# account NS: each challenge (RST, SYN, ACK) an ACK sent or skipped
account() {
	local -n d=d$1
	local c=${d[StreamChallengeAcks]} s=${d[StreamChallengeSkipped]}
	local r=$((${d[StreamRSTBadSeq]} + ${d[StreamSYNChallenge]} + ${d[StreamAckBad]}))
	[ $((c + s)) = "$r" ] || { echo "# $1: $c sent + $s skipped != $r challenged"; return 1; }
}
check "every challenge ACK at a was sent" eval "account a && [ \"\${da[StreamChallengeSkipped]}\" = 0 ]"
check "b's challenge ACKs were limited, each accounted for" eval \
	"account b && [ \"\${db[StreamChallengeSkipped]}\" -gt 0 ] &&
	 [ \"\${db[StreamChallengeAcks]}\" -le \$((15 * (t1 - t0 + 2) + \${db[StreamRSTBadSeq]})) ]"

cat "$TMP/in2" >&3
exec 3>&- 4>&-
wait "$CLIENT"
rc=$?
CLIENT=
wait "$SERVER"
SERVER=
got=$(sha256sum <"$TMP/out" | cut -d' ' -f1)
[ "$got" = "$want" ] || echo "# tcat exit $rc, $(stat -c %s "$TMP/out") bytes, sha256 $got"
check "the whole file arrived, sha256 equal" test $rc = 0 -a "$got" = "$want"

tap_end
