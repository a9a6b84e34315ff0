"""Security headers that Django 5.2 does not set itself.

- `Content-Security-Policy` (and `-Report-Only`) from `SECURE_CSP` and
  `SECURE_CSP_REPORT_ONLY`: dicts of directive -> list of sources, the shape
  of Django 6's settings of the same names.
- `Permissions-Policy` from `PERMISSIONS_POLICY`: feature -> list of allowed
  origins (an empty list switches the feature off).

`Referrer-Policy`, `X-Content-Type-Options`, `X-Frame-Options` and HSTS come
from Django's own SecurityMiddleware and XFrameOptionsMiddleware.

A view may set its own header; it is then left alone. Django's debug pages
(DEBUG on, error status) carry inline scripts and styles, so they get no
policy.
"""

from django.conf import settings


def build_policy(directives):
    return "; ".join(
        " ".join([name, *sources]) for name, sources in directives.items() if sources is not None
    )


def build_permissions_policy(features):
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        debug_page = settings.DEBUG and response.status_code >= 400
        csp = getattr(settings, "SECURE_CSP", None)
        if csp and not debug_page:
            response.headers.setdefault("Content-Security-Policy", build_policy(csp))
        report_only = getattr(settings, "SECURE_CSP_REPORT_ONLY", None)
        if report_only and not debug_page:
            response.headers.setdefault(
                "Content-Security-Policy-Report-Only", build_policy(report_only)
            )
        permissions = getattr(settings, "PERMISSIONS_POLICY", None)
        if permissions:
            response.headers.setdefault("Permissions-Policy", build_permissions_policy(permissions))
        return response
