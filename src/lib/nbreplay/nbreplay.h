/* nbreplay.h: the whole public API of the nbreplay library, PyTorch 1.13's
 * tensors and autograd in C, printing exactly what PyTorch prints.
 *
 *     #include <nbreplay/nbreplay.h>
 *     cc demo.c $(pkg-config --cflags --libs nbreplay)
 *
 * Conventions (docs/api.md lists every call with the PyTorch call it
 * mirrors):
 *   - Names: tensor_ for ops and tensor methods (tensor_mm), torch_ for
 *     torch. functions without a tensor argument (torch_tensor), py_ for
 *     Python numbers (py_float), nb_ for everything else.
 *   - Ownership: every tensor a call makes belongs to the innermost open
 *     TensorScope (tensor_scope_open/tensor_scope_close); nothing is freed
 *     one by one.
 *   - Errors: a failing call returns NULL (or -1) and leaves one message in
 *     PyTorch's words (nb_error_message). Every call handed NULL returns
 *     NULL, and the first message sticks: check once, at the end. */
#ifndef NBREPLAY_NBREPLAY_H
#define NBREPLAY_NBREPLAY_H

#include "alloc.h"
#include "autograd.h"
#include "dtype.h"
#include "error.h"
#include "gpu.h"
#include "memory_limit.h"
#include "input_file.h"
#include "npy.h"
#include "ops.h"
#include "print.h"
#include "pyfloat.h"
#include "rng.h"
#include "strbuf.h"
#include "tensor.h"
#include "torch_random.h"

#endif
