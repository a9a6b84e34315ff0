"""What the booking page offers in its "how often" step.

One place decides; the page, its quote and its bookings read it from here.
The frequencies are the business's (`account.models.ServiceFrequency`, each
recurring one priced with its discount by `booking.pricing.quote`).
"""

from account.models import ServiceFrequency

ONCE = ServiceFrequency.ONE_TIME.value


def frequency_choices(business):
    """[(value, label)] of the frequencies `business` takes online bookings for."""
    return list(ServiceFrequency.choices)
