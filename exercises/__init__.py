"""Exercises that check themselves: code graded in a sandbox, quizzes, self-checks, notebooks.

- ``grade``: the grading API (:class:`~exercises.grade.Grader`), the only module that
  reaches the sandbox; ``verdict``: what a learner sees of a graded submission.
- ``mistakes`` and ``patterns``: common mistakes, matched in linear time (RE2).
- ``quiz``: quizzes and self-checks; ``notebook``: export a section, grade a notebook;
  ``notebook_kernel``: what a notebook's grading cells call inside Jupyter.
- ``prove`` and ``report``: ``tutor check-course`` and the CLI's plain-text output.
- ``sandbox``: runner processes, jails and the wire protocol (internal; see its docs).
"""
