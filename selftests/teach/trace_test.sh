#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stream transport's tracepoints (teach:teach_stream_*): a transfer
# through netem loss between two namespaces, traced, and the trace held
# against what the connection and the counters say: every state
# transition of both ends, one retransmit event per retransmitted
# segment, RTT samples, congestion-window moves into recovery, window
# updates.
. "$(dirname "$0")/lib.sh"

T=/sys/kernel/tracing
[ -d /sys/module/teach ] || modprobe teach || exit 1
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
if [ ! -d $T/events ]; then
	echo "1..0 # SKIP this kernel has no event tracing (CONFIG_EVENT_TRACING)"
	exit $ksft_skip
fi
tap_begin 21

A="ip netns exec ttr-a" B="ip netns exec ttr-b"
cleanup() {
	echo 0 >$T/events/teach/enable 2>/dev/null
	echo >$T/trace 2>/dev/null
	ip netns del ttr-a 2>/dev/null
	ip netns del ttr-b 2>/dev/null
	rm -f /tmp/ttr.* /tmp/trace.txt
	return 0
}
trap cleanup EXIT
cleanup
ip netns add ttr-a
ip netns add ttr-b
ip link add eth0 netns ttr-a type veth peer name eth0 netns ttr-b
for n in ttr-a ttr-b; do
	ip -n $n link set lo up
	ip -n $n link set eth0 up
done
$A teach addr add 10.9.0.1/24 dev eth0
$B teach addr add 10.9.0.2/24 dev eth0
$A sysctl -qw net.teach.stream_msl_ms=200
$B sysctl -qw net.teach.stream_msl_ms=200
# one segment per packet (no GSO super-packets, stream.rst "Offloads"):
# with 1 MB in a few dozen super-packets, 3% loss might hit none, or only
# the last, which the timer repairs without a fast recovery to trace
$A sysctl -qw net.teach.offload=0
# what a leaves towards b: loss, so that there is something to recover
$A tc qdisc add dev eth0 root netem delay 2ms loss 3%

for e in state retransmit cwnd rtt window send ack; do
	check "event teach_stream_$e exists" test -d $T/events/teach/teach_stream_$e
done

size=1000000
teach_debug_kernel && size=300000
head -c $size /dev/urandom >/tmp/ttr.in
echo 4096 >$T/buffer_size_kb
echo >$T/trace
echo 1 >$T/events/teach/enable
$B tcat -l 9000 >/tmp/ttr.out </dev/null &
rx=$!
sleep 0.5
$A tcat 10.9.0.2 9000 </tmp/ttr.in
wait $rx
# the TIME_WAIT end (a, which closed first) leaves it after 2 * MSL
sleep 1
echo 0 >$T/events/teach/enable
cat $T/trace >/tmp/ttr.trace
check "the file arrived whole" cmp -s /tmp/ttr.in /tmp/ttr.out
check "nothing was lost from the trace buffer" \
	bash -c "! grep -q 'overrun: [1-9]' $T/per_cpu/cpu*/stats"

states() { # the transitions of the connection whose tuple starts "$1 "
	grep "teach_stream_state: $1 " /tmp/ttr.trace |
		sed 's/.* \([A-Z_0-9]*\) -> \([A-Z_0-9]*\)$/\1>\2/' | tr '\n' ' '
}
cport=$(grep -m1 'teach_stream_state: 10.9.0.1:[0-9]* -> 10.9.0.2:9000 SYN_SENT -> ESTABLISHED' /tmp/ttr.trace |
	sed 's/.*teach_stream_state: 10.9.0.1:\([0-9]*\) .*/\1/')
a=$(states "10.9.0.1:$cport -> 10.9.0.2:9000")
b=$(states "10.9.0.2:9000 -> 10.9.0.1:$cport")
l=$(states "0.0.0.0:9000 -> 0.0.0.0:0")
# b's input is empty, so b usually closes first; either may, or both at once
active="ESTABLISHED>FIN_WAIT1 FIN_WAIT1>FIN_WAIT2 FIN_WAIT2>TIME_WAIT TIME_WAIT>CLOSE "
passive="ESTABLISHED>CLOSE_WAIT CLOSE_WAIT>LAST_ACK LAST_ACK>CLOSE "
both="ESTABLISHED>FIN_WAIT1 FIN_WAIT1>CLOSING CLOSING>TIME_WAIT TIME_WAIT>CLOSE "
ok=0
for x in "$active:$passive" "$passive:$active" "$both:$both"; do
	[ "$a" = "CLOSE>SYN_SENT SYN_SENT>ESTABLISHED ${x%%:*}" ] &&
		[ "$b" = "SYN_RECV>ESTABLISHED ${x##*:}" ] && ok=1
done
if [ $ok = 1 ]; then
	pass "both ends' every state transition, in order"
else
	fail "both ends' every state transition, in order"
	echo "# a (port $cport): $a"
	echo "# b: $b"
fi
check "the listener's transitions" test "$l" = "CLOSE>LISTEN LISTEN>CLOSE "

retrans=$($A teach stats StreamRetransSegs | awk '{ print $2 }')
events=$(grep -c 'teach_stream_retransmit: 10.9.0.1:' /tmp/ttr.trace)
if [ "$retrans" -gt 0 ] && [ "$events" = "$retrans" ]; then
	pass "one retransmit event per retransmitted segment ($events)"
else
	fail "one retransmit event per retransmitted segment"
	echo "# StreamRetransSegs $retrans, events $events"
fi
check "RTT samples with a smoothed RTT and an RTO" \
	grep -qE "teach_stream_rtt: 10.9.0.1:.* sample=[0-9]+us srtt=[1-9][0-9]*us rttvar=[0-9]+us rto=[1-9]" /tmp/ttr.trace
check "the congestion window went into recovery and grew again" bash -c \
	"grep 'teach_stream_cwnd: 10.9.0.1:$cport ' /tmp/ttr.trace | grep -q 'ca=recovery' &&
	 grep 'teach_stream_cwnd: 10.9.0.1:$cport ' /tmp/ttr.trace | grep -q 'ca=open'"
check "window updates of the receiver" \
	grep -qE 'teach_stream_window: 10.9.0.2:9000 .* rcv_wnd=[1-9]' /tmp/ttr.trace
sent=$(grep "teach_stream_send: 10.9.0.1:$cport " /tmp/ttr.trace | grep -v ' len=0 ' |
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^len=/) s += substr($i, 5) } END { print s + 0 }')
rbytes=$(grep "teach_stream_retransmit: 10.9.0.1:$cport " /tmp/ttr.trace |
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^len=/) s += substr($i, 5) } END { print s + 0 }')
if [ "$sent" = $((size + rbytes)) ]; then
	pass "a send event for every byte sent, retransmissions included ($sent)"
else
	fail "a send event for every byte sent, retransmissions included"
	echo "# $sent bytes in send events, $size + $rbytes expected"
fi
check "ACK events up to the FIN's" \
	grep -q "teach_stream_ack: 10.9.0.1:$cport .* ack=$(grep -m1 "teach_stream_send: 10.9.0.1:$cport .*flags=SYN" /tmp/ttr.trace |
		sed 's/.* seq=\([0-9]*\) .*/\1/' | awk -v n=$size '{ printf "%.0f", ($1 + n + 2) % 4294967296 }') " /tmp/ttr.trace

# teach-trace records one connection (by its port) around a command
$A tc qdisc change dev eth0 root netem delay 5ms loss 2%
$B tcat -l 9001 >/tmp/ttr.out </dev/null &
rx=$!
sleep 0.5
check "teach-trace record runs the command" \
	teach-trace record -p 9001 -o /tmp/ttr.rec -- $A tcat 10.9.0.2 9001 </tmp/ttr.in
wait $rx
check "the recording holds only that connection's events" bash -c \
	"grep -q 'teach_stream_send: 10.9.0.1:[0-9]* -> 10.9.0.2:9001 ' /tmp/ttr.rec &&
	 ! grep 'teach_stream_' /tmp/ttr.rec | grep -v ':9001 ' | grep -q ."
summary=$(teach-trace summary -c "10.9.0.1:$(grep -m1 'teach_stream_send: 10.9.0.1:' /tmp/ttr.rec |
	sed 's/.*10.9.0.1:\([0-9]*\) .*/\1/')" /tmp/ttr.rec)
echo "# $summary"
check "its summary counts sends, ACKs, cwnd and RTT events" bash -c \
	"echo '$summary' | grep -qE ' send=[1-9][0-9]* ack=[1-9]' &&
	 echo '$summary' | grep -qE ' cwnd=[1-9]' && echo '$summary' | grep -qE ' rtt=[1-9]'"
# the host plots it (scripts/check: teach-trace plot on the export)
if [ -c /dev/ttyS2 ] && [ -w /dev/ttyS2 ] && command -v teach-export >/dev/null; then
	check "the recording left the guest" bash -c "cd /tmp && cp ttr.rec trace.txt && teach-export trace trace.txt"
else
	pass "the recording left the guest # SKIP not in the test VM (no ttyS2 channel)"
fi
tap_end
