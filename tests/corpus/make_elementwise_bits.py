"""Writes tests/data/elementwise_bits.json: the exact bits PyTorch 1.13's CPU
kernels compute for every elementwise op (neg, sin, cos, exp, log, add,
sub, mul, div, pow), float32 and float64, for tests/test_elementwise_bits.c
to hold nbreplay to without any tolerance.

The cases go where a kernel's structure shows in its bits: lengths around
the vector width (1, 7, 8, 15, 16, 17, 31, 33, 65: AVX2's two vectors a
step are 8 doubles or 16 floats, AVX-512's twice that) and around
TensorIterator's parallel grain (32767, 32768 + 17, 65536 + 3, 100003);
contiguous, strided (every second element), transposed and broadcast
operands, Python numbers and 0-d tensors; pow's special exponents (0, 1,
0.5, -0.5, -1, 2, 3, -2) and ordinary ones; and special values (zeros,
infinities, NaN, subnormals, huge sin/cos arguments, exp's overflow edges).

Inputs are stored as raw bits (hex), or, for long ones, as a generator both
sides compute: element i is lo + (hi - lo) * t with t the top 53 bits of
splitmix64(seed + (i + 1) * golden) over 2**53, in float64 (then rounded
to float32 for a float32 case). Each case's seed is the FNV-1a hash of its
own name, so adding a case changes no other. Outputs up to 4096 elements
are stored as bits; longer ones as one checksum per 1024 elements: the sum
of bits[i] * (2 * i + 1) modulo 2**64 (i counted from the block's start),
which any change of one element changes.

PyTorch's bits depend on its CPU capability and thread count, which the
corpus records and the suite reproduces (through ATEN_CPU_CAPABILITY and
OMP_NUM_THREADS). Run with Debian's Python, which has torch 1.13 (the
pyenv python3 on PATH does not):

    /usr/bin/python3 tests/corpus/make_elementwise_bits.py [OUT.json]

The output is deterministic. Under ATEN_CPU_CAPABILITY or OMP_NUM_THREADS
it records PyTorch's other choices, which the suite then compares with
(NB_TEST_DATA names the corpus's folder).
"""

import json
import math
import operator
import os
import sys

import numpy as np
import torch

import op_table

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "elementwise_bits.json")

DTYPES = {"float32": (torch.float32, np.float32), "float64": (torch.float64, np.float64)}
# Every unary row of the op table (kernels/op_table.h, via op_table.py)
UNARY = {r.name: op_table.torch_fn(r) for r in op_table.UNARY}
# Python's operators, as a notebook writes them: 2 ** t is Tensor.__rpow__,
# 2 / t is Tensor.__rtruediv__; then the table's other float-valued binary
# rows that take two tensors.
BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
          "div": operator.truediv, "pow": operator.pow}
OPERATORS = set(BINARY)
for _row in op_table.BINARY:
    if _row.rule != "BOOL_RESULT" and _row.name not in ("clamp_min", "clamp_max"):
        BINARY.setdefault(_row.name, op_table.torch_fn(_row))
# Where each op's inputs are drawn from: the interesting part of its domain.
RANGES = {"neg": (-1e3, 1e3), "sin": (-20.0, 20.0), "cos": (-20.0, 20.0), "exp": (-90.0, 90.0),
          "log": (0.0, 1e3), "add": (-1e3, 1e3), "sub": (-1e3, 1e3), "mul": (-1e3, 1e3),
          "div": (-1e3, 1e3), "pow": (0.0, 4.0), "tanh": (-12.0, 12.0), "sigmoid": (-100.0, 100.0),
          "sqrt": (0.0, 1e3), "relu": (-1e3, 1e3), "abs": (-1e3, 1e3), "maximum": (-2.0, 2.0),
          "minimum": (-2.0, 2.0), "tanh_backward": (-1.0, 1.0)}
DEFAULT_RANGE = (-10.0, 10.0)  # a row not named above
EXPONENT_RANGE = (-4.0, 4.0)
SHORT_LENGTHS = [1, 7, 8, 15, 16, 17, 31, 33, 65]
LONG_LENGTHS = [32767, 32768 + 17, 65536 + 3, 100003]
HEX_LIMIT = 4096
BLOCK = 1024
MASK = (1 << 64) - 1

NAN, INF = math.nan, math.inf
SPECIAL = [0.0, -0.0, INF, -INF, NAN, 1.0, -1.0, 0.5, 2.0, -2.0, 3.0, 1e-310, -5e-324, 1e-40,
           1.2e-38, 1e-300, 3.4e38, 1e308, 88.72, 88.73, -103.9, -104.0, 709.78, 709.79,
           -745.1, -745.2, 1e6, 8.5e7, 1e15, 1e22, 2.0**1000, -1e22, math.pi, -math.pi / 2,
           105414.35, 1e-8, 0.1, 7.5]
SPECIAL_EXPONENTS = [0.0, 1.0, 0.5, -0.5, -1.0, 2.0, 3.0, -2.0, 2.5, 1 / 3, 0.1, -1.5, 7.0,
                     0.25, 4.0]


def fnv1a(text):
    h = 0xcbf29ce484222325
    for byte in text.encode():
        h = ((h ^ byte) * 0x100000001b3) & MASK
    return h


def generated(seed, lo, hi, count, np_dtype):
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + (np.arange(count, dtype=np.uint64) + np.uint64(1)) * \
            np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    t = (z >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return (np.float64(lo) + np.float64(hi - lo) * t).astype(np_dtype)


def bits_hex(array):
    return np.ascontiguousarray(array).tobytes().hex()


class Operand:
    """A tensor built from stored or generated values, then viewed."""

    def __init__(self, name, dtype, shape, view="contiguous", values=None, lo=0.0, hi=1.0):
        self.dtype, self.shape, self.view = dtype, list(shape), view
        numel = int(np.prod(shape)) if shape else 1
        count = 2 * numel if view == "step2" else numel
        np_dtype = DTYPES[dtype][1]
        if values is not None:
            with np.errstate(over="ignore"):  # 1e308 is inf in float32, as in torch
                self.base = np.array(values, dtype=np_dtype)
            assert self.base.size == count
            self.spec = {"hex": bits_hex(self.base)}
        else:
            seed = fnv1a(name)
            self.base = generated(seed, lo, hi, count, np_dtype)
            self.spec = {"seed": "%016x" % seed, "lo": repr(float(lo)), "hi": repr(float(hi)),
                         "count": count}

    def torch(self):
        t = torch.from_numpy(self.base.copy())
        if self.view == "step2":
            return t[::2]
        if self.view == "transpose":
            return t.reshape(self.shape[1], self.shape[0]).t()
        return t.reshape(self.shape)

    def json(self):
        return {"tensor": dict(self.spec, shape=self.shape, view=self.view)}


class Number:
    """A Python float, as PyTorch wraps it."""

    def __init__(self, value):
        self.value = value

    def torch(self):
        return self.value

    def json(self):
        return {"float": repr(self.value)}


def expected(result, np_dtype):
    bits = result.contiguous().numpy().astype(np_dtype, copy=False).reshape(-1)
    if bits.size <= HEX_LIMIT:
        return {"hex": bits_hex(bits)}
    words = bits.view(np.uint32 if np_dtype == np.float32 else np.uint64).astype(np.uint64)
    sums = []
    with np.errstate(over="ignore"):
        for start in range(0, words.size, BLOCK):
            block = words[start:start + BLOCK]
            odd = np.arange(block.size, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
            sums.append("%016x" % int(np.sum(block * odd, dtype=np.uint64)))
    return {"block": BLOCK, "sums": sums}


def case(cases, name, op, dtype, operands):
    fn = UNARY.get(op) or BINARY[op]
    result = fn(*[o.torch() for o in operands])
    assert result.dtype == DTYPES[dtype][0], name
    cases.append({"name": name, "op": op, "dtype": dtype,
                  "inputs": [o.json() for o in operands],
                  "expected": expected(result, DTYPES[dtype][1])})


def tensor(name, dtype, shape, view="contiguous", rng=(0.0, 1.0)):
    return Operand(name, dtype, shape, view, lo=rng[0], hi=rng[1])


def unary_cases(cases, op, dtype):
    rng = RANGES.get(op, DEFAULT_RANGE)
    for n in SHORT_LENGTHS + LONG_LENGTHS:
        name = "%s/%s/contiguous/%d" % (op, dtype, n)
        case(cases, name, op, dtype, [tensor(name, dtype, [n], rng=rng)])
    for n in SHORT_LENGTHS + [32768 + 17]:
        name = "%s/%s/step2/%d" % (op, dtype, n)
        case(cases, name, op, dtype, [tensor(name, dtype, [n], "step2", rng)])
    name = "%s/%s/transpose/37x19" % (op, dtype)
    case(cases, name, op, dtype, [tensor(name, dtype, [37, 19], "transpose", rng)])
    name = "%s/%s/0-d" % (op, dtype)
    case(cases, name, op, dtype, [tensor(name, dtype, [], rng=rng)])
    # every special value in a vector's lanes and again in a scalar tail
    specials = SPECIAL + SPECIAL[:7]
    name = "%s/%s/special" % (op, dtype)
    case(cases, name, op, dtype,
         [Operand(name, dtype, [len(specials)], values=specials)])


def binary_cases(cases, op, dtype):
    rng = RANGES.get(op, DEFAULT_RANGE)
    b_rng = EXPONENT_RANGE if op == "pow" else rng
    for n in SHORT_LENGTHS + LONG_LENGTHS:
        name = "%s/%s/contiguous/%d" % (op, dtype, n)
        case(cases, name, op, dtype, [tensor(name + "/a", dtype, [n], rng=rng),
                                      tensor(name + "/b", dtype, [n], rng=b_rng)])
    for n in [17, 33, 32768 + 17]:
        name = "%s/%s/step2/%d" % (op, dtype, n)
        case(cases, name, op, dtype, [tensor(name + "/a", dtype, [n], "step2", rng),
                                      tensor(name + "/b", dtype, [n], rng=b_rng)])
        name = "%s/%s/0-d/%d" % (op, dtype, n)
        case(cases, name, op, dtype, [tensor(name + "/a", dtype, [n], rng=rng),
                                      tensor(name + "/b", dtype, [], rng=b_rng)])
        if op not in OPERATORS:
            continue  # torch.maximum and the like take tensors only
        name = "%s/%s/number/%d" % (op, dtype, n)
        case(cases, name, op, dtype, [tensor(name, dtype, [n], rng=rng), Number(2.75)])
        name = "%s/%s/number-first/%d" % (op, dtype, n)
        case(cases, name, op, dtype, [Number(1.5), tensor(name, dtype, [n], rng=b_rng)])
    name = "%s/%s/rows/23x41" % (op, dtype)
    case(cases, name, op, dtype, [tensor(name + "/a", dtype, [23, 41], rng=rng),
                                  tensor(name + "/b", dtype, [41], rng=b_rng)])
    name = "%s/%s/outer/29x37" % (op, dtype)
    case(cases, name, op, dtype, [tensor(name + "/a", dtype, [29, 1], rng=rng),
                                  tensor(name + "/b", dtype, [1, 37], rng=b_rng)])
    name = "%s/%s/transpose/37x19" % (op, dtype)
    case(cases, name, op, dtype, [tensor(name + "/a", dtype, [37, 19], "transpose", rng),
                                  tensor(name + "/b", dtype, [37, 19], rng=b_rng)])
    # every pair of special values, the pairs long enough to fill vectors
    a = [x for x in SPECIAL for _ in SPECIAL]
    b = [y for _ in SPECIAL for y in SPECIAL]
    name = "%s/%s/special-pairs" % (op, dtype)
    case(cases, name, op, dtype, [Operand(name + "/a", dtype, [len(a)], values=a),
                                  Operand(name + "/b", dtype, [len(b)], values=b)])


def pow_exponent_cases(cases, dtype):
    """pow(Tensor, Scalar)'s shortcuts and its general kernel, and the same
    exponents as 0-d tensors, which take pow(Tensor, Tensor)."""
    for e in SPECIAL_EXPONENTS:
        for n in [33, 32768 + 17]:
            name = "pow/%s/exponent %r/%d" % (dtype, e, n)
            case(cases, name, "pow", dtype, [tensor(name, dtype, [n], rng=(-3.0, 3.0)), Number(e)])
            name = "pow/%s/0-d exponent %r/%d" % (dtype, e, n)
            case(cases, name, "pow", dtype, [tensor(name, dtype, [n], rng=(-3.0, 3.0)),
                                             Operand(name + "/b", dtype, [], values=[e])])
        name = "pow/%s/exponent %r/special" % (dtype, e)
        specials = SPECIAL + SPECIAL[:7]
        case(cases, name, "pow", dtype,
             [Operand(name, dtype, [len(specials)], values=specials), Number(e)])
        name = "pow/%s/exponent %r/step2" % (dtype, e)
        case(cases, name, "pow", dtype, [tensor(name, dtype, [33], "step2", (0.0, 3.0)),
                                         Number(e)])
    # ATen walks a transposed base in its memory order, into an output laid
    # out alike, so its vector loop covers other elements than in C order.
    for r, c in [(37, 19), (300, 211)]:
        for e in [2.5, 1 / 3]:
            name = "pow/%s/exponent %r/transpose/%dx%d" % (dtype, e, r, c)
            case(cases, name, "pow", dtype, [tensor(name, dtype, [r, c], "transpose", (0.0, 3.0)),
                                             Number(e)])
        name = "pow/%s/transpose-both/%dx%d" % (dtype, r, c)
        case(cases, name, "pow", dtype,
             [tensor(name + "/a", dtype, [r, c], "transpose", (0.0, 3.0)),
              tensor(name + "/b", dtype, [r, c], "transpose", EXPONENT_RANGE)])
        name = "pow/%s/transpose-rows/%dx%d" % (dtype, r, c)
        case(cases, name, "pow", dtype,
             [tensor(name + "/a", dtype, [r, c], "transpose", (0.0, 3.0)),
              tensor(name + "/b", dtype, [c], rng=EXPONENT_RANGE)])
    for base in [1.0, 2.0, -2.0, 0.0]:
        name = "pow/%s/base %r/33" % (dtype, base)
        case(cases, name, "pow", dtype, [Number(base), tensor(name, dtype, [33], rng=(-4.0, 4.0))])
        name = "pow/%s/base %r/special" % (dtype, base)
        specials = SPECIAL + SPECIAL[:7]
        case(cases, name, "pow", dtype,
             [Number(base), Operand(name, dtype, [len(specials)], values=specials)])


def main():
    cases = []
    for dtype in DTYPES:
        for op in UNARY:
            unary_cases(cases, op, dtype)
        for op in BINARY:
            binary_cases(cases, op, dtype)
        pow_exponent_cases(cases, dtype)
    # "CPU capability usage: AVX2", "AVX512", or "NO AVX" for DEFAULT
    capability = torch.__config__.show().split("CPU capability usage: ")[1].split()[0]
    corpus = {"torch": torch.__version__, "threads": torch.get_num_threads(),
              "capability": "DEFAULT" if capability == "NO" else capability, "cases": cases}
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    with open(out, "w", encoding="utf-8") as f:
        json.dump(corpus, f, indent=0, sort_keys=True)
        f.write("\n")
    print("%d cases written to %s" % (len(cases), os.path.relpath(out)))


if __name__ == "__main__":
    main()
