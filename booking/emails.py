"""Emailing an invoice to the customer, with its PDF attached."""

import logging
import re
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.dispatch import Signal
from django.template.loader import render_to_string

from . import services
from .pdf import invoice_pdf

logger = logging.getLogger(__name__)

# Sent with invoice=<Invoice> while an invoice email is written; each receiver
# returns a dict added to the email's context (a higher app adds, say, the
# customer's own link as "customer_link") without booking importing it.
invoice_email_context = Signal()

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
    for _receiver, extra in invoice_email_context.send(sender=invoice.__class__, invoice=invoice):
        context.update(extra or {})
    return render_to_string("booking/email/invoice.txt", context)


def failure_reason(exception_class):
    """What went wrong, in words for the owner."""
    if issubclass(exception_class, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the customer's address"
    if issubclass(exception_class, smtplib.SMTPAuthenticationError):
        return "the mail server refused the app's sign-in"
    if issubclass(exception_class, OSError):
        return "the mail server could not be reached"
    return "the invoice could not be prepared"


def send_invoice(*, invoice, user=None):
    """Render the PDF, send through Django's email backend, and record on the
    booking when it was sent, or that sending failed (then re-raise)."""
    business = invoice.business
    try:
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
    except Exception as exc:
        logger.exception("emailing invoice %s failed", invoice.public_id)
        services.invoice_mark_send_failed(
            invoice=invoice, reason=failure_reason(type(exc)), user=user
        )
        raise
    services.invoice_mark_sent(invoice=invoice, user=user)
    logger.info("invoice %s emailed", invoice.public_id)
