/* autograd_record: the one narrow interface through which ops (ops.c,
 * linalg.c, view.c, tensor.c) record what they did for autograd. An op
 * names its node kind (src/derivatives.h) and hands over its inputs; the
 * graph's insides (autograd_node.h) stay with the engine and the
 * derivatives. */
#ifndef NB_AUTOGRAD_RECORD_H
#define NB_AUTOGRAD_RECORD_H

#include "autograd.h"

#define SAVES_RESULT 0x80u

/* A kind of backward node: its grad_fn name and its derivative. */
typedef struct NodeKind {
    const char *name; /* as PyTorch 1.13 prints it: "SinBackward0" */
    /* bit i set: input i is saved for backward (freed after backward
     * unless the graph is retained) */
    unsigned saves;
    /* SAVES_RESULT (as in kernels/op_table.h): the result is saved too */
    /* Sets grads[i] for every i with needs[i]; the gradients may have the
     * broadcast shape, the engine reduces them. Returns 0 or -1. */
    int (*backward)(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads);
} NodeKind;

/* A shape as op arguments: its rank, then its sizes; returns the count. */
static inline int shape_to_args(Shape shape, int64_t *args) {
    args[0] = shape.ndim;
    for (int i = 0; i < shape.ndim; i++) args[1 + i] = shape.dims[i];
    return 1 + shape.ndim;
}

static inline Shape shape_from_args(const int64_t *args) {
    Shape shape = {.ndim = (int)args[0]};
    for (int i = 0; i < shape.ndim; i++) shape.dims[i] = args[1 + i];
    return shape;
}

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
