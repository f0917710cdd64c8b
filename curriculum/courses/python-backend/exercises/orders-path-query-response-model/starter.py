"""Order history for a customer-service tool. Finish the endpoint described in the exercise."""

from fastapi import FastAPI

app = FastAPI(title="Orders")

# Rows as the database returns them: cost_price and internal_note are NOT for clients.
ORDERS = [
    {"id": 1, "user_id": 1, "status": "paid", "total": 25.0, "cost_price": 12.0,
     "internal_note": "VIP"},
    {"id": 2, "user_id": 1, "status": "pending", "total": 9.5, "cost_price": 4.0,
     "internal_note": ""},
    {"id": 3, "user_id": 2, "status": "shipped", "total": 100.0, "cost_price": 60.0,
     "internal_note": ""},
    {"id": 4, "user_id": 1, "status": "shipped", "total": 42.0, "cost_price": 30.0,
     "internal_note": "fragile"},
    {"id": 5, "user_id": 1, "status": "paid", "total": 7.25, "cost_price": 3.0,
     "internal_note": ""},
]


@app.get("/users/{user_id}/orders")
def list_orders(user_id):  # TODO: types, query parameters, response model
    return [order for order in ORDERS if order["user_id"] == user_id]
