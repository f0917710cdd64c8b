"""Reports rendered by a blocking legacy library, served from async endpoints."""

import asyncio
import time
from typing import Annotated

from fastapi import FastAPI, Query

app = FastAPI(title="Reports")


def render_report(report_id: int) -> str:
    """A blocking renderer from a legacy library (keep as it is): 0.25 s per report."""
    time.sleep(0.25)
    return f"report {report_id}: {report_id * 10} rows"


@app.get("/reports/{report_id}")
async def read_report(report_id: int) -> dict[str, int | str]:
    content = await asyncio.to_thread(render_report, report_id)
    return {"id": report_id, "content": content}


@app.get("/reports")
async def read_reports(ids: Annotated[list[int], Query()]) -> list[dict[str, int | str]]:
    contents = await asyncio.gather(
        *(asyncio.to_thread(render_report, report_id) for report_id in ids)
    )
    return [{"id": i, "content": c} for i, c in zip(ids, contents, strict=True)]
