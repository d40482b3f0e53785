"""What a test needs from the machine it runs on (a browser, Redis, PostgreSQL, gettext)."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def need(service: str, available: bool, how: str) -> None:
    """Skip a test whose service is missing on a laptop; fail it in CI, where it must be there."""
    if available:
        return
    message = f"{service} is not available: {how}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true, so this is an error, not a skip)")
    pytest.skip(message)
