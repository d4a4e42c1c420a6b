// highlight: through GNU source-highlight's library (see highlight.h).
// C++ because the library is; this file is the whole of the C++ in the
// app, and no exception leaves it.
extern "C" {
#include "strbuf.h"
#include "xml_escape.h"
}
#include "highlight.h"

#include <cstring>
#include <sstream>
#include <string>

#include <srchilite/sourcehighlight.h>

static void plain(StrBuf *out, const char *code, HighlightTarget target) {
    if (target == HIGHLIGHT_HTML)
        xml_escape(out, code, std::strlen(code));
    else
        nb_strbuf_append(out, code);
}

// htmlcss.outlang wraps the code in a comment and <pre><tt>; the page has
// its own <pre>.
static std::string html_body(const std::string &text) {
    std::string::size_type from = text.find("<pre><tt>"), to = text.rfind("</tt></pre>");
    if (from == std::string::npos || to == std::string::npos || to < from) return text;
    from += std::strlen("<pre><tt>");
    return text.substr(from, to - from);
}

extern "C" bool highlight_code(StrBuf *out, const char *code, HighlightLanguage language,
                               HighlightTarget target) {
    try {
        srchilite::SourceHighlight highlighter(target == HIGHLIGHT_HTML ? "htmlcss.outlang" : "esc.outlang");
        if (target == HIGHLIGHT_TERMINAL) highlighter.setStyleFile("esc.style");
        std::istringstream in(code);
        std::ostringstream result;
        highlighter.highlight(in, result, language == HIGHLIGHT_PYTHON ? "python.lang" : "c.lang");
        std::string text = target == HIGHLIGHT_HTML ? html_body(result.str()) : result.str();
        nb_strbuf_append_len(out, text.data(), text.size());
        return true;
    } catch (...) { // a missing .lang file, a bad_alloc: the code goes in plain
        plain(out, code, target);
        return false;
    }
}
