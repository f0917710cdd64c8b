"""Catalog API: the price catalog is loaded once, at startup, by the lifespan."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request

_loads = {"count": 0}


def load_catalog() -> dict[str, int]:
    """Slow startup work (a file, a database, a model...). Given; don't change."""
    _loads["count"] += 1
    return {"sku-1": 1299, "sku-2": 450, "sku-3": 9900}


def load_count() -> int:
    """How many times the catalog was loaded (used by the grader)."""
    return _loads["count"]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.catalog = load_catalog()
    yield
    app.state.catalog = {}


app = FastAPI()


@app.get("/status")
async def status(request: Request) -> dict[str, int]:
    return {"catalog_size": len(request.app.state.catalog)}


@app.get("/products/{sku}")
async def product(sku: str, request: Request) -> dict[str, str | int]:
    catalog: dict[str, int] = request.app.state.catalog
    if sku not in catalog:
        raise HTTPException(status_code=404, detail="unknown product")
    return {"sku": sku, "price_cents": catalog[sku]}
