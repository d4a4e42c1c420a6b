/* print: the text PyTorch 1.13 prints for a tensor (str(t), i.e.
 * torch/_tensor_str.py) and for its size, byte for byte. */
#ifndef NB_PRINT_H
#define NB_PRINT_H

#include <stdbool.h>

#include "strbuf.h"
#include "tensor.h"

/* torch.set_printoptions */
typedef struct PrintOptions {
    int precision;     /* digits after the point */
    double threshold;  /* summarize when numel > threshold (may be INFINITY) */
    int edgeitems;     /* items kept at each end of a summarized dimension (>= 0) */
    int linewidth;     /* characters per line before wrapping */
    int sci_mode;      /* -1: chosen as PyTorch chooses; 0: never; 1: always */
} PrintOptions;

#define PRINT_OPTIONS_DEFAULT ((PrintOptions){4, 1000.0, 3, 80, -1})

/* Appends str(t) (no trailing newline), suffixes included: dtype when not
 * the default, size for empty tensors, grad_fn=<...> or requires_grad=True.
 * Any strides print right (views, expanded dims, 0-d). opts NULL means
 * PRINT_OPTIONS_DEFAULT. Returns 0, or -1 with error.h set (t NULL, a
 * tensor not on the CPU, out of memory); on failure `out` is left as it
 * was unless its own allocation failed (out->failed). A device tensor must
 * be copied to the CPU first (cells/notebook.c's print_tensor does). */
int tensor_format(StrBuf *out, const Tensor *t, const PrintOptions *opts);
/* Appends str(t.size()): "torch.Size([2, 3])". */
int tensor_format_size(StrBuf *out, const Tensor *t);

/* print(t): str(t) and a newline on stdout, with the default print
 * options. A tensor on a device is printed from a CPU copy of its values.
 * With t NULL (an earlier call failed) nothing is printed; a failure
 * leaves error.h set. */
void tensor_print(const Tensor *t);
/* print(t.size()): "torch.Size([2, 3])" and a newline on stdout. */
void tensor_print_size(const Tensor *t);

#endif
