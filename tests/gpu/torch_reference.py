#!/usr/bin/env python3
"""torch_reference: the benchmarks of tests/bench/reference.py timed with
PyTorch on the GPU, for tests/gpu/check.sh to put beside
`nbreplay bench --device cuda`: same names, same timing policy (its
measure()), every tensor made on cuda:0 (torch.set_default_device) and
every iteration ending in torch.cuda.synchronize(), as nbreplay's bench
waits for the device. NumPy's rows run on the CPU and are left out.

    python3 tests/gpu/torch_reference.py              # JSON lines on stdout
    python3 tests/gpu/torch_reference.py --table OURS.jsonl TORCH.jsonl

Exit 77 with one line where torch sees no GPU.
"""
import argparse
import importlib.util
import json
import os
import sys

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "reference.py")


def load_reference():
    spec = importlib.util.spec_from_file_location("reference", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def time_on_gpu():
    import numpy as np
    import torch
    if not torch.cuda.is_available():
        print("torch_reference: skipped: torch sees no GPU")
        return 77
    reference = load_reference()
    torch.set_default_device("cuda")
    np.random.seed(0)
    print("torch_reference: torch %s on %s" % (torch.__version__, torch.cuda.get_device_name()),
          file=sys.stderr)
    for name, by, full_only, setup in reference.suite():
        if by != "torch" or full_only:
            continue
        fn = setup()

        def synchronized(fn=fn):
            fn()
            torch.cuda.synchronize()

        seconds, iters = reference.measure(synchronized)
        print(json.dumps({"name": name, "seconds": seconds, "iters": iters, "by": "torch-cuda"}), flush=True)
    return 0


def read_lines(path):
    rows = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("{"):
                    row = json.loads(line)
                    rows[row["name"]] = row["seconds"]
    except OSError:
        pass
    return rows


def table(ours_path, theirs_path):
    ours, theirs = read_lines(ours_path), read_lines(theirs_path)
    print("%-26s %14s %14s %8s" % ("benchmark (GPU)", "nbreplay", "torch", "ratio"))
    for name in ours:
        mine, other = ours[name], theirs.get(name)
        ratio = "%.2f" % (mine / other) if other else "-"
        print("%-26s %12.3g s %12s %8s" % (name, mine, "%.3g s" % other if other else "-", ratio))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--table", nargs=2, metavar=("OURS", "TORCH"),
                        help="print the two JSON-lines files side by side instead")
    args = parser.parse_args()
    return table(*args.table) if args.table else time_on_gpu()


if __name__ == "__main__":
    sys.exit(main())
