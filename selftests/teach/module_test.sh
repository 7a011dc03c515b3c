#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading teach.ko: the family number and its sysfs file,
# refusal of taken or out-of-range family numbers, cycles of load and
# unload with namespaces in use, and an unload after stream connections
# closed with their keepalive timers pending.
. "$(dirname "$0")/lib.sh"

tap_begin 9
teach_unload

check "insmod registers family 12 by default" \
	bash -c "insmod $TEACH_KO && [ \"\$(cat /sys/module/teach/parameters/family)\" = 12 ]"
check "the kernel log names family and ethertype" \
	bash -c "dmesg | grep -q 'teach: family 12, ethertype 0x88b5'"
check "rmmod unloads it" bash -c "rmmod teach && [ ! -d /sys/module/teach ]"

check "family=13 is honoured and shown in sysfs" \
	bash -c "insmod $TEACH_KO family=13 && [ \"\$(cat /sys/module/teach/parameters/family)\" = 13 ] && rmmod teach"
# AF_INET (2) is taken by the kernel's own stack.
check "a taken family is refused with EEXIST" \
	fails_with "File exists" insmod "$TEACH_KO" family=2
check "an out-of-range family is refused with EINVAL" \
	fails_with "Invalid parameters" insmod "$TEACH_KO" family=46


# Fewer rounds under the debug kernel, where each takes seconds (KASAN,
# lockdep, RCU grace periods); TEACH_CYCLES overrides.
ncycles=${TEACH_CYCLES:-20}
[ -z "${TEACH_CYCLES:-}" ] && [ -e /sys/kernel/debug/kmemleak ] && ncycles=5
cycles() {
	local i
	for i in $(seq 1 "$ncycles"); do
		insmod "$TEACH_KO" || return 1
		ip netns add teach-mt-$i || return 1
		ip netns exec teach-mt-$i ip link set lo up || return 1
		[ $((i % 2)) = 0 ] && ip netns del teach-mt-$i
		rmmod teach || return 1
		ip netns del teach-mt-$i 2>/dev/null
	done
	return 0
}
check "$ncycles load/unload cycles with namespaces created and destroyed" cycles

# socat with SO_KEEPALIVE and TEACH_KEEPIDLE/TEACH_KEEPINTVL (SOL_TEACH 300,
# options 18 and 19) of 1 s at both ends of a connection on 10.0.0.1:8000
KA="so-keepalive,setsockopt-int=300:18:1,setsockopt-int=300:19:1"
ADDR=x1f40x0a000001x0000000000000000
keepalive_probes() {
	ip netns exec teach-ka awk '$1 == "StreamKeepAliveProbes" { print $2 }' \
		/proc/net/teach/snmp
}
keepalive_then_close() {
	local srv cli i n=0
	insmod "$TEACH_KO" || return 1
	ip netns add teach-ka || return 1
	ip netns exec teach-ka sh -c 'ip link set lo up && ip link add dummy0 type dummy &&
		ip link set dummy0 up && teach addr add 10.0.0.1/24 dev dummy0 &&
		sysctl -qw net.teach.stream_msl_ms=100' || return 1
	ip netns exec teach-ka socat SOCKET-LISTEN:12:6:$ADDR,$KA SYSTEM:'sleep 30' &
	srv=$!
	sleep 0.5
	ip netns exec teach-ka socat -u SYSTEM:'sleep 30' SOCKET-CONNECT:12:6:$ADDR,$KA &
	cli=$!
	# both ends probe every second once idle
	for i in $(seq 1 50); do
		n=$(keepalive_probes)
		[ "${n:-0}" -ge 4 ] && break
		sleep 0.2
	done
	kill $cli $srv
	wait $cli $srv 2>/dev/null
	ip netns del teach-ka
	[ "${n:-0}" -ge 4 ] || { echo "# $n keepalive probes"; return 1; }
}
check "keepalive probes flow between two socat ends" keepalive_then_close
check "rmmod after they closed with keepalive timers pending" teach_unload

tap_end
