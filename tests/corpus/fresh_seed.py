#!/usr/bin/env python3
"""fresh_seed.py: the suites against corpora PyTorch and NumPy write now,
for another salt than the committed one.

Every corpus script in tests/corpus/ whose cases are random takes --seed
(the salt each case's seed is hashed with, corpus_lib.py) and --out. For a
salt, this script writes each such corpus into a temporary folder and runs
the Check suites that read it there (NB_TEST_DATA). The committed corpora
prove nbreplay right on one draw of values; another salt draws others, so
that what passes is the code, not the draw.

    tests/corpus/fresh_seed.py [SEED] [--build DIR] [--corpus NAME]... [--keep]

SEED: any text (default: a fresh random one, printed first, so a failure can
be rerun). --build: the meson build folder holding tests/test_* (default
build). --corpus: only these corpora (ops, print, rng, torch_rng, cell9, npy,
autograd). --keep: keep the temporary folder and print where it is.

    tests/corpus/fresh_seed.py --committed [--build DIR]

regenerates every corpus (the fixed ones too) with its committed salt and
fails unless the result is byte for byte tests/data: the committed corpora
are what the scripts write, and were not edited by hand.

Standard library only; the corpus scripts run under $NB_PYTHON (default
Debian's /usr/bin/python3, which has torch 1.13 and NumPy 1.24). Exits 0
when every suite passed, 1 when one failed (its report is printed), 77 when
that interpreter lacks torch or NumPy.
"""

import argparse
import filecmp
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torch_preload import Preloaded  # noqa: E402  one `import torch` for every script

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(ROOT, "tests", "data")

# name: (script, what it writes into tests/data, the suites that check
# fidelity on it, whether its cases are random). test_alloc_failure reads
# the .npy files too, but for allocation failures, which new values do not
# change. make_elementwise_bits.py and make_reduce_bits.py are not here:
# their cases are seeded from their names alone, with no salt. A new corpus
# script joins with one line, once it takes --seed and --out.
CORPORA = {
    "ops": ("make_ops_corpus.py", ["ops_corpus.jsonl"], ["test_ops"], True),
    "print": ("make_print_corpus.py", ["print_corpus.jsonl", "pyfloat_corpus.jsonl"],
              ["test_print"], True),
    "rng": ("make_rng_corpus.py", ["rng_corpus.jsonl"], ["test_rng"], True),
    "cell9": ("make_cell9_corpus.py", ["cell9_corpus.jsonl"], ["test_cell09"], True),
    "npy": ("make_npy_cases.py", ["npy"], ["test_npy"], True),
    "literal": ("make_literal_corpus.py", ["literal_corpus.jsonl"], ["test_tensor"], False),
    "edges": ("make_edges_corpus.py", ["edges_corpus.jsonl"], ["test_edges"], False),
    "autograd": ("make_autograd_corpus.py", ["autograd_corpus.json"], ["test_autograd"], True),
    "torch_rng": ("make_torch_rng_corpus.py", ["torch_rng_corpus.jsonl"], ["test_torch_rng"], True),
    "shape": ("make_shape_corpus.py", ["shape_corpus.jsonl"], ["test_shape"], True),
}
REPORT_LINES = 60  # of a failing suite's output
# The suites run here in one process (CK_FORK=no: a fork per test is most of
# their time), each passing the same checks as forked, but for these, whose
# tests share state when not forked (test_torch_rng: the generator). A
# suite that fails unforked runs again forked, for Check's usual report.
NEEDS_FORK = {"test_torch_rng"}


def python():
    return os.environ.get("NB_PYTHON") or "/usr/bin/python3"


def data_folder(tmp, outputs):
    """A folder standing for tests/data: links to every committed entry but
    the ones the script is about to write (a script may delete what it
    writes first, which must never reach the committed files)."""
    os.makedirs(tmp)
    for entry in os.listdir(DATA):
        if entry not in outputs:
            os.symlink(os.path.join(DATA, entry), os.path.join(tmp, entry))


def committed_salt(name):
    """The salt in the header line of the committed corpus `name`."""
    first = CORPORA[name][1][0]
    path = os.path.join(DATA, first, "expected.jsonl") if first == "npy" else os.path.join(DATA, first)
    with open(path, encoding="utf-8") as f:
        # a .jsonl's header is its first line; a .json is one object
        return (json.load(f) if path.endswith(".json") else json.loads(f.readline())).get("salt")


def generate(preloaded, name, tmp, seed):
    """Runs the corpus script in the preloaded interpreter (torch_preload.py:
    as `python3 SCRIPT --out TMP [--seed S]` would, less the import)."""
    script, outputs, _, random = CORPORA[name]
    command = [os.path.join(HERE, script), "--out", tmp]
    if random and seed is not None:
        command += ["--seed", seed]
    status, output = preloaded.run(command)
    if status != 0:
        return "%s %s failed (exit %d):\n%s" % (python(), " ".join(command), status, output)
    return None


def same_tree(a, b):
    """Whether files or folders a and b hold the same bytes."""
    if os.path.isdir(a) != os.path.isdir(b):
        return False
    if not os.path.isdir(a):
        return filecmp.cmp(a, b, shallow=False)
    names = sorted(os.listdir(a))
    return names == sorted(os.listdir(b)) and all(
        same_tree(os.path.join(a, n), os.path.join(b, n)) for n in names)


def start_suite(build, suite, tmp, fork=None):
    """The suite, started on the corpus in tmp; its output in a file (not a
    pipe, which a suite's long report could fill while nobody reads it)."""
    fork = suite in NEEDS_FORK if fork is None else fork
    exe = os.path.join(build, "tests", suite)
    env = dict(os.environ, NB_TEST_DATA=tmp, CK_VERBOSITY="normal", CK_FORK="yes" if fork else "no")
    env.pop("CK_RUN_CASE", None)
    env.pop("CK_RUN_SUITE", None)
    log = open(tmp + "." + suite + (".log" if fork else ".unforked.log"), "w+")  # beside the data folder
    return subprocess.Popen([exe], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log, \
        (build, suite, tmp, fork)


def finish_suite(started):
    process, log, (build, suite, tmp, fork) = started
    rc = process.wait()
    log.seek(0)
    out = log.read()
    log.close()
    if rc != 0 and not fork:  # again forked: Check's report, a crash confined to its test
        return finish_suite(start_suite(build, suite, tmp, fork=True))
    return rc, out


def fresh(args, seed, work, preloaded):
    """Each corpus is written, then its suites start and run while the next
    corpus is written; their reports are read in order at the end."""
    failed = []
    running = []  # (name, suite, started, start time)
    for name in args.corpus:
        script, outputs, suites, random = CORPORA[name]
        tmp = os.path.join(work, name)
        data_folder(tmp, outputs)
        start = time.monotonic()
        error = generate(preloaded, name, tmp, seed)
        if error:
            print("FAIL %-6s %s" % (name, error))
            failed.append(name)
            continue
        # A salt that changes nothing would test nothing new (unless it is
        # the committed salt, given on purpose).
        if seed != committed_salt(name) and all(same_tree(os.path.join(tmp, o), os.path.join(DATA, o)) for o in outputs):
            print("FAIL %-6s salt %s wrote the committed corpus again" % (name, seed))
            failed.append(name)
            continue
        for suite in suites:
            running.append((name, suite, start_suite(args.build, suite, tmp), start))
    for name, suite, started, start in running:
        rc, out = finish_suite(started)
        took = time.monotonic() - start
        if rc == 0:
            print("ok   %-6s %s (%.1fs)" % (name, suite, took))
        else:
            print("FAIL %-6s %s (exit %d) on salt %s:" % (name, suite, rc, seed))
            lines = out.rstrip("\n").split("\n")
            for line in lines[:REPORT_LINES]:
                print("     | " + line)
            if len(lines) > REPORT_LINES:
                print("     | ... %d more lines" % (len(lines) - REPORT_LINES))
            failed.append("%s/%s" % (name, suite))
    return failed


def committed(args, work, preloaded):
    failed = []
    for name in args.corpus:
        script, outputs, _, _ = CORPORA[name]
        tmp = os.path.join(work, name)
        data_folder(tmp, outputs)
        error = generate(preloaded, name, tmp, None)
        stale = [o for o in outputs if not same_tree(os.path.join(tmp, o), os.path.join(DATA, o))]
        if error or stale:
            print("FAIL %-7s %s" % (name, error or "tests/data/%s is not what %s writes now"
                                    " (regenerate it: %s tests/corpus/%s)"
                                    % (", ".join(stale), script, python(), script)))
            failed.append(name)
        else:
            print("ok   %-7s %s" % (name, ", ".join(outputs)))
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n")[0])
    parser.add_argument("seed", nargs="?", help="the salt (default: a fresh random one)")
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--corpus", action="append", choices=sorted(CORPORA))
    parser.add_argument("--committed", action="store_true",
                        help="check that the committed corpora are what the scripts write")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with Preloaded(python()) as preloaded:
        return run(parser, args, preloaded)


def run(parser, args, preloaded):
    if not preloaded.available:
        print("fresh_seed.py: skipped: %s lacks torch or numpy (python3-torch, python3-numpy)"
              % python())
        return 77
    if args.committed:
        args.corpus = args.corpus or sorted(CORPORA)
    else:
        args.corpus = args.corpus or [n for n in sorted(CORPORA) if CORPORA[n][3]]
        fixed = [n for n in args.corpus if not CORPORA[n][3]]
        if fixed:
            parser.error("no random case in %s: nothing a salt changes" % ", ".join(fixed))
    seed = args.seed if args.seed is not None else str(secrets.randbits(32))
    work = tempfile.mkdtemp(prefix="nb-fresh-seed-")
    try:
        if args.committed:
            failed = committed(args, work, preloaded)
        else:
            print("fresh_seed.py: salt %s (rerun: tests/corpus/fresh_seed.py %s)" % (seed, seed))
            failed = fresh(args, seed, work, preloaded)
    finally:
        if args.keep:
            print("fresh_seed.py: kept %s" % work)
        else:
            shutil.rmtree(work)
    if failed:
        print("fresh_seed.py: %s failed%s" % (", ".join(failed),
                                              "" if args.committed else " on salt %s" % seed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
