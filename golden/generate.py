#!/usr/bin/python3
"""generate.py: writes golden/cell-NN.json, the output real PyTorch prints for
each notebook cell, which `nbreplay verify` compares the C replay against.

Run it with Debian's Python, the one that has python3-torch and python3-numpy:

    /usr/bin/python3 golden/generate.py              # every cell in cells/
    /usr/bin/python3 golden/generate.py --cells 3 5  # only these goldens
    /usr/bin/python3 golden/generate.py --seed 7 --out /tmp/g
    /usr/bin/python3 golden/generate.py --check      # are the goldens current?

The cells (cells/cellNN_NAME.py) run in notebook order in one shared
namespace, as Jupyter runs them, so a cell may use names an earlier cell
defined. np.random.seed(SEED) runs right before each cell. A requested subset
still runs every earlier cell first (its output discarded).

Lines that differ from run to run (device names, memory sizes, timings) get
a "pattern" from LINE_PATTERN_RULES below; docs/golden.md has the format.
Exit status: 0 done, 1 failure (a cell raised, or --check found stale
goldens), 2 usage, 77 torch or numpy missing (meson counts it as skipped).
"""

import argparse
import ast
import contextlib
import difflib
import io
import json
import os
import platform
import re
import sys
import tempfile
import traceback
from pathlib import Path

FORMAT = 2
DEBIAN_PYTHON = "/usr/bin/python3"
REEXEC_MARKER = "NB_GENERATE_REEXECED"
SKIP_EXIT = 77
SKIP_LINE = ("generate.py: skipped: python3-torch/python3-numpy is not installed "
             "(apt-get install python3-torch python3-numpy)")

REPO_ROOT = Path(__file__).resolve().parent.parent
CELLS_DIR = REPO_ROOT / "cells"
DEFAULT_OUT = REPO_ROOT / "golden"
CELL_FILE = re.compile(r"cell(\d\d)_([a-z0-9_]+)\.py")
GOLDEN_FILE = re.compile(r"cell-(\d\d)\.json")

# Python's repr() of a float: "3.085249333991669", "38.0", "8.3789e-05", "1e+16".
FLOAT_REPR_PATTERN = r"-?(?:\d+\.\d+|\d(?:\.\d+)?e[+-]\d{2,3}|inf|nan)"


# ---------------------------------------------------------------------------
# Run-to-run varying lines. Each rule takes the cell's stdout lines and
# returns one pattern (or None: the line must match exactly) per line.
# Patterns use the part of Python's re syntax that PCRE2 reads the same way
# (docs/golden.md, "Patterns").

def cuda_report_patterns(lines):
    """Cell 1 prints the GPU's name and three memory sizes when CUDA works.

    >>> cuda_report_patterns(["cuda not available"])
    [None]
    >>> cuda_report_patterns(["cuda available", "NVIDIA H100 80GB HBM3",
    ...                       "84929347584", "0", "0"])
    [None, '.+', '\\\\d+', '\\\\d+', '\\\\d+']
    """
    if lines[:1] != ["cuda available"]:
        return [None] * len(lines)
    varying = [None, ".+", r"\d+", r"\d+", r"\d+"]
    return varying[:len(lines)] + [None] * (len(lines) - len(varying))


def timing_patterns(lines):
    """The timing cell prints elapsed seconds, one float per line.

    >>> timing_patterns(["3.085249333991669", "38.63678193092346"]) == [FLOAT_REPR_PATTERN] * 2
    True
    >>> [re.fullmatch(FLOAT_REPR_PATTERN, s) is not None
    ...  for s in ["0.5", "1e-05", "8.3789e-05", "12.0", "0.1.2", "", "3"]]
    [True, True, True, True, False, False, False]
    """
    return [FLOAT_REPR_PATTERN] * len(lines)


LINE_PATTERN_RULES = {
    1: cuda_report_patterns,
    9: timing_patterns,
}


def line_patterns(cell, lines):
    """One pattern or None per line; every pattern full-matches its line.

    >>> line_patterns(3, ["tensor([1, 2])", "torch.Size([2])"])
    [None, None]
    >>> line_patterns(1, ["cuda available", "A GPU", "1", "2", "3"])[1:3]
    ['.+', '\\\\d+']
    >>> line_patterns(9, ["0.25", "took 3 s"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
     ...
    ValueError: cell 9, line 2: pattern ... does not match 'took 3 s'
    """
    rule = LINE_PATTERN_RULES.get(cell)
    patterns = rule(lines) if rule else [None] * len(lines)
    for number, (text, pattern) in enumerate(zip(lines, patterns), start=1):
        if pattern is not None and re.fullmatch(pattern, text) is None:
            raise ValueError(f"cell {cell}, line {number}: pattern {pattern!r} does not match {text!r}")
    return patterns


def split_lines(stdout):
    """stdout's lines; a final newline does not start another line.

    >>> split_lines("a\\nb\\n"), split_lines("a"), split_lines(""), split_lines("\\n")
    (['a', 'b'], ['a'], [], [''])
    """
    lines = stdout.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


# ---------------------------------------------------------------------------
# Cell parameters. A cell that declares parameters (CellParam in its C) runs
# here with these values: each NAME=VALUE assignment line of its Python is
# set to the value before it runs, and the values go into the golden's
# "params", which `nbreplay verify` passes back to the cell. The timing
# cell's notebook size (K=25000, L=10000, M=1000) draws 2 GB and multiplies
# for seconds, too slow to run for every seed; its output is two times
# matched by pattern, so a small product checks the same lines.

CELL_PARAMS = {
    9: {"K": 250, "L": 100, "M": 10},
}


def apply_params(source, params):
    """The source with the assignment line of each parameter set to it.

    >>> apply_params("K=25000\\nL = 3\\nX=K*L\\n", {"K": 5, "L": 7})
    'K=5\\nL=7\\nX=K*L\\n'
    >>> apply_params("K=1\\n", {"Q": 2})
    Traceback (most recent call last):
     ...
    ValueError: parameter Q: expected one line 'Q=...' in the cell, found 0
    """
    for name, value in params.items():
        assignment = re.compile(rf"^{re.escape(name)}[ \t]*=[^=\n][^\n]*$", re.MULTILINE)
        source, count = assignment.subn(f"{name}={value}", source)
        if count != 1:
            raise ValueError(f"parameter {name}: expected one line '{name}=...' in the cell, "
                             f"found {count}")
    return source


# ---------------------------------------------------------------------------
# Running the cells.

class Cell:
    def __init__(self, number, name, path):
        self.number = number
        self.name = name
        self.path = path
        self.source = path.read_text(encoding="utf-8")
        self.params = CELL_PARAMS.get(number, {})
        self.runnable_source = apply_params(self.source, self.params)


def find_cells(cells_dir):
    cells = {}
    for path in sorted(cells_dir.glob("cell*.py")):
        match = CELL_FILE.fullmatch(path.name)
        if not match:
            continue
        number = int(match.group(1))
        if number in cells:
            raise SystemExit(f"generate.py: two files for cell {number}: "
                             f"{cells[number].path.name} and {path.name}")
        cells[number] = Cell(number, match.group(2), path)
    return [cells[n] for n in sorted(cells)]


def ends_with_displayed_value(tree, source):
    """Jupyter shows the value of a cell's last expression, unless a ';'
    ends the cell."""
    return (bool(tree.body) and isinstance(tree.body[-1], ast.Expr)
            and not source.rstrip().endswith(";"))


def run_cell(cell, namespace, seed, np):
    """Runs one cell as Jupyter would and returns what it printed."""
    tree = ast.parse(cell.runnable_source, filename=str(cell.path))
    last_value = None
    if ends_with_displayed_value(tree, cell.runnable_source):
        last = tree.body.pop()
        last_value = compile(ast.Expression(last.value), str(cell.path), "eval")
    body = compile(tree, str(cell.path), "exec")
    captured = io.StringIO()
    np.random.seed(seed)
    with contextlib.redirect_stdout(captured):
        exec(body, namespace)
        shown = eval(last_value, namespace) if last_value else None
    if shown is not None:
        # Jupyter would display this value as Out[N], which is not stdout.
        raise ValueError(f"{cell.path.name}: the last line's value {shown!r} would be shown "
                         "as Out[N], which goldens do not record; print it instead")
    return captured.getvalue()


def golden_record(cell, stdout, seed, versions):
    """Format 2: each line of stdout once. An exact line is its text; a
    varying line is {"text": a sample, "pattern": what it must match}.
    stdout is the lines joined by newlines, plus one if final_newline.

    >>> from types import SimpleNamespace as C
    >>> r = golden_record(C(number=3, name="add", params={}, source="print(1)"), "1\\n", 0, {})
    >>> r["lines"], r["final_newline"], "stdout" in r
    (['1'], True, False)
    """
    lines = split_lines(stdout)
    patterns = line_patterns(cell.number, lines)
    entries = [text if pattern is None else {"text": text, "pattern": pattern}
               for text, pattern in zip(lines, patterns)]
    return {
        "format": FORMAT,
        "cell": cell.number,
        "name": cell.name,
        "seed": seed,
        "params": dict(cell.params),
        "versions": versions,
        "source": cell.source,
        "lines": entries,
        "final_newline": stdout.endswith("\n"),
    }


def golden_stdout(record):
    """The stdout a golden of either format holds.

    >>> golden_stdout({"lines": ["a", {"text": "1.5", "pattern": "x"}], "final_newline": True})
    'a\\n1.5\\n'
    >>> golden_stdout({"stdout": "a\\n", "lines": [{"text": "a"}]})
    'a\\n'
    """
    if "stdout" in record:
        return record["stdout"]
    texts = [line if isinstance(line, str) else line["text"] for line in record["lines"]]
    return "\n".join(texts) + ("\n" if record.get("final_newline") else "")


def golden_text(record):
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def golden_path(out_dir, number):
    return Path(out_dir) / f"cell-{number:02d}.json"


def generate(cells, wanted, seed, torch, np):
    """Runs the cells up to the last wanted one; returns {number: json text}.
    Raises whatever a cell raised."""
    versions = {"python": platform.python_version(),
                "torch": torch.__version__,
                "numpy": np.__version__}
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    last = max(wanted)
    texts = {}
    for cell in cells:
        if cell.number > last:
            break
        stdout = run_cell(cell, namespace, seed, np)
        if cell.number in wanted:
            texts[cell.number] = golden_text(golden_record(cell, stdout, seed, versions))
    return texts


# ---------------------------------------------------------------------------
# Writing and checking.

def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path, text):
    """Replaces path with text, or leaves it as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(temp, 0o666 & ~current_umask())  # mkstemp makes it 0600
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def major_minor(version):
    """The part of a version that --check compares.

    >>> major_minor("1.13.0a0+git"), major_minor("3.11.2"), major_minor("2")
    ('1.13', '3.11', '2')
    """
    return ".".join(re.split(r"[.+]", version)[:2])


def comparable(record):
    """What --check compares of a golden: everything a replay depends on.

    A pattern line's text is a sample of a varying line, so only its pattern
    counts (and the final newline, which format 1 kept in "stdout"). Both
    formats compare alike, so converting one shows only "format" changed.
    Versions count down to major.minor: a patch release of
    Python, torch or numpy that prints the same text leaves the goldens
    valid, while a minor release asks for a regeneration so that the
    recorded provenance stays true.
    """
    record = dict(record)
    lines = [{"text": l} if isinstance(l, str) else l for l in record.get("lines", [])]
    record["lines"] = [{"pattern": l["pattern"]} if "pattern" in l else l for l in lines]
    ends = record.pop("final_newline") if "final_newline" in record else record.get("stdout", "").endswith("\n")
    record.pop("stdout", None)
    record["stdout_ends_with_newline"] = ends
    record["versions"] = {k: major_minor(str(v)) for k, v in record.get("versions", {}).items()}
    return record


def readable_lines(record):
    """The compared part of a golden as short lines, for a diff a person reads."""
    shown = comparable(record)
    lines = [f"{key}: {json.dumps(shown[key], ensure_ascii=False)}"
             for key in sorted(shown) if key != "lines"]
    for number, line in enumerate(shown["lines"], start=1):
        if "pattern" in line:
            lines.append(f"line {number} matches /{line['pattern']}/")
        else:
            lines.append(f"line {number}: {line.get('text')!r}")
    return lines


def stale_reason(path, fresh_text):
    """None when the committed golden at path is current, else a short diff."""
    committed_text = path.read_text(encoding="utf-8")
    try:
        committed = json.loads(committed_text)
    except json.JSONDecodeError as e:
        return f"    not valid JSON: {e}"
    try:
        current = comparable(committed) == comparable(json.loads(fresh_text))
    except (AttributeError, TypeError) as e:
        return f"    malformed golden: {e}"
    if current:
        return None
    diff = list(difflib.unified_diff(readable_lines(committed), readable_lines(json.loads(fresh_text)),
                                     f"{path} (committed)", f"{path} (regenerated)",
                                     n=1, lineterm=""))
    shown = diff[:24]
    if len(diff) > len(shown):
        shown.append(f"... ({len(diff) - len(shown)} more diff lines)")
    return "\n".join("    " + line for line in shown)


def check(texts, out_dir, all_cells):
    problems = []
    for number, text in sorted(texts.items()):
        path = golden_path(out_dir, number)
        if not path.exists():
            problems.append(f"missing: {path}")
            continue
        reason = stale_reason(path, text)
        if reason is not None:
            problems.append(f"stale: {path}\n{reason}")
    if all_cells:
        for path in sorted(Path(out_dir).glob("cell-*.json")):
            match = GOLDEN_FILE.fullmatch(path.name)
            if not match or int(match.group(1)) not in texts:
                problems.append(f"extra: {path} (no cells/cellNN_*.py for it)")
    for problem in problems:
        print(problem)
    if problems:
        print(f"generate.py --check: {len(problems)} golden file(s) stale, missing or extra; "
              f"regenerate with {DEBIAN_PYTHON} golden/generate.py")
        return 1
    print(f"generate.py --check: {len(texts)} golden file(s) up to date")
    return 0


# ---------------------------------------------------------------------------

def import_torch_and_numpy():
    """(torch, numpy), re-running under Debian's Python when this one has no
    torch (a plain `python3` on PATH may be another installation), or exits
    77 when torch or numpy cannot be had at all."""
    try:
        import numpy
        import torch
        return torch, numpy
    except ImportError:
        pass
    here = os.path.realpath(sys.executable)
    if (os.path.exists(DEBIAN_PYTHON) and os.path.realpath(DEBIAN_PYTHON) != here
            and not os.environ.get(REEXEC_MARKER)):
        print(f"generate.py: {sys.executable} has no torch; re-running with {DEBIAN_PYTHON}",
              file=sys.stderr)
        os.environ[REEXEC_MARKER] = "1"
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    print(SKIP_LINE, file=sys.stderr)
    sys.exit(SKIP_EXIT)


def seed_value(text):
    seed = int(text)
    if not 0 <= seed < 2**32:
        raise argparse.ArgumentTypeError("must be in [0, 2**32)")
    return seed


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="generate.py",
        description="Write golden/cell-NN.json from real PyTorch "
                    f"(run with {DEBIAN_PYTHON}).")
    parser.add_argument("--cells", type=int, nargs="+", metavar="N",
                        help="notebook execution numbers (default: every cell in cells/)")
    parser.add_argument("--seed", type=seed_value, default=0,
                        help="np.random.seed before each cell (default 0)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="directory for cell-NN.json (default: golden/)")
    parser.add_argument("--check", action="store_true",
                        help="regenerate in memory and report stale, missing or extra goldens")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    cells = find_cells(CELLS_DIR)
    known = {cell.number for cell in cells}
    wanted = set(args.cells) if args.cells else known
    unknown = sorted(wanted - known)
    if unknown:
        print(f"generate.py: no cells/cellNN_*.py for cell(s) {unknown}", file=sys.stderr)
        return 2
    if not wanted:
        print(f"generate.py: no cells in {CELLS_DIR}", file=sys.stderr)
        return 2
    torch, np = import_torch_and_numpy()
    try:
        texts = generate(cells, wanted, args.seed, torch, np)
    except Exception:
        traceback.print_exc()
        print("generate.py: a cell failed; no golden written", file=sys.stderr)
        return 1
    if args.check:
        return check(texts, args.out, all_cells=not args.cells)
    for number, text in sorted(texts.items()):
        write_atomically(golden_path(args.out, number), text)
    print(f"generate.py: wrote {len(texts)} golden file(s) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
