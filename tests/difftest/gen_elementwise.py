"""Random-program family: the elementwise ops of the op table beyond the notebook's: activations, comparisons, where, maximum/minimum, clamp.

Each entry of OPS is (function, weight); the function takes the generator
(gen.Gen) and appends statements with its helpers, as Gen's op_* methods do.
Python numbers, broadcasting, every dtype and requires_grad inputs come
from the generator's variables; now and then a call is invalid on purpose
(a bool relu, a number to torch.maximum, clamp without bounds, a non-bool
condition) so that PyTorch's error texts are compared too.
"""

import os
import sys

import gen

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus"))
import op_table  # noqa: E402  (kernels/op_table.h's rows)

# Gen.op_unary draws the notebook's own unary ops; this family every other
# row of the table, so a row added there is in random programs with no edit.
NOTEBOOK_UNARY = {"neg", "sin", "cos", "exp", "log"}
TABLE_UNARY = {row.c_name: row for row in op_table.UNARY if row.c_name not in NOTEBOOK_UNARY}

ORDER = {"bool": 0, "int64": 1, "float32": 2, "float64": 3}


def _category(dtype):
    return 0 if dtype == "bool" else 1 if dtype == "int64" else 2


def _result_type(operands):
    """torch.result_type over (dtype, kind) pairs, kind "dim", "zero" (0-d
    tensor) or "num" (a Python number: float32 when a float)."""
    def promote(ds):
        return max(ds, key=ORDER.get) if ds else None

    dim = promote([d for d, k in operands if k == "dim"])
    zero = promote([d for d, k in operands if k == "zero"])
    num = promote(["float32" if d in gen.FLOATS else d for d, k in operands if k == "num"])

    def combine(hi, lo):
        if hi is None:
            return lo
        if lo is None:
            return hi
        if _category(lo) > _category(hi):
            return promote([hi, lo])
        return hi
    return combine(dim, combine(zero, num))


def _kind(v):
    return "dim" if v.shape else "zero"


def _number_operand(g):
    n = g.number()
    py, c = g.num_texts(n)
    dtype = "float32" if isinstance(n, float) else "int64"
    return n, py, c, dtype


def _tensor_or_number(g, shape, number_rate=0.3):
    """(python text, c text, (dtype, kind), var or None, |bound|)"""
    r = g.rng
    if r.random() < number_rate:
        n, py, c, dtype = _number_operand(g)
        return py, c, (dtype, "num"), None, abs(n)
    b = g.tensor(g.broadcast_partner(shape), None if r.random() < 0.5 else "float32")
    return b.name, b.name, (b.dtype, _kind(b)), b, b.bound


def _shape_of(vars_, fallback):
    shape, err = tuple(fallback), False
    for v in vars_:
        if v is None:
            continue
        try:
            shape = gen.broadcast(shape, v.shape)
        except ValueError:
            err = True
    return shape, err


def op_activation(g):
    r = g.rng
    a = g.pick()
    if a is None:
        return g.op_create()
    fn = r.choice(sorted(TABLE_UNARY))
    row = TABLE_UNARY[fn]
    same = row.rule == "SAME_DTYPE"
    if same and a.dtype == "int64" and a.bound > gen.INT_LIMIT:
        return  # abs(-2**63) overflows
    error = a.dtype == "bool" and row.bool_error not in (None, "NULL")
    dt = a.dtype if a.dtype in gen.FLOATS or same else "float32"
    # what the model knows of the result's size; a row it does not know: nothing
    bound = {"tanh": 1.0, "sigmoid": 1.0, "relu": a.bound, "abs": a.bound,
             "sqrt": gen.BIG if a.bound == gen.BIG else a.bound ** 0.5 + 1}.get(fn, gen.BIG)
    py = r.choice(["torch.%s(%s)" % (row.name, a.name), "%s.%s()" % (a.name, row.name)])
    out = gen.Var(g.fresh(), a.shape, dt, g.rg_after(a) and dt in gen.FLOATS, False, bound)
    out.leaf = not out.rg
    g.define(out, py, "tensor_%s(%s)" % (fn, a.name), [a.name], error=error)


COMPARE = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
# a Python number on the left of a < b is b.__gt__(a): same values as lt
SWAPPED = {"eq": "eq", "ne": "ne", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}


def compare(g, a=None):
    """a comparison with a Python number or a broadcast tensor; the bool
    Var, or None when the statement was an error."""
    r = g.rng
    a = a or g.pick()
    if a is None:
        return None
    fn = r.choice(list(COMPARE))
    kind = r.choice(["tensor", "tensor", "num_right", "num_left"])
    if kind == "tensor":
        bshape = g.broadcast_partner(a.shape)
        if r.random() < gen.ERROR_RATE:
            bshape = tuple(d + 1 for d in a.shape) or (2,)
        b = g.tensor(bshape, None if r.random() < 0.5 else a.dtype)
        x, y = (a, b) if r.random() < 0.5 else (b, a)
        shape, err = _shape_of([x, y], ())
        py = r.choice(["%s %s %s" % (x.name, COMPARE[fn], y.name), "torch.%s(%s, %s)" % (fn, x.name, y.name),
                       "%s.%s(%s)" % (x.name, fn, y.name)])
        c = "tensor_%s(%s, %s)" % (fn, x.name, y.name)
        uses = [x.name, y.name]
    else:
        n, ptext, ctext, _ = _number_operand(g)
        shape, err = a.shape, False
        if kind == "num_right":
            py = r.choice(["%s %s %s" % (a.name, COMPARE[fn], ptext), "torch.%s(%s, %s)" % (fn, a.name, ptext),
                           "%s.%s(%s)" % (a.name, fn, ptext)])
            c = "tensor_%s(%s, %s)" % (fn, a.name, ctext)
        else:
            py = "%s %s %s" % (ptext, COMPARE[fn], a.name)
            c = r.choice(["tensor_%s(%s, %s)" % (fn, ctext, a.name),
                          "tensor_%s(%s, %s)" % (SWAPPED[fn], a.name, ctext)])
        uses = [a.name]
    out = gen.Var(g.fresh(), shape, "bool", False, True, 1)
    g.define(out, py, c, uses, error=err)
    return None if err else out


def op_compare(g):
    if compare(g) is None and not g.vars:
        g.op_create()


def op_where(g):
    r = g.rng
    a = g.pick()
    if a is None:
        return g.op_create()
    if r.random() < 0.03:  # a condition that is not bool
        cond = g.pick(lambda v: v.dtype != "bool") or a
    else:
        cond = g.pick(lambda v: v.dtype == "bool" and r.random() < 0.5) or compare(g, a)
        if cond is None:
            return
    xp, xc, xk, xv, xb = _tensor_or_number(g, cond.shape, 0.25)
    yp, yc, yk, yv, yb = _tensor_or_number(g, cond.shape, 0.35)
    dt = _result_type([xk, yk])
    shape, err = _shape_of([cond, xv, yv], cond.shape)
    err = err or cond.dtype != "bool"
    inputs = [v for v in (xv, yv) if v is not None]
    out = gen.Var(g.fresh(), shape, dt, g.rg_after(*inputs) and dt in gen.FLOATS, False, max(xb, yb))
    out.leaf = not out.rg
    py = r.choice(["torch.where(%s, %s, %s)" % (cond.name, xp, yp)] +
                  (["%s.where(%s, %s)" % (xp, cond.name, yp)] if xv is not None and yv is not None else []))
    g.define(out, py, "tensor_where(%s, %s, %s)" % (cond.name, xc, yc),
             [cond.name] + [v.name for v in inputs], error=err)


def op_maximum(g):
    r = g.rng
    a = g.pick()
    if a is None:
        return g.op_create()
    fn = r.choice(["maximum", "minimum"])
    if r.random() < 0.04:  # torch.maximum takes tensors only
        n, ptext, ctext, _ = _number_operand(g)
        out = gen.Var(g.fresh(), a.shape, a.dtype)
        if r.random() < 0.5:
            g.define(out, "torch.%s(%s, %s)" % (fn, a.name, ptext),
                     "tensor_%s(%s, %s)" % (fn, a.name, ctext), [a.name], error=True)
        else:
            g.define(out, "torch.%s(%s, %s)" % (fn, ptext, a.name),
                     "tensor_%s(%s, %s)" % (fn, ctext, a.name), [a.name], error=True)
        return
    bshape = g.broadcast_partner(a.shape)
    if r.random() < gen.ERROR_RATE:
        bshape = tuple(d + 1 for d in a.shape) or (2,)
    b = g.tensor(bshape, None if r.random() < 0.4 else a.dtype)
    x, y = (a, b) if r.random() < 0.5 else (b, a)
    dt = _result_type([(x.dtype, _kind(x)), (y.dtype, _kind(y))])
    shape, err = _shape_of([x, y], ())
    out = gen.Var(g.fresh(), shape, dt, g.rg_after(x, y) and dt in gen.FLOATS, False, max(x.bound, y.bound))
    out.leaf = not out.rg
    py = r.choice(["torch.%s(%s, %s)" % (fn, x.name, y.name), "%s.%s(%s)" % (x.name, fn, y.name)])
    g.define(out, py, "tensor_%s(%s, %s)" % (fn, x.name, y.name), [x.name, y.name], error=err)


def _clamp_dtype(a, bounds):
    if a.dtype in gen.FLOATS:
        return a.dtype
    return _result_type([(a.dtype, _kind(a))] + [k for k in bounds if k is not None])


def op_clamp(g):
    r = g.rng
    a = g.pick()
    if a is None:
        return g.op_create()
    form = r.choice(["numbers", "numbers", "tensors", "clamp_min", "clamp_max"])
    tensors = form == "tensors" or (form in ("clamp_min", "clamp_max") and r.random() < 0.5)
    bounds = []  # (py, c, (dtype, kind), var, |bound|) or None

    def bound():
        if tensors:
            v = g.tensor(g.broadcast_partner(a.shape), None if r.random() < 0.3 else a.dtype)
            return v.name, v.name, (v.dtype, _kind(v)), v, v.bound
        n, py, c, dtype = _number_operand(g)
        return py, c, (dtype, "num"), None, abs(n)

    if form == "clamp_min" or form == "clamp_max":
        bounds = [bound()]
        b = bounds[0]
        py = r.choice(["torch.%s(%s, %s)" % (form, a.name, b[0]), "%s.%s(%s)" % (a.name, form, b[0])])
        c = "tensor_%s(%s, %s)" % (form, a.name, b[1])
    else:
        which = r.choice(["both", "both", "min", "max"]) if r.random() > 0.03 else "none"
        lo = bound() if which in ("both", "min") else None
        hi = bound() if which in ("both", "max") else None
        bounds = [lo, hi]
        args = []
        if lo is not None:
            args.append("min=%s" % lo[0])
        if hi is not None:
            args.append("max=%s" % hi[0])
        if lo is not None and hi is not None and r.random() < 0.5:
            args = [lo[0], hi[0]]
        py = r.choice(["torch.clamp(%s)" % ", ".join([a.name] + args),
                       "%s.clamp(%s)" % (a.name, ", ".join(args))])
        c = "tensor_clamp(%s, %s, %s)" % (a.name, lo[1] if lo else "NULL", hi[1] if hi else "NULL")
    present = [b for b in bounds if b is not None]
    dt = _clamp_dtype(a, [b[2] for b in present])
    vars_ = [b[3] for b in present if b[3] is not None]
    shape, err = _shape_of(vars_, a.shape)
    err = err or not present or dt == "bool"
    out = gen.Var(g.fresh(), shape, dt, g.rg_after(a, *vars_) and dt in gen.FLOATS, False,
                  max([a.bound] + [b[4] for b in present]))
    out.leaf = not out.rg
    g.define(out, py, c, [a.name] + [v.name for v in vars_], error=err)


OPS = [(op_activation, 8), (op_compare, 5), (op_where, 4), (op_maximum, 4), (op_clamp, 5)]
