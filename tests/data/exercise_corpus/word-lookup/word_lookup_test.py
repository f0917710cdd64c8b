import unittest

from normalizer import normalize
from word_lookup import unknown_words


class WordLookupTest(unittest.TestCase):
    def test_all_known(self):
        self.assertEqual(unknown_words("The cat sat on the mat."), [])

    def test_unknown_words_in_order_once(self):
        self.assertEqual(unknown_words("A dog, a DOG and a bird"), ["dog", "and", "bird"])

    def test_every_listed_word_is_known(self):
        self.assertEqual(unknown_words("the cat sat on a mat"), [])

    def test_the_helper_is_shared(self):
        self.assertEqual(normalize("(Cat!)"), "cat")
