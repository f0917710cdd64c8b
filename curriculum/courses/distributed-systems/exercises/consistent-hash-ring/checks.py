import ast

from exercises.sandbox.submission import LearnerError

NODES = ["cache-a", "cache-b", "cache-c"]
KEYS = [f"user:{i}" for i in range(3000)]


def test_every_key_goes_to_a_known_node(submission):
    mapping = submission.call("assign", NODES, KEYS[:200])
    assert set(mapping) == set(KEYS[:200])
    unknown = set(mapping.values()) - set(NODES)
    assert not unknown, f"unknown nodes: {unknown}"
    again = submission.call("assign", NODES, KEYS[:200])
    assert mapping == again, "the same key must always go to the same node"


def test_empty_ring_raises_lookup_error(submission):
    try:
        submission.call("assign", [], ["user:1"])
    except LearnerError as err:
        assert "LookupError" in err.types, f"expected LookupError, got {err.type}"
    else:
        raise AssertionError("node_for on an empty ring must raise LookupError")


def test_load_is_spread_across_nodes(submission):
    mapping = submission.call("assign", NODES, KEYS)
    for node in NODES:
        share = sum(1 for n in mapping.values() if n == node) / len(KEYS)
        assert 0.2 <= share <= 0.47, (
            f"{node} got {share:.0%} of the keys; with 100 virtual nodes each of 3 nodes "
            "should get roughly a third"
        )


def test_adding_a_node_moves_only_keys_to_it(submission):
    before = submission.call("assign_after", NODES, KEYS)
    after = submission.call("assign_after", NODES, KEYS, add="cache-d")
    moved = [k for k in KEYS if before[k] != after[k]]
    wrong = [k for k in moved if after[k] != "cache-d"]
    assert not wrong, (
        f"{len(wrong)} keys moved between the old nodes (e.g. {wrong[0]}: "
        f"{before[wrong[0]]} -> {after[wrong[0]]}); with consistent hashing a new node "
        "only takes keys, the others keep theirs"
    )
    share = len(moved) / len(KEYS)
    assert 0.1 <= share <= 0.4, f"{share:.0%} of keys moved to the new node; expected about 25%"


def test_removing_a_node_moves_only_its_keys(submission):
    before = submission.call("assign_after", NODES, KEYS)
    after = submission.call("assign_after", NODES, KEYS, remove="cache-b")
    assert "cache-b" not in after.values(), "no key may map to a removed node"
    for key in KEYS:
        if before[key] != "cache-b":
            assert after[key] == before[key], (
                f"{key} moved from {before[key]} to {after[key]} although its node stayed"
            )



def test_hash_is_the_same_in_every_process(submission):
    tree = ast.parse(submission.source)
    for node in ast.walk(tree):
        calls_hash = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if calls_hash and node.func.id == "hash":
            raise AssertionError(
                f"line {node.lineno}: the built-in hash() of a str changes with every process "
                "(PYTHONHASHSEED), so two services would disagree about where a key lives; "
                "use hashlib"
            )
