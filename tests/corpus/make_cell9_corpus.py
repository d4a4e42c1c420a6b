#!/usr/bin/python3
"""make_cell9_corpus: records, for a few seeds and sizes, what cell 9 of the
notebook computes with NumPy: X=np.random.normal(0,1,(K,L)),
Y=np.random.normal(0,1,(L,M)) right after np.random.seed(seed), and their
product np.matmul(X,Y), so that tests/test_cell09.c can hold our draws (bit
for bit) and our matmul of them (to rounding) to NumPy's.

Run with Debian's Python, which has NumPy 1.24:

    /usr/bin/python3 tests/corpus/make_cell9_corpus.py [out.json]

Doubles are float.hex strings (exact through strtod). X and Y are recorded
by their first and last values and by the sum, modulo 2**64, of their
values' 64-bit patterns, which any single differing draw changes; the
product is recorded whole.
"""
import json
import sys

import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/data/cell9_corpus.json"

# (seed, K, L, M): the golden's size for seed 0; K*L odd, so Y starts with
# the Gaussian that X's last draw cached; a 1x1x1 product; an uneven size;
# X of 104927 values, drawn in several of src/lib/rng.c's batches of 16384
# pairs, odd again.
CASES = [(0, 250, 100, 10), (7, 3, 5, 7), (4294967295, 1, 1, 1), (42, 64, 33, 17),
         (3, 317, 331, 2)]
EDGE = 4  # first and last values recorded of X and Y


def hexes(values):
    return [float(v).hex() for v in values]


def bits_sum(array):
    return "%016x" % (int(array.ravel().view(np.uint64).sum(dtype=np.uint64)))


def case(seed, K, L, M):
    np.random.seed(seed)
    X = np.random.normal(0, 1, (K, L))
    Y = np.random.normal(0, 1, (L, M))
    Z = np.matmul(X, Y)
    return {
        "seed": seed, "K": K, "L": L, "M": M,
        "x_first": hexes(X.ravel()[:EDGE]), "x_last": hexes(X.ravel()[-EDGE:]),
        "y_first": hexes(Y.ravel()[:EDGE]), "y_last": hexes(Y.ravel()[-EDGE:]),
        "x_bits_sum": bits_sum(X), "y_bits_sum": bits_sum(Y),
        "product": hexes(Z.ravel()),
    }


def main():
    corpus = {"numpy": np.__version__, "cases": [case(*c) for c in CASES]}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(corpus, f, indent=1)
        f.write("\n")
    print(f"make_cell9_corpus: wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
