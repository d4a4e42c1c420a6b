/* In [5]: coordinatewise (Hadamard) product. */
#include "cell_text.h"
#include "notebook.h"

static int cell05_run(Run *run) {
    Tensor *L1 = np_random_choice(run, float_range(10), SHAPE(3, 2, 2));
    Tensor *T1 = torch_tensor_from_numpy(run, L1);
    print_tensor(run, T1);
    Tensor *L2 = np_random_choice(run, float_range(10), SHAPE(3, 2, 2));
    Tensor *T2 = torch_tensor_from_numpy(run, L2);
    print_tensor(run, T2);

    Tensor *T3 = tensor_mul(T1, T2);
    print_tensor(run, T3);
    return cell_status(run);
}

const Cell cell05_elementwise_mul = {
    .number = 5,
    .name = "elementwise_mul",
    .title = "Coordinatewise multiplication",
    .narrative = cell05_elementwise_mul_narrative,
    .python = cell05_elementwise_mul_python,
    .run = cell05_run,
};
