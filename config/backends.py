"""Which cache, session store and file storages a deployment uses, chosen
from the environment (`config/settings.py` calls these with `os.environ`).

Nothing here may depend on one process: with several app servers and
workers, every process must see the same sessions, counters and files.

- Cache (rate-limit counters, short-lived shared values): Redis when
  `REDIS_URL` is set; otherwise a table in the database (shared by every
  process, created by `migrate`); local memory only in development and tests,
  or when asked for with `FIELDBOOK_CACHE=memory` (then each process counts
  on its own).
- Sessions: in the database; with Redis, `cached_db` (read from Redis,
  written through to the database, so a flushed Redis signs nobody out).
- Files: local directories by default; an S3-compatible bucket when
  `FIELDBOOK_S3_BUCKET` is set (see `storages`).
"""

from django.core.exceptions import ImproperlyConfigured

CACHE_TABLE = "fieldbook_cache"
CACHE_CHOICES = ("redis", "database", "memory")


def cache_choice(env, *, development):
    """ "redis", "database" or "memory" for this environment."""
    choice = (env.get("FIELDBOOK_CACHE") or "").strip().lower()
    redis_url = env.get("REDIS_URL") or ""
    if not choice:
        choice = "redis" if redis_url else "memory" if development else "database"
    if choice not in CACHE_CHOICES:
        raise ImproperlyConfigured(
            f"FIELDBOOK_CACHE must be one of {', '.join(CACHE_CHOICES)} (got {choice!r})."
        )
    if choice == "redis" and not redis_url:
        raise ImproperlyConfigured("FIELDBOOK_CACHE=redis needs REDIS_URL.")
    return choice


def caches(choice, env):
    """The CACHES setting for `choice`."""
    if choice == "redis":
        default = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env["REDIS_URL"],
            "KEY_PREFIX": "fieldbook",
        }
    elif choice == "database":
        default = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    else:
        default = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fieldbook",
            # Room for many counters, so a burst of new keys does not evict
            # the lockouts that are in force.
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    return {"default": default}


def session_engine(choice):
    """Sessions live in the database; with Redis they are also cached there
    (a session read costs no query, and nothing is lost if Redis is flushed)."""
    if choice == "redis":
        return "django.contrib.sessions.backends.cached_db"
    return "django.contrib.sessions.backends.db"


# --- Files ----------------------------------------------------------------------------

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3_MEDIA = "config.storage.S3MediaStorage"
S3_PRIVATE = "config.storage.S3PrivateStorage"
# Prefixes inside the bucket(s): uploads under media/, private files under
# private/, so one bucket can hold both and a CDN can be pointed at media/ only.
S3_MEDIA_PREFIX = "media"
S3_PRIVATE_PREFIX = "private"


def _s3_options(env, bucket, location):
    options = {"bucket_name": bucket, "location": location}
    for option, variable in (
        ("endpoint_url", "FIELDBOOK_S3_ENDPOINT_URL"),
        ("region_name", "FIELDBOOK_S3_REGION"),
        ("access_key", "FIELDBOOK_S3_ACCESS_KEY_ID"),
        ("secret_key", "FIELDBOOK_S3_SECRET_ACCESS_KEY"),
        ("addressing_style", "FIELDBOOK_S3_ADDRESSING_STYLE"),
    ):
        if env.get(variable):
            options[option] = env[variable]
    # Without keys, boto3 finds its own (AWS_* variables, an instance role).
    return options


def storages(env, *, media_root, private_root):
    """The "default" (uploads: logos) and "private" (cached invoice PDFs)
    entries of STORAGES, and the origin that serves media when it is not the
    app itself (a CDN's custom domain), else "".

    - Local directories (default): `media_root` (served under /media/) and
      `private_root` (never served; must not be inside `media_root`).
    - `FIELDBOOK_S3_BUCKET`: both in S3 (or an S3-compatible store through
      `FIELDBOOK_S3_ENDPOINT_URL`). Uploads under `media/`, private files in
      `FIELDBOOK_S3_PRIVATE_BUCKET` (default: the same bucket) under
      `private/`. No object is written with an ACL, so both stay as private
      as the bucket; logos are still served under /media/ by the app, unless
      `FIELDBOOK_S3_CUSTOM_DOMAIN` names a CDN that serves the media prefix.
      Private files have no URL at all: only the app's signed-in views hand
      them out.
    - `FIELDBOOK_PRIVATE_STORAGE_BACKEND` still replaces the private storage's
      class (it then reads its own settings).
    """
    bucket = env.get("FIELDBOOK_S3_BUCKET") or ""
    custom_domain = (env.get("FIELDBOOK_S3_CUSTOM_DOMAIN") or "").strip().strip("/")
    if custom_domain and not bucket:
        raise ImproperlyConfigured("FIELDBOOK_S3_CUSTOM_DOMAIN needs FIELDBOOK_S3_BUCKET.")
    if bucket:
        media_options = _s3_options(env, bucket, S3_MEDIA_PREFIX)
        if custom_domain:
            media_options["custom_domain"] = custom_domain
        default = {"BACKEND": S3_MEDIA, "OPTIONS": media_options}
        private_bucket = env.get("FIELDBOOK_S3_PRIVATE_BUCKET") or bucket
        private = {
            "BACKEND": S3_PRIVATE,
            "OPTIONS": _s3_options(env, private_bucket, S3_PRIVATE_PREFIX),
        }
    else:
        default = {"BACKEND": FILESYSTEM}
        private = {
            "BACKEND": FILESYSTEM,
            "OPTIONS": {"location": private_root, "base_url": "/private-files-are-not-served/"},
        }
        if private_root.resolve().is_relative_to(media_root.resolve()):
            raise ImproperlyConfigured(
                "FIELDBOOK_PRIVATE_ROOT must not be inside DJANGO_MEDIA_ROOT."
            )
    backend = env.get("FIELDBOOK_PRIVATE_STORAGE_BACKEND") or ""
    if backend and backend != private["BACKEND"]:
        # Another backend reads its own settings (e.g. django-storages' AWS_*).
        private = {"BACKEND": backend, "OPTIONS": {}}
    media_origin = f"https://{custom_domain}" if custom_domain else ""
    return default, private, media_origin
