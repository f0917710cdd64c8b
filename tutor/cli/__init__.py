"""The ``tutor`` command: one entry point that wires the packages together.

Each area registers its subcommands from its own module; the web app and the
grader are imported lazily, inside the commands that need them.
"""

from __future__ import annotations

import typer

from tutor.cli import course_cmds, exercise_cmds, help_cmds, lesson_cmds, server_cmds

app = typer.Typer(
    name="tutor",
    help="Tutor: courses as YAML, a tutor that follows the plan, exercises that check themselves.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    """Tutor: courses as YAML, a tutor that follows the plan, exercises that check themselves."""


for module in (course_cmds, lesson_cmds, exercise_cmds, help_cmds, server_cmds):
    module.register(app)


def main() -> None:
    app()
