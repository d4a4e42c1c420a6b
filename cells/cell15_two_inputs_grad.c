/* In [15]: one backward pass fills the gradients of two leaves. */
#include "cell_text.h"
#include "notebook.h"

static int cell15_run(Run *run) {
    Tensor *x = tensor_requires_grad_(torch_tensor("[1.,2.,3.]"), true);
    Tensor *y = tensor_requires_grad_(torch_tensor("[5.,7.,6.]"), true);
    Tensor *z = tensor_mul(tensor_cos(x), tensor_sin(y));
    Tensor *u = tensor_sum(z);
    tensor_backward(u, NULL, true);
    print_tensor(run, tensor_grad(x));
    print_tensor(run, tensor_grad(y));
    return cell_status(run);
}

const Cell cell15_two_inputs_grad = {
    .number = 15,
    .name = "two_inputs_grad",
    .title = "Gradients for two inputs",
    .narrative = cell15_two_inputs_grad_narrative,
    .python = cell15_two_inputs_grad_python,
    .run = cell15_run,
};
