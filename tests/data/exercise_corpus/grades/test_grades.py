from grades import report
from scale import CUTOFFS


def test_report():
    assert report() == {"A": ["ada", "dee"], "B": ["cy"], "C": ["bob"], "F": ["eve"]}


def test_every_grade_is_on_the_scale():
    assert set(report()) <= {grade for _, grade in CUTOFFS}
