/* autograd: backward-graph nodes. */
#include "autograd.h"

#include <stdint.h>

#include "alloc.h"

struct AutogradNode {
    int64_t refcount;
    const char *name;
};

const char *autograd_node_name(const AutogradNode *node) { return node->name; }

void autograd_node_release(AutogradNode *node) {
    if (!node || --node->refcount > 0) return;
    nb_free(node);
}
