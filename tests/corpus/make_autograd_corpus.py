"""Writes the autograd corpus: small programs run in real PyTorch 1.13, with
what each one printed, the gradients it produced and the errors it raised.
tests/test_autograd.c interprets the same programs on our library and
compares.

Run with Debian's Python, which has torch 1.13 (the pyenv python3 on PATH
does not):

    /usr/bin/python3 tests/corpus/make_autograd_corpus.py

Output: tests/data/autograd_corpus.json, one program a line. Each program
draws its values from a generator seeded with a hash of its own name (and
of --salt, "" by default), so adding a program changes no other; another
salt draws new values for every program, for checking that the library
agrees with PyTorch beyond one set of inputs:

    mkdir -p /tmp/salt7
    /usr/bin/python3 tests/corpus/make_autograd_corpus.py --salt 7 \
        -o /tmp/salt7/autograd_corpus.json
    NB_TEST_DATA=/tmp/salt7 build/tests/test_autograd

(--seed and --out, a folder, are the same as --salt and -o FOLDER/
autograd_corpus.json, the interface tests/corpus/fresh_seed.py uses.)

The language. A program is a list of steps; each names its result (SSA:
every name is assigned once) and refers to earlier results by name.

  ["leaf", out, dtype, shape, data, requires_grad]
        torch.tensor(data, dtype=dtype).reshape(shape).clone(), then
        .requires_grad_() when requires_grad. data is flat, C order; floats
        are JSON numbers (exact: float32 data is float32-representable) or
        "nan"/"inf"/"-inf"; dtype is float32, float64, int64 or bool.
  ["py_float", out, x] / ["py_int", out, n]
        a Python number; operators then see it as Python does (2 - x runs
        x.__rsub__(2)).
  [UNARY, out, x]               neg sin cos exp log: torch.OP(x)
  [BINARY, out, a, b]           add sub mul div pow: a + b, a - b, a * b,
                                a / b, a ** b (Python operators)
  ["sum", out, x]               x.sum()
  ["sum_to_size", out, x, shape]
  [LINALG, out, a, b]           dot mv mm bmm matmul outer: torch.OP(a, b)
  ["select", out, x, dim, index]
  ["at", out, x, [i, ...]]      x[i, ...] (integers only; x[i] for one)
  ["slice", out, x, dim, start, end, step]
                                x[start:end:step] for dim 0, else
                                x[:, ..., start:end:step] (dim colons first)
  ["transpose", out, x, d0, d1] ["expand", out, x, shape]
  ["reshape", out, x, shape]    ["unsqueeze", out, x, dim]
  ["squeeze", out, x, dim]      ["to", out, x, dtype]   ["clone", out, x]
  ["arange", out, start, end]   torch.arange(start, end)
  ["sum_dim", out, x, dim, keepdim]   x.sum(dim, keepdim=keepdim); also
  mean_dim, argmax_dim, argmin_dim
  ["mean", out, x]              x.mean(); also max, min, argmax, argmin
  ["grad_of", out, x]           out = x.grad (the tensor itself: a later
                                backward accumulates into it in place)
  ["item", x]                   records x.item()
  ["requires_grad_", x, flag]
  ["grad_mode", flag]           torch.set_grad_enabled(flag)
  ["backward", x, {"retain_graph": flag, "gradient": name or null}]
  ["grad", x]                   records x.grad
  ["print", x]                  records str(x); nothing if x's step raised

Each program carries "expect", a list of events in step order:
  {"step": i, "print": text}
  {"step": i, "grad": null}  or  {"step": i, "grad": {"dtype", "shape",
        "data", "text"}} (text is str(x.grad))
  {"step": i, "item": value}
  {"step": i, "error": message}  (PyTorch raised; the program goes on, and
        a step that made nothing leaves its name undefined)

"messages" holds PyTorch's wording of the autograd errors by situation, for
the semantics tests in tests/test_autograd.c.
"""

import argparse
import hashlib
import json
import math
import os
import random

import torch

import op_table

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "autograd_corpus.json")

SALT = ""  # set from --salt before any program is built

DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "int64": torch.int64,
    "bool": torch.bool,
}
FLOATS = ("float32", "float64")
# The op table's rows (kernels/op_table.h, read by op_table.py): every
# unary row; the binary rows with a gradient reached by their own call.
UNARY = tuple(op_table.unary_names())
BINARY = tuple(r.name for r in op_table.BINARY
               if r.grad_fn and r.name not in op_table.INTERNAL_BINARY)
# Binary rows called as torch.<name> (not through a Python operator)
TABLE_BINARY = tuple(r.name for r in op_table.BINARY)
TENSORS_ONLY = ("maximum", "minimum")  # torch refuses a Python number
LINALG = ("dot", "mv", "mm", "bmm", "matmul", "outer")

programs = []


# ---- building programs ----

def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def json_float(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def program_rng(name):
    """The generator of one program: seeded from its name and the salt."""
    digest = hashlib.sha256(("%s\0%s" % (SALT, name)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "little"))


def draw(rng, dtype, n, kind):
    """n values of `dtype`, exactly representable in it. kind picks the
    range, so each op sees inputs where it is smooth and well defined."""
    if dtype == "int64":
        return [rng.randint(-4, 5) for _ in range(n)]
    if dtype == "bool":
        return [rng.random() < 0.5 for _ in range(n)]
    if kind == "positive":
        vals = [rng.uniform(0.5, 2.5) for _ in range(n)]
    elif kind == "exponent":
        vals = [rng.uniform(-2.0, 2.5) for _ in range(n)]
    elif kind == "grid":
        vals = [rng.randint(-16, 16) / 8 for _ in range(n)]
    else:
        vals = [rng.uniform(-2.0, 2.0) for _ in range(n)]
    t = torch.tensor(vals, dtype=torch.float64).to(DTYPES[dtype])
    return [float(v) for v in t.tolist()]


class Prog:
    def __init__(self, name):
        self.name = name
        self.rng = program_rng(name)
        self.steps = []
        self.count = 0

    def fresh(self, prefix):
        self.count += 1
        return "%s%d" % (prefix, self.count)

    def leaf(self, dtype, shape, kind="normal", rg=True, data=None):
        out = self.fresh("x")
        if data is None:
            data = draw(self.rng, dtype, numel(shape), kind)
        if dtype in FLOATS:
            data = [json_float(float(v)) for v in data]
        self.steps.append(["leaf", out, dtype, list(shape), data, rg])
        return out

    def num(self, value):
        out = self.fresh("n")
        kind = "py_int" if isinstance(value, int) else "py_float"
        self.steps.append([kind, out, value])
        return out

    def op(self, name, *args):
        out = self.fresh("t")
        self.steps.append([name, out] + list(args))
        return out

    def backward(self, root, retain=False, gradient=None):
        self.steps.append(["backward", root, {"retain_graph": retain, "gradient": gradient}])

    def grad(self, *names):
        for name in names:
            self.steps.append(["grad", name])

    def show(self, *names):
        for name in names:
            self.steps.append(["print", name])

    def item(self, name):
        self.steps.append(["item", name])

    def requires_grad_(self, name, flag):
        self.steps.append(["requires_grad_", name, flag])

    def grad_mode(self, flag):
        self.steps.append(["grad_mode", flag])

    def done(self):
        programs.append(self)


def simple(name, build, leaves):
    """A program that prints what build() returns, sums it, back-propagates
    and records the leaves' gradients: the common shape of a case."""
    p = Prog(name)
    xs = [p.leaf(*spec[:2], **spec[2]) if len(spec) > 2 else p.leaf(*spec) for spec in leaves]
    y = build(p, *xs)
    p.show(y)
    s = p.op("sum", y)
    p.show(s)
    p.backward(s)
    p.grad(*xs)
    p.done()


# ---- running in PyTorch ----

def slice_index(dim, start, end, step):
    """x[start:end:step] for dim 0; x[:, start:end:step] and so on after.
    (A tuple index whose slices all span their whole dimension returns an
    alias, not a slice, so programs slice dimension 0 with a bare slice.)"""
    window = slice(start, end, step)
    return window if dim == 0 else (slice(None),) * dim + (window,)


def run_op(name, args, env):
    v = [env[a] if isinstance(a, str) and a in env else a for a in args]
    if name in UNARY:
        return getattr(torch, name)(v[0])
    if name == "add":
        return v[0] + v[1]
    if name == "sub":
        return v[0] - v[1]
    if name == "mul":
        return v[0] * v[1]
    if name == "div":
        return v[0] / v[1]
    if name == "pow":
        return v[0] ** v[1]
    if name in TABLE_BINARY:
        return getattr(torch, name)(v[0], v[1])
    if name == "where":
        return torch.where(v[0], v[1], v[2])
    if name == "clamp":
        return torch.clamp(v[0], v[1], v[2])
    if name == "sum":
        return v[0].sum()
    if name == "sum_to_size":
        return v[0].sum_to_size(v[1])
    if name in LINALG:
        return getattr(torch, name)(v[0], v[1])
    if name == "select":
        return v[0].select(v[1], v[2])
    if name == "at":  # x[i] for one index (not x[(i,)]: 0-d tensors tell them apart)
        return v[0][v[1][0]] if len(v[1]) == 1 else v[0][tuple(v[1])]
    if name == "slice":
        return v[0][slice_index(*v[1:])]
    if name == "transpose":
        return v[0].transpose(v[1], v[2])
    if name == "expand":
        return v[0].expand(v[1])
    if name == "reshape":
        return v[0].reshape(*v[1])
    if name == "unsqueeze":
        return v[0].unsqueeze(v[1])
    if name == "squeeze":
        return v[0].squeeze(v[1])
    if name == "to":
        return v[0].to(DTYPES[v[1]])
    if name == "clone":
        return v[0].clone()
    if name in ("sum_dim", "mean_dim", "argmax_dim", "argmin_dim"):
        return getattr(v[0], name[:-4])(v[1], keepdim=v[2])
    if name in ("mean", "max", "min", "argmax", "argmin"):
        return getattr(v[0], name)()
    # shape ops and autograd controls (test_shape's family)
    if name == "view":
        return v[0].view(tuple(v[1]))
    if name == "permute":
        return v[0].permute(tuple(v[1]))
    if name == "t":
        return v[0].t()
    if name == "flatten":
        return v[0].flatten()
    if name in ("cat", "stack"):
        return getattr(torch, name)([env[n] for n in v[0]], v[1])
    if name == "detach":
        return v[0].detach()
    if name == "zero_grad":
        return v[0].grad.zero_()
    if name == "clear_grad":
        v[0].grad = None
        return v[0]
    raise ValueError("unknown op " + name)


def message(e):
    text = str(e)
    assert "\n" not in text, text
    return text


def item_value(v):
    return json_float(v) if isinstance(v, float) else v


def grad_event(g):
    if g is None:
        return None
    dtype = [k for k, v in DTYPES.items() if v == g.dtype][0]
    data = [json_float(float(v)) for v in g.detach().reshape(-1).tolist()]
    return {"dtype": dtype, "shape": list(g.shape), "data": data, "text": str(g)}


def run(prog):
    env = {}
    events = []
    torch.set_grad_enabled(True)
    try:
        for i, step in enumerate(prog.steps):
            kind = step[0]
            try:
                if kind == "leaf":
                    _, out, dtype, shape, data, rg = step
                    data = [float(d) if isinstance(d, str) else d for d in data]
                    # cloned: a leaf of its own, not a view of the flat tensor
                    # (views follow their base's requires_grad)
                    t = torch.tensor(data, dtype=DTYPES[dtype]).reshape(shape).clone()
                    env[out] = t.requires_grad_() if rg else t
                elif kind in ("py_float", "py_int"):
                    env[step[1]] = step[2]
                elif kind == "arange":
                    env[step[1]] = torch.arange(step[2], step[3])
                elif kind == "grad_of":
                    env[step[1]] = env[step[2]].grad
                elif kind == "item":
                    events.append({"step": i, "item": item_value(env[step[1]].item())})
                elif kind == "requires_grad_":
                    env[step[1]].requires_grad_(step[2])
                elif kind == "grad_mode":
                    torch.set_grad_enabled(step[1])
                elif kind == "backward":
                    opts = step[2]
                    g = env[opts["gradient"]] if opts["gradient"] else None
                    env[step[1]].backward(gradient=g, retain_graph=opts["retain_graph"])
                elif kind == "grad":
                    events.append({"step": i, "grad": grad_event(env[step[1]].grad)})
                elif kind == "print":
                    if step[1] in env:  # not a step that raised
                        events.append({"step": i, "print": str(env[step[1]])})
                else:
                    env[step[1]] = run_op(kind, step[2:], env)
            except (RuntimeError, IndexError, ValueError) as e:
                assert kind not in ("leaf", "print", "grad"), (prog.name, step, e)
                events.append({"step": i, "error": message(e)})
    finally:
        torch.set_grad_enabled(True)
    return events


# ---- the programs ----

def domain(op, side):
    """Value kind for operand `side` (0 or 1) of op."""
    if op in ("log", "sqrt"):
        return "positive"
    if op == "div" and side == 1:
        return "positive"
    if op == "pow":
        return "positive" if side == 0 else "exponent"
    return "normal"


def add_unary():
    for op in UNARY:
        for dtype in FLOATS:
            for shape in ([], [3], [2, 3]):
                simple("%s %s %s" % (op, dtype, shape),
                       lambda p, x, op=op: p.op(op, x),
                       [(dtype, shape, {"kind": domain(op, 0)})])
        # non-contiguous operands: a transposed and a strided view of a leaf
        simple("%s of transposed" % op,
               lambda p, x, op=op: p.op(op, p.op("transpose", x, 0, 1)),
               [("float32", [3, 2], {"kind": domain(op, 0)})])
        simple("%s of strided slice" % op,
               lambda p, x, op=op: p.op(op, p.op("slice", x, 1, 0, 5, 2)),
               [("float64", [2, 5], {"kind": domain(op, 0)})])
        simple("%s of expanded" % op,
               lambda p, x, op=op: p.op(op, p.op("expand", x, [2, 3])),
               [("float32", [3], {"kind": domain(op, 0)})])


BROADCAST_PAIRS = [([3], [3]), ([2, 3], [3]), ([2, 1], [1, 3]), ([], [2, 3]), ([2, 3], []),
                   ([], [])]


def add_binary():
    for op in BINARY:
        for da, db in (("float32", "float32"), ("float64", "float64"), ("float32", "float64")):
            for sa, sb in BROADCAST_PAIRS:
                simple("%s %s%s %s%s" % (op, da, sa, db, sb),
                       lambda p, a, b, op=op: p.op(op, a, b),
                       [(da, sa, {"kind": domain(op, 0)}), (db, sb, {"kind": domain(op, 1)})])
        # only one side requires grad: the other is a plain tensor
        for rg in ((True, False), (False, True)):
            simple("%s requires_grad %s" % (op, rg),
                   lambda p, a, b, op=op: p.op(op, a, b),
                   [("float32", [2, 3], {"kind": domain(op, 0), "rg": rg[0]}),
                    ("float32", [3], {"kind": domain(op, 1), "rg": rg[1]})])
        # Python numbers on either side, and an int64 tensor operand
        for value in (2, 2.5, -0.75):
            if op == "pow" or op in TENSORS_ONLY:
                continue
            simple("%s tensor, %r" % (op, value),
                   lambda p, x, op=op, value=value: p.op(op, x, p.num(value)),
                   [("float32", [3], {"kind": domain(op, 0)})])
            simple("%s %r, tensor" % (op, value),
                   lambda p, x, op=op, value=value: p.op(op, p.num(value), x),
                   [("float64", [2, 2], {"kind": domain(op, 1)})])
        simple("%s float tensor, int64 tensor" % op,
               lambda p, x, n, op=op: p.op(op, x, n),
               [("float32", [3], {"kind": "positive"}),
                ("int64", [3], {"rg": False, "data": [1, 2, 3]})])
        # a non-contiguous operand on each side
        simple("%s transposed, strided" % op,
               lambda p, a, b, op=op: p.op(op, p.op("transpose", a, 0, 1),
                                           p.op("slice", b, 0, 0, 4, 2)),
               [("float64", [3, 2], {"kind": domain(op, 0)}),
                ("float64", [4, 3], {"kind": domain(op, 1)})])


def add_activations_and_selection():
    """relu/abs at 0, maximum/minimum ties (g/2), where, clamp's overloads."""
    ties = [-1.5, 0.0, -0.0, 2.0, 0.5, 3.0]
    for op in ("relu", "abs", "sigmoid", "tanh"):
        simple("%s at zero and ties" % op, lambda p, x, op=op: p.op(op, x),
               [("float32", [6], {"data": ties})])
    for op in ("maximum", "minimum"):
        simple("%s ties" % op, lambda p, a, b, op=op: p.op(op, a, b),
               [("float32", [6], {"data": ties}), ("float32", [6], {"data": [-1.5, 0.0, 0.0, 1.0, 0.5, 4.0]})])
        simple("%s float64 with broadcast float32" % op, lambda p, a, b, op=op: p.op(op, a, b),
               [("float64", [2, 3], {"kind": "normal"}), ("float32", [3], {"kind": "normal"})])
    for cmp_op in ("gt", "ge", "lt", "le", "eq", "ne"):
        simple("where %s" % cmp_op,
               lambda p, x, y, c=cmp_op: p.op("where", p.op(c, x, p.num(0)), x, y),
               [("float32", [2, 3], {"kind": "normal"}), ("float32", [3], {"kind": "normal"})])
    simple("where with a number", lambda p, x: p.op("where", p.op("gt", x, p.num(0.5)), x, p.num(2)),
           [("float64", [4], {"kind": "normal"})])
    simple("where float32 with float64",
           lambda p, x, y: p.op("where", p.op("lt", x, y), x, y),
           [("float32", [3], {"kind": "normal"}), ("float64", [2, 3], {"kind": "normal"})])
    bounds = [(-0.5, 0.5), (-0.5, None), (None, 0.5), (0, 1), (1, -1)]
    for lo, hi in bounds:
        simple("clamp numbers %r %r" % (lo, hi),
               lambda p, x, lo=lo, hi=hi: p.op("clamp", x, None if lo is None else p.num(lo),
                                               None if hi is None else p.num(hi)),
               [("float32", [2, 3], {"kind": "normal"})])
    simple("clamp tensors", lambda p, x, lo, hi: p.op("clamp", x, lo, hi),
           [("float32", [2, 3], {"kind": "normal"}), ("float32", [3], {"data": [-0.5, 0.0, 0.25]}),
            ("float32", [2, 1], {"data": [0.5, 1.0]})])
    simple("clamp tensor min", lambda p, x, lo: p.op("clamp", x, lo, None),
           [("float64", [4], {"kind": "normal"}), ("float64", [4], {"kind": "normal"})])
    simple("clamp tensor max", lambda p, x, hi: p.op("clamp", x, None, hi),
           [("float32", [4], {"kind": "normal"}), ("float32", [], {"data": [0.0]})])
    simple("clamp_min tensor", lambda p, x, lo: p.op("clamp_min", x, lo),
           [("float32", [4], {"kind": "normal"}), ("float32", [4], {"kind": "normal"})])
    simple("clamp_max number", lambda p, x: p.op("clamp_max", x, p.num(0.25)),
           [("float32", [4], {"kind": "normal"})])
    simple("clamp_min number int", lambda p, x: p.op("clamp_min", x, p.num(0)),
           [("float64", [4], {"kind": "normal"})])


def add_pow():
    for dtype in FLOATS:
        for exponent in (2, 3, 1, 0, -1, -2, 2.5, 0.5, -0.5, 1.5, 0.0):
            simple("pow %s ** %r" % (dtype, exponent),
                   lambda p, x, e=exponent: p.op("pow", x, p.num(e)),
                   [(dtype, [4], {"kind": "positive"})])
        for base in (2, 2.5):
            simple("pow %r ** %s" % (base, dtype),
                   lambda p, x, b=base: p.op("pow", p.num(b), x),
                   [(dtype, [3], {"kind": "exponent"})])
    simple("pow tensor ** 0-d tensor",
           lambda p, x, e: p.op("pow", x, e),
           [("float32", [3], {"kind": "positive"}), ("float32", [], {"data": [2.0]})])
    simple("pow squares, negative base",
           lambda p, x: p.op("pow", x, p.num(2)),
           [("float32", [4], {"kind": "normal"})])


def add_reductions():
    """sum/mean over a dimension, mean, max/min (ties share the gradient),
    argmax/argmin (no gradient, int64), what they do with NaN, and errors"""
    for dtype in FLOATS:
        for shape, dim in (([], 0), ([], -1), ([4], 0), ([2, 3], 0), ([2, 3], 1), ([2, 3], -1),
                           ([2, 1, 3], 1), ([2, 3, 4], 1)):
            for keepdim in (False, True):
                for op in ("sum_dim", "mean_dim"):
                    simple("%s %s %s dim=%d keepdim=%s" % (op, dtype, shape, dim, keepdim),
                           lambda p, x, op=op, dim=dim, keepdim=keepdim: p.op(op, x, dim, keepdim),
                           [(dtype, shape, {})])
        for shape in ([], [1], [5], [2, 3]):
            for op in ("mean", "max", "min"):
                simple("%s %s %s" % (op, dtype, shape), lambda p, x, op=op: p.op(op, x), [(dtype, shape, {})])
        for op in ("max", "min"):
            simple("%s %s of transposed" % (op, dtype),
                   lambda p, x, op=op: p.op(op, p.op("transpose", x, 0, 1)), [(dtype, [3, 4], {})])
            for data in ([1.0, 3.0, 3.0, 2.0, 3.0], [0.0, -0.0, 0.0], ["nan", 1.0, "nan"], [2.0, 2.0]):
                simple("%s %s ties %s" % (op, dtype, data), lambda p, x, op=op: p.op(op, p.op("mul", x, p.num(3))),
                       [(dtype, [len(data)], {"data": data})])
        simple("mean of sum_dim %s" % dtype, lambda p, x: p.op("mean", p.op("sum_dim", x, 1, False)),
               [(dtype, [3, 4], {})])
        simple("max of mean_dim %s" % dtype, lambda p, x: p.op("max", p.op("mean_dim", x, 0, True)),
               [(dtype, [3, 4], {})])
    for op in ("argmax", "argmin"):
        for dtype in ("float32", "int64"):
            p = Prog("%s %s" % (op, dtype))
            x = p.leaf(dtype, [3, 4], rg=dtype == "float32")
            y = p.op(op, x)
            z0 = p.op(op + "_dim", x, 0, False)
            z1 = p.op(op + "_dim", x, -1, True)
            p.show(y, z0, z1)
            p.done()
        p = Prog("%s nan and ties" % op)
        x = p.leaf("float32", [2, 4], data=[1.0, "nan", 1.0, "nan", 2.0, 2.0, -1.0, 2.0])
        p.show(p.op(op, x), p.op(op + "_dim", x, 1, False), p.op(op + "_dim", x, 0, False))
        p.done()
    # what each node saves: a second backward through mean(dim), max and
    # min is refused (they keep self); through sum(dim) and mean() it is not
    for op, args in (("mean_dim", (0, False)), ("max", ()), ("min", ()), ("sum_dim", (1, True)), ("mean", ())):
        p = Prog("%s backward twice" % op)
        x = p.leaf("float32", [2, 3])
        y = p.op(op, x, *args)
        g = p.leaf("float32", [3] if op == "mean_dim" else [2, 1] if op == "sum_dim" else [], rg=False)
        p.backward(y, gradient=g)
        p.backward(y, gradient=g)
        p.grad(x)
        p.done()
    # errors, in PyTorch's words
    p = Prog("mean of int64")
    x = p.leaf("int64", [3], rg=False)
    p.show(p.op("mean", x), p.op("mean_dim", x, 0, False))
    p.done()
    p = Prog("max and argmax of empty")
    x = p.leaf("float32", [0], rg=False)
    p.show(p.op("max", x), p.op("min", x), p.op("argmax", x), p.op("mean", x), p.op("sum_dim", x, 0, False))
    p.done()
    p = Prog("sum_dim out of range")
    x = p.leaf("float32", [2, 3])
    p.show(p.op("sum_dim", x, 2, False), p.op("mean_dim", x, -3, True), p.op("argmax_dim", x, 5, False))
    p.done()


def add_sum():
    for dtype in FLOATS:
        for shape in ([], [1], [4], [2, 3], [2, 1, 3]):
            simple("sum %s %s" % (dtype, shape), lambda p, x: p.op("sum", x),
                   [(dtype, shape, {})])
    simple("sum of transposed", lambda p, x: p.op("sum", p.op("transpose", x, 0, 1)),
           [("float32", [2, 3], {})])
    simple("sum of sum", lambda p, x: p.op("sum", p.op("sum", x)), [("float32", [3], {})])
    for src, dst in (([2, 3], [1, 3]), ([2, 3], [2, 1]), ([2, 3], [1, 1]), ([3], [1]),
                     ([2, 3, 4], [3, 1]), ([2, 3], [3]), ([2, 3], [2, 3]), ([4], [4]),
                     ([2, 3], []), ([], [])):
        for dtype in FLOATS:
            simple("sum_to_size %s %s to %s" % (dtype, src, dst),
                   lambda p, x, dst=dst: p.op("sum_to_size", p.op("mul", x, p.num(2)), dst),
                   [(dtype, src, {})])


MATMUL_SHAPES = [
    ([4], [4]), ([3, 4], [4]), ([4], [4, 2]), ([3, 4], [4, 2]),
    ([2, 3, 4], [4, 2]), ([2, 3, 4], [4]), ([3, 4], [2, 4, 2]), ([4], [2, 4, 2]),
    ([2, 3, 4], [2, 4, 2]), ([2, 1, 3, 4], [3, 4, 2]), ([1, 3, 4], [2, 4, 5]),
]


def add_linalg():
    for dtype in FLOATS:
        simple("dot %s" % dtype, lambda p, a, b: p.op("dot", a, b),
               [(dtype, [5], {}), (dtype, [5], {})])
        simple("mv %s" % dtype, lambda p, a, b: p.op("mv", a, b),
               [(dtype, [3, 4], {}), (dtype, [4], {})])
        simple("mm %s" % dtype, lambda p, a, b: p.op("mm", a, b),
               [(dtype, [3, 4], {}), (dtype, [4, 2], {})])
        simple("bmm %s" % dtype, lambda p, a, b: p.op("bmm", a, b),
               [(dtype, [2, 3, 4], {}), (dtype, [2, 4, 2], {})])
        simple("outer %s" % dtype, lambda p, a, b: p.op("outer", a, b),
               [(dtype, [3], {}), (dtype, [4], {})])
        for sa, sb in MATMUL_SHAPES:
            simple("matmul %s %s @ %s" % (dtype, sa, sb), lambda p, a, b: p.op("matmul", a, b),
                   [(dtype, sa, {}), (dtype, sb, {})])
    simple("dot one side", lambda p, a, b: p.op("dot", a, b),
           [("float32", [4], {}), ("float32", [4], {"rg": False})])
    simple("mm one side", lambda p, a, b: p.op("mm", a, b),
           [("float32", [2, 3], {"rg": False}), ("float32", [3, 2], {})])
    simple("mm transposed operands",
           lambda p, a, b: p.op("mm", p.op("transpose", a, 0, 1), p.op("transpose", b, 0, 1)),
           [("float32", [4, 3], {}), ("float32", [2, 4], {})])
    simple("mv strided vector",
           lambda p, a, b: p.op("mv", a, p.op("slice", b, 0, 0, 8, 2)),
           [("float64", [3, 4], {}), ("float64", [8], {})])
    simple("bmm transposed", lambda p, a, b: p.op("bmm", p.op("transpose", a, 1, 2), b),
           [("float32", [2, 4, 3], {}), ("float32", [2, 4, 2], {})])
    simple("matmul transposed 3-D @ 2-D",
           lambda p, a, b: p.op("matmul", p.op("transpose", a, 1, 2), b),
           [("float32", [2, 4, 3], {}), ("float32", [4, 2], {})])
    simple("matmul expanded batch",
           lambda p, a, b: p.op("matmul", p.op("expand", a, [2, 3, 4]), b),
           [("float64", [3, 4], {}), ("float64", [2, 4, 2], {})])
    simple("outer float32, float64", lambda p, a, b: p.op("outer", a, b),
           [("float32", [3], {}), ("float64", [2], {})])


def add_views():
    cases = [
        ("select", [3, 4], [0, 1]), ("select", [3, 4], [1, -1]), ("select", [4], [0, 2]),
        ("at", [3, 4], [[1]]), ("at", [3, 4], [[2, 3]]), ("at", [2, 3, 4], [[-1, 0]]),
        ("slice", [6], [0, 1, 4, 1]), ("slice", [6, 2], [0, 0, 6, 2]),
        ("slice", [3, 5], [1, -3, 100, 1]), ("slice", [4], [0, 0, 4, 1]),
        ("slice", [4, 3], [1, 1, 2, 1]),
        ("transpose", [2, 3], [0, 1]), ("transpose", [2, 3, 4], [0, -1]),
        ("transpose", [], [0, 0]), ("transpose", [3], [0, 0]),
        ("expand", [3, 1], [[3, 4]]), ("expand", [3], [[2, 3]]), ("expand", [], [[2, 2]]),
        ("expand", [1, 3], [[2, -1, 3]]),
        ("reshape", [2, 6], [[3, 4]]), ("reshape", [2, 3], [[-1]]), ("reshape", [], [[1]]),
        ("reshape", [4], [[2, 2]]), ("reshape", [3], [[3]]),
        ("unsqueeze", [3, 4], [1]), ("unsqueeze", [3], [-1]), ("unsqueeze", [], [0]),
        ("squeeze", [3, 1, 4], [1]), ("squeeze", [3, 4], [0]), ("squeeze", [1], [0]),
        ("squeeze", [], [0]), ("squeeze", [2, 1], [-1]),
        ("clone", [2, 3], []), ("clone", [], []),
    ]
    for op, shape, args in cases:
        for on_leaf in (True, False):
            def build(p, x, op=op, args=args, on_leaf=on_leaf):
                src = x if on_leaf else p.op("mul", x, p.num(3))
                return p.op(op, src, *args)
            simple("%s %s %s%s" % (op, shape, args, "" if on_leaf else " of a product"), build,
                   [("float32", shape, {})])
    # reshape that must copy: a transposed operand cannot be viewed flat
    simple("reshape copy path", lambda p, x: p.op("reshape", p.op("transpose", x, 0, 1), [6]),
           [("float32", [2, 3], {})])
    simple("reshape copy path float64",
           lambda p, x: p.op("reshape", p.op("expand", x, [2, 3]), [3, 2]),
           [("float64", [3], {})])
    # dtype conversions both ways
    for src, dst in (("float32", "float64"), ("float64", "float32"), ("float32", "float32")):
        simple("to %s -> %s" % (src, dst), lambda p, x, dst=dst: p.op("to", x, dst),
               [(src, [3], {"kind": "grid"})])
    simple("to float32 -> float64 -> float32",
           lambda p, x: p.op("to", p.op("sin", p.op("to", x, "float64")), "float32"),
           [("float32", [2, 2], {})])
    # views chained, and the same view taken twice
    simple("select of slice of transpose",
           lambda p, x: p.op("select", p.op("slice", p.op("transpose", x, 0, 1), 0, 1, 3, 1), 1, 0),
           [("float32", [2, 4], {})])
    simple("two selects of one leaf",
           lambda p, x: p.op("mul", p.op("select", x, 0, 0), p.op("select", x, 0, 2)),
           [("float64", [3], {})])
    simple("expand then reshape",
           lambda p, x: p.op("reshape", p.op("expand", p.op("unsqueeze", x, 0), [2, 3]), [3, 2]),
           [("float32", [3], {})])


def add_graphs():
    # one leaf used several times
    simple("x * x", lambda p, x: p.op("mul", x, x), [("float32", [3], {})])
    simple("x + sin(x)", lambda p, x: p.op("add", x, p.op("sin", x)), [("float32", [3], {})])
    simple("x * x * x via three uses",
           lambda p, x: p.op("mul", p.op("mul", x, x), x), [("float64", [4], {})])
    simple("diamond", lambda p, x: p.op("mul", p.op("sin", x), p.op("cos", x)),
           [("float32", [2, 2], {})])
    simple("two leaves", lambda p, x, y: p.op("add", p.op("mul", x, y), p.op("exp", y)),
           [("float32", [3], {}), ("float32", [3], {})])
    simple("three leaves, mixed dtypes",
           lambda p, x, y, z: p.op("div", p.op("mul", x, y), z),
           [("float32", [2, 3], {}), ("float64", [3], {}), ("float32", [], {"kind": "positive"})])
    def chain(p, x):
        t = x
        for i in range(12):
            t = p.op(["sin", "cos", "exp", "neg"][i % 4], p.op("mul", t, p.num(0.5)))
        return t
    simple("long chain", chain, [("float32", [3], {})])
    # the notebook's cells 11, 12, 14 and 15
    p = Prog("cell 11: dot")
    x = p.leaf("float32", [4], data=[0.0, 1.0, 2.0, 3.0])
    y = p.leaf("float32", [4], rg=False, data=[2.0, 3.0, 5.0, 7.0])
    z = p.op("dot", x, y)
    p.show(z)
    p.backward(z)
    p.grad(x, y)
    p.done()
    p = Prog("cell 12: chain")
    x = p.leaf("float32", [3], data=[1.0, 2.0, 3.0])
    z = p.op("sum", p.op("sin", x))
    u = p.op("log", p.op("add", p.num(1), z))
    w = p.op("exp", p.op("neg", u))
    p.show(z, u, w)
    p.backward(w)
    p.grad(x)
    p.done()
    p = Prog("cell 14: accumulate")
    x = p.leaf("float32", [3], data=[1.0, 2.0, 3.0])
    terms = [p.op("pow", p.op("at", x, [i]), p.num(i + 1)) for i in range(3)]
    y = p.op("add", p.op("add", terms[0], terms[1]), terms[2])
    z = p.op("sin", y)
    u = p.op("log", p.op("add", p.num(1), z))
    w = p.op("exp", p.op("neg", u))
    p.show(y, z, u, w)
    p.backward(w, retain=True)
    p.grad(x)
    p.backward(u)
    p.grad(x)
    p.done()
    p = Prog("cell 15: two inputs")
    x = p.leaf("float32", [3], data=[1.0, 2.0, 3.0])
    y = p.leaf("float32", [3], data=[5.0, 7.0, 6.0])
    z = p.op("mul", p.op("cos", x), p.op("sin", y))
    u = p.op("sum", z)
    p.show(z, u)
    p.backward(u, retain=True)
    p.grad(x, y)
    p.done()


def add_accumulation():
    # two graphs, one leaf: the second backward adds to .grad
    for dtype in FLOATS:
        p = Prog("accumulate across graphs %s" % dtype)
        x = p.leaf(dtype, [3])
        s1 = p.op("sum", p.op("mul", x, x))
        s2 = p.op("sum", p.op("sin", x))
        p.grad(x)
        p.backward(s1)
        p.grad(x)
        p.backward(s2)
        p.grad(x)
        p.done()
    # one graph, retained, run three times; the fourth run fails
    for op in ("mul", "add"):
        p = Prog("retain_graph %s" % op)
        x = p.leaf("float32", [3])
        s = p.op("sum", p.op(op, x, x))
        p.backward(s, retain=True)
        p.grad(x)
        p.backward(s, retain=True)
        p.grad(x)
        p.backward(s)
        p.grad(x)
        p.backward(s)
        p.grad(x)
        p.done()
    # a leaf that is itself the root
    p = Prog("backward of a 0-d leaf")
    x = p.leaf("float32", [], data=[3.0])
    p.backward(x)
    p.backward(x)
    p.grad(x)
    p.done()
    p = Prog("backward of a leaf with a gradient")
    x = p.leaf("float64", [3])
    g = p.leaf("float64", [3], rg=False)
    p.backward(x, gradient=g)
    p.grad(x)
    p.done()


def freed_graph(name, build, leaves):
    """Backward twice without retain_graph: PyTorch fails where a node saved
    tensors for backward and succeeds (accumulating again) where none did."""
    p = Prog("second backward: " + name)
    xs = [p.leaf(*spec[:2], **spec[2]) for spec in leaves]
    y = build(p, *xs)
    s = p.op("sum", y)
    p.show(y)
    p.backward(s)
    p.grad(*xs)
    p.backward(s)
    p.grad(*xs)
    p.done()


def add_errors():
    f = ("float32", [3], {})
    pos = ("float32", [3], {"kind": "positive"})
    for op in UNARY:
        freed_graph(op, lambda p, x, op=op: p.op(op, x), [pos])
    for op in BINARY:
        freed_graph(op, lambda p, x, y, op=op: p.op(op, x, y), [pos, pos])
        if op not in TENSORS_ONLY:
            freed_graph(op + " by a Python number", lambda p, x, op=op: p.op(op, x, p.num(2)), [pos])
    freed_graph("pow by a tensor, only the base requiring grad",
                lambda p, x, y: p.op("pow", x, y), [pos, ("float32", [3], {"rg": False})])
    for op, shapes in (("dot", ([3], [3])), ("mv", ([2, 3], [3])), ("mm", ([2, 3], [3, 2])),
                       ("bmm", ([2, 2, 3], [2, 3, 2])), ("matmul", ([2, 2, 3], [3])),
                       ("outer", ([3], [2]))):
        freed_graph(op, lambda p, a, b, op=op: p.op(op, a, b),
                    [("float32", shapes[0], {}), ("float32", shapes[1], {})])
    freed_graph("views", lambda p, x: p.op("squeeze", p.op("unsqueeze", p.op("select", p.op(
        "slice", p.op("transpose", p.op("expand", x, [2, 3]), 0, 1), 0, 0, 2, 1), 1, 0), 0), 0), [f])
    freed_graph("reshape, clone, to", lambda p, x: p.op("to", p.op("clone", p.op(
        "reshape", x, [3, 1])), "float64"), [f])
    freed_graph("sum_to_size", lambda p, x: p.op("sum_to_size", p.op("expand", x, [2, 3]), [1, 3]),
                [f])
    freed_graph("neg of sub of add", lambda p, x, y: p.op("neg", p.op("sub", p.op(
        "add", x, p.num(1)), y)), [f, f])
    # a graph half of which saved nothing: PyTorch accumulates into the
    # leaves reached before the failing node, then raises
    freed_graph("partly re-runnable", lambda p, x, y: p.op("add", x, p.op("sin", y)), [f, f])
    freed_graph("partly re-runnable, deeper", lambda p, x, y: p.op("sub", p.op("neg", x),
                p.op("exp", p.op("mul", y, p.num(2)))), [f, f])

    # implicit gradients need a one-element output
    for shape in ([3], [2, 2], [1], [1, 1], [0]):
        p = Prog("backward of a %s output without a gradient" % shape)
        x = p.leaf("float32", shape)
        y = p.op("mul", x, p.num(2))
        p.backward(y)
        p.grad(x)
        p.done()
    # nothing requires grad
    p = Prog("backward of a tensor that does not require grad")
    x = p.leaf("float32", [3], rg=False)
    s = p.op("sum", p.op("sin", x))
    p.show(s)
    p.backward(s)
    p.grad(x)
    p.done()
    p = Prog("backward of a plain leaf")
    x = p.leaf("float32", [], rg=False)
    p.backward(x)
    p.done()
    # requires_grad_ rules
    for dtype, data in (("int64", [1, 2, 3]), ("bool", [True, False, True])):
        p = Prog("requires_grad_ on %s" % dtype)
        x = p.leaf(dtype, [3], rg=False, data=data)
        p.requires_grad_(x, True)
        p.requires_grad_(x, False)
        p.show(x)
        p.done()
    p = Prog("requires_grad_ on a non-leaf")
    x = p.leaf("float32", [3])
    y = p.op("mul", x, p.num(2))
    p.requires_grad_(y, False)
    p.requires_grad_(y, True)
    p.show(y)
    p.done()
    p = Prog("requires_grad_(False) on a leaf")
    x = p.leaf("float32", [3])
    p.requires_grad_(x, False)
    y = p.op("sum", p.op("mul", x, p.num(2)))
    p.show(x, y)
    p.backward(y)
    p.grad(x)
    p.requires_grad_(x, True)
    y2 = p.op("sum", p.op("mul", x, p.num(2)))
    p.show(x, y2)
    p.backward(y2)
    p.grad(x)
    p.done()
    p = Prog("requires_grad_(False) after the graph was recorded")
    x = p.leaf("float32", [2])
    y = p.leaf("float32", [2])
    s = p.op("sum", p.op("mul", x, y))
    p.requires_grad_(x, False)
    p.show(s)
    p.backward(s)
    p.grad(x, y)
    p.done()
    # explicit gradients
    for gshape, gdtype in (([3], "float32"), ([3], "float64"), ([2], "float32"), ([1, 3], "float32"),
                           ([], "float32")):
        p = Prog("backward with a %s %s gradient" % (gdtype, gshape))
        x = p.leaf("float32", [3])
        y = p.op("sin", x)
        g = p.leaf(gdtype, gshape, rg=False)
        p.backward(y, gradient=g)
        p.grad(x)
        p.done()
    for gshape in ([], [1]):
        p = Prog("backward of a 0-d output with a %s gradient" % gshape)
        x = p.leaf("float64", [3])
        s = p.op("sum", p.op("exp", x))
        g = p.leaf("float64", gshape, rg=False, data=[0.5])
        p.backward(s, gradient=g)
        p.grad(x)
        p.done()


def add_grad_mode():
    p = Prog("no recording with grad mode off")
    x = p.leaf("float32", [3])
    p.grad_mode(False)
    y = p.op("mul", x, p.num(2))
    z = p.op("sum", p.op("sin", y))
    p.show(y, z)
    p.backward(z)
    p.grad_mode(True)
    w = p.op("sum", p.op("mul", x, p.num(2)))
    p.show(w)
    p.backward(w)
    p.grad(x)
    p.done()
    p = Prog("backward while grad mode is off")
    x = p.leaf("float64", [2, 2])
    s = p.op("sum", p.op("exp", x))
    p.grad_mode(False)
    p.backward(s)
    p.grad(x)
    p.grad_mode(True)
    p.done()
    p = Prog("a graph mixing recorded and unrecorded parts")
    x = p.leaf("float32", [3])
    a = p.op("sin", x)
    p.grad_mode(False)
    b = p.op("cos", x)
    p.grad_mode(True)
    c = p.op("mul", a, b)
    p.show(a, b, c)
    s = p.op("sum", c)
    p.backward(s)
    p.grad(x)
    p.done()


def add_propagation():
    # requires_grad flows from any input; plain tensors make plain results
    for op in BINARY + ("dot", "outer"):
        p = Prog("propagation %s" % op)
        x = p.leaf("float32", [3], kind="positive")
        c = p.leaf("float32", [3], kind="positive", rg=False)
        d = p.leaf("float32", [3], kind="positive", rg=False)
        p.show(x, c, p.op(op, x, c), p.op(op, c, x), p.op(op, c, d))
        p.done()
    p = Prog("propagation through views of a plain tensor")
    c = p.leaf("float32", [2, 3], rg=False)
    x = p.leaf("float32", [3])
    v = p.op("select", c, 0, 1)
    p.show(v, p.op("add", v, x), p.op("transpose", c, 0, 1))
    p.done()
    p = Prog("print leaves and gradients, float64")
    x = p.leaf("float64", [2, 2])
    s = p.op("sum", p.op("mul", x, p.num(3)))
    p.show(x, s)
    p.grad(x)
    p.backward(s)
    p.grad(x)
    p.show(x)
    p.done()


def add_fidelity():
    """Where PyTorch's behaviour is easy to miss: names of composite ops,
    which results require grad, and its checks and messages."""
    # a 0-d tensor (not a Python number) minus x is sub, not rsub
    simple("sub 0-d tensor - x", lambda p, c, x: p.op("sub", c, x),
           [("float32", [], {"rg": False}), ("float32", [3], {})])
    # sum_to_size to its own shape returns the tensor itself: the leaf's own
    # .grad fills, and a negative zero stays
    p = Prog("sum_to_size to its own shape is the tensor")
    x = p.leaf("float32", [2], data=[-0.0, 1.5])
    y = p.op("sum_to_size", x, [2])
    p.show(y)
    p.backward(p.op("sum", p.op("mul", y, p.num(3))))
    p.grad(x)
    p.done()
    for dtype, data in (("bool", [True, False, True, True, True, False]), ("int64", None)):
        p = Prog("sum_to_size of %s" % dtype)
        x = p.leaf(dtype, [2, 3], rg=False, data=data)
        p.show(p.op("sum_to_size", x, [1, 3]), p.op("sum_to_size", x, [3]),
               p.op("sum_to_size", x, [2, 3]), p.op("sum_to_size", x, []))
        p.done()
    p = Prog("sum_to_size of negative zeros")
    x = p.leaf("float64", [2, 2], rg=False, data=[-0.0, -0.0, -0.0, -0.0])
    p.show(p.op("sum_to_size", x, [1, 2]), p.op("sum_to_size", x, [2]), p.op("sum_to_size", x, []))
    p.done()

    # integer and bool results never require grad
    p = Prog("integer and bool results of a requiring tensor")
    x = p.leaf("float32", [3], kind="grid")
    b = p.op("to", x, "bool")
    n = p.op("to", x, "int64")
    p.show(b, n, p.op("add", n, p.num(1)), p.op("sum", n), p.op("sum", b), p.op("to", n, "float32"),
           p.op("mul", n, x), p.op("div", n, p.num(2)), p.op("neg", n), p.op("reshape", n, [3, 1]),
           p.op("select", n, 0, 1), p.op("clone", n), p.op("sum_to_size", n, [1]))
    p.done()

    # a view follows its base's requires_grad, even one set after the view
    # was taken; a gradient reaching such a view goes nowhere
    p = Prog("views taken before the base requires grad")
    c = p.leaf("float32", [2, 3], rg=False)
    views = [p.op("select", c, 0, 1), p.op("transpose", c, 0, 1), p.op("slice", c, 1, 0, 2, 1),
             p.op("reshape", c, [6]), p.op("expand", p.op("unsqueeze", c, 0), [2, 2, 3])]
    copies = [p.op("clone", c), p.op("to", c, "float64"), p.op("mul", c, p.num(2))]
    p.requires_grad_(c, True)
    p.show(*(views + copies))
    y = p.op("mul", views[0], p.num(2))
    p.show(y)
    s = p.op("sum", y)
    p.backward(s)
    p.grad(c)
    p.requires_grad_(c, False)
    p.show(views[0], views[1])
    p.done()
    p = Prog("backward of a view that follows its base")
    c = p.leaf("float32", [2], rg=False)
    v = p.op("select", c, 0, 0)
    p.requires_grad_(c, True)
    p.backward(v)
    p.grad(c)
    p.done()
    simple("x[()]", lambda p, x: p.op("at", p.op("mul", x, p.num(2)), []), [("float32", [2, 3], {})])
    simple("x[()] of a leaf", lambda p, x: p.op("at", x, []), [("float64", [], {})])
    p = Prog("a view taken with grad mode off")
    x = p.leaf("float32", [3])
    p.grad_mode(False)
    v = p.op("select", x, 0, 1)
    w = p.op("mul", x, p.num(2))
    p.grad_mode(True)
    p.show(v, w, p.op("mul", v, p.num(3)))
    p.done()

    # x.grad saved by a graph, then changed in place by a later backward
    for name, build in (("x * g", lambda p, x, g: p.op("mul", x, g)),
                        ("g * x", lambda p, x, g: p.op("mul", g, x)),
                        ("x + g", lambda p, x, g: p.op("add", x, g)),
                        ("dot(g, x)", lambda p, x, g: p.op("dot", g, x)),
                        ("x / g", lambda p, x, g: p.op("div", x, p.op("add", g, p.num(3)))),
                        ("g / x", lambda p, x, g: p.op("div", g, x)),
                        ("x ** g", lambda p, x, g: p.op("pow", x, g)),
                        ("x * g[0]", lambda p, x, g: p.op("mul", x, p.op("select", g, 0, 0)))):
        for dtype in FLOATS:
            p = Prog("x.grad changed in place after %s saved it, %s" % (name, dtype))
            x = p.leaf(dtype, [3], kind="positive")
            p.backward(p.op("sum", p.op("mul", x, x)))
            g = p.op("grad_of", x)
            y = p.op("sum", build(p, x, g))
            p.backward(p.op("sum", p.op("mul", x, x)))
            p.show(g)
            p.backward(y)
            p.grad(x)
            p.done()

    # pow's gradients at a zero base are masked, not nan
    def pow_at_zero(name, build, leaves):
        simple("pow at zero: " + name, build, leaves)
    zeros = {"data": [0.0, 1.0, 2.0, 0.0]}
    for dtype in FLOATS:
        pow_at_zero("x ** x %s" % dtype, lambda p, x: p.op("pow", x, x), [(dtype, [4], zeros)])
        pow_at_zero("a ** b %s" % dtype, lambda p, a, b: p.op("pow", a, b),
                    [(dtype, [4], zeros), (dtype, [4], {"data": [0.0, 0.5, 2.0, -1.0]})])
        for e in (0, 2, 0.5, -1, 1):
            pow_at_zero("x ** %r %s" % (e, dtype), lambda p, x, e=e: p.op("pow", x, p.num(e)),
                        [(dtype, [4], zeros)])
        pow_at_zero("0.0 ** x %s" % dtype, lambda p, x: p.op("pow", p.num(0.0), x),
                    [(dtype, [4], {"data": [0.0, 1.0, -0.5, 2.0]})])
        pow_at_zero("x ** 0-d zero %s" % dtype, lambda p, x, e: p.op("pow", x, e),
                    [(dtype, [4], zeros), (dtype, [], {"data": [0.0]})])
        pow_at_zero("x ** int64 %s" % dtype, lambda p, x, e: p.op("pow", x, e),
                    [(dtype, [4], zeros), ("int64", [4], {"rg": False, "data": [0, 1, 0, 2]})])

    # errors, in PyTorch's words and in its order
    p = Prog("expand errors")
    for shape, size in (([3], [-2]), ([1], [-2]), ([3], [-2, 3]), ([3], [-1, 3]), ([], [-2]),
                        ([], [-1]), ([3, 1], [3, -2]), ([1], [2, -2]), ([3], [2, -1]),
                        ([3], [2 ** 40, 2 ** 40, 3])):
        x = p.leaf("float32", shape, rg=False)
        p.show(p.op("expand", x, size))
    p.done()
    p = Prog("select and index errors")
    e = p.leaf("float32", [0, 3], rg=False, data=[])
    e2 = p.leaf("float32", [2, 0], rg=False, data=[])
    x = p.leaf("float32", [2, 3], rg=False)
    z = p.leaf("float32", [], rg=False)
    for args in ((e, 0, 0), (e, 1, 5), (e, 0, -1), (e2, 1, 0), (x, 0, 5), (x, -1, -4), (x, -1, 5),
                 (z, 0, 0)):
        p.show(p.op("select", *args))
    for t, index in ((e, [0]), (e2, [0, 0]), (e2, [1]), (x, [2]), (x, [0, -4])):
        p.show(p.op("at", t, index))
    for d0, d1 in ((0, 0), (-1, 0), (0, -1)):
        zt = p.op("transpose", z, d0, d1)
        p.show(zt, p.op("at", zt, [0]), p.op("at", zt, [0, 0]), p.op("at", zt, []))
    p.show(p.op("transpose", z, 0, 1))
    p.done()
    for gshape, rg in (([3], False), ([2], False), ([3], True)):
        p = Prog("backward with a %s gradient, root %s grad" % (gshape, "requiring" if rg else "not requiring"))
        x = p.leaf("float32", [2], rg=rg)
        g = p.leaf("float32", gshape, rg=False)
        p.backward(x, gradient=g)
        p.grad(x)
        p.done()
    p = Prog("backward without a gradient of a plain vector")
    x = p.leaf("float32", [3], rg=False)
    p.backward(p.op("mul", x, p.num(2)))
    p.done()
    p = Prog("arange")
    for start, end in ((0, -3), (3, 1), (0, 0), (2, 5), (-2, 1)):
        p.show(p.op("arange", start, end))
    p.done()
    p = Prog("item")
    for dtype, shape in (("float32", [3]), ("float32", [0]), ("float32", []), ("float64", [1, 1]),
                         ("int64", []), ("bool", [1]), ("float32", [2, 1])):
        x = p.leaf(dtype, shape, rg=False)
        p.item(x)
    p.done()

    # an empty product is zeros whatever the dtypes; a non-empty one of two
    # dtypes is an error
    for op, sa, da, sb, db in (
            ("mm", [2, 0], "float32", [0, 3], "float64"), ("mm", [2, 0], "int64", [0, 3], "float64"),
            ("mm", [2, 0], "bool", [0, 3], "float64"), ("mm", [2, 0], "float32", [0, 3], "bool"),
            ("mm", [0, 3], "float32", [3, 3], "float64"), ("mm", [2, 3], "float32", [3, 0], "float64"),
            ("mm", [2, 3], "float32", [3, 3], "int64"),
            ("bmm", [2, 2, 0], "float64", [2, 0, 3], "float32"),
            ("bmm", [2, 2, 0], "float32", [2, 0, 3], "int64"),
            ("bmm", [2, 0, 2], "float32", [2, 2, 3], "int64"),
            ("bmm", [2, 2, 0], "float32", [2, 0, 3], "bool"),
            ("mv", [2, 0], "float64", [0], "float32"), ("mv", [2, 0], "float32", [0], "int64"),
            ("mv", [0, 2], "float32", [2], "int64"), ("mv", [2, 2], "float32", [2], "float64"),
            ("dot", [0], "float32", [0], "float64"),
            ("matmul", [0], "float32", [0, 3], "float64"), ("matmul", [2, 0], "float32", [0], "float64"),
            ("matmul", [2, 2, 0], "float32", [0], "float64"),
            ("matmul", [2, 2, 0], "float32", [2, 0, 3], "float64"),
            ("matmul", [0, 3], "float32", [2, 3, 2], "float64"),
            ("matmul", [2, 0], "float32", [0, 3], "float64")):
        p = Prog("%s %s %s @ %s %s" % (op, da, sa, db, sb))
        a = p.leaf(da, sa, rg=False)
        b = p.leaf(db, sb, rg=False)
        p.show(p.op(op, a, b))
        p.done()
    # which of two dtypes the kernels check first: the first operand's bool
    # (bmm's kernel, and so its checks, changes at 400 multiply-adds a matrix)
    for op, sa, sb in (("mm", [2, 3], [3, 2]), ("bmm", [2, 2, 3], [2, 3, 2]), ("mv", [2, 3], [3]),
                       ("bmm", [2, 4, 10], [2, 10, 10]), ("bmm", [1, 19, 3], [1, 3, 7]),
                       ("bmm", [1, 10, 4], [1, 4, 10]),
                       ("matmul", [2, 3], [1, 3, 1]), ("matmul", [2, 2, 3], [3, 2]),
                       ("matmul", [2, 4, 10], [2, 10, 10])):
        p = Prog("%s %s @ %s of two dtypes" % (op, sa, sb))
        for da, db in (("bool", "float32"), ("float32", "bool"), ("bool", "int64"),
                       ("int64", "bool"), ("int64", "float64"), ("float64", "float32"),
                       ("bool", "bool")):
            a = p.leaf(da, sa, rg=False)
            b = p.leaf(db, sb, rg=False)
            p.show(p.op(op, a, b))
        p.done()


def add_host_loops():
    """The derivatives computed as one host loop for small CPU operands
    (src/lib/derivatives_host.c) under gradients other than sum's ones:
    pow by every kind of Python-number exponent (its shortcuts, the scalar
    body, and runs long enough for the vector body, which the loop leaves to
    the ops) below a sine, and sin, cos, exp, log and pow under a
    transposed (strided) gradient of varied values."""
    for dtype in FLOATS:
        for shape in ([], [5], [40]):
            for e in (2, 3, 1, 2.5, 1.5, 0.5, -0.5, -1, -2, 7, 1.25):
                simple("host loop: sin(x ** %r) %s %s" % (e, dtype, shape),
                       lambda p, x, e=e: p.op("sin", p.op("pow", x, p.num(e))),
                       [(dtype, shape, {"kind": "positive"})])
        for op in ("sin", "cos", "exp", "log"):
            simple("host loop: %s %s, transposed gradient" % (op, dtype),
                   lambda p, x, w, op=op: p.op("mul", p.op("transpose", p.op(op, x), 0, 1), w),
                   [(dtype, [2, 3], {"kind": "positive"}), (dtype, [3, 2], {"rg": False})])
        simple("host loop: pow %s, transposed gradient" % dtype,
               lambda p, x, w: p.op("mul", p.op("transpose", p.op("pow", x, p.num(2.5)), 0, 1), w),
               [(dtype, [2, 3], {"kind": "positive"}), (dtype, [3, 2], {"rg": False})])


def add_shape():
    """view, permute, t, flatten, cat, stack, detach, zeroing and clearing
    .grad."""
    f = ("float32", [2, 6], {})
    simple("view [2, 6] as [3, -1]", lambda p, x: p.op("view", x, [3, -1]), [f])
    simple("view of a product", lambda p, x: p.op("view", p.op("mul", x, x), [12]), [f])
    simple("permute float64 3-D", lambda p, x: p.op("permute", x, [2, 0, -2]), [("float64", [2, 3, 4], {})])
    simple("permute of transposed", lambda p, x: p.op("permute", p.op("transpose", x, 0, 1), [1, 0]), [f])
    for shape in ([3, 4], [5], []):
        simple("t %s" % shape, lambda p, x: p.op("t", x), [("float32", shape, {})])
    simple("flatten contiguous", lambda p, x: p.op("flatten", x), [("float32", [2, 3, 2], {})])
    simple("flatten transposed", lambda p, x: p.op("flatten", p.op("transpose", x, 0, 1)), [f])
    simple("flatten 0-d", lambda p, x: p.op("flatten", x), [("float64", [], {})])
    simple("flatten 1-D", lambda p, x: p.op("flatten", p.op("sin", x)), [("float32", [4], {})])
    simple("cat two, dim 0", lambda p, a, b: p.op("cat", [a, b], 0), [("float32", [2, 3], {}), ("float32", [1, 3], {})])
    simple("cat three, dim -1, mixed dtypes", lambda p, a, b, c: p.op("cat", [a, b, c], -1),
           [("float32", [2, 1], {}), ("float64", [2, 3], {}), ("float32", [2, 2], {"rg": False})])
    simple("cat with a skipped empty", lambda p, a, b: p.op("cat", [a, b, a], 1),
           [("float32", [2, 2], {}), ("float64", [0], {})])
    simple("cat one input twice", lambda p, a: p.op("cat", [a, p.op("mul", a, a)], 0), [("float64", [3], {})])
    simple("stack two, dim 1", lambda p, a, b: p.op("stack", [a, b], 1), [("float32", [2, 3], {}), ("float32", [2, 3], {})])
    simple("stack of 0-d", lambda p, a, b: p.op("stack", [a, b, a], 0), [("float64", [], {}), ("float32", [], {})])
    simple("detach cuts the graph", lambda p, x: p.op("mul", p.op("detach", p.op("mul", x, x)), x), [("float32", [3], {})])
    # .grad zeroed and cleared between passes
    p = Prog("zero_grad between backward passes")
    x = p.leaf("float32", [3])
    p.backward(p.op("sum", p.op("mul", x, x)))
    p.grad(x)
    g = p.op("zero_grad", x)
    p.show(g)
    p.backward(p.op("sum", p.op("sin", x)))
    p.grad(x)
    p.show(g)
    p.op("clear_grad", x)
    p.grad(x)
    p.backward(p.op("sum", p.op("exp", x)))
    p.grad(x)
    p.done()
    # PyTorch's errors
    p = Prog("shape op errors")
    a, b = p.leaf("float32", [2, 3]), p.leaf("float32", [3, 3])
    p.op("cat", [a, b], 1)
    p.op("stack", [a, b], 0)
    p.op("permute", a, [0, 0])
    p.op("view", p.op("transpose", a, 0, 1), [6])
    p.op("t", p.leaf("float32", [2, 2, 2]))
    p.op("view", a, [4, -1])
    p.done()


def main():
    global SALT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--salt", "--seed", dest="salt", default="",
                        help="mixed into every program's seed")
    parser.add_argument("-o", "--output", default=OUT)
    parser.add_argument("--out", help="folder to write autograd_corpus.json into "
                        "(instead of -o; tests/corpus/fresh_seed.py's interface)")
    args = parser.parse_args()
    SALT = args.salt
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        args.output = os.path.join(args.out, "autograd_corpus.json")

    add_unary()
    add_binary()
    add_activations_and_selection()
    add_pow()
    add_sum()
    add_reductions()
    add_linalg()
    add_views()
    add_graphs()
    add_accumulation()
    add_errors()
    add_grad_mode()
    add_propagation()
    add_fidelity()
    add_shape()
    add_host_loops()
    out = []
    for prog in programs:
        out.append({"name": prog.name, "steps": prog.steps, "expect": run(prog)})
    names = [p["name"] for p in out]
    assert len(names) == len(set(names)), "program names must be unique"

    # PyTorch's wording of each autograd error, for the semantics tests
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    messages = {}
    def capture(key, fn):
        try:
            fn()
        except RuntimeError as e:
            messages[key] = message(e)
        else:
            raise AssertionError(key + " did not raise")
    s = (x * x).sum()
    s.backward()
    capture("freed_graph", lambda: s.backward())
    capture("implicit_scalar", lambda: (x * 2).backward())
    capture("no_grad_fn", lambda: torch.tensor([1.0]).sum().backward())
    capture("non_floating", lambda: torch.tensor([1, 2]).requires_grad_())
    capture("non_leaf", lambda: (x * 2).requires_grad_(False))
    capture("shape_mismatch", lambda: (x * 2).backward(torch.ones(3)))

    def modified_result():  # tanh saves its result; changed in place after
        y = torch.tanh(x)
        with torch.no_grad():
            y.add_(1)
        y.sum().backward()
    capture("saved_result_modified", modified_result)

    # one program a line, so a diff shows which programs changed
    with open(args.output, "w") as f:
        head = {"torch_version": torch.__version__, "salt": SALT, "messages": messages}
        f.write(json.dumps(head, separators=(",", ":"))[:-1] + ',"programs":[\n')
        f.write(",\n".join(json.dumps(prog, separators=(",", ":")) for prog in out))
        f.write("\n]}\n")
    print("%d programs, %d bytes -> %s" % (len(out), os.path.getsize(args.output),
                                          os.path.relpath(args.output)))


if __name__ == "__main__":
    main()
