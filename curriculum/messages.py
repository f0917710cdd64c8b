"""Turn Pydantic validation errors into located, instructor-friendly problems."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from curriculum.problems import Problem
from curriculum.yamlsource import YamlDoc, node_at

_SLUG_HINT = "use lowercase letters, digits and single hyphens, e.g. 'my-topic'"
_TOO_SHORT_HINTS = {
    "guidelines": ": the tutor would have no teaching steps; leave 'guidelines' out to use"
    " the default pattern, or use 'extra_guidelines' to add steps to it",
}


def problems_from_errors(
    doc: YamlDoc, model: type[BaseModel], errors: list[ErrorDetails]
) -> list[Problem]:
    """Locate each error of validating ``doc.data`` against ``model`` in the file.

    Errors from the branches of a union that the data's own type rules out (the text
    branch when a mapping was written, say) are dropped; when no branch fits, one
    problem says what was expected instead.
    """
    kept: list[tuple[tuple[Any, ...], ErrorDetails]] = []
    unions: dict[tuple[Any, ...], tuple[Any, list[str]]] = {}
    answered: set[tuple[Any, ...]] = set()
    for error in errors:
        path, branches = _walk(doc.data, error)
        matching = all(_branch_matches(tag, value) for _, tag, value in branches)
        for union_path, tag, value in branches:
            unions.setdefault(union_path, (value, []))[1].append(tag)
            if matching:
                answered.add(union_path)
        if matching:
            kept.append((path, error))
    missing = {(path, error["loc"][-1]) for path, error in kept if error["type"] == "missing"}
    typos = _typos_of_missing(model, kept, missing)
    result = [
        _problem(doc, model, path, error, typos)
        for path, error in kept
        if not (error["type"] == "missing" and (path, error["loc"][-1]) in typos.values())
    ]
    for union_path, (value, tags) in unions.items():
        if union_path not in answered:
            expected = " or ".join(dict.fromkeys(_describe_branch(t) for t in tags))
            message = f"{_label(union_path)}: expected {expected}, got {_kind(value)}"
            result.append(doc.problem(node_at(doc.node, union_path), message))
    return result


def _typos_of_missing(
    model: type[BaseModel],
    kept: list[tuple[tuple[Any, ...], ErrorDetails]],
    missing: set[tuple[tuple[Any, ...], Any]],
) -> dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]]:
    """Unknown keys that are a misspelling of a missing required key of the same mapping.

    Maps the unknown key's path to (mapping path, required key): one problem then says
    both ("did you mean 'title'? it is required") instead of two.
    """
    typos: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}
    for path, error in kept:
        if error["type"] != "extra_forbidden" or not path:
            continue
        names = [name for where, name in missing if where == path[:-1]]
        close = difflib.get_close_matches(str(path[-1]), [str(n) for n in names], n=1)
        if close:
            typos[path] = (path[:-1], close[0])
    return typos


def _walk(
    data: Any, error: ErrorDetails
) -> tuple[tuple[Any, ...], list[tuple[tuple[Any, ...], str, Any]]]:
    """Follow ``loc`` through the data: the data path, and the union branches taken."""
    loc = error["loc"][:-1] if error["type"] == "missing" else error["loc"]
    current = data
    path: list[Any] = []
    branches: list[tuple[tuple[Any, ...], str, Any]] = []
    for step in loc:
        if _has(current, step):
            current = current[step]
        elif step == "[key]":
            continue
        else:
            branches.append((tuple(path), str(step), current))
            continue
        path.append(step)
    return tuple(path), branches


def _has(data: Any, step: Any) -> bool:
    if isinstance(data, dict):
        return step in data
    return isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data)


def _branch_matches(tag: str, value: Any) -> bool:
    if tag.endswith("str"):
        return isinstance(value, str)
    return isinstance(value, dict)


def _describe_branch(tag: str) -> str:
    if tag.endswith("str"):
        return "text"
    if tag == "FileRef":
        return "{file: PATH}"
    if tag == "Section":
        return "a section (a mapping with id, title, topics)"
    return f"a {tag} mapping"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _label(path: tuple[Any, ...]) -> str:
    """A short name for the place: the last key plus any list indices after it."""
    parts: list[str] = []
    for step in reversed(path):
        parts.insert(0, f"[{step}]" if isinstance(step, int) else str(step))
        if not isinstance(step, int):
            break
    return "".join(parts) or "file"


def _problem(
    doc: YamlDoc,
    model: type[BaseModel],
    path: tuple[Any, ...],
    error: ErrorDetails,
    typos: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]],
) -> Problem:
    kind = error["type"]
    value = error.get("input")
    loc = error["loc"]
    if kind == "missing":
        name = loc[-1]
        return doc.problem(node_at(doc.node, path), f"missing required key '{name}'")
    if kind == "extra_forbidden":
        name = path[-1] if path else loc[-1]
        if path in typos:
            required = typos[path][1]
            message = f"unknown key '{name}' (did you mean '{required}'? it is required)"
            return doc.problem(node_at(doc.node, path, key=True), message)
        message = f"unknown key '{name}'" + _suggest(str(name), _allowed_keys(model, loc[:-1]))
        return doc.problem(node_at(doc.node, path, key=True), message)
    node = node_at(doc.node, path, key=loc[-1:] == ("[key]",))
    return doc.problem(node, f"{_label(path)}: {_message(error, value)}")


_NAME_HINTS = {
    r"^[A-Za-z_][A-Za-z0-9_]*$": "a Python module name (letters, digits, underscores)",
    r"^[A-Za-z_][A-Za-z0-9_]*\.py$": "a test file name: a Python module name ending in .py",
    r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$": "a file name (letters, digits, '_', '.', '-'; no folders)",
}


def _message(error: ErrorDetails, value: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "string_type":
        hint = "; put it in quotes" if isinstance(value, int | float | bool) else ""
        return f"expected text, got {_kind(value)}{hint}"
    pattern = str(ctx.get("pattern", ""))
    if kind == "string_pattern_mismatch" and pattern.startswith("^[a-z0-9]+"):
        return f"'{value}' is not a valid id: {_SLUG_HINT}"
    if kind == "string_pattern_mismatch" and pattern in _NAME_HINTS:
        return f"'{value}' is not {_NAME_HINTS[pattern]}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping (key: value), got {_kind(value)}"
    if kind == "list_type":
        return f"expected a list, got {_kind(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_kind(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {_kind(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_kind(value)}"
    if kind == "union_tag_invalid":
        expected = str(ctx.get("expected_tags", ""))
        tag = str(ctx.get("tag"))
        tags = [t.strip(" '") for t in expected.split(",")]
        return f"unknown kind '{tag}'" + _suggest(tag, tags)
    if kind == "union_tag_not_found":
        return "missing required key 'kind' (one of 'code', 'quiz', 'self-check')"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"too long: at most {ctx.get('max_length')} characters, got {len(str(value))}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        tags = [t.strip(" '") for t in expected.replace(" or ", ",").split(",")]
        return f"expected {expected}, got '{value}'" + _suggest(str(value), tags, listing=False)
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    if kind == "too_short":
        hint = _TOO_SHORT_HINTS.get(str(error["loc"][-1]), "")
        return f"needs at least {ctx.get('min_length', 1)} item(s), got {len(value or ())}{hint}"
    message = error["msg"].replace("Input should be", "should be")
    return f"{message[:1].lower()}{message[1:]}, got {_kind(value)}"


def _suggest(name: str, allowed: list[str], *, listing: bool = True) -> str:
    if not allowed:
        return ""
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (allowed: {', '.join(allowed)})" if listing else ""


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the model that ``loc`` (with union tags) points into."""
    current: Any = model
    for step in loc:
        current = _step(current, step)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _step(tp: Any, step: Any) -> Any:
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(str(step))
        return field.annotation if field is not None else None
    if origin in (list, tuple):
        return typing.get_args(tp)[0] if isinstance(step, int) else None
    if origin is dict:
        return typing.get_args(tp)[1]
    if origin in (typing.Union, types.UnionType):
        return _union_member(typing.get_args(tp), step)
    return None


def _union_member(members: tuple[Any, ...], step: Any) -> Any:
    for member in members:
        plain = _unwrap(member)
        if not (isinstance(plain, type) and issubclass(plain, BaseModel)):
            continue
        if plain.__name__ == step:
            return plain
        kind = plain.model_fields.get("kind")
        if kind is not None and step in typing.get_args(kind.annotation):
            return plain
    non_none = [m for m in members if m is not type(None)]
    if len(non_none) == 1:
        return _step(non_none[0], step)
    return None
