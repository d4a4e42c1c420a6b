#!/usr/bin/env python3
"""torch_reference: the benchmarks of tests/bench/reference.py timed with
PyTorch on the GPU, for tests/gpu/check.sh to put beside
`nbreplay bench --device cuda`: same names, same timing policy (its
measure()), every tensor made on cuda:0 (torch.set_default_device) and
every iteration ending in torch.cuda.synchronize(), as nbreplay's bench
waits for the device. NumPy's rows run on the CPU and are left out.

    python3 tests/gpu/torch_reference.py [--full]     # JSON lines on stdout
    python3 tests/gpu/torch_reference.py --table OURS.jsonl TORCH.jsonl

The table ends with issue 18's two GPU targets, each marked met or missed:
cell 9's GEMM (gemm_f64_cell9, from --full runs) within 1.05x of
torch.matmul, and every elementwise op moving at least 80% of the bytes per
second that our own copy (copy_f64_1e7) moves.

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


# Bytes each elementwise benchmark reads and writes: 10**7 elements.
ELEMENTWISE_BYTES = {
    "add_f64_1e7": 3 * 8e7,
    "mul_scalar_f64_1e7": 2 * 8e7,
    "sin_f32_1e7": 2 * 4e7,
    "exp_f64_1e7": 2 * 8e7,
    "sum_f64_1e7": 8e7,
}
COPY = ("copy_f64_1e7", 2 * 8e7)
GEMM_TARGET = 1.05
BANDWIDTH_TARGET = 0.80


def use_cuda_by_default(torch):
    """Every tensor the reference makes, on cuda:0: torch 2's
    set_default_device, or on 1.x the default tensor type (which moves
    torch.tensor(ndarray) too; the arrays keep their float64)."""
    if hasattr(torch, "set_default_device"):
        use_cuda_by_default(torch)
    else:
        torch.set_default_tensor_type(torch.cuda.FloatTensor)


def time_on_gpu(full):
    import numpy as np
    import torch
    if not torch.cuda.is_available():
        print("torch_reference: skipped: torch sees no GPU")
        return 77
    reference = load_reference()
    use_cuda_by_default(torch)
    np.random.seed(0)
    print("torch_reference: torch %s on %s" % (torch.__version__, torch.cuda.get_device_name()),
          file=sys.stderr)
    for name, by, full_only, setup in reference.suite():
        if by != "torch" or (full_only and not full):
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
    print()
    print("targets (issue 18):")
    gemm, gemm_torch = ours.get("gemm_f64_cell9"), theirs.get("gemm_f64_cell9")
    if gemm and gemm_torch:
        verdict = "met" if gemm / gemm_torch <= GEMM_TARGET else "missed"
        print("  cell 9's GEMM / torch.matmul: %.3f (target <= %.2f): %s"
              % (gemm / gemm_torch, GEMM_TARGET, verdict))
    else:
        print("  cell 9's GEMM: not measured (run both sides with --full)")
    copy = ours.get(COPY[0])
    if not copy:
        print("  elementwise bandwidth: not measured (no %s)" % COPY[0])
        return 0
    copy_rate = COPY[1] / copy
    print("  our copy: %.0f GB/s" % (copy_rate / 1e9))
    for name, moved in ELEMENTWISE_BYTES.items():
        if name in ours:
            share = moved / ours[name] / copy_rate
            verdict = "met" if share >= BANDWIDTH_TARGET else "missed"
            print("  %-22s %6.0f GB/s = %3.0f%% of copy (target >= %.0f%%): %s"
                  % (name, moved / ours[name] / 1e9, 100 * share, 100 * BANDWIDTH_TARGET, verdict))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--table", nargs=2, metavar=("OURS", "TORCH"),
                        help="print the two JSON-lines files side by side instead")
    parser.add_argument("--full", action="store_true", help="also gemm_f64_cell9 (2 GB)")
    args = parser.parse_args()
    return table(*args.table) if args.table else time_on_gpu(args.full)


if __name__ == "__main__":
    sys.exit(main())
