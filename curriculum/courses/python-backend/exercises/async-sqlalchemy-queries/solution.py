"""Products repository with SQLAlchemy 2.x async (AsyncSession on aiosqlite).

The three repository functions use `select()` / `session.get()` with `await`:
- `add_product(session, name, price_cents)`: insert, commit, return the new id;
- `products_under(session, max_cents)`: products with price_cents < max_cents, cheapest
  first, as [{"name": ..., "price_cents": ...}];
- `update_price(session, product_id, price_cents)`: change the price and commit; return
  False when there is no such product, True otherwise.
The `demo_*` functions at the bottom are given: the grader calls them.
"""

from typing import Any

from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    price_cents: Mapped[int]


async def add_product(session: AsyncSession, name: str, price_cents: int) -> int:
    product = Product(name=name, price_cents=price_cents)
    session.add(product)
    await session.commit()
    return product.id


async def products_under(session: AsyncSession, max_cents: int) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(Product).where(Product.price_cents < max_cents).order_by(Product.price_cents)
    )
    return [{"name": p.name, "price_cents": p.price_cents} for p in rows]


async def update_price(session: AsyncSession, product_id: int, price_cents: int) -> bool:
    product = await session.get(Product, product_id)
    if product is None:
        return False
    product.price_cents = price_cents
    await session.commit()
    return True


# --- used by the grader: each demo uses a fresh in-memory database ------------------
async def _sessions() -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    engine = create_async_engine("sqlite+aiosqlite:///:memory:")
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    return engine, async_sessionmaker(engine, expire_on_commit=False)


async def _seed(sessions: async_sessionmaker[AsyncSession]) -> list[int]:
    ids = []
    for name, price in [("lamp", 4500), ("mug", 900), ("pen", 250)]:
        async with sessions() as session:
            ids.append(await add_product(session, name, price))
    return ids


async def demo_ids() -> list[int]:
    engine, sessions = await _sessions()
    ids = await _seed(sessions)
    await engine.dispose()
    return ids


async def demo_query(max_cents: int) -> list[dict[str, Any]]:
    engine, sessions = await _sessions()
    await _seed(sessions)
    async with sessions() as session:  # a new session: only committed rows are visible
        result = await products_under(session, max_cents)
    await engine.dispose()
    return result


async def demo_update(product_id: int, price_cents: int) -> dict[str, Any]:
    engine, sessions = await _sessions()
    await _seed(sessions)
    async with sessions() as session:
        updated = await update_price(session, product_id, price_cents)
    async with sessions() as session:
        products = await products_under(session, 10**9)
    await engine.dispose()
    return {"updated": updated, "products": products}
