"""Given: how words are compared."""


def normalize(word):
    return word.strip(".,;:!?\"'()").lower()
