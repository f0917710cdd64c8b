from exercises.sandbox.submission import LearnerError


def _library(submission):
    ada = submission.call("add_author", "Ada")
    alan = submission.call("add_author", "Alan")
    grace = submission.call("add_author", "Grace")
    submission.call("add_book", alan, "Morphogenesis", 1952)
    submission.call("add_book", ada, "Notes", 1843)
    submission.call("add_book", alan, "Computing Machinery", 1950)
    return ada, alan, grace


def test_add_returns_new_ids(submission):
    first = submission.call("add_author", "Ada")
    second = submission.call("add_author", "Alan")
    assert isinstance(first, int) and isinstance(second, int) and first != second, (
        f"add_author must return the new author's id, got {first!r} and {second!r}"
    )
    book = submission.call("add_book", first, "Notes", 1843)
    assert isinstance(book, int), f"add_book must return the new book's id, got {book!r}"


def test_books_are_saved(submission):
    _library(submission)
    assert submission.call("titles_by", "Ada") == ["Notes"], (
        "a book added with add_book must be in the database afterwards: did you commit?"
    )


def test_titles_by_orders_by_year(submission):
    _library(submission)
    titles = submission.call("titles_by", "Alan")
    assert titles == ["Computing Machinery", "Morphogenesis"], (
        f"Alan's titles must be oldest first, got {titles}"
    )
    assert submission.call("titles_by", "Nobody") == [], "an unknown author has no titles"


def test_author_stats(submission):
    _library(submission)
    stats = submission.call("author_stats")
    assert stats[:2] == [
        {"author": "Alan", "books": 2, "first_year": 1950},
        {"author": "Ada", "books": 1, "first_year": 1843},
    ], f"unexpected stats: {stats}"


def test_author_stats_includes_authors_without_books(submission):
    _library(submission)
    stats = submission.call("author_stats")
    assert {"author": "Grace", "books": 0, "first_year": None} in stats, (
        f"an author without books must appear with 0 books (use an outer join), got {stats}"
    )
    assert len(stats) == 3


def test_duplicate_author_is_refused(submission):
    submission.call("add_author", "Ada")
    try:
        submission.call("add_author", "Ada")
    except LearnerError as exc:
        assert "IntegrityError" in exc.types, f"expected an IntegrityError, got {exc.type}"
    else:
        raise AssertionError("the unique constraint on Author.name must reject a duplicate")


def test_uses_select_not_legacy_query(submission):
    assert ".query(" not in submission.source, (
        "use select() with session.scalars()/execute(); session.query() is the legacy API"
    )
    assert "select(" in submission.source, "build the queries with select()"
