/* test_autograd_memory: autograd returns every block it takes. Cell 14's
 * graph (cells/cell14_accumulate_grad.c: selects, pow, add, sin, log, exp,
 * neg, and two backward passes, the first retaining the graph) is built and
 * back-propagated 100,000 times, each time in a TensorScope of its own,
 * into one persistent leaf whose .grad accumulates throughout. The count
 * of live heap blocks (nb_alloc_stats) must be the same after iteration 10 as
 * after every later checkpoint: a leak of even one block per iteration
 * would show as 99,990. Counting blocks, not time, keeps the test exact
 * on any machine and under sanitizers. */
#include <check.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "alloc.h"
#include "autograd.h"
#include "error.h"
#include "ops.h"
#include "tensor.h"

#define ITERATIONS 100000
#define SETTLED 10 /* iterations after which the count must hold */
#define CHECK_EVERY 10000

/* y = x[0]**1 + x[1]**2 + x[2]**3; w = exp(-log(1 + sin(y))); w.backward(
 * retain_graph=True); u.backward() */
static void cell14_step(Tensor *x) {
    Tensor *y = tensor_add(
        tensor_add(tensor_pow(tensor_at(x, 0), py_int(1)), tensor_pow(tensor_at(x, 1), py_int(2))),
        tensor_pow(tensor_at(x, 2), py_int(3)));
    Tensor *u = tensor_log(tensor_add(py_int(1), tensor_sin(y)));
    Tensor *w = tensor_exp(tensor_neg(u));
    ck_assert_msg(tensor_backward(w, NULL, true) == 0, "%s", nb_error_message());
    ck_assert_msg(tensor_backward(u, NULL, false) == 0, "%s", nb_error_message());
}

START_TEST(test_cell14_graph_memory_is_flat) {
    TensorScope *outer = tensor_scope_open();
    Tensor *x = tensor_requires_grad_(
        tensor_from_data(DTYPE_FLOAT32, SHAPE(3), (const float[]){1, 2, 3}), true);
    ck_assert_ptr_nonnull(x);
    size_t outer_size = tensor_scope_size(outer);

    float first[3];
    const Tensor *grad = NULL;
    int64_t settled = 0;
    for (int i = 1; i <= ITERATIONS; i++) {
        TensorScope *scope = tensor_scope_open();
        ck_assert_ptr_nonnull(scope);
        cell14_step(x);
        tensor_scope_close(scope);
        if (i == 1) {
            grad = tensor_grad(x);
            ck_assert_ptr_nonnull(grad);
            for (int k = 0; k < 3; k++)
                first[k] = (float)tensor_get_double(grad, (int64_t[]){k});
        }
        if (i == SETTLED)
            settled = nb_alloc_stats().live_blocks;
        if (i > SETTLED && (i % CHECK_EVERY == 0 || i == ITERATIONS))
            ck_assert_msg(nb_alloc_stats().live_blocks == settled,
                          "iteration %d: %lld live blocks, %lld after iteration %d", i,
                          (long long)nb_alloc_stats().live_blocks, (long long)settled, SETTLED);
    }
    /* the scopes took everything they made; .grad was updated in place */
    ck_assert_uint_eq(tensor_scope_size(outer), outer_size);
    ck_assert_ptr_eq(tensor_grad(x), grad);
    for (int k = 0; k < 3; k++) {
        double total = tensor_get_double(grad, (int64_t[]){k}),
               want = (double)first[k] * ITERATIONS;
        ck_assert_msg(fabs(total - want) <= 1e-2 * fabs(want),
                      "x.grad[%d] is %g after %d passes, %g after one", k, total, ITERATIONS,
                      (double)first[k]);
    }
    int64_t before_close = nb_alloc_stats().live_blocks;
    tensor_scope_close(outer);
    ck_assert_int_lt(nb_alloc_stats().live_blocks, before_close);
    ck_assert(!nb_error_pending());
}
END_TEST

/* Nodes that save their own result (tanh, sigmoid, relu, sqrt) keep it
 * as an alias without grad_fn: a graph dropped without backward, with one,
 * or retained and run twice, frees everything when its scope closes (an
 * output -> node -> output cycle would leak every iteration). */
static void saved_result_step(Tensor *x, int i) {
    Tensor *y = tensor_relu(tensor_sqrt(tensor_sigmoid(tensor_tanh(tensor_mul(x, py_float(0.5))))));
    Tensor *z = tensor_sum(tensor_maximum(y, tensor_clamp(x, py_float(0.5), NULL)));
    if (i % 3 == 1) ck_assert_msg(tensor_backward(z, NULL, false) == 0, "%s", nb_error_message());
    if (i % 3 == 2) {
        ck_assert_msg(tensor_backward(z, NULL, true) == 0, "%s", nb_error_message());
        ck_assert_msg(tensor_backward(z, NULL, false) == 0, "%s", nb_error_message());
    }
}

START_TEST(test_saved_results_are_freed) {
    TensorScope *outer = tensor_scope_open();
    Tensor *x = tensor_requires_grad_(
        tensor_from_data(DTYPE_FLOAT32, SHAPE(4), (const float[]){0.25f, 1, 2, 3}), true);
    ck_assert_ptr_nonnull(x);
    int64_t settled = 0;
    for (int i = 1; i <= 3000; i++) {
        TensorScope *scope = tensor_scope_open();
        saved_result_step(x, i);
        tensor_scope_close(scope);
        if (i == SETTLED) settled = nb_alloc_stats().live_blocks;
        if (i > SETTLED && i % 3 == 0)
            ck_assert_msg(nb_alloc_stats().live_blocks == settled, "iteration %d: %lld live blocks, %lld after %d",
                          i, (long long)nb_alloc_stats().live_blocks, (long long)settled, SETTLED);
    }
    /* a graph that outlives the scope of its output's creation still works */
    TensorScope *scope = tensor_scope_open();
    Tensor *y = tensor_tanh(x);
    tensor_retain(y);
    tensor_scope_close(scope);
    scope = tensor_scope_open();
    ck_assert_msg(tensor_backward(tensor_sum(y), NULL, false) == 0, "%s", nb_error_message());
    tensor_scope_close(scope);
    tensor_release(y);
    tensor_scope_close(outer);
    ck_assert(!nb_error_pending());
}
END_TEST

int main(void) {
    Suite *s = suite_create("autograd_memory");
    TCase *tc = tcase_create("memory");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, test_cell14_graph_memory_is_flat);
    tcase_add_test(tc, test_saved_results_are_freed);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
