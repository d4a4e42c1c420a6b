/* In [14]: two backward passes through one graph. The first keeps the graph
 * (retain_graph=True) so the second can reuse it, and the second pass's
 * gradient is added to the first in x.grad: gradients accumulate. */
#include "cell_text.h"
#include "notebook.h"

static int cell14_run(Run *run) {
    Tensor *x = tensor_requires_grad_(torch_tensor("[1.,2.,3.]"), true);
    Tensor *y = tensor_add(tensor_add(tensor_pow(tensor_at(x, 0), py_int(1)),
                                      tensor_pow(tensor_at(x, 1), py_int(2))),
                           tensor_pow(tensor_at(x, 2), py_int(3)));
    Tensor *z = tensor_sin(y);
    Tensor *u = tensor_log(tensor_add(py_int(1), z));
    Tensor *w = tensor_exp(tensor_neg(u));
    tensor_backward(w, NULL, true);
    print_tensor(run, tensor_grad(x));

    tensor_backward(u, NULL, false);
    print_tensor(run, tensor_grad(x));
    return cell_status(run);
}

const Cell cell14_accumulate_grad = {
    .number = 14,
    .name = "accumulate_grad",
    .title = "Gradients accumulate across backward calls",
    .narrative = cell14_accumulate_grad_narrative,
    .python = cell14_accumulate_grad_python,
    .run = cell14_run,
};
