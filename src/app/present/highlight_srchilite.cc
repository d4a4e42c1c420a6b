// nbreplay-highlight.so: GNU source-highlight behind a C entry
// (highlight_module.h). C++ because the library is; this module is the
// whole of the C++ in nbreplay, and no exception leaves it.
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include <srchilite/sourcehighlight.h>

extern "C" {
#include "highlight_module.h"
}

// htmlcss.outlang wraps the code in a comment and <pre><tt>; the page has
// its own <pre>.
static std::string html_body(const std::string &text) {
    std::string::size_type from = text.find("<pre><tt>"), to = text.rfind("</tt></pre>");
    if (from == std::string::npos || to == std::string::npos || to < from) return text;
    from += std::strlen("<pre><tt>");
    return text.substr(from, to - from);
}

extern "C" __attribute__((visibility("default"))) char *nb_highlight_module_code(const char *code, int language,
                                                                                 int target, size_t *len) {
    try {
        srchilite::SourceHighlight highlighter(target == 1 ? "htmlcss.outlang" : "esc.outlang");
        if (target == 0) highlighter.setStyleFile("esc.style");
        std::istringstream in(code);
        std::ostringstream result;
        highlighter.highlight(in, result, language == 0 ? "python.lang" : "c.lang");
        std::string text = target == 1 ? html_body(result.str()) : result.str();
        char *out = static_cast<char *>(std::malloc(text.size() + 1));
        if (!out) return nullptr;
        std::memcpy(out, text.data(), text.size());
        out[text.size()] = '\0';
        *len = text.size();
        return out;
    } catch (...) { // a missing .lang file, a bad_alloc: the caller shows the code plain
        return nullptr;
    }
}

extern "C" __attribute__((visibility("default"))) void nb_highlight_module_free(char *text) {
    std::free(text);
}
