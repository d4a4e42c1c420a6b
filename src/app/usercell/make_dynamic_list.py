#!/usr/bin/env python3
"""make_dynamic_list.py: what the nbreplay executable exports to the cells
it compiles at run time (a GNU ld --dynamic-list).

    make_dynamic_list.py OUT EXPORTS HEADER...

EXPORTS is the library's public API, one symbol a line (src/lib's
export_list.py writes it); each HEADER adds the functions it declares at
file scope: the cell vocabulary (cells/notebook.h, src/app/run.h).
"""
import re
import sys

COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
PREPROCESSOR = re.compile(r"^\s*#(?:[^\n]*\\\n)*[^\n]*", re.M)
BRACES = re.compile(r"\{[^{}]*\}")
FUNCTION = re.compile(r"\b([A-Za-z_]\w*)\s*\([^;{}]*\)\s*(?:__attribute__\s*\(\(.*?\)\))?\s*;", re.S)


def functions(text):
    text = PREPROCESSOR.sub(" ", COMMENT.sub(" ", text))
    while BRACES.search(text):
        text = BRACES.sub(";", text)
    return FUNCTION.findall(text)


def main():
    out, exports, headers = sys.argv[1], sys.argv[2], sys.argv[3:]
    names = [line.strip() for line in open(exports) if line.strip()]
    for header in headers:
        names += functions(open(header).read())
    with open(out, "w") as f:
        f.write("{\n")
        for name in sorted(set(names)):
            f.write(f"  {name};\n")
        f.write("};\n")


main()
