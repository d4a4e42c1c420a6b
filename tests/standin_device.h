/* standin_device: a backend that can serve DEVICE_CUDA where there is no
 * GPU (src/backend.h, backend_use_for_cuda), so that everything above the
 * kernels (creation on the default device, host <-> device transfers,
 * element reads, printing, autograd, whole cells) runs as on a GPU.
 *
 * Its memory is ordinary host memory under a disguised address: bit 62 is
 * flipped, which makes the pointer non-canonical on x86-64, so any code
 * that reads "device" memory directly instead of through the backend
 * crashes at once, as it would on a GPU. Its kernels undo the disguise and
 * run the CPU backend's. */
#ifndef NB_TEST_STANDIN_DEVICE_H
#define NB_TEST_STANDIN_DEVICE_H

#include "backend.h"

extern const Backend standin_backend;

#endif
