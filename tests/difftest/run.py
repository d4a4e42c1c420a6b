#!/usr/bin/env python3
"""The differential program tester's command line: random programs over
every op of the library, run in real PyTorch 1.13 and against the library,
compared byte for byte (docs/difftest.md).

    run.py --seed S --count N         N programs of seed S (seed: fresh
                                      random when not given; printed first)
    run.py --seeds 1,2,3 --count 300  several seeds
    run.py --seed S --only I          program I of seed S alone
    run.py --seed S --only I --show   ... and print its Python and C
    run.py --seed S --shrink          shrink each differing program
    run.py --seed S --shrink --triage ... and group them by kind of difference
    run.py --seed S --only I --save NAME
                                      shrink program I and save it as
                                      regressions/NAME.{py,c,json,expected}
    run.py --regressions              also replay tests/difftest/regressions
    run.py --regressions-only         only those (needs no torch)

Compiling against the library: --build-dir DIR (default: build/ of the
source tree) links DIR/libnbcore.a, or --cflags/--libs give the flags
verbatim (meson passes them). --cc picks the compiler.

Exit status: 0 when every program printed the same on both sides, 1 when
any differs, 77 (skipped) when Debian's Python has no torch, 2 on a tester
failure (e.g. the C does not compile).
"""

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import difftest  # noqa: E402
import gen  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, help="the seed (default: a fresh random one)")
    p.add_argument("--seeds", help="comma-separated seeds, run one after another")
    p.add_argument("--count", type=int, default=1000, help="programs per seed (default 1000)")
    p.add_argument("--only", type=int, action="append",
                   help="run only program I of the seed (repeatable)")
    p.add_argument("--show", action="store_true", help="print every program run, Python and C")
    p.add_argument("--shrink", action="store_true", help="shrink differing programs")
    p.add_argument("--save", metavar="NAME",
                   help="shrink the differing programs and save them as regressions "
                        "NAME (NAME_2, ... for more than one)")
    p.add_argument("--triage", action="store_true",
                   help="group the differing programs by the kind of their first difference")
    p.add_argument("--regressions", action="store_true", help="also replay the saved regressions")
    p.add_argument("--regressions-only", action="store_true", help="only replay the regressions")
    p.add_argument("--max-report", type=int, default=20,
                   help="print at most this many differing programs in full (default 20)")
    p.add_argument("--build-dir", default=os.path.join(difftest.SOURCE_ROOT, "build"))
    p.add_argument("--cc", default=os.environ.get("CC", "cc"))
    p.add_argument("--cflags", help="compile flags for the library's headers")
    p.add_argument("--libs", help="link flags for the library")
    p.add_argument("--python", default=difftest.TORCH_PYTHON,
                   help="a Python with torch 1.13 (default /usr/bin/python3)")
    return p.parse_args(argv)


def report(outcomes, max_report, out=sys.stdout):
    shown = 0
    for o in outcomes:
        if o.same:
            continue
        shown += 1
        if shown > max_report:
            continue
        out.write("\n==== %s differs ====\n" % o.program.name)
        out.write("---- Python ----\n%s" % difftest.python_text(o.program))
        out.write("---- C ----\n%s" % difftest.c_text(o.program))
        out.write("---- diff (pytorch vs nbreplay) ----\n%s" % o.diff())
    if shown > max_report:
        out.write("\n(%d more differing programs not shown; --max-report raises the limit)\n"
                  % (shown - max_report))


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    if args.cflags is not None or args.libs is not None:
        flags = difftest.Flags(args.cc, args.cflags or "", args.libs or "")
    else:
        flags = difftest.build_flags(args.build_dir)
        flags.cc = args.cc
    different = 0
    # Every seed's programs and the regressions run as one batch: one C file
    # compiled once, one PyTorch worker run (the regressions' side is their
    # recorded output); then each seed is reported as it would be alone.
    batch, expected, parts = [], [], []
    if not args.regressions_only:
        if not difftest.torch_available(args.python):
            print("difftest: skipped: %s cannot import torch (Debian's python3-torch)" % args.python)
            return 77
        if args.seeds:
            seeds = [int(s) for s in args.seeds.split(",")]
        else:
            seeds = [args.seed if args.seed is not None else random.SystemRandom().randrange(2 ** 31)]
        for seed in seeds:
            indices = args.only if args.only else range(args.count)
            programs = [gen.program(seed, i) for i in indices]
            parts.append((seed, len(batch), len(programs)))
            batch += programs
            expected += [None] * len(programs)
    cases = difftest.load_regressions() if args.regressions or args.regressions_only else None
    if cases is not None:
        parts.append(("regressions", len(batch), len(cases)))
        batch += [p for p, _ in cases]
        expected += [e for _, e in cases]
    started = time.time()
    for seed, first, count in parts:
        if seed != "regressions":
            print("difftest: seed %d" % seed, flush=True)
            if args.show:
                for p in batch[first:first + count]:
                    print("==== %s ====\n---- Python ----\n%s---- C ----\n%s"
                          % (p.name, difftest.python_text(p), difftest.c_text(p)))
    every = difftest.run_programs(batch, flags, python=args.python, expected=expected)

    for seed, first, count in parts:
        outcomes = every[first:first + count]
        bad = [o for o in outcomes if not o.same]
        different += len(bad)
        if seed == "regressions":
            print("difftest: regressions: %d programs, %d identical, %d different"
                  % (len(outcomes), len(outcomes) - len(bad), len(bad)), flush=True)
            for o in bad:
                print("difftest: %s differs" % o.program.name)
            report(bad, args.max_report)
            continue
        print("difftest: seed %d: %d programs, %d identical, %d different (%.0f s)"
              % (seed, len(outcomes), len(outcomes) - len(bad), len(bad),
                 time.time() - started), flush=True)
        if args.shrink or args.save:
            small = difftest.shrink_many(bad, flags, python=args.python,
                                         log=lambda m: print("difftest: " + m, flush=True))
            bad = difftest.run_programs(small, flags, python=args.python) if small else []
        if args.show:
            for o in outcomes:
                if o.same:
                    print("==== %s: identical ====\n%s" % (o.program.name, o.py_out))
        report(bad, args.max_report)
        if args.triage:
            print("\ndifftest: seed %d: differences by kind (after shrinking when "
                  "--shrink):" % seed)
            for key, names in difftest.triage(bad):
                print("%5d  %s  (%s)" % (len(names), key, " ".join(names[:4])))
        if args.save:
            for k, o in enumerate(bad):
                name = args.save if k == 0 else "%s_%d" % (args.save, k + 1)
                base = difftest.save_regression(o.program, name, python=args.python)
                print("difftest: saved %s.{py,c,json,expected}" % base)
    return 1 if different else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print("difftest: %s" % e, file=sys.stderr)
        sys.exit(2)
