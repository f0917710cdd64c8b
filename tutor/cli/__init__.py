"""The ``tutor`` command: one entry point that wires the packages together.

Each area registers its subcommands from its own module. Packages built on the engine
add theirs through the ``tutor.commands`` entry-point group (the web app registers
``serve``, ``db`` and ``user`` from ``web.commands``), so the engine package never
imports them: the dependency points from the web app to the engine, not back.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import typer

from tutor.cli import course_cmds, exercise_cmds, help_cmds, lesson_cmds

COMMAND_GROUP = "tutor.commands"

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


for module in (course_cmds, lesson_cmds, exercise_cmds, help_cmds):
    module.register(app)
for plugin in sorted(entry_points(group=COMMAND_GROUP), key=lambda ep: ep.name):
    plugin.load()(app)


def main() -> None:
    app()
