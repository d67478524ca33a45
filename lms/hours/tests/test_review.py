"""BKPSDM undoes what looks wrong: an entry's evidence page, revoking a credit (two steps, scope-checked,
once), adding a correction; the ledger still follows from its evidence afterwards (ledger_verify)."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from content.tests.factories import make_course
from lms.claims.models import Claim
from lms.hours.models import LedgerCorrection, LedgerEntry, LedgerRevocation
from lms.hours.review import check_ledger_correction_create, check_ledger_revoke
from lms.hours.services import LedgerError
from lms.hours.tests.factories import credit
from lms.models import Enrollment
from lms.xapi.transformers import learning_event_record
from shell.inbox.models import Notification
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 10)
SCRIPT = "<script>alert('jp')</script>"


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.ANOMALY_BURST_HOURS = 24
    settings.ANOMALY_BURST_JP = 16


@pytest.fixture
def city(db):
    unit_a, unit_b = UnitFactory(code="REV-A", name="Dinas A"), UnitFactory(code="REV-B", name="Dinas B")
    a = UserFactory(unit=unit_a, full_name="Ani Dicabut")
    b = UserFactory(unit=unit_b, full_name="Budi Unit B")
    return {
        "hr_a": hr_user(unit=unit_a, full_name="Hana SDM A"),
        "hr_city": hr_user(unit=None),
        "a": a,
        "b": b,
        "entry_a": credit(a, 17, DAY, title="Kursus Kilat A"),
        "entry_b": credit(b, 17, DAY, title="Kursus Kilat B"),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ledger_state():
    return (
        LedgerEntry.objects.count(),
        LedgerRevocation.objects.count(),
        LedgerCorrection.objects.count(),
        Notification.objects.filter(kind="lms.jp_revoked").count(),
    )


def ledger_holds() -> None:
    call_command("ledger_verify")  # SystemExit(1) on any difference


# The evidence page --------------------------------------------------------------------------------------


def test_hr_sees_the_entry_its_evidence_and_why_it_is_flagged(city):
    html = client_for(city["hr_a"]).get(f"/belajar/jp/entri/{city['entry_a'].pk}/").content.decode()
    assert "Kursus Kilat A" in html and "Catatan impor dari sistem tepercaya" in html
    assert 'data-testid="entry-anomalies"' in html and 'data-testid="revoke-form"' in html


def test_the_employee_sees_their_own_entry_without_the_anomaly_or_the_revocation_form(city):
    response = client_for(city["a"]).get(f"/belajar/jp/entri/{city['entry_a'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "Kursus Kilat A" in html
    assert 'data-testid="entry-anomalies"' not in html and 'data-testid="revoke-form"' not in html


def test_nobody_else_reaches_an_entry(city):
    supervisor = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    city["a"].supervisor = supervisor
    city["a"].save(update_fields=["supervisor"])
    for user, entry in ((city["hr_a"], city["entry_b"]), (city["b"], city["entry_a"]), (supervisor, city["entry_a"])):
        response = client_for(user).get(f"/belajar/jp/entri/{entry.pk}/")
        assert response.status_code == 404 and entry.title not in response.content.decode()
    assert client_for(city["a"]).get("/belajar/jp/entri/999999/").status_code == 404


def test_a_course_credit_shows_its_statement_pretty_printed_and_escaped(city):
    course = make_course(title=f"Kursus {SCRIPT}", jp="2", lessons=("text",))
    enrollment = Enrollment.objects.create(user=city["a"], course=course)
    learning_event_record("lms.course.completed", user=city["a"], enrollment=enrollment, timestamp=timezone.now())
    entry = LedgerEntry.objects.get(user=city["a"], source_kind="course")
    html = client_for(city["hr_city"]).get(f"/belajar/jp/entri/{entry.pk}/").content.decode()
    assert 'class="json"' in html and str(entry.statement_id) in html and "\n  &quot;actor&quot;: {" in html
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_a_claim_credit_links_to_its_file_and_a_correction_names_who_and_why(city):
    claim = Claim.objects.create(
        user=city["a"],
        title="Seminar Arsip",
        organiser="LAN",
        form="seminar",
        category="teknis",
        start_date=DAY,
        end_date=DAY,
        jp_requested=Decimal("3"),
        certificate_number="SA-1",
        evidence="claims/x/bukti.pdf",
        status=Claim.Status.APPROVED,
        submitted_at=timezone.now(),
    )
    from lms.hours.evidence import Credit
    from lms.hours.services import ledger_credit

    entry, _ = ledger_credit(
        credit=Credit(
            user_id=city["a"].pk,
            kind="claim",
            ref=claim.pk,
            jp=Decimal("3"),
            date=DAY,
            category="teknis",
            form="seminar",
            title="Seminar Arsip",
            evidence="statement:00000000-0000-0000-0000-000000000000",
        )
    )
    html = client_for(city["hr_a"]).get(f"/belajar/jp/entri/{entry.pk}/").content.decode()
    assert f"/belajar/klaim/{claim.pk}/bukti/" in html and "SA-1" in html

    correction = check_ledger_correction_create(
        by=city["hr_a"],
        user=city["a"],
        jp=Decimal("2"),
        date=DAY,
        category="teknis",
        form="coaching",
        title="Coaching kepala bidang",
        reason=f"Tidak tercatat {SCRIPT}",
    )
    html = client_for(city["a"]).get(f"/belajar/jp/entri/{correction.pk}/").content.decode()
    assert "Hana SDM A" in html and "Tidak tercatat &lt;script&gt;" in html and SCRIPT not in html


def _before(html: str, first: str, second: str) -> bool:
    return first in html and second in html and html.index(first) < html.index(second)


def test_the_page_opens_with_a_summary_and_folds_the_raw_statement(city):
    course = make_course(title="Kursus Etika Pelayanan", jp="2", lessons=("text",))
    enrollment = Enrollment.objects.create(user=city["a"], course=course)
    learning_event_record("lms.course.completed", user=city["a"], enrollment=enrollment, timestamp=timezone.now())
    entry = LedgerEntry.objects.get(user=city["a"], source_kind="course")
    html = client_for(city["a"]).get(f"/belajar/jp/entri/{entry.pk}/").content.decode()
    summary = html.split('data-testid="entry-summary"', 1)[1].split("</section>", 1)[0]
    # What, when, JP, source and status, in words, before any evidence.
    assert 'data-state="counted"' in summary and "Dihitung" in summary
    assert "Kursus Etika Pelayanan" in summary and "Kursus daring" in summary
    assert '<strong data-testid="entry-jp">2</strong>' in summary
    assert entry.date.strftime("%Y") in summary
    # The raw statement is there for whoever checks, folded away: inside <details>, after the summary.
    assert _before(html, 'data-testid="entry-summary"', "<details")
    raw = html.split("<details", 1)[1].split("</details>", 1)[0]
    assert '<pre class="json">' in raw and str(entry.statement_id) in raw
    assert '<pre class="json">' not in html.replace(raw, "")


def test_a_revoked_credit_says_so_at_the_top_with_who_when_and_why(city):
    entry = city["entry_a"]
    check_ledger_revoke(entry=entry, by=city["hr_a"], reason=f"Dua kursus dalam satu jam {SCRIPT}")
    reversal = LedgerEntry.objects.get(reverses=entry)
    for viewer in (city["a"], city["hr_a"]):  # the employee and HR read the same summary
        html = client_for(viewer).get(f"/belajar/jp/entri/{entry.pk}/").content.decode()
        summary = html.split('data-testid="entry-summary"', 1)[1].split("</section>", 1)[0]
        assert 'data-state="revoked"' in summary and "Dicabut BKPSDM" in summary
        assert "JP ini dicabut dan tidak dihitung lagi" in summary and "Oleh Hana SDM A" in summary
        assert "Dua kursus dalam satu jam &lt;script&gt;" in summary and SCRIPT not in html
        assert "(tidak dihitung)" in summary and f"/belajar/jp/entri/{reversal.pk}/" in summary
        assert 'data-testid="revoke-form"' not in html
    # The reversal's own page names the credit it cancels, who and why.
    html = client_for(city["a"]).get(f"/belajar/jp/entri/{reversal.pk}/").content.decode()
    summary = html.split('data-testid="entry-summary"', 1)[1].split("</section>", 1)[0]
    assert 'data-state="reversal"' in summary and "Entri ini membatalkan" in summary
    assert f"/belajar/jp/entri/{entry.pk}/" in summary and "Oleh Hana SDM A" in summary
    assert "Dua kursus dalam satu jam" in summary
    # Nobody else reaches either page: a colleague of another unit, nor HR of another scope.
    for stranger in (city["b"], hr_user(unit=UnitFactory(code="REV-C"))):
        for pk in (entry.pk, reversal.pk):
            response = client_for(stranger).get(f"/belajar/jp/entri/{pk}/")
            assert response.status_code == 404 and "Dua kursus" not in response.content.decode()


def test_a_credit_whose_evidence_was_voided_says_who_cancelled_it(city):
    from lms.claims import services as claims
    from lms.claims.tests.factories import claim_data, pdf

    supervisor = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR], full_name="Sari Atasan")
    city["a"].supervisor = supervisor
    city["a"].save(update_fields=["supervisor"])
    claim = claims.check_claim_submit(user=city["a"], data=claim_data(), evidence=pdf(), now=timezone.now())
    claim = claims.claim_decide(claim=claim, by=supervisor, decision="approve", now=timezone.now())
    claims.claim_reverse(claim=claim, by=city["hr_a"], reason="Sertifikat palsu")
    entry = LedgerEntry.objects.get(source_key=claim.source_key)
    html = client_for(city["a"]).get(f"/belajar/jp/entri/{entry.pk}/").content.decode()
    summary = html.split('data-testid="entry-summary"', 1)[1].split("</section>", 1)[0]
    assert 'data-state="voided"' in summary and "Entri ini sudah dibatalkan" in summary
    assert "Oleh Hana SDM A" in summary and "Sertifikat palsu" in summary


# Revoking -------------------------------------------------------------------------------------------------


def test_revoking_asks_for_confirmation_then_reverses_once_tells_the_employee_and_the_ledger_holds(city):
    hr, entry = client_for(city["hr_a"]), city["entry_a"]
    url = f"/belajar/jp/entri/{entry.pk}/cabut/"
    before = ledger_state()
    confirm = hr.post(url, {"reason": f"Bukti palsu {SCRIPT}"})
    assert confirm.status_code == 200 and 'data-testid="confirm-revoke"' in confirm.content.decode()
    assert SCRIPT not in confirm.content.decode()
    assert ledger_state() == before  # one tap changes nothing

    response = hr.post(url, {"reason": f"Bukti palsu {SCRIPT}", "confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/belajar/jp/entri/{entry.pk}/"
    html = response.content.decode()
    assert "17 JP dari Kursus Kilat A dicabut" in html and SCRIPT not in html and "Bukti palsu &lt;script&gt;" in html
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert reversal.jp == Decimal("-17") and reversal.date == entry.date
    revocation = LedgerRevocation.objects.get()
    assert (revocation.revoked_by, revocation.reason) == (city["hr_a"], f"Bukti palsu {SCRIPT}")
    note = Notification.objects.get(user=city["a"], kind="lms.jp_revoked")
    assert f"Bukti palsu {SCRIPT}" in note.body
    ledger_holds()

    inbox = client_for(city["a"]).get("/kotak-masuk/").content.decode()
    assert "Bukti palsu &lt;script&gt;alert(&#x27;jp&#x27;)&lt;/script&gt;" in inbox and SCRIPT not in inbox
    own = client_for(city["a"]).get(f"/belajar/jp/entri/{entry.pk}/").content.decode()
    assert "JP ini dicabut dan tidak dihitung lagi" in own and "Oleh Hana SDM A" in own and SCRIPT not in own

    after = ledger_state()
    again = hr.post(url, {"reason": "Sekali lagi", "confirm": "1"}, follow=True)
    assert "sudah dibatalkan sebelumnya" in again.content.decode()
    assert ledger_state() == after and LedgerEntry.objects.filter(reverses=entry).count() == 1
    ledger_holds()


def test_hr_of_another_unit_cannot_revoke_and_nothing_changes(city):
    entry = city["entry_b"]
    before = ledger_state()
    response = client_for(city["hr_a"]).post(f"/belajar/jp/entri/{entry.pk}/cabut/", {"reason": "x", "confirm": "1"})
    assert response.status_code == 404
    with pytest.raises(PermissionError):
        check_ledger_revoke(entry=entry, by=city["hr_a"], reason="Di luar cakupan")
    assert ledger_state() == before


def test_the_employee_cannot_revoke_their_own_entry_nor_hr_their_own(city):
    own = credit(city["hr_a"], 3, DAY)
    before = ledger_state()
    response = client_for(city["a"]).post(
        f"/belajar/jp/entri/{city['entry_a'].pk}/cabut/", {"reason": "x", "confirm": "1"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionError):
        check_ledger_revoke(entry=own, by=city["hr_a"], reason="Punya sendiri")
    assert client_for(city["hr_a"]).get(f"/belajar/jp/entri/{own.pk}/").status_code == 200  # as an employee
    assert ledger_state() == before


def test_a_reason_is_required_and_a_reversal_cannot_be_revoked(city):
    hr, entry = client_for(city["hr_a"]), city["entry_a"]
    before = ledger_state()
    assert hr.post(f"/belajar/jp/entri/{entry.pk}/cabut/", {"reason": "  ", "confirm": "1"}).status_code == 400
    assert ledger_state() == before
    reversal, created = check_ledger_revoke(entry=entry, by=city["hr_a"], reason="Tidak wajar")
    assert created
    response = hr.post(f"/belajar/jp/entri/{reversal.pk}/cabut/", {"reason": "Lagi", "confirm": "1"})
    assert response.status_code == 400 and "Hanya entri kredit" in response.content.decode()
    assert hr.get(f"/belajar/jp/entri/{entry.pk}/cabut/").status_code == 405


def test_revoking_marks_the_row_on_the_anomaly_list_with_who_and_when(city):
    hr = client_for(city["hr_a"])
    html = hr.get("/belajar/jp/anomali/?tahun=2025").content.decode()
    assert "Ani Dicabut" in html and "Dicabut oleh" not in html
    check_ledger_revoke(entry=city["entry_a"], by=city["hr_a"], reason="Tidak wajar")
    html = hr.get("/belajar/jp/anomali/?tahun=2025").content.decode()
    row = html.split('data-kind="burst"', 1)[1].split("</li>\n  \n", 1)[0]
    assert "Ani Dicabut" in row and 'data-resolved="1"' in html and "Sudah dicabut" in row
    assert "Dicabut oleh Hana SDM A" in row


# Corrections ----------------------------------------------------------------------------------------------


def correction(**overrides) -> dict:
    data = {
        "title": "Pelatihan luring di BPSDM Provinsi",
        "date": DAY.isoformat(),
        "jp": "6",
        "form": "pelatihan",
        "category": "teknis",
        "reason": "Sertifikat diserahkan ke BKPSDM",
    }
    data.update(overrides)
    return data


def test_hr_adds_a_correction_for_an_employee_in_scope_and_the_ledger_holds(city):
    url = f"/belajar/jp/pegawai/{city['a'].uuid}/koreksi/"
    hr = client_for(city["hr_a"])
    assert hr.get(url).status_code == 200
    # The form's answer is a confirmation page: who, how many JP, when, why; nothing is written yet.
    before = ledger_state()
    page = hr.post(url, correction(reason=f"Sertifikat diserahkan {SCRIPT}"))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="correction-confirm"' in html
    assert "Ani Dicabut" in html and "Dinas A" in html and "Pelatihan luring di BPSDM Provinsi" in html
    assert '<strong data-testid="confirm-jp">6</strong>' in html and "10 Mar 2025" in html
    assert "Sertifikat diserahkan &lt;script&gt;" in html and SCRIPT not in html
    assert ledger_state() == before and not Notification.objects.filter(kind="lms.jp_corrected").exists()
    confirmation = html.split('name="confirmation" value="', 1)[1].split('"', 1)[0]

    data = correction(reason=f"Sertifikat diserahkan {SCRIPT}", confirm="1", confirmation=confirmation)
    response = hr.post(url, data, follow=True)
    entry = LedgerEntry.objects.get(source_kind="correction")
    assert response.redirect_chain[-1][0] == f"/belajar/jp/entri/{entry.pk}/"
    assert "diberi tahu di kotak masuk" in response.content.decode()
    assert (entry.user, entry.jp, entry.form, entry.evidence) == (
        city["a"],
        Decimal("6"),
        "pelatihan",
        f"correction:{LedgerCorrection.objects.get().pk}",
    )
    # The employee is told in the inbox, with the reason, and the notice opens the entry's evidence page.
    note = Notification.objects.get(user=city["a"], kind="lms.jp_corrected")
    assert "Pelatihan luring di BPSDM Provinsi" in note.title and "6 JP" in note.body and "10 Mar 2025" in note.body
    assert f"Sertifikat diserahkan {SCRIPT}" in note.body and note.url == f"/belajar/jp/entri/{entry.pk}/"
    inbox = client_for(city["a"]).get("/kotak-masuk/").content.decode()
    assert "Sertifikat diserahkan &lt;script&gt;" in inbox and SCRIPT not in inbox
    assert client_for(city["a"]).get(note.url).status_code == 200
    ledger_holds()

    # A second tap on "Ya, catat" (or the form sent again) credits nothing more and tells nobody twice.
    after = ledger_state()
    again = hr.post(url, data, follow=True)
    assert again.redirect_chain[-1][0] == f"/belajar/jp/entri/{entry.pk}/"
    assert ledger_state() == after and Notification.objects.filter(kind="lms.jp_corrected").count() == 1


def test_the_confirmation_page_goes_back_to_the_form_filled_in(city):
    url = f"/belajar/jp/pegawai/{city['a'].uuid}/koreksi/"
    hr = client_for(city["hr_a"])
    before = ledger_state()
    response = hr.post(url, {**correction(title="Pelatihan yang mau diubah"), "ubah": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="correction-form"' in html
    assert 'value="Pelatihan yang mau diubah"' in html and 'class="errorlist' not in html
    assert ledger_state() == before


def test_a_confirmation_key_is_no_way_into_someone_elses_correction(city):
    """The key of HR A's confirmed correction, replayed by city HR for another employee: refused, nothing
    written, and the first correction's entry is not shown."""
    key = uuid.uuid4()
    first = check_ledger_correction_create(by=city["hr_a"], user=city["a"], confirmation=key, **_service_args())
    before = ledger_state()
    response = client_for(city["hr_city"]).post(
        f"/belajar/jp/pegawai/{city['b'].uuid}/koreksi/", correction(confirm="1", confirmation=str(key))
    )
    assert response.status_code == 400 and "sudah dipakai" in response.content.decode()
    assert f"/belajar/jp/entri/{first.pk}/" not in response.content.decode()
    assert ledger_state() == before


def _service_args() -> dict:
    return dict(date=DAY, jp=Decimal("2"), category="teknis", form="pelatihan", title="T", reason="R")


@pytest.mark.parametrize(
    "bad",
    [
        {"jp": "0"},
        {"jp": "-2"},
        {"jp": "abc"},
        {"form": "bukan_bentuk"},
        {"category": "sihir"},
        {"date": (dt.date.today() + dt.timedelta(days=2)).isoformat()},
        {"date": "1999-12-31"},
        {"reason": "   "},
        {"title": ""},
    ],
)
def test_a_correction_that_does_not_hold_is_refused_with_a_message(city, bad):
    before = ledger_state()
    response = client_for(city["hr_a"]).post(f"/belajar/jp/pegawai/{city['a'].uuid}/koreksi/", correction(**bad))
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert ledger_state() == before


def test_the_service_checks_the_same_rules(city):
    base = dict(by=city["hr_a"], user=city["a"], date=DAY, category="teknis", form="pelatihan", title="T", reason="R")
    with pytest.raises(LedgerError):
        check_ledger_correction_create(**{**base, "jp": Decimal("0")})
    with pytest.raises(LedgerError):
        check_ledger_correction_create(**{**base, "jp": Decimal("1"), "form": "x"})
    with pytest.raises(LedgerError):
        check_ledger_correction_create(**{**base, "jp": Decimal("1"), "date": dt.date.today() + dt.timedelta(days=2)})
    with pytest.raises(PermissionError):
        check_ledger_correction_create(**{**base, "jp": Decimal("1"), "user": city["b"]})
    assert not LedgerCorrection.objects.exists()


def test_corrections_outside_the_scope_or_by_non_hr_are_refused(city):
    before = ledger_state()
    confirmed = correction(confirm="1", confirmation="6f1d2c3b-0000-4000-8000-000000000001")
    for data in (correction(), confirmed):
        assert client_for(city["hr_a"]).post(f"/belajar/jp/pegawai/{city['b'].uuid}/koreksi/", data).status_code == 404
        assert client_for(city["a"]).post(f"/belajar/jp/pegawai/{city['a'].uuid}/koreksi/", data).status_code == 403
        assert client_for(city["b"]).post(f"/belajar/jp/pegawai/{city['b'].uuid}/koreksi/", data).status_code == 403
    assert client_for(city["a"]).get("/belajar/jp/koreksi/?q=Ani").status_code == 403
    assert ledger_state() == before


def test_hostile_queries_get_a_page_or_a_4xx_never_a_500(city):
    hr = client_for(city["hr_a"])
    assert hr.get("/belajar/jp/koreksi/?q=%00An%00i").status_code == 200
    assert hr.get("/belajar/jp/entri/99999999999999999999999/").status_code == 404
    assert hr.post("/belajar/jp/entri/99999999999999999999999/cabut/", {"reason": "x"}).status_code == 404
    assert hr.get("/belajar/jp/anomali/?halaman=abc").status_code == 200
    assert hr.get("/belajar/jp/anomali/?tahun=99999").status_code == 400
    assert hr.get("/belajar/jp/pegawai/00000000-0000-0000-0000-000000000000/koreksi/").status_code == 404


def test_hr_finds_employees_of_their_scope_only(city):
    hr = client_for(city["hr_a"])
    assert "Ani Dicabut" in hr.get("/belajar/jp/koreksi/?q=Ani").content.decode()
    assert "Budi Unit B" not in hr.get("/belajar/jp/koreksi/?q=Budi").content.decode()
    assert "Budi Unit B" in client_for(city["hr_city"]).get("/belajar/jp/koreksi/?q=Budi").content.decode()
