/* latex_text: LaTeX mathematics as readable text (see latex_text.h).
 *
 * The source is read into a list of atoms, each with TeX's class (ordinary,
 * large operator, binary operator, relation, opening, closing, punctuation,
 * inner: fractions), and joined with TeX's inter-atom spacing table, so
 * `x\in\mathbb{R}^d` and `x \in \mathbb{R} ^ d` both read "x ∈ ℝᵈ". A
 * brace group is one atom, a group holding \over a fraction; scripts are
 * glued to the atom before them. Everything a command turns into comes from
 * the tables below. */
#include "latex_text.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "alloc.h"

typedef enum { ORD, OP, BIN, REL, OPEN, CLOSE, PUNCT, INNER, SPACE } AtomClass;

/* Spaces between two atoms, from TeX's table (The TeXbook, ch. 18): 0 none,
 * 1 always, 2 only outside scripts. Rows: the left atom; columns: the right.
 * One change: no space between a fraction and punctuation, which TeX's
 * thin space allows but a text space would make read as "a/b ,". */
static const unsigned char spacing[8][8] = {
    /*            ORD OP BIN REL OPEN CLOSE PUNCT INNER */
    /* ORD   */ {0, 1, 2, 2, 0, 0, 0, 2},
    /* OP    */ {1, 1, 0, 2, 0, 0, 0, 2},
    /* BIN   */ {2, 2, 0, 0, 2, 0, 0, 2},
    /* REL   */ {2, 2, 0, 0, 2, 0, 0, 2},
    /* OPEN  */ {0, 0, 0, 0, 0, 0, 0, 0},
    /* CLOSE */ {0, 1, 2, 2, 0, 0, 0, 2},
    /* PUNCT */ {2, 2, 0, 2, 2, 2, 2, 2},
    /* INNER */ {2, 1, 2, 2, 2, 0, 0, 2},
};

typedef struct {
    const char *name;
    const char *text;
    AtomClass cls;
} Symbol;

/* Control words that stand for one symbol. \parallel and \Vert are
 * ordinary here (TeX makes \parallel a relation) because the notebook
 * writes norms with them: \parallel h \parallel reads ‖h‖. */
static const Symbol symbols[] = {
    /* Greek */
    {"alpha", "α", ORD}, {"beta", "β", ORD}, {"gamma", "γ", ORD}, {"delta", "δ", ORD},
    {"epsilon", "ϵ", ORD}, {"varepsilon", "ε", ORD}, {"zeta", "ζ", ORD}, {"eta", "η", ORD},
    {"theta", "θ", ORD}, {"vartheta", "ϑ", ORD}, {"iota", "ι", ORD}, {"kappa", "κ", ORD},
    {"lambda", "λ", ORD}, {"mu", "μ", ORD}, {"nu", "ν", ORD}, {"xi", "ξ", ORD},
    {"pi", "π", ORD}, {"varpi", "ϖ", ORD}, {"rho", "ρ", ORD}, {"varrho", "ϱ", ORD},
    {"sigma", "σ", ORD}, {"varsigma", "ς", ORD}, {"tau", "τ", ORD}, {"upsilon", "υ", ORD},
    {"phi", "ϕ", ORD}, {"varphi", "φ", ORD}, {"chi", "χ", ORD}, {"psi", "ψ", ORD},
    {"omega", "ω", ORD}, {"Gamma", "Γ", ORD}, {"Delta", "Δ", ORD}, {"Theta", "Θ", ORD},
    {"Lambda", "Λ", ORD}, {"Xi", "Ξ", ORD}, {"Pi", "Π", ORD}, {"Sigma", "Σ", ORD},
    {"Upsilon", "Υ", ORD}, {"Phi", "Φ", ORD}, {"Psi", "Ψ", ORD}, {"Omega", "Ω", ORD},
    /* ordinary symbols */
    {"partial", "∂", ORD}, {"nabla", "∇", ORD}, {"infty", "∞", ORD}, {"forall", "∀", ORD},
    {"exists", "∃", ORD}, {"nexists", "∄", ORD}, {"emptyset", "∅", ORD},
    {"varnothing", "∅", ORD}, {"neg", "¬", ORD}, {"lnot", "¬", ORD}, {"ell", "ℓ", ORD},
    {"hbar", "ℏ", ORD}, {"Re", "ℜ", ORD}, {"Im", "ℑ", ORD}, {"aleph", "ℵ", ORD},
    {"prime", "′", ORD}, {"ldots", "…", ORD}, {"dots", "…", ORD}, {"cdots", "⋯", ORD},
    {"vdots", "⋮", ORD}, {"ddots", "⋱", ORD}, {"angle", "∠", ORD}, {"top", "⊤", ORD},
    {"bot", "⊥", ORD}, {"parallel", "‖", ORD}, {"Vert", "‖", ORD}, {"vert", "|", ORD},
    {"backslash", "\\", ORD},
    /* delimiters */
    {"lvert", "|", OPEN}, {"rvert", "|", CLOSE}, {"lVert", "‖", OPEN}, {"rVert", "‖", CLOSE},
    {"langle", "⟨", OPEN}, {"rangle", "⟩", CLOSE}, {"lfloor", "⌊", OPEN}, {"rfloor", "⌋", CLOSE},
    {"lceil", "⌈", OPEN}, {"rceil", "⌉", CLOSE}, {"lbrace", "{", OPEN}, {"rbrace", "}", CLOSE},
    /* binary operators */
    {"pm", "±", BIN}, {"mp", "∓", BIN}, {"times", "×", BIN}, {"cdot", "·", BIN},
    {"div", "÷", BIN}, {"ast", "∗", BIN}, {"star", "⋆", BIN}, {"circ", "∘", BIN},
    {"bullet", "∙", BIN}, {"cap", "∩", BIN}, {"cup", "∪", BIN}, {"wedge", "∧", BIN},
    {"land", "∧", BIN}, {"vee", "∨", BIN}, {"lor", "∨", BIN}, {"setminus", "∖", BIN},
    {"oplus", "⊕", BIN}, {"otimes", "⊗", BIN},
    /* relations */
    {"rightarrow", "→", REL}, {"to", "→", REL}, {"leftarrow", "←", REL}, {"gets", "←", REL},
    {"Rightarrow", "⇒", REL}, {"Leftarrow", "⇐", REL}, {"leftrightarrow", "↔", REL},
    {"Leftrightarrow", "⇔", REL}, {"implies", "⟹", REL}, {"iff", "⟺", REL},
    {"mapsto", "↦", REL}, {"longrightarrow", "⟶", REL}, {"longmapsto", "⟼", REL},
    {"in", "∈", REL}, {"notin", "∉", REL}, {"ni", "∋", REL}, {"subset", "⊂", REL},
    {"subseteq", "⊆", REL}, {"supset", "⊃", REL}, {"supseteq", "⊇", REL}, {"le", "≤", REL},
    {"leq", "≤", REL}, {"ge", "≥", REL}, {"geq", "≥", REL}, {"ne", "≠", REL},
    {"neq", "≠", REL}, {"approx", "≈", REL}, {"equiv", "≡", REL}, {"sim", "∼", REL},
    {"simeq", "≃", REL}, {"cong", "≅", REL}, {"propto", "∝", REL}, {"ll", "≪", REL},
    {"gg", "≫", REL}, {"perp", "⊥", REL}, {"mid", "|", REL}, {"coloneqq", "≔", REL},
    /* large operators */
    {"sum", "Σ", OP}, {"prod", "Π", OP}, {"coprod", "∐", OP}, {"int", "∫", OP},
    {"iint", "∬", OP}, {"iiint", "∭", OP}, {"oint", "∮", OP}, {"bigcup", "⋃", OP},
    {"bigcap", "⋂", OP}, {"bigoplus", "⨁", OP}, {"bigotimes", "⨂", OP},
    /* operator names */
    {"lim", "lim", OP}, {"liminf", "lim inf", OP}, {"limsup", "lim sup", OP},
    {"sin", "sin", OP}, {"cos", "cos", OP}, {"tan", "tan", OP}, {"cot", "cot", OP},
    {"sec", "sec", OP}, {"csc", "csc", OP}, {"arcsin", "arcsin", OP},
    {"arccos", "arccos", OP}, {"arctan", "arctan", OP}, {"sinh", "sinh", OP},
    {"cosh", "cosh", OP}, {"tanh", "tanh", OP}, {"log", "log", OP}, {"ln", "ln", OP},
    {"lg", "lg", OP}, {"exp", "exp", OP}, {"max", "max", OP}, {"min", "min", OP},
    {"sup", "sup", OP}, {"inf", "inf", OP}, {"det", "det", OP}, {"dim", "dim", OP},
    {"ker", "ker", OP}, {"deg", "deg", OP}, {"arg", "arg", OP}, {"gcd", "gcd", OP},
    {"Pr", "Pr", OP}, {"argmax", "argmax", OP}, {"argmin", "argmin", OP},
    /* spacing */
    {"quad", "  ", SPACE}, {"qquad", "    ", SPACE},
};

/* Commands that only size or style what follows; the text ignores them. */
static const char *const ignored[] = {
    "left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl",
    "Bigr", "biggl", "biggr", "Biggl", "Biggr", "bigm", "Bigm", "displaystyle",
    "textstyle", "scriptstyle", "scriptscriptstyle", "limits", "nolimits", "nonumber",
};

typedef enum { ARG_FRAC, ARG_SQRT, ARG_PLAIN, ARG_BLACKBOARD, ARG_TEXT, ARG_OPNAME, ARG_ACCENT } ArgKind;

/* Commands that take arguments. For accents, `mark` is the combining
 * character put after a one-letter argument. */
static const struct {
    const char *name;
    ArgKind kind;
    const char *mark;
} arg_commands[] = {
    {"frac", ARG_FRAC, NULL},        {"dfrac", ARG_FRAC, NULL},       {"tfrac", ARG_FRAC, NULL},
    {"sqrt", ARG_SQRT, NULL},        {"mathbb", ARG_BLACKBOARD, NULL},
    {"mathrm", ARG_PLAIN, NULL},     {"mathit", ARG_PLAIN, NULL},     {"mathbf", ARG_PLAIN, NULL},
    {"mathsf", ARG_PLAIN, NULL},     {"mathtt", ARG_PLAIN, NULL},     {"mathcal", ARG_PLAIN, NULL},
    {"boldsymbol", ARG_PLAIN, NULL}, {"bm", ARG_PLAIN, NULL},         {"text", ARG_TEXT, NULL},
    {"textrm", ARG_TEXT, NULL},      {"textit", ARG_TEXT, NULL},      {"textbf", ARG_TEXT, NULL},
    {"mbox", ARG_TEXT, NULL},        {"operatorname", ARG_OPNAME, NULL},
    {"hat", ARG_ACCENT, "\u0302"},   {"widehat", ARG_ACCENT, "\u0302"},
    {"bar", ARG_ACCENT, "\u0304"},   {"overline", ARG_ACCENT, "\u0305"},
    {"tilde", ARG_ACCENT, "\u0303"}, {"widetilde", ARG_ACCENT, "\u0303"},
    {"dot", ARG_ACCENT, "\u0307"},   {"ddot", ARG_ACCENT, "\u0308"},
    {"vec", ARG_ACCENT, "\u20d7"},
};

/* Unicode superscript and subscript forms of the ASCII characters that
 * have one; a script made only of these is written with them. */
static const char *const superscript[128] = {
    ['0'] = "⁰", ['1'] = "¹", ['2'] = "²", ['3'] = "³", ['4'] = "⁴", ['5'] = "⁵",
    ['6'] = "⁶", ['7'] = "⁷", ['8'] = "⁸", ['9'] = "⁹", ['+'] = "⁺", ['-'] = "⁻",
    ['='] = "⁼", ['('] = "⁽", [')'] = "⁾", ['a'] = "ᵃ", ['b'] = "ᵇ", ['c'] = "ᶜ",
    ['d'] = "ᵈ", ['e'] = "ᵉ", ['f'] = "ᶠ", ['g'] = "ᵍ", ['h'] = "ʰ", ['i'] = "ⁱ",
    ['j'] = "ʲ", ['k'] = "ᵏ", ['l'] = "ˡ", ['m'] = "ᵐ", ['n'] = "ⁿ", ['o'] = "ᵒ",
    ['p'] = "ᵖ", ['r'] = "ʳ", ['s'] = "ˢ", ['t'] = "ᵗ", ['u'] = "ᵘ", ['v'] = "ᵛ",
    ['w'] = "ʷ", ['x'] = "ˣ", ['y'] = "ʸ", ['z'] = "ᶻ", ['T'] = "ᵀ",
};
static const char *const subscript[128] = {
    ['0'] = "₀", ['1'] = "₁", ['2'] = "₂", ['3'] = "₃", ['4'] = "₄", ['5'] = "₅",
    ['6'] = "₆", ['7'] = "₇", ['8'] = "₈", ['9'] = "₉", ['+'] = "₊", ['-'] = "₋",
    ['='] = "₌", ['('] = "₍", [')'] = "₎", ['a'] = "ₐ", ['e'] = "ₑ", ['h'] = "ₕ",
    ['i'] = "ᵢ", ['j'] = "ⱼ", ['k'] = "ₖ", ['l'] = "ₗ", ['m'] = "ₘ", ['n'] = "ₙ",
    ['o'] = "ₒ", ['p'] = "ₚ", ['r'] = "ᵣ", ['s'] = "ₛ", ['t'] = "ₜ", ['u'] = "ᵤ",
    ['v'] = "ᵥ", ['x'] = "ₓ",
};

/* Blackboard-bold letters that live in the Letterlike Symbols block rather
 * than in the run of Mathematical Double-Struck capitals. */
static const char *const blackboard_exceptions[26] = {
    ['C' - 'A'] = "ℂ", ['H' - 'A'] = "ℍ", ['N' - 'A'] = "ℕ", ['P' - 'A'] = "ℙ",
    ['Q' - 'A'] = "ℚ", ['R' - 'A'] = "ℝ", ['Z' - 'A'] = "ℤ",
};

/* Nesting deeper than this is read as plain characters, so no input can
 * exhaust the stack. */
#define MAX_DEPTH 64

typedef struct {
    AtomClass cls;
    StrBuf text;
} Atom;

typedef struct {
    Atom *atoms;
    size_t n, cap;
} AtomList;

typedef struct {
    const char *s, *end;
    int depth;
    StrBuf *out; /* where failure is reported */
} Parser;

static void list_free(AtomList *list) {
    for (size_t i = 0; i < list->n; i++) nb_strbuf_free(&list->atoms[i].text);
    nb_free(list->atoms);
    *list = (AtomList){0};
}

/* The new last atom, or NULL out of memory (then out->failed is set). */
static Atom *list_push(Parser *p, AtomList *list, AtomClass cls, const char *text, size_t len) {
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 8;
        Atom *atoms = nb_realloc(list->atoms, cap * sizeof *atoms);
        if (!atoms) {
            p->out->failed = true;
            return NULL;
        }
        list->atoms = atoms;
        list->cap = cap;
    }
    Atom *atom = &list->atoms[list->n++];
    *atom = (Atom){cls, STRBUF_INIT};
    nb_strbuf_append_len(&atom->text, text, len);
    if (atom->text.failed) p->out->failed = true;
    return atom;
}

static void encode_utf8(StrBuf *out, unsigned long cp) {
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (char)(0x80 | (cp >> 6 & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    nb_strbuf_append_len(out, b, n);
}

/* Bytes in the UTF-8 sequence that starts with byte c. */
static size_t utf8_length(unsigned char c) {
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static bool single_code_point(const char *text) {
    size_t len = strlen(text);
    return len > 0 && utf8_length((unsigned char)text[0]) == len;
}

static void skip_space(Parser *p) {
    while (p->s < p->end && isspace((unsigned char)*p->s)) p->s++;
}

/* Removes leading and trailing spaces and turns each run of spaces into
 * one. */
static void squeeze(const char *text, StrBuf *out) {
    bool pending = false;
    size_t start = out->len;
    for (const char *c = text; *c; c++) {
        if (*c == ' ') {
            pending = out->len > start && out->data[out->len - 1] != '\n';
            continue;
        }
        if (pending && *c != '\n') nb_strbuf_append_char(out, ' ');
        pending = false;
        nb_strbuf_append_char(out, *c);
    }
}

static void render(AtomList *list, bool script, StrBuf *out);
static void parse_token(Parser *p, AtomList *list, bool script);

/* Reads atoms up to the closing brace (when `braced`) or the end, and
 * renders them; a group with \over becomes a fraction. Returns whether it
 * was one. */
static bool parse_group(Parser *p, bool script, bool braced, StrBuf *out);

/* One argument: a brace group or a single token, rendered. */
static void parse_arg(Parser *p, bool script, StrBuf *out) {
    skip_space(p);
    if (p->s >= p->end) return;
    AtomList arg = {0};
    parse_token(p, &arg, script);
    render(&arg, script, out);
    list_free(&arg);
}

/* A brace-balanced argument read as it is written (for \text). */
static void raw_arg(Parser *p, StrBuf *out) {
    skip_space(p);
    if (p->s >= p->end) return;
    if (*p->s != '{') {
        size_t n = utf8_length((unsigned char)*p->s);
        nb_strbuf_append_len(out, p->s, n);
        p->s += n;
        return;
    }
    int depth = 0;
    const char *start = ++p->s;
    while (p->s < p->end && (*p->s != '}' || depth > 0)) {
        depth += *p->s == '{' ? 1 : *p->s == '}' ? -1 : 0;
        p->s++;
    }
    nb_strbuf_append_len(out, start, (size_t)(p->s - start));
    if (p->s < p->end) p->s++;
}

/* Does a fraction's numerator or denominator need parentheses to read
 * right after or before '/'? Only when something outside its own brackets
 * binds looser than '/'. */
static bool needs_parens(const char *text) {
    int depth = 0;
    for (const char *c = text; *c; c++) {
        if (*c == '(' || *c == '[' || *c == '{') depth++;
        else if (*c == ')' || *c == ']' || *c == '}') depth--;
        else if (depth == 0 && strchr(" +-/=,", *c)) return true;
    }
    return false;
}

static void fraction(StrBuf *out, const char *num, const char *den) {
    StrBuf n = STRBUF_INIT, d = STRBUF_INIT;
    squeeze(num, &n);
    squeeze(den, &d);
    bool pn = needs_parens(nb_strbuf_cstr(&n)), pd = needs_parens(nb_strbuf_cstr(&d));
    nb_strbuf_printf(out, "%s%s%s/%s%s%s", pn ? "(" : "", nb_strbuf_cstr(&n), pn ? ")" : "",
                  pd ? "(" : "", nb_strbuf_cstr(&d), pd ? ")" : "");
    if (n.failed || d.failed) out->failed = true;
    nb_strbuf_free(&n);
    nb_strbuf_free(&d);
}

/* Glues a script to the last atom: in Unicode script characters when each
 * character has one, else as _x, _{xy} (^ alike). */
static void attach_script(Parser *p, AtomList *list, char mark, const char *text) {
    if (!*text) return;
    if (list->n == 0 || list->atoms[list->n - 1].cls == SPACE)
        if (!list_push(p, list, ORD, "", 0)) return;
    StrBuf *host = &list->atoms[list->n - 1].text;
    const char *const *table = mark == '^' ? superscript : subscript;
    bool convertible = true;
    for (const char *c = text; *c && convertible; c++)
        convertible = (unsigned char)*c < 128 && table[(unsigned char)*c];
    if (convertible) {
        for (const char *c = text; *c; c++) nb_strbuf_append(host, table[(unsigned char)*c]);
    } else if (single_code_point(text)) {
        nb_strbuf_printf(host, "%c%s", mark, text);
    } else {
        nb_strbuf_printf(host, "%c{%s}", mark, text);
    }
    if (host->failed) p->out->failed = true;
}

static void blackboard(StrBuf *out, const char *text) {
    for (const char *c = text; *c; c++) {
        if (*c >= 'A' && *c <= 'Z' && blackboard_exceptions[*c - 'A'])
            nb_strbuf_append(out, blackboard_exceptions[*c - 'A']);
        else if (*c >= 'A' && *c <= 'Z')
            encode_utf8(out, 0x1D538ul + (unsigned long)(*c - 'A'));
        else if (*c >= 'a' && *c <= 'z')
            encode_utf8(out, 0x1D552ul + (unsigned long)(*c - 'a'));
        else if (*c >= '0' && *c <= '9')
            encode_utf8(out, 0x1D7D8ul + (unsigned long)(*c - '0'));
        else
            nb_strbuf_append_char(out, *c);
    }
}

static void argument_command(Parser *p, AtomList *list, bool script, size_t index) {
    StrBuf a = STRBUF_INIT, b = STRBUF_INIT, text = STRBUF_INIT;
    AtomClass cls = ORD;
    switch (arg_commands[index].kind) {
    case ARG_FRAC:
        parse_arg(p, script, &a);
        parse_arg(p, script, &b);
        fraction(&text, nb_strbuf_cstr(&a), nb_strbuf_cstr(&b));
        cls = INNER;
        break;
    case ARG_SQRT:
        skip_space(p);
        if (p->s < p->end && *p->s == '[') {
            const char *close = memchr(p->s, ']', (size_t)(p->end - p->s));
            if (close) {
                AtomList index_list = {0};
                list_push(p, &index_list, ORD, "", 0);
                nb_strbuf_append_len(&b, p->s + 1, (size_t)(close - p->s - 1));
                attach_script(p, &index_list, '^', nb_strbuf_cstr(&b));
                render(&index_list, true, &text);
                list_free(&index_list);
                p->s = close + 1;
            }
        }
        parse_arg(p, script, &a);
        nb_strbuf_printf(&text, needs_parens(nb_strbuf_cstr(&a)) ? "√(%s)" : "√%s", nb_strbuf_cstr(&a));
        break;
    case ARG_PLAIN: parse_arg(p, script, &text); break;
    case ARG_BLACKBOARD:
        parse_arg(p, script, &a);
        blackboard(&text, nb_strbuf_cstr(&a));
        break;
    case ARG_TEXT: raw_arg(p, &text); break;
    case ARG_OPNAME:
        raw_arg(p, &text);
        cls = OP;
        break;
    case ARG_ACCENT:
        parse_arg(p, script, &a);
        if (single_code_point(nb_strbuf_cstr(&a)))
            nb_strbuf_printf(&text, "%s%s", nb_strbuf_cstr(&a), arg_commands[index].mark);
        else
            nb_strbuf_printf(&text, "%s(%s)", arg_commands[index].name, nb_strbuf_cstr(&a));
        break;
    }
    if (a.failed || b.failed || text.failed) p->out->failed = true;
    list_push(p, list, cls, nb_strbuf_cstr(&text), text.len);
    nb_strbuf_free(&a);
    nb_strbuf_free(&b);
    nb_strbuf_free(&text);
}

/* A backslash and what follows it. */
static void parse_command(Parser *p, AtomList *list, bool script) {
    p->s++;
    if (p->s >= p->end) {
        list_push(p, list, ORD, "\\", 1);
        return;
    }
    if (!isalpha((unsigned char)*p->s)) {
        char c = *p->s++;
        switch (c) {
        case ',': case ';': case ':': case '>': case ' ': list_push(p, list, SPACE, " ", 1); break;
        case '!': break;
        case '\\': list_push(p, list, SPACE, "\n", 1); break;
        case '{': list_push(p, list, OPEN, "{", 1); break;
        case '}': list_push(p, list, CLOSE, "}", 1); break;
        case '|': list_push(p, list, ORD, "‖", strlen("‖")); break;
        default: list_push(p, list, ORD, &c, 1); break;
        }
        return;
    }
    const char *name = p->s;
    while (p->s < p->end && isalpha((unsigned char)*p->s)) p->s++;
    size_t len = (size_t)(p->s - name);
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++)
        if (strlen(ignored[i]) == len && memcmp(ignored[i], name, len) == 0) {
            skip_space(p);
            /* \left. and \right. are invisible delimiters */
            if (p->s < p->end && *p->s == '.') p->s++;
            return;
        }
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++)
        if (strlen(symbols[i].name) == len && memcmp(symbols[i].name, name, len) == 0) {
            list_push(p, list, symbols[i].cls, symbols[i].text, strlen(symbols[i].text));
            return;
        }
    for (size_t i = 0; i < sizeof arg_commands / sizeof arg_commands[0]; i++)
        if (strlen(arg_commands[i].name) == len && memcmp(arg_commands[i].name, name, len) == 0) {
            argument_command(p, list, script, i);
            return;
        }
    /* \over outside a group of its own, and anything unknown: as written */
    list_push(p, list, ORD, name - 1, len + 1);
}

static AtomClass char_class(char c) {
    if (strchr("+-*", c)) return BIN;
    if (strchr("=<>", c)) return REL;
    if (strchr(",;:", c)) return PUNCT;
    if (strchr("([", c)) return OPEN;
    if (strchr(")]", c)) return CLOSE;
    return ORD;
}

static void parse_token(Parser *p, AtomList *list, bool script) {
    char c = *p->s;
    if (c == '{') {
        p->s++;
        if (p->depth >= MAX_DEPTH) {
            list_push(p, list, ORD, "{", 1);
            return;
        }
        StrBuf group = STRBUF_INIT;
        p->depth++;
        bool is_fraction = parse_group(p, script, true, &group);
        p->depth--;
        list_push(p, list, is_fraction ? INNER : ORD, nb_strbuf_cstr(&group), group.len);
        if (group.failed) p->out->failed = true;
        nb_strbuf_free(&group);
    } else if (c == '^' || c == '_') {
        p->s++;
        StrBuf arg = STRBUF_INIT;
        if (p->depth < MAX_DEPTH) {
            p->depth++;
            parse_arg(p, true, &arg);
            p->depth--;
        }
        attach_script(p, list, c, nb_strbuf_cstr(&arg));
        if (arg.failed) p->out->failed = true;
        nb_strbuf_free(&arg);
    } else if (c == '\'') {
        p->s++;
        if (list->n > 0 && list->atoms[list->n - 1].cls != SPACE)
            nb_strbuf_append(&list->atoms[list->n - 1].text, "′");
        else
            list_push(p, list, ORD, "′", strlen("′"));
    } else if (c == '\\') {
        parse_command(p, list, script);
    } else if (c == '~' || c == '&') {
        p->s++;
        list_push(p, list, SPACE, " ", 1);
    } else if (c == '}') {
        p->s++; /* unbalanced: dropped */
    } else {
        size_t n = utf8_length((unsigned char)c);
        if (n > (size_t)(p->end - p->s)) n = (size_t)(p->end - p->s);
        list_push(p, list, (unsigned char)c < 128 ? char_class(c) : ORD, p->s, n);
        p->s += n;
    }
}

static bool parse_group(Parser *p, bool script, bool braced, StrBuf *out) {
    AtomList cur = {0}, num = {0};
    bool over = false;
    for (;;) {
        skip_space(p);
        if (p->s >= p->end) break;
        if (*p->s == '}' && braced) {
            p->s++;
            break;
        }
        if ((size_t)(p->end - p->s) >= 5 && memcmp(p->s, "\\over", 5) == 0 &&
            (p->end - p->s == 5 || !isalpha((unsigned char)p->s[5]))) {
            p->s += 5;
            if (!over) {
                num = cur;
                cur = (AtomList){0};
                over = true;
            }
            continue;
        }
        parse_token(p, &cur, script);
    }
    if (over) {
        StrBuf n = STRBUF_INIT, d = STRBUF_INIT;
        render(&num, script, &n);
        render(&cur, script, &d);
        fraction(out, nb_strbuf_cstr(&n), nb_strbuf_cstr(&d));
        if (n.failed || d.failed) out->failed = true;
        nb_strbuf_free(&n);
        nb_strbuf_free(&d);
    } else {
        render(&cur, script, out);
    }
    list_free(&cur);
    list_free(&num);
    return over;
}

/* The class of the nearest atom before (step -1) or after (step 1) i that
 * is not explicit space; -1 when there is none. */
static int neighbour_class(const AtomList *list, size_t i, int step) {
    for (ptrdiff_t j = (ptrdiff_t)i + step; j >= 0 && (size_t)j < list->n; j += step)
        if (list->atoms[j].cls != SPACE) return (int)list->atoms[j].cls;
    return -1;
}

static void render(AtomList *list, bool script, StrBuf *out) {
    /* A binary operator with nothing to combine on one side is unary (TeX's
     * rules 5 and 6): -x, (+1), a = -b. */
    for (size_t i = 0; i < list->n; i++) {
        Atom *atom = &list->atoms[i];
        if (atom->cls != BIN) continue;
        int before = neighbour_class(list, i, -1), after = neighbour_class(list, i, 1);
        if (before < 0 || before == BIN || before == OP || before == REL || before == OPEN ||
            before == PUNCT || after < 0 || after == REL || after == CLOSE || after == PUNCT)
            atom->cls = ORD;
    }
    for (size_t i = 0; i < list->n; i++) {
        const Atom *atom = &list->atoms[i];
        /* a full stop after a formula ends the sentence: no space before it */
        bool full_stop = strcmp(nb_strbuf_cstr(&atom->text), ".") == 0;
        if (i > 0 && !full_stop && atom->cls != SPACE && list->atoms[i - 1].cls != SPACE) {
            unsigned char space = spacing[list->atoms[i - 1].cls][atom->cls];
            if (space == 1 || (space == 2 && !script)) nb_strbuf_append_char(out, ' ');
        }
        nb_strbuf_append_len(out, nb_strbuf_cstr(&atom->text), atom->text.len);
    }
}

void latex_to_text(StrBuf *out, const char *tex, size_t len) {
    StrBuf text = STRBUF_INIT;
    Parser p = {tex, tex + len, 0, out};
    parse_group(&p, false, false, &text);
    if (text.failed) out->failed = true;
    squeeze(nb_strbuf_cstr(&text), out);
    nb_strbuf_free(&text);
}
