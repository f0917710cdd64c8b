"""The discount rule of the shop's checkout."""

MAX_DISCOUNT_CENTS = 5000


def discount_cents(total_cents: int, code: str) -> int:
    if total_cents < 0:
        raise ValueError("total_cents must not be negative")
    if code.strip().upper() != "SAVE10":
        return 0
    return total_cents // 10
