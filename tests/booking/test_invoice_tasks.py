"""Invoice PDFs and emails are background tasks, and PDFs are private.

The immediate backend (development, the normal suite) does everything inside
the request; the database backend (production) queues the work for
`db_worker`, and the pages say so.
"""

import re
import smtplib
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from booking import emails, pdf
from booking.models import BookingNote
from tests.booking.factories import make_invoice


def pdf_url(invoice, **query):
    url = reverse("booking:invoice_pdf", args=[invoice.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


def poll(client, url):
    return client.get(url, HTTP_HX_REQUEST="true")


def next_poll_url(html):
    match = re.search(r'hx-get="([^"]+)"', html)
    return match.group(1).replace("&amp;", "&") if match else None


# --- Private storage -----------------------------------------------------------------


@pytest.fixture
def file_storages(settings, tmp_path):
    """Real directories: default storage under MEDIA_ROOT (which /media/
    serves), private storage elsewhere."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": django_settings.MEDIA_ROOT},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private"


@pytest.mark.django_db
def test_cached_pdf_is_not_reachable_by_a_media_url(
    file_storages, owner_client, outsider_client, client, business
):
    invoice = make_invoice(business)
    response = owner_client.get(pdf_url(invoice))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    invoice.refresh_from_db()
    name = invoice.pdf_file
    assert name.startswith(f"invoice-pdfs/{business.pk}/")
    assert (file_storages / name).is_file()
    # No URL serves it: not under /media/, whoever asks.
    for who in (owner_client, client):
        assert who.get(f"/media/{name}").status_code == 404
    # Only the signed-in view hands it out, to its own business.
    assert owner_client.get(pdf_url(invoice)).content == (file_storages / name).read_bytes()
    assert outsider_client.get(pdf_url(invoice)).status_code == 404
    assert client.get(pdf_url(invoice)).status_code == 302


@pytest.mark.django_db
def test_a_pdf_cached_publicly_by_an_older_version_is_removed(
    file_storages, owner_client, business
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    invoice = make_invoice(business)
    legacy = default_storage.save(
        f"invoice-pdfs/{business.pk}/{invoice.public_id}-old.pdf", ContentFile(b"%PDF-1.7 old")
    )
    invoice.pdf_file = legacy
    invoice.save(update_fields=["pdf_file"])
    assert owner_client.get(f"/media/{legacy}").status_code == 200
    assert owner_client.get(pdf_url(invoice)).status_code == 200
    assert not default_storage.exists(legacy)
    assert owner_client.get(f"/media/{legacy}").status_code == 404


# --- Immediate backend (development) ---------------------------------------------------


@pytest.mark.django_db
def test_immediate_backend_downloads_at_once(owner_client, business):
    invoice = make_invoice(business)
    response = owner_client.get(pdf_url(invoice, inline=1))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_immediate_backend_render_failure_is_a_page_not_a_500(owner_client, business):
    invoice = make_invoice(business)
    with mock.patch.object(pdf, "_render_pdf_bytes", side_effect=RuntimeError("boom")):
        response = owner_client.get(pdf_url(invoice))
    assert response.status_code == 200
    assert b"The PDF could not be prepared" in response.content


@pytest.mark.django_db
def test_immediate_backend_records_a_failed_email(owner_client, business):
    invoice = make_invoice(business)
    refused = smtplib.SMTPRecipientsRefused({"jamie@example.com": (550, b"no")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused):
        response = owner_client.post(
            reverse("booking:invoice_send", args=[invoice.public_id]), follow=True
        )
    assert response.status_code == 200
    assert "refused the customer&#x27;s address" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.sent_at is None
    note = BookingNote.objects.filter(booking=invoice.booking).first()
    assert "failed: the mail server refused the customer's address" in note.message


@pytest.mark.parametrize(
    ("exception", "words"),
    [
        (smtplib.SMTPAuthenticationError, "sign-in"),
        (ConnectionRefusedError, "could not be reached"),
        (RuntimeError, "could not be prepared"),
    ],
)
def test_failure_reasons_are_in_words(exception, words):
    assert words in emails.failure_reason(exception)


# --- Database backend (production): queued, then run by the worker ------------------


@pytest.fixture
def queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_queued_pdf_is_prepared_then_downloaded(queued, owner_client, business):
    from django_tasks_db.models import DBTaskResult

    invoice = make_invoice(business)
    response = owner_client.get(pdf_url(invoice))
    assert response.status_code == 202
    html = response.content.decode()
    assert "The PDF is being prepared" in html
    assert DBTaskResult.objects.count() == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == "booking.tasks.render_invoice_pdf"

    # Polling before the worker ran: still preparing, nothing enqueued again.
    url = next_poll_url(html)
    assert f"task={task.id}" in url
    response = poll(owner_client, url)
    assert response.status_code == 200
    assert "The PDF is being prepared" in response.content.decode()
    assert DBTaskResult.objects.count() == 1

    run_worker()
    response = poll(owner_client, next_poll_url(response.content.decode()))
    html = response.content.decode()
    assert "The PDF is ready" in html
    assert "data-auto-download" in html
    assert "hx-get" not in html  # polling stops
    download = owner_client.get(pdf_url(invoice))
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_queued_pdf_failure_is_shown(queued, owner_client, business):
    invoice = make_invoice(business)
    response = owner_client.get(pdf_url(invoice))
    with mock.patch.object(pdf, "_render_pdf_bytes", side_effect=RuntimeError("boom")):
        run_worker()
    response = poll(owner_client, next_poll_url(response.content.decode()))
    assert "The PDF could not be prepared" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_queued_pdf_polling_gives_up_after_a_while(queued, owner_client, business):
    invoice = make_invoice(business)
    url = next_poll_url(owner_client.get(pdf_url(invoice)).content.decode())
    url = re.sub(r"poll=\d+", "poll=500", url)
    assert "taking longer than usual" in poll(owner_client, url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_queued_email_is_sent_by_the_worker(queued, owner_client, business):
    from django_tasks_db.models import DBTaskResult

    invoice = make_invoice(business)
    response = owner_client.post(
        reverse("booking:invoice_send", args=[invoice.public_id]), follow=True
    )
    assert "is being emailed to the customer" in response.content.decode()
    assert mail.outbox == []
    assert DBTaskResult.objects.get().task_path == "booking.tasks.email_invoice"

    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    invoice.refresh_from_db()
    assert invoice.sent_at is not None
    assert BookingNote.objects.filter(
        booking=invoice.booking, message=f"Invoice {invoice.number} emailed to the customer."
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_queued_email_failure_is_recorded(queued, owner_client, business):
    invoice = make_invoice(business)
    owner_client.post(reverse("booking:invoice_send", args=[invoice.public_id]))
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError):
        run_worker()
    invoice.refresh_from_db()
    assert invoice.sent_at is None
    note = BookingNote.objects.filter(booking=invoice.booking).first()
    assert "the mail server could not be reached" in note.message


def test_private_root_inside_the_media_root_is_refused(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "FIELDBOOK_PRIVATE_ROOT": str(tmp_path / "media" / "private"),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "FIELDBOOK_PRIVATE_ROOT must not be inside DJANGO_MEDIA_ROOT" in result.stderr
