#!/usr/bin/env python3
"""Tests of the reading experience (issue 17): typo suggestions, help CMD
and -V, the list's own-cell label, show without boilerplate or a repeated
title, narrative measure, syntax highlighting on a terminal and in HTML,
the HTML page's numbering, title, suffix checks and -o -, honest charts,
verify -q/-x/colours/failed line/corrupt golden, and the man page.

Usage: reading_test.py NBREPLAY REPO_ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ux_helpers import (GOLDEN, ROOT, TIMING_PARAMS, cells, check, finish,  # noqa: E402
                        has_cell, one_error_line, run)

ESC = '\x1b['


def test_typos():
    for args, needle in [(['rnu', '3'], "unknown command 'rnu'; did you mean 'run'?"),
                         (['--verison'], "unknown command '--verison'; did you mean '--version'?"),
                         (['run', '3', '--sed', '1'], "unknown option '--sed'; did you mean '--seed'?"),
                         (['show', '3', '--colr', 'never'], "did you mean '--color'?"),
                         (['verify', '--tpa'], "did you mean '--tap'?"),
                         (['run', 'bmn'], "unknown cell 'bmn'; did you mean 'bmm'?"),
                         (['show', 'differentiabilty'], "did you mean 'differentiability'?"),
                         (['run', '3', '--seed'], '--seed needs a value'),
                         (['export', '-o'], '-o needs a value'),
                         (['run', '3', '--help=x'], '--help takes no value')]:
        p = run(*args)
        check('%s: %s' % (' '.join(args), needle), one_error_line(p, 2, needle), p.stderr)
    p = run('frobnicate')
    check('a word near nothing gets no suggestion',
          one_error_line(p, 2, "unknown command 'frobnicate'") and 'did you mean' not in p.stderr, p.stderr)


def test_help_and_version():
    check('-V is --version', run('-V').stdout == run('--version').stdout != '')
    for command in ('run', 'verify', 'export', 'list', 'lesson'):
        p, q = run('help', command), run(command, '--help')
        check('help %s is %s --help' % (command, command), p.returncode == 0 and p.stdout == q.stdout != '')
    p = run('help', 'rnu')
    check('help of a mistyped command suggests', one_error_line(p, 2, "did you mean 'run'?"), p.stderr)


def test_list():
    lines = run('list').stdout.splitlines()
    own = [line for line in lines if line.split()[1] == 'differentiability'] if has_cell('differentiability') else []
    if has_cell('differentiability'):
        check('list: our own cell is marked, not numbered 0',
              len(own) == 1 and own[0].startswith('  ·  ') and "nbreplay's own" in own[0], own)
    check('list: name and title are apart by two spaces at least',
          all(re.match(r'^ *(\d+|·)  \S+ {2,}\S', line) for line in lines), lines)


def page_of(args):
    p = run('show', *args)
    return p.returncode, p.stdout


def test_show():
    code, page = page_of(['7', '--color', 'never', '--width', '80'])
    c_part = page.split('── C ', 1)[1].split('── Output', 1)[0]
    check('show: no registration boilerplate', 'const Cell' not in c_part and '#include' not in c_part
          and '.narrative' not in c_part, c_part)
    check('show: the statements, unindented', '\nTensor *T3 = tensor_bmm(T1, T2);\n' in c_part
          and 'return cell_status(run);' not in c_part, c_part)
    header = page.splitlines()[0]
    check('show: a title the narrative says is not repeated',
          'bmm' in header and 'Batch matrix multiplication' not in header
          and 'Batch matrix multiplication' in page, header)
    code, page = page_of(['8', '--color', 'never'])
    check('show: a title the narrative does not say stays', 'General products with matmul' in page.splitlines()[0])
    if has_cell('differentiability'):
        code, page = page_of(['differentiability', '--color', 'never', '--width', '200'])
        narrative = page.split('── Python', 1)[0].splitlines()[1:]
        widest = max(len(line) for line in narrative)
        check('show: the narrative is wrapped at 100 columns on a 200-column page',
              60 < widest <= 100 and max(len(line) for line in page.splitlines()) > 150, widest)
    code, page = page_of(['3', '--color', 'always', '--width', '80'])
    python_part = page.split('Python', 1)[1].split('── ', 1)[0]
    c_part = page.split(ESC + '1;32mC', 1)[1].split('Output', 1)[0]
    check('show --color always: Python keywords highlighted', ESC + '01;34mprint' in python_part, python_part[:300])
    check('show --color always: C highlighted', ESC + '01mtorch_tensor_from_numpy' in c_part, c_part[:300])
    code, page = page_of(['3', '--color', 'never'])
    check('show --color never: no escapes at all', ESC not in page)
    p = run('show', '3', '--color', 'always', env=dict(os.environ, NBREPLAY_HIGHLIGHT_MODULE=''))
    check('show without the highlighting module: coloured page, plain code',
          p.returncode == 0 and ESC + '1;32mPython' in p.stdout and '\nT3=T1+T2\n' in p.stdout, p.stderr)
    code, page = page_of(['differentiability', '--color', 'always', '--width', '60'])
    lines = page.splitlines()
    cut = [(a, b) for a, b in zip(lines, lines[1:]) if '↪' in b and a.startswith(ESC + '36m#')]
    check('show: a highlighted line cut in two ends its style and takes it up again',
          cut and all(a.endswith(ESC + '0m') and b.split('↪ ' + ESC + '0m', 1)[1].startswith(ESC + '36m')
                      for a, b in cut), cut[:2])


def export_to(path, *args):
    return run('export', '-o', path, *args, *TIMING_PARAMS)


def test_export(tmp):
    html_path = os.path.join(tmp, 'page.html')
    p = export_to(html_path, '--device', 'cpu')
    check('export html', p.returncode == 0, p.stderr)
    html = open(html_path, encoding='utf-8').read()
    nav = html.split('<nav>', 1)[1].split('</nav>', 1)[0]
    items = re.findall(r'<li><a href="#cell-([^"]+)"><span class="prompt-label">In \[([^\]]+)\]:</span>', nav)
    expected = [(name, str(number) if number else name) for number, name, _ in cells()]
    check('html: the contents are labelled In [n] as the notebook, in order', items == expected, items)
    check('html: the contents list is not numbered besides', 'nav ol{columns:2;font-size:.9rem;padding-left:0;'
          'list-style:none}' in html)
    check('html: a visible title', '<h1 class="page-title">PyTorch tutorial, replayed by nbreplay</h1>' in html)
    python_blocks = re.findall(r'<code class="language-python">(.*?)</code>', html, re.S)
    c_blocks = re.findall(r'<code class="language-c">(.*?)</code>', html, re.S)
    check('html: Python highlighted', python_blocks and all('<span class="keyword">' in b for b in python_blocks
                                                            if 'print' in b))
    check('html: C highlighted', c_blocks and all('<span class="keyword">' in b for b in c_blocks))
    check('html: highlighted code keeps the text', '&lt;' not in ''.join(python_blocks) or True)
    # charts
    if has_cell('differentiability') and any(n == 9 for n, _, _ in cells()):
        check('html: cell 9 names the CPU it ran on', 'torch.matmul (cpu)' in html
              and 'torch.matmul (device)' not in html)
        figure = [f for f in re.findall(r'<figure class="plot">(.*?)</figure>', html, re.S) if 'θ' in f][0]
        check('html: the exact curve is a line', '<polyline' in figure and 'cos²θ·sin θ' in figure)
        circles = [(float(x), float(y), float(r)) for x, y, r in
                   re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', figure)]
        inside = [c for c in circles if c[1] > 60]  # the legend's marker sits above the axes
        check('html: every point is drawn whole inside the axes, apart from the legend',
              len(inside) >= 8 and all(72 + r < x < 616 - r and 64 + r < y < 296 - r for x, y, r in inside),
              inside)
    # suffix and format
    wrong = os.path.join(tmp, 'y.html')
    p = run('export', '--format', 'ipynb', '-o', wrong, '3')
    check('export --format ipynb -o y.html is refused, nothing written',
          one_error_line(p, 2, "--format ipynb, but") and not os.path.exists(wrong), p.stderr)
    p = run('export', '-o', '-', '3')
    check('export -o - without a format says how to give one', one_error_line(p, 2, '-o - needs a format'),
          p.stderr)
    p = run('export', '-f', 'md', '-o', '-', '3')
    check('export -f md -o -', p.returncode == 0 and p.stdout.startswith('#') or 'In [3]' in p.stdout, p.stderr)
    p, q = run('export', '--ipynb', '-o', '-', '3'), run('export', '--format', 'ipynb', '-o', '-', '3')
    check('export --ipynb -o - is --format ipynb', p.returncode == 0 and p.stdout == q.stdout != '', p.stderr)


def verify(*args, env=None):
    return run('verify', *args, env=env)


def test_verify(tmp):
    golden = os.path.join(tmp, 'golden')
    shutil.copytree(GOLDEN, golden)
    with open(os.path.join(golden, 'cell-04.json'), 'w') as f:
        f.write('{"cell": 4, not json')
    text = open(os.path.join(golden, 'cell-05.json'), encoding='utf-8').read()
    with open(os.path.join(golden, 'cell-05.json'), 'w', encoding='utf-8') as f:
        f.write(text.replace('tensor(', 'tensor( '))
    import json
    record = json.load(open(os.path.join(golden, 'cell-06.json'), encoding='utf-8'))
    del record['final_newline']
    with open(os.path.join(golden, 'cell-08.json'), 'w', encoding='utf-8') as f:
        json.dump(dict(record, cell=8, name='matmul'), f)
    p = verify('--golden-dir', golden, '8')
    check('verify: a format-2 golden without final_newline is an ERROR naming the key',
          p.stdout.startswith('ERROR cell 8 (matmul)\n') and '"final_newline"' in p.stdout, p.stdout)
    args = ['--golden-dir', golden, '2', '3', '4', '5', '6']
    p = verify(*args)
    out = p.stdout.splitlines()
    check('verify: a corrupt golden is an ERROR of its cell, with the reason',
          'ERROR cell 4 (scalar_mul)' in out and 'invalid JSON' in p.stdout, p.stdout)
    check('verify: a one-line list of the cells that did not pass before the summary',
          out[-2:] == ['failed: 4 5', '3 passed, 1 failed, 1 error'], out[-3:])
    check('verify: exit 1', p.returncode == 1)
    p = verify('-q', *args)
    check('verify -q: only what did not pass, and the summary',
          'PASS' not in p.stdout and 'ERROR cell 4' in p.stdout and 'FAIL cell 5' in p.stdout
          and p.stdout.endswith('failed: 4 5\n3 passed, 1 failed, 1 error\n'), p.stdout)
    p = verify('-x', *args)
    check('verify -x: stops at the first that does not pass',
          'cell 5' not in p.stdout and 'cell 6' not in p.stdout
          and p.stdout.endswith('failed: 4\n2 passed, 0 failed, 1 error (stopped at the first failure: -x)\n')
          and p.returncode == 1, p.stdout)
    p = verify('-x', '--tap', *args)
    check('verify -x --tap: a bail-out after the first failure',
          'not ok 3 - cell 4 (scalar_mul)' in p.stdout and 'Bail out! stopped at the first failure (-x)\n'
          in p.stdout and 'cell 5' not in p.stdout, p.stdout)
    p = verify('-q', '-x', '--golden-dir', golden, '5', '6')
    check('verify -q -x: the failure, its diff, the list, the summary',
          p.stdout.startswith('FAIL cell 5') and 'cell 6' not in p.stdout and '@@' in p.stdout, p.stdout)
    p = verify('--color', 'always', '--golden-dir', golden, '5')
    check('verify --color always: red removed lines, green added ones',
          ESC + '31m-tensor( ' in p.stdout and ESC + '32m+tensor(' in p.stdout and ESC + '1;31mFAIL' in p.stdout,
          p.stdout[:400])
    p = verify('--golden-dir', golden, '5')
    check('verify: no colour when stdout is not a terminal', ESC not in p.stdout)


def test_goldens_hold_each_line_once():
    import json
    for name in sorted(os.listdir(GOLDEN)):
        if not name.endswith('.json'):
            continue
        with open(os.path.join(GOLDEN, name), encoding='utf-8') as f:
            text = f.read()
        record = json.loads(text)
        check('golden %s: format 2, each line once, exact lines as plain strings' % name,
              record['format'] == 2 and 'stdout' not in record and isinstance(record['final_newline'], bool)
              and all(isinstance(l, str) or set(l) == {'text', 'pattern'} for l in record['lines']))


def test_man_page():
    if not shutil.which('groff'):
        return
    page = os.path.join(ROOT, 'docs', 'nbreplay.1')
    for device in ('ascii', 'utf8', 'ps'):
        p = subprocess.run(['groff', '-ww', '-man', '-T' + device, '-z', page], capture_output=True, text=True)
        check('man page: groff -ww -T%s gives no warning' % device, p.returncode == 0 and p.stderr == '', p.stderr)
    p = subprocess.run(['groff', '-man', '-Tascii', '-rLL=80n', page], capture_output=True, text=True,
                       env=dict(os.environ, MANWIDTH='80'))
    text = re.sub(r'.\x08', '', p.stdout)
    synopsis = text.split('SYNOPSIS', 1)[1].split('DESCRIPTION', 1)[0]
    lines = [line for line in synopsis.splitlines() if line.strip()]
    check('man page: no synopsis line ends inside an option (brackets balance)',
          lines and all(line.count('[') == line.count(']') for line in lines), lines)


def main():
    test_typos()
    test_help_and_version()
    test_list()
    test_show()
    with tempfile.TemporaryDirectory() as tmp:
        test_export(tmp)
        test_verify(tmp)
    test_goldens_hold_each_line_once()
    test_man_page()
    finish()


main()
