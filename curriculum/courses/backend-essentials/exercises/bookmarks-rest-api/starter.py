"""A RESTful bookmarks resource.

TODO:
1. `POST /bookmarks` takes {"url": ..., "title": ...}: `url` must start with http:// or
   https://, `title` has 1 to 200 characters. Answer 201 Created with the stored bookmark
   ({"id", "url", "title"}; ids are 1, 2, 3...) and a `Location: /bookmarks/{id}` header.
   An id is never handed out twice, even after a delete (`len(bookmarks) + 1` below is
   not enough once bookmarks can be deleted).
2. `GET /bookmarks/{bookmark_id}` returns one bookmark, or 404 with
   {"detail": "bookmark not found"}.
3. `DELETE /bookmarks/{bookmark_id}` answers 204 No Content (empty body), or the same 404.
4. `GET /bookmarks?limit=10&offset=0` returns {"items": [...], "total": N}, ordered by id;
   `limit` is 1 to 50 (default 10), `offset` is 0 or more (default 0); others get 422.
"""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Bookmarks")


class BookmarkIn(BaseModel):
    url: str
    title: str


class Bookmark(BookmarkIn):
    id: int


bookmarks: dict[int, Bookmark] = {}


@app.post("/bookmarks")
def create_bookmark(payload: BookmarkIn) -> Bookmark:
    bookmark = Bookmark(id=len(bookmarks) + 1, **payload.model_dump())
    bookmarks[bookmark.id] = bookmark
    return bookmark
