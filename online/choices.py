"""What the booking page offers in its "how often" step.

One place decides; the page, its quote and its bookings read it from here.
"""

ONCE = "once"


def frequency_choices(business):
    """[(value, label)] of the frequencies `business` takes online bookings for."""
    return [(ONCE, "One time")]
