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
#define SIN_D Sleef_sind4_u10
#define COS_D Sleef_cosd4_u10
#define EXP_D Sleef_expd4_u10
#define LOG_D Sleef_logd4_u10
#define POW_D Sleef_powd4_u10
#define SIN_F Sleef_sinf8_u10
#define COS_F Sleef_cosf8_u10
#define EXP_F Sleef_expf8_u10
#define LOG_F Sleef_logf8_u10
#define POW_F Sleef_powf8_u10
#include "cpu_vec_isa_body.h"
