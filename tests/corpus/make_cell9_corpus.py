#!/usr/bin/python3
"""make_cell9_corpus: records, for a few seeds and sizes, what cell 9 of the
notebook computes with NumPy: X=np.random.normal(0,1,(K,L)),
Y=np.random.normal(0,1,(L,M)) right after np.random.seed(seed), and their
product np.matmul(X,Y), so that tests/test_cell09.c can hold our draws (bit
for bit) and our matmul of them (to rounding) to NumPy's.

Run with Debian's Python, which has NumPy 1.24:

    /usr/bin/python3 tests/corpus/make_cell9_corpus.py [--seed SALT] [--out DIR]

Output: DIR/cell9_corpus.jsonl (default tests/data), one case a line
(tests/corpus/corpus_lib.py). Every case is named; those whose seed is not
the point of the case draw it from the hash of the salt (--seed, default
the committed one) and their name.

Doubles are float.hex strings (exact through strtod). X and Y are recorded
by their first and last values and by the sum, modulo 2**64, of their
values' 64-bit patterns, which any single differing draw changes; the
product is recorded whole.
"""
import os

import numpy as np

from corpus_lib import arguments, case_seed, write_jsonl

SALT = 20240601  # the committed corpus's
RANDOM = None  # a seed hashed from the salt and the case's name

# (name, seed, K, L, M): the golden's size for seed 0; K*L odd, so Y starts
# with the Gaussian that X's last draw cached; a 1x1x1 product at the
# largest seed; an uneven size; X of 104927 values, drawn in several of
# src/lib/rng.c's batches of 16384 pairs, odd again.
CASES = [
    ("golden", 0, 250, 100, 10),
    ("odd K*L", RANDOM, 3, 5, 7),
    ("1x1x1, largest seed", 4294967295, 1, 1, 1),
    ("uneven", RANDOM, 64, 33, 17),
    ("several batches", RANDOM, 317, 331, 2),
]
EDGE = 4  # first and last values recorded of X and Y


def hexes(values):
    return [float(v).hex() for v in values]


def bits_sum(array):
    return "%016x" % (int(array.ravel().view(np.uint64).sum(dtype=np.uint64)))


def case(name, seed, K, L, M):
    if seed is RANDOM:
        seed = case_seed(SALT, name, bits=32)
    np.random.seed(seed)
    X = np.random.normal(0, 1, (K, L))
    Y = np.random.normal(0, 1, (L, M))
    Z = np.matmul(X, Y)
    return {
        "name": name, "seed": seed, "K": K, "L": L, "M": M,
        "x_first": hexes(X.ravel()[:EDGE]), "x_last": hexes(X.ravel()[-EDGE:]),
        "y_first": hexes(Y.ravel()[:EDGE]), "y_last": hexes(Y.ravel()[-EDGE:]),
        "x_bits_sum": bits_sum(X), "y_bits_sum": bits_sum(Y),
        "product": hexes(Z.ravel()),
    }


def main():
    global SALT
    args = arguments(__doc__, SALT)
    SALT = args.salt
    out = write_jsonl(os.path.join(args.out, "cell9_corpus.jsonl"),
                      {"numpy": np.__version__, "salt": SALT},
                      {"cases": [case(*c) for c in CASES]})
    print(f"make_cell9_corpus: wrote {len(CASES)} cases to {out}")


if __name__ == "__main__":
    main()
