/* export_html: the notebook as one self-contained HTML page: narratives
 * rendered by cmark, mathematics typeset in the browser by KaTeX (its
 * script, auto-render and stylesheet with fonts inlined; katex_assets.h),
 * each cell's Python, its C replay (folded), its output, and for the cells
 * cell_plots.h knows, an SVG chart. Nothing on the page is fetched from
 * anywhere: it reads the same offline. */
#include "export.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "cell_files.h"
#include "cell_plots.h"
#include "highlight.h"
#include "katex_assets.h"
#include "math_spans.h"
#include "svg_plot.h"
#include "xml_escape.h"

#ifndef NBREPLAY_VERSION
#define NBREPLAY_VERSION "unknown"
#endif

static const char page_css[] =
    "body{margin:0;font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1f2328;background:#f6f8fa}\n"
    "main,header.banner,nav{max-width:60rem;margin:0 auto;padding:0 1.5rem}\n"
    "header.banner{padding-top:1rem;color:#57606a;font-size:.9rem}\n"
    "h1.page-title{max-width:60rem;margin:0 auto;padding:1.2rem 1.5rem 0;font-size:1.9rem}\n"
    "nav ol{columns:2;font-size:.9rem;padding-left:0;list-style:none}\n"
    "nav .prompt-label{font:600 .8rem ui-monospace,monospace;color:#303f9f;display:inline-block;"
    "min-width:4.6rem}\n"
    "nav a{color:#0969da;text-decoration:none}\n"
    "section.cell{background:#fff;border:1px solid #d0d7de;border-radius:8px;"
    "margin:1.2rem 0;padding:.4rem 1.4rem 1rem}\n"
    ".narrative h1,.narrative h2{border-bottom:1px solid #d8dee4;padding-bottom:.3rem}\n"
    ".prompt{font:600 .85rem ui-monospace,monospace;margin:.8rem 0 .2rem}\n"
    ".input .prompt{color:#303f9f}.output .prompt{color:#d84315}\n"
    "pre{font:.85rem/1.45 ui-monospace,'DejaVu Sans Mono',monospace;overflow-x:auto;"
    "padding:.7rem 1rem;border-radius:6px;margin:0}\n"
    ".input pre{background:#f3f5fa;border-left:3px solid #303f9f}\n"
    ".output pre{background:#fff;border:1px solid #e5e8ec}\n"
    "details.c-source{margin:.6rem 0}details.c-source summary{cursor:pointer;color:#57606a;"
    "font-size:.9rem}\n"
    "details.c-source pre{background:#f7f3ea;border-left:3px solid #b08800;margin-top:.4rem}\n"
    "figure.plot{margin:1rem 0 .2rem}figure.plot svg{max-width:100%;height:auto;"
    "border:1px solid #e5e8ec;border-radius:6px}\n"
    "figcaption{color:#57606a;font-size:.85rem;margin-top:.3rem}\n"
    ".katex-display{overflow-x:auto;overflow-y:hidden}\n"
    /* source-highlight's classes (htmlcss.outlang), in GitHub's light colours */
    "pre .keyword{color:#cf222e;font-weight:600}pre .type{color:#8250df}"
    "pre .string{color:#0a3069}pre .comment{color:#6e7781;font-style:italic}"
    "pre .number{color:#0550ae}pre .function{color:#6639ba}pre .preproc{color:#953800}"
    "pre .symbol{color:#57606a}pre .usertype{color:#8250df}pre .specialchar{color:#0a3069}\n";

#define PAGE_TITLE "PyTorch tutorial, replayed by nbreplay"

/* auto-render reads the $...$ that the narratives keep; code and outputs
 * are never mathematics. */
static const char render_math_js[] =
    "renderMathInElement(document.body,{delimiters:["
    "{left:'$$',right:'$$',display:true},{left:'$',right:'$',display:false}],"
    "ignoredTags:['script','noscript','style','textarea','pre','code','svg'],"
    "throwOnError:false});\n";

static void escaped(StrBuf *out, const char *text) {
    xml_escape(out, text, strlen(text));
}

/* Appends cmark's HTML for a narrative with formulas put back as $...$ for
 * KaTeX. Any other '$' in the text is a literal dollar (the formulas were
 * all taken out before cmark ran): it goes into a <span> of its own, where
 * auto-render, which reads each run of text separately, cannot pair it. */
static int narrative_html(StrBuf *out, const char *markdown) {
    MathText math;
    if (math_extract(markdown, &math) != 0) return -1;
    char *html = cmark_markdown_to_html(nb_strbuf_cstr(&math.markdown), math.markdown.len,
                                        CMARK_OPT_DEFAULT);
    if (!html) {
        math_text_free(&math);
        return nb_error_nomem();
    }
    bool in_tag = false;
    for (const char *s = html; *s;) {
        size_t len;
        long index = math_placeholder_at(&math, s, &len);
        if (index >= 0) {
            const MathSpan *span = &math.spans[index];
            const char *delim = span->display ? "$$" : "$";
            nb_strbuf_append(out, delim);
            xml_escape(out, span->tex, span->len);
            nb_strbuf_append(out, delim);
            s += len;
            continue;
        }
        if (*s == '<') in_tag = true;
        if (*s == '>') in_tag = false;
        if (*s == '$' && !in_tag)
            nb_strbuf_append(out, "<span>$</span>");
        else
            nb_strbuf_append_char(out, *s);
        s++;
    }
    free(html);
    math_text_free(&math);
    return 0;
}

static void asset(StrBuf *out, const char *open, const unsigned char *data, size_t len,
                  const char *close) {
    nb_strbuf_append(out, open);
    nb_strbuf_append_len(out, (const char *)data, len);
    nb_strbuf_append(out, close);
}

static void prompt_label(StrBuf *out, const Cell *cell) {
    if (cell->number > 0)
        nb_strbuf_printf(out, "In [%d]:", cell->number);
    else
        nb_strbuf_printf(out, "In [%s]:", cell->name);
}

static void navigation(StrBuf *out, const ExportDoc *doc) {
    nb_strbuf_append(out, "<nav><ol>\n");
    for (size_t i = 0; i < doc->ncells; i++) {
        const Cell *cell = doc->cells[i].cell;
        /* the list is unnumbered: the In [n] label is the number, and our
         * own cell (between 10 and 11) must not shift the rest */
        nb_strbuf_printf(out, "<li><a href=\"#cell-%s\"><span class=\"prompt-label\">", cell->name);
        prompt_label(out, cell);
        nb_strbuf_append(out, "</span> ");
        escaped(out, cell->title);
        nb_strbuf_append(out, "</a></li>\n");
    }
    nb_strbuf_append(out, "</ol></nav>\n");
}

static int cell_section(StrBuf *out, const ExportCell *ec, Device device) {
    const Cell *cell = ec->cell;
    char stem[128];
    cell_file_stem(cell, stem, sizeof stem);
    nb_strbuf_printf(out, "<section class=\"cell\" id=\"cell-%s\">\n", cell->name);
    if (cell->narrative[strspn(cell->narrative, " \n\t")] != '\0') {
        nb_strbuf_append(out, "<div class=\"narrative\">\n");
        if (narrative_html(out, cell->narrative) != 0) return -1;
        nb_strbuf_append(out, "</div>\n");
    }
    nb_strbuf_append(out, "<div class=\"input\"><div class=\"prompt\">");
    prompt_label(out, cell);
    nb_strbuf_append(out, "</div><pre><code class=\"language-python\">");
    highlight_code(out, cell->python, HIGHLIGHT_PYTHON, HIGHLIGHT_HTML);
    nb_strbuf_append(out, "</code></pre></div>\n");
    nb_strbuf_printf(out, "<details class=\"c-source\"><summary>The C that replays it: "
                       "cells/%s.c</summary><pre><code class=\"language-c\">", stem);
    highlight_code(out, cell_c_source(cell), HIGHLIGHT_C, HIGHLIGHT_HTML);
    nb_strbuf_append(out, "</code></pre></details>\n");
    if (ec->output.len > 0) {
        nb_strbuf_append(out, "<div class=\"output\"><div class=\"prompt\">Out:</div><pre>");
        escaped(out, ec->output.data);
        nb_strbuf_append(out, "</pre></div>\n");
    }
    Plot *plot = nb_malloc(sizeof *plot);
    if (!plot) return nb_error_nomem();
    if (cell_plot_on(cell, nb_strbuf_cstr(&ec->output), nb_device_name(device), plot)) {
        nb_strbuf_append(out, "<figure class=\"plot\">\n");
        svg_plot(out, plot);
        nb_strbuf_append(out, "<figcaption>");
        escaped(out, plot->caption);
        nb_strbuf_append(out, "</figcaption></figure>\n");
    }
    nb_free(plot);
    nb_strbuf_append(out, "</section>\n");
    return 0;
}

int export_html(StrBuf *out, const ExportDoc *doc) {
    nb_strbuf_printf(out,
                  "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<meta name=\"generator\" content=\"nbreplay %s, KaTeX %s\">\n"
                  "<title>" PAGE_TITLE "</title>\n",
                  NBREPLAY_VERSION, katex_version);
    asset(out, "<style>\n", katex_css, katex_css_len, "\n</style>\n");
    nb_strbuf_append(out, "<style>\n");
    nb_strbuf_append(out, page_css);
    nb_strbuf_append(out, "</style>\n</head>\n<body>\n");
    nb_strbuf_append(out, "<h1 class=\"page-title\">" PAGE_TITLE "</h1>\n");
    nb_strbuf_printf(out,
                  "<header class=\"banner\">The PyTorch tutorial notebook, replayed cell by cell by "
                  "nbreplay %s (seed %u): every output on this page was printed by the cell's C "
                  "replay.</header>\n",
                  NBREPLAY_VERSION, (unsigned)doc->seed);
    navigation(out, doc);
    nb_strbuf_append(out, "<main>\n");
    for (size_t i = 0; i < doc->ncells; i++)
        if (cell_section(out, &doc->cells[i], doc->device) != 0) return -1;
    nb_strbuf_append(out, "</main>\n");
    asset(out, "<script>\n", katex_js, katex_js_len, "\n</script>\n");
    asset(out, "<script>\n", katex_auto_render_js, katex_auto_render_js_len, "\n</script>\n");
    nb_strbuf_append(out, "<script>\n");
    nb_strbuf_append(out, render_math_js);
    nb_strbuf_append(out, "</script>\n</body>\n</html>\n");
    return out->failed ? nb_error_nomem() : 0;
}
