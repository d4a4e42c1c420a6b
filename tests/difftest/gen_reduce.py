"""Random-program family: reductions over a dimension: sum(dim), mean, max/min, argmax.

Each entry of OPS is (function, weight); the function takes the generator
(gen.Gen) and appends statements with its helpers, as Gen's op_* methods do.
Now and then a dimension is out of range, a mean is of integers or a max
of an empty tensor, so PyTorch's errors are compared too.
"""

from gen import BIG, ERROR_RATE, FLOATS, INT_LIMIT, Var, numel


def pick_dim(gen, a):
    """A dimension of a (negative half the time), or one out of range."""
    r = gen.rng
    nd = max(len(a.shape), 1)
    if r.random() < ERROR_RATE:
        return r.choice([nd, -nd - 1]), True
    d = r.randrange(nd)
    return (d - nd if r.random() < 0.5 else d), False


def reduced_shape(shape, dim, keepdim):
    if not shape:
        return ()
    d = dim % len(shape)
    return shape[:d] + ((1,) if keepdim else ()) + shape[d + 1:]


def dim_call(gen, a, method, dim, keepdim):
    """Python's spellings of t.METHOD(dim, keepdim) and the C call."""
    r = gen.rng
    if keepdim:
        py = r.choice(["%s.%s(%d, keepdim=True)" % (a.name, method, dim),
                       "%s.%s(dim=%d, keepdim=True)" % (a.name, method, dim),
                       "torch.%s(%s, %d, True)" % (method, a.name, dim)])
    else:
        py = r.choice(["%s.%s(%d)" % (a.name, method, dim),
                       "%s.%s(dim=%d, keepdim=False)" % (a.name, method, dim),
                       "torch.%s(%s, dim=%d)" % (method, a.name, dim)])
    c = "tensor_%s_dim(%s, %d, %s)" % (method, a.name, dim, "true" if keepdim else "false")
    return py, c


def op_sum_dim(gen):
    a = gen.pick()
    if a is None:
        return gen.op_create()
    dim, err = pick_dim(gen, a)
    keepdim = gen.rng.random() < 0.4
    dt = a.dtype if a.dtype in FLOATS else "int64"
    size = a.shape[dim % len(a.shape)] if a.shape and not err else 1
    bound = a.bound * max(size, 1) if a.bound != BIG else BIG
    if dt == "int64" and bound > INT_LIMIT:
        return          # an integer sum that could overflow
    shape = a.shape if err else reduced_shape(a.shape, dim, keepdim)
    out = Var(gen.fresh(), shape, dt, gen.rg_after(a), False, bound)
    out.leaf = not out.rg
    py, c = dim_call(gen, a, "sum", dim, keepdim)
    gen.define(out, py, c, [a.name], error=err)


def op_mean(gen):
    r = gen.rng
    a = gen.pick(lambda v: v.dtype in FLOATS or r.random() < ERROR_RATE * 5)
    if a is None:
        return gen.op_create()
    err = a.dtype not in FLOATS
    if r.random() < 0.5:
        out = Var(gen.fresh(), (), a.dtype, gen.rg_after(a), False, a.bound if numel(a.shape) else BIG)
        out.leaf = not out.rg
        py = r.choice(["%s.mean()" % a.name, "torch.mean(%s)" % a.name])
        gen.define(out, py, "tensor_mean(%s)" % a.name, [a.name], error=err)
        return
    dim, bad = pick_dim(gen, a)
    keepdim = r.random() < 0.4
    shape = a.shape if bad else reduced_shape(a.shape, dim, keepdim)
    size = a.shape[dim % len(a.shape)] if a.shape and not bad else 1
    out = Var(gen.fresh(), shape, a.dtype, gen.rg_after(a), False, a.bound if size else BIG)
    out.leaf = not out.rg
    py, c = dim_call(gen, a, "mean", dim, keepdim)
    gen.define(out, py, c, [a.name], error=err or bad)


def op_max_min(gen):
    r = gen.rng
    a = gen.pick(lambda v: numel(v.shape) > 0 or r.random() < ERROR_RATE * 5)
    if a is None:
        return gen.op_create()
    fn = r.choice(["max", "min"])
    out = Var(gen.fresh(), (), a.dtype, gen.rg_after(a), False, a.bound)
    out.leaf = not out.rg
    py = r.choice(["%s.%s()" % (a.name, fn), "torch.%s(%s)" % (fn, a.name)])
    gen.define(out, py, "tensor_%s(%s)" % (fn, a.name), [a.name], error=numel(a.shape) == 0)


def op_argmax(gen):
    r = gen.rng
    a = gen.pick(lambda v: v.dtype != "bool" or r.random() < ERROR_RATE * 5)
    if a is None:
        return gen.op_create()
    fn = r.choice(["argmax", "argmin"])
    if r.random() < 0.4:
        out = Var(gen.fresh(), (), "int64", False, True, INT_LIMIT)
        py = r.choice(["%s.%s()" % (a.name, fn), "torch.%s(%s)" % (fn, a.name)])
        err = a.dtype == "bool" or numel(a.shape) == 0
        gen.define(out, py, "tensor_%s(%s)" % (fn, a.name), [a.name], error=err)
        return
    dim, bad = pick_dim(gen, a)
    keepdim = r.random() < 0.4
    shape = a.shape if bad else reduced_shape(a.shape, dim, keepdim)
    size = a.shape[dim % len(a.shape)] if a.shape and not bad else 1
    out = Var(gen.fresh(), shape, "int64", False, True, INT_LIMIT)
    py, c = dim_call(gen, a, fn, dim, keepdim)
    err = bad or size == 0 or (a.dtype == "bool" and size != 1 and numel(shape) > 0)
    gen.define(out, py, c, [a.name], error=err)


OPS = [(op_sum_dim, 5), (op_mean, 4), (op_max_min, 3), (op_argmax, 3)]
