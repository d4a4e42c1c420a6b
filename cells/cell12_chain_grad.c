/* In [12]: the chain rule through sum, sin, log and exp. */
#include "cell_text.h"
#include "notebook.h"

static int cell12_run(Run *run) {
    Tensor *x = tensor_requires_grad_(torch_tensor("[1.,2.,3.]"), true);
    Tensor *z = tensor_sum(tensor_sin(x));
    Tensor *u = tensor_log(tensor_add(py_int(1), z));
    Tensor *w = tensor_exp(tensor_neg(u));

    tensor_backward(w, NULL, false);
    print_tensor(run, tensor_grad(x));
    return cell_status(run);
}

const Cell cell12_chain_grad = {
    .number = 12,
    .name = "chain_grad",
    .title = "Autograd through sin, log and exp",
    .narrative = cell12_chain_grad_narrative,
    .python = cell12_chain_grad_python,
    .run = cell12_run,
};
