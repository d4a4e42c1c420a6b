/* cpu_backend: the CPU's entry in the backend table. */
#include "../src/alloc.h"
#include "../src/error.h"
#include "cpu_kernels.h"

static void *cpu_alloc(size_t nbytes) {
    void *p = nb_malloc(nbytes);
    if (!p) error_set(ERR_NOMEM, "out of memory: could not allocate %zu bytes on the CPU", nbytes);
    return p;
}

static void cpu_free(void *p) { nb_free(p); }

const Backend cpu_backend = {
    .name = "cpu",
    .alloc = cpu_alloc,
    .free = cpu_free,
    .copy = cpu_copy,
    .unary = cpu_unary,
    .binary = cpu_binary,
    .sum = cpu_sum,
    .sum_into = cpu_sum_into,
    .dot = cpu_dot,
    .bmm = cpu_bmm,
};
