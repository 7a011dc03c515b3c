#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Datagrams between hosts: echo and a file across the routed chain
# (h1 - r1 - r2 - h2), ECONNREFUSED from a port unreachable three hops
# away, datagrams bigger than the path MTU (fragmentation), broadcast on
# a bridged segment, hand-made datagrams with bad checksums and lengths
# (./inject), and socat's generic socket addresses talking to tcat.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")"

tap_begin 18
[ -d /sys/module/teach ] || modprobe teach || exit 1

TMP=
cleanup() {
	local n
	jobs -p | xargs -r kill 2>/dev/null
	chain_down tdn
	for n in sw a b c; do ip netns del "tdn-$n" 2>/dev/null; done
	[ -n "$TMP" ] && rm -rf "$TMP"
	return 0
}
trap cleanup EXIT
cleanup >/dev/null
TMP=$(mktemp -d)

stat_in() { # stat_in NS-PREFIX COUNTER
	$1 teach stats | awk -v n="$2" '$1 == n { print $2 }'
}

# wait_port NS-PREFIX PORT: until a datagram socket is bound to PORT there
# (servers start slowly on the debug kernel; a fixed sleep is a race)
wait_port() {
	local hex i
	hex=$(printf ':%04X ' "$2")
	for i in $(seq 1 100); do
		$1 cat /proc/net/teach/dgram | grep -q "$hex" && return 0
		sleep 0.1
	done
	echo "# nothing bound to port $2"
	return 1
}

# socat's generic form of a sockaddr_teach without its family: port (2
# bytes), address (4), zero (8), all as hex, as in Documentation/socket-api.rst
teach_hex() { # teach_hex A.B.C.D PORT
	local IFS=.
	# shellcheck disable=SC2086
	set -- $1 "$2"
	printf 'x%04xx%02x%02x%02x%02xx0000000000000000' "$5" "$1" "$2" "$3" "$4"
}

chain_up tdn || { echo "# chain_up failed"; exit 1; }
# the first datagram waits for resolution on three links: warm them up
$H1 tping -q -c 1 -W 5 10.0.3.2 >/dev/null

# ---- the routed chain ----
#
# Datagrams have no end of input, so a listener would only stop on an
# idle timeout, and any idle timeout races the debug kernel's slow start
# of the sender.  Listeners here get a long one; the test watches their
# output and stops them when all of it has come.

# wait_bytes FILE N: until FILE holds N bytes (at most 20 seconds)
wait_bytes() {
	local i
	for i in $(seq 1 200); do
		[ "$(wc -c <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	echo "# $1: $(wc -c <"$1") of $2 bytes"
	return 1
}

# stop JOB: end a listener that has done its work
stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# receive_file PORT FILE [TCAT-SEND-OPTIONS]: send FILE from h1 to a
# listener on h2 and leave what arrived in FILE.out
receive_file() {
	local port=$1 file=$2 rx
	shift 2
	$H2 tcat -u -l -w 60 "$port" >"$file.out" &
	rx=$!
	wait_port "$H2" "$port"
	$H1 tcat -u "$@" 10.0.3.2 "$port" <"$file"
	wait_bytes "$file.out" "$(wc -c <"$file")" || drops
	stop $rx
}

# drops: where datagrams were lost, if anywhere (counters and devices)
drops() {
	local n
	for n in "$H1" "$R1" "$R2" "$H2"; do
		echo "# ${n##* }: $($n teach stats | awk '$2 != 0 && /Drop|Err|Discard|NoPort|Fail/ { printf "%s %s ", $1, $2 }')"
		$n ip -s link | awk '/dropped/ { getline; if ($4 + 0) print "#   device drops: " $0 }'
	done
}

$H2 tcat -u -l -e -w 60 7000 &
rx=$!
wait_port "$H2" 7000
out=$(echo "hello across two routers" | $H1 tcat -u -w 3 10.0.3.2 7000)
check "a datagram crosses two routers and is echoed back" \
	test "$out" = "hello across two routers"
stop $rx

head -c 30000 /dev/urandom >"$TMP/file"
receive_file 7001 "$TMP/file"
check "a 30,000-byte file arrives intact in MTU-sized datagrams" \
	cmp -s "$TMP/file" "$TMP/file.out"

before=$(stat_in "$H2" DgramNoPorts)
unreach=$(stat_in "$H1" CtrlInDestUnreachs)
out=$(echo x | $H1 tcat -u -w 3 10.0.3.2 7999 2>&1)
rc=$?
r=1
[[ $rc = 1 && $out == *"Connection refused"* ]] && r=0
[ $r = 0 ] || echo "# tcat: exit $rc, '$out'"
check "a port nobody has, three hops away, is ECONNREFUSED" test $r = 0
check "h2 counted DgramNoPorts, h1 the port unreachable" \
	test "$(stat_in "$H2" DgramNoPorts)" = $((before + 1)) -a \
	"$(stat_in "$H1" CtrlInDestUnreachs)" = $((unreach + 1))

# Bigger than the 1500-byte links: these need fragmentation and
# reassembly (kmod/frag.c, kmod/reasm.c).
head -c 5000 /dev/urandom >"$TMP/d5k"
receive_file 7002 "$TMP/d5k" -m 5000
check "a 5,000-byte datagram crosses 1500-byte links (fragmented)" \
	cmp -s "$TMP/d5k" "$TMP/d5k.out"
head -c 65507 /dev/urandom >"$TMP/d64k"
receive_file 7003 "$TMP/d64k" -m 65507
check "a 65,507-byte datagram crosses 1500-byte links (fragmented)" \
	cmp -s "$TMP/d64k" "$TMP/d64k.out"

# ---- socat's generic addresses with AF_TEACH (family 12, SOCK_DGRAM 2) ----

fam=$(cat /sys/module/teach/parameters/family)
$H2 tcat -u -l -w 60 7004 >"$TMP/socat.out" &
rx=$!
wait_port "$H2" 7004
echo "from socat" | $H1 socat -t 1 - "SOCKET-SENDTO:$fam:2:0:$(teach_hex 10.0.3.2 7004)"
wait_bytes "$TMP/socat.out" 11
stop $rx
check "socat SOCKET-SENDTO reaches tcat -l" \
	test "$(cat "$TMP/socat.out")" = "from socat"

$H2 socat -T 60 "SOCKET-RECVFROM:$fam:2:0:$(teach_hex 0.0.0.0 7005)" PIPE &
rx=$!
wait_port "$H2" 7005
out=$(echo "echo me" | $H1 tcat -u -w 3 10.0.3.2 7005)
check "socat SOCKET-RECVFROM echoes tcat's datagram back" test "$out" = "echo me"
stop $rx

$H2 tcat -u -l -v -w 60 7006 >"$TMP/sd.out" 2>"$TMP/sd.err" &
rx=$!
wait_port "$H2" 7006
echo "datagram" | $H1 socat -t 1 - \
	"SOCKET-DATAGRAM:$fam:2:0:$(teach_hex 10.0.3.2 7006),bind=$(teach_hex 0.0.0.0 7106)"
wait_bytes "$TMP/sd.out" 9
stop $rx
check "socat SOCKET-DATAGRAM with bind= reaches tcat from port 7106" \
	bash -c "[ \"\$(cat $TMP/sd.out)\" = datagram ] && grep -q 'from 10.0.1.1:7106' $TMP/sd.err"

# ---- broadcast on one segment ----

S="ip netns exec tdn-sw" A="ip netns exec tdn-a" B="ip netns exec tdn-b" C="ip netns exec tdn-c"
ip netns add tdn-sw
$S ip link add br0 type bridge
$S ip link set br0 up
i=0
for h in a b c; do
	i=$((i + 1))
	ip netns add "tdn-$h"
	ip link add eth0 netns "tdn-$h" type veth peer name "p$h" netns tdn-sw
	$S ip link set "p$h" master br0
	$S ip link set "p$h" up
	ip -n "tdn-$h" link set lo up
	ip -n "tdn-$h" link set eth0 up
	ip netns exec "tdn-$h" teach addr add "10.9.0.$i/24" dev eth0
done

$B tcat -u -l -k -w 60 7100 >"$TMP/b.out" &
rxb=$!
$C tcat -u -l -k -w 60 7100 >"$TMP/c.out" &
rxc=$!
# bound to its unicast address, this one must not hear broadcasts
$C tcat -u -l -k -w 60 -s 10.9.0.3 7101 >"$TMP/c1.out" &
rxc1=$!
wait_port "$B" 7100 && wait_port "$C" 7100 && wait_port "$C" 7101
echo "to all" | $A tcat -u -b 10.9.0.255 7100
echo "to all" | $A tcat -u -b 10.9.0.255 7101
echo "limited" | $A tcat -u -b -I eth0 255.255.255.255 7100
# "to all\nlimited\n" on each of b and c; by then c's 7101 has had its chance
wait_bytes "$TMP/b.out" 15
wait_bytes "$TMP/c.out" 15
kill $rxb $rxc $rxc1 2>/dev/null
wait $rxb $rxc $rxc1 2>/dev/null
check "a directed broadcast reaches every host of the segment" \
	bash -c "grep -qx 'to all' $TMP/b.out && grep -qx 'to all' $TMP/c.out"
check "the limited broadcast too" \
	bash -c "grep -qx limited $TMP/b.out && grep -qx limited $TMP/c.out"
check "a socket bound to a unicast address does not take broadcasts" \
	test ! -s "$TMP/c1.out"
check "without -b (SO_BROADCAST) a broadcast is refused" \
	fails_with "Permission denied" bash -c "echo x | $A tcat -u 10.9.0.255 7100"

# ---- hand-made datagrams: ./inject from a to b ----

BMAC=$($B cat /sys/class/net/eth0/address)
# (the counters are read slowly under TCG: a long idle timeout, then kill)
$B tcat -u -l -k -w 60 7200 >"$TMP/inj.out" &
rx=$!
wait_port "$B" 7200
counts() { stat_in "$B" "$1"; }
deltas() { # deltas COUNTER... -- INJECT-ARGS: print each counter's growth
	local c before=() i=0 out=
	local cs=()
	while [ "$1" != "--" ]; do cs+=("$1"); shift; done
	shift
	for c in "${cs[@]}"; do before+=("$(counts "$c")"); done
	$A ./inject eth0 "$BMAC" net src=10.9.0.1 dst=10.9.0.2 "$@" >&2
	sleep 0.3
	for c in "${cs[@]}"; do out="$out $(($(counts "$c") - ${before[$i]}))"; i=$((i + 1)); done
	echo "${out# }"
}
check "a well-formed injected datagram is delivered" \
	test "$(deltas DgramInDatagrams DgramInErrors -- dgram=9:7200 payload=676f6f640a)" = "1 0"
check "a bad checksum is dropped and counted (InCsumErrors, InErrors)" \
	test "$(deltas DgramInDatagrams DgramInCsumErrors DgramInErrors -- \
		dgram=9:7200 payload=6261640a dgsum=bad)" = "0 1 1"
check "checksum 0 means none: delivered" \
	test "$(deltas DgramInDatagrams DgramInCsumErrors -- dgram=9:7200 payload=7a65726f0a dgsum=0)" = "1 0"
check "a length beyond the packet or under 8 is an input error" \
	test "$(deltas DgramInErrors -- dgram=9:7200 payload=6c6f6e67 dglen=40) $(deltas \
		DgramInErrors -- dgram=9:7200 payload=73686f7274 dglen=4)" = "1 1"
kill $rx
wait $rx 2>/dev/null
check "only the good datagrams reached the socket, unharmed" \
	test "$(cat "$TMP/inj.out")" = "$(printf 'good\nzero')"

tap_end
