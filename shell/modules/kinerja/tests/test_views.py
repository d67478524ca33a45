"""The activity log pages on the phone: log a day's work with evidence, fix a returned one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shell.modules.kinerja import services
from shell.modules.kinerja.models import Activity
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_log_a_day_with_evidence_and_fix_it_after_it_was_returned(client):
    unit = UnitFactory()
    boss = UserFactory(unit=unit, roles=[roles.LEARNER, roles.SUPERVISOR])
    member = UserFactory(unit=unit, supervisor=boss)
    client.force_login(member)
    today = timezone.localdate().isoformat()
    pdf = SimpleUploadedFile("notulen.pdf", b"%PDF-1.4 notulen", content_type="application/pdf")
    response = client.post(
        "/kinerja/",
        {"date": today, "title": "Rapat koordinasi", "quantity": "1", "output_unit": "kegiatan", "evidence_file": pdf},
    )
    assert response.status_code == 302
    activity = Activity.objects.get(user=member)
    assert activity.evidence.get().kind == "file" and activity.status == "submitted"

    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    bad = client.post(
        "/kinerja/", {"date": today, "title": "x", "quantity": "1", "output_unit": "x", "evidence_file": exe}
    )
    assert bad.status_code == 200 and "PDF, JPG, atau PNG" in bad.content.decode()

    services.activity_review(activity_id=activity.pk, reviewer=boss, approve=False, note="Tambahkan jumlah peserta")
    page = client.get(f"/kinerja/aktivitas/{activity.pk}/").content.decode()
    assert "Tambahkan jumlah peserta" in page and 'data-testid="resubmit"' in page
    client.post(
        f"/kinerja/aktivitas/{activity.pk}/perbaiki/",
        {"title": "Rapat koordinasi (25 peserta)", "description": "", "quantity": "1"},
    )
    activity.refresh_from_db()
    assert (activity.status, activity.title) == ("submitted", "Rapat koordinasi (25 peserta)")
    # Nobody else can fix it.
    client.force_login(boss)
    response = client.post(f"/kinerja/aktivitas/{activity.pk}/perbaiki/", {"title": "x", "quantity": "1"})
    assert response.status_code == 404


def test_an_evidence_file_is_downloaded_only_by_the_employee_and_their_supervisor(client):
    unit = UnitFactory()
    boss = UserFactory(unit=unit, roles=[roles.LEARNER, roles.SUPERVISOR])
    member = UserFactory(unit=unit, supervisor=boss)
    client.force_login(member)
    pdf = SimpleUploadedFile("notulen.pdf", b"%PDF-1.4 notulen", content_type="application/pdf")
    client.post(
        "/kinerja/",
        {
            "date": timezone.localdate().isoformat(),
            "title": "Rapat",
            "quantity": "1",
            "output_unit": "kegiatan",
            "evidence_file": pdf,
        },
    )
    evidence = Activity.objects.get(user=member).evidence.get()
    assert evidence.href == f"/kinerja/bukti/{evidence.pk}/"
    for viewer in (member, boss):
        client.force_login(viewer)
        response = client.get(evidence.href)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="bukti-dukung-{evidence.pk}.pdf"'
    client.force_login(UserFactory(unit=unit))
    assert client.get(evidence.href).status_code == 404
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


# Found by the outside security review ---------------------------------------------------------------


def test_an_evidence_file_is_what_its_bytes_are_not_what_the_browser_says(client):
    member = UserFactory(unit=UnitFactory())
    client.force_login(member)
    data = {"date": timezone.localdate().isoformat(), "title": "Rapat", "quantity": "1", "output_unit": "kegiatan"}
    page = SimpleUploadedFile("notulen.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    bad = client.post("/kinerja/", {**data, "evidence_file": page})
    assert bad.status_code == 200 and "PDF, JPG, atau PNG" in bad.content.decode()
    renamed = SimpleUploadedFile("notulen.html", b"%PDF-1.4 notulen", content_type="application/pdf")
    bad = client.post("/kinerja/", {**data, "evidence_file": renamed})
    assert bad.status_code == 200 and "tetapi isinya PDF" in bad.content.decode()
    assert not Activity.objects.exists()
