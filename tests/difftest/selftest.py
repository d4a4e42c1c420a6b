#!/usr/bin/env python3
"""Tests of the differential tester itself: that it can fail.

    selftest.py [--cc CC] [--cflags=... --libs=... | --build-dir DIR]

Checks, with hand-made programs against the real library and real
PyTorch: an identical program compares identical; a one-ulp change on the
C side is reported as a difference; a C program that crashes is reported
and the programs after it still run; a missing error is caught; the
shrinker reduces a program to the statements that matter; the generator is
deterministic and its programs compile; where CC is not the system cc (tcc,
as the suite runs it), 50 generated programs print the same built by CC as
built by cc -O0. Prints one line per check and exits
1 if any fails, 77 when Debian's Python has no torch.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import difftest  # noqa: E402
import gen  # noqa: E402
from gen import Program, Stmt  # noqa: E402


def prog(name, pairs):
    """A Program from (python, c, defs, uses) tuples."""
    return Program(name, [Stmt(py, c, defs, uses) for py, c, defs, uses in pairs])


X = ("x = torch.tensor([0.1, 0.2, 0.7])", 'Tensor *x = torch_tensor("[0.1, 0.2, 0.7]");',
     ["x"], [])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build-dir", default=os.path.join(difftest.SOURCE_ROOT, "build"))
    p.add_argument("--cflags")
    p.add_argument("--libs")
    p.add_argument("--cc", default="cc", help="the compiler the tester runs with (default cc)")
    args = p.parse_args()
    if not difftest.torch_available():
        print("selftest.py: skipped: %s cannot import torch" % difftest.TORCH_PYTHON)
        return 77
    flags = (difftest.Flags(args.cc, args.cflags or "", args.libs or "")
             if args.cflags is not None or args.libs is not None
             else difftest.build_flags(args.build_dir))
    flags.cc = args.cc
    failures = []

    def check(what, ok):
        print("%s: %s" % ("ok" if ok else "FAILED", what))
        if not ok:
            failures.append(what)

    same = prog("same", [X, ("print(x.tolist())", "dt_tolist(x);", [], ["x"])])
    # the C side prints x + 1 ulp in its last element: the tester must see it
    ulp = prog("ulp", [X, ("print(x.tolist())",
                           "((float *)tensor_data(x))[2] = nextafterf(0.7f, 1.0f); dt_tolist(x);",
                           [], ["x"])])
    crash = prog("crash", [X, ("print(x.tolist())", "raise(SIGSEGV);", [], ["x"])])
    missing = prog("missing", [("torch.arange(-1)", "dt_print(tensor_arange(0, 1));", [], [])])
    after = prog("after", [X, ("print(x)", "dt_print(x);", [], ["x"])])
    outs = difftest.run_programs([same, ulp, crash, missing, after], flags)
    check("an identical program compares identical", outs[0].same)
    check("a one-ulp difference is a difference", not outs[1].same)
    check("a crash is reported", not outs[2].same and "<crashed" in outs[2].c_out)
    check("programs after a crash still run", outs[4].same)
    check("a missing error is a difference", not outs[3].same)

    # A long program with one differing statement (the ulp one) among
    # statements that do not matter shrinks to x's definition and it.
    noise = [("y%d = x * %d" % (i, i), "Tensor *y%d = tensor_mul(x, py_int(%d));" % (i, i),
              ["y%d" % i], ["x"]) for i in range(8)]
    noise += [("print(y%d.tolist())" % i, "dt_tolist(y%d);" % i, [], ["y%d" % i]) for i in range(8)]
    culprit = (ulp.stmts[1].py, ulp.stmts[1].c, [], ["x"])
    big = prog("big", [X] + noise[:9] + [culprit] + noise[9:])
    small = difftest.shrink(big, flags)
    check("the shrinker keeps only what matters (%d of %d statements left)"
          % (len(small.stmts), len(big.stmts)),
          [s.py for s in small.stmts] == [X[0], "print(x.tolist())"])

    progs = [gen.program(12345, i) for i in range(50)]
    check("the generator is deterministic",
          [p.python() for p in progs] == [gen.program(12345, i).python() for i in range(50)]
          and [p.c_body() for p in progs] == [gen.program(12345, i).c_body() for i in range(50)])
    try:
        fast = difftest.run_programs(progs, flags, expected=[""] * len(progs))
        check("generated programs compile", True)
    except RuntimeError as e:
        print(e)
        check("generated programs compile", False)
        fast = None
    if fast is not None and args.cc != "cc":
        # The suite compiles with tcc for speed: it must not change a byte.
        try:
            slow = difftest.run_programs(progs, difftest.Flags("cc", flags.cflags, flags.libs),
                                         expected=[""] * len(progs))
            differ = [a.program.name for a, b in zip(fast, slow) if a.c_out != b.c_out]
        except RuntimeError as e:
            print(e)
            differ = ["(cc failed)"]
        check("programs built by %s print what cc -O0 builds print%s"
              % (args.cc, (": not " + " ".join(differ[:5])) if differ else ""), not differ)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
