"""Course subcommands: schema, validate, show, import, new."""

from __future__ import annotations

from typing import Annotated

import typer


def show(
    course: Annotated[str, typer.Argument(help="A bundled course id or a path to a course.")],
) -> None:
    """Print a course's tree with every id."""
    from curriculum import resolve_course

    c = resolve_course(course)
    for number, section in enumerate(c.sections, start=1):
        typer.echo(f"{number}. {section.title} [{section.id}]")
        for topic in section.topics:
            typer.echo(f"   {topic.title} [{topic.id}]")
            for point in topic.points:
                typer.echo(f"     - {point.title} [{point.id}]")


def register(app: typer.Typer) -> None:
    """Add this area's subcommands to ``app``."""
    app.command()(show)
