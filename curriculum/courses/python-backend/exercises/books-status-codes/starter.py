"""A small book catalogue. Make every endpoint answer with the right status code."""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Books")


class BookIn(BaseModel):
    title: str
    author: str
    year: int


class Book(BookIn):
    id: int


books: dict[int, Book] = {}


@app.post("/books")
def create_book(payload: BookIn) -> Book:
    book = Book(id=len(books) + 1, **payload.model_dump())
    books[book.id] = book
    return book


@app.get("/books/{book_id}")
def read_book(book_id: int) -> Book | None:
    return books.get(book_id)


@app.delete("/books/{book_id}")
def delete_book(book_id: int) -> None:
    books.pop(book_id, None)
