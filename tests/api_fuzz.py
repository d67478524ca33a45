"""Helpers for the schemathesis run against /api/ (tests/test_api_schemathesis.py): the Django app as
an in-process WSGI callable, the schema it serves, and a small world of real records to fuzz against."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import jsonschema
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from content.tests.factories import make_course
from lms import services as lms_services
from lms.hours.tests.factories import credit as ledger_test_credit
from shell.apps.services import app_register
from shell.inbox.services import notification_create, notification_mark_read
from shell.modules.kinerja import services as kinerja_services
from shell.modules.layanan import services as layanan_services
from shell.modules.layanan.roles import OFFICER
from shell.modules.layanan.tests.factories import NIK, ServiceTypeFactory
from shell.people import roles
from shell.people.services import hr_scope_grant
from shell.people.tests.factories import UnitFactory, UserFactory

SCHEMA_PATH = "/api/schema/"
ROLES = ("learner", "hr")
PASSWORD = "secret-pass-123"  # UserFactory's


class InProcessWsgi:
    """Django's WSGI handler as the test client runs it: a request does not close the database
    connection at its end (that connection holds the test's transaction), and the response is read
    and closed before the handler returns."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return [body]


def load_schema(**config) -> schemathesis.BaseSchema:
    """The OpenAPI schema the app serves at /api/schema/, loaded in-process (no database needed:
    the schema view is anonymous). ``config`` is schemathesis' configuration (its TOML keys)."""
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, InProcessWsgi(), config=schemathesis.Config.from_dict(config))


@dataclass
class World:
    """Who calls the API (a token per role) and values that name real records, so that generated
    input reaches existing objects as well as missing ones: path parameters and JSON body fields."""

    tokens: dict[str, str] = field(default_factory=dict)
    path_values: dict[str, list] = field(default_factory=dict)
    body_values: dict[str, list] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens.get(role)
        return {"Authorization": f"Token {token}"} if token else {}


def world_build() -> World:
    """A unit with an HR officer (who is also the learner's supervisor and a service officer) and a
    learner with enrolments (one completed, so the hours ledger has entries), notifications, an SKP
    with a planned result, logged activities, and service requests registered for citizens."""
    today = timezone.localdate()
    unit = UnitFactory(name="Dinas Kependudukan")
    hr = UserFactory(username="sdm", unit=unit, roles=[roles.LEARNER, roles.HR, roles.SUPERVISOR, OFFICER])
    hr_scope_grant(user=hr, unit=unit)
    learner = UserFactory(username="pembelajar", unit=unit, supervisor=hr, position="Analis")

    short = make_course(title="Etika ASN", jp="2", lessons=("text",))
    long = make_course(title="Pelayanan Prima", jp="4")
    completed = lms_services.check_enrollment_self(user=learner, course_id=short.pk)
    lms_services.lesson_complete(enrollment=completed, lesson=short.get_children().specific().first())
    lms_services.enrollment_assign(
        assigned_by=hr, employees=[learner], course=long, due_date=today + dt.timedelta(days=30)
    )
    ledger_test_credit(
        learner,
        "3",
        today,
        category="sosial_kultural",
        form="seminar",
        title="Seminar pelayanan publik",
        external_id="api-fuzz:seminar",
    )

    notes = [
        notification_create(user=learner, kind="lms.course_completed", title="Kursus selesai", url="/belajar/"),
        notification_create(user=learner, kind="unknown.kind", title="Jenis tak dikenal"),
        notification_create(user=hr, kind="lms.course_assigned", title="Untuk SDM"),
    ]
    notification_mark_read(user=learner, notification_id=notes[0].pk)

    plan = {"year": today.year, "aspect": "kuantitas"}
    parent = kinerja_services.skp_result_add(
        user=hr,
        text="Layanan adminduk tepat waktu",
        parent=None,
        indicator="Permohonan sesuai SLA",
        target=Decimal("95"),
        unit="persen",
        **plan,
    )
    result = kinerja_services.skp_result_add(
        user=learner,
        text="Verifikasi berkas KIA",
        parent=parent,
        indicator="Berkas terverifikasi",
        target=Decimal("100"),
        unit="berkas",
        **plan,
    )
    activities = [
        kinerja_services.activity_create(user=learner, date=today, title="Verifikasi berkas", result=result),
        kinerja_services.activity_create(
            user=learner, date=today, title="Rapat koordinasi", evidence_url="https://example.org/notulen.pdf"
        ),
        kinerja_services.activity_create(user=learner, date=today - dt.timedelta(days=1), title="Entri data"),
    ]
    kinerja_services.activity_review(activity_id=activities[2].pk, reviewer=hr, approve=True)

    service = ServiceTypeFactory(code="kia", name="Kartu Identitas Anak", unit=unit)
    requests = [
        layanan_services.request_register(
            service=service, citizen_nik=NIK, citizen_name=f"Warga {i}", registered_by=hr, external_ref=f"fuzz-{i}"
        )[0]
        for i in range(2)
    ]
    layanan_services.request_assign(request_id=requests[1].pk, actor=hr, assignee=hr)

    # One of the city's apps, for everyone: the mobile app opens it; its inbound API wants the app's token.
    city_app = app_register(
        name="SiMontok",
        redirect_uris=["https://simontok.example.go.id/cb"],
        first_party=True,
        scopes=["openid", "profile", "notifications:write", "badges:write", "kinerja:write"],
    ).app

    return World(
        tokens={
            "learner": Token.objects.create(user=learner).key,
            "hr": Token.objects.create(user=hr).key,
        },
        path_values={
            "id": [n.pk for n in notes] + [a.pk for a in activities],
            "number": [r.number for r in requests],
            "app": [city_app.slug],
            "slug": [city_app.slug],
        },
        body_values={
            "username": [learner.username, hr.username],
            "password": [PASSWORD],
            "service": [service.code],
            "citizen_nik": [NIK],
            "assignee_id": [hr.pk, learner.pk],
            "result": [result.pk, parent.pk],
        },
    )


def can_be_invalid(ctx) -> bool:
    """Whether an operation takes input that can be invalid: a body, or a parameter other than a
    string in the path (any text is one, but for a "/" or a NUL in a request number, which cannot be
    sent as a path segment or is filtered out by the generator)."""
    raw = ctx.operation.definition.raw
    return "requestBody" in raw or any(
        p["in"] != "path" or p.get("schema", {}).get("type") != "string" for p in raw.get("parameters", [])
    )


# DRF's BooleanField reads these (any case) as true or false
BOOLEAN_WORDS = {"t": True, "true": True, "y": True, "yes": True, "on": True, "1": True}
BOOLEAN_WORDS |= {"f": False, "false": False, "n": False, "no": False, "off": False, "0": False}


def _resolved(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        schema = root["x-bundled"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _as_drf_reads_it(value, schema: dict, root: dict):
    """One field's value as DRF's field reads it (its documented coercions)."""
    schema = _resolved(schema, root)
    branches = [_resolved(branch, root) for branch in schema.get("anyOf", schema.get("oneOf", [schema]))]
    types = {branch.get("type") for branch in branches}
    text = "string" in types and not any("enum" in b or b.get("format") in ("date", "date-time") for b in branches)
    if isinstance(value, bool):
        return value
    if text and isinstance(value, int | float):
        return str(value)  # CharField and DecimalField take a number as its text
    if text and isinstance(value, str):
        return value.strip()  # CharField trims both ends before it checks the length
    if "integer" in types and isinstance(value, str | float):
        try:
            return int(re.sub(r"\.0*\s*$", "", str(value)))  # IntegerField: "5", " 5", "5.0", 5.0
        except ValueError:
            return value
    if "boolean" in types and isinstance(value, int | float) and value in (0, 1):
        return bool(value)  # BooleanField: 1 and 0 (1.0 too: it equals 1)
    if "boolean" in types and isinstance(value, str):
        return BOOLEAN_WORDS.get(value.lower(), value)
    return value


def valid_as_drf_reads_it(case) -> bool:
    """Whether a JSON body that breaks the schema meets it once DRF's fields have read it: DRF is
    lenient by design (text is trimmed before its length is checked, a number is taken as text,
    "5" as an integer, "yes" as a boolean), and that leniency is part of the API's contract."""
    if not isinstance(case.body, dict):
        return False
    schema = case.operation.get_body_for_media_type(case.media_type).validation_schema
    root, properties = schema, _resolved(schema, schema).get("properties", {})
    body = {k: _as_drf_reads_it(v, properties[k], root) if k in properties else v for k, v in case.body.items()}
    return jsonschema.Draft202012Validator(schema).is_valid(body)


def needs_login(operation) -> bool:
    return {} not in operation.definition.raw.get("security", [{}])


@contextmanager
def rolled_back():
    """Whatever one request writes is undone afterwards, so every example starts from the same world
    (hypothesis replays and shrinks examples; each must be independent of the ones before it). A
    savepoint, not a transaction: the test's own transaction stays usable on PostgreSQL even after a
    failed statement. The throttles' counters (in the cache) are reset too."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
