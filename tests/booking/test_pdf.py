import io
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from account.logos import document_logo_name
from booking import pdf
from booking.pdf import INTERNAL_BASE_URL, AppOnlyURLFetcher, RefusedURL
from tests.booking.factories import make_invoice

pytestmark = pytest.mark.django_db


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_download_contains_number_and_total(owner_client, business):
    invoice = make_invoice(business, addons={"oven": 1})
    response = owner_client.get(reverse("booking:invoice_pdf", args=[invoice.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="Invoice-{invoice.number}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert invoice.number in text
    assert f"${invoice.total:,.2f}" in text
    assert business.name in text


def test_pdf_includes_logo_from_storage(owner_client, business):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
    business.logo.save("logo.png", ContentFile(buffer.getvalue()))
    invoice = make_invoice(business)
    fetched = []
    real_fetch = AppOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        response = real_fetch(self, url, headers)
        fetched.append(url)
        return response

    with mock.patch.object(AppOnlyURLFetcher, "fetch", spy):
        response = owner_client.get(reverse("booking:invoice_pdf", args=[invoice.public_id]))
    assert response.status_code == 200
    # The stylesheet and the small document copy of the logo, never the original.
    assert fetched == [
        INTERNAL_BASE_URL + "static/booking/invoice.css",
        INTERNAL_BASE_URL + "media/" + document_logo_name(business.logo.name),
    ]


def test_pdf_is_cached_until_the_invoice_changes(business):
    invoice = make_invoice(business)
    with mock.patch.object(pdf, "_render_pdf_bytes", wraps=pdf._render_pdf_bytes) as render:
        first = pdf.invoice_pdf(invoice)
        second = pdf.invoice_pdf(invoice)
        assert render.call_count == 1
        assert first == second
        old_file = invoice.pdf_file
        invoice.notes = "Please pay by bank transfer."
        invoice.save()
        pdf.invoice_pdf(invoice)
        assert render.call_count == 2
    assert not pdf.pdf_storage().exists(old_file)
    assert pdf.pdf_storage().exists(invoice.pdf_file)
    assert not default_storage.exists(invoice.pdf_file)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/logo.png",
        "https://fieldbook.internal/static/../../../etc/passwd",
        "https://fieldbook.internal/media/../../etc/passwd",
        "https://fieldbook.internal/media/%2e%2e/%2e%2e/etc/passwd",
        "https://fieldbook.internal/etc/passwd",
        "https://fieldbook.internal@evil.example/media/x.png",
        "data:text/plain,hello",
        "ftp://example.com/x",
    ],
)
def test_url_fetcher_refuses_everything_outside_the_app(url):
    with pytest.raises(RefusedURL):
        AppOnlyURLFetcher().fetch(url)


def test_url_fetcher_serves_static_and_media():
    default_storage.save("logos/test.png", ContentFile(b"\x89PNG fake"))
    response = AppOnlyURLFetcher().fetch(INTERNAL_BASE_URL + "media/logos/test.png")
    assert response.read() == b"\x89PNG fake"
    assert response.content_type == "image/png"
    response = AppOnlyURLFetcher().fetch(INTERNAL_BASE_URL + "static/favicon.svg")
    assert response.read().lstrip().startswith(b"<")


def test_html_with_hostile_references_renders_without_fetching(business):
    html = (
        '<img src="file:///etc/passwd"><img src="http://169.254.169.254/x.png">'
        '<link rel="stylesheet" href="http://169.254.169.254/a.css"><p>INV-SAFE</p>'
    )
    with mock.patch("urllib.request.OpenerDirector.open") as network:
        data = pdf._render_pdf_bytes(html)
    network.assert_not_called()
    assert "INV-SAFE" in pdf_text(data)
