"""Turn a markdown roadmap into a course: headings become sections and topics, list items points.

The document is repaired (:mod:`curriculum.mojibake`) and parsed into markdown-it-py
tokens.  Heading levels are read from the document itself: a top level used only
before everything else is the course title; the next level down makes sections and
the one below it topics.  Bullet and numbered list items become points, their inline
markdown (emphasis, code spans) kept; a list directly under a section becomes an
"Overview" topic, or one topic per item when its items have sub-lists.  Paragraphs go
to the course description (before the first section) or the section summary.  Tables
and code blocks are skipped with a note.  Two sections are special: "Teaching
Guidelines" becomes the course's guidelines and "Kickoff Instruction" its kickoff,
whose "... continue to Section N (title)?" question becomes the continue prompt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from curriculum.model import SCHEMA_VERSION
from curriculum.mojibake import repair
from curriculum.slugs import IdRegistry, slugify
from curriculum.yamlsource import MAX_FILE_BYTES

_KEYCAP = re.compile(r"^[0-9#*]\ufe0f?\u20e3\s*")
_NUMBERING = re.compile(r"^(?:(?:section|step|part)\s+)?\d+(?:\.\d+)*\s*[.):\-–]\s*", re.I)
_CONTINUE = re.compile(r"[^“”\"*>\n]*?Section\s+(\d+)\s*\(([^)\n]*)\)\s*\?")
_DECORATION = {"\ufe0f", "\u200d", "\u20e3"}
OVERVIEW = "Overview"


class ImportFailed(Exception):
    """The document holds no roadmap: no list of points under any heading."""


@dataclass
class Item:
    """One list item: its inline markdown and its sub-items."""

    markdown: str
    plain: str
    children: list[Item]


@dataclass
class DraftTopic:
    title: str
    points: list[str] = field(default_factory=list)
    mentioned: bool = False


@dataclass
class DraftSection:
    title: str
    role: str = "section"  # or "guidelines", "kickoff"
    summary: list[str] = field(default_factory=list)
    topics: list[DraftTopic] = field(default_factory=list)
    guidelines: list[dict[str, str]] = field(default_factory=list)
    body: tuple[int, int] = (0, 0)


@dataclass
class ImportResult:
    """The course as plain data (``course.yaml`` without sections, and the sections)."""

    course: dict[str, Any]
    sections: list[dict[str, Any]]
    notes: list[str]


def clean_title(text: str) -> str:
    """Plain heading text without emoji decoration or numbering ("1️⃣", "2.", "Section 3:")."""
    text = " ".join(text.split())
    text = _strip_symbols(text)
    text = _KEYCAP.sub("", text)
    text = _NUMBERING.sub("", text)
    return _strip_symbols(text).rstrip(":").strip() or text


def _strip_symbols(text: str) -> str:
    def decorative(ch: str) -> bool:
        return ch.isspace() or ch in _DECORATION or unicodedata.category(ch) in ("So", "Sk", "Cs")

    start, end = 0, len(text)
    while start < end and decorative(text[start]):
        start += 1
    while end > start and decorative(text[end - 1]):
        end -= 1
    return text[start:end]


def _plain(node: SyntaxTreeNode) -> str:
    """The text of an inline node without markdown (code spans keep their text)."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_plain(child) for child in node.children)


def _inline(node: SyntaxTreeNode) -> tuple[str, str]:
    """(markdown, plain text) of the first inline found under ``node``."""
    for child in node.children:
        if child.type == "inline":
            return " ".join(child.content.split()), " ".join(_plain(child).split())
        if child.type == "paragraph":
            return _inline(child)
    return "", ""


def _items(node: SyntaxTreeNode) -> list[Item]:
    items = []
    for li in node.children:
        markdown, plain = _inline(li)
        children = [i for c in li.children if c.type.endswith("_list") for i in _items(c)]
        items.append(Item(markdown, plain, children))
    return items


def _flatten(items: list[Item]) -> list[str]:
    points: list[str] = []
    for item in items:
        if item.markdown:
            points.append(item.markdown)
        points.extend(_flatten(item.children))
    return points


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        md = MarkdownIt("commonmark").enable("table")
        self.root = SyntaxTreeNode(md.parse(text))
        self.title = ""
        self.description: list[str] = []
        self.sections: list[DraftSection] = []
        self.notes: list[str] = []
        self.title_level, self.section_level = self._levels()

    def _levels(self) -> tuple[int, int]:
        levels = [int(n.tag[1]) for n in self.root.children if n.type == "heading"]
        if not levels:
            return 0, 0
        top = min(levels)
        first_other = next((i for i, lv in enumerate(levels) if lv != top), len(levels))
        title_level = top if top not in levels[first_other:] and first_other < len(levels) else 0
        deeper = [lv for lv in levels if lv > title_level]
        return title_level, min(deeper) if deeper else top

    def read(self) -> None:
        nodes = self.root.children
        for index, node in enumerate(nodes):
            if node.type == "heading":
                self._heading(node, nodes[index + 1 :])
            elif node.type == "paragraph":
                self._paragraph(_inline(node)[0])
            elif node.type in ("bullet_list", "ordered_list"):
                self._list(_items(node))
            elif node.type == "table":
                self._skip(node, "a table", "tables are not imported")
            elif node.type in ("fence", "code_block"):
                self._skip(node, "a code block", "code blocks are not imported")
            elif node.type == "blockquote" and node.map:
                quoted = "\n".join(self.lines[node.map[0] : node.map[1]]).strip()
                self._paragraph(quoted)

    def _skip(self, node: SyntaxTreeNode, what: str, why: str) -> None:
        line = node.map[0] + 1 if node.map else 0
        self.notes.append(f"line {line}: skipped {what} ({why})")

    def _heading(self, node: SyntaxTreeNode, rest: list[SyntaxTreeNode]) -> None:
        level = int(node.tag[1])
        title = clean_title(_inline(node)[1])
        if level == self.title_level:
            self.title = title
        elif level <= self.section_level or not self.sections:
            self._section(node, title, rest)
        else:
            self.sections[-1].topics.append(DraftTopic(title))

    def _section(self, node: SyntaxTreeNode, title: str, rest: list[SyntaxTreeNode]) -> None:
        lowered = title.lower()
        role = "section"
        if lowered.startswith("teaching guidelines"):
            role = "guidelines"
        elif lowered.startswith("kickoff"):
            role = "kickoff"
        start = node.map[1] if node.map else 0
        following = (n for n in rest if n.type == "heading" and int(n.tag[1]) <= self.section_level)
        end = next((n.map[0] for n in following if n.map), len(self.lines))
        self.sections.append(DraftSection(title, role, body=(start, end)))

    def _paragraph(self, markdown: str) -> None:
        if not markdown:
            return
        if not self.sections:
            self.description.append(markdown)
            return
        section = self.sections[-1]
        if section.role != "section":
            return
        topic = section.topics[-1] if section.topics else None
        if topic is not None and not topic.points and not topic.mentioned:
            # Text right under a topic heading reads as part of the section's text.
            section.summary.append(f"**{topic.title}**")
            topic.mentioned = True
        section.summary.append(markdown)

    def _list(self, items: list[Item]) -> None:
        if not self.sections:
            self.sections.append(DraftSection(self.title or OVERVIEW))
        section = self.sections[-1]
        if section.role == "guidelines":
            section.guidelines.extend(_guideline(item) for item in items if item.plain)
        elif section.role == "kickoff":
            return
        elif section.topics:
            section.topics[-1].points.extend(_flatten(items))
        elif any(item.children for item in items):
            for item in items:
                if item.children:
                    points = _flatten(item.children)
                    section.topics.append(DraftTopic(clean_title(item.plain), points))
                elif item.markdown:
                    self._overview(section).points.append(item.markdown)
        else:
            self._overview(section).points.extend(_flatten(items))

    @staticmethod
    def _overview(section: DraftSection) -> DraftTopic:
        for topic in section.topics:
            if topic.title == OVERVIEW:
                return topic
        section.topics.append(DraftTopic(OVERVIEW))
        return section.topics[-1]


def _guideline(item: Item) -> dict[str, str]:
    if item.children:
        instruction = " ".join(child.markdown for child in item.children if child.markdown)
        return {"name": clean_title(item.plain), "instruction": instruction or item.markdown}
    name, sep, rest = item.plain.partition(":")
    if sep and rest.strip():
        return {"name": clean_title(name), "instruction": rest.strip()}
    return {"name": clean_title(item.plain), "instruction": item.markdown}


def continue_prompt(kickoff: str) -> str | None:
    """The kickoff's "continue to Section N (title)?" question as a template, if it has one."""
    match = _CONTINUE.search(kickoff)
    if match is None:
        return None
    question = match.group(0).strip()
    number, title = match.group(1), match.group(2)
    return question.replace(f"Section {number}", "Section {number}", 1).replace(
        f"({title})", "({title})", 1
    )


def import_roadmap(text: str, *, title: str = "", course_id: str = "") -> ImportResult:
    """Read a markdown roadmap into course data; raise :class:`ImportFailed` if it has none."""
    reader = _Reader(repair(text))
    reader.read()
    ids = IdRegistry()
    course_title = title or reader.title or "Imported roadmap"
    course: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": course_id or slugify(course_title, "course"),
        "title": course_title,
        "description": "\n\n".join(reader.description)
        or f"Imported from a roadmap: {course_title}.",
        "kind": "roadmap",
    }
    ids.used.add(course["id"])
    sections: list[dict[str, Any]] = []
    for draft in reader.sections:
        if draft.role == "guidelines" and draft.guidelines:
            course["guidelines"] = draft.guidelines
            course["kind"] = "course"
        elif draft.role == "kickoff":
            _kickoff(course, reader.lines, draft)
        elif draft.role == "section":
            section = _section(draft, ids, reader.notes)
            if section is not None:
                sections.append(section)
    if not sections:
        raise ImportFailed("no roadmap found: no list of points under any heading")
    return ImportResult(course, sections, reader.notes)


def _kickoff(course: dict[str, Any], lines: list[str], draft: DraftSection) -> None:
    body = [ln.rstrip() for ln in lines[draft.body[0] : draft.body[1]]]
    while body and body[-1].strip() in ("", "---", "***", "___"):
        body.pop()
    kickoff = "\n".join(body).strip()
    if kickoff:
        course["kickoff"] = kickoff
        prompt = continue_prompt(kickoff)
        if prompt:
            course["continue_prompt"] = prompt


def _section(draft: DraftSection, ids: IdRegistry, notes: list[str]) -> dict[str, Any] | None:
    section_id = ids.take(draft.title, "section")
    topics = []
    for topic in draft.topics:
        if not topic.points:
            notes.append(f"section '{draft.title}': dropped topic '{topic.title}' (no points)")
            continue
        topic_id = ids.take(topic.title, "topic", parent=section_id)
        points = [
            {"id": ids.take(_plain_text(p), "point", parent=topic_id), "title": p}
            for p in topic.points
        ]
        topics.append({"id": topic_id, "title": topic.title, "points": points})
    if not topics:
        ids.used.discard(section_id)
        notes.append(f"dropped section '{draft.title}' (no list of points)")
        return None
    section: dict[str, Any] = {"id": section_id, "title": draft.title}
    if draft.summary:
        section["summary"] = "\n\n".join(draft.summary)
    section["topics"] = topics
    return section


def _plain_text(markdown: str) -> str:
    return re.sub(r"[*_`]", "", markdown)


def import_file(source: Path, *, title: str = "", course_id: str = "") -> ImportResult:
    """Read ``source`` and import it.

    UTF-8 is expected; a file that is not UTF-8 is read as Windows-1252 (the usual
    legacy encoding of hand-written markdown) and a note says so. Binary files are refused.
    """
    size = source.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportFailed(f"too large: {size} bytes (the limit is {MAX_FILE_BYTES})")
    raw = source.read_bytes()
    if b"\0" in raw:
        raise ImportFailed("a binary file, not markdown text")
    try:
        text, note = raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        text = raw.decode("sloppy-windows-1252")
        byte = f"byte 0x{raw[exc.start]:02x} at byte offset {exc.start}"
        note = f"not UTF-8 ({byte}): read as Windows-1252"
    result = import_roadmap(text, title=title, course_id=course_id)
    if note:
        result.notes.insert(0, note)
    return result
