#!/usr/bin/python3
"""reference.py: times the benchmarks of `nbreplay bench` (src/app/cli/bench.c) with
real PyTorch and NumPy, the same names measured the same way, and prints one
JSON object per line: {"name", "seconds", "iters", "by"}, "by" saying whose
implementation ran ("torch" or "numpy"; the GEMMs are timed with both).

Run it with Debian's Python, which has python3-torch and python3-numpy:

    /usr/bin/python3 tests/bench/reference.py [--full] [--only NAME...]

Threads are left as they come (torch.get_num_threads(), OpenBLAS's own
count); one line on stderr says what they were and which OpenBLAS kernel
NumPy's BLAS picked. OPENBLAS_CORETYPE, when set, forces that kernel; to
compare with the kernel OpenBLAS would pick itself, run this with it (and
OPENBLAS_L2_SIZE) unset, as tests/bench/compare does.

Timing policy, as src/app/cli/bench.c's: warm up for at least 2 iterations and
0.2 s (one iteration when it alone takes a second); then time samples of
`batch` back-to-back iterations, batch chosen so a sample lasts at least
2 ms, until 1 s and 5 samples have passed (3 samples for iterations over a
second, at most 1000); report the median sample divided by its batch. Each
iteration makes a new result and drops it.
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time

import numpy as np
import torch

ELEMENTS_1E7 = 10**7


def normal(shape, dtype=torch.float64):
    return torch.tensor(np.random.normal(0, 1, shape)).to(dtype)


def choice(shape):
    return torch.tensor(np.random.choice([float(i) for i in range(10)], size=shape))


def autograd_cell14():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    y = x[0]**1 + x[1]**2 + x[2]**3
    z = torch.sin(y)
    u = torch.log(1 + z)
    w = torch.exp(-u)
    w.backward(retain_graph=True)
    u.backward()


def loop_small_ops():
    """A tiny model step 10,000 times: bench.c's iterate_small_ops."""
    x = normal((4, 3), torch.float32)
    w = normal((3, 2), torch.float32).requires_grad_()

    def iteration():
        for _ in range(10000):
            y = torch.relu(x @ w).sum()
            y.backward()
            w.grad.zero_()
    return iteration


def suite():
    """(name, by, full_only, setup) where setup() returns the iteration."""
    def gemm(shape_a, shape_b, by):
        def setup():
            a, b = normal(shape_a), normal(shape_b)
            if by == "numpy":
                na, nb = a.numpy(), b.numpy()
                return lambda: np.matmul(na, nb)
            return lambda: torch.matmul(a, b)
        return setup

    def two_f64(op):
        def setup():
            a, b = normal(ELEMENTS_1E7), normal(ELEMENTS_1E7)
            return lambda: op(a, b)
        return setup

    def one(op, dtype=torch.float64):
        def setup():
            a = normal(ELEMENTS_1E7, dtype)
            return lambda: op(a)
        return setup

    def cell7():
        a, b = choice((5, 3, 2)), choice((5, 2, 4))
        return lambda: torch.bmm(a, b)

    def cell8():
        a, b = choice((10, 5, 3, 2, 4)), choice((4, 10))
        return lambda: torch.matmul(a, b)

    def printing():
        t = normal(1000, torch.float32)
        return lambda: str(t)

    return [
        ("gemm_f64_4000x4000x1000", "numpy", False, gemm((4000, 1000), (1000, 4000), "numpy")),
        ("gemm_f64_4000x4000x1000", "torch", False, gemm((4000, 1000), (1000, 4000), "torch")),
        ("gemm_f64_cell9", "numpy", True, gemm((25000, 10000), (10000, 1000), "numpy")),
        ("gemm_f64_cell9", "torch", True, gemm((25000, 10000), (10000, 1000), "torch")),
        ("add_f64_1e7", "torch", False, two_f64(torch.add)),
        ("mul_scalar_f64_1e7", "torch", False, one(lambda a: a * 5.)),
        ("sin_f32_1e7", "torch", False, one(torch.sin, torch.float32)),
        ("exp_f64_1e7", "torch", False, one(torch.exp)),
        ("sum_f64_1e7", "torch", False, one(torch.sum)),
        ("copy_f64_1e7", "torch", False, one(torch.clone)),
        ("bmm_cell7", "torch", False, cell7),
        ("matmul_cell8", "torch", False, cell8),
        ("autograd_cell14", "torch", False, lambda: autograd_cell14),
        ("normal_1e7", "numpy", False, lambda: lambda: np.random.normal(0, 1, ELEMENTS_1E7)),
        ("choice_1e6", "numpy", False,
         lambda: lambda: np.random.choice([float(i) for i in range(10)], size=10**6)),
        ("print_f32_1000", "torch", False, printing),
        ("loop_small_ops", "torch", False, loop_small_ops),
    ]


def run_iterations(fn, count):
    start = time.perf_counter()
    for _ in range(count):
        fn()  # the result is dropped at once, as nbreplay's scope drops it
    return time.perf_counter() - start


def measure(fn):
    warm, warm_seconds = 0, 0.0
    while warm < 2 and not (warm == 1 and warm_seconds >= 1.0):
        warm_seconds += run_iterations(fn, 1)
        warm += 1
    while warm_seconds < 0.2:
        warm_seconds += run_iterations(fn, warm)
        warm *= 2
    per_iteration = warm_seconds / warm
    batch = 1 if per_iteration >= 0.002 else int(0.002 / per_iteration) + 1
    samples_min = 3 if per_iteration > 1.0 else 5
    samples, total = [], 0.0
    while len(samples) < 1000 and (len(samples) < samples_min or
                                   (total < 1.0 and per_iteration <= 1.0)):
        t = run_iterations(fn, batch)
        samples.append(t / batch)
        total += t
    return statistics.median(samples), len(samples) * batch


def openblas_report():
    """Which OpenBLAS this process loaded, its kernel and thread count."""
    paths = set()
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and "openblas" in fields[-1]:
                paths.add(fields[-1])
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return "OpenBLAS kernel %s, %d threads (%s)" % (
                lib.openblas_get_corename().decode(), lib.openblas_get_num_threads(), path)
        except (OSError, AttributeError):
            continue
    return "no OpenBLAS loaded"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="also gemm_f64_cell9 (2 GB, minutes)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="just these benchmarks")
    args = parser.parse_args()
    np.random.seed(0)
    np.matmul(np.ones((2, 2)), np.ones((2, 2)))  # loads the BLAS before the report
    print("reference: torch %s (%d threads), numpy %s; %s; OPENBLAS_CORETYPE=%s" % (
        torch.__version__, torch.get_num_threads(), np.__version__, openblas_report(),
        os.environ.get("OPENBLAS_CORETYPE", "(unset)")), file=sys.stderr)
    for name, by, full_only, setup in suite():
        if (full_only and not args.full and not args.only) or (args.only and name not in args.only):
            continue
        seconds, iters = measure(setup())
        print(json.dumps({"name": name, "seconds": seconds, "iters": iters, "by": by}), flush=True)


if __name__ == "__main__":
    main()
