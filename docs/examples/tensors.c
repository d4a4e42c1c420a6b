/* tensors.c: a cell-like program on the library. The same as tensors.py,
 * which prints exactly what this prints.
 *
 *     cc tensors.c $(pkg-config --cflags --libs nbreplay) -o tensors */
#include <stdio.h>

#include <nbreplay/nbreplay.h>

int main(void) {
    TensorScope *scope = tensor_scope_open(); /* owns every tensor below */

    Tensor *a = torch_tensor("[[1., 2.], [3., 4.]]");
    Tensor *b = torch_tensor("[[0.5, -1.], [2., 0.25]]");
    tensor_print(tensor_add(a, b));
    tensor_print(tensor_mul(py_float(2.5), a));
    tensor_print(tensor_mm(a, b));
    tensor_print(tensor_matmul(a, torch_tensor("[1., -1.]")));

    Tensor *batch = tensor_reshape(tensor_arange(0, 12), SHAPE(3, 2, 2));
    tensor_print_size(batch);
    tensor_print(tensor_bmm(batch, batch));
    tensor_print(tensor_transpose(batch, 0, 2));
    tensor_print(tensor_outer(torch_tensor("[1, 2, 3]"), torch_tensor("[1., 0.5]")));

    /* A failing call returns NULL and leaves PyTorch's message; every
     * later call handed NULL passes it on, so one check at the end does. */
    Tensor *bad = tensor_mm(a, torch_tensor("[[1., 2., 3.]]"));
    tensor_print(bad);
    if (nb_error_pending()) printf("RuntimeError: %s\n", nb_error_message());

    tensor_scope_close(scope);
    return 0;
}
