/* standin_device: the CPU kernels behind disguised addresses (see
 * standin_device.h). A stand-in tensor is handed to a CPU kernel as a
 * twin: the same header over a storage whose address is undisguised. */
#include "standin_device.h"

#include <stdint.h>

#define DISGUISE ((uintptr_t)1 << 62)

/* Flipping the bit twice restores the address; element offsets added in
 * between never reach bit 62, so interior pointers round-trip too. */
static void *flip(void *p) { return (void *)((uintptr_t)p ^ DISGUISE); }

typedef struct Twin {
    Storage storage;
    Tensor tensor;
} Twin;

/* t as the CPU kernels may see it: itself when it is a CPU tensor. */
static const Tensor *reveal(Twin *twin, const Tensor *t) {
    if (t->storage->device == DEVICE_CPU) return t;
    twin->storage = *t->storage;
    twin->storage.device = DEVICE_CPU;
    twin->storage.data = flip(t->storage->data);
    twin->tensor = *t;
    twin->tensor.storage = &twin->storage;
    return &twin->tensor;
}

static Tensor *reveal_mut(Twin *twin, Tensor *t) { return (Tensor *)reveal(twin, t); }

static void *standin_alloc(size_t nbytes) {
    void *p = cpu_backend.alloc(nbytes);
    return p ? flip(p) : NULL;
}

static void standin_free(void *p) {
    if (p) cpu_backend.free(flip(p));
}

static int standin_copy(Tensor *dst, const Tensor *src) {
    Twin d, s;
    return cpu_backend.copy(reveal_mut(&d, dst), reveal(&s, src));
}

static int standin_unary(UnaryOp op, Tensor *out, const Tensor *in) {
    Twin o, i;
    return cpu_backend.unary(op, reveal_mut(&o, out), reveal(&i, in));
}

/* A Python-number pow exponent reaches a device in the result's dtype
 * (src/ops.c), the CPU kernels take it as float64 (kernels/cpu_pow.h):
 * it is handed over so. */
static int standin_binary(BinaryOp op, Tensor *out, const Tensor *a, const Tensor *b) {
    Twin o, x, y;
    const Tensor *exponent = reveal(&y, b);
    Twin number;
    double value;
    if (op == BINARY_POW && b->is_wrapped_number && b->dtype != DTYPE_FLOAT64) {
        value = *(const float *)tensor_data(exponent); /* floats only are marked */
        number.storage = *exponent->storage;
        number.storage.data = &value;
        number.storage.nbytes = sizeof value;
        number.tensor = *exponent;
        number.tensor.storage = &number.storage;
        number.tensor.offset = 0;
        number.tensor.dtype = DTYPE_FLOAT64;
        number.tensor.is_wrapped_number = true;
        exponent = &number.tensor;
    }
    return cpu_backend.binary(op, reveal_mut(&o, out), reveal(&x, a), exponent);
}

static int standin_sum(Tensor *out, const Tensor *in) {
    Twin o, i;
    return cpu_backend.sum(reveal_mut(&o, out), reveal(&i, in));
}

static int standin_dot(Tensor *out, const Tensor *a, const Tensor *b) {
    Twin o, x, y;
    return cpu_backend.dot(reveal_mut(&o, out), reveal(&x, a), reveal(&y, b));
}

static int standin_mm(Tensor *out, const Tensor *a, const Tensor *b) {
    Twin o, x, y;
    return cpu_backend.mm(reveal_mut(&o, out), reveal(&x, a), reveal(&y, b));
}

static int standin_mv(Tensor *out, const Tensor *a, const Tensor *b) {
    Twin o, x, y;
    return cpu_backend.mv(reveal_mut(&o, out), reveal(&x, a), reveal(&y, b));
}

static int standin_bmm(Tensor *out, const Tensor *a, const Tensor *b) {
    Twin o, x, y;
    return cpu_backend.bmm(reveal_mut(&o, out), reveal(&x, a), reveal(&y, b));
}

static int standin_reduce(ReduceOp op, Tensor *out, const Tensor *in) {
    Twin o, i;
    return cpu_backend.reduce(op, reveal_mut(&o, out), reveal(&i, in));
}

static int standin_where(Tensor *out, const Tensor *cond, const Tensor *a, const Tensor *b) {
    Twin o, c, x, y;
    return cpu_backend.where(reveal_mut(&o, out), reveal(&c, cond), reveal(&x, a), reveal(&y, b));
}

const Backend standin_backend = {
    .name = "cuda (stand-in)",
    .alloc = standin_alloc,
    .free = standin_free,
    .copy = standin_copy,
    .unary = standin_unary,
    .binary = standin_binary,
    .sum = standin_sum,
    .dot = standin_dot,
    .mm = standin_mm,
    .mv = standin_mv,
    .bmm = standin_bmm,
    .where = standin_where,
    .synchronize = NULL,
    .transfer = standin_copy,
    .reduce = standin_reduce,
};
