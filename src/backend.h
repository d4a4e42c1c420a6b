/* backend: what a device must provide. The front end (ops.c, linalg.c) has
 * already checked arguments, promoted dtypes and broadcast shapes, so a
 * backend only moves bytes and does arithmetic. */
#ifndef NB_BACKEND_H
#define NB_BACKEND_H

#include "../kernels/op_table.h"
#include "tensor.h"

typedef struct Backend {
    const char *name;
    /* NULL with error.h set on failure */
    void *(*alloc)(size_t nbytes);
    void (*free)(void *ptr);
    /* dst = src, same shape, any strides, dtypes may differ */
    int (*copy)(Tensor *dst, const Tensor *src);
    /* out = op(in); out contiguous, in has out's shape and dtype */
    int (*unary)(UnaryOp op, Tensor *out, const Tensor *in);
    /* out = a op b; a and b already expanded to out's shape, same dtype */
    int (*binary)(BinaryOp op, Tensor *out, const Tensor *a, const Tensor *b);
    /* out (0-d) = sum of all elements of in, same dtype */
    int (*sum)(Tensor *out, const Tensor *in);
    /* dst += src, same shape and dtype, where dst may repeat elements
     * (stride 0, an expanded view): repeated positions receive the sum */
    int (*sum_into)(Tensor *dst, const Tensor *src);
    /* out (0-d) = a . b for 1-D a and b of equal length and dtype */
    int (*dot)(Tensor *out, const Tensor *a, const Tensor *b);
    /* out[i] = a[i] @ b[i]: a (B,M,K), b (B,K,N) any strides (batch stride may
     * be 0), out (B,M,N) contiguous; one dtype */
    int (*bmm)(Tensor *out, const Tensor *a, const Tensor *b);
    /* Waits until the work queued on the device has finished, for timing
     * (src/stopwatch.h); NULL where every call finishes before it returns. */
    void (*synchronize)(void);
    /* dst = src where one of the two lives on this device and the other on
     * the CPU (host <-> device): same shape, any strides on either side,
     * dtypes may differ (converted as copy converts). tensor_copy_into
     * calls the non-CPU side's, so the CPU backend leaves it NULL. */
    int (*transfer)(Tensor *dst, const Tensor *src);
} Backend;

const Backend *backend_for(Device device);
extern const Backend cpu_backend;
/* The CUDA backend (docs/cuda.md): the table of the module that
 * cuda/cuda_loader.c opens on the first call. Where it cannot be opened,
 * and in a build without CUDA (cuda/cuda_absent.c), a table whose every
 * entry fails saying why, so no CUDA tensor can come to exist. */
const Backend *cuda_backend_get(void);

/* For tests: DEVICE_CUDA served by `standin` instead (NULL: the CUDA
 * backend again); returns the previous stand-in. tests/standin_device.c is
 * one whose memory the host cannot read, so the code above the kernels is
 * exercised as on a GPU where there is none. */
const Backend *backend_use_for_cuda(const Backend *standin);

#endif
