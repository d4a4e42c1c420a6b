#!/usr/bin/env python3
"""Tests `nbreplay regen`: it rewrites a changed golden (into a temporary
copy of golden/) with --yes or after a yes typed on a terminal, writes
nothing without a terminal and without --yes, nothing when a cell's Python
raises, leaves unchanged goldens alone, and says in one line when the
interpreter has no torch (a Python started with -S, which hides its
site-packages, stands in for one without python3-torch).

Usage: regen_test.py NBREPLAY REPO_ROOT. The parts that run PyTorch are
skipped (77) where Debian's python3-torch is not installed.
"""
import glob
import json
import os
import pty
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ux_helpers import GOLDEN, NBREPLAY, ROOT, check, finish, one_error_line, run  # noqa: E402
from torch_preload import Preloaded  # noqa: E402

DEBIAN_PYTHON = '/usr/bin/python3'


def stdout_of(golden):
    """The stdout a golden holds: its lines joined (format 2; format 1 had
    "stdout" as well)."""
    if 'stdout' in golden:
        return golden['stdout']
    texts = [line if isinstance(line, str) else line['text'] for line in golden['lines']]
    return '\n'.join(texts) + ('\n' if golden.get('final_newline') else '')


def copy_goldens(folder):
    os.makedirs(folder)
    for path in glob.glob(os.path.join(GOLDEN, 'cell-*.json')):
        shutil.copy(path, folder)


def break_golden(folder, number=3):
    """Changes line 2 of a golden (as a hand edit would); returns the line."""
    path = os.path.join(folder, 'cell-%02d.json' % number)
    with open(path, encoding='utf-8') as f:
        golden = json.load(f)
    broken = golden['lines'][1].replace('.', ',', 1)  # each line once (format 2)
    golden['lines'][1] = broken
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(golden, f)
    return broken


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def committed_stdout(number):
    return stdout_of(json.loads(read(os.path.join(GOLDEN, 'cell-%02d.json' % number))))


def test_no_torch(tmp):
    python = DEBIAN_PYTHON if os.path.exists(DEBIAN_PYTHON) else sys.executable
    fake = os.path.join(tmp, 'python-without-torch')
    with open(fake, 'w') as f:
        f.write('#!/bin/sh\nexec %s -S "$@"\n' % python)
    os.chmod(fake, 0o755)
    goldens = os.path.join(tmp, 'no-torch')
    copy_goldens(goldens)
    before = {p: read(p) for p in glob.glob(os.path.join(goldens, '*'))}
    p = run('regen', '3', '--yes', '--golden-dir', goldens, env=dict(os.environ, NB_PYTHON=fake))
    check('NB_PYTHON without torch: exit 1, one line that says so',
          one_error_line(p, 1, 'python3-torch is not installed for ' + fake) and p.stdout == '',
          (p.returncode, p.stdout, p.stderr))
    p = run('regen', '3', '--yes', '--golden-dir', goldens, '--python', fake)
    check('--python without torch: the same', one_error_line(p, 1, 'python3-torch is not installed'))
    p = run('regen', '3', '--yes', '--golden-dir', goldens, '--python', os.path.join(tmp, 'nope'))
    check('an interpreter that does not exist: one line', one_error_line(p, 1, 'cannot run'), p.stderr)
    check('... and nothing was written', before == {p: read(p) for p in glob.glob(os.path.join(goldens, '*'))})


def test_usage():
    check('regen of an unknown cell', one_error_line(run('regen', '99'), 2, "unknown cell '99'"))
    check('regen with a missing generator',
          one_error_line(run('regen', '3', '--generator', '/nonexistent/generate.py'), 1,
                         'cannot read the generator'))
    check('regen --help', run('regen', '--help').stdout.startswith('usage: nbreplay regen'))


def test_yes(tmp):
    goldens = os.path.join(tmp, 'yes')
    copy_goldens(goldens)
    broken = break_golden(goldens)
    p = run('regen', '3', '5', '--yes', '--golden-dir', goldens)
    out = p.stdout
    check('regen --yes: exit 0, shows the diff against the committed golden',
          p.returncode == 0 and ('\n-  | ' + broken + '\n') in out and '\n@@ -' in out, (p.stderr, out))
    check('... writes the changed golden, says so, and leaves the unchanged one',
          'wrote %s/cell-03.json' % goldens in out and 'unchanged: cell 5 (elementwise_mul)' in out)
    check('... the golden is what PyTorch prints again',
          stdout_of(json.loads(read(os.path.join(goldens, 'cell-03.json')))) == committed_stdout(3))
    leftovers = [f for f in os.listdir(goldens) if f.startswith('.')]
    check('... no temporary file is left in the golden folder', not leftovers, leftovers)

    mtime = os.stat(os.path.join(goldens, 'cell-05.json')).st_mtime_ns
    p = run('regen', '5', '--yes', '--golden-dir', goldens)
    check('regen of a current golden writes nothing',
          p.returncode == 0 and 'nothing to write' in p.stdout and
          os.stat(os.path.join(goldens, 'cell-05.json')).st_mtime_ns == mtime, p.stdout)

    os.remove(os.path.join(goldens, 'cell-07.json'))
    p = run('regen', '7', '--yes', '--golden-dir', goldens)
    check('a golden that does not exist yet is shown whole and written',
          p.returncode == 0 and '(none yet)' in p.stdout and
          stdout_of(json.loads(read(os.path.join(goldens, 'cell-07.json')))) == committed_stdout(7))


def test_confirmation(tmp):
    goldens = os.path.join(tmp, 'confirm')
    copy_goldens(goldens)
    break_golden(goldens)
    broken_text = read(os.path.join(goldens, 'cell-03.json'))
    p = run('regen', '3', '--golden-dir', goldens)
    check('no terminal and no --yes: exit 1, writes nothing, says so',
          one_error_line(p, 1, 'pass --yes') and read(os.path.join(goldens, 'cell-03.json')) == broken_text,
          p.stderr)

    for answer, written in (('n', False), ('y', True)):
        master, slave = pty.openpty()
        proc = subprocess.Popen([NBREPLAY, 'regen', '3', '--golden-dir', goldens], stdin=slave,
                                stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        seen = b''
        while b'[y/N]' not in seen:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            seen += data
        os.write(master, answer.encode() + b'\n')
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            seen += data
        os.close(master)
        status = proc.wait(timeout=120)
        now = read(os.path.join(goldens, 'cell-03.json'))
        if written:
            check('on a terminal, "y" writes', status == 0 and now != broken_text and
                  stdout_of(json.loads(now)) == committed_stdout(3), seen.decode()[-300:])
        else:
            check('on a terminal, "n" writes nothing (exit 1)',
                  status == 1 and now == broken_text and b'Write 1 golden file' in seen,
                  seen.decode()[-300:])


def test_python_raises(tmp):
    # A repository of one cell whose Python raises, with the real generator.
    repo = os.path.join(tmp, 'repo')
    os.makedirs(os.path.join(repo, 'golden'))
    os.makedirs(os.path.join(repo, 'cells'))
    shutil.copy(os.path.join(ROOT, 'golden', 'generate.py'), os.path.join(repo, 'golden'))
    with open(os.path.join(repo, 'cells', 'cell03_add.py'), 'w') as f:
        f.write('print("half")\nraise ValueError("this cell is broken")\n')
    goldens = os.path.join(tmp, 'raises')
    copy_goldens(goldens)
    break_golden(goldens)
    before = read(os.path.join(goldens, 'cell-03.json'))
    p = run('regen', '3', '--yes', '--golden-dir', goldens,
            '--generator', os.path.join(repo, 'golden', 'generate.py'))
    check('a cell whose Python raises: exit 1, the traceback, "nothing written"',
          p.returncode == 1 and 'ValueError: this cell is broken' in p.stderr and
          p.stderr.splitlines()[-1].endswith('nothing written'), p.stderr[-500:])
    check('... and the golden is untouched', read(os.path.join(goldens, 'cell-03.json')) == before)


def preloaded_python():
    """Whether Debian's Python has torch, and if so NB_PYTHON set to
    tests/preloaded_python, so that every regen below runs generate.py in a
    fork of the test run's interpreter that imported torch once
    (tests/torch_preload.py, docs/testing.md)."""
    if not os.path.exists(DEBIAN_PYTHON) or not Preloaded(DEBIAN_PYTHON).available:
        return False
    os.environ['NB_PYTHON'] = os.path.join(ROOT, 'tests', 'preloaded_python')
    return True


with tempfile.TemporaryDirectory() as tmp:
    test_no_torch(tmp)
    test_usage()
    if preloaded_python():
        test_yes(tmp)
        test_confirmation(tmp)
        test_python_raises(tmp)
        finish()
    finish('python3-torch is not installed for %s: only the no-torch checks ran' % DEBIAN_PYTHON)
