"""`make bench` (`python -m umusocial.bench.run`): every page against the login page, on gunicorn
and PostgreSQL, at each size of the registry; the table goes into docs/benchmarks.md.

For each size in BENCH_SIZES (default 10000,100000) it creates the database
`umusocial_bench<size>` if missing, migrates it, fills it with `manage.py bench_data` unless it
already holds that many channels, and serves every size at once with gunicorn (BENCH_WORKERS
processes each, on BENCH_PORT, BENCH_PORT + 1, ...). Then it asks each page BENCH_REQUESTS
times, one request at a time, at each size in turn and each time beside the login page (the
floor: what the framework, the middleware and the session cost), so that the sizes and the floor
all see the same load. Ratios are what compare; milliseconds depend on the machine.

Settings (environment): BENCH_SIZES, BENCH_REQUESTS (100), BENCH_WORKERS (2), BENCH_PORT (8765),
BENCH_DATABASE (postgres://postgres@127.0.0.1:5432), BENCH_WRITE (1: write the docs).
Django-free on purpose: it drives `manage.py` and gunicorn as the operator would.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2  # type: ignore[import-untyped]

from umusocial.bench.client import Client
from umusocial.bench.pages import PAGES, Targets, find_targets
from umusocial.bench.report import write_report

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "bench-only-not-a-secret"  # noqa: S105 (umusocial.bench.data.BENCH_PASSWORD)


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def database_url(size: int) -> str:
    return f"{env('BENCH_DATABASE', 'postgres://postgres@127.0.0.1:5432')}/umusocial_bench{label(size)}"


def manage(size: int, *args: str) -> None:
    environ = {**os.environ, "DATABASE_URL": database_url(size), "DEBUG": "true"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environ, check=True)  # noqa: S603


def channel_count(url: str) -> int | None:
    """How many channels the database holds; None if it does not exist yet."""
    try:
        with psycopg2.connect(url) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass('channels_channel') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM channels_channel")
            return cursor.fetchone()[0]
    except psycopg2.OperationalError:
        return None


def prepare(size: int) -> None:
    """The database of this size, migrated and filled (kept between runs: building it is the
    slow part)."""
    url = database_url(size)
    name = url.rsplit("/", 1)[1]
    count = channel_count(url)
    if count not in (None, 0, size):
        _admin_sql(f'DROP DATABASE "{name}"')
        count = None
    if count is None:
        _admin_sql(f'CREATE DATABASE "{name}"')
    manage(size, "migrate", "--noinput", "-v0")
    if count != size:
        manage(size, "bench_data", "--channels", str(size))


def _admin_sql(sql: str) -> None:
    conn = psycopg2.connect(
        f"{env('BENCH_DATABASE', 'postgres://postgres@127.0.0.1:5432')}/postgres"
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def serve(size: int, port: int) -> subprocess.Popen:
    environ = {
        **os.environ,
        "DATABASE_URL": database_url(size),
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x1y2z3" * 10,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOGIN_FAILURE_LIMIT": "1000",
        "API_REQUESTS_PER_MINUTE": "100000",  # one client asks the API many times in a row
        # Each server its own cache: one Redis cache for both sizes would mix their counts.
        "CACHE_URL": "",
    }
    workers = env("BENCH_WORKERS", "2")
    # As in production: the hashed static files' manifest.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environ,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "umusocial.wsgi",
            "-w",
            workers,
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environ,
    )
    client = Client(port)
    for _attempt in range(120):
        try:
            if client.get("/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within a minute")


@dataclass
class Session:
    """One size's server as the benchmark sees it: its targets and a client per person."""

    targets: Targets
    clients: dict[str, Client]


def session(size: int, port: int) -> Session:
    people = {name: Client(port) for name in ("owner", "komm", "admin")}
    for name, client in people.items():
        client.log_in(f"bench-{name}", PASSWORD)
    anonymous = Client(port)
    targets = find_targets(database_url(size))
    # The keyset page is the API's own `next` (its page size and position are the API's).
    pages = json.loads(anonymous.get("/api/v1/channels")[1])["pages"]
    deep_page = max(1, pages * 9 // 10)
    status, body = anonymous.get(f"/api/v1/channels?page={deep_page}")
    after = json.loads(body)["next"] if status == 200 else None
    if not after:
        raise RuntimeError(f"The API gave no next page after page {deep_page}")
    deep = urlsplit(after)
    targets = replace(targets, deep_next=f"{deep.path}?{deep.query}")
    return Session(targets, {**people, "anonymous": anonymous})


def measure(sessions: dict[int, Session], requests: int) -> dict[int, dict[str, dict]]:
    """{size: {page: {"p50": ms, "floor": ms of the login page beside it, "status": last}}}.

    Every size is served at once and asked in turn, request by request (the login page, the
    page at 10k, the login page, the page at 100k, ...), so that a machine busier for a while
    weighs on both sizes alike."""
    results: dict[int, dict[str, dict]] = {size: {} for size in sessions}
    for page in PAGES:
        times: dict[int, list[float]] = {size: [] for size in sessions}
        floors: dict[int, list[float]] = {size: [] for size in sessions}
        status = dict.fromkeys(sessions, 0)
        for i in range(requests + 3):
            for size, s in sessions.items():
                floor = s.clients["anonymous"].timed("GET", "/accounts/login/")[0]
                took, status[size] = page.request(s.clients[page.who], s.targets)
                if i >= 3:  # the first ones warm the caches
                    times[size].append(took)
                    floors[size].append(floor)
        for size in sessions:
            results[size][page.name] = {
                "p50": statistics.median(times[size]),
                "floor": statistics.median(floors[size]),
                "status": status[size],
            }
        print(
            f"  {page.name:<34} "
            + "  ".join(f"{results[size][page.name]['p50']:7.1f} ms" for size in sessions),
            flush=True,
        )
    return results


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} at the end"
    )


def main() -> None:
    sizes = [int(s) for s in env("BENCH_SIZES", "10000,100000").split(",") if s.strip()]
    requests = int(env("BENCH_REQUESTS", "100"))
    port = int(env("BENCH_PORT", "8765"))
    started = time.perf_counter()
    servers = []
    try:
        for size in sizes:
            print(f"\n== {size:,} channels: preparing the database", flush=True)
            prepare(size)
        for i, size in enumerate(sizes):
            servers.append(serve(size, port + i))
        print(f"== measuring {', '.join(f'{size:,}' for size in sizes)} in turn", flush=True)
        results = measure({size: session(size, port + i) for i, size in enumerate(sizes)}, requests)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    minutes = (time.perf_counter() - started) / 60
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    if env("BENCH_WRITE", "1") == "1":
        write_report(
            ROOT / "docs" / "benchmarks.md",
            results,
            machine=machine(),
            when=when,
            minutes=minutes,
            requests=requests,
        )
    print(f"Done in {minutes:.1f} min.")


if __name__ == "__main__":
    main()
