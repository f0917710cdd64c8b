import unittest

from robot_simulator import EAST, NORTH, SOUTH, WEST, Robot


class RobotSimulatorTest(unittest.TestCase):
    def test_directions_are_distinct(self):
        self.assertEqual(len({NORTH, EAST, SOUTH, WEST}), 4)

    def test_at_origin_facing_north(self):
        robot = Robot(NORTH, 0, 0)
        self.assertEqual(robot.coordinates, (0, 0))
        self.assertEqual(robot.direction, NORTH)

    def test_coordinates_are_a_tuple(self):
        self.assertIsInstance(Robot(EAST, 2, -7).coordinates, tuple)

    def test_rotating_clockwise(self):
        robot = Robot(NORTH, 0, 0)
        robot.move("R")
        self.assertEqual(robot.direction, EAST)
        robot.move("RR")
        self.assertEqual(robot.direction, WEST)

    def test_rotating_counter_clockwise(self):
        robot = Robot(EAST, 0, 0)
        robot.move("L")
        self.assertEqual(robot.direction, NORTH)

    def test_moving_west_and_north(self):
        robot = Robot(NORTH, 0, 0)
        robot.move("LAAARALA")
        self.assertEqual(robot.coordinates, (-4, 1))
        self.assertEqual(robot.direction, WEST)
