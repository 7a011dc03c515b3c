#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Captures for the Wireshark dissector (userspace/wireshark/teach.lua):
# tcpdump records one side of a veth pair while two namespaces resolve
# each other's addresses, ping, exchange a datagram, a fragmented datagram
# and a port unreachable, open, use and close a stream (and one through
# loss, for SACK blocks and retransmissions), get a reset, and receive
# three hand-made frames with a bad checksum each.  What happened is
# checked here; the capture and a file of facts (addresses, MACs, ports,
# sizes) then leave the guest through teach-export ("captures"), and the
# host dissects them with tshark (userspace/wireshark/check-captures,
# run by scripts/check after the stock guest).
. "$(dirname "$0")/lib.sh"

[ -d /sys/module/teach ] || modprobe teach || exit 1
command -v tcpdump >/dev/null || { echo "1..0 # SKIP no tcpdump"; exit $ksft_skip; }
tap_begin 10

A="ip netns exec tcap-a" B="ip netns exec tcap-b"
D=/tmp/tcap
cleanup() {
	[ -n "${dump:-}" ] && kill "$dump" 2>/dev/null
	ip netns del tcap-a 2>/dev/null
	ip netns del tcap-b 2>/dev/null
	return 0
}
trap cleanup EXIT
cleanup
rm -rf $D && mkdir -p $D
ip netns add tcap-a
ip netns add tcap-b
ip link add eth0 netns tcap-a type veth peer name eth0 netns tcap-b
for n in tcap-a tcap-b; do
	ip -n $n link set lo up
	ip -n $n link set eth0 up
	ip netns exec $n sysctl -qw net.teach.stream_msl_ms=200
done
AMAC=$($A cat /sys/class/net/eth0/address)
BMAC=$($B cat /sys/class/net/eth0/address)

ctr() { $1 awk -v n="$2" '$1 == n { print $2 }' /proc/net/teach/snmp; }
wait_listen() { # wait_listen NS PORT: a stream socket listens on PORT
	local i hex
	hex=$(printf ':%04X' "$2")
	for i in $(seq 1 100); do
		$1 awk -v p="$hex" 'NR > 1 && $4 == "0A" && index($2, p) { f = 1 } END { exit !f }' \
			/proc/net/teach/stream && return 0
		sleep 0.05
	done
	return 1
}
wait_bound() { # wait_bound NS PORT: a datagram socket is bound to PORT
	local i hex
	hex=$(printf ':%04X ' "$2")
	for i in $(seq 1 100); do
		$1 cat /proc/net/teach/dgram | grep -q "$hex" && return 0
		sleep 0.05
	done
	return 1
}
# stream PORT FILE: a sends FILE to b over a stream; the same bytes arrive
stream() {
	local srv rc
	$B timeout 120 tcat -l -w 30 "$1" >$D/recv </dev/null &
	srv=$!
	wait_listen "$B" "$1" || { kill $srv; return 1; }
	$A timeout 120 tcat -w 30 10.7.0.2 "$1" <"$2"
	rc=$?
	wait $srv
	[ $rc = 0 ] && cmp -s "$2" $D/recv
}

# b's side of the link, every frame whole, from before the first address
$B tcpdump -i eth0 -U -s 0 -w $D/teach.pcap ether proto 0x88b5 2>$D/tcpdump.log &
dump=$!
for i in $(seq 1 80); do grep -q listening $D/tcpdump.log && break; sleep 0.1; done
check "tcpdump is recording" grep -q listening $D/tcpdump.log

# announcements, then a's request for b and b's reply, then the echoes
$A teach addr add 10.7.0.1/24 dev eth0
$B teach addr add 10.7.0.2/24 dev eth0
# every segment on its own with its checksum done, as a wire carries it:
# with offloads on (stream.rst "Offloads") a veth capture holds 64 KiB
# super-packets with the checksum left to a device that never does it
$A sysctl -qw net.teach.offload=0
$B sysctl -qw net.teach.offload=0
pings() { $A tping -q -c 2 -i 0.2 -W 3 10.7.0.2 >/dev/null; }
check "two echoes answered" pings

# a datagram, one of 5,000 bytes (four fragments), one to a closed port
DTEXT="hello from the teach capture test"
$B timeout 30 tcat -u -l -k -w 5 7000 >$D/dgram.out &
rx=$!
wait_bound "$B" 7000
echo "$DTEXT" | $A tcat -u -w 1 10.7.0.2 7000 >/dev/null
head -c 5000 /dev/zero | tr '\0' 'f' >$D/big
$A tcat -u -m 5000 -w 1 10.7.0.2 7000 <$D/big >/dev/null
sleep 0.5
kill $rx 2>/dev/null
wait $rx 2>/dev/null
check "the datagrams arrived" bash -c "head -n 1 $D/dgram.out | grep -qx '$DTEXT' &&
	test \$(wc -c <$D/dgram.out) = $((${#DTEXT} + 1 + 5000))"
check "a closed port answers port unreachable" \
	fails_with "Connection refused" bash -c "echo x | $A tcat -u -w 2 10.7.0.2 7999"

# streams: 64 KB on a clean link, then 200 KB through 5% loss at a until
# b has sent SACK blocks (a counts them as StreamSACKRecv)
seq 1 20000 | head -c 65536 >$D/s1
seq 1 60000 | head -c 200000 >$D/s2
check "64 KB over a stream" stream 9000 $D/s1
$A tc qdisc add dev eth0 root netem loss 5%
sack=0
for try in 1 2 3; do
	stream $((9000 + try)) $D/s2 || break
	sack=$(ctr "$A" StreamSACKRecv)
	[ "$sack" -gt 0 ] && break
done
$A tc qdisc del dev eth0 root
check "200 KB through 5% loss, with SACK blocks" test "$sack" -gt 0
check "a closed stream port answers with a reset" \
	fails_with "Connection refused" $A tcat -w 2 10.7.0.2 9999

# three hand-made frames, a bad checksum each: the header's, a control
# message's, a datagram's
inject=$(dirname "$0")/inject
$A "$inject" eth0 "$BMAC" net src=10.7.0.1 dst=10.7.0.2 proto=17 check=0x1234 \
	dgram=5:6 payload=626164
$A "$inject" eth0 "$BMAC" net src=10.7.0.1 dst=10.7.0.2 ctrl=8 ctrlsum=bad payload=00010002
$A "$inject" eth0 "$BMAC" net src=10.7.0.1 dst=10.7.0.2 dgram=5:7 dgsum=bad payload=626164
check "the bad checksums were counted" bash -c \
	"test \$($B awk '\$1 == \"InCsumErrors\" { print \$2 }' /proc/net/teach/snmp) = 1 &&
	 test \$($B awk '\$1 == \"CtrlInErrors\" { print \$2 }' /proc/net/teach/snmp) = 1 &&
	 test \$($B awk '\$1 == \"DgramInCsumErrors\" { print \$2 }' /proc/net/teach/snmp) = 1"

sleep 0.5
kill -INT $dump
wait $dump
dump=
frames=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' $D/tcpdump.log)
check "the capture holds the exchange ($frames frames)" test "${frames:-0}" -gt 150

# what the host's check needs to know about this run
cat >$D/facts <<EOF
a_addr=10.7.0.1
b_addr=10.7.0.2
a_mac=$AMAC
b_mac=$BMAC
dgram_text=$(printf %q "$DTEXT")
dgram_port=7000
closed_dgram_port=7999
big_dgram=5000
stream_port=9000
stream_bytes=$(wc -c <$D/s1)
lossy_port=$((9000 + try))
lossy_bytes=$(wc -c <$D/s2)
closed_stream_port=9999
sack_recv=$sack
mss=$(($($A cat /sys/class/net/eth0/mtu) - 40))
kernel=$(uname -r)
EOF
if [ -c /dev/ttyS2 ] && [ -w /dev/ttyS2 ] && command -v teach-export >/dev/null; then
	check "the capture left the guest" bash -c "cd $D && teach-export captures teach.pcap facts"
else
	pass "the capture left the guest # SKIP not in the test VM (no ttyS2 channel)"
fi
tap_end
