/* cuda_transfer: host <-> device copies. cudaMemcpy moves contiguous bytes
 * of one dtype; whatever else a copy needs (gathering strided or expanded
 * elements, converting dtypes) happens on the side that is not contiguous:
 * on the host by the CPU backend's copy into a packed buffer, on the device
 * by the CUDA copy kernel out of a staging buffer. The temporary headers
 * are built on the stack, outside any TensorScope. */
#include "cuda_transfer.h"

#include <string.h>

#include "alloc.h"
#include "error.h"
#include "cuda_launch.h"
#include "cuda_module.h"

/* A header over raw memory: `like`'s shape, contiguous, or with every
 * stride 0 (one element seen at every position) when `broadcast`. */
typedef struct RawView {
    Storage storage;
    Tensor tensor;
} RawView;

static void raw_view(RawView *v, Device device, void *data, size_t nbytes, DType dtype, const Tensor *like,
                     bool broadcast) {
    v->storage = (Storage){.refcount = 1, .device = device, .nbytes = nbytes, .data = data};
    memset(&v->tensor, 0, sizeof v->tensor);
    v->tensor.refcount = 1;
    v->tensor.storage = &v->storage;
    v->tensor.dtype = dtype;
    v->tensor.ndim = like->ndim;
    int64_t stride = 1;
    for (int d = like->ndim - 1; d >= 0; d--) {
        v->tensor.shape[d] = like->shape[d];
        v->tensor.strides[d] = broadcast ? 0 : stride;
        stride *= like->shape[d] > 1 ? like->shape[d] : 1;
    }
}

/* Every element of t is the same one (a Python number or a zero expanded
 * to a shape): one element needs to cross. */
static bool single_element(const Tensor *t) {
    for (int d = 0; d < t->ndim; d++)
        if (t->shape[d] > 1 && t->strides[d] != 0) return false;
    return true;
}

static int upload(Tensor *dst, const Tensor *src) {
    const int64_t n = tensor_numel(dst);
    if (n == 0) return 0;
    const bool one = single_element(src);
    const size_t bytes = (size_t)(one ? 1 : n) * nb_dtype_size(src->dtype);
    const void *host = tensor_data(src);
    void *packed = NULL;
    RawView view;
    if (!one && !tensor_is_contiguous(src)) {
        packed = nb_malloc(bytes);
        if (!packed) return nb_error_nomem();
        raw_view(&view, DEVICE_CPU, packed, bytes, src->dtype, src, false);
        backend_for(DEVICE_CPU)->copy(&view.tensor, src);
        host = packed;
    }
    int status;
    if ((!one || n == 1) && tensor_is_contiguous(dst) && dst->dtype == src->dtype) {
        status = cuda_memcpy_to_device(tensor_data(dst), host, bytes);
    } else {
        void *stage = cuda_scratch_alloc(bytes);
        status = stage ? cuda_memcpy_to_device(stage, host, bytes) : -1;
        if (status == 0) {
            raw_view(&view, DEVICE_CUDA, stage, bytes, src->dtype, dst, one);
            status = cuda_backend.copy(dst, &view.tensor);
        }
        cuda_scratch_free(stage);
    }
    nb_free(packed);
    return status;
}

static int download(Tensor *dst, const Tensor *src) {
    const int64_t n = tensor_numel(dst);
    if (n == 0) return 0;
    const size_t bytes = (size_t)n * nb_dtype_size(src->dtype);
    const void *device = tensor_data(src);
    void *stage = NULL;
    RawView view;
    int status = 0;
    if (!tensor_is_contiguous(src)) {
        stage = cuda_scratch_alloc(bytes);
        if (!stage) return -1;
        raw_view(&view, DEVICE_CUDA, stage, bytes, src->dtype, src, false);
        status = cuda_backend.copy(&view.tensor, src);
        device = stage;
    }
    if (status == 0 && tensor_is_contiguous(dst) && dst->dtype == src->dtype) {
        status = cuda_memcpy_to_host(tensor_data(dst), device, bytes);
    } else if (status == 0) {
        void *packed = nb_malloc(bytes);
        status = packed ? cuda_memcpy_to_host(packed, device, bytes) : nb_error_nomem();
        if (status == 0) {
            raw_view(&view, DEVICE_CPU, packed, bytes, src->dtype, src, false);
            status = backend_for(DEVICE_CPU)->copy(dst, &view.tensor);
        }
        nb_free(packed);
    }
    cuda_scratch_free(stage);
    return status;
}

int cuda_transfer(Tensor *dst, const Tensor *src) {
    return tensor_device(dst) == DEVICE_CUDA ? upload(dst, src) : download(dst, src);
}
