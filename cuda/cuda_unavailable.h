/* cuda_unavailable: the CUDA entry of the backend table while no CUDA
 * backend can serve it: in a build without CUDA (cuda_absent.c), or where
 * the module could not be loaded (cuda_loader.c). */
#ifndef NB_CUDA_UNAVAILABLE_H
#define NB_CUDA_UNAVAILABLE_H

#include "backend.h"

/* Every entry fails with gpu_probe's line saying why there is no GPU, so
 * no CUDA tensor can come to exist; the entries past alloc, unreachable
 * without one, refuse too rather than trust that. */
extern const Backend cuda_unavailable_backend;

#endif
