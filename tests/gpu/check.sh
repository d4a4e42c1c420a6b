#!/usr/bin/env bash
# tests/gpu/check.sh: the checks that need an NVIDIA GPU (the H100/H200 this
# project is sometimes lent), as one script: build with -Dcuda=enabled in
# build-gpu, run the CUDA suites (test_cuda: every op on the GPU against the
# CPU, gradcheck on the GPU; cuda_loading: the program links no CUDA
# library and loads the module, build-gpu/cuda/nbreplay-cuda.so, which
# env.txt's --version line names with the driver and device 0 it found),
# `nbreplay verify --device cuda`, and
# `nbreplay bench --device cuda` beside PyTorch timing the same benchmarks
# on the same GPU. Each step has a time limit; together they stay under 8
# minutes on an H100.
#
# Logs go to $OUT (else build-gpu/logs), seven files: summary.txt (one line
# per step, then the benchmark table), env.txt, build.log, cuda_suites.log,
# verify.log, bench_nbreplay.jsonl, bench_torch.jsonl.
#
# Exit status: 77 with one line where no GPU is present; 0 when every step
# passed; 1 otherwise (summary.txt says which).
set -uo pipefail
cd "$(dirname "$0")/../.."

if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then
    echo "tests/gpu/check.sh: skipped: no NVIDIA GPU here (nvidia-smi lists none)"
    exit 77
fi

logs=${OUT:-build-gpu/logs}
mkdir -p "$logs"
for log in summary.txt env.txt build.log cuda_suites.log verify.log bench_nbreplay.jsonl bench_torch.jsonl; do
    : >"$logs/$log"
done
summary=$logs/summary.txt
status=0

# step NAME LOG SECONDS COMMAND...: runs COMMAND with its output in LOG,
# adds one line to the summary, and remembers a failure.
step() {
    local name=$1 log=$2 limit=$3
    shift 3
    local start=$SECONDS
    timeout "$limit" "$@" >>"$logs/$log" 2>&1
    local rc=$?
    local verdict=ok
    [[ $rc -eq 124 ]] && verdict="timed out after ${limit}s"
    [[ $rc -ne 0 && $rc -ne 124 ]] && verdict="failed (exit $rc)"
    printf '%-40s %-24s %4ds  %s\n' "$name" "$verdict" "$((SECONDS - start))" "$log" | tee -a "$summary"
    [[ $rc -eq 0 ]] || status=1
    return "$rc"
}

{
    echo "== $(date -u +%FT%TZ) $(uname -srm)"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
    command -v nvcc >/dev/null && nvcc --version | tail -2
    echo "meson $(meson --version 2>&1), ninja $(ninja --version 2>&1), $(cc --version | head -1)"
    python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2>&1
} >"$logs/env.txt" 2>&1

# What the build needs besides CUDA (Debian: libopenblas-dev libcjson-dev
# libpcre2-dev check libcmark-dev libjs-katex pkg-config): one line naming
# what is missing rather than meson's first complaint.
missing=()
for pc in openblas libcjson libpcre2-8 check libcmark; do
    pkg-config --exists "$pc" 2>/dev/null || missing+=("$pc")
done
[[ -f /usr/share/javascript/katex/katex.min.js ]] || missing+=(katex)
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "build prerequisites missing: ${missing[*]}" | tee -a "$summary" "$logs/build.log"
    exit 1
fi

if [[ -f build-gpu/build.ninja ]]; then
    step "configure (-Dcuda=enabled)" build.log 60 meson configure build-gpu -Dcuda=enabled
else
    step "configure (-Dcuda=enabled)" build.log 60 meson setup build-gpu -Dcuda=enabled
fi || exit 1
step "build" build.log 210 ninja -C build-gpu || exit 1
build-gpu/nbreplay --version >>"$logs/env.txt" 2>&1

step "CUDA suites (meson test --suite cuda)" cuda_suites.log 90 \
    meson test -C build-gpu --suite cuda --print-errorlogs --no-rebuild
# meson counts a skip as a pass; here, with a GPU, test_cuda must run
if grep -q 'test_cuda .*SKIP' "$logs/cuda_suites.log"; then
    echo "on a machine with a GPU, $(build-gpu/tests/test_cuda 2>&1 | head -1)" |
        tee -a "$summary"
    status=1
fi
# A cell that differs only by rounding says so: verify again with a
# tolerance, which reports each cell's largest errors.
if ! step "verify --device cuda" verify.log 45 build-gpu/nbreplay verify --device cuda; then
    step "verify --device cuda --rtol 1e-5" verify.log 45 \
        build-gpu/nbreplay verify --device cuda --rtol 1e-5 --atol 1e-8
fi
step "bench --device cuda --full (nbreplay)" bench_nbreplay.jsonl 100 build-gpu/nbreplay bench --device cuda --full
step "bench on cuda --full (PyTorch)" bench_torch.jsonl 100 python3 tests/gpu/torch_reference.py --full
{
    echo
    python3 tests/gpu/torch_reference.py --table "$logs/bench_nbreplay.jsonl" "$logs/bench_torch.jsonl"
} >>"$summary" 2>&1
exit "$status"
