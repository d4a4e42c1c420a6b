"""corpus_lib: what every corpus script shares.

Seeds. A random case draws only from generators seeded by case_seed(salt,
name): a stable hash of the corpus's salt and the case's own name. No case
reads a stream another case advanced, so adding, removing or reordering
cases changes no other case, and another salt gives every random case new
values (tests/corpus/fresh_seed.py runs the suites on such corpora).

Format: JSON Lines (.jsonl), one case per line, so that adding a case adds
a line and changes none. The first line is the header, an object holding
the corpus's metadata (versions, salt); every other line is an object with
one member, {"SECTION": case}, which appends the case to the array SECTION.
tests/corpus.c reassembles the file into the object {header members...,
"SECTION": [cases...], ...}, the shape the suites read.
"""

import argparse
import hashlib
import json
import os
import random

DATA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"))


def case_seed(salt, name, bits=63):
    """A seed for the case `name` under `salt`, the same on every run and
    every machine (Python's hash() is salted per process, so not that)."""
    digest = hashlib.sha256(("%s\0%s" % (salt, name)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little") >> (64 - bits)


def case_random(salt, name):
    """A random.Random of its own for the case `name`."""
    return random.Random(case_seed(salt, name))


def arguments(description, default_salt, randomized=True):
    """--seed/--salt (the salt every case's seed is hashed with; default
    the committed corpus's) and --out (the folder written; default
    tests/data). Returns the parsed arguments."""
    parser = argparse.ArgumentParser(description=description.strip().split("\n")[0])
    if randomized:
        parser.add_argument("--seed", "--salt", dest="salt", default=str(default_salt),
                            help="salt of every case's seed (default: %(default)s, the committed one)")
    parser.add_argument("--out", default=DATA, help="folder to write into (default: tests/data)")
    args = parser.parse_args()
    if not randomized:
        args.salt = None
    os.makedirs(args.out, exist_ok=True)
    return args


def line(value):
    """One JSON line: compact, ASCII, keys in the order the script built."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def write_jsonl(path, header, sections, unique_names=True):
    """Writes header, then every case of every section, one per line.
    sections: a dict of section name -> list of cases. With unique_names,
    cases that carry a "name" must not share one within a section: the name
    is what seeds them."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(line(header) + "\n")
        for section, cases in sections.items():
            if unique_names:
                seen = set()
                for case in cases:
                    name = case.get("name") if isinstance(case, dict) else None
                    if name is None:
                        continue
                    if name in seen:
                        raise SystemExit("%s: two cases of %s are named %r" % (path, section, name))
                    seen.add(name)
            for case in cases:
                f.write(line({section: case}) + "\n")
    return path
