/* cpu_cascade_sum: the 2-D loop of ATen 1.13's floating sum (cascade_sum
 * in native/cpu/SumKernel.cpp), addition for addition.
 *
 * ATen sums a float32 tensor in float32 (acc_type<float, is_cuda=true>)
 * and a float64 one in float64. Each run of a row is summed by
 * multi_row_sum: running sums on four levels, a level's sum moving up a
 * level every 2^p additions (p = max(4, ceil(log2 n) / 4)), so only numbers
 * of similar size meet. A contiguous row is read as AVX2 vectors (8 floats,
 * 4 doubles) summed lane by lane, four vectors apart (row_sum's ILP), the
 * lanes added in order at the end; a reduction whose kept dimension is the
 * contiguous one sums 8 or 32 outputs at once, lane by lane. Here a vector
 * is an array of lanes: each lane's additions are the same IEEE additions
 * in the same order, so the bits are AVX2's. */
#include "cpu_cascade_sum.h"

#include <string.h>

#define LEVELS 4
#define ILP 4
#define OUTER_ROWS 4

static int64_t ceil_log2(int64_t x) {
    if (x <= 2) return 1;
    int64_t bits = 0;
    for (uint64_t v = (uint64_t)x - 1; v; v >>= 1) bits++;
    return bits;
}

/* W lanes of type T: a vector when W is ATen's AVX2 width, a scalar when 1. */
#define DEFINE_CASCADE(T, S, VW)                                                                        \
    /* multi_row_sum: nrows sums (of W lanes each) of `size` rows; element                            \
     * (i, k, lane) at in + i*row_stride + k*col_stride + lane*sizeof(T). */                           \
    static void multi_row_sum_##S(const char *in, int64_t row_stride, int64_t col_stride, int64_t size, \
                                  int nrows, int w, T *out) {                                         \
        T acc[LEVELS][OUTER_ROWS * VW];                                                                \
        int width = nrows * w;                                                                         \
        memset(acc, 0, sizeof acc);                                                                    \
        int64_t power = ceil_log2(size) / LEVELS > 4 ? ceil_log2(size) / LEVELS : 4;                   \
        int64_t step = (int64_t)1 << power, mask = step - 1;                                           \
        int64_t i = 0;                                                                                 \
        while (i + step <= size) {                                                                     \
            for (int64_t j = 0; j < step; j++, i++)                                                    \
                for (int k = 0; k < nrows; k++) {                                                      \
                    const T *x = (const T *)(in + i * row_stride + k * col_stride);                    \
                    for (int l = 0; l < w; l++) acc[0][k * w + l] += x[l];                             \
                }                                                                                      \
            for (int j = 1; j < LEVELS; j++) {                                                         \
                for (int k = 0; k < width; k++) {                                                      \
                    acc[j][k] += acc[j - 1][k];                                                        \
                    acc[j - 1][k] = 0;                                                                 \
                }                                                                                      \
                if ((i & (mask << (j * power))) != 0) break;                                           \
            }                                                                                          \
        }                                                                                              \
        for (; i < size; i++)                                                                          \
            for (int k = 0; k < nrows; k++) {                                                          \
                const T *x = (const T *)(in + i * row_stride + k * col_stride);                        \
                for (int l = 0; l < w; l++) acc[0][k * w + l] += x[l];                                 \
            }                                                                                          \
        for (int j = 1; j < LEVELS; j++)                                                               \
            for (int k = 0; k < width; k++) acc[0][k] += acc[j][k];                                    \
        memcpy(out, acc[0], (size_t)width * sizeof(T));                                                \
    }                                                                                                  \
                                                                                                       \
    /* row_sum: one sum (of w lanes) of `size` rows `stride` apart, as four                            \
     * interleaved sums, the leftover rows added to the first, then the                                \
     * other three to it. */                                                                           \
    static void row_sum_##S(const char *in, int64_t stride, int64_t size, int w, T *out) {             \
        T partial[ILP * VW];                                                                           \
        int64_t size_ilp = size / ILP;                                                                 \
        multi_row_sum_##S(in, stride * ILP, stride, size_ilp, ILP, w, partial);                        \
        for (int64_t i = size_ilp * ILP; i < size; i++) {                                              \
            const T *x = (const T *)(in + i * stride);                                                 \
            for (int l = 0; l < w; l++) partial[l] += x[l];                                            \
        }                                                                                              \
        for (int k = 1; k < ILP; k++)                                                                  \
            for (int l = 0; l < w; l++) partial[l] += partial[k * w + l];                              \
        memcpy(out, partial, (size_t)w * sizeof(T));                                                   \
    }                                                                                                  \
                                                                                                       \
    static void store_##S(char *out, int64_t stride, int64_t index, T value) {                         \
        *(T *)(out + index * stride) += value;                                                         \
    }                                                                                                  \
                                                                                                       \
    /* reduced dimension contiguous: vectors along it, then the scalar tail,                           \
     * then the lanes */                                                                               \
    static void vectorized_inner_sum_##S(char **data, int64_t outer_stride, int64_t out_stride,        \
                                         int64_t size0, int64_t size1) {                               \
        int64_t vec_size = size0 / VW;                                                                 \
        for (int64_t j = 0; j < size1; j++) {                                                          \
            const char *row = data[1] + j * outer_stride;                                              \
            T lanes[VW];                                                                               \
            row_sum_##S(row, VW * (int64_t)sizeof(T), vec_size, VW, lanes);                            \
            T acc = 0;                                                                                 \
            for (int64_t k = vec_size * VW; k < size0; k++) acc += ((const T *)row)[k];                \
            for (int l = 0; l < VW; l++) acc += lanes[l];                                              \
            store_##S(data[0], out_stride, j, acc);                                                    \
        }                                                                                              \
    }                                                                                                  \
                                                                                                       \
    static void scalar_inner_sum_##S(char **data, const int64_t *in_strides, int64_t out_stride,       \
                                     int64_t size0, int64_t size1) {                                   \
        for (int64_t j = 0; j < size1; j++) {                                                          \
            T ans;                                                                                     \
            row_sum_##S(data[1] + j * in_strides[1], in_strides[0], size0, 1, &ans);                   \
            store_##S(data[0], out_stride, j, ans);                                                    \
        }                                                                                              \
    }                                                                                                  \
                                                                                                       \
    /* kept dimension contiguous: 4 vectors of outputs at once, then single                            \
     * vectors, then single outputs */                                                                 \
    static void vectorized_outer_sum_##S(char **data, int64_t inner_stride, int64_t out_stride,        \
                                         int64_t size0, int64_t size1) {                               \
        int64_t j = 0;                                                                                 \
        T sums[OUTER_ROWS * VW];                                                                       \
        for (; j + OUTER_ROWS * VW <= size1; j += OUTER_ROWS * VW) {                                   \
            multi_row_sum_##S(data[1] + j * (int64_t)sizeof(T), inner_stride, VW * (int64_t)sizeof(T), \
                              size0, OUTER_ROWS, VW, sums);                                            \
            for (int k = 0; k < OUTER_ROWS * VW; k++) store_##S(data[0], out_stride, j + k, sums[k]);  \
        }                                                                                              \
        for (; j + VW <= size1; j += VW) {                                                             \
            row_sum_##S(data[1] + j * (int64_t)sizeof(T), inner_stride, size0, VW, sums);              \
            for (int k = 0; k < VW; k++) store_##S(data[0], out_stride, j + k, sums[k]);               \
        }                                                                                              \
        for (; j < size1; j++) {                                                                       \
            row_sum_##S(data[1] + j * (int64_t)sizeof(T), inner_stride, size0, 1, sums);               \
            store_##S(data[0], out_stride, j, sums[0]);                                                \
        }                                                                                              \
    }                                                                                                  \
                                                                                                       \
    static void scalar_outer_sum_##S(char **data, const int64_t *in_strides, int64_t out_stride,       \
                                     int64_t size0, int64_t size1) {                                   \
        int64_t j = 0;                                                                                 \
        T sums[OUTER_ROWS];                                                                            \
        for (; j + (OUTER_ROWS - 1) < size1; j += OUTER_ROWS) {                                        \
            multi_row_sum_##S(data[1] + j * in_strides[1], in_strides[0], in_strides[1], size0,        \
                              OUTER_ROWS, 1, sums);                                                    \
            for (int k = 0; k < OUTER_ROWS; k++) store_##S(data[0], out_stride, j + k, sums[k]);       \
        }                                                                                              \
        for (; j < size1; j++) {                                                                       \
            row_sum_##S(data[1] + j * in_strides[1], in_strides[0], size0, 1, sums);                   \
            store_##S(data[0], out_stride, j, sums[0]);                                                \
        }                                                                                              \
    }                                                                                                  \
                                                                                                       \
    void cpu_cascade_sum_loop_##S(char **data, const int64_t *strides, int64_t size0, int64_t size1) { \
        int64_t in_strides[2] = {strides[1], strides[3]};                                              \
        int64_t out_strides[2] = {strides[0], strides[2]};                                             \
        /* the reduced dimension first */                                                              \
        if (out_strides[0] != 0 && out_strides[1] == 0) {                                              \
            int64_t t = in_strides[0];                                                                 \
            in_strides[0] = in_strides[1], in_strides[1] = t;                                          \
            t = out_strides[0], out_strides[0] = out_strides[1], out_strides[1] = t;                   \
            t = size0, size0 = size1, size1 = t;                                                       \
        }                                                                                              \
        if (out_strides[0] != 0 && out_strides[1] != 0) {                                              \
            /* nothing reduced here: out += in, element by element */                                  \
            for (int64_t j = 0; j < size1; j++)                                                        \
                for (int64_t i = 0; i < size0; i++) {                                                  \
                    T *o = (T *)(data[0] + j * strides[2] + i * strides[0]);                           \
                    *o = *o + *(const T *)(data[1] + j * strides[3] + i * strides[1]);                 \
                }                                                                                      \
            return;                                                                                    \
        }                                                                                              \
        int64_t out_stride = out_strides[1];                                                           \
        if (in_strides[0] == (int64_t)sizeof(T) && size0 >= VW)                                       \
            vectorized_inner_sum_##S(data, in_strides[1], out_stride, size0, size1);                   \
        else if (in_strides[1] == (int64_t)sizeof(T) && size1 >= VW)                                   \
            vectorized_outer_sum_##S(data, in_strides[0], out_stride, size0, size1);                   \
        else if (in_strides[0] < in_strides[1])                                                        \
            scalar_inner_sum_##S(data, in_strides, out_stride, size0, size1);                          \
        else                                                                                           \
            scalar_outer_sum_##S(data, in_strides, out_stride, size0, size1);                          \
    }

DEFINE_CASCADE(float, f32, 8)
DEFINE_CASCADE(double, f64, 4)

/* Integer sums wrap and are exact in any order (ATen's own order is
 * binary_kernel_reduce_vec's); a plain walk does. */
void cpu_wrapping_sum_loop_i64(char **data, const int64_t *strides, int64_t size0, int64_t size1) {
    for (int64_t j = 0; j < size1; j++)
        for (int64_t i = 0; i < size0; i++) {
            uint64_t *o = (uint64_t *)(data[0] + j * strides[2] + i * strides[0]);
            *o += *(const uint64_t *)(data[1] + j * strides[3] + i * strides[1]);
        }
}
