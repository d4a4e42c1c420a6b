/* test_ops: holds every operation in src/ops.h to PyTorch 1.13 by replaying
 * tests/data/ops_corpus.jsonl (written from the real PyTorch by
 * tests/corpus/make_ops_corpus.py): results' dtype, shape and values, and
 * errors' exact text.
 *
 * Each case builds its inputs inside its own TensorScope (non-contiguous
 * and stride-0 inputs through the corpus's view recipes), runs the op, and
 * checks that closing the scope returns every block it took. All failing
 * cases of an op are reported before its test fails, since one bug usually
 * breaks a pattern of cases and the pattern is what points at it.
 *
 * Values are compared bit for bit (the sign of zero included; a NaN
 * matches any NaN): the elementwise kernels are SLEEF in ATen's loop
 * structure, sums follow ATen's cascade_sum order and products PyTorch's
 * BLAS calls (tests/test_elementwise_bits.c, tests/test_reduce_bits.c), so
 * there is no rounding left to allow for. Like PyTorch, the library picks its
 * CPU capability and thread count from ATEN_CPU_CAPABILITY and
 * OMP_NUM_THREADS, so the corpus and the suite must run under the same
 * choices (both default here).
 */
#include <check.h>
#include <cJSON.h>

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "ops.h"
#include "op_calls.h"
#include "tensor.h"
#include "corpus.h"

static cJSON *corpus;

/* ---- corpus reading ---- */

static int64_t json_int64(const cJSON *item) {
    if (cJSON_IsString(item)) {
        errno = 0;
        char *end;
        long long v = strtoll(item->valuestring, &end, 10);
        ck_assert_msg(errno == 0 && *end == '\0', "bad integer '%s' in corpus", item->valuestring);
        return (int64_t)v;
    }
    ck_assert_msg(cJSON_IsNumber(item), "corpus value is not a number");
    return (int64_t)item->valuedouble;
}

static double json_double(const cJSON *item) {
    if (cJSON_IsString(item)) {
        if (strcmp(item->valuestring, "nan") == 0) return NAN;
        if (strcmp(item->valuestring, "inf") == 0) return INFINITY;
        if (strcmp(item->valuestring, "-inf") == 0) return -INFINITY;
        ck_abort_msg("bad float '%s' in corpus", item->valuestring);
    }
    ck_assert_msg(cJSON_IsNumber(item), "corpus value is not a number");
    return item->valuedouble;
}

static const char *dtype_short(DType dt) {
    static const char *const names[] = {"bool", "int64", "float32", "float64"};
    return names[dt];
}

static int64_t shape_numel(Shape s) {
    int64_t n = 1;
    for (int i = 0; i < s.ndim; i++) n *= s.dims[i];
    return n;
}

/* Decodes hex into a malloc'd buffer of exactly `nbytes`. */
static unsigned char *hex_bytes(const char *hex, size_t nbytes) {
    ck_assert_msg(strlen(hex) == 2 * nbytes, "corpus data holds %zu bytes, expected %zu",
                  strlen(hex) / 2, nbytes);
    unsigned char *out = malloc(nbytes ? nbytes : 1);
    ck_assert_ptr_nonnull(out);
    for (size_t i = 0; i < nbytes; i++) {
        unsigned v;
        ck_assert_msg(sscanf(hex + 2 * i, "%2x", &v) == 1, "bad hex in corpus");
        out[i] = (unsigned char)v;
    }
    return out;
}

/* ---- building inputs ---- */

static Tensor *apply_view(Tensor *t, const cJSON *steps) {
    const cJSON *step;
    cJSON_ArrayForEach(step, steps) {
        const char *kind = cJSON_GetArrayItem(step, 0)->valuestring;
        int64_t a1 = cJSON_GetArraySize(step) > 1 && cJSON_IsNumber(cJSON_GetArrayItem(step, 1))
                         ? json_int64(cJSON_GetArrayItem(step, 1))
                         : 0;
        if (strcmp(kind, "transpose") == 0) {
            t = tensor_transpose(t, (int)a1, (int)json_int64(cJSON_GetArrayItem(step, 2)));
        } else if (strcmp(kind, "slice") == 0) {
            t = tensor_slice(t, (int)a1, json_int64(cJSON_GetArrayItem(step, 2)),
                             json_int64(cJSON_GetArrayItem(step, 3)),
                             json_int64(cJSON_GetArrayItem(step, 4)));
        } else if (strcmp(kind, "expand") == 0) {
            t = tensor_expand(t, corpus_shape(cJSON_GetArrayItem(step, 1)));
        } else if (strcmp(kind, "select") == 0) {
            t = tensor_select(t, (int)a1, json_int64(cJSON_GetArrayItem(step, 2)));
        } else if (strcmp(kind, "unsqueeze") == 0) {
            t = tensor_unsqueeze(t, (int)a1);
        } else {
            ck_abort_msg("unknown view step '%s'", kind);
        }
    }
    return t;
}

typedef struct {
    Tensor *base; /* the tensor built from the corpus bytes, before the view */
    const unsigned char *bytes;
    size_t nbytes;
} BuiltInput;

static Tensor *build_input(const cJSON *desc, BuiltInput *built) {
    memset(built, 0, sizeof *built);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(desc, "py_float");
    if (f) return py_float(json_double(f));
    const cJSON *i = cJSON_GetObjectItemCaseSensitive(desc, "py_int");
    if (i) return py_int(json_int64(i));
    DType dtype = corpus_dtype(corpus_field(desc, "dtype")->valuestring);
    Shape shape = corpus_shape(corpus_field(desc, "shape"));
    size_t nbytes = (size_t)shape_numel(shape) * nb_dtype_size(dtype);
    unsigned char *bytes = hex_bytes(corpus_field(desc, "data")->valuestring, nbytes);
    built->base = tensor_from_data(dtype, shape, bytes);
    built->bytes = bytes;
    built->nbytes = nbytes;
    return apply_view(built->base, corpus_field(desc, "view"));
}

/* ---- running ---- */

typedef Tensor *(*BinaryFn)(Tensor *, Tensor *);
typedef Tensor *(*UnaryFn)(Tensor *);
typedef Tensor *(*TernaryFn)(Tensor *, Tensor *, Tensor *);

/* The ops the corpus names: every row of the op table (through its public
 * call, op_calls.h), then the rest. */
typedef struct {
    const char *name;
    BinaryFn binary;
    UnaryFn unary;
    TernaryFn ternary;
    int unary_row, binary_row; /* a table row, or -1 */
} OpEntry;

static const OpEntry OTHER_OPS[] = {
    {"sum", NULL, tensor_sum, NULL, -1, -1},       {"dot", tensor_dot, NULL, NULL, -1, -1},
    {"mv", tensor_mv, NULL, NULL, -1, -1},         {"mm", tensor_mm, NULL, NULL, -1, -1},
    {"bmm", tensor_bmm, NULL, NULL, -1, -1},       {"matmul", tensor_matmul, NULL, NULL, -1, -1},
    {"outer", tensor_outer, NULL, NULL, -1, -1},   {"where", NULL, NULL, tensor_where, -1, -1},
    {"clamp", NULL, NULL, tensor_clamp, -1, -1},   {"broadcast_shapes", NULL, NULL, NULL, -1, -1},
};
static const char *const UNARY_ROW_NAMES[] = {
#define UNARY_ROW_NAME(ID, NAME, ...) [UNARY_##ID] = NAME,
    UNARY_OP_LIST(UNARY_ROW_NAME)
#undef UNARY_ROW_NAME
};
static const char *const BINARY_ROW_NAMES[] = {
#define BINARY_ROW_NAME(ID, NAME, ...) [BINARY_##ID] = NAME,
    BINARY_OP_LIST(BINARY_ROW_NAME)
#undef BINARY_ROW_NAME
};
#define N_OPS (UNARY_OP_COUNT + BINARY_OP_COUNT + (int)(sizeof OTHER_OPS / sizeof OTHER_OPS[0]))
static OpEntry OPS[N_OPS];

static void build_op_list(void) {
    int n = 0;
    for (int i = 0; i < UNARY_OP_COUNT; i++) OPS[n++] = (OpEntry){UNARY_ROW_NAMES[i], NULL, NULL, NULL, i, -1};
    for (int i = 0; i < BINARY_OP_COUNT; i++) OPS[n++] = (OpEntry){BINARY_ROW_NAMES[i], NULL, NULL, NULL, -1, i};
    for (size_t i = 0; i < sizeof OTHER_OPS / sizeof OTHER_OPS[0]; i++) OPS[n++] = OTHER_OPS[i];
}

static Tensor *apply_op(const OpEntry *op, Tensor *const *in) {
    if (op->unary_row >= 0) return tensor_unary((UnaryOp)op->unary_row, in[0]);
    if (op->binary_row >= 0) return tensor_binary((BinaryOp)op->binary_row, in[0], in[1]);
    if (op->ternary) return op->ternary(in[0], in[1], in[2]);
    return op->binary ? op->binary(in[0], in[1]) : op->unary(in[0]);
}

/* ---- comparing ---- */

/* Address of element `linear` (C order) of t, through its strides. */
static const void *element_at(const Tensor *t, int64_t linear) {
    int64_t off = t->offset;
    for (int d = t->ndim - 1; d >= 0; d--) {
        off += (linear % t->shape[d]) * t->strides[d];
        linear /= t->shape[d];
    }
    return (const char *)t->storage->data + off * (int64_t)nb_dtype_size(t->dtype);
}

static double as_double(DType dtype, const void *p) {
    switch (dtype) {
    case DTYPE_BOOL: return *(const bool *)p;
    case DTYPE_INT64: return (double)*(const int64_t *)p;
    case DTYPE_FLOAT32: return *(const float *)p;
    case DTYPE_FLOAT64: return *(const double *)p;
    }
    return 0;
}

static void format_element(char *buf, size_t size, DType dtype, const void *p) {
    switch (dtype) {
    case DTYPE_BOOL: snprintf(buf, size, "%s", *(const bool *)p ? "True" : "False"); break;
    case DTYPE_INT64: snprintf(buf, size, "%" PRId64, *(const int64_t *)p); break;
    case DTYPE_FLOAT32: {
        uint32_t bits;
        memcpy(&bits, p, sizeof bits);
        snprintf(buf, size, "%.9g (0x%08" PRIx32 ")", (double)*(const float *)p, bits);
        break;
    }
    case DTYPE_FLOAT64: {
        uint64_t bits;
        memcpy(&bits, p, sizeof bits);
        snprintf(buf, size, "%.17g (0x%016" PRIx64 ")", *(const double *)p, bits);
        break;
    }
    }
}

/* Bit for bit; a NaN matches any NaN (PyTorch leaves NaN payloads to the
 * hardware and the printer shows every one as nan). */
static bool element_matches(DType dtype, const void *want, const void *got) {
    size_t size = nb_dtype_size(dtype);
    if (dtype == DTYPE_FLOAT32 || dtype == DTYPE_FLOAT64) {
        double w = as_double(dtype, want), g = as_double(dtype, got);
        if (isnan(w) || isnan(g)) return isnan(w) && isnan(g);
    }
    if (dtype == DTYPE_BOOL) return *(const bool *)want == *(const bool *)got;
    return memcmp(want, got, size) == 0;
}

static void report(int index, const char *op, const char *note, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(int index, const char *op, const char *note, const char *fmt, ...) {
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fprintf(stderr, "case %d (%s: %s): %s\n", index, op, note, text);
}

/* Checks a result against the corpus; returns whether it matches. */
static bool check_result(int index, const char *op, const char *note, const cJSON *expect,
                         const Tensor *result) {
    DType dtype = corpus_dtype(corpus_field(expect, "dtype")->valuestring);
    Shape shape = corpus_shape(corpus_field(expect, "shape"));
    char want_shape[256], got_shape[256];
    nb_shape_str(shape.dims, shape.ndim, want_shape, sizeof want_shape);
    nb_shape_str(result->shape, result->ndim, got_shape, sizeof got_shape);
    if (result->dtype != dtype || !nb_shape_equal(shape, tensor_shape(result))) {
        report(index, op, note, "expected %s %s, got %s %s", dtype_short(dtype), want_shape,
               dtype_short(result->dtype), got_shape);
        return false;
    }
    int64_t numel = shape_numel(shape);
    size_t elsize = nb_dtype_size(dtype);
    unsigned char *want = hex_bytes(corpus_field(expect, "data")->valuestring, (size_t)numel * elsize);
    int64_t bad = 0, first_bad = -1;
    for (int64_t i = 0; i < numel; i++) {
        if (!element_matches(dtype, want + i * (int64_t)elsize, element_at(result, i))) {
            if (first_bad < 0) first_bad = i;
            bad++;
        }
    }
    if (bad) {
        char w[64], g[64];
        format_element(w, sizeof w, dtype, want + first_bad * (int64_t)elsize);
        format_element(g, sizeof g, dtype, element_at(result, first_bad));
        report(index, op, note, "%" PRId64 " of %" PRId64 " %s %s values differ; first at %" PRId64
               ": expected %s, got %s",
               bad, numel, dtype_short(dtype), want_shape, first_bad, w, g);
    }
    free(want);
    return bad == 0;
}

static bool check_broadcast_shapes(int index, const char *note, const cJSON *inputs,
                                   const cJSON *expect) {
    Shape a = corpus_shape(corpus_field(cJSON_GetArrayItem(inputs, 0), "shape"));
    Shape b = corpus_shape(corpus_field(cJSON_GetArrayItem(inputs, 1), "shape"));
    Shape out;
    int rc = torch_broadcast_shapes(a, b, &out);
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(expect, "error");
    char want[256], got[256];
    if (error) {
        if (rc == 0) {
            report(index, "broadcast_shapes", note, "expected error \"%s\", got shape %s",
                   error->valuestring, nb_shape_str(out.dims, out.ndim, got, sizeof got));
            return false;
        }
        if (strcmp(nb_error_message(), error->valuestring) != 0) {
            report(index, "broadcast_shapes", note, "expected error \"%s\", got \"%s\"",
                   error->valuestring, nb_error_message());
            return false;
        }
        return true;
    }
    Shape shape = corpus_shape(corpus_field(expect, "shape"));
    if (rc != 0 || !nb_shape_equal(shape, out)) {
        report(index, "broadcast_shapes", note, "expected %s, got %s",
               nb_shape_str(shape.dims, shape.ndim, want, sizeof want),
               rc != 0 ? nb_error_message() : nb_shape_str(out.dims, out.ndim, got, sizeof got));
        return false;
    }
    return true;
}

/* Runs one case, the index-th of the corpus (its line index + 2, after the
 * header); returns whether it passed. */
static bool run_case(const cJSON *c, int index) {
    const char *op = corpus_field(c, "op")->valuestring;
    const char *note = corpus_field(c, "note")->valuestring;
    const cJSON *inputs = corpus_field(c, "inputs");
    const cJSON *expect = corpus_field(c, "expect");
    int nin = cJSON_GetArraySize(inputs);
    ck_assert_int_le(nin, 3);

    nb_error_clear();
    int64_t live_before = nb_alloc_stats().live_blocks;
    bool ok = true;
    TensorScope *scope = tensor_scope_open();
    ck_assert_ptr_nonnull(scope);

    if (strcmp(op, "broadcast_shapes") == 0) {
        ok = check_broadcast_shapes(index, note, inputs, expect);
    } else {
        int k = 0;
        while (k < N_OPS && strcmp(OPS[k].name, op) != 0) k++;
        ck_assert_msg(k < N_OPS, "unknown op '%s' in corpus", op);
        Tensor *in[3] = {NULL, NULL, NULL};
        BuiltInput built[3] = {{0}};
        for (int i = 0; i < nin; i++) {
            const cJSON *desc = cJSON_GetArrayItem(inputs, i);
            if (cJSON_IsNull(desc)) continue; /* None: a clamp bound not given */
            in[i] = build_input(desc, &built[i]);
            ck_assert_msg(in[i] != NULL, "case %d: building input %d failed: %s", index, i,
                          nb_error_message());
        }
        Tensor *result = apply_op(&OPS[k], in);
        const cJSON *error = cJSON_GetObjectItemCaseSensitive(expect, "error");
        if (error) {
            if (result != NULL) {
                report(index, op, note, "expected error \"%s\", got a %s result", error->valuestring,
                       dtype_short(result->dtype));
                ok = false;
            } else if (strcmp(nb_error_message(), error->valuestring) != 0) {
                report(index, op, note, "expected error \"%s\", got \"%s\"", error->valuestring,
                       nb_error_message());
                ok = false;
            }
        } else if (result == NULL) {
            report(index, op, note, "expected a result, got error \"%s\"", nb_error_message());
            ok = false;
        } else {
            ok = check_result(index, op, note, expect, result);
            if (nb_error_pending()) {
                report(index, op, note, "succeeded but left an error: \"%s\"", nb_error_message());
                ok = false;
            }
        }
        for (int i = 0; i < nin; i++) {
            if (!built[i].base) continue;
            if (memcmp(tensor_data(built[i].base), built[i].bytes, built[i].nbytes) != 0) {
                report(index, op, note, "input %d was modified", i);
                ok = false;
            }
            free((void *)built[i].bytes);
        }
    }
    tensor_scope_close(scope);
    nb_error_clear();
    int64_t live_after = nb_alloc_stats().live_blocks;
    if (live_after != live_before) {
        report(index, op, note, "leaked %" PRId64 " blocks", live_after - live_before);
        ok = false;
    }
    return ok;
}

/* One test per op, so the summary says which ops disagree with PyTorch. */
START_TEST(test_op_cases) {
    const char *op = OPS[_i].name;
    const cJSON *cases = corpus_field(corpus, "cases");
    int ran = 0, failed = 0, index = -1;
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) {
        index++;
        if (strcmp(corpus_field(c, "op")->valuestring, op) != 0) continue;
        ran++;
        if (!run_case(c, index)) failed++;
    }
    ck_assert_msg(ran > 0, "the corpus has no cases for %s", op);
    ck_assert_msg(failed == 0, "%s: %d of %d cases disagree with PyTorch (listed on stderr)", op,
                  failed, ran);
}
END_TEST

/* The corpus itself: sane enough that a silent reader bug cannot pass it. */
START_TEST(test_corpus_covers_every_op) {
    const cJSON *cases = corpus_field(corpus, "cases");
    ck_assert_int_ge(cJSON_GetArraySize(cases), 300);
    int errors = 0, views = 0, scalars = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) {
        if (cJSON_GetObjectItemCaseSensitive(corpus_field(c, "expect"), "error")) errors++;
        const cJSON *in;
        cJSON_ArrayForEach(in, corpus_field(c, "inputs")) {
            const cJSON *view = cJSON_GetObjectItemCaseSensitive(in, "view");
            if (view && cJSON_GetArraySize(view) > 0) views++;
            if (cJSON_GetObjectItemCaseSensitive(in, "py_float") ||
                cJSON_GetObjectItemCaseSensitive(in, "py_int"))
                scalars++;
        }
    }
    ck_assert_int_gt(errors, 50);
    ck_assert_int_gt(views, 100);
    ck_assert_int_gt(scalars, 50);
}
END_TEST

int main(void) {
    build_op_list();
    corpus = corpus_load("ops_corpus.jsonl");
    if (corpus == NULL) return EXIT_FAILURE;

    Suite *s = suite_create("ops");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_corpus_covers_every_op);
    tcase_add_loop_test(tc, test_op_cases, 0, N_OPS);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    cJSON_Delete(corpus);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
