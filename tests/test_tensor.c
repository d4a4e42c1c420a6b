/* test_tensor: the tensor core against PyTorch 1.13 and against its own
 * contracts.
 *
 * From tests/data/literal_corpus.jsonl (written from the real PyTorch by
 * tests/corpus/make_literal_corpus.py): torch.tensor literals, result_type
 * for every pair of operand kinds, the geometry of views (shape, strides,
 * offset, contiguity, whether storage is shared, so reshape's copy-or-view
 * choice is PyTorch's) with their error messages, and dtype conversions.
 *
 * Contracts that PyTorch has no counterpart for are checked directly:
 * scopes own and free every tensor, retain/release carries one past its
 * scope, and a NULL input propagates while the first error sticks. */
#include <check.h>
#include <cJSON.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "ops.h"
#include "tensor.h"
#include "corpus.h"

static cJSON *corpus;

/* ---- corpus reading ---- */

static const cJSON *section(const char *name) {
    const cJSON *s = corpus_field(corpus, name);
    ck_assert_msg(cJSON_GetArraySize(s) > 0, "corpus section '%s' is empty", name);
    return s;
}

static int64_t json_int64(const cJSON *item) {
    ck_assert_msg(cJSON_IsNumber(item), "corpus value is not a number");
    return (int64_t)item->valuedouble;
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

/* A contiguous tensor from a corpus {"dtype", "shape", "data"}. */
static Tensor *tensor_from_json(const cJSON *desc) {
    DType dtype = corpus_dtype(corpus_field(desc, "dtype")->valuestring);
    Shape shape = corpus_shape(corpus_field(desc, "shape"));
    size_t nbytes = (size_t)shape_numel(shape) * nb_dtype_size(dtype);
    unsigned char *bytes = hex_bytes(corpus_field(desc, "data")->valuestring, nbytes);
    Tensor *t = tensor_from_data(dtype, shape, bytes);
    free(bytes);
    ck_assert_msg(t != NULL, "building a corpus tensor failed: %s", nb_error_message());
    return t;
}

static const void *element_at(const Tensor *t, int64_t linear) {
    int64_t off = t->offset;
    for (int d = t->ndim - 1; d >= 0; d--) {
        off += (linear % t->shape[d]) * t->strides[d];
        linear /= t->shape[d];
    }
    return (const char *)t->storage->data + off * (int64_t)nb_dtype_size(t->dtype);
}

/* Index of the first element of t (C order) whose bytes differ from
 * `want`, or -1. nan matches any nan: only the payload may differ. */
static int64_t first_difference(const Tensor *t, const unsigned char *want) {
    size_t elsize = nb_dtype_size(t->dtype);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n; i++) {
        const void *got = element_at(t, i);
        const void *w = want + i * (int64_t)elsize;
        if (memcmp(got, w, elsize) == 0) continue;
        if (t->dtype == DTYPE_FLOAT32 && *(const float *)got != *(const float *)got &&
            *(const float *)w != *(const float *)w)
            continue;
        if (t->dtype == DTYPE_FLOAT64 && *(const double *)got != *(const double *)got &&
            *(const double *)w != *(const double *)w)
            continue;
        return i;
    }
    return -1;
}

static void format_element(char *buf, size_t size, DType dtype, const void *p) {
    switch (dtype) {
    case DTYPE_BOOL: snprintf(buf, size, "%s", *(const bool *)p ? "True" : "False"); break;
    case DTYPE_INT64: snprintf(buf, size, "%" PRId64, *(const int64_t *)p); break;
    case DTYPE_FLOAT32: snprintf(buf, size, "%.9g", (double)*(const float *)p); break;
    case DTYPE_FLOAT64: snprintf(buf, size, "%.17g", *(const double *)p); break;
    }
}

static int failures;

static void report(const char *what, int index, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(const char *what, int index, const char *fmt, ...) {
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s %d: %s\n", what, index, text);
    failures++;
}

/* Compares values (dtype, shape and data) with a corpus expectation. */
static bool values_match(const char *what, int index, const Tensor *t, const cJSON *expect,
                         bool check_dtype_shape) {
    if (check_dtype_shape) {
        DType dtype = corpus_dtype(corpus_field(expect, "dtype")->valuestring);
        Shape shape = corpus_shape(corpus_field(expect, "shape"));
        if (t->dtype != dtype || !nb_shape_equal(shape, tensor_shape(t))) {
            char w[256], g[256];
            report(what, index, "expected %s %s, got %s %s", dtype_short(dtype),
                   nb_shape_str(shape.dims, shape.ndim, w, sizeof w), dtype_short(t->dtype),
                   nb_shape_str(t->shape, t->ndim, g, sizeof g));
            return false;
        }
    }
    size_t elsize = nb_dtype_size(t->dtype);
    unsigned char *want = hex_bytes(corpus_field(expect, "data")->valuestring,
                                    (size_t)tensor_numel(t) * elsize);
    int64_t bad = first_difference(t, want);
    if (bad >= 0) {
        char w[64], g[64];
        format_element(w, sizeof w, t->dtype, want + bad * (int64_t)elsize);
        format_element(g, sizeof g, t->dtype, element_at(t, bad));
        report(what, index, "element %" PRId64 ": expected %s, got %s", bad, w, g);
    }
    free(want);
    return bad < 0;
}

/* Checks a failed call's message against PyTorch's. */
static bool error_matches(const char *what, int index, const void *result, const cJSON *expect) {
    const char *want = corpus_field(expect, "error")->valuestring;
    if (result != NULL) {
        report(what, index, "expected error \"%s\", got a result", want);
        return false;
    }
    if (strcmp(nb_error_message(), want) != 0) {
        report(what, index, "expected error \"%s\", got \"%s\"", want, nb_error_message());
        return false;
    }
    return true;
}

/* ---- literals ---- */

START_TEST(test_literals) {
    failures = 0;
    int index = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, section("literals")) {
        int64_t live = nb_alloc_stats().live_blocks;
        TensorScope *scope = tensor_scope_open();
        const char *text = corpus_field(c, "text")->valuestring;
        const cJSON *expect = corpus_field(c, "expect");
        Tensor *t = torch_tensor(text);
        char what[256];
        snprintf(what, sizeof what, "literal \"%s\"", text);
        if (cJSON_GetObjectItemCaseSensitive(expect, "error"))
            error_matches(what, index, t, expect);
        else if (t == NULL)
            report(what, index, "expected a tensor, got error \"%s\"", nb_error_message());
        else
            values_match(what, index, t, expect, true);
        nb_error_clear();
        tensor_scope_close(scope);
        if (nb_alloc_stats().live_blocks != live) report(what, index, "leaked blocks");
        index++;
    }
    ck_assert_msg(failures == 0, "%d literal cases disagree with PyTorch (listed on stderr)", failures);
}
END_TEST

/* ---- result_type ---- */

static Tensor *result_type_operand(const cJSON *desc) {
    const char *kind = corpus_field(desc, "kind")->valuestring;
    DType dtype = corpus_dtype(corpus_field(desc, "dtype")->valuestring);
    if (strcmp(kind, "dim") == 0) return tensor_zeros(dtype, SHAPE(2));
    if (strcmp(kind, "0d") == 0) return tensor_zeros(dtype, SHAPE0);
    ck_assert_str_eq(kind, "py");
    if (dtype == DTYPE_FLOAT64) return py_float(1.5);
    if (dtype == DTYPE_INT64) return py_int(2);
    /* Python's True: tensor.h wraps only floats and ints, so wrap it here */
    Tensor *t = tensor_zeros(DTYPE_BOOL, SHAPE0);
    if (t) t->is_wrapped_number = true;
    return t;
}

START_TEST(test_result_type) {
    failures = 0;
    int index = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, section("result_type")) {
        TensorScope *scope = tensor_scope_open();
        const cJSON *a = corpus_field(c, "a"), *b = corpus_field(c, "b");
        Tensor *ta = result_type_operand(a), *tb = result_type_operand(b);
        ck_assert(ta != NULL && tb != NULL);
        DType want = corpus_dtype(corpus_field(c, "expect")->valuestring);
        DType got = torch_result_type(ta, tb);
        if (got != want)
            report("result_type", index, "(%s %s, %s %s): expected %s, got %s",
                   corpus_field(a, "kind")->valuestring, corpus_field(a, "dtype")->valuestring,
                   corpus_field(b, "kind")->valuestring, corpus_field(b, "dtype")->valuestring,
                   dtype_short(want), dtype_short(got));
        tensor_scope_close(scope);
        index++;
    }
    ck_assert_int_ge(index, 100);
    ck_assert_msg(failures == 0, "%d result_type pairs disagree with PyTorch (listed on stderr)",
                  failures);
}
END_TEST

/* ---- views ---- */

static Tensor *apply_step(Tensor *t, const cJSON *step) {
    const char *kind = cJSON_GetArrayItem(step, 0)->valuestring;
    const cJSON *a1 = cJSON_GetArrayItem(step, 1), *a2 = cJSON_GetArrayItem(step, 2);
    if (strcmp(kind, "index") == 0) {
        int64_t idx[TENSOR_MAX_DIMS];
        int n = cJSON_GetArraySize(a1);
        ck_assert_int_le(n, TENSOR_MAX_DIMS);
        for (int i = 0; i < n; i++) idx[i] = json_int64(cJSON_GetArrayItem(a1, i));
        return tensor_index(t, n, idx);
    }
    if (strcmp(kind, "select") == 0) return tensor_select(t, (int)json_int64(a1), json_int64(a2));
    if (strcmp(kind, "slice") == 0)
        return tensor_slice(t, (int)json_int64(a1), json_int64(a2),
                            json_int64(cJSON_GetArrayItem(step, 3)),
                            json_int64(cJSON_GetArrayItem(step, 4)));
    if (strcmp(kind, "transpose") == 0)
        return tensor_transpose(t, (int)json_int64(a1), (int)json_int64(a2));
    if (strcmp(kind, "expand") == 0) return tensor_expand(t, corpus_shape(a1));
    if (strcmp(kind, "unsqueeze") == 0) return tensor_unsqueeze(t, (int)json_int64(a1));
    if (strcmp(kind, "squeeze") == 0) return tensor_squeeze_dim(t, (int)json_int64(a1));
    if (strcmp(kind, "reshape") == 0) return tensor_reshape(t, corpus_shape(a1));
    if (strcmp(kind, "contiguous") == 0) return tensor_contiguous(t);
    if (strcmp(kind, "clone") == 0) return tensor_clone(t);
    ck_abort_msg("unknown view step '%s'", kind);
    return NULL;
}

static void describe_steps(const cJSON *steps, char *buf, size_t size) {
    char *text = cJSON_PrintUnformatted(steps);
    snprintf(buf, size, "%s", text ? text : "?");
    free(text);
}

static void check_view_geometry(const char *what, int index, const Tensor *base, const Tensor *prev,
                                const Tensor *t, const cJSON *expect) {
    Shape shape = corpus_shape(corpus_field(expect, "shape"));
    Shape strides = corpus_shape(corpus_field(expect, "strides"));
    char w[256], g[256];
    if (!nb_shape_equal(shape, tensor_shape(t))) {
        report(what, index, "shape: expected %s, got %s", nb_shape_str(shape.dims, shape.ndim, w, sizeof w),
               nb_shape_str(t->shape, t->ndim, g, sizeof g));
        return;
    }
    Shape got_strides = {.ndim = t->ndim};
    memcpy(got_strides.dims, t->strides, (size_t)t->ndim * sizeof *t->strides);
    if (!nb_shape_equal(strides, got_strides))
        report(what, index, "strides: expected %s, got %s",
               nb_shape_str(strides.dims, strides.ndim, w, sizeof w),
               nb_shape_str(got_strides.dims, got_strides.ndim, g, sizeof g));
    bool shares = cJSON_IsTrue(corpus_field(expect, "shares_storage"));
    if ((t->storage == base->storage) != shares)
        report(what, index, "%s", shares ? "copied where PyTorch makes a view" : "is a view where PyTorch copies");
    if (shares && t->offset != json_int64(corpus_field(expect, "offset")))
        report(what, index, "offset: expected %" PRId64 ", got %" PRId64,
               json_int64(corpus_field(expect, "offset")), t->offset);
    if (tensor_is_contiguous(t) != cJSON_IsTrue(corpus_field(expect, "contiguous")))
        report(what, index, "tensor_is_contiguous: expected %s",
               cJSON_IsTrue(corpus_field(expect, "contiguous")) ? "true" : "false");
    bool same = cJSON_IsTrue(corpus_field(expect, "same_object"));
    if ((t == prev) != same)
        report(what, index, "%s", same ? "returned a new tensor where PyTorch returns its input"
                                       : "returned its input where PyTorch makes a new tensor");
    values_match(what, index, t, expect, false);
}

START_TEST(test_views) {
    failures = 0;
    int index = 0, copies = 0, shared = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, section("views")) {
        int64_t live = nb_alloc_stats().live_blocks;
        TensorScope *scope = tensor_scope_open();
        const cJSON *steps = corpus_field(c, "steps"), *expect = corpus_field(c, "expect");
        char what[256];
        describe_steps(steps, what, sizeof what);
        Tensor *base = tensor_from_json(corpus_field(c, "base"));
        Tensor *t = base, *prev = NULL;
        const cJSON *step;
        cJSON_ArrayForEach(step, steps) {
            prev = t;
            t = apply_step(t, step);
        }
        if (cJSON_GetObjectItemCaseSensitive(expect, "error")) {
            error_matches(what, index, t, expect);
        } else if (t == NULL) {
            report(what, index, "expected a tensor, got error \"%s\"", nb_error_message());
        } else {
            check_view_geometry(what, index, base, prev, t, expect);
            if (nb_error_pending()) report(what, index, "succeeded but left \"%s\"", nb_error_message());
            if (cJSON_IsTrue(corpus_field(expect, "shares_storage")))
                shared++;
            else
                copies++;
        }
        nb_error_clear();
        tensor_scope_close(scope);
        if (nb_alloc_stats().live_blocks != live) report(what, index, "leaked blocks");
        index++;
    }
    ck_assert_int_gt(shared, 30);
    ck_assert_int_gt(copies, 5);
    ck_assert_msg(failures == 0, "%d view cases disagree with PyTorch (listed on stderr)", failures);
}
END_TEST

/* The case whose only step is ["index", [0, 1, 0]]: PyTorch's T[0,1,0]. */
static const cJSON *index_010_case(void) {
    const cJSON *c;
    cJSON_ArrayForEach(c, section("views")) {
        const cJSON *steps = corpus_field(c, "steps");
        char *text = cJSON_PrintUnformatted(steps);
        bool found = text && strcmp(text, "[[\"index\",[0,1,0]]]") == 0;
        free(text);
        if (found) return c;
    }
    ck_abort_msg("the corpus lacks T[0,1,0]");
    return NULL;
}

START_TEST(test_tensor_at_is_a_0d_view) {
    const cJSON *c = index_010_case();
    const cJSON *expect = corpus_field(c, "expect");
    TensorScope *scope = tensor_scope_open();
    Tensor *base = tensor_from_json(corpus_field(c, "base"));
    int64_t refs = base->storage->refcount;
    Tensor *t = tensor_at(base, 0, 1, 0);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->ndim, 0);
    ck_assert_int_eq(cJSON_GetArraySize(corpus_field(expect, "shape")), 0);
    ck_assert_ptr_eq(t->storage, base->storage);
    ck_assert_int_gt(t->storage->refcount, refs);
    ck_assert_int_eq(t->offset, json_int64(corpus_field(expect, "offset")));
    failures = 0;
    ck_assert(values_match("tensor_at", 0, t, expect, false));
    /* a write through the base shows through the view: nothing was copied */
    float *cell = (float *)base->storage->data + t->offset;
    *cell = -*cell - 1;
    ck_assert(*(const float *)tensor_data(t) == *cell);
    tensor_scope_close(scope);
}
END_TEST

/* ---- conversions ---- */

START_TEST(test_conversions) {
    failures = 0;
    int index = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, section("conversions")) {
        int64_t live = nb_alloc_stats().live_blocks;
        TensorScope *scope = tensor_scope_open();
        const cJSON *src_desc = corpus_field(c, "src"), *expect = corpus_field(c, "expect");
        Tensor *src = tensor_from_json(src_desc);
        const cJSON *step;
        cJSON_ArrayForEach(step, corpus_field(src_desc, "steps")) src = apply_step(src, step);
        ck_assert_ptr_nonnull(src);
        DType to = corpus_dtype(corpus_field(c, "to")->valuestring);
        char what[128];
        snprintf(what, sizeof what, "%s -> %s", corpus_field(src_desc, "dtype")->valuestring, dtype_short(to));
        Tensor *out = tensor_to_dtype(src, to);
        if (out == NULL) {
            report(what, index, "failed: %s", nb_error_message());
        } else {
            if (out->dtype != to || !nb_shape_equal(tensor_shape(out), tensor_shape(src)))
                report(what, index, "wrong dtype or shape");
            else
                values_match(what, index, out, expect, false);
            bool same = cJSON_IsTrue(corpus_field(expect, "same_object"));
            if ((out == src) != same)
                report(what, index, "%s", same ? "copied where PyTorch returns its input"
                                               : "returned its input where PyTorch copies");
            if (out != src && out->storage == src->storage)
                report(what, index, "a converted copy shares its source's storage");
        }
        nb_error_clear();
        tensor_scope_close(scope);
        if (nb_alloc_stats().live_blocks != live) report(what, index, "leaked blocks");
        index++;
    }
    ck_assert_msg(failures == 0, "%d conversions disagree with PyTorch (listed on stderr)", failures);
}
END_TEST

/* ---- scopes ---- */

START_TEST(test_scope_close_frees_everything) {
    int64_t baseline = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    ck_assert_ptr_nonnull(scope);
    Tensor *a = tensor_zeros(DTYPE_FLOAT32, SHAPE(3, 4));
    Tensor *view = tensor_transpose(a, 0, 1);
    Tensor *sum = tensor_add(view, py_float(1.0));
    Tensor *product = tensor_matmul(a, view);
    ck_assert(a && view && sum && product);
    ck_assert_uint_ge(tensor_scope_size(scope), 5);
    ck_assert_int_gt(nb_alloc_stats().live_blocks, baseline);
    tensor_scope_close(scope);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, baseline);
}
END_TEST

START_TEST(test_scope_close_frees_after_errors) {
    int64_t baseline = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    Tensor *a = tensor_zeros(DTYPE_FLOAT32, SHAPE(2, 3));
    ck_assert_ptr_null(tensor_mm(a, a));
    ck_assert(nb_error_pending());
    nb_error_clear();
    ck_assert_ptr_null(tensor_add(tensor_reshape(a, SHAPE(4)), a));
    nb_error_clear();
    tensor_scope_close(scope);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, baseline);
}
END_TEST

START_TEST(test_nested_scopes) {
    int64_t baseline = nb_alloc_stats().live_blocks;
    TensorScope *outer = tensor_scope_open();
    Tensor *a = tensor_arange(0, 6);
    ck_assert_ptr_nonnull(a);
    size_t outer_size = tensor_scope_size(outer);
    int64_t outer_live = nb_alloc_stats().live_blocks;

    TensorScope *inner = tensor_scope_open();
    Tensor *row = tensor_select(tensor_reshape(a, SHAPE(2, 3)), 0, 1);
    Tensor *doubled = tensor_mul(a, py_int(2));
    ck_assert(row && doubled);
    /* what the inner scope made is the inner scope's */
    ck_assert_uint_eq(tensor_scope_size(outer), outer_size);
    ck_assert_uint_ge(tensor_scope_size(inner), 3);
    tensor_scope_close(inner);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, outer_live);

    /* the outer tensor survived its views and results */
    int64_t pos[] = {5};
    ck_assert_int_eq(tensor_get_int(a, pos), 5);
    tensor_scope_close(outer);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, baseline);
}
END_TEST

START_TEST(test_retain_outlives_scope) {
    int64_t baseline = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    Tensor *a = tensor_arange(10, 16);
    Tensor *view = tensor_select(a, 0, 4);
    ck_assert(a && view);
    tensor_retain(a);
    tensor_retain(view);
    tensor_scope_close(scope);
    ck_assert_int_gt(nb_alloc_stats().live_blocks, baseline);

    int64_t pos[] = {1};
    ck_assert_int_eq(tensor_get_int(a, pos), 11);
    tensor_release(a);
    /* the view alone now keeps the storage */
    ck_assert_int_eq(tensor_get_int(view, NULL), 14);
    ck_assert_int_gt(nb_alloc_stats().live_blocks, baseline);
    tensor_release(view);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, baseline);
}
END_TEST

START_TEST(test_scopes_closed_out_of_order_abort) {
    TensorScope *outer = tensor_scope_open();
    tensor_scope_open();
    tensor_scope_close(outer);
}
END_TEST

START_TEST(test_tensor_without_scope_aborts) {
    tensor_zeros(DTYPE_FLOAT32, SHAPE(2));
}
END_TEST

/* ---- NULL propagation and the first error ---- */

/* A view case that fails with a single reshape step for want of elements:
 * its base and PyTorch's message. */
static const cJSON *reshape_error_case(void) {
    const cJSON *c;
    cJSON_ArrayForEach(c, section("views")) {
        const cJSON *steps = corpus_field(c, "steps");
        if (cJSON_GetArraySize(steps) != 1) continue;
        if (strcmp(cJSON_GetArrayItem(cJSON_GetArrayItem(steps, 0), 0)->valuestring, "reshape") != 0)
            continue;
        const cJSON *error = cJSON_GetObjectItemCaseSensitive(corpus_field(c, "expect"), "error");
        if (error && strstr(error->valuestring, "is invalid for input of size")) return c;
    }
    ck_abort_msg("the corpus lacks a failing reshape");
    return NULL;
}

START_TEST(test_null_inputs_return_null) {
    nb_error_clear();
    TensorScope *scope = tensor_scope_open();
    Tensor *a = tensor_zeros(DTYPE_FLOAT32, SHAPE(2, 2));
    ck_assert_ptr_null(tensor_add(NULL, a));
    ck_assert_ptr_null(tensor_mul(a, NULL));
    ck_assert_ptr_null(tensor_neg(NULL));
    ck_assert_ptr_null(tensor_sum(NULL));
    ck_assert_ptr_null(tensor_matmul(a, NULL));
    ck_assert_ptr_null(tensor_outer(NULL, a));
    ck_assert_ptr_null(tensor_transpose(NULL, 0, 1));
    ck_assert_ptr_null(tensor_contiguous(NULL));
    nb_error_clear();
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_first_error_sticks) {
    nb_error_clear();
    const cJSON *c = reshape_error_case();
    const char *first = corpus_field(corpus_field(c, "expect"), "error")->valuestring;
    int64_t baseline = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    Tensor *a = tensor_from_json(corpus_field(c, "base"));
    Tensor *bad = apply_step(a, cJSON_GetArrayItem(corpus_field(c, "steps"), 0));
    ck_assert_ptr_null(bad);
    ck_assert_str_eq(nb_error_message(), first);

    /* every call downstream of the failure returns NULL and keeps the cause */
    Tensor *chain[] = {
        tensor_add(bad, a),  tensor_sub(a, bad),      tensor_mul(bad, bad),
        tensor_div(bad, a),  tensor_pow(a, bad),      tensor_neg(bad),
        tensor_sin(bad),     tensor_cos(bad),         tensor_exp(bad),
        tensor_log(bad),     tensor_sum(bad),         tensor_dot(bad, a),
        tensor_mv(a, bad),   tensor_mm(bad, a),       tensor_bmm(a, bad),
        tensor_matmul(bad, a), tensor_outer(a, bad),  tensor_select(bad, 0, 0),
        tensor_at(bad, 0),   tensor_slice(bad, 0, 0, 1, 1), tensor_transpose(bad, 0, 1),
        tensor_expand(bad, SHAPE(2, 3)), tensor_unsqueeze(bad, 0), tensor_squeeze_dim(bad, 0),
        tensor_reshape(bad, SHAPE(-1)),  tensor_contiguous(bad), tensor_clone(bad),
        tensor_to_dtype(bad, DTYPE_FLOAT64),
    };
    for (size_t i = 0; i < sizeof chain / sizeof chain[0]; i++)
        ck_assert_msg(chain[i] == NULL, "call %zu of the chain returned a tensor", i);
    ck_assert_str_eq(nb_error_message(), first);

    /* a later failure of its own does not replace the first message */
    ck_assert_ptr_null(tensor_mm(a, tensor_unsqueeze(a, 0)));
    ck_assert_ptr_null(tensor_reshape(a, SHAPE(-1, -1)));
    ck_assert_str_eq(nb_error_message(), first);

    nb_error_clear();
    ck_assert(!nb_error_pending());
    ck_assert_ptr_nonnull(tensor_add(a, a));
    tensor_scope_close(scope);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, baseline);
}
END_TEST

int main(void) {
    corpus = corpus_load("literal_corpus.jsonl");
    if (corpus == NULL) return EXIT_FAILURE;

    Suite *s = suite_create("tensor");
    TCase *pytorch = tcase_create("pytorch");
    tcase_set_timeout(pytorch, 60);
    tcase_add_test(pytorch, test_literals);
    tcase_add_test(pytorch, test_result_type);
    tcase_add_test(pytorch, test_views);
    tcase_add_test(pytorch, test_tensor_at_is_a_0d_view);
    tcase_add_test(pytorch, test_conversions);
    suite_add_tcase(s, pytorch);

    TCase *scopes = tcase_create("scopes");
    tcase_add_test(scopes, test_scope_close_frees_everything);
    tcase_add_test(scopes, test_scope_close_frees_after_errors);
    tcase_add_test(scopes, test_nested_scopes);
    tcase_add_test(scopes, test_retain_outlives_scope);
    suite_add_tcase(s, scopes);

    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_null_inputs_return_null);
    tcase_add_test(errors, test_first_error_sticks);
    suite_add_tcase(s, errors);

    SRunner *sr = srunner_create(s);
    /* an abort can only be watched from a parent process (CK_FORK=no runs
     * everything in this one) */
    if (srunner_fork_status(sr) != CK_NOFORK) {
        tcase_add_test_raise_signal(scopes, test_scopes_closed_out_of_order_abort, SIGABRT);
        tcase_add_test_raise_signal(scopes, test_tensor_without_scope_aborts, SIGABRT);
    }
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    cJSON_Delete(corpus);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
