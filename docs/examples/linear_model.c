/* linear_model.c: a tiny model fitted by gradient descent, as
 * linear_model.py fits it in PyTorch; both print the same text, to the
 * last bit of every loss and weight.
 *
 *     cc linear_model.c $(pkg-config --cflags --libs nbreplay) -o linear_model */
#include <stdio.h>

#include <nbreplay/nbreplay.h>

/* print(repr(value)): every digit Python shows for a float */
static void print_repr(double value) {
    StrBuf text = {0};
    py_float_repr(&text, value);
    puts(text.failed ? "<out of memory>" : nb_strbuf_cstr(&text));
    nb_strbuf_free(&text);
}

/* with torch.no_grad(): w.copy_(w - lr * w.grad), a step downhill in place */
static void descend(Tensor *w, double lr) {
    TORCH_NO_GRAD {
        tensor_copy_into(w, tensor_sub(w, tensor_mul(py_float(lr), tensor_grad(w))));
    }
}

int main(void) {
    TensorScope *scope = tensor_scope_open();

    torch_manual_seed(0);
    Tensor *x = tensor_randn(SHAPE(16, 3));
    Tensor *y = tensor_add(tensor_mm(x, torch_tensor("[[1.5], [-2.0], [0.5]]")),
                           tensor_mul(py_float(0.1), tensor_randn(SHAPE(16, 1))));

    Tensor *w1 = tensor_requires_grad_(tensor_randn(SHAPE(3, 4)), true);
    Tensor *w2 = tensor_requires_grad_(tensor_randn(SHAPE(4, 1)), true);
    const double lr = 0.05;

    for (int step = 0; step < 5 && !nb_error_pending(); step++) {
        TensorScope *step_scope = tensor_scope_open(); /* this step's temporaries */
        Tensor *error = tensor_sub(tensor_mm(tensor_relu(tensor_mm(x, w1)), w2), y);
        Tensor *loss = tensor_mean(tensor_pow(error, py_int(2)));
        tensor_print(loss);
        print_repr(tensor_item(loss));
        tensor_backward(loss, NULL, false);
        descend(w1, lr);
        descend(w2, lr);
        tensor_zero_grad(w1);
        tensor_zero_grad(w2);
        tensor_scope_close(step_scope);
    }

    tensor_print(w1);
    for (int64_t i = 0; i < 4; i++) print_repr(tensor_get_double(w2, (int64_t[]){i, 0}));
    tensor_print(tensor_grad(w2));

    int status = nb_error_pending();
    if (status) fprintf(stderr, "linear_model: %s\n", nb_error_message());
    tensor_scope_close(scope);
    return status;
}
