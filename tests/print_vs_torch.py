#!/usr/bin/python3
"""Throws random arrays and print options at `nbreplay print` and compares
with what real PyTorch prints for print(torch.from_numpy(a)). Every case
goes to one `nbreplay print --batch` (one line of arguments each).

Usage: print_vs_torch.py NBREPLAY [CASES] [SEED]. Needs Debian's Python with
python3-torch and python3-numpy; exits 77 (skipped) without them. The seed
is fixed by default so a failure reproduces; pass another to explore.
Ends with 'N passed, N failed'.
"""
import itertools
import os
import random
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
except ImportError:
    print('print_vs_torch.py: skipped: python3-torch/python3-numpy is not installed')
    sys.exit(77)

DTYPES = [np.float32, np.float64, np.int64, np.bool_]


def random_shape(rng):
    rank = rng.choice([0, 1, 1, 2, 2, 3, 4])
    dims = [rng.choice([0, 1, 2, 3, 5, 8, 40]) if rng.random() < 0.9 else 0 for _ in range(rank)]
    if rng.random() < 0.1:
        dims = [rng.choice([200, 1100, 1500])]
    return tuple(dims)


def random_values(rng, nprng, dtype, shape):
    n = int(np.prod(shape)) if shape else 1
    if dtype == np.bool_:
        return np.asarray(nprng.random(n).reshape(shape) < 0.5)
    if dtype == np.int64:
        scale = rng.choice([10, 1000, 10**12, 2**62])
        return nprng.integers(-scale, scale, n, dtype=np.int64).reshape(shape)
    kind = rng.choice(['normal', 'ints', 'tiny', 'huge', 'mixed', 'special'])
    if kind == 'normal':
        v = nprng.normal(0, rng.choice([1e-3, 1, 100]), n)
    elif kind == 'ints':
        v = nprng.integers(-50, 50, n).astype(np.float64)
    elif kind == 'tiny':
        v = nprng.normal(0, 1e-7, n)
    elif kind == 'huge':
        v = nprng.normal(0, 1e10, n)
    elif kind == 'mixed':
        v = nprng.normal(0, 1, n) * 10.0 ** nprng.integers(-6, 9, n)
    else:
        v = nprng.normal(0, 1, n)
        specials = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0])
        mask = nprng.random(n) < 0.3
        v[mask] = nprng.choice(specials, mask.sum())
    return v.astype(dtype).reshape(shape)


def random_options(rng):
    return {
        'precision': rng.choice([0, 1, 2, 4, 4, 4, 6, 8]),
        'threshold': rng.choice([1000, 1000, 1000, 5, 20, 100]),
        'edgeitems': rng.choice([1, 2, 3, 3, 3, 4]),
        'linewidth': rng.choice([20, 40, 80, 80, 80, 120]),
        'sci_mode': rng.choice([None, None, None, True, False]),
    }


def print_case(path, array, options):
    """(expected, batch line) for one array under one set of print options:
    what PyTorch prints, and the arguments of `nbreplay print` for it."""
    np.save(path, array)
    torch.set_printoptions(**options)
    expected = str(torch.from_numpy(array)) + '\n'
    sci = {None: 'none', True: 'true', False: 'false'}[options['sci_mode']]
    args = [path, '--precision=%d' % options['precision'],
            '--threshold=%d' % options['threshold'], '--edgeitems=%d' % options['edgeitems'],
            '--linewidth=%d' % options['linewidth'], '--sci-mode=' + sci]
    return expected, '\t'.join(args)


def print_all(nbreplay, lines):
    """What `nbreplay print` prints for each batch line: one process for
    them all (`print --batch`, each output ends with a NUL), since a start
    of nbreplay costs more CPU than most prints. Its stderr too."""
    result = subprocess.run([nbreplay, 'print', '--batch'], input=''.join(l + '\n' for l in lines),
                            capture_output=True, text=True)
    outputs = result.stdout.split('\0')
    if len(outputs) != len(lines) + 1 or outputs[-1] != '':
        return (['<print --batch gave %d outputs for %d lines, exit %d>'
                 % (len(outputs) - 1, len(lines), result.returncode)] * len(lines), result.stderr)
    return outputs[:-1], result.stderr


def big_cases(nprng):
    """Tensors printed in full whose text passes the 1 MiB that the printer
    keeps between its measuring pass and its body (src/lib/print.c), so it
    formats them twice. A generator: it draws after the random cases."""
    options = dict(precision=4, threshold=10 ** 9, edgeitems=3, linewidth=80, sci_mode=None)
    floats = nprng.normal(0, 1, 120000).astype(np.float32)
    yield floats, options
    yield floats.reshape(300, 400), dict(options, sci_mode=False)
    yield nprng.integers(-10 ** 12, 10 ** 12, (400, 300), dtype=np.int64), options


def main():
    nbreplay = sys.argv[1]
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261127
    rng, nprng = random.Random(seed), np.random.default_rng(seed)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        drawn = ((random_values(rng, nprng, rng.choice(DTYPES), random_shape(rng)), random_options(rng))
                 for _ in range(cases))
        shown, expected, lines = [], [], []
        for case, (array, options) in enumerate(itertools.chain(drawn, big_cases(nprng))):
            want, line = print_case(os.path.join(tmp, 'a%d.npy' % case), array, options)
            shown.append('%s shape %s options %s' % (array.dtype, array.shape, options))
            expected.append(want)
            lines.append(line)
        actual, errors = print_all(nbreplay, lines)
        for case, (want, got) in enumerate(zip(expected, actual)):
            if got == want:
                passed += 1
                continue
            failed += 1
            if failed <= 5:
                print('FAIL case %d: %s' % (case, shown[case]))
                print('  expected: %r' % want[:300])
                print('  actual:   %r' % got[:300])
        if failed:
            print('nbreplay print --batch wrote on stderr: %r' % errors[:600])
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
