"""RED metrics (rate, errors, duration) for an orders API, exposed for Prometheus.

TODO:
1. Define in `registry`:
   - a Counter `http_requests_total` with labels method, route, status;
   - a Histogram `http_request_duration_seconds` with the label route.
2. Add an HTTP middleware that records every request except GET /metrics itself:
   the route label is the route *template* (e.g. "/orders/{order_id}", never
   "/orders/7"), or "unmatched" when no route matched; status is the response's status
   code as text. The histogram observes the duration in seconds.
"""

import time

from fastapi import FastAPI, HTTPException, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

registry = CollectorRegistry()

app = FastAPI()


@app.get("/orders/{order_id}")
def get_order(order_id: int) -> dict[str, int]:
    if order_id > 100:
        raise HTTPException(status_code=404, detail="order not found")
    return {"id": order_id}


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
