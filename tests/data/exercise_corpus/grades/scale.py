"""Given: the grading scale."""

CUTOFFS = [(90, "A"), (80, "B"), (70, "C"), (0, "F")]


def letter(score):
    return next(grade for cutoff, grade in CUTOFFS if score >= cutoff)
