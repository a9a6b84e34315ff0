"""The current moment for call planning (one place to stop the clock in tests)."""

from django.utils import timezone


def now():
    """The current moment, to the second."""
    return timezone.now().replace(microsecond=0)
