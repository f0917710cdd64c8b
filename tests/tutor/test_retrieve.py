"""Course passages for a question: BM25, the learner's point and topic boosted, and the
answer's prompt grounded in the lesson being read."""

from __future__ import annotations

from curriculum.model import Course
from tutor import flow
from tutor.backends.offline import OfflineBackend
from tutor.engine import Tutor
from tutor.retrieve import find_passages, tokens

FLASK = "Why FastAPI over Flask?"


def test_the_point_that_discusses_flask_comes_first(flagship: Course) -> None:
    ref = flagship.outline.point("modern-async-framework")
    assert ref is not None
    found = find_passages(flagship, FLASK, at=ref.position)
    assert found[0].position.point_id == "modern-async-framework"
    assert "Flask" in found[0].text
    assert found == sorted(found, key=lambda p: -p.score)


def test_the_flask_passage_wins_even_asked_elsewhere(flagship: Course) -> None:
    elsewhere = flagship.outline.points[-1]
    found = find_passages(flagship, FLASK, at=elsewhere.position)
    assert found[0].position.point_id == "modern-async-framework"


def test_the_current_point_is_boosted(flagship: Course) -> None:
    question = "how do I run the server"
    plain = find_passages(flagship, question, limit=50)
    target = plain[-1].position
    boosted = find_passages(flagship, question, at=target, limit=50)
    assert boosted.index(next(p for p in boosted if p.position == target)) < len(plain) - 1


def test_no_shared_word_no_passage(flagship: Course) -> None:
    assert find_passages(flagship, "zebra xylophone quux") == []
    assert tokens("The Routes, and THE handlers!") == ["route", "handler"]


def test_an_answer_is_grounded_in_the_lesson_and_the_passages(flagship: Course) -> None:
    ref = flagship.outline.point("modern-async-framework")
    assert ref is not None and ref.lesson is not None
    tutor = Tutor(OfflineBackend())
    state = flow.state_at(flagship, ref.position).model_copy(update={"taught": True})
    request = tutor.request(flagship, state, flow.Answer(position=ref.position, question=FLASK))
    final = request.messages[-1].content
    assert "The lesson the learner is reading" in final
    assert ref.lesson.explanation.split("\n")[0] in final
    assert final.index("lesson the learner") < final.index("Task: answer")
    assert FLASK not in request.messages[0].content  # the question stays out of system


def test_a_cached_lesson_grounds_a_point_without_one(mini: Course) -> None:
    ref = next(r for r in mini.outline.points if r.lesson is None)
    tutor = Tutor(OfflineBackend())
    state = flow.state_at(mini, ref.position).model_copy(update={"taught": True})
    task = flow.Answer(position=ref.position, question="What does this mean?")
    text = tutor.request(mini, state, task, reading="## Explanation\n\nGenerated words.")
    assert "Generated words." in text.messages[-1].content
