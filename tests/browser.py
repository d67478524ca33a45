"""Playwright on Debian's chromium (a downloaded browser does not work on these machines)."""

import os
from contextlib import contextmanager
from pathlib import Path

from conftest import require

CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
BLOCK_OUTSIDE = "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"


@contextmanager
def phone_page():
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                # The machine has no outside network: any other host fails to resolve at once, in the browser
                # itself (a Playwright route callback runs in Python and stalls while a test sleeps).
                f"--host-resolver-rules={BLOCK_OUTSIDE}",
            ],
        )
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", **PHONE)
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            context.close()
            browser.close()


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base_url}/")
