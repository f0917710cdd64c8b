def create_inventory(items):
    pass


def remove_item(inventory, item):
    pass


def list_inventory(inventory):
    pass
