"""What the booking page adds to emails other apps send."""

from booking.models import InvoiceStatus

from . import links


def invoice_email_link(sender, invoice, **kwargs):
    """The customer's invoice page, in the invoice email."""
    if invoice.status in (InvoiceStatus.DRAFT, InvoiceStatus.VOID):
        return {}
    return {"customer_link": links.customer_url(invoice.booking, "invoice")}
