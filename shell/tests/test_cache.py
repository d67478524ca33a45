"""The Redis cache: one client per connection pool (not one per call), and a miss when Redis is down."""

import os
import socket

from conftest import require
from shell.cache import TolerantRedisCache

REDIS = os.environ.get("CELERY_BROKER_URL", "") if os.environ.get("CELERY_BROKER_URL", "").startswith("redis") else ""
REDIS = REDIS or "redis://127.0.0.1:6379/15"


def _reachable(url: str) -> bool:
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
        return True
    except OSError:
        return False


def test_one_client_serves_every_call_of_a_pool():
    require(_reachable(REDIS), f"Redis at {REDIS}")
    cache = TolerantRedisCache(REDIS, {"KEY_PREFIX": "test-cache-client"})
    cache.set("k", {"a": 1}, 10)
    assert cache.get("k") == {"a": 1}
    client = cache._cache
    assert client.get_client("k") is client.get_client("other", write=True)
    cache.delete("k")
    assert cache.get("k", "gone") == "gone"


def test_redis_down_is_a_miss_not_an_error():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cache = TolerantRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    cache.set("k", 1)
    assert cache.get("k", "miss") == "miss"
