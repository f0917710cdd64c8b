"""[unknown-id-crashes] A to-do API built by a factory (the code under test)."""

from fastapi import APIRouter, FastAPI, Request, Response
from pydantic import BaseModel, Field


class TodoIn(BaseModel):
    title: str = Field(min_length=1, max_length=100)


class TodoPatch(BaseModel):
    done: bool


class Todo(BaseModel):
    id: int
    title: str
    done: bool = False


router = APIRouter()


def _todos(request: Request) -> dict[int, Todo]:
    todos: dict[int, Todo] = request.app.state.todos
    return todos


def _get(request: Request, todo_id: int) -> Todo:
    return _todos(request)[todo_id]


@router.post("/todos", status_code=201)
def create_todo(payload: TodoIn, request: Request) -> Todo:
    todos = _todos(request)
    todo = Todo(id=max(todos, default=0) + 1, title=payload.title)
    todos[todo.id] = todo
    return todo


@router.get("/todos/{todo_id}")
def read_todo(todo_id: int, request: Request) -> Todo:
    return _get(request, todo_id)


@router.patch("/todos/{todo_id}")
def update_todo(todo_id: int, patch: TodoPatch, request: Request) -> Todo:
    todo = _get(request, todo_id)
    updated = todo.model_copy(update={"done": patch.done})
    _todos(request)[todo_id] = updated
    return updated


@router.delete("/todos/{todo_id}", status_code=204)
def delete_todo(todo_id: int, request: Request) -> Response:
    _get(request, todo_id)
    del _todos(request)[todo_id]
    return Response(status_code=204)


def create_app() -> FastAPI:
    app = FastAPI(title="todos")
    app.state.todos = {}
    app.include_router(router)
    return app


app = create_app()
