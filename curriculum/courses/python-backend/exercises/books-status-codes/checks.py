DUNE = {"title": "Dune", "author": "Frank Herbert", "year": 1965}


def test_create_returns_201_and_the_book(submission):
    r = submission.http("POST", "/books", json=DUNE)
    assert r.status_code == 201, f"POST /books must answer 201 Created, got {r.status_code}"
    assert r.json() == {"id": 1, **DUNE}, "the response must be the stored book with id 1"


def test_read_an_existing_book(submission):
    submission.http("POST", "/books", json=DUNE)
    r = submission.http("GET", "/books/1")
    assert r.status_code == 200, f"GET /books/1 must answer 200 once created, got {r.status_code}"
    assert r.json() == {"id": 1, **DUNE}


def test_unknown_book_is_404(submission):
    r = submission.http("GET", "/books/42")
    assert r.status_code == 404, f"GET /books/42 (no such book) must be 404, got {r.status_code}"
    assert r.json() == {"detail": "Book not found"}, (
        'the 404 body must be {"detail": "Book not found"}: raise HTTPException'
    )


def test_invalid_payloads_are_422(submission):
    cases = [
        ({"title": "Dune", "year": 1965}, "a book without author"),
        ({**DUNE, "year": "soon"}, "a non-integer year"),
        ({**DUNE, "title": ""}, "an empty title"),
        ({**DUNE, "year": 1200}, "a year before 1450"),
        ({**DUNE, "year": 2500}, "a year after 2100"),
    ]
    for payload, what in cases:
        r = submission.http("POST", "/books", json=payload)
        assert r.status_code == 422, f"{what} must be rejected with 422, got {r.status_code}"


def test_delete_is_204_then_404(submission):
    submission.http("POST", "/books", json=DUNE)
    r = submission.http("DELETE", "/books/1")
    assert r.status_code == 204, f"DELETE /books/1 must answer 204 No Content, got {r.status_code}"
    assert r.text == "", "a 204 response has no body"
    r = submission.http("GET", "/books/1")
    assert r.status_code == 404, "a deleted book must be gone (404)"
    r = submission.http("DELETE", "/books/1")
    assert r.status_code == 404, "deleting a book that does not exist must answer 404"
