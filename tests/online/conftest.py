"""Fixtures of the booking page: a page that is on, open every day 08:00–17:00
in two-hour windows, one job at a time, and the data a customer posts."""

import pytest
from django.urls import reverse

from online import availability, services
from online.choices import ONCE
from online.forms import form_token


@pytest.fixture
def page(business):
    page = services.booking_page_for(business)
    page.enabled = True
    page.slug = "sparkle"
    page.working_hours = {str(day): ["08:00", "17:00"] for day in range(7)}
    page.capacity = 1
    page.window_minutes = 120
    page.lead_time_hours = 24
    page.horizon_days = 30
    page.save()
    page.business = business
    return page


@pytest.fixture
def book_url(page):
    return reverse("online:book", args=[page.slug])


def first_window(page, skip=0):
    return availability.windows(page)[skip]


def book_data(page, window=None, **overrides):
    window = window or first_window(page)
    data = {
        "form_token": form_token(page),
        "service_type": "standard",
        "frequency": ONCE,
        "bedrooms": "3",
        "bathrooms": "2",
        "square_feet": "1500",
        "slot": window.value,
        "address": "12 Oak St",
        "city": "Austin",
        "state": "TX",
        "zip_code": "78701",
        "customer_first_name": "Jamie",
        "customer_last_name": "Smith",
        "customer_email": "jamie@example.com",
        "customer_phone": "512 555 0199",
        "special_requests": "Gate code 1234",
        "website": "",
    }
    data.update(overrides)
    return data
