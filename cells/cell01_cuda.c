/* In [1]: is CUDA available? This build has no CUDA backend, so
 * torch.cuda.is_available() is False and the cell takes its CPU branch,
 * exactly as the notebook's own run did. */
#include "cell_text.h"
#include "notebook.h"

static int cell01_run(Run *run) {
    print_line(run, "cuda not available");
    return cell_status(run);
}

const Cell cell01_cuda = {1, "cuda", "Is a CUDA GPU available?", cell01_cuda_narrative,
                          cell01_cuda_python, NULL, 0, cell01_run};
