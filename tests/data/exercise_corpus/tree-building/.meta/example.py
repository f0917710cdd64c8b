class Record:
    def __init__(self, record_id, parent_id):
        self.record_id = record_id
        self.parent_id = parent_id


class Node:
    def __init__(self, node_id):
        self.node_id = node_id
        self.children = []


def build_tree(records):
    nodes = {}
    for expected, record in enumerate(sorted(records, key=lambda r: r.record_id)):
        if record.record_id != expected:
            raise ValueError("record ids must be 0 to n - 1")
        if record.record_id == 0 and record.parent_id != 0:
            raise ValueError("the root's parent must be itself")
        if record.record_id and record.parent_id >= record.record_id:
            raise ValueError("a parent must have a smaller id than its child")
        nodes[record.record_id] = Node(record.record_id)
        if record.record_id:
            nodes[record.parent_id].children.append(nodes[record.record_id])
    return nodes.get(0)
