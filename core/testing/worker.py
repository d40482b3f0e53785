"""Helpers for the tests that run a real Celery worker on Redis (fixture `redis_worker` in
conftest.py)."""

from __future__ import annotations

# How long a test waits for a real worker to deliver, in seconds.
WAIT_SECONDS = 20


def redis_answers(url: str) -> bool:
    """True when a Redis server answers at `url`."""
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False
