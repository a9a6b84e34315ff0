"""Error views that must work when the rest of the app does not."""

import logging

from django.http import HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

FALLBACK_500 = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Server error · Fieldbook"
    "</title></head><body><h1>Something went wrong on our side</h1>"
    '<p>The error has been logged. <a href="/">Go to the home page</a>.</p></body></html>'
)


def server_error(request, template_name="500.html"):
    """The 500 page: rendered without a request context (no database, no
    session, no context processors); plain HTML if even that fails."""
    try:
        html = loader.get_template(template_name).render()
    except Exception:
        logger.exception("the 500 page could not be rendered")
        html = FALLBACK_500
    return HttpResponseServerError(html)
