"""Orders API: every request gets a correlation id, echoed and logged."""

import contextvars
import logging
import re
import uuid

from fastapi import FastAPI, Request, Response
from starlette.middleware.base import RequestResponseEndpoint

SAFE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


log = logging.getLogger("orders")
log.setLevel(logging.INFO)
log.addFilter(RequestIdFilter())

app = FastAPI()


@app.middleware("http")
async def correlation_id(request: Request, call_next: RequestResponseEndpoint) -> Response:
    incoming = request.headers.get("X-Request-ID", "")
    request_id = incoming if SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
    token = request_id_var.set(request_id)
    try:
        response = await call_next(request)
    finally:
        request_id_var.reset(token)
    response.headers["X-Request-ID"] = request_id
    return response


@app.post("/orders", status_code=201)
async def create_order() -> dict[str, str]:
    log.info("order created")
    return {"status": "created"}
