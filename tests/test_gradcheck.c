/* test_gradcheck: every differentiable op's backward against central finite
 * differences, in float64, on random inputs (fixed seeds) of several
 * layouts: contiguous, transposed and strided leaves, expanded (stride-0)
 * operands, broadcasting pairs, 0-d tensors, Python numbers.
 *
 * For each case, L = sum(f(inputs) * W) with random weights W; the
 * analytic gradient is tensor_backward(L), the numeric one the five-point
 * central difference (-L(x+2h) + 8L(x+h) - 8L(x-h) + L(x-2h)) / 12h with
 * h = 2^-10 per input element. Its truncation error is about h^4 times the
 * fifth derivative (1e-12 here) and its rounding error about
 * 1e-16 * |L| / h (1e-12), so a correct backward agrees to about 1e-10.
 * The check: |analytic - numeric| <= 1e-6 * max(|numeric|, 1e-3), i.e.
 * relative error below 1e-6, and for gradients under 1e-3 in magnitude
 * (zeros included) absolute error below 1e-9.
 *
 * Each case names the grad_fn its output must carry, which tests the names
 * too; test_every_node_kind_has_a_case fails when an op of the op table or
 * a node kind declared in src/derivatives.h has no case. */
#include <check.h>

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "derivatives.h"
#include "op_calls.h"
#include "error.h"
#include "ops.h"
#include "tensor.h"

#define STEP (1.0 / 1024)
#define REL_TOLERANCE 1e-6
#define SMALL_GRADIENT 1e-3

/* ---- cases ---- */

typedef enum { CONTIGUOUS, TRANSPOSED, STRIDED, EXPANDED } Layout;
typedef enum { IN_TENSOR, IN_PY_FLOAT, IN_PY_INT } InputKind;

typedef struct InputSpec {
    InputKind kind;
    Shape shape;   /* what the op sees */
    Layout layout; /* how the leaf behind it is laid out */
    bool constant; /* a plain tensor: requires no grad, gets no check */
    bool grid;     /* values on a 1/8 grid, which float32 holds exactly */
    bool f32;      /* a float32 leaf (grid values only) */
    double lo, hi; /* values drawn uniformly from [lo, hi]; or the number */
} InputSpec;

typedef struct GradCase GradCase;
typedef Tensor *(*CaseFn)(Tensor *const *in, const GradCase *c);

struct GradCase {
    int group; /* which of GROUPS added it */
    char name[128];
    const char *grad_fn; /* the name the output's node must have */
    CaseFn fn;
    int op; /* UnaryOp / BinaryOp for table ops */
    int64_t args[4];
    Shape shape; /* a shape argument (sum_to_size, expand, reshape) */
    int ninputs;
    InputSpec in[2];
};

#define MAX_CASES 256
static GradCase cases[MAX_CASES];
static int ncases, current_group;

/* Specs are built as compound literals and handed around by address: a
 * Shape is big, and big structs passed by value make GCC store outgoing
 * arguments below the stack pointer, which valgrind then sees as
 * uninitialized. */
#define TENSOR_IN(shape_, layout_, lo_, hi_)                                                       \
    ((InputSpec){                                                                                  \
        .kind = IN_TENSOR, .shape = (shape_), .layout = (layout_), .lo = (lo_), .hi = (hi_)})
#define PLAIN_IN(shape_, layout_, lo_, hi_)                                                        \
    ((InputSpec){.kind = IN_TENSOR,                                                                \
                 .shape = (shape_),                                                                \
                 .layout = (layout_),                                                              \
                 .lo = (lo_),                                                                      \
                 .hi = (hi_),                                                                      \
                 .constant = true})
#define NUMBER_IN(kind_, value_)                                                                   \
    ((InputSpec){.kind = (kind_), .lo = (value_), .hi = (value_), .constant = true})
/* an operand of the products and views, in [-2, 2] */
#define IN(shape_, layout_) TENSOR_IN(shape_, layout_, -2, 2)

static GradCase *add_case(const char *grad_fn, CaseFn fn, int ninputs, const InputSpec *in,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static GradCase *add_case(const char *grad_fn, CaseFn fn, int ninputs, const InputSpec *in,
                          const char *fmt, ...) {
    if (ncases == MAX_CASES) {
        fprintf(stderr, "test_gradcheck: more than %d cases\n", MAX_CASES);
        abort();
    }
    GradCase *c = &cases[ncases++];
    memset(c, 0, sizeof *c);
    c->group = current_group;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->name, sizeof c->name, fmt, ap);
    va_end(ap);
    c->grad_fn = grad_fn;
    c->fn = fn;
    c->ninputs = ninputs;
    for (int i = 0; i < ninputs; i++)
        c->in[i] = in[i];
    return c;
}

/* ---- the functions under test ---- */

static Tensor *unary_fn(Tensor *const *in, const GradCase *c) {
    return tensor_unary((UnaryOp)c->op, in[0]); /* the row's public call */
}

static Tensor *binary_fn(Tensor *const *in, const GradCase *c) {
    static Tensor *(*const fns[BINARY_OP_COUNT])(Tensor *, Tensor *) = {
        [BINARY_ADD] = tensor_add, [BINARY_SUB] = tensor_sub, [BINARY_MUL] = tensor_mul,
        [BINARY_DIV] = tensor_div, [BINARY_POW] = tensor_pow, [BINARY_MAXIMUM] = tensor_maximum,
        [BINARY_MINIMUM] = tensor_minimum, [BINARY_CLAMP_MIN] = tensor_clamp_min,
        [BINARY_CLAMP_MAX] = tensor_clamp_max,
    };
    ck_assert_msg(fns[c->op] != NULL, "%s: no function for this op", c->name);
    return fns[c->op](in[0], in[1]);
}

static Tensor *sum_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_sum(in[0]);
}

static Tensor *sum_to_size_fn(Tensor *const *in, const GradCase *c) {
    return tensor_sum_to_size(in[0], c->shape);
}

static Tensor *dot_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_dot(in[0], in[1]);
}

static Tensor *mv_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_mv(in[0], in[1]);
}

static Tensor *mm_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_mm(in[0], in[1]);
}

static Tensor *bmm_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_bmm(in[0], in[1]);
}

static Tensor *matmul_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_matmul(in[0], in[1]);
}

/* where(a > 0, a, b) */
static Tensor *where_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_where(tensor_gt(in[0], py_int(0)), in[0], in[1]);
}

/* args[0]: 0 clamp(a, -0.5, 0.5), 1 clamp(a, b, None), 2 clamp(a, b, b + 1),
 * 3 clamp_min(a, b), 4 clamp_max(a, b) */
static Tensor *clamp_fn(Tensor *const *in, const GradCase *c) {
    switch (c->args[0]) {
    case 0: return tensor_clamp(in[0], py_float(-0.5), py_float(0.5));
    case 1: return tensor_clamp(in[0], in[1], NULL);
    case 2: return tensor_clamp(in[0], in[1], tensor_add(in[1], py_int(1)));
    case 3: return tensor_clamp_min(in[0], in[1]);
    default: return tensor_clamp_max(in[0], in[1]);
    }
}

static Tensor *reciprocal_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_reciprocal(in[0]);
}

static Tensor *outer_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_outer(in[0], in[1]);
}

static Tensor *select_fn(Tensor *const *in, const GradCase *c) {
    return tensor_select(in[0], (int)c->args[0], c->args[1]);
}

/* tensor_at with args[0] indices */
static Tensor *at_fn(Tensor *const *in, const GradCase *c) {
    return tensor_index(in[0], (int)c->args[0], c->args + 1);
}

static Tensor *slice_fn(Tensor *const *in, const GradCase *c) {
    return tensor_slice(in[0], (int)c->args[0], c->args[1], c->args[2], c->args[3]);
}

static Tensor *transpose_fn(Tensor *const *in, const GradCase *c) {
    return tensor_transpose(in[0], (int)c->args[0], (int)c->args[1]);
}

static Tensor *expand_fn(Tensor *const *in, const GradCase *c) {
    return tensor_expand(in[0], c->shape);
}

static Tensor *reshape_fn(Tensor *const *in, const GradCase *c) {
    return tensor_reshape(in[0], c->shape);
}

static Tensor *alias_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_index(in[0], 0, NULL);
}

static Tensor *unsqueeze_fn(Tensor *const *in, const GradCase *c) {
    return tensor_unsqueeze(in[0], (int)c->args[0]);
}

static Tensor *squeeze_fn(Tensor *const *in, const GradCase *c) {
    return tensor_squeeze_dim(in[0], (int)c->args[0]);
}

static Tensor *clone_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_clone(in[0]);
}

/* float64 -> float32 -> float64: both conversions, exact on grid values */
static Tensor *to_round_trip_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_to_dtype(tensor_to_dtype(in[0], DTYPE_FLOAT32), DTYPE_FLOAT64);
}

static Tensor *to_float64_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_to_dtype(in[0], DTYPE_FLOAT64);
}

/* ---- the case list ---- */

static const struct {
    const char *name;
    double lo, hi;
} UNARY_DOMAINS[UNARY_OP_COUNT] = {
    [UNARY_NEG] = {"neg", -2, 2}, [UNARY_SIN] = {"sin", -3, 3},  [UNARY_COS] = {"cos", -3, 3},
    [UNARY_EXP] = {"exp", -2, 2}, [UNARY_LOG] = {"log", 0.5, 3},
    [UNARY_TANH] = {"tanh", -2, 2}, [UNARY_SIGMOID] = {"sigmoid", -3, 3},
    [UNARY_RELU] = {"relu", -2, 2}, [UNARY_SQRT] = {"sqrt", 0.5, 3}, [UNARY_ABS] = {"abs", -2, 2},
};

/* Operand ranges per binary op: division away from 0, pow's base
 * positive. */
static const struct {
    const char *name;
    double a_lo, a_hi, b_lo, b_hi;
} BINARY_DOMAINS[BINARY_OP_COUNT] = {
    [BINARY_ADD] = {"add", -2, 2, -2, 2},  [BINARY_SUB] = {"sub", -2, 2, -2, 2},
    [BINARY_MUL] = {"mul", -2, 2, -2, 2},  [BINARY_DIV] = {"div", -2, 2, 0.5, 2},
    [BINARY_POW] = {"pow", 0.5, 2, -2, 2},
    [BINARY_MAXIMUM] = {"maximum", -2, 2, -2, 2}, [BINARY_MINIMUM] = {"minimum", -2, 2, -2, 2},
    [BINARY_CLAMP_MIN] = {"clamp_min", 0, 0, 0, 0}, /* by numbers only: cases below */
    [BINARY_CLAMP_MAX] = {"clamp_max", 0, 0, 0, 0},
};

static const char *const LAYOUT_NAMES[] = {"contiguous", "transposed", "strided", "expanded"};

static void add_unary_cases(void) {
    static const char *const grad_names[UNARY_OP_COUNT] = {
#define UNARY_GRAD_NAME(ID, NAME, GRAD_NAME, ...) [UNARY_##ID] = GRAD_NAME,
        UNARY_OP_LIST(UNARY_GRAD_NAME)
#undef UNARY_GRAD_NAME
    };
    static const char *const names[UNARY_OP_COUNT] = {
#define UNARY_TORCH_NAME(ID, NAME, ...) [UNARY_##ID] = NAME,
        UNARY_OP_LIST(UNARY_TORCH_NAME)
#undef UNARY_TORCH_NAME
    };
    for (int op = 0; op < UNARY_OP_COUNT; op++) {
        /* a row without a domain of its own: [0.5, 2], where any of
         * log-, sqrt- or exp-like functions is smooth */
        bool own = UNARY_DOMAINS[op].name != NULL;
        double lo = own ? UNARY_DOMAINS[op].lo : 0.5, hi = own ? UNARY_DOMAINS[op].hi : 2.0;
        for (int layout = CONTIGUOUS; layout <= EXPANDED; layout++)
            add_case(grad_names[op], unary_fn, 1,
                     (InputSpec[]){TENSOR_IN(SHAPE(3, 4), (Layout)layout, lo, hi)}, "%s, %s [3, 4]",
                     names[op], LAYOUT_NAMES[layout])
                ->op = op;
        add_case(grad_names[op], unary_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE0, CONTIGUOUS, lo, hi)},
                 "%s, 0-d", names[op])
            ->op = op;
    }
}

static void add_binary_case(int op, const char *grad_fn, const InputSpec *pair, const char *what) {
    add_case(grad_fn, binary_fn, 2, pair, "%s, %s", BINARY_DOMAINS[op].name, what)->op = op;
}

static void add_binary_cases(void) {
    static const char *const grad_names[BINARY_OP_COUNT] = {
#define BINARY_GRAD_NAME(ID, NAME, GRAD_NAME, ...) [BINARY_##ID] = GRAD_NAME,
        BINARY_OP_LIST(BINARY_GRAD_NAME)
#undef BINARY_GRAD_NAME
    };
    /* operand pairs: broadcasting, 0-d, non-contiguous, one side plain */
    const struct {
        Shape a, b;
        Layout la, lb;
        bool a_plain, b_plain;
        const char *what;
    } pairs[] = {
        {SHAPE(2, 3), SHAPE(2, 3), CONTIGUOUS, CONTIGUOUS, false, false, "same shape"},
        {SHAPE(2, 3), SHAPE(3), CONTIGUOUS, CONTIGUOUS, false, false, "[2, 3] with [3]"},
        {SHAPE(2, 1), SHAPE(1, 3), CONTIGUOUS, CONTIGUOUS, false, false, "[2, 1] with [1, 3]"},
        {SHAPE0, SHAPE(2, 3), CONTIGUOUS, CONTIGUOUS, false, false, "0-d with [2, 3]"},
        {SHAPE(3), SHAPE0, CONTIGUOUS, CONTIGUOUS, false, false, "[3] with 0-d"},
        {SHAPE0, SHAPE0, CONTIGUOUS, CONTIGUOUS, false, false, "0-d with 0-d"},
        {SHAPE(3, 4), SHAPE(3, 4), TRANSPOSED, STRIDED, false, false, "transposed with strided"},
        {SHAPE(3, 4), SHAPE(4), EXPANDED, STRIDED, false, false, "expanded with strided [4]"},
        {SHAPE(2, 3), SHAPE(3), CONTIGUOUS, CONTIGUOUS, false, true, "b plain"},
        {SHAPE(3), SHAPE(2, 3), CONTIGUOUS, TRANSPOSED, true, false, "a plain"},
    };
    for (int op = 0; op < BINARY_OP_COUNT; op++) {
        if (BINARY_DOMAINS[op].name == NULL || BINARY_DOMAINS[op].a_lo == BINARY_DOMAINS[op].a_hi)
            continue;
        for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
            InputSpec pair[2] = {
                TENSOR_IN(pairs[i].a, pairs[i].la, BINARY_DOMAINS[op].a_lo,
                          BINARY_DOMAINS[op].a_hi),
                TENSOR_IN(pairs[i].b, pairs[i].lb, BINARY_DOMAINS[op].b_lo,
                          BINARY_DOMAINS[op].b_hi),
            };
            pair[0].constant = pairs[i].a_plain;
            pair[1].constant = pairs[i].b_plain;
            add_binary_case(op, grad_names[op], pair, pairs[i].what);
        }
    }

    /* Python numbers: on the right (pow's is the Tensor-Scalar overload,
     * PowBackward0) and on the left */
    static const double exponents[] = {2, 3, 2.5, -1.5, 0.5, 1, 0};
    for (size_t i = 0; i < sizeof exponents / sizeof exponents[0]; i++) {
        double e = exponents[i];
        InputKind kind = e == floor(e) ? IN_PY_INT : IN_PY_FLOAT;
        char what[32];
        snprintf(what, sizeof what, kind == IN_PY_INT ? "x ** %g (int)" : "x ** %g", e);
        add_binary_case(
            BINARY_POW, node_pow_scalar.name,
            (InputSpec[]){TENSOR_IN(SHAPE(2, 3), TRANSPOSED, 0.5, 2), NUMBER_IN(kind, e)}, what);
    }
    add_binary_case(BINARY_POW, node_pow_scalar.name,
                    (InputSpec[]){TENSOR_IN(SHAPE0, CONTIGUOUS, 0.5, 2), NUMBER_IN(IN_PY_INT, 3)},
                    "0-d ** 3");
    add_binary_case(
        BINARY_POW, node_binary[BINARY_POW].name,
        (InputSpec[]){NUMBER_IN(IN_PY_FLOAT, 2.5), TENSOR_IN(SHAPE(2, 3), STRIDED, -2, 2)},
        "2.5 ** x");
    add_case(node_where.name, where_fn, 2,
             (InputSpec[]){TENSOR_IN(SHAPE(2, 3), TRANSPOSED, -2, 2), TENSOR_IN(SHAPE(3), CONTIGUOUS, -2, 2)},
             "where(a > 0, a, b)");
    static const struct {
        const NodeKind *kind;
        const char *what;
    } clamps[] = {{&node_clamp_scalar, "clamp(a, -0.5, 0.5)"},
                  {&node_clamp_tensor, "clamp(a, b)"},
                  {&node_clamp_tensor, "clamp(a, b, b + 1)"},
                  {&node_clamp_min_tensor, "clamp_min(a, b)"},
                  {&node_clamp_max_tensor, "clamp_max(a, b)"}};
    for (int k = 0; k < 5; k++)
        add_case(clamps[k].kind->name, clamp_fn, k == 0 ? 1 : 2,
                 (InputSpec[]){TENSOR_IN(SHAPE(2, 3), CONTIGUOUS, -2, 2), TENSOR_IN(SHAPE(3), STRIDED, -1, 1)},
                 "%s", clamps[k].what)
            ->args[0] = k;
    /* clamp_min and clamp_max by a number (ClampMinBackward0, ...) */
    add_binary_case(BINARY_CLAMP_MIN, node_binary[BINARY_CLAMP_MIN].name,
                    (InputSpec[]){TENSOR_IN(SHAPE(2, 3), TRANSPOSED, -2, 2), NUMBER_IN(IN_PY_FLOAT, 0.25)},
                    "clamp_min(x, 0.25)");
    add_binary_case(BINARY_CLAMP_MAX, node_binary[BINARY_CLAMP_MAX].name,
                    (InputSpec[]){TENSOR_IN(SHAPE(3), CONTIGUOUS, -2, 2), NUMBER_IN(IN_PY_INT, 1)},
                    "clamp_max(x, 1)");
    add_binary_case(
        BINARY_ADD, node_binary[BINARY_ADD].name,
        (InputSpec[]){TENSOR_IN(SHAPE(3), CONTIGUOUS, -2, 2), NUMBER_IN(IN_PY_FLOAT, 2.5)},
        "x + 2.5");
    add_case(node_reciprocal.name, reciprocal_fn, 1,
             (InputSpec[]){TENSOR_IN(SHAPE(2, 3), TRANSPOSED, 0.5, 2)}, "reciprocal");
    add_binary_case(BINARY_SUB, node_rsub.name,
                    (InputSpec[]){NUMBER_IN(IN_PY_INT, 2), TENSOR_IN(SHAPE(3), CONTIGUOUS, -2, 2)},
                    "2 - x");
    add_binary_case(
        BINARY_MUL, node_binary[BINARY_MUL].name,
        (InputSpec[]){NUMBER_IN(IN_PY_FLOAT, -1.5), TENSOR_IN(SHAPE(3), STRIDED, -2, 2)},
        "-1.5 * x");
    add_binary_case(BINARY_DIV, node_binary[BINARY_DIV].name,
                    (InputSpec[]){TENSOR_IN(SHAPE(3), CONTIGUOUS, -2, 2), NUMBER_IN(IN_PY_INT, 3)},
                    "x / 3");
    /* s / x is x.reciprocal() * s, as in PyTorch: a product on top */
    add_binary_case(
        BINARY_DIV, node_binary[BINARY_MUL].name,
        (InputSpec[]){NUMBER_IN(IN_PY_FLOAT, 2.5), TENSOR_IN(SHAPE(3), CONTIGUOUS, 0.5, 2)},
        "2.5 / x");
}

static void add_reduction_cases(void) {
    add_case(node_sum.name, sum_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE(3, 4), CONTIGUOUS, -2, 2)},
             "sum");
    add_case(node_sum.name, sum_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE(3, 4), TRANSPOSED, -2, 2)},
             "sum, transposed");
    add_case(node_sum.name, sum_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE(3, 4), EXPANDED, -2, 2)},
             "sum, expanded");
    add_case(node_sum.name, sum_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE0, CONTIGUOUS, -2, 2)},
             "sum, 0-d");
    /* sum_to_size's node is the last step of ATen's sum_to: a keepdim
     * sum, a view after one with leading dimensions, sum() to 0-d (to its
     * own shape it returns the input, which has no node to check) */
    const struct {
        Shape from, to;
        Layout layout;
        const NodeKind *kind;
    } sizes[] = {
        {SHAPE(2, 3), SHAPE(1, 3), CONTIGUOUS, &node_sum_dims},
        {SHAPE(2, 3), SHAPE(2, 1), CONTIGUOUS, &node_sum_dims},
        {SHAPE(2, 3, 4), SHAPE(3, 1), CONTIGUOUS, &node_view},
        {SHAPE(3, 4), SHAPE(4), TRANSPOSED, &node_view},
        {SHAPE(3), SHAPE(1), STRIDED, &node_sum_dims},
        {SHAPE(3, 4), SHAPE0, EXPANDED, &node_sum},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char from[64], to[64];
        GradCase *c = add_case(sizes[i].kind->name, sum_to_size_fn, 1,
                               (InputSpec[]){TENSOR_IN(sizes[i].from, sizes[i].layout, -2, 2)},
                               "sum_to_size %s to %s, %s",
                               nb_shape_str(sizes[i].from.dims, sizes[i].from.ndim, from, sizeof from),
                               nb_shape_str(sizes[i].to.dims, sizes[i].to.ndim, to, sizeof to),
                               LAYOUT_NAMES[sizes[i].layout]);
        c->shape = sizes[i].to;
    }
}

static void add_product(const char *grad_fn, CaseFn fn, const InputSpec *pair, const char *what) {
    add_case(grad_fn, fn, 2, pair, "%s", what);
}

static void add_product_cases(void) {
    add_product(node_dot.name, dot_fn,
                (InputSpec[]){IN(SHAPE(5), CONTIGUOUS), IN(SHAPE(5), CONTIGUOUS)}, "dot");
    add_product(node_dot.name, dot_fn, (InputSpec[]){IN(SHAPE(5), STRIDED), IN(SHAPE(5), EXPANDED)},
                "dot, strided and expanded");
    add_product(node_dot.name, dot_fn,
                (InputSpec[]){IN(SHAPE(4), CONTIGUOUS), PLAIN_IN(SHAPE(4), CONTIGUOUS, -2, 2)},
                "dot, one side");
    add_product(node_mv.name, mv_fn,
                (InputSpec[]){IN(SHAPE(3, 4), CONTIGUOUS), IN(SHAPE(4), CONTIGUOUS)}, "mv");
    add_product(node_mv.name, mv_fn,
                (InputSpec[]){IN(SHAPE(3, 4), TRANSPOSED), IN(SHAPE(4), STRIDED)},
                "mv, transposed matrix, strided vector");
    add_product(node_mm.name, mm_fn,
                (InputSpec[]){IN(SHAPE(3, 4), CONTIGUOUS), IN(SHAPE(4, 2), CONTIGUOUS)}, "mm");
    add_product(node_mm.name, mm_fn,
                (InputSpec[]){IN(SHAPE(3, 4), TRANSPOSED), IN(SHAPE(4, 2), TRANSPOSED)},
                "mm, both transposed");
    add_product(node_mm.name, mm_fn,
                (InputSpec[]){IN(SHAPE(3, 4), STRIDED), IN(SHAPE(4, 2), EXPANDED)},
                "mm, strided and expanded");
    add_product(node_bmm.name, bmm_fn,
                (InputSpec[]){IN(SHAPE(2, 3, 4), CONTIGUOUS), IN(SHAPE(2, 4, 5), CONTIGUOUS)},
                "bmm");
    add_product(node_bmm.name, bmm_fn,
                (InputSpec[]){IN(SHAPE(2, 3, 4), TRANSPOSED), IN(SHAPE(2, 4, 5), EXPANDED)},
                "bmm, transposed and expanded");
    add_product(node_bmm.name, bmm_fn,
                (InputSpec[]){IN(SHAPE(2, 3, 4), STRIDED), IN(SHAPE(2, 4, 2), TRANSPOSED)},
                "bmm, strided and transposed");
    add_product(node_binary[BINARY_MUL].name, outer_fn,
                (InputSpec[]){IN(SHAPE(3), CONTIGUOUS), IN(SHAPE(4), STRIDED)}, "outer");

    /* matmul's cases reach dot, mv, mm or bmm, and the node on top is what
     * the case analysis ends with */
    const char *view = node_unsafe_view.name;
    const struct {
        Shape a, b;
        Layout la, lb;
        const char *what;
    } matmuls[] = {
        {SHAPE(4), SHAPE(4), CONTIGUOUS, STRIDED, "1-D @ 1-D"},
        {SHAPE(3, 4), SHAPE(4), TRANSPOSED, CONTIGUOUS, "2-D @ 1-D"},
        {SHAPE(4), SHAPE(4, 2), CONTIGUOUS, TRANSPOSED, "1-D @ 2-D"},
        {SHAPE(3, 4), SHAPE(4, 2), STRIDED, CONTIGUOUS, "2-D @ 2-D"},
        {SHAPE(2, 3, 4), SHAPE(4, 2), CONTIGUOUS, CONTIGUOUS, "3-D @ 2-D"},
        {SHAPE(2, 3, 4), SHAPE(4), EXPANDED, CONTIGUOUS, "3-D @ 1-D"},
        {SHAPE(3, 4), SHAPE(2, 4, 2), CONTIGUOUS, CONTIGUOUS, "2-D @ 3-D"},
        {SHAPE(4), SHAPE(2, 4, 2), CONTIGUOUS, TRANSPOSED, "1-D @ 3-D"},
        {SHAPE(2, 3, 4), SHAPE(2, 4, 2), CONTIGUOUS, STRIDED, "3-D @ 3-D"},
        {SHAPE(2, 1, 3, 4), SHAPE(3, 4, 2), CONTIGUOUS, CONTIGUOUS, "4-D @ 3-D, batch broadcast"},
        {SHAPE(1, 3, 4), SHAPE(2, 4, 5), TRANSPOSED, CONTIGUOUS, "3-D @ 3-D, batch broadcast"},
        {SHAPE(2, 4, 3), SHAPE(3, 2), TRANSPOSED, CONTIGUOUS, "transposed 3-D @ 2-D (bmm)"},
    };
    const char *tops[] = {node_dot.name,
                          node_mv.name,
                          node_squeeze_inplace.name,
                          node_mm.name,
                          view,
                          view,
                          node_clone.name,
                          view,
                          view,
                          view,
                          view,
                          view};
    for (size_t i = 0; i < sizeof matmuls / sizeof matmuls[0]; i++) {
        char what[96];
        snprintf(what, sizeof what, "matmul %s", matmuls[i].what);
        add_product(tops[i], matmul_fn,
                    (InputSpec[]){IN(matmuls[i].a, matmuls[i].la), IN(matmuls[i].b, matmuls[i].lb)},
                    what);
    }
}

static GradCase *add_view(const char *grad_fn, CaseFn fn, const InputSpec *x, const char *what) {
    return add_case(grad_fn, fn, 1, x, "%s", what);
}

static void set_args(GradCase *c, int n, const int64_t *args) {
    memcpy(c->args, args, (size_t)n * sizeof *args);
}

static void add_view_cases(void) {
    set_args(add_view(node_select.name, select_fn, (InputSpec[]){IN(SHAPE(3, 4), CONTIGUOUS)},
                      "select(0, 1)"),
             2, (int64_t[]){0, 1});
    set_args(add_view(node_select.name, select_fn, (InputSpec[]){IN(SHAPE(3, 4), TRANSPOSED)},
                      "select(1, -1)"),
             2, (int64_t[]){1, -1});
    set_args(add_view(node_select.name, select_fn, (InputSpec[]){IN(SHAPE(4), STRIDED)},
                      "select of 1-D"),
             2, (int64_t[]){0, 2});
    set_args(add_view(node_select.name, at_fn, (InputSpec[]){IN(SHAPE(2, 3, 4), CONTIGUOUS)},
                      "tensor_at(1, 2)"),
             3, (int64_t[]){2, 1, 2});
    set_args(add_view(node_select.name, at_fn, (InputSpec[]){IN(SHAPE(3, 4), EXPANDED)},
                      "tensor_at(-1), expanded"),
             2, (int64_t[]){1, -1});
    set_args(add_view(node_slice.name, slice_fn, (InputSpec[]){IN(SHAPE(6, 2), CONTIGUOUS)},
                      "slice 1:4"),
             4, (int64_t[]){0, 1, 4, 1});
    set_args(add_view(node_slice.name, slice_fn, (InputSpec[]){IN(SHAPE(3, 5), TRANSPOSED)},
                      "slice ::2 of dim 1"),
             4, (int64_t[]){1, 0, 5, 2});
    set_args(
        add_view(node_slice.name, slice_fn, (InputSpec[]){IN(SHAPE(5), STRIDED)}, "slice -3:100"),
        4, (int64_t[]){0, -3, 100, 1});
    set_args(add_view(node_transpose.name, transpose_fn,
                      (InputSpec[]){IN(SHAPE(2, 3, 4), CONTIGUOUS)}, "transpose(0, 2)"),
             2, (int64_t[]){0, 2});
    set_args(add_view(node_transpose.name, transpose_fn, (InputSpec[]){IN(SHAPE(3, 4), TRANSPOSED)},
                      "transpose of transposed"),
             2, (int64_t[]){-1, 0});
    set_args(add_view(node_transpose.name, transpose_fn, (InputSpec[]){IN(SHAPE0, CONTIGUOUS)},
                      "transpose, 0-d"),
             2, (int64_t[]){0, 0});
    add_view(node_expand.name, expand_fn, (InputSpec[]){IN(SHAPE(3, 1), CONTIGUOUS)},
             "expand [3, 1] to [2, 3, 4]")
        ->shape = SHAPE(2, 3, 4);
    add_view(node_expand.name, expand_fn, (InputSpec[]){IN(SHAPE0, CONTIGUOUS)},
             "expand 0-d to [3]")
        ->shape = SHAPE(3);
    add_view(node_expand.name, expand_fn, (InputSpec[]){IN(SHAPE(4), STRIDED)},
             "expand strided, -1")
        ->shape = SHAPE(2, -1);
    add_view(node_reshape_alias.name, reshape_fn, (InputSpec[]){IN(SHAPE(2, 6), CONTIGUOUS)},
             "reshape, view")
        ->shape = SHAPE(3, 4);
    add_view(node_reshape_alias.name, reshape_fn, (InputSpec[]){IN(SHAPE0, CONTIGUOUS)},
             "reshape 0-d to [1]")
        ->shape = SHAPE(1);
    add_view(node_alias.name, alias_fn, (InputSpec[]){IN(SHAPE(2, 3), TRANSPOSED)}, "t[()]");
    add_view(node_reshape_alias.name, reshape_fn, (InputSpec[]){IN(SHAPE(6, 2), STRIDED)},
             "reshape strided, view")
        ->shape = SHAPE(3, 2, 2);
    add_view(node_unsafe_view.name, reshape_fn, (InputSpec[]){IN(SHAPE(3, 4), TRANSPOSED)},
             "reshape, copy")
        ->shape = SHAPE(-1);
    add_view(node_unsafe_view.name, reshape_fn, (InputSpec[]){IN(SHAPE(3, 4), EXPANDED)},
             "reshape expanded, copy")
        ->shape = SHAPE(4, 3);
    set_args(add_view(node_unsqueeze.name, unsqueeze_fn, (InputSpec[]){IN(SHAPE(3, 4), TRANSPOSED)},
                      "unsqueeze(1)"),
             1, (int64_t[]){1});
    set_args(add_view(node_unsqueeze.name, unsqueeze_fn, (InputSpec[]){IN(SHAPE(3), CONTIGUOUS)},
                      "unsqueeze(-1)"),
             1, (int64_t[]){-1});
    set_args(add_view(node_unsqueeze.name, unsqueeze_fn, (InputSpec[]){IN(SHAPE0, CONTIGUOUS)},
                      "unsqueeze, 0-d"),
             1, (int64_t[]){0});
    set_args(add_view(node_squeeze.name, squeeze_fn, (InputSpec[]){IN(SHAPE(3, 1, 4), CONTIGUOUS)},
                      "squeeze(1)"),
             1, (int64_t[]){1});
    set_args(add_view(node_squeeze.name, squeeze_fn, (InputSpec[]){IN(SHAPE(3, 4), STRIDED)},
                      "squeeze(0) of size 3"),
             1, (int64_t[]){0});
    set_args(add_view(node_squeeze.name, squeeze_fn, (InputSpec[]){IN(SHAPE0, CONTIGUOUS)},
                      "squeeze, 0-d"),
             1, (int64_t[]){0});
    add_view(node_clone.name, clone_fn, (InputSpec[]){IN(SHAPE(3, 4), TRANSPOSED)},
             "clone, transposed");
    add_view(node_clone.name, clone_fn, (InputSpec[]){IN(SHAPE0, CONTIGUOUS)}, "clone, 0-d");
    /* to_dtype through float32 is exact only on values float32 holds, at
     * every x +- 2h: a 1/8 grid within [-4, 4] */
    InputSpec grid = IN(SHAPE(3, 4), TRANSPOSED);
    grid.lo = -4;
    grid.hi = 4;
    grid.grid = true;
    add_view(node_to_copy.name, to_round_trip_fn, (InputSpec[]){grid}, "to float32 and back");
    grid.f32 = true;
    grid.layout = STRIDED;
    add_view(node_to_copy.name, to_float64_fn, (InputSpec[]){grid}, "float32 leaf to float64");
}

/* ---- reductions over a dimension, means, max and min ---- */

/* args[0]: the dimension, args[1]: keepdim */
static Tensor *sum_dim_fn(Tensor *const *in, const GradCase *c) {
    return tensor_sum_dim(in[0], (int)c->args[0], c->args[1] != 0);
}

static Tensor *mean_dim_fn(Tensor *const *in, const GradCase *c) {
    return tensor_mean_dim(in[0], (int)c->args[0], c->args[1] != 0);
}

static Tensor *mean_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_mean(in[0]);
}

static Tensor *max_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_max(in[0]);
}

static Tensor *min_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_min(in[0]);
}

static void add_dim_reduction_cases(void) {
    const struct {
        Shape shape;
        Layout layout;
        int dim;
    } dims[] = {
        {SHAPE(3, 4), CONTIGUOUS, 0}, {SHAPE(3, 4), TRANSPOSED, 1}, {SHAPE(3, 4), EXPANDED, -1},
        {SHAPE(2, 3, 4), STRIDED, 1}, {SHAPE0, CONTIGUOUS, 0},
    };
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
        for (int keepdim = 0; keepdim < 2; keepdim++) {
            char shape[64];
            nb_shape_str(dims[i].shape.dims, dims[i].shape.ndim, shape, sizeof shape);
            GradCase *c = add_case(node_sum_dims.name, sum_dim_fn, 1,
                                   (InputSpec[]){TENSOR_IN(dims[i].shape, dims[i].layout, -2, 2)},
                                   "sum(%d, keepdim=%d) of %s, %s", dims[i].dim, keepdim, shape,
                                   LAYOUT_NAMES[dims[i].layout]);
            c->args[0] = dims[i].dim, c->args[1] = keepdim;
            c = add_case(node_mean_dim.name, mean_dim_fn, 1,
                         (InputSpec[]){TENSOR_IN(dims[i].shape, dims[i].layout, -2, 2)},
                         "mean(%d, keepdim=%d) of %s, %s", dims[i].dim, keepdim, shape,
                         LAYOUT_NAMES[dims[i].layout]);
            c->args[0] = dims[i].dim, c->args[1] = keepdim;
        }
    add_case(node_mean.name, mean_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE(3, 4), TRANSPOSED, -2, 2)},
             "mean, transposed");
    add_case(node_mean.name, mean_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE0, CONTIGUOUS, -2, 2)}, "mean, 0-d");
    /* random values have one extreme; ties are the corpus's (evenly shared) */
    add_case(node_max_all.name, max_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE(3, 4), TRANSPOSED, -2, 2)},
             "max, transposed");
    add_case(node_max_all.name, max_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE(5), STRIDED, -2, 2)},
             "max, strided");
    add_case(node_min_all.name, min_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE(3, 4), CONTIGUOUS, -2, 2)},
             "min");
    add_case(node_min_all.name, min_fn, 1, (InputSpec[]){TENSOR_IN(SHAPE0, CONTIGUOUS, -2, 2)},
             "min, 0-d");
}

/* ---- shape ops: view, permute, t, flatten, cat, stack ---- */
static Tensor *view_fn(Tensor *const *in, const GradCase *c) { return tensor_view(in[0], c->shape); }
static Tensor *permute_fn(Tensor *const *in, const GradCase *c) { return tensor_permute(in[0], c->shape); }
static Tensor *t_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_t(in[0]);
}
static Tensor *flatten_fn(Tensor *const *in, const GradCase *c) {
    (void)c;
    return tensor_flatten(in[0]);
}
static Tensor *cat_fn(Tensor *const *in, const GradCase *c) { return tensor_cat(2, in, (int)c->args[0]); }
static Tensor *stack_fn(Tensor *const *in, const GradCase *c) { return tensor_stack(2, in, (int)c->args[0]); }

static void add_shape_cases(void) {
    add_view(node_view.name, view_fn, (InputSpec[]){IN(SHAPE(2, 6), CONTIGUOUS)}, "view [2, 6] as [3, -1]")
        ->shape = SHAPE(3, -1);
    add_view(node_permute.name, permute_fn, (InputSpec[]){IN(SHAPE(2, 3, 4), CONTIGUOUS)}, "permute(2, 0, 1)")
        ->shape = SHAPE(2, 0, 1);
    add_view(node_permute.name, permute_fn, (InputSpec[]){IN(SHAPE(3, 4), TRANSPOSED)}, "permute(-1, 0)")
        ->shape = SHAPE(-1, 0);
    add_view(node_t.name, t_fn, (InputSpec[]){IN(SHAPE(3, 4), STRIDED)}, "t of a matrix");
    add_view(node_t.name, t_fn, (InputSpec[]){IN(SHAPE(4), CONTIGUOUS)}, "t of a vector");
    add_view(node_reshape_alias.name, flatten_fn, (InputSpec[]){IN(SHAPE(2, 3), CONTIGUOUS)}, "flatten, view");
    add_view(node_unsafe_view.name, flatten_fn, (InputSpec[]){IN(SHAPE(3, 4), TRANSPOSED)}, "flatten, copy");
    set_args(add_case(node_cat.name, cat_fn, 2, (InputSpec[]){IN(SHAPE(2, 3), TRANSPOSED), IN(SHAPE(2, 1), CONTIGUOUS)},
                      "cat dim 1"),
             1, (int64_t[]){1});
    set_args(add_case(node_cat.name, cat_fn, 2,
                      (InputSpec[]){IN(SHAPE(3), STRIDED), PLAIN_IN(SHAPE(2), CONTIGUOUS, -2, 2)}, "cat with a constant"),
             1, (int64_t[]){0});
    set_args(add_case(node_stack.name, stack_fn, 2, (InputSpec[]){IN(SHAPE(2, 3), CONTIGUOUS), IN(SHAPE(2, 3), EXPANDED)},
                      "stack dim -1"),
             1, (int64_t[]){-1});
}

static const struct {
    const char *name;
    void (*add)(void);
} GROUPS[] = {
    {"unary", add_unary_cases},           {"binary", add_binary_cases},
    {"reductions", add_reduction_cases},  {"products", add_product_cases},
    {"views and copies", add_view_cases},
    {"reductions over dims, means, max, min", add_dim_reduction_cases},
    {"shape ops", add_shape_cases},
};
#define N_GROUPS ((int)(sizeof GROUPS / sizeof GROUPS[0]))

static void build_cases(void) {
    ncases = 0;
    for (current_group = 0; current_group < N_GROUPS; current_group++)
        GROUPS[current_group].add();
}

/* ---- running a case ---- */

static uint64_t rng_state;

static uint64_t next_random(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double uniform(double lo, double hi) {
    return lo + (hi - lo) * ((double)(next_random() >> 11) / 9007199254740992.0);
}

static void fill(Tensor *t, double lo, double hi, bool grid) {
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n; i++) {
        double v = uniform(lo, hi);
        if (grid)
            v = round(v * 8) / 8;
        if (t->dtype == DTYPE_FLOAT32)
            ((float *)tensor_data(t))[i] = (float)v;
        else
            ((double *)tensor_data(t))[i] = v;
    }
}

/* The leaf behind an input, laid out as asked, and what the op sees. */
static void make_input(const InputSpec *spec, Tensor **leaf, Tensor **seen) {
    if (spec->kind != IN_TENSOR) {
        *leaf = NULL;
        *seen = spec->kind == IN_PY_INT ? py_int((int64_t)spec->lo) : py_float(spec->lo);
        return;
    }
    DType dtype = spec->f32 ? DTYPE_FLOAT32 : DTYPE_FLOAT64;
    Shape shape = spec->shape, base_shape = shape;
    Tensor *base, *t;
    switch (spec->layout) {
    case TRANSPOSED: /* the last two dimensions swapped */
        ck_assert_int_ge(shape.ndim, 2);
        base_shape.dims[shape.ndim - 1] = shape.dims[shape.ndim - 2];
        base_shape.dims[shape.ndim - 2] = shape.dims[shape.ndim - 1];
        base = tensor_empty(dtype, base_shape);
        fill(base, spec->lo, spec->hi, spec->grid);
        t = tensor_transpose(base, -1, -2);
        break;
    case STRIDED: /* every other element of a dimension twice as long */
        ck_assert_int_ge(shape.ndim, 1);
        base_shape.dims[0] = 2 * shape.dims[0];
        base = tensor_empty(dtype, base_shape);
        fill(base, spec->lo, spec->hi, spec->grid);
        t = tensor_slice(base, 0, 1, base_shape.dims[0], 2);
        break;
    case EXPANDED: /* one row, expanded over the first dimension */
        ck_assert_int_ge(shape.ndim, 1);
        base_shape.dims[0] = 1;
        base = tensor_empty(dtype, base_shape);
        fill(base, spec->lo, spec->hi, spec->grid);
        t = base;
        break;
    case CONTIGUOUS:
    default:
        base = tensor_empty(dtype, shape);
        fill(base, spec->lo, spec->hi, spec->grid);
        t = base;
        break;
    }
    ck_assert_ptr_nonnull(t);
    if (!spec->constant)
        ck_assert_ptr_nonnull(tensor_requires_grad_(t, true));
    *leaf = t;
    *seen = spec->layout == EXPANDED ? tensor_expand(t, shape) : t;
    ck_assert_ptr_nonnull(*seen);
}

/* sum(f(inputs) * w) in float64 */
static Tensor *loss(const GradCase *c, Tensor *const *seen, Tensor *w) {
    return tensor_sum(tensor_mul(tensor_to_dtype(c->fn(seen, c), DTYPE_FLOAT64), w));
}

static double loss_value(const GradCase *c, Tensor *const *seen, Tensor *w) {
    TensorScope *scope = tensor_scope_open();
    Tensor *l = loss(c, seen, w);
    ck_assert_msg(l != NULL, "%s: %s", c->name, nb_error_message());
    double v = tensor_item(l);
    tensor_scope_close(scope);
    return v;
}

static void *element(const Tensor *t, const int64_t *pos) {
    int64_t off = t->offset;
    for (int d = 0; d < t->ndim; d++)
        off += pos[d] * t->strides[d];
    return (char *)t->storage->data + off * (int64_t)nb_dtype_size(t->dtype);
}

static double get(const Tensor *t, const int64_t *pos) {
    void *p = element(t, pos);
    return t->dtype == DTYPE_FLOAT32 ? *(float *)p : *(double *)p;
}

static void set(Tensor *t, const int64_t *pos, double v) {
    void *p = element(t, pos);
    if (t->dtype == DTYPE_FLOAT32)
        *(float *)p = (float)v;
    else
        *(double *)p = v;
}

static uint64_t name_hash(const char *s) {
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Runs one case; returns the largest error over its gradients' elements
 * (reporting each element beyond the tolerance on stderr). Mistakes of
 * structure (no .grad, a wrong name) fail the test at once. */
static double run_case(const GradCase *c) {
    double worst = 0;
    rng_state = name_hash(c->name);
    nb_error_clear();
    torch_set_grad_enabled(true);
    TensorScope *scope = tensor_scope_open();
    Tensor *leaves[2] = {NULL, NULL}, *seen[2] = {NULL, NULL};
    for (int i = 0; i < c->ninputs; i++)
        make_input(&c->in[i], &leaves[i], &seen[i]);

    Tensor *out = c->fn(seen, c);
    ck_assert_msg(out != NULL, "%s: %s", c->name, nb_error_message());
    ck_assert_msg(out->requires_grad, "%s: the output does not require grad", c->name);
    const char *name = tensor_grad_fn_name(out);
    ck_assert_msg(name && strcmp(name, c->grad_fn) == 0, "%s: grad_fn is %s, expected %s", c->name,
                  name ? name : "(none)", c->grad_fn);
    Tensor *w = tensor_empty(DTYPE_FLOAT64, tensor_shape(out));
    fill(w, -1, 1, false);
    ck_assert_msg(tensor_backward(loss(c, seen, w), NULL, false) == 0, "%s: backward failed: %s",
                  c->name, nb_error_message());

    bool mode = torch_set_grad_enabled(false);
    for (int i = 0; i < c->ninputs; i++) {
        Tensor *x = leaves[i];
        if (x == NULL)
            continue;
        if (c->in[i].constant) {
            ck_assert_msg(tensor_grad(x) == NULL, "%s: a plain input got a .grad", c->name);
            continue;
        }
        const Tensor *g = tensor_grad(x);
        ck_assert_msg(g != NULL, "%s: input %d got no .grad", c->name, i);
        ck_assert_msg(g->dtype == x->dtype && nb_shape_equal(tensor_shape(g), tensor_shape(x)),
                      "%s: input %d's .grad has the wrong dtype or shape", c->name, i);
        int64_t pos[TENSOR_MAX_DIMS] = {0};
        for (int64_t k = 0; k < tensor_numel(x); k++) {
            int64_t rest = k;
            for (int d = x->ndim - 1; d >= 0; d--) {
                pos[d] = rest % x->shape[d];
                rest /= x->shape[d];
            }
            double x0 = get(x, pos), l[4];
            static const double offsets[4] = {2, 1, -1, -2};
            for (int s = 0; s < 4; s++) {
                set(x, pos, x0 + offsets[s] * STEP);
                l[s] = loss_value(c, seen, w);
            }
            set(x, pos, x0);
            double numeric = (-l[0] + 8 * l[1] - 8 * l[2] + l[3]) / (12 * STEP);
            double analytic = tensor_get_double(g, pos);
            double err = fabs(analytic - numeric) / fmax(fabs(numeric), SMALL_GRADIENT);
            if (err > worst)
                worst = err;
            if (err > REL_TOLERANCE)
                fprintf(stderr, "%s: d/d(input %d)[%lld] is %.17g, finite differences say %.17g\n",
                        c->name, i, (long long)k, analytic, numeric);
        }
    }
    torch_set_grad_enabled(mode);
    tensor_scope_close(scope);
    ck_assert(!nb_error_pending());
    return worst;
}

/* One test per group of cases (each test is a process of its own, and
 * starting one costs more than a group's arithmetic). */
START_TEST(test_gradcheck) {
    build_cases();
    int ran = 0, failed = 0;
    double worst = 0;
    for (int i = 0; i < ncases; i++) {
        if (cases[i].group != _i)
            continue;
        double err = run_case(&cases[i]);
        ran++;
        failed += err > REL_TOLERANCE;
        worst = fmax(worst, err);
    }
    fprintf(stderr, "gradcheck %s: %d cases, largest error %.2g\n", GROUPS[_i].name, ran, worst);
    ck_assert_msg(ran > 0, "no %s cases", GROUPS[_i].name);
    ck_assert_msg(failed == 0, "%s: %d of %d cases disagree with finite differences (on stderr)",
                  GROUPS[_i].name, failed, ran);
}
END_TEST

/* ---- the coverage guard ---- */

/* Node kinds declared in src/derivatives.h besides the op table's arrays,
 * as this test knows them. */
static const struct {
    const char *symbol;
    const NodeKind *kind;
} OTHER_KINDS[] = {
    {"node_pow_scalar", &node_pow_scalar},
    {"node_sum", &node_sum},
    {"node_rsub", &node_rsub},
    {"node_reciprocal", &node_reciprocal},
    {"node_sum_dims", &node_sum_dims},
    {"node_dot", &node_dot},
    {"node_mv", &node_mv},
    {"node_mm", &node_mm},
    {"node_bmm", &node_bmm},
    {"node_select", &node_select},
    {"node_slice", &node_slice},
    {"node_transpose", &node_transpose},
    {"node_expand", &node_expand},
    {"node_view", &node_view},
    {"node_reshape_alias", &node_reshape_alias},
    {"node_unsafe_view", &node_unsafe_view},
    {"node_unsqueeze", &node_unsqueeze},
    {"node_squeeze", &node_squeeze},
    {"node_squeeze_inplace", &node_squeeze_inplace},
    {"node_alias", &node_alias},
    {"node_to_copy", &node_to_copy},
    {"node_clone", &node_clone},
    {"node_mean", &node_mean},
    {"node_mean_dim", &node_mean_dim},
    {"node_max_all", &node_max_all},
    {"node_min_all", &node_min_all},
    {"node_permute", &node_permute},
    {"node_t", &node_t},
    {"node_cat", &node_cat},
    {"node_stack", &node_stack},
    {"node_where", &node_where},
    {"node_clamp_scalar", &node_clamp_scalar},
    {"node_clamp_tensor", &node_clamp_tensor},
    {"node_clamp_min_tensor", &node_clamp_min_tensor},
    {"node_clamp_max_tensor", &node_clamp_max_tensor},
};
#define N_OTHER_KINDS ((int)(sizeof OTHER_KINDS / sizeof OTHER_KINDS[0]))

static bool has_case(const char *grad_fn) {
    for (int i = 0; i < ncases; i++)
        if (strcmp(cases[i].grad_fn, grad_fn) == 0)
            return true;
    return false;
}

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *text = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0 && fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)) != NULL) {
            size_t len = fread(text, 1, (size_t)size, f);
            text[len] = '\0';
        }
    }
    fclose(f);
    return text;
}

/* src/derivatives.h, found from the test data directory (tests/data). */
static char *read_derivatives_h(void) {
    const char *dir = getenv("NB_TEST_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/../../src/lib/derivatives.h", dir && *dir ? dir : "tests/data");
    char *text = read_text(path);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    return text;
}

/* Every name in every `extern const NodeKind a, b[N], c;` declaration. */
static int declared_kinds(const char *text, char names[][64], int max) {
    int n = 0;
    const char *p = text;
    static const char decl[] = "extern const NodeKind";
    while ((p = strstr(p, decl)) != NULL) {
        p += sizeof decl - 1;
        while (*p && *p != ';') {
            while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t')
                p++;
            size_t len = 0;
            while ((p[len] >= 'a' && p[len] <= 'z') || (p[len] >= 'A' && p[len] <= 'Z') ||
                   (p[len] >= '0' && p[len] <= '9') || p[len] == '_')
                len++;
            if (len > 0) {
                ck_assert_int_lt(n, max);
                ck_assert_uint_lt(len, 64);
                memcpy(names[n], p, len);
                names[n++][len] = '\0';
            }
            p += len;
            /* skip an array bound, a comment, anything up to the next name */
            while (*p && *p != ',' && *p != ';')
                p++;
        }
    }
    return n;
}

START_TEST(test_every_node_kind_has_a_case) {
    build_cases();
#define REQUIRE_UNARY(ID, NAME, GRAD_NAME, ...)                                                    \
    ck_assert_msg(has_case(GRAD_NAME), "op table row %s (%s) has no gradcheck case", NAME,         \
                  GRAD_NAME);
    UNARY_OP_LIST(REQUIRE_UNARY)
#undef REQUIRE_UNARY
#define REQUIRE_BINARY(ID, NAME, GRAD_NAME, ...)                                                   \
    if (GRAD_NAME) /* comparisons have no grad_fn */                                               \
        ck_assert_msg(has_case(GRAD_NAME), "op table row %s (%s) has no gradcheck case", NAME,     \
                      GRAD_NAME ? GRAD_NAME : "");
    BINARY_OP_LIST(REQUIRE_BINARY)
#undef REQUIRE_BINARY
    for (int i = 0; i < N_OTHER_KINDS; i++)
        ck_assert_msg(has_case(OTHER_KINDS[i].kind->name), "%s (%s) has no gradcheck case",
                      OTHER_KINDS[i].symbol, OTHER_KINDS[i].kind->name);

    /* a kind declared in derivatives.h that this test does not know */
    char *text = read_derivatives_h();
    char names[64][64];
    int n = declared_kinds(text, names, 64);
    free(text);
    ck_assert_int_ge(n, N_OTHER_KINDS + 2);
    for (int k = 0; k < n; k++) {
        if (strcmp(names[k], "node_unary") == 0 || strcmp(names[k], "node_binary") == 0)
            continue;
        bool known = false;
        for (int i = 0; i < N_OTHER_KINDS; i++)
            known |= strcmp(OTHER_KINDS[i].symbol, names[k]) == 0;
        ck_assert_msg(known,
                      "src/derivatives.h declares %s: add it to OTHER_KINDS and give it a "
                      "gradcheck case",
                      names[k]);
    }
}
END_TEST

/* Coverage by name only works if names tell kinds apart. */
START_TEST(test_node_names_are_distinct) {
    const char *all[UNARY_OP_COUNT + BINARY_OP_COUNT + N_OTHER_KINDS];
    int n = 0;
    for (int i = 0; i < UNARY_OP_COUNT; i++)
        all[n++] = node_unary[i].name;
    for (int i = 0; i < BINARY_OP_COUNT; i++)
        if (node_binary[i].name) all[n++] = node_binary[i].name; /* comparisons have none */
    for (int i = 0; i < N_OTHER_KINDS; i++)
        all[n++] = OTHER_KINDS[i].kind->name;
    for (int i = 0; i < n; i++) {
        ck_assert_msg(all[i] != NULL && strstr(all[i], "Backward") != NULL, "odd node name %s",
                      all[i]);
        for (int j = i + 1; j < n; j++)
            ck_assert_msg(strcmp(all[i], all[j]) != 0, "two node kinds are named %s", all[i]);
    }
}
END_TEST

int main(void) {
    Suite *s = suite_create("gradcheck");
    TCase *guard = tcase_create("coverage");
    tcase_add_test(guard, test_every_node_kind_has_a_case);
    tcase_add_test(guard, test_node_names_are_distinct);
    suite_add_tcase(s, guard);
    TCase *tc = tcase_create("cases");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_gradcheck, 0, N_GROUPS);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
