/* npy: reads NumPy .npy files (format versions 1-3) into tensors. */
#ifndef NB_NPY_H
#define NB_NPY_H

#include "tensor.h"

/* Loads a C-order, little-endian float32/float64/int64/bool array. Anything
 * else (Fortran order, big-endian, another dtype, a truncated or malformed
 * header or body, a shape whose size overflows) returns NULL with a one-line
 * message in error.h naming the file and the problem. */
Tensor *nb_npy_load(const char *path);
/* The same from bytes already in memory; `name` is used in messages. */
Tensor *nb_npy_parse(const unsigned char *bytes, size_t len, const char *name);

#endif
