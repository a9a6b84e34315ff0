"""Factories for the restaurant CRM (restaurants, contacts, interactions, call plans)."""

import datetime as dt

import factory

from call.models import CallPlan, Frequency
from contact.models import Contact
from restaurants.models import Restaurant
from track.models import Interaction, InteractionType, Order


class RestaurantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Restaurant

    name = factory.Sequence(lambda n: f"Bistro {n}")
    city = "Austin"
    phone = factory.Sequence(lambda n: f"+1512555{n:04d}")
    timezone = "America/Chicago"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    restaurant = factory.SubFactory(RestaurantFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    role = "Manager"


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    restaurant = factory.SubFactory(RestaurantFactory)
    interaction_type = InteractionType.EMAIL
    details = "Sent the catalogue."
    date = dt.datetime(2024, 12, 24, 15, 30, tzinfo=dt.UTC)


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    interaction = factory.SubFactory(InteractionFactory, order_placed=True)
    product_details = "50 units of Product A"
    quantity = 50
    total_price = "500.00"
    order_date = dt.datetime(2024, 12, 25, 12, 0, tzinfo=dt.UTC)


class CallPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallPlan

    restaurant = factory.SubFactory(RestaurantFactory)
    frequency = Frequency.DAILY
    next_call_date = dt.datetime(2024, 12, 29, tzinfo=dt.UTC)
