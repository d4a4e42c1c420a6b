/* cpu_vec_avx2: cpu_vec's functions under ATen's AVX2 capability
 * (vec256_double.h, vec256_float.h). Compiled with -mavx2 -mfma, which
 * sleef.h needs to declare SLEEF's 256-bit functions. */
#include <immintrin.h>
#include <sleef.h>

#define ISA avx2
#define VD __m256d
#define VF __m256
#define DL 4
#define FL 8
#define LOAD_D _mm256_loadu_pd
#define LOAD_F _mm256_loadu_ps
#define STORE_D _mm256_storeu_pd
#define STORE_F _mm256_storeu_ps
#define SET1_D _mm256_set1_pd
#define SET1_F _mm256_set1_ps
#define SLEEF_D(name) Sleef_##name##d4_u10
#define SLEEF_F(name) Sleef_##name##f8_u10
#define POW_D Sleef_powd4_u10
#define POW_F Sleef_powf8_u10
#include "cpu_vec_isa_body.h"
