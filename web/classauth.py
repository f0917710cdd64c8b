"""Who may open a class's pages and calls: one check for the pages and the API.

Someone with no part in the class gets a 404 (the class's existence is not told);
a learner of the class asking for its staff views, or an assistant asking to change
it, gets a 403.
"""

from __future__ import annotations

from typing import Literal

from fastapi import HTTPException
from sqlmodel import Session

from web.classes import ClassView, access
from web.models import row_id
from web.security import Viewer

Need = Literal["member", "staff", "owner"]


def require_class(db: Session, class_id: str, viewer: Viewer, need: Need) -> ClassView:
    view = access(db, row_id(class_id), viewer)
    if view is None:
        raise HTTPException(404, "No such class.")
    if need == "staff" and not view.staff:
        raise HTTPException(403, "Only the class's instructor and assistants see this.")
    if need == "owner" and view.access != "owner":
        raise HTTPException(403, "Only the class's instructor can change it.")
    return view
