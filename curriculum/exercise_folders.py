"""Read exercise folders as instructors publish them: what ``tutor import-exercises`` imports.

Two layouts are read.  The common public layout (one folder per exercise):
``.docs/instructions.md`` (plus optional ``introduction.md``, ``instructions.append.md``
and ``hints.md``) and ``.meta/config.json`` naming ``files.solution`` (the stub the
learner edits), ``files.test``, ``files.example`` (or ``files.exemplar``: the reference)
and further files (``files.editor`` and others, given to the learner read-only).  The
plain layout: ``README.md``, a stub, ``solution.py``, ``test_*.py`` (or ``*_test.py``)
and extra files.  An exercise that cannot be expressed is a :class:`Refusal` with the
reason, never dropped.  Which module the tests import is read from the tests themselves.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from curriculum.model import CodeExercise
from curriculum.slugs import slugify

MAX_FILE_BYTES = 512 * 1024
NETWORK_MODULES = frozenset(
    [
        "socket",
        "urllib.request",
        "http.client",
        "requests",
        "httpx",
        "aiohttp",
        "ftplib",
        "smtplib",
        "poplib",
        "imaplib",
        "telnetlib",
        "xmlrpc.client",
        "urllib3",
        "websockets",
    ]
)
_GENERIC_TITLES = {"instructions", "introduction", "readme", "description", "task", "hints"}
_SKIPPED_NAMES = {"__pycache__", "README.md", "HINTS.md", ".DS_Store"}


class Unexpressible(Exception):
    """Why an exercise cannot be expressed as a Tutor exercise."""


@dataclass(frozen=True)
class Refusal:
    """An exercise folder that was not imported, and why."""

    folder: str
    reason: str


@dataclass
class ExerciseDraft:
    """One exercise read from its folder, ready to be written into a course."""

    folder: str
    title: str
    prompt: str
    module: str
    starter: str
    solution: str
    tests: dict[str, str]
    files: dict[str, str] = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)
    starter_passes: bool = False
    notes: list[str] = field(default_factory=list)


def read_exercise_folders(root: Path) -> tuple[list[ExerciseDraft], list[Refusal]]:
    """Every exercise folder under ``root`` (sorted by name): drafts, and refusals."""
    drafts: list[ExerciseDraft] = []
    refusals: list[Refusal] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            drafts.append(read_exercise_folder(folder))
        except Unexpressible as exc:
            refusals.append(Refusal(folder.name, str(exc)))
    return drafts, refusals


def read_exercise_folder(folder: Path) -> ExerciseDraft:
    """One exercise, in whichever layout it has; Unexpressible says why it cannot be."""
    if (folder / ".meta" / "config.json").is_file() or (folder / ".docs").is_dir():
        return _public(folder)
    return _plain(folder)


def _text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise Unexpressible(f"{path.name} is larger than {MAX_FILE_BYTES // 1024} KB")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Unexpressible(
            f"{path.name} is not UTF-8 text (binary files cannot be given)"
        ) from None
    except OSError as exc:
        raise Unexpressible(f"cannot read {path.name}: {exc.strerror or exc}") from None


def _optional(path: Path) -> str:
    return _text(path) if path.is_file() else ""


def _config(folder: Path) -> dict[str, list[str]]:
    path = folder / ".meta" / "config.json"
    if not path.is_file():
        raise Unexpressible(".meta/config.json is missing: it names the stub, tests and reference")
    try:
        data: Any = json.loads(_text(path))
    except json.JSONDecodeError as exc:
        raise Unexpressible(f".meta/config.json is not valid JSON: {exc}") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        raise Unexpressible(".meta/config.json has no `files` object")
    named = {str(k): [str(v) for v in vs] for k, vs in files.items() if isinstance(vs, list)}
    custom = data.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("starter_passes"), bool):
        named["starter_passes"] = [str(custom["starter_passes"]).lower()]
    return named


def _one(files: dict[str, list[str]], *keys: str) -> str:
    for key in keys:
        if files.get(key):
            return files[key][0]
    raise Unexpressible(f".meta/config.json names no `files.{keys[0]}`")


def _public(folder: Path) -> ExerciseDraft:
    docs = folder / ".docs"
    instructions = _optional(docs / "instructions.md")
    if not instructions.strip():
        raise Unexpressible(".docs/instructions.md is missing or empty")
    files = _config(folder)
    stub_name = _one(files, "solution")
    if len(files["solution"]) > 1:
        edited = ", ".join(files["solution"])
        raise Unexpressible(f"the learner edits several files ({edited}); a submission is one")
    reference = _one(files, "example", "exemplar")
    tests = {Path(name).name: _text(folder / name) for name in files.get("test", [])}
    if not tests:
        raise Unexpressible(".meta/config.json names no `files.test`")
    extra: dict[str, str] = {}
    for key, names in files.items():
        if key not in ("solution", "test", "example", "exemplar", "invalidator", "starter_passes"):
            extra.update({name: _text(folder / name) for name in names})
    introduction = _optional(docs / "introduction.md")
    prompt = _join_docs(introduction, instructions, _optional(docs / "instructions.append.md"))
    explicit = files.get("starter_passes")
    return _draft(
        folder,
        title=_title(folder, instructions),
        prompt=prompt,
        stub=(stub_name, _text(folder / stub_name)),
        solution=_text(folder / reference),
        tests=tests,
        files=extra,
        hints=parse_hints(_optional(docs / "hints.md")),
        starter_passes=None if explicit is None else explicit == ["true"],
    )


def _plain(folder: Path) -> ExerciseDraft:
    readme = _optional(folder / "README.md")
    if not readme.strip():
        raise Unexpressible("no README.md or .docs/instructions.md: nothing to show the learner")
    if not (folder / "solution.py").is_file():
        raise Unexpressible("no solution.py: a reference solution is needed to prove the tests")
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in _SKIPPED_NAMES)
    test_names = [n for n in names if re.fullmatch(r"test_\w+\.py|\w+_test\.py", n)]
    if not test_names:
        raise Unexpressible("no test file (test_*.py or *_test.py)")
    tests = {name: _text(folder / name) for name in test_names}
    for name, text in tests.items():
        _parse(name, text)
    solution = _text(folder / "solution.py")
    _parse("solution.py", solution)
    candidates = {n[:-3] for n in names if n.endswith(".py")} - {"solution"}
    module = _tested_module(tests, candidates, solution)
    others = [n for n in names if n not in test_names and n not in ("solution.py", f"{module}.py")]
    if not (folder / f"{module}.py").is_file():
        raise Unexpressible(f"the tests import `{module}`, but there is no {module}.py stub")
    title = _title(folder, readme)
    return _draft(
        folder,
        title=title,
        prompt=_join_docs(readme, title=title),
        stub=(f"{module}.py", _text(folder / f"{module}.py")),
        solution=solution,
        tests=tests,
        files={name: _text(folder / name) for name in others},
        hints=parse_hints(_optional(folder / "HINTS.md")),
        starter_passes=None,
    )


def _draft(
    folder: Path,
    *,
    title: str,
    prompt: str,
    stub: tuple[str, str],
    solution: str,
    tests: dict[str, str],
    files: dict[str, str],
    hints: list[str],
    starter_passes: bool | None,
) -> ExerciseDraft:
    stub_name, starter = stub
    module = Path(stub_name).stem
    if not stub_name.endswith(".py") or not module.isidentifier():
        raise Unexpressible(f"the stub {stub_name!r} is not a Python module")
    for name, text in {stub_name: starter, "the reference": solution, **tests}.items():
        _parse(name, text)
    local = {Path(n).stem for n in files if n.endswith(".py")} | {module}
    _needs_only_the_sandbox([solution, *tests.values()], local)
    if module not in _imported(tests):
        raise Unexpressible(f"the tests never import `{module}`, the module the learner writes")
    files = _flat(files)
    notes: list[str] = []
    if starter_passes is None:
        starter_passes = is_complete_code(starter)
        if starter_passes:
            notes.append("its starter is complete code: marked starter_passes (a refactoring)")
    draft = ExerciseDraft(
        folder=folder.name,
        title=title,
        prompt=prompt,
        module=module,
        starter=starter,
        solution=solution,
        tests=tests,
        files=files,
        hints=hints,
        starter_passes=starter_passes,
        notes=notes,
    )
    _valid(draft)
    return draft


def _flat(files: dict[str, str]) -> dict[str, str]:
    """Files by their name alone: the sandbox places them beside the learner's module."""
    flat: dict[str, str] = {}
    for name, text in files.items():
        base = Path(name).name
        if base in flat:
            raise Unexpressible(f"two of its files are named {base!r}")
        flat[base] = text
    return flat


def _valid(draft: ExerciseDraft) -> None:
    """The exercise as the course format says it (the model is the one definition)."""
    try:
        exercise_model(slugify(draft.folder, "exercise"), draft)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [str(part) for part in error["loc"]]
        if len(loc) == 3 and loc[0] in ("tests", "files") and loc[2] == "[key]":
            what = "test file" if loc[0] == "tests" else "file"
            rule = "a module name ending in .py" if loc[0] == "tests" else "no folders, no spaces"
            raise Unexpressible(
                f"the {what} name {loc[1]!r} is not one the course format allows ({rule})"
            ) from None
        where = ".".join(loc)
        message = str(error["msg"]).removeprefix("Value error, ")
        raise Unexpressible(
            f"the course format refuses it: {where + ': ' if where else ''}{message}"
        ) from None


def exercise_model(exercise_id: str, draft: ExerciseDraft) -> CodeExercise:
    """The ``mode: testfile`` code exercise a draft becomes (texts inline)."""
    return CodeExercise(
        kind="code",
        id=exercise_id,
        title=draft.title,
        prompt=draft.prompt,
        mode="testfile",
        module=draft.module,
        starter=draft.starter,
        solution=draft.solution,
        tests=dict(draft.tests),
        files=dict(draft.files),
        hints=draft.hints,
        starter_passes=draft.starter_passes,
    )


def _parse(name: str, text: str) -> ast.Module:
    try:
        return ast.parse(text)
    except SyntaxError as exc:
        raise Unexpressible(f"{name} is not valid Python: {exc.msg} (line {exc.lineno})") from None


def _imports(text: str, *, patched: bool = False) -> set[str]:
    """Every module a file imports, anywhere in it (inside functions too), dotted; with
    ``patched``, also the modules that dotted strings name (``mock.patch("clock.now")``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif patched and isinstance(node, ast.Constant) and isinstance(node.value, str):
            target = node.value.split(".")[0]  # mock.patch("clock.datetime") names `clock`
            if target.isidentifier() and "." in node.value:
                found.add(target)
    return found


def _imported(tests: dict[str, str]) -> set[str]:
    return {n.split(".")[0] for text in tests.values() for n in _imports(text, patched=True)}


def _tested_module(tests: dict[str, str], candidates: set[str], solution: str) -> str:
    """The stub: the module of this folder the tests import and the reference does not
    (the reference imports the helper modules it shares with the stub, never the stub)."""
    imported = _imported(tests) & candidates
    if not imported:
        raise Unexpressible("the tests import no module of this folder: which is the stub?")
    helpers = {n.split(".")[0] for n in _imports(solution)}
    chosen = sorted(imported - helpers)
    if len(chosen) > 1:
        raise Unexpressible(
            f"the tests import several modules of this folder ({', '.join(chosen)}): "
            "which one is the stub? (use the public layout's .meta/config.json to say)"
        )
    return chosen[0]


def _needs_only_the_sandbox(texts: list[str], local: set[str]) -> None:
    """Refuse code that needs the network or a package the sandbox does not have."""
    for text in texts:
        for name in sorted(_imports(text)):
            top = name.split(".")[0]
            if name in NETWORK_MODULES or top in NETWORK_MODULES:
                raise Unexpressible(
                    f"it needs the network (it imports {name}), and the sandbox has none"
                )
            if top in local or top in sys.stdlib_module_names or name != top:
                continue
            if importlib.util.find_spec(top) is None:
                raise Unexpressible(f"it imports {top}, which is not installed for the sandbox")


def is_complete_code(stub: str) -> bool:
    """True when no function of the stub is left to write (no ``pass``/``...`` bodies, no
    ``raise NotImplementedError``) and it defines at least one: a refactoring's starter."""
    tree = ast.parse(stub)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return bool(functions) and not any(_empty_body(f.body) for f in functions)


def _empty_body(body: list[ast.stmt]) -> bool:
    for statement in body:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring or ``...``
        return isinstance(statement, ast.Raise) and "NotImplementedError" in ast.unparse(statement)
    return True


def _title(folder: Path, document: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", document, re.M)
    heading = match.group(1).strip() if match else ""
    if heading and heading.lower() not in _GENERIC_TITLES:
        return heading
    words = re.split(r"[-_\s]+", folder.name)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or folder.name


def _join_docs(*parts: str, title: str = "") -> str:
    """The documents as one prompt, each without its top heading when that is generic
    ("Instructions") or the exercise's title (shown above the prompt anyway)."""
    kept = []
    for part in parts:
        text = part.strip()
        match = re.match(r"#\s+(.+?)\s*\n", text + "\n")
        heading = match.group(1).strip().lower() if match else ""
        if match and (
            heading.removesuffix(" append") in _GENERIC_TITLES or heading == title.lower()
        ):
            text = text[match.end() :].strip()
        if text:
            kept.append(text)
    return "\n\n".join(kept)


def parse_hints(text: str) -> list[str]:
    """Hints from a hints document: each top-level list item is one hint, in order (with
    its continuation lines); a document without a list is one hint."""
    hints: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        item = re.match(r"^[-*+]\s+(.*)$", line)
        if item:
            if current:
                hints.append(" ".join(current))
            current = [item.group(1).strip()]
        elif current is not None and line.startswith((" ", "\t")) and line.strip():
            current.append(line.strip())
        elif current is not None:
            hints.append(" ".join(current))
            current = None
    if current:
        hints.append(" ".join(current))
    if not hints:
        body = _join_docs(text).strip()
        hints = [body] if body else []
    return [h for h in hints if h]
