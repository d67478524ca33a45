"""Dates and numbers in the words people read, across modules: the inbox's notifications and the
e-Kinerja date field (its default must survive the browser's date picker). One format, shell/formatting.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from lms.hours.tests.factories import credit
from shell.inbox.models import Notification
from shell.modules.layanan.models import ServiceRequest
from shell.modules.layanan.services import request_assign, request_register, requests_notify_overdue
from shell.modules.layanan.tests.factories import NIK, ServiceTypeFactory, officer
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user

pytestmark = pytest.mark.django_db


def test_notifications_write_jp_with_a_decimal_comma_and_dates_as_8_des_2026(client):
    from lms.hours.services import ledger_revoke

    unit = UnitFactory()
    learner = UserFactory(unit=unit)
    entry = credit(learner, Decimal("2.5"), dt.date(2026, 3, 4), title="Seminar")
    ledger_revoke(entry=entry, by=hr_user(unit=unit), reason="Sertifikat tidak sah")
    note = Notification.objects.get(user=learner, kind="lms.jp_revoked")
    assert note.body.startswith("2,5 JP dicabut")

    service = ServiceTypeFactory()
    worker = officer(service.unit)
    request = request_register(service=service, citizen_nik=NIK, citizen_name="Nur Aisyah", registered_by=None)[0]
    request_assign(request_id=request.pk, actor=worker, assignee=worker)
    ServiceRequest.objects.filter(pk=request.pk).update(due_date=dt.date(2020, 1, 2))
    requests_notify_overdue()
    assert Notification.objects.get(user=worker, kind="layanan.overdue").body.endswith("batas waktu 2 Jan 2020.")

    # The inbox says when, the same way.
    Notification.objects.filter(pk=note.pk).update(created_at=dt.datetime(2026, 12, 8, 7, 5, tzinfo=dt.UTC))
    client.force_login(learner)
    assert "8 Des 2026 14:05" in client.get("/kotak-masuk/").content.decode()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_kinerja_date_field_keeps_its_default_for_the_date_picker(client, language):
    """<input type=date> takes only ISO values: an Indonesian 08-12-2026 would leave it empty."""
    member = UserFactory(unit=UnitFactory(), roles=[roles.LEARNER])
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/kinerja/").content.decode()
    field = next(tag for tag in page.split("<input") if 'name="date"' in tag)
    assert 'type="date"' in field and f'value="{timezone.localdate().isoformat()}"' in field
