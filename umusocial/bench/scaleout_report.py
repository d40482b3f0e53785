"""What `make bench-scaleout` counts after the burst: the outbox, the reminders claimed and the
messages the SMTP server received, compared; and the table it writes into docs/benchmarks.md."""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2  # type: ignore[import-untyped]

from umusocial.bench.report import write_section
from umusocial.bench.smtpsink import Received

START = "<!-- make bench-scaleout: start -->"
END = "<!-- make bench-scaleout: end -->"
CATALOGUE = Path(__file__).resolve().parents[2] / "approvals" / "emails.py"


def catalogue_name(constant: str) -> str:
    """An e-mail's name as the catalogue (approvals/emails.py, the one place that names e-mails)
    defines it, read from its source: this driver does not load Django."""
    for node in ast.parse(CATALOGUE.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == constant for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError(f"approvals/emails.py defines no {constant}")


WEB_TEMPLATE = catalogue_name("SIGNOFF_REQUEST")  # what "send a new link" queues
FLAGGED_KOMM = catalogue_name("CHANNELS_FLAGGED")
FLAGGED_PEOPLE = catalogue_name("CHANNELS_FLAGGED_PEOPLE")
SENT_TOTAL = re.compile(r"^(\d+) reminder\(s\) sent\.", re.MULTILINE)
FLAGGED = re.compile(r"^flag-departed: (\d+) flagged", re.MULTILINE)


@dataclass
class Run:
    """What happened while the burst and the sweeps ran, as the driver saw it."""

    statuses: dict[int, int]  # HTTP status -> how many of the burst's POSTs got it
    sweep_codes: list[int | None]
    sweep_logs: list[Path]
    worker_logs: list[Path]
    burst_seconds: float
    sweep_seconds: float
    drain_seconds: float
    drained: bool
    flagged_before: int  # channels the data had flagged already
    resends: int  # send_unsent_emails tasks the driver queued during the burst
    kills: int  # workers' pool processes it killed (SCALEOUT_KILL)


@dataclass
class Result:
    rows: list[tuple[str, str, str, bool | None]] = field(default_factory=list)

    def add(self, what: str, value: object, expected: object = None) -> None:
        """A row; with `expected`, it must be equal to the value."""
        ok = None if expected is None else value == expected
        self.rows.append((what, _number(value), "" if expected is None else _number(expected), ok))

    @property
    def ok(self) -> bool:
        return all(ok is not False for *_rest, ok in self.rows)

    def lines(self) -> list[str]:
        lines = ["| what | counted | expected | |", "|---|---:|---:|---|"]
        for what, value, expected, ok in self.rows:
            mark = {True: "✓", False: "**✗**", None: ""}[ok]
            lines.append(f"| {what} | {value} | {expected} | {mark} |")
        return lines


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _read(url: str) -> dict:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:

        def scalar(sql: str) -> int:
            cursor.execute(sql)
            return cursor.fetchone()[0]

        cursor.execute(
            'SELECT template, "to", sent_at IS NOT NULL, message_id, attempts '
            "FROM core_outgoingemail"
        )
        outbox = cursor.fetchall()
        found = {
            "outbox": outbox,
            "reminders": scalar("SELECT count(*) FROM core_sentreminder"),
            "claimed_twice": scalar(
                "SELECT count(*) FROM (SELECT 1 FROM core_sentreminder "
                "GROUP BY kind, key, recipient HAVING count(*) > 1) AS twice"
            ),
            "komm_signoffs": scalar(
                "SELECT count(*) FROM approvals_prefectsignoff WHERE requested_by_id = "
                "(SELECT id FROM core_user WHERE username = 'bench-komm')"
            ),
            "flagged": scalar(
                "SELECT count(*) FROM channels_channel WHERE needs_handover_since IS NOT NULL"
            ),
        }
    conn.close()
    return found


def _from_logs(run: Run) -> dict:
    sweeps = [log.read_text(errors="replace") for log in run.sweep_logs]
    workers = [log.read_text(errors="replace") for log in run.worker_logs]
    task = re.compile(r"Task core\.tasks\.send_emails?\[[^]]+\] succeeded")
    again = re.compile(r"Task core\.tasks\.send_unsent_emails\[[^]]+\] succeeded in \S+: (\d+)")
    return {
        "sent": [sum(int(n) for n in SENT_TOTAL.findall(text)) for text in sweeps],
        "flagged": [sum(int(n) for n in FLAGGED.findall(text)) for text in sweeps],
        "tasks": [len(task.findall(text)) for text in workers],
        "again": sum(int(n) for text in workers for n in again.findall(text)),
        "retries": sum(text.count("Retry in") for text in workers),
    }


def check(url: str, run: Run, received: list[Received]) -> Result:
    """Every outbox row sent exactly once (by Message-ID) to its recipients, every reminder
    claimed once and e-mailed once, every POST of the burst one e-mail."""
    db, logs = _read(url), _from_logs(run)
    result = Result()
    _check_sources(result, run, db, logs)
    _check_delivery(result, run, db, received)
    _add_facts(result, run, db, logs)
    return result


def _check_sources(result: Result, run: Run, db: dict, logs: dict) -> None:
    outbox = db["outbox"]
    web = sum(1 for row in outbox if row[0] == WEB_TEMPLATE)
    reminders = sum(1 for row in outbox if row[0].startswith("reminder-"))
    posts = sum(run.statuses.values())
    result.add("web burst: POSTs answered 302 (of all POSTs)", run.statuses.get(302, 0), posts)
    result.add("web burst: new sign-off links in the database", db["komm_signoffs"], posts)
    result.add("web burst: e-mails in the outbox", web, posts)
    result.add("sweeps: exit codes", " ".join(map(str, run.sweep_codes)), "0 0")
    claimed = " + ".join(map(str, logs["sent"]))
    result.add(f"sweeps: reminders each sweep says it sent ({claimed})", sum(logs["sent"]))
    result.add("sweeps: reminders claimed (SentReminder rows)", db["reminders"], sum(logs["sent"]))
    result.add("sweeps: (kind, key, recipient) claimed twice", db["claimed_twice"], 0)
    result.add("sweeps: reminder e-mails in the outbox", reminders, db["reminders"])
    flagged = " + ".join(map(str, logs["flagged"]))
    result.add(
        f"sweeps: channels flagged ({flagged} by the sweeps)",
        db["flagged"] - run.flagged_before,
        sum(logs["flagged"]),
    )
    komm = sum(1 for row in outbox if row[0] == FLAGGED_KOMM)
    result.add(
        "sweeps: e-mails to Komm about flagged channels", komm, sum(map(bool, logs["flagged"]))
    )
    people = Counter(tuple(row[1]) for row in outbox if row[0] == FLAGGED_PEOPLE)
    result.add("sweeps: e-mails to the flagged channels' people", sum(people.values()))
    result.add(
        "sweeps: people told twice about flagged channels",
        sum(1 for n in people.values() if n > 1),
        0 if sum(map(bool, logs["flagged"])) <= 1 else None,
    )
    other = len(outbox) - web - reminders - komm - sum(people.values())
    result.add("other e-mails in the outbox", other, 0)


def _check_delivery(result: Result, run: Run, db: dict, received: list[Received]) -> None:
    outbox = db["outbox"]
    sent = [row for row in outbox if row[2]]
    row_ids = Counter(row[3] for row in sent)
    got = Counter(message.message_id for message in received)
    envelopes = {message.message_id: message.recipients for message in received}
    result.add("outbox: e-mails (rows) in all", len(outbox))
    result.add(
        f"outbox: rows left unsent ({'drained' if run.drained else 'TIMED OUT'})",
        len(outbox) - len(sent),
        0,
    )
    result.add("outbox: rows without a recipient", sum(1 for row in outbox if not row[1]), 0)
    result.add("outbox: rows sent sharing a Message-ID", len(sent) - len(row_ids), 0)
    result.add("SMTP: messages received", len(received), len(sent))
    result.add("SMTP: distinct Message-IDs received", len(got), len(sent))
    result.add("SMTP: Message-IDs received more than once", sum(n > 1 for n in got.values()), 0)
    result.add("SMTP: received, but no row has the Message-ID", len(set(got) - set(row_ids)), 0)
    result.add("SMTP: rows sent whose Message-ID never arrived", len(set(row_ids) - set(got)), 0)
    wrong = sum(
        1 for row in sent if row[3] in envelopes and envelopes[row[3]] != tuple(sorted(row[1]))
    )
    result.add("SMTP: messages whose envelope recipients differ from the row's", wrong, 0)


def _add_facts(result: Result, run: Run, db: dict, logs: dict) -> None:
    sent = sum(1 for row in db["outbox"] if row[2])
    tasks = " / ".join(f"{n:,}" for n in logs["tasks"])
    result.add("send_unsent_emails queued during the burst", run.resends)
    result.add("rows it handed to the workers again (while unsent)", logs["again"])
    if run.kills:
        result.add("workers' pool processes killed (SIGKILL) during the burst", run.kills)
    result.add(f"delivery tasks run by worker 1 / worker 2 ({tasks})", sum(logs["tasks"]))
    attempts = sum(1 for row in db["outbox"] if row[4] > 1)
    result.add("rows that needed more than one attempt", attempts)
    result.add("retries logged by the workers", logs["retries"])
    result.add(
        "seconds: burst / both sweeps / all delivered",
        f"{run.burst_seconds:.1f} / {run.sweep_seconds:.1f} / {run.drain_seconds:.1f}",
    )
    result.add("e-mails delivered per second (to the end)", f"{sent / run.drain_seconds:.1f}")


def write_report(
    path: Path, result: Result, *, channels: int, machine: str, when: str, minutes: float
) -> None:
    verdict = "nothing lost, nothing doubled" if result.ok else "**a check failed (✗)**"
    section = [
        START,
        f"Run {when} by `make bench-scaleout` in {minutes:.1f} minutes on {channels:,} "
        f"channels, on {machine}. Result: {verdict}.",
        "",
        *result.lines(),
        END,
    ]
    heading = "Scale-out: two web processes, two workers"
    write_section(path, section, start=START, end=END, heading=heading)
