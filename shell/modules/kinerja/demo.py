"""Demo data of e-Kinerja: the supervisor's and the learner's SKP (cascaded) and a few days of log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shell.people.models import User

from . import services
from .models import Activity, Skp


@transaction.atomic
def load_demo() -> str:
    boss = User.objects.filter(username="atasan").first()
    staff = User.objects.filter(username="pembelajar").first()
    if boss is None or staff is None:
        return "e-Kinerja: the demo city is missing (run load_demo on an empty database)."
    year = timezone.localdate().year
    if Skp.objects.filter(user=staff, year=year).exists():
        return "e-Kinerja: demo plans already there."
    goal = services.skp_result_add(
        user=boss,
        year=year,
        text="Meningkatnya cakupan kepemilikan KTP-el dan KIA",
        parent=None,
        indicator="Persentase penduduk wajib KTP-el yang terekam",
        target=Decimal(98),
        unit="%",
        aspect="kuantitas",
    )
    services.skp_submit(user=boss, year=year)
    mine = services.skp_result_add(
        user=staff,
        year=year,
        text="Terlayaninya perekaman dan pencetakan KTP-el warga",
        parent=goal,
        indicator="Permohonan KTP-el yang diselesaikan tepat waktu",
        target=Decimal(1200),
        unit="permohonan",
        aspect="kuantitas",
    )
    services.skp_submit(user=staff, year=year)
    today = timezone.localdate()
    for days_ago, title in [
        (3, "Verifikasi berkas perekaman KTP-el di loket"),
        (2, "Rekap harian permohonan KIA"),
        (1, "Rapat koordinasi jemput bola perekaman KTP-el di sekolah"),
    ]:
        services.activity_create(
            user=staff, date=today - dt.timedelta(days=days_ago), title=title, result=mine, quantity=Decimal(1)
        )
    return f"e-Kinerja: SKP {year} for atasan and pembelajar, {Activity.objects.filter(user=staff).count()} activities."
