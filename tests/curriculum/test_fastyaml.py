"""The fast reader returns exactly what the reference reader builds, or declines."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curriculum import bundled_course_dirs, load_course
from curriculum.fastyaml import vouched_data
from curriculum.problems import Problem
from curriculum.yamlsource import MAX_DEPTH, MAX_NODES, YamlDoc, node_at, parse_yaml

REPO = Path(__file__).resolve().parents[2]


def reference(text: str) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    doc = parse_yaml(Path("t.yaml"), text, problems)
    return (None if doc is None else doc.data), problems


def same(a: Any, b: Any) -> bool:
    """Equal data, also in types (``1`` is not ``True``) and with NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def assert_agrees(text: str) -> bool:
    """Where the fast reader vouches, the reference reader reads the same without problems."""
    fast = vouched_data(text)
    if fast is None:
        return False
    data, problems = reference(text)
    assert problems == [], text
    assert same(fast, data), (text, fast, data)
    return True


def repository_yaml() -> list[Path]:
    return sorted(
        path
        for pattern in ("*.yaml", "*.yml")
        for path in REPO.rglob(pattern)
        if not {".venv", ".git", "node_modules"} & set(path.parts)
    )


def test_agrees_on_every_yaml_file_in_the_repository() -> None:
    paths = repository_yaml()
    vouched = [path for path in paths if assert_agrees(path.read_text(encoding="utf-8-sig"))]
    assert len(paths) > 20
    assert len(vouched) >= 0.8 * len(paths), sorted(set(paths) - set(vouched))


def test_reads_most_of_the_bundled_courses() -> None:
    """The fast path serves real courses (code, markdown, quizzes), not only the benchmark."""
    files = [p for folder in bundled_course_dirs().values() for p in folder.rglob("*.yaml")]
    vouched = [p for p in files if vouched_data(p.read_text(encoding="utf-8")) is not None]
    assert len(vouched) >= 0.8 * len(files), sorted(set(files) - set(vouched))


@pytest.mark.parametrize("course_id", sorted(bundled_course_dirs()))
def test_both_readers_load_the_same_course(course_id: str) -> None:
    folder = bundled_course_dirs()[course_id]
    assert load_course(folder) == load_course(folder, fast=False)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['true']\n",
        "a: !custom x\n",
        "- !!str 1\n",
        "a: [!!str 1]\n",
        "a: &anchor 1\nb: *anchor\n",
        "a: *nowhere\n",
        "base: {x: 1}\nd:\n  <<: {x: 2}\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: b\rc: d\n",
        "a: b\x85c: d\n",
        "a: b\u2028c\n",
        "a: \x07\n",
        "a: \x7f\n",
        "a: 1\n\ufeffb: 2\n",
        "\ufeffa: 1\n",
        "a: 0777\n",
        "a: [0o17]\n",
        "a: 0X1F\n",
        "a: 1_000\n",
        "a: 1e3\n",
        "a: 1.5E+3 # a comment\n",
        "a: +.5\n",
        "a: yes\n",
        "a: 'on'\n",
        "a: 1:30\n",
        "a: 2024-01-01\n",
        "a: =\n",
        "yes: 1\n",
        "1: a\n",
        "a: 1\na: 2\n",
        "- a\n",
        "just text\n",
        "",
        "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",
        "a: [" + ", ".join(["x"] * MAX_NODES) + "]\n",
        "a: b: c\n",
        "a:\n\t- x\n",
    ],
)
def test_declines_what_only_the_reference_reader_can_read(text: str) -> None:
    assert vouched_data(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: -2\nc: 1.5\nd: true\ne: ~\nf:\ng: .inf\nh: ''\n",
        "title: Observability and monitoring\ncode: |\n  if a != b and c & d:\n"
        "      print(f'{x:.2f} {y!r}')  # 1e3, 0777\n",
        "text: >\n  folded\n  lines\n\n  para\nlist: [a, 'b c', \"d e\"]\n",
        "starter: {file: ../exercises/x/starter.py}\nhints: []\n",
        "---\na: 1\n",
        "a: 1\r\nb: two\r\n",
        "prose: 1,000 requests at 10 percent & a bang!\n",
    ],
)
def test_vouches_for_plain_course_text(text: str) -> None:
    assert assert_agrees(text)


def test_a_lazily_located_problem_points_at_the_right_line(tmp_path: Path) -> None:
    text = "id: one\ntitle: One\ntopics:\n  - id: t\n    title: T\n    points: []\n"
    doc = YamlDoc(tmp_path / "s.yaml", text, vouched_data(text))
    problem = doc.problem(node_at(doc.node, ("topics", 0, "points")), "empty")
    assert (problem.line, problem.column, problem.source_line) == (6, 13, "points: []")


def test_an_unreadable_text_locates_problems_at_the_start(tmp_path: Path) -> None:
    doc = YamlDoc(tmp_path / "s.yaml", "a: b: c\n", {"a": "x"})
    assert (doc.problem(doc.node, "x").line, doc.problem(doc.node, "x").column) == (1, 1)


# Generated documents: plain scalars spelled every way YAML 1.1 and 1.2 might read
# differently, in block and flow collections, quoted and block scalars, and noise.

# fmt: off
TOKENS = [
    "yes", "no", "on", "off", "y", "n", "Yes", "NO", "True", "false", "TRUE", "Null", "null",
    "~", "=", "<<", "!", "&", "*", "-", "?", ":", "#",
    "0", "7", "12", "-3", "+4", "0777", "09", "0o17", "0O17", "0x1f", "0X1F", "0b11", "1_000",
    "1e3", "1E+3", "1.5e-3", ".5", "-.5", "+.5", "5.", "1.0", ".inf", "-.Inf", ".NaN",
    "1:30", "190:20:30", "2024-01-01", "2001-12-14t21:59:43.10-05:00",
    "id", "title", "a-b", "s1_x", "v0.5", "~x", "x~", "'q'", '"q"', "a#b", "a:b",
]
# fmt: on
LINE = st.one_of(
    st.sampled_from(["", " ", "  more", "text  x", "\tx", "# not a comment", "a: b", "- c"]),
    st.text(alphabet=" \tab:#-", max_size=6),
)
COMMENT = st.sampled_from(["", "", " # note", " #: |"])
NOISE = st.text(alphabet=" \t:#-!&*,[]{}'\"\\%@`|>.0123456789eEoxXbB_+~yYnN\ufeff", max_size=8)
SCALAR = st.one_of(st.sampled_from(TOKENS), NOISE, st.text(max_size=12))


def plain(value: str) -> str:
    return value


def single(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def double(value: str) -> str:
    return json.dumps(value)


STYLE = st.sampled_from([plain, plain, plain, single, double])


@st.composite
def scalar(draw: st.DrawFn) -> str:
    return str(draw(STYLE)(draw(SCALAR)))


@st.composite
def flow(draw: st.DrawFn, depth: int) -> str:
    """A flow collection: simple ones the fast reader takes, and nested or odd ones."""
    items = draw(st.lists(scalar() | (flow(depth - 1) if depth else scalar()), max_size=3))
    if draw(st.booleans()):
        return "[" + ", ".join(items) + "]"
    keys = draw(st.lists(scalar(), min_size=len(items), max_size=len(items)))
    return "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, items, strict=True)) + "}"


@st.composite
def block(draw: st.DrawFn, indent: int, depth: int) -> str:
    """What follows ``key:`` or ``-``: a scalar, a collection, or a block scalar."""
    pad = " " * indent
    kinds = ["map", "seq", "compact", "flow", "literal", "quoted"] if depth else []
    kind = draw(st.sampled_from(["scalar", *kinds]))
    if kind == "scalar":
        return " " + draw(scalar()) + draw(COMMENT) + "\n"
    if kind == "flow":
        return " " + draw(flow(2)) + "\n"
    if kind == "quoted":  # a quoted scalar over several lines, holding YAML-looking text
        lines = draw(st.lists(LINE | st.sampled_from(["x: |", "- [0777]", "!t", "&a"]), min_size=2))
        quote = draw(st.sampled_from(["'", '"']))
        body = f"\n{pad}  ".join(line.replace(quote, "") for line in lines)
        return f" {quote}{body}{quote}\n"
    if kind == "literal":
        lines = draw(st.lists(LINE, min_size=1, max_size=4))
        head = draw(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1-", "| # c"]))
        return f" {head}\n" + "".join(f"{pad}  {line}\n".replace(" \n", "\n") for line in lines)
    keys = draw(st.lists(scalar() | st.sampled_from(TOKENS[-14:]), min_size=1, max_size=3))
    if kind == "compact":  # - key: value, with the following keys under the first
        out = "\n"
        for _ in range(draw(st.integers(1, 2))):
            for n, key in enumerate(keys):
                head = f"{pad}  - {key}:" if n == 0 else f"{pad}    {key}:"
                out += head + draw(block(indent + 4, depth - 1))
        return out
    out = "\n" + draw(st.sampled_from(["", f"{pad}  # a comment: |\n"]))
    for key in keys:
        head = f"{pad}  {key}:" if kind == "map" else f"{pad}  -"
        out += head + draw(block(indent + 2, depth - 1))
    return out


@st.composite
def document(draw: st.DrawFn) -> str:
    keys = draw(st.lists(st.sampled_from(TOKENS[-14:]) | scalar(), min_size=1, max_size=4))
    text = "".join(f"{key}:" + draw(block(0, 3)) for key in keys)
    return text.replace("\n", "\r\n") if draw(st.integers(0, 9)) == 0 else text


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_agrees_on_generated_documents(text: str) -> None:
    assert_agrees(text)


# Generated data, written out by PyYAML in its many styles: valid YAML, mostly vouched for.

TEXT = st.text(alphabet="ab xyZé.-_:\n ", max_size=30) | st.text(
    alphabet="ab xyZ0159_-.:#'\"\n\t!&*[]{},|>%@`?~é\ufeff\u2028\x85", max_size=12
)
LEAF = st.one_of(
    TEXT,
    st.sampled_from(TOKENS),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)
IDENTIFIER = st.from_regex(r"\A[a-z][a-z0-9_-]{0,10}\Z")
KEY = IDENTIFIER | st.sampled_from(TOKENS) | st.text(alphabet="abZé .-_:'", min_size=1, max_size=9)
DATA = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEY, inner, max_size=4),
    max_leaves=25,
)


class _BlockDumper(yaml.SafeDumper):
    """Writes text with line breaks as literal block scalars, as instructors do."""


def _literal(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _literal)


@st.composite
def dumped(draw: st.DrawFn) -> str:
    data = draw(st.dictionaries(KEY, DATA, min_size=1, max_size=5))
    return yaml.dump(
        data,
        Dumper=draw(st.sampled_from([yaml.SafeDumper, _BlockDumper])),
        default_flow_style=draw(st.sampled_from([False, False, False, None, True])),
        default_style=draw(st.sampled_from([None] * 8 + ["'", '"'])),
        width=draw(st.integers(20, 120)),
        indent=draw(st.integers(2, 4)),
        allow_unicode=draw(st.booleans()),
        sort_keys=False,
    )


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dumped())
def test_agrees_on_dumped_data(text: str) -> None:
    assert_agrees(text)


def test_a_failure_of_the_fast_reader_falls_back_to_the_reference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug in yaml-rs (an error, or a Rust panic) costs speed, never a course."""

    class PanicException(BaseException):  # how pyo3 raises a Rust panic
        pass

    def panic(text: str, **options: object) -> None:
        raise PanicException("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr("curriculum.fastyaml.yaml_rs.loads", panic)
    assert vouched_data("a: 1\n") is None
    folder = bundled_course_dirs()["backend-roadmap"]
    assert load_course(folder) == load_course(folder, fast=False)
