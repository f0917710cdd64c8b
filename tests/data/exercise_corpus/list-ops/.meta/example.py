def transform(items, function):
    result = []
    for item in items:
        result.append(function(item))
    return result


def keep(items, predicate):
    return [item for item in items if predicate(item)]


def sort_by(items, key):
    result = []
    for item in items:
        position = len(result)
        for index, placed in enumerate(result):
            if key(item) < key(placed):
                position = index
                break
        result.insert(position, item)
    return result


def each(items, callback):
    for index, item in enumerate(items):
        callback(index, item)
