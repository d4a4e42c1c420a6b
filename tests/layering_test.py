#!/usr/bin/env python3
"""layering_test.py: no include runs upward, and kernels never call the
front end (docs/architecture.md, "Layers").

    layering_test.py SOURCE_ROOT CORE_ARCHIVE

Layers, bottom up: the library (src/lib, kernels, cuda), the app's
machinery (src/app), the cells (cells), presentation (src/app/present),
the command line (src/app/cli). A file may include headers of its own layer
and of layers below; the app and above may include only the library's
public headers (src/lib/nbreplay). Then, from CORE_ARCHIVE (libnbcore.a):
no object compiled from kernels/ may reference a front-end function
(one defined by the ops, views, linear algebra or autograd, or the
front end's copies in tensor.c). And only the autograd engine and the
derivatives include the graph's internals (autograd_node.h); ops record
through autograd_record.h.
"""
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
LAYERS = ["library", "app", "cells", "present", "cli"]
# The autograd graph's insides: only the engine and the derivatives see
# them; ops record through autograd_record.h.
NODE_INTERNALS = "src/lib/autograd_node.h"
NODE_FRIENDS = ("src/lib/autograd.c", "src/lib/derivatives.c", "src/lib/autograd_node.h")
FRONT_END_OBJECTS = ("ops.c.o", "linalg.c.o", "view.c.o", "autograd.c.o", "derivatives.c.o")
FRONT_END_IN_TENSOR = {"tensor_contiguous", "tensor_clone", "tensor_to_dtype", "tensor_copy_into"}


def layer_of(path):
    if path.startswith("src/app/cli/"):
        return "cli"
    if path.startswith("src/app/present/"):
        return "present"
    if path.startswith("src/app/"):
        return "app"
    if path.startswith("cells/"):
        return "cells"
    if path.startswith(("src/lib/", "kernels/", "cuda/")):
        return "library"
    return None


def header_index(root):
    """Header basename -> repository path, for the layered folders."""
    index = {}
    for folder in ("src", "kernels", "cuda", "cells"):
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in names:
                if name.endswith((".h", ".cuh")):
                    rel = os.path.relpath(os.path.join(dirpath, name), root)
                    index.setdefault(name, []).append(rel)
    return index


def resolve(root, including, target, index):
    """The repository path an include names (relative first, then by name)."""
    candidate = os.path.normpath(os.path.join(os.path.dirname(including), target))
    if os.path.exists(os.path.join(root, candidate)):
        return candidate
    found = index.get(os.path.basename(target), [])
    return found[0] if len(found) == 1 else None


def check_includes(root):
    index = header_index(root)
    problems = []
    for folder in ("src", "kernels", "cuda", "cells"):
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in names:
                if not name.endswith((".c", ".h", ".cu", ".cuh")):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                layer = layer_of(path)
                with open(os.path.join(root, path), encoding="utf-8") as f:
                    text = f.read()
                for target in INCLUDE.findall(text):
                    dest = resolve(root, path, target, index)
                    if dest is None:
                        continue  # generated (cell_text.h, katex_assets.h, cell_list.h)
                    if dest == NODE_INTERNALS and path not in NODE_FRIENDS:
                        problems.append(f"{path} includes {dest}: ops record through "
                                        "autograd_record.h")
                    dest_layer = layer_of(dest)
                    if dest_layer is None or layer is None:
                        continue
                    if LAYERS.index(dest_layer) > LAYERS.index(layer):
                        problems.append(f"{path} ({layer}) includes {dest} ({dest_layer}): upward")
                    elif layer != "library" and dest_layer == "library" and \
                            not dest.startswith("src/lib/nbreplay/"):
                        problems.append(f"{path} ({layer}) includes {dest}: a library internal")
    return problems


def check_kernel_calls(archive):
    out = subprocess.run(["nm", "-A", archive], check=True, capture_output=True, text=True).stdout
    defined_front_end, kernel_undefined = set(FRONT_END_IN_TENSOR), []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        member = parts[0].rstrip(":").split(":")[-1]
        kind, symbol = parts[-2], parts[-1]
        if kind == "T" and member.endswith(FRONT_END_OBJECTS):
            defined_front_end.add(symbol)
        elif kind == "U" and "kernels_" in member:
            kernel_undefined.append((member, symbol))
    return [f"{member} calls the front end's {symbol}" for member, symbol in kernel_undefined
            if symbol in defined_front_end]


def main():
    root, archive = sys.argv[1], sys.argv[2]
    problems = check_includes(root) + check_kernel_calls(archive)
    for p in problems:
        print("FAIL", p)
    if problems:
        print(f"layering: {len(problems)} violations")
        return 1
    print("layering: no upward include, no kernel calling the front end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
