"""Small view helpers shared by every app: pagination and confirmed deletes."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from core.pagination import DEFAULT_PAGE_SIZE, paginate  # noqa: F401  (the lists' paging)


def querystring_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def confirm_delete(request, *, obj, perform, success_url, cancel_url, message, **extra):
    """GET shows a confirmation page; POST (from the form) or DELETE (from
    script, with the CSRF header) calls `perform()` and goes to `success_url`.

    `perform` may return an error message (a str) to show instead of deleting.
    """
    if request.method == "GET":
        context = {"object": obj, "cancel_url": cancel_url, **extra}
        return render(request, "confirm_delete.html", context)
    if request.method not in ("POST", "DELETE"):
        return HttpResponseNotAllowed(["GET", "POST", "DELETE"])
    error = perform()
    error = error if isinstance(error, str) else None
    if request.method == "DELETE":
        if error:
            return HttpResponse(error, status=409, content_type="text/plain")
        response = HttpResponse(status=204)
        response["HX-Redirect"] = success_url
        return response
    if error:
        messages.error(request, error)
        return redirect(cancel_url)
    messages.success(request, message)
    return redirect(success_url)


def absolute_url(request, path):
    """`path` as a full URL: on FIELDBOOK_SITE_URL when configured, else on
    the host the request came to (or the default site URL without a request)."""
    if request is not None and not settings.SITE_URL_CONFIGURED:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path
