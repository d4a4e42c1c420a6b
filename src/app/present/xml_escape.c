/* xml_escape: escaping for XML and HTML (see xml_escape.h). */
#include "xml_escape.h"

void xml_escape(StrBuf *out, const char *text, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        switch (c) {
        case '&': nb_strbuf_append(out, "&amp;"); break;
        case '<': nb_strbuf_append(out, "&lt;"); break;
        case '>': nb_strbuf_append(out, "&gt;"); break;
        case '"': nb_strbuf_append(out, "&quot;"); break;
        default:
            if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
                nb_strbuf_append_char(out, '?');
            else
                nb_strbuf_append_char(out, (char)c);
        }
    }
}
