/* In [2]: tensors from nested lists, their sizes, and indexing one element. */
#include "cell_text.h"
#include "notebook.h"

static int cell02_run(Run *run) {
    Tensor *T = torch_tensor("[[1.,2.,3.],[4.,5.,6.]]");
    print_tensor(run, T);
    print_size(run, T);

    T = torch_tensor("[[[1.,2.,3.],[4.,5.,6.]],[[7.,8.,9.],[10.,11.,12.]]]");
    print_tensor(run, T);
    print_size(run, T);

    print_tensor(run, tensor_at(T, 0, 1, 0));
    return cell_status(run);
}

const Cell cell02_tensors = {
    .number = 2,
    .name = "tensors",
    .title = "Tensors",
    .narrative = cell02_tensors_narrative,
    .python = cell02_tensors_python,
    .run = cell02_run,
};
