"""External learning claims (docs/domain/claims.md): evidence checks, duplicates,
the year of the end date, conversions and caps per form as data, the supervisor's decision, and
BKPSDM's reversal by a compensating entry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import override_settings

from lms.claims import services
from lms.claims.models import Claim
from lms.claims.services import ClaimError
from lms.hours.models import CreditRule, LedgerEntry, YearPolicy
from lms.hours.selectors import JAKARTA, jp_total, ledger_for
from lms.xapi.constants import VERB_COMPLETED
from lms.xapi.models import Statement
from shell.inbox.models import Notification
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user

from .factories import claim_data, pdf

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 10, tzinfo=JAKARTA)


@pytest.fixture
def supervisor():
    return UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])


@pytest.fixture
def employee(supervisor):
    return UserFactory(supervisor=supervisor, unit=UnitFactory())


def submit(user, evidence=None, now=NOW, **data):
    return services.check_claim_submit(
        user=user,
        data=claim_data(**data),
        evidence=evidence if evidence is not None else pdf(extra=str(data).encode()),
        now=now,
    )


def approve(claim, by, now=NOW):
    return services.claim_decide(claim=claim, by=by, decision="approve", now=now)


# Submitting ---------------------------------------------------------------------------------------


def test_a_submitted_claim_waits_for_the_supervisor_who_is_told(employee, supervisor):
    claim = submit(employee)
    assert claim.status == Claim.Status.SUBMITTED
    assert claim.evidence_sha256 and claim.evidence.name.endswith(".pdf")
    assert Notification.objects.filter(user=supervisor, kind="lms.claim_to_decide").count() == 1
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"), "PDF, JPG, atau PNG"),
        (SimpleUploadedFile("a.exe", b"\x7fELF", content_type="image/png"), "PDF, JPG, atau PNG"),
    ],
)
def test_evidence_must_really_be_a_pdf_or_an_image(employee, upload, message):
    with pytest.raises(ClaimError, match=message):
        submit(employee, evidence=upload)


@override_settings(CLAIM_EVIDENCE_MAX_BYTES=100)
def test_evidence_over_the_size_limit_is_refused(employee):
    with pytest.raises(ClaimError, match="terlalu besar"):
        submit(employee, evidence=pdf(extra=b"x" * 200))


def test_images_are_accepted(employee):
    jpg = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0" + b"0" * 50, content_type="image/jpeg")
    assert submit(employee, evidence=jpg).status == Claim.Status.SUBMITTED


def test_evidence_is_required_unless_the_form_rule_says_otherwise(employee):
    with pytest.raises(ClaimError, match="wajib melampirkan bukti"):
        services.check_claim_submit(user=employee, data=claim_data(), evidence=None, now=NOW)
    CreditRule.objects.create(year=2026, form="seminar", evidence_required=False)
    assert services.check_claim_submit(user=employee, data=claim_data(), evidence=None, now=NOW).pk


def test_duplicates_by_certificate_number_or_file_are_refused(employee):
    submit(employee, certificate_number="LAN-2026-001")
    other = UserFactory()
    with pytest.raises(ClaimError, match="(?i)lan-2026-001 sudah pernah diklaim"):
        submit(other, certificate_number="lan-2026-001 ", title="Lain")
    same_file = pdf(extra=b"one file")
    submit(employee, evidence=same_file, title="A")
    with pytest.raises(ClaimError, match="(?i)berkas bukti yang sama"):
        submit(other, evidence=pdf(extra=b"one file"), title="B")


def test_a_rejected_claims_number_may_be_claimed_again(employee, supervisor):
    claim = submit(employee, certificate_number="X-1")
    services.claim_decide(
        claim=claim, by=supervisor, decision="reject", reason="Bukan kegiatan pengembangan kompetensi"
    )
    assert submit(employee, certificate_number="X-1", title="Benar").status == Claim.Status.SUBMITTED


def test_unfinished_or_reversed_dates_are_refused(employee):
    with pytest.raises(ClaimError, match="belum selesai"):
        submit(employee, end_date=dt.date(2026, 6, 2))
    with pytest.raises(ClaimError, match="sebelum tanggal mulai"):
        submit(employee, start_date=dt.date(2026, 2, 5), end_date=dt.date(2026, 2, 4))


# Deciding and crediting -----------------------------------------------------------------------------


def test_approval_credits_the_jp_once_with_a_statement(employee, supervisor):
    claim = approve(submit(employee), supervisor)
    entry = LedgerEntry.objects.get(user=employee)
    assert (entry.jp, entry.source_kind, entry.form, entry.category, entry.date) == (
        Decimal("6"),
        LedgerEntry.SourceKind.CLAIM,
        "seminar",
        "teknis",
        dt.date(2026, 2, 4),
    )
    statement = Statement.objects.get(user=employee, verb=VERB_COMPLETED)
    assert str(statement.pk) == str(entry.statement_id) == str(claim.statement_id)
    with pytest.raises(ClaimError, match="sudah diputuskan"):
        approve(claim, supervisor)
    assert jp_total(user=employee, year=2026) == Decimal("6")


def test_a_claim_spanning_new_year_counts_in_the_year_it_ended(employee, supervisor):
    approve(submit(employee, start_date=dt.date(2025, 12, 29), end_date=dt.date(2026, 1, 2)), supervisor)
    assert jp_total(user=employee, year=2026) == Decimal("6")
    assert jp_total(user=employee, year=2025) == Decimal("0")


def test_a_claim_of_last_year_goes_to_last_year(employee, supervisor):
    approve(submit(employee, start_date=dt.date(2025, 11, 3), end_date=dt.date(2025, 11, 3)), supervisor)
    assert jp_total(user=employee, year=2025) == Decimal("6")
    assert jp_total(user=employee, year=2026) == Decimal("0")


def test_conversion_per_unit_of_the_form(employee, supervisor):
    CreditRule.objects.create(year=2026, form="coaching", unit=CreditRule.Unit.SESSION, jp_per_unit=Decimal("2"))
    claim = approve(submit(employee, form="coaching", quantity=Decimal("3"), jp_requested=Decimal("10")), supervisor)
    assert claim.jp_credited == Decimal("6")
    assert "3 sesi" in claim.credit_note and "diajukan 10 JP" in claim.credit_note
    # Never more than asked for.
    claim = approve(
        submit(employee, form="coaching", quantity=Decimal("5"), jp_requested=Decimal("4"), title="Lagi"), supervisor
    )
    assert claim.jp_credited == Decimal("4")


def test_hours_convert_at_the_years_minutes_per_jp_when_no_rate_is_set(employee, supervisor):
    CreditRule.objects.create(year=2026, form="belajar_mandiri", unit=CreditRule.Unit.HOUR)
    claim = approve(
        submit(employee, form="belajar_mandiri", quantity=Decimal("3"), jp_requested=Decimal("10")), supervisor
    )
    assert claim.jp_credited == Decimal("4")  # 180 minutes / 45
    YearPolicy.objects.create(year=2026, minutes_per_jp=60)
    claim = approve(
        submit(employee, form="belajar_mandiri", quantity=Decimal("3"), jp_requested=Decimal("10"), title="Lagi"),
        supervisor,
    )
    assert claim.jp_credited == Decimal("3")
    with pytest.raises(IntegrityError):
        CreditRule.objects.create(year=2026, form="coaching", unit=CreditRule.Unit.SESSION)


def test_jp_above_the_forms_yearly_cap_are_cut_with_a_visible_note(employee, supervisor):
    CreditRule.objects.create(year=2026, form="mentoring", max_jp_per_year=Decimal("10"))
    first = approve(submit(employee, form="mentoring", jp_requested=Decimal("8"), title="Mentoring 1"), supervisor)
    second = approve(submit(employee, form="mentoring", jp_requested=Decimal("8"), title="Mentoring 2"), supervisor)
    third = approve(submit(employee, form="mentoring", jp_requested=Decimal("3"), title="Mentoring 3"), supervisor)
    assert (first.jp_credited, second.jp_credited, third.jp_credited) == (Decimal("8"), Decimal("2"), Decimal("0"))
    assert "Dipotong dari 8 menjadi 2 JP" in second.credit_note
    assert LedgerEntry.objects.get(source_key=second.source_key).note == second.credit_note
    assert jp_total(user=employee, year=2026) == Decimal("10")
    # The cap is per year: the next year starts again (the rule of 2026 stays in force for 2027).
    nxt = approve(
        submit(
            employee,
            form="mentoring",
            jp_requested=Decimal("8"),
            title="Mentoring 2027",
            start_date=dt.date(2027, 1, 5),
            end_date=dt.date(2027, 1, 5),
            now=dt.datetime(2027, 2, 1, tzinfo=JAKARTA),
        ),
        supervisor,
    )
    assert nxt.jp_credited == Decimal("8")


def test_a_form_without_approval_is_credited_on_submission(employee):
    CreditRule.objects.create(year=2026, form="e_learning", approval_required=False)
    claim = submit(employee, form="e_learning", title="MOOC")
    assert claim.status == Claim.Status.APPROVED and claim.decided_by is None
    assert jp_total(user=employee, year=2026) == Decimal("6")


def test_returned_for_changes_then_resubmitted(employee, supervisor):
    claim = submit(employee)
    with pytest.raises(ClaimError, match="alasan"):
        services.claim_decide(claim=claim, by=supervisor, decision="return", reason=" ")
    services.claim_decide(claim=claim, by=supervisor, decision="return", reason="Lampirkan sertifikat, bukan undangan")
    assert Notification.objects.filter(user=employee, kind="lms.claim_decided").count() == 1
    claim.refresh_from_db()
    resubmitted = services.check_claim_submit(
        user=employee,
        data=claim_data(jp_requested=Decimal("4")),
        evidence=pdf(extra=b"the certificate"),
        claim=claim,
        now=NOW,
    )
    assert resubmitted.pk == claim.pk and resubmitted.status == Claim.Status.SUBMITTED
    assert approve(resubmitted, supervisor).jp_credited == Decimal("4")


def test_only_the_direct_supervisor_decides(employee):
    claim = submit(employee)
    for stranger in (UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR]), employee):
        with pytest.raises(PermissionError):
            approve(claim, stranger)


def test_hr_decides_for_an_employee_without_a_supervisor():
    unit = UnitFactory()
    loner = UserFactory(unit=unit)
    claim = submit(loner)
    with pytest.raises(PermissionError):
        approve(claim, hr_user(unit=UnitFactory()))
    assert approve(claim, hr_user(unit=unit)).status == Claim.Status.APPROVED


# BKPSDM: verify or reverse ------------------------------------------------------------------------


def test_a_reversed_claim_is_cancelled_by_a_compensating_entry(employee, supervisor):
    hr = hr_user(unit=employee.unit)
    claim = approve(submit(employee), supervisor)
    services.claim_verify(claim=claim, by=hr)
    with pytest.raises(ClaimError, match="alasan"):
        services.claim_reverse(claim=claim, by=hr, reason="")
    reversed_claim = services.claim_reverse(
        claim=claim, by=hr, reason="Sertifikat palsu", now=dt.datetime(2027, 3, 1, tzinfo=JAKARTA)
    )
    assert reversed_claim.status == Claim.Status.REVERSED
    entries = LedgerEntry.objects.filter(user=employee).order_by("pk")
    assert [(e.jp, e.source_kind) for e in entries] == [
        (Decimal("6"), LedgerEntry.SourceKind.CLAIM),
        (Decimal("-6"), LedgerEntry.SourceKind.REVERSAL),
    ]
    # In the credit's own year, even when reversed the next year; nothing deleted.
    assert entries[1].date == dt.date(2026, 2, 4) and "Sertifikat palsu" in entries[1].note
    assert jp_total(user=employee, year=2026) == Decimal("0")
    assert len(ledger_for(user=employee, year=2026)) == 2
    assert Statement.objects.get(pk=claim.statement_id).voided
    # Twice is once.
    services.claim_reverse(claim=claim, by=hr, reason="lagi")
    assert LedgerEntry.objects.filter(user=employee).count() == 2
    # A reversed claim no longer blocks its number or file.
    assert Claim.objects.filter(status__in=Claim.ACTIVE).count() == 0


def test_hr_outside_the_scope_cannot_reverse(employee, supervisor):
    claim = approve(submit(employee), supervisor)
    with pytest.raises(PermissionError):
        services.claim_reverse(claim=claim, by=hr_user(unit=UnitFactory()), reason="x")
    with pytest.raises(PermissionError):
        services.claim_reverse(claim=claim, by=supervisor, reason="x")


@pytest.mark.parametrize("name", ["bukti.html", "bukti.png", "bukti", "bukti.pdf.svg"])
def test_the_names_extension_must_agree_with_the_bytes(employee, name):
    with pytest.raises(ClaimError, match="tetapi isinya PDF"):
        submit(employee, evidence=pdf(name=name))


def test_a_jpeg_may_be_named_jpg_or_jpeg_in_any_case(employee):
    for n, name in enumerate(["a.jpg", "b.JPEG"]):
        jpg = SimpleUploadedFile(name, b"\xff\xd8\xff\xe0" + str(n).encode() * 50, content_type="image/jpeg")
        assert submit(employee, evidence=jpg, title=name).evidence.name.endswith("/bukti.jpg")
