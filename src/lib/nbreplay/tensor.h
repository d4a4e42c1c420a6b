/* tensor: refcounted storage under strided views, and the scopes that own
 * tensors.
 *
 * Ownership rule (the one thing to know): every tensor a library call makes
 * belongs to the innermost open TensorScope, and closing the scope releases
 * it. Callers never free tensors. Whatever must outlive its scope (a leaf's
 * .grad, an autograd node's saved inputs) takes a reference with
 * tensor_retain and drops it with tensor_release.
 *
 * Errors: calls return NULL (or -1) and leave a message in error.h. Every
 * call accepts NULL inputs and returns NULL, so a chain of calls reports the
 * first failure and the caller checks once. */
#ifndef NB_TENSOR_H
#define NB_TENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtype.h"

#define TENSOR_MAX_DIMS 16

typedef enum { DEVICE_CPU, DEVICE_CUDA } Device;

/* Refcounted bytes on one device. Views share it; nothing else owns it. */
typedef struct Storage {
    int64_t refcount;
    Device device;
    size_t nbytes;
    void *data;
    /* PyTorch's version counter: bumped by every in-place write a user can
     * see (.grad accumulating), so autograd can tell that a tensor it saved
     * has changed since. Views share it, as they share the storage. */
    uint64_t version;
} Storage;

typedef struct Shape {
    int ndim;
    int64_t dims[TENSOR_MAX_DIMS];
} Shape;

/* SHAPE(3, 2, 2); SHAPE0 is the shape of a 0-d tensor. */
#define SHAPE(...)                                                          \
    ((Shape){.ndim = (int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)), \
             .dims = {__VA_ARGS__}})
#define SHAPE0 ((Shape){.ndim = 0})

struct AutogradNode;

typedef struct Tensor {
    int64_t refcount;
    Storage *storage;
    DType dtype;
    int ndim;
    int64_t shape[TENSOR_MAX_DIMS];
    int64_t strides[TENSOR_MAX_DIMS]; /* in elements; 0 for expanded dims */
    int64_t offset;                   /* in elements, into storage */
    /* A Python number wrapped as a 0-d tensor: it takes part in type
     * promotion with the lowest priority, as in PyTorch. */
    bool is_wrapped_number;
    bool requires_grad; /* its own flag; tensor_requires_grad says what PyTorch reports */
    struct Tensor *grad;
    struct AutogradNode *grad_fn;
    /* For a view, the tensor whose storage it views (the root of a chain
     * of views): a view without a grad_fn requires grad while its base
     * does, as PyTorch's views do, even when the base started requiring
     * grad after the view was taken. NULL for a tensor that is no view. */
    struct Tensor *view_base;
} Tensor;

/* ---- scopes ---- */
typedef struct TensorScope TensorScope;
TensorScope *tensor_scope_open(void);
/* Releases every tensor made while the scope was innermost. Scopes close in
 * the reverse order they were opened. */
void tensor_scope_close(TensorScope *scope);
/* Tensors the scope currently owns (for tests and leak checks). */
size_t tensor_scope_size(const TensorScope *scope);

void tensor_retain(Tensor *t);
void tensor_release(Tensor *t);

/* ---- creation ---- */
/* torch.set_default_tensor_type for the device: where torch_tensor and
 * tensor_arange put what they create (run_cell sets it to the run's
 * device). The CPU until set. Returns the previous default. */
Device tensor_set_default_device(Device device);
Device tensor_default_device(void);
/* Waits until the work queued on `device` has finished
 * (torch.cuda.synchronize(); nothing to wait for on the CPU). */
void nb_device_synchronize(Device device);
/* The backend serving `device`, as the progress line names it: "cpu", "cuda". */
const char *nb_device_name(Device device);
/* Uninitialized, contiguous, on `device`. */
Tensor *tensor_empty_on(Device device, DType dtype, Shape shape);
/* These create on the CPU whatever the default device: they are the host
 * side of the library (NumPy arrays, Python numbers, scratch values). */
Tensor *tensor_empty(DType dtype, Shape shape);
Tensor *tensor_zeros(DType dtype, Shape shape);
/* Copies numel(shape) elements of `dtype` from `data` (C order). */
Tensor *tensor_from_data(DType dtype, Shape shape, const void *data);
/* torch.arange(start, end): int64, on the default device; end < start is
 * PyTorch's error */
Tensor *tensor_arange(int64_t start, int64_t end);
/* Python numbers as PyTorch wraps them: py_float(5.) is a float64 0-d
 * wrapped number (promotes like a Python float), py_int(1) an int64 one. */
Tensor *py_float(double value);
Tensor *py_int(int64_t value);
/* torch.tensor(LITERAL) from the Python literal's text, e.g.
 * torch_tensor("[[1.,2.,3.],[4.,5.,6.]]"): float32 if any element is a
 * float, else int64 (bool for True/False); errors use PyTorch's words.
 * On the default device. */
Tensor *torch_tensor(const char *python_literal);
/* ---- creation with options (creation.c): on the default device ---- */
/* torch.ones(shape, dtype=...), torch.full(shape, value, dtype=...): value
 * is a Python number, converted to dtype as fill_ does (PyTorch's overflow
 * error for a value the dtype cannot hold; truncated toward zero for int64). */
Tensor *tensor_ones(DType dtype, Shape shape);
Tensor *tensor_full(DType dtype, Shape shape, double value);
/* torch.linspace(start, end, steps): float32, ATen's values bit for bit. */
Tensor *tensor_linspace(double start, double end, int64_t steps);
/* torch.arange(start, end, step) with Python floats: always float32 (what
 * torch.arange(0., 5., .5) gives). For torch.arange(0, 5) with Python ints
 * (int64) use tensor_arange. ATen's values bit for bit. */
Tensor *tensor_arange_step(double start, double end, double step);
/* torch.tensor(LITERAL, dtype=dtype, requires_grad=requires_grad): each
 * element converted from its Python value to dtype; requires_grad for a
 * non-floating dtype is PyTorch's error. */
Tensor *torch_tensor_as(const char *python_literal, DType dtype, bool requires_grad);
/* A tensor just built on the CPU, as a new leaf on the default device
 * (t itself when that is the CPU): how creation functions honour it. */
Tensor *tensor_place_on_default_device(Tensor *t);

/* ---- properties and element access ---- */
int64_t tensor_numel(const Tensor *t);
Device tensor_device(const Tensor *t);
Shape tensor_shape(const Tensor *t);
bool tensor_is_contiguous(const Tensor *t);
/* First element's address: host memory for CPU tensors, device memory
 * (for that device's kernels only) otherwise. */
void *tensor_data(const Tensor *t);
/* Element at `pos` (one index per dimension), converted; on a device the
 * element is copied to the host first (a failure leaves error.h set and
 * reads 0). */
double tensor_get_double(const Tensor *t, const int64_t *pos);
int64_t tensor_get_int(const Tensor *t, const int64_t *pos);
/* Value of a one-element tensor (Tensor.item()). Any other sets PyTorch's
 * error and returns NAN: callers check nb_error_pending(). */
double tensor_item(const Tensor *t);
/* t.requires_grad as PyTorch reports it: its own flag, or its view base's. */
bool tensor_requires_grad(const Tensor *t);
/* An in-place write the user sees (x.grad += g): bumps t's version. */
void tensor_mark_modified(Tensor *t);

/* ---- copies ---- */
Tensor *tensor_contiguous(Tensor *t); /* t itself when already contiguous */
/* A copy; a dense tensor's copy keeps its strides (PyTorch's
 * preserve_format), any other is contiguous. tensor_to_dtype likewise. */
Tensor *tensor_clone(Tensor *t);
Tensor *tensor_to_dtype(Tensor *t, DType dtype); /* t itself when same */
/* Copies src into dst (same shape; dtypes may differ; either may be on
 * any device: between a device and the CPU it is the device backend's
 * transfer). */
int tensor_copy_into(Tensor *dst, const Tensor *src);

/* ---- views: share storage, never copy ---- */
Tensor *tensor_select(Tensor *t, int dim, int64_t index);        /* t.select(dim, i) */
Tensor *tensor_index(Tensor *t, int n, const int64_t *indices);  /* t[i, j, k] */
#define tensor_at(t, ...)                                                     \
    tensor_index((t), (int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)), \
                 (int64_t[]){__VA_ARGS__})
Tensor *tensor_slice(Tensor *t, int dim, int64_t start, int64_t end, int64_t step);
Tensor *tensor_transpose(Tensor *t, int dim0, int dim1);
Tensor *tensor_expand(Tensor *t, Shape shape);
Tensor *tensor_unsqueeze(Tensor *t, int dim);
Tensor *tensor_squeeze_dim(Tensor *t, int dim);
/* A view when the strides allow it, else a contiguous copy (torch.reshape).
 * One dimension may be -1. */
Tensor *tensor_reshape(Tensor *t, Shape shape);
/* t.view(shape) (one size may be -1; PyTorch's error where the strides
 * cannot express it), t.permute(dims), t.t() (at most 2-D) and
 * t.flatten() (reshape(-1); a 1-D t is returned as is). */
Tensor *tensor_view(Tensor *t, Shape shape);
Tensor *tensor_permute(Tensor *t, Shape dims);
Tensor *tensor_t(Tensor *t);
Tensor *tensor_flatten(Tensor *t);
/* torch.cat(ts, dim) and torch.stack(ts, dim) of n tensors (join.c): a new
 * contiguous tensor of the promoted dtype on the inputs' device. cat skips
 * 1-D empty inputs as PyTorch 1.13 does. Autograd records at most 16
 * inputs that require grad in one call. */
Tensor *tensor_cat(int n, Tensor *const *ts, int dim);
Tensor *tensor_stack(int n, Tensor *const *ts, int dim);

/* A view with the given geometry over t's storage (internal building
 * block; geometry is trusted). */
Tensor *tensor_make_view(Tensor *t, int ndim, const int64_t *shape, const int64_t *strides,
                         int64_t offset);

/* Normalizes a possibly negative dim against ndim, with PyTorch's
 * "Dimension out of range" error. Returns -1 on error. */
int tensor_wrap_dim(int dim, int ndim);

/* Name of the autograd node that made t, as PyTorch prints it
 * ("SinBackward0"), or NULL for a leaf. */
const char *tensor_grad_fn_name(const Tensor *t);

/* "[2, 3]" as PyTorch writes shapes in messages. */
const char *nb_shape_str(const int64_t *dims, int ndim, char *buf, size_t bufsize);
bool nb_shape_equal(Shape a, Shape b);

#endif
