"""account.ratelimit on Django's cache: local memory (the default) and Redis
(Django's own backend, as with REDIS_URL) when a redis-server is at hand."""

import shutil
import socket
import subprocess
import threading
import time

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from account.ratelimit import RateLimit, RateLimited, client_address

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl-tests"}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["locmem", "redis"])
def cache_alias(request):
    if request.param == "locmem":
        config = LOCMEM
    else:
        url = request.getfixturevalue("redis_url")
        config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    with override_settings(CACHES={"default": LOCMEM, "limits": config}):
        caches["limits"].clear()
        yield "limits"
        caches["limits"].clear()


def test_locks_at_the_limit_and_answers_retry_after(cache_alias):
    limit = RateLimit("test", limit=3, window=60, cache_alias=cache_alias)
    assert limit.retry_after("user:a") == 0
    assert limit.hit("user:a") == 0
    assert limit.hit("user:a") == 0
    assert 59 <= limit.hit("user:a") <= 60
    assert 59 <= limit.retry_after("user:a") <= 60
    assert limit.retry_after("user:b") == 0
    assert limit.retry_after("user:b", "user:a") >= 59
    assert limit.count("user:a") == 3


def test_identities_are_counted_separately_and_together(cache_alias):
    limit = RateLimit("test", limit=2, window=60, cache_alias=cache_alias)
    limit.hit("addr:1", "user:x")
    limit.hit("addr:2", "user:x")
    assert limit.retry_after("user:x") > 0
    assert limit.retry_after("addr:1") == 0
    assert limit.retry_after("addr:2") == 0


def test_scopes_do_not_share_counters(cache_alias):
    one = RateLimit("one", limit=1, window=60, cache_alias=cache_alias)
    two = RateLimit("two", limit=1, window=60, cache_alias=cache_alias)
    one.hit("user:a")
    assert one.retry_after("user:a") > 0
    assert two.retry_after("user:a") == 0


def test_reset_clears_count_and_lock(cache_alias):
    limit = RateLimit("test", limit=1, window=60, cache_alias=cache_alias)
    limit.hit("user:a")
    limit.reset("user:a")
    assert limit.retry_after("user:a") == 0
    assert limit.count("user:a") == 0


def test_a_lock_is_not_extended_by_further_hits(cache_alias, monkeypatch):
    limit = RateLimit("test", limit=1, window=60, cache_alias=cache_alias)
    limit.hit("user:a")
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + 30)
    limit.hit("user:a")
    assert 29 <= limit.retry_after("user:a") <= 31


def test_the_window_ends(cache_alias):
    limit = RateLimit("test", limit=2, window=1, cache_alias=cache_alias)
    limit.hit("user:a")
    limit.hit("user:a")
    assert limit.retry_after("user:a") == 1
    time.sleep(1.1)
    assert limit.retry_after("user:a") == 0
    assert limit.count("user:a") == 0


def test_concurrent_hits_are_all_counted(cache_alias):
    limit = RateLimit("test", limit=1000, window=60, cache_alias=cache_alias)

    def work():
        for _ in range(50):
            limit.hit("user:busy")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert limit.count("user:busy") == 400


def test_long_and_odd_identities_make_valid_keys(cache_alias):
    limit = RateLimit("test", limit=1, window=60, cache_alias=cache_alias)
    identity = "user:" + "ü \x00\n" * 500
    limit.hit(identity)
    assert limit.retry_after(identity) > 0


def test_rate_limited_rounds_up_to_whole_seconds():
    assert RateLimited(0.2).retry_after == 1
    assert RateLimited(12.01).retry_after == 13


def test_client_address_follows_the_sign_in_lockout(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10")
    assert client_address(request) == "192.0.2.10"


def test_settings_pick_redis_when_redis_url_is_set(monkeypatch):
    import importlib

    import config.settings

    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/1")
    try:
        reloaded = importlib.reload(config.settings)
        assert reloaded.CACHES["default"]["BACKEND"] == (
            "django.core.cache.backends.redis.RedisCache"
        )
        assert reloaded.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/1"
        monkeypatch.delenv("REDIS_URL")
        reloaded = importlib.reload(config.settings)
        assert reloaded.CACHES["default"]["BACKEND"] == (
            "django.core.cache.backends.locmem.LocMemCache"
        )
    finally:
        monkeypatch.delenv("REDIS_URL", raising=False)
        importlib.reload(config.settings)
