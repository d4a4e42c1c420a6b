#!/usr/bin/env python3
"""Prints one closing line for meson test logs: 'tests: N passed, N failed, N skipped'.

Usage: test_summary.py TESTLOG.json... (meson writes one JSON object per line).
Exits 1 when any test failed.
"""
import json
import sys


def main():
    passed = failed = skipped = 0
    for path in sys.argv[1:]:
        with open(path, encoding='utf-8') as log:
            for line in log:
                result = json.loads(line)['result']
                if result in ('OK', 'EXPECTEDFAIL'):
                    passed += 1
                elif result == 'SKIP':
                    skipped += 1
                else:
                    failed += 1
    print('tests: %d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
