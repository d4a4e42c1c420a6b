#!/bin/sh
# seeds_test.sh: for many seeds, real PyTorch writes goldens into a
# temporary folder (golden/generate.py --seed S) and `nbreplay verify` must
# match every cell byte for byte. Exits 77 (skipped) without python3-torch.
# Usage: seeds_test.sh NBREPLAY
set -u
nbreplay=$1
root=$(cd "$(dirname "$0")/.." && pwd)
python=${NB_PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
    echo "seeds_test.sh: skipped: python3-torch/python3-numpy is not installed"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
# Small, large, power-of-two and the extreme seeds.
for seed in 1 2 3 7 42 1000 31337 65535 123456789 2147483647 2147483648 4294967295; do
    mkdir "$tmp/$seed"
    if ! "$python" "$root/golden/generate.py" --seed "$seed" --out "$tmp/$seed" >"$tmp/gen.log" 2>&1; then
        echo "FAIL seed $seed: the generator failed:"
        cat "$tmp/gen.log"
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
