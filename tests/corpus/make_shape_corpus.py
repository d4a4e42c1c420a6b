#!/usr/bin/python3
"""make_shape_corpus: what PyTorch 1.13 makes of the shape ops (view,
permute, t, flatten, cat, stack), the creation calls (ones, full,
linspace, arange with a step, tensor with dtype and requires_grad) and
detach, written to tests/data/shape_corpus.jsonl for tests/test_shape.c.

Each case names an op, its inputs (dtype, shape, strides given by a
permutation of a contiguous tensor, raw bytes as hex) and its arguments;
it records the result's dtype, shape, strides, grad_fn name and bytes, or
PyTorch's error text. For a float result that requires grad it also
records each input's gradient after out.backward(G) with a random G."""
import random
import sys

import torch

import corpus_lib

SALT = 11
args = corpus_lib.arguments(__doc__, SALT)

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool}


def name_of(dtype):
    return {v: k for k, v in DTYPES.items()}[dtype]


def hexof(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bool:
        return bytes(t.to(torch.uint8).flatten().tolist()).hex()
    return t.numpy().tobytes().hex()


def make_input(rng, dtype, shape, perm=None, rg=False):
    n = 1
    for d in shape:
        n *= d
    if dtype in ("float32", "float64"):
        vals = [rng.randint(-64, 64) / 8 for _ in range(n)]
    elif dtype == "int64":
        vals = [rng.randint(-9, 9) for _ in range(n)]
    else:
        vals = [rng.random() < 0.5 for _ in range(n)]
    base = torch.tensor(vals, dtype=DTYPES[dtype]).reshape(shape)
    desc = {"dtype": dtype, "shape": list(shape), "hex": hexof(base), "perm": perm, "rg": rg}
    t = base.permute(perm) if perm else base
    if rg:
        t = base.clone().requires_grad_(True)
        leaf = t
        t = t.permute(perm) if perm else t
        return desc, t, leaf
    return desc, t, t


def describe(out):
    return {"dtype": name_of(out.dtype), "shape": list(out.shape), "strides": list(out.stride()),
            "grad_fn": type(out.grad_fn).__name__ if out.grad_fn is not None else None,
            "requires_grad": out.requires_grad, "hex": hexof(out)}


cases = []


def case(name, op, inputs, call, **op_args):
    rng = corpus_lib.case_random(args.salt, name)
    made = [make_input(rng, *i) for i in inputs]
    c = {"name": name, "op": op, "inputs": [m[0] for m in made], "args": op_args}
    try:
        out = call([m[1] for m in made])
    except Exception as e:
        c["error"] = str(e).split("\n")[0]
        cases.append(c)
        return
    c["out"] = describe(out)
    if out.requires_grad and out.numel() > 0:
        g = torch.tensor([rng.randint(-16, 16) / 4 for _ in range(out.numel())], dtype=out.dtype).reshape(out.shape)
        c["gradient"] = hexof(g)
        out.backward(g)
        c["grads"] = [hexof(m[2].grad) if m[2].grad is not None else None for m in made]
    cases.append(c)


F, D, I, B = "float32", "float64", "int64", "bool"
# view
for shape, to in [((2, 3), (3, 2)), ((2, 3), (-1,)), ((2, 3), (3, 5)), ((2, 3), (-1, -1)), ((4,), (2, 2, 1)),
                  ((2, 3, 4), (6, -1)), ((0, 3), (3, 0)), ((), (1, 1)), ((1,), ())]:
    for perm_name, perm in [("c", None), ("p", tuple(reversed(range(len(shape)))) if len(shape) > 1 else None)]:
        if perm_name == "p" and perm is None:
            continue
        case("view_%s_%s_%s" % ("x".join(map(str, shape)), perm_name, "x".join(map(str, to))), "view",
             [(F, shape, perm, True)], lambda t, to=to: t[0].view(to), shape=list(to))
case("view_int_64", "view", [(I, (2, 2, 2), (2, 0, 1), False)], lambda t: t[0].view(2, 4), shape=[2, 4])
# permute
for shape, dims in [((2, 3), (1, 0)), ((2, 3, 4), (2, 0, 1)), ((2, 3, 4), (-1, 0, 1)), ((2, 3), (0,)),
                    ((2, 3), (0, 0)), ((2, 3), (0, 5)), ((), ()), ((2, 3, 4), (1, 2, 0))]:
    case("permute_%s_%s" % ("x".join(map(str, shape)), "_".join(map(str, dims))), "permute",
         [(D, shape, None, True)], lambda t, dims=dims: t[0].permute(dims), dims=list(dims))
# t
for shape, perm in [((2, 3), None), ((2, 3), (1, 0)), ((3,), None), ((), None), ((2, 3, 4), None), ((0, 2), None)]:
    case("t_%s_%s" % ("x".join(map(str, shape)), perm is not None), "t", [(F, shape, perm, True)], lambda t: t[0].t())
# flatten
for shape, perm in [((2, 3), None), ((2, 3), (1, 0)), ((3,), None), ((), None), ((2, 1, 4), (2, 0, 1)), ((0, 2), None)]:
    case("flatten_%s_%s" % ("x".join(map(str, shape)), perm is not None), "flatten", [(F, shape, perm, True)],
         lambda t: t[0].flatten())
# cat
CAT = [
    ("two_rows", [(F, (2, 3), None, True), (F, (1, 3), None, True)], 0),
    ("two_cols", [(F, (2, 3), None, True), (F, (2, 1), None, True)], 1),
    ("neg_dim", [(F, (2, 3), None, True), (F, (2, 2), (1, 0), True)], -1),
    ("three", [(D, (2, 2), None, True), (D, (2, 2), None, False), (D, (2, 4), None, True)], 1),
    ("promote", [(F, (2,), None, True), (D, (3,), None, False), (I, (1,), None, False)], 0),
    ("ints", [(I, (2, 2), None, False), (B, (1, 2), None, False)], 0),
    ("bools", [(B, (2,), None, False), (B, (2,), None, False)], 0),
    ("skip_empty", [(F, (2, 3), None, True), (D, (0,), None, False), (F, (2, 3), None, True)], 1),
    ("all_empty", [(F, (0,), None, False), (I, (0,), None, False)], 0),
    ("mismatch", [(F, (2, 3), None, False), (F, (3, 3), None, False)], 1),
    ("ndim", [(F, (2, 3), None, False), (F, (2, 3, 1), None, False)], 0),
    ("zero_dim", [(F, (), None, False)], 0),
    ("bad_dim", [(F, (2, 3), None, False), (F, (2, 3), None, False)], 2),
    ("empty_rows", [(F, (0, 3), None, True), (F, (2, 3), None, True)], 0),
    ("3d", [(F, (2, 3, 2), (2, 0, 1), True), (F, (2, 3, 1), None, True)], 2),
]
for name, inputs, dim in CAT:
    case("cat_" + name, "cat", inputs, lambda t, dim=dim: torch.cat(t, dim), dim=dim)
case("cat_none", "cat", [], lambda t: torch.cat(t, 0), dim=0)
# stack
STACK = [
    ("rows", [(F, (3,), None, True), (F, (3,), None, True)], 0),
    ("cols", [(F, (3,), None, True), (F, (3,), None, False)], 1),
    ("neg", [(F, (2, 3), None, True), (F, (2, 3), (1, 0), True)], -1),
    ("mid", [(D, (2, 3), None, True), (F, (2, 3), None, True), (I, (2, 3), None, False)], 1),
    ("scalars", [(F, (), None, True), (F, (), None, True)], 0),
    ("sizes", [(F, (2,), None, False), (F, (3,), None, False)], 0),
    ("bad_dim", [(F, (2, 3), None, False), (F, (2, 3), None, False)], 3),
    ("ints", [(I, (2,), None, False), (B, (2,), None, False)], 0),
]
for name, inputs, dim in STACK:
    case("stack_" + name, "stack", inputs, lambda t, dim=dim: torch.stack(t, dim), dim=dim)
case("stack_none", "stack", [], lambda t: torch.stack(t, 0), dim=0)
# creation
for dt in DTYPES:
    for shape in [(2, 3), (), (0,), (4,)]:
        case("ones_%s_%s" % (dt, "x".join(map(str, shape))), "ones", [], lambda t, dt=dt, shape=shape:
             torch.ones(shape, dtype=DTYPES[dt]), dtype=dt, shape=list(shape))
        for v in (1.5, -2.75, 0.0, 3.0):
            case("full_%s_%s_%s" % (dt, "x".join(map(str, shape)), v), "full", [], lambda t, dt=dt, shape=shape, v=v:
                 torch.full(shape, v, dtype=DTYPES[dt]), dtype=dt, shape=list(shape), value=v)
case("ones_negative", "ones", [], lambda t: torch.ones((2, -1)), dtype=F, shape=[2, -1])
case("full_overflow_f32", "full", [], lambda t: torch.full((2,), 1e300), dtype=F, shape=[2], value=1e300)
case("full_overflow_i64", "full", [], lambda t: torch.full((2,), 1e300, dtype=torch.int64), dtype=I, shape=[2], value=1e300)
lrng = corpus_lib.case_random(args.salt, "linspace")
LIN = [(0, 1, 0), (0, 1, 1), (2.5, -1, 1), (0, 1, 2), (0, 1, 5), (0, 1, 16), (-3, 7, 17), (0.1, 0.7, 31),
       (1, 0, 100), (-1e3, 1e-3, 33), (0, 1, -1), (3.3, 3.3, 40), (0, 1, 70000)]
for k in range(25):
    LIN.append((round(lrng.uniform(-50, 50), 3), round(lrng.uniform(-50, 50), 3), lrng.randint(2, 200)))
for s, e, n in LIN:
    case("linspace_%s_%s_%s" % (s, e, n), "linspace", [], lambda t, s=s, e=e, n=n: torch.linspace(s, e, n),
         start=s, end=e, steps=n)
ARANGE = [(0., 5., 1.), (0., 1., 0.1), (1., 0., -0.3), (0., 10., 0.7), (-2.5, 30., 0.3), (0., 1., 0.),
          (1., 0., 1.), (5., 5., 1.), (0., 1e5, 1.1), (0.1, 100.2, 1.3),
          # ranges through zero on the step's grid: a vector's lanes are base + k * step fused
          # (k = 3, 5, 6, 7 round otherwise), which shows as 2**-55 where a plain sum gives 0
          (-14.9, 3.3, 0.1), (-18.75, 20.4, 0.15), (-3.9, 10.2, 0.3), (-45.65, 188.65, 1.1),
          (-53.9, 55.3, 0.7)]
for k in range(20):
    s = round(lrng.uniform(-50, 50), 4)
    st = round(lrng.uniform(0.01, 3), 4) * (1 if lrng.random() < 0.7 else -1)
    e = s + st * lrng.randint(0, 120) + round(lrng.uniform(-0.5, 0.5), 3) * st
    ARANGE.append((s, e, st))
for s, e, st in ARANGE:
    case("arange_%r_%r_%r" % (s, e, st), "arange_step", [], lambda t, s=s, e=e, st=st: torch.arange(s, e, st),
         start=s, end=e, step=st)
case("arange_inf", "arange_step", [], lambda t: torch.arange(0., float("inf"), 1.), start=0.0, end="inf", step=1.0)
TENSOR = [("[1, 2]", F, True), ("[1, 2]", I, True), ("[[0.1, 2], [3, 4]]", D, True), ("[1.7, -2.7]", I, False),
          ("[0, 2.5]", B, False), ("[True, False]", F, False), ("[]", D, True), ("3", F, True), ("[1, 2]", B, True)]
for lit, dt, rg in TENSOR:
    case("tensor_%s_%s_%s" % (lit, dt, rg), "tensor_as", [], lambda t, lit=lit, dt=dt, rg=rg:
         torch.tensor(eval(lit), dtype=DTYPES[dt], requires_grad=rg), literal=lit, dtype=dt, requires_grad=rg)

corpus_lib.write_jsonl(args.out + "/shape_corpus.jsonl",
                       {"torch": torch.__version__, "salt": args.salt}, {"cases": cases})
print("shape_corpus.jsonl: %d cases" % len(cases), file=sys.stderr)
