/* cpu_sincos: sin and cos of float32 tensors, four values at a time.
 *
 * glibc's sinf and cosf go one value at a time through a branchy range
 * reduction; PyTorch runs SLEEF's vector versions. Here each float is
 * widened to double, reduced by k*pi/2 in three exact pieces (Cody-Waite,
 * fdlibm's constants) and fed to fdlibm's double-precision sin or cos
 * polynomial, picked per lane without a branch. The double result is within a few double ulps of the truth, so
 * rounding it to float gives the correctly rounded value except in the
 * rarest near-ties, where it is 1 float ulp off: the accuracy of glibc's
 * and SLEEF's float versions. Values beyond 2**16 in magnitude (where the
 * three-piece reduction stops being exact) and nan/inf go to sinf/cosf.
 *
 * Every value is computed by the same vector code whether it sits in a
 * full group of four or in the tail, so a result never depends on where a
 * row starts or how a tensor was split across threads. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cpu_sincos.h"

typedef double v4d __attribute__((vector_size(32)));
typedef uint64_t v4u __attribute__((vector_size(32)));
typedef float v4f __attribute__((vector_size(16)));

/* |x| below this reduces exactly: k < 2**16 times a 33-bit piece of pi/2
 * fits in a double's 53 bits. */
#define REDUCTION_LIMIT 65536.0f

/* fdlibm's __ieee754_rem_pio2: pi/2 as three 33-bit pieces. */
#define PIO2_1 1.57079632673412561417e+00
#define PIO2_2 6.07710050630396597660e-11
#define PIO2_3 2.02226624871116645580e-21
#define TWO_OVER_PI 6.36619772367581382433e-01
/* Adding 1.5 * 2**52 rounds to an integer held in the low mantissa bits. */
#define ROUNDING_SHIFT 6755399441055744.0

/* fdlibm's __kernel_sin and __kernel_cos on [-pi/4, pi/4]. */
#define S1 -1.66666666666666324348e-01
#define S2 8.33333333332248946124e-03
#define S3 -1.98412698298579493134e-04
#define S4 2.75573137070700676789e-06
#define S5 -2.50507602534068634195e-08
#define S6 1.58969099521155010221e-10
#define C1 4.16666666666666019037e-02
#define C2 -1.38888888888741095749e-03
#define C3 2.48015872894767294178e-05
#define C4 -2.75573143513906633035e-07
#define C5 2.08757232129817482790e-09
#define C6 -1.13596475577881948265e-11

/* A macro, not a function: a function returning a 32-byte vector would
 * change its calling convention between the AVX2 and default builds. */
#define splat(v) ((v4d){(v), (v), (v), (v)})

/* Picks per lane: the `when` lanes (all ones) from a, the others from b. */
#define BLEND(when, a, b) (((when) & (a)) | (~(when) & (b)))

/* Reinterpretations between the two vector types (same size); macros, as
 * splat is, so no function passes a 32-byte vector. */
#define bits_to_double(bits) ((v4d)(bits))
#define double_to_bits(d) ((v4u)(d))

/* A lane's polynomial coefficient: the cos one where use_cos, else sin's. */
#define COEFFICIENT(use_cos, c, s) \
    bits_to_double(BLEND(use_cos, double_to_bits(splat(c)), double_to_bits(splat(s))))

/* sin of 4 values, or cos as sin shifted by a quadrant (quadrant_shift 1).
 * Each lane needs fdlibm's sin polynomial (r + r*z*P(z)) or its cos one
 * (1 - z/2 + z*z*Q(z)), by its quadrant; both are A + B*P(z), so one
 * polynomial runs with the coefficients picked per lane. Always inlined,
 * so that each clone of sincos_group computes it with its own vectors. */
__attribute__((always_inline)) static inline v4f sincos4(v4f xf, uint64_t quadrant_shift) {
    v4d x = __builtin_convertvector(xf, v4d);
    v4d shifted = x * splat(TWO_OVER_PI) + splat(ROUNDING_SHIFT);
    v4d k = shifted - splat(ROUNDING_SHIFT);
    v4u quadrant = double_to_bits(shifted); /* k sits in the low bits */
    quadrant += (v4u){quadrant_shift, quadrant_shift, quadrant_shift, quadrant_shift};
    v4d r = ((x - k * splat(PIO2_1)) - k * splat(PIO2_2)) - k * splat(PIO2_3);

    /* Quadrant q: sin(x) is s, c, -s, -c for q = 0, 1, 2, 3 (mod 4). */
    v4u use_cos = -(quadrant & 1);
    v4d z = r * r;
    v4d poly = COEFFICIENT(use_cos, C5, S5) + z * COEFFICIENT(use_cos, C6, S6);
    poly = COEFFICIENT(use_cos, C4, S4) + z * poly;
    poly = COEFFICIENT(use_cos, C3, S3) + z * poly;
    poly = COEFFICIENT(use_cos, C2, S2) + z * poly;
    poly = COEFFICIENT(use_cos, C1, S1) + z * poly;
    v4d a = bits_to_double(BLEND(use_cos, double_to_bits(splat(1.0) - splat(0.5) * z), double_to_bits(r)));
    v4d b = bits_to_double(BLEND(use_cos, double_to_bits(z * z), double_to_bits(r * z)));
    v4u bits = double_to_bits(a + b * poly);
    /* At r = -0 the sin sum is +0; sin(-0) is -0, so a zero passes as is. */
    v4u zero_sin = (v4u)(r == splat(0.0)) & ~use_cos;
    bits = BLEND(zero_sin, double_to_bits(r), bits);
    bits ^= (quadrant & 2) << 62;
    return __builtin_convertvector(bits_to_double(bits), v4f);
}

/* The rare values the vector path cannot take, by the scalar library. */
static void fix_large(const float *x, float *y, int n, bool cosine) {
    for (int i = 0; i < n; i++)
        if (!(fabsf(x[i]) < REDUCTION_LIMIT)) y[i] = cosine ? cosf(x[i]) : sinf(x[i]);
}

#define GROUP 64 /* values per round trip through the local buffers */

/* AVX2 doubles the lanes where the CPU has it; one binary serves both. */
__attribute__((target_clones("avx2", "default")))
static void sincos_group(const float *x, float *y, int n, bool cosine) {
    uint64_t shift = cosine ? 1 : 0;
    int i = 0;
    /* Two groups of four per round: independent chains the core overlaps. */
    for (; i + 8 <= n; i += 8) {
        v4f in0, in1, out0, out1;
        memcpy(&in0, x + i, sizeof in0);
        memcpy(&in1, x + i + 4, sizeof in1);
        out0 = sincos4(in0, shift);
        out1 = sincos4(in1, shift);
        memcpy(y + i, &out0, sizeof out0);
        memcpy(y + i + 4, &out1, sizeof out1);
    }
    for (; i + 4 <= n; i += 4) {
        v4f in, out;
        memcpy(&in, x + i, sizeof in);
        out = sincos4(in, shift);
        memcpy(y + i, &out, sizeof out);
    }
    if (i < n) {
        v4f in = {0, 0, 0, 0}, out;
        memcpy(&in, x + i, (size_t)(n - i) * sizeof(float));
        out = sincos4(in, shift);
        memcpy(y + i, &out, (size_t)(n - i) * sizeof(float));
    }
}

/* Values go through small local buffers, so x and y may be the same
 * memory and any strides work alike. */
void cpu_sincos_f32(const char *x, int64_t x_stride, char *y, int64_t y_stride, int64_t n,
                    bool cosine) {
    float in[GROUP], out[GROUP];
    bool contiguous = x_stride == (int64_t)sizeof(float) && y_stride == (int64_t)sizeof(float);
    for (int64_t done = 0; done < n; done += GROUP) {
        int count = n - done < GROUP ? (int)(n - done) : GROUP;
        if (contiguous)
            memcpy(in, x + done * x_stride, (size_t)count * sizeof(float));
        else
            for (int i = 0; i < count; i++) memcpy(&in[i], x + (done + i) * x_stride, sizeof(float));
        sincos_group(in, out, count, cosine);
        fix_large(in, out, count, cosine);
        if (contiguous)
            memcpy(y + done * y_stride, out, (size_t)count * sizeof(float));
        else
            for (int i = 0; i < count; i++) memcpy(y + (done + i) * y_stride, &out[i], sizeof(float));
    }
}
