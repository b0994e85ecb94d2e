#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots KERNEL under QEMU (TCG) with an initramfs holding busybox,
# nestwalk.ko, the selftests and the helper, and collects the results.
#
#   vm-run.sh -n NAME -k KERNEL -m MODULE -s SELFTESTS -u HELPER -o OUTDIR
#             [-j check|demo|bench] [-t TIMEOUT_S] [-M MEM_MB]
#             [-S STRESS_S] [-x EXTRA_FILE] [-N NUMA_NODES] [-1] [-a]
#             [-e "KEY=VALUE ..."] [-c CPU_FEATURES] [-g GCOV_DIR]
#             [-K KSFT_TREE] [-G] [-W WORKDIR]
#
# -c adds to QEMU's "-cpu max" (",-cx16": 6.12's SLUB uses cmpxchg16b
# with a %gs prefix, which this QEMU's TCG emulates with corrupted
# EFLAGS - spurious single-step traps and double faults in
# kmem_cache_alloc; without CX16 the kernel takes its other path).
# -e adds to the kernel command line (nwfuzz=SECONDS nwseed=N for -j fuzz).
# -a (fault-injection runs) sets aside the kernel's allocation-failure
# warnings - from "page allocation failure" or "vmalloc error" to the end
# of their stack dump, and kmemleak's note that it scans an object whole
# when it could not allocate a scan area - which failures injected on
# purpose print; every other report still counts.
# -g: a kernel with CONFIG_GCOV_KERNEL sends the module's gcov counters
# back; they go to GCOV_DIR, each .gcda beside a copy of the .gcno the
# build of MODULE left (MODULE's directory is the build directory).
# -K (with -j ksft): the tree "make selftests-install" made, carried to
# /nestwalk/ksft and run by the kernel's run_kselftest.sh; the runner's own
# lines count, and the lines of nestwalk.sh's suite it shows as "# ok ...".
# -G carries valgrind (its lackey tool) and gnuplot, with the shared
# libraries they need: a real program's trace, and compare --plot.
# -W: WORKDIR's files go to /work, the directory the "try" job runs in.
# -1 runs both vCPUs in one host thread (single-threaded TCG): slower, but
# immune to the cross-vCPU code-patching races multi-threaded TCG shows
# with some kernels (6.12's int3 text patching).
#
# OUTDIR gets console.log (kernel console, ttyS0), results.log (what the
# guest printed on ttyS1) and NAME.tap. The TAP holds every selftest line,
# and two lines of the harness's own: the guest finished in time, and the
# kernel log shows no BUG/WARNING/Oops/KASAN/UBSAN/kmemleak/lockdep report
# or call trace after the module was first loaded. Exit 0 iff nothing failed.

set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
job=check
timeout=300
mem=1024
stress=10

extra=
numa=1
tcg=tcg
allocfail=0
cmdline=
cpu=max
gcovdir=
ksfttree=
tools=0
workdir=
while getopts "n:k:m:s:u:o:j:t:M:S:x:N:1ae:c:g:K:GW:" opt; do
	case $opt in
	n) name=$OPTARG ;;
	k) kernel=$OPTARG ;;
	m) module=$OPTARG ;;
	s) selftests=$OPTARG ;;
	u) helper=$OPTARG ;;
	o) out=$OPTARG ;;
	j) job=$OPTARG ;;
	t) timeout=$OPTARG ;;
	M) mem=$OPTARG ;;
	S) stress=$OPTARG ;;
	x) extra=$OPTARG ;;
	N) numa=$OPTARG ;;
	1) tcg=tcg,thread=single ;;
	a) allocfail=1 ;;
	e) cmdline=$OPTARG ;;
	c) cpu=max$OPTARG ;;
	g) gcovdir=$OPTARG ;;
	K) ksfttree=$OPTARG ;;
	G) tools=1 ;;
	W) workdir=$OPTARG ;;
	*) echo "usage: see the header of $0" >&2; exit 2 ;;
	esac
done
for v in name kernel module selftests helper out; do
	if [ -z "${!v:-}" ]; then
		echo "vm-run: -${v:0:1} missing" >&2
		exit 2
	fi
done
for f in "$kernel" "$module" "$helper" "$selftests/nestwalk_test"; do
	[ -r "$f" ] || { echo "vm-run: $f: not readable" >&2; exit 2; }
done

busybox=$(command -v busybox) || { echo "vm-run: busybox missing" >&2; exit 2; }
if ldd "$busybox" >/dev/null 2>&1; then
	echo "vm-run: $busybox is dynamically linked; install busybox-static" >&2
	exit 2
fi

# The initramfs.
root=$out/root
rm -rf "$root"
mkdir -p "$root/bin" "$root/nestwalk"
cp "$busybox" "$root/bin/busybox"
cp "$here/tests/vm/init" "$root/init"
cp "$here/tests/vm/demo.sh" "$here/tests/vm/bench.sh" \
	"$here/tests/vm/ingest.sh" "$module" \
	"$root/nestwalk/"
[ -z "$extra" ] || cp "$extra" "$root/nestwalk/"
[ "$(basename "$module")" = nestwalk.ko ] ||
	mv "$root/nestwalk/$(basename "$module")" "$root/nestwalk/nestwalk.ko"
cp "$selftests"/* "$root/nestwalk/"
cp "$helper" "$root/nestwalk/nestwalk"
[ -z "$ksfttree" ] || cp -r "$ksfttree" "$root/nestwalk/ksft"
# carry FILE...: each file at its path in the image, an ELF one with the
# shared libraries it needs at theirs.
carry() {
	local f lib
	for f in "$@"; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
		for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
			[ -e "$root$lib" ] && continue
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
}
# jq: the selftests check the helper's JSON with it.
if jq=$(command -v jq); then
	carry "$jq"
fi
if [ "$tools" = 1 ]; then
	# valgrind is a shell wrapper around valgrind.bin, which starts the
	# tool from its libexec directory; lackey is all the helper uses.
	vg=$(command -v valgrind) && gp=$(command -v gnuplot) || {
		echo "vm-run: -G needs valgrind and gnuplot (make deps)" >&2
		exit 2
	}
	vgdir=$(dirname "$(find /usr/libexec/valgrind /usr/lib/*/valgrind \
		-name 'lackey-amd64-linux' 2>/dev/null | head -n 1)")
	carry "$vg" "$vg.bin" "$vgdir/lackey-amd64-linux" \
		"$vgdir/vgpreload_core-amd64-linux.so" "$vgdir/default.supp" \
		"$(readlink -f "$gp")"
	ln -sf "$(readlink -f "$gp")" "$root/usr/bin/gnuplot"
	# The file the README's example sorts.
	carry /etc/services
fi
if [ -n "$workdir" ]; then
	mkdir -p "$root/work"
	cp -r "$workdir"/. "$root/work/"
fi
(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out/initrd.gz"

console=$out/console.log
results=$out/results.log
tap=$out/$name.tap
rm -f "$console" "$results" "$tap"

# NUMA: two nodes, the memory split evenly, one CPU each.
numa_args=()
case $numa in
1 | 2) ;;
*) echo "vm-run: -N takes 1 or 2" >&2; exit 2 ;;
esac
if [ "$numa" -gt 1 ]; then
	for ((i = 0; i < numa; i++)); do
		numa_args+=(-object "memory-backend-ram,id=m$i,size=$((mem / numa))M"
			    -numa "node,nodeid=$i,cpus=$i,memdev=m$i")
	done
	mem=$(( mem / numa * numa ))
fi

start=$(date +%s)
set +e
timeout -k 10 "$timeout" qemu-system-x86_64 -nodefaults -no-user-config \
	-accel "$tcg" -cpu "$cpu" -smp 2 -m "$mem" "${numa_args[@]}" \
	-display none -monitor none \
	-no-reboot -serial "file:$console" -serial "file:$results" \
	-kernel "$kernel" -initrd "$out/initrd.gz" \
	-append "console=ttyS0,115200 loglevel=7 panic=-1 nwvm=$job nwstress=$stress $cmdline" \
	</dev/null
qrc=$?
set -e
secs=$(( $(date +%s) - start ))
touch "$console" "$results"
sed -i 's/\r$//' "$console" "$results"

n=0
emit() {	# emit ok|not-ok description
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $name: $2"
	else
		echo "not ok $n - $name: $2"
	fi >>"$tap"
}

if [ "$job" != check ]; then
	sed '/^nestwalk-gcov: begin$/,/^nestwalk-gcov: end$/d' "$results" |
		grep -v '^nestwalk-vm: ' || true
fi

# The module's gcov counters, beside the notes of its build.
if [ -n "$gcovdir" ]; then
	moddir=$(cd "$(dirname "$module")" && pwd)
	rm -rf "$gcovdir" "$out/gcov"
	mkdir -p "$gcovdir" "$out/gcov"
	sed -n '/^nestwalk-gcov: begin$/,/^nestwalk-gcov: end$/p' "$results" |
		sed '1d;$d' | base64 -d 2>/dev/null | tar -C "$out/gcov" -xzf - 2>/dev/null || true
	while read -r f; do
		rel=${f#"$out/gcov/${moddir#/}/"}
		[ "$rel" != "$f" ] && [ -f "$moddir/${rel%.gcda}.gcno" ] || continue
		mkdir -p "$gcovdir/$(dirname "$rel")"
		cp "$f" "$gcovdir/$rel"
		cp "$moddir/${rel%.gcda}.gcno" "$moddir/${rel%.gcda}.c" \
			"$gcovdir/$(dirname "$rel")/"
	done < <(find "$out/gcov" -name '*.gcda')
	echo "# $name: $(find "$gcovdir" -name '*.gcda' | wc -l) gcov data files of the module" >&2
fi

while read -r line; do
	case $line in
	"not ok "*) emit not-ok "${line#not ok }" ;;
	*) emit ok "${line#ok }" ;;
	esac
done < <(if [ "$job" = ksft ]; then sed -E 's/^# ((not )?ok )/\1/' "$results"
	 else cat "$results"; fi | grep -E '^(not )?ok [0-9]*' |
	 sed -E 's/^(not )?ok ([0-9]+ )?(- )?/\1ok /')

if grep -q '^nestwalk-vm: end' "$results"; then
	emit ok "guest finished in ${secs}s"
else
	emit not-ok "guest did not finish (qemu exit $qrc after ${secs}s, timeout ${timeout}s)"
	echo "--- last console lines ($console):" >&2
	tail -n 40 "$console" >&2
	echo "--- last result lines ($results):" >&2
	tail -n 20 "$results" >&2
fi

bad='BUG:|WARNING:|Oops|KASAN|UBSAN|kmemleak|lockdep|possible circular locking|Call Trace|Kernel panic|general protection fault|blocked for more than|soft lockup'
# kmemleak's own "N new suspected memory leaks" line is judged by the
# guest's kmemleak TAP line, which sets boot's (pid 0) objects aside.
ignore='kmemleak: [0-9]+ new suspected memory leaks'
# With -a: drop each allocation-failure warning, through its "</TASK>".
scan() {
	if [ "$allocfail" = 1 ]; then
		awk '/page allocation failure: order:|vmalloc error: size/ { skip = 1; n++ }
		     skip && /<\/TASK>/ { skip = 0; next }
		     /kmemleak: Cannot allocate a scan area/ { n++; next }
		     !skip { print }
		     END { print "nestwalk-vm: " n + 0 " allocation-failure warnings set aside" > "/dev/stderr" }'
	else
		cat
	fi
}
if grep -q 'nestwalk-vm: begin' "$console"; then
	before=$(sed -n '/nestwalk-vm: begin/q;p' "$console" | grep -E "$bad" || true)
	after=$(sed -n '/nestwalk-vm: begin/,$p' "$console" | scan |
		grep -E "$bad" | grep -vE "$ignore" || true)
else
	before=""
	after=$(grep -E "$bad" "$console" || true)
fi
if [ -n "$before" ]; then
	echo "# $name: reports printed before the module was loaded (not counted):" >&2
	echo "$before" | sed 's/^/#   /' >&2
fi
if [ -z "$after" ]; then
	emit ok "kernel log clean"
else
	emit not-ok "kernel log has $(echo "$after" | wc -l) report lines"
	echo "--- $name: kernel reports ($console):" >&2
	echo "$after" | head -n 40 >&2
fi

# The figures tests print, and this run's own, for make check's summary.
grep -h '^# figures: ' "$results" | sed "s/^# figures: /# figures: $name: /" || true
kver=$(sed -n "s/^nestwalk-vm: kernel \([^ ,]*\).*/\1/p" "$results" | head -n 1)
reports=$(echo -n "$after" | grep -c . || true)
leaks=$(grep -c '^not ok - kmemleak' "$results" || true)
echo "# figures: $name: kernel ${kver:-?}: $(grep -c '^ok' "$tap") passed, $(grep -c '^not ok' "$tap") failed; $reports kernel report lines (BUG, WARNING, KASAN, UBSAN, lockdep, hung task...), $leaks kmemleak reports"

cat "$tap"
! grep -q '^not ok' "$tap"
