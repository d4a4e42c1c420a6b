/* backend: what a device must provide. The front end (ops.c, linalg.c) has
 * already checked arguments, promoted dtypes and broadcast shapes, so a
 * backend only moves bytes and does arithmetic. */
#ifndef NB_BACKEND_H
#define NB_BACKEND_H

#include "op_table.h"
#include "reduce_op_table.h"
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
    /* out = in summed over the dimensions where out has size 1 and in does
     * not (PyTorch's sum(dims, keepdim=True)); out contiguous, with in's
     * ndim and dtype (int64 or floating); in any strides, read in place,
     * since the order of the additions follows its layout */
    int (*sum)(Tensor *out, const Tensor *in);
    /* out (0-d) = a . b for 1-D a and b of equal length and dtype */
    int (*dot)(Tensor *out, const Tensor *a, const Tensor *b);
    /* The matrix products, each as PyTorch's op of that name computes it
     * (which differ: bmm multiplies small matrices its own way). Operands
     * any strides (0 included), out contiguous, one dtype, K > 0. */
    /* out (M,N) = a (M,K) @ b (K,N) */
    int (*mm)(Tensor *out, const Tensor *a, const Tensor *b);
    /* out (M) = mat (M,K) @ vec (K) */
    int (*mv)(Tensor *out, const Tensor *mat, const Tensor *vec);
    /* out[i] = a[i] @ b[i]: a (B,M,K), b (B,K,N) */
    int (*bmm)(Tensor *out, const Tensor *a, const Tensor *b);
    /* Waits until the work queued on the device has finished, for timing
     * (src/stopwatch.h); NULL where every call finishes before it returns. */
    void (*synchronize)(void);
    /* dst = src where one of the two lives on this device and the other on
     * the CPU (host <-> device): same shape, any strides on either side,
     * dtypes may differ (converted as copy converts). tensor_copy_into
     * calls the non-CPU side's, so the CPU backend leaves it NULL. */
    int (*transfer)(Tensor *dst, const Tensor *src);
    /* Reductions of kernels/reduce_op_table.h. REDUCE_MAX/MIN: out 0-d of
     * in's dtype = the largest/smallest of every element of in (non-empty,
     * any strides, read in C order as ATen reads in.contiguous()).
     * REDUCE_ARGMAX/ARGMIN: out int64, contiguous, in's ndim with size 1
     * along the reduced dimensions (those where in's is not 1): the C-order
     * position within each reduced block (in never bool). */
    int (*reduce)(ReduceOp op, Tensor *out, const Tensor *in);
    /* out = cond ? a : b elementwise (torch.where): cond bool, a and b of
     * out's dtype, all already expanded to out's shape, any strides */
    int (*where)(Tensor *out, const Tensor *cond, const Tensor *a, const Tensor *b);
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
