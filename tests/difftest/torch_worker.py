"""Runs the Python side of the differential tester: many programs in one
real-PyTorch process, each in a namespace of its own.

Usage (Debian's Python, which has torch 1.13):
    /usr/bin/python3 torch_worker.py IN.json OUT.json
IN.json is {"prelude": TEXT, "programs": [TEXT, ...]}: the prelude (helpers
the programs call, from difftest.py) runs first in each program's namespace.
OUT.json gets, for each program, what it printed. A program that raises ends there, with "error: " and the first line
of str(exception) as its last line (the C side prints the library's message
the same way). Exit status 77 when torch cannot be imported.

Between programs the process's global state is put back: grad mode on,
default print options.
"""

import io
import json
import sys
import warnings

try:
    import torch
except ImportError as e:
    print("torch_worker.py: skipped: cannot import torch (%s)" % e)
    sys.exit(77)

def run_one(prelude, source, name):
    out = io.StringIO()

    def _print(*args, **kwargs):
        kwargs.setdefault("file", out)
        print(*args, **kwargs)

    namespace = {"torch": torch, "print": _print, "__name__": "difftest_program"}
    exec(prelude, namespace)
    try:
        exec(compile(source, "<%s>" % name, "exec"), namespace)
    except Exception as e:  # the program's own error, reported as its output
        text = str(e)
        out.write("error: %s\n" % (text.split("\n")[0] if text else type(e).__name__))
    finally:
        torch.set_grad_enabled(True)
        torch.set_printoptions(profile="default")
    return out.getvalue()


def main():
    with open(sys.argv[1]) as f:
        job = json.load(f)
    warnings.simplefilter("ignore")
    outputs = [run_one(job["prelude"], src, "program %d" % i)
               for i, src in enumerate(job["programs"])]
    with open(sys.argv[2], "w") as f:
        json.dump(outputs, f)


if __name__ == "__main__":
    main()
