/* verify_tolerance: `nbreplay verify --rtol R --atol A`, the comparison
 * that lets numbers differ by rounding (src/tolerance.h), and how a cell's
 * largest errors are reported. */
#ifndef NB_VERIFY_TOLERANCE_H
#define NB_VERIFY_TOLERANCE_H

#include "../tolerance.h"
#include "verify_report.h"

/* --rtol / --atol VALUE: a finite number >= 0. Returns 0, or an exit code
 * after reporting the usage error. */
int verify_parse_tolerance(const char *option, const char *text, double *value);

/* Notes a tolerant comparison's result in r: for a passing cell its reason
 * becomes "within rtol=..., atol=...: max abs error ..., max rel error ..."
 * (the text report shows it on the PASS line); for a failing one the same
 * numbers head the diff ("beyond ..."). */
void verify_tolerance_note(VerifyResult *r, const Tolerance *tol, const ToleranceErrors *errors);

#endif
