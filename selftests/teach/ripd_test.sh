#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# teach-ripd, the RIP-like routing daemon, on a ring of four routers:
#
#              h1                          r1 .. r4 run teach-ripd on their
#              | stub 10.2.1.0/24          two ring links (to<peer>) and on
#              r1 ---- 10.1.12.0/24 ---- r2 ---- h2    their stub (passive)
#              |                          |
#     10.1.41.0/24                       10.1.23.0/24
#              |                          |
#       h4 --- r4 ---- 10.1.34.0/24 ---- r3 ---- h3
#
# Router i is 10.1.ij.i on the link to j and 10.2.i.1 on its stub; host i
# is 10.2.i.2.  The routes converge (each router reaches each stub, with
# metric 1 + the hops around the ring), h1 pings h3 across; the daemon
# validates and counts what it receives, learns from a neighbour on its
# stub and times that route out and collects it; leaves a static route of
# the same prefix and metric alone; when the r1-r2 link goes down the
# routes go the other way round and the ping works again; when r2's
# daemon is stopped its routes time out around it; a whole-table request
# gets poisoned reverse; and when the daemons get SIGTERM their routes are
# gone, the others stay.
#
# Timers are short (update 1 s, timeout 5 s, garbage collection 3 s; 2, 12
# and 6 s on the debug kernel), and every wait is a bounded poll.
. "$(dirname "$0")/lib.sh"

tap_begin 18
[ -d /sys/module/teach ] || modprobe teach || exit 1
command -v teach-ripd >/dev/null || { echo "# teach-ripd is not installed"; exit "$ksft_skip"; }

P=trip
DIR=/tmp/$P.$$
U=1 T=5 G=3 WAIT=40
if teach_debug_kernel; then U=2 T=12 G=6 WAIT=240; fi

declare -A PID
cleanup() {
	local i
	[ -n "${ANNOUNCE:-}" ] && kill "$ANNOUNCE" 2>/dev/null
	for i in 1 2 3 4; do
		[ -n "${PID[$i]:-}" ] && kill "${PID[$i]}" 2>/dev/null
	done
	wait 2>/dev/null
	for i in 1 2 3 4; do
		ip netns del "$P-r$i" 2>/dev/null
		ip netns del "$P-h$i" 2>/dev/null
	done
	rm -rf "$DIR"
}
trap cleanup EXIT
cleanup
mkdir -p "$DIR"

R() { ip netns exec "$P-r$1" "${@:2}"; }
H() { ip netns exec "$P-h$1" "${@:2}"; }
show() { sed 's/^/#   /'; }

# ---- the ring

ring_up() {
	local i j a b
	for i in 1 2 3 4; do
		ip netns add "$P-r$i" && ip netns add "$P-h$i" || return 1
		ip -n "$P-r$i" link set lo up && ip -n "$P-h$i" link set lo up || return 1
		ip link add stub netns "$P-r$i" type veth peer name eth0 netns "$P-h$i" ||
			return 1
		ip -n "$P-r$i" link set stub up && ip -n "$P-h$i" link set eth0 up ||
			return 1
		R "$i" teach addr add "10.2.$i.1/24" dev stub &&
		H "$i" teach addr add "10.2.$i.2/24" dev eth0 &&
		H "$i" teach route add default via "10.2.$i.1" dev eth0 || return 1
		R "$i" sysctl -qw net.teach.forwarding=1 || return 1
	done
	for a in 12 23 34 41; do
		i=${a:0:1} j=${a:1:1}
		ip link add "to$j" netns "$P-r$i" type veth peer name "to$i" netns "$P-r$j" ||
			return 1
		ip -n "$P-r$i" link set "to$j" up && ip -n "$P-r$j" link set "to$i" up ||
			return 1
		R "$i" teach addr add "10.1.$a.$i/24" dev "to$j" &&
		R "$j" teach addr add "10.1.$a.$j/24" dev "to$i" || return 1
	done
	# Another protocol's route that teach-ripd will also hear of (below).
	R 1 teach route add 10.7.0.0/16 via 10.1.12.2 dev to2 metric 2
}
check "four routers in a ring, each with a stub network" ring_up

# Neighbours of router i around the ring.
left() { echo $(( (($1 + 2) % 4) + 1 )); }
right() { echo $(( ($1 % 4) + 1 )); }

start_ripd() { # start_ripd I
	local i=$1
	# not through R(): $! must be the daemon (ip netns exec execs it)
	ip netns exec "$P-r$i" teach-ripd -v -u "$U" -t "$T" -g "$G" -d "$DIR/r$i.table" \
		-P stub "to$(left "$i")" "to$(right "$i")" >"$DIR/r$i.out" 2>"$DIR/r$i.log" &
	PID[$i]=$!
}
started() {
	local i n
	for i in 1 2 3 4; do start_ripd "$i"; done
	# bounded: each daemon has its three sockets on port 520
	for n in $(seq 1 100); do
		local ok=1
		for i in 1 2 3 4; do
			kill -0 "${PID[$i]}" 2>/dev/null ||
				{ echo "# r$i's teach-ripd died"; show <"$DIR/r$i.log"; return 1; }
			[ "$(R "$i" teach sock show port 520 | grep -c 520)" = 3 ] || ok=0
		done
		[ $ok = 1 ] && return 0
		sleep 0.2
	done
	echo "# the daemons did not open their sockets"
	return 1
}
check "teach-ripd runs on each router, one socket per interface on port 520" started

# ---- convergence

# ring_dist I J: hops between routers I and J around the ring
ring_dist() { local d=$(( ($1 - $2 + 4) % 4 )); [ $d = 3 ] && d=1; echo $d; }
# has_route I PREFIX METRIC [VIA]: router I's kernel has a rip route to
# PREFIX with METRIC (and gateway VIA)
# (from RT, a cache of each router's "teach route show proto rip" that
# poll empties before each try: a process in a namespace is dear on the
# debug kernel)
declare -A RT
rt() { [ -n "${RT[$1]+x}" ] || RT[$1]=$(R "$1" teach route show proto rip 2>&1); }
has_route() {
	rt "$1"
	echo "${RT[$1]}" |
		awk -v p="$2" -v m="$3" -v g="${4:-}" '
			$1 == p { mm = gg = ""
				for (i = 2; i < NF; i++) {
				if ($i == "metric") mm = $(i + 1)
				if ($i == "via") gg = $(i + 1) }
				if (mm == m && (g == "" || gg == g)) f = 1 }
			END { exit !f }'
}
# poll SECS CMD...: run CMD until it succeeds, for at most SECS seconds
poll() {
	local end=$((SECONDS + $1))
	shift
	RT=()
	while ! "$@"; do
		RT=()
		[ $SECONDS -ge $end ] && return 1
		sleep 0.3
	done
	RT=()
}
all_stubs() {
	local i j
	for i in 1 2 3 4; do
		for j in 1 2 3 4; do
			[ "$i" = "$j" ] && continue
			has_route "$i" "10.2.$j.0/24" $((1 + $(ring_dist "$i" "$j"))) || return 1
		done
	done
}
dump_all() {
	local i
	for i in 1 2 3 4; do
		echo "# r$i:"; R "$i" teach route show 2>&1 | show
		echo "# r$i's teach-ripd:"; show <"$DIR/r$i.table"
	done
}
t0=$SECONDS
converged() { poll "$WAIT" all_stubs || { dump_all; return 1; }; }
check "routes converge: every router reaches every stub, metric 1 + hops" converged
echo "# converged in $((SECONDS - t0)) s"

t_opposite() {
	local out
	out=$(R 1 teach route show proto rip)
	echo "$out" | show
	# r3's stub is two hops either way; its next hop is r2 or r4
	echo "$out" | grep -Eq '^10\.2\.3\.0/24 via (10\.1\.12\.2 dev to2|10\.1\.41\.4 dev to4) proto rip metric 3$'
}
check "r1's route to r3's stub: proto rip, metric 3, via a neighbour" t_opposite

pings() { # pings FROM TO: host FROM gets an answer from host TO
	H "$1" tping -q -c 1 -W 3 "10.2.$2.2" >/dev/null
}
ping_across() { poll "$WAIT" pings 1 3 && pings 3 1 && pings 2 4; }
check "h1 pings h3 and h2 pings h4 across the ring" ping_across

t_dump() {
	kill -USR1 "${PID[1]}" || return 1
	poll 10 grep -q '^counter KernelErrors' "$DIR/r1.out" || return 1
	show <"$DIR/r1.out"
	grep -q '^10\.2\.1\.0/24 dev stub metric 1 connected' "$DIR/r1.out" &&
	grep -Eq '^10\.2\.2\.0/24 via 10\.1\.12\.2 dev to2 metric 2 expires [0-9.]+s kernel' "$DIR/r1.out"
}
check "SIGUSR1 prints the daemon's table and counters" t_dump

# ---- what the daemon accepts

counter() { awk -v n="$2" '$1 == "counter" && $2 == n { print $3 }' "$DIR/r$1.table"; }
# send_rip HOST HEX [SPORT [DST]]: host HOST sends these bytes (hex) from
# port SPORT (520) to its router (or DST), port 520
# (through a file: tcat sends each read as a datagram, and a pipe may
# hand it the bytes in two reads)
send_rip() {
	printf "$(echo "$2" | tr -d ' ' | sed 's/../\\x&/g')" >"$DIR/msg.$BASHPID" &&
	H "$1" tcat -u -p "${3:-520}" "${4:-10.2.$1.1}" 520 <"$DIR/msg.$BASHPID"
}
grew() { # grew ROUTER COUNTER BEFORE
	local now
	now=$(counter "$1" "$2")
	[ "${now:-0}" -gt "$3" ]
}
# one entry: family 12, tag 0, ADDR, MASK, next hop 0, METRIC
entry() { echo "000c0000$1$2"00000000"$3"; }
t_validate() {
	local c n bad
	declare -A before
	for c in InBadVersion InBadCommand InBadLength InBadZero InBadMetric InBadEntries InBadPort; do
		before[$c]=$(counter 1 $c)
	done
	send_rip 1 "0201 0000 $(entry 0a090000 ffff0000 00000001)" &&	# version 1
	send_rip 1 "0702 0000 $(entry 0a090000 ffff0000 00000001)" &&	# command 7
	send_rip 1 "0202 0000 $(entry 0a090000 ffff0000 00000001)00" &&	# 25 bytes
	send_rip 1 "0202 0000" &&					# no entries
	send_rip 1 "0202 0001 $(entry 0a090000 ffff0000 00000001)" &&	# not zero
	send_rip 1 "0202 0000 $(entry 0a090000 ffff0000 00000011)" &&	# metric 17
	send_rip 1 "0202 0000 $(entry 0a090000 ffff0000 00000000)" &&	# metric 0
	send_rip 1 "0202 0000 $(entry 0a090000 ff00ff00 00000001)" &&	# mask
	send_rip 1 "0202 0000 $(entry 7f000000 ff000000 00000001)" &&	# loopback
	send_rip 1 "0202 0000 000d0000 0a090000 ffff0000 00000000 00000001" &&	# family
	send_rip 1 "0202 0000 $(entry 0a090000 ffff0000 00000001)" 5000 || return 1
	bad=0
	for c in InBadVersion InBadCommand InBadLength InBadZero InBadPort; do
		poll 10 grew 1 $c "${before[$c]}" || { echo "# $c did not grow"; bad=1; }
	done
	poll 10 grew 1 InBadMetric $((${before[InBadMetric]} + 1)) ||
		{ echo "# InBadMetric did not grow by 2"; bad=1; }
	poll 10 grew 1 InBadEntries $((${before[InBadEntries]} + 2)) ||
		{ echo "# InBadEntries did not grow by 3"; bad=1; }
	[ $bad = 0 ] || { grep ^counter "$DIR/r1.table" | show; return 1; }
	# and none of it made a route
	! R 1 teach route show | grep -q '^10\.9\.'
}
check "bad version, command, length, zero field, metric, mask, address, family, port: counted, dropped" t_validate

t_not_neighbour() {
	local before
	before=$(counter 1 InNotNeighbour)
	# from h3, across the ring: valid, but not from a neighbour
	send_rip 3 "0202 0000 $(entry 0a090000 ffff0000 00000001)" 520 10.2.1.1 &&
	poll 10 grew 1 InNotNeighbour "$before" &&
	! R 1 teach route show | grep -q '^10\.9\.'
}
check "a response from beyond the connected prefixes is counted and ignored" t_not_neighbour

# ---- learning, timing out, collecting

# h1 speaks RIP, as a router would, every update interval: 10.9.0.0/16 at
# metric 1, and 10.7.0.0/16, which r1 already has as a static route with
# the metric RIP would give it (2).  Then it goes silent.
ANNOUNCE=
announce() {
	while :; do
		send_rip 1 "0202 0000 $(entry 0a090000 ffff0000 00000001)$(entry 0a070000 ffff0000 00000001)"
		sleep "$U"
	done
}
silence() {
	[ -n "$ANNOUNCE" ] && kill "$ANNOUNCE" 2>/dev/null && wait "$ANNOUNCE" 2>/dev/null
	ANNOUNCE=
	learned_at=$SECONDS
}
t_learn() {
	announce &
	ANNOUNCE=$!
	poll "$WAIT" has_route 1 10.9.0.0/16 2 10.2.1.2 &&
	poll "$WAIT" has_route 2 10.9.0.0/16 3 10.1.12.1 &&
	poll "$WAIT" has_route 3 10.9.0.0/16 4 &&
	poll "$WAIT" has_route 4 10.9.0.0/16 3 10.1.41.1 || { dump_all; return 1; }
}
check "a route a neighbour on the stub announces reaches every router (metrics 2, 3, 4, 3)" t_learn

t_static() {
	local out
	out=$(R 1 teach route show)
	echo "$out" | grep -q '^10\.7\.0\.0/16 via 10\.1\.12\.2 dev to2 proto static metric 2$' &&
	! echo "$out" | grep -q '^10\.7\..*proto rip' || { echo "$out" | show; return 1; }
}
check "the static route of the same prefix and metric is left alone" t_static

# query HOST SPORT: the whole-table request from host HOST's port SPORT to
# its router; prints the answer's entries as "ADDR METRIC" in hex
query() {
	printf '\x01\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10' >"$DIR/req"
	H "$1" tcat -u -p "$2" -w 3 "10.2.$1.1" 520 <"$DIR/req" |
		od -An -v -tx1 | tr -d ' \n' |
		awk '{ if (substr($0, 1, 8) != "02020000") exit 1
		       for (i = 9; i + 39 <= length($0); i += 40)
			print substr($0, i + 8, 8), substr($0, i + 32, 8) }'
}
POISON_SH= POISON_NOSH=
poison_seen() {
	# from port 520, a router's question: split horizon with poisoned
	# reverse, 10.9/16 goes back to the stub it came from at 16.  (The
	# announcer's tcat may hold h1's port 520 for a moment: poll retries.)
	POISON_SH=$(query 1 520 2>&1)
	echo "$POISON_SH" | grep -qx '0a090000 00000010' &&
	echo "$POISON_SH" | grep -qx '0a020200 00000002' &&
	echo "$POISON_SH" | grep -qx '0a020100 00000001' || return 1
	# from another port, a query: the table as it is
	POISON_NOSH=$(query 1 5000 2>&1)
	echo "$POISON_NOSH" | grep -qx '0a090000 00000002'
}
t_poison() {
	# h1 still announces 10.9.0.0/16; it asks
	poll "$WAIT" has_route 1 10.9.0.0/16 2 10.2.1.2 || return 1
	poll "$WAIT" poison_seen ||
		{ echo "# from 520:"; echo "$POISON_SH" | show
		  echo "# from 5000:"; echo "$POISON_NOSH" | show; return 1; }
}
check "answers a whole-table request: poisoned reverse toward a router, the plain table to a query" t_poison

gone_from_kernels() {
	local i
	for i in 1 2 3 4; do
		rt "$i"
		echo "${RT[$i]}" | grep -q '^10\.9\.' && return 1
	done
	return 0
}
t_timeout() {
	# h1 says nothing more: after the timeout r1 poisons it, and the
	# poison spreads (RIP may count up to 16 around the ring first)
	silence
	poll $((WAIT + T)) gone_from_kernels || { dump_all; return 1; }
	local took=$((SECONDS - learned_at))
	echo "# gone from every kernel $took s after h1 went silent (timeout $T s)"
	# h1 last spoke up to U s before it went silent
	[ $took -ge $((T - U - 1)) ] || { echo "# before the timeout"; return 1; }
}
check "not heard of again, it times out everywhere" t_timeout

in_table() { grep -q "^$2 " "$DIR/r$1.table"; }
poisoned() { grep -q "^10\.9\.0\.0/16 via 10\.2\.1\.2 dev stub metric 16 gc" "$DIR/r1.table"; }
t_gc() {
	# metric 16 for a while (it may be gone already on a slow machine)
	if poisoned; then echo "# r1 holds it at metric 16 for garbage collection"; fi
	poll $((WAIT + G)) eval '! in_table 1 10.9.0.0/16' || { show <"$DIR/r1.table"; return 1; }
}
check "then it is garbage collected from the daemon's table" t_gc

# ---- a link goes down

no_route() { rt "$1"; ! echo "${RT[$1]}" | grep -q "^$2 "; }
proto_kernel_count() { R "$1" teach route show | grep -c 'proto kernel'; }
rerouted() {
	has_route 1 10.2.2.0/24 4 10.1.41.4 && has_route 2 10.2.1.0/24 4 10.1.23.3 &&
	has_route 1 10.2.3.0/24 3 10.1.41.4 && has_route 2 10.2.4.0/24 3 10.1.23.3
}
t_link_down() {
	ip -n "$P-r1" link set to2 down || return 1
	local t=$SECONDS
	poll "$WAIT" rerouted || { dump_all; return 1; }
	echo "# rerouted in $((SECONDS - t)) s"
}
check "r1-r2 link down: r1 and r2 reach each other's stubs the other way round (metric 4)" t_link_down
check "h1 pings h2 again, through r4 and r3" poll "$WAIT" pings 1 2

t_link_up() {
	ip -n "$P-r1" link set to2 up || return 1
	poll "$WAIT" has_route 1 10.2.2.0/24 2 10.1.12.2 &&
	poll "$WAIT" has_route 2 10.2.1.0/24 2 10.1.12.1 || { dump_all; return 1; }
}
check "link up again: the routes come back the short way" t_link_up

# ---- a router goes silent

# r2's daemon stops (SIGSTOP) while its links stay up: nobody hears of its
# stub any more, and what the others learned from it times out.
silent_r2() {
	no_route 1 10.2.2.0/24 && no_route 3 10.2.2.0/24 && no_route 4 10.2.2.0/24 &&
	has_route 1 10.2.3.0/24 3 10.1.41.4 && has_route 3 10.2.1.0/24 3 10.1.34.4
}
t_silent() {
	kill -STOP "${PID[2]}" || return 1
	local t=$SECONDS
	poll $((WAIT + T)) silent_r2 || { kill -CONT "${PID[2]}"; dump_all; return 1; }
	local took=$((SECONDS - t))
	echo "# timed out and rerouted in $took s (timeout $T s)"
	kill -CONT "${PID[2]}" || return 1
	[ $took -ge $((T - U - 1)) ] || { echo "# before the timeout"; return 1; }
	poll "$WAIT" all_stubs || { dump_all; return 1; }
}
check "r2's daemon stopped: its routes time out around it; continued: they come back" t_silent

# what the daemons cost (utime + stime, in clock ticks of 10 ms)
for i in 1 2 3 4; do
	[ -r "/proc/${PID[$i]}/stat" ] &&
		awk -v r="$i" '{ printf "# r%s teach-ripd used %.2f s of CPU\n", r, ($14 + $15) / 100 }' \
			"/proc/${PID[$i]}/stat"
done

# ---- SIGTERM

t_term() {
	local i k1 k2 rc
	k2=$(proto_kernel_count 2)
	kill -TERM "${PID[2]}" && wait "${PID[2]}"
	rc=$?
	PID[2]=
	[ $rc = 0 ] || { echo "# r2's teach-ripd exited with $rc"; show <"$DIR/r2.log"; return 1; }
	[ -z "$(R 2 teach route show proto rip)" ] ||
		{ R 2 teach route show | show; return 1; }
	[ "$(proto_kernel_count 2)" = "$k2" ] || { echo "# r2's kernel routes changed"; return 1; }
	# r2 poisoned its routes on the way out: its stub is soon gone elsewhere
	poll "$WAIT" no_route 1 10.2.2.0/24 ||
		{ dump_all; return 1; }
	for i in 1 3 4; do
		k1=$(proto_kernel_count "$i")
		kill -TERM "${PID[$i]}" && wait "${PID[$i]}"
		rc=$?
		PID[$i]=
		[ $rc = 0 ] || { echo "# r$i's teach-ripd exited with $rc"; return 1; }
		[ -z "$(R "$i" teach route show proto rip)" ] ||
			{ R "$i" teach route show | show; return 1; }
		[ "$(proto_kernel_count "$i")" = "$k1" ] ||
			{ echo "# r$i's kernel routes changed"; return 1; }
	done
	R 1 teach route show | grep -q '^10\.7\.0\.0/16 via 10\.1\.12\.2 dev to2 proto static metric 2$'
}
check "SIGTERM: each daemon exits 0 and its routes are gone; kernel and static routes stay" t_term

if [ "$NFAILED" != 0 ]; then
	for i in 1 2 3 4; do
		echo "# r$i's log (last lines):"
		tail -n 40 "$DIR/r$i.log" | show
	done
fi
tap_end
