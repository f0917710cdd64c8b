import unittest
from unittest import mock

import greeting


class GreetingTest(unittest.TestCase):
    def test_morning(self):
        with mock.patch("greeting.current_hour", return_value=9):
            self.assertEqual(greeting.greet("Ada"), "Good morning, Ada!")

    @mock.patch("greeting.current_hour", return_value=12)
    def test_noon_is_afternoon(self, _hour):
        self.assertEqual(greeting.greet("Ada"), "Good afternoon, Ada!")

    def test_evening(self):
        with mock.patch.object(greeting, "current_hour", return_value=18):
            self.assertEqual(greeting.greet("Grace"), "Good evening, Grace!")
