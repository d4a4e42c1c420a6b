/* test_pool: the pools of tensor headers, small storages, scopes and
 * autograd nodes (src/lib/pool.h) keep alloc.c's books as malloc and free
 * would: a take is an allocation attempt that failure injection can fail,
 * a block is live from take to give, freed scopes give their blocks back,
 * and a free list never holds more than its limit. Where pools pass blocks
 * straight to malloc (AddressSanitizer, memcheck) the lists stay empty,
 * and the tests say so instead of expecting reuse. */
#include <check.h>

#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "alloc.h"
#include "autograd.h"
#include "error.h"
#include "ops.h"
#include "pool.h"
#include "tensor.h"

/* the tensor headers' pool, asked for the size the library asks for */
#define POOL NB_POOL_TENSOR
#define BLOCK sizeof(Tensor)

START_TEST(test_take_is_a_counted_allocation) {
    AllocStats before = nb_alloc_stats();
    void *block = nb_pool_take(POOL, BLOCK);
    ck_assert_ptr_nonnull(block);
    ck_assert_int_eq(nb_alloc_stats().total_calls, before.total_calls + 1);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, before.live_blocks + 1);
    nb_pool_give(POOL, block);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, before.live_blocks);

    /* an injected failure reaches a take whether or not the list has a block */
    nb_alloc_fail_after(1);
    ck_assert_ptr_null(nb_pool_take(POOL, BLOCK));
    nb_alloc_fail_after(0);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, before.live_blocks);
}
END_TEST

START_TEST(test_given_block_is_taken_again) {
    void *first = nb_pool_take(POOL, BLOCK);
    ck_assert_ptr_nonnull(first);
    size_t waiting = nb_pool_free_count(POOL);
    nb_pool_give(POOL, first);
    if (!nb_pool_recycles()) {
        ck_assert_uint_eq(nb_pool_free_count(POOL), 0);
        return;
    }
    ck_assert_uint_eq(nb_pool_free_count(POOL), waiting + 1);
    void *again = nb_pool_take(POOL, BLOCK);
    ck_assert_ptr_eq(again, first);
    nb_pool_give(POOL, again);
}
END_TEST

START_TEST(test_free_list_is_capped) {
    enum { MANY = NB_POOL_MAX_FREE + 100 };
    void **blocks = malloc(MANY * sizeof *blocks);
    ck_assert_ptr_nonnull(blocks);
    int64_t live = nb_alloc_stats().live_blocks;
    for (int i = 0; i < MANY; i++) ck_assert_ptr_nonnull(blocks[i] = nb_pool_take(POOL, BLOCK));
    for (int i = 0; i < MANY; i++) nb_pool_give(POOL, blocks[i]);
    free(blocks);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
    /* pool.h's rule: about 1 MiB of blocks, at least 64, at most NB_POOL_MAX_FREE */
    size_t limit = ((size_t)1 << 20) / BLOCK;
    limit = limit < 64 ? 64 : limit > NB_POOL_MAX_FREE ? NB_POOL_MAX_FREE : limit;
    if (!nb_pool_recycles()) limit = 0;
    ck_assert_uint_eq(nb_pool_free_count(POOL), limit);
}
END_TEST

/* A scope past its inline room moves its list to the heap, frees it at
 * close, and a failure to grow leaves the new tensor unmade and nothing
 * live; the scope then still closes cleanly. */
START_TEST(test_scope_grows_and_fails_cleanly) {
    int64_t live = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    for (int i = 0; i < 1000; i++) ck_assert_ptr_nonnull(py_float(i));
    ck_assert_uint_eq(tensor_scope_size(scope), 1000);
    tensor_scope_close(scope);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, live);

    /* the 65th tensor needs a bigger list: fail each of its allocations
     * in turn (its blocks, then the list) until one try needs no failure */
    scope = tensor_scope_open();
    for (int i = 0; i < 64; i++) ck_assert_ptr_nonnull(py_float(i));
    int64_t live_full = nb_alloc_stats().live_blocks;
    int failures = 0;
    for (int k = 1;; k++) {
        nb_alloc_fail_after(k);
        Tensor *t = py_float(64);
        nb_alloc_fail_after(0);
        if (t) break;
        failures++;
        ck_assert_int_eq(nb_error_kind(), ERR_NOMEM);
        nb_error_clear();
        ck_assert_int_eq(nb_alloc_stats().live_blocks, live_full);
        ck_assert_uint_eq(tensor_scope_size(scope), 64);
    }
    ck_assert_int_ge(failures, 2); /* a block, and the list past its inline room */
    ck_assert_uint_eq(tensor_scope_size(scope), 65);
    tensor_scope_close(scope);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
}
END_TEST

/* Small and large storages, views of them, and graphs: every block comes
 * back when the scope closes, many times over, and what a small tensor
 * holds is its own. */
START_TEST(test_scopes_return_every_block) {
    int64_t live = nb_alloc_stats().live_blocks;
    for (int round = 0; round < 2000; round++) {
        TensorScope *scope = tensor_scope_open();
        Tensor *w = tensor_requires_grad_(tensor_from_data(DTYPE_FLOAT64, SHAPE(2), (const double[]){1, 2}), true);
        Tensor *big = tensor_zeros(DTYPE_FLOAT64, SHAPE(100)); /* 800 bytes: not a small storage */
        Tensor *y = tensor_sum(tensor_mul(tensor_sin(w), tensor_at(big, 3)));
        ck_assert_int_eq(tensor_backward(y, NULL, false), 0);
        ck_assert(tensor_get_double(w, (int64_t[]){1}) == 2);
        tensor_scope_close(scope);
        ck_assert_msg(nb_alloc_stats().live_blocks == live, "round %d: %lld live, %lld before", round,
                      (long long)nb_alloc_stats().live_blocks, (long long)live);
    }
    ck_assert(!nb_error_pending());
}
END_TEST

/* Storage data is aligned as malloc aligns, inline or not. */
START_TEST(test_small_data_aligned) {
    TensorScope *scope = tensor_scope_open();
    for (int n = 0; n <= 80; n++) {
        Tensor *t = tensor_empty(DTYPE_FLOAT64, SHAPE(n));
        ck_assert_ptr_nonnull(t);
        ck_assert_uint_eq((uintptr_t)tensor_data(t) % 16, 0);
    }
    tensor_scope_close(scope);
}
END_TEST

/* A thread that takes and gives back 1000 blocks of 1 KiB keeps them all
 * on its list (under the list's limit); when it ends, its lists must be
 * freed, not leaked. */
enum { THREAD_BLOCKS = 1000, THREAD_BLOCK_BYTES = 1024 };

static void *take_and_give(void *kept) {
    static void *blocks[THREAD_BLOCKS];
    for (int i = 0; i < THREAD_BLOCKS; i++) blocks[i] = nb_pool_take(NB_POOL_SMALL_512, THREAD_BLOCK_BYTES);
    for (int i = 0; i < THREAD_BLOCKS; i++) nb_pool_give(NB_POOL_SMALL_512, blocks[i]);
    *(size_t *)kept = nb_pool_free_count(NB_POOL_SMALL_512);
    return NULL;
}

START_TEST(test_thread_exit_frees_its_lists) {
    mallopt(M_ARENA_MAX, 1); /* the thread's blocks in the arena mallinfo2 reads */
    size_t before = mallinfo2().uordblks, kept = 0;
    pthread_t thread;
    ck_assert_int_eq(pthread_create(&thread, NULL, take_and_give, &kept), 0);
    ck_assert_int_eq(pthread_join(thread, NULL), 0);
    if (nb_pool_recycles()) ck_assert_uint_eq(kept, THREAD_BLOCKS);
    size_t after = mallinfo2().uordblks;
    /* what pthread itself keeps is a few KiB; the list alone was 1 MiB */
    ck_assert_msg(after < before + THREAD_BLOCKS * THREAD_BLOCK_BYTES / 4,
                  "%zu bytes still in use after the thread ended", after - before);
}
END_TEST

int main(void) {
    Suite *s = suite_create("pool");
    TCase *tc = tcase_create("pool");
    tcase_add_test(tc, test_take_is_a_counted_allocation);
    tcase_add_test(tc, test_given_block_is_taken_again);
    tcase_add_test(tc, test_free_list_is_capped);
    tcase_add_test(tc, test_scope_grows_and_fails_cleanly);
    tcase_add_test(tc, test_scopes_return_every_block);
    tcase_add_test(tc, test_small_data_aligned);
    tcase_add_test(tc, test_thread_exit_frees_its_lists);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
