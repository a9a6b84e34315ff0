"""The booking page may be shown inside an <iframe> on the business's own site.

Only views wrapped in `frameable` are: Django's `X-Frame-Options: DENY` is
left off their responses, and their Content-Security-Policy is the site's
with `frame-ancestors` from `FIELDBOOK_BOOKING_PAGE_FRAME_ANCESTORS` (default
`*`: any http(s) site). Every other response keeps `X-Frame-Options: DENY`
and `frame-ancestors 'none'`.

Forms inside a third-party frame cannot rely on Django's CSRF cookie (a
cross-site frame sends it only with SameSite=None). The booking page does
not need it: it has no signed-in user to impersonate. Its forms carry a
signed form token instead (`online.forms.form_token`), which proves the
post comes from a page we served recently; posts are rate-limited per address.
"""

from functools import wraps

from django.conf import settings

from config.middleware import build_policy


def _policy(directives):
    directives = dict(directives)
    directives["frame-ancestors"] = list(settings.FIELDBOOK_BOOKING_PAGE_FRAME_ANCESTORS)
    return build_policy(directives)


def frameable(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        csp = getattr(settings, "SECURE_CSP", None)
        if csp:
            response.headers["Content-Security-Policy"] = _policy(csp)
        report_only = getattr(settings, "SECURE_CSP_REPORT_ONLY", None)
        if report_only:
            response.headers["Content-Security-Policy-Report-Only"] = _policy(report_only)
        return response

    return wrapped
