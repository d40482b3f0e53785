"""Concurrent writes on the embedded default, SQLite, answer without server errors.

Issue 7: two simultaneous approvals of one sign-off link gave one 200 and one 500 ("database is
locked"), and form posts failed while the worker wrote. With WAL, a busy timeout and immediate
transactions (settings.DATABASES), a request that must wait for another writer waits. Two of
Komm confirming the same register import at once create each channel once (the import's own
lock, on the platforms' rows, is a no-op on SQLite; the immediate transaction does it).

The portal runs as `make run` runs it (umusocial.testing.live_portal): runserver, one thread per
request, on a SQLite file of its own, whatever database the rest of the suite uses.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from umusocial.testing.live_portal import Visitor, live_portal

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with live_portal(tmp_path_factory.mktemp("live-portal"), users=8) as running:
        yield running


def all_at_once(calls) -> list:
    """Run the calls in threads released together by a barrier; their results, in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


class BusyWorker(threading.Thread):
    """Writes to the database in short transactions, as the Celery worker marking e-mails sent
    does, until stopped."""

    def __init__(self, database):
        super().__init__(daemon=True)
        self.database = database
        self.stop = threading.Event()
        self.writes = 0

    def run(self) -> None:
        connection = sqlite3.connect(self.database, timeout=20, isolation_level=None)
        try:
            while not self.stop.is_set():
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("UPDATE core_user SET phone = phone")
                time.sleep(0.02)
                connection.execute("COMMIT")
                self.writes += 1
                time.sleep(0.005)
        finally:
            connection.close()


def test_two_simultaneous_approvals_of_one_link(portal):
    base, data, _database = portal
    path = f"/approvals/signoff/{data['link']}/"
    prefects = [Visitor(base), Visitor(base)]
    tokens = [prefect.form_token(path) for prefect in prefects]
    form = {"decision": "approve", "approve-appoint": "on"}

    answers = all_at_once(
        [
            lambda p=prefect, t=token: p.post(path, form, token=t)
            for prefect, token in zip(prefects, tokens, strict=True)
        ]
    )

    statuses = sorted(status for status, _page in answers)
    assert statuses == [200, 410], statuses  # one decides; the other is told the link is used
    assert all(status < 500 for status in statuses)


def test_form_posts_while_the_worker_writes(portal):
    base, data, database = portal
    worker = BusyWorker(database)
    worker.start()
    try:
        visitors = [Visitor(base) for _ in data["users"]]
        logins = all_at_once(
            [
                lambda v=visitor, u=username: v.log_in(u)
                for visitor, username in zip(visitors, data["users"], strict=True)
            ]
        )
        tokens = [visitor.form_token("/channels/new/") for visitor in visitors]
        switches = all_at_once(
            [
                lambda v=visitor, t=token, n=n: v.post(
                    "/language/", {"language": "en" if n % 2 else "sv", "next": "/"}, token=t
                )[0]
                for n, (visitor, token) in enumerate(zip(visitors, tokens, strict=True))
                for _round in range(3)
            ]
        )
    finally:
        worker.stop.set()
        worker.join(timeout=30)

    assert worker.writes > 0
    assert [status for status in logins + switches if status >= 500] == []
    assert set(logins) == {200}  # signed in, and shown "My channels"
    assert set(switches) == {200}


IMPORT = (
    "\ufeffname;platform;address;state;responsible_unit;responsible_email;deputy_emails\r\n"
    + "".join(
        f"Samtidig {n};Instagram;https://www.instagram.com/samtidig_{n};active;"
        "Institutionen för fysik;anna@umu.se;david@umu.se\r\n"
        for n in range(5)
    )
).encode()
CONFIRM_TOKEN = re.compile(r'name="token" value="([^"]+)"')


def test_two_of_komm_confirm_the_same_import_at_once(portal):
    """Both uploaded the spreadsheet and saw "will create"; both press confirm at the same
    moment. The later one waits for the earlier (an immediate transaction), then plans again
    against the register as the earlier left it: every channel is created once."""
    base, data, database = portal
    confirms = []
    for username in data["komm"]:
        colleague = Visitor(base, language="en")
        assert colleague.log_in(username) == 200
        page = "/channels/register/import/"
        status, dry_run = colleague.post_file(
            page, "file", "register.csv", IMPORT, token=colleague.form_token(page)
        )
        assert status == 200 and "Will create" in dry_run, dry_run[-2000:]
        found = CONFIRM_TOKEN.search(dry_run)
        assert found is not None
        confirms.append((colleague, colleague.form_token(page), found.group(1)))

    answers = all_at_once(
        [
            lambda c=colleague, t=token, i=import_token: c.post(
                "/channels/register/import/confirm/", {"token": i}, token=t
            )
            for colleague, token, import_token in confirms
        ]
    )

    assert [status for status, _page in answers] == [200, 200]  # to the register, both
    pages = [page for _status, page in answers]
    assert sum("5 created" in page for page in pages) == 1, "one import creates them"
    assert sum("0 created, 0 updated, 5 unchanged" in page for page in pages) == 1
    with sqlite3.connect(database) as connection:
        names = connection.execute(
            "SELECT name, COUNT(*) FROM channels_channel WHERE name LIKE 'Samtidig %' GROUP BY name"
        ).fetchall()
    assert sorted(names) == [(f"Samtidig {n}", 1) for n in range(5)]
