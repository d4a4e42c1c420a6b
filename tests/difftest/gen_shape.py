"""Random-program family: shape ops (view, permute, t, flatten, cat, stack), creation (ones, full, linspace, arange with a step, torch.tensor with dtype and requires_grad) and autograd controls (detach, zeroing and clearing .grad, no_grad).

Each entry of OPS is (function, weight); the function takes the generator
(gen.Gen) and appends statements with its helpers, as Gen's op_* methods do.
"""

import gen as G


def _view_out(g, a, shape, fresh_leaf=False):
    """The model of a view (or copy) of a: requires grad with a."""
    rg = g.rg_after(a) and a.rg
    return G.Var(g.fresh(), shape, a.dtype, rg, not rg, a.bound)


def shape_view(g):
    """view, permute, t, flatten of an existing variable."""
    r = g.rng
    a = g.pick()
    if a is None:
        return g.op_create()
    nd, x = len(a.shape), a.name
    wrong = r.random() < G.ERROR_RATE
    kind = r.choice(["view", "view", "permute", "permute", "t", "flatten"])
    if kind == "view":
        n = G.numel(a.shape)
        shape = G.factor_shape(r, n)
        shown = shape
        if wrong:
            shown = shape = shape + (2,) if n else (3,)
        elif r.random() < 0.3 and shape and n > 0:
            i = r.randrange(len(shape))
            shown = shape[:i] + (-1,) + shape[i + 1:]
        # a view of non-contiguous strides is PyTorch's error, which it decides
        g.define(_view_out(g, a, shape), "%s.view(%s)" % (x, G.py_args(shown)),
                 "tensor_view(%s, %s)" % (x, G.c_shape(shown)), [x], error=wrong)
    elif kind == "permute":
        dims = list(range(nd))
        r.shuffle(dims)
        dims = [d - nd if r.random() < 0.3 else d for d in dims]
        if wrong:
            dims = dims + [0] if r.random() < 0.5 or not dims else dims[:-1] + [dims[0]]
            if len(dims) == 1 and nd == 1:
                dims = [0, 0]
        shape = tuple(a.shape[d] for d in dims) if not wrong else a.shape
        py = r.choice(["%s.permute(%s)" % (x, ", ".join(map(str, dims)) if dims else "()"),
                       "torch.permute(%s, %s)" % (x, "(" + "".join("%d, " % d for d in dims) + ")")])
        g.define(_view_out(g, a, shape), py, "tensor_permute(%s, %s)" % (x, G.c_shape(dims)), [x],
                 error=wrong)
    elif kind == "t":
        err = nd > 2
        shape = tuple(reversed(a.shape)) if not err else a.shape
        py = r.choice(["%s.t()" % x, "torch.t(%s)" % x])
        g.define(_view_out(g, a, shape), py, "tensor_t(%s)" % x, [x], error=err)
    else:
        if nd == 1:
            # flatten returns a 1-D tensor itself: the same object
            return
        py = r.choice(["%s.flatten()" % x, "torch.flatten(%s)" % x])
        g.define(_view_out(g, a, (G.numel(a.shape),)), py, "tensor_flatten(%s)" % x, [x])


def _join_dtype(dts):
    order = ["bool", "int64", "float32", "float64"]
    return max(dts, key=order.index)


def shape_join(g):
    """torch.cat and torch.stack of 1 to 4 tensors, with mixed dtypes now
    and then, and cat's skipped 1-D empty tensors."""
    r = g.rng
    a = g.pick(lambda v: len(v.shape) >= 1 and G.numel(v.shape) <= 512)
    if a is None:
        a = g.tensor(g.shape(max_dims=3) or (3,), fresh=True)
    stack = r.random() < 0.4
    nd = len(a.shape)
    k = r.randint(1, 4)
    wrong = r.random() < G.ERROR_RATE
    if stack:
        d = r.randint(-nd - 1, nd)
    else:
        if nd == 0:
            return
        d = r.randint(-nd, nd - 1)
    parts = [a]
    for _ in range(k - 1):
        shape = list(a.shape)
        if not stack:
            shape[d] = r.randint(0, 3)
        if wrong and not parts[1:]:
            shape = [s + 1 for s in shape] or [2]
        dtype = a.dtype if r.random() < 0.7 else None
        if not stack and r.random() < 0.1:
            shape = [0]  # the legacy empty tensor cat skips
        parts.append(g.tensor(tuple(shape), dtype))
    r.shuffle(parts)
    names = [p.name for p in parts]
    dtype = _join_dtype([p.dtype for p in parts])
    rg = g.grad_enabled and dtype in G.FLOATS and any(p.rg for p in parts)
    kept = [p for p in parts if stack or p.shape != (0,)]
    if stack:
        shape = list(a.shape)
        shape.insert(d if d >= 0 else d + nd + 1, len(parts))
    elif kept:
        shape = list(kept[0].shape)
        dd = d % len(shape)
        shape[dd] = sum(p.shape[dd] for p in kept if len(p.shape) == len(shape))
    else:
        shape = [0]
    bound = max(p.bound for p in parts)
    out = G.Var(g.fresh(), tuple(shape), dtype, rg, not rg, bound if dtype != "bool" else 1)
    fn = "stack" if stack else "cat"
    lst = "[%s]" % ", ".join(names) if r.random() < 0.7 else "(%s)" % "".join(n + ", " for n in names)
    py = "torch.%s(%s, %d)" % (fn, lst, d) if r.random() < 0.6 else "torch.%s(%s, dim=%d)" % (fn, lst, d)
    c = "tensor_%s(%d, (Tensor *[]){%s}, %d)" % (fn, len(names), ", ".join(names), d)
    g.define(out, py, c, names, error=wrong)


def shape_create(g):
    """ones, full, linspace, arange with a float step, torch.tensor with a
    dtype and requires_grad."""
    r = g.rng
    kind = r.choice(["ones", "full", "full", "linspace", "linspace", "arange", "arange", "tensor", "tensor"])
    dt = r.choice(G.DTYPES)
    if kind in ("ones", "full"):
        shape = g.shape()
        if kind == "ones":
            v = G.Var(g.fresh(), shape, dt, bound=1)
            g.define(v, "torch.ones(%s, dtype=torch.%s)" % (G.py_shape(shape) if shape else "()", dt),
                     "tensor_ones(%s, %s)" % (G.C_DTYPE[dt], G.c_shape(shape)), [])
            return
        value = r.choice([0.0, 1.0, -2.5, 3.25, 0.1, 7.0, -0.0, 1e10, 100.0, 2.0 / 3.0])
        err = dt == "float32" and value > 3.4e38
        bound = abs(value) if dt != "int64" else abs(int(value))
        v = G.Var(g.fresh(), shape, dt, bound=bound if dt != "bool" else 1)
        g.define(v, "torch.full(%s, %r, dtype=torch.%s)" % (G.py_shape(shape) if shape else "()", value, dt),
                 "tensor_full(%s, %s, %s)" % (G.C_DTYPE[dt], G.c_shape(shape), G.c_double(value)), [],
                 error=err)
    elif kind == "linspace":
        s = round(r.uniform(-20, 20), r.choice([0, 1, 3, 6]))
        e = round(r.uniform(-20, 20), r.choice([0, 1, 3, 6])) if r.random() < 0.9 else s
        n = r.choice([0, 1, 2, 3, 5, 8, 15, 16, 17, 31, 32, 33, 50, 100, 257, r.randint(2, 600)])
        err = r.random() < G.ERROR_RATE
        if err:
            n = -r.randint(1, 3)
        v = G.Var(g.fresh(), (max(n, 0),), "float32", bound=max(abs(s), abs(e)) * 1.01 + 1e-30)
        g.define(v, "torch.linspace(%r, %r, %d)" % (float(s), float(e), n),
                 "tensor_linspace(%s, %s, %d)" % (G.c_double(s), G.c_double(e), n), [], error=err)
    elif kind == "arange":
        s = round(r.uniform(-20, 20), r.choice([0, 1, 2, 4]))
        st = r.choice([1.0, 0.5, 0.1, 0.3, 0.25, 2.0, 0.7, round(r.uniform(0.01, 3), 3)])
        st = st if r.random() < 0.7 else -st
        n = r.randint(0, 300)
        e = round(s + st * n + r.uniform(-0.5, 0.5) * st, r.choice([1, 2, 5]))
        err = False
        if r.random() < G.ERROR_RATE:
            st, err = r.choice([0.0, -st]), True
        # the size is ATen's, decided in double; the model only bounds it
        size = max(int(-(-(e - s) // st)) if st else 0, 0)
        v = G.Var(g.fresh(), (size,), "float32", bound=max(abs(s), abs(e)) + abs(st) + 1)
        py = "torch.arange(%r, %r, %r)" % (float(s), float(e), float(st))
        g.define(v, py, "tensor_arange_step(%s, %s, %s)" % (G.c_double(s), G.c_double(e), G.c_double(st)),
                 [], error=err)
        # the exact size is ATen's: keep the variable for printing only
        g.vars = [x for x in g.vars if x is not v]
    else:
        shape = g.shape(max_dims=2)
        n = G.numel(shape)
        if n == 0:
            return
        src = r.choice(["float", "int"])
        vals = [repr(x) for x in g.float_values(n)] if src == "float" else [str(r.randint(-5, 9)) for _ in range(n)]
        lit = G.nested(vals, shape)
        rg = r.random() < 0.5
        err = rg and dt not in G.FLOATS
        if dt == "int64" and src == "float":
            dt = "float64"   # float to int64 of huge values is undefined
        bound = max(abs(float(x)) for x in vals)
        v = G.Var(g.fresh(), shape, dt, rg and not err, True, bound if dt != "bool" else 1)
        v.bound = bound * (1 + 2 ** -23) if dt != "bool" else 1
        g.define(v, "torch.tensor(%s, dtype=torch.%s, requires_grad=%s)" % (lit, dt, rg),
                 'torch_tensor_as("%s", %s, %s)' % (lit, G.C_DTYPE[dt], "true" if rg else "false"), [],
                 error=err)


def shape_detach(g):
    a = g.pick()
    if a is None:
        return g.op_create()
    out = G.Var(g.fresh(), a.shape, a.dtype, False, True, a.bound)
    py = g.rng.choice(["%s.detach()" % a.name, "torch.detach(%s)" % a.name])
    g.define(out, py, "tensor_detach(%s)" % a.name, [a.name])


def shape_grad_control(g):
    """t.grad.zero_() and t.grad = None on leaves that require grad."""
    r = g.rng
    a = g.pick(lambda v: v.leaf and v.rg)
    if a is None:
        return g.op_requires_grad()
    x = a.name
    if r.random() < 0.6:
        # without a .grad this is Python's AttributeError, and the library's
        g.emit("%s.grad.zero_()" % x, "tensor_zero_grad(%s);" % x, uses=[x])
        g.show(a, r.choice(["grad", "grad_tolist"]))
    else:
        g.emit("%s.grad = None" % x, "tensor_clear_grad(%s);" % x, uses=[x])
        if r.random() < 0.5:
            g.show(a, "grad")


def shape_no_grad(g):
    """with torch.no_grad(): one op, as TORCH_NO_GRAD { ... } in C."""
    r = g.rng
    a = g.pick(lambda v: v.dtype in G.FLOATS)
    if a is None:
        return g.op_create()
    x = a.name
    out = G.Var(g.fresh(), a.shape, a.dtype, False, True, a.bound * 2 if a.bound != G.BIG else G.BIG)
    op = r.choice([("%s * 2" % x, "tensor_mul(%s, py_int(2))" % x),
                   ("%s + %s" % (x, x), "tensor_add(%s, %s)" % (x, x)),
                   ("%s.sin()" % x, "tensor_sin(%s)" % x)])
    if op[0].endswith("sin()"):
        out.bound = 1.0 if a.bound != G.BIG else G.BIG
    g.emit("with torch.no_grad():\n    %s = %s" % (out.name, op[0]),
           "Tensor *%s = NULL;\nTORCH_NO_GRAD { %s = %s; }" % (out.name, out.name, op[1]),
           [out.name], [x])
    g.vars.append(out)
    g.maybe_show(out)
    if r.random() < 0.5:
        g.emit("print(torch.is_grad_enabled())", "dt_bool(torch_is_grad_enabled());")


OPS = [(shape_view, 8), (shape_join, 6), (shape_create, 6), (shape_detach, 2),
       (shape_grad_control, 3), (shape_no_grad, 2)]
