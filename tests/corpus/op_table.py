"""op_table.py: the rows of kernels/op_table.h, for the corpus scripts, so
their op lists come from the table (a new row is covered with no edit
here). Each row's torch function is torch.<torch name>.

    import op_table
    op_table.UNARY        # [Row(id, name, grad_fn, saved, c_name, rule, bool_error)]
    op_table.BINARY       # [Row(...)] (rule SAME_DTYPE or BOOL_RESULT)
    op_table.torch_fn(row)
"""
import collections
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, "..", "..", "kernels", "op_table.h")

Row = collections.namedtuple("Row", "id name grad_fn saved c_name rule bool_error")


def _macro_body(text, name):
    m = re.search(r"#define %s\(X\)((?:[^\n]*\\\n)*[^\n]*)" % name, text)
    return m.group(1).replace("\\\n", " ")


def _rows(body):
    """The X(...) entries of a list macro's body, split at top-level commas."""
    rows, i = [], 0
    while True:
        i = body.find("X(", i)
        if i < 0:
            return rows
        depth, j, start, args, in_str = 0, i + 1, i + 2, [], False
        while True:
            c = body[j]
            if in_str:
                if c == "\\":
                    j += 1
                elif c == '"':
                    in_str = False
            elif c == '"':
                in_str = True
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    args.append(body[start:j].strip())
                    break
            elif c == "," and depth == 1:
                args.append(body[start:j].strip())
                start = j + 1
            j += 1
        rows.append(args)
        i = j


def _string(arg, text):
    if arg == "NULL":
        return None
    if arg.startswith('"'):
        return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', arg)).replace('\\"', '"')
    return _string(_macro_body_plain(text, arg), text)


def _macro_body_plain(text, name):
    m = re.search(r"#define %s\s+((?:[^\n]*\\\n)*[^\n]*)" % name, text)
    return m.group(1).replace("\\\n", " ").strip()


with open(TABLE, encoding="utf-8") as _f:
    _TEXT = _f.read()

UNARY = [Row(a[0], _string(a[1], _TEXT), _string(a[2], _TEXT), a[3], a[4], a[5],
             _string(a[6], _TEXT)) for a in _rows(_macro_body(_TEXT, "UNARY_OP_LIST"))]
BINARY = [Row(a[0], _string(a[1], _TEXT), _string(a[2], _TEXT), a[3], a[4], a[5], None)
          for a in _rows(_macro_body(_TEXT, "BINARY_OP_LIST"))]

# Binary rows reached only through another call (clamp by a number)
INTERNAL_BINARY = {"clamp_min", "clamp_max", "tanh_backward"}


def torch_fn(row):
    import torch  # here, so reading the table needs no torch (the difftest generator)

    if hasattr(torch, row.name):
        return getattr(torch, row.name)
    return getattr(torch.ops.aten, row.name)  # tanh_backward


def unary_names():
    return [r.name for r in UNARY]


if __name__ == "__main__":
    for r in UNARY + BINARY:
        print(r)
