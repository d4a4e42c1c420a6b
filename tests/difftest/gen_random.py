"""Random-program family: torch.manual_seed with torch.rand and torch.randn.

Each entry of OPS is (function, weight); the function takes the generator
(gen.Gen) and appends statements with its helpers, as Gen's op_* methods do.

Every program that draws seeds first: both sides run all their programs in
one process, and PyTorch seeds its generator from /dev/urandom, so a draw
before any seed could never match. The seed statement defines a marker
name that every draw uses, so the shrinker cannot drop the seed and keep
the draws. Draws become ordinary float32 variables that later ops use.
"""

from gen import ERROR_RATE, Var, c_shape, numel

# Bounds on |value|: rand is in [0, 1); Box-Muller's radius is at most
# sqrt(-2 log 2**-53) < 8.6 (53-bit uniforms below 16 values, 24-bit above).
RAND_BOUND = 1.0
RANDN_BOUND = 8.6

SEEDS = [0, 1, 2, 7, 42, 1234, 2**32 - 1, 2**32 + 5, 2**63 - 1, 2**64 - 1, -1, -12345,
         67280421310721]


def seed_texts(seed):
    """The Python and C spellings of torch.manual_seed(seed)."""
    if seed < 0:
        c = "torch_manual_seed((uint64_t)INT64_C(%d));" % seed
    else:
        c = "torch_manual_seed(UINT64_C(%d));" % seed
    return "torch.manual_seed(%d)" % seed, c


def pick_seed(r):
    return r.choice(SEEDS) if r.random() < 0.5 else r.randint(0, 2**64 - 1)


def manual_seed(g, seed=None):
    """torch.manual_seed(seed); returns the marker name draws use."""
    g.rng_count = getattr(g, "rng_count", 0) + 1
    marker = "torch_seed%d" % g.rng_count
    py, c = seed_texts(pick_seed(g.rng) if seed is None else seed)
    g.emit(py, c, defs=[marker])
    g.rng_marker = marker
    return marker


def draw_shape(r):
    """Shapes around normal_fill's 16-value blocks and its redrawn tail,
    the small ones that share the cached normal, several dimensions, and
    empty and 0-d ones."""
    kind = r.random()
    if kind < 0.35:
        return (r.randint(1, 15),)
    if kind < 0.55:
        return (r.choice([15, 16, 17, 31, 32, 33, 47, 48, 49, r.randint(18, 100)]),)
    if kind < 0.85:
        shape = tuple(r.randint(1, 5) for _ in range(r.randint(2, 3)))
        return shape if numel(shape) <= 64 else shape[:2]
    if kind < 0.92:
        return ()
    if kind < 0.96:
        return (0,) if r.random() < 0.5 else (2, 0, 3)
    return (r.randint(200, 700),)


def py_size(shape, r):
    """torch.rand's size argument, in one of Python's spellings."""
    if not shape:
        return "()"
    if r.random() < 0.3:
        return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    return ", ".join(str(d) for d in shape)


def op_draw(g):
    """t = torch.rand(...) / torch.randn(...), after a seed."""
    r = g.rng
    marker = getattr(g, "rng_marker", None) or manual_seed(g)
    fn = r.choice(["rand", "randn", "randn"])
    shape = draw_shape(r)
    if r.random() < ERROR_RATE:     # a negative dimension: PyTorch's message
        shape = (r.randint(1, 3), -r.randint(1, 4)) if r.random() < 0.5 else (-r.randint(1, 4),)
        v = Var(g.fresh(), (), "float32")
        g.define(v, "torch.%s(%s)" % (fn, py_size(shape, r)),
                 "tensor_%s(%s)" % (fn, c_shape(shape)), [marker], error=True)
        return
    v = Var(g.fresh(), shape, "float32", bound=RAND_BOUND if fn == "rand" else RANDN_BOUND)
    g.define(v, "torch.%s(%s)" % (fn, py_size(shape, r)), "tensor_%s(%s)" % (fn, c_shape(shape)),
             [marker])
    if r.random() < 0.3:            # torch.randn(..., requires_grad=True), in two steps
        g.requires_grad(v)


def op_reseed(g):
    """A seed in the middle: the stream starts over, the cached normal goes."""
    manual_seed(g)
    if g.rng.random() < 0.5:
        op_draw(g)


def op_sequence(g):
    """Several draws in a row from one seed: the state carried across calls."""
    marker = getattr(g, "rng_marker", None) or manual_seed(g)
    del marker
    for _ in range(g.rng.randint(2, 4)):
        if not g.done:
            op_draw(g)


OPS = [(op_draw, 6), (op_reseed, 1), (op_sequence, 2)]
