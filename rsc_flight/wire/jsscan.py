"""Just enough JavaScript to find the ``self.__next_f.push(...)`` calls a browser runs.

A page can carry text that *looks* like a push where no browser runs it: in a comment
(``/* self.__next_f.push(...) */``), in a string, in a function that is never called,
after ``if (0)``.  Matching ``__next_f...push(`` anywhere in a script's text read those
as flight data, and a fake payload placed first won over the real one.  This scanner
reads a script the way a JavaScript parser splits it: comments, string, template and
regular-expression literals are stepped over as wholes, brackets are counted, and a push
is *executed* only when it is a statement of its own at the top level of the script
(``self.__next_f.push(...)``, ``window.__next_f.push(...)``, and Next's bootstrap
``(self.__next_f=self.__next_f||[]).push(...)``).  Calls elsewhere are still reported,
as not executed, so that nothing is lost silently.

A literal that does not end (an unterminated string, comment, template or regular
expression) or a bracket that does not match is a syntax error, and a browser runs none
of such a script: :attr:`ScriptScan.error` says so, and the caller sets all its pushes
aside.

It is a scanner, not a parser: one pass, one regular-expression match per token, every
pattern linear by construction (alternatives start with different characters), and an
explicit stack for brackets and template substitutions, so neither time nor Python's
recursion depends on how the text is nested.  What it cannot know (a call that throws
before a later push, a push whose receiver was redefined) is out of reach of any static
reading; Next.js writes pushes in the plain form this scanner accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs

from .push_args import BadCall, Call

__all__ = ["PushCall", "ScriptScan", "scan_script"]

_LINE_END = re.compile(r"[\n\r\u2028\u2029]")
_WORD_CHARS = r"\w$\u00aa-\u2027\u202a-\ufefe\uff00-\U0010ffff"
# One token, after any spaces on its line: a line break (with the blank text after it),
# a word, a number, the start of a comment or literal, a run of opening or of closing
# brackets, or one punctuator.  Each alternative starts with characters the spaces
# before it cannot match, so one match is linear in what it consumes.
_TOKEN = re.compile(
    r"[^\S\n\r\u2028\u2029]*(?:"
    r"(?P<newline>[\n\r\u2028\u2029]\s*)"
    rf"|(?P<word>[A-Za-z_$\u00aa-\u2027\u202a-\ufefe\uff00-\U0010ffff][{_WORD_CHARS}]*)"
    r"|(?P<number>\.?[0-9][\w.]*)"
    r"|(?P<literal>//|/\*|<!--|-->|[\"'`/])"
    r"|(?P<open>[(\[{]+)"
    r"|(?P<close>[)\]}]+)"
    r"|(?P<punct>=>|===?|==|\|\||&&|\.\.\.|.))",
    re.DOTALL,
)
# A string literal: runs of plain characters between escapes (an escape starts with the
# backslash a run cannot hold, so each match is linear, and a run is one single-class
# repeat rather than a loop iteration per character).
_STRINGS = {
    quote: re.compile(rf"{quote}[^{quote}\\\n\r]*(?:\\(?:\r\n|[\s\S])[^{quote}\\\n\r]*)*{quote}")
    for quote in "\"'"
}
# The text of a template literal up to its end or its next `${`, in the same shape.
_TEMPLATE = re.compile(r"[^`\\$]*(?:(?:\\[\s\S]|\$(?!\{))[^`\\$]*)*")
_NOT_LINE = r"[^\n\r\u2028\u2029]"
_REGEXP = re.compile(
    rf"/(?:[^/\\\[\n\r\u2028\u2029]|\\{_NOT_LINE}|\[(?:[^\]\\\n\r\u2028\u2029]|\\{_NOT_LINE})*\])+/[{_WORD_CHARS}]*"
)
#: Names of the global object a push may be called on (``self.__next_f``...).
_GLOBALS = frozenset({"self", "window", "globalThis"})
# Words the push recogniser must look at whatever state it is in.
_SPECIAL = _GLOBALS | {"__next_f"}
# Words after which `/` starts a regular expression and a line break inserts no `;`.
_KEYWORDS = frozenset(
    "return typeof instanceof in of new delete void throw case do else yield await if "
    "while for with var let const export import extends default".split()
)
_OPENERS = {")": "(", "]": "[", "}": "{"}
# What a `{` that opens a block follows: `if (...) {`, `else {`, `try {`...
_BLOCK_HEADS = frozenset([")", "else", "do", "try", "finally"])
# `last` of a literal or number: no punctuator or word is spelt so.
_VALUE = "#value"

# States of the push-call recogniser: what the last tokens have read so far.
_NONE, _GLOBAL, _GLOBAL_DOT, _NEXT_F, _DOT, _PUSH = range(6)


@attrs.frozen
class PushCall:
    """A ``__next_f.push(`` call: where its arguments start, whether a browser runs it,
    and its arguments as read (:class:`~.push_args.Call` or :class:`~.push_args.BadCall`)."""

    at: int
    executed: bool
    read: Call | BadCall


@attrs.frozen
class ScriptScan:
    """What a script holds: its push calls in order, the comments and literals (strings,
    templates, regular expressions) that mention ``__next_f`` outside push arguments (as
    ``(start, end, what)``), and the syntax error that stops a browser from running any
    of it (``None`` when it scans)."""

    calls: tuple[PushCall, ...]
    mentions: tuple[tuple[int, int, str], ...]
    error: str | None


class _SyntaxError(Exception):
    pass


@attrs.define
class _Mark:
    """What an open bracket is, when it is more than a bracket."""

    statement: bool = False  # it opened a statement at the top level
    block: bool = False  # a `{` of a top-level block, not of an object or function
    assigns_next_f: bool = False  # `(self.__next_f = ...)`: its value is __next_f


class _Scanner:
    """One pass over a script.  The bracket stack is a list of kinds (``(``, ``[``,
    ``{``, ``${``), so a run of brackets is pushed in one step; the few brackets that
    carry more (a statement's, a block's, the bootstrap's group) have a :class:`_Mark`
    under their stack index."""

    def __init__(self, text: str, read_call: Callable[[str, int], Call | BadCall]) -> None:
        self.text, self.read_call = text, read_call
        self.pos = 0
        self.stack: list[str] = []
        self.marks: dict[int, _Mark] = {}  # keys are always below len(stack)
        self.last: str | None = None  # the last significant token (_VALUE for a literal)
        self.last_word = False  # ... and whether it is a word
        self.line_break = False  # a line break since the last significant token
        self.state = _NONE
        self.statement = False  # the receiver being read opened a statement
        self.first_in_group = False  # ... and was the first thing inside a `(`
        self.calls: list[PushCall] = []
        self.mentions: list[tuple[int, int, str]] = []

    # -- where we are ----------------------------------------------------------------

    def regexp_allowed(self) -> bool:
        last = self.last
        if last is None:
            return True
        if self.last_word:
            return last in _KEYWORDS
        return last not in (")", "]", "}", _VALUE)

    def statement_start(self, word: bool) -> bool:
        """Whether a token here starts a statement at the top level of the script."""
        if self.stack:
            return False
        last = self.last
        if last is None or (not self.last_word and last in (";", "}")):
            return True
        # A line break ends a statement before a word (automatic semicolon insertion),
        # but not before `(`, which would call the expression before it.
        ends = last not in _KEYWORDS if self.last_word else last in (")", "]", _VALUE)
        return word and self.line_break and ends

    def significant(self, token: str) -> None:
        self.last, self.last_word, self.line_break = token, False, False

    # -- tokens ----------------------------------------------------------------------

    def word(self, name: str) -> None:
        member = self.last == "." and not self.last_word
        if self.state == _GLOBAL_DOT and name == "__next_f":
            self.state = _NEXT_F
        elif self.state == _DOT and name == "push":
            self.state = _PUSH
        elif member and name == "__next_f":  # `foo.__next_f`: not the page's queue
            self.state, self.statement, self.first_in_group = _NEXT_F, False, False
        elif not member and name in _SPECIAL:
            self.statement = self.statement_start(word=True)
            self.first_in_group = self.last == "(" and not self.last_word and bool(self.stack)
            self.state = _NEXT_F if name == "__next_f" else _GLOBAL
        else:
            self.state = _NONE
        self.last, self.last_word, self.line_break = name, True, False

    def punct(self, token: str) -> None:
        state, self.state = self.state, _NONE
        if token == ".":
            self.state = {_GLOBAL: _GLOBAL_DOT, _NEXT_F: _DOT}.get(state, _NONE)
        elif token == "=" and state == _NEXT_F and self.first_in_group and self.stack[-1] == "(":
            self.marks.setdefault(len(self.stack) - 1, _Mark()).assigns_next_f = True
        self.significant(token)

    def opens(self, run: str, start: int) -> None:
        """A run of opening brackets (only the first can open a statement or a block)."""
        if self.state == _PUSH and run[0] == "(":
            self.state = _NONE
            self.pos = start + 1
            self.call()
            return
        self.state = _NONE
        first, stack = run[0], self.stack
        statement = self.statement_start(word=False)
        block = first == "{" and not stack and (statement or self.last in _BLOCK_HEADS)
        if statement or block:
            self.marks[len(stack)] = _Mark(statement=statement, block=block)
        stack.extend(run)
        self.significant(run[-1])

    def closes(self, run: str, start: int) -> None:
        """A run of closing brackets; a ``}`` that ends a template substitution goes
        back to the template's text."""
        self.state = _NONE
        stack, marks = self.stack, self.marks
        mark = None
        for index, token in enumerate(run):
            if not stack:
                self.pos = start + index
                raise _SyntaxError(f"unmatched '{token}'")
            opened = stack.pop()
            mark = marks.pop(len(stack), None) if marks else None
            if opened == "${" and token == "}":
                self.pos = start + index + 1
                self.template()
                return
            if opened != _OPENERS[token]:
                self.pos = start + index
                raise _SyntaxError(f"'{opened}' closed by '{token}'")
        token = run[-1]
        if mark is not None and mark.assigns_next_f:
            self.state, self.statement, self.first_in_group = _NEXT_F, mark.statement, False
        # Only the end of a top-level block ends a statement; `}` of an object literal or
        # a function expression ends an expression, which the next word cannot follow.
        block = mark is not None and mark.block
        self.significant(token if token != "}" or block else _VALUE)

    def call(self) -> None:
        at = self.pos
        read = self.read_call(self.text, at)
        self.calls.append(PushCall(at, self.statement, read))
        if isinstance(read, Call):
            self.pos = read.end  # the arguments are JSON: step over them and the `)`
            self.significant(")")
        else:  # read on as JavaScript
            self.stack.append("(")
            self.significant("(")

    def template(self) -> None:
        """Step over template text, from after a backtick or a substitution's ``}``."""
        found = _TEMPLATE.match(self.text, self.pos)
        assert found is not None  # it matches the empty string
        end = found.end()
        self.skip(self.pos, end, "a template literal")
        if self.text.startswith("`", end):
            self.pos = end + 1
            self.significant(_VALUE)
        elif self.text.startswith("${", end):
            self.pos = end + 2
            self.stack.append("${")
            self.significant("(")
        else:
            raise _SyntaxError("unterminated template literal")

    def literal(self, token: str, start: int) -> None:
        text = self.text
        at_line_start = self.last is None or self.line_break
        if token in ("//", "<!--") or (token == "-->" and at_line_start):
            found = _LINE_END.search(text, start)
            self.skip(start, found.start() if found else len(text), "a comment")
        elif token == "-->":
            self.pos = start + 2
            self.significant("--")
        elif token == "/*":
            end = text.find("*/", start + 2)
            if end < 0:
                raise _SyntaxError("unterminated comment")
            self.skip(start, end + 2, "a comment")
            self.line_break = self.line_break or bool(_LINE_END.search(text, start, end))
        elif token == "`":
            self.state = _NONE
            self.template()
        else:
            pattern = _STRINGS.get(token) or (_REGEXP if self.regexp_allowed() else None)
            if pattern is None:  # a division
                self.punct("/")
                return
            found = pattern.match(text, start)
            if found is None:
                what = "regular expression" if token == "/" else "string"
                raise _SyntaxError(f"unterminated {what}")
            self.skip(start, found.end(), "a regular expression" if token == "/" else "a string")
            self.significant(_VALUE)
            self.state = _NONE

    def skip(self, start: int, end: int, what: str) -> None:
        """Step over text that is not code, noting it when it mentions ``__next_f``."""
        if self.text.find("__next_f", start, end) >= 0:
            self.mentions.append((start, end, what))
        self.pos = end

    def run(self) -> None:
        text, size, match = self.text, len(self.text), _TOKEN.match
        while self.pos < size:
            token = match(text, self.pos)
            if token is None:  # only spaces are left
                break
            self.pos = token.end()
            kind = token.lastgroup
            assert kind is not None
            value = token.group(kind)
            if kind == "word":
                if self.state == _NONE and value not in _SPECIAL:  # the common case
                    self.last, self.last_word, self.line_break = value, True, False
                else:
                    self.word(value)
            elif kind == "punct":
                self.punct(value)
            elif kind == "newline":
                self.line_break = True
            elif kind == "number":
                self.state = _NONE
                self.significant(_VALUE)
            elif kind == "literal":
                self.literal(value, token.start(kind))
            elif kind == "open":
                self.opens(value, token.start(kind))
            else:
                self.closes(value, token.start(kind))
        if self.stack:
            raise _SyntaxError(f"unclosed '{self.stack[-1]}'")


def scan_script(text: str, read_call: Callable[[str, int], Call | BadCall]) -> ScriptScan:
    """Scan one script's text; ``read_call(text, at)`` reads a push call's arguments
    (see :func:`~.push_args.read_call`)."""
    scanner = _Scanner(text, read_call)
    error = None
    try:
        scanner.run()
    except _SyntaxError as exc:
        error = f"{exc} at character {scanner.pos}"
    return ScriptScan(tuple(scanner.calls), tuple(scanner.mentions), error)
