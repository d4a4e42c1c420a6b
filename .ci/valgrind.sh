#!/usr/bin/env bash
# .ci/valgrind.sh NBREPLAY: runs `nbreplay verify` and `nbreplay run` of
# every cell (one at a time, then all together) under Valgrind's memcheck,
# and fails on any memory error or any definitely or indirectly lost block.
# A cell that declares parameters runs with its golden's values (as verify
# does), so In [9] times a small product rather than a 2 GB one.
#
# The CPU is named explicitly: probing for a GPU goes through the CUDA
# driver, whose workings Valgrind cannot follow. OpenBLAS keeps to one
# thread and to AVX2 kernels, which Valgrind decodes (it does not decode
# AVX-512, which OpenBLAS would pick on a machine that has it).
set -euo pipefail
nbreplay=$1
root=$(cd "$(dirname "$0")/.." && pwd)
export OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell

vg=(valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect)
failed=0
checked=0

# Runs one command line under memcheck; its output is thrown away, its
# exit status must be 0.
check() {
    local log
    log=$(mktemp)
    if "${vg[@]}" --log-file="$log" "$nbreplay" "$@" >/dev/null 2>>"$log"; then
        checked=$((checked + 1))
    else
        echo "valgrind: FAIL nbreplay $*"
        cat "$log"
        failed=$((failed + 1))
    fi
    rm -f "$log"
}

# --param NAME=VALUE for every parameter the cell's golden records.
golden_params() {
    python3 - "$root/golden/cell-$(printf %02d "$1").json" <<'EOF'
import json, sys
try:
    params = json.load(open(sys.argv[1], encoding='utf-8'))['params']
except OSError:
    params = {}
print(' '.join('--param %s=%s' % item for item in params.items()))
EOF
}

check verify --device cpu
all_params=()
for number in $("$nbreplay" list | awk '{print $1}'); do
    [[ $number == "·" ]] && number=0 # our own cell, listed apart from the notebook's numbers
    # shellcheck disable=SC2207
    params=($(golden_params "$number"))
    all_params+=("${params[@]}")
    check run "$number" --device cpu "${params[@]}"
done
check run --device cpu "${all_params[@]}"
echo "valgrind: $checked command lines clean, $failed failed"
[[ $failed -eq 0 ]]
