"""Emailing an invoice to the customer, with its PDF attached."""

import logging
import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from . import services
from .pdf import invoice_pdf

logger = logging.getLogger(__name__)

THANKS = re.compile(r"\bthank", re.IGNORECASE)


def notes_give_thanks(notes):
    """Whether the invoice notes already thank the customer ("Thank you for
    your business!"): the email then does not thank them a second time."""
    return bool(THANKS.search(notes or ""))


def invoice_email_body(invoice):
    context = {
        "invoice": invoice,
        "business": invoice.business,
        "notes_give_thanks": notes_give_thanks(invoice.notes),
    }
    return render_to_string("booking/email/invoice.txt", context)


def send_invoice(*, invoice, user=None):
    """Send through Django's email backend and record when it was sent."""
    business = invoice.business
    filename, mimetype, data = invoice_pdf(invoice)
    message = EmailMessage(
        subject=f"Invoice {invoice.number} from {business.name}",
        body=invoice_email_body(invoice),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invoice.bill_to_email],
        reply_to=[business.email] if business.email else None,
    )
    message.attach(filename, data, mimetype)
    message.send()
    services.invoice_mark_sent(invoice=invoice, user=user)
    logger.info("invoice %s emailed", invoice.public_id)
