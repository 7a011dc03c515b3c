# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the project's scripts (sourced, not run).

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TEACH_CACHE=${TEACH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/teach}
SRC_TARBALL=/usr/src/linux-source-6.1.tar.xz

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
note() { echo "$(basename "$0"): $*" >&2; }

# The stock guest kernel: the newest version with both an image and headers installed.
stock_kver() {
	local v best=
	for v in $(ls /lib/modules 2>/dev/null | sort -V); do
		[ -f "/boot/vmlinuz-$v" ] && [ -e "/lib/modules/$v/build/Makefile" ] && best=$v
	done
	[ -n "$best" ] || return 1
	echo "$best"
}

# The source tree of linux-source-6.1, extracted once into the cache.
kernel_src() {
	local ver dir
	[ -f "$SRC_TARBALL" ] || die "$SRC_TARBALL missing: run scripts/install-deps"
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)
	dir=$TEACH_CACHE/src/$ver
	mkdir -p "$TEACH_CACHE/src"
	# Several scripts may want the tree at once: extract it only once.
	(
		flock 8
		if [ ! -f "$dir/linux-source-6.1/Makefile" ]; then
			note "extracting $SRC_TARBALL (once)"
			rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
			tar -C "$dir.tmp" -xf "$SRC_TARBALL"
			rm -rf "$dir" && mv "$dir.tmp" "$dir"
		fi
	) 8>"$TEACH_CACHE/src/.lock"
	echo "$dir/linux-source-6.1"
}
