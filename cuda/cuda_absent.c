/* cuda_absent: src/gpu.h and the CUDA backend entry for a build without
 * CUDA (-Dcuda=disabled, or no toolkit found). Every question gets "not
 * built"; the backend refuses to allocate, so no CUDA tensor can exist and
 * its other entries are never reached (they refuse too, to be safe). */
#include "backend.h"
#include "error.h"
#include "gpu.h"

#include <stdio.h>

#define NOT_BUILT "this nbreplay was built without CUDA support (meson setup -Dcuda=enabled)"

bool nb_gpu_compiled(void) { return false; }

int nb_gpu_probe(GpuInfo *info) {
    (void)info;
    return nb_error_set(ERR_DEVICE, NOT_BUILT);
}

uint64_t nb_gpu_memory_allocated(void) { return 0; }

uint64_t nb_gpu_memory_reserved(void) { return 0; }

void nb_gpu_version_line(char *buf, size_t size) { snprintf(buf, size, "cuda: not built"); }

static int refuse(void) { return nb_error_set(ERR_DEVICE, NOT_BUILT); }

static void *absent_alloc(size_t nbytes) {
    (void)nbytes;
    refuse();
    return NULL;
}

static void absent_free(void *ptr) { (void)ptr; }

static int absent_copy(Tensor *dst, const Tensor *src) {
    (void)dst, (void)src;
    return refuse();
}

static int absent_unary(UnaryOp op, Tensor *out, const Tensor *in) {
    (void)op, (void)out, (void)in;
    return refuse();
}

static int absent_binary(BinaryOp op, Tensor *out, const Tensor *a, const Tensor *b) {
    (void)op, (void)out, (void)a, (void)b;
    return refuse();
}

static int absent_pair(Tensor *out, const Tensor *a, const Tensor *b) {
    (void)out, (void)a, (void)b;
    return refuse();
}

const Backend cuda_backend = {
    .name = "cuda",
    .alloc = absent_alloc,
    .free = absent_free,
    .copy = absent_copy,
    .unary = absent_unary,
    .binary = absent_binary,
    .sum = absent_copy,
    .dot = absent_pair,
    .mm = absent_pair,
    .mv = absent_pair,
    .bmm = absent_pair,
    .synchronize = NULL,
    .transfer = absent_copy,
};
