from normalizer import normalize


def unknown_words(text):
    pass
