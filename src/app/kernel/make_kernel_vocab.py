#!/usr/bin/env python3
"""make_kernel_vocab.py: what the Jupyter kernel completes and inspects.

    make_kernel_vocab.py OUT.c API_MD HEADER...

Reads every function, extern variable, type and macro the headers declare,
with the comment before it (or on its line) as its doc, and the PyTorch
each name mirrors from docs/api.md's tables (`C` | PyTorch). Writes a C
table of them (kernel_vocab.h), sorted by name, so nothing is typed twice.
"""
import json
import re
import sys

DECL_FUNCTION = re.compile(r"\b([A-Za-z_]\w*)\s*\([^;{}]*\)\s*(?:__attribute__\s*\(\(.*?\)\))?\s*;\s*$", re.S)
DECL_EXTERN = re.compile(r"\bextern\s+[^;(){}]*?\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*;\s*$")
TYPEDEF_NAME = re.compile(r"\}\s*([A-Za-z_]\w*)\s*;\s*$|\btypedef\b[^;{}]*?\b([A-Za-z_]\w*)\s*;\s*$")
ENUM_VALUE = re.compile(r"^\s*([A-Z][A-Z0-9_]+)\s*(?:=[^,]*)?,?\s*(?:/\*(.*?)\*/)?\s*$")
DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)(\([^)]*\))?")


def squash(text):
    return " ".join(text.split())


def comment_text(comment):
    body = re.sub(r"^/\*|\*/$", "", comment.strip())
    return squash(re.sub(r"^\s*\*", " ", body, flags=re.M))


def header_words(path):
    """(name, declaration, doc) for each thing the header declares."""
    words = []
    text = open(path, encoding="utf-8").read()
    doc, statement, depth = "", "", 0
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if depth == 0 and not statement and stripped.startswith("/*"):
            block = line
            while "*/" not in block:
                i += 1
                block += "\n" + lines[i]
            doc = comment_text(block)
            i += 1
            continue
        if depth == 0 and not statement and stripped == "":
            doc = ""  # a blank line ends what a comment speaks for
            i += 1
            continue
        m = DEFINE.match(line)
        if m and depth == 0:
            name = m.group(1)
            trailing = re.search(r"/\*(.*?)\*/", line)
            if not name.startswith("NB_") and not name.endswith("_H"):
                words.append((name, squash(line.split("/*")[0].rstrip(" \\")),
                              comment_text("/*" + trailing.group(1) + "*/") if trailing else doc))
            i += 1
            continue
        if stripped.startswith("#"):
            i += 1
            continue
        if depth > 0:
            e = ENUM_VALUE.match(line)
            if e and statement.lstrip().startswith("typedef enum"):
                words.append((e.group(1), e.group(1), squash(e.group(2) or "")))
        trailing = re.search(r"/\*(.*?)\*/", line)
        code = re.sub(r"/\*.*?\*/|//.*", "", line)
        depth += code.count("{") - code.count("}")
        statement += " " + code
        if depth == 0 and statement.strip().endswith(";"):
            s = squash(statement)
            own = comment_text("/*" + trailing.group(1) + "*/") if trailing else ""
            m = DECL_FUNCTION.search(s) if "typedef" not in s else None
            if m:
                words.append((m.group(1), s, own or doc))
            elif DECL_EXTERN.search(s):
                words.append((DECL_EXTERN.search(s).group(1), s, own or doc))
            elif s.startswith("typedef"):
                if s.startswith("typedef enum") and "{" in s:
                    for value in re.findall(r"\b([A-Z][A-Z0-9_]+)\b", s[s.index("{"):s.rindex("}")]):
                        words.append((value, value, doc))
                t = TYPEDEF_NAME.search(s)
                if t:
                    name = t.group(1) or t.group(2)
                    words.append((name, "typedef " + name, own or doc))
            statement = ""
        i += 1
    return words


def api_rows(path):
    """name -> the PyTorch column of the docs/api.md row that names it."""
    mirrors = {}
    for line in open(path, encoding="utf-8"):
        cols = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cols) < 2 or cols[0] in ("C", "---") or cols[0].startswith("-"):
            continue
        names = re.findall(r"`([A-Za-z_]\w*)", cols[0])
        pytorch = cols[1].replace("\\|", "|")
        # a row of n names whose PyTorch column lists n calls: one each
        items = re.findall(r"`([^`]*)`", pytorch.split(":")[0].split(" (")[0])
        for k, name in enumerate(names):
            mirrors.setdefault(name, "`%s`" % items[k] if len(items) == len(names) > 1 else pytorch)
    return mirrors


def c_string(text):
    return json.dumps(text, ensure_ascii=True)


def main(argv):
    out, api_md, headers = argv[1], argv[2], argv[3:]
    mirrors = api_rows(api_md)
    table = {}
    for header in headers:
        base = header.rsplit("/", 1)[-1]
        for name, decl, doc in header_words(header):
            if name not in table:
                table[name] = (decl, doc, mirrors.get(name, ""), base)
    with open(out, "w", encoding="utf-8") as f:
        f.write("/* Generated by make_kernel_vocab.py from the public headers and docs/api.md. */\n")
        f.write('#include "kernel_vocab.h"\n\nconst KernelWord kernel_words[] = {\n')
        for name in sorted(table):
            decl, doc, mirror, base = table[name]
            f.write("    {%s, %s, %s, %s, %s},\n" % tuple(map(c_string, (name, decl, doc, mirror, base))))
        f.write("};\nconst size_t kernel_nwords = sizeof kernel_words / sizeof kernel_words[0];\n")


if __name__ == "__main__":
    main(sys.argv)
