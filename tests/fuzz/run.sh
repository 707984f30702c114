#!/bin/sh
# run.sh: build and run every libFuzzer target in tests/fuzz.
#
# Each tests/fuzz/fuzz_NAME.c starts with a line
#   /* SOURCES: src/a.c src/b.c */
# naming the project sources it links.  The target is built into
# tests/fuzz/bin/ with ASan and UBSan, then run for $FUZZ_SECONDS (default
# 20) on a scratch copy of tests/fuzz/corpus/NAME/, so the committed seeds
# stay as they are.  Crash inputs and logs go to tests/fuzz/out/ (ignored
# by git).  Extra libFuzzer flags can be passed in $FUZZ_ARGS; one target
# can be chosen by name as the first argument.
#
# Prints "PASS fuzz_x" or "FAIL fuzz_x" per target, then a summary, and
# exits non-zero if any target failed to build or found a bug.
set -u

cd "$(dirname "$0")/../.." || exit 2
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
FUZZ_ARGS=${FUZZ_ARGS:-}
CC=${FUZZ_CC:-clang}
only=${1:-}

mkdir -p tests/fuzz/bin tests/fuzz/out
pass=0
fail=0

for src in tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	if [ -n "$only" ] && [ "$only" != "$name" ]; then
		continue
	fi
	corpus=tests/fuzz/corpus/${name#fuzz_}
	log=tests/fuzz/out/$name.log
	sources=$(sed -n '1s|^/\* *SOURCES: *\(.*\) *\*/ *$|\1|p' "$src")
	if [ -z "$sources" ]; then
		echo "$name: first line has no /* SOURCES: ... */ comment" >"$log"
		echo "FAIL $name"
		fail=$((fail + 1))
		continue
	fi
	# shellcheck disable=SC2086  # $sources is a word list on purpose
	if ! $CC -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -D_GNU_SOURCE -Isrc \
	    $sources "$src" -ljansson -lsodium -lm \
	    -o "tests/fuzz/bin/$name" >"$log" 2>&1; then
		echo "FAIL $name"
		sed 's/^/    /' "$log" | head -20
		fail=$((fail + 1))
		continue
	fi
	work=$(mktemp -d "${TMPDIR:-/tmp}/circles-fuzz.XXXXXX")
	if [ -d "$corpus" ]; then
		cp -R "$corpus/." "$work/"
	fi
	# shellcheck disable=SC2086
	if "tests/fuzz/bin/$name" -max_total_time="$FUZZ_SECONDS" \
	    -artifact_prefix="tests/fuzz/out/$name-" -print_final_stats=1 \
	    $FUZZ_ARGS "$work" >>"$log" 2>&1; then
		echo "PASS $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | sed 's/^/    /' | head -10
		fail=$((fail + 1))
	fi
	rm -rf "$work"
done

echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
