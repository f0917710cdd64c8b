"""TODO: an inventory class whose errors tell the caller what went wrong.

- `InventoryError(Exception)` is the base class; `UnknownProduct(InventoryError)` carries
  `.sku`; `OutOfStock(InventoryError)` carries `.sku`, `.wanted` and `.available`.
- `Inventory(stock)` keeps its **own copy** of the `{sku: quantity}` dict it is given.
- `reserve(sku, quantity)` takes items and returns how many are left; `quantity` below 1
  raises `ValueError`, an unknown SKU `UnknownProduct`, too few items `OutOfStock`.
- `reserve_many(items)` reserves every `{sku: quantity}` or, if any of them fails, none:
  the stock is as before and the error is raised.
- `available(sku)` returns the quantity left (0 for an unknown SKU).
"""

from typing import Any


class InventoryError(Exception):
    pass


class UnknownProduct(InventoryError):
    pass


class OutOfStock(InventoryError):
    pass


class Inventory:
    def __init__(self, stock: dict[str, int]) -> None:
        self._stock = stock

    def available(self, sku: str) -> int:
        return self._stock.get(sku, 0)

    def reserve(self, sku: str, quantity: int) -> int:
        self._stock[sku] -= quantity
        return self._stock[sku]

    def reserve_many(self, items: dict[str, int]) -> None:
        for sku, quantity in items.items():
            self.reserve(sku, quantity)


# --- given: used by the grader ----------------------------------------------------
def run(stock: dict[str, int], operations: list[list[Any]]) -> dict[str, Any]:
    """Apply ["reserve", sku, n] / ["reserve_many", {...}] operations; report each outcome."""
    original = dict(stock)
    inventory = Inventory(stock)
    outcomes: list[Any] = []
    for op, *args in operations:
        try:
            outcomes.append(getattr(inventory, op)(*args))
        except OutOfStock as err:
            outcomes.append({"error": "OutOfStock", "is_inventory_error": True,
                             "sku": err.sku, "wanted": err.wanted, "available": err.available})
        except Exception as err:  # noqa: BLE001 - the grader records every outcome
            outcomes.append({"error": type(err).__name__,
                             "is_inventory_error": isinstance(err, InventoryError),
                             "sku": getattr(err, "sku", None)})
    return {"outcomes": outcomes,
            "left": {sku: inventory.available(sku) for sku in original},
            "caller_dict_unchanged": stock == original}
