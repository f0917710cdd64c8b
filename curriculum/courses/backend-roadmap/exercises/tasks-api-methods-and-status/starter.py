"""A to-do API. Make every route use the right status codes and handle unknown ids."""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Tasks")


class TaskIn(BaseModel):
    title: str
    done: bool = False


class Task(TaskIn):
    id: int


tasks: dict[int, Task] = {}


@app.post("/tasks")
def create_task(payload: TaskIn) -> Task:
    task = Task(id=len(tasks) + 1, **payload.model_dump())
    tasks[task.id] = task
    return task


@app.get("/tasks/{task_id}")
def read_task(task_id: int) -> Task | None:
    return tasks.get(task_id)


@app.put("/tasks/{task_id}")
def replace_task(task_id: int, payload: TaskIn) -> Task:
    task = Task(id=task_id, **payload.model_dump())
    tasks[task_id] = task
    return task


@app.delete("/tasks/{task_id}")
def delete_task(task_id: int) -> dict[str, str]:
    tasks.pop(task_id, None)
    return {"message": "deleted"}
