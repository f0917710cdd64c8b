import unittest

from list_ops import each, keep, sort_by, transform


class ListOpsTest(unittest.TestCase):
    def test_transform_with_a_lambda(self):
        self.assertEqual(transform([1, 3, 5], lambda x: x + 1), [2, 4, 6])

    def test_transform_with_a_builtin(self):
        self.assertEqual(transform(["a", "bb"], len), [1, 2])

    def test_keep_with_a_predicate(self):
        self.assertEqual(keep([1, 2, 3, 4], lambda x: x % 2 == 0), [2, 4])

    def test_sort_by_a_key_function(self):
        words = ["pear", "fig", "banana", "kiwi"]
        self.assertEqual(sort_by(words, len), ["fig", "pear", "kiwi", "banana"])

    def test_sort_by_a_tuple_key(self):
        people = [("ann", 31), ("bob", 25), ("cy", 31)]
        self.assertEqual(
            sort_by(people, lambda p: (-p[1], p[0])), [("ann", 31), ("cy", 31), ("bob", 25)]
        )

    def test_each_calls_back_with_index_and_item(self):
        seen = []
        result = each(["x", "y"], lambda i, item: seen.append((i, item)))
        self.assertIsNone(result)
        self.assertEqual(seen, [(0, "x"), (1, "y")])
