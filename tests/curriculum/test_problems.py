"""Each kind of problem, with its golden message: file, line, column, text, quoted line."""

from __future__ import annotations

from pathlib import Path

import pytest

from curriculum import CourseInvalid, load_course
from curriculum.yamlsource import MAX_FILE_BYTES
from tests.curriculum.conftest import COURSE, SECTION, problems, write


def test_the_fixture_course_is_valid(course: Path) -> None:
    assert load_course(course).sections[0].topics[0].points[0].id == "first"


def test_yaml_syntax_error_has_its_position(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION + "  - id: x\n   title: [unclosed\n"})
    assert problems(course) == [
        "sections/one.yaml:10:4: YAML syntax error: did not find expected '-' indicator"
        " (while parsing a block collection at line 4) | title: [unclosed"
    ]


def test_wrong_type_says_what_was_expected(course: Path) -> None:
    write(course, {"course.yaml": COURSE.replace("title: Demo", "title: 404")})
    assert problems(course) == [
        "course.yaml:3:8: title: expected text, got a number (404); put it in quotes | title: 404"
    ]


def test_missing_required_key(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION.replace("        title: First point\n", "")})
    assert problems(course) == ["sections/one.yaml:7:9: missing required key 'title' | - id: first"]


def test_unknown_key_suggests_the_close_one(course: Path) -> None:
    write(course, {"course.yaml": COURSE.replace("description:", "descripton:")})
    assert problems(course) == [
        "course.yaml:4:1: unknown key 'descripton' (did you mean 'description'? it is required)"
        " | descripton: A demo course.",
    ]  # one problem, not also "missing required key 'description'"


def test_a_missing_key_without_a_look_alike_is_still_reported(course: Path) -> None:
    write(course, {"course.yaml": COURSE.replace("description:", "summary:")})
    assert problems(course) == [
        "course.yaml:1:1: missing required key 'description' | schema_version: 1",
        "course.yaml:4:1: unknown key 'summary' (allowed: schema_version, id, title,"
        " description, audience, kind, guidelines, extra_guidelines, kickoff,"
        " continue_prompt, resume_prompt, level, hours, prerequisites, "
        "quiz_answers_after, sections) | summary: A demo course.",
    ]


def test_unknown_key_in_a_nested_model_suggests_from_that_model(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION + "    summery: x\n"})
    assert problems(course) == [
        "sections/one.yaml:9:5: unknown key 'summery' (allowed: id, title, points, exercises)"
        " | summery: x"
    ]  # a topic has no summary: nothing close, so the topic's keys are listed


def test_duplicate_ids_name_both_places(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION + "      - id: basics\n        title: Again\n"})
    [problem] = problems(course)
    assert problem.startswith("sections/one.yaml:9:13: duplicate id 'basics': the point here ")
    assert f"the topic at {course / 'sections/one.yaml'}:4:9" in problem
    assert problem.endswith("| - id: basics")


def test_duplicate_ids_across_files(course: Path) -> None:
    write(
        course,
        {
            "course.yaml": COURSE + "  - sections/two.yaml\n",
            "sections/two.yaml": SECTION.replace("id: one", "id: two"),
        },
    )
    found = problems(course)
    assert [p.split(": the")[0] for p in found] == [
        "sections/two.yaml:4:9: duplicate id 'basics'",
        "sections/two.yaml:7:13: duplicate id 'first'",
    ]


def test_missing_section_file(course: Path) -> None:
    write(course, {"course.yaml": COURSE + "  - sections/nope.yaml\n"})
    assert problems(course) == [
        "course.yaml:7:5: section file not found: 'sections/nope.yaml' | - sections/nope.yaml"
    ]


def test_section_file_outside_the_course_is_refused(course: Path) -> None:
    write(course.parent, {"elsewhere.yaml": SECTION})
    write(course, {"course.yaml": COURSE + "  - ../elsewhere.yaml\n"})
    assert problems(course) == [
        "course.yaml:7:5: section file '../elsewhere.yaml' is outside the course folder: refused"
        " | - ../elsewhere.yaml"
    ]


LESSON = """\
        lesson:
          explanation: e
          code: {source: {file: ../code/example.py}}
          walkthrough: w
          notes: n
          summary: s
          try_it: t
"""


def test_missing_exercise_reference(course: Path) -> None:
    lesson = LESSON + "          exercise: practise-it\n"
    write(course, {"sections/one.yaml": SECTION + lesson, "code/example.py": "print(1)\n"})
    assert problems(course) == [
        "sections/one.yaml:16:21: lesson.exercise: no exercise with id 'practise-it' in this"
        " course | exercise: practise-it"
    ]


def test_missing_file_reference(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION + LESSON})
    [problem] = problems(course)
    assert problem.startswith(
        "sections/one.yaml:11:33: file not found: '../code/example.py' (looked for "
    )


def test_file_reference_outside_the_course_is_refused(course: Path) -> None:
    lesson = LESSON.replace("../code/example.py", "../../secret.py")
    write(course, {"sections/one.yaml": SECTION + lesson})
    assert problems(course) == [
        "sections/one.yaml:11:33: file '../../secret.py' is outside the course folder: refused"
        " | code: {source: {file: ../../secret.py}}"
    ]


def test_file_references_are_replaced_by_their_text(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION + LESSON, "code/example.py": "print(1)\n"})
    lesson = load_course(course).sections[0].topics[0].points[0].lesson
    assert lesson is not None
    assert lesson.code.source == "print(1)\n"


def test_empty_topic_and_empty_section(course: Path) -> None:
    empty = "  - id: empty\n    title: Empty\n    points: []\n"
    write(
        course,
        {
            "sections/one.yaml": SECTION + empty,
            "course.yaml": COURSE + "  - {id: bare, title: Bare, topics: []}\n",
        },
    )
    assert problems(course) == [
        "course.yaml:7:37: section 'bare' has no topics: add at least one"
        " | - {id: bare, title: Bare, topics: []}",
        "sections/one.yaml:11:13: topic 'empty' has no points: add at least one | points: []",
    ]


def test_unsupported_schema_version(course: Path) -> None:
    write(course, {"course.yaml": COURSE.replace("schema_version: 1", "schema_version: 9")})
    assert problems(course) == [
        "course.yaml:1:17: unsupported schema_version 9 (this Tutor reads 1) | schema_version: 9"
    ]


def test_not_utf8_reports_the_byte_offset(course: Path) -> None:
    raw = SECTION.encode().replace(b"First point", b"First \xe9t\xe9 point")
    write(course, {"sections/one.yaml": raw})
    offset = raw.index(b"\xe9")
    assert problems(course) == [
        f"sections/one.yaml:8:22: not UTF-8: byte 0xe9 at byte offset {offset} cannot be "
        "decoded; save the file as UTF-8 | title: First \ufffdt\ufffd point"
    ]


def test_file_too_large(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION + "# " + "x" * MAX_FILE_BYTES + "\n"})
    [problem] = problems(course)
    assert problem.startswith("sections/one.yaml:1:1: file too large: ")
    assert f"(the limit is {MAX_FILE_BYTES})" in problem


def test_python_object_tags_are_refused(course: Path) -> None:
    write(
        course,
        {"course.yaml": COURSE.replace("A demo course.", "!!python/object/apply:os.system [ls]")},
    )
    assert problems(course) == [
        "course.yaml:4:14: tag '!!python/object/apply:os.system' refused: it would construct a"
        " Python object; courses are plain data (text, numbers, lists, mappings)"
        " | description: !!python/object/apply:os.system [ls]"
    ]


def test_duplicate_yaml_keys(course: Path) -> None:
    write(course, {"course.yaml": COURSE + "title: Again\n"})
    assert problems(course) == [
        "course.yaml:7:1: duplicate key 'title' (first at line 3) | title: Again"
    ]


def test_every_problem_in_one_run(course: Path) -> None:
    write(
        course,
        {
            "course.yaml": COURSE.replace("title: Demo", "titel: Demo") + "  - sections/no.yaml\n",
            "sections/one.yaml": SECTION.replace("id: first", "id: First Point"),
        },
    )
    assert [p.split(" | ")[0] for p in problems(course)] == [
        "course.yaml:3:1: unknown key 'titel' (did you mean 'title'? it is required)",
        "course.yaml:7:5: section file not found: 'sections/no.yaml'",
        "sections/one.yaml:7:13: id: 'First Point' is not a valid id: use lowercase letters,"
        " digits and single hyphens, e.g. 'my-topic'",
    ]


def test_unknown_exercise_kind_and_missing_kind(course: Path) -> None:
    exercises = """\
    exercises:
      - {id: ex-one, kind: quizz, title: Q, prompt: p}
      - {id: ex-two, title: Q, prompt: p}
"""
    write(course, {"sections/one.yaml": SECTION + exercises})
    assert [p.split(" | ")[0] for p in problems(course)] == [
        "sections/one.yaml:10:9: exercises[0]: unknown kind 'quizz' (did you mean 'quiz'?)",
        "sections/one.yaml:11:9: exercises[1]: missing required key 'kind'"
        " (one of 'code', 'quiz', 'self-check')",
    ]


def test_duplicate_question_ids_within_a_quiz(course: Path) -> None:
    quiz = """\
    exercises:
      - id: q
        kind: quiz
        title: Q
        prompt: p
        questions:
          - {id: same, prompt: p, type: short, answers: [a]}
          - {id: same, prompt: p, type: short, answers: [b]}
"""
    write(course, {"sections/one.yaml": SECTION + quiz})
    assert problems(course) == [
        "sections/one.yaml:16:18: duplicate question id 'same' in this quiz (first at line 15)"
        " | - {id: same, prompt: p, type: short, answers: [b]}"
    ]


def test_a_source_of_the_wrong_shape_gets_one_message(course: Path) -> None:
    lesson = LESSON.replace("{source: {file: ../code/example.py}}", "{source: 12}")
    write(course, {"sections/one.yaml": SECTION + lesson})
    assert problems(course) == [
        "sections/one.yaml:11:26: source: expected text or {file: PATH}, got a number (12)"
        " | code: {source: 12}"
    ]


def test_empty_file_and_missing_course(tmp_path: Path) -> None:
    write(tmp_path, {"course.yaml": "# nothing yet\n"})
    assert problems(tmp_path) == ["course.yaml:1:1: the file is empty | # nothing yet"]
    assert problems(tmp_path / "nope") == [".:0:0: no such course file or folder | "]
    (tmp_path / "folder").mkdir()
    assert problems(tmp_path / "folder") == [
        "course.yaml:0:0: no course.yaml in this folder (create a course with `tutor new DIR`) | "
    ]


def test_a_problem_without_a_line_renders_as_file_and_message(tmp_path: Path) -> None:
    with pytest.raises(CourseInvalid) as caught:
        load_course(tmp_path)
    [problem] = caught.value.problems
    assert problem.render() == f"{tmp_path / 'course.yaml'}: no course.yaml in this folder " + (
        "(create a course with `tutor new DIR`)"
    )


def test_a_tab_in_the_indentation_is_named(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION.replace("  - id: basics", "\t- id: basics")})
    [problem] = problems(course)
    assert problem.startswith("sections/one.yaml:4:1: YAML syntax error: ")
    assert problem.endswith(": a tab character; YAML indents with spaces only | - id: basics")


def test_a_colon_in_a_plain_value_says_to_quote_it(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION.replace("title: One", "title: One: more")})
    assert problems(course) == [
        "sections/one.yaml:2:11: YAML syntax error: mapping values are not allowed in this"
        ' context: a ": " inside a plain value; put the value in quotes | title: One: more'
    ]


def test_a_wrongly_indented_key_says_so(course: Path) -> None:
    broken = SECTION.replace("    title: Basics", "      title: Basics")
    write(course, {"sections/one.yaml": broken})
    assert problems(course) == [
        "sections/one.yaml:5:12: YAML syntax error: mapping values are not allowed in this"
        " context: this line is indented differently from the lines around it | title: Basics"
    ]


def test_a_binary_file_is_named_and_not_quoted(course: Path) -> None:
    write(course, {"sections/one.yaml": b"\x7fELF\x02\x01\x00\x00\x1b[2J\n"})
    assert problems(course) == [
        "sections/one.yaml:1:7: a binary file, not text: NUL byte at byte offset 6;"
        " course files are UTF-8 text | "
    ]


def test_control_characters_in_a_quoted_line_are_escaped(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION + "  \x1b[2J: [\n"})
    assert problems(course) == [
        "sections/one.yaml:9:3: control character U+001B is not allowed in YAML; remove it"
        " | \\x1b[2J: ["
    ]


def test_a_section_path_that_is_a_folder(course: Path) -> None:
    (course / "sections/one.yaml").unlink()
    (course / "sections/one.yaml").mkdir()
    assert problems(course) == [
        "course.yaml:6:5: section file is a folder, not a file: 'sections/one.yaml'"
        " | - sections/one.yaml"
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"- a list\n",
        b"\xff\xfe\x00",
        b"id: [",
        b"sections: 5\n",
        b"sections: [null, 3]\n",
        b"!!python/name:os.system\n",
        b"a: &a [*a]\n",
        b"a: &a {b: *a}\n",
        b"[" * 5000 + b"]" * 5000,
        b"id: x\nsections:\n  - {topics: {x: 1}}\n",
        b"id: x\nsections:\n  - {topics: [{points: [{lesson: 3}]}]}\n",
        b"? [a, b]\n: c\n",
        b"<<: {id: x}\nid: y\n",
        b"---\nid: a\n---\nid: b\n",
        b"id: !custom x\n",
        b"\tid: x\n",
    ],
)
def test_bad_input_is_reported_not_raised(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "course.yaml").write_bytes(content)
    found = problems(tmp_path)
    assert found
    assert all(p.startswith("course.yaml:") for p in found)


def test_single_file_course_with_inline_sections(tmp_path: Path) -> None:
    single = COURSE.replace("  - sections/one.yaml\n", "") + (
        "  - id: one\n"
        "    title: One\n"
        "    topics:\n"
        "      - id: basics\n"
        "        title: Basics\n"
        "        points:\n"
        "          - id: first\n"
        "            title: First point\n"
        "            lesson: {explanation: e, code: {source: {file: ex.py}}, walkthrough: w,\n"
        "                     notes: n, summary: s, try_it: t}\n"
    )
    write(tmp_path, {"single.yaml": single, "ex.py": "print('hi')\n"})
    course = load_course(tmp_path / "single.yaml")
    lesson = course.sections[0].topics[0].points[0].lesson
    assert lesson is not None
    assert lesson.code.source == "print('hi')\n"


def test_merge_keys_are_plain_data(course: Path) -> None:

    text = SECTION.replace(
        "      - id: first\n        title: First point\n",
        "      - &p {id: first, title: First point}\n      - {<<: *p, id: second}\n",
    )
    write(course, {"sections/one.yaml": text})
    points = load_course(course).sections[0].topics[0].points
    assert [(p.id, p.title) for p in points] == [
        ("first", "First point"),
        ("second", "First point"),
    ]


def test_alias_bombs_are_stopped(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdef", "bcdefg", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    write(tmp_path, {"course.yaml": "\n".join(lines) + "\n"})
    found = problems(tmp_path)
    assert any("too many YAML nodes (more than 200000)" in p for p in found)


def test_values_out_of_range_and_empty_lists(course: Path) -> None:
    exercises = """\
    exercises:
      - {id: c, kind: code, title: C, prompt: p, starter: s, solution: s, checks: c,
         limits: {time_s: 100}}
      - {id: q, kind: quiz, title: Q, prompt: p, questions: []}
"""
    write(course, {"sections/one.yaml": SECTION + exercises})
    assert [p.split(" | ")[0] for p in problems(course)] == [
        "sections/one.yaml:11:27: time_s: should be less than or equal to 30, got a number (100)",
        "sections/one.yaml:12:61: questions: needs at least 1 item(s), got 0",
    ]


def test_prompt_templates_name_only_known_placeholders(course: Path) -> None:
    prompts = (
        "continue_prompt: Continue to Section {nmber} ({title})?\n"
        "resume_prompt: Back to {point.__class__} {\n"
    )
    write(course, {"course.yaml": COURSE + prompts})
    assert [p.split(" | ")[0] for p in problems(course)] == [
        "course.yaml:7:18: continue_prompt: unknown placeholder {nmber} (did you mean"
        " {number}?); the placeholders are {number}, {title}",
        "course.yaml:8:16: resume_prompt: invalid template: Single '{' encountered in format"
        " string (write {{ and }} for literal braces)",
    ]


@pytest.mark.parametrize("link", ["sections/one.yaml", "sections"])
def test_a_symlink_leading_out_of_the_course_is_refused(tmp_path: Path, link: str) -> None:
    course = write(tmp_path / "course", {"course.yaml": COURSE})
    outside = write(tmp_path / "outside", {"sections/one.yaml": SECTION})
    (course / link).parent.mkdir(parents=True, exist_ok=True)
    (course / link).symlink_to(outside / link)
    assert problems(course) == [
        "course.yaml:6:5: section file 'sections/one.yaml' is outside the course folder: refused"
        " | - sections/one.yaml"
    ]


def test_a_symlink_that_stays_inside_the_course_is_followed(course: Path) -> None:
    (course / "sections/one.yaml").rename(course / "real.yaml")
    (course / "sections/one.yaml").symlink_to(course / "real.yaml")
    assert load_course(course).sections[0].id == "one"


def test_a_section_file_given_as_the_course_says_so(course: Path) -> None:
    with pytest.raises(CourseInvalid) as caught:
        load_course(course / "sections/one.yaml")
    assert [(p.line, p.column, p.message) for p in caught.value.problems] == [
        (
            1,
            1,
            "this is a section file, not a course: give the course folder (or the course.yaml"
            " that lists this file)",
        )
    ]


def test_a_section_file_listed_twice_is_one_problem(course: Path) -> None:
    write(course, {"course.yaml": COURSE + "  - ./sections/one.yaml\n"})
    assert problems(course) == [
        "course.yaml:7:5: section file './sections/one.yaml' is listed twice (first at line 6):"
        " list each section once | - ./sections/one.yaml"
    ]


def test_a_second_yaml_document_says_a_file_holds_one(course: Path) -> None:
    write(course, {"sections/one.yaml": SECTION + "---\nid: two\n"})
    [problem] = problems(course)
    assert problem.startswith("sections/one.yaml:9:1: YAML syntax error: but found another")
    assert problem.endswith(
        ": a file holds one YAML document; remove this '---' and what follows, or merge it | ---"
    )


def test_an_id_that_is_too_long_says_by_how_much(course: Path) -> None:
    long_id = "a" * 81
    write(course, {"sections/one.yaml": SECTION.replace("id: first", f"id: {long_id}")})
    assert problems(course) == [
        f"sections/one.yaml:7:13: id: too long: at most 80 characters, got 81 | - id: {long_id}"
    ]


def test_empty_guidelines_would_leave_no_teaching_steps(course: Path) -> None:
    write(course, {"course.yaml": COURSE + "guidelines: []\n"})
    assert problems(course) == [
        "course.yaml:7:13: guidelines: needs at least 1 item(s), got 0: the tutor would have"
        " no teaching steps; leave 'guidelines' out to use the default pattern, or use"
        " 'extra_guidelines' to add steps to it | guidelines: []"
    ]
