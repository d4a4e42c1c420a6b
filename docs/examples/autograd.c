/* autograd.c: gradients with the library, as autograd.py computes them in
 * PyTorch; both print the same text.
 *
 *     cc autograd.c $(pkg-config --cflags --libs nbreplay) -o autograd */
#include <stdio.h>

#include <nbreplay/nbreplay.h>

int main(void) {
    TensorScope *scope = tensor_scope_open();

    Tensor *x = tensor_requires_grad_(torch_tensor("[0.5, 1., 2.]"), true);
    Tensor *w = tensor_requires_grad_(torch_tensor("[[1., -1., 0.5], [2., 0., 1.]]"), true);

    /* y = sum(exp(W x) * 0.5) + sum(sin(x) * x) */
    Tensor *h = tensor_mv(w, x);
    tensor_print(h);
    Tensor *y = tensor_add(tensor_sum(tensor_mul(tensor_exp(h), py_float(0.5))),
                           tensor_sum(tensor_mul(tensor_sin(x), x)));
    tensor_print(y);

    tensor_backward(y, NULL, true);
    tensor_print(tensor_grad(x));
    tensor_print(tensor_grad(w));

    /* Gradients accumulate across backward calls, as in PyTorch. */
    tensor_backward(y, NULL, false);
    tensor_print(tensor_grad(x));

    /* torch.no_grad(): nothing is recorded. */
    bool was = torch_set_grad_enabled(false);
    tensor_print(tensor_mul(x, py_float(2.)));
    torch_set_grad_enabled(was);

    int status = nb_error_pending();
    if (status) fprintf(stderr, "autograd: %s\n", nb_error_message());
    tensor_scope_close(scope);
    return status;
}
