/* notebook: the Python-flavoured helpers cells are written with. */
#include "notebook.h"

#include <string.h>

#include "../src/alloc.h"
#include "../src/error.h"
#include "../src/pyfloat.h"

/* tensor_format prints CPU tensors only. A device tensor is printed as a
 * CPU copy of its values wearing its requires_grad and grad_fn, which is
 * the text the notebook printed (no device='cuda:0' suffix: the notebook's
 * own run was on the CPU). */
static int format_tensor(Run *run, const Tensor *t) {
    if (tensor_device(t) == DEVICE_CPU) return tensor_format(&run->out, t, &run->print_options);
    Tensor *host = tensor_empty(t->dtype, tensor_shape(t));
    if (tensor_copy_into(host, t) != 0) return -1;
    host->requires_grad = tensor_requires_grad(t);
    host->grad_fn = t->grad_fn; /* borrowed for this call only */
    int status = tensor_format(&run->out, host, &run->print_options);
    host->grad_fn = NULL;
    return status;
}

void print_tensor(Run *run, const Tensor *t) {
    if (error_pending()) return;
    if (!t)
        strbuf_append(&run->out, "None");
    else if (format_tensor(run, t) != 0)
        return;
    strbuf_append_char(&run->out, '\n');
}

void print_size(Run *run, const Tensor *t) {
    if (!t || size_format(&run->out, t) != 0) return;
    strbuf_append_char(&run->out, '\n');
}

void print_line(Run *run, const char *text) {
    strbuf_append(&run->out, text);
    strbuf_append_char(&run->out, '\n');
}

void print_float(Run *run, double x) {
    pyfloat_repr(&run->out, x);
    strbuf_append_char(&run->out, '\n');
}

Tensor *float_range(int64_t n) {
    Tensor *t = tensor_empty(DTYPE_FLOAT64, SHAPE(n));
    if (!t) return NULL;
    double *p = tensor_data(t);
    for (int64_t i = 0; i < n; i++) p[i] = (double)i;
    return t;
}

Tensor *np_random_choice(Run *run, Tensor *population, Shape shape) {
    if (!population) return NULL;
    if (population->ndim != 1) {
        error_set(ERR_VALUE, "a must be 1-dimensional");
        return NULL;
    }
    int64_t pop_size = population->shape[0];
    Tensor *pop = tensor_contiguous(population);
    Tensor *out = tensor_empty(population->dtype, shape);
    if (!pop || !out) return NULL;
    int64_t n = tensor_numel(out);
    if (n > 0 && pop_size == 0) {
        error_set(ERR_VALUE, "'a' cannot be empty unless no samples are taken");
        return NULL;
    }
    int64_t *indices = nb_malloc((size_t)(n > 0 ? n : 1) * sizeof *indices);
    if (!indices) {
        error_nomem();
        return NULL;
    }
    rng_choice_indices(&run->rng, pop_size, indices, (size_t)n);
    /* a[idx] */
    size_t elsize = dtype_size(out->dtype);
    const char *src = tensor_data(pop);
    char *dst = tensor_data(out);
    if (elsize == sizeof(double)) { /* the notebook's populations: a call-free loop */
        const double *from = (const double *)src;
        double *to = (double *)dst;
        for (int64_t i = 0; i < n; i++) to[i] = from[indices[i]];
    } else {
        for (int64_t i = 0; i < n; i++)
            memcpy(dst + (size_t)i * elsize, src + (size_t)indices[i] * elsize, elsize);
    }
    nb_free(indices);
    return out;
}

Tensor *np_random_normal(Run *run, double loc, double scale, Shape shape) {
    Tensor *out = tensor_empty(DTYPE_FLOAT64, shape);
    if (!out) return NULL;
    rng_normal(&run->rng, loc, scale, tensor_data(out), (size_t)tensor_numel(out));
    return out;
}

Tensor *torch_tensor_from_numpy(Run *run, Tensor *array) {
    if (!array) return NULL;
    Tensor *copy = tensor_empty_on(run->device, array->dtype, tensor_shape(array));
    if (tensor_copy_into(copy, array) != 0) return NULL;
    return copy;
}

int cell_status(const Run *run) {
    if (!error_pending() && run->out.failed) error_nomem();
    return error_pending() ? -1 : 0;
}
