#!/usr/bin/env python3
"""Tests verify's CI reports: --junit FILE (well-formed JUnit XML, one
testcase per cell, a failure carrying the diff, written atomically) and
--tap (TAP 13 on stdout, a failure's YAML block holding the diff), on the
committed goldens and on a hand-broken one in a temporary folder.

Usage: verify_reports_test.py NBREPLAY REPO_ROOT
"""
import glob
import json
import os
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ux_helpers import GOLDEN, cells, check, finish, one_error_line, run  # noqa: E402


def label(number, name):
    return 'cell %s' % name if number == 0 else 'cell %d (%s)' % (number, name)


def broken_goldens(tmp):
    """A copy of golden/ with line 2 of cell 3's golden changed; returns the
    changed line."""
    for path in glob.glob(os.path.join(GOLDEN, 'cell-*.json')):
        shutil.copy(path, tmp)
    path = os.path.join(tmp, 'cell-03.json')
    with open(path, encoding='utf-8') as f:
        golden = json.load(f)
    broken = golden['lines'][1].replace('.', ',', 1)  # each line once (format 2)
    golden['lines'][1] = broken
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(golden, f)
    return broken


def test_junit(tmp):
    listed = cells()
    report = os.path.join(tmp, 'ok.xml')
    p = run('verify', '--junit', report)
    root = ET.parse(report).getroot()
    cases = root.findall('.//testcase')
    check('verify --junit: exit 0, the usual report on stdout',
          p.returncode == 0 and p.stdout.splitlines()[-1].endswith(' 0 failed'), p.stdout[-300:])
    check('junit: well-formed, one testcase per cell, named as verify names them',
          [c.get('name') for c in cases] == [label(n, name) for n, name, _ in listed],
          [c.get('name') for c in cases])
    suite = root.find('testsuite')
    check('junit: counts', suite.get('tests') == str(len(listed)) and suite.get('failures') == '0')
    check('junit: every testcase has a time', all(float(c.get('time')) >= 0 for c in cases))

    goldens = os.path.join(tmp, 'goldens')
    os.makedirs(goldens)
    broken = broken_goldens(goldens)
    report = os.path.join(tmp, 'broken.xml')
    p = run('verify', '3', '5', '--golden-dir', goldens, '--junit', report)
    root = ET.parse(report).getroot()
    failures = {c.get('name'): c.find('failure') for c in root.findall('.//testcase')}
    failure = failures.get('cell 3 (add)')
    check('junit: the broken golden is a failure, exit 1',
          p.returncode == 1 and failure is not None and failures['cell 5 (elementwise_mul)'] is None)
    check('junit: the failure carries the unified diff',
          failure is not None and '\n@@ -' in failure.text and ('\n-' + broken + '\n') in failure.text and
          'output differs from' in failure.get('message'), failure.text if failure is not None else None)
    check('junit: suite counts the failure', root.find('testsuite').get('failures') == '1')

    os.remove(os.path.join(goldens, 'cell-07.json'))
    report = os.path.join(tmp, 'missing.xml')
    run('verify', '7', '--golden-dir', goldens, '--junit', report)
    failure = ET.parse(report).getroot().find('.//failure')
    check('junit: a missing golden is a failure naming the file',
          failure is not None and 'cell-07.json' in failure.get('message'))

    p = run('verify', '3', '--junit', os.path.join(tmp, 'no', 'such', 'dir', 'r.xml'))
    check('junit into a missing folder: exit 1, one stderr line, the report still on stdout',
          one_error_line(p, 1, 'cannot write') and 'PASS cell 3' in p.stdout, p.stderr)
    leftovers = [f for f in os.listdir(tmp) if f.startswith('.')]
    check('junit files are written atomically: no temporary file left', not leftovers, leftovers)


def test_tap(tmp):
    listed = cells()
    p = run('verify', '--tap')
    lines = p.stdout.splitlines()
    check('verify --tap: TAP version 13 and a plan for every cell',
          lines[0] == 'TAP version 13' and lines[1] == '1..%d' % len(listed), lines[:2])
    oks = [line for line in lines if line.startswith('ok ')]
    check('tap: one ok per cell, numbered in order',
          oks == ['ok %d - %s' % (i + 1, label(n, name)) for i, (n, name, _) in enumerate(listed)], oks)
    check('tap: a summary comment, exit 0',
          lines[-1] == '# %d passed, 0 failed' % len(listed) and p.returncode == 0)

    goldens = os.path.join(tmp, 'tap-goldens')
    os.makedirs(goldens)
    broken = broken_goldens(goldens)
    p = run('verify', '5', '3', '--golden-dir', goldens, '--tap')
    lines = p.stdout.splitlines()
    check('tap: the broken golden is "not ok 2", exit 1',
          'ok 1 - cell 5 (elementwise_mul)' in lines and 'not ok 2 - cell 3 (add)' in lines and
          p.returncode == 1, lines[:6])
    start = lines.index('not ok 2 - cell 3 (add)')
    block = lines[start + 1:lines.index('  ...', start)]
    check('tap: a YAML block with the message and the diff, indented',
          block[0] == '  ---' and block[1].startswith('  message: "output differs from') and
          '  diff: |' in block and ('    -' + broken) in block and
          all(line.startswith('  ') for line in block), block[:8])
    check('tap: the plan matches the test lines',
          lines[1] == '1..2' and len([l for l in lines if re_test(l)]) == 2)


def re_test(line):
    return line.startswith('ok ') or line.startswith('not ok ')


with tempfile.TemporaryDirectory() as tmp:
    test_junit(tmp)
    test_tap(tmp)
finish()
