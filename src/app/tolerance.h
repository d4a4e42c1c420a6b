/* tolerance: comparing a line of printed output with the golden's when the
 * numbers in it may differ by rounding (a GPU's sin is not glibc's), while
 * everything else must still be equal byte for byte. `nbreplay verify
 * --rtol R --atol A` compares this way (golden_compare_tolerant). */
#ifndef NB_TOLERANCE_H
#define NB_TOLERANCE_H

#include <stdbool.h>
#include <stddef.h>

/* An actual number a matches the golden's e when |a - e| <= atol + rtol*|e|
 * (numpy.isclose, the golden's number as the reference). */
typedef struct Tolerance {
    double rtol, atol;
} Tolerance;

/* The largest differences seen: |a - e| and |a - e| / |e| (infinite when e
 * is 0 and a is not), over `numbers` pairs. */
typedef struct ToleranceErrors {
    double max_abs, max_rel;
    size_t numbers;
} ToleranceErrors;

/* A number is what Python prints for one: an optional sign, digits with an
 * optional point and fraction ("1.", ".5" too), an optional exponent, or
 * inf and nan, not glued to a letter, digit or underscore before it (so
 * "float64" and "Backward0" are text). Both lines must have the same text
 * between their numbers and the same count of numbers, each within
 * tolerance; nan matches nan, and an infinity only itself.
 *
 * When errors is not NULL and the lines differ at most in their numbers,
 * those numbers' differences are folded into it, within tolerance or not,
 * so a report can say by how much a failing line missed. */
bool tolerance_line_match(const char *expected, size_t expected_len, const char *actual, size_t actual_len,
                          const Tolerance *tol, ToleranceErrors *errors);

#endif
