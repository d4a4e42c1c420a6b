/* In [10]: the outer product of two integer ranges (torch.ger, today's
 * torch.outer). */
#include "cell_text.h"
#include "notebook.h"

static int cell10_run(Run *run) {
    Tensor *v1 = tensor_arange(1, 4); /* Size 3 */
    Tensor *v2 = tensor_arange(1, 3); /* Size 2 */
    Tensor *r = tensor_ger(v1, v2);
    print_tensor(run, v1);
    print_tensor(run, v2);
    print_tensor(run, r);
    return cell_status(run);
}

const Cell cell10_outer = {
    .number = 10,
    .name = "outer",
    .title = "Outer product",
    .narrative = cell10_outer_narrative,
    .python = cell10_outer_python,
    .run = cell10_run,
};
