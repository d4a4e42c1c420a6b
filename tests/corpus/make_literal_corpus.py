"""Writes the tensor-core corpus that tests/test_tensor.c replays: what
PyTorch 1.13 makes of Python literals (torch.tensor), torch.result_type for
every pair of operand kinds, the geometry of views (shape, strides, offset,
contiguity, shared storage) and their errors, and dtype conversions.

Run with Debian's Python, which has torch 1.13 (the pyenv python3 on PATH
does not):

    /usr/bin/python3 tests/corpus/make_literal_corpus.py [--out DIR]

Output: tests/data/literal_corpus.jsonl, one case a line
(tests/corpus/corpus_lib.py), so that adding a case adds a line and changes
none. Deterministic: no randomness, so the script takes no seed.

Sections:
  literals      {"text", "expect"}: text is the literal as torch.tensor gets
                it; expect is {"dtype", "shape", "data"} (hex of raw
                little-endian C-order bytes) or {"error"} (first line of
                PyTorch's message).
  result_type   {"a", "b", "expect"}: a and b are {"kind": "dim" | "0d" |
                "py", "dtype"}; "py" is a Python number (float64: a float,
                int64: an int, bool: True). expect is the dtype name.
  views         {"base": {"dtype", "shape", "data"}, "steps", "expect"}:
                steps apply in order to the base:
                  ["index", [i, ...]]             t[i, j, k]
                  ["select", dim, i]              t.select(dim, i)
                  ["slice", dim, start, end, step] t[:, ..., start:end:step]
                  ["transpose", d0, d1] ["expand", [sizes]]
                  ["unsqueeze", d] ["squeeze", d] ["reshape", [sizes]]
                  ["contiguous"] ["clone"]
                expect is {"shape", "strides", "offset", "contiguous",
                "shares_storage" (with the base), "same_object" (the last
                step returned its input), "data"} or {"error"}.
  conversions   {"src": {"dtype", "shape", "data", "steps"}, "to",
                "expect": {"data", "same_object"}}: Tensor.to(dtype).
"""

import math
import os

import torch

from corpus_lib import arguments, write_jsonl


F32, F64, I64, B8 = torch.float32, torch.float64, torch.int64, torch.bool
ALL_DTYPES = [B8, I64, F32, F64]
DTYPE_NAMES = {B8: "bool", I64: "int64", F32: "float32", F64: "float64"}


def raw_hex(t):
    """Little-endian C-order bytes; numpy's bool is one byte, as C's."""
    return t.contiguous().numpy().tobytes().hex()


def first_line(e):
    return str(e).split("\n")[0]


def tensor_json(t):
    return {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape), "data": raw_hex(t)}


# ---- literals ----

LITERALS = [
    "(1.5, 2.5)", "[(1, 2), (3, 4)]", "(1.5,)", "()", "(1.5)", "((1, 2), [3, 4])",
    "[1, (2, 3)]", "[1., (2, 3)]", "[(1,), 2]", "[[], ()]", "((), ())", "[(1, 2), (3,)]",
    "(True, False)", "[((1)), 2]", "( 1 , )", "[(), 1]",
    "[[1.,2.],[3.,4.]]",
    "[[1.,2.,3.],[4.,5.,6.]]",
    "[1, 2, 3]",
    "[-1, -2, 0]",
    "[True, False, True]",
    "[[True], [False]]",
    "[1.5e3, -2.5E-2, 3]",
    "[1., 2, 3]",
    "[1, True]",
    "[1.5, True]",
    "[0.1, 0.2, 0.3]",
    "[-0.0, 0.0]",
    "[.5, 5., -.25e-1]",
    "[1e39, -1e39]",
    "[1e400]",
    "[1e-50]",
    "[9223372036854775807, -9223372036854775808]",
    "[[1, 2], [3, 4], [5, 6]]",
    "[[[1, 2]], [[3, 4]]]",
    "[ 1 , 2 ]",
    "[\n  [1, 2],\n  [3, 4]\n]",
    "[]",
    "[[]]",
    "[[], []]",
    "[[[]]]",
    "3.5",
    "-7",
    "True",
    "[[1,2],[3]]",
    "[[1],[2,3]]",
    "[[1], []]",
    "[[[1,2]],[[3]]]",
    "[[1, 2], [3, 4], [5]]",
    "[9223372036854775808]",
    "[-9223372036854775809]",
    "[[1,2],3]",
    "[[], [1]]",
    "[[], [1, 2, 3]]",
    "[[], 5]",
    "[[[]], [1]]",
    "[1, []]",
    "[1.5, [2]]",
    "[True, [False]]",
    "[[1,2],[3,[4]]]",
    "[1, 2,]",
    "[1, [2, 3]]",
]


def literal_cases():
    cases = []
    for text in LITERALS:
        case = {"text": text}
        try:
            case["expect"] = tensor_json(torch.tensor(eval(text)))
        except Exception as e:  # PyTorch's message is the expectation
            case["expect"] = {"error": first_line(e)}
        cases.append(case)
    return cases


# ---- result_type ----

def operand(kind, dtype):
    if kind == "dim":
        return torch.zeros(2, dtype=dtype)
    if kind == "0d":
        return torch.zeros((), dtype=dtype)
    return {F64: 1.5, I64: 2, B8: True}[dtype]


def result_type_cases():
    kinds = [("dim", dt) for dt in ALL_DTYPES] + [("0d", dt) for dt in ALL_DTYPES]
    kinds += [("py", F64), ("py", I64), ("py", B8)]
    cases = []
    for ka in kinds:
        for kb in kinds:
            if ka[0] == "py" and kb[0] == "py":
                continue  # torch.result_type needs a tensor
            got = torch.result_type(operand(*ka), operand(*kb))
            cases.append({"a": {"kind": ka[0], "dtype": DTYPE_NAMES[ka[1]]},
                          "b": {"kind": kb[0], "dtype": DTYPE_NAMES[kb[1]]},
                          "expect": DTYPE_NAMES[got]})
    return cases


# ---- views ----

def apply_step(t, step):
    kind = step[0]
    if kind == "index":
        # t[i] and t[i, j] differ on a 0-d tensor, so spell them as Python does
        return t[step[1][0]] if len(step[1]) == 1 else t[tuple(step[1])]
    if kind == "select":  # tensor_select is Tensor.select, with select()'s wording
        return t.select(step[1], step[2])
    if kind == "slice":
        dim, start, end, step_ = step[1:]
        if -t.dim() <= dim < t.dim():
            return t[(slice(None),) * (dim % t.dim()) + (slice(start, end, step_),)]
        return torch.ops.aten.slice(t, dim, start, end, step_)
    if kind == "transpose":
        return t.transpose(step[1], step[2])
    if kind == "expand":
        return t.expand(*step[1])
    if kind == "unsqueeze":
        return t.unsqueeze(step[1])
    if kind == "squeeze":
        return t.squeeze(step[1])
    if kind == "reshape":
        return t.reshape(step[1])
    if kind == "contiguous":
        return t.contiguous()
    if kind == "clone":
        return t.clone()
    raise ValueError(kind)


def base_tensor(dtype, shape):
    n = 1
    for d in shape:
        n *= d
    if dtype == B8:
        return (torch.arange(n) % 3 == 0).reshape(shape)
    if dtype == I64:
        return torch.arange(n).reshape(shape)
    # halves, so a float-to-int mixup shows in the values
    return (torch.arange(n) + 0.5).to(dtype).reshape(shape)


VIEWS = [
    # (base shape, steps); float32 unless the shape comes with a dtype
    ([2, 3, 4], [["index", [0, 1, 0]]]),
    ([2, 3, 4], [["index", [1]]]),
    ([2, 3, 4], [["index", [1, -1]]]),
    ([2, 3, 4], [["index", [-2, 0, -1]]]),
    ([2, 3, 4], [["index", []]]),
    ([2, 3, 4], [["index", [2]]]),
    ([2, 3, 4], [["index", [0, -5]]]),
    ([2, 3, 4], [["index", [0, 1, 4]]]),
    ([2, 3, 4], [["index", [0, 0, 0, 0]]]),
    ([], [["index", [0]]]),
    ([], [["index", []]]),
    ([], [["index", [0, 0]]]),
    ([2], [["index", [0, 0]]]),
    ([2, 3, 4], [["transpose", 0, 2], ["index", [3, 2, 1]]]),
    ([2, 3, 4], [["select", 1, 2]]),
    ([2, 3, 4], [["select", -1, 3]]),
    ([2, 3, 4], [["select", 0, -1]]),
    ([2, 3, 4], [["select", 2, 4]]),
    ([2, 3, 4], [["select", 1, -4]]),
    ([2, 3, 4], [["select", 3, 0]]),
    ([2, 3, 4], [["select", -4, 0]]),
    ([], [["select", 0, 0]]),
    ([2, 3, 4], [["slice", 1, 0, 2, 1]]),
    ([2, 3, 4], [["slice", 2, 1, 4, 2]]),
    ([2, 3, 4], [["slice", 0, -1, 100, 1]]),
    ([2, 3, 4], [["slice", -1, -3, -1, 1]]),
    ([2, 3, 4], [["slice", 2, 3, 1, 1]]),
    ([2, 3, 4], [["slice", 1, -100, 100, 2]]),
    ([2, 3, 4], [["slice", 1, 0, 3, -1]]),
    ([2, 3, 4], [["slice", 1, 0, 3, 0]]),
    ([2, 3, 4], [["slice", 3, 0, 1, 1]]),
    ([10], [["slice", 0, 1, 9, 3], ["slice", 0, 1, 3, 1]]),
    ([2, 3, 4], [["transpose", 0, 2]]),
    ([2, 3, 4], [["transpose", -1, 0]]),
    ([2, 3, 4], [["transpose", 1, 1]]),
    ([2, 3, 4], [["transpose", 0, 3]]),
    ([2, 3, 4], [["transpose", -4, 0]]),
    ([], [["transpose", 0, -1]]),
    ([3, 1], [["expand", [2, 3, 4]]]),
    ([3, 1], [["expand", [-1, 5]]]),
    ([3, 1], [["expand", [3, 1]]]),
    ([3, 1], [["expand", [3, 0]]]),
    ([], [["expand", [2, 2]]]),
    ([2, 3], [["expand", [3, 3]]]),
    ([2, 3], [["expand", [3]]]),
    ([2, 3], [["expand", [-1, 2, 3]]]),
    ([3, 1], [["transpose", 0, 1], ["expand", [4, 2, 3]]]),
    ([2, 3, 4], [["unsqueeze", 0]]),
    ([2, 3, 4], [["unsqueeze", 3]]),
    ([2, 3, 4], [["unsqueeze", -1]]),
    ([2, 3, 4], [["unsqueeze", 1]]),
    ([2, 3, 4], [["unsqueeze", 4]]),
    ([2, 3, 4], [["unsqueeze", -5]]),
    ([], [["unsqueeze", 0]]),
    ([2, 3, 4], [["transpose", 0, 2], ["unsqueeze", 1]]),
    ([2, 1, 3], [["squeeze", 1]]),
    ([2, 1, 3], [["squeeze", 0]]),
    ([2, 1, 3], [["squeeze", -2]]),
    ([2, 1, 3], [["squeeze", 3]]),
    ([], [["squeeze", 0]]),
    ([], [["squeeze", 1]]),
    ([2, 3, 4], [["reshape", [6, 4]]]),
    ([2, 3, 4], [["reshape", [-1]]]),
    ([2, 3, 4], [["reshape", [4, -1, 2]]]),
    ([2, 3, 4], [["reshape", [2, 1, 12]]]),
    ([2, 3, 4], [["reshape", [1, 24, 1]]]),
    ([2, 3, 4], [["reshape", [2, 3, 4]]]),
    ([2, 3, 4], [["transpose", 0, 2], ["reshape", [24]]]),
    ([2, 3, 4], [["transpose", 1, 2], ["reshape", [2, 12]]]),
    ([2, 3, 4], [["transpose", 1, 2], ["reshape", [8, 3]]]),
    ([2, 3, 4], [["transpose", 0, 1], ["reshape", [3, 8]]]),
    ([2, 3, 4], [["transpose", 0, 1], ["reshape", [3, 2, 2, 2]]]),
    ([2, 3, 4], [["slice", 2, 0, 4, 2], ["reshape", [12]]]),
    ([2, 3, 4], [["slice", 2, 0, 4, 2], ["reshape", [2, 6]]]),
    ([2, 3, 4], [["slice", 0, 0, 1, 1], ["reshape", [12]]]),
    ([2, 3, 4], [["select", 2, 1], ["reshape", [6]]]),
    ([2, 3, 4], [["select", 1, 1], ["reshape", [8]]]),
    ([3, 1], [["expand", [3, 4]], ["reshape", [12]]]),
    ([3, 1], [["expand", [3, 4]], ["reshape", [3, 2, 2]]]),
    ([3, 1], [["expand", [2, 3, 4]], ["reshape", [6, 4]]]),
    ([0, 3], [["reshape", [-1]]]),
    ([0, 3], [["reshape", [3, 0]]]),
    ([0, 3], [["reshape", [-1, 0]]]),
    ([], [["reshape", [1, 1]]]),
    ([1], [["reshape", []]]),
    ([2, 3], [["reshape", [4]]]),
    ([2, 3], [["reshape", [-1, -1]]]),
    ([2, 3, 4], [["reshape", [-1, 5]]]),
    ([2, 3, 4], [["reshape", [-2, 12]]]),
    ([2, 3, 4], [["contiguous"]]),
    ([2, 3, 4], [["transpose", 0, 1], ["contiguous"]]),
    ([2, 3, 4], [["slice", 0, 0, 1, 1], ["contiguous"]]),
    ([3, 1], [["expand", [3, 4]], ["contiguous"]]),
    ([2, 3, 4], [["clone"]]),
    ([2, 3, 4], [["transpose", 0, 1], ["clone"]]),
    ([2, 3, 4], [["transpose", 1, 2], ["select", 0, 1], ["contiguous"]]),
    ([(I64, [2, 3])], [["transpose", 0, 1], ["index", [2, 1]]]),
    ([(B8, [2, 3])], [["transpose", 0, 1], ["reshape", [6]]]),
    ([(F64, [2, 3])], [["unsqueeze", 1], ["expand", [2, 4, 3]], ["select", 1, 3]]),
]


def view_case(base_spec, steps):
    if base_spec and isinstance(base_spec[0], tuple):
        dtype, shape = base_spec[0]
    else:
        dtype, shape = F32, base_spec
    base = base_tensor(dtype, shape)
    case = {"base": tensor_json(base), "steps": steps}
    t, prev = base, None
    try:
        for step in steps:
            prev, t = t, apply_step(t, step)
    except Exception as e:  # PyTorch's message is the expectation
        case["expect"] = {"error": first_line(e)}
        return case
    case["expect"] = {
        "shape": list(t.shape),
        "strides": list(t.stride()),
        "offset": t.storage_offset(),
        "contiguous": t.is_contiguous(),
        "shares_storage": t.storage().data_ptr() == base.storage().data_ptr(),
        "same_object": t is prev,
        "data": raw_hex(t),
    }
    return case


# ---- conversions ----

BIG = 2.0 ** 63
CONVERSION_SOURCES = [
    (F32, [math.nan, math.inf, -math.inf, 1e20, -1e20, -2.7, 2.7, 0.5, -0.0, BIG, -BIG, 1.5e-45]),
    (F64, [math.nan, math.inf, -math.inf, 1e20, -1e20, -2.7, 2.7, 0.5, -0.0, BIG, -BIG,
           BIG - 1024, 1e300, -1e300, 1e-300, 0.1, 5e-324]),
    (I64, [0, 1, -1, 2 ** 53 + 1, 2 ** 63 - 1, -(2 ** 63), 16777217, 3]),
    (B8, [True, False, True]),
]


def conversion_cases():
    cases = []
    for dtype, values in CONVERSION_SOURCES:
        src = torch.tensor(values, dtype=dtype)
        for to in ALL_DTYPES:
            out = src.to(to)
            cases.append({"src": dict(tensor_json(src), steps=[]), "to": DTYPE_NAMES[to],
                          "expect": {"data": raw_hex(out), "same_object": out is src}})
    # a strided source: the copy must read through the strides
    base = torch.tensor([[1.5, -2.5, math.nan], [1e30, -0.0, 7.9]], dtype=F64)
    steps = [["transpose", 0, 1]]
    src = base.transpose(0, 1)
    for to in ALL_DTYPES:
        out = src.to(to)
        cases.append({"src": dict(tensor_json(base), steps=steps), "to": DTYPE_NAMES[to],
                      "expect": {"data": raw_hex(out), "same_object": out is src}})
    return cases


def main():
    args = arguments(__doc__, None, randomized=False)
    corpus = {
        "literals": literal_cases(),
        "result_type": result_type_cases(),
        "views": [view_case(b, s) for b, s in VIEWS],
        "conversions": conversion_cases(),
    }
    out = write_jsonl(os.path.join(args.out, "literal_corpus.jsonl"),
                      {"torch_version": torch.__version__}, corpus)
    print("%d literals, %d result_type pairs, %d views, %d conversions -> %s" % (
        len(corpus["literals"]), len(corpus["result_type"]), len(corpus["views"]),
        len(corpus["conversions"]), os.path.relpath(out)))


if __name__ == "__main__":
    main()
