"""Helpers to make customers for tests."""

from customers import services


def make_customer(business, *, name="Jamie Smith", email="", phone="", **fields):
    return services.customer_create(
        business=business, name=name, email=email, phone=phone, **fields
    )
