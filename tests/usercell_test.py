#!/usr/bin/env python3
"""End-to-end tests of users' own cells: nbreplay run FILE.c, edit, check,
new (docs/your-own-cells.md, docs/bad-input.md).

Usage: usercell_test.py NBREPLAY REPO_ROOT [--pytorch]. Expected outputs
come from the goldens (real PyTorch); with --pytorch only the `check`
cases run, which run the Python twin in real PyTorch, and the test exits
77 (skipped) when /usr/bin/python3 has no torch.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_preload import Preloaded  # noqa: E402

NBREPLAY, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
PYTORCH = '--pytorch' in sys.argv[3:]
PYTHON = os.environ.get('NB_PYTHON', '/usr/bin/python3')
results = []


def stdout_of(golden):
    """The stdout a golden holds: its lines joined (format 2; format 1 had
    "stdout" as well)."""
    if 'stdout' in golden:
        return golden['stdout']
    texts = [line if isinstance(line, str) else line['text'] for line in golden['lines']]
    return '\n'.join(texts) + ('\n' if golden.get('final_newline') else '')


def run(*args, env=None, timeout=120):
    return subprocess.run([NBREPLAY, *args], capture_output=True, text=True, timeout=timeout,
                          env=env)


def check(name, ok, detail=''):
    results.append(ok)
    print('%s %s%s' % ('ok  ' if ok else 'FAIL', name, '' if ok else '\n    ' + detail))


def golden_stdout(number):
    with open(os.path.join(ROOT, 'golden', 'cell-%02d.json' % number), encoding='utf-8') as f:
        return stdout_of(json.load(f))


def write(name, text):
    with open(name, 'w') as f:
        f.write(text)


def compilers():
    version = run('--version').stdout
    found = ['tcc'] if 'cells: compiled with libtcc' in version else []
    if shutil.which(os.environ.get('CC', 'cc')):
        found.append('cc')
    return found


def test_edit_and_run():
    env = dict(os.environ, EDITOR='true', VISUAL='')
    p = run('edit', '7', env=env)
    check('edit 7 writes bmm.c and bmm.py, runs it, says it matches cell 7',
          p.returncode == 0 and os.path.exists('bmm.c') and os.path.exists('bmm.py') and
          p.stdout.startswith(golden_stdout(7)) and '[same output as notebook cell 7]' in p.stdout,
          'exit %d stdout %r stderr %r' % (p.returncode, p.stdout[-300:], p.stderr))
    for compiler in compilers():
        p = run('run', 'bmm.c', '--compiler', compiler)
        check('run of a cell body (%s) prints the golden' % compiler,
              p.returncode == 0 and p.stdout == golden_stdout(7) and p.stderr == '',
              'exit %d stderr %r' % (p.returncode, p.stderr))
    shutil.copy(os.path.join(ROOT, 'cells', 'cell07_bmm.c'), 'whole.c')
    for compiler in compilers():
        p = run('run', 'whole.c', '--compiler', compiler)
        check('run of a whole cell file (%s) prints the golden' % compiler,
              p.returncode == 0 and p.stdout == golden_stdout(7) and p.stderr == '',
              'exit %d stderr %r' % (p.returncode, p.stderr))
    p = run('run', 'bmm.c', '--seed', '3')
    check('--seed changes what the cell draws', p.returncode == 0 and p.stdout != golden_stdout(7))
    with open('bmm.c', 'a') as f:
        f.write('/* mine */\n')
    p = run('edit', '7', env=env)
    check('edit never overwrites an existing file',
          p.returncode == 0 and open('bmm.c').read().endswith('/* mine */\n') and 'exists' in p.stderr,
          p.stderr)


def test_compile_error():
    write('broken.c', 'print_line(run, "a");\nTensor *T = torch_tensor("[1.]");\nint x = ;\n')
    for compiler in compilers():
        p = run('run', 'broken.c', '--compiler', compiler)
        check('compile error (%s) names the user\'s file and line' % compiler,
              # tcc reports at the token after the error, the next line here
              p.returncode == 3 and p.stdout == '' and
              ('broken.c:3' in p.stderr or (compiler == 'tcc' and 'broken.c:4' in p.stderr)) and
              'broken.c: the cell did not compile' in p.stderr and '<nbreplay>' not in p.stderr,
              'exit %d stderr %r' % (p.returncode, p.stderr))


def expect_stop(name, text, needle, code, *args):
    write(name, text)
    p = run('run', name, *args)
    lines = p.stderr.splitlines()
    check('%s: exit %d, "%s", partial output kept and marked' % (name, code, needle),
          p.returncode == code and p.stdout == 'before\n' and
          any(line == '%s: %s' % (name, needle) for line in lines) and
          any('partial' in line for line in lines),
          'exit %d stdout %r stderr %r' % (p.returncode, p.stdout, p.stderr))


def test_faults():
    expect_stop('nullderef.c', 'print_line(run, "before");\nint *p = 0;\n*p = 1;\n',
                'the cell crashed: segmentation fault', 4)
    expect_stop('aborts.c', '#include <stdlib.h>\nprint_line(run, "before");\nabort();\n',
                'the cell crashed: aborted', 4)
    expect_stop('asserts.c', '#include <assert.h>\nprint_line(run, "before");\nassert(1 == 2);\n',
                'the cell crashed: aborted', 4)
    expect_stop('exits.c', '#include <stdlib.h>\nprint_line(run, "before");\nexit(0);\n',
                'the cell called exit()', 4)
    start = time.monotonic()
    expect_stop('loops.c', 'print_line(run, "before");\nfor (;;) {}\n',
                'the cell ran past its time limit and was stopped', 5, '--timeout', '0.5')
    check('--timeout stops the loop in time', time.monotonic() - start < 10)
    write('fails.c', 'print_line(run, "before");\nTensor *T = torch_tensor("[1.,2.]");\n'
                     'print_tensor(run, tensor_mm(T, T));\n')
    p = run('run', 'fails.c')
    check('a failing line: exit 1, the error, partial output',
          p.returncode == 1 and p.stdout == 'before\n' and 'fails.c: self must be a matrix' in p.stderr,
          'exit %d stdout %r stderr %r' % (p.returncode, p.stdout, p.stderr))
    # Ctrl-C: SIGINT to nbreplay stops the cell and nbreplay reports it
    # (the cell makes a file once compiled and running: SIGINT goes then)
    write('spins.c', 'print_line(run, "before");\nextern int creat(const char *, unsigned);\n'
                     'creat("spinning", 0644);\nfor (;;) {}\n')
    proc = subprocess.Popen([NBREPLAY, 'run', 'spins.c'], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + 30
    while not os.path.exists('spinning') and time.monotonic() < end:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    check('SIGINT stops the cell, nbreplay exits 130 saying so',
          proc.returncode == 130 and out == 'before\n' and 'spins.c: the cell was interrupted' in err,
          'exit %r stdout %r stderr %r' % (proc.returncode, out, err))


def test_new():
    p = run('new', 'mine')
    check('new writes NAME.c and NAME.py', p.returncode == 0 and os.path.exists('mine.c') and
          os.path.exists('mine.py'), p.stderr)
    p = run('run', 'mine.c')
    check('the new cell runs', p.returncode == 0 and p.stdout.startswith('tensor('), p.stderr)
    p = run('new', 'mine')
    check('new never overwrites', p.returncode == 1 and 'not overwritten' in p.stderr, p.stderr)


def wait_for(path, needle, seconds=30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if needle in open(path, errors='replace').read():
            return True
        time.sleep(0.05)
    return False


def test_watch():
    with open('watch.out', 'w') as out:
        proc = subprocess.Popen([NBREPLAY, 'edit', 'bmm.c', '--watch'], stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        first = wait_for('watch.out', 'run 1 ') and wait_for('watch.out', 'Ctrl-C stops')
        text = open('bmm.c').read().replace('print_tensor(run, T3);',
                                            'print_tensor(run, tensor_neg(T3));')
        write('bmm.c', text)
        second = wait_for('watch.out', 'run 2 ') and wait_for('watch.out', 'how it differs from notebook cell 7')
    finally:
        proc.kill()
        proc.wait()
    log = open('watch.out', errors='replace').read()
    check('watch: runs at start, reruns on save, shows the diff against cell 7',
          first and second and '-tensor([[[ 10.,' in log and '+tensor([[[ -10.,' in log, log[-800:])


def test_check():
    p = run('new', 'twin')
    p = run('check', 'twin.c')
    check('check of agreeing C and Python: exit 0', p.returncode == 0 and 'identical' in p.stdout,
          'exit %d stdout %r stderr %r' % (p.returncode, p.stdout, p.stderr))
    write('twin.py', open('twin.py').read().replace('print(T)\n', 'print(T + 1)\n'))
    p = run('check', 'twin.c')
    check('check of disagreeing C and Python: unified diff, exit 1',
          p.returncode == 1 and p.stdout.startswith('--- twin.py (PyTorch)\n+++ twin.c (nbreplay)\n@@') and
          '-tensor([[2., 3.],' in p.stdout and '+tensor([[1., 2.],' in p.stdout,
          'exit %d stdout %r stderr %r' % (p.returncode, p.stdout, p.stderr))
    run('edit', '7', env=dict(os.environ, EDITOR='true', VISUAL=''))
    p = run('check', 'bmm.c')
    check('check of a notebook cell started with edit: identical', p.returncode == 0, p.stdout + p.stderr)
    write('no_torch_python', '#!/bin/sh\nexec %s -S "$@"\n' % PYTHON)
    os.chmod('no_torch_python', 0o755)
    p = run('check', 'bmm.c', '--interpreter', './no_torch_python')
    check('check without PyTorch: one line, exit 77',
          p.returncode == 77 and len(p.stderr.splitlines()) == 1 and 'PyTorch is not installed' in p.stderr,
          'exit %d stderr %r' % (p.returncode, p.stderr))
    p = run('check', 'bmm.c', env=dict(os.environ, TMPDIR=os.path.abspath('no-such-folder')))
    check('check where TMPDIR is missing: one line, exit 1',
          p.returncode == 1 and p.stderr.splitlines() ==
          ['nbreplay: bmm.py: cannot run the Python twin: No such file or directory; nothing compared'],
          'exit %d stderr %r' % (p.returncode, p.stderr))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        if PYTORCH:
            # every `check` below runs its twin in a fork of the test run's
            # interpreter that imported torch once (tests/preloaded_python,
            # docs/testing.md)
            if not Preloaded(PYTHON).available:
                print('skip: %s has no torch (apt-get install python3-torch python3-numpy)' % PYTHON)
                sys.exit(77)
            os.environ['NB_PYTHON'] = os.path.join(ROOT, 'tests', 'preloaded_python')
            test_check()
        else:
            test_edit_and_run()
            test_compile_error()
            test_faults()
            test_new()
            test_watch()
    print('%d passed, %d failed' % (results.count(True), results.count(False)))
    sys.exit(0 if all(results) else 1)


main()
