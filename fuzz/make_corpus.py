#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora, fuzz/corpus/TARGET/, from the project's
own test data, so every seed is an input the program really meets:

  npy      every file of tests/data/npy (good and bad, from NumPy)
  golden   every golden/ and tests/data/golden/ file, alone (compared with
           its own stdout) and followed by a NUL and a changed stdout
  literal  the torch.tensor literals the cells use, and literals of every
           shape and dtype kind the parser knows
  cli      command lines of tests/cli_test.py, NUL-separated

Standard library only. Run from anywhere: python3 fuzz/make_corpus.py
"""
import glob
import hashlib
import json
import os
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'fuzz', 'corpus')

LITERALS = [
    '[[1.,2.,3.],[4.,5.,6.]]',
    '[[[1.,2.,3.],[4.,5.,6.]],[[7.,8.,9.],[10.,11.,12.]]]',
    '[1, 2, 3]', '[True, False]', '[]', '[[], []]', '5', '-2.5e-3', '[1e308, -1e-320]',
    '[[1, 2], [3, 4.5]]', '[ 1 ,\t2 ]', '[9223372036854775807, -9223372036854775808]',
    '[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]', '[[1, 2], [3]]', '[1, [2]]', '[inf, nan]', '[1,]',
]

CLI = [
    ['list'], ['run', '3'], ['run', 'bmm', '--seed', '3'], ['run', '--seed=17', '5'],
    ['run', '3', '7'], ['run', '3', '--device', 'cpu'], ['run', '3', '--param', 'K=5'],
    ['run', '3', '--seed', '4294967296'], ['run', '--help'], ['verify', '3'],
    ['verify', '10', '--golden-dir', 'golden'], ['verify', '--device=auto', 'outer'],
    ['print', 'tests/data/npy/good_f4_2x3_v1.npy', '--precision=2', '--linewidth=40'],
    ['print', 'x.npy', '--sci-mode=none', '--threshold=inf', '--edgeitems=1'],
    ['print', '-h'], ['list', 'x'],
]


def write(target, data):
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(data)


def changed(text):
    """The stdout with one digit changed and a line dropped, so the
    comparison has something to report."""
    text = re.sub(r'\d', lambda m: str((int(m.group()) + 1) % 10), text, count=1)
    lines = text.split('\n')
    if len(lines) > 3:
        del lines[len(lines) // 2]
    return '\n'.join(lines)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    for path in sorted(glob.glob(os.path.join(ROOT, 'tests', 'data', 'npy', '*.npy'))):
        with open(path, 'rb') as f:
            write('npy', f.read())
    goldens = sorted(glob.glob(os.path.join(ROOT, 'golden', '*.json')) +
                     glob.glob(os.path.join(ROOT, 'tests', 'data', 'golden', '*.json')))
    for path in goldens:
        with open(path, 'rb') as f:
            data = f.read()
        write('golden', data)
        try:
            record = json.loads(data)
            stdout = record['stdout'] if 'stdout' in record else '\n'.join(
                line if isinstance(line, str) else line['text'] for line in record['lines']) + (
                '\n' if record.get('final_newline') else '')
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(stdout, str):
            write('golden', data + b'\0' + changed(stdout).encode('utf-8'))
    for path in sorted(glob.glob(os.path.join(ROOT, 'cells', '*.c'))):
        with open(path, encoding='utf-8') as f:
            for literal in re.findall(r'torch_tensor\("([^"]*)"\)', f.read()):
                write('literal', literal.encode('utf-8'))
    for literal in LITERALS:
        write('literal', literal.encode('utf-8'))
    for words in CLI:
        write('cli', b'\0'.join(w.encode('utf-8') for w in words))


if __name__ == '__main__':
    main()
