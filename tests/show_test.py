#!/usr/bin/env python3
"""Tests of `nbreplay show` and `nbreplay lesson` as a program sees them
(stdout not a terminal) and as a terminal does (a pseudo-terminal): the
page's parts, colour only on a terminal and never under NO_COLOR, side by
side from 160 columns, the narrative's mathematics as text, lesson on a
non-terminal stdin printing every page.

Usage: show_test.py NBREPLAY REPO_ROOT
"""
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ux_helpers import (NBREPLAY, cell_file, cells, check, fast_params, finish,  # noqa: E402
                        golden_stdout, has_cell, one_error_line, run)

ESC = '\x1b['


def run_on_pty(args, columns=100, env_extra=None):
    """Runs nbreplay with stdout (and stdin, stderr) on a pseudo-terminal of
    the given width; returns (exit status, what it wrote)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 50, columns, 0, 0))
    env = dict(os.environ, TERM='xterm-256color', NBREPLAY_PAGER='cat')  # the pager has tests of its own
    env.pop('NO_COLOR', None)
    env.update(env_extra or {})
    p = subprocess.Popen([NBREPLAY, *args], stdin=slave, stdout=slave, stderr=slave, env=env,
                         close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return p.wait(timeout=120), b''.join(chunks).decode('utf-8', 'replace').replace('\r\n', '\n')


def test_show_page():
    p = run('show', '7')
    out = p.stdout
    python = cell_file(7, 'bmm', 'py')
    c_source = cell_file(7, 'bmm', 'c')
    check('show 7 exits 0 with nothing on stderr', p.returncode == 0 and p.stderr == '', p.stderr)
    check('show 7 on a pipe has no colour', ESC not in out)
    check('show 7 has the title (not repeating the heading), narrative heading and text',
          '━━━ In [7] · bmm ━' in out and
          'Batch matrix multiplication\n───' in out and 'A batch of K MxN matrices' in out, out[:600])
    check('show 7 has the Python, verbatim', python.rstrip('\n') in out)
    check("show 7 has the cell's C statements, not its boilerplate",
          '\nTensor *T3 = tensor_bmm(T1, T2);\n' in out and 'const Cell' not in out and '#include' not in out)
    check('show 7 ends with exactly what the cell prints', out.endswith(golden_stdout(7)))
    check('show 7 on a pipe is laid out for 80 columns (stacked)',
          ' │ ' not in out and out.index('── Python') < out.index('── C ') < out.index('── Output'))
    widths = [len(line) for line in out.splitlines() if not line.startswith('const Cell')]
    check('no line but long C lines (wrapped with ↪) is wider than 80', max(widths) <= 80, max(widths))
    by_name = run('show', 'bmm')
    check('show by name is show by number', by_name.stdout == out)


def test_width():
    p = run('show', '7', '--width', '200')
    rows = [line for line in p.stdout.splitlines() if ' │ ' in line]
    check('--width 200 puts Python and C side by side',
          any(r.startswith('L1=np.random.choice') and 'Tensor *L1 = np_random_choice' in r for r in rows), rows[:3])
    check('side by side: the Python column is on the left, every row within 200 columns',
          rows and all(len(r) <= 200 for r in rows) and rows[0].startswith('── Python'), rows[:1])
    p = run('show', '7', '--width', '159')
    check('159 columns is narrow: one after the other', ' │ ' not in p.stdout)
    env = dict(os.environ, COLUMNS='170')
    p = run('show', '7', env=env)
    check('$COLUMNS sets the width when stdout is no terminal', ' │ ' in p.stdout)
    status, out = run_on_pty(['show', '7', '--color', 'never'], columns=180)
    check("on a 180-column terminal the terminal's width is used", status == 0 and ' │ ' in out)


def test_color():
    status, out = run_on_pty(['show', '3'])
    check('on a terminal show colours', status == 0 and ESC in out)
    status, out = run_on_pty(['show', '3'], env_extra={'NO_COLOR': '1'})
    check('NO_COLOR=1 turns colour off on a terminal', status == 0 and ESC not in out)
    status, out = run_on_pty(['show', '3'], env_extra={'NO_COLOR': ''})
    check('an empty NO_COLOR does not (no-color.org)', status == 0 and ESC in out)
    status, out = run_on_pty(['show', '3', '--color', 'never'])
    check('--color never on a terminal', status == 0 and ESC not in out)
    p = run('show', '3', '--color', 'always', env=dict(os.environ, NO_COLOR='1'))
    check('--color always wins over NO_COLOR, even on a pipe', ESC in p.stdout)
    plain = run('show', '3').stdout
    stripped = p.stdout
    while ESC in stripped:
        start = stripped.index(ESC)
        end = start + 2
        while not ('@' <= stripped[end] <= '~'):
            end += 1
        stripped = stripped[:start] + stripped[end + 1:]
    check('colour adds escapes and nothing else', stripped == plain)


def test_mathematics():
    if not has_cell('differentiability'):
        print('skip the mathematics checks: no differentiability cell')
        return
    p = run('show', 'differentiability', '--width', '120')
    out = p.stdout
    for text in ['f: ℝᵈ → ℝ', 'x ∈ ℝᵈ', 'lim_{h→0} (f(x + h) - f(x) - D(h))/‖h‖ = 0',
                 'lim_{t→0} (f(x + tv) - f(x))/t', 'Σᵢ₌₁ᵈ ∂f/∂xᵢ hᵢ', '(0, 0, …, 0, 1, 0, …, 0)',
                 'θ']:
        check('the narrative reads %r' % text, text in out)
    for raw in ['$', '\\frac', '\\over', '\\partial', '\\mathbb', '\\rightarrow', '\\parallel']:
        narrative = out[:out.index('── Python')]
        check('no %r is left in the narrative' % raw, raw not in narrative)


def test_errors():
    check('show without a cell: usage error',
          one_error_line(run('show'), 2, 'expected a cell'))
    check('show of an unknown cell', one_error_line(run('show', '99'), 2, "unknown cell '99'"))
    check('show with a bad --width', one_error_line(run('show', '3', '--width', '5'), 2, '--width'))
    check('show with a bad --color', one_error_line(run('show', '3', '--color', 'sometimes'), 2,
                                                     '--color'))
    check('show with a --param no selected cell has',
          one_error_line(run('show', '3', '--param', 'K=5'), 2, "parameter 'K'"))
    check('show --help', run('show', '--help').stdout.startswith('usage: nbreplay show'))


def test_lesson_without_terminal():
    listed = cells()
    start = [i for i, (number, _, _) in enumerate(listed) if number == 8][0]
    p = run('lesson', '8', *fast_params())
    titles = [line for line in p.stdout.splitlines() if line.startswith('━━━ In [')]
    check('lesson 8 with stdin not a terminal prints every page from cell 8 on, then exits',
          p.returncode == 0 and len(titles) == len(listed) - start and 'In [8]' in titles[0],
          'exit %d, %r' % (p.returncode, titles))
    check('... and never prompts', 'Enter' not in p.stdout + p.stderr)
    p3 = subprocess.run([NBREPLAY, 'lesson', 'outer'], input='q\n', capture_output=True, text=True,
                        timeout=120)
    outer = [i for i, (_, name, _) in enumerate(listed) if name == 'outer'][0]
    check('a pipe on stdin is no terminal either: the answer "q" is not read',
          p3.returncode == 0 and p3.stdout.count('━━━ In [') == len(listed) - outer)
    check('lesson with no FROM starts at the first cell',
          run('lesson', *fast_params()).stdout.startswith('━━━ In [%s]' % listed[0][0]))
    check('lesson takes one FROM at most', one_error_line(run('lesson', '3', '4'), 2, 'at most one'))


test_show_page()
test_width()
test_color()
test_mathematics()
test_errors()
test_lesson_without_terminal()
finish()
