#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading teach.ko: the family number and its sysfs file,
# refusal of taken or out-of-range family numbers, and cycles of load and
# unload with namespaces in use.
. "$(dirname "$0")/lib.sh"

tap_begin 7
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

tap_end
