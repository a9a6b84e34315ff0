"""Cache, sessions and file storages are chosen from the environment
(config/backends.py) so that no state lives in one process. No network: the
S3 storages are only built, never asked to connect."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings

from config import backends
from config.storage import S3MediaStorage, S3PrivateStorage
from tests.ops.processes import ROOT, clean_env

# --- Cache and sessions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "development", "choice", "cache", "sessions"),
    [
        ({}, False, "database", "db.DatabaseCache", "backends.db"),
        ({}, True, "memory", "locmem.LocMemCache", "backends.db"),
        ({"REDIS_URL": "redis://r:6379/0"}, False, "redis", "redis.RedisCache", "cached_db"),
        ({"REDIS_URL": "redis://r:6379/0"}, True, "redis", "redis.RedisCache", "cached_db"),
        ({"FIELDBOOK_CACHE": "memory"}, False, "memory", "locmem.LocMemCache", "backends.db"),
        ({"FIELDBOOK_CACHE": "Database"}, True, "database", "db.DatabaseCache", "backends.db"),
    ],
)
def test_cache_and_sessions_are_chosen_from_the_environment(
    env, development, choice, cache, sessions
):
    assert backends.cache_choice(env, development=development) == choice
    caches = backends.caches(choice, env)
    assert caches["default"]["BACKEND"].endswith(cache)
    assert backends.session_engine(choice).endswith(sessions)
    if choice == "database":
        assert caches["default"]["LOCATION"] == backends.CACHE_TABLE
    if choice == "redis":
        assert caches["default"]["LOCATION"] == env["REDIS_URL"]


@pytest.mark.parametrize("env", [{"FIELDBOOK_CACHE": "file"}, {"FIELDBOOK_CACHE": "redis"}])
def test_a_cache_that_cannot_work_is_refused(env):
    with pytest.raises(ImproperlyConfigured):
        backends.cache_choice(env, development=False)


@pytest.mark.django_db
def test_migrate_creates_the_database_cache_table(settings):
    from django.core.management import call_command
    from django.db import connection

    settings.CACHES = backends.caches("database", {})
    assert backends.CACHE_TABLE not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)  # nothing to migrate: the table all the same
    assert backends.CACHE_TABLE in connection.introspection.table_names()
    call_command("migrate", verbosity=0)  # again: nothing to do


@pytest.mark.django_db
def test_rate_limits_in_the_database_are_shared_by_every_process(settings):
    """A counter written by one process is seen by another: a second cache
    object (as another process has) over the same table."""
    from account.ratelimit import RateLimit
    from core.apps import create_cache_table

    shared = backends.caches("database", {})["default"]
    settings.CACHES = {"default": shared, "other-process": shared}
    create_cache_table(sender=None, using="default")
    limit = RateLimit("test-shared", limit=3, window=60)
    for _ in range(3):
        limit.hit("addr:203.0.113.9")
    other_process = RateLimit("test-shared", limit=3, window=60, cache_alias="other-process")
    assert other_process.cache is not limit.cache
    assert other_process.count("addr:203.0.113.9") == 3
    assert other_process.retry_after("addr:203.0.113.9") > 0


def _settings_in(env):
    """Values of the real settings module under `env` (a fresh process)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], "
        "'sessions': s.SESSION_ENGINE, 'default': s.STORAGES['default'], "
        "'private': s.STORAGES['private'], 'media_url': s.MEDIA_URL, "
        "'img_src': s.SECURE_CSP['img-src'], 'serve_media': s.SERVE_MEDIA}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_settings_share_everything_between_processes():
    plain = _settings_in({})
    assert plain["cache"].endswith("DatabaseCache")
    assert plain["sessions"] == "django.contrib.sessions.backends.db"
    assert plain["default"]["BACKEND"].endswith("FileSystemStorage")
    with_redis = _settings_in({"REDIS_URL": "redis://127.0.0.1:1/0"})
    assert with_redis["cache"].endswith("RedisCache")
    assert with_redis["sessions"] == "django.contrib.sessions.backends.cached_db"
    s3 = _settings_in(
        {
            "FIELDBOOK_S3_BUCKET": "fieldbook-files",
            "FIELDBOOK_S3_CUSTOM_DOMAIN": "files.example.com",
            "FIELDBOOK_SERVE_MEDIA": "0",
        }
    )
    assert s3["default"]["BACKEND"] == "config.storage.S3MediaStorage"
    assert s3["private"]["BACKEND"] == "config.storage.S3PrivateStorage"
    assert s3["media_url"] == "https://files.example.com/media/"
    assert "https://files.example.com" in s3["img_src"]
    assert s3["serve_media"] is False


# --- File storages ------------------------------------------------------------------


def test_local_directories_by_default(tmp_path):
    default, private, origin = backends.storages(
        {}, media_root=tmp_path / "media", private_root=tmp_path / "private"
    )
    assert default == {"BACKEND": backends.FILESYSTEM}
    assert private["BACKEND"] == backends.FILESYSTEM
    assert private["OPTIONS"]["location"] == tmp_path / "private"
    assert origin == ""
    with pytest.raises(ImproperlyConfigured, match="must not be inside"):
        backends.storages(
            {}, media_root=tmp_path / "media", private_root=tmp_path / "media" / "private"
        )


S3_ENV = {
    "FIELDBOOK_S3_BUCKET": "fieldbook-media",
    "FIELDBOOK_S3_ENDPOINT_URL": "https://s3.example.net",
    "FIELDBOOK_S3_REGION": "eu-central-1",
    "FIELDBOOK_S3_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "FIELDBOOK_S3_SECRET_ACCESS_KEY": "secret-example",
    "FIELDBOOK_S3_ADDRESSING_STYLE": "path",
}


def _s3_storages(env, tmp_path=Path("/nonexistent")):
    default, private, origin = backends.storages(
        env, media_root=tmp_path / "media", private_root=tmp_path / "private"
    )
    return {"default": default, "private": private}, origin


def test_s3_bucket_with_a_private_prefix():
    configured, origin = _s3_storages(S3_ENV)
    assert origin == ""
    with override_settings(STORAGES=configured, MEDIA_URL="/media/"):
        media, private = storages["default"], storages["private"]
        assert isinstance(media, S3MediaStorage) and isinstance(private, S3PrivateStorage)
        assert (media.bucket_name, media.location) == ("fieldbook-media", "media")
        assert (private.bucket_name, private.location) == ("fieldbook-media", "private")
        for storage in (media, private):
            assert storage.default_acl is None  # never a public ACL
            assert storage.file_overwrite is False
            assert storage.endpoint_url == "https://s3.example.net"
            assert storage.region_name == "eu-central-1"
            assert storage.access_key == "AKIDEXAMPLE"
            assert storage.addressing_style == "path"
        # Logos keep same-origin URLs (the app serves them from the bucket);
        # private files have no URL at all.
        assert media.url("logos/a b.png") == "/media/logos/a%20b.png"
        with pytest.raises(NotImplementedError):
            private.url("invoice-pdfs/1/IV-1.pdf")


def test_s3_private_files_in_their_own_bucket_and_media_on_a_cdn():
    env = {
        **S3_ENV,
        "FIELDBOOK_S3_PRIVATE_BUCKET": "fieldbook-private",
        "FIELDBOOK_S3_CUSTOM_DOMAIN": "files.example.com/",
    }
    configured, origin = _s3_storages(env)
    assert origin == "https://files.example.com"
    with override_settings(STORAGES=configured):
        assert storages["private"].bucket_name == "fieldbook-private"
        assert storages["private"].custom_domain is None
        assert (
            storages["default"].url("logos/x.png") == "https://files.example.com/media/logos/x.png"
        )


def test_a_custom_domain_needs_a_bucket():
    with pytest.raises(ImproperlyConfigured):
        _s3_storages({"FIELDBOOK_S3_CUSTOM_DOMAIN": "files.example.com"})


def test_the_private_storage_backend_can_still_be_replaced():
    configured, _ = _s3_storages(
        {"FIELDBOOK_PRIVATE_STORAGE_BACKEND": "django.core.files.storage.InMemoryStorage"}
    )
    assert configured["private"] == {
        "BACKEND": "django.core.files.storage.InMemoryStorage",
        "OPTIONS": {},
    }


# --- /media/ from the default storage ----------------------------------------------------


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.django_db
def test_media_is_served_from_a_storage_that_is_not_a_directory(client):
    """The test settings keep uploads in memory, as a bucket keeps them
    away from the app server's disk."""
    from django.core.files.storage import default_storage

    name = default_storage.save("logos/served.png", ContentFile(PNG))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    other = default_storage.save("logos/notes.html", ContentFile(b"<script>x</script>"))
    assert client.get(f"/media/{other}")["Content-Disposition"] == "attachment"
    for missing in ("logos/none.png", "../private/x.pdf", "", ".env"):
        assert client.get(f"/media/{missing}").status_code == 404
    assert client.post(f"/media/{name}").status_code == 405


@pytest.mark.django_db
def test_the_pdf_renderer_reads_media_on_a_cdn_through_the_storage(settings):
    from django.core.files.storage import default_storage

    from booking.pdf import AppOnlyURLFetcher, RefusedURL

    name = default_storage.save("logos/cdn.png", ContentFile(PNG))
    fetcher = AppOnlyURLFetcher()
    settings.MEDIA_URL = "https://files.example.com/media/"
    assert fetcher.fetch(f"https://files.example.com/media/{name}").read() == PNG
    for refused in (
        "https://files.example.com/static/css/app.css",  # only media on the CDN host
        "https://evil.example.com/media/" + name,
        "http://files.example.com/media/" + name,
        f"https://fieldbook.internal/media/{name}",  # media is not on the app then
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(refused)
    settings.MEDIA_URL = "/media/"
    assert fetcher.fetch(f"https://fieldbook.internal/media/{name}").read() == PNG
