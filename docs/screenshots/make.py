"""The portal's key pages as a person sees them, at 1280 px and at 320 px wide: `make screenshots`.

Starts the portal on `seed_demo`'s data in a throwaway folder (umusocial/testing/live_portal.py),
logs in as the demo's people and saves full-page PNGs next to this file. Needs Debian's
Chromium (/usr/bin/chromium) and the test requirements (Playwright's Python package).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "umusocial.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402  (the path and settings first)

django.setup()

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from umusocial.demo_data import DEMO_PASSWORD  # noqa: E402
from umusocial.testing.live_portal import demo_portal  # noqa: E402

WIDTHS = (1280, 320)
CHROMIUM = "/usr/bin/chromium"

# In the demo: a sign-off link with a known token (only its hash is stored, so the e-mailed one
# cannot be read back), and the owner's running channel.
SETUP = """
import hashlib, json
from approvals.models import PrefectSignoff
from approvals.signoff.services import signoff_link_value
from channels.models import Channel

signoff = PrefectSignoff.objects.filter(
    decision="pending", handover=None, channel__state=Channel.State.AWAITING_PREFECT
).order_by("pk").first()
signoff.token_hash = hashlib.sha256(b"screenshot-token").hexdigest()
signoff.save(update_fields=["token_hash"])
channel = Channel.objects.filter(state=Channel.State.ACTIVE, responsible__username="anna").first()
value = signoff_link_value(signoff=signoff, token="screenshot-token")
print(json.dumps({"signoff": f"/approvals/signoff/{value}/", "channel": channel.pk}))
"""


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.locator("main form input[name=username]").fill(username)
    page.locator("main form input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()


def shoot(page: Page, base: str, path: str, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + path)
        page.screenshot(path=str(HERE / f"{name}-{width}.png"), full_page=True)
        print(f"docs/screenshots/{name}-{width}.png")


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="umusocial-screenshots-") as folder,
        demo_portal(Path(folder), setup=SETUP) as (base, demo),
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(locale="sv-SE").new_page()
        shoot(page, base, "/", "home")
        shoot(page, base, demo["signoff"], "signoff")
        log_in(page, base, "anna")
        shoot(page, base, "/channels/new/", "wizard-step-1")
        shoot(page, base, f"/channels/{demo['channel']}/", "channel")
        log_in(page, base, "karin")
        shoot(page, base, "/approvals/komm/", "komm-queue")
        browser.close()


if __name__ == "__main__":
    main()
