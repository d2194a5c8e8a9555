"""fmt.Sprintf, fmt.Sprint and strconv.Itoa on concrete values, as Go prints them.

Programs build map keys, names and messages with them; an unknown result
made `m[fmt.Sprintf("k%d", i)]` miss what was stored under the same key, and
a check on it took both sides (a false panic). Only what is printed exactly
is handled: ints, bools, strings, nil and errors gcheck made; verbs %v %d %s
%q %t %x %X %c %%, with flags, width and precision. Anything else (floats,
structs, pointers, slices, %T, `*` widths, symbolic values) gives None: the
caller falls back to an unknown result and a note.
"""

from __future__ import annotations

import re

from gcheck.model import values as V

_VERB = re.compile(r"%([-+# 0]*)(\d*)(?:\.(\d*))?([a-zA-Z%])")


def sprintf(fmt, args: tuple) -> str | None:
    if type(fmt) is not str:
        return None
    out: list[str] = []
    pos = 0
    k = 0
    for m in _VERB.finditer(fmt):
        if "%" in fmt[pos:m.start()]:
            return None  # a verb this does not parse (`%*d`, `%[1]d`)
        out.append(fmt[pos:m.start()])
        pos = m.end()
        flags, width, prec, verb = m.groups()
        if verb == "%":
            out.append("%")
            continue
        if k >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        s = _verb(verb, flags, prec, args[k])
        k += 1
        if s is None:
            return None
        if width:
            n = int(width)
            if "-" in flags:
                s = s.ljust(n)
            elif "0" in flags and verb in "dxX" and s[:1] in "+-":
                s = s[0] + s[1:].rjust(n - 1, "0")
            elif "0" in flags and verb in "dxX":
                s = s.rjust(n, "0")
            else:
                s = s.rjust(n)
        out.append(s)
    if "%" in fmt[pos:]:
        return None
    out.append(fmt[pos:])
    if k < len(args):
        extra = [_plain(a) for a in args[k:]]
        if any(e is None for e in extra):
            return None
        out.append("%!(EXTRA " + ", ".join(_typed(a, e) for a, e in zip(args[k:], extra)) + ")")
    return "".join(out)


def sprint(args: tuple) -> str | None:
    """fmt.Sprint: operands printed with %v, a space between two that are not strings."""
    parts = []
    for i, a in enumerate(args):
        s = _plain(a)
        if s is None:
            return None
        if i and type(a) is not str and type(args[i - 1]) is not str:
            parts.append(" ")
        parts.append(s)
    return "".join(parts)


def itoa(v) -> str | None:
    return str(v) if type(v) is int else None


def _verb(verb: str, flags: str, prec: str | None, v) -> str | None:
    if type(v) is V.NamedV and v.tname != "error":
        if verb not in "dxXc":
            return None  # %v and %s of a type with methods call its String method
        v = v.val
    t = type(v)
    if verb == "v":
        return _plain(v)
    if verb == "d" and t is int:
        return f"+{v}" if "+" in flags and v >= 0 else str(v)
    if verb == "s" and t is str:
        return v if prec is None or prec == "" else v[:int(prec)]
    if verb == "s" and t is V.NamedV:
        return _plain(v)
    if verb == "q" and t is str:
        return _quote(v)
    if verb == "t" and t is bool:
        return "true" if v else "false"
    if verb in "xX" and t is int:
        s = format(v, "x" if verb == "x" else "X")
        return ("0x" if verb == "x" else "0X") + s if "#" in flags else s
    if verb in "xX" and t is str:
        s = v.encode().hex()
        return s.upper() if verb == "X" else s
    if verb == "c" and t is int and 0 <= v <= 0x10FFFF:
        return chr(v)
    return None


def _plain(v) -> str | None:
    """%v of a value gcheck can print exactly."""
    t = type(v)
    if t is bool:
        return "true" if v else "false"
    if t is int or t is str:
        return str(v)
    if v is None:
        return "<nil>"
    if t is V.NamedV and v.tname == "error" and type(v.val) is str:
        return v.val  # an error gcheck made (errors.New, fmt.Errorf): its Error()
    return None  # a type with methods may have a String method


def _typed(v, s: str) -> str:
    name = {bool: "bool", int: "int", str: "string"}.get(type(v))
    return f"{name}={s}" if name else s


def _quote(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
