/* verify_report: how `nbreplay verify` reports each cell: the text a
 * person reads (PASS/FAIL with a unified diff), TAP 13 for a TAP harness,
 * JUnit XML for CI systems that show test results. */
#ifndef NB_VERIFY_REPORT_H
#define NB_VERIFY_REPORT_H

#include <stdbool.h>

#include "../run.h"
#include "strbuf.h"

typedef struct VerifyResult {
    const Cell *cell;
    bool passed;
    StrBuf reason;   /* one line: why it failed ("output differs from golden/cell-03.json") */
    StrBuf diff;     /* the unified diff (golden → actual) when the output differed */
    double seconds;
    bool error;      /* not a difference: the golden could not be read (corrupt, missing) */
} VerifyResult;

/* "PASS cell 3 (add)", or "FAIL cell 3 (add)" and the diff (or the reason,
 * indented). */
void verify_report_text(StrBuf *out, const VerifyResult *r);

/* The same for a terminal: "ERROR" for a golden that could not be read,
 * and with `color`, the diff's removed lines red, added ones green, hunk
 * heads cyan and the verdicts coloured. */
void verify_report_text_styled(StrBuf *out, const VerifyResult *r, bool color);
/* pytest's short summary on one line: "failed: 3 7 differentiability"
 * (the cells' selectors, to paste after `nbreplay verify`); nothing when
 * every cell passed. */
void verify_report_failed_line(StrBuf *out, const VerifyResult *results, int n);

/* TAP 13: the version line and plan, then one test line per cell, a failure
 * with a YAML block holding the reason and the diff. */
void verify_report_tap_plan(StrBuf *out, int ncells);
void verify_report_tap(StrBuf *out, int number, const VerifyResult *r);

/* A whole JUnit XML document: one testsuite, one testcase per cell, a
 * failure carrying the reason as its message and the diff as its text. */
void verify_report_junit(StrBuf *out, const VerifyResult *results, int n, double seconds);

#endif
