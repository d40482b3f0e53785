"""The dry run's answer: each row's outcome, its reasons, and what the commit would write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from channels.models import Channel, Unit


class Outcome(models.TextChoices):
    CREATE = "create", gettext_lazy("Will create")
    UPDATE = "update", gettext_lazy("Will update")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    ERROR = "error", gettext_lazy("Error")


@dataclass
class RowResult:
    number: int
    name: str
    address: str
    outcome: str = Outcome.ERROR
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # (what, before, after) as the page shows them.
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    # What the commit writes.
    channel: Channel | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    responsible_email: str = ""
    deputy_emails: list[str] = field(default_factory=list)
    head: tuple[Unit, str, str, str] | None = None  # (unit, name, title, e-mail) to add
    new_people: list[str] = field(default_factory=list)  # addresses no account has yet
    deactivated: list[str] = field(default_factory=list)  # addresses of deactivated accounts

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)


@dataclass
class ImportPlan:
    rows: list[RowResult]

    @property
    def has_errors(self) -> bool:
        return any(row.outcome == Outcome.ERROR for row in self.rows)

    @property
    def changes_anything(self) -> bool:
        return any(row.outcome in (Outcome.CREATE, Outcome.UPDATE) for row in self.rows)

    def counts(self) -> list[tuple[str, str, int]]:
        """(outcome, its label, how many rows), every outcome."""
        return [(o.value, str(o.label), sum(r.outcome == o for r in self.rows)) for o in Outcome]
