#!/bin/sh
# seeds_test.sh: for many seeds, real PyTorch writes goldens into a
# temporary folder (golden/generate.py --seed S) and `nbreplay verify` must
# match every cell byte for byte. Exits 77 (skipped) without python3-torch.
# The generator runs once per seed, all in one interpreter that imports
# torch once (tests/torch_preload.py), as `python3 generate.py` would run.
# Usage: seeds_test.sh NBREPLAY
set -u
nbreplay=$1
root=$(cd "$(dirname "$0")/.." && pwd)
python=${NB_PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
# Small, large, power-of-two and the extreme seeds.
seeds="1 2 3 7 42 1000 31337 65535 123456789 2147483647 2147483648 4294967295"
jobs=""
for seed in $seeds; do
    mkdir "$tmp/$seed"
    jobs="$jobs '$root/golden/generate.py --seed $seed --out $tmp/$seed'"
done
eval "set -- $jobs"
NB_PYTHON=$python "$python" "$root/tests/torch_preload.py" --log-dir "$tmp/logs" -- "$@"
status=$?
if [ "$status" -eq 77 ]; then
    echo "seeds_test.sh: skipped: python3-torch/python3-numpy is not installed"
    exit 77
elif [ "$status" -ne 0 ]; then
    echo "FAIL the generator's interpreter (tests/torch_preload.py, exit $status)"
    exit 1
fi
n=0
for seed in $seeds; do
    n=$((n + 1))
    if [ "$(cat "$tmp/logs/$n.status")" != 0 ]; then
        echo "FAIL seed $seed: the generator failed:"
        cat "$tmp/logs/$n.out" "$tmp/logs/$n.err"
        failed=$((failed + 1))
        continue
    fi
    if "$nbreplay" verify --golden-dir "$tmp/$seed" >"$tmp/verify.log" 2>&1; then
        echo "ok   seed $seed: $(tail -n 1 "$tmp/verify.log")"
        passed=$((passed + 1))
    else
        echo "FAIL seed $seed:"
        cat "$tmp/verify.log"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
