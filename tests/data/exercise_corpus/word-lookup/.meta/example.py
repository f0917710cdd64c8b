from pathlib import Path

from normalizer import normalize


def known_words():
    path = Path(__file__).with_name("words.txt")
    return {line.strip() for line in path.read_text().splitlines() if line.strip()}


def unknown_words(text):
    known = known_words()
    result = []
    for raw in text.split():
        word = normalize(raw)
        if word and word not in known and word not in result:
            result.append(word)
    return result
