/* In [7]: batch matrix multiplication with torch.bmm. */
#include "cell_text.h"
#include "notebook.h"

static int cell07_run(Run *run) {
    Tensor *L1 = np_random_choice(run, float_range(10), SHAPE(5, 3, 2));
    Tensor *T1 = torch_tensor_from_numpy(run, L1);
    print_tensor(run, T1);
    Tensor *L2 = np_random_choice(run, float_range(10), SHAPE(5, 2, 4));
    Tensor *T2 = torch_tensor_from_numpy(run, L2);
    print_tensor(run, T2);

    Tensor *T3 = tensor_bmm(T1, T2);
    print_tensor(run, T3);
    return cell_status(run);
}

const Cell cell07_bmm = {
    .number = 7,
    .name = "bmm",
    .title = "Batch matrix multiplication",
    .narrative = cell07_bmm_narrative,
    .python = cell07_bmm_python,
    .run = cell07_run,
};
