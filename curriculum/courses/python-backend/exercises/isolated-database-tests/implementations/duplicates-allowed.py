"""[duplicates-allowed] A heroes API on SQLModel (the code under test). Production uses a file database."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI
from sqlmodel import Field, Session, SQLModel, create_engine, select

engine = create_engine("sqlite:///./data/heroes.db")  # ./data does not exist in tests


class HeroIn(SQLModel):
    name: str = Field(min_length=1)
    power: int = Field(ge=0, le=100)


class Hero(HeroIn, table=True):
    id: int | None = Field(default=None, primary_key=True)


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
app = FastAPI()


@app.post("/heroes", status_code=201)
def create_hero(hero: HeroIn, session: SessionDep) -> Hero:
    db_hero = Hero.model_validate(hero)
    session.add(db_hero)
    session.commit()
    session.refresh(db_hero)
    return db_hero


@app.get("/heroes")
def list_heroes(session: SessionDep) -> list[Hero]:
    return list(session.exec(select(Hero).order_by(Hero.power.desc())).all())
