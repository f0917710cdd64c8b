import unittest

from tree_building import Record, build_tree


class TreeBuildingTest(unittest.TestCase):
    def test_empty_list_input(self):
        self.assertIsNone(build_tree([]))

    def test_one_node(self):
        root = build_tree([Record(0, 0)])
        self.assertEqual(root.node_id, 0)
        self.assertEqual(root.children, [])

    def test_three_nodes_in_order(self):
        root = build_tree([Record(2, 0), Record(0, 0), Record(1, 0)])
        self.assertEqual([c.node_id for c in root.children], [1, 2])

    def test_nested(self):
        root = build_tree([Record(0, 0), Record(1, 0), Record(2, 1), Record(3, 1)])
        child = root.children[0]
        self.assertEqual([c.node_id for c in child.children], [2, 3])

    def test_root_with_a_parent_is_invalid(self):
        with self.assertRaises(ValueError):
            build_tree([Record(0, 1), Record(1, 0)])

    def test_a_gap_in_ids_is_invalid(self):
        with self.assertRaises(ValueError):
            build_tree([Record(0, 0), Record(2, 0)])
