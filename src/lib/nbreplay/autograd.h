/* autograd: reverse-mode automatic differentiation, as torch.autograd.
 *
 * Ops record a node for their output when an input requires grad (and grad
 * mode is on). tensor_backward walks the nodes in reverse topological order,
 * computes each input's gradient with ordinary forward ops (so it runs on
 * whatever device the forward ran on), sums broadcast gradients back to each
 * input's shape in one place, and accumulates into the leaves' .grad. */
#ifndef NB_AUTOGRAD_H
#define NB_AUTOGRAD_H

#include <stdbool.h>

#include "tensor.h"

typedef struct AutogradNode AutogradNode;

/* x.requires_grad_(flag): only for leaves of a floating dtype (PyTorch's
 * errors otherwise). Returns t, or NULL with error.h set. */
Tensor *tensor_requires_grad_(Tensor *t, bool flag);

/* t.grad: NULL until a backward pass reached t (Python's None). */
Tensor *tensor_grad(const Tensor *t);

/* t.backward(gradient=None, retain_graph=...). gradient may be NULL for a
 * one-element t. Gradients accumulate into leaves' ->grad across calls.
 * Without retain_graph the graph's saved tensors are freed; a second
 * backward through them fails with PyTorch's message. Returns 0 or -1. */
int tensor_backward(Tensor *t, Tensor *gradient, bool retain_graph);

/* torch.no_grad(): turns recording off; returns the previous mode, which
 * autograd_set_enabled restores. */
bool torch_set_grad_enabled(bool enabled);
bool torch_is_grad_enabled(void);

/* with torch.no_grad(): { ... } is TORCH_NO_GRAD { ... }: recording is off
 * inside the block and the previous mode comes back when it ends. Leave
 * the block by its end only (no return, break or goto out of it), or the
 * mode is not restored. */
#define TORCH_NO_GRAD                                                          \
    for (bool nb_no_grad_prev_ = torch_set_grad_enabled(false), nb_no_grad_once_ = true; \
         nb_no_grad_once_; torch_set_grad_enabled(nb_no_grad_prev_), nb_no_grad_once_ = false)

/* t.detach(): shares t's storage and version counter, has no grad_fn and
 * does not require grad. */
Tensor *tensor_detach(Tensor *t);
/* t.grad.zero_(): zeroes t.grad in place (bumping its version) and returns
 * it. Without a .grad it is Python's AttributeError, as
 * `None.zero_()` is: NULL and "'NoneType' object has no attribute 'zero_'". */
Tensor *tensor_zero_grad(Tensor *t);
/* t.grad = None; returns t. */
Tensor *tensor_clear_grad(Tensor *t);

/* As PyTorch prints it after grad_fn=: "SinBackward0". */
const char *nb_autograd_node_name(const AutogradNode *node);
void nb_autograd_node_release(AutogradNode *node);

#endif
