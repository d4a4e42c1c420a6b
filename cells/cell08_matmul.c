/* In [8]: torch.matmul's general products: batched, and a 5-D batch times a
 * matrix (the batch dimensions broadcast). */
#include "cell_text.h"
#include "notebook.h"

static int cell08_run(Run *run) {
    Tensor *L1 = np_random_choice(run, float_range(10), SHAPE(5, 3, 2));
    Tensor *T1 = torch_tensor_from_numpy(run, L1);
    Tensor *L2 = np_random_choice(run, float_range(10), SHAPE(5, 2, 4));
    Tensor *T2 = torch_tensor_from_numpy(run, L2);
    Tensor *T3 = tensor_matmul(T1, T2);
    print_size(run, T3);

    L1 = np_random_choice(run, float_range(10), SHAPE(10, 5, 3, 2, 4));
    T1 = torch_tensor_from_numpy(run, L1);
    L2 = np_random_choice(run, float_range(10), SHAPE(4, 10));
    T2 = torch_tensor_from_numpy(run, L2);

    T3 = tensor_matmul(T1, T2);
    print_size(run, T3);
    return cell_status(run);
}

const Cell cell08_matmul = {
    .number = 8,
    .name = "matmul",
    .title = "General products with matmul",
    .narrative = cell08_matmul_narrative,
    .python = cell08_matmul_python,
    .run = cell08_run,
};
