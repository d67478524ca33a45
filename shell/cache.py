"""Redis as a cache that degrades to a miss when Redis is down.

The cache only ever saves work (an LRS client's lookup, Wagtail's site roots, a "run already queued"
flag): when Redis is unreachable the platform keeps serving from the database, and says so in the log
once a minute instead of answering every request with a 500.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("Cache (Redis) unreachable, serving without it: %s", error)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new ``redis.Redis`` for every cache call, and redis-py fills ~160 response
    callbacks in each: a third of a cached page's time. One client per connection pool is enough (a
    client is thread-safe; its pool hands each command a connection)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except DOWN as error:
            _warn(error)
            return False  # as if taken: callers that coalesce work leave it to the periodic run

    def get(self, key, default=None, version=None) -> Any:
        try:
            return super().get(key, default, version)
        except DOWN as error:
            _warn(error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        try:
            super().set(key, value, timeout, version)
        except DOWN as error:
            _warn(error)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except DOWN as error:
            _warn(error)
            return False

    def delete(self, key, version=None) -> bool:
        try:
            return super().delete(key, version)
        except DOWN as error:
            _warn(error)
            return False

    def get_many(self, keys, version=None) -> dict:
        try:
            return super().get_many(keys, version)
        except DOWN as error:
            _warn(error)
            return {}

    def has_key(self, key, version=None) -> bool:
        try:
            return super().has_key(key, version)
        except DOWN as error:
            _warn(error)
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        try:
            return super().set_many(data, timeout, version)
        except DOWN as error:
            _warn(error)
            return list(data)

    def delete_many(self, keys, version=None) -> None:
        try:
            super().delete_many(keys, version)
        except DOWN as error:
            _warn(error)

    def clear(self) -> None:
        try:
            super().clear()
        except DOWN as error:
            _warn(error)
