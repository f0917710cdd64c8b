"""A fast reader for the common case, used only where it must agree with the reference.

:func:`curriculum.yamlsource.load_yaml` is the reference reader: PyYAML composes a
node tree (so every problem can be shown at ``file:line:column``) and the loader's
own builder turns it into data.  Composing is most of the cost of loading a large,
valid course.  yaml-rs (a Rust YAML parser) turns the same text into plain data
about twice as fast, but it reads YAML 1.2 (``yes`` stays text, ``0777`` is 777),
ignores tags and accepts some text libyaml refuses, so its result is used only when
nothing in the file could make the two readers differ:

* outside block scalars (where code and markdown are only text): no tag, anchor,
  merge key or ``? `` key, and no flow collection but a one-line list or map of words;
* no second document, directive, tab in the indentation, lone carriage return,
  byte order mark, surrogate escape, or character YAML forbids;
* no number spelled where YAML 1.1 and 1.2 read it differently (``0777``, ``1e3``,
  ``+.5``...);
* every text value and key is one YAML 1.1 would also read as text (not ``yes``,
  ``1:30`` or ``2024-01-01``) and not only white space, every key is text, and the
  data stays within the reference reader's limits of nodes and nesting.

Otherwise :func:`vouched_data` returns ``None`` and the caller uses the reference
reader, which also reports anything wrong.  ``tests/curriculum/test_fastyaml.py``
checks that both readers agree on every YAML file in the repository, on the bundled
courses and on generated documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml_rs

from curriculum.problems import Problem
from curriculum.yamlsource import (
    IMPLICIT_RESOLVERS,
    MAX_DEPTH,
    MAX_NODES,
    YamlDoc,
    parse_yaml,
    read_text,
)

_PROPERTY = re.compile(r"[!&?]")  # a tag, an anchor, an explicit key (`?` then a space)
_FLOW_OPEN = re.compile(r"[\[{]")
_FLOW_WORD = r"""(?:[\w./~][\w./~-]*|'[^'\n]*'|"[^"\\\n]*")"""
_SIMPLE_FLOW = re.compile(  # [a, 'b'] or {file: ../x.py}, on one line; YAML 1.1 and 1.2 agree
    rf"\[ *(?:{_FLOW_WORD}(?: *, *{_FLOW_WORD})*)? *\]"
    rf"|\{{ *(?:{_FLOW_WORD}: +{_FLOW_WORD}(?: *, *{_FLOW_WORD}: +{_FLOW_WORD})*)? *\}}"
)
_MERGE_KEY = re.compile(r"<<(?=[ \t]*:)")
_NUMBER_READ_TWO_WAYS = re.compile(  # after an optional sign, which the caller looks at
    r"[0-9.](?:(?<=0)[0-9oOxXbB_]"  # leading zero, octal, hex, binary
    r"|(?<=[0-9])[0-9_]*_"  # digit grouping
    r"|(?<=[0-9])[0-9_]*(?:\.[0-9_]*)?[eE]|(?<=\.)[0-9_]+[eE]"  # an exponent
    r"|(?<=[-+]\.)[0-9])"  # a signed leading dot
    r"[^\s,\[\]{}#]*[ \t\r]*(?:\n|\Z|[,\]}]|(?<=[ \t])#)"  # ... and nothing else
)
_INDENT_TAB = re.compile(r"\n *\t")  # libyaml refuses some tabs YAML 1.2 allows
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LATER_DOCUMENT_OR_DIRECTIVE = re.compile(r"\n(?:---|\.\.\.)(?=\s|\Z)|\n%")
_LONE_CR = re.compile(r"\r(?!\n)")
_FORBIDDEN_CHAR = re.compile(  # and the line breaks YAML 1.1 has but 1.2 has not
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_ASCII_ALLOWED = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x7F)])


def vouched_data(text: str) -> dict[str, Any] | None:
    """The plain data of ``text``, or ``None`` when the reference reader must decide."""
    nodes = _outside_block_scalars(text)
    if _has_markup(text, nodes):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # refused, or any failure of the accelerator: the reference decides
        return None
    except BaseException as exc:  # a Rust panic surfaces as pyo3's PanicException
        if type(exc).__name__ != "PanicException":
            raise
        return None
    if not isinstance(data, dict):
        return None
    vouch = _Vouch()
    if not vouch.mapping(data, 1):
        return None
    if vouch.numbers and _number_read_two_ways(nodes):
        return None
    return data


def _has_markup(text: str, nodes: str) -> bool:
    """Whether ``text`` uses YAML the fast reader would read differently, or not at all.

    Each pattern runs only when a plain substring search finds what it looks for; those
    about nodes look only at ``nodes``, the text outside block scalars, where code and
    markdown are only text.
    """
    return bool(
        (("!" in nodes or "&" in nodes or "?" in nodes) and _node_property(nodes))
        or (("[" in nodes or "{" in nodes) and _complex_flow(nodes))
        or ("<<" in nodes and _found_at_node_start(_MERGE_KEY, nodes))
        or ("\t" in text and _INDENT_TAB.search("\n" + text))
        or ("\\u" in text and _SURROGATE_ESCAPE.search(text))
        or text.startswith("%")
        or _LATER_DOCUMENT_OR_DIRECTIVE.search(text)
        or ("\r" in text and _LONE_CR.search(text))
        or "\ufeff" in text  # a byte order mark: libyaml skips it where a line begins
        or _forbidden_char(text)
    )


def _forbidden_char(text: str) -> bool:
    """Whether ``text`` has a character YAML forbids (the usual cases looked at in C)."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_ALLOWED))
    if text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable():
        return False  # what Python calls printable, YAML allows
    return _FORBIDDEN_CHAR.search(text) is not None


_AFTER_KEY_INDICATOR = ("", " ", "\t", "\n", "\r", ",", "]", "}")


def _node_property(text: str) -> bool:
    """Whether ``text`` has a tag, an anchor or an explicit key (``? ``) where a node begins."""
    for found in _PROPERTY.finditer(text):
        index = found.start()
        if text[index] == "?" and text[index + 1 : index + 2] not in _AFTER_KEY_INDICATOR:
            continue  # `?` inside a word, not the explicit key indicator
        if _at_node_start(text, index):
            return True
    return False


def _number_read_two_ways(text: str) -> bool:
    """Whether ``text`` spells a plain number that YAML 1.1 and 1.2 read differently."""
    for found in _NUMBER_READ_TWO_WAYS.finditer(text):
        index = found.start()
        if index and text[index - 1] in "+-":
            index -= 1
        if _at_node_start(text, index):
            return True
    return False


def _found_at_node_start(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` matches where a node could begin (see :func:`_at_node_start`)."""
    return any(_at_node_start(text, found.start()) for found in pattern.finditer(text))


def _at_node_start(text: str, index: int) -> bool:
    """Whether a node (with its tag, anchor or plain number) could begin at ``index``:
    first on its line, or after ``[``, ``{``, ``,``, ``:``, ``- `` or ``? ``."""
    before = text[text.rfind("\n", 0, index) + 1 : index]
    mark = before.rstrip(" \t")[-1:]
    return not mark or mark in "[{,:" or (mark in "?-" and not before.endswith(mark))


def _complex_flow(text: str) -> bool:
    """Whether ``text`` has a flow collection other than a one-line list or map of words."""
    return any(
        _at_node_start(text, found.start()) and not _SIMPLE_FLOW.match(text, found.start())
        for found in _FLOW_OPEN.finditer(text)
    )


_BLOCK_INDICATOR = re.compile(r"[|>][1-9+-]{0,2}(?:[ \t]+#[^\n]*)?[ \t]*\r?(?=\n|\Z)")
_BLOCK_SCALAR_HEADER = re.compile(  # the whole line, from the line break before it
    r"\n(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>[^\s#-][^\n#]*?:[ \t]+)?"
    r"[|>][1-9+-]{0,2}(?:[ \t]+#[^\n]*)?[ \t]*\r?(?=\n|\Z)"
)
_LINE_WITHIN: dict[int, re.Pattern[str]] = {}


def _line_within(indent: int) -> re.Pattern[str]:
    """Finds the next line (not blank) indented by at most ``indent`` spaces."""
    pattern = _LINE_WITHIN.get(indent)
    if pattern is None:
        pattern = _LINE_WITHIN[indent] = re.compile(f"\n {{0,{indent}}}(?=[^ \n])")
    return pattern


def _outside_block_scalars(text: str) -> str:
    """``text`` without the lines of its block scalars (``key: |`` and what it holds).

    A line counts as content only if it is indented more than the key (or the ``-``)
    that the header names, which YAML requires of content; anything in doubt, such as
    a header behind a tag, stays in, to be looked at.
    """
    if "|" not in text and ">" not in text:
        return text
    text = "\n" + text  # every line, the first too, starts after a line break
    kept: list[str] = []
    position = search = 0
    while (indicator := _BLOCK_INDICATOR.search(text, search)) is not None:
        search = indicator.end()
        header = _BLOCK_SCALAR_HEADER.match(text, text.rfind("\n", 0, indicator.start()))
        if header is None or header.end() != indicator.end():
            continue  # `|` or `>` ending a line that is not a header
        lead = header["lead"]
        indent = len(lead) if header["key"] or "-" not in lead else len(lead.rstrip()) - 1
        kept.append(text[position : header.end()])
        end = _line_within(indent).search(text, header.end())
        position = search = len(text) if end is None else end.start()
    kept.append(text[position:])
    return "\n".join(kept)


class _Vouch:
    """Walks the data once: text YAML 1.1 reads as text, text keys, within the limits."""

    def __init__(self) -> None:
        self.nodes = 0
        self.numbers = False

    def mapping(self, data: dict[Any, Any], depth: int) -> bool:
        if not self._room(len(data), depth):
            return False
        for key in data:
            if type(key) is not str or (key[:1] in _SUSPECT and _suspect(key)):
                return False
        return self._values(data.values(), depth)

    def sequence(self, data: list[Any], depth: int) -> bool:
        return self._room(len(data), depth) and self._values(data, depth)

    def _room(self, size: int, depth: int) -> bool:
        self.nodes += size + 1
        return depth < MAX_DEPTH and self.nodes <= MAX_NODES

    def _values(self, values: Iterable[Any], depth: int) -> bool:
        for value in values:
            if type(value) is str:
                if value[:1] in _SUSPECT and value and _suspect(value):
                    return False
            elif not self.value(value, depth):
                return False
        return True

    def value(self, value: Any, depth: int) -> bool:
        if isinstance(value, dict):
            return self.mapping(value, depth + 1)
        if isinstance(value, list):
            return self.sequence(value, depth + 1)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.numbers = True
            return True
        return value is None or isinstance(value, bool)


def _scoped(regexp: re.Pattern[str]) -> str:
    """``regexp`` as a group carrying its own verbose flag, to join with others."""
    return f"(?{'x' if regexp.flags & re.VERBOSE else ''}:{regexp.pattern})"


_CLAIMS = {
    first: re.compile("|".join(_scoped(regexp) for _, regexp in resolvers))
    for first, resolvers in IMPLICIT_RESOLVERS.items()
}
"""By first character (or ``""``): what YAML 1.1 reads, written plain, as other than text."""
_SUSPECT = frozenset(_CLAIMS) | frozenset(" \t\n")
"""First characters of text the fast reader may have read differently."""


def _suspect(text: str) -> bool:
    """Whether YAML 1.1 would read ``text``, written plain, as something other than text,
    or it is only white space (yaml-rs keeps a line break for an empty block scalar)."""
    claims = _CLAIMS.get(text[:1])
    return text.isspace() if claims is None else claims.match(text) is not None


def load_yaml_fast(path: Path, problems: list[Problem]) -> YamlDoc | None:
    """:func:`load_yaml`, taking the fast reader when it can vouch for the file."""
    text = read_text(path, problems)
    if text is None:
        return None
    data = vouched_data(text)
    if data is None:
        return parse_yaml(path, text, problems)
    return YamlDoc(path, text, data)
