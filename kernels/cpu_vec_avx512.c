/* cpu_vec_avx512: cpu_vec's functions under ATen's AVX512 capability
 * (vec512_double.h, vec512_float.h). Compiled with ATen's AVX-512 flags,
 * which sleef.h needs to declare SLEEF's 512-bit functions. */
#include <immintrin.h>
#include <sleef.h>

#define ISA avx512
#define VD __m512d
#define VF __m512
#define DL 8
#define FL 16
#define LOAD_D _mm512_loadu_pd
#define LOAD_F _mm512_loadu_ps
#define STORE_D _mm512_storeu_pd
#define STORE_F _mm512_storeu_ps
#define SET1_D _mm512_set1_pd
#define SET1_F _mm512_set1_ps
#define SLEEF_D(name) Sleef_##name##d8_u10
#define SLEEF_F(name) Sleef_##name##f16_u10
#define POW_D Sleef_powd8_u10
#define POW_F Sleef_powf16_u10
#include "cpu_vec_isa_body.h"
