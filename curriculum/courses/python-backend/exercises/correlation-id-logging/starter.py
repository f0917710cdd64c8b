"""Orders API: give every request a correlation id.

TODO:
1. A middleware that takes the incoming `X-Request-ID` header when it is a safe id
   (1-64 characters: letters, digits, "-"), or generates a new one (uuid4().hex) otherwise.
2. Store it in `request_id_var` while the request runs, and put it on the response as
   the `X-Request-ID` header.
3. Every record logged through the `orders` logger during the request must carry the id
   as the attribute `request_id` (hint: a `logging.Filter` on the logger).
"""

import contextvars
import logging

from fastapi import FastAPI

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

log = logging.getLogger("orders")
log.setLevel(logging.INFO)

app = FastAPI()


@app.post("/orders", status_code=201)
async def create_order() -> dict[str, str]:
    log.info("order created")
    return {"status": "created"}
