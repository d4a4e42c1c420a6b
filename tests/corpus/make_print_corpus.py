"""Writes the printing corpus: what PyTorch 1.13 prints for many tensors
under many print options, plus torch.Size text and Python float text.

Run with Debian's Python, which has torch 1.13 (the pyenv python3 on PATH
does not):

    /usr/bin/python3 tests/corpus/make_print_corpus.py [--seed SALT] [--out DIR]

Outputs tests/data/print_corpus.jsonl and tests/data/pyfloat_corpus.jsonl,
one case a line (tests/corpus/corpus_lib.py). The output is deterministic:
every random case is named, and draws only from generators seeded by the
hash of the salt (--seed, default the committed one) and its name, so
regenerating only changes the files when this script or PyTorch changes,
and adding a case changes no other.
"""

import math
import os
import struct

import numpy as np
import torch

from corpus_lib import arguments, case_random, write_jsonl

DTYPE_NAMES = {
    torch.float32: "float32",
    torch.float64: "float64",
    torch.int64: "int64",
    torch.bool: "bool",
}

DEFAULT_OPTIONS = dict(precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None)

SALT = 20240601  # the committed corpus's
# The running case's generator, seeded by start_case(); None between named
# cases, so that a case without a name cannot draw random values.
rng = None
case_name = None


def start_case(name):
    """Starts the random case `name`: seeds rng from it. The following
    add_case() calls belong to it (each with its own variant)."""
    global rng, case_name
    rng = case_random(SALT, name)
    case_name = name


def end_case():
    global rng, case_name
    rng = case_name = None


def tensor_bytes_hex(t):
    """Raw little-endian C-order bytes; numpy's bool is one byte, as C's."""
    return t.detach().contiguous().numpy().tobytes().hex()


def printed(t, options):
    torch.set_printoptions(**options)
    try:
        return str(t)
    finally:
        torch.set_printoptions(**DEFAULT_OPTIONS)


def options_json(options):
    threshold = options["threshold"]
    return {
        "precision": options["precision"],
        "threshold": "inf" if threshold == math.inf else threshold,
        "edgeitems": options["edgeitems"],
        "linewidth": options["linewidth"],
        "sci_mode": options["sci_mode"],
    }


cases = []


def add_case(t, options=None, requires_grad=False, view=None, base=None, variant=None):
    """Records str(t). With `view`, t was made from `base` by the listed view
    operations and the case stores base's data, so the reader must rebuild
    the view to print it. Inside a random case (start_case) the line is
    named after it, and `variant` tells its lines apart."""
    options = dict(DEFAULT_OPTIONS, **(options or {}))
    source = base if base is not None else t
    if requires_grad:
        t = t.detach().clone().requires_grad_(True)
    case = {"name": case_name + (" " + variant if variant else "")} if case_name else {}
    case.update({
        "dtype": DTYPE_NAMES[source.dtype],
        "shape": list(source.shape),
        "data": tensor_bytes_hex(source),
        "requires_grad": requires_grad,
        "options": options_json(options),
        "expected": printed(t, options),
    })
    if view is not None:
        case["view"] = view
    cases.append(case)


# ---- values ----

def random_shape(rank, max_dim=4):
    return [rng.randint(1, max_dim) for _ in range(rank)]


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def float_values(kind, shape, dtype):
    n = numel(shape)
    g = torch.Generator().manual_seed(rng.getrandbits(31))
    if kind == "small_int":
        v = torch.randint(-10, 10, (n,), generator=g).double()
    elif kind == "nonneg_int":
        v = torch.randint(0, 100, (n,), generator=g).double()
    elif kind == "uniform":
        v = torch.rand(n, generator=g, dtype=torch.float64)
    elif kind == "normal":
        v = torch.randn(n, generator=g, dtype=torch.float64)
    elif kind == "big":
        v = torch.randn(n, generator=g, dtype=torch.float64) * rng.choice([1e8, 1e10, 3e9, 1e15])
    elif kind == "big_int":
        v = torch.randint(-(10 ** 9), 10 ** 9, (n,), generator=g).double() * rng.choice([1, 10, 1000])
    elif kind == "tiny":
        v = torch.randn(n, generator=g, dtype=torch.float64) * rng.choice([1e-5, 1e-9, 3e-4, 1e-30])
    elif kind == "mixed":
        exps = torch.randint(-8, 9, (n,), generator=g).double()
        v = torch.randn(n, generator=g, dtype=torch.float64) * torch.pow(10.0, exps)
    elif kind == "ratio":
        v = torch.rand(n, generator=g, dtype=torch.float64) * 2 + 0.5
        v[0] = v[0] * rng.choice([999.0, 1000.0, 1001.0, 2000.0])
    elif kind == "zeros":
        v = torch.zeros(n, dtype=torch.float64)
    elif kind == "negzeros":
        v = -torch.zeros(n, dtype=torch.float64)
    elif kind == "nan":
        v = torch.full((n,), math.nan, dtype=torch.float64)
    elif kind == "halves":
        v = (torch.randint(-40, 40, (n,), generator=g).double()) / 2
    else:
        raise ValueError(kind)
    v = v.to(dtype)
    if rng.random() < 0.3 and n > 1:
        specials = [math.nan, math.inf, -math.inf, -0.0, 0.0]
        for _ in range(rng.randint(1, max(1, n // 3))):
            v[rng.randrange(n)] = rng.choice(specials)
    return v.reshape(shape)


FLOAT_KINDS = ["small_int", "nonneg_int", "uniform", "normal", "big", "big_int", "tiny", "mixed",
               "ratio", "zeros", "negzeros", "nan", "halves"]


def int_values(shape):
    n = numel(shape)
    g = torch.Generator().manual_seed(rng.getrandbits(31))
    kind = rng.choice(["small", "wide", "extreme", "positive"])
    if kind == "small":
        v = torch.randint(-10, 10, (n,), generator=g)
    elif kind == "positive":
        v = torch.randint(0, 1000, (n,), generator=g)
    elif kind == "wide":
        v = torch.randint(-(2 ** 62), 2 ** 62, (n,), generator=g)
    else:
        v = torch.randint(-5, 5, (n,), generator=g)
        for _ in range(rng.randint(1, n)):
            v[rng.randrange(n)] = rng.choice([2 ** 63 - 1, -(2 ** 63), -(2 ** 63) + 1, 0, -1])
    return v.reshape(shape)


def bool_values(shape):
    g = torch.Generator().manual_seed(rng.getrandbits(31))
    return (torch.rand(numel(shape), generator=g) > rng.random()).reshape(shape)


def random_tensor(dtype, shape):
    if dtype in (torch.float32, torch.float64):
        return float_values(rng.choice(FLOAT_KINDS), shape, dtype)
    if dtype == torch.int64:
        return int_values(shape)
    return bool_values(shape)


def random_options(n):
    threshold = rng.choice([math.inf, 1000, 5, 10, 20, max(0, n - 1), n, 3])
    return dict(
        precision=rng.randint(0, 10),
        threshold=threshold,
        edgeitems=rng.randint(1, 4),
        linewidth=rng.randint(10, 200),
        sci_mode=rng.choice([None, None, True, False]),
    )


# ---- tensor cases ----

ALL_DTYPES = [torch.float32, torch.float64, torch.int64, torch.bool]
FLOAT_DTYPES = [torch.float32, torch.float64]


def add_hand_picked_cases():
    f32 = torch.float32
    literal = [
        torch.tensor([[1., 2., 3.], [4., 5., 6.]]),
        torch.tensor(3.5),
        torch.tensor(-0.0),
        torch.tensor(7),
        torch.tensor(True),
        torch.tensor([1e8, 1.0]),
        torch.tensor([1e8 + 1, 1.0], dtype=torch.float64),
        torch.tensor([1e10, 1.0]),
        torch.tensor([1e-5, 1.0]),
        torch.tensor([1e-4, 1.0]),
        torch.tensor([0.1, 1000.0]),
        torch.tensor([0.1, 100.1]),
        torch.tensor([1.0, 1000.0]),
        torch.tensor([1.0, 1001.0]),
        torch.tensor([-0.0, 1.0]),
        torch.tensor([-0.0, 1.5]),
        torch.tensor([0.0, 0.0]),
        torch.tensor([math.nan, math.nan]),
        torch.tensor([math.nan, 1.0]),
        torch.tensor([math.inf, -math.inf, 1.0]),
        torch.tensor([math.inf, -math.inf, 1.5]),
        torch.tensor([math.inf, -math.inf]),
        torch.tensor([0.1, 0.2, 0.3]),
        torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64),
        torch.tensor([1 / 3, 2 / 3], dtype=torch.float64),
        torch.tensor([123456.789, 0.5]),
        torch.tensor([2.5, 3.5, -2.5, 0.125]),
        torch.tensor([0.00005, 0.00015, 0.00025]),
        torch.tensor([99999.5, 1.0]),
        torch.tensor([1e38, 3e38, -3.4e38]),
        torch.tensor([1e-38, 1e-45]),
        torch.tensor([1e308, -1e-308], dtype=torch.float64),
        torch.tensor([5e-324, 1.0], dtype=torch.float64),
        torch.tensor([16777217.0, 1.0]),
        torch.tensor([2 ** 63 - 1, -(2 ** 63), 0]),
        torch.tensor([True, False, True]),
        torch.tensor([[True], [False]]),
        torch.arange(10),
        torch.arange(1001),
        torch.arange(2000).reshape(40, 50),
        torch.arange(1200, dtype=f32).reshape(12, 10, 10) / 7,
        torch.arange(1001, dtype=torch.float64) * 1e-3,
        torch.linspace(-1, 1, 1100),
        torch.ones(4, 4, dtype=torch.bool),
    ]
    for t in literal:
        add_case(t)
    for t in literal[:34]:
        if t.dtype.is_floating_point:
            add_case(t, requires_grad=True)
            add_case(t, options=dict(sci_mode=True))
            add_case(t, options=dict(sci_mode=False, precision=2))
    for dtype in ALL_DTYPES:
        for shape in [(0,), (0, 3), (2, 0, 4), (3, 0), (1, 0), (0, 0, 0)]:
            add_case(torch.empty(shape, dtype=dtype))
        add_case(torch.empty((2, 0, 4), dtype=dtype), options=dict(linewidth=20))
    add_case(torch.empty((0,)), requires_grad=True)
    add_case(torch.empty((0, 3)), requires_grad=True, options=dict(linewidth=25))
    add_case(torch.empty((2, 0, 4), dtype=torch.float64), requires_grad=True,
             options=dict(linewidth=30))


def add_option_edge_cases():
    """Options at and past the ends of their ranges."""
    # edgeitems=0 keeps the whole innermost dimension after " ..." (it is
    # self[-0:]); PyTorch cannot print higher ranks that way at all.
    add_case(torch.arange(10), options=dict(threshold=5, edgeitems=0))
    add_case(torch.arange(10.0) / 3, options=dict(threshold=5, edgeitems=0))
    # A fractional threshold, and lines narrower than the indent.
    for linewidth in (1, 5, 8):
        add_case(torch.arange(11), options=dict(threshold=10.5, linewidth=linewidth))
        add_case(torch.arange(10.0).reshape(2, 5), options=dict(threshold=10.5, linewidth=linewidth))
        add_case(torch.arange(3.0), options=dict(linewidth=linewidth), requires_grad=True)
    # threshold 0 summarizes everything; dimensions of exactly 2*edgeitems
    # and 2*edgeitems+1.
    for edgeitems in (1, 2, 3):
        for size in (2 * edgeitems, 2 * edgeitems + 1):
            add_case(torch.arange(size * 3.0).reshape(size, 3) / 4,
                     options=dict(threshold=0, edgeitems=edgeitems))
            add_case(torch.arange(size), options=dict(threshold=0, edgeitems=edgeitems))
    # Enough digits to show float32's binary value.
    for precision in (12, 15, 17, 20):
        add_case(torch.tensor([0.1, 0.2]), options=dict(precision=precision))
        add_case(torch.tensor([0.1, 0.2], dtype=torch.float64), options=dict(precision=precision))
        add_case(torch.tensor(0.1), options=dict(precision=precision, sci_mode=True))
    # sci_mode is ignored when nothing is nonzero and finite.
    for values in ([0.0, 0.0], [math.nan, -0.0], [math.inf, 0.0], [-math.inf]):
        for sci_mode in (True, False):
            add_case(torch.tensor(values), options=dict(sci_mode=sci_mode))
    # Rank 6, summarized in several dimensions.
    add_case(torch.arange(4 ** 6).reshape(4, 4, 4, 4, 4, 4), options=dict(threshold=100, edgeitems=1))
    add_case(torch.arange(5.0 ** 5).reshape(1, 5, 5, 5, 5, 5) / 9, options=dict(threshold=100, edgeitems=2))


def add_suffix_wrap_cases():
    """Rows whose last line ends right around the line width, so the
    dtype= and requires_grad= suffixes wrap or not."""
    for width in range(30, 60):
        for n in (3, 4, 5, 6):
            t = torch.arange(n, dtype=torch.float64) * 1.25
            add_case(t, options=dict(linewidth=width), requires_grad=(width % 2 == 0))
        t = torch.arange(6, dtype=torch.float64).reshape(2, 3)
        add_case(t, options=dict(linewidth=width), requires_grad=True)


def add_random_cases(count):
    for i in range(count):
        start_case("random %d" % i)
        dtype = rng.choice(ALL_DTYPES + FLOAT_DTYPES)
        rank = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6])
        max_dim = {0: 1, 1: 14, 2: 7, 3: 5, 4: 4, 5: 3, 6: 3}[rank]
        shape = random_shape(rank, max_dim)
        t = random_tensor(dtype, shape)
        options = random_options(numel(shape)) if rng.random() < 0.8 else {}
        requires_grad = t.dtype.is_floating_point and rng.random() < 0.15
        add_case(t, options=options, requires_grad=requires_grad)
    end_case()


def add_summarization_cases():
    for edgeitems in (1, 2, 3, 4):
        for threshold in (5, 10):
            for shape in [(30,), (12, 9), (3, 11), (11, 3), (4, 5, 6), (2, 3, 9, 2), (9, 1, 9)]:
                start_case("summarized edgeitems=%d threshold=%d %s" % (edgeitems, threshold, list(shape)))
                dtype = rng.choice(ALL_DTYPES)
                t = random_tensor(dtype, list(shape))
                opts = dict(threshold=threshold, edgeitems=edgeitems,
                            linewidth=rng.choice([40, 80, 120]))
                add_case(t, options=opts)
    end_case()
    # The formatter only sees the shown elements: a huge hidden value does
    # not switch the notation.
    t = torch.ones(40)
    t[20] = 1e12
    add_case(t, options=dict(threshold=10))
    t[1] = 1e12
    add_case(t, options=dict(threshold=10))
    t = torch.full((9, 9), 0.5)
    t[4, 4] = 1e-9
    add_case(t, options=dict(threshold=10, edgeitems=2))


def add_linewidth_and_precision_cases():
    for linewidth in range(10, 201, 7):
        start_case("linewidth=%d float32" % linewidth)
        t = float_values("normal", [3, 17], torch.float32)
        add_case(t, options=dict(linewidth=linewidth))
        start_case("linewidth=%d int64" % linewidth)
        t = int_values([25])
        add_case(t, options=dict(linewidth=linewidth))
    for precision in range(0, 11):
        for kind in ("normal", "mixed", "big", "tiny", "uniform"):
            start_case("precision=%d %s" % (precision, kind))
            dtype = rng.choice(FLOAT_DTYPES)
            t = float_values(kind, [7], dtype)
            for sci_mode in (None, True, False):
                add_case(t, options=dict(precision=precision, sci_mode=sci_mode),
                         variant="sci_mode=%s" % sci_mode)
    end_case()


def add_view_cases():
    """Views printed through their strides. The case stores the base tensor;
    `view` lists the operations that make the printed tensor from it."""
    for i in range(60):
        start_case("view %d" % i)
        dtype = rng.choice(ALL_DTYPES)
        base = random_tensor(dtype, random_shape(3, 5))
        ops = []
        t = base
        for _ in range(rng.randint(1, 3)):
            choice = rng.choice(["transpose", "slice", "select", "expand"])
            if choice == "transpose" and t.dim() >= 2:
                d0, d1 = rng.sample(range(t.dim()), 2)
                t = t.transpose(d0, d1)
                ops.append(["transpose", d0, d1])
            elif choice == "slice" and t.dim() >= 1:
                dim = rng.randrange(t.dim())
                size = t.shape[dim]
                start = rng.randrange(size)
                end = rng.randint(start + 1, size)
                step = rng.randint(1, 3)
                t = t[(slice(None),) * dim + (slice(start, end, step),)]
                ops.append(["slice", dim, start, end, step])
            elif choice == "select" and t.dim() >= 2:
                dim = rng.randrange(t.dim())
                index = rng.randrange(t.shape[dim])
                t = t.select(dim, index)
                ops.append(["select", dim, index])
            elif choice == "expand" and t.dim() <= 4:
                # One new leading dimension, and size-1 dimensions stretched
                # (stride 0).
                sizes = [rng.randint(1, 3)] + [
                    rng.randint(1, 3) if s == 1 and rng.random() < 0.5 else s for s in t.shape
                ]
                t = t.expand(sizes)
                ops.append(["expand", sizes])
        if not ops:
            continue
        options = random_options(t.numel()) if rng.random() < 0.5 else {}
        add_case(t, options=options, view=ops, base=base)
    end_case()


def size_cases():
    shapes = [[], [0], [5], [2, 3], [2, 0, 4], [1, 1, 1, 1, 1, 1], [10, 5, 3, 2, 4],
              [2 ** 40, 3]]
    return [{"shape": s, "expected": str(torch.Size(s))} for s in shapes]


# ---- Python float text ----

def double_hex(x):
    return struct.pack("<d", x).hex()


def pyfloat_values():
    """(name, value) pairs: listed values, powers of two, then random ones,
    each drawn by a generator of its own, seeded from its name."""
    listed = [0.0, -0.0, math.nan, -math.nan, math.inf, -math.inf, 1e16, 1e15, 9999999999999998.0,
              1e-5, 1e-4, 0.0001234, 0.1 + 0.2, 8.378900000138856e-05, 5e-324, 2.2250738585072014e-308,
              2.225073858507201e-308, 1.7976931348623157e308, 0.5, 1.5, 2.5, -2.5, 1e22, 1e23, 123456789.0,
              3.0, 100.0, 1 / 3, 2 / 3, 0.1, 0.3, 9.5, 0.05, 0.15, 0.25, 0.35, 1234.5, 99999.99999]
    values = [("listed %d" % i, x) for i, x in enumerate(listed)]
    values += [("2**%d" % k, math.ldexp(1.0, k)) for k in range(-1074, 1024, 37)]
    draws = [
        ("bits", 600, lambda r: struct.unpack("<d", r.getrandbits(64).to_bytes(8, "little"))[0]),
        ("float32", 300, lambda r: float(np.float32(r.uniform(-1000, 1000)))),
        ("scaled", 600, lambda r: r.uniform(-1, 1) * 10 ** r.randint(-12, 20)),
        ("eighths", 100, lambda r: r.randint(-10 ** 6, 10 ** 6) / 8),
        # Exact ties at precision 4 (odd multiples of 1/32 take 5 decimals,
        # the last a 5), fixed and scientific, and what the printer mostly
        # sees: float32 values (src/lib/float_text.c rounds all of them).
        ("ties", 200, lambda r: r.randint(-10 ** 6, 10 ** 6) + r.randrange(1, 32, 2) / 32),
        ("sci ties", 200, lambda r: (r.randrange(10 ** 4, 10 ** 5) + 0.5) * 10.0 ** r.randint(0, 6)),
        ("float32 normal", 300, lambda r: float(np.float32(r.gauss(0, 1)))),
        ("float32 scaled", 300, lambda r: float(np.float32(r.gauss(0, 1) * 10.0 ** r.randint(-30, 30)))),
    ]
    for kind, count, draw in draws:
        values += [("%s %d" % (kind, i), draw(case_random(SALT, "%s %d" % (kind, i))))
                   for i in range(count)]
    return values


def pyfloat_cases():
    cases = []
    for name, x in pyfloat_values():
        # The precisions drawn for a value are its own too.
        r = case_random(SALT, name + " precisions")
        precisions = sorted({0, 4, r.randint(0, 12), r.randint(0, 20)})
        fixed_precisions = precisions if abs(x) < 1e30 or not math.isfinite(x) else [0, 4]
        cases.append({
            "name": name,
            "bits": double_hex(x),
            "repr": repr(x),
            "fixed": {str(p): "{:.{}f}".format(x, p) for p in fixed_precisions},
            "sci": {str(p): "{:.{}e}".format(x, p) for p in precisions},
        })
    return cases


def main():
    global SALT
    args = arguments(__doc__, SALT)
    SALT = args.salt
    add_hand_picked_cases()
    add_option_edge_cases()
    add_suffix_wrap_cases()
    add_summarization_cases()
    add_linewidth_and_precision_cases()
    add_view_cases()
    add_random_cases(700)
    sizes = size_cases()
    header = {"torch_version": torch.__version__, "salt": SALT}
    write_jsonl(os.path.join(args.out, "print_corpus.jsonl"), header,
                {"tensors": cases, "sizes": sizes})
    write_jsonl(os.path.join(args.out, "pyfloat_corpus.jsonl"), header, {"values": pyfloat_cases()})
    print("%d tensor cases, %d size cases" % (len(cases), len(sizes)))


if __name__ == "__main__":
    main()
