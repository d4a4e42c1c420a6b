/* pyfloat: Python's float text, from the C library's correctly rounded
 * printf and strtod.
 *
 * repr() is the shortest digit string that reads back as the same double
 * (Python uses David Gay's dtoa in mode 0). We find it by asking printf for
 * 1, 2, ... 17 significant digits and keeping the first that strtod maps back
 * to x; printf rounds correctly, so each try is the nearest string of that
 * length. The nearest is not always the one that reads back: just above a
 * power of two the doubles below x are twice as dense as those above, so a
 * string slightly farther away on the upper side can round-trip when the
 * nearest one, below, does not. Each length therefore also tries the
 * neighbour on the other side of x before moving on. */
#include "pyfloat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "float_text.h"

/* A decimal x = 0.d1d2...dn * 10^point, digits without trailing zeros. */
typedef struct Decimal {
    bool negative;
    char digits[24];
    int ndigits;
    int point;
} Decimal;

/* Parses printf's "%.Ne" text ("-1.2345e+06") into a Decimal. */
static Decimal decimal_from_sci(const char *text) {
    Decimal d = {.negative = text[0] == '-'};
    const char *p = text + (d.negative ? 1 : 0);
    for (; *p && *p != 'e'; p++)
        if (*p != '.' && d.ndigits < (int)sizeof d.digits - 1) d.digits[d.ndigits++] = *p;
    int exponent = *p == 'e' ? atoi(p + 1) : 0;
    d.point = exponent + 1;
    while (d.ndigits > 1 && d.digits[d.ndigits - 1] == '0') d.ndigits--;
    d.digits[d.ndigits] = '\0';
    return d;
}

static double decimal_value(const Decimal *d) {
    char text[48];
    snprintf(text, sizeof text, "%s0.%se%d", d->negative ? "-" : "", d->digits, d->point);
    return strtod(text, NULL);
}

/* Moves the last of `ndigits` digits one unit up or down (away from or
 * towards zero in magnitude). Returns false when the result would need a
 * different number of digits, since that length has already been tried. */
static bool decimal_step(Decimal *d, int ndigits, int direction) {
    char digits[24];
    memset(digits, '0', sizeof digits);
    memcpy(digits, d->digits, (size_t)d->ndigits);
    int i = ndigits - 1;
    if (direction > 0) {
        while (i >= 0 && digits[i] == '9') digits[i--] = '0';
        if (i < 0) return false;
        digits[i]++;
    } else {
        while (i >= 0 && digits[i] == '0') digits[i--] = '9';
        if (i < 0 || (i == 0 && digits[0] == '1')) return false;
        digits[i]--;
    }
    memcpy(d->digits, digits, (size_t)ndigits);
    d->ndigits = ndigits;
    while (d->ndigits > 1 && d->digits[d->ndigits - 1] == '0') d->ndigits--;
    d->digits[d->ndigits] = '\0';
    return true;
}

/* The shortest decimal that reads back as x (finite, nonzero). */
static Decimal shortest_decimal(double x) {
    char text[48];
    Decimal d = {0};
    for (int ndigits = 1; ndigits <= 17; ndigits++) {
        snprintf(text, sizeof text, "%.*e", ndigits - 1, x);
        d = decimal_from_sci(text);
        double back = decimal_value(&d);
        if (back == x) return d;
        Decimal other = d;
        int towards_x = (back < x) == (x > 0) ? 1 : -1;
        if (decimal_step(&other, ndigits, towards_x) && decimal_value(&other) == x) return other;
    }
    return d;
}

static bool append_nonfinite(StrBuf *out, double x) {
    if (isnan(x)) {
        nb_strbuf_append(out, "nan");
        return true;
    }
    if (isinf(x)) {
        nb_strbuf_append(out, x < 0 ? "-inf" : "inf");
        return true;
    }
    return false;
}

/* "1.5e-05": Python writes at least two exponent digits. */
static void append_exponent_form(StrBuf *out, const Decimal *d) {
    nb_strbuf_append_char(out, d->digits[0]);
    if (d->ndigits > 1) {
        nb_strbuf_append_char(out, '.');
        nb_strbuf_append(out, d->digits + 1);
    }
    int exponent = d->point - 1;
    nb_strbuf_printf(out, "e%c%02d", exponent < 0 ? '-' : '+', abs(exponent));
}

/* "100.0", "0.001", "3.25": a fixed form always shows a fractional part. */
static void append_fixed_form(StrBuf *out, const Decimal *d) {
    if (d->point <= 0) {
        nb_strbuf_append(out, "0.");
        nb_strbuf_repeat(out, '0', (size_t)-d->point);
        nb_strbuf_append(out, d->digits);
        return;
    }
    int integral = d->point < d->ndigits ? d->point : d->ndigits;
    nb_strbuf_append_len(out, d->digits, (size_t)integral);
    nb_strbuf_repeat(out, '0', (size_t)(d->point - integral));
    nb_strbuf_append_char(out, '.');
    if (d->ndigits > d->point)
        nb_strbuf_append(out, d->digits + d->point);
    else
        nb_strbuf_append_char(out, '0');
}

void py_float_repr(StrBuf *out, double x) {
    if (append_nonfinite(out, x)) return;
    if (x == 0) {
        nb_strbuf_append(out, signbit(x) ? "-0.0" : "0.0");
        return;
    }
    Decimal d = shortest_decimal(x);
    if (d.negative) nb_strbuf_append_char(out, '-');
    /* Python's float_repr_style 'short' switches to exponent form for
     * decimal exponents below -4 or from 16 up. */
    int exponent = d.point - 1;
    if (exponent < -4 || exponent >= 16)
        append_exponent_form(out, &d);
    else
        append_fixed_form(out, &d);
}

/* Python spells non-finite values without printf's sign on NaN. The exact
 * integer path (float_text.c) writes most texts; printf the rest, which
 * mostly fit the small buffer, saving printf a second pass. */
void py_float_fixed(StrBuf *out, double x, int prec) {
    if (append_nonfinite(out, x)) return;
    char text[64];
    int n = float_text_fixed(text, x, prec);
    if (n < 0) n = snprintf(text, sizeof text, "%.*f", prec, x);
    if (n >= 0 && (size_t)n < sizeof text)
        nb_strbuf_append_len(out, text, (size_t)n);
    else
        nb_strbuf_printf(out, "%.*f", prec, x);
}

void py_float_sci(StrBuf *out, double x, int prec) {
    if (append_nonfinite(out, x)) return;
    char text[64];
    int n = float_text_sci(text, x, prec);
    if (n < 0) n = snprintf(text, sizeof text, "%.*e", prec, x);
    if (n >= 0 && (size_t)n < sizeof text)
        nb_strbuf_append_len(out, text, (size_t)n);
    else
        nb_strbuf_printf(out, "%.*e", prec, x);
}
