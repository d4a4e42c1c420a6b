/* cpu_normal_fill: the Box-Muller step of ATen 1.13's normal_fill
 * (native/cpu/DistributionTemplates.h), which turns 16 uniforms into 16
 * normals in place, in the variant this machine's ATen runs:
 * normal_fill_16_AVX2 (avx_mathfun.h's Cephes log and sincos, 8 lanes)
 * under the AVX2 and AVX512 capabilities (1.13 has no AVX-512 variant and
 * falls back to AVX2), the scalar normal_fill_16 (libm) under DEFAULT. */
#ifndef NB_CPU_NORMAL_FILL_H
#define NB_CPU_NORMAL_FILL_H

/* data[0..16): uniforms in [0, 1) in, normals * std + mean out; data[j]
 * and data[j + 8] are one Box-Muller pair (u1 = 1 - data[j]). */
void cpu_normal_fill_16(float *data, float mean, float std);

/* The AVX2 variant (cpu_normal_fill_avx2.c, compiled for AVX2 and FMA);
 * call only where cpu_capability() is AVX2 or AVX512. */
void cpu_normal_fill_16_avx2(float *data, float mean, float std);

#endif
