"""The data of the authorization matrix (tests/test_authorization_matrix.py).

A small city with two units, A and B. The objects that matter all belong to one employee of unit B
(``owner``): their enrolment and progress, ledger entries, claims with evidence, a certificate, a
classroom registration, an activity with evidence and an SKP in e-Kinerja, notifications, xAPI
statements; and in unit B's service desk a citizen's request with an attachment. Everyone else asks
for them.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

# Roles of the matrix: the platform's (shell/people/roles.py), and four that give the object-level
# checks their positive side (the owner, their supervisor, the service officers of each unit).
ANON = "anonymous"
LEARNER = "learner"  # a colleague of the owner: same unit B, same supervisor, no other role
TRAINER = "trainer"  # unit A, trainer of the classroom session the owner registered for
REVIEWER = "reviewer"  # unit A, curriculum reviewer
SUP_A = "supervisor_a"  # supervisor (Atasan) in unit A: not the owner's supervisor
HR_A = "hr_a"  # HR (SDM) scoped to unit A; staff, as HR read claims in the Django admin
HR_CITY = "hr_city"  # HR for the whole city
ADMIN = "admin"  # the platform administrator (superuser, staff, Admin role)
OWNER = "owner_b"  # the employee of unit B who owns the objects
SUP_B = "supervisor_b"  # the owner's direct supervisor
OFF_A = "officer_a"  # service officer (Petugas Layanan) of unit A
OFF_B = "officer_b"  # service officer of unit B, who registered the citizen's request

ROLES = (ANON, LEARNER, TRAINER, REVIEWER, SUP_A, HR_A, HR_CITY, ADMIN, OWNER, SUP_B, OFF_A, OFF_B)
SIGNED_IN = tuple(r for r in ROLES if r != ANON)

# Who may see the owner's learning records (enrolments, JP, claims, certificates): themself, their
# direct supervisor, HR whose scope holds unit B, administrators (shell.people.selectors).
SEES_B_LEARNING = frozenset({OWNER, SUP_B, HR_CITY, ADMIN})
# e-Kinerja is between an employee and their direct supervisor (shell/modules/kinerja/selectors.py).
SEES_B_KINERJA = frozenset({OWNER, SUP_B})
# A citizen's request: the officers of the service's unit (B) and city-wide coordinators (admin).
SEES_B_REQUEST = frozenset({OFF_B, ADMIN})

# Strings that only the owner's data contains: a page answered 200 to a role outside the family's
# readers must not contain any of them (see test_authorization_matrix.py, leak check).
OWNER_NAME = "Bunga Rahasiawati"
OWNER_EMAIL = "bunga.rahasiawati@b.example.go.id"
OWNER_NIP = "198001012005012777"
CLAIM_TITLE = "Seminar Rahasia Bunga"
ACTIVITY_TITLE = "Aktivitas Rahasia Bunga"
NOTE_TITLE = "Catatan Rahasia Bunga"
CITIZEN_NAME = "Warga Rahasia Cempaka"
CITIZEN_NIK = "3671014501900777"
REQUEST_DESCRIPTION = "Keterangan Rahasia Cempaka"

MARKERS: dict[str, tuple[str, ...]] = {
    "learning": (OWNER_NAME, OWNER_NIP, OWNER_EMAIL, CLAIM_TITLE, NOTE_TITLE),
    "kinerja": (ACTIVITY_TITLE,),
    "request": (CITIZEN_NAME, CITIZEN_NIK, REQUEST_DESCRIPTION),
}
READERS: dict[str, frozenset[str]] = {
    "learning": SEES_B_LEARNING,
    "kinerja": SEES_B_KINERJA,
    "request": SEES_B_REQUEST,
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name: str, salt: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + salt.encode(), content_type="application/pdf")


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (11, 93, 59)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Scenario:
    users: dict[str, object] = field(default_factory=dict)
    objects: SimpleNamespace = field(default_factory=SimpleNamespace)

    def user(self, role: str):
        return self.users.get(role)

    def __getattr__(self, name):
        objects = self.__dict__.get("objects")
        if objects is not None and hasattr(objects, name):
            return getattr(objects, name)
        raise AttributeError(name)


def build_scenario() -> Scenario:
    """Build the city through the services. Called in autocommit (see the module fixture): on-commit
    work, such as the certificate and the e-Kinerja activity of a completed course, runs at once."""
    from shell.people.services import roles_setup

    roles_setup()
    s = _people()
    _learning(s)
    _claims(s)
    _classroom(s)
    _kinerja(s)
    _layanan(s)
    _inbox_and_export(s)
    _h5p_and_lrs(s)
    _video(s)
    _wagtail_files(s)
    _ledger_anomaly(s)
    _course_pages(s)
    _evaluation(s)
    _planning(s)
    return s


def _people() -> Scenario:
    from shell.modules.layanan.tests.factories import officer
    from shell.people import roles
    from shell.people.tests.factories import UnitFactory, UserFactory, hr_user

    unit_a = UnitFactory(code="MTRX-A", name="Dinas Matriks A")
    unit_b = UnitFactory(code="MTRX-B", name="Dinas Matriks B")
    supervisor_a = UserFactory(username="m_sup_a", unit=unit_a, roles=[roles.LEARNER, roles.SUPERVISOR])
    supervisor_b = UserFactory(username="m_sup_b", unit=unit_b, roles=[roles.LEARNER, roles.SUPERVISOR])
    owner = UserFactory(
        username="m_owner_b",
        full_name=OWNER_NAME,
        email=OWNER_EMAIL,
        nip=OWNER_NIP,
        unit=unit_b,
        supervisor=supervisor_b,
    )
    hr_a = hr_user(unit=unit_a, username="m_hr_a")
    hr_city = hr_user(unit=None, username="m_hr_city")
    for hr in (hr_a, hr_city):
        hr.unit = unit_a  # BKPSDM's officers work in a unit too
        hr.is_staff = True  # they read claims and certificates in the Django admin (lms/shell_hooks.py)
        hr.save(update_fields=["unit", "is_staff"])
    users = {
        LEARNER: UserFactory(username="m_learner", unit=unit_b, supervisor=supervisor_b),
        TRAINER: UserFactory(username="m_trainer", unit=unit_a, roles=[roles.LEARNER, roles.TRAINER]),
        REVIEWER: UserFactory(username="m_reviewer", unit=unit_a, roles=[roles.LEARNER, roles.REVIEWER]),
        SUP_A: supervisor_a,
        HR_A: hr_a,
        HR_CITY: hr_city,
        ADMIN: UserFactory(
            username="m_admin",
            is_superuser=True,
            is_staff=True,
            nip=None,
            employment_type="non_asn",
            roles=[roles.ADMIN],
        ),
        OWNER: owner,
        SUP_B: supervisor_b,
        OFF_A: officer(unit_a, username="m_officer_a"),
        OFF_B: officer(unit_b, username="m_officer_b"),
    }
    s = Scenario(users=users)
    s.objects.unit_a, s.objects.unit_b = unit_a, unit_b
    # Supervisor A's direct report (unit A's side of the object-level checks).
    s.objects.employee_a = UserFactory(username="m_employee_a", unit=unit_a, supervisor=supervisor_a)
    return s


def _learning(s: Scenario) -> None:
    """The owner completes a course (a text lesson and a quiz): statements, JP, a certificate."""
    from content.services import catalog_setup, course_moderation_setup
    from content.tests.factories import RIGHT_ANSWERS, make_course
    from lms import services
    from lms.certificates.models import Certificate
    from lms.hours.models import LedgerEntry
    from lms.xapi.models import Statement

    o, owner = s.objects, s.user(OWNER)
    course_moderation_setup(catalog=catalog_setup())  # trainers and reviewers get the catalogue's pages
    o.course = make_course(title="Kursus Matriks", jp="4", lessons=("text", "quiz"))
    o.text_lesson, o.quiz_lesson = list(o.course.lessons())
    o.enrollment = services.check_enrollment_self(user=owner, course_id=o.course.pk)
    services.lesson_complete(enrollment=o.enrollment, lesson=o.text_lesson)
    services.quiz_submit(enrollment=o.enrollment, lesson=o.quiz_lesson, answers=RIGHT_ANSWERS)
    services.check_enrollment_self(user=o.employee_a, course_id=o.course.pk)  # started, not completed
    o.other_course = make_course(title="Kursus Matriks Lain", lessons=("text",))
    o.draft_course = make_course(title="Kursus Matriks Draf", lessons=("text",), publish=False)
    o.enrollment.refresh_from_db()
    assert o.enrollment.completed_at is not None, "the owner completed the course"
    assert LedgerEntry.objects.filter(user=owner).exists(), "and was credited its JP"
    o.certificate = Certificate.objects.get(user=owner)
    o.statement = Statement.objects.filter(data__actor__account__name=str(owner.uuid)).first()
    assert o.statement is not None, "the owner's progress left xAPI statements"


def _claims(s: Scenario) -> None:
    """One claim waiting for the supervisor, one returned to the owner, one approved (HR audits)."""
    from lms.claims import services

    o, owner, today = s.objects, s.user(OWNER), timezone.localdate()

    def claim(title: str, salt: str, days_ago: int):
        day = today - dt.timedelta(days=days_ago)
        data = {
            "title": title,
            "organiser": "LAN RI",
            "form": "seminar",
            "category": "teknis",
            "start_date": day,
            "end_date": day,
            "quantity": Decimal("1"),
            "jp_requested": Decimal("3"),
            "certificate_number": f"MTRX-{salt}",
        }
        return services.check_claim_submit(user=owner, data=data, evidence=_pdf(f"bukti-{salt}.pdf", salt))

    o.claim = claim(CLAIM_TITLE, "submitted", 3)
    o.claim_returned = claim(f"{CLAIM_TITLE} (dikembalikan)", "returned", 4)
    services.claim_decide(claim=o.claim_returned, by=s.user(SUP_B), decision="return", reason="Lengkapi")
    o.claim_approved = claim(f"{CLAIM_TITLE} (disetujui)", "approved", 5)
    services.claim_decide(claim=o.claim_approved, by=s.user(SUP_B), decision="approve")


def _classroom(s: Scenario) -> None:
    """A class in two weeks, trained by the trainer; the owner registered."""
    from lms.classroom import services
    from lms.classroom.tests.factories import make_session

    o, day = s.objects, timezone.localdate() + dt.timedelta(days=14)
    o.session = make_session(days=((day, dt.time(8), dt.time(16)),), trainer=s.user(TRAINER), title="Kelas Matriks")
    o.registration = services.check_registration_create(user=s.user(OWNER), session_id=o.session.pk)


def _kinerja(s: Scenario) -> None:
    """An activity with an evidence file, and an SKP submitted to the supervisor."""
    from shell.modules.kinerja import services

    o, owner, today = s.objects, s.user(OWNER), timezone.localdate()
    o.activity = services.activity_create(
        user=owner, date=today, title=ACTIVITY_TITLE, evidence_file=_pdf("notulen.pdf", "activity")
    )
    o.evidence = o.activity.evidence.get()
    services.skp_result_add(
        user=owner,
        year=today.year,
        text="Hasil kerja matriks",
        parent=None,
        indicator="Dokumen",
        target=Decimal("1"),
        unit="dokumen",
        aspect="kuantitas",
    )
    o.skp = services.skp_submit(user=owner, year=today.year)


def _planning(s: Scenario) -> None:
    """The owner's position has a standard; the owner submitted a self-assessment and proposed a plan."""
    from lms.planning import selectors, services
    from lms.planning.tests.factories import make_competency, make_position

    o, owner, year = s.objects, s.user(OWNER), selectors.planning_year()
    competency = make_competency("MTRX", "Kompetensi Matriks", levels=2)
    owner.position = "Pengadministrasi Matriks"
    owner.save(update_fields=["position"])
    make_position(name=owner.position, code="MTRX", standard={competency: 2})
    o.planning_indicators = list(competency.indicators.values_list("pk", flat=True))
    o.planning_assessment = services.check_self_assessment_save(
        user=owner, year=year, answers={pk: (True, NOTE_TITLE) for pk in o.planning_indicators}, submit=True
    )
    o.planning_item = services.check_plan_item_add(
        user=owner,
        year=year,
        competency_id=competency.pk,
        external_title=NOTE_TITLE,
        form="coaching",
        jp="2",
        quarter=1,
    )
    o.planning_plan = services.check_plan_propose(user=owner, year=year)


def _layanan(s: Scenario) -> None:
    """A citizen's request at unit B's desk, with an attachment."""
    from shell.modules.layanan.services import request_register
    from shell.modules.layanan.tests.factories import ServiceTypeFactory

    o = s.objects
    o.service = ServiceTypeFactory(unit=o.unit_b, name="Layanan Matriks")
    o.service_request, _created = request_register(
        service=o.service,
        citizen_nik=CITIZEN_NIK,
        citizen_name=CITIZEN_NAME,
        description=REQUEST_DESCRIPTION,
        registered_by=s.user(OFF_B),
        attachments=[_pdf("kk.pdf", "attachment")],
    )
    o.attachment = o.service_request.attachments.get()


def _inbox_and_export(s: Scenario) -> None:
    """A note in the owner's inbox; HR's export of the whole city (B's rows included), built at once."""
    from reports.models import ExportJob
    from reports.selectors import ReportFilters
    from reports.services import export_job_create
    from shell.inbox.services import notification_create

    o = s.objects
    o.notification = notification_create(
        user=s.user(OWNER), kind="lms.claim_decided", title=NOTE_TITLE, url="/belajar/klaim/"
    )
    o.export = export_job_create(
        owner=s.user(HR_CITY), report="kepatuhan", fmt="csv", filters=ReportFilters(year=timezone.localdate().year)
    )
    o.export.refresh_from_db()
    assert o.export.status == ExportJob.Status.DONE, o.export.status


def _video(s: Scenario) -> None:
    """A video lesson the owner is enrolled in, and the signed link to its file the owner's page gives."""
    from content.tests.factories import make_course
    from lms import services
    from lms.video.selectors import video_file_url

    o, owner = s.objects, s.user(OWNER)
    course = make_course(title="Kursus Video Matriks", lessons=("watch",))
    services.check_enrollment_self(user=owner, course_id=course.pk)
    o.video_lesson = course.lessons().get()
    ((o.video_block, value),) = o.video_lesson.video_items
    o.video_file_token = video_file_url(media=value["media"], user=owner).rstrip("/").rsplit("/", 1)[1]


def _h5p_and_lrs(s: Scenario) -> None:
    """An H5P lesson the owner is enrolled in, the player's token (the sandboxed frame carries no
    session: the token is the capability, see content/h5p/views.py), and the owner's xAPI state."""
    from content.h5p.services import h5p_content_import
    from content.h5p.tests.factories import build_package, make_h5p_course
    from content.h5p.views import player_token
    from lms import services
    from lms.activities import h5p_iri
    from lms.xapi.actors import actor_for_user
    from lms.xapi.documents import Scope, document_put
    from lms.xapi.models import Document

    o, owner = s.objects, s.user(OWNER)
    o.h5p = h5p_content_import(upload=build_package(), user=s.user(ADMIN))
    o.h5p_course = make_h5p_course([o.h5p], title="Kursus Interaktif Matriks")
    o.h5p_lesson = o.h5p_course.lessons().get()
    services.check_enrollment_self(user=owner, course_id=o.h5p_course.pk)
    o.h5p_token = player_token(content=o.h5p, object_iri=h5p_iri(o.h5p_lesson.pk, o.h5p.pk), user_id=owner.pk)

    o.activity_iri = o.statement.data["object"]["id"]
    o.owner_agent = {"objectType": "Agent", "account": actor_for_user(owner)["account"]}
    document_put(
        scope=Scope(Document.Kind.STATE, o.activity_iri, o.owner_agent, None),
        document_id="posisi",
        content=b'{"halaman": 3}',
        content_type="application/json",
        if_match=None,
        if_none_match=None,
        require_precondition=False,
    )


def _ledger_anomaly(s: Scenario) -> None:
    """A trusted import of 20 JP today for the owner: with the course, more JP in a day than is plausible,
    so the owner is on HR's anomaly list (lms/hours/anomalies.py)."""
    from lms.hours.tests.factories import credit

    s.objects.ledger_entry = credit(s.user(OWNER), 20, timezone.localdate(), title="Impor Matriks")


def _course_pages(s: Scenario) -> None:
    """The trainer trains the owner's course (its learners' page); the owner's private calendar feed."""
    from lms.courses.services import calendar_feed_get

    o = s.objects
    o.course.trainers.add(s.user(TRAINER))
    o.course.save()
    o.calendar_feed = calendar_feed_get(user=s.user(OWNER))


def _evaluation(s: Scenario) -> None:
    """The owner's course has a question bank and a quiz; the owner finished an attempt of it."""
    from lms.evaluation import services as evaluation
    from lms.evaluation.drafts import QuestionDraft
    from lms.evaluation.models import Quiz, QuizSlot

    o, owner = s.objects, s.user(OWNER)
    choices = [
        {"text": "Serang", "fraction": 1.0, "feedback": ""},
        {"text": "Tangerang", "fraction": 0.0, "feedback": ""},
    ]
    draft = QuestionDraft(
        kind="single", name="Soal Matriks", text="Ibu kota Banten?", data={"choices": choices}, category="Matriks"
    )
    o.question = evaluation.question_create(course=o.course, draft=draft)
    o.bank_quiz = Quiz.objects.create(course=o.course, title="Kuis Matriks")
    QuizSlot.objects.create(quiz=o.bank_quiz, category=o.question.category, count=1)
    o.attempt = evaluation.attempt_start(quiz=o.bank_quiz, user=owner, registration=o.enrollment.registration)
    evaluation.attempt_submit(attempt=o.attempt)


def _wagtail_files(s: Scenario) -> None:
    """A document (course material) and an image (the only public media)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    s.objects.document = get_document_model().objects.create(
        title="Panduan matriks", file=ContentFile(PDF, name="panduan-matriks.pdf")
    )
    s.objects.image = get_image_model().objects.create(
        title="Sampul matriks", file=ContentFile(_png(), name="sampul.png")
    )


# Expected answers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    """302 to the login page with ?next= the page asked for (``login_url``: Django admin's and
    Wagtail admin's own login pages)."""

    login_url: str = "/masuk/"

    def __str__(self) -> str:
        return f"login({self.login_url})"


@dataclass(frozen=True)
class Redirect:
    """302 to a URL starting with ``prefix``."""

    prefix: str

    def __str__(self) -> str:
        return f"302->{self.prefix}"


@dataclass(frozen=True)
class AnyOf:
    statuses: tuple[int, ...]

    def __str__(self) -> str:
        return "|".join(map(str, self.statuses))


LOGIN = Login()
ADMIN_LOGIN = Login("/django-admin/login/")
CMS_LOGIN = Login("/cms/login/")

Expectation = int | Login | Redirect | AnyOf


def expect(default: Expectation, groups: dict | None = None, *, anon: Expectation = LOGIN) -> dict[str, Expectation]:
    """``default`` for every signed-in role, ``anon`` for the anonymous visitor, and ``groups``
    ({role or roles: expectation}) overriding both."""
    result: dict[str, Expectation] = {role: default for role in SIGNED_IN}
    result[ANON] = anon
    for roles, status in (groups or {}).items():
        for role in (roles,) if isinstance(roles, str) else roles:
            result[role] = status
    return result


# The usual shapes.
OWN = expect(200)  # a page about the signed-in user themself
POST_ONLY = expect(405)  # login_required + require_POST: a GET changes nothing
PUBLIC = expect(200, anon=200)
API_OWN = expect(200, anon=401)
API_POST_ONLY = expect(405, anon=401)
NOBODY = expect(404, anon=404)
B_LEARNING = expect(404, {SEES_B_LEARNING: 200})
B_KINERJA = expect(404, {SEES_B_KINERJA: 200})
B_REQUEST = expect(404, {SEES_B_REQUEST: 200})
SEES_OTHERS = frozenset({SUP_A, SUP_B, HR_A, HR_CITY, ADMIN})  # people.view_team / people.view_scope
TEAM_PAGE = expect(403, {SEES_OTHERS: 200})
HR_SCOPE = frozenset({HR_A, HR_CITY, ADMIN})
HR_PAGE = expect(403, {HR_SCOPE: 200})
HANDLES_REQUESTS = frozenset({OFF_A, OFF_B, ADMIN})  # layanan.handle_request
# Units a report may be narrowed to: HR's scope, a supervisor's team's units, else one's own unit.
REPORTS_ON_B = frozenset({LEARNER, OWNER, SUP_B, OFF_B, HR_CITY, ADMIN})
STAFF_ONLY = expect(ADMIN_LOGIN, {ADMIN: 200}, anon=ADMIN_LOGIN)  # staff HR: per page, STAFF_ONLY | {...}
# Wagtail admin: wagtailadmin.access_admin (trainers, reviewers, admins); others are sent to its login.
CMS_USERS = frozenset({TRAINER, REVIEWER, ADMIN})
CMS_HOME = expect(CMS_LOGIN, {CMS_USERS: 200}, anon=CMS_LOGIN)
# Participants' surveys: surveys.add_surveytemplate (trainers, HR, admins).
SURVEY_MANAGERS = frozenset({TRAINER, HR_A, HR_CITY, ADMIN})
XAPI = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


@dataclass(frozen=True)
class Probe:
    """One request: GET ``url(s)`` (or the entry's URL name reversed with ``kwargs(s)``, plus ``query``)."""

    expected: dict[str, Expectation]
    kwargs: object = None  # Callable[[Scenario], dict]
    query: object = ""  # str or Callable[[Scenario], str]
    url: object = None  # Callable[[Scenario], str], for third-party trees
    label: str = ""
    headers: dict = field(default_factory=dict)
    # Marker strings this page may show to anyone (e.g. the holder's name on the public verification page).
    allowed: object = ()  # Callable[[Scenario], tuple[str, ...]] or tuple
    # Readers per marker family on this page, instead of READERS (e.g. the trainer sees their roster).
    readers: dict = field(default_factory=dict)
    # (roles, marker): the page must show this marker to these roles (the leak check is not vacuous).
    shows: tuple = ()


@dataclass(frozen=True)
class Entry:
    probes: tuple[Probe, ...]
    why: str = ""


def probe(expected, **kwargs) -> Probe:
    return Probe(expected=expected, **kwargs)


def entry(*probes: Probe, why: str = "") -> Entry:
    return Entry(probes=probes, why=why)


def _kw(**names):
    """kwargs from scenario attributes: _kw(pk="claim.pk")."""

    def build(s):
        out = {}
        for key, dotted in names.items():
            value = s
            for part in dotted.split("."):
                value = getattr(value, part)
            out[key] = value
        return out

    return build


def _agent_query(s, **extra) -> str:
    import json
    from urllib.parse import urlencode

    return urlencode({**extra, "agent": json.dumps(s.owner_agent)})


def _media(attr: str):
    return lambda s: "/media/" + _field_file(s, attr).name


def _field_file(s, attr: str):
    obj = s
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def _owner_uuid(s) -> tuple[str, ...]:
    return (str(s.user(OWNER).uuid),)


# What answers an anonymous visitor with something else than the login page (or a 401 from an API):
# public by design, or refused to everyone alike. test_anonymous_visitors_are_sent_to_log_in holds
# every other entry to that.
PUBLIC_BY_DESIGN = {
    "public_media": "Wagtail's images (cover pictures); every other upload is a 404 here",
    "pwa_manifest": "the PWA manifest",
    "pwa_service_worker": "the service worker",
    "offline": "the offline page the service worker shows",
    "healthz": "liveness for the load balancer",
    "readyz": "readiness for the load balancer (what is down, no detail)",
    "login": "the login page",
    "home": "the landing page for a visitor (what the platform is, log in, the catalogue); tiles once logged in",
    "password_reset": "asking for a password reset link (the same answer whether the address exists)",
    "password_reset_done": "the same answer to everyone who asked",
    "password_reset_confirm": "the e-mailed link: its signed, expiring, single-use token is the key",
    "password_reset_complete": "says the password was changed (no data)",
    "logout": "POST only (405 to a GET)",
    "api_token": "exchanges a password for a token (POST only)",
    "api_not_found": "a JSON 404 for an unknown API path",
    "oauth2_provider:token": "OpenID Connect: apps redeem codes with their own credentials (POST only)",
    "oauth2_provider:revoke-token": "OpenID Connect: apps revoke with their own credentials (POST only)",
    "oauth2_provider:introspect": "OpenID Connect: a bearer token, never a session (403 to all without one)",
    "oauth2_provider:oidc-connect-discovery-info": "OpenID Connect discovery: public by the standard",
    "oauth2_provider:jwks-info": "OpenID Connect: the public keys that verify ID tokens",
    "oauth2_provider:oauth-server-metadata": "OAuth server metadata (RFC 8414): public by the standard",
    "oauth2_provider:rp-initiated-logout": "OpenID Connect logout: nobody signed in, nothing to end",
    "api-layanan:public_status": "a request's status for citizens' apps, nothing personal",
    "xapi:about": "the LRS's versions (xAPI requires it open)",
    "h5p:player": "the sandboxed player frame: its signed, expiring token is the key",
    "h5p:content_root": "always 404",
    "h5p:content_file": "a package's files, by the player's token",
    "h5p:library_root": "always 404",
    "h5p:library_file": "installed H5P libraries: public code",
    "certificates:verify": "the QR code's page: what is printed on the certificate",
    "courses:calendar_feed": "a learner's calendar feed for calendar apps (no session): its secret token is the key",
    "layanan_public:lookup": "a request's status for citizens, nothing personal",
    "wagtail_serve": "the catalogue, courses and lessons",
    "dokumen/": "course materials linked from the lessons",
    "i18n/": "the language switch",
    "api/schema/": "the API's description (no data)",
    "api/docs/": "the API's documentation",
    "api/redoc/": "the API's documentation",
    "kursus/_util/": "Wagtail's forms for restricted pages",
}

# Third-party trees: every pattern whose route starts with one of these is covered by the entry of
# that prefix, whose probes are representative entry points (the whole admin is not walked).
THIRD_PARTY = {
    "django-admin/": "Django admin: staff only (the administrator; HR, who read claims, certificates and "
    "registrations of their scope there); everyone else is sent to its login.",
    "cms/": "Wagtail admin: needs wagtailadmin.access_admin (trainers, reviewers, admins); user management "
    "only for the administrator.",
    "dokumen/": "Wagtail documents: course materials linked from the (public) lessons.",
    "i18n/": "Django's set_language: a GET only redirects.",
    "api/schema/": "drf-spectacular: the OpenAPI schema (no data), public.",
    "api/docs/": "drf-spectacular: Swagger UI over the schema, public.",
    "api/redoc/": "drf-spectacular: ReDoc over the schema, public.",
    "kursus/_util/": "Wagtail's password/login forms for restricted pages (none are restricted).",
    "oidc/": "mozilla-django-oidc's sign-in round trip (mounted only with USE_OIDC).",
}


def markers(s) -> dict[str, tuple[str, ...]]:
    return {**MARKERS, "learning": (*MARKERS["learning"], str(s.user(OWNER).uuid))}


_TRAINER_SEES_ROSTER = {"learning": SEES_B_LEARNING | {TRAINER}}

# Every URL of the platform: URL name (or third-party prefix) -> how it is requested and what each
# role must get. test_every_url_pattern_is_in_the_table fails when a pattern is missing here.
TABLE: dict[str, Entry] = {
    # The shell -----------------------------------------------------------------------------------
    "public_media": entry(
        probe(PUBLIC, url=_media("image.file"), label="a Wagtail image"),
        probe(NOBODY, url=_media("claim.evidence"), label="claim evidence"),
        probe(NOBODY, url=_media("attachment.file"), label="service request attachment"),
        probe(NOBODY, url=_media("evidence.file"), label="e-Kinerja evidence"),
        probe(NOBODY, url=_media("export.file"), label="report export"),
        probe(NOBODY, url=lambda s: "/media/../shell/settings/base.py", label="outside MEDIA_ROOT"),
        why="Only Wagtail's images are public media; every other upload has its own checking view.",
    ),
    "home": entry(probe(expect(200, anon=200), shows=((frozenset({OWNER}), OWNER_NAME),))),
    "pwa_manifest": entry(probe(PUBLIC)),
    "pwa_service_worker": entry(probe(PUBLIC)),
    "offline": entry(probe(PUBLIC)),
    "healthz": entry(probe(PUBLIC)),
    "readyz": entry(probe(expect(AnyOf((200, 503)), anon=AnyOf((200, 503))))),
    "login": entry(probe(expect(Redirect("/"), anon=200))),
    "logout": entry(probe(expect(405, anon=405)), why="Django 5's LogoutView is POST only."),
    "password_reset": entry(probe(PUBLIC)),
    "password_reset_done": entry(probe(PUBLIC)),
    "password_reset_confirm": entry(
        probe(PUBLIC, kwargs=lambda s: {"uidb64": "MQ", "token": "a-forged-token"}, label="a forged token"),
        why="A forged or used token shows 'the link no longer holds' to everyone; nothing else.",
    ),
    "password_reset_complete": entry(probe(PUBLIC)),
    "inbox": entry(probe(OWN, shows=((frozenset({OWNER}), NOTE_TITLE),))),
    "inbox_open": entry(probe(POST_ONLY, kwargs=_kw(pk="notification.pk")), why="POST: see WRITES."),
    "inbox_mark_all_read": entry(probe(POST_ONLY)),
    # The OpenID Connect provider of the city's apps (shell/apps) ----------------------------------------
    "oauth2_provider:authorize": entry(
        probe(expect(400)), why="Signed in: an authorization request without a client is a 400 page."
    ),
    "oauth2_provider:token": entry(probe(expect(405, anon=405)), why="POST only; apps authenticate there."),
    "oauth2_provider:revoke-token": entry(probe(expect(405, anon=405)), why="POST only, by the app's credentials."),
    "oauth2_provider:introspect": entry(probe(expect(403, anon=403)), why="Needs a bearer token, not a session."),
    "oauth2_provider:oidc-connect-discovery-info": entry(probe(PUBLIC)),
    "oauth2_provider:jwks-info": entry(probe(PUBLIC)),
    "oauth2_provider:oauth-server-metadata": entry(probe(PUBLIC)),
    "oauth2_provider:user-info": entry(probe(expect(401, anon=401)), why="A bearer token only, never a session."),
    "oauth2_provider:rp-initiated-logout": entry(
        probe(expect(200, anon=Redirect("http://testserver/"))),
        why="Without an ID token hint a signed-in user confirms; nobody signed in has nothing to end.",
    ),
    "apps:launch": entry(
        probe(expect(404), kwargs=lambda s: {"slug": "tidak-ada"}),
        why="An app's tile link: only for the app's audience (tested in shell/apps/tests).",
    ),
    # The inbound API of the city's apps: an app's client-credentials token only, never a person's session
    # (shell/apps/tests/test_inbound_api.py: scopes, another app's resources, a switched-off app).
    "api_app_notifications": entry(probe(expect(401, anon=401), kwargs=lambda s: {"app": "tidak-ada"})),
    "api_app_badges": entry(probe(expect(401, anon=401), kwargs=lambda s: {"app": "tidak-ada"})),
    "api_app_activities": entry(probe(expect(401, anon=401), kwargs=lambda s: {"app": "tidak-ada"})),
    "api_app_launch": entry(
        probe(API_POST_ONLY, kwargs=lambda s: {"slug": "tidak-ada"}),
        why="POST: the mobile app opens an app for its user (shell/apps/tests/test_mobile_launch.py).",
    ),
    # The shell's API -------------------------------------------------------------------------------
    "api_token": entry(probe(expect(405, anon=405)), why="POST only, open to anyone (it checks a password)."),
    "api_token_revoke": entry(probe(API_POST_ONLY)),
    "api_me": entry(probe(API_OWN, shows=((frozenset({OWNER}), OWNER_NAME),))),
    "api_modules": entry(probe(API_OWN)),
    "api_home": entry(probe(API_OWN)),
    "api_notifications": entry(probe(API_OWN, shows=((frozenset({OWNER}), NOTE_TITLE),))),
    "api_notification_read": entry(probe(API_POST_ONLY, kwargs=_kw(pk="notification.pk"))),
    "api_notifications_read_all": entry(probe(API_POST_ONLY)),
    "api_not_found": entry(
        probe(NOBODY, url=lambda s: "/api/tidak-ada/"),
        probe(NOBODY, url=lambda s: f"/api/layanan/requests/{s.service_request.number}/tidak-ada/"),
        why="Whatever no API pattern matched: a JSON 404 for everyone.",
    ),
    "api-lms:enrollments": entry(probe(API_OWN)),
    "api-lms:progress": entry(probe(API_OWN)),
    "api-layanan:services": entry(probe(API_OWN)),
    "api-layanan:requests": entry(probe(API_OWN, shows=((frozenset({OFF_B}), CITIZEN_NAME),))),
    "api-layanan:request": entry(
        probe(
            expect(404, {SEES_B_REQUEST: 200}, anon=401),
            kwargs=_kw(number="service_request.number"),
            shows=((SEES_B_REQUEST, CITIZEN_NAME),),
        )
    ),
    "api-layanan:request_transition": entry(probe(API_POST_ONLY, kwargs=_kw(number="service_request.number"))),
    "api-layanan:request_assign": entry(probe(API_POST_ONLY, kwargs=_kw(number="service_request.number"))),
    "api-layanan:public_status": entry(
        probe(PUBLIC, kwargs=_kw(number="service_request.number"), readers={"request": frozenset()}),
        why="For citizens' apps: the status by number, nothing personal (no name, NIK or description).",
    ),
    "api-kinerja:activities": entry(probe(API_OWN, shows=((frozenset({OWNER}), ACTIVITY_TITLE),))),
    "api-kinerja:activity_review": entry(probe(API_POST_ONLY, kwargs=_kw(pk="activity.pk"))),
    "api-kinerja:approvals": entry(probe(API_OWN, shows=((frozenset({SUP_B}), ACTIVITY_TITLE),))),
    "api-kinerja:skp": entry(probe(API_OWN)),
    # The LMS ---------------------------------------------------------------------------------------
    "lms:my_learning": entry(probe(OWN)),
    "lms:enroll": entry(probe(POST_ONLY, kwargs=_kw(course_id="other_course.pk"))),
    "lms:launch_page": entry(
        probe(expect(404, {OWNER: Redirect("/kursus/")}), kwargs=_kw(course_id="course.pk")),
        why="Only the enrolled learner is sent on to their next lesson.",
    ),
    "lms:lesson_done": entry(probe(POST_ONLY, kwargs=_kw(lesson_id="text_lesson.pk"))),
    "lms:quiz_submit": entry(probe(POST_ONLY, kwargs=_kw(lesson_id="quiz_lesson.pk"))),
    "lms:history": entry(probe(OWN, shows=((frozenset({OWNER}), "Kursus Matriks"),))),
    "lms:history_pdf": entry(probe(OWN)),
    "lms:enrollment_detail": entry(
        probe(B_LEARNING, kwargs=_kw(pk="enrollment.pk"), shows=((SEES_B_LEARNING, OWNER_NAME),))
    ),
    "lms:team": entry(probe(TEAM_PAGE, shows=((frozenset({SUP_B, HR_CITY, ADMIN}), OWNER_NAME),))),
    "lms:employee_detail": entry(
        probe(B_LEARNING, kwargs=lambda s: {"user_uuid": s.user(OWNER).uuid}, shows=((SEES_B_LEARNING, OWNER_NAME),)),
        probe(
            expect(404, {(SUP_A, HR_A, HR_CITY, ADMIN): 200}),
            kwargs=lambda s: {"user_uuid": s.employee_a.uuid},
            label="an employee of unit A",
        ),
    ),
    "lms:assign": entry(
        probe(expect(403, {SEES_OTHERS: 200}), shows=((frozenset({SUP_B, HR_CITY, ADMIN}), OWNER_NAME),))
    ),
    # Running a course (lms.courses): its trainers see every learner, HR and training coordinators their scope.
    "courses:followed": entry(probe(expect(403, {(TRAINER, HR_A, HR_CITY, ADMIN): 200}))),
    "courses:learners": entry(
        probe(
            expect(403, {(TRAINER, HR_A, HR_CITY, ADMIN): 200}),
            kwargs=_kw(course_id="course.pk"),
            readers=_TRAINER_SEES_ROSTER,
            shows=((frozenset({TRAINER, HR_CITY, ADMIN}), OWNER_NAME),),
        ),
        probe(
            expect(403, {(TRAINER, HR_A, HR_CITY, ADMIN): 200}),
            kwargs=_kw(course_id="course.pk"),
            query="status=x&unit=abc&urut=nama&halaman=-1",
            readers=_TRAINER_SEES_ROSTER,
            label="bad filters are ignored",
        ),
        probe(expect(404), kwargs={"course_id": 999999}, label="an unknown course"),
        why="HR A's scope holds unit A's learner only: the owner (unit B) is not on their page.",
    ),
    "courses:learners_csv": entry(
        probe(
            expect(403, {(TRAINER, HR_A, HR_CITY, ADMIN): 200}),
            kwargs=_kw(course_id="course.pk"),
            readers=_TRAINER_SEES_ROSTER,
            shows=((frozenset({TRAINER, HR_CITY, ADMIN}), OWNER_NAME),),
        )
    ),
    "courses:announcements": entry(
        probe(expect(403, {(TRAINER, ADMIN): 200}), kwargs=_kw(course_id="course.pk")),
        why="Only the course's trainers write to its learners (POST: see WRITES).",
    ),
    "courses:bulk_enroll": entry(probe(expect(403, {(HR_A, HR_CITY, ADMIN): 200})), why="POST: see WRITES."),
    "courses:calendar": entry(probe(OWN)),
    # The question bank and quizzes (lms.evaluation): the course's trainers keep the bank; a learner's attempt
    # is theirs alone; item analysis for the trainers and BKPSDM.
    "evaluation:bank_index": entry(probe(OWN), why="Lists the courses the user trains (none for most)."),
    "evaluation:bank": entry(probe(expect(404, {(TRAINER, ADMIN): 200}), kwargs=_kw(course_id="course.pk"))),
    "evaluation:export_xml": entry(probe(expect(404, {(TRAINER, ADMIN): 200}), kwargs=_kw(course_id="course.pk"))),
    "evaluation:export_gift": entry(probe(expect(404, {(TRAINER, ADMIN): 200}), kwargs=_kw(course_id="course.pk"))),
    "evaluation:quiz_new": entry(probe(expect(404, {(TRAINER, ADMIN): 200}), kwargs=_kw(course_id="course.pk"))),
    "evaluation:quiz_edit": entry(
        probe(expect(404, {(TRAINER, ADMIN): 200}), kwargs=_kw(course_id="course.pk", quiz_id="bank_quiz.pk"))
    ),
    "evaluation:grading": entry(probe(expect(404, {(TRAINER, ADMIN): 200}), kwargs=_kw(course_id="course.pk"))),
    "evaluation:question_edit": entry(
        probe(expect(404, {(TRAINER, ADMIN): 200}), kwargs=_kw(question_id="question.pk"))
    ),
    "evaluation:quiz": entry(
        probe(OWN, kwargs=_kw(quiz_id="bank_quiz.pk")),
        why="The quiz's rules and the signed-in learner's own attempts; who may start is checked on start.",
    ),
    "evaluation:start": entry(probe(POST_ONLY, kwargs=_kw(quiz_id="bank_quiz.pk"))),
    "evaluation:analysis": entry(
        probe(expect(403, {(TRAINER, HR_A, HR_CITY, ADMIN): 200}), kwargs=_kw(quiz_id="bank_quiz.pk")),
        why="Answers of every learner, aggregated: the course's trainers and BKPSDM (people.view_scope).",
    ),
    "evaluation:attempt": entry(
        probe(expect(404, {OWNER: Redirect("/belajar/evaluasi/percobaan/")}), kwargs=_kw(attempt_id="attempt.pk")),
        why="A submitted attempt sends its owner to its review; anyone else's is not found.",
    ),
    "evaluation:answer": entry(probe(POST_ONLY, kwargs=_kw(attempt_id="attempt.pk"))),
    "evaluation:finish": entry(probe(POST_ONLY, kwargs=_kw(attempt_id="attempt.pk"))),
    "evaluation:review": entry(probe(expect(404, {OWNER: 200}), kwargs=_kw(attempt_id="attempt.pk"))),
    "courses:calendar_reset": entry(probe(POST_ONLY)),
    "courses:calendar_feed": entry(
        probe(PUBLIC, kwargs=_kw(token="calendar_feed.token"), allowed=(OWNER_NAME,)),
        probe(NOBODY, kwargs={"token": "bukan-token-sah"}, label="an unknown token"),
        why="Calendar apps fetch it without a session: the owner's secret token is the key.",
    ),
    # The LRS (xAPI 1.0.3): a browser session reads and writes only its own statements and state.
    "xapi:statements": entry(
        probe(
            expect(404, {OWNER: 200}, anon=401),
            query=lambda s: f"statementId={s.statement.pk}",
            headers=XAPI,
            label="the owner's statement",
        ),
        probe(expect(200, anon=401), headers=XAPI, label="the list (one's own)"),
    ),
    "xapi:about": entry(probe(PUBLIC, headers=XAPI)),
    "xapi:activities": entry(
        probe(expect(200, anon=401), query=lambda s: f"activityId={s.activity_iri}", headers=XAPI),
        why="An activity's definition is course metadata.",
    ),
    "xapi:agents": entry(
        probe(expect(200, anon=401), query=lambda s: _agent_query(s), headers=XAPI, allowed=_owner_uuid),
        why="Echoes the agent it was given; nothing stored.",
    ),
    "xapi:state": entry(
        probe(
            expect(403, {OWNER: 200}, anon=401),
            query=lambda s: _agent_query(s, activityId=s.activity_iri, stateId="posisi"),
            headers=XAPI,
        )
    ),
    "xapi:activity_profile": entry(
        probe(expect(403, anon=401), query=lambda s: f"activityId={s.activity_iri}&profileId=x", headers=XAPI),
        why="Browser sessions have no profile scope (LRS clients do).",
    ),
    "xapi:agent_profile": entry(
        probe(expect(403, anon=401), query=lambda s: _agent_query(s, profileId="x"), headers=XAPI)
    ),
    # The H5P player: the sandboxed frame carries no session, so a signed expiring token is the key.
    "h5p:player": entry(
        probe(PUBLIC, kwargs=_kw(token="h5p_token")),
        probe(NOBODY, kwargs=lambda s: {"token": s.h5p_token[:-3] + "xyz"}, label="a forged token"),
        why="The token (signed, expiring, issued on the lesson page) is the capability.",
    ),
    "h5p:content_root": entry(probe(NOBODY, kwargs=_kw(token="h5p_token"))),
    "h5p:content_file": entry(
        probe(PUBLIC, kwargs=lambda s: {"token": s.h5p_token, "path": "h5p.json"}),
        probe(NOBODY, kwargs=lambda s: {"token": s.h5p_token, "path": "content/../../x.json"}, label="traversal"),
        probe(NOBODY, kwargs=lambda s: {"token": s.h5p_token[:-3] + "xyz", "path": "h5p.json"}, label="forged"),
    ),
    "h5p:library_root": entry(probe(NOBODY)),
    "h5p:library_file": entry(
        probe(PUBLIC, kwargs=lambda s: {"folder": "H5P.Tiny-1.0", "path": "tiny.js"}),
        why="Installed libraries are public code.",
    ),
    "lms:h5p_statement": entry(
        probe(expect(403, {OWNER: 200}), kwargs=lambda s: {"lesson_id": s.h5p_lesson.pk, "content_id": s.h5p.pk}),
        why="Only learners enrolled in the lesson's course report on it.",
    ),
    "lms:h5p_quarantine": entry(
        probe(POST_ONLY, kwargs=lambda s: {"lesson_id": s.h5p_lesson.pk, "content_id": s.h5p.pk})
    ),
    "lms:h5p_attempt": entry(
        probe(POST_ONLY, kwargs=lambda s: {"lesson_id": s.h5p_lesson.pk, "content_id": s.h5p.pk}),
        why="POST: see WRITES (a new attempt after an answer too fast to count).",
    ),
    "lms:video_statement": entry(
        probe(POST_ONLY, kwargs=lambda s: {"lesson_id": s.video_lesson.pk, "block_id": s.video_block})
    ),
    "lms:video_file": entry(
        probe(expect(404, {OWNER: 200}), kwargs=_kw(token="video_file_token")),
        why="The signed link is the owner's: the lesson page gives each viewer their own.",
    ),
    # Classroom sessions: the schedule is for every employee; the trainer pages for the session's trainers.
    "classroom:list": entry(probe(OWN)),
    "classroom:detail": entry(probe(OWN, kwargs=_kw(pk="session.pk"))),
    "classroom:register": entry(probe(POST_ONLY, kwargs=_kw(pk="session.pk"))),
    "classroom:cancel": entry(
        probe(expect(404, {OWNER: 200}), kwargs=_kw(pk="session.pk")),
        why="GET asks the registered learner to confirm (the POST cancels); nobody else is registered.",
    ),
    "classroom:checkin": entry(probe(OWN, kwargs=_kw(pk="session.pk")), why="GET only shows the code form."),
    "classroom:checkin_status": entry(
        probe(expect(404, {OWNER: 200}), kwargs=_kw(pk="session.pk")),
        why="The signed-in learner's own check-in today (JSON); whoever is not registered has none: 404.",
    ),
    "classroom:my_qr": entry(
        probe(expect(404, {OWNER: 200}), kwargs=_kw(pk="session.pk")),
        why="A registered learner's own one-time QR (this session's mode has none: the page says so).",
    ),
    "classroom:trainer": entry(
        probe(
            expect(403, {(TRAINER, ADMIN): 200}),
            kwargs=_kw(pk="session.pk"),
            readers=_TRAINER_SEES_ROSTER,
            shows=((frozenset({TRAINER, ADMIN}), OWNER_NAME),),
        )
    ),
    "classroom:trainer_code": entry(probe(expect(403, {(TRAINER, ADMIN): 200}), kwargs=_kw(pk="session.pk"))),
    "classroom:trainer_mark": entry(probe(POST_ONLY, kwargs=_kw(pk="session.pk"))),
    "classroom:trainer_pending": entry(
        probe(expect(403, {(TRAINER, ADMIN): 200}), kwargs=_kw(pk="session.pk"), readers=_TRAINER_SEES_ROSTER)
    ),
    "classroom:trainer_decide": entry(probe(POST_ONLY, kwargs=_kw(pk="session.pk"))),
    "classroom:trainer_scan": entry(
        probe(expect(403, {(TRAINER, ADMIN): 200}), kwargs=_kw(pk="session.pk"), readers=_TRAINER_SEES_ROSTER),
        probe(
            expect(403, {(TRAINER, ADMIN): 400}),
            kwargs=_kw(pk="session.pk"),
            query="kode=12345678",
            readers=_TRAINER_SEES_ROSTER,
            label="a typed code",
        ),
    ),
    "classroom:trainer_close": entry(probe(POST_ONLY, kwargs=_kw(pk="session.pk"))),
    # Claims: the employee's, their supervisor's decision, HR's audit (scope).
    "claims:list": entry(probe(OWN, shows=((frozenset({OWNER}), CLAIM_TITLE),))),
    "claims:create": entry(probe(OWN)),
    "claims:to_decide": entry(probe(OWN, shows=((frozenset({SUP_B}), CLAIM_TITLE),))),
    "claims:audit": entry(probe(HR_PAGE, shows=((frozenset({HR_CITY, ADMIN}), CLAIM_TITLE),))),
    "claims:detail": entry(
        probe(B_LEARNING, kwargs=_kw(pk="claim.pk"), shows=((SEES_B_LEARNING, CLAIM_TITLE),)),
    ),
    "claims:edit": entry(
        probe(
            expect(404, {OWNER: 200, (SUP_B, HR_CITY, ADMIN): 403}),
            kwargs=_kw(pk="claim_returned.pk"),
            label="returned to the owner",
        ),
        probe(expect(404, {SEES_B_LEARNING: 403}), kwargs=_kw(pk="claim.pk"), label="waiting for a decision"),
    ),
    "claims:evidence": entry(probe(B_LEARNING, kwargs=_kw(pk="claim.pk"))),
    "claims:decide": entry(probe(POST_ONLY, kwargs=_kw(pk="claim.pk"))),
    "claims:verify": entry(probe(POST_ONLY, kwargs=_kw(pk="claim_approved.pk"))),
    "claims:reverse": entry(probe(POST_ONLY, kwargs=_kw(pk="claim_approved.pk"))),
    "claims:withdraw": entry(probe(POST_ONLY, kwargs=_kw(pk="claim.pk"))),
    # JP forecast and the at-risk list.
    "hours:forecast": entry(probe(OWN)),
    # Competency planning: the employee's own pages take no id; the direct supervisor's take the owner's.
    "planning:home": entry(probe(OWN)),
    "planning:self_assessment": entry(probe(OWN)),
    "planning:plan": entry(probe(OWN)),
    "planning:plan_item_add": entry(probe(POST_ONLY)),
    "planning:plan_item_remove": entry(probe(POST_ONLY, kwargs=_kw(pk="planning_item.pk"))),
    "planning:plan_propose": entry(probe(POST_ONLY)),
    "planning:team": entry(probe(OWN, shows=((frozenset({SUP_B}), OWNER_NAME),))),
    "planning:team_assessment": entry(
        probe(expect(404, {SUP_B: 200}), kwargs=_kw(pk="planning_assessment.pk")), why="POST: see WRITES."
    ),
    "planning:team_plan": entry(
        probe(expect(404, {SUP_B: 200}), kwargs=_kw(pk="planning_plan.pk")), why="POST: see WRITES."
    ),
    "planning:dictionary": entry(probe(HR_PAGE)),
    "planning:dictionary_export": entry(probe(HR_PAGE)),
    "hours:at_risk": entry(probe(TEAM_PAGE)),
    # HR's review of the ledger: the anomaly list of their scope, an entry's evidence page (the employee's own
    # too), revocations and corrections for employees of their scope.
    "hours:anomalies": entry(
        probe(HR_PAGE, shows=((frozenset({HR_CITY, ADMIN}), OWNER_NAME),)),
        probe(
            expect(403, {(HR_CITY, ADMIN): 200}),
            query="unit=MTRX-B",
            shows=((frozenset({HR_CITY, ADMIN}), OWNER_NAME),),
            label="unit B (outside HR A's scope)",
        ),
    ),
    "hours:entry": entry(
        probe(
            expect(404, {(OWNER, HR_CITY, ADMIN): 200}),
            kwargs=_kw(pk="ledger_entry.pk"),
            shows=((frozenset({OWNER, HR_CITY, ADMIN}), OWNER_NAME),),
        ),
        why="The employee's own entries; HR's of their scope (not the supervisor's: claims are theirs to see).",
    ),
    "hours:entry_revoke": entry(probe(POST_ONLY, kwargs=_kw(pk="ledger_entry.pk")), why="POST: see WRITES."),
    "hours:correction_pick": entry(
        probe(HR_PAGE),
        probe(
            HR_PAGE,
            query="q=Bunga",
            shows=((frozenset({HR_CITY, ADMIN}), OWNER_NAME),),
            label="searching the owner",
        ),
    ),
    "hours:correction_create": entry(
        probe(
            expect(403, {(HR_CITY, ADMIN): 200, HR_A: 404}),
            kwargs=lambda s: {"user_uuid": s.user(OWNER).uuid},
            shows=((frozenset({HR_CITY, ADMIN}), OWNER_NAME),),
        )
    ),
    # Certificates: the holder's, their supervisor's and HR's; public verification by code.
    "certificates:list": entry(probe(OWN, shows=((frozenset({OWNER}), "Kursus Matriks"),))),
    "certificates:manage": entry(
        probe(HR_PAGE, shows=((frozenset({HR_CITY, ADMIN}), OWNER_NAME),)),
        probe(
            HR_PAGE,
            query=lambda s: f"q={s.certificate.code}",
            shows=((frozenset({HR_CITY, ADMIN}), OWNER_NAME),),
            label="searching the owner's certificate code",
        ),
        probe(
            HR_PAGE,
            query=lambda s: f"q={OWNER_NIP}",
            allowed=(OWNER_NIP,),  # the search box shows what was typed
            shows=((frozenset({HR_CITY, ADMIN}), OWNER_NAME),),
            label="searching the owner's NIP",
        ),
    ),
    "certificates:detail": entry(
        probe(B_LEARNING, kwargs=_kw(pk="certificate.pk"), shows=((SEES_B_LEARNING, OWNER_NAME),))
    ),
    "certificates:pdf": entry(probe(B_LEARNING, kwargs=_kw(pk="certificate.pk"))),
    "certificates:revoke": entry(probe(POST_ONLY, kwargs=_kw(pk="certificate.pk"))),
    "certificates:reissue": entry(probe(POST_ONLY, kwargs=_kw(pk="certificate.pk"))),
    "certificates:verify": entry(
        probe(
            PUBLIC,
            kwargs=_kw(code="certificate.code"),
            allowed=(OWNER_NAME,),
            shows=((frozenset(ROLES), OWNER_NAME),),
        ),
        probe(expect(404, anon=404), kwargs={"code": "BUKANKODE1"}, label="an unknown code"),
        why="Public: what is printed on the certificate (the holder's name), nothing else.",
    ),
    # Participants' surveys (lms/surveys): trainers and BKPSDM manage; results for the course's or class's
    # trainers and BKPSDM; answers and follow-ups are the participant's own (none open here: 404).
    "surveys:mine": entry(probe(OWN)),
    "surveys:answer_course": entry(
        probe(expect(404), kwargs=_kw(course_id="course.pk")), why="No survey on the course: nobody answers."
    ),
    "surveys:answer_session": entry(
        probe(expect(404), kwargs=_kw(session_id="session.pk")), why="No survey on the class: nobody answers."
    ),
    "surveys:follow_up": entry(probe(expect(404), kwargs={"pk": 999999}), why="Only the respondent's own."),
    "surveys:manage": entry(probe(expect(403, {SURVEY_MANAGERS: 200}))),
    "surveys:template_create": entry(probe(expect(403, {SURVEY_MANAGERS: 200})), why="POST: the form's own tests."),
    "surveys:template": entry(probe(expect(403, {SURVEY_MANAGERS: 404}), kwargs={"pk": 999999})),
    "surveys:template_copy": entry(probe(POST_ONLY, kwargs={"pk": 999999})),
    "surveys:link_create": entry(probe(expect(403, {SURVEY_MANAGERS: 200}))),
    "surveys:link_delete": entry(probe(POST_ONLY, kwargs={"pk": 999999})),
    "surveys:results": entry(probe(expect(403, {SURVEY_MANAGERS: 200}))),
    "surveys:result_course": entry(
        probe(expect(404, {SURVEY_MANAGERS: 200}), kwargs=_kw(course_id="course.pk")),
        why="The course's trainer (the trainer trains it) and BKPSDM.",
    ),
    "surveys:result_session": entry(
        probe(expect(404, {SURVEY_MANAGERS: 200}), kwargs=_kw(session_id="session.pk")),
        why="The class's trainer and BKPSDM.",
    ),
    "surveys:trainer_mine": entry(probe(OWN), why="One's own ratings as a trainer (none: an empty page)."),
    "surveys:trainer_detail": entry(
        probe(expect(404, {SURVEY_MANAGERS: 200}), kwargs=lambda s: {"user_id": s.user(TRAINER).pk}),
        why="The trainer themself and BKPSDM.",
    ),
    # Public services (layanan): the officers of the service's unit.
    "layanan:request_list": entry(probe(OWN, shows=((SEES_B_REQUEST, CITIZEN_NAME),))),
    "layanan:request_register": entry(probe(expect(403, {HANDLES_REQUESTS: 200}))),
    "layanan:catalogue": entry(probe(OWN)),
    "layanan:request_detail": entry(
        probe(B_REQUEST, kwargs=_kw(number="service_request.number"), shows=((SEES_B_REQUEST, CITIZEN_NAME),))
    ),
    "layanan:attachment_download": entry(
        probe(B_REQUEST, kwargs=lambda s: {"number": s.service_request.number, "pk": s.attachment.pk})
    ),
    "layanan:request_change_status": entry(probe(POST_ONLY, kwargs=_kw(number="service_request.number"))),
    "layanan:request_assign": entry(probe(POST_ONLY, kwargs=_kw(number="service_request.number"))),
    "layanan_public:lookup": entry(
        probe(PUBLIC),
        probe(PUBLIC, query=lambda s: f"nomor={s.service_request.number}", readers={"request": frozenset()}),
        probe(expect(404, anon=404), query="nomor=LYN-0000-0000", label="an unknown number"),
        why="For citizens: the status by number, nothing personal.",
    ),
    # e-Kinerja: between an employee and their direct supervisor.
    "kinerja:activity_log": entry(probe(OWN, shows=((frozenset({OWNER}), ACTIVITY_TITLE),))),
    "kinerja:activity_detail": entry(
        probe(B_KINERJA, kwargs=_kw(pk="activity.pk"), shows=((SEES_B_KINERJA, ACTIVITY_TITLE),))
    ),
    "kinerja:evidence_download": entry(probe(B_KINERJA, kwargs=_kw(pk="evidence.pk"))),
    "kinerja:activity_review": entry(probe(POST_ONLY, kwargs=_kw(pk="activity.pk"))),
    "kinerja:activity_resubmit": entry(probe(POST_ONLY, kwargs=_kw(pk="activity.pk"))),
    "kinerja:approvals": entry(probe(OWN, shows=((frozenset({SUP_B}), ACTIVITY_TITLE),))),
    "kinerja:approvals_bulk": entry(probe(POST_ONLY)),
    "kinerja:skp": entry(probe(OWN)),
    "kinerja:skp_submit": entry(probe(POST_ONLY)),
    "kinerja:skp_approve": entry(probe(POST_ONLY, kwargs=_kw(pk="skp.pk"))),
    # Reports: HR their scope, a supervisor their team, anyone else themself; ?unit= outside is 403.
    "reports:dashboard": entry(
        probe(OWN),
        probe(expect(403, {REPORTS_ON_B: 200}), query="unit=MTRX-B", label="unit B"),
    ),
    "reports:employees": entry(
        probe(OWN, shows=((frozenset({SUP_B, HR_CITY, ADMIN, OWNER}), OWNER_NAME),)),
        probe(expect(403, {REPORTS_ON_B: 200}), query="unit=MTRX-B", label="unit B"),
    ),
    "reports:units": entry(probe(OWN)),
    # The unit picker's search: units of the viewer's own scope only.
    "reports:unit_search": entry(
        probe(OWN, query="q=MTRX"),
        probe(expect(200, anon=LOGIN), query="q=MTRX-B", shows=((frozenset({HR_CITY, ADMIN}), "MTRX-B"),)),
    ),
    "reports:categories": entry(probe(OWN)),
    "reports:courses": entry(probe(OWN)),
    "reports:download": entry(probe(POST_ONLY)),
    "reports:export_list": entry(probe(OWN)),
    "reports:export_detail": entry(probe(expect(404, {HR_CITY: 200}), kwargs=_kw(pk="export.pk"))),
    "reports:export_file": entry(probe(expect(404, {HR_CITY: 200}), kwargs=_kw(pk="export.pk"))),
    "reports:summary_api": entry(
        probe(OWN),
        probe(expect(403, {REPORTS_ON_B: 200}), query="unit=MTRX-B", label="unit B"),
    ),
    # Wagtail's pages: the catalogue, courses and lessons are public; drafts are not served.
    "wagtail_serve": entry(
        probe(PUBLIC, url=lambda s: "/kursus/", label="catalogue"),
        probe(PUBLIC, url=lambda s: s.course.url, label="a course"),
        probe(PUBLIC, url=lambda s: s.text_lesson.url, label="a lesson"),
        probe(NOBODY, url=lambda s: f"/kursus/{s.draft_course.slug}/", label="a draft course"),
    ),
    # Third-party trees, by representative entry points.
    "django-admin/": entry(
        probe(STAFF_ONLY | {HR_A: 200, HR_CITY: 200}, url=lambda s: "/django-admin/"),
        probe(STAFF_ONLY | {HR_A: 403, HR_CITY: 403}, url=lambda s: "/django-admin/people/user/"),
        probe(
            STAFF_ONLY | {HR_A: 200, HR_CITY: 200},
            url=lambda s: "/django-admin/claims/claim/",
            shows=((frozenset({HR_CITY, ADMIN}), CLAIM_TITLE),),
        ),
        probe(
            # An object outside HR's scope: Django admin says it does not exist and goes to its index.
            STAFF_ONLY | {HR_A: Redirect("/django-admin/"), HR_CITY: 200},
            url=lambda s: f"/django-admin/claims/claim/{s.claim.pk}/change/",
            shows=((frozenset({HR_CITY, ADMIN}), CLAIM_TITLE),),
            label="the owner's claim",
        ),
        probe(
            STAFF_ONLY | {HR_A: 200, HR_CITY: 200},
            url=lambda s: "/django-admin/certificates/certificate/",
            shows=((frozenset({HR_CITY, ADMIN}), OWNER_NAME),),
        ),
        probe(
            STAFF_ONLY | {HR_A: 200, HR_CITY: 200},
            url=lambda s: "/django-admin/classroom/registration/",
            shows=((frozenset({HR_CITY, ADMIN}), OWNER_NAME),),
        ),
        probe(STAFF_ONLY | {HR_A: 403, HR_CITY: 403}, url=lambda s: "/django-admin/layanan/servicerequest/"),
        why=THIRD_PARTY["django-admin/"],
    ),
    "cms/": entry(
        probe(CMS_HOME, url=lambda s: "/cms/"),
        probe(CMS_HOME, url=lambda s: f"/cms/pages/{s.course.get_parent().pk}/", label="the catalogue's pages"),
        # The course's trainer picker searches employees by name (the checkboxes it replaced listed them all).
        probe(
            CMS_HOME,
            url=lambda s: "/cms/pegawai/cari/?q=Bunga",
            label="the trainer picker's search",
            allowed=(OWNER_NAME,),
            shows=((CMS_USERS, OWNER_NAME),),
        ),
        # Wagtail refuses a page to an admin user without its permission by sending them to the dashboard.
        probe(
            expect(CMS_LOGIN, {CMS_USERS: Redirect("/cms/"), ADMIN: 200}, anon=CMS_LOGIN), url=lambda s: "/cms/users/"
        ),
        probe(
            expect(CMS_LOGIN, {CMS_USERS: Redirect("/cms/"), ADMIN: 200}, anon=CMS_LOGIN),
            url=lambda s: "/cms/groups/",
        ),
        why=THIRD_PARTY["cms/"],
    ),
    "dokumen/": entry(
        probe(PUBLIC, url=lambda s: s.document.url, label="a document"),
        probe(NOBODY, url=lambda s: "/dokumen/999999/tidak-ada.pdf", label="an unknown document"),
        why=THIRD_PARTY["dokumen/"],
    ),
    "i18n/": entry(probe(expect(Redirect("/"), anon=Redirect("/")), url=lambda s: "/i18n/setlang/")),
    "api/schema/": entry(probe(PUBLIC, url=lambda s: "/api/schema/")),
    "api/docs/": entry(probe(PUBLIC, url=lambda s: "/api/docs/")),
    "api/redoc/": entry(probe(PUBLIC, url=lambda s: "/api/redoc/")),
    "kursus/_util/": entry(
        probe(PUBLIC, url=lambda s: "/kursus/_util/login/"),
        probe(NOBODY, url=lambda s: "/kursus/_util/authenticate_with_password/999999/999999/"),
        why=THIRD_PARTY["kursus/_util/"],
    ),
}


# Writes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    """A POST to an important write endpoint, made as every role: ``changes`` must change ``state``
    (the positive control: the request is well formed), ``may_change`` may (a refusal by message is
    fine too), everyone else must be refused and change nothing."""

    label: str
    name: str
    kwargs: object  # Callable[[Scenario], dict]
    data: object  # dict or Callable[[Scenario], dict]
    expected: dict[str, Expectation]
    state: object  # Callable[[Scenario], object], compared before and after
    changes: frozenset = frozenset()
    may_change: frozenset = frozenset()
    json: bool = False
    query: object = ""
    headers: dict = field(default_factory=dict)
    method: str = "post"


def _claim_status(attr: str):
    def state(s):
        from lms.claims.models import Claim

        return Claim.objects.get(pk=getattr(s, attr).pk).status

    return state


def _certificates(s):
    from lms.certificates.models import Certificate

    return sorted(Certificate.objects.filter(user=s.user(OWNER)).values_list("pk", "revoked_at"))


def _ledger_review_state(s):
    from lms.hours.models import LedgerCorrection, LedgerEntry, LedgerRevocation

    owner = s.user(OWNER)
    return (
        LedgerEntry.objects.filter(user=owner).count(),
        LedgerRevocation.objects.filter(user=owner).count(),
        LedgerCorrection.objects.filter(user=owner).count(),
    )


def _request_state(s):
    from shell.modules.layanan.models import ServiceRequest

    return ServiceRequest.objects.filter(pk=s.service_request.pk).values_list("status", "assignee_id").get()


def _requests_count(s):
    from shell.modules.layanan.models import ServiceRequest

    return ServiceRequest.objects.count()


def _activity_state(s):
    from shell.modules.kinerja.models import Activity

    return Activity.objects.filter(pk=s.activity.pk).values_list("status", "title").get()


def _skp_state(s):
    from shell.modules.kinerja.models import Skp

    return Skp.objects.get(pk=s.skp.pk).status


def _note_read(s):
    from shell.inbox.models import Notification

    return Notification.objects.get(pk=s.notification.pk).read_at is not None


def _registration_state(s):
    from lms.classroom.models import Registration

    return Registration.objects.get(pk=s.registration.pk).status


def _attendance_state(s):
    from lms.classroom.models import Attendance, ClassSession

    return (ClassSession.objects.get(pk=s.session.pk).status, Attendance.objects.count())


def _assigned_state(s):
    from lms.models import Enrollment

    return Enrollment.objects.filter(user=s.user(OWNER), course=s.other_course).exists()


def _statement_state(s):
    from lms.xapi.models import Statement

    return Statement.objects.filter(pk=WRITTEN_STATEMENT_ID).exists()


def _statements_count(s):
    from lms.xapi.models import Statement

    return Statement.objects.count()


def _h5p_attempts(s):
    from lms.h5p.models import H5PAttempt

    return sorted(H5PAttempt.objects.values_list("user_id", flat=True))


def _state_document(s):
    from lms.xapi.models import Document

    return sorted(bytes(d.content) for d in Document.objects.filter(kind=Document.Kind.STATE))


WRITTEN_STATEMENT_ID = "6f1b7a52-8d55-4c1e-9a61-2d0b2b8f4a10"


def _statement_about_owner(s) -> dict:
    return {
        "id": WRITTEN_STATEMENT_ID,
        "actor": s.owner_agent,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}},
        "object": {"objectType": "Activity", "id": s.activity_iri},
    }


def _due() -> str:
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


_CLAIM_VIEWERS_NOT_DECIDING = frozenset({OWNER, HR_CITY, ADMIN})
_AUDITORS = frozenset({HR_CITY, ADMIN})


def _announcements(s):
    from lms.courses.models import Announcement

    return Announcement.objects.filter(course=s.course).count()


def _other_course_batches(s):
    """Confirmed bulk enrolments (their task enrols after commit; these writes are rolled back before)."""
    from lms.courses.models import EnrollmentBatch

    return EnrollmentBatch.objects.filter(course=s.other_course).count()


def _bulk_confirm_unit_b(s):
    """The confirmation of HR's preview of unit B for the other course (its fingerprint included)."""
    from lms.courses.selectors import bulk_plan_for_unit

    plan = bulk_plan_for_unit(by=s.user(HR_CITY), course=s.other_course, unit=s.unit_b, with_subunits=True)
    return {
        "course": s.other_course.pk,
        "mode": "unit",
        "unit": s.unit_b.pk,
        "with_subunits": "on",
        "fingerprint": plan.fingerprint,
        "request_key": "6f1c1f0e-3c55-4f43-9f0a-0a9f3e0d1b21",
        "confirm": "1",
    }


def _planning_status(attr: str):
    def state(s):
        obj = getattr(s, attr)
        return type(obj).objects.get(pk=obj.pk).status

    return state


WRITES: tuple[Write, ...] = (
    Write(
        "validate the owner's self-assessment",
        "planning:team_assessment",
        _kw(pk="planning_assessment.pk"),
        lambda s: {f"meets_{pk}": "1" for pk in s.planning_indicators},
        expect(404, {SUP_B: Redirect("/belajar/rencana/tim/")}),
        _planning_status("planning_assessment"),
        changes=frozenset({SUP_B}),
    ),
    Write(
        "agree the owner's development plan",
        "planning:team_plan",
        _kw(pk="planning_plan.pk"),
        {"decision": "agree"},
        expect(404, {SUP_B: Redirect("/belajar/rencana/tim/")}),
        _planning_status("planning_plan"),
        changes=frozenset({SUP_B}),
    ),
    Write(
        "announce to the course's learners",
        "courses:announcements",
        _kw(course_id="course.pk"),
        {"title": "Ujian", "body": "Senin", "request_key": "0b0f6c9e-2f0e-4a8c-8f5e-1f2a3b4c5d6e"},
        expect(403, {(TRAINER, ADMIN): Redirect("/belajar/pantau/")}),
        _announcements,
        changes=frozenset({TRAINER, ADMIN}),
    ),
    Write(
        "enrol unit B in bulk",
        "courses:bulk_enroll",
        lambda s: {},
        _bulk_confirm_unit_b,
        # HR A may not name unit B: the form says so.
        expect(403, {(HR_CITY, ADMIN): Redirect("/belajar/daftar-massal/"), HR_A: 400}),
        _other_course_batches,
        changes=frozenset({HR_CITY, ADMIN}),
    ),
    Write(
        "approve the owner's claim",
        "claims:decide",
        _kw(pk="claim.pk"),
        {"decision": "approve"},
        expect(404, {SUP_B: Redirect("/belajar/klaim/"), _CLAIM_VIEWERS_NOT_DECIDING: 403}),
        _claim_status("claim"),
        changes=frozenset({SUP_B}),
    ),
    Write(
        "verify the owner's approved claim",
        "claims:verify",
        _kw(pk="claim_approved.pk"),
        {},
        expect(404, {_AUDITORS: Redirect("/belajar/klaim/"), (OWNER, SUP_B): 403}),
        _claim_status("claim_approved"),
        changes=_AUDITORS,
    ),
    Write(
        "reverse the owner's approved claim",
        "claims:reverse",
        _kw(pk="claim_approved.pk"),
        {"reason": "Sertifikat palsu"},
        expect(404, {_AUDITORS: Redirect("/belajar/klaim/"), (OWNER, SUP_B): 403}),
        _claim_status("claim_approved"),
        changes=_AUDITORS,
    ),
    Write(
        "withdraw the owner's claim",
        "claims:withdraw",
        _kw(pk="claim.pk"),
        {},
        # Those who may see it but not withdraw it are told so on the claims page.
        expect(404, {SEES_B_LEARNING: Redirect("/belajar/klaim/")}),
        _claim_status("claim"),
        changes=frozenset({OWNER}),
    ),
    Write(
        "edit the owner's returned claim",
        "claims:edit",
        _kw(pk="claim_returned.pk"),
        {"title": "Diubah orang lain"},
        expect(404, {OWNER: 400, (SUP_B, HR_CITY, ADMIN): 403}),
        _claim_status("claim_returned"),
    ),
    Write(
        "revoke the owner's certificate",
        "certificates:revoke",
        _kw(pk="certificate.pk"),
        {"reason": "Nama salah"},
        expect(404, {_AUDITORS: Redirect("/sertifikat/"), (OWNER, SUP_B): 403}),
        _certificates,
        changes=_AUDITORS,
    ),
    Write(
        "reissue the owner's certificate",
        "certificates:reissue",
        _kw(pk="certificate.pk"),
        {"reason": "Nama salah"},
        expect(404, {_AUDITORS: Redirect("/sertifikat/"), (OWNER, SUP_B): 403}),
        _certificates,
        changes=_AUDITORS,
    ),
    Write(
        "revoke the owner's JP",
        "hours:entry_revoke",
        _kw(pk="ledger_entry.pk"),
        {"reason": "Tidak wajar", "confirm": "1"},
        expect(404, {_AUDITORS: Redirect("/belajar/jp/entri/"), OWNER: 403}),
        _ledger_review_state,
        changes=_AUDITORS,
    ),
    Write(
        "add a JP correction for the owner",
        "hours:correction_create",
        lambda s: {"user_uuid": s.user(OWNER).uuid},
        lambda s: {
            "title": "Pelatihan luring",
            "date": timezone.localdate().isoformat(),
            "jp": "2",
            "form": "pelatihan",
            "category": "teknis",
            "reason": "Tidak tercatat",
            # The confirmation page's answer (without it, the form only shows what would be written).
            "confirm": "1",
            "confirmation": "5b0c5b8e-6a43-4d0e-9a4f-2f1f3c1d7e01",
        },
        expect(403, {_AUDITORS: Redirect("/belajar/jp/entri/"), HR_A: 404}),
        _ledger_review_state,
        changes=_AUDITORS,
    ),
    Write(
        "change the status of unit B's request",
        "layanan:request_change_status",
        _kw(number="service_request.number"),
        {"to_status": "verification"},
        expect(404, {SEES_B_REQUEST: Redirect("/layanan/permohonan/")}),
        _request_state,
        changes=SEES_B_REQUEST,
    ),
    Write(
        "assign unit B's request",
        "layanan:request_assign",
        _kw(number="service_request.number"),
        lambda s: {"assignee": s.user(OFF_B).pk},
        expect(404, {SEES_B_REQUEST: Redirect("/layanan/permohonan/")}),
        _request_state,
        changes=SEES_B_REQUEST,
    ),
    Write(
        "register a request at the desk",
        "layanan:request_register",
        lambda s: {},
        lambda s: {"service": s.service.pk, "citizen_nik": CITIZEN_NIK, "citizen_name": "Warga Baru"},
        expect(403, {HANDLES_REQUESTS: Redirect("/layanan/permohonan/")}),
        _requests_count,
        changes=HANDLES_REQUESTS,
    ),
    Write(
        "API: change the status of unit B's request",
        "api-layanan:request_transition",
        _kw(number="service_request.number"),
        {"to_status": "verification"},
        expect(404, {SEES_B_REQUEST: 200}, anon=401),
        _request_state,
        changes=SEES_B_REQUEST,
        json=True,
    ),
    Write(
        "API: assign unit B's request",
        "api-layanan:request_assign",
        _kw(number="service_request.number"),
        lambda s: {"assignee_id": s.user(OFF_B).pk},
        expect(404, {SEES_B_REQUEST: 200}, anon=401),
        _request_state,
        changes=SEES_B_REQUEST,
        json=True,
    ),
    Write(
        "API: register a request",
        "api-layanan:requests",
        lambda s: {},
        lambda s: {"service": s.service.code, "citizen_nik": CITIZEN_NIK, "citizen_name": "Warga Baru"},
        expect(403, {HANDLES_REQUESTS: 201}, anon=401),
        _requests_count,
        changes=HANDLES_REQUESTS,
        json=True,
    ),
    Write(
        "approve the owner's activity",
        "kinerja:activity_review",
        _kw(pk="activity.pk"),
        {"decision": "approve"},
        expect(404, {SUP_B: Redirect("/kinerja/persetujuan/")}),
        _activity_state,
        changes=frozenset({SUP_B}),
    ),
    Write(
        "approve the owner's activity in a batch",
        "kinerja:approvals_bulk",
        lambda s: {},
        lambda s: {"ids": [s.activity.pk], "decision": "approve"},
        # Anyone but the owner's supervisor: nothing decided, and the approvals page says why (403).
        expect(403, {SUP_B: Redirect("/kinerja/persetujuan/")}),
        _activity_state,
        changes=frozenset({SUP_B}),
    ),
    Write(
        "API: approve the owner's activity",
        "api-kinerja:activity_review",
        _kw(pk="activity.pk"),
        {"approve": True},
        expect(404, {SUP_B: 200}, anon=401),
        _activity_state,
        changes=frozenset({SUP_B}),
        json=True,
    ),
    Write(
        "correct the owner's activity",
        "kinerja:activity_resubmit",
        _kw(pk="activity.pk"),
        {"title": "Diubah orang lain", "quantity": "1"},
        # The owner is told it is not returned (it waits for the supervisor); nobody else may touch it.
        expect(404, {OWNER: Redirect("/kinerja/aktivitas/")}),
        _activity_state,
    ),
    Write(
        "approve the owner's SKP",
        "kinerja:skp_approve",
        _kw(pk="skp.pk"),
        {},
        expect(404, {SUP_B: Redirect("/kinerja/persetujuan/")}),
        _skp_state,
        changes=frozenset({SUP_B}),
    ),
    Write(
        "open the owner's notification",
        "inbox_open",
        _kw(pk="notification.pk"),
        {},
        expect(Redirect("/kotak-masuk/"), {OWNER: Redirect("/belajar/klaim/")}),
        _note_read,
        changes=frozenset({OWNER}),
    ),
    Write(
        "mark everything read",
        "inbox_mark_all_read",
        lambda s: {},
        {},
        expect(Redirect("/kotak-masuk/")),
        _note_read,
        changes=frozenset({OWNER}),
    ),
    Write(
        "API: mark the owner's notification read",
        "api_notification_read",
        _kw(pk="notification.pk"),
        {},
        expect(404, {OWNER: 204}, anon=401),
        _note_read,
        changes=frozenset({OWNER}),
        json=True,
    ),
    Write(
        "API: mark everything read",
        "api_notifications_read_all",
        lambda s: {},
        {},
        expect(204, anon=401),
        _note_read,
        changes=frozenset({OWNER}),
        json=True,
    ),
    Write(
        "cancel the owner's class registration",
        "classroom:cancel",
        _kw(pk="session.pk"),
        {},
        expect(404, {OWNER: Redirect("/belajar/kelas/")}),
        _registration_state,
        changes=frozenset({OWNER}),
    ),
    Write(
        "mark the owner present",
        "classroom:trainer_mark",
        _kw(pk="session.pk"),
        lambda s: {"registration": s.registration.pk, "day": s.session.days.get().pk, "present": "1"},
        # The class is in two weeks: the trainer is told a day still to come cannot be marked.
        expect(403, {(TRAINER, ADMIN): Redirect("/belajar/kelas/")}),
        _attendance_state,
    ),
    Write(
        "confirm every pending check-in of the class",
        "classroom:trainer_decide",
        _kw(pk="session.pk"),
        lambda s: {"hari": s.session.days.get().pk, "semua": "1", "keputusan": "konfirmasi"},
        expect(403, {(TRAINER, ADMIN): Redirect("/belajar/kelas/")}),
        _attendance_state,
    ),
    Write(
        "record a scanned personal QR",
        "classroom:trainer_scan",
        _kw(pk="session.pk"),
        lambda s: {"t": f"{s.registration.pk}.1.12345678"},
        # The class is not in the personal-QR mode (and not today): the trainer is told, in words.
        expect(403, {(TRAINER, ADMIN): 400}),
        _attendance_state,
    ),
    Write(
        "close the class",
        "classroom:trainer_close",
        _kw(pk="session.pk"),
        {},
        expect(403, {(TRAINER, ADMIN): Redirect("/belajar/kelas/")}),
        _attendance_state,
        may_change=frozenset({TRAINER, ADMIN}),
    ),
    Write(
        "assign a course to the owner",
        "lms:assign",
        lambda s: {},
        lambda s: {"course": s.other_course.pk, "employees": [s.user(OWNER).pk], "due_date": _due()},
        expect(403, {(SUP_B, HR_CITY, ADMIN): Redirect("/belajar/tim/"), (SUP_A, HR_A): 400}),
        _assigned_state,
        changes=frozenset({SUP_B, HR_CITY, ADMIN}),
    ),
    Write(
        "download the compliance report of unit B",
        "reports:download",
        lambda s: {},
        {"laporan": "kepatuhan", "format": "csv", "unit": "MTRX-B"},
        expect(403, {REPORTS_ON_B: 200}),
        lambda s: None,
    ),
    Write(
        "xAPI: a statement about the owner",
        "xapi:statements",
        lambda s: {},
        _statement_about_owner,
        expect(403, {OWNER: 200}, anon=401),
        _statement_state,
        changes=frozenset({OWNER}),
        json=True,
        headers=XAPI,
    ),
    Write(
        "xAPI: the owner's state document",
        "xapi:state",
        lambda s: {},
        {"halaman": 99},
        expect(403, {OWNER: 204}, anon=401),
        _state_document,
        changes=frozenset({OWNER}),
        json=True,
        query=lambda s: _agent_query(s, activityId=s.activity_iri, stateId="posisi"),
        headers=XAPI,
        method="put",
    ),
    Write(
        "Video: a report on the owner's video",
        "lms:video_statement",
        lambda s: {"lesson_id": s.video_lesson.pk, "block_id": s.video_block},
        lambda s: {"verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}},
        # Refused before the statement is even read: no watch session the server opened (not even the owner's).
        expect(403),
        _statements_count,
        may_change=frozenset(),
        json=True,
    ),
    Write(
        "H5P: a result in the owner's lesson",
        "lms:h5p_statement",
        lambda s: {"lesson_id": s.h5p_lesson.pk, "content_id": s.h5p.pk},
        lambda s: {"verb": {"id": "http://adlnet.gov/expapi/verbs/answered"}},
        # Refused before the statement is even read: no attempt the server opened (not even the owner's).
        expect(403),
        _statements_count,
        may_change=frozenset(),
        json=True,
    ),
    Write(
        "H5P: a new attempt in the owner's lesson",
        "lms:h5p_attempt",
        lambda s: {"lesson_id": s.h5p_lesson.pk, "content_id": s.h5p.pk},
        {},
        # Only the learner enrolled in the lesson's course opens an attempt, and only their own.
        expect(403, {OWNER: 201}),
        _h5p_attempts,
        changes=frozenset({OWNER}),
        json=True,
    ),
)
