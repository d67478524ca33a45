"""Nobody earns JP they did not learn (docs/trust.md). Every forging route of the review: the statements are
stored and retrievable (the LRS stays conformant), and none moves progress, completion, certificates or the
ledger. Only the platform's own statements, the H5P player's endpoint and trusted clients count."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from content.tests.factories import RIGHT_ANSWERS, make_course
from lms import activities, services
from lms.certificates.models import Certificate
from lms.hours.models import LedgerEntry
from lms.hours.selectors import jp_total
from lms.models import Enrollment, LessonProgress
from lms.xapi.actors import actor_for_user
from lms.xapi.constants import EXT_JP
from lms.xapi.models import Statement
from lms.xapi.projections import project_pending
from lms.xapi.services import statement_record, trusted_activity_add
from lms.xapi.tests.lrs import VERSION_HEADER, Lrs
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed"}
PASSED = {"id": "http://adlnet.gov/expapi/verbs/passed"}
EXPERIENCED = {"id": "http://adlnet.gov/expapi/verbs/experienced"}
VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided"}


def forged(user, verb, iri, **extra) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": actor_for_user(user),
        "verb": verb,
        "object": {"objectType": "Activity", "id": iri},
        "result": {"completion": True, "success": True, "score": {"scaled": 1.0}},
        "context": {"extensions": {EXT_JP: 50}},
        **extra,
    }


def session_post(user, body):
    client = Client()
    client.force_login(user)
    return client.post("/xapi/statements", json.dumps(body), content_type="application/json", **VERSION_HEADER)


def nothing_changed(user) -> None:
    assert not LedgerEntry.objects.filter(user=user).exists()
    assert jp_total(user=user, year=timezone.now().year) == 0
    assert not LessonProgress.objects.filter(enrollment__user=user).exists()
    assert not Enrollment.objects.filter(user=user, completed_at__isnull=False).exists()
    assert not Certificate.objects.filter(user=user).exists()


@pytest.fixture
def course(db):
    return make_course(title="Etika ASN", jp="4", lessons=("text", "quiz"))


def test_a_learner_forging_a_course_completion_from_the_browser_is_stored_and_credits_nothing(
    course, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    text, quiz = course.lessons()
    statements = [
        forged(learner, COMPLETED, activities.course_iri(course.pk)),
        forged(learner, PASSED, activities.quiz_iri(quiz.pk)),
        forged(learner, EXPERIENCED, activities.lesson_iri(text.pk)),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = session_post(learner, statements)
    assert response.status_code == 200, response.content
    project_pending()
    nothing_changed(learner)
    # Stored as the spec requires, and marked as sent by the learner's browser.
    for statement in statements:
        stored = Statement.objects.get(pk=statement["id"])
        assert stored.source == Statement.Source.SESSION and stored.sender == learner
    client = Client()
    client.force_login(learner)
    got = client.get("/xapi/statements", {"statementId": statements[0]["id"]}, **VERSION_HEADER)
    assert got.status_code == 200 and got.json()["id"] == statements[0]["id"]


def test_even_an_enrolled_learner_completes_nothing_by_sending_statements(course, django_capture_on_commit_callbacks):
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
    text, quiz = course.lessons()
    registration = {"registration": str(enrollment.registration), "extensions": {EXT_JP: 50}}
    with django_capture_on_commit_callbacks(execute=True):
        for verb, iri in (
            (EXPERIENCED, activities.lesson_iri(text.pk)),
            (PASSED, activities.quiz_iri(quiz.pk)),
            (COMPLETED, activities.course_iri(course.pk)),
        ):
            assert session_post(learner, forged(learner, verb, iri, context=registration)).status_code == 200
    project_pending()
    nothing_changed(learner)


def test_a_learner_sending_h5p_results_to_the_lrs_directly_moves_nothing(django_capture_on_commit_callbacks):
    from content.h5p.tests.factories import TRUE_FALSE, import_sample, make_h5p_course

    learner = UserFactory()
    content = import_sample(TRUE_FALSE)
    course = make_h5p_course([content])
    Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    with django_capture_on_commit_callbacks(execute=True):
        response = session_post(learner, forged(learner, PASSED, activities.h5p_iri(lesson.pk, content.pk)))
    assert response.status_code == 200
    project_pending()
    nothing_changed(learner)


def test_an_untrusted_lrs_client_cannot_complete_anything_for_any_employee(course, django_capture_on_commit_callbacks):
    victim = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.check_enrollment_self(user=victim, course_id=course.pk)
    vendor = Lrs(scopes=("statements/write", "statements/read"))
    body = forged(
        victim, COMPLETED, activities.course_iri(course.pk), context={"registration": str(enrollment.registration)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert vendor.post("statements", body).status_code == 200
    project_pending()
    assert Statement.objects.get(pk=body["id"]).source == Statement.Source.CLIENT
    assert not LedgerEntry.objects.filter(user=victim).exists()
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at is None


def test_a_trusted_client_completes_only_its_named_activity_with_our_jp(course, django_capture_on_commit_callbacks):
    learner = UserFactory()
    vendor = Lrs(scopes=("statements/write",))
    trusted_activity_add(client=vendor.record, activity_id="https://vendor.example/kursus/etika", course=course)
    other = forged(learner, COMPLETED, "https://vendor.example/kursus/lain")
    with django_capture_on_commit_callbacks(execute=True):
        assert vendor.post("statements", other).status_code == 200
    project_pending()
    nothing_changed(learner)

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            vendor.post("statements", forged(learner, COMPLETED, "https://vendor.example/kursus/etika")).status_code
            == 200
        )
    project_pending()
    entry = LedgerEntry.objects.get(user=learner)
    assert entry.jp == Decimal("4")  # the course's JP, not the 50 the statement claims
    assert entry.evidence.startswith("statement:")
    assert Statement.objects.get(pk=entry.statement_id).source == Statement.Source.PLATFORM
    assert Enrollment.objects.get(user=learner, course=course).completed_at is not None
    # Another client, untrusted, sending the same changes nothing more.
    stranger = Lrs(scopes=("statements/write",))
    with django_capture_on_commit_callbacks(execute=True):
        stranger.post("statements", forged(UserFactory(), COMPLETED, "https://vendor.example/kursus/etika"))
    project_pending()
    assert LedgerEntry.objects.count() == 1


def test_a_learner_may_not_void_someone_elses_statement(course, django_capture_on_commit_callbacks):
    learner, colleague = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.check_enrollment_self(user=colleague, course_id=course.pk)
        text, quiz = course.lessons()
        services.lesson_complete(enrollment=enrollment, lesson=text)
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
    completion = Statement.objects.get(user=colleague, verb=COMPLETED["id"])
    assert jp_total(user=colleague, year=timezone.now().year) == Decimal("4")
    void = {
        "actor": actor_for_user(learner),
        "verb": VOIDED,
        "object": {"objectType": "StatementRef", "id": str(completion.pk)},
    }
    response = session_post(learner, void)
    assert response.status_code == 403 and "only its sender may void it" in response.content.decode()
    # Nor the colleague themself: a credit is reversed by the platform or HR, never from the browser.
    own = {**void, "actor": actor_for_user(colleague)}
    assert session_post(colleague, own).status_code == 403
    assert not Statement.objects.get(pk=completion.pk).voided
    assert jp_total(user=colleague, year=timezone.now().year) == Decimal("4")


def test_a_sender_voids_its_own_statements_as_the_spec_says(db):
    learner = UserFactory()
    mine = forged(learner, EXPERIENCED, "https://example.org/x")
    assert session_post(learner, mine).status_code == 200
    void = {
        "actor": actor_for_user(learner),
        "verb": VOIDED,
        "object": {"objectType": "StatementRef", "id": mine["id"]},
    }
    assert session_post(learner, void).status_code == 200
    assert Statement.objects.get(pk=mine["id"]).voided

    vendor, other = Lrs(scopes=("statements/write",)), Lrs(scopes=("statements/write",))
    sent = forged(learner, EXPERIENCED, "https://example.org/y")
    assert vendor.post("statements", sent).status_code == 200
    void = {
        "actor": {"mbox": "mailto:lrs@example.org"},
        "verb": VOIDED,
        "object": {"objectType": "StatementRef", "id": sent["id"]},
    }
    assert other.post("statements", void).status_code == 403
    assert vendor.post("statements", void).status_code == 200
    assert Statement.objects.get(pk=sent["id"]).voided


def test_a_statement_about_another_actor_is_refused_from_a_session(course):
    learner, colleague = UserFactory(), UserFactory()
    response = session_post(learner, forged(colleague, COMPLETED, activities.course_iri(course.pk)))
    assert response.status_code == 403
    nothing_changed(colleague)


def test_one_poison_statement_is_set_aside_and_everyone_elses_progress_moves(
    course, django_capture_on_commit_callbacks
):
    """A platform statement whose JP is not a number (written by a bug, or edited in the database) fails its
    projection: it is marked failed and the run goes on with the next statements."""
    poisoned, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.check_enrollment_self(user=poisoned, course_id=course.pk)
        second = services.check_enrollment_self(user=other, course_id=course.pk)
    from lms.xapi.transformers.course import CourseCompleted

    bad = CourseCompleted(
        user=poisoned, enrollment=first, timestamp=timezone.now() - dt.timedelta(minutes=5)
    ).statement()
    bad["context"]["extensions"][EXT_JP] = "banyak"
    good = CourseCompleted(user=other, enrollment=second).statement()
    with django_capture_on_commit_callbacks(execute=False):
        statement_record(statement=bad)
        statement_record(statement=good)
    assert project_pending() >= 1
    assert "banyak" not in str(Statement.objects.get(pk=good["id"]).projection_error)
    failed = Statement.objects.get(pk=bad["id"])
    assert failed.projected_at is not None and "not a number" in failed.projection_error
    assert jp_total(user=other, year=timezone.now().year) == Decimal("4")
    assert not LedgerEntry.objects.filter(user=poisoned).exists()
    assert project_pending() == 0  # not retried forever


def test_ledger_verify_finds_nothing_on_honest_credits_and_reports_a_tampered_entry(
    course, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
        text, quiz = course.lessons()
        services.lesson_complete(enrollment=enrollment, lesson=text)
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
    from lms.hours.services import ledger_correction_create, ledger_revoke
    from lms.hours.tests.factories import credit

    hr = UserFactory()
    ledger_correction_create(
        by=hr,
        user=learner,
        jp=Decimal("2"),
        date=dt.date.today(),
        category="teknis",
        form="seminar",
        title="Seminar yang terlewat",
        reason="Sertifikat diperiksa BKPSDM",
    )
    revoked = credit(learner, "3", dt.date.today())
    ledger_revoke(entry=revoked, by=hr, reason="Sertifikat palsu")
    out = io.StringIO()
    call_command("ledger_verify", stdout=out)
    assert "0 differences" in out.getvalue()

    entry = LedgerEntry.objects.get(user=learner, source_kind=LedgerEntry.SourceKind.COURSE)
    LedgerEntry.objects.filter(pk=entry.pk).update(jp=Decimal("40"))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("ledger_verify", stdout=out, stderr=io.StringIO())
    assert exit_status.value.code == 1
    assert f"entry {entry.pk}" in out.getvalue() and "jp" in out.getvalue()


def test_wiping_and_rebuilding_gives_the_same_balances_for_every_source(course, django_capture_on_commit_callbacks):
    from lms.hours.services import ledger_correction_create, ledger_revoke
    from lms.hours.tests.factories import credit

    learner, hr = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
        text, quiz = course.lessons()
        services.lesson_complete(enrollment=enrollment, lesson=text)
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
    ledger_correction_create(
        by=hr,
        user=learner,
        jp=Decimal("2"),
        date=dt.date.today(),
        category="teknis",
        form="seminar",
        title="Koreksi",
        reason="Terlewat",
    )
    credit(learner, "5", dt.date.today())
    ledger_revoke(entry=credit(learner, "3", dt.date.today()), by=hr, reason="Tidak sah")

    def balances():
        return sorted(LedgerEntry.objects.values_list("source_key", "jp", "date", "source_kind"))

    before = balances()
    assert {row[3] for row in before} >= {"course", "correction", "import", "reversal"}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_projections")
    assert balances() == before
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at is not None
    out = io.StringIO()
    call_command("ledger_verify", stdout=out)
    assert "0 differences" in out.getvalue()


def test_the_platforms_statement_ids_cannot_be_computed_from_public_parts(course):
    """An id made of public parts only (verb, actor, object, time) could be stored first by anyone."""
    from lms.xapi.ids import STATEMENT_NAMESPACE, platform_statement_id

    assert platform_statement_id("x") == platform_statement_id("x") != platform_statement_id("y")
    assert platform_statement_id("x") != str(uuid.uuid5(STATEMENT_NAMESPACE, "x"))


@pytest.mark.parametrize("same_content", [True, False], ids=["an exact copy", "other content"])
def test_a_statement_stored_first_under_the_platforms_id_never_takes_a_completion(
    course, same_content, django_capture_on_commit_callbacks
):
    """Were the key ever known: a learner stores a statement under the id the platform will give their course
    completion. The completion is still recorded (under another id, the same on every retry) and credited."""
    from lms.xapi.transformers import _registry, learning_event_record

    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
    at = timezone.now().replace(microsecond=0)
    ours = _registry["lms.course.completed"](user=learner, enrollment=enrollment, timestamp=at).statement()
    squatter = (
        ours if same_content else {**forged(learner, COMPLETED, activities.course_iri(course.pk)), "id": ours["id"]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert session_post(learner, squatter).status_code == 200
    project_pending()
    nothing_changed(learner)
    with django_capture_on_commit_callbacks(execute=True):
        recorded = learning_event_record("lms.course.completed", user=learner, enrollment=enrollment, timestamp=at)
        again = learning_event_record("lms.course.completed", user=learner, enrollment=enrollment, timestamp=at)
    assert str(recorded.id) != ours["id"] and again.id == recorded.id and not again.created
    assert Statement.objects.get(pk=ours["id"]).source == Statement.Source.SESSION
    assert Statement.objects.get(pk=recorded.id).source == Statement.Source.PLATFORM
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at is not None
    assert jp_total(user=learner, year=timezone.localdate().year) == Decimal("4")
    assert LedgerEntry.objects.filter(user=learner).count() == 1


def test_revoking_a_courses_jp_revokes_its_certificate_with_the_reason(
    course, client, django_capture_on_commit_callbacks
):
    """The certificate's QR must not say valid once BKPSDM took the JP it attests back."""
    from django.urls import reverse

    from lms.hours.services import ledger_revoke

    learner, hr = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
        text, quiz = course.lessons()
        services.lesson_complete(enrollment=enrollment, lesson=text)
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
    certificate = Certificate.objects.get(user=learner)
    assert certificate.is_valid
    with django_capture_on_commit_callbacks(execute=True):
        ledger_revoke(entry=LedgerEntry.objects.get(user=learner), by=hr, reason="Kuis dikerjakan orang lain")
    certificate.refresh_from_db()
    assert not certificate.is_valid and "Kuis dikerjakan orang lain" in certificate.revoked_reason
    assert certificate.revoked_by == hr
    page = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "DICABUT" in page and "SAH" not in page.replace("DICABUT", "")
