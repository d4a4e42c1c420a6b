"""Shared by the tests of show, lesson, export, verify's reports and regen:
running nbreplay, recording checks, and what the registry holds.

The scripts take NBREPLAY REPO_ROOT as arguments, print one line per check,
end with 'N passed, N failed' and exit 1 if anything failed (77: skipped).
"""
import json
import os
import subprocess
import sys

NBREPLAY, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
GOLDEN = os.path.join(ROOT, 'golden')
CELLS = os.path.join(ROOT, 'cells')
results = []

# The timing cell multiplies 25000x10000 by 10000x1000 by default (2 GB,
# half a minute); the tests run it small.
TIMING_PARAMS = ['--param', 'K=300', '--param', 'L=200', '--param', 'M=100']


def stdout_of(golden):
    """The stdout a golden holds: its lines joined (format 2; format 1 had
    "stdout" as well)."""
    if 'stdout' in golden:
        return golden['stdout']
    texts = [line if isinstance(line, str) else line['text'] for line in golden['lines']]
    return '\n'.join(texts) + ('\n' if golden.get('final_newline') else '')


def run(*args, stdin=subprocess.DEVNULL, env=None, timeout=240):
    return subprocess.run([NBREPLAY, *args], capture_output=True, text=True, stdin=stdin,
                          env=env, timeout=timeout)


def check(name, ok, detail=''):
    results.append(bool(ok))
    print('%s %s%s' % ('ok  ' if ok else 'FAIL', name, '' if ok else '\n    ' + str(detail)[:2000]))
    return ok


def finish(skipped_reason=None):
    print('%d passed, %d failed' % (results.count(True), results.count(False)))
    if not all(results):
        sys.exit(1)
    if skipped_reason:
        print('skipped: ' + skipped_reason)
        sys.exit(77)
    sys.exit(0)


_listed = []


def cells():
    """(number, name, title) of every cell, in registry order."""
    if not _listed:
        for line in run('list').stdout.splitlines():
            number, name, title = line.split(None, 2)
            _listed.append((0 if number == '·' else int(number), name, title))
    return _listed


def has_cell(name):
    return any(cell_name == name for _, cell_name, _ in cells())


def fast_params(selected=None):
    """--param options that keep the timing cell (In [9]) quick when it is
    among the selected cells (None: all of them)."""
    timing = [name for number, name, _ in cells() if number == 9]
    if not timing:
        return []
    if selected is None or timing[0] in selected or '9' in selected:
        return TIMING_PARAMS
    return []


def cell_file(number, name, ext):
    with open(os.path.join(CELLS, 'cell%02d_%s.%s' % (number, name, ext)), encoding='utf-8') as f:
        return f.read()


def golden_stdout(number):
    with open(os.path.join(GOLDEN, 'cell-%02d.json' % number), encoding='utf-8') as f:
        return stdout_of(json.load(f))


def one_error_line(p, code, needle):
    lines = p.stderr.splitlines()
    return p.returncode == code and len(lines) == 1 and needle in p.stderr
