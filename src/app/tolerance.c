/* tolerance: walks two lines together, text byte by byte and numbers as
 * values (see tolerance.h for what counts as a number). */
#include "tolerance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_word(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Length of the digits at s[i..n). */
static size_t digits(const char *s, size_t i, size_t n) {
    size_t start = i;
    while (i < n && is_digit(s[i])) i++;
    return i - start;
}

/* The three letters of `word` at s[p], not followed by more of a word. */
static bool word_at(const char *s, size_t p, size_t n, const char *word) {
    return n - p >= 3 && memcmp(s + p, word, 3) == 0 && (p + 3 == n || !is_word(s[p + 3]));
}

/* Length of the number starting at s[i], or 0 when none starts there. */
static size_t number_at(const char *s, size_t i, size_t n) {
    if (i > 0 && (is_word(s[i - 1]) || s[i - 1] == '.')) return 0;
    size_t p = i;
    if (p < n && (s[p] == '-' || s[p] == '+')) p++;
    if (word_at(s, p, n, "inf") || word_at(s, p, n, "nan")) return p + 3 - i;
    size_t whole = digits(s, p, n);
    p += whole;
    size_t fraction = 0;
    if (p < n && s[p] == '.') {
        fraction = digits(s, p + 1, n);
        if (whole == 0 && fraction == 0) return 0;
        p += 1 + fraction;
    } else if (whole == 0) {
        return 0;
    }
    if (p < n && (s[p] == 'e' || s[p] == 'E')) {
        size_t q = p + 1;
        if (q < n && (s[q] == '-' || s[q] == '+')) q++;
        size_t exponent = digits(s, q, n);
        if (exponent > 0) p = q + exponent;
    }
    /* "3abc" is no number, and neither is the start of "1.2.3" */
    if (p < n && (is_word(s[p]) || s[p] == '.')) return 0;
    return p - i;
}

/* The number number_at found, whole: a long one (many digits before its
 * exponent) must not be cut short, or 1000…0e-60 would read as 1000…0. */
static double number_value(const char *s, size_t len) {
    char small[64];
    char *buf = len < sizeof small ? small : malloc(len + 1);
    if (!buf) return strtod(s, NULL); /* the token ends where strtod stops anyway */
    memcpy(buf, s, len);
    buf[len] = '\0';
    double v = strtod(buf, NULL);
    if (buf != small) free(buf);
    return v;
}

/* Whether a matches e, folding the difference into errors. */
static bool numbers_close(double e, double a, const Tolerance *tol, ToleranceErrors *errors) {
    if (errors) errors->numbers++;
    if (isnan(e) || isnan(a)) return isnan(e) && isnan(a);
    if (isinf(e) || isinf(a)) return e == a;
    double diff = fabs(a - e);
    double rel = e != 0 ? diff / fabs(e) : diff == 0 ? 0 : INFINITY;
    if (errors) {
        if (diff > errors->max_abs) errors->max_abs = diff;
        if (rel > errors->max_rel) errors->max_rel = rel;
    }
    return diff <= tol->atol + tol->rtol * fabs(e);
}

bool tolerance_line_match(const char *expected, size_t expected_len, const char *actual, size_t actual_len,
                          const Tolerance *tol, ToleranceErrors *errors) {
    /* errors are folded in only once the whole line is known to have the
     * same text, so they go to a scratch copy first */
    ToleranceErrors seen = {0, 0, 0};
    bool close = true;
    size_t i = 0, j = 0;
    while (i < expected_len || j < actual_len) {
        size_t en = i < expected_len ? number_at(expected, i, expected_len) : 0;
        size_t an = j < actual_len ? number_at(actual, j, actual_len) : 0;
        if (en && an) {
            close &= numbers_close(number_value(expected + i, en), number_value(actual + j, an), tol, &seen);
            i += en;
            j += an;
            continue;
        }
        if (en || an || i >= expected_len || j >= actual_len || expected[i] != actual[j]) return false;
        i++;
        j++;
    }
    if (errors) {
        if (seen.max_abs > errors->max_abs) errors->max_abs = seen.max_abs;
        if (seen.max_rel > errors->max_rel) errors->max_rel = seen.max_rel;
        errors->numbers += seen.numbers;
    }
    return close;
}
