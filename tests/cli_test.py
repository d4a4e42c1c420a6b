#!/usr/bin/env python3
"""End-to-end tests of the nbreplay command line: output contract, exit
codes, one-line errors on bad input, verify's diff, print on .npy files.

Usage: cli_test.py NBREPLAY REPO_ROOT. Standard library only; expected
outputs come from the goldens and tests/data (written by real PyTorch).
Ends with 'N passed, N failed' and exits 1 if anything failed.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

NBREPLAY, ROOT = sys.argv[1], sys.argv[2]
GOLDEN = os.path.join(ROOT, 'golden')
NPY = os.path.join(ROOT, 'tests', 'data', 'npy')
results = []


def stdout_of(golden):
    """The stdout a golden holds: its lines joined (format 2; format 1 had
    "stdout" as well)."""
    if 'stdout' in golden:
        return golden['stdout']
    texts = [line if isinstance(line, str) else line['text'] for line in golden['lines']]
    return '\n'.join(texts) + ('\n' if golden.get('final_newline') else '')


def run(*args, stdin=None):
    return subprocess.run([NBREPLAY, *args], capture_output=True, text=True, stdin=stdin,
                          timeout=120)


def check(name, ok, detail=''):
    results.append(ok)
    print('%s %s%s' % ('ok  ' if ok else 'FAIL', name, '' if ok else '\n    ' + detail))


def golden_stdout(number):
    with open(os.path.join(GOLDEN, 'cell-%02d.json' % number), encoding='utf-8') as f:
        return stdout_of(json.load(f))


def expect_error(name, args, code, needle):
    """Bad input: the given exit code, nothing on stdout, one stderr line."""
    p = run(*args)
    lines = p.stderr.splitlines()
    ok = p.returncode == code and p.stdout == '' and len(lines) == 1 and needle in p.stderr
    check(name, ok, 'exit %d, stdout %r, stderr %r' % (p.returncode, p.stdout[:200], p.stderr))


def test_run_output_contract():
    for number, name in [(3, 'add'), (7, 'bmm'), (10, 'outer')]:
        for selector in (str(number), name):
            p = run('run', selector)
            check('run %s prints exactly the golden stdout' % selector,
                  p.returncode == 0 and p.stdout == golden_stdout(number) and p.stderr == '',
                  'exit %d stderr %r' % (p.returncode, p.stderr))
    # The timing cell at its notebook size draws 2 GB and multiplies for
    # seconds (minutes under sanitizers); its parameters keep it small.
    p = run('run', '--param', 'K=250', '--param', 'L=100', '--param', 'M=10')
    headers = [line for line in p.stdout.splitlines() if line.startswith('In [')]
    listed = run('list').stdout.splitlines()
    check('run with no cell runs every listed cell under In [n]: headers',
          p.returncode == 0 and len(headers) == len(listed) and headers[0] == 'In [1]:',
          'headers %r' % headers)
    p = run('run', '3', '7')
    check('run 3 7 prints both cells with headers',
          p.stdout == 'In [3]:\n' + golden_stdout(3) + '\nIn [7]:\n' + golden_stdout(7))
    # Our own cell (number 0) goes by its name, between the notebook's 10 and 11.
    p = run('run', '10', 'differentiability')
    check('a cell of our own is headed by its name',
          p.stdout == 'In [10]:\n' + golden_stdout(10) + '\nIn [differentiability]:\n' + golden_stdout(0))
    p = run('verify', 'differentiability')
    check('verify names a cell of our own by its name',
          p.returncode == 0 and p.stdout.startswith('PASS cell differentiability\n'), p.stdout)
    a, b = run('run', '5', '--seed', '17'), run('run', '--seed=17', '5')
    check('--seed before or after the cell', a.stdout == b.stdout and a.stdout != run('run', '5').stdout)


def test_bad_input():
    expect_error('unknown cell', ['run', '99'], 2, "unknown cell '99'")
    expect_error('unknown cell name', ['run', 'nope'], 2, "unknown cell 'nope'")
    expect_error('cell named twice', ['run', '3', 'add'], 2, 'named twice')
    expect_error('negative seed', ['run', '3', '--seed', '-1'], 2, 'Seed must be between 0 and 2**32 - 1')
    expect_error('seed too large', ['run', '3', '--seed', '4294967296'], 2, 'Seed must be between 0 and 2**32 - 1')
    expect_error('seed not a number', ['run', '3', '--seed', 'abc'], 2, "invalid seed 'abc'")
    expect_error('seed missing', ['run', '3', '--seed'], 2, '--seed')
    expect_error('unknown device', ['run', '3', '--device', 'tpu'], 2, "unknown device 'tpu'")
    # --version's cuda line says which of the two refusals applies, if any
    cuda_line = [l for l in run('--version').stdout.splitlines() if l.startswith('cuda:')][0]
    if cuda_line == 'cuda: not built':
        expect_error('cuda without CUDA in the build', ['run', '3', '--device', 'cuda'], 1, 'without CUDA')
    elif 'CUDA is not available' in cuda_line or 'no usable CUDA device' in cuda_line:
        # the line ends with the reason, which --device cuda gives
        expect_error('cuda without a usable device', ['run', '3', '--device', 'cuda'], 1,
                     '--device cuda: ' + cuda_line.rsplit('; ', 1)[1])
    expect_error('cuda:1', ['run', '3', '--device', 'cuda:1'], 1, 'cuda:1')
    expect_error('param for a cell without params', ['run', '3', '--param', 'K=5'], 2, 'takes no parameters')
    expect_error('malformed param', ['run', '3', '--param', 'K'], 2, 'NAME=VALUE')
    expect_error('unknown option', ['run', '3', '--bogus'], 2, '--bogus')
    expect_error('unknown command', ['frobnicate'], 2, "unknown command 'frobnicate'")
    expect_error('list takes no argument', ['list', 'x'], 2, "unexpected argument 'x'")


def test_help_and_version():
    for cmd in (['--help'], ['list', '--help'], ['run', '--help'], ['verify', '--help'],
                ['print', '--help'], ['--version']):
        p = run(*cmd)
        check(' '.join(cmd), p.returncode == 0 and p.stdout and p.stderr == '')
    p = run()
    check('no command: usage on stderr, exit 2', p.returncode == 2 and 'usage:' in p.stderr)
    # The kernel's server is a module loaded for `kernel -f` alone: missing,
    # it is one line and exit 1 (where the build has the kernel at all).
    if 'jupyter kernel: yes' in run('--version').stdout:
        p = subprocess.run([NBREPLAY, 'kernel', '-f', 'conn.json'], capture_output=True, text=True,
                           timeout=120, env=dict(os.environ, NBREPLAY_KERNEL_MODULE='/nonexistent.so'))
        check('kernel without its module: one line, exit 1',
              p.returncode == 1 and p.stdout == '' and p.stderr.count('\n') == 1
              and 'kernel module is missing (/nonexistent.so)' in p.stderr, p.stderr)


def test_verify():
    p = run('verify')
    lines = p.stdout.splitlines()
    check('verify passes every cell', p.returncode == 0 and lines[-1].endswith(' 0 failed'), p.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(os.path.join(GOLDEN, 'cell-03.json'), tmp)
        path = os.path.join(tmp, 'cell-03.json')
        with open(path, encoding='utf-8') as f:
            golden = json.load(f)
        broken = golden['lines'][1].replace('.', ',', 1)  # each line once (format 2)
        golden['lines'][1] = broken
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(golden, f)
        p = run('verify', '3', '--golden-dir', tmp)
        out = p.stdout
        check('a hand-broken golden fails with a unified diff and exit 1',
              p.returncode == 1 and 'FAIL cell 3' in out and '\n@@ -' in out and
              ('\n-' + broken + '\n') in out and out.splitlines()[-1] == '0 passed, 1 failed', out)
        with open(path, 'w', encoding='utf-8') as f:
            f.write('{"format": 1, "cell": 3,')
        p = run('verify', '3', '--golden-dir', tmp)
        check('a truncated golden is an error of its cell, naming the file',
              p.returncode == 1 and 'cell-03.json' in p.stdout and 'ERROR cell 3' in p.stdout, p.stdout)
        p = run('verify', '7', '--golden-dir', tmp)
        check('a missing golden is a failure', p.returncode == 1 and 'cell-07.json' in p.stdout, p.stdout)


def test_print_npy():
    # JSON Lines (tests/corpus/corpus_lib.py): a header, then one
    # {"good"|"bad": entry} a line.
    expected = {'good': [], 'bad': []}
    with open(os.path.join(NPY, 'expected.jsonl'), encoding='utf-8') as f:
        for line in f.readlines()[1:]:
            (section, entry), = json.loads(line).items()
            expected[section].append(entry)
    mismatches = []
    for case in expected['good']:
        for want in case['expected']:
            o = want['options']
            sci = {None: 'none', True: 'true', False: 'false'}[o['sci_mode']]
            p = run('print', os.path.join(NPY, case['file']), '--precision=%d' % o['precision'],
                    '--threshold=%s' % o['threshold'], '--edgeitems=%d' % o['edgeitems'],
                    '--linewidth=%d' % o['linewidth'], '--sci-mode=' + sci)
            if p.returncode != 0 or p.stdout != want['text'] + '\n':
                mismatches.append('%s %r: %r' % (case['file'], o, p.stdout or p.stderr))
    check('print matches PyTorch on every good .npy file and option set', not mismatches,
          '\n    '.join(mismatches[:5]))
    for case in expected['bad']:
        expect_error('print rejects ' + case['file'], ['print', os.path.join(NPY, case['file'])], 1,
                     case['error_contains'])
    expect_error('print of a missing file', ['print', os.path.join(NPY, 'no-such.npy')], 1, 'no-such.npy')
    expect_error('print with a bad option value', ['print', 'x.npy', '--precision=-1'], 2, '--precision')
    expect_error('print without a file', ['print'], 2, 'expected a .npy file')
    expect_error('print --batch with a file', ['print', '--batch', 'x.npy'], 2, 'standard input alone')
    p = subprocess.run([NBREPLAY, 'print', '--batch'], input='x.npy\t--batch\n', capture_output=True,
                       text=True)
    check('print --batch: a line with --batch is a usage error, its output empty',
          p.returncode == 2 and p.stdout == '\0' and 'batch line' in p.stderr, p.stdout + p.stderr)


def test_closed_pipe():
    with subprocess.Popen([NBREPLAY, 'run', '--param', 'K=250', '--param', 'L=100', '--param', 'M=10'],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as p:
        p.stdout.read(10)
        p.stdout.close()
        p.wait(timeout=120)
        err = p.stderr.read().decode()
    check('a reader closing the pipe early is no crash', p.returncode in (0, 1) and err == '',
          'exit %d stderr %r' % (p.returncode, err))


def expect_verify_failure(name, golden_text, needle):
    """A bad golden (a text, or a list of texts that make it): verify
    reports an ERROR of the cell (not a difference) with one reason line
    naming the file, on stdout with the rest of the report; exit 1."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'cell-03.json')
        with open(path, 'w', encoding='utf-8') as f:
            f.writelines([golden_text] if isinstance(golden_text, str) else golden_text)
        p = run('verify', '3', '--golden-dir', tmp)
        lines = p.stdout.splitlines()
        ok = (p.returncode == 1 and p.stderr == '' and len(lines) == 4 and
              lines[0] == 'ERROR cell 3 (add)' and path in lines[1] and needle in lines[1] and
              lines[2:] == ['failed: 3', '0 passed, 0 failed, 1 error'])
        check(name, ok, 'exit %d, stdout %r, stderr %r' % (p.returncode, p.stdout[:300], p.stderr))


def npy_bytes(shape, values):
    """A version 1.0 .npy file of little-endian float64, as NumPy writes it."""
    dims = ', '.join(str(d) for d in shape) + (',' if len(shape) == 1 else '')
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (%s), }" % dims
    header += ' ' * (63 - (10 + len(header)) % 64) + '\n'
    return (b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode('latin1') +
            struct.pack('<%dd' % len(values), *values))


def test_bad_input_edges():
    """The rows of docs/bad-input.md that test_bad_input and test_verify do
    not already cover."""
    # --param: In [9] declares K, L and M (each >= 1).
    params = ['run', 'timing', '--param']
    expect_error('param unknown to the cell', params + ['X=1'], 2, "has no parameter 'X'")
    expect_error('param zero', params + ['K=0'], 2, "parameter K must be an integer >= 1, got '0'")
    expect_error('param negative', params + ['K=-5'], 2, "got '-5'")
    expect_error('param not a number', params + ['K=abc'], 2, "got 'abc'")
    expect_error('param beyond int64', params + ['K=99999999999999999999'], 2, 'got \'99999')
    expect_error('params whose byte count overflows',
                 params + ['K=4294967296', '--param', 'L=4294967296'], 1, 'more than 2**64 bytes')
    with tempfile.TemporaryDirectory() as tmp:
        missing = os.path.join(tmp, 'no-such-folder')
        expect_error('missing golden folder', ['verify', '3', '--golden-dir', missing], 1,
                     'golden folder %s: No such file or directory' % missing)
    expect_verify_failure('corrupt golden JSON', '{"format": 1, "cell": 3 "name": "add"}',
                          'invalid JSON')
    expect_verify_failure('golden JSON of the wrong type', '[1, 2, 3]',
                          'the top level must be an object')
    with open(os.path.join(GOLDEN, 'cell-03.json'), encoding='utf-8') as f:
        golden = json.load(f)
    expect_verify_failure('golden seed of the wrong type',
                          json.dumps(dict(golden, seed='0')), '"seed" must be an integer')
    expect_verify_failure('golden lines of the wrong type',
                          json.dumps(dict(golden, lines={})), '"lines" must be an array')
    # 65 MiB, past the 64 MiB a golden may have: made here, never committed.
    expect_verify_failure('huge golden', ['{"stdout": "'] + ['x' * (1 << 20)] * 65 + ['"}'], 'too large')
    expect_error('print of an endless device', ['print', '/dev/zero'], 1, 'not a .npy file')


def test_endless_npy_stream():
    """A stream with a good header and data, then bytes without end: print
    reads only as far as the header says and refuses the rest. The stream
    comes from a process of its own (cat), not from a thread of ours: when
    nbreplay leaves, the writer dies of SIGPIPE, and nothing here ever
    writes into the closed pipe (the BrokenPipeError that made this flaky)."""
    data = npy_bytes([2, 2], [1.0, 2.0, 3.0, 4.0])
    with tempfile.TemporaryDirectory() as tmp:
        head = os.path.join(tmp, 'head.npy')
        with open(head, 'wb') as f:
            f.write(data)
        feeder = subprocess.Popen(['sh', '-c', 'cat "$1"; exec cat /dev/zero', 'sh', head],
                                  stdout=subprocess.PIPE)
        try:
            p = subprocess.run([NBREPLAY, 'print', '/dev/stdin'], stdin=feeder.stdout,
                               capture_output=True, timeout=60)
        finally:
            feeder.stdout.close()
            feeder.kill()
            feeder.wait()
    out, err = p.stdout, p.stderr.decode()
    check('print of an endless stream stops and refuses it',
          p.returncode == 1 and out == b'' and len(err.splitlines()) == 1 and
          'unexpected bytes after the data' in err, 'exit %d stderr %r' % (p.returncode, err))


def test_pipe_closed_mid_write():
    """Output much larger than a pipe holds, and a reader (head) that leaves
    after one line: the write fails while nbreplay is in it, and nbreplay
    must stop quietly, not die of SIGPIPE or complain."""
    rows, cols = 3000, 100
    values = [(i * 7919 % 10007) / 97.0 for i in range(rows * cols)]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'big.npy')
        with open(path, 'wb') as f:
            f.write(npy_bytes([rows, cols], values))
        printer = subprocess.Popen([NBREPLAY, 'print', path, '--threshold=inf'],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        head = subprocess.Popen(['head', '-n', '1'], stdin=printer.stdout, stdout=subprocess.PIPE)
        printer.stdout.close()
        first = head.communicate(timeout=120)[0].decode()
        err = printer.stderr.read().decode()
        printer.stderr.close()
        printer.wait(timeout=120)
    check('output piped into head: no crash, no message', printer.returncode in (0, 1) and
          err == '' and first.startswith('tensor([['),
          'exit %d stderr %r head %r' % (printer.returncode, err, first[:80]))


for test in (test_run_output_contract, test_bad_input, test_help_and_version, test_verify,
             test_print_npy, test_closed_pipe, test_bad_input_edges, test_endless_npy_stream,
             test_pipe_closed_mid_write):
    test()
print('%d passed, %d failed' % (results.count(True), results.count(False)))
sys.exit(0 if all(results) else 1)
