#!/usr/bin/python3
"""make_textdiff_cases.py: writes tests/data/textdiff/NAME.old, NAME.new and
NAME.diff, where NAME.diff is what GNU `diff -u` prints for the pair, so
test_golden.c can hold src/app/textdiff.c to diff's own output. The list of
cases goes to tests/data/textdiff/cases.txt. Needs GNU diffutils:

    /usr/bin/python3 tests/corpus/make_textdiff_cases.py
"""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
OUT_DIR = REPO_ROOT / "tests" / "data" / "textdiff"


def numbered(n, prefix="line"):
    return "".join(f"{prefix} {i}\n" for i in range(1, n + 1))


def replace_lines(text, replacements):
    lines = text.splitlines(keepends=True)
    for index, new in replacements.items():
        lines[index] = new
    return "".join(lines)


TEN = numbered(10)
TWENTY = numbered(20)

CASES = {
    "same": (TEN, TEN),
    "one-changed": (TEN, replace_lines(TEN, {4: "line five\n"})),
    "first-changed": (TEN, replace_lines(TEN, {0: "first\n"})),
    "last-changed": (TEN, replace_lines(TEN, {9: "last\n"})),
    "insert-start": (TEN, "new a\nnew b\n" + TEN),
    "insert-middle": (TEN, replace_lines(TEN, {5: "inserted\nline 6\n"})),
    "delete-end": (TEN, numbered(8)),
    "delete-middle": (TWENTY, replace_lines(TWENTY, {9: "", 10: "", 11: ""})),
    "gap-6-joined": (TWENTY, replace_lines(TWENTY, {3: "x\n", 10: "y\n"})),
    "gap-7-split": (TWENTY, replace_lines(TWENTY, {3: "x\n", 11: "y\n"})),
    "replace-block": (TWENTY, replace_lines(TWENTY, {7: "a\n", 8: "b\nc\nd\n", 9: ""})),
    "empty-old": ("", "a\nb\nc\n"),
    "empty-new": ("a\nb\n", ""),
    "one-line-each": ("a\n", "b\n"),
    "no-newline-new": (TEN, TEN[:-1]),
    "no-newline-old": (TEN[:-1], TEN),
    "no-newline-both-changed": ("a\nb\nc", "a\nb\nd"),
    "no-newline-both-same": ("a\nb\nc", "a\nx\nc"),
    "tensor": ("tensor([[1., 2.],\n        [3., 4.]])\ntorch.Size([2, 2])\n",
               "tensor([[1., 2.],\n        [3., 5.]])\ntorch.Size([2, 2])\n"),
}


def gnu_diff(old_path, new_path):
    result = subprocess.run(["diff", "-u", "--label", "old", "--label", "new", str(old_path), str(new_path)],
                            capture_output=True)
    if result.returncode not in (0, 1):
        raise SystemExit(f"make_textdiff_cases.py: diff failed: {result.stderr.decode()}")
    return result.stdout


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, (old, new) in CASES.items():
        old_path, new_path = OUT_DIR / f"{name}.old", OUT_DIR / f"{name}.new"
        old_path.write_text(old, encoding="utf-8")
        new_path.write_text(new, encoding="utf-8")
        (OUT_DIR / f"{name}.diff").write_bytes(gnu_diff(old_path, new_path))
    (OUT_DIR / "cases.txt").write_text("".join(f"{name}\n" for name in CASES), encoding="utf-8")
    print(f"make_textdiff_cases.py: wrote {len(CASES)} cases to {OUT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
