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

/* As PyTorch prints it after grad_fn=: "SinBackward0". */
const char *nb_autograd_node_name(const AutogradNode *node);
void nb_autograd_node_release(AutogradNode *node);

#endif
