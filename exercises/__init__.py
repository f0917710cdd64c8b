"""Exercises that check themselves: code graded in a sandbox, quizzes, self-checks, notebooks."""
