"""A small book catalogue with honest status codes."""

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel, Field

app = FastAPI(title="Books")


class BookIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    author: str = Field(min_length=1, max_length=100)
    year: int = Field(ge=1450, le=2100)


class Book(BookIn):
    id: int


books: dict[int, Book] = {}
next_id = 1


def get_or_404(book_id: int) -> Book:
    if book_id not in books:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Book not found")
    return books[book_id]


@app.post("/books", status_code=status.HTTP_201_CREATED)
def create_book(payload: BookIn) -> Book:
    global next_id
    book = Book(id=next_id, **payload.model_dump())
    next_id += 1
    books[book.id] = book
    return book


@app.get("/books/{book_id}")
def read_book(book_id: int) -> Book:
    return get_or_404(book_id)


@app.delete("/books/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_book(book_id: int) -> None:
    get_or_404(book_id)
    del books[book_id]
