"""Invoice PDFs: WeasyPrint renders the same template as the HTML preview.

WeasyPrint never fetches anything outside the app: `AppOnlyURLFetcher`
serves the app's own static files and media (through `default_storage`)
and refuses every other URL (file://, http(s) to other hosts, data:, …).
PDFs are cached in the private storage (`STORAGES["private"]`, which no URL
serves) under a hash of the rendered HTML, so a PDF is re-rendered only when
what it shows changes; only the signed-in PDF view hands them out.
"""

import hashlib
import logging
import mimetypes
import posixpath
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse

from account.logos import document_logo_url

from .models import Invoice

logger = logging.getLogger(__name__)

# Relative URLs in the invoice template resolve against this made-up origin;
# the fetcher serves only this origin's static and media paths.
INTERNAL_BASE_URL = "https://fieldbook.internal/"
INTERNAL_HOST = "fieldbook.internal"
CACHE_DIR = "invoice-pdfs"


class RefusedURL(ValueError):
    pass


def _url_prefix(setting_value):
    path = urlsplit(setting_value or "").path or ""
    return "/" + path.strip("/") + "/"


def _safe_relative(path, prefix):
    """The part of `path` below `prefix`, refusing traversal and odd names."""
    name = unquote(path[len(prefix) :])
    parts = PurePosixPath(name).parts
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or ".." in parts:
        raise RefusedURL(f"Refused path: {path}")
    return posixpath.normpath(name)


class AppOnlyURLFetcher(URLFetcher):
    """Serves /static/… and /media/… of the app itself; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=["https"], allow_redirects=False)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        # Media on a CDN (an absolute MEDIA_URL) is read through the storage too.
        media_host = urlsplit(settings.MEDIA_URL).netloc or INTERNAL_HOST
        if parts.scheme != "https" or parts.netloc not in (INTERNAL_HOST, media_host):
            raise RefusedURL(f"Refused URL outside the app: {parts.scheme}://{parts.netloc}")
        static_prefix = _url_prefix(settings.STATIC_URL)
        media_prefix = _url_prefix(settings.MEDIA_URL)
        if parts.netloc == media_host and parts.path.startswith(media_prefix):
            name = _safe_relative(parts.path, media_prefix)
            if not default_storage.exists(name):
                raise RefusedURL(f"No such media file: {name}")
            with default_storage.open(name, "rb") as handle:
                body = handle.read()
        elif parts.netloc == INTERNAL_HOST and parts.path.startswith(static_prefix):
            name = _safe_relative(parts.path, static_prefix)
            found = finders.find(name)
            if not found and settings.STATIC_ROOT:
                candidate = settings.STATIC_ROOT / name
                found = str(candidate) if candidate.is_file() else None
            if not found:
                raise RefusedURL(f"No such static file: {name}")
            with open(found, "rb") as handle:
                body = handle.read()
        else:
            raise RefusedURL(f"Refused path: {parts.path}")
        mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


def invoice_context(invoice, *, preview=False):
    business = invoice.business
    return {
        "invoice": invoice,
        "business": business,
        "logo_url": document_logo_url(business),
        "lines": list(invoice.lines.all()),
        "payments": list(invoice.payments.all()),
        "currency": invoice.currency,
        "preview": preview,
    }


def render_invoice_html(invoice, *, preview=False, request=None):
    return render_to_string(
        "booking/invoice_document.html", invoice_context(invoice, preview=preview), request
    )


def _render_pdf_bytes(html):
    document = weasyprint.HTML(
        string=html, base_url=INTERNAL_BASE_URL, url_fetcher=AppOnlyURLFetcher()
    )
    return document.write_pdf()


def pdf_storage():
    """Where cached PDFs live: never a storage that a URL serves."""
    return storages["private"]


def _cache_name(invoice, html):
    digest = hashlib.sha256(f"{weasyprint.__version__}\n{html}".encode()).hexdigest()[:24]
    return f"{CACHE_DIR}/{invoice.business_id}/{invoice.public_id}-{digest}.pdf"


def _read(storage, name):
    with storage.open(name, "rb") as handle:
        return handle.read()


def cached_invoice_pdf(invoice):
    """(filename, mimetype, bytes) of the invoice's PDF when it is already
    rendered for what the invoice shows now, else None. Never renders."""
    name = _cache_name(invoice, render_invoice_html(invoice))
    storage = pdf_storage()
    if not storage.exists(name):
        return None
    return invoice.pdf_filename, "application/pdf", _read(storage, name)


def invoice_pdf(invoice):
    """(filename, mimetype, bytes) of the invoice's PDF, from the cache when
    the rendered invoice has not changed."""
    html = render_invoice_html(invoice)
    name = _cache_name(invoice, html)
    storage = pdf_storage()
    if storage.exists(name):
        if invoice.pdf_file != name:
            _remember(invoice, name)
        return invoice.pdf_filename, "application/pdf", _read(storage, name)
    data = _render_pdf_bytes(html)
    saved = storage.save(name, ContentFile(data)) if not storage.exists(name) else name
    _remember(invoice, saved)
    logger.info("rendered PDF of invoice %s (%d bytes)", invoice.public_id, len(data))
    return invoice.pdf_filename, "application/pdf", data


def _remember(invoice, name):
    """Point the invoice at its current PDF and delete the one it replaces
    (also from the public media storage where older versions kept them)."""
    old = invoice.pdf_file
    Invoice.objects.filter(pk=invoice.pk).update(pdf_file=name)
    invoice.pdf_file = name
    if not old or old == name:
        return
    for storage in (pdf_storage(), default_storage):
        try:
            if storage.exists(old):
                storage.delete(old)
        except OSError:
            logger.warning("could not delete an old invoice PDF of invoice %s", invoice.pk)
