"""Writes the ops corpus: what PyTorch 1.13 returns (or the error it raises)
for every operation in src/lib/nbreplay/ops.h, over the dtypes, view layouts, broadcast
shapes, Python scalars and special values the library claims to support.
tests/test_ops.c replays it against our library.

Run with Debian's Python, which has torch 1.13 (the pyenv python3 on PATH
does not):

    /usr/bin/python3 tests/corpus/make_ops_corpus.py [--seed SALT] [--out DIR]

Output: tests/data/ops_corpus.jsonl (tests/corpus/corpus_lib.py: a header
line, then one {"cases": case} a line). Deterministic: each case's random
values come from generators seeded by the hash of the salt (--seed, default
the committed one) and the case's name, so adding a case changes no other.

Format. Each case:
  name    "op: note", unique; it seeds the case
  op      add sub mul div pow neg sin cos exp log sum dot mv mm bmm matmul
          outer broadcast_shapes
  inputs  list of
            {"dtype", "shape", "data", "view"}: a tensor. data is the hex of
                the raw little-endian C-order bytes of a contiguous base
                tensor of that shape; view is a list of steps the reader
                applies to the base, in order:
                  ["transpose", d0, d1]  ["slice", dim, start, end, step]
                  ["expand", [sizes]]    ["select", dim, index]
                  ["unsqueeze", dim]
            {"py_float": x} / {"py_int": n}: a Python number; x is a JSON
                number or "nan"/"inf"/"-inf", n a JSON number or, beyond
                2**53, a decimal string.
            {"shape": [...]}: for broadcast_shapes only.
  expect  {"dtype", "shape", "data"} (data as above), plus for float
          results of sum/dot/mv/mm/bmm/matmul "scale" (hex float64, one per
          output element: the same op over |inputs| in float64, which bounds
          the rounding error) and "n" (the length summed over); or
          {"error": first line of PyTorch's message}; for broadcast_shapes
          {"shape"} or {"error"}.
  note    what the case is about, for failure reports.
"""

import math
import os

import numpy as np
import torch

import op_table

from corpus_lib import arguments, case_random, write_jsonl

SALT = 20240613  # the committed corpus's
# The running case's generator; add() seeds it from the case's name before
# it builds the case's operands. Nothing draws from it between cases.
rng = None

F32, F64, I64, B8 = torch.float32, torch.float64, torch.int64, torch.bool
ALL_DTYPES = [B8, I64, F32, F64]
DTYPE_NAMES = {B8: "bool", I64: "int64", F32: "float32", F64: "float64"}
FLOATS = (F32, F64)

cases = []


# ---- inputs ----

class In:
    """One operand: its JSON description and the torch value PyTorch sees."""

    def __init__(self, desc, value):
        self.desc = desc
        self.value = value


class Recipe:
    """A tensor operand not made yet: T() returns one, and add() makes it
    with the case's own generator (the case's name is only known there)."""

    def __init__(self, make):
        self.make = make


def raw_hex(t):
    """Little-endian C-order bytes; numpy's bool is one byte, as C's."""
    return t.contiguous().numpy().tobytes().hex()


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def values(dtype, shape, kind):
    """Base data for a tensor. kind picks the distribution, so each op gets
    values in its interesting range."""
    n = numel(shape)
    g = torch.Generator().manual_seed(rng.getrandbits(31))
    if dtype == B8:
        return (torch.rand(n, generator=g) > 0.5).reshape(shape)
    if dtype == I64:
        if kind == "small":
            v = torch.randint(-4, 5, (n,), generator=g)
        elif kind == "exponent":
            v = torch.randint(0, 7, (n,), generator=g)
        elif kind == "signed_exponent":
            v = torch.randint(-3, 7, (n,), generator=g)
        elif kind == "huge":
            v = torch.randint(-(2 ** 62), 2 ** 62, (n,), generator=g) * 2 + 1
            for i in range(0, n, 3):
                v[i] = rng.choice([2 ** 63 - 1, -(2 ** 63), 2 ** 62, -(2 ** 62) - 7])
        elif kind == "positive":
            v = torch.randint(1, 10, (n,), generator=g)
        else:
            v = torch.randint(-9, 10, (n,), generator=g)
        return v.reshape(shape)
    if kind == "positive":
        v = torch.rand(n, generator=g, dtype=F64) * 4 + 0.05
    elif kind == "exponent":
        v = torch.rand(n, generator=g, dtype=F64) * 6 - 3
    elif kind == "small":
        v = torch.randint(-4, 5, (n,), generator=g).double()
    elif kind == "wide":
        exps = torch.randint(-30, 31, (n,), generator=g).double()
        v = torch.randn(n, generator=g, dtype=F64) * torch.pow(10.0, exps)
    elif kind == "trig":
        v = torch.randn(n, generator=g, dtype=F64) * 10
        big = [1e4, -3e5, 1e10, 1e22, 3.0e38, 1e-30, -0.0, math.pi, 1e300]
        for i in range(0, n, 4):
            v[i] = rng.choice(big)
    elif kind == "expo":
        v = torch.randn(n, generator=g, dtype=F64) * 30
        for i in range(0, n, 5):
            v[i] = rng.choice([88.7, 88.8, -103.9, -87.5, 709.7, 709.8, -745.2, 1e-300, -0.0])
    elif kind == "logarg":
        v = torch.rand(n, generator=g, dtype=F64) * 10
        for i in range(0, n, 4):
            v[i] = rng.choice([-1.0, 0.0, -0.0, 1.0, 1e-40, 1e-310, 1e300, 3.4e38])
    else:
        v = torch.randn(n, generator=g, dtype=F64)
    return v.to(dtype).reshape(shape)


def with_specials(t):
    """Sprinkles nan, inf, -inf and -0.0 over a float tensor."""
    flat = t.reshape(-1)
    for i in range(0, flat.numel(), 3):
        flat[i] = rng.choice([math.nan, math.inf, -math.inf, -0.0])
    return t


def layout_plan(shape, layout):
    """A base shape and view steps that turn it into a tensor of `shape`."""
    nd = len(shape)
    if layout == "T" and nd >= 2:
        base = list(shape)
        base[-2], base[-1] = base[-1], base[-2]
        return base, [["transpose", nd - 2, nd - 1]]
    if layout == "T0" and nd >= 2:
        base = list(shape)
        base[0], base[-1] = base[-1], base[0]
        return base, [["transpose", 0, nd - 1]]
    if layout == "slice" and nd >= 1:
        d = nd - 1
        base = list(shape)
        base[d] = 2 * shape[d] + 1
        return base, [["slice", d, 1, 2 * shape[d] + 1, 2]]
    if layout == "slice0" and nd >= 1:
        base = list(shape)
        base[0] = shape[0] + 3
        return base, [["slice", 0, 2, shape[0] + 2, 1]]
    if layout == "expand" and nd >= 1:
        base = [1 if (i % 2 == 0 and s != 1) else s for i, s in enumerate(shape)]
        if base == list(shape):
            base = list(shape[1:])
        return base, [["expand", list(shape)]]
    if layout == "select":
        p = nd // 2
        base = list(shape[:p]) + [3] + list(shape[p:])
        return base, [["select", p, 1]]
    if layout == "unsqueeze" and nd >= 1 and shape[0] == 1:
        return list(shape[1:]), [["unsqueeze", 0]]
    return list(shape), []


def apply_steps(t, steps):
    for step in steps:
        kind = step[0]
        if kind == "transpose":
            t = t.transpose(step[1], step[2])
        elif kind == "slice":
            index = [slice(None)] * step[1] + [slice(step[2], step[3], step[4])]
            t = t[tuple(index)]
        elif kind == "expand":
            t = t.expand(*step[1])
        elif kind == "select":
            t = t.select(step[1], step[2])
        elif kind == "unsqueeze":
            t = t.unsqueeze(step[1])
        else:
            raise ValueError(kind)
    return t


def T(dtype, shape, layout="contig", kind="normal", specials=False, base=None):
    """A tensor operand of logical shape `shape` laid out as `layout`, made
    when its case is added."""
    return Recipe(lambda: make_T(dtype, shape, layout, kind, specials, base))


def make_T(dtype, shape, layout, kind, specials, base):
    base_shape, steps = layout_plan(list(shape), layout)
    if base is None:
        base = values(dtype, base_shape, kind)
        if specials and dtype in FLOATS:
            base = with_specials(base)
    else:
        base = base.to(dtype).reshape(base_shape)
    value = apply_steps(base, steps)
    assert list(value.shape) == list(shape), (shape, layout, value.shape)
    desc = {"dtype": DTYPE_NAMES[dtype], "shape": list(base_shape), "data": raw_hex(base),
            "view": steps}
    return In(desc, value)


def from_values(dtype, data):
    """A contiguous tensor operand holding exactly `data` (a nested list)."""
    t = torch.tensor(data, dtype=dtype)
    return T(dtype, list(t.shape), base=t)


def pyf(x):
    desc = x if math.isfinite(x) else ("nan" if math.isnan(x) else ("inf" if x > 0 else "-inf"))
    return In({"py_float": desc}, float(x))


def pyi(n):
    return In({"py_int": n if abs(n) < 2 ** 53 else str(n)}, int(n))


# ---- running PyTorch ----

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a ** b,
    "dot": torch.dot,
    "mv": torch.mv,
    "mm": torch.mm,
    "bmm": torch.bmm,
    "matmul": torch.matmul,
    "outer": torch.outer,
}
# The op table's rows (kernels/op_table.h via op_table.py) as torch calls,
# then the rest; a new row is in the corpus with no edit here.
UNARY = {r.name: op_table.torch_fn(r) for r in op_table.UNARY}
UNARY["sum"] = torch.sum
# comparisons as Python's operators: 0 < t is t.__gt__(0), as the C calls are
BINARY.update({"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
               "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b})
for _row in op_table.BINARY:
    BINARY.setdefault(_row.name, op_table.torch_fn(_row))
TERNARY = {"where": torch.where, "clamp": torch.clamp}
PRODUCTS = {"sum", "dot", "mv", "mm", "bmm", "matmul"}


def first_line(e):
    return str(e).split("\n")[0]


def abs64(v):
    return v.abs().double() if isinstance(v, torch.Tensor) else abs(float(v))


def start_case(op, note):
    """Seeds the case's generators from its name; returns the name."""
    global rng
    name = "%s: %s" % (op, note)
    rng = case_random(SALT, name)
    return name


def add(op, inputs, note):
    global rng
    name = start_case(op, note)
    inputs = [i.make() if isinstance(i, Recipe) else i for i in inputs]
    rng = None  # the case's draws are done; a stray one between cases fails
    args = [None if i is None else i.value for i in inputs]  # None: a clamp bound not given
    case = {"name": name, "op": op, "inputs": [None if i is None else i.desc for i in inputs],
            "note": note}
    try:
        result = (UNARY.get(op) or BINARY.get(op) or TERNARY[op])(*args)
    except Exception as e:  # PyTorch's message is the expectation
        case["expect"] = {"error": first_line(e)}
        cases.append(case)
        return
    expect = {"dtype": DTYPE_NAMES[result.dtype], "shape": list(result.shape),
              "data": raw_hex(result)}
    if op in PRODUCTS and result.dtype in FLOATS:
        scale = (UNARY[op] if op in UNARY else BINARY[op])(*[abs64(a) for a in args])
        expect["scale"] = raw_hex(scale.reshape(result.shape))
        if op == "sum":
            expect["n"] = args[0].numel()
        else:
            expect["n"] = args[0].shape[-1]
    case["expect"] = expect
    cases.append(case)


def add_broadcast_shapes(a, b, note):
    # No operand to draw: a name, no generator.
    case = {"name": "broadcast_shapes: %s" % note, "op": "broadcast_shapes", "inputs": [{"shape": list(a)}, {"shape": list(b)}],
            "note": note}
    try:
        case["expect"] = {"shape": list(torch.broadcast_shapes(a, b))}
    except Exception:
        # Our broadcast_shapes speaks for the ops, so its error is the one
        # an elementwise op raises on such shapes.
        try:
            torch.empty(a) + torch.empty(b)
            raise AssertionError("shapes broadcast after all")
        except RuntimeError as e:
            case["expect"] = {"error": first_line(e)}
    cases.append(case)


# ---- elementwise: promotion across every operand kind ----

def operand_kinds():
    """Every kind of elementwise operand: a tensor with dims and a 0-d
    tensor of each dtype, and Python float and int."""
    kinds = []
    for dt in ALL_DTYPES:
        kinds.append(("dim", dt))
        kinds.append(("0d", dt))
    kinds.append(("py", float))
    kinds.append(("py", int))
    return kinds


def make_operand(kind, op, position):
    where, what = kind
    if op == "pow":
        kind_name = "positive" if position == 0 else "exponent"
        if what == I64:
            kind_name = "small" if position == 0 else "exponent"
    elif op == "div" and position == 1:
        kind_name = "normal"
    else:
        kind_name = "small" if what == I64 else "normal"
    if where == "py":
        if what is float:
            return pyf({"pow": [1.7, 2.5][position], "div": 0.1}.get(op, -2.5 if position else 0.1))
        return pyi({"pow": [3, 3][position]}.get(op, -3 if position else 7))
    shape = [2, 3] if where == "dim" else []
    return T(what, shape, kind=kind_name)


def add_promotion_matrix():
    kinds = operand_kinds()
    for op in ["add", "sub", "mul", "div", "pow"]:
        for ka in kinds:
            for kb in kinds:
                if ka[0] == "py" and kb[0] == "py":
                    continue
                a = make_operand(ka, op, 0)
                b = make_operand(kb, op, 1)
                add(op, [a, b], "promotion %s %s x %s %s" % (ka[0], getattr(ka[1], "__name__", ka[1]),
                                                             kb[0], getattr(kb[1], "__name__", kb[1])))


def add_promotion_specifics():
    """The promotion rules worth naming, each with a Python scalar or 0-d
    tensor on either side (5.*T, 1+z, T-2)."""
    i = T(I64, [3], kind="small")
    f = T(F32, [3])
    d0 = T(F64, [])
    add("add", [i, d0], "int64 tensor + 0-d float64 tensor -> float64")
    add("add", [f, d0], "float32 tensor + 0-d float64 tensor -> float32")
    add("add", [T(B8, [3]), T(F64, [])], "bool tensor + 0-d float64 -> float64")
    add("add", [T(B8, [3]), T(I64, [])], "bool tensor + 0-d int64 -> int64")
    add("mul", [i, pyf(2.5)], "int tensor * 2.5 -> float32")
    add("mul", [pyf(5.0), f], "5.*T")
    add("mul", [pyf(5.0), T(F64, [2, 2])], "5.*T float64 stays float64")
    add("add", [pyi(1), T(F64, [])], "1+z with 0-d float64")
    add("add", [pyi(1), T(I64, [])], "1+z with 0-d int64")
    add("sub", [T(F32, [2, 2]), pyi(2)], "T-2")
    add("sub", [pyi(2), T(F32, [2, 2])], "2-T")
    add("sub", [pyf(0.5), T(I64, [3], kind="small")], "0.5-int T")
    add("div", [T(I64, [4], kind="small"), T(I64, [4], kind="positive")], "int/int -> float32")
    add("div", [from_values(I64, [1, -1, 0, 7]), from_values(I64, [0, 0, 0, 2])], "int/0 -> inf, 0/0 -> nan")
    add("div", [pyi(1), T(I64, [4], kind="positive")], "1/int T")
    add("div", [pyf(2.0), T(F32, [5])], "2./T (Tensor.__rtruediv__)")
    add("div", [pyf(1.0), T(F64, [5])], "1./T float64")
    add("div", [pyi(3), T(F32, [6])], "3/T")
    add("div", [T(F32, [4]), pyf(3.0)], "T/3.")
    add("div", [T(F32, [4]), pyf(0.1)], "T/0.1: scalar rounded to float32 first")
    add("add", [T(F32, [4]), pyf(0.1)], "T+0.1")
    add("add", [T(F32, [4]), pyf(1e40)], "float32 T + scalar beyond float32 range")
    add("add", [T(B8, [4]), T(B8, [4])], "bool+bool -> bool (or)")
    add("mul", [T(B8, [4]), T(B8, [4])], "bool*bool -> bool (and)")
    add("mul", [T(B8, [4]), T(I64, [4], kind="small")], "bool*int -> int64")
    add("mul", [T(B8, [4]), pyi(3)], "bool*3 -> int64")
    add("mul", [T(B8, [4]), pyf(1.5)], "bool*1.5 -> float32")
    add("div", [T(B8, [4]), T(B8, [4])], "bool/bool -> float32")
    add("add", [T(B8, []), T(I64, [])], "0-d bool + 0-d int64")
    add("add", [T(F32, []), T(F64, [])], "0-d float32 + 0-d float64 -> float64")
    add("add", [T(I64, []), pyf(2.5)], "0-d int64 + 2.5 -> float32")
    add("add", [T(F64, []), pyf(2.5)], "0-d float64 + 2.5 -> float64")
    add("add", [T(I64, [2]), T(B8, [])], "int tensor + 0-d bool")
    add("add", [T(I64, [4], kind="small"), pyi(2 ** 62 + 1)], "int T + Python int beyond 2**53")
    add("sub", [pyi(-(2 ** 63)), T(I64, [4], kind="small")], "INT64_MIN - T wraps")
    add("mul", [T(I64, [4], kind="huge"), pyi(3)], "huge int T * 3 wraps")
    add("add", [T(F32, [4]), pyi(2 ** 40 + 1)], "float32 T + big Python int, rounded to float32")
    add("mul", [T(F64, [4]), pyi(2 ** 60 + 1)], "float64 T * big Python int")
    add("sub", [T(B8, [3]), T(B8, [3])], "bool-bool error")
    add("sub", [T(B8, [3]), pyi(1)], "bool-1 error")
    add("sub", [pyi(1), T(B8, [3])], "1-bool error")
    add("sub", [T(B8, [3]), T(F32, [3])], "bool-float error")
    add("neg", [T(B8, [3])], "-bool error")
    # pow
    add("pow", [T(I64, [2, 3], kind="small"), T(I64, [2, 3], kind="exponent")], "int**int")
    add("pow", [T(I64, [6], kind="small"), T(I64, [6], kind="signed_exponent")], "int**int, negative exponents in a tensor")
    add("pow", [from_values(I64, [0, 1, -1, 2, -2, 3]), from_values(I64, [-1, -3, -3, -2, -1, -5])], "int**negative int tensor")
    add("pow", [T(I64, [5], kind="small"), pyf(2.5)], "int**float scalar -> float32")
    add("pow", [T(I64, [5], kind="small"), T(F64, [])], "int**0-d float64 -> float64")
    add("pow", [T(I64, [5], kind="small"), pyi(-2)], "int**-2 error")
    add("pow", [T(I64, [], kind="small"), pyi(-1)], "0-d int**-1 error")
    add("pow", [T(I64, [3], kind="small"), T(I64, [], base=torch.tensor(-1))], "int**0-d int tensor -1 is allowed")
    add("pow", [T(B8, [3]), pyi(-1)], "bool**-1 error")
    add("pow", [T(B8, [4]), pyi(2)], "bool**2 -> int64")
    add("pow", [T(B8, [4]), pyi(0)], "bool**0 -> int64")
    add("pow", [T(B8, [4]), T(B8, [4])], "bool**bool error")
    add("pow", [T(B8, [4]), T(I64, [4], kind="exponent")], "bool**int tensor")
    add("pow", [pyi(2), T(B8, [4])], "2**bool")
    add("pow", [pyi(2), T(I64, [5], kind="signed_exponent")], "2**int tensor, negative exponents allowed")
    add("pow", [pyf(2.0), T(F32, [5], kind="exponent")], "2.**float tensor")
    add("pow", [pyf(-8.0), T(F64, [4], kind="exponent")], "negative base ** fractional -> nan")
    add("pow", [T(F32, [6], kind="normal"), pyi(2)], "float**2 (x*x)")
    add("pow", [T(F64, [6], kind="normal"), pyf(2.0)], "float64**2.")
    add("pow", [T(F32, [6], kind="normal"), pyi(3)], "float**3")
    add("pow", [T(F32, [6], kind="positive"), pyf(0.5)], "float**0.5 (sqrt)")
    add("pow", [T(F64, [6], kind="positive"), pyf(-0.5)], "float64**-0.5 (rsqrt)")
    add("pow", [T(F32, [6], kind="normal"), pyi(-1)], "float**-1 (reciprocal)")
    add("pow", [T(F32, [6], kind="normal"), pyi(-2)], "float**-2")
    add("pow", [T(F32, [6], kind="normal"), pyi(0)], "float**0")
    add("pow", [T(F64, [6], kind="positive"), pyf(1.0 / 3.0)], "float64**(1/3)")
    add("pow", [T(F32, [6], kind="normal", specials=True), pyf(2.0)], "specials**2")
    add("pow", [T(F32, [8], kind="normal", specials=True), T(F32, [8], kind="exponent", specials=True)], "specials**specials")
    add("pow", [T(F32, [4], kind="positive"), T(F32, [], base=torch.tensor(2.0))], "float**0-d tensor 2")
    add("pow", [T(I64, [3], kind="small"), T(I64, [], base=torch.tensor(3))], "int**0-d int 3")


# ---- elementwise: broadcasting and layouts ----

BROADCAST_PAIRS = [
    ([2, 3], [3]), ([2, 1], [1, 3]), ([4, 1, 3], [2, 1]), ([], [2, 3]), ([2, 3], []),
    ([1], [2, 3]), ([2, 3], [1, 1]), ([0, 3], [1, 3]), ([0], [1]), ([2, 0], [2, 1]),
    ([3, 1, 1], [1, 4, 1]), ([1, 1, 1, 2], [3, 1]), ([5, 1, 4], [1, 3, 1]),
    ([0], []), ([1, 0], [3, 1]), ([2, 3, 4], [3, 4]),
    ([2, 3], [3, 2]), ([2, 3, 4], [5, 4]), ([0], [2]), ([2, 3], [2]), ([3], [4, 2]),
]


def add_broadcasting():
    for a, b in BROADCAST_PAIRS:
        add_broadcast_shapes(a, b, "broadcast %s %s" % (a, b))
    ops = ["add", "sub", "mul", "div", "pow"]
    for k, (a, b) in enumerate(BROADCAST_PAIRS):
        op = ops[k % len(ops)]
        dt = [F32, F64, I64][k % 3]
        if op == "div" or op == "pow":
            dt = F32 if dt == I64 else dt
        kind_b = "positive" if op == "div" else ("exponent" if op == "pow" else "normal")
        kind_a = "positive" if op == "pow" else "normal"
        add(op, [T(dt, a, kind=kind_a), T(dt, b, kind=kind_b)], "broadcast %s %s %s" % (op, a, b))
        add(["add", "mul"][k % 2], [T(I64, a, kind="small"), T(F32, b)], "broadcast mixed %s %s" % (a, b))


LAYOUTS = ["contig", "T", "T0", "slice", "slice0", "expand", "select"]


def add_layouts():
    """Non-contiguous and stride-0 operands, each against each other."""
    shape = [3, 4]
    for la in LAYOUTS:
        for lb in LAYOUTS:
            op = ["add", "mul", "sub", "div"][(LAYOUTS.index(la) + LAYOUTS.index(lb)) % 4]
            add(op, [T(F32, shape, la), T(F32, shape, lb, kind="positive")], "layout %s %s %s" % (op, la, lb))
    for la in LAYOUTS:
        add("add", [T(I64, [2, 3, 4], la), T(I64, [3, 4], "slice")], "int layout %s" % la)
        add("mul", [T(F64, [4, 1, 5], la), T(F64, [3, 1], "expand")], "broadcast layout %s" % la)
        add("pow", [T(F32, [3, 4], la, kind="positive"), pyi(2)], "pow layout %s" % la)
        add("neg", [T(F64, [2, 3, 2], la)], "neg layout %s" % la)
        add("exp", [T(F32, [3, 5], la)], "exp layout %s" % la)
        add("sum", [T(F64, [4, 6], la)], "sum layout %s" % la)
        add("sum", [T(I64, [3, 5], la, kind="small")], "int sum layout %s" % la)
    add("add", [T(F32, [1, 4], "unsqueeze"), T(F32, [3, 1])], "unsqueezed operand")
    # an operand broadcast against a transposed one, scalar-strided rows
    add("mul", [T(F32, [5, 3], "T"), T(F32, [5, 1])], "transposed times column")
    add("div", [T(F64, [5, 3], "expand"), T(F64, [3], "slice", kind="positive")], "expanded / sliced")


# ---- unary ops ----

# Value ranges where each row is interesting; "normal" for rows not named.
UNARY_KINDS = {"sin": "trig", "cos": "trig", "exp": "expo", "log": "logarg", "neg": "wide",
               "tanh": "expo", "sigmoid": "expo", "sqrt": "logarg", "abs": "wide", "relu": "wide"}


def add_unary():
    kinds = {r.name: UNARY_KINDS.get(r.name, "normal") for r in op_table.UNARY}
    for op, kind in kinds.items():
        for dt in ALL_DTYPES:
            add(op, [T(dt, [3, 4], kind=kind if dt in FLOATS else "small")], "%s %s" % (op, DTYPE_NAMES[dt]))
        for dt in FLOATS:
            add(op, [T(dt, [40], kind=kind)], "%s %s long row" % (op, DTYPE_NAMES[dt]))
            add(op, [T(dt, [7], kind=kind, specials=True)], "%s %s nan/inf" % (op, DTYPE_NAMES[dt]))
            add(op, [T(dt, [])], "%s %s 0-d" % (op, DTYPE_NAMES[dt]))
            add(op, [T(dt, [0, 3])], "%s %s empty" % (op, DTYPE_NAMES[dt]))
            add(op, [T(dt, [3, 4], "T", kind=kind)], "%s %s transposed" % (op, DTYPE_NAMES[dt]))
            add(op, [T(dt, [2, 5], "expand", kind=kind)], "%s %s expanded" % (op, DTYPE_NAMES[dt]))
        add(op, [T(I64, [], kind="small")], "%s 0-d int64" % op)
        add(op, [T(I64, [0])], "%s empty int64" % op)
    add("neg", [T(I64, [6], kind="huge")], "int64 negation wraps (-INT64_MIN)")
    add("neg", [from_values(F32, [0.0, -0.0, 1.5])], "neg of zeros keeps sign")
    add("log", [T(B8, [4])], "log(bool)")
    add("exp", [T(I64, [5], kind="signed_exponent")], "exp(int) -> float32")
    for op, kind in kinds.items():
        add(op, [T(B8, [3])], "%s of a bool tensor" % op)
        # sizes around the vector width and its tails (ATen's loop split)
        for n in range(1, 41):
            add(op, [T(F32 if n % 2 else F64, [n], kind=kind)], "%s length %d" % (op, n))
        add(op, [from_values(F32, [0.0, -0.0, math.nan, math.inf, -math.inf, 1e-45, -1e-45, 3e38])],
            "%s of zeros, nan, inf, subnormals" % op)
        add(op, [T(F32, [40, 3], "T", kind=kind)], "%s transposed long" % op)


# ---- maximum, minimum, comparisons, where, clamp ----

def add_selection():
    ties = [0.0, -0.0, 0.0, -0.0, 1.5, math.nan, 2.0, -math.inf]
    other = [-0.0, 0.0, 0.0, -0.0, 1.5, 1.0, math.nan, -math.inf]
    for op in ("maximum", "minimum"):
        for dt in ALL_DTYPES:
            add(op, [T(dt, [3, 4], kind="small"), T(dt, [4], kind="small")], "%s %s" % (op, DTYPE_NAMES[dt]))
        for n in range(1, 41):
            a = [ties[i % 8] for i in range(n)]
            b = [other[i % 8] for i in range(n)]
            add(op, [from_values(F32 if n % 3 else F64, a), from_values(F32 if n % 3 else F64, b)],
                "%s ties and nan, length %d" % (op, n))
        add(op, [from_values(F32, ties * 4), from_values(F32, [-0.0])], "%s ties, broadcast scalar" % op)
        add(op, [T(F32, [33, 2], "T"), T(F32, [33, 2])], "%s transposed" % op)
        add(op, [T(F32, [4]), T(F64, [2, 4])], "%s float32 with float64" % op)
        add(op, [T(I64, [4], kind="small"), T(F32, [4])], "%s int64 with float32" % op)
        add(op, [T(B8, [4]), T(I64, [4], kind="small")], "%s bool with int64" % op)
        add(op, [T(F32, [4]), pyf(0.5)], "%s with a Python number" % op)
        add(op, [T(F32, [3]), T(F32, [4])], "%s shapes mismatch" % op)
    for r in op_table.BINARY:
        if r.rule != "BOOL_RESULT":
            continue
        op = r.name
        for dt in ALL_DTYPES:
            add(op, [T(dt, [2, 3], kind="small"), T(dt, [3], kind="small")], "%s %s" % (op, DTYPE_NAMES[dt]))
        add(op, [from_values(F32, ties), from_values(F32, other)], "%s zeros, nan, inf" % op)
        add(op, [T(I64, [4], kind="small"), pyf(0.5)], "%s int64 with 0.5" % op)
        add(op, [T(F32, [4], kind="small"), pyi(1)], "%s float32 with 1" % op)
        add(op, [pyi(0), T(F64, [2, 2], "T")], "%s number first" % op)
        add(op, [T(B8, [3]), T(F32, [3], kind="small")], "%s bool with float" % op)
        add(op, [T(I64, [3], kind="huge"), T(F64, [3], kind="wide")], "%s huge int64 with float64" % op)
    add("tanh_backward", [T(F32, [37], kind="normal"), T(F32, [37], kind="normal")], "tanh_backward float32")
    add("tanh_backward", [T(F64, [9], kind="normal"), T(F64, [9], kind="normal")], "tanh_backward float64")
    cond = lambda n: from_values(B8, [bool(i % 3) for i in range(n)])
    add("where", [cond(4), T(F32, [4]), T(F32, [4])], "where float32")
    add("where", [cond(3), T(I64, [2, 3], kind="small"), T(F64, [3])], "where int64 with float64")
    add("where", [cond(3), T(F32, [3]), pyf(0.5)], "where with a number")
    add("where", [cond(3), pyi(1), pyi(2)], "where two ints")
    add("where", [cond(3), pyf(1.0), pyi(2)], "where float and int")
    add("where", [T(I64, [3], kind="small"), T(F32, [3]), T(F32, [3])], "where condition int64")
    add("where", [T(F32, [3]), T(F32, [3]), T(F32, [3])], "where condition float")
    add("where", [cond(3), T(F32, [2, 1]), T(F32, [4, 1, 3], "T")], "where broadcast three ways")
    add("where", [cond(3), T(F32, [4]), T(F32, [3])], "where shapes mismatch")
    add("where", [cond(4), T(B8, [4]), T(B8, [4])], "where bool")
    specials = from_values(F32, [0.0, -0.0, math.nan, math.inf, -math.inf, -1.0, 0.5, 2.0])
    for lo, hi in ((-0.5, 0.5), (0, None), (None, 0), (-0.0, 0.0), (1, -1), (math.nan, 1.0), (0.0, math.nan),
                   (None, math.nan), (math.nan, None), (None, None)):
        args = [None if lo is None else (pyi(lo) if isinstance(lo, int) else pyf(lo)),
                None if hi is None else (pyi(hi) if isinstance(hi, int) else pyf(hi))]
        add("clamp", [specials] + args, "clamp numbers %r %r" % (lo, hi))
        add("clamp", [T(I64, [5], kind="small")] + args, "clamp int64 numbers %r %r" % (lo, hi))
    add("clamp", [T(B8, [3]), pyi(1), None], "clamp bool by an int")
    add("clamp", [T(B8, [3]), pyi(0), pyi(1)], "clamp bool by two ints")
    add("clamp", [T(F32, [2, 3]), T(F32, [3]), T(F32, [2, 1])], "clamp tensors")
    add("clamp", [T(F32, [4]), T(F64, [4]), None], "clamp float32 by a float64 min")
    add("clamp", [T(I64, [4], kind="small"), None, T(F32, [4])], "clamp int64 by a float32 max")
    add("clamp", [T(F32, [5]), T(F32, []), pyf(0.5)], "clamp 0-d tensor and number")
    add("clamp", [specials, from_values(F32, [math.nan] * 8), None], "clamp nan tensor min")
    add("clamp_min", [T(F32, [6]), pyf(0.1)], "clamp_min number")
    add("clamp_max", [T(I64, [6], kind="small"), pyi(1)], "clamp_max int number")
    add("clamp_min", [T(F32, [6]), T(F32, [6])], "clamp_min tensor")
    add("clamp_max", [T(F64, [2, 3]), T(F32, [3])], "clamp_max tensor broadcast")


# ---- sum ----

def add_sum():
    for dt in ALL_DTYPES:
        kind = "small" if dt != F64 else "normal"
        add("sum", [T(dt, [3, 4], kind=kind)], "sum %s" % DTYPE_NAMES[dt])
        add("sum", [T(dt, [])], "sum 0-d %s" % DTYPE_NAMES[dt])
        add("sum", [T(dt, [0])], "sum empty %s" % DTYPE_NAMES[dt])
        add("sum", [T(dt, [2, 0, 3])], "sum empty 3-d %s" % DTYPE_NAMES[dt])
    for dt in FLOATS:
        add("sum", [T(dt, [1000])], "sum long %s" % DTYPE_NAMES[dt])
        add("sum", [T(dt, [33, 31], "T", kind="positive")], "sum transposed %s" % DTYPE_NAMES[dt])
        add("sum", [T(dt, [6], specials=True)], "sum nan/inf %s" % DTYPE_NAMES[dt])
        add("sum", [T(dt, [4, 200], "expand", kind="wide")], "sum expanded wide %s" % DTYPE_NAMES[dt])
    add("sum", [from_values(F32, [math.inf, 1.0, 2.0])], "sum with inf")
    add("sum", [from_values(F32, [math.inf, -math.inf, 1.0])], "sum inf-inf -> nan")
    add("sum", [from_values(F32, [3.0e38, 3.0e38])], "float32 sum overflows to inf")
    add("sum", [T(I64, [7], kind="huge")], "int64 sum wraps")
    add("sum", [from_values(I64, [2 ** 62, 2 ** 62])], "2**62+2**62 wraps to INT64_MIN")
    add("sum", [T(B8, [50])], "bool sum counts -> int64")
    add("sum", [T(B8, [3, 4], "T")], "transposed bool sum")


# ---- linear algebra ----

def add_linalg():
    # dot
    for dt in [F32, F64, I64]:
        add("dot", [T(dt, [5], kind="small" if dt == I64 else "normal"), T(dt, [5], kind="small" if dt == I64 else "normal")], "dot %s" % DTYPE_NAMES[dt])
        add("dot", [T(dt, [0]), T(dt, [0])], "dot empty %s" % DTYPE_NAMES[dt])
        add("dot", [T(dt, [6], "slice"), T(dt, [6], "expand")], "dot strided %s" % DTYPE_NAMES[dt])
        add("dot", [T(dt, [4], "select"), T(dt, [4], "slice0")], "dot selected %s" % DTYPE_NAMES[dt])
    add("dot", [T(F32, [300]), T(F32, [300])], "dot long float32")
    add("dot", [T(F64, [300], kind="wide"), T(F64, [300])], "dot long wide float64")
    add("dot", [T(F32, [5], specials=True), T(F32, [5])], "dot nan/inf")
    add("dot", [T(I64, [4], kind="huge"), T(I64, [4], kind="huge")], "dot int64 wraps")
    add("dot", [T(B8, [3]), T(B8, [3])], "dot bool error")
    add("dot", [T(F32, [3]), T(F64, [3])], "dot dtype error")
    add("dot", [T(I64, [3]), T(F32, [3])], "dot int/float error")
    add("dot", [T(F32, [3]), T(F32, [4])], "dot length error")
    add("dot", [T(F32, [3, 1]), T(F32, [3])], "dot 2-D error")
    add("dot", [T(F32, []), T(F32, [3])], "dot 0-d error")
    add("dot", [T(F32, [3]), T(F32, [2, 3])], "dot 2-D second error")
    add("dot", [T(F32, [3]), T(F64, [4])], "dot length before dtype")
    # mv
    for dt in [F32, F64, I64]:
        add("mv", [T(dt, [3, 4], kind="small" if dt == I64 else "normal"), T(dt, [4], kind="small" if dt == I64 else "normal")], "mv %s" % DTYPE_NAMES[dt])
        add("mv", [T(dt, [3, 4], "T"), T(dt, [4], "slice")], "mv transposed %s" % DTYPE_NAMES[dt])
        add("mv", [T(dt, [3, 4], "expand"), T(dt, [4], "expand")], "mv expanded %s" % DTYPE_NAMES[dt])
    add("mv", [T(F32, [0, 4]), T(F32, [4])], "mv no rows")
    add("mv", [T(F32, [3, 0]), T(F32, [0])], "mv empty inner")
    add("mv", [T(F32, [3, 4]), T(F32, [5])], "mv size error")
    add("mv", [T(F32, [3, 4]), T(F64, [4])], "mv dtype error")
    add("mv", [T(F32, [3, 4]), T(F64, [5])], "mv size before dtype")
    add("mv", [T(F32, [3, 4]), T(F32, [4, 1])], "mv vec 2-D error")
    add("mv", [T(F32, [4]), T(F32, [4])], "mv mat 1-D error")
    add("mv", [T(F32, [2, 3, 4]), T(F32, [4])], "mv mat 3-D error")
    add("mv", [T(F32, [3, 4]), T(F32, [])], "mv vec 0-d error")
    add("mv", [T(F32, []), T(F32, [3])], "mv mat 0-d error")
    add("mv", [T(B8, [2, 3]), T(B8, [3])], "mv bool error")
    # mm
    for dt in [F32, F64, I64]:
        k = "small" if dt == I64 else "normal"
        add("mm", [T(dt, [3, 4], kind=k), T(dt, [4, 5], kind=k)], "mm %s" % DTYPE_NAMES[dt])
        for la in LAYOUTS:
            lb = LAYOUTS[(LAYOUTS.index(la) + 3) % len(LAYOUTS)]
            add("mm", [T(dt, [4, 3], la, kind=k), T(dt, [3, 5], lb, kind=k)], "mm %s %s %s" % (DTYPE_NAMES[dt], la, lb))
    add("mm", [T(F32, [1, 7]), T(F32, [7, 1])], "mm row times column")
    add("mm", [T(F32, [6, 1]), T(F32, [1, 5])], "mm outer product shape")
    add("mm", [T(F32, [1, 4], "T"), T(F32, [4, 1], "T")], "mm size-1 transposed operands")
    add("mm", [T(F64, [40, 70], kind="wide"), T(F64, [70, 30])], "mm larger float64")
    add("mm", [T(F32, [64, 96]), T(F32, [96, 48], "T")], "mm larger float32, transposed")
    add("mm", [T(F32, [2, 0]), T(F32, [0, 3])], "mm empty inner -> zeros")
    add("mm", [T(I64, [2, 0]), T(I64, [0, 3])], "mm empty inner int64 -> zeros")
    add("mm", [T(F32, [0, 3]), T(F32, [3, 4])], "mm no rows")
    add("mm", [T(F32, [3, 4]), T(F32, [4, 0])], "mm no columns")
    add("mm", [T(F32, [3, 3], specials=True), T(F32, [3, 3])], "mm nan/inf")
    add("mm", [T(I64, [3, 3], kind="huge"), T(I64, [3, 3], kind="huge")], "mm int64 wraps")
    add("mm", [T(F32, [2, 3]), T(F32, [4, 3])], "mm shape error")
    add("mm", [T(F32, [2, 3]), T(F64, [3, 2])], "mm dtype error")
    add("mm", [T(I64, [2, 3]), T(F32, [3, 2])], "mm int/float error")
    add("mm", [T(F32, [2, 3]), T(F64, [4, 2])], "mm shape before dtype")
    add("mm", [T(F32, [3]), T(F32, [3, 2])], "mm self 1-D error")
    add("mm", [T(F32, [2, 3]), T(F32, [3])], "mm mat2 1-D error")
    add("mm", [T(F32, [2, 2, 3]), T(F32, [3, 2])], "mm self 3-D error")
    add("mm", [T(F32, []), T(F32, [])], "mm 0-d error")
    add("mm", [T(B8, [2, 3]), T(B8, [3, 2])], "mm bool error")
    # bmm
    for dt in [F32, F64, I64]:
        k = "small" if dt == I64 else "normal"
        add("bmm", [T(dt, [2, 3, 4], kind=k), T(dt, [2, 4, 5], kind=k)], "bmm %s" % DTYPE_NAMES[dt])
        for la in LAYOUTS:
            lb = LAYOUTS[(LAYOUTS.index(la) + 2) % len(LAYOUTS)]
            add("bmm", [T(dt, [3, 2, 4], la, kind=k), T(dt, [3, 4, 2], lb, kind=k)], "bmm %s %s %s" % (DTYPE_NAMES[dt], la, lb))
    add("bmm", [T(F32, [0, 2, 3]), T(F32, [0, 3, 4])], "bmm empty batch")
    add("bmm", [T(F32, [2, 2, 0]), T(F32, [2, 0, 4])], "bmm empty inner")
    add("bmm", [T(F64, [5, 1, 3]), T(F64, [5, 3, 1])], "bmm vectors")
    add("bmm", [T(F32, [2, 3, 4]), T(F32, [3, 4, 5])], "bmm batch error")
    add("bmm", [T(F32, [2, 3, 4]), T(F32, [2, 5, 5])], "bmm inner error")
    add("bmm", [T(F32, [2, 3, 4]), T(F64, [2, 4, 5])], "bmm dtype error")
    add("bmm", [T(F32, [2, 3, 4]), T(F64, [2, 5, 5])], "bmm shape before dtype")
    add("bmm", [T(F32, [3, 4]), T(F32, [2, 4, 5])], "bmm batch1 2-D error")
    add("bmm", [T(F32, [2, 3, 4]), T(F32, [4, 5])], "bmm batch2 2-D error")
    add("bmm", [T(F32, [1, 2, 3, 4]), T(F32, [1, 2, 4, 5])], "bmm 4-D error")
    add("bmm", [T(B8, [2, 2, 3]), T(B8, [2, 3, 2])], "bmm bool error")
    add("bmm", [T(B8, [0, 2, 3]), T(B8, [0, 3, 2])], "bmm bool, empty batch: no error")
    add("bmm", [T(B8, [1, 2, 0]), T(B8, [1, 0, 2])], "bmm bool, empty inner: zeros")
    add("mm", [T(B8, [0, 3]), T(B8, [3, 2])], "mm bool, no rows: no error")
    add("mm", [T(B8, [2, 0]), T(B8, [0, 2])], "mm bool, empty inner: zeros")
    add("mv", [T(B8, [0, 3]), T(B8, [3])], "mv bool, no rows: no error")
    add("mv", [T(B8, [2, 0]), T(B8, [0])], "mv bool, empty inner: zeros")
    add("dot", [T(B8, [0]), T(B8, [0])], "dot bool, empty: still an error")
    add("matmul", [T(B8, [2, 0]), T(B8, [0, 3])], "matmul bool, empty inner: zeros")
    # outer
    for dt in ALL_DTYPES:
        add("outer", [T(dt, [3], kind="small"), T(dt, [4], kind="small")], "outer %s" % DTYPE_NAMES[dt])
    add("outer", [T(I64, [3], kind="small"), T(F32, [2])], "outer promotes int x float")
    add("outer", [T(F32, [3]), T(F64, [2])], "outer promotes float32 x float64")
    add("outer", [T(B8, [3]), T(I64, [2])], "outer bool x int")
    add("outer", [T(F32, [5], "slice"), T(F32, [3], "expand")], "outer strided")
    add("outer", [T(F32, [0]), T(F32, [3])], "outer empty")
    add("outer", [T(F32, [3], specials=True), T(F32, [2], specials=True)], "outer nan/inf")
    add("outer", [T(F32, [2, 3]), T(F32, [3])], "outer self 2-D error")
    add("outer", [T(F32, [3]), T(F32, [3, 1])], "outer vec2 2-D error")
    add("outer", [T(F32, []), T(F32, [3])], "outer 0-d error")


MATMUL_SHAPES = [
    ([4], [4]), ([0], [0]), ([3, 4], [4]), ([4], [4, 3]), ([3, 4], [4, 5]),
    ([2, 3, 4], [4]), ([2, 3, 4], [4, 5]), ([10, 5, 3, 2, 4], [4, 10]), ([2, 2, 3, 4], [4]),
    ([4], [2, 4, 3]), ([3, 4], [2, 4, 5]), ([3, 4], [2, 2, 4, 5]), ([4], [3, 2, 4, 5]),
    ([2, 3, 4], [2, 4, 5]), ([2, 1, 3, 2], [5, 2, 4]), ([1, 3, 4], [5, 4, 2]), ([5, 3, 4], [1, 4, 2]),
    ([2, 1, 2, 3], [1, 4, 3, 2]), ([2, 0, 3], [3, 4]), ([0, 2, 3], [0, 3, 4]), ([2, 3, 0], [2, 0, 4]),
    ([3, 0], [0]), ([0], [0, 3]), ([2, 3, 4], [4, 0]), ([1, 4], [4]), ([4], [4, 1]),
]

MATMUL_ERRORS = [
    ([], [4]), ([4], []), ([], []), ([3], [4]), ([3, 4], [5]), ([4], [5, 3]), ([3, 4], [5, 6]),
    ([2, 3, 4], [5]), ([2, 3, 4], [5, 2]), ([5], [2, 3, 4]), ([2, 5], [2, 3, 4]),
    ([2, 3, 4], [3, 4, 2]), ([2, 3, 4], [2, 5, 2]), ([2, 2, 3, 4], [3, 4, 2]), ([4], [2, 5, 3]),
]


def add_matmul():
    for a, b in MATMUL_SHAPES:
        for dt in [F32, F64, I64]:
            k = "small" if dt == I64 else "normal"
            add("matmul", [T(dt, a, kind=k), T(dt, b, kind=k)], "matmul %s @ %s %s" % (a, b, DTYPE_NAMES[dt]))
    for a, b in MATMUL_ERRORS:
        add("matmul", [T(F32, a), T(F32, b)], "matmul error %s @ %s" % (a, b))
    # layouts: batch, transposed and expanded operands on every path
    for k, (a, b) in enumerate(MATMUL_SHAPES):
        if 0 in a or 0 in b:
            continue
        la = LAYOUTS[k % len(LAYOUTS)]
        lb = LAYOUTS[(k + 3) % len(LAYOUTS)]
        add("matmul", [T(F32, a, la), T(F32, b, lb)], "matmul %s %s @ %s %s" % (a, la, b, lb))
    # torch.matmul does not fold a 3-D operand whose last two dims are
    # transposed; it runs bmm instead, which changes the error message
    add("matmul", [T(F32, [2, 3, 4], "T"), T(F32, [4, 5])], "matmul transposed 3-D @ 2-D")
    add("matmul", [T(F32, [2, 3, 4], "T"), T(F32, [5, 2])], "matmul transposed 3-D @ 2-D error")
    add("matmul", [T(F32, [2, 3, 4], "T"), T(F32, [5])], "matmul transposed 3-D @ 1-D error")
    add("matmul", [T(F32, [3, 4]), T(F32, [2, 4, 5], "T")], "matmul 2-D @ transposed 3-D")
    add("matmul", [T(F32, [5, 2]), T(F32, [2, 3, 4], "T")], "matmul 2-D @ transposed 3-D error")
    add("matmul", [T(F32, [3, 4]), T(F64, [4])], "matmul 2-D @ 1-D dtype error")
    add("matmul", [T(F32, [4]), T(F64, [4, 2])], "matmul 1-D @ 2-D dtype error")
    add("matmul", [T(I64, [4]), T(F64, [4])], "matmul 1-D @ 1-D dtype error")
    add("matmul", [T(F32, [2, 3, 4]), T(F64, [4, 2])], "matmul 3-D @ 2-D dtype error")
    add("matmul", [T(F32, [2, 3, 4]), T(F64, [2, 4, 2])], "matmul 3-D @ 3-D dtype error")
    add("matmul", [T(F32, [4]), T(F64, [2, 4, 2])], "matmul 1-D @ 3-D dtype error")
    add("matmul", [T(B8, [3, 4]), T(B8, [4, 2])], "matmul bool error")
    add("matmul", [T(B8, [3, 4]), T(B8, [4])], "matmul bool mv error")
    add("matmul", [T(B8, [4]), T(B8, [4])], "matmul bool dot error")
    add("matmul", [T(B8, [2, 3, 4]), T(B8, [2, 4, 2])], "matmul bool bmm error")
    add("matmul", [T(F32, [3, 3], specials=True), T(F32, [3])], "matmul nan/inf")
    add("matmul", [T(I64, [2, 2, 3], kind="huge"), T(I64, [3, 2], kind="huge")], "matmul int64 wraps")


def main():
    global SALT
    args = arguments(__doc__, SALT)
    SALT = args.salt
    add_promotion_matrix()
    add_promotion_specifics()
    add_broadcasting()
    add_layouts()
    add_unary()
    add_selection()
    add_sum()
    add_linalg()
    add_matmul()
    out = write_jsonl(os.path.join(args.out, "ops_corpus.jsonl"),
                      {"torch_version": torch.__version__, "numpy_version": np.__version__,
                       "salt": SALT},
                      {"cases": cases})
    print("%d cases, %d bytes -> %s" % (len(cases), os.path.getsize(out), os.path.relpath(out)))


if __name__ == "__main__":
    main()
