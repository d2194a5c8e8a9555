"""Go literals and constant expressions evaluated at lowering time."""

from __future__ import annotations

import ast as pyast

from gcheck import goast as A
from gcheck.lower.types import parse_int
from gcheck.model.values import NamedV

STD_CONSTS = {
    "time.Nanosecond": 1, "time.Microsecond": 1000, "time.Millisecond": 1000_000,
    "time.Second": 1000_000_000, "time.Minute": 60_000_000_000, "time.Hour": 3600_000_000_000,
    "math.MaxInt": 2**63 - 1, "math.MaxInt64": 2**63 - 1, "math.MaxInt32": 2**31 - 1,
    "math.MinInt64": -(2**63), "math.MaxUint32": 2**32 - 1,
    "math.MaxInt8": 127, "math.MaxInt16": 2**15 - 1, "math.MinInt": -(2**63), "math.MinInt8": -128,
    "math.MinInt16": -(2**15), "math.MinInt32": -(2**31), "math.MaxUint8": 255,
    "math.MaxUint16": 2**16 - 1, "math.MaxUint64": 2**64 - 1, "math.MaxUint": 2**64 - 1,
    "utf8.UTFMax": 4, "utf8.RuneSelf": 0x80, "utf8.RuneError": 0xFFFD, "utf8.MaxRune": 0x10FFFF,
    "io.SeekStart": 0, "io.SeekCurrent": 1, "io.SeekEnd": 2, "strconv.IntSize": 64,
    "bytes.MinRead": 512, "bufio.MaxScanTokenSize": 64 * 1024,
    "http.StatusCreated": 201, "http.StatusAccepted": 202, "http.StatusNoContent": 204,
    "http.StatusBadRequest": 400, "http.StatusUnauthorized": 401, "http.StatusForbidden": 403,
    "http.StatusNotFound": 404, "http.StatusMethodNotAllowed": 405, "http.StatusConflict": 409,
    "http.StatusTooManyRequests": 429, "http.StatusInternalServerError": 500,
    "http.StatusBadGateway": 502, "http.StatusServiceUnavailable": 503, "http.StatusGatewayTimeout": 504,
    "io.EOF": NamedV("error", "EOF"), "io.ErrUnexpectedEOF": NamedV("error", "unexpected EOF"),
    "http.StatusOK": 200, "os.Stdout": None, "os.Stderr": None,
    # the errors ctx.Err() returns (model/builtins.py), so that == and errors.Is match them
    "context.Canceled": NamedV("error", "context canceled"),
    "context.DeadlineExceeded": NamedV("error", "context deadline exceeded"),
}


def literal(lit: A.BasicLit):
    k, text = lit.kind, lit.value
    if k == "INT":
        return parse_int(text)
    if k == "FLOAT":
        t = text.replace("_", "")
        if t.lower().startswith("0x"):
            return float.fromhex(t)
        return float(t)
    if k == "IMAG":
        body = text[:-1].replace("_", "")
        low = body.lower()
        if low.startswith("0x"):  # 0x3p3i: a hexadecimal float (or integer) part
            return complex(0, float.fromhex(body) if "p" in low or "." in low else int(body, 16))
        if low.startswith(("0b", "0o")):
            return complex(0, int(body, 0))
        return complex(0, float(body))  # decimal, even with a leading 0 (Go spec)
    if k == "CHAR":
        return ord(_unquote(text[1:-1], "'"))
    if k == "STRING":
        if text.startswith("`"):
            return text[1:-1].replace("\r", "")
        return _unquote(text[1:-1], '"')
    raise ValueError(k)


def _unquote(body: str, quote: str) -> str:
    try:
        v = pyast.literal_eval(quote + body + quote if quote == '"' else '"' + body.replace('"', '\\"') + '"')
        if isinstance(v, str):
            return v
    except (ValueError, SyntaxError):
        pass
    return body


_OPS = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: (int(a / b) if isinstance(a, int) and isinstance(b, int) else a / b),
    "%": lambda a, b: a % b, "<<": lambda a, b: _shift_left(a, b), ">>": lambda a, b: a >> b,
    "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
    "&^": lambda a, b: a & ~b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "&&": lambda a, b: a and b, "||": lambda a, b: a or b,
}

NOT_CONST = object()

MAX_CONST_SHIFT = 4096  # Go's constants are exact, but the compiler rejects any beyond 512 bits


def _shift_left(a, b):
    if b > MAX_CONST_SHIFT:
        raise ValueError("constant shift overflow")  # -> NOT_CONST (const_eval)
    return a << b


def const_eval(e, iota: int, lookup, qualified) -> object:
    """Evaluate a constant expression, or return NOT_CONST.

    lookup(name) gives a known constant's value or NOT_CONST; qualified(sel)
    names a package-qualified identifier like "time.Second".
    """
    t = type(e)
    try:
        if t is A.BasicLit:
            return literal(e)
        if t is A.ParenExpr:
            return const_eval(e.x, iota, lookup, qualified)
        if t is A.Ident:
            if e.name == "iota":
                return iota
            if e.name == "true":
                return True
            if e.name == "false":
                return False
            return lookup(e.name)
        if t is A.SelectorExpr and type(e.x) is A.Ident:
            q = qualified(e)
            return STD_CONSTS.get(q, NOT_CONST) if q is not None else NOT_CONST
        if t is A.UnaryExpr:
            x = const_eval(e.x, iota, lookup, qualified)
            if x is NOT_CONST:
                return NOT_CONST
            if e.op == "-":
                return -x
            if e.op == "+":
                return x
            if e.op == "!":
                return not x
            if e.op == "^":
                return ~x
            return NOT_CONST
        if t is A.BinaryExpr:
            x = const_eval(e.x, iota, lookup, qualified)
            y = const_eval(e.y, iota, lookup, qualified)
            if x is NOT_CONST or y is NOT_CONST or x is None or y is None:
                return NOT_CONST
            return _OPS[e.op](x, y)
        if t is A.CallExpr and len(e.args) == 1 and not e.ellipsis:
            # a conversion such as time.Duration(5) or int64(1) keeps the value
            if type(e.fun) in (A.Ident, A.SelectorExpr):
                return const_eval(e.args[0], iota, lookup, qualified)
    except (ArithmeticError, TypeError, ValueError, KeyError):
        return NOT_CONST
    return NOT_CONST
