import unittest

from clock import Clock


class ClockTest(unittest.TestCase):
    def test_on_the_hour(self):
        self.assertEqual(str(Clock(8, 0)), "08:00")

    def test_past_the_hour(self):
        self.assertEqual(str(Clock(11, 9)), "11:09")

    def test_midnight_is_zero_hours(self):
        self.assertEqual(str(Clock(24, 0)), "00:00")

    def test_negative_minutes_roll_back(self):
        self.assertEqual(str(Clock(1, -160)), "22:20")

    def test_repr(self):
        self.assertEqual(repr(Clock(7, 32)), "Clock(7, 32)")

    def test_add_minutes_across_midnight(self):
        self.assertEqual(str(Clock(23, 59) + 2), "00:01")

    def test_subtract_minutes(self):
        self.assertEqual(str(Clock(10, 3) - 3), "10:00")

    def test_clocks_with_the_same_time_are_equal(self):
        self.assertEqual(Clock(15, 37), Clock(15, 37))

    def test_clocks_a_minute_apart_are_not_equal(self):
        self.assertNotEqual(Clock(15, 36), Clock(15, 37))

    def test_clocks_wrapped_around_are_equal(self):
        self.assertEqual(Clock(-1, 0), Clock(23, 0))


if __name__ == "__main__":
    unittest.main()
