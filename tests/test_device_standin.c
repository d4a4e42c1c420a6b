/* test_device_standin: the library's device plumbing, checked without a
 * GPU. DEVICE_CUDA is served by tests/standin_device.c, whose memory the
 * host cannot read, so every path that moves data between the CPU and a
 * device (creation on the default device, transfers in both directions
 * with any strides and dtypes, element reads, printing, autograd, whole
 * cells against their goldens) runs as it would on a GPU, and any direct
 * read of device memory crashes the test. The kernels themselves are the
 * CPU's here; tests/test_cuda.c holds the real ones to the CPU. */
#include <check.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cells/notebook.h"
#include "../cells/registry.h"
#include "alloc.h"
#include "autograd.h"
#include "error.h"
#include "golden.h"
#include "ops.h"
#include "print.h"
#include "run.h"
#include "standin_device.h"
#include "tensor.h"

static const char *env_or(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return value && *value ? value : fallback;
}

static void setup(void) {
    backend_use_for_cuda(&standin_backend);
    nb_error_clear();
}

static void teardown(void) {
    backend_use_for_cuda(NULL);
    tensor_set_default_device(DEVICE_CPU);
}

static Tensor *on_device(Tensor *t) {
    Tensor *d = tensor_empty_on(DEVICE_CUDA, t->dtype, tensor_shape(t));
    ck_assert_msg(tensor_copy_into(d, t) == 0, "upload: %s", nb_error_message());
    return d;
}

static Tensor *on_host(const Tensor *t) {
    Tensor *h = tensor_empty(t->dtype, tensor_shape(t));
    ck_assert_msg(tensor_copy_into(h, t) == 0, "download: %s", nb_error_message());
    return h;
}

/* The same dtype, shape and bytes (elements read through the strides). */
static void assert_same_values(const Tensor *expected, const Tensor *actual) {
    ck_assert_int_eq(expected->dtype, actual->dtype);
    ck_assert(nb_shape_equal(tensor_shape(expected), tensor_shape(actual)));
    Tensor *e = tensor_contiguous((Tensor *)expected), *a = tensor_contiguous(on_host(actual));
    size_t bytes = (size_t)tensor_numel(e) * nb_dtype_size(e->dtype);
    ck_assert_msg(bytes == 0 || memcmp(tensor_data(e), tensor_data(a), bytes) == 0, "values differ");
}

START_TEST(test_creation_follows_the_default_device) {
    TensorScope *scope = tensor_scope_open();
    ck_assert_int_eq(tensor_default_device(), DEVICE_CPU);
    ck_assert_int_eq(tensor_device(torch_tensor("[1.,2.]")), DEVICE_CPU);
    ck_assert_int_eq(tensor_set_default_device(DEVICE_CUDA), DEVICE_CPU);
    Tensor *lit = torch_tensor("[[1.,2.],[3.,4.]]");
    Tensor *range = tensor_arange(2, 7);
    ck_assert_int_eq(tensor_device(lit), DEVICE_CUDA);
    ck_assert_int_eq(tensor_device(range), DEVICE_CUDA);
    /* NumPy arrays, Python numbers and scratch values stay on the host */
    ck_assert_int_eq(tensor_device(py_float(2.0)), DEVICE_CPU);
    ck_assert_int_eq(tensor_device(tensor_zeros(DTYPE_FLOAT32, SHAPE(2))), DEVICE_CPU);
    ck_assert_int_eq(tensor_device(float_range(4)), DEVICE_CPU);
    ck_assert_double_eq(tensor_get_double(lit, (int64_t[]){1, 0}), 3.0);
    ck_assert_int_eq(tensor_get_int(range, (int64_t[]){4}), 6);
    ck_assert_double_eq(tensor_item(tensor_at(lit, 1, 1)), 4.0);
    ck_assert(!nb_error_pending());
    tensor_set_default_device(DEVICE_CPU);
    tensor_scope_close(scope);
}
END_TEST

/* The views a transfer must follow: contiguous, transposed, sliced with a
 * step, expanded (stride 0), one element (0-d). */
#define VIEW_KINDS 5
static Tensor *view_of(Tensor *t, int kind) {
    switch (kind) {
    case 1: return tensor_transpose(t, 0, 1);
    case 2: return tensor_slice(t, 1, 0, 4, 2);
    case 3: return tensor_expand(tensor_slice(t, 0, 1, 2, 1), SHAPE(3, 4));
    case 4: return tensor_at(t, 2, 1);
    default: return t;
    }
}

/* Every dtype pair, both directions, with every view kind on the side
 * that is read and a transposed destination: the result is what the CPU's
 * own copy gives, bit for bit (nan, infinities and -0.0 included). */
START_TEST(test_transfers_convert_and_follow_strides) {
    TensorScope *scope = tensor_scope_open();
    const double values[] = {0.0, -0.0, 1.5, -2.5, 3.0, NAN, INFINITY, -INFINITY, 1e30, -7.0, 4.25, 9.0};
    Tensor *base = tensor_from_data(DTYPE_FLOAT64, SHAPE(3, 4), values);
    for (int from = 0; from < DTYPE_COUNT; from++) {
        Tensor *src_cpu = tensor_to_dtype(base, (DType)from);
        Tensor *src_dev = on_device(src_cpu);
        for (int kind = 0; kind < VIEW_KINDS; kind++) {
            Tensor *host_view = view_of(src_cpu, kind), *dev_view = view_of(src_dev, kind);
            for (int to = 0; to < DTYPE_COUNT; to++) {
                Tensor *expected = tensor_empty((DType)to, tensor_shape(host_view));
                ck_assert_int_eq(tensor_copy_into(expected, host_view), 0);
                /* host view -> contiguous device tensor */
                Tensor *up = tensor_empty_on(DEVICE_CUDA, (DType)to, tensor_shape(host_view));
                ck_assert_msg(tensor_copy_into(up, host_view) == 0, "%s", nb_error_message());
                assert_same_values(expected, up);
                /* device view -> contiguous host tensor */
                Tensor *down = tensor_empty((DType)to, tensor_shape(dev_view));
                ck_assert_msg(tensor_copy_into(down, dev_view) == 0, "%s", nb_error_message());
                assert_same_values(expected, down);
                if (kind != 0) continue;
                /* into transposed destinations, on either side */
                Tensor *host_t = tensor_transpose(tensor_empty((DType)to, SHAPE(4, 3)), 0, 1);
                Tensor *dev_t = tensor_transpose(tensor_empty_on(DEVICE_CUDA, (DType)to, SHAPE(4, 3)), 0, 1);
                ck_assert_int_eq(tensor_copy_into(host_t, src_dev), 0);
                ck_assert_int_eq(tensor_copy_into(dev_t, src_cpu), 0);
                assert_same_values(expected, host_t);
                assert_same_values(expected, dev_t);
            }
        }
    }
    ck_assert(!nb_error_pending());
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_printing_a_device_tensor_prints_as_on_the_cpu) {
    TensorScope *scope = tensor_scope_open();
    Tensor *cpu = tensor_requires_grad_(torch_tensor("[[1.5,2.],[3.,4.25]]"), true);
    Tensor *cpu_out = tensor_mul(tensor_sin(cpu), py_float(2.0));
    tensor_set_default_device(DEVICE_CUDA);
    Tensor *dev = tensor_requires_grad_(torch_tensor("[[1.5,2.],[3.,4.25]]"), true);
    Tensor *dev_out = tensor_mul(tensor_sin(dev), py_float(2.0));
    tensor_set_default_device(DEVICE_CPU);
    ck_assert_int_eq(tensor_device(dev_out), DEVICE_CUDA);

    Run run = {.print_options = PRINT_OPTIONS_DEFAULT};
    print_tensor(&run, dev);
    print_tensor(&run, dev_out);
    StrBuf expected = STRBUF_INIT;
    ck_assert_int_eq(tensor_format(&expected, cpu, NULL), 0);
    nb_strbuf_append_char(&expected, '\n');
    ck_assert_int_eq(tensor_format(&expected, cpu_out, NULL), 0);
    nb_strbuf_append_char(&expected, '\n');
    ck_assert_str_eq(nb_strbuf_cstr(&run.out), nb_strbuf_cstr(&expected));
    ck_assert(strstr(nb_strbuf_cstr(&run.out), "grad_fn=<MulBackward0>") != NULL);
    /* the library's tensor_format prints a device tensor the same way */
    StrBuf direct = STRBUF_INIT;
    ck_assert_int_eq(tensor_format(&direct, dev_out, NULL), 0);
    nb_strbuf_append_char(&direct, '\n');
    ck_assert(strstr(nb_strbuf_cstr(&expected), nb_strbuf_cstr(&direct)) != NULL);
    ck_assert(!nb_error_pending());
    nb_strbuf_free(&direct);
    nb_strbuf_free(&expected);
    nb_strbuf_free(&run.out);
    tensor_scope_close(scope);
}
END_TEST

/* Backward runs in forward ops, so on the device it gives the CPU's
 * gradients: sums of broadcasts, pow, matmul, dot, views. */
START_TEST(test_autograd_on_the_device_matches_the_cpu) {
    static const char *const literals[] = {"[[0.5,1.5,2.],[3.,0.25,1.]]", "[1.,2.,0.5]"};
    Tensor *grads[2][2];
    TensorScope *scope = tensor_scope_open();
    for (int d = 0; d < 2; d++) {
        tensor_set_default_device(d ? DEVICE_CUDA : DEVICE_CPU);
        Tensor *x = tensor_requires_grad_(torch_tensor(literals[0]), true);
        Tensor *y = tensor_requires_grad_(torch_tensor(literals[1]), true);
        Tensor *z = tensor_add(tensor_mul(tensor_exp(tensor_neg(x)), y), tensor_pow(x, py_int(3)));
        Tensor *w = tensor_div(tensor_log(tensor_add(py_int(2), tensor_cos(z))), py_float(3.0));
        Tensor *v = tensor_matmul(w, tensor_unsqueeze(y, 1));
        Tensor *loss = tensor_add(tensor_sum(v), tensor_dot(y, tensor_sin(y)));
        ck_assert_msg(tensor_backward(loss, NULL, false) == 0, "%s", nb_error_message());
        grads[d][0] = tensor_grad(x);
        grads[d][1] = tensor_grad(y);
        ck_assert_int_eq(tensor_device(grads[d][0]), d ? DEVICE_CUDA : DEVICE_CPU);
    }
    tensor_set_default_device(DEVICE_CPU);
    assert_same_values(grads[0][0], grads[1][0]);
    assert_same_values(grads[0][1], grads[1][1]);
    tensor_scope_close(scope);
}
END_TEST

/* Shape ops, creation and autograd controls are views and copies above
 * the kernels: on the device they give the CPU's values and gradients. */
START_TEST(test_shape_ops_and_creation_on_the_device_match_the_cpu) {
    Tensor *outs[2][4], *grads[2][2];
    TensorScope *scope = tensor_scope_open();
    for (int d = 0; d < 2; d++) {
        Device device = d ? DEVICE_CUDA : DEVICE_CPU;
        tensor_set_default_device(device);
        Tensor *x = torch_tensor_as("[[0.5, 1.5, 2], [3, 0.25, 1]]", DTYPE_FLOAT64, true);
        Tensor *y = tensor_requires_grad_(tensor_linspace(-1.0, 2.0, 40), true);
        Tensor *r = tensor_arange_step(0.5, 4.0, 0.3);
        Tensor *f = tensor_full(DTYPE_FLOAT32, SHAPE(2, 20), 2.5);
        ck_assert_int_eq(tensor_device(x), device);
        ck_assert_int_eq(tensor_device(r), device);
        ck_assert_int_eq(tensor_device(tensor_ones(DTYPE_INT64, SHAPE(2))), device);
        Tensor *xt = tensor_permute(tensor_view(tensor_t(x), SHAPE(3, 1, 2)), SHAPE(2, 0, 1));
        Tensor *joined = tensor_cat(3, (Tensor *[]){tensor_flatten(xt), tensor_to_dtype(y, DTYPE_FLOAT64), r}, 0);
        Tensor *stacked = tensor_stack(2, (Tensor *[]){f, tensor_detach(tensor_view(y, SHAPE(-1, 20)))}, -1);
        Tensor *loss = tensor_add(tensor_sum(tensor_mul(joined, joined)), tensor_sum(tensor_sin(stacked)));
        ck_assert_msg(tensor_backward(loss, NULL, true) == 0, "%s", nb_error_message());
        outs[d][0] = joined;
        outs[d][1] = stacked;
        outs[d][2] = tensor_grad(x);
        outs[d][3] = tensor_zero_grad(y);
        ck_assert_int_eq(tensor_backward(loss, NULL, false), 0);
        grads[d][0] = tensor_grad(x);
        grads[d][1] = tensor_grad(y);
        ck_assert_int_eq(tensor_device(grads[d][1]), device);
    }
    tensor_set_default_device(DEVICE_CPU);
    for (int i = 0; i < 4; i++) assert_same_values(outs[0][i], outs[1][i]);
    assert_same_values(grads[0][0], grads[1][0]);
    assert_same_values(grads[0][1], grads[1][1]);
    ck_assert(!nb_error_pending());
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_mixing_devices_is_refused) {
    TensorScope *scope = tensor_scope_open();
    Tensor *cpu = torch_tensor("[1.,2.]");
    Tensor *dev = on_device(cpu);
    ck_assert_ptr_null(tensor_add(cpu, dev));
    ck_assert(strstr(nb_error_message(), "Expected all tensors to be on the same device") != NULL);
    nb_error_clear();
    /* a Python number meets a device tensor: fine, as in PyTorch */
    ck_assert_ptr_nonnull(tensor_mul(dev, py_float(3.0)));
    tensor_scope_close(scope);
}
END_TEST

/* Every cell but In [1] (whose output is the GPU's own report; see
 * golden_select_device_variant) on the stand-in against its golden, with
 * the golden's seed and parameters, as `verify --device cuda` runs it. */
START_TEST(test_cells_on_the_device_match_their_goldens) {
    const Cell *cell = cell_registry[_i];
    if (cell->number == 1) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/cell-%02d.json", env_or("NB_GOLDEN_DIR", "golden"), cell->number);
    int64_t live = nb_alloc_stats().live_blocks;
    Golden golden;
    ck_assert_msg(golden_load(path, &golden) == 0, "%s", nb_error_message());
    ck_assert_int_eq(golden_select_device_variant(&golden, true), 0);
    RunParamArg params[GOLDEN_MAX_PARAMS];
    for (int i = 0; i < golden.nparams; i++)
        params[i] = (RunParamArg){golden.params[i].name, golden.params[i].value};
    RunOptions options = {.seed = golden.seed, .device = DEVICE_CUDA, .params = params,
                          .nparams = golden.nparams};
    StrBuf out = STRBUF_INIT;
    ck_assert_msg(run_cell(cell, &options, &out) == 0, "cell %d on the device: %s", cell->number,
                  nb_error_message());
    ck_assert_int_eq(tensor_default_device(), DEVICE_CPU);
    StrBuf diff = STRBUF_INIT;
    int match = golden_compare(&golden, nb_strbuf_cstr(&out), "device run", &diff);
    ck_assert_msg(match == 1, "cell %d on the device differs:\n%s", cell->number, nb_strbuf_cstr(&diff));
    nb_strbuf_free(&diff);
    nb_strbuf_free(&out);
    golden_free(&golden);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
}
END_TEST

static Suite *standin_suite(void) {
    Suite *s = suite_create("device_standin");
    TCase *plumbing = tcase_create("plumbing");
    tcase_add_checked_fixture(plumbing, setup, teardown);
    tcase_add_test(plumbing, test_creation_follows_the_default_device);
    tcase_add_test(plumbing, test_transfers_convert_and_follow_strides);
    tcase_add_test(plumbing, test_printing_a_device_tensor_prints_as_on_the_cpu);
    tcase_add_test(plumbing, test_autograd_on_the_device_matches_the_cpu);
    tcase_add_test(plumbing, test_mixing_devices_is_refused);
    tcase_add_test(plumbing, test_shape_ops_and_creation_on_the_device_match_the_cpu);
    suite_add_tcase(s, plumbing);

    TCase *cells = tcase_create("cells");
    tcase_set_timeout(cells, 120);
    tcase_add_checked_fixture(cells, setup, teardown);
    tcase_add_loop_test(cells, test_cells_on_the_device_match_their_goldens, 0, (int)cell_registry_count);
    suite_add_tcase(s, cells);
    return s;
}

int main(void) {
    SRunner *runner = srunner_create(standin_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
