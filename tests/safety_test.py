#!/usr/bin/env python3
"""Bounded and safe (issue 16): no input hangs nbreplay, exhausts the
machine, or makes it write a file it was not asked to write.

Output paths (export -o, verify --junit, regen's goldens): a regular file
replaced atomically keeping its permissions, a symlink's target written,
devices and FIFOs written directly, a folder refused, a 248-character name,
no temporary file left. Memory limits (ulimit -v, ulimit -d): every command
ends with its result or out of memory. Small inputs that asked for
unbounded resources: a .npy header length, catastrophic golden patterns.
Files that block: FIFOs, folders. regen all or nothing, and clean after a
signal. The smaller defects: long numbers under --rtol/--atol, output to
/dev/full, invalid UTF-8 from goldens, COLUMNS.

Usage: safety_test.py NBREPLAY REPO_ROOT. Standard library only; needs no
root and touches no system file (it writes /dev/null, which discards).
"""
import glob
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ux_helpers import GOLDEN, NBREPLAY, check, finish, one_error_line, run  # noqa: E402

TMP = tempfile.mkdtemp(prefix='nbreplay-safety-')


def leftovers(folder):
    """Temporary files atomic_file would leave: .NAME.XXXXXX."""
    return [n for n in os.listdir(folder) if n.startswith('.')]


def export_to(path):
    return run('export', '-o', path, '--format', 'md', '3')


def export_text():
    return run('export', '-o', '-', '--format', 'md', '3').stdout


# ---- 1. output paths ---------------------------------------------------------

def test_output_paths():
    d = os.path.join(TMP, 'out')
    os.makedirs(d)
    expected = export_text()
    p = export_to('/dev/null')
    check('export -o /dev/null: written directly, /dev/null stays a device',
          p.returncode == 0 and stat.S_ISCHR(os.stat('/dev/null').st_mode), p.stderr)

    fifo = os.path.join(d, 'fifo')
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, 'rb').read()))
    reader.start()
    p = export_to(fifo)
    reader.join(30)
    check('export -o FIFO: written into the FIFO, which stays a FIFO',
          p.returncode == 0 and got and got[0].decode() == expected and
          stat.S_ISFIFO(os.lstat(fifo).st_mode), p.stderr)

    target = os.path.join(d, 'target.md')
    with open(target, 'w') as f:
        f.write('old\n')
    os.chmod(target, 0o600)
    link = os.path.join(d, 'link.md')
    os.symlink('target.md', link)
    p = export_to(link)
    check('export -o SYMLINK: the target written, the link still a link',
          p.returncode == 0 and os.path.islink(link) and open(target).read() == expected, p.stderr)
    check('a 0600 file keeps its permissions', stat.S_IMODE(os.stat(target).st_mode) == 0o600,
          oct(os.stat(target).st_mode))

    chain = os.path.join(d, 'chain.md')
    os.symlink('link.md', chain)
    os.remove(target)
    p = export_to(chain)
    check('a chain of links to no file yet: the final target made',
          p.returncode == 0 and os.path.islink(link) and open(target).read() == expected, p.stderr)

    folder = os.path.join(d, 'folder')
    os.makedirs(folder)
    p = export_to(folder)
    check('export -o FOLDER: refused in one line', one_error_line(p, 1, 'Is a directory') and
          os.listdir(folder) == [], p.stderr)

    long_name = os.path.join(d, 'n' * 248)
    p = export_to(long_name)
    check('a 248-character file name works', p.returncode == 0 and open(long_name).read() == expected,
          p.stderr)
    p = export_to(os.path.join(d, 'x' * 255))
    check('a 255-character file name works', p.returncode == 0, p.stderr)

    p = subprocess.run([NBREPLAY, 'export', '-o', '/dev/stdout', '--format', 'md', '3'],
                       capture_output=True, text=True, timeout=60)
    check('export -o /dev/stdout: on stdout', p.returncode == 0 and p.stdout == expected, p.stderr)
    out_file = os.path.join(d, 'redirected.txt')
    with open(out_file, 'w') as f:
        f.write('before\n')
        f.flush()
        p = subprocess.run([NBREPLAY, 'verify', '3', '--junit', '/dev/stdout'], stdout=f,
                           stderr=subprocess.PIPE, text=True, timeout=120)
    text = open(out_file).read()
    check('verify --junit /dev/stdout into a redirected file: report and XML both there',
          p.returncode == 0 and text.startswith('before\nPASS cell 3') and '<testsuites' in text, text)

    junit_link = os.path.join(d, 'junit-link.xml')
    os.symlink('junit.xml', junit_link)
    p = run('verify', '3', '--junit', junit_link)
    check('verify --junit SYMLINK: the target written', p.returncode == 0 and
          os.path.islink(junit_link) and '<testsuites' in open(os.path.join(d, 'junit.xml')).read())
    p = run('verify', '3', '--junit', '/dev/null')
    check('verify --junit /dev/null: written directly', p.returncode == 0 and
          stat.S_ISCHR(os.stat('/dev/null').st_mode), p.stderr)
    check('no temporary file left behind', leftovers(d) == [], leftovers(d))


# ---- 2. memory limits --------------------------------------------------------

def limited(kind, kib, *args, timeout=60):
    command = 'ulimit -%s %d; exec "$0" "$@"' % (kind, kib)
    start = time.monotonic()
    p = subprocess.run(['bash', '-c', command, NBREPLAY, *args], capture_output=True, text=True,
                       timeout=timeout)
    return p, time.monotonic() - start


def test_memory_limits():
    sanitizers = os.environ.get('NB_SANITIZE', 'none')
    if 'address' in sanitizers or 'thread' in sanitizers:
        print('skip the memory limits: a %s build reserves terabytes of address space' % sanitizers)
        return
    timing = ['run', '9', '--param', 'K=2000', '--param', 'L=1000', '--param', 'M=500']
    for kind, kib in (('v', 60000), ('v', 150000), ('v', 200000), ('v', 400000), ('d', 150000)):
        for args in (['list'], ['run', '3'], ['run', '8'], timing, ['print', os.path.join(
                os.path.dirname(GOLDEN), 'tests', 'data', 'npy', 'good_f4_2x3_v1.npy')]):
            try:
                p, seconds = limited(kind, kib, *args)
            except subprocess.TimeoutExpired:
                check('ulimit -%s %d: %s ends' % (kind, kib, ' '.join(args)), False, 'timed out')
                continue
            ok = p.returncode == 0 or (p.returncode == 1 and len(p.stderr.splitlines()) == 1 and
                                       ('out of memory' in p.stderr or 'memory' in p.stderr))
            check('ulimit -%s %d: %s ends with its result or out of memory (%.1f s)' %
                  (kind, kib, ' '.join(args[:2]), seconds), ok,
                  'exit %d stderr %r' % (p.returncode, p.stderr[-300:]))
    p, _ = limited('v', 200000, *timing)
    check('the memory check before cell 9 respects ulimit -v',
          p.returncode == 1 and 'needs 28.0 MB of memory' in p.stderr, p.stderr)


# ---- 3, 4. unbounded inputs, files that block --------------------------------

def test_npy_header_limit():
    feeder = subprocess.Popen(['sh', '-c', r"printf '\223NUMPY\002\000\377\377\377\377'; "
                               'exec cat /dev/zero'], stdout=subprocess.PIPE)
    start = time.monotonic()
    p = subprocess.run([NBREPLAY, 'print', '/dev/stdin'], stdin=feeder.stdout, capture_output=True,
                       text=True, timeout=60)
    feeder.stdout.close()
    feeder.kill()
    feeder.wait()
    check('a 4 GiB .npy header length is refused first, in seconds',
          p.returncode == 1 and 'Header info length (4294967295) is large' in p.stderr and
          time.monotonic() - start < 10, p.stderr)
    big = os.path.join(TMP, 'big_header.npy')
    with open(big, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + (10001).to_bytes(2, 'little') + b' ' * 10001)
    p = run('print', big)
    check('a header of 10001 characters is refused as NumPy 1.24 refuses it',
          one_error_line(p, 1, 'Header info length (10001) is large'), p.stderr)


def test_blocking_files():
    g = os.path.join(TMP, 'goldens-fifo')
    os.makedirs(g)
    os.mkfifo(os.path.join(g, 'cell-05.json'))
    p = run('verify', '5', '--golden-dir', g, timeout=30)
    check('a FIFO golden: refused, not waited on',
          p.returncode == 1 and 'cell-05.json: not a regular file (a FIFO)' in p.stdout, p.stdout)
    os.remove(os.path.join(g, 'cell-05.json'))
    os.makedirs(os.path.join(g, 'cell-05.json'))
    p = run('verify', '5', '--golden-dir', g)
    check('a folder golden: "is a directory"',
          p.returncode == 1 and 'cell-05.json: is a directory' in p.stdout, p.stdout)
    p = run('print', g)
    check('print FOLDER: "is a directory"', one_error_line(p, 1, ': is a directory'), p.stderr)
    fifo = os.path.join(TMP, 'print-fifo')
    os.mkfifo(fifo)
    env = dict(os.environ, NBREPLAY_STREAM_TIMEOUT='1')
    npy = os.path.join(os.path.dirname(GOLDEN), 'tests', 'data', 'npy', 'good_f4_2x3_v1.npy')
    expected = run('print', npy).stdout
    writer = threading.Thread(target=lambda: open(fifo, 'wb').write(open(npy, 'rb').read()))
    writer.start()
    p = run('print', fifo, env=env, timeout=30)
    writer.join(30)
    check('print FIFO with a writer: read as a stream', p.returncode == 0 and p.stdout == expected,
          p.stderr)


def test_stream_timeouts():
    """The two checks that wait out NBREPLAY_STREAM_TIMEOUT (1 s each): run
    in a thread beside the rest, which has work for the CPU meanwhile."""
    d = os.path.join(TMP, 'timeouts')
    os.makedirs(d)
    env = dict(os.environ, NBREPLAY_STREAM_TIMEOUT='1')
    lonely = os.path.join(d, 'fifo-without-reader')
    os.mkfifo(lonely)
    p = run('export', '-o', lonely, '--format', 'md', '3', env=env, timeout=30)
    check('export -o FIFO with no reader: ends after the timeout, in one line',
          one_error_line(p, 1, 'a FIFO with no reader for 1 s'), p.stderr)
    fifo = os.path.join(d, 'print-fifo')
    os.mkfifo(fifo)
    p = run('print', fifo, env=env, timeout=30)
    check('print FIFO with no writer: ends after the stream timeout',
          one_error_line(p, 1, 'no data for 1 s'), p.stderr)


def golden_with(number, edit):
    with open(os.path.join(GOLDEN, 'cell-%02d.json' % number), encoding='utf-8') as f:
        golden = json.load(f)
    # format 2 holds each line once; as {"text": ...} objects here, so that
    # an edit can give any of them a pattern
    golden['lines'] = [{'text': line} if isinstance(line, str) else line for line in golden['lines']]
    edit(golden)
    return golden


def write_golden(folder, number, golden, raw=None):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, 'cell-%02d.json' % number)
    with open(path, 'wb') as f:
        f.write(raw if raw is not None else json.dumps(golden).encode())


def test_catastrophic_pattern():
    g = os.path.join(TMP, 'goldens-pattern')

    def catastrophic(golden):
        for line in golden['lines']:
            line['pattern'] = '(?:.|.)*(?!)'
    write_golden(g, 5, golden_with(5, catastrophic))
    start = time.monotonic()
    p = run('verify', '5', '--golden-dir', g, timeout=120)
    check('a catastrophic pattern fails in seconds, the cause in the plain report',
          p.returncode == 1 and 'match limit exceeded' in p.stdout and '--- ' not in p.stdout and
          time.monotonic() - start < 10, p.stdout)


# ---- 5. regen all or nothing ---------------------------------------------------

FAKE_GENERATOR = r'''
import json, os, sys, time
args = sys.argv[1:]
out = args[args.index('--out') + 1]
cells = [int(c) for c in args[args.index('--cells') + 1:]]
for n in cells:
    g = json.load(open(os.path.join(os.environ['FAKE_SOURCE'], 'cell-%02d.json' % n)))
    g['lines'][0] += ' '  # format 2: each line once, an exact line a string
    json.dump(g, open(os.path.join(out, 'cell-%02d.json' % n), 'w'))
time.sleep(float(os.environ.get('FAKE_SLEEP', '0')))
'''


def test_regen_all_or_nothing():
    base = os.path.join(TMP, 'regen')
    goldens, tmpdir = os.path.join(base, 'golden'), os.path.join(base, 'tmp')
    os.makedirs(tmpdir)
    shutil.copytree(GOLDEN, goldens)
    generator = os.path.join(base, 'fake_generate.py')
    with open(generator, 'w') as f:
        f.write(FAKE_GENERATOR)
    env = dict(os.environ, FAKE_SOURCE=GOLDEN, TMPDIR=tmpdir)
    before = {n: open(os.path.join(goldens, 'cell-%02d.json' % n), 'rb').read() for n in (3, 7)}
    # cell 5's golden cannot be written (a folder is in the way): none is
    os.remove(os.path.join(goldens, 'cell-05.json'))
    os.makedirs(os.path.join(goldens, 'cell-05.json'))
    args = ['regen', '3', '5', '7', '--yes', '--golden-dir', goldens, '--generator', generator,
            '--python', sys.executable]
    p = run(*args, env=env)
    after = {n: open(os.path.join(goldens, 'cell-%02d.json' % n), 'rb').read() for n in (3, 7)}
    check('regen: one golden cannot be written, so none is',
          p.returncode == 1 and 'nothing written' in p.stderr and after == before and
          'wrote' not in p.stdout and leftovers(goldens) == [], p.stderr)
    os.rmdir(os.path.join(goldens, 'cell-05.json'))
    p = run(*args, env=env)
    check('regen: all three written when all can be',
          p.returncode == 0 and p.stdout.count('wrote ') == 3 and leftovers(goldens) == [], p.stderr)
    for sig in (signal.SIGTERM, signal.SIGINT):
        shutil.rmtree(goldens)
        shutil.copytree(GOLDEN, goldens)
        slow = dict(env, FAKE_SLEEP='30')
        proc = subprocess.Popen([NBREPLAY, *args], env=slow, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not glob.glob(os.path.join(tmpdir, 'nbreplay-regen-*',
                                                                         'cell-07.json')):
            time.sleep(0.05)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
        untouched = all(open(os.path.join(goldens, 'cell-%02d.json' % n), 'rb').read() ==
                        open(os.path.join(GOLDEN, 'cell-%02d.json' % n), 'rb').read() for n in (3, 5, 7))
        check('regen and %s: ends of it, says nothing was written, leaves no temporary folder' %
              signal.Signals(sig).name,
              proc.returncode == -sig and 'interrupted; nothing written' in err and untouched and
              os.listdir(tmpdir) == [] and leftovers(goldens) == [], (proc.returncode, err))


# ---- 6. the smaller defects ----------------------------------------------------

def test_smaller_defects():
    g = os.path.join(TMP, 'goldens-long-number')

    def long_number(value):
        def edit(golden):
            text = golden['lines'][0]['text']
            golden['lines'][0]['text'] = text.replace('5.', value, 1)
        return edit
    # 5.000…0001e5 is 500000.0000…1, not the 5. cell 5 prints; cut at 63
    # characters it would read as 5
    write_golden(g, 5, golden_with(5, long_number('5.' + '0' * 62 + '1e5')))
    p = run('verify', '5', '--golden-dir', g, '--rtol', '0', '--atol', '0')
    check('--rtol 0 --atol 0: a long golden number is compared whole', p.returncode == 1, p.stdout)
    write_golden(g, 5, golden_with(5, long_number('5.' + '0' * 80 + 'e0')))
    p = run('verify', '5', '--golden-dir', g, '--rtol', '0', '--atol', '0')
    check('--rtol 0 --atol 0: a long golden number equal to the output passes', p.returncode == 0,
          p.stdout)

    for args in (['--help'], ['--version'], ['list', '--help'], ['list']):
        with open('/dev/full', 'w') as full:
            p = subprocess.run([NBREPLAY, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                               timeout=60)
        check('%s > /dev/full: exit 1 and why' % ' '.join(args),
              p.returncode == 1 and 'No space left on device' in p.stderr, p.stderr)

    raw = json.dumps(golden_with(5, lambda golden: golden['lines'][0].update(
        text='tensor \x1b[31mRED\x1b[0m \udcff end')), ensure_ascii=False)
    g = os.path.join(TMP, 'goldens-utf8')
    write_golden(g, 5, None, raw.encode('utf-8', 'surrogateescape'))
    for args in ([], ['--tap']):
        p = subprocess.run([NBREPLAY, 'verify', '5', '--golden-dir', g, *args], capture_output=True,
                           timeout=60)
        check('invalid UTF-8 and escapes from a golden are not echoed raw%s' %
              (' (--tap)' if args else ''),
              p.returncode == 1 and b'\x1b' not in p.stdout and b'\xff' not in p.stdout and
              b'\\x1b[31mRED' in p.stdout and b'\\xff end' in p.stdout, p.stdout[-400:])

    env = dict(os.environ, COLUMNS='1001')
    wide = run('show', '3', env=env)
    widest = run('show', '3', '--width', '1000')
    check('COLUMNS=1001 is held to --width\'s 1000', wide.returncode == 0 and wide.stdout == widest.stdout,
          wide.stderr)


waiting = threading.Thread(target=test_stream_timeouts)
waiting.start()
for test in (test_output_paths, test_memory_limits, test_npy_header_limit, test_blocking_files,
             test_catastrophic_pattern, test_regen_all_or_nothing, test_smaller_defects):
    test()
waiting.join()
shutil.rmtree(TMP, ignore_errors=True)
finish()
