#!/usr/bin/env python3
"""Tests `nbreplay export --format ipynb` with nbformat (python3-nbformat):
the notebook validates against the nbformat 4 schema, and holds each
cell's narrative as a Markdown cell and its Python as a code cell whose
execution_count is the cell's number and whose output is what
`nbreplay run` prints. Skipped (77) where nbformat is not installed.

Usage: ipynb_test.py NBREPLAY REPO_ROOT (run with the Python that has
nbformat: Debian's /usr/bin/python3)
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ux_helpers import cell_file, cells, check, fast_params, finish, run  # noqa: E402

try:
    import nbformat
except ImportError:
    print('skipped: nbformat is not installed for %s (apt-get install python3-nbformat)'
          % sys.executable)
    sys.exit(77)

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'notebook.ipynb')
    p = run('export', '--format', 'ipynb', '-o', path, *fast_params())
    check('export --format ipynb: exit 0', p.returncode == 0 and p.stderr == '', p.stderr)
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    try:
        nbformat.validate(nb)
        check('the notebook is valid nbformat %d.%d' % (nb.nbformat, nb.nbformat_minor), nb.nbformat == 4)
    except nbformat.ValidationError as e:
        check('the notebook is valid nbformat', False, e)

    listed = cells()
    code = [c for c in nb.cells if c.cell_type == 'code']
    markdown = [c for c in nb.cells if c.cell_type == 'markdown']
    check('one code cell per cell, in notebook order', len(code) == len(listed), len(code))
    check('the kernel is Python 3', nb.metadata.kernelspec.name == 'python3')
    params = {'timing': fast_params()}
    for (number, name, _), cell in zip(listed, code):
        check('%s: execution_count is its number' % name,
              cell.execution_count == (number if number else None), cell.execution_count)
        check('%s: source is its Python' % name, cell.source == cell_file(number, name, 'py').rstrip('\n'))
        printed = run('run', name, *params.get(name, [])).stdout
        text = ''.join(o.text for o in cell.outputs if o.output_type == 'stream' and o.name == 'stdout')
        if number == 9:
            ok = len(text.splitlines()) == len(printed.splitlines()) == 2
        else:
            ok = text == printed
        check('%s: its output is what nbreplay run prints' % name, ok, (text[:200], printed[:200]))
    narratives = [cell_file(n, name, 'md').strip() for n, name, _ in listed]
    narratives = [text for text in narratives if text]
    check('one Markdown cell per non-empty narrative, as written',
          [c.source for c in markdown] == narratives, len(markdown))
finish()
