/* autograd: the nodes of the backward graph that ops record. */
#ifndef NB_AUTOGRAD_H
#define NB_AUTOGRAD_H

typedef struct AutogradNode AutogradNode;

/* As PyTorch prints it after grad_fn=: "SinBackward0". */
const char *autograd_node_name(const AutogradNode *node);
void autograd_node_release(AutogradNode *node);

#endif
