/* test_cuda: the CUDA backend held to the CPU backend, op by op, and
 * autograd checked on the GPU by finite differences.
 *
 * Every entry of the backend table runs on the GPU through the library's
 * front end (tensor_add, tensor_bmm, tensor_copy_into, ...) on contiguous,
 * transposed, sliced, expanded, 0-d and empty operands, and its result is
 * compared with the same call on the CPU. What must agree bit for bit does:
 * copies and conversions, integer arithmetic (wrap-around included), the
 * correctly rounded IEEE operations (add, sub, mul, div, neg, and pow's
 * shortcuts x*x, sqrt, 1/x), and sum and sum_to_size, which follow the
 * CPU's order exactly. Where the GPU may round differently it is held to a
 * bound: sin, cos, exp, log and pow to a few ulp; dot and matrix products
 * (cuBLAS fuses multiply-adds, OpenBLAS orders sums its own way) to a
 * bound relative to the sum of |products|.
 *
 *   test_cuda            on GPU 0; skips (exit 77, saying why) without
 *                        CUDA in the build or without a usable device
 *   test_cuda --standin  the same comparisons with DEVICE_CUDA served by
 *                        tests/standin_device.c: checks this harness where
 *                        there is no GPU (the kernels are then the CPU's) */
#include <check.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "backend.h"
#include "error.h"
#include "gpu.h"
#include "ops.h"
#include "op_calls.h"
#include "rng.h"
#include "standin_device.h"
#include "tensor.h"

static bool standin;
static Rng rng;

/* SHAPE as a constant initializer, for the static tables below (SHAPE
 * itself is a compound literal) */
#define SHAPE_INIT(...) {(int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)), {__VA_ARGS__}}
#define SHAPE0_INIT {0, {0}}

/* ---- tensors ---- */

enum { ANY, POSITIVE };

/* Random values on the CPU: normal(0, 2) floats (|x| + 0.25 for
 * POSITIVE), integers in [-9, 9], bools. */
static Tensor *random_cpu(DType dtype, Shape shape, int flavour) {
    Tensor *t = tensor_empty(dtype, shape);
    ck_assert_ptr_nonnull(t);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n; i++) {
        double g = nb_rng_gauss(&rng) * 2;
        if (flavour == POSITIVE) g = fabs(g) + 0.25;
        int64_t k = (int64_t)(nb_rng_next_uint32(&rng) % 19) - 9;
        switch (dtype) {
        case DTYPE_BOOL: ((bool *)tensor_data(t))[i] = k & 1; break;
        case DTYPE_INT64: ((int64_t *)tensor_data(t))[i] = flavour == POSITIVE ? llabs(k) + 1 : k; break;
        case DTYPE_FLOAT32: ((float *)tensor_data(t))[i] = (float)g; break;
        case DTYPE_FLOAT64: ((double *)tensor_data(t))[i] = g; break;
        }
    }
    return t;
}

static Tensor *to_device(Tensor *t) {
    if (!t) return NULL;
    Tensor *d = tensor_empty_on(DEVICE_CUDA, t->dtype, tensor_shape(t));
    ck_assert_msg(tensor_copy_into(d, t) == 0, "to the device: %s", nb_error_message());
    d->is_wrapped_number = t->is_wrapped_number;
    return d;
}

static Tensor *to_cpu(const Tensor *t) {
    Tensor *h = tensor_empty(t->dtype, tensor_shape(t));
    ck_assert_msg(tensor_copy_into(h, t) == 0, "to the host: %s", nb_error_message());
    return h;
}

/* The views every op meets: t's own layout, transposed, a slice with a
 * step, one row expanded over the rows (stride 0). t is 2-D. */
#define LAYOUTS 4
static Tensor *layout_of(Tensor *t, int layout) {
    switch (layout) {
    case 1: return tensor_transpose(tensor_contiguous(tensor_transpose(t, 0, 1)), 0, 1);
    case 2: return tensor_slice(t, 1, 0, t->shape[1], 2);
    case 3: return tensor_expand(tensor_slice(t, 0, 0, 1, 1), tensor_shape(t));
    default: return t;
    }
}

static const char *layout_name(int layout) {
    static const char *const names[] = {"contiguous", "transposed", "sliced", "expanded"};
    return names[layout];
}

/* ---- comparing ---- */

typedef struct Bound {
    double rtol, atol; /* 0, 0: equal, nan with nan, zeros by sign */
} Bound;

static const Bound EXACT = {0, 0};

static Bound transcendental(DType dtype) {
    return dtype == DTYPE_FLOAT32 ? (Bound){2e-6, 2e-6} : (Bound){1e-13, 1e-13};
}

static bool same_value(double a, double b) {
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    return a == b && signbit(a) == signbit(b);
}

/* dev (any device) against cpu: dtype, shape, then every element, either
 * equal or within |d - c| <= atol*scale + rtol*|c|, scale from `scales`
 * (NULL: 1). */
static void expect_match_scaled(const char *what, const Tensor *cpu, const Tensor *dev, Bound bound,
                                const Tensor *scales) {
    ck_assert_msg(cpu && dev, "%s: %s", what, nb_error_message());
    ck_assert_msg(cpu->dtype == dev->dtype, "%s: dtype %s on the CPU, %s on the device", what,
                  nb_dtype_torch_name(cpu->dtype), nb_dtype_torch_name(dev->dtype));
    ck_assert_msg(nb_shape_equal(tensor_shape(cpu), tensor_shape(dev)), "%s: shapes differ", what);
    Tensor *c = tensor_contiguous((Tensor *)cpu), *d = tensor_contiguous(to_cpu(dev));
    Tensor *s = scales ? tensor_contiguous(tensor_to_dtype((Tensor *)scales, DTYPE_FLOAT64)) : NULL;
    int64_t n = tensor_numel(c);
    for (int64_t i = 0; i < n; i++) {
        if (cpu->dtype == DTYPE_INT64 || cpu->dtype == DTYPE_BOOL) {
            int64_t x = cpu->dtype == DTYPE_INT64 ? ((const int64_t *)tensor_data(c))[i]
                                                  : ((const bool *)tensor_data(c))[i];
            int64_t y = cpu->dtype == DTYPE_INT64 ? ((const int64_t *)tensor_data(d))[i]
                                                  : ((const bool *)tensor_data(d))[i];
            ck_assert_msg(x == y, "%s: element %lld is %lld on the CPU, %lld on the device", what, (long long)i,
                          (long long)x, (long long)y);
            continue;
        }
        double x = cpu->dtype == DTYPE_FLOAT32 ? ((const float *)tensor_data(c))[i]
                                               : ((const double *)tensor_data(c))[i];
        double y = cpu->dtype == DTYPE_FLOAT32 ? ((const float *)tensor_data(d))[i]
                                               : ((const double *)tensor_data(d))[i];
        double scale = s ? ((const double *)tensor_data(s))[i] : 1.0;
        bool ok = same_value(x, y) ||
                  (bound.rtol + bound.atol > 0 && isfinite(x) && isfinite(y) &&
                   fabs(x - y) <= bound.atol * scale + bound.rtol * fabs(x));
        ck_assert_msg(ok, "%s: element %lld is %.17g on the CPU, %.17g on the device", what, (long long)i, x, y);
    }
}

static void expect_match(const char *what, const Tensor *cpu, const Tensor *dev, Bound bound) {
    expect_match_scaled(what, cpu, dev, bound, NULL);
}

static void setup(void) {
    if (standin) backend_use_for_cuda(&standin_backend);
    nb_rng_seed(&rng, 20240607);
    nb_error_clear();
}

static void teardown(void) { backend_use_for_cuda(NULL); }

/* ---- copies and conversions ---- */

START_TEST(test_copy_every_dtype_pair) {
    TensorScope *scope = tensor_scope_open();
    const double specials[] = {0.0, -0.0, 1.5, -2.5, 3.99, NAN, INFINITY, -INFINITY, 1e30, -1e30,
                               9.3e18, -9.3e18, 4.25, 255.0, -1.0, 7.0};
    Tensor *base = tensor_from_data(DTYPE_FLOAT64, SHAPE(4, 4), specials);
    for (int from = 0; from < DTYPE_COUNT; from++) {
        Tensor *src_cpu = tensor_to_dtype(base, (DType)from);
        Tensor *src_dev = to_device(src_cpu);
        for (int layout = 0; layout < LAYOUTS; layout++) {
            Tensor *vc = layout_of(src_cpu, layout), *vd = layout_of(src_dev, layout);
            for (int to = 0; to < DTYPE_COUNT; to++) {
                char what[96];
                snprintf(what, sizeof what, "copy %s -> %s, %s", nb_dtype_torch_name((DType)from),
                         nb_dtype_torch_name((DType)to), layout_name(layout));
                Tensor *expected = tensor_empty((DType)to, tensor_shape(vc));
                ck_assert_int_eq(tensor_copy_into(expected, vc), 0);
                /* on the device, into a contiguous and into a transposed tensor */
                Tensor *dst = tensor_empty_on(DEVICE_CUDA, (DType)to, tensor_shape(vd));
                ck_assert_msg(tensor_copy_into(dst, vd) == 0, "%s: %s", what, nb_error_message());
                expect_match(what, expected, dst, EXACT);
                Tensor *dst_t = tensor_transpose(tensor_empty_on(DEVICE_CUDA, (DType)to, SHAPE(4, vd->shape[0])), 0, 1);
                if (vd->shape[1] == 4) {
                    ck_assert_int_eq(tensor_copy_into(dst_t, vd), 0);
                    expect_match(what, expected, dst_t, EXACT);
                }
                /* across: host view to device, device view to host */
                Tensor *up = tensor_empty_on(DEVICE_CUDA, (DType)to, tensor_shape(vc));
                ck_assert_int_eq(tensor_copy_into(up, vc), 0);
                expect_match(what, expected, up, EXACT);
                Tensor *down = tensor_empty((DType)to, tensor_shape(vd));
                ck_assert_int_eq(tensor_copy_into(down, vd), 0);
                expect_match(what, expected, down, EXACT);
            }
        }
    }
    /* one element read back, 0-d and from a view */
    ck_assert_double_eq(tensor_item(tensor_at(to_device(base), 0, 2)), 1.5);
    ck_assert_int_eq(tensor_get_int(tensor_to_dtype(to_device(base), DTYPE_INT64), (int64_t[]){3, 3}), 7);
    ck_assert(!nb_error_pending());
    tensor_scope_close(scope);
}
END_TEST

/* ---- elementwise ---- */

/* Every row of the op table, through its public call (op_calls.h). A row
 * is held to the transcendental bound unless it is exact on both sides
 * (its result is rounded once from exact arithmetic); each runs on inputs
 * of either sign and on positive ones (log's and sqrt's domain). */
static const char *const unary_names[] = {
#define UNARY_ROW_NAME(ID, NAME, ...) [UNARY_##ID] = NAME,
    UNARY_OP_LIST(UNARY_ROW_NAME)
#undef UNARY_ROW_NAME
};

static bool exact_unary(UnaryOp op) {
    return op == UNARY_NEG || op == UNARY_RELU || op == UNARY_ABS || op == UNARY_SQRT;
}

START_TEST(test_unary_ops) {
    TensorScope *scope = tensor_scope_open();
    const DType dtypes[] = {DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64};
    for (int o = 0; o < 2 * UNARY_OP_COUNT; o++)
        for (size_t t = 0; t < sizeof dtypes / sizeof dtypes[0]; t++) {
            UnaryOp op = (UnaryOp)(o % UNARY_OP_COUNT);
            int flavour = o < UNARY_OP_COUNT ? ANY : POSITIVE;
            Tensor *x = random_cpu(dtypes[t], SHAPE(37, 29), flavour);
            Tensor *xd = to_device(x);
            Bound bound = exact_unary(op) ? EXACT : transcendental(dtypes[t] == DTYPE_INT64 ? DTYPE_FLOAT32 : dtypes[t]);
            for (int layout = 0; layout < LAYOUTS; layout++) {
                char what[96];
                snprintf(what, sizeof what, "%s %s %s%s", unary_names[op], nb_dtype_torch_name(dtypes[t]),
                         layout_name(layout), flavour == POSITIVE ? ", positive" : "");
                expect_match(what, tensor_unary(op, layout_of(x, layout)), tensor_unary(op, layout_of(xd, layout)),
                             bound);
            }
            expect_match("0-d", tensor_unary(op, tensor_at(x, 3, 4)), tensor_unary(op, tensor_at(xd, 3, 4)), bound);
            expect_match("empty", tensor_unary(op, tensor_slice(x, 0, 0, 0, 1)),
                         tensor_unary(op, tensor_slice(xd, 0, 0, 0, 1)), bound);
        }
    tensor_scope_close(scope);
}
END_TEST

typedef Tensor *(*BinaryFn)(Tensor *, Tensor *);

/* Every binary row of the op table, through its public call; what is
 * special about a row is said here by its ID. */
static const char *const binary_names[] = {
#define BINARY_ROW_NAME(ID, NAME, ...) [BINARY_##ID] = NAME,
    BINARY_OP_LIST(BINARY_ROW_NAME)
#undef BINARY_ROW_NAME
};
static const bool binary_bool_result[] = {
#define BINARY_BOOL_RESULT(ID, NAME, GRAD_NAME, SAVED, FN, RULE, ...) [BINARY_##ID] = OP_RULE_##RULE == OP_RULE_BOOL_RESULT,
    BINARY_OP_LIST(BINARY_BOOL_RESULT)
#undef BINARY_BOOL_RESULT
};
/* through a math library on either side (pow), or an fma one side may
 * round twice (tanh_backward's broadcast scalar) */
static bool binary_inexact(BinaryOp op) { return op == BINARY_POW || op == BINARY_TANH_BACKWARD; }
/* defined for bool operands */
static bool binary_with_bool(BinaryOp op) {
    return op == BINARY_ADD || op == BINARY_MUL || op == BINARY_MAXIMUM || op == BINARY_MINIMUM ||
           binary_bool_result[op];
}
/* floats only */
static bool binary_floats_only(BinaryOp op) { return op == BINARY_TANH_BACKWARD; }
/* a Python number may stand on either side */
static bool binary_takes_numbers(BinaryOp op) {
    return op != BINARY_MAXIMUM && op != BINARY_MINIMUM && op != BINARY_TANH_BACKWARD &&
           op != BINARY_CLAMP_MIN && op != BINARY_CLAMP_MAX;
}

/* a and b shapes that broadcast, and how b is laid out */
static const struct {
    Shape a, b;
} broadcasts[] = {
    {SHAPE_INIT(6, 9), SHAPE_INIT(6, 9)}, {SHAPE_INIT(6, 1), SHAPE_INIT(1, 9)}, {SHAPE_INIT(6, 9), SHAPE_INIT(9)},
    {SHAPE_INIT(2, 6, 9), SHAPE_INIT(6, 1)}, {SHAPE_INIT(6, 9), SHAPE0_INIT}, {SHAPE0_INIT, SHAPE0_INIT}, {SHAPE_INIT(0, 3), SHAPE_INIT(3)},
};

START_TEST(test_binary_ops) {
    TensorScope *scope = tensor_scope_open();
    const DType dtypes[] = {DTYPE_BOOL, DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64};
    for (int o = 0; o < BINARY_OP_COUNT; o++)
        for (size_t t = 0; t < sizeof dtypes / sizeof dtypes[0]; t++) {
            BinaryOp op = (BinaryOp)o;
            bool pow_like = op == BINARY_POW; /* a positive base a, any exponent b; else b is positive */
            if (dtypes[t] == DTYPE_BOOL && !binary_with_bool(op)) continue;
            if (!nb_dtype_is_floating(dtypes[t]) && binary_floats_only(op)) continue;
            Bound bound = !binary_inexact(op) ? EXACT : transcendental(dtypes[t] == DTYPE_FLOAT64 ? DTYPE_FLOAT64 : DTYPE_FLOAT32);
            for (size_t s = 0; s < sizeof broadcasts / sizeof broadcasts[0]; s++) {
                Tensor *a = random_cpu(dtypes[t], broadcasts[s].a, pow_like ? POSITIVE : ANY);
                Tensor *b = random_cpu(dtypes[t], broadcasts[s].b, pow_like ? ANY : POSITIVE);
                /* integer exponents from -2 up, where int64 pow stays in range */
                if (pow_like && dtypes[t] == DTYPE_INT64)
                    b = tensor_sub(random_cpu(DTYPE_INT64, broadcasts[s].b, POSITIVE), py_int(3));
                char what[96];
                snprintf(what, sizeof what, "%s %s, broadcast case %zu", binary_names[op],
                         nb_dtype_torch_name(dtypes[t]), s);
                expect_match(what, tensor_binary(op, a, b), tensor_binary(op, to_device(a), to_device(b)), bound);
                /* a transposed left operand, and a Python number on the right */
                if (a->ndim == 2 && binary_takes_numbers(op)) {
                    Tensor *at = tensor_transpose(a, 0, 1);
                    expect_match(what, tensor_binary(op, at, py_float(1.75)),
                                 tensor_binary(op, tensor_transpose(to_device(a), 0, 1), py_float(1.75)), bound);
                    expect_match(what, tensor_binary(op, py_int(3), at),
                                 tensor_binary(op, py_int(3), tensor_transpose(to_device(a), 0, 1)), bound);
                }
            }
        }
    tensor_scope_close(scope);
}
END_TEST

/* where and clamp, over broadcast and transposed operands */
START_TEST(test_where_and_clamp) {
    TensorScope *scope = tensor_scope_open();
    const DType dtypes[] = {DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64};
    for (size_t t = 0; t < sizeof dtypes / sizeof dtypes[0]; t++) {
        Tensor *a = random_cpu(dtypes[t], SHAPE(6, 9), ANY), *b = random_cpu(dtypes[t], SHAPE(9), ANY);
        Tensor *lo = random_cpu(dtypes[t], SHAPE(6, 1), ANY);
        Tensor *c = tensor_gt(a, py_int(0));
        Tensor *ad = to_device(a), *bd = to_device(b), *lod = to_device(lo), *cd = to_device(c);
        const char *dt = nb_dtype_torch_name(dtypes[t]);
        expect_match(dt, tensor_where(c, a, b), tensor_where(cd, ad, bd), EXACT);
        expect_match(dt, tensor_where(tensor_transpose(tensor_gt(a, py_int(1)), 0, 1), py_float(0.5),
                                      tensor_transpose(a, 0, 1)),
                     tensor_where(tensor_transpose(tensor_gt(ad, py_int(1)), 0, 1), py_float(0.5),
                                  tensor_transpose(ad, 0, 1)),
                     EXACT);
        expect_match(dt, tensor_clamp(a, py_float(-0.5), py_int(1)), tensor_clamp(ad, py_float(-0.5), py_int(1)),
                     EXACT);
        expect_match(dt, tensor_clamp(a, lo, b), tensor_clamp(ad, lod, bd), EXACT);
        expect_match(dt, tensor_clamp_max(a, b), tensor_clamp_max(ad, bd), EXACT);
    }
    tensor_scope_close(scope);
}
END_TEST

/* pow by a scalar takes PyTorch's shortcuts on the CPU (x*x, x*x*x, sqrt,
 * 1/sqrt, 1/x, 1/(x*x)): the GPU must take the same, so those are exact;
 * other exponents go through pow itself. */
START_TEST(test_pow_special_cases) {
    TensorScope *scope = tensor_scope_open();
    const double bases[] = {0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 0.5, 1e-20, 3e20, INFINITY, -INFINITY, NAN};
    const double exponents[] = {2, 3, 0.5, -0.5, -1, -2, 0, 1, 1.7, -3.3, 50, INFINITY, NAN};
    const size_t nb = sizeof bases / sizeof bases[0], ne = sizeof exponents / sizeof exponents[0];
    for (int f = 0; f < 2; f++) {
        DType dtype = f ? DTYPE_FLOAT64 : DTYPE_FLOAT32;
        Tensor *base = tensor_to_dtype(tensor_from_data(DTYPE_FLOAT64, SHAPE(nb), bases), dtype);
        Tensor *based = to_device(base);
        for (size_t e = 0; e < ne; e++) {
            bool shortcut = exponents[e] == 2 || exponents[e] == 3 || fabs(exponents[e]) == 0.5 ||
                            exponents[e] == -1 || exponents[e] == -2;
            Bound bound = shortcut ? EXACT : transcendental(dtype);
            char what[64];
            snprintf(what, sizeof what, "pow %s by %g", nb_dtype_torch_name(dtype), exponents[e]);
            /* PyTorch's CPU kernel computes with a Python-number exponent
             * in double, its CUDA kernel with it rounded to the dtype */
            double rounded = dtype == DTYPE_FLOAT32 ? (double)(float)exponents[e] : exponents[e];
            expect_match(what, tensor_pow(base, py_float(rounded)), tensor_pow(based, py_float(exponents[e])),
                         bound);
            /* the same exponent in a tensor, expanded along each row:
             * pow's general kernel on both, as in PyTorch */
            Tensor *exponent = tensor_to_dtype(py_float(exponents[e]), dtype);
            expect_match(what, tensor_pow(base, tensor_expand(exponent, SHAPE(nb))),
                         tensor_pow(based, tensor_expand(to_device(exponent), SHAPE(nb))),
                         transcendental(dtype));
        }
        /* exponents that vary along the row: pow everywhere */
        Tensor *grid_b = tensor_expand(tensor_reshape(base, SHAPE(nb, 1)), SHAPE(nb, ne));
        Tensor *grid_e = tensor_expand(tensor_to_dtype(tensor_from_data(DTYPE_FLOAT64, SHAPE(ne), exponents), dtype),
                                       SHAPE(nb, ne));
        expect_match("pow grid", tensor_pow(grid_b, grid_e), tensor_pow(to_device(grid_b), to_device(grid_e)),
                     transcendental(dtype));
    }
    /* int64: squaring wraps; negative exponents of 1, -1 and others */
    const int64_t ibases[] = {0, 1, -1, 2, -2, 3, 7, 3037000500, -9};
    const int64_t iexps[] = {0, 1, 2, 3, 10, 63, 64, -1, -2, -3};
    const size_t nib = sizeof ibases / sizeof ibases[0], nie = sizeof iexps / sizeof iexps[0];
    Tensor *ib = tensor_expand(tensor_reshape(tensor_from_data(DTYPE_INT64, SHAPE(nib), ibases), SHAPE(nib, 1)),
                               SHAPE(nib, nie));
    Tensor *ie = tensor_expand(tensor_from_data(DTYPE_INT64, SHAPE(nie), iexps), SHAPE(nib, nie));
    expect_match("pow int64", tensor_pow(ib, ie), tensor_pow(to_device(ib), to_device(ie)), EXACT);
    expect_match("pow int64 by 2", tensor_pow(ib, py_int(2)), tensor_pow(to_device(ib), py_int(2)), EXACT);
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_int64_wraps_around) {
    TensorScope *scope = tensor_scope_open();
    const int64_t big[] = {INT64_MAX, INT64_MIN, INT64_MAX - 3, INT64_MIN + 5, 4611686018427387904, -1, 0, 3};
    Tensor *a = tensor_from_data(DTYPE_INT64, SHAPE(8), big);
    Tensor *b = tensor_from_data(DTYPE_INT64, SHAPE(8), (int64_t[]){7, -7, 9, -9, 4, INT64_MIN, INT64_MAX, 3});
    Tensor *ad = to_device(a), *bd = to_device(b);
    expect_match("add", tensor_add(a, b), tensor_add(ad, bd), EXACT);
    expect_match("sub", tensor_sub(a, b), tensor_sub(ad, bd), EXACT);
    expect_match("mul", tensor_mul(a, b), tensor_mul(ad, bd), EXACT);
    expect_match("neg", tensor_neg(a), tensor_neg(ad), EXACT);
    expect_match("sum", tensor_sum(a), tensor_sum(ad), EXACT);
    expect_match("dot", tensor_dot(a, b), tensor_dot(ad, bd), EXACT);
    tensor_scope_close(scope);
}
END_TEST

/* ---- reductions ---- */

/* The CPU's pairwise tree, bit for bit: sizes around every block
 * boundary, and one large enough for several tree passes on the GPU. */
START_TEST(test_sum_is_the_cpus_bit_for_bit) {
    TensorScope *scope = tensor_scope_open();
    const int64_t sizes[] = {0, 1, 2, 127, 128, 129, 255, 256, 257, 1000, 4097, 65537, 100003, (1 << 20) + 3};
    const DType dtypes[] = {DTYPE_BOOL, DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (size_t t = 0; t < sizeof dtypes / sizeof dtypes[0]; t++) {
            TensorScope *inner = tensor_scope_open();
            Tensor *x = random_cpu(dtypes[t], SHAPE(sizes[s]), ANY);
            char what[64];
            snprintf(what, sizeof what, "sum of %lld %s", (long long)sizes[s], nb_dtype_torch_name(dtypes[t]));
            expect_match(what, tensor_sum(x), tensor_sum(to_device(x)), EXACT);
            tensor_scope_close(inner);
        }
    /* a non-contiguous input is made contiguous first */
    Tensor *m = random_cpu(DTYPE_FLOAT32, SHAPE(300, 7), ANY);
    expect_match("sum of a transpose", tensor_sum(tensor_transpose(m, 0, 1)),
                 tensor_sum(tensor_transpose(to_device(m), 0, 1)), EXACT);
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_sum_to_size_follows_the_cpus_order) {
    TensorScope *scope = tensor_scope_open();
    const struct {
        Shape from, to;
    } cases[] = {
        {SHAPE(4, 5), SHAPE(1, 5)},     {SHAPE(4, 5), SHAPE(4, 1)},     {SHAPE(4, 5), SHAPE(5)},
        {SHAPE(2, 3, 4), SHAPE(3, 1)},  {SHAPE(2, 3, 4), SHAPE0},        {SHAPE(300, 7), SHAPE(7)},
        {SHAPE(3, 1, 5), SHAPE(1, 1, 5)}, {SHAPE(6, 4), SHAPE(6, 4)},    {SHAPE(0, 4), SHAPE(4)},
    };
    const DType dtypes[] = {DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (size_t t = 0; t < sizeof dtypes / sizeof dtypes[0]; t++) {
            Tensor *x = random_cpu(dtypes[t], cases[c].from, ANY);
            char what[64];
            snprintf(what, sizeof what, "sum_to_size case %zu %s", c, nb_dtype_torch_name(dtypes[t]));
            expect_match(what, tensor_sum_to_size(x, cases[c].to), tensor_sum_to_size(to_device(x), cases[c].to),
                         EXACT);
            if (x->ndim == 2)
                expect_match(what, tensor_sum_to_size(tensor_transpose(x, 0, 1), SHAPE(x->shape[0])),
                             tensor_sum_to_size(tensor_transpose(to_device(x), 0, 1), SHAPE(x->shape[0])), EXACT);
        }
    tensor_scope_close(scope);
}
END_TEST

/* sum and mean over a dimension (the sum entry, a window with the
 * dimension at stride 0 when not kept), max/min and argmax/argmin (the
 * reduce entry): the CPU's results, on the shapes whose sums the device
 * adds in the CPU's order (as sum_to_size's above). */
START_TEST(test_reductions_over_dims_match_the_cpu) {
    TensorScope *scope = tensor_scope_open();
    const struct {
        Shape shape;
        int dim;
    } cases[] = {
        {SHAPE(4, 5), 0}, {SHAPE(4, 5), 1}, {SHAPE(4, 5), -1}, {SHAPE(2, 3, 4), 1},
        {SHAPE(300, 7), 0}, {SHAPE(3, 1, 5), 1}, {SHAPE0, 0}, {SHAPE(7), 0},
    };
    const DType dtypes[] = {DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (size_t t = 0; t < sizeof dtypes / sizeof dtypes[0]; t++)
            for (int keepdim = 0; keepdim < 2; keepdim++) {
                Tensor *x = random_cpu(dtypes[t], cases[c].shape, ANY), *xd = to_device(x);
                int dim = cases[c].dim;
                char what[96];
                snprintf(what, sizeof what, "case %zu %s dim %d keepdim %d", c, nb_dtype_torch_name(dtypes[t]),
                         dim, keepdim);
                expect_match(what, tensor_sum_dim(x, dim, keepdim), tensor_sum_dim(xd, dim, keepdim), EXACT);
                expect_match(what, tensor_argmax_dim(x, dim, keepdim), tensor_argmax_dim(xd, dim, keepdim), EXACT);
                expect_match(what, tensor_argmin_dim(x, dim, keepdim), tensor_argmin_dim(xd, dim, keepdim), EXACT);
                if (dtypes[t] != DTYPE_INT64)
                    expect_match(what, tensor_mean_dim(x, dim, keepdim), tensor_mean_dim(xd, dim, keepdim), EXACT);
                if (keepdim) continue;
                expect_match(what, tensor_max(x), tensor_max(xd), EXACT);
                expect_match(what, tensor_min(x), tensor_min(xd), EXACT);
                expect_match(what, tensor_argmax(x), tensor_argmax(xd), EXACT);
                expect_match(what, tensor_argmin(x), tensor_argmin(xd), EXACT);
                Tensor *xt = x->ndim == 2 ? tensor_transpose(x, 0, 1) : x;
                Tensor *xdt = x->ndim == 2 ? tensor_transpose(xd, 0, 1) : xd;
                expect_match(what, tensor_max(xt), tensor_max(xdt), EXACT);
                expect_match(what, tensor_argmin(xt), tensor_argmin(xdt), EXACT);
            }
    /* NaN wins max and argmax, at its first place */
    const float special[] = {1.0f, NAN, 3.0f, NAN, -INFINITY, 3.0f};
    Tensor *s = tensor_from_data(DTYPE_FLOAT32, SHAPE(2, 3), special), *sd = to_device(s);
    expect_match("max with NaN", tensor_max(s), tensor_max(sd), EXACT);
    expect_match("argmax with NaN", tensor_argmax(s), tensor_argmax(sd), EXACT);
    expect_match("argmin_dim with NaN", tensor_argmin_dim(s, 1, false), tensor_argmin_dim(sd, 1, false), EXACT);
    const bool flags[] = {false, true, false};
    Tensor *b = tensor_from_data(DTYPE_BOOL, SHAPE(3), flags), *bd = to_device(b);
    expect_match("max of bool", tensor_max(b), tensor_max(bd), EXACT);
    expect_match("min of bool", tensor_min(b), tensor_min(bd), EXACT);
    tensor_scope_close(scope);
}
END_TEST

/* |t| in float64 (sqrt(t*t): the library has no abs) */
static Tensor *abs_of(Tensor *t) {
    return tensor_pow(tensor_pow(tensor_to_dtype(t, DTYPE_FLOAT64), py_int(2)), py_float(0.5));
}

/* The product of |a| and |b| on the CPU: the sum of |terms| that a
 * product's rounding error is measured against */
static Tensor *abs_scale(Tensor *a, Tensor *b, Tensor *(*product)(Tensor *, Tensor *)) {
    return product(abs_of(a), abs_of(b));
}

/* t's storage copied to the device whole, and t's view taken of it there:
 * the device operand has t's strides (transposed, stride-0 batches, ...). */
static Tensor *same_view_on_device(Tensor *t) {
    int64_t elements = (int64_t)(t->storage->nbytes / nb_dtype_size(t->dtype));
    Tensor *whole = to_device(tensor_make_view(t, 1, (int64_t[]){elements}, (int64_t[]){1}, 0));
    return tensor_make_view(whole, t->ndim, t->shape, t->strides, t->offset);
}

static Bound product_bound(DType dtype) {
    return dtype == DTYPE_FLOAT32 ? (Bound){1e-6, 1e-5} : dtype == DTYPE_FLOAT64 ? (Bound){1e-15, 1e-13} : EXACT;
}

START_TEST(test_dot) {
    TensorScope *scope = tensor_scope_open();
    const int64_t sizes[] = {0, 1, 5, 129, 1000, 100001};
    const DType dtypes[] = {DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (size_t t = 0; t < sizeof dtypes / sizeof dtypes[0]; t++) {
            Tensor *a = random_cpu(dtypes[t], SHAPE(2 * sizes[s]), ANY);
            Tensor *b = random_cpu(dtypes[t], SHAPE(sizes[s]), ANY);
            Tensor *as = tensor_slice(a, 0, 0, 2 * sizes[s], 2);
            char what[64];
            snprintf(what, sizeof what, "dot of %lld %s", (long long)sizes[s], nb_dtype_torch_name(dtypes[t]));
            expect_match_scaled(what, tensor_dot(as, b),
                                tensor_dot(tensor_slice(to_device(a), 0, 0, 2 * sizes[s], 2), to_device(b)),
                                product_bound(dtypes[t]), dtypes[t] == DTYPE_INT64 ? NULL : abs_scale(as, b, tensor_dot));
        }
    tensor_scope_close(scope);
}
END_TEST

/* ---- matrix products ---- */

/* cuBLAS reads operands in place when they are row- or column-major, with
 * stride-0 batches; anything else is copied first. */
START_TEST(test_bmm_layouts) {
    TensorScope *scope = tensor_scope_open();
    const int64_t dims[][4] = {{1, 1, 1, 1}, {3, 2, 4, 5}, {2, 7, 1, 3}, {4, 1, 6, 1}, {2, 33, 17, 9}, {1, 64, 64, 64}};
    const DType dtypes[] = {DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64};
    for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++)
        for (size_t t = 0; t < sizeof dtypes / sizeof dtypes[0]; t++)
            for (int form = 0; form < 6; form++) {
                int64_t B = dims[d][0], M = dims[d][1], K = dims[d][2], N = dims[d][3];
                Tensor *a, *b;
                switch (form) {
                case 1: /* a transposed (column-major) */
                    a = tensor_transpose(random_cpu(dtypes[t], SHAPE(B, K, M), ANY), 1, 2);
                    b = random_cpu(dtypes[t], SHAPE(B, K, N), ANY);
                    break;
                case 2: /* b transposed */
                    a = random_cpu(dtypes[t], SHAPE(B, M, K), ANY);
                    b = tensor_transpose(random_cpu(dtypes[t], SHAPE(B, N, K), ANY), 1, 2);
                    break;
                case 3: /* one a for every batch: batch stride 0 */
                    a = tensor_expand(random_cpu(dtypes[t], SHAPE(1, M, K), ANY), SHAPE(B, M, K));
                    b = random_cpu(dtypes[t], SHAPE(B, K, N), ANY);
                    break;
                case 4: /* neither row- nor column-major: copied first */
                    a = tensor_slice(random_cpu(dtypes[t], SHAPE(B, M, 2 * K), ANY), 2, 0, 2 * K, 2);
                    b = tensor_slice(random_cpu(dtypes[t], SHAPE(B, 2 * K, N), ANY), 1, 0, 2 * K, 2);
                    break;
                case 5: /* both transposed, b's batch expanded */
                    a = tensor_transpose(random_cpu(dtypes[t], SHAPE(B, K, M), ANY), 1, 2);
                    b = tensor_expand(tensor_transpose(random_cpu(dtypes[t], SHAPE(1, N, K), ANY), 1, 2),
                                      SHAPE(B, K, N));
                    break;
                default:
                    a = random_cpu(dtypes[t], SHAPE(B, M, K), ANY);
                    b = random_cpu(dtypes[t], SHAPE(B, K, N), ANY);
                }
                Tensor *ad = same_view_on_device(a), *bd = same_view_on_device(b);
                char what[96];
                snprintf(what, sizeof what, "bmm %lldx%lldx%lldx%lld %s form %d", (long long)B, (long long)M,
                         (long long)K, (long long)N, nb_dtype_torch_name(dtypes[t]), form);
                expect_match_scaled(what, tensor_bmm(a, b), tensor_bmm(ad, bd), product_bound(dtypes[t]),
                                    dtypes[t] == DTYPE_INT64 ? NULL : abs_scale(a, b, tensor_bmm));
            }
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_matmul_front_end) {
    TensorScope *scope = tensor_scope_open();
    const struct {
        Shape a, b;
    } cases[] = {
        {SHAPE(5), SHAPE(5)},         {SHAPE(3, 5), SHAPE(5)},       {SHAPE(5), SHAPE(5, 4)},
        {SHAPE(3, 5), SHAPE(5, 4)},   {SHAPE(2, 3, 5), SHAPE(5, 4)}, {SHAPE(5, 4), SHAPE(2, 4, 3)},
        {SHAPE(2, 1, 3, 5), SHAPE(4, 5, 2)}, {SHAPE(3, 0), SHAPE(0, 4)}, {SHAPE(2, 3, 5), SHAPE(5)},
    };
    for (int f = 0; f < 2; f++) {
        DType dtype = f ? DTYPE_FLOAT64 : DTYPE_FLOAT32;
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            Tensor *a = random_cpu(dtype, cases[c].a, ANY), *b = random_cpu(dtype, cases[c].b, ANY);
            char what[64];
            snprintf(what, sizeof what, "matmul case %zu %s", c, nb_dtype_torch_name(dtype));
            expect_match_scaled(what, tensor_matmul(a, b), tensor_matmul(to_device(a), to_device(b)),
                                product_bound(dtype), abs_scale(a, b, tensor_matmul));
        }
        Tensor *u = random_cpu(dtype, SHAPE(4), ANY), *v = random_cpu(dtype, SHAPE(3), ANY);
        expect_match("outer", tensor_outer(u, v), tensor_outer(to_device(u), to_device(v)), EXACT);
    }
    Tensor *i = tensor_arange(0, 12), *j = tensor_arange(1, 13);
    expect_match("int64 mm", tensor_mm(tensor_reshape(i, SHAPE(3, 4)), tensor_reshape(j, SHAPE(4, 3))),
                 tensor_mm(tensor_reshape(to_device(i), SHAPE(3, 4)), tensor_reshape(to_device(j), SHAPE(4, 3))),
                 EXACT);
    tensor_scope_close(scope);
}
END_TEST

/* ---- autograd on the device ---- */

typedef Tensor *(*GradFn)(Tensor *const *x);

static Tensor *g_sin(Tensor *const *x) { return tensor_sin(x[0]); }
static Tensor *g_cos(Tensor *const *x) { return tensor_cos(x[0]); }
static Tensor *g_exp(Tensor *const *x) { return tensor_exp(x[0]); }
static Tensor *g_log(Tensor *const *x) { return tensor_log(x[0]); }
static Tensor *g_neg(Tensor *const *x) { return tensor_neg(x[0]); }
static Tensor *g_add(Tensor *const *x) { return tensor_add(x[0], x[1]); }
static Tensor *g_sub(Tensor *const *x) { return tensor_sub(x[0], x[1]); }
static Tensor *g_mul(Tensor *const *x) { return tensor_mul(x[0], x[1]); }
static Tensor *g_div(Tensor *const *x) { return tensor_div(x[0], x[1]); }
static Tensor *g_pow(Tensor *const *x) { return tensor_pow(x[0], x[1]); }
static Tensor *g_pow_scalar(Tensor *const *x) { return tensor_pow(x[0], py_float(2.5)); }
static Tensor *g_sum(Tensor *const *x) { return tensor_sum(x[0]); }
static Tensor *g_dot(Tensor *const *x) { return tensor_dot(x[0], x[1]); }
static Tensor *g_mm(Tensor *const *x) { return tensor_mm(x[0], x[1]); }
static Tensor *g_bmm(Tensor *const *x) { return tensor_bmm(x[0], x[1]); }
static Tensor *g_matmul(Tensor *const *x) { return tensor_matmul(x[0], x[1]); }
static Tensor *g_select(Tensor *const *x) { return tensor_mul(tensor_at(x[0], 1), tensor_transpose(x[1], 0, 1)); }
static Tensor *g_sum_dim(Tensor *const *x) { return tensor_sum_dim(x[0], 1, false); }
static Tensor *g_mean_dim(Tensor *const *x) { return tensor_mean_dim(x[0], 0, true); }
static Tensor *g_mean(Tensor *const *x) { return tensor_mean(x[0]); }
static Tensor *g_max(Tensor *const *x) { return tensor_max(x[0]); }
static Tensor *g_min(Tensor *const *x) { return tensor_min(x[0]); }
static Tensor *g_chain(Tensor *const *x) {
    return tensor_exp(tensor_neg(tensor_log(tensor_add(py_int(4), tensor_sum(tensor_sin(x[0]))))));
}

static const struct {
    const char *name;
    int ninputs;
    Shape shapes[2];
    bool positive;
    GradFn fn;
} grad_cases[] = {
    {"sin", 1, {SHAPE_INIT(2, 3)}, false, g_sin},
    {"cos", 1, {SHAPE_INIT(2, 3)}, false, g_cos},
    {"exp", 1, {SHAPE_INIT(2, 3)}, false, g_exp},
    {"log", 1, {SHAPE_INIT(2, 3)}, true, g_log},
    {"neg", 1, {SHAPE_INIT(4)}, false, g_neg},
    {"add, broadcast", 2, {SHAPE_INIT(2, 3), SHAPE_INIT(3)}, false, g_add},
    {"sub, broadcast", 2, {SHAPE_INIT(2, 1), SHAPE_INIT(1, 3)}, false, g_sub},
    {"mul, broadcast", 2, {SHAPE_INIT(2, 3), SHAPE_INIT(2, 1)}, false, g_mul},
    {"div", 2, {SHAPE_INIT(2, 3), SHAPE_INIT(2, 3)}, true, g_div},
    {"pow", 2, {SHAPE_INIT(2, 3), SHAPE_INIT(3)}, true, g_pow},
    {"pow by a scalar", 1, {SHAPE_INIT(5)}, true, g_pow_scalar},
    {"sum", 1, {SHAPE_INIT(3, 4)}, false, g_sum},
    {"dot", 2, {SHAPE_INIT(5), SHAPE_INIT(5)}, false, g_dot},
    {"mm", 2, {SHAPE_INIT(3, 4), SHAPE_INIT(4, 2)}, false, g_mm},
    {"bmm", 2, {SHAPE_INIT(2, 3, 4), SHAPE_INIT(2, 4, 2)}, false, g_bmm},
    {"matmul, broadcast batches", 2, {SHAPE_INIT(2, 1, 3, 4), SHAPE_INIT(3, 4, 2)}, false, g_matmul},
    {"select and transpose", 2, {SHAPE_INIT(3, 2, 4), SHAPE_INIT(4, 2)}, false, g_select},
    {"sum, sin, log, exp", 1, {SHAPE_INIT(3)}, true, g_chain},
    {"sum over a dimension", 1, {SHAPE_INIT(3, 4)}, false, g_sum_dim},
    {"mean over a dimension, kept", 1, {SHAPE_INIT(3, 4)}, false, g_mean_dim},
    {"mean", 1, {SHAPE_INIT(2, 3)}, false, g_mean},
    {"max", 1, {SHAPE_INIT(2, 3)}, false, g_max},
    {"min", 1, {SHAPE_INIT(5)}, false, g_min},
};

/* sum(f(x) * w) for fixed random weights w: a scalar whose gradient
 * involves every output element */
static double loss_value(int c, Tensor *const *x, Tensor *w) {
    TensorScope *scope = tensor_scope_open();
    double value = tensor_item(tensor_sum(tensor_mul(grad_cases[c].fn(x), w)));
    tensor_scope_close(scope);
    return value;
}

START_TEST(test_gradcheck_on_the_device) {
    const int c = _i;
    TensorScope *scope = tensor_scope_open();
    const int n = grad_cases[c].ninputs;
    Tensor *host[2], *dev[2], *cpu_leaf[2], *dev_leaf[2];
    for (int i = 0; i < n; i++) {
        host[i] = random_cpu(DTYPE_FLOAT64, grad_cases[c].shapes[i], grad_cases[c].positive ? POSITIVE : ANY);
        dev[i] = to_device(host[i]);
        cpu_leaf[i] = tensor_requires_grad_(tensor_clone(host[i]), true);
        dev_leaf[i] = tensor_requires_grad_(to_device(host[i]), true);
    }
    Tensor *out_cpu = grad_cases[c].fn(cpu_leaf);
    ck_assert_msg(out_cpu, "%s: %s", grad_cases[c].name, nb_error_message());
    Tensor *w = random_cpu(DTYPE_FLOAT64, tensor_shape(out_cpu), ANY), *wd = to_device(w);
    ck_assert_int_eq(tensor_backward(tensor_sum(tensor_mul(out_cpu, w)), NULL, false), 0);
    Tensor *out_dev = grad_cases[c].fn(dev_leaf);
    ck_assert_int_eq(tensor_device(out_dev), DEVICE_CUDA);
    ck_assert_msg(tensor_backward(tensor_sum(tensor_mul(out_dev, wd)), NULL, false) == 0, "%s: %s",
                  grad_cases[c].name, nb_error_message());

    for (int i = 0; i < n; i++) {
        Tensor *grad = tensor_grad(dev_leaf[i]);
        ck_assert_ptr_nonnull(grad);
        ck_assert_int_eq(tensor_device(grad), DEVICE_CUDA);
        char what[96];
        snprintf(what, sizeof what, "%s: gradient of input %d, device against CPU", grad_cases[c].name, i);
        expect_match(what, tensor_grad(cpu_leaf[i]), grad, (Bound){1e-12, 1e-12});
        /* central differences, every forward on the device */
        Tensor *analytic = tensor_contiguous(to_cpu(grad));
        int64_t count = tensor_numel(host[i]);
        for (int64_t k = 0; k < count; k++) {
            const double h = 1e-6;
            Tensor *probe[2] = {dev[0], n > 1 ? dev[1] : NULL};
            double *p = tensor_data(host[i]);
            double saved = p[k];
            p[k] = saved + h;
            probe[i] = to_device(host[i]);
            double up = loss_value(c, probe, wd);
            p[k] = saved - h;
            probe[i] = to_device(host[i]);
            double down = loss_value(c, probe, wd);
            p[k] = saved;
            double numeric = (up - down) / (2 * h);
            double got = ((const double *)tensor_data(analytic))[k];
            ck_assert_msg(fabs(got - numeric) <= 1e-5 * (1 + fabs(numeric)),
                          "%s: d/dx%d[%lld] is %.10g by autograd, %.10g by finite differences", grad_cases[c].name,
                          i, (long long)k, got, numeric);
        }
    }
    ck_assert(!nb_error_pending());
    tensor_scope_close(scope);
}
END_TEST

/* ---- memory and errors (the real device only) ---- */

/* ---- shape ops, creation, autograd controls ---- */

/* Views and copies above the kernels: the device's cat, stack, permuted
 * and flattened copies, ranges and fills, and their gradients, are the
 * CPU's bit for bit. */
START_TEST(test_shape_ops_and_creation) {
    TensorScope *scope = tensor_scope_open();
    Tensor *results[2][7];
    for (int d = 0; d < 2; d++) {
        tensor_set_default_device(d ? DEVICE_CUDA : DEVICE_CPU);
        Tensor *x = torch_tensor_as("[[0.5, -1.5, 2], [3, 0.25, 1]]", DTYPE_FLOAT32, true);
        Tensor *y = tensor_requires_grad_(tensor_linspace(-3.0, 5.0, 70), true);
        Tensor *r = tensor_arange_step(-1.0, 7.5, 0.7);
        Tensor *ints = tensor_full(DTYPE_INT64, SHAPE(2, 3), 3.0);
        Tensor *flat = tensor_flatten(tensor_permute(tensor_view(x, SHAPE(3, 2)), SHAPE(1, 0)));
        Tensor *joined = tensor_cat(4, (Tensor *[]){flat, y, r, tensor_ones(DTYPE_FLOAT64, SHAPE(0))}, 0);
        Tensor *stacked = tensor_stack(2, (Tensor *[]){tensor_t(x), tensor_to_dtype(tensor_view(ints, SHAPE(3, 2)), DTYPE_FLOAT32)}, 1);
        Tensor *loss = tensor_add(tensor_sum(tensor_mul(joined, joined)), tensor_sum(tensor_exp(stacked)));
        ck_assert_msg(tensor_backward(loss, NULL, false) == 0, "%s", nb_error_message());
        Tensor *out[7] = {joined, stacked, r, ints, tensor_grad(x), tensor_grad(y), tensor_detach(tensor_zero_grad(y))};
        memcpy(results[d], out, sizeof out);
    }
    tensor_set_default_device(DEVICE_CPU);
    for (int i = 0; i < 7; i++) expect_match("shape ops", results[0][i], results[1][i], EXACT);
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_allocator_reports_and_reuses) {
    if (standin) return;
    TensorScope *warm = tensor_scope_open();
    tensor_empty_on(DEVICE_CUDA, DTYPE_FLOAT32, SHAPE(1000));
    tensor_scope_close(warm);
    uint64_t allocated = nb_gpu_memory_allocated(), reserved = nb_gpu_memory_reserved();
    TensorScope *scope = tensor_scope_open();
    Tensor *t = tensor_empty_on(DEVICE_CUDA, DTYPE_FLOAT32, SHAPE(1000));
    ck_assert_ptr_nonnull(t);
    /* 4000 bytes round up to 4096, from the cache: nothing new reserved */
    ck_assert_uint_eq(nb_gpu_memory_allocated(), allocated + 4096);
    ck_assert_uint_eq(nb_gpu_memory_reserved(), reserved);
    /* 24 MiB + 8 bytes: the 26 MiB class (2 MiB steps above 1 MiB) */
    Tensor *big = tensor_empty_on(DEVICE_CUDA, DTYPE_FLOAT64, SHAPE((3 << 20) + 1));
    ck_assert_ptr_nonnull(big);
    ck_assert_uint_eq(nb_gpu_memory_allocated(), allocated + 4096 + (uint64_t)(26 << 20));
    ck_assert(nb_gpu_memory_reserved() >= nb_gpu_memory_allocated());
    uint64_t reserved_with_big = nb_gpu_memory_reserved();
    tensor_scope_close(scope);
    /* freed blocks stay reserved, in the cache */
    ck_assert_uint_eq(nb_gpu_memory_allocated(), allocated);
    ck_assert_uint_eq(nb_gpu_memory_reserved(), reserved_with_big);
}
END_TEST

START_TEST(test_out_of_memory_is_one_clean_line) {
    if (standin) return;
    TensorScope *scope = tensor_scope_open();
    ck_assert_ptr_null(tensor_empty_on(DEVICE_CUDA, DTYPE_FLOAT64, SHAPE((int64_t)1 << 47)));
    ck_assert_int_eq(nb_error_kind(), ERR_NOMEM);
    ck_assert_msg(strstr(nb_error_message(), "CUDA out of memory: tried to allocate") != NULL, "%s", nb_error_message());
    ck_assert_ptr_null(strchr(nb_error_message(), '\n'));
    nb_error_clear();
    /* and the device still works */
    Tensor *x = to_device(tensor_arange(0, 10));
    ck_assert_int_eq(tensor_get_int(tensor_sum(x), (int64_t[]){0}), 45);
    tensor_scope_close(scope);
}
END_TEST

static Suite *cuda_suite(void) {
    Suite *s = suite_create(standin ? "cuda (stand-in device)" : "cuda");
    TCase *ops = tcase_create("ops");
    tcase_set_timeout(ops, 300);
    tcase_add_checked_fixture(ops, setup, teardown);
    tcase_add_test(ops, test_copy_every_dtype_pair);
    tcase_add_test(ops, test_unary_ops);
    tcase_add_test(ops, test_binary_ops);
    tcase_add_test(ops, test_where_and_clamp);
    tcase_add_test(ops, test_pow_special_cases);
    tcase_add_test(ops, test_int64_wraps_around);
    tcase_add_test(ops, test_sum_is_the_cpus_bit_for_bit);
    tcase_add_test(ops, test_sum_to_size_follows_the_cpus_order);
    tcase_add_test(ops, test_reductions_over_dims_match_the_cpu);
    tcase_add_test(ops, test_dot);
    tcase_add_test(ops, test_bmm_layouts);
    tcase_add_test(ops, test_matmul_front_end);
    tcase_add_test(ops, test_shape_ops_and_creation);
    suite_add_tcase(s, ops);

    TCase *grad = tcase_create("gradcheck");
    tcase_set_timeout(grad, 300);
    tcase_add_checked_fixture(grad, setup, teardown);
    tcase_add_loop_test(grad, test_gradcheck_on_the_device, 0, (int)(sizeof grad_cases / sizeof grad_cases[0]));
    suite_add_tcase(s, grad);

    TCase *memory = tcase_create("memory");
    tcase_add_checked_fixture(memory, setup, teardown);
    tcase_add_test(memory, test_allocator_reports_and_reuses);
    tcase_add_test(memory, test_out_of_memory_is_one_clean_line);
    suite_add_tcase(s, memory);
    return s;
}

int main(int argc, char **argv) {
    standin = argc > 1 && strcmp(argv[1], "--standin") == 0;
    if (!standin) {
        GpuInfo gpu;
        if (nb_gpu_probe(&gpu) != 0) {
            printf("test_cuda: skipped: %s\n", nb_error_message());
            return 77;
        }
        printf("test_cuda: on %s (compute capability %d.%d)\n", gpu.name, gpu.major, gpu.minor);
    }
    SRunner *runner = srunner_create(cuda_suite());
    /* Probing started the CUDA driver in this process, and a forked child
     * cannot use it: every test runs here, in turn. */
    srunner_set_fork_status(runner, CK_NOFORK);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
