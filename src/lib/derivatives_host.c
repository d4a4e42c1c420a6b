/* derivatives_host: derivative formulas as host loops with the ops' bits
 * (derivatives_host.h). The elementwise arithmetic (*, /, unary minus) is
 * exactly rounded whatever loop ATen runs it in; pow and the VML functions
 * (sin, cos, exp, log) are where the loop structure shows, so they come
 * from the very kernel code the ops call: cpu_pow's per-value expressions
 * where every value of the run takes the scalar body, and vec_map (every
 * value through the vector function, as ATen's VML kernels). */
#include "derivatives_host.h"

#include <math.h>
#include <string.h>

#include "autograd.h"
#include "cpu_pow.h"
#include "cpu_vec.h"
#include "layout.h"

/* Values in a run this short sit on the stack. */
#define HOST_LOOP_MAX 256

/* Backward runs without grad mode (no graph of the derivative is made, which
 * a loop could not record). g may have any strides (sum's gradient is an
 * expanded one); x is read as one contiguous run, as the kernels read it. */
static bool host_alike(const Tensor *g, const Tensor *x) {
    return !torch_is_grad_enabled() && g && x && g->dtype == x->dtype &&
           (g->dtype == DTYPE_FLOAT32 || g->dtype == DTYPE_FLOAT64) && tensor_device(g) == DEVICE_CPU &&
           tensor_device(x) == DEVICE_CPU && layout_has_shape(g, x->ndim, x->shape) && tensor_is_contiguous(x) &&
           tensor_numel(x) <= HOST_LOOP_MAX;
}

/* g's values in C order: its own data when contiguous, else copied into
 * `buffer` (HOST_LOOP_MAX values) walking its strides as an odometer. */
static const void *values_of(const Tensor *g, void *buffer, int64_t n) {
    if (tensor_is_contiguous(g)) return tensor_data(g);
    size_t size = nb_dtype_size(g->dtype);
    const char *src = tensor_data(g);
    int64_t at[TENSOR_MAX_DIMS] = {0}, off = 0;
    for (int64_t i = 0; i < n; i++) {
        memcpy((char *)buffer + (size_t)i * size, src + off * (int64_t)size, size);
        for (int d = g->ndim - 1; d >= 0; d--) {
            off += g->strides[d];
            if (++at[d] < g->shape[d]) break;
            off -= g->strides[d] * g->shape[d];
            at[d] = 0;
        }
    }
    return buffer;
}

/* out = g * ((T)e * pow(a, e - 1)): pow_backward's exponent * self.pow(
 * exponent - 1) is a Scalar times a tensor, so e is cast to T first. */
#define POW_BACKWARD_LOOP(T, S, out, g, a, e, n)                                  \
    do {                                                                          \
        T gathered[HOST_LOOP_MAX];                                                \
        const T *pg = (const T *)values_of(g, gathered, n), *pa = tensor_data(a);            \
        T *po = tensor_data(out);                                                 \
        const T factor = (T)(e);                                                  \
        for (int64_t i = 0; i < (n); i++) {                                       \
            T power = cpu_pow_scalar_##S(pa[i], (e)-1.0);                         \
            T scaled = factor * power;                                            \
            po[i] = pg[i] * scaled;                                               \
        }                                                                         \
    } while (0)

Tensor *host_pow_backward(Tensor *g, Tensor *a, double e) {
    if (!host_alike(g, a) || !(fabs(e) < 0x1p53)) return NULL;
    int64_t n = tensor_numel(a);
    if (!cpu_pow_scalar_elementwise(n, (int)nb_dtype_size(a->dtype), e - 1.0)) return NULL;
    Tensor *out = tensor_empty(a->dtype, tensor_shape(a));
    if (!out) return NULL;
    if (a->dtype == DTYPE_FLOAT32) POW_BACKWARD_LOOP(float, f32, out, g, a, e, n);
    else POW_BACKWARD_LOOP(double, f64, out, g, a, e, n);
    return out;
}

/* f(x) by vec_map into a stack buffer, then the binary op with g. */
#define UNARY_BACKWARD_LOOP(T, S, op, out, g, x, n)                               \
    do {                                                                          \
        T gathered[HOST_LOOP_MAX], f[HOST_LOOP_MAX];                              \
        const T *pg = (const T *)values_of(g, gathered, n), *px = tensor_data(x);            \
        T *po = tensor_data(out);                                                 \
        switch (op) {                                                             \
        case UNARY_SIN: vec_map_##S(VEC_COS, f, px, n); break;                    \
        case UNARY_COS: vec_map_##S(VEC_SIN, f, px, n); break;                    \
        case UNARY_EXP: vec_map_##S(VEC_EXP, f, px, n); break;                    \
        default: break;                                                           \
        }                                                                         \
        for (int64_t i = 0; i < (n); i++) {                                       \
            switch (op) {                                                         \
            case UNARY_COS: {                                                     \
                T negated = -f[i];                                                \
                po[i] = pg[i] * negated;                                          \
                break;                                                            \
            }                                                                     \
            case UNARY_LOG: po[i] = pg[i] / px[i]; break;                         \
            default: po[i] = pg[i] * f[i]; break;                                 \
            }                                                                     \
        }                                                                         \
    } while (0)

Tensor *host_unary_backward(UnaryOp op, Tensor *g, Tensor *x) {
    if (op != UNARY_SIN && op != UNARY_COS && op != UNARY_EXP && op != UNARY_LOG) return NULL;
    if (!host_alike(g, x)) return NULL;
    int64_t n = tensor_numel(x);
    Tensor *out = tensor_empty(x->dtype, tensor_shape(x));
    if (!out) return NULL;
    if (x->dtype == DTYPE_FLOAT32) UNARY_BACKWARD_LOOP(float, f32, op, out, g, x, n);
    else UNARY_BACKWARD_LOOP(double, f64, op, out, g, x, n);
    return out;
}
