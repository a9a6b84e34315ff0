"""Counting attempts in Django's cache and refusing them past a limit.

A `RateLimit` counts hits per identity (a client address, a username, …)
in a fixed window; the hit that reaches the limit starts a lock of the
same length, during which `retry_after()` says how many seconds are left.
Only `cache.add`, `cache.incr`, `cache.get` and `cache.delete` are used, so
it works with every cache backend; with Redis (`REDIS_URL`) the counters are
shared by every process and machine, with the local-memory default each
process counts for itself.

    limit = RateLimit("thumbtack-auth", limit=10, window=900)
    wait = limit.retry_after("user:alice", "addr:203.0.113.9")
    if wait:
        raise RateLimited(wait)
    ...
    limit.hit("user:alice", "addr:203.0.113.9")
"""

import hashlib
import math
import time

from django.core.cache import caches


class RateLimited(Exception):
    """Refused until `retry_after` seconds have passed (HTTP 429 with a
    `Retry-After` header)."""

    def __init__(self, retry_after):
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(f"Too many attempts; retry after {self.retry_after} s.")


def client_address(request):
    """The client's IP address, read the way the sign-in lockout reads it
    (django-axes with `FIELDBOOK_PROXY_COUNT` trusted proxies)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"


class RateLimit:
    def __init__(self, scope, *, limit, window, cache_alias="default"):
        if limit < 1 or window < 1:
            raise ValueError("limit and window must be positive")
        self.scope = scope
        self.limit = int(limit)
        self.window = int(math.ceil(window))
        self.cache_alias = cache_alias

    @property
    def cache(self):
        return caches[self.cache_alias]

    def _key(self, kind, identity):
        # Hashed: identities may be long or hold characters some backends
        # refuse in keys, and the cache never sees a username in clear.
        digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return f"ratelimit:{self.scope}:{kind}:{digest}"

    def retry_after(self, *identities):
        """Seconds until none of `identities` is locked; 0 when none is."""
        now = time.time()
        keys = [self._key("lock", identity) for identity in identities]
        until = [value for value in self.cache.get_many(keys).values() if value]
        wait = max((float(value) - now for value in until), default=0)
        return math.ceil(wait) if wait > 0 else 0

    def hit(self, *identities):
        """Count one attempt for each identity; lock each that reaches the
        limit. Returns the seconds to wait (0 when none is locked now)."""
        for identity in identities:
            if self._count(identity) >= self.limit:
                # add(): a lock in force is not extended by further hits.
                self.cache.add(self._key("lock", identity), time.time() + self.window, self.window)
        return self.retry_after(*identities)

    def count(self, identity):
        return self.cache.get(self._key("count", identity), 0)

    def reset(self, *identities):
        for identity in identities:
            self.cache.delete_many([self._key("count", identity), self._key("lock", identity)])

    def _count(self, identity):
        key = self._key("count", identity)
        # The window starts with the first hit: add() is atomic, and so is
        # incr() on Redis and in local memory.
        self.cache.add(key, 0, self.window)
        try:
            return self.cache.incr(key)
        except ValueError:
            # The window ended between add() and incr(): start a new one.
            self.cache.add(key, 0, self.window)
            return self.cache.incr(key)
