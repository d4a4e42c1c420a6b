/* autograd_node: the inside of a backward-graph node, shared by the engine
 * (autograd.c) and the derivatives (derivatives.c). Ops only see
 * autograd_record. */
#ifndef NB_AUTOGRAD_NODE_H
#define NB_AUTOGRAD_NODE_H

#include "autograd.h"

#define AUTOGRAD_MAX_INPUTS 2
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

typedef struct NodeKind {
    const char *name; /* as PyTorch 1.13 prints it: "SinBackward0" */
    /* bit i set: input i is saved for backward (freed after backward
     * unless the graph is retained) */
    unsigned saves;
    /* Sets grads[i] for every i with needs[i]; the gradients may have the
     * broadcast shape, the engine reduces them. Returns 0 or -1. */
    int (*backward)(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads);
} NodeKind;

struct AutogradNode {
    int64_t refcount;
    const NodeKind *kind;
    uint64_t sequence; /* creation order: later nodes run first, as in PyTorch */
    int ninputs;
    AutogradEdge next[AUTOGRAD_MAX_INPUTS];
    Tensor *saved[AUTOGRAD_MAX_INPUTS]; /* the saved inputs, or NULL */
    uint64_t saved_version[AUTOGRAD_MAX_INPUTS]; /* their versions when saved */
    bool saved_freed;
    int64_t args[AUTOGRAD_MAX_ARGS]; /* op arguments: dims, indices */
    /* scratch for one backward pass */
    Tensor *pending_grad;
    int64_t dependencies;
    bool visited;
};

/* An op's forward, from its inputs and integer arguments. */
typedef Tensor *(*AutogradForward)(Tensor *const *inputs, const int64_t *args);

/* How every op that computes through other ops records: runs forward with
 * recording off (its internal casts, expands and views are not part of the
 * graph), then records the result with autograd_record. args go to both. */
Tensor *autograd_apply(const NodeKind *kind, AutogradForward forward, int ninputs,
                       Tensor *const *inputs, const int64_t *args, int nargs);

/* Called by ops after computing `out` from `inputs` with recording off:
 * when grad mode is on and an input requires grad, gives `out` a node of
 * `kind`. Returns out, or NULL (error set) when out is NULL or on failure. */
Tensor *autograd_record(Tensor *out, const NodeKind *kind, int ninputs, Tensor *const *inputs,
                        const int64_t *args, int nargs);

#endif
