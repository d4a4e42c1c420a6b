/* The differentiability probe, a cell of nbreplay's own (number 0; it stands
 * after In [10], where the notebook's "Differentiability" section is).
 * Finite differences on float64 tensors show that
 * f(x, y) = y*x**2/(x**2 + y**2), f(0, 0) = 0, has every directional
 * derivative at the origin and yet no derivative there; autograd shows what
 * it makes of the origin. It reads section by section like its Python twin,
 * cells/cell00_differentiability.py, which real PyTorch runs to write
 * golden/cell-00.json, so the two implementations check each other. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "error.h"
#include "pyfloat.h"
#include "cell_text.h"
#include "notebook.h"

enum { NDIRECTIONS = 8 };

static const int degrees[NDIRECTIONS] = {0, 30, 45, 60, 90, 135, 210, 300};

static Tensor *scalar(double value) { return tensor_from_data(DTYPE_FLOAT64, SHAPE0, &value); }

static Tensor *vector(int64_t n, const double *values) {
    return tensor_from_data(DTYPE_FLOAT64, SHAPE(n), values);
}

static Tensor *square(Tensor *t) { return tensor_pow(t, py_int(2)); }

/* The counterexample away from the origin, where the formula is 0/0. */
static Tensor *f(Tensor *x, Tensor *y) {
    Tensor *numerator = tensor_mul(y, square(x));
    return tensor_div(numerator, tensor_add(square(x), square(y)));
}

static const double f0 = 0.0; /* f(0, 0), by definition */

/* ∂f/∂x by a central difference; h is a float64 tensor, one step or a
 * column of them. (Not py_float: 2 * h of two wrapped numbers is float32,
 * torch's default dtype.) */
static Tensor *dfdx_central(Tensor *x, Tensor *y, Tensor *h) {
    Tensor *forward = f(tensor_add(x, h), y);
    Tensor *backward = f(tensor_sub(x, h), y);
    return tensor_div(tensor_sub(forward, backward), tensor_mul(py_int(2), h));
}

static Tensor *two_x_y_cubed(Tensor *x, Tensor *y) {
    return tensor_mul(tensor_mul(py_int(2), x), tensor_pow(y, py_int(3)));
}

static Tensor *dfdx_corrected(Tensor *x, Tensor *y) {
    return tensor_div(two_x_y_cubed(x, y), square(tensor_add(square(x), square(y))));
}

static Tensor *dfdx_misprinted(Tensor *x, Tensor *y) {
    return tensor_div(two_x_y_cubed(x, y), tensor_add(square(x), square(y)));
}

/* Element i of a 1-d tensor, t.item() of a 0-d one; nan after a failed line
 * (whose error the cell reports at its end). */
static double at(const Tensor *t, int64_t i) { return t ? tensor_get_double(t, &i) : NAN; }
static double item(const Tensor *t) { return t ? tensor_item(t) : NAN; }

/* ---- fixed-width text, as the twin's f-strings write it ---- */

/* One formatted number. A struct with an array member returned by value
 * lives to the end of the full expression (C11 6.2.4), so fixed(x, 9, 5).s
 * can be passed straight to print_fmt. */
typedef struct Text {
    char s[64];
} Text;

/* Copies a scratch buffer into a Text and frees it. A failed allocation
 * becomes the cell's error, so a short number never passes for output. */
static Text text_from(StrBuf *scratch) {
    Text text;
    if (scratch->failed) nb_error_nomem();
    snprintf(text.s, sizeof text.s, "%s", nb_strbuf_cstr(scratch));
    nb_strbuf_free(scratch);
    return text;
}

/* f"{text:>{width}}": Python counts characters, not UTF-8 bytes. */
static void append_right(StrBuf *out, const char *text, int width) {
    int chars = 0;
    for (const char *p = text; *p; p++) chars += ((unsigned char)*p & 0xC0) != 0x80;
    if (chars < width) nb_strbuf_repeat(out, ' ', (size_t)(width - chars));
    nb_strbuf_append(out, text);
}

static Text right_aligned(void (*format)(StrBuf *, double, int), double value, int width,
                          int digits) {
    StrBuf number = STRBUF_INIT;
    format(&number, value, digits);
    Text digits_only = text_from(&number);
    StrBuf padded = STRBUF_INIT;
    append_right(&padded, digits_only.s, width);
    return text_from(&padded);
}

/* f"{value + 0.0:>{width}.{digits}f}" and the same with e: adding 0.0
 * turns -0.0 into 0.0, so zeros print unsigned. */
static Text fixed(double value, int width, int digits) {
    return right_aligned(py_float_fixed, value + 0.0, width, digits);
}

static Text sci(double value, int width, int digits) {
    return right_aligned(py_float_sci, value + 0.0, width, digits);
}

static Text repr(double value) {
    StrBuf number = STRBUF_INIT;
    py_float_repr(&number, value);
    return text_from(&number);
}

/* print(f"...") */
static void print_fmt(Run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void print_fmt(Run *run, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    nb_strbuf_vprintf(&run->out, fmt, ap);
    va_end(ap);
    nb_strbuf_append_char(&run->out, '\n');
}

/* print(name, t) */
static void print_named(Run *run, const char *name, const Tensor *t) {
    if (nb_error_pending()) return;
    nb_strbuf_append(&run->out, name);
    nb_strbuf_append_char(&run->out, ' ');
    print_tensor(run, t);
}

/* A table's first line: the label, then one column per direction. */
static void header(Run *run, const char *label) {
    append_right(&run->out, label, 8);
    for (int i = 0; i < NDIRECTIONS; i++) {
        char column[16];
        snprintf(column, sizeof column, "%d°", degrees[i]);
        append_right(&run->out, column, 9);
    }
    nb_strbuf_append_char(&run->out, '\n');
}

static void row(Run *run, const char *label, const Tensor *values) {
    append_right(&run->out, label, 8);
    for (int64_t i = 0; i < NDIRECTIONS; i++) nb_strbuf_append(&run->out, fixed(at(values, i), 9, 5).s);
    nb_strbuf_append_char(&run->out, '\n');
}

/* ---- the probe, section by section ---- */

/* 1. The quotients (f(t*v) - f(0))/t; returns the one for the smallest t,
 * and their limits in *exact. */
static Tensor *directional_derivatives(Run *run, Tensor *cos_theta, Tensor *sin_theta,
                                       Tensor **exact) {
    static const double ts[] = {1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8};
    print_line(run, "1. Every directional derivative D_v f(0) = lim (f(t*v) - f(0))/t exists.");
    print_line(run, "   The quotient for v = (cos θ, sin θ), a column per θ and a row per t;");
    print_line(run, "   the last row is the exact limit cos²θ·sin θ:");
    header(run, "t \\ θ");
    Tensor *quotient = NULL;
    for (size_t k = 0; k < sizeof ts / sizeof ts[0]; k++) {
        double t = ts[k];
        Tensor *f_tv = f(tensor_mul(py_float(t), cos_theta), tensor_mul(py_float(t), sin_theta));
        quotient = tensor_div(tensor_sub(f_tv, py_float(f0)), py_float(t));
        row(run, sci(t, 0, 0).s, quotient);
    }
    *exact = tensor_mul(square(cos_theta), sin_theta);
    row(run, "exact", *exact);
    print_line(run, "   Each column is constant in t (f(t*v) = t*f(v)): the limit exists for all v.");
    return quotient;
}

/* 2. The partials at the origin, and the linear map they would make;
 * returns ∂f/∂x(0, 0). */
static Tensor *not_linear(Run *run, Tensor *cos_theta, Tensor *sin_theta, Tensor *quotient,
                          Tensor *exact) {
    const double t = 1e-8;
    print_line(run, "2. But v -> D_v f(0) is not linear, so f has no derivative at the origin.");
    Tensor *dfdx0 = tensor_div(tensor_sub(f(scalar(t), scalar(0.0)), py_float(f0)), py_float(t));
    Tensor *dfdy0 = tensor_div(tensor_sub(f(scalar(0.0), scalar(t)), py_float(f0)), py_float(t));
    print_fmt(run, "   Partials (t = %s): ∂f/∂x(0, 0) = %s, ∂f/∂y(0, 0) = %s.", sci(t, 0, 0).s,
              fixed(item(dfdx0), 0, 5).s, fixed(item(dfdy0), 0, 5).s);
    print_line(run, "   The only candidate is D(v) = ∂f/∂x·v₁ + ∂f/∂y·v₂ = 0, and a derivative");
    print_line(run, "   would make D_v f(0) = D(v) in every direction. Per direction: D_v f(0)");
    print_fmt(run, "   by finite differences (t = %s) and exact, D(v), and the gap:", sci(t, 0, 0).s);
    append_right(&run->out, "θ (°)", 8);
    print_fmt(run, "%10s%10s%10s%10s", "D_v f(0)", "exact", "D(v)", "gap");
    Tensor *linear = tensor_add(tensor_mul(dfdx0, cos_theta), tensor_mul(dfdy0, sin_theta));
    Tensor *gap = tensor_sub(quotient, linear);
    for (int64_t i = 0; i < NDIRECTIONS; i++)
        print_fmt(run, "%8d%s%s%s%s", degrees[i], fixed(at(quotient, i), 10, 5).s,
                  fixed(at(exact, i), 10, 5).s, fixed(at(linear, i), 10, 5).s,
                  fixed(at(gap, i), 10, 5).s);
    Tensor *diagonal = tensor_div(tensor_sub(f(scalar(t), scalar(t)), py_float(f0)), py_float(t));
    print_fmt(run, "   Along e1 + e2 = (1, 1), D_v f(0) = %s, but along e1 plus",
              fixed(item(diagonal), 0, 5).s);
    print_fmt(run, "   along e2 it is %s + %s = %s.", fixed(item(dfdx0), 0, 5).s,
              fixed(item(dfdy0), 0, 5).s, fixed(item(tensor_add(dfdx0, dfdy0)), 0, 5).s);
    print_line(run, "   With D = 0 the definition's quotient (f(h) - f(0) - D(h))/|h| along h = t*v");
    print_line(run, "   is the quotient of table 1: it tends to cos²θ·sin θ, not to 0.");
    return dfdx0;
}

/* 3. ∂f/∂x along rays towards the origin. */
static void partial_along_rays(Run *run, Tensor *cos_theta, Tensor *sin_theta, Tensor *dfdx0) {
    static const double rs[] = {1e-2, 1e-4, 1e-6, 1e-8};
    print_line(run, "3. ∂f/∂x is not continuous at the origin.");
    print_line(run, "   Central differences (step h = r*1e-05) at x = r*cos θ, y = r*sin θ;");
    print_line(run, "   the last row is the limit along the ray, 2·cos θ·sin³θ:");
    header(run, "r \\ θ");
    for (size_t k = 0; k < sizeof rs / sizeof rs[0]; k++) {
        double r = rs[k];
        Tensor *x = tensor_mul(py_float(r), cos_theta), *y = tensor_mul(py_float(r), sin_theta);
        row(run, sci(r, 0, 0).s, dfdx_central(x, y, scalar(r * 1e-5)));
    }
    Tensor *limit = tensor_mul(tensor_mul(py_int(2), cos_theta), tensor_pow(sin_theta, py_int(3)));
    row(run, "limit", limit);
    print_fmt(run, "   The limit depends on θ, while ∂f/∂x(0, 0) = %s.", fixed(item(dfdx0), 0, 5).s);
}

/* 4. Which formula for ∂f/∂x the finite differences confirm. */
static void erratum(Run *run, double s2) {
    print_line(run, "4. Erratum: the section prints ∂f/∂x = 2xy³/(x²+y²); it is 2xy³/(x²+y²)².");
    print_line(run, "   Central differences (h = 1e-05) against the two formulas:");
    print_fmt(run, "%12s%12s%12s%12s", "(x, y)", "central", "corrected", "misprinted");
    Tensor *xs = vector(3, (double[]){1.0, 3.0, -1.0});
    Tensor *ys = vector(3, (double[]){2.0, 1.0, 0.5});
    Tensor *central = dfdx_central(xs, ys, scalar(1e-5));
    Tensor *corrected = dfdx_corrected(xs, ys), *misprinted = dfdx_misprinted(xs, ys);
    for (int64_t i = 0; i < 3; i++) {
        char point[2 * sizeof(Text) + 8];
        snprintf(point, sizeof point, "(%s, %s)", repr(at(xs, i)).s, repr(at(ys, i)).s);
        print_fmt(run, "%12s%s%s%s", point, fixed(at(central, i), 12, 5).s,
                  fixed(at(corrected, i), 12, 5).s, fixed(at(misprinted, i), 12, 5).s);
    }
    print_line(run, "   Along the ray θ = 45° the misprint is 2r²·cos θ·sin³θ, which tends to");
    print_line(run, "   ∂f/∂x(0, 0) = 0: it would make ∂f/∂x continuous, against the section.");
    print_fmt(run, "%12s%12s%12s", "r", "corrected", "misprinted");
    Tensor *rs = vector(4, (double[]){1e-1, 1e-2, 1e-3, 1e-4});
    Tensor *diagonal = tensor_mul(rs, py_float(s2));
    corrected = dfdx_corrected(diagonal, diagonal);
    misprinted = dfdx_misprinted(diagonal, diagonal);
    for (int64_t i = 0; i < 4; i++)
        print_fmt(run, "%s%s%s", sci(at(rs, i), 12, 0).s, fixed(at(corrected, i), 12, 5).s,
                  sci(at(misprinted, i), 12, 1).s);
}

/* x, y = float64 leaves at (x0, y0); f(x, y).backward() */
static void backward_at(Run *run, double x0, double y0, bool print_f) {
    Tensor *x = tensor_requires_grad_(scalar(x0), true);
    Tensor *y = tensor_requires_grad_(scalar(y0), true);
    Tensor *z = f(x, y);
    tensor_backward(z, NULL, false);
    if (print_f) print_named(run, "f      =", z);
    print_named(run, "x.grad =", tensor_grad(x));
    print_named(run, "y.grad =", tensor_grad(y));
}

/* 5. What autograd makes of the origin, and of a point where f is smooth. */
static void autograd(Run *run) {
    print_line(run, "5. Autograd at the origin: x = y = 0 (float64 leaves), f = y*x**2/(x**2 + y**2).");
    backward_at(run, 0.0, 0.0, true);
    print_line(run, "   Autograd differentiates the formula, which is 0/0 at the origin: nan, not");
    print_line(run, "   the partials (0, 0), and no sign that f has no derivative there. At (1, 2):");
    backward_at(run, 1.0, 2.0, false);
    print_line(run, "   x.grad is the corrected formula's 0.64, not the misprint's 3.2.");
}

/* 6. Truncation against rounding error as the step shrinks. */
static void step_size(Run *run) {
    enum { NSTEPS = 12 };
    print_line(run, "6. The step size: at (1, 2), the central difference against the exact 0.64.");
    print_line(run, "   Truncation error falls like h², rounding error grows like ε/h (ε ≈ 2.2e-16):");
    print_fmt(run, "%8s%20s%12s", "h", "central", "error");
    Tensor *hs = vector(NSTEPS, (double[NSTEPS]){1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8,
                                                 1e-9, 1e-10, 1e-11, 1e-12});
    Tensor *central = dfdx_central(scalar(1.0), scalar(2.0), hs);
    Tensor *error = tensor_sub(central, dfdx_corrected(scalar(1.0), scalar(2.0)));
    for (int64_t i = 0; i < NSTEPS; i++)
        print_fmt(run, "%s%s%s", sci(at(hs, i), 8, 0).s, fixed(at(central, i), 20, 14).s,
                  sci(at(error, i), 12, 1).s);
    print_line(run, "   The error is smallest for h between 1e-06 and 1e-05, around ε^(1/3) ≈ 6e-06;");
    print_line(run, "   below that, rounding takes over. Tables 3 and 4 use steps of that size.");
}

static int cell00_run(Run *run) {
    /* Directions v = (cos θ, sin θ). The components come from sqrt alone,
     * which every library rounds correctly, so they are the same bits as
     * the twin's (libm's cos and PyTorch's differ in the last bit). */
    const double s2 = sqrt(2.0) / 2, s3 = sqrt(3.0) / 2;
    Tensor *cos_theta = vector(NDIRECTIONS, (double[]){1.0, s3, s2, 0.5, 0.0, -s2, -s3, 0.5});
    Tensor *sin_theta = vector(NDIRECTIONS, (double[]){0.0, 0.5, s2, s3, 1.0, s2, -0.5, -s3});

    print_line(run, "f(x, y) = y*x**2/(x**2 + y**2), f(0, 0) = 0: is f differentiable at the origin?");
    print_line(run, "");
    Tensor *exact;
    Tensor *quotient = directional_derivatives(run, cos_theta, sin_theta, &exact);
    print_line(run, "");
    Tensor *dfdx0 = not_linear(run, cos_theta, sin_theta, quotient, exact);
    print_line(run, "");
    partial_along_rays(run, cos_theta, sin_theta, dfdx0);
    print_line(run, "");
    erratum(run, s2);
    print_line(run, "");
    autograd(run);
    print_line(run, "");
    step_size(run);
    return cell_status(run);
}

const Cell cell00_differentiability = {
    .number = 0,
    .name = "differentiability",
    .title = "Differentiability: a probe by finite differences",
    .narrative = cell00_differentiability_narrative,
    .python = cell00_differentiability_python,
    .run = cell00_run,
};
