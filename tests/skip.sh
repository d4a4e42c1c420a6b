#!/bin/sh
# skip.sh NAME REASON: stands in for a test this build cannot run; says why
# on one line and exits 77, which meson counts as skipped.
echo "$1: skipped: $2"
exit 77
