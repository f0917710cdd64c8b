import unittest

from etl import transform


class EtlTest(unittest.TestCase):
    def test_single_letter(self):
        self.assertEqual(transform({1: ["A"]}), {"a": 1})

    def test_several_scores(self):
        legacy = {1: ["A", "E"], 2: ["D", "G"], 10: ["Q", "Z"]}
        expected = {"a": 1, "e": 1, "d": 2, "g": 2, "q": 10, "z": 10}
        self.assertEqual(transform(legacy), expected)

    def test_the_legacy_data_is_not_changed(self):
        legacy = {3: ["B", "C"]}
        transform(legacy)
        self.assertEqual(legacy, {3: ["B", "C"]})
