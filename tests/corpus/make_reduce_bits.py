"""Writes the reduction-bits corpus: what PyTorch 1.13 computes, to the bit,
for sums (whole, over dimensions, sum_to_size, gradients through
broadcasting) and products (dot, mv, mm, bmm, matmul) over every layout the
kernels tell apart: contiguous, transposed, strided, expanded (stride 0),
sizes on both sides of ATen's vector, chunk, cascade-level and thread
boundaries. tests/test_reduce_bits.c replays it and fails on one ulp.

Run with Debian's Python, which has torch 1.13 (the pyenv python3 on PATH
does not):

    /usr/bin/python3 tests/corpus/make_reduce_bits.py

Output: tests/data/reduce_bits.json. Each case is seeded from its own name,
so adding a case changes no other.

Format. {"cases": [case...]}, each case:
  name     unique; says what the case is about
  op       sum sum_to_size dot mv mm bmm matmul matmul_grad grad_add
           grad_mul grad_dot grad_mv grad_mm grad_bmm grad_matmul
           (matmul_grad: both inputs require grad, which changes how
           torch.matmul folds)
  threads  torch.set_num_threads for the case (1 or 2)
  inputs   list of {"dtype", "shape", "view", and "data" or "formula"}:
             data     hex of the raw little-endian C-order bytes of a
                      contiguous base tensor of that shape
             formula  {"seed": s}: element i of the base (C order) is
                      formula_value(s, i) below, cast to dtype; big inputs
                      are made this way on both sides instead of stored
             view     steps applied to the base, in order:
                      ["transpose", d0, d1]  ["slice", dim, start, end, step]
                      ["expand", [sizes]]    ["select", dim, index]
                      ["unsqueeze", dim]
  size     for sum_to_size: the target shape
  dim, keepdim  for sum_dim mean_dim argmax_dim argmin_dim and their grad_*
  text     str() of the first result (grad_fn included)
  error    instead of expect: PyTorch's message (the case must fail so)
  Reductions over dims, means, max/min, argmax/argmin: ops sum_dim mean
  mean_dim max min argmax argmax_dim argmin argmin_dim, and grad_sum_dim
  grad_mean grad_mean_dim grad_max grad_min (the input's gradient after
  op(x).backward(inputs[1])).
  expect   list of {"dtype", "shape", "data"}: the result; for grad_add
           and grad_mul the gradient of the first input, which broadcasts,
           after (a + b or a * b).backward(inputs[2]); for the other grad_*
           the gradients of both inputs after op(a, b).backward(inputs[2])
"""

import json
import os
import zlib

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "reduce_bits.json")

F32, F64, I64, B8 = torch.float32, torch.float64, torch.int64, torch.bool
NAMES = {F32: "float32", F64: "float64", I64: "int64", B8: "bool"}
FLOATS = (F32, F64)
M64 = (1 << 64) - 1

# Inputs above this many elements are given by formula, not stored.
STORE_MAX = 64


def formula_values(seed, n):
    """splitmix64 of (seed, i): a 24-bit signed mantissa times 2**e, e in
    [-20, 11]; exact in float32 and float64, and of mixed magnitudes so the
    order of additions shows in the rounding. The C reader computes the
    same (tests/test_reduce_bits.c)."""
    i = np.arange(1, n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + i * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    mant = (z >> np.uint64(40)).astype(np.int64) - (1 << 23)
    exp = (z & np.uint64(31)).astype(np.int64) - 20
    return np.ldexp(mant.astype(np.float64), exp)


def seed_of(name):
    return zlib.crc32(name.encode())


def apply_view(t, view):
    for step in view:
        kind = step[0]
        if kind == "transpose":
            t = t.transpose(step[1], step[2])
        elif kind == "slice":
            dim, start, end, stride = step[1:]
            t = t.narrow(dim, start, end - start)[(slice(None),) * dim + (slice(None, None, stride),)]
        elif kind == "expand":
            t = t.expand(*step[1])
        elif kind == "select":
            t = t.select(step[1], step[2])
        elif kind == "unsqueeze":
            t = t.unsqueeze(step[1])
        else:
            raise ValueError(kind)
    return t


class Case:
    def __init__(self, name, op, threads=1):
        self.name, self.op, self.threads = name, op, threads
        self.gen = np.random.default_rng(seed_of(name))
        self.inputs, self.values = [], []
        self.extra = {}

    def input(self, dtype, shape, view=(), scale=1.0):
        n = int(np.prod(shape)) if shape else 1
        desc = {"dtype": NAMES[dtype], "shape": list(shape), "view": [list(v) for v in view]}
        if n > STORE_MAX and dtype in FLOATS:
            seed = seed_of(self.name) * 16 + len(self.inputs)
            base = torch.from_numpy(formula_values(seed, n).reshape(shape)).to(dtype)
            desc["formula"] = {"seed": seed}
        else:
            if dtype in FLOATS:
                base = torch.from_numpy(self.gen.standard_normal(n) * scale).reshape(shape).to(dtype)
            elif dtype == I64:
                base = torch.from_numpy(self.gen.integers(-1000, 1000, n)).reshape(shape)
            else:
                base = torch.from_numpy(self.gen.integers(0, 2, n).astype(bool)).reshape(shape)
            desc["data"] = base.contiguous().numpy().tobytes().hex()
        self.inputs.append(desc)
        self.values.append(apply_view(base, view))
        return self

    def pool(self, dtype, shape, values, view=()):
        """elements drawn from `values` (nan, inf, -0.0, ties), stored"""
        n = int(np.prod(shape)) if shape else 1
        picks = self.gen.integers(0, len(values), n)
        base = torch.tensor([values[i] for i in picks], dtype=dtype).reshape(shape)
        self.inputs.append({"dtype": NAMES[dtype], "shape": list(shape), "view": [list(v) for v in view],
                            "data": base.contiguous().numpy().tobytes().hex()})
        self.values.append(apply_view(base, view))
        return self

    def literal(self, dtype, values):
        base = torch.tensor(values, dtype=dtype)
        self.inputs.append({"dtype": NAMES[dtype], "shape": list(base.shape), "view": [],
                            "data": base.numpy().tobytes().hex()})
        self.values.append(base)
        return self


def encode(t):
    t = t.detach().contiguous()
    return {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data": t.numpy().tobytes().hex()}


DIM_OPS = {
    "sum_dim": lambda x, d, k: x.sum(d, keepdim=k),
    "mean_dim": lambda x, d, k: x.mean(d, keepdim=k),
    "argmax_dim": lambda x, d, k: x.argmax(d, keepdim=k),
    "argmin_dim": lambda x, d, k: x.argmin(d, keepdim=k),
}
ALL_OPS = {"mean": torch.Tensor.mean, "max": torch.Tensor.max, "min": torch.Tensor.min,
           "argmax": torch.Tensor.argmax, "argmin": torch.Tensor.argmin}


def reduction(case, x):
    op = case.op[5:] if case.op.startswith("grad_") else case.op
    if op in DIM_OPS:
        return DIM_OPS[op](x, case.extra["dim"], case.extra["keepdim"])
    return ALL_OPS[op](x)


def evaluate(case):
    torch.set_num_threads(case.threads)
    v = case.values
    if case.op in DIM_OPS or case.op in ALL_OPS:
        return [reduction(case, v[0])]
    if case.op in ("grad_sum_dim", "grad_mean", "grad_mean_dim", "grad_max", "grad_min"):
        x = v[0].detach().requires_grad_(True)
        out = reduction(case, x)
        text = str(out)
        out.backward(v[1])
        case.extra["text"] = text
        return [x.grad]
    if case.op == "sum":
        return [v[0].sum()]
    if case.op == "sum_to_size":
        return [v[0].sum_to_size(case.extra["size"])]
    if case.op in ("grad_add", "grad_mul"):
        a = v[0].detach().requires_grad_(True)
        b = v[1].detach().requires_grad_(True)
        out = a + b if case.op == "grad_add" else a * b
        out.backward(v[2])
        return [a.grad]
    if case.op == "matmul_grad":
        return [torch.matmul(v[0].detach().requires_grad_(True), v[1].detach().requires_grad_(True))]
    products = {"grad_dot": torch.dot, "grad_mv": torch.mv, "grad_mm": torch.mm, "grad_bmm": torch.bmm,
                "grad_matmul": torch.matmul}
    if case.op in products:
        a = v[0].detach().requires_grad_(True)
        b = v[1].detach().requires_grad_(True)
        products[case.op](a, b).backward(v[2])
        return [a.grad, b.grad]
    fn = {"dot": torch.dot, "mv": torch.mv, "mm": torch.mm, "bmm": torch.bmm, "matmul": torch.matmul}
    return [fn[case.op](v[0], v[1])]


cases = []


def add(case):
    entry = {"name": case.name, "op": case.op, "threads": case.threads, "inputs": case.inputs}
    try:
        expect = evaluate(case)
    except (RuntimeError, IndexError) as e:
        entry["error"] = str(e).split("\n")[0]
    else:
        entry["expect"] = [encode(e) for e in expect]
        if case.op in DIM_OPS or case.op in ALL_OPS:
            case.extra["text"] = str(expect[0])
    entry.update(case.extra)
    cases.append(entry)


def dname(dtype):
    return "f32" if dtype == F32 else "f64"


# ---- whole sums ----

add(Case("sum literal that misrounds pairwise", "sum").literal(F32, [1.85, -3.45, 3.24, 5., -3.]))
add(Case("sum literal with cancelling 1e10", "sum").literal(
    F32, [3.2, 1e10, -1e10, 4., 1., 2.5, 3.99, 4.91]))

SIZES = [0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257,
         500, 1000, 1023, 1024, 1025, 4095, 4096, 4097, 16383, 16384, 16385, 32767, 32768, 32769,
         65535, 65536, 65537, 100003, (1 << 20) + 3]
for dtype in FLOATS:
    for n in SIZES:
        for threads in ((1, 2) if n >= 32768 else (1,)):
            add(Case(f"sum {dname(dtype)} contiguous n={n} threads={threads}", "sum", threads)
                .input(dtype, [n]))

# 2-D and 3-D layouts: the iterator's order and the inner/outer paths
LAYOUTS = [
    ("contiguous 2-D", [37, 45], []),
    ("transposed 2-D", [37, 45], [["transpose", 0, 1]]),
    ("column slice", [40, 50], [["slice", 1, 3, 47, 1]]),
    ("every other column", [40, 50], [["slice", 1, 0, 50, 2]]),
    ("every third row", [90, 17], [["slice", 0, 1, 90, 3]]),
    ("selected column", [60, 7], [["select", 1, 3]]),
    ("expanded rows", [1, 300], [["expand", [50, 300]]]),
    ("expanded columns", [300, 1], [["expand", [300, 50]]]),
    ("expanded middle", [6, 1, 70], [["expand", [6, 9, 70]]]),
    ("3-D permuted", [5, 6, 7], [["transpose", 0, 2]]),
    ("3-D middle transposed", [4, 9, 11], [["transpose", 1, 2]]),
    ("3-D sliced", [8, 10, 12], [["slice", 2, 1, 11, 2], ["slice", 0, 0, 8, 3]]),
    ("unsqueezed", [30, 20], [["unsqueeze", 1]]),
    ("narrow 2-D", [3, 5], []),
    ("large transposed", [300, 257], [["transpose", 0, 1]]),
    ("large column slice", [256, 200], [["slice", 1, 0, 199, 1]]),
    ("large expanded", [1, 1000], [["expand", [70, 1000]]]),
    ("large every other", [400, 300], [["slice", 0, 0, 400, 2]]),
]
for dtype in FLOATS:
    for label, shape, view in LAYOUTS:
        big = np.prod(shape) >= 32768
        for threads in ((1, 2) if big else (1,)):
            add(Case(f"sum {dname(dtype)} {label} {shape} threads={threads}", "sum", threads)
                .input(dtype, shape, view))
add(Case("sum f32 zero-d", "sum").literal(F32, -0.0))
add(Case("sum f64 negative zeros", "sum").literal(F64, [-0.0, -0.0, -0.0]))
for dtype in (I64, B8):
    add(Case(f"sum {NAMES[dtype]} transposed", "sum").input(dtype, [13, 11], [["transpose", 0, 1]]))

# ---- sums over dimensions (what autograd does to undo broadcasting) ----

SUM_TO = [
    ("rows to one row", [37, 45], [], [1, 45]),
    ("leading dimension away", [37, 45], [], [45]),
    ("columns to one column", [37, 45], [], [37, 1]),
    ("to a scalar shape", [37, 45], [], [1, 1]),
    ("3-D to middle", [5, 6, 7], [], [6, 1]),
    ("3-D to last", [5, 6, 7], [], [7]),
    ("3-D to first keepdim", [5, 6, 7], [], [5, 1, 1]),
    ("transposed to row", [30, 40], [["transpose", 0, 1]], [1, 30]),
    ("transposed to column", [30, 40], [["transpose", 0, 1]], [40, 1]),
    ("expanded to row", [1, 64], [["expand", [33, 64]]], [64]),
    ("narrow columns", [100, 3], [], [3]),
    ("wide rows", [3, 100], [], [3, 1]),
    ("outer vector width", [50, 8], [], [8]),
    ("outer 4 vectors", [50, 32], [], [32]),
    ("outer mixed", [50, 45], [], [45]),
    ("strided outer", [50, 90], [["slice", 1, 0, 90, 2]], [45]),
    ("large to row", [1000, 100], [], [100]),
    ("large to column", [100, 1000], [], [100, 1]),
    ("large 3-D", [64, 40, 30], [], [40, 30]),
    ("large 3-D middle", [40, 64, 30], [], [40, 1, 30]),
    ("large transposed", [300, 200], [["transpose", 0, 1]], [300]),
    ("nothing to sum", [4, 5], [], [4, 5]),
    ("leading size one", [1, 4, 5], [], [4, 5]),
]
for dtype in FLOATS:
    for label, shape, view, size in SUM_TO:
        big = np.prod(shape) >= 32768
        for threads in ((1, 2) if big else (1,)):
            c = Case(f"sum_to_size {dname(dtype)} {label} {shape}->{size} threads={threads}",
                     "sum_to_size", threads).input(dtype, shape, view)
            c.extra["size"] = size
            add(c)

GRADS = [
    ("row + column", [7, 1], [1, 9], [7, 9]),
    ("row + matrix", [33], [50, 33], [50, 33]),
    ("matrix + 3-D", [5, 20], [6, 1, 20], [6, 5, 20]),
    ("row + large", [100], [500, 100], [500, 100]),
    ("column + large", [500, 1], [500, 100], [500, 100]),
]
for dtype in FLOATS:
    for op in ("grad_add", "grad_mul"):
        for label, sa, sb, so in GRADS:
            add(Case(f"{op} {dname(dtype)} {label}", op).input(dtype, sa).input(dtype, sb).input(dtype, so))

# ---- products ----

for dtype in FLOATS:
    d = dname(dtype)
    for n in (1, 2, 5, 16, 33, 100, 1000, 10007, 100003):
        add(Case(f"dot {d} n={n}", "dot").input(dtype, [n]).input(dtype, [n]))
    add(Case(f"dot {d} strided", "dot")
        .input(dtype, [400], [["slice", 0, 0, 400, 2]]).input(dtype, [600], [["slice", 0, 0, 600, 3]]))
    add(Case(f"dot {d} expanded", "dot").input(dtype, [1], [["expand", [77]]]).input(dtype, [77]))
    add(Case(f"dot {d} single strided", "dot").input(dtype, [5], [["slice", 0, 2, 3, 1]])
        .input(dtype, [9], [["slice", 0, 4, 5, 1]]))

    MV = [
        ("contiguous", [7, 5], [], [5], []),
        ("contiguous large", [60, 257], [], [257], []),
        ("transposed", [5, 7], [["transpose", 0, 1]], [5], []),
        ("transposed large", [257, 60], [["transpose", 0, 1]], [257], []),
        ("column matrix", [9, 1], [], [1], []),
        ("row matrix", [1, 9], [], [9], []),
        ("strided vector", [6, 10], [], [30], [["slice", 0, 0, 30, 3]]),
        ("expanded vector", [6, 10], [], [1], [["expand", [10]]]),
        ("sliced matrix", [8, 20], [["slice", 1, 0, 20, 2]], [10], []),
        ("sliced rows", [16, 10], [["slice", 0, 0, 16, 2]], [10], []),
        ("expanded matrix", [1, 10], [["expand", [6, 10]]], [10], []),
    ]
    for label, sm, vm, sv, vv in MV:
        add(Case(f"mv {d} {label}", "mv").input(dtype, sm, vm).input(dtype, sv, vv))

    MM = [(1, 1, 1), (3, 2, 4), (5, 1, 7), (1, 5, 1), (7, 3, 1), (1, 4, 6), (300, 4, 3), (64, 64, 16),
          (33, 65, 17), (40, 300, 30)]
    # big enough for OpenBLAS to split the product between its threads
    add(Case(f"mm {d} 96x512x40 threaded", "mm").input(dtype, [96, 512]).input(dtype, [512, 40]))
    for m, k, n in MM:
        for ta in (False, True):
            for tb in (False, True):
                va = [["transpose", 0, 1]] if ta else []
                vb = [["transpose", 0, 1]] if tb else []
                add(Case(f"mm {d} {m}x{k}x{n} ta={ta} tb={tb}", "mm")
                    .input(dtype, [k, m] if ta else [m, k], va).input(dtype, [n, k] if tb else [k, n], vb))
    add(Case(f"mm {d} sliced operands", "mm").input(dtype, [10, 12], [["slice", 1, 0, 12, 2]])
        .input(dtype, [12, 8], [["slice", 0, 0, 12, 2]]))
    add(Case(f"mm {d} expanded operand", "mm").input(dtype, [1, 6], [["expand", [5, 6]]]).input(dtype, [6, 4]))
    add(Case(f"mm {d} expanded columns", "mm").input(dtype, [5, 6]).input(dtype, [6, 1], [["expand", [6, 4]]]))

    BMM = [(5, 3, 2, 4), (2, 7, 7, 7), (3, 8, 8, 6), (4, 10, 10, 10), (2, 30, 20, 10), (3, 1, 50, 1),
           (2, 24, 33, 17)]
    for b, m, k, n in BMM:
        for ta in (False, True):
            for tb in (False, True):
                va = [["transpose", 1, 2]] if ta else []
                vb = [["transpose", 1, 2]] if tb else []
                add(Case(f"bmm {d} {b}x{m}x{k}x{n} ta={ta} tb={tb}", "bmm")
                    .input(dtype, [b, k, m] if ta else [b, m, k], va)
                    .input(dtype, [b, n, k] if tb else [b, k, n], vb))
    add(Case(f"bmm {d} expanded batch", "bmm").input(dtype, [1, 9, 8], [["expand", [4, 9, 8]]])
        .input(dtype, [4, 8, 7]))
    add(Case(f"bmm {d} sliced operands", "bmm").input(dtype, [2, 30, 40], [["slice", 2, 0, 40, 2]])
        .input(dtype, [2, 40, 12], [["slice", 1, 0, 40, 2]]))
    add(Case(f"bmm {d} batch-major transposed", "bmm").input(dtype, [6, 3, 12], [["transpose", 0, 1]])
        .input(dtype, [3, 12, 5]))
    # bmm's small loop as vector lanes (kernels/cpu_bmm_small.c): inner
    # sizes 1-4 with 1-4 vectors a row (unrolled), wider rows, scalar
    # tails, a transposed a; signed zeros, where 0 + -0 must stay +0.
    for b, m, k, n in [(4, 3, 1, 8), (3, 5, 3, 6), (2, 4, 4, 16), (3, 2, 4, 12), (2, 3, 3, 5), (2, 2, 2, 40),
                       (3, 4, 5, 9), (2, 1, 1, 1)]:
        add(Case(f"bmm {d} small loop {b}x{m}x{k}x{n}", "bmm").input(dtype, [b, m, k]).input(dtype, [b, k, n]))
    add(Case(f"bmm {d} small loop transposed a", "bmm").input(dtype, [3, 4, 2], [["transpose", 1, 2]])
        .input(dtype, [3, 4, 8]))
    for b, m, k, n in [(2, 3, 2, 4), (2, 3, 3, 7)]:
        add(Case(f"bmm {d} small loop signed zeros {b}x{m}x{k}x{n}", "bmm")
            .pool(dtype, [b, m, k], [0.0, -0.0, 1.0, float("inf")]).pool(dtype, [b, k, n], [0.0, -0.0, -1.0]))

    MATMUL = [
        ("1-D @ 1-D", [7], [], [7], []),
        ("2-D @ 1-D", [6, 7], [], [7], []),
        ("1-D @ 2-D", [6], [], [6, 9], []),
        ("1-D @ 2-D large", [300], [], [300, 40], []),
        ("2-D @ 2-D", [6, 7], [], [7, 8], []),
        ("3-D @ 2-D folds", [4, 5, 6], [], [6, 3], []),
        ("3-D @ 2-D large", [30, 40, 50], [], [50, 2], []),
        ("3-D @ 1-D folds", [4, 5, 6], [], [6], []),
        ("3-D transposed @ 2-D", [4, 6, 5], [["transpose", 1, 2]], [6, 3], []),
        ("3-D batch-transposed @ 2-D", [5, 4, 6], [["transpose", 0, 1]], [6, 3], []),
        ("2-D @ 3-D", [5, 6], [], [4, 6, 3], []),
        ("1-D @ 3-D", [6], [], [4, 6, 3], []),
        ("3-D @ 3-D", [4, 5, 6], [], [4, 6, 3], []),
        ("4-D @ 3-D broadcast", [2, 1, 5, 6], [], [3, 6, 4], []),
        ("4-D @ 2-D folds", [2, 3, 5, 6], [], [6, 4], []),
        ("3-D @ 3-D large", [3, 30, 40], [], [3, 40, 20], []),
        ("3-D @ 3-D transposed", [3, 40, 30], [["transpose", 1, 2]], [3, 40, 20], []),
    ]
    for label, sa, va, sb, vb in MATMUL:
        add(Case(f"matmul {d} {label}", "matmul").input(dtype, sa, va).input(dtype, sb, vb))
        if "large" not in label:
            add(Case(f"matmul_grad {d} {label}", "matmul_grad").input(dtype, sa, va).input(dtype, sb, vb))

# gradients of products: PyTorch's backward formulas pick their own layouts
GRAD_PRODUCTS = [
    ("grad_dot", [50], [], [50], [], []),
    ("grad_mv", [7, 5], [], [5], [], [7]),
    ("grad_mv", [5, 7], [["transpose", 0, 1]], [5], [], [7]),
    ("grad_mm", [6, 5], [], [5, 4], [], [6, 4]),
    ("grad_mm", [5, 6], [["transpose", 0, 1]], [4, 5], [["transpose", 0, 1]], [6, 4]),
    ("grad_mm", [40, 30], [], [30, 20], [], [40, 20]),
    ("grad_mm", [13, 12], [["transpose", 0, 1]], [13, 5], [], [12, 5]),
    ("grad_mm", [5, 12], [], [6, 12], [["transpose", 0, 1]], [5, 6]),
    ("grad_bmm", [3, 4, 5], [], [3, 5, 2], [], [3, 4, 2]),
    ("grad_bmm", [3, 9, 10], [], [3, 10, 8], [], [3, 9, 8]),
    ("grad_matmul", [4, 5, 6], [], [6, 3], [], [4, 5, 3]),
    ("grad_matmul", [5, 6], [], [4, 6, 3], [], [4, 5, 3]),
    ("grad_matmul", [2, 1, 5, 6], [], [3, 6, 4], [], [2, 3, 5, 4]),
]
for dtype in FLOATS:
    for op, sa, va, sb, vb, sg in GRAD_PRODUCTS:
        add(Case(f"{op} {dname(dtype)} {sa}{'T' if va else ''} @ {sb}{'T' if vb else ''}", op)
            .input(dtype, sa, va).input(dtype, sb, vb).input(dtype, sg))

# int64 has no BLAS: plain loops, exact in any order
for op, sa, sb in (("dot", [9], [9]), ("mv", [4, 9], [9]), ("mm", [4, 9], [9, 3]), ("bmm", [2, 4, 9], [2, 9, 3]),
                   ("bmm", [2, 9, 9], [2, 9, 9]), ("matmul", [3, 4, 9], [9, 2])):
    add(Case(f"{op} int64 {sa} @ {sb}", op).input(I64, sa).input(I64, sb))

# ---- reductions over a dimension, means, max/min, argmax/argmin ----

ALL_DTYPES = (F32, F64, I64, B8)
SPECIAL = [float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 1.0, -1.0, 2.5]
DIM_LAYOUTS = [
    ("0-d", [], []),
    ("1-D", [9], []),
    ("contiguous 2-D", [37, 45], []),
    ("transposed 2-D", [37, 45], [["transpose", 0, 1]]),
    ("every other column", [40, 50], [["slice", 1, 0, 50, 2]]),
    ("expanded rows", [1, 30], [["expand", [20, 30]]]),
    ("expanded columns", [30, 1], [["expand", [30, 20]]]),
    ("3-D permuted", [5, 6, 7], [["transpose", 0, 2]]),
    ("3-D middle transposed", [4, 9, 11], [["transpose", 1, 2]]),
    ("size-1 dimension", [6, 1, 5], []),
    ("empty rows", [0, 4], []),
    ("empty columns", [4, 0], []),
    ("outer vector width", [50, 8], []),
    ("outer 4 vectors", [50, 32], []),
    ("large 3-D", [64, 40, 30], []),
    ("large transposed", [300, 200], [["transpose", 0, 1]]),
]


def ndim_of(shape, view):
    n = len(shape)
    for step in view:
        n += {"select": -1, "unsqueeze": 1}.get(step[0], 0)
    return n


for op in ("sum_dim", "mean_dim", "argmax_dim", "argmin_dim"):
    for dtype in ALL_DTYPES:
        for label, shape, view in DIM_LAYOUTS:
            if dtype in (I64, B8) and np.prod(shape) > 400:
                continue
            nd = ndim_of(shape, view)
            # and every dimension of size 1: argmax/argmin answer it with zeros, even for bool
            ones = {d for d, size in enumerate(shape) if size == 1 and not view}
            dims = sorted(({0, -1, nd - 1} | ones) if nd else {0, -1})
            for dim in dims:
                for keepdim in (False, True):
                    big = np.prod(shape) >= 32768
                    for threads in ((1, 2) if big and op in ("sum_dim", "mean_dim") else (1,)):
                        c = Case(f"{op} {NAMES[dtype]} {label} {shape} dim={dim} keepdim={keepdim} "
                                 f"threads={threads}", op, threads).input(dtype, shape, view)
                        c.extra.update(dim=dim, keepdim=keepdim)
                        add(c)
        # special values, ties and zeros of both signs
        for dtype2 in FLOATS:
            if dtype != dtype2:
                continue
            for shape in ([9], [5, 7], [3, 17]):
                for dim in range(len(shape)):
                    c = Case(f"{op} {NAMES[dtype]} special {shape} dim={dim}", op).pool(dtype, shape, SPECIAL)
                    c.extra.update(dim=dim, keepdim=False)
                    add(c)
    # out of range and 0-d dims
    for shape, dim in (([2, 3], 2), ([2, 3], -3), ([], 1), ([], -2), ([4], 1)):
        c = Case(f"{op} error dim {dim} of {shape}", op).input(F32, shape)
        c.extra.update(dim=dim, keepdim=False)
        add(c)
for op in ("mean_dim", "sum_dim"):
    for dtype in (I64, B8):
        c = Case(f"{op} {NAMES[dtype]} dim out of range and dtype", op).input(dtype, [2, 3])
        c.extra.update(dim=5, keepdim=False)
        add(c)

VALUE_SIZES = [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100, 1000, 32768, 32769, 70001]
for op in ("mean", "max", "min", "argmax", "argmin"):
    for dtype in ALL_DTYPES:
        for n in VALUE_SIZES:
            if dtype in (I64, B8) and n > 5000:
                continue
            for threads in ((1, 2) if n > 32768 else (1,)):
                add(Case(f"{op} {NAMES[dtype]} n={n} threads={threads}", op, threads).input(dtype, [n]))
        for label, shape, view in DIM_LAYOUTS:
            if dtype in (I64, B8) and np.prod(shape) > 400:
                continue
            add(Case(f"{op} {NAMES[dtype]} {label} {shape}", op).input(dtype, shape, view))
        if dtype in FLOATS:
            for n in (1, 3, 8, 9, 16, 17, 33, 64, 70, 100):
                for k in range(3):
                    add(Case(f"{op} {NAMES[dtype]} special n={n} #{k}", op).pool(dtype, [n], SPECIAL))
                    # zeros of both signs and ones only: where the lanes decide the sign
                    add(Case(f"{op} {NAMES[dtype]} signed zeros n={n} #{k}", op)
                        .pool(dtype, [n], [0.0, -0.0, -1.0]))
                    add(Case(f"{op} {NAMES[dtype]} signed zeros high n={n} #{k}", op)
                        .pool(dtype, [n], [0.0, -0.0, 1.0]))
            if op in ("max", "min"):
                # past the grain: a stored row repeated (max reads a contiguous copy)
                for rows in (40, 71):
                    for threads in (1, 2):
                        add(Case(f"{op} {NAMES[dtype]} signed zeros {rows}x1000 threads={threads}", op, threads)
                            .pool(dtype, [1, 1000], [0.0, -0.0, -1.0] if op == "max" else [0.0, -0.0, 1.0],
                                  [["expand", [rows, 1000]]]))

# gradients: ties share evenly (evenly_distribute_backward), NaN picks NaNs
for dtype in FLOATS:
    for op in ("grad_max", "grad_min", "grad_mean"):
        for label, shape, view in DIM_LAYOUTS:
            if (np.prod(shape) == 0 and op != "grad_mean") or "large" in label:
                continue
            add(Case(f"{op} {NAMES[dtype]} {label} {shape}", op).input(dtype, shape, view).input(dtype, []))
        for n in (3, 7, 20):
            for pool in ([1.0, 2.0, 2.0], [float("nan"), 1.0], [0.0, -0.0], [3.0]):
                add(Case(f"{op} {NAMES[dtype]} ties {pool} n={n}", op).pool(dtype, [n], pool)
                    .input(dtype, []))
    for op in ("grad_sum_dim", "grad_mean_dim"):
        for label, shape, view in DIM_LAYOUTS:
            if "large" in label:
                continue
            nd = ndim_of(shape, view)
            for dim in sorted({0, -1} if nd == 0 else {0, nd - 1}):
                for keepdim in (False, True):
                    c = Case(f"{op} {NAMES[dtype]} {label} {shape} dim={dim} keepdim={keepdim}", op)
                    c.input(dtype, shape, view)
                    x = c.values[0]
                    gshape = list(DIM_OPS[op[5:]](x, dim, keepdim).shape)
                    c.input(dtype, gshape)
                    c.extra.update(dim=dim, keepdim=keepdim)
                    add(c)

names = [c["name"] for c in cases]
assert len(names) == len(set(names)), "case names must be unique"
with open(OUT, "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(cases)} cases -> {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")
