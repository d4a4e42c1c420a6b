/* nbreplay new NAME: a matching pair NAME.c and NAME.py to start a cell of
 * one's own from, never over existing files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char new_usage[] =
    "usage: nbreplay new NAME\n"
    "\n"
    "Writes NAME.c, a cell in C, and NAME.py, the same cell in Python, to start\n"
    "a cell of your own from. Run it with 'nbreplay run NAME.c', compare it with\n"
    "PyTorch with 'nbreplay check NAME.c'. Existing files are never overwritten.\n";

static const char c_template[] =
    "/* %s: a cell of your own, in the vocabulary of notebook.h (nbreplay show 7\n"
    " * shows a notebook cell's C beside its Python). Run it:\n"
    " *   nbreplay run %s.c\n"
    " * Compare it with what PyTorch prints for %s.py:\n"
    " *   nbreplay check %s.c */\n"
    "Tensor *T = torch_tensor(\"[[1.,2.],[3.,4.]]\");\n"
    "print_tensor(run, T);\n"
    "print_tensor(run, tensor_mm(T, T));\n"
    "Tensor *L = np_random_choice(run, float_range(10), SHAPE(2, 3));\n"
    "print_tensor(run, torch_tensor_from_numpy(run, L));\n";

static const char py_template[] =
    "# %s: the same cell in Python; nbreplay check %s.c runs it in PyTorch\n"
    "# after np.random.seed(SEED) and torch.manual_seed(SEED), as run does.\n"
    "import numpy as np\n"
    "import torch\n"
    "\n"
    "T = torch.tensor([[1.,2.],[3.,4.]])\n"
    "print(T)\n"
    "print(torch.mm(T, T))\n"
    "L = np.random.choice([float(i) for i in range(10)], size=(2, 3))\n"
    "print(torch.tensor(L))\n";

static int write_new(const char *path, const char *fmt, const char *name) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) return cli_failure("%s: %s", path, errno == EEXIST ? "exists already; not overwritten" : strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return cli_failure("%s: %s", path, strerror(errno));
    }
    fprintf(f, fmt, name, name, name, name);
    if (fclose(f) != 0) return cli_failure("%s: %s", path, strerror(errno));
    return EXIT_OK;
}

int cmd_new(int argc, char **argv) {
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(new_usage, stdout);
        return EXIT_OK;
    }
    if (argc != 2) return cli_usage_error("new", "expects one NAME");
    char name[256];
    snprintf(name, sizeof name, "%s", argv[1]);
    size_t n = strlen(name);
    if (n > 2 && strcmp(name + n - 2, ".c") == 0) name[n - 2] = '\0';
    if (!name[0] || name[0] == '-') return cli_usage_error("new", "expects a NAME, got '%s'", argv[1]);
    char c_path[300], py_path[300];
    snprintf(c_path, sizeof c_path, "%s.c", name);
    snprintf(py_path, sizeof py_path, "%s.py", name);
    if (access(c_path, F_OK) == 0) return cli_failure("%s: exists already; not overwritten", c_path);
    if (access(py_path, F_OK) == 0) return cli_failure("%s: exists already; not overwritten", py_path);
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    int status = write_new(c_path, c_template, base);
    if (status == EXIT_OK) status = write_new(py_path, py_template, base);
    if (status == EXIT_OK) printf("wrote %s and %s\n", c_path, py_path);
    return status;
}
