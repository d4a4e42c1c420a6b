/* test_autograd: holds autograd to PyTorch 1.13 by interpreting the
 * programs of tests/data/autograd_corpus.json (written from the real
 * PyTorch by tests/corpus/make_autograd_corpus.py, which documents the
 * language), and checks the engine's semantics directly.
 *
 * Each program runs inside its own TensorScope; its printed tensors must
 * match PyTorch's text exactly, its errors PyTorch's messages exactly, and
 * its gradients PyTorch's values bit for bit (the sign of zero included; a
 * NaN matches any NaN), whatever they pass through: backward formulas are
 * PyTorch's term for term, elementwise kernels SLEEF in ATen's loop
 * structure, sums (those that undo broadcasting too) ATen's cascade_sum and
 * products (mv, mm, bmm, matmul, outer) PyTorch's BLAS calls
 * (tests/test_elementwise_bits.c, tests/test_reduce_bits.c).
 * Closing a program's scope must give back every block the program took.
 *
 */
#include <check.h>
#include <cJSON.h>

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "autograd.h"
#include "derivatives.h"
#include "op_calls.h"
#include "error.h"
#include "ops.h"
#include "print.h"
#include "strbuf.h"
#include "tensor.h"
#include "corpus.h"

static cJSON *corpus;

/* ---- corpus reading ---- */

static const cJSON *item_at(const cJSON *array, int i) {
    const cJSON *item = cJSON_GetArrayItem(array, i);
    ck_assert_msg(item != NULL, "corpus step too short (no item %d)", i);
    return item;
}

static int64_t json_int(const cJSON *item) {
    ck_assert_msg(cJSON_IsNumber(item), "corpus value is not a number");
    return (int64_t)item->valuedouble;
}

static double json_double(const cJSON *item) {
    if (cJSON_IsString(item)) {
        if (strcmp(item->valuestring, "nan") == 0)
            return NAN;
        if (strcmp(item->valuestring, "inf") == 0)
            return INFINITY;
        if (strcmp(item->valuestring, "-inf") == 0)
            return -INFINITY;
        ck_abort_msg("bad float '%s' in corpus", item->valuestring);
    }
    ck_assert_msg(cJSON_IsNumber(item), "corpus value is not a number");
    return item->valuedouble;
}

static const char *json_str(const cJSON *item) {
    ck_assert_msg(cJSON_IsString(item), "corpus value is not a string");
    return item->valuestring;
}

static const char *dtype_short(DType dt) {
    static const char *const names[] = {"bool", "int64", "float32", "float64"};
    return names[dt];
}

static const char *message(const char *key) {
    return json_str(corpus_field(corpus_field(corpus, "messages"), key));
}

/* ---- the interpreter ---- */

#define MAX_VARS 256

typedef struct Var {
    const char *name;
    Tensor *tensor; /* NULL when its step raised */
} Var;

typedef struct Interp {
    const char *program;
    Var vars[MAX_VARS];
    int nvars;
    int problems;
} Interp;

static void problem(Interp *in, int step, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(Interp *in, int step, const char *fmt, ...) {
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fprintf(stderr, "program '%s', step %d: %s\n", in->program, step, text);
    in->problems++;
}

static int var_index(const Interp *in, const char *name) {
    for (int i = in->nvars - 1; i >= 0; i--)
        if (strcmp(in->vars[i].name, name) == 0)
            return i;
    ck_abort_msg("program '%s' uses '%s' before defining it", in->program, name);
    return -1;
}

static Tensor *var(const Interp *in, const cJSON *name) {
    return in->vars[var_index(in, json_str(name))].tensor;
}

static void define(Interp *in, const char *name, Tensor *t) {
    ck_assert_int_lt(in->nvars, MAX_VARS);
    in->vars[in->nvars] = (Var){name, t};
    in->nvars++;
}

static Tensor *leaf(const cJSON *step) {
    DType dtype = corpus_dtype(json_str(item_at(step, 2)));
    Shape shape = corpus_shape(item_at(step, 3));
    const cJSON *data = item_at(step, 4);
    int n = cJSON_GetArraySize(data);
    Tensor *t = tensor_empty(dtype, shape);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(n, tensor_numel(t));
    for (int i = 0; i < n; i++) {
        const cJSON *v = cJSON_GetArrayItem(data, i);
        switch (dtype) {
        case DTYPE_BOOL:
            ((bool *)tensor_data(t))[i] = cJSON_IsTrue(v);
            break;
        case DTYPE_INT64:
            ((int64_t *)tensor_data(t))[i] = json_int(v);
            break;
        case DTYPE_FLOAT32:
            ((float *)tensor_data(t))[i] = (float)json_double(v);
            break;
        case DTYPE_FLOAT64:
            ((double *)tensor_data(t))[i] = json_double(v);
            break;
        }
    }
    return cJSON_IsTrue(item_at(step, 5)) ? tensor_requires_grad_(t, true) : t;
}

typedef Tensor *(*UnaryFn)(Tensor *);
typedef Tensor *(*BinaryFn)(Tensor *, Tensor *);

static const struct {
    const char *name;
    UnaryFn unary;
    BinaryFn binary;
} SIMPLE_OPS[] = {
    /* the op table's rows are looked up in it (run_op) */
    {"sum", tensor_sum, NULL},     {"clone", tensor_clone, NULL},   {"dot", NULL, tensor_dot},     {"mv", NULL, tensor_mv},         {"mm", NULL, tensor_mm},
    {"bmm", NULL, tensor_bmm},     {"matmul", NULL, tensor_matmul}, {"outer", NULL, tensor_outer},
};
#define N_SIMPLE_OPS ((int)(sizeof SIMPLE_OPS / sizeof SIMPLE_OPS[0]))

/* The steps that make a tensor from others, with their argument counts. */
/* The op table's rows by torch name: their public calls (op_calls.h). */
static const char *const unary_table_names[] = {
#define UNARY_TABLE_NAME(ID, NAME, ...) [UNARY_##ID] = NAME,
    UNARY_OP_LIST(UNARY_TABLE_NAME)
#undef UNARY_TABLE_NAME
};
static const char *const binary_table_names[] = {
#define BINARY_TABLE_NAME(ID, NAME, ...) [BINARY_##ID] = NAME,
    BINARY_OP_LIST(BINARY_TABLE_NAME)
#undef BINARY_TABLE_NAME
};

/* A step's tensor argument, or NULL for JSON null (a clamp bound of None). */
static Tensor *var_or_none(Interp *in, const cJSON *item) {
    return cJSON_IsNull(item) ? NULL : var(in, item);
}

static Tensor *run_op(Interp *in, const char *op, const cJSON *step) {
    for (int i = 0; i < UNARY_OP_COUNT; i++)
        if (strcmp(unary_table_names[i], op) == 0)
            return tensor_unary((UnaryOp)i, var(in, item_at(step, 2)));
    for (int i = 0; i < BINARY_OP_COUNT; i++)
        if (strcmp(binary_table_names[i], op) == 0)
            return tensor_binary((BinaryOp)i, var(in, item_at(step, 2)), var(in, item_at(step, 3)));
    if (strcmp(op, "where") == 0)
        return tensor_where(var(in, item_at(step, 2)), var(in, item_at(step, 3)),
                            var(in, item_at(step, 4)));
    if (strcmp(op, "clamp") == 0)
        return tensor_clamp(var(in, item_at(step, 2)), var_or_none(in, item_at(step, 3)),
                            var_or_none(in, item_at(step, 4)));
    for (int i = 0; i < N_SIMPLE_OPS; i++) {
        if (strcmp(SIMPLE_OPS[i].name, op) != 0)
            continue;
        if (SIMPLE_OPS[i].unary)
            return SIMPLE_OPS[i].unary(var(in, item_at(step, 2)));
        return SIMPLE_OPS[i].binary(var(in, item_at(step, 2)), var(in, item_at(step, 3)));
    }
    if (strcmp(op, "cat") == 0 || strcmp(op, "stack") == 0) { /* a list of names, a dim */
        const cJSON *names = item_at(step, 2);
        Tensor *ts[16];
        int n = cJSON_GetArraySize(names);
        ck_assert_int_le(n, 16);
        for (int i = 0; i < n; i++)
            ts[i] = var(in, cJSON_GetArrayItem(names, i));
        int dim = (int)json_int(item_at(step, 3));
        return op[0] == 'c' ? tensor_cat(n, ts, dim) : tensor_stack(n, ts, dim);
    }
    Tensor *x = var(in, item_at(step, 2));
    if (strcmp(op, "view") == 0)
        return tensor_view(x, corpus_shape(item_at(step, 3)));
    if (strcmp(op, "permute") == 0)
        return tensor_permute(x, corpus_shape(item_at(step, 3)));
    if (strcmp(op, "t") == 0)
        return tensor_t(x);
    if (strcmp(op, "flatten") == 0)
        return tensor_flatten(x);
    if (strcmp(op, "detach") == 0)
        return tensor_detach(x);
    if (strcmp(op, "zero_grad") == 0)
        return tensor_zero_grad(x);
    if (strcmp(op, "clear_grad") == 0)
        return tensor_clear_grad(x);
    if (strcmp(op, "sum_to_size") == 0)
        return tensor_sum_to_size(x, corpus_shape(item_at(step, 3)));
    if (strcmp(op, "select") == 0)
        return tensor_select(x, (int)json_int(item_at(step, 3)), json_int(item_at(step, 4)));
    if (strcmp(op, "at") == 0) {
        const cJSON *list = item_at(step, 3);
        int64_t idx[TENSOR_MAX_DIMS];
        int n = cJSON_GetArraySize(list);
        ck_assert_int_le(n, TENSOR_MAX_DIMS);
        for (int i = 0; i < n; i++)
            idx[i] = json_int(cJSON_GetArrayItem(list, i));
        return tensor_index(x, n, idx);
    }
    if (strcmp(op, "slice") == 0)
        return tensor_slice(x, (int)json_int(item_at(step, 3)), json_int(item_at(step, 4)),
                            json_int(item_at(step, 5)), json_int(item_at(step, 6)));
    if (strcmp(op, "transpose") == 0)
        return tensor_transpose(x, (int)json_int(item_at(step, 3)),
                                (int)json_int(item_at(step, 4)));
    if (strcmp(op, "expand") == 0)
        return tensor_expand(x, corpus_shape(item_at(step, 3)));
    if (strcmp(op, "reshape") == 0)
        return tensor_reshape(x, corpus_shape(item_at(step, 3)));
    if (strcmp(op, "unsqueeze") == 0)
        return tensor_unsqueeze(x, (int)json_int(item_at(step, 3)));
    if (strcmp(op, "squeeze") == 0)
        return tensor_squeeze_dim(x, (int)json_int(item_at(step, 3)));
    if (strcmp(op, "to") == 0)
        return tensor_to_dtype(x, corpus_dtype(json_str(item_at(step, 3))));
    /* reductions over a dimension, means, max/min, argmax/argmin */
    static const struct {
        const char *name;
        Tensor *(*fn)(Tensor *, int, bool);
    } dim_ops[] = {{"sum_dim", tensor_sum_dim},
                   {"mean_dim", tensor_mean_dim},
                   {"argmax_dim", tensor_argmax_dim},
                   {"argmin_dim", tensor_argmin_dim}};
    for (size_t i = 0; i < sizeof dim_ops / sizeof dim_ops[0]; i++)
        if (strcmp(op, dim_ops[i].name) == 0)
            return dim_ops[i].fn(x, (int)json_int(item_at(step, 3)), cJSON_IsTrue(item_at(step, 4)));
    static const struct {
        const char *name;
        Tensor *(*fn)(Tensor *);
    } all_ops[] = {{"mean", tensor_mean}, {"max", tensor_max}, {"min", tensor_min},
                   {"argmax", tensor_argmax}, {"argmin", tensor_argmin}};
    for (size_t i = 0; i < sizeof all_ops / sizeof all_ops[0]; i++)
        if (strcmp(op, all_ops[i].name) == 0) return all_ops[i].fn(x);
    ck_abort_msg("program '%s': unknown step '%s'", in->program, op);
    return NULL;
}

/* Bit for bit: the same value and sign (a double holds a float32 exactly);
 * any NaN matches any NaN. */
static bool value_matches(double want, double got) {
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    return want == got && signbit(want) == signbit(got);
}

static char *format_tensor(const Tensor *t) {
    StrBuf sb = STRBUF_INIT;
    if (t == NULL) {
        nb_strbuf_append(&sb, "None");
    } else if (tensor_format(&sb, t, NULL) != 0) {
        nb_strbuf_free(&sb);
        return NULL;
    }
    char *text = strdup(nb_strbuf_cstr(&sb));
    nb_strbuf_free(&sb);
    return text;
}

static void check_print(Interp *in, int step, const Var *v, const char *want) {
    if (v->tensor == NULL) {
        problem(in, step, "nothing to print; PyTorch printed\n%s", want);
        return;
    }
    char *got = format_tensor(v->tensor);
    if (got == NULL) {
        problem(in, step, "printing failed: %s", nb_error_message());
        nb_error_clear();
        return;
    }
    if (strcmp(got, want) != 0)
        problem(in, step, "printed\n%s\nPyTorch printed\n%s", got, want);
    free(got);
}

static void check_grad(Interp *in, int step, const Tensor *x, const cJSON *want) {
    const Tensor *g = tensor_grad(x);
    if (cJSON_IsNull(want)) {
        if (g != NULL)
            problem(in, step, ".grad is a tensor, PyTorch's is None");
        return;
    }
    if (g == NULL) {
        problem(in, step, ".grad is None, PyTorch's is a tensor");
        return;
    }
    DType dtype = corpus_dtype(json_str(corpus_field(want, "dtype")));
    Shape shape = corpus_shape(corpus_field(want, "shape"));
    if (g->dtype != dtype || !nb_shape_equal(shape, tensor_shape(g))) {
        char a[128], b[128];
        problem(in, step, ".grad is %s %s, PyTorch's %s %s", dtype_short(g->dtype),
                nb_shape_str(g->shape, g->ndim, a, sizeof a), dtype_short(dtype),
                nb_shape_str(shape.dims, shape.ndim, b, sizeof b));
        return;
    }
    const cJSON *data = corpus_field(want, "data");
    int64_t pos[TENSOR_MAX_DIMS] = {0};
    for (int64_t i = 0; i < tensor_numel(g); i++) {
        int64_t rest = i;
        for (int d = g->ndim - 1; d >= 0; d--) {
            pos[d] = rest % g->shape[d];
            rest /= g->shape[d];
        }
        double w = json_double(cJSON_GetArrayItem(data, (int)i)), v = tensor_get_double(g, pos);
        if (!value_matches(w, v)) {
            problem(in, step, ".grad element %" PRId64 " is %.17g (%a), PyTorch's %.17g (%a)", i,
                    v, v, w, w);
            return;
        }
    }
    char *text = format_tensor(g);
    ck_assert_ptr_nonnull(text);
    const char *want_text = json_str(corpus_field(want, "text"));
    if (strcmp(text, want_text) != 0)
        problem(in, step, "print(x.grad) gives\n%s\nPyTorch's\n%s", text, want_text);
    free(text);
}

/* The expected event of `step`, if any, advancing *next past it. */
static const cJSON *event_for(const cJSON *expect, int *next, int step) {
    const cJSON *e = cJSON_GetArrayItem(expect, *next);
    if (e == NULL || json_int(corpus_field(e, "step")) != step)
        return NULL;
    (*next)++;
    return e;
}

static void run_step(Interp *in, const cJSON *step) {
    const char *kind = json_str(item_at(step, 0));
    if (strcmp(kind, "leaf") == 0) {
        define(in, json_str(item_at(step, 1)), leaf(step));
    } else if (strcmp(kind, "py_float") == 0) {
        define(in, json_str(item_at(step, 1)), py_float(json_double(item_at(step, 2))));
    } else if (strcmp(kind, "py_int") == 0) {
        define(in, json_str(item_at(step, 1)), py_int(json_int(item_at(step, 2))));
    } else if (strcmp(kind, "arange") == 0) {
        define(in, json_str(item_at(step, 1)),
               tensor_arange(json_int(item_at(step, 2)), json_int(item_at(step, 3))));
    } else if (strcmp(kind, "grad_of") == 0) {
        define(in, json_str(item_at(step, 1)), tensor_grad(var(in, item_at(step, 2))));
    } else if (strcmp(kind, "requires_grad_") == 0) {
        tensor_requires_grad_(var(in, item_at(step, 1)), cJSON_IsTrue(item_at(step, 2)));
    } else if (strcmp(kind, "grad_mode") == 0) {
        torch_set_grad_enabled(cJSON_IsTrue(item_at(step, 1)));
    } else if (strcmp(kind, "backward") == 0) {
        const cJSON *opts = item_at(step, 2);
        const cJSON *g = corpus_field(opts, "gradient");
        tensor_backward(var(in, item_at(step, 1)), cJSON_IsNull(g) ? NULL : var(in, g),
                        cJSON_IsTrue(corpus_field(opts, "retain_graph")));
    } else {
        define(in, json_str(item_at(step, 1)), run_op(in, kind, step));
    }
}

/* x.item(): the value PyTorch gave, exactly (or its error, checked by the
 * caller). */
static void check_item(Interp *in, int step, const Tensor *x, const cJSON *event) {
    double got = tensor_item(x);
    if (nb_error_pending())
        return;
    if (event == NULL) {
        problem(in, step, "item() gave %.17g; PyTorch raised", got);
        return;
    }
    const cJSON *want = corpus_field(event, "item");
    double w = cJSON_IsBool(want) ? (double)cJSON_IsTrue(want) : json_double(want);
    if (!value_matches(w, got))
        problem(in, step, "item() gave %.17g (%a), PyTorch %.17g (%a)", got, got, w, w);
}

/* Runs one program; returns whether it matched PyTorch throughout. */
static bool run_program(Interp *in, const cJSON *program) {
    in->program = json_str(corpus_field(program, "name"));
    in->nvars = 0;
    int problems_before = in->problems;
    int64_t live_before = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    ck_assert_ptr_nonnull(scope);

    const cJSON *expect = corpus_field(program, "expect");
    int next = 0, index = 0;
    const cJSON *step;
    cJSON_ArrayForEach(step, corpus_field(program, "steps")) {
        const char *kind = json_str(item_at(step, 0));
        bool observes = strcmp(kind, "print") == 0 || strcmp(kind, "grad") == 0;
        bool item = strcmp(kind, "item") == 0;
        if (!observes && !item)
            run_step(in, step);
        const cJSON *event = event_for(expect, &next, index);
        if (item)
            check_item(in, index, var(in, item_at(step, 1)),
                       event && cJSON_GetObjectItemCaseSensitive(event, "item") ? event : NULL);
        const cJSON *want_error = event ? cJSON_GetObjectItemCaseSensitive(event, "error") : NULL;
        if (nb_error_pending()) {
            if (want_error == NULL)
                problem(in, index, "%s failed: %s (PyTorch did not)", kind, nb_error_message());
            else if (strcmp(nb_error_message(), json_str(want_error)) != 0)
                problem(in, index, "error\n%s\nPyTorch's\n%s", nb_error_message(),
                        json_str(want_error));
            nb_error_clear();
        } else if (want_error) {
            problem(in, index, "%s succeeded; PyTorch raised: %s", kind, json_str(want_error));
        } else if (!observes && !item && strcmp(kind, "requires_grad_") != 0 &&
                   strcmp(kind, "backward") != 0 && strcmp(kind, "grad_mode") != 0 &&
                   strcmp(kind, "grad_of") != 0) {
            ck_assert_msg(in->vars[in->nvars - 1].tensor != NULL, "step %d made no tensor", index);
        }
        if (strcmp(kind, "print") == 0) {
            const Var *v = &in->vars[var_index(in, json_str(item_at(step, 1)))];
            /* nothing printed: the step that made it raised, here too */
            if (event != NULL)
                check_print(in, index, v, json_str(corpus_field(event, "print")));
            else if (v->tensor != NULL)
                problem(in, index, "printed a tensor whose step raised in PyTorch");
        } else if (strcmp(kind, "grad") == 0) {
            ck_assert_msg(event != NULL, "program '%s' step %d: no expected grad", in->program,
                          index);
            check_grad(in, index, var(in, item_at(step, 1)), corpus_field(event, "grad"));
        }
        index++;
    }
    ck_assert_msg(next == cJSON_GetArraySize(expect), "program '%s': events left unmatched",
                  in->program);
    torch_set_grad_enabled(true);
    tensor_scope_close(scope);
    int64_t leaked = nb_alloc_stats().live_blocks - live_before;
    if (leaked != 0)
        problem(in, index, "leaked %" PRId64 " blocks", leaked);
    return in->problems == problems_before;
}

/* ---- the corpus tests ---- */

/* Every program, in one test, so the report covers them all. */
START_TEST(test_corpus_programs) {
    Interp *in = calloc(1, sizeof *in);
    ck_assert_ptr_nonnull(in);
    int failed = 0, total = 0;
    const cJSON *program;
    cJSON_ArrayForEach(program, corpus_field(corpus, "programs")) {
        total++;
        if (!run_program(in, program))
            failed++;
    }
    int problems = in->problems;
    free(in);
    ck_assert_msg(failed == 0, "%d of %d programs disagree with PyTorch (%d problems, on stderr)",
                  failed, total, problems);
}
END_TEST

static bool corpus_has_step(const char *op) {
    const cJSON *program, *step;
    cJSON_ArrayForEach(program, corpus_field(corpus, "programs")) {
        cJSON_ArrayForEach(step, corpus_field(program, "steps")) {
            if (strcmp(json_str(item_at(step, 0)), op) == 0)
                return true;
        }
    }
    return false;
}

/* The corpus exercises every op of the table and every other step. */
START_TEST(test_corpus_covers_every_op) {
    static const char *const table_ops[] = {
#define OP_NAME(ID, NAME, ...) NAME,
        UNARY_OP_LIST(OP_NAME) BINARY_OP_LIST(OP_NAME)
#undef OP_NAME
    };
    for (size_t i = 0; i < sizeof table_ops / sizeof table_ops[0]; i++)
        ck_assert_msg(corpus_has_step(table_ops[i]) || strstr(table_ops[i], "_backward"),
                      "no corpus program runs %s", table_ops[i]); /* tanh_backward: tanh's */
    static const char *const steps[] = {
        "leaf", "py_float", "py_int", "sum", "sum_to_size", "dot", "mv", "mm", "bmm", "matmul",
        "outer", "select", "at", "slice", "transpose", "expand", "reshape", "unsqueeze", "squeeze",
        "where", "clamp",
        "to", "clone", "arange", "grad_of", "item", "requires_grad_", "grad_mode", "backward",
        "grad", "print",
        /* reductions over a dimension, means, max/min, argmax/argmin */
        "sum_dim", "mean_dim", "argmax_dim", "argmin_dim", "mean", "max", "min", "argmax", "argmin",
        /* shape ops and autograd controls */
        "view", "permute", "t", "flatten", "cat", "stack", "detach", "zero_grad",
        "clear_grad"};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        ck_assert_msg(corpus_has_step(steps[i]), "no corpus program has a %s step", steps[i]);
    ck_assert_int_ge(cJSON_GetArraySize(corpus_field(corpus, "programs")), 300);
}
END_TEST

/* ---- semantics ---- */

static Tensor *f32_vector(const float *values, int64_t n) {
    return tensor_from_data(DTYPE_FLOAT32, SHAPE(n), values);
}

static float grad_at(const Tensor *x, int64_t i) {
    ck_assert_ptr_nonnull(tensor_grad(x));
    ck_assert_int_eq(tensor_grad(x)->dtype, DTYPE_FLOAT32);
    return (float)tensor_get_double(tensor_grad(x), (int64_t[]){i});
}

static void assert_error(const char *key) {
    ck_assert_msg(nb_error_pending(), "expected PyTorch's error: %s", message(key));
    ck_assert_str_eq(nb_error_message(), message(key));
    nb_error_clear();
}

static TensorScope *scope;

static void open_scope(void) {
    nb_error_clear();
    torch_set_grad_enabled(true);
    scope = tensor_scope_open();
}

static void close_scope(void) {
    tensor_scope_close(scope);
    torch_set_grad_enabled(true);
    nb_error_clear();
}

static const float ONE_TWO_THREE[] = {1.f, 2.f, 3.f};

/* Two backward calls on two graphs add into one .grad, in place as
 * PyTorch's does: a .grad fetched before the second call is still valid
 * and holds the sum (g = x.grad; ...; print(g) works). */
START_TEST(test_accumulates_across_calls) {
    Tensor *x = tensor_requires_grad_(f32_vector(ONE_TWO_THREE, 3), true);
    ck_assert_ptr_null(tensor_grad(x));
    ck_assert_int_eq(tensor_backward(tensor_sum(tensor_mul(x, x)), NULL, false), 0);
    for (int i = 0; i < 3; i++)
        ck_assert_float_eq(grad_at(x, i), 2 * ONE_TWO_THREE[i]);
    const Tensor *first = tensor_grad(x);
    ck_assert_int_eq(tensor_backward(tensor_sum(tensor_mul(x, py_float(3.0))), NULL, false), 0);
    ck_assert_ptr_eq(tensor_grad(x), first);
    for (int i = 0; i < 3; i++)
        ck_assert_float_eq(tensor_get_double(first, (int64_t[]){i}), 2 * ONE_TWO_THREE[i] + 3);
}
END_TEST

/* retain_graph keeps saved tensors for another pass; the pass without it
 * frees them, and the next one fails with PyTorch's message, leaving .grad
 * as it was. */
START_TEST(test_retain_graph) {
    Tensor *x = tensor_requires_grad_(f32_vector(ONE_TWO_THREE, 3), true);
    Tensor *s = tensor_sum(tensor_mul(x, x));
    ck_assert_int_eq(tensor_backward(s, NULL, true), 0);
    ck_assert_int_eq(tensor_backward(s, NULL, true), 0);
    ck_assert_int_eq(tensor_backward(s, NULL, false), 0);
    for (int i = 0; i < 3; i++)
        ck_assert_float_eq(grad_at(x, i), 6 * ONE_TWO_THREE[i]);
    ck_assert_int_eq(tensor_backward(s, NULL, false), -1);
    assert_error("freed_graph");
    for (int i = 0; i < 3; i++)
        ck_assert_float_eq(grad_at(x, i), 6 * ONE_TWO_THREE[i]);
}
END_TEST

/* A second backward fails only where a node saved tensors: add, sub, neg,
 * sum and views save none and run again. */
START_TEST(test_double_backward) {
    Tensor *x = tensor_requires_grad_(f32_vector(ONE_TWO_THREE, 3), true);
    Tensor *s = tensor_sum(tensor_sin(x));
    ck_assert_int_eq(tensor_backward(s, NULL, false), 0);
    ck_assert_int_eq(tensor_backward(s, NULL, false), -1);
    assert_error("freed_graph");

    Tensor *y = tensor_requires_grad_(f32_vector(ONE_TWO_THREE, 3), true);
    Tensor *t = tensor_sum(tensor_neg(
        tensor_sub(tensor_add(tensor_at(tensor_unsqueeze(y, 0), 0), py_int(2)), py_float(0.5))));
    ck_assert_int_eq(tensor_backward(t, NULL, false), 0);
    ck_assert_int_eq(tensor_backward(t, NULL, false), 0);
    for (int i = 0; i < 3; i++)
        ck_assert_float_eq(grad_at(y, i), -2.f);
}
END_TEST

/* Without a gradient argument the output must have one element. */
START_TEST(test_non_scalar_output) {
    Tensor *x = tensor_requires_grad_(f32_vector(ONE_TWO_THREE, 3), true);
    ck_assert_int_eq(tensor_backward(tensor_mul(x, py_int(2)), NULL, false), -1);
    assert_error("implicit_scalar");
    ck_assert_ptr_null(tensor_grad(x));
    /* one element in any number of dimensions is fine */
    Tensor *one = tensor_reshape(tensor_sum(tensor_mul(x, py_int(2))), SHAPE(1, 1));
    ck_assert_int_eq(tensor_backward(one, NULL, false), 0);
    for (int i = 0; i < 3; i++)
        ck_assert_float_eq(grad_at(x, i), 2.f);
}
END_TEST

/* An op's result requires grad when any input does; a plain tensor or a
 * Python number beside a requiring one changes nothing. */
START_TEST(test_requires_grad_propagation) {
    Tensor *x = tensor_requires_grad_(f32_vector((const float[]){0.5f, 1.f, 2.f}, 3), true);
    Tensor *c = f32_vector((const float[]){1.5f, 0.75f, 2.f}, 3);
    static const struct {
        UnaryOp op;
        UnaryFn fn;
    } unaries[] = {
#define UNARY_CALL(ID, NAME, GRAD_NAME, SAVED, FN, ...) {UNARY_##ID, tensor_##FN},
        UNARY_OP_LIST(UNARY_CALL)
#undef UNARY_CALL
    };
    ck_assert_int_eq(sizeof unaries / sizeof unaries[0], UNARY_OP_COUNT);
    for (size_t i = 0; i < sizeof unaries / sizeof unaries[0]; i++) {
        Tensor *y = unaries[i].fn(x), *z = unaries[i].fn(c);
        ck_assert(y->requires_grad);
        ck_assert_str_eq(tensor_grad_fn_name(y), node_unary[unaries[i].op].name);
        ck_assert(!z->requires_grad);
        ck_assert_ptr_null(tensor_grad_fn_name(z));
    }
    static const struct {
        BinaryOp op;
        BinaryFn fn;
    } binaries[] = {{BINARY_ADD, tensor_add},
                    {BINARY_SUB, tensor_sub},
                    {BINARY_MUL, tensor_mul},
                    {BINARY_DIV, tensor_div},
                    {BINARY_POW, tensor_pow},
                    {BINARY_MAXIMUM, tensor_maximum},
                    {BINARY_MINIMUM, tensor_minimum}};
    /* the rest: comparisons (bool, no grad), clamp by a number, tanh_backward */
    ck_assert_int_eq(sizeof binaries / sizeof binaries[0], BINARY_OP_COUNT - 9);
    for (size_t i = 0; i < sizeof binaries / sizeof binaries[0]; i++) {
        Tensor *results[] = {binaries[i].fn(x, c), binaries[i].fn(c, x)};
        for (int k = 0; k < 2; k++) {
            ck_assert(results[k]->requires_grad);
            ck_assert_str_eq(tensor_grad_fn_name(results[k]), node_binary[binaries[i].op].name);
        }
        Tensor *plain = binaries[i].fn(c, c);
        ck_assert(!plain->requires_grad);
        ck_assert_ptr_null(tensor_grad_fn_name(plain));
        Tensor *with_number = binaries[i].fn(c, py_float(2.0));
        if (binaries[i].op == BINARY_MAXIMUM || binaries[i].op == BINARY_MINIMUM) {
            ck_assert_ptr_null(with_number); /* tensors only, as torch.maximum */
            nb_error_clear();
            continue;
        }
        ck_assert(!with_number->requires_grad);
    }
    Tensor *others[] = {tensor_dot(x, c),       tensor_outer(c, x),
                        tensor_select(x, 0, 1), tensor_expand(x, SHAPE(2, 3)),
                        tensor_clone(x),        tensor_to_dtype(x, DTYPE_FLOAT64),
                        tensor_sum(x)};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        ck_assert(others[i]->requires_grad);
    Tensor *plain[] = {tensor_dot(c, c),       tensor_outer(c, c),
                       tensor_select(c, 0, 1), tensor_expand(c, SHAPE(2, 3)),
                       tensor_clone(c),        tensor_to_dtype(c, DTYPE_FLOAT64),
                       tensor_sum(c)};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        ck_assert(!plain[i]->requires_grad);
        ck_assert_ptr_null(tensor_grad_fn_name(plain[i]));
    }
    ck_assert(!nb_error_pending());
}
END_TEST

/* Grad mode off: nothing is recorded, and backward of such a result fails
 * as PyTorch's does. */
START_TEST(test_no_recording_when_disabled) {
    Tensor *x = tensor_requires_grad_(f32_vector(ONE_TWO_THREE, 3), true);
    ck_assert(torch_is_grad_enabled());
    ck_assert(torch_set_grad_enabled(false));
    ck_assert(!torch_is_grad_enabled());
    Tensor *y = tensor_sum(tensor_sin(tensor_mul(x, x)));
    ck_assert(!y->requires_grad);
    ck_assert_ptr_null(tensor_grad_fn_name(y));
    ck_assert_int_eq(tensor_backward(y, NULL, false), -1);
    assert_error("no_grad_fn");
    ck_assert(!torch_set_grad_enabled(true));
    Tensor *z = tensor_sum(tensor_mul(x, x));
    ck_assert(z->requires_grad);
    ck_assert_str_eq(tensor_grad_fn_name(z), "SumBackward0");
    /* backward itself works with grad mode off, and restores the mode */
    torch_set_grad_enabled(false);
    ck_assert_int_eq(tensor_backward(z, NULL, false), 0);
    ck_assert(!torch_is_grad_enabled());
    for (int i = 0; i < 3; i++)
        ck_assert_float_eq(grad_at(x, i), 2 * ONE_TWO_THREE[i]);
}
END_TEST

/* requires_grad_ is for floating-point tensors, and a non-leaf can only
 * be switched on (which it already is). */
START_TEST(test_requires_grad_rules) {
    Tensor *ints = tensor_arange(0, 3);
    ck_assert_ptr_null(tensor_requires_grad_(ints, true));
    assert_error("non_floating");
    ck_assert_ptr_eq(tensor_requires_grad_(ints, false), ints);
    Tensor *x = tensor_requires_grad_(f32_vector(ONE_TWO_THREE, 3), true);
    Tensor *y = tensor_mul(x, py_int(2));
    ck_assert_ptr_null(tensor_requires_grad_(y, false));
    assert_error("non_leaf");
    ck_assert_ptr_eq(tensor_requires_grad_(y, true), y);
    ck_assert(y->requires_grad);
    ck_assert_ptr_eq(tensor_requires_grad_(x, false), x);
    ck_assert(!x->requires_grad);
    ck_assert(!tensor_mul(x, py_int(2))->requires_grad);
    ck_assert(!nb_error_pending());
}
END_TEST

/* backward(gradient): the gradient seeds the pass (cast to the output's
 * dtype, as PyTorch's engine does) and must have the output's shape. */
START_TEST(test_explicit_gradient) {
    Tensor *x = tensor_requires_grad_(f32_vector(ONE_TWO_THREE, 3), true);
    Tensor *y = tensor_mul(x, py_int(3));
    Tensor *g = tensor_from_data(DTYPE_FLOAT64, SHAPE(3), (const double[]){1.0, 0.5, -2.0});
    ck_assert_int_eq(tensor_backward(y, g, true), 0);
    ck_assert_float_eq(grad_at(x, 0), 3.f);
    ck_assert_float_eq(grad_at(x, 1), 1.5f);
    ck_assert_float_eq(grad_at(x, 2), -6.f);

    Tensor *x2 = tensor_requires_grad_(f32_vector(ONE_TWO_THREE, 2), true);
    Tensor *wrong = tensor_from_data(DTYPE_FLOAT32, SHAPE(3), ONE_TWO_THREE);
    ck_assert_int_eq(tensor_backward(tensor_mul(x2, py_int(2)), wrong, false), -1);
    assert_error("shape_mismatch");
    ck_assert_ptr_null(tensor_grad(x2));
}
END_TEST

/* A saved result (tanh's) written in place before backward: PyTorch's
 * SavedVariable refuses, naming the node whose output it is. */
START_TEST(test_saved_result_modified) {
    Tensor *x = tensor_requires_grad_(f32_vector(ONE_TWO_THREE, 2), true);
    Tensor *y = tensor_tanh(x);
    bool mode = torch_set_grad_enabled(false);
    ck_assert_int_eq(tensor_copy_into(y, tensor_add(y, py_int(1))), 0);
    tensor_mark_modified(y);
    torch_set_grad_enabled(mode);
    ck_assert_int_eq(tensor_backward(tensor_sum(y), NULL, false), -1);
    assert_error("saved_result_modified");
    ck_assert_ptr_null(tensor_grad(x));
}
END_TEST

/* A call handed NULL reports something even after the failure that made
 * the NULL was cleared: a caller never sees a failure without a message.
 * The first message still sticks while it is pending. */
START_TEST(test_null_inputs_leave_a_message) {
    Tensor *x = f32_vector(ONE_TWO_THREE, 3);
    Tensor *bad = tensor_select(x, 0, 7);
    ck_assert_ptr_null(bad);
    char first[512];
    snprintf(first, sizeof first, "%s", nb_error_message());
    ck_assert_ptr_null(tensor_add(bad, x));
    ck_assert_str_eq(nb_error_message(), first);
    nb_error_clear();
    Tensor *(*const unary[])(Tensor *) = {tensor_neg, tensor_sin, tensor_sum, tensor_clone,
                                          tensor_contiguous, tensor_reciprocal};
    for (size_t i = 0; i < sizeof unary / sizeof unary[0]; i++) {
        ck_assert_ptr_null(unary[i](bad));
        ck_assert(nb_error_pending());
        ck_assert_str_ne(nb_error_message(), "");
        nb_error_clear();
    }
    Tensor *(*const binary[])(Tensor *, Tensor *) = {tensor_add, tensor_pow, tensor_mm,
                                                    tensor_matmul, tensor_dot, tensor_outer};
    for (size_t i = 0; i < sizeof binary / sizeof binary[0]; i++) {
        ck_assert_ptr_null(binary[i](x, bad));
        ck_assert(nb_error_pending());
        ck_assert_str_ne(nb_error_message(), "");
        nb_error_clear();
    }
    ck_assert_int_eq(tensor_backward(bad, NULL, false), -1);
    ck_assert_str_ne(nb_error_message(), "");
    nb_error_clear();
    ck_assert(isnan(tensor_item(bad)));
    ck_assert_str_ne(nb_error_message(), "");
    nb_error_clear();
    ck_assert_ptr_null(tensor_reshape(bad, SHAPE(3)));
    ck_assert_str_ne(nb_error_message(), "");
}
END_TEST

/* The paths this file's corpus reaches beyond the cells' (pow's masks, a
 * reciprocal, sum_to_size's sum and view, matmul's _unsafe_view, a view
 * following its base, the version check) run out of memory cleanly: with
 * the k-th allocation failing, for every k until the program completes,
 * each attempt gives the uninjected gradients or an out-of-memory error,
 * and gives back every block it took. */
static int oom_program(float grad[3]) {
    static const float base[] = {0.f, 1.f, 2.f}, exponent[] = {0.f, 0.5f, 2.f};
    int status = -1;
    TensorScope *s = tensor_scope_open();
    Tensor *c = f32_vector(base, 3);
    Tensor *view = tensor_select(c, 0, 2);
    Tensor *x = tensor_requires_grad_(c, true);
    Tensor *p = tensor_add(tensor_pow(x, f32_vector(exponent, 3)),
                           tensor_div(py_float(2.0), tensor_add(x, py_int(1))));
    Tensor *m = tensor_matmul(tensor_expand(tensor_reshape(p, SHAPE(3, 1)), SHAPE(2, 3, 1)),
                              tensor_from_data(DTYPE_FLOAT32, SHAPE(1, 2), (const float[]){1.f, -2.f}));
    Tensor *y = tensor_sum(tensor_mul(tensor_sum_to_size(m, SHAPE(3, 1)), view));
    if (tensor_backward(y, NULL, false) == 0) {
        Tensor *g = tensor_grad(x);
        Tensor *reuse = tensor_sum(tensor_mul(x, g));
        if (tensor_backward(tensor_sum(x), NULL, false) == 0 &&
            tensor_backward(reuse, NULL, false) != 0 && !nb_error_pending())
            ck_abort_msg("the version check failed without a message");
        for (int i = 0; i < 3; i++)
            grad[i] = (float)tensor_get_double(g, (int64_t[]){i});
        status = nb_error_kind() == ERR_NOMEM ? -1 : 0;
    }
    tensor_scope_close(s);
    return status;
}

START_TEST(test_out_of_memory) {
    float want[3], got[3];
    ck_assert_int_eq(oom_program(want), 0);
    /* the version check fired: PyTorch's message, which the corpus checks */
    ck_assert_int_eq(nb_error_kind(), ERR_VALUE);
    nb_error_clear();
    int64_t k = 1;
    for (;; k++) {
        int64_t live = nb_alloc_stats().live_blocks;
        nb_alloc_fail_after(k);
        int status = oom_program(got);
        nb_alloc_fail_after(0);
        ck_assert_msg(nb_alloc_stats().live_blocks == live, "k = %lld: blocks leaked", (long long)k);
        if (status == 0)
            break;
        ck_assert_msg(nb_error_kind() == ERR_NOMEM, "k = %lld: %s", (long long)k, nb_error_message());
        nb_error_clear();
    }
    for (int i = 0; i < 3; i++)
        ck_assert_float_eq(got[i], want[i]);
    ck_assert_int_gt(k, 50);
}
END_TEST

int main(void) {
    corpus = corpus_load("autograd_corpus.json");
    if (corpus == NULL)
        return EXIT_FAILURE;

    Suite *s = suite_create("autograd");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_corpus_covers_every_op);
    tcase_add_test(tc, test_corpus_programs);
    suite_add_tcase(s, tc);

    TCase *sem = tcase_create("semantics");
    tcase_add_checked_fixture(sem, open_scope, close_scope);
    tcase_add_test(sem, test_accumulates_across_calls);
    tcase_add_test(sem, test_retain_graph);
    tcase_add_test(sem, test_double_backward);
    tcase_add_test(sem, test_non_scalar_output);
    tcase_add_test(sem, test_requires_grad_propagation);
    tcase_add_test(sem, test_no_recording_when_disabled);
    tcase_add_test(sem, test_requires_grad_rules);
    tcase_add_test(sem, test_explicit_gradient);
    tcase_add_test(sem, test_saved_result_modified);
    tcase_add_test(sem, test_null_inputs_leave_a_message);
    tcase_add_test(sem, test_out_of_memory);
    suite_add_tcase(s, sem);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    cJSON_Delete(corpus);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
