"""Logos over the pixel limit are refused; documents use a small copy."""

import io
import struct
import time
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from account import logos
from booking.pdf import render_invoice_html
from tests.account.test_business import BUSINESS
from tests.booking.factories import make_invoice

pytestmark = pytest.mark.django_db


def png_header_only(width, height):
    """A tiny PNG file that claims to be width × height (a decompression
    bomb needs no more to be dangerous: the pixels would be decoded later)."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def real_png(size, color="navy"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, data, name="logo.png"):
    logo = SimpleUploadedFile(name, data, content_type="image/png")
    return client.post(reverse("account:business_edit"), {**BUSINESS, "logo": logo})


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (png_header_only(12000, 12000), "The image is 12000×12000 pixels"),
        (png_header_only(4001, 10), "The image is 4001×10 pixels"),
        (png_header_only(10, 5000), "The image is 10×5000 pixels"),
        (png_header_only(60000, 60000), "The image is too large"),  # over Pillow's own limit
    ],
)
def test_logo_over_the_pixel_limit_is_refused(owner_client, business, data, words):
    response = upload(owner_client, data)
    assert response.status_code == 400
    content = response.content.decode()
    assert words in content
    assert "at most 4000×4000 pixels" in content
    business.refresh_from_db()
    assert not business.logo


def test_logo_at_the_limit_is_accepted(owner_client, business):
    buffer = io.BytesIO()
    Image.new("1", (4000, 4000)).save(buffer, "PNG")
    assert upload(owner_client, buffer.getvalue()).status_code == 302
    business.refresh_from_db()
    assert business.logo


def test_documents_use_a_downscaled_copy(owner_client, business):
    assert upload(owner_client, real_png((3000, 1500))).status_code == 302
    business.refresh_from_db()
    invoice = make_invoice(business)
    html = render_invoice_html(invoice)
    copy_name = logos.document_logo_name(business.logo.name)
    assert f'src="/media/{copy_name}"' in html
    assert business.logo.name not in html
    with default_storage.open(copy_name) as handle, Image.open(handle) as image:
        assert image.size == (400, 200)  # fits 600 × 200, proportions kept
    # The preview page and the PDF show the same copy.
    preview = owner_client.get(reverse("booking:invoice_preview", args=[invoice.public_id]))
    assert f'src="/media/{copy_name}"' in preview.content.decode()
    assert (
        owner_client.get(reverse("booking:invoice_pdf", args=[invoice.public_id])).status_code
        == 200
    )


def test_an_oversized_logo_stored_before_the_limit_is_left_off_documents(business):
    """A 12000×12000 logo from before the limit cannot slow every PDF down:
    documents skip it instead of decoding it."""
    business.logo.save("huge.png", ContentFile(png_header_only(12000, 12000)))
    invoice = make_invoice(business)
    started = time.monotonic()
    html = render_invoice_html(invoice)
    assert time.monotonic() - started < 1
    assert "<img" not in html
    assert logos.document_logo_url(business) is None


def test_document_copy_is_made_once(business):
    business.logo.save("logo.png", ContentFile(real_png((800, 800))))
    first = logos.document_logo_url(business)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(logos, "_document_copy", lambda logo: pytest.fail("made twice"))
        assert logos.document_logo_url(business) == first
