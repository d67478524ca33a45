"""The city's morning peak as a locust scenario (run headless by bench/peak.py; by hand:
``locust -f bench/morning_peak/locustfile.py --headless -u 40 -r 20 -t 60s --host http://127.0.0.1:8770``
with BENCH_PEAK_META naming the accounts file that bench/peak.py writes).

Learners log in, open the home screen with its badges, the catalogue, their H5P lesson (the page and
the player's frame), send the player's xAPI statements, and read their learning history; HR staff open
the city's report page. Every response is checked: a wrong status or page counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid

from locust import FastHttpUser, between, constant, task

META = json.loads(open(os.environ["BENCH_PEAK_META"]).read()) if os.environ.get("BENCH_PEAK_META") else {}
PASSWORD = META.get("password", "")
_learners = itertools.cycle(META.get("learners", [""]))
_hr = itertools.cycle(META.get("hr", [""]))
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PLAYER_SRC = re.compile(rb'<iframe[^>]*src="(/h5p/main/[^"]+)"')


class Employee(FastHttpUser):
    abstract = True
    accounts = _learners

    def on_start(self) -> None:
        self.username = next(self.accounts)
        self.login()

    def login(self) -> None:
        with self.client.get("/masuk/", name="login page", catch_response=True) as page:
            match = CSRF_FIELD.search(page.content or b"")
            if page.status_code != 200 or not match:
                page.failure(f"login page: {page.status_code}")
                return
        form = {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1).decode()}
        with self.client.post(
            "/masuk/", data=form, name="log in", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"log in as {self.username}: {answer.status_code}")

    def page(self, path: str, name: str, expect: bytes = b"") -> bytes:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name}: {response.status_code}")
            elif expect and expect not in (response.content or b""):
                response.failure(f"{name}: the page lacks {expect!r}")
            return response.content or b""

    @property
    def csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""


class Learner(Employee):
    """An employee starting the day on their phone."""

    weight = 20
    wait_time = between(2, 8)  # reading on a phone between taps

    @task(6)
    def home(self) -> None:
        self.page("/", "home (badges)", b'data-testid="badge-')

    @task(3)
    def catalogue(self) -> None:
        self.page(META["catalogue"], "catalogue")

    @task(3)
    def lesson(self) -> None:
        html = self.page(META["lesson"], "H5P lesson")
        player = PLAYER_SRC.search(html)
        if player:
            self.page(player.group(1).decode().replace("&amp;", "&"), "H5P player frame")

    @task(4)
    def answer(self) -> None:
        """What the player's frame relays when a question is answered (lesson.js posts it)."""
        score = random.choice((0, 1))
        statement = {
            "id": str(uuid.uuid4()),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
            "object": {"objectType": "Activity", "id": META["h5p_activity"]},
            "result": {"score": {"min": 0, "raw": score, "max": 1, "scaled": score}, "success": bool(score)},
        }
        with self.client.post(
            META["h5p_statements"],
            data=json.dumps(statement),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf},
            name="xAPI statement (H5P)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"statement: {response.status_code} {response.text[:200]}")

    @task(2)
    def history(self) -> None:
        self.page("/belajar/riwayat/", "learning history")


class HrOfficer(Employee):
    """BKPSDM staff looking at the city's compliance over their morning coffee."""

    weight = 1
    wait_time = between(3, 10)
    accounts = _hr

    @task(3)
    def report(self) -> None:
        self.page("/laporan/", "HR report page")

    @task(1)
    def home(self) -> None:
        self.page("/", "home (badges)", b'data-testid="badge-')


class HomeOnly(Employee):
    """The measured page at full speed: logged-in learners reloading the home screen with badges."""

    weight = 0
    wait_time = constant(0)

    @task
    def home(self) -> None:
        self.page("/", "home (badges)", b'data-testid="badge-')


class Bare(FastHttpUser):
    """The baseline at full speed: a bare Django view that does one indexed PostgreSQL read."""

    weight = 0
    wait_time = constant(0)

    @task
    def bare(self) -> None:
        with self.client.get("/bench/bare/", name="bare view (1 indexed read)", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"bare: {response.status_code}")
