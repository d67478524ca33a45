"""Everyday pages on a phone (390x844): the tab bar says when more of it is hidden; the home screen has
a certificates tile; report tables show every column (as cards); the trend chart is drawn to the real
values, with a far target written instead of flattening them; unit names are not cut off; the lesson's
"next lesson" button stays hidden until the lesson is complete; a supervisor approves several activities
at once; a visitor lands on a page that says what this is, with the public catalogue and a password
reset."""

import pytest
from django.core import mail
from django.utils import timezone

from content.h5p.tests.factories import build_package, make_h5p_course
from lms.models import Enrollment, LessonProgress
from reports.tests.factories import make_city
from shell.modules.kinerja.services import activity_create
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user
from tests.browser import ARTIFACTS, login, phone_page


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _cue(page, scroller: str) -> dict:
    """The sideways cue around ``scroller``: which sides say 'more', and whether the end's chevron shows."""
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).parentElement;
            const end = box.querySelector('.cue-end');
            end.getAnimations().forEach((a) => a.finish());  // the fade's transition, run to its end
            return {wrapped: box.classList.contains('cue-wrap'), end: box.classList.contains('more-end'),
                    start: box.classList.contains('more-start'), shown: getComputedStyle(end).opacity === '1'};
        }""",
        scroller,
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tab_bar_tiles_report_tables_and_charts_on_a_phone(live_server):
    city = make_city()
    for _ in range(30):  # a city far behind its target: the target line would flatten the real values
        UserFactory(unit=city.b)
    hr_user(unit=None, username="sdm", full_name="Rina Marlina")
    base = live_server.url

    with phone_page() as page:
        login(page, base, "sdm", "secret-pass-123")
        assert page.locator("a[data-tile=sertifikat]").count() == 1
        # Half the tab bar is off-screen: it says so, and stops saying so at its end.
        assert page.evaluate("document.querySelector('.mainnav').scrollWidth") > 390
        assert _cue(page, ".mainnav") == {"wrapped": True, "end": True, "start": False, "shown": True}
        page.evaluate("document.querySelector('.mainnav').scrollLeft = 100000")
        page.wait_for_function("!document.querySelector('.mainnav').parentElement.classList.contains('more-end')")
        assert _cue(page, ".mainnav")["start"] is True
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "phone-home-tabs.png"))

        page.goto(f"{base}/laporan/?tahun=2026")
        # The current tab is scrolled into view.
        current = page.locator(".mainnav [aria-current=page]").bounding_box()
        assert current and current["x"] >= 0 and current["x"] + current["width"] <= 390
        # Every column of the unit table is on the screen: each row is a card, each cell a labelled line.
        cells = page.evaluate(
            """[...document.querySelectorAll('[data-testid=unit-table] tbody td')].map(td => {
                const r = td.getBoundingClientRect();
                return [td.dataset.label || '', Math.round(r.left), Math.round(r.right), r.width > 0];
            })"""
        )
        assert cells and all(left >= 0 and right <= 390 and shown for _label, left, right, shown in cells), cells
        assert {"Pegawai", "Tercapai", "Berisiko / tertinggal", "% tercapai"} <= {c[0] for c in cells}
        # The trend: the cumulative line uses the chart's height; the far target is written, not drawn flat.
        trend = page.locator("svg[data-chart=trend]")
        chart = trend.bounding_box()
        line = trend.locator("polyline").nth(1).bounding_box()
        # (Drawn to the target, 12 to 55 JP of a 700 JP target was 6% of the plot: a flat line.)
        assert line["height"] > chart["height"] * 0.25, (line, chart)
        note = trend.locator("[data-target-off-scale]")
        assert note.count() == 1 and "di atas skala" in note.text_content()
        # Unit names are whole and inside the chart.
        units = page.locator("svg[data-chart=units]")
        box = units.bounding_box()
        for text in units.locator("text").all():
            t = text.bounding_box()
            assert t["x"] >= box["x"] - 1 and t["x"] + t["width"] <= box["x"] + box["width"] + 1, text.text_content()
        assert "Dinas A" in units.text_content() and "…" not in units.text_content()
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "phone-report-dashboard.png"), full_page=True)

        # The employee table: name, JP and status of each person on the screen.
        page.goto(f"{base}/laporan/pegawai/?tahun=2026")
        rows = page.locator("[data-testid=employee-table] tbody tr")
        assert rows.count() > 5
        status = rows.first.locator("td[data-label=Status]").bounding_box()
        assert status and status["x"] + status["width"] <= 390
        _fits(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_next_lesson_button_stays_hidden_until_the_lesson_is_complete(live_server):
    from content.h5p.services import h5p_content_import

    class Installer:
        pk = None

        def has_perm(self, perm):
            return True

    content = h5p_content_import(upload=build_package(), user=Installer())
    content.max_score = 1  # scored: the lesson completes by its result, not by a button
    content.save()
    course = make_h5p_course([content, content])
    first = course.lessons().first()
    learner = UserFactory(username="siti")
    enrollment = Enrollment.objects.create(user=learner, course=course)

    with phone_page() as page:
        login(page, live_server.url, "siti", "secret-pass-123")
        page.goto(live_server.url + first.url)
        button = page.locator("[data-h5p-next]")
        assert button.count() == 1 and button.get_attribute("hidden") is not None
        # ".btn.block" is display:block; the hidden attribute must still hide it.
        assert not button.is_visible()
        assert page.evaluate("getComputedStyle(document.querySelector('[data-h5p-next]')).display") == "none"
        LessonProgress.objects.create(enrollment=enrollment, lesson=first, completed_at=timezone.now())
        page.reload()
        assert page.locator("[data-h5p-next]").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_approves_several_activities_at_once_on_a_phone(live_server):
    unit = UnitFactory()
    boss = UserFactory(username="atasan", unit=unit, roles=[roles.LEARNER, roles.SUPERVISOR])
    team = [UserFactory(unit=unit, supervisor=boss) for _ in range(3)]
    for i, member in enumerate(team):
        activity_create(user=member, date=timezone.localdate(), title=f"Rekap harian {i + 1}")
    base = live_server.url

    with phone_page() as page:
        login(page, base, "atasan", "secret-pass-123")
        assert page.get_by_test_id("badge-kinerja").inner_text() == "3 aktivitas perlu persetujuan"
        page.goto(f"{base}/kinerja/persetujuan/")
        page.get_by_test_id("select-all").check()
        assert page.locator("[data-selected-count=ids]").inner_text() == "3"
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "phone-bulk-approval.png"), full_page=True)
        page.get_by_test_id("bulk-approve").click()
        assert "3 aktivitas disetujui." in page.locator(".messages").inner_text()
        assert "Tidak ada aktivitas yang menunggu." in page.get_by_test_id("review-queue").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_lands_finds_the_catalogue_and_asks_for_a_new_password(live_server):
    from content.tests.factories import make_course

    make_course(title="Pelayanan Publik Prima")
    UserFactory(username="ani", email="ani@tangerangkota.go.id")
    base = live_server.url

    with phone_page() as page:
        page.goto(f"{base}/")
        assert page.get_by_test_id("landing").is_visible()
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "phone-landing.png"), full_page=True)
        page.get_by_test_id("landing-catalogue").click()
        page.wait_for_url(f"{base}/kursus/")
        assert "Pelayanan Publik Prima" in page.locator("main").inner_text()
        _fits(page)
        page.get_by_test_id("topbar-login").click()
        page.wait_for_url(f"{base}/masuk/")
        page.get_by_test_id("forgot-password").click()
        page.fill("#id_email", "ani@tangerangkota.go.id")
        page.click("[data-testid=password-reset-form] button[type=submit]")
        page.wait_for_url(f"{base}/masuk/lupa-sandi/terkirim/")
        assert "Bila alamat itu terdaftar" in page.get_by_test_id("password-reset-done").inner_text()
        _fits(page)
        assert len(mail.outbox) == 1 and "/masuk/sandi-baru/" in mail.outbox[0].body
