"""Writes tests/data/edges_corpus.jsonl: what PyTorch 1.13 does at the edges
of the tensor library, for tests/test_edges.c to hold nbreplay to.

  elementwise  every binary op (add, sub, mul, div, pow) on empty and 0-d
               tensors, Python numbers, mixed dtypes, and on every pair of
               special values (nan, +-inf, +-0, tiny, huge), and the
               broadcasting errors
  unary        every unary op (neg, sin, cos, exp, log) and sum on the same
  linalg       dot, mv, mm, bmm, matmul, outer on empty operands and with
               nan and inf inside, and their shape errors
  print        str(t) of tensors holding nan and inf, under print options
  shapes       creating, reshaping and expanding to shapes whose element or
               byte count overflows int64 (PyTorch refuses them all)

Each result is the dtype, shape and raw bytes of PyTorch's answer and
str() of it, or the first line of its error. Run with Debian's Python,
which has torch 1.13 (the pyenv python3 on PATH does not):

    /usr/bin/python3 tests/corpus/make_edges_corpus.py [--out DIR]

The output is deterministic: no case is random, so the script takes no
seed. One case a line (tests/corpus/corpus_lib.py), so that adding a case
adds a line and changes none.
"""

import math
import os

import torch

import op_table

from corpus_lib import arguments, write_jsonl

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64,
          "bool": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}

NAN, INF = math.nan, math.inf
SPECIAL = [NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e308, 5e-324, 3.4e38, -1e-40]
INT_EDGE = [0, 1, -1, 2, 3, 2**62, 2**63 - 1, -2**63, 7, -5]

# The op table's rows (kernels/op_table.h via op_table.py); comparisons as
# Python's operators are (0 < t is t > 0), as the C calls are.
BINARY = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow,
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
}
for _row in op_table.BINARY:
    if _row.name not in op_table.INTERNAL_BINARY:
        BINARY.setdefault(_row.name, op_table.torch_fn(_row))
UNARY = {r.name: op_table.torch_fn(r) for r in op_table.UNARY}
UNARY["sum"] = torch.sum
LINALG = {
    "dot": torch.dot, "mv": torch.mv, "mm": torch.mm, "bmm": torch.bmm,
    "matmul": torch.matmul, "outer": torch.outer,
}


def tensor_json(t):
    t = t.detach().contiguous()
    return {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data": t.numpy().tobytes().hex()}


def operand_json(x):
    """A tensor, or a Python number as PyTorch wraps it."""
    if isinstance(x, torch.Tensor):
        return tensor_json(x)
    if isinstance(x, bool):
        raise ValueError("no bool Python numbers here")
    if isinstance(x, int):
        return {"int": str(x)}
    return {"float": repr(x)}


def outcome(fn):
    try:
        r = fn()
    except (RuntimeError, TypeError) as e:  # TypeError: torch.maximum of a number
        return {"error": str(e).splitlines()[0]}
    out = tensor_json(r)
    out["str"] = str(r)
    return out


def shape_outcome(fn):
    """For shapes too big to hold: what PyTorch made, without its data."""
    try:
        r = fn()
    except RuntimeError as e:
        return {"error": str(e).splitlines()[0]}
    return {"dtype": NAMES[r.dtype], "shape": dims_json(r.shape),
            "str": str(r) if r.numel() == 0 else None}


def dims_json(shape):
    """Dimensions past 2**53 as strings: a JSON reader may hold numbers as
    doubles, which cannot hold them exactly."""
    return [d if abs(d) < 2**53 else str(d) for d in shape]


def tensor(values, dtype, shape=None):
    t = torch.tensor(values, dtype=DTYPES[dtype])
    return t.reshape(shape) if shape is not None else t


def empty(shape, dtype="float32"):
    return torch.zeros(shape, dtype=DTYPES[dtype])


def full(shape, value, dtype="float32"):
    return torch.full(shape, value, dtype=DTYPES[dtype])


def elementwise_cases():
    cases = []

    def add(op, a, b):
        cases.append({"op": op, "a": operand_json(a), "b": operand_json(b),
                      "expected": outcome(lambda: BINARY[op](a, b))})

    operand_pairs = [
        (empty([0]), empty([0])),
        (empty([2, 0]), full([2, 1], 1.5)),
        (empty([0, 3]), full([1, 3], 2.0)),
        (empty([0, 3], "int64"), 2.5),
        (empty([0, 3], "int64"), 2),
        (empty([0], "bool"), empty([0], "bool")),
        (empty([0], "float64"), torch.tensor(3.0, dtype=torch.float32)),
        (torch.tensor(3.5), torch.tensor(-2.0, dtype=torch.float64)),
        (torch.tensor(7), torch.tensor(2.0)),
        (torch.tensor(-3), 2),
        (torch.tensor(-3), 0.5),
        (torch.tensor(True), torch.tensor(5)),
        (torch.tensor(True), torch.tensor(False)),
        (torch.tensor(2.0, dtype=torch.float64), empty([0, 2])),
        (torch.tensor(4), empty([3, 0], "int64")),
        (torch.tensor([1, 2, 3]), torch.tensor(0)),
        (torch.tensor([0, 2, -3]), torch.tensor([0, -1, 2])),
        (torch.tensor([1.0, 0.0, -1.0]), torch.tensor([0.0, 0.0, 0.0])),
        (torch.tensor([1, 0, -1]), torch.tensor([0, 0, 0])),
    ]
    for op in BINARY:
        for a, b in operand_pairs:
            add(op, a, b)
    # Every pair of special values, in both float dtypes and mixed.
    for op in BINARY:
        for da, db in [("float32", "float32"), ("float64", "float64"), ("float32", "float64")]:
            a = tensor(SPECIAL, da).reshape(-1, 1)
            b = tensor(SPECIAL, db).reshape(1, -1)
            add(op, a, b)
        add(op, tensor(SPECIAL, "float32"), NAN)
        add(op, tensor(SPECIAL, "float64"), -INF)
        add(op, tensor(SPECIAL, "float32"), 0)
    # int64 wraps around on overflow, as in PyTorch.
    for op in ["add", "sub", "mul"]:
        ints = tensor(INT_EDGE, "int64")
        add(op, ints.reshape(-1, 1), ints.reshape(1, -1))
    add("pow", tensor([2, 3, -2, 0, 1, -1], "int64").reshape(-1, 1),
        tensor([0, 1, 2, 62, 63, 64], "int64").reshape(1, -1))
    add("pow", tensor([2, 0], "int64"), -1)
    add("pow", tensor([2, 0], "int64"), tensor([-1, 2], "int64"))
    # Broadcasting errors.
    for a, b in [([2, 3], [4, 3]), ([0], [2]), ([3, 0], [3, 2]), ([2, 1, 3], [4, 2]),
                 ([5], [4]), ([1, 4], [0, 3])]:
        for op in ["add", "mul"]:
            add(op, empty(a), empty(b))
    return cases


def unary_cases():
    cases = []

    def add(op, a):
        cases.append({"op": op, "a": operand_json(a), "expected": outcome(lambda: UNARY[op](a))})

    operands = [
        empty([0]), empty([2, 0], "float64"), empty([0, 3], "int64"), empty([0], "bool"),
        torch.tensor(2.5), torch.tensor(-0.0, dtype=torch.float64), torch.tensor(-7),
        torch.tensor(True), tensor(SPECIAL, "float32"), tensor(SPECIAL, "float64"),
        tensor(INT_EDGE, "int64"), tensor([True, False, True], "bool"),
    ]
    for op in UNARY:
        for a in operands:
            add(op, a)
    for values, dtype in [([INF, -INF], "float64"), ([1e308, 1e308], "float64"),
                          ([3e38, 3e38], "float32"), ([NAN, 1.0], "float32"),
                          ([2**62, 2**62, 2**62], "int64")]:
        add("sum", tensor(values, dtype))
    return cases


def linalg_cases():
    cases = []

    def add(op, a, b):
        cases.append({"op": op, "a": operand_json(a), "b": operand_json(b),
                      "expected": outcome(lambda: LINALG[op](a, b))})

    for dtype in ["float32", "float64", "int64"]:
        add("mm", empty([0, 3], dtype), full([3, 2], 2, dtype))
        add("mm", full([2, 0], 1, dtype), empty([0, 3], dtype))
        add("mm", full([2, 3], 1, dtype), empty([3, 0], dtype))
        add("bmm", empty([0, 2, 3], dtype), empty([0, 3, 4], dtype))
        add("bmm", empty([2, 0, 3], dtype), full([2, 3, 1], 3, dtype))
        add("bmm", full([2, 3, 0], 1, dtype), empty([2, 0, 4], dtype))
        add("mv", empty([0, 3], dtype), full([3], 1, dtype))
        add("mv", full([2, 0], 1, dtype), empty([0], dtype))
        add("dot", empty([0], dtype), empty([0], dtype))
        add("matmul", empty([0], dtype), empty([0], dtype))
        add("matmul", empty([0], dtype), empty([0, 2], dtype))
        add("matmul", empty([2, 0, 3], dtype), full([3, 4], 1, dtype))
        add("matmul", full([3], 1, dtype), empty([2, 3, 0], dtype))
        add("outer", empty([0], dtype), full([3], 1, dtype))
        add("outer", full([2], 1, dtype), empty([0], dtype))
    for dtype in ["float32", "float64"]:
        add("mm", tensor([[INF, 0.0], [NAN, 1.0], [1.0, 2.0]], dtype),
            tensor([[0.0, 1.0], [1.0, -INF]], dtype))
        add("dot", tensor([INF, 1.0], dtype), tensor([0.0, 2.0], dtype))
        add("dot", tensor([1e308, 1e308], dtype), tensor([10.0, 10.0], dtype))
        add("mv", tensor([[INF, -INF], [1.0, NAN]], dtype), tensor([1.0, 1.0], dtype))
        add("bmm", tensor([[[INF, 1.0]], [[0.0, 0.0]]], dtype),
            tensor([[[1.0], [1.0]], [[INF], [NAN]]], dtype))
        add("outer", tensor([INF, 0.0, NAN], dtype), tensor([0.0, -1.0], dtype))
        add("matmul", tensor([[1.0, INF]], dtype), tensor([-INF, 1.0], dtype))
    add("mm", tensor([[2**62, 2**62]], "int64"), tensor([[2], [2]], "int64"))
    # Shape errors, with 0-d and empty operands.
    add("mm", empty([2, 3]), empty([2, 3]))
    add("mm", empty([0, 3]), empty([0, 3]))
    add("mm", torch.tensor(1.0), empty([2, 2]))
    add("dot", torch.tensor(1.0), torch.tensor(2.0))
    add("dot", empty([0]), empty([1]))
    add("bmm", empty([2, 3]), empty([2, 3, 1]))
    add("bmm", empty([0, 2, 3]), empty([1, 3, 2]))
    add("matmul", torch.tensor(1.0), empty([2]))
    add("matmul", empty([2]), torch.tensor(1.0))
    add("matmul", empty([0, 3]), empty([2]))
    add("mv", empty([2, 3]), empty([0]))
    return cases


def print_cases():
    cases = []
    defaults = dict(precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None)
    tensors = [
        tensor([NAN], "float32"), tensor([INF, -INF], "float32"), tensor([NAN, 1.0], "float32"),
        tensor([1.0, INF, 2.0], "float32"), tensor([1e-5, NAN], "float32"),
        tensor([1e10, -INF, 0.0], "float32"), tensor([NAN, NAN, NAN], "float64"),
        tensor([[NAN, 1e20], [INF, 3.0]], "float32"), tensor([-0.0, NAN, 0.0], "float64"),
        tensor([5e-324, INF], "float64"), tensor([3.4e38, -3.4e38, NAN], "float32"),
        torch.tensor(NAN), torch.tensor(-INF, dtype=torch.float64), torch.tensor(-0.0),
        tensor([2**63 - 1, -2**63], "int64"), empty([0, 2, 0]), empty([3, 0], "int64"),
        empty([0], "bool"), torch.full([40, 40], NAN), torch.full([2, 700], INF, dtype=torch.float64),
    ]
    option_sets = [{}, {"precision": 2}, {"sci_mode": True}, {"sci_mode": False},
                   {"precision": 0, "linewidth": 20}, {"threshold": 5, "edgeitems": 1}]
    for t in tensors:
        for options in option_sets:
            torch.set_printoptions(**dict(defaults, **options))
            try:
                text = str(t)
            finally:
                torch.set_printoptions(**defaults)
            merged = dict(defaults, **options)
            cases.append({"a": tensor_json(t), "options": merged, "expected": text})
    return cases


def shape_cases():
    cases = []
    big = [
        ("empty", [2**40, 2**40], "float32"), ("empty", [2**62, 4], "float32"),
        ("empty", [2**61], "float64"), ("empty", [2**63 - 1, 2], "bool"),
        ("empty", [3, 2**62, 2**62], "int64"), ("empty", [0, 2**40, 2**40], "float32"),
        ("empty", [2**40, 0, 2**40], "int64"),
    ]
    for op, shape, dtype in big:
        cases.append({"op": op, "shape": dims_json(shape), "dtype": dtype,
                      "expected": shape_outcome(lambda: torch.empty(shape, dtype=DTYPES[dtype]))})
    for shape in [[2**62, 2**62], [-1, 2**62, 4], [2**40, 2**40, 0], [2**32, 2**32]]:
        cases.append({"op": "reshape", "from": [6], "shape": dims_json(shape),
                      "expected": shape_outcome(lambda: torch.ones(6).reshape(shape))})
    for shape in [[2**40, 2**40], [2**62, 2**62, 2], [3, 2**62, 2**62]]:
        cases.append({"op": "expand", "from": [1], "shape": dims_json(shape),
                      "expected": shape_outcome(lambda: torch.ones(1).expand(shape))})
    cases.append({"op": "expand_add", "from": [1], "shape": [2**31, 2**31],
                  "expected": shape_outcome(lambda: torch.ones(1).expand(2**31, 2**31) + 1)})
    return cases


def main():
    args = arguments(__doc__, None, randomized=False)
    sections = {
        "elementwise": elementwise_cases(),
        "unary": unary_cases(),
        "linalg": linalg_cases(),
        "print": print_cases(),
        "shapes": shape_cases(),
    }
    out = write_jsonl(os.path.join(args.out, "edges_corpus.jsonl"), {"torch": torch.__version__},
                      sections)
    print("wrote %s: %s" % (os.path.relpath(out), {k: len(v) for k, v in sections.items()}))


if __name__ == "__main__":
    main()
