"""Read one YAML file safely into plain data, keeping its node tree for error positions.

Files are read as bytes (refused above :data:`MAX_FILE_BYTES`), decoded as strict
UTF-8, composed into YAML nodes with PyYAML's C parser when available, and turned
into plain Python data by walking the nodes here.  Building the data ourselves is
what lets the validator report duplicate keys, refuse tags that would construct
Python objects, and map any later error back to ``line:column``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from curriculum.problems import Problem

MAX_FILE_BYTES = 1024 * 1024
"""Largest YAML (or referenced) file the loader reads: 1 MiB."""

MAX_NODES = 200_000
"""Largest number of YAML nodes one file may expand to (aliases counted each time used)."""

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted (a course needs fewer than 15 levels)."""

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
IMPLICIT_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = (
    _BaseLoader.yaml_implicit_resolvers
)
"""By first character: the (tag, pattern) pairs that give a plain scalar its YAML 1.1 type."""


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader with a leaner tag resolver (the parser calls it for every node).

    Same answers as PyYAML's: implicit resolvers by first character, no path resolvers.
    Most scalars of a course are text starting with a character no resolver claims, so
    they skip the regular expressions; lists and mappings get their default tags directly.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                resolvers = IMPLICIT_RESOLVERS.get(value[:1])
                if resolvers:
                    for tag, regexp in resolvers:
                        if regexp.match(value):
                            return str(tag)
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_constructor = SafeConstructor()
_construct: dict[str, Callable[[SafeConstructor, Node], Any]] = dict(
    SafeConstructor.yaml_constructors  # type: ignore[arg-type]
)


MAX_QUOTE = 160
"""Longest quoted source line; longer lines are cut with an ellipsis."""


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F] if c != 0x09}
"""Control characters (all but tab) shown escaped, so a quoted line cannot drive the terminal."""


def quote(line: str) -> str:
    """A source line as shown under a problem: stripped, control characters escaped, bounded."""
    line = line.strip().translate(_CONTROL)
    return line if len(line) <= MAX_QUOTE else line[: MAX_QUOTE - 1] + "…"


class YamlDoc:
    """One parsed YAML file: its text and plain data, and the node tree that locates problems.

    A reader that skips the node tree (:mod:`curriculum.fastyaml`) leaves it to be
    composed here on first use, which happens only when a problem must be located.
    """

    def __init__(self, path: Path, text: str, data: Any, node: Node | None = None) -> None:
        self.path = path
        self.text = text
        self.data = data
        self._node = node

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @property
    def node(self) -> Node:
        if self._node is None:
            self._node = _compose_for_positions(self.text)
        return self._node

    def line(self, number: int) -> str:
        """The 1-based ``number``-th line, stripped, or ``""``."""
        if 1 <= number <= len(self.lines):
            return quote(self.lines[number - 1])
        return ""

    def problem(self, node: Node | None, message: str) -> Problem:
        """A problem located at ``node`` (the start of the file when ``None``)."""
        if node is None:
            return Problem(self.path, 1, 1, message, self.line(1))
        line = node.start_mark.line + 1
        return Problem(self.path, line, node.start_mark.column + 1, message, self.line(line))


def _compose_for_positions(text: str) -> Node:
    """The node tree of ``text`` (already read as data), or a node at the file's start."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        node = None
    if node is None:
        start = yaml.Mark("", 0, 0, 0, "", 0)
        return ScalarNode(_STR_TAG, "", start, start)
    return node


def read_text(path: Path, problems: list[Problem], what: str = "file") -> str | None:
    """Read ``path`` as UTF-8 text, or add a problem and return ``None``."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    path, 1, 1, f"{what} too large: {size} bytes (the limit is {MAX_FILE_BYTES})"
                )
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(path, 0, 0, f"cannot read {what}: {exc.strerror or exc}"))
        return None
    nul = raw.find(b"\0")
    if nul >= 0:
        problems.append(_binary(path, raw, nul, what))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(_not_utf8(path, raw, exc))
        return None


def _binary(path: Path, raw: bytes, offset: int, what: str) -> Problem:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return Problem(
        path,
        raw.count(b"\n", 0, offset) + 1,
        len(raw[line_start:offset].decode("utf-8", "replace")) + 1,
        f"a binary {what}, not text: NUL byte at byte offset {offset}; course files are UTF-8 text",
    )


def _not_utf8(path: Path, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    offset = exc.start
    line_start = raw.rfind(b"\n", 0, offset) + 1
    line_end = raw.find(b"\n", offset)
    text = raw[line_start : line_end if line_end >= 0 else len(raw)]
    return Problem(
        path,
        raw.count(b"\n", 0, offset) + 1,
        len(raw[line_start:offset].decode("utf-8", "replace")) + 1,
        f"not UTF-8: byte 0x{raw[offset]:02x} at byte offset {offset} cannot be decoded; "
        "save the file as UTF-8",
        quote(text.decode("utf-8", "replace")),
    )


def load_yaml(path: Path, problems: list[Problem]) -> YamlDoc | None:
    """Read and parse ``path``; on failure add problems and return ``None``."""
    text = read_text(path, problems)
    return None if text is None else parse_yaml(path, text, problems)


def parse_yaml(path: Path, text: str, problems: list[Problem]) -> YamlDoc | None:
    """Parse ``text``, the contents of ``path``; on failure add problems and return ``None``."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:
        problems.append(Problem(path, 1, 1, "YAML nested too deeply"))
        return None
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(path, text.splitlines(), exc))
        return None
    except yaml.reader.ReaderError as exc:
        problems.append(_bad_character(path, text, exc))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(path, 1, 1, f"YAML error: {exc}"))
        return None
    if node is None:
        lines = text.splitlines()
        first = quote(lines[0]) if lines else ""
        problems.append(Problem(path, 1, 1, "the file is empty", first))
        return None
    doc = YamlDoc(path, text, None, node)
    builder = _Builder(doc, problems)
    doc.data = builder.build(node)
    return doc


def _bad_character(path: Path, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow (a control character), located and named."""
    before = text[: exc.position]
    line_start = before.rfind("\n") + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    line_end = text.find("\n", exc.position)
    return Problem(
        path,
        before.count("\n") + 1,
        exc.position - line_start + 1,
        f"control character U+{ord(char):04X} is not allowed in YAML; remove it",
        quote(text[line_start : line_end if line_end >= 0 else len(text)]),
    )


def _syntax_problem(path: Path, lines: list[str], exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = "YAML syntax error: " + (exc.problem or "invalid YAML")
    if exc.context and exc.context_mark and mark is not exc.context_mark:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    if mark is None:
        return Problem(path, 1, 1, message)
    line = mark.line + 1
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    hint = _syntax_hint(exc.problem or "", text, mark.column)
    return Problem(path, line, mark.column + 1, message + hint, quote(text))


def _syntax_hint(problem: str, text: str, column: int) -> str:
    """A plain-words cause for the syntax errors instructors make most, or ``""``."""
    if text[column : column + 1] == "\t" or (problem.startswith("found") and "\t" in text):
        return ": a tab character; YAML indents with spaces only"
    if problem.startswith("mapping values are not allowed"):
        if ": " in text[:column]:
            return ': a ": " inside a plain value; put the value in quotes'
        return ": this line is indented differently from the lines around it"
    if problem.startswith("but found another document"):
        return ": a file holds one YAML document; remove this '---' and what follows, or merge it"
    if problem.startswith(("did not find expected key", "expected <block end>")):
        return ": check the indentation of this line and the one above it"
    return ""


class _Builder:
    """Turn a node tree into plain data, reporting what safe loading must refuse.

    Plain text scalars (nearly every node of a course) take a fast path inline.
    """

    def __init__(self, doc: YamlDoc, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems
        self.count = 0
        self.too_many = False
        self.open: set[int] = set()

    def build(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        self.count += len(node.value) + 1
        if self.count > MAX_NODES:
            if not self.too_many:
                self.too_many = True
                self.problems.append(
                    self.doc.problem(node, f"too many YAML nodes (more than {MAX_NODES})")
                )
            return None
        if id(node) in self.open:
            self.problems.append(self.doc.problem(node, "an alias refers to itself (a cycle)"))
            return None
        if len(self.open) >= MAX_DEPTH:
            self.problems.append(self.doc.problem(node, f"nested too deeply (over {MAX_DEPTH})"))
            return None
        self.open.add(id(node))
        try:
            return self._collection(node)
        finally:
            self.open.discard(id(node))

    def _collection(self, node: Node) -> Any:
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                return self._bad_tag(node)
            return [
                item.value
                if item.tag == _STR_TAG and type(item) is ScalarNode
                else self.build(item)
                for item in node.value
            ]
        if isinstance(node, MappingNode):
            if node.tag != _MAP_TAG:
                return self._bad_tag(node)
            return self._mapping(node)
        return self._bad_tag(node)

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR_TAG:
            return node.value
        if tag in _SCALAR_TAGS:
            try:
                return _construct[tag](_constructor, node)
            except (ConstructorError, ValueError) as exc:
                self.problems.append(self.doc.problem(node, f"invalid value: {exc}"))
                return node.value
        return self._bad_tag(node)

    def _bad_tag(self, node: Node) -> None:
        tag = node.tag
        short = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:") else tag
        if "python/" in tag:
            message = (
                f"tag '{short}' refused: it would construct a Python object; "
                "courses are plain data (text, numbers, lists, mappings)"
            )
        else:
            message = f"unsupported tag '{short}': courses are plain data"
        self.problems.append(self.doc.problem(node, message))

    def _mapping(self, node: MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen: dict[Any, Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self._merge(result, value_node)
                continue
            if key_node.tag == _STR_TAG and type(key_node) is ScalarNode:
                key = key_node.value
            else:
                key = self.build(key_node)
                try:
                    hash(key)
                except TypeError:
                    self.problems.append(self.doc.problem(key_node, "a key must be plain text"))
                    continue
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.problems.append(
                    self.doc.problem(key_node, f"duplicate key '{key}' (first at line {first})")
                )
            seen[key] = key_node
            if value_node.tag == _STR_TAG and type(value_node) is ScalarNode:
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node)
        return result

    def _merge(self, result: dict[Any, Any], value_node: Node) -> None:
        sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        for source in sources:
            merged = self.build(source)
            if not isinstance(merged, dict):
                self.problems.append(self.doc.problem(source, "'<<' must merge a mapping"))
                continue
            for key, value in merged.items():
                result.setdefault(key, value)


def node_at(root: Node, path: tuple[Any, ...], *, key: bool = False) -> Node:
    """The node at ``path`` (mapping keys and list indices), or the deepest one found.

    With ``key=True`` the node of the last mapping *key* is returned instead of its value.
    """
    node = root
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, MappingNode):
            found = _entry(node, step)
            if found is None:
                return node
            node = found[0] if (key and last) else found[1]
        elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            return node
    return node


def _entry(node: MappingNode, step: Any) -> tuple[Node, Node] | None:
    for key_node, value_node in reversed(node.value):
        if isinstance(key_node, ScalarNode) and key_node.value == str(step):
            return key_node, value_node
    return None
