"""The differential tester's machinery: runs programs (gen.py) in real
PyTorch and against the library, compares what they print, shrinks a
failing program and saves it as a regression case.

Both sides run in bulk: every Python program in one real-PyTorch process
(torch_worker.py, run in an interpreter that imported torch once for the
whole session: tests/torch_preload.py), every C program as one function of one C file, compiled
once against the library (by tcc where the suite has it, else the system
cc). The C binary prints a marker line before each program; a program that
crashes the process is recorded as crashed and the run resumes after it.
"""

import atexit
import difflib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

from gen import Program, closed

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from torch_preload import Preloaded  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
REGRESSIONS = os.path.join(HERE, "regressions")
WORKER = os.path.join(HERE, "torch_worker.py")
TORCH_PYTHON = "/usr/bin/python3"
MARK = "\x1edifftest-program "

# Helpers the Python programs call; the C side's are in prelude.h.
PY_PRELUDE = '''\
def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__
'''


class Flags:
    """How to compile and link a program against the library."""

    def __init__(self, cc="cc", cflags="", libs=""):
        self.cc, self.cflags, self.libs = cc, cflags, libs


def build_flags(build_dir):
    """Flags for the library as the meson build at build_dir made it: its
    static libnbcore.a (src/lib/), the public headers (src/lib/nbreplay/),
    and the library's dependencies (pkg-config names as in meson.build)."""
    deps = pkgconfig("--libs openblas sleef")
    return Flags(cflags="-I" + os.path.join(SOURCE_ROOT, "src", "lib", "nbreplay"),
                 libs="%s %s -lm -lpthread -ldl" % (
                     os.path.join(build_dir, "src", "lib", "libnbcore.a"), deps))


def pkgconfig(args):
    return subprocess.run(["pkg-config"] + args.split(), check=True, capture_output=True,
                          text=True).stdout.strip()


class Outcome:
    """One program's outputs on both sides."""

    def __init__(self, program, py_out, c_out):
        self.program, self.py_out, self.c_out = program, py_out, c_out

    @property
    def same(self):
        return self.py_out == self.c_out

    def diff(self):
        """A unified diff, then where the first differing line first
        differs (long tolist() lines hide it otherwise)."""
        text = "".join(difflib.unified_diff(
            self.py_out.splitlines(True), self.c_out.splitlines(True),
            "pytorch", "nbreplay", n=2))
        py, c = self.py_out.splitlines(), self.c_out.splitlines()
        for n, (a, b) in enumerate(zip(py + [""] * len(c), c + [""] * len(py))):
            if a != b:
                col = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                if len(a) > 100 or len(b) > 100:
                    lo = max(col - 40, 0)
                    text += ("first difference: line %d, column %d:\n  pytorch:  ...%s...\n"
                             "  nbreplay: ...%s...\n" % (n + 1, col + 1, a[lo:col + 50],
                                                         b[lo:col + 50]))
                break
        return text


def python_text(program):
    """The program as a standalone Python script."""
    return "import torch\n\n" + PY_PRELUDE + "\n\n" + program.python()


def c_text(program):
    """The program's C, as the body of a void function."""
    return program.c_body()


# ---- the Python side ----

_servers = {}


def preloaded(python=TORCH_PYTHON):
    """The session's torch-preloaded interpreter for `python`, started once:
    every torch_worker.py run (each shrink round is one) forks from it
    instead of importing torch again."""
    server = _servers.get(python)
    if server is None:
        try:
            server = _servers[python] = Preloaded(python)
        except OSError:
            return None
        atexit.register(server.close)
    return server


def torch_available(python=TORCH_PYTHON):
    server = preloaded(python)
    return server is not None and server.available


def run_python(sources, python=TORCH_PYTHON, timeout=1800):
    """What each Python program (text) prints in real PyTorch."""
    with tempfile.TemporaryDirectory(prefix="difftest-py-") as tmp:
        job, result = os.path.join(tmp, "in.json"), os.path.join(tmp, "out.json")
        with open(job, "w") as f:
            json.dump({"prelude": PY_PRELUDE, "programs": sources}, f)
        if not torch_available(python):
            raise RuntimeError("torch_worker.py: %s cannot import torch" % python)
        status, output = preloaded(python).run([WORKER, job, result], timeout=timeout)
        if status != 0:
            raise RuntimeError("torch_worker.py failed (%d):\n%s" % (status, output))
        with open(result) as f:
            return json.load(f)


# ---- the C side ----

def c_file(bodies):
    """One C file: a function per program body, and a main that runs the
    programs from argv[1] (default 0) on, each in its own scope with the
    error state and grad mode reset."""
    parts = ["/* written by tests/difftest/difftest.py */\n",
             "#include <math.h>\n#include <signal.h>\n#include <stdint.h>\n#include <stdio.h>\n"
             "#include <stdlib.h>\n\n",
             '#include "prelude.h"\n\n']
    for i, body in enumerate(bodies):
        parts.append("static void program_%d(void) {\n%s}\n\n" % (i, body))
    parts.append("static void (*const programs[])(void) = {\n")
    parts.extend("    program_%d,\n" % i for i in range(len(bodies)))
    if not bodies:
        parts.append("    NULL,\n")
    parts.append("};\n\n")
    parts.append('''int main(int argc, char **argv) {
    int first = argc > 1 ? atoi(argv[1]) : 0;
    for (int i = first; i < %d; i++) {
        printf("%s%%d\\n", i);
        fflush(stdout);
        TensorScope *scope = tensor_scope_open();
        torch_set_grad_enabled(true);
        programs[i]();
        torch_set_grad_enabled(true);
        tensor_scope_close(scope);
        nb_error_clear();
        fflush(stdout);
    }
    return 0;
}
''' % (len(bodies), MARK.replace("\x1e", "\\x1e\" \"")))
    return "".join(parts)


def is_tcc(cc):
    """Whether `cc` is the Tiny C Compiler, which compiles the C file in a
    fraction of gcc's time (a seed's 300 programs: 0.1 s, gcc -O0 2.5 s)."""
    return os.path.basename(shlex.split(cc)[0]) == "tcc" if cc.strip() else False


def compile_c(source, workdir, flags):
    """Compiles `source` to an executable in workdir; returns its path.
    With tcc (what tests/meson.build picks where it is installed and the
    build has no sanitizer) the file compiles with tcc and links with the
    system cc, which reads the library's thin archive."""
    path = os.path.join(workdir, "programs.c")
    exe = os.path.join(workdir, "programs")
    with open(path, "w") as f:
        f.write(source)
    if is_tcc(flags.cc):
        obj = exe + ".o"
        steps = [shlex.split(flags.cc) + ["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-I" + HERE]
                 + shlex.split(flags.cflags) + ["-c", "-o", obj, path],
                 # tcc's objects carry no .note.GNU-stack: say the stack is not executable
                 ["cc", "-Wl,-z,noexecstack", "-o", exe, obj] + shlex.split(flags.libs)]
    else:
        steps = [shlex.split(flags.cc) + ["-std=c11", "-O0", "-D_POSIX_C_SOURCE=200809L",
                                          "-ffp-contract=off", "-Wno-unused-function",
                                          "-Wno-unused-variable", "-I" + HERE]
                 + shlex.split(flags.cflags) + ["-o", exe, path] + shlex.split(flags.libs)]
    for cmd in steps:
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("compiling the C programs failed:\n%s\n%s"
                               % (" ".join(cmd), r.stderr[-6000:]))
    return exe


def run_c(exe, count, timeout=600):
    """What each compiled program prints. A program that kills the process
    (or hangs past `timeout`) gets its output so far plus a '<crashed ...>'
    line, and the run resumes with the next program."""
    outputs = [None] * count
    first = 0
    while first < count:
        try:
            r = subprocess.run([exe, str(first)], capture_output=True, timeout=timeout)
            stdout, status = r.stdout, r.returncode
        except subprocess.TimeoutExpired as e:
            stdout, status = e.stdout or b"", "timeout"
        text = stdout.decode("utf-8", "replace")
        chunks = text.split(MARK)
        last = first - 1
        for chunk in chunks[1:]:
            number, _, out = chunk.partition("\n")
            last = int(number)
            outputs[last] = out
        if status == 0:
            break
        if last < first:          # died before its first marker
            last = first
            outputs[last] = ""
        why = "timeout" if status == "timeout" else "status %d" % status
        outputs[last] += "<crashed: %s>\n" % why
        first = last + 1
    return [o if o is not None else "" for o in outputs]


def run_programs(programs, flags, workdir=None, python=TORCH_PYTHON, expected=None):
    """Outcomes of `programs` (a list of Program). `expected`, when given,
    replaces the Python side (a list of texts, e.g. regressions' recorded
    outputs; None where the program is to run in PyTorch)."""
    own = workdir is None
    tmp = tempfile.TemporaryDirectory(prefix="difftest-c-") if own else None
    workdir = tmp.name if own else workdir
    try:
        exe = compile_c(c_file([c_text(p) for p in programs]), workdir, flags)
        c_outs = run_c(exe, len(programs))
    finally:
        if tmp:
            tmp.cleanup()
    py_outs = list(expected) if expected is not None else [None] * len(programs)
    pending = [i for i, out in enumerate(py_outs) if out is None]
    if pending:
        for i, out in zip(pending, run_python([programs[i].python() for i in pending], python)):
            py_outs[i] = out
    return [Outcome(p, a, b) for p, a, b in zip(programs, py_outs, c_outs)]


# ---- triage ----

VALUE_OPS = ("sin", "cos", "exp", "log", "pow", "sum", "sum_to_size", "dot", "mv", "mm", "bmm",
             "matmul", "outer", "div", "mul", "add", "sub", "backward")


def _generic(text):
    """A message with its numbers replaced, so messages group by wording."""
    return re.sub(r"-?\d+", "N", text)


def triage_key(outcome):
    """What kind of difference a differing program shows first, as a short
    text to group programs by: a missing, unexpected or reworded error, a
    crash, a grad_fn name, a flag, or wrong values (with the ops that
    computed in the program, most useful after shrinking)."""
    py, c = outcome.py_out.splitlines(), outcome.c_out.splitlines()
    for i, (a, b) in enumerate(zip(py + [""] * len(c), c + [""] * len(py))):
        if a == b:
            continue
        # a printed tensor may wrap its suffixes onto the next lines
        a3, b3 = " ".join(py[i:i + 3]), " ".join(c[i:i + 3])
        if b.startswith("<crashed"):
            return "crash"
        if a.startswith("error:") and b.startswith("error:"):
            return "error message: PyTorch '%s', nbreplay '%s'" % (_generic(a[7:]), _generic(b[7:]))
        if a.startswith("error:"):
            return "missing error: " + _generic(a[7:])
        if b.startswith("error:"):
            return "unexpected error: " + _generic(b[7:])
        names = [re.findall(r"\b([A-Z]\w*Backward\d)\b", x) for x in (a3, b3)]
        if names[0] != names[1] or ("requires_grad=True" in a3) != ("requires_grad=True" in b3):
            return "grad_fn: PyTorch %s, nbreplay %s" % (
                names[0][0] if names[0] else "none", names[1][0] if names[1] else "none")
        if a in ("True", "False", "None") or b in ("True", "False", "None"):
            return "flag or grad_fn: PyTorch %s, nbreplay %s" % (a, b)
        c_text = outcome.program.c_body()
        ops = [op for op in VALUE_OPS if re.search(r"\btensor_%s\(" % op, c_text)]
        return "values: " + (" ".join(ops) if ops else "(no arithmetic)")
    return "identical"


def triage(outcomes):
    """(key, [names]) for the differing outcomes, most frequent first."""
    groups = {}
    for o in outcomes:
        if not o.same:
            groups.setdefault(triage_key(o), []).append(o.program.name)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


# ---- shrinking ----

def failure_class(outcome):
    """A coarse kind of difference, kept while shrinking so a program that
    shows one bug does not shrink into one showing another."""
    py, c = outcome.py_out.splitlines(), outcome.c_out.splitlines()
    for a, b in zip(py + [""] * len(c), c + [""] * len(py)):
        if a != b:
            return ("error" if a.startswith("error:") else "value",
                    "error" if b.startswith("error:") else ("crash" if b.startswith("<crashed")
                                                           else "value"))
    return None


def _ddmin(stmts):
    """Delta debugging over statements as a coroutine: yields lists of
    candidate statement lists, receives which of them still fail, and
    returns the smallest failing list found."""
    n = 2
    while len(stmts) >= 2:
        size = -(-len(stmts) // n)
        chunks = [stmts[i:i + size] for i in range(0, len(stmts), size)]
        subsets = [closed(ch) for ch in chunks]
        complements = [closed([s for j, ch in enumerate(chunks) if j != i for s in ch])
                       for i in range(len(chunks))]
        cands = [c for c in subsets + complements if c and len(c) < len(stmts)]
        results = yield cands
        hit = next((c for c, bad in zip(cands, results) if bad), None)
        if hit is not None:
            n = 2 if len(hit) <= size else max(n - 1, 2)
            stmts = hit
        elif n >= len(stmts):
            break
        else:
            n = min(len(stmts), 2 * n)
    # Then one statement at a time, until no single removal keeps the failure.
    while len(stmts) > 1:
        cands = [c for c in (closed(stmts[:i] + stmts[i + 1:]) for i in range(len(stmts))) if c]
        results = yield cands
        hit = next((c for c, bad in zip(cands, results) if bad), None)
        if hit is None:
            break
        stmts = hit
    return stmts


def shrink_many(outcomes, flags, python=TORCH_PYTHON, log=None):
    """Minimal programs (by statements, delta debugging) that still differ
    the way each of `outcomes` (differing ones) does. All the programs
    shrink at once: each round's candidates, of every program, run as one
    batch."""
    states = []
    for o in outcomes:
        co = _ddmin(list(o.program.stmts))
        states.append([o.program, failure_class(o), co, next(co, None), None])
    rounds = 0
    while True:
        active = [st for st in states if st[3] is not None]
        if not active:
            break
        rounds += 1
        batch = [Program(st[0].name, c) for st in active for c in st[3]]
        outs = run_programs(batch, flags, python=python)
        k = 0
        for st in active:
            got = outs[k:k + len(st[3])]
            k += len(st[3])
            try:
                st[3] = st[2].send([not o.same and failure_class(o) == st[1] for o in got])
            except StopIteration as done:
                st[3], st[4] = None, done.value
        if log:
            log("shrink round %d: %d programs, %d candidates" % (rounds, len(active), len(batch)))
    return [Program(st[0].name, st[4] if st[4] is not None else st[0].stmts) for st in states]


def shrink(program, flags, python=TORCH_PYTHON, log=None):
    """shrink_many for one program."""
    first = run_programs([program], flags, python=python)[0]
    if first.same:
        return program
    return shrink_many([first], flags, python, log)[0]


# ---- regressions ----

def save_regression(program, name, python=TORCH_PYTHON):
    """Writes regressions/NAME.py (a runnable script), NAME.c (the C body)
    and NAME.expected (what real PyTorch printed)."""
    expected = run_python([program.python()], python)[0]
    os.makedirs(REGRESSIONS, exist_ok=True)
    base = os.path.join(REGRESSIONS, name)
    with open(base + ".py", "w") as f:
        f.write("# difftest regression %s (from %s); expected output: %s.expected\n"
                % (name, program.name, name))
        f.write(python_text(program))
    with open(base + ".c", "w") as f:
        f.write("/* difftest regression %s (from %s): a function body; "
                "expected output: %s.expected */\n" % (name, program.name, name))
        f.write(c_text(program))
    with open(base + ".json", "w") as f:
        json.dump(program.to_json(), f, indent=1)
        f.write("\n")
    with open(base + ".expected", "w") as f:
        f.write(expected)
    return base


def load_regressions():
    """(program, expected output) of every saved regression, by name."""
    out = []
    if not os.path.isdir(REGRESSIONS):
        return out
    for fn in sorted(os.listdir(REGRESSIONS)):
        if fn.endswith(".json"):
            base = os.path.join(REGRESSIONS, fn[:-5])
            with open(base + ".json") as f:
                prog = Program.from_json(json.load(f))
            prog.name = "regression " + fn[:-5]
            with open(base + ".expected") as f:
                out.append((prog, f.read()))
    return out
