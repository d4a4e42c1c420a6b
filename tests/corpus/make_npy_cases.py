"""Writes the .npy test files: good ones of every supported dtype and format
version with the text PyTorch 1.13 prints for them, and bad ones with the
words the loader's error must contain.

Run with Debian's Python, which has torch 1.13 and numpy (the pyenv
python3 on PATH has neither):

    /usr/bin/python3 tests/corpus/make_npy_cases.py [--seed SALT] [--out DIR]

Outputs DIR/npy/*.npy (default tests/data) and DIR/npy/expected.jsonl, the
manifest, one file a line (tests/corpus/corpus_lib.py). Deterministic: a
random array draws from a generator seeded by the hash of the salt (--seed,
default the committed one) and its name.
"""

import io
import math
import os
import shutil
import struct

import numpy as np
import torch

from corpus_lib import arguments, case_seed, write_jsonl

SALT = 5  # the committed corpus's
OUT = None  # DIR/npy, set by main()

DEFAULT_OPTIONS = dict(precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None)
OPTION_SETS = [
    DEFAULT_OPTIONS,
    dict(precision=2, threshold=5, edgeitems=1, linewidth=40, sci_mode=True),
]



def case_rng(name):
    """The generator of the array `name`, its own."""
    return np.random.default_rng(case_seed(SALT, name))


def printed(array, options):
    torch.set_printoptions(**options)
    try:
        return str(torch.from_numpy(array))
    finally:
        torch.set_printoptions(**DEFAULT_OPTIONS)


def write_npy(name, array, version):
    with open(os.path.join(OUT, name), "wb") as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=False)


def good_arrays():
    """(tag, array) pairs covering each dtype in several shapes."""
    f4 = case_rng("f4_2x3").standard_normal((2, 3)).astype("<f4")
    f4[0, 1] = np.nan
    return [
        ("f4_2x3", f4),
        ("f4_scalar", np.array(3.25, dtype="<f4")),
        ("f4_empty_0x3", np.zeros((0, 3), dtype="<f4")),
        ("f4_long", (np.arange(12, dtype="<f4") / 7)),
        ("f8_3", np.array([1e-5, 2.5, -math.inf], dtype="<f8")),
        ("f8_2x2x2", case_rng("f8_2x2x2").standard_normal((2, 2, 2)) * 1e3),
        ("f8_empty", np.zeros((0,), dtype="<f8")),
        ("i8_4", np.array([0, -1, 2 ** 63 - 1, -(2 ** 63)], dtype="<i8")),
        ("i8_3x4", np.arange(12, dtype="<i8").reshape(3, 4)),
        ("i8_scalar", np.array(-7, dtype="<i8")),
        ("b1_5", np.array([True, False, True, True, False])),
        ("b1_2x2", np.array([[True, False], [False, True]])),
        ("b1_empty_2x0", np.zeros((2, 0), dtype=bool)),
    ]


def write_good_files(manifest):
    for version in ((1, 0), (2, 0), (3, 0)):
        for tag, array in good_arrays():
            name = "good_%s_v%d.npy" % (tag, version[0])
            write_npy(name, array, version)
            manifest["good"].append({
                "file": name,
                "expected": [{"options": o, "text": printed(array, o)}
                             for o in OPTION_SETS],
            })


def header_bytes(header_text, version=(1, 0), pad=True):
    """A hand-made preamble: magic, version, length, header (padded as NumPy
    pads it, to a multiple of 64 bytes with a closing newline)."""
    text = header_text.encode("utf-8")
    length_size = 2 if version[0] == 1 else 4
    if pad:
        total = 6 + 2 + length_size + len(text) + 1
        text += b" " * ((64 - total % 64) % 64) + b"\n"
    length = struct.pack("<H" if length_size == 2 else "<I", len(text))
    return b"\x93NUMPY" + bytes(version) + length + text


def raw(header_text, body=b"", version=(1, 0), pad=True):
    return header_bytes(header_text, version, pad) + body


def numpy_bytes(array, version=(1, 0)):
    f = io.BytesIO()
    np.lib.format.write_array(f, array, version=version, allow_pickle=True)
    return f.getvalue()


def bad_files():
    """(name, bytes, words the error must contain)"""
    good = numpy_bytes(np.arange(6, dtype="<f8").reshape(2, 3))
    f8_header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
    body = np.arange(6, dtype="<f8").tobytes()
    return [
        ("empty.npy", b"", "not a .npy file"),
        ("bad_magic.npy", b"\x93NUMPX" + good[6:], "not a .npy file"),
        ("text_file.npy", b"hello, world\n", "not a .npy file"),
        ("version_4.npy", good[:6] + b"\x04\x00" + good[8:], "unsupported .npy format version 4.0"),
        ("version_1_1.npy", good[:6] + b"\x01\x01" + good[8:], "unsupported .npy format version 1.1"),
        ("version_0.npy", good[:6] + b"\x00\x00" + good[8:], "unsupported .npy format version 0.0"),
        ("only_magic.npy", good[:7], "truncated header"),
        ("truncated_length.npy", good[:9], "truncated header"),
        ("truncated_header.npy", good[:40], "truncated header"),
        ("truncated_body.npy", good[:-5], "truncated data"),
        ("header_only.npy", good[:len(good) - 48], "truncated data"),
        ("trailing_bytes.npy", good + b"\x00\x01\x02", "3 unexpected bytes after the data"),
        ("fortran_order.npy", numpy_bytes(np.asfortranarray(np.arange(6.0).reshape(2, 3))),
         "Fortran-order arrays are not supported"),
        ("big_endian.npy", numpy_bytes(np.arange(3, dtype=">f8")), "big-endian data ('>f8')"),
        ("big_endian_i8.npy", numpy_bytes(np.arange(3, dtype=">i8")), "big-endian data ('>i8')"),
        ("int32.npy", numpy_bytes(np.arange(3, dtype="<i4")), "unsupported dtype '<i4'"),
        ("uint8.npy", numpy_bytes(np.arange(3, dtype="u1")), "unsupported dtype '|u1'"),
        ("float16.npy", numpy_bytes(np.arange(3, dtype="<f2")), "unsupported dtype '<f2'"),
        ("complex.npy", numpy_bytes(np.arange(3, dtype="<c16")), "unsupported dtype '<c16'"),
        ("object.npy", numpy_bytes(np.array([1, "a", None], dtype=object)), "unsupported dtype '|O'"),
        ("unicode.npy", numpy_bytes(np.array(["ab", "c"])), "unsupported dtype '<U2'"),
        ("structured.npy", numpy_bytes(np.zeros(2, dtype=[("a", "<f4"), ("b", "<i8")])),
         "structured dtypes are not supported"),
        ("huge_shape.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"),
         "too large"),
        ("huge_bytes.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904,), }"),
         "too large"),
        ("huge_dimension.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }"),
         "too large"),
        ("large_truncated.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }"),
         "truncated data"),
        ("too_many_dims.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (%s), }"
                                  % ", ".join(["1"] * 17), struct.pack("<d", 1.0)),
         "more than 16 dimensions"),
        ("negative_dim.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (-2, 3), }"),
         "malformed .npy header"),
        ("shape_not_tuple.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (6), }", body),
         "'shape' must be a tuple"),
        ("shape_list.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': [2, 3], }", body),
         "'shape' must be a tuple"),
        ("missing_shape.npy", raw("{'descr': '<f8', 'fortran_order': False, }", body), "no 'shape'"),
        ("missing_descr.npy", raw("{'fortran_order': False, 'shape': (2, 3), }", body), "no 'descr'"),
        ("extra_key.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", body),
         "unexpected key"),
        ("duplicate_key.npy", raw("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}", body),
         "a key appears twice"),
        ("not_a_dict.npy", raw("['descr', '<f8']", body), "expected a dict"),
        ("unclosed_dict.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), ", body),
         "malformed .npy header"),
        ("missing_colon.npy", raw("{'descr' '<f8', 'fortran_order': False, 'shape': (2, 3)}", body),
         "expected ':'"),
        ("bad_bool.npy", raw("{'descr': '<f8', 'fortran_order': maybe, 'shape': (2, 3)}", body),
         "'fortran_order' must be True or False"),
        ("unterminated_string.npy", raw("{'descr': '<f8, 'fortran_order': False, 'shape': (2, 3)}", body),
         "malformed .npy header"),
        ("junk_after_dict.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)} junk", body),
         "text after the dict"),
        ("long_descr.npy", raw("{'descr': '<f8abcdefghijklmnopqrstuvwxyz0123456789', 'fortran_order': False, 'shape': (2, 3)}", body),
         "unsupported dtype"),
    ]


def odd_but_good_files():
    """Headers NumPy would not write but reads fine; we must read them too.
    The printed text is that of `array`."""
    a = np.arange(6, dtype="<f8").reshape(2, 3) / 4
    body = a.tobytes()
    b = np.array([True, False, True])
    return [
        ("odd_key_order.npy", raw("{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8'}", body), a),
        ("odd_spacing.npy", raw("{ 'descr' :'<f8' ,'fortran_order':False,'shape':( 2 ,3 ) }", body), a),
        ("odd_double_quotes.npy", raw('{"descr": "<f8", "fortran_order": False, "shape": (2, 3,),}', body), a),
        ("odd_unpadded.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}", body, pad=False), a),
        ("odd_long_suffix.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }", body), a),
        ("odd_v2_unpadded.npy", raw("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}", body,
                                    version=(2, 0), pad=False), a),
        ("odd_bool_bytes.npy", raw("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
                                   b"\x07\x00\xff"), b),
    ]


def main():
    global SALT, OUT
    args = arguments(__doc__, SALT)
    SALT, OUT = args.salt, os.path.join(args.out, "npy")
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    manifest = {"good": [], "bad": []}
    write_good_files(manifest)
    for name, data, array in odd_but_good_files():
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            f.write(data)
        if "bool_bytes" not in name:  # NumPy keeps the raw bytes there
            assert np.array_equal(np.load(path), array), name
        manifest["good"].append({
            "file": name,
            "expected": [{"options": o, "text": printed(array, o)} for o in OPTION_SETS],
        })
    for name, data, words in bad_files():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        manifest["bad"].append({"file": name, "error_contains": words})
    write_jsonl(os.path.join(OUT, "expected.jsonl"),
                {"numpy_version": np.__version__, "torch_version": torch.__version__, "salt": SALT},
                manifest)
    print("%d good files, %d bad files" % (len(manifest["good"]), len(manifest["bad"])))


if __name__ == "__main__":
    main()
