"""Emailing an invoice to the customer, with its PDF attached."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from . import services
from .pdf import invoice_pdf

logger = logging.getLogger(__name__)


def send_invoice(*, invoice, user=None):
    """Send through Django's email backend and record when it was sent."""
    business = invoice.business
    filename, mimetype, data = invoice_pdf(invoice)
    context = {"invoice": invoice, "business": business}
    message = EmailMessage(
        subject=f"Invoice {invoice.number} from {business.name}",
        body=render_to_string("booking/email/invoice.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invoice.bill_to_email],
        reply_to=[business.email] if business.email else None,
    )
    message.attach(filename, data, mimetype)
    message.send()
    services.invoice_mark_sent(invoice=invoice, user=user)
    logger.info("invoice %s emailed", invoice.public_id)
