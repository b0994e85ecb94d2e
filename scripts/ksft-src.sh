#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kselftest harness, lib.mk and run_kselftest.sh of a kernel series,
# from Debian's linux-source package of that series, unpacked once into
# CACHE. Prints the tools/testing/selftests path.
#
#   6.1  bookworm's linux-source-6.1, the tree scripts/ksrc.sh unpacks
#   7.3  linux-source-7.3 of trixie-backports (the newest linux-source-7.*
#        there, if 7.3 has gone), downloaded with a private apt state from
#        the archive the machine's apt sources already name (found at run
#        time); only the files the selftests need to build, run and install
#        are unpacked
#
#   ksft-src.sh VERSION CACHE

set -euo pipefail

ver=$1
cache=$(mkdir -p "$2" && cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)

say() { echo "ksft-src $ver: $*" >&2; }

case $ver in
6.1)	echo "$("$here/ksrc.sh" "$cache")/tools/testing/selftests"
	exit 0 ;;
7.3)	suite=trixie-backports ;;
*)	say "no recipe (6.1, 7.3)"
	exit 2 ;;
esac

dir=$cache/ksft-$ver
apt=$dir/apt
# What lib.mk, the harness, the runner and the install need, as paths in
# the source tarball below linux-source-X.Y/.
want=(tools/testing/selftests/lib.mk
      tools/testing/selftests/Makefile
      'tools/testing/selftests/kselftest*'
      tools/testing/selftests/run_kselftest.sh
      tools/testing/selftests/gen_kselftest_tar.sh
      scripts/Makefile.compiler
      scripts/subarch.include
      tools/scripts/Makefile.include
      tools/scripts/Makefile.arch
      tools/include/nolibc)

found() {
	local tree
	tree=$(cat "$dir/tree" 2>/dev/null) || return 1
	[ -f "$tree/.nestwalk-ksft" ] || return 1
	echo "$tree/tools/testing/selftests"
}

found && exit 0

if [ "$(id -u)" != 0 ]; then
	say "fetching linux-source needs root (apt)"
	exit 1
fi
site=$("$(dirname "$0")/archive-site.sh") || exit 1
rm -rf "$dir"
mkdir -p "$apt/sources" "$apt/lists/partial" "$apt/cache/archives/partial" \
	 "$dir/deb"
printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n' \
	"$site" "$suite" >"$apt/sources/$suite.sources"
opts=(-q -o Dir::Etc::SourceList=/dev/null
      -o Dir::Etc::SourceParts="$apt/sources"
      -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
      -o Dir::State::status=/dev/null)
apt-get "${opts[@]}" update >&2
# linux-source-7.3, else the newest linux-source-7.* of the suite.
pkg=linux-source-$ver
if ! apt-cache "${opts[@]}" show "$pkg" >/dev/null 2>&1; then
	pkg=$(apt-cache "${opts[@]}" pkgnames linux-source-"${ver%%.*}". |
	      sort -V | tail -n 1)
	if [ -z "$pkg" ]; then
		say "$suite offers no linux-source-${ver%%.*}.*"
		exit 1
	fi
	say "$suite has no linux-source-$ver: using $pkg"
fi
(cd "$dir/deb" && apt-get "${opts[@]}" download "$pkg") >&2
deb=$(ls "$dir"/deb/"$pkg"_*.deb)
version=$(dpkg-deb -f "$deb" Version)
say "unpacking the selftests' files of $pkg $version"
member=$(dpkg-deb -c "$deb" |
	 awk '$6 ~ /\/linux-source-[0-9.]*\.tar\.(xz|bz2|gz|zst)$/ { print $6 }' |
	 head -n 1)
if [ -z "$member" ]; then
	say "$pkg holds no source tarball"
	exit 1
fi
top=$(basename "$member")
top=${top%.tar.*}
case $member in
*.xz)	z=-J ;;
*.bz2)	z=-j ;;
*.gz)	z=-z ;;
*.zst)	z=--zstd ;;
esac
mkdir -p "$dir/src"
dpkg-deb --fsys-tarfile "$deb" | tar -xO "$member" |
	tar -C "$dir/src" -x $z --wildcards \
	    "${want[@]/#/$top/}" 2>"$dir/tar.err" || {
	# A name of the list the release lacks is reported, not fatal.
	grep -v 'Not found in archive\|Exiting with failure' "$dir/tar.err" >&2 &&
		exit 1
	true
}
tree=$dir/src/$top
for f in lib.mk kselftest_harness.h kselftest.h run_kselftest.sh \
	 kselftest/runner.sh; do
	if [ ! -e "$tree/tools/testing/selftests/$f" ]; then
		say "$pkg lacks tools/testing/selftests/$f"
		exit 1
	fi
done
rm -rf "$dir/deb" "$apt/cache"
echo "$pkg $version" >"$tree/.nestwalk-ksft"
echo "$tree" >"$dir/tree"
found
