def create_inventory(items):
    inventory = {}
    for item in items:
        inventory[item] = inventory.get(item, 0) + 1
    return inventory


def remove_item(inventory, item):
    copy = dict(inventory)
    copy.pop(item, None)
    return copy


def list_inventory(inventory):
    return [(name, count) for name, count in inventory.items() if count > 0]
