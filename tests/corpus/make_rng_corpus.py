#!/usr/bin/python3
"""make_rng_corpus: records what NumPy's legacy generator draws, so that
tests/test_rng.c can hold src/lib/rng.c to it bit for bit.

Run with the interpreter that has NumPy 1.24 (Debian's /usr/bin/python3):

    /usr/bin/python3 tests/corpus/make_rng_corpus.py [--seed SALT] [--out DIR]

Output: DIR/rng_corpus.jsonl (default tests/data), one case a line
(tests/corpus/corpus_lib.py). The generator seeds of the named random cases
are hashed from the salt (--seed, default the committed one) and the case's
name, so another salt tests other seeds and adding a case changes no other.

The corpus is a list of cases. Each case is a sequence of operations on one
generator, replayed in order by the test, because what matters as much as
each draw is how the calls share the stream: rejection loops, ranges that
draw nothing, and the Gaussian value normal() caches between calls.

Encoding: doubles are float.hex strings (exact round trip through strtod);
integers are JSON numbers up to 2**53 and decimal strings beyond.
"""
import os
import re

import numpy as np

from corpus_lib import arguments, case_seed, write_jsonl

SALT = 20240601  # the committed corpus's
SEEDS = [0, 1, 42, 12345, 2**31, 2**32 - 1]
# Cases whose generator seed is hashed from the salt and their name.
RANDOM_SEED_CASES = ["random seed %d" % i for i in range(1, 4)]

RANDINT_RANGES = [
    (0, 1), (5, 6),                      # one value: no draw at all
    (0, 3), (0, 10), (-5, 5),
    (0, 2**31), (2**31, 2**31 + 100),
    (0, 2**32 - 1),                      # widest masked 32-bit range
    (0, 2**32),                          # the raw 32-bit word, unmasked
    (0, 2**32 + 1), (0, 2**32 + 5),      # first ranges needing 64-bit words
    (0, 2**40), (-2**40, 2**40),
    (-2**62, 2**62),
    (-2**63, 2**63 - 1),                 # the widest range int64 allows
]

CHOICE_POPS = [1, 2, 3, 7, 1000, 2**20]

SEED_TEXTS = [
    "0", "1", "42", "007", "+5", "-0", "4294967295", "00000000004294967295",
    "4294967296", "-1", "-4294967296", "18446744073709551616",
    "99999999999999999999999999999999",
    "", "abc", "12abc", " 12", "12 ", "1_000", "0x10", "1e3", "1.0",
    "-", "+", "--1", "+-1",
]
SEED_GRAMMAR = re.compile(r"[+-]?[0-9]+")


def num(v):
    v = int(v)
    return v if abs(v) <= 2**53 else str(v)


def hexes(values):
    return [float(v).hex() for v in np.ravel(values)]


def ints(values):
    return [num(v) for v in np.ravel(values)]


class Recorder:
    """Runs NumPy calls on the global legacy generator and logs them."""

    def __init__(self):
        self.ops = []

    def seed(self, s):
        np.random.seed(s)
        self.ops.append({"op": "seed", "seed": s})

    def state(self, with_key=False):
        _, key, pos, has_gauss, gauss = np.random.get_state()
        op = {"op": "state", "pos": int(pos), "has_gauss": int(has_gauss),
              "gauss": float(gauss).hex()}
        if with_key:
            op["key"] = [int(k) for k in key]
        self.ops.append(op)

    def uint32(self, n):
        out = np.random.randint(0, 2**32, size=n, dtype=np.uint64)
        self.ops.append({"op": "uint32", "out": ints(out)})

    def random_sample(self, n):
        self.ops.append({"op": "random_sample", "out": hexes(np.random.random_sample(n))})

    def randint(self, low, high, n):
        out = np.random.randint(low, high) if n is None else np.random.randint(low, high, size=n)
        self.ops.append({"op": "randint", "low": num(low), "high": num(high), "out": ints(out)})

    def choice(self, pop, size):
        if pop == 10:
            # The tutorial's own call; its values are the indices.
            out = np.random.choice([float(i) for i in range(10)], size=size)
        else:
            out = np.random.choice(pop, size=size)
        self.ops.append({"op": "choice", "pop": pop, "out": ints(np.asarray(out).astype(np.int64))})

    def standard_normal(self, n):
        self.ops.append({"op": "standard_normal", "out": hexes(np.random.standard_normal(n))})

    def normal(self, loc, scale, n):
        out = np.random.normal(loc, scale) if n is None else np.random.normal(loc, scale, size=n)
        self.ops.append({"op": "normal", "loc": float(loc).hex(), "scale": float(scale).hex(),
                         "out": hexes(out)})


def seed_case(s, name=None):
    r = Recorder()
    r.seed(s)
    r.state(with_key=True)
    r.uint32(700)  # crosses a second twist, and leaves pos mid-block
    r.random_sample(5)
    for low, high in RANDINT_RANGES:
        r.randint(low, high, 6)
    r.randint(0, 10, None)
    r.randint(0, 10, 0)
    r.choice(10, (3, 2, 2))
    r.choice(10, None)
    for pop in CHOICE_POPS:
        r.choice(pop, 5)
    r.state()
    r.normal(0.0, 1.0, 3)       # odd: leaves one value cached
    r.state()
    r.random_sample(1)          # the cache survives other draws
    r.normal(0.0, 1.0, 1)       # and is spent here
    r.normal(0.0, 1.0, 4)
    r.normal(0.0, 1.0, 1)
    r.standard_normal(3)        # the same cache, without loc and scale
    r.state()
    r.normal(0.0, 1.0, 1)
    r.state()
    r.seed(s)                   # reseeding drops the cached value
    r.state()
    r.normal(0.0, 1.0, 2)
    r.normal(10.0, 2.5, None)
    r.normal(-3.0, 0.001, 5)
    r.normal(3.5, 0.0, 2)
    r.normal(0.0, 1.0, 0)
    r.normal(0.0, 1.0, 1)
    r.random_sample(2)
    r.state()
    return {"name": name or f"seed {s}", "ops": r.ops}


def long_normal_case():
    r = Recorder()
    r.seed(case_seed(SALT, "long normal run", bits=32))
    r.normal(0.0, 1.0, 1001)    # several twists inside one fill
    r.state()
    r.normal(1.0, 0.5, 7)
    r.state()
    r.standard_normal(10)
    r.state()
    return {"name": "long normal run", "ops": r.ops}


def seed_text_case(text):
    range_msg = None
    if SEED_GRAMMAR.fullmatch(text):
        value = int(text)
        try:
            np.random.seed(value)
        except ValueError as e:
            range_msg = str(e)
        if range_msg is None:
            return {"text": text, "ok": True, "seed": value}
        return {"text": text, "ok": False, "message": range_msg, "from": "numpy"}
    # NumPy never sees such text as an int; the message is nbreplay's own.
    return {"text": text, "ok": False, "from": "nbreplay",
            "message": f"invalid seed '{text}': expected an integer between 0 and 2**32 - 1"}


def main():
    global SALT
    args = arguments(__doc__, SALT)
    SALT = args.salt
    cases = [seed_case(s) for s in SEEDS]
    cases += [seed_case(case_seed(SALT, name, bits=32), name) for name in RANDOM_SEED_CASES]
    cases.append(long_normal_case())
    write_jsonl(os.path.join(args.out, "rng_corpus.jsonl"),
                {"numpy_version": np.__version__, "salt": SALT},
                {"cases": cases, "seed_texts": [seed_text_case(t) for t in SEED_TEXTS]})


if __name__ == "__main__":
    main()
