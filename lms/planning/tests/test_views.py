"""Who may do what on the planning pages, and hostile input: someone else's id, script in a text field,
forged form fields, crafted XLSX files."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.planning import selectors, services, xlsx
from lms.planning.models import Assessment, Competency, DevelopmentPlan, PlanItem, Position, PositionStandard
from shell.people.tests.factories import hr_user

from .factories import answers_up_to, make_competency, make_position, make_team

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-123"


@pytest.fixture
def world():
    pel = make_competency("PEL")
    position = make_position(standard={pel: 3})
    supervisor, employee = make_team(position)
    other_supervisor, other = make_team(position)
    return pel, position, supervisor, employee, other_supervisor, other


def _login(client, user):
    client.force_login(user)
    return client


def _submitted(employee):
    year = selectors.planning_year()
    indicators = selectors.indicators_for(competency_ids=list(Competency.objects.values_list("pk", flat=True)))
    return services.check_self_assessment_save(
        user=employee, year=year, answers=answers_up_to(indicators, {c: 2 for c in indicators}), submit=True
    )


def test_an_employee_sees_only_their_own_profile_and_plan(client, world):
    pel, _position, _supervisor, employee, _other_supervisor, other = world
    _submitted(other)
    _login(client, employee)
    page = client.get(reverse("planning:home"))
    assert page.status_code == 200 and employee.position in page.content.decode()
    # Pages take no employee id: the other's profile and plan are not reachable as their own...
    assert client.get(reverse("planning:plan")).status_code == 200
    assert client.get(reverse("planning:self_assessment")).status_code == 200
    # Reading writes nothing.
    assert not DevelopmentPlan.objects.filter(user=employee).exists()
    assert not Assessment.objects.filter(user=employee).exists()
    # ...and the supervisor's pages refuse someone else's records by id.
    other_assessment = Assessment.objects.get(user=other)
    assert client.get(reverse("planning:team_assessment", args=[other_assessment.pk])).status_code == 404
    other_plan = services.plan_get_or_create(user=other, year=selectors.planning_year())
    assert client.get(reverse("planning:team_plan", args=[other_plan.pk])).status_code == 404
    assert client.get(reverse("planning:dictionary")).status_code == 403
    assert client.get(reverse("planning:dictionary_export")).status_code == 403


def test_a_supervisor_validates_only_their_own_team(client, world):
    pel, _position, supervisor, employee, other_supervisor, other = world
    mine, theirs = _submitted(employee), _submitted(other)
    _login(client, supervisor)
    team = client.get(reverse("planning:team")).content.decode()
    assert employee.display_name in team and other.display_name not in team
    assert "Menunggu validasi atasan" in team  # the overview of the direct team
    answers = {f"meets_{i.pk}": "1" for i in pel.indicators.all()}
    # Another supervisor's employee: 404 on the page and on a forged POST, nothing changed.
    assert client.get(reverse("planning:team_assessment", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("planning:team_assessment", args=[theirs.pk]), answers).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Assessment.Status.SUBMITTED
    # Half the answers: a 400 naming what to do.
    half = dict(list(answers.items())[:2])
    response = client.post(reverse("planning:team_assessment", args=[mine.pk]), half)
    assert response.status_code == 400 and "Validasi setiap indikator" in response.content.decode()
    response = client.post(reverse("planning:team_assessment", args=[mine.pk]), {**answers, "note": "ok"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Assessment.Status.VALIDATED and mine.validated_by == supervisor


def test_hr_works_city_wide_on_the_dictionary(client, world):
    hr = hr_user()
    _login(client, hr)
    page = client.get(reverse("planning:dictionary"))
    assert page.status_code == 200 and "PEL" in page.content.decode()
    export = client.get(reverse("planning:dictionary_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["Kompetensi", "Indikator", "Jabatan", "Standar"]
    assert [c.value for c in book["Standar"][2]] == ["PK-ADM", "PEL", 3]


def test_script_in_text_fields_is_shown_as_text(client, world):
    pel, _position, supervisor, employee, _other_supervisor, _other = world
    script = "<script>alert(1)</script>"
    _login(client, employee)
    client.post(
        reverse("planning:self_assessment"),
        {**{f"meets_{i.pk}": "1" for i in pel.indicators.all()}, f"example_{pel.indicators.first().pk}": script},
    )
    client.post(
        reverse("planning:plan_item_add"),
        {"competency": pel.pk, "external_title": script, "form": "seminar", "jp": "2", "quarter": "1", "priority": "2"},
    )
    assert PlanItem.objects.filter(external_title=script).exists()
    page = client.get(reverse("planning:plan")).content.decode()
    assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    client.post(
        reverse("planning:self_assessment"),
        {f"meets_{i.pk}": "1" for i in pel.indicators.all()}
        | {f"example_{pel.indicators.first().pk}": script, "submit": "1"},
    )
    _login(client, supervisor)
    assessment = Assessment.objects.get(user=employee)
    page = client.get(reverse("planning:team_assessment", args=[assessment.pk])).content.decode()
    assert script not in page and "&lt;script&gt;" in page


def test_forged_plan_input_is_refused(client, world):
    pel, _position, _supervisor, employee, _other_supervisor, other = world
    year = selectors.planning_year()
    theirs = services.check_plan_item_add(
        user=other,
        year=year,
        competency_id=pel.pk,
        external_title="Milik orang lain",
        form="seminar",
        jp="2",
        quarter=1,
    )
    _login(client, employee)
    # Removing someone else's item by id changes nothing.
    client.post(reverse("planning:plan_item_remove", args=[theirs.pk]))
    assert PlanItem.objects.filter(pk=theirs.pk).exists()
    for forged in (
        {"competency": "abc", "external_title": "X", "form": "seminar", "jp": "2", "quarter": "1"},
        {"competency": pel.pk, "external_title": "X", "form": "seminar", "jp": "-5", "quarter": "1"},
        {"competency": pel.pk, "external_title": "X", "form": "seminar", "jp": "2", "quarter": "9"},
        {"competency": pel.pk, "external_title": "X", "form": "seminar", "jp": "2", "quarter": "1", "priority": "77"},
        {"competency": pel.pk, "course": "999999", "quarter": "1"},
    ):
        response = client.post(reverse("planning:plan_item_add"), forged)
        assert response.status_code == 302
    assert not PlanItem.objects.filter(plan__user=employee).exists()
    # An answer to an indicator outside the employee's standard is refused, nothing kept.
    foreign = make_competency("LAIN").indicators.first()
    client.post(reverse("planning:self_assessment"), {f"meets_{foreign.pk}": "1", "submit": "1"})
    assert not Assessment.objects.filter(user=employee, answers__indicator=foreign).exists()
    assert client.get(reverse("planning:plan_item_add")).status_code == 405


def _workbook(sheets: dict[str, list[tuple]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(xlsx.HEADERS[name])
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text as HR typed it, even when it looks like a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("kamus.xlsx", buffer.getvalue())


def test_dictionary_import_round_trips_and_bad_rows_change_nothing(client, world):
    pel, position, *_rest = world
    hr = hr_user()
    _login(client, hr)
    good = _workbook(
        {
            "Kompetensi": [
                ("DATA", "Pengelolaan Data", "teknis", "Definisi"),
                ("RUMUS", "Rumus", "Teknis", '=HYPERLINK("http://x.test","klik")'),
            ],
            "Indikator": [("DATA", 1, "Memasukkan data"), ("DATA", 2.0, "Merapikan data")],
            "Jabatan": [("ANL", "Analis Data", "fungsional")],
            "Standar": [("ANL", "DATA", 2), ("PK-ADM", "PEL", "4")],
        }
    )
    response = client.post(reverse("planning:dictionary"), {"kind": "dictionary", "file": good})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Competency.objects.get(code="DATA").indicators.count() == 2
    assert PositionStandard.objects.get(position=position, competency=pel).required_level == 4
    # A text that looks like a formula is exported as quoted text (the platform's formula guard), never a
    # formula; imported again, the workbook changes nothing.
    exported = client.get(reverse("planning:dictionary_export")).content
    book = openpyxl.load_workbook(io.BytesIO(exported))
    cell = next(row[3] for row in book["Kompetensi"].iter_rows(min_row=2) if row[0].value == "RUMUS")
    assert cell.value == '\'=HYPERLINK("http://x.test","klik")' and cell.data_type == "s"
    response = client.post(
        reverse("planning:dictionary"), {"kind": "dictionary", "file": SimpleUploadedFile("k.xlsx", exported)}
    )
    assert response.status_code == 302
    assert Competency.objects.get(code="RUMUS").description == '=HYPERLINK("http://x.test","klik")'

    bad = _workbook(
        {
            "Kompetensi": [("BARU", "Kompetensi Baru", "teknis", ""), ("", "Tanpa kode", "entah", "")],
            "Indikator": [("TIDAKADA", 6, "x")],
            "Standar": [("ANL", "BARU", 2), ("ANL", "BARU", 3)],
        }
    )
    response = client.post(reverse("planning:dictionary"), {"kind": "dictionary", "file": bad})
    body = response.content.decode()
    assert response.status_code == 400
    for expected in (
        "Lembar Kompetensi baris 3 kolom Kode",
        "Lembar Kompetensi baris 3 kolom Jenis",
        "Lembar Indikator baris 2 kolom Kode kompetensi",
        "Lembar Indikator baris 2 kolom Level",
        "Lembar Standar baris 3 kolom Kode kompetensi",
    ):
        assert expected in body
    assert not Competency.objects.filter(code="BARU").exists()  # nothing half-imported


@pytest.mark.parametrize(
    "payload,message",
    [
        (b"NIP;Tahun\n1;2", "bukan XLSX"),
        (None, "tidak bisa dibaca"),  # a zip that is not a workbook
        ("bomb", "terlalu besar"),
        ("headers", "judul kolom"),
    ],
)
def test_crafted_files_get_a_clear_error(client, world, payload, message, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED", 1024 * 1024)
    hr = hr_user()
    _login(client, hr)
    if payload is None or payload == "bomb":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("x.txt", b"0" * (2 * 1024 * 1024) if payload == "bomb" else b"hello")
        payload = buffer.getvalue()
    elif payload == "headers":
        book = openpyxl.Workbook()
        book.active.title = "Kompetensi"
        book.active.append(("Code", "Name"))
        buffer = io.BytesIO()
        book.save(buffer)
        payload = buffer.getvalue()
    response = client.post(
        reverse("planning:dictionary"), {"kind": "dictionary", "file": SimpleUploadedFile("x.xlsx", payload)}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert Position.objects.count() == 1


def test_the_tile_shows_what_waits(client, world):
    _pel, _position, supervisor, employee, _other_supervisor, _other = world
    _login(client, employee)
    assert "Isi penilaian mandiri" in client.get("/").content.decode()
    _submitted(employee)
    _login(client, supervisor)
    assert "1 menunggu Anda" in client.get("/").content.decode()
