"""Demo data of the course pages (hook "demo_data", idempotent): a training coordinator for the
population office (Dukcapil), a prerequisite and a course due date, and an announcement from the trainer."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from content.models import CoursePage
from shell.people import roles
from shell.people.models import Unit, User
from shell.people.services import user_add_roles

from .models import Announcement
from .roles import COORDINATOR
from .services import check_announcement_create, coordinator_grant

DEMO_PASSWORD = "demo12345"  # the demo's one published password (fixtures/demo.py)
COORDINATOR_USERNAME = "koordinator"


def courses_demo_load() -> str | None:
    unit = Unit.objects.filter(code="DUKCAPIL").first()
    trainer = User.objects.filter(username="pelatih").first()
    if unit is None or trainer is None or User.objects.filter(username=COORDINATOR_USERNAME).exists():
        return None
    coordinator = User(
        username=COORDINATOR_USERNAME,
        full_name="Yuni Kartika",
        unit=unit,
        position="Pengelola Kepegawaian",
        employment_type=User.EmploymentType.NON_ASN,
        email=f"{COORDINATOR_USERNAME}@demo.tangerangkota.go.id",
    )
    coordinator.set_password(DEMO_PASSWORD)
    coordinator.save()
    user_add_roles(user=coordinator, role_names=[roles.LEARNER, COORDINATOR])
    coordinator_grant(user=coordinator, unit=unit)

    security = CoursePage.objects.filter(title="Keamanan Informasi untuk Pegawai").first()
    spreadsheet = CoursePage.objects.filter(title="Analisis Data dengan Spreadsheet").first()
    if security and spreadsheet:
        spreadsheet.prerequisites.set([security])
        spreadsheet.save_revision(user=trainer).publish()
        security.due_date = timezone.localdate() + dt.timedelta(days=60)
        security.save_revision(user=trainer).publish()
    service = CoursePage.objects.filter(title="Pelayanan Publik Prima").first()
    if service and not Announcement.objects.filter(course=service).exists():
        check_announcement_create(
            author=trainer,
            course=service,
            title="Sesi tanya jawab Jumat ini",
            body="Bawa pertanyaan Anda tentang standar pelayanan ke sesi daring Jumat pukul 14.00 WIB.",
            request_key=uuid.uuid5(uuid.NAMESPACE_URL, "demo:announcement:pelayanan-publik-prima"),
        )
    return (
        f"Pengelolaan kursus: koordinator pelatihan '{COORDINATOR_USERNAME}' (Dukcapil) di /belajar/daftar-massal/; "
        "pelatih memantau peserta di /belajar/pantau/; kalender pribadi di /belajar/kalender/."
    )
