/* creation: torch.ones, torch.full, torch.linspace and torch.arange with a
 * step. Each is built on the host and placed on the default device, as
 * torch_tensor and tensor_arange are. linspace and arange compute every
 * value as ATen 1.13's RangeFactoriesKernel.cpp does: a vectorized body of
 * two Vectorized<float> per step with its own formula, a scalar tail, and
 * both restarted at the boundaries of at::parallel_for's chunks. */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "cpu_capability.h"
#include "error.h"
#include "tensor.h"

/* c10's checked conversion of a Python number to the dtype (fill_'s). */
static int fill_host(Tensor *t, double value) {
    int64_t n = tensor_numel(t);
    switch (t->dtype) {
    case DTYPE_FLOAT32: {
        if (isfinite(value) && (value > FLT_MAX || value < -FLT_MAX))
            return nb_error_set(ERR_VALUE, "value cannot be converted to type float without overflow");
        float *p = t->storage->data;
        for (int64_t i = 0; i < n; i++) p[i] = (float)value;
        return 0;
    }
    case DTYPE_FLOAT64: {
        double *p = t->storage->data;
        for (int64_t i = 0; i < n; i++) p[i] = value;
        return 0;
    }
    case DTYPE_INT64: {
        if (!(value >= -0x1p63 && value < 0x1p63))
            return nb_error_set(ERR_VALUE, "value cannot be converted to type int64_t without overflow");
        int64_t *p = t->storage->data;
        for (int64_t i = 0; i < n; i++) p[i] = (int64_t)value;
        return 0;
    }
    case DTYPE_BOOL: {
        bool *p = t->storage->data;
        for (int64_t i = 0; i < n; i++) p[i] = value != 0;
        return 0;
    }
    }
    return 0;
}

static int check_sizes(Shape shape) {
    for (int i = 0; i < shape.ndim; i++) {
        if (shape.dims[i] >= 0) continue;
        char buf[256];
        return nb_error_set(ERR_VALUE, "Trying to create tensor with negative dimension %lld: %s",
                            (long long)shape.dims[i], nb_shape_str(shape.dims, shape.ndim, buf, sizeof buf));
    }
    return 0;
}

Tensor *tensor_full(DType dtype, Shape shape, double value) {
    if (nb_error_pending() || check_sizes(shape) != 0) return NULL;
    Tensor *t = tensor_empty(dtype, shape);
    if (!t || fill_host(t, value) != 0) return NULL;
    return tensor_place_on_default_device(t);
}

Tensor *tensor_ones(DType dtype, Shape shape) { return tensor_full(dtype, shape, 1.0); }

/* ---- linspace and arange: ATen's loop shape ---- */

#define ATEN_GRAIN 32768

/* How a range factory's values are computed: one value at an index (the
 * scalar tail), and a vector of `width` values starting at an index. */
typedef struct RangeRule RangeRule;
struct RangeRule {
    void (*vector)(const RangeRule *rule, int64_t idx, int width, float *out);
    float (*scalar)(const RangeRule *rule, int64_t idx);
    double start, end, step; /* as the kernel holds them (float or double) */
    int64_t steps, halfway;
    /* ATen's AVX2 and AVX-512 kernels are compiled with FMA, and GCC fuses
     * the lambdas' a + b * c into one (the DEFAULT build has no FMA); so
     * are Vectorized<float>::arange's double base + k * step (arange, where
     * it shows as 2**-55 instead of 0 on a range through zero), while
     * linspace's float ones match unfused */
    bool fused;
};

/* at::parallel_for(0, n, GRAIN_SIZE) over cpu_serial_kernel_vec: each
 * chunk runs the vectorized loop (two vectors at a time) and then the
 * scalar loop on what is left of it. */
static void fill_range(float *out, int64_t n, const RangeRule *rule) {
    int width = cpu_capability_vector_bytes(cpu_capability()) / (int)sizeof(float);
    int64_t threads = cpu_aten_threads();
    int64_t most = (n + ATEN_GRAIN - 1) / ATEN_GRAIN;
    if (n < ATEN_GRAIN || threads < 1) threads = 1;
    if (threads > most) threads = most;
    int64_t chunk = threads > 0 ? (n + threads - 1) / threads : n;
    for (int64_t begin = 0; begin < n; begin += chunk) {
        int64_t end = begin + chunk < n ? begin + chunk : n, i = begin;
        for (; i + 2 * width <= end; i += 2 * width) {
            rule->vector(rule, i, width, out + i);
            rule->vector(rule, i + width, width, out + i + width);
        }
        for (; i < end; i++) out[i] = rule->scalar(rule, i);
    }
}

/* linspace in float: start + step * idx for the first half, end - step *
 * (steps - idx - 1) for the second; a vector takes the half of its first
 * element and adds k * step to it (Vectorized<float>::arange). */
static float linspace_base(const RangeRule *r, int64_t idx) {
    float start = (float)r->start, end = (float)r->end, step = (float)r->step;
    float k = (float)(idx < r->halfway ? idx : r->steps - idx - 1);
    if (r->fused) return idx < r->halfway ? fmaf(step, k, start) : fmaf(-step, k, end);
    return idx < r->halfway ? start + step * k : end - step * k;
}

static void linspace_vector(const RangeRule *r, int64_t idx, int width, float *out) {
    float base = linspace_base(r, idx), step = (float)r->step;
    for (int k = 0; k < width; k++) out[k] = base + (float)k * step;
}

Tensor *tensor_linspace(double start, double end, int64_t steps) {
    if (nb_error_pending()) return NULL;
    if (steps < 0) {
        nb_error_set(ERR_VALUE, "number of steps must be non-negative");
        return NULL;
    }
    Tensor *t = tensor_empty(DTYPE_FLOAT32, SHAPE(steps));
    if (!t) return NULL;
    float *p = t->storage->data;
    if (steps == 1) p[0] = (float)start;
    if (steps > 1) {
        float fs = (float)start, fe = (float)end;
        RangeRule rule = {.vector = linspace_vector, .scalar = linspace_base, .start = fs, .end = fe,
                          .step = (fe - fs) / (float)(steps - 1), .steps = steps, .halfway = steps / 2,
                          .fused = cpu_capability() != CPU_CAPABILITY_DEFAULT};
        fill_range(p, steps, &rule);
    }
    return tensor_place_on_default_device(t);
}

/* arange in float accumulates in double (acc_type<float> on the CPU): a
 * value is start + step * idx rounded to float; a vector's first value is
 * that, and the others base + k * step in double (fused where the kernel
 * is), rounded. */
static float arange_scalar(const RangeRule *r, int64_t idx) {
    return (float)(r->fused ? fma(r->step, (double)idx, r->start) : r->start + r->step * (double)idx);
}

static void arange_vector(const RangeRule *r, int64_t idx, int width, float *out) {
    float base = arange_scalar(r, idx);
    for (int k = 0; k < width; k++)
        out[k] = (float)(r->fused ? fma((double)k, r->step, (double)base) : (double)base + (double)k * r->step);
}

Tensor *tensor_arange_step(double start, double end, double step) {
    if (nb_error_pending()) return NULL;
    double size = ceil((end - start) / step);
    if (!(step > 0 || step < 0)) {
        nb_error_set(ERR_VALUE, "step must be nonzero");
        return NULL;
    }
    if (!isfinite(start) || !isfinite(end)) {
        nb_error_set(ERR_VALUE, "unsupported range: %g -> %g", start, end);
        return NULL;
    }
    if (!((step > 0 && end >= start) || (step < 0 && end <= start))) {
        nb_error_set(ERR_VALUE, "upper bound and larger bound inconsistent with step sign");
        return NULL;
    }
    if (!(size >= 0 && size <= (double)INT64_MAX)) {
        nb_error_set(ERR_VALUE, "invalid size, possible overflow?");
        return NULL;
    }
    int64_t n = (int64_t)size;
    Tensor *t = tensor_empty(DTYPE_FLOAT32, SHAPE(n));
    if (!t) return NULL;
    RangeRule rule = {.vector = arange_vector, .scalar = arange_scalar, .start = start, .step = step,
                      .fused = cpu_capability() != CPU_CAPABILITY_DEFAULT};
    fill_range(t->storage->data, n, &rule);
    return tensor_place_on_default_device(t);
}
