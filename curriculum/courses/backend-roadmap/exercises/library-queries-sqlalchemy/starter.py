"""A library catalogue with SQLAlchemy 2.0 (SQLite in memory).

The models and the engine are ready. Implement the four functions with a `Session`
and `select()` statements (not the legacy `session.query`):

- add_author(name) -> the new author's id
- add_book(author_id, title, year) -> the new book's id
- titles_by(author_name) -> that author's titles, oldest first ([] for an unknown name)
- author_stats() -> one dict per author, {"author", "books", "first_year"}, authors
  without books included (books 0, first_year None), most books first, then by name
"""

from sqlalchemy import ForeignKey, String, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    books: Mapped[list["Book"]] = relationship(back_populates="author")


class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    author: Mapped[Author] = relationship(back_populates="books")


engine = create_engine("sqlite://")
Base.metadata.create_all(engine)


def add_author(name: str) -> int:
    raise NotImplementedError


def add_book(author_id: int, title: str, year: int) -> int:
    raise NotImplementedError


def titles_by(author_name: str) -> list[str]:
    raise NotImplementedError


def author_stats() -> list[dict[str, object]]:
    raise NotImplementedError
