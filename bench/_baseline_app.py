"""The baseline for bench/web_throughput.py: a minimal FastAPI + Jinja2 page."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import DictLoader, Environment

_env = Environment(
    loader=DictLoader(
        {
            "page.html": "<!doctype html><html lang=en><head><title>{{ title }}</title></head>"
            "<body><h1>{{ title }}</h1>{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}"
            "</body></html>"
        }
    ),
    autoescape=True,
)
_page = _env.get_template("page.html")
app = FastAPI()


@app.get("/page")
def page(request: Request) -> HTMLResponse:
    return HTMLResponse(_page.render(title="Baseline", paragraphs=["Hello, world."] * 20))
