#!/usr/bin/env bash
# fuzz/run.sh [SECONDS]: builds the libFuzzer harnesses of fuzz/ with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer (in build-fuzz, or
# $NB_FUZZ_BUILD), then runs each target for SECONDS (default 30) starting
# from its seed corpus, fuzz/corpus/TARGET. Fails when any target crashes,
# leaks or breaks one of its harness's promises; the input that did it is
# left in BUILD/crashes/TARGET/, to be fixed and then kept in
# fuzz/regressions/TARGET/ so the ordinary test suite replays it.
#
# Needs clang and libFuzzer (Debian: apt-get install clang libclang-rt-14-dev).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
build=${NB_FUZZ_BUILD:-build-fuzz}
targets=(npy golden literal cli)

if [[ ! -f $build/build.ninja ]]; then
    # The library gets coverage instrumentation only (fuzzer-no-link); the
    # harnesses link libFuzzer itself. UBSan must stop at its first report,
    # or the fuzzer would never see it as a crash. No CUDA: no input the
    # harnesses take reaches a GPU, and its runtime does not mix with ASan.
    if ! setup_log=$(CC=${NB_FUZZ_CC:-clang} meson setup "$build" -Dfuzzing=true -Dtests=false \
        -Dcuda=disabled -Dbuildtype=debugoptimized -Db_sanitize=address,undefined \
        -Db_lundef=false -Dc_args='-fsanitize=fuzzer-no-link -fno-sanitize-recover=all' 2>&1); then
        echo "$setup_log" | tail -n 20
        echo "fuzz: meson setup failed"
        exit 1
    fi
fi
if ! ninja -C "$build" >"$build/ninja.log" 2>&1; then
    grep -E 'error|FAILED' "$build/ninja.log" | head -n 20
    echo "fuzz: the build failed; see $build/ninja.log"
    exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=()
for target in "${targets[@]}"; do
    # New inputs go to the first folder, so the committed seeds stay as they are.
    work=$build/fuzz-work/$target
    crashes=$build/crashes/$target
    mkdir -p "$work" "$crashes"
    log=$build/fuzz-$target.log
    start=$SECONDS
    if "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$crashes/" "$work" "fuzz/corpus/$target" \
        >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz $target: ok, ${runs:-?} inputs in $((SECONDS - start)) s"
    else
        echo "fuzz $target: FAILED after $((SECONDS - start)) s; input in $crashes/, log $log:"
        grep -E 'ERROR|broken promise|runtime error|SUMMARY|Test unit written' "$log" | head -n 20
        failed+=("$target")
    fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz: ${failed[*]} failed"
    exit 1
fi
