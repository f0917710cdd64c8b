def transform(items, function):
    pass


def keep(items, predicate):
    pass


def sort_by(items, key):
    pass


def each(items, callback):
    pass
