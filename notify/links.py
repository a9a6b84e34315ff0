"""The customer's own page, linked from every customer message.

`customer_link(obj)` returns a full URL to the page where the customer of
`obj` (a booking or an invoice) sees it: the signed link of the `online`
app (`online.links.customer_url`), to the booking page for a booking and
to the invoice page for an invoice. A preview's sample (never saved) has
no page, so no link.
"""

from booking.models import Booking, Invoice
from online import links


def customer_link(obj):
    if obj is None or obj.pk is None:
        return ""
    if isinstance(obj, Booking):
        return links.customer_url(obj)
    if isinstance(obj, Invoice):
        return links.customer_url(obj.booking, page="invoice")
    return ""
