/* cuda_transfer: copies between host and device memory for the CUDA
 * backend's transfer entry (src/backend.h). */
#ifndef NB_CUDA_TRANSFER_H
#define NB_CUDA_TRANSFER_H

#include "tensor.h"

/* dst = src where exactly one of them is on the device: any strides on
 * either side (stride 0 included), dtypes converted as copy converts. A
 * contiguous same-dtype pair (a single element, say) is one cudaMemcpy and
 * makes no tensor, so it also works with no TensorScope open. */
int cuda_transfer(Tensor *dst, const Tensor *src);

#endif
