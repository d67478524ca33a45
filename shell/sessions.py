"""Sessions read from the cache (Redis in production) and written through to the database (Django's
``cached_db``), so that a request does not query PostgreSQL for its session.

The cached copy lives at most CACHED_SECONDS. The cache degrades to a miss when Redis is unreachable
(shell.cache): a log-out made then reaches the database but not Redis, and a copy Redis still held
would otherwise let the session back in once Redis is reachable again, for as long as the session lasts.
"""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db

CACHED_SECONDS = 300


class _ShortLived:
    def __init__(self, cache):
        self._cache = cache

    def set(self, key, value, timeout=None, *args, **kwargs):
        timeout = CACHED_SECONDS if timeout is None else min(timeout, CACHED_SECONDS)
        return self._cache.set(key, value, timeout, *args, **kwargs)

    async def aset(self, key, value, timeout=None, *args, **kwargs):
        timeout = CACHED_SECONDS if timeout is None else min(timeout, CACHED_SECONDS)
        return await self._cache.aset(key, value, timeout, *args, **kwargs)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _ShortLived(self._cache)
