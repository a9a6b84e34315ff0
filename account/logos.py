"""Business logos: the pixel limit for uploads, and the small copy that
invoices and PDFs show.

An upload is refused above `MAX_SIDE` pixels on either side, before its
pixels are decoded (so a small file that expands to a huge image, a
"decompression bomb", is refused as well). Documents never embed the
original: `document_logo_url` returns a copy that fits `DOCUMENT_BOX`, made
once per logo and kept in the default storage beside it.
"""

import hashlib
import io
import logging
import warnings
from contextlib import contextmanager

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_SIDE = 4000
DOCUMENT_BOX = (600, 200)  # 3x the size printed on invoices (200 × 60 CSS px)
DOCUMENT_DIR = "logos/documents"


class LogoTooLarge(ValueError):
    pass


def too_large_message(width=None, height=None):
    size = f"{width}×{height} pixels" if width and height else "too large"
    return (
        f"The image is {size}; logos can be at most {MAX_SIDE}×{MAX_SIDE} pixels. "
        "Upload a smaller copy."
    )


@contextmanager
def open_logo(file):
    """Open an image for reading, refusing it (LogoTooLarge) when it is over
    the pixel limit. Only the header is read before the check."""
    with warnings.catch_warnings():
        # Pillow warns from 89 Mpx and refuses from 178 Mpx; the limit below
        # is far lower and names the size, so its warning is not needed.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(file)
        except Image.DecompressionBombError as exc:
            raise LogoTooLarge(too_large_message()) from exc
    with image:
        width, height = image.size
        if width > MAX_SIDE or height > MAX_SIDE:
            raise LogoTooLarge(too_large_message(width, height))
        yield image


def _document_copy(field_file):
    """PNG bytes of the logo scaled down to fit DOCUMENT_BOX."""
    field_file.open("rb")
    try:
        with open_logo(field_file) as image:
            image.draft("RGB", DOCUMENT_BOX)  # JPEG: decode at a reduced scale
            image.thumbnail(DOCUMENT_BOX)
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            buffer = io.BytesIO()
            image.save(buffer, "PNG", optimize=True)
    finally:
        field_file.close()
    return buffer.getvalue()


def document_logo_name(logo_name):
    digest = hashlib.sha256(logo_name.encode()).hexdigest()[:20]
    return f"{DOCUMENT_DIR}/{digest}.png"


def document_logo_url(business):
    """URL of the business's logo as documents show it, or None (no logo, or
    one that cannot be used). The copy is made on first use."""
    logo = business.logo
    if not logo:
        return None
    storage = logo.storage
    name = document_logo_name(logo.name)
    if not storage.exists(name):
        try:
            data = _document_copy(logo)
        except LogoTooLarge:
            logger.warning("logo of business %s is over the pixel limit; not shown", business.pk)
            return None
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
            logger.warning("logo of business %s could not be read; not shown", business.pk)
            return None
        name = storage.save(name, ContentFile(data))
    return storage.url(name)
