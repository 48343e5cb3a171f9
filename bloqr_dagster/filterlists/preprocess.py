"""Pre-processing of a downloaded filter list, the way @adguard/filters-downloader 2.4.5 does it.

- text is decoded as UTF-8 (invalid bytes become U+FFFD and are counted, never an exception);
- the content is JavaScript-`trim()`med and split on runs of CR/LF, so blank lines vanish while
  whitespace-only lines survive, and empty content becomes `['']`;
- `!#if` / `!#else` / `!#endif` blocks are resolved with no defined properties: only the literal
  `true` is true. The block matching and the expression evaluator reproduce the reference's
  algorithm, quirks included, because compiled output must match it line for line.

`!#include` is handled by sources.SourceLoader, which knows how to fetch the included file.
"""

from __future__ import annotations

import re

# What JavaScript's String.prototype.trim() strips (WhiteSpace + LineTerminator). Python's
# str.strip() differs: it keeps U+FEFF (the BOM) and strips U+001C..U+001F and U+0085.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_LINE_BREAKS = re.compile(r"[\r\n]+")
_DIRECTIVE_AT_LINE_START = re.compile(r"(?:^|[\r\n])!#(?:if|else|endif|include)")
_UTF8_REPLACEMENT = "\ufffd".encode()

IF, ELSE, ENDIF, INCLUDE = "!#if", "!#else", "!#endif", "!#include"
MAX_IF_DEPTH = 100  # nested !#if blocks; deeper is an error, not a deep recursion
MAX_CONDITION_LENGTH = 20_000  # characters of one !#if expression


class DirectiveError(ValueError):
    """A malformed `!#if`/`!#else`/`!#endif`; `index` is the offending line in split_lines()."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.message = message


def js_trim(text: str) -> str:
    return text.strip(JS_WHITESPACE)


def decode_utf8(data: bytes) -> tuple[str, int]:
    """Decode like Node's `buffer.toString('utf-8')`; returns (text, number of replaced sequences)."""
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        # U+FFFD already present in the input is not a replacement.
        return text, text.count("\ufffd") - data.count(_UTF8_REPLACEMENT)


def split_lines(text: str) -> list[str]:
    """`content.trim().split(/[\\r\\n]+/)`: blank lines disappear, '' content gives ['']."""
    text = js_trim(text)
    # The trimmed text neither starts nor ends with a break, so splitting on every CR/LF and dropping
    # the empty pieces equals splitting on runs; str.split is several times faster than re.split.
    if "\r" in text:
        text = text.replace("\r", "\n")
    lines = text.split("\n")
    return [line for line in lines if line] if "\n\n" in text else lines


def has_directives(text: str) -> bool:
    """Cheap pre-check so that lists without directives skip the line-by-line passes."""
    if _DIRECTIVE_AT_LINE_START.match(text):
        return True
    for marker in ("\n!#", "\r!#"):
        at = text.find(marker)
        while at != -1:
            if _DIRECTIVE_AT_LINE_START.match(text, at):
                return True
            at = text.find(marker, at + 3)
    return False


def original_line_number(text: str, index: int) -> int:
    """1-based line number in `text` of element `index` of split_lines(text) (for error messages)."""
    stripped = text.lstrip(JS_WHITESPACE)
    line = 1 + _count_breaks(text[: len(text) - len(stripped)])
    for position, match in enumerate(_LINE_BREAKS.finditer(stripped)):
        if position == index:
            break
        line += _count_breaks(match.group())
    return line


def _count_breaks(chunk: str) -> int:
    # CRLF is one break; lone CR and lone LF are one each.
    return chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n")


def resolve_conditions(lines: list[str]) -> list[str]:
    """Drop the `!#if` branches that are false. Raises DirectiveError on unbalanced directives."""
    result: list[str] = []
    _resolve_range(lines, 0, len(lines), result, 0)
    return result


def _resolve_range(lines: list[str], start: int, end: int, out: list[str], depth: int) -> None:
    i = start
    while i < end:
        line = lines[i]
        if line.startswith(IF):
            if depth >= MAX_IF_DEPTH:
                raise DirectiveError(i, f"!#if blocks nested deeper than {MAX_IF_DEPTH}")
            endif = _find_block_end(lines, ENDIF, i + 1, end)
            if endif == -1:
                raise DirectiveError(i, f"'{line}' has no matching !#endif")
            # Like the reference, a nested `!#if` is closed by the next `!#else` when searching
            # for this block's `!#else` (so a nested if without else hides an outer else).
            else_ = _find_block_end(lines, ELSE, i + 1, endif)
            try:
                matched = evaluate_condition(line[len(IF):])
            except ValueError as exc:
                raise DirectiveError(i, f"'{line}': {exc}") from None
            if else_ == -1:
                if matched:
                    _resolve_range(lines, i + 1, endif, out, depth + 1)
            else:
                if len(js_trim(lines[else_])) != len(ELSE):
                    raise DirectiveError(else_, f"invalid directive '{lines[else_]}' (nothing may follow !#else)")
                if matched:
                    _resolve_range(lines, i + 1, else_, out, depth + 1)
                else:
                    _resolve_range(lines, else_ + 1, endif, out, depth + 1)
            i = endif
        elif line.startswith(ELSE):
            raise DirectiveError(i, f"'{line}' without a preceding !#if")
        elif line.startswith(ENDIF):
            raise DirectiveError(i, f"'{line}' without a preceding !#if")
        else:
            out.append(line)
        i += 1


def _find_block_end(lines: list[str], directive: str, start: int, end: int) -> int:
    depth = 0
    for i in range(start, end):
        line = lines[i]
        if line.startswith(IF):
            depth += 1
        elif line.startswith(directive):
            if depth == 0:
                return i
            depth -= 1
    return -1


def evaluate_condition(expression: str) -> bool:
    """Evaluate a `!#if` expression with no defined properties (only the literal `true` is true).

    Ports the reference evaluator exactly: innermost parentheses first, then the first `||`, else the
    first `&&`, else a leading `!`. Like the reference it drops the character just before `||`/`&&`
    (it expects a space there), so `true||x` is false while `true || x` is true. The reference
    recurses; this version loops, so thousands of parentheses or operators cannot overflow a stack.
    """
    if len(expression) > MAX_CONDITION_LENGTH:
        raise ValueError(f"condition longer than {MAX_CONDITION_LENGTH} characters")
    _require(expression)
    expr = js_trim(expression)
    if not _brackets_balanced(expr):
        raise ValueError(f"unbalanced brackets in condition '{expr}'")
    open_at = expr.rfind("(")
    while open_at != -1:
        close_at = expr.find(")", open_at)
        inner = "true" if _disjunction(expr[open_at + 1:close_at]) else "false"
        expr = expr[:open_at] + inner + expr[close_at + 1:]
        open_at = expr.rfind("(", 0, open_at)
    return _disjunction(expr)


def _require(expression: str) -> None:
    if not expression:
        raise ValueError("empty condition")


def _disjunction(expression: str) -> bool:
    """No parentheses: `a || rest`, evaluated left to right with short-circuit, as the reference does."""
    _require(expression)
    expr = js_trim(expression)
    or_at = expr.find("||")
    while or_at != -1:
        if _conjunction(expr[: max(or_at - 1, 0)]):
            return True
        expression = expr[or_at + 2:]
        _require(expression)
        expr = js_trim(expression)
        or_at = expr.find("||")
    return _conjunction(expr)


def _conjunction(expression: str) -> bool:
    """No parentheses, no `||`: `a && rest`."""
    _require(expression)
    expr = js_trim(expression)
    and_at = expr.find("&&")
    while and_at != -1:
        if not _negation(expr[: max(and_at - 1, 0)]):
            return False
        expression = expr[and_at + 2:]
        _require(expression)
        expr = js_trim(expression)
        and_at = expr.find("&&")
    return _negation(expr)


def _negation(expression: str) -> bool:
    """No operators but leading `!`s."""
    negate = False
    _require(expression)
    expr = js_trim(expression)
    while expr.startswith("!"):
        negate = not negate
        _require(expr[1:])
        expr = js_trim(expr[1:])
    _require(expr)
    return (expr == "true") != negate


def _brackets_balanced(expr: str) -> bool:
    depth = 0
    for char in expr:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def drop_diff_path(lines: list[str], scan: int = 50) -> None:
    """Remove `! Diff-Path:` lines among the first `scan` lines of an included list, in place.

    Mirrors the reference's splice-while-iterating loop, which skips the line right after a removed one.
    """
    i = 0
    while i < min(scan, len(lines)):
        if js_trim(lines[i]).startswith("! Diff-Path:"):
            del lines[i]
        i += 1
