/* rng: NumPy 1.24's legacy RandomState, reproduced draw for draw.
 *
 * Every routine here mirrors one in NumPy (numpy/random/src/mt19937,
 * src/distributions, src/legacy, _bounded_integers.pyx.in) closely enough
 * that the same seed consumes the same 32-bit words in the same order; the
 * tests compare against a corpus recorded from the real NumPy. The words
 * come from one inlined path with the 624-word twist done in bulk, because
 * rng_normal is asked for hundreds of millions of values. */
#include "rng.h"

#include <assert.h>
#include <math.h>

#include "error.h"

/* NumPy's build rounds every product before adding (its compilers run in
 * ISO mode, and x86-64 baseline has no FMA). Fusing x1 * x1 + x2 * x2 or
 * loc + scale * g into one FMA, as -march=native with GNU C or clang's
 * defaults would, changes the last bit. GCC ignores the standard pragma,
 * clang ignores GCC's. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

enum { MT_N = 624, MT_M = 397 };

#define MT_MATRIX_A 0x9908b0dfu
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7fffffffu

static inline uint32_t rng_mix(uint32_t hi, uint32_t lo, uint32_t far) {
    uint32_t y = (hi & MT_UPPER) | (lo & MT_LOWER);
    return far ^ (y >> 1) ^ (-(y & 1u) & MT_MATRIX_A);
}

/* Regenerates all 624 words at once; split in three loops so that none
 * needs a modulo and the compiler can keep the first two branch-free. */
static void rng_twist(Rng *rng) {
    uint32_t *k = rng->key;
    int i = 0;
    for (; i < MT_N - MT_M; i++) k[i] = rng_mix(k[i], k[i + 1], k[i + MT_M]);
    for (; i < MT_N - 1; i++) k[i] = rng_mix(k[i], k[i + 1], k[i + MT_M - MT_N]);
    k[MT_N - 1] = rng_mix(k[MT_N - 1], k[0], k[MT_M - 1]);
    rng->pos = 0;
}

static inline uint32_t rng_temper(uint32_t y) {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

static inline uint32_t rng_word(Rng *rng) {
    if (rng->pos == MT_N) rng_twist(rng);
    return rng_temper(rng->key[rng->pos++]);
}

/* The high word is drawn first, as NumPy's mt19937_next64 does on the
 * compilers it ships with. */
static inline uint64_t rng_word64(Rng *rng) {
    uint64_t hi = rng_word(rng);
    return hi << 32 | rng_word(rng);
}

static inline double rng_double(Rng *rng) {
    uint32_t a = rng_word(rng) >> 5;
    uint32_t b = rng_word(rng) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

void rng_seed(Rng *rng, uint32_t seed) {
    /* Knuth's multiplier, as in the reference init_genrand; np.random.seed
     * with one integer uses this, not init_by_array (that is for arrays). */
    rng->key[0] = seed;
    for (uint32_t i = 1; i < MT_N; i++) {
        uint32_t prev = rng->key[i - 1];
        rng->key[i] = 1812433253u * (prev ^ (prev >> 30)) + i;
    }
    rng->pos = MT_N;
    /* RandomState.seed calls _reset_gauss: a value cached before reseeding
     * must not leak into the new stream. */
    rng->has_gauss = 0;
    rng->gauss = 0.0;
}

/* Accepts what Python's int() makes of plain ASCII decimals (a sign, then
 * digits, leading zeros allowed, so "-0" is 0) and refuses the looser forms
 * int() also takes (spaces, underscores), so a mistyped seed is not replayed
 * as some other one. Integers out of range get NumPy's own message. */
int rng_parse_seed(const char *text, uint32_t *seed) {
    static const char range_msg[] = "Seed must be between 0 and 2**32 - 1";
    const char *p = text;
    int negative = 0;
    if (*p == '+' || *p == '-') negative = *p++ == '-';
    const char *digits = p;
    while (*p >= '0' && *p <= '9') p++;
    if (p == digits || *p != '\0')
        return error_set(ERR_VALUE,
                         "invalid seed '%s': expected an integer between 0 and 2**32 - 1",
                         text);

    /* With leading zeros gone, more than ten digits is out of range, and
     * ten or fewer cannot overflow the accumulator. */
    while (*digits == '0' && digits + 1 < p) digits++;
    if (p - digits > 10) return error_set(ERR_VALUE, "%s", range_msg);
    uint64_t value = 0;
    for (const char *d = digits; d < p; d++) value = value * 10 + (uint64_t)(*d - '0');
    if (value > UINT32_MAX || (negative && value != 0))
        return error_set(ERR_VALUE, "%s", range_msg);
    *seed = (uint32_t)value;
    return 0;
}

uint32_t rng_next_uint32(Rng *rng) { return rng_word(rng); }

double rng_next_double(Rng *rng) { return rng_double(rng); }

/* The smallest all-ones mask covering max. */
static uint64_t rng_mask(uint64_t max) {
    for (int shift = 1; shift < 64; shift <<= 1) max |= max >> shift;
    return max;
}

/* Legacy randint always uses masked rejection (never Lemire's method), and
 * draws 32-bit words whenever the inclusive range fits in 32 bits. A range
 * of one value draws nothing at all. */
void rng_randint(Rng *rng, int64_t low, int64_t high, int64_t *out, size_t n) {
    assert(n == 0 || low < high);
    uint64_t off = (uint64_t)low;
    uint64_t span = (uint64_t)high - off - 1;  /* inclusive, as NumPy's rng */

    if (span == 0) {
        for (size_t i = 0; i < n; i++) out[i] = low;
    } else if (span <= UINT32_MAX) {
        uint32_t mask = (uint32_t)rng_mask(span);
        for (size_t i = 0; i < n; i++) {
            uint32_t v;
            do v = rng_word(rng) & mask;
            while (v > span);
            out[i] = (int64_t)(off + v);
        }
    } else {
        uint64_t mask = rng_mask(span);
        for (size_t i = 0; i < n; i++) {
            uint64_t v;
            do v = rng_word64(rng) & mask;
            while (v > span);
            out[i] = (int64_t)(off + v);
        }
    }
}

/* choice(a, size) with replace=True and p=None is randint(0, len(a), size)
 * in the legacy generator. */
void rng_choice_indices(Rng *rng, int64_t pop_size, int64_t *out, size_t n) {
    rng_randint(rng, 0, pop_size, out, n);
}

/* One polar Box-Muller pair: returns the value NumPy hands out now and
 * stores the one it caches, each computed as NumPy does (f * x). */
static inline double rng_gauss_pair(Rng *rng, double *second) {
    double x1, x2, r2;
    do {
        x1 = 2.0 * rng_double(rng) - 1.0;
        x2 = 2.0 * rng_double(rng) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    *second = f * x1;
    return f * x2;
}

double rng_gauss(Rng *rng) {
    if (rng->has_gauss) {
        rng->has_gauss = 0;
        double cached = rng->gauss;
        rng->gauss = 0.0;
        return cached;
    }
    double second;
    double first = rng_gauss_pair(rng, &second);
    rng->gauss = second;
    rng->has_gauss = 1;
    return first;
}

/* The same sequence as n calls of loc + scale * rng_gauss, with the cache
 * touched only at the ends. */
void rng_normal(Rng *rng, double loc, double scale, double *out, size_t n) {
    size_t i = 0;
    if (n > 0 && rng->has_gauss) out[i++] = loc + scale * rng_gauss(rng);
    for (; i + 1 < n; i += 2) {
        double second;
        double first = rng_gauss_pair(rng, &second);
        out[i] = loc + scale * first;
        out[i + 1] = loc + scale * second;
    }
    if (i < n) out[i] = loc + scale * rng_gauss(rng);
}
