"""A to-do API where every route uses the right status codes and handles unknown ids."""

from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel, Field

app = FastAPI(title="Tasks")


class TaskIn(BaseModel):
    title: str = Field(min_length=1)
    done: bool = False


class Task(TaskIn):
    id: int


tasks: dict[int, Task] = {}
_next_id = 1


def _get_or_404(task_id: int) -> Task:
    if task_id not in tasks:
        raise HTTPException(status_code=404, detail="task not found")
    return tasks[task_id]


@app.post("/tasks", status_code=201)
def create_task(payload: TaskIn, response: Response) -> Task:
    global _next_id
    task = Task(id=_next_id, **payload.model_dump())
    _next_id += 1
    tasks[task.id] = task
    response.headers["Location"] = f"/tasks/{task.id}"
    return task


@app.get("/tasks/{task_id}")
def read_task(task_id: int) -> Task:
    return _get_or_404(task_id)


@app.put("/tasks/{task_id}")
def replace_task(task_id: int, payload: TaskIn) -> Task:
    _get_or_404(task_id)
    task = Task(id=task_id, **payload.model_dump())
    tasks[task_id] = task
    return task


@app.delete("/tasks/{task_id}", status_code=204)
def delete_task(task_id: int) -> None:
    _get_or_404(task_id)
    del tasks[task_id]
