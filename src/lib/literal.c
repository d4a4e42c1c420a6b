/* literal: torch.tensor(<Python literal>) from the literal's text, so a
 * cell's C reads like its Python: torch_tensor("[[1.,2.,3.],[4.,5.,6.]]").
 * Sequences are lists or tuples, as Python writes them ("(1.5,)" is a
 * tuple, "(1.5)" a parenthesized number). The dtype is inferred as
 * torch.tensor infers it: float32 if any element is a float, else int64,
 * bool when every element is True/False. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "tensor.h"

typedef struct {
    bool is_float, is_bool;
    double f;
    int64_t i;
} LiteralValue;

typedef struct {
    const char *text, *p;
    Shape shape;
    bool shape_known[TENSOR_MAX_DIMS];
    int depth_of_scalars; /* -1 until the first scalar fixes it */
    bool syntax_failed;   /* the text is no Python literal, as opposed to ragged */
    LiteralValue *values;
    size_t count, cap;
} LiteralParser;

static void skip_space(LiteralParser *ps) {
    while (isspace((unsigned char)*ps->p)) ps->p++;
}

static int syntax_error(LiteralParser *ps, const char *what) {
    ps->syntax_failed = true;
    return nb_error_set(ERR_VALUE, "torch.tensor: %s at offset %d of \"%s\"", what,
                     (int)(ps->p - ps->text), ps->text);
}

static int push_value(LiteralParser *ps, LiteralValue v) {
    if (ps->count == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 16;
        LiteralValue *values = nb_realloc(ps->values, cap * sizeof *values);
        if (!values) return nb_error_nomem();
        ps->values = values;
        ps->cap = cap;
    }
    ps->values[ps->count++] = v;
    return 0;
}

static int parse_scalar(LiteralParser *ps, int depth) {
    if (ps->depth_of_scalars < 0) ps->depth_of_scalars = depth;
    /* PyTorch's words when a number stands where its first elements had a
     * list */
    if (depth != ps->depth_of_scalars) return nb_error_set(ERR_VALUE, "not a sequence");
    LiteralValue v = {0};
    if (strncmp(ps->p, "True", 4) == 0 || strncmp(ps->p, "False", 5) == 0) {
        v.is_bool = true;
        v.i = ps->p[0] == 'T';
        v.f = (double)v.i;
        ps->p += v.i ? 4 : 5;
        return push_value(ps, v);
    }
    const char *start = ps->p;
    char *end;
    errno = 0;
    long long as_int = strtoll(start, &end, 10);
    bool int_syntax = end != start && (*end == '\0' || !strchr(".eE", *end));
    if (int_syntax) {
        if (errno == ERANGE) return nb_error_set(ERR_VALUE, "Overflow when unpacking long");
        v.i = as_int;
        v.f = (double)as_int;
    } else {
        v.f = strtod(start, &end);
        if (end == start) return syntax_error(ps, "expected a number, True, False or '['");
        v.is_float = true;
    }
    ps->p = end;
    return push_value(ps, v);
}

static int parse_value(LiteralParser *ps, int depth);

static bool is_open(char c) { return c == '[' || c == '('; }
static bool is_close(char c) { return c == ']' || c == ')'; }

/* Whether the '(' at p opens a tuple: "()" or a comma at its own level;
 * otherwise it only parenthesizes one value. */
static bool opens_tuple(const char *p) {
    int depth = 0;
    bool empty = true;
    for (const char *q = p + 1; *q; q++) {
        if (is_open(*q)) depth++;
        else if (is_close(*q) && depth-- == 0) return empty;
        else if (*q == ',' && depth == 0) return true;
        if (!isspace((unsigned char)*q)) empty = false;
    }
    return false;
}

/* What Python says when torch.tensor stores a list or tuple where its
 * first elements had a number: it depends on the dtype inferred from the
 * whole literal (an empty sequence counts as a float, as in torch.tensor). */
static int sequence_where_number(LiteralParser *ps) {
    bool any_float = false;
    for (const char *q = ps->text; *q; q++) {
        if (is_open(*q)) {
            const char *r = q + 1;
            while (isspace((unsigned char)*r)) r++;
            any_float |= is_close(*r);
        }
        any_float |= *q == '.' || ((*q == 'e' || *q == 'E') && q > ps->text && isdigit((unsigned char)q[-1]));
    }
    const char *type = *ps->p == '(' ? "tuple" : "list";
    if (any_float) return nb_error_set(ERR_VALUE, "must be real number, not %s", type);
    return nb_error_set(ERR_VALUE, "'%s' object cannot be interpreted as an integer", type);
}

static int parse_list(LiteralParser *ps, int depth) {
    if (depth >= TENSOR_MAX_DIMS) return syntax_error(ps, "too many nested lists");
    char close = *ps->p == '[' ? ']' : ')';
    ps->p++; /* '[' or '(' */
    int64_t length = 0;
    skip_space(ps);
    while (*ps->p != close) {
        if (parse_value(ps, depth + 1) != 0) return -1;
        length++;
        skip_space(ps);
        if (*ps->p == ',') {
            ps->p++;
            skip_space(ps);
        } else if (*ps->p != close) {
            return syntax_error(ps, close == ']' ? "expected ',' or ']'" : "expected ',' or ')'");
        }
    }
    ps->p++; /* ']' or ')' */
    if (!ps->shape_known[depth]) {
        ps->shape_known[depth] = true;
        ps->shape.dims[depth] = length;
        if (ps->shape.ndim < depth + 1) ps->shape.ndim = depth + 1;
    } else if (ps->shape.dims[depth] != length) {
        return nb_error_set(ERR_VALUE, "expected sequence of length %lld at dim %d (got %lld)",
                         (long long)ps->shape.dims[depth], depth, (long long)length);
    }
    if (length == 0 && ps->depth_of_scalars < 0) ps->depth_of_scalars = depth + 1;
    return 0;
}

static int parse_value(LiteralParser *ps, int depth) {
    skip_space(ps);
    if (*ps->p == '(' && !opens_tuple(ps->p)) {
        ps->p++;
        if (parse_value(ps, depth) != 0) return -1;
        skip_space(ps);
        if (*ps->p != ')') return syntax_error(ps, "expected ')'");
        ps->p++;
        return 0;
    }
    if (is_open(*ps->p)) {
        if (ps->depth_of_scalars >= 0 && depth >= ps->depth_of_scalars)
            return sequence_where_number(ps);
        return parse_list(ps, depth);
    }
    return parse_scalar(ps, depth);
}

/* The dtype torch.tensor infers from the elements. */
static DType inferred_dtype(const LiteralParser *ps) {
    bool any_float = false, all_bool = ps->count > 0;
    for (size_t i = 0; i < ps->count; i++) {
        any_float |= ps->values[i].is_float;
        all_bool &= ps->values[i].is_bool;
    }
    /* torch.tensor([]) is float32, like any literal without integers */
    return any_float || ps->count == 0 ? DTYPE_DEFAULT_FLOAT : all_bool ? DTYPE_BOOL : DTYPE_INT64;
}

/* Each element is converted from its own Python value (an int as an int,
 * a float as a double), so dtype=torch.float64 keeps 0.1's double bits. */
static Tensor *build_tensor(const LiteralParser *ps, const DType *requested) {
    DType dtype = requested ? *requested : inferred_dtype(ps);
    Tensor *t = tensor_empty(dtype, ps->shape);
    if (!t) return NULL;
    for (size_t i = 0; i < ps->count; i++) {
        const LiteralValue *v = &ps->values[i];
        switch (dtype) {
        case DTYPE_FLOAT32: ((float *)t->storage->data)[i] = (float)v->f; break;
        case DTYPE_FLOAT64: ((double *)t->storage->data)[i] = v->f; break;
        case DTYPE_INT64: ((int64_t *)t->storage->data)[i] = v->is_float ? (int64_t)v->f : v->i; break;
        case DTYPE_BOOL: ((bool *)t->storage->data)[i] = v->is_float ? v->f != 0 : v->i != 0; break;
        }
    }
    return t;
}

/* The sizes torch.tensor reads off the first element at each depth,
 * before it looks at anything else. */
static Shape first_path_sizes(const char *text) {
    Shape sizes = {.ndim = 0};
    const char *p = text;
    while (isspace((unsigned char)*p)) p++;
    while (is_open(*p) && sizes.ndim < TENSOR_MAX_DIMS) {
        int64_t commas = 0;
        bool empty = true, trailing_comma = false;
        int depth = 0;
        for (const char *q = p + 1; *q && depth >= 0; q++) {
            if (is_open(*q)) depth++;
            if (is_close(*q)) depth--;
            if (depth < 0) break;
            if (isspace((unsigned char)*q)) continue;
            empty = false;
            trailing_comma = depth == 0 && *q == ',';
            if (trailing_comma) commas++;
        }
        int64_t length = empty ? 0 : commas + (trailing_comma ? 0 : 1);
        sizes.dims[sizes.ndim++] = length;
        if (length == 0) break;
        p++;
        while (isspace((unsigned char)*p)) p++;
    }
    return sizes;
}

static Tensor *tensor_from_literal(const char *literal, const DType *requested) {
    if (nb_error_pending()) return NULL;
    LiteralParser ps = {.text = literal, .p = literal, .depth_of_scalars = -1};
    Tensor *t = NULL;
    if (parse_value(&ps, 0) == 0) {
        skip_space(&ps);
        if (*ps.p != '\0')
            syntax_error(&ps, "unexpected text after the literal");
        else
            t = tensor_place_on_default_device(build_tensor(&ps, requested));
    }
    nb_free(ps.values);
    if (t || ps.syntax_failed) return t;
    /* torch.tensor checks the elements only while storing them, and stores
     * nothing when its first elements give a size of 0: such a literal is
     * an empty float tensor, however ragged the rest */
    Shape sizes = first_path_sizes(literal);
    for (int i = 0; i < sizes.ndim; i++) {
        if (sizes.dims[i] != 0) continue;
        if (nb_error_kind() == ERR_NOMEM) return NULL;
        nb_error_clear();
        return tensor_place_on_default_device(tensor_empty(requested ? *requested : DTYPE_DEFAULT_FLOAT, sizes));
    }
    return NULL;
}

Tensor *torch_tensor(const char *literal) { return tensor_from_literal(literal, NULL); }

Tensor *torch_tensor_as(const char *literal, DType dtype, bool requires_grad) {
    Tensor *t = tensor_from_literal(literal, &dtype);
    if (t && requires_grad && !nb_dtype_is_floating(dtype)) {
        nb_error_set(ERR_VALUE, "Only Tensors of floating point and complex dtype can require gradients");
        return NULL;
    }
    if (t) t->requires_grad = requires_grad;
    return t;
}
