#!/usr/bin/env python3
"""api_doc_test.py: docs/api.md documents every public function.

    api_doc_test.py EXPORTS API_MD

EXPORTS is the build's list of public symbols (src/lib/export_list.py,
read from the public headers); each must appear in API_MD as `name`.
"""
import sys


def main(exports_path, api_path):
    with open(exports_path, encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip()]
    with open(api_path, encoding="utf-8") as f:
        text = f.read()
    missing = [n for n in names if f"`{n}" not in text]
    for n in missing:
        print(f"FAIL {n} is public but not in docs/api.md")
    print(f"api_doc: {len(names) - len(missing)} of {len(names)} public names documented")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
