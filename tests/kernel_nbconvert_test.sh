#!/usr/bin/env bash
# kernel_nbconvert_test.sh NBREPLAY IPYNB_GOLDEN_CHECK GOLDEN_DIR [--full-size]
#   The course as a notebook of C cells, re-executed by real Jupyter.
#
# Exports the course with `nbreplay export --format ipynb --kernel nbreplay`,
# checks it is valid nbformat 4 naming our kernel and that its outputs
# match the goldens; then installs the kernelspec (kernel install --prefix)
# on JUPYTER_PATH, runs `jupyter nbconvert --to notebook --execute` on it,
# and checks that every cell of the executed notebook matches its golden,
# patterns included (ipynb_golden_check: verify's own comparison). Exit 77
# (skipped) without Debian's jupyter-nbconvert and python3-nbformat.
#
# A cell with parameters runs at the size its golden was written for, as
# `nbreplay verify` runs it: export gets the golden's --param values, and the
# kernel's copy of the cell (its CellParam table) gets them as its defaults,
# each rewrite checked to have happened. Cell 9 at full size costs two
# 25000x10000x1000 products and over 2 GB twice; .ci/run runs this test
# again with --full-size, which leaves every cell as exported at its defaults.
set -euo pipefail
nbreplay=$(realpath "$1")
checker=$(realpath "$2")
golden_dir=$(realpath "$3")
full_size=0
[[ ${4-} == --full-size ]] && full_size=1
python=/usr/bin/python3
if ! command -v jupyter >/dev/null || ! "$python" -c 'import nbconvert, nbclient, nbformat' 2>/dev/null; then
    echo "kernel_nbconvert: skipped: apt-get install jupyter-nbconvert python3-nbclient python3-nbformat"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/nbreplay-nbconvert-XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

# NAME=VALUE for every parameter a golden was written with ("params")
golden_params=()
if [[ $full_size == 0 ]]; then
    mapfile -t golden_params < <("$python" - "$golden_dir" <<'PY'
import glob, json, os, sys
for path in sorted(glob.glob(os.path.join(sys.argv[1], "cell-*.json"))):
    for name, value in json.load(open(path)).get("params", {}).items():
        print("%s=%d" % (name, value))
PY
)
fi
param_args=()
for p in "${golden_params[@]}"; do param_args+=(--param "$p"); done
"$nbreplay" export --format ipynb --kernel nbreplay "${param_args[@]}" -o "$work/course.ipynb" ||
    { echo "FAIL export"; exit 1; }
if "$python" - "$work/course.ipynb" <<'PY'
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
spec = nb.metadata.kernelspec
assert nb.nbformat == 4 and spec.name == 'nbreplay' and spec.language == 'c' and \
    spec.display_name == 'C (nbreplay)', nb.metadata
code = [c for c in nb.cells if c.cell_type == 'code']
assert code and all('print' in c.source or 'Cell ' in c.source for c in code), 'a code cell without C'
assert all('import torch' not in c.source for c in code), 'Python in a code cell'
PY
then ok "the export is valid nbformat 4, C code cells, kernelspec nbreplay"; else fail "the export"; fi
if "$checker" "$work/course.ipynb" "$golden_dir" >"$work/export-check.log"; then
    ok "the export's own outputs match the goldens"
else
    cat "$work/export-check.log"; fail "the export's outputs"
fi

"$nbreplay" kernel install --prefix "$work/prefix" >/dev/null
export JUPYTER_PATH=$work/prefix/share/jupyter
# the notebook's outputs are cleared first, so what is checked is what the kernel printed
# and each golden parameter becomes its cell's default: {"K", 25000, ...} -> {"K", 250, ...}
"$python" - "$work/course.ipynb" "$work/cleared.ipynb" "${golden_params[@]}" <<'PY'
import re, sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
for c in nb.cells:
    if c.cell_type == 'code':
        c.outputs, c.execution_count = [], None
for param in sys.argv[3:]:
    name, value = param.split("=")
    table_row = re.compile(r'(\{\s*"%s"\s*,\s*)\d+(\s*,)' % re.escape(name))
    hits = 0
    for c in nb.cells:
        if c.cell_type == 'code':
            c.source, n = table_row.subn(r'\g<1>%s\g<2>' % value, c.source)
            hits += n
    if hits != 1:
        sys.exit("parameter %s: %d CellParam rows in the notebook, expected 1" % (name, hits))
nbformat.write(nb, sys.argv[2])
PY
[[ ${#golden_params[@]} -gt 0 ]] && ok "cells run at their goldens' sizes: ${golden_params[*]}"
if timeout 900 jupyter nbconvert --to notebook --execute "$work/cleared.ipynb" \
        --output "$work/executed.ipynb" --ExecutePreprocessor.timeout=600 >"$work/nbconvert.log" 2>&1; then
    ok "jupyter nbconvert --execute ran every cell with the nbreplay kernel"
else
    cat "$work/nbconvert.log"; fail "jupyter nbconvert --execute"
fi
if [[ -f "$work/executed.ipynb" ]] && "$checker" "$work/executed.ipynb" "$golden_dir"; then
    ok "every executed cell reproduces its golden"
else
    fail "the executed notebook against the goldens"
fi
exit $((failures > 0))
