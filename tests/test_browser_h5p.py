"""H5P in real headless Chromium: every package the platform ships plays in its sandboxed frame (and a
broken one says so); a question answered by the learner is stored as a statement with its score and
completes the lesson; on a fresh demo a trainer's upload in /cms/ is accepted."""

import io
from pathlib import Path

import pytest

from content.h5p.models import QuarantinedStatement
from content.h5p.services import PLATFORM, h5p_content_import
from content.h5p.tests.factories import (
    COLUMN,
    SAMPLE_FILES,
    TRUE_FALSE,
    build_package,
    import_sample,
    make_h5p_course,
)
from lms import activities
from lms.models import Enrollment, LessonProgress
from lms.xapi.models import Document, Statement
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page

# The element each sample's main library renders.
ROOTS = {
    "H5P.TrueFalse": ".h5p-true-false-answer",
    "H5P.DragText": ".h5p-drag-text",
    "H5P.Column": ".h5p-column-content",
}


# A package whose script defines another class than its machine name (H5P.Tiny): no H5P player can
# construct it. It must still import, validate and load; the frame says it cannot play.
BROKEN_JS = b"H5P.Other = function (params) { this.attach = function ($c) { $c.text('x'); }; };"


@pytest.fixture(autouse=True)
def _player_built():
    from conftest import require

    built = Path(__file__).resolve().parent.parent / "static" / "h5p" / "player" / "main.bundle.js"
    require(built.exists(), "the H5P player is not built: run `make player` (make test does)")


def _frame(page, index=0):
    handle = page.locator("iframe[data-h5p-frame]").nth(index).element_handle()
    return handle.content_frame()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_sample_plays_in_a_sandboxed_frame(live_server):
    learner = UserFactory(username="siti")
    contents = [import_sample(path) for path in SAMPLE_FILES]
    course = make_h5p_course(contents)
    Enrollment.objects.create(user=learner, course=course)
    lessons = list(course.lessons())
    with phone_page() as page:
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        login(page, live_server.url, "siti", "secret-pass-123")
        for lesson, content, path in zip(lessons, contents, SAMPLE_FILES, strict=True):
            page.goto(live_server.url + lesson.url)
            frame_el = page.locator("iframe[data-h5p-frame]")
            assert frame_el.get_attribute("sandbox") == "allow-scripts"
            try:
                page.wait_for_selector("iframe[data-h5p-frame][data-h5p-ready='1']", timeout=30000)
            except Exception:
                error = _frame(page).evaluate("document.body.getAttribute('data-h5p-error')")
                pytest.fail(f"{path.name} did not start: {error} {errors}")
            frame = _frame(page)
            # The library's own markup is there: H5P attached the content type to the container.
            frame.wait_for_selector(ROOTS[content.main_library.machine_name], timeout=15000)
            assert frame.evaluate("document.body.getAttribute('data-h5p-error')") is None, path.name
            _assert_sandboxed(frame)
            page.screenshot(path=str(ARTIFACTS / f"h5p-{path.stem}.png"), full_page=True)
        assert not [e for e in errors if "h5p" in e.lower()], errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_package_no_player_can_construct_loads_and_says_it_cannot_play(live_server):
    learner = UserFactory(username="siti")
    content = h5p_content_import(upload=build_package({"H5P.Tiny-1.0/tiny.js": BROKEN_JS}), user=PLATFORM)
    course = make_h5p_course([content])
    Enrollment.objects.create(user=learner, course=course)
    with phone_page() as page:
        login(page, live_server.url, "siti", "secret-pass-123")
        page.goto(live_server.url + course.lessons().first().url)
        # The player loads every file of the package, then says in the frame that this content cannot play.
        page.wait_for_selector("iframe[data-h5p-frame][data-h5p-failed='1']", timeout=30000)
        frame = _frame(page)
        assert "tidak dapat diputar" in frame.locator(".h5p-player-error").inner_text()
        loaded = frame.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        for name in ("/content/content.json", "/H5P.Tiny-1.0/tiny.js"):
            assert any(url.endswith(name) for url in loaded), (name, loaded)
        _assert_sandboxed(frame)


def _assert_sandboxed(frame) -> None:
    """The sandbox holds: the frame's origin is opaque, the site's cookies out of reach."""
    assert frame.evaluate("window.origin") == "null"
    assert frame.evaluate("(() => { try { return document.cookie; } catch (e) { return 'blocked'; } })()") in (
        "",
        "blocked",
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_answering_a_true_false_question_stores_the_score_and_completes_the_lesson(live_server, settings):
    settings.H5P_MIN_SECONDS_PER_ITEM = 0  # a robot answers in under a second; the minimum has its own tests
    learner = UserFactory(username="siti")
    content = import_sample(TRUE_FALSE)
    course = make_h5p_course([content], pass_mark=0)
    enrollment = Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    with phone_page() as page:
        login(page, live_server.url, "siti", "secret-pass-123")
        page.goto(live_server.url + lesson.url)
        page.wait_for_selector("iframe[data-h5p-frame][data-h5p-ready='1']", timeout=30000)
        # No manual "done" button: the H5P result completes this lesson.
        assert page.get_by_test_id("lesson-done").count() == 0
        content_frame = page.frame_locator("iframe[data-h5p-frame]")
        content_frame.locator(".h5p-true-false-answer").first.click()
        content_frame.locator(".h5p-question-check-answer").click()
        page.wait_for_selector("[data-h5p-status][data-lesson-done='1']", timeout=20000)
        page.screenshot(path=str(ARTIFACTS / "h5p-true-false-answered.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        # The learner's H5P state went to the LRS state API; on the next visit the answer is restored.
        page.wait_for_selector("iframe[data-h5p-frame][data-state-saved='1']", timeout=20000)
        page.reload()
        page.wait_for_selector("iframe[data-h5p-frame][data-h5p-ready='1']", timeout=30000)
        content_frame = page.frame_locator("iframe[data-h5p-frame]")
        content_frame.locator(".h5p-true-false-answer[aria-checked='true']").wait_for(timeout=15000)

        # A statement our LRS refuses (here: a score above the item's maximum) is kept in quarantine.
        sent = int(page.evaluate("document.body.getAttribute('data-h5p-sent') || '0'"))
        _frame(page).evaluate(
            """iri => window.parent.postMessage({source: "h5p-player", type: "h5p:xapi", statement: {
                 verb: {id: "http://adlnet.gov/expapi/verbs/answered"},
                 object: {objectType: "Activity", id: iri},
                 result: {score: {min: 0, raw: 5, max: 5, scaled: 1}}}}, "*")""",
            activities.h5p_iri(lesson.pk, content.pk),
        )
        page.wait_for_function(f"() => (+document.body.getAttribute('data-h5p-sent') || 0) > {sent}", timeout=15000)

    answered = Statement.objects.get(verb="http://adlnet.gov/expapi/verbs/answered", user=learner, voided=False)
    assert answered.registration == enrollment.registration
    assert answered.activity_id.endswith(f"/lesson/{lesson.pk}/h5p/{content.pk}")
    score = answered.data["result"]["score"]
    assert score["max"] == 1 and score["raw"] in (0, 1)
    assert answered.data["actor"]["account"]["name"] == str(learner.uuid)
    grouping = [a["id"] for a in answered.data["context"]["contextActivities"]["grouping"]]
    assert any(i.endswith(f"/lesson/{lesson.pk}") for i in grouping)
    assert any(i.endswith(f"/course/{course.pk}") for i in grouping)
    quarantined = QuarantinedStatement.objects.get()
    assert quarantined.user == learner and "maximum 1" in quarantined.reason
    assert Document.objects.filter(document_id="h5p-user-state").exists()
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert progress.completed_at is not None
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None  # the course's only lesson: the course is complete


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_question_nested_in_a_column_is_stored_under_its_parent_item(live_server):
    learner = UserFactory(username="siti")
    content = import_sample(COLUMN)
    course = make_h5p_course([content])
    Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    with phone_page() as page:
        login(page, live_server.url, "siti", "secret-pass-123")
        page.goto(live_server.url + lesson.url)
        page.wait_for_selector("iframe[data-h5p-frame][data-h5p-ready='1']", timeout=30000)
        column = page.frame_locator("iframe[data-h5p-frame]")
        question = column.locator(".h5p-true-false").first
        question.locator(".h5p-true-false-answer").first.click()
        question.locator(".h5p-question-check-answer").click()
        page.wait_for_function(
            "() => (+document.body.getAttribute('data-h5p-sent') || 0) >= 1"
            " && !localStorage.getItem('h5p-outbox').includes('answered')",
            timeout=20000,
        )
    parent = activities.h5p_iri(lesson.pk, content.pk)
    nested = Statement.objects.get(
        user=learner, activity_id__startswith=parent + "?subContentId=", verb="http://adlnet.gov/expapi/verbs/answered"
    )
    sub_id = nested.activity_id.split("=", 1)[1]
    assert content.sub_items[sub_id]["library"] == "H5P.TrueFalse"
    assert nested.data["result"]["score"]["max"] == 1
    # One question of several: the item (and so the lesson) is not done yet, but the answer counts for it.
    progress = LessonProgress.objects.get(enrollment__user=learner, lesson=lesson)
    assert progress.completed_at is None and progress.attempts == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_fresh_demo_a_trainer_uploads_a_sample_package_in_the_cms_on_a_phone(live_server):
    """A new installation takes a trainer's package of a common type: the platform installed the libraries it
    ships, so the trainer (who may not install libraries) needs no admin."""
    from django.core.management import call_command
    from wagtail.models import Collection

    from content.h5p.models import H5PContent
    from fixtures.demo import DEMO_PASSWORD
    from shell.people.models import User

    # Wagtail's migrations make the root collection (the demo's document goes there); a flushed database
    # has none (the page tree's root comes back through catalog_setup).
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    call_command("load_demo", stdout=io.StringIO())
    trainer = User.objects.get(username="pelatih")
    assert not trainer.has_perm("h5p.install_h5plibrary")
    with phone_page() as page:
        login(page, live_server.url, "pelatih", DEMO_PASSWORD)
        page.goto(live_server.url + "/cms/snippets/h5p/h5pcontent/add/")
        page.fill("#id_title", "Benar atau salah: unggahan pelatih")
        page.set_input_files("#id_package", str(TRUE_FALSE))
        page.locator("button.action-save").click()
        page.wait_for_url(f"{live_server.url}/cms/snippets/h5p/h5pcontent/", timeout=30000)
        # Back on the list, with Wagtail's success message naming the new content.
        assert "Benar atau salah: unggahan pelatih" in page.locator(".messages .success").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "h5p-trainer-upload.png"), full_page=True)
    content = H5PContent.objects.get(uploaded_by=trainer)
    assert content.main_library.machine_name == "H5P.TrueFalse"
