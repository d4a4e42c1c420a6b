"""Random programs over every op of nbreplay's library, each written twice:
as Python for real PyTorch 1.13 and as C against the library (src/*.h).

A program is a list of statements. Each statement carries its Python text,
its C text, the variables it defines and the ones it uses, so the shrinker
(shrink.py) can drop statements and everything that depended on them. Both
texts print the same things (str(t), repr(t.item()), t.tolist(), t.shape,
t.dtype, flags, grad_fn names); the C side prints through
tests/difftest/prelude.h. A failing statement ends the program on both
sides: Python's exception message against the library's error message.

Generation is deterministic: program `index` of seed `seed` depends on
nothing else (`program(seed, index)`), so one program of a run can be
regenerated alone. The generator keeps a small model of every variable
(shape, dtype, requires_grad, leafness, a bound on its values) so that most
programs are valid and the invalid ones are invalid on purpose; what the
model gets wrong only makes a program less interesting, because real
PyTorch decides what is right.

Programs never compute what PyTorch leaves undefined: float to int64
conversions only of values known to be finite and in range, integer
arithmetic only where it cannot overflow, no uninitialized memory, and no
tensor big enough (>= 32768 elements) for PyTorch to split a reduction over
threads.
"""

import functools
import importlib
import math
import random

DTYPES = ("float32", "float64", "int64", "bool")
FLOATS = ("float32", "float64")
C_DTYPE = {"float32": "DTYPE_FLOAT32", "float64": "DTYPE_FLOAT64",
           "int64": "DTYPE_INT64", "bool": "DTYPE_BOOL"}
INT_LIMIT = 2 ** 60        # integer tensors stay far below int64 overflow
BIG = float("inf")         # "no known bound" for a value bound
MAX_NUMEL = 4096           # well under PyTorch's 32768-element grain
ERROR_RATE = 0.02          # how often an op is made invalid on purpose


class Stmt:
    """One statement: its Python line(s), its C line(s), the variables it
    defines and uses. `error` marks a statement generated to fail."""

    def __init__(self, py, c, defs=(), uses=(), error=False):
        self.py, self.c = py, c
        self.defs, self.uses = tuple(defs), tuple(uses)
        self.error = error

    def to_json(self):
        return {"py": self.py, "c": self.c, "defs": list(self.defs),
                "uses": list(self.uses), "error": self.error}

    @staticmethod
    def from_json(d):
        return Stmt(d["py"], d["c"], d["defs"], d["uses"], d.get("error", False))


class Program:
    """A named list of statements, rendered as a Python body and a C
    function body."""

    def __init__(self, name, stmts):
        self.name, self.stmts = name, list(stmts)

    def python(self):
        return "".join(s.py + "\n" for s in self.stmts)

    def c_body(self):
        lines = []
        for s in self.stmts:
            for line in s.c.split("\n"):
                lines.append("    " + line + "\n")
            lines.append("    DT_CHECK();\n")
        return "".join(lines)

    def to_json(self):
        return {"name": self.name, "stmts": [s.to_json() for s in self.stmts]}

    @staticmethod
    def from_json(d):
        return Program(d["name"], [Stmt.from_json(s) for s in d["stmts"]])


def closed(stmts):
    """The statements whose uses are all defined by earlier kept statements
    (dropping a definition drops what depended on it, transitively)."""
    defined, out = set(), []
    for s in stmts:
        if all(u in defined for u in s.uses):
            out.append(s)
            defined.update(s.defs)
    return out


# ---- values and their texts ----

def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def py_shape(shape):
    if len(shape) == 1:
        return "(%d,)" % shape[0]
    return "(" + ", ".join(str(d) for d in shape) + ")"


def c_shape(shape):
    return "SHAPE(" + ", ".join(str(d) for d in shape) + ")" if shape else "SHAPE0"


def py_args(shape):
    """x.reshape(2, 3) / x.expand(2, 3) argument text; () for a 0-d shape."""
    return ", ".join(str(d) for d in shape) if shape else "()"


def py_number(v):
    text = repr(v)
    return "(" + text + ")" if text.startswith("-") else text


def c_double(v):
    text = repr(float(v))
    return text


def nested(values, shape):
    """The Python literal of `values` (flat, C order) in `shape`."""
    if not shape:
        return values[0]
    step = numel(shape[1:])
    return "[" + ", ".join(nested(values[i * step:(i + 1) * step], shape[1:])
                           for i in range(shape[0])) + "]"


class Var:
    """The generator's model of a tensor variable. `bound` is an upper bound
    on |value| (BIG when unknown, e.g. possibly nan or inf)."""

    def __init__(self, name, shape, dtype, rg=False, leaf=True, bound=BIG):
        self.name, self.shape, self.dtype = name, tuple(shape), dtype
        self.rg, self.leaf, self.bound = rg, leaf, bound


class Gen:
    """Builds one program. Each `op_*` method appends statements and returns
    nothing; `run` picks among them with weights."""

    def __init__(self, seed, index):
        self.rng = random.Random("difftest:%d:%d" % (seed, index))
        self.name = "s%d_p%d" % (seed, index)
        self.stmts = []
        self.vars = []
        self.count = 0
        self.grad_enabled = True
        self.done = False

    # -- bookkeeping --

    def fresh(self):
        self.count += 1
        return "t%d" % self.count

    def emit(self, py, c, defs=(), uses=(), error=False):
        self.stmts.append(Stmt(py, c, defs, uses, error))
        if error:
            self.done = True

    def define(self, var, py_expr, c_expr, uses, error=False):
        self.emit("%s = %s" % (var.name, py_expr), "Tensor *%s = %s;" % (var.name, c_expr),
                  [var.name], uses, error)
        if not error:
            self.vars.append(var)
            self.maybe_show(var)
        return var

    def pick(self, pred=lambda v: True):
        cands = [v for v in self.vars if pred(v)]
        return self.rng.choice(cands) if cands else None

    def rg_after(self, *inputs):
        return self.grad_enabled and any(v.rg for v in inputs)

    # -- printing --

    def show(self, v, what=None):
        r = self.rng
        n = numel(v.shape)
        if what is None:
            choices = ["print", "print", "shape", "dtype", "grad_fn", "requires_grad", "is_leaf",
                       "is_contiguous", "stride"]
            if n <= 64:
                choices += ["tolist", "tolist", "tolist"]
            if n == 1:
                choices += ["item", "item"]
            what = r.choice(choices)
        x = v.name
        if what == "print":
            self.emit("print(%s)" % x, "dt_print(%s);" % x, uses=[x])
        elif what == "tolist":
            self.emit("print(%s.tolist())" % x, "dt_tolist(%s);" % x, uses=[x])
        elif what == "item":
            self.emit("print(repr(%s.item()))" % x, "dt_item(%s);" % x, uses=[x])
        elif what == "shape":
            self.emit("print(%s.shape)" % x, "dt_size(%s);" % x, uses=[x])
        elif what == "dtype":
            self.emit("print(%s.dtype)" % x, "dt_dtype(%s);" % x, uses=[x])
        elif what == "grad_fn":
            self.emit("print(grad_fn_name(%s))" % x, "dt_grad_fn(%s);" % x, uses=[x])
        elif what == "requires_grad":
            self.emit("print(%s.requires_grad)" % x, "dt_bool(tensor_requires_grad(%s));" % x, uses=[x])
        elif what == "is_leaf":
            self.emit("print(%s.is_leaf)" % x, "dt_bool(tensor_grad_fn_name(%s) == NULL);" % x,
                      uses=[x])
        elif what == "is_contiguous":
            self.emit("print(%s.is_contiguous())" % x, "dt_bool(tensor_is_contiguous(%s));" % x,
                      uses=[x])
        elif what == "stride":
            self.emit("print(%s.stride())" % x, "dt_stride(%s);" % x, uses=[x])
        elif what == "grad":
            self.emit("print(%s.grad)" % x, "dt_print(tensor_grad(%s));" % x, uses=[x])
        elif what == "grad_tolist":
            self.emit("print(None if %s.grad is None else %s.grad.tolist())" % (x, x),
                      "if (tensor_grad(%s)) dt_tolist(tensor_grad(%s)); else dt_print(NULL);"
                      % (x, x), uses=[x])

    def maybe_show(self, v):
        r = self.rng.random()
        if r < 0.55:
            self.show(v)
        if r < 0.2:
            self.show(v, "tolist" if numel(v.shape) <= 64 else "print")
        if v.rg and self.rng.random() < 0.3:
            self.show(v, "grad_fn")

    # -- values --

    def shape(self, max_dims=3, max_size=5, allow_zero=True):
        r = self.rng
        nd = r.choice([0, 1, 1, 2, 2, 2, 3, 3, 4][:max_dims * 2 + 1])
        lo = 0 if allow_zero and r.random() < 0.08 else 1
        return tuple(r.randint(lo, max_size) for _ in range(nd))

    def float_values(self, n):
        r = self.rng
        kind = r.choice(["uniform", "uniform", "grid", "small", "wide", "special"])
        vals = []
        for _ in range(n):
            if kind == "uniform":
                v = round(r.uniform(-3, 3), r.choice([1, 2, 3, 4, 7]))
            elif kind == "grid":
                v = r.randint(-16, 16) / 8
            elif kind == "small":
                v = round(r.uniform(0.05, 2.5), r.choice([2, 3, 5]))
            elif kind == "wide":
                v = round(r.uniform(-1, 1) * 10 ** r.randint(-6, 8), 3 + r.randint(0, 5))
                v = float("%.6g" % v)
            else:
                v = r.choice([0.0, -0.0, 1.0, -1.0, 0.5, 1e-8, 100.0, 88.5, -104.0, 710.0,
                              round(r.uniform(-3, 3), 3)])
            vals.append(float(v))
        return vals

    def literal_var(self, shape, dtype, rg=False):
        """torch.tensor(<literal>) of `dtype`: float32 through the library's
        literal parser, float64 through tensor_from_data, int64 and bool
        through the parser."""
        r = self.rng
        n = numel(shape)
        name = self.fresh()
        if dtype in FLOATS:
            vals = self.float_values(n)
            bound = max([abs(v) for v in vals] + [0.0])
            if dtype == "float32":
                lit = nested([repr(v) for v in vals], shape) if shape else repr(vals[0])
                if n == 0:
                    lit = nested([], shape) if len(shape) == 1 else None
                if lit is None:   # an empty float literal of rank > 1: build it
                    return self.zeros_var(shape, dtype)
                py, c = "torch.tensor(%s)" % lit, 'torch_tensor("%s")' % lit
                bound = bound * (1 + 2 ** -23)
            else:
                lit = nested([repr(v) for v in vals], shape) if shape else repr(vals[0])
                if n == 0 and len(shape) != 1:
                    return self.zeros_var(shape, dtype)
                data = "(double[]){%s}" % ", ".join(c_double(v) for v in vals) if n else "NULL"
                py = "torch.tensor(%s, dtype=torch.float64)" % lit
                c = "tensor_from_data(DTYPE_FLOAT64, %s, %s)" % (c_shape(shape), data)
        elif dtype == "int64":
            if n == 0:
                return self.zeros_var(shape, dtype)
            vals = [str(r.randint(-5, 9)) for _ in range(n)]
            bound = max(abs(int(v)) for v in vals)
            lit = nested(vals, shape) if shape else vals[0]
            py, c = "torch.tensor(%s)" % lit, 'torch_tensor("%s")' % lit
        else:
            if n == 0:
                return self.zeros_var(shape, dtype)
            vals = [r.choice(["True", "False"]) for _ in range(n)]
            bound = 1
            lit = nested(vals, shape) if shape else vals[0]
            py, c = "torch.tensor(%s)" % lit, 'torch_tensor("%s")' % lit
        v = Var(name, shape, dtype, bound=bound)
        self.define(v, py, c, [])
        if rg:
            self.requires_grad(v)
        return v

    def zeros_var(self, shape, dtype):
        name = self.fresh()
        v = Var(name, shape, dtype, bound=0)
        py = "torch.zeros(%s, dtype=torch.%s)" % (py_shape(shape) if shape else "()", dtype)
        return self.define(v, py, "tensor_zeros(%s, %s)" % (C_DTYPE[dtype], c_shape(shape)), [])

    def arange_var(self, n, dtype="float32", scale=None):
        """A long tensor of varied values without a long literal:
        torch.arange(a, a + n), converted and scaled."""
        r = self.rng
        a = r.randint(-n, 5)
        name = self.fresh()
        base = Var(name, (n,), "int64", bound=max(abs(a), abs(a + n)))
        self.define(base, "torch.arange(%d, %d)" % (a, a + n), "tensor_arange(%d, %d)" % (a, a + n), [])
        if dtype in ("int64", "bool"):
            return base if dtype == "int64" else self.to_dtype(base, dtype, quiet=True)
        conv = self.to_dtype(base, dtype, quiet=True)
        scale = scale if scale is not None else r.choice([0.37, 0.01, 1.1, 3.0, 0.125, 1e-3])
        name = self.fresh()
        v = Var(name, (n,), dtype, bound=conv.bound * scale * 1.01)
        return self.define(v, "%s * %s" % (conv.name, repr(scale)),
                           "tensor_mul(%s, py_float(%s))" % (conv.name, c_double(scale)),
                           [conv.name])

    def tensor(self, shape, dtype=None, rg=None, fresh=False):
        """A variable of `shape`: an existing one when one fits, else new."""
        r = self.rng
        if not fresh and r.random() < 0.5:
            v = self.pick(lambda v: v.shape == tuple(shape) and (dtype is None or v.dtype == dtype))
            if v is not None:
                return v
        if dtype is None:
            dtype = r.choice(["float32", "float32", "float32", "float64", "float64", "int64", "bool"])
        if rg is None:
            rg = dtype in FLOATS and r.random() < 0.5
        n = numel(shape)
        if n > 40:
            v = self.arange_var(n, dtype)
            if len(shape) != 1:
                v = self.reshape_to(v, shape)
            if rg and dtype in FLOATS:
                v = self.clone_leaf(v)
            return v
        return self.literal_var(shape, dtype, rg=rg and dtype in FLOATS)

    def reshape_to(self, v, shape):
        name = self.fresh()
        out = Var(name, shape, v.dtype, v.rg, not v.rg, v.bound)
        return self.define(out, "%s.reshape(%s)" % (v.name, py_args(shape)),
                           "tensor_reshape(%s, %s)" % (v.name, c_shape(shape)), [v.name])

    def clone_leaf(self, v):
        """A new leaf with v's values that requires grad."""
        name = self.fresh()
        out = Var(name, v.shape, v.dtype, False, True, v.bound)
        old = self.grad_enabled
        self.define(out, "%s.clone()" % v.name, "tensor_clone(%s)" % v.name, [v.name])
        out.rg = False
        if old:
            self.requires_grad(out)
        return out

    def requires_grad(self, v, flag=True):
        self.emit("%s.requires_grad_(%s)" % (v.name, "" if flag else "False"),
                  "tensor_requires_grad_(%s, %s);" % (v.name, "true" if flag else "false"),
                  uses=[v.name])
        v.rg = flag
        return v

    # -- operations --

    def number(self):
        r = self.rng
        if r.random() < 0.4:
            return r.choice([0, 1, 2, 3, -1, -2, 5])
        return r.choice([0.5, 2.0, -1.5, 0.1, 3.25, 1e-3, -0.0, 0.0, 1.0, 2.5, 1e10, 7.0 / 3.0])

    def num_texts(self, n):
        if isinstance(n, int):
            return py_number(n), "py_int(%d)" % n
        return py_number(n), "py_float(%s)" % c_double(n)

    def broadcast_partner(self, shape):
        """A shape that broadcasts with `shape` (suffix, ones, same)."""
        r = self.rng
        k = r.choice(["same", "same", "suffix", "ones", "prefix", "scalar"])
        if k == "same":
            return tuple(shape)
        if k == "suffix":
            return tuple(shape[r.randint(0, len(shape)):])
        if k == "ones":
            return tuple(1 if r.random() < 0.5 else d for d in shape)
        if k == "prefix":
            return (r.randint(1, 3),) + tuple(1 if r.random() < 0.3 else d for d in shape)
        return ()

    def op_binary(self):
        r = self.rng
        a = self.pick()
        if a is None:
            return self.op_create()
        op = r.choice(["+", "-", "*", "/", "**"])
        kind = r.choice(["tensor", "tensor", "num_right", "num_left"])
        if kind == "tensor":
            bshape = self.broadcast_partner(a.shape)
            if r.random() < ERROR_RATE:      # deliberately incompatible
                bshape = tuple(d + 1 for d in a.shape) or (2,)
            bdtype = a.dtype if r.random() < 0.6 else None
            b = self.tensor(bshape, bdtype)
            if r.random() < 0.5:
                a, b = b, a
            self.binary(op, a, b)
        else:
            n = self.number()
            if op == "**" and kind == "num_right" and r.random() < 0.7:
                n = r.choice([2, 3, 0.5, -1, 2.0, 0, 1, -2, 1.5])
            self.binary_number(op, a, n, kind == "num_left")

    def result_dtype(self, a_dtype, b_dtype, a_dims, b_dims):
        order = {"bool": 0, "int64": 1, "float32": 2, "float64": 3}
        cat = lambda d: 0 if d == "bool" else 1 if d == "int64" else 2
        if a_dims == b_dims:
            return max(a_dtype, b_dtype, key=order.get)
        hi, lo = (a_dtype, b_dtype) if a_dims > b_dims else (b_dtype, a_dtype)
        if cat(lo) > cat(hi):
            return max(a_dtype, b_dtype, key=order.get)
        return hi

    def binary(self, op, a, b):
        if op == "**" and (a.dtype != "float64" and a.dtype != "float32") and \
                (b.dtype in ("int64", "bool")) and power_too_big(a.bound, b.bound):
            return  # integer powers that could overflow
        dt = self.result_dtype(a.dtype, b.dtype, 2 if a.shape else 1, 2 if b.shape else 1)
        if op == "/" and dt in ("int64", "bool"):
            dt = "float32"
        bound = self.combine_bound(op, a.bound, b.bound, dt)
        if bound is None:
            return
        try:
            shape = broadcast(a.shape, b.shape)
            err = False
        except ValueError:
            shape, err = a.shape, True
        c_fn = {"+": "tensor_add", "-": "tensor_sub", "*": "tensor_mul", "/": "tensor_div",
                "**": "tensor_pow"}[op]
        out = Var(self.fresh(), shape, dt, self.rg_after(a, b) and dt in FLOATS, False, bound)
        out.leaf = not out.rg
        self.define(out, "%s %s %s" % (a.name, op, b.name),
                    "%s(%s, %s)" % (c_fn, a.name, b.name), [a.name, b.name], error=err)

    def combine_bound(self, op, x, y, dtype):
        """A bound on |a op b| from bounds on |a| and |b|; None when an
        integer result could overflow."""
        if op in "+-":
            bound = x + y
        elif op == "*":
            bound = x * y if x != BIG and y != BIG else BIG
        elif op == "**":
            bound = BIG if dtype in FLOATS else (max(x, 1) ** max(y, 1) if max(x, y) < 64 else BIG)
        else:
            bound = BIG
        if dtype in ("int64",) and (bound == BIG or bound > INT_LIMIT):
            return None
        return bound

    def binary_number(self, op, a, n, left):
        c_fn = {"+": "tensor_add", "-": "tensor_sub", "*": "tensor_mul", "/": "tensor_div",
                "**": "tensor_pow"}[op]
        ptext, ctext = self.num_texts(n)
        num_dtype = "float32" if isinstance(n, float) else "int64"
        if a.dtype in FLOATS:
            dt = a.dtype
        elif num_dtype == "float32":
            dt = "float32"
        else:
            dt = a.dtype
        if op == "/" and dt in ("int64", "bool"):
            dt = "float32"
        if op == "**" and dt == "int64":
            base, exp_ = (abs(n), a.bound) if left else (a.bound, abs(n))
            if power_too_big(base, exp_):
                return
        bound = self.combine_bound(op, a.bound, abs(n), dt)
        if bound is None:
            return
        out = Var(self.fresh(), a.shape, dt, self.rg_after(a) and dt in FLOATS, False, bound)
        out.leaf = not out.rg
        if left:
            py = "%s %s %s" % (ptext, op, a.name)
            c = "%s(%s, %s)" % (c_fn, ctext, a.name)
        else:
            py = "%s %s %s" % (a.name, op, ptext)
            c = "%s(%s, %s)" % (c_fn, a.name, ctext)
        self.define(out, py, c, [a.name])

    def op_unary(self):
        r = self.rng
        a = self.pick()
        if a is None:
            return self.op_create()
        fn = r.choice(["neg", "sin", "cos", "exp", "log"])
        if fn == "neg" and a.dtype == "int64" and a.bound > INT_LIMIT:
            return          # -(-2**63) overflows
        dt = a.dtype if a.dtype in FLOATS or fn == "neg" else "float32"
        trig = 1.0 if a.bound != BIG else BIG
        bound = {"neg": a.bound, "sin": trig, "cos": trig, "log": BIG,
                 "exp": math.exp(min(a.bound, 700)) if a.bound < 80 else BIG}[fn]
        if fn == "neg":
            py = r.choice(["-%s" % a.name, "torch.neg(%s)" % a.name, "%s.neg()" % a.name])
        else:
            py = r.choice(["torch.%s(%s)" % (fn, a.name), "%s.%s()" % (a.name, fn)])
        out = Var(self.fresh(), a.shape, dt, self.rg_after(a) and dt in FLOATS, False, bound)
        out.leaf = not out.rg
        self.define(out, py, "tensor_%s(%s)" % (fn, a.name), [a.name],
                    error=(fn == "neg" and a.dtype == "bool"))

    def op_sum(self):
        r = self.rng
        a = self.pick()
        if a is None:
            return self.op_create()
        n = numel(a.shape)
        dt = a.dtype if a.dtype in FLOATS else "int64"
        bound = a.bound * max(n, 1) if a.bound != BIG else BIG
        if dt == "int64" and bound > INT_LIMIT:
            return          # an integer sum that could overflow
        if r.random() < 0.6:
            out = Var(self.fresh(), (), dt, self.rg_after(a), False, bound)
            out.leaf = not out.rg
            py = r.choice(["%s.sum()" % a.name, "torch.sum(%s)" % a.name])
            self.define(out, py, "tensor_sum(%s)" % a.name, [a.name])
        else:
            target = tuple(1 if r.random() < 0.4 else d for d in a.shape[r.randint(0, len(a.shape)):])
            err = False
            if r.random() < ERROR_RATE:
                target, err = tuple(d + 2 for d in a.shape) or (3,), True
            out = Var(self.fresh(), target, a.dtype, self.rg_after(a), False, bound)
            out.leaf = not out.rg
            py = "%s.sum_to_size(%s)" % (a.name, py_args(target) if target else "()")
            if target == ():
                py = "%s.sum_to_size(())" % a.name
            self.define(out, py, "tensor_sum_to_size(%s, %s)" % (a.name, c_shape(target)), [a.name],
                        error=err)

    def linalg_dtype(self):
        r = self.rng
        return r.choice(["float32", "float32", "float64", "float64", "int64"])

    def op_linalg(self):
        r = self.rng
        fn = r.choice(["dot", "mv", "mm", "bmm", "matmul", "matmul", "matmul", "outer"])
        dt = self.linalg_dtype()
        dt2 = dt if r.random() < 0.95 else r.choice(DTYPES)
        big = r.random() < 0.2
        size = lambda: r.randint(1, 70) if big else r.randint(0 if r.random() < 0.05 else 1, 5)
        m, k, n, b = size(), size(), size(), r.randint(1, 4)
        if fn == "dot":
            k = r.randint(1, 3000) if big else k
            sa, sb = (k,), (k,)
        elif fn == "outer":
            sa, sb = (m,), (n,)
        elif fn == "mv":
            sa, sb = (m, k), (k,)
        elif fn == "mm":
            sa, sb = (m, k), (k, n)
        elif fn == "bmm":
            sa, sb = (b, m, k), (b, k, n)
        else:
            sa, sb = self.matmul_shapes(m, k, n)
        if r.random() < ERROR_RATE:      # deliberately mismatched
            sb = tuple(d + 1 for d in sb) if sb else (2,)
        elif r.random() < ERROR_RATE:    # deliberately of the wrong rank
            sa = sa[1:] if r.random() < 0.7 else (2,) + sa
        for s in (sa, sb):
            if numel(s) > MAX_NUMEL:
                return
        if dt != dt2 and (0 in sa or 0 in sb):
            # PyTorch skips its dtype check when an operand is empty and
            # returns a result of an arbitrary one of the two dtypes
            dt2 = dt
        if dt == "int64" or dt2 == "int64":
            if k * 9 * 9 > INT_LIMIT:
                return
        a = self.tensor(sa, dt)
        if r.random() < 0.15 and len(sa) >= 2:   # a transposed operand
            a = self.transposed_operand(sa, dt)
        bvar = self.tensor(sb, dt2)
        if r.random() < 0.15 and len(sb) >= 2:
            bvar = self.transposed_operand(sb, dt2)
        self.linalg(fn, a, bvar)

    def transposed_operand(self, shape, dtype):
        """A non-contiguous operand of `shape`: the transpose of a new one."""
        t_shape = shape[:-2] + (shape[-1], shape[-2])
        base = self.tensor(t_shape, dtype, fresh=True)
        nd = len(shape)
        out = Var(self.fresh(), shape, dtype, base.rg, not base.rg, base.bound)
        return self.define(out, "%s.transpose(%d, %d)" % (base.name, nd - 2, nd - 1),
                           "tensor_transpose(%s, %d, %d)" % (base.name, nd - 2, nd - 1), [base.name])

    def matmul_shapes(self, m, k, n):
        r = self.rng
        case = r.choice(["1x1", "2x1", "1x2", "2x2", "3x1", "1x3", "3x2", "2x3", "3x3", "4x3",
                         "3x4", "4x2", "bcast"])
        batch = tuple(r.randint(1, 3) for _ in range(2))
        shapes = {
            "1x1": ((k,), (k,)), "2x1": ((m, k), (k,)), "1x2": ((k,), (k, n)),
            "2x2": ((m, k), (k, n)), "3x1": ((batch[0], m, k), (k,)),
            "1x3": ((k,), (batch[0], k, n)), "3x2": ((batch[0], m, k), (k, n)),
            "2x3": ((m, k), (batch[0], k, n)), "3x3": ((batch[0], m, k), (batch[0], k, n)),
            "4x3": (batch + (m, k), (batch[1], k, n)), "3x4": ((batch[1], m, k), batch + (k, n)),
            "4x2": (batch + (m, k), (k, n)),
            "bcast": ((batch[0], 1, m, k), (batch[1], k, n)),
        }
        return shapes[case]

    def linalg(self, fn, a, b):
        try:
            shape = linalg_shape(fn, a.shape, b.shape)
            err = a.dtype != b.dtype
        except ValueError:
            shape, err = (), True
        dt = a.dtype
        kk = a.shape[-1] if a.shape else 1
        bound = a.bound * b.bound * max(kk, 1) if BIG not in (a.bound, b.bound) else BIG
        if dt == "int64" and bound > INT_LIMIT:
            return
        out = Var(self.fresh(), shape, dt, self.rg_after(a, b) and dt in FLOATS, False, bound)
        out.leaf = not out.rg
        r = self.rng
        if fn == "matmul" and r.random() < 0.5:
            py = "%s @ %s" % (a.name, b.name)
        elif fn in ("dot", "mv", "mm", "matmul") and r.random() < 0.3:
            py = "%s.%s(%s)" % (a.name, fn, b.name)
        elif fn == "outer" and r.random() < 0.2:
            py = "torch.ger(%s, %s)" % (a.name, b.name)
        else:
            py = "torch.%s(%s, %s)" % (fn, a.name, b.name)
        self.define(out, py, "tensor_%s(%s, %s)" % (fn, a.name, b.name), [a.name, b.name],
                    error=err)

    def op_view(self):
        r = self.rng
        a = self.pick()
        if a is None:
            return self.op_create()
        nd = len(a.shape)
        kind = r.choice(["select", "index", "slice", "transpose", "expand", "unsqueeze",
                         "squeeze", "reshape", "select", "index", "slice", "transpose", "expand",
                         "unsqueeze", "squeeze", "reshape", "alias"])
        out = lambda shape: Var(self.fresh(), shape, a.dtype, self.rg_after(a) and a.rg, not (self.grad_enabled and a.rg), a.bound)
        wrong = r.random() < ERROR_RATE
        x = a.name
        if kind in ("select", "index") and nd == 0:
            kind = "unsqueeze"
        if kind == "alias":       # x[()]: a new view of all of x
            v = out(a.shape)
            self.define(v, "%s[()]" % a.name, "tensor_index(%s, 0, NULL)" % a.name, [a.name])
            return
        if kind == "select":
            d = r.randrange(nd)
            size = a.shape[d]
            i = r.randint(-size, size - 1) if size and not wrong else size + r.randint(0, 2)
            dd = d - nd if r.random() < 0.3 else d
            v = out(a.shape[:d] + a.shape[d + 1:])
            self.define(v, "%s.select(%d, %d)" % (x, dd, i), "tensor_select(%s, %d, %d)" % (x, dd, i),
                        [x], error=(size == 0 or wrong))
        elif kind == "index":
            k = r.randint(1, nd)
            idx = []
            err = wrong
            for d in range(k):
                size = a.shape[d]
                if size == 0:
                    err = True
                    idx.append(0)
                else:
                    idx.append(r.randint(-size, size - 1))
            if wrong:
                idx[-1] = a.shape[k - 1] + r.randint(0, 2)
            v = out(a.shape[k:])
            self.define(v, "%s[%s]" % (x, ", ".join(map(str, idx))),
                        "tensor_at(%s, %s)" % (x, ", ".join(map(str, idx))), [x], error=err)
        elif kind == "slice":
            if nd == 0:
                return
            d = r.randrange(nd)
            size = a.shape[d]
            start = r.choice([None, 0, 1, -1, -2, 2, size + 1])
            end = r.choice([None, size, 1, 2, -1, 3, size + 3])
            step = r.choice([1, 1, 1, 2, 3])
            if wrong:
                step = r.choice([0, -1])
            s_text = "%s:%s%s" % ("" if start is None else start, "" if end is None else end,
                                  "" if step == 1 else ":%d" % step)
            lo, hi, st = slice(start, end, step).indices(size) if step > 0 else (0, size, 1)
            full = lo == 0 and hi >= size and st == 1
            if d > 0 and full and not wrong:
                return   # PyTorch returns an alias here, which the C API has no word for
            length = len(range(lo, hi, st)) if step > 0 else size
            c_start = 0 if start is None else start
            c_end = "INT64_MAX" if end is None else str(end)
            py = "%s[%s]" % (x, s_text) if d == 0 else "%s[%s%s]" % (x, ":, " * d, s_text)
            v = out(a.shape[:d] + (length,) + a.shape[d + 1:])
            self.define(v, py, "tensor_slice(%s, %d, %d, %s, %d)" % (x, d, c_start, c_end, step),
                        [x], error=wrong)
        elif kind == "transpose":
            d0 = r.randint(-max(nd, 1), max(nd, 1) - 1)
            d1 = r.randint(-max(nd, 1), max(nd, 1) - 1)
            if wrong:
                d1 = nd + 1
            shape = list(a.shape)
            if nd:
                shape[d0], shape[d1 % nd if not wrong else 0] = shape[d1 % nd if not wrong else 0], shape[d0]
            v = out(tuple(shape))
            py = r.choice(["%s.transpose(%d, %d)" % (x, d0, d1), "torch.transpose(%s, %d, %d)" % (x, d0, d1)])
            self.define(v, py, "tensor_transpose(%s, %d, %d)" % (x, d0, d1), [x], error=wrong)
        elif kind == "expand":
            target = [r.randint(1, 3) if d == 1 else (d if r.random() < 0.8 else -1) for d in a.shape]
            target = [r.randint(1, 3) for _ in range(r.randint(0, 2))] + target
            if wrong:
                target = [d + 1 for d in a.shape if d > 1] or [2, 0]
                target = target + [7]
            shape = tuple(t if t != -1 else a.shape[i - (len(target) - nd)] for i, t in enumerate(target))
            if numel(shape) > MAX_NUMEL:
                return
            v = out(shape)
            self.define(v, "%s.expand(%s)" % (x, py_args(target)),
                        "tensor_expand(%s, %s)" % (x, c_shape(target)), [x], error=wrong)
        elif kind == "unsqueeze":
            d = r.randint(-nd - 1, nd) if not wrong else nd + 2
            dd = d if d >= 0 else d + nd + 1
            shape = a.shape[:dd] + (1,) + a.shape[dd:] if not wrong else a.shape
            v = out(shape)
            self.define(v, "%s.unsqueeze(%d)" % (x, d), "tensor_unsqueeze(%s, %d)" % (x, d), [x],
                        error=wrong)
        elif kind == "squeeze":
            ones = [i for i, s in enumerate(a.shape) if s == 1]
            if ones and r.random() < 0.8:
                d = r.choice(ones)
            else:
                d = r.randint(-max(nd, 1), max(nd, 1) - 1)
            if wrong:
                d = nd + 1
            dd = d % nd if nd else 0
            shape = a.shape[:dd] + a.shape[dd + 1:] if nd and a.shape[dd] == 1 and not wrong else a.shape
            v = out(shape)
            self.define(v, "%s.squeeze(%d)" % (x, d), "tensor_squeeze_dim(%s, %d)" % (x, d), [x],
                        error=wrong)
        else:
            n = numel(a.shape)
            shape = factor_shape(r, n)
            if wrong:
                shape = shape + (2,) if n else (3,)
            elif r.random() < 0.4 and shape and n > 0:
                i = r.randrange(len(shape))
                shown = shape[:i] + (-1,) + shape[i + 1:]
                v = out(shape)
                self.define(v, "%s.reshape(%s)" % (x, py_args(shown)),
                            "tensor_reshape(%s, %s)" % (x, c_shape(shown)), [x])
                return
            v = out(shape)
            self.define(v, "%s.reshape(%s)" % (x, py_args(shape)),
                        "tensor_reshape(%s, %s)" % (x, c_shape(shape)), [x], error=wrong)

    def to_dtype(self, a, dt, quiet=False):
        r = self.rng
        py = r.choice(["%s.to(torch.%s)" % (a.name, dt),
                       "%s.%s()" % (a.name, {"float32": "float", "float64": "double",
                                            "int64": "long", "bool": "bool"}[dt])])
        bound = a.bound if dt != "bool" else 1
        if dt == "float32" and bound != BIG:
            bound *= 1 + 2 ** -23
        rg = self.rg_after(a) and dt in FLOATS
        v = Var(self.fresh(), a.shape, dt, rg, not rg, bound)
        if quiet:
            self.emit("%s = %s" % (v.name, py), "Tensor *%s = tensor_to_dtype(%s, %s);"
                      % (v.name, a.name, C_DTYPE[dt]), [v.name], [a.name])
            self.vars.append(v)
            return v
        return self.define(v, py, "tensor_to_dtype(%s, %s)" % (a.name, C_DTYPE[dt]), [a.name])

    def op_convert(self):
        r = self.rng
        a = self.pick()
        if a is None:
            return self.op_create()
        kind = r.choice(["to", "to", "clone", "contiguous"])
        if kind == "to":
            dt = r.choice(DTYPES)
            if dt == "int64" and a.dtype in FLOATS and a.bound >= 2 ** 62:
                dt = "float64"   # float -> int64 of nan, inf or huge values is undefined
            self.to_dtype(a, dt)
        else:
            rg = self.rg_after(a)
            v = Var(self.fresh(), a.shape, a.dtype, rg, not rg, a.bound)
            py = "%s.%s()" % (a.name, kind) if r.random() < 0.8 or kind == "contiguous" \
                else "torch.clone(%s)" % a.name
            self.define(v, py, "tensor_%s(%s)" % (kind, a.name), [a.name])

    def op_create(self):
        r = self.rng
        kind = r.choice(["literal", "literal", "literal", "literal", "arange", "zeros", "big", "edge"])
        if kind == "edge":
            self.edge_literal()
        elif kind == "literal":
            self.tensor(self.shape(), fresh=True)
        elif kind == "arange":
            a = r.randint(-4, 4)
            b = a + r.randint(0, 8)
            if r.random() < ERROR_RATE:
                b = a - r.randint(1, 3)
                v = Var(self.fresh(), (0,), "int64", bound=0)
                py = "torch.arange(%d)" % b if a == 0 else "torch.arange(%d, %d)" % (a, b)
                self.define(v, py, "tensor_arange(%d, %d)" % (a, b), [], error=True)
                return
            v = Var(self.fresh(), (b - a,), "int64", bound=max(abs(a), abs(b)))
            py = "torch.arange(%d)" % b if a == 0 else "torch.arange(%d, %d)" % (a, b)
            self.define(v, py, "tensor_arange(%d, %d)" % (a, b), [])
        elif kind == "zeros":
            self.zeros_var(self.shape(), r.choice(DTYPES))
        else:
            n = r.choice([100, 257, 1000, 1024, 2049, 4000])
            v = self.arange_var(n, r.choice(FLOATS))
            if r.random() < 0.5:
                self.clone_leaf(v)

    # Literals that test torch.tensor's parsing and dtype inference: empty
    # and nested-empty lists, mixed bool/int/float elements, float32
    # overflow and underflow, int64 limits, Python's number spellings.
    EDGE_LITERALS = [
        ("[]", "float32", (0,)), ("[[]]", "float32", (1, 0)), ("[[], []]", "float32", (2, 0)),
        ("[1, 2.5]", "float32", (2,)), ("[True, 2]", "int64", (2,)),
        ("[True, 2.5]", "float32", (2,)), ("[False, True]", "bool", (2,)),
        ("[1e308, -1e308]", "float32", (2,)), ("[1e-50, -1e-50]", "float32", (2,)),
        ("[3.4028235e38, 3.4028236e38]", "float32", (2,)), ("[1.401298464324817e-45]", "float32", (1,)),
        ("[9223372036854775807, -9223372036854775808]", "int64", (2,)),
        ("[9223372036854775808]", None, None), ("[[1, 2], [3, 4]]", "int64", (2, 2)),
        ("[1., -0., .5, 1e3, 1E-3, -.25]", "float32", (6,)), ("[+1, -2]", "int64", (2,)),
        ("(1.5, 2.5)", "float32", (2,)), ("[(1, 2), (3, 4)]", "int64", (2, 2)),
        ("[0.1, 0.2, 0.30000000000000004]", "float32", (3,)), ("-7", "int64", ()),
        ("2.5e-8", "float32", ()), ("False", "bool", ()), ("[[[0]]]", "int64", (1, 1, 1)),
        ("[1, [2]]", None, None), ("[[1], 2]", None, None), ("[[1, 2], [3]]", None, None),
    ]

    def edge_literal(self):
        lit, dtype, shape = self.rng.choice(self.EDGE_LITERALS)
        name = self.fresh()
        v = Var(name, shape or (), dtype or "float32", bound=BIG if dtype in FLOATS else 2 ** 63)
        self.define(v, "torch.tensor(%s)" % lit, 'torch_tensor("%s")' % lit, [], error=dtype is None)

    def op_requires_grad(self):
        r = self.rng
        if r.random() < 0.15:
            a = self.pick(lambda v: v.leaf and v.rg)
            if a is not None:
                return self.requires_grad(a, False)
        # mostly floating leaves; an integer or bool one now and then fails
        floating = r.random() > ERROR_RATE
        a = self.pick(lambda v: v.leaf and not v.rg and (v.dtype in FLOATS) == floating)
        if a is None:
            return self.op_create()
        err = a.dtype not in FLOATS
        self.emit("%s.requires_grad_()" % a.name, "tensor_requires_grad_(%s, true);" % a.name,
                  uses=[a.name], error=err)
        a.rg = not err

    def op_backward(self):
        r = self.rng
        roots = [v for v in self.vars if v.rg and not v.leaf]
        if not roots:
            return self.op_create()
        y = r.choice(roots)
        retain = r.random() < 0.4
        kw = ", retain_graph=True" if retain else ""
        if numel(y.shape) == 1 and r.random() < 0.8:
            py = "%s.backward(%s)" % (y.name, kw[2:])
            c = "tensor_backward(%s, NULL, %s);" % (y.name, "true" if retain else "false")
            self.emit(py, c, uses=[y.name])
        else:
            gshape = y.shape
            if r.random() < ERROR_RATE:     # a gradient of the wrong shape
                gshape = y.shape[1:] if y.shape else (2,)
            g = self.tensor(gshape, y.dtype if r.random() < 0.9 else None, rg=False, fresh=True)
            py = "%s.backward(%s%s)" % (y.name, g.name, kw)
            c = "tensor_backward(%s, %s, %s);" % (y.name, g.name, "true" if retain else "false")
            self.emit(py, c, uses=[y.name, g.name])
            # PyTorch's AccumulateGrad may keep a view of the gradient as a
            # leaf's .grad, which a later backward adds to in place, so the
            # gradient tensor itself changes (docs/fidelity.md): not copied,
            # and not used again here.
            self.vars = [v for v in self.vars if v is not g]
        for v in self.vars:
            if v.leaf and v.rg and r.random() < 0.8:
                self.show(v, r.choice(["grad", "grad", "grad_tolist"]))
        if r.random() < 0.1:
            nl = self.pick(lambda v: not v.leaf)
            if nl:
                self.show(nl, "grad")

    def op_error(self):
        """Programs that end in an error PyTorch raises."""
        r = self.rng
        kind = r.choice(["item", "backward_nonscalar", "backward_nograd", "requires_grad_int",
                         "requires_grad_nonleaf", "ragged", "sub_bool", "int_neg_pow",
                         "backward_twice", "arange_neg", "mm_dtype", "neg_bool", "pow_bool",
                         "dim_range"])
        if kind == "item":
            a = self.tensor(r.choice([(2,), (0,), (2, 3), (3, 1)]), fresh=True)
            self.emit("print(repr(%s.item()))" % a.name, "dt_item(%s);" % a.name, uses=[a.name],
                      error=True)
        elif kind == "backward_nonscalar":
            a = self.tensor((r.randint(2, 4),), "float32", rg=True, fresh=True)
            y = Var(self.fresh(), a.shape, "float32", True, False)
            self.define(y, "%s * 2" % a.name, "tensor_mul(%s, py_int(2))" % a.name, [a.name])
            self.emit("%s.backward()" % y.name, "tensor_backward(%s, NULL, false);" % y.name,
                      uses=[y.name], error=True)
        elif kind == "backward_nograd":
            a = self.tensor((), r.choice(FLOATS), rg=False, fresh=True)
            self.emit("%s.backward()" % a.name, "tensor_backward(%s, NULL, false);" % a.name,
                      uses=[a.name], error=True)
        elif kind == "requires_grad_int":
            a = self.tensor(self.shape(), r.choice(["int64", "bool"]), fresh=True)
            self.emit("%s.requires_grad_()" % a.name, "tensor_requires_grad_(%s, true);" % a.name,
                      uses=[a.name], error=True)
        elif kind == "requires_grad_nonleaf":
            a = self.tensor((2,), "float64", rg=True, fresh=True)
            y = Var(self.fresh(), a.shape, "float64", True, False)
            self.define(y, "%s.sin()" % a.name, "tensor_sin(%s)" % a.name, [a.name])
            self.emit("%s.requires_grad_(False)" % y.name,
                      "tensor_requires_grad_(%s, false);" % y.name, uses=[y.name], error=True)
        elif kind == "ragged":
            lit = r.choice(["[[1., 2.], [3.]]", "[[1, 2], [3, 4, 5]]", "[[1.], 2.]", "[1., [2.]]",
                            "[[[1, 2]], [[3]]]", "[[True], [False, True]]"])
            self.emit("t_bad = torch.tensor(%s)" % lit, 'Tensor *t_bad = torch_tensor("%s");' % lit,
                      ["t_bad"], error=True)
        elif kind == "sub_bool":
            a = self.tensor((2,), "bool", fresh=True)
            b = self.tensor((2,), r.choice(["bool", "int64", "float32"]), fresh=True)
            self.binary("-", a, b) if not self.done else None
            self.done = True
        elif kind == "int_neg_pow":
            a = self.tensor((3,), "int64", fresh=True)
            v = Var(self.fresh(), a.shape, "int64")
            self.define(v, "%s ** -2" % a.name, "tensor_pow(%s, py_int(-2))" % a.name, [a.name],
                        error=True)
        elif kind == "backward_twice":
            a = self.tensor((3,), r.choice(FLOATS), rg=True, fresh=True)
            fn = r.choice(["sin", "exp", "log", "cos"])
            y = Var(self.fresh(), (), a.dtype, True, False)
            self.define(y, "%s.%s().sum()" % (a.name, fn), "tensor_sum(tensor_%s(%s))" % (fn, a.name),
                        [a.name])
            self.emit("%s.backward()" % y.name, "tensor_backward(%s, NULL, false);" % y.name,
                      uses=[y.name])
            self.show(a, "grad")
            self.emit("%s.backward()" % y.name, "tensor_backward(%s, NULL, false);" % y.name,
                      uses=[y.name], error=True)
        elif kind == "arange_neg":
            n = -r.randint(1, 5)
            self.emit("t_bad = torch.arange(%d)" % n, "Tensor *t_bad = tensor_arange(0, %d);" % n,
                      ["t_bad"], error=True)
        elif kind == "mm_dtype":
            a = self.tensor((2, 3), "float32", fresh=True)
            b = self.tensor((3, 2), r.choice(["float64", "int64"]), fresh=True)
            fn = r.choice(["mm", "matmul", "bmm", "mv", "dot"])
            if fn == "bmm":
                a = self.tensor((1, 2, 3), "float32", fresh=True)
                b = self.tensor((1, 3, 2), "float64", fresh=True)
            elif fn in ("mv", "dot"):
                b = self.tensor((3,), r.choice(["float64", "int64"]), fresh=True)
                if fn == "dot":
                    a = self.tensor((3,), "float32", fresh=True)
            self.linalg(fn, a, b)
            self.done = True
        elif kind == "neg_bool":
            a = self.tensor((2,), "bool", fresh=True)
            v = Var(self.fresh(), (2,), "bool")
            self.define(v, "-%s" % a.name, "tensor_neg(%s)" % a.name, [a.name], error=True)
        elif kind == "pow_bool":
            a = self.tensor((2,), "bool", fresh=True)
            b = self.tensor((2,), "bool", fresh=True)
            v = Var(self.fresh(), (2,), "bool")
            self.define(v, "%s ** %s" % (a.name, b.name), "tensor_pow(%s, %s)" % (a.name, b.name),
                        [a.name, b.name], error=True)
        else:
            a = self.tensor(self.shape(), fresh=True)
            nd = len(a.shape)
            d = r.choice([nd, nd + 1, -nd - 1, -nd - 2])
            fn = r.choice(["squeeze", "unsqueeze", "transpose", "select"])
            if fn == "unsqueeze":
                d = r.choice([nd + 1, -nd - 2])
            v = Var(self.fresh(), a.shape, a.dtype)
            if fn == "transpose":
                self.define(v, "%s.transpose(0, %d)" % (a.name, d),
                            "tensor_transpose(%s, 0, %d)" % (a.name, d), [a.name], error=True)
            elif fn == "select":
                self.define(v, "%s.select(%d, 0)" % (a.name, d),
                            "tensor_select(%s, %d, 0)" % (a.name, d), [a.name], error=True)
            else:
                self.define(v, "%s.%s(%d)" % (a.name, fn, d),
                            "tensor_%s(%s, %d)" % ("squeeze_dim" if fn == "squeeze" else fn,
                                                   a.name, d), [a.name], error=True)

    def op_grad_mode(self):
        flag = not self.grad_enabled
        self.emit("torch.set_grad_enabled(%s)" % flag, "torch_set_grad_enabled(%s);" % str(flag).lower())
        self.grad_enabled = flag

    def op_show(self):
        v = self.pick()
        if v is None:
            return self.op_create()
        self.show(v)

    def run(self):
        r = self.rng
        ops = [(self.op_create, 10), (self.op_binary, 16), (self.op_unary, 8), (self.op_sum, 6),
               (self.op_linalg, 10), (self.op_view, 12), (self.op_convert, 5),
               (self.op_requires_grad, 5), (self.op_backward, 7), (self.op_grad_mode, 1),
               (self.op_show, 4)]
        ops += [(functools.partial(fn, self), weight) for fn, weight in family_ops()]
        fns, weights = zip(*ops)
        steps = r.randint(3, 14)
        for _ in range(r.randint(1, 2)):
            self.op_create()
        for _ in range(steps):
            if self.done:
                break
            r.choices(fns, weights)[0]()
        if not self.done and r.random() < 0.12:
            self.op_error()
        if not self.done:
            roots = [v for v in self.vars if v.rg and not v.leaf]
            if roots and r.random() < 0.5:
                self.op_backward()
        return Program(self.name, self.stmts)


def power_too_big(base, exponent):
    """Whether base ** exponent (bounds on their magnitudes) may pass
    INT_LIMIT; by logarithms, as the powers themselves can be huge."""
    if BIG in (base, exponent):
        return True
    return max(exponent, 1) * math.log(max(base, 1)) > math.log(INT_LIMIT)


def broadcast(a, b):
    nd = max(len(a), len(b))
    a = (1,) * (nd - len(a)) + tuple(a)
    b = (1,) * (nd - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            raise ValueError("broadcast")
        out.append(y if x == 1 else x)
    return tuple(out)


def linalg_shape(fn, a, b):
    """The result shape of torch.fn(a, b); ValueError where PyTorch raises."""
    if fn == "dot":
        if len(a) != 1 or len(b) != 1 or a != b:
            raise ValueError
        return ()
    if fn == "outer":
        if len(a) != 1 or len(b) != 1:
            raise ValueError
        return (a[0], b[0])
    if fn == "mv":
        if len(a) != 2 or len(b) != 1 or a[1] != b[0]:
            raise ValueError
        return (a[0],)
    if fn == "mm":
        if len(a) != 2 or len(b) != 2 or a[1] != b[0]:
            raise ValueError
        return (a[0], b[1])
    if fn == "bmm":
        if len(a) != 3 or len(b) != 3 or a[0] != b[0] or a[2] != b[1]:
            raise ValueError
        return (a[0], a[1], b[2])
    if not a or not b:
        raise ValueError
    if len(a) == 1 and len(b) == 1:
        return linalg_shape("dot", a, b)
    if len(b) == 1:
        if a[-1] != b[0]:
            raise ValueError
        return a[:-1]
    if len(a) == 1:
        if a[0] != b[-2]:
            raise ValueError
        return b[:-2] + (b[-1],)
    if a[-1] != b[-2]:
        raise ValueError
    return broadcast(a[:-2], b[:-2]) + (a[-2], b[-1])


def factor_shape(r, n):
    """A random shape with n elements."""
    if n == 0:
        return r.choice([(0,), (0, 3), (2, 0)])
    dims = []
    rest = n
    for p in (2, 3, 5, 7):
        while rest % p == 0 and r.random() < 0.6:
            dims.append(p)
            rest //= p
    if rest > 1:
        dims.append(rest)
    r.shuffle(dims)
    out = []
    for d in dims:
        if out and r.random() < 0.4:
            out[-1] *= d
        else:
            out.append(d)
    if r.random() < 0.2:
        out.insert(r.randint(0, len(out)), 1)
    if n == 1 and r.random() < 0.4:
        return ()
    return tuple(out) if out else (1,)


# Families of ops live in modules of their own (gen_<family>.py beside this
# one). Each defines OPS, a list of (function, weight): the function takes
# the Gen and appends statements, as Gen's own op_* methods do.
FAMILIES = ("gen_elementwise", "gen_reduce", "gen_shape", "gen_random")


def family_ops():
    ops = []
    for name in FAMILIES:
        ops += importlib.import_module(name).OPS
    return ops


def program(seed, index):
    """Program `index` of seed `seed`."""
    return Gen(seed, index).run()
