#!/usr/bin/env bash
# make fuzz: builds mizan-fuzz with AddressSanitizer, coverage and libFuzzer
# (sanitized-build.sh: the same build directory as make sanitize's
# AddressSanitizer run), then fuzzes every target for
# SECONDS from its committed seeds in Fuzz/Corpus/TARGET. New inputs go to
# .build/asan/corpus/TARGET, never into the repository; a crash is kept as
# .build/asan/crashes/TARGET-crash-… and fails the run (copy it into the
# target's corpus with the fix, so the tests replay it from then on).
#
# Usage: fuzz.sh [SECONDS-PER-TARGET] [TARGET…]   (default 30 s, every target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
scratch=.build/asan
# shellcheck source=sanitized-build.sh
source scripts/sanitized-build.sh
echo "fuzz: building mizan-fuzz with AddressSanitizer and libFuzzer"
sanitized_build address --product mizan-fuzz
fuzzer="$scratch/debug/mizan-fuzz"

targets=("$@")
if ((${#targets[@]} == 0)); then
    mapfile -t targets < <("$fuzzer" --list | grep -v '^ ')
fi
mkdir -p "$scratch/crashes"
failed=0
printf '%-22s %12s %10s %8s %s\n' target executions "exec/s" crashes property
for target in "${targets[@]}"; do
    mkdir -p "$scratch/corpus/$target"
    log="$scratch/$target.log"
    set +e
    "$fuzzer" "$target" "$scratch/corpus/$target" "Fuzz/Corpus/$target" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$scratch/crashes/$target-" >"$log" 2>&1
    status=$?
    set -e
    runs="$(awk '/stat::number_of_executed_units:/ {print $2}' "$log" | tail -1)"
    rate="$(awk '/stat::average_exec_per_sec:/ {print $2}' "$log" | tail -1)"
    crashes=0
    if ((status != 0)); then
        crashes=1
        failed=1
    fi
    property="$("$fuzzer" --list | awk -v t="$target" '$0 == t {getline; sub(/^ +/, ""); print}')"
    printf '%-22s %12s %10s %8s %s\n' "$target" "${runs:-?}" "${rate:-?}" "$crashes" "$property"
    if ((status != 0)); then
        echo "--- $target failed (status $status); the end of $log:"
        tail -30 "$log"
    fi
done
exit "$failed"
