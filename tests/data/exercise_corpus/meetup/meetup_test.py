import unittest
from datetime import date

from meetup import meetup


class MeetupTest(unittest.TestCase):
    def test_teenth_monday(self):
        self.assertEqual(meetup(2013, 5, "teenth", "Monday"), date(2013, 5, 13))

    def test_first_wednesday(self):
        self.assertEqual(meetup(2013, 7, "first", "Wednesday"), date(2013, 7, 3))

    def test_last_sunday(self):
        self.assertEqual(meetup(2013, 3, "last", "Sunday"), date(2013, 3, 31))

    def test_fourth_friday(self):
        self.assertEqual(meetup(2013, 9, "fourth", "Friday"), date(2013, 9, 27))

    def test_result_is_a_date(self):
        result = meetup(2024, 2, "last", "Thursday")
        self.assertIsInstance(result, date)
        self.assertEqual(result.isoformat(), "2024-02-29")
