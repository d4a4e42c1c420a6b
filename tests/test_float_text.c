/* test_float_text: src/lib/float_text.c, the printer's exact "%.*f" and
 * "%.*e", against the C library's printf, which the printer used before
 * and whose text test_print holds to Python's (tests/data/pyfloat_corpus).
 *
 * Whenever float_text answers, its text must be printf's, byte for byte:
 * on random doubles and float32 values of every magnitude, on exact ties
 * (where rounding to even shows) and just beside them, and on a sweep of
 * float32 values, which must all stay on the integer path so that the
 * printer's speed does not quietly fall back to printf. */
#include <check.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "float_text.h"

#define MISMATCHES_SHOWN 20

/* A fixed xorshift generator: a failure reproduces. */
static uint64_t random_state;

static uint64_t next_random(void) {
    random_state ^= random_state << 13;
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return random_state;
}

typedef struct Tally {
    long answered, declined, mismatches;
} Tally;

typedef int (*TextFn)(char *buf, double x, int prec);

/* Compares one text with printf's; counts declines. */
static void compare(Tally *tally, TextFn fn, const char *conversion, double x, int prec) {
    char buf[FLOAT_TEXT_MAX], expected[512], format[8];
    int n = fn(buf, x, prec);
    if (n < 0) {
        tally->declined++;
        return;
    }
    tally->answered++;
    /* No ck_assert per value: each one writes to Check's pipe. */
    snprintf(format, sizeof format, "%%.*%s", conversion);
    snprintf(expected, sizeof expected, format, prec, x);
    if (n <= FLOAT_TEXT_MAX && (size_t)n == strlen(expected) &&
        memcmp(buf, expected, (size_t)n) == 0)
        return;
    if (tally->mismatches++ < MISMATCHES_SHOWN)
        fprintf(stderr, "%a with %%.%d%s: printf '%s', float_text '%.*s'\n", x, prec, conversion,
                expected, n, buf);
}

static void compare_both(Tally *tally, double x, int prec) {
    compare(tally, float_text_fixed, "f", x, prec);
    compare(tally, float_text_sci, "e", x, prec);
}

static double float32_from_bits(uint32_t bits) {
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/* A double of one of several kinds, each reaching other corners. */
static double random_value(int kind) {
    uint64_t r = next_random();
    double x;
    switch (kind) {
    case 0: /* any bit pattern */
        memcpy(&x, &r, sizeof x);
        return x;
    case 1: /* any float32 */
        return float32_from_bits((uint32_t)r);
    case 2: /* dyadic: exact ties at the precision one below its shift */
        return (double)(int64_t)(r >> 20) / ldexp(1.0, (int)(next_random() % 40));
    case 3: /* a 53-bit fraction scaled by a power of ten */
        return ldexp((double)(r >> 11), -53) * pow(10, (int)(next_random() % 40) - 20);
    case 4: /* float32 values of moderate size, as printed tensors hold */
        return (float)(((double)(int64_t)(r >> 40) - 8388608.0) / 1048576.0 *
                       pow(10, (int)(next_random() % 12) - 6));
    default: /* one step beside a decimal tie */
        x = ((double)(int64_t)(r >> 30) + 0.5) / pow(10, (int)(next_random() % 20));
        return nextafter(x, next_random() & 1 ? INFINITY : -INFINITY);
    }
}

static void expect_no_mismatch(const Tally *tally) {
    ck_assert_msg(tally->mismatches == 0, "%ld of %ld texts differ from printf's",
                  tally->mismatches, tally->answered);
}

START_TEST(test_random_values_match_printf) {
    random_state = UINT64_C(88172645463325252);
    Tally tally = {0};
    for (long i = 0; i < 300000; i++) {
        double x = random_value((int)(i % 6));
        if (!isfinite(x)) continue;
        compare_both(&tally, x, (int)(next_random() % 21));
        compare_both(&tally, x, 4);
    }
    expect_no_mismatch(&tally);
    /* Most of these fit 128 bits; a path that declines everything fails. */
    ck_assert_int_gt(tally.answered, 2 * tally.declined);
}
END_TEST

/* q / 2^(p+1) with q odd has p+1 decimals, the last a 5: an exact tie at
 * precision p, rounded to the even neighbour. Integers ending in 5 are
 * ties in scientific notation. */
START_TEST(test_ties_round_to_even) {
    random_state = UINT64_C(0x9e3779b97f4a7c15);
    Tally tally = {0};
    for (int p = 0; p <= 19; p++) {
        /* q * 5^p / 2, the digits, stays below 2^64. */
        int q_bits = 60 - (p * 7 + 2) / 3 < 40 ? 60 - (p * 7 + 2) / 3 : 40;
        for (int i = 0; i < 2000; i++) {
            double q = (double)((next_random() >> (64 - q_bits)) | 1);
            double x = ldexp(next_random() & 1 ? q : -q, -(p + 1));
            compare(&tally, float_text_fixed, "f", x, p);
            compare(&tally, float_text_fixed, "f", nextafter(x, INFINITY), p);
            compare(&tally, float_text_fixed, "f", nextafter(x, -INFINITY), p);
        }
    }
    uint64_t power = 1;
    for (int p = 0; p <= 13; p++, power *= 10) {
        /* d has p + 1 digits, so 10d + 5 is a tie at precision p. */
        for (int i = 0; i < 2000; i++) {
            uint64_t d = power + next_random() % (9 * power);
            double x = (double)(d * 10 + 5);
            compare(&tally, float_text_sci, "e", x, p);
            compare(&tally, float_text_sci, "e", -x / 1024, p);
            compare(&tally, float_text_sci, "e", nextafter(x, INFINITY), p);
            compare(&tally, float_text_sci, "e", nextafter(x, 0), p);
        }
    }
    expect_no_mismatch(&tally);
    ck_assert_int_eq(tally.declined, 0);
}
END_TEST

/* Values whose digits round up to the next power of ten ("9.99995" to
 * "1.0000e+01"), powers of ten, zeros and the extremes. */
START_TEST(test_edges_match_printf) {
    static const double values[] = {
        0.0,        -0.0,       0.5,         1.5,          2.5,       9.5,
        9.99995,    9.9999499,  99999.5,     0.00005,      0.0000499, 1e-5,
        1e-4,       0.99995,    999995.0,    9999.95,      1e4,       1e5,
        1e15,       1e16,       1e22,        1e23,         0.125,     0.375,
        5e-324,     2.2250738585072014e-308, 1.7976931348623157e308,  3.4028234663852886e38,
        1.1754943508222875e-38, 1.401298464324817e-45,     18446744073709551615.0};
    Tally tally = {0};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        for (int p = 0; p <= 20; p++) {
            compare_both(&tally, values[i], p);
            compare_both(&tally, -values[i], p);
            compare_both(&tally, nextafter(values[i], INFINITY), p);
            compare_both(&tally, nextafter(values[i], 0), p);
        }
    }
    expect_no_mismatch(&tally);
}
END_TEST

/* Every 4999th float32 bit pattern: with precisions up to 8, every float32
 * value from 1e-30 up takes the integer path in scientific notation, and
 * every one below 10^10 in fixed notation (tiny ones round to zero), and
 * matches printf there. */
START_TEST(test_float32_stay_on_integer_path) {
    Tally tally = {0};
    long expected_answers = 0;
    for (uint64_t bits = 0x00800000u; bits < 0x7f800000u; bits += 4999) {
        double x = float32_from_bits((uint32_t)bits);
        int p = (int)(bits % 9);
        compare(&tally, float_text_sci, "e", x, p);
        compare(&tally, float_text_sci, "e", -x, 4);
        if (x >= 1e-30) expected_answers += 2;
        if (x < 1e10) {
            compare(&tally, float_text_fixed, "f", x, p);
            expected_answers++;
        }
    }
    expect_no_mismatch(&tally);
    ck_assert_int_ge(tally.answered, expected_answers);
}
END_TEST

START_TEST(test_declines_what_does_not_fit) {
    char buf[FLOAT_TEXT_MAX];
    ck_assert_int_eq(float_text_fixed(buf, NAN, 4), -1);
    ck_assert_int_eq(float_text_sci(buf, -INFINITY, 4), -1);
    ck_assert_int_eq(float_text_fixed(buf, 1.0, -1), -1);
    ck_assert_int_eq(float_text_fixed(buf, 1.0, 20), -1);
    ck_assert_int_eq(float_text_sci(buf, 1.0, 18), -1);
    ck_assert_int_eq(float_text_fixed(buf, 1e300, 0), -1);
    ck_assert_int_eq(float_text_sci(buf, 5e-324, 4), -1);
}
END_TEST

int main(void) {
    Suite *s = suite_create("float_text");
    TCase *against_printf = tcase_create("against_printf");
    tcase_set_timeout(against_printf, 120);
    tcase_add_test(against_printf, test_random_values_match_printf);
    tcase_add_test(against_printf, test_ties_round_to_even);
    tcase_add_test(against_printf, test_edges_match_printf);
    tcase_add_test(against_printf, test_float32_stay_on_integer_path);
    tcase_add_test(against_printf, test_declines_what_does_not_fit);
    suite_add_tcase(s, against_printf);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
