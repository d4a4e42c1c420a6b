#!/usr/bin/env python3
"""Tests of `nbreplay export`: the Markdown and HTML files hold every cell's
narrative, Python and output; the HTML page is self-contained (KaTeX and
its fonts inlined, nothing to load from the network) with a chart for each
charted cell present; files are written whole or not at all.
(The ipynb is validated by nbformat in ipynb_test.py.)

Usage: export_test.py NBREPLAY REPO_ROOT
"""
import html.parser
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ux_helpers import (NBREPLAY, cell_file, cells, check, fast_params, finish,  # noqa: E402
                        golden_stdout, has_cell, one_error_line, run)


def export(path, *selected):
    return run('export', '-o', path, *selected, *fast_params(list(selected) or None))


def test_markdown(tmp):
    path = os.path.join(tmp, 'notebook.md')
    p = export(path)
    check('export -o notebook.md: exit 0, quiet', p.returncode == 0 and p.stdout == '' and
          p.stderr == '', p.stderr)
    text = open(path, encoding='utf-8').read()
    listed = cells()
    check('one python block per cell', text.count('```python\n') == len(listed),
          text.count('```python\n'))
    for number, name, _ in listed:
        python = cell_file(number, name, 'py').rstrip('\n')
        label = 'In [%d]:' % number if number else 'In [%s]:' % name
        check('md: %s has its label and Python' % name,
              ('%s\n\n```python\n%s\n```' % (label, python)) in text)
        narrative = cell_file(number, name, 'md').strip()
        check('md: %s has its narrative as written' % name, narrative in text)
    check('md: outputs are what nbreplay prints', '```text\n' + golden_stdout(7) + '```' in text)


class PageParser(html.parser.HTMLParser):
    """Collects what a browser would load and the page's structure."""

    def __init__(self):
        super().__init__()
        self.loads, self.sections, self.scripts, self.svgs = [], 0, 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ('src', 'href', 'data', 'poster', 'srcset'):
            value = attrs.get(key) or ''
            if key == 'href' and tag == 'a' and value.startswith('#'):
                continue
            if value:
                self.loads.append('%s %s=%s' % (tag, key, value[:80]))
        if tag == 'link':
            self.loads.append('link %r' % attrs)
        self.sections += tag == 'section' and attrs.get('class') == 'cell'
        self.scripts += tag == 'script'
        self.svgs += tag == 'svg' and attrs.get('class') == 'plot'


def test_html(tmp):
    path = os.path.join(tmp, 'notebook.html')
    p = export(path)
    check('export -o notebook.html: exit 0', p.returncode == 0 and p.stderr == '', p.stderr)
    page = open(path, encoding='utf-8').read()
    parser = PageParser()
    parser.feed(page)
    listed = cells()
    check('html: one section per cell', parser.sections == len(listed), parser.sections)
    check('html: nothing is loaded from anywhere (no src, href, link)', not parser.loads,
          parser.loads[:5])
    check('html: no url() or @import points outside the page',
          not re.search(r'url\((?!data:)|@import', page), re.findall(r'url\((?!data:).{0,40}', page)[:3])
    check('html: no http(s):// URL is used to load anything',
          not re.search(r'(src|href)\s*=\s*["\']?https?://|url\(["\']?https?://', page))
    check('html: KaTeX is inlined (its script, auto-render, stylesheet)',
          'katex' in page and 'renderMathInElement' in page and '.katex{' in page.replace(' ', '') and
          parser.scripts == 3)
    fonts = re.findall(r'url\(data:font/woff2;base64,', page)
    check("html: KaTeX's fonts are inlined as woff2 data (20 of them)", len(fonts) == 20, len(fonts))
    # the code is highlighted: its text is what is left without the markup
    plain_page = html.unescape(re.sub(r'<span class="[a-z]+">|</span>', '', page))
    for number, name, _ in listed:
        python = cell_file(number, name, 'py')
        check('html: %s has its Python' % name, python in plain_page)
    check('html: outputs are what nbreplay prints',
          golden_stdout(10).replace('&', '&amp;') in page)
    charted = has_cell('differentiability') + any(number == 9 for number, _, _ in listed)
    check('html: one SVG chart per charted cell present (%d)' % charted, parser.svgs == charted,
          parser.svgs)
    if has_cell('differentiability'):
        check('html: the mathematics is left for KaTeX, with its delimiters',
              '$$\n\\lim_{h\\rightarrow 0}' in page and '$f:\\mathbb{R}^d \\rightarrow \\mathbb{R}$' in page)
        check('html: the probe chart plots the directional derivative against θ',
              'Directional derivative at the origin against θ' in page)
    if any(number == 9 for number, _, _ in listed):
        check('html: the timing chart has two bars', page.count('<rect class="bar"') == 2)
    p = export(os.path.join(tmp, 'some.html'), '3', '7')
    subset = open(os.path.join(tmp, 'some.html'), encoding='utf-8').read()
    check('html of cells 3 and 7 only: two sections, no chart',
          subset.count('<section class="cell"') == 2 and '<svg class="plot"' not in subset)


def test_formats_and_errors(tmp):
    p = run('export', '-o', '-', '--format', 'md', '3')
    check('-o - writes to stdout', p.returncode == 0 and p.stdout.startswith('<!--') and
          'In [3]:' in p.stdout)
    check('no -o: usage error', one_error_line(run('export', '3'), 2, 'expected -o FILE'))
    check('a name without a known extension needs --format',
          one_error_line(run('export', '-o', os.path.join(tmp, 'x.txt'), '3'), 2, '--format'))
    check('an unknown format', one_error_line(run('export', '-o', 'x', '--format', 'pdf'), 2,
                                              "unknown format 'pdf'"))
    check('an unknown cell', one_error_line(run('export', '-o', os.path.join(tmp, 'y.md'), '99'), 2,
                                            "unknown cell '99'"))
    check('--format wins over the extension',
          run('export', '-o', '-', '--format', 'ipynb', '3').stdout.lstrip().startswith('{'))


def listing(folder):
    return sorted(os.listdir(folder))


def test_atomic_write(tmp):
    # A folder that does not exist: one line, nothing made.
    missing = os.path.join(tmp, 'no', 'such', 'folder', 'x.html')
    p = run('export', '-o', missing, '3')
    check('export into a missing folder: exit 1, one stderr line naming the file',
          one_error_line(p, 1, 'cannot write ' + missing) and not os.path.exists(os.path.dirname(missing)),
          p.stderr)

    # The target is a folder: the temporary file is made, the rename fails,
    # and the temporary file must be gone.
    box = os.path.join(tmp, 'box')
    os.makedirs(os.path.join(box, 'taken.md'))
    p = run('export', '-o', os.path.join(box, 'taken.md'), '3')
    check('a failed rename leaves no temporary file behind',
          p.returncode == 1 and listing(box) == ['taken.md'], (p.stderr, listing(box)))

    # An existing file is replaced whole, with ordinary permissions.
    target = os.path.join(tmp, 'old.md')
    with open(target, 'w') as f:
        f.write('OLD\n')
    p = run('export', '-o', target, '3')
    mode = stat.S_IMODE(os.stat(target).st_mode)
    umask = os.umask(0)
    os.umask(umask)
    check('an existing file is replaced by the export, mode 0666 & ~umask',
          p.returncode == 0 and open(target).read().startswith('<!--') and mode == 0o666 & ~umask,
          oct(mode))

    # A usage error writes nothing.
    with open(target, 'w') as f:
        f.write('OLD\n')
    run('export', '-o', target, '--format', 'pdf')
    check('an export that fails on its command line leaves the file as it was',
          open(target).read() == 'OLD\n')

    # An unwritable folder holding an existing file: the file is untouched,
    # nothing else appears. root may write anywhere, so root runs nbreplay
    # as nobody for this (setpriv, from util-linux).
    locked = os.path.join(tmp, 'locked')
    os.makedirs(locked)
    existing = os.path.join(locked, 'notebook.html')
    with open(existing, 'w') as f:
        f.write('OLD\n')
    os.chmod(locked, 0o555)
    command = [NBREPLAY, 'export', '-o', existing, '3']
    if os.geteuid() == 0:
        setpriv = shutil.which('setpriv')
        if not setpriv:
            print('skip the unwritable-folder check: running as root without setpriv')
            return
        os.chmod(tmp, 0o755)
        command = [setpriv, '--reuid=65534', '--regid=65534', '--clear-groups'] + command
    p = subprocess.run(command, capture_output=True, text=True, timeout=120)
    os.chmod(locked, 0o755)
    check('export into an unwritable folder: exit 1, one stderr line',
          one_error_line(p, 1, 'cannot write ' + existing) and 'Permission denied' in p.stderr,
          (p.returncode, p.stderr))
    check('... the existing file is untouched and nothing else is there',
          open(existing).read() == 'OLD\n' and listing(locked) == ['notebook.html'], listing(locked))


with tempfile.TemporaryDirectory() as tmp:
    test_markdown(tmp)
    test_html(tmp)
    test_formats_and_errors(tmp)
    test_atomic_write(tmp)
finish()
