"""Reads of the booking page for the owner: the dashboard panel."""

from booking.models import Booking, BookingStatus

from .models import CustomerChange

RECENT_CHANGES = 5


def dashboard(business, user):
    """Requests waiting for the owner and the latest changes customers made."""
    changes = list(
        CustomerChange.objects.filter(business=business).select_related("booking")[:RECENT_CHANGES]
    )
    requests = list(
        Booking.objects.filter(business=business, status=BookingStatus.REQUESTED).order_by("start")[
            :RECENT_CHANGES
        ]
    )
    if not changes and not requests:
        return None
    return {
        "order": 15,
        "template": "online/_dashboard.html",
        "context": {"customer_changes": changes, "booking_requests": requests},
    }
