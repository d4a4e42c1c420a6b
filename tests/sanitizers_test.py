#!/usr/bin/env python3
"""Shows that the sanitizer build catches what it is there to catch, under
the environment the test suite runs in (CI's ASAN_OPTIONS and UBSAN_OPTIONS,
or meson's defaults): a lost block fails the run with LeakSanitizer's
report, and a signed overflow stops the program at UBSan's report. Without
this, a CI whose leak checking or halting was off would pass in silence.

Usage: sanitizers_test.py SANITIZER_CANARY
"""
import subprocess
import sys

CANARY = sys.argv[1]
failures = 0


def expect(mode, report, still_ran):
    global failures
    p = subprocess.run([CANARY, mode], capture_output=True, text=True, timeout=60)
    caught = p.returncode != 0 and report in p.stderr
    halted = still_ran is None or still_ran not in p.stdout
    ok = caught and halted
    failures += not ok
    print('%s %s: exit %d, %s, %s' % ('ok  ' if ok else 'FAIL', mode, p.returncode,
                                      'reported' if report in p.stderr else 'NOT reported',
                                      'stopped' if halted else 'went on'))
    if not ok:
        print(p.stderr)


expect('leak', 'ERROR: LeakSanitizer: detected memory leaks', None)
expect('overflow', 'runtime error: signed integer overflow', 'went on after the overflow')
sys.exit(1 if failures else 0)
