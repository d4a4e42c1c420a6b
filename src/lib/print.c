/* print: str(tensor) as torch/_tensor_str.py (PyTorch 1.13) writes it.
 *
 * The shape of the code follows PyTorch's so the two can be read side by
 * side: a Formatter that looks at the elements once to choose a notation and
 * a column width (_Formatter), then a recursive writer for nested brackets
 * (_tensor_str_with_formatter, _vector_str), then the "tensor(" prefix and
 * the suffixes wrapped at the line width (_str_intern, _add_suffixes).
 *
 * Elements are read straight from storage through the strides, so views of
 * any geometry print without a copy, and nothing is allocated per element.
 * Each element is formatted once: the formatter's measuring pass keeps the
 * texts, and the body copies them out. */
#include "print.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "pyfloat.h"

/* What one tensor is printed with: the options, the tensor, and whether the
 * middle of long dimensions is cut ("summarize" in PyTorch). */
typedef struct Printer {
    StrBuf *out;
    const Tensor *t;
    const PrintOptions *opts;
    bool summarize;
    /* The measuring pass's text of every shown element, each ending in a
     * NUL, in the order the body writes them (both walk the shown elements
     * the same way). The body reads them back from `next_text` when all
     * were kept (`keeping_texts`) and the notation did not change after
     * measuring (`texts_valid`). */
    StrBuf texts;
    size_t next_text;
    bool keeping_texts;
    bool texts_valid;
} Printer;

/* Texts past this many bytes are not kept: a huge tensor printed in full
 * is formatted twice rather than holding a second copy of its text. */
#define KEPT_TEXTS_MAX ((size_t)1 << 20)

/* PyTorch's _Formatter: the notation and column width for all elements. */
typedef struct Formatter {
    bool floating;
    bool int_mode; /* every finite value is integral: print "3." */
    bool sci_mode;
    size_t max_width;
} Formatter;

/* ---- elements ---- */

static double element_double(const Tensor *t, int64_t offset) {
    const void *base = t->storage->data;
    if (t->dtype == DTYPE_FLOAT32) return (double)((const float *)base)[offset];
    return ((const double *)base)[offset];
}

static void append_integer_element(StrBuf *out, const Tensor *t, int64_t offset) {
    const void *base = t->storage->data;
    if (t->dtype == DTYPE_BOOL)
        nb_strbuf_append(out, ((const bool *)base)[offset] ? "True" : "False");
    else
        nb_strbuf_printf(out, "%lld", (long long)((const int64_t *)base)[offset]);
}

/* ---- which elements are shown ---- */

/* In a summarized dimension longer than 2*edgeitems only the first and last
 * edgeitems indices are shown. */
static bool dimension_is_cut(const Printer *p, int64_t size) {
    return p->summarize && size > 2 * (int64_t)p->opts->edgeitems;
}

/* Where the shown tail of a cut dimension starts. PyTorch takes the tail of
 * the innermost dimension as self[-edgeitems:], which is the whole
 * dimension when edgeitems is 0, and of outer ones as a range that is then
 * empty. */
static int64_t tail_start(const Printer *p, int dim, int64_t size) {
    bool innermost = dim == p->t->ndim - 1;
    return innermost && p->opts->edgeitems == 0 ? 0 : size - p->opts->edgeitems;
}

typedef void (*ElementVisitor)(void *ctx, const Tensor *t, int64_t offset);

/* Visits the shown elements (PyTorch's get_summarized_data), which are the
 * only ones the formatter looks at. `offset` is in elements of storage. */
static void visit_shown(const Printer *p, int dim, int64_t offset, ElementVisitor visit,
                        void *ctx) {
    const Tensor *t = p->t;
    if (dim == t->ndim) {
        visit(ctx, t, offset);
        return;
    }
    int64_t size = t->shape[dim], stride = t->strides[dim];
    if (dimension_is_cut(p, size)) {
        for (int64_t i = 0; i < p->opts->edgeitems; i++)
            visit_shown(p, dim + 1, offset + i * stride, visit, ctx);
        for (int64_t i = tail_start(p, dim, size); i < size; i++)
            visit_shown(p, dim + 1, offset + i * stride, visit, ctx);
    } else {
        for (int64_t i = 0; i < size; i++) visit_shown(p, dim + 1, offset + i * stride, visit, ctx);
    }
}

/* ---- the formatter ---- */

/* Python's '{:.Ne}', '{:.0f}' + '.', or '{:.Nf}' of the value. */
static void append_float_text(StrBuf *out, double value, const Formatter *f, int precision) {
    if (f->sci_mode) {
        py_float_sci(out, value, precision);
    } else if (f->int_mode) {
        py_float_fixed(out, value, 0);
        if (isfinite(value)) nb_strbuf_append_char(out, '.');
    } else {
        py_float_fixed(out, value, precision);
    }
}

typedef struct FloatSurvey {
    int64_t count; /* nonzero finite values */
    double min_abs, max_abs;
    bool all_integral;
} FloatSurvey;

static void survey_float(void *ctx, const Tensor *t, int64_t offset) {
    FloatSurvey *s = ctx;
    double v = element_double(t, offset);
    if (!isfinite(v) || v == 0) return;
    double a = fabs(v);
    if (s->count == 0 || a < s->min_abs) s->min_abs = a;
    if (s->count == 0 || a > s->max_abs) s->max_abs = a;
    if (v != ceil(v)) s->all_integral = false;
    s->count++;
}

typedef struct WidthSurvey {
    Printer *printer;
    Formatter *formatter;
} WidthSurvey;

/* Where the next element's text starts in p->texts. */
static size_t text_start(Printer *p) {
    if (!p->keeping_texts) nb_strbuf_clear(&p->texts);
    return p->texts.len;
}

/* The length of the text written since `start`; kept, NUL-ended, while
 * there is room. */
static size_t text_end(Printer *p, size_t start) {
    size_t len = p->texts.len - start;
    if (p->keeping_texts) {
        nb_strbuf_append_char(&p->texts, '\0');
        if (p->texts.len > KEPT_TEXTS_MAX) p->keeping_texts = false;
    }
    return len;
}

/* Only nonzero finite values count towards the width of a float column, as
 * in PyTorch; every shown element's text is kept. */
static void measure_float(void *ctx, const Tensor *t, int64_t offset) {
    WidthSurvey *w = ctx;
    double v = element_double(t, offset);
    size_t start = text_start(w->printer);
    append_float_text(&w->printer->texts, v, w->formatter, w->printer->opts->precision);
    size_t len = text_end(w->printer, start);
    if (isfinite(v) && v != 0 && len > w->formatter->max_width) w->formatter->max_width = len;
}

static void measure_integer(void *ctx, const Tensor *t, int64_t offset) {
    WidthSurvey *w = ctx;
    size_t start = text_start(w->printer);
    append_integer_element(&w->printer->texts, t, offset);
    size_t len = text_end(w->printer, start);
    if (len > w->formatter->max_width) w->formatter->max_width = len;
}

static Formatter make_formatter(Printer *p) {
    Formatter f = {.floating = nb_dtype_is_floating(p->t->dtype), .int_mode = true, .max_width = 1};
    WidthSurvey widths = {p, &f};
    if (!f.floating) {
        visit_shown(p, 0, p->t->offset, measure_integer, &widths);
        p->texts_valid = p->keeping_texts;
        return f;
    }
    FloatSurvey s = {.all_integral = true};
    visit_shown(p, 0, p->t->offset, survey_float, &s);
    /* With no nonzero finite value PyTorch returns before it looks at the
     * sci_mode option, so all-zero or all-nan tensors ignore it. */
    if (s.count == 0) return f;
    f.int_mode = s.all_integral;
    bool wide_range = s.max_abs / s.min_abs > 1000.0 || s.max_abs > 1.0e8;
    f.sci_mode = f.int_mode ? wide_range : wide_range || s.min_abs < 1.0e-4;
    visit_shown(p, 0, p->t->offset, measure_float, &widths);
    /* The width stays the one measured in the automatic notation, and the
     * texts are only good for that notation. */
    bool measured_sci = f.sci_mode;
    if (p->opts->sci_mode >= 0) f.sci_mode = p->opts->sci_mode != 0;
    p->texts_valid = p->keeping_texts && f.sci_mode == measured_sci;
    return f;
}

/* ---- the body: nested brackets ---- */

/* The next kept text, right-aligned in max_width columns. */
static void append_kept_text(Printer *p, const Formatter *f) {
    const char *text = p->texts.data + p->next_text;
    size_t len = strlen(text);
    p->next_text += len + 1;
    if (len < f->max_width) nb_strbuf_repeat(p->out, ' ', f->max_width - len);
    nb_strbuf_append_len(p->out, text, len);
}

/* formatter.format(value): right-aligned in max_width columns, never cut. */
static void append_element(Printer *p, const Formatter *f, int64_t offset) {
    if (p->texts_valid && p->next_text < p->texts.len) {
        append_kept_text(p, f);
        return;
    }
    StrBuf *out = p->out;
    size_t start = out->len;
    if (f->floating)
        append_float_text(out, element_double(p->t, offset), f, p->opts->precision);
    else
        append_integer_element(out, p->t, offset);
    size_t len = out->len - start;
    if (out->failed || len >= f->max_width) return;
    size_t pad = f->max_width - len;
    nb_strbuf_repeat(out, ' ', pad);
    if (out->failed) return;
    memmove(out->data + start + pad, out->data + start, len);
    memset(out->data + start, ' ', pad);
}

/* Between items of a row: ", ", or ",\n" and the indent when the row is
 * full. `index` counts the " ..." marker as an item, as PyTorch does. */
static void append_vector_separator(Printer *p, int64_t index, int64_t per_line, int indent) {
    if (index == 0) return;
    if (index % per_line == 0) {
        nb_strbuf_append(p->out, ",\n");
        nb_strbuf_repeat(p->out, ' ', (size_t)indent + 1);
    } else {
        nb_strbuf_append_len(p->out, ", ", 2);
    }
}

/* _vector_str: the innermost dimension, wrapped at the line width. */
static void append_vector(Printer *p, const Formatter *f, int64_t offset, int indent) {
    const Tensor *t = p->t;
    int64_t size = t->shape[t->ndim - 1], stride = t->strides[t->ndim - 1];
    double element_length = (double)f->max_width + 2;
    double fit = floor(((double)p->opts->linewidth - indent) / element_length);
    int64_t per_line = fit > 1 ? (int64_t)fit : 1;
    int64_t index = 0;
    nb_strbuf_append_char(p->out, '[');
    if (dimension_is_cut(p, size)) {
        for (int64_t i = 0; i < p->opts->edgeitems; i++) {
            append_vector_separator(p, index++, per_line, indent);
            append_element(p, f, offset + i * stride);
        }
        append_vector_separator(p, index++, per_line, indent);
        nb_strbuf_append(p->out, " ...");
        for (int64_t i = tail_start(p, t->ndim - 1, size); i < size; i++) {
            append_vector_separator(p, index++, per_line, indent);
            append_element(p, f, offset + i * stride);
        }
    } else {
        for (int64_t i = 0; i < size; i++) {
            append_vector_separator(p, index++, per_line, indent);
            append_element(p, f, offset + i * stride);
        }
    }
    nb_strbuf_append_char(p->out, ']');
}

/* Between slices of dimension `dim`: one blank line fewer than the
 * dimensions the slices have. */
static void append_slice_separator(Printer *p, int dim, int indent) {
    nb_strbuf_append_char(p->out, ',');
    nb_strbuf_repeat(p->out, '\n', (size_t)(p->t->ndim - dim - 1));
    nb_strbuf_repeat(p->out, ' ', (size_t)indent + 1);
}

/* _tensor_str_with_formatter for the sub-tensor that starts at `dim`. */
static void append_body(Printer *p, const Formatter *f, int dim, int64_t offset, int indent) {
    const Tensor *t = p->t;
    if (dim == t->ndim) {
        append_element(p, f, offset);
        return;
    }
    if (dim == t->ndim - 1) {
        append_vector(p, f, offset, indent);
        return;
    }
    int64_t size = t->shape[dim], stride = t->strides[dim];
    nb_strbuf_append_char(p->out, '[');
    if (dimension_is_cut(p, size)) {
        for (int64_t i = 0; i < p->opts->edgeitems; i++) {
            if (i > 0) append_slice_separator(p, dim, indent);
            append_body(p, f, dim + 1, offset + i * stride, indent + 1);
        }
        if (p->opts->edgeitems > 0) append_slice_separator(p, dim, indent);
        nb_strbuf_append(p->out, "...");
        for (int64_t i = tail_start(p, dim, size); i < size; i++) {
            append_slice_separator(p, dim, indent);
            append_body(p, f, dim + 1, offset + i * stride, indent + 1);
        }
    } else {
        for (int64_t i = 0; i < size; i++) {
            if (i > 0) append_slice_separator(p, dim, indent);
            append_body(p, f, dim + 1, offset + i * stride, indent + 1);
        }
    }
    nb_strbuf_append_char(p->out, ']');
}

/* ---- prefix and suffixes ---- */

/* _add_suffixes keeps a running line length that starts 2 above the true
 * length of the last line (len(s) - s.rfind("\n") + 1); the quirk decides
 * where suffixes wrap, so it is kept. */
typedef struct SuffixWrap {
    int64_t line_len;
    int indent;
    int linewidth;
} SuffixWrap;

static SuffixWrap suffix_wrap_start(const StrBuf *out, size_t text_start, int indent,
                                    int linewidth) {
    size_t line_start = text_start;
    for (size_t i = out->len; i > text_start; i--) {
        if (out->data[i - 1] == '\n') {
            line_start = i;
            break;
        }
    }
    return (SuffixWrap){(int64_t)(out->len - line_start) + 2, indent, linewidth};
}

/* Appends ", " or ",\n<indent>" and then key, value and close. */
static void append_suffix(StrBuf *out, SuffixWrap *wrap, const char *key, const char *value,
                          const char *close) {
    int64_t len = (int64_t)(strlen(key) + strlen(value) + strlen(close));
    if (wrap->line_len + len + 2 > wrap->linewidth) {
        nb_strbuf_append(out, ",\n");
        nb_strbuf_repeat(out, ' ', (size_t)wrap->indent);
        wrap->line_len = wrap->indent + len;
    } else {
        nb_strbuf_append(out, ", ");
        wrap->line_len += len + 2;
    }
    nb_strbuf_append(out, key);
    nb_strbuf_append(out, value);
    nb_strbuf_append(out, close);
}

/* str(tuple(shape)): "(2, 0, 4)", "(5,)". */
static void shape_tuple_text(const Tensor *t, char *buf, size_t cap) {
    size_t used = (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < t->ndim && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%lld", i ? ", " : "",
                                 (long long)t->shape[i]);
    if (used < cap) snprintf(buf + used, cap - used, t->ndim == 1 ? ",)" : ")");
}

static void append_suffixes(StrBuf *out, const Tensor *t, size_t text_start, int indent,
                            const PrintOptions *opts) {
    SuffixWrap wrap = suffix_wrap_start(out, text_start, indent, opts->linewidth);
    bool empty = tensor_numel(t) == 0;
    if (empty && t->ndim != 1) {
        char shape[TENSOR_MAX_DIMS * 24 + 8];
        shape_tuple_text(t, shape, sizeof shape);
        append_suffix(out, &wrap, "size=", shape, "");
    }
    /* An empty tensor shows no values to infer the dtype from, so anything
     * but the default float dtype is named; otherwise float32, int64 and
     * bool go unnamed. */
    bool name_dtype = empty ? t->dtype != DTYPE_DEFAULT_FLOAT : t->dtype == DTYPE_FLOAT64;
    if (name_dtype) append_suffix(out, &wrap, "dtype=", nb_dtype_torch_name(t->dtype), "");
    const char *grad_fn = tensor_grad_fn_name(t);
    if (grad_fn)
        append_suffix(out, &wrap, "grad_fn=<", grad_fn, ">");
    else if (tensor_requires_grad(t))
        append_suffix(out, &wrap, "requires_grad=", "True", "");
    nb_strbuf_append_char(out, ')');
}

/* Takes back a partly written tensor so a failed call leaves `out` as it was
 * (unless the buffer itself failed, which is sticky). */
static int abandon_text(StrBuf *out, size_t text_start) {
    if (!out->failed && out->data) {
        out->len = text_start;
        out->data[text_start] = '\0';
    }
    return nb_error_nomem();
}

/* A CPU copy of a device tensor's values wearing its requires_grad and
 * grad_fn (borrowed: the caller clears host->grad_fn after printing). */
static Tensor *printable_on_host(const Tensor *t) {
    Tensor *host = tensor_empty(t->dtype, tensor_shape(t));
    if (!host || tensor_copy_into(host, t) != 0) return NULL;
    host->requires_grad = tensor_requires_grad(t);
    host->grad_fn = t->grad_fn;
    return host;
}

static int format_cpu_tensor(StrBuf *out, const Tensor *t, const PrintOptions *opts);

int tensor_format(StrBuf *out, const Tensor *t, const PrintOptions *opts) {
    if (!out || !t) return nb_error_set(ERR_VALUE, "tensor_format: no tensor to print");
    if (tensor_device(t) == DEVICE_CPU) return format_cpu_tensor(out, t, opts);
    /* The text the notebook printed: no device='cuda:0' suffix, because
     * the notebook's own run was on the CPU. */
    TensorScope *scope = tensor_scope_open();
    Tensor *host = printable_on_host(t);
    int status = host ? format_cpu_tensor(out, host, opts) : -1;
    if (host) host->grad_fn = NULL;
    tensor_scope_close(scope);
    return status;
}

static int format_cpu_tensor(StrBuf *out, const Tensor *t, const PrintOptions *opts) {
    PrintOptions defaults = PRINT_OPTIONS_DEFAULT;
    if (!opts) opts = &defaults;
    static const char prefix[] = "tensor(";
    const int indent = (int)sizeof prefix - 1;
    size_t text_start = out->len;
    nb_strbuf_append(out, prefix);
    int64_t numel = tensor_numel(t);
    if (numel == 0) {
        nb_strbuf_append(out, "[]");
    } else {
        Printer p = {out, t, opts, (double)numel > opts->threshold, STRBUF_INIT, 0, true, false};
        Formatter f = make_formatter(&p);
        if (p.texts.failed) {
            nb_strbuf_free(&p.texts);
            return abandon_text(out, text_start);
        }
        append_body(&p, &f, 0, t->offset, indent);
        nb_strbuf_free(&p.texts);
    }
    if (!out->failed) append_suffixes(out, t, text_start, indent, opts);
    return out->failed ? abandon_text(out, text_start) : 0;
}

int tensor_format_size(StrBuf *out, const Tensor *t) {
    if (!out || !t) return nb_error_set(ERR_VALUE, "size_format: no tensor");
    nb_strbuf_append(out, "torch.Size([");
    for (int i = 0; i < t->ndim; i++)
        nb_strbuf_printf(out, "%s%lld", i ? ", " : "", (long long)t->shape[i]);
    nb_strbuf_append(out, "])");
    return out->failed ? nb_error_nomem() : 0;
}

static void print_line_and_free(StrBuf *line, int status) {
    if (status == 0) {
        nb_strbuf_append_char(line, '\n');
        fputs(nb_strbuf_cstr(line), stdout);
    }
    nb_strbuf_free(line);
}

void tensor_print(const Tensor *t) {
    if (!t) return;
    StrBuf line = STRBUF_INIT;
    print_line_and_free(&line, tensor_format(&line, t, NULL));
}

void tensor_print_size(const Tensor *t) {
    if (!t) return;
    StrBuf line = STRBUF_INIT;
    print_line_and_free(&line, tensor_format_size(&line, t));
}
