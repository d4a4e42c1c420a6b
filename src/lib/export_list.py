#!/usr/bin/env python3
"""export_list.py: the library's public API, read from its public headers.

    export_list.py EXPORTS MAP HEADER...

Writes EXPORTS (one symbol a line: what objcopy keeps global in the
installed static library) and MAP (a GNU ld version script exporting those
symbols alone from the shared library). A symbol is public when a public
header declares it: a function prototype or an `extern` variable at file
scope. Every public symbol must start with a documented prefix
(docs/api.md); one that does not stops the build.
"""
import re
import sys

PREFIXES = ("tensor_", "torch_", "py_", "nb_")

COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
# A declaration ends in ';' at file scope; its name is the identifier before
# the first '(' (function) or before ';'/'[' (variable).
FUNCTION = re.compile(r"\b([A-Za-z_]\w*)\s*\([^;{}]*\)\s*(?:__attribute__\s*\(\(.*?\)\))?\s*;", re.S)
VARIABLE = re.compile(r"\bextern\s+[^;(){}]*?\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*;")


def declarations(text):
    text = COMMENT.sub(" ", text)
    # Drop preprocessor lines (macros may look like calls) and bodies of
    # typedef'd structs/enums, which hold no declarations of symbols.
    text = re.sub(r"^\s*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    # A C++ linkage block (for headers CUDA code includes) holds
    # declarations: drop its braces, keep its body.
    text = re.sub(r'extern\s+"C"\s*\{', " ", text)
    depth, flat = 0, []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
            flat.append(" ")
        elif depth == 0:
            flat.append(ch)
    for statement in "".join(flat).split(";"):
        statement = statement.strip() + ";"
        if statement.startswith("typedef"):
            continue
        m = FUNCTION.search(statement)
        if m:
            yield m.group(1)
            continue
        m = VARIABLE.search(statement)
        if m:
            yield m.group(1)


def main(argv):
    exports_path, map_path, headers = argv[1], argv[2], argv[3:]
    names = set()
    for header in headers:
        with open(header, encoding="utf-8") as f:
            names.update(declarations(f.read()))
    bad = sorted(n for n in names if not n.startswith(PREFIXES))
    if bad:
        sys.exit("export_list.py: public names without a documented prefix "
                 f"({', '.join(PREFIXES)}): {', '.join(bad)}")
    names = sorted(names)
    with open(exports_path, "w", encoding="utf-8") as f:
        f.writelines(n + "\n" for n in names)
    with open(map_path, "w", encoding="utf-8") as f:
        f.write("NBREPLAY_0 {\n  global:\n")
        f.writelines(f"    {n};\n" for n in names)
        f.write("  local: *;\n};\n")


if __name__ == "__main__":
    main(sys.argv)
