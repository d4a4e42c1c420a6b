#!/usr/bin/python3
"""make_torch_rng_corpus: records what PyTorch 1.13's default CPU generator
draws after torch.manual_seed, so that tests/test_torch_rng.c can hold
src/lib/torch_random.c to it bit for bit.

Run with the interpreter that has torch 1.13 (Debian's /usr/bin/python3):

    /usr/bin/python3 tests/corpus/make_torch_rng_corpus.py [--seed SALT] [--out DIR]

Output: DIR/torch_rng_corpus.jsonl (default tests/data), one case a line
(tests/corpus/corpus_lib.py). Each case is a sequence of calls on the one
default generator, replayed in order by the test: seeds, then rand and
randn of various shapes, because the state carried between calls (the
Mersenne Twister's position, randn's cached second normal below 16
elements) matters as much as each draw. The seeds and shapes of the named
random cases are hashed from the salt and the case's name.

randn of 16 and more elements takes a different Box-Muller kernel per ATen
CPU capability, so the cases are recorded three times, each in a child
process with ATEN_CPU_CAPABILITY set (forked: ATen reads the variable at
its first op, which torch's import does not run, so a forked child set to
it picks as a fresh process would, without importing torch again; each
child checks the capability ATen reports): sections cases_avx2 (what this
machine's PyTorch picks by itself), cases_default and cases_avx512 (on a
CPU without AVX-512 PyTorch falls back to AVX2, whose normal kernel its
AVX512 capability uses anyway, so the file is the same on either CPU).

Encoding: seeds are decimal strings (Python ints beyond int64 and below
zero); values are the float32 tensors' raw little-endian bytes in hex, or
for the million-value draws their 64-bit FNV-1a digest.
"""
import json
import os
import sys
import traceback

from corpus_lib import arguments, case_random, case_seed, write_jsonl

SALT = 20261203  # the committed corpus's
COMMITTED_SALT = SALT
SEEDS = [0, 1, 2, 3, 7, 42, 1234, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 5, 2**40 + 3,
         2**53 + 1, 2**63 - 1, 2**63, 2**64 - 1, 67280421310721, -1, -2, -(2**31), -(2**63)]
RANDOM_SEED_CASES = ["random seed %d" % i for i in range(1, 7)]
SEQUENCE_CASES = ["sequence %d" % i for i in range(1, 9)]
PRINT_CASES = ["print %d" % i for i in range(1, 5)]
SHAPES = [[], [0], [1], [2], [3], [5], [8], [15], [16], [17], [31], [32], [33], [47], [48],
          [49], [100], [3, 5], [4, 4], [2, 3, 4], [5, 0, 3], [1, 1, 1, 17], [7, 9], [700]]
CAPABILITIES = ["avx2", "default", "avx512"]


# Seeds whose case sweeps every size 0..100; the others take SIZES.
FULL_SWEEP = {0, 1, 2**32 + 5, 2**63 - 1, -1}
SIZES = [0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100]


def seed_case(seed, name=None, full=None):
    """One seed, then randn and rand of each size (0..100 for FULL_SWEEP),
    each right after its own reseed, then shapes of several dimensions."""
    ops = []
    full = seed in FULL_SWEEP if full is None else full
    for op in ("randn", "rand"):
        for n in (range(0, 101) if full else SIZES):
            ops.append({"op": "seed", "seed": str(seed)})
            ops.append({"op": op, "shape": [n]})
    ops.append({"op": "seed", "seed": str(seed)})
    for shape in SHAPES:
        ops.append({"op": "randn", "shape": shape})
        ops.append({"op": "rand", "shape": shape})
    return {"name": name or "seed %d" % seed, "ops": ops}


def sequence_case(name):
    """A seed and a random mix of rand and randn calls, the state carried:
    runs of small randn (which share cached normals), rand between them."""
    r = case_random(SALT, name)
    ops = [{"op": "seed", "seed": str(case_seed(SALT, name, bits=64))}]
    for _ in range(r.randint(10, 40)):
        op = r.choice(["rand", "randn", "randn", "randn"])
        kind = r.random()
        if kind < 0.5:
            shape = [r.randint(0, 15)]
        elif kind < 0.8:
            shape = [r.randint(16, 70)]
        elif kind < 0.9:
            shape = [r.randint(1, 4) for _ in range(r.randint(2, 4))]
        else:
            shape = [r.randint(300, 1300)]    # twists inside one call
        ops.append({"op": op, "shape": shape})
        if r.random() < 0.05:
            ops.append({"op": "seed", "seed": str(r.randint(0, 2**64 - 1))})
    return {"name": name, "ops": ops}


BIG_DRAWS = 1 << 20   # values per call of the big-draws case


def big_case():
    """Long draws, stored as a 64-bit FNV-1a digest of their bytes (4 MB
    each would not fit a corpus): a digest still compares every bit, and
    a million normals reach rounding cases a few thousand do not."""
    ops = []
    for seed in (0, 2**32 + 5):
        ops.append({"op": "seed", "seed": str(seed)})
        for op in ("randn", "rand", "randn"):
            ops.append({"op": op, "shape": [BIG_DRAWS + (3 if op == "randn" else 0)],
                        "digest": True})
    return {"name": "big draws", "ops": ops}


FNV_C = """
#include <stddef.h>
#include <stdint.h>
uint64_t fnv1a64(const unsigned char *data, size_t n) {
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) h = (h ^ data[i]) * 0x100000001b3u;
    return h;
}
"""
_fnv_c = None  # the C version (ctypes), when a compiler built it: fnv1a64_in_c


def fnv1a64_in_c(folder):
    """Builds FNV_C with the system cc into `folder` and loads it: the pure
    Python loop takes seconds per capability for the big draws' 24 MB. Done
    once, before the children fork. Without cc the Python loop stays."""
    global _fnv_c
    import ctypes
    import subprocess
    source, lib = os.path.join(folder, "fnv.c"), os.path.join(folder, "fnv.so")
    with open(source, "w") as f:
        f.write(FNV_C)
    try:
        subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", lib, source], check=True,
                       capture_output=True)
        _fnv_c = ctypes.CDLL(lib).fnv1a64
    except (OSError, subprocess.CalledProcessError):
        return
    _fnv_c.restype, _fnv_c.argtypes = ctypes.c_uint64, [ctypes.c_char_p, ctypes.c_size_t]


def fnv1a64(data):
    """64-bit FNV-1a, as tests/test_torch_rng.c computes it."""
    if _fnv_c is not None:
        return "%016x" % _fnv_c(data, len(data))
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return "%016x" % h


def random_seed_case(name):
    return seed_case(case_seed(SALT, name, bits=64), name, full=name.endswith(" 1"))


def print_case(name):
    r = case_random(SALT, name)
    seed = r.randint(0, 2**32)
    shape = r.choice([[3], [2, 3], [4, 5], [20], [3, 2, 2], [2, 17]])
    return {"name": name, "seed": str(seed), "shape": shape}


def record(cases):
    """Runs each case's calls in this process's torch; fills in the bytes."""
    import torch
    for case in cases:
        for op in case["ops"]:
            if op["op"] == "seed":
                torch.manual_seed(int(op["seed"]))
            else:
                t = getattr(torch, op["op"])(*op["shape"]) if op["shape"] else \
                    getattr(torch, op["op"])(())
                assert t.dtype == torch.float32 and list(t.shape) == op["shape"]
                data = t.contiguous().numpy().tobytes()
                if op.pop("digest", False):
                    op["fnv1a64"] = fnv1a64(data)
                else:
                    op["bytes"] = data.hex()
    return cases


def record_prints(cases):
    import torch
    for case in cases:
        torch.manual_seed(int(case["seed"]))
        case["str"] = str(torch.randn(*case["shape"]))
    return cases


ERROR_SHAPES = [("randn", [-1]), ("rand", [2, -3]), ("randn", [0, -2]), ("rand", [-5])]


def record_errors():
    """PyTorch's message for each bad shape, and proof that the failed call
    drew nothing: the next draw is the seed's first."""
    import torch
    cases = []
    for op, shape in ERROR_SHAPES:
        torch.manual_seed(3)
        try:
            getattr(torch, op)(*shape)
            raise SystemExit("torch.%s%s did not fail" % (op, tuple(shape)))
        except RuntimeError as e:
            message = str(e).split("\n")[0]
        after = torch.rand(4).numpy().tobytes().hex()
        cases.append({"op": op, "shape": shape, "message": message, "seed": "3",
                      "rand4_after": after})
    return cases


# What torch.__config__.show() says ATen runs, for each capability asked
# for (AVX512 falls back to AVX2 on a CPU without it).
SHOWN = {"avx2": ("AVX2",), "default": ("NO AVX",), "avx512": ("AVX512", "AVX2")}


def shown_capability(torch):
    for line in torch.__config__.show().split("\n"):
        if "CPU capability usage:" in line:
            return line.split(":", 1)[1].strip()
    return None


def recorded(capability):
    """The child's record, once ATen is checked to run `capability`."""
    import torch
    shown = shown_capability(torch)
    assert shown in SHOWN[capability], "ATEN_CPU_CAPABILITY=%s, ATen runs %s" % (capability, shown)
    result = {"cases": record(cases_for(capability)), "capability": shown}
    if capability == "avx2":
        result["prints"] = record_prints([print_case(n) for n in PRINT_CASES])
        result["errors"] = record_errors()
    return result


def child(capability):
    """Records in a forked child whose ATen runs `capability`; returns a
    function that waits for it and gives its record (so that the children
    run at once, each on its own core)."""
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        code = 0
        try:
            if capability != "avx2":
                os.environ["ATEN_CPU_CAPABILITY"] = capability
            else:
                os.environ.pop("ATEN_CPU_CAPABILITY", None)
            with os.fdopen(write_end, "w") as f:
                json.dump(recorded(capability), f)
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stderr.flush()
        os._exit(code)
    os.close(write_end)

    def result():
        with os.fdopen(read_end) as f:
            out = f.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:
            raise RuntimeError("the %s child failed (status %d)" % (capability, status))
        return json.loads(out)
    return result


def cases_for(capability):
    cases = [seed_case(s) for s in SEEDS]
    cases += [random_seed_case(n) for n in RANDOM_SEED_CASES]
    cases += [sequence_case(n) for n in SEQUENCE_CASES]
    # The big draws have fixed seeds and no salt: every salt would record the
    # same values for the same checks, and their digests cost seconds of
    # Python, so only the committed corpus (which test_torch_rng reads) has them.
    if str(SALT) == str(COMMITTED_SALT):
        cases.append(big_case())
    if capability != "avx2":   # the other kernels: randn of 16 and more
        cases = [c for c in cases if c["name"] in ("seed 42", "seed 7")
                 or c["name"].startswith("sequence") or c["name"] == "big draws"]
    return cases


def main():
    global SALT
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        capability = sys.argv[2]
        SALT = sys.argv[4]
        json.dump(recorded(capability), sys.stdout)
        return
    args = arguments(__doc__, SALT)
    SALT = args.salt
    import tempfile
    import torch
    sections = {}
    helper = tempfile.TemporaryDirectory(prefix="torch-rng-fnv-")
    if str(SALT) == str(COMMITTED_SALT):  # only the committed corpus has the big draws
        fnv1a64_in_c(helper.name)
    results = [child(capability) for capability in CAPABILITIES]  # all started, then read in order
    for capability, result in zip(CAPABILITIES, results):
        got = result()
        sections["cases_" + capability] = got["cases"]
        for extra in ("prints", "errors"):
            if extra in got:
                sections[extra] = got[extra]
    write_jsonl(os.path.join(args.out, "torch_rng_corpus.jsonl"),
                {"torch_version": torch.__version__, "salt": SALT}, sections)
    helper.cleanup()


if __name__ == "__main__":
    main()
