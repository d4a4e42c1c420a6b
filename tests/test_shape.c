/* test_shape: shape ops, creation with options and autograd controls
 * against PyTorch 1.13.
 *
 * From tests/data/shape_corpus.jsonl (tests/corpus/make_shape_corpus.py,
 * real PyTorch): every case runs its op on the same inputs and must give
 * the same dtype, shape, strides, grad_fn, requires_grad and bytes, or
 * the same error text; where PyTorch ran backward, the same gradients.
 * detach, zero_grad, clear_grad and TORCH_NO_GRAD are checked against
 * their contracts directly. */
#include <check.h>
#include <cJSON.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "corpus.h"
#include "error.h"
#include "ops.h"
#include "tensor.h"

static cJSON *corpus;

static const char *str_field(const cJSON *obj, const char *name) {
    const cJSON *item = corpus_field(obj, name);
    ck_assert_msg(cJSON_IsString(item), "corpus field %s is not a string", name);
    return item->valuestring;
}

static double num_field(const cJSON *obj, const char *name) {
    const cJSON *item = corpus_field(obj, name);
    if (cJSON_IsString(item) && strcmp(item->valuestring, "inf") == 0) return INFINITY;
    ck_assert_msg(cJSON_IsNumber(item), "corpus field %s is not a number", name);
    return item->valuedouble;
}

/* The bytes of t, contiguous on the host, compared with the corpus's hex. */
static void assert_bytes(const char *what, Tensor *t, const char *hex) {
    Tensor *host = tensor_empty(t->dtype, tensor_shape(t));
    ck_assert_int_eq(tensor_copy_into(host, t), 0);
    size_t len;
    unsigned char *want = corpus_bytes(hex, &len);
    ck_assert_msg(len == host->storage->nbytes, "%s: %zu bytes, PyTorch %zu", what, host->storage->nbytes, len);
    ck_assert_msg(len == 0 || memcmp(want, tensor_data(host), len) == 0, "%s: values differ", what);
    free(want);
}

/* An input: a contiguous tensor from the bytes, a leaf requiring grad if
 * asked, then permuted as the case says. *leaf gets the leaf. */
static Tensor *make_input(const cJSON *desc, Tensor **leaf) {
    DType dtype = corpus_dtype(str_field(desc, "dtype"));
    Shape shape = corpus_shape(corpus_field(desc, "shape"));
    size_t len;
    unsigned char *bytes = corpus_bytes(str_field(desc, "hex"), &len);
    Tensor *t = tensor_from_data(dtype, shape, bytes);
    free(bytes);
    if (cJSON_IsTrue(corpus_field(desc, "rg"))) tensor_requires_grad_(t, true);
    *leaf = t;
    const cJSON *perm = corpus_field(desc, "perm");
    return cJSON_IsNull(perm) ? t : tensor_permute(t, corpus_shape(perm));
}

static Tensor *run_case(const cJSON *c, int n, Tensor **in) {
    const char *op = str_field(c, "op");
    const cJSON *a = corpus_field(c, "args");
    if (strcmp(op, "view") == 0) return tensor_view(in[0], corpus_shape(corpus_field(a, "shape")));
    if (strcmp(op, "permute") == 0) return tensor_permute(in[0], corpus_shape(corpus_field(a, "dims")));
    if (strcmp(op, "t") == 0) return tensor_t(in[0]);
    if (strcmp(op, "flatten") == 0) return tensor_flatten(in[0]);
    if (strcmp(op, "cat") == 0) return tensor_cat(n, in, (int)num_field(a, "dim"));
    if (strcmp(op, "stack") == 0) return tensor_stack(n, in, (int)num_field(a, "dim"));
    if (strcmp(op, "ones") == 0)
        return tensor_ones(corpus_dtype(str_field(a, "dtype")), corpus_shape(corpus_field(a, "shape")));
    if (strcmp(op, "full") == 0)
        return tensor_full(corpus_dtype(str_field(a, "dtype")), corpus_shape(corpus_field(a, "shape")),
                           num_field(a, "value"));
    if (strcmp(op, "linspace") == 0)
        return tensor_linspace(num_field(a, "start"), num_field(a, "end"), (int64_t)num_field(a, "steps"));
    if (strcmp(op, "arange_step") == 0)
        return tensor_arange_step(num_field(a, "start"), num_field(a, "end"), num_field(a, "step"));
    if (strcmp(op, "tensor_as") == 0)
        return torch_tensor_as(str_field(a, "literal"), corpus_dtype(str_field(a, "dtype")),
                               cJSON_IsTrue(corpus_field(a, "requires_grad")));
    ck_abort_msg("unknown op %s", op);
    return NULL;
}

static void check_case(const cJSON *c) {
    const char *name = str_field(c, "name");
    const cJSON *inputs = corpus_field(c, "inputs");
    int n = cJSON_GetArraySize(inputs);
    Tensor *in[16], *leaves[16];
    ck_assert_int_le(n, 16);
    for (int i = 0; i < n; i++) in[i] = make_input(cJSON_GetArrayItem(inputs, i), &leaves[i]);
    ck_assert_msg(!nb_error_pending(), "%s: inputs: %s", name, nb_error_message());
    Tensor *out = run_case(c, n, in);
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(c, "error");
    if (error) {
        ck_assert_msg(out == NULL && nb_error_pending(), "%s: no error, PyTorch: %s", name, error->valuestring);
        ck_assert_msg(strcmp(nb_error_message(), error->valuestring) == 0, "%s: error\n  ours:    %s\n  PyTorch: %s",
                      name, nb_error_message(), error->valuestring);
        nb_error_clear();
        return;
    }
    ck_assert_msg(out != NULL, "%s: %s", name, nb_error_message());
    const cJSON *want = corpus_field(c, "out");
    ck_assert_msg(out->dtype == corpus_dtype(str_field(want, "dtype")), "%s: dtype", name);
    ck_assert_msg(nb_shape_equal(tensor_shape(out), corpus_shape(corpus_field(want, "shape"))), "%s: shape", name);
    Shape strides = corpus_shape(corpus_field(want, "strides"));
    for (int d = 0; d < out->ndim; d++)
        ck_assert_msg(out->strides[d] == strides.dims[d] || out->shape[d] < 2, "%s: stride %d is %lld, PyTorch %lld",
                      name, d, (long long)out->strides[d], (long long)strides.dims[d]);
    const cJSON *grad_fn = corpus_field(want, "grad_fn");
    const char *ours = tensor_grad_fn_name(out);
    if (cJSON_IsNull(grad_fn))
        ck_assert_msg(ours == NULL, "%s: grad_fn %s, PyTorch None", name, ours);
    else
        ck_assert_msg(ours && strcmp(ours, grad_fn->valuestring) == 0, "%s: grad_fn %s, PyTorch %s", name,
                      ours ? ours : "None", grad_fn->valuestring);
    ck_assert_msg(tensor_requires_grad(out) == cJSON_IsTrue(corpus_field(want, "requires_grad")),
                  "%s: requires_grad", name);
    assert_bytes(name, out, str_field(want, "hex"));
    const cJSON *gradient = cJSON_GetObjectItemCaseSensitive(c, "gradient");
    if (!gradient) return;
    size_t len;
    unsigned char *bytes = corpus_bytes(gradient->valuestring, &len);
    Tensor *g = tensor_from_data(out->dtype, tensor_shape(out), bytes);
    free(bytes);
    ck_assert_msg(tensor_backward(out, g, false) == 0, "%s: backward: %s", name, nb_error_message());
    const cJSON *grads = corpus_field(c, "grads");
    for (int i = 0; i < n; i++) {
        const cJSON *gi = cJSON_GetArrayItem(grads, i);
        Tensor *ours_grad = tensor_grad(leaves[i]);
        if (cJSON_IsNull(gi)) {
            ck_assert_msg(ours_grad == NULL, "%s: input %d got a gradient, PyTorch None", name, i);
            continue;
        }
        ck_assert_msg(ours_grad != NULL, "%s: input %d has no gradient", name, i);
        char what[300];
        snprintf(what, sizeof what, "%s: gradient of input %d", name, i);
        assert_bytes(what, ours_grad, gi->valuestring);
    }
}

START_TEST(test_corpus) {
    const cJSON *cases = corpus_field(corpus, "cases");
    ck_assert_int_gt(cJSON_GetArraySize(cases), 100);
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) {
        TensorScope *scope = tensor_scope_open();
        check_case(c);
        tensor_scope_close(scope);
    }
}
END_TEST

/* x.detach(): same storage, no grad_fn, no requires_grad, and a write
 * through it is a write to x (the version counter is shared). */
START_TEST(test_detach) {
    TensorScope *scope = tensor_scope_open();
    Tensor *x = tensor_requires_grad_(torch_tensor("[1., 2.]"), true);
    Tensor *y = tensor_mul(x, x);
    Tensor *d = tensor_detach(y);
    ck_assert_ptr_eq(d->storage, y->storage);
    ck_assert_ptr_null(tensor_grad_fn_name(d));
    ck_assert(!tensor_requires_grad(d));
    ck_assert(!tensor_requires_grad(tensor_detach(x)));
    tensor_mark_modified(d);
    ck_assert_uint_eq(y->storage->version, 1);
    /* a view of a detached tensor stays out of the graph */
    ck_assert(!tensor_requires_grad(tensor_select(tensor_detach(x), 0, 0)));
    ck_assert_ptr_null(tensor_detach(NULL));
    nb_error_clear();
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_zero_and_clear_grad) {
    TensorScope *scope = tensor_scope_open();
    Tensor *x = tensor_requires_grad_(torch_tensor("[1., 2.]"), true);
    ck_assert_ptr_null(tensor_zero_grad(x));
    ck_assert_str_eq(nb_error_message(), "'NoneType' object has no attribute 'zero_'");
    nb_error_clear();
    ck_assert_int_eq(tensor_backward(tensor_sum(tensor_mul(x, x)), NULL, false), 0);
    Tensor *grad = tensor_grad(x);
    uint64_t version = grad->storage->version;
    ck_assert_ptr_eq(tensor_zero_grad(x), grad);
    ck_assert_double_eq(tensor_get_double(grad, (int64_t[]){1}), 0.0);
    ck_assert_uint_eq(grad->storage->version, version + 1);
    /* the zeroed .grad accumulates the next backward in place */
    ck_assert_int_eq(tensor_backward(tensor_sum(tensor_mul(x, x)), NULL, false), 0);
    ck_assert_ptr_eq(tensor_grad(x), grad);
    ck_assert_double_eq(tensor_get_double(grad, (int64_t[]){1}), 4.0);
    ck_assert_ptr_eq(tensor_clear_grad(x), x);
    ck_assert_ptr_null(tensor_grad(x));
    ck_assert_int_eq(tensor_backward(tensor_sum(x), NULL, false), 0);
    ck_assert_double_eq(tensor_get_double(tensor_grad(x), (int64_t[]){1}), 1.0);
    ck_assert(!nb_error_pending());
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_no_grad_block) {
    TensorScope *scope = tensor_scope_open();
    Tensor *x = tensor_requires_grad_(torch_tensor("[1., 2.]"), true);
    Tensor *inside = NULL;
    TORCH_NO_GRAD {
        ck_assert(!torch_is_grad_enabled());
        inside = tensor_cat(2, (Tensor *[]){x, x}, 0);
        TORCH_NO_GRAD { ck_assert_ptr_nonnull(tensor_stack(2, (Tensor *[]){inside, inside}, 0)); }
        ck_assert(!torch_is_grad_enabled());
    }
    ck_assert(torch_is_grad_enabled());
    ck_assert(!tensor_requires_grad(inside));
    ck_assert_ptr_null(tensor_grad_fn_name(inside));
    nb_error_clear();
    tensor_scope_close(scope);
}
END_TEST

/* More inputs than a node has edges: joined without autograd, refused with it. */
START_TEST(test_many_inputs) {
    TensorScope *scope = tensor_scope_open();
    Tensor *parts[20];
    for (int i = 0; i < 20; i++) parts[i] = tensor_ones(DTYPE_FLOAT32, SHAPE(1));
    ck_assert_int_eq(tensor_numel(tensor_cat(20, parts, 0)), 20);
    tensor_requires_grad_(parts[3], true);
    ck_assert_ptr_null(tensor_cat(20, parts, 0));
    ck_assert(nb_error_pending());
    nb_error_clear();
    TORCH_NO_GRAD { ck_assert_int_eq(tensor_numel(tensor_stack(20, parts, 0)), 20); }
    ck_assert(!nb_error_pending());
    tensor_scope_close(scope);
}
END_TEST

int main(void) {
    corpus = corpus_load("shape_corpus.jsonl");
    if (corpus == NULL) return EXIT_FAILURE;
    Suite *s = suite_create("shape");
    TCase *pytorch = tcase_create("pytorch");
    tcase_set_timeout(pytorch, 120);
    tcase_add_test(pytorch, test_corpus);
    suite_add_tcase(s, pytorch);
    TCase *controls = tcase_create("autograd_controls");
    tcase_add_test(controls, test_detach);
    tcase_add_test(controls, test_zero_and_clear_grad);
    tcase_add_test(controls, test_no_grad_block);
    tcase_add_test(controls, test_many_inputs);
    suite_add_tcase(s, controls);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    cJSON_Delete(corpus);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
