"""Operating endpoints: liveness, readiness, Prometheus metrics, the API's docs page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import text

from web import migrate
from web.deps import AppDep
from web.observe import metrics_payload, metrics_refusal

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up (answered on the event loop: no worker thread needed, so a
    burst of logins or other work holding every thread never delays it)."""
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
def metrics(request: Request, app: AppDep) -> Response:
    """Prometheus metrics: for the bearer of ``TUTOR_METRICS_TOKEN``, else loopback only."""
    secret = app.settings.metrics_token
    refusal = metrics_refusal(
        token=secret.get_secret_value() if secret else None,
        authorization=request.headers.get("authorization"),
        client_host=request.client.host if request.client else None,
    )
    if refusal == 401:
        raise HTTPException(401, "Metrics need the bearer token.", {"WWW-Authenticate": "Bearer"})
    if refusal is not None:
        raise HTTPException(403, "Metrics are only shown to local clients.")
    payload, content_type = metrics_payload()
    return Response(payload, media_type=content_type)


@router.get("/docs", include_in_schema=False)
async def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI for the JSON API, its script and style served from ``/static`` (built
    by scripts/build-assets from a pinned swagger-ui-dist): the page loads nothing from
    another host, so no third party runs script on Tutor's origin, and it works offline."""
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} - API",
        swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
    )
