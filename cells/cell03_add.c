/* In [3]: adding two tensors of random digits. */
#include "cell_text.h"
#include "notebook.h"

static int cell03_run(Run *run) {
    Tensor *L1 = np_random_choice(run, float_range(10), SHAPE(3, 2, 2));
    Tensor *T1 = torch_tensor_from_numpy(run, L1);

    Tensor *L2 = np_random_choice(run, float_range(10), SHAPE(3, 2, 2));
    Tensor *T2 = torch_tensor_from_numpy(run, L2);

    print_tensor(run, T1);
    print_size(run, T1);

    print_tensor(run, T2);
    print_size(run, T2);

    Tensor *T3 = tensor_add(T1, T2);
    print_tensor(run, T3);
    return cell_status(run);
}

const Cell cell03_add = {
    .number = 3,
    .name = "add",
    .title = "Adding tensors",
    .narrative = cell03_add_narrative,
    .python = cell03_add_python,
    .run = cell03_run,
};
