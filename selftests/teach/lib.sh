# SPDX-License-Identifier: GPL-2.0
# Helpers for the teach kselftests written in shell (sourced).

ksft_skip=4
TEACH_KO=${TEACH_KO:-/opt/teach/teach.ko}
NTESTS=0
NFAILED=0

# TAP for the subtests of one script; the kselftest runner wraps it.
tap_begin() { echo "TAP version 13"; echo "1..$1"; }
pass() { NTESTS=$((NTESTS + 1)); echo "ok $NTESTS $*"; }
fail() { NTESTS=$((NTESTS + 1)); NFAILED=$((NFAILED + 1)); echo "not ok $NTESTS $*"; }
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}
tap_end() { [ "$NFAILED" = 0 ]; exit $?; }

teach_loaded() { [ -d /sys/module/teach ]; }
# The debug kernel (KASAN, lockdep, kmemleak) is many times slower under
# TCG: tests scale their loads down there, never their checks.
teach_debug_kernel() { [ -e /sys/kernel/debug/kmemleak ]; }
# Namespaces die asynchronously, and the connections earlier tests closed
# may still be finishing: an orphan sending its FIN again, a socket in
# TIME_WAIT.  Each holds the module until it is done, which takes at
# most the retry and TIME_WAIT budgets of those tests.  Wait for that,
# boundedly (90 s), before unloading, and say how long it took.
teach_unload() {
	local i
	teach_loaded || return 0
	for i in $(seq 1 450); do
		[ "$(cat /sys/module/teach/refcnt)" = 0 ] && break
		sleep 0.2
	done
	[ "$i" -gt 5 ] && echo "# waited $((i / 5)) s for teach's users to go (refcnt $(cat /sys/module/teach/refcnt))"
	rmmod teach
}

# Run "$@" and succeed if it fails with the given message text (errno string).
fails_with() {
	local want=$1 out
	shift
	out=$("$@" 2>&1) && { echo "# '$*' succeeded, expected '$want'"; return 1; }
	case $out in
	*"$want"*) return 0 ;;
	*) echo "# '$*': got '$out', expected '$want'"; return 1 ;;
	esac
}

# The routed chain of the routing tests, four namespaces and three links:
#
#   h1 eth0 ---- eth0 r1 eth1 ---- eth0 r2 eth1 ---- eth0 h2
#   10.0.1.1/24  .2    10.0.2.1/24  .2    10.0.3.1/24  .2
#
# chain_up PREFIX [MIDMTU] makes namespaces PREFIX-h1 ... PREFIX-h2, sets
# $H1 $R1 $R2 $H2 to "ip netns exec ...", gives the hosts default routes
# via their router and the routers a static route to the far side, and
# turns forwarding on in r1 and r2.  MIDMTU sets the MTU of the r1-r2
# link.  chain_down PREFIX removes it all.
chain_down() {
	local n
	for n in h1 r1 r2 h2; do ip netns del "$1-$n" 2>/dev/null; done
	return 0
}

chain_up() {
	local p=$1 mtu=${2:-1500} n
	chain_down "$p"
	for n in h1 r1 r2 h2; do
		ip netns add "$p-$n" || return 1
		ip -n "$p-$n" link set lo up
	done
	H1="ip netns exec $p-h1" R1="ip netns exec $p-r1"
	R2="ip netns exec $p-r2" H2="ip netns exec $p-h2"
	ip link add eth0 netns "$p-h1" type veth peer name eth0 netns "$p-r1" &&
	ip link add eth1 netns "$p-r1" type veth peer name eth0 netns "$p-r2" &&
	ip link add eth1 netns "$p-r2" type veth peer name eth0 netns "$p-h2" ||
		return 1
	ip -n "$p-r1" link set eth1 mtu "$mtu" && ip -n "$p-r2" link set eth0 mtu "$mtu" ||
		return 1
	for n in h1:eth0 r1:eth0 r1:eth1 r2:eth0 r2:eth1 h2:eth0; do
		ip -n "$p-${n%%:*}" link set "${n##*:}" up || return 1
	done
	$H1 teach addr add 10.0.1.1/24 dev eth0 &&
	$R1 teach addr add 10.0.1.2/24 dev eth0 &&
	$R1 teach addr add 10.0.2.1/24 dev eth1 &&
	$R2 teach addr add 10.0.2.2/24 dev eth0 &&
	$R2 teach addr add 10.0.3.1/24 dev eth1 &&
	$H2 teach addr add 10.0.3.2/24 dev eth0 || return 1
	$H1 teach route add default via 10.0.1.2 dev eth0 &&
	$H2 teach route add default via 10.0.3.1 dev eth0 &&
	$R1 teach route add 10.0.3.0/24 via 10.0.2.2 dev eth1 &&
	$R2 teach route add 10.0.1.0/24 via 10.0.2.1 dev eth0 || return 1
	$R1 sysctl -qw net.teach.forwarding=1 &&
	$R2 sysctl -qw net.teach.forwarding=1
}
