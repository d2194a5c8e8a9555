"""Go parser: a hand-written scanner feeding lark's LALR(1) tables.

Why not lark's own lexer and parse loop: Go's lexical grammar is context
free, so one master regex scans it faster than lark's contextual lexer, and
the scanner is the natural place for Go's automatic semicolon insertion and
for the nesting-depth guard. lark still owns the grammar (grammar.lark) and
builds the LALR tables once per process, cached on disk with lark's cache.
Reductions call build_tree.Builder methods directly, so no lark tree is ever
built and no lark type leaves this module.

Public API: parse_source(src, path) and parse_file(path) -> goast.File;
errors are gcheck.errors.GcheckError subclasses.
"""

from __future__ import annotations

import os
import re
import threading

import lark
import lark.lexer

from gcheck import goast
from gcheck.build_tree import Builder
from gcheck.errors import GcheckError, GoSyntaxError, NestingError, SourceError

GRAMMAR_PATH = os.path.join(os.path.dirname(__file__), "grammar.lark")

# Deepest bracket nesting (and longest run of prefix operators) accepted.
# Trees deeper than this would break recursive passes downstream.
MAX_NESTING = 256

# ---------------------------------------------------------------- scanner

_KEYWORDS = (
    "break case chan const continue default defer else fallthrough for func go goto "
    "if import interface map package range return select struct switch type var"
).split()

# One group per token class; the order matters (chan<- before identifiers,
# numbers before the `.` operator). No other capturing groups: lastindex is
# the class.
_TOKEN_RE = re.compile(
    r"""
    [ \t\r]*(?:                                     # blanks before any token
    (\n)                                            # 1 newline
    |(\Z)                                           # 2 end of text
    |(//[^\n]*)                                     # 3 line comment
    |(/\*.*?\*/|/\*)                                # 4 block comment (or unterminated)
    |(chan[ \t]*<-)                                 # 5 chan<-
    |([^\W\d]\w*)                                   # 6 identifier or keyword
    |((?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?
        |0[bBoO][0-9a-fA-F_]*
        |[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9_]+)?
        |\.[0-9][0-9_]*(?:[eE][+-]?[0-9_]+)?)i?)   # 7 number
    |("(?:[^"\\\n]|\\[^\n])*")                      # 8 interpreted string
    |(`[^`]*`)                                      # 9 raw string
    |('(?:[^'\\\n]|\\[^\n])*')                      # 10 rune
    |(\.\.\.|<<=|>>=|&\^=|&&|\|\||<-|\+\+|--|==|!=|<=|>=|:=|\+=|-=|\*=|/=|%=|&=|\|=|\^=
       |<<|>>|&\^|[-+*/%&|^<>=!()\[\]{},;.:~])      # 11 operator
    |(.)                                            # 12 anything else: error
    )""",
    re.VERBOSE | re.DOTALL,
)
_NL, _EOF, _LCOMMENT, _BCOMMENT, _CHANSEND, _IDENT, _NUM, _STR, _RAW, _RUNE, _OP, _BAD = range(1, 13)

_LITERAL_TYPES = ("INT", "FLOAT", "IMAG", "CHAR", "STRING")
# Tokens after which a newline becomes a semicolon (Go spec, "Semicolons").
_TRIGGER_TEXT = ("return", "break", "continue", "fallthrough", ")", "]", "}", "++", "--")
_UNARY_TEXT = ("+", "-", "!", "^", "*", "&", "<-", "~")


class _Tables:
    """The LALR tables plus the scanner's text -> terminal-name maps."""

    def __init__(self, lark_parser):
        table = lark_parser.parser.parser.parser.parse_table
        rules = sorted({rule for acts in table.states.values() for _, (kind, rule) in acts.items()
                        if kind.name == "Reduce"}, key=str)
        index = {rule: i for i, rule in enumerate(rules)}
        self.rule_len = [len(r.expansion) for r in rules]
        self.rule_origin = [r.origin.name for r in rules]
        self.rule_name = [r.alias or r.origin.name for r in rules]
        self.rule_text = [str(r) for r in rules]
        nstates = max(table.states) + 1
        self.actions: list[dict] = [{} for _ in range(nstates)]
        for state, acts in table.states.items():
            row = self.actions[state]
            for sym, (kind, arg) in acts.items():
                row[sym] = arg if kind.name == "Shift" else ~index[arg]
        self.start = table.start_states["start"]
        self.end = table.end_states["start"]
        self.term_text: dict[str, str] = {}  # terminal name -> source text
        self.text_term: dict[str, str] = {}  # source text -> terminal name
        for t in lark_parser.terminals:
            if t.pattern.type == "str":
                self.term_text[t.name] = t.pattern.value
                self.text_term[t.pattern.value] = t.name
        self.keywords = {k: self.text_term[k] for k in _KEYWORDS}
        self.ops = {text: name for text, name in self.text_term.items()
                    if text not in self.keywords and text != "chan<-"}
        self.chan_send = self.text_term["chan<-"]
        self.semi = self.text_term[";"]
        self.triggers = frozenset(("NAME",) + _LITERAL_TYPES
                                  + tuple(self.text_term[t] for t in _TRIGGER_TEXT))
        self.openers = frozenset(self.text_term[t] for t in "([{")
        self.closers = frozenset(self.text_term[t] for t in ")]}")
        self.unary = frozenset(self.text_term[t] for t in _UNARY_TEXT)
        # Callbacks are looked up by name on each parse's Builder; None means
        # a unit rule passing its only child through unchanged.
        self.rule_cb = []
        for name, n, text in zip(self.rule_name, self.rule_len, self.rule_text):
            if hasattr(Builder, name):
                self.rule_cb.append(name)
            elif n == 1:
                self.rule_cb.append(None)
            else:  # pragma: no cover - grammar/builder mismatch
                raise RuntimeError(f"grammar rule without builder method: {text}")


def _number_type(text: str) -> str:
    if text[-1] == "i":
        return "IMAG"
    if text[:2] in ("0x", "0X"):
        return "FLOAT" if ("p" in text or "P" in text or "." in text) else "INT"
    if text[:2] in ("0b", "0B", "0o", "0O"):
        return "INT"
    return "FLOAT" if ("." in text or "e" in text or "E" in text) else "INT"


def _line_is_ascii(src: str, start: int) -> bool:
    end = src.find("\n", start)
    return src[start:end if end >= 0 else len(src)].isascii()


def _scan(src: str, path: str, tab: _Tables, comments: list) -> list[tuple]:
    """Tokens as (type, text, line, col) tuples, semicolons inserted, ending in $END.

    An inserted semicolon has text "\\n" (or "" at end of file) so errors can
    say "newline"; it sits at the newline (or at the comment that spans it).
    """
    toks: list[tuple] = []
    append = toks.append
    keywords, ops, triggers = tab.keywords, tab.ops, tab.triggers
    openers, closers, unary = tab.openers, tab.closers, tab.unary
    semi, arrow = tab.semi, tab.text_term["<-"]
    line, ls = 1, 0  # current line number and offset of its first character
    trig = False  # does the previous token end a statement at a newline?
    depth = run = 0  # bracket depth, run of prefix operators
    ascii_src = src.isascii()
    ascii_line = ascii_src or _line_is_ascii(src, 0)  # columns are bytes: cheap when ASCII
    begin = 1 if src.startswith("\ufeff") else 0  # a leading BOM is allowed

    def col_of(start: int) -> int:
        if ascii_src:
            return start - ls + 1
        seg = src[ls:start]
        return (start - ls if seg.isascii() else len(seg.encode("utf-8"))) + 1

    for m in _TOKEN_RE.finditer(src, begin):
        k = m.lastindex
        start = m.start(k)
        if k == _NL:
            if trig:
                append((semi, "\n", line, col_of(start)))
                trig = False
            line += 1
            ls = start + 1
            if not ascii_src:
                ascii_line = _line_is_ascii(src, ls)
            continue
        if k == _EOF:
            break
        text = m.group(k)
        col = start - ls + 1 if ascii_line else col_of(start)
        if k == _IDENT:
            t = keywords.get(text, "NAME")
            run = 0
        elif k == _OP:
            t = ops[text]
            if t in openers:
                depth += 1
                if depth > MAX_NESTING:
                    raise NestingError(path, line, col, "too deeply nested")
            elif t in closers and depth:
                depth -= 1
            if t in unary:
                run += 1
                if run > MAX_NESTING:
                    raise NestingError(path, line, col, "too deeply nested")
            else:
                run = 0
        elif k == _NUM:
            t = _number_type(text)
            run = 0
        elif k == _STR or k == _RAW:
            t = "STRING"
            run = 0
            if k == _RAW and "\n" in text:
                if "\r" in text:  # go/ast drops carriage returns from raw strings
                    append((t, text.replace("\r", ""), line, col))
                else:
                    append((t, text, line, col))
                trig = True
                line += text.count("\n")
                ls = start + text.rindex("\n") + 1
                if not ascii_src:
                    ascii_line = _line_is_ascii(src, ls)
                continue
        elif k == _RUNE:
            if text == "''":
                raise GoSyntaxError(path, line, col, "empty rune literal or unescaped ' in rune literal")
            t = "CHAR"
            run = 0
        elif k == _LCOMMENT:
            comments.append((text.replace("\r", "") if "\r" in text else text, line, col))
            continue
        elif k == _BCOMMENT:
            if len(text) < 4 or not text.endswith("*/"):
                raise GoSyntaxError(path, line, col, "comment not terminated")
            comments.append((text.replace("\r", "") if "\r" in text else text, line, col))
            if "\n" in text:
                if trig:
                    append((semi, "\n", line, col))
                    trig = False
                line += text.count("\n")
                ls = start + text.rindex("\n") + 1
                if not ascii_src:
                    ascii_line = _line_is_ascii(src, ls)
            continue
        elif k == _CHANSEND:
            if toks and toks[-1][0] == arrow:
                # `<-chan <-chan T`: this chan belongs to the previous `<-`
                append((keywords["chan"], "chan", line, col))
                text = "<-"
                t = arrow
                col = col_of(m.end() - 2)
            else:
                t = tab.chan_send
            run += 1
        else:
            raise GoSyntaxError(path, line, col, _bad_char_message(src, start))
        append((t, text, line, col))
        trig = t in triggers
    end_col = col_of(len(src))
    if trig:
        append((semi, "", line, end_col))
    append(("$END", "", line, end_col))
    return toks


def _bad_char_message(src: str, start: int) -> str:
    ch = src[start]
    if ch == '"':
        return "string literal not terminated"
    if ch == "`":
        return "raw string literal not terminated"
    if ch == "'":
        return "rune literal not terminated"
    if src.startswith("/*", start):
        return "comment not terminated"
    if ch == "\ufeff":
        return "invalid BOM in the middle of the file"
    return f"invalid character U+{ord(ch):04X}" + (f" '{ch}'" if ch.isprintable() else "")


# ---------------------------------------------------------------- LALR driver


def _drive(toks: list[tuple], tab: _Tables, builder: Builder, path: str):
    """Run the LALR automaton over toks, reducing with builder's methods.

    The top state is kept in `state`, below it `states`, so a unit reduction
    (the common case, e.g. primary -> expr) is one goto lookup.
    """
    actions = tab.actions
    rules = [(n, origin, getattr(builder, name) if name else None)
             for n, origin, name in zip(tab.rule_len, tab.rule_origin, tab.rule_cb)]
    end = tab.end
    state = tab.start
    states: list[int] = []
    values: list = []
    for tok in toks:
        ttype = tok[0]
        while True:
            code = actions[state].get(ttype)
            if code is None:
                raise _syntax_error(tok, states, state, tab, path)
            if code >= 0:
                states.append(state)
                values.append(tok)
                state = code
                break
            n, origin, cb = rules[~code]
            if n == 1:
                if cb is not None:
                    values[-1] = cb(values[-1:])
                state = actions[states[-1]][origin]
            elif n:
                value = cb(values[-n:])
                del values[-n:]
                base = states[-n]
                del states[1 - n:]
                values.append(value)
                state = actions[base][origin]
            else:
                values.append(cb([]))
                states.append(state)
                state = actions[state][origin]
            if state == end and ttype == "$END":
                return values[-1]
    raise GoSyntaxError(path, toks[-1][2], toks[-1][3], "unexpected EOF")  # pragma: no cover


# ---------------------------------------------------------------- error text

# Groups of expected tokens collapsed into one word when all their markers are
# expected: (word, markers, members).
_EXPR_START = {"NAME", "INT", "FLOAT", "IMAG", "CHAR", "STRING", "(", "[", "func", "map", "chan",
               "chan<-", "struct", "interface", "+", "-", "!", "^", "*", "&", "<-", "~"}
_TYPE_START = {"NAME", "(", "[", "func", "map", "chan", "chan<-", "struct", "interface", "*", "<-"}
_STMT_START = _EXPR_START | {"go", "defer", "return", "break", "continue", "goto", "fallthrough",
                             "if", "for", "switch", "select", "const", "var", "type", "{"}
_GROUPS = [
    ("statement", {"if", "for", "INT"}, _STMT_START),
    ("declaration", {"const", "var", "func"}, {"const", "var", "type", "func", "import"}),
    ("expression", {"INT"}, _EXPR_START),
    ("type", {"map", "struct"}, _TYPE_START),
]
_ORDER = ["{", ")", "]", "}", "newline", "comma", ":", "=", ":=", "(", "[", "statement",
          "declaration", "expression", "type", "name", "literal"]


def _describe_found(tok: tuple, tab: _Tables) -> str:
    ttype, text = tok[0], tok[1]
    if ttype == "$END" or (ttype == tab.semi and text == ""):
        return "EOF"
    if ttype == tab.semi:
        return "newline" if text == "\n" else "semicolon"
    if ttype == "NAME":
        return f"name {text}"
    if ttype in _LITERAL_TYPES:
        shown = text if len(text) <= 20 else text[:17] + "..."
        return f"literal {shown}"
    if text in tab.keywords:
        return f"keyword {text}"
    if text == ",":
        return "comma"
    return text


def _expected_words(expected: set[str], tab: _Tables) -> list[str]:
    texts = set()
    for t in expected:
        if t == "$END":
            texts.add("EOF")
        elif t == tab.semi:
            texts.add("newline")
        elif t == "NAME" or t in _LITERAL_TYPES:
            texts.add(t)
        else:
            texts.add(tab.term_text.get(t, t))
    for word, markers, members in _GROUPS:
        if markers <= texts:
            texts -= members
            texts.add(word)
    names = {"NAME": "name", ",": "comma"}
    texts = {names.get(t, "literal" if t in _LITERAL_TYPES else t) for t in texts}
    rank = {w: i for i, w in enumerate(_ORDER)}
    return sorted(texts, key=lambda w: (rank.get(w, len(rank)), w))


def _accepts(tab: _Tables, states: list[int], state: int, ttype: str) -> bool:
    """Would the parser shift ttype after its pending reductions? LALR tables
    list a few impossible lookaheads in merged states; this filters them out."""
    stack = states + [state]
    actions = tab.actions
    for _ in range(10000):
        code = actions[stack[-1]].get(ttype)
        if code is None:
            return False
        if code >= 0:
            return True
        r = ~code
        n = tab.rule_len[r]
        if n:
            del stack[-n:]
        stack.append(actions[stack[-1]][tab.rule_origin[r]])
    return False  # pragma: no cover - a cycle would be a grammar bug


def _syntax_error(tok: tuple, states: list[int], state: int, tab: _Tables, path: str) -> GoSyntaxError:
    found = _describe_found(tok, tab)
    if tok[0] == "$END" and tok[2] == 1 and tok[3] == 1:
        return GoSyntaxError(path, 1, 1, "empty file: expected package clause")
    viable = {t for t in tab.actions[state] if t.isupper() and _accepts(tab, states, state, t)}
    words = _expected_words(viable, tab)
    if "newline" in words and len(words) > 4 and found not in ("EOF", "newline"):
        return GoSyntaxError(path, tok[2], tok[3], f"unexpected {found} at end of statement")
    return GoSyntaxError(path, tok[2], tok[3], f"unexpected {found}, expected {', '.join(words[:4])}")


# ---------------------------------------------------------------- loading


def _cache_path() -> str | None:
    """A writable file for lark's cache, or None (then tables are rebuilt)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for d in (os.path.join(base, "gcheck"), os.path.dirname(__file__)):
        try:
            os.makedirs(d, exist_ok=True)
        except OSError:
            continue
        if os.access(d, os.W_OK):
            return os.path.join(d, "grammar.lark-cache")
    return None


class GoTokens(lark.lexer.Lexer):
    """The lexer class lark is given: a placeholder, since _scan does the work."""

    def __init__(self, conf):
        pass

    def lex(self, lexer_state, parser_state):  # pragma: no cover
        raise NotImplementedError("gcheck scans Go source itself")


def _build_lark(cache: str | None) -> lark.Lark:
    with open(GRAMMAR_PATH, encoding="utf-8") as f:
        text = f.read()
    opts = dict(parser="lalr", lexer=GoTokens, maybe_placeholders=False)
    if cache:
        try:
            return lark.Lark(text, cache=cache, **opts)
        except OSError:
            pass
    return lark.Lark(text, **opts)


_tables: _Tables | None = None
_lock = threading.Lock()


def tables() -> _Tables:
    """The process-wide parser tables, built (or loaded from cache) on first use."""
    global _tables
    if _tables is None:
        with _lock:
            if _tables is None:
                _tables = _Tables(_build_lark(_cache_path()))
    return _tables


# ---------------------------------------------------------------- public API


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise GoSyntaxError(path, line, col, "invalid UTF-8 encoding") from None


def parse_source(src: str | bytes, path: str) -> goast.File:
    """Parse Go source text (str, or bytes that must be UTF-8) into a goast.File."""
    if isinstance(src, (bytes, bytearray)):
        src = _decode(bytes(src), path)
    elif not src.isascii():
        try:
            src.encode("utf-8")
        except UnicodeEncodeError as e:  # lone surrogates in a str
            line = src.count("\n", 0, e.start) + 1
            col = e.start - (src.rfind("\n", 0, e.start) + 1) + 1
            raise GoSyntaxError(path, line, col, "invalid UTF-8 encoding") from None
    nul = src.find("\x00")
    if nul >= 0:
        line = src.count("\n", 0, nul) + 1
        col = len(src[src.rfind("\n", 0, nul) + 1:nul].encode("utf-8")) + 1
        raise GoSyntaxError(path, line, col, "invalid NUL character")
    tab = tables()
    comments: list = []
    try:
        toks = _scan(src, path, tab, comments)
        builder = Builder(path)
        tree = _drive(toks, tab, builder, path)
        return builder.finish(tree, comments, src)
    except GcheckError:
        raise
    except RecursionError:
        raise NestingError(path, 1, 1, "too deeply nested") from None


def parse_file(path: str) -> goast.File:
    """Read and parse one Go file; I/O problems become SourceError."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except IsADirectoryError:
        raise SourceError(path, 1, 1, "cannot read: is a directory, not a Go file") from None
    except FileNotFoundError:
        raise SourceError(path, 1, 1, "cannot read: no such file") from None
    except OSError as e:
        raise SourceError(path, 1, 1, f"cannot read: {e.strerror or e}") from None
    return parse_source(data, path)
