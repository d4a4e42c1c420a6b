/* In [4]: multiplying a tensor by a Python float. */
#include "cell_text.h"
#include "notebook.h"

static int cell04_run(Run *run) {
    Tensor *L1 = np_random_choice(run, float_range(10), SHAPE(3, 2, 2));
    Tensor *T1 = torch_tensor_from_numpy(run, L1);
    print_tensor(run, T1);
    Tensor *T2 = tensor_mul(py_float(5.), T1);
    print_tensor(run, T2);
    return cell_status(run);
}

const Cell cell04_scalar_mul = {
    .number = 4,
    .name = "scalar_mul",
    .title = "Scalar multiplication",
    .narrative = cell04_scalar_mul_narrative,
    .python = cell04_scalar_mul_python,
    .run = cell04_run,
};
