/* tensor: storage, tensor headers, scopes and element access. Views and
 * shape manipulation live in view.c; arithmetic in ops.c and linalg.c. */
#include "tensor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "backend.h"
#include "derivatives.h"
#include "error.h"
#include "pool.h"

/* ---- scopes ---- */

/* Tensors a scope holds without a heap array: enough for a small op, a
 * model step or cell 14's graph and its backward pass. */
#define SCOPE_INLINE 64

struct TensorScope {
    Tensor **owned; /* `inline_owned` until it overflows, then a heap array */
    size_t count, cap;
    TensorScope *parent;
    Tensor *inline_owned[SCOPE_INLINE];
};

static TensorScope *innermost_scope;

TensorScope *tensor_scope_open(void) {
    TensorScope *scope = nb_pool_take(NB_POOL_SCOPE, sizeof *scope);
    if (!scope) {
        nb_error_nomem();
        return NULL;
    }
    scope->owned = scope->inline_owned;
    scope->count = 0;
    scope->cap = SCOPE_INLINE;
    scope->parent = innermost_scope;
    innermost_scope = scope;
    return scope;
}

void tensor_scope_close(TensorScope *scope) {
    if (!scope) return;
    if (scope != innermost_scope) {
        fprintf(stderr, "internal error: tensor scopes closed out of order\n");
        abort();
    }
    /* Newest first, so views go before the tensors they were made from. */
    for (size_t i = scope->count; i-- > 0;) tensor_release(scope->owned[i]);
    innermost_scope = scope->parent;
    if (scope->owned != scope->inline_owned) nb_free(scope->owned);
    nb_pool_give(NB_POOL_SCOPE, scope);
}

size_t tensor_scope_size(const TensorScope *scope) { return scope ? scope->count : 0; }

/* Hands a new tensor's first reference to the innermost scope. */
static int scope_adopt(Tensor *t) {
    TensorScope *scope = innermost_scope;
    if (!scope) {
        fprintf(stderr, "internal error: tensor made with no open TensorScope\n");
        abort();
    }
    if (scope->count == scope->cap) {
        size_t cap = scope->cap * 2;
        bool on_heap = scope->owned != scope->inline_owned;
        Tensor **owned = nb_realloc(on_heap ? scope->owned : NULL, cap * sizeof *owned);
        if (!owned) return nb_error_nomem();
        if (!on_heap) memcpy(owned, scope->inline_owned, sizeof scope->inline_owned);
        scope->owned = owned;
        scope->cap = cap;
    }
    scope->owned[scope->count++] = t;
    return 0;
}

/* ---- storage and headers ---- */

/* A new tensor with small CPU data is one pooled block: its header, its
 * Storage and the data, at these offsets (multiples of 16, as malloc
 * aligns). The block goes back when the storage's last reference goes:
 * the header holds one, so the header is done by then; views and aliases
 * that outlive it keep the block (with its dead header) alive. */
#define ROUND16(n) (((n) + 15) & ~(size_t)15)
#define FRESH_STORAGE_OFFSET ROUND16(sizeof(Tensor))
#define FRESH_DATA_OFFSET (FRESH_STORAGE_OFFSET + ROUND16(sizeof(Storage)))
#define SMALL_DATA_MAX 512

/* The pool of a block with `nbytes` of small data, and the block's size. */
static NbPool small_pool(size_t nbytes, size_t *block) {
    size_t room = nbytes <= 64 ? 64 : nbytes <= 128 ? 128 : nbytes <= 256 ? 256 : 512;
    *block = FRESH_DATA_OFFSET + room;
    return nbytes <= 64 ? NB_POOL_SMALL_64 : nbytes <= 128 ? NB_POOL_SMALL_128
         : nbytes <= 256 ? NB_POOL_SMALL_256 : NB_POOL_SMALL_512;
}

/* Whether s lives in a fresh tensor's block (its data right behind it).
 * A storage of its own takes a block longer than that distance (below),
 * so data malloc'd apart can never sit exactly there. */
static bool in_fresh_block(const Storage *s) {
    return s->data == (const char *)s + (FRESH_DATA_OFFSET - FRESH_STORAGE_OFFSET);
}

/* Whether t is the header of its storage's block. */
static bool owns_block(const Tensor *t) { return (const char *)t->storage == (const char *)t + FRESH_STORAGE_OFFSET; }

/* A storage of large (or device) data, with its own header block. */
#define STORAGE_BLOCK (FRESH_DATA_OFFSET - FRESH_STORAGE_OFFSET + 16)

static Storage *storage_new(Device device, size_t nbytes) {
    Storage *s = nb_pool_take(NB_POOL_STORAGE, STORAGE_BLOCK);
    if (!s) {
        nb_error_nomem();
        return NULL;
    }
    *s = (Storage){.refcount = 1, .device = device, .nbytes = nbytes};
    s->data = backend_for(device)->alloc(nbytes);
    if (!s->data) {
        nb_pool_give(NB_POOL_STORAGE, s);
        return NULL;
    }
    return s;
}

static void storage_release(Storage *s) {
    if (!s || --s->refcount > 0) return;
    if (in_fresh_block(s)) {
        size_t block;
        nb_pool_give(small_pool(s->nbytes, &block), (char *)s - FRESH_STORAGE_OFFSET);
        return;
    }
    backend_for(s->device)->free(s->data);
    nb_pool_give(NB_POOL_STORAGE, s);
}

/* Fills header t over `storage` (whose reference it takes) and hands it
 * to the scope; on failure releases both. */
static Tensor *tensor_init(Tensor *t, Storage *storage, DType dtype, int ndim, const int64_t *shape,
                           const int64_t *strides, int64_t offset) {
    /* Field by field: the dimensions past ndim are never read, and
     * zeroing the whole header costs more than the rest of it. */
    t->refcount = 1;
    t->storage = storage;
    t->dtype = dtype;
    t->ndim = ndim;
    for (int i = 0; i < ndim; i++) {
        t->shape[i] = shape[i];
        t->strides[i] = strides[i];
    }
    t->offset = offset;
    t->is_wrapped_number = false;
    t->requires_grad = false;
    t->grad = NULL;
    t->grad_fn = NULL;
    t->view_base = NULL;
    if (scope_adopt(t) != 0) {
        bool owner = owns_block(t);
        storage_release(storage);
        if (!owner) nb_pool_give(NB_POOL_TENSOR, t);
        return NULL;
    }
    return t;
}

/* A header of its own over `storage` (whose reference it takes), owned by
 * the scope. */
static Tensor *tensor_wrap(Storage *storage, DType dtype, int ndim, const int64_t *shape,
                           const int64_t *strides, int64_t offset) {
    Tensor *t = nb_pool_take(NB_POOL_TENSOR, sizeof *t);
    if (!t) {
        storage_release(storage);
        nb_error_nomem();
        return NULL;
    }
    return tensor_init(t, storage, dtype, ndim, shape, strides, offset);
}

/* A new contiguous CPU tensor of `nbytes` (at most SMALL_DATA_MAX): one block. */
static Tensor *tensor_new_small(DType dtype, size_t nbytes, int ndim, const int64_t *shape,
                                const int64_t *strides) {
    size_t size;
    NbPool pool = small_pool(nbytes, &size);
    char *block = nb_pool_take(pool, size);
    if (!block) {
        /* the CPU backend's words, as when its alloc fails */
        nb_error_set(ERR_NOMEM, "out of memory: could not allocate %zu bytes on the CPU", nbytes);
        return NULL;
    }
    Storage *s = (Storage *)(block + FRESH_STORAGE_OFFSET);
    *s = (Storage){.refcount = 1, .device = DEVICE_CPU, .nbytes = nbytes, .data = block + FRESH_DATA_OFFSET};
    return tensor_init((Tensor *)block, s, dtype, ndim, shape, strides, 0);
}

void tensor_retain(Tensor *t) {
    if (t) t->refcount++;
}

void tensor_release(Tensor *t) {
    if (!t || --t->refcount > 0) return;
    tensor_release(t->grad);
    tensor_release(t->view_base);
    nb_autograd_node_release(t->grad_fn);
    /* an owner's header goes with its block, when the storage's last
     * reference goes (maybe now) */
    bool owner = owns_block(t);
    storage_release(t->storage);
    if (!owner) nb_pool_give(NB_POOL_TENSOR, t);
}

/* ---- shapes ---- */

/* Element count of a shape, or -1 (with error set) when it overflows. */
static int64_t shape_numel_checked(int ndim, const int64_t *dims) {
    int64_t n = 1;
    for (int i = 0; i < ndim; i++) {
        if (dims[i] < 0) {
            nb_error_set(ERR_VALUE, "Trying to create tensor with negative dimension %lld",
                      (long long)dims[i]);
            return -1;
        }
        /* (no division: this runs for every tensor made) */
        if (__builtin_mul_overflow(n, dims[i], &n)) {
            nb_error_set(ERR_VALUE, "tensor of %d dimensions is too large: its element count overflows",
                      ndim);
            return -1;
        }
    }
    return n;
}

/* With a zero-sized dimension the product can pass INT64_MAX while the
 * tensor holds nothing; such strides are never used, and wrap as PyTorch's
 * do instead of overflowing. */
static void contiguous_strides(int ndim, const int64_t *shape, int64_t *strides) {
    uint64_t stride = 1;
    for (int i = ndim - 1; i >= 0; i--) {
        strides[i] = (int64_t)stride;
        stride *= (uint64_t)(shape[i] > 1 ? shape[i] : 1);
    }
}

Tensor *tensor_empty_on(Device device, DType dtype, Shape shape) {
    if (nb_error_pending()) return NULL;
    if (shape.ndim < 0 || shape.ndim > TENSOR_MAX_DIMS) {
        nb_error_set(ERR_VALUE, "tensors have at most %d dimensions, got %d", TENSOR_MAX_DIMS,
                  shape.ndim);
        return NULL;
    }
    int64_t numel = shape_numel_checked(shape.ndim, shape.dims);
    if (numel < 0) return NULL;
    size_t elsize = nb_dtype_size(dtype), nbytes;
    if (__builtin_mul_overflow((uint64_t)numel, elsize, &nbytes)) {
        nb_error_set(ERR_VALUE, "tensor of %lld elements is too large for this machine",
                  (long long)numel);
        return NULL;
    }
    int64_t strides[TENSOR_MAX_DIMS];
    contiguous_strides(shape.ndim, shape.dims, strides);
    if (device == DEVICE_CPU && nbytes <= SMALL_DATA_MAX)
        return tensor_new_small(dtype, nbytes, shape.ndim, shape.dims, strides);
    Storage *storage = storage_new(device, nbytes);
    if (!storage) return nb_error_null_tensor();
    return tensor_wrap(storage, dtype, shape.ndim, shape.dims, strides, 0);
}

Tensor *tensor_empty(DType dtype, Shape shape) { return tensor_empty_on(DEVICE_CPU, dtype, shape); }

static Device default_device = DEVICE_CPU;

Device tensor_set_default_device(Device device) {
    Device previous = default_device;
    default_device = device;
    return previous;
}

Device tensor_default_device(void) { return default_device; }

Tensor *tensor_place_on_default_device(Tensor *t) {
    if (!t || default_device == DEVICE_CPU) return t;
    Tensor *placed = tensor_empty_on(default_device, t->dtype, tensor_shape(t));
    if (tensor_copy_into(placed, t) != 0) return NULL;
    return placed;
}

Tensor *tensor_zeros(DType dtype, Shape shape) {
    Tensor *t = tensor_empty(dtype, shape);
    if (t) memset(t->storage->data, 0, t->storage->nbytes);
    return t;
}

Tensor *tensor_from_data(DType dtype, Shape shape, const void *data) {
    Tensor *t = tensor_empty(dtype, shape);
    if (t && t->storage->nbytes) memcpy(t->storage->data, data, t->storage->nbytes);
    return t;
}

Tensor *tensor_arange(int64_t start, int64_t end) {
    if (end < start) {
        nb_error_set(ERR_VALUE, "upper bound and larger bound inconsistent with step sign");
        return NULL;
    }
    int64_t n = end - start;
    Tensor *t = tensor_empty(DTYPE_INT64, SHAPE(n));
    if (!t) return nb_error_null_tensor();
    int64_t *p = t->storage->data;
    for (int64_t i = 0; i < n; i++) p[i] = start + i;
    return tensor_place_on_default_device(t);
}

Tensor *py_float(double value) {
    Tensor *t = tensor_from_data(DTYPE_FLOAT64, SHAPE0, &value);
    if (t) t->is_wrapped_number = true;
    return t;
}

Tensor *py_int(int64_t value) {
    Tensor *t = tensor_from_data(DTYPE_INT64, SHAPE0, &value);
    if (t) t->is_wrapped_number = true;
    return t;
}

Tensor *tensor_make_view(Tensor *t, int ndim, const int64_t *shape, const int64_t *strides,
                         int64_t offset) {
    if (!t) return nb_error_null_tensor();
    t->storage->refcount++;
    Tensor *view = tensor_wrap(t->storage, t->dtype, ndim, shape, strides, offset);
    if (view) {
        view->view_base = t->view_base ? t->view_base : t;
        tensor_retain(view->view_base);
    }
    return view;
}

/* ---- properties ---- */

int64_t tensor_numel(const Tensor *t) {
    int64_t n = 1;
    for (int i = 0; i < t->ndim; i++) n *= t->shape[i];
    return n;
}

Device tensor_device(const Tensor *t) { return t->storage->device; }

Shape tensor_shape(const Tensor *t) {
    Shape s; /* the sizes past ndim are never read */
    s.ndim = t->ndim;
    for (int i = 0; i < t->ndim; i++) s.dims[i] = t->shape[i];
    return s;
}

bool tensor_is_contiguous(const Tensor *t) {
    int64_t expected = 1;
    for (int i = t->ndim - 1; i >= 0; i--) {
        if (t->shape[i] == 1) continue;
        if (t->strides[i] != expected) return tensor_numel(t) == 0;
        expected *= t->shape[i];
    }
    return true;
}

void *tensor_data(const Tensor *t) {
    return (char *)t->storage->data + t->offset * (int64_t)nb_dtype_size(t->dtype);
}

static int64_t element_offset(const Tensor *t, const int64_t *pos) {
    int64_t off = t->offset;
    for (int i = 0; i < t->ndim; i++) off += pos[i] * t->strides[i];
    return off;
}

/* Where element `*off` of t can be read on the host: t's own storage, or
 * for a device tensor `scratch`, which receives a copy of that one element
 * (then *off becomes 0). Reads as zeros when the copy fails. */
static const void *host_element_base(const Tensor *t, int64_t *off, int64_t *scratch) {
    *scratch = 0;
    if (t->storage->device == DEVICE_CPU) return t->storage->data;
    Storage host_storage = {.refcount = 1, .device = DEVICE_CPU, .nbytes = sizeof *scratch, .data = scratch};
    Tensor host = {.refcount = 1, .storage = &host_storage, .dtype = t->dtype};
    Tensor element = {.refcount = 1, .storage = t->storage, .dtype = t->dtype, .offset = *off};
    *off = 0;
    if (backend_for(t->storage->device)->transfer(&host, &element) != 0) *scratch = 0;
    return scratch;
}

double tensor_get_double(const Tensor *t, const int64_t *pos) {
    int64_t off = element_offset(t, pos), scratch;
    const void *base = host_element_base(t, &off, &scratch);
    switch (t->dtype) {
#define GET_DOUBLE_CASE(E, T, S) case E: return (double)((const T *)base)[off];
        DTYPE_LIST(GET_DOUBLE_CASE)
#undef GET_DOUBLE_CASE
    }
    return 0;
}

int64_t tensor_get_int(const Tensor *t, const int64_t *pos) {
    int64_t off = element_offset(t, pos), scratch;
    const void *base = host_element_base(t, &off, &scratch);
    switch (t->dtype) {
#define GET_INT_CASE(E, T, S) case E: return (int64_t)((const T *)base)[off];
        DTYPE_LIST(GET_INT_CASE)
#undef GET_INT_CASE
    }
    return 0;
}

double tensor_item(const Tensor *t) {
    if (!t) {
        nb_error_null_status();
        return NAN;
    }
    if (tensor_numel(t) != 1) {
        nb_error_set(ERR_VALUE, "only one element tensors can be converted to Python scalars");
        return NAN;
    }
    int64_t pos[TENSOR_MAX_DIMS] = {0};
    return tensor_get_double(t, pos);
}

bool tensor_requires_grad(const Tensor *t) {
    return t->requires_grad || (t->view_base && t->view_base->requires_grad);
}

void tensor_mark_modified(Tensor *t) { t->storage->version++; }

const char *tensor_grad_fn_name(const Tensor *t) {
    return t->grad_fn ? nb_autograd_node_name(t->grad_fn) : NULL;
}

/* ---- copies ---- */

int tensor_copy_into(Tensor *dst, const Tensor *src) {
    if (!dst || !src) return nb_error_null_status();
    Device to = dst->storage->device, from = src->storage->device;
    if (to != from) return backend_for(to == DEVICE_CPU ? from : to)->transfer(dst, src);
    return backend_for(to)->copy(dst, src);
}

/* Whether t's elements fill their memory exactly once in some order of the
 * dimensions (a permutation of contiguous strides; no gaps, no repeats).
 * As c10's, dimensions of size 0 or 1 are not looked at, so an empty
 * tensor's clone keeps its strides too. */
static bool is_dense_non_overlapping(const Tensor *t) {
    int order[TENSOR_MAX_DIMS], n = 0;
    for (int i = 0; i < t->ndim; i++)
        if (t->shape[i] >= 2) order[n++] = i;
    /* innermost first: insertion sort by stride */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && t->strides[order[j]] < t->strides[order[j - 1]]; j--) {
            int tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    int64_t expected = 1;
    for (int i = 0; i < n; i++) {
        if (t->strides[order[i]] != expected) return false;
        expected *= t->shape[order[i]];
    }
    return true;
}

/* A copy of t as `dtype`. Like PyTorch's preserve_format, a dense tensor
 * keeps its strides (a transposed matrix's copy is transposed too); any
 * other comes out contiguous. */
static Tensor *copy_preserving_layout(Tensor *t, DType dtype) {
    Tensor *out = tensor_empty_on(t->storage->device, dtype, tensor_shape(t));
    /* dense strides are a permutation of contiguous ones: same bytes */
    if (out && is_dense_non_overlapping(t))
        memcpy(out->strides, t->strides, (size_t)t->ndim * sizeof *t->strides);
    if (tensor_copy_into(out, t) != 0) return NULL;
    return out;
}

Tensor *tensor_clone(Tensor *t) {
    if (!t) return nb_error_null_tensor();
    return autograd_record(copy_preserving_layout(t, t->dtype), &node_clone, 1, &t, NULL, 0);
}

Tensor *tensor_contiguous(Tensor *t) {
    if (!t) return nb_error_null_tensor();
    if (tensor_is_contiguous(t)) return t;
    Tensor *out = tensor_empty_on(t->storage->device, t->dtype, tensor_shape(t));
    if (tensor_copy_into(out, t) != 0) return NULL;
    return autograd_record(out, &node_clone, 1, &t, NULL, 0);
}

Tensor *tensor_to_dtype(Tensor *t, DType dtype) {
    if (!t) return nb_error_null_tensor();
    if (t->dtype == dtype) return t;
    return autograd_record(copy_preserving_layout(t, dtype), &node_to_copy, 1, &t, NULL, 0);
}

/* ---- shape helpers ---- */

const char *nb_shape_str(const int64_t *dims, int ndim, char *buf, size_t bufsize) {
    size_t used = 0;
    used += (size_t)snprintf(buf, bufsize, "[");
    for (int i = 0; i < ndim && used < bufsize; i++)
        used += (size_t)snprintf(buf + used, bufsize - used, "%s%lld", i ? ", " : "",
                                 (long long)dims[i]);
    if (used < bufsize) snprintf(buf + used, bufsize - used, "]");
    return buf;
}

bool nb_shape_equal(Shape a, Shape b) {
    if (a.ndim != b.ndim) return false;
    for (int i = 0; i < a.ndim; i++)
        if (a.dims[i] != b.dims[i]) return false;
    return true;
}
