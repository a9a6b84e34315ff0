"""Background work for invoices: rendering PDFs and emailing them.

With the immediate backend (development, tests) a task runs inside
`enqueue`; with the database backend (production) `manage.py db_worker`
runs it and the page polls or reports later. Tasks take ids.
"""

from django.contrib.auth import get_user_model
from django_tasks import task

from . import emails, pdf
from .models import Invoice


def _invoice(invoice_id):
    return Invoice.objects.select_related("business", "booking").filter(pk=invoice_id).first()


@task()
def render_invoice_pdf(invoice_id):
    """Render and cache the invoice's PDF (a no-op when it is cached)."""
    invoice = _invoice(invoice_id)
    if invoice is None:
        return None
    pdf.invoice_pdf(invoice)
    return invoice.pdf_file


@task()
def email_invoice(invoice_id, user_id=None):
    """Email the invoice with its PDF; the booking's history records the
    outcome (sent, or why it failed)."""
    invoice = _invoice(invoice_id)
    if invoice is None or not invoice.bill_to_email:
        return False
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    emails.send_invoice(invoice=invoice, user=user)
    return True
