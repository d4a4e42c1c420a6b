/* test_cuda_module: the CUDA module's entry (cuda/cuda_module.h), called
 * directly with the loader's host table: it returns the backend for its own
 * key and refuses any other (a module of another build), and what the
 * backend reports reaches the library's error state through the host
 * table. Runs anywhere: nothing here makes a CUDA context.
 *
 *   test_cuda_module MODULE    MODULE: the built nbreplay-cuda.so */
#include <check.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cuda/cuda_module.h"
#include "error.h"

static NbCudaModuleEntry entry;

START_TEST(test_its_own_key_gets_the_backend) {
    const NbCudaAbi abi = NB_CUDA_ABI;
    const NbCudaModule *module = entry(&abi, &cuda_host);
    ck_assert_ptr_nonnull(module);
    ck_assert_str_eq(module->backend->name, "cuda");
    ck_assert(module->backend->alloc != NULL);
    ck_assert(module->backend->transfer != NULL);
    ck_assert_uint_eq(module->memory_allocated(), 0);
    ck_assert_uint_eq(module->memory_reserved(), 0);
}
END_TEST

/* Each field of the key in turn differs by one. */
START_TEST(test_another_key_is_refused) {
    NbCudaAbi abi = NB_CUDA_ABI;
    uint32_t *fields[] = {&abi.version, &abi.backend_size, &abi.tensor_size, &abi.host_size, &abi.module_size};
    (*fields[_i])++;
    ck_assert_ptr_null(entry(&abi, &cuda_host));
}
END_TEST

START_TEST(test_the_modules_errors_are_the_librarys) {
    const NbCudaAbi abi = NB_CUDA_ABI;
    const NbCudaModule *module = entry(&abi, &cuda_host);
    ck_assert_ptr_nonnull(module);
    nb_error_clear();
    GpuInfo info;
    if (module->probe(&info) == 0) {
        ck_assert(!nb_error_pending());
        ck_assert(info.major >= 9);
    } else {
        ck_assert_int_eq(nb_error_kind(), ERR_DEVICE);
        ck_assert(strncmp(nb_error_message(), "CUDA is not available: ", 23) == 0 ||
                  strncmp(nb_error_message(), "no usable CUDA device: ", 23) == 0);
    }
    char line[512];
    module->describe(line, sizeof line);
    ck_assert(strncmp(line, "runtime ", 8) == 0);
}
END_TEST

static Suite *module_suite(void) {
    Suite *s = suite_create("cuda_module");
    TCase *tc = tcase_create("entry");
    tcase_add_test(tc, test_its_own_key_gets_the_backend);
    tcase_add_loop_test(tc, test_another_key_is_refused, 0, 5);
    tcase_add_test(tc, test_the_modules_errors_are_the_librarys);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_cuda_module MODULE\n");
        return EXIT_FAILURE;
    }
    /* left open until exit, as the loader leaves it */
    void *handle = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        fprintf(stderr, "test_cuda_module: %s\n", dlerror());
        return EXIT_FAILURE;
    }
    void *symbol = dlsym(handle, NB_CUDA_MODULE_ENTRY);
    if (!symbol) {
        fprintf(stderr, "test_cuda_module: %s exports no %s\n", argv[1], NB_CUDA_MODULE_ENTRY);
        return EXIT_FAILURE;
    }
    memcpy(&entry, &symbol, sizeof entry);
    SRunner *runner = srunner_create(module_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
