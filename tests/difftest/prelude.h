/* prelude: what the differential tester's generated C programs print with.
 *
 * Each helper prints one line, exactly as the Python twin's print() of the
 * same thing does in real PyTorch: str(t), repr(t.item()), t.tolist(),
 * t.shape, t.dtype, a flag, a grad_fn's class name, or an error message.
 * Values go through the library's Python float formatting (pyfloat.h), so
 * tolist() and item() show every bit: a one-ulp difference is a different
 * line.
 *
 * A helper prints nothing while an error is pending (the statement failed;
 * DT_CHECK prints the message and ends the program). This file is included
 * once, by the one C file the runner writes (tests/difftest/difftest.py);
 * it is not part of the library. */
#ifndef DIFFTEST_PRELUDE_H
#define DIFFTEST_PRELUDE_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "autograd.h"
#include "dtype.h"
#include "error.h"
#include "ops.h"
#include "print.h"
#include "pyfloat.h"
#include "strbuf.h"
#include "tensor.h"
#include "torch_random.h"

/* After every statement: a failed statement prints the library's message
 * where Python prints str(exception), and ends the program as the
 * exception ends the Python twin. */
#define DT_CHECK()                                                  \
    do {                                                            \
        if (nb_error_pending()) {                                      \
            printf("error: %s\n", dt_first_line(nb_error_message()));  \
            return;                                                 \
        }                                                           \
    } while (0)

/* The first line of a message (Python's side prints the first line of
 * str(e) too). */
static const char *dt_first_line(const char *message) {
    static char line[4096];
    size_t n = strcspn(message, "\n");
    if (n >= sizeof line) n = sizeof line - 1;
    memcpy(line, message, n);
    line[n] = '\0';
    return line;
}

static void dt_emit(StrBuf *sb) {
    if (sb->failed) {
        printf("<difftest: out of memory while formatting>\n");
    } else {
        fputs(nb_strbuf_cstr(sb), stdout);
        fputc('\n', stdout);
    }
    nb_strbuf_free(sb);
}

/* print(t): str(t), or None for a NULL t (x.grad before any backward). */
static void dt_print(const Tensor *t) {
    if (nb_error_pending()) return;
    if (!t) {
        puts("None");
        return;
    }
    StrBuf sb = STRBUF_INIT;
    if (tensor_format(&sb, t, NULL) != 0) {
        nb_strbuf_free(&sb);
        return;
    }
    dt_emit(&sb);
}

/* Python's repr of one element as tolist()/item() return it: int, bool or
 * float (a float32 element widened to double, as Python's float is). */
static void dt_repr_element(StrBuf *sb, const Tensor *t, const int64_t *pos) {
    switch (t->dtype) {
    case DTYPE_BOOL:
        nb_strbuf_append(sb, tensor_get_int(t, pos) ? "True" : "False");
        break;
    case DTYPE_INT64:
        nb_strbuf_printf(sb, "%" PRId64, tensor_get_int(t, pos));
        break;
    case DTYPE_FLOAT32:
    case DTYPE_FLOAT64:
        py_float_repr(sb, tensor_get_double(t, pos));
        break;
    }
}

static void dt_repr_nested(StrBuf *sb, const Tensor *t, int64_t *pos, int dim) {
    if (dim == t->ndim) {
        dt_repr_element(sb, t, pos);
        return;
    }
    nb_strbuf_append_char(sb, '[');
    for (int64_t i = 0; i < t->shape[dim]; i++) {
        if (i > 0) nb_strbuf_append(sb, ", ");
        pos[dim] = i;
        dt_repr_nested(sb, t, pos, dim + 1);
    }
    nb_strbuf_append_char(sb, ']');
}

/* print(t.tolist()) */
static void dt_tolist(const Tensor *t) {
    if (nb_error_pending() || !t) return;
    int64_t pos[TENSOR_MAX_DIMS] = {0};
    StrBuf sb = STRBUF_INIT;
    dt_repr_nested(&sb, t, pos, 0);
    dt_emit(&sb);
}

/* print(repr(t.item())): tensor_item is called for its checks (a tensor
 * of other than one element has no item); the value printed is read at
 * the element's own type, so an int64 beyond 2**53 prints exactly. */
static void dt_item(const Tensor *t) {
    if (nb_error_pending() || !t) return;
    (void)tensor_item(t);
    if (nb_error_pending()) return;
    int64_t pos[TENSOR_MAX_DIMS] = {0};
    StrBuf sb = STRBUF_INIT;
    dt_repr_element(&sb, t, pos);
    dt_emit(&sb);
}

/* print(t.shape) */
static void dt_size(const Tensor *t) {
    if (nb_error_pending() || !t) return;
    StrBuf sb = STRBUF_INIT;
    if (tensor_format_size(&sb, t) != 0) {
        nb_strbuf_free(&sb);
        return;
    }
    dt_emit(&sb);
}

/* print(t.dtype) */
static void dt_dtype(const Tensor *t) {
    if (nb_error_pending() || !t) return;
    puts(nb_dtype_torch_name(t->dtype));
}

/* print(t.stride()): a Python tuple, "(3, 1)", "(1,)", "()" */
static void dt_stride(const Tensor *t) {
    if (nb_error_pending() || !t) return;
    StrBuf sb = STRBUF_INIT;
    nb_strbuf_append_char(&sb, '(');
    for (int i = 0; i < t->ndim; i++)
        nb_strbuf_printf(&sb, i ? ", %" PRId64 : "%" PRId64, t->strides[i]);
    nb_strbuf_append(&sb, t->ndim == 1 ? ",)" : ")");
    dt_emit(&sb);
}

/* print(flag) for t.requires_grad, t.is_leaf, t.is_contiguous() */
static void dt_bool(bool flag) {
    if (nb_error_pending()) return;
    puts(flag ? "True" : "False");
}

/* print(grad_fn_name(t)): type(t.grad_fn).__name__, or None for a leaf */
static void dt_grad_fn(const Tensor *t) {
    if (nb_error_pending() || !t) return;
    const char *name = tensor_grad_fn_name(t);
    puts(name ? name : "None");
}

#endif
