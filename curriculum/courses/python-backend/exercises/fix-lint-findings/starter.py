"""Helpers of an articles API. `ruff check` reports four problems here: fix them."""

import os
import json


def add_tag(tag, tags=[]):
    tags.append(tag)
    return tags


def parse_limit(raw):
    try:
        return int(raw)
    except:
        return 10


def describe(owner):
    if owner == None:
        return "anonymous"
    return json.dumps({"owner": owner})
