#!/usr/bin/python3
"""make_bad_goldens.py: writes tests/data/golden/*.json, goldens broken in one
way each (plus two valid variants), for test_golden.c's error-path tests.

Every fixture starts from a real golden written by golden/generate.py
(golden/cell-03.json), so none of the PyTorch output in them is typed by
hand; only the breakage is. Needs no torch:

    /usr/bin/python3 tests/corpus/make_bad_goldens.py
"""

import copy
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE = REPO_ROOT / "golden" / "cell-03.json"
OUT_DIR = REPO_ROOT / "tests" / "data" / "golden"


def dump(record):
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def edited(base, change):
    record = copy.deepcopy(base)
    change(record)
    return dump(record)


def set_key(key, value):
    return lambda r: r.__setitem__(key, value)


def set_line(index, key, value):
    return lambda r: r["lines"][index].__setitem__(key, value)


def without(key):
    return lambda r: r.pop(key)


def as_format_1(record):
    """The fixtures break format 1 (each line in "stdout" and in "lines"),
    which nbreplay still reads; the committed goldens are format 2."""
    if record.get("format") != 2:
        return record
    record = dict(record, format=1)
    lines = [{"text": l} if isinstance(l, str) else l for l in record["lines"]]
    record["stdout"] = "\n".join(l["text"] for l in lines) + ("\n" if record.pop("final_newline") else "")
    record["lines"] = lines
    return record


def fixtures(base):
    """{file name: text}. Edited ones change one thing of the real golden."""
    text = dump(base)
    size_line = base["lines"].index({"text": "torch.Size([3, 2, 2])"})
    return {
        # valid variants
        "pattern-ok.json": edited(base, set_line(size_line, "pattern", r"torch\.Size\(\[\d+, \d+, \d+\]\)")),
        "params-ok.json": edited(base, set_key("params", {"n": 3, "device": "cpu", "neg": -12})),
        # not JSON, or not all of it
        "empty.json": "",
        "not-json.json": "tensor([1., 2.])\n",
        "truncated.json": text[: len(text) // 2],
        "trailing-garbage.json": text + "}\n",
        "nul-byte.json": text[:40] + "\0" + text[40:],
        "nul-escape.json": edited(base, lambda r: (r.__setitem__("stdout", "\0" + r["stdout"]),
                                                   r["lines"][0].__setitem__("text", "\0" + r["lines"][0]["text"]))),
        "duplicate-key.json": text.replace('"seed": 0,', '"seed": 0,\n "seed": 1,', 1),
        # wrong shape
        "top-array.json": dump([base]),
        "format-3.json": edited(base, set_key("format", 3)),
        "format-missing.json": edited(base, without("format")),
        "unknown-key.json": edited(base, set_key("colour", "red")),
        "missing-stdout.json": edited(base, without("stdout")),
        "source-number.json": edited(base, set_key("source", 3)),
        "name-bad.json": edited(base, set_key("name", "Add Tensors")),
        "cell-too-big.json": edited(base, set_key("cell", 100)),
        "seed-negative.json": edited(base, set_key("seed", -1)),
        "seed-too-big.json": edited(base, set_key("seed", 2**32)),
        "seed-fraction.json": edited(base, set_key("seed", 0.5)),
        "seed-string.json": edited(base, set_key("seed", "0")),
        "params-array.json": edited(base, set_key("params", ["n", 3])),
        "params-float.json": edited(base, set_key("params", {"n": 1.5})),
        "params-too-many.json": edited(base, set_key("params", {f"p{i}": i for i in range(17)})),
        "versions-no-torch.json": edited(base, lambda r: r["versions"].pop("torch")),
        "lines-object.json": edited(base, set_key("lines", {"text": "x"})),
        "line-string.json": edited(base, lambda r: r["lines"].__setitem__(0, "tensor")),
        "line-text-number.json": edited(base, set_line(0, "text", 5)),
        "line-unknown-key.json": edited(base, set_line(0, "colour", "red")),
        "line-pattern-number.json": edited(base, set_line(0, "pattern", 1)),
        "line-newline.json": edited(base, set_line(0, "text", "a\nb")),
        # "lines" and "stdout" disagree
        "lines-differ.json": edited(base, set_line(2, "text", "changed")),
        "lines-extra.json": edited(base, lambda r: r["lines"].append({"text": "one more"})),
        "lines-empty-last.json": edited(base, lambda r: r["lines"].append({"text": ""})),
        "lines-missing.json": edited(base, lambda r: r["lines"].pop()),
        # patterns
        "pattern-unbalanced.json": edited(base, set_line(0, "pattern", r"tensor\(\[\[\[(5")),
        "pattern-bad-escape.json": edited(base, set_line(0, "pattern", "tensor\\")),
    }


def main():
    if not SOURCE.exists():
        print(f"make_bad_goldens.py: {SOURCE} is missing; run golden/generate.py first", file=sys.stderr)
        return 1
    base = as_format_1(json.loads(SOURCE.read_text(encoding="utf-8")))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    made = fixtures(base)
    for name, text in made.items():
        (OUT_DIR / name).write_bytes(text.encode("utf-8"))
    print(f"make_bad_goldens.py: wrote {len(made)} files to {OUT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
