/* cpu_normal_fill_avx2: ATen 1.13's normal_fill_16_AVX2, with the log256_ps
 * and sincos256_ps it calls from ATen/native/cpu/avx_mathfun.h (Giovanni
 * Garberoglio's AVX port of Julien Pommier's sse_mathfun, Cephes
 * polynomials; zlib licence), operation for operation, so the normals are
 * PyTorch's bits. Not SLEEF: ATen's normal fill does not use it.
 *
 * The multiply-adds are fused where GCC fused them in Debian's libtorch:
 * ATen is built with GCC's default -ffp-contract=fast, which turns
 * avx_mathfun's separate _mm256_mul_ps and _mm256_add_ps into FMAs, and
 * that changes the bits. Written out here (and compiled with contraction
 * off, as the whole project), so no compiler's choice enters. The corpus
 * from real torch (tests/test_torch_rng.c, a million normals per draw)
 * tells most of them apart from a multiply then an add; the rest give the
 * same bits either way (exact products: z * 0.5, e * 0.693359375, y * DP1,
 * y * DP2) or differ too rarely to show (two log coefficients, y * DP3),
 * and follow GCC 12.2, the compiler of Debian's libtorch 1.13.1.
 * Compiled with -mavx2 -mfma. */
#include <immintrin.h>

#include "cpu_normal_fill.h"

#define PS(v) _mm256_set1_ps((float)(v))
#define PI32(v) _mm256_set1_epi32(v)
#define PS_BITS(v) _mm256_castsi256_ps(_mm256_set1_epi32((int)(v)))

static __m256 log256_ps(__m256 x) {
    const __m256 one = PS(1.0f);
    const __m256 invalid_mask = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LE_OS);
    x = _mm256_max_ps(x, PS_BITS(0x00800000)); /* cut off denormals */
    __m256i imm0 = _mm256_srli_epi32(_mm256_castps_si256(x), 23);
    /* keep only the fractional part */
    x = _mm256_and_ps(x, PS_BITS(~0x7f800000));
    x = _mm256_or_ps(x, PS(0.5f));
    imm0 = _mm256_sub_epi32(imm0, PI32(0x7f));
    __m256 e = _mm256_cvtepi32_ps(imm0);
    e = _mm256_add_ps(e, one);
    const __m256 mask = _mm256_cmp_ps(x, PS(0.707106781186547524), _CMP_LT_OS);
    const __m256 tmp = _mm256_and_ps(x, mask);
    x = _mm256_sub_ps(x, one);
    e = _mm256_sub_ps(e, _mm256_and_ps(one, mask));
    x = _mm256_add_ps(x, tmp);
    const __m256 z = _mm256_mul_ps(x, x);
    __m256 y = PS(7.0376836292E-2);
    y = _mm256_fmadd_ps(y, x, PS(-1.1514610310E-1));
    y = _mm256_fmadd_ps(y, x, PS(1.1676998740E-1));
    y = _mm256_fmadd_ps(y, x, PS(-1.2420140846E-1));
    y = _mm256_fmadd_ps(y, x, PS(+1.4249322787E-1));
    y = _mm256_fmadd_ps(y, x, PS(-1.6668057665E-1));
    y = _mm256_fmadd_ps(y, x, PS(+2.0000714765E-1));
    y = _mm256_fmadd_ps(y, x, PS(-2.4999993993E-1));
    y = _mm256_fmadd_ps(y, x, PS(+3.3333331174E-1));
    y = _mm256_mul_ps(y, x);
    y = _mm256_fmadd_ps(y, z, _mm256_mul_ps(e, PS(-2.12194440e-4)));
    y = _mm256_fnmadd_ps(z, PS(0.5f), y);
    x = _mm256_add_ps(x, y);
    x = _mm256_fmadd_ps(e, PS(0.693359375), x);
    x = _mm256_or_ps(x, invalid_mask); /* negative argument: NaN */
    return x;
}

static void sincos256_ps(__m256 x, __m256 *s, __m256 *c) {
    __m256 sign_bit_sin = x;
    /* take the absolute value */
    x = _mm256_and_ps(x, PS_BITS(~0x80000000u));
    /* extract the sign bit (upper one) */
    sign_bit_sin = _mm256_and_ps(sign_bit_sin, PS_BITS(0x80000000u));
    /* scale by 4/Pi */
    __m256 y = _mm256_mul_ps(x, PS(1.27323954473516));
    /* j = (j + 1) & ~1 (see the Cephes sources) */
    __m256i imm2 = _mm256_cvttps_epi32(y);
    imm2 = _mm256_add_epi32(imm2, PI32(1));
    imm2 = _mm256_and_si256(imm2, PI32(~1));
    y = _mm256_cvtepi32_ps(imm2);
    __m256i imm4 = imm2;
    /* the swap sign flag for the sine */
    __m256i imm0 = _mm256_and_si256(imm2, PI32(4));
    imm0 = _mm256_slli_epi32(imm0, 29);
    /* the polynomial selection mask for the sine */
    imm2 = _mm256_and_si256(imm2, PI32(2));
    imm2 = _mm256_cmpeq_epi32(imm2, PI32(0));
    const __m256 swap_sign_bit_sin = _mm256_castsi256_ps(imm0);
    const __m256 poly_mask = _mm256_castsi256_ps(imm2);
    /* extended precision modular arithmetic:
     * x = ((x - y * DP1) - y * DP2) - y * DP3 */
    x = _mm256_fmadd_ps(y, PS(-0.78515625), x);
    x = _mm256_fmadd_ps(y, PS(-2.4187564849853515625e-4), x);
    x = _mm256_fmadd_ps(y, PS(-3.77489497744594108e-8), x);
    imm4 = _mm256_sub_epi32(imm4, PI32(2));
    imm4 = _mm256_andnot_si256(imm4, PI32(4));
    imm4 = _mm256_slli_epi32(imm4, 29);
    const __m256 sign_bit_cos = _mm256_castsi256_ps(imm4);
    sign_bit_sin = _mm256_xor_ps(sign_bit_sin, swap_sign_bit_sin);
    /* the first polynomial (0 <= x <= Pi/4) */
    const __m256 z = _mm256_mul_ps(x, x);
    y = PS(2.443315711809948E-005);
    y = _mm256_fmadd_ps(y, z, PS(-1.388731625493765E-003));
    y = _mm256_fmadd_ps(y, z, PS(4.166664568298827E-002));
    y = _mm256_mul_ps(y, z);
    y = _mm256_fmsub_ps(y, z, _mm256_mul_ps(z, PS(0.5f)));
    y = _mm256_add_ps(y, PS(1.0f));
    /* the second polynomial (Pi/4 <= x <= 0) */
    __m256 y2 = PS(-1.9515295891E-4);
    y2 = _mm256_fmadd_ps(y2, z, PS(8.3321608736E-3));
    y2 = _mm256_fmadd_ps(y2, z, PS(-1.6666654611E-1));
    y2 = _mm256_mul_ps(y2, z);
    y2 = _mm256_fmadd_ps(y2, x, x);
    /* select the right result of the two polynomials */
    const __m256 ysin2 = _mm256_and_ps(poly_mask, y2);
    const __m256 ysin1 = _mm256_andnot_ps(poly_mask, y);
    y2 = _mm256_sub_ps(y2, ysin2);
    y = _mm256_sub_ps(y, ysin1);
    /* update the sign */
    *s = _mm256_xor_ps(_mm256_add_ps(ysin1, ysin2), sign_bit_sin);
    *c = _mm256_xor_ps(_mm256_add_ps(y, y2), sign_bit_cos);
}

void cpu_normal_fill_16_avx2(float *data, float mean, float std) {
    /* 2.0f * c10::pi<double>, rounded to float by _mm256_set1_ps */
    const __m256 two_pi = _mm256_set1_ps((float)(2.0f * 3.14159265358979323846));
    const __m256 one = _mm256_set1_ps(1.0f);
    const __m256 minus_two = _mm256_set1_ps(-2.0f);
    const __m256 mean_v = _mm256_set1_ps(mean);
    const __m256 std_v = _mm256_set1_ps(std);
    const __m256 u1 = _mm256_sub_ps(one, _mm256_loadu_ps(data));
    const __m256 u2 = _mm256_loadu_ps(data + 8);
    const __m256 radius = _mm256_sqrt_ps(_mm256_mul_ps(minus_two, log256_ps(u1)));
    const __m256 theta = _mm256_mul_ps(two_pi, u2);
    __m256 sintheta, costheta;
    sincos256_ps(theta, &sintheta, &costheta);
    const __m256 n1 = _mm256_mul_ps(radius, costheta);
    const __m256 n2 = _mm256_mul_ps(radius, sintheta);
    _mm256_storeu_ps(data, _mm256_fmadd_ps(n1, std_v, mean_v));
    _mm256_storeu_ps(data + 8, _mm256_fmadd_ps(n2, std_v, mean_v));
}
