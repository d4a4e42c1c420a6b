#!/usr/bin/env bash
# kernel_nbconvert_test.sh NBREPLAY IPYNB_GOLDEN_CHECK GOLDEN_DIR
#   The course as a notebook of C cells, re-executed by real Jupyter.
#
# Exports the course with `nbreplay export --format ipynb --kernel nbreplay`,
# checks it is valid nbformat 4 naming our kernel and that its outputs
# match the goldens; then installs the kernelspec (kernel install --prefix)
# on JUPYTER_PATH, runs `jupyter nbconvert --to notebook --execute` on it,
# and checks that every cell of the executed notebook matches its golden,
# patterns included (ipynb_golden_check: verify's own comparison). Exit 77
# (skipped) without Debian's jupyter-nbconvert and python3-nbformat.
set -euo pipefail
nbreplay=$(realpath "$1")
checker=$(realpath "$2")
golden_dir=$(realpath "$3")
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

"$nbreplay" export --format ipynb --kernel nbreplay -o "$work/course.ipynb" || { echo "FAIL export"; exit 1; }
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
"$python" - "$work/course.ipynb" "$work/cleared.ipynb" <<'PY'
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
for c in nb.cells:
    if c.cell_type == 'code':
        c.outputs, c.execution_count = [], None
nbformat.write(nb, sys.argv[2])
PY
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
