"""File storages in an S3-compatible bucket (django-storages), selected by
`config.backends.storages` when `FIELDBOOK_S3_BUCKET` is set.

Neither storage writes an ACL: objects are as private as their bucket, which
should block public access. Uploads keep Django's rule of never overwriting
a file of the same name (two businesses' `logo.png` stay two files).
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class S3MediaStorage(S3Storage):
    """Uploads (logos). Without a custom domain their URLs stay under
    MEDIA_URL on the app's own origin, and the app serves them from the
    bucket (`config.media.serve`): the Content-Security-Policy and the PDF
    renderer, which only fetch from the app, accept them as they are. With
    `FIELDBOOK_S3_CUSTOM_DOMAIN` a CDN serves them instead."""

    default_acl = None
    file_overwrite = False
    querystring_auth = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        if self.custom_domain:
            return super().url(name, parameters, expire, http_method)
        return settings.MEDIA_URL + filepath_to_uri(name).lstrip("/")


class S3PrivateStorage(S3Storage):
    """Private files (cached invoice PDFs): no ACL, and no URL at all, not
    even a signed one; only the app's signed-in views read and hand them out."""

    default_acl = None
    file_overwrite = False

    def url(self, name, *args, **kwargs):
        raise NotImplementedError("Private files are served only through the app.")
