"""The portal as `make run` runs it, in a subprocess: `manage.py runserver` (one thread per
request) on a SQLite file of its own, so that requests really write at the same time through
separate connections. pytest-django's `live_server` cannot show that: with SQLite its test
database is in memory and every request of the live server shares the test's one connection.

Used by umusocial/tests/test_concurrency.py, and on the demo's data by the screenshots
(docs/screenshots/make.py). The settings are the real ones, read from the
environment as in development (DEBUG on, DATABASE_URL a SQLite file).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from core.testing.smtp import free_port

# Run in the subprocess by `manage.py shell`: the people (staff, and two of Komm), a unit, and a
# channel whose head of department holds a link with a known token. Factories write rows only,
# so no e-mail is queued here.
SETUP = """
import json
from approvals.signoff.services import signoff_link_value
from approvals.testing.factories import PrefectSignoffFactory
from channels.models import Channel
from channels.testing.factories import ChannelFactory, UnitFactory
from core.testing.factories import UserFactory
from django.contrib.auth.models import Group

users = [UserFactory(username=f"staff{n}").username for n in range(%(users)d)]
komm = [UserFactory(username=f"komm{n}") for n in range(2)]
for member in komm:
    member.groups.add(Group.objects.get(name="Komm"))
UnitFactory(name="Institutionen för fysik")
channel = ChannelFactory(state=Channel.State.AWAITING_PREFECT)
signoff = PrefectSignoffFactory(channel=channel, token="concurrent-token")
print(json.dumps({
    "users": users,
    "komm": [member.username for member in komm],
    "link": signoff_link_value(signoff=signoff, token="concurrent-token"),
    "channel": channel.pk,
}))
"""
PASSWORD = "pw-for-tests"  # core.testing.factories.UserFactory


def _environment(folder: Path, port: int) -> dict[str, str]:
    return os.environ | {
        "DEBUG": "true",  # as `make run`: static files served unhashed, no collectstatic
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "UMUSOCIAL_VAR_DIR": str(folder),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REDIS_URL": "",
        "CACHE_URL": "",  # as `make run`: each process its own cache (CI's is the suite's)
    }


def _manage(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "manage.py", *args]
    done = subprocess.run(  # noqa: S603  (this interpreter and manage.py, fixed arguments)
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def live_portal(folder: Path, *, users: int = 1):
    """Yields (base URL, the setup's JSON, the database file) while the server runs."""
    port = free_port()
    env = _environment(folder, port)
    _migrate(folder, env)
    data = json.loads(_manage(env, "shell", "-c", SETUP % {"users": users}).splitlines()[-1])
    with _serving(folder, env, port) as url:
        yield url, data, folder / "db.sqlite3"


@contextmanager
def demo_portal(folder: Path, *, setup: str):
    """The portal on `seed_demo`'s data, as `make run` shows it (docs/screenshots/make.py).
    `setup` runs in `manage.py shell` after seeding; its last line of output, JSON, is yielded
    with the base URL."""
    port = free_port()
    env = _environment(folder, port)
    _migrate(folder, env)
    _manage(env, "seed_demo")
    data = json.loads(_manage(env, "shell", "-c", setup).splitlines()[-1])
    with _serving(folder, env, port) as url:
        yield url, data


def _migrate(folder: Path, env: dict[str, str]) -> None:
    for sub in ("celery/queue", "celery/control", "mail"):  # as `make run` makes them
        (folder / sub).mkdir(parents=True, exist_ok=True)
    _manage(env, "migrate", "--noinput")


@contextmanager
def _serving(folder: Path, env: dict[str, str], port: int):
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603  (this interpreter and manage.py)
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped; see server.log"
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=2)  # noqa: S310  (http://127.0.0.1)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError("the server did not answer within 30 s")


class Visitor:
    """One browser: its own cookies (session, CSRF) and, if given, its language. Answers are
    (status, body); an HTTP error status is an answer, not an exception."""

    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, base: str, *, language: str = ""):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        if language:  # else the portal's default, Swedish
            self.opener.addheaders.append(("Accept-Language", language))

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310  (http://127.0.0.1)

    def post(self, path: str, data: dict[str, str], *, token: str) -> tuple[int, str]:
        body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310  (our server)
        return self._open(request)

    def post_file(
        self, path: str, field: str, name: str, content: bytes, *, token: str
    ) -> tuple[int, str]:
        """A form with one file, as a browser sends it (multipart/form-data)."""
        boundary = uuid.uuid4().hex
        disposition = f'Content-Disposition: form-data; name="{field}"; filename="{name}"'
        body = b"".join(
            [
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'.encode(),
                f"--{boundary}\r\n{disposition}\r\n"
                "Content-Type: application/octet-stream\r\n\r\n".encode(),
                content,
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        request = urllib.request.Request(  # noqa: S310  (our server)
            self.base + path,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return self._open(request)

    def form_token(self, path: str) -> str:
        status, page = self.get(path)
        assert status == 200, (path, status)
        found = self.TOKEN.search(page)
        assert found is not None, f"no form on {path}"
        return found.group(1)

    def log_in(self, username: str) -> int:
        token = self.form_token("/accounts/login/")
        status, _page = self.post(
            "/accounts/login/", {"username": username, "password": PASSWORD}, token=token
        )
        return status

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
