"""A small city whose report figures are worked out by hand (see test_figures.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from lms.hours.models import LedgerEntry, TargetRule
from lms.hours.services import ledger_reverse
from lms.hours.tests.factories import credit as ledger_test_credit
from shell.people.models import Unit, User
from shell.people.tests.factories import UnitFactory, UserFactory

TODAY = dt.date(2026, 7, 1)  # 182 of 365 days: elapsed 0.4986


@dataclass
class City:
    a: Unit
    a1: Unit
    a2: Unit
    b: Unit
    full: User  # PNS, A1, 22 JP: met
    reversed: User  # PNS, A1, 8 JP after a reversed 6 JP claim, 5 JP pending: behind
    nothing: User  # PPPK, A, no records: behind
    mover: User  # PNS, 10 JP earned while in B, now in A1: on track
    newcomer: User  # non-ASN, B, hired mid-April (target 15.0), 15 JP: met


_keys = iter(range(1, 10**6))


def credit(user, jp, date, category="teknis", form="e_learning", status=LedgerEntry.Status.VERIFIED) -> LedgerEntry:
    return ledger_test_credit(user, jp, date, category=category, form=form, status=status)


def make_city() -> City:
    for kind in ("pns", "pppk", "non_asn"):
        TargetRule.objects.update_or_create(year=2026, employment_type=kind, defaults={"target_jp": Decimal("20")})
    a = UnitFactory(code="A", name="Dinas A")
    a1 = UnitFactory(code="A1", name="Bidang A1", parent=a)
    a2 = UnitFactory(code="A2", name="Bidang A2 (kosong)", parent=Unit.objects.get(pk=a.pk))
    b = UnitFactory(code="B", name="Dinas B")
    full = UserFactory(full_name="Full", unit=a1)
    rev = UserFactory(full_name="Reversed", unit=a1)
    nothing = UserFactory(full_name="Nothing", unit=a, employment_type="pppk")
    mover = UserFactory(full_name="Mover", unit=b)
    newcomer = UserFactory(
        full_name="Newcomer", unit=b, employment_type="non_asn", nip=None, hired_on=dt.date(2026, 4, 15)
    )

    credit(full, 12, dt.date(2026, 2, 3))
    credit(full, 10, dt.date(2026, 3, 4), category="manajerial", form="pelatihan")
    credit(full, 30, dt.date(2025, 12, 31))  # another year
    credit(rev, 8, dt.date(2026, 1, 20))
    claim = credit(rev, 6, dt.date(2026, 4, 2), category="sosial_kultural", form="seminar")
    ledger_reverse(entry=claim, date=dt.date(2026, 5, 6), note="Sertifikat tidak sah", evidence="revocation:0")
    credit(rev, 5, dt.date(2026, 6, 1), status=LedgerEntry.Status.PENDING)
    credit(mover, 10, dt.date(2026, 1, 10))
    mover.unit = a1  # moved after earning the JP
    mover.save()
    credit(newcomer, 15, dt.date(2026, 5, 10), category="pemerintahan", form="bimtek")
    return City(a, a1, a2, b, full, rev, nothing, mover, newcomer)
