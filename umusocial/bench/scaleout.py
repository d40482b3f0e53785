"""`make bench-scaleout` (`python -m umusocial.bench.scaleout`): two web processes and two Celery
workers on one Redis and one PostgreSQL, a burst of e-mails and reminders at once, then a count
of what arrived: every e-mail in the outbox delivered once, none lost, none twice.

It drops and recreates the database `umusocial_scaleout_bench`, fills it with `manage.py
bench_data` (SCALEOUT_CHANNELS, 4000), deactivates SCALEOUT_DEPARTED (10) responsible people so
that the sweeps also flag channels, and empties the Redis database SCALEOUT_REDIS
(redis://127.0.0.1:6379/11); the web processes share their cache in SCALEOUT_CACHE
(redis://127.0.0.1:6379/12), as in production. An SMTP server in this process
(umusocial.bench.smtpsink) receives the e-mails and counts them by Message-ID: messages, not
files. Then two gunicorn processes (one worker each, ports SCALEOUT_PORT and the next) and two
`celery worker`s (prefork, one child each) start with DEBUG=false, and at the same moment:
- SCALEOUT_REQUESTS (400) "send a new link" POSTs by Komm (each queues one e-mail to a head of
  department), from SCALEOUT_THREADS (2) threads per web process, each thread on channels of
  its own (two at once on one channel would collide on the one-pending-link constraint);
- `manage.py send_reminders` twice, in two processes, racing for the same reminders;
- every SCALEOUT_RESEND (1) seconds, beat's `send_unsent_emails` with no age limit, so that
  both workers race for the same rows; with SCALEOUT_KILL=N, every N seconds a worker's pool
  process is killed (a crash in the middle of a delivery).
When the outbox has no unsent row and Redis no waiting or unacknowledged task (or after
SCALEOUT_TIMEOUT, 600 s), it compares the outbox, the reminders claimed and the messages
received (umusocial.bench.scaleout_report) and writes the table into docs/benchmarks.md
(BENCH_WRITE=0: not). Django-free like `make bench`: it drives the commands as an operator would.
Every process it started is stopped on the way out, also after Ctrl-C or a failure.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import psycopg2  # type: ignore[import-untyped]
import redis
from celery import Celery

from umusocial.bench.client import Client
from umusocial.bench.run import PASSWORD, ROOT, machine
from umusocial.bench.scaleout_report import Run, check, write_report
from umusocial.bench.smtpsink import SmtpSink

DATABASE = "umusocial_scaleout_bench"  # bench_data fills only a database named "...bench..."
LOGS = ROOT / "var" / "scaleout"


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def server_url() -> str:
    return env("BENCH_DATABASE", "postgres://postgres@127.0.0.1:5432")


class Processes:
    """The processes this run started; `stop()` ends every one of them (and their children)."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(self, args: list[str], environ: dict[str, str], log: Path) -> subprocess.Popen:
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 (our own command lines)
                args,
                cwd=ROOT,
                env=environ,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: stopped with its children
            )
        self.started.append(process)
        return process

    def stop(self) -> None:
        running = [p for p in self.started if p.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended by itself meanwhile
        os.killpg(process.pid, sig)


def settings_env(url: str, ports: list[int], smtp_port: int, redis_url: str) -> dict[str, str]:
    """Production-like settings for every process: the one database, Redis, the SMTP sink."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        # The cache the web processes share in production (counts, rate limits).
        "CACHE_URL": env("SCALEOUT_CACHE", "redis://127.0.0.1:6379/12"),
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x1y2z3" * 10,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{ports[0]}",
        "LOGIN_FAILURE_LIMIT": "1000",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
    }


def _admin_sql(sql: str) -> None:
    conn = psycopg2.connect(f"{server_url()}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def _manage(environ: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, check=True
    )


def prepare_database(url: str, environ: dict[str, str], channels: int, departed: int) -> None:
    """A new database with `channels` channels, `departed` of their responsible people gone."""
    _admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{DATABASE}"')
    _manage({**environ, "DEBUG": "true"}, "migrate", "--noinput", "-v0")
    _manage({**environ, "DEBUG": "true"}, "bench_data", "--channels", str(channels))
    _manage(environ, "collectstatic", "--noinput", "-v0")  # the manifest, as in production
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "UPDATE core_user SET is_active = false WHERE id IN (SELECT DISTINCT responsible_id "
            "FROM channels_channel WHERE state = 'active' AND responsible_id <> "
            "(SELECT id FROM core_user WHERE username = 'bench-owner') "
            "ORDER BY responsible_id LIMIT %s)",
            [departed],
        )


def flagged_channels(url: str) -> int:
    """Channels flagged for a handover (the data has some already; the sweeps add more)."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM channels_channel WHERE needs_handover_since IS NOT NULL"
        )
        count = cursor.fetchone()[0]
    conn.close()
    return count


def start_web(processes: Processes, environ: dict[str, str], port: int) -> None:
    args = [sys.executable, "-m", "gunicorn", "umusocial.wsgi", "-w", "1"]
    args += ["-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = processes.start(args, environ, LOGS / f"web-{port}.log")
    for _attempt in range(240):
        try:
            if Client(port).get("/healthz")[0] == 200:
                return
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.25)
    raise RuntimeError(f"gunicorn on port {port} did not start: see {LOGS}/web-{port}.log")


def start_worker(processes: Processes, environ: dict[str, str], n: int) -> subprocess.Popen:
    args = [sys.executable, "-m", "celery", "-A", "umusocial", "worker", "--pool", "prefork"]
    args += ["-c", "1", "-n", f"scaleout{n}@%h", "-l", "info", "--without-gossip"]
    return processes.start(args, environ, LOGS / f"worker{n}.log")


def wait_ready(workers: list[subprocess.Popen], timeout: float = 120) -> None:
    """Until each worker has said "ready." (both take tasks before the burst begins)."""
    deadline = time.monotonic() + timeout
    for n, worker in enumerate(workers, 1):
        log = LOGS / f"worker{n}.log"
        while " ready." not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Celery worker {n} did not start: see {log}")
            time.sleep(0.25)


def komm_session(url: str, port: int) -> tuple[dict[str, str], str, list[int]]:
    """Komm's cookies and a CSRF token, and the channels awaiting their head of department."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM channels_channel WHERE state = 'awaiting_prefect' ORDER BY id"
        )
        channels = [row[0] for row in cursor.fetchall()]
    if not channels:
        raise RuntimeError("The benchmark data has no channel awaiting its head of department.")
    client = Client(port)
    client.log_in("bench-komm", PASSWORD)
    token = client.csrf_token(f"/channels/{channels[0]}/")  # the "send a new link" form
    return client.cookies, token, channels


def burst(ports: list[int], session: tuple, total: int, per_port: int) -> Counter:
    """`total` "send a new link" POSTs, from `per_port` threads per web process at once, each
    thread on channels no other thread asks for. Returns how many got each HTTP status."""
    cookies, token, channels = session
    count = len(ports) * per_port
    statuses: Counter = Counter()
    lock = threading.Lock()

    def run(n: int) -> None:
        client = Client(ports[n % len(ports)])
        client.cookies = dict(cookies)
        mine = channels[n::count] or channels[n % len(channels) :: len(channels)]
        for i in range(total // count + (n < total % count)):
            path = f"/approvals/channel/{mine[i % len(mine)]}/new-signoff-link/"
            status, _text = client.request("POST", path, {"csrfmiddlewaretoken": token})
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def drained(url: str, broker: redis.Redis) -> bool:
    """No unsent outbox row, no task waiting in Redis or taken and not yet acknowledged."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NULL")
        unsent = cursor.fetchone()[0]
    conn.close()
    return unsent == 0 and broker.llen("celery") == 0 and broker.hlen("unacked") == 0


def wait_drained(url: str, broker: redis.Redis, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if drained(url, broker):
            return True
        time.sleep(0.5)
    return False


class Resender(threading.Thread):
    """What beat's `send_unsent_emails` does every few minutes, every `every` seconds and with
    no age limit: each unsent row gets another task while its first may be running, so the two
    workers race for the same row (its lock must keep it to one message)."""

    def __init__(self, redis_url: str, every: float):
        super().__init__(daemon=True)
        self.app = Celery("scaleout-driver", broker=redis_url)
        self.every, self.sent, self.done = every, 0, threading.Event()

    def run(self) -> None:
        while self.every > 0 and not self.done.wait(self.every):
            self.app.send_task("core.tasks.send_unsent_emails", args=[0])
            self.sent += 1


class Killer(threading.Thread):
    """Every `every` seconds, SIGKILL the pool process of one worker and then of the other (a
    crashed worker: its task goes back to the queue, acks_late and reject_on_worker_lost), to
    see what a crash in the middle of a delivery loses or doubles. Off unless SCALEOUT_KILL."""

    def __init__(self, workers: list[subprocess.Popen], every: float):
        super().__init__(daemon=True)
        self.workers, self.every, self.killed = workers, every, 0
        self.done = threading.Event()

    def run(self) -> None:
        while self.every > 0 and not self.done.wait(self.every):
            worker = self.workers[self.killed % len(self.workers)]
            path = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
            children = path.read_text().split() if path.exists() else []
            if children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(children[0]), signal.SIGKILL)
                    self.killed += 1


def sweeps_and_burst(
    processes: Processes, workers: list, environ: dict, ports: list[int], session: tuple
) -> Run:
    """The reminder sweep twice in two processes while the web burst runs; until all is sent."""
    flagged_before = flagged_channels(environ["DATABASE_URL"])
    resender = Resender(environ["REDIS_URL"], float(env("SCALEOUT_RESEND", "1")))
    killer = Killer(workers, float(env("SCALEOUT_KILL", "0")))
    started = time.monotonic()
    resender.start()
    killer.start()
    sweeps = [
        processes.start(
            [sys.executable, "manage.py", "send_reminders"], environ, LOGS / f"sweep{n}.log"
        )
        for n in (1, 2)
    ]
    requests, per_port = int(env("SCALEOUT_REQUESTS", "400")), int(env("SCALEOUT_THREADS", "2"))
    statuses = burst(ports, session, requests, per_port)
    burst_seconds = time.monotonic() - started
    for sweep in sweeps:
        sweep.wait()
    sweep_seconds = time.monotonic() - started
    for thread in (resender, killer):
        thread.done.set()
        thread.join()
    broker = redis.Redis.from_url(environ["REDIS_URL"])
    complete = wait_drained(environ["DATABASE_URL"], broker, float(env("SCALEOUT_TIMEOUT", "600")))
    drain_seconds = time.monotonic() - started
    time.sleep(2)  # a late second delivery of a message would arrive now
    return Run(
        statuses=dict(statuses),
        sweep_codes=[sweep.returncode for sweep in sweeps],
        sweep_logs=[LOGS / f"sweep{n}.log" for n in (1, 2)],
        worker_logs=[LOGS / f"worker{n}.log" for n in (1, 2)],
        burst_seconds=burst_seconds,
        sweep_seconds=sweep_seconds,
        drain_seconds=drain_seconds,
        drained=complete,
        flagged_before=flagged_before,
        resends=resender.sent,
        kills=killer.killed,
    )


def scale_out(sink: SmtpSink, processes: Processes) -> tuple[Run, dict]:
    url = f"{server_url()}/{DATABASE}"
    port = int(env("SCALEOUT_PORT", "8771"))
    ports = [port, port + 1]
    environ = settings_env(
        url, ports, sink.port, env("SCALEOUT_REDIS", "redis://127.0.0.1:6379/11")
    )
    channels = int(env("SCALEOUT_CHANNELS", "4000"))
    print(f"== {channels:,} channels in {DATABASE}", flush=True)
    prepare_database(url, environ, channels, int(env("SCALEOUT_DEPARTED", "10")))
    redis.Redis.from_url(environ["REDIS_URL"]).flushdb()
    print("== two web processes, two workers", flush=True)
    workers = [start_worker(processes, environ, n) for n in (1, 2)]
    for web_port in ports:
        start_web(processes, environ, web_port)
    wait_ready(workers)
    session = komm_session(url, ports[0])
    print("== the burst and two reminder sweeps at once", flush=True)
    run = sweeps_and_burst(processes, workers, environ, ports, session)
    return run, {"channels": channels, "url": url}


def main() -> None:
    # Both through `finally` below (SIGINT too when started in the background, where it
    # would otherwise be ignored).
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    LOGS.mkdir(parents=True, exist_ok=True)
    sink, processes = SmtpSink(), Processes()
    sink.start()
    started = time.perf_counter()
    try:
        run, about = scale_out(sink, processes)
    finally:
        processes.stop()
        sink.stop()
    received = sink.received
    result = check(about["url"], run, received)
    print("\n".join(result.lines()))
    if env("BENCH_WRITE", "1") == "1":
        write_report(
            ROOT / "docs" / "benchmarks.md",
            result,
            channels=about["channels"],
            machine=machine(),
            when=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            minutes=(time.perf_counter() - started) / 60,
        )
    sys.exit(0 if result.ok else 1)


if __name__ == "__main__":
    main()
