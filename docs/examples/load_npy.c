/* load_npy.c: reads a NumPy .npy file and works on it, as load_npy.py does
 * in PyTorch; both print the same text.
 *
 *     cc load_npy.c $(pkg-config --cflags --libs nbreplay) -o load_npy
 *     ./load_npy array.npy */
#include <stdio.h>

#include <nbreplay/nbreplay.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: load_npy FILE.npy\n");
        return 2;
    }
    TensorScope *scope = tensor_scope_open();

    Tensor *t = nb_npy_load(argv[1]); /* torch.from_numpy(np.load(path)) */
    tensor_print(t);
    tensor_print_size(t);
    tensor_print(tensor_sum(t));
    tensor_print(tensor_matmul(tensor_transpose(t, 0, 1), t));
    tensor_print(tensor_to_dtype(t, DTYPE_FLOAT32));

    int status = nb_error_pending();
    if (status) fprintf(stderr, "load_npy: %s\n", nb_error_message());
    tensor_scope_close(scope);
    return status;
}
