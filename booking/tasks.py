"""Background work: rendering invoice PDFs, emailing them, and topping up
recurring series (periodic, see `core.tasks`).

With the immediate backend (development, tests) a task runs inside
`enqueue`; with the database backend (production) `manage.py db_worker`
runs it and the page polls or reports later. Tasks take ids.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django_tasks import task

from core.tasks import schedule_next_run

from . import emails, pdf, series
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


@task()
def top_up_series():
    """The workers' periodic top-up of recurring series: schedule the next run
    first (`SERIES_TOPUP_INTERVAL` later), then add the missing visits of every
    active series. `manage.py series_topup` starts the chain and does the same
    work from cron."""
    schedule_next_top_up()
    looked_at, added = series.series_top_up_all()
    return {"series": looked_at, "visits": added}


def schedule_next_top_up(*, now=None):
    """True when the next periodic top-up was scheduled, False when one is
    queued already, None when the task backend runs tasks at once (use cron)."""
    return schedule_next_run(top_up_series, settings.SERIES_TOPUP_INTERVAL, now=now)
