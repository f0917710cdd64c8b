"""Operating endpoints: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from web import migrate
from web.deps import AppDep
from web.observe import metrics_payload

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
def readyz(app: AppDep) -> JSONResponse:
    """The database is reachable and its schema is current."""
    try:
        with app.db_engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = migrate.is_current(app.db_engine)
    except Exception:  # any database failure means not ready
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    if not current:
        return JSONResponse({"status": "unavailable", "database": "migrations pending"}, 503)
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    payload, content_type = metrics_payload()
    return Response(payload, media_type=content_type)
