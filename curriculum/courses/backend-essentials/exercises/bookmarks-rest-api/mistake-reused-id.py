"""A RESTful bookmarks resource."""

from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Response, status
from pydantic import BaseModel, Field

app = FastAPI(title="Bookmarks")


class BookmarkIn(BaseModel):
    url: str = Field(pattern=r"^https?://\S+$", max_length=2000)
    title: str = Field(min_length=1, max_length=200)


class Bookmark(BookmarkIn):
    id: int


class Page(BaseModel):
    items: list[Bookmark]
    total: int


bookmarks: dict[int, Bookmark] = {}


def _get_or_404(bookmark_id: int) -> Bookmark:
    if bookmark_id not in bookmarks:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="bookmark not found")
    return bookmarks[bookmark_id]


@app.post("/bookmarks", status_code=status.HTTP_201_CREATED)
def create_bookmark(payload: BookmarkIn, response: Response) -> Bookmark:
    bookmark = Bookmark(id=len(bookmarks) + 1, **payload.model_dump())
    bookmarks[bookmark.id] = bookmark
    response.headers["Location"] = f"/bookmarks/{bookmark.id}"
    return bookmark


@app.get("/bookmarks")
def list_bookmarks(
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page:
    ordered = [bookmarks[key] for key in sorted(bookmarks)]
    return Page(items=ordered[offset : offset + limit], total=len(ordered))


@app.get("/bookmarks/{bookmark_id}")
def read_bookmark(bookmark_id: int) -> Bookmark:
    return _get_or_404(bookmark_id)


@app.delete("/bookmarks/{bookmark_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_bookmark(bookmark_id: int) -> None:
    _get_or_404(bookmark_id)
    del bookmarks[bookmark_id]
