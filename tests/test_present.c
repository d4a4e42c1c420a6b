/* test_present: the presentation code under show, lesson and export: the
 * LaTeX-to-text table, taking formulas out of Markdown, the terminal
 * Markdown renderer, terminal widths, the chart readers and SVG, and the
 * atomic file writer. */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cells/registry.h"
#include "alloc.h"
#include "error.h"
#include "present/atomic_file.h"
#include "present/cell_files.h"
#include "present/cell_plots.h"
#include "present/latex_text.h"
#include "present/math_spans.h"
#include "present/md_term.h"
#include "present/svg_plot.h"
#include "present/term.h"
#include "strbuf.h"

/* ---- LaTeX as text ------------------------------------------------------- */

static const struct {
    const char *tex;
    const char *text;
} latex_cases[] = {
    /* the notebook's Differentiability section */
    {"f:\\mathbb{R}^d \\rightarrow \\mathbb{R}", "f: ℝᵈ → ℝ"},
    {"x \\in \\mathbb{R}^d", "x ∈ ℝᵈ"},
    {"\\lim_{h\\rightarrow 0} {f(x+h) - f(x) - D(h) \\over \\parallel h \\parallel}= 0",
     "lim_{h→0} (f(x + h) - f(x) - D(h))/‖h‖ = 0"},
    {"\\lim_{t\\rightarrow 0}  {f(x+tv) - f(x) \\over t}", "lim_{t→0} (f(x + tv) - f(x))/t"},
    {"(0,0,\\ldots,0,1,0,\\ldots,0)", "(0, 0, …, 0, 1, 0, …, 0)"},
    {"\\lim_{t\\rightarrow 0}  {f(x+te_i) - f(x) \\over t} = {\\partial f \\over \\partial x_i}, ",
     "lim_{t→0} (f(x + teᵢ) - f(x))/t = ∂f/∂xᵢ,"},
    {"D(h) = \\sum_{i=1}^d {\\partial f \\over \\partial x_i} h_i", "D(h) = Σᵢ₌₁ᵈ ∂f/∂xᵢ hᵢ"},
    {"f(x,y) = {yx^2 \\over x^2+y^2}.", "f(x, y) = yx²/(x² + y²)."},
    {"{\\partial f \\over \\partial x} = {2xy^3 \\over x^2+y^2}", "∂f/∂x = 2xy³/(x² + y²)"},
    {"{2xy^3 \\over x^2+y^2}\\biggr\\rvert_{x = r\\cos(\\theta),y= r\\sin(\\theta)}\n= 2 \\cos(\\theta) \\sin^3(\\theta)",
     "2xy³/(x² + y²)|_{x=r cos(θ),y=r sin(θ)} = 2 cos(θ) sin³(θ)"},
    {"x = r \\cos(\\theta)", "x = r cos(θ)"},
    {"r \\rightarrow 0", "r → 0"},
    {"\\theta.", "θ."},
    {" {\\partial ~ \\over \\partial x_j} w(x)", "∂/∂xⱼ w(x)"},
    /* the table's other entries */
    {"\\frac{a}{b}", "a/b"},
    {"\\frac{a+b}{2}", "(a + b)/2"},
    {"{a \\over b}", "a/b"},
    {"\\alpha\\beta\\Gamma\\omega", "αβΓω"},
    {"-x + y", "-x + y"},
    {"a = -b", "a = -b"},
    {"e^{-x}", "e⁻ˣ"},
    {"x^{q}", "x^q"},
    {"x^{10q}", "x^{10q}"},
    {"f'(x)", "f′(x)"},
    {"\\sqrt{x}", "√x"},
    {"\\sqrt{x+1}", "√(x + 1)"},
    {"\\text{if } x \\le 0", "if x ≤ 0"},
    {"a \\cdot b \\times c", "a · b × c"},
    {"\\left( x \\right)", "(x)"},
    {"\\left. x \\right|", "x|"},
    {"\\mathbb{N} \\subset \\mathbb{Z}", "ℕ ⊂ ℤ"},
    {"\\hat{x}", "x̂"},
    {"a \\\\ b", "a\nb"},
    {"\\unknown{x}", "\\unknownx"},
    {"", ""},
};

START_TEST(test_latex_table) {
    StrBuf out = STRBUF_INIT;
    latex_to_text(&out, latex_cases[_i].tex, strlen(latex_cases[_i].tex));
    ck_assert_msg(strcmp(nb_strbuf_cstr(&out), latex_cases[_i].text) == 0, "%s\n  gave '%s'\n  want '%s'",
                  latex_cases[_i].tex, nb_strbuf_cstr(&out), latex_cases[_i].text);
    nb_strbuf_free(&out);
}
END_TEST

START_TEST(test_latex_survives_bad_input) {
    static const char *const inputs[] = {"\\", "^", "_", "{", "}", "}}}{{{", "\\frac", "\\frac{a}",
                                         "x^", "\\sqrt[", "\\left", "\\over", "{\\over}", "\xff\xfe"};
    int64_t live = nb_alloc_stats().live_blocks;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        StrBuf out = STRBUF_INIT;
        latex_to_text(&out, inputs[i], strlen(inputs[i]));
        ck_assert(!out.failed);
        nb_strbuf_free(&out);
    }
    /* nesting far past any formula's: bounded, no stack exhaustion */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 1);
    ck_assert_ptr_nonnull(deep);
    memset(deep, '{', depth);
    memset(deep + depth, '}', depth);
    deep[2 * depth] = '\0';
    StrBuf out = STRBUF_INIT;
    latex_to_text(&out, deep, 2 * depth);
    nb_strbuf_free(&out);
    memset(deep, '^', 2 * depth);
    latex_to_text(&out, deep, 2 * depth);
    nb_strbuf_free(&out);
    free(deep);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
}
END_TEST

START_TEST(test_latex_survives_every_failed_allocation) {
    const char *tex = latex_cases[2].tex;
    for (int64_t k = 1; k < 400; k++) {
        int64_t live = nb_alloc_stats().live_blocks;
        StrBuf out = STRBUF_INIT;
        nb_alloc_fail_after(k);
        latex_to_text(&out, tex, strlen(tex));
        nb_alloc_fail_after(0);
        bool complete = !out.failed;
        if (complete) ck_assert_str_eq(nb_strbuf_cstr(&out), latex_cases[2].text);
        nb_strbuf_free(&out);
        ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
        if (complete) return;
    }
    ck_abort_msg("still failing after 400 allocations");
}
END_TEST

/* ---- formulas out of Markdown -------------------------------------------- */

START_TEST(test_math_extract) {
    const char *md = "A $x_i$ and `$code$` and \\$5, then\n\n$$\n\\sum_i\n$$\n\n$a\n\nb$ ~~~\n"
                     "```\n$fenced$\n```\n";
    MathText math;
    ck_assert_int_eq(math_extract(md, &math), 0);
    ck_assert_int_eq((int)math.nspans, 2);
    ck_assert(!math.spans[0].display);
    ck_assert(strncmp(math.spans[0].tex, "x_i", math.spans[0].len) == 0);
    ck_assert(math.spans[1].display);
    ck_assert(strncmp(math.spans[1].tex, "\n\\sum_i\n", math.spans[1].len) == 0);
    const char *text = nb_strbuf_cstr(&math.markdown);
    ck_assert_ptr_nonnull(strstr(text, "`$code$`"));
    ck_assert_ptr_nonnull(strstr(text, "\\$5"));
    ck_assert_ptr_nonnull(strstr(text, "$a\n\nb$"));
    ck_assert_ptr_nonnull(strstr(text, "$fenced$"));
    size_t len;
    const char *first = strchr(text, MATH_PLACEHOLDER_OPEN);
    ck_assert_int_eq(math_placeholder_at(&math, first, &len), 0);
    ck_assert_int_eq(math_placeholder_at(&math, "x", &len), -1);
    math_text_free(&math);
}
END_TEST

/* ---- Markdown for the terminal --------------------------------------------- */

static char *render(const char *md, bool color, int width) {
    StrBuf out = STRBUF_INIT;
    ck_assert_int_eq(md_term_render(&out, md, color, width), 0);
    char *text = nb_strdup(nb_strbuf_cstr(&out));
    nb_strbuf_free(&out);
    return text;
}

START_TEST(test_md_blocks) {
    char *text = render("# Title\n\n## **Sub**\n\nSome *emphasis* and `code`.\n\n"
                        "- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n    indented code\n\n"
                        "---\n\nA [link](http://example.org).\n",
                        false, 80);
    ck_assert_msg(strstr(text, "Title\n═════\n") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "Sub\n───\n") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "Some emphasis and `code`.") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "• one\n• two\n") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "1. first\n2. second\n") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "│ quoted\n") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "    indented code\n") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "A link <http://example.org>.") != NULL, "%s", text);
    ck_assert_ptr_null(strchr(text, '\033'));
    nb_free(text);
}
END_TEST

START_TEST(test_md_wraps_and_keeps_formulas_whole) {
    char *text = render("word word word word word word word word word word word word word "
                        "$\\lim_{h\\rightarrow 0} x$ end\n\n$$\n{a \\over b}\n$$\n",
                        false, 40);
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        ck_assert_int_le((int)term_text_width(line, (size_t)(nl - line)), 40);
        line = nl + 1;
    }
    ck_assert_msg(strstr(text, "lim_{h→0} x") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "\n    a/b\n") != NULL, "%s", text);
    ck_assert_ptr_null(strchr(text, '$'));
    nb_free(text);
}
END_TEST

START_TEST(test_md_color) {
    char *text = render("# Title\n\nSome **strong** $x$.\n", true, 80);
    ck_assert_ptr_nonnull(strstr(text, term_sgr(STYLE_HEADING)));
    ck_assert_ptr_nonnull(strstr(text, term_sgr(STYLE_STRONG)));
    ck_assert_ptr_nonnull(strstr(text, term_sgr(STYLE_MATH)));
    ck_assert_ptr_nonnull(strstr(text, TERM_RESET));
    nb_free(text);
}
END_TEST

START_TEST(test_term_text_width) {
    ck_assert_int_eq((int)term_text_width("abc", 3), 3);
    ck_assert_int_eq((int)term_text_width("\033[1;36mab\033[0m", strlen("\033[1;36mab\033[0m")), 2);
    ck_assert_int_eq((int)term_text_width("ℝᵈ → ℝ", strlen("ℝᵈ → ℝ")), 6);
    ck_assert_int_eq((int)term_text_width("x\u0302", strlen("x\u0302")), 1);
    TermColorChoice choice;
    ck_assert(term_parse_color("never", &choice) && choice == TERM_COLOR_NEVER);
    ck_assert(!term_parse_color("sometimes", &choice));
    ck_assert(term_use_color(TERM_COLOR_ALWAYS));
    ck_assert(!term_use_color(TERM_COLOR_NEVER));
    ck_assert_int_eq(term_width(123), 123);
}
END_TEST

/* Every narrative in the registry renders, in colour and not, at any width,
 * with no formula left as LaTeX and no memory left behind. */
START_TEST(test_every_narrative_renders) {
    for (size_t i = 0; i < cell_registry_count; i++) {
        const Cell *cell = cell_registry[i];
        for (int width = 20; width <= 200; width += 60)
            for (int color = 0; color < 2; color++) {
                int64_t live = nb_alloc_stats().live_blocks;
                StrBuf out = STRBUF_INIT;
                ck_assert_msg(md_term_render(&out, cell->narrative, color, width) == 0, "%s", cell->name);
                ck_assert_msg(strstr(nb_strbuf_cstr(&out), "$$") == NULL, "%s: %s", cell->name,
                              nb_strbuf_cstr(&out));
                nb_strbuf_free(&out);
                ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
            }
    }
}
END_TEST

/* The build embeds every registered cell's C, found by its file stem. */
START_TEST(test_every_cell_has_its_c_source) {
    for (size_t i = 0; i < cell_registry_count; i++) {
        const Cell *cell = cell_registry[i];
        char stem[128], needle[160];
        cell_file_stem(cell, stem, sizeof stem);
        snprintf(needle, sizeof needle, "const Cell %s =", stem);
        ck_assert_msg(strstr(cell_c_source(cell), needle) != NULL, "%s: no embedded C", stem);
    }
}
END_TEST

/* ---- charts ---------------------------------------------------------------- */

static const Cell timing_cell = {.number = 9, .name = "timing"};
static const Cell probe_cell = {.number = 0, .name = "differentiability"};
static const Cell plain_cell = {.number = 3, .name = "add"};

START_TEST(test_timing_bars) {
    Plot *plot = malloc(sizeof *plot);
    ck_assert_int_eq(cell_plot(&timing_cell, "3.085249333991669\n38.63678193092346\n", plot), 1);
    ck_assert_int_eq(plot->kind, PLOT_BARS);
    ck_assert_int_eq((int)plot->nbars, 2);
    ck_assert(plot->bar_values[0] == 3.085249333991669 && plot->bar_values[1] == 38.63678193092346);
    ck_assert_str_eq(plot->bar_labels[1], "torch.matmul (device)");
    ck_assert_int_eq(cell_plot_on(&timing_cell, "1.0\n2.0\n", "cpu", plot), 1);
    ck_assert_str_eq(plot->bar_labels[1], "torch.matmul (cpu)");
    ck_assert_int_eq(cell_plot(&timing_cell, "3.0\n", plot), 0);
    ck_assert_int_eq(cell_plot(&plain_cell, "1.0\n2.0\n", plot), 0);
    StrBuf svg = STRBUF_INIT;
    ck_assert_int_eq(cell_plot(&timing_cell, "0.5\n1.5\n", plot), 1);
    svg_plot(&svg, plot);
    const char *s = nb_strbuf_cstr(&svg);
    ck_assert(strncmp(s, "<svg", 4) == 0 && strstr(s, "</svg>\n") != NULL);
    ck_assert_ptr_nonnull(strstr(strstr(s, "<rect class=\"bar\"") + 1, "<rect class=\"bar\""));
    ck_assert_ptr_null(strstr(s, "http"));
    nb_strbuf_free(&svg);
    free(plot);
}
END_TEST

START_TEST(test_probe_lines) {
    const char *output = "1. a table that is not the one:\n"
                         "   t \\ θ  0°  30°\n   1e-01  0.0  0.375\n\n"
                         "2. the one:\n"
                         "   θ (°)  D_v f(0)     exact      D(v)       gap\n"
                         "       0   0.00000   0.00000   0.00000   0.00000\n"
                         "      30   0.37500   0.37500   0.00000   0.37500\n"
                         "      90   0.00000   0.00000   0.00000   0.00000\n"
                         "   after the table\n";
    Plot *plot = malloc(sizeof *plot);
    ck_assert_int_eq(cell_plot(&probe_cell, output, plot), 1);
    ck_assert_int_eq(plot->kind, PLOT_LINES);
    ck_assert_int_eq((int)plot->nseries, 2);
    ck_assert_int_eq((int)plot->series[0].n, 3);
    ck_assert(plot->series[0].x[1] == 30 && plot->series[0].y[1] == 0.375);
    /* the exact derivative: the curve cos²θ·sin θ as a line over 0..90° */
    ck_assert_int_eq(plot->series[1].style, PLOT_LINE);
    ck_assert_int_eq(plot->series[0].style, PLOT_DOTS);
    ck_assert_uint_gt(plot->series[1].n, 100);
    size_t last = plot->series[1].n - 1;
    ck_assert(plot->series[1].x[0] == 0 && plot->series[1].x[last] == 90);
    double at = plot->series[1].x[last / 3] * (3.14159265358979323846 / 180.0);
    ck_assert(fabs(plot->series[1].y[last / 3] - cos(at) * cos(at) * sin(at)) < 1e-15);
    ck_assert_str_eq(plot->x_label, "θ (°)");
    ck_assert_str_eq(plot->series[1].name, "exact: cos²θ·sin θ");
    StrBuf svg = STRBUF_INIT;
    svg_plot(&svg, plot);
    ck_assert_ptr_nonnull(strstr(nb_strbuf_cstr(&svg), "<circle"));
    nb_strbuf_free(&svg);
    ck_assert_int_eq(cell_plot(&probe_cell, "θ (°)  a  b\nno rows\n", plot), 0);
    free(plot);
}
END_TEST

/* ---- writing files whole --------------------------------------------------- */

START_TEST(test_atomic_write) {
    char dir[] = "/tmp/test_present-" "XX" "XX" "XX"; /* mkdtemp's six X's */
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256], missing[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    snprintf(missing, sizeof missing, "%s/no/such/out.txt", dir);
    ck_assert_int_eq(atomic_write_file(path, "new\n", 4), 0);
    FILE *f = fopen(path, "r");
    char buf[16] = {0};
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq((int)fread(buf, 1, sizeof buf - 1, f), 4);
    fclose(f);
    ck_assert_str_eq(buf, "new\n");
    ck_assert_int_eq(atomic_write_file(missing, "x", 1), -1);
    ck_assert_ptr_nonnull(strstr(nb_error_message(), "cannot write"));
    nb_error_clear();
    ck_assert_int_eq(atomic_write_file(dir, "x", 1), -1); /* a folder is in the way */
    nb_error_clear();
    DIR *d = opendir(dir);
    int entries = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) entries += e->d_name[0] != '.';
    closedir(d);
    ck_assert_int_eq(entries, 1);
    unlink(path);
    rmdir(dir);
}
END_TEST

static Suite *present_suite(void) {
    Suite *s = suite_create("present");
    TCase *latex = tcase_create("latex");
    tcase_add_loop_test(latex, test_latex_table, 0, (int)(sizeof latex_cases / sizeof latex_cases[0]));
    tcase_add_test(latex, test_latex_survives_bad_input);
    tcase_add_test(latex, test_latex_survives_every_failed_allocation);
    suite_add_tcase(s, latex);
    TCase *markdown = tcase_create("markdown");
    tcase_add_test(markdown, test_math_extract);
    tcase_add_test(markdown, test_md_blocks);
    tcase_add_test(markdown, test_md_wraps_and_keeps_formulas_whole);
    tcase_add_test(markdown, test_md_color);
    tcase_add_test(markdown, test_term_text_width);
    tcase_add_test(markdown, test_every_narrative_renders);
    tcase_add_test(markdown, test_every_cell_has_its_c_source);
    suite_add_tcase(s, markdown);
    TCase *charts = tcase_create("charts");
    tcase_add_test(charts, test_timing_bars);
    tcase_add_test(charts, test_probe_lines);
    suite_add_tcase(s, charts);
    TCase *files = tcase_create("files");
    tcase_add_test(files, test_atomic_write);
    suite_add_tcase(s, files);
    return s;
}

int main(void) {
    SRunner *runner = srunner_create(present_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
