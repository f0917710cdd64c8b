"""Course passages for a question, ranked by BM25 with the learner's place boosted.

The passages are the paragraphs of each point's authored lesson (explanation, what the
code does, practical notes, summary), each carrying its point's title and brief, or, for
a point without a lesson, the title and brief alone. A question is scored against every
passage with Okapi BM25 (k1 = 1.2, b = 0.75) over content words (lowercased, stop words
dropped, a plural ``s`` removed), the point's title counted as part of each passage. The
passages of the point the learner is reading are boosted (x2), those of its topic less
(x1.4): a question asked on a page is most often about that page. Deterministic: ties
go in course order. The index is built once per course object.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass

from curriculum.model import Course
from curriculum.outline import Position
from tutor.events import Passage

K1 = 1.2
B = 0.75
POINT_BOOST = 2.0
TOPIC_BOOST = 1.4
MAX_PASSAGE_CHARS = 1200
_WORD = re.compile(r"[a-z0-9_]+")
_STOP = """the and for are but not you your with what why how when where which who does did
can could should would this that these those there their then than into from about have has
was were will just like use using used get make its it's over under also only more most very
much many some any all one two each other such own same out off our they them"""
STOPWORDS = frozenset(_STOP.split())


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def tokens(text: str) -> list[str]:
    """Content words of ``text`` in order (lowercased, stop words dropped, plural ``s`` off)."""
    found = _WORD.findall(text.lower())
    return [_stem(w) for w in found if len(w) >= 3 and w not in STOPWORDS]


@dataclass(frozen=True)
class _Doc:
    passage: Passage
    topic_id: str
    terms: Counter[str]
    length: int


@dataclass(frozen=True)
class _Index:
    docs: tuple[_Doc, ...]
    idf: dict[str, float]
    average: float


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _build(course: Course) -> _Index:
    docs: list[_Doc] = []
    for ref in course.outline.points:
        heading = f"{ref.point.title} {ref.point.brief or ''}"
        lesson = ref.lesson
        texts = [ref.point.brief or ref.point.title]
        if lesson is not None:
            parts = (lesson.explanation, lesson.walkthrough, lesson.notes, lesson.summary)
            texts = [p for part in parts for p in _paragraphs(part)] or texts
        for text in texts:
            shown = text if len(text) <= MAX_PASSAGE_CHARS else text[:MAX_PASSAGE_CHARS] + " …"
            terms = Counter(tokens(f"{heading} {text}"))
            passage = Passage(position=ref.position, title=ref.point.title, text=shown, score=0.0)
            docs.append(_Doc(passage, ref.topic.id, terms, sum(terms.values())))
    count = len(docs) or 1
    frequency: Counter[str] = Counter()
    for doc in docs:
        frequency.update(doc.terms.keys())
    idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
    average = sum(d.length for d in docs) / count or 1.0
    return _Index(tuple(docs), idf, average)


_indexes: dict[int, tuple[Course, _Index]] = {}
_lock = threading.Lock()


def _index(course: Course) -> _Index:
    with _lock:
        found = _indexes.get(id(course))
        if found is not None and found[0] is course:
            return found[1]
    index = _build(course)
    with _lock:
        if len(_indexes) >= 32:
            _indexes.clear()
        _indexes[id(course)] = (course, index)
    return index


def _bm25(index: _Index, doc: _Doc, query: list[str]) -> float:
    score = 0.0
    norm = K1 * (1 - B + B * doc.length / index.average)
    for term in query:
        tf = doc.terms.get(term, 0)
        if tf:
            score += index.idf[term] * tf * (K1 + 1) / (tf + norm)
    return score


def find_passages(
    course: Course, question: str, *, at: Position | None = None, limit: int = 3
) -> list[Passage]:
    """The ``limit`` passages of ``course`` most relevant to ``question`` (best first).

    ``at`` is where the learner is: that point's passages and its topic's are boosted.
    Only passages sharing a content word with the question are returned.
    """
    query = sorted(set(tokens(question)))
    index = _index(course)
    scored: list[tuple[float, int, Passage]] = []
    for order, doc in enumerate(index.docs):
        score = _bm25(index, doc, query)
        if score <= 0:
            continue
        if at is not None and doc.passage.position.point_id == at.point_id:
            score *= POINT_BOOST
        elif at is not None and doc.topic_id == at.topic_id:
            score *= TOPIC_BOOST
        scored.append((-score, order, doc.passage.model_copy(update={"score": round(score, 3)})))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [p for _, _, p in scored[:limit]]
