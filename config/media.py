"""Uploaded files (logos) under /media/, served from the default storage
whatever it is: a local directory (Django's static file view) or a bucket
that the app reads for the browser (`config.storage.S3MediaStorage`), so
every app server serves the same files."""

import mimetypes
import posixpath

from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe
from django.views.static import serve as serve_directory


@require_safe
def serve(request, path):
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        return serve_directory(request, path, document_root=storage.location)
    name = posixpath.normpath(path).lstrip("/")
    if not name or name.startswith(".") or "\\" in name or "\x00" in name:
        raise Http404("No such file.")
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError):
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    if not content_type.startswith("image/"):
        response["Content-Disposition"] = "attachment"
    return response
