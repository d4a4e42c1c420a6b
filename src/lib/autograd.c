/* autograd: recording nodes, and the backward engine.
 *
 * backward runs the graph's nodes in reverse creation order once all their
 * consumers have run (PyTorch's order, so gradients sum in the same order),
 * with recording off. The gradient for each input is reduced to the input's
 * shape (undoing broadcasting) and cast to its dtype in one place,
 * deliver(). A leaf's gradient is added to its .grad as soon as every edge
 * into it has delivered, as PyTorch's AccumulateGrad node runs as soon as
 * it is ready: a pass that fails part-way (a freed graph) has already
 * updated the leaves it finished, in PyTorch as here. */
#include "autograd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "autograd_node.h"
#include "error.h"
#include "layout.h"
#include "ops.h"
#include "pool.h"

static bool grad_mode = true;
static uint64_t next_sequence;

bool torch_set_grad_enabled(bool enabled) {
    bool previous = grad_mode;
    grad_mode = enabled;
    return previous;
}

bool torch_is_grad_enabled(void) { return grad_mode; }

const char *nb_autograd_node_name(const AutogradNode *node) { return node->kind->name; }

static void free_saved(AutogradNode *node) {
    for (int i = 0; i < node->ninputs; i++) {
        tensor_release(node->saved[i]);
        node->saved[i] = NULL;
    }
    tensor_release(node->saved_result);
    node->saved_result = NULL;
}

/* The result's data for its own node: a view of its storage with neither
 * grad_fn nor view base (which would lead back to the result and so to the
 * node: a cycle no count could free). */
static Tensor *detached_alias(Tensor *out) {
    Tensor *alias = tensor_make_view(out, out->ndim, out->shape, out->strides, out->offset);
    if (!alias) return NULL;
    tensor_release(alias->view_base);
    alias->view_base = NULL;
    tensor_retain(alias);
    return alias;
}

void nb_autograd_node_release(AutogradNode *node) {
    if (!node || --node->refcount > 0) return;
    free_saved(node);
    for (int i = 0; i < node->ninputs; i++) {
        nb_autograd_node_release(node->next[i].node);
        tensor_release(node->next[i].leaf);
    }
    nb_pool_give(NB_POOL_NODE, node);
}

Tensor *tensor_grad(const Tensor *t) { return t ? t->grad : NULL; }

/* PyTorch's checks, in its order: a non-leaf already requires grad, so
 * only switching it off is refused. */
Tensor *tensor_requires_grad_(Tensor *t, bool flag) {
    if (!t) return nb_error_null_tensor();
    if (t->grad_fn && !flag) {
        nb_error_set(ERR_VALUE, "you can only change requires_grad flags of leaf variables. If you want "
                             "to use a computed variable in a subgraph that doesn't require "
                             "differentiation use var_no_grad = var.detach().");
        return NULL;
    }
    if (flag && !nb_dtype_is_floating(t->dtype)) {
        nb_error_set(ERR_VALUE, "only Tensors of floating point dtype can require gradients");
        return NULL;
    }
    t->requires_grad = flag;
    return t;
}

Tensor *autograd_record(Tensor *out, const NodeKind *kind, int ninputs, Tensor *const *inputs,
                        const int64_t *args, int nargs) {
    if (!out) return nb_error_null_tensor();
    /* integer and bool results are never differentiable */
    if (!grad_mode || !nb_dtype_is_floating(out->dtype)) return out;
    bool any = false;
    for (int i = 0; i < ninputs; i++) {
        if (!inputs[i]) return nb_error_null_tensor();
        if (inputs[i] == out) return out; /* the op returned its input unchanged */
        any |= tensor_requires_grad(inputs[i]);
    }
    if (!any) return out;
    /* cat and stack may join more tensors than a node has edges for */
    if (ninputs > AUTOGRAD_MAX_INPUTS) {
        nb_error_set(ERR_VALUE, "autograd records at most %d inputs of one %s, got %d",
                     AUTOGRAD_MAX_INPUTS, kind->name, ninputs);
        return NULL;
    }

    AutogradNode *node = nb_pool_take(NB_POOL_NODE, sizeof *node);
    if (!node) {
        nb_error_nomem();
        return NULL;
    }
    /* Only the first ninputs edges and saved slots are set: nothing reads
     * past ninputs, and a node is kilobytes (16 edges for cat). */
    node->refcount = 1;
    node->kind = kind;
    node->sequence = next_sequence++;
    node->ninputs = ninputs;
    node->saved_result = NULL;
    node->saved_result_version = 0;
    node->saved_freed = false;
    memset(node->args, 0, sizeof node->args);
    node->pending_grad = NULL;
    node->dependencies = 0;
    node->visited = false;
    if (nargs > AUTOGRAD_MAX_ARGS) {
        fprintf(stderr, "internal error: %d arguments for a %s node\n", nargs, kind->name);
        abort();
    }
    if (nargs > 0) memcpy(node->args, args, (size_t)nargs * sizeof *args); /* args may be NULL */
    for (int i = 0; i < ninputs; i++) {
        Tensor *in = inputs[i];
        AutogradEdge *edge = &node->next[i];
        edge->node = NULL;
        edge->leaf = NULL;
        edge->shape.ndim = in->ndim;
        memcpy(edge->shape.dims, in->shape, (size_t)in->ndim * sizeof *in->shape);
        edge->dtype = in->dtype;
        node->saved[i] = NULL;
        node->saved_version[i] = 0;
        if (in->grad_fn) {
            edge->node = in->grad_fn;
            edge->node->refcount++;
        } else if (in->requires_grad) {
            edge->leaf = in;
            tensor_retain(in);
        }
        if (kind->saves & (1u << i)) {
            node->saved[i] = in;
            node->saved_version[i] = in->storage->version;
            tensor_retain(in);
        }
    }
    if (kind->saves & SAVES_RESULT) {
        node->saved_result = detached_alias(out);
        if (!node->saved_result) {
            nb_autograd_node_release(node);
            return NULL;
        }
        node->saved_result_version = out->storage->version;
    }
    out->grad_fn = node;
    out->requires_grad = true;
    return out;
}

static const Tensor *view_root(const Tensor *t) { return t->view_base ? t->view_base : t; }

/* A forward that computes through other ops may hand back a view of a
 * tensor it made for itself (sum's result is a view of its keepdim sum):
 * to the user that result is new, as PyTorch's is, not a view whose base
 * decides its requires_grad. A view of an input stays one. */
static void forget_internal_base(Tensor *out, int ninputs, Tensor *const *inputs) {
    if (!out || !out->view_base) return;
    for (int i = 0; i < ninputs; i++)
        if (out == inputs[i] || out->view_base == view_root(inputs[i])) return;
    tensor_release(out->view_base);
    out->view_base = NULL;
}

Tensor *autograd_apply(const NodeKind *kind, AutogradForward forward, int ninputs,
                       Tensor *const *inputs, const int64_t *args, int nargs) {
    for (int i = 0; i < ninputs; i++)
        if (!inputs[i]) return nb_error_null_tensor();
    bool mode = torch_set_grad_enabled(false);
    Tensor *out = forward(inputs, args);
    torch_set_grad_enabled(mode);
    forget_internal_base(out, ninputs, inputs);
    return autograd_record(out, kind, ninputs, inputs, args, nargs);
}

/* ---- the backward pass ---- */

/* A small graph's pass keeps its lists in the Pass itself (on the
 * stack); a larger one moves them to the heap. */
#define PASS_INLINE_NODES 32
#define PASS_INLINE_LEAVES 8

typedef struct {
    AutogradNode **nodes; /* every node reachable from the root */
    size_t count, cap;
    Tensor **leaves;      /* leaves reached, the gradient gathered for each, */
    Tensor **leaf_grads;
    int64_t *leaf_waiting; /* and how many edges into it have yet to deliver */
    size_t nleaves, leaf_cap;
    AutogradNode *inline_nodes[PASS_INLINE_NODES];
    Tensor *inline_leaves[PASS_INLINE_LEAVES], *inline_leaf_grads[PASS_INLINE_LEAVES];
    int64_t inline_leaf_waiting[PASS_INLINE_LEAVES];
} Pass;

static void pass_init(Pass *pass) {
    pass->nodes = pass->inline_nodes;
    pass->count = 0;
    pass->cap = PASS_INLINE_NODES;
    pass->leaves = pass->inline_leaves;
    pass->leaf_grads = pass->inline_leaf_grads;
    pass->leaf_waiting = pass->inline_leaf_waiting;
    pass->nleaves = 0;
    pass->leaf_cap = PASS_INLINE_LEAVES;
}

static void pass_free(Pass *pass) {
    if (pass->nodes != pass->inline_nodes) nb_free(pass->nodes);
    if (pass->leaves != pass->inline_leaves) nb_free(pass->leaves);
    if (pass->leaf_grads != pass->inline_leaf_grads) nb_free(pass->leaf_grads);
    if (pass->leaf_waiting != pass->inline_leaf_waiting) nb_free(pass->leaf_waiting);
}

/* `*list` (of `count` elements of `size` bytes, `inline_list` or a heap
 * array) moved to a heap array of `cap` elements. */
static int grow_list(void **list, const void *inline_list, size_t count, size_t cap, size_t size) {
    bool on_heap = *list != inline_list;
    void *grown = nb_realloc(on_heap ? *list : NULL, cap * size);
    if (!grown) return nb_error_nomem();
    if (!on_heap) memcpy(grown, inline_list, count * size);
    *list = grown;
    return 0;
}

static int pass_add_node(Pass *pass, AutogradNode *node) {
    if (pass->count == pass->cap) {
        size_t cap = pass->cap * 2;
        if (grow_list((void **)&pass->nodes, pass->inline_nodes, pass->count, cap, sizeof *pass->nodes) != 0)
            return -1;
        pass->cap = cap;
    }
    pass->nodes[pass->count++] = node;
    return 0;
}

/* One more edge leads to `leaf`. */
static int pass_expect_leaf(Pass *pass, Tensor *leaf) {
    for (size_t i = 0; i < pass->nleaves; i++)
        if (pass->leaves[i] == leaf) {
            pass->leaf_waiting[i]++;
            return 0;
        }
    if (pass->nleaves == pass->leaf_cap) {
        size_t n = pass->nleaves, cap = pass->leaf_cap * 2;
        if (grow_list((void **)&pass->leaves, pass->inline_leaves, n, cap, sizeof *pass->leaves) != 0 ||
            grow_list((void **)&pass->leaf_grads, pass->inline_leaf_grads, n, cap, sizeof *pass->leaf_grads) != 0 ||
            grow_list((void **)&pass->leaf_waiting, pass->inline_leaf_waiting, n, cap,
                      sizeof *pass->leaf_waiting) != 0)
            return -1;
        pass->leaf_cap = cap;
    }
    pass->leaves[pass->nleaves] = leaf;
    pass->leaf_grads[pass->nleaves] = NULL;
    pass->leaf_waiting[pass->nleaves++] = 1;
    return 0;
}

/* Collects the graph (iteratively: graphs can be deep) and counts, for each
 * node and leaf, how many edges inside the graph lead to it. */
static int collect_graph(Pass *pass, AutogradNode *root) {
    root->visited = true;
    if (pass_add_node(pass, root) != 0) return -1;
    for (size_t i = 0; i < pass->count; i++) {
        AutogradNode *node = pass->nodes[i];
        for (int k = 0; k < node->ninputs; k++) {
            if (node->next[k].leaf && pass_expect_leaf(pass, node->next[k].leaf) != 0) return -1;
            AutogradNode *next = node->next[k].node;
            if (!next) continue;
            next->dependencies++;
            if (!next->visited) {
                next->visited = true;
                if (pass_add_node(pass, next) != 0) return -1;
            }
        }
    }
    return 0;
}

static Tensor *accumulate(Tensor *sum, Tensor *grad) { return sum ? tensor_add(sum, grad) : grad; }

/* .grad += grad, in place once .grad exists (PyTorch's AccumulateGrad
 * outside grad mode), so a .grad fetched earlier stays valid and sees the
 * sum; the first .grad is a copy that outlives the pass's scope. A leaf
 * switched off with requires_grad_(false) after the graph was recorded
 * gets nothing, as in PyTorch. */
/* .grad += grad on the host for two contiguous tensors of one floating
 * dtype and shape: the add kernel's own arithmetic (one rounded addition
 * per element: any loop gives its bits) without an op and a copy. */
static bool add_in_place_on_host(Tensor *sum, const Tensor *grad) {
    if (sum->dtype != grad->dtype || !nb_dtype_is_floating(sum->dtype) || tensor_device(sum) != DEVICE_CPU ||
        tensor_device(grad) != DEVICE_CPU || !layout_has_shape(grad, sum->ndim, sum->shape) ||
        !tensor_is_contiguous(sum) || !tensor_is_contiguous(grad))
        return false;
    int64_t n = tensor_numel(sum);
    if (sum->dtype == DTYPE_FLOAT32) {
        float *ps = tensor_data(sum);
        const float *pg = tensor_data(grad);
        for (int64_t i = 0; i < n; i++) ps[i] = ps[i] + pg[i];
    } else {
        double *ps = tensor_data(sum);
        const double *pg = tensor_data(grad);
        for (int64_t i = 0; i < n; i++) ps[i] = ps[i] + pg[i];
    }
    return true;
}

static int accumulate_into_leaf(Tensor *leaf, Tensor *grad) {
    if (!leaf->requires_grad) return 0;
    if (leaf->grad && add_in_place_on_host(leaf->grad, grad)) {
        tensor_mark_modified(leaf->grad);
        return 0;
    }
    if (leaf->grad) {
        if (tensor_copy_into(leaf->grad, tensor_add(leaf->grad, grad)) != 0) return -1;
        tensor_mark_modified(leaf->grad);
        return 0;
    }
    Tensor *first = tensor_clone(grad);
    if (!first) return nb_error_null_status();
    tensor_retain(first);
    leaf->grad = first;
    return 0;
}

/* Gathers one edge's gradient for `leaf`; the last one expected updates
 * .grad. */
static int gather_leaf_grad(Pass *pass, Tensor *leaf, Tensor *grad) {
    for (size_t i = 0; i < pass->nleaves; i++) {
        if (pass->leaves[i] != leaf) continue;
        pass->leaf_grads[i] = accumulate(pass->leaf_grads[i], grad);
        if (!pass->leaf_grads[i]) return -1;
        if (--pass->leaf_waiting[i] > 0) return 0;
        return accumulate_into_leaf(leaf, pass->leaf_grads[i]);
    }
    return nb_error_set(ERR_VALUE, "internal error: a gradient reached a leaf outside the graph");
}

/* Hands `grad` to where an input's gradient goes, reduced to the input's
 * shape (undoing broadcasting) and cast to its dtype: the one place that
 * knows about either. */
static int deliver(Pass *pass, const AutogradEdge *edge, Tensor *grad) {
    if (!grad) return nb_error_null_status();
    if (!layout_has_shape(grad, edge->shape.ndim, edge->shape.dims)) grad = tensor_sum_to_size(grad, edge->shape);
    grad = tensor_to_dtype(grad, edge->dtype);
    if (!grad) return nb_error_null_status();
    if (edge->leaf) return gather_leaf_grad(pass, edge->leaf, grad);
    edge->node->pending_grad = accumulate(edge->node->pending_grad, grad);
    return edge->node->pending_grad ? 0 : -1;
}

static int saved_tensors_freed_error(void) {
    return nb_error_set(ERR_VALUE,
                     "Trying to backward through the graph a second time (or directly access saved "
                     "tensors after they have already been freed). Saved intermediate values of the "
                     "graph are freed when you call .backward() or autograd.grad(). Specify "
                     "retain_graph=True if you need to backward through the graph a second time or if "
                     "you need to access saved tensors after calling backward.");
}

/* The ready node created last (largest sequence number) runs next. */
static AutogradNode *pop_ready(AutogradNode **ready, size_t *nready) {
    size_t best = 0;
    for (size_t i = 1; i < *nready; i++)
        if (ready[i]->sequence > ready[best]->sequence) best = i;
    AutogradNode *node = ready[best];
    ready[best] = ready[--*nready];
    return node;
}

/* A saved tensor written in place since it was saved (an x.grad that a
 * later backward accumulated into) would give wrong gradients: PyTorch's
 * SavedVariable refuses, in these words. */
static int check_saved_versions(const AutogradNode *node) {
    for (int i = 0; i <= node->ninputs; i++) {
        bool result = i == node->ninputs;
        const Tensor *t = result ? node->saved_result : node->saved[i];
        uint64_t version = result ? node->saved_result_version : node->saved_version[i];
        if (!t || t->storage->version == version) continue;
        /* a tensor some node made is named as that node's output */
        const AutogradNode *maker = result ? node : node->next[i].node;
        char shape[256], made_by[128] = "";
        if (maker) snprintf(made_by, sizeof made_by, ", which is output 0 of %s,", maker->kind->name);
        return nb_error_set(ERR_VALUE,
                         "one of the variables needed for gradient computation has been modified "
                         "by an inplace operation: [torch.%s%sTensor %s]%s is at version %llu; "
                         "expected version %llu instead. Hint: enable anomaly detection to find "
                         "the operation that failed to compute its gradient, with "
                         "torch.autograd.set_detect_anomaly(True).",
                         tensor_device(t) == DEVICE_CUDA ? "cuda." : "", nb_dtype_scalar_name(t->dtype),
                         nb_shape_str(t->shape, t->ndim, shape, sizeof shape), made_by,
                         (unsigned long long)t->storage->version, (unsigned long long)version);
    }
    return 0;
}

static int run_node(Pass *pass, AutogradNode *node, bool retain_graph) {
    if (node->kind->saves && node->saved_freed) return saved_tensors_freed_error();
    if (check_saved_versions(node) != 0) return -1;
    bool needs[AUTOGRAD_MAX_INPUTS] = {false};
    Tensor *grads[AUTOGRAD_MAX_INPUTS] = {NULL};
    for (int i = 0; i < node->ninputs; i++) needs[i] = node->next[i].node || node->next[i].leaf;
    if (node->kind->backward(node, node->pending_grad, needs, grads) != 0) return -1;
    for (int i = 0; i < node->ninputs; i++)
        if (needs[i] && deliver(pass, &node->next[i], grads[i]) != 0) return -1;
    if (!retain_graph) {
        free_saved(node);
        node->saved_freed = true;
    }
    return 0;
}

static int run_graph(Pass *pass, AutogradNode *root, bool retain_graph) {
    AutogradNode *inline_ready[PASS_INLINE_NODES];
    AutogradNode **ready = pass->count <= PASS_INLINE_NODES ? inline_ready : nb_malloc(pass->count * sizeof *ready);
    if (!ready) return nb_error_nomem();
    size_t nready = 0;
    ready[nready++] = root;
    int status = 0;
    while (nready > 0 && status == 0) {
        AutogradNode *node = pop_ready(ready, &nready);
        status = run_node(pass, node, retain_graph);
        for (int i = 0; i < node->ninputs && status == 0; i++) {
            AutogradNode *next = node->next[i].node;
            if (next && --next->dependencies == 0) ready[nready++] = next;
        }
    }
    if (ready != inline_ready) nb_free(ready);
    return status;
}

/* torch.autograd.backward's checks, in its order: _make_grads looks at
 * the gradient (or, without one, at a requiring output's size) before the
 * engine asks whether the output requires grad at all. */
static int check_backward_arguments(Tensor *root, Tensor *gradient) {
    if (gradient && !nb_shape_equal(tensor_shape(gradient), tensor_shape(root))) {
        char have[256], want[256];
        return nb_error_set(ERR_VALUE,
                         "Mismatch in shape: grad_output[0] has a shape of torch.Size(%s) and "
                         "output[0] has a shape of torch.Size(%s).",
                         nb_shape_str(gradient->shape, gradient->ndim, have, sizeof have),
                         nb_shape_str(root->shape, root->ndim, want, sizeof want));
    }
    if (!gradient && tensor_requires_grad(root) && tensor_numel(root) != 1)
        return nb_error_set(ERR_VALUE, "grad can be implicitly created only for scalar outputs");
    /* the engine needs a node or a leaf's own flag: a view that merely
     * follows its base has neither */
    if (!root->grad_fn && !root->requires_grad)
        return nb_error_set(ERR_VALUE,
                         "element 0 of tensors does not require grad and does not have a grad_fn");
    return 0;
}

static Tensor *implicit_gradient(Tensor *root, Tensor *gradient) {
    /* the engine casts the seed to the output's dtype before any node
     * sees it, as PyTorch's validate_outputs does */
    if (gradient) return tensor_to_dtype(gradient, root->dtype);
    Tensor *one = tensor_empty_on(tensor_device(root), root->dtype, tensor_shape(root));
    /* a scalar on the host (the usual root): written in place */
    if (one && tensor_device(one) == DEVICE_CPU && tensor_numel(one) == 1) {
        if (one->dtype == DTYPE_FLOAT32) *(float *)tensor_data(one) = 1.0f;
        else if (one->dtype == DTYPE_FLOAT64) *(double *)tensor_data(one) = 1.0;
        if (nb_dtype_is_floating(one->dtype)) return one;
    }
    Tensor *host_one = tensor_to_dtype(py_float(1.0), root->dtype);
    if (tensor_copy_into(one, tensor_expand(host_one, tensor_shape(root))) != 0) return NULL;
    return one;
}

int tensor_backward(Tensor *root, Tensor *gradient, bool retain_graph) {
    if (!root) return nb_error_null_status();
    if (nb_error_pending() || check_backward_arguments(root, gradient) != 0) return -1;

    TensorScope *scope = tensor_scope_open();
    if (!scope) return nb_error_null_status();
    bool previous_mode = torch_set_grad_enabled(false);
    Pass pass;
    pass_init(&pass);
    int status = -1;
    Tensor *g = implicit_gradient(root, gradient);
    if (g && !root->grad_fn) {
        status = pass_expect_leaf(&pass, root);
        if (status == 0) status = gather_leaf_grad(&pass, root, g);
    } else if (g) {
        root->grad_fn->pending_grad = g;
        status = collect_graph(&pass, root->grad_fn);
        if (status == 0) status = run_graph(&pass, root->grad_fn, retain_graph);
    }

    for (size_t i = 0; i < pass.count; i++) {
        pass.nodes[i]->pending_grad = NULL;
        pass.nodes[i]->dependencies = 0;
        pass.nodes[i]->visited = false;
    }
    pass_free(&pass);
    torch_set_grad_enabled(previous_mode);
    tensor_scope_close(scope);
    return status;
}

/* ---- autograd controls: detach, .grad, no_grad ---- */

/* A view that shares storage and version counter but is no view to
 * autograd: no grad_fn, no base whose requires_grad it would follow. */
Tensor *tensor_detach(Tensor *t) {
    if (!t) return nb_error_null_tensor();
    Tensor *out = tensor_make_view(t, t->ndim, t->shape, t->strides, t->offset);
    if (!out) return NULL;
    tensor_release(out->view_base);
    out->view_base = NULL;
    return out;
}

Tensor *tensor_zero_grad(Tensor *t) {
    if (!t) return nb_error_null_tensor();
    if (!t->grad) {
        nb_error_set(ERR_VALUE, "'NoneType' object has no attribute 'zero_'");
        return NULL;
    }
    Tensor *grad = t->grad;
    if (tensor_device(grad) == DEVICE_CPU && tensor_is_contiguous(grad)) {
        /* zero bits are a zero (+0) of every dtype */
        memset(tensor_data(grad), 0, (size_t)tensor_numel(grad) * nb_dtype_size(grad->dtype));
        tensor_mark_modified(grad);
        return grad;
    }
    Tensor *zero = tensor_zeros(grad->dtype, SHAPE0);
    if (tensor_copy_into(grad, tensor_expand(zero, tensor_shape(grad))) != 0) return NULL;
    tensor_mark_modified(grad);
    return grad;
}

Tensor *tensor_clear_grad(Tensor *t) {
    if (!t) return nb_error_null_tensor();
    tensor_release(t->grad);
    t->grad = NULL;
    return t;
}
