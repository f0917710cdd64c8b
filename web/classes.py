"""Classes: a roster of learners and assistants on some courses, a join code, deadlines;
and who may see a class-only course. Steps in the caller's session (no commit).

Who may do what with a class (``access``):

- its instructor (the owner) sees it and changes it;
- its teaching assistants see it (roster, gradebook, who needs help) but change nothing;
- its learners see its name, courses and deadlines only;
- anyone else gets a 404, as if the class did not exist.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import exists
from sqlmodel import Session, col, delete, func, select

from web.db import insert_new
from web.models import (
    ClassCourse,
    ClassDeadline,
    ClassMember,
    Classroom,
    CourseSetting,
    User,
    utcnow,
)
from web.security import Viewer

Access = Literal["owner", "assistant", "learner"]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room
CODE_LENGTH = 8
MAX_NAME = 120
MAX_COURSES = 20  # courses in one class
MAX_CLASSES = 200  # classes one instructor keeps (archived ones included)


class ClassError(Exception):
    """A message for the person who filled the form (400)."""


class UnknownCode(ClassError):
    """No class has this join code: a wrong guess, counted (``web.joinlimit.JoinGuesses``)."""


@dataclass(frozen=True)
class ClassView:
    room: Classroom
    access: Access
    courses: list[str]

    @property
    def id(self) -> int:
        assert self.room.id is not None
        return self.room.id

    @property
    def staff(self) -> bool:
        return self.access in ("owner", "assistant")

    @property
    def archived(self) -> bool:
        return self.room.archived_at is not None


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """A code as typed (spaces, dashes, lower case) in its stored form."""
    return "".join(c for c in code.upper() if c.isalnum())[: CODE_LENGTH * 2]


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= MAX_NAME:
        raise ClassError(f"A class needs a name of 1 to {MAX_NAME} characters.")
    return name


def create_class(db: Session, *, owner_id: int, name: str, courses: list[str]) -> Classroom:
    """A new class with these courses (already checked to exist) and a fresh join code."""
    owned = db.exec(select(func.count()).where(Classroom.owner_id == owner_id)).one()
    if owned >= MAX_CLASSES:
        raise ClassError(f"You have {MAX_CLASSES} classes: delete or reuse one first.")
    room = Classroom(name=clean_name(name), owner_id=owner_id, join_code=new_join_code())
    db.add(room)
    db.flush()
    assert room.id is not None
    set_courses(db, class_id=room.id, courses=courses)
    return room


def set_courses(db: Session, *, class_id: int, courses: list[str]) -> None:
    unique = list(dict.fromkeys(courses))
    if not unique:
        raise ClassError("Choose at least one course for the class.")
    if len(unique) > MAX_COURSES:
        raise ClassError(f"A class has at most {MAX_COURSES} courses.")
    db.exec(delete(ClassCourse).where(col(ClassCourse.class_id) == class_id))
    for position, course_id in enumerate(unique):
        db.add(ClassCourse(class_id=class_id, course_id=course_id, position=position))
    db.flush()


def class_course_ids(db: Session, class_id: int) -> list[str]:
    """The ids of the class's courses, in the class's order (loaded or not)."""
    return list(
        db.exec(
            select(ClassCourse.course_id)
            .where(ClassCourse.class_id == class_id)
            .order_by(col(ClassCourse.position))
        ).all()
    )


def access(db: Session, class_id: int | None, viewer: Viewer) -> ClassView | None:
    """The class as ``viewer`` may see it, or None (no such class, or none of theirs)."""
    room = db.get(Classroom, class_id) if class_id is not None else None
    if room is None:
        return None
    if room.owner_id == viewer.id:
        role: Access = "owner"
    else:
        member = db.exec(
            select(ClassMember.role).where(
                ClassMember.class_id == room.id, ClassMember.user_id == viewer.id
            )
        ).first()
        if member is None:
            return None
        role = "assistant" if member == "assistant" else "learner"
    assert room.id is not None
    return ClassView(room, role, class_course_ids(db, room.id))


def my_classes(db: Session, viewer: Viewer) -> list[ClassView]:
    """Classes the viewer teaches (owns or assists) or learns in, newest first."""
    owned = db.exec(select(Classroom).where(Classroom.owner_id == viewer.id)).all()
    joined = db.exec(
        select(Classroom, ClassMember.role)
        .join(ClassMember, col(ClassMember.class_id) == col(Classroom.id))
        .where(ClassMember.user_id == viewer.id)
    ).all()
    views = [ClassView(r, "owner", []) for r in owned]
    views += [
        ClassView(r, "assistant" if role == "assistant" else "learner", []) for r, role in joined
    ]
    views.sort(key=lambda v: v.id, reverse=True)
    return [ClassView(v.room, v.access, class_course_ids(db, v.id)) for v in views]


def by_code(db: Session, code: str) -> Classroom | None:
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return db.exec(select(Classroom).where(Classroom.join_code == code)).first()


def join(db: Session, *, user_id: int, code: str) -> Classroom:
    """Join the class with this code as a learner (again: nothing changes)."""
    room = by_code(db, code)
    if room is None:
        raise UnknownCode("No class has this code. Check it with your instructor.")
    if room.archived_at is not None:
        raise ClassError("This class is archived: it takes no new learners.")
    assert room.id is not None
    if room.owner_id == user_id:
        raise ClassError("You teach this class.")
    # concurrent joins (a double click, two tabs) insert one row: ON CONFLICT DO NOTHING
    insert_new(db, ClassMember, {"class_id": room.id, "user_id": user_id, "role": "learner"})
    return room


def add_assistant(db: Session, *, class_id: int, email: str) -> User:
    """Make the account with this email an assistant of the class (a member already is
    promoted)."""
    user = db.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise ClassError("No account has this email: ask them to sign up first.")
    room = db.get(Classroom, class_id)
    if room is not None and room.owner_id == user.id:
        raise ClassError("You teach this class already.")
    member = db.exec(
        select(ClassMember).where(ClassMember.class_id == class_id, ClassMember.user_id == user.id)
    ).first()
    if member is None:
        assert user.id is not None
        db.add(ClassMember(class_id=class_id, user_id=user.id, role="assistant"))
    else:
        member.role = "assistant"
        db.add(member)
    db.flush()
    return user


def remove_member(db: Session, *, class_id: int, user_id: int) -> bool:
    """Take a learner or assistant out of the class (their attempts stay theirs)."""
    result = db.exec(
        delete(ClassMember).where(
            col(ClassMember.class_id) == class_id, col(ClassMember.user_id) == user_id
        )
    )
    return bool(result.rowcount)


def set_archived(db: Session, *, class_id: int, archived: bool) -> None:
    room = db.get(Classroom, class_id)
    if room is not None:
        room.archived_at = utcnow() if archived else None
        db.add(room)
        db.flush()


def assistants(db: Session, class_id: int) -> list[User]:
    return list(
        db.exec(
            select(User)
            .join(ClassMember, col(ClassMember.user_id) == col(User.id))
            .where(ClassMember.class_id == class_id, ClassMember.role == "assistant")
            .order_by(col(User.email))
        ).all()
    )


def learner_count(db: Session, class_id: int) -> int:
    return int(
        db.exec(
            select(func.count()).where(
                ClassMember.class_id == class_id, ClassMember.role == "learner"
            )
        ).one()
    )


def is_class_learner(db: Session, class_id: int, user_id: int) -> bool:
    return (
        db.exec(
            select(ClassMember.id).where(
                ClassMember.class_id == class_id,
                ClassMember.user_id == user_id,
                ClassMember.role == "learner",
            )
        ).first()
        is not None
    )


# --- deadlines --------------------------------------------------------------------


def deadlines(db: Session, class_id: int) -> dict[tuple[str, str], datetime]:
    """(course, exercise) -> due time, for one class."""
    rows = db.exec(select(ClassDeadline).where(ClassDeadline.class_id == class_id)).all()
    return {(d.course_id, d.exercise_id): d.due_at for d in rows}


def set_deadline(
    db: Session, *, class_id: int, course_id: str, exercise_id: str, due_at: datetime | None
) -> None:
    """Set (or with None, clear) the class's deadline for one exercise."""
    if course_id not in class_course_ids(db, class_id):
        raise ClassError("This course is not one of the class's courses.")
    db.exec(
        delete(ClassDeadline).where(
            col(ClassDeadline.class_id) == class_id,
            col(ClassDeadline.course_id) == course_id,
            col(ClassDeadline.exercise_id) == exercise_id,
        )
    )
    if due_at is not None:
        db.add(
            ClassDeadline(
                class_id=class_id, course_id=course_id, exercise_id=exercise_id, due_at=due_at
            )
        )
    db.flush()


def my_deadline(db: Session, *, user_id: int, course_id: str, exercise_id: str) -> datetime | None:
    """The earliest deadline for this exercise among the learner's current classes."""
    return db.exec(
        select(func.min(ClassDeadline.due_at))
        .join(ClassMember, col(ClassMember.class_id) == col(ClassDeadline.class_id))
        .join(Classroom, col(Classroom.id) == col(ClassDeadline.class_id))
        .where(
            ClassMember.user_id == user_id,
            ClassMember.role == "learner",
            col(Classroom.archived_at).is_(None),
            ClassDeadline.course_id == course_id,
            ClassDeadline.exercise_id == exercise_id,
        )
    ).one()


# --- course visibility ----------------------------------------------------------------


def class_only_courses(db: Session) -> set[str]:
    return set(
        db.exec(select(CourseSetting.course_id).where(CourseSetting.visibility == "class")).all()
    )


def set_visibility(db: Session, *, course_id: str, class_only: bool) -> None:
    setting = db.get(CourseSetting, course_id) or CourseSetting(course_id=course_id)
    setting.visibility = "class" if class_only else "public"
    setting.updated_at = utcnow()
    db.add(setting)
    db.flush()


def member_courses(db: Session, user_id: int) -> set[str]:
    """Courses of the classes the user is a member of (learner or assistant), or owns."""
    as_member = (
        select(ClassCourse.course_id)
        .join(ClassMember, col(ClassMember.class_id) == col(ClassCourse.class_id))
        .where(ClassMember.user_id == user_id)
    )
    as_owner = (
        select(ClassCourse.course_id)
        .join(Classroom, col(Classroom.id) == col(ClassCourse.class_id))
        .where(Classroom.owner_id == user_id)
    )
    return set(db.exec(as_member).all()) | set(db.exec(as_owner).all())


def course_visible(*, class_only: bool, role: str | None, member: bool) -> bool:
    """The rule: a public course is seen by everyone; a class-only one by instructors
    and the members (learners, assistants) of a class it is assigned to."""
    return not class_only or role == "instructor" or member


def may_see_course(db: Session, course_id: str, viewer: Viewer | None) -> bool:
    """Whether ``viewer`` may see the course (:func:`course_visible`)."""
    setting = db.get(CourseSetting, course_id)
    class_only = setting is not None and setting.visibility == "class"
    if not class_only or viewer is None or viewer.role == "instructor":
        role = viewer.role if viewer is not None else None
        return course_visible(class_only=class_only, role=role, member=False)
    member = exists().where(
        col(ClassMember.user_id) == viewer.id,
        col(ClassMember.class_id) == col(ClassCourse.class_id),
        col(ClassCourse.course_id) == course_id,
    )
    return course_visible(
        class_only=True, role=viewer.role, member=bool(db.exec(select(member)).one())
    )


def hidden_courses(db: Session, viewer: Viewer | None) -> set[str]:
    """The class-only courses ``viewer`` may not see (for the catalogue)."""
    restricted = class_only_courses(db)
    if not restricted or (viewer is not None and viewer.role == "instructor"):
        return set()
    if viewer is None:
        return restricted
    return restricted - member_courses(db, viewer.id)
