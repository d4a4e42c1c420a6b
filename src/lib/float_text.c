/* float_text: exact "%.*f" and "%.*e" of a double in 128-bit integers.
 *
 * |x| = m * 2^e exactly, so the digits of x at a decimal scale s are
 * round(m * 2^e * 2^s * 5^s), to nearest with ties to even: a quotient of
 * two integers below 2^126 (each power on the side where it is positive),
 * one shift or one division, then twice the remainder against the divisor.
 * Everything is exact, so the text is printf's bit for bit (and Python's
 * format(), which rounds the same way); what does not fit returns -1 for
 * the caller's printf fallback. Float32 values with short precisions, the
 * printer's usual case, stay in 64 bits. */
#include "float_text.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

/* Limits of the integer path: a quotient that fits 64 bits, and the
 * precisions whose digit counts do. */
#define MAX_FIXED_PREC 19 /* 10^19 < 2^64 */
#define MAX_SCI_PREC 17   /* 10^18 < 2^64 */
#define MAX_BITS 126      /* num, den and twice a remainder fit in u128 */
#define MAX_POW5 54       /* 5^54 < 2^126 */

static const uint64_t pow10_u64[20] = {
    1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
    10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
    1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
    10000000000000000000u};

/* 5^n for n <= 27, the largest that fits 64 bits. */
static const uint64_t pow5_u64[28] = {
    1u, 5u, 25u, 125u, 625u, 3125u, 15625u, 78125u, 390625u, 1953125u, 9765625u, 48828125u,
    244140625u, 1220703125u, 6103515625u, 30517578125u, 152587890625u, 762939453125u,
    3814697265625u, 19073486328125u, 95367431640625u, 476837158203125u, 2384185791015625u,
    11920928955078125u, 59604644775390625u, 298023223876953125u, 1490116119384765625u,
    7450580596923828125u};

/* 5^n for n <= MAX_POW5. */
static u128 pow5_u128(int n) {
    return n <= 27 ? pow5_u64[n] : (u128)pow5_u64[27] * pow5_u64[n - 27];
}

/* An upper bound on the bit length of 5^n: 2378/1024 > log2(5). */
static int pow5_bits(int n) { return ((n * 2378) >> 10) + 1; }

static int bit_length(uint64_t v) { return 64 - __builtin_clzll(v); }

/* |x| = m * 2^e with m odd; x finite and nonzero. */
typedef struct Binary {
    uint64_t m;
    int e;
} Binary;

static Binary binary_of(double x) {
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    uint64_t fraction = bits & ((UINT64_C(1) << 52) - 1);
    int biased = (int)((bits >> 52) & 0x7ff);
    Binary b = biased ? (Binary){fraction | UINT64_C(1) << 52, biased - 1075}
                      : (Binary){fraction, -1074};
    int zeros = __builtin_ctzll(b.m);
    b.m >>= zeros;
    b.e += zeros;
    return b;
}

/* quotient + (remainder / den rounded to nearest, ties to even), where
 * den is a power of two or anything, remainder < den < 2^126. */
static u128 round_quotient(u128 quotient, u128 remainder, u128 den) {
    u128 twice = remainder << 1;
    return quotient + (twice > den || (twice == den && (quotient & 1)));
}

/* round(m * 2^e * 10^s), ties to even, into *digits; false when an operand
 * or the result does not fit. 10^s = 2^s * 5^s, so the value is
 * m * 2^twos * 5^fives, and each power goes above or below the line by its
 * sign: when fives >= 0 the divisor is a power of two, a shift. */
static bool scaled_digits(Binary b, int s, uint64_t *digits) {
    int twos = b.e + s, fives = s;
    if (fives > MAX_POW5 || fives < -MAX_POW5) return false;
    int num_bits = bit_length(b.m) + (fives > 0 ? pow5_bits(fives) : 0) + (twos > 0 ? twos : 0);
    int den_bits = 1 + (fives < 0 ? pow5_bits(-fives) : 0) + (twos < 0 ? -twos : 0);
    if (fives >= 0 && num_bits < -twos) {
        /* Below half of the divisor 2^-twos: rounds to 0 (fixed notation
         * of a tiny value), however far the divisor is out of range. */
        *digits = 0;
        return true;
    }
    if (num_bits > MAX_BITS || den_bits > MAX_BITS) return false;
    u128 quotient;
    if (fives >= 0 && num_bits <= 64 && twos > -64) {
        /* The common case (float32 values, short precisions): 64 bits. */
        uint64_t num = b.m * pow5_u64[fives] << (twos > 0 ? twos : 0);
        int shift = twos < 0 ? -twos : 0;
        uint64_t den = UINT64_C(1) << shift;
        quotient = round_quotient(num >> shift, num & (den - 1), den);
    } else {
        u128 num = b.m;
        if (fives > 0) num *= pow5_u128(fives);
        if (twos > 0) num <<= twos;
        if (fives >= 0) {
            int shift = twos < 0 ? -twos : 0;
            u128 den = (u128)1 << shift;
            quotient = round_quotient(num >> shift, num & (den - 1), den);
        } else {
            u128 den = pow5_u128(-fives);
            if (twos < 0) den <<= -twos;
            quotient = round_quotient(num / den, num % den, den);
        }
    }
    if (quotient > UINT64_MAX) return false;
    *digits = (uint64_t)quotient;
    return true;
}

/* floor(log10(2^n)) for |n| < 1650 (78913 / 2^18 just above log10(2));
 * GCC shifts negative numbers arithmetically. */
static int floor_log10_pow2(int n) { return (n * 78913) >> 18; }

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The `count` lowest decimal digits of v, leading zeros kept; two at a
 * time, since this is most of the work per element. */
static void write_digits(char *to, uint64_t v, int count) {
    int i = count;
    for (; i >= 2; i -= 2) {
        memcpy(to + i - 2, digit_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (i == 1) to[0] = (char)('0' + v % 10);
}

static int decimal_count(uint64_t v) {
    int n = 1;
    while (n < 20 && v >= pow10_u64[n]) n++;
    return n;
}

int float_text_fixed(char *buf, double x, int prec) {
    if (!isfinite(x) || prec < 0 || prec > MAX_FIXED_PREC) return -1;
    uint64_t digits = 0;
    if (x != 0 && !scaled_digits(binary_of(x), prec, &digits)) return -1;
    char *p = buf;
    if (signbit(x)) *p++ = '-';
    uint64_t integral = digits / pow10_u64[prec];
    int n = decimal_count(integral);
    write_digits(p, integral, n);
    p += n;
    if (prec > 0) {
        *p++ = '.';
        write_digits(p, digits % pow10_u64[prec], prec);
        p += prec;
    }
    return (int)(p - buf);
}

int float_text_sci(char *buf, double x, int prec) {
    if (!isfinite(x) || prec < 0 || prec > MAX_SCI_PREC) return -1;
    uint64_t digits = 0;
    int exponent = 0;
    if (x != 0) {
        Binary b = binary_of(x);
        /* An estimate from the binary exponent: the true decimal exponent
         * or one below it; rounding up to 10^(prec+1) adds one more. */
        exponent = floor_log10_pow2(b.e + bit_length(b.m) - 1);
        for (int tries = 0;; tries++) {
            if (tries == 3 || !scaled_digits(b, prec - exponent, &digits)) return -1;
            if (digits < pow10_u64[prec + 1]) break;
            exponent++;
        }
    }
    char *p = buf;
    if (signbit(x)) *p++ = '-';
    *p++ = (char)('0' + digits / pow10_u64[prec]);
    if (prec > 0) {
        *p++ = '.';
        write_digits(p, digits % pow10_u64[prec], prec);
        p += prec;
    }
    *p++ = 'e';
    *p++ = exponent < 0 ? '-' : '+';
    int magnitude = exponent < 0 ? -exponent : exponent;
    int n = magnitude >= 100 ? 3 : 2;
    write_digits(p, (uint64_t)magnitude, n);
    p += n;
    return (int)(p - buf);
}
