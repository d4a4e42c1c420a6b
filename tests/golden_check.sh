#!/bin/sh
# golden_check.sh: fails when the committed goldens are no longer what real
# PyTorch prints for the cells in cells/ (golden/generate.py --check), and
# runs the generator's own doctests (its line-pattern rules). Needs Debian's
# Python with python3-torch and python3-numpy; exits 77 (skipped under meson
# test) when they are missing. NB_PYTHON overrides the interpreter.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
python=${NB_PYTHON:-/usr/bin/python3}

if [ ! -x "$python" ]; then
    echo "golden_check.sh: skipped: $python not found (apt-get install python3 python3-torch python3-numpy)"
    exit 77
fi
# The doctests need no torch, so they run (and can fail) even where --check skips.
"$python" -m doctest "$root/golden/generate.py" || exit 1
exec "$python" "$root/golden/generate.py" --check "$@"
