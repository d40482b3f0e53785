"""The production environment documented in .env.example passes `check --deploy` with no issue.

Settings are read once, when Django starts, so each case starts `manage.py` afresh in a
subprocess with only that environment, as gunicorn would start in production.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ENV_EXAMPLE = Path(settings.BASE_DIR) / ".env.example"


def documented_production_environment() -> dict[str, str]:
    """Every variable .env.example sets (not the commented-out ones), as written there."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value
    return values


def manage(tmp_path: Path, environment: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # Only what a process needs to run, then the portal's variables: nothing leaks in from the
    # test run (pytest.ini sets DEBUG and a test key).
    base = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.run(  # noqa: S603 -- our own manage.py, arguments fixed by the tests
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, "UMUSOCIAL_VAR_DIR": str(tmp_path), **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_environment_passes_check_deploy(tmp_path):
    environment = documented_production_environment()
    assert environment["DEBUG"] == "false"
    assert environment["SECRET_KEY"] == ""  # the example must not carry a real key
    environment["SECRET_KEY"] = secrets.token_urlsafe(50)

    result = manage(tmp_path, environment, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_fails_without_https(tmp_path):
    """The test above would pass for the wrong reason if the checks never ran."""
    environment = documented_production_environment()
    environment |= {"SECRET_KEY": secrets.token_urlsafe(50), "SITE_URL": "http://sociala.umu.se"}

    result = manage(tmp_path, environment, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr or check in result.stdout, check


def test_production_refuses_a_short_secret_key(tmp_path):
    environment = documented_production_environment()
    environment["SECRET_KEY"] = "x" * 10 + secrets.token_hex(19)  # 48 characters

    result = manage(tmp_path, environment, "check")

    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters long" in result.stderr


SHOW_CACHE = (
    "from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION'))"
)


def test_cache_url_shares_the_cache_between_processes_in_redis(tmp_path):
    environment = documented_production_environment()
    environment |= {"SECRET_KEY": secrets.token_urlsafe(50), "CACHE_URL": "redis://cache:6379/3"}

    result = manage(tmp_path, environment, "shell", "--no-imports", "-c", SHOW_CACHE)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache:6379/3",
    ]


def test_without_cache_url_each_process_caches_in_its_memory(tmp_path):
    environment = documented_production_environment()
    environment |= {"SECRET_KEY": secrets.token_urlsafe(50)}
    del environment["CACHE_URL"]

    result = manage(tmp_path, environment, "shell", "--no-imports", "-c", SHOW_CACHE)

    assert result.stdout.split()[0] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_cache_url_that_is_not_redis_is_refused(tmp_path):
    environment = documented_production_environment()
    environment |= {"SECRET_KEY": secrets.token_urlsafe(50), "CACHE_URL": "memcache://cache:11211"}

    result = manage(tmp_path, environment, "check")

    assert result.returncode != 0
    assert "CACHE_URL must be a Redis URL" in result.stderr
