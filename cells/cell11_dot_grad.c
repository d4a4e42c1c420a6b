/* In [11]: autograd's first example: the gradient of a dot product x·y
 * with respect to x is y. */
#include "cell_text.h"
#include "notebook.h"

static int cell11_run(Run *run) {
    Tensor *x = tensor_requires_grad_(torch_tensor("[0.,1.,2.,3.]"), true);
    Tensor *y = torch_tensor("[2.,3.,5.,7.]");
    Tensor *z = tensor_dot(x, y);
    tensor_backward(z, NULL, false);
    print_tensor(run, tensor_grad(x));
    return cell_status(run);
}

const Cell cell11_dot_grad = {
    .number = 11,
    .name = "dot_grad",
    .title = "Autograd: the gradient of a dot product",
    .narrative = cell11_dot_grad_narrative,
    .python = cell11_dot_grad_python,
    .run = cell11_run,
};
