"""A library catalogue with SQLAlchemy 2.0 (SQLite in memory)."""

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
    with Session(engine) as session:
        author = Author(name=name)
        session.add(author)
        session.commit()
        return author.id


def add_book(author_id: int, title: str, year: int) -> int:
    with Session(engine) as session:
        book = Book(author_id=author_id, title=title, year=year)
        session.add(book)
        session.commit()
        return book.id


def titles_by(author_name: str) -> list[str]:
    stmt = (
        select(Book.title)
        .join(Book.author)
        .where(Author.name == author_name)
        .order_by(Book.year, Book.id)
    )
    with Session(engine) as session:
        return list(session.scalars(stmt))


def author_stats() -> list[dict[str, object]]:
    books = func.count(Book.id).label("books")
    stmt = (
        select(Author.name, books, func.min(Book.year).label("first_year"))
        .join(Author.books)
        .group_by(Author.id)
        .order_by(books.desc(), Author.name)
    )
    with Session(engine) as session:
        return [
            {"author": name, "books": count, "first_year": first}
            for name, count, first in session.execute(stmt)
        ]
