/* cuda_unavailable: a backend table that refuses everything, saying why. */
#include "cuda_unavailable.h"

#include "error.h"
#include "gpu.h"

/* gpu_probe fails whenever this table is in use, and its line is the
 * reason (not built, module not loadable); should it not, say so. */
static int refuse(void) {
    if (nb_gpu_probe(NULL) != 0) return -1;
    return nb_error_set(ERR_DEVICE, "internal error: the CUDA backend is unavailable, yet a device is usable");
}

static void *refuse_alloc(size_t nbytes) {
    (void)nbytes;
    refuse();
    return NULL;
}

static void ignore_free(void *ptr) { (void)ptr; }

static int refuse_copy(Tensor *dst, const Tensor *src) {
    (void)dst, (void)src;
    return refuse();
}

static int refuse_unary(UnaryOp op, Tensor *out, const Tensor *in) {
    (void)op, (void)out, (void)in;
    return refuse();
}

static int refuse_binary(BinaryOp op, Tensor *out, const Tensor *a, const Tensor *b) {
    (void)op, (void)out, (void)a, (void)b;
    return refuse();
}

static int refuse_pair(Tensor *out, const Tensor *a, const Tensor *b) {
    (void)out, (void)a, (void)b;
    return refuse();
}

static int refuse_where(Tensor *out, const Tensor *cond, const Tensor *a, const Tensor *b) {
    (void)out, (void)cond, (void)a, (void)b;
    return refuse();
}

static int refuse_reduce(ReduceOp op, Tensor *out, const Tensor *in) {
    (void)op, (void)out, (void)in;
    return refuse();
}

const Backend cuda_unavailable_backend = {
    .name = "cuda",
    .alloc = refuse_alloc,
    .free = ignore_free,
    .copy = refuse_copy,
    .unary = refuse_unary,
    .binary = refuse_binary,
    .sum = refuse_copy,
    .dot = refuse_pair,
    .mm = refuse_pair,
    .mv = refuse_pair,
    .bmm = refuse_pair,
    .synchronize = NULL,
    .transfer = refuse_copy,
    .reduce = refuse_reduce,
    .where = refuse_where,
};
