/* In [6]: matrix multiplication with torch.mm. */
#include "cell_text.h"
#include "notebook.h"

static int cell06_run(Run *run) {
    Tensor *L1 = np_random_choice(run, float_range(10), SHAPE(3, 2));
    Tensor *T1 = torch_tensor_from_numpy(run, L1);
    print_tensor(run, T1);
    Tensor *L2 = np_random_choice(run, float_range(10), SHAPE(2, 4));
    Tensor *T2 = torch_tensor_from_numpy(run, L2);
    print_tensor(run, T2);

    Tensor *T3 = tensor_mm(T1, T2);
    print_tensor(run, T3);
    return cell_status(run);
}

const Cell cell06_mm = {
    .number = 6,
    .name = "mm",
    .title = "Matrix multiplication",
    .narrative = cell06_mm_narrative,
    .python = cell06_mm_python,
    .run = cell06_run,
};
