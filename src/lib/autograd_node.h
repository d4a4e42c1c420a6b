/* autograd_node: the inside of a backward-graph node, shared by the engine
 * (autograd.c) and the derivatives (derivatives.c). Ops see only the hook,
 * autograd_record.h. */
#ifndef NB_AUTOGRAD_NODE_H
#define NB_AUTOGRAD_NODE_H

#include "autograd_record.h"

#define AUTOGRAD_MAX_INPUTS 16 /* cat and stack record one node for all their inputs */
#define AUTOGRAD_MAX_ARGS (1 + TENSOR_MAX_DIMS) /* a rank and a shape */

/* Where an input's gradient goes: the node that made the input, or the
 * leaf whose .grad accumulates it; neither when the input needs none. The
 * input's shape and dtype are kept (not the input itself), since the
 * gradient is reduced and cast to them. */
typedef struct AutogradEdge {
    AutogradNode *node;
    Tensor *leaf;
    Shape shape;
    DType dtype;
} AutogradEdge;

struct AutogradNode {
    int64_t refcount;
    const NodeKind *kind;
    uint64_t sequence; /* creation order: later nodes run first, as in PyTorch */
    int ninputs;
    AutogradEdge next[AUTOGRAD_MAX_INPUTS];
    Tensor *saved[AUTOGRAD_MAX_INPUTS]; /* the saved inputs, or NULL */
    uint64_t saved_version[AUTOGRAD_MAX_INPUTS]; /* their versions when saved */
    /* the result, for a kind that saves it (SAVES_RESULT): an alias of its
     * data without grad_fn or view base, as PyTorch's is_output
     * SavedVariable, so output and node do not own each other */
    Tensor *saved_result;
    uint64_t saved_result_version;
    bool saved_freed;
    int64_t args[AUTOGRAD_MAX_ARGS]; /* op arguments: dims, indices */
    /* scratch for one backward pass */
    Tensor *pending_grad;
    int64_t dependencies;
    bool visited;
};

#endif
