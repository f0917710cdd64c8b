import csv

from scale import letter


def report():
    pass
